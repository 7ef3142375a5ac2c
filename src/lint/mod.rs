//! `adrgraph lint`: rules over the parsed records and the knowledge graph, the checks teams run
//! in CI.
//!
//! Every rule has a stable code, a one-line summary, a longer explanation (`lint --explain
//! CODE`) and a default level, which a configuration can change or switch off
//! ([`LintConfig::levels`]). [`lint`] returns the findings sorted by path, line and code; it
//! reads no file (the caller shows source lines).

use crate::graph::DecisionGraph;
use crate::ingest::Corpus;
use crate::model::{Adr, Date, Diagnostic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod fields;
mod fix;
mod links;
mod numbers;
mod supersession;

pub use fix::{fixes, place_columns};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Fails the run (exit code 1).
    Error,
    /// Reported, does not fail the run.
    Warning,
    /// Worth knowing.
    Note,
    /// Not reported.
    Off,
}

impl Level {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::Off => "off",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "error" | "deny" => Ok(Level::Error),
            "warning" | "warn" => Ok(Level::Warning),
            "note" | "info" => Ok(Level::Note),
            "off" | "allow" | "none" => Ok(Level::Off),
            other => Err(crate::Error::Unknown {
                what: "level",
                value: other.to_string(),
                expected: "error, warning, note or off".into(),
            }),
        }
    }
}

/// A lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code.
    pub code: &'static str,
    /// Default level.
    pub level: Level,
    /// One line.
    pub summary: &'static str,
    /// What it checks, why it matters and how to fix it.
    pub explain: &'static str,
}

/// Every rule, in the order they are documented.
pub const RULES: &[Rule] = &[
    Rule { code: "broken-link", level: Level::Error, summary: "a link to a decision resolves to no file or decision",
        explain: "A link (relative path, repository URL, number or slug) that names a decision must resolve to one. Broken links hide the relations the graph is built from. When a decision with the same number sits in the same folder, the message names it: fix the link's file name." },
    Rule { code: "misspelt-link", level: Level::Warning, summary: "a link names a file that does not exist, but plainly means one decision",
        explain: "The linked file does not exist, but its number and its text (or a file name one typo away) name exactly one decision of that folder, so the link is followed to it. Fix the file name in the link so that other tools follow it too." },
    Rule { code: "ambiguous-link", level: Level::Warning, summary: "a number or id names several decisions",
        explain: "`ADR025` resolves to nothing when two files carry number 25 in the same folder. Link to the file instead, or renumber one of them (see duplicate-number)." },
    Rule { code: "link-outside-tree", level: Level::Warning, summary: "a relative link leaves every ADR root",
        explain: "A relative link whose target is outside the roots cannot be checked and breaks when the ADR folder is moved or published alone. Link with an absolute URL, or bring the target into the tree." },
    Rule { code: "missing-title", level: Level::Error, summary: "the record has no title",
        explain: "Every record needs a first-level heading (`# Title`) or a `title` in its front matter: lists, search hits and graphs show it." },
    Rule { code: "missing-status", level: Level::Warning, summary: "the record states no status",
        explain: "Without a status nobody can tell whether the decision is in force. Add a `## Status` section, a `Status:` line or a `status` front matter key." },
    Rule { code: "unknown-status", level: Level::Warning, summary: "the status word is not recognised",
        explain: "The status is kept as written but read as unknown: use proposed, accepted, rejected, deprecated, superseded or draft (or a known synonym such as approved, implemented, withdrawn). Template text such as `Accepted or Rejected` is reported here too." },
    Rule { code: "missing-date", level: Level::Warning, summary: "the record has no date, or one that cannot be read",
        explain: "A decision's date orders the log and lets reviews and staleness checks work. Write `Date: YYYY-MM-DD` (other common formats are read too)." },
    Rule { code: "supersession-one-sided", level: Level::Warning, summary: "a decision is superseded but does not say so",
        explain: "A supersedes B, but B's status does not say it is superseded. Readers of B will take it as in force. `adrgraph lint --fix` sets B's status to `Superseded by [A](A.md)`." },
    Rule { code: "conflicting-successor", level: Level::Error, summary: "two decisions disagree on what supersedes a third",
        explain: "A says it supersedes B, but B names another successor. One of the two is wrong: decide which decision replaces B and make both files agree." },
    Rule { code: "multiple-successors", level: Level::Warning, summary: "a decision is wholly superseded by more than one decision",
        explain: "Several decisions each supersede B in full. If each replaces a part of B, say so (`in part supersedes`); otherwise only the newest should supersede B." },
    Rule { code: "supersession-cycle", level: Level::Error, summary: "decisions supersede each other in a cycle",
        explain: "A chain of supersessions leads back to where it started, so no decision of it is in force. Remove the supersession that points the wrong way." },
    Rule { code: "duplicate-number", level: Level::Error, summary: "two records in one folder share a number",
        explain: "Numbers identify decisions in links and conversations (`ADR 25`); two files with one number make every such reference ambiguous. Renumber the newer file and fix its links." },
    Rule { code: "numbering-gap", level: Level::Note, summary: "a number is missing in a folder's sequence",
        explain: "A missing number often means a deleted or never-merged record. If it is deliberate, ignore this note or switch the rule off." },
    Rule { code: "rests-on-superseded", level: Level::Warning, summary: "an accepted decision relies on one no longer in force",
        explain: "An accepted decision references, amends or depends on a decision that is superseded or deprecated. Check that it still holds under the decision in force now, which the message names, and update the link." },
    Rule { code: "review-overdue", level: Level::Warning, summary: "the review date has passed",
        explain: "The record asked to be reviewed by a date that has passed. Review it, then record the outcome and a new review date." },
    Rule { code: "proposed-too-long", level: Level::Note, summary: "a proposal has been open for longer than allowed",
        explain: "A proposed decision older than the configured number of days (lint.proposed_max_days, 90 by default) is probably stale: accept, reject or withdraw it." },
    Rule { code: "chosen-not-considered", level: Level::Warning, summary: "the chosen option is not among the considered options",
        explain: "`Chosen option: \"X\"` names an option that the Considered Options list does not contain: a renamed option or a copy-paste slip. Make the names match." },
    Rule { code: "options-without-pros-cons", level: Level::Note, summary: "options are listed without pros or cons",
        explain: "The record lists considered options but argues none of them. Readers cannot see why the choice was made." },
    Rule { code: "template-text", level: Level::Warning, summary: "template placeholder text is left in",
        explain: "Text such as `[Describe the context ...]`, `{title}` or `YYYY-MM-DD` was copied from a template and never filled in." },
    Rule { code: "number-mismatch", level: Level::Warning, summary: "the file name and the title disagree on the number",
        explain: "`0012-x.md` whose title reads `# 13. X` confuses every reader and every link by number. Make them agree." },
];

/// The rules of `adrgraph check`, over a change rather than the tree (never reported by
/// `lint`); their levels are set in `[lint.rules]` as any rule's.
pub const CHECK_RULES: &[Rule] = &[
    Rule { code: "superseded-marker", level: Level::Error, summary: "a marker added by the change names a decision no longer in force",
        explain: "A line the change adds names a superseded, deprecated or rejected decision (`// ADR-0004`). Code written today should name the decision in force, which the message gives. Reported by `adrgraph check` with --fail-on-superseded-marker (or `[check] fail_on_superseded_marker = true`)." },
    Rule { code: "changed-after-acceptance", level: Level::Warning, summary: "an accepted decision's text is rewritten by the change",
        explain: "The change edits the decision, outcome or consequences of a record that was accepted and stays accepted, with no status change or amendment recorded: readers who relied on it are not told. Supersede or amend it with a new decision instead. Edits of fewer than `[lint] editorial_distance` characters (6 by default) are editorial and not reported. Reported by `adrgraph check` for a change, and by `adrgraph lint --history` for every commit of the history (naming the commit, its author and date)." },
    Rule { code: "ungoverned-change", level: Level::Error, summary: "a changed file that must be governed has no decision in force",
        explain: "The file matches a glob of --require-decision (or `[check] require_decision`), yet no decision in force governs it: no declared scope, marker or mention. Record the decision the change rests on, or add a scope to the one that governs it." },
];

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().chain(CHECK_RULES).find(|r| r.code == code)
}

/// Lint settings.
#[derive(Debug, Clone)]
pub struct LintConfig {
    /// Level per rule code, overriding the defaults.
    pub levels: BTreeMap<String, Level>,
    /// Days a decision may stay proposed.
    pub proposed_max_days: i64,
    /// The date reviews and proposals are measured against.
    pub today: Date,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            levels: BTreeMap::new(),
            proposed_max_days: 90,
            today: chrono::Local::now().date_naive(),
        }
    }
}

impl LintConfig {
    /// The level in force for a rule.
    pub fn level(&self, code: &str) -> Level {
        self.levels.get(code).copied().or_else(|| rule(code).map(|r| r.level)).unwrap_or(Level::Warning)
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// Path of the file.
    pub path: String,
    /// 1-based line (1 when the whole file is concerned).
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Rule code.
    pub code: String,
    /// Level in force.
    pub level: Level,
    /// What is wrong.
    pub message: String,
    /// Text to underline on the line, when there is something precise to point at.
    pub mark: Option<String>,
    /// A suggestion.
    pub help: Option<String>,
}

/// Run every rule that is not off; the findings come sorted by path, line and code.
pub fn lint(corpus: &Corpus, graph: &DecisionGraph, cfg: &LintConfig) -> Vec<Finding> {
    let cx = Ctx::new(corpus, graph, cfg);
    let mut out = Out { code: "", level: Level::Off, findings: Vec::new() };
    for (code, check) in CHECKS {
        let level = cfg.level(code);
        if level != Level::Off {
            (out.code, out.level) = (code, level);
            check(&cx, &mut out);
        }
    }
    let mut findings = out.findings;
    findings.sort();
    findings.dedup();
    findings
}

/// A rule's check: it reads the records and graph and pushes its findings.
type Check = fn(&Ctx<'_>, &mut Out);

/// The check of every rule, in the order of [`RULES`].
const CHECKS: &[(&str, Check)] = &[
    ("broken-link", links::broken_link),
    ("misspelt-link", links::misspelt_link),
    ("ambiguous-link", links::ambiguous_link),
    ("link-outside-tree", links::link_outside_tree),
    ("missing-title", fields::missing_title),
    ("missing-status", fields::missing_status),
    ("unknown-status", fields::unknown_status),
    ("missing-date", fields::missing_date),
    ("supersession-one-sided", supersession::supersession_one_sided),
    ("conflicting-successor", supersession::conflicting_successor),
    ("multiple-successors", supersession::multiple_successors),
    ("supersession-cycle", supersession::supersession_cycle),
    ("duplicate-number", numbers::duplicate_number),
    ("numbering-gap", numbers::numbering_gap),
    ("rests-on-superseded", links::rests_on_superseded),
    ("review-overdue", fields::review_overdue),
    ("proposed-too-long", fields::proposed_too_long),
    ("chosen-not-considered", fields::chosen_not_considered),
    ("options-without-pros-cons", fields::options_without_pros_cons),
    ("template-text", fields::template_text),
    ("number-mismatch", fields::number_mismatch),
];

/// What the rules read: the records, the graph, the settings, and the parser's diagnostics of
/// each file.
struct Ctx<'a> {
    corpus: &'a Corpus,
    adrs: &'a [Adr],
    graph: &'a DecisionGraph,
    cfg: &'a LintConfig,
    diagnostics: BTreeMap<&'a str, Vec<&'a Diagnostic>>,
    /// The superseded decisions, found when a rule first asks.
    superseded: std::cell::OnceCell<Vec<supersession::Superseded<'a>>>,
}

impl<'a> Ctx<'a> {
    fn new(corpus: &'a Corpus, graph: &'a DecisionGraph, cfg: &'a LintConfig) -> Ctx<'a> {
        let mut diagnostics: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in &corpus.diagnostics {
            diagnostics.entry(d.path.as_str()).or_default().push(d);
        }
        Ctx { corpus, adrs: &corpus.adrs, graph, cfg, diagnostics, superseded: Default::default() }
    }

    /// The parser's diagnostics of one file.
    fn diagnostics_of(&self, path: &str) -> &[&'a Diagnostic] {
        self.diagnostics.get(path).map_or(&[], Vec::as_slice)
    }
}

/// The line of a record's status (its last status change), 1 when it has none.
fn status_line(a: &Adr) -> u32 {
    a.status_history.last().map(|h| h.line).unwrap_or(1)
}

/// Where the findings of the rule being checked go.
struct Out {
    code: &'static str,
    /// The rule's level in force (never `Off`: such a rule is not checked).
    level: Level,
    findings: Vec<Finding>,
}

impl Out {
    /// A finding of the current rule on record `a`, at `line` (at least 1).
    fn push(&mut self, a: &Adr, line: u32, message: String, mark: Option<String>, help: Option<String>) {
        self.findings.push(Finding {
            path: a.path.clone(),
            line: line.max(1),
            col: 1,
            code: self.code.into(),
            level: self.level,
            message,
            mark,
            help,
        });
    }
}

/// The line of a record's title heading (1 when it has none).
fn title_line_of(a: &Adr) -> u32 {
    a.sections.iter().find(|s| s.level == 1).map_or(1, |s| s.line)
}

/// Relative path from the folder of `from` to `to` (both as displayed, `/`-separated).
pub fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.split('/').count().saturating_sub(1)].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = std::iter::repeat_n("..", from_dir.len() - common).collect();
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Findings at error level.
pub fn errors(findings: &[Finding]) -> usize {
    findings.iter().filter(|f| f.level == Level::Error).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn relative_paths() {
        assert_eq!(relative("adr/a.md", "adr/b.md"), "b.md");
        assert_eq!(relative("adr/x/a.md", "adr/y/b.md"), "../y/b.md");
        assert_eq!(relative("a.md", "sub/b.md"), "sub/b.md");
    }

    #[test]
    fn every_rule_has_one_check_in_the_documented_order() {
        let rules: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let checks: Vec<&str> = CHECKS.iter().map(|c| c.0).collect();
        assert_eq!(rules, checks);
    }

    #[test]
    fn every_rule_has_a_unique_code_and_an_explanation() {
        let codes: BTreeSet<&str> = RULES.iter().map(|r| r.code).collect();
        assert_eq!(codes.len(), RULES.len());
        assert!(RULES.iter().all(|r| !r.summary.is_empty() && r.explain.len() > r.summary.len()));
    }
}

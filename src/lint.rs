//! `adrgraph lint`: rules over the parsed records and the knowledge graph, the checks teams run
//! in CI.
//!
//! Every rule has a stable code, a one-line summary, a longer explanation (`lint --explain
//! CODE`) and a default level, which a configuration can change or switch off
//! ([`LintConfig::levels`]). [`lint`] returns the findings sorted by path, line and code; it
//! reads no file (the caller shows source lines).

use crate::graph::{DecisionGraph, EdgeKind, Resolution};
use crate::ingest::Corpus;
use crate::model::{Adr, Date, LinkKind, Status};
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "error" | "deny" => Ok(Level::Error),
            "warning" | "warn" => Ok(Level::Warning),
            "note" | "info" => Ok(Level::Note),
            "off" | "allow" | "none" => Ok(Level::Off),
            other => Err(format!("unknown level `{other}` (expected error, warning, note or off)")),
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

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
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

/// Run every rule that is not off.
pub fn lint(corpus: &Corpus, graph: &DecisionGraph, cfg: &LintConfig) -> Vec<Finding> {
    let adrs = &corpus.adrs;
    let mut out: Vec<Finding> = Vec::new();
    let mut push =
        |code: &str, a: &Adr, line: u32, message: String, mark: Option<String>, help: Option<String>| {
            let level = cfg.level(code);
            if level != Level::Off {
                out.push(Finding {
                    path: a.path.clone(),
                    line: line.max(1),
                    col: 1,
                    code: code.into(),
                    level,
                    message,
                    mark,
                    help,
                });
            }
        };
    // Links.
    for rl in &graph.links {
        let a = &adrs[rl.from];
        let link = &a.links[rl.link];
        match &rl.resolution {
            Resolution::Broken { reason, suggestion } => push(
                "broken-link",
                a,
                link.line,
                format!("{} link to `{}` does not resolve: {reason}", link.kind, link.target),
                Some(link.text.clone()),
                suggestion.map(|s| format!("did you mean `{}` ({})?", adrs[s].id, adrs[s].path)),
            ),
            Resolution::Ambiguous { candidates } => push(
                "ambiguous-link",
                a,
                link.line,
                format!(
                    "`{}` names {} decisions: {}",
                    link.target,
                    candidates.len(),
                    candidates.iter().map(|&c| adrs[c].id.as_str()).collect::<Vec<_>>().join(", ")
                ),
                Some(link.text.clone()),
                Some("link to the file itself".into()),
            ),
            Resolution::Misspelt { adr, written } => push(
                "misspelt-link",
                a,
                link.line,
                format!(
                    "link to `{written}` names no file; read as `{}` ({}), the one decision it can mean",
                    adrs[*adr].id, adrs[*adr].path
                ),
                Some(written.clone()),
                Some(format!("link to `{}`", relative(&a.path, &adrs[*adr].path))),
            ),
            Resolution::Decision { adr }
                if *adr == rl.from && matches!(link.kind, LinkKind::Supersedes | LinkKind::SupersededBy) =>
            {
                push(
                    "supersession-cycle",
                    a,
                    link.line,
                    "this decision supersedes itself".into(),
                    Some(link.text.clone()),
                    Some("a decision cannot replace itself: link to the decision it supersedes".into()),
                )
            }
            Resolution::OutsideTree { path } => push(
                "link-outside-tree",
                a,
                link.line,
                format!("link to `{}` leaves the ADR tree (resolves to {path})", link.target),
                Some(link.text.clone()),
                None,
            ),
            _ => {}
        }
    }
    // Fields. The parser's diagnostics of each file, found once.
    let mut by_path: BTreeMap<&str, Vec<&crate::model::Diagnostic>> = BTreeMap::new();
    for d in &corpus.diagnostics {
        by_path.entry(d.path.as_str()).or_default().push(d);
    }
    let none: Vec<&crate::model::Diagnostic> = Vec::new();
    let diags_of = |path: &str| by_path.get(path).unwrap_or(&none);
    let status_line = |a: &Adr| a.status_history.last().map(|h| h.line).unwrap_or(1);
    for a in adrs {
        if a.title.is_none() {
            push(
                "missing-title",
                a,
                1,
                "the record has no title".into(),
                None,
                Some("add a `# Title` heading".into()),
            );
        }
        match (&a.status_raw, a.status) {
            (None, Status::Unknown) => {
                push("missing-status", a, 1, "the record states no status".into(), None, None)
            }
            (Some(raw), Status::Unknown) => {
                // The parser reported the unrecognised word with its line.
                let line = diags_of(&a.path)
                    .iter()
                    .find(|d| matches!(d.code.as_str(), "unknown-status" | "ambiguous-status"))
                    .map_or_else(|| status_line(a), |d| d.line);
                push(
                    "unknown-status",
                    a,
                    line,
                    format!("status `{raw}` is not a recognised status"),
                    Some(raw.clone()),
                    None,
                )
            }
            _ => {}
        }
        if a.date.is_none() {
            push(
                "missing-date",
                a,
                1,
                "the record has no date that can be read".into(),
                a.date_raw.clone(),
                None,
            );
        }
        if let Some(r) = a.review_date {
            if r < cfg.today {
                push(
                    "review-overdue",
                    a,
                    1,
                    format!("review date {r} has passed"),
                    a.review_date_raw.clone(),
                    None,
                );
            }
        }
        if a.status == Status::Proposed {
            if let Some(d) = a.date {
                let days = (cfg.today - d).num_days();
                if days > cfg.proposed_max_days {
                    push(
                        "proposed-too-long",
                        a,
                        status_line(a),
                        format!("proposed since {d}, longer than the {} days allowed", cfg.proposed_max_days),
                        None,
                        None,
                    );
                }
            }
        }
        if let Some(chosen) = a.chosen_option() {
            if !a.options.is_empty() && !a.options.iter().any(|o| o.chosen) {
                let line = a.outcome.as_ref().map_or(1, |o| o.line);
                push(
                    "chosen-not-considered",
                    a,
                    line,
                    format!("chosen option `{chosen}` is not among the considered options"),
                    Some(chosen.to_string()),
                    None,
                );
            }
        }
        if a.options.len() > 1
            && a.options.iter().all(|o| o.pros.is_empty() && o.cons.is_empty() && o.neutral.is_empty())
        {
            let line = a.options.first().map_or(1, |o| o.line);
            push(
                "options-without-pros-cons",
                a,
                line,
                format!("{} options are listed without pros or cons", a.options.len()),
                None,
                None,
            );
        }
        // Template text: the parser reports the first placeholder left in, with its line, outside
        // code (a placeholder in a code block or span is an example, not a leftover).
        if let Some(d) = diags_of(&a.path).iter().find(|d| d.code == "template-text") {
            let mark = d.message.split('`').nth(1).map(str::to_string);
            push("template-text", a, d.line, d.message.clone(), mark, None);
        }
        let file_number = crate::parse::text::number_from_name(&a.slug);
        if let (Some(f), Some(n)) = (file_number, a.title_number) {
            if f != n {
                push(
                    "number-mismatch",
                    a,
                    title_line_of(a),
                    format!("the file name says {f} but the title says {n}; the decision is number {f}"),
                    None,
                    None,
                );
            }
        }
    }
    // Numbers per folder.
    let mut by_folder: BTreeMap<String, BTreeMap<u32, Vec<usize>>> = BTreeMap::new();
    for (i, a) in adrs.iter().enumerate() {
        if let Some(n) = a.number {
            let root = corpus.adr_roots.get(i).copied().unwrap_or(0);
            by_folder.entry(format!("{root}:{}", a.folder())).or_default().entry(n).or_default().push(i);
        }
    }
    for numbers in by_folder.values() {
        for (n, idxs) in numbers {
            if idxs.len() > 1 {
                // One finding per file after the first, each naming the first and how many others
                // share the number: N files give N-1 findings of bounded length, not N^2 names.
                let first = adrs[idxs[0]].id.as_str();
                for &i in &idxs[1..] {
                    let more = idxs.len() - 2;
                    let also = match more {
                        0 => String::new(),
                        1 => " and 1 other file".to_string(),
                        k => format!(" and {k} other files"),
                    };
                    push(
                        "duplicate-number",
                        &adrs[i],
                        title_line_of(&adrs[i]),
                        format!("number {n} is also used by {first}{also}"),
                        None,
                        None,
                    );
                }
            }
        }
        let present: BTreeSet<u32> = numbers.keys().copied().collect();
        if let (Some(&lo), Some(&hi)) = (present.first(), present.last()) {
            let missing: Vec<u32> = (lo..=hi).filter(|n| !present.contains(n)).collect();
            if !missing.is_empty() && missing.len() <= 20 {
                let last = numbers[&hi][0];
                let shown: Vec<String> = missing.iter().map(u32::to_string).collect();
                push(
                    "numbering-gap",
                    &adrs[last],
                    1,
                    format!("number(s) {} missing in this folder", shown.join(", ")),
                    None,
                    None,
                );
            }
        }
    }
    // Supersession consistency.
    for (b, bdec) in adrs.iter().enumerate() {
        let incoming: Vec<(usize, &crate::graph::Edge)> = graph
            .decision_edges(b, Direction::Incoming)
            .filter(|(_, e)| e.kind == EdgeKind::Supersedes)
            .collect();
        if incoming.is_empty() {
            continue;
        }
        // Successors B itself names.
        let named: BTreeSet<usize> = graph
            .links
            .iter()
            .filter(|rl| rl.from == b && bdec.links[rl.link].kind == LinkKind::SupersededBy)
            .filter_map(|rl| match rl.resolution {
                Resolution::Decision { adr } => Some(adr),
                _ => None,
            })
            .collect();
        for (a, e) in &incoming {
            if e.written_by == b || e.both_sides {
                continue;
            }
            let adec = &adrs[*a];
            if !named.is_empty() && !named.contains(a) {
                let names: Vec<&str> = named.iter().map(|&n| adrs[n].id.as_str()).collect();
                push(
                    "conflicting-successor",
                    adec,
                    e.line,
                    format!(
                        "this supersedes `{}`, which names another successor: {}",
                        bdec.id,
                        names.join(", ")
                    ),
                    None,
                    None,
                );
            } else if bdec.status != Status::Superseded
                && e.qualifier.is_none()
                && adec.status == Status::Accepted
            {
                push(
                    "supersession-one-sided",
                    bdec,
                    status_line(bdec),
                    format!(
                        "`{}` supersedes this decision, but its status says {}",
                        adec.id,
                        bdec.status_raw.as_deref().unwrap_or(bdec.status.as_str())
                    ),
                    bdec.status_raw.clone(),
                    Some(format!(
                        "set the status to `Superseded by {}` (lint --fix does it)",
                        crate::write::markdown_link(adec.display_title(), &relative(&bdec.path, &adec.path))
                    )),
                );
            }
        }
        let mut whole: Vec<&str> = incoming
            .iter()
            .filter(|(a, e)| e.qualifier.is_none() && adrs[*a].status == Status::Accepted)
            .map(|(a, _)| adrs[*a].id.as_str())
            .collect();
        whole.sort_unstable();
        // When B names its successor, the others are conflicting-successor findings instead.
        if whole.len() > 1 && named.is_empty() {
            push(
                "multiple-successors",
                bdec,
                status_line(bdec),
                format!("{} decisions supersede this one in full: {}", whole.len(), whole.join(", ")),
                None,
                None,
            );
        }
    }
    for cycle in crate::query::supersession_cycles(graph) {
        let ids: Vec<&str> = cycle.iter().map(|&i| adrs[i].id.as_str()).collect();
        push(
            "supersession-cycle",
            &adrs[cycle[0]],
            status_line(&adrs[cycle[0]]),
            format!("supersession cycle: {}", ids.join(" -> ")),
            None,
            None,
        );
    }
    // Accepted decisions resting on superseded or deprecated ones.
    for (a, adec) in adrs.iter().enumerate() {
        if adec.status != Status::Accepted {
            continue;
        }
        for (b, e) in graph.decision_edges(a, Direction::Outgoing) {
            if e.kind == EdgeKind::Supersedes || e.written_by != a {
                continue;
            }
            let bdec = &adrs[b];
            if matches!(bdec.status, Status::Superseded | Status::Deprecated) {
                let now = crate::query::chain(graph, adrs, b).in_force;
                let help = if now.is_empty() {
                    format!("`{}` is {} with no decision in force after it", bdec.id, bdec.status)
                } else {
                    format!("the decision in force now is {}", now.join(", "))
                };
                push(
                    "rests-on-superseded",
                    adec,
                    e.line,
                    format!("{} `{}`, which is {}", e.kind.as_str().replace('_', " "), bdec.id, bdec.status),
                    None,
                    Some(help),
                );
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The safe fixes of the findings, as line edits for [`crate::write::apply`]: a decision that
/// another accepted one supersedes, with no word of it in its own status, gets `Superseded by
/// [Title](path)` in place of its status text on its status line (a YAML-quoted value when the
/// status is in front matter). `source` gives a file's line by path and 1-based number (as the
/// parser counts lines). Returns the fixes and, for each finding that cannot be fixed safely,
/// `(path, line, why)`.
pub fn fixes(
    corpus: &Corpus,
    graph: &DecisionGraph,
    findings: &[Finding],
    source: &mut dyn FnMut(&str, u32) -> Option<String>,
) -> (Vec<crate::write::Fix>, Vec<(String, u32, String)>) {
    let adrs = &corpus.adrs;
    let mut in_cycle: BTreeMap<usize, String> = BTreeMap::new();
    for cycle in crate::query::supersession_cycles(graph) {
        let ids: Vec<&str> = cycle.iter().map(|&i| adrs[i].id.as_str()).collect();
        for &i in &cycle {
            in_cycle.insert(i, ids.join(" -> "));
        }
    }
    let (mut out, mut not) = (Vec::new(), Vec::new());
    for f in findings.iter().filter(|f| f.code == "supersession-one-sided") {
        let Some(b) = adrs.iter().position(|a| a.path == f.path) else { continue };
        let mut refuse = |why: String| not.push((f.path.clone(), f.line, why));
        if let Some(cycle) = in_cycle.get(&b) {
            refuse(format!("this decision is in a supersession cycle ({cycle}); break the cycle first"));
            continue;
        }
        let bdec = &adrs[b];
        let mut successors: Vec<usize> = graph
            .decision_edges(b, Direction::Incoming)
            .filter(|(a, e)| {
                e.kind == EdgeKind::Supersedes
                    && e.written_by != b
                    && !e.both_sides
                    && e.qualifier.is_none()
                    && adrs[*a].status == Status::Accepted
            })
            .map(|(a, _)| a)
            .collect();
        successors.sort_by(|x, y| adrs[*x].id.cmp(&adrs[*y].id));
        successors.dedup();
        let [a] = successors[..] else {
            refuse(format!("{} decisions supersede it; say which one replaces it", successors.len()));
            continue;
        };
        let Some(raw) = &bdec.status_raw else { continue };
        let Some(old) = source(&f.path, f.line) else {
            refuse("its status line cannot be read".into());
            continue;
        };
        if old.matches(raw.as_str()).count() != 1 {
            refuse(format!("the status line does not hold `{raw}` once"));
            continue;
        }
        let status = format!(
            "Superseded by {}",
            crate::write::markdown_link(adrs[a].display_title(), &relative(&bdec.path, &adrs[a].path))
        );
        // In front matter, the value is YAML: quoted, whatever the title holds.
        let first = source(&f.path, 1).unwrap_or_default();
        let in_front_matter = first.trim_start_matches('\u{feff}').trim_end() == "---"
            && f.line > 1
            && (2..f.line)
                .all(|l| source(&f.path, l).is_some_and(|t| !matches!(t.trim_end(), "---" | "...")));
        let new = if in_front_matter {
            match old.split_once(':') {
                Some((key, _)) => format!("{key}: {}", crate::write::yaml_quoted(&status)),
                None => {
                    refuse("the front matter status line is not `key: value`".into());
                    continue;
                }
            }
        } else {
            old.replacen(raw.as_str(), &status, 1)
        };
        out.push(crate::write::Fix { path: f.path.clone(), line: f.line, old, new, code: f.code.clone() });
    }
    (out, not)
}

/// Set each finding's column from its source line: the 1-based character column where its
/// mark starts (the first place the line holds it), else the first non-blank character.
/// `source` gives a file's line by path and 1-based number; a finding whose line cannot be read
/// keeps column 1. Every output format (human, JSON, GitHub, SARIF) then carries the same column.
pub fn place_columns(findings: &mut [Finding], source: &mut dyn FnMut(&str, u32) -> Option<String>) {
    for f in findings {
        let Some(line) = source(&f.path, f.line) else { continue };
        let at = f.mark.as_deref().filter(|m| !m.is_empty()).and_then(|m| line.find(m));
        let byte = at.unwrap_or_else(|| line.len() - line.trim_start().len());
        f.col = line[..byte].chars().count() as u32 + 1;
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

    #[test]
    fn relative_paths() {
        assert_eq!(relative("adr/a.md", "adr/b.md"), "b.md");
        assert_eq!(relative("adr/x/a.md", "adr/y/b.md"), "../y/b.md");
        assert_eq!(relative("a.md", "sub/b.md"), "sub/b.md");
    }

    #[test]
    fn every_rule_has_a_unique_code_and_an_explanation() {
        let codes: BTreeSet<&str> = RULES.iter().map(|r| r.code).collect();
        assert_eq!(codes.len(), RULES.len());
        assert!(RULES.iter().all(|r| !r.summary.is_empty() && r.explain.len() > r.summary.len()));
    }
}

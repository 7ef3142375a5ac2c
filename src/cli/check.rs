//! `adrgraph check`: the pull-request check. For a change read from git: the decisions in force
//! governing each changed file of code, the lint findings on the records the change touches,
//! and what the change does to the decisions; as text, markdown (a pull-request comment),
//! GitHub annotations, JSON or SARIF.

use super::context::{load_config, stdout, Exit, Session};
use super::governs::{
    canonical_roots, changes_named, governed_changes, in_tree, ChangedGoverned, ChangesAhead,
};
use super::{CheckArgs, CheckFormat};
use adrgraph::delta::{self, DecisionChange};
use adrgraph::git::{ChangedFile, Changes};
use adrgraph::governs::{Governing, LineChange, ReasonKind};
use adrgraph::lint::{Finding, Level};
use adrgraph::output;
use adrgraph::{Adr, Status};
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The whole report (`--format json`).
#[derive(Debug, serde::Serialize)]
pub struct Report {
    /// The comparison, in words.
    pub against: String,
    /// The old side's commit.
    pub base: adrgraph::git::Revision,
    /// The new side's commit, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<adrgraph::git::Revision>,
    /// Each changed file of code with the decisions in force governing it.
    pub files: Vec<ChangedGoverned>,
    /// What the change does to the decisions.
    pub decision_changes: Vec<DecisionChange>,
    /// The changed files of the decision tree.
    pub records_touched: Vec<String>,
    /// Lint findings on the records the change touches, and the check's own findings.
    pub findings: Vec<Finding>,
    /// How many findings are errors (the exit code is 1 when any).
    pub errors: usize,
}

/// Check the change; exit 1 on error-level findings. On a command line run, with a full-text
/// index in the store, the check reads the outline of the records and what the index says the
/// records name ([`super::governs::picked`]: which records name each changed file's names, or
/// else the texts of the few that could); the records the change touches are read whole into
/// it (their lint and what the change does to the decisions compare whole records). A server,
/// or a store without an index, reads every record whole.
pub fn run(session: &mut Session<'_>, args: &CheckArgs, ahead: Option<&ChangesAhead>) -> Result<Exit> {
    use std::borrow::Cow;
    let early = super::governs::governing_ahead(session, ahead);
    let changes = changes_named(ahead, args.diff.as_deref(), args.staged)?;
    if !session.key.holds() {
        let roots = super::governs::roots_here(session.cli)?;
        if let Some(picked) = super::governs::picked_for_change(session, &changes, &roots, &[])? {
            let touched: Vec<&ChangedFile> =
                changes.files.iter().filter(|f| in_tree(&changes, &roots, &f.path)).collect();
            let exit = if touched.is_empty() {
                let (corpus, graph) = match early {
                    Some(kept) => kept,
                    None => super::governs::governing(session)?,
                };
                let exit =
                    checked(session, args, &changes, (Cow::Owned(corpus), &graph, Some(&picked)), false);
                super::context::exiting(graph);
                exit
            } else {
                let (mut corpus, _) = super::governs::outlined(session)?;
                whole_touched(session, &mut corpus, &changes, &touched)?;
                // The whole graph: lint reads more of it than the links between decisions.
                let graph = super::load::graph_of(session, &corpus)?;
                let exit =
                    checked(session, args, &changes, (Cow::Owned(corpus), &graph, Some(&picked)), true);
                super::context::exiting(graph);
                exit
            };
            return exit;
        }
    }
    let records = super::load::records(session)?;
    // One graph for the governing decisions and the lint of the touched records.
    let graph = super::load::graph_of(session, records.corpus())?;
    let reading = (Cow::Borrowed(records.corpus()), &*graph, None);
    let exit = checked(session, args, &changes, reading, true);
    super::context::exiting(records);
    exit
}

/// The records at the paths `touched` names, read whole from the store into `outline`, each
/// keeping the id and dialect the tree gives it (the store keeps each file's own reading).
fn whole_touched(
    session: &mut Session<'_>,
    outline: &mut adrgraph::Corpus,
    changes: &Changes,
    touched: &[&ChangedFile],
) -> Result<()> {
    let mut places: Vec<usize> = touched
        .iter()
        .filter_map(|f| outline.find_index(&f.path, &changes.top).ok().map(|i| i.get()))
        .collect();
    places.sort_unstable();
    places.dedup();
    for (i, parsed) in session.store.whole_records(Some(&places))? {
        if let Some(a) = outline.adrs.get_mut(i) {
            let (id, dialect) = (std::mem::take(&mut a.id), a.dialect);
            *a = parsed.adr;
            a.id = id;
            a.dialect = dialect;
        }
    }
    session.warn();
    Ok(())
}

/// The check of `changes` from what `reading` holds ([`super::governs::Reading`]); `whole`: the
/// records the change touches are whole in it (the lint of those and the decision changes are
/// made only then: a change that touches none has neither).
fn checked(
    session: &mut Session<'_>,
    args: &CheckArgs,
    changes: &Changes,
    mut reading: super::governs::Reading<'_>,
    whole: bool,
) -> Result<Exit> {
    let cli = session.cli;
    let (config, _) = load_config(cli.global.config.as_deref())?;
    let governed = governed_changes(session, &mut reading, changes, &[], true)?;
    let (corpus, graph, _) = reading;
    let lint_cfg = config.lint_config();
    let mut findings = check_findings(
        &governed,
        changes,
        args.fail_on_superseded_marker || config.check.fail_on_superseded_marker,
        &args.require_decision.iter().chain(&config.check.require_decision).cloned().collect::<Vec<_>>(),
    )?;
    findings.retain_mut(|f| {
        f.level = lint_cfg.level(&f.code);
        f.level != Level::Off
    });
    let roots = canonical_roots(&corpus);
    let touched: Vec<&ChangedFile> =
        changes.files.iter().filter(|f| in_tree(changes, &roots, &f.path)).collect();
    let (decision_changes, rewrites) = match whole && !touched.is_empty() {
        true => {
            findings.extend(touched_findings(session, (&corpus, graph), changes, &touched, &lint_cfg)?);
            decision_changes(&corpus, changes, &touched, &roots)
        }
        // No record touched: no lint finding on one, nothing done to the decisions.
        false => (Vec::new(), Vec::new()),
    };
    let distance = config.lint.editorial_distance.unwrap_or(DEFAULT_EDITORIAL_DISTANCE);
    findings.extend(rewritten(&rewrites, distance).into_iter().filter_map(|mut f| {
        f.level = lint_cfg.level(&f.code);
        (f.level != Level::Off).then_some(f)
    }));
    findings.sort();
    let files = governed
        .into_iter()
        .map(|mut g| {
            g.decisions.retain(|d| d.in_force);
            g
        })
        .collect();
    let report = Report {
        against: changes.against.clone(),
        base: changes.base.clone(),
        head: changes.head.clone(),
        files,
        decision_changes,
        records_touched: touched.iter().map(|f| f.path.clone()).collect(),
        errors: adrgraph::lint::errors(&findings),
        findings,
    };
    let mut out = stdout(cli.global.json);
    let format = if cli.global.json { CheckFormat::Json } else { args.format };
    match format {
        CheckFormat::Human => write_human(&mut out, &report, changes)?,
        CheckFormat::Markdown => write_markdown(&mut out, &report)?,
        CheckFormat::Github => write_github(&mut out, &report)?,
        CheckFormat::Json => super::context::write_json(&mut out, &report)?,
        CheckFormat::Sarif => {
            let rules: Vec<adrgraph::lint::Rule> =
                adrgraph::lint::RULES.iter().chain(adrgraph::lint::CHECK_RULES).copied().collect();
            super::context::write_json(&mut out, &output::sarif_with(&report.findings, &rules))?
        }
    }
    out.flush()?;
    let errors = report.errors;
    super::context::exiting((corpus, report));
    Ok(Exit::problems_if(errors > 0))
}

/// A finding of the check itself, on a changed file.
pub(super) fn finding(code: &str, path: &str, line: u32, message: String, help: Option<String>) -> Finding {
    let level = adrgraph::lint::rule(code).map_or(Level::Error, |r| r.level);
    Finding { path: path.to_string(), line, col: 1, code: code.into(), level, message, mark: None, help }
}

/// Stale markers on added lines and changed files that must be governed but are not.
fn check_findings(
    governed: &[ChangedGoverned],
    changes: &Changes,
    stale_markers: bool,
    require: &[String],
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let required = {
        let mut b = globset::GlobSetBuilder::new();
        for g in require {
            let glob = globset::GlobBuilder::new(g.trim_start_matches("./"))
                .literal_separator(true)
                .build()
                .map_err(|e| anyhow::anyhow!("--require-decision `{g}`: {e}"))?;
            b.add(glob);
        }
        b.build()?
    };
    for g in governed {
        if stale_markers {
            for d in &g.decisions {
                stale(&mut out, g, d);
            }
        }
        let live = g
            .decisions
            .iter()
            .any(|d| d.in_force && d.reasons.iter().any(|r| r.change != Some(LineChange::Removed)));
        let deleted = changes.files.iter().any(|f| f.path == g.file && f.new.is_none());
        if !deleted && !live && required.is_match(&g.file) {
            let globs: Vec<&str> = require
                .iter()
                .filter(|r| globset::Glob::new(r).is_ok_and(|x| x.compile_matcher().is_match(&g.file)))
                .map(String::as_str)
                .collect();
            out.push(finding(
                "ungoverned-change",
                &g.file,
                1,
                format!("{} must be governed by a decision in force (it matches `{}`), and none governs it", g.file, globs.join("`, `")),
                Some("record the decision this change rests on, or declare this path in the scope of the one that governs it".into()),
            ));
        }
    }
    Ok(out)
}

/// Markers the change added that name a decision no longer in force.
fn stale(out: &mut Vec<Finding>, g: &ChangedGoverned, d: &Governing) {
    for r in d.reasons.iter().filter(|r| r.kind == ReasonKind::Marker && r.change == Some(LineChange::Added))
    {
        let line = r.line.unwrap_or(1);
        let (named, instead) = match r.via.first() {
            // Passed on from a superseded decision to `d`, which is in force.
            Some(first) if d.in_force => (format!("{first} (superseded)"), Some(d.id.clone())),
            Some(first) => (format!("{first} (superseded)"), None),
            None if matches!(d.status, Status::Deprecated | Status::Rejected | Status::Superseded) => {
                (format!("{} ({})", d.id, d.status), None)
            }
            None => continue,
        };
        let help = match &instead {
            Some(id) => format!("name {id}, the decision in force, instead"),
            None => {
                "no decision in force replaces it: remove the marker or record a new decision".to_string()
            }
        };
        let message = match &instead {
            Some(id) => format!("line {line} names {named}; the decision in force is {id} \"{}\"", d.title),
            None => format!("line {line} names {named}, which is not in force"),
        };
        out.push(finding("superseded-marker", &g.file, line, message, Some(help)));
    }
}

/// Lint's findings on the records the change touches, their paths from the repository's top.
fn touched_findings(
    session: &Session<'_>,
    (corpus, graph): (&adrgraph::Corpus, &adrgraph::DecisionGraph),
    changes: &Changes,
    touched: &[&ChangedFile],
    cfg: &adrgraph::lint::LintConfig,
) -> Result<Vec<Finding>> {
    if touched.is_empty() {
        return Ok(Vec::new());
    }
    let findings = adrgraph::lint::lint(corpus, graph, cfg);
    let cwd = std::env::current_dir()?;
    let wanted: Vec<PathBuf> = touched.iter().map(|f| changes.top.join(&f.path)).collect();
    // Only the findings on touched files are kept, and only their lines read: each path is
    // resolved once (an old tree's debt is thousands of findings in thousands of files).
    let mut kept_as: std::collections::HashMap<String, Option<String>> = Default::default();
    let (mut kept, rels): (Vec<Finding>, Vec<String>) = findings
        .into_iter()
        .filter_map(|f| {
            let rel = kept_as
                .entry(f.path.clone())
                .or_insert_with(|| {
                    let abs = std::fs::canonicalize(cwd.join(&f.path)).ok()?;
                    wanted.contains(&abs).then(|| rel_of(&changes.top, &abs))
                })
                .clone()?;
            Some((f, rel))
        })
        .unzip();
    let max = super::context::ingest_options(session.cli)?.max_file_size;
    let mut lines = adrgraph::ingest::SourceLines::new(max);
    adrgraph::lint::place_columns(&mut kept, &mut |path: &str, line: u32| lines.line(path, line));
    for (f, rel) in kept.iter_mut().zip(rels) {
        f.path = rel;
    }
    Ok(kept)
}

fn rel_of(top: &Path, abs: &Path) -> String {
    abs.strip_prefix(top).unwrap_or(abs).to_string_lossy().replace('\\', "/")
}

/// What the change does to the decisions: each touched record's old and new versions compared.
/// An accepted record's decision text rewritten by the change, with no status change or
/// amendment written in it: its path and the sections' changes.
pub(super) type Rewrite = (String, Vec<DecisionChange>);

/// Changes of an edit distance (in characters, from the words taken out to the words put in)
/// below this are editorial: a typo fixed is not a rewrite. `[lint] editorial_distance` sets it.
pub(super) const DEFAULT_EDITORIAL_DISTANCE: usize = 6;

/// The `changed-after-acceptance` findings: each rewrite beyond the editorial distance.
pub(super) fn rewritten(rewrites: &[Rewrite], distance: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    for (path, edits) in rewrites {
        for e in edits {
            let DecisionChange::Edited { id, section, removed, added } = e else { continue };
            // Characters inserted, removed or replaced to turn the old words into the new.
            if strsim::levenshtein(removed, added) < distance {
                continue;
            }
            out.push(finding(
                "changed-after-acceptance",
                path,
                1,
                format!("the {section} of {id}, accepted, is rewritten: \"{removed}\" becomes \"{added}\""),
                Some("an accepted decision is changed by a new decision that supersedes or amends it, or by a recorded status change".into()),
            ));
        }
    }
    out
}

fn decision_changes(
    corpus: &adrgraph::Corpus,
    changes: &Changes,
    touched: &[&ChangedFile],
    roots: &[PathBuf],
) -> (Vec<DecisionChange>, Vec<Rewrite>) {
    let top = &changes.top;
    // The record at a path of the repository, as the tree reads it now.
    let now = |path: &str| corpus.find_index(path, top).ok().map(|i| &corpus.adrs[i.get()]);
    // An old version, parsed alone, when its file name is a record's.
    let then = |path: &str, bytes: &[u8]| -> Option<Adr> {
        let abs = top.join(path);
        let root = roots.iter().find(|r| abs.starts_with(r))?;
        let rel = rel_of(root, &abs);
        let set = std::collections::BTreeSet::new();
        if adrgraph::ingest::classify(&rel, &set) != adrgraph::ingest::FileClass::Decision {
            return None;
        }
        let mut a = adrgraph::parse::parse_bytes(bytes, path, &rel, Default::default()).adr;
        // The id it has now, when the record is still there.
        if let Some(n) = now(path) {
            a.id = n.id.clone();
        }
        Some(a)
    };
    let resolve = |a: &Adr, l: &adrgraph::Link| -> String {
        let dir = top.join(&a.path).parent().map(Path::to_path_buf).unwrap_or_else(|| top.clone());
        let from_file = dir.join(&l.target);
        if let Ok(i) = corpus.find_index(&from_file.to_string_lossy(), top) {
            return corpus.adrs[i.get()].id.clone();
        }
        match corpus.find_index(&l.target, &dir) {
            Ok(i) => corpus.adrs[i.get()].id.clone(),
            Err(_) => l.text.clone(),
        }
    };
    let (mut all, mut rewrites) = (Vec::new(), Vec::new());
    for f in touched {
        let old_path = f.from.as_deref().unwrap_or(&f.path);
        let old = f.old.as_ref().and_then(|b| then(old_path, b));
        let new = if f.new.is_some() { now(&f.path).cloned() } else { None };
        // Paths as the repository names them, for the record parsed alone too.
        let new = new.map(|mut a| {
            a.path = f.path.clone();
            a
        });
        let old = old.map(|mut a| {
            a.path = old_path.to_string();
            a
        });
        let made = delta::record_changes(old.as_ref(), new.as_ref(), (old_path, &f.path), &resolve);
        // Accepted before and after, no status change and no amendment written by this record:
        // a change to its decision text is a rewrite.
        if let (Some(o), Some(n)) = (&old, &new) {
            let edits = rewrite_of(o, n, &made);
            if !edits.is_empty() {
                rewrites.push((f.path.clone(), edits));
            }
        }
        all.extend(made);
    }
    (delta::dedup(all), rewrites)
}

/// What a change from `old` to `new` rewrote of an accepted decision (accepted before and
/// after, no status change and no amendment among `made`, the changes it recorded): the
/// sections' word changes; empty when it is no rewrite.
pub(super) fn rewrite_of(old: &Adr, new: &Adr, made: &[DecisionChange]) -> Vec<DecisionChange> {
    let recorded = made
        .iter()
        .any(|c| matches!(c, DecisionChange::Status { .. } | DecisionChange::Amends { removed: false, .. }));
    if old.status == Status::Accepted && new.status == Status::Accepted && !recorded {
        delta::text_changes(old, new)
    } else {
        Vec::new()
    }
}

/// Sections for a terminal.
fn write_human(out: &mut dyn Write, r: &Report, changes: &Changes) -> Result<()> {
    writeln!(out, "{}", super::governs::describe(changes, r.files.len()))?;
    for g in &r.files {
        let from = g.from.as_ref().map(|f| format!(" from {}", output::clean(f, false))).unwrap_or_default();
        writeln!(
            out,
            "{} ({}{from})",
            output::clean(&g.file, false),
            format!("{:?}", g.change).to_lowercase()
        )?;
        let fg = adrgraph::governs::FileGoverned { file: g.file.clone(), decisions: g.decisions.clone() };
        super::governs::write_decisions(out, &fg)?;
    }
    if !r.decision_changes.is_empty() {
        writeln!(out, "\nDecision changes:")?;
        for c in &r.decision_changes {
            writeln!(out, "  this change {}", output::clean(&c.sentence(), false))?;
        }
    }
    if r.findings.is_empty() {
        writeln!(out, "\nNo findings on the {} record(s) this change touches.", r.records_touched.len())?;
    } else {
        writeln!(out, "\nFindings:")?;
        for f in &r.findings {
            writeln!(
                out,
                "  {}:{}: {}[{}]: {}",
                output::clean(&f.path, false),
                f.line,
                f.level.as_str(),
                f.code,
                output::clean(&f.message, false)
            )?;
        }
    }
    Ok(())
}

/// Text for a markdown table cell or list item: no line breaks, no table or markup control.
fn md(s: &str) -> String {
    let mut o = String::new();
    for c in output::clean(s, false).chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '~' => {
                o.push('\\');
                o.push(c);
            }
            '\n' | '\r' => o.push(' '),
            _ => o.push(c),
        }
    }
    o
}

/// A code span that no text can end early.
fn code(s: &str) -> String {
    let s = output::clean(s, false).replace(['\n', '\r'], " ");
    let ticks = (1..).map(|n| "`".repeat(n)).find(|t| !s.contains(t.as_str())).unwrap_or_default();
    format!("{ticks} {s} {ticks}").replace('|', "\\|")
}

/// A reason in words: `marker: line 3: ADR-4 (added here, passed on from ADR-2, superseded)`.
fn reason_text(x: &adrgraph::governs::Reason) -> String {
    let mut notes = Vec::new();
    match x.change {
        Some(LineChange::Added) => notes.push("added here".to_string()),
        Some(LineChange::Removed) => notes.push("removed here".to_string()),
        None => {}
    }
    if !x.via.is_empty() {
        notes.push(format!("passed on from {}, superseded", x.via.join(" -> ")));
    }
    let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) };
    format!("{}: {}{notes}", format!("{:?}", x.kind).to_lowercase(), x.detail)
}

/// The pull-request comment.
fn write_markdown(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(out, "<!-- adrgraph check -->\n### Decisions this change touches\n")?;
    let short: String = r.base.commit.chars().take(10).collect();
    writeln!(out, "Compared {} (base {}, {}).\n", code(&r.against), code(&short), md(&r.base.date))?;
    let governed: Vec<&ChangedGoverned> = r.files.iter().filter(|g| !g.decisions.is_empty()).collect();
    if governed.is_empty() {
        writeln!(out, "No decision in force governs the {} changed file(s) of code.\n", r.files.len())?;
    } else {
        writeln!(out, "| Changed file | Governing decision | Why |\n|---|---|---|")?;
        for g in &governed {
            for (k, d) in g.decisions.iter().enumerate() {
                let file = if k == 0 {
                    let from = g.from.as_ref().map(|f| format!(" from {}", code(f))).unwrap_or_default();
                    format!("{} ({}{from})", code(&g.file), format!("{:?}", g.change).to_lowercase())
                } else {
                    String::new()
                };
                let mut why: Vec<String> = d.reasons.iter().map(|x| md(&reason_text(x))).collect();
                why.dedup();
                writeln!(out, "| {file} | **{}** {} | {} |", md(&d.id), md(&d.title), why.join("<br>"))?;
            }
        }
        let rest = r.files.len() - governed.len();
        if rest > 0 {
            writeln!(out, "\n{rest} other changed file(s) of code: no decision in force governs them.")?;
        }
        writeln!(out)?;
    }
    if !r.decision_changes.is_empty() {
        writeln!(out, "#### Decision changes\n")?;
        for c in &r.decision_changes {
            writeln!(out, "- This change {}.", md(&c.sentence()))?;
        }
        writeln!(out)?;
    }
    if r.findings.is_empty() {
        writeln!(out, "No findings on the {} record(s) this change touches.", r.records_touched.len())?;
    } else {
        writeln!(out, "#### Findings ({} error(s))\n", r.errors)?;
        for f in &r.findings {
            writeln!(
                out,
                "- **{}** {}:{} `{}`: {}",
                f.level.as_str(),
                code(&f.path),
                f.line,
                f.code,
                md(&f.message)
            )?;
        }
    }
    Ok(())
}

/// GitHub workflow commands: a notice per governing decision (on the marker's changed line when
/// there is one, else on the file), then the findings.
fn write_github(out: &mut dyn Write, r: &Report) -> Result<()> {
    let mut notices = Vec::new();
    // A deleted file has no line to annotate.
    for g in r.files.iter().filter(|g| g.change != adrgraph::git::ChangeKind::Deleted) {
        for d in &g.decisions {
            let marker = d
                .reasons
                .iter()
                .find(|x| x.kind == ReasonKind::Marker && x.change == Some(LineChange::Added));
            let why = d.reasons.first().map(|x| x.detail.clone()).unwrap_or_default();
            notices.push(Finding {
                path: g.file.clone(),
                line: marker.and_then(|m| m.line).unwrap_or(1),
                col: 1,
                code: format!("governed by {}", d.id),
                level: Level::Note,
                message: format!("{} \"{}\" ({}) governs this file: {why}", d.id, d.title, d.status),
                mark: None,
                help: None,
            });
        }
    }
    output::write_github(out, &notices)?;
    output::write_github(out, &r.findings)?;
    Ok(())
}

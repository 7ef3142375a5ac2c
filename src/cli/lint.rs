//! `adrgraph lint`: the rules over records and graph, in human, JSON, GitHub and SARIF form;
//! `--fix` applies the safe fixes through the audited writer; `--explain` tells what a rule
//! checks.

use super::context::{ingest_options, load_config, stdout, Exit, Session};
use super::held::{kept, salt_of};
use super::{Cli, LintArgs, LintFormat};
use adrgraph::ingest::Corpus;
use adrgraph::output;
use anyhow::Result;
use std::io::Write;

/// Lint the corpus (after `--fix`, what the fixes left, read again); exit 1 on findings at
/// error level. The rules need only the records' outline ([`adrgraph::store::Outline`]);
/// `--fix` and `--history` are given the records whole.
pub fn run(session: &Session<'_>, args: &LintArgs, corpus: &Corpus) -> Result<Exit> {
    use adrgraph::lint as l;
    let cli = session.cli;
    let (config, _) = load_config(cli.global.config.as_deref())?;
    let mut cfg = config.lint_config();
    if let Some(t) = args.today {
        cfg.today = t;
    }
    let graph = super::load::graph_of(session, corpus)?;
    // Source lines, read through the same guarded, capped reader as ingest and counted as the
    // parser counts them (a lone CR ends a line too): for the columns, then for human output.
    let mut lines = adrgraph::ingest::SourceLines::for_tree(&ingest_options(cli)?);
    let mut placed = |mut findings: Vec<l::Finding>| -> Result<Vec<l::Finding>> {
        // The files with findings read first, on several threads (585 files of the rich
        // generated tree of 1,000 decisions, a tenth of the command read one by one).
        lines.read_ahead(findings.iter().map(|f| f.path.as_str()));
        l::place_columns(&mut findings, &mut |path: &str, line: u32| lines.line(path, line));
        Ok(findings)
    };
    let mut asked = only_asked(&args.files)?;
    let mut findings = if args.fix || args.history {
        let mut findings = l::lint(corpus, &graph, &cfg);
        if args.fix {
            let fixed = fix(cli, corpus, &graph, &findings, args.dry_run)?;
            if fixed > 0 {
                // Lint again what the fixes left.
                let fresh = adrgraph::ingest::ingest(&ingest_options(cli)?)?;
                let graph = adrgraph::graph_of(&fresh);
                findings = l::lint(&fresh, &graph, &cfg);
            }
        }
        if args.history {
            if cli.global.at.is_some() {
                anyhow::bail!("lint --history reads the history up to HEAD; it does not combine with --at");
            }
            let code = "changed-after-acceptance";
            let level = cfg.level(code);
            if level != adrgraph::lint::Level::Off {
                let distance =
                    config.lint.editorial_distance.unwrap_or(super::check::DEFAULT_EDITORIAL_DISTANCE);
                for mut f in super::history::rewrites_in_history(corpus, distance)? {
                    f.level = level;
                    findings.push(f);
                }
            }
        }
        let mut findings = placed(findings)?;
        findings.retain(&mut asked);
        findings
    } else {
        // A server keeps the findings of these records under these settings.
        let all = kept(&session.key, "lint", salt_of(&cfg), || placed(l::lint(corpus, &graph, &cfg)))?;
        all.iter().filter(|f| asked(f)).cloned().collect()
    };
    let mut source = |path: &str, line: u32| lines.line(path, line);
    findings.sort();
    let mut out = stdout(cli.global.json);
    let format = if cli.global.json { LintFormat::Json } else { args.format };
    match format {
        LintFormat::Human => output::write_findings(&mut out, &findings, &mut source)?,
        LintFormat::Json => super::context::write_json(&mut out, &output::LintJson::new(&findings))?,
        LintFormat::Github => output::write_github(&mut out, &findings)?,
        LintFormat::Sarif => super::context::write_json(&mut out, &output::sarif(&findings))?,
    }
    out.flush()?;
    Ok(Exit::problems_if(l::errors(&findings) > 0))
}

/// Whether a finding is on one of `files` or below one of them (all when none are given). Each
/// folder of the findings is resolved once and judged once: a file whose name is not one asked
/// is below a path asked exactly when its folder is. A file whose name is one asked (it may be a
/// link to the file) is resolved whole. Consecutive findings on one file are judged once.
fn only_asked(files: &[std::path::PathBuf]) -> Result<impl FnMut(&adrgraph::lint::Finding) -> bool + '_> {
    use std::path::{Path, PathBuf};
    let cwd = std::env::current_dir()?;
    let canon = move |p: &Path| std::fs::canonicalize(cwd.join(p)).ok();
    let wanted: Vec<PathBuf> = files.iter().filter_map(|p| canon(p)).collect();
    let names: Vec<String> =
        wanted.iter().filter_map(|w| w.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
    let below = move |q: &Path| wanted.iter().any(|w| q.starts_with(w));
    // Folder (as the findings write it) -> whether it is at or below a path asked (`None`: it
    // cannot be resolved).
    let mut folders: foldhash::HashMap<String, Option<bool>> = Default::default();
    let mut last: (String, Option<bool>) = (String::new(), None);
    Ok(move |f: &adrgraph::lint::Finding| {
        if files.is_empty() {
            return true;
        }
        if let (path, Some(known)) = &last {
            if *path == f.path {
                return *known;
            }
        }
        // Split as text: parsing each path's components cost more than the rest together.
        let (folder, name) = match f.path.rfind(['/', std::path::MAIN_SEPARATOR]) {
            Some(0) => (&f.path[..1], &f.path[1..]),
            Some(k) => (&f.path[..k], &f.path[k + 1..]),
            None => ("", f.path.as_str()),
        };
        let yes = if name.is_empty() || names.iter().any(|n| n == name) {
            canon(Path::new(&f.path)).is_some_and(|q| below(&q))
        } else {
            let judged = match folders.get(folder) {
                Some(&j) => j,
                None => {
                    let j = canon(Path::new(folder)).map(|dir| below(&dir));
                    folders.insert(folder.to_string(), j);
                    j
                }
            };
            judged.unwrap_or(false)
        };
        last.0.clear();
        last.0.push_str(&f.path);
        last.1 = Some(yes);
        yes
    })
}

/// Apply the safe fixes ([`adrgraph::lint::fixes`]) through the audited writer
/// ([`adrgraph::write::apply`]), printing the diff of each on stderr first (cleaned of terminal
/// controls, like all human output) and what became of it. Returns the number of files changed.
fn fix(
    cli: &Cli,
    corpus: &Corpus,
    graph: &adrgraph::DecisionGraph,
    findings: &[adrgraph::lint::Finding],
    dry_run: bool,
) -> Result<usize> {
    use adrgraph::write::Applied;
    let mut stderr = super::context::stderr();
    let max = ingest_options(cli)?.max_file_size;
    let mut lines = adrgraph::ingest::SourceLines::new(max);
    let mut source = |path: &str, line: u32| lines.line(path, line);
    let (fixes, not_fixed) = adrgraph::lint::fixes(corpus, graph, findings, &mut source);
    for (path, line, why) in &not_fixed {
        writeln!(stderr, "{}:{line}: not fixed: {}", output::clean(path, false), output::clean(why, false))?;
    }
    let mut by_file: std::collections::BTreeMap<&str, Vec<adrgraph::write::Fix>> = Default::default();
    for f in &fixes {
        by_file.entry(f.path.as_str()).or_default().push(f.clone());
    }
    let mut changed = 0;
    for (path, edits) in by_file {
        let shown = output::clean(path, false);
        writeln!(stderr, "--- {shown}\n+++ {shown}")?;
        for e in &edits {
            writeln!(
                stderr,
                "@@ -{} +{} @@\n-{}\n+{}",
                e.line,
                e.line,
                output::clean(&e.old, false),
                output::clean(&e.new, false)
            )?;
        }
        if dry_run {
            continue;
        }
        let Some(adr) = corpus.adrs.iter().find(|a| a.path == path) else { continue };
        let must_be_superseded = |a: &adrgraph::Adr| {
            if a.status == adrgraph::Status::Superseded {
                Ok(())
            } else {
                Err(format!("its status would read `{}`, not superseded", a.status))
            }
        };
        match adrgraph::write::apply(&edits, &adr.rel_path, max, &must_be_superseded) {
            Applied::Written { .. } => changed += 1,
            Applied::Refused { reason, .. } => {
                writeln!(stderr, "{shown}: not fixed: {}", output::clean(&reason, false))?
            }
            Applied::RolledBack { reason, .. } => writeln!(
                stderr,
                "{shown}: written, then put back as it was: {}",
                output::clean(&reason, false)
            )?,
        }
    }
    if dry_run {
        writeln!(stderr, "(dry run: nothing written)")?;
    }
    Ok(changed)
}

/// The rules (no code given), or what one rule checks.
pub fn explain(code: &str) -> Result<Exit> {
    use adrgraph::lint::RULES;
    let mut out = stdout(false);
    if code.is_empty() {
        for r in RULES {
            writeln!(out, "{:<26} {:<8} {}", r.code, r.level.as_str(), r.summary)?;
        }
        return Ok(Exit::Ok);
    }
    match adrgraph::lint::rule(code) {
        Some(r) => {
            writeln!(out, "{} ({} by default): {}\n\n{}", r.code, r.level.as_str(), r.summary, r.explain)?;
            Ok(Exit::Ok)
        }
        None => anyhow::bail!("no rule `{code}`; `adrgraph lint --explain` lists them"),
    }
}

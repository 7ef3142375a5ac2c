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

/// What `lint` keeps in the store for an unchanged tree ([`adrgraph::store::Store::derived`]):
/// every finding, placed, and the source line each quotes.
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    findings: Vec<adrgraph::lint::Finding>,
    lines: Vec<(String, u32, String)>,
}

/// The settings of the rules, from the configuration and `--today`.
fn settings(cli: &Cli, args: &LintArgs) -> Result<adrgraph::lint::LintConfig> {
    let (config, _) = load_config(cli.global.config.as_deref())?;
    let mut cfg = config.lint_config();
    if let Some(t) = args.today {
        cfg.today = t;
    }
    Ok(cfg)
}

/// What kept findings depend on besides the records (which the store's generation names): the
/// rules' settings (the date among them), the folder the paths are written from, the largest
/// file read for quotes, and the program (a rule changed by a new build must not be answered
/// from an old one's findings). `None` where nothing is kept: a server (which keeps its own in
/// memory) and a past revision.
fn kept_salt(session: &Session<'_>, cfg: &adrgraph::lint::LintConfig) -> Result<Option<u64>> {
    if session.key.holds() || super::context::at_source().is_some() || session.store.dir().is_none() {
        return Ok(None);
    }
    let program = std::env::current_exe().and_then(std::fs::metadata).map(|m| (m.len(), m.modified().ok()));
    let what = (cfg, std::env::current_dir()?, ingest_options(session.cli)?.max_file_size, program.ok());
    Ok(Some(salt_of(&what)))
}

/// `lint` (not `--fix`, not `--history`) on a command line run: the findings kept in the store
/// for these records and settings when there are, else the rules run on the outline (their
/// findings then kept). A server lints the outline and keeps the findings in memory.
pub fn run_outlined(session: &mut Session<'_>, args: &LintArgs) -> Result<Exit> {
    let cfg = settings(session.cli, args)?;
    let salt = kept_salt(session, &cfg)?;
    if let Some(k) = salt.and_then(|salt| session.store.derived::<Kept>("lint", salt)) {
        let lines: std::collections::HashMap<(&str, u32), std::sync::Arc<str>> =
            k.lines.iter().map(|(p, n, t)| ((p.as_str(), *n), std::sync::Arc::from(t.as_str()))).collect();
        let mut asked = only_asked(&args.files)?;
        let findings: Vec<adrgraph::lint::Finding> =
            k.findings.iter().filter(|f| asked(f)).cloned().collect();
        return write(session.cli, args, findings, &mut |path: &str, line: u32| {
            lines.get(&(path, line)).cloned()
        });
    }
    let view = super::load::outline(session)?;
    let exit = run_with(session, args, view.as_corpus(), salt);
    super::context::exiting(view);
    exit
}

/// Lint the corpus (after `--fix`, what the fixes left, read again); exit 1 on findings at
/// error level. The rules need only the records' outline ([`adrgraph::store::Outline`]);
/// `--fix` and `--history` are given the records whole.
pub fn run(session: &Session<'_>, args: &LintArgs, corpus: &Corpus) -> Result<Exit> {
    run_with(session, args, corpus, None)
}

/// [`run`], the findings kept in the store under `salt` when given ([`kept_salt`]).
fn run_with(session: &Session<'_>, args: &LintArgs, corpus: &Corpus, salt: Option<u64>) -> Result<Exit> {
    use adrgraph::lint as l;
    let cli = session.cli;
    let (config, _) = load_config(cli.global.config.as_deref())?;
    let cfg = settings(cli, args)?;
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
    let findings = if args.fix || args.history {
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
        if let Some(salt) = salt {
            let mut quoted: Vec<(String, u32, String)> = all
                .iter()
                .filter_map(|f| Some((f.path.clone(), f.line, lines.line(&f.path, f.line)?.to_string())))
                .collect();
            quoted.dedup();
            session.store.keep_derived("lint", salt, &Kept { findings: all.to_vec(), lines: quoted });
        }
        all.iter().filter(|f| asked(f)).cloned().collect()
    };
    write(cli, args, findings, &mut |path: &str, line: u32| lines.line(path, line))
}

/// Write the findings in the format asked, sorted; exit 1 on findings at error level.
fn write(
    cli: &Cli,
    args: &LintArgs,
    mut findings: Vec<adrgraph::lint::Finding>,
    source: &mut dyn FnMut(&str, u32) -> Option<std::sync::Arc<str>>,
) -> Result<Exit> {
    use adrgraph::lint as l;
    findings.sort();
    let mut out = stdout(cli.global.json);
    let format = if cli.global.json { LintFormat::Json } else { args.format };
    match format {
        LintFormat::Human => output::write_findings(&mut out, &findings, source)?,
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

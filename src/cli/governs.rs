//! `adrgraph governs`: the decisions that govern files of code, with their reasons.

use super::context::{load_config, report, stdout, Exit, Session};
use super::GovernsArgs;
use adrgraph::governs::{self, CodeFile, GovernsOptions};
use adrgraph::output;
use adrgraph::store::Records;
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Most files read below the folders given.
const MAX_FILES: usize = 20_000;

/// Answer for the files (and every file below the folders) given.
pub fn run(session: &Session<'_>, args: &GovernsArgs, records: &Records) -> Result<Exit> {
    let cli = session.cli;
    let corpus = records.corpus();
    let cwd = std::env::current_dir()?;
    let top = adrgraph::ingest::repository_top(&cwd).unwrap_or_else(|| cwd.clone());
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let roots: Vec<PathBuf> =
        corpus.abs_roots.iter().map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone())).collect();
    let max = super::context::ingest_options(cli)?.max_file_size;
    // The files first, by name only: the cap refuses before anything is read.
    let mut found: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut skipped_adrs = 0;
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
        for f in files_under(p) {
            let abs = std::fs::canonicalize(&f).unwrap_or_else(|_| cwd.join(&f));
            if roots.iter().any(|r| abs.starts_with(r)) {
                skipped_adrs += 1;
                continue;
            }
            found.push((f, abs));
            if found.len() > MAX_FILES {
                bail!("more than {MAX_FILES} files under the paths given: name fewer");
            }
        }
    }
    if skipped_adrs > 0 && !cli.global.quiet {
        eprintln!("note: {skipped_adrs} file(s) of the decision tree left out: ADR files are not code (`adrgraph lint` checks them)");
    }
    let (config, _) = load_config(cli.global.config.as_deref())?;
    let opts = GovernsOptions {
        all: args.all,
        table: config.governs.into_iter().collect(),
        cwd: cwd.clone(),
        top: Some(top.clone()),
    };
    let graph = adrgraph::graph_of(corpus);
    // Each file as scopes see it: from the repository's top, or its absolute path outside it
    // (which no declared scope matches).
    let rels: Vec<String> = found
        .iter()
        .map(|(_, abs)| match abs.strip_prefix(&top) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => abs.to_string_lossy().replace('\\', "/"),
        })
        .collect();
    let governor = governs::Governor::for_files(corpus, &graph, &opts, rels.iter().map(String::as_str));
    // One file's text at a time on each thread, through the guarded reader. Answers keep the
    // files' order.
    let answers: Vec<governs::FileGoverned> = found
        .par_iter()
        .zip(rels)
        .map(|((f, abs), rel)| {
            let text = adrgraph::ingest::read_guarded(abs, max)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            governor.answer(&CodeFile { path: f.to_string_lossy().replace('\\', "/"), rel, text })
        })
        .collect();
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        output::write_json(&mut out, &answers)?;
    } else {
        for a in &answers {
            writeln!(out, "{}", output::clean(&a.file, false))?;
            if a.decisions.is_empty() {
                writeln!(out, "  no decision governs it")?;
            }
            for d in &a.decisions {
                let force = if d.in_force { ", in force" } else { "" };
                let style = output::status_style(d.status);
                writeln!(
                    out,
                    "  {} {style}({}{force}){style:#} {}",
                    d.id,
                    d.status,
                    output::clean(&d.title, false)
                )?;
                for r in &d.reasons {
                    let via = if r.via.is_empty() {
                        String::new()
                    } else {
                        format!(" (passed on from {}, superseded)", r.via.join(" -> "))
                    };
                    writeln!(
                        out,
                        "    {:<8} {}{via}",
                        format!("{:?}", r.kind).to_lowercase(),
                        output::clean(&r.detail, false)
                    )?;
                }
            }
        }
    }
    out.flush()?;
    report(cli, corpus)
}

/// The file itself, or every file below a folder (hidden and ignored ones left out, as git
/// would), in path order.
fn files_under(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(p)
        .follow_links(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        // One past the cap is enough to refuse: `governs /usr` does not walk all of it.
        .take(MAX_FILES + 1)
        .collect();
    out.sort();
    out
}

//! `adrgraph serve` and `adrgraph site`: the web view of the library's `web` stage, given the
//! same roots, store and lint settings as every other command.

use super::context::{ingest_options, load_config, stdout, store_options, Exit, Session};
use super::{Cli, ServeArgs, SiteArgs};
use adrgraph::web::{self, ServeOptions, Source};
use anyhow::{bail, Context, Result};
use std::io::Write;

/// What the web view reads: this command line's roots, store and lint settings.
fn source(cli: &Cli) -> Result<Source> {
    let (config, _) = load_config(cli.global.config.as_deref())?;
    Ok(Source {
        ingest: ingest_options(cli)?,
        store: store_options(cli, false),
        lint: config.lint_config(),
        working_dir: std::env::current_dir()?,
        history_from: super::context::at_tree().map(|t| t.revision.commit.clone()),
        revision: super::context::at_tree().map(|t| revision_of(&t.revision)),
    })
}

/// A revision as the web view names it: its commit (the address of its pages, so its `spec`
/// is the commit too: one reading answers every name of it), date and subject.
fn revision_of(r: &adrgraph::git::Revision) -> web::Revision {
    let r = adrgraph::git::Revision { spec: r.commit.clone(), ..r.clone() };
    web::Revision {
        commit: r.commit.clone(),
        label: format!("{} ({}, \"{}\")", &r.commit[..10.min(r.commit.len())], r.date, r.subject),
        json: serde_json::to_value(&r).unwrap_or_default(),
    }
}

/// How `serve` reads the tree at a past revision (`?at=REV`): as `site --at REV` reads it, from
/// the revision's git objects and a store of its own; `adrgraph.toml` as the revision has it.
fn past_reader(cli: &Cli) -> Result<web::PastReader> {
    let global = cli.global.clone();
    let cwd = std::env::current_dir()?;
    Ok(std::sync::Arc::new(move |spec: &str| {
        let mut asked = <Cli as clap::Parser>::try_parse_from(["adrgraph", "site", "-o", "-"])
            .map_err(|e| e.to_string())?;
        asked.global = super::GlobalArgs { at: Some(spec.to_string()), quiet: true, ..global.clone() };
        let tree = adrgraph::git::RevisionTree::open(&cwd, spec).map_err(|e| e.to_string())?;
        super::context::new_command();
        super::context::answering_at(&asked, std::sync::Arc::new(tree), || source(&asked))
            .map_err(|e| e.to_string())
    }))
}

/// Serve until Ctrl-C.
pub fn serve(session: Session<'_>, args: &ServeArgs) -> Result<Exit> {
    let cli = session.cli;
    let source = source(cli)?;
    // The store is read again by the server (refreshed, so nothing is parsed twice).
    drop(session);
    if !args.bind.is_loopback() && !cli.global.quiet {
        eprintln!("warning: listening on {}: every decision is visible to your network", args.bind);
    }
    let opts = ServeOptions {
        bind: args.bind,
        port: args.port,
        source,
        watch: !args.no_watch,
        allowed_hosts: args.allow_host.clone(),
        past: Some(past_reader(cli)?),
    };
    let quiet = cli.global.quiet;
    let json = cli.global.json;
    let open = args.open;
    web::serve(
        &opts,
        |addr, snap| {
            let url = format!("http://{addr}/");
            let mut out = stdout(json);
            let _ = if json {
                let v = serde_json::json!({ "url": url, "decisions": snap.corpus.adrs.len() });
                super::context::write_json(&mut out, &v)
            } else {
                writeln!(
                    out,
                    "adrgraph: serving {} decisions at {url} (Ctrl-C stops)",
                    snap.corpus.adrs.len()
                )
            };
            let _ = out.flush();
            if open {
                if let Err(e) = open::that(&url) {
                    eprintln!("warning: cannot open a browser ({e}); open {url}");
                }
            }
        },
        if quiet { |_| {} } else { said },
    )?;
    Ok(Exit::Ok)
}

/// What a refresh of the watched tree gave, on stderr.
fn said(r: Result<usize, String>) {
    match r {
        Ok(n) => eprintln!("adrgraph: the tree changed; {n} decisions, open pages reloaded"),
        Err(e) => eprintln!("warning: cannot read the tree again ({e}); still serving the last reading"),
    }
}

/// `p` with its longest existing part resolved (symbolic links followed, `..` taken) and the
/// rest, which does not exist yet, appended with `..` and `.` taken lexically.
fn resolved(p: &std::path::Path) -> std::path::PathBuf {
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    let mut base = p.to_path_buf();
    loop {
        if let Ok(real) = std::fs::canonicalize(&base) {
            let mut out = real;
            for c in rest.iter().rev() {
                match c.to_str() {
                    Some("..") => {
                        out.pop();
                    }
                    Some(".") => {}
                    _ => out.push(c),
                }
            }
            return out;
        }
        match (base.file_name().map(|n| n.to_os_string()), base.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                base = parent.to_path_buf();
            }
            _ => {
                // `x/..` whose `x` does not exist: take the last part as written.
                let last = base.components().next_back().map(|c| c.as_os_str().to_os_string());
                match (last, base.parent()) {
                    (Some(l), Some(parent)) => {
                        rest.push(l);
                        base = parent.to_path_buf();
                    }
                    _ => return p.to_path_buf(),
                }
            }
        }
    }
}

/// Write the static site.
pub fn site(session: Session<'_>, args: &SiteArgs) -> Result<Exit> {
    let cli = session.cli;
    let source = source(cli)?;
    drop(session);
    let out = &args.output;
    let abs_out = std::path::absolute(out).context("cannot read the current directory")?;
    // Both compared after resolving: `-o x/../adr/site`, or a root given through a symbolic
    // link, name the tree all the same.
    let probe = resolved(&abs_out);
    for root in &source.ingest.roots {
        let abs_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        if probe.starts_with(&abs_root) {
            bail!(
                "{} is inside the decision tree {}: write the site somewhere else",
                out.display(),
                root.display()
            );
        }
    }
    let snap = web::Snapshot::read(&source, 1)?;
    if snap.corpus.adrs.is_empty() {
        bail!("no decision records under {}: nothing to publish", snap.corpus.roots.join(", "));
    }
    let report = web::write_site(&snap, out)
        .with_context(|| format!("cannot write the site into {}", out.display()))?;
    let mut w = stdout(cli.global.json);
    if cli.global.json {
        super::context::write_json(&mut w, &report)?;
    } else {
        writeln!(
            w,
            "wrote {} files ({:.1} MB; {} decision pages, index.html {:.0} KB, search index {:.0} KB) to {}",
            report.files,
            report.bytes as f64 / 1e6,
            report.decisions,
            report.index_bytes as f64 / 1e3,
            report.search_index_bytes as f64 / 1e3,
            out.display()
        )?;
        if !cli.global.quiet {
            eprintln!(
                "open {} in a browser, or publish the folder on any static host",
                out.join("index.html").display()
            );
        }
    }
    w.flush()?;
    Ok(Exit::Ok)
}

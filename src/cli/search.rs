//! `adrgraph search` and `adrgraph index`: the full-text index, brought up to date with the
//! records (the records are read only if the index is behind), and the ranked hits.

use super::context::{answer, exiting, stdout, Exit, Session};
use super::{Cli, SearchArgs};
use adrgraph::output;
use adrgraph::search::{SearchIndex, SearchOptions};
use adrgraph::store::Store;
use anyhow::Result;
use std::io::Write;

/// Search. When the store cannot take the index (a full disk, a read-only folder), the answer
/// comes from an index built in memory, and a warning says so. A search that panics inside
/// tantivy, or finds its data corrupt (a damaged segment the reader did not notice), is
/// answered again from a rebuilt index.
pub fn run(session: &mut Session<'_>, args: &SearchArgs) -> Result<Exit> {
    let cli = session.cli;
    // A server keeps the index open while the records are the same.
    let index = super::held::kept(&session.key, "index", 0, || Ok(session.store.sync_index_or_memory()?))?;
    session.warn();
    if index.is_empty() {
        return Err(session.nothing_to_read());
    }
    let answered = match adrgraph::search::quietly(|| search(cli, args, &index)) {
        Ok(Err(e)) if e.to_string().contains("orrupt") => {
            let index = session.store.rebuild_index(&e.to_string())?;
            session.warn();
            search(cli, args, &index)
        }
        Ok(a) => a,
        Err(panic) => {
            let index = session.store.rebuild_index(&panic)?;
            session.warn();
            search(cli, args, &index)
        }
    };
    // Unmapping the index's files one by one took a tenth of a search's time.
    exiting(index);
    answered
}

/// `index`: refresh the store and its full-text index, and say what that did. The index's own
/// error names the cause best (a full disk); else the store's.
pub fn index(mut session: Session<'_>) -> Result<Exit> {
    let cli = session.cli;
    let index = session.store.sync_index()?;
    if let Some(why) = session.store.unwritten() {
        anyhow::bail!("{why}");
    }
    if session.store.decisions()? == 0 {
        return Err(session.nothing_to_read());
    }
    session.warn();
    let reported = report_index(cli, &mut session.store, &index);
    // A refreshed store holds 100,000 paths: freeing them one by one is not worth waiting for.
    exiting((session, index));
    reported
}

fn search(cli: &Cli, args: &SearchArgs, index: &SearchIndex) -> Result<Exit> {
    let opts = SearchOptions {
        statuses: args.status.clone(),
        since: args.since,
        until: args.until,
        decider: args.decider.clone(),
        tag: args.tag.clone(),
        folder: args.folder.clone(),
        limit: Some(args.limit),
    };
    let query = args.query.join(" ");
    let result = index.search(&query, &opts)?;
    answer(cli, &result, |out| output::write_hits(out, &result))?;
    // No hit is an answer too (exit 0, as for every question); the message says it on stderr.
    if result.hits.is_empty() && !cli.global.json && !cli.global.quiet {
        say!("no decision matches `{}`", args.query.join(" "));
    }
    Ok(Exit::Ok)
}

fn report_index(cli: &Cli, store: &mut Store, index: &SearchIndex) -> Result<Exit> {
    let decisions = store.decisions()?;
    let r = &store.report;
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        #[derive(serde::Serialize)]
        struct IndexJson<'a> {
            #[serde(flatten)]
            report: &'a adrgraph::store::RefreshReport,
            decisions: usize,
            documents: u64,
        }
        super::context::write_json(&mut out, &IndexJson { report: r, decisions, documents: index.len() })?;
    } else {
        writeln!(
            out,
            "{} decisions; parsed {}, reused {}, removed {}; full-text index: {} added or updated, {} removed, {} documents",
            decisions,
            r.parsed,
            r.reused,
            r.removed,
            r.indexed,
            r.unindexed,
            index.len()
        )?;
        if let Some(dir) = store.dir() {
            writeln!(out, "store: {}", dir.display())?;
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}

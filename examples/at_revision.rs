//! Reading the past: "which decisions did this log hold at that commit?"
//!
//! `git::RevisionSource` reads a git revision's ADR roots straight from the repository's
//! objects (nothing checked out, nothing written) and is an `ingest::FileSource`: set it on
//! `IngestOptions::source` and the same ingest that reads the work tree reads the revision
//! instead, with the same paths, ids and diagnostics. `adrgraph --at REV` is built on it.
//!
//! Run it with `cargo run --example at_revision` in a checkout of adrgraph: it reads `data/` as
//! the work tree has it, then as `HEAD` and `HEAD~1` have it (the same, unless `data/` changed).

use adrgraph::git::RevisionSource;
use adrgraph::ingest::{ingest, IngestOptions};
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cwd = std::env::current_dir()?;
    let now = ingest(&IngestOptions::new(["data"]))?;
    println!("work tree: {} decisions in data/", now.adrs.len());

    for rev in ["HEAD", "HEAD~1"] {
        // A revision that does not exist (a shallow clone of one commit) is an error that
        // names it; the example says so and goes on.
        let source = match RevisionSource::open(&cwd, rev, &["data".into()]) {
            Ok(s) => s,
            Err(e) => {
                println!("{rev}: {e}");
                continue;
            }
        };
        let at = source.revision.clone();
        let mut opts = IngestOptions::new(["data"]);
        opts.source = Some(Arc::new(source));
        let then = ingest(&opts)?;
        println!(
            "{rev} = {} ({}, \"{}\"): {} decisions; first: {}",
            &at.commit[..10],
            at.date,
            at.subject,
            then.adrs.len(),
            then.adrs.first().map_or("-", |a| a.id.as_str())
        );
    }
    Ok(())
}

//! Reading a change: "what did this pull request do to the decisions, and which of them govern
//! the code it touched?"
//!
//! Three parts of the library answer it, and `adrgraph check` is their composition:
//!
//! 1. `git::changes` reads a change from a git repository with gitoxide: the files that differ
//!    between a revision and the work tree (or two revisions, or `HEAD` and the index), each
//!    with both texts and the line ranges added and removed. Nothing is written.
//! 2. `delta::record_changes` compares a record's old and new versions: status changed,
//!    supersessions and amendments written, records added, removed, moved.
//! 3. `governs::mark_change` marks which markers in a changed file of code sit on lines the
//!    change added or removed.
//!
//! Run it with `cargo run --example changes`. It edits nothing: the record's "new version" is
//! made in memory from `data/`, and the git part reads this checkout as it is.

use adrgraph::delta::{self, DecisionChange};
use adrgraph::git::{self, Against};
use adrgraph::governs::{self, CodeFile, GovernsOptions};
use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::parse::parse_adr;

fn main() -> Result<(), adrgraph::Error> {
    // 1. The records' change, from two texts: ADR-008 of data/platform marked superseded, and a
    //    new record that supersedes it.
    let path = "data/platform/ADR-008-transactional-outbox-for-event-publishing.md";
    let old_text = std::fs::read_to_string(path).expect("data/ is there");
    let new_text = old_text.replace(
        "**Status:** Accepted",
        "**Status:** Superseded by [ADR-011](./ADR-011-change-data-capture.md)",
    );
    let rel = "ADR-008-transactional-outbox-for-event-publishing.md";
    let old = parse_adr(&old_text, path, rel).adr;
    let new = parse_adr(&new_text, path, rel).adr;
    let added = parse_adr(
        "# ADR-011: Change data capture\n\n**Status:** Accepted\n\n**Supersedes:** [ADR-008](./ADR-008-transactional-outbox-for-event-publishing.md)\n",
        "data/platform/ADR-011-change-data-capture.md",
        "ADR-011-change-data-capture.md",
    )
    .adr;
    // Links are named by the decision they point at; here, by the target's file stem.
    let resolve = |_: &adrgraph::Adr, l: &adrgraph::Link| {
        l.target.trim_start_matches("./").trim_end_matches(".md").to_string()
    };
    let mut all: Vec<DecisionChange> = delta::record_changes(Some(&old), Some(&new), (path, path), &resolve);
    let new_path = "data/platform/ADR-011-change-data-capture.md";
    all.extend(delta::record_changes(None, Some(&added), (new_path, new_path), &resolve));
    println!("What the change does to the decisions:");
    for c in delta::dedup(all) {
        // Both records say it (Supersedes and Superseded by): one change.
        println!("  this change {}", c.sentence());
    }

    // 2. A changed file of code: a marker added on line 3, the marker on line 1 only present.
    let corpus = ingest(&IngestOptions::new(["data"]))?;
    let graph = adrgraph::graph_of(&corpus);
    let opts = GovernsOptions::default();
    let code = "// Implements ADR-008: publish through the outbox table.\npub fn relay() {}\n// ADR-0006: runs on EKS\n";
    let file = CodeFile {
        path: "src/events/outbox.rs".into(),
        rel: "src/events/outbox.rs".into(),
        text: Some(code.into()),
    };
    let mut answer = governs::governs(&corpus, &graph, std::slice::from_ref(&file), &opts).remove(0);
    governs::mark_change(&mut answer, None, &|line| line == 3, &|_| false);
    println!("\nWho governs {} after the change:", answer.file);
    for d in answer.decisions.iter().take(4) {
        let r = &d.reasons[0];
        let change = r.change.map(|c| format!(" ({c:?} here)").to_lowercase()).unwrap_or_default();
        println!("  {} ({}): {}{change}", d.id, d.status, r.detail);
    }

    // 3. This checkout's own uncommitted change to data/, read from git (none in a clean clone).
    match git::changes(std::path::Path::new("data"), &Against::parse("HEAD")) {
        Ok(changes) => {
            let in_data = changes.files.iter().filter(|f| f.path.starts_with("data/")).count();
            println!(
                "\nThis checkout against HEAD ({} {}): {} changed file(s), {in_data} of them in data/",
                &changes.base.commit[..10.min(changes.base.commit.len())],
                changes.base.subject,
                changes.files.len()
            );
        }
        Err(e) => println!("\nNo git change to read here: {e}"),
    }
    Ok(())
}

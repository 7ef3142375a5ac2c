//! Ingest a whole tree of ADRs, in parallel, whatever dialects it mixes.
//!
//! `ingest` walks each root (respecting `.gitignore`, never following symbolic links out of the
//! tree), skips what is not a decision (README, index, templates, non-markdown records) with a
//! reason, parses the rest with rayon, and returns them in path order: the same tree always gives
//! the same output. Ids are unique across folders even where numbers restart.
//!
//! Run it with `cargo run --example ingest_tree [ROOT...]`; with no argument it reads `data/`.

use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::stats::Stats;
use adrgraph::Status;

fn main() {
    let roots: Vec<String> = std::env::args().skip(1).collect();
    let roots = if roots.is_empty() { vec!["data".to_string()] } else { roots };
    let corpus = ingest(&IngestOptions::new(&roots)).expect("every root is a folder");

    // Every file seen is either a decision or skipped with a reason.
    println!(
        "{} files: {} decisions, {} skipped",
        corpus.files_seen,
        corpus.adrs.len(),
        corpus.skipped.len()
    );
    for s in &corpus.skipped {
        println!("  skipped {} ({})", s.path, s.reason.as_str());
    }

    // Numbers restart in each folder of data/, so "1" names four decisions; ids stay unique.
    let ones: Vec<&str> = corpus.adrs.iter().filter(|a| a.number == Some(1)).map(|a| a.id.as_str()).collect();
    println!("decisions numbered 1: {}", ones.join(", "));

    // A decision can be looked up the way a user names it on the command line.
    let cwd = std::env::current_dir().expect("current directory");
    if let Ok(adr) = corpus.find("platform/7", &cwd) {
        println!("platform/7 is {} ({}), status {}", adr.id, adr.display_title(), adr.status);
    }

    // What is in force now: accepted decisions, by folder.
    let accepted = corpus.adrs.iter().filter(|a| a.status == Status::Accepted).count();
    println!("{accepted} decisions accepted");

    // The same figures `adrgraph stats` prints.
    let stats = Stats::of(&corpus);
    println!("dialects: {:?}", stats.by_dialect);
    println!("with options: {} of {}", stats.fields["options"], stats.decisions);
    println!("diagnostics: {}", stats.diagnostics);
    assert_eq!(corpus.files_seen, corpus.adrs.len() + corpus.skipped.len());
}

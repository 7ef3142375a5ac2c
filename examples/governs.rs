//! Which decisions govern a file of code, and why: `governs::governs` over the records of
//! `data/`, for files that exist only in memory here.
//!
//! Three kinds of reason, strongest first: a declared scope (front matter `affects:` and its
//! spellings, or the `[governs]` table of `adrgraph.toml`, passed in as `GovernsOptions::table`),
//! a marker in the file (`// ADR-008`), and mentions (the decision's text names the file, a
//! folder of it, or its module). A superseded decision's reasons pass to the decision in force.
//!
//! Run it with `cargo run --example governs`; it reads `data/` and writes nothing.

use adrgraph::governs::{governs, CodeFile, GovernsOptions};
use adrgraph::ingest::{ingest, IngestOptions};

fn main() {
    let corpus = ingest(&IngestOptions::new(["data"])).expect("data/ exists");
    let graph = adrgraph::graph_of(&corpus);
    let file =
        |rel: &str, text: &str| CodeFile { path: rel.into(), rel: rel.into(), text: Some(text.into()) };
    let files = [
        // A marker naming the outbox decision, in a module its text names too.
        file("src/events/outbox.rs", "// Implements ADR-008.\npub fn relay() {}\n"),
        // A marker naming the Nomad record, which Kubernetes superseded.
        file("deploy/nomad.hcl", "# as decided in 0004-run-services-on-nomad.md\n"),
        // A scope declared in the configuration's table.
        file("src/billing/money.rs", "pub struct Money(i64);\n"),
    ];
    let opts = GovernsOptions {
        all: false,
        table: vec![("src/billing/**".into(), vec!["0002-store-money-as-integer-minor-units".into()])],
        cwd: std::env::current_dir().expect("current directory"),
        // The records' links to code are read from the repository's top: here, this folder.
        top: std::fs::canonicalize(".").ok(),
    };
    for answer in governs(&corpus, &graph, &files, &opts) {
        println!("{}", answer.file);
        for d in &answer.decisions {
            println!("  {} ({}{})", d.id, d.status, if d.in_force { ", in force" } else { "" });
            for r in &d.reasons {
                let via =
                    if r.via.is_empty() { String::new() } else { format!(" (from {})", r.via.join(", ")) };
                println!("    {:?} {}: {}{via}", r.kind, r.strength, r.detail);
            }
        }
    }
}

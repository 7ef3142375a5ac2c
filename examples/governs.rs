//! Which decisions govern a file of code, and why: `governs::governs` over the records of
//! `data/`, for files that exist only in memory here.
//!
//! Three kinds of reason, strongest first: a declared scope (front matter `affects:` and its
//! spellings, or the `[governs]` table of `adrgraph.toml`, passed in as `GovernsOptions::table`),
//! a marker in the file (`// ADR-008`), and mentions (the decision's text names the file, a
//! folder of it, or its module). A superseded decision's reasons pass to the decision in force.
//!
//! Mentions are found by reading the records' texts, or, without reading them, by asking a
//! full-text index which records name each path, folder and module name of the files
//! (`governs::names_to_look_up`, `SearchIndex::records_naming`, `Governor::for_files_mentioned`):
//! the index keeps those names whole (`governs::kept_names`), so the answers are the same.
//!
//! Run it with `cargo run --example governs`; it reads `data/` and writes nothing.

use adrgraph::governs::{governs, names_to_look_up, CodeFile, Governor, GovernsOptions, Mentions};
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

    // The same mentions from an index: which records name each name of the files, exactly.
    let index = adrgraph::search::index_in_memory(&corpus).expect("an index in memory");
    let rels = files.iter().map(|f| f.rel.as_str());
    let (paths, modules) = names_to_look_up(rels.clone()).expect("every name is one an index keeps");
    let (by_path, by_module) = index.records_naming(&paths, &modules).expect("the index reads");
    let place = |path: &str| corpus.adrs.iter().position(|a| a.path == path).expect("a record of the tree");
    let mut mentions = Mentions::default();
    for (name, records) in paths.iter().zip(&by_path).chain(modules.iter().zip(&by_module)) {
        if !records.is_empty() {
            println!("named by {} record(s): {name}", records.len());
        }
    }
    for (name, records) in paths.iter().zip(&by_path) {
        records.iter().for_each(|r| mentions.path(name, place(r)));
    }
    for (name, records) in modules.iter().zip(&by_module) {
        records.iter().for_each(|r| mentions.module(name, place(r)));
    }
    let governor = Governor::for_files_mentioned(&corpus, &graph, &opts, rels, mentions, None);
    let from_texts = governs(&corpus, &graph, &files, &opts);
    for (f, read) in files.iter().zip(&from_texts) {
        let answer = governor.answer(f);
        let ids = |a: &adrgraph::governs::FileGoverned| {
            a.decisions.iter().map(|d| d.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(&answer), ids(read), "the index and the texts agree on {}", f.rel);
        println!("{}: {} decision(s), with no text read", f.rel, answer.decisions.len());
    }
}

//! Full-text search: "what did we decide about Kafka?".
//!
//! adrgraph indexes every record with tantivy: title (boosted), every section, the considered
//! options, the people and the tags, with English stemming and accent folding. Here the index
//! lives in memory; the `adrgraph` command keeps it in a store that it refreshes incrementally
//! (`adrgraph::store::Store`), which this example also shows, in a temporary folder.
//!
//! Run it with `cargo run --example search`; it reads `data/`.

use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::search::{index_in_memory, SearchOptions};
use adrgraph::store::{Store, StoreOptions};
use adrgraph::Status;

fn main() {
    let corpus = ingest(&IngestOptions::new(["data"])).expect("data/ exists");
    let index = index_in_memory(&corpus).expect("index built");
    println!("indexed {} decisions", index.len());

    // 1. A plain question. Kafka was an option of the event bus decision, not the choice.
    let r = index.search("kafka", &SearchOptions::default()).expect("valid query");
    for h in &r.hits {
        println!("kafka -> {} [{}] score {:.1}: ...{}...", h.title, h.status, h.score, h.snippet);
    }

    // 2. A phrase, limited to superseded decisions: each names the decision in force now.
    let opts = SearchOptions { statuses: vec![Status::Superseded], ..SearchOptions::default() };
    let r = index.search("\"event payloads\" OR registry", &opts).expect("valid query");
    for h in &r.hits {
        println!("superseded: {} -> in force now: {}", h.title, h.in_force.join(", "));
    }

    // 3. Filters: decisions Priya took part in since March 2026, in the billing folder.
    let opts = SearchOptions {
        decider: Some("Priya".into()),
        since: adrgraph::Date::from_ymd_opt(2026, 3, 1),
        folder: Some("services/billing".into()),
        ..SearchOptions::default()
    };
    let r = index.search("stripe OR invoice", &opts).expect("valid query");
    println!(
        "{} billing decisions by Priya since March: {:?}",
        r.total,
        r.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
    );

    // 4. The persistent store: the first open parses everything, the second parses nothing.
    let dir = tempfile::tempdir().expect("temporary folder");
    let store_opts = StoreOptions { dir: Some(dir.path().to_path_buf()), ..StoreOptions::default() };
    let first = Store::open(&IngestOptions::new(["data"]), &store_opts, &|_| {}).expect("store");
    let second = Store::open(&IngestOptions::new(["data"]), &store_opts, &|_| {}).expect("store");
    println!(
        "store: first open parsed {} files, second parsed {} and reused {}",
        first.report.parsed, second.report.parsed, second.report.reused
    );
    assert_eq!(second.report.parsed, 0);
}

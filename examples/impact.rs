//! Impact analysis: "if we replace the event bus decision, what else is affected?", and "what is
//! the decision in force now?".
//!
//! After ingesting a tree, `graph_of` builds the knowledge graph: every link between decisions
//! is resolved (relative paths, repository URLs, numbers such as `ADR-006`, slugs) into a typed
//! edge. The `query` module then walks it.
//!
//! Run it with `cargo run --example impact`; it reads `data/`.

use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::{graph_of, query, Status};

fn main() {
    let corpus = ingest(&IngestOptions::new(["data"])).expect("data/ exists");
    let graph = graph_of(&corpus);
    let cwd = std::env::current_dir().expect("current directory");

    // 1. Everything that rests on ADR-001 (NATS as the event bus), with the links that explain
    //    why. Decisions in force come first.
    let nats = corpus.find_index("platform/1", &cwd).expect("ADR-001 exists");
    let impact = query::impact(&graph, &corpus.adrs, nats, None);
    println!("Replacing {} affects {} decisions:", impact.start, impact.reached.len());
    for r in impact.reached.iter().filter(|r| r.status == Status::Accepted) {
        let why: Vec<String> =
            r.via.iter().map(|s| format!("{} {} {}", s.from, s.kind.as_str(), s.to)).collect();
        println!("  [{}] {}  because {}", r.distance, r.title, why.join(", then "));
    }

    // 2. Only the direct dependents: a depth limit of 1.
    let direct = query::impact(&graph, &corpus.adrs, nats, Some(1));
    println!("{} of them link to it directly.", direct.reached.len());

    // 3. The payload format was decided three times: JSON, then Avro, then Protobuf. The chain
    //    through any of them names the decision in force now.
    let avro = corpus.find_index("avro-events", &cwd).expect("the Avro decision exists");
    let chain = query::chain(&graph, &corpus.adrs, avro);
    let order: Vec<&str> = chain.members.iter().map(|m| m.id.as_str()).collect();
    println!("Event payload chain: {}", order.join(" -> "));
    println!("In force now: {}", chain.in_force.join(", "));

    //    On a date, from the records' own dates alone (no git): before the Protobuf decision
    //    was written, its predecessor was the one in force.
    let newest = chain.members.last().expect("the chain has members");
    let protobuf = corpus.adrs[corpus.find_index(&newest.id, &cwd).expect("a member")].date;
    if let Some(day) = protobuf.and_then(|d| d.pred_opt()) {
        let then = adrgraph::on_date::chain_on(&graph, &corpus.adrs, avro, day);
        println!("In force on {day}: {} ({})", then.in_force.join(", "), then.basis.join("; "));
        assert!(!then.in_force.contains(&"ADR-010-protobuf-event-contracts-with-buf".to_string()));
    }

    // 4. Where was Protobuf considered, and where chosen?
    for report in query::option_usage(&graph, &corpus.adrs, "protobuf") {
        for d in &report.decisions {
            let verdict = if d.chosen { "chosen" } else { "considered" };
            println!("{:<24} {verdict:<10} in {} ({})", report.title, d.id, d.status);
        }
    }

    // 5. Links that did not resolve are kept, with the line they were written on.
    println!("{} unresolved links in data/", graph.unresolved().count());
    assert_eq!(chain.in_force, vec!["ADR-010-protobuf-event-contracts-with-buf"]);
}

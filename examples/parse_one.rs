//! Parse one ADR file into a structured record.
//!
//! adrgraph reads every dialect it knows (the seed template, Nygard/adr-tools, MADR 1-4,
//! log4brains) with the same entry point: give it the bytes of a file and its path, and it hands
//! back an `Adr` with every field it could find, plus diagnostics for anything it could not read.
//!
//! Run it with `cargo run --example parse_one [FILE]`; with no argument it reads the NATS event bus
//! decision of the bundled `data/` tree.

use adrgraph::parse::{parse_bytes, ParseOptions};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/platform/ADR-001-use-nats-for-event-bus.md".to_string());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));

    // The relative path gives the slug and, for files like `0012-x.md`, the number when the
    // title carries none. Here the title `# ADR-001: ...` carries it.
    let rel = path.rsplit('/').next().unwrap_or(&path);
    let parsed = parse_bytes(&bytes, &path, rel, ParseOptions::default());
    let adr = &parsed.adr;

    // The header fields: the title has lost its `ADR-001:` prefix, the status is normalised
    // while its raw text is kept, and the date is a real date.
    println!("{} (number {:?}) read as the {} dialect", adr.display_title(), adr.number, adr.dialect);
    println!("status {} (written {:?}), dated {:?}", adr.status, adr.status_raw, adr.date);
    println!("deciders: {}", adr.deciders.join("; "));

    // Considered options carry their pros, cons, cost and risk; the chosen one is marked.
    for option in &adr.options {
        println!(
            "  {} {:<16} +{} -{}  cost: {}  risk: {}",
            if option.chosen { "*" } else { " " },
            option.title,
            option.pros.len(),
            option.cons.len(),
            option.cost.as_deref().unwrap_or("-"),
            option.risk.as_deref().unwrap_or("-"),
        );
    }
    if let Some(outcome) = &adr.outcome {
        println!("chosen: {:?} because {:?}", outcome.chosen, outcome.rationale);
    }

    // Implementation phases, validation criteria and the review date come from the seed
    // template's later sections.
    for (i, phase) in adr.phases.iter().enumerate() {
        println!("phase {}: {} ({})", i + 1, phase.name, phase.timeline.as_deref().unwrap_or("?"));
    }
    println!("{} validation criteria; review on {:?}", adr.validation.len(), adr.review_date);

    // Links are typed: this decision is amended by ADR-006.
    for link in &adr.links {
        println!("link {:<12} -> {} (line {})", link.kind, link.target, link.line);
    }

    // A file that could not be read fully says so here, with its line.
    for d in &parsed.diagnostics {
        println!("diagnostic: {d}");
    }
    assert!(adr.title.is_some() && !adr.options.is_empty(), "the sample decision is complete");
}

//! Link resolution: the input is split on NUL bytes into up to eight files placed in two
//! folders (with restarting numbers), each parsed, then resolved into one graph and queried
//! from every decision. Nothing may panic or loop, and no resolved link may point out of the
//! tree or at a file that is not in it.
#![no_main]

use adrgraph::graph::{normalise_path, DecisionGraph, GraphOptions, Resolution};
use adrgraph::parse::{parse_bytes, ParseOptions};
use adrgraph::query;
use adrgraph::DecisionIndex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut adrs = Vec::new();
    for (i, chunk) in data.split(|b| *b == 0).take(8).enumerate() {
        let folder = if i % 2 == 0 { "docs/adr" } else { "services/x/adr" };
        let rel = format!("{:04}-file-{i}.md", i / 2 + 1);
        let path = format!("{folder}/{rel}");
        let mut adr = parse_bytes(chunk, &path, &rel, ParseOptions::default()).adr;
        adr.id = format!("{folder}#{i}");
        adrs.push(adr);
    }
    let opts = GraphOptions {
        roots: vec![".".into()],
        other_files: vec!["docs/adr/README.md".into()],
        ..GraphOptions::default()
    };
    let g = DecisionGraph::build(&adrs, &opts);
    for l in g.links() {
        assert!(l.from.get() < adrs.len() && l.link < adrs[l.from].links.len());
        match &l.resolution {
            Resolution::Decision { adr } => assert!(adr.get() < adrs.len()),
            Resolution::Ambiguous { candidates } => assert!(candidates.iter().all(|c| c.get() < adrs.len())),
            Resolution::NotADecision { path } => assert_eq!(path, "docs/adr/README.md"),
            _ => {}
        }
    }
    let _ = g.diagnostics(&adrs);
    let _ = g.stats(&adrs);
    let _ = query::supersession_cycles(&g);
    let first = DecisionIndex::at(&adrs, 0);
    for i in (0..adrs.len()).filter_map(|i| DecisionIndex::at(&adrs, i)) {
        let _ = query::impact(&g, &adrs, i, None);
        let _ = query::deps(&g, &adrs, i, Some(3));
        let _ = query::chain(&g, &adrs, i);
        let _ = query::edges_of(&g, &adrs, i);
        let _ = query::path(&g, &adrs, first.expect("a decision"), i);
    }
    // Lexical normalisation of every link target: `..` never survives inside the result.
    for a in &adrs {
        for l in &a.links {
            let n = normalise_path("docs/adr", &l.target);
            let inner = n.split('/').skip_while(|p| *p == "..").any(|p| p == ".." || p == ".");
            assert!(!inner, "{:?} normalised to {n:?}", l.target);
        }
    }
});

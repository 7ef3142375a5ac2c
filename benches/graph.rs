//! Criterion benches for the knowledge graph: building it for a generated tree of 100,000
//! decisions, then impact, chain and path queries from pseudo-random decisions.
//!
//! The tree is generated in memory (records, not files): 20 folders whose numbers restart,
//! about 10% supersessions, 30% of decisions referencing one to three earlier ones (some in
//! other folders, by relative path), and options from a shared vocabulary.

use adrgraph::graph::{DecisionGraph, GraphOptions};
use adrgraph::model::{Adr, ConsideredOption, DecisionIndex, Link, LinkKind, Status};
use adrgraph::query;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};

#[path = "common/gen.rs"]
#[allow(dead_code)]
mod gen;
use gen::{Rng, TECH};

fn generate(n: usize) -> Vec<Adr> {
    let folders = 20;
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut adrs: Vec<Adr> = Vec::with_capacity(n);
    for i in 0..n {
        let folder = i % folders;
        let number = (i / folders + 1) as u32;
        let slug = format!("{number:05}-decision-{i}");
        let rel = format!("f{folder:02}/{slug}.md");
        let mut a = Adr::empty(&slug, format!("root/{rel}"), &rel);
        a.slug = slug;
        a.number = Some(number);
        a.title = Some(format!("Decision {i} about {}", TECH[i % TECH.len()]));
        a.status = Status::Accepted;
        let link = Link::new;
        // About 10% supersede the previous decision of their folder.
        if i >= folders && rng.below(10) == 0 {
            let prev = &adrs[i - folders];
            a.links.push(link(LinkKind::Supersedes, format!("{}.md", prev.slug), 3));
            adrs[i - folders].status = Status::Superseded;
        }
        // About 30% reference one to three earlier decisions, some in other folders.
        if i > 0 && rng.below(10) < 3 {
            for k in 0..1 + rng.below(3) {
                let j = rng.below(i);
                let target = &adrs[j];
                let path = if j % folders == folder {
                    format!("{}.md", target.slug)
                } else {
                    format!("../f{:02}/{}.md", j % folders, target.slug)
                };
                a.links.push(link(LinkKind::References, path, 10 + k as u32));
            }
        }
        for k in 0..3 {
            let mut option = ConsideredOption::new(TECH[(i + k * 7) % TECH.len()]);
            option.chosen = k == 0;
            a.options.push(option);
        }
        adrs.push(a);
    }
    adrs
}

fn graph_benches(c: &mut Criterion) {
    // `cargo bench` passes --bench; under `cargo test` the routines run once on a small graph.
    let n = if std::env::args().any(|a| a == "--bench") { 100_000 } else { 2_000 };
    let adrs = generate(n);
    let opts = GraphOptions { roots: vec!["root".into()], other_files: vec![], ..Default::default() };
    let mut group = c.benchmark_group("graph");
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("build", n), |b| {
        b.iter(|| {
            let g = DecisionGraph::build(black_box(&adrs), &opts);
            assert_eq!(g.decision_nodes().len(), n);
            assert_eq!(g.unresolved().count(), 0, "every generated link resolves");
            g
        })
    });
    group.finish();

    let g = DecisionGraph::build(&adrs, &opts);
    let mut rng = Rng::new(42);
    let starts: Vec<DecisionIndex> =
        (0..1024).map(|_| DecisionIndex::at(&adrs, rng.below(n)).expect("below n")).collect();
    let mut group = c.benchmark_group("query");
    let mut k = 0;
    group.bench_function(BenchmarkId::new("impact_depth_3", n), |b| {
        b.iter(|| {
            k = (k + 1) % starts.len();
            let w = query::impact(&g, &adrs, starts[k], Some(3));
            assert!(w.reached.iter().all(|r| r.distance <= 3));
            w
        })
    });
    group.bench_function(BenchmarkId::new("impact_unbounded", n), |b| {
        b.iter(|| {
            k = (k + 1) % starts.len();
            let w = query::impact(&g, &adrs, starts[k], None);
            // Everything reached is reached once, at a distance of one link or more.
            let ids: std::collections::BTreeSet<&str> = w.reached.iter().map(|r| r.id.as_str()).collect();
            assert!(ids.len() == w.reached.len() && w.reached.iter().all(|r| r.distance >= 1));
            w
        })
    });
    group.bench_function(BenchmarkId::new("chain", n), |b| {
        b.iter(|| {
            k = (k + 1) % starts.len();
            let c = query::chain(&g, &adrs, starts[k]);
            assert!(!c.members.is_empty());
            c
        })
    });
    group.finish();
}

criterion_group!(benches, graph_benches);
criterion_main!(benches);

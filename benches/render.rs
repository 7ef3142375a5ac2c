//! Criterion benches for export: DOT (AST built and printed), Mermaid, GraphML and JSON for a
//! generated tree of 10,000 decisions (`benches/common/gen.rs`, parsed from files like a real
//! tree), and for the bundled `data/`. Each bench asserts the size of what it drew.

#[path = "common/gen.rs"]
#[allow(dead_code)]
mod gen;

use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::render::{self, Layout, RenderOptions};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn render_benches(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    // `cargo bench` passes --bench; under `cargo test` the routines run once on a small tree.
    let n = if std::env::args().any(|a| a == "--bench") { 10_000 } else { 500 };
    gen::write_tree(tmp.path(), n, 7).expect("tree written");
    let corpus = ingest(&IngestOptions::new([tmp.path()])).expect("ingest");
    assert_eq!(corpus.adrs.len(), n);
    let graph = adrgraph::graph_of(&corpus);
    let opts = RenderOptions::default();
    let view = render::select(&graph, &corpus.adrs, &opts);
    assert_eq!(view.decisions(), n);
    let edges = view.edges.len();
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("select", n), |b| {
        b.iter(|| {
            let v = render::select(&graph, &corpus.adrs, &opts);
            assert_eq!((v.decisions(), v.edges.len()), (n, edges));
            v.edges.len()
        })
    });
    group.bench_function(BenchmarkId::new("dot", n), |b| {
        b.iter(|| {
            let text = render::to_dot(&view, &opts, Layout::Sfdp);
            assert!(text.matches(" -> ").count() >= edges);
            text.len()
        })
    });
    group.bench_function(BenchmarkId::new("mermaid", n), |b| {
        b.iter(|| {
            let m = render::to_mermaid(&view);
            // One line per decision and one per edge, at least.
            assert!(m.lines().count() >= n + edges, "{} lines", m.lines().count());
            m.len()
        })
    });
    group.bench_function(BenchmarkId::new("graphml", n), |b| {
        b.iter(|| {
            let x = render::to_graphml(&view);
            assert_eq!(x.matches("<edge ").count(), edges);
            x.len()
        })
    });
    group.bench_function(BenchmarkId::new("json", n), |b| {
        b.iter(|| {
            let j = render::to_json(&view);
            assert_eq!(
                (j["nodes"].as_array().map(Vec::len), j["links"].as_array().map(Vec::len)),
                (Some(n), Some(edges))
            );
            j.to_string().len()
        })
    });
    group.finish();
}

criterion_group!(benches, render_benches);
criterion_main!(benches);

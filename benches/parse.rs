//! Criterion benches for the foundation stages: parsing one file of each dialect, and ingesting
//! the bundled `data/` tree. Each bench asserts what it produced, so a broken parser cannot
//! report a fast time.

use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::parse::{parse_adr, parse_bytes, ParseOptions};
use adrgraph::Status;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

fn parse_dialects(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dialects");
    let cases = [
        ("seed", "ADR-001-use-nats-for-event-bus.md", Status::Accepted, 3),
        ("nygard", "0003-nygard-superseded.md", Status::Superseded, 0),
        ("madr2", "0004-madr2-bullets.md", Status::Superseded, 2),
        ("log4brains", "20201103-log4brains-metadata.md", Status::Accepted, 0),
        ("madr4", "0012-madr4-front-matter.md", Status::Superseded, 2),
    ];
    let mut group = c.benchmark_group("parse");
    for (name, file, status, options) in cases {
        let bytes = std::fs::read(dir.join(file)).expect("fixture");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let p = parse_bytes(black_box(&bytes), file, file, ParseOptions::default());
                assert_eq!(p.adr.status, status);
                assert_eq!(p.adr.options.len(), options);
                p
            })
        });
    }
    group.finish();
}

fn ingest_data(c: &mut Criterion) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut group = c.benchmark_group("ingest");
    group.bench_function("data", |b| {
        b.iter(|| {
            let corpus = ingest(&IngestOptions::new([&data])).expect("data/ exists");
            assert_eq!(corpus.adrs.len(), 29);
            corpus
        })
    });
    let corpora = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if corpora.is_dir() {
        group.sample_size(20);
        group.bench_function("shared_corpora", |b| {
            b.iter(|| {
                let corpus = ingest(&IngestOptions::new([&corpora])).expect("corpora");
                assert!(corpus.adrs.len() > 700);
                corpus
            })
        });
    }
    group.finish();
}

/// Hostile sizes grow linearly: each input at two sizes, N and 2N, so that the report shows the
/// ratio (about 2x when linear; the quadratic code took 4x and more): many options, many links,
/// and lint on one line of many bare ids. Under `cargo test` the
/// routines run once on small inputs.
fn hostile_sizes(c: &mut Criterion) {
    let full = std::env::args().any(|a| a == "--bench");
    let base = if full { 20_000 } else { 500 };
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for n in [base, 2 * base] {
        let options: String = "# 1. X\n\n## Considered Options\n\n".to_string()
            + &(0..n).map(|i| format!("* Option number {i}\n")).collect::<String>();
        group.bench_function(format!("options/{n}"), |b| {
            b.iter(|| {
                let p = parse_adr(black_box(&options), "adr/0001-x.md", "0001-x.md");
                assert_eq!(p.adr.options.len(), n);
                p
            })
        });
        let links: String = "# 1. X\n\n## Context\n\n".to_string()
            + &(0..n).map(|i| format!("See [l{i}](0{i:05}-x.md) and ADR-{i}.\n")).collect::<String>();
        group.bench_function(format!("links/{n}"), |b| {
            b.iter(|| {
                let p = parse_adr(black_box(&links), "adr/0001-x.md", "0001-x.md");
                assert_eq!(p.adr.links.len(), 2 * n - 1, "every link and id but the record's own");
                p
            })
        });
        // One line of a Links section holding every link and id (once quadratic: each id looked
        // at every link of the line).
        let line: String = "# 1. X\n\n## Links\n\n".to_string()
            + &(0..n).map(|i| format!("[ADR-{i}](0{i:05}-x.md) ADR-{i} ")).collect::<String>();
        group.bench_function(format!("links-one-line/{n}"), |b| {
            b.iter(|| {
                let p = parse_adr(black_box(&line), "adr/0001-x.md", "0001-x.md");
                assert!(p.adr.links.len() >= n, "every link read: {}", p.adr.links.len());
                p
            })
        });
        // Every finding of a line of bare ids placed and quoted (once quadratic: each finding
        // copied and searched the whole line).
        let dir = tempfile::tempdir().expect("temporary folder");
        let ids: String = (0..n).map(|i| format!("ADR-{i} ")).collect();
        let text = format!("# 1. X\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n{ids}\n");
        std::fs::write(dir.path().join("0001-x.md"), text).expect("written");
        let corpus = ingest(&IngestOptions::new([dir.path()])).expect("readable");
        let graph = adrgraph::graph_of(&corpus);
        group.bench_function(format!("lint-one-line/{n}"), |b| {
            b.iter(|| {
                let mut findings = adrgraph::lint::lint(&corpus, &graph, &Default::default());
                let mut lines = adrgraph::ingest::SourceLines::new(8 << 20);
                let mut source = |p: &str, l: u32| lines.line(p, l);
                adrgraph::lint::place_columns(&mut findings, &mut source);
                let mut out = Vec::new();
                adrgraph::output::write_findings(&mut out, &findings, &mut source).expect("written");
                assert!(findings.len() >= n - 1, "a finding per id: {}", findings.len());
                out.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse_dialects, ingest_data, hostile_sizes);
criterion_main!(benches);

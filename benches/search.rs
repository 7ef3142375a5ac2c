//! Criterion benches for search: in-process query latency on a generated tree of 10,000
//! decisions (`benches/common/gen.rs`), and the store's no-change refresh. Each bench asserts
//! that its queries find something.

#[path = "common/gen.rs"]
#[allow(dead_code)]
mod gen;

use adrgraph::ingest::IngestOptions;
use adrgraph::search::SearchOptions;
use adrgraph::store::{Store, StoreOptions};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

const QUERIES: &[&str] =
    &["kafka", "postgresql OR backups", "\"event streaming\"", "kube*", "vault -consul", "title:redis"];

fn search_benches(c: &mut Criterion) {
    let n = if std::env::args().any(|a| a == "--bench") { 10_000 } else { 300 };
    let tree = tempfile::tempdir().expect("tree folder");
    let store_dir = tempfile::tempdir().expect("store folder");
    gen::write_tree(tree.path(), n, 11).expect("tree written");
    let ingest = IngestOptions::new([tree.path()]);
    let opts = StoreOptions { dir: Some(store_dir.path().to_path_buf()), ..StoreOptions::default() };
    let mut store = Store::open(&ingest, &opts, &|_| {}).expect("store");
    let index = store.sync_index().expect("index");
    assert_eq!(index.len() as usize, n);
    let mut group = c.benchmark_group("search");
    for q in QUERIES {
        group.bench_with_input(BenchmarkId::new("query", q), q, |b, q| {
            b.iter(|| {
                let r = index.search(q, &SearchOptions::default()).expect("valid query");
                assert!(r.total > 0, "{q} finds something");
                r.total
            })
        });
    }
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("refresh_no_change", n), |b| {
        b.iter(|| {
            let s = Store::open(&ingest, &opts, &|_| {}).expect("store");
            assert_eq!(s.report.parsed, 0);
            s.report.reused
        })
    });
    group.finish();
}

criterion_group!(benches, search_benches);
criterion_main!(benches);

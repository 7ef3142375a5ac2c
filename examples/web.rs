//! The web view from the library: one `Snapshot` of the tree, the router `adrgraph serve`
//! answers with, and the static site `adrgraph site` writes.
//!
//! A `Snapshot` is everything a page needs, read once through the store exactly as the command
//! line reads it: every record, the graph, the full-text index and the lint findings. The
//! server shares it between requests and swaps it whole when the tree changes; the static site
//! renders the same pages from it into files.
//!
//! Run it with `cargo run --example web`; it reads `data/`, keeps its store in a temporary
//! folder, answers three requests without opening a port, and writes the site into a
//! temporary folder.

use adrgraph::ingest::IngestOptions;
use adrgraph::store::StoreOptions;
use adrgraph::web::{self, Snapshot, Source};

fn main() {
    let store = tempfile::tempdir().expect("a temporary folder");
    let source = Source {
        ingest: IngestOptions::new(["data"]),
        store: StoreOptions { dir: Some(store.path().join("store")), ..StoreOptions::default() },
        lint: adrgraph::lint::LintConfig::default(),
        working_dir: std::env::current_dir().expect("current directory"),
        history_from: None,
        revision: None,
    };

    // One reading of the tree: the store is built (or refreshed) and the index brought up to date.
    let snap = Snapshot::read(&source, 1).expect("data/ reads");
    println!(
        "snapshot {}: {} decisions, {} in force, {} lint findings",
        snap.generation,
        snap.corpus.adrs.len(),
        snap.in_force.len(),
        snap.findings.len()
    );

    // A page names a decision by its id alone; nothing a client sends is read as a path.
    assert!(snap.decision("ADR-001-use-nats-for-event-bus").is_some());
    assert!(snap.decision("../../etc/passwd").is_none());

    // The router is an ordinary axum Router: here it answers requests in process, as a test would.
    let shared = web::Shared::new(snap);
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        use tower::ServiceExt;
        for path in
            ["/", "/decisions/ADR-007-avro-events-with-schema-registry", "/api/search?q=kafka", "/nothing"]
        {
            let request = axum::http::Request::get(path).body(axum::body::Body::empty()).expect("a request");
            let answer = web::router(shared.clone()).oneshot(request).await.expect("an answer");
            let csp = answer.headers().contains_key("content-security-policy");
            println!("GET {path}: {} (CSP: {csp})", answer.status());
        }
    });

    // The static site: the same pages as files with relative links, and the browser's search index.
    let site = tempfile::tempdir().expect("a temporary folder");
    let report = web::write_site(&shared.get(), site.path()).expect("the site is written");
    println!(
        "site: {} files, {} decision pages, index.html {} bytes, search index {} bytes",
        report.files, report.decisions, report.index_bytes, report.search_index_bytes
    );
}

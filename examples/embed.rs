//! adrgraph as a downstream crate uses it: with `adrgraph = { version = "0.1", default-features =
//! false }` in its `Cargo.toml`, no command-line crate (clap, indicatif, anyhow, the allocator)
//! is built, and everything below still works.
//!
//! The program opens a store for `data/` (parsing the tree the first time, reusing the parsed
//! records after), asks "what rests on the decision to use NATS?", and prints the answer as the
//! same JSON `adrgraph impact --json` prints.
//!
//! Run it with `cargo run --example embed`; it reads `data/` and keeps its store in a temporary
//! folder.

use adrgraph::ingest::IngestOptions;
use adrgraph::query;
use adrgraph::store::{Decisions, Store, StoreOptions};

fn main() -> Result<(), adrgraph::Error> {
    // 1. A store kept in a folder of our choosing; `StoreOptions::default()` would keep it in
    //    the user's cache directory, keyed by the roots. The progress callback is told how many
    //    files have been parsed: a program with a progress bar draws it there.
    let folder = tempfile::tempdir().map_err(|e| adrgraph::Error::Io { path: "temp".into(), source: e })?;
    let options = StoreOptions { dir: Some(folder.path().to_path_buf()), ..StoreOptions::default() };
    let mut store = Store::open(&IngestOptions::new(["data"]), &options, &|_parsed| {})?;
    eprintln!("store: {} decisions, {} files parsed", store.decisions()?, store.report.parsed);

    // 2. Impact questions need only the decisions and the links between them: `Decisions` is
    //    the cheapest view the store has (a snapshot of ids, titles, statuses and edges). The
    //    store offers three views, each its own type: `Records` (every field), `Outline` (no
    //    long texts) and `Decisions`; a function that needs a record's text takes `Records`.
    //    The first time, the snapshot is built from the outline; `save` keeps it for next time.
    let mut decisions: Decisions = store.load()?;
    decisions.save();
    let (corpus, graph) = (decisions.as_corpus(), decisions.graph());

    // 3. A decision is named as a user would name it: by number within a folder, path, id or
    //    slug. The folder matters: `1` alone is ambiguous in data/, and the error says so.
    let cwd = std::env::current_dir().map_err(|e| adrgraph::Error::Io { path: ".".into(), source: e })?;
    let nats = corpus.find_index("platform/1", &cwd)?;

    // 4. Everything that references, amends or supersedes it, transitively, with the chain of
    //    links that explains each one.
    let walk = query::impact(graph, &corpus.adrs, nats, None);
    let json = serde_json::to_string_pretty(&walk).expect("a walk is plain data");
    println!("{json}");
    assert!(!walk.reached.is_empty(), "decisions in data/ rest on the event bus");

    // 5. One decision whole, the way `adrgraph show` reads it without loading every record:
    //    the part of the query snapshot around it (its links both ways), the warnings on its
    //    own links (kept in the snapshot), and its record from the one entry of its shard.
    let around =
        store.focus("platform/1", &cwd, adrgraph::store::Focus::Neighbours).expect("the snapshot was saved");
    let (part, at) = (around.decisions().as_corpus(), around.decision());
    let named = &part.adrs[at.get()];
    let warnings = store.link_warnings(&named.path).unwrap_or_default();
    let root = part.adr_roots[at.get()];
    let whole = store.whole_record(root, &named.rel_path)?.expect("the store holds every record");
    eprintln!(
        "{}: {} sections, {} links both ways, {} link warning(s)",
        named.id,
        whole.adr.sections.len(),
        query::edges_of(around.decisions().graph(), part.adrs.as_slice(), at).len(),
        warnings.len()
    );
    assert!(!whole.adr.sections.is_empty(), "the whole record has its texts");

    // 6. Answering ahead of the walk, as the command line does: the store as its summary says
    //    the tree is, given at once, with the walk that checks that running on another thread.
    //    Answer from it, keep the answer to yourself, then ask the walk: `Same`, and the answer
    //    stands; `Changed`, and the store is refreshed from that walk (never walked twice).
    let tree = IngestOptions::new(["data"]);
    let options = StoreOptions { refresh: true, ..options };
    if let Some((mut early, walk)) = Store::ahead(&tree, &options)? {
        let early_answer = early.decisions()?;
        let (answer, mut store) = match walk.confirm() {
            adrgraph::store::Checked::Same => (early_answer, early),
            changed => {
                let mut fresh = match changed {
                    adrgraph::store::Checked::Changed(Some(walked)) => {
                        Store::open_after(&tree, &options, &|_| {}, walked)?
                    }
                    _ => Store::open(&tree, &options, &|_| {})?,
                };
                (fresh.decisions()?, fresh)
            }
        };
        eprintln!("ahead of the walk: {answer} decisions, store generation {}", store.generation());

        // 7. A result worked out from the records, kept beside them: read back while the store
        //    holds the same records and the salt (whatever else the result depends on: here the
        //    settings of the rules) is the same, as `adrgraph lint` keeps its findings.
        let rules = adrgraph::lint::LintConfig::default();
        let salt = xxhash_rust::xxh3::xxh3_64(format!("{rules:?}").as_bytes());
        let findings: Vec<adrgraph::lint::Finding> = match store.derived("example-lint", salt) {
            Some(kept) => kept,
            None => {
                let outline = store.load::<adrgraph::store::Outline>()?;
                let found = adrgraph::lint::lint(outline.as_corpus(), &outline.graph(), &rules);
                store.keep_derived("example-lint", salt, &found);
                found
            }
        };
        let again: Option<Vec<adrgraph::lint::Finding>> = store.derived("example-lint", salt);
        eprintln!("{} findings, kept: {}", findings.len(), again.is_some());
    }

    // 8. Work of your own beside adrgraph's: `threads::spawn` starts a thread on another core
    //    than this one, as the store starts its walk (Linux would queue it on this thread's
    //    core, behind this thread, until this one sleeps or the idle core takes it over).
    let counting =
        adrgraph::threads::spawn("count", || std::fs::read_dir("data").map(|d| d.count()).unwrap_or(0));
    eprintln!("data/ holds {} entries", counting.join().expect("the counting thread ends"));

    // 9. The walk a store makes to tell whether the tree changed (every file's size and times,
    //    no text read), on a thread of its own: this thread, which would only wait for it,
    //    reads files' metadata for it meanwhile (`StatQueue::help` returns when the walk ends),
    //    as a command answering ahead of its walk does once it has answered.
    let queue = std::sync::Arc::new(adrgraph::ingest::StatQueue::default());
    let walk_queue = queue.clone();
    let walking = adrgraph::threads::spawn("walk", move || {
        adrgraph::ingest::walk_tree_helped(&IngestOptions::new(["data"]), &walk_queue)
    });
    queue.help();
    let walked = walking.join().expect("the walk ends")?;
    eprintln!("walked {} files under {:?}", walked.print().count, walked.roots());
    Ok(())
}

//! Unit tests of the query snapshot: focused answers against the whole graph, names, the
//! whole snapshot read back, link warnings, and damage read as absence.

use super::*;
use crate::ingest::{ingest, IngestOptions};
use crate::query;

/// Bytes with the store's checksum footer, as the store writes every file.
fn checksummed(mut b: Vec<u8>) -> Vec<u8> {
    let d = xxhash_rust::xxh3::xxh3_64(&b);
    b.extend_from_slice(&d.to_le_bytes());
    b
}

/// An answer as JSON, for comparing answers whole.
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

/// The bundled sample tree, its graph, and its snapshot written and opened from a file.
fn sample() -> (Corpus, DecisionGraph, QueryFile, tempfile::TempDir) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let corpus = ingest(&IngestOptions::new([root])).expect("data/ is readable");
    let graph = crate::graph_of(&corpus);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("query.bin");
    std::fs::write(
        &path,
        checksummed(
            encode(7, &corpus, &graph.decision_edge_list(), &graph.diagnostics(&corpus.adrs)).unwrap(),
        ),
    )
    .unwrap();
    let file = QueryFile::open(&path).expect("a snapshot just written opens");
    (corpus, graph, file, dir)
}

#[test]
fn every_focused_answer_equals_the_answer_on_the_whole_graph() {
    let (corpus, graph, file, _dir) = sample();
    assert_eq!(file.generation(), 7);
    let cwd = Path::new("/nonexistent");
    let mut reached = 0;
    for (i, a) in corpus.indexes().zip(&corpus.adrs) {
        for depth in [None, Some(1), Some(2)] {
            let (c, g, at) = file.focus(&a.id, cwd, Focus::Impact(depth)).expect("found by id");
            let part = query::impact(&g, &c.adrs, at, depth);
            reached += part.reached.len();
            assert_eq!(json(&part), json(&query::impact(&graph, &corpus.adrs, i, depth)), "{}", a.id);
            let (c, g, at) = file.focus(&a.path, cwd, Focus::Deps(depth)).expect("found by path");
            assert_eq!(
                json(&query::deps(&g, &c.adrs, at, depth)),
                json(&query::deps(&graph, &corpus.adrs, i, depth)),
                "{}",
                a.id
            );
        }
        let (c, g, at) = file.focus(&a.rel_path, cwd, Focus::Chain).expect("found by relative path");
        assert_eq!(json(&query::chain(&g, &c.adrs, at)), json(&query::chain(&graph, &corpus.adrs, i)));
        assert_eq!(c.diagnostics, corpus.diagnostics);
        // What `show` reports of the record: its dialect and its links' warnings.
        let (c, _, at) = file.focus(&a.id, cwd, Focus::Neighbours).expect("found by id");
        assert_eq!(c.adrs[at.get()].dialect, a.dialect);
        let own: Vec<Diagnostic> =
            graph.diagnostics(&corpus.adrs).into_iter().filter(|d| d.path == a.path).collect();
        assert_eq!(file.link_warnings(&a.path), Some(own));
    }
    assert!(reached > 20, "the sample's impact answers reach decisions: {reached}");
}

#[test]
fn a_records_link_warnings_are_kept_for_it_alone() {
    let tree = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(tree.path().join(name), text).unwrap();
    write("0001-a.md", "# 1. A\n\n## Status\n\nAccepted\n\nSee [gone](0009-gone.md).\n");
    write("0002-b.md", "# 2. B\n\n## Status\n\nAccepted\n\nAfter [A](0001-a.md).\n");
    let corpus = ingest(&IngestOptions::new([tree.path()])).unwrap();
    let graph = crate::graph_of(&corpus);
    let all = graph.diagnostics(&corpus.adrs);
    assert!(!all.is_empty(), "the broken link is warned of");
    let path = tree.path().join("snap.bin");
    std::fs::write(&path, checksummed(encode(1, &corpus, &graph.decision_edge_list(), &all).unwrap()))
        .unwrap();
    let file = QueryFile::open(&path).unwrap();
    for a in &corpus.adrs {
        let own: Vec<Diagnostic> = all.iter().filter(|d| d.path == a.path).cloned().collect();
        assert_eq!(file.link_warnings(&a.path), Some(own));
    }
    assert_eq!(file.link_warnings(&corpus.adrs[0].path).map(|w| w.len()), Some(all.len()));
}

#[test]
fn names_resolve_as_find_index_resolves_them_or_not_at_all() {
    let (corpus, _, file, _dir) = sample();
    let cwd = Path::new("/nonexistent");
    for a in &corpus.adrs {
        let folder = a.folder().rsplit('/').next().unwrap_or("");
        let mut names = vec![a.id.clone(), a.path.clone(), a.rel_path.clone(), a.slug.clone()];
        if let Some(n) = a.number {
            names.extend([n.to_string(), format!("{folder}/{n}"), format!("ADR-{n:04}")]);
        }
        for name in names {
            if let Some(found) = file.find(&name, cwd) {
                assert_eq!(
                    Ok(DecisionIndex::new(found)),
                    corpus.find_index(&name, cwd).map_err(|e| e.to_string()),
                    "{name}"
                );
            }
        }
        assert_eq!(file.find(&a.id, cwd), Some(corpus.find_index(&a.id, cwd).unwrap().get()));
    }
    assert_eq!(file.find("no-such-decision", cwd), None);
}

#[test]
fn the_whole_snapshot_reads_back_as_the_corpus_and_graph() {
    let (corpus, graph, file, _dir) = sample();
    let (c, g) = file.full().unwrap();
    assert_eq!(c.adrs.len(), corpus.adrs.len());
    for (x, y) in c.adrs.iter().zip(&corpus.adrs) {
        assert_eq!(
            (&x.id, &x.path, &x.rel_path, &x.slug, &x.title, x.number, x.status, x.date),
            (&y.id, &y.path, &y.rel_path, &y.slug, &y.title, y.number, y.status, y.date)
        );
    }
    assert_eq!(c.adr_roots, corpus.adr_roots);
    assert_eq!((&c.diagnostics, &c.skipped), (&corpus.diagnostics, &corpus.skipped));
    assert_eq!(g.decision_edge_list(), graph.decision_edge_list());
}

#[test]
fn a_damaged_snapshot_reads_as_absent_or_answers_without_panicking() {
    let (corpus, _, good, dir) = sample();
    let bytes = good.bytes.to_vec();
    let path = dir.path().join("damaged.bin");
    // Truncated anywhere: the sizes no longer add up.
    for cut in [0, 7, HEADER, bytes.len() / 2, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        assert!(QueryFile::open(&path).is_none(), "cut at {cut}");
    }
    // Bytes flipped: every page read is checked against its digest.
    let mut answered = 0;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = HEADER + (seed as usize) % (b.len() - HEADER);
            b[at] = (seed >> 32) as u8;
        }
        std::fs::write(&path, &b).unwrap();
        if b == bytes {
            continue;
        }
        answered += check_damaged(&path, &good, &corpus);
    }
    // Damage to one page leaves the questions that read other pages answered.
    assert!(answered > 0, "no damaged snapshot answered anything");
    // Zeroed runs, as a crash of the file system leaves them.
    for start in [HEADER, bytes.len() / 3, bytes.len() / 2, bytes.len() - 64] {
        let mut b = bytes.clone();
        b[start..(start + 64).min(bytes.len())].fill(0);
        std::fs::write(&path, &b).unwrap();
        check_damaged(&path, &good, &corpus);
    }
}

/// Every answer of a damaged snapshot is the sound one's, or none at all (the store then
/// answers from its records): never empty ids or invented edges.
fn check_damaged(path: &Path, good: &QueryFile, corpus: &Corpus) -> usize {
    let Some(f) = QueryFile::open(path) else { return 0 };
    let mut answered = 0;
    let cwd = Path::new("/nonexistent");
    for a in &corpus.adrs {
        for focus in [Focus::Impact(None), Focus::Chain] {
            if let Some((c, g, at)) = f.focus(&a.id, cwd, focus) {
                let (gc, gg, gat) = good.focus(&a.id, cwd, focus).expect("the sound file answers");
                assert_eq!(at, gat);
                assert_eq!(json(&c.adrs), json(&gc.adrs));
                assert_eq!(g.decision_edge_list(), gg.decision_edge_list());
                answered += 1;
            }
        }
    }
    if let Some((c, g)) = f.full() {
        let (gc, gg) = good.full().expect("the sound file answers");
        assert_eq!(json(&c.adrs), json(&gc.adrs));
        assert_eq!(g.decision_edge_list(), gg.decision_edge_list());
    }
    answered
}

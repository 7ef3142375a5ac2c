use super::*;

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Files(#[serde(with = "super::file_table")] Vec<(usize, String, u64, i128, u64, u64)>);

fn state(rel: &str, src: &str) -> Box<FileState> {
    Box::new(FileState {
        root: 0,
        rel: rel.into(),
        size: src.len() as u64,
        mtime: 0,
        hash: 1,
        sidecar: 0,
        parsed: crate::parse::parse_adr(src, rel, rel),
    })
}

#[test]
fn a_context_is_stored_once_and_read_back_whole() {
    let repeated = "# 1. A\n\n## Context\n\nWe need a queue.\n\n## Decision\n\nUse NATS.\n";
    // A context gathered from two sections is no one section's text: it stays in the record.
    let gathered = "# 2. B\n\n## Context\n\nOne.\n\n## Background\n\nTwo.\n";
    let mut files =
        vec![state("0001-a.md", repeated), state("0002-b.md", gathered), state("0003-c.md", repeated)];
    let before: Vec<crate::parse::Parsed> = files.iter().map(|f| f.parsed.clone()).collect();
    assert!(before[1].adr.context.as_deref().is_some_and(|c| c.contains("One") && c.contains("Two")));
    let detached = Detached::take(&mut files, &[true, true, false]);
    assert_eq!(detached.at(0), Some(1), "the Context section, after the title's");
    assert_eq!(files[0].parsed.adr.context, None);
    assert_eq!((detached.at(1), detached.at(2)), (None, None), "not repeated; not fresh");
    let entries: Vec<ShardEntry> = files
        .iter()
        .enumerate()
        .map(|(i, f)| ShardEntry {
            root: 0,
            rel: f.rel.clone(),
            hash: 1,
            sidecar: 0,
            parsed: f.parsed.clone(),
            context_at: detached.at(i),
        })
        .collect();
    let bytes = postcard::to_allocvec(&entries).unwrap();
    let back: Vec<ShardEntry> = postcard::from_bytes(&bytes).unwrap();
    let parsed: Vec<crate::parse::Parsed> = back.into_iter().map(|e| e.into_parsed().unwrap()).collect();
    assert_eq!(parsed, before);
    detached.restore(&mut files);
    assert_eq!(files.iter().map(|f| f.parsed.clone()).collect::<Vec<_>>(), before);
    // An entry that names a section the record lacks, or that kept its context too, is damaged.
    let mut damaged = entries[0].clone();
    damaged.context_at = Some(9);
    assert!(damaged.into_parsed().is_none());
    let mut twice = entries[2].clone();
    twice.context_at = Some(1);
    assert!(twice.into_parsed().is_none());
}

#[test]
fn file_tables_read_back_and_damaged_ones_do_not() {
    let files = Files(vec![
        (0, "adr/0001-a.md".into(), 12, -5, u64::MAX, 0),
        (1, "décisions/ADR-002 é.md".into(), 0, i128::MAX, 7, 9),
        (0, String::new(), u64::MAX, 0, 0, 1),
    ]);
    let bytes = postcard::to_allocvec(&files).unwrap();
    assert_eq!(postcard::from_bytes::<Files>(&bytes).unwrap(), files);
    assert_eq!(
        postcard::from_bytes::<Files>(&postcard::to_allocvec(&Files(vec![])).unwrap()).unwrap().0,
        vec![]
    );
    // Every truncation, and every byte flipped, is an error or another table: never a panic.
    for cut in 0..bytes.len() {
        assert!(postcard::from_bytes::<Files>(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0xA5;
        let _ = postcard::from_bytes::<Files>(&b);
    }
}

#[test]
fn walk_tables_read_back_and_damaged_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let t = WalkTable { tree: 7, settings: 9, files: vec![1, 5, 5, u64::MAX] };
    super::write_bytes(dir.path(), super::WALK_TABLE, &t.encode(), false).unwrap();
    assert_eq!(WalkTable::read(dir.path()), Some(t.clone()));
    let bytes = t.encode();
    for cut in [0, 8, 23, 24, bytes.len() - 1] {
        super::write_bytes(dir.path(), super::WALK_TABLE, &bytes[..cut], false).unwrap();
        assert_eq!(WalkTable::read(dir.path()), None, "cut at {cut}");
    }
    let unsorted = WalkTable { files: vec![5, 1], ..t };
    super::write_bytes(dir.path(), super::WALK_TABLE, &unsorted.encode(), false).unwrap();
    assert_eq!(WalkTable::read(dir.path()), None);
}

fn manifest(files: usize) -> Manifest {
    Manifest {
        format: STORE_FORMAT,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        written_at: 1_000,
        generation: 42,
        config_key: 3,
        roots: vec!["adr".into()],
        abs_roots: vec!["/tmp/adr".into()],
        files_seen: files,
        skipped: Vec::new(),
        walk_diagnostics: Vec::new(),
        files: (0..files).map(|i| (0, format!("{i:05}.md"), 10, 500, i as u64, 0)).collect(),
        shards: 8,
        file_base: None,
    }
}

fn rows(m: &Manifest) -> Vec<(usize, String, u64, i128, u64, u64)> {
    m.files.clone()
}

#[test]
fn a_delta_applies_to_its_manifest_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_manifest(d, &manifest(10), None).unwrap();
    let mut m = read_manifest(d).unwrap().unwrap();
    assert_eq!(m.file_base, Some(((42, 1_000), vec![])));
    // Two rows changed, recorded as a delta: the manifest file is not rewritten.
    let before = std::fs::read(d.join("manifest.bin")).unwrap();
    m.files[7].4 = 70;
    m.files[2].3 = 9_999;
    (m.written_at, m.generation) = (2_000, 43);
    m.file_base.as_mut().unwrap().1 = vec![2, 7];
    write_manifest_delta(d, &m, None).unwrap();
    assert_eq!(std::fs::read(d.join("manifest.bin")).unwrap(), before);
    let read = read_manifest(d).unwrap().unwrap();
    assert_eq!((rows(&read), read.written_at, read.generation), (rows(&m), 2_000, 43));
    assert_eq!(read.file_base, Some(((42, 1_000), vec![2, 7])));
    // A manifest written whole voids the delta (and removes it).
    let mut other = manifest(10);
    other.written_at = 3_000;
    write_manifest(d, &other, None).unwrap();
    assert!(!d.join(DELTA).exists());
    super::write_bytes(
        d,
        DELTA,
        &postcard::to_allocvec(&Delta {
            base: (42, 1_000),
            written_at: 2_000,
            generation: 43,
            rows: vec![(7, 10, 500, 70, 0)],
        })
        .unwrap(),
        false,
    )
    .unwrap();
    let read = read_manifest(d).unwrap().unwrap();
    assert_eq!((rows(&read), read.generation), (rows(&other), 42));
    // A delta of this file with rows out of range or out of order is an error, not a panic.
    for bad in [
        vec![(10, 1, 1, 1, 1)],
        vec![(3, 1, 1, 1, 1), (3, 1, 1, 1, 1)],
        vec![(4, 1, 1, 1, 1), (3, 1, 1, 1, 1)],
    ] {
        let delta = Delta { base: (42, 3_000), written_at: 4_000, generation: 44, rows: bad };
        super::write_bytes(d, DELTA, &postcard::to_allocvec(&delta).unwrap(), false).unwrap();
        let err = read_manifest(d).unwrap_err();
        assert!(err.contains("manifest.delta is corrupt"), "{err}");
    }
}

#[test]
fn pending_documents_accumulate_with_the_content_the_index_holds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let read = || read_file::<patch::Pending>(&d.join(patch::PENDING)).unwrap().unwrap();
    let mut m = manifest(5);
    m.generation = 11;
    // No index yet: nothing to catch up with.
    patch::leave_pending(d, &m, 10, &[(3, 300, 0)]);
    assert!(!d.join(patch::PENDING).exists());
    std::fs::create_dir(d.join("index")).unwrap();
    patch::leave_pending(d, &m, 10, &[(3, 300, 0)]);
    assert_eq!(read(), patch::Pending { from: 10, to: 11, files: vec![(0, "00003.md".into(), 300, 0)] });
    // The next refresh adds its files in path order; one left before keeps its older content.
    m.generation = 12;
    patch::leave_pending(d, &m, 11, &[(1, 100, 0), (3, 301, 0)]);
    assert_eq!(
        read(),
        patch::Pending {
            from: 10,
            to: 12,
            files: vec![(0, "00001.md".into(), 100, 0), (0, "00003.md".into(), 300, 0)]
        }
    );
    // After a refresh that did not record its documents (the store moved elsewhere), it
    // starts over from there.
    m.generation = 21;
    patch::leave_pending(d, &m, 20, &[(2, 200, 5)]);
    assert_eq!(read(), patch::Pending { from: 20, to: 21, files: vec![(0, "00002.md".into(), 200, 5)] });
    // Too many to replace one by one: the list goes, and the next search takes the full way.
    let mut big = manifest(5000);
    big.generation = 22;
    let docs: Vec<(usize, u64, u64)> = (0..5000).map(|i| (i, i as u64, 0)).collect();
    patch::leave_pending(d, &big, 21, &docs);
    assert!(!d.join(patch::PENDING).exists());
}

#[test]
fn a_delta_of_too_many_rows_is_written_as_a_whole_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_manifest(d, &manifest(DELTA_ROWS + 1), None).unwrap();
    let mut m = read_manifest(d).unwrap().unwrap();
    for f in &mut m.files {
        f.4 += 1;
    }
    m.file_base.as_mut().unwrap().1 = (0..m.files.len()).collect();
    m.written_at = 2_000;
    write_manifest_delta(d, &m, None).unwrap();
    assert!(!d.join(DELTA).exists());
    let read = read_manifest(d).unwrap().unwrap();
    assert_eq!((rows(&read), read.file_base), (rows(&m), Some(((42, 2_000), vec![]))));
}

/// A second live document of one path in an index that says it holds this generation (what a
/// run killed while writing was seen to leave: 801 documents for 800 decisions) is found by
/// the count and repaired by the next sync, not kept for ever.
#[test]
fn an_index_holding_a_path_twice_is_repaired_by_the_next_sync() {
    use crate::search::schema::{document, register_tokenizers, IndexSchema};
    let tree = tempfile::tempdir().unwrap();
    for k in 1..=3 {
        let text = format!("# {k}. Decision {k}\n\n## Status\n\nAccepted\n\n## Context\n\nKafka {k}.\n");
        std::fs::write(tree.path().join(format!("{k:04}-decision-{k}.md")), text).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let ingest = IngestOptions::new(vec![tree.path().to_path_buf()]);
    let opts = StoreOptions { dir: Some(dir.path().to_path_buf()), refresh: true, ..StoreOptions::default() };
    let mut store = Store::open(&ingest, &opts, &|_| {}).unwrap();
    assert_eq!(store.sync_index().unwrap().reader.searcher().num_docs(), 3);
    let adr = store.load::<Records>().unwrap().into_corpus().adrs.remove(0);
    {
        let schema = IndexSchema::new();
        let index = sync::open_index(&dir.path().join("index"), &schema).unwrap();
        register_tokenizers(&index);
        let payload = index.load_metas().unwrap().payload.expect("a synced index names its generation");
        let sig = sync::indexed_docs(&index).unwrap()[&adr.path];
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(document(&schema, &adr, &adr.id, sig, "", &[])).unwrap();
        let mut prepared = writer.prepare_commit().unwrap();
        prepared.set_payload(&payload);
        prepared.commit().unwrap();
    }
    let mut store = Store::open(&ingest, &opts, &|_| {}).unwrap();
    let index = store.sync_index().unwrap();
    assert_eq!(index.reader.searcher().num_docs(), 3, "the duplicate is gone");
    assert_eq!(sync::indexed_docs(&index.index).unwrap().len(), 3);
}

#[test]
fn a_shard_gives_back_every_entry_or_only_those_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let files = [state("0001-a.md", "# 1. A\n\nText.\n"), state("0002-b.md", "# 2. B\n\nMore.\n")];
    let refs: Vec<ShardEntryRef<'_>> = files
        .iter()
        .map(|f| ShardEntryRef {
            root: 0,
            rel: &f.rel,
            hash: f.hash,
            sidecar: f.sidecar,
            parsed: &f.parsed,
            context_at: None,
        })
        .collect();
    write_entries(dir.path(), "s.bin", &refs.iter().collect::<Vec<_>>()).unwrap();
    let path = dir.path().join("s.bin");
    let all = read_entries(&path).unwrap().unwrap();
    assert_eq!(
        all.iter().map(|e| e.parsed.clone()).collect::<Vec<_>>(),
        [files[0].parsed.clone(), files[1].parsed.clone()]
    );
    let one = read_matching(&path, |k| k == (0, "0002-b.md", 1, 0)).unwrap().unwrap();
    assert_eq!((one.len(), &one[0].rel, &one[0].parsed), (1, &"0002-b.md".to_string(), &files[1].parsed));
    assert!(read_matching(&path, |k| k.1 == "0003-c.md").unwrap().unwrap().is_empty());
    assert!(matches!(read_entries(&dir.path().join("none.bin")), Ok(None)));
    // One flipped bit anywhere: the checksum refuses the shard, never a wrong record.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[7] ^= 4;
    std::fs::write(&path, bytes).unwrap();
    assert!(read_entries(&path).is_err() && read_matching(&path, |_| true).is_err());
}

/// A store given ahead of its walk ([`Store::ahead`]) is the one [`Store::open`] gives when
/// nothing changed; when something did, the walk says so, and the store opened from that walk
/// holds the change.
#[test]
fn a_store_given_ahead_of_its_walk_stands_only_for_an_unchanged_tree() {
    let tree = tempfile::tempdir().unwrap();
    // Old enough not to be read again for being modified just before the store was written.
    let write = |k: usize, title: &str, age: u64| {
        let p = tree.path().join(format!("{k:04}-d.md"));
        std::fs::write(&p, format!("# {k}. {title}\n\n## Status\n\nAccepted\n")).unwrap();
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(when).unwrap();
    };
    (1..=3).for_each(|k| write(k, "Decision", 3600));
    let dir = tempfile::tempdir().unwrap();
    let ingest = IngestOptions::new(vec![tree.path().to_path_buf()]);
    let opts = StoreOptions { dir: Some(dir.path().to_path_buf()), refresh: true, ..StoreOptions::default() };
    let titles = |store: &mut Store| -> Vec<String> {
        store.load::<Records>().unwrap().corpus().adrs.iter().map(|a| a.display_title().to_string()).collect()
    };
    // No summary yet: nothing to give ahead.
    assert!(Store::ahead(&ingest, &opts).unwrap().is_none());
    let built = Store::open(&ingest, &opts, &|_| {}).unwrap();
    let (mut ahead, walk) = Store::ahead(&ingest, &opts).unwrap().expect("a summary to go by");
    assert!(matches!(walk.confirm(), Checked::Same));
    let mut opened = Store::open(&ingest, &opts, &|_| {}).unwrap();
    assert_eq!((ahead.generation(), &ahead.report), (opened.generation(), &opened.report));
    assert_eq!((ahead.generation(), titles(&mut ahead)), (built.generation(), titles(&mut opened)));
    // The same size, another time: only the walk can tell.
    write(2, "Changed!", 1800);
    let (mut stale, walk) = Store::ahead(&ingest, &opts).unwrap().expect("a summary to go by");
    assert_eq!(titles(&mut stale)[1], "Decision", "the store as it was");
    let Checked::Changed(Some(walked)) = walk.confirm() else { panic!("the change is seen") };
    let mut fresh = Store::open_after(&ingest, &opts, &|_| {}, walked).unwrap();
    assert_ne!(fresh.generation(), built.generation());
    assert_eq!(titles(&mut fresh), ["Decision", "Changed!", "Decision"]);
    assert_eq!(fresh.report.parsed, 1);
    // Not refreshed, or rebuilt: opened as usual.
    for opts in
        [StoreOptions { refresh: false, ..opts.clone() }, StoreOptions { rebuild: true, ..opts.clone() }]
    {
        assert!(Store::ahead(&ingest, &opts).unwrap().is_none());
    }
}

#[test]
fn a_derived_value_is_read_back_only_for_its_records_and_salt() {
    let tree = tempfile::tempdir().unwrap();
    let write = |title: &str| {
        let p = tree.path().join("0001-d.md");
        std::fs::write(&p, format!("# 1. {title}\n\n## Status\n\nAccepted\n")).unwrap();
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(when).unwrap();
    };
    write("Decision");
    let dir = tempfile::tempdir().unwrap();
    let ingest = IngestOptions::new(vec![tree.path().to_path_buf()]);
    let opts = StoreOptions { dir: Some(dir.path().to_path_buf()), refresh: true, ..StoreOptions::default() };
    let store = Store::open(&ingest, &opts, &|_| {}).unwrap();
    assert_eq!(store.derived::<Vec<String>>("x", 1), None, "nothing kept yet");
    store.keep_derived("x", 1, &vec!["kept".to_string()]);
    let store = Store::open(&ingest, &opts, &|_| {}).unwrap();
    assert_eq!(store.derived::<Vec<String>>("x", 1), Some(vec!["kept".to_string()]));
    assert_eq!(store.derived::<Vec<String>>("x", 2), None, "another salt");
    assert_eq!(store.derived::<Vec<String>>("y", 1), None, "another name");
    // Another process writing the store: nothing kept (it may hold other records by then).
    let lock = std::fs::File::options().write(true).open(dir.path().join("lock")).unwrap();
    lock.lock().unwrap();
    store.keep_derived("x", 3, &vec!["not kept".to_string()]);
    drop(lock);
    assert_eq!(store.derived::<Vec<String>>("x", 3), None);
    write("Changed");
    let changed = Store::open(&ingest, &opts, &|_| {}).unwrap();
    assert_ne!(changed.generation(), store.generation());
    assert_eq!(changed.derived::<Vec<String>>("x", 1), None, "other records");
    // Without a folder nothing is kept.
    let memory = Store::open(&ingest, &StoreOptions { dir: None, ..opts.clone() }, &|_| {}).unwrap();
    memory.keep_derived("x", 1, &vec!["kept".to_string()]);
    assert_eq!(memory.derived::<Vec<String>>("x", 1), None);
}

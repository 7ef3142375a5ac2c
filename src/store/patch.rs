//! The quick refresh: when the walk finds the same files as the manifest and only a few of
//! them were modified, and no modification changes what other records see of a record (its
//! names, status, date, links), every other record's id, links, chain and decisions in force
//! are what they were. Then only the modified files are read, their shards rewritten, their
//! rows recorded in the manifest's delta, and their documents replaced in the full-text index
//! (beside the writing): no other record is loaded. Anything else (a file added, removed or
//! unreadable, a new title, a new link, a damaged shard) goes the full way, before anything is
//! written.

use super::*;
use crate::search::schema::*;

/// Most files a quick refresh takes: past that, the full refresh's parallel parts are as fast.
pub(super) const LIMIT: usize = 256;

/// `index.pending`: the documents quick refreshes left behind in the full-text index (a
/// command that does not search does not wait for it), so that the next search replaces just
/// those instead of comparing every document's signature (1 s at 100,000 decisions).
pub(super) const PENDING: &str = "index.pending";

/// Most documents `index.pending` lists.
const PENDING_FILES: usize = 4096;

/// The content of `index.pending`. A hint: every document is checked against its stored
/// signature before it is replaced, and anything unexpected goes the full way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Pending {
    /// The generation the index holds (before the first refresh that left documents behind).
    pub from: u64,
    /// The generation replacing these documents brings it to: the store's after the last one.
    pub to: u64,
    /// `(root, rel, hash, sidecar)` of each file whose document is behind, with the content
    /// its document describes, in path order.
    pub files: Vec<(usize, String, u64, u64)>,
}

/// Record that the documents of `docs` (positions in `m`, with the content their documents
/// describe) were left at generation `before` while the store moved to `m.generation`, adding
/// them to what was left behind before.
pub(super) fn leave_pending(dir: &Path, m: &Manifest, before: u64, docs: &[(usize, u64, u64)]) {
    // Without an index, the first search builds it from nothing anyway.
    if !dir.join("index").is_dir() {
        return;
    }
    let mut p = match read_file::<Pending>(&dir.join(PENDING)) {
        Ok(Some(p)) if p.to == before => p,
        _ => Pending { from: before, to: before, files: Vec::new() },
    };
    for &(i, hash, sidecar) in docs {
        let (root, rel) = (m.files[i].0, m.files[i].1.as_str());
        // A file left behind before keeps the content its document describes.
        if let Err(at) = p.files.binary_search_by(|f| (f.0, f.1.as_str()).cmp(&(root, rel))) {
            p.files.insert(at, (root, rel.to_string(), hash, sidecar));
        }
    }
    p.to = m.generation;
    // Past that many, replacing them one by one is no faster than the full way.
    if p.files.len() > PENDING_FILES {
        let _ = std::fs::remove_file(dir.join(PENDING));
        return;
    }
    let _ = write_replacing(dir, PENDING, &p, false);
}

/// What a quick refresh did.
pub(super) struct Patched {
    /// The manifest now in the store.
    pub manifest: Manifest,
    /// Files parsed (their content changed).
    pub parsed: usize,
    /// Documents replaced in the full-text index, when it was brought up to date here.
    pub indexed: Option<usize>,
    /// Problems met on the way (a damaged shard, an index that could not be written).
    pub warnings: Vec<String>,
}

/// Positions (in the manifest) of the files the walk saw with another size, time or sidecar
/// than the manifest records, or modified too close to its writing to be trusted; `None` when
/// the walk found other files, other skipped files or other roots than the manifest.
pub(super) fn candidates(m: &Manifest, tree: &ingest::TreeScan) -> Option<Vec<usize>> {
    let base = tree.base();
    if base.roots != m.roots || base.skipped != m.skipped || base.files_seen != m.files_seen {
        return None;
    }
    let racy_after = m.written_at - ingest::RACY_NS;
    let mut out = Vec::new();
    let mut n = 0;
    for ((root, rel, size, mtime, sidecar), old) in tree.decision_files().zip(&m.files) {
        if root != old.0 || rel != old.1 {
            return None;
        }
        if size != old.2 || mtime != old.3 || sidecar != old.5 || mtime >= racy_after || mtime == 0 {
            out.push(n);
        }
        n += 1;
    }
    (n == m.files.len() && tree.decision_files().count() == n).then_some(out)
}

/// Whether other records see `a` and `b` alike: the same names (path, slug, number, title, by
/// which links find a record and ids are made), the same status and date (which place it in a
/// supersession chain and decide what is in force) and the same links (line numbers aside).
pub(super) fn same_to_others(a: &Adr, b: &Adr) -> bool {
    fn link(l: &crate::model::Link) -> impl PartialEq + '_ {
        (&l.kind, &l.label, &l.qualifier, &l.text, &l.target, l.number, l.source)
    }
    a.path == b.path
        && a.rel_path == b.rel_path
        && a.slug == b.slug
        && a.number == b.number
        && a.title == b.title
        && a.date == b.date
        && a.status == b.status
        && a.links.len() == b.links.len()
        && a.links.iter().zip(&b.links).all(|(x, y)| link(x) == link(y))
}

/// Refresh the store at `dir` (whose lock the caller holds) from manifest `m` for the files at
/// `changed` positions of the manifest, whose walk entries are `sub`, in the same order; the
/// rest of the walk (`walk`) has the manifest's files and skipped files. `Err(m)`, the manifest
/// given back as it was, when a quick refresh cannot tell the result is the full refresh's, or
/// cannot write it: then nothing was written that the full refresh does not rewrite.
pub(super) fn refresh(
    dir: &Path,
    m: Manifest,
    sub: ingest::TreeScan,
    changed: &[usize],
    (ingest_opts, key, walk): (&IngestOptions, u64, &WalkTable),
    index: bool,
) -> std::result::Result<Patched, Box<Manifest>> {
    if changed.len() > LIMIT {
        return Err(Box::new(m));
    }
    match inputs(dir, &m, sub, changed, ingest_opts) {
        Some((scan, fresh, same_slim)) => {
            finish(dir, m, (scan, fresh, same_slim), changed, (key, walk), index)
        }
        None => Err(Box::new(m)),
    }
}

/// The new states of the files at `changed` positions, which of them changed in content
/// (positions in the scan), and whether those all kept their graph snapshot records (with
/// their diagnostics); `None` when one changed what other records see, or cannot be read.
fn inputs(
    dir: &Path,
    m: &Manifest,
    sub: ingest::TreeScan,
    changed: &[usize],
    ingest_opts: &IngestOptions,
) -> Option<(Scan, Vec<usize>, bool)> {
    // The earlier states of these files, from their graph snapshot shards.
    let mut by_shard: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in changed {
        by_shard.entry(shard_of(m.files[i].0, &m.files[i].1, m.shards)).or_default().push(i);
    }
    let mut before: HashMap<usize, crate::parse::Parsed> = HashMap::new();
    for (&n, positions) in &by_shard {
        let entries: Vec<ShardEntry> = read_entries(&dir.join(slim_name(n))).ok()??;
        for &i in positions {
            let f = &m.files[i];
            let e = entries.iter().find(|e| (e.root, &e.rel, e.hash, e.sidecar) == (f.0, &f.1, f.4, f.5))?;
            before.insert(i, e.parsed.clone());
        }
    }
    let states: Vec<Box<FileState>> =
        changed.iter().map(|&i| Box::new(state_of(&m.files[i], before[&i].clone()))).collect();
    let scan = ingest::parse_tree(ingest_opts, sub, Some(Prior::new(states, m.written_at)), &|_| ());
    if !scan.corpus.skipped.is_empty() || scan.files.len() != changed.len() {
        return None;
    }
    // Files whose content changed (parsed in full), each seen alike by the others.
    let mut fresh = Vec::new();
    for (k, f) in scan.files.iter().enumerate() {
        let old = &m.files[changed[k]];
        if (f.root, &f.rel) != (old.0, &old.1) {
            return None;
        }
        if (f.hash, f.sidecar) != (old.4, old.5) {
            if !same_to_others(&before[&changed[k]].adr, &f.parsed.adr) {
                return None;
            }
            fresh.push(k);
        }
    }
    let same_slim = fresh.iter().all(|&k| slim_of(&scan.files[k].parsed) == before[&changed[k]]);
    Some((scan, fresh, same_slim))
}

/// Write what [`inputs`] found, and replace the changed documents in the index.
fn finish(
    dir: &Path,
    mut m: Manifest,
    (scan, fresh, same_slim): (Scan, Vec<usize>, bool),
    changed: &[usize],
    (key, walk): (u64, &WalkTable),
    index: bool,
) -> std::result::Result<Patched, Box<Manifest>> {
    // The new manifest: the previous one with these files' states (the previous states kept
    // aside, to give the previous manifest back if writing fails).
    let earlier: Vec<_> = changed.iter().map(|&i| m.files[i].clone()).collect();
    let (written_at, generation, file_base) = (m.written_at, m.generation, m.file_base.clone());
    for (k, f) in scan.files.iter().enumerate() {
        m.files[changed[k]] = (f.root, f.rel.clone(), f.size, f.mtime, f.hash, f.sidecar);
    }
    if let Some((_, rows)) = m.file_base.as_mut() {
        rows.extend(changed);
        rows.sort_unstable();
        rows.dedup();
    }
    m.written_at = ingest::nanos(std::time::SystemTime::now());
    m.generation = generation_of(&m.roots, m.files.iter().map(|f| (f.0, f.1.as_str(), f.4, f.5))) ^ key;
    let mut warnings = Vec::new();
    // The index, when it held exactly the previous content: each changed record's document is
    // replaced by one with the same id and decisions in force (nothing another record sees
    // changed), after checking that the stored document is the one the manifest describes.
    // That runs beside the writing of the shards and manifest: both mostly wait for the disk.
    // Should the writing fail, the full refresh that follows finds the same content, so the
    // documents replaced here are its documents too.
    let docs: Vec<(&FileState, u64, u64)> =
        fresh.iter().map(|&k| (&*scan.files[k], earlier[k].4, earlier[k].5)).collect();
    let (written, replaced) = std::thread::scope(|s| {
        let replaced = index.then(|| s.spawn(|| replace_documents(dir, (generation, &m), &docs, key)));
        let written = write_all(dir, &m, &scan.files, (&fresh, changed, &earlier), walk, &mut warnings);
        (written, replaced.map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))))
    });
    drop(docs);
    if written.is_none() {
        for (k, &i) in changed.iter().enumerate() {
            m.files[i] = earlier[k].clone();
        }
        (m.written_at, m.generation, m.file_base) = (written_at, generation, file_base);
        return Err(Box::new(m));
    }
    // The query snapshot is made of the graph snapshot records and their diagnostics: when
    // none changed, the snapshot of the previous generation holds this one too.
    if same_slim && generation != m.generation {
        let query = crate::snapshot::QueryFile::open(&dir.join("query.bin")).map(|q| q.generation());
        if let Some(written_for) = query {
            if written_for == generation || query_alias(dir) == Some((written_for, generation)) {
                let _ = write_replacing(dir, QUERY_ALIAS, &(written_for, m.generation), false);
            }
        }
    }
    let mut indexed = None;
    match replaced {
        Some(Ok(Some(done))) => {
            indexed = Some(done);
            let _ = std::fs::remove_file(dir.join(PENDING));
        }
        Some(Err(e)) => {
            let path = dir.join("index");
            let e = index_io_error(e, &path);
            warnings.push(format!("cannot update the full-text index at {} ({e})", path.display()));
        }
        // Not asked to, or the index holds another generation: these documents are left to the
        // next search.
        Some(Ok(None)) | None => {
            let left: Vec<(usize, u64, u64)> =
                fresh.iter().map(|&k| (changed[k], earlier[k].4, earlier[k].5)).collect();
            if generation != m.generation {
                leave_pending(dir, &m, generation, &left);
            }
        }
    }
    Ok(Patched { manifest: m, parsed: scan.parsed, indexed, warnings })
}

/// Write the shards of the `fresh` positions of `files` (the new states of the files at
/// `changed` positions, whose earlier states are `earlier`), then the manifest `m`. `None`
/// when something could not be written.
type Positions<'a> = (&'a [usize], &'a [usize], &'a [(usize, String, u64, i128, u64, u64)]);

fn write_all(
    dir: &Path,
    m: &Manifest,
    files: &[Box<FileState>],
    (fresh, changed, earlier): Positions<'_>,
    walk: &WalkTable,
    warnings: &mut Vec<String>,
) -> Option<()> {
    if !fresh.is_empty() {
        let mut full: Vec<Box<FileState>> = fresh.iter().map(|&k| files[k].clone()).collect();
        let slim: Vec<Box<FileState>> = full
            .iter()
            .map(|f| Box::new(FileState { parsed: slim_of(&f.parsed), ..(**f).clone() }))
            .collect();
        let touched: std::collections::BTreeSet<usize> =
            full.iter().map(|f| shard_of(f.root, &f.rel, m.shards)).collect();
        // A stored entry stays when the new manifest holds its key, or held it before
        // (the manifest is in path order: a binary search, no path hashed).
        let keep = |(root, rel, hash, sidecar): ContentKey<'_>| -> bool {
            let Ok(i) = m.files.binary_search_by(|f| (f.0, f.1.as_str()).cmp(&(root, rel))) else {
                return false;
            };
            let now = &m.files[i];
            if (now.4, now.5) == (hash, sidecar) {
                return true;
            }
            changed.iter().zip(earlier).any(|(&c, old)| c == i && (old.4, old.5) == (hash, sidecar))
        };
        let all_fresh = vec![true; full.len()];
        let detached = Detached::take(&mut full, &all_fresh);
        let write = |name_of: fn(usize) -> String, files: &[Box<FileState>], detached: &Detached| {
            write_shards(dir, (name_of, m.shards), (files, &all_fresh, detached), &keep, &touched, false)
        };
        let none = Detached::none();
        let (records, snapshot) =
            rayon::join(|| write(shard_name, &full, &detached), || write(slim_name, &slim, &none));
        warnings.extend(records.ok()?);
        warnings.extend(snapshot.ok()?);
    }
    // The walk saw the manifest's files and skipped files: the summary describes it.
    write_manifest_delta(dir, m, Some(walk)).ok()
}

/// Replace the documents of `docs` (each new state with its earlier content hash and sidecar)
/// in the index at `dir`, when it holds generation `before` and each stored document's
/// signature is the one its earlier content gives it; commit with `after`'s generation. `Ok(None)` when
/// the index is not in that state (then a full sync is needed).
pub(super) fn replace_documents(
    dir: &Path,
    (before, after): (u64, &Manifest),
    docs: &[(&FileState, u64, u64)],
    key: u64,
) -> tantivy::Result<Option<usize>> {
    let schema = IndexSchema::new();
    let Ok(index) = open_index(&dir.join("index"), &schema) else { return Ok(None) };
    if index.load_metas()?.payload != Some(before.to_string()) {
        return Ok(None);
    }
    if before == after.generation {
        return Ok(Some(0));
    }
    register_tokenizers(&index);
    let reader: IndexReader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let searcher = reader.searcher();
    let mut kept = Vec::with_capacity(docs.len());
    for (f, old_hash, old_sidecar) in docs {
        let a = &f.parsed.adr;
        let term = Term::from_field_text(schema.path, &a.path);
        let found =
            searcher.search(&TermQuery::new(term, IndexRecordOption::Basic), &TopDocs::with_limit(2))?;
        let [(_, addr)] = found.as_slice() else { return Ok(None) };
        let doc: TantivyDocument = searcher.doc(*addr)?;
        let Some(id) = doc.get_first(schema.id).and_then(|v| v.as_str()).map(str::to_string) else {
            return Ok(None);
        };
        let in_force: Vec<String> =
            doc.get_all(schema.in_force).filter_map(|v| v.as_str().map(str::to_string)).collect();
        let stored = searcher.segment_reader(addr.segment_ord).fast_fields().u64("sig")?.first(addr.doc_id);
        let root = after.roots.get(f.root).map(String::as_str).unwrap_or("");
        if stored
            != Some(signature((*old_hash, *old_sidecar, key), &id, &a.path, root, &in_force, STORE_FORMAT))
        {
            return Ok(None);
        }
        kept.push((id, in_force, root));
    }
    // A few documents: one indexing thread with tantivy's smallest memory budget.
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    for ((f, _, _), (id, in_force, root)) in docs.iter().zip(&kept) {
        let a = &f.parsed.adr;
        let sig = signature((f.hash, f.sidecar, key), id, &a.path, root, in_force, STORE_FORMAT);
        writer.delete_term(Term::from_field_text(schema.path, &a.path));
        writer.add_document(document(&schema, a, id, sig, root, in_force))?;
    }
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&after.generation.to_string());
    prepared.commit()?;
    writer.wait_merging_threads()?;
    Ok(Some(docs.len()))
}

#[cfg(test)]
mod tests {
    use super::same_to_others;
    use crate::parse::parse_adr;

    const BASE: &str =
        "# 3. Use Kafka\n\nDate: 2024-01-02\n\n## Status\n\nSuperseded by [ADR 7](0007-x.md)\n\n\
                        ## Context\n\nWe need a log.\n\n## Decision\n\nKafka.\n\nSee [ADR 2](0002-y.md).\n";

    fn same(other: &str) -> bool {
        let a = parse_adr(BASE, "adr/0003-use-kafka.md", "0003-use-kafka.md").adr;
        let b = parse_adr(other, "adr/0003-use-kafka.md", "0003-use-kafka.md").adr;
        same_to_others(&a, &b)
    }

    #[test]
    fn prose_and_line_numbers_are_not_seen_by_others() {
        assert!(same(BASE));
        assert!(same(&BASE.replace("We need a log.", "We need a log.\n\nMore context,\nover lines.")));
        assert!(same(&BASE.replace("Kafka.\n", "Kafka, with three brokers.\n")));
    }

    #[test]
    fn names_status_dates_and_links_are() {
        for changed in [
            BASE.replace("Use Kafka", "Use Pulsar"),
            BASE.replace("2024-01-02", "2024-01-03"),
            BASE.replace("Superseded by [ADR 7](0007-x.md)", "Accepted"),
            BASE.replace("ADR 7](0007-x.md)", "ADR 8](0008-x.md)"),
            BASE.replace("See [ADR 2](0002-y.md).", "See [ADR 2](0002-y.md) and [ADR 1](0001-z.md)."),
        ] {
            assert!(!same(&changed), "{changed}");
        }
    }
}

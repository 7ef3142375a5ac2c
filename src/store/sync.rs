//! The store's full-text index (`index/`, `index.pending`): brought up to date with the records
//! by itself, document by document, and rebuilt when damaged.

use super::*;
use crate::search::schema::*;
use crate::search::{quietly, SearchIndex};

/// Whether an index error means the index on disk is damaged: corrupt data, or a file left by
/// a killed run (`FileAlreadyExists("<segment>.<opstamp>.del")`) in the way of the next write.
fn damaged(error: &str) -> bool {
    error.contains("orrupt") || error.contains("FileAlreadyExists")
}

impl Store {
    /// Bring the full-text index up to date with the records and open it for searching. When
    /// the index already holds this generation, the records are not even read; otherwise only
    /// the graph snapshot and the full records of the documents that differ are.
    pub fn sync_index(&mut self) -> Result<SearchIndex> {
        match quietly(|| self.sync_index_once()) {
            Ok(Ok(index)) => Ok(index),
            Ok(Err(e)) if !damaged(&e.to_string()) => Err(e),
            // A damaged index (tantivy panics or reports corrupt data on some damage, or finds
            // a file of a killed run where it writes its next one): rebuilt from the records,
            // with a warning, instead of failing every search after.
            Ok(Err(e)) => self.rebuild_index(&e.to_string()),
            Err(panic) => self.rebuild_index(&panic),
        }
    }

    /// [`Store::sync_index`], or, when the store cannot take the index (a full disk, a
    /// read-only folder), an index built in memory from the records, with a warning saying so.
    pub fn sync_index_or_memory(&mut self) -> Result<SearchIndex> {
        match self.sync_index() {
            Err(e @ Error::Io { .. }) => {
                self.warnings.push(format!("cannot update the full-text index ({e}); searching in memory"));
                let corpus = self.load::<Records>()?.into_corpus();
                crate::search::index_in_memory(&corpus)
            }
            other => other,
        }
    }

    /// Throw the full-text index away and build it again from the records, saying why.
    pub fn rebuild_index(&mut self, why: &str) -> Result<SearchIndex> {
        if let Some(dir) = &self.dir {
            let _guard = lock(dir, self.on_wait)?;
            let _ = std::fs::remove_dir_all(dir.join("index"));
        }
        self.warnings.push(format!("the full-text index was damaged ({why}); rebuilt it from the records"));
        match quietly(|| self.sync_index_once()) {
            Ok(r) => r,
            Err(panic) => Err(io_err(
                &self.dir.clone().unwrap_or_default().join("index"),
                std::io::Error::other(format!("the rebuilt index failed too: {panic}")),
            )),
        }
    }

    pub(super) fn sync_index_once(&mut self) -> Result<SearchIndex> {
        let schema = IndexSchema::new();
        let index = match &self.dir {
            Some(dir) => {
                let path = dir.join("index");
                match open_index(&path, &schema) {
                    Ok(i) => i,
                    Err(e) => {
                        let _guard = lock(dir, self.on_wait)?;
                        self.warnings
                            .push(format!("the full-text index was unreadable ({e}); rebuilding it"));
                        let _ = std::fs::remove_dir_all(&path);
                        open_index(&path, &schema)
                            .map_err(|e| io_err(&path, std::io::Error::other(e.to_string())))?
                    }
                }
            }
            None => Index::create_in_ram(schema.schema.clone()),
        };
        // Some damage makes tantivy neither panic nor report an error but answer wrongly (a
        // zeroed run of postings drops hits): every segment file's checksum is verified first.
        // Verifying reads every byte (3 ms for the 37 MB index of 20,000 decisions), so it is
        // done when a file of the index changed since the last verification, as the tree's own
        // files are re-read only when their change stamps differ.
        if let Some(dir) = &self.dir {
            let path = dir.join("index");
            let memo = dir.join("index-verified");
            let stamps = index_stamps(&path);
            if std::fs::read(&memo).ok().as_deref() != Some(stamps.as_bytes()) {
                let bad = index
                    .validate_checksum()
                    .map_err(|e| io_err(&path, std::io::Error::other(e.to_string())))?;
                if !bad.is_empty() {
                    let _ = std::fs::remove_file(&memo);
                    let mut names: Vec<String> = bad.iter().map(|p| p.display().to_string()).collect();
                    names.sort();
                    let what = format!("corrupt: checksum mismatch in {}", names.join(", "));
                    return Err(io_err(&path, std::io::Error::other(what)));
                }
                // Best effort: a memo not written (or torn) only means verifying again.
                let _ = std::fs::write(&memo, stamps.as_bytes());
            }
        }
        register_tokenizers(&index);
        let index_path = self.dir.as_ref().map_or_else(|| PathBuf::from("(memory)"), |d| d.join("index"));
        let to_err = |e: tantivy::TantivyError| io_err(&index_path, index_io_error(e, &index_path));
        // The index holds this generation, and, when the number of decisions is known without
        // reading the manifest, one live document for each (a count that differs is repaired
        // by the sync: a duplicate was seen after a run killed while writing).
        let known = self.known_decisions();
        let current = |index: &Index| -> bool {
            index.load_metas().ok().is_some_and(|m| {
                let live: u64 = m.segments.iter().map(|s| u64::from(s.num_docs())).sum();
                m.payload.is_some_and(|p| p == self.generation.to_string())
                    && known.is_none_or(|n| n as u64 == live)
            })
        };
        if !current(&index) {
            // Held until the index is written: a second process waits here, then finds it done.
            let _guard = match &self.dir {
                Some(dir) => Some(lock(dir, self.on_wait)?),
                None => None,
            };
            if !current(&index) {
                let (added, removed) = match self.sync_pending() {
                    Some(added) => (added, 0),
                    None => self.sync_documents(&index, &schema).map_err(|e| match e {
                        SyncError::Tantivy(e) => to_err(e),
                        SyncError::Store(e) => e,
                    })?,
                };
                if let Some(dir) = &self.dir {
                    let _ = std::fs::remove_file(dir.join(patch::PENDING));
                }
                self.report.indexed = added;
                self.report.unindexed = removed;
            }
        }
        let reader: IndexReader =
            index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(to_err)?;
        Ok(SearchIndex { index, reader, schema, stems: Default::default() })
    }
}

/// The change stamps (name, length, modification and change times, inode) of the full-text
/// index's files, one line each in name order; tantivy's lock files are left out.
pub(super) fn index_stamps(path: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let mut lines: Vec<String> = std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|entry| {
            let m = entry.metadata().ok()?;
            Some(format!(
                "{} {} {}.{} {}.{} {}",
                entry.file_name().to_string_lossy(),
                m.len(),
                m.mtime(),
                m.mtime_nsec(),
                m.ctime(),
                m.ctime_nsec(),
                m.ino()
            ))
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

pub(super) fn open_index(path: &Path, schema: &IndexSchema) -> tantivy::Result<Index> {
    std::fs::create_dir_all(path)?;
    let dir = tantivy::directory::MmapDirectory::open(path)?;
    let index = Index::open_or_create(dir, schema.schema.clone())?;
    // A schema from another version: start over.
    if index.schema() != schema.schema {
        return Err(tantivy::TantivyError::SchemaError("schema changed".into()));
    }
    Ok(index)
}

/// Why a sync of the full-text index failed.
pub(super) enum SyncError {
    Tantivy(tantivy::TantivyError),
    Store(Error),
}

impl From<tantivy::TantivyError> for SyncError {
    fn from(e: tantivy::TantivyError) -> Self {
        SyncError::Tantivy(e)
    }
}

impl From<Error> for SyncError {
    fn from(e: Error) -> Self {
        SyncError::Store(e)
    }
}

/// The signature [`indexed_docs`] gives a path held by more than one live document.
const DUPLICATE: u64 = u64::MAX;

/// Every document of the index: its path and signature, from fast fields (the path
/// dictionary streamed once, in order: a look-up per document would decompress a block each
/// time).
pub(super) fn indexed_docs(index: &Index) -> tantivy::Result<HashMap<String, u64>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut indexed: HashMap<String, u64> = HashMap::new();
    for seg in searcher.segment_readers() {
        let paths = seg.fast_fields().str("path")?;
        let sigs = seg.fast_fields().u64("sig")?;
        let Some(paths) = paths else { continue };
        let mut terms = Vec::new();
        let mut stream = paths.dictionary().stream()?;
        while stream.advance() {
            terms.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        for doc in seg.doc_ids_alive() {
            if let (Some(ord), Some(sig)) = (paths.term_ords(doc).next(), sigs.first(doc)) {
                if let Some(path) = terms.get(ord as usize) {
                    // Two live documents of one path (what a run killed at the wrong moment
                    // was seen to leave): a signature no record has, so that the sync deletes
                    // both and adds the record once.
                    if indexed.insert(path.clone(), sig).is_some() {
                        indexed.insert(path.clone(), DUPLICATE);
                    }
                }
            }
        }
    }
    Ok(indexed)
}

/// The store's tantivy writer: a thread per core (up to four), 128 MB of indexing memory each.
/// 128 MB rather than tantivy's usual 64: 100,000 decisions end in 2 segments instead of 6,
/// and a search, which opens every segment's files, takes 4.3 ms instead of 5 (peak memory of a
/// first index 1.0 -> 1.1 GB, same time).
pub(super) fn new_writer(index: &Index) -> tantivy::Result<IndexWriter> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4);
    index.writer_with_num_threads(threads, 128 * 1024 * 1024 * threads)
}

/// The I/O error behind a tantivy error. When tantivy only says that a writer thread stopped
/// (its own I/O error stays in the thread), a small probe write into the index folder finds
/// the cause (a full disk, a read-only folder) so that the message names it.
pub(super) fn index_io_error(e: tantivy::TantivyError, dir: &Path) -> std::io::Error {
    match e {
        tantivy::TantivyError::IoError(io) => std::io::Error::new(io.kind(), io.to_string()),
        tantivy::TantivyError::OpenWriteError(tantivy::directory::error::OpenWriteError::IoError {
            io_error,
            ..
        }) => std::io::Error::new(io_error.kind(), io_error.to_string()),
        other => {
            let probe = dir.join(".adrgraph-probe");
            let tried = std::fs::write(&probe, vec![0u8; 1 << 20]);
            let _ = std::fs::remove_file(&probe);
            match tried {
                Err(io) => {
                    std::io::Error::new(io.kind(), format!("{io} (the index writer stopped: {other})"))
                }
                Ok(()) => std::io::Error::other(other.to_string()),
            }
        }
    }
}

/// The full-text index being fed during a refresh.
pub(super) struct Feed {
    pub(super) index: Index,
    pub(super) schema: IndexSchema,
    pub(super) writer: IndexWriter,
    /// Path and signature of every document, as it will be once the writer commits.
    pub(super) indexed: HashMap<String, u64>,
    /// Paths added so far.
    pub(super) added: std::collections::HashSet<String>,
}

impl Feed {
    /// Open the store's index for writing; `None` (with a warning) when it cannot be.
    pub(super) fn open(dir: &Path, warnings: &mut Vec<String>) -> Option<Feed> {
        let schema = IndexSchema::new();
        let path = dir.join("index");
        let opened = open_index(&path, &schema).or_else(|e| {
            warnings.push(format!("the full-text index was unreadable ({e}); rebuilding it"));
            let _ = std::fs::remove_dir_all(&path);
            open_index(&path, &schema)
        });
        let fed = opened.and_then(|index| {
            register_tokenizers(&index);
            let indexed = indexed_docs(&index)?;
            let writer = new_writer(&index)?;
            Ok(Feed { index, schema, writer, indexed, added: Default::default() })
        });
        match fed {
            Ok(f) => Some(f),
            Err(e) => {
                warnings.push(format!("cannot open the full-text index for writing ({e})"));
                None
            }
        }
    }

    /// Add the records parsed now, with the ids they will most likely keep (their slugs) and
    /// no decisions in force; superseded records wait for the last pass, which knows theirs.
    pub(super) fn add_parsed<'r>(
        &mut self,
        files: &[Box<FileState>],
        fresh: &[bool],
        config_key: u64,
        root_of: impl Fn(usize) -> &'r str,
    ) -> tantivy::Result<()> {
        for (f, &fresh) in files.iter().zip(fresh) {
            let a = &f.parsed.adr;
            if !fresh || a.status == Status::Superseded {
                continue;
            }
            let root = root_of(f.root);
            let sig = signature((f.hash, f.sidecar, config_key), &a.slug, &a.path, root, &[], STORE_FORMAT);
            if self.indexed.get(&a.path) == Some(&sig) {
                continue;
            }
            self.writer.delete_term(Term::from_field_text(self.schema.path, &a.path));
            self.writer.add_document(document(&self.schema, a, &a.slug, sig, root, &[]))?;
            self.indexed.insert(a.path.clone(), sig);
            self.added.insert(a.path.clone());
        }
        Ok(())
    }
}

impl Store {
    /// Make the index hold exactly the store's records: compare each document's signature with
    /// its record's, re-add what differs (reading only those full records), delete what is gone,
    /// and commit with the generation as the payload. Returns (added, removed).
    /// Bring the index up to date by replacing only the documents quick refreshes left behind
    /// (`index.pending`), when it names the generation the index holds and this store's, and
    /// every stored document is the one it describes. `None`: the full way is needed.
    pub(super) fn sync_pending(&mut self) -> Option<usize> {
        let dir = self.dir.clone()?;
        let pending = read_file::<patch::Pending>(&dir.join(patch::PENDING)).ok()??;
        if pending.to != self.generation {
            return None;
        }
        let m = self.load_manifest().ok()?;
        let positions: Vec<usize> = pending
            .files
            .iter()
            .map(|(root, rel, _, _)| {
                m.files.binary_search_by(|f| (f.0, f.1.as_str()).cmp(&(*root, rel))).ok()
            })
            .collect::<Option<_>>()?;
        let loaded = self.load_full(Some(&positions)).ok()?;
        if !loaded.iter().map(|(i, _)| *i).eq(positions.iter().copied()) {
            return None;
        }
        let m = self.manifest.as_ref()?;
        let states: Vec<FileState> =
            loaded.into_iter().map(|(i, parsed)| state_of(&m.files[i], parsed)).collect();
        let docs: Vec<(&FileState, u64, u64)> = states
            .iter()
            .zip(&pending.files)
            .map(|(s, (_, _, hash, sidecar))| (s, *hash, *sidecar))
            .collect();
        patch::replace_documents(&dir, (pending.from, m), &docs, m.config_key).ok()?
    }

    pub(super) fn sync_documents(
        &mut self,
        index: &Index,
        s: &IndexSchema,
    ) -> std::result::Result<(usize, usize), SyncError> {
        let indexed = indexed_docs(index)?;
        let writer = new_writer(index)?;
        self.sync_with(s, writer, indexed, Default::default())
    }

    /// The last pass of a sync, on a writer that may hold documents already (`indexed` says
    /// what the index will hold once it commits, `added` which paths were added).
    pub(super) fn sync_with(
        &mut self,
        s: &IndexSchema,
        mut writer: IndexWriter,
        indexed: HashMap<String, u64>,
        mut added: std::collections::HashSet<String>,
    ) -> std::result::Result<(usize, usize), SyncError> {
        let corpus = self.outline_corpus()?;
        let in_force = in_force_of(&corpus);
        let m = self.manifest.as_ref().expect("loaded with the corpus");
        let root_of = |i: usize| -> &str {
            corpus.roots.get(corpus.adr_roots.get(i).copied().unwrap_or(0)).map(String::as_str).unwrap_or("")
        };
        let mut wanted: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
        for (i, a) in corpus.adrs.iter().enumerate() {
            let f = &m.files[i];
            let sig =
                signature((f.4, f.5, m.config_key), &a.id, &a.path, root_of(i), &in_force[i], STORE_FORMAT);
            wanted.insert(a.path.as_str(), (i, sig));
        }
        let to_add: Vec<(usize, u64)> =
            wanted.iter().filter(|(p, (_, sig))| indexed.get(**p) != Some(sig)).map(|(_, v)| *v).collect();
        let to_remove: Vec<&String> =
            indexed.keys().filter(|p| !wanted.contains_key(String::as_str(p))).collect();
        for p in &to_remove {
            writer.delete_term(Term::from_field_text(s.path, p));
        }
        // The full records of the documents to add: in memory, or read from their shards a
        // part at a time (memory holds one part's records).
        let mut by_group: Vec<Vec<(usize, u64)>> = vec![Vec::new(); GROUPS];
        for &(i, sig) in &to_add {
            by_group[shard_of(m.files[i].0, &m.files[i].1, m.shards) * GROUPS / m.shards].push((i, sig));
        }
        let in_memory = self.records.take();
        for part in by_group.into_iter().filter(|g| !g.is_empty()) {
            let loaded: Vec<(usize, crate::parse::Parsed)> = match &in_memory {
                Some(r) => part.iter().map(|(i, _)| (*i, r[*i].clone())).collect(),
                None => {
                    let idxs: Vec<usize> = part.iter().map(|(i, _)| *i).collect();
                    self.load_full(Some(&idxs))?
                }
            };
            for (&(i, sig), (_, parsed)) in part.iter().zip(&loaded) {
                let a = &parsed.adr;
                writer.delete_term(Term::from_field_text(s.path, &a.path));
                writer.add_document(document(s, a, &corpus.adrs[i].id, sig, root_of(i), &in_force[i]))?;
                added.insert(a.path.clone());
            }
        }
        self.records = in_memory;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&self.generation.to_string());
        prepared.commit()?;
        writer.wait_merging_threads()?;
        Ok((added.len(), to_remove.len()))
    }
}

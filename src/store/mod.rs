//! The on-disk store: what a refresh keeps between runs, and how it is kept.
//!
//! A store is a folder (by default in the user's cache directory, keyed by the roots, so that
//! nothing is written into the repository) holding:
//!
//! - `manifest.bin`: every decision file's size, modification time and content hash, plus the
//!   walk's skipped files and diagnostics (`Manifest`), and a generation naming this content.
//!   `manifest.delta`: the rows that quick refreshes changed since, so that a refresh of a few
//!   files does not rewrite the whole manifest (10 MB at 100,000 files).
//! - `summary.bin`: the manifest in brief (generation, time, count, and a fingerprint of the walk
//!   it was made from), so that a refresh with nothing changed decodes nothing; `walk.bin`: that
//!   walk's per-file hashes, sorted, so that a refresh finds what changed without sorting.
//! - `slim/NN.bin`: the *graph snapshot*: every record without its long texts (title, number,
//!   status, dates, people, tags, links, option titles), which is all that listing, impact,
//!   chains, paths and graph export need; in 8 to 512 shards keyed by path and content hash, like
//!   the full records, so that a changed file rewrites one small shard.
//! - `records/NN.bin`: the full parsed records in as many shards, keyed by path and content hash,
//!   so that a changed file rewrites one shard, not every record.
//! - `query.bin`: the *query snapshot* of decisions and the links between them, laid out to be
//!   read in place (`snapshot/`); written by the first query after a change.
//!   `query.alias`: the other generation it holds, after a quick refresh that left every
//!   record's snapshot fields as they were.
//! - `index/`: a tantivy index of the records. Each document carries its file path and a
//!   signature of what was indexed, so the index brings itself up to date by itself
//!   ([`Store::sync_index`]): whatever a crash interrupted is redone, never misread.
//!   `index.pending`: the documents quick refreshes by commands that do not search left
//!   behind, so that the next search replaces just those.
//! - `lock`: an advisory lock held while the store is written; a second process waits for it.
//!
//! Every file is written to a temporary file and renamed into place, shards first and the
//! manifest last, so a crash leaves the previous state readable.
//!
//! [`Store::open`] refreshes the store: it walks the roots' metadata and parses only files
//! that were added or changed; with nothing changed it parses nothing. Commands that do not
//! search never touch the tantivy index.

use crate::error::{Error, Result};
use crate::ingest::{self, Corpus, FileState, IngestOptions, Prior, Scan, Skipped};
use crate::model::{Adr, Diagnostic, Status};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

mod ahead;
mod derived;
mod files;
mod manifest;
mod patch;
mod refresh;
mod shards;
mod sync;
#[cfg(test)]
mod tests;
mod views;

pub use crate::snapshot::Focus;
pub use ahead::{Ahead, Checked};
use files::*;
use manifest::*;
use shards::*;
use sync::*;
pub use views::{Decisions, Focused, Outline, Records, View};

/// A record as an [`Outline`] holds it: without its long texts (what the graph, listings and
/// queries read).
pub fn outline_of(p: &crate::parse::Parsed) -> crate::parse::Parsed {
    shards::slim_of(p)
}

/// Version of the store's layout and of the parser's output; a store written with another is
/// rebuilt, not misread.
pub const STORE_FORMAT: u32 = 14;

/// Number of shards for a tree of `files` decision files, chosen when a store is built: 256 to
/// 512 records a shard, so that a changed file rewrites little, but no fewer than 8 shards
/// and no more than 512 (a first build writes every shard).
pub fn shards_for(files: usize) -> usize {
    (files / 256).next_power_of_two().clamp(8, 512)
}

/// Hash naming one content of the tree: its roots and every decision file's
/// `(root, rel, hash, sidecar)`, in path order.
fn generation_of<'a>(roots: &[String], files: impl Iterator<Item = ContentKey<'a>>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for r in roots {
        h.update(r.as_bytes());
        h.update(b"\n");
    }
    for (root, rel, hash, sidecar) in files {
        h.update(&(root as u64).to_le_bytes());
        h.update(rel.as_bytes());
        h.update(&hash.to_le_bytes());
        h.update(&sidecar.to_le_bytes());
    }
    h.update(&STORE_FORMAT.to_le_bytes());
    h.digest()
}

/// Hash of the ingest settings a stored parse depends on, the roots as given among them: a
/// record names its file as its root was spelt (`doc/adr/0001-x.md`, `../doc/adr/0001-x.md`),
/// so a store made under another spelling holds other paths.
pub fn config_key(opts: &IngestOptions) -> u64 {
    let text = format!(
        "{:?}|{:?}|{}|{}|{:?}",
        opts.exclude, opts.vocabulary, opts.respect_ignore, opts.follow_links, opts.roots
    );
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

fn manifest_of(scan: &Scan, config_key: u64, shards: usize) -> Manifest {
    // The walk's own diagnostics: those no file's parse produced.
    let own: std::collections::BTreeSet<&Diagnostic> =
        scan.files.iter().flat_map(|f| f.parsed.diagnostics.iter()).collect();
    Manifest {
        format: STORE_FORMAT,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        written_at: ingest::nanos(std::time::SystemTime::now()),
        generation: generation_of(
            &scan.corpus.roots,
            scan.files.iter().map(|f| (f.root, f.rel.as_str(), f.hash, f.sidecar)),
        ) ^ config_key,
        config_key,
        roots: scan.corpus.roots.clone(),
        abs_roots: scan.corpus.abs_roots.clone(),
        files_seen: scan.corpus.files_seen,
        skipped: scan.corpus.skipped.clone(),
        walk_diagnostics: scan.corpus.diagnostics.iter().filter(|d| !own.contains(d)).cloned().collect(),
        files: scan
            .files
            .iter()
            .map(|f| (f.root, f.rel.clone(), f.size, f.mtime, f.hash, f.sidecar))
            .collect(),
        shards,
        file_base: None,
    }
}

/// Where and how to keep the store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// The store folder; `None`: a folder under `cache` named after the roots.
    pub dir: Option<PathBuf>,
    /// The folder under which a store per set of roots is made when `dir` is `None` (the
    /// command line passes the user's cache directory, `~/.cache/adrgraph`); with neither, the
    /// tree is read without a store. The library reads no environment variable to find it.
    pub cache: Option<PathBuf>,
    /// Refresh from the tree (default); `false` trusts the store as it is.
    pub refresh: bool,
    /// Start over.
    pub rebuild: bool,
    /// Bring the full-text index up to date during the refresh (for commands that search): its
    /// indexing overlaps the parsing. Without it the index is only touched by
    /// [`Store::sync_index`].
    pub index: bool,
    /// The store is the point of the call (`adrgraph index`): a store folder that cannot be
    /// used is an error, not a warning followed by a read of the tree without it.
    pub required: bool,
    /// Called with the store folder when another process holds the store's lock, before
    /// waiting for it (the command line says so on stderr); the library itself prints nothing.
    pub on_wait: Option<fn(&Path)>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            dir: None,
            cache: None,
            refresh: true,
            rebuild: false,
            index: false,
            required: false,
            on_wait: None,
        }
    }
}

/// What a refresh did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshReport {
    /// The store folder, or null when working without one.
    pub store: Option<String>,
    /// Whether the tree was looked at.
    pub refreshed: bool,
    /// Files parsed.
    pub parsed: usize,
    /// Files whose stored parse was reused.
    pub reused: usize,
    /// Decision files that were in the store and are gone.
    pub removed: usize,
    /// Why the store was rebuilt, if it was.
    pub rebuilt: Option<String>,
    /// Documents the full-text index added or replaced in its last sync.
    pub indexed: usize,
    /// Documents the full-text index removed in its last sync.
    pub unindexed: usize,
    /// Whether the refresh took the quick way: a few files modified in ways no other record
    /// sees, so that only they were read and only their shards and documents rewritten.
    pub quick: bool,
}

/// The store folder of these roots under `cache`: the first root's name and a hash of every
/// root and of how it was spelt (`shown`: `doc/adr` from the top, `../doc/adr` from a
/// subfolder), so that two trees never share a store, and the paths a store holds are the ones
/// its commands show.
pub fn store_dir_in(cache: &Path, abs_roots: &[PathBuf], shown: &[PathBuf]) -> PathBuf {
    let mut key = String::new();
    for r in abs_roots {
        key.push_str(&r.to_string_lossy());
        key.push('\n');
    }
    for r in shown {
        key.push_str(&r.to_string_lossy());
        key.push('\n');
    }
    let hash = xxhash_rust::xxh3::xxh3_64(key.as_bytes());
    let name = abs_roots
        .first()
        .and_then(|r| r.file_name())
        .map(|n| {
            n.to_string_lossy()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(24)
                .collect::<String>()
        })
        .unwrap_or_default();
    cache.join(format!("{name}-{hash:016x}"))
}

/// An open store: the manifest, the records once loaded, and where it lives (if it could be
/// written).
pub struct Store {
    dir: Option<PathBuf>,
    /// Read lazily: a search that trusts the store needs only the generation.
    manifest: Option<Manifest>,
    generation: u64,
    /// Number of decisions, when known without the manifest.
    decisions: Option<usize>,
    /// Full records, once loaded (or just parsed), in manifest order.
    records: Option<Vec<crate::parse::Parsed>>,
    /// Records without their long texts (the graph snapshot), once loaded, in manifest order.
    slim: Option<Vec<crate::parse::Parsed>>,
    /// How the tree is read: a record missing from the store is re-read with it.
    ingest: IngestOptions,
    /// Told when the store's lock is held by another process ([`StoreOptions::on_wait`]).
    on_wait: Option<fn(&Path)>,
    /// What opening did.
    pub report: RefreshReport,
    /// Problems with the store itself (not with the tree), to show the user.
    pub warnings: Vec<String>,
}

/// Hash of what makes two walks of the same files read the same way: the settings (and
/// adrgraph's version and store format) and the roots.
fn settings_of(roots: &[String], key: u64, opts: &IngestOptions) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&key.to_le_bytes());
    h.update(&STORE_FORMAT.to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&opts.max_file_size.to_le_bytes());
    for r in &opts.roots {
        h.update(r.as_os_str().as_encoded_bytes());
        h.update(b"\0");
    }
    for r in roots {
        h.update(r.as_bytes());
        h.update(b"\0");
    }
    h.digest()
}

/// A walk's fingerprint: its settings ([`settings_of`]) and its print (every file's path, kind,
/// size and time).
fn tree_fingerprint(settings: u64, print: ingest::WalkPrint) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&settings.to_le_bytes());
    h.update(&print.files.to_le_bytes());
    h.update(&(print.count as u64).to_le_bytes());
    h.digest()
}

/// From how many files a walk's or a tree's list is freed on a thread of its own: 100,000 paths
/// take 15 ms to free, not on the way to the answer, but a thousand take less than starting the
/// thread costs the command.
const FREE_ASIDE_FROM: usize = 8192;

/// Drop `value`, a list of `files` files, on a thread of its own when it is large.
fn free_aside<T: Send + 'static>(files: usize, value: T) {
    if files >= FREE_ASIDE_FROM {
        std::thread::spawn(move || drop(value));
    } else {
        drop(value);
    }
}

/// Whether every file's time can be trusted against a manifest written at `written_at`: known,
/// and more than two seconds older (else a change within the same timestamp could hide).
fn settled(print: ingest::WalkPrint, written_at: i128) -> bool {
    !print.unknown_time && print.newest < written_at - ingest::RACY_NS
}

/// Whether the tree the walk just saw is the one the manifest describes, file for file: every
/// file [`patch::candidates`] finds has the manifest's metadata and, modified within two seconds
/// of the manifest's writing, its content too. The number of files checked by content.
fn unchanged(m: &Manifest, tree: &ingest::TreeScan) -> Option<usize> {
    let checked = patch::candidates(m, tree)?;
    if checked.is_empty() {
        return Some(0);
    }
    let files: Vec<_> = tree.decision_files().collect();
    for &i in &checked {
        let ((root, rel, size, mtime, sidecar), old) = (files[i], &m.files[i]);
        if (size, mtime, sidecar) != (old.2, old.3, old.5) {
            return None;
        }
        // Modified just before the manifest was written: the timestamp may hide a second
        // change, so compare the content itself.
        let path = tree.base().abs_roots.get(root).map(|r| r.join(rel));
        let same = path
            .and_then(|p| ingest::read_guarded(&p, ingest::DEFAULT_MAX_FILE_SIZE).ok())
            .is_some_and(|b| xxhash_rust::xxh3::xxh3_64(&b) == old.4);
        if !same {
            return None;
        }
    }
    Some(checked.len())
}

/// File states from a manifest and records of the same generation, in order. Boxed: a state
/// is 800 bytes, and a refresh moves every one through several maps and lists.
#[allow(clippy::vec_box, reason = "states are moved many times; boxes move as pointers")]
fn states(m: &Manifest, records: Vec<crate::parse::Parsed>) -> Vec<Box<FileState>> {
    m.files.iter().zip(records).map(|(row, parsed)| Box::new(state_of(row, parsed))).collect()
}

/// The state of the file a manifest row describes, with its record.
fn state_of(
    (root, rel, size, mtime, hash, sidecar): &(usize, String, u64, i128, u64, u64),
    parsed: crate::parse::Parsed,
) -> FileState {
    FileState {
        root: *root,
        rel: rel.clone(),
        size: *size,
        mtime: *mtime,
        hash: *hash,
        sidecar: *sidecar,
        parsed,
    }
}

/// Key of one file's content: `(root, rel, hash, sidecar)`.
type ContentKey<'a> = (usize, &'a str, u64, u64);

/// The query snapshot of decisions built from the graph snapshot, to be written (see
/// [`Decisions::save`]).
#[derive(Debug)]
pub struct QueryWrite {
    dir: PathBuf,
    generation: u64,
}

impl Store {
    /// The query snapshot's writer for what this store holds now, when it has a folder: a
    /// command that built the decisions' graph from the [`Outline`] itself writes it with
    /// that graph, so that the next question reads the snapshot instead of building again.
    pub fn query_write(&self) -> Option<QueryWrite> {
        self.dir.clone().map(|dir| QueryWrite { dir, generation: self.generation })
    }
}

impl QueryWrite {
    /// Write the query snapshot of `corpus` and `graph` (those of the [`Decisions`] it came
    /// with), when no other process is writing the store and it still holds their generation:
    /// it is a cache, not a commit, so nothing is reported when it cannot be written.
    pub fn write(&self, corpus: &Corpus, graph: &crate::DecisionGraph) {
        let dir = &self.dir;
        let Ok(f) = File::options().create(true).truncate(false).write(true).open(dir.join("lock")) else {
            return;
        };
        if f.try_lock().is_err() || read_file::<u64>(&dir.join("generation.bin")) != Ok(Some(self.generation))
        {
            return;
        }
        if let Some(bytes) = crate::snapshot::encode(
            self.generation,
            corpus,
            &graph.decision_edge_list(),
            &graph.diagnostics(&corpus.adrs),
        ) {
            if write_bytes(dir, "query.bin", &bytes, true).is_ok() {
                let _ = std::fs::remove_file(dir.join(QUERY_ALIAS));
            }
        }
    }
}

/// The walk of a refresh, as far as it went.
enum Walk {
    /// Files listed, not sorted or classified.
    Listed(Box<ingest::Walked>),
    /// Being sorted and classified on another thread.
    Sorting(std::thread::JoinHandle<ingest::TreeScan>),
    /// No walk yet.
    Not,
}

impl Walk {
    /// The sorted and classified tree, walking it now if it was not.
    fn tree(self, opts: &IngestOptions) -> Result<ingest::TreeScan> {
        match self {
            Walk::Listed(w) => Ok(w.finish(opts)),
            Walk::Sorting(h) => Ok(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))),
            Walk::Not => ingest::scan_tree(opts),
        }
    }
}

/// How the warning of a store that could not be written begins (see [`Store::unwritten`]).
const UNWRITTEN: &str = "cannot write the store";
/// How the warning of a store that could not be locked (a read-only store) begins.
const NOT_UPDATED: &str = "cannot lock the store";

impl Store {
    /// Why the refresh could not write the store, when it could not (the answers are complete,
    /// but nothing was kept): what `adrgraph index`, whose job is the store, fails on.
    pub fn unwritten(&self) -> Option<&str> {
        self.warnings.iter().find(|w| w.starts_with(UNWRITTEN)).map(String::as_str)
    }

    /// The store after a quick refresh; the lock is released, then the full-text index is
    /// brought up to date the full way if the quick refresh could not (and `index` asks).
    fn quick(
        dir: PathBuf,
        p: patch::Patched,
        ingest: &IngestOptions,
        mut report: RefreshReport,
        mut warnings: Vec<String>,
        guard: Option<File>,
        opts: &StoreOptions,
    ) -> Store {
        report.parsed = p.parsed;
        report.reused = p.manifest.files.len() - p.parsed;
        report.quick = true;
        warnings.extend(p.warnings);
        let mut store = Store::stored(dir, Some(p.manifest), ingest, report, warnings, opts.on_wait);
        drop(guard);
        match p.indexed {
            Some(n) => store.report.indexed = n,
            None if opts.index => {
                if let Err(e) = store.sync_index() {
                    store.warnings.push(format!("cannot update the full-text index ({e})"));
                }
            }
            None => {}
        }
        store
    }

    /// A store whose records stay on disk until needed.
    fn stored(
        dir: PathBuf,
        manifest: Option<Manifest>,
        ingest: &IngestOptions,
        report: RefreshReport,
        warnings: Vec<String>,
        on_wait: Option<fn(&Path)>,
    ) -> Store {
        let generation = manifest.as_ref().map_or(0, |m| m.generation);
        Store {
            on_wait,
            dir: Some(dir),
            manifest,
            generation,
            decisions: None,
            records: None,
            slim: None,
            ingest: ingest.clone(),
            report,
            warnings,
        }
    }

    /// Open (creating or refreshing as asked) the store for these ingest options. When the store
    /// folder cannot be written, the tree is read without one and a warning says why.
    pub fn open(
        ingest_opts: &IngestOptions,
        opts: &StoreOptions,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Store> {
        match Store::opening(ingest_opts, opts)? {
            Ok(opening) => opening.open(progress),
            Err(warnings) => refresh::unstored(ingest_opts, opts, warnings, progress),
        }
    }

    /// What opening starts from: the store folder's [`refresh::Opening`], or, when there is
    /// no usable folder, the warnings that say why (the tree is then read without a store).
    fn opening<'a>(
        ingest_opts: &'a IngestOptions,
        opts: &'a StoreOptions,
    ) -> Result<std::result::Result<refresh::Opening<'a>, Vec<String>>> {
        for r in ingest_opts.roots.iter().filter(|_| ingest_opts.source.is_none()) {
            if !r.is_dir() {
                return Err(Error::BadRoot(r.display().to_string()));
            }
        }
        let abs_roots: Vec<PathBuf> = ingest_opts
            .roots
            .iter()
            .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()))
            .collect();
        let mut warnings = Vec::new();
        Ok(match refresh::usable_dir(opts, &abs_roots, &ingest_opts.roots, &mut warnings)? {
            Some(dir) => Ok(refresh::Opening::new(dir, ingest_opts, opts, abs_roots, warnings)),
            None => Err(warnings),
        })
    }

    fn load_manifest(&mut self) -> Result<&Manifest> {
        if self.manifest.is_none() {
            let dir = self.dir.clone().expect("the manifest is only missing when a store folder is used");
            let read = match read_manifest(&dir) {
                // Damage the quick no-change check did not look at (a flipped bit): the store is
                // built again from the tree, with a warning, rather than read wrongly or failing.
                Err(why) => {
                    let opts = StoreOptions {
                        dir: Some(dir.clone()),
                        rebuild: true,
                        on_wait: self.on_wait,
                        ..StoreOptions::default()
                    };
                    let mut fresh = Store::open(&self.ingest, &opts, &|_| {})?;
                    let mut warnings = std::mem::take(&mut self.warnings);
                    warnings.push(format!("{why}; rebuilt the store from the tree"));
                    warnings.append(&mut fresh.warnings);
                    fresh.warnings = warnings;
                    fresh.report.rebuilt = Some(why);
                    *self = fresh;
                    match self.manifest.take() {
                        Some(m) => Ok(Some(m)),
                        None => read_manifest(&dir),
                    }
                }
                ok => ok,
            };
            let m = read
                .map_err(|e| io_err(&dir.join("manifest.bin"), std::io::Error::other(e)))?
                .ok_or_else(|| {
                    io_err(
                        &dir.join("manifest.bin"),
                        std::io::Error::other("no manifest: run `adrgraph index`"),
                    )
                })?;
            self.manifest = Some(m);
        }
        Ok(self.manifest.as_ref().expect("loaded"))
    }

    /// Load the full records of these manifest positions (all when `None`) from the shards; a
    /// record missing from them (a damaged shard) is re-read from the tree, with a warning.
    fn load_full(&mut self, only: Option<&[usize]>) -> Result<Vec<(usize, crate::parse::Parsed)>> {
        use rayon::prelude::*;
        self.load_manifest()?;
        let dir = self.dir.clone().expect("records are only missing when a store folder is used");
        let m = self.manifest.as_ref().expect("loaded");
        let wanted: Vec<usize> = match only {
            Some(w) => w.to_vec(),
            None => (0..m.files.len()).collect(),
        };
        let mut shards: Vec<usize> =
            wanted.iter().map(|&i| shard_of(m.files[i].0, &m.files[i].1, m.shards)).collect();
        shards.sort_unstable();
        shards.dedup();
        // A few records asked for (`show`): only theirs are decoded.
        let asked: Option<std::collections::HashSet<ContentKey<'_>>> = only.map(|w| {
            w.iter().map(|&i| (m.files[i].0, m.files[i].1.as_str(), m.files[i].4, m.files[i].5)).collect()
        });
        let loaded: Vec<(usize, std::result::Result<Vec<ShardEntry>, String>)> = shards
            .par_iter()
            .map(|&n| {
                let path = dir.join(shard_name(n));
                let read = match &asked {
                    Some(asked) => read_matching(&path, |k| asked.contains(&k)),
                    None => read_entries(&path),
                };
                (n, read.map(Option::unwrap_or_default))
            })
            .collect();
        let mut by_key: HashMap<(usize, String, u64, u64), crate::parse::Parsed> = HashMap::new();
        for (_, r) in loaded {
            match r {
                Ok(entries) => {
                    for e in entries {
                        let key = (e.root, e.rel.clone(), e.hash, e.sidecar);
                        // A damaged entry is missing: its file is read again below.
                        if let Some(parsed) = e.into_parsed() {
                            by_key.insert(key, parsed);
                        }
                    }
                }
                Err(why) => self.warnings.push(why),
            }
        }
        let mut out = Vec::with_capacity(wanted.len());
        let mut missing = Vec::new();
        for &i in &wanted {
            let f = &m.files[i];
            match by_key.remove(&(f.0, f.1.clone(), f.4, f.5)) {
                Some(p) => out.push((i, p)),
                None => missing.push(i),
            }
        }
        // A store that could not take this run's changes (read-only) lacks the records of the
        // files that changed: they are read from the tree as expected, not as damage.
        let not_updated = self.warnings.iter().any(|w| w.starts_with(NOT_UPDATED));
        if !missing.is_empty() && !not_updated {
            self.warnings.push(format!(
                "{} stored record(s) were missing or damaged and were re-read from the tree; \
                 `adrgraph index --rebuild` repairs the store",
                missing.len()
            ));
        }
        if !missing.is_empty() {
            let roots = m.roots.clone();
            let abs = m.abs_roots.clone();
            let reread: Vec<(usize, crate::parse::Parsed)> = missing
                .par_iter()
                .map(|&i| {
                    let (root, rel, sidecar) = (m.files[i].0, &m.files[i].1, m.files[i].5);
                    let parsed = ingest::reread(&self.ingest, (&roots[root], &abs[root]), rel, sidecar != 0);
                    (i, parsed)
                })
                .collect();
            out.extend(reread);
            out.sort_by_key(|(i, _)| *i);
        }
        Ok(out)
    }

    fn load_records(&mut self) -> Result<()> {
        if self.records.is_none() {
            let all = self.load_full(None)?;
            self.records = Some(all.into_iter().map(|(_, p)| p).collect());
        }
        Ok(())
    }

    fn load_slim(&mut self) -> Result<()> {
        if self.slim.is_some() || self.records.is_some() {
            return Ok(());
        }
        self.load_manifest()?;
        let dir = self.dir.clone().expect("the snapshot is only missing when a store folder is used");
        match read_slim(&dir, self.manifest.as_ref().expect("loaded")) {
            Ok(Some(r)) => {
                self.slim = Some(r);
                Ok(())
            }
            other => {
                if let Err(why) = other {
                    self.warnings.push(format!("{why}; reading the full records instead"));
                }
                self.load_records()
            }
        }
    }

    fn corpus_of(&self, records: Vec<crate::parse::Parsed>) -> Corpus {
        let m = self.manifest.as_ref().expect("loaded with the records");
        let roots: Vec<usize> = m.files.iter().map(|f| f.0).collect();
        let base = Corpus {
            roots: m.roots.clone(),
            abs_roots: m.abs_roots.clone(),
            files_seen: m.files_seen,
            skipped: m.skipped.clone(),
            diagnostics: m.walk_diagnostics.clone(),
            ..Corpus::default()
        };
        ingest::assemble_owned(base, &roots, records)
    }

    /// The corpus with full records (read from the store the first time): [`Records`].
    fn records_corpus(&mut self) -> Result<Corpus> {
        self.load_records()?;
        // With a store folder the records are taken, not copied (a second call reads them
        // again); without one they exist only here.
        let records = if self.dir.is_some() {
            self.records.take().expect("loaded")
        } else {
            self.records.clone().expect("loaded")
        };
        Ok(self.corpus_of(records))
    }

    /// The corpus as the graph snapshot holds it, every field but the long texts: [`Outline`].
    fn outline_corpus(&mut self) -> Result<Corpus> {
        self.load_slim()?;
        // Taken, not copied: a second call reads the snapshot again.
        let records = match self.slim.take() {
            Some(s) => s,
            None => self.records.iter().flatten().map(slim_of).collect(),
        };
        Ok(self.corpus_of(records))
    }

    /// The query snapshot, when it holds this generation (or its alias says that it does).
    fn query_file(&self) -> Option<crate::snapshot::QueryFile> {
        let dir = self.dir.as_ref()?;
        let q = crate::snapshot::QueryFile::open(&dir.join("query.bin"))?;
        (q.generation() == self.generation || query_alias(dir) == Some((q.generation(), self.generation)))
            .then_some(q)
    }

    /// The whole record of the decision file `rel` below root `root` (as a corpus's
    /// `adr_roots` and a record's `rel_path` name it), read from its shard alone: what `show`
    /// needs of the long texts, where loading [`Records`] reads every shard. `None` when no
    /// decision file of the tree is there. Its id and dialect are the file's own reading: the
    /// tree assigns ids and folder dialects ([`crate::ingest::assemble_owned`]), so take those
    /// from a view.
    pub fn whole_record(&mut self, root: usize, rel: &str) -> Result<Option<crate::parse::Parsed>> {
        let m = self.load_manifest()?;
        // The manifest's files are in (root, path) order.
        let Ok(i) = m.files.binary_search_by(|f| (f.0, f.1.as_str()).cmp(&(root, rel))) else {
            return Ok(None);
        };
        Ok(self.whole_records(Some(&[i]))?.into_iter().next().map(|(_, p)| p))
    }

    /// The whole records at these places of the store's records (every one when `None`), each
    /// with its place, read from their shards (only the entries asked for are decoded). Like
    /// [`Store::whole_record`], their ids and dialects are the files' own readings.
    pub fn whole_records(&mut self, places: Option<&[usize]>) -> Result<Vec<(usize, crate::parse::Parsed)>> {
        if let Some(records) = &self.records {
            return Ok(match places {
                Some(p) => p.iter().filter_map(|&i| Some((i, records.get(i)?.clone()))).collect(),
                None => records.iter().cloned().enumerate().collect(),
            });
        }
        self.load_full(places)
    }

    /// Number of decisions when it is known without reading the manifest (or the manifest is
    /// read already): after a refresh, always; after `--no-refresh`, when the store's summary
    /// is the manifest's (it is read beside the generation).
    pub fn known_decisions(&self) -> Option<usize> {
        match &self.manifest {
            Some(m) => Some(m.files.len()),
            None => self.decisions,
        }
    }

    /// Number of decisions (from the manifest: no record is read).
    pub fn decisions(&mut self) -> Result<usize> {
        match self.known_decisions() {
            Some(n) => Ok(n),
            None => Ok(self.load_manifest()?.files.len()),
        }
    }

    /// The generation naming the records the store holds now: equal generations mean equal
    /// records, whoever refreshed the store (this process or another).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The store folder, if one is in use.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }
}

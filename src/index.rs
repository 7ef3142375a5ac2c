//! The on-disk store and full-text search.
//!
//! A store is a folder (by default in the user's cache directory, keyed by the roots, so that
//! nothing is written into the repository) holding:
//!
//! - `manifest.bin`: every decision file's size, modification time and content hash, plus the
//!   walk's skipped files and diagnostics ([`Manifest`]), and a generation naming this content.
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
//!   read in place ([`crate::snapshot`]); written by the first query after a change.
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
//!
//! Search is BM25 over title (boosted), every section, options, people and tags, with English
//! stemming, case folding and accent folding (`decisao` finds `decisão`), tantivy's query syntax
//! (phrases, `+must`, `-not`, `field:value`) plus `word*` prefixes, and filters.

use crate::error::{Error, Result};
use crate::ingest::{self, Corpus, FileState, IngestOptions, Prior, Scan, Skipped};
use crate::model::{Adr, Date, Diagnostic, Status};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

mod patch;

/// Version of the store's layout and of the parser's output; a store written with another is
/// rebuilt, not misread.
pub const STORE_FORMAT: u32 = 7;

/// The small part of the store, read by every run: each decision file's metadata, the walk's
/// findings, and a generation that names this exact content.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// [`STORE_FORMAT`] at writing time.
    pub format: u32,
    /// adrgraph version at writing time.
    pub tool_version: String,
    /// When it was written (ns since the epoch).
    pub written_at: i128,
    /// Hash of the roots and of every decision file's path, content and sidecar: equal
    /// generations mean equal records.
    pub generation: u64,
    /// Hash of the settings that change what is read and how (exclude globs, vocabulary).
    pub config_key: u64,
    /// Roots as displayed.
    pub roots: Vec<String>,
    /// Absolute roots.
    pub abs_roots: Vec<PathBuf>,
    /// Files seen by the walk.
    pub files_seen: usize,
    /// Skipped files.
    pub skipped: Vec<Skipped>,
    /// Diagnostics of the walk itself (files' own diagnostics are in the records).
    pub walk_diagnostics: Vec<Diagnostic>,
    /// Every decision file: `(root, rel, size, mtime, hash, sidecar)`.
    #[serde(with = "file_table")]
    pub files: Vec<(usize, String, u64, i128, u64, u64)>,
    /// Number of shards the records and the graph snapshot are kept in ([`shards_for`]).
    pub shards: usize,
    /// What `manifest.bin` holds of this manifest: its `(generation, written_at)` and the
    /// positions of the rows that differ from it (kept in `manifest.delta`); `None` for a
    /// manifest not read from a file.
    #[serde(skip)]
    file_base: Option<((u64, i128), Vec<usize>)>,
}

/// The manifest's file list as one byte string of columns (roots, path lengths, sizes, times,
/// hashes, sidecars, then every path): encoded and decoded with a few copies instead of six
/// variable-length numbers and a string per file (a third of the time at 100,000 files).
mod file_table {
    use serde::de::Visitor;
    use serde::{Deserializer, Serializer};

    type Row = (usize, String, u64, i128, u64, u64);

    pub fn serialize<S: Serializer>(files: &[Row], s: S) -> Result<S::Ok, S::Error> {
        let pool: usize = files.iter().map(|f| f.1.len()).sum();
        let mut out = Vec::with_capacity(8 + files.len() * 48 + pool);
        out.extend_from_slice(&(files.len() as u64).to_le_bytes());
        for f in files {
            out.extend_from_slice(&(f.0 as u32).to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&(f.1.len() as u32).to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&f.2.to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&f.3.to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&f.4.to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&f.5.to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(f.1.as_bytes());
        }
        s.serialize_bytes(&out)
    }

    /// The rows of an encoded table; `None` when it is short, long or not UTF-8 where a path is.
    fn decode(b: &[u8]) -> Option<Vec<Row>> {
        let n = usize::try_from(u64::from_le_bytes(b.get(..8)?.try_into().ok()?)).ok()?;
        let col = |at: usize, width: usize| b.get(at..at.checked_add(n.checked_mul(width)?)?);
        let roots = col(8, 4)?;
        let lens = col(8 + 4 * n, 4)?;
        let sizes = col(8 + 8 * n, 8)?;
        let times = col(8 + 16 * n, 16)?;
        let hashes = col(8 + 32 * n, 8)?;
        let sides = col(8 + 40 * n, 8)?;
        let pool = std::str::from_utf8(b.get(8 + 48 * n..)?).ok()?;
        let u32_at =
            |c: &[u8], i: usize| u32::from_le_bytes(c[i * 4..i * 4 + 4].try_into().expect("4 bytes"));
        let u64_at =
            |c: &[u8], i: usize| u64::from_le_bytes(c[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        let mut rows = Vec::with_capacity(n);
        let mut at = 0usize;
        for i in 0..n {
            let end = at.checked_add(u32_at(lens, i) as usize)?;
            let rel = pool.get(at..end)?;
            at = end;
            let time = i128::from_le_bytes(times[i * 16..i * 16 + 16].try_into().expect("16 bytes"));
            rows.push((
                u32_at(roots, i) as usize,
                rel.to_string(),
                u64_at(sizes, i),
                time,
                u64_at(hashes, i),
                u64_at(sides, i),
            ));
        }
        (at == pool.len()).then_some(rows)
    }

    struct Table;

    impl Visitor<'_> for Table {
        type Value = Vec<Row>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a file table")
        }

        fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Self::Value, E> {
            decode(b).ok_or_else(|| E::custom("damaged file table"))
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Row>, D::Error> {
        d.deserialize_bytes(Table)
    }
}

/// Number of shards for a tree of `files` decision files, chosen when a store is built: 256 to
/// 512 records a shard, so that a changed file rewrites little, but no fewer than 8 shards
/// and no more than 512 (a first build writes every shard).
pub fn shards_for(files: usize) -> usize {
    (files / 256).next_power_of_two().clamp(8, 512)
}

/// Parts a refresh parses one after the other (each a run of whole shards; a store of fewer
/// shards has as many parts as shards). Only one part's full records are in memory at a time:
/// with 32 parts instead of 8, a cold graph of 100,000 decisions took 2.87 s instead of 3.10 s
/// and 531 MB instead of 645 MB (memory reused from part to part instead of newly mapped).
const GROUPS: usize = 32;

/// One stored full record, keyed by its file and content.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ShardEntry {
    root: usize,
    rel: String,
    hash: u64,
    sidecar: u64,
    parsed: crate::parse::Parsed,
    /// The section whose text is the record's context, which is then not stored a second time
    /// in `parsed` (see [`Detached`]).
    context_at: Option<u32>,
}

impl ShardEntry {
    /// The record as parsed, its context put back; `None` when the entry names a section the
    /// record does not have (a damaged shard).
    fn into_parsed(self) -> Option<crate::parse::Parsed> {
        let mut parsed = self.parsed;
        if let Some(at) = self.context_at {
            let text = &parsed.adr.sections.get(at as usize)?.text;
            if parsed.adr.context.is_some() {
                return None;
            }
            parsed.adr.context = Some(text.clone());
        }
        Some(parsed)
    }
}

/// Contexts taken out of fresh records while their shards are written. A record's context is
/// nearly always the text of one of its sections, kept whole in `sections` for the index:
/// stored once, the record shards of 10,000 adr-tools records take 51 MB instead of 94 MB (that
/// much less to encode and write).
struct Detached(Vec<Option<(u32, String)>>);

impl Detached {
    /// Take out the context of each `fresh` record that one of its sections repeats.
    fn take(files: &mut [Box<FileState>], fresh: &[bool]) -> Detached {
        use rayon::prelude::*;
        Detached(
            files
                .par_iter_mut()
                .zip(fresh)
                .map(|(f, &fresh)| {
                    let adr = &mut f.parsed.adr;
                    let context = adr.context.as_deref().filter(|_| fresh)?;
                    let at = adr.sections.iter().position(|s| s.text == context)?;
                    Some((u32::try_from(at).ok()?, adr.context.take()?))
                })
                .collect(),
        )
    }

    /// None taken.
    fn none() -> Detached {
        Detached(Vec::new())
    }

    /// The section that holds the context of file `i`, when it was taken out.
    fn at(&self, i: usize) -> Option<u32> {
        self.0.get(i).and_then(|d| d.as_ref().map(|(at, _)| *at))
    }

    /// Put every context back.
    fn restore(self, files: &mut [Box<FileState>]) {
        for (f, d) in files.iter_mut().zip(self.0) {
            if let Some((_, text)) = d {
                f.parsed.adr.context = Some(text);
            }
        }
    }
}

/// The shard, of `shards`, that keeps the records of file `rel` of root `root`.
fn shard_of(root: usize, rel: &str, shards: usize) -> usize {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&(root as u64).to_le_bytes());
    h.update(rel.as_bytes());
    (h.digest() % shards.max(1) as u64) as usize
}

fn shard_name(n: usize) -> String {
    format!("records/{n:03}.bin")
}

fn slim_name(n: usize) -> String {
    format!("slim/{n:03}.bin")
}

/// Remove the shard files of both kinds numbered `count` or more (or not named as shards).
fn remove_stale_shards(dir: &Path, count: usize) {
    for name_of in [shard_name as fn(usize) -> String, slim_name] {
        let keep: std::collections::HashSet<PathBuf> = (0..count).map(|n| dir.join(name_of(n))).collect();
        let Some(folder) = dir.join(name_of(0)).parent().map(Path::to_path_buf) else { continue };
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_some_and(|x| x == "bin") && !keep.contains(&path) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The graph snapshot from its shards, one slim record per manifest file in the manifest's
/// order; `None` when an entry is missing (a shard of another generation, lost or never
/// written), an error when a shard cannot be read or decoded.
fn read_slim(dir: &Path, m: &Manifest) -> std::result::Result<Option<Vec<crate::parse::Parsed>>, String> {
    use rayon::prelude::*;
    let shards: Vec<std::result::Result<Option<Vec<ShardEntry>>, String>> =
        (0..m.shards).into_par_iter().map(|n| read_file(&dir.join(slim_name(n)))).collect();
    let mut cursors = Vec::with_capacity(m.shards);
    for s in shards {
        // A shard that is not there holds nothing: its files, if any, are found missing.
        cursors.push(s?.unwrap_or_default().into_iter().peekable());
    }
    // Both the manifest and every shard are in path order: one cursor per shard.
    let mut out = Vec::with_capacity(m.files.len());
    for (root, rel, _, _, hash, sidecar) in &m.files {
        let it = &mut cursors[shard_of(*root, rel, m.shards)];
        loop {
            let Some(e) = it.peek() else { return Ok(None) };
            match (e.root, e.rel.as_str()).cmp(&(*root, rel.as_str())) {
                std::cmp::Ordering::Less => {
                    it.next();
                }
                std::cmp::Ordering::Equal if (e.hash, e.sidecar) != (*hash, *sidecar) => {
                    it.next();
                }
                std::cmp::Ordering::Equal => {
                    out.push(it.next().expect("peeked").parsed);
                    break;
                }
                std::cmp::Ordering::Greater => return Ok(None),
            }
        }
    }
    Ok(Some(out))
}

/// A copy of a record without its long texts: what the graph, listings and queries use. Every
/// field is named, so that a field added to [`Adr`] must be placed here on purpose.
fn slim_of(p: &crate::parse::Parsed) -> crate::parse::Parsed {
    let a = &p.adr;
    let adr = Adr {
        id: a.id.clone(),
        path: a.path.clone(),
        rel_path: a.rel_path.clone(),
        slug: a.slug.clone(),
        number: a.number,
        title_number: a.title_number,
        title: a.title.clone(),
        date: a.date,
        date_raw: a.date_raw.clone(),
        date_source: a.date_source,
        status: a.status,
        status_raw: a.status_raw.clone(),
        status_history: a.status_history.clone(),
        deciders: a.deciders.clone(),
        consulted: a.consulted.clone(),
        informed: a.informed.clone(),
        technical_story: None,
        tags: a.tags.clone(),
        context: None,
        decision: None,
        decision_drivers: Vec::new(),
        options: a
            .options
            .iter()
            .map(|o| crate::model::ConsideredOption {
                title: o.title.clone(),
                cost: o.cost.clone(),
                risk: o.risk.clone(),
                chosen: o.chosen,
                line: o.line,
                ..Default::default()
            })
            .collect(),
        outcome: a.outcome.as_ref().map(|o| crate::model::Outcome {
            chosen: o.chosen.clone(),
            rationale: None,
            line: o.line,
        }),
        consequences: Default::default(),
        phases: Vec::new(),
        validation: Vec::new(),
        review_date: a.review_date,
        review_date_raw: a.review_date_raw.clone(),
        links: a.links.clone(),
        dialect: a.dialect,
        sections: Vec::new(),
    };
    crate::parse::Parsed { adr, diagnostics: p.diagnostics.clone() }
}

/// A shard entry as written: borrowed, encoded exactly like [`ShardEntry`].
#[derive(Serialize)]
struct ShardEntryRef<'a> {
    root: usize,
    rel: &'a str,
    hash: u64,
    sidecar: u64,
    parsed: &'a crate::parse::Parsed,
    context_at: Option<u32>,
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

/// Hash of the ingest settings a stored parse depends on.
pub fn config_key(opts: &IngestOptions) -> u64 {
    let text =
        format!("{:?}|{:?}|{}|{}", opts.exclude, opts.vocabulary, opts.respect_ignore, opts.follow_links);
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
    /// The store folder; `None`: the user's cache directory, keyed by the roots.
    pub dir: Option<PathBuf>,
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

/// The default store folder for these roots: `$XDG_CACHE_HOME/adrgraph/<name>-<hash of the roots>`.
pub fn default_store_dir(abs_roots: &[PathBuf]) -> Option<PathBuf> {
    let mut key = String::new();
    for r in abs_roots {
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
    dirs::cache_dir().map(|c| c.join("adrgraph").join(format!("{name}-{hash:016x}")))
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

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), source: e }
}

/// Hold the store's lock; when another process holds it, tell `on_wait` and wait.
fn lock(dir: &Path, on_wait: Option<fn(&Path)>) -> Result<File> {
    let path = dir.join("lock");
    let f =
        File::options().create(true).truncate(false).write(true).open(&path).map_err(|e| io_err(&path, e))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => {
            if let Some(tell) = on_wait {
                tell(dir);
            }
            f.lock().map_err(|e| io_err(&path, e))?;
            Ok(f)
        }
        Err(std::fs::TryLockError::Error(e)) => Err(io_err(&path, e)),
    }
}

fn read_file<T: serde::de::DeserializeOwned>(path: &Path) -> std::result::Result<Option<T>, String> {
    let Some(bytes) = read_checked(path)? else { return Ok(None) };
    postcard::from_bytes(&bytes)
        .map(Some)
        .map_err(|e| format!("{} is corrupt or truncated ({e})", path.display()))
}

/// The content of a store file written by [`write_with`], its checksum verified: every store
/// file but the query snapshot ends with the xxh3 digest of what comes before, so that one
/// flipped bit or a zeroed page is found on opening (and the part rebuilt from the tree) rather
/// than decoded into a wrong path or record. `None` when the file is missing.
fn read_checked(path: &Path) -> std::result::Result<Option<Vec<u8>>, String> {
    let mut bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let Some(body) = bytes.len().checked_sub(8) else {
        return Err(format!("{} is corrupt or truncated (no checksum)", path.display()));
    };
    let stored = u64::from_le_bytes(bytes[body..].try_into().unwrap_or([0; 8]));
    if xxhash_rust::xxh3::xxh3_64(&bytes[..body]) != stored {
        return Err(format!("{} is corrupt or truncated (checksum mismatch)", path.display()));
    }
    bytes.truncate(body);
    Ok(Some(bytes))
}

/// A writer that hashes what goes through it, for the checksum [`write_with`] appends.
struct Checksummed<'a> {
    file: &'a mut File,
    hash: xxhash_rust::xxh3::Xxh3,
}

impl std::io::Write for Checksummed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// A manifest in brief: what a refresh with nothing changed needs, so that it does not decode
/// the manifest. Removed before a manifest is replaced and written after it, so that it never
/// describes another manifest than the one on disk; written only when the manifest's skipped
/// files are the walk's (a file that could not be read is tried again on the next refresh).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Summary {
    /// The manifest's generation.
    generation: u64,
    /// The manifest's `written_at`.
    written_at: i128,
    /// [`tree_fingerprint`] of the walk the manifest describes.
    tree: u64,
    /// Number of decision files.
    decisions: usize,
}

const SUMMARY: &str = "summary.bin";

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

/// The table of the walk a manifest was made from ([`ingest::Walked::table`]): with it a later
/// walk finds the files that differ without sorting anything. Written with the summary.
#[derive(Debug, Clone, PartialEq)]
struct WalkTable {
    /// The walk's fingerprint (the summary's `tree`).
    tree: u64,
    /// The walk's settings ([`settings_of`]).
    settings: u64,
    /// Every file's hash, sorted.
    files: Vec<u64>,
}

const WALK_TABLE: &str = "walk.bin";

impl WalkTable {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(24 + self.files.len() * 8);
        out.extend_from_slice(&self.tree.to_le_bytes());
        out.extend_from_slice(&self.settings.to_le_bytes());
        out.extend_from_slice(&(self.files.len() as u64).to_le_bytes());
        for f in &self.files {
            out.extend_from_slice(&f.to_le_bytes());
        }
        out
    }

    /// `None` when the file is missing, short or of another length than it says.
    fn read(dir: &Path) -> Option<WalkTable> {
        let bytes = read_checked(&dir.join(WALK_TABLE)).ok()??;
        let word = |k: usize| -> Option<u64> {
            Some(u64::from_le_bytes(bytes.get(k * 8..k * 8 + 8)?.try_into().ok()?))
        };
        let (tree, settings, n) = (word(0)?, word(1)?, usize::try_from(word(2)?).ok()?);
        if bytes.len() != n.checked_mul(8)?.checked_add(24)? {
            return None;
        }
        let files: Vec<u64> =
            bytes[24..].chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
        files.windows(2).all(|w| w[0] <= w[1]).then_some(WalkTable { tree, settings, files })
    }
}

/// Whether every file's time can be trusted against a manifest written at `written_at`: known,
/// and more than two seconds older (else a change within the same timestamp could hide).
fn settled(print: ingest::WalkPrint, written_at: i128) -> bool {
    !print.unknown_time && print.newest < written_at - ingest::RACY_NS
}

/// `query.alias`: `(a, b)`, saying that the query snapshot written for generation `a` holds
/// generation `b` too. A quick refresh writes it when no record changed in what the snapshot is
/// made of (the records without their long texts, with their diagnostics), so that the first
/// question after an edited paragraph does not rebuild the snapshot (1.2 s at 100,000
/// decisions). The snapshot itself is never written into: readers map it.
const QUERY_ALIAS: &str = "query.alias";

/// The query snapshot's alias, if any.
fn query_alias(dir: &Path) -> Option<(u64, u64)> {
    read_file::<(u64, u64)>(&dir.join(QUERY_ALIAS)).ok().flatten()
}

/// `manifest.delta`: the rows quick refreshes changed since `manifest.bin` was written, with
/// the new generation and time. A refresh of a few files writes these few hundred bytes
/// instead of the whole manifest (10 MB at 100,000 files). It names the manifest file it
/// applies to by that file's generation and time, so a manifest written whole makes it void.
const DELTA: &str = "manifest.delta";

/// Most rows a delta holds; past that the manifest is written whole again.
const DELTA_ROWS: usize = 4096;

/// The content of `manifest.delta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Delta {
    /// `(generation, written_at)` of the manifest file it applies to.
    base: (u64, i128),
    /// The manifest's time now.
    written_at: i128,
    /// The manifest's generation now.
    generation: u64,
    /// `(position, size, mtime, hash, sidecar)` of every row that differs from the file's.
    rows: Vec<(usize, u64, i128, u64, u64)>,
}

/// Remove the summary and the walk table: they go before the manifest changes.
fn remove_summary(dir: &Path) -> Result<()> {
    for name in [SUMMARY, WALK_TABLE] {
        match std::fs::remove_file(dir.join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_err(&dir.join(name), e)),
            _ => {}
        }
    }
    Ok(())
}

/// After the manifest: its generation, then (when `walk` is given: the walk it was made from,
/// whose skipped files are the manifest's) the new walk table and summary.
fn write_after_manifest(dir: &Path, m: &Manifest, walk: Option<&WalkTable>) -> Result<()> {
    write_atomic(dir, "generation.bin", &m.generation)?;
    if let Some(w) = walk {
        write_bytes(dir, WALK_TABLE, &w.encode(), false)?;
        let s = Summary {
            generation: m.generation,
            written_at: m.written_at,
            tree: w.tree,
            decisions: m.files.len(),
        };
        write_replacing(dir, SUMMARY, &s, false)?;
    }
    Ok(())
}

/// Replace the manifest: its summary and walk table go first, the manifest is written whole
/// (which voids its delta), then the generation, walk table and summary
/// ([`write_after_manifest`]).
fn write_manifest(dir: &Path, m: &Manifest, walk: Option<&WalkTable>) -> Result<()> {
    remove_summary(dir)?;
    write_atomic(dir, "manifest.bin", m)?;
    let _ = std::fs::remove_file(dir.join(DELTA));
    write_after_manifest(dir, m, walk)
}

/// Record manifest `m`, read from `manifest.bin` and changed since only in the rows its
/// `file_base` lists (and in time and generation), as a delta beside that file; as a whole
/// manifest when it has no file base or too many changed rows.
fn write_manifest_delta(dir: &Path, m: &Manifest, walk: Option<&WalkTable>) -> Result<()> {
    let Some((base, rows)) = m.file_base.as_ref().filter(|(_, rows)| rows.len() <= DELTA_ROWS) else {
        return write_manifest(dir, m, walk);
    };
    let delta = Delta {
        base: *base,
        written_at: m.written_at,
        generation: m.generation,
        rows: rows
            .iter()
            .map(|&i| {
                let f = &m.files[i];
                (i, f.2, f.3, f.4, f.5)
            })
            .collect(),
    };
    remove_summary(dir)?;
    write_atomic(dir, DELTA, &delta)?;
    write_after_manifest(dir, m, walk)
}

/// A file's identity and state: inode, size and modification time.
type FileStamp = (u64, u64, std::time::SystemTime);

/// The manifest file's and its delta's identity and state; `None` without a manifest file.
fn manifest_stamp(dir: &Path) -> Option<(FileStamp, Option<FileStamp>)> {
    fn stamp(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some((inode, meta.len(), meta.modified().ok()?))
    }
    Some((stamp(&dir.join("manifest.bin"))?, stamp(&dir.join(DELTA))))
}

/// The manifest with its delta applied, if any.
fn read_manifest(dir: &Path) -> std::result::Result<Option<Manifest>, String> {
    let Some(mut m) = read_file::<Manifest>(&dir.join("manifest.bin"))? else { return Ok(None) };
    if m.format != STORE_FORMAT || m.tool_version != env!("CARGO_PKG_VERSION") {
        return Err(format!("the store was written by adrgraph {} (format {})", m.tool_version, m.format));
    }
    let base = (m.generation, m.written_at);
    let mut rows = Vec::new();
    let path = dir.join(DELTA);
    match read_file::<Delta>(&path)? {
        Some(d) if d.base == base => {
            if d.rows.iter().any(|r| r.0 >= m.files.len()) || !d.rows.is_sorted_by(|a, b| a.0 < b.0) {
                return Err(format!("{} is corrupt", path.display()));
            }
            for (i, size, mtime, hash, sidecar) in d.rows {
                let f = &mut m.files[i];
                (f.2, f.3, f.4, f.5) = (size, mtime, hash, sidecar);
                rows.push(i);
            }
            (m.written_at, m.generation) = (d.written_at, d.generation);
        }
        // None, or a delta of another manifest file (one written whole since).
        _ => {}
    }
    m.file_base = Some((base, rows));
    Ok(Some(m))
}

/// Write `value` to `dir/name` atomically: a temporary file, synced, renamed into place.
fn write_atomic<T: Serialize + ?Sized>(dir: &Path, name: &str, value: &T) -> Result<()> {
    write_replacing(dir, name, value, true)
}

/// Write `value` to `dir/name` through a temporary file renamed into place: a killed process
/// leaves the old file or the new one, never a mix. With `durable`, the data is synced first,
/// so that a power cut cannot leave an empty file behind the new name either; record shards
/// skip that (64 syncs were most of a first build of 1,000 decisions), because a shard lost to
/// a power cut fails to decode and its records are read again from the tree.
fn write_replacing<T: Serialize + ?Sized>(dir: &Path, name: &str, value: &T, durable: bool) -> Result<()> {
    let bytes = postcard::to_allocvec(value).map_err(|e| io_err(dir, std::io::Error::other(e)))?;
    write_bytes(dir, name, &bytes, durable)
}

/// [`write_replacing`] without `durable`, encoding straight into the file through a buffer:
/// a shard of 500 full records is 4-8 MB, which an encoded copy in memory grows to by
/// doubling, copying it each time (a tenth of a first graph of 10,000 decisions).
fn write_streamed<T: Serialize + ?Sized>(dir: &Path, name: &str, value: &T) -> Result<()> {
    write_with(dir, name, false, |f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 18, f);
        postcard::to_io(value, &mut w).map_err(std::io::Error::other)?;
        w.flush()
    })
}

/// [`write_replacing`] of bytes already encoded.
fn write_bytes(dir: &Path, name: &str, bytes: &[u8], durable: bool) -> Result<()> {
    write_with(dir, name, durable, |f| f.write_all(bytes))
}

/// Write `dir/name` through a temporary file that `fill` writes, renamed into place (synced
/// first, and the folder after, when `durable`).
fn write_with(
    dir: &Path,
    name: &str,
    durable: bool,
    fill: impl FnOnce(&mut Checksummed<'_>) -> std::io::Result<()>,
) -> Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    let path = dir.join(name);
    let written = File::create(&tmp)
        .and_then(|mut f| {
            let mut w = Checksummed { file: &mut f, hash: xxhash_rust::xxh3::Xxh3::new() };
            fill(&mut w)?;
            let digest = w.hash.digest();
            f.write_all(&digest.to_le_bytes())?;
            if durable {
                f.sync_all()?;
            }
            Ok(())
        })
        .and_then(|()| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        // A full disk must not be left fuller by a half-written temporary file.
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err(&path, e));
    }
    if durable {
        if let Some(parent) = path.parent() {
            if let Ok(d) = File::open(parent) {
                let _ = d.sync_all();
            }
        }
    }
    Ok(())
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

/// Write the shards a refresh touched. `fresh[i]` says that `files[i]` holds a record parsed
/// now; a stored record stays when `keep` says so of its content key: when the previous or the
/// new manifest holds it (the previous one's are kept so that a crash before the new manifest
/// is written leaves the previous one with all its records). With `fresh_start`, the touched
/// shards are written from `files` alone.
fn write_shards(
    dir: &Path,
    (name_of, count): (fn(usize) -> String, usize),
    (files, fresh, detached): (&[Box<FileState>], &[bool], &Detached),
    keep: &(dyn Fn(ContentKey<'_>) -> bool + Sync),
    touched: &std::collections::BTreeSet<usize>,
    fresh_start: bool,
) -> Result<Vec<String>> {
    use rayon::prelude::*;
    let folder = dir.join(name_of(0)).parent().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
    std::fs::create_dir_all(&folder).map_err(|e| io_err(&folder, e))?;
    let mut new_by_shard: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, f) in files.iter().enumerate() {
        if fresh[i] {
            new_by_shard[shard_of(f.root, &f.rel, count)].push(i);
        }
    }
    let shards: Vec<usize> = touched.iter().copied().collect();
    let results: Vec<Result<Option<String>>> = shards
        .par_iter()
        .map(|&n| {
            let name = name_of(n);
            let (old, warning) = if fresh_start {
                (Vec::new(), None)
            } else {
                match read_file::<Vec<ShardEntry>>(&dir.join(&name)) {
                    Ok(v) => (v.unwrap_or_default(), None),
                    Err(why) => (Vec::new(), Some(why)),
                }
            };
            let mut entries: BTreeMap<ContentKey<'_>, ShardEntryRef<'_>> = BTreeMap::new();
            for e in &old {
                let key = (e.root, e.rel.as_str(), e.hash, e.sidecar);
                if keep(key) {
                    entries.insert(
                        key,
                        ShardEntryRef {
                            root: e.root,
                            rel: &e.rel,
                            hash: e.hash,
                            sidecar: e.sidecar,
                            parsed: &e.parsed,
                            context_at: e.context_at,
                        },
                    );
                }
            }
            for &i in &new_by_shard[n] {
                let f = &files[i];
                entries.insert(
                    (f.root, f.rel.as_str(), f.hash, f.sidecar),
                    ShardEntryRef {
                        root: f.root,
                        rel: &f.rel,
                        hash: f.hash,
                        sidecar: f.sidecar,
                        parsed: &f.parsed,
                        context_at: detached.at(i),
                    },
                );
            }
            let list: Vec<&ShardEntryRef<'_>> = entries.values().collect();
            write_streamed(dir, &name, &list)?;
            Ok(warning)
        })
        .collect();
    let mut warnings = Vec::new();
    for r in results {
        if let Some(w) = r? {
            warnings.push(format!("{w}; its records are re-read from the tree when needed"));
        }
    }
    Ok(warnings)
}

/// The query snapshot of a corpus and graph built from the graph snapshot, to be written (see
/// [`Store::query_corpus_unsaved`]).
#[derive(Debug)]
pub struct QueryWrite {
    dir: PathBuf,
    generation: u64,
}

impl QueryWrite {
    /// Write the query snapshot of `corpus` and `graph` (those [`Store::query_corpus_unsaved`]
    /// gave), when no other process is writing the store and it still holds their generation:
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
        if let Some(bytes) = crate::snapshot::encode(self.generation, corpus, &graph.decision_edge_list()) {
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
        for r in &ingest_opts.roots {
            if !r.is_dir() {
                return Err(Error::BadRoot(r.display().to_string()));
            }
        }
        let abs_roots: Vec<PathBuf> = ingest_opts
            .roots
            .iter()
            .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()))
            .collect();
        let key = config_key(ingest_opts);
        let dir = opts.dir.clone().or_else(|| default_store_dir(&abs_roots));
        let mut warnings = Vec::new();
        let mut failed = None;
        let usable = dir.as_ref().and_then(|d| match std::fs::create_dir_all(d) {
            Ok(()) => Some(d.clone()),
            Err(e) if opts.required => {
                failed = Some(Error::Io { path: d.clone(), source: e });
                None
            }
            Err(e) => {
                warnings.push(format!(
                    "cannot use the store at {}: {e}; reading the tree without it",
                    d.display()
                ));
                None
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        let Some(dir) = usable else {
            let scan = ingest::parse_tree(ingest_opts, ingest::scan_tree(ingest_opts)?, None, progress);
            let report =
                RefreshReport { store: None, refreshed: true, parsed: scan.parsed, ..Default::default() };
            let manifest = manifest_of(&scan, key, shards_for(scan.files.len()));
            let records = Some(scan.files.into_iter().map(|f| f.parsed).collect());
            let generation = manifest.generation;
            return Ok(Store {
                dir: None,
                on_wait: opts.on_wait,
                manifest: Some(manifest),
                generation,
                decisions: None,
                records,
                slim: None,
                ingest: ingest_opts.clone(),
                report,
                warnings,
            });
        };
        let mut report = RefreshReport { store: Some(dir.display().to_string()), ..Default::default() };
        // Trusting the store: the generation is all a search needs; the rest is read on demand.
        if !opts.refresh && !opts.rebuild {
            if let Ok(Some(generation)) = read_file::<u64>(&dir.join("generation.bin")) {
                let mut store = Store::stored(dir, None, ingest_opts, report, warnings, opts.on_wait);
                store.generation = generation;
                return Ok(store);
            }
        }
        // A refresh walks the tree on its own thread (files listed, not sorted) while the
        // summary is read.
        let walker = (opts.refresh || opts.rebuild).then(|| {
            let o = ingest_opts.clone();
            std::thread::spawn(move || ingest::walk_tree(&o))
        });
        let summary =
            if opts.rebuild { None } else { read_file::<Summary>(&dir.join(SUMMARY)).ok().flatten() };
        let walked = match walker {
            Some(w) => Some(w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?),
            None => None,
        };
        let settings = walked.as_ref().map(|w| settings_of(w.roots(), key, ingest_opts));
        let fingerprint = walked.as_ref().zip(settings).map(|(w, s)| tree_fingerprint(s, w.print()));
        // Files that differ from the walk the manifest was made from, by its table: when they
        // are few, the quick way needs neither sorting nor classifying the tree.
        let mut differ: Option<Vec<usize>> = None;
        if let (Some(summary), Some(w), Some(fp), Some(settings)) =
            (summary, walked.as_ref(), fingerprint, settings)
        {
            // Nothing changed since the manifest was written: the manifest is not even read.
            if fp == summary.tree && settled(w.print(), summary.written_at) {
                report.refreshed = true;
                report.reused = summary.decisions;
                std::thread::spawn(move || drop(walked));
                let mut store = Store::stored(dir, None, ingest_opts, report, warnings, opts.on_wait);
                store.generation = summary.generation;
                store.decisions = Some(summary.decisions);
                return Ok(store);
            }
            if let Some(t) = WalkTable::read(&dir) {
                if t.tree == summary.tree && t.settings == settings && t.files.len() == w.print().count {
                    let mut d = w.not_in(&t.files);
                    d.extend(w.modified_since(summary.written_at - ingest::RACY_NS));
                    d.sort_unstable();
                    d.dedup();
                    differ = (d.len() <= patch::LIMIT).then_some(d);
                }
            }
        }
        // A few files to read: the parser's patterns are compiled on the other core while the
        // manifest is decoded.
        if differ.as_ref().is_some_and(|d| !d.is_empty()) {
            std::thread::spawn(crate::parse::prepare);
        }
        // Otherwise the walker's files are sorted and classified while the manifest is decoded.
        let mut walk = match (walked, &differ) {
            (Some(w), Some(_)) => Walk::Listed(Box::new(w)),
            (Some(w), None) => {
                let o = ingest_opts.clone();
                Walk::Sorting(std::thread::spawn(move || w.finish(&o)))
            }
            (None, _) => Walk::Not,
        };
        // What the manifest file is (a rewrite renames a new file into place): read again under
        // the lock only if another process replaced it meanwhile.
        let stamp = manifest_stamp(&dir);
        let mut previous = if opts.rebuild {
            report.rebuilt = Some("asked for".into());
            None
        } else {
            match read_manifest(&dir) {
                Ok(Some(m)) if m.config_key != key => {
                    report.rebuilt = Some("the configuration changed".into());
                    None
                }
                Ok(m) => m.filter(|m| m.abs_roots == abs_roots),
                Err(why) => {
                    warnings.push(format!("{why}; rebuilding it"));
                    report.rebuilt = Some(why);
                    None
                }
            }
        };
        if let (false, Some(m)) = (opts.refresh, previous.as_ref()) {
            report.reused = m.files.len();
            return Ok(Store::stored(dir, previous, ingest_opts, report, warnings, opts.on_wait));
        }
        report.refreshed = true;
        let mut guard = None;
        // The quick way from the unsorted walk: every file that differs is a decision file of
        // the manifest, without sidecar metadata.
        if let (Walk::Listed(w), Some(d), Some(m), Some(fp)) =
            (&walk, &differ, previous.as_ref(), fingerprint)
        {
            guard = lock(&dir, opts.on_wait).ok();
            let replaced = stamp.is_none() || manifest_stamp(&dir) != stamp;
            let positions: Option<Vec<(usize, usize)>> = d
                .iter()
                .map(|&i| {
                    let (root, rel, size, regular) = w.file(i)?;
                    let at = m.files.binary_search_by(|f| (f.0, f.1.as_str()).cmp(&(root, rel))).ok()?;
                    (regular && size <= ingest_opts.max_file_size && m.files[at].5 == 0).then_some((at, i))
                })
                .collect();
            if let (Some(mut positions), Some(_), false) = (positions, guard.as_ref(), replaced) {
                positions.sort_unstable();
                let changed: Vec<usize> = positions.iter().map(|p| p.0).collect();
                let sub = w.pick(&positions.iter().map(|p| p.1).collect::<Vec<_>>());
                let table = WalkTable { tree: fp, settings: settings.unwrap_or(0), files: w.table() };
                let m = previous.take().expect("checked");
                match patch::refresh(&dir, m, sub, &changed, (ingest_opts, key, &table), opts.index) {
                    Ok(p) => {
                        let walk = walk;
                        std::thread::spawn(move || drop(walk));
                        return Ok(Store::quick(dir, p, ingest_opts, report, warnings, guard, opts));
                    }
                    Err(m) => previous = Some(*m),
                }
            }
        }
        let tree = std::mem::replace(&mut walk, Walk::Not).tree(ingest_opts)?;
        let settings = settings.unwrap_or_else(|| settings_of(&tree.base().roots, key, ingest_opts));
        let table = WalkTable {
            tree: fingerprint.unwrap_or_else(|| tree_fingerprint(settings, tree.print())),
            settings,
            files: tree.table().to_vec(),
        };
        if let Some(m) = previous.as_mut() {
            if let Some(reverified) = unchanged(m, &tree) {
                report.reused = m.files.len();
                // Files checked by content are settled once two seconds have passed since the
                // newest of them changed: record that, so that they are not read again.
                let now = ingest::nanos(std::time::SystemTime::now());
                let newest = tree.decision_files().map(|f| f.3).max().unwrap_or(0);
                let rewrite = reverified > 0 && now - newest > ingest::RACY_NS;
                let summary = Summary {
                    generation: m.generation,
                    written_at: m.written_at,
                    tree: table.tree,
                    decisions: m.files.len(),
                };
                let summarised = read_file::<Summary>(&dir.join(SUMMARY)) == Ok(Some(summary))
                    && WalkTable::read(&dir).as_ref() == Some(&table);
                if rewrite || !summarised || !dir.join("generation.bin").exists() {
                    // Only when no other process is writing the store.
                    let free = guard.is_some()
                        || File::options()
                            .create(true)
                            .truncate(false)
                            .write(true)
                            .open(dir.join("lock"))
                            .is_ok_and(|f| {
                                f.try_lock().is_ok() && {
                                    guard = Some(f);
                                    true
                                }
                            });
                    // Not over a manifest another process wrote meanwhile.
                    if free && manifest_stamp(&dir) == stamp {
                        if rewrite {
                            m.written_at = now;
                        }
                        let _ = write_manifest_delta(&dir, m, Some(&table));
                    }
                }
                drop(guard);
                // 100,000 paths take 15 ms to free: not on the way to the answer.
                std::thread::spawn(move || drop(tree));
                return Ok(Store::stored(dir, previous, ingest_opts, report, warnings, opts.on_wait));
            }
        }
        // Something changed: refresh under the lock.
        let guard = match guard {
            Some(g) => Some(g),
            None => match lock(&dir, opts.on_wait) {
                Ok(g) => Some(g),
                Err(e) => {
                    warnings.push(format!("{NOT_UPDATED}: {e}; its content is not updated"));
                    None
                }
            },
        };
        if guard.is_some() && !opts.rebuild && (stamp.is_none() || manifest_stamp(&dir) != stamp) {
            // Another process refreshed while we waited.
            if let Ok(Some(m)) = read_manifest(&dir) {
                if m.abs_roots == abs_roots && m.config_key == key {
                    previous = Some(m);
                }
            }
        }
        // A few files modified, nothing that other records see: the quick way.
        let quick = match previous.take() {
            Some(m) if guard.is_some() && !opts.rebuild => match patch::candidates(&m, &tree) {
                Some(changed) if changed.len() <= patch::LIMIT => {
                    let sub = tree.subset(&changed);
                    patch::refresh(&dir, m, sub, &changed, (ingest_opts, key, &table), opts.index)
                        .map_err(|m| Some(*m))
                }
                _ => Err(Some(m)),
            },
            other => Err(other),
        };
        match quick {
            Ok(p) => {
                std::thread::spawn(move || drop(tree));
                return Ok(Store::quick(dir, p, ingest_opts, report, warnings, guard, opts));
            }
            Err(m) => previous = m,
        }
        // Unchanged files keep their records from the graph snapshot (no long texts: their full
        // records stay in their shards); changed ones are parsed in full.
        let prior = previous.as_ref().and_then(|m| {
            let slim = match read_slim(&dir, m) {
                Ok(Some(s)) => s,
                Ok(None) => return None,
                Err(why) => {
                    warnings.push(format!("{why}; rebuilding it"));
                    report.rebuilt = Some(why);
                    return None;
                }
            };
            Some(Prior::new(states(m, slim), m.written_at))
        });
        let all = prior.is_none();
        // A store built now gets the shard count for its size; a refresh keeps its store's.
        let shards = match previous.as_ref() {
            Some(m) if !all => m.shards,
            _ => shards_for(tree.decision_files().count()),
        };
        let old_keys: std::collections::HashSet<ContentKey<'_>> = previous
            .as_ref()
            .map(|m| m.files.iter().map(|f| (f.0, f.1.as_str(), f.4, f.5)).collect())
            .unwrap_or_default();
        // The full-text index is fed while the tree is parsed, when the command searches: its
        // indexing threads work while the next part is parsed.
        let mut feed = if opts.index && guard.is_some() { Feed::open(&dir, &mut warnings) } else { None };
        // The tree is parsed in parts of whole shards: only one part's full records are in
        // memory at a time; each part's shards are written, then its records slimmed.
        let group = |root: usize, rel: &str| shard_of(root, rel, shards) * GROUPS / shards;
        let walk_skipped = tree.base().skipped.clone();
        let parts = tree.split(GROUPS, group);
        let mut old_by_group: Vec<Vec<ContentKey<'_>>> = vec![Vec::new(); GROUPS];
        for o in &old_keys {
            old_by_group[group(o.0, o.1)].push(*o);
        }
        let mut priors: Vec<Option<Prior>> = match prior {
            Some(p) => p.split(GROUPS, group).into_iter().map(Some).collect(),
            None => (0..GROUPS).map(|_| None).collect(),
        };
        let mut merged = ingest::Scan { corpus: Corpus::default(), files: Vec::new(), parsed: 0, reused: 0 };
        let mut written = Ok(());
        for (k, part) in parts.into_iter().enumerate() {
            let offset = merged.parsed;
            let mut scan = ingest::parse_tree(ingest_opts, part, priors[k].take(), &|n| progress(offset + n));
            merged.parsed += scan.parsed;
            merged.reused += scan.reused;
            if k == 0 {
                merged.corpus = scan.corpus;
            } else {
                merged.corpus.skipped.extend(scan.corpus.skipped);
                merged.corpus.diagnostics.extend(scan.corpus.diagnostics);
            }
            let fresh: Vec<bool> = scan
                .files
                .iter()
                .map(|f| all || !old_keys.contains(&(f.root, f.rel.as_str(), f.hash, f.sidecar)))
                .collect();
            let mut touched = None;
            let writing = guard.is_some() && written.is_ok();
            let detached = if writing { Detached::take(&mut scan.files, &fresh) } else { Detached::none() };
            if writing {
                let new_keys: std::collections::HashSet<ContentKey<'_>> =
                    scan.files.iter().map(|f| (f.root, f.rel.as_str(), f.hash, f.sidecar)).collect();
                // This part's shards that gained a record or lost one (all of them on a rebuild).
                let these: std::collections::BTreeSet<usize> = if all {
                    (0..shards).filter(|n| n * GROUPS / shards == k).collect()
                } else {
                    scan.files
                        .iter()
                        .zip(&fresh)
                        .filter(|(_, fresh)| **fresh)
                        .map(|(f, _)| shard_of(f.root, &f.rel, shards))
                        .chain(
                            old_by_group[k]
                                .iter()
                                .filter(|o| !new_keys.contains(*o))
                                .map(|o| shard_of(o.0, o.1, shards)),
                        )
                        .collect()
                };
                // Records first, the manifest last: a manifest is only ever next to the records
                // of its generation (or newer ones, which are then ignored and rebuilt).
                let keep = |k: ContentKey<'_>| old_keys.contains(&k) || new_keys.contains(&k);
                written = write_shards(
                    &dir,
                    (shard_name, shards),
                    (&scan.files, &fresh, &detached),
                    &keep,
                    &these,
                    all,
                )
                .map(|w| warnings.extend(w));
                touched = Some(these);
            }
            detached.restore(&mut scan.files);
            if let Some(f) = feed.as_mut() {
                let root_of = |r: usize| merged.corpus.roots.get(r).map(String::as_str).unwrap_or("");
                if let Err(e) = f.add_parsed(&scan.files, &fresh, key, root_of) {
                    let e = index_io_error(e, &dir.join("index"));
                    warnings.push(format!(
                        "cannot feed the full-text index ({e}); it is brought up to date later"
                    ));
                    feed = None;
                }
            }
            // Unchanged files hold their snapshot records already; the others are slimmed, and
            // the touched shards of the graph snapshot written like those of the records.
            let mut scan_files = scan.files;
            // On every core: a part of 12,500 full records took 25 ms to copy and free on one.
            use rayon::prelude::*;
            scan_files.par_iter_mut().zip(&fresh).for_each(|(f, &fresh)| {
                if fresh {
                    f.parsed = slim_of(&f.parsed);
                }
            });
            if let (Some(touched), true) = (touched.as_ref(), written.is_ok()) {
                let new_keys: std::collections::HashSet<ContentKey<'_>> =
                    scan_files.iter().map(|f| (f.root, f.rel.as_str(), f.hash, f.sidecar)).collect();
                let keep = |k: ContentKey<'_>| old_keys.contains(&k) || new_keys.contains(&k);
                let none = Detached::none();
                written = write_shards(
                    &dir,
                    (slim_name, shards),
                    (&scan_files, &fresh, &none),
                    &keep,
                    touched,
                    all,
                )
                .map(|w| warnings.extend(w));
            }
            merged.files.extend(scan_files);
        }
        // Back to path order. Records are large: sort their positions, then move each once.
        let mut order: Vec<usize> = (0..merged.files.len()).collect();
        // No two files have the same root and path: an unstable sort gives the one order.
        use rayon::slice::ParallelSliceMut;
        order.par_sort_unstable_by(|&a, &b| {
            let (fa, fb) = (&merged.files[a], &merged.files[b]);
            (fa.root, &fa.rel).cmp(&(fb.root, &fb.rel))
        });
        let mut slots: Vec<Option<Box<FileState>>> =
            std::mem::take(&mut merged.files).into_iter().map(Some).collect();
        merged.files = order.into_iter().filter_map(|i| slots[i].take()).collect();
        merged.corpus.skipped.sort();
        merged.corpus.diagnostics.sort();
        report.parsed = merged.parsed;
        report.reused = merged.reused;
        if let Some(m) = previous.as_ref() {
            let now: std::collections::HashSet<(usize, &str)> =
                merged.files.iter().map(|f| (f.root, f.rel.as_str())).collect();
            report.removed = m.files.iter().filter(|f| !now.contains(&(f.0, f.1.as_str()))).count();
        }
        let manifest = manifest_of(&merged, key, shards);
        let slim: Vec<crate::parse::Parsed> = merged.files.into_iter().map(|f| f.parsed).collect();
        let store_written = guard.is_some() && {
            // The summary only when the manifest's skipped files are the walk's: one that could
            // not be read is tried again next time.
            let summary = (manifest.skipped == walk_skipped).then_some(&table);
            let written = written.and_then(|()| write_manifest(&dir, &manifest, summary));
            // Stores of earlier formats kept every record, or every slim record, in one file.
            let _ = std::fs::remove_file(dir.join("records.bin"));
            let _ = std::fs::remove_file(dir.join("graph.bin"));
            // A store built again may have fewer shards than before: the others go.
            if all && written.is_ok() {
                remove_stale_shards(&dir, shards);
            }
            match written {
                Ok(()) => true,
                Err(e) => {
                    warnings.push(format!(
                        "{UNWRITTEN}: {e}; results are complete but will be recomputed next time"
                    ));
                    false
                }
            }
        };
        let generation = manifest.generation;
        let mut store = Store {
            on_wait: opts.on_wait,
            dir: Some(dir),
            manifest: Some(manifest),
            generation,
            decisions: None,
            records: None,
            slim: Some(slim),
            ingest: ingest_opts.clone(),
            report,
            warnings,
        };
        // The documents fed so far carry provisional ids and no decisions in force: the last
        // pass re-adds the few whose final ones differ, deletes what is gone, and commits.
        if let (Some(f), true) = (feed, store_written) {
            let Feed { index, schema, writer, indexed, added } = f;
            match store.sync_with(&schema, writer, indexed, added) {
                Ok((a, r)) => {
                    store.report.indexed = a;
                    store.report.unindexed = r;
                }
                Err(e) => {
                    let e = match e {
                        SyncError::Tantivy(e) => e.to_string(),
                        SyncError::Store(e) => e.to_string(),
                    };
                    store.warnings.push(format!("cannot update the full-text index ({e})"));
                }
            }
            drop(index);
            store.slim = None;
        }
        drop(guard);
        Ok(store)
    }

    fn load_manifest(&mut self) -> Result<&Manifest> {
        if self.manifest.is_none() {
            let dir = self.dir.clone().expect("the manifest is only missing when a store folder is used");
            let m = read_manifest(&dir)
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
        let loaded: Vec<(usize, std::result::Result<Vec<ShardEntry>, String>)> = shards
            .par_iter()
            .map(|&n| {
                (n, read_file::<Vec<ShardEntry>>(&dir.join(shard_name(n))).map(Option::unwrap_or_default))
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
                    let (root, rel) = (m.files[i].0, &m.files[i].1);
                    let path = ingest::display_join(&roots[root], rel);
                    let popts = crate::parse::ParseOptions {
                        sidecar: None,
                        vocabulary: Some(&self.ingest.vocabulary),
                    };
                    // The same guarded, capped read as the first ingest.
                    let max = self.ingest.max_file_size;
                    let parsed = match ingest::read_guarded(&abs[root].join(rel), max) {
                        Ok(bytes) => crate::parse::parse_bytes(&bytes, &path, rel, popts),
                        Err(e) => {
                            let mut p = crate::parse::parse_bytes(b"", &path, rel, popts);
                            p.diagnostics.push(Diagnostic::new(
                                &path,
                                0,
                                crate::model::Severity::Error,
                                "unreadable",
                                format!("cannot read file: {e}"),
                            ));
                            p
                        }
                    };
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

    /// The corpus with full records (read from the store the first time).
    pub fn corpus(&mut self) -> Result<Corpus> {
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

    /// The corpus as the graph snapshot holds it: every field but the long texts (technical
    /// story, context, decision, drivers, option descriptions, pros and cons, rationale,
    /// consequences, phases, validation, sections). Enough for listing, graphs and queries,
    /// and much cheaper to load than [`Store::corpus`].
    pub fn graph_corpus(&mut self) -> Result<Corpus> {
        self.load_slim()?;
        // Taken, not copied: a second call reads the snapshot again.
        let records = match self.slim.take() {
            Some(s) => s,
            None => self.records.iter().flatten().map(slim_of).collect(),
        };
        Ok(self.corpus_of(records))
    }

    /// The corpus and graph that impact, dependency, chain and path queries need, from the
    /// query snapshot when it holds this generation: records carry only their id, paths, slug,
    /// number, title, status and date, and the graph only decisions and the links between
    /// them. Otherwise they are built from the graph snapshot, and the query snapshot is written
    /// for the next time (when the store's lock is free).
    pub fn query_corpus(&mut self) -> Result<(Corpus, crate::DecisionGraph)> {
        let (corpus, graph, write) = self.query_corpus_unsaved()?;
        if let Some(w) = write {
            w.write(&corpus, &graph);
        }
        Ok((corpus, graph))
    }

    /// [`Store::query_corpus`], with the query snapshot not yet written when it had to be
    /// built: the caller writes it with the [`QueryWrite`] given, on another thread while it
    /// uses the corpus and graph (a graph is drawn meanwhile).
    pub fn query_corpus_unsaved(&mut self) -> Result<(Corpus, crate::DecisionGraph, Option<QueryWrite>)> {
        if let Some(q) = self.query_file() {
            if let Some((corpus, graph)) = q.full() {
                return Ok((corpus, graph, None));
            }
        }
        let corpus = self.graph_corpus()?;
        let graph = crate::graph_of(&corpus);
        let write = self.dir.clone().map(|dir| QueryWrite { dir, generation: self.generation });
        Ok((corpus, graph, write))
    }

    /// The query snapshot, when it holds this generation (or its alias says that it does).
    fn query_file(&self) -> Option<crate::snapshot::QueryFile> {
        let dir = self.dir.as_ref()?;
        let q = crate::snapshot::QueryFile::open(&dir.join("query.bin"))?;
        (q.generation() == self.generation || query_alias(dir) == Some((q.generation(), self.generation)))
            .then_some(q)
    }

    /// For the decision `name` names (by id, path or number; relative paths from `cwd`), when
    /// the query snapshot holds this generation: only the part of the corpus and graph that `focus` reaches, read in place
    /// from the snapshot, and the decision's index in it. [`crate::query::impact`],
    /// [`crate::query::deps`] and [`crate::query::chain`] answer the same on it as on the
    /// whole corpus from [`Store::query_corpus`]. `None` otherwise (another way of naming the
    /// decision (a slug, an ambiguous name), no snapshot yet, a damaged one): then ask [`Store::query_corpus`].
    pub fn focus_corpus(
        &mut self,
        name: &str,
        cwd: &Path,
        focus: crate::snapshot::Focus,
    ) -> Option<(Corpus, crate::DecisionGraph, usize)> {
        self.query_file()?.focus(name, cwd, focus)
    }

    /// Number of decisions (from the manifest: no record is read).
    pub fn decisions(&mut self) -> Result<usize> {
        match (self.decisions, &self.manifest) {
            (Some(n), None) => Ok(n),
            _ => Ok(self.load_manifest()?.files.len()),
        }
    }

    /// The store folder, if one is in use.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Bring the full-text index up to date with the records and open it for searching. When
    /// the index already holds this generation, the records are not even read; otherwise only
    /// the graph snapshot and the full records of the documents that differ are.
    pub fn sync_index(&mut self) -> Result<SearchIndex> {
        match quietly(|| self.sync_index_once()) {
            Ok(Ok(index)) => Ok(index),
            Ok(Err(e)) if !e.to_string().contains("orrupt") => Err(e),
            // A damaged index (tantivy panics or reports corrupt data on some damage): rebuilt
            // from the records, with a warning, instead of failing every search after.
            Ok(Err(e)) => self.rebuild_index(&e.to_string()),
            Err(panic) => self.rebuild_index(&panic),
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

    fn sync_index_once(&mut self) -> Result<SearchIndex> {
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
        let current = |index: &Index| -> bool {
            index.load_metas().ok().and_then(|m| m.payload).is_some_and(|p| p == self.generation.to_string())
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
        Ok(SearchIndex { index, reader, schema })
    }
}

/// The change stamps (name, length, modification and change times, inode) of the full-text
/// index's files, one line each in name order; tantivy's lock files are left out.
fn index_stamps(path: &Path) -> String {
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

fn open_index(path: &Path, schema: &IndexSchema) -> tantivy::Result<Index> {
    std::fs::create_dir_all(path)?;
    let dir = tantivy::directory::MmapDirectory::open(path)?;
    let index = Index::open_or_create(dir, schema.schema.clone())?;
    // A schema from another version: start over.
    if index.schema() != schema.schema {
        return Err(tantivy::TantivyError::SchemaError("schema changed".into()));
    }
    Ok(index)
}

/// Run `f`, catching a panic inside it (tantivy panics on some damaged segments) without the
/// panic message on stderr: `Err` carries the message instead.
pub fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    out.map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic inside tantivy".into())
    })
}

/// The fields of the index.
#[derive(Clone)]
struct IndexSchema {
    schema: Schema,
    path: Field,
    sig: Field,
    id: Field,
    title: Field,
    body: Field,
    options: Field,
    people: Field,
    tags: Field,
    status: Field,
    date: Field,
    folder: Field,
    in_force: Field,
}

impl IndexSchema {
    fn new() -> IndexSchema {
        let mut b = Schema::builder();
        let text = |tok: &str, stored: bool| {
            let o = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tok)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                o.set_stored()
            } else {
                o
            }
        };
        let path = b.add_text_field("path", STRING | STORED | FAST);
        let sig = b.add_u64_field("sig", FAST);
        let id = b.add_text_field("id", STRING | STORED);
        let title = b.add_text_field("title", text("en", true));
        let body = b.add_text_field("body", text("en", true));
        let options = b.add_text_field("options", text("en", false));
        let people = b.add_text_field("people", text("names", false));
        let tags = b.add_text_field("tags", text("names", false));
        let status = b.add_text_field("status", STRING | STORED);
        let date = b.add_i64_field("date", INDEXED | FAST | STORED);
        let folder = b.add_text_field("folder", STRING);
        let in_force = b.add_text_field("in_force", STRING | STORED);
        IndexSchema {
            in_force,
            schema: b.build(),
            path,
            sig,
            id,
            title,
            body,
            options,
            people,
            tags,
            status,
            date,
            folder,
        }
    }
}

/// The analyzer of every prose field (titles, bodies, options): words, lower case, accent
/// folding, English stemming (with memory: [`crate::stem`]).
pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(crate::stem::MemoStemmer)
        .build()
}

fn register_tokenizers(index: &Index) {
    index.tokenizers().register("en", english_analyzer());
    index.tokenizers().register(
        "names",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// Days since 1970-01-01.
fn day_number(d: Date) -> i64 {
    d.signed_duration_since(Date::from_ymd_opt(1970, 1, 1).expect("valid date")).num_days()
}

/// The names of the options considered (boosted in search). Their descriptions, pros and cons
/// are in the body already, with the sections that hold them: indexing them twice cost a
/// tenth of the indexing time and changed no ranking test.
fn options_text(a: &Adr) -> String {
    let mut s = String::new();
    for o in &a.options {
        s.push_str(&o.title);
        s.push('\n');
    }
    s
}

fn body_text(a: &Adr) -> String {
    let mut s = String::new();
    for sec in &a.sections {
        if sec.level > 0 && sec.level != 1 {
            s.push_str(&sec.heading);
            s.push('\n');
        }
        s.push_str(&sec.text);
        s.push_str("\n\n");
    }
    s
}

/// Signature of what a record's document holds: the file's content (and sidecar), the
/// settings it was parsed with, the record's id, path and root, and the decisions in force.
/// Computed from the manifest and the graph snapshot alone: no full record is needed to tell
/// which documents are current.
fn signature(content: (u64, u64, u64), id: &str, path: &str, root: &str, in_force: &[String]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&content.0.to_le_bytes());
    h.update(&content.1.to_le_bytes());
    h.update(&content.2.to_le_bytes());
    for part in [id, path, root] {
        h.update(part.as_bytes());
        h.update(b"\n");
    }
    for i in in_force {
        h.update(i.as_bytes());
        h.update(b"\n");
    }
    h.update(&STORE_FORMAT.to_le_bytes());
    h.digest()
}

/// The document of a record; `id` is the record's id in its corpus (a stored record does not
/// carry it).
fn document(
    s: &IndexSchema,
    a: &Adr,
    id: &str,
    sig: u64,
    root_display: &str,
    in_force: &[String],
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(s.path, &a.path);
    doc.add_u64(s.sig, sig);
    doc.add_text(s.id, id);
    doc.add_text(s.title, a.display_title());
    doc.add_text(s.body, body_text(a));
    doc.add_text(s.options, options_text(a));
    for p in a.deciders.iter().chain(&a.consulted).chain(&a.informed) {
        doc.add_text(s.people, p);
    }
    for t in &a.tags {
        doc.add_text(s.tags, t);
    }
    doc.add_text(s.status, a.status.as_str());
    if let Some(d) = a.date {
        doc.add_i64(s.date, day_number(d));
    }
    for i in in_force {
        doc.add_text(s.in_force, i);
    }
    // Every ancestor of the folder, relative to the root and as displayed.
    let folder = a.folder();
    let mut acc = String::new();
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(part);
        doc.add_text(s.folder, &acc);
        doc.add_text(s.folder, format!("{}/{acc}", root_display.trim_end_matches('/')));
    }
    doc.add_text(s.folder, root_display.trim_end_matches('/'));
    doc
}

/// For each superseded record, the decisions in force in its supersession chain.
fn in_force_of(corpus: &Corpus) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); corpus.adrs.len()];
    if !corpus.adrs.iter().any(|a| a.status == Status::Superseded) {
        return out;
    }
    // Chains follow supersession edges only.
    let graph = crate::DecisionGraph::build_supersession(&corpus.adrs, &crate::GraphOptions::of(corpus));
    // What is in force is the same from every member of a chain: one query per chain.
    let by_id: HashMap<&str, usize> =
        corpus.adrs.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let mut done = vec![false; corpus.adrs.len()];
    for (i, a) in corpus.adrs.iter().enumerate() {
        if a.status != Status::Superseded || done[i] {
            continue;
        }
        let chain = crate::query::chain(&graph, &corpus.adrs, i);
        for m in &chain.members {
            if let Some(&k) = by_id.get(m.id.as_str()) {
                done[k] = true;
                if corpus.adrs[k].status == Status::Superseded {
                    out[k] = chain.in_force.clone();
                }
            }
        }
    }
    out
}

/// Why a sync of the full-text index failed.
enum SyncError {
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

/// Every document of the index: its path and signature, from fast fields (the path
/// dictionary streamed once, in order: a look-up per document would decompress a block each
/// time).
fn indexed_docs(index: &Index) -> tantivy::Result<HashMap<String, u64>> {
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
                    indexed.insert(path.clone(), sig);
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
fn new_writer(index: &Index) -> tantivy::Result<IndexWriter> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4);
    index.writer_with_num_threads(threads, 128 * 1024 * 1024 * threads)
}

/// The I/O error behind a tantivy error. When tantivy only says that a writer thread stopped
/// (its own I/O error stays in the thread), a small probe write into the index folder finds
/// the cause (a full disk, a read-only folder) so that the message names it.
fn index_io_error(e: tantivy::TantivyError, dir: &Path) -> std::io::Error {
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
struct Feed {
    index: Index,
    schema: IndexSchema,
    writer: IndexWriter,
    /// Path and signature of every document, as it will be once the writer commits.
    indexed: HashMap<String, u64>,
    /// Paths added so far.
    added: std::collections::HashSet<String>,
}

impl Feed {
    /// Open the store's index for writing; `None` (with a warning) when it cannot be.
    fn open(dir: &Path, warnings: &mut Vec<String>) -> Option<Feed> {
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
    fn add_parsed<'r>(
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
            let sig = signature((f.hash, f.sidecar, config_key), &a.slug, &a.path, root, &[]);
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
    fn sync_pending(&mut self) -> Option<usize> {
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

    fn sync_documents(
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
    fn sync_with(
        &mut self,
        s: &IndexSchema,
        mut writer: IndexWriter,
        indexed: HashMap<String, u64>,
        mut added: std::collections::HashSet<String>,
    ) -> std::result::Result<(usize, usize), SyncError> {
        let corpus = self.graph_corpus()?;
        let in_force = in_force_of(&corpus);
        let m = self.manifest.as_ref().expect("loaded with the corpus");
        let root_of = |i: usize| -> &str {
            corpus.roots.get(corpus.adr_roots.get(i).copied().unwrap_or(0)).map(String::as_str).unwrap_or("")
        };
        let mut wanted: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
        for (i, a) in corpus.adrs.iter().enumerate() {
            let f = &m.files[i];
            let sig = signature((f.4, f.5, m.config_key), &a.id, &a.path, root_of(i), &in_force[i]);
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

/// The deepest nesting of parentheses a query may have (tantivy's parser takes exponential time
/// in the depth).
pub const MAX_QUERY_NESTING: usize = 8;

/// Search filters and limits.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// Only these statuses (empty: all).
    pub statuses: Vec<Status>,
    /// Dated on or after.
    pub since: Option<Date>,
    /// Dated on or before.
    pub until: Option<Date>,
    /// A decider (or consulted/informed person) whose name contains these words.
    pub decider: Option<String>,
    /// A tag.
    pub tag: Option<String>,
    /// A folder (relative to its root, or as displayed), including its sub-folders.
    pub folder: Option<String>,
    /// Maximum hits (default 10).
    pub limit: Option<usize>,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Decision id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// Date.
    pub date: Option<Date>,
    /// Path.
    pub path: String,
    /// BM25 score.
    pub score: f32,
    /// A fragment of the text around the matched terms.
    pub snippet: String,
    /// Byte ranges of the matched terms inside `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// For a superseded decision: the decisions in force in its supersession chain.
    pub in_force: Vec<String>,
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    /// The query as given.
    pub query: String,
    /// Matching documents in all (before the limit).
    pub total: usize,
    /// The hits, best first.
    pub hits: Vec<Hit>,
}

/// An open full-text index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    schema: IndexSchema,
}

/// Build an in-memory index of a corpus (no store): for tests, examples and one-off searches.
pub fn index_in_memory(corpus: &Corpus) -> Result<SearchIndex> {
    let schema = IndexSchema::new();
    let index = Index::create_in_ram(schema.schema.clone());
    register_tokenizers(&index);
    let to_err =
        |e: tantivy::TantivyError| io_err(Path::new("(memory)"), std::io::Error::other(e.to_string()));
    let in_force = in_force_of(corpus);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 64 * 1024 * 1024).map_err(to_err)?;
    for (i, a) in corpus.adrs.iter().enumerate() {
        let root =
            corpus.roots.get(corpus.adr_roots.get(i).copied().unwrap_or(0)).map(String::as_str).unwrap_or("");
        writer.add_document(document(&schema, a, &a.id, 0, root, &in_force[i])).map_err(to_err)?;
    }
    writer.commit().map_err(to_err)?;
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(to_err)?;
    Ok(SearchIndex { index, reader, schema })
}

/// Why a query could not run.
#[derive(Debug, thiserror::Error)]
#[error("invalid query `{query}`: {message}")]
pub struct QueryError {
    /// The query.
    pub query: String,
    /// What is wrong.
    pub message: String,
}

impl SearchIndex {
    /// Number of documents.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn analyze(&self, tokenizer: &str, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(mut a) = self.index.tokenizers().get(tokenizer) {
            let mut stream = a.token_stream(text);
            stream.process(&mut |t| out.push(t.text.clone()));
        }
        out
    }

    fn build_query(&self, q: &str, opts: &SearchOptions) -> std::result::Result<Box<dyn Query>, QueryError> {
        let s = &self.schema;
        let qerr = |m: String| QueryError { query: q.to_string(), message: m };
        // Deeply nested groups take tantivy's query parser exponential time: refuse them.
        let mut depth = 0usize;
        let mut deepest = 0usize;
        for c in q.chars() {
            match c {
                '(' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if deepest > MAX_QUERY_NESTING {
            return Err(qerr(format!(
                "parentheses nest {deepest} deep; at most {MAX_QUERY_NESTING} levels are allowed"
            )));
        }
        // `word*` prefixes are taken out and matched against the term dictionary.
        let mut rest = String::new();
        let mut prefixes: Vec<(Occur, String)> = Vec::new();
        let mut in_quote = false;
        for token in q.split_inclusive(char::is_whitespace) {
            let t = token.trim();
            let quotes = t.matches('"').count();
            if !in_quote && quotes == 0 && t.ends_with('*') && t.len() > 1 && !t.contains(':') {
                let (occur, word) = match t.strip_prefix('-') {
                    Some(w) => (Occur::MustNot, w),
                    None => (Occur::Must, t.strip_prefix('+').unwrap_or(t)),
                };
                let stem: String = word.trim_end_matches('*').to_string();
                let folded = self.analyze("names", &stem).join("");
                if !folded.is_empty() {
                    prefixes.push((occur, folded));
                    continue;
                }
            }
            if quotes % 2 == 1 {
                in_quote = !in_quote;
            }
            rest.push_str(token);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !rest.trim().is_empty() {
            let mut parser =
                QueryParser::for_index(&self.index, vec![s.title, s.body, s.options, s.people, s.tags]);
            parser.set_field_boost(s.title, 3.0);
            parser.set_field_boost(s.options, 1.5);
            parser.set_conjunction_by_default();
            let parsed = parser.parse_query(rest.trim()).map_err(|e| qerr(e.to_string()))?;
            clauses.push((Occur::Must, parsed));
        }
        for (occur, p) in prefixes {
            let pattern = format!("{}.*", regex_escape(&p));
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for f in [s.title, s.body, s.options] {
                let rq = RegexQuery::from_pattern(&pattern, f).map_err(|e| qerr(e.to_string()))?;
                any.push((Occur::Should, Box::new(rq)));
            }
            clauses.push((occur, Box::new(BooleanQuery::new(any))));
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        // Filters.
        if !opts.statuses.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = opts
                .statuses
                .iter()
                .map(|st| {
                    let t = Term::from_field_text(s.status, st.as_str());
                    (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if opts.since.is_some() || opts.until.is_some() {
            use std::ops::Bound;
            let lo = opts
                .since
                .map(|d| Bound::Included(Term::from_field_i64(s.date, day_number(d))))
                .unwrap_or(Bound::Unbounded);
            let hi = opts
                .until
                .map(|d| Bound::Included(Term::from_field_i64(s.date, day_number(d))))
                .unwrap_or(Bound::Unbounded);
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        for (field, value) in [(s.people, &opts.decider), (s.tags, &opts.tag)] {
            if let Some(v) = value {
                let words = self.analyze("names", v);
                if words.is_empty() {
                    return Err(qerr(format!("`{v}` has no searchable word")));
                }
                let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(field, w)).collect();
                let q: Box<dyn Query> = if terms.len() == 1 {
                    Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic))
                } else {
                    Box::new(PhraseQuery::new(terms))
                };
                clauses.push((Occur::Must, q));
            }
        }
        if let Some(f) = &opts.folder {
            let f = f.trim_end_matches('/').trim_start_matches("./");
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(s.folder, f), IndexRecordOption::Basic)),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Run a query; every hit comes from the index's stored fields, so no record is loaded.
    pub fn search(&self, q: &str, opts: &SearchOptions) -> std::result::Result<SearchResult, QueryError> {
        let query = self.build_query(q, opts)?;
        let searcher = self.reader.searcher();
        let qerr = |e: tantivy::TantivyError| QueryError { query: q.to_string(), message: e.to_string() };
        // No more than there are documents (a huge N would overflow tantivy's heap).
        let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let limit = opts.limit.unwrap_or(10).min(docs);
        if limit == 0 {
            let total = searcher.search(&query, &tantivy::collector::Count).map_err(qerr)?;
            return Ok(SearchResult { query: q.to_string(), total, hits: Vec::new() });
        }
        // Equal scores are ordered by path, not by where a document sits in the index (which
        // depends on how the store was built): fetch every document tied with the last one kept,
        // then sort.
        let mut want = limit;
        let (mut top, total) = loop {
            let (top, total) = searcher
                .search(&query, &(TopDocs::with_limit(want), tantivy::collector::Count))
                .map_err(qerr)?;
            let tied_at_end = top.len() == want && top.last().map(|t| t.0) == top.get(limit - 1).map(|t| t.0);
            if !tied_at_end || want >= total {
                break (top, total);
            }
            want = (want * 2).min(total);
        };
        let path_of = |addr: tantivy::DocAddress| -> std::result::Result<String, QueryError> {
            let doc: TantivyDocument = searcher.doc(addr).map_err(qerr)?;
            Ok(doc.get_first(self.schema.path).and_then(|v| v.as_str()).unwrap_or_default().to_string())
        };
        if top.len() > limit || top.windows(2).any(|w| w[0].0 == w[1].0) {
            let mut keyed = Vec::with_capacity(top.len());
            for (score, addr) in top {
                keyed.push((score, path_of(addr)?, addr));
            }
            keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            keyed.truncate(limit);
            top = keyed.into_iter().map(|(s, _, a)| (s, a)).collect();
        }
        let mut snippets = SnippetGenerator::create(&searcher, &*query, self.schema.body).map_err(qerr)?;
        snippets.set_max_num_chars(180);
        let s = &self.schema;
        let mut hits = Vec::new();
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(qerr)?;
            let text_of =
                |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let snippet = snippets.snippet_from_doc(&doc);
            let fragment = snippet.fragment();
            let lead = fragment.len() - fragment.trim_start().len();
            let ranges: Vec<(usize, usize)> = snippet
                .highlighted()
                .iter()
                .map(|r| (r.start.saturating_sub(lead), r.end.saturating_sub(lead)))
                .collect();
            let (mut text, mut highlights) = flatten(fragment.trim(), &ranges);
            highlights.retain(|(a, b)| *b <= text.len() && a < b);
            if text.is_empty() {
                // Prefix and filter-only queries have no terms to centre on: start of the text.
                let body = text_of(s.body);
                let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
                let mut end = flat.len().min(180);
                while !flat.is_char_boundary(end) {
                    end -= 1;
                }
                text = if flat.is_empty() { text_of(s.title) } else { flat[..end].to_string() };
                highlights.clear();
            }
            let status = text_of(s.status).parse::<Status>().unwrap_or(Status::Unknown);
            let date = doc.get_first(s.date).and_then(|v| v.as_i64()).and_then(|d| {
                Date::from_ymd_opt(1970, 1, 1).and_then(|e| e.checked_add_signed(chrono::Duration::days(d)))
            });
            hits.push(Hit {
                id: text_of(s.id),
                title: text_of(s.title),
                status,
                date,
                path: text_of(s.path),
                score,
                snippet: text,
                highlights,
                in_force: doc.get_all(s.in_force).filter_map(|v| v.as_str().map(str::to_string)).collect(),
            });
        }
        Ok(SearchResult { query: q.to_string(), total, hits })
    }
}

/// Collapse runs of whitespace (line breaks included) into one space, moving the highlight
/// ranges with the text.
fn flatten(text: &str, ranges: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut map = vec![0usize; text.len() + 1];
    let mut last_space = false;
    for (i, c) in text.char_indices() {
        map[i] = out.len();
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    map[text.len()] = out.len();
    // Bytes inside a character map to its start.
    for i in 1..map.len() {
        if !text.is_char_boundary(i) {
            map[i] = map[i - 1];
        }
    }
    let ranges = ranges
        .iter()
        .map(|&(s, e)| (map[s.min(text.len())], map[e.min(text.len())]))
        .filter(|(s, e)| s < e)
        .collect();
    (out, ranges)
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if ".^$|?*+()[]{}\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
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
}

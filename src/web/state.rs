//! What every page and API answer is built from: one [`Snapshot`] of the tree (every record, the
//! graph, the full-text index, the lint findings), read through the store exactly as the
//! command line reads it, and replaced whole when the tree changes.

use crate::ingest::{Corpus, IngestOptions};
use crate::lint::{Finding, LintConfig};
use crate::search::SearchIndex;
use crate::store::{Records, Store, StoreOptions};
use crate::{DecisionGraph, DecisionIndex};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock, RwLock};

/// How the web view reads the tree: the same options the command line gives the store.
#[derive(Debug, Clone)]
pub struct Source {
    /// The roots and ingest settings.
    pub ingest: IngestOptions,
    /// The store (shared with the command line: the same cache folder gives the same store).
    pub store: StoreOptions,
    /// The lint settings (`adrgraph.toml`).
    pub lint: LintConfig,
    /// The folder relative paths are relative to (the caller's current folder), for the graph.
    pub working_dir: PathBuf,
    /// The revision the decision pages' history walks back from (`site --at REV`); `None`:
    /// `HEAD`.
    pub history_from: Option<String>,
    /// The past revision the tree is read at (`site --at REV`, `serve` with `?at=REV`): pages
    /// say so, and API answers wrap their JSON as `--at` does; `None`: the work tree.
    pub revision: Option<Revision>,
}

/// A git revision the web view answers for, as the command line names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The full commit id.
    pub commit: String,
    /// The commit's short id, date and subject, for the banner of every page.
    pub label: String,
    /// The `at` object of the command line's `--at` JSON (commit, date, subject, ...).
    pub json: serde_json::Value,
}

/// One reading of the tree, shared by every request until the next one replaces it.
pub struct Snapshot {
    /// Counts up from 1 with each reading; pages carry it so that a reload is seen.
    pub generation: u64,
    /// Every record, whole.
    pub corpus: Corpus,
    /// The knowledge graph.
    pub graph: DecisionGraph,
    /// The full-text index, as `adrgraph search` reads it.
    pub index: SearchIndex,
    /// The lint findings, placed and sorted as `adrgraph lint` prints them.
    pub findings: Vec<Finding>,
    /// Warnings the store gave while reading (shown on the lint page).
    pub warnings: Vec<String>,
    /// What the store's refresh did for this reading.
    pub report: crate::store::RefreshReport,
    /// The store's generation for this reading (see [`crate::store::Store::generation`]); 0
    /// without a store.
    pub content: u64,
    /// The file size cap of the ingest settings (the source view reads through it too).
    pub max_file_size: u64,
    /// Where drawings are kept between runs (`drawings/` in the store), keyed by their DOT text.
    pub drawings: Option<PathBuf>,
    /// Ids of the decisions in force (as `adrgraph chain` says: accepted and not wholly
    /// replaced by an accepted successor).
    pub in_force: BTreeSet<String>,
    /// The repository web address of the tree (`https://host/owner/name`), when a git remote
    /// names a known host, and the folder its paths are relative to.
    pub repository: Option<(String, PathBuf)>,
    /// The revision the decision pages' history walks back from ([`Source::history_from`]).
    pub history_from: Option<String>,
    /// The past revision read ([`Source::revision`]).
    pub revision: Option<Revision>,
    by_id: HashMap<String, usize>,
    pub(super) drawing: OnceLock<super::graph_page::Drawing>,
}

impl Snapshot {
    /// Read the tree through the store (refreshing it first) and build everything a page
    /// needs.
    pub fn read(source: &Source, generation: u64) -> crate::Result<Snapshot> {
        Ok(Snapshot::read_if_changed(source, generation, None)?.expect("no content to compare with"))
    }

    /// [`Snapshot::read`], unless the records are the ones of `known` (a store generation):
    /// `None` then. Another process refreshing the shared store (`adrgraph status 2 Deprecated`
    /// in a terminal) leaves this refresh nothing to parse, yet the records changed: the
    /// generation says so.
    pub fn read_if_changed(
        source: &Source,
        generation: u64,
        known: Option<u64>,
    ) -> crate::Result<Option<Snapshot>> {
        let mut opts = source.store.clone();
        opts.index = true;
        let mut store = Store::open(&source.ingest, &opts, &|_| {})?;
        let content = if store.dir().is_some() { store.generation() } else { 0 };
        let nothing_new = store.report.parsed == 0 && store.report.removed == 0;
        if known.is_some_and(|k| nothing_new && (content == 0 || k == content)) {
            return Ok(None);
        }
        let index = store.sync_index_or_memory()?;
        let corpus = store.load::<Records>()?.into_corpus();
        let warnings = store.warnings.clone();
        let report = store.report.clone();
        let drawings = store.dir().map(|d| d.join("drawings"));
        drop(store);
        let mut snap = Snapshot::of(corpus, index, source, generation, warnings);
        snap.report = report;
        snap.drawings = drawings;
        snap.content = content;
        Ok(Some(snap))
    }

    /// A snapshot of records already read (the static site, tests).
    pub fn of(
        corpus: Corpus,
        index: SearchIndex,
        source: &Source,
        generation: u64,
        warnings: Vec<String>,
    ) -> Snapshot {
        let graph = crate::graph_of(&corpus);
        let mut findings = crate::lint::lint(&corpus, &graph, &source.lint);
        let mut lines = crate::ingest::SourceLines::new(source.ingest.max_file_size);
        crate::lint::place_columns(&mut findings, &mut |path: &str, line: u32| lines.line(path, line));
        findings.sort();
        let mut in_force = BTreeSet::new();
        for i in corpus.indexes() {
            if corpus.adrs[i].status.is_in_force() && !in_force.contains(&corpus.adrs[i].id) {
                in_force.extend(crate::query::chain(&graph, &corpus.adrs, i).in_force);
            }
        }
        let by_id = corpus.adrs.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        let repository = repository_of(&corpus);
        Snapshot {
            generation,
            corpus,
            graph,
            index,
            findings,
            warnings,
            report: Default::default(),
            content: 0,
            max_file_size: source.ingest.max_file_size,
            drawings: None,
            in_force,
            repository,
            history_from: source.history_from.clone(),
            revision: source.revision.clone(),
            by_id,
            drawing: OnceLock::new(),
        }
    }

    /// The decision with exactly this id (no paths, numbers or slugs: a web address names a
    /// decision by its id only, so nothing a client sends is ever read as a path).
    pub fn decision(&self, id: &str) -> Option<DecisionIndex> {
        self.by_id.get(id).map(|&i| DecisionIndex::new(i))
    }

    /// The web address of a record's file in its repository, when the remote is known.
    pub fn web_url(&self, i: DecisionIndex) -> Option<String> {
        let (base, top) = self.repository.as_ref()?;
        let file = self.corpus.file_of(i);
        let rel = file.strip_prefix(top).ok()?;
        let rel = rel.to_str()?.replace('\\', "/");
        let at = self.revision.as_ref().map_or("HEAD", |r| r.commit.as_str());
        Some(format!("{base}/blob/{at}/{}", crate::render::percent_encode(&rel)))
    }

    /// The lint findings on one file.
    pub fn findings_on<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.path == path)
    }

    /// Folders, tags and deciders with how many decisions have each (for the filters).
    pub fn facets(&self) -> Facets {
        let mut f = Facets::default();
        for a in &self.corpus.adrs {
            *f.folders.entry(folder_of(&a.path).to_string()).or_default() += 1;
            for t in &a.tags {
                *f.tags.entry(t.clone()).or_default() += 1;
            }
            for d in &a.deciders {
                *f.deciders.entry(d.clone()).or_default() += 1;
            }
        }
        f
    }
}

/// What the decision log can be filtered by, each with its count.
#[derive(Debug, Default)]
pub struct Facets {
    /// Folder (as displayed) to count.
    pub folders: BTreeMap<String, usize>,
    /// Tag to count.
    pub tags: BTreeMap<String, usize>,
    /// Decider to count.
    pub deciders: BTreeMap<String, usize>,
}

/// The folder part of a displayed path (`doc/adr` of `doc/adr/0001-x.md`).
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The repository of the first root that has a known web host, and its work tree's top.
fn repository_of(corpus: &Corpus) -> Option<(String, PathBuf)> {
    let root = corpus.abs_roots.first()?;
    let top = crate::ingest::repository_top(root)?;
    let repo = crate::ingest::repositories_of(std::slice::from_ref(root)).into_iter().next()?;
    let known = ["github.com/", "gitlab.com/", "codeberg.org/", "bitbucket.org/"];
    known.iter().any(|h| repo.starts_with(h)).then(|| (format!("https://{repo}"), top))
}

/// The snapshot every request reads, swapped whole when the tree changes.
#[derive(Clone)]
pub struct Shared {
    current: Arc<RwLock<Arc<Snapshot>>>,
    /// Tells open pages (server-sent events) that a new snapshot is in place.
    pub changed: tokio::sync::broadcast::Sender<u64>,
    /// Answers already made from the snapshot in place (an answer is a function of the
    /// snapshot and the address alone).
    pub(super) answers: Arc<std::sync::Mutex<Answers>>,
    /// How pages served from this snapshot link to each other (`/at/COMMIT/` at a revision).
    pub links: super::links::Links,
}

/// Answers made from one snapshot, by address, up to [`Answers::BUDGET`] bytes.
#[derive(Default)]
pub(super) struct Answers {
    generation: u64,
    bytes: usize,
    map: HashMap<String, Answer>,
}

/// One answer kept: status, headers and body.
#[derive(Clone)]
pub(super) struct Answer {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: axum::body::Bytes,
}

impl Answers {
    /// Bytes of answers kept at most; past it, the oldest reading's answers are dropped whole.
    pub const BUDGET: usize = 64 << 20;
    /// Largest answer kept.
    pub const LARGEST: usize = 4 << 20;

    /// The answer to `key` made from snapshot `generation`, if kept.
    pub fn get(&mut self, generation: u64, key: &str) -> Option<Answer> {
        if generation != self.generation {
            *self = Answers { generation, ..Answers::default() };
        }
        self.map.get(key).cloned()
    }

    /// Keep an answer made from snapshot `generation`.
    pub fn put(&mut self, generation: u64, key: String, answer: Answer) {
        if generation != self.generation || answer.body.len() > Self::LARGEST {
            return;
        }
        if self.bytes + answer.body.len() > Self::BUDGET {
            self.map.clear();
            self.bytes = 0;
        }
        self.bytes += answer.body.len() + key.len();
        self.map.insert(key, answer);
    }
}

impl Shared {
    /// Share a first snapshot.
    pub fn new(first: Snapshot) -> Shared {
        let (changed, _) = tokio::sync::broadcast::channel(16);
        let links = match &first.revision {
            Some(r) => super::links::Links::at(&r.commit),
            None => super::links::Links::server(),
        };
        Shared {
            current: Arc::new(RwLock::new(Arc::new(first))),
            changed,
            answers: Default::default(),
            links,
        }
    }

    /// The snapshot in place now.
    pub fn get(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Put a new snapshot in place and tell open pages.
    pub fn replace(&self, next: Snapshot) {
        let generation = next.generation;
        match self.current.write() {
            Ok(mut g) => *g = Arc::new(next),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(next),
        }
        let _ = self.changed.send(generation);
    }
}

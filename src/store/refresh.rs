//! Opening a store: the steps of a refresh, cheapest first. Each step either answers (the store
//! is returned) or hands what it learnt to the next:
//!
//! 1. trusted: the generation is all a search without `--refresh` needs;
//! 2. nothing changed: the walk's fingerprint is the summary's, so the manifest is not read;
//! 3. a few files differ by the walk table, and none changes what other records see: the quick
//!    refresh of [`patch`] from the unsorted walk;
//! 4. the sorted walk has the manifest's files with the same content: the manifest is kept
//!    (and its times settled);
//! 5. under the lock, the quick refresh from the sorted walk;
//! 6. the full refresh: changed files parsed in parts of whole shards, the shards of each part
//!    written, the manifest last, the full-text index fed on the way when the command searches.

use super::*;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// What opening a store knows so far.
pub(super) struct Opening<'a> {
    dir: PathBuf,
    ingest: &'a IngestOptions,
    opts: &'a StoreOptions,
    key: u64,
    abs_roots: Vec<PathBuf>,
    report: RefreshReport,
    warnings: Vec<String>,
    /// The tree's walk, when it was walked before opening began ([`Store::open_after`]).
    walked: Option<Box<ingest::Walked>>,
}

/// The stamp of the manifest file when it was first read (see [`manifest_stamp`]).
type Stamp = Option<(FileStamp, Option<FileStamp>)>;

/// The store folder to use: `None` when there is none or it cannot be made (a warning says
/// why), an error when it cannot be made and the store is required.
pub(super) fn usable_dir(
    opts: &StoreOptions,
    abs_roots: &[PathBuf],
    shown: &[PathBuf],
    warnings: &mut Vec<String>,
) -> Result<Option<PathBuf>> {
    let Some(d) =
        opts.dir.clone().or_else(|| opts.cache.as_deref().map(|c| store_dir_in(c, abs_roots, shown)))
    else {
        return Ok(None);
    };
    match std::fs::create_dir_all(&d) {
        Ok(()) => Ok(Some(d)),
        Err(e) if opts.required => Err(Error::Io { path: d, source: e }),
        Err(e) => {
            warnings
                .push(format!("cannot use the store at {}: {e}; reading the tree without it", d.display()));
            Ok(None)
        }
    }
}

/// The tree read without a store: every record parsed and kept in memory.
pub(super) fn unstored(
    ingest_opts: &IngestOptions,
    opts: &StoreOptions,
    warnings: Vec<String>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Store> {
    let scan = ingest::parse_tree(ingest_opts, ingest::scan_tree(ingest_opts)?, None, progress);
    let report = RefreshReport { store: None, refreshed: true, parsed: scan.parsed, ..Default::default() };
    let manifest = manifest_of(&scan, config_key(ingest_opts), shards_for(scan.files.len()));
    let records = Some(scan.files.into_iter().map(|f| f.parsed).collect());
    let generation = manifest.generation;
    Ok(Store {
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
    })
}

/// The tree's walk on a thread of its own, with the queue of its files whose metadata the
/// thread that waits for it helps read ([`ingest::StatQueue::help`]).
fn spawn_walk(
    opts: IngestOptions,
) -> (std::thread::JoinHandle<Result<ingest::Walked>>, Arc<ingest::StatQueue>) {
    let queue = Arc::new(ingest::StatQueue::default());
    let q = queue.clone();
    (crate::threads::spawn("walk", move || ingest::walk_tree_helped(&opts, &q)), queue)
}

impl<'a> Opening<'a> {
    pub(super) fn new(
        dir: PathBuf,
        ingest: &'a IngestOptions,
        opts: &'a StoreOptions,
        abs_roots: Vec<PathBuf>,
        warnings: Vec<String>,
    ) -> Opening<'a> {
        let report = RefreshReport { store: Some(dir.display().to_string()), ..Default::default() };
        Opening { dir, ingest, opts, key: config_key(ingest), abs_roots, report, warnings, walked: None }
    }

    /// This opening with the tree's walk done already (see [`Store::open_after`]).
    pub(super) fn walked(self, walked: Box<ingest::Walked>) -> Opening<'a> {
        Opening { walked: Some(walked), ..self }
    }

    /// Step 2 ahead of the walk: the store as step 2 gives it when the summary is right, with
    /// the walk that checks that begun on its own thread (see [`Ahead`]). `None` without a
    /// summary, or when a walk is given already.
    pub(super) fn ahead(self) -> Option<(Store, Ahead)> {
        if !self.opts.refresh || self.opts.rebuild || self.walked.is_some() {
            return None;
        }
        let summary = read_file::<Summary>(&self.dir.join(SUMMARY)).ok().flatten()?;
        let ingest = self.ingest.clone();
        let (walker, queue) = spawn_walk(ingest.clone());
        let key = self.key;
        let store = self.unchanged(&summary);
        Some((store, Ahead::new(walker, queue, summary, key, ingest)))
    }

    /// The store of step 2: the tree is the one `summary` describes, so neither the manifest
    /// nor any record is read now.
    fn unchanged(mut self, summary: &Summary) -> Store {
        self.report.refreshed = true;
        self.report.reused = summary.decisions;
        let mut store = self.stored(None);
        store.generation = summary.generation;
        store.decisions = Some(summary.decisions);
        store
    }

    /// The store with these records left on disk.
    fn stored(self, manifest: Option<Manifest>) -> Store {
        Store::stored(self.dir, manifest, self.ingest, self.report, self.warnings, self.opts.on_wait)
    }

    /// The store after a quick refresh (see [`Store::quick`]).
    fn quick(self, p: patch::Patched, guard: Option<File>) -> Store {
        Store::quick(self.dir, p, self.ingest, self.report, self.warnings, guard, self.opts)
    }

    /// Open the store: the steps above, in order.
    pub(super) fn open(mut self, progress: &(dyn Fn(usize) + Sync)) -> Result<Store> {
        let opts = self.opts;
        // Step 1: trusting the store, the generation is all a search needs; the rest is read on
        // demand. The summary, when it is the same manifest's, tells how many decisions there
        // are (the command line sizes its memory by it).
        if !opts.refresh && !opts.rebuild {
            if let Ok(Some(generation)) = read_file::<u64>(&self.dir.join("generation.bin")) {
                let summary = read_file::<Summary>(&self.dir.join(SUMMARY)).ok().flatten();
                let mut store = self.stored(None);
                store.generation = generation;
                store.decisions = summary.filter(|s| s.generation == generation).map(|s| s.decisions);
                return Ok(store);
            }
        }
        let (walked, summary, settings, fingerprint) = self.walk()?;
        // Files that differ from the walk the manifest was made from, by its table: when they
        // are few, the quick way needs neither sorting nor classifying the tree.
        let mut differ: Option<Vec<usize>> = None;
        if let (Some(summary), Some(w), Some(fp), Some(settings)) =
            (summary, walked.as_ref(), fingerprint, settings)
        {
            // Step 2: nothing changed since the manifest was written; the manifest is not read.
            if fp == summary.tree && settled(w.print(), summary.written_at) {
                free_aside(w.print().count, walked);
                return Ok(self.unchanged(&summary));
            }
            differ = self.few_differing(&summary, w, settings);
        }
        // A few files to read: the parser's patterns are compiled on the other core while the
        // manifest is decoded.
        if differ.as_ref().is_some_and(|d| !d.is_empty()) {
            crate::threads::spawn("prepare", crate::parse::prepare);
        }
        // Otherwise the walker's files are sorted and classified while the manifest is decoded.
        let mut walk = match (walked, &differ) {
            (Some(w), Some(_)) => Walk::Listed(Box::new(w)),
            (Some(w), None) => {
                let o = self.ingest.clone();
                Walk::Sorting(crate::threads::spawn("sort", move || w.finish(&o)))
            }
            (None, _) => Walk::Not,
        };
        // What the manifest file is (a rewrite renames a new file into place): read again under
        // the lock only if another process replaced it meanwhile.
        let stamp = manifest_stamp(&self.dir);
        let mut previous = self.previous_manifest();
        if let (false, Some(m)) = (opts.refresh, previous.as_ref()) {
            self.report.reused = m.files.len();
            return Ok(self.stored(previous));
        }
        self.report.refreshed = true;
        let mut guard = None;
        // Step 3: the quick way from the unsorted walk.
        if let (Walk::Listed(w), Some(d), Some(m), Some(fp)) =
            (&walk, &differ, previous.as_ref(), fingerprint)
        {
            guard = lock(&self.dir, opts.on_wait).ok();
            let replaced = stamp.is_none() || manifest_stamp(&self.dir) != stamp;
            let planned = if guard.is_some() && !replaced { self.listed_plan(w, d, m) } else { None };
            if let Some((changed, picked)) = planned {
                let sub = w.pick(&picked);
                let table = WalkTable { tree: fp, settings: settings.unwrap_or(0), files: w.table() };
                let m = previous.take().expect("planned from it");
                match patch::refresh(&self.dir, m, sub, &changed, (self.ingest, self.key, &table), opts.index)
                {
                    Ok(p) => {
                        free_aside(w.print().count, walk);
                        return Ok(self.quick(p, guard));
                    }
                    Err(m) => previous = Some(*m),
                }
            }
        }
        let tree = std::mem::replace(&mut walk, Walk::Not).tree(self.ingest)?;
        let settings = settings.unwrap_or_else(|| settings_of(&tree.base().roots, self.key, self.ingest));
        let table = WalkTable {
            tree: fingerprint.unwrap_or_else(|| tree_fingerprint(settings, tree.print())),
            settings,
            files: tree.table().to_vec(),
        };
        // Step 4: the same files with the same content.
        if let Some(m) = previous.as_mut() {
            if let Some(reverified) = unchanged(m, &tree) {
                self.report.reused = m.files.len();
                self.settle(m, reverified, &tree, &table, guard, stamp);
                free_aside(tree.print().count, tree);
                return Ok(self.stored(previous));
            }
        }
        // Something changed: refresh under the lock.
        let guard = self.lock_for_refresh(guard, stamp, &mut previous);
        // Step 5: a few files modified, nothing that other records see.
        let quick = match previous.take() {
            Some(m) if guard.is_some() && !opts.rebuild => match patch::candidates(&m, &tree) {
                Some(changed) if changed.len() <= patch::LIMIT => {
                    let sub = tree.subset(&changed);
                    patch::refresh(&self.dir, m, sub, &changed, (self.ingest, self.key, &table), opts.index)
                        .map_err(|m| Some(*m))
                }
                _ => Err(Some(m)),
            },
            other => Err(other),
        };
        match quick {
            Ok(p) => {
                free_aside(tree.print().count, tree);
                Ok(self.quick(p, guard))
            }
            Err(previous) => self.full(tree, table, previous, guard, progress),
        }
    }

    /// A refresh walks the tree on its own thread (files listed, not sorted) while the summary
    /// is read: the walk, the summary, and the walk's settings and fingerprint.
    #[allow(clippy::type_complexity)]
    fn walk(&mut self) -> Result<(Option<ingest::Walked>, Option<Summary>, Option<u64>, Option<u64>)> {
        let opts = self.opts;
        let given = self.walked.take().filter(|_| opts.refresh || opts.rebuild);
        let walker =
            (given.is_none() && (opts.refresh || opts.rebuild)).then(|| spawn_walk(self.ingest.clone()));
        let summary =
            if opts.rebuild { None } else { read_file::<Summary>(&self.dir.join(SUMMARY)).ok().flatten() };
        let walked = match (walker, given) {
            (Some((w, queue)), _) => {
                // This thread reads files' metadata for the walk rather than wait for it.
                queue.help();
                Some(w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?)
            }
            (None, given) => given.map(|w| *w),
        };
        let settings = walked.as_ref().map(|w| settings_of(w.roots(), self.key, self.ingest));
        let fingerprint = walked.as_ref().zip(settings).map(|(w, s)| tree_fingerprint(s, w.print()));
        Ok((walked, summary, settings, fingerprint))
    }

    /// The lock for a refresh that changes the store (`None`, with a warning, when the store
    /// cannot be locked: a read-only store), and the manifest another process wrote while this
    /// one waited for it.
    fn lock_for_refresh(
        &mut self,
        guard: Option<File>,
        stamp: Stamp,
        previous: &mut Option<Manifest>,
    ) -> Option<File> {
        let guard = match guard {
            Some(g) => Some(g),
            None => match lock(&self.dir, self.opts.on_wait) {
                Ok(g) => Some(g),
                Err(e) => {
                    self.warnings.push(format!("{NOT_UPDATED}: {e}; its content is not updated"));
                    None
                }
            },
        };
        if guard.is_some() && !self.opts.rebuild && (stamp.is_none() || manifest_stamp(&self.dir) != stamp) {
            if let Ok(Some(m)) = read_manifest(&self.dir) {
                if m.abs_roots == self.abs_roots && m.config_key == self.key {
                    *previous = Some(m);
                }
            }
        }
        guard
    }

    /// The files of the walk that differ from the walk table the manifest was made from, when
    /// that table is this walk's kind and they are few enough for the quick way.
    fn few_differing(&self, summary: &Summary, w: &ingest::Walked, settings: u64) -> Option<Vec<usize>> {
        let t = WalkTable::read(&self.dir)?;
        if t.tree != summary.tree || t.settings != settings || t.files.len() != w.print().count {
            return None;
        }
        let mut d = w.not_in(&t.files);
        d.extend(w.modified_since(summary.written_at - ingest::RACY_NS));
        d.sort_unstable();
        d.dedup();
        (d.len() <= patch::LIMIT).then_some(d)
    }

    /// The manifest to refresh from: none when asked to rebuild, when the configuration or the
    /// roots changed, or when it is damaged (a warning says so).
    fn previous_manifest(&mut self) -> Option<Manifest> {
        if self.opts.rebuild {
            self.report.rebuilt = Some("asked for".into());
            return None;
        }
        match read_manifest(&self.dir) {
            Ok(Some(m)) if m.config_key != self.key => {
                self.report.rebuilt = Some("the configuration changed".into());
                None
            }
            Ok(m) => m.filter(|m| m.abs_roots == self.abs_roots),
            Err(why) => {
                self.warnings.push(format!("{why}; rebuilding it"));
                self.report.rebuilt = Some(why);
                None
            }
        }
    }

    /// The quick way from the unsorted walk, when every file that differs is a decision file of
    /// the manifest without sidecar metadata: the manifest positions of the changed files, in
    /// order, and the walk positions to pick, in the same order.
    fn listed_plan(&self, w: &ingest::Walked, d: &[usize], m: &Manifest) -> Option<(Vec<usize>, Vec<usize>)> {
        let mut positions: Vec<(usize, usize)> = d
            .iter()
            .map(|&i| {
                let (root, rel, size, regular) = w.file(i)?;
                let at = m.files.binary_search_by(|f| (f.0, f.1.as_str()).cmp(&(root, rel))).ok()?;
                (regular && size <= self.ingest.max_file_size && m.files[at].5 == 0).then_some((at, i))
            })
            .collect::<Option<_>>()?;
        positions.sort_unstable();
        Some(positions.into_iter().unzip())
    }

    /// Step 4's bookkeeping: files checked by content are settled once two seconds have passed
    /// since the newest of them changed; record that (and a missing summary or walk table), so
    /// that they are not read again. Only when no other process is writing the store, and not
    /// over a manifest another process wrote meanwhile.
    fn settle(
        &self,
        m: &mut Manifest,
        reverified: usize,
        tree: &ingest::TreeScan,
        table: &WalkTable,
        mut guard: Option<File>,
        stamp: Stamp,
    ) {
        let dir = &self.dir;
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
            && WalkTable::read(dir).as_ref() == Some(table);
        if !rewrite && summarised && dir.join("generation.bin").exists() {
            return;
        }
        let free = guard.is_some()
            || File::options().create(true).truncate(false).write(true).open(dir.join("lock")).is_ok_and(
                |f| {
                    f.try_lock().is_ok() && {
                        guard = Some(f);
                        true
                    }
                },
            );
        if free && manifest_stamp(dir) == stamp {
            if rewrite {
                m.written_at = now;
            }
            let _ = write_manifest_delta(dir, m, Some(table));
        }
        drop(guard);
    }

    /// Step 6: the full refresh. Unchanged files keep their records from the graph snapshot (no
    /// long texts: their full records stay in their shards); changed ones are parsed in full.
    fn full(
        mut self,
        tree: ingest::TreeScan,
        table: WalkTable,
        previous: Option<Manifest>,
        guard: Option<File>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Store> {
        let prior = previous.as_ref().and_then(|m| self.prior(m));
        let all = prior.is_none();
        // A store built now gets the shard count for its size; a refresh keeps its store's.
        let shards = match previous.as_ref() {
            Some(m) if !all => m.shards,
            _ => shards_for(tree.decision_files().count()),
        };
        let old_keys: HashSet<ContentKey<'_>> = previous
            .as_ref()
            .map(|m| m.files.iter().map(|f| (f.0, f.1.as_str(), f.4, f.5)).collect())
            .unwrap_or_default();
        // The full-text index is fed while the tree is parsed, when the command searches: its
        // indexing threads work while the next part is parsed.
        let mut feed =
            if self.opts.index && guard.is_some() { Feed::open(&self.dir, &mut self.warnings) } else { None };
        let walk_skipped = tree.base().skipped.clone();
        let plan = Parts { shards, all, old_keys, writing: guard.is_some() };
        let (mut merged, written) = self.parse_parts(tree, prior, &plan, &mut feed, progress);
        in_path_order(&mut merged);
        self.report.parsed = merged.parsed;
        self.report.reused = merged.reused;
        if let Some(m) = previous.as_ref() {
            let now: HashSet<(usize, &str)> = merged.files.iter().map(|f| (f.root, f.rel.as_str())).collect();
            self.report.removed = m.files.iter().filter(|f| !now.contains(&(f.0, f.1.as_str()))).count();
        }
        let manifest = manifest_of(&merged, self.key, shards);
        let slim: Vec<crate::parse::Parsed> = merged.files.into_iter().map(|f| f.parsed).collect();
        // The summary only when the manifest's skipped files are the walk's: one that could not
        // be read is tried again next time.
        let summary = (manifest.skipped == walk_skipped).then_some(&table);
        let store_written = guard.is_some() && self.write_manifest(&manifest, summary, written, all);
        let generation = manifest.generation;
        let mut store = Store {
            on_wait: self.opts.on_wait,
            dir: Some(self.dir),
            manifest: Some(manifest),
            generation,
            decisions: None,
            records: None,
            slim: Some(slim),
            ingest: self.ingest.clone(),
            report: self.report,
            warnings: self.warnings,
        };
        if let (Some(f), true) = (feed, store_written) {
            store.finish_feed(f);
        }
        drop(guard);
        Ok(store)
    }

    /// The records of the previous refresh, from the graph snapshot; `None` (everything is
    /// parsed) when it is missing or damaged (a warning says so).
    fn prior(&mut self, m: &Manifest) -> Option<Prior> {
        let slim = match read_slim(&self.dir, m) {
            Ok(Some(s)) => s,
            Ok(None) => return None,
            Err(why) => {
                self.warnings.push(format!("{why}; rebuilding it"));
                self.report.rebuilt = Some(why);
                return None;
            }
        };
        Some(Prior::new(states(m, slim), m.written_at))
    }

    /// The tree parsed in parts of whole shards: only one part's full records are in memory at
    /// a time; each part's shards are written, then its records slimmed. Returns the slimmed
    /// scan (in part order) and whether every shard was written.
    fn parse_parts(
        &mut self,
        tree: ingest::TreeScan,
        prior: Option<Prior>,
        plan: &Parts<'_>,
        feed: &mut Option<Feed>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> (Scan, Result<()>) {
        let group = |root: usize, rel: &str| plan.group(root, rel);
        let parts = tree.split(GROUPS, group);
        let mut old_by_group: Vec<Vec<ContentKey<'_>>> = vec![Vec::new(); GROUPS];
        for o in &plan.old_keys {
            old_by_group[group(o.0, o.1)].push(*o);
        }
        let mut priors: Vec<Option<Prior>> = match prior {
            Some(p) => p.split(GROUPS, group).into_iter().map(Some).collect(),
            None => (0..GROUPS).map(|_| None).collect(),
        };
        let mut merged = Scan { corpus: Corpus::default(), files: Vec::new(), parsed: 0, reused: 0 };
        let mut written = Ok(());
        for (k, part) in parts.into_iter().enumerate() {
            let offset = merged.parsed;
            let mut scan = ingest::parse_tree(self.ingest, part, priors[k].take(), &|n| progress(offset + n));
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
                .map(|f| plan.all || !plan.old_keys.contains(&(f.root, f.rel.as_str(), f.hash, f.sidecar)))
                .collect();
            let writing = plan.writing && written.is_ok();
            let detached = if writing { Detached::take(&mut scan.files, &fresh) } else { Detached::none() };
            let mut touched = None;
            if writing {
                let these = plan.touched(k, &scan.files, &fresh, &old_by_group[k]);
                written = self.write_part((shard_name, plan), (&scan.files, &fresh, &detached), &these);
                touched = Some(these);
            }
            detached.restore(&mut scan.files);
            if let Some(f) = feed.as_mut() {
                let root_of = |r: usize| merged.corpus.roots.get(r).map(String::as_str).unwrap_or("");
                if let Err(e) = f.add_parsed(&scan.files, &fresh, self.key, root_of) {
                    let e = index_io_error(e, &self.dir.join("index"));
                    self.warnings.push(format!(
                        "cannot feed the full-text index ({e}); it is brought up to date later"
                    ));
                    *feed = None;
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
                written =
                    self.write_part((slim_name, plan), (&scan_files, &fresh, &Detached::none()), touched);
            }
            merged.files.extend(scan_files);
        }
        (merged, written)
    }

    /// Write the shards `these` of one part (records first, the manifest last: a manifest is
    /// only ever next to the records of its generation, or newer ones, which are then ignored
    /// and rebuilt).
    fn write_part(
        &mut self,
        (name, plan): (fn(usize) -> String, &Parts<'_>),
        files: (&[Box<FileState>], &[bool], &Detached),
        these: &BTreeSet<usize>,
    ) -> Result<()> {
        let new_keys: HashSet<ContentKey<'_>> =
            files.0.iter().map(|f| (f.root, f.rel.as_str(), f.hash, f.sidecar)).collect();
        let keep = |k: ContentKey<'_>| plan.old_keys.contains(&k) || new_keys.contains(&k);
        write_shards(&self.dir, (name, plan.shards), files, &keep, these, plan.all)
            .map(|w| self.warnings.extend(w))
    }

    /// Write the manifest (and the summary and walk table with it, when given) after the
    /// shards; `false` (with a warning) when the store could not be written.
    fn write_manifest(
        &mut self,
        manifest: &Manifest,
        summary: Option<&WalkTable>,
        shards: Result<()>,
        all: bool,
    ) -> bool {
        let dir = &self.dir;
        let written = shards.and_then(|()| write_manifest(dir, manifest, summary));
        // Stores of earlier formats kept every record, or every slim record, in one file.
        let _ = std::fs::remove_file(dir.join("records.bin"));
        let _ = std::fs::remove_file(dir.join("graph.bin"));
        // A store built again may have fewer shards than before: the others go.
        if all && written.is_ok() {
            remove_stale_shards(dir, manifest.shards);
        }
        match written {
            Ok(()) => true,
            Err(e) => {
                self.warnings
                    .push(format!("{UNWRITTEN}: {e}; results are complete but will be recomputed next time"));
                false
            }
        }
    }
}

/// How the full refresh cuts the tree into parts and which shards it writes.
struct Parts<'m> {
    /// The store's shard count.
    shards: usize,
    /// Every file is parsed and every shard written (no usable previous refresh).
    all: bool,
    /// The content keys of the previous manifest.
    old_keys: HashSet<ContentKey<'m>>,
    /// The store is locked, so shards are written.
    writing: bool,
}

impl Parts<'_> {
    /// The part a file is in: parts are whole shards.
    fn group(&self, root: usize, rel: &str) -> usize {
        shard_of(root, rel, self.shards) * GROUPS / self.shards
    }

    /// Part `k`'s shards that gained a record or lost one (all of them on a rebuild).
    fn touched(
        &self,
        k: usize,
        files: &[Box<FileState>],
        fresh: &[bool],
        old_in_part: &[ContentKey<'_>],
    ) -> BTreeSet<usize> {
        if self.all {
            return (0..self.shards).filter(|n| n * GROUPS / self.shards == k).collect();
        }
        let new_keys: HashSet<ContentKey<'_>> =
            files.iter().map(|f| (f.root, f.rel.as_str(), f.hash, f.sidecar)).collect();
        files
            .iter()
            .zip(fresh)
            .filter(|(_, fresh)| **fresh)
            .map(|(f, _)| shard_of(f.root, &f.rel, self.shards))
            .chain(
                old_in_part
                    .iter()
                    .filter(|o| !new_keys.contains(*o))
                    .map(|o| shard_of(o.0, o.1, self.shards)),
            )
            .collect()
    }
}

/// Back to path order. Records are large: sort their positions, then move each once.
fn in_path_order(merged: &mut Scan) {
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
}

impl Store {
    /// The documents fed while parsing carry provisional ids and no decisions in force: the last
    /// pass re-adds the few whose final ones differ, deletes what is gone, and commits.
    fn finish_feed(&mut self, f: Feed) {
        let Feed { index, schema, writer, indexed, added } = f;
        match self.sync_with(&schema, writer, indexed, added) {
            Ok((a, r)) => {
                self.report.indexed = a;
                self.report.unindexed = r;
            }
            Err(e) => {
                let e = match e {
                    SyncError::Tantivy(e) => e.to_string(),
                    SyncError::Store(e) => e.to_string(),
                };
                self.warnings.push(format!("cannot update the full-text index ({e})"));
            }
        }
        drop(index);
        self.slim = None;
    }
}

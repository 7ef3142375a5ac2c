//! The walk of the roots (the `ignore` crate: `.gitignore` respected, symbolic links never
//! followed, oversized ignore files refused): files listed, then sorted and classified.

use super::batches::{stat_as_listed, Finish};
use super::*;
use std::sync::Arc;

/// A file found under a root, with the metadata the walk saw.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub(super) root: usize,
    pub(super) abs: PathBuf,
    pub(super) rel: String,
    pub(super) regular: bool,
    pub(super) size: u64,
    /// The change stamp compared with the store's ([`change_time`]: the later of mtime and
    /// ctime), in nanoseconds since the Unix epoch (0 when unknown).
    pub(super) mtime: i128,
    /// The modification time alone, for telling whether a file changed just before the store
    /// was written (a timestamp that may hide a second change): what users age with `touch -d`.
    pub(super) modified: i128,
    /// Hash of root, path, kind, size and change stamp ([`file_hash`]): what the walk's print
    /// sums, made by the thread that found the file.
    pub(super) hash: u64,
}

/// Hash of one found file as the walk's print and table hold it.
pub(super) fn file_hash(root: usize, rel: &str, regular: bool, size: u64, mtime: i128) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&(root as u64).to_le_bytes());
    h.update(rel.as_bytes());
    h.update(&[regular as u8]);
    h.update(&size.to_le_bytes());
    h.update(&mtime.to_le_bytes());
    h.digest()
}

/// An order-independent summary of every file a walk found: equal prints (with equal roots and
/// settings) mean that sorting and classifying would give the same [`TreeScan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WalkPrint {
    /// Sum (wrapping) of each file's hash of root, path, kind, size and modification time.
    pub files: u64,
    /// Number of files.
    pub count: usize,
    /// Newest modification time (ns since the epoch).
    pub newest: i128,
    /// Whether some file's modification time is unknown.
    pub unknown_time: bool,
}

/// The files a walk found, not sorted or classified yet ([`Walked::finish`] does that).
#[derive(Debug)]
pub struct Walked {
    pub(super) corpus: Corpus,
    pub(super) found: Vec<Found>,
    /// Each found file's hash (as summed in the print), in `found` order.
    pub(super) hashes: Vec<u64>,
    pub(super) print: WalkPrint,
}

/// Walk the roots, reading every file's size and time but no content.
pub fn walk_tree(opts: &IngestOptions) -> Result<Walked> {
    walk_tree_with(opts, &Stats { queue: &Arc::default(), helped: false })
}

/// [`walk_tree`], the files' metadata read in batches on `queue`, which a thread that waits for
/// the walk helps read ([`StatQueue::help`]) instead of sleeping.
pub fn walk_tree_helped(opts: &IngestOptions, queue: &Arc<StatQueue>) -> Result<Walked> {
    walk_tree_with(opts, &Stats { queue, helped: true })
}

/// Where a walk's batches of files go for their metadata, and whether a thread waiting for the
/// walk helps read them.
#[derive(Clone, Copy)]
pub(super) struct Stats<'a> {
    queue: &'a Arc<StatQueue>,
    helped: bool,
}

fn walk_tree_with(opts: &IngestOptions, stats: &Stats<'_>) -> Result<Walked> {
    // Helpers stop waiting for batches when the walk ends, failed or not.
    let _finish = Finish(stats.queue);
    let mut corpus = Corpus::default();
    let mut found: Vec<Found> = Vec::new();
    for (i, root) in opts.roots.iter().enumerate() {
        if let Some(source) = &opts.source {
            let display = root_display(root);
            corpus.abs_roots.push(std::fs::canonicalize(root).unwrap_or_else(|_| root.clone()));
            from_source(i, root, source.as_ref(), opts, &mut found, &mut corpus.diagnostics, &display)?;
            corpus.roots.push(display);
            continue;
        }
        if !root.is_dir() {
            return Err(Error::BadRoot(root.display().to_string()));
        }
        let display = root_display(root);
        corpus.abs_roots.push(std::fs::canonicalize(root).unwrap_or_else(|_| root.clone()));
        walk(i, root, &display, opts, stats, &mut found, &mut corpus.diagnostics);
        corpus.roots.push(display);
    }
    // Each file was hashed by the thread that found it: no thread pool is started for a tree
    // that turns out unchanged.
    let hashes: Vec<u64> = found.iter().map(|f| f.hash).collect();
    let mut print = WalkPrint { count: found.len(), ..WalkPrint::default() };
    for (f, h) in found.iter().zip(&hashes) {
        print.files = print.files.wrapping_add(*h);
        print.newest = print.newest.max(f.modified);
        print.unknown_time |= f.mtime == 0;
    }
    Ok(Walked { corpus, found, hashes, print })
}

/// The files of root `i` as a [`FileSource`] lists them, the exclude globs applied as the
/// walk applies them.
fn from_source(
    i: usize,
    root: &Path,
    source: &dyn FileSource,
    opts: &IngestOptions,
    found: &mut Vec<Found>,
    diagnostics: &mut Vec<Diagnostic>,
    display: &str,
) -> Result<()> {
    let mut exclude = globset::GlobSetBuilder::new();
    for g in &opts.exclude {
        match globset::Glob::new(g) {
            Ok(g) => {
                exclude.add(g);
            }
            Err(e) => diagnostics.push(Diagnostic::new(
                display,
                0,
                Severity::Error,
                "exclude",
                format!("bad exclude glob `{g}`: {e}"),
            )),
        }
    }
    let exclude = exclude.build().unwrap_or_else(|_| globset::GlobSet::empty());
    for (rel, size, stamp) in source.files(i)? {
        let excluded =
            exclude.is_match(&rel) || rel.match_indices('/').any(|(k, _)| exclude.is_match(&rel[..k]));
        if excluded {
            continue;
        }
        // Not modified "just now": a revision's files never change under the store.
        found.push(Found {
            root: i,
            abs: root.join(&rel),
            hash: file_hash(i, &rel, true, size, stamp),
            rel,
            regular: true,
            size,
            mtime: stamp,
            modified: 0,
        });
    }
    Ok(())
}

impl Walked {
    /// The walk's summary.
    pub fn print(&self) -> WalkPrint {
        self.print
    }

    /// The roots as displayed.
    pub fn roots(&self) -> &[String] {
        &self.corpus.roots
    }

    /// Every found file's hash, sorted: the walk's *table*, against which a later walk finds
    /// what changed ([`Walked::not_in`]).
    pub fn table(&self) -> Vec<u64> {
        let mut t = self.hashes.clone();
        t.par_sort_unstable();
        t
    }

    /// Positions of the files whose hash is not in `table` (sorted): files added, renamed or
    /// modified since the walk `table` came from.
    pub fn not_in(&self, table: &[u64]) -> Vec<usize> {
        (0..self.hashes.len())
            .into_par_iter()
            .filter(|&i| table.binary_search(&self.hashes[i]).is_err())
            .collect()
    }

    /// Positions of the files modified at or after `after` (ns since the epoch), or at an
    /// unknown time.
    pub fn modified_since(&self, after: i128) -> Vec<usize> {
        (0..self.found.len())
            .filter(|&i| self.found[i].modified >= after || self.found[i].mtime == 0)
            .collect()
    }

    /// File `i`: root, path below it, size, and whether it is a regular file.
    pub fn file(&self, i: usize) -> Option<(usize, &str, u64, bool)> {
        self.found.get(i).map(|f| (f.root, f.rel.as_str(), f.size, f.regular))
    }

    /// The files at these positions as a scan to parse, each without sidecar metadata: for
    /// decision files known to have none.
    pub fn pick(&self, positions: &[usize]) -> TreeScan {
        let base = Corpus {
            roots: self.corpus.roots.clone(),
            abs_roots: self.corpus.abs_roots.clone(),
            ..Corpus::default()
        };
        let todo = positions
            .iter()
            .filter_map(|&i| self.found.get(i))
            .map(|f| Pending { found: f.clone(), sidecar: None, sidecar_sig: 0 })
            .collect();
        TreeScan { base, todo, print: WalkPrint::default(), table: Vec::new() }
    }

    /// Sort and classify: what [`parse_tree`] will read.
    pub fn finish(self, opts: &IngestOptions) -> TreeScan {
        let table = self.table();
        let Walked { mut corpus, mut found, print, .. } = self;
        found.par_sort_by(|a, b| (a.root, &a.rel).cmp(&(b.root, &b.rel)));
        found.dedup_by(|a, b| a.root == b.root && a.rel == b.rel);
        corpus.files_seen = found.len();

        // Record folders: a folder named like a record that holds a README.md / index.md.
        let mut record_dirs: Vec<BTreeSet<String>> = vec![BTreeSet::new(); opts.roots.len()];
        for f in &found {
            if let Some((dir, name)) = f.rel.rsplit_once('/') {
                let stem = stem_of(name);
                let dir_name = dir.rsplit('/').next().unwrap_or(dir);
                // Only ASCII letters lower-case to these words.
                let named = stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index");
                if named && is_markdown(name) && is_record_dir(dir_name) {
                    record_dirs[f.root].insert(dir.to_string());
                }
            }
        }
        // Each file classified once.
        let classes: Vec<FileClass> = found
            .par_iter()
            .map(|f| {
                if f.regular {
                    classify(&f.rel, &record_dirs[f.root])
                } else {
                    FileClass::Skip(SkipReason::NotRegular)
                }
            })
            .collect();
        // Sidecar metadata per record folder (few: copied).
        let mut sidecars: BTreeMap<(usize, String), Found> = BTreeMap::new();
        for (f, class) in found.iter().zip(&classes) {
            if let (Some((dir, _)), FileClass::Skip(SkipReason::Metadata)) = (f.rel.rsplit_once('/'), class) {
                sidecars.insert((f.root, dir.to_string()), f.clone());
            }
        }

        let mut todo: Vec<Pending> = Vec::with_capacity(found.len());
        for (f, class) in found.into_iter().zip(classes) {
            match class {
                FileClass::Skip(reason) => {
                    corpus.skipped.push(Skipped { path: display_join(&corpus.roots[f.root], &f.rel), reason })
                }
                FileClass::Decision if f.size > opts.max_file_size => {
                    let path = display_join(&corpus.roots[f.root], &f.rel);
                    corpus.diagnostics.push(Diagnostic::new(
                        &path,
                        0,
                        Severity::Error,
                        "too-large",
                        format!(
                            "file is {} bytes, over the {} byte limit: not read",
                            f.size, opts.max_file_size
                        ),
                    ));
                    corpus.skipped.push(Skipped { path, reason: SkipReason::TooLarge });
                }
                FileClass::Decision => {
                    let side = if sidecars.is_empty() {
                        None
                    } else {
                        let dir = f.rel.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
                        sidecars.get(&(f.root, dir)).cloned()
                    };
                    let sidecar_sig = side
                        .as_ref()
                        .map(|s| {
                            xxhash_rust::xxh3::xxh3_64(format!("{}:{}:{}", s.rel, s.size, s.mtime).as_bytes())
                        })
                        .unwrap_or(0);
                    todo.push(Pending { found: f, sidecar: side, sidecar_sig });
                }
            }
        }
        corpus.skipped.sort();
        TreeScan { base: corpus, todo, print, table }
    }
}

/// Size, change stamp and modification time of a found file: read relative to its open
/// folder, else by its path.
fn stamps(folder: &mut Folder, path: &Path, follow_links: bool) -> (u64, i128, i128) {
    folder.stat(path, follow_links).unwrap_or_else(|| {
        let m = if follow_links { std::fs::metadata(path) } else { std::fs::symlink_metadata(path) };
        match m {
            Ok(m) => (m.len(), change_time(&m), m.modified().ok().map(nanos).unwrap_or(0)),
            Err(_) => (0, 0, 0),
        }
    })
}

/// The folder whose files a thread is reading the metadata of, opened once.
#[derive(Default)]
pub(super) struct Folder {
    #[cfg(unix)]
    open: Option<(PathBuf, rustix::fd::OwnedFd)>,
}

impl Folder {
    /// Size, change stamp and modification time of a file, read relative to its folder (`None`
    /// when that cannot be done: the caller reads it by its path).
    #[cfg(unix)]
    fn stat(&mut self, path: &Path, follow_links: bool) -> Option<(u64, i128, i128)> {
        use rustix::fs::{AtFlags, Mode, OFlags};
        let (parent, name) = (path.parent()?, path.file_name()?);
        if self.open.as_ref().is_none_or(|(p, _)| p != parent) {
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(rustix::fs::CWD, parent, flags, Mode::empty()).ok()?;
            self.open = Some((parent.to_path_buf(), fd));
        }
        let (_, fd) = self.open.as_ref()?;
        let at = if follow_links { AtFlags::empty() } else { AtFlags::SYMLINK_NOFOLLOW };
        let st = rustix::fs::statat(fd, name, at).ok()?;
        let ns = |secs: i64, nsec: i64| {
            let t = i128::from(secs) * 1_000_000_000 + i128::from(nsec);
            // As `nanos` has it: a time before the epoch is unknown.
            t.max(0)
        };
        let modified = ns(st.st_mtime, st.st_mtime_nsec as i64);
        let changed = ns(st.st_ctime, st.st_ctime_nsec as i64);
        // As `change_time` has it: the later of the two, unknown when the modification is.
        let stamp = if modified == 0 { 0 } else { modified.max(changed) };
        Some((st.st_size as u64, stamp, modified))
    }

    #[cfg(not(unix))]
    fn stat(&mut self, _: &Path, _: bool) -> Option<(u64, i128, i128)> {
        None
    }
}

pub(super) fn walk_diagnostic(err: &ignore::Error, root: &Path, display: &str) -> Diagnostic {
    let path = walk_error_path(err)
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/");
            display_join(display, &rel)
        })
        .unwrap_or_else(|| display.to_string());
    let msg = err.to_string();
    let msg = msg
        .split_once(": ")
        .filter(|(p, _)| path.ends_with(p.trim_start_matches("./")))
        .map(|(_, m)| m.to_string())
        .unwrap_or(msg);
    Diagnostic::new(path, 0, Severity::Error, "walk", format!("cannot walk: {msg}"))
}

/// Walk one root in parallel, collecting every file with its size and modification time. The
/// order is whatever the threads produce: callers sort.
pub(super) fn walk(
    root_idx: usize,
    root: &Path,
    display: &str,
    opts: &IngestOptions,
    stats: &Stats<'_>,
    found: &mut Vec<Found>,
    diags: &mut Vec<Diagnostic>,
) {
    // An ignore file over the cap is not read (6 MB of rules took 2.1 GB): for the root and the
    // folders above it, no ignore rule is applied to the root; a folder below it with one is
    // walked apart, without ignore rules. Each is said.
    let mut respect = opts.respect_ignore;
    if respect {
        let above: Vec<&Path> = root.ancestors().collect();
        for d in above {
            if let Some((file, size)) = oversized_ignore(d) {
                diags.push(ignore_too_large(display, &file, size));
                respect = false;
            }
            if d.join(".git").exists() {
                break;
            }
        }
    }
    let mut pending: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(start) = pending.pop() {
        let skipped = walk_from(root_idx, root, &start, display, opts, stats, respect, found, diags);
        for (dir, file, size) in skipped {
            diags.push(ignore_too_large(display, &file, size));
            pending.push(dir);
        }
        // Folders walked apart are walked without ignore rules.
        respect = false;
    }
}

/// The largest ignore file (`.gitignore`, `.ignore`) whose rules are read.
pub const MAX_IGNORE_FILE: u64 = 1 << 20;

/// An ignore file of `dir` over [`MAX_IGNORE_FILE`], with its size.
pub(super) fn oversized_ignore(dir: &Path) -> Option<(PathBuf, u64)> {
    [".gitignore", ".ignore"].iter().find_map(|n| {
        let p = dir.join(n);
        let len = std::fs::symlink_metadata(&p).ok()?.len();
        (len > MAX_IGNORE_FILE).then_some((p, len))
    })
}

pub(super) fn ignore_too_large(display: &str, file: &Path, size: u64) -> Diagnostic {
    Diagnostic::new(
        display,
        0,
        Severity::Warning,
        "ignore-too-large",
        format!(
            "{} is {size} bytes, more than {MAX_IGNORE_FILE}: its rules are not read, and files they would ignore are read",
            file.display()
        ),
    )
}

/// Walk `start` (the root or a folder below it), paths relative to `root`; returns the folders
/// below `start` that were left out because their ignore file is over the cap, for walking apart.
#[allow(clippy::too_many_arguments)]
pub(super) fn walk_from(
    root_idx: usize,
    root: &Path,
    start: &Path,
    display: &str,
    opts: &IngestOptions,
    stats: &Stats<'_>,
    respect_ignore: bool,
    found: &mut Vec<Found>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, PathBuf, u64)> {
    let left_out: std::sync::Arc<std::sync::Mutex<Vec<(PathBuf, PathBuf, u64)>>> = Default::default();
    let mut builder = ignore::WalkBuilder::new(start);
    builder
        .follow_links(opts.follow_links)
        .hidden(true)
        .git_ignore(respect_ignore)
        .git_exclude(respect_ignore)
        .git_global(false)
        .ignore(respect_ignore)
        .parents(respect_ignore)
        .require_git(false);
    if respect_ignore {
        let out = left_out.clone();
        builder.filter_entry(move |e| {
            if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            match oversized_ignore(e.path()) {
                Some((file, size)) => {
                    out.lock().unwrap_or_else(|p| p.into_inner()).push((e.path().to_path_buf(), file, size));
                    false
                }
                None => true,
            }
        });
    }
    if !opts.exclude.is_empty() {
        let mut ob = ignore::overrides::OverrideBuilder::new(root);
        for g in &opts.exclude {
            if let Err(e) = ob.add(&format!("!{g}")) {
                diags.push(Diagnostic::new(
                    display,
                    0,
                    Severity::Error,
                    "exclude",
                    format!("bad exclude glob `{g}`: {e}"),
                ));
            }
        }
        if let Ok(o) = ob.build() {
            builder.overrides(o);
        }
    }
    // The folders are listed on this thread, one after the other: ignore's parallel walker
    // starts threads for every root and its idle workers poll each millisecond, 5 of the 14 ms a
    // walk of 1,000 files in six roots took; it gained nothing at 10,000 (it shares out folders,
    // and a decision folder is one long listing). What costs is each file's metadata: once
    // there are many files, read in batches, each put on the walk's queue as soon as it is
    // listed for the threads that help (see `batches.rs`), so that the reading of the first
    // overlaps the listing of the next.
    let follow_links = opts.follow_links;
    let found_of = move |folder: &mut Folder, (abs, rel, regular): (PathBuf, String, bool)| {
        // The link itself unless links are followed, as the walker reads it.
        let (size, mtime, modified) = stamps(folder, &abs, follow_links);
        Found {
            root: root_idx,
            abs,
            hash: file_hash(root_idx, &rel, regular, size, mtime),
            rel,
            regular,
            size,
            mtime,
            modified,
        }
    };
    let stat_batch = move |batch: Vec<Listed>| -> Vec<Found> {
        let mut folder = Folder::default();
        batch.into_iter().map(|l| found_of(&mut folder, l)).collect()
    };
    let mut d = Vec::new();
    let listed = builder.build().filter_map(|entry| match entry {
        Ok(e) => {
            let ft = e.file_type()?;
            let rel = path_text(e.path().strip_prefix(root).unwrap_or(e.path())).replace('\\', "/");
            (!ft.is_dir() && !rel.is_empty()).then(|| (e.into_path(), rel, ft.is_file()))
        }
        Err(err) => {
            d.push(walk_diagnostic(&err, root, display));
            None
        }
    });
    let stated = stat_as_listed(listed, stat_batch, stats.queue, stats.helped);
    // Moved, not copied, when it is the first root's (a copy was fresh memory to fill).
    if found.is_empty() {
        *found = stated;
    } else {
        found.extend(stated);
    }
    d.sort();
    diags.append(&mut d);
    let mut out = std::mem::take(&mut *left_out.lock().unwrap_or_else(|p| p.into_inner()));
    out.sort();
    out
}

/// A file a walk listed: its path, its path from the root, and whether it is a regular file.
pub(super) type Listed = (PathBuf, String, bool);

pub(super) fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => walk_error_path(err),
        ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.first().and_then(walk_error_path),
        _ => None,
    }
}

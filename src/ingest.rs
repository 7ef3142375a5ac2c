//! Finding ADR files and reading them all, in parallel.
//!
//! [`discover`] finds the roots when none is given (`.adr-dir`, `.log4brains.yml`, then the
//! usual folders). [`ingest`] walks every root (respecting `.gitignore`, not following symbolic
//! links), sorts what it finds, classifies each file ([`classify`]: a decision, or skipped with a
//! [`SkipReason`]), then reads and parses the decisions with rayon. Results are collected in path
//! order, so the output never depends on thread timing. Ids are assigned last
//! ([`assign_ids`]), once every slug is known.

use crate::error::{Error, Result};
use crate::model::{Adr, Diagnostic, Severity};
use crate::parse::{self, text, ParseOptions, Sidecar};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files larger than this are not read (a diagnostic says so).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 << 20;

/// What to ingest and how.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Roots, as the user gave them.
    pub roots: Vec<PathBuf>,
    /// Respect `.gitignore` / `.ignore` files (default true).
    pub respect_ignore: bool,
    /// Follow symbolic links (default false: a link out of the tree is not followed).
    pub follow_links: bool,
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Globs (relative to each root) of paths not to read.
    pub exclude: Vec<String>,
    /// Project words for the parser.
    pub vocabulary: parse::Vocabulary,
}

impl IngestOptions {
    /// Options for these roots, with the defaults.
    pub fn new<I, P>(roots: I) -> IngestOptions
    where
        I: IntoIterator<Item = P>,
        P: Into<PathBuf>,
    {
        IngestOptions {
            roots: roots.into_iter().map(Into::into).collect(),
            respect_ignore: true,
            follow_links: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            exclude: Vec::new(),
            vocabulary: parse::Vocabulary::default(),
        }
    }
}

/// Why a file is not a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// `README.md` of a folder of decisions.
    Readme,
    /// `index.md`, `_index.md`.
    Index,
    /// A template (`template.md`, `adr-template.md`, `ADRXXX-...`, `NNNN-...`).
    Template,
    /// `backlog.md`.
    Backlog,
    /// A table of contents or other navigation page (`toc.md`, `SUMMARY.md`).
    TableOfContents,
    /// Another repository document (`CHANGELOG.md`, `CONTRIBUTING.md`, `LICENSE.md`).
    NotADecision,
    /// A markdown file inside a record folder (`2022-11-09-x/README.md` is the record).
    Attachment,
    /// Sidecar metadata of a record (`kep.yaml`), read with it.
    Metadata,
    /// Not markdown: reStructuredText, AsciiDoc, YAML, images, ...
    NotMarkdown,
    /// Not a regular file (FIFO, socket, device) or a symbolic link.
    NotRegular,
    /// Larger than the size limit.
    TooLarge,
    /// Could not be read (permission denied, vanished).
    Unreadable,
}

impl SkipReason {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Readme => "readme",
            SkipReason::Index => "index",
            SkipReason::Template => "template",
            SkipReason::Backlog => "backlog",
            SkipReason::TableOfContents => "table_of_contents",
            SkipReason::NotADecision => "not_a_decision",
            SkipReason::Attachment => "attachment",
            SkipReason::Metadata => "metadata",
            SkipReason::NotMarkdown => "not_markdown",
            SkipReason::NotRegular => "not_regular",
            SkipReason::TooLarge => "too_large",
            SkipReason::Unreadable => "unreadable",
        }
    }
}

/// A file that was seen but is not a decision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    /// Path as in [`Adr::path`].
    pub path: String,
    /// Why.
    pub reason: SkipReason,
}

/// Everything one ingest produced.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Corpus {
    /// The roots, as given (or as discovered, relative to the current directory).
    pub roots: Vec<String>,
    /// The decisions, in root order then path order.
    pub adrs: Vec<Adr>,
    /// Files seen that are not decisions.
    pub skipped: Vec<Skipped>,
    /// Problems, sorted by path and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files seen under the roots.
    pub files_seen: usize,
    /// Absolute root folders, parallel to `roots` (for path look-ups).
    #[serde(skip)]
    pub abs_roots: Vec<PathBuf>,
    /// Root index of each decision, parallel to `adrs`.
    #[serde(skip)]
    pub adr_roots: Vec<usize>,
}

/// What the file at a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileClass {
    /// A decision record.
    Decision,
    /// Not a decision, for this reason.
    Skip(SkipReason),
}

fn is_markdown(name: &str) -> bool {
    let ends = |suffix: &str| {
        name.len() >= suffix.len()
            && name.is_char_boundary(name.len() - suffix.len())
            && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    // Only ASCII letters lower-case to these (the Kelvin sign's `k` is not among them).
    ends(".md") || ends(".markdown") || ends(".mdx")
}

/// Whether a folder name looks like one record (`2022-03-02-perf-tests`, `583-coscheduling`).
fn is_record_dir(name: &str) -> bool {
    text::date_from_name(name).is_some()
        || (text::number_from_name(name).is_some() && name.contains(['-', '_']))
}

fn stem_of(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

/// Classify a file by its path relative to its root (`/`-separated). `record_dirs` are the
/// folders (relative to the root) whose `README.md` is a record.
pub fn classify(rel: &str, record_dirs: &BTreeSet<String>) -> FileClass {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let lower = name.to_lowercase();
    let stem = stem_of(&lower);
    if !is_markdown(name) {
        if matches!(lower.as_str(), "kep.yaml" | "kep.yml" | "metadata.yaml" | "metadata.yml")
            && record_dirs.contains(dir)
        {
            return FileClass::Skip(SkipReason::Metadata);
        }
        return FileClass::Skip(SkipReason::NotMarkdown);
    }
    let in_template_dir = dir.rsplit('/').next().is_some_and(|d| is_template_name(&d.to_lowercase()));
    if is_template_name(stem) || in_template_dir || is_placeholder_name(stem) {
        return FileClass::Skip(SkipReason::Template);
    }
    match stem {
        "readme" => {
            return if record_dirs.contains(dir) {
                FileClass::Decision
            } else {
                FileClass::Skip(SkipReason::Readme)
            }
        }
        "index" | "_index" => {
            return if record_dirs.contains(dir) {
                FileClass::Decision
            } else {
                FileClass::Skip(SkipReason::Index)
            }
        }
        "backlog" => return FileClass::Skip(SkipReason::Backlog),
        "toc" | "summary" | "contents" | "table-of-contents" | "_sidebar" | "sidebar" | "nav" => {
            return FileClass::Skip(SkipReason::TableOfContents)
        }
        "changelog" | "contributing" | "license" | "code_of_conduct" | "glossary" | "security" => {
            return FileClass::Skip(SkipReason::NotADecision)
        }
        _ => {}
    }
    // Inside a record folder (at any depth), other markdown files belong to the record.
    let mut d = dir;
    loop {
        if record_dirs.contains(d) && !d.is_empty() {
            return FileClass::Skip(SkipReason::Attachment);
        }
        match d.rsplit_once('/') {
            Some((parent, _)) => d = parent,
            None => break,
        }
    }
    FileClass::Decision
}

/// Whether a (lower-case) file stem or folder name names a template and nothing else:
/// `template`, `adr-template`, `0000-template`, `adr-template-bare-minimal`, `templates`; never a
/// decision about templates (`0007-use-minijinja-for-templates`).
fn is_template_name(stem: &str) -> bool {
    const WORDS: &[&str] = &[
        "adr",
        "madr",
        "kep",
        "architecture",
        "decision",
        "record",
        "records",
        "minimal",
        "bare",
        "short",
        "long",
        "full",
        "lightweight",
        "simple",
        "basic",
        "blank",
        "default",
        "example",
        "sample",
        "nygard",
        "y",
        "statement",
        "the",
        "of",
        "md",
        "markdown",
    ];
    let mut has_template = false;
    for w in stem.split(['-', '_', ' ', '.']).filter(|w| !w.is_empty()) {
        if matches!(w, "template" | "templates" | "tmpl") {
            has_template = true;
        } else if !(WORDS.contains(&w) || w.bytes().all(|b| b == b'0') || is_placeholder_name(w)) {
            return false;
        }
    }
    has_template
}

/// The git work tree holding `dir`: the nearest folder at or above it with a `.git` entry.
pub fn repository_top(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// The repositories the roots belong to, as `host/owner/name` (see
/// [`crate::graph::repository_of_url`]): every remote URL of the git configuration of the work
/// tree above each root. Sorted, without duplicates; empty outside git.
pub fn repositories_of(abs_roots: &[PathBuf]) -> Vec<String> {
    let mut out = BTreeSet::new();
    for top in abs_roots.iter().filter_map(|r| repository_top(r)) {
        let dotgit = top.join(".git");
        // A worktree or submodule has a `.git` file saying `gitdir: PATH`.
        let gitdir = if dotgit.is_file() {
            let Ok(text) = read_capped(&dotgit, 4096) else { continue };
            match text.trim().strip_prefix("gitdir:") {
                Some(p) => top.join(p.trim()),
                None => continue,
            }
        } else {
            dotgit
        };
        let Ok(config) = read_capped(&gitdir.join("config"), 1 << 20) else { continue };
        for line in config.lines() {
            let Some((key, value)) = line.split_once('=') else { continue };
            if key.trim().eq_ignore_ascii_case("url") {
                out.extend(crate::graph::repository_of_url(value.trim()));
            }
        }
    }
    out.into_iter().collect()
}

/// The first `cap` bytes of a small text file, lossily decoded.
fn read_capped(path: &Path, cap: u64) -> std::io::Result<String> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::fs::File::open(path)?.take(cap).read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// `ADRXXX-x`, `NNNN-x`, `XXXX-x`, `adr-nnn`, `YYYYMMDD-x`: names left as placeholders.
fn is_placeholder_name(stem: &str) -> bool {
    let first = stem.split(['-', '_', ' ', '.']).next().unwrap_or("");
    let f = first.trim_start_matches("adr").trim_start_matches("madr");
    (f.len() >= 3 && (f.chars().all(|c| c == 'x') || f.chars().all(|c| c == 'n')))
        || first == "yyyymmdd"
        || first == "yyyy"
}

/// A file found under a root, with the metadata the walk saw.
#[derive(Debug, Clone)]
struct Found {
    root: usize,
    abs: PathBuf,
    rel: String,
    regular: bool,
    size: u64,
    /// The change stamp compared with the store's ([`change_time`]: the later of mtime and
    /// ctime), in nanoseconds since the Unix epoch (0 when unknown).
    mtime: i128,
    /// The modification time alone, for telling whether a file changed just before the store
    /// was written (a timestamp that may hide a second change): what users age with `touch -d`.
    modified: i128,
}

/// What one decision file looked like when it was parsed, and what parsing gave: the unit the
/// store keeps, so that an unchanged file is never parsed again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileState {
    /// Root index.
    pub root: usize,
    /// Path relative to the root.
    pub rel: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: i128,
    /// xxh3 hash of the content.
    pub hash: u64,
    /// Signature of the sidecar metadata file read with it (0: none).
    pub sidecar: u64,
    /// The record (id not yet assigned) and its diagnostics.
    pub parsed: parse::Parsed,
}

/// How close (ns) to a recorded scan a file's modification time must be for that time not to be
/// trusted: a second change within the same timestamp could hide behind it, so the content is
/// compared instead.
pub const RACY_NS: i128 = 2_000_000_000;

/// Earlier file states, to skip parsing what did not change. Owned: reused records are moved
/// into the new scan, not copied.
#[derive(Debug, Default)]
pub struct Prior {
    files: std::collections::HashMap<(usize, String), Box<FileState>>,
    /// When the earlier states were recorded (ns since the epoch): a file modified less than two
    /// seconds before that may have changed again within the same timestamp, so its content is
    /// checked.
    written_at: i128,
}

impl Prior {
    /// Earlier states recorded at `written_at` (ns since the epoch).
    pub fn new(states: Vec<Box<FileState>>, written_at: i128) -> Prior {
        Prior { files: states.into_iter().map(|f| ((f.root, f.rel.clone()), f)).collect(), written_at }
    }

    /// Split into `n` parts by `group(root, rel)` (which must be below `n`), to go with
    /// [`TreeScan::split`].
    pub fn split(self, n: usize, group: impl Fn(usize, &str) -> usize) -> Vec<Prior> {
        let each = self.files.len() / n.max(1) * 5 / 4 + 16;
        let mut parts: Vec<Prior> = (0..n)
            .map(|_| Prior {
                files: std::collections::HashMap::with_capacity(each),
                written_at: self.written_at,
            })
            .collect();
        for (k, f) in self.files {
            let g = group(k.0, &k.1).min(n - 1);
            parts[g].files.insert(k, f);
        }
        parts
    }
}

/// A decision file the walk found, not read yet.
#[derive(Debug, Clone)]
struct Pending {
    found: Found,
    sidecar: Option<Found>,
    sidecar_sig: u64,
}

/// The tree as the walk saw it, before any file is read: what [`parse_tree`] will read, and
/// enough metadata to tell whether anything changed since an earlier scan.
#[derive(Debug, Clone)]
pub struct TreeScan {
    base: Corpus,
    todo: Vec<Pending>,
    /// The walk's print (default in parts and subsets).
    print: WalkPrint,
    /// The walk's table ([`Walked::table`]; empty in parts and subsets).
    table: Vec<u64>,
}

impl TreeScan {
    /// `(root, rel, size, mtime, sidecar signature)` of every decision file, in path order.
    pub fn decision_files(&self) -> impl Iterator<Item = (usize, &str, u64, i128, u64)> {
        self.todo
            .iter()
            .map(|p| (p.found.root, p.found.rel.as_str(), p.found.size, p.found.mtime, p.sidecar_sig))
    }

    /// Split the files to read into `n` scans by `group(root, rel)` (below `n`), keeping path
    /// order within each; the first carries the walk's findings (skipped files, diagnostics,
    /// files seen), the others only the roots. Parsing them one after the other bounds memory
    /// to one part's full records.
    pub fn split(self, n: usize, group: impl Fn(usize, &str) -> usize) -> Vec<TreeScan> {
        let bare = Corpus {
            roots: self.base.roots.clone(),
            abs_roots: self.base.abs_roots.clone(),
            ..Corpus::default()
        };
        let mut parts: Vec<TreeScan> = (0..n)
            .map(|_| TreeScan {
                base: bare.clone(),
                todo: Vec::new(),
                print: WalkPrint::default(),
                table: Vec::new(),
            })
            .collect();
        parts[0].base = self.base;
        for p in self.todo {
            let g = group(p.found.root, &p.found.rel).min(n - 1);
            parts[g].todo.push(p);
        }
        parts
    }

    /// The corpus without records: roots, skipped files, walk diagnostics, files seen.
    pub fn base(&self) -> &Corpus {
        &self.base
    }

    /// The print of the walk this scan was made from ([`WalkPrint`]).
    pub fn print(&self) -> WalkPrint {
        self.print
    }

    /// The table of the walk this scan was made from ([`Walked::table`]).
    pub fn table(&self) -> &[u64] {
        &self.table
    }

    /// The files at these positions of [`TreeScan::decision_files`] alone, with the roots but
    /// none of the walk's findings: to parse a few files of a tree otherwise known.
    pub fn subset(&self, positions: &[usize]) -> TreeScan {
        let base = Corpus {
            roots: self.base.roots.clone(),
            abs_roots: self.base.abs_roots.clone(),
            ..Corpus::default()
        };
        TreeScan {
            base,
            todo: positions.iter().filter_map(|&i| self.todo.get(i).cloned()).collect(),
            print: WalkPrint::default(),
            table: Vec::new(),
        }
    }
}

/// The result of [`ingest_with`]: the corpus, the state of every decision file, and what was
/// parsed or reused.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The corpus.
    pub corpus: Corpus,
    /// Every decision file's state, in path order (boxed: a state is 800 bytes, and a refresh
    /// moves each through several lists).
    pub files: Vec<Box<FileState>>,
    /// Files parsed in this run.
    pub parsed: usize,
    /// Files whose earlier parse was reused.
    pub reused: usize,
}

/// When a file last changed, as change detection reads it: the later of its modification time
/// and, on Unix, its status-change time (ctime). An edit whose mtime was put back (`touch -d`,
/// `cp -p`, `rsync -t`, `tar -x`) still moves the ctime, which no user can set, so it is seen
/// as a change (as git compares ctime); the content hash then decides. Nanoseconds since the
/// epoch, 0 when unknown.
pub fn change_time(m: &std::fs::Metadata) -> i128 {
    let modified = m.modified().ok().map(nanos).unwrap_or(0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ctime = i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec());
        if modified == 0 {
            return 0;
        }
        modified.max(ctime)
    }
    #[cfg(not(unix))]
    modified
}

/// Nanoseconds since the Unix epoch of a system time (0 when before the epoch).
pub fn nanos(t: std::time::SystemTime) -> i128 {
    t.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i128).unwrap_or(0)
}

/// Find the roots from a starting folder: in it and each parent up to the repository top, look
/// for `.adr-dir`, `.log4brains.yml`, then the usual folders.
pub fn discover(start: &Path) -> Result<Vec<PathBuf>> {
    const USUAL: &[&str] = &[
        "doc/adr",
        "docs/adr",
        "docs/adrs",
        "docs/decisions",
        "docs/architecture/decisions",
        "doc/architecture/decisions",
        "docs/architecture-decisions",
        "docs/architecture/adr",
        "architecture/decisions",
        "doc/decisions",
        "doc/adrs",
        "docs/architecture-decision-records",
        "architecture-decision-records",
        "architecture-decision-record",
        "adr",
        "adrs",
        "decisions",
    ];
    // Inside a git work tree, look up to its top and no further; outside one, only here: a
    // folder above is another project's.
    let top = repository_top(start);
    let mut dir = Some(start.to_path_buf());
    while let Some(d) = dir {
        if let Ok(text) = std::fs::read_to_string(d.join(".adr-dir")) {
            let rel = text.lines().next().unwrap_or("").trim();
            if !rel.is_empty() {
                return Ok(vec![d.join(rel)]);
            }
        }
        for name in [".log4brains.yml", ".log4brains.yaml"] {
            if let Ok(text) = std::fs::read_to_string(d.join(name)) {
                let roots = log4brains_roots(&text);
                let roots: Vec<PathBuf> =
                    roots.into_iter().map(|r| d.join(r)).filter(|p| p.is_dir()).collect();
                if !roots.is_empty() {
                    return Ok(roots);
                }
            }
        }
        for usual in USUAL {
            let p = d.join(usual);
            if p.is_dir() {
                return Ok(vec![p]);
            }
        }
        if top.as_deref().is_none_or(|t| t == d) {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    Err(Error::NoRoot {
        start: start.display().to_string(),
        tried: format!(
            ".adr-dir, .log4brains.yml, {} (here and in each parent up to the repository top)",
            USUAL.join(", ")
        ),
    })
}

fn log4brains_roots(yaml: &str) -> Vec<String> {
    let Ok(v) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml) else { return Vec::new() };
    let mut out = Vec::new();
    if let Some(project) = v.get("project") {
        if let Some(f) = project.get("adrFolder").and_then(|f| f.as_str()) {
            out.push(f.to_string());
        }
        if let Some(pkgs) = project.get("packages").and_then(|p| p.as_sequence()) {
            for p in pkgs {
                if let Some(f) = p.get("adrFolder").and_then(|f| f.as_str()) {
                    out.push(f.to_string());
                }
            }
        }
    }
    out
}

/// A root as displayed joined with a path relative to it (`data` + `a/b.md` = `data/a/b.md`).
pub fn display_join(root: &str, rel: &str) -> String {
    let root = root.trim_end_matches('/');
    if root.is_empty() || root == "." {
        rel.to_string()
    } else {
        format!("{root}/{rel}")
    }
}

fn root_display(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    if s.len() > 1 {
        s.trim_end_matches('/').to_string()
    } else {
        s
    }
}

/// Ingest every root: walk, classify, read and parse in parallel, assign ids.
///
/// Fails only when a root is not a folder; every per-file problem is a diagnostic.
pub fn ingest(opts: &IngestOptions) -> Result<Corpus> {
    let (roots, _) = distinct_roots(&opts.roots);
    if roots.len() != opts.roots.len() {
        let opts = IngestOptions { roots, ..opts.clone() };
        return Ok(ingest_with(&opts, None, &|_| {})?.corpus);
    }
    Ok(ingest_with(opts, None, &|_| {})?.corpus)
}

/// Like [`ingest`], reusing the parse of every file that `prior` saw with the same size,
/// modification time and sidecar (or, failing that, the same content hash). `progress` is
/// called with the number of files parsed so far, from worker threads.
pub fn ingest_with(
    opts: &IngestOptions,
    prior: Option<Prior>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Scan> {
    let mut scan = parse_tree(opts, scan_tree(opts)?, prior, progress);
    scan.corpus = assemble(std::mem::take(&mut scan.corpus), &scan.files);
    Ok(scan)
}

/// The roots to read, each file once: a root given twice, or inside another root, is dropped
/// (its files are read through the other). Returns the roots kept, in the order given, and a
/// note for each one dropped.
pub fn distinct_roots(roots: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let canon: Vec<PathBuf> =
        roots.iter().map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone())).collect();
    let (mut kept, mut notes) = (Vec::new(), Vec::new());
    for (i, r) in roots.iter().enumerate() {
        let covered = canon.iter().enumerate().find(|&(j, c)| {
            j != i && ((c == &canon[i] && j < i) || (c != &canon[i] && canon[i].starts_with(c)))
        });
        match covered {
            Some((j, _)) => notes.push(format!(
                "root {} is read once, as part of root {}",
                r.display(),
                roots[j].display()
            )),
            None => kept.push(r.clone()),
        }
    }
    (kept, notes)
}

/// Walk the roots and classify every file, reading none.
pub fn scan_tree(opts: &IngestOptions) -> Result<TreeScan> {
    Ok(walk_tree(opts)?.finish(opts))
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
    corpus: Corpus,
    found: Vec<Found>,
    /// Each found file's hash (as summed in the print), in `found` order.
    hashes: Vec<u64>,
    print: WalkPrint,
}

/// Walk the roots, reading every file's size and time but no content.
pub fn walk_tree(opts: &IngestOptions) -> Result<Walked> {
    let mut corpus = Corpus::default();
    let mut found: Vec<Found> = Vec::new();
    for (i, root) in opts.roots.iter().enumerate() {
        if !root.is_dir() {
            return Err(Error::BadRoot(root.display().to_string()));
        }
        let display = root_display(root);
        corpus.abs_roots.push(std::fs::canonicalize(root).unwrap_or_else(|_| root.clone()));
        walk(i, root, &display, opts, &mut found, &mut corpus.diagnostics);
        corpus.roots.push(display);
    }
    let hashes: Vec<u64> = found
        .par_iter()
        .map(|f| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&(f.root as u64).to_le_bytes());
            h.update(f.rel.as_bytes());
            h.update(&[f.regular as u8]);
            h.update(&f.size.to_le_bytes());
            h.update(&f.mtime.to_le_bytes());
            h.digest()
        })
        .collect();
    let mut print = WalkPrint { count: found.len(), ..WalkPrint::default() };
    for (f, h) in found.iter().zip(&hashes) {
        print.files = print.files.wrapping_add(*h);
        print.newest = print.newest.max(f.modified);
        print.unknown_time |= f.mtime == 0;
    }
    Ok(Walked { corpus, found, hashes, print })
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

/// Read and parse the decision files of a scanned tree in parallel, reusing `prior`'s records
/// where the file did not change. The returned corpus holds the walk's part only (roots,
/// skipped files, the walk's and unreadable files' diagnostics): [`assemble`] it with the file
/// states when the records are wanted there too.
pub fn parse_tree(
    opts: &IngestOptions,
    tree: TreeScan,
    prior: Option<Prior>,
    progress: &(dyn Fn(usize) + Sync),
) -> Scan {
    let TreeScan { base: mut corpus, todo, .. } = tree;
    let (mut prior_files, written_at) = match prior {
        Some(p) => (p.files, p.written_at),
        None => (std::collections::HashMap::new(), 0),
    };
    // Each pending file takes its earlier state with it (moved, not copied).
    let work: Vec<(Pending, Option<Box<FileState>>)> = todo
        .into_iter()
        .map(|p| {
            let before = prior_files.remove(&(p.found.root, p.found.rel.clone()));
            (p, before)
        })
        .collect();
    let roots = &corpus.roots;
    let done = std::sync::atomic::AtomicUsize::new(0);
    type Outcome = std::result::Result<(Box<FileState>, bool), (Skipped, Diagnostic)>;
    let results: Vec<Outcome> = work
        .into_par_iter()
        .map(|(p, before)| {
            let f = &p.found;
            let path = display_join(&roots[f.root], &f.rel);
            // Same size, time and sidecar, and not modified within two seconds of the last
            // look: reuse without reading.
            if let Some(old) = &before {
                let racy = f.modified >= written_at - RACY_NS;
                if old.size == f.size
                    && old.mtime == f.mtime
                    && old.sidecar == p.sidecar_sig
                    && !racy
                    && f.mtime != 0
                {
                    return Ok((before.expect("checked"), false));
                }
            }
            let unreadable = |e: std::io::Error| {
                (
                    Skipped { path: path.clone(), reason: SkipReason::Unreadable },
                    Diagnostic::new(
                        &path,
                        0,
                        Severity::Error,
                        "unreadable",
                        format!("cannot read file: {e}"),
                    ),
                )
            };
            let bytes = read_limited(&f.abs, opts.max_file_size, f.size).map_err(unreadable)?;
            let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
            if let Some(mut old) = before {
                if old.hash == hash && old.sidecar == p.sidecar_sig {
                    old.size = f.size;
                    old.mtime = f.mtime;
                    return Ok((old, false));
                }
            }
            // The sidecar (`kep.yaml`) through the same guarded reader and size cap as the
            // record: a sparse 3 GB file is refused, not read, and said.
            let mut side_problem = None;
            let side_text = p.sidecar.as_ref().and_then(|s| {
                let shown = display_join(&roots[s.root], &s.rel);
                match read_limited(
                    &s.abs,
                    opts.max_file_size.min(crate::parse::front_matter::MAX_LEN as u64),
                    0,
                ) {
                    Ok(b) => Some((String::from_utf8_lossy(&b).into_owned(), shown)),
                    Err(e) => {
                        side_problem = Some(Diagnostic::new(
                            &shown,
                            0,
                            Severity::Error,
                            "unreadable",
                            format!("metadata file not read: {e}"),
                        ));
                        None
                    }
                }
            });
            let popts = ParseOptions {
                sidecar: side_text.as_ref().map(|(text, p)| Sidecar { text, path: p }),
                vocabulary: Some(&opts.vocabulary),
            };
            let mut parsed = parse::parse_bytes(&bytes, &path, &f.rel, popts);
            parsed.diagnostics.extend(side_problem);
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
            Ok((
                Box::new(FileState {
                    root: f.root,
                    rel: f.rel.clone(),
                    size: f.size,
                    mtime: f.mtime,
                    hash,
                    sidecar: p.sidecar_sig,
                    parsed,
                }),
                true,
            ))
        })
        .collect();
    let (mut parsed_count, mut reused) = (0, 0);
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok((state, fresh)) => {
                if fresh {
                    parsed_count += 1;
                } else {
                    reused += 1;
                }
                files.push(state);
            }
            Err((skipped, diag)) => {
                corpus.skipped.push(skipped);
                corpus.diagnostics.push(diag);
            }
        }
    }
    corpus.skipped.sort();
    corpus.diagnostics.sort();
    Scan { corpus, files, parsed: parsed_count, reused }
}

/// Finish a corpus from the walk's part (roots, skipped files, walk diagnostics) and the
/// decision files' states: records in path order, diagnostics sorted, ids assigned.
pub fn assemble(mut corpus: Corpus, files: &[Box<FileState>]) -> Corpus {
    corpus.adrs.clear();
    corpus.adr_roots.clear();
    for f in files {
        corpus.adrs.push(f.parsed.adr.clone());
        corpus.adr_roots.push(f.root);
        corpus.diagnostics.extend(f.parsed.diagnostics.iter().cloned());
    }
    corpus.skipped.sort();
    corpus.diagnostics.sort();
    corpus.diagnostics.dedup();
    assign_ids(&mut corpus);
    corpus
}

/// Like [`assemble`], taking the records instead of copying them: `records[i]` is the record
/// of the file under root `roots[i]`.
pub fn assemble_owned(mut corpus: Corpus, roots: &[usize], records: Vec<parse::Parsed>) -> Corpus {
    corpus.adrs = Vec::with_capacity(records.len());
    corpus.adr_roots = roots.to_vec();
    for p in records {
        corpus.diagnostics.extend(p.diagnostics);
        corpus.adrs.push(p.adr);
    }
    corpus.skipped.sort();
    corpus.diagnostics.sort();
    corpus.diagnostics.dedup();
    assign_ids(&mut corpus);
    corpus
}

/// Read at most `max` bytes of a file (an error past that); `expected` is the size the walk saw,
/// to read it in one go. Through [`open_guarded`]: never a symbolic link, a FIFO or a device.
fn read_limited(path: &Path, max: u64, expected: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_guarded(path)?;
    let mut buf = Vec::with_capacity(expected.min(max) as usize + 1);
    file.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(std::io::Error::other(format!("file grew over the {max} byte limit while being read")));
    }
    Ok(buf)
}

/// Open a file of the tree for reading the way every read of an ADR file must: a symbolic link
/// at `path` is refused rather than followed (`O_NOFOLLOW`), opening never blocks on a FIFO
/// (`O_NONBLOCK`), and anything but a regular file (FIFO, socket, device) is refused once open.
pub fn open_guarded(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("a symbolic link, not followed"));
    }
    let file = o.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// The whole text of a file of the tree, read through [`open_guarded`] and capped at `max`
/// bytes (an error past that): what human output quotes source lines from.
pub fn read_guarded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    read_limited(path, max, 0)
}

/// Lines of files of the tree, read once per file through [`read_guarded`] (capped at `max`
/// bytes) and counted as the parser counts them (LF, CRLF or a lone CR; a BOM dropped): what
/// lint quotes under a finding, places columns by and fixes.
#[derive(Debug, Default)]
pub struct SourceLines {
    max: u64,
    files: std::collections::HashMap<String, Vec<String>>,
}

impl SourceLines {
    /// A reader of files up to `max` bytes.
    pub fn new(max: u64) -> SourceLines {
        SourceLines { max, files: Default::default() }
    }

    /// Line `line` (1-based) of the file at `path` (as displayed), without its ending; `None`
    /// past its end or when the file cannot be read.
    pub fn line(&mut self, path: &str, line: u32) -> Option<String> {
        let max = self.max;
        let lines = self.files.entry(path.to_string()).or_insert_with(|| {
            let Ok(bytes) = read_guarded(Path::new(path), max) else { return Vec::new() };
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            crate::write::split_lines(text)
                .iter()
                .map(|l| l.trim_end_matches(['\n', '\r']).to_string())
                .collect()
        });
        lines.get(line.checked_sub(1)? as usize).cloned()
    }
}

/// A path as text: itself when it is valid UTF-8; otherwise each byte that is not part of a
/// valid UTF-8 sequence is written `%NN`, so that two names differing only in invalid bytes stay
/// two names (a lossy conversion would make both `U+FFFD` and give them one id).
pub fn path_text(p: &Path) -> String {
    if let Some(s) = p.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in p.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    p.to_string_lossy().into_owned()
}

/// Entries one walker thread found; handed over to the shared list when the thread is done.
struct Sink<'a> {
    found: Vec<Found>,
    diags: Vec<Diagnostic>,
    out: &'a std::sync::Mutex<(Vec<Found>, Vec<Diagnostic>)>,
}

impl Drop for Sink<'_> {
    fn drop(&mut self) {
        let mut shared = self.out.lock().unwrap_or_else(|p| p.into_inner());
        shared.0.append(&mut self.found);
        shared.1.append(&mut self.diags);
    }
}

fn walk_diagnostic(err: &ignore::Error, root: &Path, display: &str) -> Diagnostic {
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
fn walk(
    root_idx: usize,
    root: &Path,
    display: &str,
    opts: &IngestOptions,
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
        let skipped = walk_from(root_idx, root, &start, display, opts, respect, found, diags);
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
fn oversized_ignore(dir: &Path) -> Option<(PathBuf, u64)> {
    [".gitignore", ".ignore"].iter().find_map(|n| {
        let p = dir.join(n);
        let len = std::fs::symlink_metadata(&p).ok()?.len();
        (len > MAX_IGNORE_FILE).then_some((p, len))
    })
}

fn ignore_too_large(display: &str, file: &Path, size: u64) -> Diagnostic {
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
fn walk_from(
    root_idx: usize,
    root: &Path,
    start: &Path,
    display: &str,
    opts: &IngestOptions,
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
        .require_git(false)
        .threads(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8));
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
    let shared = std::sync::Mutex::new((Vec::new(), Vec::new()));
    builder.build_parallel().run(|| {
        let mut sink = Sink { found: Vec::new(), diags: Vec::new(), out: &shared };
        Box::new(move |entry| {
            match entry {
                Ok(e) => {
                    let Some(ft) = e.file_type() else { return ignore::WalkState::Continue };
                    if ft.is_dir() {
                        return ignore::WalkState::Continue;
                    }
                    let rel = path_text(e.path().strip_prefix(root).unwrap_or(e.path())).replace('\\', "/");
                    if rel.is_empty() {
                        return ignore::WalkState::Continue;
                    }
                    // The link itself unless links are followed, as the walker reads it.
                    let (size, mtime, modified) = match e.metadata() {
                        Ok(m) => (m.len(), change_time(&m), m.modified().ok().map(nanos).unwrap_or(0)),
                        Err(_) => (0, 0, 0),
                    };
                    let abs = e.into_path();
                    sink.found.push(Found {
                        root: root_idx,
                        abs,
                        rel,
                        regular: ft.is_file(),
                        size,
                        mtime,
                        modified,
                    });
                }
                Err(err) => sink.diags.push(walk_diagnostic(&err, root, display)),
            }
            ignore::WalkState::Continue
        })
    });
    let (mut f, mut d) = shared.into_inner().unwrap_or_else(|p| p.into_inner());
    found.append(&mut f);
    d.sort();
    diags.append(&mut d);
    let mut out = std::mem::take(&mut *left_out.lock().unwrap_or_else(|p| p.into_inner()));
    out.sort();
    out
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => walk_error_path(err),
        ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.first().and_then(walk_error_path),
        _ => None,
    }
}

/// A decision named by its number, optionally in a folder (`12`, `ADR-0012`, `decisions/12`):
/// the folder part and the number; `None` when the name is not of that form.
pub(crate) fn number_name(norm: &str) -> Option<(Option<&str>, u32)> {
    let (folder, num_part) = match norm.rsplit_once('/') {
        Some((f, n)) => (Some(f), n),
        None => (None, norm),
    };
    let digits = num_part
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_start_matches(['-', '_', ' ', '#']);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((folder, digits.parse().ok()?))
}

/// Give every record a unique id: its slug, or, where several records share a slug, the slug
/// prefixed with its folder (and root, if needed).
pub fn assign_ids(corpus: &mut Corpus) {
    use rayon::prelude::*;
    // Records by slug, each slug's in record order: runs of one sorted list (a map of 100,000
    // slugs took 60 ms to build).
    let mut order: Vec<usize> = (0..corpus.adrs.len()).collect();
    let adrs = &corpus.adrs;
    let by_slug = |&a: &usize, &b: &usize| adrs[a].slug.cmp(&adrs[b].slug).then(a.cmp(&b));
    if order.len() >= crate::PARALLEL_FROM {
        order.par_sort_unstable_by(by_slug);
    } else {
        order.sort_unstable_by(by_slug);
    }
    let mut ids: Vec<(usize, String)> = Vec::with_capacity(order.len());
    for idxs in order.chunk_by(|&a, &b| adrs[a].slug == adrs[b].slug) {
        let slug = &adrs[idxs[0]].slug;
        if idxs.len() == 1 {
            ids.push((idxs[0], slug.clone()));
            continue;
        }
        let with_folder: Vec<String> = idxs
            .iter()
            .map(|&i| {
                let folder = adrs[i].folder();
                if folder.is_empty() {
                    slug.clone()
                } else {
                    format!("{folder}/{slug}")
                }
            })
            .collect();
        let unique = with_folder.iter().collect::<BTreeSet<_>>().len() == with_folder.len();
        for (k, &i) in idxs.iter().enumerate() {
            ids.push((
                i,
                if unique {
                    with_folder[k].clone()
                } else {
                    let root = corpus.adr_roots.get(i).copied().unwrap_or(0);
                    format!("{}:{}", corpus.roots.get(root).cloned().unwrap_or_default(), with_folder[k])
                },
            ));
        }
    }
    for (i, id) in ids {
        corpus.adrs[i].id = id;
    }
}

impl Corpus {
    /// Find one decision by id, path (relative to the current directory `cwd` or to a root),
    /// number (`12`, `0012`, `ADR-12`, optionally `folder/12`) or slug (or a unique part of one).
    pub fn find(&self, name: &str, cwd: &Path) -> Result<&Adr> {
        let idx = self.find_index(name, cwd)?;
        Ok(&self.adrs[idx])
    }

    /// Like [`Corpus::find`], returning the index into `adrs`.
    pub fn find_index(&self, name: &str, cwd: &Path) -> Result<usize> {
        let name = name.trim();
        let pick = |cands: Vec<usize>| -> Option<Result<usize>> {
            match cands.len() {
                0 => None,
                1 => Some(Ok(cands[0])),
                _ => Some(Err(Error::Ambiguous {
                    name: name.to_string(),
                    candidates: cands
                        .iter()
                        .map(|&i| format!("{} ({})", self.adrs[i].id, self.adrs[i].path))
                        .collect(),
                })),
            }
        };
        // Id.
        if let Some(i) = self.adrs.iter().position(|a| a.id == name) {
            return Ok(i);
        }
        // Path.
        let norm = name.replace('\\', "/");
        let norm = norm.trim_start_matches("./");
        let by_path: Vec<usize> = (0..self.adrs.len())
            .filter(|&i| self.adrs[i].path == norm || self.adrs[i].rel_path == norm)
            .collect();
        if let Some(r) = pick(by_path) {
            return r;
        }
        if let Ok(abs) = std::fs::canonicalize(cwd.join(name)) {
            let by_abs: Vec<usize> = (0..self.adrs.len())
                .filter(|&i| {
                    let root = self.abs_roots.get(self.adr_roots.get(i).copied().unwrap_or(0));
                    root.is_some_and(|r| {
                        let p = r.join(&self.adrs[i].rel_path);
                        p == abs || p.parent() == Some(abs.as_path()) && self.adrs[i].is_folder_record()
                    })
                })
                .collect();
            if let Some(r) = pick(by_abs) {
                return r;
            }
        }
        // Number, optionally with a folder: `12`, `ADR-0012`, `decisions/12`.
        if let Some((folder, n)) = number_name(norm) {
            let cands: Vec<usize> = (0..self.adrs.len())
                .filter(|&i| self.adrs[i].number == Some(n))
                .filter(|&i| folder.is_none_or(|f| self.adrs[i].in_folder(f)))
                .collect();
            if let Some(r) = pick(cands) {
                return r;
            }
        }
        // Slug: exact (case-insensitive), then a unique part.
        let lower = norm.to_lowercase();
        let exact: Vec<usize> =
            (0..self.adrs.len()).filter(|&i| self.adrs[i].slug.to_lowercase() == lower).collect();
        if let Some(r) = pick(exact) {
            return r;
        }
        // `folder/part-of-slug` narrows to records whose folder ends with `folder`.
        let (in_folder, slug_part) = match lower.rsplit_once('/') {
            Some((f, s)) => (Some(f.to_string()), s.to_string()),
            None => (None, lower.clone()),
        };
        let part: Vec<usize> = (0..self.adrs.len())
            .filter(|&i| !slug_part.is_empty() && self.adrs[i].slug.to_lowercase().contains(&slug_part))
            .filter(|&i| {
                in_folder.as_deref().is_none_or(|f| {
                    let folder = self.adrs[i].folder().to_lowercase();
                    folder == f || folder.ends_with(&format!("/{f}"))
                })
            })
            .collect();
        if let Some(r) = pick(part) {
            return r;
        }
        Err(Error::NotFound {
            name: name.to_string(),
            hint: format!(
                "\n  hint: name a decision by id, path, number or slug; `adrgraph list` shows all {}",
                self.adrs.len()
            ),
        })
    }

    /// Diagnostics at error level.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_made_unique_by_folder_then_root() {
        let record = |root: usize, rel: &str| {
            let mut a = Adr::empty("", format!("r{root}/{rel}"), rel);
            a.slug = parse::slug_for(rel);
            (root, a)
        };
        let records = [
            record(0, "b/0001-same.md"),
            record(0, "0002-alone.md"),
            record(1, "b/0001-same.md"),
            record(0, "a/0001-same.md"),
            record(1, "c/0003-pair.md"),
            record(0, "d/0003-pair.md"),
        ];
        let mut corpus = Corpus {
            roots: vec!["r0".into(), "r1".into()],
            adr_roots: records.iter().map(|(r, _)| *r).collect(),
            adrs: records.into_iter().map(|(_, a)| a).collect(),
            ..Corpus::default()
        };
        assign_ids(&mut corpus);
        let ids: Vec<&str> = corpus.adrs.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "r0:b/0001-same",
                "0002-alone",
                "r1:b/0001-same",
                "r0:a/0001-same",
                "c/0003-pair",
                "d/0003-pair"
            ]
        );
    }

    fn c(rel: &str) -> FileClass {
        classify(rel, &BTreeSet::new())
    }

    #[test]
    fn case_checks_without_allocation_agree_with_lower_casing() {
        let names = [
            "0001-a.md",
            "0001-A.MD",
            "x.Markdown",
            "x.mDx",
            "x.mdx.txt",
            "README",
            "ReadMe.md",
            "notes.mḋ",
            "é.md",
            "x.\u{212A}md",
            "Templates",
            "my-TEMPLATE-dir",
            "ÉTEMPLATE",
            "tempLATÉ",
            "\u{130}ndex",
            "",
        ];
        for n in names {
            let lower = n.to_lowercase();
            let expect = lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx");
            assert_eq!(is_markdown(n), expect, "{n}");
        }
    }

    #[test]
    fn classifies_non_decisions() {
        assert_eq!(c("README.md"), FileClass::Skip(SkipReason::Readme));
        assert_eq!(c("index.md"), FileClass::Skip(SkipReason::Index));
        assert_eq!(c("template.md"), FileClass::Skip(SkipReason::Template));
        assert_eq!(c("adr-template.md"), FileClass::Skip(SkipReason::Template));
        assert_eq!(c("ADRXXX-architecture-decision-record.md"), FileClass::Skip(SkipReason::Template));
        assert_eq!(c("NNNN-kep-template/README.md"), FileClass::Skip(SkipReason::Template));
        assert_eq!(c("0000-template.md"), FileClass::Skip(SkipReason::Template));
        assert_eq!(c("adr-template-bare-minimal.md"), FileClass::Skip(SkipReason::Template));
        assert_eq!(c("templates/0001-x.md"), FileClass::Skip(SkipReason::Template));
        // Decisions about templates are decisions.
        assert_eq!(c("0007-use-minijinja-for-templates.md"), FileClass::Decision);
        assert_eq!(c("0012-template-engine.md"), FileClass::Decision);
        assert_eq!(c("email-templates/0001-x.md"), FileClass::Decision);
        assert_eq!(c("backlog.md"), FileClass::Skip(SkipReason::Backlog));
        assert_eq!(c("pep-0001.rst"), FileClass::Skip(SkipReason::NotMarkdown));
        assert_eq!(c("0001-record.md"), FileClass::Decision);
        assert_eq!(c("docs/adr/20201016-use-slug.md"), FileClass::Decision);
    }

    #[test]
    fn record_folders() {
        let dirs: BTreeSet<String> = ["2022-11-09-api-refactoring".to_string()].into();
        assert_eq!(classify("2022-11-09-api-refactoring/README.md", &dirs), FileClass::Decision);
        assert_eq!(
            classify("2022-11-09-api-refactoring/renaming.md", &dirs),
            FileClass::Skip(SkipReason::Attachment)
        );
        assert_eq!(
            classify("2022-11-09-api-refactoring/kep.yaml", &dirs),
            FileClass::Skip(SkipReason::Metadata)
        );
        assert!(is_record_dir("583-coscheduling"));
        assert!(!is_record_dir("decisions"));
    }
}

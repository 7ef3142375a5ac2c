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

mod batches;
mod classify;
mod discover;
mod names;
mod read;
mod scan;
mod walk;

pub use batches::StatQueue;
pub use classify::*;
pub use discover::*;
pub use names::*;
pub use read::*;
pub use scan::*;
pub use walk::*;

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
    /// Where the roots' files are read from when not from the file system (a git revision:
    /// `adrgraph --at`); `None`, the default, reads the work tree.
    pub source: Option<std::sync::Arc<dyn FileSource>>,
}

/// The files of the roots as some other place than the file system holds them (a git
/// revision's trees). A root is given by its position in [`IngestOptions::roots`].
pub trait FileSource: Send + Sync + std::fmt::Debug {
    /// Every file below root `root`: its path from the root (`/`-separated), its size (0 when
    /// it is not known without reading: the cap is then applied by [`FileSource::read`]), and
    /// a stamp (not 0) that changes whenever its content does.
    fn files(&self, root: usize) -> Result<Vec<(String, u64, i128)>>;
    /// The content of the file `rel` below root `root`, at most `max` bytes (an error past that).
    fn read(&self, root: usize, rel: &str, max: u64) -> std::io::Result<Vec<u8>>;
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
            source: None,
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
    /// A page about the log itself, judged by what it says ([`about_the_log`]): an overview
    /// ("Here is where we keep our architecture decision records"), a process page, a list of
    /// the records; it states no status and no decision.
    AboutTheLog,
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
            SkipReason::AboutTheLog => "about_the_log",
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

/// Walk the roots and classify every file, reading none.
pub fn scan_tree(opts: &IngestOptions) -> Result<TreeScan> {
    Ok(walk_tree(opts)?.finish(opts))
}

/// The path a text from [`path_text`] names: the text itself when such a file exists, else the
/// text with its `%NN` escapes of bytes that are not UTF-8 (80 to FF) turned back into those
/// bytes (`0001-old%FF.md` names the file `0001-old\xff.md`).
pub fn path_of_text(text: &str) -> PathBuf {
    let as_is = PathBuf::from(text);
    if std::fs::symlink_metadata(&as_is).is_ok() || !text.contains('%') {
        return as_is;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let b = text.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && i + 2 < b.len() {
                if let Ok(v) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                    if v >= 0x80 {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                }
            }
            out.push(b[i]);
            i += 1;
        }
        PathBuf::from(std::ffi::OsStr::from_bytes(&out))
    }
    #[cfg(not(unix))]
    as_is
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

#[cfg(test)]
mod tests;

//! What a change to a git repository changed, read with gitoxide (`gix`) from the repository's
//! own objects and index, never by running `git` and never by writing into the repository.
//!
//! [`changes`] compares two sides, as [`Against`] names them:
//!
//! - `BASE` against the work tree: the tree of the merge base of `BASE` and `HEAD` (what a pull
//!   request shows, as `git diff BASE...` does; `BASE` itself when they share no history) with
//!   the files on disk: committed, staged and unstaged changes, and new files not ignored;
//! - `A..B` (tree of `A` against tree of `B`) and `A...B` (their merge base against `B`);
//! - the staged changes: `HEAD`'s tree against the index (the pre-commit case).
//!
//! Each changed file comes with both texts and the line ranges the change added (in the new
//! text) and removed (in the old one), so markers can be told apart as added, removed or only
//! present. Renames are followed, by git's similarity rules and by identical content.

use gix::bstr::ByteSlice;
pub use gix::ObjectId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The two sides to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Against {
    /// The merge base of this revision and `HEAD`, against the work tree.
    WorkTree(String),
    /// One revision's tree against another's.
    Range {
        /// The old side.
        from: String,
        /// The new side.
        to: String,
        /// `A...B`: the old side is the merge base of the two.
        merge_base: bool,
    },
    /// `HEAD`'s tree against the index: what the next commit would record.
    Staged,
}

impl Against {
    /// Read a `--diff` argument: `A..B`, `A...B`, or one revision (against the work tree).
    pub fn parse(spec: &str) -> Against {
        if let Some((a, b)) = spec.split_once("...") {
            return Against::Range { from: or_head(a), to: or_head(b), merge_base: true };
        }
        if let Some((a, b)) = spec.split_once("..") {
            return Against::Range { from: or_head(a), to: or_head(b), merge_base: false };
        }
        Against::WorkTree(spec.to_string())
    }

    /// In words, as reports name it (`origin/main...work tree`, `staged`).
    pub fn describe(&self) -> String {
        match self {
            Against::WorkTree(base) => format!("{base}...work tree"),
            Against::Range { from, to, merge_base } => {
                format!("{from}{}{to}", if *merge_base { "..." } else { ".." })
            }
            Against::Staged => "staged".to_string(),
        }
    }
}

/// `A..` means `A..HEAD`, as in git.
fn or_head(s: &str) -> String {
    if s.is_empty() {
        "HEAD".to_string()
    } else {
        s.to_string()
    }
}

/// How a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// New on the new side.
    Added,
    /// Its content changed.
    Modified,
    /// Gone from the new side.
    Deleted,
    /// Moved (its content may have changed too); `from` names where it was.
    Renamed,
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChangedFile {
    /// The path relative to the repository's top, with `/` separators (for a deleted file, where
    /// it was).
    pub path: String,
    /// How it changed.
    pub kind: ChangeKind,
    /// For a rename: the path it had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The lines of the new text the change added or rewrote, as 1-based inclusive ranges.
    pub added: Vec<(u32, u32)>,
    /// The lines of the old text the change removed or rewrote, as 1-based inclusive ranges.
    pub removed: Vec<(u32, u32)>,
    /// The old text (`None` for an added file).
    #[serde(skip)]
    pub old: Option<Vec<u8>>,
    /// The new text (`None` for a deleted file).
    #[serde(skip)]
    pub new: Option<Vec<u8>>,
}

impl ChangedFile {
    /// Whether a line of the new text is one the change added.
    pub fn added_line(&self, line: u32) -> bool {
        self.added.iter().any(|&(a, b)| (a..=b).contains(&line))
    }

    /// Whether a line of the old text is one the change removed.
    pub fn removed_line(&self, line: u32) -> bool {
        self.removed.iter().any(|&(a, b)| (a..=b).contains(&line))
    }
}

/// A commit, as answers name it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    /// As given (`origin/main`, `HEAD~3`).
    pub spec: String,
    /// The commit id, full hex.
    pub commit: String,
    /// Its committer date, `YYYY-MM-DD`.
    pub date: String,
    /// The first line of its message.
    pub subject: String,
}

/// What changed between the two sides.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Changes {
    /// The comparison, in words (`origin/main...work tree`).
    pub against: String,
    /// The old side's commit.
    pub base: Revision,
    /// The new side's commit (`None`: the work tree or the index).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<Revision>,
    /// The repository's top folder (its work tree).
    #[serde(skip)]
    pub top: PathBuf,
    /// The files that differ, in path order.
    pub files: Vec<ChangedFile>,
}

/// Why the change could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No git repository at or above the folder.
    #[error("{0}: not inside a git repository (a change is read from git)")]
    NoRepository(String),
    /// A bare repository: it has no work tree or index to compare.
    #[error("{0}: a bare repository has no work tree to compare with")]
    Bare(String),
    /// The revision names nothing.
    #[error("revision `{rev}` not found{hint}")]
    NoRevision {
        /// As given.
        rev: String,
        /// Why, starting with a newline, or empty.
        hint: String,
    },
    /// A root the revision does not have.
    #[error("{0}")]
    NoFolder(String),
    /// Anything else gix reported.
    #[error("git: {0}")]
    Other(String),
}

fn other(e: impl std::fmt::Display) -> GitError {
    GitError::Other(e.to_string())
}

/// Where one side's text of a file is.
#[derive(Debug, Clone)]
enum Side {
    /// A blob in the object database.
    Blob(ObjectId),
    /// A file of the work tree.
    Work(PathBuf),
    /// Not on this side.
    Missing,
}

/// A change before its texts are read.
struct Raw {
    path: String,
    from: Option<String>,
    old: Side,
    new: Side,
}

/// The files changed between the two sides, in the repository that holds `start`.
pub fn changes(start: &Path, against: &Against) -> Result<Changes, GitError> {
    let repo = gix::discover(start).map_err(|_| GitError::NoRepository(start.display().to_string()))?;
    let top = repo.workdir().ok_or_else(|| GitError::Bare(repo.git_dir().display().to_string()))?;
    let top = top.to_path_buf();
    let (base, head, raws) = match against {
        Against::WorkTree(spec) => {
            let base = merge_base_with_head(&repo, resolve(&repo, spec)?)?;
            let raws = work_tree_changes(&repo, &top, &base)?;
            (revision(spec, &base), None, raws)
        }
        Against::Staged => {
            let head = resolve(&repo, "HEAD").ok();
            let raws = staged_changes(&repo, head.as_ref())?;
            let base = match &head {
                Some(c) => revision("HEAD", c),
                None => Revision {
                    spec: "HEAD".into(),
                    commit: String::new(),
                    date: String::new(),
                    subject: "(no commit yet)".into(),
                },
            };
            (base, None, raws)
        }
        Against::Range { from, to, merge_base } => {
            let new = resolve(&repo, to)?;
            let mut old = resolve(&repo, from)?;
            if *merge_base {
                if let Ok(Some(m)) = repo.merge_base(old.id, new.id) {
                    old = m.object().map_err(other)?.peel_to_commit().map_err(other)?;
                }
            }
            let raws = tree_changes(&repo, &old, &new)?;
            (revision(from, &old), Some(revision(to, &new)), raws)
        }
    };
    let mut files = Vec::new();
    for raw in pair_identical(&repo, raws)? {
        if let Some(f) = read_change(&repo, raw)? {
            files.push(f);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Changes { against: against.describe(), base, head, top, files })
}

/// The commit a revision names, with a hint for a shallow clone.
fn resolve<'r>(repo: &'r gix::Repository, spec: &str) -> Result<gix::Commit<'r>, GitError> {
    let id = repo.rev_parse_single(spec).map_err(|e| GitError::NoRevision {
        rev: spec.to_string(),
        hint: if repo.is_shallow().unwrap_or(false) {
            "\n  hint: this is a shallow clone: fetch the history it needs (`git fetch --deepen=100`, \
             or `fetch-depth: 0` in actions/checkout)"
                .to_string()
        } else {
            format!("\n  ({e})")
        },
    })?;
    id.object()
        .map_err(other)?
        .peel_to_commit()
        .map_err(|e| GitError::NoRevision { rev: spec.to_string(), hint: format!("\n  ({e})") })
}

/// The merge base of a commit and `HEAD` (the commit itself when there is none).
fn merge_base_with_head<'r>(
    repo: &'r gix::Repository,
    commit: gix::Commit<'r>,
) -> Result<gix::Commit<'r>, GitError> {
    let Ok(head) = repo.head_id() else { return Ok(commit) };
    match repo.merge_base(commit.id, head.detach()) {
        Ok(Some(m)) => m.object().map_err(other)?.peel_to_commit().map_err(other),
        _ => Ok(commit),
    }
}

/// A commit as answers name it.
fn revision(spec: &str, c: &gix::Commit<'_>) -> Revision {
    let date = c
        .time()
        .ok()
        .and_then(|t| chrono::DateTime::from_timestamp(t.seconds, 0))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let subject = c.message().ok().map(|m| m.summary().to_str_lossy().into_owned()).unwrap_or_default();
    Revision { spec: spec.to_string(), commit: c.id.to_string(), date, subject }
}

/// The blob at a path of a tree, if it is a file there.
fn blob_at(tree: &gix::Tree<'_>, path: &str) -> Result<Side, GitError> {
    let entry = tree.lookup_entry_by_path(path).map_err(other)?;
    Ok(match entry {
        Some(e) if e.mode().is_blob() => Side::Blob(e.object_id()),
        _ => Side::Missing,
    })
}

/// The base tree against the files on disk.
fn work_tree_changes(
    repo: &gix::Repository,
    top: &Path,
    base: &gix::Commit<'_>,
) -> Result<Vec<Raw>, GitError> {
    let tree = base.tree().map_err(other)?;
    // Each changed path, with the path it was renamed from when git tracked the rename.
    let mut paths: BTreeMap<String, Option<String>> = BTreeMap::new();
    let status = repo
        .status(gix::progress::Discard)
        .map_err(other)?
        .head_tree(tree.id)
        .untracked_files(gix::status::UntrackedFiles::Files)
        .index_worktree_submodules(None)
        .into_iter(None)
        .map_err(other)?;
    for item in status {
        let item = item.map_err(other)?;
        let path = item.location().to_str_lossy().into_owned();
        let from = match &item {
            gix::status::Item::TreeIndex(gix::diff::index::Change::Rewrite {
                source_location,
                copy: false,
                ..
            }) => Some(source_location.to_str_lossy().into_owned()),
            gix::status::Item::IndexWorktree(gix::status::index_worktree::Item::Rewrite {
                source,
                copy: false,
                ..
            }) => Some(source.rela_path().to_str_lossy().into_owned()),
            _ => None,
        };
        let slot = paths.entry(path).or_insert(None);
        if from.is_some() {
            *slot = from;
        }
    }
    // A staged rename then edited again shows both as rename and modification: one entry.
    let sources: Vec<String> = paths.values().flatten().cloned().collect();
    let mut raws = Vec::new();
    for (path, from) in &paths {
        let new = match std::fs::symlink_metadata(top.join(path)) {
            Ok(m) if m.is_file() => Side::Work(top.join(path)),
            Ok(_) => continue, // a folder (a submodule) or a link: not a file of text
            Err(_) => Side::Missing,
        };
        if matches!(new, Side::Missing) && sources.contains(path) {
            continue; // the source of a rename is reported with its destination
        }
        let old = blob_at(&tree, from.as_deref().unwrap_or(path))?;
        raws.push(Raw { path: path.clone(), from: from.clone(), old, new });
    }
    Ok(raws)
}

/// `HEAD`'s tree (or the empty tree before the first commit) against the index.
fn staged_changes(repo: &gix::Repository, head: Option<&gix::Commit<'_>>) -> Result<Vec<Raw>, GitError> {
    let tree_id = match head {
        Some(c) => c.tree_id().map_err(other)?.detach(),
        None => repo.empty_tree().id,
    };
    let index = repo.index_or_empty().map_err(other)?;
    let mut raws = Vec::new();
    let blob = |mode: gix::index::entry::Mode, id: &gix::oid| {
        if mode.is_submodule() {
            Side::Missing
        } else {
            Side::Blob(id.to_owned())
        }
    };
    repo.tree_index_status(
        &tree_id,
        &index,
        None,
        gix::status::tree_index::TrackRenames::AsConfigured,
        |c, _, _| {
            use gix::diff::index::ChangeRef as C;
            let raw = match c {
                C::Addition { location, entry_mode, id, .. } => Raw {
                    path: location.to_str_lossy().into_owned(),
                    from: None,
                    old: Side::Missing,
                    new: blob(entry_mode, &id),
                },
                C::Deletion { location, entry_mode, id, .. } => Raw {
                    path: location.to_str_lossy().into_owned(),
                    from: None,
                    old: blob(entry_mode, &id),
                    new: Side::Missing,
                },
                C::Modification { location, previous_entry_mode, previous_id, entry_mode, id, .. } => Raw {
                    path: location.to_str_lossy().into_owned(),
                    from: None,
                    old: blob(previous_entry_mode, &previous_id),
                    new: blob(entry_mode, &id),
                },
                C::Rewrite {
                    source_location,
                    source_entry_mode,
                    source_id,
                    location,
                    entry_mode,
                    id,
                    copy,
                    ..
                } => Raw {
                    path: location.to_str_lossy().into_owned(),
                    from: (!copy).then(|| source_location.to_str_lossy().into_owned()),
                    old: if copy { Side::Missing } else { blob(source_entry_mode, &source_id) },
                    new: blob(entry_mode, &id),
                },
            };
            raws.push(raw);
            Ok(gix::diff::index::Action::Continue(()))
        },
    )
    .map_err(other)?;
    Ok(raws)
}

/// One commit's tree against another's, renames tracked as git's defaults do.
fn tree_changes(
    repo: &gix::Repository,
    old: &gix::Commit<'_>,
    new: &gix::Commit<'_>,
) -> Result<Vec<Raw>, GitError> {
    let (a, b) = (old.tree().map_err(other)?, new.tree().map_err(other)?);
    let opts = gix::diff::Options::default().with_rewrites(Some(Default::default()));
    let changes = repo.diff_tree_to_tree(&a, &b, opts).map_err(other)?;
    use gix::object::tree::diff::ChangeDetached as C;
    let blob = |mode: gix::object::tree::EntryMode, id: ObjectId| {
        if mode.is_blob() {
            Side::Blob(id)
        } else {
            Side::Missing
        }
    };
    let mut raws = Vec::new();
    for c in changes {
        let raw = match c {
            C::Addition { location, entry_mode, id, .. } => Raw {
                path: location.to_str_lossy().into_owned(),
                from: None,
                old: Side::Missing,
                new: blob(entry_mode, id),
            },
            C::Deletion { location, entry_mode, id, .. } => Raw {
                path: location.to_str_lossy().into_owned(),
                from: None,
                old: blob(entry_mode, id),
                new: Side::Missing,
            },
            C::Modification { location, previous_entry_mode, previous_id, entry_mode, id } => Raw {
                path: location.to_str_lossy().into_owned(),
                from: None,
                old: blob(previous_entry_mode, previous_id),
                new: blob(entry_mode, id),
            },
            C::Rewrite {
                source_location,
                source_entry_mode,
                source_id,
                location,
                entry_mode,
                id,
                copy,
                ..
            } => Raw {
                path: location.to_str_lossy().into_owned(),
                from: (!copy).then(|| source_location.to_str_lossy().into_owned()),
                old: if copy { Side::Missing } else { blob(source_entry_mode, source_id) },
                new: blob(entry_mode, id),
            },
        };
        raws.push(raw);
    }
    Ok(raws)
}

/// A deleted file and an added one with the same text are a rename (git calls an unstaged move
/// a deletion and an untracked file).
fn pair_identical(repo: &gix::Repository, raws: Vec<Raw>) -> Result<Vec<Raw>, GitError> {
    let deleted: Vec<usize> = (0..raws.len())
        .filter(|&i| matches!(raws[i].new, Side::Missing) && !matches!(raws[i].old, Side::Missing))
        .collect();
    if deleted.is_empty() {
        return Ok(raws);
    }
    let mut old_texts: Vec<(usize, Vec<u8>)> = Vec::new();
    for &i in &deleted {
        old_texts.push((i, read_side(repo, &raws[i].old)?.unwrap_or_default()));
    }
    let mut gone = vec![false; raws.len()];
    let mut raws = raws;
    for i in 0..raws.len() {
        if !matches!(raws[i].old, Side::Missing)
            || raws[i].from.is_some()
            || matches!(raws[i].new, Side::Missing)
        {
            continue;
        }
        let Some(new) = read_side(repo, &raws[i].new)? else { continue };
        if let Some(pos) = old_texts.iter().position(|(j, t)| !gone[*j] && *t == new) {
            let j = old_texts[pos].0;
            gone[j] = true;
            raws[i].from = Some(raws[j].path.clone());
            raws[i].old = raws[j].old.clone();
        }
    }
    Ok(raws.into_iter().zip(gone).filter(|(_, g)| !g).map(|(r, _)| r).collect())
}

/// One side's text.
fn read_side(repo: &gix::Repository, side: &Side) -> Result<Option<Vec<u8>>, GitError> {
    Ok(match side {
        Side::Blob(id) => Some(repo.find_object(*id).map_err(other)?.detach().data),
        Side::Work(p) => std::fs::read(p).ok(),
        Side::Missing => None,
    })
}

/// Both texts read and their changed lines found; `None` when nothing differs after all.
fn read_change(repo: &gix::Repository, raw: Raw) -> Result<Option<ChangedFile>, GitError> {
    let old = read_side(repo, &raw.old)?;
    let new = read_side(repo, &raw.new)?;
    let (kind, added, removed) = match (&old, &new) {
        (None, None) => return Ok(None),
        (None, Some(n)) => (ChangeKind::Added, whole(n), Vec::new()),
        (Some(o), None) => (ChangeKind::Deleted, Vec::new(), whole(o)),
        (Some(o), Some(n)) if o == n && raw.from.is_none() => return Ok(None), // changed and changed back
        (Some(o), Some(n)) => {
            let (added, removed) = changed_lines(o, n);
            let kind = if raw.from.is_some() { ChangeKind::Renamed } else { ChangeKind::Modified };
            (kind, added, removed)
        }
    };
    Ok(Some(ChangedFile { path: raw.path, kind, from: raw.from, added, removed, old, new }))
}

/// A range of lines, 1-based and inclusive.
pub type Lines = (u32, u32);

/// All the lines of a text, as one range (none for an empty text).
fn whole(text: &[u8]) -> Vec<(u32, u32)> {
    match text.lines().count() as u32 {
        0 => Vec::new(),
        n => vec![(1, n)],
    }
}

/// The ranges of lines of `new` that are not in `old`, and of `old` that are not in `new` (a
/// histogram line diff, as git's).
pub fn changed_lines(old: &[u8], new: &[u8]) -> (Vec<Lines>, Vec<Lines>) {
    use gix::diff::blob::{Algorithm, Diff, InternedInput};
    let input = InternedInput::new(old, new);
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for h in diff.hunks() {
        if !h.after.is_empty() {
            push_range(&mut added, h.after.start + 1, h.after.end);
        }
        if !h.before.is_empty() {
            push_range(&mut removed, h.before.start + 1, h.before.end);
        }
    }
    (added, removed)
}

fn push_range(out: &mut Vec<(u32, u32)>, from: u32, to: u32) {
    match out.last_mut() {
        Some(last) if from <= last.1 + 1 => last.1 = last.1.max(to),
        _ => out.push((from, to)),
    }
}

#[cfg(test)]
mod tests {
    use super::{changed_lines, Against};

    #[test]
    fn lines_changed_are_ranges_of_each_side() {
        assert_eq!(changed_lines(b"a\nb\nc\n", b"a\nB\nc\n"), (vec![(2, 2)], vec![(2, 2)]));
        assert_eq!(changed_lines(b"a\nb\nc\n", b"a\nb\nc\nd\ne\n"), (vec![(4, 5)], vec![]));
        assert_eq!(changed_lines(b"a\nb\nc\n", b"a\nc\n"), (vec![], vec![(2, 2)]));
        assert_eq!(changed_lines(b"a\nb\nc\n", b"a\nb\nc\n"), (vec![], vec![]));
        assert_eq!(changed_lines(b"", b"x\ny\n"), (vec![(1, 2)], vec![]));
    }

    #[test]
    fn diff_arguments_name_their_sides() {
        assert_eq!(Against::parse("origin/main"), Against::WorkTree("origin/main".into()));
        assert_eq!(
            Against::parse("v1..v2"),
            Against::Range { from: "v1".into(), to: "v2".into(), merge_base: false }
        );
        assert_eq!(
            Against::parse("main..."),
            Against::Range { from: "main".into(), to: "HEAD".into(), merge_base: true }
        );
    }
}

/// A revision's ADR roots, read from git objects (never checked out): the
/// [`crate::ingest::FileSource`] of `adrgraph --at`.
#[derive(Debug)]
pub struct RevisionSource {
    repo: gix::ThreadSafeRepository,
    /// The tree of each root at the revision.
    trees: Vec<ObjectId>,
    /// Each file's blob, by root and path below it, as [`crate::ingest::FileSource::files`]
    /// listed them.
    blobs: std::sync::Mutex<std::collections::HashMap<(usize, String), ObjectId>>,
    /// The commit answered for.
    pub revision: Revision,
}

/// A commit's whole tree, read from git objects: where `--at` finds the configuration and the
/// roots as they were.
#[derive(Debug)]
pub struct RevisionTree {
    repo: gix::ThreadSafeRepository,
    /// The commit's tree.
    tree: ObjectId,
    /// The work tree's top folder, with links resolved (`None` in a bare repository).
    top: Option<PathBuf>,
    /// The commit.
    pub revision: Revision,
}

impl RevisionTree {
    /// The revision `spec` of the repository holding `cwd`: a commit id (full or short), a
    /// tag, a branch, `HEAD~3`, a date `YYYY-MM-DD` (the last commit on or before the end of
    /// that day, UTC, first parent from `HEAD`), or `REV@{YYYY-MM-DD}` (the same from `REV`).
    pub fn open(cwd: &Path, spec: &str) -> Result<RevisionTree, GitError> {
        let repo = gix::discover(cwd).map_err(|_| GitError::NoRepository(cwd.display().to_string()))?;
        let commit = resolve_dated(&repo, spec)?;
        let revision = revision(spec, &commit);
        let tree = commit.tree_id().map_err(other)?.detach();
        let top = repo.workdir().map(|t| std::fs::canonicalize(t).unwrap_or_else(|_| t.to_path_buf()));
        drop(commit);
        Ok(RevisionTree { repo: repo.into_sync(), tree, top, revision })
    }

    /// A path of the work tree (absolute, or from `cwd`) as a path of the repository
    /// (`/`-separated, `""` for the top); in a bare repository, the path as given.
    fn repo_path(&self, cwd: &Path, p: &Path) -> Result<String, GitError> {
        match &self.top {
            Some(top) => {
                let abs = normalise(&cwd.join(p));
                let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
                abs.strip_prefix(top).map(|r| r.to_string_lossy().replace('\\', "/")).map_err(|_| {
                    GitError::Other(format!("{}: outside the repository at {}", p.display(), top.display()))
                })
            }
            None => Ok(p
                .to_string_lossy()
                .replace('\\', "/")
                .trim_start_matches("./")
                .trim_start_matches('.')
                .to_string()),
        }
    }

    /// The entry at a path of the repository in this commit's tree.
    fn entry(&self, rel: &str) -> Option<(ObjectId, bool)> {
        let repo = self.repo.to_thread_local();
        let tree = repo.find_tree(self.tree).ok()?;
        if rel.is_empty() {
            return Some((self.tree, true));
        }
        let e = tree.lookup_entry_by_path(rel).ok()??;
        Some((e.object_id(), e.mode().is_tree()))
    }

    /// The files at or below `p` (a path of the work tree, absolute or from `cwd`) in this
    /// commit, as `(path from the repository's top, blob)`, in path order; at most `cap` + 1
    /// (one past the cap is enough to refuse). `None` when the commit has nothing there.
    pub fn files_under(
        &self,
        cwd: &Path,
        p: &Path,
        cap: usize,
    ) -> Result<Option<Vec<(String, ObjectId)>>, GitError> {
        let rel = self.repo_path(cwd, p)?;
        let rel = rel.trim_end_matches('/');
        let Some((id, is_tree)) = self.entry(rel) else { return Ok(None) };
        if !is_tree {
            return Ok(Some(vec![(rel.to_string(), id)]));
        }
        let repo = self.repo.to_thread_local();
        let tree = repo.find_tree(id).map_err(other)?;
        let mut recorder = gix::traverse::tree::Recorder::default();
        tree.traverse().breadthfirst(&mut recorder).map_err(other)?;
        let mut out: Vec<(String, ObjectId)> = recorder
            .records
            .into_iter()
            .filter(|e| e.mode.is_blob())
            .map(|e| {
                let below = e.filepath.to_str_lossy().into_owned();
                (if rel.is_empty() { below } else { format!("{rel}/{below}") }, e.oid)
            })
            .take(cap + 1)
            .collect();
        out.sort();
        Ok(Some(out))
    }

    /// A blob's content, at most `max` bytes (`None` past that or when it cannot be read).
    pub fn blob(&self, id: ObjectId, max: u64) -> Option<Vec<u8>> {
        let repo = self.repo.to_thread_local();
        if repo.find_header(id).ok()?.size() > max {
            return None;
        }
        let data = repo.find_object(id).ok()?.detach().data;
        Some(data)
    }

    /// The work tree's top folder (links resolved), `None` in a bare repository.
    pub fn top(&self) -> Option<&Path> {
        self.top.as_deref()
    }

    /// The `adrgraph.toml` this commit has nearest `cwd` (in it or a parent folder up to the
    /// repository's top): the folder it is in, as a work-tree path, and its text.
    pub fn config_near(&self, cwd: &Path) -> Option<(PathBuf, String)> {
        let top = self.top.as_ref()?;
        let cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
        for dir in cwd.ancestors().take_while(|d| d.starts_with(top)) {
            let rel = dir.strip_prefix(top).ok()?.to_string_lossy().replace('\\', "/");
            let file =
                if rel.is_empty() { "adrgraph.toml".to_string() } else { format!("{rel}/adrgraph.toml") };
            if let Some((id, false)) = self.entry(&file) {
                let repo = self.repo.to_thread_local();
                let data = repo.find_object(id).ok()?.detach().data;
                return Some((dir.to_path_buf(), String::from_utf8_lossy(&data).into_owned()));
            }
        }
        None
    }

    /// The roots (paths as given, from `cwd`) as this commit has them: the revision's source
    /// for ingest. A root the commit lacks is an error naming the commit.
    pub fn roots(&self, cwd: &Path, roots: &[PathBuf]) -> Result<RevisionSource, GitError> {
        let mut trees = Vec::new();
        for root in roots {
            let rel = self.repo_path(cwd, root)?;
            let Some((id, true)) = self.entry(rel.trim_end_matches('/')) else {
                let r = &self.revision;
                return Err(GitError::NoFolder(format!(
                    "{}: no such folder at {} ({} {}, \"{}\")",
                    root.display(),
                    r.spec,
                    &r.commit[..10.min(r.commit.len())],
                    r.date,
                    r.subject
                )));
            };
            trees.push(id);
        }
        Ok(RevisionSource {
            repo: self.repo.clone(),
            trees,
            blobs: Default::default(),
            revision: self.revision.clone(),
        })
    }
}

impl RevisionSource {
    /// What identifies the roots' content at this revision: their trees' ids, hashed. Two
    /// revisions with the same ADR trees have the same key (and can share one store).
    pub fn key(&self) -> String {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for t in &self.trees {
            h.update(t.as_bytes());
        }
        format!("{:016x}", h.digest())
    }

    /// The roots (paths as given, from the current folder `cwd`) at revision `spec` (see
    /// [`RevisionTree::open`]). In a bare repository, roots are paths inside it.
    pub fn open(cwd: &Path, spec: &str, roots: &[PathBuf]) -> Result<RevisionSource, GitError> {
        RevisionTree::open(cwd, spec)?.roots(cwd, roots)
    }
}

impl crate::ingest::FileSource for RevisionSource {
    fn files(&self, root: usize) -> crate::Result<Vec<(String, u64, i128)>> {
        let err = |e: &dyn std::fmt::Display| crate::Error::Io {
            path: PathBuf::from(format!("{}:{root}", self.revision.commit)),
            source: std::io::Error::other(e.to_string()),
        };
        let repo = self.repo.to_thread_local();
        let Some(&id) = self.trees.get(root) else { return Ok(Vec::new()) };
        let tree = repo.find_tree(id).map_err(|e| err(&e))?;
        let mut recorder = gix::traverse::tree::Recorder::default();
        tree.traverse().breadthfirst(&mut recorder).map_err(|e| err(&e))?;
        let mut out = Vec::new();
        let mut blobs = self.blobs.lock().unwrap_or_else(|p| p.into_inner());
        for e in recorder.records.into_iter().filter(|e| e.mode.is_blob()) {
            let rel = e.filepath.to_str_lossy().into_owned();
            // The size is not looked up: reading every blob's header took most of a warm
            // `--at` (loose objects are inflated for it); the cap is applied when read.
            // The blob id is the content's stamp (never 0: one bit set).
            let mut stamp = [0u8; 16];
            stamp.copy_from_slice(&e.oid.as_bytes()[..16]);
            let stamp = i128::from_le_bytes(stamp) | 1;
            blobs.insert((root, rel.clone()), e.oid);
            out.push((rel, 0, stamp));
        }
        out.sort();
        Ok(out)
    }

    fn read(&self, root: usize, rel: &str, max: u64) -> std::io::Result<Vec<u8>> {
        let id = self
            .blobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&(root, rel.to_string()))
            .copied()
            .ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, format!("{rel}: not in the revision"))
            })?;
        let repo = self.repo.to_thread_local();
        let size = repo.find_header(id).map_err(std::io::Error::other)?.size();
        if size > max {
            return Err(std::io::Error::other(format!("{size} bytes, over the {max} byte limit")));
        }
        let data = repo.find_object(id).map_err(std::io::Error::other)?.detach().data;
        Ok(data)
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// A revision, also as a date: `YYYY-MM-DD` (first parent from `HEAD`) or `REV@{YYYY-MM-DD}`.
fn resolve_dated<'r>(repo: &'r gix::Repository, spec: &str) -> Result<gix::Commit<'r>, GitError> {
    let (from, day) = match spec.strip_suffix('}').and_then(|s| s.rsplit_once("@{")) {
        Some((from, day)) if day_of(day).is_some() => (from, day),
        _ if day_of(spec).is_some() => ("HEAD", spec),
        _ => return resolve(repo, spec),
    };
    let end = day_of(day).expect("checked").and_hms_opt(23, 59, 59).expect("a time").and_utc().timestamp();
    let mut commit = resolve(repo, from)?;
    let first = loop {
        let when = commit.time().map_err(other)?.seconds;
        if when <= end {
            return Ok(commit);
        }
        let parent = commit.parent_ids().next().map(|p| p.detach());
        match parent {
            Some(p) => match repo.find_commit(p) {
                Ok(c) => commit = c,
                Err(_) => {
                    return Err(GitError::NoRevision {
                        rev: spec.to_string(),
                        hint: "\n  hint: this is a shallow clone and the history stops before that day: \
                               fetch more (`git fetch --deepen=1000` or `--unshallow`)"
                            .to_string(),
                    })
                }
            },
            None => break commit,
        }
    };
    Err(GitError::NoRevision {
        rev: spec.to_string(),
        hint: format!(
            "\n  no commit on or before {day} on the first-parent history of {from}: the first is {} ({})",
            &first.id.to_string()[..10],
            revision(from, &first).date
        ),
    })
}

fn day_of(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.as_bytes();
    (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// A commit that changed a file, as [`file_history`] finds it.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// The commit.
    pub revision: Revision,
    /// Its author's name.
    pub author: String,
    /// The file's path in that commit, from the repository's top.
    pub path: String,
    /// The path it had before, when the commit renamed it.
    pub from: Option<String>,
    /// Its text before the commit (`None`: the commit created it).
    pub old: Option<Vec<u8>>,
    /// Its text after the commit.
    pub new: Vec<u8>,
}

/// The commits on the first-parent history of `HEAD` that changed the file at `path` (a path
/// of the work tree, absolute or from `cwd`), newest first, following renames (git's
/// similarity rules) back to the commit that created it; at most `limit` commits are looked at.
pub fn file_history(cwd: &Path, path: &Path, limit: usize) -> Result<Vec<FileChange>, GitError> {
    let repo = gix::discover(cwd).map_err(|_| GitError::NoRepository(cwd.display().to_string()))?;
    let top = repo
        .workdir()
        .map(|t| std::fs::canonicalize(t).unwrap_or_else(|_| t.to_path_buf()))
        .ok_or_else(|| GitError::Bare(repo.git_dir().display().to_string()))?;
    let abs = normalise(&cwd.join(path));
    let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
    let mut rel = abs.strip_prefix(&top).map(|r| r.to_string_lossy().replace('\\', "/")).map_err(|_| {
        GitError::Other(format!("{}: outside the repository at {}", path.display(), top.display()))
    })?;
    let mut commit = resolve(&repo, "HEAD")?;
    let blob = |c: &gix::Commit<'_>, p: &str| -> Result<Option<ObjectId>, GitError> {
        let tree = c.tree().map_err(other)?;
        Ok(match blob_at(&tree, p)? {
            Side::Blob(id) => Some(id),
            _ => None,
        })
    };
    let read = |id: ObjectId| -> Result<Vec<u8>, GitError> {
        Ok(repo.find_object(id).map_err(other)?.detach().data)
    };
    let mut out = Vec::new();
    for _ in 0..limit {
        let Some(now) = blob(&commit, &rel)? else { break };
        let parent =
            match commit.parent_ids().next() {
                Some(p) => Some(repo.find_commit(p.detach()).map_err(|_| {
                    GitError::NoRevision {
                    rev: p.to_string(),
                    hint: "\n  hint: this is a shallow clone: fetch more history (`git fetch --deepen=1000`)"
                        .into(),
                }
                })?),
                None => None,
            };
        let before = match &parent {
            Some(p) => blob(p, &rel)?,
            None => None,
        };
        if before == Some(now) {
            commit = parent.expect("a parent had the file");
            continue;
        }
        let author = commit.author().map(|a| a.name.to_str_lossy().trim().to_string()).unwrap_or_default();
        let mut change = FileChange {
            revision: revision(&commit.id.to_string()[..10], &commit),
            author,
            path: rel.clone(),
            from: None,
            old: before.map(read).transpose()?,
            new: read(now)?,
        };
        let mut older = None;
        if let (None, Some(p)) = (before, &parent) {
            // Created here, or moved here: git's rename tracking says which.
            let (a, b) = (p.tree().map_err(other)?, commit.tree().map_err(other)?);
            let opts = gix::diff::Options::default().with_rewrites(Some(Default::default()));
            for c in repo.diff_tree_to_tree(&a, &b, opts).map_err(other)? {
                if let gix::object::tree::diff::ChangeDetached::Rewrite {
                    source_location,
                    location,
                    source_id,
                    copy: false,
                    ..
                } = c
                {
                    if location.to_str_lossy() == rel {
                        let from = source_location.to_str_lossy().into_owned();
                        change.old = Some(read(source_id)?);
                        change.from = Some(from.clone());
                        older = Some(from);
                    }
                }
            }
        }
        out.push(change);
        match (older, parent) {
            (Some(from), Some(p)) => {
                rel = from;
                commit = p;
            }
            (None, Some(p)) if before.is_some() => commit = p,
            _ => break,
        }
    }
    Ok(out)
}

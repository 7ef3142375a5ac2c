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
//! Reading the past: [`RevisionTree`] and [`RevisionSource`] (a revision's trees, for
//! `--at`; `revision.rs`), and [`file_history`] (the commits that changed a file; `history.rs`).
//!
//! Each changed file comes with both texts and the line ranges the change added (in the new
//! text) and removed (in the old one), so markers can be told apart as added, removed or only
//! present. Renames are followed, by git's similarity rules and by identical content.

use gix::bstr::ByteSlice;
pub use gix::ObjectId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod history;
mod revision;
pub use history::{file_history, history_changes, CommitChanges, FileChange};
pub use revision::{RevisionSource, RevisionTree};

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

pub(crate) fn other(e: impl std::fmt::Display) -> GitError {
    GitError::Other(e.to_string())
}

/// Where one side's text of a file is.
#[derive(Debug, Clone)]
pub(crate) enum Side {
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
pub(crate) fn resolve<'r>(repo: &'r gix::Repository, spec: &str) -> Result<gix::Commit<'r>, GitError> {
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
pub(crate) fn revision(spec: &str, c: &gix::Commit<'_>) -> Revision {
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
pub(crate) fn blob_at(tree: &gix::Tree<'_>, path: &str) -> Result<Side, GitError> {
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
    let mut note = |path: &gix::bstr::BStr, from: Option<&gix::bstr::BStr>| {
        let slot = paths.entry(path.to_str_lossy().into_owned()).or_insert(None);
        if let Some(from) = from {
            *slot = Some(from.to_str_lossy().into_owned());
        }
    };
    let status = repo
        .status(gix::progress::Discard)
        .map_err(other)?
        .untracked_files(gix::status::UntrackedFiles::Files)
        .index_worktree_submodules(None);
    if index_holds_tree(repo, tree.id) {
        // Nothing staged against the base: the work tree against the index is the change
        // (the base's tree against the index was 11 ms of CPU of a `check` in a repository of
        // 30,000 files, every tree read to be found equal).
        for item in status.into_index_worktree_iter(Vec::new()).map_err(other)? {
            let item = item.map_err(other)?;
            note(item.rela_path(), worktree_rename(&item));
        }
    } else {
        for item in status.head_tree(tree.id).into_iter(None).map_err(other)? {
            let item = item.map_err(other)?;
            let from = match &item {
                gix::status::Item::TreeIndex(gix::diff::index::Change::Rewrite {
                    source_location,
                    copy: false,
                    ..
                }) => Some(source_location.as_ref()),
                gix::status::Item::IndexWorktree(i) => worktree_rename(i),
                _ => None,
            };
            note(item.location(), from);
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

/// The path a file of the work tree was renamed from, when git tracked the rename.
fn worktree_rename(item: &gix::status::index_worktree::Item) -> Option<&gix::bstr::BStr> {
    match item {
        gix::status::index_worktree::Item::Rewrite { source, copy: false, .. } => Some(source.rela_path()),
        _ => None,
    }
}

/// Whether the index is `tree` exactly, as its cached tree (the TREE extension) says: git keeps
/// that tree up to date with every change to the index, invalidating what a change touches,
/// and trusts a valid one to skip comparing trees (`git status`, `git commit`); so does this.
fn index_holds_tree(repo: &gix::Repository, tree: gix::ObjectId) -> bool {
    repo.index_or_empty()
        .ok()
        .and_then(|index| index.tree().filter(|t| t.num_entries.is_some()).map(|t| t.id == tree))
        .unwrap_or(false)
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

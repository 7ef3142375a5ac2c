//! The commits that changed a file ([`file_history`]), renames followed: `adrgraph history`;
//! and every commit's changes to the files asked for ([`history_changes`]): `lint --history`.

use super::{
    blob_at, other, read_side, resolve, revision, revision::normalise, tree_changes, ChangeKind, ChangedFile,
    GitError, Revision, Side,
};
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::path::Path;

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

/// The commits on the first-parent history of revision `from` (`HEAD`, a commit id, a tag)
/// that changed the file at `path` (a path of the work tree, absolute or from `cwd`), newest first, following renames (git's
/// similarity rules) back to the commit that created it; at most `limit` commits are looked at.
pub fn file_history(cwd: &Path, path: &Path, from: &str, limit: usize) -> Result<Vec<FileChange>, GitError> {
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
    let mut commit = resolve(&repo, from)?;
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

/// A commit of the first-parent history with the files it changed (of those asked for).
#[derive(Debug, Clone)]
pub struct CommitChanges {
    /// The commit.
    pub revision: Revision,
    /// Its author's name.
    pub author: String,
    /// The files it changed against its first parent (renames paired, git's rules).
    pub files: Vec<ChangedFile>,
}

/// The commits on the first-parent history of `HEAD` of the repository holding `cwd`, newest
/// first (at most `limit`; the root commit, which changes nothing that was there, is left
/// out), each with the files it changed that `wanted(top, path)` keeps (by path from the
/// repository's top, either side of a rename), with both texts but not the changed lines
/// (`added` and `removed` are empty); commits changing none of them are left out. Each is
/// handed to `visit` with the repository's top as it is read, so that memory holds one
/// commit's texts, not the whole history's.
pub fn history_changes(
    cwd: &Path,
    limit: usize,
    wanted: &dyn Fn(&Path, &str) -> bool,
    visit: &mut dyn FnMut(&Path, CommitChanges),
) -> Result<(), GitError> {
    let mut repo = gix::discover(cwd).map_err(|_| GitError::NoRepository(cwd.display().to_string()))?;
    // Each commit's trees are its child's parent trees: kept decoded, not inflated twice.
    repo.object_cache_size_if_unset(64 * 1024 * 1024);
    let top = repo
        .workdir()
        .map(|t| std::fs::canonicalize(t).unwrap_or_else(|_| t.to_path_buf()))
        .ok_or_else(|| GitError::Bare(repo.git_dir().display().to_string()))?;
    let mut commit = resolve(&repo, "HEAD")?;
    for _ in 0..limit {
        let Some(parent_id) = commit.parent_ids().next() else { break };
        let parent = repo.find_commit(parent_id.detach()).map_err(|_| GitError::NoRevision {
            rev: parent_id.to_string(),
            hint: "\n  hint: this is a shallow clone: fetch more history (`git fetch --deepen=1000`)".into(),
        })?;
        let mut files = Vec::new();
        for raw in tree_changes(&repo, &parent, &commit)? {
            if !(wanted(&top, &raw.path) || raw.from.as_deref().is_some_and(|f| wanted(&top, f))) {
                continue;
            }
            // Both texts, without the changed lines (a line diff per file is most of the cost
            // over thousands of commits, and no caller of the history needs it).
            let (old, new) = (read_side(&repo, &raw.old)?, read_side(&repo, &raw.new)?);
            let kind = match (&old, &new, &raw.from) {
                (None, None, _) => continue,
                (None, Some(_), _) => ChangeKind::Added,
                (Some(_), None, _) => ChangeKind::Deleted,
                (Some(_), Some(_), Some(_)) => ChangeKind::Renamed,
                (Some(_), Some(_), None) => ChangeKind::Modified,
            };
            let (added, removed) = (Vec::new(), Vec::new());
            files.push(ChangedFile { path: raw.path, kind, from: raw.from, added, removed, old, new });
        }
        if !files.is_empty() {
            let author =
                commit.author().map(|a| a.name.to_str_lossy().trim().to_string()).unwrap_or_default();
            visit(
                &top,
                CommitChanges { revision: revision(&commit.id.to_string()[..10], &commit), author, files },
            );
        }
        commit = parent;
    }
    Ok(())
}

//! A revision's trees read from git objects, never checked out: [`RevisionTree`] (the commit,
//! its `adrgraph.toml`, any file of it) and [`RevisionSource`] (its ADR roots, as the
//! [`crate::ingest::FileSource`] of `adrgraph --at`).

use super::{other, resolve, revision, GitError, Revision};
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::path::{Path, PathBuf};

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
pub(crate) fn normalise(p: &Path) -> PathBuf {
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
pub(crate) fn resolve_dated<'r>(repo: &'r gix::Repository, spec: &str) -> Result<gix::Commit<'r>, GitError> {
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

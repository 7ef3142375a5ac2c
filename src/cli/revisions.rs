//! The stores of `--at`: one per revision's ADR trees (keyed by the roots and their git tree
//! ids, so revisions with the same trees share one, and asking again is warm), made from the
//! most recently used store of the same roots (a refresh then parses only the blobs whose ids
//! changed), and evicted least recently used first beyond a size budget (`[store]
//! revisions_mb` in adrgraph.toml, 300 MB by default).

use std::path::{Path, PathBuf};

/// The budget of the revision stores when adrgraph.toml sets none, in MB.
pub const DEFAULT_BUDGET_MB: u64 = 300;

/// The file whose modification time says when a store was last used.
const USED: &str = "used";

/// The file that says which trees and settings a revision's store holds: written once a
/// refresh made it hold them. A store is made from another revision's, so until then its
/// folder's name says which trees it is for, not what it holds.
const VERIFIED: &str = "verified";

/// Whether the revision store `dir` holds what `stamp` says (see [`mark_verified`]): then its
/// records never change, and opening it needs no walk of the revision's trees.
pub fn verified(dir: &Path, stamp: &str) -> bool {
    std::fs::read(dir.join(VERIFIED)).is_ok_and(|s| s == stamp.as_bytes())
}

/// Say that the revision store `dir` now holds what `stamp` names (the trees' key, the ingest
/// settings, adrgraph's version), after a refresh that wrote it.
pub fn mark_verified(dir: &Path, stamp: &str) {
    let tmp = dir.join(format!(".{VERIFIED}.{}", std::process::id()));
    if std::fs::write(&tmp, stamp).is_ok() && std::fs::rename(&tmp, dir.join(VERIFIED)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The store for the roots `roots` (as given) at the revision whose trees hash to `trees`,
/// below `base`; made now from the most recently used store of the same roots when it does not
/// exist yet. `None` when no folder can be made (the revision is then read without a store).
pub fn store_for(base: &Path, roots: &[PathBuf], trees: &str) -> Option<PathBuf> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for r in roots {
        h.update(std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()).to_string_lossy().as_bytes());
        h.update(b"\n");
    }
    let same_roots = format!("{:016x}-", h.digest());
    let dir = base.join(format!("{same_roots}{trees}"));
    std::fs::create_dir_all(base).ok()?;
    if !dir.exists() {
        if let Some(nearest) = most_recent(base, &same_roots) {
            let tmp = base.join(format!(".{same_roots}{trees}.{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&tmp);
            // A copy that fails leaves an empty store: the revision is parsed whole.
            if copy_dir(&nearest, &tmp).is_ok() {
                // What the copy holds is the nearest revision's, until refreshed.
                let _ = std::fs::remove_file(tmp.join(VERIFIED));
                if std::fs::rename(&tmp, &dir).is_ok() {
                    let _ = std::fs::remove_file(dir.join(USED));
                }
            }
            let _ = std::fs::remove_dir_all(&tmp);
        }
    }
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::write(dir.join(USED), b"").ok()?;
    Some(dir)
}

/// The store below `base` whose name starts with `prefix` that was used last.
fn most_recent(base: &Path, prefix: &str) -> Option<PathBuf> {
    stores(base)
        .into_iter()
        .filter(|(p, _, _)| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))
        .max_by_key(|(_, used, _)| *used)
        .map(|(p, _, _)| p)
}

/// Every store below `base`: its folder, when it was last used, its size in bytes.
fn stores(base: &Path) -> Vec<(PathBuf, std::time::SystemTime, u64)> {
    let Ok(entries) = std::fs::read_dir(base) else { return Vec::new() };
    entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| {
            let p = e.path();
            let used = std::fs::metadata(p.join(USED))
                .and_then(|m| m.modified())
                .unwrap_or(std::time::SystemTime::UNIX_EPOCH);
            let size = size_of(&p);
            (p, used, size)
        })
        .collect()
}

fn size_of(p: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(p) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => size_of(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map(|m| m.len()).unwrap_or(0),
            _ => 0,
        })
        .sum()
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let t = e.file_type()?;
        let target = to.join(e.file_name());
        // Lock files are the other process's, not the store's.
        if e.file_name().to_string_lossy().ends_with(".lock") {
            continue;
        }
        if t.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else if t.is_file() {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// Remove the least recently used stores below `base` until they take at most `budget`
/// bytes, never `keep` (the one in use). Returns how many were removed.
pub fn evict(base: &Path, keep: &Path, budget: u64) -> usize {
    let mut all = stores(base);
    all.sort_by_key(|(_, used, _)| *used);
    let mut total: u64 = all.iter().map(|(_, _, s)| s).sum();
    let mut removed = 0;
    for (p, _, size) in all {
        if total <= budget {
            break;
        }
        if p == keep {
            continue;
        }
        if std::fs::remove_dir_all(&p).is_ok() {
            total = total.saturating_sub(size);
            removed += 1;
        }
    }
    removed
}

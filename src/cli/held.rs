//! What a server that runs commands one after another in its own process (`adrgraph mcp`) keeps
//! between them, so that a question on an unchanged tree neither walks the tree again nor reads
//! the store again:
//!
//! - whether anything under the roots changed since the last refresh ([`opening`]): the
//!   kernel's own list of changes (inotify), read when a call starts, so a change made before a
//!   call was sent is always seen by that call. Where there is no such list (not Linux, a watch
//!   the kernel refuses, more folders than [`MAX_WATCHED`]), every call refreshes, as a command
//!   line run does;
//! - the views of the store and what commands compute from them ([`kept`]), for as long as the
//!   store holds the same records (its generation), read with the same settings.
//!
//! A command line run keeps nothing: [`serve`] is never called, and [`kept`] computes each time.

use anyhow::Result;
use std::any::Any;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// The most folders watched: a root holding more (a whole repository with its dependencies) is
/// refreshed before every call instead.
pub const MAX_WATCHED: usize = 10_000;

/// Which records a kept value was computed from: the store folder, the store's generation and
/// the settings the tree was read with. Empty: nothing is kept (not serving, no store folder,
/// a past revision).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Key(Option<Records>);

impl Key {
    /// Whether values are kept for this key (see [`kept`]).
    pub fn holds(&self) -> bool {
        self.0.is_some()
    }
}

/// The store folder, its generation and the settings' hash (see [`Key`]).
type Records = (PathBuf, u64, u64);

/// A value kept, of any type.
type Value = Arc<dyn Any + Send + Sync>;

/// The values kept for some records, by name and salt.
type Values = HashMap<(&'static str, u64), Value>;

/// Whether this process serves ([`serve`] was called).
static SERVING: AtomicBool = AtomicBool::new(false);

/// The values kept, for the records of one key.
static KEPT: Mutex<Option<(Records, Values)>> = Mutex::new(None);

/// What tells whether the tree changed, and the settings of the last refresh.
static FRESH: Mutex<Option<Fresh>> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Keep values between commands from now on, and watch `roots` for changes. Gives a note when
/// the roots cannot be watched (every call then refreshes).
pub fn serve(roots: &[PathBuf], follow_links: bool) -> Option<String> {
    SERVING.store(true, Ordering::SeqCst);
    let (watch, note) = match Watch::new(roots, follow_links) {
        Ok(w) => (Some(w), None),
        Err(why) => (None, Some(format!("{why}: the tree is checked for changes before every call"))),
    };
    *lock(&FRESH) = Some(Fresh { watch, settings: None });
    note
}

/// Whether this process serves (and so keeps going after each command).
pub fn serving() -> bool {
    SERVING.load(Ordering::Relaxed)
}

/// The key of the records `store` holds, read with `settings` (see [`adrgraph::store::config_key`]).
pub fn key_of(store: &adrgraph::store::Store, settings: u64) -> Key {
    if !SERVING.load(Ordering::Relaxed) || super::context::at_source().is_some() {
        return Key(None);
    }
    Key(store.dir().map(|d| (d.to_path_buf(), store.generation(), settings)))
}

/// What `make` gives, kept under `name` and `salt` (what else the value depends on, such as a
/// configuration's hash) for as long as the records of `key` are the store's: computed once,
/// then shared. With an empty key, `make` runs every time.
pub fn kept<T: Any + Send + Sync>(
    key: &Key,
    name: &'static str,
    salt: u64,
    make: impl FnOnce() -> Result<T>,
) -> Result<Arc<T>> {
    let Some(k) = &key.0 else { return Ok(Arc::new(make()?)) };
    let hit = lock(&KEPT)
        .as_ref()
        .filter(|(held, _)| held == k)
        .and_then(|(_, values)| values.get(&(name, salt)).cloned());
    if let Some(Ok(v)) = hit.map(|v| v.downcast::<T>()) {
        return Ok(v);
    }
    // Computed without the lock: another call may compute the same meanwhile, and one wins.
    let value = Arc::new(make()?);
    let mut guard = lock(&KEPT);
    match guard.as_mut() {
        Some((held, values)) if held == k => {
            values.insert((name, salt), value.clone());
        }
        _ => *guard = Some((k.clone(), HashMap::from([((name, salt), value.clone() as Value)]))),
    }
    Ok(value)
}

/// A hash of anything that prints itself, for [`kept`]'s salt.
pub fn salt_of(what: &impl std::fmt::Debug) -> u64 {
    xxhash_rust::xxh3::xxh3_64(format!("{what:?}").as_bytes())
}

/// Run `open` with whether the store must be refreshed first: always on a command line run;
/// while serving, only when the tree may have changed since the last refresh or the settings
/// (`settings`) differ. Calls wait for each other here, so none answers from a store another is
/// still refreshing.
pub fn opening<T>(settings: u64, open: impl FnOnce(bool) -> Result<T>) -> Result<T> {
    if !SERVING.load(Ordering::Relaxed) || super::context::at_source().is_some() {
        return open(true);
    }
    let mut guard = lock(&FRESH);
    let Some(fresh) = guard.as_mut() else { return open(true) };
    let changed = fresh.settings != Some(settings) || fresh.watch.as_mut().is_none_or(Watch::changed);
    let opened = open(changed);
    // A refresh that failed is tried again by the next call.
    fresh.settings = opened.is_ok().then_some(settings);
    opened
}

/// The watch on the roots and the settings of the last successful refresh.
struct Fresh {
    watch: Option<Watch>,
    settings: Option<u64>,
}

/// Every folder under the roots, but hidden ones (which the tree's walk skips too), at most
/// [`MAX_WATCHED`].
fn folders(roots: &[PathBuf], follow_links: bool) -> std::result::Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for root in roots {
        let walk = ignore::WalkBuilder::new(root)
            .standard_filters(false)
            .hidden(true)
            .follow_links(follow_links)
            .build();
        for entry in walk.flatten() {
            if entry.file_type().is_some_and(|t| t.is_dir()) {
                out.push(entry.into_path());
                if out.len() > MAX_WATCHED {
                    return Err(format!("more than {MAX_WATCHED} folders under the roots"));
                }
            }
        }
    }
    Ok(out)
}

/// The kernel's list of changes under the roots.
#[cfg(target_os = "linux")]
struct Watch {
    inotify: inotify::Inotify,
    roots: Vec<PathBuf>,
    follow_links: bool,
    /// Set when the list could not be read or a new folder could not be watched: every call
    /// refreshes from then on.
    lost: bool,
    buffer: Vec<u8>,
}

#[cfg(target_os = "linux")]
impl Watch {
    /// What changes a file's content, name or presence (never reading it: the refresh's own
    /// reads must not count as changes).
    fn mask() -> inotify::WatchMask {
        use inotify::WatchMask as M;
        M::MODIFY
            | M::ATTRIB
            | M::CLOSE_WRITE
            | M::CREATE
            | M::DELETE
            | M::DELETE_SELF
            | M::MOVED_FROM
            | M::MOVED_TO
            | M::MOVE_SELF
    }

    fn new(roots: &[PathBuf], follow_links: bool) -> std::result::Result<Watch, String> {
        let inotify = inotify::Inotify::init().map_err(|e| format!("cannot watch the tree: {e}"))?;
        let mut w =
            Watch { inotify, roots: roots.to_vec(), follow_links, lost: false, buffer: vec![0; 64 << 10] };
        w.watch_all()?;
        Ok(w)
    }

    /// Watch every folder (a folder watched already keeps its watch).
    fn watch_all(&mut self) -> std::result::Result<(), String> {
        for dir in folders(&self.roots, self.follow_links)? {
            self.inotify
                .watches()
                .add(&dir, Self::mask())
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        }
        Ok(())
    }

    /// Whether anything changed since the last time this was asked.
    fn changed(&mut self) -> bool {
        use inotify::EventMask as E;
        let mut any = false;
        let mut new_folder = false;
        loop {
            match self.inotify.read_events(&mut self.buffer) {
                Ok(events) => {
                    for e in events {
                        any = true;
                        let made = e.mask.intersects(E::CREATE | E::MOVED_TO) && e.mask.contains(E::ISDIR);
                        new_folder |= made || e.mask.contains(E::Q_OVERFLOW);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(_) => {
                    self.lost = true;
                    break;
                }
            }
        }
        if new_folder && self.watch_all().is_err() {
            self.lost = true;
        }
        any || self.lost
    }
}

/// No list of changes here: every call refreshes.
#[cfg(not(target_os = "linux"))]
struct Watch;

#[cfg(not(target_os = "linux"))]
impl Watch {
    fn new(_: &[PathBuf], _: bool) -> std::result::Result<Watch, String> {
        Err("no watch of the tree on this system".to_string())
    }

    fn changed(&mut self) -> bool {
        true
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::Watch;

    /// A change written just before the question is seen by it, in a folder made after the
    /// watch began too; reading files is not a change.
    #[test]
    fn every_change_before_a_call_is_seen_and_reading_is_not_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::write(root.join("0001-a.md"), "# A\n").unwrap();
        let mut w = Watch::new(std::slice::from_ref(&root), false).unwrap();
        assert!(!w.changed());
        let _ = std::fs::read(root.join("0001-a.md")).unwrap();
        assert!(!w.changed(), "a read is not a change");
        for i in 0..50 {
            std::fs::write(root.join("0001-a.md"), format!("# A {i}\n")).unwrap();
            assert!(w.changed(), "edit {i} seen at once");
            assert!(!w.changed());
        }
        std::fs::create_dir(root.join("later")).unwrap();
        assert!(w.changed());
        std::fs::write(root.join("later/0002-b.md"), "# B\n").unwrap();
        assert!(w.changed(), "a file in a folder made after the watch began");
        std::fs::remove_file(root.join("0001-a.md")).unwrap();
        assert!(w.changed());
        std::fs::create_dir(root.join(".hidden")).unwrap();
        assert!(w.changed(), "the folder's creation is a change of the root");
        std::fs::write(root.join(".hidden/x.md"), "x").unwrap();
        assert!(!w.changed(), "hidden folders are not read, and not watched");
    }
}

//! Every store file is read and written here: the lock, checksummed reads, and writes to a
//! temporary file renamed into place.

use super::*;

pub(super) fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), source: e }
}

/// Hold the store's lock; when another process holds it, tell `on_wait` and wait.
pub(super) fn lock(dir: &Path, on_wait: Option<fn(&Path)>) -> Result<File> {
    let path = dir.join("lock");
    let f =
        File::options().create(true).truncate(false).write(true).open(&path).map_err(|e| io_err(&path, e))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => {
            if let Some(tell) = on_wait {
                tell(dir);
            }
            f.lock().map_err(|e| io_err(&path, e))?;
            Ok(f)
        }
        Err(std::fs::TryLockError::Error(e)) => Err(io_err(&path, e)),
    }
}

pub(super) fn read_file<T: serde::de::DeserializeOwned>(
    path: &Path,
) -> std::result::Result<Option<T>, String> {
    let Some(bytes) = read_checked(path)? else { return Ok(None) };
    postcard::from_bytes(&bytes)
        .map(Some)
        .map_err(|e| format!("{} is corrupt or truncated ({e})", path.display()))
}

/// The content of a store file written by [`write_with`], its checksum verified: every store
/// file but the query snapshot ends with the xxh3 digest of what comes before, so that one
/// flipped bit or a zeroed page is found on opening (and the part rebuilt from the tree) rather
/// than decoded into a wrong path or record. `None` when the file is missing.
pub(super) fn read_checked(path: &Path) -> std::result::Result<Option<Vec<u8>>, String> {
    let mut bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let Some(body) = bytes.len().checked_sub(8) else {
        return Err(format!("{} is corrupt or truncated (no checksum)", path.display()));
    };
    let stored = u64::from_le_bytes(bytes[body..].try_into().unwrap_or([0; 8]));
    if xxhash_rust::xxh3::xxh3_64(&bytes[..body]) != stored {
        return Err(format!("{} is corrupt or truncated (checksum mismatch)", path.display()));
    }
    bytes.truncate(body);
    Ok(Some(bytes))
}

/// A writer that hashes what goes through it, for the checksum [`write_with`] appends.
pub(super) struct Checksummed<'a> {
    pub(super) file: &'a mut File,
    pub(super) hash: xxhash_rust::xxh3::Xxh3,
}

impl std::io::Write for Checksummed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Write `value` to `dir/name` atomically: a temporary file, synced, renamed into place.
pub(super) fn write_atomic<T: Serialize + ?Sized>(dir: &Path, name: &str, value: &T) -> Result<()> {
    write_replacing(dir, name, value, true)
}

/// Write `value` to `dir/name` through a temporary file renamed into place: a killed process
/// leaves the old file or the new one, never a mix. With `durable`, the data is synced first,
/// so that a power cut cannot leave an empty file behind the new name either; record shards
/// skip that (64 syncs were most of a first build of 1,000 decisions), because a shard lost to
/// a power cut fails to decode and its records are read again from the tree.
pub(super) fn write_replacing<T: Serialize + ?Sized>(
    dir: &Path,
    name: &str,
    value: &T,
    durable: bool,
) -> Result<()> {
    let bytes = postcard::to_allocvec(value).map_err(|e| io_err(dir, std::io::Error::other(e)))?;
    write_bytes(dir, name, &bytes, durable)
}

/// [`write_replacing`] of bytes already encoded.
pub(super) fn write_bytes(dir: &Path, name: &str, bytes: &[u8], durable: bool) -> Result<()> {
    write_with(dir, name, durable, |f| f.write_all(bytes))
}

/// Write `dir/name` through a temporary file that `fill` writes, renamed into place (synced
/// first, and the folder after, when `durable`).
pub(super) fn write_with(
    dir: &Path,
    name: &str,
    durable: bool,
    fill: impl FnOnce(&mut Checksummed<'_>) -> std::io::Result<()>,
) -> Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    let path = dir.join(name);
    let written = File::create(&tmp)
        .and_then(|mut f| {
            let mut w = Checksummed { file: &mut f, hash: xxhash_rust::xxh3::Xxh3::new() };
            fill(&mut w)?;
            let digest = w.hash.digest();
            f.write_all(&digest.to_le_bytes())?;
            if durable {
                f.sync_all()?;
            }
            Ok(())
        })
        .and_then(|()| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        // A full disk must not be left fuller by a half-written temporary file.
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err(&path, e));
    }
    if durable {
        if let Some(parent) = path.parent() {
            if let Ok(d) = File::open(parent) {
                let _ = d.sync_all();
            }
        }
    }
    Ok(())
}

//! The manifest (`manifest.bin`, `manifest.delta`), its summary (`summary.bin`), the walk
//! table (`walk.bin`) and the query alias (`query.alias`): what a refresh compares the tree with.

use super::*;

/// The small part of the store, read by every run: each decision file's metadata, the walk's
/// findings, and a generation that names this exact content.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// [`STORE_FORMAT`] at writing time.
    pub format: u32,
    /// adrgraph version at writing time.
    pub tool_version: String,
    /// When it was written (ns since the epoch).
    pub written_at: i128,
    /// Hash of the roots and of every decision file's path, content and sidecar: equal
    /// generations mean equal records.
    pub generation: u64,
    /// Hash of the settings that change what is read and how (exclude globs, vocabulary).
    pub config_key: u64,
    /// Roots as displayed.
    pub roots: Vec<String>,
    /// Absolute roots.
    pub abs_roots: Vec<PathBuf>,
    /// Files seen by the walk.
    pub files_seen: usize,
    /// Skipped files.
    pub skipped: Vec<Skipped>,
    /// Diagnostics of the walk itself (files' own diagnostics are in the records).
    pub walk_diagnostics: Vec<Diagnostic>,
    /// Every decision file: `(root, rel, size, mtime, hash, sidecar)`.
    #[serde(with = "file_table")]
    pub files: Vec<(usize, String, u64, i128, u64, u64)>,
    /// Number of shards the records and the graph snapshot are kept in ([`shards_for`]).
    pub shards: usize,
    /// What `manifest.bin` holds of this manifest: its `(generation, written_at)` and the
    /// positions of the rows that differ from it (kept in `manifest.delta`); `None` for a
    /// manifest not read from a file.
    #[serde(skip)]
    pub(super) file_base: Option<((u64, i128), Vec<usize>)>,
}

/// The manifest's file list as one byte string of columns (roots, path lengths, sizes, times,
/// hashes, sidecars, then every path): encoded and decoded with a few copies instead of six
/// variable-length numbers and a string per file (a third of the time at 100,000 files).
pub(super) mod file_table {
    use serde::de::Visitor;
    use serde::{Deserializer, Serializer};

    type Row = (usize, String, u64, i128, u64, u64);

    pub fn serialize<S: Serializer>(files: &[Row], s: S) -> Result<S::Ok, S::Error> {
        let pool: usize = files.iter().map(|f| f.1.len()).sum();
        let mut out = Vec::with_capacity(8 + files.len() * 48 + pool);
        out.extend_from_slice(&(files.len() as u64).to_le_bytes());
        for f in files {
            out.extend_from_slice(&(f.0 as u32).to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&(f.1.len() as u32).to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&f.2.to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&f.3.to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&f.4.to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(&f.5.to_le_bytes());
        }
        for f in files {
            out.extend_from_slice(f.1.as_bytes());
        }
        s.serialize_bytes(&out)
    }

    /// The rows of an encoded table; `None` when it is short, long or not UTF-8 where a path is.
    fn decode(b: &[u8]) -> Option<Vec<Row>> {
        let n = usize::try_from(u64::from_le_bytes(b.get(..8)?.try_into().ok()?)).ok()?;
        let col = |at: usize, width: usize| b.get(at..at.checked_add(n.checked_mul(width)?)?);
        let roots = col(8, 4)?;
        let lens = col(8 + 4 * n, 4)?;
        let sizes = col(8 + 8 * n, 8)?;
        let times = col(8 + 16 * n, 16)?;
        let hashes = col(8 + 32 * n, 8)?;
        let sides = col(8 + 40 * n, 8)?;
        let pool = std::str::from_utf8(b.get(8 + 48 * n..)?).ok()?;
        let u32_at =
            |c: &[u8], i: usize| u32::from_le_bytes(c[i * 4..i * 4 + 4].try_into().expect("4 bytes"));
        let u64_at =
            |c: &[u8], i: usize| u64::from_le_bytes(c[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        let mut rows = Vec::with_capacity(n);
        let mut at = 0usize;
        for i in 0..n {
            let end = at.checked_add(u32_at(lens, i) as usize)?;
            let rel = pool.get(at..end)?;
            at = end;
            let time = i128::from_le_bytes(times[i * 16..i * 16 + 16].try_into().expect("16 bytes"));
            rows.push((
                u32_at(roots, i) as usize,
                rel.to_string(),
                u64_at(sizes, i),
                time,
                u64_at(hashes, i),
                u64_at(sides, i),
            ));
        }
        (at == pool.len()).then_some(rows)
    }

    struct Table;

    impl Visitor<'_> for Table {
        type Value = Vec<Row>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a file table")
        }

        fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Self::Value, E> {
            decode(b).ok_or_else(|| E::custom("damaged file table"))
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Row>, D::Error> {
        d.deserialize_bytes(Table)
    }
}

/// A manifest in brief: what a refresh with nothing changed needs, so that it does not decode
/// the manifest. Removed before a manifest is replaced and written after it, so that it never
/// describes another manifest than the one on disk; written only when the manifest's skipped
/// files are the walk's (a file that could not be read is tried again on the next refresh).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(super) struct Summary {
    /// The manifest's generation.
    pub(super) generation: u64,
    /// The manifest's `written_at`.
    pub(super) written_at: i128,
    /// [`tree_fingerprint`] of the walk the manifest describes.
    pub(super) tree: u64,
    /// Number of decision files.
    pub(super) decisions: usize,
}

pub(super) const SUMMARY: &str = "summary.bin";

/// The table of the walk a manifest was made from ([`ingest::Walked::table`]): with it a later
/// walk finds the files that differ without sorting anything. Written with the summary.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WalkTable {
    /// The walk's fingerprint (the summary's `tree`).
    pub(super) tree: u64,
    /// The walk's settings ([`settings_of`]).
    pub(super) settings: u64,
    /// Every file's hash, sorted.
    pub(super) files: Vec<u64>,
}

pub(super) const WALK_TABLE: &str = "walk.bin";

impl WalkTable {
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(24 + self.files.len() * 8);
        out.extend_from_slice(&self.tree.to_le_bytes());
        out.extend_from_slice(&self.settings.to_le_bytes());
        out.extend_from_slice(&(self.files.len() as u64).to_le_bytes());
        for f in &self.files {
            out.extend_from_slice(&f.to_le_bytes());
        }
        out
    }

    /// `None` when the file is missing, short or of another length than it says.
    pub(super) fn read(dir: &Path) -> Option<WalkTable> {
        let bytes = read_checked(&dir.join(WALK_TABLE)).ok()??;
        let word = |k: usize| -> Option<u64> {
            Some(u64::from_le_bytes(bytes.get(k * 8..k * 8 + 8)?.try_into().ok()?))
        };
        let (tree, settings, n) = (word(0)?, word(1)?, usize::try_from(word(2)?).ok()?);
        if bytes.len() != n.checked_mul(8)?.checked_add(24)? {
            return None;
        }
        let files: Vec<u64> =
            bytes[24..].chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
        files.windows(2).all(|w| w[0] <= w[1]).then_some(WalkTable { tree, settings, files })
    }
}

/// `query.alias`: `(a, b)`, saying that the query snapshot written for generation `a` holds
/// generation `b` too. A quick refresh writes it when no record changed in what the snapshot is
/// made of (the records without their long texts, with their diagnostics), so that the first
/// question after an edited paragraph does not rebuild the snapshot (1.2 s at 100,000
/// decisions). The snapshot itself is never written into: readers map it.
pub(super) const QUERY_ALIAS: &str = "query.alias";

/// The query snapshot's alias, if any.
pub(super) fn query_alias(dir: &Path) -> Option<(u64, u64)> {
    read_file::<(u64, u64)>(&dir.join(QUERY_ALIAS)).ok().flatten()
}

/// `manifest.delta`: the rows quick refreshes changed since `manifest.bin` was written, with
/// the new generation and time. A refresh of a few files writes these few hundred bytes
/// instead of the whole manifest (10 MB at 100,000 files). It names the manifest file it
/// applies to by that file's generation and time, so a manifest written whole makes it void.
pub(super) const DELTA: &str = "manifest.delta";

/// Most rows a delta holds; past that the manifest is written whole again.
pub(super) const DELTA_ROWS: usize = 4096;

/// The content of `manifest.delta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Delta {
    /// `(generation, written_at)` of the manifest file it applies to.
    pub(super) base: (u64, i128),
    /// The manifest's time now.
    pub(super) written_at: i128,
    /// The manifest's generation now.
    pub(super) generation: u64,
    /// `(position, size, mtime, hash, sidecar)` of every row that differs from the file's.
    pub(super) rows: Vec<(usize, u64, i128, u64, u64)>,
}

/// Remove the summary and the walk table: they go before the manifest changes.
pub(super) fn remove_summary(dir: &Path) -> Result<()> {
    for name in [SUMMARY, WALK_TABLE] {
        match std::fs::remove_file(dir.join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_err(&dir.join(name), e)),
            _ => {}
        }
    }
    Ok(())
}

/// After the manifest: its generation, then (when `walk` is given: the walk it was made from,
/// whose skipped files are the manifest's) the new walk table and summary.
pub(super) fn write_after_manifest(dir: &Path, m: &Manifest, walk: Option<&WalkTable>) -> Result<()> {
    write_atomic(dir, "generation.bin", &m.generation)?;
    if let Some(w) = walk {
        write_bytes(dir, WALK_TABLE, &w.encode(), false)?;
        let s = Summary {
            generation: m.generation,
            written_at: m.written_at,
            tree: w.tree,
            decisions: m.files.len(),
        };
        write_replacing(dir, SUMMARY, &s, false)?;
    }
    Ok(())
}

/// Replace the manifest: its summary and walk table go first, the manifest is written whole
/// (which voids its delta), then the generation, walk table and summary
/// ([`write_after_manifest`]).
pub(super) fn write_manifest(dir: &Path, m: &Manifest, walk: Option<&WalkTable>) -> Result<()> {
    remove_summary(dir)?;
    write_atomic(dir, "manifest.bin", m)?;
    let _ = std::fs::remove_file(dir.join(DELTA));
    write_after_manifest(dir, m, walk)
}

/// Record manifest `m`, read from `manifest.bin` and changed since only in the rows its
/// `file_base` lists (and in time and generation), as a delta beside that file; as a whole
/// manifest when it has no file base or too many changed rows.
pub(super) fn write_manifest_delta(dir: &Path, m: &Manifest, walk: Option<&WalkTable>) -> Result<()> {
    let Some((base, rows)) = m.file_base.as_ref().filter(|(_, rows)| rows.len() <= DELTA_ROWS) else {
        return write_manifest(dir, m, walk);
    };
    let delta = Delta {
        base: *base,
        written_at: m.written_at,
        generation: m.generation,
        rows: rows
            .iter()
            .map(|&i| {
                let f = &m.files[i];
                (i, f.2, f.3, f.4, f.5)
            })
            .collect(),
    };
    remove_summary(dir)?;
    write_atomic(dir, DELTA, &delta)?;
    write_after_manifest(dir, m, walk)
}

/// A file's identity and state: inode, size and modification time.
pub(super) type FileStamp = (u64, u64, std::time::SystemTime);

/// The manifest file's and its delta's identity and state; `None` without a manifest file.
pub(super) fn manifest_stamp(dir: &Path) -> Option<(FileStamp, Option<FileStamp>)> {
    fn stamp(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some((inode, meta.len(), meta.modified().ok()?))
    }
    Some((stamp(&dir.join("manifest.bin"))?, stamp(&dir.join(DELTA))))
}

/// The manifest with its delta applied, if any.
pub(super) fn read_manifest(dir: &Path) -> std::result::Result<Option<Manifest>, String> {
    let Some(mut m) = read_file::<Manifest>(&dir.join("manifest.bin"))? else { return Ok(None) };
    if m.format != STORE_FORMAT || m.tool_version != env!("CARGO_PKG_VERSION") {
        return Err(format!("the store was written by adrgraph {} (format {})", m.tool_version, m.format));
    }
    let base = (m.generation, m.written_at);
    let mut rows = Vec::new();
    let path = dir.join(DELTA);
    match read_file::<Delta>(&path)? {
        Some(d) if d.base == base => {
            if d.rows.iter().any(|r| r.0 >= m.files.len()) || !d.rows.is_sorted_by(|a, b| a.0 < b.0) {
                return Err(format!("{} is corrupt", path.display()));
            }
            for (i, size, mtime, hash, sidecar) in d.rows {
                let f = &mut m.files[i];
                (f.2, f.3, f.4, f.5) = (size, mtime, hash, sidecar);
                rows.push(i);
            }
            (m.written_at, m.generation) = (d.written_at, d.generation);
        }
        // None, or a delta of another manifest file (one written whole since).
        _ => {}
    }
    m.file_base = Some((base, rows));
    Ok(Some(m))
}

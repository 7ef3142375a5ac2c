//! The record shards (`records/NN.bin`) and the graph snapshot's shards (`slim/NN.bin`).

use super::*;

/// Parts a refresh parses one after the other (each a run of whole shards; a store of fewer
/// shards has as many parts as shards). Only one part's full records are in memory at a time:
/// with 32 parts instead of 8, a cold graph of 100,000 decisions took 2.87 s instead of 3.10 s
/// and 531 MB instead of 645 MB (memory reused from part to part instead of newly mapped).
pub(super) const GROUPS: usize = 32;

/// One stored full record, keyed by its file and content.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ShardEntry {
    pub(super) root: usize,
    pub(super) rel: String,
    pub(super) hash: u64,
    pub(super) sidecar: u64,
    pub(super) parsed: crate::parse::Parsed,
    /// The section whose text is the record's context, which is then not stored a second time
    /// in `parsed` (see [`Detached`]).
    pub(super) context_at: Option<u32>,
}

impl ShardEntry {
    /// The record as parsed, its context put back; `None` when the entry names a section the
    /// record does not have (a damaged shard).
    pub(super) fn into_parsed(self) -> Option<crate::parse::Parsed> {
        let mut parsed = self.parsed;
        if let Some(at) = self.context_at {
            let text = &parsed.adr.sections.get(at as usize)?.text;
            if parsed.adr.context.is_some() {
                return None;
            }
            parsed.adr.context = Some(text.clone());
        }
        Some(parsed)
    }
}

/// Contexts taken out of fresh records while their shards are written. A record's context is
/// nearly always the text of one of its sections, kept whole in `sections` for the index:
/// stored once, the record shards of 10,000 adr-tools records take 51 MB instead of 94 MB (that
/// much less to encode and write).
pub(super) struct Detached(Vec<Option<(u32, String)>>);

impl Detached {
    /// Take out the context of each `fresh` record that one of its sections repeats.
    pub(super) fn take(files: &mut [Box<FileState>], fresh: &[bool]) -> Detached {
        use rayon::prelude::*;
        Detached(
            files
                .par_iter_mut()
                .zip(fresh)
                .map(|(f, &fresh)| {
                    let adr = &mut f.parsed.adr;
                    let context = adr.context.as_deref().filter(|_| fresh)?;
                    let at = adr.sections.iter().position(|s| s.text == context)?;
                    Some((u32::try_from(at).ok()?, adr.context.take()?))
                })
                .collect(),
        )
    }

    /// None taken.
    pub(super) fn none() -> Detached {
        Detached(Vec::new())
    }

    /// The section that holds the context of file `i`, when it was taken out.
    pub(super) fn at(&self, i: usize) -> Option<u32> {
        self.0.get(i).and_then(|d| d.as_ref().map(|(at, _)| *at))
    }

    /// Put every context back.
    pub(super) fn restore(self, files: &mut [Box<FileState>]) {
        for (f, d) in files.iter_mut().zip(self.0) {
            if let Some((_, text)) = d {
                f.parsed.adr.context = Some(text);
            }
        }
    }
}

/// The shard, of `shards`, that keeps the records of file `rel` of root `root`.
pub(super) fn shard_of(root: usize, rel: &str, shards: usize) -> usize {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&(root as u64).to_le_bytes());
    h.update(rel.as_bytes());
    (h.digest() % shards.max(1) as u64) as usize
}

pub(super) fn shard_name(n: usize) -> String {
    format!("records/{n:03}.bin")
}

pub(super) fn slim_name(n: usize) -> String {
    format!("slim/{n:03}.bin")
}

/// Remove the shard files of both kinds numbered `count` or more (or not named as shards).
pub(super) fn remove_stale_shards(dir: &Path, count: usize) {
    for name_of in [shard_name as fn(usize) -> String, slim_name] {
        let keep: std::collections::HashSet<PathBuf> = (0..count).map(|n| dir.join(name_of(n))).collect();
        let Some(folder) = dir.join(name_of(0)).parent().map(Path::to_path_buf) else { continue };
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_some_and(|x| x == "bin") && !keep.contains(&path) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The graph snapshot from its shards, one slim record per manifest file in the manifest's
/// order; `None` when an entry is missing (a shard of another generation, lost or never
/// written), an error when a shard cannot be read or decoded.
pub(super) fn read_slim(
    dir: &Path,
    m: &Manifest,
) -> std::result::Result<Option<Vec<crate::parse::Parsed>>, String> {
    use rayon::prelude::*;
    let shards: Vec<std::result::Result<Option<Vec<ShardEntry>>, String>> =
        (0..m.shards).into_par_iter().map(|n| read_entries(&dir.join(slim_name(n)))).collect();
    let mut cursors = Vec::with_capacity(m.shards);
    for s in shards {
        // A shard that is not there holds nothing: its files, if any, are found missing.
        cursors.push(s?.unwrap_or_default().into_iter().peekable());
    }
    // Both the manifest and every shard are in path order: one cursor per shard.
    let mut out = Vec::with_capacity(m.files.len());
    for (root, rel, _, _, hash, sidecar) in &m.files {
        let it = &mut cursors[shard_of(*root, rel, m.shards)];
        loop {
            let Some(e) = it.peek() else { return Ok(None) };
            match (e.root, e.rel.as_str()).cmp(&(*root, rel.as_str())) {
                std::cmp::Ordering::Less => {
                    it.next();
                }
                std::cmp::Ordering::Equal if (e.hash, e.sidecar) != (*hash, *sidecar) => {
                    it.next();
                }
                std::cmp::Ordering::Equal => {
                    out.push(it.next().expect("peeked").parsed);
                    break;
                }
                std::cmp::Ordering::Greater => return Ok(None),
            }
        }
    }
    Ok(Some(out))
}

/// A copy of a record without its long texts: what the graph, listings, queries and lint use.
/// Every field is named, so that a field added to [`Adr`] must be placed here on purpose. Of the
/// sections only the title's heading is kept (its line is where findings on the title go), and
/// of each option's pros, cons and neutral points how many there are (each an empty text).
pub(super) fn slim_of(p: &crate::parse::Parsed) -> crate::parse::Parsed {
    let a = &p.adr;
    let adr = Adr {
        id: a.id.clone(),
        path: a.path.clone(),
        rel_path: a.rel_path.clone(),
        slug: a.slug.clone(),
        number: a.number,
        title_number: a.title_number,
        title: a.title.clone(),
        date: a.date,
        date_raw: a.date_raw.clone(),
        date_source: a.date_source,
        status: a.status,
        status_raw: a.status_raw.clone(),
        status_history: a.status_history.clone(),
        deciders: a.deciders.clone(),
        consulted: a.consulted.clone(),
        informed: a.informed.clone(),
        technical_story: None,
        tags: a.tags.clone(),
        scope: a.scope.clone(),
        context: None,
        decision: None,
        decision_drivers: Vec::new(),
        options: a
            .options
            .iter()
            .map(|o| crate::model::ConsideredOption {
                title: o.title.clone(),
                cost: o.cost.clone(),
                risk: o.risk.clone(),
                chosen: o.chosen,
                line: o.line,
                pros: vec![String::new(); o.pros.len()],
                cons: vec![String::new(); o.cons.len()],
                neutral: vec![String::new(); o.neutral.len()],
                description: None,
            })
            .collect(),
        outcome: a.outcome.as_ref().map(|o| crate::model::Outcome {
            chosen: o.chosen.clone(),
            rationale: None,
            line: o.line,
        }),
        consequences: Default::default(),
        phases: Vec::new(),
        validation: Vec::new(),
        review_date: a.review_date,
        review_date_raw: a.review_date_raw.clone(),
        links: a.links.clone(),
        code_links: a.code_links.clone(),
        dialect: a.dialect,
        sections: a
            .sections
            .iter()
            .filter(|s| s.level == 1)
            .take(1)
            .map(|s| crate::model::Section {
                heading: s.heading.clone(),
                level: 1,
                line: s.line,
                text: String::new(),
            })
            .collect(),
    };
    crate::parse::Parsed { adr, diagnostics: p.diagnostics.clone() }
}

/// Write the shard `dir/name` of `entries`: the count, then each entry encoded on its own and
/// written as bytes with their length (the postcard encoding of a list of byte strings), so that
/// one record is found by decoding the key at the start of each entry and then only that entry
/// ([`read_entry`]): `show` decoded all 125 to 500 records of a shard for one (a third of it).
pub(super) fn write_entries(dir: &Path, name: &str, entries: &[&ShardEntryRef<'_>]) -> Result<()> {
    write_with(dir, name, false, |f| {
        let other = std::io::Error::other;
        let mut w = std::io::BufWriter::with_capacity(1 << 18, f);
        let mut buf = Vec::new();
        postcard::to_io(&entries.len(), &mut w).map_err(other)?;
        for e in entries {
            buf.clear();
            postcard::to_io(e, &mut buf).map_err(other)?;
            postcard::to_io(&buf.len(), &mut w).map_err(other)?;
            w.write_all(&buf)?;
        }
        w.flush()
    })
}

/// The entries of a shard, each encoded as bytes (see [`write_entries`]), borrowed from its
/// content.
fn entry_bytes<'b>(path: &Path, bytes: &'b [u8]) -> std::result::Result<Vec<&'b [u8]>, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("{} is corrupt or truncated ({e})", path.display()))
}

/// Every entry of the shard at `path`; `None` when it is missing, an error when it cannot be
/// read or decoded.
pub(super) fn read_entries(path: &Path) -> std::result::Result<Option<Vec<ShardEntry>>, String> {
    let Some(bytes) = read_checked(path)? else { return Ok(None) };
    entry_bytes(path, &bytes)?
        .into_iter()
        .map(|b| {
            postcard::from_bytes(b).map_err(|e| format!("{} is corrupt or truncated ({e})", path.display()))
        })
        .collect::<std::result::Result<Vec<ShardEntry>, String>>()
        .map(Some)
}

/// The entries of the shard at `path` whose file content `keep` wants, decoding only the keys
/// at the start of the others; `None` when the shard is missing.
pub(super) fn read_matching(
    path: &Path,
    keep: impl Fn(ContentKey<'_>) -> bool,
) -> std::result::Result<Option<Vec<ShardEntry>>, String> {
    let Some(bytes) = read_checked(path)? else { return Ok(None) };
    let corrupt = |e: postcard::Error| format!("{} is corrupt or truncated ({e})", path.display());
    let mut out = Vec::new();
    for b in entry_bytes(path, &bytes)? {
        // The fields an entry starts with (see `ShardEntry`).
        let (key, _) = postcard::take_from_bytes::<ContentKey<'_>>(b).map_err(corrupt)?;
        if keep(key) {
            out.push(postcard::from_bytes(b).map_err(corrupt)?);
        }
    }
    Ok(Some(out))
}

/// A shard entry as written: borrowed, encoded exactly like [`ShardEntry`].
#[derive(Serialize)]
pub(super) struct ShardEntryRef<'a> {
    pub(super) root: usize,
    pub(super) rel: &'a str,
    pub(super) hash: u64,
    pub(super) sidecar: u64,
    pub(super) parsed: &'a crate::parse::Parsed,
    pub(super) context_at: Option<u32>,
}

/// Write the shards a refresh touched. `fresh[i]` says that `files[i]` holds a record parsed
/// now; a stored record stays when `keep` says so of its content key: when the previous or the
/// new manifest holds it (the previous one's are kept so that a crash before the new manifest
/// is written leaves the previous one with all its records). With `fresh_start`, the touched
/// shards are written from `files` alone.
pub(super) fn write_shards(
    dir: &Path,
    (name_of, count): (fn(usize) -> String, usize),
    (files, fresh, detached): (&[Box<FileState>], &[bool], &Detached),
    keep: &(dyn Fn(ContentKey<'_>) -> bool + Sync),
    touched: &std::collections::BTreeSet<usize>,
    fresh_start: bool,
) -> Result<Vec<String>> {
    use rayon::prelude::*;
    let folder = dir.join(name_of(0)).parent().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
    std::fs::create_dir_all(&folder).map_err(|e| io_err(&folder, e))?;
    let mut new_by_shard: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, f) in files.iter().enumerate() {
        if fresh[i] {
            new_by_shard[shard_of(f.root, &f.rel, count)].push(i);
        }
    }
    let shards: Vec<usize> = touched.iter().copied().collect();
    let results: Vec<Result<Option<String>>> = shards
        .par_iter()
        .map(|&n| {
            let name = name_of(n);
            let (old, warning) = if fresh_start {
                (Vec::new(), None)
            } else {
                match read_entries(&dir.join(&name)) {
                    Ok(v) => (v.unwrap_or_default(), None),
                    Err(why) => (Vec::new(), Some(why)),
                }
            };
            let mut entries: BTreeMap<ContentKey<'_>, ShardEntryRef<'_>> = BTreeMap::new();
            for e in &old {
                let key = (e.root, e.rel.as_str(), e.hash, e.sidecar);
                if keep(key) {
                    entries.insert(
                        key,
                        ShardEntryRef {
                            root: e.root,
                            rel: &e.rel,
                            hash: e.hash,
                            sidecar: e.sidecar,
                            parsed: &e.parsed,
                            context_at: e.context_at,
                        },
                    );
                }
            }
            for &i in &new_by_shard[n] {
                let f = &files[i];
                entries.insert(
                    (f.root, f.rel.as_str(), f.hash, f.sidecar),
                    ShardEntryRef {
                        root: f.root,
                        rel: &f.rel,
                        hash: f.hash,
                        sidecar: f.sidecar,
                        parsed: &f.parsed,
                        context_at: detached.at(i),
                    },
                );
            }
            let list: Vec<&ShardEntryRef<'_>> = entries.values().collect();
            write_entries(dir, &name, &list)?;
            Ok(warning)
        })
        .collect();
    let mut warnings = Vec::new();
    for r in results {
        if let Some(w) = r? {
            warnings.push(format!("{w}; its records are re-read from the tree when needed"));
        }
    }
    Ok(warnings)
}

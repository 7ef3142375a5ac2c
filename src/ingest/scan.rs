//! The files of a tree with their stamps and parsed records ([`FileState`]), the records of an
//! earlier refresh ([`Prior`]), and [`parse_tree`]: every file read and parsed, in parallel, in
//! path order.

use super::*;

/// What one decision file looked like when it was parsed, and what parsing gave: the unit the
/// store keeps, so that an unchanged file is never parsed again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileState {
    /// Root index.
    pub root: usize,
    /// Path relative to the root.
    pub rel: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: i128,
    /// xxh3 hash of the content.
    pub hash: u64,
    /// Signature of the sidecar metadata file read with it (0: none).
    pub sidecar: u64,
    /// The record (id not yet assigned) and its diagnostics.
    pub parsed: parse::Parsed,
}

/// How close (ns) to a recorded scan a file's modification time must be for that time not to be
/// trusted: a second change within the same timestamp could hide behind it, so the content is
/// compared instead.
pub const RACY_NS: i128 = 2_000_000_000;

/// Earlier file states, to skip parsing what did not change. Owned: reused records are moved
/// into the new scan, not copied.
#[derive(Debug, Default)]
pub struct Prior {
    files: std::collections::HashMap<(usize, String), Box<FileState>>,
    /// When the earlier states were recorded (ns since the epoch): a file modified less than two
    /// seconds before that may have changed again within the same timestamp, so its content is
    /// checked.
    written_at: i128,
}

impl Prior {
    /// Earlier states recorded at `written_at` (ns since the epoch).
    pub fn new(states: Vec<Box<FileState>>, written_at: i128) -> Prior {
        Prior { files: states.into_iter().map(|f| ((f.root, f.rel.clone()), f)).collect(), written_at }
    }

    /// Split into `n` parts by `group(root, rel)` (which must be below `n`), to go with
    /// [`TreeScan::split`].
    pub fn split(self, n: usize, group: impl Fn(usize, &str) -> usize) -> Vec<Prior> {
        let each = self.files.len() / n.max(1) * 5 / 4 + 16;
        let mut parts: Vec<Prior> = (0..n)
            .map(|_| Prior {
                files: std::collections::HashMap::with_capacity(each),
                written_at: self.written_at,
            })
            .collect();
        for (k, f) in self.files {
            let g = group(k.0, &k.1).min(n - 1);
            parts[g].files.insert(k, f);
        }
        parts
    }
}

/// A decision file the walk found, not read yet.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub(super) found: Found,
    pub(super) sidecar: Option<Found>,
    pub(super) sidecar_sig: u64,
}

/// The tree as the walk saw it, before any file is read: what [`parse_tree`] will read, and
/// enough metadata to tell whether anything changed since an earlier scan.
#[derive(Debug, Clone)]
pub struct TreeScan {
    pub(super) base: Corpus,
    pub(super) todo: Vec<Pending>,
    /// The walk's print (default in parts and subsets).
    pub(super) print: WalkPrint,
    /// The walk's table ([`Walked::table`]; empty in parts and subsets).
    pub(super) table: Vec<u64>,
}

impl TreeScan {
    /// `(root, rel, size, mtime, sidecar signature)` of every decision file, in path order.
    pub fn decision_files(&self) -> impl Iterator<Item = (usize, &str, u64, i128, u64)> {
        self.todo
            .iter()
            .map(|p| (p.found.root, p.found.rel.as_str(), p.found.size, p.found.mtime, p.sidecar_sig))
    }

    /// Split the files to read into `n` scans by `group(root, rel)` (below `n`), keeping path
    /// order within each; the first carries the walk's findings (skipped files, diagnostics,
    /// files seen), the others only the roots. Parsing them one after the other bounds memory
    /// to one part's full records.
    pub fn split(self, n: usize, group: impl Fn(usize, &str) -> usize) -> Vec<TreeScan> {
        let bare = Corpus {
            roots: self.base.roots.clone(),
            abs_roots: self.base.abs_roots.clone(),
            ..Corpus::default()
        };
        let mut parts: Vec<TreeScan> = (0..n)
            .map(|_| TreeScan {
                base: bare.clone(),
                todo: Vec::new(),
                print: WalkPrint::default(),
                table: Vec::new(),
            })
            .collect();
        parts[0].base = self.base;
        for p in self.todo {
            let g = group(p.found.root, &p.found.rel).min(n - 1);
            parts[g].todo.push(p);
        }
        parts
    }

    /// The corpus without records: roots, skipped files, walk diagnostics, files seen.
    pub fn base(&self) -> &Corpus {
        &self.base
    }

    /// The print of the walk this scan was made from ([`WalkPrint`]).
    pub fn print(&self) -> WalkPrint {
        self.print
    }

    /// The table of the walk this scan was made from ([`Walked::table`]).
    pub fn table(&self) -> &[u64] {
        &self.table
    }

    /// The files at these positions of [`TreeScan::decision_files`] alone, with the roots but
    /// none of the walk's findings: to parse a few files of a tree otherwise known.
    pub fn subset(&self, positions: &[usize]) -> TreeScan {
        let base = Corpus {
            roots: self.base.roots.clone(),
            abs_roots: self.base.abs_roots.clone(),
            ..Corpus::default()
        };
        TreeScan {
            base,
            todo: positions.iter().filter_map(|&i| self.todo.get(i).cloned()).collect(),
            print: WalkPrint::default(),
            table: Vec::new(),
        }
    }
}

/// The result of [`ingest_with`]: the corpus, the state of every decision file, and what was
/// parsed or reused.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The corpus.
    pub corpus: Corpus,
    /// Every decision file's state, in path order (boxed: a state is 800 bytes, and a refresh
    /// moves each through several lists).
    pub files: Vec<Box<FileState>>,
    /// Files parsed in this run.
    pub parsed: usize,
    /// Files whose earlier parse was reused.
    pub reused: usize,
}

/// Read and parse the decision files of a scanned tree in parallel, reusing `prior`'s records
/// where the file did not change. The returned corpus holds the walk's part only (roots,
/// skipped files, the walk's and unreadable files' diagnostics): [`assemble`] it with the file
/// states when the records are wanted there too.
pub fn parse_tree(
    opts: &IngestOptions,
    tree: TreeScan,
    prior: Option<Prior>,
    progress: &(dyn Fn(usize) + Sync),
) -> Scan {
    let TreeScan { base: mut corpus, todo, .. } = tree;
    let (mut prior_files, written_at) = match prior {
        Some(p) => (p.files, p.written_at),
        None => (std::collections::HashMap::new(), 0),
    };
    // Each pending file takes its earlier state with it (moved, not copied).
    let work: Vec<(Pending, Option<Box<FileState>>)> = todo
        .into_iter()
        .map(|p| {
            let before = prior_files.remove(&(p.found.root, p.found.rel.clone()));
            (p, before)
        })
        .collect();
    let roots = &corpus.roots;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Outcome> = work
        .into_par_iter()
        .map(|(p, before)| {
            let r = read_one(opts, roots, p, before, written_at);
            if matches!(r, Ok((_, true))) {
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
            }
            r
        })
        .collect();
    let (mut parsed_count, mut reused) = (0, 0);
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok((state, _)) if about_the_log(&state.parsed.adr) => {
                // Not a decision by what it says: skipped like a README (read again by every
                // full refresh, as it is not among the store's decision files).
                corpus
                    .skipped
                    .push(Skipped { path: state.parsed.adr.path.clone(), reason: SkipReason::AboutTheLog });
            }
            Ok((state, fresh)) => {
                if fresh {
                    parsed_count += 1;
                } else {
                    reused += 1;
                }
                files.push(state);
            }
            Err((skipped, diag)) => {
                corpus.skipped.push(skipped);
                corpus.diagnostics.push(diag);
            }
        }
    }
    corpus.skipped.sort();
    corpus.diagnostics.sort();
    Scan { corpus, files, parsed: parsed_count, reused }
}

/// Finish a corpus from the walk's part (roots, skipped files, walk diagnostics) and the
/// decision files' states: records in path order, diagnostics sorted, ids assigned.
pub fn assemble(mut corpus: Corpus, files: &[Box<FileState>]) -> Corpus {
    corpus.adrs.clear();
    corpus.adr_roots.clear();
    for f in files {
        corpus.adrs.push(f.parsed.adr.clone());
        corpus.adr_roots.push(f.root);
        corpus.diagnostics.extend(f.parsed.diagnostics.iter().cloned());
    }
    corpus.skipped.sort();
    corpus.diagnostics.sort();
    corpus.diagnostics.dedup();
    folder_dialects(&mut corpus);
    assign_ids(&mut corpus);
    corpus
}

/// Like [`assemble`], taking the records instead of copying them: `records[i]` is the record
/// of the file under root `roots[i]`.
pub fn assemble_owned(mut corpus: Corpus, roots: &[usize], records: Vec<parse::Parsed>) -> Corpus {
    corpus.adrs = Vec::with_capacity(records.len());
    corpus.adr_roots = roots.to_vec();
    for p in records {
        corpus.diagnostics.extend(p.diagnostics);
        corpus.adrs.push(p.adr);
    }
    corpus.skipped.sort();
    corpus.diagnostics.sort();
    corpus.diagnostics.dedup();
    folder_dialects(&mut corpus);
    assign_ids(&mut corpus);
    corpus
}

/// A folder's records share its format: where one dialect holds more than half of a folder's
/// records, the records read as a near dialect are reported as that one. MADR 2 and
/// log4brains differ only in bullets and file names; a record read as generic has no sign of
/// its own; and one read as Nygard without Nygard's `# N. Title`, in a folder of MADR 2 or
/// log4brains records, has the same metadata written as plain lines. Front matter and the seed
/// template are never relabelled.
pub fn folder_dialects(corpus: &mut Corpus) {
    use crate::model::Dialect;
    let mut folders: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
    for (i, a) in corpus.adrs.iter().enumerate() {
        folders.entry((corpus.adr_roots.get(i).copied().unwrap_or(0), a.folder())).or_default().push(i);
    }
    let mut relabel: Vec<(usize, Dialect)> = Vec::new();
    for records in folders.values() {
        let mut counts: BTreeMap<Dialect, usize> = BTreeMap::new();
        for &i in records {
            *counts.entry(corpus.adrs[i].dialect).or_default() += 1;
        }
        let Some((&major, &n)) = counts.iter().max_by_key(|(d, n)| (**n, std::cmp::Reverse(**d))) else {
            continue;
        };
        if n * 2 <= records.len() || major == Dialect::Generic {
            continue;
        }
        let list_family = matches!(major, Dialect::Madr2 | Dialect::Log4brains);
        for &i in records {
            let a = &corpus.adrs[i];
            let near = match a.dialect {
                Dialect::Generic => true,
                Dialect::Madr2 | Dialect::Log4brains => list_family,
                Dialect::Nygard => list_family && a.title_number.is_none(),
                _ => false,
            };
            if near && a.dialect != major {
                relabel.push((i, major));
            }
        }
    }
    for (i, d) in relabel {
        corpus.adrs[i].dialect = d;
    }
}

/// A file's state, and whether it was parsed now (`false`: reused), or why it was skipped.
type Outcome = std::result::Result<(Box<FileState>, bool), (Skipped, Diagnostic)>;

/// One pending file: reused without reading when its size, time and sidecar are its earlier
/// state's and it was not modified within two seconds of the last look; reused after reading
/// when its content hash is the same; else parsed.
fn read_one(
    opts: &IngestOptions,
    roots: &[String],
    p: Pending,
    before: Option<Box<FileState>>,
    written_at: i128,
) -> Outcome {
    let f = &p.found;
    let path = display_join(&roots[f.root], &f.rel);
    // Same size, time and sidecar, and not modified within two seconds of the last
    // look: reuse without reading.
    if let Some(old) = &before {
        let racy = f.modified >= written_at - RACY_NS;
        if old.size == f.size && old.mtime == f.mtime && old.sidecar == p.sidecar_sig && !racy && f.mtime != 0
        {
            return Ok((before.expect("checked"), false));
        }
    }
    let unreadable = |e: std::io::Error| {
        (
            Skipped { path: path.clone(), reason: SkipReason::Unreadable },
            Diagnostic::new(&path, 0, Severity::Error, "unreadable", format!("cannot read file: {e}")),
        )
    };
    let bytes = match &opts.source {
        Some(source) => source.read(f.root, &f.rel, opts.max_file_size),
        None => read_limited(&f.abs, opts.max_file_size, f.size),
    }
    .map_err(unreadable)?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    if let Some(mut old) = before {
        if old.hash == hash && old.sidecar == p.sidecar_sig {
            old.size = f.size;
            old.mtime = f.mtime;
            return Ok((old, false));
        }
    }
    let (side_text, side_problem) = read_sidecar(opts, roots, p.sidecar.as_ref());
    let popts = ParseOptions {
        sidecar: side_text.as_ref().map(|(text, p)| Sidecar { text, path: p }),
        vocabulary: Some(&opts.vocabulary),
    };
    let mut parsed = parse::parse_bytes(&bytes, &path, &f.rel, popts);
    parsed.diagnostics.extend(side_problem);
    Ok((
        Box::new(FileState {
            root: f.root,
            rel: f.rel.clone(),
            size: f.size,
            mtime: f.mtime,
            hash,
            sidecar: p.sidecar_sig,
            parsed,
        }),
        true,
    ))
}

/// The sidecar (`kep.yaml`) through the same guarded reader and size cap as the record: a
/// sparse 3 GB file is refused, not read, and said. Its text and shown path, or the diagnostic.
fn read_sidecar(
    opts: &IngestOptions,
    roots: &[String],
    sidecar: Option<&Found>,
) -> (Option<(String, String)>, Option<Diagnostic>) {
    match sidecar {
        Some(s) => match &opts.source {
            Some(source) => {
                let shown = display_join(&roots[s.root], &s.rel);
                let max = opts.max_file_size.min(crate::parse::front_matter::MAX_LEN as u64);
                match source.read(s.root, &s.rel, max) {
                    Ok(b) => (Some((String::from_utf8_lossy(&b).into_owned(), shown)), None),
                    Err(e) => {
                        let why = format!("metadata file not read: {e}");
                        (None, Some(Diagnostic::new(&shown, 0, Severity::Error, "unreadable", why)))
                    }
                }
            }
            None => read_sidecar_at(opts, display_join(&roots[s.root], &s.rel), &s.abs),
        },
        None => (None, None),
    }
}

/// [`read_sidecar`] of the file at `abs`, shown as `shown`.
fn read_sidecar_at(
    opts: &IngestOptions,
    shown: String,
    abs: &Path,
) -> (Option<(String, String)>, Option<Diagnostic>) {
    match read_limited(abs, opts.max_file_size.min(crate::parse::front_matter::MAX_LEN as u64), 0) {
        Ok(b) => (Some((String::from_utf8_lossy(&b).into_owned(), shown)), None),
        Err(e) => {
            let d = Diagnostic::new(
                &shown,
                0,
                Severity::Error,
                "unreadable",
                format!("metadata file not read: {e}"),
            );
            (None, Some(d))
        }
    }
}

/// The sidecar a walk gives the record at `rel` (below the root at `abs_root`): in a record
/// folder, the metadata file (`kep.yaml`, `kep.yml`, `metadata.yaml`, `metadata.yml`, any case)
/// that sorts last, as the walk keeps the last one it meets; never through a symbolic link.
fn sidecar_beside(abs_root: &Path, rel: &str) -> Option<(PathBuf, String)> {
    let (dir, _) = rel.rsplit_once('/')?;
    let folder = abs_root.join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| {
            matches!(n.to_lowercase().as_str(), "kep.yaml" | "kep.yml" | "metadata.yaml" | "metadata.yml")
        })
        .collect();
    names.sort();
    let name = names.pop()?;
    Some((folder.join(&name), format!("{dir}/{name}")))
}

/// Read and parse one decision file again outside a walk (its stored record was missing or
/// damaged): the same guarded, capped read as the walk's, and, when the manifest says it had
/// one, its sidecar metadata, so that the record is the one a refresh would make.
pub fn reread(
    opts: &IngestOptions,
    (root_shown, abs_root): (&str, &Path),
    rel: &str,
    with_sidecar: bool,
) -> parse::Parsed {
    let path = display_join(root_shown, rel);
    let (side_text, side_problem) = match with_sidecar.then(|| sidecar_beside(abs_root, rel)).flatten() {
        Some((abs, shown)) => read_sidecar_at(opts, display_join(root_shown, &shown), &abs),
        None => (None, None),
    };
    let popts = ParseOptions {
        sidecar: side_text.as_ref().map(|(text, p)| Sidecar { text, path: p }),
        vocabulary: Some(&opts.vocabulary),
    };
    // From where the walk read it: a revision's objects, or the disk.
    let bytes = match &opts.source {
        Some(source) => {
            let root = opts.roots.iter().position(|r| root_display(r) == root_shown).unwrap_or(0);
            source.read(root, rel, opts.max_file_size)
        }
        None => read_guarded(&abs_root.join(rel), opts.max_file_size),
    };
    let mut parsed = match bytes {
        Ok(bytes) => parse::parse_bytes(&bytes, &path, rel, popts),
        Err(e) => {
            let mut p = parse::parse_bytes(b"", &path, rel, popts);
            p.diagnostics.push(Diagnostic::new(
                &path,
                0,
                Severity::Error,
                "unreadable",
                format!("cannot read file: {e}"),
            ));
            p
        }
    };
    parsed.diagnostics.extend(side_problem);
    parsed
}

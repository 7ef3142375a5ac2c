//! The query snapshot (`query.bin` in the store): every decision with what impact, dependency,
//! chain and path answers show, and the links between decisions, resolved, in a flat layout
//! that is read in place through a memory map.
//!
//! Decoding a serialized corpus of 100,000 decisions and building its graph took 130 ms, 85
//! times the process start-up; an impact or chain question touches a few hundred of them. So
//! the file is laid out for looking up, not for decoding: fixed-width node and edge tables,
//! the edges of each decision in both directions as index lists (compressed sparse rows), the
//! decisions sorted by id, path, relative path and number for binary searches (the ways a
//! decision is named on the command line), and one pool of strings. A question walks the
//! part of the graph it reaches in the map, then builds a small corpus and graph of just that
//! part, on which the ordinary [`crate::query`] functions run: their answers are the same as on
//! the whole graph (see `QueryFile::focus`).
//!
//! Layout (little-endian), each section directly after the previous one:
//!
//! | section  | size                     | content                                            |
//! |----------|--------------------------|----------------------------------------------------|
//! | header   | 48                       | magic `ADRGQS03`, generation, nodes, edges, pool and meta lengths (u64) |
//! | nodes    | nodes × 56               | id, path, rel path, slug, title (pool spans), number, root, date, status, flags, dialect |
//! | edges    | edges × 36               | from, to, written by, line, kind, both sides, label, qualifier |
//! | out, in  | 2 × ((nodes + 1) + edges) × 4 | per decision, the edges leaving / entering it, in graph order |
//! | ids, paths, rels, numbers | 4 × nodes × 4 | decision indexes sorted by (id, index), (path, index), (relative path, index), (has a number, number, index) |
//! | pool     | pool length              | UTF-8 strings                                      |
//! | meta     | meta length              | postcard: roots, absolute roots, files seen, diagnostics, skipped files; then the graph's link warnings |
//!
//! Every read is bounds-checked: a damaged file reads as absent, and the caller rebuilds it.

use crate::graph::{DecisionGraph, Edge, EdgeKind};
use crate::ingest::{Corpus, Skipped};
use crate::model::{Adr, Date, DecisionIndex, Diagnostic, Status};
use chrono::Datelike;
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// The layout's mark: `03` since the nodes hold the dialect and the meta section the link
/// warnings (`02` added the skipped files; an older file reads as absent and is written again).
const MAGIC: &[u8; 8] = b"ADRGQS03";
const HEADER: usize = 48;
/// Bytes per checked page of a snapshot (small in unit tests, so that the sample tree's
/// snapshot has many pages and damage to one of them is found while the others answer).
const PAGE: usize = if cfg!(test) { 512 } else { 64 * 1024 };
/// The mark after a snapshot's page table.
const PAGE_MARK: &[u8; 8] = b"ADRPAGES";
const NODE: usize = 56;
const EDGE: usize = 36;
/// Where in an edge record the decision that wrote it is.
const EDGE_WRITER: usize = 8;
/// Span length that stands for `None`.
const NONE: u32 = u32::MAX;

/// The little-endian word at `at` of a record read whole (`at + 4` within it).
fn word(rec: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([rec[at], rec[at + 1], rec[at + 2], rec[at + 3]])
}

/// What is decoded whole: small next to the tables.
#[derive(Serialize, Deserialize)]
struct Meta {
    roots: Vec<String>,
    abs_roots: Vec<PathBuf>,
    files_seen: usize,
    diagnostics: Vec<Diagnostic>,
    /// The files the walk did not read as decisions, so that a view of the snapshot says what
    /// the tree's other views say of them (`list` counts them).
    skipped: Vec<Skipped>,
}

impl Meta {
    /// The corpus of `adrs` (with their root indexes) under this snapshot's roots.
    fn corpus(self, adrs: Vec<Adr>, adr_roots: Vec<usize>) -> Corpus {
        Corpus {
            roots: self.roots,
            abs_roots: self.abs_roots,
            files_seen: self.files_seen,
            adrs,
            adr_roots,
            diagnostics: self.diagnostics,
            skipped: self.skipped,
        }
    }
}

/// Which walk a focused question makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// What depends on the decision (edges followed against their direction), up to a depth.
    Impact(Option<usize>),
    /// What the decision rests on (edges followed along their direction), up to a depth.
    Deps(Option<usize>),
    /// The decision's supersession chain.
    Chain,
    /// The decision and the decisions one link away in either direction: every edge of its
    /// own (what `show` lists), with the decisions that wrote them.
    Neighbours,
}

struct Pool {
    bytes: Vec<u8>,
}

impl Pool {
    fn span(&mut self, s: Option<&str>) -> Option<[u8; 8]> {
        let mut out = [0u8; 8];
        match s {
            None => out[4..].copy_from_slice(&NONE.to_le_bytes()),
            Some(s) => {
                let off = u32::try_from(self.bytes.len()).ok()?;
                let len = u32::try_from(s.len()).ok().filter(|&l| l != NONE)?;
                self.bytes.extend_from_slice(s.as_bytes());
                out[..4].copy_from_slice(&off.to_le_bytes());
                out[4..].copy_from_slice(&len.to_le_bytes());
            }
        }
        Some(out)
    }
}

fn kind_code(k: EdgeKind) -> u8 {
    EdgeKind::ALL.iter().position(|&x| x == k).unwrap_or(0) as u8
}

fn dialect_code(d: crate::model::Dialect) -> u8 {
    crate::model::Dialect::ALL.iter().position(|&x| x == d).unwrap_or(crate::model::Dialect::ALL.len() - 1)
        as u8
}

fn status_code(s: Status) -> u8 {
    Status::ALL.iter().position(|&x| x == s).unwrap_or(Status::ALL.len() - 1) as u8
}

/// Encode the snapshot of `corpus`, its decision `edges` (in graph edge order) and the graph's
/// link warnings (`links`, as [`DecisionGraph::diagnostics`] gives them). `None` when it does
/// not fit the layout (over 4 GiB of strings).
pub(crate) fn encode(
    generation: u64,
    corpus: &Corpus,
    edges: &[(DecisionIndex, DecisionIndex, Edge)],
    links: &[Diagnostic],
) -> Option<Vec<u8>> {
    let n = corpus.adrs.len();
    let m = edges.len();
    let n32 = u32::try_from(n).ok()?;
    let mut pool = Pool { bytes: Vec::new() };
    let mut nodes = Vec::with_capacity(n * NODE);
    for (i, a) in corpus.adrs.iter().enumerate() {
        for s in [Some(a.id.as_str()), Some(&a.path), Some(&a.rel_path), Some(&a.slug), a.title.as_deref()] {
            nodes.extend_from_slice(&pool.span(s)?);
        }
        nodes.extend_from_slice(&a.number.unwrap_or(0).to_le_bytes());
        let root = corpus.adr_roots.get(i).copied().unwrap_or(0);
        nodes.extend_from_slice(&u32::try_from(root).ok()?.to_le_bytes());
        nodes.extend_from_slice(&a.date.map(|d| d.num_days_from_ce()).unwrap_or(0).to_le_bytes());
        nodes.push(status_code(a.status));
        nodes.push(u8::from(a.number.is_some()) | (u8::from(a.date.is_some()) << 1));
        nodes.extend_from_slice(&[dialect_code(a.dialect), 0]);
    }
    let mut table = Vec::with_capacity(m * EDGE);
    let mut out_lists: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut in_lists: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (k, (a, b, e)) in edges.iter().enumerate() {
        let (a, b, by) = (a.get(), b.get(), e.written_by.get());
        if a >= n || b >= n || by >= n {
            return None;
        }
        let k = u32::try_from(k).ok()?;
        out_lists[a].push(k);
        in_lists[b].push(k);
        for v in [a, b, by] {
            table.extend_from_slice(&(v as u32).to_le_bytes());
        }
        table.extend_from_slice(&e.line.to_le_bytes());
        table.push(kind_code(e.kind));
        table.push(u8::from(e.both_sides));
        table.extend_from_slice(&[0, 0]);
        table.extend_from_slice(&pool.span(e.label.as_deref())?);
        table.extend_from_slice(&pool.span(e.qualifier.as_deref())?);
    }
    let csr = |lists: &[Vec<u32>]| -> Vec<u8> {
        let mut idx = Vec::with_capacity((n + 1 + m) * 4);
        let mut at = 0u32;
        idx.extend_from_slice(&at.to_le_bytes());
        for l in lists {
            at += l.len() as u32;
            idx.extend_from_slice(&at.to_le_bytes());
        }
        for l in lists {
            for k in l {
                idx.extend_from_slice(&k.to_le_bytes());
            }
        }
        idx
    };
    let sorted = |key: &dyn Fn(&Adr) -> (Option<u32>, &str)| -> Vec<u32> {
        let mut v: Vec<u32> = (0..n32).collect();
        v.sort_by(|&x, &y| (key(&corpus.adrs[x as usize]), x).cmp(&(key(&corpus.adrs[y as usize]), y)));
        v
    };
    let tables = [
        sorted(&|a| (None, a.id.as_str())),
        sorted(&|a| (None, a.path.as_str())),
        sorted(&|a| (None, a.rel_path.as_str())),
        sorted(&|a| (a.number, "")),
    ];
    let mut meta = postcard::to_allocvec(&Meta {
        roots: corpus.roots.clone(),
        abs_roots: corpus.abs_roots.clone(),
        files_seen: corpus.files_seen,
        diagnostics: corpus.diagnostics.clone(),
        skipped: corpus.skipped.clone(),
    })
    .ok()?;
    // The link warnings after the meta, decoded only by what shows them (`show`).
    meta.extend_from_slice(&postcard::to_allocvec(links).ok()?);
    let mut out = Vec::with_capacity(HEADER + nodes.len() + table.len() + pool.bytes.len() + meta.len());
    out.extend_from_slice(MAGIC);
    for v in [generation, n as u64, m as u64, pool.bytes.len() as u64, meta.len() as u64] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&nodes);
    out.extend_from_slice(&table);
    out.extend_from_slice(&csr(&out_lists));
    out.extend_from_slice(&csr(&in_lists));
    for i in tables.iter().flatten() {
        out.extend_from_slice(&i.to_le_bytes());
    }
    out.extend_from_slice(&pool.bytes);
    out.extend_from_slice(&meta);
    // The page table: the xxh3 digest of each page, then the number of pages and a mark. A
    // focused question reads a few pages; each is checked the first time it is read.
    let pages = out.len().div_ceil(PAGE);
    let digests: Vec<u64> = out.chunks(PAGE).map(xxhash_rust::xxh3::xxh3_64).collect();
    for d in digests {
        out.extend_from_slice(&d.to_le_bytes());
    }
    out.extend_from_slice(&(pages as u64).to_le_bytes());
    out.extend_from_slice(PAGE_MARK);
    Some(out)
}

/// The bytes of a snapshot: mapped from the file, or owned (a file system without maps).
enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

/// A query snapshot opened for reading.
pub(crate) struct QueryFile {
    bytes: Bytes,
    generation: u64,
    n: usize,
    m: usize,
    nodes: usize,
    edges: usize,
    out_csr: usize,
    in_csr: usize,
    ids: usize,
    pool: usize,
    meta: usize,
    /// End of the body (where the page table starts).
    body: usize,
    /// Per page: 0 not checked yet, 1 sound, 2 damaged.
    checked: Vec<std::sync::atomic::AtomicU8>,
}

impl QueryFile {
    /// Open `path`; `None` when it is missing, of another layout, or not of a consistent size.
    pub(crate) fn open(path: &Path) -> Option<QueryFile> {
        let mut file = std::fs::File::open(path).ok()?;
        // The sizes the header promises, checked against the file's length before mapping: a
        // file shorter than its header says is never mapped (touching a mapped page past the
        // end of a file is SIGBUS). The store never shortens a file in place (it renames new
        // ones over old), so the length cannot change under the map but by hand.
        {
            use std::io::Read;
            let mut head = [0u8; HEADER];
            file.read_exact(&mut head).ok()?;
            let len = file.metadata().ok()?.len();
            let word =
                |k: usize| u64::from_le_bytes(head[8 + 8 * k..16 + 8 * k].try_into().unwrap_or([0; 8]));
            let (n, m, pool, meta) = (word(1), word(2), word(3), word(4));
            let body = (HEADER as u64)
                .checked_add(n.checked_mul(NODE as u64)?)?
                .checked_add(m.checked_mul(EDGE as u64)?)?
                .checked_add(n.checked_add(1)?.checked_add(m)?.checked_mul(8)?)?
                .checked_add(n.checked_mul(16)?)?
                .checked_add(pool)?
                .checked_add(meta)?;
            let pages = body.div_ceil(PAGE as u64);
            if &head[..8] != MAGIC || body.checked_add(pages * 8 + 16 + 8)? != len {
                return None;
            }
        }
        // SAFETY: the store replaces its files by renaming new ones into place and never writes
        // into an existing one, so the mapped file does not change under the map. A file
        // truncated by something else would fail the size check below or a bounds check.
        let bytes = match unsafe { memmap2::Mmap::map(&file) } {
            Ok(m) => Bytes::Mapped(m),
            Err(_) => Bytes::Owned(std::fs::read(path).ok()?),
        };
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return None;
        }
        let word = |k: usize| u64::from_le_bytes(bytes[8 + 8 * k..16 + 8 * k].try_into().unwrap_or([0; 8]));
        let generation = word(0);
        let n = usize::try_from(word(1)).ok()?;
        let m = usize::try_from(word(2)).ok()?;
        let pool_len = usize::try_from(word(3)).ok()?;
        let meta_len = usize::try_from(word(4)).ok()?;
        let nodes = HEADER;
        let edges = nodes.checked_add(n.checked_mul(NODE)?)?;
        let csr_len = n.checked_add(1)?.checked_add(m)?.checked_mul(4)?;
        let out_csr = edges.checked_add(m.checked_mul(EDGE)?)?;
        let in_csr = out_csr.checked_add(csr_len)?;
        let ids = in_csr.checked_add(csr_len)?;
        let pool = ids.checked_add(n.checked_mul(16)?)?;
        let meta = pool.checked_add(pool_len)?;
        // After the body: the page table, its page count and mark, and the digest of the whole
        // file that the store appends to every file it writes (not read here: checking it would
        // read every page, where a focused question reads a few). Each page is checked against
        // its digest the first time it is read, so that zeroed or flipped bytes never become
        // empty ids or invented edges.
        let body = meta.checked_add(meta_len)?;
        let pages = body.div_ceil(PAGE);
        let tail = pages.checked_mul(8)?.checked_add(16)?;
        if body.checked_add(tail)?.checked_add(8)? != bytes.len() {
            return None;
        }
        let mark_at = body + pages * 8 + 8;
        if &bytes[mark_at..mark_at + 8] != PAGE_MARK
            || u64::from_le_bytes(bytes[mark_at - 8..mark_at].try_into().ok()?) != pages as u64
        {
            return None;
        }
        let checked = (0..pages).map(|_| std::sync::atomic::AtomicU8::new(0)).collect();
        let file = QueryFile {
            bytes,
            generation,
            n,
            m,
            nodes,
            edges,
            out_csr,
            in_csr,
            ids,
            pool,
            meta,
            body,
            checked,
        };
        // The header's page is read by every question: checked now.
        file.get(0..HEADER.min(body))?;
        Some(file)
    }

    /// The bytes `r` of the body, each page they touch checked against its digest the first
    /// time; `None` past the body or on a damaged page.
    fn get(&self, r: std::ops::Range<usize>) -> Option<&[u8]> {
        use std::sync::atomic::Ordering::Relaxed;
        if r.start > r.end || r.end > self.body {
            return None;
        }
        let last = if r.end > r.start { (r.end - 1) / PAGE } else { r.start / PAGE };
        for p in r.start / PAGE..=last.min(self.checked.len().saturating_sub(1)) {
            match self.checked[p].load(Relaxed) {
                1 => {}
                2 => return None,
                _ => {
                    let page = &self.bytes[p * PAGE..((p + 1) * PAGE).min(self.body)];
                    let at = self.body + p * 8;
                    let want = u64::from_le_bytes(self.bytes[at..at + 8].try_into().ok()?);
                    let sound = xxhash_rust::xxh3::xxh3_64(page) == want;
                    self.checked[p].store(if sound { 1 } else { 2 }, Relaxed);
                    if !sound {
                        return None;
                    }
                }
            }
        }
        self.bytes.get(r)
    }

    /// The byte at `at` of the body, checked as [`Self::get`] checks.
    fn byte(&self, at: usize) -> Option<u8> {
        self.get(at..at.checked_add(1)?).map(|b| b[0])
    }

    /// The store generation the snapshot describes.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b = self.get(at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes(b.try_into().ok()?))
    }

    fn str_at(&self, at: usize) -> Option<Option<&str>> {
        self.pooled(self.u32_at(at)?, self.u32_at(at + 4)?)
    }

    /// The text of the pool at offset `off`, `len` bytes long (`None` inside for no text).
    fn pooled(&self, off: u32, len: u32) -> Option<Option<&str>> {
        if len == NONE {
            return Some(None);
        }
        let start = self.pool.checked_add(off as usize)?;
        let end = start.checked_add(len as usize)?;
        if end > self.meta {
            return None;
        }
        std::str::from_utf8(self.get(start..end)?).ok().map(Some)
    }

    fn meta(&self) -> Option<Meta> {
        // The link warnings after it are not read.
        postcard::take_from_bytes(self.get(self.meta..self.body)?).ok().map(|(meta, _)| meta)
    }

    /// The graph's link warnings (broken, ambiguous) on the record at `path`, as
    /// [`DecisionGraph::diagnostics`] gave them when the snapshot was written.
    pub(crate) fn link_warnings(&self, path: &str) -> Option<Vec<Diagnostic>> {
        let (_, rest) = postcard::take_from_bytes::<Meta>(self.get(self.meta..self.body)?).ok()?;
        let (all, tail) = postcard::take_from_bytes::<Vec<Diagnostic>>(rest).ok()?;
        tail.is_empty().then(|| all.into_iter().filter(|d| d.path == path).collect())
    }

    /// Decision `i` as a record carrying only what the snapshot holds, and its root index.
    fn adr(&self, i: usize) -> Option<(Adr, usize)> {
        if i >= self.n {
            return None;
        }
        // The record read whole (each read checks its page: one check, not twenty).
        let at = self.nodes + i * NODE;
        let rec = self.get(at..at + NODE)?;
        let s = |k: usize| self.pooled(word(rec, 8 * k), word(rec, 8 * k + 4));
        let name = |k: usize| s(k).flatten().map(str::to_string);
        let mut a = Adr::named(name(0)?, name(1)?, name(2)?, name(3)?);
        a.title = s(4)?.map(str::to_string);
        let flags = rec[53];
        if flags & 1 != 0 {
            a.number = Some(word(rec, 40));
        }
        let root = word(rec, 44) as usize;
        if flags & 2 != 0 {
            let days = i32::from_le_bytes(word(rec, 48).to_le_bytes());
            a.date = Some(Date::from_num_days_from_ce_opt(days)?);
        }
        a.status = *Status::ALL.get(rec[52] as usize)?;
        a.dialect = *crate::model::Dialect::ALL.get(rec[54] as usize)?;
        Some((a, root))
    }

    /// Endpoints of edge `k`.
    fn ends(&self, k: usize) -> Option<(usize, usize)> {
        if k >= self.m {
            return None;
        }
        let at = self.edges + k * EDGE;
        Some((self.u32_at(at)? as usize, self.u32_at(at + 4)? as usize))
    }

    /// The decision that wrote edge `k`.
    fn writer(&self, k: usize) -> Option<usize> {
        if k >= self.m {
            return None;
        }
        Some(self.u32_at(self.edges + k * EDGE + EDGE_WRITER)? as usize)
    }

    fn edge(&self, k: usize) -> Option<(usize, usize, Edge)> {
        if k >= self.m {
            return None;
        }
        // Read whole, as records are.
        let at = self.edges + k * EDGE;
        let rec = self.get(at..at + EDGE)?;
        let text = |w: usize| self.pooled(word(rec, w), word(rec, w + 4)).map(|t| t.map(str::to_string));
        let e = Edge {
            kind: *EdgeKind::ALL.get(rec[16] as usize)?,
            label: text(20)?,
            qualifier: text(28)?,
            written_by: DecisionIndex::new(word(rec, EDGE_WRITER) as usize),
            line: word(rec, 12),
            both_sides: rec[17] != 0,
        };
        Some((word(rec, 0) as usize, word(rec, 4) as usize, e))
    }

    fn kind(&self, k: usize) -> Option<EdgeKind> {
        EdgeKind::ALL.get(self.byte(self.edges + k * EDGE + 16)? as usize).copied()
    }

    /// Indexes of the edges leaving (`Outgoing`) or entering (`Incoming`) decision `i`.
    fn adjacent(&self, i: usize, dir: Direction) -> Option<Vec<usize>> {
        let base = if dir == Direction::Outgoing { self.out_csr } else { self.in_csr };
        if i >= self.n {
            return None;
        }
        let (from, to) = (self.u32_at(base + 4 * i)? as usize, self.u32_at(base + 4 * (i + 1))? as usize);
        if from > to || to > self.m {
            return None;
        }
        let list = base + 4 * (self.n + 1);
        (from..to).map(|j| self.u32_at(list + 4 * j).map(|k| k as usize)).collect()
    }

    /// Decisions of sorted table `table` (0 id, 1 path, 2 relative path, 3 number) whose key,
    /// read by `key`, equals `want`: a binary search for the first, then the run of equals, in
    /// record order (each table is sorted by key, then record index).
    fn matching<K: Ord>(
        &self,
        table: usize,
        want: &K,
        key: impl Fn(usize) -> Option<K>,
    ) -> Option<Vec<usize>> {
        let start = self.ids + table * self.n * 4;
        let at = |k: usize| self.u32_at(start + 4 * k).map(|i| i as usize);
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if key(at(mid)?)? < *want {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut found = Vec::new();
        while lo < self.n && key(at(lo)?)? == *want {
            found.push(at(lo)?);
            lo += 1;
        }
        Some(found)
    }

    /// Decisions whose string field `field` (0 id, 1 path, 2 relative path) is exactly `want`.
    fn by_str(&self, field: usize, want: &str) -> Option<Vec<usize>> {
        self.matching(field, &want, |i| self.str_at(self.nodes + i * NODE + 8 * field).and_then(|s| s))
    }

    /// Decisions numbered `number`.
    fn by_number(&self, number: u32) -> Option<Vec<usize>> {
        self.matching(3, &Some(number), |i| {
            let node = self.nodes + i * NODE;
            let numbered = self.byte(node + 53)? & 1 != 0;
            Some(if numbered { Some(self.u32_at(node + 40)?) } else { None })
        })
    }

    /// The decision `name` names, by the one resolver of names (`names::resolve`, the rules
    /// [`Corpus::find_index`] follows) through the sorted tables. `None` whenever the answer is
    /// not a single decision reached that way (an ambiguous name, a name that is a file under
    /// `cwd`, a slug): [`Corpus::find_index`] on the whole corpus then answers, or explains the
    /// error.
    fn find(&self, name: &str, cwd: &Path) -> Option<usize> {
        match crate::names::resolve(self, name, cwd) {
            crate::names::Resolved::One(i) => Some(i),
            _ => None,
        }
    }

    /// Decisions within `depth` links of `start`, following edges in direction `dir`: the
    /// set [`crate::query::impact`] and [`crate::query::deps`] reach.
    fn reach(&self, start: usize, dir: Direction, depth: Option<usize>) -> Option<Vec<usize>> {
        // Distances by place (a hash map cost a tenth of an `impact` reaching 999 of 1,000).
        let mut dist: Vec<u32> = vec![u32::MAX; self.n];
        *dist.get_mut(start)? = 0;
        let mut set = vec![start];
        let mut queue = VecDeque::from([start]);
        while let Some(cur) = queue.pop_front() {
            let d = dist[cur];
            if depth.is_some_and(|max| d as usize >= max) {
                continue;
            }
            for k in self.adjacent(cur, dir)? {
                let (a, b) = self.ends(k)?;
                let other = if dir == Direction::Outgoing { b } else { a };
                let seen = dist.get_mut(other)?;
                if *seen == u32::MAX {
                    *seen = d + 1;
                    set.push(other);
                    queue.push_back(other);
                }
            }
        }
        set.sort_unstable();
        Some(set)
    }

    /// The supersession component of `start`: the members [`crate::query::chain`] orders.
    fn component(&self, start: usize) -> Option<Vec<usize>> {
        let mut seen: std::collections::BTreeSet<usize> = [start].into();
        let mut queue = VecDeque::from([start]);
        while let Some(cur) = queue.pop_front() {
            for dir in [Direction::Incoming, Direction::Outgoing] {
                for k in self.adjacent(cur, dir)? {
                    if self.kind(k)? != EdgeKind::Supersedes {
                        continue;
                    }
                    let (a, b) = self.ends(k)?;
                    let other = if dir == Direction::Outgoing { b } else { a };
                    if other >= self.n {
                        return None;
                    }
                    if seen.insert(other) {
                        queue.push_back(other);
                    }
                }
            }
        }
        Some(seen.into_iter().collect())
    }

    /// The corpus and graph of the decisions `set` (sorted) and the edges among them, plus the
    /// decisions that wrote those edges (for their paths), in record order; and each decision's
    /// place in the part, by its place in the file (`u32::MAX` when not in it).
    fn part(&self, set: &[usize], meta: Meta) -> Option<(Corpus, DecisionGraph, Vec<u32>)> {
        // Membership and places by place in the file: hash maps took a fifth of a part of 999
        // decisions and 8,000 links.
        let mut place = vec![u32::MAX; self.n];
        for &i in set {
            *place.get_mut(i)? = 0;
        }
        let mut edge_ids = Vec::new();
        for &i in set {
            for k in self.adjacent(i, Direction::Outgoing)? {
                if *place.get(self.ends(k)?.1)? != u32::MAX {
                    edge_ids.push(k);
                }
            }
        }
        // Graph edge order: each decision's edges then come in the same relative order as in
        // the whole graph, so walks meet them in the same order.
        edge_ids.sort_unstable();
        // The decisions that wrote those edges join the part (for their paths); the edges
        // themselves are read once the part's places are known, straight into the graph (read
        // into a vector first, then renumbered into another and copied into the graph, they
        // were three copies of 8,000 links of a rich tree's impact, each in fresh memory).
        for &k in &edge_ids {
            *place.get_mut(self.writer(k)?)? = 0;
        }
        // Records are large: each is built in place, moved once.
        let mut adrs: Vec<Adr> = Vec::with_capacity(set.len());
        let mut adr_roots = Vec::with_capacity(set.len());
        for (i, at) in place.iter_mut().enumerate() {
            if *at != u32::MAX {
                *at = adrs.len() as u32;
                let (a, root) = self.adr(i)?;
                adrs.push(a);
                adr_roots.push(root);
            }
        }
        // A place the part does not hold (a damaged file) is no part at all, never a panic.
        let new =
            |old: usize| place.get(old).filter(|&&p| p != u32::MAX).map(|&p| DecisionIndex::new(p as usize));
        let mut whole = true;
        let edges = edge_ids.iter().map_while(|&k| {
            let read = self.edge(k).and_then(|(a, b, mut e)| {
                e.written_by = new(e.written_by.get())?;
                Some((new(a)?, new(b)?, e))
            });
            whole &= read.is_some();
            read
        });
        let graph = DecisionGraph::from_decision_edges(adrs.len(), edges);
        if !whole {
            return None;
        }
        Some((meta.corpus(adrs, adr_roots), graph, place))
    }

    /// Every decision, without the links: the corpus of the whole snapshot (what a listing
    /// reads).
    pub(crate) fn decisions(&self) -> Option<Corpus> {
        let meta = self.meta()?;
        // Records are large: each is built in place, moved once.
        let mut adrs: Vec<Adr> = Vec::with_capacity(self.n);
        let mut adr_roots = Vec::with_capacity(self.n);
        for i in 0..self.n {
            let (a, root) = self.adr(i)?;
            adrs.push(a);
            adr_roots.push(root);
        }
        Some(meta.corpus(adrs, adr_roots))
    }

    /// Every decision and decision link: the corpus and graph of the whole snapshot.
    pub(crate) fn full(&self) -> Option<(Corpus, DecisionGraph)> {
        Some((self.decisions()?, self.graph()?))
    }

    /// The links between decisions alone, as a graph of decisions numbered as the store's
    /// records are (the records themselves not decoded).
    pub(crate) fn graph(&self) -> Option<DecisionGraph> {
        self.graph_of_links(|_| true)
    }

    /// The supersession links alone, as [`QueryFile::graph`] gives them without the others: what
    /// supersession chains read (a rich tree of 1,000 decisions has 8,000 links, a few dozen of
    /// them supersessions). `None` when a supersession names a decision the file does not hold.
    pub(crate) fn supersession_graph(&self) -> Option<DecisionGraph> {
        self.graph_of_links(|kind| kind == EdgeKind::Supersedes)
    }

    /// The links of the kinds `keep` keeps, as a graph of decisions; `None` when one of them
    /// names a decision the file does not hold. The edge table is in graph edge order: the
    /// links kept are met in the order the whole graph has them.
    fn graph_of_links(&self, keep: impl Fn(EdgeKind) -> bool) -> Option<DecisionGraph> {
        let mut edges = Vec::new();
        for k in 0..self.m {
            if !keep(self.kind(k)?) {
                continue;
            }
            let (a, b, e) = self.edge(k)?;
            if a >= self.n || b >= self.n || e.written_by.get() >= self.n {
                return None;
            }
            edges.push((DecisionIndex::new(a), DecisionIndex::new(b), e));
        }
        Some(DecisionGraph::from_decision_edges(self.n, edges))
    }

    /// For the decision `name` names (see [`QueryFile::find`]; relative paths from `cwd`): the
    /// part of the corpus and graph that `focus` reaches, and the decision's index in that part. Impact, deps and chain answer
    /// the same on it as on the whole graph: every edge a walk follows joins two decisions of
    /// the part, and the part keeps the whole graph's edge order, so the walk meets the same
    /// decisions through the same edges in the same order. `None` when `name` is not found that
    /// way, or when the file is damaged.
    pub(crate) fn focus(
        &self,
        name: &str,
        cwd: &Path,
        focus: Focus,
    ) -> Option<(Corpus, DecisionGraph, DecisionIndex)> {
        self.focus_on(self.find(name, cwd)?, focus)
    }

    /// Like [`QueryFile::focus`], for decision `start` (its place in the store's records).
    pub(crate) fn focus_on(
        &self,
        start: usize,
        focus: Focus,
    ) -> Option<(Corpus, DecisionGraph, DecisionIndex)> {
        let set = match focus {
            Focus::Impact(depth) => self.reach(start, Direction::Incoming, depth)?,
            Focus::Deps(depth) => self.reach(start, Direction::Outgoing, depth)?,
            Focus::Chain => self.component(start)?,
            Focus::Neighbours => {
                let mut set = self.reach(start, Direction::Incoming, Some(1))?;
                set.extend(self.reach(start, Direction::Outgoing, Some(1))?);
                set.sort_unstable();
                set.dedup();
                set
            }
        };
        let (corpus, graph, place) = self.part(&set, self.meta()?)?;
        let at = *place.get(start).filter(|&&p| p != u32::MAX)? as usize;
        Some((corpus, graph, DecisionIndex::new(at)))
    }
}

/// The query snapshot answers the resolver's id, path and number rules through its sorted
/// tables; it keeps no slugs and does not look at the file system.
impl crate::names::NameTable for QueryFile {
    fn with_id(&self, id: &str) -> Option<Option<usize>> {
        Some(self.by_str(0, id)?.first().copied())
    }

    fn with_path(&self, path: &str) -> Option<Vec<usize>> {
        let mut found = self.by_str(1, path)?;
        found.extend(self.by_str(2, path)?);
        found.sort_unstable();
        found.dedup();
        Some(found)
    }

    fn at_file(&self, _abs: &Path) -> Option<Vec<usize>> {
        None
    }

    fn numbered(&self, n: u32, folder: Option<&str>) -> Option<Vec<usize>> {
        let mut found = Vec::new();
        for i in self.by_number(n)? {
            let (a, _) = self.adr(i)?;
            if folder.is_none_or(|f| a.in_folder(f)) {
                found.push(i);
            }
        }
        Some(found)
    }

    fn with_slug(&self, _slug: &str) -> Option<Vec<usize>> {
        None
    }

    fn with_slug_part(&self, _part: &str, _folder: Option<&str>) -> Option<Vec<usize>> {
        None
    }
}

#[cfg(test)]
mod tests;

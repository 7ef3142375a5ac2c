//! What the records name, and how a file of code is named: the records' file names, numbers
//! and links to code ([`Prepared`]), the markers a file's lines carry ([`markers`]), the paths,
//! folders and module names a file can be named by ([`Probe`], [`Needed`]), and which records'
//! texts name them ([`Named`], [`mention`]).

use crate::ingest::Corpus;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Module names too common to say anything (`src/lib.rs` is not "about" a decision that says lib).
const GENERIC: &[&str] = &[
    "mod", "lib", "main", "index", "init", "__init__", "utils", "util", "common", "test", "tests", "types",
    "readme", "config", "src",
];

/// Whether a link's target names a markdown file (`.md`, any case): another record, not code.
pub(super) fn ends_with_md(target: &str) -> bool {
    let b = target.as_bytes();
    b.len() >= 3 && b[b.len() - 3..].eq_ignore_ascii_case(b".md")
}

/// What answering any file needs from the records alone: their file names, numbers and links
/// to code. [`Governor`](super::Governor) works it out for each question; a server that asks many keeps it
/// ([`Governor::for_files_among`](super::Governor::for_files_among)) while the records are the same.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(super) names: RecordNames,
    pub(super) by_number: HashMap<u32, Vec<usize>>,
    /// The files and folders each record links to, from the repository's top.
    pub(super) targets: Vec<Vec<String>>,
    /// Each decision's standing worked out so far (whether it is in force, and the decisions
    /// in force of its chain), shared by every answer from these records.
    pub(super) standing: std::sync::Arc<std::sync::Mutex<HashMap<usize, InForce>>>,
}

impl Prepared {
    /// What `corpus` gives, its links to code read from the repository's top `top` (as
    /// [`GovernsOptions::top`](super::GovernsOptions::top)).
    pub fn of(corpus: &Corpus, top: Option<&std::path::Path>) -> Prepared {
        Prepared::for_needed(corpus, top, None)
    }

    /// [`Prepared::of`], its links to code only those to the files `needed` asks about (all
    /// without it): for one question, not to be kept.
    pub(super) fn for_needed(
        corpus: &Corpus,
        top: Option<&std::path::Path>,
        needed: Option<&Needed>,
    ) -> Prepared {
        let mut by_number: HashMap<u32, Vec<usize>> = Default::default();
        for (i, a) in corpus.adrs.iter().enumerate() {
            if let Some(n) = a.number {
                by_number.entry(n).or_default().push(i);
            }
        }
        Prepared {
            names: record_names(corpus),
            by_number,
            targets: code_targets(corpus, top, needed),
            standing: Default::default(),
        }
    }
}

/// A decision's standing: whether it is in force (wholly or in part), and the decisions in force
/// of its supersession chain (its successors, when it is not).
pub(super) type InForce = (bool, Vec<usize>);

/// Each record's file name (long enough to mean something) with its records: what a marker
/// naming a record by file looks for.
#[derive(Debug, Clone)]
pub(super) struct RecordNames {
    pub(super) by_name: HashMap<String, Vec<usize>>,
    /// The extensions the names end with (`md`, `markdown`), and the longest name, in bytes.
    pub(super) extensions: Vec<String>,
    pub(super) longest: usize,
}

pub(super) fn record_names(corpus: &Corpus) -> RecordNames {
    let mut names = RecordNames { by_name: HashMap::new(), extensions: Vec::new(), longest: 0 };
    for (i, a) in corpus.adrs.iter().enumerate() {
        let Some(n) = a.rel_path.rsplit('/').next().filter(|n| n.len() > 6) else { continue };
        names.by_name.entry(n.to_string()).or_default().push(i);
        names.longest = names.longest.max(n.len());
        if let Some((_, ext)) = n.rsplit_once('.') {
            if !names.extensions.iter().any(|e| e == ext) {
                names.extensions.push(ext.to_string());
            }
        }
    }
    names
}

impl RecordNames {
    /// Every record whose file name is in `line`, with that name: each name ends with an
    /// extension, so only the text before each extension written is looked up.
    pub(super) fn in_line<'l>(&self, line: &'l str, mut found: impl FnMut(&'l str, usize)) {
        for ext in &self.extensions {
            let dotted = format!(".{ext}");
            for (at, _) in line.match_indices(dotted.as_str()) {
                let end = at + dotted.len();
                let from = end.saturating_sub(self.longest);
                for start in (from..at).filter(|&k| line.is_char_boundary(k)) {
                    for &i in self.by_name.get(&line[start..end]).map(Vec::as_slice).unwrap_or_default() {
                        found(&line[start..end], i);
                    }
                }
            }
        }
    }
}

/// The decisions the file's lines name: `ADR-0012`, `ADR 12`, `adr: 12`, `@adr 12`, or a
/// record's file name; `(record, line, the text matched)`. A number inside a file name that
/// names a record (`ADR-012-use-kafka.md`) is not read as a marker of its own: the name says
/// which record, where the number alone would name every folder's twelfth.
pub(super) fn markers(
    by_number: &std::collections::HashMap<u32, Vec<usize>>,
    files: &RecordNames,
    text: &str,
) -> Vec<(usize, u32, String)> {
    const MAX_LINES: u32 = 100_000;
    let mut out = Vec::new();
    // Where records' file names are written (byte ranges of `text`, in order). Every record's
    // file name ends in `.md` (or `.markdown`): most lines name none.
    let mut names: Vec<(usize, usize)> = Vec::new();
    if text.contains(".m") {
        for (k, line) in text.lines().enumerate().take(MAX_LINES as usize) {
            if line.contains(".m") {
                files.in_line(line, |name, i| {
                    let start = name.as_ptr() as usize - text.as_ptr() as usize;
                    names.push((start, start + name.len()));
                    out.push((i, k as u32 + 1, name.to_string()));
                });
            }
        }
    }
    let in_a_name = |a: usize, b: usize| names.iter().any(|&(s, e)| s <= a && b <= e);
    // Every marker holds `adr` in some case, and a text without it is not given to the pattern:
    // compiling it (once a process) was a tenth of a `governs` of one file of code.
    if mentions_adr(text.as_bytes()) {
        // One pass over the whole text (no marker spans lines), lines counted as it goes.
        let (mut line, mut counted) = (1u32, 0usize);
        for c in marker_pattern().captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            line += text.as_bytes()[counted..m.start()].iter().filter(|&&b| b == b'\n').count() as u32;
            counted = m.start();
            if line > MAX_LINES {
                break;
            }
            if in_a_name(m.start(), m.end()) {
                continue;
            }
            let Ok(number) = c[1].parse::<u32>() else { continue };
            for &i in by_number.get(&number).map(Vec::as_slice).unwrap_or_default() {
                out.push((i, line, c[0].trim().to_string()));
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    out
}

/// The pattern of a marker naming a decision by number (compiled once a process).
fn marker_pattern() -> &'static regex::Regex {
    static MARK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    MARK.get_or_init(|| {
        regex::Regex::new(r"(?i)(?:\badr[-_ ]?|@adr[ \t]+|\badr:[ \t]*|\badr[ \t]+#?)0*(\d{1,6})\b")
            .expect("the marker pattern")
    })
}

/// Whether `text` holds `adr` in any case: what every match of [`marker_pattern`] holds (its
/// case-insensitive `a`, `d` and `r` match no other character: a test checks every one).
pub(super) fn mentions_adr(text: &[u8]) -> bool {
    memchr::memchr2_iter(b'a', b'A', text)
        .any(|i| text.get(i + 1..i + 3).is_some_and(|w| w.eq_ignore_ascii_case(b"dr")))
}

/// What a decision's text is searched for, for one file: its path, and that path as written
/// from a package's root (its last parts, three or more: `lib/src/store/x.js`); its folders of
/// two parts or more (`src/billing`) and their last parts (three or more); and its module name
/// when that says something (a folder's `index.js`, `mod.rs` or `__init__.py` is the folder's).
pub(super) struct Probe<'a> {
    pub(super) rel: &'a str,
    pub(super) paths: Vec<&'a str>,
    pub(super) folders: Vec<&'a str>,
    pub(super) module: Option<String>,
}

/// What the records' texts name: each path with the records naming it, and each word of prose
/// with the records using it (lower case), records in order.
#[derive(Debug, Clone, Default)]
pub(super) struct Named {
    pub(super) paths: HashMap<String, Vec<usize>>,
    pub(super) prose: HashMap<String, Vec<usize>>,
}

/// The keys a [`Named`] is built for: the paths, folders and module names of the files to be
/// answered (module names lower case), and the lengths of those names.
#[derive(Default)]
pub(super) struct Needed {
    pub(super) paths: HashSet<String>,
    pub(super) modules: HashSet<String>,
    pub(super) module_lengths: HashSet<usize>,
    /// Each file and each of its folders from the top (`src`, `src/billing`), and `""`: what a
    /// declared glob is filed under and a link can point at.
    pub(super) within: HashSet<String>,
    /// The files asked about.
    pub(super) files: Vec<String>,
    /// Whether every path and module name above is ASCII: only then can a text be searched for
    /// them with ASCII case folded ([`Needed::finder`]).
    pub(super) ascii: bool,
}

/// The names a record's text could give the files `rels` (paths from the repository's top) by:
/// their paths written from the top or from a package's root, their folders and their module
/// names, sorted; `None` when one is not ASCII. A record whose title and texts hold none of
/// them gives no mention reason for these files.
pub fn names_to_find<'r>(rels: impl IntoIterator<Item = &'r str>) -> Option<Vec<String>> {
    let n = Needed::of(rels);
    if !n.ascii {
        return None;
    }
    let mut names: Vec<String> = n.paths.iter().chain(&n.modules).cloned().collect();
    names.sort();
    Some(names)
}

/// The longest path or word (in bytes) a full-text index keeps for `governs` ([`kept_names`]):
/// a file named by a longer one is answered by reading the texts.
pub const LONGEST_KEPT: usize = 256;

/// Whether an index of [`kept_names`] holds every record naming the path or folder `p` in its
/// texts: a name with a `/` or a `.` (a file at the top without an extension is named by a
/// plain word, which the index does not keep as a path).
fn kept_path(p: &str) -> bool {
    p.len() <= LONGEST_KEPT && (p.contains('/') || p.contains('.'))
}

/// Whether an index of [`kept_names`] holds every record whose prose names the module `m`
/// (lower case).
fn kept_module(m: &str) -> bool {
    (4..=LONGEST_KEPT).contains(&m.len())
}

/// What a full-text index keeps of record `a` so that `governs` need not read its texts: the
/// paths its sections and title name (runs of letters, digits, `-`, `_`, `.` and `/`, without
/// the dots and slashes that end them, and each from after each of its `/`) that hold a `/` or
/// a `.`, and the words of its sections' prose (not part of a path) in lower case, four bytes
/// long or more, each once.
/// For every file whose names [`names_to_look_up`] gives, the records naming one of them are
/// exactly those reading the texts finds.
pub fn kept_names(a: &crate::Adr) -> (Vec<&str>, Vec<String>) {
    type Set<'t> = std::collections::HashSet<&'t str, foldhash::fast::RandomState>;
    let (mut paths, mut words) = (Set::default(), Set::default());
    let texts =
        a.sections.iter().map(|x| (x.text.as_str(), true)).chain(a.title.as_deref().map(|t| (t, false)));
    for (text, in_prose) in texts {
        if text.is_ascii() {
            kept_in_ascii(text, &mut paths, in_prose.then_some(&mut words));
            continue;
        }
        paths.extend(path_names(text).filter(|p| kept_path(p)));
        if in_prose {
            // An ASCII word keeps its length in lower case: one too short or too long is left
            // out before it is lowered.
            words.extend(prose_words(text).filter(|w| !w.is_ascii() || kept_module(w)));
        }
    }
    let mut paths: Vec<&str> = paths.into_iter().collect();
    let mut prose: Vec<String> = words
        .into_iter()
        .map(|w| match w.bytes().any(|b| !b.is_ascii_lowercase() && !b.is_ascii_digit() && b != b'_') {
            true => w.to_lowercase(),
            false => w.to_string(),
        })
        .filter(|w| kept_module(w))
        .collect();
    paths.sort_unstable();
    prose.sort_unstable();
    prose.dedup();
    (paths, prose)
}

/// [`path_names`] that [`kept_path`] keeps and (with `words`) the [`prose_words`] of kept
/// lengths, of an ASCII text, in one pass over its bytes (the two read character by character
/// took a sixth of a cold index of 10,000 long records).
fn kept_in_ascii<'t, S: std::hash::BuildHasher>(
    text: &'t str,
    paths: &mut std::collections::HashSet<&'t str, S>,
    mut words: Option<&mut std::collections::HashSet<&'t str, S>>,
) {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let path = |c: u8| word(c) || matches!(c, b'-' | b'.' | b'/');
    let mut k = 0;
    while k < b.len() {
        if !path(b[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < b.len() && path(b[k]) {
            k += 1;
        }
        let run = &text[start..k];
        // Names: only a run with a `/` or a `.` gives one that is kept.
        if run.bytes().any(|c| c == b'/' || c == b'.') {
            let whole = run.trim_end_matches(['.', '/']);
            if !whole.is_empty() {
                let tails = whole.match_indices('/').map(|(j, _)| &whole[j + 1..]);
                paths.extend(std::iter::once(whole).chain(tails).filter(|p| !p.is_empty() && kept_path(p)));
            }
        }
        let Some(words) = words.as_deref_mut() else { continue };
        // Words: runs of word characters inside the run, not part of a path.
        let mut w = start;
        while w < k {
            if !word(b[w]) {
                w += 1;
                continue;
            }
            let from = w;
            while w < k && word(b[w]) {
                w += 1;
            }
            let before = from.checked_sub(1).map(|j| b[j]);
            let (next, after) = (b.get(w).copied(), b.get(w + 1).copied());
            let in_path = matches!(before, Some(b'/' | b'.' | b'\\'))
                || next == Some(b'/')
                || (next == Some(b'.') && after.is_some_and(word));
            if !in_path && kept_module(&text[from..w]) {
                words.insert(&text[from..w]);
            }
        }
    }
}

/// The paths and folders (as written) and the module names (lower case) a record's text
/// could name the files `rels` by, each sorted, when an index of [`kept_names`] holds every
/// one of them; `None` when one is not kept (then the texts are read).
pub fn names_to_look_up<'r>(rels: impl IntoIterator<Item = &'r str>) -> Option<(Vec<String>, Vec<String>)> {
    let n = Needed::of(rels);
    if !n.paths.iter().all(|p| kept_path(p)) || !n.modules.iter().all(|m| kept_module(m)) {
        return None;
    }
    let mut paths: Vec<String> = n.paths.into_iter().collect();
    let mut modules: Vec<String> = n.modules.into_iter().collect();
    paths.sort();
    modules.sort();
    Some((paths, modules))
}

/// Which records' texts name each path and module (lower case) asked about, as an index of
/// [`kept_names`] tells: what [`Governor::for_files_mentioned`](super::Governor::for_files_mentioned)
/// answers from instead of reading the texts.
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    named: Named,
}

impl Mentions {
    /// Record `i` (its place in the corpus) names the path or folder `path` in its texts.
    pub fn path(&mut self, path: &str, i: usize) {
        self.named.paths.entry(path.to_string()).or_default().push(i);
    }

    /// Record `i`'s prose names the module `module` (lower case).
    pub fn module(&mut self, module: &str, i: usize) {
        self.named.prose.entry(module.to_string()).or_default().push(i);
    }

    /// What it holds, each name's records in order, each once.
    pub(super) fn into_named(mut self) -> Named {
        for records in self.named.paths.values_mut().chain(self.named.prose.values_mut()) {
            records.sort_unstable();
            records.dedup();
        }
        self.named
    }
}

impl Needed {
    /// What answering the files `rels` (from the repository's top) needs.
    pub(super) fn of<'r>(rels: impl IntoIterator<Item = &'r str>) -> Needed {
        let mut n = Needed::default();
        n.within.insert(String::new());
        for rel in rels {
            n.files.push(rel.to_string());
            n.within.insert(rel.to_string());
            n.within.extend(rel.match_indices('/').map(|(k, _)| rel[..k].to_string()));
            let p = Probe::of(rel);
            n.paths.extend(p.paths.iter().chain(&p.folders).map(|s| s.to_string()));
            if let Some(m) = p.module {
                let m = m.to_lowercase();
                n.module_lengths.insert(m.len());
                n.modules.insert(m);
            }
        }
        n.ascii = n.paths.iter().chain(&n.modules).all(|s| s.is_ascii());
        n
    }

    /// Every path and module name, found in one pass over a text (ASCII case folded): a text
    /// with none of them names none of the files. `None` when a name is not ASCII (its case
    /// cannot be folded so), and then every text is read. For a `few` texts, an automaton
    /// quick to build (a DFA over a hundred names took longer to build than reading a few
    /// hundred texts with it saves); for every record's text, the fastest to search.
    pub(super) fn finder(&self, few: bool) -> Option<aho_corasick::AhoCorasick> {
        if !self.ascii {
            return None;
        }
        let kind = few.then_some(aho_corasick::AhoCorasickKind::ContiguousNFA);
        // A name with white space in it is never read as one (see [`path_names`]).
        let names =
            self.paths.iter().chain(&self.modules).filter(|n| !n.bytes().any(|b| b.is_ascii_whitespace()));
        aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).kind(kind).build(names).ok()
    }
}

impl Named {
    /// What every record names, or (`needed`) only the names some file asked about needs: a
    /// few files against a large tree are then answered without indexing every word of it.
    /// With `among`, only those records are read (see [`Governor::for_files_among`](super::Governor::for_files_among)).
    pub(super) fn of<'a>(
        corpus: &'a Corpus,
        needed: Option<&Needed>,
        among: Option<&BTreeSet<usize>>,
    ) -> Named {
        use rayon::prelude::*;
        let mut named = Named { paths: HashMap::new(), prose: HashMap::new() };
        let finder = needed.and_then(|n| n.finder(among.is_some()));
        let read: Vec<(usize, &crate::Adr)> = match among {
            Some(among) => among.iter().filter_map(|&i| corpus.adrs.get(i).map(|a| (i, a))).collect(),
            None => corpus.adrs.iter().enumerate().collect(),
        };
        // Each record's names on rayon's threads (3,000 long texts naming a module took 40% of
        // a `governs` of 10,000 decisions on one), gathered in record order.
        let found: Vec<(usize, NamesIn<'a>)> = read
            .par_iter()
            .with_min_len(64)
            .map(|&(i, a)| (i, names_in(a, finder.as_ref(), needed)))
            .collect();
        for (i, (paths, prose)) in found {
            for p in paths {
                named.paths.entry(p.to_string()).or_default().push(i);
            }
            for w in prose {
                named.prose.entry(w).or_default().push(i);
            }
        }
        named
    }
}

/// The paths one record's texts name and the module words of its prose (lower case).
type NamesIn<'a> = (HashSet<&'a str>, HashSet<String>);

/// What record `a` names (see [`Named::of`]): the paths in its sections and title that
/// `needed` asks about (all without it), and the module words of its sections' prose; with a
/// `finder`, an ASCII text is read only around the names found in it.
fn names_in<'a>(
    a: &'a crate::Adr,
    finder: Option<&aho_corasick::AhoCorasick>,
    needed: Option<&Needed>,
) -> NamesIn<'a> {
    let mut paths: HashSet<&'a str> = HashSet::new();
    let mut prose: HashSet<String> = HashSet::new();
    let texts =
        a.sections.iter().map(|x| (x.text.as_str(), true)).chain(a.title.as_deref().map(|t| (t, false)));
    for (text, in_prose) in texts {
        let mut read = |part: &'a str| {
            paths.extend(path_names(part).filter(|p| needed.is_none_or(|n| n.paths.contains(*p))));
            if in_prose {
                prose.extend(modules_named(part, needed));
            }
        };
        match finder {
            // The runs of characters between two spaces that hold a name (a path or a word
            // never spans a space, and a space next to a run reads as the run's edge).
            Some(f) if text.is_ascii() => {
                let mut done = 0;
                for m in f.find_iter(text) {
                    if m.start() < done {
                        continue;
                    }
                    let (start, end) = run_around(text, m.start(), m.end());
                    read(&text[start..end]);
                    done = end;
                }
            }
            Some(f) if !f.is_match(text) => {}
            _ => read(text),
        }
    }
    (paths, prose)
}

/// The words of `text`'s prose (lower case) that are module names asked about (any word
/// without `needed`).
fn modules_named<'t>(text: &'t str, needed: Option<&'t Needed>) -> impl Iterator<Item = String> + 't {
    prose_words(text).filter_map(move |w| {
        // A word of another length than every module asked about is not lowered.
        if w.is_ascii() && needed.is_some_and(|n| !n.module_lengths.contains(&w.len())) {
            return None;
        }
        let w = w.to_lowercase();
        needed.is_none_or(|n| n.modules.contains(&w)).then_some(w)
    })
}

/// The run of `text` between ASCII white space around the bytes `start..end` (which hold none).
fn run_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let from = b[..start].iter().rposition(u8::is_ascii_whitespace).map_or(0, |k| k + 1);
    let to = b[end..].iter().position(u8::is_ascii_whitespace).map_or(b.len(), |k| end + k);
    (from, to)
}

/// The paths (and names) a text names whole: runs of letters, digits, `-`, `_`, `.` and `/`,
/// without the dots and slashes that end them (`src/m1/` and `src/m1/**` name `src/m1`), each
/// also from after each of its `/` (a path written from a package's root, or after `./`). So
/// `src/m1` is not named by `src/m10`, `x.rs` not by `x.rsx`, and `src/m1/a.rs` names that
/// file, not every file of `src/m1`.
pub(super) fn path_names(text: &str) -> impl Iterator<Item = &str> {
    let path_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/');
    text.split(move |c: char| !path_char(c))
        .map(|t| t.trim_end_matches(['.', '/']))
        .filter(|t| !t.is_empty())
        .flat_map(|t| std::iter::once(t).chain(t.match_indices('/').map(move |(j, _)| &t[j + 1..])))
        .filter(|t| !t.is_empty())
}

/// The words of a text's prose (as written; compared lower case): runs of letters, digits and `_` that are not a part
/// of a path (not after a `/`, `.` or `\\`, not before a `/` or an extension). A module is named
/// in prose (`the SubjectViewer module`); `src/other/file3.rs` names a file, not every module
/// called `file3`.
pub(super) fn prose_words(text: &str) -> impl Iterator<Item = &str> + '_ {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(move |c: char| !word(c))
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .scan(0usize, move |start, end| {
            let run = (*start, end);
            *start = end + text[end..].chars().next().map_or(0, char::len_utf8);
            Some(run)
        })
        .filter(move |&(a, b)| {
            if a == b {
                return false;
            }
            let before = text[..a].chars().next_back();
            let mut after = text[b..].chars();
            let next = after.next();
            let in_path = matches!(before, Some('/' | '.' | '\\'))
                || next == Some('/')
                || (next == Some('.') && after.next().is_some_and(word));
            !in_path
        })
        .map(move |(a, b)| &text[a..b])
}

/// `path` and its tails of at least `parts` parts, longest first.
pub(super) fn tails(path: &str, parts: usize) -> impl Iterator<Item = &str> {
    let n = path.split('/').count();
    std::iter::once(path)
        .chain(path.match_indices('/').map(move |(i, _)| &path[i + 1..]).take(n.saturating_sub(parts)))
}

impl<'a> Probe<'a> {
    pub(super) fn of(rel: &'a str) -> Probe<'a> {
        let mut folders: Vec<&str> = Vec::new();
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if parent.contains('/') {
                for t in tails(parent, 3) {
                    if t.contains('/') && !folders.contains(&t) {
                        folders.push(t);
                    }
                }
            }
            dir = parent;
        }
        let paths: Vec<&str> = tails(rel, 3).collect();
        let mut parts = rel.rsplit('/');
        let file = parts.next().unwrap_or(rel);
        let mut stem = file.split('.').next().unwrap_or(file);
        if matches!(stem, "index" | "mod" | "__init__" | "init" | "main") {
            stem = parts.next().unwrap_or(stem);
        }
        let module =
            (stem.len() >= 4 && !GENERIC.contains(&stem.to_lowercase().as_str())).then(|| stem.to_string());
        Probe { rel, paths, folders, module }
    }
}

/// Each target of [`code_targets`] with the records linking to it, in order.
pub(super) fn linked_by(targets: impl Iterator<Item = Vec<String>>) -> HashMap<String, Vec<usize>> {
    let mut out: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, ts) in targets.enumerate() {
        for t in ts {
            out.entry(t).or_default().push(i);
        }
    }
    out
}

/// The links of record `a` that may lead to code, as written: its links to code, then the
/// targets of its other links that are not records (`.md`). What `governs` resolves into the
/// files and folders a record links to; a record whose `code_links` hold these, and whose
/// `links` are none, is read the same.
pub fn link_targets(a: &crate::Adr) -> impl Iterator<Item = &str> {
    let relative = a.links.iter().map(|l| l.target.as_str()).filter(|t| !ends_with_md(t));
    a.code_links.iter().map(String::as_str).chain(relative)
}

/// The paths from the repository's top of the files and folders each record links to: its
/// relative links (resolved from its folder) and its repository URLs (`/blob/REF/path`).
/// With `needed`, only the targets that are one of the files asked about or a folder of one.
pub(super) fn code_targets(
    corpus: &Corpus,
    top: Option<&std::path::Path>,
    needed: Option<&Needed>,
) -> Vec<Vec<String>> {
    let ours = crate::ingest::repositories_of(&corpus.abs_roots);
    // Each root from the top, once (not once per record: a system call each).
    let roots_rel: Vec<String> = corpus
        .abs_roots
        .iter()
        .map(|r| {
            let abs = std::fs::canonicalize(r).unwrap_or_else(|_| r.clone());
            top.and_then(|t| abs.strip_prefix(t).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
                .unwrap_or_default()
        })
        .collect();
    // The last parts of the files asked about and their folders.
    let lasts: Option<HashSet<&str>> = needed
        .map(|n| n.within.iter().filter_map(|w| w.rsplit('/').next()).filter(|l| !l.is_empty()).collect());
    corpus
        .adrs
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut out: Vec<String> = Vec::new();
            let mut targets = link_targets(a).peekable();
            // Most records link to other records only: their folder is not worked out.
            if targets.peek().is_none() {
                return out;
            }
            let root_rel = corpus.adr_roots.get(i).and_then(|r| roots_rel.get(*r)).map_or("", String::as_str);
            let dir_of_record =
                || crate::graph::normalise_path(root_rel, a.rel_path.rsplit_once('/').map_or("", |(d, _)| d));
            let mut record_dir: Option<String> = None;
            for target in targets {
                let path = target.split(['#', '?']).next().unwrap_or(target).trim();
                // A target whose last part is no last part of a file asked about (or a folder
                // of one) resolves to none of them: not worked out.
                let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
                if lasts.as_ref().is_some_and(|l| !matches!(last, "" | "." | "..") && !l.contains(last)) {
                    continue;
                }
                let resolved = if path.contains("://") {
                    let repo = crate::names::repository_of_url(path);
                    if repo.is_some_and(|r| !ours.is_empty() && !ours.contains(&r)) {
                        continue;
                    }
                    let segs: Vec<&str> = path.split('/').collect();
                    match segs.iter().position(|s| *s == "blob" || *s == "tree") {
                        Some(k) if k + 2 < segs.len() => segs[k + 2..].join("/"),
                        _ => continue,
                    }
                } else if path.starts_with('/') {
                    path.trim_start_matches('/').to_string()
                } else if path.contains('/') || path.contains('.') {
                    crate::graph::normalise_path(record_dir.get_or_insert_with(dir_of_record), path)
                } else {
                    continue;
                };
                let resolved = resolved.trim_end_matches('/').to_string();
                if needed.is_some_and(|n| !n.within.contains(&resolved)) {
                    continue;
                }
                if !resolved.is_empty() && !resolved.starts_with("..") && !out.contains(&resolved) {
                    out.push(resolved);
                }
            }
            out
        })
        .collect()
}

/// The records naming each path, folder and the module of one file (from [`Named`]), and
/// linking to the file and each of its folders (the file first, then its folders, deepest
/// first).
pub(super) struct Names<'n> {
    pub(super) links: &'n [(&'n str, &'n [usize])],
    pub(super) paths: &'n [(&'n str, &'n [usize])],
    pub(super) folders: &'n [(&'n str, &'n [usize])],
    pub(super) module: Option<(&'n str, &'n [usize])>,
}

/// The strongest way decision `i` names the file: a link to it or to a folder of it (the
/// deepest), its path in its text, a folder of it, or its module name.
pub(super) fn mention(i: usize, names: &Names<'_>) -> Option<(u32, String)> {
    let by = |records: &[usize]| records.binary_search(&i).is_ok();
    if let Some((k, (target, _))) = names.links.iter().enumerate().find(|(_, (_, r))| by(r)) {
        return Some(if k == 0 {
            (70, format!("it links to `{target}`"))
        } else {
            (65, format!("it links to the folder `{target}`"))
        });
    }
    if let Some((path, _)) = names.paths.iter().find(|(_, r)| by(r)) {
        return Some((60, format!("its text names `{path}`")));
    }
    if let Some((folder, _)) = names.folders.iter().find(|(_, r)| by(r)) {
        return Some((40, format!("its text names the folder `{folder}`")));
    }
    let (stem, records) = names.module?;
    by(records).then(|| (20, format!("its text names the module `{stem}`")))
}

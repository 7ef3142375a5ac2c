//! Which decisions govern a file of code, and why, strongest reason first:
//!
//! 1. **declared**: a decision's front matter names the file by path or glob (`affects:`,
//!    `appliesTo:`, `applies-to:`, `scope:`, `paths:`; see [`crate::Adr::scope`]), or the
//!    `[governs]` table of `adrgraph.toml` does (`"src/billing/**" = ["ADR-12"]`);
//! 2. **marker**: a line of the file names a decision (`// ADR-0012`, `# adr: 12`, `@adr 12`, or
//!    the file name of a record), with its line;
//! 3. **mention**: a decision links to the file or a folder of it (a relative link, or a
//!    repository URL `.../blob/main/src/x.js#L10`), or its text names the file's path, a folder
//!    of it (also as written from a package's root: `lib/src/tasks` for
//!    `packages/lib/src/tasks/x.js`), or its module name (a folder's `index.js` is the folder's
//!    module), a weaker reason shown as such.
//!
//! A superseded decision is never the answer: its reasons pass to the decisions in force of its
//! supersession chain, and the reason says through which. Deprecated and rejected decisions
//! are left out unless asked for (`all`).

use crate::ingest::Corpus;
use crate::model::{Adr, Status};
use crate::{DecisionGraph, DecisionIndex};
use serde::Serialize;
use std::collections::BTreeMap;

/// A file asked about.
#[derive(Debug, Clone)]
pub struct CodeFile {
    /// The file as the user named it (shown in answers).
    pub path: String,
    /// The file relative to the repository's top, with `/` separators (what scopes match).
    pub rel: String,
    /// Its text, when it could be read (markers are looked for in it).
    pub text: Option<String>,
}

/// How to answer.
#[derive(Debug, Clone, Default)]
pub struct GovernsOptions {
    /// Also deprecated and rejected decisions.
    pub all: bool,
    /// The `[governs]` table: glob to the decisions it names (ids, numbers or paths).
    pub table: Vec<(String, Vec<String>)>,
    /// The folder the table's paths are relative to.
    pub cwd: std::path::PathBuf,
    /// The repository's top folder (absolute): the records' links to code are resolved to
    /// paths from it. `None`: links are read as relative to each record's root.
    pub top: Option<std::path::PathBuf>,
}

/// What kind of reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReasonKind {
    /// A declared scope (front matter or `adrgraph.toml`).
    Declared,
    /// A marker in the file naming the decision.
    Marker,
    /// The decision's text names the file, a folder of it or its module.
    Mention,
}

/// One reason a decision governs a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// What kind.
    pub kind: ReasonKind,
    /// What matched, in words (`affects: src/billing/**`, `line 12: // ADR-0012`).
    pub detail: String,
    /// Higher is stronger: declared 100, a marker 80, a link to the file 70, the path in prose 60,
    /// a folder 40, the module name 20.
    pub strength: u32,
    /// The line of the file (markers).
    pub line: Option<u32>,
    /// For a reason that passed from a superseded decision: the decisions it passed through,
    /// the one that gave it first.
    pub via: Vec<String>,
}

/// A decision governing a file.
#[derive(Debug, Clone, Serialize)]
pub struct Governing {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: Status,
    /// Its path.
    pub path: String,
    /// Whether it is in force (accepted, and not wholly superseded).
    pub in_force: bool,
    /// Why, strongest first.
    pub reasons: Vec<Reason>,
}

/// The answer for one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileGoverned {
    /// The file, as asked.
    pub file: String,
    /// The decisions governing it, strongest reason first (ties by id).
    pub decisions: Vec<Governing>,
}

/// Module names too common to say anything (`src/lib.rs` is not "about" a decision that says lib).
const GENERIC: &[&str] = &[
    "mod", "lib", "main", "index", "init", "__init__", "utils", "util", "common", "test", "tests", "types",
    "readme", "config", "src",
];

/// Answer for each file (see [`Governor`] to answer many files read one at a time).
pub fn governs(
    corpus: &Corpus,
    graph: &DecisionGraph,
    files: &[CodeFile],
    opts: &GovernsOptions,
) -> Vec<FileGoverned> {
    let g = Governor::new(corpus, graph, opts);
    files.iter().map(|f| g.answer(f)).collect()
}

/// What a declared scope belongs to: a record (its front matter) or an entry of the
/// `[governs]` table.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Record(usize),
    Table(usize),
}

/// Every declared scope, compiled once into one set of globs (a plain path stands for itself
/// and everything below it).
struct Scopes {
    set: globset::GlobSet,
    /// For each glob of the set: the scope it came from, as written, and its owner.
    of_glob: Vec<(usize, Owner)>,
    written: Vec<String>,
}

impl Scopes {
    fn new(corpus: &Corpus, table: &[(String, Vec<String>)]) -> Scopes {
        let mut b = globset::GlobSetBuilder::new();
        let (mut of_glob, mut written) = (Vec::new(), Vec::new());
        let owned = corpus
            .adrs
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.scope.iter().map(move |g| (g.as_str(), Owner::Record(i))))
            .chain(table.iter().enumerate().map(|(k, (g, _))| (g.as_str(), Owner::Table(k))));
        for (scope, owner) in owned {
            let k = written.len();
            written.push(scope.to_string());
            for pattern in scope_globs(scope) {
                if let Ok(g) = globset::GlobBuilder::new(&pattern).literal_separator(true).build() {
                    b.add(g);
                    of_glob.push((k, owner));
                }
            }
        }
        let set = b.build().unwrap_or_else(|_| globset::GlobSet::empty());
        Scopes { set, of_glob, written }
    }

    /// The scopes matching a file (relative to the repository's top), each once, in order.
    fn matching(&self, rel: &str) -> Vec<(&str, Owner)> {
        let mut seen = std::collections::BTreeSet::new();
        self.set
            .matches(rel)
            .into_iter()
            .filter_map(|g| {
                let (k, owner) = self.of_glob[g];
                seen.insert(k).then(|| (self.written[k].as_str(), owner))
            })
            .collect()
    }
}

/// The globs a declared scope stands for: a glob as written; a plain path, itself and every
/// path below it.
fn scope_globs(scope: &str) -> Vec<String> {
    let scope = scope.trim().trim_start_matches("./").trim_start_matches('/');
    if scope.is_empty() {
        return Vec::new();
    }
    if scope.contains(['*', '?', '[']) || scope.contains("{") {
        return vec![scope.to_string()];
    }
    let dir = globset::escape(scope.trim_end_matches('/'));
    vec![dir.clone(), format!("{dir}/**")]
}

/// The decisions' scopes, names, numbers and links to code, read once to answer for many files.
pub struct Governor<'c> {
    corpus: &'c Corpus,
    graph: &'c DecisionGraph,
    opts: &'c GovernsOptions,
    names: Vec<(&'c str, usize)>,
    by_number: std::collections::HashMap<u32, Vec<usize>>,
    targets: Vec<Vec<String>>,
    scopes: Scopes,
    /// The records the `[governs]` table's entries name.
    table_records: Vec<Vec<(String, usize)>>,
    /// The records whose title or text holds each word (lower case): a record's text can name a
    /// path or module only if it holds its last word, so only those records are searched.
    by_word: std::collections::HashMap<String, Vec<usize>>,
    in_force_of: std::sync::Mutex<BTreeMap<usize, (bool, Vec<String>)>>,
}

impl<'c> Governor<'c> {
    /// Read what every answer needs.
    pub fn new(corpus: &'c Corpus, graph: &'c DecisionGraph, opts: &'c GovernsOptions) -> Governor<'c> {
        let mut by_number: std::collections::HashMap<u32, Vec<usize>> = Default::default();
        for (i, a) in corpus.adrs.iter().enumerate() {
            if let Some(n) = a.number {
                by_number.entry(n).or_default().push(i);
            }
        }
        let table_records = opts
            .table
            .iter()
            .map(|(_, names)| {
                names
                    .iter()
                    .filter_map(|n| corpus.find_index(n, &opts.cwd).ok().map(|i| (n.clone(), i.get())))
                    .collect()
            })
            .collect();
        Governor {
            corpus,
            graph,
            opts,
            names: record_names(corpus),
            by_number,
            targets: code_targets(corpus, opts.top.as_deref()),
            scopes: Scopes::new(corpus, &opts.table),
            table_records,
            by_word: words_of_records(corpus),
            in_force_of: Default::default(),
        }
    }

    /// Whether decision `i` is in force, and the decisions in force of its chain (kept).
    fn chain(&self, i: usize) -> (bool, Vec<String>) {
        let mut memo = self.in_force_of.lock().unwrap_or_else(|p| p.into_inner());
        memo.entry(i).or_insert_with(|| chain_of(self.corpus, self.graph, i)).clone()
    }

    /// The answer for one file.
    pub fn answer(&self, f: &CodeFile) -> FileGoverned {
        let (corpus, opts) = (self.corpus, self.opts);
        let mut by: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
        for (i, rs) in self.direct_reasons(f) {
            let (in_force, successors) = self.chain(i);
            let a = &corpus.adrs[i];
            let replaced = a.status == Status::Superseded || (!in_force && !successors.is_empty());
            if replaced && !in_force {
                for s in successors.iter().filter_map(|id| corpus.adrs.iter().position(|x| &x.id == id)) {
                    let passed = rs.iter().cloned().map(|mut r| {
                        r.via.insert(0, a.id.clone());
                        r
                    });
                    by.entry(s).or_default().extend(passed);
                }
            } else if opts.all || !matches!(a.status, Status::Deprecated | Status::Rejected) {
                by.entry(i).or_default().extend(rs);
            }
        }
        let mut decisions: Vec<Governing> = by
            .into_iter()
            .map(|(i, mut reasons)| {
                reasons.sort_by(|x, y| y.strength.cmp(&x.strength).then_with(|| x.detail.cmp(&y.detail)));
                reasons.dedup();
                let a = &corpus.adrs[i];
                Governing {
                    id: a.id.clone(),
                    title: a.display_title().to_string(),
                    status: a.status,
                    path: a.path.clone(),
                    in_force: self.chain(i).0,
                    reasons,
                }
            })
            .collect();
        decisions.sort_by(|x, y| {
            let s = |g: &Governing| g.reasons.first().map_or(0, |r| r.strength);
            s(y).cmp(&s(x)).then_with(|| x.id.cmp(&y.id))
        });
        FileGoverned { file: f.path.clone(), decisions }
    }

    /// The reasons each decision gives for this file, before supersession is followed. A file
    /// outside the repository (its `rel` absolute) matches no declared scope.
    fn direct_reasons(&self, f: &CodeFile) -> BTreeMap<usize, Vec<Reason>> {
        let corpus = self.corpus;
        let mut out: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
        let reason =
            |kind, detail: String, strength, line| Reason { kind, detail, strength, line, via: Vec::new() };
        let scopes = if f.rel.starts_with('/') { Vec::new() } else { self.scopes.matching(&f.rel) };
        for (g, owner) in scopes {
            match owner {
                Owner::Record(i) => out.entry(i).or_default().push(reason(
                    ReasonKind::Declared,
                    format!("its front matter declares `{g}`"),
                    100,
                    None,
                )),
                Owner::Table(k) => {
                    for (name, i) in &self.table_records[k] {
                        let d = format!("adrgraph.toml [governs] `{g}` names {name}");
                        out.entry(*i).or_default().push(reason(ReasonKind::Declared, d, 100, None));
                    }
                }
            }
        }
        if let Some(text) = &f.text {
            for (i, line, what) in markers(&self.by_number, &self.names, text) {
                out.entry(i).or_default().push(reason(
                    ReasonKind::Marker,
                    format!("line {line}: {what}"),
                    80,
                    Some(line),
                ));
            }
        }
        let probe = Probe::of(&f.rel);
        // Only records holding a word the file's paths or module end with can name them.
        let mut named: std::collections::HashSet<usize> = std::collections::HashSet::new();
        for w in probe.words() {
            named.extend(self.by_word.get(&w).map(Vec::as_slice).unwrap_or_default());
        }
        for (i, a) in corpus.adrs.iter().enumerate() {
            if let Some((strength, detail)) = mention(a, &self.targets[i], &probe, named.contains(&i)) {
                out.entry(i).or_default().push(reason(ReasonKind::Mention, detail, strength, None));
            }
        }
        out
    }
}

/// Whether decision `i` is in force (wholly or in part), and the decisions in force of its
/// supersession chain.
fn chain_of(corpus: &Corpus, graph: &DecisionGraph, i: usize) -> (bool, Vec<String>) {
    let c = crate::query::chain(graph, &corpus.adrs, DecisionIndex::new(i));
    let own = &corpus.adrs[i].id;
    let live = c.in_force.contains(own) || c.in_part.contains(own);
    (live, c.in_force.into_iter().filter(|x| x != own).collect())
}

/// Whether a declared scope (a glob, or a plain path standing for itself and everything below
/// it) matches the file.
pub fn scope_matches(scope: &str, rel: &str) -> bool {
    scope_globs(scope).iter().any(|p| {
        globset::GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map(|g| g.compile_matcher().is_match(rel))
            .unwrap_or(false)
    })
}

/// Each record's file name (long enough to mean something) with its record: what a marker
/// naming a record by file looks for.
fn record_names(corpus: &Corpus) -> Vec<(&str, usize)> {
    corpus
        .adrs
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.rel_path.rsplit('/').next().filter(|n| n.len() > 6).map(|n| (n, i)))
        .collect()
}

/// The decisions the file's lines name: `ADR-0012`, `ADR 12`, `adr: 12`, `@adr 12`, or a
/// record's file name; `(record, line, the text matched)`.
fn markers(
    by_number: &std::collections::HashMap<u32, Vec<usize>>,
    files: &[(&str, usize)],
    text: &str,
) -> Vec<(usize, u32, String)> {
    static MARK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let mark = MARK.get_or_init(|| {
        regex::Regex::new(r"(?i)(?:\badr[-_ ]?|@adr\s+|\badr:\s*|\badr\s+#?)0*(\d{1,6})\b")
            .expect("the marker pattern")
    });
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate().take(100_000) {
        let n = k as u32 + 1;
        for c in mark.captures_iter(line) {
            let Ok(number) = c[1].parse::<u32>() else { continue };
            for &i in by_number.get(&number).map(Vec::as_slice).unwrap_or_default() {
                out.push((i, n, c[0].trim().to_string()));
            }
        }
        // Every record's file name ends in `.md` (or `.markdown`): most lines name none.
        if line.contains(".m") {
            for (name, i) in files {
                if line.contains(name) {
                    out.push((*i, n, (*name).to_string()));
                }
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    out
}

/// What a decision's text is searched for, for one file: its path, and that path as written
/// from a package's root (its last parts, three or more: `lib/src/store/x.js`); its folders of
/// two parts or more (`src/billing`) and their last parts (three or more); and its module name
/// when that says something (a folder's `index.js`, `mod.rs` or `__init__.py` is the folder's).
struct Probe<'a> {
    rel: &'a str,
    paths: Vec<&'a str>,
    folders: Vec<&'a str>,
    module: Option<(String, regex::Regex)>,
}

/// The words of a text as [`Governor`] indexes them: runs of letters, digits and `_`, lower case.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Each word of the records' titles and texts, with the records holding it.
fn words_of_records(corpus: &Corpus) -> std::collections::HashMap<String, Vec<usize>> {
    let mut out: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, a) in corpus.adrs.iter().enumerate() {
        let mut own: std::collections::HashSet<String> = Default::default();
        for t in a.sections.iter().map(|x| x.text.as_str()).chain(a.title.as_deref()) {
            own.extend(words(t));
        }
        for w in own {
            out.entry(w).or_default().push(i);
        }
    }
    out
}

impl Probe<'_> {
    /// The first word of the last part of each path and folder searched for, and the words of
    /// the module name: a text naming any of them holds that word whole (the part starts after
    /// a `/` or where a path may start, and a word of it ends inside it).
    fn words(&self) -> std::collections::BTreeSet<String> {
        let last_word = |s: &str| words(s.rsplit('/').next().unwrap_or(s)).next();
        let mut out: std::collections::BTreeSet<String> =
            self.paths.iter().chain(&self.folders).filter_map(|s| last_word(s)).collect();
        if let Some((stem, _)) = &self.module {
            out.extend(words(stem));
        }
        out
    }
}

/// `path` and its tails of at least `parts` parts, longest first.
fn tails(path: &str, parts: usize) -> impl Iterator<Item = &str> {
    let n = path.split('/').count();
    std::iter::once(path)
        .chain(path.match_indices('/').map(move |(i, _)| &path[i + 1..]).take(n.saturating_sub(parts)))
}

impl<'a> Probe<'a> {
    fn of(rel: &'a str) -> Probe<'a> {
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
        let module = (stem.len() >= 4 && !GENERIC.contains(&stem.to_lowercase().as_str()))
            .then(|| {
                regex::Regex::new(&format!(r"(?i)\b{}\b", regex::escape(stem)))
                    .ok()
                    .map(|r| (stem.to_string(), r))
            })
            .flatten();
        Probe { rel, paths, folders, module }
    }
}

/// Whether `hay` names the path `needle`: found where a path starts and ends there or at a
/// `/` (not inside a longer name: `src/m1` is not named by `src/m10`, nor `x.rs` by `x.rsx`).
fn names_path(hay: &str, needle: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_');
    hay.match_indices(needle).any(|(i, _)| {
        let after = &hay[i + needle.len()..];
        let mut next = after.chars();
        let ends = match next.next() {
            None => true,
            Some('.') => !next.next().is_some_and(word),
            Some(c) => !word(c),
        };
        ends && !hay[..i].ends_with(|c: char| word(c) || c == '.')
    })
}

/// The paths from the repository's top of the files and folders each record links to: its
/// relative links (resolved from its folder) and its repository URLs (`/blob/REF/path`).
fn code_targets(corpus: &Corpus, top: Option<&std::path::Path>) -> Vec<Vec<String>> {
    let ours = crate::ingest::repositories_of(&corpus.abs_roots);
    corpus
        .adrs
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let root = corpus.adr_roots.get(i).and_then(|r| corpus.abs_roots.get(*r));
            let abs_root = root.map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()));
            let root_rel = match (top, &abs_root) {
                (Some(t), Some(r)) => r.strip_prefix(t).ok().map(|p| p.to_string_lossy().replace('\\', "/")),
                _ => None,
            }
            .unwrap_or_default();
            let record_dir =
                crate::graph::normalise_path(&root_rel, a.rel_path.rsplit_once('/').map_or("", |(d, _)| d));
            let mut out: Vec<String> = Vec::new();
            let relative = a
                .links
                .iter()
                .map(|l| l.target.as_str())
                .filter(|t| !t.to_ascii_lowercase().ends_with(".md"));
            for target in a.code_links.iter().map(String::as_str).chain(relative) {
                let path = target.split(['#', '?']).next().unwrap_or(target).trim();
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
                    crate::graph::normalise_path(&record_dir, path)
                } else {
                    continue;
                };
                let resolved = resolved.trim_end_matches('/').to_string();
                if !resolved.is_empty() && !resolved.starts_with("..") && !out.contains(&resolved) {
                    out.push(resolved);
                }
            }
            out
        })
        .collect()
}

/// The strongest way decision `a` names the file: a link to it or to a folder of it
/// (`targets`, from the repository's top), its path in its text, a folder of it, or its module
/// name.
fn mention(a: &Adr, targets: &[String], p: &Probe<'_>, may_name: bool) -> Option<(u32, String)> {
    let rel = p.rel;
    if targets.iter().any(|t| t == rel) {
        return Some((70, format!("it links to `{rel}`")));
    }
    if let Some(t) = targets
        .iter()
        .filter(|t| rel.strip_prefix(t.as_str()).is_some_and(|r| r.starts_with('/')))
        .max_by_key(|t| t.len())
    {
        return Some((65, format!("it links to the folder `{t}`")));
    }
    if !may_name {
        return None;
    }
    let text = |s: &str| {
        a.sections.iter().any(|x| names_path(&x.text, s))
            || a.title.as_deref().is_some_and(|t| names_path(t, s))
    };
    if let Some(path) = p.paths.iter().find(|s| text(s)) {
        return Some((60, format!("its text names `{path}`")));
    }
    if let Some(folder) = p.folders.iter().find(|f| text(f)) {
        return Some((40, format!("its text names the folder `{folder}`")));
    }
    let (stem, word) = p.module.as_ref()?;
    a.sections
        .iter()
        .any(|x| word.is_match(&x.text))
        .then(|| (20, format!("its text names the module `{stem}`")))
}

#[cfg(test)]
mod tests {
    use super::scope_matches;

    #[test]
    fn a_path_is_named_only_as_a_whole() {
        use super::names_path;
        assert!(names_path("see src/m1/a0 here", "src/m1"));
        assert!(names_path("in src/m1.", "src/m1"));
        assert!(names_path("`lib/src/x.js`", "lib/src/x.js"));
        assert!(!names_path("see src/m10/a4", "src/m1"));
        assert!(!names_path("see xsrc/m1", "src/m1"));
        assert!(!names_path("see src/m1.rs", "src/m1"));
    }

    #[test]
    fn scopes_match_globs_and_folders() {
        assert!(scope_matches("src/billing/**", "src/billing/invoice/mod.rs"));
        assert!(scope_matches("src/billing", "src/billing/invoice.rs"));
        assert!(scope_matches("./src/billing/", "src/billing/invoice.rs"));
        assert!(!scope_matches("src/bill", "src/billing/invoice.rs"));
        assert!(scope_matches("**/*.proto", "api/v1/events.proto"));
        assert!(!scope_matches("src/*.rs", "src/a/b.rs"));
        assert!(!scope_matches("", "src/a.rs"));
        assert!(!scope_matches("[", "src/a.rs"));
    }
}

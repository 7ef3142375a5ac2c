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

/// Answer for each file.
pub fn governs(
    corpus: &Corpus,
    graph: &DecisionGraph,
    files: &[CodeFile],
    opts: &GovernsOptions,
) -> Vec<FileGoverned> {
    let direct: Vec<BTreeMap<usize, Vec<Reason>>> = {
        let names = record_names(corpus);
        let targets = code_targets(corpus, opts.top.as_deref());
        files.iter().map(|f| direct_reasons(corpus, (&names, &targets), f, opts)).collect()
    };
    let mut in_force_of: BTreeMap<usize, (bool, Vec<String>)> = BTreeMap::new();
    files
        .iter()
        .zip(direct)
        .map(|(f, reasons)| {
            let mut by: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
            for (i, rs) in reasons {
                let (in_force, successors) =
                    in_force_of.entry(i).or_insert_with(|| chain_of(corpus, graph, i)).clone();
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
                    let in_force = in_force_of.entry(i).or_insert_with(|| chain_of(corpus, graph, i)).0;
                    Governing {
                        id: a.id.clone(),
                        title: a.display_title().to_string(),
                        status: a.status,
                        path: a.path.clone(),
                        in_force,
                        reasons,
                    }
                })
                .collect();
            decisions.sort_by(|x, y| {
                let s = |g: &Governing| g.reasons.first().map_or(0, |r| r.strength);
                s(y).cmp(&s(x)).then_with(|| x.id.cmp(&y.id))
            });
            FileGoverned { file: f.path.clone(), decisions }
        })
        .collect()
}

/// Whether decision `i` is in force (wholly or in part), and the decisions in force of its
/// supersession chain.
fn chain_of(corpus: &Corpus, graph: &DecisionGraph, i: usize) -> (bool, Vec<String>) {
    let c = crate::query::chain(graph, &corpus.adrs, DecisionIndex::new(i));
    let own = &corpus.adrs[i].id;
    let live = c.in_force.contains(own) || c.in_part.contains(own);
    (live, c.in_force.into_iter().filter(|x| x != own).collect())
}

/// The reasons each decision gives for this file, before supersession is followed.
fn direct_reasons(
    corpus: &Corpus,
    (names, targets): (&[(&str, usize)], &[Vec<String>]),
    f: &CodeFile,
    opts: &GovernsOptions,
) -> BTreeMap<usize, Vec<Reason>> {
    let mut out: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
    let reason =
        |kind, detail: String, strength, line| Reason { kind, detail, strength, line, via: Vec::new() };
    for (i, a) in corpus.adrs.iter().enumerate() {
        for g in a.scope.iter().filter(|g| scope_matches(g, &f.rel)) {
            out.entry(i).or_default().push(reason(
                ReasonKind::Declared,
                format!("its front matter declares `{g}`"),
                100,
                None,
            ));
        }
    }
    for (glob, names) in &opts.table {
        if !scope_matches(glob, &f.rel) {
            continue;
        }
        for name in names {
            if let Ok(i) = corpus.find_index(name, &opts.cwd) {
                let d = format!("adrgraph.toml [governs] `{glob}` names {name}");
                out.entry(i.get()).or_default().push(reason(ReasonKind::Declared, d, 100, None));
            }
        }
    }
    if let Some(text) = &f.text {
        for (i, line, what) in markers(corpus, names, text) {
            out.entry(i).or_default().push(reason(
                ReasonKind::Marker,
                format!("line {line}: {what}"),
                80,
                Some(line),
            ));
        }
    }
    let probe = Probe::of(&f.rel);
    for (i, a) in corpus.adrs.iter().enumerate() {
        if let Some((strength, detail)) = mention(a, &targets[i], &probe) {
            out.entry(i).or_default().push(reason(ReasonKind::Mention, detail, strength, None));
        }
    }
    out
}

/// Whether a declared scope (a glob, or a plain path standing for itself and everything below
/// it) matches the file.
pub fn scope_matches(scope: &str, rel: &str) -> bool {
    let scope = scope.trim().trim_start_matches("./").trim_start_matches('/');
    if scope.is_empty() {
        return false;
    }
    if !scope.contains(['*', '?', '[']) && !scope.contains("{") {
        let dir = scope.trim_end_matches('/');
        return rel == dir || rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'));
    }
    globset::GlobBuilder::new(scope)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher().is_match(rel))
        .unwrap_or(false)
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
fn markers(corpus: &Corpus, files: &[(&str, usize)], text: &str) -> Vec<(usize, u32, String)> {
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
            for (i, _) in corpus.adrs.iter().enumerate().filter(|(_, a)| a.number == Some(number)) {
                out.push((i, n, c[0].trim().to_string()));
            }
        }
        for (name, i) in files {
            if line.contains(name) {
                out.push((*i, n, (*name).to_string()));
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

/// Whether `hay` names the path `needle`: found where a path starts (not inside a longer name).
fn names_path(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle)
        .any(|(i, _)| !hay[..i].ends_with(|c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
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
fn mention(a: &Adr, targets: &[String], p: &Probe<'_>) -> Option<(u32, String)> {
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

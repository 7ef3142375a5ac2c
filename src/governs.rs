//! Which decisions govern a file of code, and why, strongest reason first:
//!
//! 1. **declared**: a decision's front matter names the file by path or glob (`affects:`,
//!    `appliesTo:`, `applies-to:`, `scope:`, `paths:`; see [`crate::Adr::scope`]), or the
//!    `[governs]` table of `adrgraph.toml` does (`"src/billing/**" = ["ADR-12"]`);
//! 2. **marker**: a line of the file names a decision (`// ADR-0012`, `# adr: 12`, `@adr 12`, or
//!    the file name of a record), with its line;
//! 3. **mention**: a decision's text names the file's path, a folder of it, or its module name
//!    (a link to it counts more than prose), a weaker reason shown as such.
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
        files.iter().map(|f| direct_reasons(corpus, &names, f, opts)).collect()
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
    names: &[(&str, usize)],
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
        if let Some((strength, detail)) = mention(a, &probe) {
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
    if !scope.contains(['*', '?', '[', '{']) {
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

/// What a decision's text is searched for, for one file: its path, its folders of two parts or
/// more (`src/billing`), and its module name when that says something.
struct Probe<'a> {
    rel: &'a str,
    folders: Vec<&'a str>,
    module: Option<(String, regex::Regex)>,
}

impl<'a> Probe<'a> {
    fn of(rel: &'a str) -> Probe<'a> {
        let mut folders = Vec::new();
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if parent.contains('/') {
                folders.push(parent);
            }
            dir = parent;
        }
        let file = rel.rsplit('/').next().unwrap_or(rel);
        let stem = file.split('.').next().unwrap_or(file);
        let module = (stem.len() >= 4 && !GENERIC.contains(&stem.to_lowercase().as_str()))
            .then(|| {
                regex::Regex::new(&format!(r"(?i)\b{}\b", regex::escape(stem)))
                    .ok()
                    .map(|r| (stem.to_string(), r))
            })
            .flatten();
        Probe { rel, folders, module }
    }
}

/// The strongest way decision `a`'s text names the file: a link to it, its path, a folder of
/// it, or its module name.
fn mention(a: &Adr, p: &Probe<'_>) -> Option<(u32, String)> {
    let rel = p.rel;
    if a.links.iter().any(|l| {
        let t = l.target.trim_start_matches("./");
        t == rel || (t.len() > 3 && rel.ends_with(t) && rel[..rel.len() - t.len()].ends_with('/'))
    }) {
        return Some((70, format!("it links to `{rel}`")));
    }
    let text = |s: &str| {
        a.sections.iter().any(|x| x.text.contains(s)) || a.title.as_deref().is_some_and(|t| t.contains(s))
    };
    if text(rel) {
        return Some((60, format!("its text names `{rel}`")));
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

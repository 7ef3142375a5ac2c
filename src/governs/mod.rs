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
use crate::model::Status;
use crate::{DecisionGraph, DecisionIndex};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod names;

pub use names::{
    kept_names, link_targets, names_to_find, names_to_look_up, Mentions, Prepared, LONGEST_KEPT,
};
use names::{linked_by, markers, mention, Named, Names, Needed, Probe};

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
    /// For a marker, when answering for a change: whether the change added or removed its line
    /// (absent: the marker is only present in the file). See [`mark_change`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<LineChange>,
}

/// What a change did to a marker's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineChange {
    /// The change added the line (or rewrote it).
    Added,
    /// The change removed the line: the marker was in the old text, on a line now gone.
    Removed,
}

/// Marks the markers of `new` (the answer for a file's new text) that sit on lines the change
/// added, and brings in from `old` (the answer for its old text) the markers on lines the change
/// removed, as [`LineChange::Removed`] reasons (a decision named only there is listed with just
/// that reason). `added` and `removed` tell whether a line of the new, resp. old, text changed.
pub fn mark_change(
    new: &mut FileGoverned,
    old: Option<&FileGoverned>,
    added: &dyn Fn(u32) -> bool,
    removed: &dyn Fn(u32) -> bool,
) {
    for d in &mut new.decisions {
        for r in &mut d.reasons {
            if r.kind == ReasonKind::Marker && r.line.is_some_and(added) {
                r.change = Some(LineChange::Added);
            }
        }
    }
    for od in old.map(|o| o.decisions.as_slice()).unwrap_or_default() {
        let gone: Vec<Reason> = od
            .reasons
            .iter()
            .filter(|r| r.kind == ReasonKind::Marker && r.line.is_some_and(removed))
            .map(|r| Reason {
                detail: format!("old {}", r.detail),
                change: Some(LineChange::Removed),
                strength: r.strength.saturating_sub(1),
                ..r.clone()
            })
            .collect();
        if gone.is_empty() {
            continue;
        }
        match new.decisions.iter_mut().find(|d| d.id == od.id) {
            Some(d) => d.reasons.extend(gone),
            None => new.decisions.push(Governing { reasons: gone, ..od.clone() }),
        }
    }
    for d in &mut new.decisions {
        d.reasons.sort_by(|x, y| y.strength.cmp(&x.strength).then_with(|| x.detail.cmp(&y.detail)));
    }
    new.decisions.sort_by(|x, y| {
        let s = |g: &Governing| g.reasons.first().map_or(0, |r| r.strength);
        s(y).cmp(&s(x)).then_with(|| x.id.cmp(&y.id))
    });
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

/// Answer for each file (see [`Governor`] to answer many files read one at a time).
pub fn governs(
    corpus: &Corpus,
    graph: &DecisionGraph,
    files: &[CodeFile],
    opts: &GovernsOptions,
) -> Vec<FileGoverned> {
    let g = Governor::for_files(corpus, graph, opts, files.iter().map(|f| f.rel.as_str()));
    files.iter().map(|f| g.answer(f)).collect()
}

/// What a declared scope belongs to: a record (its front matter) or an entry of the
/// `[governs]` table.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Record(usize),
    Table(usize),
}

/// Every declared scope, compiled once into sets of globs, one set per folder the globs start
/// with (their literal part up to its last `/`): a file is matched only against the sets of its
/// own folders, not against every glob of the tree (a plain path stands for itself and
/// everything below it).
struct Scopes<'c> {
    /// Folder (`""` for globs that start with a pattern) to its set, and for each glob of the
    /// set the scopes it came from (a scope many records declare alike is compiled once).
    by_folder: HashMap<String, (globset::GlobSet, Vec<Vec<usize>>)>,
    /// Each scope as written (those of which a glob is compiled), with its owner.
    written: Vec<(&'c str, Owner)>,
}

/// The folder a glob's literal part names: `src/a` for `src/a/**/x.rs` and for `src/a/b`, `""`
/// for `**/*.proto`.
fn literal_folder(glob: &str) -> &str {
    // `*`, `?`, `[`, `{` and `\\` start a pattern (written as escapes for the layout test's brace count).
    const META: [char; 5] = ['*', '?', '\u{5b}', '\u{7b}', '\\'];
    let literal = &glob[..glob.find(META).unwrap_or(glob.len())];
    literal.rfind('/').map_or("", |k| &glob[..k])
}

/// The literal end of a glob, after its last pattern character: every path it matches ends
/// so (`/file7.rs` for `src/a/**/file7.rs`; the whole glob when it has no pattern).
fn literal_tail(glob: &str) -> &str {
    // `*`, `?`, `[`, `]`, `{`, `}` and `\` (escapes, for the layout test's brace count).
    const META: [char; 7] = ['*', '?', '\u{5b}', '\u{5d}', '\u{7b}', '\u{7d}', '\\'];
    glob.rfind(META).map_or(glob, |k| &glob[k + 1..])
}

impl<'c> Scopes<'c> {
    /// The declared scopes, their globs compiled and filed by their literal folder; with
    /// `needed`, only the globs filed where one of the files asked about can be matched.
    fn new(corpus: &'c Corpus, table: &'c [(String, Vec<String>)], needed: Option<&Needed>) -> Scopes<'c> {
        let mut builders: BTreeMap<String, (globset::GlobSetBuilder, Vec<Vec<usize>>)> = BTreeMap::new();
        let mut written = Vec::new();
        let owned = corpus
            .adrs
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.scope.iter().map(move |g| (g.as_str(), Owner::Record(i))))
            .chain(table.iter().enumerate().map(|(k, (g, _))| (g.as_str(), Owner::Table(k))));
        // Each scope as written is worked out once, however many records declare it (30,000
        // scopes of 10,000 generated records are 1,400 distinct): its globs, each filed under
        // its folder with its number there.
        let mut filed: HashMap<&'c str, Vec<(String, usize)>> = HashMap::new();
        for (scope, owner) in owned {
            let globs = filed.entry(scope).or_insert_with(|| Self::file_globs(scope, needed, &mut builders));
            if globs.is_empty() {
                continue;
            }
            let k = written.len();
            for (folder, g) in globs.iter() {
                if let Some((_, of)) = builders.get_mut(folder) {
                    of[*g].push(k);
                }
            }
            written.push((scope, owner));
        }
        let by_folder = builders
            .into_iter()
            .map(|(folder, (b, of))| (folder, (b.build().unwrap_or_else(|_| globset::GlobSet::empty()), of)))
            .collect();
        Scopes { by_folder, written }
    }

    /// Compile the globs of `scope` into `builders` (with `needed`, only those filed where one
    /// of the files asked about can be matched): where each was filed, and its number there.
    fn file_globs(
        scope: &str,
        needed: Option<&Needed>,
        builders: &mut BTreeMap<String, (globset::GlobSetBuilder, Vec<Vec<usize>>)>,
    ) -> Vec<(String, usize)> {
        if needed.is_some_and(|n| !could_be_needed(scope, n)) {
            return Vec::new();
        }
        let mut filed = Vec::new();
        for pattern in scope_globs(scope) {
            let folder = literal_folder(&pattern);
            // Only a glob some file asked about could match is compiled (compiling 10,000
            // globs for 50 files took most of `check`'s time).
            if needed.is_some_and(|n| {
                let tail = literal_tail(&pattern);
                !n.within.contains(folder)
                    || !n.files.iter().any(|f| f.starts_with(folder) && f.ends_with(tail))
            }) {
                continue;
            }
            if let Ok(g) = globset::GlobBuilder::new(&pattern).literal_separator(true).build() {
                let (b, of) = builders
                    .entry(folder.to_string())
                    .or_insert_with(|| (globset::GlobSetBuilder::new(), Vec::new()));
                b.add(g);
                of.push(Vec::new());
                filed.push((folder.to_string(), of.len() - 1));
            }
        }
        filed
    }

    /// The scopes matching a file (relative to the repository's top), each once, in order.
    fn matching(&self, rel: &str) -> Vec<(&str, Owner)> {
        let folders = std::iter::once("").chain(rel.match_indices('/').map(|(k, _)| &rel[..k]));
        let mut found = std::collections::BTreeSet::new();
        for folder in folders {
            if let Some((set, of)) = self.by_folder.get(folder) {
                found.extend(set.matches(rel).into_iter().flat_map(|g| of[g].iter().copied()));
            }
        }
        found.into_iter().map(|k| self.written[k]).collect()
    }
}

/// Whether a glob of `scope` ([`scope_globs`]) could be one that [`Scopes::new`] compiles for
/// `needed` (false only when none could), told without making the globs: 30,000 scopes against
/// the 50 files of a change were a tenth of `check`.
fn could_be_needed(scope: &str, n: &Needed) -> bool {
    let scope = scope.trim().trim_start_matches("./").trim_start_matches('/');
    let kept = |folder: &str, tail: &str| {
        n.within.contains(folder) && n.files.iter().any(|f| f.starts_with(folder) && f.ends_with(tail))
    };
    if scope.is_empty() {
        return false;
    }
    if scope.contains(['*', '?', '\u{5b}']) || scope.contains('\u{7b}') {
        return kept(literal_folder(scope), literal_tail(scope));
    }
    let dir = scope.trim_end_matches('/');
    // What escaping would change (closing brackets, a backslash): made and filtered as usual.
    if dir.contains(['\u{5d}', '\u{7d}', '\\']) {
        return true;
    }
    // `dir` itself, filed under its folder; `dir/**`, filed under `dir`, matching what starts so.
    kept(dir.rsplit_once('/').map_or("", |(f, _)| f), dir) || kept(dir, "")
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
    /// The records' names, numbers and links to code.
    prepared: std::borrow::Cow<'c, Prepared>,
    /// Each file or folder (from the repository's top) a record links to, with the records
    /// linking to it, in order.
    linked: HashMap<String, Vec<usize>>,
    scopes: Scopes<'c>,
    /// The records the `[governs]` table's entries name.
    table_records: Vec<Vec<(String, usize)>>,
    /// What the records' texts name, read once: each path (see [`path_names`](names::path_names)) and each word of
    /// prose (see [`prose_words`](names::prose_words)), with the records naming it, in record order.
    named: Named,
}

impl<'c> Governor<'c> {
    /// Read what every answer needs.
    pub fn new(corpus: &'c Corpus, graph: &'c DecisionGraph, opts: &'c GovernsOptions) -> Governor<'c> {
        Governor::with(corpus, graph, opts, None, None, None, None)
    }

    /// Like [`Governor::new`], for these files only (paths from the repository's top, as
    /// [`CodeFile::rel`]): what the records name is read only where one of these files could be
    /// named, so a few files against a large tree are quick. Other files get no mention reason.
    pub fn for_files<'r>(
        corpus: &'c Corpus,
        graph: &'c DecisionGraph,
        opts: &'c GovernsOptions,
        rels: impl IntoIterator<Item = &'r str>,
    ) -> Governor<'c> {
        Governor::with(corpus, graph, opts, Some(Needed::of(rels)), None, None, None)
    }

    /// Like [`Governor::for_files`], reading the texts of the records `among` only (positions in
    /// the corpus, when given) for the names of the files: those a full-text index says could
    /// hold one of [`names_to_find`] ([`crate::search::SearchIndex::could_hold_any`]). The
    /// answers are the same as [`Governor::for_files`] gives when every record that names a file
    /// is among them. `prepared`, when given, is what the records alone give ([`Prepared::of`]
    /// with the same corpus and `opts.top`), worked out once for many questions.
    pub fn for_files_among<'r>(
        corpus: &'c Corpus,
        graph: &'c DecisionGraph,
        opts: &'c GovernsOptions,
        rels: impl IntoIterator<Item = &'r str>,
        among: Option<&BTreeSet<usize>>,
        prepared: Option<&'c Prepared>,
    ) -> Governor<'c> {
        Governor::with(corpus, graph, opts, Some(Needed::of(rels)), among, prepared, None)
    }

    /// Like [`Governor::for_files_among`], with what the records' texts name given
    /// ([`Mentions`], from an index of [`kept_names`] asked for [`names_to_look_up`]): no text
    /// is read. The answers are the same when `mentions` holds every record naming one of
    /// those names.
    pub fn for_files_mentioned<'r>(
        corpus: &'c Corpus,
        graph: &'c DecisionGraph,
        opts: &'c GovernsOptions,
        rels: impl IntoIterator<Item = &'r str>,
        mentions: Mentions,
        prepared: Option<&'c Prepared>,
    ) -> Governor<'c> {
        Governor::with(corpus, graph, opts, Some(Needed::of(rels)), None, prepared, Some(mentions))
    }

    fn with(
        corpus: &'c Corpus,
        graph: &'c DecisionGraph,
        opts: &'c GovernsOptions,
        needed: Option<Needed>,
        among: Option<&BTreeSet<usize>>,
        prepared: Option<&'c Prepared>,
        mentions: Option<Mentions>,
    ) -> Governor<'c> {
        let prepared = match prepared {
            Some(p) => std::borrow::Cow::Borrowed(p),
            None => {
                std::borrow::Cow::Owned(Prepared::for_needed(corpus, opts.top.as_deref(), needed.as_ref()))
            }
        };
        // The links to the files asked about, or a folder of one (all without `needed`).
        let wanted = |t: &String| needed.as_ref().is_none_or(|n| n.within.contains(t));
        let linked =
            linked_by(prepared.targets.iter().map(|ts| ts.iter().filter(|t| wanted(t)).cloned().collect()));
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
            prepared,
            linked,
            scopes: Scopes::new(corpus, &opts.table, needed.as_ref()),
            table_records,
            named: match mentions {
                Some(m) => m.into_named(),
                None => Named::of(corpus, needed.as_ref(), among),
            },
        }
    }

    /// Whether decision `i` is in force, and the decisions in force of its chain (kept with
    /// the [`Prepared`] records: a server asks again and again).
    fn chain(&self, i: usize) -> (bool, Vec<usize>) {
        let memo = || self.prepared.standing.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(known) = memo().get(&i) {
            return known.clone();
        }
        // Worked out without holding the lock: the files are answered on several threads.
        let found = chain_of(self.corpus, self.graph, i);
        memo().entry(i).or_insert(found).clone()
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
                for &s in &successors {
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
        let mut out: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
        let reason = |kind, detail: String, strength, line| Reason {
            kind,
            detail,
            strength,
            line,
            via: Vec::new(),
            change: None,
        };
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
            for (i, line, what) in markers(&self.prepared.by_number, &self.prepared.names, text) {
                out.entry(i).or_default().push(reason(
                    ReasonKind::Marker,
                    format!("line {line}: {what}"),
                    80,
                    Some(line),
                ));
            }
        }
        let probe = Probe::of(&f.rel);
        fn named<'m>(map: &'m HashMap<String, Vec<usize>>, s: &str) -> &'m [usize] {
            map.get(s).map(Vec::as_slice).unwrap_or_default()
        }
        let paths: Vec<(&str, &[usize])> =
            probe.paths.iter().map(|s| (*s, named(&self.named.paths, s))).collect();
        let folders: Vec<(&str, &[usize])> =
            probe.folders.iter().map(|s| (*s, named(&self.named.paths, s))).collect();
        let module = probe.module.as_ref().map(|m| (m.as_str(), named(&self.named.prose, &m.to_lowercase())));
        let rel = probe.rel;
        let links: Vec<(&str, &[usize])> = std::iter::once(rel)
            .chain(rel.rmatch_indices('/').map(|(k, _)| &rel[..k]))
            .map(|s| (s, named(&self.linked, s)))
            .collect();
        let names = Names { links: &links, paths: &paths, folders: &folders, module };
        // Only the records named in one of these lists can mention the file.
        let mut candidates: Vec<usize> = links
            .iter()
            .chain(&paths)
            .chain(&folders)
            .chain(module.as_ref())
            .flat_map(|(_, r)| r.iter().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for i in candidates {
            if let Some((strength, detail)) = mention(i, &names) {
                out.entry(i).or_default().push(reason(ReasonKind::Mention, detail, strength, None));
            }
        }
        out
    }
}

/// Whether decision `i` is in force (wholly or in part), and the decisions in force of its
/// supersession chain.
fn chain_of(corpus: &Corpus, graph: &DecisionGraph, i: usize) -> (bool, Vec<usize>) {
    let own = DecisionIndex::new(i);
    // Many chains are asked of one graph: its links between decisions laid out once.
    graph.lay_out_decision_links();
    let c = crate::query::chain_order(graph, &corpus.adrs, own);
    let live = c.in_force.contains(&own) || c.in_part.contains(&own);
    (live, c.in_force.into_iter().filter(|&x| x != own).map(DecisionIndex::get).collect())
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

#[cfg(test)]
mod tests;

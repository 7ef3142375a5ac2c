//! The decision knowledge graph: a petgraph graph of decisions, the options they considered,
//! the people who decided and their tags, with typed edges between them.
//!
//! [`DecisionGraph::build`] takes the parsed records (`&[Adr]`), resolves every [`Link`](crate::model::Link) to a
//! decision where it can ([`Resolution`]), and adds one edge per relation:
//!
//! | edge | from | to | written as |
//! |---|---|---|---|
//! | `supersedes` | newer decision | older decision | `Supersedes [..]` on one side, `Superseded by [..]` on the other, or both |
//! | `amends` | amending decision | amended decision | `Amends` / `Amended by` |
//! | `custom` | as written | | adr-tools `adr link` verbs; a passive `X by` is turned round |
//! | `references` | referring decision | referred decision | any other link or bare id |
//! | `considers` / `chooses` | decision | option | Considered Options, Chosen option |
//! | `decided_by` | decision | person | deciders |
//! | `tagged` | decision | tag | tags |
//!
//! A relation written on both sides gives one edge (marked `both_sides`). Links that do not
//! resolve are kept as [`ResolvedLink`]s with a [`Resolution::Broken`] or
//! [`Resolution::Ambiguous`] resolution, with the line they were written on.
//!
//! Options that name the same thing are one node: titles are folded (case, punctuation), a few
//! common aliases are merged (`Postgres` is `PostgreSQL`), and a leading `Use` is dropped.
//!
//! # Complexity
//! Building is O(N + L) in decisions and links, with hash look-ups for resolution; queries in
//! [`crate::query`] walk only the part of the graph they reach.

use crate::model::{Adr, Diagnostic, LinkKind, Severity, Status};
use crate::parse::text::{bare_ids, fold_key, number_from_name};
use foldhash::{HashMap, HashSet};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Node {
    /// A decision: index into the `&[Adr]` the graph was built from.
    Decision {
        /// Index of the record.
        adr: usize,
    },
    /// An option entity, shared by every decision that considered it.
    Option {
        /// The folded key options are merged on.
        key: String,
        /// The title as first written.
        title: String,
    },
    /// A person who decided.
    Person {
        /// Name as first written.
        name: String,
    },
    /// A tag.
    Tag {
        /// The tag.
        name: String,
    },
}

impl Node {
    /// The snake_case kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Decision { .. } => "decision",
            Node::Option { .. } => "option",
            Node::Person { .. } => "person",
            Node::Tag { .. } => "tag",
        }
    }
}

/// The kind of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Newer decision -> the decision it replaces.
    Supersedes,
    /// Amending decision -> amended decision.
    Amends,
    /// An `adr link` relation; the verb is the edge's label.
    Custom,
    /// Referring decision -> referred decision.
    References,
    /// Decision -> option it considered.
    Considers,
    /// Decision -> option it chose.
    Chooses,
    /// Decision -> person who decided.
    DecidedBy,
    /// Decision -> tag.
    Tagged,
}

impl EdgeKind {
    /// All kinds, in display order.
    pub const ALL: [EdgeKind; 8] = [
        EdgeKind::Supersedes,
        EdgeKind::Amends,
        EdgeKind::Custom,
        EdgeKind::References,
        EdgeKind::Considers,
        EdgeKind::Chooses,
        EdgeKind::DecidedBy,
        EdgeKind::Tagged,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Supersedes => "supersedes",
            EdgeKind::Amends => "amends",
            EdgeKind::Custom => "custom",
            EdgeKind::References => "references",
            EdgeKind::Considers => "considers",
            EdgeKind::Chooses => "chooses",
            EdgeKind::DecidedBy => "decided_by",
            EdgeKind::Tagged => "tagged",
        }
    }

    /// Whether this edge joins two decisions.
    pub fn is_decision_link(self) -> bool {
        matches!(self, EdgeKind::Supersedes | EdgeKind::Amends | EdgeKind::Custom | EdgeKind::References)
    }
}

impl std::str::FromStr for EdgeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EdgeKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            format!(
                "unknown edge kind `{s}` (expected one of: {})",
                EdgeKind::ALL.map(|k| k.as_str()).join(", ")
            )
        })
    }
}

/// An edge of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// What the edge means.
    pub kind: EdgeKind,
    /// Verb of a custom edge (`Clarified by`), else `None`.
    pub label: Option<String>,
    /// Qualifier kept from the text (`in part`).
    pub qualifier: Option<String>,
    /// Index of the decision whose file wrote the relation (first writer if both sides did).
    pub written_by: usize,
    /// 1-based line in that file.
    pub line: u32,
    /// True when both decisions write the relation.
    pub both_sides: bool,
}

/// What a link resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolution {
    /// A decision (index into the records).
    Decision {
        /// Index of the record.
        adr: usize,
    },
    /// An external resource (a URL outside the tree).
    External,
    /// A file of the tree that is not a decision (a README, a template, an attachment).
    NotADecision {
        /// Its path.
        path: String,
    },
    /// A path outside every root.
    OutsideTree {
        /// The normalised path.
        path: String,
    },
    /// Several decisions match (duplicate numbers).
    Ambiguous {
        /// Indexes of the candidates.
        candidates: Vec<usize>,
    },
    /// A link to a file that does not exist, whose number and text (or a file name one typo
    /// away) name exactly one decision of that folder: resolved to it, and reported.
    Misspelt {
        /// Index of the record meant.
        adr: usize,
        /// The target as written.
        written: String,
    },
    /// Nothing matches.
    Broken {
        /// Why.
        reason: String,
        /// The decision it probably meant (same number in the same folder), if any.
        suggestion: Option<usize>,
    },
}

/// One link of one record with its resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedLink {
    /// Index of the record that wrote the link.
    pub from: usize,
    /// Index into that record's `links`.
    pub link: usize,
    /// What it resolved to.
    pub resolution: Resolution,
}

impl Resolution {
    /// The decision a link leads to: resolved, or misspelt but unmistakable.
    pub fn decision(&self) -> Option<usize> {
        match self {
            Resolution::Decision { adr } | Resolution::Misspelt { adr, .. } => Some(*adr),
            _ => None,
        }
    }
}

/// Inputs besides the records: the roots and the files that are not decisions, so that links to
/// them are told apart from broken ones.
#[derive(Debug, Clone, Default)]
pub struct GraphOptions {
    /// Root paths as displayed (the prefix of every `Adr::path`).
    pub roots: Vec<String>,
    /// Paths (as displayed) of files of the tree that are not decisions.
    pub other_files: Vec<String>,
    /// The repositories the tree belongs to, as `host/owner/name` lower case (from its git
    /// remotes): a URL into one of them resolves to the file of the tree it names; a URL into
    /// any other repository is external, whatever its path.
    pub repositories: Vec<String>,
}

impl GraphOptions {
    /// The options for an ingested corpus: its roots, its non-decision files and the
    /// repositories of its roots.
    pub fn of(corpus: &crate::ingest::Corpus) -> GraphOptions {
        GraphOptions {
            roots: corpus.roots.clone(),
            other_files: corpus.skipped.iter().map(|s| s.path.clone()).collect(),
            repositories: crate::ingest::repositories_of(&corpus.abs_roots),
        }
    }
}

/// `host/owner/name` of a repository URL (`https://github.com/o/r/blob/main/x.md`,
/// `git@github.com:o/r.git`, `ssh://git@host/o/r`), lower case; `None` when it has no owner and
/// name.
pub fn repository_of_url(url: &str) -> Option<String> {
    let u = url.trim();
    let rest = match u.split_once("://") {
        Some((_, r)) => r.to_string(),
        // `git@github.com:owner/repo.git`
        None => u.split_once(':').map(|(h, p)| format!("{h}/{p}"))?,
    };
    let rest = rest.rsplit_once('@').map_or(rest.as_str(), |(_, r)| r).to_lowercase();
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let host = parts.next()?.split(':').next()?.to_string();
    let owner = parts.next()?;
    let name = parts.next()?.trim_end_matches(".git");
    (!name.is_empty()).then(|| format!("{host}/{owner}/{name}"))
}

/// The decision knowledge graph.
#[derive(Debug, Clone)]
pub struct DecisionGraph {
    /// The petgraph graph.
    pub graph: DiGraph<Node, Edge>,
    /// Node of each decision, indexed like the records.
    pub decision_nodes: Vec<NodeIndex>,
    /// Every link of every record, resolved.
    pub links: Vec<ResolvedLink>,
    options: HashMap<String, NodeIndex>,
}

/// Canonical key of an option title: folded, aliases merged, a leading `use` dropped.
pub fn option_key(title: &str) -> String {
    const ALIASES: &[(&str, &str)] = &[
        ("postgres", "postgresql"),
        ("pg", "postgresql"),
        ("psql", "postgresql"),
        ("k8s", "kubernetes"),
        ("mongo", "mongodb"),
        ("es", "elasticsearch"),
        ("gh", "github"),
        ("js", "javascript"),
        ("ts", "typescript"),
        ("golang", "go"),
        ("rabbit", "rabbitmq"),
        ("aws", "amazon"),
    ];
    let folded = fold_key(title);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() > 1 && matches!(words[0], "use" | "using" | "adopt") {
        words.remove(0);
    }
    words
        .into_iter()
        .map(|w| ALIASES.iter().find(|(a, _)| *a == w).map(|(_, c)| *c).unwrap_or(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lexically normalise `target` relative to the folder `base` (`/`-separated, `.` and `..`
/// resolved; leading `..` kept when the base runs out).
pub fn normalise_path(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined = if target.starts_with('/') || base.is_empty() {
        target.to_string()
    } else {
        format!("{base}/{target}")
    };
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let rel = parts.join("/");
    // An absolute path stays absolute: the path the user would type.
    if joined.starts_with('/') {
        format!("/{rel}")
    } else {
        rel
    }
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

struct Resolver<'a> {
    adrs: &'a [Adr],
    by_path: HashMap<Cow<'a, str>, usize>,
    by_slug: HashMap<Cow<'a, str>, Vec<usize>>,
    /// Built on the first look-up by title: most trees never need it.
    by_title: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
    /// Records by the words of their slug after its number (`provide-dlq-where-missing`), built
    /// on the first broken link that needs a suggestion.
    by_slug_words: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
    by_folder_number: HashMap<(&'a str, u32), Vec<usize>>,
    by_number: HashMap<u32, Vec<usize>>,
    by_last: HashMap<Cow<'a, str>, Vec<usize>>,
    other: HashSet<String>,
    roots: Vec<String>,
    repositories: Vec<String>,
}

/// The folder a record's number is scoped to (its folder, or for `x/README.md` records, the
/// folder holding `x`).
fn number_scope(a: &Adr) -> &str {
    let d = dir_of(&a.path);
    if a.is_folder_record() {
        dir_of(d)
    } else {
        d
    }
}

/// `s` lowercased, borrowed when it already is.
fn lower(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// `p` normalised as [`normalise_path`] does, borrowed when it already is.
fn normalised(p: &str) -> Cow<'_, str> {
    let mut seen_name = false;
    let clean = !p.starts_with('/')
        && !p.ends_with('/')
        && p.split('/').all(|c| match c {
            "" | "." => false,
            ".." => !seen_name,
            _ => {
                seen_name = true;
                true
            }
        });
    if clean {
        Cow::Borrowed(p)
    } else {
        Cow::Owned(normalise_path("", p))
    }
}

/// Paths of a record for look-ups: its file, and for folder records also the folder.
fn record_paths(a: &Adr) -> impl Iterator<Item = Cow<'_, str>> {
    let p = normalised(&a.path);
    let dir = if a.is_folder_record() {
        Some(match &p {
            Cow::Borrowed(b) => Cow::Borrowed(dir_of(b)),
            Cow::Owned(o) => Cow::Owned(dir_of(o).to_string()),
        })
    } else {
        None
    };
    std::iter::once(p).chain(dir)
}

impl<'a> Resolver<'a> {
    fn new(adrs: &'a [Adr], opts: &GraphOptions) -> Resolver<'a> {
        // Paths on one core, names and numbers on the other.
        let paths = || {
            let mut by_path = HashMap::with_capacity_and_hasher(adrs.len(), Default::default());
            let mut by_last: HashMap<Cow<'a, str>, Vec<usize>> =
                HashMap::with_capacity_and_hasher(adrs.len(), Default::default());
            for (i, a) in adrs.iter().enumerate() {
                for p in record_paths(a) {
                    let last = match &p {
                        Cow::Borrowed(b) => lower(b.rsplit('/').next().unwrap_or("")),
                        Cow::Owned(o) => Cow::Owned(o.rsplit('/').next().unwrap_or("").to_lowercase()),
                    };
                    by_last.entry(last).or_default().push(i);
                    by_path.insert(p, i);
                }
            }
            (by_path, by_last)
        };
        let names = || {
            let mut by_slug: HashMap<Cow<'a, str>, Vec<usize>> =
                HashMap::with_capacity_and_hasher(adrs.len(), Default::default());
            let mut by_folder_number: HashMap<(&'a str, u32), Vec<usize>> =
                HashMap::with_capacity_and_hasher(adrs.len(), Default::default());
            let mut by_number: HashMap<u32, Vec<usize>> = HashMap::default();
            for (i, a) in adrs.iter().enumerate() {
                by_slug.entry(lower(&a.slug)).or_default().push(i);
                if let Some(n) = a.number {
                    by_folder_number.entry((number_scope(a), n)).or_default().push(i);
                    by_number.entry(n).or_default().push(i);
                }
            }
            (by_slug, by_folder_number, by_number)
        };
        let ((by_path, by_last), (by_slug, by_folder_number, by_number)) =
            if adrs.len() >= crate::PARALLEL_FROM { rayon::join(paths, names) } else { (paths(), names()) };
        Resolver {
            adrs,
            by_path,
            by_slug,
            by_title: std::sync::OnceLock::new(),
            by_slug_words: std::sync::OnceLock::new(),
            by_folder_number,
            by_number,
            by_last,
            other: opts.other_files.iter().map(|p| normalise_path("", p)).collect(),
            roots: opts.roots.iter().map(|r| normalise_path("", r)).collect(),
            repositories: opts.repositories.clone(),
        }
    }

    fn titles(&self) -> &HashMap<String, Vec<usize>> {
        self.by_title.get_or_init(|| {
            let mut m: HashMap<String, Vec<usize>> = HashMap::default();
            for (i, a) in self.adrs.iter().enumerate() {
                if let Some(t) = &a.title {
                    m.entry(fold_key(t)).or_default().push(i);
                }
            }
            m
        })
    }

    /// A record at exactly `path`, or at `path` up to letter case.
    fn at_path(&self, path: &str) -> Option<usize> {
        if let Some(&i) = self.by_path.get(path) {
            return Some(i);
        }
        let last = lower(path.rsplit('/').next().unwrap_or(path));
        self.by_last
            .get(last.as_ref())?
            .iter()
            .copied()
            .find(|&i| record_paths(&self.adrs[i]).any(|p| p.eq_ignore_ascii_case(path)))
    }

    fn unique(found: Option<&Vec<usize>>) -> Option<Result<usize, Vec<usize>>> {
        match found.map(Vec::as_slice) {
            None | Some([]) => None,
            Some([one]) => Some(Ok(*one)),
            Some(many) => Some(Err(many.to_vec())),
        }
    }

    /// Decisions numbered `n`, nearest first: in the folder of `from`, else under its nearest
    /// ancestor folder that has any (numbers restart per folder, and a repository may hold
    /// several decision logs).
    fn by_number_near(&self, from: usize, n: u32) -> Option<Result<usize, Vec<usize>>> {
        let scope = number_scope(&self.adrs[from]);
        if let Some(r) = Self::unique(self.by_folder_number.get(&(scope, n))) {
            return Some(r);
        }
        let all = self.by_number.get(&n)?;
        let mut prefix = scope;
        loop {
            prefix = match prefix.rsplit_once('/') {
                Some((p, _)) => p,
                None if !prefix.is_empty() => "",
                None => return None,
            };
            let under: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| prefix.is_empty() || self.adrs[i].path.starts_with(&format!("{prefix}/")))
                .collect();
            if !under.is_empty() {
                return Self::unique(Some(&under));
            }
            if prefix.is_empty() {
                return None;
            }
        }
    }

    fn under_a_root(&self, path: &str) -> bool {
        self.roots.iter().any(|r| r.is_empty() || path == r || path.starts_with(&format!("{r}/")))
    }

    /// Match the trailing components of `path` against records' paths.
    fn by_suffix(&self, path: &str) -> Option<Result<usize, Vec<usize>>> {
        let path = path.trim_matches('/');
        let last = path.rsplit('/').next()?.to_lowercase();
        let mut candidates: Vec<String> = vec![last.clone()];
        if !last.contains('.') {
            candidates.push(format!("{last}.md"));
        }
        let comps: Vec<String> = path.split('/').map(str::to_lowercase).collect();
        let mut best: Vec<(usize, usize)> = Vec::new(); // (matched components, adr)
        for c in candidates {
            for &i in self.by_last.get(c.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                for p in record_paths(&self.adrs[i]) {
                    let pc: Vec<String> = p.split('/').map(str::to_lowercase).collect();
                    let pl = pc.last().cloned().unwrap_or_default();
                    if pl != c {
                        continue;
                    }
                    let mut k = 1;
                    while k < comps.len()
                        && k < pc.len()
                        && comps[comps.len() - 1 - k] == pc[pc.len() - 1 - k]
                    {
                        k += 1;
                    }
                    best.push((k, i));
                }
            }
        }
        let top = best.iter().map(|(k, _)| *k).max()?;
        // `README.md` alone says nothing about which record is meant.
        if top < 2 && matches!(last.as_str(), "readme.md" | "index.md" | "readme" | "index") {
            return None;
        }
        let mut winners: Vec<usize> = best.iter().filter(|(k, _)| *k == top).map(|(_, i)| *i).collect();
        winners.sort_unstable();
        winners.dedup();
        Self::unique(Some(&winners))
    }

    /// A non-decision file of the tree whose last two path components match `path`'s.
    fn other_by_suffix(&self, path: &str) -> Option<String> {
        let comps: Vec<&str> = path.trim_matches('/').rsplit('/').take(2).collect();
        if comps.len() < 2 {
            return None;
        }
        let tail = format!("/{}/{}", comps[1], comps[0]);
        let mut found: Vec<&String> = self.other.iter().filter(|o| o.ends_with(&tail)).collect();
        found.sort();
        found.first().map(|s| s.to_string())
    }

    /// The links of record `i` (`a`), resolved: all of them, or only its supersessions.
    fn links_of<'s>(
        &'s self,
        i: usize,
        a: &'s Adr,
        only_supersession: bool,
    ) -> impl Iterator<Item = ResolvedLink> + 's {
        a.links.iter().enumerate().filter_map(move |(l, link)| {
            let wanted =
                !only_supersession || matches!(link.kind, LinkKind::Supersedes | LinkKind::SupersededBy);
            wanted.then(|| ResolvedLink { from: i, link: l, resolution: self.resolve(i, l) })
        })
    }

    /// The one decision a link to a missing file meant, when the file name's number and the
    /// link's text (or the file name's slug, up to a typo) name exactly one decision of the
    /// folder the link points into: `[0015 GovUK Notify](0015-govuuk-notify.md)` when
    /// `0015-govuk-notify.md` exists.
    fn misspelt(&self, norm: &str, text: &str) -> Option<usize> {
        let file = norm.rsplit('/').next()?;
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let n = number_from_name(stem)?;
        let folder = dir_of(norm);
        let [i] = self.by_folder_number.get(&(folder, n))?.as_slice() else { return None };
        let a = &self.adrs[*i];
        let words = |s: &str| -> String {
            fold_key(s)
                .split(' ')
                .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let text_names_it = a.title.as_deref().is_some_and(|t| {
            let (t, k) = (words(t), words(text));
            !t.is_empty() && t == k
        });
        let (want, have) = (words(stem), words(&a.slug));
        let typo = !want.is_empty() && strsim::levenshtein(&want, &have) <= (have.len() / 10).max(2);
        (text_names_it || typo).then_some(*i)
    }

    /// The decision a broken link to `norm` probably meant: one whose file name has the same
    /// slug (`0034-provide-dlq.md` -> `0045-provide-dlq.md`), nearest folder first, else the
    /// decision with the link's number.
    fn suggestion_for(&self, from: usize, norm: &str, number: Option<u32>) -> Option<usize> {
        let file = norm.rsplit('/').next().unwrap_or(norm);
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s).to_lowercase();
        let slug_words = |s: &str| -> String {
            let t = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
            let t = t
                .strip_prefix("adr")
                .map_or(t, |r| r.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_'));
            t.to_string()
        };
        let want = slug_words(&stem);
        if want.len() >= 3 {
            let folder = dir_of(norm);
            let by_words = self.by_slug_words.get_or_init(|| {
                let mut m: HashMap<String, Vec<usize>> = HashMap::default();
                for (i, a) in self.adrs.iter().enumerate() {
                    m.entry(slug_words(&a.slug.to_lowercase())).or_default().push(i);
                }
                m
            });
            let mut same: Vec<usize> =
                by_words.get(&want).into_iter().flatten().copied().filter(|&i| i != from).collect();
            same.sort_by_key(|&i| (dir_of(&self.adrs[i].path) != folder, i));
            if let Some(&i) = same.first() {
                return Some(i);
            }
        }
        self.suggestion(from, number)
    }

    fn suggestion(&self, from: usize, number: Option<u32>) -> Option<usize> {
        let n = number?;
        match self.by_number_near(from, n) {
            Some(Ok(i)) if i != from => Some(i),
            _ => None,
        }
    }

    fn resolve(&self, from: usize, link_idx: usize) -> Resolution {
        let a = &self.adrs[from];
        let link = &a.links[link_idx];
        let target = link.target.trim();
        let typed = link.kind != LinkKind::References;
        let from_result = |r: Result<usize, Vec<usize>>| match r {
            Ok(i) => Resolution::Decision { adr: i },
            Err(c) => Resolution::Ambiguous { candidates: c },
        };
        if target.is_empty() || target.starts_with('#') {
            return Resolution::External;
        }
        // `MADR #032` is an id, not a path with an anchor.
        let id_like = !target.contains('/') && !target.contains('.') && target.contains(' ');
        let no_anchor =
            if id_like { target } else { target.split(['#', '?']).next().unwrap_or(target).trim() };
        // `//host/x.md`: a network-path reference, never a file of the tree.
        if no_anchor.starts_with("//") {
            return Resolution::External;
        }
        // URLs: a URL into the tree's own repository resolves by its trailing path; one into any
        // other repository is external.
        if let Some((scheme, rest)) = no_anchor.split_once("://") {
            if !matches!(scheme, "http" | "https") {
                return Resolution::External;
            }
            let ours = repository_of_url(no_anchor).is_some_and(|r| self.repositories.contains(&r));
            if !ours {
                return Resolution::External;
            }
            let path = rest.split_once('/').map(|(_, p)| p).unwrap_or("");
            let segs: Vec<&str> = path.split('/').collect();
            let tail = match segs.iter().position(|s| *s == "blob" || *s == "tree") {
                Some(p) if p + 2 <= segs.len() => segs[p + 2..].join("/"),
                _ => path.to_string(),
            };
            if let Some(r) = self.by_suffix(&tail).filter(|_| tail.contains('/') || tail.ends_with(".md")) {
                // Only trust a suffix match on more than the file name when it is a bare host URL.
                return from_result(r);
            }
            let md = tail.to_lowercase().ends_with(".md");
            if typed && md {
                return Resolution::Broken {
                    reason: format!("`{target}` points to no decision of the tree"),
                    suggestion: self.suggestion(from, link.number),
                };
            }
            return Resolution::External;
        }
        if no_anchor.contains(':')
            && !no_anchor.contains('/')
            && no_anchor.split(':').next().is_some_and(|s| s == "mailto" || s == "file")
        {
            return Resolution::External;
        }
        // `github.com/org/repo/issues/1`: a URL written without its scheme.
        let first = no_anchor.split('/').next().unwrap_or("");
        if no_anchor.contains('/')
            && first.contains('.')
            && first
                .rsplit('.')
                .next()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase()))
            && first != ".."
        {
            return Resolution::External;
        }
        let looks_like_path = no_anchor.contains('/')
            || no_anchor.rsplit_once('.').is_some_and(|(_, e)| {
                e.len() <= 8 && e.chars().all(char::is_alphanumeric) && !e.chars().all(|c| c.is_ascii_digit())
            });
        if looks_like_path {
            if no_anchor.starts_with('/') {
                // Repository-absolute (`/keps/sig-cli/2386-x/`): match by trailing components.
                if let Some(r) = self.by_suffix(no_anchor) {
                    return from_result(r);
                }
                if let Some(p) = self.other_by_suffix(no_anchor) {
                    return Resolution::NotADecision { path: p };
                }
                return Resolution::Broken {
                    reason: format!("no decision at `{no_anchor}`"),
                    suggestion: self.suggestion(from, link.number),
                };
            }
            let base = dir_of(&a.path);
            let norm = normalise_path(base, no_anchor);
            for cand in [norm.clone(), format!("{norm}.md")] {
                if let Some(i) = self.at_path(&cand) {
                    return Resolution::Decision { adr: i };
                }
                if self.other.contains(&cand) {
                    return Resolution::NotADecision { path: cand };
                }
            }
            if let Some(adr) = self.misspelt(&norm, &link.text) {
                return Resolution::Misspelt { adr, written: no_anchor.to_string() };
            }
            // A link into the record's own folder is in the tree, however the root was written.
            if !self.under_a_root(&norm) && dir_of(&norm) != base {
                return Resolution::OutsideTree { path: norm };
            }
            return Resolution::Broken {
                reason: format!("no file `{norm}`"),
                suggestion: self.suggestion_for(from, &norm, link.number),
            };
        }
        // An id: a slug, a title, or a number (`ADR-0012`, `MADR 099`, `61`).
        if let Some(r) = Self::unique(self.by_slug.get(lower(no_anchor).as_ref())) {
            return from_result(r);
        }
        let is_number = !bare_ids(no_anchor).is_empty()
            || no_anchor.chars().all(|c| c.is_ascii_digit())
            || crate::parse::text::number_from_name(no_anchor).is_some();
        if is_number {
            if let Some(n) = link.number {
                return match self.by_number_near(from, n) {
                    Some(r) => from_result(r),
                    None => {
                        Resolution::Broken { reason: format!("no decision numbered {n}"), suggestion: None }
                    }
                };
            }
        }
        if let Some(r) = Self::unique(self.titles().get(&fold_key(no_anchor))) {
            return from_result(r);
        }
        if !typed && !is_number {
            // A plain word in a references list (`kinflate`) that names nothing we know.
            return Resolution::Broken {
                reason: format!("`{no_anchor}` names no decision"),
                suggestion: None,
            };
        }
        Resolution::Broken {
            reason: format!("`{no_anchor}` names no decision"),
            suggestion: self.suggestion(from, link.number),
        }
    }
}

impl DecisionGraph {
    /// Build the graph from records (see the module docs for what becomes a node and an edge).
    pub fn build(adrs: &[Adr], opts: &GraphOptions) -> DecisionGraph {
        Self::build_with(adrs, opts, false)
    }

    /// Only the supersession edges of [`DecisionGraph::build`] (the same edges, in the same
    /// order): the decisions, their `supersedes` / `superseded by` links resolved, no other link,
    /// option, person or tag. Enough for [`crate::query::chain`] and what is in force, at a
    /// fraction of the cost on a large tree. [`DecisionGraph::links`] then holds only those links.
    pub fn build_supersession(adrs: &[Adr], opts: &GraphOptions) -> DecisionGraph {
        Self::build_with(adrs, opts, true)
    }

    fn build_with<'a>(adrs: &'a [Adr], opts: &GraphOptions, only_supersession: bool) -> DecisionGraph {
        let resolver = Resolver::new(adrs, opts);
        let mut graph: DiGraph<Node, Edge> = DiGraph::with_capacity(adrs.len() * 3, adrs.len() * 6);
        let decision_nodes: Vec<NodeIndex> =
            (0..adrs.len()).map(|i| graph.add_node(Node::Decision { adr: i })).collect();
        // Every link is resolved on its own: on every core for large trees, in order.
        let resolver = &resolver;
        let resolved = |(i, a): (usize, &'a Adr)| resolver.links_of(i, a, only_supersession);
        let links: Vec<ResolvedLink> = if adrs.len() >= crate::PARALLEL_FROM {
            use rayon::prelude::*;
            adrs.par_iter().enumerate().flat_map_iter(resolved).collect()
        } else {
            adrs.iter().enumerate().flat_map(resolved).collect()
        };
        let mut g = DecisionGraph { graph, decision_nodes, links, options: HashMap::default() };
        let mut seen: HashMap<(usize, usize, EdgeKind), EdgeIndex> = HashMap::default();
        // Typed relations first, so that a plain reference between the same pair adds nothing.
        for pass in [true, false] {
            for li in 0..g.links.len() {
                let rl = &g.links[li];
                let Some(to) = rl.resolution.decision() else { continue };
                let link = &adrs[rl.from].links[rl.link];
                if to == rl.from || (link.kind != LinkKind::References) != pass {
                    continue;
                }
                let (src, dst, kind) = match link.kind {
                    LinkKind::Supersedes => (rl.from, to, EdgeKind::Supersedes),
                    LinkKind::SupersededBy => (to, rl.from, EdgeKind::Supersedes),
                    LinkKind::Amends => (rl.from, to, EdgeKind::Amends),
                    LinkKind::AmendedBy => (to, rl.from, EdgeKind::Amends),
                    LinkKind::Custom => {
                        let passive =
                            link.label.as_deref().is_some_and(|l| l.to_lowercase().ends_with(" by"));
                        if passive {
                            (to, rl.from, EdgeKind::Custom)
                        } else {
                            (rl.from, to, EdgeKind::Custom)
                        }
                    }
                    LinkKind::References => (rl.from, to, EdgeKind::References),
                };
                if kind == EdgeKind::References
                    && [EdgeKind::Supersedes, EdgeKind::Amends, EdgeKind::Custom]
                        .iter()
                        .any(|k| seen.contains_key(&(src, dst, *k)) || seen.contains_key(&(dst, src, *k)))
                {
                    continue;
                }
                if let Some(&e) = seen.get(&(src, dst, kind)) {
                    let w = &mut g.graph[e];
                    if w.written_by != rl.from {
                        w.both_sides = true;
                    }
                    if w.qualifier.is_none() {
                        w.qualifier = link.qualifier.clone();
                    }
                    continue;
                }
                let e = g.graph.add_edge(
                    g.decision_nodes[src],
                    g.decision_nodes[dst],
                    Edge {
                        kind,
                        label: link.label.clone(),
                        qualifier: link.qualifier.clone(),
                        written_by: rl.from,
                        line: link.line,
                        both_sides: false,
                    },
                );
                seen.insert((src, dst, kind), e);
            }
        }
        if only_supersession {
            return g;
        }
        // Options, people, tags.
        let mut people: BTreeMap<String, NodeIndex> = BTreeMap::new();
        let mut tags: BTreeMap<String, NodeIndex> = BTreeMap::new();
        // Spellings that differ only in spaces (`ArgoCD`, `Argo CD`) are one option, keyed by
        // the first spelling met.
        let mut by_joined: HashMap<String, NodeIndex> = HashMap::default();
        for (i, a) in adrs.iter().enumerate() {
            let d = g.decision_nodes[i];
            let mut done: HashSet<NodeIndex> = HashSet::default();
            for o in &a.options {
                let key = option_key(&o.title);
                if key.is_empty() {
                    continue;
                }
                let n = match by_joined.get(&key.replace(' ', "")) {
                    Some(&n) => n,
                    None => {
                        let n = *g.options.entry(key.clone()).or_insert_with(|| {
                            g.graph.add_node(Node::Option { key: key.clone(), title: o.title.clone() })
                        });
                        by_joined.insert(key.replace(' ', ""), n);
                        n
                    }
                };
                if done.insert(n) {
                    let edge = |kind| Edge {
                        kind,
                        label: None,
                        qualifier: None,
                        written_by: i,
                        line: o.line,
                        both_sides: false,
                    };
                    g.graph.add_edge(d, n, edge(EdgeKind::Considers));
                    if o.chosen {
                        g.graph.add_edge(d, n, edge(EdgeKind::Chooses));
                    }
                }
            }
            for p in &a.deciders {
                let key = fold_key(p);
                if key.is_empty() {
                    continue;
                }
                let n =
                    *people.entry(key).or_insert_with(|| g.graph.add_node(Node::Person { name: p.clone() }));
                g.graph.add_edge(
                    d,
                    n,
                    Edge {
                        kind: EdgeKind::DecidedBy,
                        label: None,
                        qualifier: None,
                        written_by: i,
                        line: 0,
                        both_sides: false,
                    },
                );
            }
            for t in &a.tags {
                let key = t.to_lowercase();
                let n = *tags.entry(key).or_insert_with(|| g.graph.add_node(Node::Tag { name: t.clone() }));
                g.graph.add_edge(
                    d,
                    n,
                    Edge {
                        kind: EdgeKind::Tagged,
                        label: None,
                        qualifier: None,
                        written_by: i,
                        line: 0,
                        both_sides: false,
                    },
                );
            }
        }
        g
    }

    /// A graph of the decisions and the links between them only (no options, people or tags,
    /// no link resolutions), from edges resolved earlier ([`DecisionGraph::decision_edge_list`]):
    /// all that impact, dependency, chain and path queries walk. Edges must come in the order
    /// that list gives, so that queries visit them in the same order.
    pub fn from_decision_edges(decisions: usize, edges: Vec<(usize, usize, Edge)>) -> DecisionGraph {
        let mut graph = DiGraph::with_capacity(decisions, edges.len());
        let decision_nodes: Vec<NodeIndex> =
            (0..decisions).map(|adr| graph.add_node(Node::Decision { adr })).collect();
        for (a, b, e) in edges {
            if a < decisions && b < decisions {
                graph.add_edge(decision_nodes[a], decision_nodes[b], e);
            }
        }
        DecisionGraph { graph, decision_nodes, links: Vec::new(), options: HashMap::default() }
    }

    /// Every edge between two decisions as `(from, to, edge)` (records' indexes), in the
    /// graph's edge order.
    pub fn decision_edge_list(&self) -> Vec<(usize, usize, Edge)> {
        self.graph
            .edge_references()
            .filter(|e| e.weight().kind.is_decision_link())
            .filter_map(|e| Some((self.adr_of(e.source())?, self.adr_of(e.target())?, e.weight().clone())))
            .collect()
    }

    /// The record index of a decision node, or `None` for other nodes.
    pub fn adr_of(&self, n: NodeIndex) -> Option<usize> {
        match self.graph[n] {
            Node::Decision { adr } => Some(adr),
            _ => None,
        }
    }

    /// Decision-to-decision edges leaving (`Outgoing`) or entering (`Incoming`) decision `adr`:
    /// `(other decision, edge)`, in insertion order.
    pub fn decision_edges(&self, adr: usize, dir: Direction) -> impl Iterator<Item = (usize, &Edge)> + '_ {
        self.graph.edges_directed(self.decision_nodes[adr], dir).filter_map(move |e| {
            if !e.weight().kind.is_decision_link() {
                return None;
            }
            let other = if dir == Direction::Outgoing { e.target() } else { e.source() };
            self.adr_of(other).map(|o| (o, e.weight()))
        })
    }

    /// Option entities whose key contains every word of `name` (folded and aliased as option
    /// titles are), in key order.
    pub fn find_options(&self, name: &str) -> Vec<NodeIndex> {
        let q = option_key(name);
        let words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return Vec::new();
        }
        // `Argo CD` finds the option first spelt `ArgoCD`, and the other way round.
        let joined = q.replace(' ', "");
        if let Some((_, &n)) = self.options.iter().find(|(k, _)| k.replace(' ', "") == joined) {
            return vec![n];
        }
        let mut found: Vec<(&String, NodeIndex)> = self
            .options
            .iter()
            .filter(|(k, _)| {
                let kw: HashSet<&str> = k.split(' ').collect();
                words.iter().all(|w| kw.contains(w))
            })
            .map(|(k, n)| (k, *n))
            .collect();
        found.sort();
        found.into_iter().map(|(_, n)| n).collect()
    }

    /// Links that resolved to nothing, or to several decisions.
    pub fn unresolved(&self) -> impl Iterator<Item = &ResolvedLink> {
        self.links
            .iter()
            .filter(|l| matches!(l.resolution, Resolution::Broken { .. } | Resolution::Ambiguous { .. }))
    }

    /// A warning for every link that resolves to nothing (`broken-link`) or to several
    /// decisions (`ambiguous-link`), at the line the link is written on, sorted.
    pub fn diagnostics(&self, adrs: &[Adr]) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .unresolved()
            .map(|rl| {
                let a = &adrs[rl.from];
                let link = &a.links[rl.link];
                let (code, message) = match &rl.resolution {
                    Resolution::Ambiguous { candidates } => (
                        "ambiguous-link",
                        format!(
                            "{} link `{}` matches {} decisions: {}",
                            link.kind,
                            link.target,
                            candidates.len(),
                            candidates.iter().map(|&c| adrs[c].id.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    ),
                    Resolution::Broken { reason, suggestion } => (
                        "broken-link",
                        match suggestion {
                            Some(s) => format!(
                                "{} link `{}` is broken: {reason}; did you mean {} ({})?",
                                link.kind, link.target, adrs[*s].id, adrs[*s].path
                            ),
                            None => format!("{} link `{}` is broken: {reason}", link.kind, link.target),
                        },
                    ),
                    _ => unreachable!("unresolved() yields only broken and ambiguous links"),
                };
                Diagnostic::new(&a.path, link.line, Severity::Warning, code, message)
            })
            .collect();
        out.sort();
        out
    }

    /// Figures: nodes and edges by kind, link resolutions, supersession cycles, components.
    pub fn stats(&self, adrs: &[Adr]) -> GraphStats {
        let mut s = GraphStats::default();
        for n in self.graph.node_weights() {
            *s.nodes.entry(n.kind().to_string()).or_default() += 1;
        }
        for e in self.graph.edge_weights() {
            *s.edges.entry(e.kind.as_str().to_string()).or_default() += 1;
        }
        for l in &self.links {
            let k = match l.resolution {
                Resolution::Decision { .. } => "decision",
                Resolution::External => "external",
                Resolution::NotADecision { .. } => "not_a_decision",
                Resolution::OutsideTree { .. } => "outside_tree",
                Resolution::Ambiguous { .. } => "ambiguous",
                Resolution::Misspelt { .. } => "misspelt",
                Resolution::Broken { .. } => "broken",
            };
            *s.links.entry(k.to_string()).or_default() += 1;
        }
        s.broken_links =
            s.links.get("broken").copied().unwrap_or(0) + s.links.get("ambiguous").copied().unwrap_or(0);
        s.supersession_cycles = supersession_cycles(self).len();
        // Weakly connected components over decision links.
        let n = adrs.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for e in self.graph.edge_references() {
            if !e.weight().kind.is_decision_link() {
                continue;
            }
            if let (Some(a), Some(b)) = (self.adr_of(e.source()), self.adr_of(e.target())) {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                if ra != rb {
                    parent[ra] = rb;
                }
            }
        }
        let roots: BTreeSet<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
        s.components = roots.len();
        s.isolated_decisions = (0..n)
            .filter(|&i| {
                self.decision_edges(i, Direction::Outgoing).next().is_none()
                    && self.decision_edges(i, Direction::Incoming).next().is_none()
            })
            .count();
        s.in_force = adrs.iter().filter(|a| a.status == Status::Accepted).count();
        s
    }
}

/// Graph figures for `adrgraph stats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphStats {
    /// Nodes per kind.
    pub nodes: BTreeMap<String, usize>,
    /// Edges per kind.
    pub edges: BTreeMap<String, usize>,
    /// Links per resolution (`decision`, `external`, `not_a_decision`, `outside_tree`,
    /// `ambiguous`, `broken`).
    pub links: BTreeMap<String, usize>,
    /// Links that resolve to no decision or to several.
    pub broken_links: usize,
    /// Supersession cycles.
    pub supersession_cycles: usize,
    /// Weakly connected components of decisions (an unlinked decision is one).
    pub components: usize,
    /// Decisions with no link to or from another decision.
    pub isolated_decisions: usize,
    /// Accepted decisions.
    pub in_force: usize,
}

/// Every supersession cycle, as record indexes (each cycle sorted).
pub fn supersession_cycles(g: &DecisionGraph) -> Vec<Vec<usize>> {
    let only_sup =
        petgraph::visit::EdgeFiltered::from_fn(&g.graph, |e| e.weight().kind == EdgeKind::Supersedes);
    let mut cycles: Vec<Vec<usize>> = petgraph::algo::tarjan_scc(&only_sup)
        .into_iter()
        .filter(|scc| scc.len() > 1)
        .map(|scc| {
            let mut v: Vec<usize> = scc.into_iter().filter_map(|n| g.adr_of(n)).collect();
            v.sort_unstable();
            v
        })
        .collect();
    cycles.sort();
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, LinkSource};

    pub(crate) fn adr(path: &str, number: Option<u32>, links: &[(LinkKind, &str)]) -> Adr {
        let rel = path.rsplit('/').next().unwrap();
        let mut a = Adr::empty(rel.trim_end_matches(".md"), path, rel);
        a.slug = rel.trim_end_matches(".md").to_string();
        a.number = number;
        a.status = Status::Accepted;
        a.links = links
            .iter()
            .enumerate()
            .map(|(i, (kind, target))| Link {
                kind: kind.clone(),
                label: None,
                qualifier: None,
                text: target.to_string(),
                target: target.to_string(),
                number: crate::parse::text::number_in_reference(target, target),
                source: LinkSource::Prose,
                line: i as u32 + 1,
            })
            .collect();
        a
    }

    fn opts() -> GraphOptions {
        GraphOptions {
            roots: vec!["adr".into()],
            other_files: vec!["adr/README.md".into()],
            repositories: vec!["github.com/o/r".into()],
        }
    }

    #[test]
    fn one_sided_and_two_sided_supersession_give_one_edge() {
        let adrs = vec![
            adr("adr/0001-a.md", Some(1), &[(LinkKind::SupersededBy, "0002-b.md")]),
            adr("adr/0002-b.md", Some(2), &[(LinkKind::Supersedes, "0001-a.md")]),
            adr("adr/0003-c.md", Some(3), &[(LinkKind::Supersedes, "0002-b.md")]),
        ];
        let g = DecisionGraph::build(&adrs, &opts());
        let sup: Vec<(usize, usize, bool)> = g
            .graph
            .edge_references()
            .filter(|e| e.weight().kind == EdgeKind::Supersedes)
            .map(|e| (g.adr_of(e.source()).unwrap(), g.adr_of(e.target()).unwrap(), e.weight().both_sides))
            .collect();
        assert_eq!(sup, vec![(1, 0, true), (2, 1, false)]);
    }

    #[test]
    fn resolution_of_paths_ids_urls_and_broken() {
        let adrs = vec![
            adr(
                "adr/0001-a.md",
                Some(1),
                &[
                    (LinkKind::References, "./0002-b.md#why"),
                    (LinkKind::References, "ADR-0002"),
                    (LinkKind::References, "https://github.com/o/r/blob/main/adr/sub/0003-c.md"),
                    (LinkKind::SupersededBy, "0009-missing.md"),
                    (LinkKind::References, "README.md"),
                    (LinkKind::References, "../../etc/passwd.md"),
                    (LinkKind::References, "https://example.com/x"),
                    (LinkKind::References, "0002-b"),
                    (LinkKind::References, "Title of B"),
                ],
            ),
            {
                let mut b = adr("adr/0002-b.md", Some(2), &[]);
                b.title = Some("Title of B".into());
                b
            },
            adr("adr/sub/0003-c.md", Some(3), &[(LinkKind::References, "../0001-a.md")]),
        ];
        let g = DecisionGraph::build(&adrs, &opts());
        let res: Vec<&Resolution> = g.links.iter().filter(|l| l.from == 0).map(|l| &l.resolution).collect();
        assert_eq!(res[0], &Resolution::Decision { adr: 1 });
        assert_eq!(res[1], &Resolution::Decision { adr: 1 });
        assert_eq!(res[2], &Resolution::Decision { adr: 2 });
        assert!(matches!(res[3], Resolution::Broken { suggestion: None, .. }), "{:?}", res[3]);
        assert_eq!(res[4], &Resolution::NotADecision { path: "adr/README.md".into() });
        assert!(matches!(res[5], Resolution::OutsideTree { .. }), "{:?}", res[5]);
        assert_eq!(res[6], &Resolution::External);
        assert_eq!(res[7], &Resolution::Decision { adr: 1 });
        assert_eq!(res[8], &Resolution::Decision { adr: 1 });
        assert_eq!(g.links.iter().find(|l| l.from == 2).unwrap().resolution, Resolution::Decision { adr: 0 });
    }

    #[test]
    fn numbers_resolve_in_their_own_folder_first() {
        let adrs = vec![
            adr("adr/a/0001-x.md", Some(1), &[(LinkKind::References, "ADR-2")]),
            adr("adr/a/0002-y.md", Some(2), &[]),
            adr("adr/b/0002-z.md", Some(2), &[]),
            adr("adr/b/0003-w.md", Some(3), &[(LinkKind::References, "ADR 2")]),
        ];
        let g = DecisionGraph::build(&adrs, &opts());
        assert_eq!(g.links[0].resolution, Resolution::Decision { adr: 1 });
        assert_eq!(g.links[1].resolution, Resolution::Decision { adr: 2 });
    }

    #[test]
    fn wrong_file_name_is_broken_with_a_suggestion() {
        let adrs = vec![
            adr("adr/ADR004-a.md", Some(4), &[(LinkKind::SupersededBy, "ADR045-use-forms-api.md")]),
            adr("adr/ADR045-remove-forms-api.md", Some(45), &[]),
        ];
        let g = DecisionGraph::build(&adrs, &opts());
        assert!(
            matches!(g.links[0].resolution, Resolution::Broken { suggestion: Some(1), .. }),
            "{:?}",
            g.links[0]
        );
        assert_eq!(g.graph.edge_count(), 0);
    }

    #[test]
    fn duplicate_numbers_are_ambiguous() {
        let adrs = vec![
            adr("adr/ADR013-a.md", Some(13), &[(LinkKind::SupersededBy, "ADR025")]),
            adr("adr/ADR025-b.md", Some(25), &[]),
            adr("adr/ADR025-c.md", Some(25), &[]),
        ];
        let g = DecisionGraph::build(&adrs, &opts());
        assert_eq!(g.links[0].resolution, Resolution::Ambiguous { candidates: vec![1, 2] });
    }

    #[test]
    fn options_merge_across_spellings() {
        let mut a = adr("adr/0001-a.md", Some(1), &[]);
        a.options = vec![crate::model::ConsideredOption {
            title: "PostgreSQL".into(),
            chosen: true,
            ..Default::default()
        }];
        let mut b = adr("adr/0002-b.md", Some(2), &[]);
        b.options = vec![
            crate::model::ConsideredOption { title: "Use Postgres".into(), ..Default::default() },
            crate::model::ConsideredOption { title: "Apache Kafka".into(), ..Default::default() },
        ];
        let g = DecisionGraph::build(&[a, b], &opts());
        let pg = g.find_options("postgres");
        assert_eq!(pg.len(), 1);
        let users: Vec<usize> = g
            .graph
            .edges_directed(pg[0], Direction::Incoming)
            .filter(|e| e.weight().kind == EdgeKind::Considers)
            .filter_map(|e| g.adr_of(e.source()))
            .collect();
        assert_eq!(users.len(), 2);
        assert_eq!(g.find_options("kafka").len(), 1);
        assert_eq!(option_key("Use PostgreSQL"), option_key("postgres"));
    }

    #[test]
    fn normalise_paths() {
        assert_eq!(normalise_path("a/b", "../c.md"), "a/c.md");
        assert_eq!(normalise_path("../x/a", "../../y.md"), "../y.md");
        assert_eq!(normalise_path("a", "./b/./c.md"), "a/b/c.md");
        assert_eq!(normalise_path("a", "../../../etc/passwd"), "../../etc/passwd");
        // Absolute stays absolute, as the user would type it.
        assert_eq!(normalise_path("/tmp/t/adr", "0001-x.md"), "/tmp/t/adr/0001-x.md");
        assert_eq!(normalise_path("/tmp/t/adr", "../b.md"), "/tmp/t/b.md");
    }
}

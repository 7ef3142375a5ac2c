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

use crate::model::{Adr, DecisionIndex, Diagnostic, LinkKind, Severity, Status};
use crate::names::{bare_ids, fold_key, number_from_name, repository_of_url};
use foldhash::{HashMap, HashSet};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

mod build;
mod resolve;

pub use resolve::normalise_path;
use resolve::*;

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Node {
    /// A decision: index into the `&[Adr]` the graph was built from.
    Decision {
        /// Index of the record.
        adr: DecisionIndex,
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
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EdgeKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| crate::Error::Unknown {
            what: "edge kind",
            value: s.to_string(),
            expected: format!("one of: {}", EdgeKind::ALL.map(|k| k.as_str()).join(", ")),
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
    /// The decision whose file wrote the relation (first writer if both sides did).
    pub written_by: DecisionIndex,
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
        adr: DecisionIndex,
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
        candidates: Vec<DecisionIndex>,
    },
    /// A link to a file that does not exist, whose number and text (or a file name one typo
    /// away) name exactly one decision of that folder: resolved to it, and reported.
    Misspelt {
        /// Index of the record meant.
        adr: DecisionIndex,
        /// The target as written.
        written: String,
    },
    /// Nothing matches.
    Broken {
        /// Why.
        reason: String,
        /// The decision it probably meant (same number in the same folder), if any.
        suggestion: Option<DecisionIndex>,
    },
}

/// One link of one record with its resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedLink {
    /// The record that wrote the link.
    pub from: DecisionIndex,
    /// Index into that record's `links`.
    pub link: usize,
    /// What it resolved to.
    pub resolution: Resolution,
}

impl Resolution {
    /// The decision a link leads to: resolved, or misspelt but unmistakable.
    pub fn decision(&self) -> Option<DecisionIndex> {
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

/// The warning for a link that resolves to nothing (`broken-link`) or to several decisions
/// (`ambiguous-link`), at the line it is written on; `None` for a resolved link.
fn link_diagnostic(adrs: &[Adr], rl: &ResolvedLink) -> Option<Diagnostic> {
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
        _ => return None,
    };
    Some(Diagnostic::new(&a.path, link.line, Severity::Warning, code, message))
}

/// The decision knowledge graph.
#[derive(Debug, Clone)]
pub struct DecisionGraph {
    /// The petgraph graph.
    pub(crate) graph: DiGraph<Node, Edge>,
    /// Node of each decision, indexed like the records.
    pub(crate) decision_nodes: Vec<NodeIndex>,
    /// Every link of every record, resolved.
    pub(crate) links: Vec<ResolvedLink>,
    options: HashMap<String, NodeIndex>,
    /// The links between decisions laid out by decision, once a walk asked for them.
    adjacency: std::sync::OnceLock<Adjacency>,
}

/// The decision-to-decision edges of each decision, leaving and entering, in the order
/// petgraph lists them (newest first), side by side in memory: a walk over thousands of
/// decisions reads them in order instead of following petgraph's lists across every edge's
/// weight.
#[derive(Debug, Clone, Default)]
struct Adjacency {
    /// Where each decision's leaving edges start in `out` (one more entry than decisions).
    out_start: Vec<u32>,
    /// Leaving edges: (other decision, edge).
    out: Vec<(DecisionIndex, EdgeIndex)>,
    /// Where each decision's entering edges start in `inc`.
    in_start: Vec<u32>,
    /// Entering edges: (other decision, edge).
    inc: Vec<(DecisionIndex, EdgeIndex)>,
}

impl Adjacency {
    fn of(&self, adr: DecisionIndex, dir: Direction) -> &[(DecisionIndex, EdgeIndex)] {
        let (start, list) = match dir {
            Direction::Outgoing => (&self.out_start, &self.out),
            Direction::Incoming => (&self.in_start, &self.inc),
        };
        match (start.get(adr.get()), start.get(adr.get() + 1)) {
            (Some(&a), Some(&b)) => &list[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// A decision's links to other decisions, from the [`Adjacency`] when it is built, else from
/// petgraph's lists.
enum DecisionLinks<A, B> {
    Laid(A),
    Listed(B),
}

impl<T, A: Iterator<Item = T>, B: Iterator<Item = T>> Iterator for DecisionLinks<A, B> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        match self {
            DecisionLinks::Laid(a) => a.next(),
            DecisionLinks::Listed(b) => b.next(),
        }
    }
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

impl DecisionGraph {
    /// The petgraph graph, to read (nodes are decisions, options, people and tags; a graph
    /// cannot be changed from outside the crate, so every edge stays one the records state).
    pub fn petgraph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// The node of each decision, indexed like the records.
    pub fn decision_nodes(&self) -> &[NodeIndex] {
        &self.decision_nodes
    }

    /// Every link of every record, resolved, in record and link order.
    pub fn links(&self) -> &[ResolvedLink] {
        &self.links
    }

    /// A graph of the decisions and the links between them only (no options, people or tags,
    /// no link resolutions), from edges resolved earlier ([`DecisionGraph::decision_edge_list`]):
    /// all that impact, dependency, chain and path queries walk. Edges must come in the order
    /// that list gives, so that queries visit them in the same order.
    pub fn from_decision_edges(
        decisions: usize,
        edges: impl IntoIterator<Item = (DecisionIndex, DecisionIndex, Edge)>,
    ) -> DecisionGraph {
        let edges = edges.into_iter();
        // Sized by the most edges there can be (an iterator that may stop early gives no less).
        let (least, most) = edges.size_hint();
        let mut graph = DiGraph::with_capacity(decisions, most.unwrap_or(least));
        let decision_nodes: Vec<NodeIndex> =
            DecisionIndex::range(decisions).map(|adr| graph.add_node(Node::Decision { adr })).collect();
        for (a, b, e) in edges {
            if a.get() < decisions && b.get() < decisions {
                graph.add_edge(decision_nodes[a], decision_nodes[b], e);
            }
        }
        DecisionGraph {
            graph,
            decision_nodes,
            links: Vec::new(),
            options: HashMap::default(),
            adjacency: Default::default(),
        }
    }

    /// Every edge between two decisions as `(from, to, edge)` (records' indexes), in the
    /// graph's edge order.
    pub fn decision_edge_list(&self) -> Vec<(DecisionIndex, DecisionIndex, Edge)> {
        self.graph
            .edge_references()
            .filter(|e| e.weight().kind.is_decision_link())
            .filter_map(|e| Some((self.adr_of(e.source())?, self.adr_of(e.target())?, e.weight().clone())))
            .collect()
    }

    /// The record index of a decision node, or `None` for other nodes.
    pub fn adr_of(&self, n: NodeIndex) -> Option<DecisionIndex> {
        match self.graph[n] {
            Node::Decision { adr } => Some(adr),
            _ => None,
        }
    }

    /// Decision-to-decision edges leaving (`Outgoing`) or entering (`Incoming`) decision `adr`:
    /// `(other decision, edge)`, in insertion order.
    pub fn decision_edges(
        &self,
        adr: DecisionIndex,
        dir: Direction,
    ) -> impl Iterator<Item = (DecisionIndex, &Edge)> + '_ {
        match self.adjacency.get() {
            Some(laid) => DecisionLinks::Laid(laid.of(adr, dir).iter().map(|&(o, e)| (o, &self.graph[e]))),
            None => DecisionLinks::Listed(self.listed_decision_edges(adr, dir)),
        }
    }

    /// [`DecisionGraph::decision_edges`] from petgraph's own lists.
    fn listed_decision_edges(
        &self,
        adr: DecisionIndex,
        dir: Direction,
    ) -> impl Iterator<Item = (DecisionIndex, &Edge)> + '_ {
        self.graph.edges_directed(self.decision_nodes[adr.get()], dir).filter_map(move |e| {
            if !e.weight().kind.is_decision_link() {
                return None;
            }
            let other = if dir == Direction::Outgoing { e.target() } else { e.source() };
            self.adr_of(other).map(|o| (o, e.weight()))
        })
    }

    /// Lay out the links between decisions by decision (once), for queries that walk many of
    /// them: [`DecisionGraph::decision_edges`] reads them from there afterwards, in the same
    /// order.
    pub(crate) fn lay_out_decision_links(&self) {
        self.adjacency.get_or_init(|| {
            let n = self.decision_nodes.len();
            let edges: Vec<(DecisionIndex, DecisionIndex, EdgeIndex)> = self
                .graph
                .edge_references()
                .filter(|e| e.weight().kind.is_decision_link())
                .filter_map(|e| Some((self.adr_of(e.source())?, self.adr_of(e.target())?, e.id())))
                .collect();
            let starts = |side: fn(&(DecisionIndex, DecisionIndex, EdgeIndex)) -> DecisionIndex| {
                let mut start = vec![0u32; n + 1];
                for e in &edges {
                    start[side(e).get() + 1] += 1;
                }
                for i in 0..n {
                    start[i + 1] += start[i];
                }
                start
            };
            let (out_start, in_start) = (starts(|e| e.0), starts(|e| e.1));
            let fill = |start: &[u32],
                        side: fn(
                &(DecisionIndex, DecisionIndex, EdgeIndex),
            ) -> (DecisionIndex, DecisionIndex)| {
                let mut next: Vec<u32> = start[..n].to_vec();
                let mut list = vec![(DecisionIndex::new(0), EdgeIndex::new(0)); edges.len()];
                // petgraph lists a node's edges newest first.
                for e in edges.iter().rev() {
                    let (at, other) = side(e);
                    list[next[at.get()] as usize] = (other, e.2);
                    next[at.get()] += 1;
                }
                list
            };
            let out = fill(&out_start, |e| (e.0, e.1));
            let inc = fill(&in_start, |e| (e.1, e.0));
            Adjacency { out_start, out, in_start, inc }
        });
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
        let mut out: Vec<Diagnostic> = self.unresolved().filter_map(|rl| link_diagnostic(adrs, rl)).collect();
        out.sort();
        out
    }

    /// What [`DecisionGraph::diagnostics`] says of decision `i`'s own links, without resolving
    /// every other record's: `show` on the command line asks this of one record, where building
    /// the whole graph resolved every link of the tree.
    pub fn link_diagnostics_of(adrs: &[Adr], opts: &GraphOptions, i: DecisionIndex) -> Vec<Diagnostic> {
        let Some(a) = adrs.get(i.get()) else { return Vec::new() };
        let resolver = resolve::Resolver::new(adrs, opts);
        let mut out: Vec<Diagnostic> =
            resolver.links_of(i.get(), a, false).filter_map(|rl| link_diagnostic(adrs, &rl)).collect();
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
                let (ra, rb) = (find(&mut parent, a.get()), find(&mut parent, b.get()));
                if ra != rb {
                    parent[ra] = rb;
                }
            }
        }
        let roots: BTreeSet<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
        s.components = roots.len();
        s.isolated_decisions = DecisionIndex::range(n)
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
pub fn supersession_cycles(g: &DecisionGraph) -> Vec<Vec<DecisionIndex>> {
    let only_sup =
        petgraph::visit::EdgeFiltered::from_fn(&g.graph, |e| e.weight().kind == EdgeKind::Supersedes);
    let mut cycles: Vec<Vec<DecisionIndex>> = petgraph::algo::tarjan_scc(&only_sup)
        .into_iter()
        .filter(|scc| scc.len() > 1)
        .map(|scc| {
            let mut v: Vec<DecisionIndex> = scc.into_iter().filter_map(|n| g.adr_of(n)).collect();
            v.sort_unstable();
            v
        })
        .collect();
    cycles.sort();
    cycles
}

#[cfg(test)]
mod tests;

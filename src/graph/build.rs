//! Building the graph: decision nodes, every link resolved (on every core for large trees),
//! typed edges first and plain references after, then option, person and tag nodes.

use super::*;

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
            (0..adrs.len()).map(|i| graph.add_node(Node::Decision { adr: DecisionIndex::new(i) })).collect();
        // Every link is resolved on its own: on every core for large trees, in order.
        let resolver = &resolver;
        let resolved = |(i, a): (usize, &'a Adr)| resolver.links_of(i, a, only_supersession);
        // On every core from PARALLEL_FROM decisions, or fewer that write many links each (1,000
        // long records with four to twelve prose links: resolving was a fifth of their `lint`).
        let many_links = adrs.iter().map(|a| a.links.len()).sum::<usize>() >= crate::PARALLEL_FROM * 2;
        let links: Vec<ResolvedLink> = if adrs.len() >= crate::PARALLEL_FROM || many_links {
            use rayon::prelude::*;
            adrs.par_iter().enumerate().flat_map_iter(resolved).collect()
        } else {
            adrs.iter().enumerate().flat_map(resolved).collect()
        };
        let mut g = DecisionGraph {
            graph,
            decision_nodes,
            links,
            options: HashMap::default(),
            adjacency: Default::default(),
        };
        g.relation_edges(adrs);
        if !only_supersession {
            g.entity_nodes(adrs);
        }
        g
    }

    /// One edge per relation between decisions, typed relations first (so that a plain
    /// reference between the same pair adds nothing); a relation written on both sides updates
    /// the edge the first side added (`both_sides`).
    fn relation_edges(&mut self, adrs: &[Adr]) {
        let g = self;
        let mut seen: HashMap<(DecisionIndex, DecisionIndex, EdgeKind), EdgeIndex> = HashMap::default();
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
    }

    /// Option, person and tag nodes, and the edges from each decision to them.
    fn entity_nodes(&mut self, adrs: &[Adr]) {
        let g = self;
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
                        written_by: DecisionIndex::new(i),
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
                        written_by: DecisionIndex::new(i),
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
                        written_by: DecisionIndex::new(i),
                        line: 0,
                        both_sides: false,
                    },
                );
            }
        }
    }
}

//! Choosing what a drawing shows: the decisions (all, some statuses, or the neighbourhood of
//! one), the edge kinds, and the option nodes, once for every format.

use super::*;

/// Pick what to draw.
pub fn select(g: &DecisionGraph, adrs: &[Adr], opts: &RenderOptions) -> View {
    let kinds: BTreeSet<EdgeKind> = if opts.edges.is_empty() {
        let mut k: BTreeSet<EdgeKind> =
            [EdgeKind::Supersedes, EdgeKind::Amends, EdgeKind::Custom, EdgeKind::References].into();
        if opts.options {
            k.extend([EdgeKind::Considers, EdgeKind::Chooses]);
        }
        k
    } else {
        opts.edges.iter().copied().collect()
    };
    let chosen = chosen_decisions(g, adrs, opts, &kinds);
    // Nodes and edges are made on every core for large views (100,000 decisions took 75 ms on
    // one), in order.
    use rayon::prelude::*;
    let parallel = chosen.len() >= crate::PARALLEL_FROM;
    let node = |&i: &DecisionIndex| {
        let a = &adrs[i];
        let label = match a.number {
            Some(n) => format!("{n}. {}", a.display_title()),
            None => a.display_title().to_string(),
        };
        ViewNode {
            id: a.id.clone(),
            kind: "decision".into(),
            label,
            title: a.display_title().to_string(),
            status: Some(a.status),
            date: a.date,
            number: a.number,
            path: Some(a.path.clone()),
            folder: Some(a.folder().to_string()),
        }
    };
    let nodes: Vec<ViewNode> =
        if parallel { chosen.par_iter().map(node).collect() } else { chosen.iter().map(node).collect() };
    let mut view = View { nodes, ..View::default() };
    // Record index -> view index.
    let mut index_of: Vec<Option<usize>> = vec![None; adrs.len()];
    for (k, &i) in chosen.iter().enumerate() {
        index_of[i.get()] = Some(k);
    }
    // Decision links among the chosen decisions.
    let (kinds_of, index_of) = (&kinds, &index_of);
    let edges_of = |&i: &DecisionIndex| {
        g.decision_edges(i, Direction::Outgoing).filter_map(move |(o, e)| {
            if !kinds_of.contains(&e.kind) {
                return None;
            }
            let (from, to) = (index_of[i]?, index_of.get(o.get()).copied().flatten()?);
            Some(ViewEdge { from, to, kind: e.kind, label: e.label.clone(), qualifier: e.qualifier.clone() })
        })
    };
    let mut edges: Vec<ViewEdge> = if parallel {
        chosen.par_iter().flat_map_iter(edges_of).collect()
    } else {
        chosen.iter().flat_map(edges_of).collect()
    };
    // Entity nodes: options (considered / chosen), people (decided by) and tags (tagged), each
    // drawn once however many decisions share it, in (kind, key) order.
    let entity_kinds = [EdgeKind::Considers, EdgeKind::Chooses, EdgeKind::DecidedBy, EdgeKind::Tagged];
    if entity_kinds.iter().any(|k| kinds.contains(k)) {
        entities(g, &chosen, (&kinds, &entity_kinds), (&mut view, &mut edges), index_of);
    }
    edges.sort_by_key(|e| (e.from, e.to, e.kind));
    edges.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.kind == b.kind);
    // A chosen option is drawn with its `chooses` edge only; `considers` then means "not chosen".
    let chosen_pairs: BTreeSet<(usize, usize)> =
        edges.iter().filter(|e| e.kind == EdgeKind::Chooses).map(|e| (e.from, e.to)).collect();
    edges.retain(|e| e.kind != EdgeKind::Considers || !chosen_pairs.contains(&(e.from, e.to)));
    view.edges = edges;
    view
}

/// The decisions drawn: all those of the statuses asked, or the focus and its neighbours up to
/// the depth (through edges of the kinds drawn).
fn chosen_decisions(
    g: &DecisionGraph,
    adrs: &[Adr],
    opts: &RenderOptions,
    kinds: &BTreeSet<EdgeKind>,
) -> Vec<DecisionIndex> {
    let status_ok = |i: DecisionIndex| opts.statuses.is_empty() || opts.statuses.contains(&adrs[i].status);
    match opts.focus {
        Some(f) => {
            let depth = opts.depth.unwrap_or(1);
            let mut seen: BTreeMap<DecisionIndex, usize> = BTreeMap::from([(f, 0)]);
            let mut q = VecDeque::from([f]);
            while let Some(cur) = q.pop_front() {
                let d = seen[&cur];
                if d >= depth {
                    continue;
                }
                for dir in [Direction::Outgoing, Direction::Incoming] {
                    for (o, e) in g.decision_edges(cur, dir) {
                        if kinds.contains(&e.kind) && !seen.contains_key(&o) {
                            seen.insert(o, d + 1);
                            q.push_back(o);
                        }
                    }
                }
            }
            seen.into_keys().filter(|&i| i == f || status_ok(i)).collect()
        }
        None => match &opts.among {
            Some(some) => {
                let mut some: Vec<DecisionIndex> =
                    some.iter().copied().filter(|&i| i.get() < adrs.len() && status_ok(i)).collect();
                some.sort_unstable();
                some.dedup();
                some
            }
            None => DecisionIndex::range(adrs.len()).filter(|&i| status_ok(i)).collect(),
        },
    }
}

/// The `n` decisions with the most links to and from other decisions (supersessions,
/// amendments, custom links and references), most linked first, ties by id; decisions with no
/// link are left out. A first view of a tree too large to draw whole.
pub fn most_linked(g: &DecisionGraph, adrs: &[Adr], n: usize) -> Vec<DecisionIndex> {
    let mut ranked: Vec<(usize, DecisionIndex)> = DecisionIndex::range(adrs.len())
        .map(|i| {
            let degree = g.decision_edges(i, Direction::Outgoing).count()
                + g.decision_edges(i, Direction::Incoming).count();
            (degree, i)
        })
        .filter(|&(d, _)| d > 0)
        .collect();
    ranked.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| adrs[*a].id.cmp(&adrs[*b].id)));
    ranked.into_iter().take(n).map(|(_, i)| i).collect()
}

/// The option, person and tag nodes of the chosen decisions, and the edges to them.
fn entities(
    g: &DecisionGraph,
    chosen: &[DecisionIndex],
    (kinds, entity_kinds): (&BTreeSet<EdgeKind>, &[EdgeKind]),
    (view, edges): (&mut View, &mut Vec<ViewEdge>),
    index_of: &[Option<usize>],
) {
    let mut entity_nodes: BTreeMap<(&'static str, String), (usize, String)> = BTreeMap::new();
    let mut entity_edges: Vec<(DecisionIndex, (&'static str, String), EdgeKind)> = Vec::new();
    for &i in chosen {
        for e in g.graph.edges_directed(g.decision_nodes[i], Direction::Outgoing) {
            let k = e.weight().kind;
            if !entity_kinds.contains(&k) || !kinds.contains(&k) {
                continue;
            }
            let (kind, key, title) = match &g.graph[e.target()] {
                Node::Option { key, title } => ("option", key.clone(), title.clone()),
                Node::Person { name } => ("person", name.to_lowercase(), name.clone()),
                Node::Tag { name } => ("tag", name.to_lowercase(), name.clone()),
                Node::Decision { .. } => continue,
            };
            entity_nodes.entry((kind, key.clone())).or_insert((0, title));
            entity_edges.push((i, (kind, key), k));
        }
    }
    for ((kind, key), (slot, title)) in entity_nodes.iter_mut() {
        *slot = view.nodes.len();
        view.nodes.push(ViewNode {
            id: format!("{kind}:{key}"),
            kind: kind.to_string(),
            label: title.clone(),
            title: title.clone(),
            status: None,
            date: None,
            number: None,
            path: None,
            folder: None,
        });
    }
    for (i, ek, k) in entity_edges {
        let Some(from) = index_of[i] else { continue };
        edges.push(ViewEdge { from, to: entity_nodes[&ek].0, kind: k, label: None, qualifier: None });
    }
}

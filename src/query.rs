//! Questions asked of the [`DecisionGraph`]: what depends on a decision ([`impact`]), what it
//! rests on ([`deps`]), its supersession chain and the decision in force now ([`chain`]), the
//! shortest chain of links between two decisions ([`path`]), and where an option was considered
//! ([`option_usage`]).
//!
//! Every answer explains itself: each reached decision carries the edges that lead to it, with
//! the file and line that wrote each relation.
//!
//! # Complexity
//! [`impact`], [`deps`] and [`path`] are breadth-first walks over decision links: O(V + E) of
//! the part of the graph they reach, not of the whole graph. [`chain`] walks one supersession
//! component.

use crate::graph::{DecisionGraph, Edge, EdgeKind};
use crate::model::{Adr, Date, DecisionIndex, Status};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, VecDeque};

/// One edge on an explanation path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Id of the decision the edge leaves.
    pub from: String,
    /// Id of the decision the edge enters.
    pub to: String,
    /// Edge kind.
    pub kind: EdgeKind,
    /// Verb of a custom edge.
    pub label: Option<String>,
    /// Qualifier (`in part`).
    pub qualifier: Option<String>,
    /// Path of the file that wrote the relation.
    pub written_in: String,
    /// Line in that file.
    pub line: u32,
}

fn step(adrs: &[Adr], from: DecisionIndex, to: DecisionIndex, e: &Edge) -> Step {
    Step {
        from: adrs[from].id.clone(),
        to: adrs[to].id.clone(),
        kind: e.kind,
        label: e.label.clone(),
        qualifier: e.qualifier.clone(),
        written_in: adrs[e.written_by].path.clone(),
        line: e.line,
    }
}

/// A decision reached by a walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reached {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: Status,
    /// Its path.
    pub path: String,
    /// Number of edges from the start.
    pub distance: usize,
    /// The edges that explain why it is included, in the direction they point.
    pub via: Vec<Step>,
}

/// The answer of [`impact`] or [`deps`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Walk {
    /// Id of the start decision.
    pub start: String,
    /// Depth limit, if one was given.
    pub depth: Option<usize>,
    /// Reached decisions: accepted first, then by distance, then id.
    pub reached: Vec<Reached>,
    /// How many decisions were reached: more than `reached` lists when it was cut short
    /// ([`impact_first`], [`deps_first`]).
    pub total: usize,
}

/// Breadth-first walk over decision links from `start`, following edges against (`Incoming`)
/// or along (`Outgoing`) their direction.
fn walk(
    g: &DecisionGraph,
    adrs: &[Adr],
    start: DecisionIndex,
    depth: Option<usize>,
    dir: Direction,
    limit: Option<usize>,
) -> Walk {
    // parent[x] = (next decision towards start, edge), dist[x] = links from start; by the
    // records' places, which a tree of 10,000 records walks faster than hash maps.
    g.lay_out_decision_links();
    let mut parent: Vec<Option<(DecisionIndex, &Edge)>> = vec![None; adrs.len()];
    let mut dist: Vec<usize> = vec![usize::MAX; adrs.len()];
    dist[start.get()] = 0;
    let mut queue = VecDeque::from([start]);
    let mut order: Vec<DecisionIndex> = Vec::new();
    while let Some(cur) = queue.pop_front() {
        let d = dist[cur.get()];
        if depth.is_some_and(|max| d >= max) {
            continue;
        }
        for (other, e) in g.decision_edges(cur, dir) {
            if dist[other.get()] != usize::MAX {
                continue;
            }
            dist[other.get()] = d + 1;
            parent[other.get()] = Some((cur, e));
            order.push(other);
            queue.push_back(other);
        }
    }
    // In the order shown (accepted first, then the nearest, then by id, then by place); the
    // first `limit` are picked before they are sorted, and the chains of links are made for the
    // decisions listed only.
    let key = |i: DecisionIndex| (adrs[i].status != Status::Accepted, dist[i.get()], &adrs[i].id, i);
    let total = order.len();
    let listed = limit.unwrap_or(usize::MAX);
    if listed == 0 {
        order.clear();
    } else if listed < total {
        order.select_nth_unstable_by(listed - 1, |&x, &y| key(x).cmp(&key(y)));
        order.truncate(listed);
    }
    order.sort_unstable_by(|&x, &y| key(x).cmp(&key(y)));
    let reached: Vec<Reached> = order
        .into_iter()
        .map(|x| {
            let d = dist[x.get()];
            let mut via = Vec::with_capacity(d);
            let mut cur = x;
            while let Some((next, e)) = parent[cur.get()] {
                // Incoming walk: edge points cur -> next. Outgoing walk: next -> cur.
                via.push(match dir {
                    Direction::Incoming => step(adrs, cur, next, e),
                    Direction::Outgoing => step(adrs, next, cur, e),
                });
                cur = next;
            }
            if dir == Direction::Outgoing {
                via.reverse();
            }
            let a = &adrs[x];
            Reached {
                id: a.id.clone(),
                title: a.display_title().to_string(),
                status: a.status,
                path: a.path.clone(),
                distance: d,
                via,
            }
        })
        .collect();
    Walk { start: adrs[start].id.clone(), depth, reached, total }
}

/// Everything affected by changing decision `start`: the decisions that reference, amend or
/// supersede it, transitively, up to `depth` links away.
pub fn impact(g: &DecisionGraph, adrs: &[Adr], start: DecisionIndex, depth: Option<usize>) -> Walk {
    walk(g, adrs, start, depth, Direction::Incoming, None)
}

/// [`impact`], listing only the first `limit` decisions reached (accepted first, then the
/// nearest); [`Walk::total`] counts them all.
pub fn impact_first(
    g: &DecisionGraph,
    adrs: &[Adr],
    start: DecisionIndex,
    depth: Option<usize>,
    limit: usize,
) -> Walk {
    walk(g, adrs, start, depth, Direction::Incoming, Some(limit))
}

/// Everything decision `start` rests on: the decisions it references, amends or supersedes,
/// transitively, up to `depth` links away.
pub fn deps(g: &DecisionGraph, adrs: &[Adr], start: DecisionIndex, depth: Option<usize>) -> Walk {
    walk(g, adrs, start, depth, Direction::Outgoing, None)
}

/// [`deps`], listing only the first `limit` decisions reached (see [`impact_first`]).
pub fn deps_first(
    g: &DecisionGraph,
    adrs: &[Adr],
    start: DecisionIndex,
    depth: Option<usize>,
    limit: usize,
) -> Walk {
    walk(g, adrs, start, depth, Direction::Outgoing, Some(limit))
}

/// One member of a supersession chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainMember {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// Date.
    pub date: Option<Date>,
    /// Ids of the members it supersedes.
    pub supersedes: Vec<String>,
    /// Ids of the members that supersede it.
    pub superseded_by: Vec<String>,
}

/// The answer of [`chain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    /// Id of the decision asked about.
    pub start: String,
    /// The chain, oldest to newest (superseded decisions before their successors).
    pub members: Vec<ChainMember>,
    /// Decisions of the chain in force now: accepted and not wholly replaced by an accepted
    /// successor.
    pub in_force: Vec<String>,
    /// Decisions in force only in part (their successors supersede them `in part`).
    pub in_part: Vec<String>,
    /// Members of a supersession cycle, if the chain has one (then the order is partial).
    pub cycle: Option<Vec<String>>,
    /// The date the chain was asked about (`chain --on`), when one was: statuses and what is
    /// in force are as of that date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
    /// With a date: the dates each member's standing was read from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<String>,
}

fn sort_key(a: &Adr) -> (Option<Date>, Option<u32>, &str) {
    (a.date, a.number, a.id.as_str())
}

/// A supersession chain by the records' places: see [`chain`].
pub(crate) struct ChainOrder {
    /// Oldest to newest (a cycle's members last).
    pub order: Vec<DecisionIndex>,
    /// In force now.
    pub in_force: Vec<DecisionIndex>,
    /// In force in part.
    pub in_part: Vec<DecisionIndex>,
    /// The members of a supersession cycle, if there is one.
    pub cycle: Option<Vec<DecisionIndex>>,
}

/// The supersession chain through `start` (see [`chain`]), by the records' places.
pub(crate) fn chain_order(g: &DecisionGraph, adrs: &[Adr], start: DecisionIndex) -> ChainOrder {
    let sup = |i, dir| supersessions(g, i, dir);
    // The component.
    let mut members: BTreeSet<DecisionIndex> = BTreeSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(cur) = queue.pop_front() {
        for dir in [Direction::Incoming, Direction::Outgoing] {
            for (o, _) in sup(cur, dir) {
                if members.insert(o) {
                    queue.push_back(o);
                }
            }
        }
    }
    // Kahn: a member comes after every member it supersedes.
    let mut pending: HashMap<DecisionIndex, usize> =
        members.iter().map(|&m| (m, sup(m, Direction::Outgoing).len())).collect();
    let mut order: Vec<DecisionIndex> = Vec::new();
    loop {
        let mut ready: Vec<DecisionIndex> =
            pending.iter().filter(|(_, &n)| n == 0).map(|(&m, _)| m).collect();
        if ready.is_empty() {
            break;
        }
        ready.sort_by(|&a, &b| sort_key(&adrs[a]).cmp(&sort_key(&adrs[b])));
        let next = ready[0];
        pending.remove(&next);
        order.push(next);
        for (succ, _) in sup(next, Direction::Incoming) {
            if let Some(n) = pending.get_mut(&succ) {
                *n = n.saturating_sub(1);
            }
        }
    }
    let cycle = if pending.is_empty() {
        None
    } else {
        let mut rest: Vec<DecisionIndex> = pending.keys().copied().collect();
        rest.sort_by(|&a, &b| sort_key(&adrs[a]).cmp(&sort_key(&adrs[b])));
        order.extend(rest.iter().copied());
        Some(rest)
    };
    let mut in_force = Vec::new();
    let mut in_part = Vec::new();
    for &m in &order {
        if adrs[m].status != Status::Accepted {
            continue;
        }
        let replacing: Vec<&Edge> = sup(m, Direction::Incoming)
            .into_iter()
            .filter(|(s, _)| {
                matches!(adrs[*s].status, Status::Accepted | Status::Superseded | Status::Deprecated)
            })
            .map(|(_, e)| e)
            .collect();
        if replacing.is_empty() {
            in_force.push(m);
        } else if replacing.iter().all(|e| e.qualifier.is_some()) {
            in_part.push(m);
        }
    }
    ChainOrder { order, in_force, in_part, cycle }
}

/// The supersession edges leaving (`Outgoing`: what `i` supersedes) or entering `i`.
fn supersessions(g: &DecisionGraph, i: DecisionIndex, dir: Direction) -> Vec<(DecisionIndex, &Edge)> {
    g.decision_edges(i, dir).filter(|(_, e)| e.kind == EdgeKind::Supersedes).collect()
}

/// The supersession chain through `start`: every decision linked to it by supersession, in
/// either direction, ordered oldest to newest, and which of them is in force now.
pub fn chain(g: &DecisionGraph, adrs: &[Adr], start: DecisionIndex) -> Chain {
    let sup = |i, dir| supersessions(g, i, dir);
    let ChainOrder { order, in_force, in_part, cycle } = chain_order(g, adrs, start);
    let ids = |v: Vec<DecisionIndex>| -> Vec<String> { v.into_iter().map(|i| adrs[i].id.clone()).collect() };
    let (in_force, in_part, cycle) = (ids(in_force), ids(in_part), cycle.map(ids));
    let members = order
        .iter()
        .map(|&m| {
            let ids = |dir| {
                let mut v: Vec<String> = sup(m, dir).into_iter().map(|(o, _)| adrs[o].id.clone()).collect();
                v.sort();
                v
            };
            ChainMember {
                id: adrs[m].id.clone(),
                title: adrs[m].display_title().to_string(),
                status: adrs[m].status,
                date: adrs[m].date,
                supersedes: ids(Direction::Outgoing),
                superseded_by: ids(Direction::Incoming),
            }
        })
        .collect();
    Chain { start: adrs[start].id.clone(), members, in_force, in_part, cycle, on: None, basis: Vec::new() }
}

pub use crate::graph::supersession_cycles;

/// The shortest chain of links between `a` and `b`, following edges in either direction; each
/// step keeps the edge's own direction. `None` when they are not connected.
pub fn path(g: &DecisionGraph, adrs: &[Adr], a: DecisionIndex, b: DecisionIndex) -> Option<Vec<Step>> {
    if a == b {
        return Some(Vec::new());
    }
    // Each decision reached: the decision it was reached from and the link, as (from, to, edge)
    // in the link's own direction; steps are made only for the chain found.
    g.lay_out_decision_links();
    let mut parent: HashMap<DecisionIndex, (DecisionIndex, (DecisionIndex, DecisionIndex, &Edge))> =
        HashMap::new();
    let mut queue = VecDeque::from([a]);
    let mut seen = vec![false; adrs.len()];
    seen[a.get()] = true;
    while let Some(cur) = queue.pop_front() {
        let mut next: Vec<(DecisionIndex, (DecisionIndex, DecisionIndex, &Edge))> = Vec::new();
        for (o, e) in g.decision_edges(cur, Direction::Outgoing) {
            next.push((o, (cur, o, e)));
        }
        for (o, e) in g.decision_edges(cur, Direction::Incoming) {
            next.push((o, (o, cur, e)));
        }
        // The order `step` would sort them in: by the other decision's id (stable, so equal ids
        // keep the order the links were met in).
        next.sort_by(|x, y| adrs[x.0].id.cmp(&adrs[y.0].id));
        for (o, link) in next {
            if std::mem::replace(&mut seen[o.get()], true) {
                continue;
            }
            parent.insert(o, (cur, link));
            if o == b {
                let mut steps = Vec::new();
                let mut x = b;
                while let Some((p, (from, to, e))) = parent.remove(&x) {
                    steps.push(step(adrs, from, to, e));
                    x = p;
                }
                steps.reverse();
                return Some(steps);
            }
            queue.push_back(o);
        }
    }
    None
}

/// One decision that considered an option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionUse {
    /// Decision id.
    pub id: String,
    /// Decision title.
    pub title: String,
    /// Decision status.
    pub status: Status,
    /// Decision path.
    pub path: String,
    /// The option's title as this decision wrote it.
    pub written_as: String,
    /// Whether this decision chose it.
    pub chosen: bool,
}

/// An option entity and the decisions that considered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionReport {
    /// The option's key (folded, aliases merged).
    pub key: String,
    /// Title as first written.
    pub title: String,
    /// Decisions that considered it, in path order.
    pub decisions: Vec<OptionUse>,
}

/// Every option whose name contains the words of `name`, with the decisions that considered it
/// and whether each chose it.
pub fn option_usage(g: &DecisionGraph, adrs: &[Adr], name: &str) -> Vec<OptionReport> {
    g.find_options(name)
        .into_iter()
        .filter_map(|n| {
            let crate::graph::Node::Option { key, title } = &g.graph[n] else { return None };
            let mut uses: Vec<OptionUse> = Vec::new();
            for e in g.graph.edges_directed(n, Direction::Incoming) {
                if e.weight().kind != EdgeKind::Considers {
                    continue;
                }
                let Some(d) = g.adr_of(e.source()) else { continue };
                let a = &adrs[d];
                let opt = a
                    .options
                    .iter()
                    .find(|o| crate::graph::option_key(&o.title).replace(' ', "") == key.replace(' ', ""));
                uses.push(OptionUse {
                    id: a.id.clone(),
                    title: a.display_title().to_string(),
                    status: a.status,
                    path: a.path.clone(),
                    written_as: opt.map(|o| o.title.clone()).unwrap_or_else(|| title.clone()),
                    chosen: opt.is_some_and(|o| o.chosen),
                });
            }
            uses.sort_by(|x, y| x.path.cmp(&y.path));
            Some(OptionReport { key: key.clone(), title: title.clone(), decisions: uses })
        })
        .collect()
}

/// Decision-to-decision edges of one decision, for `show`: `(direction, step)` pairs,
/// outgoing first.
pub fn edges_of(g: &DecisionGraph, adrs: &[Adr], adr: DecisionIndex) -> Vec<(Direction, Step)> {
    let mut out: Vec<(Direction, Step)> = Vec::new();
    for (o, e) in g.decision_edges(adr, Direction::Outgoing) {
        out.push((Direction::Outgoing, step(adrs, adr, o, e)));
    }
    for (o, e) in g.decision_edges(adr, Direction::Incoming) {
        out.push((Direction::Incoming, step(adrs, o, adr, e)));
    }
    out.sort_by(|a, b| {
        let ka = (a.0 == Direction::Incoming, a.1.kind, &a.1.from, &a.1.to);
        let kb = (b.0 == Direction::Incoming, b.1.kind, &b.1.from, &b.1.to);
        ka.cmp(&kb)
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphOptions;
    use crate::model::{Link, LinkKind, LinkSource};

    #[test]
    fn the_supersession_graph_gives_every_chain_of_the_whole_graph() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).unwrap();
        let opts = crate::GraphOptions::of(&corpus);
        let (whole, sup) = (
            crate::DecisionGraph::build(&corpus.adrs, &opts),
            crate::DecisionGraph::build_supersession(&corpus.adrs, &opts),
        );
        let mut chained = 0;
        for i in corpus.indexes() {
            let (a, b) = (chain(&whole, &corpus.adrs, i), chain(&sup, &corpus.adrs, i));
            chained += usize::from(a.members.len() > 1);
            assert_eq!(a, b, "{}", corpus.adrs[i].id);
        }
        assert!(chained >= 4, "the sample has supersession chains: {chained}");
        assert!(sup.graph.edge_count() < whole.graph.edge_count());
        assert!(sup.graph.edge_weights().all(|e| e.kind == crate::EdgeKind::Supersedes));
    }

    #[test]
    fn links_laid_out_for_walks_come_in_petgraph_s_own_order() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).unwrap();
        let whole = crate::DecisionGraph::build(&corpus.adrs, &crate::GraphOptions::of(&corpus));
        let only = crate::DecisionGraph::from_decision_edges(corpus.adrs.len(), whole.decision_edge_list());
        for g in [&whole, &only] {
            let lists = || {
                let mut all = Vec::new();
                for i in corpus.indexes() {
                    for dir in [Direction::Outgoing, Direction::Incoming] {
                        let l: Vec<(DecisionIndex, *const Edge)> =
                            g.decision_edges(i, dir).map(|(o, e)| (o, e as *const Edge)).collect();
                        all.push(l);
                    }
                }
                all
            };
            let listed = lists();
            g.lay_out_decision_links();
            assert_eq!(listed, lists());
            assert!(listed.iter().filter(|l| l.len() > 1).count() > 10, "decisions with several links");
        }
    }

    /// A record `adr/000N-dN.md` with links to other numbers.
    fn adr(n: u32, status: Status, links: &[(LinkKind, u32)]) -> Adr {
        let slug = format!("000{n}-d{n}");
        let mut a = Adr::empty(slug.clone(), format!("adr/{slug}.md"), format!("{slug}.md"));
        a.slug = slug;
        a.number = Some(n);
        a.status = status;
        a.date = Date::from_ymd_opt(2020, 1, n);
        a.links = links
            .iter()
            .enumerate()
            .map(|(i, (kind, to))| Link {
                kind: kind.clone(),
                label: None,
                qualifier: None,
                text: format!("ADR-{to}"),
                target: format!("ADR-{to}"),
                number: Some(*to),
                source: LinkSource::Prose,
                line: i as u32 + 1,
            })
            .collect();
        a
    }

    fn build(adrs: &[Adr]) -> DecisionGraph {
        DecisionGraph::build(
            adrs,
            &GraphOptions { roots: vec!["adr".into()], other_files: vec![], ..Default::default() },
        )
    }

    fn ids(w: &Walk) -> Vec<(String, usize)> {
        w.reached.iter().map(|r| (r.id.clone(), r.distance)).collect()
    }

    use LinkKind::*;
    use Status::*;

    #[test]
    fn impact_follows_incoming_links_transitively_with_paths() {
        // 2 -> 1, 3 -> 2, 4 amends 1
        let adrs = vec![
            adr(1, Accepted, &[]),
            adr(2, Accepted, &[(References, 1)]),
            adr(3, Proposed, &[(References, 2)]),
            adr(4, Accepted, &[(Amends, 1)]),
        ];
        let g = build(&adrs);
        let w = impact(&g, &adrs, DecisionIndex::new(0), None);
        assert_eq!(
            ids(&w),
            vec![("0002-d2".into(), 1), ("0004-d4".into(), 1), ("0003-d3".into(), 2)],
            "accepted first, then distance"
        );
        let via3 = &w.reached[2].via;
        assert_eq!(via3.len(), 2);
        assert_eq!((via3[0].from.as_str(), via3[0].to.as_str()), ("0003-d3", "0002-d2"));
        assert_eq!((via3[1].from.as_str(), via3[1].to.as_str()), ("0002-d2", "0001-d1"));
        assert_eq!(via3[1].written_in, "adr/0002-d2.md");
    }

    #[test]
    fn depth_limit_stops_the_walk() {
        let adrs = vec![
            adr(1, Accepted, &[]),
            adr(2, Accepted, &[(References, 1)]),
            adr(3, Accepted, &[(References, 2)]),
            adr(4, Accepted, &[(References, 3)]),
        ];
        let g = build(&adrs);
        assert_eq!(impact(&g, &adrs, DecisionIndex::new(0), Some(2)).reached.len(), 2);
        assert_eq!(impact(&g, &adrs, DecisionIndex::new(0), Some(0)).reached.len(), 0);
        assert_eq!(deps(&g, &adrs, DecisionIndex::new(3), Some(1)).reached.len(), 1);
        assert_eq!(deps(&g, &adrs, DecisionIndex::new(3), None).reached.len(), 3);
    }

    #[test]
    fn diamond_is_reached_once_at_its_shortest_distance() {
        // 4 -> 2 -> 1, 4 -> 3 -> 1, 5 -> 4
        let adrs = vec![
            adr(1, Accepted, &[]),
            adr(2, Accepted, &[(References, 1)]),
            adr(3, Accepted, &[(References, 1)]),
            adr(4, Accepted, &[(References, 2), (References, 3)]),
            adr(5, Accepted, &[(References, 4)]),
        ];
        let g = build(&adrs);
        let w = impact(&g, &adrs, DecisionIndex::new(0), None);
        assert_eq!(ids(&w).iter().filter(|(id, _)| id == "0004-d4").count(), 1);
        assert_eq!(w.reached.iter().find(|r| r.id == "0004-d4").unwrap().distance, 2);
        assert_eq!(w.reached.iter().find(|r| r.id == "0005-d5").unwrap().distance, 3);
    }

    #[test]
    fn cycles_in_references_do_not_loop() {
        let adrs = vec![adr(1, Accepted, &[(References, 2)]), adr(2, Accepted, &[(References, 1)])];
        let g = build(&adrs);
        assert_eq!(impact(&g, &adrs, DecisionIndex::new(0), None).reached.len(), 1);
    }

    #[test]
    fn chain_orders_oldest_to_newest_and_names_the_decision_in_force() {
        // 1 superseded by 2 (written on 1), 3 supersedes 2 (written on 3)
        let adrs = vec![
            adr(1, Superseded, &[(SupersededBy, 2)]),
            adr(2, Superseded, &[]),
            adr(3, Accepted, &[(Supersedes, 2)]),
            adr(4, Accepted, &[]),
        ];
        let g = build(&adrs);
        for start in 0..3 {
            let c = chain(&g, &adrs, DecisionIndex::new(start));
            let order: Vec<&str> = c.members.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(order, vec!["0001-d1", "0002-d2", "0003-d3"]);
            assert_eq!(c.in_force, vec!["0003-d3"]);
            assert!(c.cycle.is_none());
        }
        let alone = chain(&g, &adrs, DecisionIndex::new(3));
        assert_eq!(alone.members.len(), 1);
        assert_eq!(alone.in_force, vec!["0004-d4"]);
    }

    #[test]
    fn supersession_cycle_is_reported_not_looped() {
        let adrs = vec![
            adr(1, Accepted, &[(Supersedes, 2)]),
            adr(2, Accepted, &[(Supersedes, 3)]),
            adr(3, Accepted, &[(Supersedes, 1)]),
            adr(4, Accepted, &[(Supersedes, 1)]),
        ];
        let g = build(&adrs);
        let c = chain(&g, &adrs, DecisionIndex::new(0));
        assert_eq!(c.members.len(), 4);
        assert_eq!(c.cycle.as_ref().unwrap().len(), 4, "the cycle and what hangs off it stay unordered");
        assert_eq!(supersession_cycles(&g), vec![DecisionIndex::range(3).collect::<Vec<_>>()]);
    }

    #[test]
    fn partial_supersession_leaves_the_older_decision_in_force_in_part() {
        let mut newer = adr(2, Accepted, &[(Supersedes, 1)]);
        newer.links[0].qualifier = Some("in part".into());
        let adrs = vec![adr(1, Accepted, &[]), newer];
        let g = build(&adrs);
        let c = chain(&g, &adrs, DecisionIndex::new(0));
        assert_eq!(c.in_force, vec!["0002-d2"]);
        assert_eq!(c.in_part, vec!["0001-d1"]);
    }

    #[test]
    fn shortest_path_in_either_direction() {
        // 1 <- 2 -> 3 <- 4 ; 5 alone
        let adrs = vec![
            adr(1, Accepted, &[]),
            adr(2, Accepted, &[(References, 1), (References, 3)]),
            adr(3, Accepted, &[]),
            adr(4, Accepted, &[(Amends, 3)]),
            adr(5, Accepted, &[]),
        ];
        let g = build(&adrs);
        let p = path(&g, &adrs, DecisionIndex::new(0), DecisionIndex::new(3)).unwrap();
        let hops: Vec<(&str, &str, EdgeKind)> =
            p.iter().map(|s| (s.from.as_str(), s.to.as_str(), s.kind)).collect();
        assert_eq!(
            hops,
            vec![
                ("0002-d2", "0001-d1", EdgeKind::References),
                ("0002-d2", "0003-d3", EdgeKind::References),
                ("0004-d4", "0003-d3", EdgeKind::Amends),
            ]
        );
        assert!(path(&g, &adrs, DecisionIndex::new(0), DecisionIndex::new(4)).is_none());
        assert_eq!(path(&g, &adrs, DecisionIndex::new(2), DecisionIndex::new(2)).unwrap().len(), 0);
    }

    #[test]
    fn option_usage_reports_chosen_and_rejected() {
        let mut a = adr(1, Accepted, &[]);
        a.options = vec![
            crate::model::ConsideredOption {
                title: "Apache Kafka".into(),
                chosen: true,
                ..Default::default()
            },
            crate::model::ConsideredOption { title: "RabbitMQ".into(), ..Default::default() },
        ];
        let mut b = adr(2, Rejected, &[]);
        b.options =
            vec![crate::model::ConsideredOption { title: "apache kafka".into(), ..Default::default() }];
        let adrs = vec![a, b];
        let g = build(&adrs);
        let r = option_usage(&g, &adrs, "Kafka");
        assert_eq!(r.len(), 1);
        let uses: Vec<(&str, bool)> = r[0].decisions.iter().map(|d| (d.id.as_str(), d.chosen)).collect();
        assert_eq!(uses, vec![("0001-d1", true), ("0002-d2", false)]);
        assert!(option_usage(&g, &adrs, "zookeeper").is_empty());
    }
}

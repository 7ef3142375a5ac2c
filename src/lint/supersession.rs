//! The rules on supersession: both sides agreeing, one successor, no cycles.

use super::*;
use crate::graph::{Edge, EdgeKind, Resolution};
use crate::model::{DecisionIndex, LinkKind, Status};
use petgraph::Direction;
use std::collections::BTreeSet;

/// A superseded decision: the supersessions written by others, and the successors it names
/// itself.
pub(super) struct Superseded<'g> {
    b: DecisionIndex,
    incoming: Vec<(DecisionIndex, &'g Edge)>,
    named: BTreeSet<DecisionIndex>,
}

/// Every decision that another supersedes, found once for the rules that ask (three of them
/// walked every decision's incoming edges each: 6% of a `lint` of 10,000 decisions).
fn superseded<'c, 'g>(cx: &'c Ctx<'g>) -> &'c [Superseded<'g>] {
    cx.superseded.get_or_init(|| find_superseded(cx))
}

fn find_superseded<'g>(cx: &Ctx<'g>) -> Vec<Superseded<'g>> {
    let (graph, adrs) = (cx.graph, cx.adrs);
    // The successors each decision names, from one pass over the links (each decision's were
    // looked for among all the links of the tree: 16% of a `lint` of 10,000 decisions).
    let mut named: std::collections::HashMap<DecisionIndex, BTreeSet<DecisionIndex>> = Default::default();
    for rl in &graph.links {
        let names_successor = adrs[rl.from].links[rl.link].kind == LinkKind::SupersededBy;
        if let (true, Resolution::Decision { adr }) = (names_successor, &rl.resolution) {
            named.entry(rl.from).or_default().insert(*adr);
        }
    }
    DecisionIndex::range(adrs.len())
        .filter_map(move |b| {
            let incoming: Vec<(DecisionIndex, &Edge)> = graph
                .decision_edges(b, Direction::Incoming)
                .filter(|(_, e)| e.kind == EdgeKind::Supersedes)
                .collect();
            if incoming.is_empty() {
                return None;
            }
            Some(Superseded { b, incoming, named: named.remove(&b).unwrap_or_default() })
        })
        .collect()
}

impl Superseded<'_> {
    /// The supersessions written on the successor's side only.
    fn one_sided(&self) -> impl Iterator<Item = &(DecisionIndex, &Edge)> {
        self.incoming.iter().filter(|(_, e)| e.written_by != self.b && !e.both_sides)
    }

    /// Whether `a` supersedes this decision although it names other successors.
    fn conflicts(&self, a: DecisionIndex) -> bool {
        !self.named.is_empty() && !self.named.contains(&a)
    }
}

/// `conflicting-successor`: A supersedes B, but B names another successor.
pub(super) fn conflicting_successor(cx: &Ctx<'_>, out: &mut Out) {
    let adrs = cx.adrs;
    for s in superseded(cx) {
        for (a, e) in s.one_sided().filter(|(a, _)| s.conflicts(*a)) {
            let names: Vec<&str> = s.named.iter().map(|&n| adrs[n].id.as_str()).collect();
            out.push(
                &adrs[*a],
                e.line,
                format!(
                    "this supersedes `{}`, which names another successor: {}",
                    adrs[s.b].id,
                    names.join(", ")
                ),
                None,
                None,
            );
        }
    }
}

/// `supersession-one-sided`: an accepted decision wholly supersedes B, and B's status does not
/// say it is superseded (`lint --fix` sets it).
pub(super) fn supersession_one_sided(cx: &Ctx<'_>, out: &mut Out) {
    let adrs = cx.adrs;
    for s in superseded(cx) {
        let bdec = &adrs[s.b];
        if bdec.status == Status::Superseded {
            continue;
        }
        for (a, e) in s.one_sided().filter(|(a, _)| !s.conflicts(*a)) {
            let adec = &adrs[*a];
            if e.qualifier.is_some() || adec.status != Status::Accepted {
                continue;
            }
            out.push(
                bdec,
                status_line(bdec),
                format!(
                    "`{}` supersedes this decision, but its status says {}",
                    adec.id,
                    bdec.status_raw.as_deref().unwrap_or(bdec.status.as_str())
                ),
                bdec.status_raw.clone(),
                Some(format!(
                    "set the status to `Superseded by {}` (lint --fix does it)",
                    crate::write::markdown_link(adec.display_title(), &relative(&bdec.path, &adec.path))
                )),
            );
        }
    }
}

/// `multiple-successors`: several accepted decisions each supersede B in full. When B names its
/// successor, the others are conflicting-successor findings instead.
pub(super) fn multiple_successors(cx: &Ctx<'_>, out: &mut Out) {
    let adrs = cx.adrs;
    for s in superseded(cx) {
        let mut whole: Vec<&str> = s
            .incoming
            .iter()
            .filter(|(a, e)| e.qualifier.is_none() && adrs[*a].status == Status::Accepted)
            .map(|(a, _)| adrs[*a].id.as_str())
            .collect();
        whole.sort_unstable();
        if whole.len() > 1 && s.named.is_empty() {
            let bdec = &adrs[s.b];
            out.push(
                bdec,
                status_line(bdec),
                format!("{} decisions supersede this one in full: {}", whole.len(), whole.join(", ")),
                None,
                None,
            );
        }
    }
}

/// `supersession-cycle`: a decision that supersedes itself, and chains of supersessions that
/// lead back to where they started.
pub(super) fn supersession_cycle(cx: &Ctx<'_>, out: &mut Out) {
    let adrs = cx.adrs;
    for rl in &cx.graph.links {
        let a = &adrs[rl.from];
        let link = &a.links[rl.link];
        if matches!(rl.resolution, Resolution::Decision { adr } if adr == rl.from)
            && matches!(link.kind, LinkKind::Supersedes | LinkKind::SupersededBy)
        {
            out.push(
                a,
                link.line,
                "this decision supersedes itself".into(),
                Some(link.text.clone()),
                Some("a decision cannot replace itself: link to the decision it supersedes".into()),
            );
        }
    }
    for cycle in crate::query::supersession_cycles(cx.graph) {
        let ids: Vec<&str> = cycle.iter().map(|&i| adrs[i].id.as_str()).collect();
        out.push(
            &adrs[cycle[0]],
            status_line(&adrs[cycle[0]]),
            format!("supersession cycle: {}", ids.join(" -> ")),
            None,
            None,
        );
    }
}

//! The rules on links: each link's resolution (broken, misspelt, ambiguous, outside the tree),
//! and accepted decisions resting on decisions no longer in force.

use super::*;
use crate::graph::{EdgeKind, Resolution};
use crate::model::{DecisionIndex, Status};
use petgraph::Direction;

/// `broken-link`: a link to a decision resolves to no file or decision.
pub(super) fn broken_link(cx: &Ctx<'_>, out: &mut Out) {
    let adrs = cx.adrs;
    for rl in &cx.graph.links {
        if let Resolution::Broken { reason, suggestion } = &rl.resolution {
            let a = &adrs[rl.from];
            let link = &a.links[rl.link];
            out.push(
                a,
                link.line,
                format!("{} link to `{}` does not resolve: {reason}", link.kind, link.target),
                Some(link.text.clone()),
                suggestion.map(|s| format!("did you mean `{}` ({})?", adrs[s].id, adrs[s].path)),
            );
        }
    }
}

/// `misspelt-link`: a link names a file that does not exist but plainly means one decision.
pub(super) fn misspelt_link(cx: &Ctx<'_>, out: &mut Out) {
    let adrs = cx.adrs;
    for rl in &cx.graph.links {
        if let Resolution::Misspelt { adr, written } = &rl.resolution {
            let a = &adrs[rl.from];
            out.push(
                a,
                a.links[rl.link].line,
                format!(
                    "link to `{written}` names no file; read as `{}` ({}), the one decision it can mean",
                    adrs[*adr].id, adrs[*adr].path
                ),
                Some(written.clone()),
                Some(format!("link to `{}`", relative(&a.path, &adrs[*adr].path))),
            );
        }
    }
}

/// `ambiguous-link`: a number or id names several decisions.
pub(super) fn ambiguous_link(cx: &Ctx<'_>, out: &mut Out) {
    let adrs = cx.adrs;
    for rl in &cx.graph.links {
        if let Resolution::Ambiguous { candidates } = &rl.resolution {
            let a = &adrs[rl.from];
            let link = &a.links[rl.link];
            out.push(
                a,
                link.line,
                format!(
                    "`{}` names {} decisions: {}",
                    link.target,
                    candidates.len(),
                    candidates.iter().map(|&c| adrs[c].id.as_str()).collect::<Vec<_>>().join(", ")
                ),
                Some(link.text.clone()),
                Some("link to the file itself".into()),
            );
        }
    }
}

/// `link-outside-tree`: a relative link leaves every ADR root.
pub(super) fn link_outside_tree(cx: &Ctx<'_>, out: &mut Out) {
    for rl in &cx.graph.links {
        if let Resolution::OutsideTree { path } = &rl.resolution {
            let a = &cx.adrs[rl.from];
            let link = &a.links[rl.link];
            out.push(
                a,
                link.line,
                format!("link to `{}` leaves the ADR tree (resolves to {path})", link.target),
                Some(link.text.clone()),
                None,
            );
        }
    }
}

/// `rests-on-superseded`: an accepted decision references, amends or depends on a decision
/// that is superseded or deprecated; the help names the decision in force now.
pub(super) fn rests_on_superseded(cx: &Ctx<'_>, out: &mut Out) {
    let (adrs, graph) = (cx.adrs, cx.graph);
    // The decisions in force of each superseded decision's chain, worked out once per decision
    // (many decisions rest on the same one).
    let mut in_force: std::collections::HashMap<DecisionIndex, Vec<String>> = Default::default();
    for (a, adec) in DecisionIndex::range(adrs.len()).zip(adrs) {
        if adec.status != Status::Accepted {
            continue;
        }
        for (b, e) in graph.decision_edges(a, Direction::Outgoing) {
            if e.kind == EdgeKind::Supersedes || e.written_by != a {
                continue;
            }
            let bdec = &adrs[b];
            if matches!(bdec.status, Status::Superseded | Status::Deprecated) {
                let now = in_force.entry(b).or_insert_with(|| crate::query::chain(graph, adrs, b).in_force);
                let help = if now.is_empty() {
                    format!("`{}` is {} with no decision in force after it", bdec.id, bdec.status)
                } else {
                    format!("the decision in force now is {}", now.join(", "))
                };
                out.push(
                    adec,
                    e.line,
                    format!("{} `{}`, which is {}", e.kind.as_str().replace('_', " "), bdec.id, bdec.status),
                    None,
                    Some(help),
                );
            }
        }
    }
}

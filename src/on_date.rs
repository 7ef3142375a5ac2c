//! What was in force on a date, read from the records alone: their dates, their dated status
//! histories (`Accepted 2020-01-05`, changelog entries) and their supersessions. For trees
//! without git history, or when the records' dates, not the commits, are the truth
//! (`list --in-force --on DATE`, `chain ID --on DATE`); `--at` answers from the commits.
//!
//! A record counts from its date. Its status on the date is the last entry of its status
//! history dated on or before it; with no dated history, its status now, except that a record
//! superseded now was accepted until a successor took its place (a successor dated on or before
//! the date, itself accepted then). A deprecation with no date is taken as already made.
//! Undated records are not judged, and the answer lists them.

use crate::graph::{DecisionGraph, EdgeKind};
use crate::model::{Adr, Date, DecisionIndex, Status};
use petgraph::Direction;
use serde::{Deserialize, Serialize};

/// How one decision stood on the date, and what said so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its status on the date.
    pub status: Status,
    /// The record's date.
    pub date: Option<Date>,
    /// The dates used, in words (`dated 2020-01-05; superseded 2022-03-01 by 0007-x`).
    pub basis: String,
}

/// The answer of [`in_force_on`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InForceOn {
    /// The date asked about; `None`: now, from the records' statuses.
    pub on: Option<Date>,
    /// Decisions in force on the date, in record order.
    pub in_force: Vec<Standing>,
    /// Decisions in force in part (superseded `in part` by then).
    pub in_part: Vec<Standing>,
    /// Ids of the records with no date, which a date cannot judge.
    pub undated: Vec<String>,
    /// Records dated after the date (not written yet then).
    pub later: usize,
}

/// The status of decision `i` on `on` (now, when `None`) and why; `None` when the record has
/// no date or is dated after `on`.
pub fn status_on(
    g: &DecisionGraph,
    adrs: &[Adr],
    i: DecisionIndex,
    on: Option<Date>,
) -> Option<(Status, String)> {
    let a = &adrs[i];
    let Some(on) = on else { return Some((a.status, format!("status now: {}", a.status))) };
    let date = a.date?;
    if date > on {
        return None;
    }
    let dated = dated_history(a);
    if let Some(&(_, first)) = dated.first() {
        return Some(match dated.iter().rev().find(|(d, _)| *d <= on) {
            Some((d, s)) => (*s, format!("dated {date}; {s} {d} in its status history")),
            None => (first, format!("dated {date}; {first} before its history's first date")),
        });
    }
    match a.status {
        Status::Superseded => {
            let by = successors(g, adrs, i, Some(on));
            match by.first() {
                Some((s, d, _)) => Some((
                    Status::Superseded,
                    format!(
                        "dated {date}; superseded {} by {}",
                        d.map(|d| d.to_string()).unwrap_or_default(),
                        adrs[*s].id
                    ),
                )),
                None => {
                    Some((Status::Accepted, format!("dated {date}; accepted until a successor dated later")))
                }
            }
        }
        Status::Deprecated => {
            Some((Status::Deprecated, format!("dated {date}; deprecated, when not written")))
        }
        s => Some((s, format!("dated {date}; {s} now"))),
    }
}

/// A record's dated status statements, oldest first (statements of no known status left out).
fn dated_history(a: &Adr) -> Vec<(Date, Status)> {
    let mut dated: Vec<(Date, Status)> = a
        .status_history
        .iter()
        .filter_map(|h| Some((h.date?, h.status)))
        .filter(|(_, s)| *s != Status::Unknown)
        .collect();
    dated.sort_by_key(|(d, _)| *d);
    dated
}

/// The decisions that supersede `i` and had taken its place by `on` (dated on or before it,
/// accepted then; now, when `None`, any that is or was accepted, dated or not): `(successor,
/// its date, whether in part)`, earliest first.
fn successors(
    g: &DecisionGraph,
    adrs: &[Adr],
    i: DecisionIndex,
    on: Option<Date>,
) -> Vec<(DecisionIndex, Option<Date>, bool)> {
    let took_place = |st: Status| matches!(st, Status::Accepted | Status::Superseded | Status::Deprecated);
    let mut out: Vec<(DecisionIndex, Option<Date>, bool)> = g
        .decision_edges(i, Direction::Incoming)
        .filter(|(s, e)| e.kind == EdgeKind::Supersedes && *s != i)
        .filter_map(|(s, e)| {
            let d = adrs[s].date;
            // The successor's own standing then, without following its successors again.
            let took = match on {
                Some(on) if d.is_none_or(|d| d > on) => false,
                Some(on) => {
                    let dated = dated_history(&adrs[s]);
                    match dated.iter().rev().find(|(d, _)| *d <= on) {
                        Some(&(_, st)) => took_place(st),
                        None => dated.is_empty() && took_place(adrs[s].status),
                    }
                }
                None => took_place(adrs[s].status),
            };
            took.then_some((s, d, e.qualifier.is_some()))
        })
        .collect();
    out.sort_by_key(|(s, d, _)| (*d, *s));
    out
}

/// One decision's standing on `on`: `Some((standing, in_part))` when it was in force.
fn standing(g: &DecisionGraph, adrs: &[Adr], i: DecisionIndex, on: Option<Date>) -> Option<(Standing, bool)> {
    let (status, mut basis) = status_on(g, adrs, i, on)?;
    if status != Status::Accepted {
        return None;
    }
    let by = successors(g, adrs, i, on);
    if by.iter().any(|(_, _, part)| !part) {
        return None;
    }
    if let Some((s, d, _)) = by.first() {
        let when = d.map(|d| format!(" {d}")).unwrap_or_default();
        basis.push_str(&format!("; superseded in part{when} by {}", adrs[*s].id));
    }
    let a = &adrs[i];
    Some((
        Standing { id: a.id.clone(), title: a.display_title().to_string(), status, date: a.date, basis },
        !by.is_empty(),
    ))
}

/// The decisions in force on `on` (now, when `None`), those in force in part, and the records
/// a date cannot judge.
pub fn in_force_on(g: &DecisionGraph, adrs: &[Adr], on: Option<Date>) -> InForceOn {
    let mut answer =
        InForceOn { on, in_force: Vec::new(), in_part: Vec::new(), undated: Vec::new(), later: 0 };
    for i in (0..adrs.len()).map(DecisionIndex::new) {
        let a = &adrs[i];
        match (on, a.date) {
            (Some(_), None) => answer.undated.push(a.id.clone()),
            (Some(on), Some(d)) if d > on => answer.later += 1,
            _ => match standing(g, adrs, i, on) {
                Some((s, false)) => answer.in_force.push(s),
                Some((s, true)) => answer.in_part.push(s),
                None => {}
            },
        }
    }
    answer
}

/// The supersession chain through `start` as it stood on `on`: the members written by then,
/// each with its status then, and the decisions in force then; undated members keep their
/// status now. The chain's basis names the dates used for each member.
pub fn chain_on(g: &DecisionGraph, adrs: &[Adr], start: DecisionIndex, on: Date) -> crate::query::Chain {
    let mut chain = crate::query::chain(g, adrs, start);
    let by_id: std::collections::HashMap<&str, usize> =
        adrs.iter().enumerate().map(|(k, a)| (a.id.as_str(), k)).collect();
    chain.in_force.clear();
    chain.in_part.clear();
    let mut basis = Vec::new();
    for m in &mut chain.members {
        let Some(&k) = by_id.get(m.id.as_str()) else { continue };
        let i = DecisionIndex::new(k);
        match status_on(g, adrs, i, Some(on)) {
            Some((status, why)) => {
                m.status = status;
                basis.push(format!("{}: {why}", m.id));
                match standing(g, adrs, i, Some(on)) {
                    Some((_, false)) => chain.in_force.push(m.id.clone()),
                    Some((_, true)) => chain.in_part.push(m.id.clone()),
                    None => {}
                }
            }
            None if adrs[i].date.is_none() => basis.push(format!("{}: undated, not judged", m.id)),
            None => basis.push(format!("{}: dated after {on}, not written yet", m.id)),
        }
    }
    // Members not written yet then were not part of the chain.
    chain.members.retain(|m| by_id.get(m.id.as_str()).is_none_or(|&k| adrs[k].date.is_none_or(|d| d <= on)));
    chain.on = Some(on);
    chain.basis = basis;
    chain
}

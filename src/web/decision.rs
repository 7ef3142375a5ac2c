//! The page of one decision (`/decisions/{id}`): every field of the seed template, its typed
//! links both ways, its supersession chain with the decision in force, its impact, the lint
//! findings on its file, where the file is, and (in a git repository) its history.

use super::links::Links;
use super::pages::{badge, bullets, decision_link, label, layout, prose};
use super::state::Snapshot;
use crate::model::Adr;
use crate::query::{self, Step};
use crate::DecisionIndex;
use maud::{html, Markup};
use petgraph::Direction;

/// The whole record.
pub fn page(snap: &Snapshot, links: &Links, i: DecisionIndex) -> Markup {
    let a = &snap.corpus.adrs[i];
    let chain = query::chain(&snap.graph, &snap.corpus.adrs, i);
    let impact = query::impact(&snap.graph, &snap.corpus.adrs, i, None);
    let edges = query::edges_of(&snap.graph, &snap.corpus.adrs, i);
    let body = html! {
        article.decision {
            header.record {
                p.kicker { (a.path) }
                h1 { @if let Some(n) = a.number { span.num { (n) ". " } } (a.display_title()) }
                p { (badge(a.status)) @if let Some(raw) = &a.status_raw { " " span.muted { (raw) } }
                    @if snap.in_force.contains(&a.id) { " " span.in-force { "in force" } } }
                @if a.status != crate::Status::Accepted || !chain.members.is_empty() { (in_force_note(snap, links, a, &chain)) }
            }
            div.columns {
                div.main { (fields(a)) }
                aside { (meta(snap, links, i, a)) (relations(snap, links, &edges)) (chain_box(snap, links, &chain)) }
            }
            (impact_box(snap, links, &impact))
            (findings_box(snap, a))
            (history_box(snap, i))
        }
    };
    layout(snap, links, &label(a), "decision", body)
}

/// For a decision not in force: which decisions of its chain are.
fn in_force_note(snap: &Snapshot, links: &Links, a: &Adr, chain: &query::Chain) -> Markup {
    let others: Vec<&String> = chain.in_force.iter().filter(|id| **id != a.id).collect();
    html! {
        @if !others.is_empty() && !snap.in_force.contains(&a.id) {
            p.callout { "In force instead: "
                @for (k, id) in others.iter().enumerate() { @if k > 0 { ", " } (decision_link(snap, links, id)) } }
        }
    }
}

/// The record's own fields, in the seed template's order.
fn fields(a: &Adr) -> Markup {
    let c = &a.consequences;
    html! {
        @if let Some(t) = &a.technical_story { section { h2 { "Technical story" } (prose(t)) } }
        @if let Some(t) = &a.context { section #context { h2 { "Context" } (prose(t)) } }
        @if !a.decision_drivers.is_empty() { section { h2 { "Decision drivers" } (bullets(&a.decision_drivers)) } }
        @if !a.options.is_empty() {
            section #options { h2 { "Considered options" }
                @for o in &a.options {
                    div.option.chosen[o.chosen] {
                        h3 { (o.title) @if o.chosen { " " span.chosen-mark { "chosen" } } }
                        @if let Some(d) = &o.description { (prose(d)) }
                        div.pc {
                            @if !o.pros.is_empty() { div.pros { h4 { "Pros" } (bullets(&o.pros)) } }
                            @if !o.cons.is_empty() { div.cons { h4 { "Cons" } (bullets(&o.cons)) } }
                            @if !o.neutral.is_empty() { div.neutral { h4 { "Neutral" } (bullets(&o.neutral)) } }
                        }
                        @if o.cost.is_some() || o.risk.is_some() {
                            dl.cr {
                                @if let Some(x) = &o.cost { dt { "Cost" } dd { (x) } }
                                @if let Some(x) = &o.risk { dt { "Risk" } dd { (x) } }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(t) = &a.decision { section #decision { h2 { "Decision" } (prose(t)) } }
        @if let Some(o) = &a.outcome {
            section #outcome { h2 { "Decision outcome" }
                @if let Some(ch) = &o.chosen { p { "Chosen option: " strong { (ch) } } }
                @if let Some(r) = &o.rationale { (prose(r)) }
            }
        }
        @if !c.is_empty() {
            section #consequences { h2 { "Consequences" }
                @if let Some(t) = &c.text { (prose(t)) }
                @if !c.positive.is_empty() { h4 { "Positive" } (bullets(&c.positive)) }
                @if !c.negative.is_empty() { h4 { "Negative" } (bullets(&c.negative)) }
                @if !c.neutral.is_empty() { h4 { "Neutral" } (bullets(&c.neutral)) }
            }
        }
        @if !a.phases.is_empty() {
            section #phases { h2 { "Implementation phases" }
                ol.phases { @for p in &a.phases { li { strong { (p.name) }
                    @if let Some(t) = &p.timeline { " " span.muted { (t) } } (bullets(&p.deliverables)) } } }
            }
        }
        @if !a.validation.is_empty() { section #validation { h2 { "Validation" } (bullets(&a.validation)) } }
    }
}

/// Status, dates, people, tags, the file.
fn meta(snap: &Snapshot, links: &Links, i: DecisionIndex, a: &Adr) -> Markup {
    let people = |v: &[String]| v.join(", ");
    html! {
        dl.meta {
            dt { "Status" } dd { (a.status.as_str()) }
            @if !a.status_history.is_empty() && a.status_history.len() > 1 {
                dt { "History" } dd { @for s in &a.status_history { (s.raw) @if let Some(d) = s.date { " (" (d) ")" } br; } }
            }
            dt { "Date" } dd { @match a.date { Some(d) => (d), None => span.muted { "none" } } }
            @if !a.deciders.is_empty() { dt { "Deciders" } dd { (people(&a.deciders)) } }
            @if !a.consulted.is_empty() { dt { "Consulted" } dd { (people(&a.consulted)) } }
            @if !a.informed.is_empty() { dt { "Informed" } dd { (people(&a.informed)) } }
            @if !a.tags.is_empty() { dt { "Tags" } dd { @for t in &a.tags { span.tag { (t) } " " } } }
            @if let Some(d) = a.review_date { dt { "Review by" } dd { (d) } }
            dt { "Dialect" } dd { (a.dialect.as_str()) }
            dt { "File" } dd {
                @if links.static_site { code { (a.path) } } @else { a href=(links.source(&a.id)) { (a.path) } }
                @if let Some(url) = snap.web_url(i) { br; a href=(url) rel="noreferrer" { "in the repository" } }
            }
        }
    }
}

/// The typed links, outgoing then incoming.
fn relations(snap: &Snapshot, links: &Links, edges: &[(Direction, Step)]) -> Markup {
    let verb = |s: &Step, d: Direction| -> String {
        let q = s.qualifier.as_deref().map(|q| format!(" {q}")).unwrap_or_default();
        match (&s.label, d) {
            (Some(l), _) => format!("{l}{q}"),
            (None, Direction::Outgoing) => format!("{}{q}", s.kind.as_str().replace('_', " ")),
            (None, Direction::Incoming) => format!("{}{q}", passive(s.kind)),
        }
    };
    html! {
        @if !edges.is_empty() {
            section.links { h2 { "Links" }
                ul.edges {
                    @for (d, s) in edges {
                        @let other = if *d == Direction::Outgoing { &s.to } else { &s.from };
                        li { span.verb { (verb(s, *d)) } " " (decision_link(snap, links, other)) }
                    }
                }
            }
        }
    }
}

/// How an edge reads from the decision it points at (`superseded by`, `amended by`).
fn passive(kind: crate::EdgeKind) -> String {
    use crate::EdgeKind as K;
    match kind {
        K::Supersedes => "superseded by".into(),
        K::Amends => "amended by".into(),
        K::References => "referenced by".into(),
        other => format!("{} (from)", other.as_str().replace('_', " ")),
    }
}

/// The supersession chain, oldest first, the decisions in force marked.
fn chain_box(snap: &Snapshot, links: &Links, chain: &query::Chain) -> Markup {
    html! {
        @if chain.members.len() > 1 {
            section.chain { h2 { "Supersession chain" }
                ol.chain {
                    @for m in &chain.members {
                        li.here[m.id == chain.start] {
                            (decision_link(snap, links, &m.id))
                            @if chain.in_force.contains(&m.id) { " " span.in-force { "in force" } }
                            @if chain.in_part.contains(&m.id) { " " span.muted { "in force in part" } }
                        }
                    }
                }
                @if let Some(c) = &chain.cycle { p.callout { "Supersession cycle: " (c.join(" → ")) } }
            }
        }
    }
}

/// What depends on the decision.
fn impact_box(snap: &Snapshot, links: &Links, walk: &query::Walk) -> Markup {
    const SHOWN: usize = 200;
    html! {
        section.impact { h2 { "Impact " span.muted { (walk.reached.len()) " decisions depend on it" } }
            @if walk.reached.is_empty() { p.muted { "Nothing links to this decision." } }
            ul.reached {
                @for r in walk.reached.iter().take(SHOWN) {
                    li { (decision_link(snap, links, &r.id)) " " span.muted { "distance " (r.distance)
                        @if let Some(s) = r.via.first() { ", " (s.kind.as_str().replace('_', " ")) } } }
                }
            }
            @if walk.reached.len() > SHOWN { p.muted { "and " (walk.reached.len() - SHOWN) " more (" code { "adrgraph impact" } " lists all)" } }
        }
    }
}

/// The lint findings and parse diagnostics on the record's file.
fn findings_box(snap: &Snapshot, a: &Adr) -> Markup {
    let findings: Vec<_> = snap.findings_on(&a.path).collect();
    html! {
        section.lint { h2 { "Lint " span.muted { (findings.len()) " findings" } }
            @if findings.is_empty() { p.muted { "Every rule passes on this file." } }
            ul.findings {
                @for f in findings {
                    li { span class={ "level " (f.level.as_str()) } { (f.level.as_str()) } " "
                        code { (f.code) } " line " (f.line) ": " (f.message) }
                }
            }
        }
    }
}

/// Most commits a page's history looks at.
#[cfg(feature = "git")]
const HISTORY_LIMIT: usize = 100_000;

/// The commits that changed the record, oldest first, as `adrgraph history` lists them: shown
/// when the tree is in a git repository and the record has been committed.
#[cfg(feature = "git")]
fn history_box(snap: &Snapshot, i: DecisionIndex) -> Markup {
    let Ok(steps) =
        crate::delta::record_history(&snap.corpus, i, snap.history_from.as_deref(), HISTORY_LIMIT)
    else {
        return html! {};
    };
    if steps.is_empty() {
        return html! {};
    }
    html! {
        section.history { h2 { "History " span.muted { (steps.len()) @if steps.len() == 1 { " commit" } @else { " commits" } } }
            ol.history {
                @for s in &steps {
                    li { code { (&s.commit[..10.min(s.commit.len())]) } " " span.muted { (s.date) " · " (s.author) } " " (s.subject)
                        @if s.created { div.muted { "created as " (s.path) } }
                        @if !s.changes.is_empty() { ul { @for c in &s.changes { li { (c.sentence()) } } } }
                        @if !s.sections_edited.is_empty() { div.muted { "sections edited: " (s.sections_edited.join(", ")) } }
                    }
                }
            }
        }
    }
}

/// Without git support, no history.
#[cfg(not(feature = "git"))]
fn history_box(_: &Snapshot, _: DecisionIndex) -> Markup {
    html! {}
}

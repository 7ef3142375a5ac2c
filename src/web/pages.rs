//! The HTML pages, from compiled templates (maud: every value interpolated is HTML-escaped,
//! so a title `<script>` is text). Each page works without JavaScript; `app.js` only improves
//! it (as-you-type search, live reload, pan and zoom).

use super::links::Links;
use super::state::{folder_of, Snapshot};
use crate::lint::{Finding, Level};
use crate::model::{Adr, Status};
use maud::{html, Markup, DOCTYPE};

/// The frame of every page: header with navigation, the content, footer.
pub fn layout(snap: &Snapshot, links: &Links, title: &str, active: &str, body: Markup) -> Markup {
    let nav = [
        ("", "Decisions"),
        ("search", "Search"),
        ("graph", "Graph"),
        ("timeline", "Timeline"),
        ("lint", "Lint"),
    ];
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if links.static_site {
                    meta http-equiv="Content-Security-Policy" content=(super::SITE_CSP);
                }
                title { (title) " · adrgraph" }
                link rel="stylesheet" href=(links.asset("style.css"));
                script src=(links.asset("app.js")) defer {}
            }
            body data-generation=(snap.generation) data-live=[(!links.static_site).then_some(links.page("events"))] data-past[snap.revision.is_some()] {
                header.top {
                    a.brand href=(links.page("")) { "adrgraph" }
                    nav {
                        @for (page, name) in nav {
                            a.active[active == page] href=(links.page(page)) { (name) }
                        }
                    }
                    form.quick action=(links.page("search")) method="get" role="search" {
                        input type="search" name="q" placeholder="Search decisions" aria-label="Search decisions";
                    }
                }
                @if let Some(r) = &snap.revision {
                    p.past role="note" {
                        "As of " strong { (r.label) } ": the decision log as it was at that commit."
                        @if !links.static_site {
                            " " a href="/" { "Back to the work tree" }
                        }
                    }
                }
                main { (body) }
                footer {
                    (snap.corpus.adrs.len()) " decisions · " (snap.findings.len()) " lint findings · read from "
                    (snap.corpus.roots.join(", "))
                }
            }
        }
    }
}

/// A status as a coloured badge (the colours of the graph legend).
pub fn badge(s: Status) -> Markup {
    html! { span class={ "badge st-" (s.as_str()) } { (s.as_str()) } }
}

/// A decision's label as lists show it: number (when it has one) and title.
pub fn label(a: &Adr) -> String {
    match a.number {
        Some(n) => format!("{n}. {}", a.display_title()),
        None => a.display_title().to_string(),
    }
}

/// Text in paragraphs (at blank lines). The lines of a paragraph are joined as markdown joins
/// them, unless it is a list or a table (a line starting with `-`, `*`, `+`, `|` or a
/// number), which keeps its line breaks.
pub fn prose(text: &str) -> Markup {
    let listy = |p: &str| {
        p.lines().skip(1).any(|l| {
            let l = l.trim_start();
            l.starts_with(['-', '*', '+', '|'])
                || l.split_once(['.', ')'])
                    .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    html! {
        @for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            @if listy(para) { p.prose.lines { (para) } }
            @else { p.prose { (para.lines().map(str::trim).collect::<Vec<_>>().join(" ")) } }
        }
    }
}

/// A bullet list, or nothing when empty.
pub fn bullets(items: &[String]) -> Markup {
    html! {
        @if !items.is_empty() {
            ul { @for i in items { li { (i) } } }
        }
    }
}

/// A link to a decision by id, with its title when the snapshot knows it.
pub fn decision_link(snap: &Snapshot, links: &Links, id: &str) -> Markup {
    match snap.decision(id) {
        Some(i) => {
            let a = &snap.corpus.adrs[i];
            html! { a href=(links.decision(id)) { (label(a)) } " " (badge(a.status)) }
        }
        None => html! { code { (id) } },
    }
}

/// The page for an unknown address or id.
pub fn not_found(snap: &Snapshot, links: &Links, what: &str) -> Markup {
    let body = html! {
        h1 { "Not found" }
        p { "Nothing here is called " code { (what) } "." }
        p { a href=(links.page("")) { "All decisions" } " · " a href=(links.page("search")) { "Search" } }
    };
    layout(snap, links, "Not found", "", body)
}

/// The lint page: findings grouped by rule, then file.
pub fn lint(snap: &Snapshot, links: &Links) -> Markup {
    let mut by_rule: std::collections::BTreeMap<&str, Vec<&Finding>> = Default::default();
    for f in &snap.findings {
        by_rule.entry(f.code.as_str()).or_default().push(f);
    }
    let count = |l: Level| snap.findings.iter().filter(|f| f.level == l).count();
    let by_path: std::collections::HashMap<&str, &str> =
        snap.corpus.adrs.iter().map(|a| (a.path.as_str(), a.id.as_str())).collect();
    let body = html! {
        h1 { "Lint" }
        p.summary {
            span.count.error { (count(Level::Error)) " errors" } " "
            span.count.warning { (count(Level::Warning)) " warnings" } " "
            span.count.note { (count(Level::Note)) " notes" }
        }
        @for w in &snap.warnings { p.warning-note { (w) } }
        @if snap.findings.is_empty() { p { "No findings: every rule passes." } }
        @for (rule, findings) in &by_rule {
            section.rule id={ "rule-" (rule) } {
                h2 { code { (rule) } " " span.muted { (findings.len()) } }
                @if let Some(r) = crate::lint::RULES.iter().find(|r| r.code == *rule) { p.muted { (r.summary) } }
                table.findings {
                    thead { tr { th { "File" } th { "Line" } th { "Level" } th { "Finding" } } }
                    tbody {
                        @for f in findings {
                            tr {
                                td {
                                    @match by_path.get(f.path.as_str()) {
                                        Some(id) => a href=(links.decision(id)) { (f.path) },
                                        None => (f.path),
                                    }
                                }
                                td.num { (f.line) }
                                td { span class={ "level " (f.level.as_str()) } { (f.level.as_str()) } }
                                td { (f.message) @if let Some(h) = &f.help { br; span.muted { (h) } } }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(snap, links, "Lint", "lint", body)
}

/// The folder a decision is shown under.
pub fn folder(a: &Adr) -> &str {
    folder_of(&a.path)
}

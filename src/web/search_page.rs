//! The search page (`/search?q=`): the same ranked hits, snippets and highlights as
//! `adrgraph search`, with the same filters.

use super::links::Links;
use super::log::{date, pairs, value};
use super::pages::{badge, layout};
use super::state::Snapshot;
use crate::model::Status;
use crate::search::{Hit, SearchOptions, SearchResult};
use maud::{html, Markup};

/// A search as a query string asks for it: `q`, and the filters of `adrgraph search`
/// (`status` (repeatable), `since`, `until`, `decider`, `tag`, `folder`, `limit`).
#[derive(Debug, Clone, Default)]
pub struct Asked {
    /// The query text.
    pub q: String,
    /// The options, as the command line builds them.
    pub opts: SearchOptions,
}

impl Asked {
    /// Read a query string. The limit is the command line's default (10) unless given, and
    /// at most 1,000.
    pub fn parse(query: Option<&str>) -> Asked {
        let p = pairs(query);
        let statuses: Vec<Status> =
            p.iter().filter(|(k, _)| k == "status").filter_map(|(_, v)| v.parse().ok()).collect();
        let opts = SearchOptions {
            statuses,
            since: date(value(&p, "since")),
            until: date(value(&p, "until")),
            decider: value(&p, "decider").map(str::to_string),
            tag: value(&p, "tag").map(str::to_string),
            folder: value(&p, "folder").map(str::to_string),
            limit: Some(value(&p, "limit").and_then(|l| l.parse().ok()).unwrap_or(10).clamp(1, 1000)),
        };
        Asked { q: value(&p, "q").unwrap_or_default().to_string(), opts }
    }

    /// The answer, or the query's own error (a syntax error is shown, not a failure).
    pub fn run(&self, snap: &Snapshot) -> Result<SearchResult, String> {
        match crate::search::quietly(|| snap.index.search(&self.q, &self.opts)) {
            Ok(r) => r.map_err(|e| e.to_string()),
            Err(panic) => Err(format!("the search failed: {panic}")),
        }
    }
}

/// A snippet with its highlighted ranges marked (byte ranges that do not fall on character
/// boundaries are left unmarked).
pub fn snippet(h: &Hit) -> Markup {
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for &(a, b) in &h.highlights {
        if a < at || b > h.snippet.len() || !h.snippet.is_char_boundary(a) || !h.snippet.is_char_boundary(b) {
            continue;
        }
        pieces.push((&h.snippet[at..a], false));
        pieces.push((&h.snippet[a..b], true));
        at = b;
    }
    pieces.push((&h.snippet[at..], false));
    html! { @for (t, m) in pieces { @if m { mark { (t) } } @else { (t) } } }
}

/// The hits as a list (also what `app.js` asks for as-you-type: `/search?q=..&part=hits`).
pub fn hits(links: &Links, asked: &Asked, result: &Result<SearchResult, String>) -> Markup {
    html! {
        div #hits {
            @match result {
                Err(e) => p.callout { "That query does not read: " (e) },
                Ok(_) if asked.q.is_empty() => p.muted { "Type words to search every field of every decision." },
                Ok(r) if r.hits.is_empty() => p { "No decision matches " code { (asked.q) } "." },
                Ok(r) => {
                    p.summary { (r.total) " decisions match" @if r.total > r.hits.len() { ", best " (r.hits.len()) " shown" } }
                    ol.hits {
                        @for h in &r.hits {
                            li {
                                a.hit-title href=(links.decision(&h.id)) { (h.title) } " " (badge(h.status))
                                @if let Some(d) = h.date { " " span.date { (d) } }
                                p.snippet { (snippet(h)) }
                                p.muted { (h.path)
                                    @if !h.in_force.is_empty() { " · in force instead: "
                                        @for (k, id) in h.in_force.iter().enumerate() { @if k > 0 { ", " }
                                            a href=(links.decision(id)) { (id) } } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The search page.
pub fn page(snap: &Snapshot, links: &Links, asked: &Asked) -> Markup {
    let result = if asked.q.is_empty() {
        Ok(SearchResult { query: String::new(), total: 0, hits: vec![] })
    } else {
        asked.run(snap)
    };
    let o = &asked.opts;
    let body = html! {
        h1 { "Search" }
        form.search #search method="get" action=(links.page("search")) {
            input #q type="search" name="q" value=(asked.q) autofocus placeholder="kafka, \"event bus\", status:accepted" aria-label="Query";
            button type="submit" { "Search" }
            details open[!o.statuses.is_empty() || o.since.is_some() || o.until.is_some() || o.folder.is_some() || o.tag.is_some() || o.decider.is_some()] {
                summary { "Filters" }
                div.row {
                    @for s in Status::ALL {
                        label.check { input type="checkbox" name="status" value=(s.as_str()) checked[o.statuses.contains(&s)]; " " (badge(s)) }
                    }
                }
                div.row {
                    label { "Since " input type="date" name="since" value=[o.since.map(|d| d.to_string())]; }
                    label { "Until " input type="date" name="until" value=[o.until.map(|d| d.to_string())]; }
                    label { "Folder " input type="text" name="folder" value=[o.folder.as_deref()]; }
                    label { "Tag " input type="text" name="tag" value=[o.tag.as_deref()]; }
                    label { "Decider " input type="text" name="decider" value=[o.decider.as_deref()]; }
                }
            }
        }
        @if links.static_site { script src={ (links.top) "search-index.js" } {} p.muted #offline { "Search runs in your browser from the index written with this site." } }
        (hits(links, asked, &result))
    };
    layout(
        snap,
        links,
        if asked.q.is_empty() { "Search".to_string() } else { format!("{} — search", asked.q) }.as_str(),
        "search",
        body,
    )
}

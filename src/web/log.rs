//! The decision log (`/`), its filters, and the timeline (`/timeline`).

use super::links::Links;
use super::pages::{badge, folder, label, layout};
use super::state::Snapshot;
use crate::model::{Adr, Date, Status};
use maud::{html, Markup};

/// Decisions per page of the log.
pub const PAGE_SIZE: usize = 500;

/// What the log is filtered and sorted by, read from the query string (`?status=accepted&
/// status=proposed&folder=doc/adr&tag=x&decider=y&from=2020-01-01&to=2021-12-31&sort=date&
/// in_force=1&page=2`). Values that do not parse are ignored, not errors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogFilter {
    /// Only these statuses (none: all).
    pub statuses: Vec<Status>,
    /// Only decisions in this folder (as displayed).
    pub folder: Option<String>,
    /// Only decisions with this tag.
    pub tag: Option<String>,
    /// Only decisions with this decider.
    pub decider: Option<String>,
    /// Dated on or after.
    pub from: Option<Date>,
    /// Dated on or before.
    pub to: Option<Date>,
    /// `path` (default), `date` (newest first) or `number`.
    pub sort: String,
    /// Only decisions in force.
    pub in_force: bool,
    /// Page, from 1.
    pub page: usize,
}

/// The pairs of a query string, decoded.
pub fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect()
}

/// The value of `key` in decoded pairs, when given and not blank.
pub fn value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v.trim())
}

/// A `YYYY-MM-DD` date.
pub fn date(s: Option<&str>) -> Option<Date> {
    s.and_then(|s| Date::parse_from_str(s, "%Y-%m-%d").ok())
}

impl LogFilter {
    /// The filter a query string asks for.
    pub fn parse(query: Option<&str>) -> LogFilter {
        let p = pairs(query);
        let mut statuses: Vec<Status> =
            p.iter().filter(|(k, _)| k == "status").filter_map(|(_, v)| v.parse().ok()).collect();
        statuses.sort_by_key(|s| Status::ALL.iter().position(|x| x == s));
        statuses.dedup();
        let sort = match value(&p, "sort") {
            Some(s @ ("date" | "number")) => s.to_string(),
            _ => "path".to_string(),
        };
        LogFilter {
            statuses,
            folder: value(&p, "folder").map(str::to_string),
            tag: value(&p, "tag").map(str::to_string),
            decider: value(&p, "decider").map(str::to_string),
            from: date(value(&p, "from")),
            to: date(value(&p, "to")),
            sort,
            in_force: value(&p, "in_force").is_some(),
            page: value(&p, "page").and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(1),
        }
    }

    /// Whether decision `a` passes.
    pub fn keeps(&self, snap: &Snapshot, a: &Adr) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&a.status))
            && self.folder.as_deref().is_none_or(|f| folder(a) == f)
            && self.tag.as_deref().is_none_or(|t| a.tags.iter().any(|x| x == t))
            && self.decider.as_deref().is_none_or(|d| a.deciders.iter().any(|x| x == d))
            && self.from.is_none_or(|f| a.date.is_some_and(|d| d >= f))
            && self.to.is_none_or(|t| a.date.is_some_and(|d| d <= t))
            && (!self.in_force || snap.in_force.contains(&a.id))
    }

    /// The decisions that pass, sorted as asked (ties by path order, which is stable).
    pub fn apply<'a>(&self, snap: &'a Snapshot) -> Vec<&'a Adr> {
        let mut rows: Vec<&Adr> = snap.corpus.adrs.iter().filter(|a| self.keeps(snap, a)).collect();
        match self.sort.as_str() {
            "date" => rows.sort_by_key(|a| (a.date.is_none(), std::cmp::Reverse(a.date))),
            "number" => rows.sort_by_key(|a| (a.number.is_none(), a.number)),
            _ => {}
        }
        rows
    }

    /// The query string of this filter at page `page`.
    pub fn query_at(&self, page: usize) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for s in &self.statuses {
            q.append_pair("status", s.as_str());
        }
        let opt = [("folder", &self.folder), ("tag", &self.tag), ("decider", &self.decider)];
        for (k, v) in opt {
            if let Some(v) = v {
                q.append_pair(k, v);
            }
        }
        for (k, v) in [("from", self.from), ("to", self.to)] {
            if let Some(v) = v {
                q.append_pair(k, &v.to_string());
            }
        }
        if self.sort != "path" {
            q.append_pair("sort", &self.sort);
        }
        if self.in_force {
            q.append_pair("in_force", "1");
        }
        if page > 1 {
            q.append_pair("page", &page.to_string());
        }
        q.finish()
    }
}

/// The decision log.
pub fn log(snap: &Snapshot, links: &Links, f: &LogFilter) -> Markup {
    let rows = f.apply(snap);
    // A static site has one page of every decision (its script filters the rows).
    let size = if links.static_site { rows.len().max(1) } else { PAGE_SIZE };
    let pages = rows.len().div_ceil(size).max(1);
    let page = f.page.min(pages);
    let shown = &rows[((page - 1) * size).min(rows.len())..(page * size).min(rows.len())];
    let body = html! {
        h1 { "Decisions" }
        (filters(snap, links, f))
        p.summary #count { (rows.len()) " of " (snap.corpus.adrs.len()) " decisions"
            @if pages > 1 { " · page " (page) " of " (pages) } }
        div.table-wrap {
            table.log #log {
                thead { tr { th.num { "#" } th { "Title" } th { "Status" } th { "Date" } th { "Folder" } th { "Tags" } } }
                tbody {
                    @for a in shown {
                        tr data-status=(a.status.as_str()) data-folder=(folder(a)) data-date=[a.date.map(|d| d.to_string())]
                            data-tags=(a.tags.join("\u{1f}")) data-deciders=(a.deciders.join("\u{1f}"))
                            data-in-force=[snap.in_force.contains(&a.id).then_some("1")] data-number=[a.number] {
                            td.num { @if let Some(n) = a.number { (n) } }
                            td { a href=(links.decision(&a.id)) { (a.display_title()) }
                                @if snap.in_force.contains(&a.id) { " " span.in-force title="in force" { "in force" } } }
                            td { (badge(a.status)) }
                            td.date { @if let Some(d) = a.date { (d) } }
                            td.folder { (folder(a)) }
                            td { @for t in &a.tags { span.tag { (t) } " " } }
                        }
                    }
                }
            }
        }
        @if pages > 1 {
            nav.pager {
                @if page > 1 { a rel="prev" href={ (links.page("")) "?" (f.query_at(page - 1)) } { "← previous" } }
                @if page < pages { a rel="next" href={ (links.page("")) "?" (f.query_at(page + 1)) } { "next →" } }
            }
        }
    };
    layout(snap, links, "Decisions", "", body)
}

/// The filter form (a plain GET form; `app.js` submits it on every change).
fn filters(snap: &Snapshot, links: &Links, f: &LogFilter) -> Markup {
    let facets = snap.facets();
    let select = |name: &str,
                  all: &str,
                  items: &std::collections::BTreeMap<String, usize>,
                  chosen: &Option<String>| {
        html! {
            label { (name) " "
                select name=(name.to_lowercase()) {
                    option value="" { (all) }
                    @for (v, n) in items {
                        option value=(v) selected[chosen.as_deref() == Some(v.as_str())] { (v) " (" (n) ")" }
                    }
                }
            }
        }
    };
    html! {
        form.filters #filters method="get" action=(links.page("")) {
            fieldset.statuses {
                legend { "Status" }
                @for s in Status::ALL {
                    label.check { input type="checkbox" name="status" value=(s.as_str()) checked[f.statuses.contains(&s)]; " " (badge(s)) }
                }
            }
            div.row {
                (select("Folder", "all folders", &facets.folders, &f.folder))
                @if !facets.tags.is_empty() { (select("Tag", "all tags", &facets.tags, &f.tag)) }
                @if !facets.deciders.is_empty() { (select("Decider", "anyone", &facets.deciders, &f.decider)) }
                label { "From " input type="date" name="from" value=[f.from.map(|d| d.to_string())]; }
                label { "To " input type="date" name="to" value=[f.to.map(|d| d.to_string())]; }
                label { "Sort "
                    select name="sort" {
                        option value="path" selected[f.sort == "path"] { "by folder and file" }
                        option value="date" selected[f.sort == "date"] { "newest first" }
                        option value="number" selected[f.sort == "number"] { "by number" }
                    }
                }
                label.check { input type="checkbox" name="in_force" value="1" checked[f.in_force]; " in force only" }
                button type="submit" { "Apply" }
                a.reset href=(links.page("")) { "Reset" }
            }
        }
    }
}

/// The timeline: dated decisions oldest first, one row each, with an arc from each decision to
/// the ones it supersedes (drawn as SVG beside the rows).
pub fn timeline(snap: &Snapshot, links: &Links) -> Markup {
    let mut dated: Vec<&Adr> = snap.corpus.adrs.iter().filter(|a| a.date.is_some()).collect();
    dated.sort_by_key(|a| a.date);
    let row: std::collections::HashMap<&str, usize> =
        dated.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let mut arcs = Vec::new();
    for (from, to, e) in snap.graph.decision_edge_list() {
        if e.kind != crate::EdgeKind::Supersedes {
            continue;
        }
        let (from, to) = (&snap.corpus.adrs[from].id, &snap.corpus.adrs[to].id);
        if let (Some(&a), Some(&b)) = (row.get(from.as_str()), row.get(to.as_str())) {
            arcs.push((a.min(b), a.max(b)));
        }
    }
    arcs.sort_unstable();
    arcs.dedup();
    let h = 32;
    let undated = snap.corpus.adrs.len() - dated.len();
    let body = html! {
        h1 { "Timeline" }
        p.summary { (dated.len()) " dated decisions, oldest first; an arc joins a decision to the one it supersedes."
            @if undated > 0 { " " (undated) " without a date are not shown." } }
        div.timeline {
            svg.arcs width="60" height=((dated.len() * h).max(1)) aria-hidden="true" {
                @for (a, b) in &arcs {
                    @let (ya, yb) = (a * h + h / 2, b * h + h / 2);
                    @let bend = 56usize.saturating_sub(((b - a) * 4).min(48));
                    path d={ "M 58 " (ya) " C " (bend) " " (ya) ", " (bend) " " (yb) ", 58 " (yb) } {}
                }
            }
            ol.rows {
                @for a in &dated {
                    li {
                        span.date { @if let Some(d) = a.date { (d) } }
                        span class={ "dot st-" (a.status.as_str()) } {}
                        a href=(links.decision(&a.id)) { (label(a)) } " " (badge(a.status))
                    }
                }
            }
        }
    };
    layout(snap, links, "Timeline", "timeline", body)
}

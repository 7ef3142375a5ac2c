//! The graph page (`/graph`, `/graph?focus=ID&depth=N`): the Graphviz SVG of the graph, every
//! decision node a link to its page; pan and zoom come from `app.js`. Without `dot` the page
//! says so and lists what it would have drawn.

use super::links::Links;
use super::log::{pairs, value};
use super::pages::{decision_link, layout};
use super::state::Snapshot;
use crate::render::{self, Format, Layout, PageLinks, RenderOptions};
use crate::DecisionIndex;
use maud::{html, Markup, PreEscaped};

/// Largest drawing made of the whole graph; above it the page draws the `MOST_LINKED` most
/// linked decisions and asks for a focus for the rest (sfdp takes minutes past a few thousand
/// nodes on a 2-core machine).
pub const WHOLE_LIMIT: usize = 1500;

/// How many decisions the first view of a tree larger than `WHOLE_LIMIT` draws: those with
/// the most links, each a link to its page.
pub const MOST_LINKED: usize = 250;

/// A drawing, or why there is none.
#[derive(Debug, Clone)]
pub enum Drawing {
    /// The SVG element (the XML prologue cut off), how many decisions and edges it shows, and
    /// for a tree too large to draw whole, how many decisions it has (only the most linked are
    /// drawn).
    Svg(String, usize, usize, Option<usize>),
    /// Why nothing was drawn.
    None(String),
}

/// What the page is asked to draw.
#[derive(Debug, Clone, Default)]
pub struct GraphAsked {
    /// The decision at the centre, by id.
    pub focus: Option<String>,
    /// Links away from it (default 1, at most 6).
    pub depth: usize,
}

impl GraphAsked {
    /// Read `focus` and `depth` from a query string.
    pub fn parse(query: Option<&str>) -> GraphAsked {
        let p = pairs(query);
        GraphAsked {
            focus: value(&p, "focus").map(str::to_string),
            depth: value(&p, "depth").and_then(|d| d.parse().ok()).unwrap_or(1).clamp(1, 6),
        }
    }
}

/// Draw the graph around `focus` (or all of it), nodes linking to pages as `links` names them.
pub fn draw(snap: &Snapshot, links: &Links, focus: Option<DecisionIndex>, depth: usize) -> Drawing {
    let pages = if links.static_site {
        PageLinks { prefix: format!("{}decisions/", links.top), suffix: ".html".into(), flat: true }
    } else {
        PageLinks { prefix: format!("{}decisions/", links.top), suffix: String::new(), flat: false }
    };
    let mut opts =
        RenderOptions { focus, depth: Some(depth), page_links: Some(pages), ..RenderOptions::default() };
    let mut view = render::select(&snap.graph, &snap.corpus.adrs, &opts);
    if view.nodes.is_empty() {
        return Drawing::None("There are no decisions to draw.".into());
    }
    let mut whole = None;
    if focus.is_none() && view.nodes.len() > WHOLE_LIMIT {
        whole = Some(view.decisions());
        opts.among = Some(render::most_linked(&snap.graph, &snap.corpus.adrs, MOST_LINKED));
        view = render::select(&snap.graph, &snap.corpus.adrs, &opts);
        if view.nodes.is_empty() {
            return Drawing::None(format!(
                "The whole graph has {} decisions and no links between them: pick a decision to draw it.",
                whole.unwrap_or_default()
            ));
        }
    }
    let layout = Layout::for_size(view.nodes.len());
    match svg_of(snap, &render::to_dot(&view, &opts, layout), layout) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let svg = text.find("<svg").map_or(&text[..], |at| &text[at..]);
            Drawing::Svg(svg.to_string(), view.decisions(), view.edges.len(), whole)
        }
        Err(render::RenderError::NoGraphviz) => Drawing::None(
            "Graphviz (`dot`) is not installed, so the graph is not drawn; install it (apt-get install graphviz) and reload."
                .into(),
        ),
        Err(e) => Drawing::None(format!("Graphviz could not draw the graph: {e}")),
    }
}

/// Most drawings kept in the store's `drawings/` folder; past it the folder starts over.
pub const KEPT_DRAWINGS: usize = 32;

/// The SVG of `dot`: the one kept from an earlier run for the same DOT text and layout, or
/// Graphviz's, then kept (written to a temporary file and renamed; a folder that cannot be
/// written only means the next run draws again).
fn svg_of(snap: &Snapshot, dot: &str, layout: Layout) -> Result<Vec<u8>, render::RenderError> {
    let key = xxhash_rust::xxh3::xxh3_64(format!("{}\n{dot}", layout.as_str()).as_bytes());
    let file = snap.drawings.as_ref().map(|d| (d.clone(), d.join(format!("{key:016x}.svg"))));
    if let Some((_, f)) = &file {
        if let Ok(bytes) = std::fs::read(f) {
            if bytes.starts_with(b"<?xml") || bytes.starts_with(b"<svg") || bytes.starts_with(b"<!--") {
                return Ok(bytes);
            }
        }
    }
    let bytes = render::render_graphviz(dot, Format::Svg, layout)?;
    if let Some((dir, f)) = file {
        let _ = keep(&dir, &f, &bytes);
    }
    Ok(bytes)
}

fn keep(dir: &std::path::Path, file: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    if std::fs::read_dir(dir)?.count() >= KEPT_DRAWINGS {
        for e in std::fs::read_dir(dir)?.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// The graph page. The whole graph's drawing is made once per snapshot.
pub fn page(snap: &Snapshot, links: &Links, asked: &GraphAsked) -> Markup {
    let focus = asked.focus.as_deref().and_then(|f| snap.decision(f));
    let drawing = match focus {
        Some(i) => draw(snap, links, Some(i), asked.depth),
        None if links.static_site => draw(snap, links, None, 1),
        None => snap.drawing.get_or_init(|| draw(snap, links, None, 1)).clone(),
    };
    let body = html! {
        h1 { "Graph" @if let Some(i) = focus { " around " (decision_link(snap, links, &snap.corpus.adrs[i].id)) } }
        @if !links.static_site {
            form.filters method="get" action=(links.page("graph")) {
                label { "Around " input type="text" name="focus" value=[asked.focus.as_deref()] placeholder="decision id" list="ids"; }
                label { "Depth " input type="number" name="depth" min="1" max="6" value=(asked.depth); }
                button type="submit" { "Draw" }
                @if focus.is_some() { a.reset href=(links.page("graph")) { "Whole graph" } }
                datalist #ids { @for a in &snap.corpus.adrs { option value=(a.id) {} } }
            }
        }
        @if asked.focus.is_some() && focus.is_none() { p.callout { "No decision is called " code { (asked.focus.as_deref().unwrap_or_default()) } "." } }
        (legend())
        @match &drawing {
            Drawing::Svg(svg, n, e, whole) => {
                @if let Some(all) = whole {
                    p.callout #most-linked { "The whole graph has " (all) " decisions, too many to lay out here: these are the " (n) " most linked. Pick a decision above to draw its neighbourhood." }
                }
                p.summary { (n) " decisions, " (e) " links · drag to pan, scroll or pinch to zoom, click a decision to open it" }
                div.graph #graph { (PreEscaped(svg)) }
            }
            Drawing::None(why) => p.callout #no-drawing { (why) },
        }
    };
    layout(snap, links, "Graph", "graph", body)
}

/// The status colours, as the drawing and the badges use them.
fn legend() -> Markup {
    html! {
        p.legend { @for s in crate::Status::ALL { (super::pages::badge(s)) " " } }
    }
}

//! Drawing the knowledge graph: DOT text, SVG, PNG and PDF (rendered from that text by Graphviz's
//! `dot` through graphviz-rust), Mermaid, node-link JSON and GraphML.
//!
//! Every format draws the same [`View`]: [`select`] picks the decisions (all, one status, or the
//! neighbourhood of one decision), the edge kinds, and optionally the option nodes, once. Each
//! writer then only formats it, escaping every text that comes from a file for its own syntax,
//! so no title can break the output.
//!
//! Only [`render_graphviz`] spawns a process.

use crate::graph::{DecisionGraph, EdgeKind, Node};
use crate::model::{Adr, Status};
use graphviz_rust::cmd::{CommandArg, Format as GvFormat, Layout as GvLayout};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

/// Output formats of `adrgraph graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Graphviz DOT text.
    #[cfg_attr(feature = "cli", value(help = "Graphviz DOT"))]
    Dot,
    /// SVG, rendered by Graphviz.
    #[cfg_attr(feature = "cli", value(help = "SVG (needs Graphviz)"))]
    Svg,
    /// PNG, rendered by Graphviz.
    #[cfg_attr(feature = "cli", value(help = "PNG (needs Graphviz)"))]
    Png,
    /// PDF, rendered by Graphviz.
    #[cfg_attr(feature = "cli", value(help = "PDF (needs Graphviz)"))]
    Pdf,
    /// Mermaid `flowchart` text.
    #[cfg_attr(feature = "cli", value(help = "Mermaid flowchart"))]
    Mermaid,
    /// Node-link JSON (d3, networkx `node_link_graph(data, edges="links")`).
    #[cfg_attr(feature = "cli", value(help = "Node-link JSON (d3, networkx)"))]
    Json,
    /// GraphML XML with typed attributes (Gephi, yEd, networkx).
    #[cfg_attr(feature = "cli", value(help = "GraphML (Gephi, yEd, networkx)"))]
    Graphml,
}

impl Format {
    /// The format a file name implies (`graph.svg`, `x.gv`, `x.mmd`, `x.graphml`).
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_lowercase();
        Some(match ext.as_str() {
            "dot" | "gv" => Format::Dot,
            "svg" => Format::Svg,
            "png" => Format::Png,
            "pdf" => Format::Pdf,
            "mmd" | "mermaid" | "md" => Format::Mermaid,
            "json" => Format::Json,
            "graphml" | "xml" => Format::Graphml,
            _ => return None,
        })
    }

    /// Whether the output is binary (not for a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Png | Format::Pdf)
    }

    /// Whether Graphviz must run to produce it.
    pub fn needs_graphviz(self) -> bool {
        matches!(self, Format::Svg | Format::Png | Format::Pdf)
    }
}

/// Graphviz layout engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Layout {
    /// Hierarchical: the clearest for small graphs, very slow for large ones.
    #[cfg_attr(feature = "cli", value(help = "Hierarchical (small graphs)"))]
    Dot,
    /// Spring model.
    #[cfg_attr(feature = "cli", value(help = "Spring model"))]
    Neato,
    /// Force-directed.
    #[cfg_attr(feature = "cli", value(help = "Force-directed"))]
    Fdp,
    /// Multiscale force-directed: for large graphs.
    #[cfg_attr(feature = "cli", value(help = "Multiscale force-directed (large graphs)"))]
    Sfdp,
}

impl Layout {
    /// The engine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Dot => "dot",
            Layout::Neato => "neato",
            Layout::Fdp => "fdp",
            Layout::Sfdp => "sfdp",
        }
    }

    /// The layout chosen by size when none is given: `dot` up to [`DOT_LIMIT`] nodes, `sfdp`
    /// above (dot does not finish a 1,000-decision graph in 5 minutes on a 2-core machine).
    pub fn for_size(nodes: usize) -> Layout {
        if nodes <= DOT_LIMIT {
            Layout::Dot
        } else {
            Layout::Sfdp
        }
    }
}

/// Largest number of nodes laid out with `dot` when no layout is given.
pub const DOT_LIMIT: usize = 300;

/// How decisions are ordered inside their folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum RankBy {
    /// By date (undated last), then number.
    #[default]
    #[cfg_attr(feature = "cli", value(help = "By date"))]
    Date,
    /// By number, then date.
    #[cfg_attr(feature = "cli", value(help = "By number"))]
    Number,
    /// No ordering constraint.
    #[cfg_attr(feature = "cli", value(help = "No ordering"))]
    None,
}

/// What to draw.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Draw only the neighbourhood of this decision (index), both directions.
    pub focus: Option<usize>,
    /// Links away from the focus (default 1).
    pub depth: Option<usize>,
    /// Only decisions with one of these statuses (empty: all).
    pub statuses: Vec<Status>,
    /// Edge kinds to draw (empty: supersedes, amends, custom, references; plus considers and
    /// chooses with `options`).
    pub edges: Vec<EdgeKind>,
    /// Add option nodes with considered/chosen edges.
    pub options: bool,
    /// Ordering inside folders.
    pub rank_by: RankBy,
    /// Folder of the output file, to make SVG links to decision files relative to it; `None`
    /// keeps paths as displayed.
    pub link_base: Option<std::path::PathBuf>,
    /// The folder that relative decision paths and a relative `link_base` are relative to
    /// (the caller's current folder); empty when both are relative to the same folder.
    pub working_dir: std::path::PathBuf,
}

/// A node of the view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewNode {
    /// Stable id: the decision id, or `option:KEY`, `person:NAME`, `tag:NAME` (lower case).
    pub id: String,
    /// `decision`, `option`, `person` or `tag`.
    pub kind: String,
    /// Label text (decision: number and title; option: title).
    pub label: String,
    /// Decision title (or option title).
    pub title: String,
    /// Decision status (`null` for options).
    pub status: Option<Status>,
    /// ISO date.
    pub date: Option<crate::model::Date>,
    /// Decision number.
    pub number: Option<u32>,
    /// Path of the decision file.
    pub path: Option<String>,
    /// Folder relative to its root (the cluster).
    pub folder: Option<String>,
}

/// An edge of the view (indexes into the nodes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewEdge {
    /// Source node index.
    pub from: usize,
    /// Target node index.
    pub to: usize,
    /// Kind.
    pub kind: EdgeKind,
    /// Custom verb.
    pub label: Option<String>,
    /// Qualifier (`in part`).
    pub qualifier: Option<String>,
}

/// The selected part of the graph, ready to be written in any format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Nodes: decisions in record order, then options in key order.
    pub nodes: Vec<ViewNode>,
    /// Edges, in a stable order.
    pub edges: Vec<ViewEdge>,
}

impl View {
    /// Number of decision nodes.
    pub fn decisions(&self) -> usize {
        self.nodes.iter().filter(|n| n.kind == "decision").count()
    }
}

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
    let status_ok = |i: usize| opts.statuses.is_empty() || opts.statuses.contains(&adrs[i].status);
    // Decisions.
    let chosen: Vec<usize> = match opts.focus {
        Some(f) => {
            let depth = opts.depth.unwrap_or(1);
            let mut seen: BTreeMap<usize, usize> = BTreeMap::from([(f, 0)]);
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
        None => (0..adrs.len()).filter(|&i| status_ok(i)).collect(),
    };
    // Nodes and edges are made on every core for large views (100,000 decisions took 75 ms on
    // one), in order.
    use rayon::prelude::*;
    let parallel = chosen.len() >= crate::PARALLEL_FROM;
    let node = |&i: &usize| {
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
        index_of[i] = Some(k);
    }
    // Decision links among the chosen decisions.
    let (kinds_of, index_of) = (&kinds, &index_of);
    let edges_of = |&i: &usize| {
        g.decision_edges(i, Direction::Outgoing).filter_map(move |(o, e)| {
            if !kinds_of.contains(&e.kind) {
                return None;
            }
            let (from, to) = (index_of[i]?, index_of.get(o).copied().flatten()?);
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
        let mut entity_nodes: BTreeMap<(&'static str, String), (usize, String)> = BTreeMap::new();
        let mut entity_edges: Vec<(usize, (&'static str, String), EdgeKind)> = Vec::new();
        for &i in &chosen {
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
    edges.sort_by_key(|e| (e.from, e.to, e.kind));
    edges.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.kind == b.kind);
    // A chosen option is drawn with its `chooses` edge only; `considers` then means "not chosen".
    let chosen_pairs: BTreeSet<(usize, usize)> =
        edges.iter().filter(|e| e.kind == EdgeKind::Chooses).map(|e| (e.from, e.to)).collect();
    edges.retain(|e| e.kind != EdgeKind::Considers || !chosen_pairs.contains(&(e.from, e.to)));
    view.edges = edges;
    view
}

/// Fill colour, border colour, font colour and style of a status.
pub fn status_look(s: Status) -> (&'static str, &'static str, &'static str, &'static str) {
    match s {
        Status::Accepted => ("#d4edda", "#2e7d32", "#1b1b1b", "rounded,filled"),
        Status::Proposed => ("#fff3cd", "#b58100", "#1b1b1b", "rounded,filled,dashed"),
        Status::Draft => ("#e3f2fd", "#1565c0", "#1b1b1b", "rounded,filled,dashed"),
        Status::Rejected => ("#f8d7da", "#c62828", "#6b1b1b", "rounded,filled"),
        Status::Deprecated => ("#f0f0f0", "#aaaaaa", "#8a8a8a", "rounded,filled"),
        Status::Superseded => ("#f0f0f0", "#aaaaaa", "#8a8a8a", "rounded,filled"),
        Status::Unknown => ("#ffffff", "#666666", "#1b1b1b", "rounded,filled"),
    }
}

/// Colour, style, arrow and label of an edge kind.
fn edge_look(kind: EdgeKind) -> (&'static str, &'static str, &'static str, bool) {
    match kind {
        EdgeKind::Supersedes => ("#c62828", "bold", "normal", true),
        EdgeKind::Amends => ("#1565c0", "solid", "normal", true),
        EdgeKind::Custom => ("#6a1b9a", "dashed", "normal", true),
        EdgeKind::References => ("#757575", "dashed", "vee", false),
        EdgeKind::Considers => ("#9e9e9e", "dotted", "none", false),
        EdgeKind::Chooses => ("#2e7d32", "bold", "normal", true),
        EdgeKind::DecidedBy | EdgeKind::Tagged => ("#bdbdbd", "dotted", "none", false),
    }
}

/// Remove characters that no output format may carry (controls, bidi overrides).
fn safe_text(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if crate::escape::is_forbidden(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Append `s` to `out` as a DOT double-quoted string's content: characters no output may
/// carry dropped (see [`safe_text`]), `"` and `\` escaped, so no text can end the string or start
/// an escape sequence.
fn push_escaped(out: &mut String, s: &str) {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\') {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if crate::escape::is_forbidden(c) => {}
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
}

fn wrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for w in s.split_whitespace() {
        if line > 0 && line + w.chars().count() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(w);
        line += w.chars().count();
    }
    out
}

/// Append a DOT label with line breaks: DOT's `\n` escape between wrapped lines.
fn push_label(out: &mut String, s: &str) {
    out.push('"');
    for (k, line) in wrap(&safe_text(s), 28).lines().enumerate() {
        if k > 0 {
            out.push_str("\\n");
        }
        push_escaped(out, line);
    }
    out.push('"');
}

/// `path` relative to the folder `base` (both relative to `working_dir` unless absolute).
fn relative_link(path: &str, base: Option<(&std::path::Path, &std::path::Path)>) -> String {
    let Some((base, working_dir)) = base else { return path.to_string() };
    let abs_target = working_dir.join(path);
    let abs_base = working_dir.join(base);
    let t: Vec<_> = abs_target.components().collect();
    let b: Vec<_> = abs_base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), b.len() - common).collect();
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

/// Percent-encode a relative URL path: Graphviz copies `URL` into SVG attributes without
/// escaping `"` or `<`, so everything but unreserved characters and `/` is encoded.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Order of decisions inside a folder for ranking.
fn rank_order(view: &View, members: &mut [usize], by: RankBy) {
    match by {
        RankBy::Date => members.sort_by(|&a, &b| {
            let (x, y) = (&view.nodes[a], &view.nodes[b]);
            (x.date.is_none(), x.date, x.number, &x.id).cmp(&(y.date.is_none(), y.date, y.number, &y.id))
        }),
        RankBy::Number => members.sort_by(|&a, &b| {
            let (x, y) = (&view.nodes[a], &view.nodes[b]);
            (x.number.is_none(), x.number, x.date, &x.id).cmp(&(y.number.is_none(), y.number, y.date, &y.id))
        }),
        RankBy::None => {}
    }
}

/// DOT text, written statement by statement: two spaces per level of nesting, attributes as
/// `name="value"` inside brackets. (Building graphviz-rust's syntax tree and printing it took
/// 80% of `graph --format dot` on 10,000 decisions; the text is the same.)
struct DotText {
    s: String,
    depth: usize,
}

/// One attribute value: quoted and escaped, or a wrapped label.
enum Val<'a> {
    Text(&'a str),
    Label(&'a str),
}

impl DotText {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.s.push_str("  ");
        }
    }

    fn attrs(&mut self, attrs: &[(&str, Val<'_>)]) {
        self.s.push('[');
        for (k, (name, value)) in attrs.iter().enumerate() {
            if k > 0 {
                self.s.push(' ');
            }
            self.s.push_str(name);
            self.s.push('=');
            match value {
                Val::Text(t) => {
                    self.s.push('"');
                    push_escaped(&mut self.s, t);
                    self.s.push('"');
                }
                Val::Label(t) => push_label(&mut self.s, t),
            }
        }
        self.s.push_str("]\n");
    }

    /// `name[attrs]`: a node, or the `graph`, `node` and `edge` defaults.
    fn node(&mut self, name: std::fmt::Arguments<'_>, attrs: &[(&str, Val<'_>)]) {
        self.indent();
        let _ = self.s.write_fmt(name);
        self.attrs(attrs);
    }

    /// `a -> b [attrs]`.
    fn edge(&mut self, a: std::fmt::Arguments<'_>, b: std::fmt::Arguments<'_>, attrs: &[(&str, Val<'_>)]) {
        self.indent();
        let _ = self.s.write_fmt(a);
        self.s.push_str(" -> ");
        let _ = self.s.write_fmt(b);
        self.s.push(' ');
        self.attrs(attrs);
    }

    /// `name="value"`: an attribute of the enclosing (sub)graph.
    fn attr(&mut self, name: &str, value: &str) {
        self.indent();
        self.s.push_str(name);
        self.s.push_str("=\"");
        push_escaped(&mut self.s, value);
        self.s.push_str("\"\n");
    }

    fn open(&mut self, head: std::fmt::Arguments<'_>) {
        self.indent();
        let _ = self.s.write_fmt(head);
        self.s.push_str(" {\n");
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth -= 1;
        self.indent();
        self.s.push_str("}\n");
    }
}

/// `render` of `items` in consecutive chunks, on every core for large views; the chunks' texts
/// in order, so that the whole is the same as one pass would write.
fn in_chunks<T: Sync>(items: &[T], render: impl Fn(&[T]) -> String + Sync) -> Vec<String> {
    use rayon::prelude::*;
    const CHUNK: usize = 1024;
    if items.len() <= CHUNK {
        return vec![render(items)];
    }
    items.par_chunks(CHUNK).map(&render).collect()
}

/// The DOT line of decision node `i`.
fn decision_node(
    d: &mut DotText,
    i: usize,
    n: &ViewNode,
    base: Option<(&std::path::Path, &std::path::Path)>,
) {
    use Val::{Label, Text};
    let st = n.status.unwrap_or(Status::Unknown);
    let (fill, color, font, style) = status_look(st);
    let date = n.date.map(|d| d.to_string()).unwrap_or_else(|| "no date".into());
    let id = format!("d_{i}");
    let tooltip = format!("{} | {} | {date}", n.title, st.as_str());
    let url = n.path.as_ref().map(|p| percent_encode(&relative_link(p, base)));
    let mut attrs = vec![
        ("label", Label(&n.label)),
        ("id", Text(&id)),
        ("style", Text(style)),
        ("fillcolor", Text(fill)),
        ("color", Text(color)),
        ("fontcolor", Text(font)),
        ("tooltip", Text(&tooltip)),
    ];
    if let Some(url) = &url {
        attrs.push(("URL", Text(url)));
        attrs.push(("target", Text("_top")));
    }
    d.node(format_args!("n{i}"), &attrs);
}

/// The DOT line of edge `k`.
fn edge_line(d: &mut DotText, k: usize, e: &ViewEdge) {
    use Val::Text;
    let (color, style, arrow, labelled) = edge_look(e.kind);
    let id = format!("e_{k}");
    let mut attrs =
        vec![("id", Text(&id)), ("color", Text(color)), ("style", Text(style)), ("arrowhead", Text(arrow))];
    let text = match (&e.label, &e.qualifier) {
        (Some(l), _) => Some(l.clone()),
        (None, Some(q)) => Some(format!("{} ({q})", e.kind.as_str())),
        (None, None) if labelled => Some(e.kind.as_str().to_string()),
        _ => None,
    };
    if let Some(t) = &text {
        attrs.push(("label", Text(t)));
        attrs.push(("fontcolor", Text(color)));
    }
    attrs.push(("tooltip", Text(e.kind.as_str())));
    d.edge(format_args!("n{}", e.from), format_args!("n{}", e.to), &attrs);
}

/// The view as DOT text: decisions in one cluster per folder, coloured and shaped by status,
/// linked to their files (SVG), with tooltips; edges styled by kind; a legend. With the `dot`
/// layout, invisible edges order each folder's decisions by date or number. Every string is
/// quoted and escaped; the text parses back with graphviz-rust's DOT parser (tested).
pub fn to_dot(view: &View, opts: &RenderOptions, layout: Layout) -> String {
    use Val::{Label, Text};
    let mut d = DotText { s: String::with_capacity(256 + view.nodes.len() * 400), depth: 0 };
    d.open(format_args!("digraph adrgraph"));
    d.node(
        format_args!("graph"),
        &[
            ("rankdir", Text("TB")),
            ("fontname", Text("Helvetica")),
            ("fontsize", Text("11")),
            ("labelloc", Text("t")),
            ("label", Text("Architecture decisions")),
            ("overlap", Text("false")),
            ("outputorder", Text("edgesfirst")),
        ],
    );
    d.node(
        format_args!("node"),
        &[
            ("shape", Text("box")),
            ("fontname", Text("Helvetica")),
            ("fontsize", Text("10")),
            ("margin", Text("0.12,0.06")),
        ],
    );
    d.node(format_args!("edge"), &[("fontname", Text("Helvetica")), ("fontsize", Text("8"))]);
    let base = opts.link_base.as_deref().map(|b| (b, opts.working_dir.as_path()));
    // Clusters per folder, in folder order.
    let mut folders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, n) in view.nodes.iter().enumerate() {
        if n.kind == "decision" {
            folders.entry(n.folder.as_deref().unwrap_or_default()).or_default().push(i);
        }
    }
    for (k, (folder, mut members)) in folders.into_iter().enumerate() {
        rank_order(view, &mut members, opts.rank_by);
        d.open(format_args!("subgraph cluster_{k}"));
        d.attr("label", if folder.is_empty() { "(top)" } else { folder });
        d.attr("style", "rounded,dashed");
        d.attr("color", "#bbbbbb");
        d.attr("fontcolor", "#555555");
        let depth = d.depth;
        d.s.extend(in_chunks(&members, |chunk| {
            let mut d = DotText { s: String::with_capacity(chunk.len() * 400), depth };
            for &i in chunk {
                decision_node(&mut d, i, &view.nodes[i], base);
            }
            d.s
        }));
        if layout == Layout::Dot && opts.rank_by != RankBy::None {
            for w in members.windows(2) {
                let id = format!("rank_{}_{}", w[0], w[1]);
                d.edge(
                    format_args!("n{}", w[0]),
                    format_args!("n{}", w[1]),
                    &[("style", Text("invis")), ("id", Text(&id))],
                );
            }
        }
        d.close();
    }
    for (i, n) in view.nodes.iter().enumerate() {
        if n.kind != "decision" {
            let id = format!("o_{i}");
            let tooltip = format!("{}: {}", n.kind, n.title);
            let (shape, style) = match n.kind.as_str() {
                "person" => ("box", "rounded,filled"),
                "tag" => ("note", "filled"),
                _ => ("ellipse", "filled"),
            };
            d.node(
                format_args!("n{i}"),
                &[
                    ("label", Label(&n.label)),
                    ("id", Text(&id)),
                    ("shape", Text(shape)),
                    ("style", Text(style)),
                    ("fillcolor", Text("#fafafa")),
                    ("color", Text("#9e9e9e")),
                    ("tooltip", Text(&tooltip)),
                ],
            );
        }
    }
    let numbered: Vec<(usize, &ViewEdge)> = view.edges.iter().enumerate().collect();
    let depth = d.depth;
    d.s.extend(in_chunks(&numbered, |chunk| {
        let mut d = DotText { s: String::with_capacity(chunk.len() * 160), depth };
        for &(k, e) in chunk {
            edge_line(&mut d, k, e);
        }
        d.s
    }));
    // Legend: one sample node per status present, and one per edge kind present.
    let statuses: BTreeSet<Status> = view.nodes.iter().filter_map(|n| n.status).collect();
    let edge_kinds: BTreeSet<EdgeKind> = view.edges.iter().map(|e| e.kind).collect();
    if !statuses.is_empty() {
        d.open(format_args!("subgraph cluster_legend"));
        d.attr("label", "Legend");
        d.attr("style", "rounded");
        d.attr("color", "#dddddd");
        for s in &statuses {
            let (fill, color, font, style) = status_look(*s);
            let id = format!("legend_{}", s.as_str());
            d.node(
                format_args!("{id}"),
                &[
                    ("label", Text(s.as_str())),
                    ("style", Text(style)),
                    ("fillcolor", Text(fill)),
                    ("color", Text(color)),
                    ("fontcolor", Text(font)),
                    ("id", Text(&id)),
                ],
            );
        }
        for (k, kind) in edge_kinds.iter().enumerate() {
            let (color, style, arrow, _) = edge_look(*kind);
            for end in ["a", "b"] {
                d.node(
                    format_args!("legend_edge_{k}_{end}"),
                    &[("shape", Text("point")), ("width", Text("0.05")), ("label", Text(""))],
                );
            }
            let id = format!("legend_edge_{k}");
            d.edge(
                format_args!("legend_edge_{k}_a"),
                format_args!("legend_edge_{k}_b"),
                &[
                    ("label", Text(kind.as_str())),
                    ("color", Text(color)),
                    ("fontcolor", Text(color)),
                    ("style", Text(style)),
                    ("arrowhead", Text(arrow)),
                    ("id", Text(&id)),
                ],
            );
        }
        d.close();
    }
    d.close();
    d.s
}

/// Why rendering with Graphviz failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// `dot` is not installed.
    #[error("Graphviz's `dot` was not found on PATH; install it (Debian/Ubuntu: `apt-get install graphviz`, macOS: `brew install graphviz`) or choose a text format: dot, mermaid, json, graphml")]
    NoGraphviz,
    /// `dot` failed.
    #[error("Graphviz failed: {0}")]
    Graphviz(String),
}

/// Render DOT text to SVG, PNG or PDF with Graphviz's `dot` (through graphviz-rust), using
/// `layout`.
pub fn render_graphviz(dot: &str, format: Format, layout: Layout) -> Result<Vec<u8>, RenderError> {
    let gv_format = match format {
        Format::Svg => GvFormat::Svg,
        Format::Png => GvFormat::Png,
        Format::Pdf => GvFormat::Pdf,
        other => return Err(RenderError::Graphviz(format!("{other:?} is not rendered by Graphviz"))),
    };
    let gv_layout = match layout {
        Layout::Dot => GvLayout::Dot,
        Layout::Neato => GvLayout::Neato,
        Layout::Fdp => GvLayout::Fdp,
        Layout::Sfdp => GvLayout::Sfdp,
    };
    graphviz_rust::exec_dot(
        dot.to_string(),
        vec![CommandArg::Format(gv_format), CommandArg::Layout(gv_layout)],
    )
    .map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            RenderError::NoGraphviz
        } else {
            RenderError::Graphviz(e.to_string())
        }
    })
}

/// Text for a Mermaid quoted label: `"` and characters Mermaid reads as markup become its
/// `#code;` entities.
pub fn mermaid_text(s: &str) -> String {
    let mut out = String::new();
    for c in safe_text(s).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '|' => out.push_str("#124;"),
            '%' => out.push_str("#37;"),
            ';' => out.push_str("#59;"),
            c => out.push(c),
        }
    }
    out
}

/// The view as a Mermaid `flowchart` (renders on GitHub and in markdown previews).
pub fn to_mermaid(view: &View) -> String {
    let mut out = String::from("flowchart TB\n");
    let mut folders: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, n) in view.nodes.iter().enumerate() {
        if n.kind == "decision" {
            folders.entry(n.folder.clone().unwrap_or_default()).or_default().push(i);
        }
    }
    for (k, (folder, members)) in folders.iter().enumerate() {
        let name = if folder.is_empty() { "(top)" } else { folder.as_str() };
        let _ = writeln!(out, "  subgraph f{k}[\"{}\"]", mermaid_text(name));
        for &i in members {
            let n = &view.nodes[i];
            let class = n.status.unwrap_or(Status::Unknown).as_str();
            let _ = writeln!(out, "    n{i}[\"{}\"]:::{class}", mermaid_text(&n.label));
        }
        out.push_str("  end\n");
    }
    for (i, n) in view.nodes.iter().enumerate() {
        match n.kind.as_str() {
            "option" => {
                let _ = writeln!(out, "  n{i}([\"{}\"]):::option", mermaid_text(&n.label));
            }
            "person" | "tag" => {
                let _ = writeln!(out, "  n{i}[/\"{}\"/]:::option", mermaid_text(&n.label));
            }
            _ => {}
        }
    }
    for e in &view.edges {
        let text = match (&e.label, &e.qualifier) {
            (Some(l), _) => mermaid_text(l),
            (None, Some(q)) => format!("{} ({})", e.kind.as_str(), mermaid_text(q)),
            (None, None) => e.kind.as_str().to_string(),
        };
        let arrow = match e.kind {
            EdgeKind::Supersedes | EdgeKind::Chooses => "==>",
            EdgeKind::References | EdgeKind::Custom => "-.->",
            EdgeKind::Considers => "-.-",
            _ => "-->",
        };
        let _ = writeln!(out, "  n{} {arrow}|\"{text}\"| n{}", e.from, e.to);
    }
    for s in Status::ALL {
        let (fill, color, font, style) = status_look(s);
        let dash = if style.contains("dashed") { ",stroke-dasharray:4 3" } else { "" };
        let _ = writeln!(out, "  classDef {} fill:{fill},stroke:{color},color:{font}{dash}", s.as_str());
    }
    out.push_str("  classDef option fill:#fafafa,stroke:#9e9e9e,color:#1b1b1b\n");
    out
}

/// The view as a node-link JSON document (`directed`, `multigraph`, `graph`, `nodes`, `links`),
/// readable by d3 and by networkx's `node_link_graph(data, edges="links")`.
pub fn to_json(view: &View) -> serde_json::Value {
    let nodes: Vec<serde_json::Value> = view
        .nodes
        .iter()
        .map(|n| {
            serde_json::json!({
                "id": n.id,
                "kind": n.kind,
                "label": n.label,
                "title": n.title,
                "status": n.status,
                "date": n.date,
                "number": n.number,
                "path": n.path,
                "folder": n.folder,
            })
        })
        .collect();
    let links: Vec<serde_json::Value> = view
        .edges
        .iter()
        .map(|e| {
            serde_json::json!({
                "source": view.nodes[e.from].id,
                "target": view.nodes[e.to].id,
                "kind": e.kind,
                "label": e.label,
                "qualifier": e.qualifier,
            })
        })
        .collect();
    serde_json::json!({
        "directed": true,
        "multigraph": true,
        "graph": {"name": "adrgraph"},
        "nodes": nodes,
        "links": links,
    })
}

/// Text escaped for XML content and attribute values; characters XML 1.0 forbids are dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if crate::escape::is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The view as GraphML with typed attributes (opens in Gephi, yEd and networkx).
pub fn to_graphml(view: &View) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (id, for_, name, ty) in [
        ("d_kind", "node", "kind", "string"),
        ("d_label", "node", "label", "string"),
        ("d_title", "node", "title", "string"),
        ("d_status", "node", "status", "string"),
        ("d_date", "node", "date", "string"),
        ("d_number", "node", "number", "int"),
        ("d_path", "node", "path", "string"),
        ("d_folder", "node", "folder", "string"),
        ("e_kind", "edge", "kind", "string"),
        ("e_label", "edge", "label", "string"),
        ("e_qualifier", "edge", "qualifier", "string"),
    ] {
        let _ = writeln!(out, "  <key id=\"{id}\" for=\"{for_}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>");
    }
    out.push_str("  <graph id=\"adrgraph\" edgedefault=\"directed\">\n");
    for (i, n) in view.nodes.iter().enumerate() {
        let _ = writeln!(out, "    <node id=\"n{i}\">");
        let mut data = |key: &str, v: Option<String>| {
            if let Some(v) = v {
                let _ = writeln!(out, "      <data key=\"{key}\">{}</data>", xml_escape(&v));
            }
        };
        data("d_kind", Some(n.kind.clone()));
        data("d_label", Some(n.label.clone()));
        data("d_title", Some(n.title.clone()));
        data("d_status", n.status.map(|s| s.as_str().to_string()));
        data("d_date", n.date.map(|d| d.to_string()));
        data("d_number", n.number.map(|x| x.to_string()));
        data("d_path", n.path.clone());
        data("d_folder", n.folder.clone());
        out.push_str("    </node>\n");
    }
    for (k, e) in view.edges.iter().enumerate() {
        let _ = writeln!(out, "    <edge id=\"e{k}\" source=\"n{}\" target=\"n{}\">", e.from, e.to);
        let _ = writeln!(out, "      <data key=\"e_kind\">{}</data>", e.kind.as_str());
        if let Some(l) = &e.label {
            let _ = writeln!(out, "      <data key=\"e_label\">{}</data>", xml_escape(l));
        }
        if let Some(q) = &e.qualifier {
            let _ = writeln!(out, "      <data key=\"e_qualifier\">{}</data>", xml_escape(q));
        }
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_rendered_in_order_and_whole() {
        let items: Vec<usize> = (0..5000).collect();
        let render = |c: &[usize]| c.iter().map(|i| format!("n{i}\n")).collect::<String>();
        let chunks = in_chunks(&items, render);
        assert!(chunks.len() > 2, "5,000 items are rendered in several chunks");
        assert_eq!(chunks.concat(), render(&items));
        assert_eq!(in_chunks(&items[..10], render), vec![render(&items[..10])]);
    }

    const NASTY: &str = "He said \"hi\" <b>&amp;</b> {x} [y] ]} end; subgraph \\ \n graph -->|x| #1 `t` |p|\u{1b}[31m\u{202E}";

    fn view_with(title: &str) -> View {
        View {
            nodes: vec![
                ViewNode {
                    id: "a".into(),
                    kind: "decision".into(),
                    label: title.into(),
                    title: title.into(),
                    status: Some(Status::Accepted),
                    date: None,
                    number: Some(1),
                    path: Some(format!("adr/{title}.md")),
                    folder: Some(title.into()),
                },
                ViewNode {
                    id: "b".into(),
                    kind: "decision".into(),
                    label: "plain".into(),
                    title: "plain".into(),
                    status: Some(Status::Superseded),
                    date: None,
                    number: Some(2),
                    path: Some("adr/b.md".into()),
                    folder: Some(String::new()),
                },
            ],
            edges: vec![ViewEdge {
                from: 0,
                to: 1,
                kind: EdgeKind::Custom,
                label: Some(title.into()),
                qualifier: None,
            }],
        }
    }

    /// graphviz-rust's parser and printer: DOT text that reads back and prints as itself is
    /// well-formed DOT with every string intact.
    fn reprinted(text: &str) -> String {
        use graphviz_rust::printer::{DotPrinter, PrinterContext};
        let parsed = graphviz_rust::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        parsed.print(&mut PrinterContext::default()) + "\n"
    }

    #[test]
    fn dot_reads_back_with_the_same_label() {
        let v = view_with(NASTY);
        let text = to_dot(&v, &RenderOptions::default(), Layout::Dot);
        assert_eq!(reprinted(&text), text, "printing the parsed DOT gives the same text");
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202E}'));
    }

    #[test]
    fn dot_of_the_sample_tree_reads_back_as_itself() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).unwrap();
        let graph = crate::graph_of(&corpus);
        for (options, rank_by, layout) in [
            (false, RankBy::Date, Layout::Dot),
            (true, RankBy::Number, Layout::Dot),
            (true, RankBy::Date, Layout::Sfdp),
        ] {
            let opts = RenderOptions { options, rank_by, ..RenderOptions::default() };
            let view = select(&graph, &corpus.adrs, &opts);
            let text = to_dot(&view, &opts, layout);
            assert!(text.contains("subgraph cluster_legend {") && text.contains(" -> "));
            assert_eq!(text.contains("rank_"), layout == Layout::Dot, "rank edges only for dot");
            assert_eq!(text.contains("shape=\"ellipse\""), options);
            assert_eq!(reprinted(&text), text);
        }
    }

    #[test]
    fn mermaid_labels_cannot_break_out() {
        let m = to_mermaid(&view_with(NASTY));
        for line in m.lines().filter(|l| l.contains("n0[")) {
            // Exactly the two quotes that delimit the label.
            assert_eq!(line.matches('"').count(), 2, "{line}");
            assert!(!line[line.find('"').unwrap() + 1..line.rfind('"').unwrap()]
                .contains(['[', ']', '<', '>', '|']));
        }
        assert!(!m.contains('\n') || m.lines().count() > 3);
    }

    #[test]
    fn graphml_escapes_markup() {
        let x = to_graphml(&view_with(NASTY));
        assert!(x.contains("He said &quot;hi&quot; &lt;b&gt;&amp;amp;&lt;/b&gt;"));
        assert!(!x.contains('\u{1b}'));
    }

    #[test]
    fn layout_by_size() {
        assert_eq!(Layout::for_size(10), Layout::Dot);
        assert_eq!(Layout::for_size(1000), Layout::Sfdp);
        assert_eq!(Format::from_path("out/g.SVG"), Some(Format::Svg));
        assert_eq!(Format::from_path("g.gv"), Some(Format::Dot));
        assert_eq!(Format::from_path("g"), None);
    }
}

//! Drawing the knowledge graph: DOT (built as a graphviz-rust AST and printed from it), SVG, PNG
//! and PDF (rendered by Graphviz's `dot` through graphviz-rust), Mermaid, node-link JSON and
//! GraphML.
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
use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt, Subgraph,
    Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

/// Output formats of `adrgraph graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Graphviz DOT text.
    Dot,
    /// SVG, rendered by Graphviz.
    Svg,
    /// PNG, rendered by Graphviz.
    Png,
    /// PDF, rendered by Graphviz.
    Pdf,
    /// Mermaid `flowchart` text.
    Mermaid,
    /// Node-link JSON (d3, networkx `node_link_graph(data, edges="links")`).
    Json,
    /// GraphML XML with typed attributes (Gephi, yEd, networkx).
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
pub enum Layout {
    /// Hierarchical: the clearest for small graphs, very slow for large ones.
    Dot,
    /// Spring model.
    Neato,
    /// Force-directed.
    Fdp,
    /// Multiscale force-directed: for large graphs.
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
pub enum RankBy {
    /// By date (undated last), then number.
    #[default]
    Date,
    /// By number, then date.
    Number,
    /// No ordering constraint.
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
}

/// A node of the view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewNode {
    /// Stable id: the decision id, or `option:KEY`.
    pub id: String,
    /// `decision` or `option`.
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
    let mut view = View::default();
    let mut index_of: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in &chosen {
        let a = &adrs[i];
        let label = match a.number {
            Some(n) => format!("{n}. {}", a.display_title()),
            None => a.display_title().to_string(),
        };
        index_of.insert(i, view.nodes.len());
        view.nodes.push(ViewNode {
            id: a.id.clone(),
            kind: "decision".into(),
            label,
            title: a.display_title().to_string(),
            status: Some(a.status),
            date: a.date,
            number: a.number,
            path: Some(a.path.clone()),
            folder: Some(a.folder().to_string()),
        });
    }
    // Decision links among the chosen decisions.
    let mut edges: Vec<ViewEdge> = Vec::new();
    for &i in &chosen {
        for (o, e) in g.decision_edges(i, Direction::Outgoing) {
            if !kinds.contains(&e.kind) {
                continue;
            }
            if let Some(&to) = index_of.get(&o) {
                edges.push(ViewEdge {
                    from: index_of[&i],
                    to,
                    kind: e.kind,
                    label: e.label.clone(),
                    qualifier: e.qualifier.clone(),
                });
            }
        }
    }
    // Option nodes.
    if kinds.contains(&EdgeKind::Considers) || kinds.contains(&EdgeKind::Chooses) {
        let mut option_nodes: BTreeMap<String, usize> = BTreeMap::new();
        let mut option_edges: Vec<(usize, String, EdgeKind)> = Vec::new();
        for &i in &chosen {
            for e in g.graph.edges_directed(g.decision_nodes[i], Direction::Outgoing) {
                let k = e.weight().kind;
                if !matches!(k, EdgeKind::Considers | EdgeKind::Chooses) || !kinds.contains(&k) {
                    continue;
                }
                if let Node::Option { key, title } = &g.graph[e.target()] {
                    option_nodes.entry(key.clone()).or_insert(0);
                    option_edges.push((i, key.clone(), k));
                    let _ = title;
                }
            }
        }
        let titles: BTreeMap<&String, &String> = g
            .graph
            .node_weights()
            .filter_map(|n| match n {
                Node::Option { key, title } => Some((key, title)),
                _ => None,
            })
            .collect();
        for (key, slot) in option_nodes.iter_mut() {
            *slot = view.nodes.len();
            let title = titles.get(key).map(|t| t.to_string()).unwrap_or_else(|| key.clone());
            view.nodes.push(ViewNode {
                id: format!("option:{key}"),
                kind: "option".into(),
                label: title.clone(),
                title,
                status: None,
                date: None,
                number: None,
                path: None,
                folder: None,
            });
        }
        for (i, key, k) in option_edges {
            edges.push(ViewEdge {
                from: index_of[&i],
                to: option_nodes[&key],
                kind: k,
                label: None,
                qualifier: None,
            });
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
            c if c.is_control() => None,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// A DOT double-quoted string: `"` and `\` escaped, so no label can end the string or start an
/// escape sequence.
pub fn dot_quote(s: &str) -> Id {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in safe_text(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

fn attr(name: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_string()), dot_quote(value))
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

/// A DOT label with line breaks: DOT's `\n` escape between wrapped lines.
fn dot_label(s: &str) -> Id {
    let lines: Vec<String> = wrap(&safe_text(s), 28).lines().map(str::to_string).collect();
    let quoted: Vec<String> = lines
        .iter()
        .map(|l| match dot_quote(l) {
            Id::Escaped(q) => q[1..q.len() - 1].to_string(),
            _ => unreachable!("dot_quote gives escaped ids"),
        })
        .collect();
    Id::Escaped(format!("\"{}\"", quoted.join("\\n")))
}

fn relative_link(path: &str, base: Option<&std::path::Path>) -> String {
    let Some(base) = base else { return path.to_string() };
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs_target = cwd.join(path);
    let abs_base = cwd.join(base);
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

fn node_id(i: usize) -> NodeId {
    NodeId(Id::Plain(format!("n{i}")), None)
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

/// The view as a graphviz-rust DOT graph: decisions in one cluster per folder, coloured and
/// shaped by status, linked to their files (SVG), with tooltips; edges styled by kind; a legend.
/// With the `dot` layout, invisible edges order each folder's decisions by date or number.
pub fn to_dot(view: &View, opts: &RenderOptions, layout: Layout) -> Graph {
    let mut stmts: Vec<Stmt> = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", "TB"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "11"),
            attr("labelloc", "t"),
            attr("label", "Architecture decisions"),
            attr("overlap", "false"),
            attr("outputorder", "edgesfirst"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("shape", "box"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "10"),
            attr("margin", "0.12,0.06"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![attr("fontname", "Helvetica"), attr("fontsize", "8")])),
    ];
    let base = opts.link_base.as_deref();
    let decision_node = |i: usize, n: &ViewNode| -> Stmt {
        let st = n.status.unwrap_or(Status::Unknown);
        let (fill, color, font, style) = status_look(st);
        let date = n.date.map(|d| d.to_string()).unwrap_or_else(|| "no date".into());
        let mut attrs = vec![
            Attribute(Id::Plain("label".into()), dot_label(&n.label)),
            attr("id", &format!("d_{i}")),
            attr("style", style),
            attr("fillcolor", fill),
            attr("color", color),
            attr("fontcolor", font),
            attr("tooltip", &format!("{} | {} | {date}", n.title, st.as_str())),
        ];
        if let Some(p) = &n.path {
            attrs.push(attr("URL", &percent_encode(&relative_link(p, base))));
            attrs.push(attr("target", "_top"));
        }
        Stmt::Node(DotNode::new(node_id(i), attrs))
    };
    // Clusters per folder, in folder order.
    let mut folders: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, n) in view.nodes.iter().enumerate() {
        if n.kind == "decision" {
            folders.entry(n.folder.clone().unwrap_or_default()).or_default().push(i);
        }
    }
    for (k, (folder, mut members)) in folders.into_iter().enumerate() {
        rank_order(view, &mut members, opts.rank_by);
        let mut sub: Vec<Stmt> = vec![
            Stmt::Attribute(attr("label", if folder.is_empty() { "(top)" } else { &folder })),
            Stmt::Attribute(attr("style", "rounded,dashed")),
            Stmt::Attribute(attr("color", "#bbbbbb")),
            Stmt::Attribute(attr("fontcolor", "#555555")),
        ];
        for &i in &members {
            sub.push(decision_node(i, &view.nodes[i]));
        }
        if layout == Layout::Dot && opts.rank_by != RankBy::None {
            for w in members.windows(2) {
                sub.push(Stmt::Edge(DotEdge {
                    ty: EdgeTy::Pair(Vertex::N(node_id(w[0])), Vertex::N(node_id(w[1]))),
                    attributes: vec![attr("style", "invis"), attr("id", &format!("rank_{}_{}", w[0], w[1]))],
                }));
            }
        }
        stmts.push(Stmt::Subgraph(Subgraph { id: Id::Plain(format!("cluster_{k}")), stmts: sub }));
    }
    for (i, n) in view.nodes.iter().enumerate() {
        if n.kind == "option" {
            stmts.push(Stmt::Node(DotNode::new(
                node_id(i),
                vec![
                    Attribute(Id::Plain("label".into()), dot_label(&n.label)),
                    attr("id", &format!("o_{i}")),
                    attr("shape", "ellipse"),
                    attr("style", "filled"),
                    attr("fillcolor", "#fafafa"),
                    attr("color", "#9e9e9e"),
                    attr("tooltip", &format!("option: {}", n.title)),
                ],
            )));
        }
    }
    for (k, e) in view.edges.iter().enumerate() {
        let (color, style, arrow, labelled) = edge_look(e.kind);
        let mut attrs = vec![
            attr("id", &format!("e_{k}")),
            attr("color", color),
            attr("style", style),
            attr("arrowhead", arrow),
        ];
        let text = match (&e.label, &e.qualifier) {
            (Some(l), _) => Some(l.clone()),
            (None, Some(q)) => Some(format!("{} ({q})", e.kind.as_str())),
            (None, None) if labelled => Some(e.kind.as_str().to_string()),
            _ => None,
        };
        if let Some(t) = text {
            attrs.push(attr("label", &t));
            attrs.push(attr("fontcolor", color));
        }
        attrs.push(attr("tooltip", e.kind.as_str()));
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(Vertex::N(node_id(e.from)), Vertex::N(node_id(e.to))),
            attributes: attrs,
        }));
    }
    // Legend: one sample node per status present, and one per edge kind present.
    let statuses: BTreeSet<Status> = view.nodes.iter().filter_map(|n| n.status).collect();
    let edge_kinds: BTreeSet<EdgeKind> = view.edges.iter().map(|e| e.kind).collect();
    if !statuses.is_empty() {
        let mut legend: Vec<Stmt> = vec![
            Stmt::Attribute(attr("label", "Legend")),
            Stmt::Attribute(attr("style", "rounded")),
            Stmt::Attribute(attr("color", "#dddddd")),
        ];
        for s in &statuses {
            let (fill, color, font, style) = status_look(*s);
            legend.push(Stmt::Node(DotNode::new(
                NodeId(Id::Plain(format!("legend_{}", s.as_str())), None),
                vec![
                    attr("label", s.as_str()),
                    attr("style", style),
                    attr("fillcolor", fill),
                    attr("color", color),
                    attr("fontcolor", font),
                    attr("id", &format!("legend_{}", s.as_str())),
                ],
            )));
        }
        for (k, kind) in edge_kinds.iter().enumerate() {
            let (color, style, arrow, _) = edge_look(*kind);
            let a = NodeId(Id::Plain(format!("legend_edge_{k}_a")), None);
            let b = NodeId(Id::Plain(format!("legend_edge_{k}_b")), None);
            for n in [&a, &b] {
                legend.push(Stmt::Node(DotNode::new(
                    n.clone(),
                    vec![attr("shape", "point"), attr("width", "0.05"), attr("label", "")],
                )));
            }
            legend.push(Stmt::Edge(DotEdge {
                ty: EdgeTy::Pair(Vertex::N(a), Vertex::N(b)),
                attributes: vec![
                    attr("label", kind.as_str()),
                    attr("color", color),
                    attr("fontcolor", color),
                    attr("style", style),
                    attr("arrowhead", arrow),
                    attr("id", &format!("legend_edge_{k}")),
                ],
            }));
        }
        stmts.push(Stmt::Subgraph(Subgraph { id: Id::Plain("cluster_legend".into()), stmts: legend }));
    }
    Graph::DiGraph { id: Id::Plain("adrgraph".into()), strict: false, stmts }
}

/// DOT text of a graph.
pub fn dot_text(graph: &Graph) -> String {
    let mut ctx = PrinterContext::default();
    let mut s = graph.print(&mut ctx);
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
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

/// Render a DOT graph to SVG, PNG or PDF with Graphviz's `dot` (through graphviz-rust), using
/// `layout`.
pub fn render_graphviz(graph: &Graph, format: Format, layout: Layout) -> Result<Vec<u8>, RenderError> {
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
    let mut ctx = PrinterContext::default();
    graphviz_rust::exec(
        graph.clone(),
        &mut ctx,
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
        if n.kind == "option" {
            let _ = writeln!(out, "  n{i}([\"{}\"]):::option", mermaid_text(&n.label));
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
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
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

    #[test]
    fn dot_reads_back_with_the_same_label() {
        let v = view_with(NASTY);
        let text = dot_text(&to_dot(&v, &RenderOptions::default(), Layout::Dot));
        let parsed = graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let printed = dot_text(&parsed);
        assert_eq!(printed, text, "printing the parsed DOT gives the same text");
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202E}'));
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

//! DOT text: nodes coloured by status, edges styled by kind, ranks, links relative to the
//! output file, every text escaped for DOT.

use super::*;

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
pub(super) fn edge_look(kind: EdgeKind) -> (&'static str, &'static str, &'static str, bool) {
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
pub(super) fn safe_text(s: &str) -> String {
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
pub(super) fn push_escaped(out: &mut String, s: &str) {
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

pub(super) fn wrap(s: &str, width: usize) -> String {
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
pub(super) fn push_label(out: &mut String, s: &str) {
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
pub(super) fn relative_link(path: &str, base: Option<(&std::path::Path, &std::path::Path)>) -> String {
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

/// An id as a flat file name: letters and digits of any script (`0001-编写单元测试`), `-`, `_`
/// and `.` (not first) as they are, every byte of any other character as `~XX`, so two ids
/// never share a name and none names a folder (`platform/0001-x` is `platform~2F0001-x`).
/// Browsers and static hosts take UTF-8 names as they are.
///
/// ```
/// use adrgraph::render::flat_name;
/// assert_eq!(flat_name("platform/0001-x"), "platform~2F0001-x");
/// assert_eq!(flat_name("0001-编写单元测试"), "0001-编写单元测试");
/// assert_eq!(flat_name("a b~c"), "a~20b~7Ec");
/// assert_eq!(flat_name(".hidden"), "~2Ehidden");
/// ```
pub fn flat_name(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_') || (c == '.' && !out.is_empty()) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "~{b:02X}");
            }
        }
    }
    out
}

/// Order of decisions inside a folder for ranking.
pub(super) fn rank_order(view: &View, members: &mut [usize], by: RankBy) {
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
pub(super) struct DotText {
    s: String,
    depth: usize,
}

/// One attribute value: quoted and escaped, or a wrapped label.
pub(super) enum Val<'a> {
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
pub(super) fn in_chunks<T: Sync>(items: &[T], render: impl Fn(&[T]) -> String + Sync) -> Vec<String> {
    use rayon::prelude::*;
    const CHUNK: usize = 1024;
    if items.len() <= CHUNK {
        return vec![render(items)];
    }
    items.par_chunks(CHUNK).map(&render).collect()
}

/// The DOT line of decision node `i`.
pub(super) fn decision_node(
    d: &mut DotText,
    i: usize,
    n: &ViewNode,
    base: Option<(&std::path::Path, &std::path::Path)>,
    pages: Option<&super::PageLinks>,
) {
    use Val::{Label, Text};
    let st = n.status.unwrap_or(Status::Unknown);
    let (fill, color, font, style) = status_look(st);
    let date = n.date.map(|d| d.to_string()).unwrap_or_else(|| "no date".into());
    let id = format!("d_{i}");
    let tooltip = format!("{} | {} | {date}", n.title, st.as_str());
    let url = match pages {
        Some(p) if p.flat => Some(format!("{}{}{}", p.prefix, flat_name(&n.id), p.suffix)),
        Some(p) => Some(format!("{}{}{}", p.prefix, percent_encode(&n.id), p.suffix)),
        None => n.path.as_ref().map(|p| percent_encode(&relative_link(p, base))),
    };
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
pub(super) fn edge_line(d: &mut DotText, k: usize, e: &ViewEdge) {
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
    use Val::Text;
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
    folder_clusters(&mut d, view, opts, layout);
    other_nodes(&mut d, view);
    let numbered: Vec<(usize, &ViewEdge)> = view.edges.iter().enumerate().collect();
    let depth = d.depth;
    d.s.extend(in_chunks(&numbered, |chunk| {
        let mut d = DotText { s: String::with_capacity(chunk.len() * 160), depth };
        for &(k, e) in chunk {
            edge_line(&mut d, k, e);
        }
        d.s
    }));
    legend(&mut d, view);
    d.close();
    d.s
}

/// One cluster per folder, in folder order, its decisions ranked as asked (invisible edges
/// between neighbours, under the `dot` layout).
fn folder_clusters(d: &mut DotText, view: &View, opts: &RenderOptions, layout: Layout) {
    use Val::Text;
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
                decision_node(&mut d, i, &view.nodes[i], base, opts.page_links.as_ref());
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
}

/// Option, person and tag nodes.
fn other_nodes(d: &mut DotText, view: &View) {
    use Val::{Label, Text};
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
}

/// The legend: one sample node per status present, and one edge per edge kind present.
fn legend(d: &mut DotText, view: &View) {
    use Val::Text;
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
}

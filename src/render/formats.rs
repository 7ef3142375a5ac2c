//! The formats that need no Graphviz: Mermaid, node-link JSON and GraphML, each escaping for
//! its own syntax.

use super::*;

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

//! `adrgraph graph`: snapshots of every text format for `data/`, and every format checked by a
//! parser: DOT read back by graphviz-rust and by `dot -Tcanon`, SVG and GraphML parsed as XML
//! with the expected nodes and edges, JSON against its documented shape. The same for the whole
//! of `../shared/corpora`, and for titles made to break each format.

use crate::util::{adrgraph, manifest_dir};
use std::path::Path;
use std::process::Command;

/// Whether Graphviz is installed; in CI (`CI` set) its absence fails the test.
pub(crate) fn have_dot() -> bool {
    let ok = Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("Graphviz `dot` is missing; scripts/test.sh installs it");
    }
    ok
}

fn graph_bytes(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = adrgraph(dir).arg("graph").args(args).output().expect("runs");
    assert!(out.status.success(), "graph {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

pub(crate) fn graph_text(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(graph_bytes(dir, args)).expect("text format is UTF-8")
}

/// `dot -Tcanon` accepts the text.
pub(crate) fn dot_canon_ok(text: &str) {
    use std::io::Write;
    let mut child = Command::new("dot")
        .arg("-Tcanon")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dot runs");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "dot -Tcanon rejected the DOT: {}", String::from_utf8_lossy(&out.stderr));
}

/// (decision nodes, real edges) in an SVG rendered by Graphviz: elements whose ids adrgraph set.
pub(crate) fn svg_counts(svg: &str) -> (usize, usize) {
    let doc = roxmltree::Document::parse_with_options(svg, xml_options())
        .unwrap_or_else(|e| panic!("SVG is not well-formed XML: {e}"));
    let id_starts = |p: &str| {
        doc.descendants()
            .filter(|n| n.tag_name().name() == "g" && n.attribute("id").is_some_and(|i| i.starts_with(p)))
            .count()
    };
    (id_starts("d_"), id_starts("e_"))
}

/// Graphviz's SVG starts with a DOCTYPE: allow it (roxmltree never fetches it).
fn xml_options() -> roxmltree::ParsingOptions {
    roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() }
}

pub(crate) fn graphml_counts(xml: &str) -> (usize, usize) {
    let doc =
        roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("GraphML is not well-formed XML: {e}"));
    let count = |t: &str| doc.descendants().filter(|n| n.tag_name().name() == t).count();
    (count("node"), count("edge"))
}

pub(crate) fn check_json_shape(text: &str) -> (usize, usize) {
    let v: serde_json::Value = serde_json::from_str(text).expect("JSON");
    assert_eq!(v["directed"], true);
    assert_eq!(v["multigraph"], true);
    let nodes = v["nodes"].as_array().expect("nodes");
    let links = v["links"].as_array().expect("links");
    let ids: std::collections::BTreeSet<&str> =
        nodes.iter().map(|n| n["id"].as_str().expect("node id")).collect();
    assert_eq!(ids.len(), nodes.len(), "node ids are unique");
    for n in nodes {
        for key in ["kind", "label", "title", "status", "date", "number", "path", "folder"] {
            assert!(n.get(key).is_some(), "node has {key}: {n}");
        }
    }
    for l in links {
        assert!(ids.contains(l["source"].as_str().unwrap()) && ids.contains(l["target"].as_str().unwrap()));
        assert!(l["kind"].is_string());
    }
    (nodes.len(), links.len())
}

#[test]
fn text_formats_of_data_match_their_snapshots() {
    let dir = manifest_dir();
    insta::assert_snapshot!("data_dot", graph_text(&dir, &["--root", "data"]));
    insta::assert_snapshot!("data_mermaid", graph_text(&dir, &["--root", "data", "-f", "mermaid"]));
    insta::assert_snapshot!("data_json", graph_text(&dir, &["--root", "data", "-f", "json"]));
    insta::assert_snapshot!("data_graphml", graph_text(&dir, &["--root", "data", "-f", "graphml"]));
    insta::assert_snapshot!(
        "data_focus_options_mermaid",
        graph_text(
            &dir,
            &["--root", "data", "-f", "mermaid", "--focus", "platform/7", "--depth", "1", "--options"]
        )
    );
}

#[test]
fn every_format_of_data_is_checked_by_a_parser() {
    let dir = manifest_dir();
    let dot = graph_text(&dir, &["--root", "data"]);
    graphviz_rust::parse(&dot).expect("graphviz-rust reads the DOT back");
    let json = graph_text(&dir, &["--root", "data", "--json"]);
    let (nodes, links) = check_json_shape(&json);
    assert_eq!(nodes, 29);
    let xml = graph_text(&dir, &["--root", "data", "-f", "graphml"]);
    assert_eq!(graphml_counts(&xml), (nodes, links));
    // Options add their nodes and edges to every format alike.
    let with_options = graph_text(&dir, &["--root", "data", "-f", "json", "--options"]);
    let (n2, l2) = check_json_shape(&with_options);
    assert!(n2 > nodes && l2 > links);
    if !have_dot() {
        return;
    }
    dot_canon_ok(&dot);
    let svg = graph_text(&dir, &["--root", "data", "-f", "svg"]);
    assert_eq!(svg_counts(&svg), (nodes, links));
    let doc = roxmltree::Document::parse_with_options(&svg, xml_options()).unwrap();
    const XLINK: &str = "http://www.w3.org/1999/xlink";
    let nats = doc
        .descendants()
        .find(|n| n.attribute((XLINK, "href")) == Some("data/platform/ADR-001-use-nats-for-event-bus.md"))
        .expect("decisions link to their files");
    assert_eq!(
        nats.attribute((XLINK, "title")),
        Some("Use NATS for Event Bus | accepted | 2026-02-11"),
        "tooltip"
    );
    let png = graph_bytes(&dir, &["--root", "data", "-f", "png"]);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let pdf = graph_bytes(&dir, &["--root", "data", "-f", "pdf"]);
    assert_eq!(&pdf[..5], b"%PDF-");
}

#[test]
fn output_file_format_follows_the_extension_and_links_are_relative_to_it() {
    if !have_dot() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("g.svg");
    let dir = manifest_dir();
    let o = adrgraph(&dir).args(["--root", "data", "graph", "-o"]).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<?xml"));
    let doc = roxmltree::Document::parse_with_options(&svg, xml_options()).unwrap();
    let href = doc
        .descendants()
        .find_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "href")))
        .expect("a link");
    assert!(tmp.path().join(href).exists(), "{href} resolves from the SVG's folder");
    assert!(!href.contains(' '));
    let o = adrgraph(&dir).args(["--root", "data", "graph", "-o", "g.unknown"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot tell the format"));
}

#[test]
fn focus_status_and_edge_filters() {
    let dir = manifest_dir();
    let json = graph_text(&dir, &["--root", "data", "-f", "json", "--focus", "platform/7", "--depth", "1"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ids: Vec<&str> = v["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        vec![
            "ADR-003-json-event-payloads",
            "ADR-007-avro-events-with-schema-registry",
            "ADR-010-protobuf-event-contracts-with-buf"
        ]
    );
    let json = graph_text(
        &dir,
        &["--root", "data", "-f", "json", "--status", "superseded", "--edges", "supersedes"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["nodes"].as_array().unwrap().len(), 5);
    assert!(v["links"].as_array().unwrap().iter().all(|l| l["kind"] == "supersedes"));
    let json = graph_text(&dir, &["--root", "data", "-f", "json", "--edges", "supersedes"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["links"].as_array().unwrap().len(), 5);
}

#[test]
fn missing_graphviz_is_explained_and_text_formats_still_work() {
    let empty = tempfile::tempdir().unwrap();
    let dir = manifest_dir();
    let o = adrgraph(&dir)
        .env("PATH", empty.path())
        .args(["--root", "data", "graph", "-f", "svg"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("`dot` was not found") && err.contains("apt-get install graphviz"), "{err}");
    let o = adrgraph(&dir)
        .env("PATH", empty.path())
        .args(["--root", "data", "graph", "-f", "mermaid"])
        .output()
        .unwrap();
    assert!(o.status.success());
}

/// Titles, folders and link verbs made to break DOT, SVG, Mermaid, JSON and GraphML.
const CRAFTED: &[&str] = &[
    "Quote \" and backslash \\ and \\\" together",
    "<script>alert('x')</script> & <b>bold</b> &amp;",
    "Braces } { and ]] [[ and -->|x| end",
    "end",
    "subgraph",
    "graph TD; A-->B",
    "Émoji 🚀 and accents: décision, Straße, 日本語",
    "Tab\there and a \u{1b}[31mred\u{1b}[0m escape",
    "%% mermaid comment",
    "click n0 call alert()",
];

#[test]
fn crafted_titles_render_safely_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("adr").join("we\"ird <folder> {x}");
    std::fs::create_dir_all(&root).unwrap();
    for (i, title) in CRAFTED.iter().enumerate() {
        let n = i + 1;
        let next = if n < CRAFTED.len() {
            format!("\n\nClarified by [next]({:04}-x.md)\n", n + 1)
        } else {
            String::new()
        };
        std::fs::write(
            root.join(format!("{n:04}-x.md")),
            format!("# {n}. {title}\n\nDate: 2024-01-0{}\n\n## Status\n\nAccepted{next}", n % 9 + 1),
        )
        .unwrap();
    }
    let dir = tmp.path();
    let dot = graph_text(dir, &["--root", "adr"]);
    graphviz_rust::parse(&dot).unwrap_or_else(|e| panic!("{e}\n{dot}"));
    assert!(!dot.contains('\u{1b}'));
    let (nodes, links) = check_json_shape(&graph_text(dir, &["--root", "adr", "-f", "json"]));
    assert_eq!((nodes, links), (CRAFTED.len(), CRAFTED.len() - 1));
    let xml = graph_text(dir, &["--root", "adr", "-f", "graphml"]);
    assert_eq!(graphml_counts(&xml), (nodes, links));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("key") == Some("d_title"))
        .filter_map(|n| n.text())
        .collect();
    // Markdown's own rules apply first (inline HTML is not text); what remains comes back intact.
    for kept in [CRAFTED[2], CRAFTED[6], CRAFTED[9], "alert('x') & bold &"] {
        assert!(titles.contains(&kept), "{kept:?} not in {titles:?}");
    }
    let mermaid = graph_text(dir, &["--root", "adr", "-f", "mermaid"]);
    for line in mermaid.lines() {
        let t = line.trim_start();
        assert!(
            t.starts_with("flowchart")
                || t.starts_with("subgraph f")
                || t == "end"
                || t.starts_with('n')
                || t.starts_with("classDef"),
            "a title escaped its node: {line:?}"
        );
        assert!(!t.contains("%%") && !t.contains('\u{1b}'), "{line:?}");
    }
    if !have_dot() {
        return;
    }
    dot_canon_ok(&dot);
    let svg = graph_text(dir, &["--root", "adr", "-f", "svg"]);
    assert_eq!(svg_counts(&svg), (nodes, links));
}

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

const NASTY: &str =
    "He said \"hi\" <b>&amp;</b> {x} [y] ]} end; subgraph \\ \n graph -->|x| #1 `t` |p|\u{1b}[31m\u{202E}";

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
        assert!(
            !line[line.find('"').unwrap() + 1..line.rfind('"').unwrap()].contains(['[', ']', '<', '>', '|'])
        );
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

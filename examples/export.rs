//! Export the decision graph: DOT, Mermaid, node-link JSON and GraphML from the library, and SVG
//! when Graphviz is installed.
//!
//! `render::select` picks what to draw (here: the neighbourhood of the event-payload decision,
//! with the options each decision considered); every writer then formats that same view.
//!
//! Run it with `cargo run --example export`; it reads `data/` and writes into a temporary folder.

use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::render::{self, Format, Layout, RenderOptions};

fn main() {
    let corpus = ingest(&IngestOptions::new(["data"])).expect("data/ exists");
    let graph = adrgraph::graph_of(&corpus);
    let cwd = std::env::current_dir().expect("current directory");

    // The Avro decision, one link away in both directions, with option nodes.
    let avro = corpus.find_index("avro-events", &cwd).expect("the Avro decision exists");
    let opts = RenderOptions { focus: Some(avro), depth: Some(1), options: true, ..RenderOptions::default() };
    let view = render::select(&graph, &corpus.adrs, &opts);
    println!(
        "drawing {} decisions, {} nodes, {} edges",
        view.decisions(),
        view.nodes.len(),
        view.edges.len()
    );

    // DOT text; Graphviz lays it out (dot up to 300 decisions, sfdp above).
    let layout = Layout::for_size(view.nodes.len());
    let text = render::to_dot(&view, &opts, layout);
    println!("DOT: {} lines, layout {}", text.lines().count(), layout.as_str());

    // Mermaid renders on GitHub; JSON is d3/networkx node-link; GraphML opens in Gephi or yEd.
    let mermaid = render::to_mermaid(&view);
    println!("Mermaid starts with: {}", mermaid.lines().next().unwrap_or(""));
    let json = render::to_json(&view);
    println!(
        "JSON: {} nodes, {} links",
        json["nodes"].as_array().map_or(0, Vec::len),
        json["links"].as_array().map_or(0, Vec::len)
    );
    let graphml = render::to_graphml(&view);
    println!("GraphML: {} bytes", graphml.len());

    // SVG needs Graphviz's `dot`; without it the error says how to install it.
    let out = tempfile::tempdir().expect("temporary folder");
    match render::render_graphviz(&text, Format::Svg, layout) {
        Ok(svg) => {
            let path = out.path().join("payloads.svg");
            std::fs::write(&path, &svg).expect("SVG written");
            println!("SVG: {} bytes written to {}", svg.len(), path.display());
        }
        Err(e) => println!("SVG skipped: {e}"),
    }
    assert_eq!(view.decisions(), 3, "JSON, Avro and Protobuf payload decisions");
}

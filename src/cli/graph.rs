//! `adrgraph graph`: the graph selected (focus, depth, statuses, edge kinds, options) and drawn
//! as DOT, SVG, PNG, PDF, Mermaid, JSON or GraphML.

use super::context::{exiting, report, Exit, Session};
use super::load::Drawing;
use super::{Cli, GraphArgs};
use adrgraph::ingest::Corpus;
use adrgraph::output;
use anyhow::{Context, Result};
use std::io::Write;

/// Draw the graph to stdout (raw: anstream would strip escape bytes out of PNG and PDF data)
/// or to `-o FILE`; a query snapshot built while loading is written meanwhile.
pub fn run(session: &Session<'_>, args: &GraphArgs, drawing: Drawing) -> Result<Exit> {
    let cli = session.cli;
    let (corpus, graph) = match &drawing {
        Drawing::Outline(o) => (o.as_corpus(), None),
        Drawing::Decisions(d) => (d.as_corpus(), Some(d.graph())),
    };
    std::thread::scope(|s| {
        if let (Drawing::Decisions(d), Some(g)) = (&drawing, graph) {
            if let Some(w) = d.pending() {
                s.spawn(|| w.write(corpus, g));
            }
        }
        draw(cli, args, corpus, graph)
    })?;
    let code = report(cli, corpus);
    exiting(drawing);
    code
}

fn draw(
    cli: &Cli,
    args: &GraphArgs,
    corpus: &Corpus,
    prebuilt: Option<&adrgraph::DecisionGraph>,
) -> Result<()> {
    use adrgraph::render::{self, Format, Layout, RenderOptions};
    use anyhow::bail;
    use std::io::IsTerminal;
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(path)) if path != "-" => match Format::from_path(path) {
            Some(f) => f,
            None => bail!("cannot tell the format from `{path}`: give --format (dot, svg, png, pdf, mermaid, json, graphml)"),
        },
        (None, _) if cli.global.json => Format::Json,
        (None, _) => Format::Dot,
    };
    let to_stdout = args.output.as_deref().is_none_or(|p| p == "-");
    if format.is_binary() && to_stdout && std::io::stdout().is_terminal() {
        bail!("{format:?} is binary: not writing it to a terminal; give -o FILE");
    }
    let cwd = std::env::current_dir()?;
    let built;
    let graph = match prebuilt {
        Some(g) => g,
        None => {
            built = adrgraph::graph_of(corpus);
            &built
        }
    };
    let focus = args.focus.as_deref().map(|f| corpus.find_index(f, &cwd)).transpose()?;
    let opts = RenderOptions {
        focus,
        among: None,
        depth: Some(args.depth),
        statuses: args.status.clone(),
        edges: args.edges.clone(),
        options: args.options,
        rank_by: args.rank,
        working_dir: cwd.clone(),
        page_links: None,
        link_base: if to_stdout {
            None
        } else {
            args.output
                .as_deref()
                .map(|o| std::path::Path::new(o).parent().unwrap_or(std::path::Path::new("")).to_path_buf())
        },
    };
    let view = render::select(graph, &corpus.adrs, &opts);
    let layout = args.layout.unwrap_or_else(|| Layout::for_size(view.nodes.len()));
    let bytes: Vec<u8> = match format {
        Format::Dot => render::to_dot(&view, &opts, layout).into_bytes(),
        Format::Mermaid => render::to_mermaid(&view).into_bytes(),
        Format::Json => output::json_bytes(&render::to_json(&view))?,
        Format::Graphml => render::to_graphml(&view).into_bytes(),
        Format::Svg | Format::Png | Format::Pdf => {
            if std::io::stderr().is_terminal() && !cli.global.quiet {
                eprintln!(
                    "rendering {} nodes and {} edges with {}...",
                    view.nodes.len(),
                    view.edges.len(),
                    layout.as_str()
                );
            }
            render::render_graphviz(&render::to_dot(&view, &opts, layout), format, layout)?
        }
    };
    match args.output.as_deref() {
        Some(path) if path != "-" => {
            std::fs::write(path, &bytes).with_context(|| format!("cannot write {path}"))?;
            if !cli.global.quiet {
                eprintln!(
                    "wrote {path} ({} decisions, {} edges, {} bytes)",
                    view.decisions(),
                    view.edges.len(),
                    bytes.len()
                );
            }
        }
        _ => {
            // Raw bytes (JSON carries no control character; binary formats are refused on a
            // terminal above), through the writer the MCP server captures.
            let mut out = super::context::stdout(true);
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    exiting((view, graph, bytes));
    Ok(())
}

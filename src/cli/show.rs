//! `adrgraph show`: one whole record, its typed links in both directions, and the diagnostics
//! of its file.

use super::context::{report, stdout, Exit, Session};
use super::ShowArgs;
use adrgraph::ingest::Corpus;
use adrgraph::model::{Adr, Diagnostic};
use adrgraph::store::{Focus, Focused};
use adrgraph::{output, query, DecisionGraph, GraphOptions};
use anyhow::Result;
use std::io::Write;

/// Show the record `args.id` names; only the diagnostics of its file (its broken links
/// included) decide the exit code. A server keeps every record whole and reads from those; the
/// command line reads the query snapshot's part around the record (its links both ways, its
/// file's diagnostics and link warnings) and that one record from its shard, or, when the
/// snapshot cannot answer, the outline (names, links, diagnostics) and the record's shard: not
/// every record's long texts (194 ms for one record of 10,000 before, by reading them all).
pub fn run(session: &mut Session<'_>, args: &ShowArgs) -> Result<Exit> {
    let cwd = std::env::current_dir()?;
    if !session.key.holds() {
        if let Some(f) = session.store.focus(&args.id, &cwd, Focus::Neighbours) {
            if let Some(done) = from_snapshot(session, &f)? {
                return Ok(done);
            }
        }
    }
    if session.key.holds() {
        let records = super::load::records(session)?;
        let corpus = records.corpus();
        let idx = corpus.find_index(&args.id, &cwd)?;
        let graph = super::load::graph_of(session, records.corpus())?;
        let adr = &corpus.adrs[idx.get()];
        let links = own_links(&graph, corpus, adr);
        return answer(session, corpus, &query::edges_of(&graph, &corpus.adrs, idx), links, adr);
    }
    let outline = super::load::outline(session)?;
    let corpus = outline.as_corpus();
    let idx = corpus.find_index(&args.id, &cwd)?;
    let slim = &corpus.adrs[idx.get()];
    let root = corpus.adr_roots.get(idx.get()).copied().unwrap_or(0);
    let mut adr = match session.store.whole_record(root, &slim.rel_path)? {
        Some(p) => p.adr,
        None => {
            anyhow::bail!("{}: the store lost this record; `adrgraph index --rebuild` repairs it", slim.path)
        }
    };
    // What the tree decides about the record rather than its file alone.
    adr.id.clone_from(&slim.id);
    adr.dialect = slim.dialect;
    session.warn();
    // Its links both ways from the query snapshot when it holds this content (the part one link
    // around the record), and the diagnostics of its own links resolved alone: building the
    // whole graph resolved every link of the tree, a quarter of the command.
    let around = session
        .store
        .focus_on(idx.get(), Focus::Neighbours)
        .filter(|f| f.decisions().adrs().get(f.decision().get()).is_some_and(|a| a.path == slim.path));
    let (edges, links) = match around {
        Some(f) => (
            query::edges_of(f.decisions().graph(), f.decisions().adrs(), f.decision()),
            DecisionGraph::link_diagnostics_of(&corpus.adrs, &GraphOptions::of(corpus), idx),
        ),
        None => {
            let graph = outline.graph();
            // No snapshot for this content yet: written now, for the next question.
            if let Some(w) = session.store.query_write() {
                w.write(corpus, &graph);
            }
            (query::edges_of(&graph, &corpus.adrs, idx), own_links(&graph, corpus, &adr))
        }
    };
    answer(session, corpus, &edges, links, &adr)
}

/// The answer from the query snapshot's part around the record (`f`) and the record's shard;
/// `None` when the snapshot keeps no link warnings or the store no longer has the record.
fn from_snapshot(session: &mut Session<'_>, f: &Focused) -> Result<Option<Exit>> {
    let (corpus, at) = (f.decisions().as_corpus(), f.decision());
    let slim = &corpus.adrs[at.get()];
    let Some(links) = session.store.link_warnings(&slim.path) else { return Ok(None) };
    let root = corpus.adr_roots.get(at.get()).copied().unwrap_or(0);
    let Some(mut adr) = session.store.whole_record(root, &slim.rel_path)?.map(|p| p.adr) else {
        return Ok(None);
    };
    // What the tree decides about the record rather than its file alone.
    adr.id.clone_from(&slim.id);
    adr.dialect = slim.dialect;
    session.warn();
    let edges = query::edges_of(f.decisions().graph(), f.decisions().adrs(), at);
    answer(session, corpus, &edges, links, &adr).map(Some)
}

/// What the whole graph says of `adr`'s own links (broken, ambiguous).
fn own_links(graph: &DecisionGraph, corpus: &Corpus, adr: &Adr) -> Vec<Diagnostic> {
    graph.diagnostics(&corpus.adrs).into_iter().filter(|d| d.path == adr.path).collect()
}

/// The record, its links both ways (`edges`, as [`query::edges_of`] gives them) and the
/// diagnostics of its file, those of its links (`links`) last.
fn answer(
    session: &Session<'_>,
    corpus: &Corpus,
    edges: &[(petgraph::Direction, query::Step)],
    links: Vec<Diagnostic>,
    adr: &Adr,
) -> Result<Exit> {
    let cli = session.cli;
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        let v = output::ShowJson::new(adr, edges);
        super::context::write_json(&mut out, &v)?;
    } else {
        output::write_show(&mut out, adr)?;
        output::write_edges(&mut out, edges)?;
    }
    let mut own = Corpus {
        diagnostics: corpus.diagnostics.iter().filter(|d| d.path == adr.path).cloned().collect(),
        ..Corpus::default()
    };
    own.diagnostics.extend(links);
    out.flush()?;
    report(cli, &own)
}

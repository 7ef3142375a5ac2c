//! `adrgraph show`: one whole record, its typed links in both directions, and the diagnostics
//! of its file.

use super::context::{report, stdout, Exit, Session};
use super::ShowArgs;
use adrgraph::ingest::Corpus;
use adrgraph::store::Records;
use adrgraph::{output, query};
use anyhow::Result;
use std::io::Write;

/// Show the record `args.id` names; only the diagnostics of its file (its broken links
/// included) decide the exit code.
pub fn run(session: &Session<'_>, args: &ShowArgs, records: &Records) -> Result<Exit> {
    let cli = session.cli;
    let corpus = records.corpus();
    let mut out = stdout(cli.global.json);
    let idx = corpus.find_index(&args.id, &std::env::current_dir()?)?;
    let adr = &corpus.adrs[idx];
    let graph = super::load::graph_of(session, records)?;
    let edges = query::edges_of(&graph, &corpus.adrs, idx);
    if cli.global.json {
        let v = output::ShowJson::new(adr, &edges);
        output::write_json(&mut out, &v)?;
    } else {
        output::write_show(&mut out, adr)?;
        output::write_edges(&mut out, &edges)?;
    }
    let mut own = Corpus {
        diagnostics: corpus.diagnostics.iter().filter(|d| d.path == adr.path).cloned().collect(),
        ..Corpus::default()
    };
    own.diagnostics.extend(graph.diagnostics(&corpus.adrs).into_iter().filter(|d| d.path == adr.path));
    out.flush()?;
    report(cli, &own)
}

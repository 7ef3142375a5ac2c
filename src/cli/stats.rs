//! `adrgraph stats`: field coverage, counts, the files skipped and why, graph figures, and the
//! refresh that produced them.

use super::context::{report, stdout, Exit, Session};
use super::held::kept;
use super::StatsArgs;
use adrgraph::ingest::Corpus;
use adrgraph::output;
use adrgraph::stats::Stats;
use adrgraph::store::Records;
use anyhow::Result;
use std::io::Write;
use std::sync::Arc;

/// Print the figures; broken and ambiguous links are diagnostics too. With `--diagnostics`
/// they are printed on stdout, once, and no note on stderr repeats them.
pub fn run(session: &Session<'_>, args: &StatsArgs, records: Arc<Records>) -> Result<Exit> {
    let cli = session.cli;
    // A server keeps the records (and these figures): they are copied once for each reading.
    let figures = kept(&session.key, "stats", 0, || {
        Ok(figures_of(Arc::try_unwrap(records).map_or_else(|r| r.corpus().clone(), Records::into_corpus)))
    })?;
    let (stats, graph, corpus) = &*figures;
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        #[derive(serde::Serialize)]
        struct WithDiags<'a> {
            #[serde(flatten)]
            stats: &'a Stats,
            graph: &'a adrgraph::graph::GraphStats,
            refresh: &'a adrgraph::store::RefreshReport,
            #[serde(skip_serializing_if = "Option::is_none")]
            diagnostic_list: Option<&'a [adrgraph::Diagnostic]>,
            skipped_files: &'a [adrgraph::ingest::Skipped],
        }
        let v = WithDiags {
            stats,
            graph,
            refresh: &session.store.report,
            diagnostic_list: args.diagnostics.then_some(corpus.diagnostics.as_slice()),
            skipped_files: &corpus.skipped,
        };
        super::context::write_json(&mut out, &v)?;
    } else {
        output::write_stats(&mut out, stats)?;
        output::write_skipped(&mut out, &corpus.skipped)?;
        output::write_graph_stats(&mut out, graph)?;
        if args.diagnostics {
            writeln!(out)?;
            output::write_diagnostics(&mut out, corpus)?;
        }
    }
    out.flush()?;
    if args.diagnostics {
        return Ok(Exit::problems_if(corpus.error_count() > 0));
    }
    report(cli, corpus)
}

/// The figures of `corpus`, its links' diagnostics added to its own; the corpus is given back
/// with its diagnostics and skipped files only.
fn figures_of(mut corpus: Corpus) -> (Stats, adrgraph::graph::GraphStats, Corpus) {
    let g = adrgraph::graph_of(&corpus);
    let graph = g.stats(&corpus.adrs);
    let link_diags = g.diagnostics(&corpus.adrs);
    corpus.diagnostics.extend(link_diags);
    corpus.diagnostics.sort();
    let stats = Stats::of(&corpus);
    let rest = Corpus {
        diagnostics: std::mem::take(&mut corpus.diagnostics),
        skipped: std::mem::take(&mut corpus.skipped),
        ..Corpus::default()
    };
    // Freeing every record one by one is left to the end of a command line's process.
    super::context::exiting((corpus, g));
    (stats, graph, rest)
}

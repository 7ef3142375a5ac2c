//! The graph questions: `impact`, `deps`, `chain`, `path` and `option`.

use super::context::{answer, report, Exit, Session};
use super::load::Asked;
use super::{ChainArgs, Command, OptionArgs, PathArgs, WalkArgs};
use adrgraph::store::Records;
use adrgraph::{output, query};
use anyhow::Result;

/// `impact` (what depends on a decision) or `deps` (what it depends on), as deep as asked.
pub fn walk(session: &Session<'_>, args: &WalkArgs, asked: Asked) -> Result<Exit> {
    let cli = session.cli;
    let idx = asked.decision(&args.id)?;
    let (graph, corpus) = (asked.decisions.graph(), asked.decisions.as_corpus());
    let is_impact = matches!(cli.command, Command::Impact(_));
    let limit = args.limit.unwrap_or(usize::MAX);
    let walk = if is_impact {
        query::impact_first(graph, &corpus.adrs, idx, args.depth, limit)
    } else {
        query::deps_first(graph, &corpus.adrs, idx, args.depth, limit)
    };
    let what = if is_impact { "Impact of" } else { "Dependencies of" };
    answer(cli, &walk, |out| output::write_walk(out, &walk, what))?;
    report(cli, corpus)
}

/// `chain`: the supersession chain of a decision and the decision in force.
pub fn chain(session: &Session<'_>, args: &ChainArgs, asked: Asked) -> Result<Exit> {
    let cli = session.cli;
    let idx = asked.decision(&args.id)?;
    let (graph, corpus) = (asked.decisions.graph(), asked.decisions.as_corpus());
    let chain = match args.on {
        Some(on) => adrgraph::on_date::chain_on(graph, &corpus.adrs, idx, on),
        None => query::chain(graph, &corpus.adrs, idx),
    };
    answer(cli, &chain, |out| output::write_chain(out, &chain))?;
    report(cli, corpus)
}

/// `path`: a shortest chain of links between two decisions, if there is one.
pub fn path(session: &Session<'_>, args: &PathArgs, asked: Asked) -> Result<Exit> {
    let cli = session.cli;
    let a = asked.decision(&args.from)?;
    let b = asked.decision(&args.to)?;
    let (graph, corpus) = (asked.decisions.graph(), asked.decisions.as_corpus());
    let steps = query::path(graph, &corpus.adrs, a, b);
    answer(cli, &steps, |out| match &steps {
        Some(s) => output::write_path(out, s),
        None => writeln!(out, "no chain of links between {} and {}", corpus.adrs[a].id, corpus.adrs[b].id),
    })?;
    report(cli, corpus)
}

/// `option`: where a considered option was weighed, and what was chosen instead.
pub fn option(session: &Session<'_>, args: &OptionArgs, records: &Records) -> Result<Exit> {
    let cli = session.cli;
    let corpus = records.corpus();
    let graph = super::load::graph_of(session, records.corpus())?;
    let name = args.name.join(" ");
    let reports = query::option_usage(&graph, &corpus.adrs, &name);
    answer(cli, &reports, |out| {
        if reports.is_empty() {
            writeln!(out, "no considered option matches `{name}`")
        } else {
            output::write_options(out, &reports)
        }
    })?;
    report(cli, corpus)
}

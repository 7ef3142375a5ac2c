//! Which part of the store each command reads. Listing, queries and graphs read the graph
//! snapshot (no long texts, far less to load); impact, dependencies, chains and paths read the
//! query snapshot (the graph comes built), and of a decision named by id, path or number only the
//! part they reach; `show`, `stats`, `lint` and `option` read the full records.

use super::context::Session;
use super::Command;
use adrgraph::ingest::Corpus;
use adrgraph::store::Focus;
use adrgraph::store::QueryWrite;
use adrgraph::DecisionGraph;
use anyhow::Result;
use std::path::PathBuf;

/// What a command asked of the store.
pub struct Loaded {
    /// The records (for snapshot readers, without their long texts).
    pub corpus: Corpus,
    /// The graph, when the query snapshot gave it built.
    pub graph: Option<DecisionGraph>,
    /// The decision a focused question is about, as found while loading its part.
    pub focus_at: Option<usize>,
    /// A query snapshot built now, to be written (beside the drawing of a graph).
    pub query_write: Option<QueryWrite>,
    /// The working folder, for names given as paths.
    pub cwd: PathBuf,
}

impl Loaded {
    /// The decision `name` names, unless the focused load found it already.
    pub fn decision(&self, name: &str) -> Result<usize> {
        match self.focus_at {
            Some(at) => Ok(at),
            None => Ok(self.corpus.find_index(name, &self.cwd)?),
        }
    }

    /// The graph: the one loaded, else built now.
    pub fn take_graph(&mut self) -> DecisionGraph {
        self.graph.take().unwrap_or_else(|| adrgraph::graph_of(&self.corpus))
    }
}

/// How much of the store a command needs.
enum Needs<'a> {
    /// The part of the query snapshot a focused question on one decision reaches (falling
    /// back to the whole query snapshot).
    Focus(&'a str, Focus),
    /// The query snapshot: decisions and the links between them.
    Query,
    /// The graph snapshot: records without long texts.
    Snapshot,
    /// The full records.
    Records,
}

fn needs(command: &Command) -> Needs<'_> {
    match command {
        Command::Impact(a) => Needs::Focus(a.id.as_str(), Focus::Impact(a.depth)),
        Command::Deps(a) => Needs::Focus(a.id.as_str(), Focus::Deps(a.depth)),
        Command::Chain(a) => Needs::Focus(a.id.as_str(), Focus::Chain),
        Command::Path(_) => Needs::Query,
        // A graph without option nodes needs only decisions and the links between them.
        Command::Graph(args) => {
            let option_edges = |k: &adrgraph::EdgeKind| {
                use adrgraph::EdgeKind as K;
                matches!(k, K::Considers | K::Chooses | K::DecidedBy | K::Tagged)
            };
            let wants_options =
                args.edges.iter().any(option_edges) || (args.edges.is_empty() && args.options);
            if wants_options {
                Needs::Snapshot
            } else {
                Needs::Query
            }
        }
        Command::List(_) => Needs::Snapshot,
        _ => Needs::Records,
    }
}

/// Load what the command needs, print the warnings that gave, and refuse a tree with nothing
/// to read (but for `stats`). A query snapshot built now is written right away, except beside
/// the drawing of a graph.
pub fn load(session: &mut Session<'_>) -> Result<Loaded> {
    let cwd = std::env::current_dir()?;
    let store = &mut session.store;
    let mut loaded =
        Loaded { corpus: Corpus::default(), graph: None, focus_at: None, query_write: None, cwd };
    let needs = needs(&session.cli.command);
    let focused = match needs {
        Needs::Focus(name, f) => store.focus_corpus(name, &loaded.cwd, f),
        _ => None,
    };
    if let Some((c, g, at)) = focused {
        (loaded.corpus, loaded.graph, loaded.focus_at) = (c, Some(g), Some(at));
    } else if let Needs::Focus(..) | Needs::Query = needs {
        let (c, g, write) = store.query_corpus_unsaved()?;
        (loaded.corpus, loaded.graph, loaded.query_write) = (c, Some(g), write);
    } else if let Needs::Snapshot = needs {
        loaded.corpus = store.graph_corpus()?;
    } else {
        loaded.corpus = store.corpus()?;
    }
    session.warn();
    if loaded.corpus.adrs.is_empty() && !matches!(session.cli.command, Command::Stats(_)) {
        return Err(session.nothing_to_read());
    }
    if !matches!(session.cli.command, Command::Graph(_)) {
        if let (Some(w), Some(g)) = (loaded.query_write.take(), loaded.graph.as_ref()) {
            w.write(&loaded.corpus, g);
        }
    }
    Ok(loaded)
}

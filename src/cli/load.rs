//! Which view of the store each command reads, as the store's own types say
//! ([`adrgraph::store::View`]). Listing reads the [`Outline`] (no long texts, far less to load);
//! impact, dependencies, chains and paths read the [`Decisions`] (the graph comes built), and of
//! a decision named by id, path or number only the part they reach ([`Focused`]); a graph reads
//! the outline when it draws options, else the decisions; `lint` reads the outline (its rules
//! read no long text); `stats`, `option`, `lint --fix` and `lint --history` read the whole
//! [`Records`]. Each command's function takes the type it reads, so none can be
//! handed less.

use super::context::Session;
use super::held::kept;
use super::{Command, GraphArgs};
use adrgraph::store::{Decisions, Focus, Outline, Records};
use adrgraph::{Adr, DecisionIndex};
use anyhow::Result;
use std::path::PathBuf;
use std::sync::Arc;

/// The decisions a graph question reads, and the decision it is about when the store found it
/// while loading only the part the question reaches.
pub struct Asked {
    /// The decisions (all of them, or the part reached).
    pub decisions: Arc<Decisions>,
    /// The decision the question is about, when already found.
    pub at: Option<DecisionIndex>,
    /// The working folder, for names given as paths.
    pub cwd: PathBuf,
}

impl Asked {
    /// The decision `name` names, unless the focused load found it already.
    pub fn decision(&self, name: &str) -> Result<DecisionIndex> {
        match self.at {
            Some(at) => Ok(at),
            None => Ok(self.decisions.as_corpus().find_index(name, &self.cwd)?),
        }
    }
}

/// What a graph is drawn from.
pub enum Drawing {
    /// Records without long texts: options, people and tags can be drawn.
    Outline(Arc<Outline>),
    /// Decisions and their links only.
    Decisions(Arc<Decisions>),
}

/// Print the warnings loading gave, and refuse a tree with nothing to read (but for `stats`).
fn checked(session: &mut Session<'_>, adrs: &[Adr]) -> Result<()> {
    session.warn();
    if adrs.is_empty() && !matches!(session.cli.command, Command::Stats(_)) {
        return Err(session.nothing_to_read());
    }
    Ok(())
}

/// Every record whole (in a server, kept while the records are the same).
pub fn records(session: &mut Session<'_>) -> Result<Arc<Records>> {
    let records = kept(&session.key, "records", 0, || Ok(session.store.load::<Records>()?))?;
    checked(session, &records.corpus().adrs)?;
    Ok(records)
}

/// Every record without its long texts (in a server, kept while the records are the same).
pub fn outline(session: &mut Session<'_>) -> Result<Arc<Outline>> {
    let outline = kept(&session.key, "outline", 0, || Ok(session.store.load::<Outline>()?))?;
    checked(session, outline.adrs())?;
    Ok(outline)
}

/// The decisions and their links (in a server, kept while the records are the same); a query
/// snapshot built now is written right away.
pub fn decisions(session: &mut Session<'_>) -> Result<Asked> {
    let decisions = kept(&session.key, "decisions", 0, || {
        let mut decisions = session.store.load::<Decisions>()?;
        decisions.save();
        Ok(decisions)
    })?;
    checked(session, decisions.adrs())?;
    Ok(Asked { decisions, at: None, cwd: std::env::current_dir()? })
}

/// The decisions as the query snapshot holds them, without their links
/// ([`adrgraph::store::Store::listing`]); `None` when the snapshot does not hold this content
/// yet, and in a server, which keeps the decisions whole.
pub fn listing(session: &mut Session<'_>) -> Result<Option<adrgraph::Corpus>> {
    if session.key.holds() {
        return Ok(None);
    }
    let Some(corpus) = session.store.listing() else { return Ok(None) };
    checked(session, &corpus.adrs)?;
    Ok(Some(corpus))
}

/// The graph of every record, whole or outlined: the same graph, as the long texts draw no
/// edge (in a server, kept while the records are the same).
pub fn graph_of(
    session: &Session<'_>,
    corpus: &adrgraph::ingest::Corpus,
) -> Result<Arc<adrgraph::DecisionGraph>> {
    kept(&session.key, "graph", 0, || Ok(adrgraph::graph_of(corpus)))
}

/// The part of the decisions a question on the decision `name` reaches (`focus`), else all of
/// them.
pub fn focused(session: &mut Session<'_>, name: &str, focus: Focus) -> Result<Asked> {
    // A server keeps every decision in memory: reading the part again would cost more.
    if session.key.holds() {
        return decisions(session);
    }
    let cwd = std::env::current_dir()?;
    match session.store.focus(name, &cwd, focus) {
        Some(f) => {
            let (decisions, at) = f.into_parts();
            checked(session, decisions.adrs())?;
            Ok(Asked { decisions: Arc::new(decisions), at: Some(at), cwd })
        }
        None => decisions(session),
    }
}

/// What `graph` draws from: the outline when options, people or tags are drawn, else only the
/// decisions and the links between them (a query snapshot built now is written while the graph
/// is drawn).
pub fn drawing(session: &mut Session<'_>, args: &GraphArgs) -> Result<Drawing> {
    let option_edges = |k: &adrgraph::EdgeKind| {
        use adrgraph::EdgeKind as K;
        matches!(k, K::Considers | K::Chooses | K::DecidedBy | K::Tagged)
    };
    let wants_options = args.edges.iter().any(option_edges) || (args.edges.is_empty() && args.options);
    if wants_options {
        return Ok(Drawing::Outline(outline(session)?));
    }
    let decisions = kept(&session.key, "drawn decisions", 0, || Ok(session.store.load::<Decisions>()?))?;
    checked(session, decisions.adrs())?;
    Ok(Drawing::Decisions(decisions))
}

//! What a command asks of the store, as distinct types ([`Store::load`]): the whole records
//! ([`Records`]), the records without their long texts ([`Outline`]), the decisions and the links
//! between them ([`Decisions`]), or the part of those one question about one decision reaches
//! ([`Focused`], from [`Store::focus`]). Each is cheaper to load than the one before, and each
//! says in its type what it holds, so a command that needs a record's text cannot be handed an
//! outline by accident: `show`, `stats` and `lint` take [`Records`].

use super::{QueryWrite, Result, Store};
use crate::graph::DecisionGraph;
use crate::ingest::Corpus;
use crate::model::{Adr, DecisionIndex};
use crate::snapshot::Focus;
use std::path::Path;

/// A view of the tree the store can load: [`Records`], [`Outline`] or [`Decisions`].
pub trait View: Sized + sealed::Sealed {
    /// Load the view from `store` (what [`Store::load`] calls).
    fn load_from(store: &mut Store) -> Result<Self>;
}

mod sealed {
    /// Only the store's own views are views.
    pub trait Sealed {}
    impl Sealed for super::Records {}
    impl Sealed for super::Outline {}
    impl Sealed for super::Decisions {}
}

/// Every record whole: every field of every decision, as [`crate::ingest::ingest`] reads them.
#[derive(Debug)]
pub struct Records {
    corpus: Corpus,
}

impl Records {
    /// The records.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The records, taken.
    pub fn into_corpus(self) -> Corpus {
        self.corpus
    }
}

impl View for Records {
    fn load_from(store: &mut Store) -> Result<Records> {
        Ok(Records { corpus: store.records_corpus()? })
    }
}

/// Every record without its long texts (technical story, context, decision, drivers, option
/// descriptions, rationale, consequences, phases, validation, the sections' texts): ids,
/// paths, numbers, titles, statuses, dates, people, tags, links, option titles, the title's
/// heading (the only section kept) and how many pros, cons and neutral points each option has
/// (each kept as an empty text). Enough to list decisions, to draw the whole graph, options
/// included, and to lint; read from the store's graph snapshot, much cheaper than [`Records`].
#[derive(Debug)]
pub struct Outline {
    corpus: Corpus,
}

impl Outline {
    /// The records, without their long texts.
    pub fn adrs(&self) -> &[Adr] {
        &self.corpus.adrs
    }

    /// The outline as a corpus, for what reads only the fields an outline keeps (the graph,
    /// rendering, the tree's diagnostics and skipped files). Its records' long texts are empty.
    pub fn as_corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The graph of decisions, options, people and tags.
    pub fn graph(&self) -> DecisionGraph {
        crate::graph_of(&self.corpus)
    }

    /// The outline as a corpus, taken.
    pub fn into_corpus(self) -> Corpus {
        self.corpus
    }
}

impl View for Outline {
    fn load_from(store: &mut Store) -> Result<Outline> {
        Ok(Outline { corpus: store.outline_corpus()? })
    }
}

/// The decisions and the typed links between them, the graph built: what impact, dependency,
/// chain and path questions read. Records carry only their id, paths, slug, number, title,
/// status and date. From the store's query snapshot when it holds this content; otherwise
/// built from the outline, and then the snapshot is written by [`Decisions::save`] (the command
/// line draws a graph while it is written).
#[derive(Debug)]
pub struct Decisions {
    corpus: Corpus,
    graph: DecisionGraph,
    pending: Option<QueryWrite>,
}

impl Decisions {
    /// The decisions (id, paths, slug, number, title, status and date only).
    pub fn adrs(&self) -> &[Adr] {
        &self.corpus.adrs
    }

    /// The decisions as a corpus, for what reads only those fields (names, queries, rendering
    /// without options, the tree's diagnostics).
    pub fn as_corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The graph of decisions and the links between them.
    pub fn graph(&self) -> &DecisionGraph {
        &self.graph
    }

    /// The query snapshot still to be written for this view, if it was built now.
    pub fn pending(&self) -> Option<&QueryWrite> {
        self.pending.as_ref()
    }

    /// Write the query snapshot if it was built now (see [`QueryWrite::write`]), so that the next
    /// load reads it instead of building it.
    pub fn save(&mut self) {
        if let Some(w) = self.pending.take() {
            w.write(&self.corpus, &self.graph);
        }
    }
}

impl View for Decisions {
    fn load_from(store: &mut Store) -> Result<Decisions> {
        if let Some(q) = store.query_file() {
            if let Some((corpus, graph)) = q.full() {
                return Ok(Decisions { corpus, graph, pending: None });
            }
        }
        let corpus = store.outline_corpus()?;
        let graph = crate::graph_of(&corpus);
        let pending = store.query_write();
        Ok(Decisions { corpus, graph, pending })
    }
}

/// The part of the decisions and links that one question about one decision reaches ([`Focus`]:
/// its impact or dependencies to a depth, or its supersession chain), read in place from the
/// query snapshot, and that decision. [`crate::query::impact`], [`crate::query::deps`] and
/// [`crate::query::chain`] answer the same on it as on the whole [`Decisions`].
#[derive(Debug)]
pub struct Focused {
    decisions: Decisions,
    at: DecisionIndex,
}

impl Focused {
    /// The decision the question is about: its index in [`Focused::decisions`].
    pub fn decision(&self) -> DecisionIndex {
        self.at
    }

    /// The part reached, as decisions and links.
    pub fn decisions(&self) -> &Decisions {
        &self.decisions
    }

    /// The part and the decision, taken.
    pub fn into_parts(self) -> (Decisions, DecisionIndex) {
        (self.decisions, self.at)
    }
}

impl Store {
    /// Load a view of the tree: `store.load::<Records>()`, `store.load::<Outline>()` or
    /// `store.load::<Decisions>()`. The records are read from the store the first time; with a
    /// store folder they are taken, not copied (a second load reads them again).
    pub fn load<V: View>(&mut self) -> Result<V> {
        V::load_from(self)
    }

    /// For the decision `name` names (by id, path or number; relative paths from `cwd`), when the
    /// query snapshot holds this content: only the part that `focus` reaches. `None` otherwise
    /// (a name the snapshot cannot resolve alone, such as a slug or an ambiguous name, no
    /// snapshot yet, a damaged one): then load [`Decisions`].
    pub fn focus(&mut self, name: &str, cwd: &Path, focus: Focus) -> Option<Focused> {
        let (corpus, graph, at) = self.query_file()?.focus(name, cwd, focus)?;
        Some(Focused { decisions: Decisions { corpus, graph, pending: None }, at })
    }

    /// The decisions as the query snapshot holds them (id, paths, slug, number, title, status
    /// and date), with the tree's diagnostics and skipped files but not the links between them:
    /// what a listing prints, read without building a graph. `None` when the snapshot does not
    /// hold this content (then load [`Decisions`], whose [`Decisions::save`] writes one).
    pub fn listing(&mut self) -> Option<Corpus> {
        self.query_file()?.decisions()
    }

    /// The links between decisions as the query snapshot keeps them (a graph of decisions only,
    /// numbered as the store's records are), when it holds this content: what a question that
    /// reads the [`Outline`] for other fields needs of the links, without resolving them again.
    /// `None` otherwise.
    pub fn decision_links(&mut self) -> Option<DecisionGraph> {
        self.query_file()?.graph()
    }

    /// The supersession links between decisions alone ([`Store::decision_links`] without the
    /// others), numbered as the store's records are: what supersession chains read, as
    /// `governs` does. `None` when the query snapshot does not hold these records.
    pub fn supersession_links(&mut self) -> Option<DecisionGraph> {
        self.query_file()?.supersession_graph()
    }

    /// The graph's link warnings (broken and ambiguous links) on the record at `path`, from the
    /// query snapshot when it holds this content: what `show` reports of one record's links
    /// without resolving every link of the tree. `None` when the snapshot does not hold it.
    pub fn link_warnings(&mut self, path: &str) -> Option<Vec<crate::model::Diagnostic>> {
        self.query_file()?.link_warnings(path)
    }

    /// Like [`Store::focus`], for the decision at place `i` of the store's records (as the
    /// [`Outline`] and [`Records`] views number them).
    pub fn focus_on(&mut self, i: usize, focus: Focus) -> Option<Focused> {
        let (corpus, graph, at) = self.query_file()?.focus_on(i, focus)?;
        Some(Focused { decisions: Decisions { corpus, graph, pending: None }, at })
    }
}

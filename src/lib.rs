//! adrgraph turns a tree of Architecture Decision Records into a structured decision knowledge
//! graph.
//!
//! The library is what the `adrgraph` binary is built on; each stage can be used alone:
//!
//! ```text
//! files --ingest--> Corpus { adrs: Vec<Adr>, skipped, diagnostics }
//!        (rayon: read + parse::parse_bytes per file, in parallel, output in path order)
//!       --graph_of--> DecisionGraph --query--> Walk (impact, deps) / Chain / path / options
//! ```
//!
//! - [`parse`] reads one file of any dialect into an [`Adr`] (the accepted grammar is in its docs).
//! - [`ingest`](mod@ingest) finds the ADR files under one or more roots and parses them in parallel.
//! - [`graph`] builds the petgraph knowledge graph of decisions, options, people and tags, and
//!   resolves every link ([`graph_of`] does it for a whole corpus).
//! - [`query`] answers impact, dependency, supersession-chain, path and option questions.
//! - [`model`] holds the data types; their JSON form is documented in `docs/json.md`.
//!
//! ```no_run
//! use adrgraph::ingest::{ingest, IngestOptions};
//! let corpus = ingest(&IngestOptions::new(["data"])).expect("root exists");
//! for adr in &corpus.adrs {
//!     println!("{} {} {}", adr.id, adr.status, adr.display_title());
//! }
//! ```

#![warn(missing_docs)]

pub mod author;
pub mod config;
pub mod delta;
pub mod error;
pub mod escape;
#[cfg(feature = "git")]
pub mod git;
pub mod governs;
pub mod graph;
pub mod ingest;
pub mod lint;
pub mod model;
pub mod names;
pub mod on_date;
pub mod output;
pub mod parse;
pub mod query;
pub mod render;
pub mod search;
pub(crate) mod snapshot;
pub mod stats;
pub(crate) mod stem;
pub mod store;
pub mod threads;
#[cfg(feature = "web")]
pub mod web;
pub mod write;

/// Below this many decisions, steps that can run on every core run on one: starting the thread
/// pool and handing out work cost more than they save (a focused impact or chain question
/// builds the graph of a few hundred decisions, within a few milliseconds of start-up).
pub(crate) const PARALLEL_FROM: usize = 2048;

pub use error::{Error, Result};
pub use graph::{DecisionGraph, EdgeKind, GraphOptions};
pub use ingest::{ingest, Corpus, IngestOptions};
pub use model::{
    Adr, Consequences, ConsideredOption, Date, DateSource, DecisionIndex, Diagnostic, Dialect, Link,
    LinkKind, LinkSource, Outcome, Phase, Section, Severity, Status, StatusChange,
};
pub use parse::{parse_adr, Parsed};

/// Build the knowledge graph of an ingested corpus, telling links to its non-decision files
/// (READMEs, templates) apart from broken ones.
pub fn graph_of(corpus: &Corpus) -> DecisionGraph {
    DecisionGraph::build(&corpus.adrs, &GraphOptions::of(corpus))
}

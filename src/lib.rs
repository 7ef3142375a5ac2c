//! adrgraph turns a tree of Architecture Decision Records into a structured decision knowledge
//! graph.
//!
//! The library is what the `adrgraph` binary is built on; each stage can be used alone:
//!
//! ```text
//! files --ingest--> Corpus { adrs: Vec<Adr>, skipped, diagnostics }
//!        (rayon: read + parse::parse_bytes per file, in parallel, output in path order)
//! ```
//!
//! - [`parse`] reads one file of any dialect into an [`Adr`] (see `FORMATS.md`).
//! - [`ingest`] finds the ADR files under one or more roots and parses them in parallel.
//! - [`model`] holds the data types; their JSON form is documented in `docs/json.md`.
//!
//! ```no_run
//! use adrgraph::ingest::{ingest, IngestOptions};
//! let corpus = ingest(&IngestOptions::new(["data"])).expect("root exists");
//! for adr in &corpus.adrs {
//!     println!("{} {} {}", adr.id, adr.status, adr.display_title());
//! }
//! ```

pub mod error;
pub mod ingest;
pub mod model;
pub mod output;
pub mod parse;
pub mod stats;

pub use error::{Error, Result};
pub use ingest::{ingest, Corpus, IngestOptions};
pub use model::{
    Adr, Consequences, ConsideredOption, Date, DateSource, Diagnostic, Dialect, Link, LinkKind, LinkSource,
    Outcome, Phase, Section, Severity, Status, StatusChange,
};
pub use parse::{parse_adr, Parsed};

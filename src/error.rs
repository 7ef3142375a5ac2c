//! The library's error type. Per-file problems are never errors: they are
//! [`Diagnostic`](crate::Diagnostic)s and the run goes on. An [`Error`] stops the command.

use std::path::PathBuf;

/// Everything that can stop a library call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No root was given and none could be discovered.
    #[error("no ADR folder found from {start}\n  looked for: {tried}")]
    NoRoot {
        /// Where discovery started.
        start: String,
        /// What was looked for, in order.
        tried: String,
    },
    /// A root that does not exist or is not a folder.
    #[error("root `{0}` is not a folder (does it exist?)")]
    BadRoot(String),
    /// No decision matches a name given on the command line.
    #[error("no decision matches `{name}`{hint}")]
    NotFound {
        /// The name as given.
        name: String,
        /// A suggestion, starting with a newline, or empty.
        hint: String,
    },
    /// A name matches several decisions.
    #[error("`{name}` matches {} decisions:\n{}\n  hint: name one by id or path", candidates.len(), candidates.iter().map(|c| format!("  - {c}")).collect::<Vec<_>>().join("\n"))]
    Ambiguous {
        /// The name as given.
        name: String,
        /// `id (path)` of each candidate.
        candidates: Vec<String>,
    },
    /// An I/O error on a path that the command needs (not a file of the tree).
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A word that names none of the values it may take (a status, an edge kind, a lint level).
    #[error("unknown {what} `{value}` (expected {expected})")]
    Unknown {
        /// What was named: `status`, `edge kind`, `level`.
        what: &'static str,
        /// The word as given.
        value: String,
        /// The values it may take, in words.
        expected: String,
    },
    /// A configuration (`adrgraph.toml`) that cannot be used; the message names the line or key.
    #[error("{0}")]
    Config(String),
    /// The web server could not start or stopped on an error (a port in use, no watcher).
    #[error("{0}")]
    Serve(String),
    /// A file of the tree was not written: refused, or removed again after it read back wrong.
    #[error("{}: {reason}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A search query that cannot run.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A drawing Graphviz could not make.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Why a query could not run.
#[derive(Debug, thiserror::Error)]
#[error("invalid query `{query}`: {message}")]
pub struct QueryError {
    /// The query.
    pub query: String,
    /// What is wrong.
    pub message: String,
}

/// Why rendering with Graphviz failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// `dot` is not installed.
    #[error("Graphviz's `dot` was not found on PATH; install it (Debian/Ubuntu: `apt-get install graphviz`, macOS: `brew install graphviz`) or choose a text format: dot, mermaid, json, graphml")]
    NoGraphviz,
    /// `dot` failed.
    #[error("Graphviz failed: {0}")]
    Graphviz(String),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! The web view: `adrgraph serve` (a read-only server for the team, live as the tree changes)
//! and `adrgraph site` (the same pages as static files with a search that runs in the
//! browser). A stage after `output`: every page and API answer is built from the library's own
//! calls on one [`Snapshot`] of the tree, the same calls the command line makes.
//!
//! ```text
//! Source --Snapshot::read (store refresh, records, index, graph, lint)--> Shared (Arc swap)
//!    │                                    ▲                                   │
//!    └── live::watch (notify) ────────────┘ replace + `reload` event          ├─ pages (maud HTML)
//!                                                                            ├─ api (JSON = --json)
//!                                                                            └─ site::write (files)
//! ```

mod api;
mod decision;
mod graph_page;
mod links;
mod live;
mod log;
mod pages;
mod search_page;
mod server;
mod site;
mod state;

pub use graph_page::{Drawing, GraphAsked, WHOLE_LIMIT};
pub use links::{file_name, Links};
pub use log::{LogFilter, PAGE_SIZE};
pub use server::{router, serve, HostPolicy, PastReader, ServeOptions, CSP, PAST_KEPT};
pub use site::{write_site, SiteReport};
pub use state::{folder_of, Facets, Revision, Shared, Snapshot, Source};

/// The style sheet every page links (light and dark, following the system).
pub const STYLE: &str = include_str!("assets/style.css");

/// The script every page links: as-you-type search, live reload, filters submitted on change,
/// pan and zoom of the graph, and the static site's search.
pub const SCRIPT: &str = include_str!("assets/app.js");

/// The Content-Security-Policy a static site's pages carry in a `<meta>` tag (no
/// `frame-ancestors` or reporting there: a meta policy cannot set them).
pub const SITE_CSP: &str =
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'";

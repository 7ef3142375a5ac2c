//! The one integration-test binary: CLI tests, golden parser tests and corpus tests share it so
//! the crate is linked once.

mod at;
mod author;
mod browser;
mod cli;
mod consistency;
mod corpora;
mod corpus;
mod escape;
mod golden;
mod governs;
mod graph;
mod hostile;
mod layout;
mod lint;
mod mcp;
mod pr;
mod promises;
mod props;
mod recorded;
mod render;
mod search;
mod truth;
mod util;
mod web;

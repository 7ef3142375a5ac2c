//! `--at REV`: a read command answered for the tree as it was at a git revision. The roots are
//! read from the revision's objects ([`adrgraph::git::RevisionSource`]), never checked out, and
//! the answer names the commit: a first line in human output, an `at` object around the JSON.

use super::context::{answering_at, captured_json, stdout, Answered, Exit};
use super::{Cli, Command};
use anyhow::{bail, Result};
use std::io::Write;

/// Answer `cli`'s command at revision `spec`.
pub fn run(cli: &Cli, spec: &str, inner: impl FnOnce() -> Result<Exit>) -> Result<Exit> {
    let name = match &cli.command {
        Command::List(_) => "list",
        Command::Show(_) => "show",
        Command::Stats(_) => "stats",
        Command::Search(_) => "search",
        Command::Impact(_) => "impact",
        Command::Deps(_) => "deps",
        Command::Chain(_) => "chain",
        Command::Path(_) => "path",
        Command::Option(_) => "option",
        Command::Graph(_) => "graph",
        Command::Lint(a) if !a.fix => "lint",
        Command::Governs(a) if a.diff.is_none() && !a.staged => "governs",
        Command::Site(_) => "site",
        _ => bail!(
            "--at answers list, show, stats, search, impact, deps, chain, path, option, graph, lint, \
             governs PATH... and site (not yet check; serve answers `?at=REV` on every page, mcp tools take `at` themselves); a command \
             that writes always writes the work tree"
        ),
    };
    let cwd = std::env::current_dir()?;
    let tree = std::sync::Arc::new(adrgraph::git::RevisionTree::open(&cwd, spec)?);
    let at = tree.revision.clone();
    let (result, answered) = captured_json(|| answering_at(cli, tree, inner));
    let exit = match result {
        Ok(r) => r?,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let (json, bytes) = match answered {
        Answered::Value(v) => (Ok(v), Vec::new()),
        Answered::Bytes(bytes) => (serde_json::from_slice::<serde_json::Value>(&bytes), bytes),
    };
    // Through the command line's standard output, so that an answer asked from the MCP server
    // is captured as every answer is.
    let mut out = stdout(json.is_ok());
    match json {
        Ok(value) => {
            let wrapped = serde_json::json!({ "at": at, "result": value });
            super::context::write_json(&mut out, &wrapped)?;
        }
        Err(_) => {
            let line = format!(
                "at {} {} \"{}\" ({spec}): {name} as of that commit",
                &at.commit[..10.min(at.commit.len())],
                at.date,
                adrgraph::output::clean(&at.subject, false)
            );
            if matches!(&cli.command, Command::Graph(_)) {
                // A drawing's bytes stay what they are: the commit goes to stderr.
                eprintln!("{line}");
            } else {
                writeln!(out, "{line}")?;
            }
            out.write_all(&bytes)?;
        }
    }
    out.flush()?;
    Ok(exit)
}

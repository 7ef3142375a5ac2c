//! The `adrgraph` command line, one file per command, over the library's public API only:
//!
//! - [`args`]: the clap definitions (every command, option and help text);
//! - [`context`]: options from the command line and `adrgraph.toml`, the store with a
//!   spinner, warnings and diagnostics on stderr, standard output, exit codes ([`Exit`]);
//! - [`load`]: which view of the store each command reads (the store's own types);
//! - one module per command: [`list`], [`show`], [`stats`], [`queries`] (impact, deps, chain,
//!   path, option), [`graph`], [`search`] (search, index), [`lint`], [`author`] (new, init),
//!   [`web`] (serve, site), [`mcp`] (the MCP server, which runs the other commands in-process).

/// `eprintln!` through [`context::stderr`]: held with the answer while a command answers
/// ahead of the walk ([`ahead`]).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($crate::cli::context::stderr(), $($arg)*);
    }};
}

mod ahead;
pub mod args;
mod at;
mod author;
mod check;
mod context;
mod diff;
mod governs;
mod graph;
mod held;
mod history;
mod lint;
mod list;
mod load;
mod mcp;
pub mod pages;
mod queries;
mod revisions;
mod search;
mod show;
mod stats;
mod web;

pub use args::*;
pub use context::Exit;

use adrgraph::store::Focus;
use anyhow::Result;

/// Run the command `cli` names and give its exit code; an `Err` is exit 2, said on stderr.
pub fn run(cli: &Cli) -> Result<Exit> {
    context::new_command();
    match &cli.global.at {
        Some(spec) => at::run(cli, spec, || run_here(cli)),
        None => run_here(cli),
    }
}

/// [`run`] on the work tree (or, inside [`at::run`], on the revision it reads).
fn run_here(cli: &Cli) -> Result<Exit> {
    match &cli.command {
        Command::Lint(args) if args.explain.is_some() => {
            return lint::explain(args.explain.as_deref().unwrap_or_default());
        }
        // Generated from the argument definitions, so they never fall behind them (as ripgrep,
        // fd and just ship theirs).
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "adrgraph", &mut std::io::stdout().lock());
            return Ok(Exit::Ok);
        }
        Command::Init(args) => return author::init(cli, args),
        Command::Diff(args) => return diff::run(cli, args),
        Command::Mcp(args) => return mcp::run(cli, args),
        Command::New(args) if args.renumber.is_none() && author::no_folder_found(cli) => {
            return author::new_fresh(cli, args)
        }
        Command::Man => {
            let page = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            page.render(&mut std::io::stdout().lock())?;
            return Ok(Exit::Ok);
        }
        _ => {}
    }
    // The change `check` and `governs --diff` read from git, read while the tree is walked.
    let changes = governs::ChangesAhead::start(cli);
    ahead::run(cli, || answer(cli, changes.as_ref()))
}

/// Open the session and answer (the commands [`run_here`] did not answer by themselves).
fn answer(cli: &Cli, changes: Option<&governs::ChangesAhead>) -> Result<Exit> {
    let mut session = context::Session::open(cli)?;
    match &cli.command {
        Command::Search(args) => return search::run(&mut session, args),
        Command::Index(_) => return search::index(session),
        Command::New(args) => return author::new(&mut session, args),
        Command::Supersede(_) | Command::Link(_) | Command::Status(_) => return author::relate(&mut session),
        Command::Toc(args) => return author::toc(&mut session, args),
        Command::Renumber(args) => return author::renumber(&mut session, args),
        Command::Serve(args) => return web::serve(session, args),
        Command::Site(args) => return web::site(session, args),
        _ => {}
    }
    match &cli.command {
        Command::List(args) => list::run(&mut session, args),
        Command::Show(args) => show::run(&mut session, args),
        Command::Stats(args) => {
            let view = load::records(&mut session)?;
            stats::run(&session, args, view)
        }
        Command::Impact(args) => {
            let asked = load::focused(&mut session, &args.id, Focus::Impact(args.depth))?;
            queries::walk(&session, args, asked)
        }
        Command::Deps(args) => {
            let asked = load::focused(&mut session, &args.id, Focus::Deps(args.depth))?;
            queries::walk(&session, args, asked)
        }
        Command::Chain(args) => {
            let asked = load::focused(&mut session, &args.id, Focus::Chain)?;
            queries::chain(&session, args, asked)
        }
        Command::Path(args) => {
            let view = load::decisions(&mut session)?;
            queries::path(&session, args, view)
        }
        Command::Option(args) => {
            let view = load::records(&mut session)?;
            queries::option(&session, args, &view)
        }
        Command::Graph(args) => {
            let view = load::drawing(&mut session, args)?;
            graph::run(&session, args, view)
        }
        Command::Lint(args) if args.fix || args.history => {
            let view = load::records(&mut session)?;
            let exit = lint::run(&session, args, view.corpus());
            context::exiting(view);
            exit
        }
        // The rules read no long text: the outline is a fraction of the records to read.
        Command::Lint(args) => lint::run_outlined(&mut session, args),
        Command::Governs(args) if !governs::reads_records(&session) => {
            governs::run_outlined(&mut session, args, changes)
        }
        Command::Governs(args) => {
            let view = load::records(&mut session)?;
            let exit = governs::run(&mut session, args, &view, changes);
            context::exiting(view);
            exit
        }
        Command::History(args) => {
            let view = load::records(&mut session)?;
            history::run(&session, args, &view)
        }
        Command::Check(args) => check::run(&mut session, args, changes),
        Command::Search(_)
        | Command::Index(_)
        | Command::New(_)
        | Command::Init(_)
        | Command::Diff(_)
        | Command::Supersede(_)
        | Command::Link(_)
        | Command::Status(_)
        | Command::Toc(_)
        | Command::Renumber(_)
        | Command::Serve(_)
        | Command::Site(_)
        | Command::Completions(_)
        | Command::Mcp(_)
        | Command::Man => {
            unreachable!("answered above")
        }
    }
}

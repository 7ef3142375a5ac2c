//! The `adrgraph` binary: parse arguments, run one command, print, and exit with a code that
//! tells the truth (0 ok, 1 some files could not be read fully, 2 usage or fatal error).

mod cli;

use adrgraph::ingest::{discover, Corpus, IngestOptions};
use adrgraph::output::{self, ListRow};
use adrgraph::query;
use adrgraph::search::SearchOptions;
use adrgraph::snapshot::Focus;
use adrgraph::stats::Stats;
use adrgraph::store::{Store, StoreOptions};
use adrgraph::Severity;
use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, ColorWhen, Command, SortBy};
use petgraph::Direction;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: parsing and the store make millions of small allocations, on every thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The exit codes, as `--help` documents them: one place decides what each means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// The command did its job; an empty answer (no search hit, no matching option, no chain
    /// of links) is still an answer.
    Ok = 0,
    /// Lint findings at error level, or files that could not be read fully.
    Problems = 1,
    /// A usage error, an I/O error, or nothing to read.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

fn main() -> ExitCode {
    // `ADRGRAPH_STORE=""` means "no store set", as an unset variable does (clap would take the
    // empty value as a missing one). Nothing else runs yet, so the environment is ours to change.
    if std::env::var_os("ADRGRAPH_STORE").is_some_and(|v| v.is_empty()) {
        std::env::remove_var("ADRGRAPH_STORE");
    }
    let cli = Cli::parse();
    match cli.global.color {
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
        ColorWhen::Auto => {}
    }
    match run(&cli) {
        Ok(code) => code,
        Err(err) => {
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return Exit::Ok.into();
            }
            let mut stderr = anstream::stderr();
            let red = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())).bold();
            // The error and its causes, each said once (an I/O error often repeats its cause).
            let mut message = err.to_string();
            for cause in err.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    message = format!("{message}: {cause}");
                }
            }
            let _ = writeln!(stderr, "{red}error{red:#}: {message}");
            Exit::Usage.into()
        }
    }
}

fn ingest_options(cli: &Cli) -> Result<IngestOptions> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let (config, config_dir) = load_config(cli.global.config.as_deref())?;
    let relative = |p: PathBuf| -> PathBuf {
        p.strip_prefix(&cwd)
            .map(|r| if r.as_os_str().is_empty() { ".".into() } else { r.to_path_buf() })
            .unwrap_or(p)
    };
    let roots: Vec<PathBuf> = if !cli.global.root.is_empty() {
        cli.global.root.clone()
    } else if let (false, Some(dir)) = (config.roots.is_empty(), config_dir.as_ref()) {
        config.roots.iter().map(|r| relative(dir.join(r))).collect()
    } else {
        let found: Vec<PathBuf> = discover(&cwd)?.into_iter().map(relative).collect();
        // Say once which folder was picked, since nobody named it.
        static SAID: std::sync::Once = std::sync::Once::new();
        if !cli.global.quiet {
            SAID.call_once(|| {
                let names: Vec<String> = found.iter().map(|p| p.display().to_string()).collect();
                eprintln!("reading {} (found from here; --root to choose)", names.join(", "));
            });
        }
        found
    };
    // Each file is read once, however the roots overlap.
    let (roots, notes) = adrgraph::ingest::distinct_roots(&roots);
    static SAID: std::sync::Once = std::sync::Once::new();
    if !cli.global.quiet {
        SAID.call_once(|| notes.iter().for_each(|n| eprintln!("note: {n}")));
    }
    let mut opts = IngestOptions::new(roots);
    opts.respect_ignore = !cli.global.no_ignore;
    opts.exclude = config.exclude.clone();
    opts.vocabulary = config.vocabulary();
    Ok(opts)
}

/// Open the store (refreshing it unless --no-refresh), with a progress spinner on a terminal.
fn open_store(cli: &Cli, rebuild: bool) -> Result<Store> {
    use std::io::IsTerminal;
    let opts = ingest_options(cli)?;
    let bar = if std::io::stderr().is_terminal() && !cli.global.quiet {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} parsing ADRs: {pos} files ({per_sec})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let progress = |n: usize| {
        if n.is_multiple_of(64) {
            bar.set_position(n as u64);
        }
    };
    let store_opts = StoreOptions {
        dir: cli.global.store.clone(),
        refresh: !cli.global.no_refresh,
        rebuild,
        // Commands that search have the index fed while the tree is parsed.
        index: matches!(cli.command, Command::Index(_) | Command::Search(_)),
        required: matches!(cli.command, Command::Index(_)),
        on_wait: Some(|dir| {
            eprintln!("adrgraph: waiting for another adrgraph process to finish updating {}", dir.display())
        }),
    };
    let store = Store::open(&opts, &store_opts, &progress)?;
    bar.finish_and_clear();
    Ok(store)
}

/// Print diagnostics to stderr as the flags ask, and give the exit code they imply.
fn report(cli: &Cli, corpus: &Corpus) -> Result<ExitCode> {
    let errors = corpus.error_count();
    let mut stderr = anstream::stderr();
    if !cli.global.quiet {
        if cli.global.verbose {
            output::write_diagnostics(&mut stderr, corpus)?;
        } else {
            let only_errors = Corpus {
                diagnostics: corpus
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .cloned()
                    .collect(),
                ..Corpus::default()
            };
            output::write_diagnostics(&mut stderr, &only_errors)?;
            let others = corpus.diagnostics.len() - errors;
            if others > 0 {
                writeln!(stderr, "note: {others} warning(s) and note(s) not shown; add -v to see them")?;
            }
        }
    }
    Ok(if errors > 0 { Exit::Problems.into() } else { Exit::Ok.into() })
}

fn run(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Lint(args) if args.explain.is_some() => {
            return explain(args.explain.as_deref().unwrap_or_default());
        }
        // Generated from the argument definitions, so they never fall behind them (as ripgrep,
        // fd and just ship theirs).
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "adrgraph", &mut std::io::stdout().lock());
            return Ok(Exit::Ok.into());
        }
        Command::Man => {
            let page = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            page.render(&mut std::io::stdout().lock())?;
            return Ok(Exit::Ok.into());
        }
        _ => {}
    }
    let mut store = open_store(cli, matches!(&cli.command, Command::Index(a) if a.rebuild))?;
    // Nothing to read is exit 2 for every command but `stats`, which says what was seen
    // instead. Checked on what each command loads anyway: counting the decisions up front would
    // decode the whole manifest (10 ms at 100,000 decisions) for questions that never read it.
    let nothing_to_read = || -> Result<ExitCode> {
        let roots: Vec<String> = ingest_options(cli)?.roots.iter().map(|r| r.display().to_string()).collect();
        anyhow::bail!(
            "nothing to read: no decision records under {} (`adrgraph stats` lists the files seen and why each was skipped)",
            roots.join(", ")
        )
    };
    let warn = |store: &Store, from: usize| {
        if !cli.global.quiet {
            // `index` fails on a store it cannot write, and says so once, as its error.
            let failing = matches!(cli.command, Command::Index(_)).then(|| store.unwritten()).flatten();
            for w in store.warnings.iter().skip(from).filter(|w| Some(w.as_str()) != failing) {
                eprintln!("warning: {w}");
            }
        }
    };
    warn(&store, 0);
    let shown = store.warnings.len();
    // Search answers from the index alone: the records are read only if the index is behind.
    if let Command::Search(args) = &cli.command {
        let index = match store.sync_index() {
            Ok(index) => index,
            // The store cannot take the index (a full disk, a read-only folder): answer from
            // an index built in memory, and say so.
            Err(e @ adrgraph::Error::Io { .. }) => {
                store.warnings.push(format!("cannot update the full-text index ({e}); searching in memory"));
                let corpus = store.corpus()?;
                adrgraph::search::index_in_memory(&corpus)?
            }
            Err(e) => return Err(e.into()),
        };
        warn(&store, shown);
        if index.is_empty() {
            return nothing_to_read();
        }
        // A search that panics inside tantivy (a damaged segment the reader did not notice) is
        // answered again from a rebuilt index.
        // A search that panics inside tantivy, or finds its data corrupt (a damaged segment the
        // reader did not notice), is answered again from a rebuilt index.
        let answered = match adrgraph::search::quietly(|| search(cli, args, &index)) {
            Ok(Err(e)) if e.to_string().contains("orrupt") => {
                let index = store.rebuild_index(&e.to_string())?;
                warn(&store, shown);
                search(cli, args, &index)
            }
            Ok(a) => a,
            Err(panic) => {
                let index = store.rebuild_index(&panic)?;
                warn(&store, shown);
                search(cli, args, &index)
            }
        };
        // Unmapping the index's files one by one took a tenth of a search's time.
        exiting(index);
        return answered;
    }
    if let Command::Index(_) = &cli.command {
        // The index's own error names the cause best (a full disk); else the store's.
        let index = store.sync_index()?;
        if let Some(why) = store.unwritten() {
            anyhow::bail!("{why}");
        }
        if store.decisions()? == 0 {
            return nothing_to_read();
        }
        warn(&store, shown);
        let reported = report_index(cli, &mut store, &index);
        // A refreshed store holds 100,000 paths: freeing them one by one is not worth waiting for.
        exiting((store, index));
        return reported;
    }
    // Listing, queries and graphs read the graph snapshot: no long texts, far less to load.
    let snapshot_is_enough = matches!(
        &cli.command,
        Command::List(_)
            | Command::Impact(_)
            | Command::Deps(_)
            | Command::Chain(_)
            | Command::Path(_)
            | Command::Graph(_)
    );
    // Impact, dependencies, chains and paths read the query snapshot: the graph comes built.
    let queries = match &cli.command {
        Command::Impact(_) | Command::Deps(_) | Command::Chain(_) | Command::Path(_) => true,
        // A graph without option nodes needs only decisions and the links between them.
        Command::Graph(args) => {
            let option_edges = |k: &adrgraph::EdgeKind| {
                use adrgraph::EdgeKind as K;
                matches!(k, K::Considers | K::Chooses | K::DecidedBy | K::Tagged)
            };
            let wants_options =
                args.edges.iter().any(option_edges) || (args.edges.is_empty() && args.options);
            !wants_options
        }
        _ => false,
    };
    // Impact, dependencies and chains of a decision named by id, path or number read only the
    // part of the query snapshot they reach.
    let focus = match &cli.command {
        Command::Impact(a) => Some((a.id.as_str(), Focus::Impact(a.depth))),
        Command::Deps(a) => Some((a.id.as_str(), Focus::Deps(a.depth))),
        Command::Chain(a) => Some((a.id.as_str(), Focus::Chain)),
        _ => None,
    };
    let cwd = std::env::current_dir()?;
    let focused = focus.and_then(|(name, f)| store.focus_corpus(name, &cwd, f));
    let focus_at = focused.as_ref().map(|(_, _, at)| *at);
    // A query snapshot built now is written beside the drawing of a graph, else right away.
    let mut query_write = None;
    let (mut corpus, mut prebuilt) = if let Some((c, g, _)) = focused {
        (c, Some(g))
    } else if queries {
        let (c, g, write) = store.query_corpus_unsaved()?;
        query_write = write;
        (c, Some(g))
    } else if snapshot_is_enough {
        (store.graph_corpus()?, None)
    } else {
        (store.corpus()?, None)
    };
    warn(&store, shown);
    if corpus.adrs.is_empty() && !matches!(cli.command, Command::Stats(_)) {
        return nothing_to_read();
    }
    if !matches!(cli.command, Command::Graph(_)) {
        if let (Some(w), Some(g)) = (query_write.take(), prebuilt.as_ref()) {
            w.write(&corpus, g);
        }
    }
    let mut out = stdout(cli.global.json);
    match &cli.command {
        Command::List(args) => {
            let mut adrs: Vec<&adrgraph::Adr> = corpus
                .adrs
                .iter()
                .filter(|a| args.status.is_empty() || args.status.contains(&a.status))
                .collect();
            match args.sort {
                SortBy::Path => {}
                SortBy::Date => adrs.sort_by_key(|a| (a.date.is_none(), a.date)),
                SortBy::Number => adrs.sort_by_key(|a| (a.number.is_none(), a.number)),
                SortBy::Id => adrs.sort_by(|a, b| a.id.cmp(&b.id)),
            }
            if cli.global.json {
                let rows: Vec<ListRow<'_>> = adrs.iter().map(|a| ListRow::from(*a)).collect();
                output::write_json(&mut out, &rows)?;
            } else {
                output::write_list(&mut out, &adrs)?;
                // Files not read as decisions are never dropped silently.
                let markdown = corpus.skipped.iter().filter(|s| {
                    !matches!(
                        s.reason,
                        adrgraph::ingest::SkipReason::NotMarkdown | adrgraph::ingest::SkipReason::Metadata
                    )
                });
                let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
                for s in markdown {
                    *counts.entry(s.reason.as_str()).or_default() += 1;
                }
                let total: usize = counts.values().sum();
                if total > 0 && !cli.global.quiet {
                    let parts: Vec<String> = counts.iter().map(|(r, n)| format!("{r} {n}")).collect();
                    eprintln!(
                        "note: {total} markdown file(s) not read as decisions ({}); `adrgraph stats` lists them",
                        parts.join(", ")
                    );
                }
            }
        }
        Command::Show(args) => {
            let idx = corpus.find_index(&args.id, &cwd)?;
            let adr = &corpus.adrs[idx];
            let graph = adrgraph::graph_of(&corpus);
            let edges = query::edges_of(&graph, &corpus.adrs, idx);
            if cli.global.json {
                #[derive(serde::Serialize)]
                struct WithEdges<'a> {
                    #[serde(flatten)]
                    adr: &'a adrgraph::Adr,
                    edges: EdgesJson<'a>,
                }
                #[derive(serde::Serialize)]
                struct EdgesJson<'a> {
                    outgoing: Vec<&'a query::Step>,
                    incoming: Vec<&'a query::Step>,
                }
                let pick = |d: Direction| edges.iter().filter(|(x, _)| *x == d).map(|(_, s)| s).collect();
                let v = WithEdges {
                    adr,
                    edges: EdgesJson {
                        outgoing: pick(Direction::Outgoing),
                        incoming: pick(Direction::Incoming),
                    },
                };
                output::write_json(&mut out, &v)?;
            } else {
                output::write_show(&mut out, adr)?;
                output::write_edges(&mut out, &edges)?;
            }
            // Only the diagnostics of this file matter here, its broken links included.
            let mut own = Corpus {
                diagnostics: corpus.diagnostics.iter().filter(|d| d.path == adr.path).cloned().collect(),
                ..Corpus::default()
            };
            own.diagnostics
                .extend(graph.diagnostics(&corpus.adrs).into_iter().filter(|d| d.path == adr.path));
            out.flush()?;
            return report(cli, &own);
        }
        Command::Stats(args) => {
            // Broken and ambiguous links are diagnostics too.
            let g = adrgraph::graph_of(&corpus);
            let graph = g.stats(&corpus.adrs);
            let link_diags = g.diagnostics(&corpus.adrs);
            corpus.diagnostics.extend(link_diags);
            corpus.diagnostics.sort();
            let stats = Stats::of(&corpus);
            if cli.global.json {
                #[derive(serde::Serialize)]
                struct WithDiags<'a> {
                    #[serde(flatten)]
                    stats: &'a Stats,
                    graph: &'a adrgraph::graph::GraphStats,
                    refresh: &'a adrgraph::store::RefreshReport,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    diagnostic_list: Option<&'a [adrgraph::Diagnostic]>,
                    skipped_files: &'a [adrgraph::ingest::Skipped],
                }
                let v = WithDiags {
                    stats: &stats,
                    graph: &graph,
                    refresh: &store.report,
                    diagnostic_list: args.diagnostics.then_some(corpus.diagnostics.as_slice()),
                    skipped_files: &corpus.skipped,
                };
                output::write_json(&mut out, &v)?;
            } else {
                output::write_stats(&mut out, &stats)?;
                output::write_skipped(&mut out, &corpus.skipped)?;
                output::write_graph_stats(&mut out, &graph)?;
                if args.diagnostics {
                    writeln!(out)?;
                    output::write_diagnostics(&mut out, &corpus)?;
                }
            }
            if args.diagnostics {
                // Said once, on stdout: no note on stderr about what was just printed.
                out.flush()?;
                return Ok(if corpus.error_count() > 0 { Exit::Problems } else { Exit::Ok }.into());
            }
        }
        Command::Impact(args) | Command::Deps(args) => {
            let idx = match focus_at {
                Some(at) => at,
                None => corpus.find_index(&args.id, &cwd)?,
            };
            let graph = prebuilt.take().unwrap_or_else(|| adrgraph::graph_of(&corpus));
            let is_impact = matches!(cli.command, Command::Impact(_));
            let walk = if is_impact {
                query::impact(&graph, &corpus.adrs, idx, args.depth)
            } else {
                query::deps(&graph, &corpus.adrs, idx, args.depth)
            };
            if cli.global.json {
                output::write_json(&mut out, &walk)?;
            } else {
                output::write_walk(&mut out, &walk, if is_impact { "Impact of" } else { "Dependencies of" })?;
            }
        }
        Command::Chain(args) => {
            let idx = match focus_at {
                Some(at) => at,
                None => corpus.find_index(&args.id, &cwd)?,
            };
            let graph = prebuilt.take().unwrap_or_else(|| adrgraph::graph_of(&corpus));
            let chain = query::chain(&graph, &corpus.adrs, idx);
            if cli.global.json {
                output::write_json(&mut out, &chain)?;
            } else {
                output::write_chain(&mut out, &chain)?;
            }
        }
        Command::Path(args) => {
            let a = corpus.find_index(&args.from, &cwd)?;
            let b = corpus.find_index(&args.to, &cwd)?;
            let graph = prebuilt.take().unwrap_or_else(|| adrgraph::graph_of(&corpus));
            let steps = query::path(&graph, &corpus.adrs, a, b);
            if cli.global.json {
                output::write_json(&mut out, &steps)?;
            } else {
                match &steps {
                    Some(s) => output::write_path(&mut out, s)?,
                    None => writeln!(
                        out,
                        "no chain of links between {} and {}",
                        corpus.adrs[a].id, corpus.adrs[b].id
                    )?,
                }
            }
        }
        Command::Index(_) => unreachable!("index returned above"),
        Command::Search(_) => unreachable!("search returned above"),
        Command::Lint(args) => {
            drop(out);
            return lint(cli, args, &corpus);
        }
        Command::Graph(args) => {
            // Raw stdout: anstream would strip escape bytes out of PNG and PDF data.
            drop(out);
            let graph = prebuilt.take();
            std::thread::scope(|s| {
                if let (Some(w), Some(g)) = (query_write.as_ref(), graph.as_ref()) {
                    s.spawn(|| w.write(&corpus, g));
                }
                draw(cli, args, &corpus, graph.as_ref())
            })?;
            let code = report(cli, &corpus);
            exiting(corpus);
            return code;
        }
        // Answered before the store is opened.
        Command::Completions(_) | Command::Man => {}
        Command::Option(args) => {
            let graph = adrgraph::graph_of(&corpus);
            let name = args.name.join(" ");
            let reports = query::option_usage(&graph, &corpus.adrs, &name);
            if cli.global.json {
                output::write_json(&mut out, &reports)?;
            } else if reports.is_empty() {
                writeln!(out, "no considered option matches `{name}`")?;
            } else {
                output::write_options(&mut out, &reports)?;
            }
        }
    }
    out.flush()?;
    report(cli, &corpus)
}

fn draw(
    cli: &Cli,
    args: &cli::GraphArgs,
    corpus: &Corpus,
    prebuilt: Option<&adrgraph::DecisionGraph>,
) -> Result<()> {
    use adrgraph::render::{self, Format, Layout, RenderOptions};
    use anyhow::bail;
    use std::io::IsTerminal;
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(path)) if path != "-" => match Format::from_path(path) {
            Some(f) => f,
            None => bail!("cannot tell the format from `{path}`: give --format (dot, svg, png, pdf, mermaid, json, graphml)"),
        },
        (None, _) if cli.global.json => Format::Json,
        (None, _) => Format::Dot,
    };
    let to_stdout = args.output.as_deref().is_none_or(|p| p == "-");
    if format.is_binary() && to_stdout && std::io::stdout().is_terminal() {
        bail!("{format:?} is binary: not writing it to a terminal; give -o FILE");
    }
    let cwd = std::env::current_dir()?;
    let built;
    let graph = match prebuilt {
        Some(g) => g,
        None => {
            built = adrgraph::graph_of(corpus);
            &built
        }
    };
    let focus = args.focus.as_deref().map(|f| corpus.find_index(f, &cwd)).transpose()?;
    let opts = RenderOptions {
        focus,
        depth: Some(args.depth),
        statuses: args.status.clone(),
        edges: args.edges.clone(),
        options: args.options,
        rank_by: args.rank,
        working_dir: cwd.clone(),
        link_base: if to_stdout {
            None
        } else {
            args.output
                .as_deref()
                .map(|o| std::path::Path::new(o).parent().unwrap_or(std::path::Path::new("")).to_path_buf())
        },
    };
    let view = render::select(graph, &corpus.adrs, &opts);
    let layout = args.layout.unwrap_or_else(|| Layout::for_size(view.nodes.len()));
    let bytes: Vec<u8> = match format {
        Format::Dot => render::to_dot(&view, &opts, layout).into_bytes(),
        Format::Mermaid => render::to_mermaid(&view).into_bytes(),
        Format::Json => output::json_bytes(&render::to_json(&view))?,
        Format::Graphml => render::to_graphml(&view).into_bytes(),
        Format::Svg | Format::Png | Format::Pdf => {
            if std::io::stderr().is_terminal() && !cli.global.quiet {
                eprintln!(
                    "rendering {} nodes and {} edges with {}...",
                    view.nodes.len(),
                    view.edges.len(),
                    layout.as_str()
                );
            }
            render::render_graphviz(&render::to_dot(&view, &opts, layout), format, layout)?
        }
    };
    match args.output.as_deref() {
        Some(path) if path != "-" => {
            std::fs::write(path, &bytes).with_context(|| format!("cannot write {path}"))?;
            if !cli.global.quiet {
                eprintln!(
                    "wrote {path} ({} decisions, {} edges, {} bytes)",
                    view.decisions(),
                    view.edges.len(),
                    bytes.len()
                );
            }
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    exiting((view, graph, bytes));
    Ok(())
}

/// Leave `value` to the end of the process instead of freeing it piece by piece: the
/// command is answered, and freeing 100,000 records or a large graph took longer than
/// writing the answer.
fn exiting<T>(value: T) {
    std::mem::forget(value);
}

fn search(cli: &Cli, args: &cli::SearchArgs, index: &adrgraph::search::SearchIndex) -> Result<ExitCode> {
    let opts = SearchOptions {
        statuses: args.status.clone(),
        since: args.since,
        until: args.until,
        decider: args.decider.clone(),
        tag: args.tag.clone(),
        folder: args.folder.clone(),
        limit: Some(args.limit),
    };
    let query = args.query.join(" ");
    let result = index.search(&query, &opts)?;
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        output::write_json(&mut out, &result)?;
    } else {
        output::write_hits(&mut out, &result)?;
    }
    out.flush()?;
    // No hit is an answer too (exit 0, as for every question); the message says it on stderr.
    if result.hits.is_empty() && !cli.global.json && !cli.global.quiet {
        eprintln!("no decision matches `{}`", args.query.join(" "));
    }
    Ok(Exit::Ok.into())
}

fn report_index(cli: &Cli, store: &mut Store, index: &adrgraph::search::SearchIndex) -> Result<ExitCode> {
    let decisions = store.decisions()?;
    let r = &store.report;
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        #[derive(serde::Serialize)]
        struct IndexJson<'a> {
            #[serde(flatten)]
            report: &'a adrgraph::store::RefreshReport,
            decisions: usize,
            documents: u64,
        }
        output::write_json(&mut out, &IndexJson { report: r, decisions, documents: index.len() })?;
    } else {
        writeln!(
            out,
            "{} decisions; parsed {}, reused {}, removed {}; full-text index: {} added or updated, {} removed, {} documents",
            decisions,
            r.parsed,
            r.reused,
            r.removed,
            r.indexed,
            r.unindexed,
            index.len()
        )?;
        if let Some(dir) = store.dir() {
            writeln!(out, "store: {}", dir.display())?;
        }
    }
    out.flush()?;
    Ok(Exit::Ok.into())
}

fn explain(code: &str) -> Result<ExitCode> {
    use adrgraph::lint::RULES;
    let mut out = stdout(false);
    if code.is_empty() {
        for r in RULES {
            writeln!(out, "{:<26} {:<8} {}", r.code, r.level.as_str(), r.summary)?;
        }
        return Ok(Exit::Ok.into());
    }
    match adrgraph::lint::rule(code) {
        Some(r) => {
            writeln!(out, "{} ({} by default): {}\n\n{}", r.code, r.level.as_str(), r.summary, r.explain)?;
            Ok(Exit::Ok.into())
        }
        None => anyhow::bail!("no rule `{code}`; `adrgraph lint --explain` lists them"),
    }
}

/// The configuration file: the one given, else `adrgraph.toml` here or in a parent folder;
/// with the folder it is in.
fn load_config(path: Option<&std::path::Path>) -> Result<(adrgraph::config::ConfigFile, Option<PathBuf>)> {
    let found = match path {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let cwd = std::env::current_dir()?;
            cwd.ancestors().map(|d| d.join("adrgraph.toml")).find(|p| p.is_file())
        }
    };
    let Some(p) = found else { return Ok((adrgraph::config::ConfigFile::default(), None)) };
    let text = std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
    let cfg =
        adrgraph::config::ConfigFile::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
    let dir = p.parent().map(|d| if d.as_os_str().is_empty() { PathBuf::from(".") } else { d.to_path_buf() });
    Ok((cfg, dir))
}

fn lint(cli: &Cli, args: &cli::LintArgs, corpus: &Corpus) -> Result<ExitCode> {
    use adrgraph::lint::{self as l, Level};
    let (config, _) = load_config(cli.global.config.as_deref())?;
    let mut cfg = config.lint_config();
    if let Some(t) = args.today {
        cfg.today = t;
    }
    let graph = adrgraph::graph_of(corpus);
    let mut findings = l::lint(corpus, &graph, &cfg);
    if args.fix {
        let fixed = fix(cli, corpus, &graph, &findings, args.dry_run)?;
        if fixed > 0 {
            // Lint again what the fixes left.
            let fresh = adrgraph::ingest::ingest(&ingest_options(cli)?)?;
            let graph = adrgraph::graph_of(&fresh);
            findings = l::lint(&fresh, &graph, &cfg);
        }
    }
    // Source lines, read through the same guarded, capped reader as ingest and counted as the
    // parser counts them (a lone CR ends a line too).
    let mut lines = adrgraph::ingest::SourceLines::new(ingest_options(cli)?.max_file_size);
    let mut source = |path: &str, line: u32| lines.line(path, line);
    l::place_columns(&mut findings, &mut source);
    findings.sort();
    let mut out = stdout(cli.global.json);
    let format = if cli.global.json { cli::LintFormat::Json } else { args.format };
    match format {
        cli::LintFormat::Human => output::write_findings(&mut out, &findings, &mut source)?,
        cli::LintFormat::Json => {
            let count = |lv: Level| findings.iter().filter(|f| f.level == lv).count();
            let v = serde_json::json!({
                "findings": findings,
                "errors": count(Level::Error),
                "warnings": count(Level::Warning),
                "notes": count(Level::Note),
            });
            output::write_json(&mut out, &v)?;
        }
        cli::LintFormat::Github => output::write_github(&mut out, &findings)?,
        cli::LintFormat::Sarif => output::write_json(&mut out, &output::sarif(&findings))?,
    }
    out.flush()?;
    Ok(if l::errors(&findings) > 0 { Exit::Problems.into() } else { Exit::Ok.into() })
}

/// Apply the safe fixes ([`adrgraph::lint::fixes`]) through the audited writer
/// ([`adrgraph::write::apply`]), printing the diff of each on stderr first (cleaned of terminal
/// controls, like all human output) and what became of it. Returns the number of files changed.
fn fix(
    cli: &Cli,
    corpus: &Corpus,
    graph: &adrgraph::DecisionGraph,
    findings: &[adrgraph::lint::Finding],
    dry_run: bool,
) -> Result<usize> {
    use adrgraph::write::Applied;
    let mut stderr = anstream::stderr();
    let max = ingest_options(cli)?.max_file_size;
    let mut lines = adrgraph::ingest::SourceLines::new(max);
    let mut source = |path: &str, line: u32| lines.line(path, line);
    let (fixes, not_fixed) = adrgraph::lint::fixes(corpus, graph, findings, &mut source);
    for (path, line, why) in &not_fixed {
        writeln!(stderr, "{}:{line}: not fixed: {}", output::clean(path, false), output::clean(why, false))?;
    }
    let mut by_file: std::collections::BTreeMap<&str, Vec<adrgraph::write::Fix>> = Default::default();
    for f in &fixes {
        by_file.entry(f.path.as_str()).or_default().push(f.clone());
    }
    let mut changed = 0;
    for (path, edits) in by_file {
        let shown = output::clean(path, false);
        writeln!(stderr, "--- {shown}\n+++ {shown}")?;
        for e in &edits {
            writeln!(
                stderr,
                "@@ -{} +{} @@\n-{}\n+{}",
                e.line,
                e.line,
                output::clean(&e.old, false),
                output::clean(&e.new, false)
            )?;
        }
        if dry_run {
            continue;
        }
        let Some(adr) = corpus.adrs.iter().find(|a| a.path == path) else { continue };
        let must_be_superseded = |a: &adrgraph::Adr| {
            if a.status == adrgraph::Status::Superseded {
                Ok(())
            } else {
                Err(format!("its status would read `{}`, not superseded", a.status))
            }
        };
        match adrgraph::write::apply(&edits, &adr.rel_path, max, &must_be_superseded) {
            Applied::Written { .. } => changed += 1,
            Applied::Refused { reason, .. } => {
                writeln!(stderr, "{shown}: not fixed: {}", output::clean(&reason, false))?
            }
            Applied::RolledBack { reason, .. } => writeln!(
                stderr,
                "{shown}: written, then put back as it was: {}",
                output::clean(&reason, false)
            )?,
        }
    }
    if dry_run {
        writeln!(stderr, "(dry run: nothing written)")?;
    }
    Ok(changed)
}

/// Standard output, buffered (a line-buffered stream made a system call per line of a large
/// answer): JSON raw, since it carries no control character; human text through anstream,
/// which strips the colours when they are off.
fn stdout(json: bool) -> Box<dyn Write> {
    let raw: Box<dyn Write> = Box::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()));
    if json {
        raw
    } else {
        Box::new(anstream::AutoStream::new(raw, anstream::AutoStream::choice(&std::io::stdout())))
    }
}

//! The `adrgraph` binary: parse arguments, run one command, print, and exit with a code that
//! tells the truth (0 ok, 1 some files could not be read fully, 2 usage or fatal error).

mod cli;

use adrgraph::ingest::{discover, ingest, Corpus, IngestOptions};
use adrgraph::output::{self, ListRow};
use adrgraph::stats::Stats;
use adrgraph::Severity;
use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, ColorWhen, Command, SortBy};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
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
                return ExitCode::SUCCESS;
            }
            let mut stderr = anstream::stderr();
            let red = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())).bold();
            let _ = writeln!(stderr, "{red}error{red:#}: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn load(cli: &Cli) -> Result<Corpus> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let roots = if cli.global.root.is_empty() {
        let found = discover(&cwd)?;
        found
            .into_iter()
            .map(|p| {
                p.strip_prefix(&cwd)
                    .map(|r| if r.as_os_str().is_empty() { ".".into() } else { r.to_path_buf() })
                    .unwrap_or(p)
            })
            .collect()
    } else {
        cli.global.root.clone()
    };
    let mut opts = IngestOptions::new(roots);
    opts.respect_ignore = !cli.global.no_ignore;
    Ok(ingest(&opts)?)
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
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn run(cli: &Cli) -> Result<ExitCode> {
    let corpus = load(cli)?;
    let mut out = anstream::stdout().lock();
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
            }
        }
        Command::Show(args) => {
            let cwd = std::env::current_dir()?;
            let adr = corpus.find(&args.id, &cwd)?;
            if cli.global.json {
                output::write_json(&mut out, adr)?;
            } else {
                output::write_show(&mut out, adr)?;
            }
            // Only the diagnostics of this file matter here.
            let own = Corpus {
                diagnostics: corpus.diagnostics.iter().filter(|d| d.path == adr.path).cloned().collect(),
                ..Corpus::default()
            };
            out.flush()?;
            return report(cli, &own);
        }
        Command::Stats(args) => {
            let stats = Stats::of(&corpus);
            if cli.global.json {
                #[derive(serde::Serialize)]
                struct WithDiags<'a> {
                    #[serde(flatten)]
                    stats: &'a Stats,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    diagnostic_list: Option<&'a [adrgraph::Diagnostic]>,
                    skipped_files: &'a [adrgraph::ingest::Skipped],
                }
                let v = WithDiags {
                    stats: &stats,
                    diagnostic_list: args.diagnostics.then_some(corpus.diagnostics.as_slice()),
                    skipped_files: &corpus.skipped,
                };
                output::write_json(&mut out, &v)?;
            } else {
                output::write_stats(&mut out, &stats)?;
                if args.diagnostics {
                    writeln!(out)?;
                    output::write_diagnostics(&mut out, &corpus)?;
                }
            }
        }
    }
    out.flush()?;
    report(cli, &corpus)
}

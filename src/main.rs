//! The `adrgraph` binary: parse arguments, run one command, print, and exit with a code that
//! tells the truth (0 ok, 1 some files could not be read fully, 2 usage or fatal error).

mod cli;

use clap::Parser;
use cli::{Cli, ColorWhen, Exit};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc: parsing and the store make millions of small allocations, on every thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    match cli::run(&cli) {
        Ok(exit) => exit.into(),
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

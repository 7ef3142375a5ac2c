//! The `adrgraph` binary: parse arguments, run one command, print, and exit with a code that
//! tells the truth (0 ok, 1 some files could not be read fully, 2 usage or fatal error).

mod cli;

use clap::Parser;
use cli::{Cli, ColorWhen, Exit};
use std::io::Write;

/// mimalloc: parsing and the store make millions of small allocations, on every thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Small pages from the first allocation on ([`cli::pages`]): the C runtime runs this before
/// Rust's runtime starts, whose first allocation (the main thread's name) would otherwise
/// clear a huge page (0.5 ms, 4.5% of a rich `impact` by perf).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SMALL_PAGES_FIRST: extern "C" fn() = {
    extern "C" fn small_pages_first() {
        cli::pages::small_first();
    }
    small_pages_first
};

fn main() {
    let code = exit_code();
    // Gone without the C library's exit handlers, which are the allocator's: it gathered every
    // page the threads had freed and handed them back to the system page by page (madvise),
    // 0.3 ms of a 7.5 ms `list` of 1,000 decisions, for a process whose memory the system
    // takes back whole. Rust's own output is flushed first, as its runtime does at exit.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: ends the process; nothing of it runs afterwards.
    unsafe { libc::_exit(i32::from(code)) }
}

/// Run the command line's command; the process's exit code.
fn exit_code() -> u8 {
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
        Ok(exit) => exit as u8,
        Err(err) => {
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return Exit::Ok as u8;
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
            Exit::Usage as u8
        }
    }
}

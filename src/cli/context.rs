//! What every command shares: the options read from the command line and `adrgraph.toml`, the
//! store opened with a progress spinner, the warnings and diagnostics on stderr, standard
//! output, and the exit codes.

use super::{Cli, Command};
use adrgraph::git::{RevisionSource, RevisionTree};
use adrgraph::ingest::{discover, Corpus, IngestOptions};
use adrgraph::output;
use adrgraph::store::{Store, StoreOptions};
use adrgraph::Severity;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The exit codes, as `--help` documents them: one place decides what each means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The command did its job; an empty answer (no search hit, no matching option, no chain
    /// of links) is still an answer.
    Ok = 0,
    /// Lint findings at error level, or files that could not be read fully.
    Problems = 1,
    /// A usage error, an I/O error, or nothing to read.
    Usage = 2,
}

impl Exit {
    /// `Problems` when there are any, else `Ok`.
    pub fn problems_if(any: bool) -> Exit {
        if any {
            Exit::Problems
        } else {
            Exit::Ok
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// The store a command reads, and how many of its warnings are on stderr already.
pub struct Session<'c> {
    /// The parsed command line.
    pub cli: &'c Cli,
    /// The store, refreshed unless `--no-refresh` (or, in a server, unless nothing changed).
    pub store: Store,
    /// Which records the store holds, for what a server keeps between commands
    /// ([`super::held::kept`]).
    pub key: super::held::Key,
    shown: usize,
    /// How many warnings the store had when opened: those after are what the command's reading
    /// met (a damaged file repaired), carried over when an answer given ahead is thrown away.
    opened: usize,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if super::ahead::holding() {
            super::ahead::carry(self.store.warnings.get(self.opened..).unwrap_or_default());
        }
    }
}

impl<'c> Session<'c> {
    /// Open the store for this command line and print its warnings.
    pub fn open(cli: &'c Cli) -> Result<Session<'c>> {
        let (store, settings) = open_keyed(cli, matches!(&cli.command, Command::Index(a) if a.rebuild))?;
        let key = super::held::key_of(&store, settings);
        let opened = store.warnings.len();
        let mut session = Session { cli, store, key, shown: 0, opened };
        session.warn();
        Ok(session)
    }

    /// Print the store's warnings not printed yet (`index` fails on a store it cannot write,
    /// and says so once, as its error).
    pub fn warn(&mut self) {
        if !self.cli.global.quiet {
            let failing =
                matches!(self.cli.command, Command::Index(_)).then(|| self.store.unwritten()).flatten();
            for w in self.store.warnings.iter().skip(self.shown).filter(|w| Some(w.as_str()) != failing) {
                say!("warning: {w}");
            }
        }
        self.shown = self.store.warnings.len();
    }

    /// The error of a tree with no decision records: exit 2 for every command but `stats`,
    /// which says what was seen instead.
    pub fn nothing_to_read(&self) -> anyhow::Error {
        match ingest_options(self.cli) {
            Ok(opts) => {
                let roots: Vec<String> = opts.roots.iter().map(|r| r.display().to_string()).collect();
                anyhow::anyhow!(
                    "nothing to read: no decision records under {} (`adrgraph stats` lists the files seen and why each was skipped)",
                    roots.join(", ")
                )
            }
            Err(e) => e,
        }
    }
}

/// The ingest options: roots from `--root`, else the configuration, else found from here.
pub fn ingest_options(cli: &Cli) -> Result<IngestOptions> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let (config, config_dir) = load_config(cli.global.config.as_deref())?;
    // A root shown from here: `doc/adr`, or `../doc/adr` from a subfolder (as adr-tools shows it).
    let relative = |p: PathBuf| -> PathBuf {
        match pathdiff::diff_paths(&p, &cwd) {
            Some(r) if r.as_os_str().is_empty() => ".".into(),
            Some(r) => r,
            None => p,
        }
    };
    let roots: Vec<PathBuf> = if !cli.global.root.is_empty() {
        cli.global.root.clone()
    } else if let (false, Some(dir)) = (config.roots.is_empty(), config_dir.as_ref()) {
        config.roots.iter().map(|r| relative(dir.join(r))).collect()
    } else {
        let found = discover(&cwd).map_err(|e| match e {
            // The library says what it looked for; the command line says how to choose.
            adrgraph::Error::NoRoot { .. } => anyhow::anyhow!(
                "{e}\n  hint: pass --root PATH, or run adrgraph inside a repository with one of these"
            ),
            e => e.into(),
        })?;
        let found: Vec<PathBuf> = found.into_iter().map(relative).collect();
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
    opts.source = at_source().map(|s| s as Arc<dyn adrgraph::ingest::FileSource>);
    Ok(opts)
}

/// What `--at` reads while it answers: the revision's tree (its configuration) and, once the
/// roots are known, their trees.
type Answering = (Option<Arc<RevisionTree>>, Option<Arc<RevisionSource>>);

thread_local! {
    /// While `--at` answers: see [`Answering`].
    static AT: std::cell::RefCell<Answering> = const { std::cell::RefCell::new((None, None)) };
}

/// The roots' trees `--at` reads, while it answers (see [`answering_at`]).
pub fn at_source() -> Option<Arc<RevisionSource>> {
    AT.with(|a| a.borrow().1.clone())
}

/// The revision `--at` answers for, while it does.
pub fn at_tree() -> Option<Arc<RevisionTree>> {
    AT.with(|a| a.borrow().0.clone())
}

/// Run `f` as of the revision `tree`: `adrgraph.toml` as the revision has it, the roots read
/// from its trees, no store (a revision's answers are not kept yet).
pub fn answering_at<T>(cli: &Cli, tree: Arc<RevisionTree>, f: impl FnOnce() -> Result<T>) -> Result<T> {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            AT.with(|a| *a.borrow_mut() = (None, None));
        }
    }
    let _reset = Reset;
    AT.with(|a| a.borrow_mut().0 = Some(tree.clone()));
    let cwd = std::env::current_dir()?;
    let roots = ingest_options(cli)?.roots;
    let source = Arc::new(tree.roots(&cwd, &roots)?);
    AT.with(|a| a.borrow_mut().1 = Some(source));
    f()
}

/// Open the store (refreshing it unless --no-refresh), with a progress spinner on a terminal.
pub fn open_store(cli: &Cli, rebuild: bool) -> Result<Store> {
    Ok(open_keyed(cli, rebuild)?.0)
}

/// [`open_store`], with the hash of the ingest settings it read with
/// ([`adrgraph::store::config_key`]); a large store's commands go on with huge pages.
fn open_keyed(cli: &Cli, rebuild: bool) -> Result<(Store, u64)> {
    let (store, settings) = opened(cli, rebuild)?;
    super::pages::fit(store.known_decisions());
    Ok((store, settings))
}

/// The store opened, from the one the walk's thread opened ahead when there is one.
fn opened(cli: &Cli, rebuild: bool) -> Result<(Store, u64)> {
    use std::io::IsTerminal;
    let opts = ingest_options(cli)?;
    let settings = adrgraph::store::config_key(&opts);
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
    let store_opts = store_options(cli, rebuild);
    // Opened ahead of the walk, or to be refreshed from a walk made already (`ahead`).
    match super::ahead::take() {
        Some(super::ahead::Ready::Store(store)) => return Ok((*store, settings)),
        Some(super::ahead::Ready::Walked(walked)) => {
            let mut store = Store::open_after(&opts, &store_opts, &progress, walked)?;
            store.warnings.splice(0..0, super::ahead::carried());
            bar.finish_and_clear();
            return Ok((store, settings));
        }
        None => {}
    }
    // A revision's store, once a refresh made it hold the revision's trees (its folder is named
    // by them), holds them for good: it is opened without walking them again.
    let stamp = match (at_source(), &store_opts.dir) {
        (Some(source), Some(dir)) => Some((
            dir.clone(),
            format!("{}\n{:016x}\n{}\n", source.key(), settings, env!("CARGO_PKG_VERSION")),
        )),
        _ => None,
    };
    let trusted = stamp.as_ref().is_some_and(|(dir, s)| super::revisions::verified(dir, s)) && !rebuild;
    // In a server, the tree is walked again only when it may have changed.
    let mut store = super::held::opening(settings, |changed| {
        let store_opts =
            StoreOptions { refresh: store_opts.refresh && changed && !trusted, ..store_opts.clone() };
        Ok(Store::open(&opts, &store_opts, &progress)?)
    })?;
    if let (Some((dir, s)), false) = (&stamp, trusted) {
        if store.report.refreshed && store.unwritten().is_none() && store.dir() == Some(dir.as_path()) {
            super::revisions::mark_verified(dir, s);
        }
    }
    bar.finish_and_clear();
    store.warnings.splice(0..0, super::ahead::carried());
    // The revision stores over their budget lose the least recently used: measured after a
    // revision's store was made or refreshed, not on a warm answer from a store already
    // verified (sizing every store walked all their shards: 1 to 2 ms of a warm `--at` with
    // two stores of the shared corpora, more with each store kept).
    if let (Some(_), Some(dir), Some(base), false) =
        (at_source(), &store_opts.dir, revisions_base(cli), trusted)
    {
        let mb = load_config(cli.global.config.as_deref())?.0.store.revisions_mb;
        super::revisions::evict(&base, dir, mb.unwrap_or(super::revisions::DEFAULT_BUDGET_MB) << 20);
    }
    Ok((store, settings))
}

/// Where the stores of `--at` revisions are kept: `revisions` in the store folder named, else
/// in the user's cache.
fn revisions_base(cli: &Cli) -> Option<PathBuf> {
    match &cli.global.store {
        Some(s) if !s.as_os_str().is_empty() => Some(s.join("revisions")),
        _ => dirs::cache_dir().map(|c| c.join("adrgraph").join("revisions")),
    }
}

/// Where and how the store is kept for this command line.
pub fn store_options(cli: &Cli, rebuild: bool) -> StoreOptions {
    // A revision has a store of its own (see `revisions`), never the work tree's.
    let at = at_source();
    let dir = match &at {
        Some(source) => revisions_base(cli).and_then(|base| {
            let roots = ingest_options(cli).map(|o| o.roots).unwrap_or_default();
            super::revisions::store_for(&base, &roots, &source.key())
        }),
        None => cli.global.store.clone(),
    };
    StoreOptions {
        dir,
        cache: if at.is_some() { None } else { dirs::cache_dir().map(|c| c.join("adrgraph")) },
        refresh: !cli.global.no_refresh,
        rebuild,
        // Commands that search have the index fed while the tree is parsed.
        index: matches!(
            cli.command,
            Command::Index(_) | Command::Search(_) | Command::Serve(_) | Command::Site(_)
        ),
        required: matches!(cli.command, Command::Index(_)),
        on_wait: Some(|dir| {
            eprintln!("adrgraph: waiting for another adrgraph process to finish updating {}", dir.display())
        }),
    }
}

/// Print diagnostics to stderr as the flags ask, and give the exit code they imply.
pub fn report(cli: &Cli, corpus: &Corpus) -> Result<Exit> {
    let errors = corpus.error_count();
    let mut stderr = stderr();
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
    Ok(Exit::problems_if(errors > 0))
}

/// A configuration as [`load_config`] gives it.
type Loaded = (adrgraph::config::ConfigFile, Option<PathBuf>);

/// Which configuration a [`Loaded`] is: the file named, the folder looked from, the revision.
type ConfigKey = (Option<PathBuf>, PathBuf, Option<String>);

thread_local! {
    /// The configuration this command read, read once per command (see [`new_command`]): the
    /// commands and the options they build asked for it up to four times, each walking up
    /// every parent folder.
    static CONFIG: std::cell::RefCell<Option<(ConfigKey, Loaded)>> = const { std::cell::RefCell::new(None) };
}

/// How many times a configuration file was looked for and read (for the test that it is once
/// per command).
static CONFIG_READS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Forget the configuration read by the last command on this thread: the MCP server runs
/// commands one after another in one process, and the file may have changed in between.
pub fn new_command() {
    CONFIG.with(|c| c.borrow_mut().take());
}

/// The configuration file: the one given, else `adrgraph.toml` here or in a parent folder;
/// with the folder it is in. Read once per command ([`new_command`] starts one).
pub fn load_config(path: Option<&std::path::Path>) -> Result<Loaded> {
    let key: ConfigKey =
        (path.map(Path::to_path_buf), std::env::current_dir()?, at_tree().map(|t| t.revision.commit.clone()));
    if let Some(hit) = CONFIG.with(|c| c.borrow().as_ref().filter(|(k, _)| *k == key).map(|(_, v)| v.clone()))
    {
        return Ok(hit);
    }
    CONFIG_READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let loaded = read_config(path)?;
    CONFIG.with(|c| *c.borrow_mut() = Some((key, loaded.clone())));
    Ok(loaded)
}

/// [`load_config`] without the memory of this command's.
fn read_config(path: Option<&std::path::Path>) -> Result<Loaded> {
    if let (None, Some(tree)) = (path, at_tree()) {
        return config_at(&tree);
    }
    let found = match path {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let cwd = std::env::current_dir()?;
            // Anything named so is the configuration: one that cannot be read (a FIFO, a link
            // to a device) is an error that names it, not silently skipped.
            cwd.ancestors().map(|d| d.join("adrgraph.toml")).find(|p| p.symlink_metadata().is_ok())
        }
    };
    let Some(p) = found else { return Ok((adrgraph::config::ConfigFile::default(), None)) };
    let text = read_user_file(&p)?;
    let cfg =
        adrgraph::config::ConfigFile::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
    let dir = p.parent().map(|d| if d.as_os_str().is_empty() { PathBuf::from(".") } else { d.to_path_buf() });
    Ok((cfg, dir))
}

/// `adrgraph.toml` as the revision `--at` answers for has it (nearest the current folder), with
/// a note, once, when it is not the work tree's.
fn config_at(tree: &RevisionTree) -> Result<(adrgraph::config::ConfigFile, Option<PathBuf>)> {
    let cwd = std::env::current_dir()?;
    let at = &tree.revision;
    let then = tree.config_near(&cwd);
    let today = cwd.ancestors().map(|d| d.join("adrgraph.toml")).find(|p| p.is_file());
    let today_text = today.as_ref().and_then(|p| read_user_file(p).ok());
    static SAID: std::sync::Once = std::sync::Once::new();
    let note = |what: String| SAID.call_once(|| eprintln!("note: {what}"));
    match then {
        Some((dir, text)) => {
            if today_text.as_deref() != Some(text.as_str()) {
                note(format!("adrgraph.toml read as at {} (it differs from the work tree's)", at.spec));
            }
            let shown = dir.join("adrgraph.toml");
            let cfg = adrgraph::config::ConfigFile::parse(&text)
                .map_err(|e| anyhow::anyhow!("{} at {}: {e}", shown.display(), at.spec))?;
            Ok((cfg, Some(dir)))
        }
        None => {
            if today_text.is_some() {
                note(format!(
                    "no adrgraph.toml at {}: its defaults are used, not the work tree's file",
                    at.spec
                ));
            }
            Ok((adrgraph::config::ConfigFile::default(), None))
        }
    }
}

/// A file the user named or adrgraph found for them (`adrgraph.toml`, `toc --intro`), read
/// through the guarded reader: a symbolic link is followed to its target once, by name, and
/// then no FIFO, device or file over 1 MiB is read (a link to `/dev/zero` is refused, not read
/// forever).
pub fn read_user_file(p: &Path) -> Result<String> {
    let real = std::fs::canonicalize(p).with_context(|| format!("cannot read {}", p.display()))?;
    let bytes = adrgraph::ingest::read_guarded(&real, 1 << 20)
        .with_context(|| format!("cannot read {} (a regular file of at most 1 MiB)", p.display()))?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", p.display()))
}

/// Leave `value` to the end of the process instead of freeing it piece by piece: the
/// command is answered, and freeing 100,000 records or a large graph took longer than
/// writing the answer.
pub fn exiting<T>(value: T) {
    if capturing() && super::held::serving() {
        // A command run inside a server: the process goes on, so the value is freed.
        drop(value);
    } else {
        std::mem::forget(value);
    }
}

/// What a command run under [`captured`] or [`captured_json`] wrote: its bytes, or (asked by
/// [`captured_json`]) the JSON answer it gave through [`write_json`], kept as a value.
#[derive(Default)]
struct Capture {
    bytes: Vec<u8>,
    /// Whether the answer is wanted as a value rather than as text.
    as_value: bool,
    value: Option<serde_json::Value>,
}

thread_local! {
    /// While set, what a command writes to standard output (through [`stdout`] and
    /// [`write_json`]) is kept here: the MCP server runs commands in-process and answers with
    /// their output.
    static CAPTURED: std::cell::RefCell<Option<Capture>> = const { std::cell::RefCell::new(None) };
}

/// Whether a command's output is kept by [`captured`] (an MCP tool call) now.
pub fn capturing() -> bool {
    CAPTURED.with(|c| c.borrow().is_some())
}

/// Run `f` with what it writes to standard output through [`stdout`] kept, not printed, and
/// give that back with its result (on this thread only; kept even when `f` panics).
pub fn captured<T>(f: impl FnOnce() -> T) -> (std::thread::Result<T>, Vec<u8>) {
    let (out, kept) = capture(false, f);
    (out, kept.bytes)
}

/// What a command run under [`captured_json`] answered.
pub enum Answered {
    /// Its JSON answer, as the value it wrote (not written out and read back).
    Value(serde_json::Value),
    /// What it printed otherwise.
    Bytes(Vec<u8>),
}

/// Like [`captured`], for a command run with `--json`: its answer as the value it gave
/// [`write_json`] (the MCP server answers with that value; printing it and parsing the text
/// again was a fifth of a large answer's time), or its bytes if it printed anything else.
pub fn captured_json<T>(f: impl FnOnce() -> T) -> (std::thread::Result<T>, Answered) {
    let (out, kept) = capture(true, f);
    match kept.value {
        Some(v) if kept.bytes.is_empty() => (out, Answered::Value(v)),
        // Written after its answer: all of it as text, in order.
        Some(v) => {
            let mut bytes = output::json_bytes(&v).unwrap_or_default();
            bytes.extend(kept.bytes);
            (out, Answered::Bytes(bytes))
        }
        None => (out, Answered::Bytes(kept.bytes)),
    }
}

fn capture<T>(as_value: bool, f: impl FnOnce() -> T) -> (std::thread::Result<T>, Capture) {
    // Captures nest (`--at` inside an MCP tool call): the outer one is put back after.
    struct Reset(Option<Capture>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let outer = self.0.take();
            CAPTURED.with(|c| *c.borrow_mut() = outer);
        }
    }
    let fresh = Capture { as_value, ..Capture::default() };
    let outer = CAPTURED.with(|c| c.borrow_mut().replace(fresh));
    let reset = Reset(outer);
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let kept = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    drop(reset);
    (out, kept)
}

/// Write a command's JSON answer to `out` (what [`stdout`] gave) as [`output::write_json`]
/// does; under [`captured_json`], keep it as a value instead, when it is the whole answer.
pub fn write_json<T: serde::Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    let wanted = CAPTURED
        .with(|c| c.borrow().as_ref().is_some_and(|k| k.as_value && k.value.is_none() && k.bytes.is_empty()));
    if wanted {
        if let Ok(v) = serde_json::to_value(value) {
            CAPTURED.with(|c| {
                if let Some(k) = c.borrow_mut().as_mut() {
                    k.value = Some(v);
                }
            });
            return Ok(());
        }
    }
    output::write_json(out, value)
}

/// The writer [`stdout`] gives while [`captured`] runs; human text loses its styles (as with
/// colours off), JSON is kept as it is.
/// Styles are stripped by a stripper that keeps its state from one write to the next, so an
/// escape sequence cut between two writes is stripped whole.
struct Captured {
    strip: Option<anstream::adapter::StripBytes>,
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURED.with(|c| {
            if let Some(v) = c.borrow_mut().as_mut() {
                match &mut self.strip {
                    Some(strip) => strip_into(strip, buf, &mut v.bytes),
                    None => v.bytes.extend_from_slice(buf),
                }
            }
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Append `buf` to `out` with its styles stripped as `strip` (anstream's stateful stripper)
/// strips them (tested against its stripping of the whole text, for the text and style
/// sequences commands write), but the runs of plain text between sequences copied whole:
/// the stripper reads byte by byte (a tenth of a warm `--at HEAD list` of 1,929 decisions).
/// Plain text is what the stripper keeps byte for byte from its ground state and leaves it in:
/// whole UTF-8 characters without control bytes other than whitespace, and without DEL.
/// Everything else (an escape sequence, a control byte, a character cut between two writes)
/// goes through the stripper, one byte at a time, until it is back in its ground state.
fn strip_into(strip: &mut anstream::adapter::StripBytes, mut buf: &[u8], out: &mut Vec<u8>) {
    let ground = anstream::adapter::StripBytes::new();
    while !buf.is_empty() {
        if *strip == ground {
            // A whole style (`ESC [ digits and ; m`), which the stripper drops whole: skipped at
            // once instead of byte by byte through its state machine (a tenth of a `lint` of
            // 877 findings into a pipe).
            if buf.len() >= 3 && buf[0] == 0x1b && buf[1] == b'[' {
                if let Some(k) = buf[2..].iter().position(|&b| !(b.is_ascii_digit() || b == b';')) {
                    if buf[2 + k] == b'm' {
                        buf = &buf[3 + k..];
                        continue;
                    }
                }
            }
            let end = buf
                .iter()
                .position(|&b| (b < 0x20 && !b.is_ascii_whitespace()) || b == 0x7f)
                .unwrap_or(buf.len());
            let plain = match std::str::from_utf8(&buf[..end]) {
                Ok(_) => end,
                Err(e) => e.valid_up_to(),
            };
            out.extend_from_slice(&buf[..plain]);
            buf = &buf[plain..];
            if plain > 0 {
                continue;
            }
        }
        let (one, rest) = buf.split_at(1);
        strip.strip_next(one).for_each(|kept| out.extend_from_slice(kept));
        buf = rest;
    }
}

/// Standard output, buffered (a line-buffered stream made a system call per line of a large
/// answer): JSON raw, since it carries no control character; human text through anstream,
/// which strips the colours when they are off.
pub fn stdout(json: bool) -> Box<dyn Write> {
    if capturing() {
        // Never styled when kept: human text as it prints with colours off. Buffered as standard
        // output is: each piece of a formatted line was a write of its own (12% of a warm
        // `--at HEAD list` of 2,600 decisions).
        let strip = (!json).then(anstream::adapter::StripBytes::new);
        return Box::new(std::io::BufWriter::with_capacity(1 << 16, Captured { strip }));
    }
    let choice = anstream::AutoStream::choice(&std::io::stdout());
    // Held while the command answers ahead of the walk, styled as standard output would be.
    let sink = || -> Box<dyn Write> {
        if super::ahead::holding() {
            Box::new(super::ahead::Held(super::ahead::Stream::Out))
        } else {
            Box::new(std::io::stdout().lock())
        }
    };
    if !json && choice == anstream::ColorChoice::Never {
        // Colours off (a pipe, NO_COLOR): stripped as a capture is, plain runs copied whole,
        // where anstream's own stream strips byte by byte (a tenth of an `impact` of 999
        // decisions into a pipe).
        let out = Stripping { strip: anstream::adapter::StripBytes::new(), out: sink(), kept: Vec::new() };
        return Box::new(std::io::BufWriter::with_capacity(1 << 16, out));
    }
    let raw: Box<dyn Write> = Box::new(std::io::BufWriter::with_capacity(1 << 16, sink()));
    if json {
        raw
    } else {
        Box::new(anstream::AutoStream::new(raw, choice))
    }
}

/// Standard error as anstream gives it (styles stripped when its colours are off), held
/// while the command answers ahead of the walk ([`super::ahead`]). Notes and warnings go
/// through it (with `say!`), not `eprintln!`, so that an answer thrown away
/// takes its notes with it.
pub fn stderr() -> Box<dyn Write> {
    if super::ahead::holding() {
        let choice = anstream::AutoStream::choice(&std::io::stderr());
        let held: Box<dyn Write> = Box::new(super::ahead::Held(super::ahead::Stream::Err));
        return Box::new(anstream::AutoStream::new(held, choice));
    }
    Box::new(anstream::stderr())
}

/// A writer that strips styles (as [`strip_into`] does) from what goes through it to `out`.
struct Stripping<W: Write> {
    strip: anstream::adapter::StripBytes,
    out: W,
    /// What is kept of one write, reused.
    kept: Vec<u8>,
}

impl<W: Write> Write for Stripping<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.kept.clear();
        strip_into(&mut self.strip, buf, &mut self.kept);
        self.out.write_all(&self.kept)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Print an answer on stdout: `value` as JSON with `--json`, else as `human` writes it.
pub fn answer<T: serde::Serialize + ?Sized>(
    cli: &Cli,
    value: &T,
    human: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        write_json(&mut out, value)?;
    } else {
        human(&mut out)?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Styles stripped from text written in pieces are what anstream strips from the whole,
    /// for what the commands write: text (user text has its control characters replaced by
    /// `output::clean`), wide and multi-byte characters, whitespace, and whole style sequences,
    /// cut anywhere between writes (inside a sequence, inside a character). Malformed escape
    /// sequences are left out: anstream's own stripping of those depends on where the writes
    /// cut them.
    #[test]
    fn styles_are_stripped_as_anstream_strips_them() {
        let pieces: [&[u8]; 11] = [
            b"plain text ",
            "d\u{e9}cid\u{e9} \u{65e5}\u{672c} \u{1f600}".as_bytes(),
            "\u{85}\u{9b}\u{200b}".as_bytes(),
            b"\x1b[1m",
            b"\x1b[0m",
            b"\x1b[31;1m",
            b"\x1b[38;5;208m",
            b"\t",
            b"\n",
            b"\r\n",
            b"0001-use-kafka  accepted    2026-01-01  ",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let text: Vec<u8> = (0..next(24)).flat_map(|_| pieces[next(pieces.len())].to_vec()).collect();
            let want = anstream::adapter::strip_bytes(&text).into_vec();
            let mut strip = anstream::adapter::StripBytes::new();
            let mut got = Vec::new();
            let mut rest: &[u8] = &text;
            while !rest.is_empty() {
                let (piece, after) = rest.split_at(1 + next(rest.len()));
                strip_into(&mut strip, piece, &mut got);
                rest = after;
            }
            assert_eq!(got, want, "{:?} {:?}", text, String::from_utf8_lossy(&text));
        }
    }

    /// `new --dry-run` read adrgraph.toml four times: once per command now, and again after
    /// [`new_command`].
    #[test]
    fn the_configuration_is_read_once_per_command() {
        let reads = || CONFIG_READS.load(std::sync::atomic::Ordering::Relaxed);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("adrgraph.toml");
        std::fs::write(&file, "roots = [\"a\"]\n").unwrap();
        new_command();
        let before = reads();
        for _ in 0..4 {
            let (cfg, at) = load_config(Some(&file)).unwrap();
            assert_eq!(cfg.roots, ["a"]);
            assert_eq!(at.as_deref(), Some(dir.path()));
        }
        assert_eq!(reads() - before, 1);
        std::fs::write(&file, "roots = [\"b\"]\n").unwrap();
        new_command();
        assert_eq!(load_config(Some(&file)).unwrap().0.roots, ["b"], "a new command reads it again");
        assert_eq!(reads() - before, 2);
    }
}

//! `adrgraph governs`: the decisions that govern files of code, with their reasons; with
//! `--diff` or `--staged`, the files a change touched (read from git by [`adrgraph::git`]).

use super::context::{load_config, report, stdout, Exit, Session};
use super::held::{self, kept};
use super::GovernsArgs;
use adrgraph::git::{self, Against, ChangeKind, ChangedFile, Changes};
use adrgraph::governs::{self, CodeFile, FileGoverned, GovernsOptions};
use adrgraph::output;
use adrgraph::store::Records;
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Most files read below the folders given.
const MAX_FILES: usize = 20_000;

/// Where a file's text is: on disk, or a blob of the revision `--at` answers for.
enum Text {
    Disk(PathBuf),
    Blob(adrgraph::git::ObjectId),
}

/// One file to answer for: as shown, from the repository's top (what scopes match), its text.
type Asked = (String, String, Text);

/// Whether `governs` reads every record whole ([`run`]): a server does (it keeps them); a
/// command line question reads the outline and the texts of the records that could name the
/// files ([`run_outlined`]).
pub fn reads_records(session: &Session<'_>) -> bool {
    session.key.holds()
}

/// Answer for the files (and every file below the folders) given, from every record whole.
pub fn run(
    session: &mut Session<'_>,
    args: &GovernsArgs,
    records: &Records,
    ahead: Option<&ChangesAhead>,
) -> Result<Exit> {
    if args.diff.is_some() || args.staged {
        if session.cli.global.at.is_some() {
            bail!("--diff and --staged compare revisions themselves: not with --at");
        }
        let changes = changes_named(ahead, args.diff.as_deref(), args.staged)?;
        let graph = super::load::graph_of(session, records.corpus())?;
        return run_diff(
            session,
            args,
            &changes,
            (std::borrow::Cow::Borrowed(records.corpus()), &graph, None),
        );
    }
    let graph = super::load::graph_of(session, records.corpus())?;
    answer_files(session, args, std::borrow::Cow::Borrowed(records.corpus()), &graph)
}

/// Answer for the files given on a command line from the outline (names, scopes, links and
/// statuses of every record, its graph) and what the full-text index says the records name
/// (or, when it does not keep a name, the texts of only the records that it says could name
/// one of the files, read from their shards): reading every record's
/// texts was most of a question on one file (33 ms of a tree of 1,000 decisions). When the
/// index cannot tell (a name it keeps no word of, an index behind the records), every record
/// is read whole, as [`run`] reads them.
pub fn run_outlined(
    session: &mut Session<'_>,
    args: &GovernsArgs,
    ahead: Option<&ChangesAhead>,
) -> Result<Exit> {
    if (args.diff.is_some() || args.staged) && session.cli.global.at.is_some() {
        bail!("--diff and --staged compare revisions themselves: not with --at");
    }
    if args.diff.is_some() || args.staged {
        let early = governing_ahead(session, ahead);
        let changes = changes_named(ahead, args.diff.as_deref(), args.staged)?;
        let roots = roots_here(session.cli)?;
        let Some(picked) = picked_for_change(session, &changes, &roots, &args.paths)? else {
            // Most records could name a changed file: every record read whole.
            let records = super::load::records(session)?;
            let graph = super::load::graph_of(session, records.corpus())?;
            let reading = (std::borrow::Cow::Borrowed(records.corpus()), &*graph, None);
            let exit = run_diff(session, args, &changes, reading);
            super::context::exiting(records);
            return exit;
        };
        let (corpus, graph) = match early {
            Some(kept) => kept,
            None => governing(session)?,
        };
        let exit =
            run_diff(session, args, &changes, (std::borrow::Cow::Owned(corpus), &graph, Some(&picked)));
        super::context::exiting(graph);
        return exit;
    }
    let (corpus, graph) = governing(session)?;
    let exit = answer_files(session, args, std::borrow::Cow::Owned(corpus), &graph);
    super::context::exiting(graph);
    exit
}

/// The outline of every record (names, scopes, links, statuses; no long texts) and the links
/// between decisions, from the query snapshot (what chains and standings read; numbered as the
/// outline is) rather than resolved again; built from the outline (and the snapshot written)
/// when the snapshot does not hold this content.
pub fn outlined(session: &mut Session<'_>) -> Result<(adrgraph::Corpus, adrgraph::DecisionGraph)> {
    let graph = session.store.decision_links();
    let outline = super::load::outline(session)?;
    let graph = match graph {
        Some(g) => g,
        None => {
            let g = outline.graph();
            if let Some(w) = session.store.query_write() {
                w.write(outline.as_corpus(), &g);
            }
            g
        }
    };
    let corpus =
        std::sync::Arc::try_unwrap(outline).map_or_else(|o| o.as_corpus().clone(), |o| o.into_corpus());
    Ok((corpus, graph))
}

/// What a record gives `governs` besides what the query snapshot holds: its declared scopes and
/// the links that may lead to code ([`governs::link_targets`]), kept as its `code_links`.
type GovernsRow = (Vec<String>, Vec<String>);

/// The name and salt (changed with what a row holds) of the governance table kept in the store.
const GOVERNS_TABLE: (&str, u64) = ("governs", 1);

fn governs_row(a: &adrgraph::Adr) -> GovernsRow {
    (a.scope.clone(), governs::link_targets(a).map(str::to_string).collect())
}

/// Every record as `governs` reads it (ids, paths, numbers, titles, statuses, scopes, links to
/// code; no long texts) and the links between decisions its supersession chains follow: from
/// the query snapshot (the supersessions alone) and the governance table kept in the store when
/// both hold these records, which costs a fraction of the outline (its links to code are what
/// `governs` resolves them as); else from the outline ([`outlined`], every link between
/// decisions), the table then kept for the next question. The graph is for chains only.
pub fn governing(session: &mut Session<'_>) -> Result<(adrgraph::Corpus, adrgraph::DecisionGraph)> {
    if let Some(kept) = governing_kept(session) {
        return Ok(kept);
    }
    let (name, salt) = GOVERNS_TABLE;
    let (corpus, graph) = outlined(session)?;
    if !session.key.holds() {
        let rows: Vec<GovernsRow> = corpus.adrs.iter().map(governs_row).collect();
        session.store.keep_derived(name, salt, &rows);
    }
    Ok((corpus, graph))
}

/// What [`governing`] gives when the store keeps the governance table for these records (and
/// the query snapshot holds them); `None` otherwise, with nothing read that costs.
pub fn governing_kept(session: &mut Session<'_>) -> Option<(adrgraph::Corpus, adrgraph::DecisionGraph)> {
    let (name, salt) = GOVERNS_TABLE;
    let rows = session.store.derived::<Vec<GovernsRow>>(name, salt)?;
    // The governor reads the graph only for supersession chains.
    let (mut corpus, graph) = (session.store.listing()?, session.store.supersession_links()?);
    if corpus.adrs.len() != rows.len() {
        return None;
    }
    for (a, (scope, targets)) in corpus.adrs.iter_mut().zip(rows) {
        a.scope = scope;
        a.code_links = targets;
    }
    Some((corpus, graph))
}

/// What governs a change, read from the kept table while git reads the change (the table does
/// not depend on it): `governing` was 7 ms of a `check` of 50 files at 10,000 decisions, after
/// waiting 36 ms for gix's status. `None` without a change read ahead, or a kept table.
pub fn governing_ahead(
    session: &mut Session<'_>,
    ahead: Option<&ChangesAhead>,
) -> Option<(adrgraph::Corpus, adrgraph::DecisionGraph)> {
    if ahead.is_none() || session.key.holds() {
        return None;
    }
    governing_kept(session)
}

/// With an outline (`corpus` owned): the texts of the records the full-text index says could
/// name one of `rels` read into it (every record's when the index cannot tell), and those
/// records; `None` with every record whole (borrowed), which a server asks its index about.
fn texts_for<'r>(
    session: &mut Session<'_>,
    corpus: &mut std::borrow::Cow<'_, adrgraph::Corpus>,
    rels: impl IntoIterator<Item = &'r str>,
) -> Result<Among> {
    match corpus {
        std::borrow::Cow::Borrowed(whole) => Ok(Among::Texts(among(session, whole, rels)?)),
        std::borrow::Cow::Owned(outline) => {
            let picked = picked(session, rels);
            read_texts(session, outline, picked.as_ref())
        }
    }
}

/// The texts of the `picked` records read into `outline` (every record's when none are), and
/// their positions; none when the index tells what the records name.
fn read_texts(
    session: &mut Session<'_>,
    outline: &mut adrgraph::Corpus,
    picked: Option<&Picked>,
) -> Result<Among> {
    let among = picked.map_or(Among::Texts(None), |p| p.among(outline));
    if let Among::Texts(among) = &among {
        texts_into(session, outline, among.as_ref())?;
    }
    Ok(among)
}

/// The governor for the files `rels`: from what `among` gives.
fn governor_for<'c, 'r>(
    (corpus, graph, opts): (&'c adrgraph::Corpus, &'c adrgraph::DecisionGraph, &'c GovernsOptions),
    rels: impl IntoIterator<Item = &'r str>,
    among: Among,
    prepared: Option<&'c governs::Prepared>,
) -> governs::Governor<'c> {
    match among {
        Among::Texts(among) => {
            governs::Governor::for_files_among(corpus, graph, opts, rels, among.as_ref(), prepared)
        }
        Among::Named(m) => governs::Governor::for_files_mentioned(corpus, graph, opts, rels, m, prepared),
    }
}

/// Answer for the files given from `corpus` (every record whole when borrowed, the outline when
/// owned: the texts needed are then read into it) and its graph.
fn answer_files(
    session: &mut Session<'_>,
    args: &GovernsArgs,
    mut corpus: std::borrow::Cow<'_, adrgraph::Corpus>,
    graph: &adrgraph::DecisionGraph,
) -> Result<Exit> {
    let cli = session.cli;
    let cwd = std::env::current_dir()?;
    let revision = super::context::at_tree();
    let top = match revision.as_ref().and_then(|t| t.top().map(Path::to_path_buf)) {
        Some(t) => t,
        None => adrgraph::ingest::repository_top(&cwd).unwrap_or_else(|| cwd.clone()),
    };
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let roots: Vec<PathBuf> =
        corpus.abs_roots.iter().map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone())).collect();
    let max = super::context::ingest_options(cli)?.max_file_size;
    // The files first, by name only: the cap refuses before anything is read.
    let (found, skipped_adrs) = match &revision {
        Some(tree) => asked_at(tree, &args.paths, &cwd, &top, &roots)?,
        None => asked_here(&args.paths, &cwd, &top, &roots)?,
    };
    if skipped_adrs > 0 && !cli.global.quiet {
        say!("note: {skipped_adrs} file(s) of the decision tree left out: ADR files are not code (`adrgraph lint` checks them)");
    }
    let (config, config_path) = load_config(cli.global.config.as_deref())?;
    let opts = GovernsOptions {
        all: args.all,
        table: config.governs.into_iter().collect(),
        cwd: table_folder(config_path.as_deref(), &cwd),
        top: Some(top.clone()),
    };
    let rels = || found.iter().map(|(_, rel, _)| rel.as_str());
    let among = texts_for(session, &mut corpus, rels())?;
    let owned = corpus;
    let corpus = owned.as_ref();
    // A server keeps what the records alone give (their names, numbers and links to code).
    let prepared = match session.key.holds() {
        true => Some(kept(&session.key, "governs prepared", held::salt_of(&top), || {
            Ok(governs::Prepared::of(corpus, Some(&top)))
        })?),
        false => None,
    };
    let governor = governor_for((corpus, graph, &opts), rels(), among, prepared.as_deref());
    // One file's text at a time on each thread, through the guarded reader (or from the
    // revision's objects). Answers keep the files' order. One file is answered on this thread:
    // rayon's pool, started for it, cost its two threads' start and a hand-over each way.
    let answer = |(shown, rel, text): &(String, String, Text)| {
        let bytes = match text {
            Text::Disk(abs) => adrgraph::ingest::read_guarded(abs, max).ok(),
            Text::Blob(id) => revision.as_ref().and_then(|t| t.blob(*id, max)),
        };
        let text = bytes.map(|b| String::from_utf8_lossy(&b).into_owned());
        governor.answer(&CodeFile { path: shown.clone(), rel: rel.clone(), text })
    };
    let answers: Vec<governs::FileGoverned> = match found.len() {
        0 | 1 => found.iter().map(answer).collect(),
        _ => found.par_iter().map(answer).collect(),
    };
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        super::context::write_json(&mut out, &answers)?;
    } else {
        for a in &answers {
            writeln!(out, "{}", output::clean(&a.file, false))?;
            write_decisions(&mut out, a)?;
        }
    }
    out.flush()?;
    let exit = report(cli, corpus);
    super::context::exiting(governor);
    super::context::exiting(owned);
    exit
}

/// In a server, which keeps the full-text index open: the records that could name one of the
/// files `rels` (their positions), as the index says, so that only their texts are read for
/// mentions. `None` on a command line run (reading every text costs less than opening the
/// index), or when the index cannot tell.
fn among<'r>(
    session: &mut Session<'_>,
    corpus: &adrgraph::ingest::Corpus,
    rels: impl IntoIterator<Item = &'r str>,
) -> Result<Option<std::collections::BTreeSet<usize>>> {
    if !session.key.holds() {
        return Ok(None);
    }
    let Some(names) = governs::names_to_find(rels) else { return Ok(None) };
    let index = kept(&session.key, "index", 0, || Ok(session.store.sync_index_or_memory()?))?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let Some(paths) = index.could_hold_any(&names) else { return Ok(None) };
    let by_path = kept(&session.key, "positions by path", 0, || {
        Ok(corpus
            .adrs
            .iter()
            .enumerate()
            .map(|(i, a)| (a.path.clone(), i))
            .collect::<HashMap<String, usize>>())
    })?;
    // A record the index does not know (it lags the records) is read too.
    if paths.iter().any(|p| !by_path.contains_key(p)) || index.len() != corpus.adrs.len() as u64 {
        return Ok(None);
    }
    Ok(Some(paths.iter().filter_map(|p| by_path.get(p).copied()).collect()))
}

/// What the store's full-text index tells of the records naming some files: which records name
/// each of their paths, folders and module names, exactly ([`governs::names_to_look_up`]); or,
/// when a name is not kept so, the records that could name one of the files (their paths). With
/// how many records it holds.
pub enum Picked {
    /// Each name with the paths of the records naming it: no text need be read.
    Named { paths: Vec<(String, Vec<String>)>, modules: Vec<(String, Vec<String>)>, of: u64 },
    /// The records whose texts are read for the names.
    Texts { paths: std::collections::BTreeSet<String>, of: u64 },
}

/// What [`Picked`] gives for a corpus: the records whose texts to read (all when `None`), or what
/// the records name, given.
pub enum Among {
    /// Read these records' texts (every record's when `None`).
    Texts(Option<std::collections::BTreeSet<usize>>),
    /// What the records name, from the index.
    Named(governs::Mentions),
}

impl Picked {
    /// Against `corpus`: the positions of the records to read, or what they name; every text
    /// is read when the index does not hold the corpus's records (it lags).
    fn among(&self, corpus: &adrgraph::Corpus) -> Among {
        let of = match self {
            Picked::Named { of, .. } | Picked::Texts { of, .. } => *of,
        };
        if of != corpus.adrs.len() as u64 {
            return Among::Texts(None);
        }
        let by_path: HashMap<&str, usize> =
            corpus.adrs.iter().enumerate().map(|(i, a)| (a.path.as_str(), i)).collect();
        match self {
            // A record the index does not know (it lags the records): every text is read.
            Picked::Texts { paths, .. } => {
                Among::Texts(paths.iter().map(|p| by_path.get(p.as_str()).copied()).collect())
            }
            Picked::Named { paths, modules, .. } => {
                let mut m = governs::Mentions::default();
                let named = paths.iter().map(|p| (p, true)).chain(modules.iter().map(|m| (m, false)));
                for ((name, records), is_path) in named {
                    for r in records {
                        let Some(&i) = by_path.get(r.as_str()) else { return Among::Texts(None) };
                        match is_path {
                            true => m.path(name, i),
                            false => m.module(name, i),
                        }
                    }
                }
                Among::Named(m)
            }
        }
    }
}

/// On a command line run: what the store's full-text index (brought up to date first, as
/// `search` does, when the store has one) tells of the records naming the files `rels`: which
/// records name each of their names, when the index keeps them all; else the records that
/// could name one, when they are at most half of the records: past that, reading every record
/// whole costs less than the outline and then nearly every text (a change of 50 files of a
/// generated repository, whose records name every module: 236 ms against 275 ms).
pub fn picked<'r>(session: &mut Session<'_>, rels: impl IntoIterator<Item = &'r str>) -> Option<Picked> {
    let rels: Vec<&str> = rels.into_iter().collect();
    // Only an index the store has already: building one (a store that never searched, a
    // revision's store for `--at`) costs more than reading every text.
    if !session.store.dir().is_some_and(|d| d.join("index").is_dir()) {
        return None;
    }
    let index = session.store.sync_index().ok()?;
    let of = index.len();
    if let Some((paths, modules)) = governs::names_to_look_up(rels.iter().copied()) {
        let (p, m) = index.records_naming(&paths, &modules)?;
        return Some(Picked::Named {
            paths: paths.into_iter().zip(p).collect(),
            modules: modules.into_iter().zip(m).collect(),
            of,
        });
    }
    let names = governs::names_to_find(rels)?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let paths = index.could_hold_any(&names)?;
    (paths.len() as u64 <= of / 2).then_some(Picked::Texts { paths, of })
}

/// The texts of the records `among` (all when `None`) read from the store into `outline`,
/// which keeps its own ids and dialects (what the tree decides of a record).
fn texts_into(
    session: &mut Session<'_>,
    outline: &mut adrgraph::Corpus,
    among: Option<&std::collections::BTreeSet<usize>>,
) -> Result<()> {
    let positions: Option<Vec<usize>> = among.map(|a| a.iter().copied().collect());
    for (i, parsed) in session.store.whole_records(positions.as_deref())? {
        if let Some(a) = outline.adrs.get_mut(i) {
            a.sections = parsed.adr.sections;
        }
    }
    session.warn();
    Ok(())
}

/// A file from the repository's top, or its absolute path outside it (which no declared scope
/// matches).
fn rel_from(top: &Path, abs: &Path) -> String {
    match abs.strip_prefix(top) {
        Ok(r) => r.to_string_lossy().replace('\\', "/"),
        Err(_) => abs.to_string_lossy().replace('\\', "/"),
    }
}

/// The files at and below `paths` on disk, the tree's own records left out (counted).
fn asked_here(paths: &[PathBuf], cwd: &Path, top: &Path, roots: &[PathBuf]) -> Result<(Vec<Asked>, usize)> {
    let (mut found, mut skipped) = (Vec::new(), 0);
    for p in paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
        for f in files_under(p) {
            let abs = std::fs::canonicalize(&f).unwrap_or_else(|_| cwd.join(&f));
            if roots.iter().any(|r| abs.starts_with(r)) {
                skipped += 1;
                continue;
            }
            found.push((f.to_string_lossy().replace('\\', "/"), rel_from(top, &abs), Text::Disk(abs)));
            if found.len() > MAX_FILES {
                bail!("more than {MAX_FILES} files under the paths given: name fewer");
            }
        }
    }
    Ok((found, skipped))
}

/// The files at and below `paths` in the revision `--at` answers for, shown from here.
fn asked_at(
    tree: &adrgraph::git::RevisionTree,
    paths: &[PathBuf],
    cwd: &Path,
    top: &Path,
    roots: &[PathBuf],
) -> Result<(Vec<Asked>, usize)> {
    let (mut found, mut skipped) = (Vec::new(), 0);
    for p in paths {
        let Some(files) = tree.files_under(cwd, p, MAX_FILES)? else {
            bail!("{}: no such file or folder at {}", p.display(), tree.revision.spec);
        };
        for (rel, id) in files {
            let abs = top.join(&rel);
            if roots.iter().any(|r| abs.starts_with(r)) {
                skipped += 1;
                continue;
            }
            let shown = pathdiff::diff_paths(&abs, cwd).unwrap_or_else(|| abs.clone());
            found.push((shown.to_string_lossy().replace('\\', "/"), rel, Text::Blob(id)));
            if found.len() > MAX_FILES {
                bail!("more than {MAX_FILES} files under the paths given: name fewer");
            }
        }
    }
    Ok((found, skipped))
}

/// The folder the `[governs]` table's record paths are relative to: the configuration file's
/// (`load_config` gives it), else here.
fn table_folder(config_dir: Option<&Path>, cwd: &Path) -> PathBuf {
    config_dir.map_or_else(|| cwd.to_path_buf(), |d| cwd.join(d))
}

/// The file itself, or every file below a folder (hidden and ignored ones left out, as git
/// would), in path order.
fn files_under(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(p)
        .follow_links(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        // One past the cap is enough to refuse: `governs /usr` does not walk all of it.
        .take(MAX_FILES + 1)
        .collect();
    out.sort();
    out
}

/// A file's decisions, one per line, each with its reasons below it.
pub fn write_decisions(out: &mut dyn Write, a: &FileGoverned) -> Result<()> {
    if a.decisions.is_empty() {
        writeln!(out, "  no decision governs it")?;
    }
    for d in &a.decisions {
        let force = if d.in_force { ", in force" } else { "" };
        let style = output::status_style(d.status);
        writeln!(out, "  {} {style}({}{force}){style:#} {}", d.id, d.status, output::clean(&d.title, false))?;
        for r in &d.reasons {
            let via = if r.via.is_empty() {
                String::new()
            } else {
                format!(" (passed on from {}, superseded)", r.via.join(" -> "))
            };
            let change = match r.change {
                Some(governs::LineChange::Added) => " (added here)",
                Some(governs::LineChange::Removed) => " (removed here)",
                None => "",
            };
            writeln!(
                out,
                "    {:<8} {}{change}{via}",
                format!("{:?}", r.kind).to_lowercase(),
                output::clean(&r.detail, false)
            )?;
        }
    }
    Ok(())
}

/// The answer for one changed file of code.
#[derive(Debug, serde::Serialize)]
pub struct ChangedGoverned {
    /// The file, relative to the repository's top (for a deleted file, where it was).
    pub file: String,
    /// How the change touched it.
    pub change: ChangeKind,
    /// For a rename: where it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The decisions governing it (its new text, or its old one when deleted), with the
    /// markers the change added or removed marked so.
    pub decisions: Vec<governs::Governing>,
}

/// `governs --diff` / `--staged` as JSON.
#[derive(Debug, serde::Serialize)]
struct DiffAnswer<'a> {
    against: &'a str,
    base: &'a git::Revision,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<&'a git::Revision>,
    files: &'a [ChangedGoverned],
}

/// The change the arguments name, read from the repository holding the current folder.
pub fn read_changes(diff: Option<&str>, staged: bool) -> Result<Changes> {
    let against = match diff {
        Some(spec) => Against::parse(spec),
        None if staged => Against::Staged,
        None => bail!("name a change: --diff BASE, --diff A..B or --staged"),
    };
    let cwd = std::env::current_dir()?;
    let mut changes = git::changes(&cwd, &against)?;
    changes.top = std::fs::canonicalize(&changes.top).unwrap_or(changes.top);
    Ok(changes)
}

/// The change a command names (`--diff`, `--staged`), read from git on a thread of its own
/// from the command's start, while the tree is walked and the store opened: the work tree's
/// status of a repository of 30,000 files takes about 60 ms, as long as the rest of a `check`.
/// An answer given twice (ahead of the walk, then again) reads it once.
pub struct ChangesAhead {
    reading: std::sync::Mutex<Option<std::thread::JoinHandle<Result<Changes>>>>,
    read: std::sync::OnceLock<std::result::Result<Changes, String>>,
}

impl ChangesAhead {
    /// For a command that reads a change from git on the work tree (not under `--at`, which
    /// refuses one): start reading it.
    pub fn start(cli: &super::Cli) -> Option<ChangesAhead> {
        let (diff, staged) = match &cli.command {
            super::Command::Check(a) => (a.diff.clone(), a.staged),
            super::Command::Governs(a) => (a.diff.clone(), a.staged),
            _ => return None,
        };
        if cli.global.at.is_some() || (diff.is_none() && !staged) {
            return None;
        }
        let handle =
            adrgraph::threads::spawn_with(std::thread::Builder::new().name("changes".into()), move || {
                read_changes(diff.as_deref(), staged)
            })
            .ok()?;
        Some(ChangesAhead { reading: std::sync::Mutex::new(Some(handle)), read: std::sync::OnceLock::new() })
    }

    /// The change, waited for; an error as [`read_changes`] gives it (said as `main` says one).
    fn changes(&self) -> Result<Changes> {
        let read = self.read.get_or_init(|| {
            let handle = self.reading.lock().unwrap_or_else(|p| p.into_inner()).take();
            match handle.map(std::thread::JoinHandle::join) {
                Some(Ok(Ok(changes))) => Ok(changes),
                Some(Ok(Err(e))) => Err(e.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ")),
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => Err("the change was not read".into()),
            }
        });
        read.clone().map_err(anyhow::Error::msg)
    }
}

/// The change `diff` or `staged` names: the one read ahead when there is one.
pub fn changes_named(ahead: Option<&ChangesAhead>, diff: Option<&str>, staged: bool) -> Result<Changes> {
    match ahead {
        Some(a) => a.changes(),
        None => read_changes(diff, staged),
    }
}

/// Whether a file of the change (relative to the repository's top) is in the decision tree.
pub fn in_tree(changes: &Changes, roots: &[PathBuf], rel: &str) -> bool {
    let abs = changes.top.join(rel);
    roots.iter().any(|r| abs.starts_with(r))
}

/// The roots of the tree, as absolute paths with links resolved (as git's top is).
pub fn canonical_roots(corpus: &adrgraph::Corpus) -> Vec<PathBuf> {
    corpus.abs_roots.iter().map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone())).collect()
}

/// The changed files of code (the tree's own records left out, `roots` as
/// [`canonical_roots`] gives them), only those below `only` (relative to here) when any are
/// given.
pub fn changed_code<'c>(
    changes: &'c Changes,
    roots: &[PathBuf],
    only: &[PathBuf],
) -> Result<Vec<&'c ChangedFile>> {
    let cwd = std::env::current_dir()?;
    let prefixes: Vec<String> = only
        .iter()
        .map(|p| {
            let abs = std::fs::canonicalize(p).unwrap_or_else(|_| cwd.join(p));
            let rel = abs.strip_prefix(&changes.top).map_err(|_| {
                anyhow::anyhow!("{}: outside the repository ({})", p.display(), changes.top.display())
            })?;
            Ok(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect::<Result<_>>()?;
    let below = |rel: &str| {
        prefixes.is_empty()
            || prefixes.iter().any(|p| p.is_empty() || rel == p || rel.starts_with(&format!("{p}/")))
    };
    Ok(changes.files.iter().filter(|f| below(&f.path) && !in_tree(changes, roots, &f.path)).collect())
}

/// The roots of the tree as the options name them, as absolute paths with links resolved
/// (what [`canonical_roots`] gives of a corpus read from them), without reading the tree.
pub fn roots_here(cli: &super::Cli) -> Result<Vec<PathBuf>> {
    let cwd = std::env::current_dir()?;
    Ok(super::context::ingest_options(cli)?
        .roots
        .iter()
        .map(|r| std::fs::canonicalize(cwd.join(r)).unwrap_or_else(|_| cwd.join(r)))
        .collect())
}

/// What a question on changed files reads: the corpus (every record whole when borrowed, the
/// outline when owned, into which the texts of the records the index picked are read), its
/// graph, and with an outline those picked records.
pub type Reading<'c> =
    (std::borrow::Cow<'c, adrgraph::Corpus>, &'c adrgraph::DecisionGraph, Option<&'c Picked>);

/// The paths the changed files are known by: each one's, and the one it was renamed from.
fn change_paths<'c>(files: &'c [&'c ChangedFile]) -> impl Iterator<Item = &'c str> + Clone + 'c {
    files.iter().flat_map(|f| std::iter::once(f.path.as_str()).chain(f.from.as_deref()))
}

/// On a command line run: the records the index picks ([`picked`]) for the files of code the
/// change touched below `only` (all when empty), the tree's records (under `roots`) left out.
pub fn picked_for_change(
    session: &mut Session<'_>,
    changes: &Changes,
    roots: &[PathBuf],
    only: &[PathBuf],
) -> Result<Option<Picked>> {
    let files = changed_code(changes, roots, only)?;
    Ok(picked(session, change_paths(&files)))
}

/// The decisions governing each changed file of code (the tree's own records left out), in
/// path order, from the records (every one whole when `corpus` is borrowed; an outline, into
/// which the texts needed are read, when owned) and their graph (built once by the caller,
/// which may need it again); only files below `only` (relative to here) when any are given.
pub fn governed_changes(
    session: &mut Session<'_>,
    (corpus, graph, picked): &mut Reading<'_>,
    changes: &Changes,
    only: &[PathBuf],
    all: bool,
) -> Result<Vec<ChangedGoverned>> {
    let cli = session.cli;
    let roots = canonical_roots(corpus);
    let cwd = std::env::current_dir()?;
    let files = changed_code(changes, &roots, only)?;
    let (config, config_path) = load_config(cli.global.config.as_deref())?;
    let opts = GovernsOptions {
        all,
        table: config.governs.into_iter().collect(),
        cwd: table_folder(config_path.as_deref(), &cwd),
        top: Some(changes.top.clone()),
    };
    let rels = || change_paths(&files);
    let among = match corpus {
        std::borrow::Cow::Owned(outline) => read_texts(session, outline, *picked)?,
        std::borrow::Cow::Borrowed(_) => texts_for(session, corpus, rels())?,
    };
    let corpus: &adrgraph::Corpus = corpus;
    let governor = governor_for((corpus, graph, &opts), rels(), among, None);
    let max = super::context::ingest_options(cli)?.max_file_size as usize;
    let text = |b: &Option<Vec<u8>>| {
        b.as_ref().filter(|b| b.len() <= max).map(|b| String::from_utf8_lossy(b).into_owned())
    };
    let answers = files
        .par_iter()
        .map(|f| {
            let old_rel = f.from.clone().unwrap_or_else(|| f.path.clone());
            let old = (!f.removed.is_empty() || f.new.is_none()).then(|| {
                governor.answer(&CodeFile { path: f.path.clone(), rel: old_rel, text: text(&f.old) })
            });
            let mut answer = match (&f.new, &old) {
                // A deleted file: what governed it, its markers all removed here.
                (None, Some(o)) => FileGoverned {
                    file: f.path.clone(),
                    decisions: o
                        .decisions
                        .iter()
                        .map(|d| governs::Governing {
                            reasons: d
                                .reasons
                                .iter()
                                .filter(|r| r.kind != governs::ReasonKind::Marker)
                                .cloned()
                                .collect(),
                            ..d.clone()
                        })
                        .filter(|d| !d.reasons.is_empty())
                        .collect(),
                },
                _ => governor.answer(&CodeFile {
                    path: f.path.clone(),
                    rel: f.path.clone(),
                    text: text(&f.new),
                }),
            };
            governs::mark_change(&mut answer, old.as_ref(), &|l| f.added_line(l), &|l| f.removed_line(l));
            ChangedGoverned {
                file: f.path.clone(),
                change: f.kind,
                from: f.from.clone(),
                decisions: answer.decisions,
            }
        })
        .collect();
    super::context::exiting(governor);
    Ok(answers)
}

/// `governs --diff` / `--staged`.
fn run_diff(
    session: &mut Session<'_>,
    args: &GovernsArgs,
    changes: &Changes,
    mut reading: Reading<'_>,
) -> Result<Exit> {
    let cli = session.cli;
    let answers = governed_changes(session, &mut reading, changes, &args.paths, args.all)?;
    let corpus = reading.0;
    let roots = canonical_roots(&corpus);
    let adr_files = changes.files.iter().filter(|f| in_tree(changes, &roots, &f.path)).count();
    if adr_files > 0 && !cli.global.quiet {
        say!("note: {adr_files} changed file(s) of the decision tree left out: ADR files are not code (`adrgraph check` reports what the change does to the decisions)");
    }
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        let answer = DiffAnswer {
            against: &changes.against,
            base: &changes.base,
            head: changes.head.as_ref(),
            files: &answers,
        };
        super::context::write_json(&mut out, &answer)?;
    } else {
        writeln!(out, "{}", describe(changes, answers.len()))?;
        for a in &answers {
            let from =
                a.from.as_ref().map(|f| format!(" from {}", output::clean(f, false))).unwrap_or_default();
            writeln!(
                out,
                "{} ({}{from})",
                output::clean(&a.file, false),
                format!("{:?}", a.change).to_lowercase()
            )?;
            let fg = FileGoverned { file: a.file.clone(), decisions: a.decisions.clone() };
            write_decisions(&mut out, &fg)?;
        }
    }
    out.flush()?;
    report(cli, &corpus)
}

/// The comparison in one line: `origin/main...work tree (base 1a2b3c4d 2026-12-01 "subject"): 3 files of code`.
pub fn describe(changes: &Changes, files: usize) -> String {
    let short = |c: &str| c.chars().take(10).collect::<String>();
    let head =
        changes.head.as_ref().map(|h| format!(", head {} {}", short(&h.commit), h.date)).unwrap_or_default();
    format!(
        "{} (base {} {} \"{}\"{head}): {files} changed file(s) of code",
        changes.against,
        short(&changes.base.commit),
        changes.base.date,
        output::clean(&changes.base.subject, false)
    )
}

//! `adrgraph new` and `adrgraph init`: a record written through the library's authoring stage
//! (`adrgraph::author`), its path on stdout (as `adr new` prints it), or the diff with
//! `--dry-run`, or what was written with `--json`.

use super::context::{ingest_options, open_store, stdout, Exit, Session};
use super::{Cli, Command, InitArgs, NewArgs, RenumberArgs, TocArgs};
use adrgraph::author::{self, Draft};
use adrgraph::store::Outline;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Today, in local time.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// `folder` made absolute from the current directory.
fn absolute(folder: &Path) -> Result<PathBuf> {
    Ok(if folder.is_absolute() { folder.to_path_buf() } else { std::env::current_dir()?.join(folder) })
}

/// Print the draft as the command's answer: its diff (`--dry-run`), its JSON, or its path.
fn answer(cli: &Cli, draft: &Draft, shown: &Path, dry_run: bool) -> Result<()> {
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        #[derive(serde::Serialize)]
        struct Written<'a> {
            #[serde(flatten)]
            draft: &'a Draft,
            written: bool,
        }
        super::context::write_json(&mut out, &Written { draft, written: !dry_run })?;
    } else if dry_run {
        write!(out, "{}", adrgraph::output::clean(&draft.diff(&shown.display().to_string()), true))?;
    } else {
        writeln!(out, "{}", shown.display())?;
    }
    out.flush()?;
    Ok(())
}

/// The path to show for a file written in `folder` as the user named it.
fn shown_path(folder_as_given: &Path, draft: &Draft) -> PathBuf {
    folder_as_given.join(draft.path.file_name().unwrap_or_default())
}

/// The folder a writing command works in: `--folder`, else the one root.
fn folder_of(cli: &Cli, folder: Option<&PathBuf>) -> Result<PathBuf> {
    let opts = ingest_options(cli)?;
    Ok(match (folder, opts.roots.as_slice()) {
        (Some(f), _) => f.clone(),
        (None, [one]) => one.clone(),
        (None, roots) => {
            let names: Vec<String> = roots.iter().map(|r| format!("  - {}", r.display())).collect();
            bail!("there are {} roots; say which folder with --folder:\n{}", roots.len(), names.join("\n"))
        }
    })
}

/// `toc`: the folder's records as `adr generate toc` lists them.
pub fn toc(session: &mut Session<'_>, args: &TocArgs) -> Result<Exit> {
    let cli = session.cli;
    let folder = absolute(&folder_of(cli, args.folder.as_ref())?)?;
    if !folder.is_dir() {
        bail!("{}: no such folder; nothing written", folder.display());
    }
    let outline: Outline = session.store.load()?;
    session.warn();
    let read = |p: &Option<PathBuf>| -> Result<Option<String>> {
        p.as_ref().map(|p| super::context::read_user_file(p)).transpose()
    };
    let opts = author::TocOptions {
        prefix: args.prefix.clone(),
        intro: read(&args.intro)?,
        outro: read(&args.outro)?,
    };
    let entries = author::toc_entries(outline.as_corpus(), &folder, &opts)?;
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        super::context::write_json(&mut out, &entries)?;
    } else {
        let text = author::toc_markdown(&entries, &opts);
        match &args.output {
            Some(path) => {
                adrgraph::write::put(path, text.as_bytes())?;
                writeln!(out, "{}", path.display())?;
            }
            None => write!(out, "{}", adrgraph::output::clean(&text, true))?,
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}

/// `new`: the folder is `--folder` or the one root; the dialect the folder's, else `--dialect`'s
/// choice, else the project's `[new] dialect`, else the seed template.
pub fn new(session: &mut Session<'_>, args: &NewArgs) -> Result<Exit> {
    if let Some(id) = &args.renumber {
        return renumber(session, &RenumberArgs { id: id.clone(), dry_run: args.dry_run });
    }
    let cli = session.cli;
    let folder_as_given = folder_of(cli, args.folder.as_ref())?;
    let outline: Outline = session.store.load()?;
    session.warn();
    new_in(cli, outline.as_corpus(), &folder_as_given, args)
}

/// Whether `new` finds no ADR folder to write in: no `--root`, no configured roots, and nothing
/// found from here.
pub fn no_folder_found(cli: &Cli) -> bool {
    cli.global.root.is_empty()
        && super::context::load_config(cli.global.config.as_deref()).is_ok_and(|(c, _)| c.roots.is_empty())
        && std::env::current_dir()
            .is_ok_and(|cwd| matches!(adrgraph::ingest::discover(&cwd), Err(adrgraph::Error::NoRoot { .. })))
}

/// `new` where no ADR folder is found: the record goes into `--folder`, else `doc/adr` here,
/// made with the record (as `adr new` makes it).
pub fn new_fresh(cli: &Cli, args: &NewArgs) -> Result<Exit> {
    let folder = args.folder.clone().unwrap_or_else(|| PathBuf::from("doc/adr"));
    if !cli.global.quiet && !args.dry_run {
        eprintln!("note: no ADR folder found; writing into {} (made now)", folder.display());
    }
    new_in(cli, &adrgraph::ingest::Corpus::default(), &folder, args)
}

/// `new` in `folder_as_given`, the tree read as `corpus`.
fn new_in(
    cli: &Cli,
    corpus: &adrgraph::ingest::Corpus,
    folder_as_given: &Path,
    args: &NewArgs,
) -> Result<Exit> {
    let folder_as_given = folder_as_given.to_path_buf();
    let req = author::NewRecord {
        title: args.title.join(" "),
        folder: absolute(&folder_as_given)?,
        status: args.status.clone(),
        date: args.date.unwrap_or_else(today),
        dialect: args.dialect,
        fallback: super::context::load_config(cli.global.config.as_deref())?
            .0
            .new_dialect()
            .unwrap_or(adrgraph::Dialect::Seed),
        template: args.template.clone(),
    };
    let draft = author::new_record(corpus, &req)?;
    if let (Some(asked), Some(own)) = (req.dialect, draft.folder_dialect()) {
        if asked != own && !cli.global.quiet {
            eprintln!(
                "note: {} is written in {own}; writing this record in {asked} as asked",
                folder_as_given.display()
            );
        }
    }
    if args.dry_run {
        answer(cli, &draft, &shown_path(&folder_as_given, &draft), true)?;
        return Ok(Exit::Ok);
    }
    let draft = author::create(draft, req.date)?;
    let shown = shown_path(&folder_as_given, &draft);
    // The promise of every writing command: an operation that gives the tree an error is put
    // back (a template's link to a file the new record's folder lacks, a number taken twice).
    if let Err(reason) = gained_by_new(cli, corpus, &draft.path) {
        let _ = std::fs::remove_file(&draft.path);
        bail!("{}: {reason}; the new record was removed again", shown.display());
    }
    if !(args.supersedes.is_empty() && args.amends.is_empty() && args.link.is_empty()) {
        // The new record is read with the rest, then its relations are one operation with its
        // creation: if another record cannot be written, the new file goes away again.
        let related = relations_of_new(cli, &draft, args);
        if let Err(e) = related {
            let _ = std::fs::remove_file(&draft.path);
            return Err(e.context(format!("{} was not kept", shown.display())));
        }
    }
    answer(cli, &draft, &shown, false)?;
    if args.edit {
        edit(&draft.path)?;
    }
    Ok(Exit::Ok)
}

/// Open `$VISUAL`, else `$EDITOR`, on `path`, and wait for it.
fn edit(path: &Path) -> Result<()> {
    let editor = std::env::var_os("VISUAL")
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var_os("EDITOR").filter(|v| !v.is_empty()))
        .context("--edit: set $VISUAL or $EDITOR to the editor to open")?;
    let status = std::process::Command::new(&editor)
        .arg(path)
        .status()
        .with_context(|| format!("cannot start the editor {}", editor.to_string_lossy()))?;
    if !status.success() {
        bail!("the editor {} exited with {status}", editor.to_string_lossy());
    }
    Ok(())
}

/// `init`: the folder (default `doc/adr`) and its first record.
pub fn init(cli: &Cli, args: &InitArgs) -> Result<Exit> {
    let configured = super::context::load_config(cli.global.config.as_deref())?.0.new_dialect();
    let dialect = args.dialect.or(configured).unwrap_or(adrgraph::Dialect::Seed);
    // The folder named, else the one --root names (so that the next `--root DIR new` finds
    // it), else the dialect's own: MADR 3/4 keep `docs/decisions`, MADR 2 and log4brains
    // `docs/adr`, adr-tools `doc/adr`.
    let folder_as_given = match (&args.dir, cli.global.root.as_slice()) {
        (Some(dir), _) => dir.clone(),
        (None, [root]) => root.clone(),
        (None, []) => PathBuf::from(match dialect {
            adrgraph::Dialect::MadrFrontMatter => "docs/decisions",
            adrgraph::Dialect::Madr2 | adrgraph::Dialect::Log4brains => "docs/adr",
            _ => "doc/adr",
        }),
        (None, _) => {
            bail!("init makes one folder and --root names several: name the folder (`adrgraph init DIR`)")
        }
    };
    let folder = absolute(&folder_as_given)?;
    // What the folder holds already, if it exists: read it as a root of its own.
    let corpus = if folder.is_dir() {
        adrgraph::ingest::ingest(&adrgraph::ingest::IngestOptions::new([&folder]))?
    } else {
        adrgraph::ingest::Corpus::default()
    };
    let date = today();
    let draft = author::init(&corpus, &folder, dialect, date)?;
    if args.dry_run {
        answer(cli, &draft, &shown_path(&folder_as_given, &draft), true)?;
        return Ok(Exit::Ok);
    }
    let draft = author::create(draft, date)?;
    answer(cli, &draft, &shown_path(&folder_as_given, &draft), false)?;
    Ok(Exit::Ok)
}

/// The relations `args` asks of the record `draft` just wrote, written on both sides.
fn relations_of_new(cli: &Cli, draft: &Draft, args: &NewArgs) -> Result<()> {
    let mut store = open_store(cli, false)?;
    let outline: Outline = store.load()?;
    let corpus = outline.as_corpus();
    let cwd = std::env::current_dir()?;
    let new = corpus
        .index_where(|a| {
            std::fs::canonicalize(&a.path).ok().as_deref()
                == std::fs::canonicalize(&draft.path).ok().as_deref()
        })
        .context("the new record is not read back with the tree")?;
    let find = |n: &String| corpus.find_index(n, &cwd);
    let mut asked = author::Related {
        supersedes: args.supersedes.iter().map(find).collect::<Result<_, _>>()?,
        amends: args.amends.iter().map(find).collect::<Result<_, _>>()?,
        links: Vec::new(),
    };
    for l in &args.link {
        let mut parts = l.splitn(3, ':');
        let (Some(verb), Some(id)) = (parts.next(), parts.next()) else {
            bail!("--link {l:?}: write VERB:ID[:REVERSE], as `--link \"Clarifies:2:Clarified by\"`");
        };
        asked.links.push((verb.to_string(), corpus.find_index(id, &cwd)?, parts.next().map(str::to_string)));
    }
    let graph = outline.graph();
    let changes = author::relate_new(corpus, &graph, new, &asked, false, today())?;
    let after = checked_after(cli, corpus, &graph, &changes)?;
    author::apply(&changes, &after)?;
    Ok(())
}

/// Refresh the store after writing, so the next command finds it fresh (a store that cannot be
/// refreshed is said, and the next command refreshes it).
fn refresh(cli: &Cli) {
    if let Err(e) = open_store(cli, false) {
        if !cli.global.quiet {
            eprintln!("warning: the store was not refreshed after writing: {e:#}");
        }
    }
}

/// The check an operation's files pass once written: the tree as they leave it (the outline
/// `corpus` with the records `changes` touched read again; nothing else is read) has no more
/// errors of any rule than `corpus` has now.
fn checked_after<'a>(
    cli: &Cli,
    corpus: &'a adrgraph::ingest::Corpus,
    graph: &adrgraph::DecisionGraph,
    changes: &[author::Change],
) -> Result<impl Fn() -> std::result::Result<(), String> + 'a> {
    let cfg = super::context::load_config(cli.global.config.as_deref())?.0.lint_config();
    let vocabulary = ingest_options(cli)?.vocabulary;
    let before = author::Errors::of(corpus, graph, &cfg);
    let changed: Vec<_> = changes.iter().filter_map(|c| corpus.index_where(|a| a.path == c.path)).collect();
    Ok(move || {
        let after = author::reread(corpus, &changed, &vocabulary)?;
        let now = author::Errors::of(&after, &adrgraph::graph_of(&after), &cfg);
        before.gained(&now).map_or(Ok(()), Err)
    })
}

/// Whether the record just written at `path` gives the tree an error-level finding it did
/// not have: `Err` says which.
fn gained_by_new(
    cli: &Cli,
    corpus: &adrgraph::ingest::Corpus,
    path: &Path,
) -> std::result::Result<(), String> {
    let cfg = super::context::load_config(cli.global.config.as_deref())
        .map_err(|e| format!("{e:#}"))?
        .0
        .lint_config();
    let vocabulary = ingest_options(cli).map_err(|e| format!("{e:#}"))?.vocabulary;
    let before = author::Errors::of(corpus, &adrgraph::graph_of(corpus), &cfg);
    let after = author::with_new_record(corpus, path, &vocabulary)?;
    let now = author::Errors::of(&after, &adrgraph::graph_of(&after), &cfg);
    before.gained(&now).map_or(Ok(()), Err)
}

/// The check a renumbering passes once written: the tree read again through the store (the
/// record's file is new, so the whole of it is the one way to see it with every link to it)
/// has no more errors of any rule than `corpus` has now.
fn checked_renumbering<'a>(
    cli: &'a Cli,
    corpus: &adrgraph::ingest::Corpus,
    graph: &adrgraph::DecisionGraph,
) -> Result<impl Fn() -> std::result::Result<(), String> + 'a> {
    let cfg = super::context::load_config(cli.global.config.as_deref())?.0.lint_config();
    let before = author::Errors::of(corpus, graph, &cfg);
    Ok(move || {
        let mut store =
            open_store(cli, false).map_err(|e| format!("the tree cannot be read again: {e:#}"))?;
        let outline: Outline = store.load().map_err(|e| format!("the tree cannot be read again: {e}"))?;
        let now = author::Errors::of(outline.as_corpus(), &outline.graph(), &cfg);
        before.gained(&now).map_or(Ok(()), Err)
    })
}

/// `supersede`, `link` and `status`: the changes planned from the tree's outline, printed as a
/// diff (`--dry-run`), as JSON, or applied together and the files changed listed.
pub fn relate(session: &mut Session<'_>) -> Result<Exit> {
    let cli = session.cli;
    let outline: Outline = session.store.load()?;
    session.warn();
    let (mut changes, dry_run) = plan_relation(cli, &outline)?;
    if !dry_run {
        // Under the lock `new` takes, on every folder written: the tree is read again and the
        // changes planned again, so eight processes linking to one record at once each add
        // their line to what the others wrote, and a rollback never puts back bytes another
        // process wrote.
        let mut folders: Vec<PathBuf> = changes
            .iter()
            .filter_map(|c| Path::new(&c.path).parent().map(absolute))
            .collect::<Result<_>>()?;
        folders.sort();
        folders.dedup();
        let _locks =
            folders.iter().map(|f| adrgraph::write::lock_folder(f)).collect::<Result<Vec<_>, _>>()?;
        let outline: Outline = session.store.load()?;
        changes = plan_relation(cli, &outline)?.0;
        let graph = outline.graph();
        let after = checked_after(cli, outline.as_corpus(), &graph, &changes)?;
        author::apply(&changes, &after)?;
    }
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        #[derive(serde::Serialize)]
        struct Changed<'a> {
            changes: &'a [author::Change],
            written: bool,
        }
        super::context::write_json(&mut out, &Changed { changes: &changes, written: !dry_run })?;
    } else if dry_run {
        for c in &changes {
            write!(out, "{}", adrgraph::output::clean(&c.diff(), true))?;
        }
    } else {
        for c in &changes {
            writeln!(out, "{}", adrgraph::output::clean(&c.path, false))?;
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}

/// The changes a relation command makes to the tree read as `outline`, and whether it is a
/// dry run.
fn plan_relation(cli: &Cli, outline: &Outline) -> Result<(Vec<author::Change>, bool)> {
    let corpus = outline.as_corpus();
    let cwd = std::env::current_dir()?;
    let find = |name: &str| corpus.find_index(name, &cwd);
    let graph = outline.graph();
    Ok(match &cli.command {
        Command::Supersede(a) => (
            author::supersede(
                corpus,
                &graph,
                find(&a.old)?,
                find(&a.new)?,
                a.force,
                a.in_part.as_deref(),
                today(),
            )?,
            a.dry_run,
        ),
        Command::Link(a) => (
            author::link(corpus, find(&a.source)?, &a.verb, find(&a.target)?, a.reverse.as_deref())?,
            a.dry_run,
        ),
        Command::Status(a) => (
            author::status(corpus, find(&a.id)?, &a.status.join(" "), a.date.unwrap_or_else(today))?,
            a.dry_run,
        ),
        _ => unreachable!("only relations come here"),
    })
}

/// `renumber`: the record moved to the next free number of its folder; the new path on stdout.
pub fn renumber(session: &mut Session<'_>, args: &RenumberArgs) -> Result<Exit> {
    let cli = session.cli;
    let outline: Outline = session.store.load()?;
    session.warn();
    let corpus = outline.as_corpus();
    let id = corpus.find_index(&args.id, &std::env::current_dir()?)?;
    let moved = author::renumber(corpus, &outline.graph(), id)?;
    if !args.dry_run {
        let graph = outline.graph();
        let after = checked_renumbering(cli, corpus, &graph)?;
        author::apply_renumber(&moved, &after).inspect_err(|_| refresh(cli))?;
    }
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        #[derive(serde::Serialize)]
        struct Moved<'a> {
            #[serde(flatten)]
            moved: &'a author::Renumbered,
            written: bool,
        }
        super::context::write_json(&mut out, &Moved { moved: &moved, written: !args.dry_run })?;
    } else if args.dry_run {
        write!(out, "{}", adrgraph::output::clean(&moved.diff(), true))?;
    } else {
        writeln!(out, "{}", adrgraph::output::clean(&moved.to, false))?;
    }
    out.flush()?;
    Ok(Exit::Ok)
}

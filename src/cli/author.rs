//! `adrgraph new` and `adrgraph init`: a record written through the library's authoring stage
//! (`adrgraph::author`), its path on stdout (as `adr new` prints it), or the diff with
//! `--dry-run`, or what was written with `--json`.

use super::context::{ingest_options, stdout, Exit, Session};
use super::{Cli, InitArgs, NewArgs};
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
        adrgraph::output::write_json(&mut out, &Written { draft, written: !dry_run })?;
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

/// `new`: the folder is `--folder` or the one root; the dialect the folder's, else `--dialect`'s
/// choice, else the project's `[new] dialect`, else the seed template.
pub fn new(session: &mut Session<'_>, args: &NewArgs) -> Result<Exit> {
    let cli = session.cli;
    let opts = ingest_options(cli)?;
    let folder_as_given = match (&args.folder, opts.roots.as_slice()) {
        (Some(f), _) => f.clone(),
        (None, [one]) => one.clone(),
        (None, roots) => {
            let names: Vec<String> = roots.iter().map(|r| format!("  - {}", r.display())).collect();
            bail!("there are {} roots; say which folder with --folder:\n{}", roots.len(), names.join("\n"))
        }
    };
    let outline: Outline = session.store.load()?;
    session.warn();
    let req = author::NewRecord {
        title: args.title.join(" "),
        folder: absolute(&folder_as_given)?,
        status: args.status.clone(),
        date: args.date.unwrap_or_else(today),
        dialect: args.dialect.map(Into::into),
        fallback: adrgraph::Dialect::Seed,
        template: args.template.clone(),
    };
    let draft = author::new_record(outline.as_corpus(), &req)?;
    if let (Some(asked), Some(own)) =
        (req.dialect, author::FolderStyle::of(outline.as_corpus(), &req.folder).dialect)
    {
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
    let folder_as_given = args.dir.clone().unwrap_or_else(|| PathBuf::from("doc/adr"));
    let folder = absolute(&folder_as_given)?;
    let dialect = args.dialect.map(Into::into).unwrap_or(adrgraph::Dialect::Seed);
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

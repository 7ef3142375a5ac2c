//! Writing decisions: a new record ([`new_record`]) and a first one for a new folder
//! ([`init`]), each in the dialect its folder already uses, numbered and named as its
//! neighbours are, and created through the audited writer ([`crate::write::create`]): never
//! over an existing file, never through a symbolic link, parsed again and removed if it does
//! not read back as the record meant. A [`Draft`] is the file about to be written: its path and
//! text, shown as a diff by `--dry-run` before anything is written.
//!
//! Numbers are race-free: the folder is locked (an advisory lock on the folder itself) while the
//! next number is read from the names of the files there and the file is created, so two
//! `adrgraph new` in one folder at once never take the same number.

mod check;
mod edit;
mod folder;
mod neighbour;
mod relate;
mod templates;
mod toc;

pub use check::{reread, with_new_record, Errors};
pub use edit::{
    add_history, add_link, add_links, diff, link_title, renumber_heading, set_status, superseded_by,
};
pub use folder::{slug_of_title, FolderStyle, Scheme};
pub use neighbour::{complete_template, status_word, structure_of};
pub use relate::{
    apply, apply_renumber, link, relate_new, renumber, status, supersede, supersede_all, Change, Expect,
    Related, Renumbered,
};
pub use templates::{builtin, default_status, fill, first_record, Fill};
pub use toc::{toc_entries, toc_markdown, TocEntry, TocOptions};

use crate::error::{Error, Result};
use crate::ingest::Corpus;
use crate::model::Dialect;
use std::path::{Path, PathBuf};

/// What to write: a new record's title and fields, and where.
#[derive(Debug, Clone)]
pub struct NewRecord {
    /// The title (`Use Kafka for telemetry`).
    pub title: String,
    /// The folder to write in (absolute).
    pub folder: PathBuf,
    /// The status; `None`: the dialect's default ([`default_status`]).
    pub status: Option<String>,
    /// The date (today, unless asked otherwise).
    pub date: chrono::NaiveDate,
    /// The dialect asked for; `None`: the folder's own, else `fallback`.
    pub dialect: Option<Dialect>,
    /// The dialect of a folder with no record to learn from (the project's `[new] dialect`, else
    /// the seed template).
    pub fallback: Dialect,
    /// A template file to use instead of the folder's own or the built-in one.
    pub template: Option<PathBuf>,
}

/// A record about to be written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Draft {
    /// Where it will be written.
    pub path: PathBuf,
    /// Its number (0 for a dated scheme's record with no number).
    pub number: u32,
    /// The dialect it is written in.
    pub dialect: Dialect,
    /// Where its text came from: `builtin:<dialect>` or the template file's path.
    pub template: String,
    /// Its text.
    pub text: String,
    /// How the folder names its files.
    pub scheme: Scheme,
    /// The folder it is written in.
    #[serde(skip)]
    folder: PathBuf,
    /// The dialect the folder's records use, if it has any.
    #[serde(skip)]
    folder_dialect: Option<Dialect>,
    /// The title, for naming the file again under another number.
    #[serde(skip)]
    title: String,
    /// The text with its placeholders, for filling again under another number.
    #[serde(skip)]
    template_text: String,
    #[serde(skip)]
    fill: (String, String),
}

/// A folder's own template file, if it has one: adr-tools' `templates/template.md`, log4brains'
/// `template.md`, MADR's `adr-template.md`.
pub fn folder_template(folder: &Path) -> Option<PathBuf> {
    ["templates/template.md", "template.md", "adr-template.md"]
        .iter()
        .map(|t| folder.join(t))
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
}

/// With no template file, the structure of the folder's most recent record as a template
/// ([`newest_structure`]), with the file it came from; `None` for a folder with no record, a
/// dialect asked for that is not the folder's, a structure that would not read back with the
/// title, status and date its record has, or one the dialect's own template already holds.
fn neighbour_template(
    corpus: &Corpus,
    req: &NewRecord,
    folder_dialect: Option<Dialect>,
) -> Option<(String, String)> {
    if req.dialect.is_some() && req.dialect != folder_dialect {
        return None;
    }
    let (text, (adr, path)) = newest_structure(corpus, &req.folder)?;
    let plain =
        fill(&text, &Fill { number: "7", title: "Plain title", date: "2024-01-02", status: "Accepted" });
    let back = crate::parse::parse_adr(&plain, "plain.md", "plain.md").adr;
    let dated = matches!(
        adr.date_source,
        Some(
            crate::model::DateSource::Text
                | crate::model::DateSource::FrontMatter
                | crate::model::DateSource::Changelog
        )
    );
    let holds = back.title.as_deref() == Some("Plain title")
        && (adr.status_raw.is_none() || back.status_raw.is_some())
        && (!dated || back.date.is_some());
    if !holds {
        return None;
    }
    // The folder's own tool wrote it (adr-tools' template, MADR's): that template, with its
    // guidance, is what the tool itself would write, unless the neighbour's structure has
    // more (other headings or labels, another language, another title style).
    let dialect = req.dialect.or(folder_dialect).unwrap_or(req.fallback);
    let own = fill(
        builtin(dialect),
        &Fill { number: "7", title: "Plain title", date: "2024-01-02", status: "Accepted" },
    );
    let own_adr = crate::parse::parse_adr(&own, "own.md", "own.md").adr;
    if let Some(own) = structure_of(&own, &own_adr) {
        let own: std::collections::HashSet<&str> = own.lines().map(str::trim).collect();
        if text.lines().map(str::trim).all(|l| l.is_empty() || own.contains(l)) {
            return None;
        }
    }
    Some((text, crate::ingest::path_text(&path)))
}

/// The structure ([`structure_of`]) of the folder's most recent record (highest number, then
/// latest date, then last path), with the record and its file.
fn newest_structure<'c>(
    corpus: &'c Corpus,
    folder: &Path,
) -> Option<(String, (&'c crate::model::Adr, PathBuf))> {
    let (i, path) = folder::records_in(corpus, folder).max_by(|(a, pa), (b, pb)| {
        let (a, b) = (&corpus.adrs[a.get()], &corpus.adrs[b.get()]);
        (a.number, a.date, pa).cmp(&(b.number, b.date, pb))
    })?;
    let adr = &corpus.adrs[i.get()];
    let bytes = crate::ingest::read_guarded(&path, crate::ingest::DEFAULT_MAX_FILE_SIZE).ok()?;
    let src = String::from_utf8(bytes).ok()?;
    Some((structure_of(&src, adr)?, (adr, path)))
}

/// Refuse a title a record cannot carry on its first line.
fn check_title(title: &str) -> Result<&str> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::Config(
            "a new decision needs a title: `adrgraph new Use Kafka for telemetry`".into(),
        ));
    }
    if let Some(c) = title.chars().find(|&c| c.is_control() || crate::escape::is_forbidden(c)) {
        return Err(Error::Config(format!(
            "the title holds the character {c:?}, which no record title may hold"
        )));
    }
    Ok(title)
}

/// The record `req` asks for, in the folder's dialect and naming scheme, numbered after the
/// highest number in the folder (not written yet: see [`create`]).
pub fn new_record(corpus: &Corpus, req: &NewRecord) -> Result<Draft> {
    let title = check_title(&req.title)?;
    let style = FolderStyle::of(corpus, &req.folder);
    let dialect = req.dialect.or(style.dialect).unwrap_or(req.fallback);
    let (template_text, template) = match req.template.clone().or_else(|| folder_template(&req.folder)) {
        Some(path) => {
            let bytes = crate::ingest::read_guarded(&path, crate::ingest::DEFAULT_MAX_FILE_SIZE)
                .map_err(|source| Error::Io { path: path.clone(), source })?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::Config(format!("{}: the template is not UTF-8", path.display())))?;
            let structure = newest_structure(corpus, &req.folder).map(|(s, _)| s);
            (complete_template(&text, structure.as_deref()), crate::ingest::path_text(&path))
        }
        None => match neighbour_template(corpus, req, style.dialect) {
            Some((text, from)) => (text, format!("neighbour:{from}")),
            None => (builtin(dialect).to_string(), format!("builtin:{dialect}")),
        },
    };
    let scheme = style.scheme.clone().unwrap_or_else(|| Scheme::for_dialect(dialect));
    let status = req.status.clone().unwrap_or_else(|| {
        let default = default_status(dialect);
        // Written like the neighbours' own statuses (`提议` in a Chinese log).
        let wanted = crate::parse::text::parse_status(default).status;
        let records = folder::records_in(corpus, &req.folder).map(|(i, _)| &corpus.adrs[i.get()]);
        match template.starts_with("neighbour:") {
            true => status_word(records, wanted).unwrap_or_else(|| default.to_string()),
            false => default.to_string(),
        }
    });
    // A status is one line: a newline in it would add lines (sections) to the record.
    if let Some(c) = status.chars().find(|&c| c.is_control() || crate::escape::is_forbidden(c)) {
        return Err(Error::Config(format!("the status holds the character {c:?}, which no status may hold")));
    }
    if status.trim().is_empty() {
        return Err(Error::Config("the status is empty".into()));
    }
    let date = req.date.format("%Y-%m-%d").to_string();
    let mut draft = Draft {
        path: PathBuf::new(),
        number: 0,
        dialect,
        template,
        text: String::new(),
        scheme,
        folder: req.folder.clone(),
        folder_dialect: style.dialect,
        title: title.to_string(),
        template_text,
        fill: (status, date),
    };
    draft.number_as(style.highest + 1, req.date);
    Ok(draft)
}

/// The first record of a new folder, "Record architecture decisions", in `dialect`. Refuses a
/// folder that already holds decisions (`corpus` is the folder read as a root of its own, and
/// any markdown file named as a numbered record counts).
pub fn init(corpus: &Corpus, folder: &Path, dialect: Dialect, date: chrono::NaiveDate) -> Result<Draft> {
    let canonical = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    let under = corpus.abs_roots.iter().any(|r| r.starts_with(&canonical) || r.starts_with(folder));
    if (under && !corpus.adrs.is_empty()) || folder::highest_on_disk(folder, None) > 0 {
        return Err(Error::Config(format!(
            "{} already holds decisions; `adrgraph new TITLE` adds one",
            folder.display()
        )));
    }
    let mut draft = Draft {
        path: PathBuf::new(),
        number: 0,
        dialect,
        template: format!("builtin:init:{dialect}"),
        text: String::new(),
        scheme: Scheme::for_dialect(dialect),
        folder: folder.to_path_buf(),
        folder_dialect: None,
        title: "Record architecture decisions".into(),
        template_text: first_record(dialect),
        fill: ("Accepted".into(), date.format("%Y-%m-%d").to_string()),
    };
    draft.number_as(1, date);
    Ok(draft)
}

impl Draft {
    /// The dialect the folder's records use, when it has records (a draft in another dialect
    /// was asked for by name).
    pub fn folder_dialect(&self) -> Option<Dialect> {
        self.folder_dialect
    }

    /// Name and fill the draft as record `number`.
    fn number_as(&mut self, number: u32, date: chrono::NaiveDate) {
        self.number = number;
        let slug = slug_of_title(&self.title);
        self.path = self.folder.join(self.scheme.file_name(number, date, &slug));
        let padded = match &self.scheme {
            Scheme::Numbered { prefix, width, .. } if !prefix.is_empty() => format!("{number:0width$}"),
            _ => number.to_string(),
        };
        let (status, date) = &self.fill;
        self.text = fill(&self.template_text, &Fill { number: &padded, title: &self.title, date, status });
    }

    /// The unified diff that writing it makes (every line added to a new file), naming the
    /// file `shown`.
    pub fn diff(&self, shown: &str) -> String {
        let lines = crate::parse::split_lines(&self.text);
        let mut out = format!("--- /dev/null\n+++ {shown}\n@@ -0,0 +1,{} @@\n", lines.len());
        for l in lines {
            out.push('+');
            out.push_str(l.trim_end_matches(['\n', '\r']));
            out.push('\n');
        }
        out
    }
}

/// Write `draft` through the audited writer, with the folder locked: the number is taken again
/// from the files the folder holds now (another `new` may have just written one), the file is
/// created exclusively, read back and parsed; a record that does not read back with its title
/// (and number, for a numbered scheme) is removed again and reported. Returns the draft as
/// written (its number and path may have moved on).
pub fn create(mut draft: Draft, date: chrono::NaiveDate) -> Result<Draft> {
    let folder = draft.folder.clone();
    crate::write::make_folder(&folder)?;
    let _lock = crate::write::lock_folder(&folder)?;
    let on_disk = folder::highest_on_disk(&folder, Some(&draft.scheme));
    if draft.scheme.is_numbered() && on_disk >= draft.number {
        draft.number_as(on_disk + 1, date);
    }
    // The reader takes no number from a dated name: only a numbered scheme's is checked.
    let expect_number = matches!(draft.scheme, Scheme::Numbered { .. }).then_some(draft.number);
    // Every field the template gives is read back: a value that broke the front matter took
    // the status and the date with it while the title still read. What the template gives is
    // what it reads as when filled with plain values.
    let plain = fill(
        &draft.template_text,
        &Fill {
            number: &draft.number.to_string(),
            title: "Plain title",
            date: &draft.fill.1,
            status: "Accepted",
        },
    );
    let given = crate::parse::parse_adr(&plain, "plain.md", "plain.md").adr;
    let (status_meant, date_meant) = (given.status_raw.is_some(), given.date.is_some());
    crate::write::create(&draft.path, draft.text.as_bytes(), &|adr| {
        if adr.title.is_none() {
            return Err("it reads back with no title".into());
        }
        if status_meant && adr.status_raw.is_none() {
            return Err(format!("it reads back with no status (`{}` was written)", draft.fill.0));
        }
        if date_meant && adr.date.is_none() {
            return Err("it reads back with no date".into());
        }
        if expect_number.is_some() && adr.number != expect_number {
            return Err(format!("it reads back numbered {:?}, not {}", adr.number, draft.number));
        }
        Ok(())
    })?;
    Ok(draft)
}

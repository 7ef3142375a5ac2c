//! A table of contents of a folder's decisions, as `adr generate toc` writes it: a heading, an
//! optional introduction, one bullet per record (`* [1. Title](0001-title.md)`, each named by
//! its first heading as written), an optional closing text.

use super::edit::link_title;
use crate::error::{Error, Result};
use crate::ingest::Corpus;
use std::path::Path;

/// What a table of contents holds around its list.
#[derive(Debug, Clone, Default)]
pub struct TocOptions {
    /// Put before each link (`foo/doc/adr/`), as `adr generate toc -p` does.
    pub prefix: String,
    /// Markdown put after the heading.
    pub intro: Option<String>,
    /// Markdown put after the list.
    pub outro: Option<String>,
}

/// One line of the list: the record's link text and target.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// The record's first heading as written (`1. First Decision`).
    pub title: String,
    /// The link target (prefix and file name).
    pub link: String,
    /// The record's path.
    pub path: String,
}

/// The records of `folder` (absolute), in file-name order, as table-of-contents entries.
pub fn toc_entries(corpus: &Corpus, folder: &Path, opts: &TocOptions) -> Result<Vec<TocEntry>> {
    let mut out = Vec::new();
    for (i, path) in super::folder::records_in(corpus, folder) {
        let a = &corpus.adrs[i];
        let bytes = crate::ingest::read_guarded(&path, crate::ingest::DEFAULT_MAX_FILE_SIZE)
            .map_err(|source| Error::Io { path: path.clone(), source })?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push(TocEntry {
            title: link_title(a, &String::from_utf8_lossy(&bytes)),
            link: format!("{}{name}", opts.prefix),
            path: a.path.clone(),
        });
    }
    out.sort_by(|a, b| a.link.cmp(&b.link));
    Ok(out)
}

/// The table of contents of `entries` as markdown.
pub fn toc_markdown(entries: &[TocEntry], opts: &TocOptions) -> String {
    let mut out = String::from("# Architecture Decision Records\n\n");
    if let Some(intro) = &opts.intro {
        out.push_str(intro);
        if !intro.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    for e in entries {
        out.push_str(&format!("* {}\n", crate::write::markdown_link(&e.title, &e.link)));
    }
    if let Some(outro) = &opts.outro {
        out.push('\n');
        out.push_str(outro);
        if !outro.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

//! Human views (tables, records, figures) and JSON views of results, written to any
//! [`std::io::Write`].
//!
//! Human output is styled with ANSI colours; the binary writes through `anstream`, which strips
//! them when `NO_COLOR` is set, when `--color never` is given or when the output is not a
//! terminal. Text that comes from ADR files is passed through [`clean`] first, so a title cannot
//! move the cursor or change the terminal's state.

use crate::ingest::Corpus;
use crate::model::{Adr, Status};
use crate::stats::{Stats, FIELDS};
use anstyle::{AnsiColor, Style};
use serde::Serialize;
use std::io::{self, Write};

mod answers;
mod findings;
mod json;
mod records;

pub use answers::*;
pub use findings::*;
pub use json::*;
pub use records::*;
/// Remove terminal control characters (ESC, BEL, backspace, C1 controls, ...) from text that
/// came from a file; tabs become spaces and line breaks become ` ` unless `keep_newlines`.
/// Printable ASCII (nearly every id, title and path) is given back as it is, not copied: a
/// rich `impact` of 999 decisions cleaned some 6,000 such strings into fresh ones.
pub fn clean(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .filter_map(|c| match c {
            '\n' if keep_newlines => Some('\n'),
            '\n' | '\r' | '\t' => Some(' '),
            c if crate::escape::is_forbidden(c) => None,
            c => Some(c),
        })
        .collect()
}

/// The style of a status.
pub fn status_style(s: Status) -> Style {
    let color = match s {
        Status::Accepted => AnsiColor::Green,
        Status::Proposed => AnsiColor::Yellow,
        Status::Draft => AnsiColor::Cyan,
        Status::Rejected => AnsiColor::Red,
        Status::Deprecated | Status::Superseded => AnsiColor::BrightBlack,
        Status::Unknown => AnsiColor::Magenta,
    };
    Style::new().fg_color(Some(color.into()))
}

pub(super) const BOLD: Style = Style::new().bold();
pub(super) const DIM: Style = Style::new().dimmed();

pub(super) fn field(w: &mut dyn Write, name: &str, value: &str) -> io::Result<()> {
    writeln!(w, "{BOLD}{name:<16}{BOLD:#}{}", clean(value, false))
}

pub(super) fn block(w: &mut dyn Write, heading: &str, text: &str) -> io::Result<()> {
    writeln!(w, "\n{BOLD}{heading}{BOLD:#}")?;
    for line in clean(text, true).lines() {
        writeln!(w, "  {line}")?;
    }
    Ok(())
}

pub(super) fn bullets(w: &mut dyn Write, heading: &str, items: &[String], mark: &str) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(w, "\n{BOLD}{heading}{BOLD:#}")?;
    for i in items {
        writeln!(w, "  {mark} {}", clean(i, false))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;

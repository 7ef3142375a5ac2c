//! Markdown text -> [`Adr`] + [`Diagnostic`]s, for every dialect met in real decision logs:
//! adr-tools / Nygard, MADR 1-4, log4brains, the rich seed template, KEPs (`README.md` +
//! `kep.yaml`), and mixes of them.
//!
//! The flow for one file:
//!
//! 1. [`decode`] turns bytes into text (UTF-8, UTF-8 with BOM, UTF-16 with BOM; invalid UTF-8
//!    is replaced and reported with its line).
//! 2. `blocks::parse_doc` turns the text into a block tree with line numbers, using
//!    pulldown-cmark events and offsets; front matter is split off. Nothing inside a code block
//!    or span is ever read as a field, a link or template text.
//! 3. The tree is cut into sections at headings, and each heading is classified by its folded
//!    text (`## Context and Problem Statement`, `## Contexto`, `### Positive Consequences`, ...).
//! 4. Fields are read from wherever each dialect writes them, in this order of precedence:
//!    front matter (and a sidecar such as `kep.yaml`), then metadata lines before the first
//!    section (`**Status:** x`, `* Status: x`, `Date: x`, a two-column table), then sections
//!    (`## Status`, `## Changelog`, ...).
//! 5. Links are read from status lines, metadata, front matter keys, the links sections and
//!    prose, typed by the words before them, and bare ids in prose (`ADR-004`) become references.
//!
//! # The accepted grammar
//!
//! **Title.** The first level-1 heading that names no section (`# 12. Use Kafka`, `# ADR-012:
//! Use Kafka`); a first level-1 heading named like a section (`# 3. Links`, `# Status`) when
//! nothing else can be the title; front matter `title:`; else a first line `#25. Title` that
//! CommonMark does not take as a heading (no space after `#`).
//!
//! **Number.** The file name's (`0012-x.md`, `ADR-012-x.md`, `adr_012_x.md`, a KEP folder
//! `583-x/README.md`), else the title's, else front matter `number`/`kep-number`/`id`. A title
//! number that disagrees with the file's is kept as [`Adr::title_number`] (lint's
//! `number-mismatch`). Date-named files (`20201016-x.md`) number only by their title.
//!
//! **Status.** A `## Status` section (its first short line that names a status, or a
//! `Status:` line in it), a metadata line `Status: x` / `* Status: x` / `**Status:** x` / a
//! table row, or front matter `status:`. Words: accepted (approved, decided, implemented,
//! implementable, adopted, final...), proposed (pending, in review, provisional, deferred...),
//! draft, rejected (declined, withdrawn...), deprecated (obsolete, retired...), superseded
//! (superceded, replaced...), in English, French, Portuguese, Spanish and German; decoration
//! before the word is ignored (`✅ Accepted`, `:ok_hand: Accepted`, `⌛️ Superseded`).
//! `Accepted or Rejected` is template text (`ambiguous-status`). A `## Changelog` section's
//! dated lines that name a status are the status history.
//!
//! **Supersession and typed links.** On a status line, in metadata, in a links section (`##
//! Links`, `## Related`, `## More Information`, ...):
//! - `Superseded by T`, and the status word alone or dated before its successor: `Superseded
//!   T`, `Superseded: 2019-12-19 by T`, `Replaced (2022) by T`;
//! - `Supersedes T`, `Amends T`, `Amended by T`, and any relation verb before its first target
//!   (`Extends T`, `Refines T`, `Clarified by T`, `Depends on T`: a custom link labelled with the
//!   verb), plus the configuration's `link_phrases`;
//! - a target T is a markdown link or a bare id (`ADR-0019`, `ADR 14`, `MADR #032`); only the
//!   targets before a `: reason` are typed (`Amends [ADR 2](..): the tag list`);
//! - `in part`/`partly` before the verb, or a part named after the target (`ADR 0053 §7
//!   "Detection"`, `section 3`), is the link's qualifier: a supersession in part.
//!
//! In prose, `supersedes T` / `is superseded by T` sentences are typed the same way and other
//! links and bare ids are references. A version is never a reference: `MADR 2.1.2`, `ADR 3.x`.
//!
//! **Dates.** ISO `2016-02-12` (also `/` and `.`), day-first `12/02/2016` (month-first only when
//! day-first is impossible), `12 March 2019`, `01-Aug-2023`, `March 12, 2019`, `2020-Nov-09`,
//! `2020 November 9`, `20160212`; from front matter, `Date:` lines, a changelog, or the file name.
//!
//! **Options.** Items of `## Considered Options` (numbering and `Option 2:` prefixes dropped),
//! and each option's own sub-section, whose pros and cons are `Good, because` / `Bad, because`
//! items, `+`/`-` items, or items under a label alone on its line (`**Pros**`, `Cons:`) or a
//! deeper sub-heading (`#### Pros`). `Chosen option: "X", because Y` names X by title, by a
//! prefix of it, or by position (`Chosen option: 2`, `` Chosen Option `(3)` ``).
//!
//! **Template text.** `[Describe ...]`, `{title}`, `YYYY-MM-DD`, `ADR-{NUMBER}` and the other
//! placeholders of the common templates, outside code, are reported once per file with the line
//! of the first (`template-text`).
//!
//! Parsing never panics and never fails: whatever could be read is returned, and everything that
//! could not is a diagnostic.

pub(crate) mod blocks;
mod decode;
mod finish;
pub(crate) mod front_matter;
mod links;
mod metadata;
mod options;
mod patterns;
mod phrases;
mod sections;
pub mod text;

pub use decode::decode;
use links::*;
use metadata::*;
use options::*;
use patterns::*;
use sections::*;

use crate::model::{
    Adr, ConsideredOption, DateSource, Diagnostic, Dialect, Link, LinkKind, LinkSource, Outcome, Phase,
    Section, Severity, Status, StatusChange,
};
use blocks::{all_lines, blocks_text, Block, Item, Line, LineIndex};
use front_matter::FrontMatter;
use regex::Regex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;
use text::{bare_ids, clean_title, fold_key, parse_date, parse_status, split_people};

/// A metadata file kept beside a record (`kep.yaml` next to a KEP's `README.md`), read like
/// front matter.
#[derive(Debug, Clone, Copy)]
pub struct Sidecar<'a> {
    /// The YAML text.
    pub text: &'a str,
    /// Its path, for diagnostics.
    pub path: &'a str,
}

/// Words a project adds to what the parser understands (`adrgraph.toml`, `[parse]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Vocabulary {
    /// Extra status words (lowercase) and what they mean: `signed off` = accepted.
    pub status_words: Vec<(String, Status)>,
    /// Extra phrases that open a link line (lowercase) and the link they make:
    /// `obsoletes` = supersedes, `replaced with` = superseded_by.
    pub link_phrases: Vec<(String, LinkKind)>,
}

impl Vocabulary {
    fn status_of(&self, text: &str) -> Option<Status> {
        let t = text.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        self.status_words
            .iter()
            .find(|(w, _)| {
                t.starts_with(w.as_str()) && !t[w.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
            .map(|(_, s)| *s)
    }

    fn link_of(&self, body: &str) -> Option<(LinkKind, usize)> {
        let lower = body.to_lowercase();
        self.link_phrases
            .iter()
            .find(|(p, _)| {
                lower.starts_with(p.as_str()) && !lower[p.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
            .map(|(p, k)| (k.clone(), p.len()))
    }
}

/// The code of the note a record gets when it writes no title and its file's name gives one
/// (lint's `missing-title` still reports it; the writer does not count it as a written title).
pub const TITLE_FROM_FILE_NAME: &str = "title-from-file-name";

/// Every built-in phrase that makes a typed link: its words (lowercase), the link, and whether
/// a sentence in prose saying it is read as that link too (elsewhere only a line, label or key
/// that opens with it is). The one table the parser reads them from.
pub fn link_phrases() -> impl Iterator<Item = (&'static str, LinkKind, bool)> {
    phrases::PHRASES.iter().map(|p| (p.words, p.kind.clone(), p.prose))
}

/// Options for [`parse_adr_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions<'a> {
    /// Sidecar metadata, read with lower precedence than the file's own front matter.
    pub sidecar: Option<Sidecar<'a>>,
    /// Project words added to the built-in ones.
    pub vocabulary: Option<&'a Vocabulary>,
}

/// The result of parsing one file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    /// The record.
    pub adr: Adr,
    /// Problems found while reading it.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse one ADR from text. `path` is used in diagnostics and stored in the record; `rel_path`
/// (relative to the root, `/`-separated) gives the slug and the file-name number.
///
/// ```
/// let p = adrgraph::parse::parse_adr("# 3. Use Rust\n\nDate: 2024-05-01\n\n## Status\n\nAccepted\n",
///     "doc/adr/0003-use-rust.md", "0003-use-rust.md");
/// assert_eq!(p.adr.title.as_deref(), Some("Use Rust"));
/// assert_eq!(p.adr.number, Some(3));
/// assert_eq!(p.adr.status, adrgraph::Status::Accepted);
/// ```
pub fn parse_adr(src: &str, path: &str, rel_path: &str) -> Parsed {
    parse_adr_with(src, path, rel_path, ParseOptions::default())
}

/// Decode and parse one file's bytes.
pub fn parse_bytes(bytes: &[u8], path: &str, rel_path: &str, opts: ParseOptions<'_>) -> Parsed {
    let (text, mut diags) = decode(bytes, path);
    let mut parsed = parse_adr_with(&text, path, rel_path, opts);
    diags.append(&mut parsed.diagnostics);
    parsed.diagnostics = diags;
    parsed
}

/// Split a text into lines as the parser counts them: each ends at LF, CRLF or a lone CR, and
/// keeps its ending (the last line may have none).
pub fn split_lines(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&text[start..=i]);
                start = i + 1;
            }
            b'\r' => {
                let end = if b.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
                out.push(&text[start..end]);
                start = end;
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if start < b.len() {
        out.push(&text[start..]);
    }
    out
}

pub use crate::model::slug_for;

/// What a metadata label or a section heading names, as far as writing a new record in a
/// folder's own structure needs to know ([`names_of_label`], [`names_of_heading`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// The title (`Title:`, `标题`).
    Title,
    /// The status (`Status:`, `## Status`, `状态`).
    Status,
    /// The date (`Date:`, `## Date`, `日期`).
    Date,
    /// A link to another record (`Supersedes:`, `Relates to:`).
    Relation,
    /// Another field (deciders, tags, review date...).
    Other,
}

/// What a metadata label names (`**Status:**`, `* Date:`, `状态：`, `Deciders:`), in the
/// languages the parser reads; `None`: not a metadata label.
pub fn names_of_label(label: &str) -> Option<Names> {
    let folded = front_matter::fold_key(label.trim().trim_end_matches([':', '：']));
    Some(match metadata::field_of(&folded, &Vocabulary::default())? {
        metadata::Field::Title => Names::Title,
        metadata::Field::Status => Names::Status,
        metadata::Field::Date { .. } => Names::Date,
        metadata::Field::Link(_) | metadata::Field::Relation => Names::Relation,
        _ => Names::Other,
    })
}

/// Whether a heading opens a section the parser knows by its words (`Context`, `Decision
/// Outcome`, `Positive Consequences`, `状态`), not one named for its content (`Option 1:
/// Kafka`).
pub fn is_known_heading(heading: &str) -> bool {
    sections::classify(heading) != sections::Kind::Other || names_of_heading(heading) != Names::Other
}

/// What a section heading names: a status section (`## Status`, `## 状态`), a date section, or
/// any other.
pub fn names_of_heading(heading: &str) -> Names {
    let folded = sections::fold_heading(heading);
    if sections::classify_folded(&folded) == sections::Kind::Status {
        Names::Status
    } else if sections::is_date_heading(&folded) {
        Names::Date
    } else {
        Names::Other
    }
}

/// Parse one ADR from text, with options.
pub fn parse_adr_with(src: &str, path: &str, rel_path: &str, opts: ParseOptions<'_>) -> Parsed {
    let index = LineIndex::new(src);
    let doc = blocks::parse_doc(src, &index);
    let slug = slug_for(rel_path);
    let mut adr = Adr::empty(slug.clone(), path, rel_path);
    adr.slug = slug;
    let vocabulary = opts.vocabulary.cloned().unwrap_or_default();
    let mut x = Extractor {
        adr,
        diags: Vec::new(),
        path: path.to_string(),
        signals: Signals::default(),
        vocabulary,
        seen_links: Default::default(),
        dash_lines: dash_lines(src),
    };
    if doc.flattened {
        x.diag(
            0,
            Severity::Warning,
            "deep-nesting",
            format!("lists or quotes nested deeper than {} levels were flattened", blocks::MAX_DEPTH),
        );
    }
    if let Some(line) = doc.plain_from {
        x.diag(
            line,
            Severity::Warning,
            "markup-budget",
            format!(
                "more than {} units of markup (markup characters and block-opening lines): read as plain text from here on (fields and links past this line are not read)",
                blocks::MARKUP_BUDGET
            ),
        );
    }
    // Front matter, then sidecar metadata (lower precedence).
    if let Some((yaml, line)) = &doc.front_matter {
        match FrontMatter::parse(yaml) {
            Ok(fm) => x.front_matter(&fm, *line),
            Err(e) => x.diag(
                line + e.line.saturating_sub(1),
                Severity::Error,
                "front-matter",
                format!("front matter is not valid YAML: {}", e.message),
            ),
        }
    }
    if let Some(side) = opts.sidecar {
        match FrontMatter::parse(side.text) {
            Ok(fm) => x.front_matter(&fm, 0),
            Err(e) => x.diags.push(Diagnostic::new(
                side.path,
                e.line,
                Severity::Error,
                "front-matter",
                format!("metadata file is not valid YAML: {}", e.message),
            )),
        }
    }
    x.body(&doc.blocks);
    x.template_text(&doc);
    x.code_links(&doc);
    x.finish();
    Parsed { adr: x.adr, diagnostics: x.diags }
}

/// Compile every pattern the parser uses now (about 5 ms), rather than in the first parse: a
/// refresh that will parse a few files does it on a free core while it reads its manifest.
pub fn prepare() {
    for re in [
        &CHOSEN,
        &BECAUSE,
        &OPTION_PREFIX,
        &PHASE_PREFIX,
        &GOOD_BAD,
        &SUPERSEDED_BY,
        &SUPERSEDES,
        &AMENDED_BY,
        &AMENDS,
        &CUSTOM_VERB,
        &PROSE_SUPERSEDES,
        &PROSE_SUPERSEDED_BY,
        &NUMBERED,
        &TEMPLATE_TEXT,
    ] {
        LazyLock::force(re);
    }
    LazyLock::force(&HEADING_KINDS);
    text::prepare();
}

/// Signals collected for dialect detection.
#[derive(Debug, Default)]
struct Signals {
    front_matter_meta: bool,
    front_matter: bool,
    bold_meta: bool,
    list_meta: bool,
    /// A metadata bullet written with `-` (log4brains writes `- Status:`; MADR 2 `* Status:`).
    dash_meta: bool,
    plain_meta: bool,
    tags: bool,
    status_section: bool,
    madr_headings: bool,
    seed_headings: bool,
    nygard_title: bool,
    madr1: bool,
}

struct Extractor {
    adr: Adr,
    diags: Vec<Diagnostic>,
    path: String,
    signals: Signals,
    vocabulary: Vocabulary,
    /// (kind, target, line) of every link pushed: a link said twice on one line is kept once,
    /// found with one look-up (a scan of every earlier link made 80,000 links take 9-15 s).
    seen_links: std::collections::HashSet<(LinkKind, String, u32)>,
    /// The lines among the first [`DASH_LINES`] that start with a `-` bullet.
    dash_lines: Vec<u32>,
}

/// How far down a file its metadata bullets are looked at for their bullet character.
const DASH_LINES: usize = 200;

/// The 1-based numbers of the lines among the first [`DASH_LINES`] that start with `- ` (lines
/// ended as the parser ends them: LF, CRLF or a lone CR).
fn dash_lines(src: &str) -> Vec<u32> {
    src.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
        .take(DASH_LINES)
        .enumerate()
        .filter(|(_, l)| l.trim_start().strip_prefix('-').is_some_and(|r| r.starts_with([' ', '\t'])))
        .map(|(k, _)| k as u32 + 1)
        .collect()
}

/// A section: heading (None for the preamble), its kind and its blocks.
struct Sec<'a> {
    heading: Option<(&'a Line, u8)>,
    /// The heading folded for classification (empty for the preamble).
    folded: String,
    kind: Kind,
    /// Kind of the enclosing level-1/2 section, for level 3+ headings.
    parent: Kind,
    blocks: &'a [Block],
}

impl Extractor {
    pub(super) fn diag(&mut self, line: u32, severity: Severity, code: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::new(self.path.clone(), line, severity, code, message));
    }
}

#[cfg(test)]
mod tests;

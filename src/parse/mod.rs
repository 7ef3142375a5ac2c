//! Markdown text -> [`Adr`] + [`Diagnostic`]s, for every dialect met in real decision logs:
//! adr-tools / Nygard, MADR 1-4, log4brains, the rich seed template, KEPs (`README.md` +
//! `kep.yaml`), and mixes of them.
//!
//! The flow for one file:
//!
//! 1. [`decode`] turns bytes into text (UTF-8, UTF-8 with BOM, UTF-16 with BOM; invalid UTF-8
//!    is replaced and reported with its line).
//! 2. [`blocks::parse_doc`] turns the text into a block tree with line numbers, using
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

pub mod blocks;
pub mod front_matter;
pub mod text;

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

/// Decode bytes as text. UTF-8 (with or without BOM) and UTF-16 with a BOM are read; invalid
/// UTF-8 sequences are replaced with U+FFFD and reported once, with the line of the first one;
/// NUL bytes mark a binary file and are reported.
pub fn decode<'a>(bytes: &'a [u8], path: &str) -> (Cow<'a, str>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        let text: String =
            char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
        diags.push(Diagnostic::new(
            path,
            0,
            Severity::Note,
            "utf16",
            "file is UTF-16; read as such (UTF-8 is expected in ADR trees)",
        ));
        return (Cow::Owned(text), diags);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(pos) = memchr::memchr(0, body) {
        let line = body[..pos].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        diags.push(Diagnostic::new(
            path,
            line,
            Severity::Error,
            "binary",
            "file contains NUL bytes: it looks binary, not markdown",
        ));
    }
    match std::str::from_utf8(body) {
        Ok(s) => (Cow::Borrowed(s), diags),
        Err(e) => {
            let valid = e.valid_up_to();
            let line = body[..valid].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let bad = String::from_utf8_lossy(body).matches('\u{FFFD}').count();
            if !diags.iter().any(|d| d.code == "binary") {
                diags.push(Diagnostic::new(
                    path,
                    line,
                    Severity::Error,
                    "invalid-utf8",
                    format!("invalid UTF-8 (first at byte {valid}); {bad} sequence(s) replaced with U+FFFD"),
                ));
            }
            (Cow::Owned(String::from_utf8_lossy(body).into_owned()), diags)
        }
    }
}

/// Decode and parse one file's bytes.
pub fn parse_bytes(bytes: &[u8], path: &str, rel_path: &str, opts: ParseOptions<'_>) -> Parsed {
    let (text, mut diags) = decode(bytes, path);
    let mut parsed = parse_adr_with(&text, path, rel_path, opts);
    diags.append(&mut parsed.diagnostics);
    parsed.diagnostics = diags;
    parsed
}

/// The slug of a record at `rel_path`: the file stem, or the folder name for
/// `folder/README.md` and `folder/index.md` records.
pub fn slug_for(rel_path: &str) -> String {
    let mut parts = rel_path.rsplit('/');
    let file = parts.next().unwrap_or(rel_path);
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    if matches!(stem.to_lowercase().as_str(), "readme" | "index") {
        if let Some(dir) = parts.next() {
            return dir.to_string();
        }
    }
    stem.to_string()
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
    x.finish();
    Parsed { adr: x.adr, diagnostics: x.diags }
}

/// What kind of section a heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Preamble,
    Title,
    Status,
    Context,
    Drivers,
    Options,
    Outcome,
    Decision,
    Consequences,
    Positive,
    Negative,
    Neutral,
    ProsCons,
    Implementation,
    Validation,
    Links,
    Changelog,
    Deciders,
    Other,
}

const HEADINGS: &[(Kind, &[&str])] = &[
    (Kind::Status, &["status", "statut", "estado", "state", "decision status", "current status", "situação"]),
    (
        Kind::Context,
        &[
            "context",
            "context and problem statement",
            "context and problem",
            "problem statement",
            "problem",
            "background",
            "motivation",
            "contexto",
            "contexte",
            "contexte et problématique",
            "contexto e problema",
            "kontext",
            "summary",
            "issue",
            "the problem",
            "context & problem statement",
        ],
    ),
    (
        Kind::Drivers,
        &[
            "decision drivers",
            "drivers",
            "forces",
            "critères de décision",
            "facteurs de décision",
            "decision criteria",
            "requirements",
            "goals",
        ],
    ),
    (
        Kind::Options,
        &[
            "considered options",
            "considered alternatives",
            "options",
            "options considered",
            "alternatives",
            "alternatives considered",
            "options envisagées",
            "options considérées",
            "opções consideradas",
            "alternativas",
        ],
    ),
    (
        Kind::Outcome,
        &[
            "decision outcome",
            "outcome",
            "résultat de la décision",
            "résultat",
            "resultado da decisão",
            "chosen option",
        ],
    ),
    (
        Kind::Decision,
        &[
            "decision",
            "décision",
            "decisão",
            "decisión",
            "entscheidung",
            "the decision",
            "proposal",
            "proposed decision",
            "what's proposed",
            "what’s proposed",
            "solution",
            "proposed solution",
        ],
    ),
    (
        Kind::Consequences,
        &[
            "consequences",
            "conséquences",
            "consequências",
            "consecuencias",
            "konsequenzen",
            "implications",
            "impact",
        ],
    ),
    (
        Kind::Positive,
        &["positive consequences", "positive", "good", "benefits", "conséquences positives", "pros"],
    ),
    (
        Kind::Negative,
        &["negative consequences", "negative", "bad", "drawbacks", "conséquences négatives", "cons", "risks"],
    ),
    (Kind::Neutral, &["neutral consequences", "neutral"]),
    (
        Kind::ProsCons,
        &[
            "pros and cons of the options",
            "pros and cons of the alternatives",
            "pros and cons",
            "detailed analysis",
            "analysis",
            "avantages et inconvénients des options",
            "options analysis",
            "evaluation",
        ],
    ),
    (
        Kind::Implementation,
        &["implementation plan", "implementation", "rollout", "rollout plan", "migration plan", "plan"],
    ),
    (
        Kind::Validation,
        &["validation criteria", "validation", "confirmation", "success criteria", "success metrics"],
    ),
    (
        Kind::Links,
        &[
            "links",
            "references",
            "related",
            "related decisions",
            "related adrs",
            "related resources",
            "see also",
            "liens",
            "referências",
            "further reading",
            "more information",
            "additional information",
        ],
    ),
    (
        Kind::Changelog,
        &["changelog", "change log", "history", "status history", "revision history", "changes"],
    ),
    (Kind::Deciders, &["deciders", "decision makers", "decision-makers", "authors"]),
];

/// Fold a heading for classification: lowercase, leading numbering/emoji removed, trailing
/// `:` removed, whitespace collapsed.
fn fold_heading(h: &str) -> String {
    let start = h.char_indices().find(|(_, c)| c.is_alphabetic()).map(|(i, _)| i).unwrap_or(h.len());
    let h = h[start..].trim().trim_end_matches([':', '.']).trim();
    let mut out = String::with_capacity(h.len());
    for w in h.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}

/// [`HEADINGS`] by name (the first kind that lists a name), and by names longer than five
/// bytes: a heading is classified for every section and many paragraphs.
type HeadingKinds = (HashMap<&'static str, Kind>, HashMap<&'static str, Kind>);
static HEADING_KINDS: LazyLock<HeadingKinds> = LazyLock::new(|| {
    let (mut all, mut long) = (HashMap::new(), HashMap::new());
    for (kind, names) in HEADINGS {
        for n in *names {
            all.entry(*n).or_insert(*kind);
            if n.len() > 5 {
                long.entry(*n).or_insert(*kind);
            }
        }
    }
    (all, long)
});

fn classify(heading: &str) -> Kind {
    classify_folded(&fold_heading(heading))
}

/// [`classify`] of a heading already folded.
fn classify_folded(f: &str) -> Kind {
    let (all, long) = &*HEADING_KINDS;
    if let Some(kind) = all.get(f) {
        return *kind;
    }
    // Forms such as `Status (as of 2023)`, `Context and problem statement (why)`.
    let first = f.split(|c: char| !c.is_alphanumeric() && c != ' ').next().unwrap_or("");
    long.get(first.trim()).copied().unwrap_or(Kind::Other)
}

static CHOSEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\W*chosen\s+(?:option|alternative)s?\s*:?\s*(.*)$"#).expect("valid regex")
});
static BECAUSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i),?\s*\bbecause\b[,:]?\s*").expect("valid regex"));
/// `Option 2:`, `Alternative B -`, and list numbering written into the text (`1. Use Redis`).
static OPTION_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:option|alternative|opção|opcion|option n°)\s*(?:\d+|[a-z])\s*[:.)\-–—]\s*|\(?\d{1,2}[.)]\s+)",
    )
    .expect("valid regex")
});
static PHASE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:phase|stage|step|milestone)\s*\d+\s*[:.)\-–—]\s*").expect("valid regex")
});
static GOOD_BAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(good|bad|neutral|pro|con|positive|negative)\s*(?:,\s*because\b|:|,)\s*")
        .expect("valid regex")
});
/// `Superseded by`, and the status word alone before its successor: `Superseded
/// [0019](..)`, `Superseded: 2019-12-19 by [ADR 14](..)`, `Replaced (2021) by ADR-7`.
static SUPERSEDED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(partly|partially|in part)\s+)?(?:superseded|superceded|superseeded|replaced|remplacée?|substituído)\b(?:[^\[\]()A-Za-z]*\b(?:by|par|por)\b)?",
    )
    .expect("valid regex")
});
static SUPERSEDES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(partly|partially|in part)\s+)?(?:supersedes|supercedes|supersede|replaces|remplace)\b",
    )
    .expect("valid regex")
});
static AMENDED_BY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^amended\s+by\b").expect("valid regex"));
static AMENDS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^amends\b").expect("valid regex"));
static CUSTOM_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Z][a-z]+(?:\s+[a-z]+){0,2})\s*:?\s*$").expect("valid regex"));
static PROSE_SUPERSEDES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(in part|partly|partially)\s+)?(?:supersedes|supercedes)\b(?:\s+(some aspects of|parts of|part of|aspects of))?",
    )
    .expect("valid regex")
});
static PROSE_SUPERSEDED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:is|was|been|are|were|now|being)\s+(?:(partly|partially|in part)\s+)?(?:superseded|superceded)\s+by\b",
    )
    .expect("valid regex")
});
/// `3. Create a PodTemplate` / `2` / `Option 2`: an option named by its position.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:option\s*)?(\d{1,2})(?:\s*[.):\-]\s*(.*))?$").expect("valid regex")
});

/// Placeholder text of the common templates, left in when a record was never filled in.
static TEMPLATE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\[(?:describe|option \d|driver \d|benefit \d|downside \d|metric \d|link to|deliverable \d|estimate|level:|list of|short title|title\]|proposed \||date to revisit|name\])[^\]]*\]|\{[a-z][a-z _-]{1,40}\}|\bYYYY-MM-DD\b|\bADR-\{NUMBER\}",
    )
    .expect("valid regex")
});

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

/// Whether a text spells `super` (any case) and `ADR` or `Adr`: without them, the text holds no
/// supersession sentence and no bare id. Asked once of a section's text, not of each line.
#[derive(Debug, Clone, Copy)]
struct Mentions {
    super_: bool,
    adr: bool,
}

impl Mentions {
    fn of(text: &str) -> Mentions {
        Mentions { super_: spells_super(text), adr: spells_adr(text) }
    }
}

/// Whether `s` holds `word` (lower case ASCII) in any ASCII case, looked for from each place
/// of its letter at `anchor` (its rarest) with memchr: cheaper than a regex or a search per
/// spelling.
fn spells(s: &str, word: &[u8], anchor: usize) -> bool {
    let b = s.as_bytes();
    let c = word[anchor];
    memchr::memchr2_iter(c, c.to_ascii_uppercase(), b).any(|i| {
        i >= anchor
            && b.get(i - anchor..i - anchor + word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// Whether `s` holds `super` in any ASCII case (from each `p`, rarer than `s` or `u`).
fn spells_super(s: &str) -> bool {
    spells(s, b"super", 2)
}

/// Whether `s` holds `ADR` or `Adr`, as every bare id does.
fn spells_adr(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'A', b).any(|i| matches!(b.get(i + 1..i + 3), Some(b"DR" | b"dr")))
}

/// A link target found in a line.
struct Target {
    text: String,
    target: String,
}

fn decision_like_href(href: &str) -> bool {
    let h = href.trim();
    if h.is_empty() || h.starts_with('#') || h.starts_with("mailto:") {
        return false;
    }
    let no_anchor = h.split(['#', '?']).next().unwrap_or(h);
    let last = no_anchor.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let ext = last.rsplit_once('.').map(|(_, e)| e.to_lowercase());
    if h.starts_with("http://") || h.starts_with("https://") {
        return matches!(ext.as_deref(), Some("md") | Some("markdown"));
    }
    if h.contains("://") {
        return false;
    }
    match ext.as_deref() {
        None => true,
        Some("md") | Some("markdown") => true,
        // `0005-x.v2` style names are rare; a numeric "extension" is part of the name.
        Some(e) => e.chars().all(|c| c.is_ascii_digit()),
    }
}

impl Extractor {
    fn diag(&mut self, line: u32, severity: Severity, code: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::new(self.path.clone(), line, severity, code, message));
    }

    fn push_link(
        &mut self,
        kind: LinkKind,
        label: Option<String>,
        qualifier: Option<String>,
        t: Target,
        source: LinkSource,
        line: u32,
    ) {
        let number = text::number_in_reference(&t.text, &t.target);
        if self.seen_links.insert((kind.clone(), t.target.clone(), line)) {
            let link = Link { kind, label, qualifier, text: t.text, target: t.target, number, source, line };
            self.adr.links.push(link);
        }
    }

    /// Links and bare ids of `line` from byte `from` on (up to `to`).
    fn targets(line: &Line, from: usize, to: usize) -> Vec<Target> {
        Self::placed_targets(line, from, to).into_iter().map(|(_, _, t)| t).collect()
    }

    /// [`Self::targets`] with the byte range of each in `line.text`.
    fn placed_targets(line: &Line, from: usize, to: usize) -> Vec<(usize, usize, Target)> {
        let mut out: Vec<(usize, usize, Target)> = Vec::new();
        for l in line.links.iter().filter(|l| l.start >= from && l.start < to) {
            out.push((l.start, l.end, Target { text: l.text.clone(), target: l.href.clone() }));
        }
        let end = to.min(line.text.len());
        if from < end && line.text.is_char_boundary(from) && line.text.is_char_boundary(end) {
            for id in bare_ids(&line.text[from..end]) {
                let (s, e) = (from + id.start, from + id.end);
                if !line.in_link_or_code(s, e) {
                    out.push((s, e, Target { text: id.text.clone(), target: id.text }));
                }
            }
        }
        out.sort_by_key(|(s, _, _)| *s);
        out
    }

    /// The targets between `from` and `to`, each with the part it names (see [`part_named`]).
    fn parted_targets(line: &Line, from: usize, to: usize) -> Vec<(Target, Option<String>)> {
        let all = Self::placed_targets(line, from, to);
        let to = to.min(line.text.len());
        (0..all.len())
            .map(|k| {
                let e = all[k].1;
                let next = all.get(k + 1).map_or(to, |(s, _, _)| *s).max(e);
                let part = line.text.get(e..next).and_then(part_named);
                (Target { text: all[k].2.text.clone(), target: all[k].2.target.clone() }, part)
            })
            .collect()
    }

    /// The targets of a typed link line after its verb (which ends at `from`): those before the
    /// first `:` that follows a target (`Amends [ADR 2](..): the tag list` types only ADR 2), each
    /// with the part it names when one follows it (`ADR 0053 §7 "Detection"`).
    fn typed_targets(line: &Line, from: usize) -> Vec<(Target, Option<String>)> {
        let Some(first_end) = Self::placed_targets(line, from, line.text.len()).first().map(|t| t.1) else {
            return Vec::new();
        };
        let stop = line.text[first_end..].find(": ").map_or(line.text.len(), |i| first_end + i);
        Self::parted_targets(line, from, stop)
    }

    /// Read a status-section line, a status metadata value, or a link line. Returns true when
    /// the line said something (a status or a link).
    fn status_or_link_line(&mut self, line: &Line, from: usize, source: LinkSource) -> bool {
        let text = &line.text[from..];
        let lead = text.char_indices().find(|(_, c)| c.is_alphabetic()).map(|(i, _)| i).unwrap_or(text.len());
        let body = &text[lead..];
        let start = from + lead;
        let all = line.text.len();
        if let Some((kind, len)) = self.vocabulary.link_of(body) {
            let targets = Self::typed_targets(line, start + len);
            let found = !targets.is_empty();
            for (t, part) in targets {
                self.push_link(kind.clone(), None, part, t, source, line.line);
            }
            if kind == LinkKind::SupersededBy {
                self.adr.status_history.push(StatusChange {
                    status: Status::Superseded,
                    raw: body.to_string(),
                    date: None,
                    line: line.line,
                });
                if source == LinkSource::Status || source == LinkSource::Metadata {
                    self.adr.status = Status::Superseded;
                    self.adr.status_raw = Some(body.to_string());
                }
            }
            return found;
        }
        if let Some(m) = SUPERSEDED_BY.captures(body) {
            let q = m.get(1).map(|q| q.as_str().to_lowercase());
            for (t, part) in Self::typed_targets(line, start + m.get(0).map_or(0, |g| g.end())) {
                let q = part.or_else(|| q.clone());
                self.push_link(LinkKind::SupersededBy, None, q, t, source, line.line);
            }
            self.record_status(
                body,
                line.line,
                source == LinkSource::Status || source == LinkSource::Metadata,
            );
            return true;
        }
        let typed = [
            (&*SUPERSEDES, LinkKind::Supersedes),
            (&*AMENDED_BY, LinkKind::AmendedBy),
            (&*AMENDS, LinkKind::Amends),
        ];
        for (re, kind) in typed {
            if let Some(m) = re.captures(body) {
                let q = m.get(1).map(|q| q.as_str().to_lowercase());
                let targets = Self::typed_targets(line, start + m.get(0).map_or(0, |g| g.end()));
                let found = !targets.is_empty();
                for (t, part) in targets {
                    let q = part.or_else(|| q.clone());
                    self.push_link(kind.clone(), None, q, t, source, line.line);
                }
                return found;
            }
        }
        // Another relation verb before the first target: `Clarified by [..](..)`, `Extends
        // [ADR 19](..)`, `Depends on ADR-0019: why` (adr-tools' `adr link` pairs and their kin).
        if let Some((first_start, _, first)) = Self::placed_targets(line, start, all).into_iter().next() {
            let before = line.text[start..first_start].trim();
            if let Some(c) = CUSTOM_VERB.captures(before) {
                let verb = c[1].to_string();
                if is_relation_verb(&verb)
                    && decision_like_href(&first.target)
                    && !parse_status(&verb).recognised
                {
                    let kind = custom_kind(&verb);
                    let label = (kind == LinkKind::Custom).then(|| verb.clone());
                    for (t, _) in Self::typed_targets(line, first_start) {
                        self.push_link(kind.clone(), label.clone(), None, t, source, line.line);
                    }
                    return true;
                }
            }
        }
        false
    }

    /// Record a status statement (from a status line or value).
    fn record_status(&mut self, raw: &str, line: u32, authoritative: bool) -> bool {
        let raw = raw.trim();
        let mut w = parse_status(raw);
        if let Some(st) = self.vocabulary.status_of(raw) {
            w = text::StatusWord { status: st, recognised: true, ambiguous: false };
        }
        if !w.recognised {
            return false;
        }
        if w.ambiguous {
            self.diag(
                line,
                Severity::Warning,
                "ambiguous-status",
                format!("status `{raw}` names more than one status (template text left in?)"),
            );
        }
        let date = parse_date(raw).map(|f| f.date);
        self.adr.status_history.push(StatusChange { status: w.status, raw: raw.to_string(), date, line });
        if authoritative || self.adr.status_raw.is_none() {
            self.adr.status = w.status;
            self.adr.status_raw = Some(raw.to_string());
        }
        true
    }

    fn set_date(&mut self, raw: &str, line: u32, source: DateSource) -> bool {
        if self.adr.date.is_some() {
            return true;
        }
        match parse_date(raw) {
            Some(f) => {
                if let Some(note) = &f.note {
                    self.diag(line, Severity::Note, "date-reinterpreted", note.clone());
                }
                self.adr.date = Some(f.date);
                self.adr.date_raw = Some(raw.trim().to_string());
                self.adr.date_source = Some(source);
                true
            }
            None => false,
        }
    }

    fn front_matter(&mut self, fm: &FrontMatter, line: u32) {
        self.signals.front_matter |= line > 0;
        const META: &[&str] = &[
            "status",
            "statut",
            "date",
            "deciders",
            "decision-makers",
            "décideurs",
            "consulted",
            "informed",
            "supersedes",
            "superseded-by",
            "creation-date",
        ];
        if line > 0 && fm.has_any(META) {
            self.signals.front_matter_meta = true;
        }
        if self.adr.title.is_none() {
            if let Some(t) = fm.first(&["title"]) {
                let (t, n) = clean_title(t);
                self.adr.title = Some(t);
                self.adr.number = self.adr.number.or(n);
            }
        }
        if self.adr.number.is_none() {
            self.adr.number = fm
                .first(&["kep-number", "number", "adr-number", "id"])
                .and_then(|v| v.trim().trim_start_matches(|c: char| !c.is_ascii_digit()).parse().ok());
        }
        if self.adr.status_raw.is_none() {
            if let Some(s) = fm.first(&["status", "statut", "estado", "state"]) {
                let s = s.to_string();
                let fake = inline_line(&s, line);
                if !self.status_or_link_line(&fake, 0, LinkSource::Status)
                    && !self.record_status(&fake.text, line, true)
                {
                    self.adr.status_raw = Some(s.clone());
                    self.adr.status = Status::Unknown;
                    self.diag(
                        line,
                        Severity::Warning,
                        "unknown-status",
                        format!("status `{s}` is not a known status word"),
                    );
                }
            }
        }
        if let Some(d) = fm.first(&[
            "date",
            "created",
            "creation-date",
            "date-created",
            "decided",
            "last-updated",
            "updated",
        ]) {
            let d = d.to_string();
            if !self.set_date(&d, line, DateSource::FrontMatter) && !text::is_placeholder_value(&d) {
                self.diag(
                    line,
                    Severity::Warning,
                    "bad-date",
                    format!("front matter date `{d}` is not a date"),
                );
            }
        }
        let people = |keys: &[&str]| -> Vec<String> {
            fm.get(keys).map(|v| v.iter().flat_map(|p| split_people(p)).collect()).unwrap_or_default()
        };
        if self.adr.deciders.is_empty() {
            self.adr.deciders = people(&[
                "deciders",
                "decision-makers",
                "décideurs",
                "decideurs",
                "deciders-and-stakeholders",
                "authors",
                "author",
                "owners",
            ]);
        }
        if self.adr.consulted.is_empty() {
            self.adr.consulted = people(&["consulted", "consultés"]);
        }
        if self.adr.informed.is_empty() {
            self.adr.informed = people(&["informed", "informés"]);
        }
        if self.adr.tags.is_empty() {
            if let Some(tags) = fm.get(&["tags", "tag", "labels", "keywords", "categories"]) {
                self.adr.tags = tags.iter().flat_map(|t| split_tags(t)).collect();
            }
        }
        if self.adr.technical_story.is_none() {
            self.adr.technical_story =
                fm.first(&["technical-story", "story", "issue", "tracking-issue"]).map(str::to_string);
        }
        if self.adr.review_date.is_none() {
            if let Some(r) = fm.first(&["review-date", "review", "next-review", "revisit"]) {
                if let Some(f) = parse_date(r) {
                    self.adr.review_date = Some(f.date);
                    self.adr.review_date_raw = Some(r.to_string());
                }
            }
        }
        let link_keys: &[(&[&str], LinkKind)] = &[
            (&["supersedes", "supercedes", "replaces"], LinkKind::Supersedes),
            (&["superseded-by", "supersededby", "superceded-by", "replaced-by"], LinkKind::SupersededBy),
            (&["amends"], LinkKind::Amends),
            (&["amended-by", "amendedby"], LinkKind::AmendedBy),
            (
                &[
                    "relatesto",
                    "relates-to",
                    "related",
                    "see-also",
                    "extends",
                    "requires",
                    "depends-on",
                    "links",
                ],
                LinkKind::References,
            ),
        ];
        for (keys, kind) in link_keys {
            for key in *keys {
                let Some(vals) = fm.get(&[key]) else { continue };
                for v in vals {
                    let v = v.trim();
                    if text::is_placeholder_value(v) {
                        continue;
                    }
                    let (mut kind, mut v) = (kind.clone(), v.to_string());
                    if *key == "links" {
                        // `kind target` from `links: [{target, kind}]`.
                        if let Some((k, rest)) = v.split_once(' ') {
                            kind = match fold_key(k).as_str() {
                                "supersedes" => LinkKind::Supersedes,
                                "superseded by" | "superseded-by" | "supersededby" => LinkKind::SupersededBy,
                                "amends" => LinkKind::Amends,
                                "amended by" | "amendedby" => LinkKind::AmendedBy,
                                _ => LinkKind::References,
                            };
                            v = rest.to_string();
                        }
                    }
                    let links = inline_line(&v, line).links;
                    let label = (*key == "extends" || *key == "requires" || *key == "depends-on")
                        .then(|| key.to_string());
                    let source = LinkSource::FrontMatter;
                    if links.is_empty() {
                        // Drop a trailing YAML-ish comment such as `kinflate # old name`.
                        let target = v.split(" #").next().unwrap_or(&v).trim().to_string();
                        let t = Target { text: target.clone(), target };
                        self.push_link(kind, label, None, t, source, line);
                    } else {
                        for l in links {
                            let t = Target { text: l.text, target: l.href };
                            self.push_link(kind.clone(), label.clone(), None, t, source, line);
                        }
                    }
                }
            }
        }
    }

    /// Metadata line (`Status: x`, `**Date:** x`, `* Deciders: a, b`). Returns true if used.
    fn metadata_line(&mut self, line: &Line, in_list: bool) -> bool {
        let Some((label, value)) = line.label_value() else {
            // `Date 09/04/2018`: a date line that lost its colon.
            let lower = line.text.to_lowercase();
            if ["date ", "data "].iter().any(|p| lower.starts_with(p))
                && line.text.split_whitespace().count() <= 4
            {
                return self.set_date(&line.text[5..], line.line, DateSource::Text);
            }
            return false;
        };
        let label = fold_key(label);
        // `value` is a slice of `line.text`: its offset is where the value starts.
        let value_start =
            (value.as_ptr() as usize).saturating_sub(line.text.as_ptr() as usize).min(line.text.len());
        let mut used = true;
        match label.as_str() {
            "status" | "statut" | "estado" | "state" | "current status" | "decision status" => {
                if self.adr.status_raw.is_none() {
                    if !self.status_or_link_line(line, value_start, LinkSource::Status)
                        && !self.record_status(value, line.line, true)
                    {
                        self.unknown_status(value, line.line);
                    }
                } else {
                    self.status_or_link_line(line, value_start, LinkSource::Status);
                }
            }
            "date" | "data" | "introduced" | "created" | "date created" | "creation date" | "decided"
            | "decision date" | "date of decision" | "fecha" | "datum" | "accepted" | "proposed"
            | "last updated" | "updated" | "atualização" | "last modified" => {
                if !self.set_date(value, line.line, DateSource::Text)
                    && !matches!(label.as_str(), "accepted" | "proposed")
                    && !value.is_empty()
                    && !value.contains('<')
                {
                    self.diag(
                        line.line,
                        Severity::Warning,
                        "bad-date",
                        format!("`{value}` is not a date I can read"),
                    );
                }
            }
            "deciders"
            | "decision makers"
            | "decision-makers"
            | "décideurs"
            | "deciders and stakeholders"
            | "decided by"
            | "authors"
            | "author"
            | "owner"
            | "owners"
            | "driver" => {
                if self.adr.deciders.is_empty() {
                    self.adr.deciders = split_people(value);
                }
            }
            "consulted" | "consultés" => {
                if self.adr.consulted.is_empty() {
                    self.adr.consulted = split_people(value);
                }
            }
            "informed" | "informés" => {
                if self.adr.informed.is_empty() {
                    self.adr.informed = split_people(value);
                }
            }
            "technical story" | "user story" | "story" | "issue" | "ticket" | "jira" | "tracking issue" => {
                if self.adr.technical_story.is_none() && !value.is_empty() {
                    self.adr.technical_story = Some(value.to_string());
                }
            }
            "tags" | "tag" | "labels" | "keywords" | "categories" => {
                self.signals.tags = true;
                if self.adr.tags.is_empty() {
                    self.adr.tags = split_tags(value);
                }
            }
            "review date" | "review" | "next review" | "revisit" | "review by" => {
                if let Some(f) = parse_date(value) {
                    self.adr.review_date = Some(f.date);
                    self.adr.review_date_raw = Some(value.to_string());
                }
            }
            "supersedes" | "supercedes" | "replaces" | "superseded by" | "replaced by" | "amends"
            | "amended by" => {
                let kind = match label.as_str() {
                    "superseded by" | "replaced by" => LinkKind::SupersededBy,
                    "amends" => LinkKind::Amends,
                    "amended by" => LinkKind::AmendedBy,
                    _ => LinkKind::Supersedes,
                };
                self.metadata_links(line, value_start, kind, None);
            }
            "relates to" | "related" | "related to" | "see also" | "extends" | "requires" | "depends on"
            | "refines" | "refined by" => {
                let l = (label != "related" && label != "see also").then(|| capitalise(&label));
                let kind = if l.is_some() { LinkKind::Custom } else { LinkKind::References };
                self.metadata_links(line, value_start, kind, l);
            }
            _ => used = false,
        }
        if used {
            if matches!(label.as_str(), "user story" | "story") {
                // MADR 1.x writes `**User Story:**`; the seed template never does.
                self.signals.madr1 = true;
            } else if line.bold_prefix_end.is_some() {
                self.signals.bold_meta = true;
            } else if in_list {
                self.signals.list_meta = true;
            } else {
                self.signals.plain_meta = true;
            }
        }
        used
    }

    fn metadata_links(&mut self, line: &Line, from: usize, kind: LinkKind, label: Option<String>) {
        let targets = Self::targets(line, from, line.text.len());
        if targets.is_empty() {
            let v = line.text[from..].trim();
            if !v.is_empty() && !text::is_placeholder_value(v) {
                let t = Target { text: v.to_string(), target: v.to_string() };
                self.push_link(kind, label, None, t, LinkSource::Metadata, line.line);
            }
            return;
        }
        for t in targets {
            self.push_link(kind.clone(), label.clone(), None, t, LinkSource::Metadata, line.line);
        }
    }

    fn unknown_status(&mut self, value: &str, line: u32) {
        if value.trim().is_empty() {
            return;
        }
        self.adr.status_raw = Some(value.trim().to_string());
        self.adr.status = Status::Unknown;
        self.diag(
            line,
            Severity::Warning,
            "unknown-status",
            format!("status `{}` is not a known status word; kept as written, read as unknown", value.trim()),
        );
    }

    fn body(&mut self, blocks: &[Block]) {
        // Cut into sections.
        let mut secs: Vec<Sec<'_>> = Vec::new();
        let mut start = 0;
        let mut current: Option<(&Line, u8)> = None;
        let mut parent = Kind::Preamble;
        let mut title_seen = false;
        // (heading, first block, end block) of each section.
        type Bound<'a> = (Option<(&'a Line, u8)>, usize, usize);
        let mut bounds: Vec<Bound<'_>> = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            if let Block::Heading { level, content } = b {
                bounds.push((current, start, i));
                current = Some((content, *level));
                start = i + 1;
            }
        }
        bounds.push((current, start, blocks.len()));
        // A first heading of level 1 named like a section (`# 3. Links`, `# Status`) is still the
        // title, when nothing else can be: no title in the front matter and no other level-1
        // heading that names no section.
        let first_h1_is_title = self.adr.title.is_none()
            && matches!(bounds.get(1), Some((Some((_, 1)), _, _)))
            && !bounds.iter().skip(2).any(|(h, _, _)| {
                h.is_some_and(|(line, level)| level == 1 && classify(&line.text) == Kind::Other)
            });
        for (n, (heading, s, e)) in bounds.into_iter().enumerate() {
            let folded = heading.map(|(line, _)| fold_heading(&line.text)).unwrap_or_default();
            let kind = match heading {
                None => Kind::Preamble,
                Some((_, level)) => {
                    let kind = classify_folded(&folded);
                    if !title_seen
                        && ((level == 1 || secs.iter().all(|s| s.heading.is_none())) && kind == Kind::Other
                            || n == 1 && first_h1_is_title)
                    {
                        title_seen = true;
                        Kind::Title
                    } else {
                        kind
                    }
                }
            };
            let level = heading.map(|(_, l)| l).unwrap_or(0);
            if level <= 2 {
                parent = kind;
            }
            secs.push(Sec {
                heading,
                folded,
                kind,
                parent: if level <= 2 { Kind::Preamble } else { parent },
                blocks: &blocks[s..e],
            });
        }

        // Title.
        let file_number = text::number_from_name(&self.adr.slug);
        if let Some(sec) = secs.iter().find(|s| s.kind == Kind::Title) {
            let (line, _) = sec.heading.expect("titles have headings");
            let (mut t, n) = clean_title(&line.text);
            // `# 28 Repo scanning` in `028-repo-scanning.md`: a bare number equal to the file's.
            if n.is_none() {
                if let Some((num, rest)) = t.split_once(' ') {
                    if num.parse::<u32>().ok().is_some_and(|k| Some(k) == file_number) {
                        t = rest.trim().to_string();
                    }
                }
            }
            self.signals.nygard_title =
                n.is_some() && line.text.trim_start().starts_with(|c: char| c.is_ascii_digit());
            if !t.is_empty() {
                self.adr.title = Some(t);
            }
            if n.is_some() {
                self.adr.title_number = n;
            }
        }
        if self.adr.title.is_none() {
            // `#25. Automatic code merging`: not a heading (no space after `#`), but the first
            // line and the only title there is.
            if let Some(Block::Para(lines)) = blocks.first() {
                let t = lines.first().map(|l| l.text.as_str()).unwrap_or("");
                let rest = t.trim_start_matches('#');
                if t.starts_with('#')
                    && t.len() - rest.len() <= 6
                    && rest.starts_with(|c: char| !c.is_whitespace())
                {
                    let (title, n) = clean_title(rest);
                    if !title.is_empty() {
                        self.adr.title = Some(title);
                        self.adr.title_number = n;
                    }
                }
            }
        }
        // The file's number names the decision (links and `show 31` use it); a title that says
        // otherwise is lint's `number-mismatch`.
        if file_number.is_some() {
            self.adr.number = file_number;
        }
        if self.adr.number.is_none() {
            self.adr.number = self.adr.title_number;
        }

        // Metadata before the first real section.
        for sec in secs.iter().filter(|s| matches!(s.kind, Kind::Preamble | Kind::Title)) {
            self.metadata_blocks(sec.blocks, false);
        }

        for sec in &secs {
            match sec.kind {
                Kind::Status => {
                    self.signals.status_section = true;
                    self.status_section(sec.blocks);
                }
                Kind::Changelog => self.changelog(sec.blocks),
                _ => {}
            }
        }
        if self.adr.date.is_none() {
            if let Some(d) = text::date_from_name(&self.adr.slug) {
                self.adr.date = Some(d);
                self.adr.date_raw = Some(self.adr.slug.clone());
                self.adr.date_source = Some(DateSource::FileName);
            }
        }

        // Content sections. Each section's text is made once: for its field and for indexing.
        let mut texts: Vec<String> = secs.iter().map(|s| blocks_text(s.blocks)).collect();
        let mut options = OptionList::default();
        // The option whose own sub-section is open, with its heading level: `#### Pros` under
        // `### ArgoCD` argues for ArgoCD.
        let mut open_option: Option<(usize, u8)> = None;
        for (sec, text) in secs.iter().zip(&texts) {
            let level = sec.heading.map_or(0, |(_, l)| l);
            if let Some((idx, opt_level)) = open_option {
                if level <= opt_level {
                    open_option = None;
                } else if let Some(mode) = sec.heading.and_then(|(l, _)| pros_cons_label(&l.text)) {
                    option_arguments(&mut options.list[idx], mode, sec.blocks);
                    continue;
                }
            }
            let effective = if sec.heading.is_some_and(|(_, l)| l >= 3) && sec.kind == Kind::Other {
                // An unrecognised sub-heading inherits its parent's meaning.
                sec.parent
            } else {
                sec.kind
            };
            let heading_text = sec.heading.map(|(l, _)| l.text.as_str()).unwrap_or("");
            if matches!(
                sec.folded.as_str(),
                "considered options"
                    | "decision outcome"
                    | "decision drivers"
                    | "pros and cons of the options"
                    | "considered alternatives"
                    | "context and problem statement"
            ) {
                self.signals.madr_headings = true;
            }
            if matches!(sec.folded.as_str(), "detailed analysis" | "implementation plan") {
                self.signals.seed_headings = true;
            }
            match effective {
                Kind::Context => append_text(&mut self.adr.context, text),
                Kind::Decision => {
                    append_text(&mut self.adr.decision, text);
                    self.outcome(sec.blocks, false);
                }
                Kind::Drivers => {
                    let items = list_items_or_lines(sec.blocks);
                    self.adr.decision_drivers.extend(items);
                }
                Kind::Options => {
                    if sec.heading.is_some_and(|(_, l)| l >= 3) && sec.parent == Kind::Options {
                        let line = sec.heading.map_or(0, |(l, _)| l.line);
                        if let Some(idx) = options_detail(&mut options, heading_text, line, sec.blocks) {
                            open_option = Some((idx, level));
                        }
                    } else {
                        for (title, line) in option_titles(sec.blocks) {
                            options.add(&title, line);
                        }
                    }
                }
                Kind::ProsCons if sec.heading.is_some_and(|(_, l)| l >= 3) => {
                    let line = sec.heading.map_or(0, |(l, _)| l.line);
                    if let Some(idx) = options_detail(&mut options, heading_text, line, sec.blocks) {
                        open_option = Some((idx, level));
                    }
                }
                Kind::Outcome => self.outcome(sec.blocks, true),
                Kind::Consequences => {
                    if sec.heading.is_some_and(|(_, l)| l <= 2) || sec.parent == Kind::Outcome {
                        append_text(&mut self.adr.consequences.text, text);
                    }
                    self.consequence_items(sec.blocks, None);
                }
                Kind::Positive | Kind::Negative | Kind::Neutral
                    if matches!(
                        sec.parent,
                        Kind::Outcome | Kind::Consequences | Kind::Decision | Kind::Preamble
                    ) =>
                {
                    self.consequence_items(sec.blocks, Some(sec.kind));
                }
                Kind::Implementation => {
                    if let Some((line, level)) = sec.heading {
                        if level >= 3 || PHASE_PREFIX.is_match(&line.text) {
                            self.adr.phases.push(phase(&line.text, sec.blocks));
                        }
                    }
                }
                Kind::Validation => {
                    let items = list_items_or_lines(sec.blocks);
                    self.adr.validation.extend(
                        items.into_iter().filter(|i| !i.trim_end().ends_with('?') && !is_review_line(i)),
                    );
                }
                Kind::Links => self.links_section(sec.blocks),
                Kind::Deciders if self.adr.deciders.is_empty() => {
                    self.adr.deciders =
                        list_items_or_lines(sec.blocks).iter().flat_map(|p| split_people(p)).collect();
                }
                _ => {}
            }
        }
        // Mark the chosen option (once per record: folding each title here is linear).
        let mut options = options.list;
        if let Some(chosen) = self.adr.outcome.as_ref().and_then(|o| o.chosen.clone()) {
            // `3. Create a PodTemplate` / `2` / `Option 2`: an option named by its position.
            // `(3)`, `` `2` ``, `"2"`: the decoration around a position.
            let bare = chosen.trim().trim_matches(|c: char| "()[]\"'`“”".contains(c)).trim();
            let (by_index, rest) = match NUMBERED.captures(bare) {
                Some(c) => (
                    c[1].parse::<usize>().ok().filter(|n| *n >= 1 && *n <= options.len()).map(|n| n - 1),
                    c.get(2).map(|m| m.as_str().to_string()),
                ),
                None => (None, None),
            };
            let key = fold_key(&strip_option_prefix(rest.as_deref().unwrap_or(&chosen)));
            let pos = options
                .iter()
                .position(|o| !key.is_empty() && fold_key(&o.title) == key)
                .or_else(|| {
                    options.iter().position(|o| !key.is_empty() && fold_key(&o.title).starts_with(&key))
                })
                .or_else(|| {
                    let k = fold_key(&chosen);
                    options.iter().position(|o| {
                        !k.is_empty() && (k.starts_with(&fold_key(&o.title)) && !o.title.is_empty())
                    })
                })
                .or(by_index);
            if let Some(p) = pos {
                options[p].chosen = true;
            }
        }
        self.adr.options = options;

        // Review date anywhere (`**Review Date:** ...`).
        if self.adr.review_date.is_none() {
            for line in all_lines(blocks) {
                // Every review label spells `revi` (any case): most lines do not, and reading
                // each as `label: value` took 5% of parsing.
                if !spells_revi(&line.text) {
                    continue;
                }
                if let Some((label, value)) = line.label_value() {
                    if is_review_label(label) {
                        if let Some(f) = parse_date(value) {
                            self.adr.review_date = Some(f.date);
                            self.adr.review_date_raw = Some(value.to_string());
                            break;
                        }
                    }
                }
            }
        }

        // Prose links and ids everywhere else.
        for (sec, text) in secs.iter().zip(&texts) {
            if matches!(sec.kind, Kind::Status | Kind::Links) || sec.parent == Kind::Links {
                continue;
            }
            let mentions = Mentions::of(text);
            for line in all_lines(sec.blocks) {
                self.prose_line(line, mentions);
            }
            if let Some((line, level)) = sec.heading {
                if level > 1 && sec.kind != Kind::Title {
                    self.prose_line(line, Mentions::of(&line.text));
                }
            }
        }

        // Sections for indexing.
        for (sec, text) in secs.iter().zip(texts.iter_mut()) {
            let (heading, level, line) = match sec.heading {
                Some((l, level)) => (l.text.clone(), level, l.line),
                None => (String::new(), 0, 1),
            };
            let text = std::mem::take(text);
            if heading.is_empty() && text.is_empty() {
                continue;
            }
            self.adr.sections.push(Section { heading, level, line, text });
        }
    }

    fn metadata_blocks(&mut self, blocks: &[Block], in_list: bool) {
        for b in blocks {
            match b {
                Block::Para(lines) => {
                    for l in lines {
                        self.metadata_line(l, in_list);
                    }
                }
                Block::List(items) => {
                    for it in items {
                        for ib in &it.blocks {
                            match ib {
                                Block::Para(lines) => {
                                    for l in lines {
                                        self.metadata_line(l, true);
                                    }
                                }
                                other => self.metadata_blocks(std::slice::from_ref(other), true),
                            }
                        }
                    }
                }
                Block::Quote(inner) => self.metadata_blocks(inner, in_list),
                Block::Table(rows) => {
                    for row in rows {
                        if row.len() >= 2 {
                            let label = row[0].text.trim().trim_end_matches(':');
                            let mut l = row[1].clone();
                            let prefix = format!("{label}: ");
                            l.text = format!("{prefix}{}", l.text);
                            for link in &mut l.links {
                                link.start += prefix.len();
                                link.end += prefix.len();
                            }
                            for c in &mut l.code {
                                c.0 += prefix.len();
                                c.1 += prefix.len();
                            }
                            l.bold_prefix_end = None;
                            self.metadata_line(&l, false);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn status_section(&mut self, blocks: &[Block]) {
        let mut first_short: Option<(String, u32)> = None;
        let mut any = false;
        for line in all_lines(blocks) {
            if line.text.trim().is_empty() {
                continue;
            }
            // `* Status: accepted` inside a Status section.
            if let Some((label, _)) = line.label_value() {
                if classify(label) == Kind::Status || fold_key(label) == "date" {
                    any |= self.metadata_line(line, true);
                    continue;
                }
            }
            if self.status_or_link_line(line, 0, LinkSource::Status) {
                any = true;
                continue;
            }
            let words = line.text.split_whitespace().count();
            let recognised = words <= 12 && self.record_status(&line.text, line.line, true);
            if recognised {
                any = true;
                // `Rejected in favour of ADR 111`, `Accepted (refines ADR-0003)`.
                for t in Self::targets(line, 0, line.text.len()) {
                    self.push_link(LinkKind::References, None, None, t, LinkSource::Status, line.line);
                }
            } else {
                if first_short.is_none() && words <= 12 {
                    first_short = Some((line.text.clone(), line.line));
                }
                // A sentence in the Status section (`See [the plan](0002-x.md).`): its links
                // are read as anywhere else.
                self.prose_line(line, Mentions::of(&line.text));
            }
        }
        if !any && self.adr.status_raw.is_none() {
            if let Some((raw, line)) = first_short {
                self.unknown_status(&raw, line);
            }
        }
    }

    fn changelog(&mut self, blocks: &[Block]) {
        let mut first_date: Option<(String, u32)> = None;
        for line in all_lines(blocks) {
            let Some(found) = parse_date(&line.text) else { continue };
            if first_date.is_none() {
                first_date = Some((found.matched.clone(), line.line));
            }
            // A changelog entry that names a status becomes part of the status history.
            let lower = line.text.to_lowercase();
            for (word, status) in [
                ("accepted", Status::Accepted),
                ("proposed", Status::Proposed),
                ("draft", Status::Draft),
                ("rejected", Status::Rejected),
                ("deprecated", Status::Deprecated),
                ("superseded", Status::Superseded),
                ("implemented", Status::Accepted),
            ] {
                if lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == word) {
                    self.adr.status_history.push(StatusChange {
                        status,
                        raw: line.text.clone(),
                        date: Some(found.date),
                        line: line.line,
                    });
                    break;
                }
            }
        }
        if self.adr.date.is_none() {
            if let Some((raw, line)) = first_date {
                self.set_date(&raw, line, DateSource::Changelog);
            }
        }
    }

    fn outcome(&mut self, blocks: &[Block], is_outcome_section: bool) {
        for line in all_lines(blocks) {
            if let Some(c) = CHOSEN.captures(&line.text) {
                let rest = c[1].trim();
                let (chosen, rationale) = split_chosen(rest);
                self.adr.outcome = Some(Outcome {
                    chosen: (!chosen.is_empty()).then_some(chosen),
                    rationale: rationale.or_else(|| {
                        // `because` followed by a list.
                        let t = blocks_text(blocks);
                        let after = t.split_once(line.text.as_str()).map(|(_, a)| a.trim().to_string());
                        after.filter(|a| !a.is_empty())
                    }),
                    line: line.line,
                });
                break;
            }
        }
        if is_outcome_section && self.adr.outcome.is_none() {
            let text = first_paragraph(blocks);
            if let Some((t, line)) = text {
                self.adr.outcome = Some(Outcome { chosen: None, rationale: Some(t), line });
            }
        }
        // MADR 2.0: `Positive Consequences:` as a plain label before a list.
        self.consequence_items(blocks, None);
    }

    /// Consequence bullets: under a labelled heading (`kind`), after a label paragraph, or with
    /// `Good, because` / `Bad, because` / `Neutral, because` prefixes.
    fn consequence_items(&mut self, blocks: &[Block], kind: Option<Kind>) {
        let mut mode = kind;
        for b in blocks {
            match b {
                Block::Para(lines) => {
                    if let Some(l) = lines.last() {
                        // A label paragraph has at most three words: most paragraphs are not one.
                        let k = match l.text.split_whitespace().nth(3) {
                            None => classify(l.text.trim_end_matches(':')),
                            Some(_) => Kind::Other,
                        };
                        if matches!(k, Kind::Positive | Kind::Negative | Kind::Neutral) {
                            mode = Some(k);
                            continue;
                        }
                    }
                    if kind.is_none() {
                        mode = None;
                    }
                }
                Block::List(items) => {
                    for it in items {
                        let text = it.own_text();
                        if let Some(m) = GOOD_BAD.captures(&text) {
                            let rest = text[m.get(0).map_or(0, |g| g.end())..].trim().to_string();
                            let target = match m[1].to_lowercase().as_str() {
                                "good" | "pro" | "positive" => &mut self.adr.consequences.positive,
                                "bad" | "con" | "negative" => &mut self.adr.consequences.negative,
                                _ => &mut self.adr.consequences.neutral,
                            };
                            target.push(rest);
                        } else if let Some(k) = mode {
                            let target = match k {
                                Kind::Positive => &mut self.adr.consequences.positive,
                                Kind::Negative => &mut self.adr.consequences.negative,
                                _ => &mut self.adr.consequences.neutral,
                            };
                            target.push(text);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn links_section(&mut self, blocks: &[Block]) {
        for line in all_lines(blocks) {
            if self.status_or_link_line(line, 0, LinkSource::LinksSection) {
                continue;
            }
            // `This ADR in part supersedes [..]` written as a sentence in the Links section.
            self.prose_supersession(line, LinkSource::LinksSection);
            for l in &line.links {
                let t = Target { text: l.text.clone(), target: l.href.clone() };
                self.push_link(LinkKind::References, None, None, t, LinkSource::LinksSection, line.line);
            }
            for t in Self::targets(line, 0, line.text.len()) {
                if !line.links.iter().any(|l| l.href == t.target) {
                    self.push_link(LinkKind::References, None, None, t, LinkSource::LinksSection, line.line);
                }
            }
        }
    }

    /// Links and ids in a line of prose. `mentions` says whether the text around the line (its
    /// section's, which holds every line of it) spells `super` and `ADR`/`Adr`: when it does not,
    /// no line of it does, and the line is not searched for them.
    fn prose_line(&mut self, line: &Line, mentions: Mentions) {
        let consumed =
            if mentions.super_ { self.prose_supersession(line, LinkSource::Prose) } else { Vec::new() };
        let text = line.text.as_str();
        for l in &line.links {
            if consumed.contains(&l.href) || !decision_like_href(&l.href) {
                continue;
            }
            let t = Target { text: l.text.clone(), target: l.href.clone() };
            self.push_link(LinkKind::References, None, None, t, LinkSource::Prose, line.line);
        }
        let own = self.adr.number;
        let ids = if mentions.adr { bare_ids(text) } else { Vec::new() };
        for id in ids {
            if line.in_link_or_code(id.start, id.end) || consumed.contains(&id.text) || Some(id.number) == own
            {
                continue;
            }
            let t = Target { text: id.text.clone(), target: id.text };
            self.push_link(LinkKind::References, None, None, t, LinkSource::Prose, line.line);
        }
    }

    /// Supersession written as a sentence: `This ADR in part supersedes [0003](..)`, `These
    /// ranges have been superseded by [ADR #0033](..)`, `supersedes the decisions made in ADRs
    /// 60 and 61`. Returns the targets used.
    fn prose_supersession(&mut self, line: &Line, source: LinkSource) -> Vec<String> {
        let text = line.text.as_str();
        let mut consumed: Vec<String> = Vec::new();
        // Both patterns need `super`: most lines have none, and the regexes' own prefilters
        // (on `is`, `was`, `are`...) would stop at nearly every word.
        if !spells_super(text) {
            return consumed;
        }
        let sentence_end =
            |from: usize| -> usize { text[from..].find(". ").map(|i| from + i + 1).unwrap_or(text.len()) };
        for c in PROSE_SUPERSEDES.captures_iter(text) {
            let m = c.get(0).expect("group 0");
            if line.in_link_or_code(m.start(), m.end()) {
                continue;
            }
            let q = c.get(1).or_else(|| c.get(2)).map(|q| normalise_qualifier(q.as_str()));
            let end = sentence_end(m.end());
            for (t, part) in Self::parted_targets(line, m.end(), end) {
                consumed.push(t.target.clone());
                self.push_link(LinkKind::Supersedes, None, part.or_else(|| q.clone()), t, source, line.line);
            }
        }
        for c in PROSE_SUPERSEDED_BY.captures_iter(text) {
            let m = c.get(0).expect("group 0");
            if line.in_link_or_code(m.start(), m.end()) {
                continue;
            }
            let q = c.get(1).map(|q| normalise_qualifier(q.as_str()));
            let end = sentence_end(m.end());
            for (t, part) in Self::parted_targets(line, m.end(), end) {
                let q = part.or_else(|| q.clone());
                consumed.push(t.target.clone());
                self.push_link(LinkKind::SupersededBy, None, q.clone(), t, source, line.line);
            }
        }
        consumed
    }

    /// Report the first template placeholder left in (`[Describe the context ...]`, `{title}`,
    /// `YYYY-MM-DD`), with its line: in the front matter or in any line of text, never inside
    /// code (a fenced or indented block, or a code span), where a placeholder is an example.
    fn template_text(&mut self, doc: &blocks::Doc) {
        let mut found: Option<(u32, String)> = None;
        let mut count = 0usize;
        if let Some((yaml, line)) = &doc.front_matter {
            for (k, l) in yaml.lines().enumerate() {
                if let Some(m) = TEMPLATE_TEXT.find(l) {
                    count += 1;
                    found.get_or_insert((line + k as u32, m.as_str().to_string()));
                }
            }
        }
        for l in all_lines(&doc.blocks) {
            for m in TEMPLATE_TEXT.find_iter(&l.text) {
                let in_code = l.code.iter().any(|&(s, e)| m.start() < e && s < m.end());
                if !in_code {
                    count += 1;
                    if found.as_ref().is_none_or(|(line, _)| l.line < *line) {
                        found = Some((l.line, m.as_str().to_string()));
                    }
                }
            }
        }
        if let Some((line, text)) = found {
            let more = match count {
                0 | 1 => String::new(),
                n => format!(" ({} more placeholder(s) in the file)", n - 1),
            };
            self.diag(
                line,
                Severity::Note,
                "template-text",
                format!("template text `{text}` is left in{more}"),
            );
        }
    }

    fn finish(&mut self) {
        // A plain reference on the same line as a typed link to the same target says nothing more.
        let typed: std::collections::HashSet<(u32, &str)> = self
            .adr
            .links
            .iter()
            .filter(|l| l.kind != LinkKind::References)
            .map(|l| (l.line, l.target.as_str()))
            .collect();
        let plain_repeats: Vec<bool> = self
            .adr
            .links
            .iter()
            .map(|l| l.kind == LinkKind::References && typed.contains(&(l.line, l.target.as_str())))
            .collect();
        let mut k = 0;
        self.adr.links.retain(|_| {
            k += 1;
            !plain_repeats[k - 1]
        });
        // Superseded-by links imply the superseded status when none was stated.
        if self.adr.status == Status::Unknown
            && self.adr.status_raw.is_none()
            && self
                .adr
                .links
                .iter()
                .any(|l| l.kind == LinkKind::SupersededBy && l.source != LinkSource::Prose)
        {
            self.adr.status = Status::Superseded;
        }
        let s = &self.signals;
        self.adr.dialect = if s.front_matter_meta || (s.front_matter && s.madr_headings) {
            Dialect::MadrFrontMatter
        } else if s.madr1 {
            Dialect::Madr2
        } else if s.bold_meta || s.seed_headings {
            Dialect::Seed
        } else if s.list_meta
            && (s.tags
                || text::date_from_name(&self.adr.slug)
                    .is_some_and(|_| self.adr.slug.len() > 9 && self.adr.slug.as_bytes()[8] == b'-'))
        {
            Dialect::Log4brains
        } else if s.list_meta || (s.madr_headings && !s.status_section) {
            Dialect::Madr2
        } else if s.status_section || s.nygard_title || s.plain_meta {
            Dialect::Nygard
        } else {
            Dialect::Generic
        };
        self.diags.sort();
        self.diags.dedup();
    }
}

/// Whether a short phrase before a link reads as a relation written by `adr link`
/// (`Clarifies`, `Clarified by`, `Relates to`, `Depends on`), not a label (`See`, `Issue`).
fn is_relation_verb(verb: &str) -> bool {
    let lower = verb.to_lowercase();
    if matches!(
        lower.as_str(),
        "see"
            | "see also"
            | "issue"
            | "issues"
            | "tracking issue"
            | "source"
            | "sources"
            | "link"
            | "links"
            | "discussion"
            | "pr"
            | "docs"
            | "notes"
    ) {
        return false;
    }
    let last = lower.rsplit(' ').next().unwrap_or("");
    let first = lower.split(' ').next().unwrap_or("");
    matches!(last, "by" | "to" | "on" | "with" | "from")
        || (lower.split(' ').count() == 1 && first.ends_with('s') && !first.ends_with("ss"))
}

/// The link a relation verb makes: the verbs with a kind of their own (`amends`, `supersedes`
/// and their passives, as the config's and adr-tools' spellings write them), else a custom link
/// labelled with the verb.
fn custom_kind(verb: &str) -> LinkKind {
    match fold_key(verb).as_str() {
        "amends" => LinkKind::Amends,
        "amended by" => LinkKind::AmendedBy,
        "supersedes" | "supercedes" | "replaces" => LinkKind::Supersedes,
        "superseded by" | "superceded by" | "replaced by" => LinkKind::SupersededBy,
        _ => LinkKind::Custom,
    }
}

/// The part of a decision named right after a link to it: `§7 "Detection and Bootstrap"`,
/// `section 3`, `(part 2)`. `None` when the text names no part.
fn part_named(after: &str) -> Option<String> {
    static PART: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)^[\s(,]*((?:§|sections?\b|parts?\b|chapters?\b|paragraphs?\b)[^.;:()]*)"#)
            .expect("valid regex")
    });
    let c = PART.captures(after)?;
    let p = c[1].trim().trim_end_matches([',', ')']).trim();
    (!p.is_empty()).then(|| p.to_string())
}

fn normalise_qualifier(q: &str) -> String {
    match q.to_lowercase().as_str() {
        "partly" | "partially" | "in part" => "in part".to_string(),
        other => other.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn is_review_label(label: &str) -> bool {
    matches!(
        fold_key(label).as_str(),
        "review date" | "next review" | "review by" | "revisit" | "revisit date"
    )
}

/// Whether `s` holds `revi` in any ASCII case, as every label [`is_review_label`] accepts does
/// (its folding lowercases; no other character lowercases to these letters).
fn spells_revi(s: &str) -> bool {
    spells(s, b"revi", 2)
}

fn is_review_line(s: &str) -> bool {
    s.split_once(':').is_some_and(|(l, _)| is_review_label(l))
}

fn split_tags(s: &str) -> Vec<String> {
    let parts: Vec<&str> =
        if s.contains(',') { s.split(',').collect() } else { s.split_whitespace().collect() };
    parts
        .into_iter()
        .map(|t| t.trim().trim_start_matches('#').to_string())
        .filter(|t| !t.is_empty() && !text::is_placeholder_value(t))
        .collect()
}

/// A front matter value read as one line of markdown, by pulldown-cmark as the body is: its
/// text with emphasis dropped and its links (escaped brackets, `<dest with spaces>` and all),
/// on the front matter's `line`.
fn inline_line(s: &str, line: u32) -> Line {
    let one = s.replace(['\n', '\r'], " ");
    let index = LineIndex::new(&one);
    let doc = blocks::parse_doc(&one, &index);
    let mut out = Line { text: one.clone(), line, ..Line::default() };
    if let [Block::Para(lines)] = doc.blocks.as_slice() {
        if let [l] = lines.as_slice() {
            out = Line { line, ..l.clone() };
        }
    }
    out
}

fn append_text(field: &mut Option<String>, t: &str) {
    if t.is_empty() {
        return;
    }
    match field {
        Some(existing) => {
            existing.push_str("\n\n");
            existing.push_str(t);
        }
        None => *field = Some(t.to_string()),
    }
}

fn first_paragraph(blocks: &[Block]) -> Option<(String, u32)> {
    blocks.iter().find_map(|b| match b {
        Block::Para(lines) if !lines.is_empty() => {
            Some((lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "), lines[0].line))
        }
        _ => None,
    })
}

/// Top-level list items' text, or paragraph lines when there is no list.
fn list_items_or_lines(blocks: &[Block]) -> Vec<String> {
    let mut items = Vec::new();
    for b in blocks {
        if let Block::List(list) = b {
            items.extend(list.iter().map(Item::own_text).filter(|t| !t.is_empty()));
        }
    }
    if items.is_empty() {
        for b in blocks {
            if let Block::Para(lines) = b {
                items.extend(lines.iter().map(|l| l.text.clone()).filter(|t| !t.is_empty()));
            }
        }
    }
    items
}

fn strip_option_prefix(s: &str) -> String {
    let s = s.trim();
    let s = OPTION_PREFIX.replace(s, "");
    s.trim().trim_matches(|c| c == '"' || c == '\'' || c == '“' || c == '”').trim().to_string()
}

fn option_titles(blocks: &[Block]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for b in blocks {
        if let Block::List(items) = b {
            for it in items {
                if let Some(l) = it.first_line() {
                    let t = strip_option_prefix(&l.text);
                    if !t.is_empty() {
                        out.push((t, l.line));
                    }
                }
            }
        }
    }
    out
}

/// The considered options of a record as they are read, each with its folded title: adding an
/// option or finding one by title costs one hash look-up, not a fold of every earlier title
/// (100,000 options took over ten minutes that way).
#[derive(Default)]
struct OptionList {
    list: Vec<ConsideredOption>,
    keys: Vec<String>,
    by_key: HashMap<String, usize>,
}

impl OptionList {
    /// Options past this many are matched to their sub-sections by exact title only: the
    /// prefix match looks at every option, which hostile inputs would make quadratic.
    const PREFIX_MATCH_UP_TO: usize = 512;

    fn add(&mut self, title: &str, line: u32) -> usize {
        let key = fold_key(title);
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        self.list.push(ConsideredOption { title: title.to_string(), line, ..ConsideredOption::default() });
        self.by_key.insert(key.clone(), self.list.len() - 1);
        self.keys.push(key);
        self.list.len() - 1
    }
}

/// An option's own sub-section (`### Option 1: NATS JetStream` / `### [option 1]`). Returns the
/// option's index.
fn options_detail(options: &mut OptionList, heading: &str, line: u32, blocks: &[Block]) -> Option<usize> {
    let title = strip_option_prefix(heading);
    if title.is_empty() {
        return None;
    }
    // `### Option 1: NATS` matches the listed `NATS` or `Option 1: NATS`; fall back to position.
    let key = fold_key(&title);
    let idx = options
        .by_key
        .get(&key)
        .copied()
        .or_else(|| {
            (options.keys.len() <= OptionList::PREFIX_MATCH_UP_TO).then_some(())?;
            options
                .keys
                .iter()
                .position(|k| k.starts_with(&key) || key.starts_with(k.as_str()) && !k.is_empty())
        })
        .unwrap_or_else(|| options.add(&title, line));
    option_arguments(&mut options.list[idx], OptionMode::Desc, blocks);
    Some(idx)
}

/// What the lines of an option's text are read as, after a label (`**Pros**`, `#### Cons`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OptionMode {
    Desc,
    Pros,
    Cons,
    Neutral,
}

/// `Pros`, `**Cons**`, `Advantages:` alone on a line: the label it is.
fn pros_cons_label(text: &str) -> Option<OptionMode> {
    let t = text.trim().trim_end_matches(':').trim();
    if t.split_whitespace().nth(2).is_some() {
        return None;
    }
    match fold_key(t).as_str() {
        "pros" | "pro" | "advantages" | "strengths" | "benefits" | "positive" | "positives" => {
            Some(OptionMode::Pros)
        }
        "cons" | "con" | "disadvantages" | "weaknesses" | "drawbacks" | "negative" | "negatives" => {
            Some(OptionMode::Cons)
        }
        "neutral" => Some(OptionMode::Neutral),
        _ => None,
    }
}

/// Read an option's description, pros, cons, cost and risk from its blocks, starting in `mode`.
fn option_arguments(opt: &mut ConsideredOption, mut mode: OptionMode, blocks: &[Block]) {
    use OptionMode as Mode;
    for b in blocks {
        match b {
            Block::Para(lines) => {
                let mut desc_lines = Vec::new();
                for l in lines {
                    // `**Pros**`, `Cons`: a label alone on its line.
                    if let Some(m) = pros_cons_label(&l.text) {
                        mode = m;
                        continue;
                    }
                    if let Some((label, value)) = l.label_value() {
                        match fold_key(label).as_str() {
                            "pros" | "pro" | "advantages" | "good" | "strengths" => {
                                mode = Mode::Pros;
                                if !value.is_empty() {
                                    opt.pros.push(value.to_string());
                                }
                                continue;
                            }
                            "cons" | "con" | "disadvantages" | "bad" | "weaknesses" => {
                                mode = Mode::Cons;
                                if !value.is_empty() {
                                    opt.cons.push(value.to_string());
                                }
                                continue;
                            }
                            "neutral" => {
                                mode = Mode::Neutral;
                                continue;
                            }
                            "cost/effort" | "cost" | "effort" | "cost effort" | "cost and effort" => {
                                opt.cost = Some(value.to_string());
                                continue;
                            }
                            "risk" | "risks" | "risk level" => {
                                opt.risk = Some(value.to_string());
                                continue;
                            }
                            _ => {}
                        }
                    }
                    desc_lines.push(l.text.clone());
                }
                if !desc_lines.is_empty() && matches!(mode, Mode::Desc) {
                    let d = desc_lines.join("\n");
                    opt.description = Some(match opt.description.take() {
                        Some(prev) => format!("{prev}\n\n{d}"),
                        None => d,
                    });
                }
            }
            Block::List(items) => {
                for it in items {
                    let text = it.own_text();
                    if let Some(m) = GOOD_BAD.captures(&text) {
                        let rest = text[m.get(0).map_or(0, |g| g.end())..].trim().to_string();
                        match m[1].to_lowercase().as_str() {
                            "good" | "pro" | "positive" => opt.pros.push(rest),
                            "bad" | "con" | "negative" => opt.cons.push(rest),
                            _ => opt.neutral.push(rest),
                        }
                        continue;
                    }
                    // MADR 1.0: `` * `+` argument `` / `` * `-` argument ``.
                    if let Some(rest) = text.strip_prefix("+ ").or_else(|| text.strip_prefix("+")) {
                        if it.first_line().is_some_and(|l| l.code.first().is_some_and(|c| c.0 == 0))
                            || text.starts_with("+ ")
                        {
                            opt.pros.push(rest.trim().to_string());
                            continue;
                        }
                    }
                    if let Some(rest) = text.strip_prefix("- ") {
                        if it.first_line().is_some_and(|l| l.code.first().is_some_and(|c| c.0 == 0)) {
                            opt.cons.push(rest.trim().to_string());
                            continue;
                        }
                    }
                    match mode {
                        Mode::Pros => opt.pros.push(text),
                        Mode::Cons => opt.cons.push(text),
                        Mode::Neutral => opt.neutral.push(text),
                        Mode::Desc => {
                            opt.description = Some(match opt.description.take() {
                                Some(prev) => format!("{prev}\n- {text}"),
                                None => format!("- {text}"),
                            })
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// `"X", because Y` / `X, because Y` / `"X"` -> (X, Y).
fn split_chosen(rest: &str) -> (String, Option<String>) {
    let rest = rest.trim();
    // Quoted form first: the quotes may contain commas.
    for (open, close) in [('"', '"'), ('“', '”'), ('\'', '\'')] {
        if let Some(after_open) = rest.strip_prefix(open) {
            if let Some(end) = after_open.find(close) {
                let chosen = after_open[..end].trim().to_string();
                let tail = &after_open[end + close.len_utf8()..];
                let rationale =
                    BECAUSE.find(tail).map(|m| tail[m.end()..].trim().to_string()).filter(|s| !s.is_empty());
                return (strip_option_prefix(&chosen), rationale);
            }
        }
    }
    match BECAUSE.find(rest) {
        Some(m) => {
            let chosen = rest[..m.start()].trim().trim_end_matches(',').to_string();
            let rationale = rest[m.end()..].trim().to_string();
            (strip_option_prefix(&chosen), (!rationale.is_empty()).then_some(rationale))
        }
        None => (strip_option_prefix(rest.trim_end_matches('.')), None),
    }
}

fn phase(heading: &str, blocks: &[Block]) -> Phase {
    let name = PHASE_PREFIX.replace(heading.trim(), "").trim().to_string();
    let mut p =
        Phase { name: if name.is_empty() { heading.trim().to_string() } else { name }, ..Phase::default() };
    let mut deliverables_next = false;
    for b in blocks {
        match b {
            Block::Para(lines) => {
                deliverables_next = false;
                for l in lines {
                    if let Some((label, value)) = l.label_value() {
                        match fold_key(label).as_str() {
                            "timeline" | "duration" | "when" | "schedule" | "timeframe" => {
                                p.timeline = Some(value.to_string());
                            }
                            "deliverables" | "deliverable" | "outputs" => {
                                if value.is_empty() {
                                    deliverables_next = true;
                                } else {
                                    p.deliverables.push(value.to_string());
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            Block::List(items) if deliverables_next || p.deliverables.is_empty() => {
                p.deliverables.extend(items.iter().map(Item::own_text).filter(|t| !t.is_empty()));
            }
            _ => {}
        }
    }
    p
}

#[cfg(test)]
mod tests;

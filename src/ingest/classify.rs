//! Which files are decisions: markdown under a root, not a README, index, template or
//! placeholder ([`classify`]; every other file is skipped with its [`SkipReason`]).

use super::*;

/// What the file at a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileClass {
    /// A decision record.
    Decision,
    /// Not a decision, for this reason.
    Skip(SkipReason),
}

pub(super) fn is_markdown(name: &str) -> bool {
    let ends = |suffix: &str| {
        name.len() >= suffix.len()
            && name.is_char_boundary(name.len() - suffix.len())
            && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    // Only ASCII letters lower-case to these (the Kelvin sign's `k` is not among them).
    ends(".md") || ends(".markdown") || ends(".mdx")
}

/// Whether a folder name looks like one record (`2022-03-02-perf-tests`, `583-coscheduling`).
pub(super) fn is_record_dir(name: &str) -> bool {
    text::date_from_name(name).is_some()
        || (crate::names::number_from_name(name).is_some() && name.contains(['-', '_']))
}

pub(super) fn stem_of(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

/// Classify a file by its path relative to its root (`/`-separated). `record_dirs` are the
/// folders (relative to the root) whose `README.md` is a record.
pub fn classify(rel: &str, record_dirs: &BTreeSet<String>) -> FileClass {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let lower = name.to_lowercase();
    let stem = stem_of(&lower);
    if !is_markdown(name) {
        if matches!(lower.as_str(), "kep.yaml" | "kep.yml" | "metadata.yaml" | "metadata.yml")
            && record_dirs.contains(dir)
        {
            return FileClass::Skip(SkipReason::Metadata);
        }
        return FileClass::Skip(SkipReason::NotMarkdown);
    }
    let in_template_dir = dir.rsplit('/').next().is_some_and(|d| is_template_name(&d.to_lowercase()));
    if is_template_name(stem) || in_template_dir || is_placeholder_name(stem) {
        return FileClass::Skip(SkipReason::Template);
    }
    match stem {
        "readme" => {
            return if record_dirs.contains(dir) {
                FileClass::Decision
            } else {
                FileClass::Skip(SkipReason::Readme)
            }
        }
        "index" | "_index" => {
            return if record_dirs.contains(dir) {
                FileClass::Decision
            } else {
                FileClass::Skip(SkipReason::Index)
            }
        }
        "backlog" => return FileClass::Skip(SkipReason::Backlog),
        "toc" | "summary" | "contents" | "table-of-contents" | "_sidebar" | "sidebar" | "nav" => {
            return FileClass::Skip(SkipReason::TableOfContents)
        }
        "changelog" | "contributing" | "license" | "code_of_conduct" | "glossary" | "security" => {
            return FileClass::Skip(SkipReason::NotADecision)
        }
        _ => {}
    }
    // Inside a record folder (at any depth), other markdown files belong to the record.
    let mut d = dir;
    loop {
        if record_dirs.contains(d) && !d.is_empty() {
            return FileClass::Skip(SkipReason::Attachment);
        }
        match d.rsplit_once('/') {
            Some((parent, _)) => d = parent,
            None => break,
        }
    }
    FileClass::Decision
}

/// Whether a (lower-case) file stem or folder name names a template and nothing else:
/// `template`, `adr-template`, `0000-template`, `adr-template-bare-minimal`, `templates`; never a
/// decision about templates (`0007-use-minijinja-for-templates`).
pub(super) fn is_template_name(stem: &str) -> bool {
    const WORDS: &[&str] = &[
        "adr",
        "rfc",
        "tep",
        "cfp",
        "jep",
        "pep",
        "oep",
        "keep",
        "grfc",
        "proposal",
        "design",
        "technical",
        "enhancement",
        "madr",
        "kep",
        "architecture",
        "decision",
        "record",
        "records",
        "minimal",
        "bare",
        "short",
        "long",
        "full",
        "lightweight",
        "simple",
        "basic",
        "blank",
        "default",
        "example",
        "sample",
        "nygard",
        "y",
        "statement",
        "the",
        "of",
        "md",
        "markdown",
    ];
    let mut has_template = false;
    for w in stem.split(['-', '_', ' ', '.']).filter(|w| !w.is_empty()) {
        if matches!(w, "template" | "templates" | "tmpl") {
            has_template = true;
        } else if !(WORDS.contains(&w) || w.bytes().all(|b| b == b'0') || is_placeholder_name(w)) {
            return false;
        }
    }
    has_template
}

pub(super) use crate::names::is_placeholder_name;

/// Whether a file that reads as a record is, by what it says, a page about the log instead of
/// a decision: it states no status, date, deciders or decision (no decision section, outcome
/// or considered options), and it either lists records (lines linking to
/// record files: three or more, and half of its lines or more) or describes the log (its title, or
/// its first paragraph, speaks of the decision records with an overview's words: "Here is
/// where we keep our architecture decision records", "Process for new ADRs", "ADR index").
///
/// Judged on the parsed record, so that a file's name never decides it alone (`000-index.md`,
/// `process.md` and `0000-overview.md` are all judged by their text).
pub fn about_the_log(adr: &Adr) -> bool {
    let stated = adr.status_raw.is_some()
        || !adr.status_history.is_empty()
        || adr.status != crate::model::Status::Unknown
        || adr.decision.is_some()
        || adr.outcome.is_some()
        || !adr.options.is_empty()
        || !adr.deciders.is_empty()
        || matches!(
            adr.date_source,
            Some(crate::model::DateSource::Text | crate::model::DateSource::FrontMatter)
        );
    !stated && (lists_records(adr) || describes_the_log(adr))
}

/// Lines that link to record files (a number or date in the name; not a URL, not an anchor):
/// three or more, and half of the text's lines or more.
fn lists_records(adr: &Adr) -> bool {
    let mut lines: Vec<u32> = adr
        .links
        .iter()
        .filter(|l| {
            !l.target.contains("://") && !l.target.starts_with('#') && !l.target.starts_with("mailto:")
        })
        .filter(|l| {
            let file = l.target.split(['#', '?']).next().unwrap_or("").trim_end_matches('/');
            let name = file.rsplit('/').next().unwrap_or(file);
            let stem = stem_of(name);
            l.number.is_some()
                || crate::names::number_from_name(stem).is_some()
                || text::date_from_name(stem).is_some()
        })
        .map(|l| l.line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    if lines.len() < 3 {
        return false;
    }
    let text_lines =
        adr.sections.iter().flat_map(|s| s.text.lines()).filter(|l| !l.trim().is_empty()).count();
    lines.len() * 2 >= text_lines
}

/// What a page about the log says of it: the log's own names, and an overview's words.
const LOG_NOUNS: &[&str] = &[
    "decision record",
    "decision log",
    "architecture decision",
    "architectural decision",
    "design decision",
    "决策记录",
    "架构决策",
    "決定記録",
];
const LOG_WORDS: &[&str] = &["adr", "adrs", "records", "decisions", "log"];
const OVERVIEW_WORDS: &[&str] = &[
    "index",
    "overview",
    "process",
    "about",
    "introduction",
    "guide",
    "guidelines",
    "how",
    "list",
    "contents",
    "home",
    "welcome",
    "workflow",
    "lifecycle",
    "summary",
    "readme",
    "template",
];
const FILLER_WORDS: &[&str] = &[
    "the",
    "our",
    "of",
    "for",
    "a",
    "an",
    "to",
    "and",
    "new",
    "this",
    "project",
    "architecture",
    "architectural",
    "decision",
    "design",
    "record",
    "writing",
    "write",
    "we",
    "use",
];
const OVERVIEW_PHRASES: &[&str] = &[
    "here is where",
    "here are",
    "this is where",
    "this folder",
    "this directory",
    "this repository",
    "this repo ",
    "this page",
    "this section",
    "this site",
    "this index",
    "this log",
    "you will find",
    "you can find",
    "we keep",
    "are kept",
    "are stored",
    "is where",
    "lists ",
    "index of",
    "list of",
    "collection of",
];

fn speaks_of_the_log(lower: &str) -> bool {
    LOG_NOUNS.iter().any(|n| lower.contains(n))
        || lower.split(|c: char| !c.is_alphanumeric()).any(|w| matches!(w, "adr" | "adrs"))
}

fn describes_the_log(adr: &Adr) -> bool {
    let title = adr.title.as_deref().unwrap_or("").to_lowercase();
    let words: Vec<&str> = title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    // A title of the log's names and an overview's words only: "ADR index", "Decision log",
    // "Architecture Decision Records", "Process for new ADRs".
    let overview = words.iter().any(|w| OVERVIEW_WORDS.contains(w));
    let of_log = speaks_of_the_log(&title) || words.iter().any(|w| LOG_WORDS.contains(w));
    let only =
        words.iter().all(|w| OVERVIEW_WORDS.contains(w) || LOG_WORDS.contains(w) || FILLER_WORDS.contains(w));
    if !words.is_empty() && only && (overview || of_log) && (overview || speaks_of_the_log(&title)) {
        return true;
    }
    if overview && speaks_of_the_log(&title) {
        return true;
    }
    // The first paragraph: "Here is where we keep our architecture decision records."
    let first = adr.sections.iter().map(|s| s.text.trim()).find(|t| !t.is_empty()).unwrap_or("");
    let para = first.split("\n\n").next().unwrap_or("").to_lowercase();
    speaks_of_the_log(&para) && OVERVIEW_PHRASES.iter().any(|p| para.contains(p))
}

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

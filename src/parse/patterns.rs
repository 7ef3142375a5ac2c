//! The regular expressions of the parser, compiled once (see [`super::prepare`]).

use super::*;

pub(super) static CHOSEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\W*chosen\s+(?:option|alternative)s?\s*:?\s*(.*)$"#).expect("valid regex")
});
pub(super) static BECAUSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i),?\s*\bbecause\b[,:]?\s*").expect("valid regex"));
/// `Option 2:`, `Alternative B -`, and list numbering written into the text (`1. Use Redis`).
pub(super) static OPTION_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:option|alternative|opção|opcion|option n°)\s*(?:\d+|[a-z])\s*[:.)\-–—]\s*|\(?\d{1,2}[.)]\s+)",
    )
    .expect("valid regex")
});
pub(super) static PHASE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:phase|stage|step|milestone)\s*\d+\s*[:.)\-–—]\s*").expect("valid regex")
});
pub(super) static GOOD_BAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(good|bad|neutral|pro|con|positive|negative)\s*(?:,\s*because\b|:|,)\s*")
        .expect("valid regex")
});
/// `Superseded by`, and the status word alone before its successor: `Superseded
/// [0019](..)`, `Superseded: 2019-12-19 by [ADR 14](..)`, `Replaced (2021) by ADR-7`.
pub(super) static SUPERSEDED_BY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&phrases::superseded_line_pattern()).expect("valid regex"));
pub(super) static SUPERSEDES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&phrases::line_pattern(LinkKind::Supersedes, true)).expect("valid regex"));
pub(super) static AMENDED_BY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&phrases::passive_line_pattern(LinkKind::AmendedBy)).expect("valid regex"));
pub(super) static AMENDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&phrases::line_pattern(LinkKind::Amends, false)).expect("valid regex"));
pub(super) static CUSTOM_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Z][a-z]+(?:\s+[a-z]+){0,2})\s*:?\s*$").expect("valid regex"));
pub(super) static PROSE_SUPERSEDES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&phrases::prose_pattern()).expect("valid regex"));
pub(super) static PROSE_SUPERSEDED_BY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&phrases::prose_passive_pattern()).expect("valid regex"));
/// `3. Create a PodTemplate` / `2` / `Option 2`: an option named by its position.
pub(super) static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:option\s*)?(\d{1,2})(?:\s*[.):\-]\s*(.*))?$").expect("valid regex")
});

/// Placeholder text of the common templates, left in when a record was never filled in.
pub(super) static TEMPLATE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\[(?:describe|option \d|driver \d|benefit \d|downside \d|metric \d|link to|deliverable \d|estimate|level:|list of|short title|title\]|proposed \||date to revisit|name\])[^\]]*\]|\{[a-z][a-z _-]{1,40}\}|\bYYYY-MM-DD\b|\bADR-\{NUMBER\}",
    )
    .expect("valid regex")
});

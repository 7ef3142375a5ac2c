//! Figures about one ingest: files seen and skipped (with reasons), decisions per dialect and
//! status, how many decisions have each field, links per kind, diagnostics per severity.

use crate::ingest::Corpus;
use crate::model::{Adr, LinkKind, Severity, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Names of the fields counted in [`Stats::fields`], in display order.
pub const FIELDS: &[&str] = &[
    "title",
    "number",
    "status",
    "date",
    "deciders",
    "technical_story",
    "tags",
    "context",
    "decision",
    "decision_drivers",
    "options",
    "chosen_option",
    "consequences",
    "phases",
    "validation",
    "review_date",
    "links",
    "typed_links",
];

/// Whether `adr` has the field `name` of [`FIELDS`].
pub fn has_field(adr: &Adr, name: &str) -> bool {
    match name {
        "title" => adr.title.is_some(),
        "number" => adr.number.is_some(),
        "status" => adr.status_raw.is_some() || adr.status != Status::Unknown,
        "date" => adr.date.is_some(),
        "deciders" => !adr.deciders.is_empty(),
        "technical_story" => adr.technical_story.is_some(),
        "tags" => !adr.tags.is_empty(),
        "context" => adr.context.is_some(),
        "decision" => adr.decision.is_some() || adr.outcome.is_some(),
        "decision_drivers" => !adr.decision_drivers.is_empty(),
        "options" => !adr.options.is_empty(),
        "chosen_option" => adr.chosen_option().is_some(),
        "consequences" => !adr.consequences.is_empty(),
        "phases" => !adr.phases.is_empty(),
        "validation" => !adr.validation.is_empty(),
        "review_date" => adr.review_date.is_some(),
        "links" => !adr.links.is_empty(),
        "typed_links" => adr.links.iter().any(|l| l.kind.is_typed()),
        _ => false,
    }
}

/// Figures about one ingest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// The roots.
    pub roots: Vec<String>,
    /// Files seen under the roots.
    pub files_seen: usize,
    /// Decisions read.
    pub decisions: usize,
    /// Files skipped.
    pub skipped: usize,
    /// Skipped files per reason.
    pub skipped_by_reason: BTreeMap<String, usize>,
    /// Decisions per dialect.
    pub by_dialect: BTreeMap<String, usize>,
    /// Decisions per normalised status.
    pub by_status: BTreeMap<String, usize>,
    /// Decisions that have each field (keys: [`FIELDS`]).
    pub fields: BTreeMap<String, usize>,
    /// Links per kind.
    pub links_by_kind: BTreeMap<String, usize>,
    /// Diagnostics in all.
    pub diagnostics: usize,
    /// Diagnostics per severity.
    pub diagnostics_by_severity: BTreeMap<String, usize>,
    /// Diagnostics per code.
    pub diagnostics_by_code: BTreeMap<String, usize>,
}

impl Stats {
    /// Compute the figures for a corpus.
    pub fn of(corpus: &Corpus) -> Stats {
        let mut s = Stats {
            roots: corpus.roots.clone(),
            files_seen: corpus.files_seen,
            decisions: corpus.adrs.len(),
            skipped: corpus.skipped.len(),
            skipped_by_reason: BTreeMap::new(),
            by_dialect: BTreeMap::new(),
            by_status: BTreeMap::new(),
            fields: FIELDS.iter().map(|f| (f.to_string(), 0)).collect(),
            links_by_kind: BTreeMap::new(),
            diagnostics: corpus.diagnostics.len(),
            diagnostics_by_severity: BTreeMap::new(),
            diagnostics_by_code: BTreeMap::new(),
        };
        for k in &corpus.skipped {
            *s.skipped_by_reason.entry(k.reason.as_str().to_string()).or_default() += 1;
        }
        for a in &corpus.adrs {
            *s.by_dialect.entry(a.dialect.as_str().to_string()).or_default() += 1;
            *s.by_status.entry(a.status.as_str().to_string()).or_default() += 1;
            for f in FIELDS {
                if has_field(a, f) {
                    *s.fields.entry(f.to_string()).or_default() += 1;
                }
            }
            for l in &a.links {
                let key = match l.kind {
                    LinkKind::Custom => "custom".to_string(),
                    ref k => k.as_str().to_string(),
                };
                *s.links_by_kind.entry(key).or_default() += 1;
            }
        }
        for d in &corpus.diagnostics {
            *s.diagnostics_by_severity.entry(d.severity.as_str().to_string()).or_default() += 1;
            *s.diagnostics_by_code.entry(d.code.clone()).or_default() += 1;
        }
        s
    }

    /// Number of error-level diagnostics.
    pub fn errors(&self) -> usize {
        self.diagnostics_by_severity.get(Severity::Error.as_str()).copied().unwrap_or(0)
    }
}

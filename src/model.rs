//! The data model: one [`Adr`] per decision record, with every field of the seed template, plus
//! the [`Diagnostic`]s that parsing and ingest report.
//!
//! Everything here is plain data: no I/O, no parsing. Every type is serializable with serde, and
//! the JSON field names are part of adrgraph's stable interface (see `docs/json.md`): fields are
//! only ever added, never renamed or removed, within a major version.
//!
//! Optional fields serialize as `null` (or an empty array) rather than being omitted, so a
//! consumer always sees the same keys.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date, serialized as ISO `YYYY-MM-DD`.
pub type Date = chrono::NaiveDate;

/// One architecture decision record, as read from one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Adr {
    /// Identifier unique within one ingest: the file's slug (its name without extension, or the
    /// folder name for a record kept as `folder/README.md`), prefixed by as much of its folder as
    /// is needed to tell it apart from another record with the same slug.
    pub id: String,
    /// Path of the file as the user would type it: the root as given, joined with the path below
    /// it, always with `/` separators.
    pub path: String,
    /// Path of the file relative to its root, with `/` separators.
    pub rel_path: String,
    /// The slug: file stem, or record folder name for `folder/README.md` records.
    pub slug: String,
    /// Decision number, from the file name (`0012-x.md`, `ADR012-x.md`, `adr-012-x.md`), or else
    /// the title prefix (`# 12.`, `# ADR-012:`) or front matter. Date-named files
    /// (`20201016-x.md`) with no number in their title have none.
    pub number: Option<u32>,
    /// The number the title itself writes (`# 30. X` gives 30), which may disagree with the file
    /// name's (lint's `number-mismatch`).
    pub title_number: Option<u32>,
    /// Title with its number prefix removed (`# ADR-001: Use NATS` gives `Use NATS`).
    pub title: Option<String>,
    /// Decision date, normalised.
    pub date: Option<Date>,
    /// The date text as written, when one was found.
    pub date_raw: Option<String>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// Normalised current status.
    pub status: Status,
    /// The status text as written (emoji and trailing notes included), when one was found.
    pub status_raw: Option<String>,
    /// Every status the record states, in document order (for example `Accepted` then
    /// `Superseded by ...` in an adr-tools Status section, or the entries of a changelog).
    pub status_history: Vec<StatusChange>,
    /// People who made the decision (`Deciders`, `decision-makers`, `décideurs`).
    pub deciders: Vec<String>,
    /// People consulted (MADR 4 `consulted`).
    pub consulted: Vec<String>,
    /// People informed (MADR 4 `informed`).
    pub informed: Vec<String>,
    /// `Technical Story` / `User Story` text.
    pub technical_story: Option<String>,
    /// Tags (log4brains `Tags:`, front matter `tags`).
    pub tags: Vec<String>,
    /// The code this decision governs, as paths or globs its front matter declares (`affects:`
    /// as adrkit writes it, `appliesTo:` as EventCatalog does, `applies-to:`, `scope:`,
    /// `paths:`), relative to the repository's top; read by `adrgraph governs`.
    #[serde(default)]
    pub scope: Vec<String>,
    /// Text of the context / problem statement section.
    pub context: Option<String>,
    /// Text of a Nygard-style `## Decision` section (the decision itself, in prose).
    pub decision: Option<String>,
    /// Decision drivers, one per bullet.
    pub decision_drivers: Vec<String>,
    /// Considered options, in the order they are first listed.
    pub options: Vec<ConsideredOption>,
    /// The decision outcome: chosen option and rationale.
    pub outcome: Option<Outcome>,
    /// Consequences, positive / negative / neutral, plus the prose of the section.
    pub consequences: Consequences,
    /// Implementation phases (`### Phase 1: Name` with timeline and deliverables).
    pub phases: Vec<Phase>,
    /// Validation criteria (or MADR 4 `Confirmation`), one per bullet or paragraph.
    pub validation: Vec<String>,
    /// Date the decision should be reviewed again.
    pub review_date: Option<Date>,
    /// Review date text as written.
    pub review_date_raw: Option<String>,
    /// Links to other decisions and resources: typed supersession/amendment links, custom
    /// `adr link` pairs, and plain references (including bare ids such as `ADR-004` in prose).
    pub links: Vec<Link>,
    /// Links to files and folders of the repository that are not decision records, as written:
    /// relative paths (`../../src/store/index.js`, `../packages/lib/src`) and repository URLs
    /// (`https://github.com/o/r/blob/main/src/x.js#L10`); read by `adrgraph governs`.
    #[serde(default)]
    pub code_links: Vec<String>,
    /// The dialect the file was read as.
    pub dialect: Dialect,
    /// Every section of the document, with its plain text, for indexing.
    pub sections: Vec<Section>,
}

impl Adr {
    /// A new record with only its identity set; every other field empty.
    pub fn empty(id: impl Into<String>, path: impl Into<String>, rel_path: impl Into<String>) -> Adr {
        let rel_path = rel_path.into();
        let slug = slug_for(&rel_path);
        Adr::named(id.into(), path.into(), rel_path, slug)
    }

    /// [`Adr::empty`] with its slug known already (read back from a snapshot).
    pub(crate) fn named(id: String, path: String, rel_path: String, slug: String) -> Adr {
        Adr {
            id,
            path,
            slug,
            rel_path,
            number: None,
            title_number: None,
            title: None,
            date: None,
            date_raw: None,
            date_source: None,
            status: Status::Unknown,
            status_raw: None,
            status_history: Vec::new(),
            deciders: Vec::new(),
            consulted: Vec::new(),
            informed: Vec::new(),
            technical_story: None,
            tags: Vec::new(),
            scope: Vec::new(),
            context: None,
            decision: None,
            decision_drivers: Vec::new(),
            options: Vec::new(),
            outcome: None,
            consequences: Consequences::default(),
            phases: Vec::new(),
            validation: Vec::new(),
            review_date: None,
            review_date_raw: None,
            links: Vec::new(),
            code_links: Vec::new(),
            dialect: Dialect::Generic,
            sections: Vec::new(),
        }
    }

    /// The folder of the record relative to its root (`""` at the top), with `/` separators.
    pub fn folder(&self) -> &str {
        let rel = if self.is_folder_record() {
            self.rel_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
        } else {
            &self.rel_path
        };
        rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
    }

    /// Whether the record's folder is `folder` or ends with `/folder` (`decisions/12` names
    /// record 12 of `docs/decisions`).
    pub fn in_folder(&self, folder: &str) -> bool {
        let own = self.folder();
        own == folder || own.strip_suffix(folder).is_some_and(|rest| rest.ends_with('/'))
    }

    /// True when the record is a `folder/README.md` style record (the folder is the record).
    pub fn is_folder_record(&self) -> bool {
        let file = self.rel_path.rsplit('/').next().unwrap_or("");
        let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
        stem != self.slug
    }

    /// The title, or the slug when the file has no title.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.slug)
    }

    /// The chosen option's title, if the record names one.
    pub fn chosen_option(&self) -> Option<&str> {
        self.outcome.as_ref().and_then(|o| o.chosen.as_deref())
    }
}

/// Normalised decision status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Put forward, not yet decided (also: pending, in review, on hold).
    Proposed,
    /// Decided and in force (also: approved, decided, implemented, final, aceito, accepté).
    Accepted,
    /// Considered and turned down (also: declined, withdrawn).
    Rejected,
    /// No longer in force, with no successor (also: obsolete, reverted, retired).
    Deprecated,
    /// Replaced by another decision, in whole or in part.
    Superseded,
    /// Being written.
    Draft,
    /// No status stated, or one whose meaning is not clear.
    Unknown,
}

impl Status {
    /// All statuses, in display order.
    pub const ALL: [Status; 7] = [
        Status::Proposed,
        Status::Accepted,
        Status::Rejected,
        Status::Deprecated,
        Status::Superseded,
        Status::Draft,
        Status::Unknown,
    ];

    /// The lowercase name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Deprecated => "deprecated",
            Status::Superseded => "superseded",
            Status::Draft => "draft",
            Status::Unknown => "unknown",
        }
    }

    /// Whether a decision with this status is in force (accepted).
    pub fn is_in_force(self) -> bool {
        self == Status::Accepted
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL.into_iter().find(|st| st.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            crate::Error::Unknown {
                what: "status",
                value: s.to_string(),
                expected: format!("one of: {}", Status::ALL.map(|s| s.as_str()).join(", ")),
            }
        })
    }
}

/// One status statement found in a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StatusChange {
    /// Normalised status.
    pub status: Status,
    /// The text as written.
    pub raw: String,
    /// Date attached to the statement (`accepted 2020-01-05`, a changelog entry), if any.
    pub date: Option<Date>,
    /// 1-based line of the statement.
    pub line: u32,
}

/// Where a record's date was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DateSource {
    /// A `Date:` line, bullet, bold label or table row in the text.
    Text,
    /// YAML front matter (or a sidecar metadata file such as `kep.yaml`).
    FrontMatter,
    /// The first entry of a `## Changelog` section, or of a status history.
    Changelog,
    /// The file or folder name (`20201016-x.md`, `2022-03-02-x/README.md`).
    FileName,
}

/// The ADR dialect a file was read as (the grammar of each is in [`crate::parse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
pub enum Dialect {
    /// The rich seed template: bold `**Status:**` labels, Detailed Analysis, Implementation Plan.
    #[cfg_attr(
        feature = "cli",
        value(help = "the rich seed template (`# ADR-012: Title`, `**Status:**` labels)")
    )]
    Seed,
    /// Michael Nygard's format as adr-tools writes it: `# 12. Title`, `Date:`, `## Status`.
    #[cfg_attr(
        feature = "cli",
        value(help = "Nygard's, as adr-tools writes it (`# 12. Title`, `## Status`)")
    )]
    Nygard,
    /// MADR 1.x/2.x: metadata bullets (`* Status: accepted`), Considered Options, Decision Outcome.
    #[cfg_attr(feature = "cli", value(help = "MADR 2 (`* Status:` / `* Date:` bullets)"))]
    Madr2,
    /// log4brains' MADR variant: `- Status:` / `- Date:` / `- Tags:` bullets, date-slug file names.
    #[cfg_attr(feature = "cli", value(help = "log4brains (`- Status:` bullets, `YYYYMMDD-slug.md` names)"))]
    Log4brains,
    /// MADR 3.x/4.x with YAML front matter.
    #[cfg_attr(
        feature = "cli",
        value(name = "madr", help = "MADR 4 (YAML front matter: status, date, decision-makers)")
    )]
    MadrFrontMatter,
    /// Anything else: sections are still read, fields found where they are written.
    #[cfg_attr(feature = "cli", value(skip))]
    Generic,
}

impl Dialect {
    /// All dialects, in display order.
    pub const ALL: [Dialect; 6] = [
        Dialect::Seed,
        Dialect::Nygard,
        Dialect::Madr2,
        Dialect::Log4brains,
        Dialect::MadrFrontMatter,
        Dialect::Generic,
    ];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Seed => "seed",
            Dialect::Nygard => "nygard",
            Dialect::Madr2 => "madr2",
            Dialect::Log4brains => "log4brains",
            Dialect::MadrFrontMatter => "madr_front_matter",
            Dialect::Generic => "generic",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One considered option.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConsideredOption {
    /// Option title (`NATS JetStream`), with `Option 1:` style prefixes removed.
    pub title: String,
    /// Free text describing the option.
    pub description: Option<String>,
    /// Arguments for (`Pros:`, `Good, because ...`, `` `+` ``).
    pub pros: Vec<String>,
    /// Arguments against (`Cons:`, `Bad, because ...`, `` `-` ``).
    pub cons: Vec<String>,
    /// Neutral points (`Neutral, because ...`).
    pub neutral: Vec<String>,
    /// Cost or effort estimate as written (`Low (simple deployment)`).
    pub cost: Option<String>,
    /// Risk estimate as written (`Medium (operational complexity)`).
    pub risk: Option<String>,
    /// Whether this is the chosen option.
    pub chosen: bool,
    /// 1-based line where the option is first named.
    pub line: u32,
}

impl ConsideredOption {
    /// An option with this title, not chosen, with no arguments yet.
    pub fn new(title: impl Into<String>) -> ConsideredOption {
        ConsideredOption { title: title.into(), ..ConsideredOption::default() }
    }
}

/// The decision outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Outcome {
    /// Title of the chosen option as written in `Chosen option: "X"`.
    pub chosen: Option<String>,
    /// The justification (`because ...`), or the outcome prose.
    pub rationale: Option<String>,
    /// 1-based line of the outcome statement.
    pub line: u32,
}

/// Consequences of the decision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Consequences {
    /// Positive consequences (`### Positive Consequences`, `Good, because`).
    pub positive: Vec<String>,
    /// Negative consequences (`### Negative Consequences`, `Bad, because`).
    pub negative: Vec<String>,
    /// Neutral consequences (`Neutral, because`).
    pub neutral: Vec<String>,
    /// The plain text of the consequences section(s), for dialects that write prose.
    pub text: Option<String>,
}

impl Consequences {
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.positive.is_empty() && self.negative.is_empty() && self.neutral.is_empty() && self.text.is_none()
    }
}

/// One implementation phase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Phase {
    /// Phase name (`Deploy NATS` from `### Phase 1: Deploy NATS`).
    pub name: String,
    /// Timeline as written (`1 week`).
    pub timeline: Option<String>,
    /// Deliverables, one per bullet.
    pub deliverables: Vec<String>,
}

/// The kind of a link between records.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkKind {
    /// This record replaces the target.
    Supersedes,
    /// This record is replaced by the target.
    SupersededBy,
    /// This record amends the target.
    Amends,
    /// This record is amended by the target.
    AmendedBy,
    /// A custom relation written by adr-tools' `adr link` (`Clarifies` / `Clarified by`); the
    /// verb is in [`Link::label`].
    Custom,
    /// Any other link to a decision or resource, and bare ids (`ADR-004`) in prose.
    References,
}

impl LinkKind {
    /// The snake_case name used in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            LinkKind::Supersedes => "supersedes",
            LinkKind::SupersededBy => "superseded_by",
            LinkKind::Amends => "amends",
            LinkKind::AmendedBy => "amended_by",
            LinkKind::Custom => "custom",
            LinkKind::References => "references",
        }
    }

    /// Whether this is a supersession or amendment link (either direction).
    pub fn is_typed(&self) -> bool {
        !matches!(self, LinkKind::References | LinkKind::Custom)
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in the record a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkSource {
    /// In the status (section, bullet, bold label, front matter value).
    Status,
    /// A metadata bullet or label other than status (`* Supersedes: [..]`).
    Metadata,
    /// A front matter key (`supersedes:`, `superseded_by:`, `links:`), or sidecar metadata.
    FrontMatter,
    /// A `## Links` / `## References` section.
    LinksSection,
    /// Running text anywhere else.
    Prose,
}

/// A link from a record to another record or resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Link {
    /// What the link means.
    pub kind: LinkKind,
    /// The verb for [`LinkKind::Custom`] links as written (`Clarified by`), else `null`.
    pub label: Option<String>,
    /// A qualifier kept from the text (`in part`, `partly`), else `null`.
    pub qualifier: Option<String>,
    /// The link text or the id as written (`9. Help scripts`, `ADR-004`).
    pub text: String,
    /// The link destination: a path or URL as written (`0009-help-scripts.md`), or for a bare
    /// id the id itself (`ADR-004`).
    pub target: String,
    /// Number read from the target or text (`ADR-004` gives 4), when there is one.
    pub number: Option<u32>,
    /// Where it was written.
    pub source: LinkSource,
    /// 1-based line.
    pub line: u32,
}

impl Link {
    /// A link of `kind` to `target` written on `line`, found in prose, with the target as its
    /// text and nothing else set.
    pub fn new(kind: LinkKind, target: impl Into<String>, line: u32) -> Link {
        let target = target.into();
        Link {
            kind,
            label: None,
            qualifier: None,
            text: target.clone(),
            target,
            number: None,
            source: LinkSource::Prose,
            line,
        }
    }
}

/// One section of a record: a heading and the plain text below it (up to the next heading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Section {
    /// Heading text (empty for the text before the first heading).
    pub heading: String,
    /// Heading level 1-6 (0 for the text before the first heading).
    pub level: u8,
    /// 1-based line of the heading.
    pub line: u32,
    /// Plain text of the section body.
    pub text: String,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Something could not be read: data may be missing. Commands exit with code 1.
    Error,
    /// Read, but something is off (an unrecognised status word, an unparseable date).
    Warning,
    /// Worth knowing, nothing lost.
    Note,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem found in one file, pointing at the place it was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Path of the file, as in [`Adr::path`].
    pub path: String,
    /// 1-based line (0 when the problem concerns the whole file).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub col: u32,
    /// How serious it is.
    pub severity: Severity,
    /// Stable machine-readable code (`invalid-utf8`, `unknown-status`, ...).
    pub code: String,
    /// Human explanation.
    pub message: String,
}

impl Diagnostic {
    /// A new diagnostic.
    pub fn new(
        path: impl Into<String>,
        line: u32,
        severity: Severity,
        code: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            line,
            col: 0,
            severity,
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        write!(f, ": {}[{}]: {}", self.severity, self.code, self.message)
    }
}

pub use crate::names::slug_for;

/// Which decision of a corpus: its place in the corpus's records (`corpus.adrs[i]`), as the
/// graph, its links and the questions name decisions. A handle is got from the corpus
/// ([`crate::ingest::Corpus::find_index`], [`crate::ingest::Corpus::indexes`]) or from the
/// graph built from it ([`crate::DecisionGraph::adr_of`], an [`crate::graph::Edge`]), and is
/// meant for that corpus and that graph only. Records are indexed with it directly:
/// `adrs[handle]`. In JSON it is the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DecisionIndex(usize);

impl DecisionIndex {
    /// The handle of the `i`-th record. Crate-private: outside the crate a handle comes from a
    /// corpus or a graph.
    pub(crate) const fn new(i: usize) -> DecisionIndex {
        DecisionIndex(i)
    }

    /// The handles of the first `n` records, in order.
    pub(crate) fn range(n: usize) -> impl DoubleEndedIterator<Item = DecisionIndex> + Clone {
        (0..n).map(DecisionIndex)
    }

    /// The handle of the `i`-th of `adrs` (records a program built itself, not read with
    /// [`crate::ingest::ingest`]), if there is one.
    pub fn at(adrs: &[Adr], i: usize) -> Option<DecisionIndex> {
        (i < adrs.len()).then_some(DecisionIndex(i))
    }

    /// The place in the corpus's records.
    pub const fn get(self) -> usize {
        self.0
    }
}

impl fmt::Display for DecisionIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Any per-decision table (the records, the graph's decision nodes) is indexed by a handle.
impl<T> std::ops::Index<DecisionIndex> for [T] {
    type Output = T;
    fn index(&self, i: DecisionIndex) -> &T {
        &self[i.0]
    }
}

impl<T> std::ops::Index<DecisionIndex> for Vec<T> {
    type Output = T;
    fn index(&self, i: DecisionIndex) -> &T {
        &self[i.0]
    }
}

impl<T> std::ops::IndexMut<DecisionIndex> for Vec<T> {
    fn index_mut(&mut self, i: DecisionIndex) -> &mut T {
        &mut self[i.0]
    }
}

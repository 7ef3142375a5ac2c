//! The arguments of the MCP tools and prompts: each a struct whose doc comments become the
//! input schema a model reads.

use schemars::JsonSchema;
use serde::Deserialize;

/// Arguments of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchParams {
    /// Words to find. Phrases in double quotes, `+must`, `-not`, `word*` prefixes and
    /// `field:value` work. Example: `event bus kafka`.
    pub query: String,
    /// Only decisions with one of these statuses: proposed, accepted, rejected, deprecated,
    /// superseded, draft, unknown.
    #[serde(default)]
    pub status: Vec<String>,
    /// Only decisions with this tag.
    pub tag: Option<String>,
    /// Only decisions in this folder (relative to its root) or below it.
    pub folder: Option<String>,
    /// Only decisions dated on or after this day (YYYY-MM-DD).
    pub since: Option<String>,
    /// Only decisions dated on or before this day (YYYY-MM-DD).
    pub until: Option<String>,
    /// Only decisions whose deciders include a person with these words in their name.
    pub decider: Option<String>,
    /// At most this many hits (default 10).
    pub limit: Option<usize>,
    /// Answer as of this git revision instead of the work tree: a commit id, tag, branch,
    /// `HEAD~3` or a date `YYYY-MM-DD`. The answer then wraps the usual one: `{"at": the
    /// commit, "result": ...}`.
    pub at: Option<String>,
}

/// Arguments of `list`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListParams {
    /// Only decisions with one of these statuses (see `search`).
    #[serde(default)]
    pub status: Vec<String>,
    /// Order: path (default), date, number or id.
    pub sort: Option<String>,
    /// At most this many decisions (default 50); the answer's `next_offset` asks for the
    /// next ones.
    pub limit: Option<usize>,
    /// Leave out this many decisions first (default 0): the `next_offset` of the last answer.
    pub offset: Option<usize>,
    /// The keys of each row: any of id, path, title, number, status, status_raw, date,
    /// deciders, tags, dialect, links. Default: id, path, title, number, status, date,
    /// deciders, tags (`links` is every link as written: ask `show`, `impact` or `deps` for
    /// the typed links of one decision).
    #[serde(default)]
    pub fields: Vec<String>,
    /// Answer as of this git revision instead of the work tree: a commit id, tag, branch,
    /// `HEAD~3` or a date `YYYY-MM-DD`. The answer then wraps the usual one: `{"at": the
    /// commit, "result": ...}`.
    pub at: Option<String>,
}

/// A decision named by id.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct IdParams {
    /// The decision: an id from `list` or `search`, a number (`12`, `ADR-12`), a path or a slug.
    pub id: String,
    /// Answer as of this git revision instead of the work tree: a commit id, tag, branch,
    /// `HEAD~3` or a date `YYYY-MM-DD`. The answer then wraps the usual one: `{"at": the
    /// commit, "result": ...}`.
    pub at: Option<String>,
}

/// Arguments of `show`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ShowParams {
    /// The decision: an id from `list` or `search`, a number (`12`, `ADR-12`), a path or a slug.
    pub id: String,
    /// Only these fields of the answer (for example `["title", "status", "decision"]`); all
    /// when empty.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Answer as of this git revision instead of the work tree: a commit id, tag, branch,
    /// `HEAD~3` or a date `YYYY-MM-DD`. The answer then wraps the usual one: `{"at": the
    /// commit, "result": ...}`.
    pub at: Option<String>,
}

/// Arguments of `impact` and `deps`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct WalkParams {
    /// The decision: an id from `list` or `search`, a number (`12`, `ADR-12`), a path or a slug.
    pub id: String,
    /// How many links away to go (all when absent).
    pub depth: Option<usize>,
    /// List at most this many of the decisions reached (default 50), accepted first, then the
    /// nearest; `total` counts them all.
    pub limit: Option<usize>,
    /// Answer as of this git revision instead of the work tree: a commit id, tag, branch,
    /// `HEAD~3` or a date `YYYY-MM-DD`. The answer then wraps the usual one: `{"at": the
    /// commit, "result": ...}`.
    pub at: Option<String>,
}

/// Arguments of `path`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PathParams {
    /// The first decision.
    pub from: String,
    /// The second decision.
    pub to: String,
    /// Answer as of this git revision instead of the work tree: a commit id, tag, branch,
    /// `HEAD~3` or a date `YYYY-MM-DD`. The answer then wraps the usual one: `{"at": the
    /// commit, "result": ...}`.
    pub at: Option<String>,
}

/// Arguments of `governs`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GovernsParams {
    /// Files or folders of code, relative to the folder the server runs in (a folder stands
    /// for every file below it).
    pub paths: Vec<String>,
    /// Also deprecated and rejected decisions.
    #[serde(default)]
    pub all: bool,
}

/// Arguments of `lint`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct LintParams {
    /// Only the findings on this record file (its path as `list` gives it) or below this folder.
    pub path: Option<String>,
    /// Answer as of this git revision instead of the work tree: a commit id, tag, branch,
    /// `HEAD~3` or a date `YYYY-MM-DD`. The answer then wraps the usual one: `{"at": the
    /// commit, "result": ...}`.
    pub at: Option<String>,
}

/// Arguments of `stats`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct StatsParams {
    /// Answer as of this git revision instead of the work tree: a commit id, tag, branch,
    /// `HEAD~3` or a date `YYYY-MM-DD`. The answer then wraps the usual one: `{"at": the
    /// commit, "result": ...}`.
    pub at: Option<String>,
}

/// Arguments of `context`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContextParams {
    /// Files or folders of code about to be changed (relative to the folder the server runs in).
    #[serde(default)]
    pub paths: Vec<String>,
    /// What is about to be done, in a sentence (searched for among the decisions).
    pub task: Option<String>,
    /// At most this many characters of answer (default 4,000); the decisions left out are
    /// listed as `adr://` links.
    pub budget: Option<usize>,
}

/// Arguments of `new`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct NewParams {
    /// The decision's title, for example `Use PostgreSQL for billing`.
    pub title: String,
    /// Its status (default: what the folder's template says, usually proposed).
    pub status: Option<String>,
    /// The folder of decisions to write it in (default: the one adrgraph finds, when there is one).
    pub folder: Option<String>,
    /// A decision the new one supersedes (written on both records).
    pub supersedes: Option<String>,
    /// A decision the new one amends (written on both records).
    pub amends: Option<String>,
    /// Only show the diff (the default); `false` writes it.
    pub dry_run: Option<bool>,
}

/// Arguments of `supersede`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SupersedeParams {
    /// The decision superseded.
    pub old: String,
    /// The decision that supersedes it.
    pub new: String,
    /// Supersede `old` even though another decision supersedes it already.
    #[serde(default)]
    pub force: bool,
    /// Only show the diff (the default); `false` writes it.
    pub dry_run: Option<bool>,
}

/// Arguments of `link`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct LinkParams {
    /// The decision the link is written on.
    pub source: String,
    /// The relation as it reads on `source`, for example `Amends` or `Clarifies`.
    pub verb: String,
    /// The decision linked to.
    pub target: String,
    /// The relation as it reads on `target` (`Amended by`); none: `target` is left as it is.
    pub reverse: Option<String>,
    /// Only show the diff (the default); `false` writes it.
    pub dry_run: Option<bool>,
}

/// Arguments of `status`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct StatusParams {
    /// The decision.
    pub id: String,
    /// Its new status: proposed, accepted, rejected, deprecated, superseded or draft.
    pub status: String,
    /// Only show the diff (the default); `false` writes it.
    pub dry_run: Option<bool>,
}

/// Arguments of the `draft-decision` prompt.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DraftParams {
    /// The decision's title, for example `Use PostgreSQL for billing`.
    pub title: String,
    /// The problem to decide, in a few sentences.
    pub problem: String,
    /// The folder of decisions to write it in (default: the one adrgraph finds).
    pub folder: Option<String>,
}

/// Arguments of the `review-change` prompt.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReviewParams {
    /// The files the change touches (code and decision records), relative to the folder the
    /// server runs in, separated by spaces, commas or new lines (prompt arguments are text).
    pub paths: String,
}

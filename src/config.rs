//! `adrgraph.toml`: the settings a project keeps beside its ADRs. Every key is optional.
//!
//! ```toml
//! roots = ["docs/decisions"]              # used when no --root is given (relative to the file)
//! exclude = ["drafts/**", "*.tmp.md"]     # globs, relative to each root, not to read
//!
//! [parse]
//! status_words = { "signed off" = "accepted", "parked" = "proposed" }
//! link_phrases = { "obsoletes" = "supersedes", "replaced with" = "superseded_by" }
//!
//! [lint]
//! proposed_max_days = 60
//!
//! [lint.rules]
//! numbering-gap = "off"                    # error | warning | note | off
//!
//! [store]
//! revisions_mb = 300                       # the stores of `--at` revisions, least recently used evicted
//!
//! [check]
//! require_decision = ["src/billing/**"]    # a changed file here needs a governing decision
//!
//! [new]
//! dialect = "nygard"                       # a folder with no record yet: seed | nygard | madr | madr2 | log4brains
//! ```

use crate::lint::{rule, Level, LintConfig};
use crate::model::{LinkKind, Status};
use crate::parse::Vocabulary;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The `[lint]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintFile {
    /// Days a decision may stay proposed.
    pub proposed_max_days: Option<i64>,
    /// Level per rule code: `error`, `warning`, `note` or `off`.
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    /// Edits of fewer characters than this to an accepted decision are editorial
    /// (`changed-after-acceptance` leaves them out; 6 when unset).
    pub editorial_distance: Option<usize>,
}

/// The `[parse]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParseFile {
    /// Extra status words and the status each means.
    #[serde(default)]
    pub status_words: BTreeMap<String, String>,
    /// Extra link phrases and the link kind each makes.
    #[serde(default)]
    pub link_phrases: BTreeMap<String, String>,
}

/// The `[new]` table: how `adrgraph new` and `init` write a record where the folder has none
/// to learn from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewFile {
    /// The dialect: `seed`, `nygard`, `madr` (MADR 4), `madr2` or `log4brains`.
    pub dialect: Option<String>,
}

/// The dialect a name in `[new] dialect` (or on the command line) means.
pub fn dialect_named(name: &str) -> Option<crate::model::Dialect> {
    use crate::model::Dialect as D;
    Some(match name.trim().to_lowercase().as_str() {
        "seed" => D::Seed,
        "nygard" | "adr-tools" => D::Nygard,
        "madr" | "madr4" | "madr3" => D::MadrFrontMatter,
        "madr2" => D::Madr2,
        "log4brains" => D::Log4brains,
        _ => return None,
    })
}

/// `adrgraph.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// ADR roots, relative to the file.
    #[serde(default)]
    pub roots: Vec<String>,
    /// Globs of paths not to read, relative to each root.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Parser vocabulary.
    #[serde(default)]
    pub parse: ParseFile,
    /// Lint settings.
    #[serde(default)]
    pub lint: LintFile,
    /// Authoring settings.
    #[serde(default)]
    pub new: NewFile,
    /// Declared scopes: a path or glob (relative to the repository's top) to the decisions
    /// that govern it (`"src/billing/**" = ["ADR-12"]`), read by `adrgraph governs`.
    #[serde(default)]
    pub governs: BTreeMap<String, Vec<String>>,
    /// Pull-request check settings.
    #[serde(default)]
    pub check: CheckFile,
    /// Store settings.
    #[serde(default)]
    pub store: StoreFile,
}

/// The `[store]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreFile {
    /// The most the stores of `--at` revisions may take together, in MB (300 when unset); the
    /// least recently used go first.
    pub revisions_mb: Option<u64>,
}

/// The `[check]` table: what `adrgraph check` asks of a change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckFile {
    /// Globs (relative to the repository's top): a changed file matching one that no decision
    /// in force governs is a finding (`require_decision = ["src/billing/**"]`).
    #[serde(default)]
    pub require_decision: Vec<String>,
    /// A marker on a changed line naming a superseded, deprecated or rejected decision is an
    /// error (as `--fail-on-superseded-marker`).
    #[serde(default)]
    pub fail_on_superseded_marker: bool,
}

fn link_kind(s: &str) -> Option<LinkKind> {
    Some(match s.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
        "supersedes" => LinkKind::Supersedes,
        "superseded_by" => LinkKind::SupersededBy,
        "amends" => LinkKind::Amends,
        "amended_by" => LinkKind::AmendedBy,
        "references" => LinkKind::References,
        _ => return None,
    })
}

impl ConfigFile {
    /// Parse the text of an `adrgraph.toml`; the error names the line.
    pub fn parse(text: &str) -> Result<ConfigFile, crate::Error> {
        use crate::Error::Config;
        let cfg: ConfigFile = toml::from_str(text).map_err(|e| Config(e.to_string()))?;
        for (code, level) in &cfg.lint.rules {
            if rule(code).is_none() {
                return Err(Config(format!(
                    "unknown rule `{code}` in [lint.rules] (see `adrgraph lint --explain`)"
                )));
            }
            level.parse::<Level>().map_err(|e| Config(format!("[lint.rules] {code}: {e}")))?;
        }
        for (word, status) in &cfg.parse.status_words {
            status.parse::<Status>().map_err(|e| Config(format!("[parse.status_words] {word}: {e}")))?;
        }
        for (phrase, kind) in &cfg.parse.link_phrases {
            if link_kind(kind).is_none() {
                return Err(Config(format!(
                    "[parse.link_phrases] {phrase}: unknown link kind `{kind}` (expected supersedes, superseded_by, amends, amended_by, references)"
                )));
            }
        }
        if let Some(d) = &cfg.new.dialect {
            if dialect_named(d).is_none() {
                return Err(Config(format!(
                    "[new] dialect: unknown dialect `{d}` (expected seed, nygard, madr, madr2, log4brains)"
                )));
            }
        }
        Ok(cfg)
    }

    /// The dialect `[new] dialect` names, if any.
    pub fn new_dialect(&self) -> Option<crate::model::Dialect> {
        self.new.dialect.as_deref().and_then(dialect_named)
    }

    /// The parser vocabulary it gives.
    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary {
            status_words: self
                .parse
                .status_words
                .iter()
                .filter_map(|(w, s)| s.parse().ok().map(|s| (w.trim().to_lowercase(), s)))
                .collect(),
            link_phrases: self
                .parse
                .link_phrases
                .iter()
                .filter_map(|(p, k)| link_kind(k).map(|k| (p.trim().to_lowercase(), k)))
                .collect(),
        }
    }

    /// The lint settings it gives, on top of the defaults.
    pub fn lint_config(&self) -> LintConfig {
        let mut c = LintConfig::default();
        if let Some(d) = self.lint.proposed_max_days {
            c.proposed_max_days = d;
        }
        for (code, level) in &self.lint.rules {
            if let Ok(l) = level.parse() {
                c.levels.insert(code.clone(), l);
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_file() {
        let c = ConfigFile::parse(
            "roots = [\"adr\"]\nexclude = [\"drafts/**\"]\n[parse]\nstatus_words = { \"signed off\" = \"accepted\" }\nlink_phrases = { obsoletes = \"supersedes\" }\n[lint]\nproposed_max_days = 5\n[lint.rules]\nnumbering-gap = \"off\"\n",
        )
        .unwrap();
        assert_eq!(c.roots, vec!["adr"]);
        assert_eq!(c.vocabulary().status_words, vec![("signed off".to_string(), Status::Accepted)]);
        assert_eq!(c.lint_config().level("numbering-gap"), Level::Off);
        assert!(ConfigFile::parse("[parse]\nstatus_words = { x = \"nope\" }\n").is_err());
        assert!(ConfigFile::parse("unknown_key = 1\n").is_err());
    }
}

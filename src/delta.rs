//! What a change to one record does to the decisions: a record added or removed, renamed, its
//! status or title changed, supersessions and amendments written or taken out.
//!
//! [`record_changes`] compares a record's old and new versions (either may be absent). Links
//! are named through a resolver the caller gives (the decision a link target names, as the
//! tree resolves it), so that both directions of one supersession (`Supersedes` in the new
//! record, `Superseded by` in the old) read as one change: see [`dedup`].

use crate::model::{Adr, Link, LinkKind, Status};
use serde::Serialize;

/// One change to the decisions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum DecisionChange {
    /// A record was added.
    Added {
        /// Its id.
        id: String,
        /// Its title.
        title: String,
        /// Its status.
        status: Status,
        /// Its path, relative to the repository's top.
        path: String,
    },
    /// A record was removed.
    Removed {
        /// Its id.
        id: String,
        /// Its title.
        title: String,
        /// Where it was.
        path: String,
    },
    /// A record was moved or renamed.
    Renamed {
        /// Its id now.
        id: String,
        /// Where it was.
        from: String,
        /// Where it is.
        path: String,
    },
    /// A record's status changed.
    Status {
        /// Its id.
        id: String,
        /// Its title.
        title: String,
        /// The status before.
        from: Status,
        /// The status after.
        to: Status,
    },
    /// A record's title changed.
    Retitled {
        /// Its id.
        id: String,
        /// The title before.
        from: String,
        /// The title after.
        to: String,
    },
    /// A supersession was written (or, with `removed`, taken out): `by` replaces `target`.
    Supersedes {
        /// The decision that replaces.
        by: String,
        /// The decision replaced.
        target: String,
        /// The link was taken out rather than written.
        removed: bool,
    },
    /// An amendment was written (or taken out): `by` amends `target`.
    Amends {
        /// The decision that amends.
        by: String,
        /// The decision amended.
        target: String,
        /// The link was taken out rather than written.
        removed: bool,
    },
}

impl DecisionChange {
    /// The change in one sentence (`this change supersedes ADR-7 with ADR-31`).
    pub fn sentence(&self) -> String {
        match self {
            DecisionChange::Added { id, title, status, .. } => format!("adds {id} \"{title}\" ({status})"),
            DecisionChange::Removed { id, title, .. } => format!("removes {id} \"{title}\""),
            DecisionChange::Renamed { id, from, path } => format!("moves {id} from {from} to {path}"),
            DecisionChange::Status { id, from, to, .. } => {
                format!("changes the status of {id} from {from} to {to}")
            }
            DecisionChange::Retitled { id, from, to } => format!("retitles {id} from \"{from}\" to \"{to}\""),
            DecisionChange::Supersedes { by, target, removed: false } => {
                format!("supersedes {target} with {by}")
            }
            DecisionChange::Supersedes { by, target, removed: true } => {
                format!("takes out the supersession of {target} by {by}")
            }
            DecisionChange::Amends { by, target, removed: false } => format!("amends {target} with {by}"),
            DecisionChange::Amends { by, target, removed: true } => {
                format!("takes out the amendment of {target} by {by}")
            }
        }
    }
}

/// What the change does, from a record's old version to its new one (`path`s relative to the
/// repository's top; `from` the old path for a rename). `resolve` names the decision a link of
/// a record points at (its id, or the link's text when it names none).
pub fn record_changes(
    old: Option<&Adr>,
    new: Option<&Adr>,
    paths: (&str, &str),
    resolve: &dyn Fn(&Adr, &Link) -> String,
) -> Vec<DecisionChange> {
    let (from, path) = paths;
    let mut out = Vec::new();
    match (old, new) {
        (None, None) => {}
        (None, Some(n)) => out.push(DecisionChange::Added {
            id: n.id.clone(),
            title: n.display_title().to_string(),
            status: n.status,
            path: path.to_string(),
        }),
        (Some(o), None) => out.push(DecisionChange::Removed {
            id: o.id.clone(),
            title: o.display_title().to_string(),
            path: from.to_string(),
        }),
        (Some(o), Some(n)) => {
            if from != path {
                out.push(DecisionChange::Renamed {
                    id: n.id.clone(),
                    from: from.to_string(),
                    path: path.to_string(),
                });
            }
            if o.status != n.status {
                out.push(DecisionChange::Status {
                    id: n.id.clone(),
                    title: n.display_title().to_string(),
                    from: o.status,
                    to: n.status,
                });
            }
            if o.display_title() != n.display_title() {
                out.push(DecisionChange::Retitled {
                    id: n.id.clone(),
                    from: o.display_title().to_string(),
                    to: n.display_title().to_string(),
                });
            }
        }
    }
    let typed = |a: Option<&Adr>| -> Vec<(LinkKind, String, String)> {
        let Some(a) = a else { return Vec::new() };
        let mut v: Vec<(LinkKind, String, String)> = a
            .links
            .iter()
            .filter(|l| l.kind.is_typed())
            .map(|l| (l.kind.clone(), a.id.clone(), resolve(a, l)))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let (before, after) = (typed(old), typed(new));
    let change = |(kind, own, other): &(LinkKind, String, String), removed: bool| {
        let (by, target) = match kind {
            LinkKind::Supersedes | LinkKind::Amends => (own.clone(), other.clone()),
            _ => (other.clone(), own.clone()),
        };
        match kind {
            LinkKind::Supersedes | LinkKind::SupersededBy => {
                DecisionChange::Supersedes { by, target, removed }
            }
            _ => DecisionChange::Amends { by, target, removed },
        }
    };
    // A rename changes the record's id: links compared by kind and target only.
    let same = |x: &(LinkKind, String, String), y: &(LinkKind, String, String)| x.0 == y.0 && x.2 == y.2;
    out.extend(after.iter().filter(|l| !before.iter().any(|b| same(b, l))).map(|l| change(l, false)));
    out.extend(before.iter().filter(|l| !after.iter().any(|a| same(a, l))).map(|l| change(l, true)));
    out
}

/// The changes in a stable order, each once (a supersession written on both of its records is
/// one change).
pub fn dedup(mut changes: Vec<DecisionChange>) -> Vec<DecisionChange> {
    changes.sort();
    changes.dedup();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_adr;

    fn adr(text: &str, path: &str) -> Adr {
        parse_adr(text, path, path).adr
    }

    #[test]
    fn status_title_and_both_directions_of_a_supersession() {
        let resolve = |_: &Adr, l: &Link| l.target.trim_end_matches(".md").to_string();
        let old = adr("# 1. Use Postgres\n\n## Status\n\nAccepted\n", "0001-use-postgres.md");
        let new = adr(
            "# 1. Use Postgres everywhere\n\n## Status\n\nSuperseded by [2. Use Cockroach](0002-use-cockroach.md)\n",
            "0001-use-postgres.md",
        );
        let one = record_changes(
            Some(&old),
            Some(&new),
            ("0001-use-postgres.md", "0001-use-postgres.md"),
            &resolve,
        );
        let added = adr(
            "# 2. Use Cockroach\n\n## Status\n\nAccepted\n\nSupersedes [1. Use Postgres](0001-use-postgres.md)\n",
            "0002-use-cockroach.md",
        );
        let two =
            record_changes(None, Some(&added), ("0002-use-cockroach.md", "0002-use-cockroach.md"), &resolve);
        let all = dedup(one.into_iter().chain(two).collect());
        let sentences: Vec<String> = all.iter().map(DecisionChange::sentence).collect();
        assert_eq!(
            sentences,
            [
                "adds 0002-use-cockroach \"Use Cockroach\" (accepted)",
                "changes the status of 0001-use-postgres from accepted to superseded",
                "retitles 0001-use-postgres from \"Use Postgres\" to \"Use Postgres everywhere\"",
                "supersedes 0001-use-postgres with 0002-use-cockroach",
            ]
        );
    }
}

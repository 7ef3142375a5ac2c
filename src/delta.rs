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
    /// The text of a section that carries the decision changed (`decision`, `outcome` or
    /// `consequences`), with the words taken out and put in (each run joined by ` … `; at most
    /// 200 characters each).
    Edited {
        /// Its id.
        id: String,
        /// Which section.
        section: String,
        /// The words taken out.
        removed: String,
        /// The words put in.
        added: String,
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
            DecisionChange::Edited { id, section, removed, added } => {
                match (removed.is_empty(), added.is_empty()) {
                    (true, _) => format!("edits the {section} of {id}: adds \"{added}\""),
                    (_, true) => format!("edits the {section} of {id}: removes \"{removed}\""),
                    _ => format!("edits the {section} of {id}: \"{removed}\" becomes \"{added}\""),
                }
            }
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

/// The sections that carry a decision, as text: the decision, the outcome (chosen option and
/// rationale), the consequences (prose and every listed consequence).
fn decision_texts(a: &Adr) -> [(&'static str, String); 3] {
    let outcome = a
        .outcome
        .as_ref()
        .map(|o| {
            [o.chosen.as_deref(), o.rationale.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
        })
        .unwrap_or_default();
    let c = &a.consequences;
    let consequences: Vec<&str> = c
        .text
        .as_deref()
        .into_iter()
        .chain(c.positive.iter().chain(&c.negative).chain(&c.neutral).map(String::as_str))
        .collect();
    [
        ("decision", a.decision.clone().unwrap_or_default()),
        ("outcome", outcome),
        ("consequences", consequences.join(" ")),
    ]
}

/// The sections carrying the decision whose words changed from `old` to `new`, each with a
/// short word diff.
pub fn text_changes(old: &Adr, new: &Adr) -> Vec<DecisionChange> {
    let (before, after) = (decision_texts(old), decision_texts(new));
    let mut out = Vec::new();
    for ((section, a), (_, b)) in before.iter().zip(&after) {
        let (wa, wb): (Vec<&str>, Vec<&str>) =
            (a.split_whitespace().collect(), b.split_whitespace().collect());
        if wa == wb {
            continue;
        }
        let (removed, added) = word_diff(&wa, &wb);
        out.push(DecisionChange::Edited { id: new.id.clone(), section: section.to_string(), removed, added });
    }
    out
}

/// The words of `a` not in `b` and of `b` not in `a`, by their longest common subsequence, each
/// run joined by ` … ` and cut at 200 characters. Long texts (over 2,000 words) are compared
/// by their common start and end only.
pub fn word_diff(a: &[&str], b: &[&str]) -> (String, String) {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let end = a[start..].iter().rev().zip(b[start..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..a.len() - end], &b[start..b.len() - end]);
    let (mut keep_a, mut keep_b) = (vec![false; a.len()], vec![false; b.len()]);
    if a.len() <= 2000 && b.len() <= 2000 {
        // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
        let mut lcs = vec![vec![0u16; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i][j] =
                    if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i] == b[j] {
                keep_a[i] = true;
                keep_b[j] = true;
                i += 1;
                j += 1;
            } else if lcs[i + 1][j] >= lcs[i][j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    (runs(a, &keep_a), runs(b, &keep_b))
}

/// The runs of words not kept, joined by ` … `, at most 200 characters.
fn runs(words: &[&str], kept: &[bool]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for (w, k) in words.iter().zip(kept) {
        if *k {
            if !current.is_empty() {
                parts.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(w);
        }
    }
    if !current.is_empty() {
        parts.push(current.join(" "));
    }
    let text = parts.join(" … ");
    match text.char_indices().nth(200) {
        Some((k, _)) => format!("{}…", &text[..k]),
        None => text,
    }
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
    fn a_word_diff_names_the_words_taken_out_and_put_in() {
        let w = |s: &'static str| s.split_whitespace().collect::<Vec<_>>();
        assert_eq!(
            word_diff(&w("we use postgres for orders"), &w("we use cockroach for all orders")),
            ("postgres".into(), "cockroach … all".into())
        );
        assert_eq!(word_diff(&w("a b c"), &w("a b c d")), (String::new(), "d".into()));
        let old =
            adr("# 1. X\n\n## Status\n\nAccepted\n\n## Decision\n\nUse Postgres for orders.\n", "0001-x.md");
        let new = adr(
            "# 1. X\n\n## Status\n\nAccepted\n\n## Decision\n\nUse CockroachDB for orders.\n",
            "0001-x.md",
        );
        assert_eq!(
            text_changes(&old, &new).iter().map(DecisionChange::sentence).collect::<Vec<_>>(),
            ["edits the decision of 0001-x: \"Postgres\" becomes \"CockroachDB\""]
        );
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

/// One commit of a record's history ([`record_history`]).
#[cfg(feature = "git")]
#[derive(Debug, Clone, Serialize)]
pub struct HistoryStep {
    /// The commit.
    pub commit: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// Its author.
    pub author: String,
    /// Its subject.
    pub subject: String,
    /// The record's path in that commit, from the repository's top.
    pub path: String,
    /// The path it had before, when the commit moved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Whether the commit created the record.
    pub created: bool,
    /// The sections whose text changed (headings as written).
    pub sections_edited: Vec<String>,
    /// What the commit did to the decisions, as `diff` says it.
    pub changes: Vec<DecisionChange>,
}

/// Each commit of the first-parent history of `from` (`HEAD` when `None`) that changed decision
/// `i`'s record, oldest first, renames followed back to the commit that created it (at most `limit` commits looked
/// at): what it changed, as [`record_changes`] and [`text_changes`] say, with links named by the
/// decisions they resolve to in `corpus` (else by their text).
#[cfg(feature = "git")]
pub fn record_history(
    corpus: &crate::ingest::Corpus,
    i: crate::model::DecisionIndex,
    from: Option<&str>,
    limit: usize,
) -> Result<Vec<HistoryStep>, crate::git::GitError> {
    let record = &corpus.adrs[i.get()];
    let file = corpus.file_of(i);
    let dir = file.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let changes = crate::git::file_history(&dir, &file, from.unwrap_or("HEAD"), limit)?;
    let parse = |bytes: &[u8], path: &str| -> Adr {
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut a = crate::parse::parse_bytes(bytes, path, name, Default::default()).adr;
        a.id = record.id.clone();
        a
    };
    let resolve = |_: &Adr, l: &Link| -> String {
        match corpus.find_index(&l.target, &dir) {
            Ok(k) => corpus.adrs[k.get()].id.clone(),
            Err(_) => l.text.clone(),
        }
    };
    Ok(changes
        .iter()
        .rev()
        .map(|c| {
            let new = parse(&c.new, &c.path);
            let old = c.old.as_ref().map(|b| parse(b, c.from.as_deref().unwrap_or(&c.path)));
            let paths = (c.from.as_deref().unwrap_or(&c.path), c.path.as_str());
            let mut all = record_changes(old.as_ref(), Some(&new), paths, &resolve);
            let sections_edited = match &old {
                Some(o) => {
                    all.extend(text_changes(o, &new));
                    edited_sections(o, &new)
                }
                None => Vec::new(),
            };
            HistoryStep {
                commit: c.revision.commit.clone(),
                date: c.revision.date.clone(),
                author: c.author.clone(),
                subject: c.revision.subject.clone(),
                path: c.path.clone(),
                renamed_from: c.from.clone(),
                created: c.old.is_none(),
                sections_edited,
                changes: dedup(all),
            }
        })
        .collect())
}

/// The headings of the sections whose text differs (added or removed sections too), in the new
/// record's order, then the removed ones.
#[cfg(feature = "git")]
fn edited_sections(old: &Adr, new: &Adr) -> Vec<String> {
    let text_of = |a: &Adr, h: &str| a.sections.iter().find(|s| s.heading == h).map(|s| s.text.clone());
    let mut out: Vec<String> = new
        .sections
        .iter()
        .filter(|s| !s.heading.is_empty() && text_of(old, &s.heading).as_deref() != Some(s.text.as_str()))
        .map(|s| s.heading.clone())
        .collect();
    out.extend(
        old.sections
            .iter()
            .filter(|s| !s.heading.is_empty() && text_of(new, &s.heading).is_none())
            .map(|s| s.heading.clone()),
    );
    out.dedup();
    out
}

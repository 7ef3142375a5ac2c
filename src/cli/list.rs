//! `adrgraph list`: the decisions, filtered by status and sorted as asked.

use super::context::{report, stdout, Exit, Session};
use super::{load, ListArgs, ListField, SortBy};
use adrgraph::ingest::{Corpus, SkipReason};
use adrgraph::output::{self, ListRow};
use anyhow::Result;
use std::io::Write;

/// List the decisions; files not read as decisions are never dropped silently (a note on
/// stderr counts them by reason).
///
/// The table and the JSON fields a decision keeps in the query snapshot (id, path, title,
/// number, status, date) are read from it, without its links, with the tree's diagnostics and
/// skipped files (when there is no snapshot of this content yet, the decisions are built and
/// the snapshot written); what needs people, tags, links, dialects or the graph of what is in
/// force reads the outline.
pub fn run(session: &mut Session<'_>, args: &ListArgs) -> Result<Exit> {
    let snapshot_fields = |f: &ListField| {
        matches!(
            f,
            ListField::Id
                | ListField::Path
                | ListField::Title
                | ListField::Number
                | ListField::Status
                | ListField::Date
        )
    };
    let from_snapshot = !args.in_force
        && (!session.cli.global.json || (!args.fields.is_empty() && args.fields.iter().all(snapshot_fields)));
    if from_snapshot {
        if let Some(corpus) = load::listing(session)? {
            return listed(session, args, &corpus);
        }
        let decisions = load::decisions(session)?.decisions;
        listed(session, args, decisions.as_corpus())
    } else {
        let outline = load::outline(session)?;
        listed(session, args, outline.as_corpus())
    }
}

/// [`run`] on the decisions of `corpus` (an outline, or the query snapshot's decisions when
/// every field shown is one they keep).
fn listed(session: &Session<'_>, args: &ListArgs, corpus: &Corpus) -> Result<Exit> {
    let cli = session.cli;
    let mut out = stdout(cli.global.json);
    if args.in_force {
        let mut answer = adrgraph::on_date::in_force_on(&adrgraph::graph_of(corpus), &corpus.adrs, args.on);
        let keep =
            |s: &adrgraph::on_date::Standing| args.status.is_empty() || args.status.contains(&s.status);
        answer.in_force.retain(keep);
        answer.in_part.retain(keep);
        if cli.global.json {
            super::context::write_json(&mut out, &answer)?;
        } else {
            output::write_in_force(&mut out, &answer)?;
        }
        out.flush()?;
        return report(cli, corpus);
    }
    let mut adrs: Vec<&adrgraph::Adr> =
        corpus.adrs.iter().filter(|a| args.status.is_empty() || args.status.contains(&a.status)).collect();
    match args.sort {
        SortBy::Path => {}
        SortBy::Date => adrs.sort_by_key(|a| (a.date.is_none(), a.date)),
        SortBy::Number => adrs.sort_by_key(|a| (a.number.is_none(), a.number)),
        SortBy::Id => adrs.sort_by(|a, b| a.id.cmp(&b.id)),
    }
    let matching = adrs.len();
    let adrs: Vec<&adrgraph::Adr> =
        adrs.into_iter().skip(args.offset).take(args.limit.unwrap_or(usize::MAX)).collect();
    let past = args.offset + adrs.len();
    if past < matching && !cli.global.quiet && !cli.global.json {
        say!(
            "note: {} to {past} of {matching} decisions; --offset {past} for the next ones",
            args.offset + 1
        );
    }
    if cli.global.json {
        let rows: Vec<ListRow<'_>> = adrs.iter().map(|a| ListRow::from(*a)).collect();
        if args.fields.is_empty() {
            super::context::write_json(&mut out, &rows)?;
        } else {
            let rows: Vec<Picked<'_, '_>> =
                rows.iter().map(|row| Picked { row, fields: &args.fields }).collect();
            super::context::write_json(&mut out, &rows)?;
        }
    } else {
        output::write_list(&mut out, &adrs)?;
        let markdown = corpus
            .skipped
            .iter()
            .filter(|s| !matches!(s.reason, SkipReason::NotMarkdown | SkipReason::Metadata));
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for s in markdown {
            *counts.entry(s.reason.as_str()).or_default() += 1;
        }
        let total: usize = counts.values().sum();
        if total > 0 && !cli.global.quiet {
            let parts: Vec<String> = counts.iter().map(|(r, n)| format!("{r} {n}")).collect();
            say!(
                "note: {total} markdown file(s) not read as decisions ({}); `adrgraph stats` lists them",
                parts.join(", ")
            );
        }
    }
    out.flush()?;
    report(cli, corpus)
}

/// A `list --json` row with only the keys asked (`--fields`), in the row's own order.
struct Picked<'r, 'a> {
    row: &'r ListRow<'a>,
    fields: &'r [ListField],
}

impl serde::Serialize for Picked<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use clap::ValueEnum;
        use serde::ser::SerializeMap;
        let r = self.row;
        let mut map = s.serialize_map(None)?;
        for &f in ListField::value_variants().iter().filter(|f| self.fields.contains(f)) {
            let key = f.key();
            match f {
                ListField::Id => map.serialize_entry(key, r.id)?,
                ListField::Path => map.serialize_entry(key, r.path)?,
                ListField::Title => map.serialize_entry(key, &r.title)?,
                ListField::Number => map.serialize_entry(key, &r.number)?,
                ListField::Status => map.serialize_entry(key, &r.status)?,
                ListField::StatusRaw => map.serialize_entry(key, &r.status_raw)?,
                ListField::Date => map.serialize_entry(key, &r.date)?,
                ListField::Deciders => map.serialize_entry(key, r.deciders)?,
                ListField::Tags => map.serialize_entry(key, r.tags)?,
                ListField::Dialect => map.serialize_entry(key, &r.dialect)?,
                ListField::Links => map.serialize_entry(key, r.links)?,
            }
        }
        map.end()
    }
}

//! `adrgraph history ID`: each commit that changed a decision's record, oldest first, with what
//! it changed (status, links, sections, the words of the decision, a rename), read from git.

use super::context::{stdout, Exit, Session};
use super::HistoryArgs;
use adrgraph::delta;
use adrgraph::lint::Finding;
use adrgraph::store::Records;
use adrgraph::Adr;
use anyhow::Result;
use std::io::Write;

/// Most commits looked at.
const LIMIT: usize = 100_000;

/// The history of the record `args.id` names.
pub fn run(session: &Session<'_>, args: &HistoryArgs, records: &Records) -> Result<Exit> {
    let cli = session.cli;
    let corpus = records.corpus();
    let cwd = std::env::current_dir()?;
    let i = corpus.find_index(&args.id, &cwd)?;
    let record = &corpus.adrs[i.get()];
    let steps = delta::record_history(corpus, i, None, LIMIT)?;
    let mut out = stdout(cli.global.json);
    if cli.global.json {
        super::context::write_json(&mut out, &steps)?;
    } else {
        writeln!(
            out,
            "{} \"{}\": {} commit(s)",
            record.id,
            adrgraph::output::clean(record.display_title(), false),
            steps.len()
        )?;
        for s in &steps {
            fn clean(t: &str) -> std::borrow::Cow<'_, str> {
                adrgraph::output::clean(t, false)
            }
            writeln!(
                out,
                "{} {} {}: {}",
                &s.commit[..10.min(s.commit.len())],
                s.date,
                clean(&s.author),
                clean(&s.subject)
            )?;
            if s.created {
                writeln!(out, "    created as {}", clean(&s.path))?;
            }
            for c in &s.changes {
                writeln!(out, "    {}", clean(&c.sentence()))?;
            }
            if !s.sections_edited.is_empty() {
                writeln!(out, "    sections edited: {}", clean(&s.sections_edited.join(", ")))?;
            }
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}

/// `lint --history`: each commit of `HEAD`'s first-parent history that rewrote an accepted
/// record's decision, outcome or consequences with no status change or amendment recorded in
/// the same commit (`changed-after-acceptance`), by `distance` characters or more (fewer are
/// editorial). Each finding names the commit, its author, date and subject, and the record
/// where it is now (renames followed); a record since removed is named by its path then.
pub fn rewrites_in_history(corpus: &adrgraph::ingest::Corpus, distance: usize) -> Result<Vec<Finding>> {
    use adrgraph::ingest::{classify, FileClass};
    let cwd = std::env::current_dir()?;
    let roots = &corpus.abs_roots;
    let none = std::collections::BTreeSet::new();
    let wanted = |top: &std::path::Path, path: &str| {
        let abs = top.join(path);
        roots.iter().find(|r| abs.starts_with(r)).is_some_and(|r| {
            let rel = abs.strip_prefix(r).unwrap_or(&abs).to_string_lossy().replace('\\', "/");
            classify(&rel, &none) == FileClass::Decision
        })
    };
    // A part of the commits at a time (newest first): memory holds one part's texts.
    let (mut now_of, mut by_path, mut part, mut findings) =
        (Default::default(), None, Vec::new(), Vec::new());
    adrgraph::git::history_changes(&cwd, LIMIT, &wanted, &mut |top, c| {
        let paths = by_path.get_or_insert_with(|| paths_from(corpus, top));
        part.push(c);
        if part.len() >= PART {
            findings.extend(rewrites_in_part(&mut part, &mut now_of, corpus, paths, distance));
        }
    })?;
    if let Some(paths) = &by_path {
        findings.extend(rewrites_in_part(&mut part, &mut now_of, corpus, paths, distance));
    }
    Ok(findings)
}

/// A file a commit changed (both texts there), with its path now.
type Job<'a> = (&'a adrgraph::git::CommitChanges, &'a adrgraph::git::ChangedFile, String);

/// The `changed-after-acceptance` findings of these changes: each version parsed once (a
/// commit's new text is the next one's old text), on every core.
fn rewrites_of(
    jobs: &[Job<'_>],
    corpus: &adrgraph::ingest::Corpus,
    by_path: &std::collections::HashMap<String, adrgraph::DecisionIndex>,
    distance: usize,
) -> Vec<Finding> {
    use rayon::prelude::*;
    let key = |bytes: &[u8], path: &str| (xxhash_rust::xxh3::xxh3_64(bytes), path.to_string());
    let mut versions: Vec<((u64, String), &[u8], &str)> = Vec::new();
    for (_, f, _) in jobs {
        let (old, old_path) = (f.old.as_deref().unwrap_or_default(), f.from.as_deref().unwrap_or(&f.path));
        versions.push((key(old, old_path), old, old_path));
        let new = f.new.as_deref().unwrap_or_default();
        versions.push((key(new, &f.path), new, &f.path));
    }
    versions.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    versions.dedup_by(|a, b| a.0 == b.0);
    let parsed: std::collections::HashMap<(u64, String), Adr> = versions
        .into_par_iter()
        .map(|(k, bytes, path)| {
            let name = path.rsplit('/').next().unwrap_or(path);
            (k, adrgraph::parse::parse_bytes(bytes, path, name, Default::default()).adr)
        })
        .collect();
    let found: Vec<Vec<Finding>> = jobs
        .par_iter()
        .map(|(c, f, now)| {
            let old_path = f.from.as_deref().unwrap_or(&f.path);
            let current = by_path.get(now.as_str()).copied();
            let version = |bytes: &[u8], path: &str| -> Adr {
                let mut a = parsed[&key(bytes, path)].clone();
                if let Some(i) = current {
                    a.id = corpus.adrs[i.get()].id.clone();
                }
                a
            };
            let old = version(f.old.as_deref().unwrap_or_default(), old_path);
            let new = version(f.new.as_deref().unwrap_or_default(), &f.path);
            let resolve = |_: &Adr, l: &adrgraph::Link| l.target.clone();
            let made = delta::record_changes(Some(&old), Some(&new), (old_path, &f.path), &resolve);
            let edits = super::check::rewrite_of(&old, &new, &made);
            if edits.is_empty() {
                return Vec::new();
            }
            let shown = current.map(|i| corpus.adrs[i.get()].path.clone()).unwrap_or_else(|| now.clone());
            let mut out = super::check::rewritten(&[(shown, edits)], distance);
            for found in &mut out {
                found.message = format!(
                    "{} in commit {} ({}, {}: \"{}\")",
                    found.message,
                    &c.revision.commit[..10.min(c.revision.commit.len())],
                    c.revision.date,
                    c.author,
                    c.revision.subject
                );
            }
            out
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// Commits read before their changes are compared.
const PART: usize = 256;

/// The records of the tree by their path from the repository's top.
fn paths_from(
    corpus: &adrgraph::ingest::Corpus,
    top: &std::path::Path,
) -> std::collections::HashMap<String, adrgraph::DecisionIndex> {
    corpus
        .indexes()
        .filter_map(|i| {
            let file = corpus.file_of(i);
            let file = std::fs::canonicalize(&file).unwrap_or(file);
            Some((file.strip_prefix(top).ok()?.to_string_lossy().replace('\\', "/"), i))
        })
        .collect()
}

/// The findings of a part of the history (newest first), emptying it: `now_of` follows each
/// path of a commit's tree to where it is now, across parts.
fn rewrites_in_part(
    part: &mut Vec<adrgraph::git::CommitChanges>,
    now_of: &mut std::collections::HashMap<String, String>,
    corpus: &adrgraph::ingest::Corpus,
    by_path: &std::collections::HashMap<String, adrgraph::DecisionIndex>,
    distance: usize,
) -> Vec<Finding> {
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for c in part.iter() {
        for f in &c.files {
            let now = now_of.get(&f.path).cloned().unwrap_or_else(|| f.path.clone());
            if let Some(from) = &f.from {
                now_of.insert(from.clone(), now.clone());
            }
            if f.old.is_some() && f.new.is_some() {
                jobs.push((c, f, now));
            }
        }
    }
    let found = rewrites_of(&jobs, corpus, by_path, distance);
    drop(jobs);
    part.clear();
    found
}

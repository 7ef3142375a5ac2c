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
        adrgraph::output::write_json(&mut out, &steps)?;
    } else {
        writeln!(
            out,
            "{} \"{}\": {} commit(s)",
            record.id,
            adrgraph::output::clean(record.display_title(), false),
            steps.len()
        )?;
        for s in &steps {
            let clean = |t: &str| adrgraph::output::clean(t, false);
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
    let (top, commits) = adrgraph::git::history_changes(&cwd, LIMIT, &wanted)?;
    // Newest first: where each path of a commit's tree is now.
    let mut now_of: std::collections::HashMap<String, String> = Default::default();
    let mut findings = Vec::new();
    for c in &commits {
        for f in &c.files {
            let now = now_of.get(&f.path).cloned().unwrap_or_else(|| f.path.clone());
            if let Some(from) = &f.from {
                now_of.insert(from.clone(), now.clone());
            }
            let (Some(o), Some(n)) = (&f.old, &f.new) else { continue };
            let old_path = f.from.as_deref().unwrap_or(&f.path);
            let current = corpus.find_index(&top.join(&now).to_string_lossy(), &cwd).ok();
            let parse = |bytes: &[u8], path: &str| -> Adr {
                let name = path.rsplit('/').next().unwrap_or(path);
                let mut a = adrgraph::parse::parse_bytes(bytes, path, name, Default::default()).adr;
                if let Some(i) = current {
                    a.id = corpus.adrs[i.get()].id.clone();
                }
                a
            };
            let (old, new) = (parse(o, old_path), parse(n, &f.path));
            let resolve = |_: &Adr, l: &adrgraph::Link| l.target.clone();
            let made = delta::record_changes(Some(&old), Some(&new), (old_path, &f.path), &resolve);
            let edits = super::check::rewrite_of(&old, &new, &made);
            if edits.is_empty() {
                continue;
            }
            let shown = current.map(|i| corpus.adrs[i.get()].path.clone()).unwrap_or_else(|| now.clone());
            for mut found in super::check::rewritten(&[(shown, edits)], distance) {
                found.message = format!(
                    "{} in commit {} ({}, {}: \"{}\")",
                    found.message,
                    &c.revision.commit[..10.min(c.revision.commit.len())],
                    c.revision.date,
                    c.author,
                    c.revision.subject
                );
                findings.push(found);
            }
        }
    }
    Ok(findings)
}

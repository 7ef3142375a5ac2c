//! `adrgraph diff A..B` (or `diff A`, against the work tree): what changed in the decisions
//! between two revisions, read from git objects: records added, removed and renamed, statuses,
//! titles, supersessions and amendments, and the words of the sections that carry a decision.

use super::context::{ingest_options, stdout, Exit};
use super::{Cli, DiffArgs, DiffFormat};
use adrgraph::delta::{self, DecisionChange};
use adrgraph::git::{self, Against, ChangeKind, Revision, RevisionTree};
use adrgraph::ingest::{Corpus, IngestOptions};
use adrgraph::{Adr, Status};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// A decision that came into force or went out of it.
#[derive(Debug, serde::Serialize)]
struct InForce {
    id: String,
    title: String,
    status: Status,
}

/// The answer (`--json`).
#[derive(Debug, serde::Serialize)]
struct Answer {
    /// The old side's commit.
    from: Revision,
    /// The new side's commit (`null`: the work tree).
    to: Option<Revision>,
    /// Every change (absent with `--in-force`).
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Vec<DecisionChange>>,
    /// With `--in-force`: the decisions in force on the new side and not on the old.
    #[serde(skip_serializing_if = "Option::is_none")]
    entered: Option<Vec<InForce>>,
    /// With `--in-force`: the decisions in force on the old side and not on the new.
    #[serde(skip_serializing_if = "Option::is_none")]
    left: Option<Vec<InForce>>,
}

/// Compare the decisions of two revisions (or a revision and the work tree).
pub fn run(cli: &Cli, args: &DiffArgs) -> Result<Exit> {
    let cwd = std::env::current_dir()?;
    if args.range.contains("...") {
        anyhow::bail!(
            "`{}`: diff compares two revisions as A..B (or one, A, with the work tree)",
            args.range
        );
    }
    let (a, b) = match args.range.split_once("..") {
        Some((a, b)) => (if a.is_empty() { "HEAD" } else { a }, Some(if b.is_empty() { "HEAD" } else { b })),
        None => (args.range.as_str(), None),
    };
    let opts = ingest_options(cli)?;
    let old_tree = RevisionTree::open(&cwd, a)?;
    let old = corpus_at(&old_tree, &cwd, &opts)?;
    let (new, to) = match b {
        Some(b) => {
            let t = RevisionTree::open(&cwd, b)?;
            (corpus_at(&t, &cwd, &opts)?, Some(t.revision.clone()))
        }
        None => (adrgraph::ingest::ingest(&opts)?, None),
    };
    let against = match b {
        Some(b) => Against::Range { from: a.to_string(), to: b.to_string(), merge_base: false },
        None => Against::WorkTree(a.to_string()),
    };
    // Renames as git tracks them, as paths shown from here (as records' paths are).
    let changed = git::changes(&cwd, &against)?;
    let shown = |rel: &str| {
        let abs = changed.top.join(rel);
        pathdiff::diff_paths(&abs, &cwd).unwrap_or(abs).to_string_lossy().replace('\\', "/")
    };
    let renamed: BTreeMap<String, String> = changed
        .files
        .iter()
        .filter(|f| f.kind == ChangeKind::Renamed)
        .filter_map(|f| f.from.as_ref().map(|from| (shown(&f.path), shown(from))))
        .collect();
    let answer = if args.in_force {
        // A renamed record keeps its place: the old side's ids are named as the new side names them.
        let renamed_ids: BTreeMap<String, String> = pairs(&old, &new, &renamed)
            .into_iter()
            .filter_map(|(o, n)| Some((old.adrs[o?].id.clone(), new.adrs[n?].id.clone())))
            .collect();
        let then: BTreeSet<String> =
            in_force(&old).into_iter().map(|id| renamed_ids.get(&id).cloned().unwrap_or(id)).collect();
        let now = in_force(&new);
        let pick = |c: &Corpus, ids: Vec<&String>| -> Vec<InForce> {
            ids.into_iter()
                .filter_map(|id| c.adrs.iter().find(|a| &a.id == id))
                .map(|a| InForce { id: a.id.clone(), title: a.display_title().to_string(), status: a.status })
                .collect()
        };
        Answer {
            from: old_tree.revision.clone(),
            to,
            changes: None,
            entered: Some(pick(&new, now.difference(&then).collect())),
            left: Some({
                let gone: Vec<&String> = then.difference(&now).collect();
                let (still, removed): (Vec<&String>, Vec<&String>) =
                    gone.into_iter().partition(|id| new.adrs.iter().any(|a| &a.id == *id));
                pick(&new, still).into_iter().chain(pick(&old, removed)).collect()
            }),
        }
    } else {
        Answer {
            from: old_tree.revision.clone(),
            to,
            changes: Some(compare(&old, &new, &renamed, &cwd)),
            entered: None,
            left: None,
        }
    };
    let json = cli.global.json || args.format == DiffFormat::Json;
    let mut out = stdout(json);
    match (json, args.format) {
        (true, _) => super::context::write_json(&mut out, &answer)?,
        (false, DiffFormat::Markdown) => write_markdown(&mut out, &answer, &args.range)?,
        _ => write_human(&mut out, &answer, &args.range)?,
    }
    out.flush()?;
    Ok(Exit::Ok)
}

/// The tree `opts` names, as the revision `tree` has it (no store: read in memory).
/// A revision without the roots has no decisions: every record is then added (or removed).
fn corpus_at(tree: &RevisionTree, cwd: &Path, opts: &IngestOptions) -> Result<Corpus> {
    let source = match tree.roots(cwd, &opts.roots) {
        Ok(s) => s,
        Err(git::GitError::NoFolder(_)) => return Ok(Corpus::default()),
        Err(e) => return Err(e.into()),
    };
    let mut opts = opts.clone();
    opts.source = Some(std::sync::Arc::new(source));
    Ok(adrgraph::ingest::ingest(&opts)?)
}

/// The ids of the decisions in force in a corpus (wholly or in part).
fn in_force(c: &Corpus) -> BTreeSet<String> {
    let graph = adrgraph::graph_of(c);
    (0..c.adrs.len())
        .filter(|&i| c.adrs[i].status == Status::Accepted)
        .filter(|&i| {
            let Some(at) = adrgraph::DecisionIndex::at(&c.adrs, i) else { return false };
            let chain = adrgraph::query::chain(&graph, &c.adrs, at);
            chain.in_force.contains(&c.adrs[i].id) || chain.in_part.contains(&c.adrs[i].id)
        })
        .map(|i| c.adrs[i].id.clone())
        .collect()
}

/// The records of both sides paired by path, or by git's rename (`renamed`: new path to old);
/// a record of one side only is paired with nothing. In the new side's path order, then the
/// old side's removed records.
fn pairs(
    old: &Corpus,
    new: &Corpus,
    renamed: &BTreeMap<String, String>,
) -> Vec<(Option<usize>, Option<usize>)> {
    let by_path = |c: &Corpus| -> BTreeMap<String, usize> {
        c.adrs.iter().enumerate().map(|(i, a)| (a.path.clone(), i)).collect()
    };
    let (olds, news) = (by_path(old), by_path(new));
    let mut out = Vec::new();
    let mut paired: BTreeSet<usize> = BTreeSet::new();
    for (path, &j) in &news {
        let old_path = renamed.get(path).filter(|p| olds.contains_key(*p)).unwrap_or(path);
        let o = olds.get(old_path).copied();
        paired.extend(o);
        out.push((o, Some(j)));
    }
    out.extend(olds.values().filter(|i| !paired.contains(i)).map(|&i| (Some(i), None)));
    out
}

/// Every change from `old` to `new`: records paired by path (or by git's rename), compared.
fn compare(
    old: &Corpus,
    new: &Corpus,
    renamed: &BTreeMap<String, String>,
    cwd: &Path,
) -> Vec<DecisionChange> {
    // A link names the decision it resolves to on the side that has it, else its text.
    let resolve = |a: &Adr, l: &adrgraph::Link| -> String {
        let dir = cwd.join(&a.path).parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf());
        for c in [new, old] {
            if let Ok(i) = c.find_index(&l.target, &dir) {
                return c.adrs[i.get()].id.clone();
            }
        }
        l.text.clone()
    };
    let mut all = Vec::new();
    for (o, n) in pairs(old, new, renamed) {
        let (o, n) = (o.map(|i| &old.adrs[i]), n.map(|j| &new.adrs[j]));
        let paths = (o.or(n).map_or("", |a| a.path.as_str()), n.or(o).map_or("", |a| a.path.as_str()));
        all.extend(delta::record_changes(o, n, paths, &resolve));
        if let (Some(o), Some(n)) = (o, n) {
            all.extend(delta::text_changes(o, n));
        }
    }
    delta::dedup(all)
}

fn side(r: &Option<Revision>) -> String {
    match r {
        Some(r) => format!(
            "{} {} \"{}\"",
            &r.commit[..10.min(r.commit.len())],
            r.date,
            adrgraph::output::clean(&r.subject, false)
        ),
        None => "the work tree".to_string(),
    }
}

fn write_human(out: &mut dyn Write, a: &Answer, range: &str) -> Result<()> {
    writeln!(out, "decisions {range}: from {} to {}", side(&Some(a.from.clone())), side(&a.to))?;
    if let Some(changes) = &a.changes {
        if changes.is_empty() {
            writeln!(out, "  no change")?;
        }
        for c in changes {
            writeln!(out, "  {}", adrgraph::output::clean(&c.sentence(), false))?;
        }
    }
    for (what, list) in [("came into force", &a.entered), ("went out of force", &a.left)] {
        for d in list.iter().flatten() {
            writeln!(
                out,
                "  {what}: {} \"{}\" ({})",
                d.id,
                adrgraph::output::clean(&d.title, false),
                d.status
            )?;
        }
    }
    Ok(())
}

fn write_markdown(out: &mut dyn Write, a: &Answer, range: &str) -> Result<()> {
    let md = |s: &str| {
        adrgraph::output::clean(s, false)
            .chars()
            .flat_map(|c| if "\\`*_[]<>#|~".contains(c) { vec!['\\', c] } else { vec![c] })
            .collect::<String>()
    };
    writeln!(out, "### Decision changes {}\n", md(range))?;
    writeln!(out, "From {} to {}.\n", md(&side(&Some(a.from.clone()))), md(&side(&a.to)))?;
    if let Some(changes) = &a.changes {
        if changes.is_empty() {
            writeln!(out, "No change to the decisions.")?;
        }
        for c in changes {
            let s = c.sentence();
            let mut chars = s.chars();
            let first = chars.next().map(|f| f.to_uppercase().collect::<String>()).unwrap_or_default();
            writeln!(out, "- {}{}.", md(&first), md(chars.as_str()))?;
        }
    }
    for (what, list) in [("Came into force", &a.entered), ("Went out of force", &a.left)] {
        if let Some(list) = list {
            writeln!(out, "\n#### {what}\n")?;
            if list.is_empty() {
                writeln!(out, "None.")?;
            }
            for d in list {
                writeln!(out, "- **{}** {} ({})", md(&d.id), md(&d.title), d.status)?;
            }
        }
    }
    Ok(())
}

//! Relations written on both sides: `supersede` (the old record's status says superseded, with
//! a link to the new one; the new one links back), `link` (a verb on the source, its reverse on
//! the target, as `adr link` writes them) and `status`. Each is planned as [`Change`]s, checked
//! first (the decisions exist, no supersession cycle is made, a superseded record is not
//! superseded again without `force`), and applied together ([`apply`]): if any file is refused
//! or reads back damaged, every file of the operation is put back as it was.

use super::edit::{add_link, add_links, link_title, set_status, superseded_by};
use crate::error::{Error, Result};
use crate::graph::{DecisionGraph, EdgeKind};
use crate::ingest::Corpus;
use crate::model::{Adr, DecisionIndex, Status};
use crate::write::Fix;
use petgraph::Direction;
use regex::Regex;
use std::path::PathBuf;
use std::sync::LazyLock;

/// What a changed record must read back as, besides keeping every field it had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expect {
    /// Its status reads as this (from the text written).
    Status {
        /// The status text written.
        text: String,
        /// The status it reads as.
        status: Status,
    },
    /// It has one link more than before.
    OneMoreLink {
        /// Links it had.
        before: usize,
    },
}

/// The edits of one file in one operation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// The file, as displayed (the record's path).
    pub path: String,
    /// The path below its root, as the parser reads it.
    #[serde(skip)]
    pub rel_path: String,
    /// The line edits.
    pub fixes: Vec<Fix>,
    /// What each edit makes the record say, checked when it is read back.
    pub expect: Vec<Expect>,
}

impl Change {
    /// The unified diff of this change.
    pub fn diff(&self) -> String {
        super::edit::diff(&self.path, &self.fixes)
    }
}

/// A record's file, read through the guarded reader.
fn text_of(corpus: &Corpus, i: DecisionIndex) -> Result<String> {
    let path = corpus.file_of(i);
    let bytes = crate::ingest::read_guarded(&path, crate::ingest::DEFAULT_MAX_FILE_SIZE)
        .map_err(|source| Error::Io { path: path.clone(), source })?;
    String::from_utf8(bytes).map_err(|_| Error::Write {
        path,
        reason: "it is not valid UTF-8; adrgraph does not rewrite it".into(),
    })
}

/// `[title](relative path)` naming `to` from `from`'s file.
fn link_to(corpus: &Corpus, from: DecisionIndex, to: DecisionIndex) -> Result<String> {
    let (a, b) = (&corpus.adrs[from], &corpus.adrs[to]);
    let title = link_title(b, &text_of(corpus, to)?);
    // From the files themselves: the roots of the two may be spelt differently (`/abs/a`, `../b`).
    let (from_file, to_file) = (corpus.file_of(from), corpus.file_of(to));
    let href = from_file
        .parent()
        .and_then(|dir| pathdiff::diff_paths(&to_file, dir))
        .map(|p| crate::ingest::path_text(&p).replace('\\', "/"))
        .unwrap_or_else(|| crate::lint::relative(&a.path, &b.path));
    Ok(crate::write::markdown_link(&title, &href))
}

fn change(adr: &Adr, fix: Fix, expect: Expect) -> Change {
    Change { path: adr.path.clone(), rel_path: adr.rel_path.clone(), fixes: vec![fix], expect: vec![expect] }
}

/// How the tree spells "superseded": adr-tools' `Superceded` where its records already use it.
fn spelling(corpus: &Corpus) -> &'static str {
    let adr_tools = corpus
        .adrs
        .iter()
        .any(|a| a.status_raw.as_deref().is_some_and(|s| s.to_lowercase().contains("superced")));
    if adr_tools {
        "Superceded"
    } else {
        "Superseded"
    }
}

/// Whether `to` is reached from `from` along supersession edges (`from` supersedes, directly or
/// not, `to`).
fn supersedes(graph: &DecisionGraph, from: DecisionIndex, to: DecisionIndex) -> bool {
    let mut stack = vec![from];
    let mut seen = std::collections::BTreeSet::from([from]);
    while let Some(cur) = stack.pop() {
        for (o, e) in graph.decision_edges(cur, Direction::Outgoing) {
            if e.kind == EdgeKind::Supersedes && seen.insert(o) {
                if o == to {
                    return true;
                }
                stack.push(o);
            }
        }
    }
    false
}

/// `new` supersedes `old`: `old`'s status becomes "Superseded by [new](..)" and `new` gains
/// "Supersedes [old](..)", each written the way its file writes status and links.
///
/// With `in_part` (the part superseded, as `--in-part` names it: `the storage layer`), `old`
/// stays in force for the rest: its status is left as it is, it gains the link line "Partly
/// superseded by [new](..): PART" and `new` gains "Partly supersedes [old](..): PART".
pub fn supersede(
    corpus: &Corpus,
    graph: &DecisionGraph,
    old: DecisionIndex,
    new: DecisionIndex,
    force: bool,
    in_part: Option<&str>,
    date: chrono::NaiveDate,
) -> Result<Vec<Change>> {
    let Some(part) = in_part else {
        return supersede_all(corpus, graph, &[old], new, force, date);
    };
    let part = part.trim();
    if part.chars().any(char::is_control) {
        return Err(Error::Config(format!("--in-part {part:?}: write the part on one line")));
    }
    check_supersession(corpus, graph, old, new, force, true)?;
    let (o, n) = (&corpus.adrs[old], &corpus.adrs[new]);
    let said = if part.is_empty() { String::new() } else { format!(": {part}") };
    let participle = spelling(corpus);
    let verb = if participle == "Superceded" { "supercedes" } else { "supersedes" };
    let back = format!("Partly {} by {}{said}", participle.to_lowercase(), link_to(corpus, old, new)?);
    let fix = add_link(o, &text_of(corpus, old)?, &back).map_err(|why| write_error(o, why))?;
    let mut old_change = change(o, fix, Expect::OneMoreLink { before: o.links.len() });
    // Still in force for the rest: its status reads as it did.
    old_change
        .expect
        .push(Expect::Status { text: o.status_raw.clone().unwrap_or_default(), status: o.status });
    let line = format!("Partly {verb} {}{said}", link_to(corpus, new, old)?);
    let fix = add_link(n, &text_of(corpus, new)?, &line).map_err(|why| write_error(n, why))?;
    Ok(vec![old_change, change(n, fix, Expect::OneMoreLink { before: n.links.len() })])
}

/// `new` supersedes every one of `olds`: one change per old record, and one for `new` with a
/// link to each, in order.
pub fn supersede_all(
    corpus: &Corpus,
    graph: &DecisionGraph,
    olds: &[DecisionIndex],
    new: DecisionIndex,
    force: bool,
    date: chrono::NaiveDate,
) -> Result<Vec<Change>> {
    let asked = Related { supersedes: olds.to_vec(), ..Related::default() };
    relate_new(corpus, graph, new, &asked, force, date)
}

/// What a new record says of others (`new --supersedes`, `--amends`, `--link`).
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// Records it supersedes.
    pub supersedes: Vec<DecisionIndex>,
    /// Records it amends (they gain "Amended by").
    pub amends: Vec<DecisionIndex>,
    /// Other relations: the verb on the new record, the record, the verb on that record (if any).
    pub links: Vec<(String, DecisionIndex, Option<String>)>,
}

/// Every relation of `asked` written on both sides, as one operation: one change per other
/// record, and one for `new` holding all its lines, in the order asked. A record named twice is
/// refused (its two edits would touch one line).
pub fn relate_new(
    corpus: &Corpus,
    graph: &DecisionGraph,
    new: DecisionIndex,
    asked: &Related,
    force: bool,
    date: chrono::NaiveDate,
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    let mut lines = Vec::new();
    let mut named = std::collections::BTreeSet::new();
    let mut once = |i: DecisionIndex| -> Result<()> {
        if i == new || !named.insert(i) {
            return Err(Error::Config(format!(
                "{} is named twice; name each decision once",
                corpus.adrs[i].id
            )));
        }
        Ok(())
    };
    for &old in &asked.supersedes {
        once(old)?;
        let (change, line) = supersede_one(corpus, graph, old, new, force, date)?;
        changes.push(change);
        lines.push(line);
    }
    let amends = asked.amends.iter().map(|&o| ("Amends".to_string(), o, Some("Amended by".to_string())));
    for (verb, other, reverse) in amends.chain(asked.links.iter().cloned()) {
        once(other)?;
        check_verb(&verb)?;
        lines.push(format!("{} {}", verb.trim(), link_to(corpus, new, other)?));
        if let Some(reverse) = reverse {
            check_verb(&reverse)?;
            let o = &corpus.adrs[other];
            let line = format!("{} {}", reverse.trim(), link_to(corpus, other, new)?);
            let fix = add_link(o, &text_of(corpus, other)?, &line).map_err(|why| write_error(o, why))?;
            changes.push(change(o, fix, Expect::OneMoreLink { before: o.links.len() }));
        }
    }
    if lines.is_empty() {
        return Ok(changes);
    }
    let n = &corpus.adrs[new];
    let fix = add_links(n, &text_of(corpus, new)?, &lines).map_err(|why| write_error(n, why))?;
    changes.push(change(n, fix, Expect::OneMoreLink { before: n.links.len() }));
    Ok(changes)
}

/// Refuse a verb that cannot open a link line.
fn check_verb(v: &str) -> Result<()> {
    // A verb opens a line of text: one starting with `#`, `>`, `-` or `|` would make a heading,
    // a quote, a list or a table of it.
    if v.trim().is_empty()
        || !v.trim_start().starts_with(char::is_alphabetic)
        || v.chars().any(|c| c.is_control() || c == '[' || c == ']')
    {
        return Err(Error::Config(format!("`{v}` is not a relation verb (`Amends`, `Clarified by`)")));
    }
    Ok(())
}

/// The change to `old`, and the line `new` gains.
fn supersede_one(
    corpus: &Corpus,
    graph: &DecisionGraph,
    old: DecisionIndex,
    new: DecisionIndex,
    force: bool,
    date: chrono::NaiveDate,
) -> Result<(Change, String)> {
    check_supersession(corpus, graph, old, new, force, false)?;
    let o = &corpus.adrs[old];
    let status = superseded_by(o, &link_to(corpus, old, new)?, spelling(corpus));
    let expect =
        Expect::Status { status: crate::parse::text::parse_status(&status).status, text: status.clone() };
    let text = text_of(corpus, old)?;
    let old_change = if o.status == Status::Superseded {
        // Superseded again (`--force`): the successor it names stays, and the new one is added
        // beside it, as adr-tools adds it; replacing it would leave that successor's
        // `Supersedes` line contradicted.
        let mut c = change(o, add_link(o, &text, &status).map_err(|why| write_error(o, why))?, expect);
        c.expect.push(Expect::OneMoreLink { before: o.links.len() });
        c
    } else {
        change(o, set_status(o, &text, &status, date).map_err(|why| write_error(o, why))?, expect)
    };
    let verb = if spelling(corpus) == "Superceded" { "Supercedes" } else { "Supersedes" };
    Ok((old_change, format!("{verb} {}", link_to(corpus, new, old)?)))
}

/// Refuse `new` superseding `old` (`partly`: in part) when it is itself, supersedes it already,
/// would make a cycle, or when `old` is superseded already (wholly, for a supersession in part)
/// and `force` is not given.
fn check_supersession(
    corpus: &Corpus,
    graph: &DecisionGraph,
    old: DecisionIndex,
    new: DecisionIndex,
    force: bool,
    partly: bool,
) -> Result<()> {
    let (o, n) = (&corpus.adrs[old], &corpus.adrs[new]);
    let refuse = |why: String| Err(Error::Config(why));
    if old == new {
        return refuse(format!("{} cannot supersede itself", o.id));
    }
    if supersedes(graph, new, old) {
        return refuse(format!("{} supersedes {} already", n.id, o.id));
    }
    if supersedes(graph, old, new) {
        return refuse(format!(
            "{} supersedes {}: {} superseding it would make a supersession cycle",
            o.id, n.id, n.id
        ));
    }
    let others: Vec<&str> = graph
        .decision_edges(old, Direction::Incoming)
        .filter(|(_, e)| e.kind == EdgeKind::Supersedes && !(partly && e.qualifier.is_some()))
        .map(|(a, _)| corpus.adrs[a].id.as_str())
        .collect();
    if !force && (!others.is_empty() || o.status == Status::Superseded) {
        let by = if others.is_empty() { String::new() } else { format!(" by {}", others.join(", ")) };
        return refuse(format!("{} is superseded already{by}; --force supersedes it again", o.id));
    }
    Ok(())
}

/// `source VERB target`, and `target REVERSE source` when a reverse is given (as `adr link 3
/// Amends 1 "Amended by"` writes them).
pub fn link(
    corpus: &Corpus,
    source: DecisionIndex,
    verb: &str,
    target: DecisionIndex,
    reverse: Option<&str>,
) -> Result<Vec<Change>> {
    check_verb(verb)?;
    if source == target {
        return Err(Error::Config(format!("{} cannot link to itself", corpus.adrs[source].id)));
    }
    let mut out = Vec::new();
    for (from, v, to) in [(source, Some(verb), target), (target, reverse, source)] {
        let Some(v) = v else { continue };
        check_verb(v)?;
        let a = &corpus.adrs[from];
        let line = format!("{} {}", v.trim(), link_to(corpus, from, to)?);
        let fix = add_link(a, &text_of(corpus, from)?, &line).map_err(|why| write_error(a, why))?;
        out.push(change(a, fix, Expect::OneMoreLink { before: a.links.len() }));
    }
    Ok(out)
}

/// `id`'s status set to `value`, where its file writes it, and the change appended to its
/// changelog (dated `date`) when the file keeps one.
pub fn status(
    corpus: &Corpus,
    id: DecisionIndex,
    value: &str,
    date: chrono::NaiveDate,
) -> Result<Vec<Change>> {
    let a = &corpus.adrs[id];
    if value.trim().is_empty() || value.chars().any(char::is_control) {
        return Err(Error::Config(format!("`{value}` is not a status")));
    }
    let asked = crate::parse::text::parse_status(value).status;
    if a.status == Status::Superseded && asked != Status::Superseded {
        // Its status is the link to its successor: another status would drop that link (or
        // leave it saying superseded) and contradict the successor's `Supersedes` line.
        let by: Vec<&str> = a
            .links
            .iter()
            .filter(|l| l.kind == crate::model::LinkKind::SupersededBy)
            .map(|l| l.text.as_str())
            .collect();
        let by = if by.is_empty() { String::new() } else { format!(" by {}", by.join(", ")) };
        return Err(Error::Config(format!(
            "{} is superseded{by} (its status says so: `{}`); setting it to `{}` would drop that \
             supersession, which its successor states too. If the supersession was a mistake, \
             remove it from both records first",
            a.id,
            a.status_raw.as_deref().unwrap_or("superseded"),
            value.trim()
        )));
    }
    let text = text_of(corpus, id)?;
    let fix = set_status(a, &text, value.trim(), date).map_err(|why| write_error(a, why))?;
    let history = super::edit::add_history(a, &text, date, value.trim()).filter(|h| h.line != fix.line);
    let mut changes = vec![change(a, fix, Expect::Status { text: value.trim().to_string(), status: asked })];
    changes[0].fixes.extend(history);
    Ok(changes)
}

fn write_error(a: &Adr, reason: String) -> Error {
    Error::Write { path: PathBuf::from(&a.path), reason }
}

/// Apply `changes` through the audited writer, all or none: a file refused or found damaged
/// when read back, or `after` finding fault once every file is written (the tree read again
/// has gained an error: see [`super::Errors`]), puts every file written back as it was.
pub fn apply(changes: &[Change], after: &dyn Fn() -> std::result::Result<(), String>) -> Result<()> {
    let plans: Vec<(Vec<Fix>, String, Vec<Expect>)> =
        changes.iter().map(|c| (c.fixes.clone(), c.rel_path.clone(), c.expect.clone())).collect();
    crate::write::apply_together(
        &plans,
        crate::ingest::DEFAULT_MAX_FILE_SIZE,
        &|adr, expect| {
            for e in expect {
                match e {
                    Expect::Status { text, status } if adr.status != *status => {
                        return Err(format!("it reads back as {}, not as {status} (`{text}`)", adr.status));
                    }
                    Expect::OneMoreLink { before } if adr.links.len() <= *before => {
                        return Err("the link written does not read back as a link".into());
                    }
                    _ => {}
                }
            }
            Ok(())
        },
        after,
    )
}

/// A record moved to another number: its new file and the edits of every record linking to it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Renumbered {
    /// The record's file now (as displayed).
    pub from: String,
    /// Its file after (as displayed).
    pub to: String,
    /// The number it takes.
    pub number: u32,
    /// The edits of the records whose links name its file.
    pub changes: Vec<Change>,
    /// The text of the new file (the old text, its heading's number changed).
    #[serde(skip)]
    text: String,
    /// Where the new file goes, and where the old one is.
    #[serde(skip)]
    paths: (PathBuf, PathBuf),
}

/// Move the record `id` to the next free number of its folder (one that collides with another
/// record's, as parallel branches make them): its file renamed in the folder's scheme, the number
/// in its first heading changed, and every markdown link to it across the tree pointed at the
/// new file. Bare ids (`ADR-12`) are left as they are: with two records numbered 12 they never
/// named one.
pub fn renumber(corpus: &Corpus, graph: &DecisionGraph, id: DecisionIndex) -> Result<Renumbered> {
    let a = &corpus.adrs[id];
    let old_path = corpus.file_of(id);
    let folder = old_path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let style = super::FolderStyle::of(corpus, &folder);
    let scheme = match style.scheme.clone() {
        Some(s @ super::Scheme::Numbered { .. }) => s,
        _ => return Err(Error::Config(format!("{} is not in a folder of numbered file names", a.path))),
    };
    let Some(old_number) = a.number else {
        return Err(Error::Config(format!("{} has no number to change", a.path)));
    };
    let number = style.highest + 1;
    let name = old_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    let rest = stem.find(|c: char| c.is_ascii_digit()).map(|d| &stem[d..]).unwrap_or(stem);
    let slug = rest.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches('-');
    let new_name = scheme.file_name(number, chrono::NaiveDate::MIN, slug);
    let new_path = folder.join(&new_name);
    let old_text = text_of(corpus, id)?;
    let text = super::edit::renumber_heading(&old_text, old_number, number);
    // A link named by the old heading (`[4. Title]`, as adr-tools names links) takes the new one.
    let (old_title, new_title) = (link_title(a, &old_text), link_title(a, &text));
    let shown_to = match a.path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{new_name}"),
        None => new_name.clone(),
    };
    // Every file with a link that resolves to the record; in each, every link destination (an
    // inline link in any form, a reference definition) that names the record's file.
    let mut linking: Vec<DecisionIndex> = graph
        .links()
        .iter()
        .filter(|rl| rl.resolution.decision() == Some(id) && rl.from != id)
        .map(|rl| rl.from)
        .collect();
    linking.sort();
    linking.dedup();
    let target = crate::graph::normalise_path("", &old_path.to_string_lossy());
    let mut by_file: std::collections::BTreeMap<DecisionIndex, Vec<Fix>> = std::collections::BTreeMap::new();
    for from_i in linking {
        let from = &corpus.adrs[from_i];
        let src = text_of(corpus, from_i)?;
        let dir =
            corpus.file_of(from_i).parent().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
        let ls = crate::parse::split_lines(&src);
        let code = super::edit::code_lines(&ls);
        let fixes = by_file.entry(from_i).or_default();
        for (k, raw) in ls.iter().enumerate() {
            if code[k] {
                continue;
            }
            let line = raw.trim_end_matches(['\n', '\r']);
            let names_record = |dest: &str| {
                let path = dest.split(['#', '?']).next().unwrap_or(dest);
                path.rsplit('/').next() == Some(name.as_str())
                    && crate::graph::normalise_path(&dir, path) == target
            };
            let Some(new) = retarget(line, &names_record, &name, &new_name) else { continue };
            let new = new.replace(&format!("[{old_title}]("), &format!("[{new_title}]("));
            fixes.push(Fix {
                path: from.path.clone(),
                line: k as u32 + 1,
                old: line.trim_start_matches('\u{feff}').to_string(),
                new: new.trim_start_matches('\u{feff}').to_string(),
                code: "renumber".into(),
            });
        }
    }
    let changes = by_file
        .into_iter()
        .filter(|(_, f)| !f.is_empty())
        .map(|(i, fixes)| {
            let r = &corpus.adrs[i];
            Change { path: r.path.clone(), rel_path: r.rel_path.clone(), fixes, expect: Vec::new() }
        })
        .collect();
    Ok(Renumbered { from: a.path.clone(), to: shown_to, number, changes, text, paths: (new_path, old_path) })
}

/// `line` with every link destination that `names_record` accepts renamed from `name` to
/// `new_name`: inline links (`](0002-x.md)`, `](<0002-x.md>)`, `](0002-x.md "Title")`, any number
/// on the line) and reference definitions (`[r]: 0002-x.md`). `None` when none is.
fn retarget(line: &str, names_record: &dyn Fn(&str) -> bool, name: &str, new_name: &str) -> Option<String> {
    static DEST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)([^\s<>()]+)"#).expect("valid regex")
    });
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    let mut changed = false;
    for c in DEST.captures_iter(line) {
        let dest = c.get(2).expect("group 2");
        if !names_record(dest.as_str()) {
            continue;
        }
        out.push_str(&line[from..dest.start()]);
        out.push_str(&dest.as_str().replacen(name, new_name, 1));
        from = dest.end();
        changed = true;
    }
    changed.then(|| {
        out.push_str(&line[from..]);
        out
    })
}

impl Renumbered {
    /// The diff of the operation: the file renamed (its heading line), and every link edited.
    pub fn diff(&self) -> String {
        let mut out = format!("rename {} -> {}\n", self.from, self.to);
        for c in &self.changes {
            out.push_str(&c.diff());
        }
        out
    }
}

/// Apply a renumbering, all or none: the new file is created (exclusively, read back and
/// parsed with its new number), the links edited, the old file removed, then `after` asked
/// about the whole; a failure undoes what was done.
pub fn apply_renumber(r: &Renumbered, after: &dyn Fn() -> std::result::Result<(), String>) -> Result<()> {
    let (new_path, old_path) = &r.paths;
    let folder = new_path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let _lock = crate::write::lock_folder(&folder)?;
    let number = r.number;
    if super::folder::highest_on_disk(&folder, None) >= number {
        return Err(Error::Write {
            path: new_path.clone(),
            reason: format!("number {number} was taken meanwhile; run renumber again"),
        });
    }
    let perms = std::fs::symlink_metadata(old_path)
        .map_err(|source| Error::Io { path: old_path.clone(), source })?
        .permissions();
    crate::write::create(new_path, r.text.as_bytes(), &|adr| {
        if adr.number == Some(number) {
            Ok(())
        } else {
            Err(format!("it reads back numbered {:?}, not {number}", adr.number))
        }
    })?;
    // The renamed file keeps the old one's mode (0600 stays 0600).
    std::fs::set_permissions(new_path, perms.clone())
        .map_err(|source| Error::Io { path: new_path.clone(), source })?;
    let old_bytes = crate::ingest::read_guarded(old_path, crate::ingest::DEFAULT_MAX_FILE_SIZE)
        .map_err(|source| Error::Io { path: old_path.clone(), source })?;
    // The old file goes last, once the links point away from it; `after` then sees the tree as
    // it will be, and a fault puts the old file back before the links are.
    let remove_then_check = || {
        crate::write::remove(old_path).map_err(|e| e.to_string())?;
        after().inspect_err(|_| {
            if crate::write::create(old_path, &old_bytes, &|_| Ok(())).is_ok() {
                let _ = std::fs::set_permissions(old_path, perms.clone());
            }
        })
    };
    if let Err(e) = apply(&r.changes, &remove_then_check) {
        let _ = std::fs::remove_file(new_path);
        return Err(e);
    }
    Ok(())
}

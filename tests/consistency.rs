//! The consistency test over every corpus and `data/`: an independent, simple scan of each
//! record's raw text (code blocks, code spans and HTML comments taken out) finds what a person
//! reads there, and the parsed record must hold it, or the line must be in the reviewed
//! allow-list (`tests/corpus-allow.txt`) with its reason.
//!
//! - **relation**: a line that opens with a phrase of the phrase table (after list markers,
//!   quotes, emphasis and a label's colon), or says a phrase read in prose anywhere, with a
//!   markdown link or an id right after it: the record has a link of that kind on that line;
//! - **link**: a link whose target file exists in the tree is never broken nor outside the tree.
//!
//! The scan shares no code with the parser: it reads lines with regular expressions.

use crate::corpus::AllowList;
use crate::util::{corpora, manifest_dir};
use adrgraph::graph::Resolution;
use adrgraph::ingest::{ingest, IngestOptions};
use regex::Regex;
use std::path::Path;

/// The text of a file as the scan reads it: code blocks, HTML comments and code spans blanked,
/// line numbers kept.
fn readable(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut comment = false;
    let span = Regex::new(r"`[^`]*`").unwrap();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(f) = &fence {
            if t.starts_with(f.as_str()) {
                fence = None;
            }
            out.push(String::new());
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(t[..3].to_string());
            out.push(String::new());
            continue;
        }
        let mut l = line.to_string();
        if comment {
            match l.find("-->") {
                Some(i) => {
                    l = l[i + 3..].to_string();
                    comment = false;
                }
                None => {
                    out.push(String::new());
                    continue;
                }
            }
        }
        while let Some(i) = l.find("<!--") {
            match l[i..].find("-->") {
                Some(j) => l.replace_range(i..i + j + 3, ""),
                None => {
                    l.truncate(i);
                    comment = true;
                }
            }
        }
        out.push(span.replace_all(&l, "").into_owned());
    }
    out
}

/// A relation the scan finds: line, phrase, and the kind of link it makes.
struct Stated {
    line: u32,
    phrase: &'static str,
    kind: String,
}

/// The relations stated in `lines`.
fn relations(lines: &[String]) -> Vec<Stated> {
    let phrases: Vec<(&str, String, bool)> =
        adrgraph::parse::link_phrases().map(|(w, k, prose)| (w, k.as_str().to_string(), prose)).collect();
    // What opens a line before its words: list markers, quote marks, emphasis, a table cell;
    // then maybe a label (`Status: superseded by [..]`).
    let opener = Regex::new(r"^[\s>*_|+\-]*(?:\d+[.)]\s*)?[\s*_]*").unwrap();
    let label = Regex::new(r"^[\p{L} ]{1,24}[*_]*\s*[:：][\s*_]*").unwrap();
    // Right after a phrase: a markdown link or an id (`ADR-12`, `TEP-0044`, `MADR #032`).
    let target = Regex::new(r"(?i)^[\s:*_\-–—]*(?:\[|<?https?://|[a-z]{2,6}[\s\-_]?#?\d)").unwrap();
    let mut out = Vec::new();
    for (n, raw) in lines.iter().enumerate() {
        let lower = raw.to_lowercase();
        if !lower.contains("supers")
            && !lower.contains("amend")
            && !phrases.iter().any(|p| lower.contains(p.0))
        {
            continue;
        }
        let start = opener.find(&lower).map_or(0, |m| m.end());
        let after_label = label.find(&lower[start..]).map(|m| start + m.end());
        for (words, kind, prose) in &phrases {
            let mut at = Vec::new();
            for s in std::iter::once(start).chain(after_label) {
                if lower[s..].starts_with(words) {
                    at.push(s);
                }
            }
            if *prose {
                at.extend(
                    lower
                        .match_indices(words)
                        .map(|(i, _)| i)
                        .filter(|&i| i > start && !lower[..i].ends_with(|c: char| c.is_alphanumeric())),
                );
            }
            for i in at {
                let after = &lower[i + words.len()..];
                if after.starts_with(|c: char| c.is_alphanumeric()) {
                    continue;
                }
                if target.is_match(after) {
                    out.push(Stated { line: n as u32 + 1, phrase: words, kind: kind.clone() });
                    break;
                }
            }
        }
    }
    out
}

/// Every tree: each corpus on its own (a tree is one repository), and `data/`.
fn trees() -> Vec<std::path::PathBuf> {
    let mut out = vec![manifest_dir().join("data")];
    if let Some(root) = corpora() {
        let mut dirs: Vec<_> =
            std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        dirs.sort();
        out.extend(dirs);
    }
    out
}

#[test]
fn what_a_person_reads_in_every_corpus_is_in_the_parsed_records() {
    let Some(corpora_root) = corpora() else { return };
    let allowed = AllowList::read(&corpora_root);
    let (mut relations_seen, mut links_checked) = (0, 0);
    let mut misses = Vec::new();
    for tree in trees() {
        let corpus = ingest(&IngestOptions::new([&tree])).expect("tree exists");
        for a in &corpus.adrs {
            let text = std::fs::read_to_string(&a.path).expect("record is UTF-8");
            let lines = readable(&text);
            for s in relations(&lines) {
                relations_seen += 1;
                let found = a.links.iter().any(|l| l.line == s.line && l.kind.as_str() == s.kind);
                if !found && !allowed.allows(&a.path, "relation") {
                    misses.push(format!(
                        "{}:{}: `{}` names a {} link that is not read: {}",
                        a.path,
                        s.line,
                        s.phrase,
                        s.kind,
                        lines[s.line as usize - 1].trim()
                    ));
                }
            }
        }
        // A link to a file that exists in the tree is never broken nor outside the tree.
        let graph = adrgraph::graph_of(&corpus);
        let tree_abs = std::fs::canonicalize(&tree).unwrap();
        for r in graph.links() {
            let a = &corpus.adrs[r.from.get()];
            let link = &a.links[r.link];
            if !matches!(r.resolution, Resolution::Broken { .. } | Resolution::OutsideTree { .. }) {
                continue;
            }
            links_checked += 1;
            if let Some(file) = existing_target(Path::new(&a.path), &link.target, &tree_abs) {
                if !allowed.allows(&a.path, "link") {
                    misses.push(format!(
                        "{}:{}: a link to `{}` ({}) is reported as {:?}",
                        a.path,
                        link.line,
                        link.target,
                        file.display(),
                        r.resolution
                    ));
                }
            }
        }
    }
    println!(
        "relations stated: {relations_seen}; broken or outside links checked: {links_checked}; misses: {}",
        misses.len()
    );
    assert!(relations_seen > 50, "the scan found only {relations_seen} relations");
    assert!(misses.is_empty(), "{} misses:\n{}", misses.len(), misses.join("\n"));
    allowed.all_used(&["relation", "link"]);
}

/// The file a relative link names, when it exists inside the tree: the target taken relative to
/// the record's folder, its anchor and query dropped, `%20` and the like decoded.
fn existing_target(record: &Path, target: &str, tree: &Path) -> Option<std::path::PathBuf> {
    if target.contains("://") || target.starts_with('/') || target.starts_with('#') {
        return None;
    }
    let path = target.split(['#', '?']).next()?.trim();
    let path = path.trim_start_matches('<').trim_end_matches('>');
    if path.is_empty() {
        return None;
    }
    let decoded = percent_decode(path);
    let base = std::fs::canonicalize(record.parent()?).ok()?;
    let file = std::fs::canonicalize(base.join(decoded)).ok()?;
    (file.starts_with(tree) && file.is_file()).then_some(file)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn the_scan_finds_relations_as_a_person_reads_them() {
    let lines: Vec<String> = [
        "* Status: superseded by [ADR 9](0009-x.md)",
        "This ADR supersedes ADR-0003 in part.",
        "We replaced the cache, see [notes](notes.md).",
        "- **Amends**: [3. X](0003-x.md)",
        "Supersedes: N/A",
        "- Status: Replaced by [ADR 7](0007-x.md)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let found: Vec<(u32, String)> = relations(&lines).into_iter().map(|s| (s.line, s.kind)).collect();
    assert_eq!(
        found,
        [
            (1, "superseded_by".to_string()),
            (2, "supersedes".to_string()),
            (4, "amends".to_string()),
            (6, "superseded_by".to_string())
        ]
    );
    assert_eq!(readable("a\n```\nSupersedes [x](y)\n```\nb `Amends [x](y)` c\n")[4], "b  c");
}

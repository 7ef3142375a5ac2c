//! What "the graph gained an error" means for an operation: the tree's lint findings at error
//! level (broken links, supersession cycles, conflicting successors, duplicate numbers...),
//! counted per rule before the operation and again once its files are written and the tree is
//! read back. A rule with more errors after than before is an error the operation made, and
//! the operation is put back ([`super::apply`]). Counted per rule rather than matched one by
//! one, because an operation moves lines and, when it renumbers, renames files.

use crate::graph::DecisionGraph;
use crate::ingest::Corpus;
use crate::lint::{Level, LintConfig};
use crate::model::DecisionIndex;
use crate::parse::{ParseOptions, Vocabulary};
use std::collections::BTreeMap;

/// `corpus` (an outline) with the records at `changed` read again from their files, with the
/// project's `vocabulary`, and kept as an outline keeps them: the tree as an operation left it,
/// without reading the rest of it again. The error says which file could not be read.
pub fn reread(corpus: &Corpus, changed: &[DecisionIndex], vocabulary: &Vocabulary) -> Result<Corpus, String> {
    let mut after = corpus.clone();
    for &i in changed {
        let path = corpus.file_of(i);
        let bytes = crate::ingest::read_guarded(&path, crate::ingest::DEFAULT_MAX_FILE_SIZE)
            .map_err(|e| format!("{} cannot be read again: {e}", path.display()))?;
        let a = &corpus.adrs[i];
        let opts = ParseOptions { sidecar: None, vocabulary: Some(vocabulary) };
        let parsed = crate::parse::parse_bytes(&bytes, &a.path, &a.rel_path, opts);
        after.adrs[i] = crate::store::outline_of(&parsed).adr;
    }
    Ok(after)
}

/// `corpus` (an outline) with the record just written at `path` (absolute) added, read with
/// the project's `vocabulary` and kept as an outline keeps it: the tree as `new` left it,
/// without reading the rest of it again. A record outside every root makes its folder a root.
pub fn with_new_record(
    corpus: &Corpus,
    path: &std::path::Path,
    vocabulary: &Vocabulary,
) -> Result<Corpus, String> {
    let mut after = corpus.clone();
    let canon = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let path = &canon(path);
    let root = match after.abs_roots.iter().position(|r| path.starts_with(canon(r))) {
        Some(r) => r,
        None => {
            let folder = path.parent().unwrap_or(path).to_path_buf();
            after.roots.push(folder.to_string_lossy().replace('\\', "/"));
            after.abs_roots.push(folder);
            after.abs_roots.len() - 1
        }
    };
    let rel =
        path.strip_prefix(canon(&after.abs_roots[root])).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let shown = crate::ingest::display_join(&after.roots[root], &rel);
    let bytes = crate::ingest::read_guarded(path, crate::ingest::DEFAULT_MAX_FILE_SIZE)
        .map_err(|e| format!("{} cannot be read again: {e}", path.display()))?;
    let opts = ParseOptions { sidecar: None, vocabulary: Some(vocabulary) };
    let parsed = crate::parse::parse_bytes(&bytes, &shown, &rel, opts);
    let mut adr = crate::store::outline_of(&parsed).adr;
    // Ids are unique in a corpus: the new record's is made so, as assembly makes it.
    while after.adrs.iter().any(|a| a.id == adr.id) {
        adr.id.push('~');
    }
    after.adrs.push(adr);
    after.adr_roots.push(root);
    Ok(after)
}

/// A tree's error findings: the messages of each rule's, by rule code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(BTreeMap<String, Vec<String>>);

impl Errors {
    /// The error findings of `corpus` (an outline is enough: the rules at error level read
    /// titles, numbers, statuses and links).
    pub fn of(corpus: &Corpus, graph: &DecisionGraph, cfg: &LintConfig) -> Errors {
        // Only the rules at error level run.
        let mut cfg = cfg.clone();
        for r in crate::lint::RULES {
            if cfg.level(r.code) != Level::Error {
                cfg.levels.insert(r.code.to_string(), Level::Off);
            }
        }
        let mut by_rule: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in crate::lint::lint(corpus, graph, &cfg).into_iter().filter(|f| f.level == Level::Error) {
            by_rule.entry(f.code).or_default().push(format!("{}: {}", f.path, f.message));
        }
        Errors(by_rule)
    }

    /// The errors `after` has more of than `self`, described (rule, and its new messages), or
    /// `None` when no rule gained one.
    pub fn gained(&self, after: &Errors) -> Option<String> {
        let mut said = Vec::new();
        for (code, messages) in &after.0 {
            let before = self.0.get(code).map_or(&[][..], Vec::as_slice);
            if messages.len() > before.len() {
                let new: Vec<&str> =
                    messages.iter().filter(|m| !before.contains(m)).map(String::as_str).collect();
                let shown = if new.is_empty() { messages.iter().map(String::as_str).collect() } else { new };
                said.push(format!("{code}: {}", shown.join("; ")));
            }
        }
        (!said.is_empty()).then(|| format!("the tree would gain an error ({})", said.join(" | ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(pairs: &[(&str, &str)]) -> Errors {
        let mut e = Errors::default();
        for (code, m) in pairs {
            e.0.entry(code.to_string()).or_default().push(m.to_string());
        }
        e
    }

    #[test]
    fn only_a_rule_with_more_errors_after_is_a_gain() {
        let before = errors(&[("broken-link", "a.md: x"), ("duplicate-number", "b.md: 2")]);
        assert_eq!(before.gained(&before), None);
        // One fewer, or one moved to another file: no gain.
        assert_eq!(before.gained(&errors(&[("broken-link", "c.md: x")])), None);
        let after = errors(&[("broken-link", "a.md: x"), ("broken-link", "d.md: y")]);
        let said = before.gained(&after).expect("a gain");
        assert!(said.contains("broken-link: d.md: y") && !said.contains("a.md"), "{said}");
        let cycle = before.gained(&errors(&[("supersession-cycle", "e.md: z")])).expect("a gain");
        assert!(cycle.contains("supersession-cycle: e.md: z"), "{cycle}");
    }
}

//! The safe fixes of findings, as line edits for the audited writer, and the columns findings
//! point at.

use super::*;
use crate::graph::EdgeKind;
use crate::model::{DecisionIndex, Status};
use petgraph::Direction;

/// The safe fixes of the findings, as line edits for [`crate::write::apply`]: a decision that
/// another accepted one supersedes, with no word of it in its own status, gets `Superseded by
/// [Title](path)` in place of its status text on its status line (a YAML-quoted value when the
/// status is in front matter). `source` gives a file's line by path and 1-based number (as the
/// parser counts lines). Returns the fixes and, for each finding that cannot be fixed safely,
/// `(path, line, why)`.
pub fn fixes(
    corpus: &Corpus,
    graph: &DecisionGraph,
    findings: &[Finding],
    source: &mut dyn FnMut(&str, u32) -> Option<String>,
) -> (Vec<crate::write::Fix>, Vec<(String, u32, String)>) {
    let adrs = &corpus.adrs;
    let mut in_cycle: BTreeMap<DecisionIndex, String> = BTreeMap::new();
    for cycle in crate::query::supersession_cycles(graph) {
        let ids: Vec<&str> = cycle.iter().map(|&i| adrs[i].id.as_str()).collect();
        for &i in &cycle {
            in_cycle.insert(i, ids.join(" -> "));
        }
    }
    let (mut out, mut not) = (Vec::new(), Vec::new());
    for f in findings.iter().filter(|f| f.code == "supersession-one-sided") {
        let Some(b) = adrs.iter().position(|a| a.path == f.path).map(DecisionIndex::new) else { continue };
        let mut refuse = |why: String| not.push((f.path.clone(), f.line, why));
        if let Some(cycle) = in_cycle.get(&b) {
            refuse(format!("this decision is in a supersession cycle ({cycle}); break the cycle first"));
            continue;
        }
        let bdec = &adrs[b];
        let mut successors: Vec<DecisionIndex> = graph
            .decision_edges(b, Direction::Incoming)
            .filter(|(a, e)| {
                e.kind == EdgeKind::Supersedes
                    && e.written_by != b
                    && !e.both_sides
                    && e.qualifier.is_none()
                    && adrs[*a].status == Status::Accepted
            })
            .map(|(a, _)| a)
            .collect();
        successors.sort_by(|x, y| adrs[*x].id.cmp(&adrs[*y].id));
        successors.dedup();
        let [a] = successors[..] else {
            refuse(format!("{} decisions supersede it; say which one replaces it", successors.len()));
            continue;
        };
        let Some(raw) = &bdec.status_raw else { continue };
        let Some(old) = source(&f.path, f.line) else {
            refuse("its status line cannot be read".into());
            continue;
        };
        if old.matches(raw.as_str()).count() != 1 {
            refuse(format!("the status line does not hold `{raw}` once"));
            continue;
        }
        let status = format!(
            "Superseded by {}",
            crate::write::markdown_link(adrs[a].display_title(), &relative(&bdec.path, &adrs[a].path))
        );
        // In front matter, the value is YAML: quoted, whatever the title holds.
        let first = source(&f.path, 1).unwrap_or_default();
        let in_front_matter = first.trim_start_matches('\u{feff}').trim_end() == "---"
            && f.line > 1
            && (2..f.line)
                .all(|l| source(&f.path, l).is_some_and(|t| !matches!(t.trim_end(), "---" | "...")));
        let new = if in_front_matter {
            match old.split_once(':') {
                Some((key, _)) => format!("{key}: {}", crate::write::yaml_quoted(&status)),
                None => {
                    refuse("the front matter status line is not `key: value`".into());
                    continue;
                }
            }
        } else {
            old.replacen(raw.as_str(), &status, 1)
        };
        out.push(crate::write::Fix { path: f.path.clone(), line: f.line, old, new, code: f.code.clone() });
    }
    (out, not)
}

/// Set each finding's column from its source line: the 1-based character column where its
/// mark starts (the first place the line holds it), else the first non-blank character.
/// `source` gives a file's line by path and 1-based number; a finding whose line cannot be read
/// keeps column 1. Every output format (human, JSON, GitHub, SARIF) then carries the same column.
pub fn place_columns(findings: &mut [Finding], source: &mut dyn FnMut(&str, u32) -> Option<String>) {
    for f in findings {
        let Some(line) = source(&f.path, f.line) else { continue };
        let at = f.mark.as_deref().filter(|m| !m.is_empty()).and_then(|m| line.find(m));
        let byte = at.unwrap_or_else(|| line.len() - line.trim_start().len());
        f.col = line[..byte].chars().count() as u32 + 1;
    }
}

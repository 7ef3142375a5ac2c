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
    source: &mut dyn FnMut(&str, u32) -> Option<std::sync::Arc<str>>,
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
        let first = source(&f.path, 1).unwrap_or_else(|| "".into());
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
        out.push(crate::write::Fix {
            path: f.path.clone(),
            line: f.line,
            old: old.to_string(),
            new,
            code: f.code.clone(),
        });
    }
    (out, not)
}

/// Set each finding's column from its source line: the 1-based character column where its
/// mark starts (the first place the line holds it), else the first non-blank character.
/// `source` gives a file's line by path and 1-based number; a finding whose line cannot be read
/// keeps column 1. Every output format (human, JSON, GitHub, SARIF) then carries the same column.
///
/// Linear in the lines' lengths and the findings together: the findings on one line are
/// placed in one pass over it (every mark searched at once, columns counted in one walk), so
/// 100,000 bare ids on one line cost one read of it, not 100,000.
pub fn place_columns(
    findings: &mut [Finding],
    source: &mut dyn FnMut(&str, u32) -> Option<std::sync::Arc<str>>,
) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| (&findings[a].path, findings[a].line).cmp(&(&findings[b].path, findings[b].line)));
    let same_line = |a: &usize, b: &usize| {
        findings[*a].path == findings[*b].path && findings[*a].line == findings[*b].line
    };
    let groups: Vec<Vec<usize>> = order.chunk_by(same_line).map(<[usize]>::to_vec).collect();
    for group in groups {
        let first = &findings[group[0]];
        let Some(line) = source(&first.path, first.line) else { continue };
        let bytes = mark_bytes(&line, group.iter().map(|&i| findings[i].mark.as_deref()));
        let cols = char_columns(&line, &bytes);
        for (&i, col) in group.iter().zip(cols) {
            findings[i].col = col;
        }
    }
}

/// For each mark (in order), the byte where `line` first holds it, else where its text starts.
fn mark_bytes<'m>(line: &str, marks: impl Iterator<Item = Option<&'m str>> + Clone) -> Vec<usize> {
    let lead = line.len() - line.trim_start().len();
    let mut wanted: Vec<&str> = marks.clone().flatten().filter(|m| !m.is_empty()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut at: Vec<Option<usize>> = vec![None; wanted.len()];
    // One pass over the line per distinct mark length, each window looked up in a table of the
    // marks of that length (marks are ids and link targets: a handful of lengths).
    let mut by_len: BTreeMap<usize, foldhash::HashMap<&[u8], usize>> = BTreeMap::new();
    for (k, m) in wanted.iter().enumerate() {
        by_len.entry(m.len()).or_default().insert(m.as_bytes(), k);
    }
    let bytes = line.as_bytes();
    for (len, table) in by_len {
        let mut left = table.len();
        for i in 0..bytes.len().saturating_sub(len - 1) {
            // A mark is valid UTF-8, so a match that starts on a character starts and ends on one.
            if !line.is_char_boundary(i) {
                continue;
            }
            if let Some(&k) = table.get(&bytes[i..i + len]) {
                if at[k].is_none() {
                    at[k] = Some(i);
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
    }
    marks
        .map(|m| {
            m.filter(|m| !m.is_empty())
                .and_then(|m| wanted.binary_search(&m).ok())
                .and_then(|k| at[k])
                .unwrap_or(lead)
        })
        .collect()
}

/// The 1-based character column of each byte offset of `line` (each at a character boundary),
/// counted in one walk.
fn char_columns(line: &str, bytes: &[usize]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_by_key(|&k| bytes[k]);
    let mut cols = vec![1u32; bytes.len()];
    let (mut chars, mut from) = (0u32, 0usize);
    for k in order {
        let to = bytes[k].min(line.len());
        if to > from {
            chars += line[from..to].chars().count() as u32;
            from = to;
        }
        cols[k] = chars + 1;
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(path: &str, line: u32, mark: Option<&str>) -> Finding {
        Finding {
            path: path.into(),
            line,
            col: 0,
            code: "broken-link".into(),
            level: Level::Error,
            message: String::new(),
            mark: mark.map(str::to_string),
            help: None,
        }
    }

    #[test]
    fn columns_are_where_each_mark_first_stands_whatever_else_shares_the_line() {
        let lines = ["  ADR-10 ADR-1 «é» ADR-1 x", "no mark here", "\tADR-7"];
        let mut findings = vec![
            finding("a.md", 1, Some("ADR-1")),
            finding("a.md", 1, Some("«é»")),
            finding("b.md", 1, Some("ADR-7")),
            finding("a.md", 2, None),
            finding("a.md", 1, Some("x")),
            finding("a.md", 1, Some("missing")),
            finding("a.md", 1, Some("ADR-10")),
            finding("a.md", 3, Some("ADR-7")),
            finding("a.md", 9, Some("gone")),
        ];
        let mut source = |path: &str, line: u32| -> Option<std::sync::Arc<str>> {
            (path == "a.md").then(|| lines.get(line as usize - 1).map(|l| std::sync::Arc::from(*l))).flatten()
        };
        place_columns(&mut findings, &mut source);
        let cols: Vec<u32> = findings.iter().map(|f| f.col).collect();
        // `ADR-1` first stands inside `ADR-10` (as str::find finds it); columns count characters.
        assert_eq!(cols, vec![3, 16, 0, 1, 26, 3, 3, 2, 0]);
        // The same answer as searching each mark on its own, on a line of 20,000 of them.
        let long: String = (0..20_000).map(|i| format!("ADR-{i} ")).collect();
        let mut many: Vec<Finding> =
            (0..20_000).rev().map(|i| finding("l.md", 1, Some(&format!("ADR-{i}")))).collect();
        let mut source = |_: &str, _: u32| Some(std::sync::Arc::from(long.as_str()));
        place_columns(&mut many, &mut source);
        for f in many.iter().step_by(997) {
            let byte = long.find(f.mark.as_deref().unwrap()).unwrap();
            assert_eq!(f.col as usize, long[..byte].chars().count() + 1);
        }
    }
}

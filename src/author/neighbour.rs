//! A folder with no template of its own: the new record copies the structure of the folder's
//! most recent record ([`structure_of`]): its front-matter keys, its title heading's style
//! (`# ADR054: Title`), its metadata labels (in its language), every section heading, and its
//! status wording ([`status_word`]); values and section bodies are left empty, the title,
//! number, date and status filled as a template's placeholders are.

use crate::model::{Adr, Status};
use crate::parse::{is_known_heading, names_of_heading, names_of_label, split_lines, Names};

/// The placeholder each field is written as (filled by [`super::fill`]).
fn placeholder(n: Names) -> &'static str {
    match n {
        Names::Title => "{TITLE}",
        Names::Status => "{STATUS}",
        Names::Date => "{DATE}",
        Names::Relation | Names::Other => "",
    }
}

/// `Label: value` split where a metadata line writes it: `(head, value)` with `head` up to the
/// value (`* **Status:** `, `状态：`), when the label names a field.
fn label_line(line: &str) -> Option<(String, Names)> {
    let body = line.trim_end_matches(['\n', '\r']);
    let indent = body.len() - body.trim_start().len();
    let mut rest = &body[indent..];
    let mut head = body[..indent].to_string();
    for marker in ["* ", "- ", "+ "] {
        if let Some(r) = rest.strip_prefix(marker) {
            head.push_str(marker);
            rest = r;
            break;
        }
    }
    let colon = rest.char_indices().find(|&(_, c)| c == ':' || c == '：').map(|(i, c)| (i, c.len_utf8()))?;
    let (label, after) = (&rest[..colon.0], &rest[colon.0 + colon.1..]);
    let bare = label.trim().trim_matches(['*', '_']).trim();
    if bare.is_empty() || bare.split_whitespace().count() > 5 {
        return None;
    }
    let names = names_of_label(bare)?;
    // Bold closing after the colon (`**Status:**`).
    let closing: String = after.chars().take_while(|c| matches!(c, '*' | '_')).collect();
    head.push_str(&rest[..colon.0 + colon.1]);
    head.push_str(&closing);
    Some((head, names))
}

/// A heading line's text (`## Status` -> `Status`), `None` for other lines.
fn heading_text(line: &str) -> Option<&str> {
    let t = line.trim_end_matches(['\n', '\r']);
    let hashes = t.len() - t.trim_start_matches('#').len();
    ((1..=6).contains(&hashes) && (t.len() == hashes || t[hashes..].starts_with([' ', '\t'])))
        .then(|| t[hashes..].trim().trim_end_matches('#').trim())
}

/// A table row's cells (`| a | b |` -> `["a", "b"]`).
fn cells(line: &str) -> Option<Vec<&str>> {
    let t = line.trim();
    let inner = t.strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').map(str::trim).collect())
}

/// The title line rewritten with placeholders: the title's text becomes `{TITLE}`, the
/// record's number in front of it `{NUMBER}` (`# ADR054: Use X` -> `# ADR{NUMBER}: {TITLE}`).
fn title_line(line: &str, adr: &Adr) -> Option<String> {
    let title = adr.title.as_deref()?;
    let at = line.find(title)?;
    let (mut prefix, suffix) = (line[..at].to_string(), &line[at + title.len()..]);
    if let Some(n) = adr.title_number {
        let digits: Vec<(usize, usize)> = digit_runs(&prefix);
        if let Some(&(s, e)) =
            digits.iter().rev().find(|&&(s, e)| prefix[s..e].parse::<u32>().ok() == Some(n))
        {
            prefix.replace_range(s..e, "{NUMBER}");
        }
    }
    Some(format!("{prefix}{{TITLE}}{suffix}"))
}

fn digit_runs(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Whether a line starts with a date (`2017-11-22 提议`): a status history's entry.
fn dated(line: &str) -> bool {
    let b = line.trim_start().as_bytes();
    b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-'
}

/// The front matter's keys (title, status and date as placeholders, other values emptied,
/// links to other records dropped) into `out`; the number of lines it took.
fn front_matter(lines: &[&str], out: &mut Vec<String>, marks: &mut Marks) -> usize {
    let mut k = 0;
    if lines.first().is_some_and(|l| l.trim_end() == "---") {
        out.push("---".into());
        k = 1;
        while k < lines.len() {
            let l = lines[k].trim_end_matches(['\n', '\r']);
            k += 1;
            if matches!(l.trim_end(), "---" | "...") {
                marks.front_end = Some(out.len());
                out.push("---".into());
                break;
            }
            if l.starts_with([' ', '\t', '-', '#']) || l.trim().is_empty() {
                continue;
            }
            if let Some((key, value)) = l.split_once(':') {
                let names = names_of_label(key).unwrap_or(Names::Other);
                // Links to other records belong to that record, not to the structure.
                if names == Names::Relation {
                    continue;
                }
                let empty = if value.trim_start().starts_with('[') { "[]" } else { "" };
                let v = match names {
                    Names::Other | Names::Relation => empty,
                    n => placeholder(n),
                };
                out.push(format!("{key}: {v}").trim_end().to_string());
            }
        }
    }
    k
}

/// The structure of record `adr`, whose text is `src`, as a template: front-matter keys kept
/// (title, status and date as placeholders, other values emptied), the title line with its
/// style, metadata labels with their values emptied (status and date as placeholders; links to
/// other records dropped), tables of metadata likewise, every heading but sub-headings named
/// for their content, a status or date section holding its placeholder, and nothing else of
/// the text. `None` when the text has neither a title line nor a heading.
pub fn structure_of(src: &str, adr: &Adr) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    let lines = split_lines(src);
    let mut marks = Marks::default();
    let k = front_matter(&lines, &mut out, &mut marks);
    let (mut title_done, mut fence, mut section) = (false, false, Names::Other);
    let mut pending: Option<String> = None;
    let mut table_labels: Option<Vec<Option<Names>>> = None;
    let mut any = false;
    let flush = |out: &mut Vec<String>, pending: &mut Option<String>| {
        if let Some(p) = pending.take() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            out.push(p);
        }
    };
    for raw in &lines[k..] {
        let line = raw.trim_end_matches(['\n', '\r']);
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        if t.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            table_labels = None;
            continue;
        }
        if !title_done && adr.title.as_deref().is_some_and(|title| line.contains(title)) {
            if let Some(l) = title_line(line, adr) {
                marks.title = Some(out.len());
                out.push(l);
                title_done = true;
                any = true;
                continue;
            }
        }
        if let Some(h) = heading_text(line) {
            flush(&mut out, &mut pending);
            section = names_of_heading(h);
            // A sub-heading named for its content (`### Option 1: Kafka`) is not structure.
            let level = line.len() - line.trim_start_matches('#').len();
            if level >= 3 && !is_known_heading(h) {
                continue;
            }
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            out.push(line.to_string());
            any = true;
            pending = match section {
                Names::Status => Some("{STATUS}".into()),
                Names::Date => Some("{DATE}".into()),
                _ => None,
            };
            continue;
        }
        if let Some(row) = cells(line) {
            table_row(&mut out, &mut table_labels, &row, &mut pending);
            continue;
        }
        if let Some((head, names)) = label_line(line) {
            if names == Names::Relation {
                continue;
            }
            if matches!((names, section), (Names::Status, Names::Status) | (Names::Date, Names::Date)) {
                pending = None;
            }
            if names == Names::Status {
                marks.status_label = Some((out.len(), head.clone()));
            }
            out.push(format!("{head} {}", placeholder(names)).trim_end().to_string());
            continue;
        }
        // A status history's dated line: the new record's first entry.
        if section == Names::Status && dated(line) && pending.is_some() {
            pending = Some("{DATE} {STATUS}".into());
        }
    }
    flush(&mut out, &mut pending);
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    if any && !out.iter().any(|l| l.contains("{DATE}")) {
        marks.add_date(&mut out);
    }
    let mut text = out.join("\n");
    text.push('\n');
    any.then_some(text)
}

/// Where a structure holds its front matter's end, its title line and its status label: the
/// places a date goes when the record gave none.
#[derive(Default)]
struct Marks {
    front_end: Option<usize>,
    title: Option<usize>,
    status_label: Option<(usize, String)>,
}

impl Marks {
    /// A record is dated even where its neighbour was not (a date from its file name, or
    /// none): beside the status label in its style (`* **Status**:` gives `* **Date**:`), else
    /// as a front-matter key, else on a line under the title as adr-tools writes it.
    fn add_date(self, out: &mut Vec<String>) {
        if let Some((at, head)) = self.status_label {
            let label = head.trim_start().trim_start_matches(['*', '-', '+', ' ', '_']);
            let word: String = label.chars().take_while(|c| c.is_alphanumeric()).collect();
            if !word.is_empty() {
                let date_word =
                    if word.chars().next().is_some_and(char::is_uppercase) { "Date" } else { "date" };
                let head = head.replacen(&word, date_word, 1);
                // A label in Chinese, Japanese or Korean gives the date's label in it (`状态` gives `日期`).
                let local = match word.chars().next() {
                    Some('\u{AC00}'..='\u{D7AF}') => "날짜",
                    Some('\u{3040}'..='\u{30FF}') => "日付",
                    Some('\u{4E00}'..='\u{9FFF}') => "日期",
                    _ => date_word,
                };
                let head = head.replacen(date_word, local, 1);
                out.insert(at + 1, format!("{head} {{DATE}}"));
                return;
            }
        }
        if let Some(at) = self.front_end {
            out.insert(at, "date: {DATE}".into());
            return;
        }
        let at = self.title.map(|t| t + 1).unwrap_or(0);
        out.insert(at, String::new());
        out.insert(at + 1, "Date: {DATE}".into());
        if out.get(at + 2).is_some_and(|l| !l.is_empty()) {
            out.insert(at + 2, String::new());
        }
    }
}

/// One row of a table: a header of labels (`| Status | Date |`) keeps its cells and gives the
/// next value row its placeholders; a row of label and value (`| Status | Accepted |`) keeps
/// the label; other rows are dropped.
fn table_row(
    out: &mut Vec<String>,
    labels: &mut Option<Vec<Option<Names>>>,
    row: &[&str],
    pending: &mut Option<String>,
) {
    let is_rule = row.iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
    if is_rule {
        if labels.is_some() {
            out.push(format!("|{}|", row.iter().map(|c| format!(" {c} ")).collect::<Vec<_>>().join("|")));
        }
        return;
    }
    match labels.take() {
        Some(l) => {
            // The value row under a header of labels.
            let values: Vec<&str> = l.iter().map(|n| n.map(placeholder).unwrap_or("")).collect();
            if values.contains(&"{STATUS}") {
                *pending = None;
            }
            out.push(format!("| {} |", values.join(" | ")));
        }
        None => {
            let names: Vec<Option<Names>> = row.iter().map(|c| names_of_label(c.trim_matches('*'))).collect();
            if row.len() >= 2 && names.iter().filter(|n| n.is_some()).count() >= 2 {
                out.push(format!("| {} |", row.join(" | ")));
                *labels = Some(names);
            } else if row.len() >= 2 {
                if let Some(n) = names[0] {
                    if n == Names::Status {
                        *pending = None;
                    }
                    out.push(format!("| {} | {} |", row[0], placeholder(n)));
                }
            }
        }
    }
}

/// The folder's own word for `wanted` (`提议` for proposed in a Chinese log, `proposed` where
/// the folder writes lower case): the most common status word of its records with that
/// status, the first in path order on a tie; `None` when none has it.
pub fn status_word<'a>(records: impl Iterator<Item = &'a Adr>, wanted: Status) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for a in records.filter(|a| a.status == wanted) {
        let Some(raw) = a.status_raw.as_deref() else { continue };
        let word = raw.trim().trim_matches(['*', '_', '`']).trim();
        // One word (or a CJK run); a longer status ("Accepted on 2020-01-02") is not a word.
        if word.is_empty() || word.split_whitespace().count() > 1 || word.len() > 24 {
            continue;
        }
        match counts.iter_mut().find(|(w, _)| w == word) {
            Some((_, n)) => *n += 1,
            None => counts.push((word.to_string(), 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(w, _)| w)
}

/// A template that gives a record no status or no date (log4brains' test template is a title
/// alone) gains the lines that give them, as the folder's newest record writes them (`-
/// Status: {STATUS}` from `structure`, its [`structure_of`]), else `Status:` and `Date:`
/// lines; under its title heading. Unchanged when it places both somewhere (adr-tools'
/// project templates put `Date: DATE` where they like), or when the lines would not read back.
pub fn complete_template(template: &str, structure: Option<&str>) -> String {
    let reads = |t: &str| {
        let plain = super::fill(
            t,
            &super::Fill { number: "7", title: "Plain title", date: "2024-01-02", status: "Accepted" },
        );
        let a = crate::parse::parse_adr(&plain, "plain.md", "plain.md").adr;
        (a.status_raw.is_some(), a.date.is_some())
    };
    // A template that places a field, wherever it reads back, is the project's own choice.
    let places = super::fill(
        template,
        &super::Fill { number: "7", title: "T", date: "2097-03-04", status: "Zqxstatus" },
    );
    let (reads_status, reads_date) = reads(template);
    let has_status = reads_status || places.contains("Zqxstatus");
    let has_date = reads_date || places.contains("2097-03-04");
    if has_status && has_date {
        return template.to_string();
    }
    let label = |placeholder: &str, fallback: &str| -> String {
        structure
            .and_then(|s| {
                s.lines().find(|l| {
                    l.contains(placeholder)
                        && !l.starts_with('#')
                        && l.trim() != placeholder
                        && label_line(l).is_some()
                })
            })
            .map(str::to_string)
            .unwrap_or_else(|| fallback.to_string())
    };
    let mut add = Vec::new();
    if !has_status {
        add.push(label("{STATUS}", "Status: {STATUS}"));
    }
    if !has_date {
        add.push(label("{DATE}", "Date: {DATE}"));
    }
    let lines = split_lines(template);
    let at = lines.iter().position(|l| l.starts_with("# ")).map(|i| i + 1).unwrap_or(0);
    let mut out = String::with_capacity(template.len() + 64);
    for l in &lines[..at] {
        out.push_str(l);
    }
    if at > 0 && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(if at > 0 { "\n" } else { "" });
    for l in &add {
        out.push_str(l);
        out.push('\n');
    }
    out.push('\n');
    for l in lines[at..].iter().skip_while(|l| l.trim().is_empty()) {
        out.push_str(l);
    }
    let (status_now, date_now) = reads(&out);
    if (status_now || has_status) && (date_now || has_date) {
        out
    } else {
        template.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structure(src: &str, name: &str) -> String {
        let adr = crate::parse::parse_adr(src, name, name).adr;
        structure_of(src, &adr).expect("a structure")
    }

    #[test]
    fn a_record_gives_its_structure_with_placeholders() {
        let src = "# ADR054: Use Kafka\n\n**Status:** Accepted\n**Date:** 2024-01-02\n**Deciders:** Ann\n\n\
                   ## Context\n\nWe need a log.\n\n## Decision\n\nKafka.\n\n### Positive Consequences\n\n\
                   ### Option 1: Kafka\n\nFast.\n";
        assert_eq!(
            structure(src, "ADR054-use-kafka.md"),
            "# ADR{NUMBER}: {TITLE}\n\n**Status:** {STATUS}\n**Date:** {DATE}\n**Deciders:**\n\n\
             ## Context\n\n## Decision\n\n### Positive Consequences\n"
        );
        let zh = "# 12. 使用 Kafka\n\n## 状态\n\n2017-11-22 提议\n2017-11-26 通过\n\n## 上下文\n\n正文。\n\n## 决策\n\n正文。\n";
        assert_eq!(
            structure(zh, "0012-kafka.md"),
            "# {NUMBER}. {TITLE}\n\n## 状态\n\n{DATE} {STATUS}\n\n## 上下文\n\n## 决策\n"
        );
        let fm = "---\nstatus: accepted\ndate: 2024-01-02\ndeciders: [ann, bob]\ntags:\n  - x\n---\n\n# Use Kafka\n\n## Context and Problem Statement\n\nText.\n";
        assert_eq!(
            structure(fm, "0003-use-kafka.md"),
            "---\nstatus: {STATUS}\ndate: {DATE}\ndeciders: []\ntags:\n---\n\n# {TITLE}\n\n## Context and Problem Statement\n"
        );
        let table = "# Use Kafka\n\n| Status | Date | Author(s) |\n|---|---|---|\n| Accepted | 2025-10-26 | Ann |\n\n## Context\n\nx\n";
        assert_eq!(
            structure(table, "use-kafka.md"),
            "# {TITLE}\n\n| Status | Date | Author(s) |\n| --- | --- | --- |\n| {STATUS} | {DATE} |  |\n\n## Context\n"
        );
    }

    #[test]
    fn the_folder_word_for_a_status_is_its_most_common() {
        let rec =
            |raw: &str| crate::parse::parse_adr(&format!("# T\n\n## Status\n\n{raw}\n"), "a.md", "a.md").adr;
        let adrs = [rec("提议"), rec("提议"), rec("通过")];
        assert_eq!(status_word(adrs.iter(), Status::Proposed).as_deref(), Some("提议"));
        assert_eq!(status_word(adrs.iter(), Status::Rejected), None);
    }
}

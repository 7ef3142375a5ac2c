//! Changes to records that exist, each written the way that file's dialect writes it: a status
//! set in place (front matter key, metadata bullet, bold label, or the line of a `## Status`
//! section), and a typed link added (in a `## Status` section as adr-tools adds it, else as a
//! bullet of the `## Links` section, made at the end when there is none). Every change is a set
//! of line edits ([`crate::write::Fix`]) applied through the audited writer; nothing else in
//! the file changes.

use crate::model::Adr;
use crate::write::Fix;
use regex::Regex;
use std::sync::LazyLock;

/// The lines of `text`, each with its ending.
fn lines(text: &str) -> Vec<&str> {
    crate::parse::split_lines(text)
}

/// The body of a line, without its ending.
fn body(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

/// The line ending the file uses (that of its first line), LF for a file with none.
fn eol(text: &str) -> &'static str {
    match lines(text).first() {
        Some(l) if l.ends_with("\r\n") => "\r\n",
        Some(l) if l.ends_with('\r') => "\r",
        _ => "\n",
    }
}

/// Where a record writes its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusAt {
    /// `status: x` in front matter, at this line (0-based).
    FrontMatter(usize),
    /// `* Status: x`, `**Status:** x`: the line, and the bytes of the value in it.
    Labelled(usize, usize, usize),
    /// The line after a `## Status` heading that holds the status word.
    Section(usize),
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\s*(?:[*-]\s+)?(?:\*\*status\*\*\s*:|\*\*status:\*\*|status\s*:)\s*)")
        .expect("valid regex")
});
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)\s*#*\s*$").expect("valid regex"));

/// The end of front matter (the index of its closing line), if the file opens with some.
fn front_matter_end(ls: &[&str]) -> Option<usize> {
    let first = body(ls.first()?).trim_start_matches('\u{feff}').trim_end();
    if first != "---" {
        return None;
    }
    (1..ls.len()).find(|&i| matches!(body(ls[i]).trim_end(), "---" | "..."))
}

/// For each line, whether it is inside a fenced code block (its fences included): edits never
/// touch code, and a `## Status` in an example is not the record's.
pub(crate) fn code_lines(ls: &[&str]) -> Vec<bool> {
    let mut out = Vec::with_capacity(ls.len());
    let mut fence: Option<(char, usize)> = None;
    for l in ls {
        let t = body(l).trim_start();
        let run = |c: char| t.chars().take_while(|x| *x == c).count();
        match fence {
            Some((c, n)) => {
                out.push(true);
                if run(c) >= n && t.trim_start_matches(c).trim().is_empty() {
                    fence = None;
                }
            }
            None => {
                let opened = ['`', '~'].into_iter().map(|c| (c, run(c))).find(|(_, n)| *n >= 3);
                out.push(opened.is_some());
                fence = opened;
            }
        }
    }
    out
}

/// A heading line: its level and text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let c = HEADING.captures(body(line))?;
    Some((c.get(1)?.as_str().len(), c.get(2)?.as_str()))
}

/// The lines of a section titled `name` (any case): its heading's index and the index of the
/// next heading of the same or a higher level (or the end).
fn section(ls: &[&str], name: &str) -> Option<(usize, usize)> {
    let from = front_matter_end(ls).map_or(0, |e| e + 1);
    let code = code_lines(ls);
    let head = |i: usize| if code[i] { None } else { heading(ls[i]) };
    let at = (from..ls.len()).find(|&i| head(i).is_some_and(|(_, t)| t.eq_ignore_ascii_case(name)))?;
    let level = head(at)?.0;
    let end = (at + 1..ls.len()).find(|&i| head(i).is_some_and(|(l, _)| l <= level)).unwrap_or(ls.len());
    Some((at, end))
}

fn status_at(ls: &[&str]) -> Option<StatusAt> {
    if let Some(end) = front_matter_end(ls) {
        if let Some(i) = (1..end).find(|&i| body(ls[i]).to_ascii_lowercase().starts_with("status:")) {
            return Some(StatusAt::FrontMatter(i));
        }
    }
    let from = front_matter_end(ls).map_or(0, |e| e + 1);
    let code = code_lines(ls);
    // A label before the first section's text (metadata bullets, bold labels).
    let first_section = (from..ls.len())
        .find(|&i| !code[i] && heading(ls[i]).is_some_and(|(l, _)| l >= 2))
        .unwrap_or(ls.len());
    for (i, line) in ls.iter().enumerate().take(first_section).skip(from) {
        if code[i] {
            continue;
        }
        if let Some(m) = LABEL.find(body(line)) {
            let value_end = body(line).trim_end().len().max(m.end());
            return Some(StatusAt::Labelled(i, m.end(), value_end));
        }
    }
    let (at, end) = section(ls, "Status")?;
    let word = (at + 1..end).find(|&i| !code[i] && !body(ls[i]).trim().is_empty())?;
    Some(StatusAt::Section(word))
}

/// The edit that sets `adr`'s status (in `text`, its file) to `value`: where the file states it
/// (front matter, a label, a `## Status` section, a table cell); a status kept as dated lines
/// (`2017-11-26 accepted`) gains a line dated `date` after the last one, so its history stays.
pub fn set_status(adr: &Adr, text: &str, value: &str, date: chrono::NaiveDate) -> Result<Fix, String> {
    let ls = lines(text);
    let fix = |line: usize, new: String| Fix {
        path: adr.path.clone(),
        line: line as u32 + 1,
        old: body(ls[line]).to_string(),
        new,
        code: "status".into(),
    };
    let code = code_lines(&ls);
    let stated = adr
        .status_history
        .last()
        .map(|s| (s.line as usize).saturating_sub(1))
        .filter(|&i| i < ls.len() && !code[i]);
    if let Some(i) = stated {
        let last = adr.status_history.last().expect("stated");
        if let Some(new) = table_cell_set(body(ls[i]), &last.raw, value) {
            return Ok(fix(i, new));
        }
        let dated = adr.status_history.iter().filter(|s| s.date.is_some()).count();
        if let Some(last_day) = last.date.filter(|_| dated >= 2) {
            let day = last_day.format("%Y-%m-%d").to_string();
            let line = body(ls[i]);
            if let Some(at) = line.find(&day) {
                // The same shape as the last line: its date made today's, its words the new status.
                let lead = &line[..at];
                let new_line = format!("{lead}{} {value}", date.format("%Y-%m-%d"));
                return Ok(fix(i, format!("{line}{}{new_line}", eol(text))));
            }
        }
    }
    let at = status_at(&ls).ok_or("the record writes no status line to change")?;
    let (line, new) = match at {
        StatusAt::FrontMatter(i) => {
            let key = body(ls[i]).split(':').next().unwrap_or("status");
            (i, format!("{key}: {}", crate::write::yaml_scalar(value)))
        }
        StatusAt::Labelled(i, from, to) => {
            let b = body(ls[i]);
            (i, format!("{}{value}{}", &b[..from], &b[to..]))
        }
        StatusAt::Section(i) => (i, value.to_string()),
    };
    Ok(Fix {
        path: adr.path.clone(),
        line: line as u32 + 1,
        old: body(ls[line]).to_string(),
        new,
        code: "status".into(),
    })
}

/// `row` (a markdown table row) with the cell that reads `raw` (the status as written) reading
/// `value` instead, its padding kept; `None` when `row` is not a table row holding that cell.
fn table_cell_set(row: &str, raw: &str, value: &str) -> Option<String> {
    let t = row.trim_start();
    if !t.starts_with('|') || raw.trim().is_empty() || value.contains('|') {
        return None;
    }
    let mut at = 0;
    for cell in row.split('|') {
        let start = at;
        at += cell.len() + 1;
        if cell.trim().eq_ignore_ascii_case(raw.trim()) {
            let lead = cell.len() - cell.trim_start().len();
            let from = start + lead;
            let to = from + cell.trim().len();
            return Some(format!("{}{value}{}", &row[..from], &row[to..]));
        }
    }
    None
}

/// The text a status writes for "superseded by `link`", in the case the record writes its
/// status words (`superseded by` where it writes `accepted`).
pub fn superseded_by(adr: &Adr, link: &str, spelling: &str) -> String {
    let lower = adr
        .status_raw
        .as_deref()
        .and_then(|s| s.chars().find(|c| c.is_alphabetic()))
        .is_some_and(char::is_lowercase);
    let words = format!("{spelling} by");
    let words = if lower { words.to_lowercase() } else { words };
    format!("{words} {link}")
}

/// The edit that adds the line `link` (`Supersedes [1. Title](0001-title.md)`) to `adr`'s file:
/// at the end of its `## Status` section when it has one (as adr-tools adds links), else as a
/// bullet at the end of its `## Links` section, which is made at the end of the file when
/// missing.
pub fn add_link(adr: &Adr, text: &str, link: &str) -> Result<Fix, String> {
    add_links(adr, text, &[link.to_string()])
}

/// [`add_link`] for several lines at once, in order, as one edit.
pub fn add_links(adr: &Adr, text: &str, links: &[String]) -> Result<Fix, String> {
    let ls = lines(text);
    if ls.is_empty() {
        return Err("the file is empty".into());
    }
    let nl = eol(text);
    let fix = |i: usize, new: String| Fix {
        path: adr.path.clone(),
        line: i as u32 + 1,
        old: body(ls[i]).to_string(),
        new,
        code: "link".into(),
    };
    if let Some((_, end)) = section(&ls, "Status")
        .filter(|_| !matches!(status_at(&ls), Some(StatusAt::Labelled(..) | StatusAt::FrontMatter(_))))
    {
        let link = links.join(&format!("{nl}{nl}"));
        return Ok(match ls.get(end) {
            // Before the next heading, followed by a blank line.
            Some(next) => fix(end, format!("{link}{nl}{nl}{}", body(next))),
            None => {
                let last = ls.len() - 1;
                let gap = if body(ls[last]).trim().is_empty() { "" } else { nl };
                fix(last, format!("{}{gap}{nl}{link}", body(ls[last])))
            }
        });
    }
    let marker = ls
        .iter()
        .find_map(|l| {
            let t = body(l).trim_start();
            [("* ", "*"), ("- ", "-")].into_iter().find(|(p, _)| t.starts_with(p)).map(|(_, m)| m)
        })
        .unwrap_or("*");
    let link = links.join(&format!("{nl}{marker} "));
    if let Some((at, end)) = section(&ls, "Links") {
        let last = (at..end).rev().find(|&i| !body(ls[i]).trim().is_empty()).unwrap_or(at);
        let sep = if last == at { format!("{nl}{nl}") } else { nl.to_string() };
        return Ok(fix(last, format!("{}{sep}{marker} {link}", body(ls[last]))));
    }
    let last = ls.len() - 1;
    let gap = if body(ls[last]).trim().is_empty() { "" } else { nl };
    Ok(fix(last, format!("{}{gap}{nl}## Links{nl}{nl}{marker} {link}", body(ls[last]))))
}

/// The link text a record is named by in another's links: its first heading as written
/// (`2. Second Record`, as adr-tools names it), else its title.
pub fn link_title(adr: &Adr, text: &str) -> String {
    let ls = lines(text);
    let from = front_matter_end(&ls).map_or(0, |e| e + 1);
    ls.iter()
        .skip(from)
        .find_map(|l| heading(l).filter(|(level, _)| *level == 1).map(|(_, t)| t.to_string()))
        .unwrap_or_else(|| adr.display_title().to_string())
}

/// The edit that appends `- DATE: STATUS` to the record's changelog (a `## Changelog`,
/// `## History`, `## Status history`, ... section), the status history the file keeps; `None`
/// when it keeps none.
pub fn add_history(adr: &Adr, text: &str, date: chrono::NaiveDate, value: &str) -> Option<Fix> {
    let ls = lines(text);
    let names = ["changelog", "change log", "history", "status history", "revision history", "changes"];
    let (at, end) = names.iter().find_map(|n| section(&ls, n))?;
    let last = (at..end).rev().find(|&i| !body(ls[i]).trim().is_empty())?;
    let nl = eol(text);
    let marker = (at..end)
        .rev()
        .filter_map(|i| {
            let t = body(ls[i]).trim_start();
            ["* ", "- "].into_iter().find(|p| t.starts_with(p)).map(|p| p.trim())
        })
        .next()
        .unwrap_or("-");
    let sep = if last == at { format!("{nl}{nl}") } else { nl.to_string() };
    Some(Fix {
        path: adr.path.clone(),
        line: last as u32 + 1,
        old: body(ls[last]).to_string(),
        new: format!("{}{sep}{marker} {}: {value}", body(ls[last]), date.format("%Y-%m-%d")),
        code: "status-history".into(),
    })
}

/// `text` with the number `old` in its first heading made `new` (kept as wide as written:
/// `# 12. Title` -> `# 13. Title`, `# ADR-012: Title` -> `# ADR-013: Title`).
pub fn renumber_heading(text: &str, old: u32, new: u32) -> String {
    // A BOM stays where it is, before the text whose heading changes.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        return format!("\u{feff}{}", renumber_heading(rest, old, new));
    }
    let ls = lines(text);
    let from = front_matter_end(&ls).map_or(0, |e| e + 1);
    let Some(at) = (from..ls.len()).find(|&i| heading(ls[i]).is_some_and(|(l, _)| l == 1)) else {
        return text.to_string();
    };
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+").expect("valid regex"));
    let line = ls[at];
    let replaced = NUMBER.find_iter(line).find(|m| m.as_str().parse::<u32>().ok() == Some(old)).map(|m| {
        format!("{}{:0width$}{}", &line[..m.start()], new, &line[m.end()..], width = m.as_str().len())
    });
    match replaced {
        Some(l) => {
            let mut out: String = ls[..at].concat();
            out.push_str(&l);
            out.push_str(&ls[at + 1..].concat());
            out
        }
        None => text.to_string(),
    }
}

/// The unified diff of `fixes` (line edits of one file named `shown`), each a hunk of its own.
pub fn diff(shown: &str, fixes: &[Fix]) -> String {
    let mut out = format!("--- {shown}\n+++ {shown}\n");
    for f in fixes {
        let new: Vec<&str> = crate::parse::split_lines(&f.new).into_iter().map(body).collect();
        out.push_str(&format!("@@ -{},1 +{},{} @@\n-{}\n", f.line, f.line, new.len().max(1), f.old));
        for l in new {
            out.push('+');
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adr() -> Adr {
        Adr::empty("x", "d/0001-x.md", "0001-x.md")
    }

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date")
    }

    #[test]
    fn a_status_in_a_table_cell_or_a_history_is_changed_where_it_stands() {
        let set = |text: &str, value: &str| -> String {
            let a = crate::parse::parse_adr(text, "d/0001-x.md", "0001-x.md").adr;
            apply(text, &set_status(&a, text, value, day()).unwrap())
        };
        let row = "# 1. T\n\n| Status | Date | Author(s) |\n|---|---|---|\n| Accepted | 2025-10-26 | X |\n";
        assert_eq!(
            set(row, "Deprecated"),
            "# 1. T\n\n| Status | Date | Author(s) |\n|---|---|---|\n| Deprecated | 2025-10-26 | X |\n"
        );
        let two = "# 2. T\n\n| Field | Value |\n|---|---|\n| Status |   Accepted |\n| Date | 2025-10-26 |\n";
        assert!(set(two, "Rejected").contains("| Status |   Rejected |\n| Date | 2025-10-26 |"));
        let history = "# 3. T\n\n## Status\n\n2017-11-22 proposed\n2017-11-26 accepted\n\n## Context\n\nx\n";
        assert_eq!(
            set(history, "deprecated"),
            "# 3. T\n\n## Status\n\n2017-11-22 proposed\n2017-11-26 accepted\n2026-12-06 deprecated\n\n## Context\n\nx\n"
        );
        let bullets = "# 4. T\n\n## Status\n\n- 2017-11-22 提议\n- 2017-11-26 通过\n";
        assert!(set(bullets, "已弃用").ends_with("- 2017-11-26 通过\n- 2026-12-06 已弃用\n"));
    }

    fn apply(text: &str, f: &Fix) -> String {
        let mut ls: Vec<String> = lines(text).into_iter().map(str::to_string).collect();
        let i = f.line as usize - 1;
        let ending = ls[i][body(&ls[i]).len()..].to_string();
        assert_eq!(body(&ls[i]), f.old);
        ls[i] = format!("{}{ending}", f.new);
        ls.concat()
    }

    #[test]
    fn a_status_is_set_where_each_dialect_writes_it() {
        let cases = [
            (
                "# 1. X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n",
                "# 1. X\n\nDate: 2020-01-01\n\n## Status\n\nDeprecated\n\n## Context\n",
            ),
            ("# X\n\n* Status: accepted\n* Date: 2020\n", "# X\n\n* Status: Deprecated\n* Date: 2020\n"),
            (
                "# ADR-001: X\n\n**Date:** 2020  \n**Status:** Accepted  \n",
                "# ADR-001: X\n\n**Date:** 2020  \n**Status:** Deprecated  \n",
            ),
            (
                "---\nstatus: accepted\ndate: 2020\n---\n# X\n",
                "---\nstatus: Deprecated\ndate: 2020\n---\n# X\n",
            ),
            ("# X\r\n\r\n- Status: draft\r\n", "# X\r\n\r\n- Status: Deprecated\r\n"),
        ];
        for (before, after) in cases {
            let f = set_status(&adr(), before, "Deprecated", day()).unwrap();
            assert_eq!(apply(before, &f), after);
        }
        let f = set_status(&adr(), "---\nstatus: accepted\n---\n", "superseded by [ADR-2](0002-x.md)", day())
            .unwrap();
        assert_eq!(f.new, "status: \"superseded by [ADR-2](0002-x.md)\"");
        assert!(set_status(&adr(), "# X\n\nno status\n", "Accepted", day()).is_err());
        // A YAML word is quoted to stay text.
        let f = set_status(&adr(), "---\nstatus: accepted\n---\n", "true", day()).unwrap();
        assert_eq!(f.new, "status: \"true\"");
    }

    #[test]
    fn a_status_example_in_a_code_block_is_never_edited() {
        let text = "# 1. X\n\n## Context\n\n```md\n## Status\n\nProposed\n```\n\n## Status\n\nAccepted\n";
        let f = set_status(&adr(), text, "Deprecated", day()).unwrap();
        assert_eq!(apply(text, &f), text.replace("\nAccepted\n", "\nDeprecated\n"));
        let only_code = "# 1. X\n\n~~~\nStatus: accepted\n~~~\n";
        assert!(set_status(&adr(), only_code, "Deprecated", day()).is_err());
    }

    #[test]
    fn a_link_goes_in_the_status_section_or_the_links_section() {
        let nygard = "# 2. B\n\nDate: 2020\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n";
        let f = add_link(&adr(), nygard, "Supersedes [1. A](0001-a.md)").unwrap();
        assert_eq!(
            apply(nygard, &f),
            "# 2. B\n\nDate: 2020\n\n## Status\n\nAccepted\n\nSupersedes [1. A](0001-a.md)\n\n## Context\n\nWhy.\n"
        );
        let madr = "# B\n\n- Status: accepted\n\n## Links\n\n- Refines [A](0001-a.md)\n\n## More\n";
        let f = add_link(&adr(), madr, "Supersedes [A](0001-a.md)").unwrap();
        assert_eq!(apply(madr, &f), "# B\n\n- Status: accepted\n\n## Links\n\n- Refines [A](0001-a.md)\n- Supersedes [A](0001-a.md)\n\n## More\n");
        let none = "---\nstatus: accepted\n---\n# B\n\n* Good\n";
        let f = add_link(&adr(), none, "Supersedes [A](0001-a.md)").unwrap();
        assert_eq!(
            apply(none, &f),
            "---\nstatus: accepted\n---\n# B\n\n* Good\n\n## Links\n\n* Supersedes [A](0001-a.md)\n"
        );
    }
}

//! Normalisation of field values already extracted from the block tree: status words, dates,
//! titles with number prefixes, file-name numbers, people lists and ids written in prose.
//!
//! These functions see one value (the text after `Status:`, a heading's text), never raw
//! markdown.

use crate::model::{Date, Status};
pub use crate::names::{
    bare_ids, clean_title, date_from_name, fold_key, number_from_name, number_in_reference, BareId,
};
use regex::Regex;
use std::sync::LazyLock;

/// The result of reading a status text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusWord {
    /// The normalised status.
    pub status: Status,
    /// True when the text began with a known status word.
    pub recognised: bool,
    /// True when the text names two different statuses (`Accepted or Rejected`).
    pub ambiguous: bool,
}

/// Lowercased status words (and short phrases) and what they mean.
const STATUS_WORDS: &[(&str, Status)] = &[
    // accepted
    ("accepted", Status::Accepted),
    ("accept", Status::Accepted),
    ("approved", Status::Accepted),
    ("decided", Status::Accepted),
    ("implemented", Status::Accepted),
    // KEP: approved for implementation.
    ("implementable", Status::Accepted),
    ("adopted", Status::Accepted),
    ("agreed", Status::Accepted),
    ("final", Status::Accepted),
    ("active", Status::Accepted),
    ("done", Status::Accepted),
    ("completed", Status::Accepted),
    ("complete", Status::Accepted),
    ("in force", Status::Accepted),
    ("living", Status::Accepted),
    ("aceito", Status::Accepted),
    ("aceita", Status::Accepted),
    ("aprovado", Status::Accepted),
    ("accepté", Status::Accepted),
    ("acceptée", Status::Accepted),
    ("accepte", Status::Accepted),
    ("aceptado", Status::Accepted),
    ("aprobado", Status::Accepted),
    ("akzeptiert", Status::Accepted),
    ("angenommen", Status::Accepted),
    ("accettato", Status::Accepted),
    ("accettata", Status::Accepted),
    ("approvato", Status::Accepted),
    ("geaccepteerd", Status::Accepted),
    ("aangenomen", Status::Accepted),
    ("goedgekeurd", Status::Accepted),
    ("résolu", Status::Accepted),
    ("resolved", Status::Accepted),
    ("stable", Status::Accepted),
    ("released", Status::Accepted),
    ("已接受", Status::Accepted),
    ("接受", Status::Accepted),
    ("已通过", Status::Accepted),
    ("通过", Status::Accepted),
    ("已批准", Status::Accepted),
    ("批准", Status::Accepted),
    ("已采纳", Status::Accepted),
    ("采纳", Status::Accepted),
    ("已完成", Status::Accepted),
    ("完成", Status::Accepted),
    ("已实施", Status::Accepted),
    ("承認済み", Status::Accepted),
    ("承認", Status::Accepted),
    ("採用", Status::Accepted),
    ("受理", Status::Accepted),
    ("승인됨", Status::Accepted),
    ("승인", Status::Accepted),
    ("채택됨", Status::Accepted),
    ("채택", Status::Accepted),
    // proposed
    ("proposed", Status::Proposed),
    ("proposal", Status::Proposed),
    ("pending review", Status::Proposed),
    ("pending", Status::Proposed),
    ("in review", Status::Proposed),
    ("under review", Status::Proposed),
    ("under discussion", Status::Proposed),
    ("in discussion", Status::Proposed),
    ("for review", Status::Proposed),
    ("review", Status::Proposed),
    ("open", Status::Proposed),
    ("on hold", Status::Proposed),
    ("deferred", Status::Proposed),
    ("provisional", Status::Proposed),
    ("proposto", Status::Proposed),
    ("proposta", Status::Proposed),
    ("proposé", Status::Proposed),
    ("proposée", Status::Proposed),
    ("propuesto", Status::Proposed),
    ("vorgeschlagen", Status::Proposed),
    ("voorgesteld", Status::Proposed),
    ("提议", Status::Proposed),
    ("提議", Status::Proposed),
    ("提案", Status::Proposed),
    ("已提议", Status::Proposed),
    ("建议", Status::Proposed),
    ("待定", Status::Proposed),
    ("审核中", Status::Proposed),
    ("検討中", Status::Proposed),
    ("제안됨", Status::Proposed),
    ("제안", Status::Proposed),
    ("검토 중", Status::Proposed),
    // draft
    ("draft", Status::Draft),
    ("drafting", Status::Draft),
    ("wip", Status::Draft),
    ("work in progress", Status::Draft),
    ("in progress", Status::Draft),
    ("incomplete", Status::Draft),
    ("rascunho", Status::Draft),
    ("brouillon", Status::Draft),
    ("borrador", Status::Draft),
    ("entwurf", Status::Draft),
    ("bozza", Status::Draft),
    ("草稿", Status::Draft),
    ("草案", Status::Draft),
    ("下書き", Status::Draft),
    ("초안", Status::Draft),
    // rejected
    ("rejected", Status::Rejected),
    ("declined", Status::Rejected),
    ("withdrawn", Status::Rejected),
    ("abandoned", Status::Rejected),
    ("not accepted", Status::Rejected),
    ("refused", Status::Rejected),
    ("rejeitado", Status::Rejected),
    ("rejeté", Status::Rejected),
    ("rejetée", Status::Rejected),
    ("refusé", Status::Rejected),
    ("rechazado", Status::Rejected),
    ("abgelehnt", Status::Rejected),
    ("rifiutato", Status::Rejected),
    ("respinto", Status::Rejected),
    ("afgewezen", Status::Rejected),
    ("已拒绝", Status::Rejected),
    ("拒绝", Status::Rejected),
    ("否决", Status::Rejected),
    ("却下", Status::Rejected),
    ("거부됨", Status::Rejected),
    ("거부", Status::Rejected),
    ("반려", Status::Rejected),
    // deprecated
    ("deprecated", Status::Deprecated),
    ("obsolete", Status::Deprecated),
    ("obsoleted", Status::Deprecated),
    ("obsolète", Status::Deprecated),
    ("retired", Status::Deprecated),
    ("reverted", Status::Deprecated),
    ("archived", Status::Deprecated),
    ("no longer", Status::Deprecated),
    ("depreciado", Status::Deprecated),
    ("obsoleto", Status::Deprecated),
    ("veraltet", Status::Deprecated),
    ("deprecato", Status::Deprecated),
    ("verouderd", Status::Deprecated),
    ("已弃用", Status::Deprecated),
    ("弃用", Status::Deprecated),
    ("已废弃", Status::Deprecated),
    ("废弃", Status::Deprecated),
    ("已過時", Status::Deprecated),
    ("非推奨", Status::Deprecated),
    ("廃止", Status::Deprecated),
    ("폐기됨", Status::Deprecated),
    ("폐기", Status::Deprecated),
    ("사용 중단", Status::Deprecated),
    // superseded
    ("superseded", Status::Superseded),
    ("superceded", Status::Superseded),
    ("superseeded", Status::Superseded),
    ("replaced", Status::Superseded),
    ("remplacé", Status::Superseded),
    ("remplacée", Status::Superseded),
    ("substituído", Status::Superseded),
    ("substituido", Status::Superseded),
    ("reemplazado", Status::Superseded),
    ("ersetzt", Status::Superseded),
    ("abgelöst", Status::Superseded),
    ("sostituito", Status::Superseded),
    ("vervangen", Status::Superseded),
    ("已取代", Status::Superseded),
    ("已替代", Status::Superseded),
    ("被取代", Status::Superseded),
    ("被替代", Status::Superseded),
    ("已被取代", Status::Superseded),
    ("置き換え", Status::Superseded),
    ("置換", Status::Superseded),
    ("대체됨", Status::Superseded),
];

/// Words that may stand before a status word without changing it.
const STATUS_QUALIFIERS: &[&str] =
    &["partly", "partially", "in part", "status", "current", "now", "is", "was"];

fn strip_to_letters(s: &str) -> &str {
    let start = s.char_indices().find(|(_, c)| c.is_alphabetic()).map(|(i, _)| i).unwrap_or(s.len());
    &s[start..]
}

fn starts_with_word(hay: &str, word: &str) -> bool {
    // Chinese and Japanese write no space after a word (`通过了`): only other scripts need one.
    hay.starts_with(word)
        && (word.chars().last().is_some_and(is_cjk)
            || !hay[word.len()..].chars().next().is_some_and(char::is_alphanumeric))
}

/// Whether `c` is a Chinese, Japanese or Korean character (ideographs, kana, hangul).
pub fn is_cjk(c: char) -> bool {
    // One comparison for the letters of most texts.
    (c as u32) >= 0x3040
        && matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// The status word at the start of `s` (after emoji, punctuation, `:shortcodes:` and qualifiers
/// such as `partly`), with the length of lowercase text it used.
fn leading_status(s: &str) -> Option<Status> {
    let mut rest = strip_to_letters(s).to_lowercase();
    loop {
        let mut changed = false;
        for q in STATUS_QUALIFIERS {
            if starts_with_word(&rest, q) {
                rest = strip_to_letters(&rest[q.len()..]).to_string();
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    STATUS_WORDS.iter().find(|(w, _)| starts_with_word(&rest, w)).map(|(_, st)| *st).or_else(|| {
        // `Superceeded`, `Supperseded`: the misspellings of the word are many.
        MISSPELT_SUPERSEDED.is_match(&rest).then_some(Status::Superseded)
    })
}

static MISSPELT_SUPERSEDED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^sup{1,2}er(?:s|c|sc|ss)e{1,2}de{1,2}d\b").expect("valid regex"));

/// Read a status text such as `✅ Accepted`, `Superseded by [3. X](0003-x.md)`,
/// `accepted 2020-01-05`, `Partly superseded`, `:ok_hand: Accepted`.
pub fn parse_status(raw: &str) -> StatusWord {
    let text = raw.trim();
    // Emoji shortcodes (`:ok_hand:`) are decoration.
    let cleaned = SHORTCODE.replace_all(text, " ");
    let Some(status) = leading_status(&cleaned) else {
        return StatusWord { status: Status::Unknown, recognised: false, ambiguous: false };
    };
    // `Accepted or Rejected`, `Proposed / Accepted`: a template's choice list.
    let lower = cleaned.to_lowercase();
    let ambiguous = ALTERNATIVES.captures(&lower).is_some_and(|c| {
        let second = c.get(1).map(|m| m.as_str()).unwrap_or("");
        leading_status(second).is_some_and(|s2| s2 != status)
    });
    if ambiguous {
        return StatusWord { status: Status::Unknown, recognised: true, ambiguous: true };
    }
    StatusWord { status, recognised: true, ambiguous: false }
}

static SHORTCODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":[a-z0-9_+\-]+:").expect("valid regex"));
static ALTERNATIVES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\W*\w+\s*(?:\bor\b|\||/)\s*(\w[\w ]*)").expect("valid regex"));

/// A date found in a text, with a note when it had to be reinterpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// The date.
    pub date: Date,
    /// The matched text.
    pub matched: String,
    /// Set when the text was ambiguous or out of order (`2023-24-05`, `05/13/2020`).
    pub note: Option<String>,
}

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month_from_name(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let idx = MONTHS.iter().position(|m| lower.starts_with(m))?;
    let name_ok = full[idx].starts_with(lower.trim_end_matches('.')) || (idx == 8 && lower == "sept");
    name_ok.then_some(idx as u32 + 1)
}

fn year4(y: &str) -> Option<i32> {
    let n: i32 = y.parse().ok()?;
    match y.len() {
        2 => Some(if n < 70 { 2000 + n } else { 1900 + n }),
        4 => Some(n),
        _ => None,
    }
}

/// The date `y-mo-d`, or, when that is impossible, `y-d-mo` with a note saying the text was
/// read in the `swapped` order.
fn date_or_swapped(y: i32, mo: u32, d: u32, matched: &str, swapped: &str) -> Option<FoundDate> {
    match Date::from_ymd_opt(y, mo, d) {
        Some(date) => Some(FoundDate { date, matched: matched.into(), note: None }),
        None => Date::from_ymd_opt(y, d, mo).map(|date| FoundDate {
            date,
            matched: matched.into(),
            note: Some(format!("`{matched}` read as {swapped}")),
        }),
    }
}

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b").expect("valid regex"));
static DMY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})\b").expect("valid regex"));
static D_MON_Y: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)?[ \-]([A-Za-z]{3,9})\.?[ \-,]+(\d{4})\b").expect("valid regex")
});
static MON_D_Y: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b").expect("valid regex")
});
static Y_MON_D: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})[ \-/.]([A-Za-z]{3,9})\.?[ \-/.](\d{1,2})(?:st|nd|rd|th)?\b").expect("valid regex")
});
static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})(\d{2})(\d{2})\b").expect("valid regex"));

/// Find the first date in `s`: ISO `2016-02-12` (also `/` and `.`), `12/02/2016` (day first,
/// as UK and European trees write it; month first only when the day-first reading is
/// impossible), `12/02/16`, `12 March 2019`, `01-Aug-2023`, `March 12, 2019`, `2020-Nov-09`,
/// `2020 November 9`, `20160212`.
pub fn parse_date(s: &str) -> Option<FoundDate> {
    // Every reading needs at least four ASCII digits (`1/2/16`); status lines and prose
    // mostly have fewer, and five patterns set up for each of them cost more than this count.
    if s.bytes().filter(u8::is_ascii_digit).take(4).count() < 4 {
        return None;
    }
    let mut best: Option<(usize, FoundDate)> = None;
    let mut consider = |pos: usize, found: Option<FoundDate>| {
        if let Some(f) = found {
            if best.as_ref().is_none_or(|(p, _)| pos < *p) {
                best = Some((pos, f));
            }
        }
    };
    if let Some(c) = ISO.captures(s) {
        let m = c.get(0).expect("group 0");
        let (y, a, b) = (c[1].parse::<i32>().ok(), c[2].parse::<u32>().ok(), c[3].parse::<u32>().ok());
        let found = match (y, a, b) {
            (Some(y), Some(mo), Some(d)) => date_or_swapped(y, mo, d, m.as_str(), "year-day-month"),
            _ => None,
        };
        // Nothing comes before the start: the other patterns need not look.
        if m.start() == 0 && found.is_some() {
            return found;
        }
        consider(m.start(), found);
    }
    // Each pattern is only set up for capturing when it matches at all.
    for c in DMY.is_match(s).then(|| DMY.captures_iter(s)).into_iter().flatten() {
        let m = c.get(0).expect("group 0");
        // Skip the tail of an ISO date such as `2016-02-12`.
        if m.start() > 0 && s.as_bytes()[m.start() - 1].is_ascii_digit() {
            continue;
        }
        let (a, b, y) = (c[1].parse::<u32>().ok(), c[2].parse::<u32>().ok(), year4(&c[3]));
        let found = match (a, b, y) {
            (Some(d), Some(mo), Some(y)) => date_or_swapped(y, mo, d, m.as_str(), "month-day-year"),
            _ => None,
        };
        consider(m.start(), found);
        break;
    }
    // Month names: the first match of each order that is a real date. Groups (day, month, year).
    for (re, (gd, gm, gy)) in [(&*D_MON_Y, (1, 2, 3)), (&*MON_D_Y, (2, 1, 3)), (&*Y_MON_D, (3, 2, 1))] {
        for c in re.is_match(s).then(|| re.captures_iter(s)).into_iter().flatten() {
            let m = c.get(0).expect("group 0");
            let found = (|| {
                let d = c[gd].parse().ok()?;
                let mo = month_from_name(&c[gm])?;
                let y = c[gy].parse().ok()?;
                Date::from_ymd_opt(y, mo, d)
            })()
            .map(|date| FoundDate { date, matched: m.as_str().into(), note: None });
            if found.is_some() {
                consider(m.start(), found);
                break;
            }
        }
    }
    for c in COMPACT.is_match(s).then(|| COMPACT.captures_iter(s)).into_iter().flatten() {
        let m = c.get(0).expect("group 0");
        let found = (|| {
            let y: i32 = c[1].parse().ok()?;
            if !(1970..=2100).contains(&y) {
                return None;
            }
            Date::from_ymd_opt(y, c[2].parse().ok()?, c[3].parse().ok()?)
        })()
        .map(|date| FoundDate { date, matched: m.as_str().into(), note: None });
        if found.is_some() {
            consider(m.start(), found);
            break;
        }
    }
    best.map(|(_, f)| f)
}

/// Split a people list (`James (Platform Architect), Engineering Team`, `a; b`, `a and b`) into
/// names, keeping parenthesised roles with their name.
pub fn split_people(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '(' | '[' => {
                depth += 1;
                cur.push(ch);
            }
            ')' | ']' => {
                depth -= 1;
                cur.push(ch);
            }
            ',' | ';' if depth <= 0 => {
                out.push(std::mem::take(&mut cur));
            }
            _ => cur.push(ch),
        }
    }
    out.push(cur);
    let mut names = Vec::new();
    for part in out {
        // `a and b` as the last element of a list.
        for name in part.split(" and ") {
            let name = name.trim();
            if !name.is_empty() && !is_placeholder_value(name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Values that stand for "nothing": `n/a`, `none`, `TBD`, `-`, `~`.
pub fn is_placeholder_value(s: &str) -> bool {
    let t = s.trim();
    // A template's instruction left in place, wholly in brackets: `(put "N/A" unless this
    // replaces an existing RFC, then link to that RFC)`, `[link to the ADR]`, `{ADR id}`.
    let wrapped = [('(', ')'), ('[', ']'), ('{', '}'), ('<', '>')]
        .iter()
        .find_map(|(o, c)| t.strip_prefix(*o).and_then(|r| r.strip_suffix(*c)));
    if let Some(inner) = wrapped {
        if inner.split_whitespace().count() >= 3 || is_placeholder_value(inner) {
            return true;
        }
    }
    let t = t.trim_matches(['"', '\'', '`', '*', '_']);
    matches!(
        t.to_lowercase().as_str(),
        "" | "n/a"
            | "na"
            | "none"
            | "tbd"
            | "-"
            | "~"
            | "null"
            | "unknown"
            | "todo"
            | "?"
            | "nil"
            | "no"
            | "n.a."
    )
}

/// Compile this module's patterns now (see [`super::prepare`]).
pub fn prepare() {
    for re in [&SHORTCODE, &ALTERNATIVES, &ISO, &DMY, &D_MON_Y, &MON_D_Y, &Y_MON_D, &COMPACT] {
        LazyLock::force(re);
    }
    crate::names::prepare();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::number_from_name_by_patterns;

    fn st(s: &str) -> Status {
        parse_status(s).status
    }

    #[test]
    fn status_words() {
        assert_eq!(st("Accepted"), Status::Accepted);
        assert_eq!(st("ACCEPTED"), Status::Accepted);
        assert_eq!(st("accepted 2020-01-05"), Status::Accepted);
        assert_eq!(st("Accepted (refines ADR-0003)"), Status::Accepted);
        assert_eq!(st("✅ Accepted"), Status::Accepted);
        assert_eq!(st("🤔 Proposed"), Status::Proposed);
        assert_eq!(st("⌛️ Superseded by [036. Multi-cluster](036-multi-cluster.md)"), Status::Superseded);
        assert_eq!(st("Superceded by x"), Status::Superseded);
        assert_eq!(st("superseeded by x"), Status::Superseded);
        assert_eq!(st("Partly superseded"), Status::Superseded);
        assert_eq!(st("Deprecated (no superseding ADR)"), Status::Deprecated);
        assert_eq!(st("Withdrawn"), Status::Rejected);
        assert_eq!(st("Aceito"), Status::Accepted);
        assert_eq!(st("accepté"), Status::Accepted);
        assert_eq!(st("Accepted :ok_hand:"), Status::Accepted);
        assert_eq!(st(":white_check_mark: Accepted"), Status::Accepted);
        assert_eq!(st("In Review."), Status::Proposed);
        assert_eq!(st("on hold"), Status::Proposed);
        assert_eq!(st("Draft."), Status::Draft);
        assert_eq!(st("Implemented (moved to cosmos-sdk)"), Status::Accepted);
        assert_eq!(st("Reverted"), Status::Deprecated);
    }

    #[test]
    fn status_unknown_and_ambiguous() {
        let w = parse_status("Accepted or Rejected");
        assert!(w.ambiguous);
        assert_eq!(w.status, Status::Unknown);
        let w = parse_status("[Proposed | Accepted | Deprecated | Superseded]");
        assert!(w.ambiguous);
        let w = parse_status("Blorp");
        assert!(!w.recognised);
        assert_eq!(w.status, Status::Unknown);
        // `accepted` inside a word is not `accept`.
        assert_eq!(st("acceptance testing"), Status::Unknown);
    }

    fn d(s: &str) -> Option<String> {
        parse_date(s).map(|f| f.date.to_string())
    }

    #[test]
    fn date_formats() {
        assert_eq!(d("2016-02-12").as_deref(), Some("2016-02-12"));
        assert_eq!(d("12/02/2016").as_deref(), Some("2016-02-12"));
        assert_eq!(d("10/04/18").as_deref(), Some("2018-04-10"));
        assert_eq!(d("12 March 2019").as_deref(), Some("2019-03-12"));
        assert_eq!(d("01-Aug-2023").as_deref(), Some("2023-08-01"));
        assert_eq!(d("06-Jun-2001").as_deref(), Some("2001-06-06"));
        assert_eq!(d("March 12, 2019").as_deref(), Some("2019-03-12"));
        assert_eq!(d("2023-01-05 :ghost:").as_deref(), Some("2023-01-05"));
        assert_eq!(d("2026-08-11 (6 months)").as_deref(), Some("2026-08-11"));
        assert_eq!(d("20201016").as_deref(), Some("2020-10-16"));
        assert_eq!(d("YYYY-MM-DD"), None);
        assert_eq!(d("not a date"), None);
        assert_eq!(d("31-12-2022").as_deref(), Some("2022-12-31"));
    }

    #[test]
    fn reinterpreted_dates_have_notes() {
        let f = parse_date("2023-24-05").unwrap();
        assert_eq!(f.date.to_string(), "2023-05-24");
        assert!(f.note.is_some());
        let f = parse_date("05/13/2020").unwrap();
        assert_eq!(f.date.to_string(), "2020-05-13");
        assert!(f.note.is_some());
    }

    #[test]
    fn titles() {
        assert_eq!(clean_title("12. Help scripts"), ("Help scripts".into(), Some(12)));
        assert_eq!(
            clean_title("ADR-001: Use NATS for Event Bus"),
            ("Use NATS for Event Bus".into(), Some(1))
        );
        assert_eq!(clean_title("ADR 114: Undo 109"), ("Undo 109".into(), Some(114)));
        assert_eq!(clean_title("ADR004: Store form schemas"), ("Store form schemas".into(), Some(4)));
        assert_eq!(clean_title("Architecture Decision Record: Core Runtime"), ("Core Runtime".into(), None));
        assert_eq!(clean_title("Use Markdown"), ("Use Markdown".into(), None));
        assert_eq!(clean_title("[short title]"), ("short title".into(), None));
        assert_eq!(clean_title("2022 roadmap"), ("2022 roadmap".into(), None));
        assert_eq!(clean_title("KEP-2386: Kustomize"), ("Kustomize".into(), Some(2386)));
        assert_eq!(clean_title("ADR-12"), ("ADR-12".into(), None));
    }

    #[test]
    fn file_names() {
        assert_eq!(number_from_name("0012-x"), Some(12));
        // The quick reading agrees with the patterns on every name of these pieces.
        let pieces = ["", "0", "00", "1", "12", "0000", "2024", "202403", "1234567", "20201016", "0000000"];
        let seps = [
            "",
            "-",
            "_",
            " ",
            ".",
            "a",
            "-x",
            "-02-03",
            "-02-03-x",
            "-02-03.x",
            "-02-0",
            "-0٣-03",
            "-02-03\u{e9}",
            "٣",
            "\u{e9}",
            "9",
        ];
        for p in pieces {
            for q in seps {
                for r in ["", "7", "-12", "00001234567890"] {
                    let stem = format!("{p}{q}{r}");
                    assert_eq!(number_from_name(&stem), number_from_name_by_patterns(&stem), "{stem:?}");
                }
            }
        }
        for stem in
            ["20201016", "202010161200", "20201016120000", "20201016120000-x", "123456789012", "000000012-x"]
        {
            assert_eq!(number_from_name(stem), number_from_name_by_patterns(stem), "{stem:?}");
        }
        assert_eq!(number_from_name("ADR012-x"), Some(12));
        assert_eq!(number_from_name("adr-012-x"), Some(12));
        assert_eq!(number_from_name("583-coscheduling"), Some(583));
        assert_eq!(number_from_name("20201016-use-slug"), None);
        assert_eq!(number_from_name("2022-03-02-perf"), None);
        assert_eq!(number_from_name("use-slug"), None);
        assert_eq!(date_from_name("2022-03-02-perf").unwrap().to_string(), "2022-03-02");
        assert_eq!(date_from_name("20240603162604-x").unwrap().to_string(), "2024-06-03");
    }

    #[test]
    fn people() {
        assert_eq!(
            split_people("James (Platform Architect), Engineering Team"),
            vec!["James (Platform Architect)", "Engineering Team"]
        );
        assert_eq!(split_people("a, b and c"), vec!["a", "b", "c"]);
        assert!(split_people("n/a").is_empty());
    }

    #[test]
    fn ids_in_prose() {
        let ids: Vec<u32> =
            bare_ids("see ADR-004, ADR 3 and ADR025; ADRs 60 and 61").iter().map(|b| b.number).collect();
        assert_eq!(ids, vec![4, 3, 25, 60, 61]);
        assert!(bare_ids("PADRE 12").is_empty());
        assert_eq!(bare_ids("MADR 099")[0].number, 99);
    }
}

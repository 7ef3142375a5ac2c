//! The rules on one record's fields: title, status, dates, options, template text, number.

use super::*;
use crate::model::Status;

/// `missing-title`: the record has no title.
/// A title read from the file's name (see [`crate::parse::TITLE_FROM_FILE_NAME`]) is not one
/// the record writes.
pub(super) fn missing_title(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs.iter() {
        let from_name = a.title.is_some()
            && cx.diagnostics_of(&a.path).iter().any(|d| d.code == crate::parse::TITLE_FROM_FILE_NAME);
        if a.title.is_none() || from_name {
            out.push(a, 1, "the record has no title".into(), None, Some("add a `# Title` heading".into()));
        }
    }
}

/// `missing-status`: the record states no status.
pub(super) fn missing_status(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs.iter().filter(|a| a.status_raw.is_none() && a.status == Status::Unknown) {
        out.push(a, 1, "the record states no status".into(), None, None);
    }
}

/// `unknown-status`: the status word is not recognised; found on the line where the parser
/// reported it.
pub(super) fn unknown_status(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs.iter().filter(|a| a.status == Status::Unknown) {
        let Some(raw) = &a.status_raw else { continue };
        let line = cx
            .diagnostics_of(&a.path)
            .iter()
            .find(|d| matches!(d.code.as_str(), "unknown-status" | "ambiguous-status"))
            .map_or_else(|| status_line(a), |d| d.line);
        out.push(a, line, format!("status `{raw}` is not a recognised status"), Some(raw.clone()), None);
    }
}

/// `missing-date`: the record has no date, or one that cannot be read.
pub(super) fn missing_date(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs.iter().filter(|a| a.date.is_none()) {
        out.push(a, 1, "the record has no date that can be read".into(), a.date_raw.clone(), None);
    }
}

/// `review-overdue`: the review date has passed.
pub(super) fn review_overdue(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs {
        if let Some(r) = a.review_date.filter(|r| *r < cx.cfg.today) {
            out.push(a, 1, format!("review date {r} has passed"), a.review_date_raw.clone(), None);
        }
    }
}

/// `proposed-too-long`: a proposal open for longer than `proposed_max_days`.
pub(super) fn proposed_too_long(cx: &Ctx<'_>, out: &mut Out) {
    let max = cx.cfg.proposed_max_days;
    for a in cx.adrs.iter().filter(|a| a.status == Status::Proposed) {
        let Some(d) = a.date else { continue };
        if (cx.cfg.today - d).num_days() > max {
            out.push(
                a,
                status_line(a),
                format!("proposed since {d}, longer than the {max} days allowed"),
                None,
                None,
            );
        }
    }
}

/// `chosen-not-considered`: the chosen option is not among the considered options.
pub(super) fn chosen_not_considered(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs {
        let Some(chosen) = a.chosen_option() else { continue };
        if !a.options.is_empty() && !a.options.iter().any(|o| o.chosen) {
            let line = a.outcome.as_ref().map_or(1, |o| o.line);
            out.push(
                a,
                line,
                format!("chosen option `{chosen}` is not among the considered options"),
                Some(chosen.to_string()),
                None,
            );
        }
    }
}

/// `options-without-pros-cons`: several options, none argued.
pub(super) fn options_without_pros_cons(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs {
        if a.options.len() > 1
            && a.options.iter().all(|o| o.pros.is_empty() && o.cons.is_empty() && o.neutral.is_empty())
        {
            let line = a.options.first().map_or(1, |o| o.line);
            out.push(
                a,
                line,
                format!("{} options are listed without pros or cons", a.options.len()),
                None,
                None,
            );
        }
    }
}

/// `template-text`: the parser reports the first placeholder left in, with its line, outside
/// code (a placeholder in a code block or span is an example, not a leftover).
pub(super) fn template_text(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs {
        if let Some(d) = cx.diagnostics_of(&a.path).iter().find(|d| d.code == "template-text") {
            let mark = d.message.split('`').nth(1).map(str::to_string);
            out.push(a, d.line, d.message.clone(), mark, None);
        }
    }
}

/// `number-mismatch`: the file name and the title disagree on the number.
pub(super) fn number_mismatch(cx: &Ctx<'_>, out: &mut Out) {
    for a in cx.adrs {
        let file_number = crate::names::number_from_name(&a.slug);
        if let (Some(f), Some(n)) = (file_number, a.title_number) {
            if f != n {
                out.push(
                    a,
                    title_line_of(a),
                    format!("the file name says {f} but the title says {n}; the decision is number {f}"),
                    None,
                    None,
                );
            }
        }
    }
}

//! Human views of records and the tree: `list`, `show`, `stats`, diagnostics, skipped files,
//! graph figures.

use super::*;
use chrono::Datelike;

/// `adrgraph list`: one row per decision.
pub fn write_list(w: &mut dyn Write, adrs: &[&Adr]) -> io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    // Columns by display width (wide characters count two), as wide as the longest id: a long
    // id widens the column rather than pushing its row out of line.
    let ids: Vec<String> = adrs.iter().map(|a| clean(&a.id, false).into_owned()).collect();
    let id_w = ids.iter().map(|i| i.width()).max().unwrap_or(2).max(2);
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.width())));
    writeln!(w, "{BOLD}{}  {:<10}  {:<10}  TITLE{BOLD:#}", pad("ID", id_w), "STATUS", "DATE")?;
    for (a, id) in adrs.iter().zip(&ids) {
        let st = status_style(a.status);
        // The padding written as spaces after the id, the date as its digits: one formatted
        // write per row, no string of its own per cell.
        let gap = id_w.saturating_sub(id.width());
        let title = clean(a.display_title(), false);
        match a.date.filter(|d| (0..=9999).contains(&d.year())) {
            Some(d) => writeln!(
                w,
                "{id}{:gap$}  {st}{:<10}{st:#}  {:04}-{:02}-{:02}  {title}",
                "",
                a.status.as_str(),
                d.year(),
                d.month(),
                d.day()
            )?,
            None => {
                let date = a.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                writeln!(w, "{id}{:gap$}  {st}{:<10}{st:#}  {date:<10}  {title}", "", a.status.as_str())?
            }
        }
    }
    Ok(())
}

/// `adrgraph show`: the whole record.
pub fn write_show(w: &mut dyn Write, a: &Adr) -> io::Result<()> {
    write_show_fields(w, a)?;
    if let Some(c) = &a.context {
        block(w, "Context", c)?;
    }
    bullets(w, "Decision drivers", &a.decision_drivers, "-")?;
    if !a.options.is_empty() {
        write_show_options(w, &a.options)?;
    }
    if let Some(o) = &a.outcome {
        writeln!(w, "\n{BOLD}Decision outcome{BOLD:#}")?;
        if let Some(c) = &o.chosen {
            writeln!(w, "  chosen: {}", clean(c, false))?;
        }
        if let Some(r) = &o.rationale {
            for line in clean(r, true).lines() {
                writeln!(w, "  {line}")?;
            }
        }
    }
    if let Some(d) = &a.decision {
        block(w, "Decision", d)?;
    }
    bullets(w, "Positive consequences", &a.consequences.positive, "+")?;
    bullets(w, "Negative consequences", &a.consequences.negative, "-")?;
    bullets(w, "Neutral consequences", &a.consequences.neutral, "~")?;
    if let (Some(t), true) =
        (&a.consequences.text, a.consequences.positive.is_empty() && a.consequences.negative.is_empty())
    {
        block(w, "Consequences", t)?;
    }
    if !a.phases.is_empty() {
        write_show_phases(w, &a.phases)?;
    }
    bullets(w, "Validation criteria", &a.validation, "-")?;
    if !a.links.is_empty() {
        write_show_links(w, &a.links)?;
    }
    Ok(())
}

/// The short fields of `show`: title, number, status and its history, date, people, tags.
pub(super) fn write_show_fields(w: &mut dyn Write, a: &Adr) -> io::Result<()> {
    writeln!(w, "{BOLD}{}{BOLD:#}  {DIM}{}{DIM:#}", clean(&a.id, false), clean(&a.path, false))?;
    field(w, "Title", a.title.as_deref().unwrap_or("-"))?;
    if let Some(n) = a.number {
        field(w, "Number", &n.to_string())?;
    }
    let st = status_style(a.status);
    write!(w, "{BOLD}{:<16}{BOLD:#}{st}{}{st:#}", "Status", a.status)?;
    match &a.status_raw {
        Some(raw) => writeln!(w, "  {DIM}({}){DIM:#}", clean(raw, false))?,
        None => writeln!(w)?,
    }
    if a.status_history.len() > 1 {
        let hist: Vec<String> = a
            .status_history
            .iter()
            .map(|h| match h.date {
                Some(d) => format!("{} {d} (line {})", h.status, h.line),
                None => format!("{} (line {})", h.status, h.line),
            })
            .collect();
        field(w, "History", &hist.join(" -> "))?;
    }
    if let Some(d) = a.date {
        let src = a
            .date_source
            .map(|s| {
                format!(
                    " (from {})",
                    serde_json::to_value(s)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        field(w, "Date", &format!("{d}{src}"))?;
    }
    for (name, list) in
        [("Deciders", &a.deciders), ("Consulted", &a.consulted), ("Informed", &a.informed), ("Tags", &a.tags)]
    {
        if !list.is_empty() {
            field(w, name, &list.join(", "))?;
        }
    }
    if let Some(t) = &a.technical_story {
        field(w, "Technical story", t)?;
    }
    field(w, "Dialect", a.dialect.as_str())?;
    if let Some(r) = a.review_date {
        field(w, "Review date", &r.to_string())?;
    }
    Ok(())
}

/// The considered options of `show`, the chosen one marked, with their arguments.
pub(super) fn write_show_options(
    w: &mut dyn Write,
    options: &[crate::model::ConsideredOption],
) -> io::Result<()> {
    writeln!(w, "\n{BOLD}Considered options{BOLD:#}")?;
    for o in options {
        let mark = if o.chosen { "*" } else { "-" };
        let chosen = if o.chosen {
            format!("  {}(chosen){:#}", status_style(Status::Accepted), status_style(Status::Accepted))
        } else {
            String::new()
        };
        writeln!(w, "  {mark} {}{chosen}", clean(&o.title, false))?;
        if let Some(d) = &o.description {
            for line in clean(d, true).lines() {
                writeln!(w, "      {DIM}{line}{DIM:#}")?;
            }
        }
        for p in &o.pros {
            writeln!(w, "      + {}", clean(p, false))?;
        }
        for c in &o.cons {
            writeln!(w, "      - {}", clean(c, false))?;
        }
        for n in &o.neutral {
            writeln!(w, "      ~ {}", clean(n, false))?;
        }
        if let Some(c) = &o.cost {
            writeln!(w, "      cost/effort: {}", clean(c, false))?;
        }
        if let Some(r) = &o.risk {
            writeln!(w, "      risk: {}", clean(r, false))?;
        }
    }
    Ok(())
}

/// The implementation phases of `show`.
pub(super) fn write_show_phases(w: &mut dyn Write, phases: &[crate::model::Phase]) -> io::Result<()> {
    writeln!(w, "\n{BOLD}Implementation phases{BOLD:#}")?;
    for (i, p) in phases.iter().enumerate() {
        let tl =
            p.timeline.as_deref().map(|t| format!("  {DIM}({}){DIM:#}", clean(t, false))).unwrap_or_default();
        writeln!(w, "  {}. {}{tl}", i + 1, clean(&p.name, false))?;
        for d in &p.deliverables {
            writeln!(w, "       - {}", clean(d, false))?;
        }
    }
    Ok(())
}

/// The links of `show`, as written.
pub(super) fn write_show_links(w: &mut dyn Write, links: &[crate::model::Link]) -> io::Result<()> {
    writeln!(w, "\n{BOLD}Links{BOLD:#}")?;
    for l in links {
        let kind = match &l.label {
            Some(label) => format!("{} ({label})", l.kind),
            None => l.kind.to_string(),
        };
        let q = l.qualifier.as_deref().map(|q| format!(" [{q}]")).unwrap_or_default();
        writeln!(
            w,
            "  {kind:<14} {} {DIM}\"{}\" line {}{q}{DIM:#}",
            clean(&l.target, false),
            clean(&l.text, false),
            l.line
        )?;
    }
    Ok(())
}

/// `adrgraph stats`: the figures as a small report.
pub fn write_stats(w: &mut dyn Write, s: &Stats) -> io::Result<()> {
    writeln!(
        w,
        "{BOLD}Roots{BOLD:#}          {}",
        s.roots.iter().map(|r| clean(r, false)).collect::<Vec<_>>().join(", ")
    )?;
    writeln!(w, "{BOLD}Files seen{BOLD:#}     {}", s.files_seen)?;
    writeln!(w, "{BOLD}Decisions{BOLD:#}      {}", s.decisions)?;
    writeln!(w, "{BOLD}Skipped{BOLD:#}        {}", s.skipped)?;
    for (k, v) in &s.skipped_by_reason {
        writeln!(w, "  {k:<20} {v:>6}")?;
    }
    writeln!(w, "\n{BOLD}By dialect{BOLD:#}")?;
    for (k, v) in &s.by_dialect {
        writeln!(w, "  {k:<20} {v:>6}")?;
    }
    writeln!(w, "\n{BOLD}By status{BOLD:#}")?;
    for st in Status::ALL {
        if let Some(v) = s.by_status.get(st.as_str()) {
            let style = status_style(st);
            writeln!(w, "  {style}{:<20}{style:#} {v:>6}", st.as_str())?;
        }
    }
    writeln!(w, "\n{BOLD}Fields{BOLD:#}               have  of {}", s.decisions)?;
    for f in FIELDS {
        let v = s.fields.get(*f).copied().unwrap_or(0);
        let pct = if s.decisions == 0 { 0.0 } else { 100.0 * v as f64 / s.decisions as f64 };
        writeln!(w, "  {f:<20} {v:>6}  {pct:5.1}%")?;
    }
    if !s.links_by_kind.is_empty() {
        writeln!(w, "\n{BOLD}Links by kind{BOLD:#}")?;
        for (k, v) in &s.links_by_kind {
            writeln!(w, "  {k:<20} {v:>6}")?;
        }
    }
    writeln!(w, "\n{BOLD}Diagnostics{BOLD:#}    {}", s.diagnostics)?;
    for (k, v) in &s.diagnostics_by_code {
        writeln!(w, "  {k:<20} {v:>6}")?;
    }
    Ok(())
}

/// Write every diagnostic of the corpus, one per line (`path:line: severity[code]: message`).
pub fn write_diagnostics(w: &mut dyn Write, corpus: &Corpus) -> io::Result<()> {
    for d in &corpus.diagnostics {
        let style = match d.severity {
            crate::model::Severity::Error => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            crate::model::Severity::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
            crate::model::Severity::Note => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        };
        let loc = if d.line > 0 { format!("{}:{}", d.path, d.line) } else { d.path.clone() };
        writeln!(
            w,
            "{}: {style}{}[{}]{style:#}: {}",
            clean(&loc, false),
            d.severity,
            d.code,
            clean(&d.message, false)
        )?;
    }
    Ok(())
}

/// The graph part of `adrgraph stats`.
pub fn write_graph_stats(w: &mut dyn Write, g: &crate::graph::GraphStats) -> io::Result<()> {
    writeln!(w, "\n{BOLD}Graph{BOLD:#}")?;
    for (k, v) in &g.nodes {
        writeln!(w, "  {:<20} {v:>6}", format!("{k} nodes"))?;
    }
    for (k, v) in &g.edges {
        writeln!(w, "  {:<20} {v:>6}", format!("{k} edges"))?;
    }
    writeln!(w, "\n{BOLD}Links resolved to{BOLD:#}")?;
    for (k, v) in &g.links {
        writeln!(w, "  {k:<20} {v:>6}")?;
    }
    writeln!(w, "  {:<20} {:>6}", "broken (all)", g.broken_links)?;
    writeln!(w, "  {:<20} {:>6}", "supersession cycles", g.supersession_cycles)?;
    writeln!(w, "  {:<20} {:>6}", "components", g.components)?;
    writeln!(w, "  {:<20} {:>6}", "isolated decisions", g.isolated_decisions)?;
    Ok(())
}

/// Which files were not read as decisions, and why: every markdown file skipped (a template, a
/// README, a table of contents...), at most `MAX` per reason; files that are not markdown and
/// sidecar metadata are only counted, in the figures above.
pub fn write_skipped(w: &mut dyn Write, skipped: &[crate::ingest::Skipped]) -> io::Result<()> {
    use crate::ingest::SkipReason;
    const MAX: usize = 20;
    let mut by_reason: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for s in skipped.iter().filter(|s| !matches!(s.reason, SkipReason::NotMarkdown | SkipReason::Metadata)) {
        by_reason.entry(s.reason.as_str()).or_default().push(&s.path);
    }
    if by_reason.is_empty() {
        return Ok(());
    }
    writeln!(w, "\n{BOLD}Not read as decisions{BOLD:#}")?;
    for (reason, paths) in by_reason {
        for p in paths.iter().take(MAX) {
            writeln!(w, "  {:<20} {}", reason, clean(p, false))?;
        }
        if paths.len() > MAX {
            writeln!(w, "  {:<20} ... and {} more (--json lists every one)", reason, paths.len() - MAX)?;
        }
    }
    Ok(())
}

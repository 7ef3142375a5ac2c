//! Human views (tables, records, figures) and JSON views of results, written to any
//! [`std::io::Write`].
//!
//! Human output is styled with ANSI colours; the binary writes through `anstream`, which strips
//! them when `NO_COLOR` is set, when `--color never` is given or when the output is not a
//! terminal. Text that comes from ADR files is passed through [`clean`] first, so a title cannot
//! move the cursor or change the terminal's state.

use crate::ingest::Corpus;
use crate::model::{Adr, Status};
use crate::stats::{Stats, FIELDS};
use anstyle::{AnsiColor, Style};
use serde::Serialize;
use std::io::{self, Write};

/// Remove terminal control characters (ESC, BEL, backspace, C1 controls, ...) from text that
/// came from a file; tabs become spaces and line breaks become ` ` unless `keep_newlines`.
pub fn clean(s: &str, keep_newlines: bool) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' if keep_newlines => Some('\n'),
            '\n' | '\r' | '\t' => Some(' '),
            c if crate::escape::is_forbidden(c) => None,
            c => Some(c),
        })
        .collect()
}

/// The style of a status.
pub fn status_style(s: Status) -> Style {
    let color = match s {
        Status::Accepted => AnsiColor::Green,
        Status::Proposed => AnsiColor::Yellow,
        Status::Draft => AnsiColor::Cyan,
        Status::Rejected => AnsiColor::Red,
        Status::Deprecated | Status::Superseded => AnsiColor::BrightBlack,
        Status::Unknown => AnsiColor::Magenta,
    };
    Style::new().fg_color(Some(color.into()))
}

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

/// One row of `adrgraph list --json`.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow<'a> {
    /// Unique id.
    pub id: &'a str,
    /// Path as the user would type it.
    pub path: &'a str,
    /// Title, or null.
    pub title: Option<&'a str>,
    /// Number, or null.
    pub number: Option<u32>,
    /// Normalised status.
    pub status: Status,
    /// Status as written, or null.
    pub status_raw: Option<&'a str>,
    /// ISO date, or null.
    pub date: Option<crate::model::Date>,
    /// Deciders.
    pub deciders: &'a [String],
    /// Tags.
    pub tags: &'a [String],
    /// Dialect.
    pub dialect: crate::model::Dialect,
    /// Links.
    pub links: &'a [crate::model::Link],
}

impl<'a> From<&'a Adr> for ListRow<'a> {
    fn from(a: &'a Adr) -> Self {
        ListRow {
            id: &a.id,
            path: &a.path,
            title: a.title.as_deref(),
            number: a.number,
            status: a.status,
            status_raw: a.status_raw.as_deref(),
            date: a.date,
            deciders: &a.deciders,
            tags: &a.tags,
            dialect: a.dialect,
            links: &a.links,
        }
    }
}

/// Write any serializable value as pretty JSON with a trailing newline.
pub fn write_json<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    // Through a buffer of its own: no call through `dyn Write` per token, and no copy of the
    // whole answer in memory (the impact of an early decision in 100,000 is 5.4 MB of JSON,
    // and growing that copy cost a third of the command in page faults).
    let mut buf = io::BufWriter::with_capacity(1 << 16, w);
    encode_json(&mut buf, value)?;
    buf.flush()
}

/// `value` as pretty JSON with a final newline, escaped like [`write_json`].
pub fn json_bytes<T: Serialize + ?Sized>(value: &T) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_json(&mut out, value)?;
    Ok(out)
}

/// The one JSON encoding of both: pretty, escaped by [`SafeFormatter`], a final newline.
fn encode_json<W: Write, T: Serialize + ?Sized>(mut w: W, value: &T) -> io::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut w, SafeFormatter::default()))?;
    w.write_all(b"\n")
}

/// Whether JSON text should carry `c` as a `\uXXXX` escape although JSON allows it raw: C1
/// controls (a terminal may act on them when the JSON is printed), the line and paragraph
/// separators (which end a JavaScript string) and the bidirectional overrides (which make text
/// read differently from what it is). Decoding gives the same text back.
fn json_escape_extra(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// serde_json's pretty formatter, escaping also what [`json_escape_extra`] names.
#[derive(Default)]
struct SafeFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        // Every character escaped here is outside ASCII.
        if fragment.is_ascii() {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if json_escape_extra(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `adrgraph list`: one row per decision.
pub fn write_list(w: &mut dyn Write, adrs: &[&Adr]) -> io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    // Columns by display width (wide characters count two), as wide as the longest id: a long
    // id widens the column rather than pushing its row out of line.
    let ids: Vec<String> = adrs.iter().map(|a| clean(&a.id, false)).collect();
    let id_w = ids.iter().map(|i| i.width()).max().unwrap_or(2).max(2);
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.width())));
    writeln!(w, "{BOLD}{}  {:<10}  {:<10}  TITLE{BOLD:#}", pad("ID", id_w), "STATUS", "DATE")?;
    for (a, id) in adrs.iter().zip(&ids) {
        let date = a.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        let st = status_style(a.status);
        writeln!(
            w,
            "{}  {st}{:<10}{st:#}  {:<10}  {}",
            pad(id, id_w),
            a.status.as_str(),
            date,
            clean(a.display_title(), false)
        )?;
    }
    Ok(())
}

fn field(w: &mut dyn Write, name: &str, value: &str) -> io::Result<()> {
    writeln!(w, "{BOLD}{name:<16}{BOLD:#}{}", clean(value, false))
}

fn block(w: &mut dyn Write, heading: &str, text: &str) -> io::Result<()> {
    writeln!(w, "\n{BOLD}{heading}{BOLD:#}")?;
    for line in clean(text, true).lines() {
        writeln!(w, "  {line}")?;
    }
    Ok(())
}

fn bullets(w: &mut dyn Write, heading: &str, items: &[String], mark: &str) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(w, "\n{BOLD}{heading}{BOLD:#}")?;
    for i in items {
        writeln!(w, "  {mark} {}", clean(i, false))?;
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
fn write_show_fields(w: &mut dyn Write, a: &Adr) -> io::Result<()> {
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
fn write_show_options(w: &mut dyn Write, options: &[crate::model::ConsideredOption]) -> io::Result<()> {
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
fn write_show_phases(w: &mut dyn Write, phases: &[crate::model::Phase]) -> io::Result<()> {
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
fn write_show_links(w: &mut dyn Write, links: &[crate::model::Link]) -> io::Result<()> {
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

/// `adrgraph search`: hits with their snippets, matched terms in bold.
pub fn write_hits(w: &mut dyn Write, r: &crate::search::SearchResult) -> io::Result<()> {
    writeln!(
        w,
        "{BOLD}{} hit(s) for {}{BOLD:#}{}",
        r.total,
        clean(&r.query, false),
        if r.total > r.hits.len() { format!(" (showing {})", r.hits.len()) } else { String::new() }
    )?;
    for h in &r.hits {
        let st = status_style(h.status);
        let date = h.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        writeln!(
            w,
            "\n{BOLD}{}{BOLD:#}  {st}{}{st:#}  {date}  {DIM}score {:.2}{DIM:#}",
            clean(&h.title, false),
            h.status.as_str(),
            h.score
        )?;
        writeln!(w, "  {DIM}{}  {}{DIM:#}", clean(&h.id, false), clean(&h.path, false))?;
        if !h.in_force.is_empty() {
            writeln!(
                w,
                "  {st}superseded; in force now: {}{st:#}",
                h.in_force.iter().map(|i| clean(i, false)).collect::<Vec<_>>().join(", ")
            )?;
        }
        let mut line = String::new();
        let mut at = 0;
        for &(s, e) in &h.highlights {
            if s < at
                || e > h.snippet.len()
                || !h.snippet.is_char_boundary(s)
                || !h.snippet.is_char_boundary(e)
            {
                continue;
            }
            line.push_str(&clean(&h.snippet[at..s], false));
            line.push_str(&format!("{BOLD}{}{BOLD:#}", clean(&h.snippet[s..e], false)));
            at = e;
        }
        line.push_str(&clean(&h.snippet[at..], false));
        writeln!(w, "  {line}")?;
    }
    Ok(())
}

/// Human form of one explanation path: `a --amends--> b --references--> c`.
pub fn format_steps(steps: &[crate::query::Step]) -> String {
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        if i == 0 {
            out.push_str(&clean(&s.from, false));
        }
        let kind = match (&s.label, &s.qualifier) {
            (Some(l), _) => l.to_lowercase().replace(' ', "-"),
            (None, Some(q)) => format!("{} ({q})", s.kind.as_str()),
            (None, None) => s.kind.as_str().to_string(),
        };
        out.push_str(&format!(" --{kind}--> {}", clean(&s.to, false)));
    }
    out
}

/// `adrgraph impact` / `adrgraph deps`.
pub fn write_walk(w: &mut dyn Write, walk: &crate::query::Walk, what: &str) -> io::Result<()> {
    let depth = walk.depth.map(|d| format!(" (depth {d})")).unwrap_or_default();
    writeln!(
        w,
        "{BOLD}{what} {}{depth}: {} decision(s){BOLD:#}",
        clean(&walk.start, false),
        walk.reached.len()
    )?;
    if walk.reached.is_empty() {
        return Ok(());
    }
    let id_w = walk.reached.iter().map(|r| r.id.chars().count()).max().unwrap_or(2).clamp(2, 64);
    writeln!(w, "{BOLD}{:>4}  {:<10}  {:<id_w$}  TITLE{BOLD:#}", "DIST", "STATUS", "ID")?;
    for r in &walk.reached {
        let st = status_style(r.status);
        writeln!(
            w,
            "{:>4}  {st}{:<10}{st:#}  {:<id_w$}  {}",
            r.distance,
            r.status.as_str(),
            clean(&r.id, false),
            clean(&r.title, false)
        )?;
        // Where the link that touches this decision is written.
        let near = if what.starts_with("Impact") { r.via.first() } else { r.via.last() };
        let whence = near
            .map(|s| format!("  {DIM}({}:{}){DIM:#}", clean(&s.written_in, false), s.line))
            .unwrap_or_default();
        writeln!(w, "      {DIM}via{DIM:#} {}{whence}", format_steps(&r.via))?;
    }
    Ok(())
}

/// `adrgraph chain`.
pub fn write_chain(w: &mut dyn Write, c: &crate::query::Chain) -> io::Result<()> {
    writeln!(w, "{BOLD}Supersession chain through {} (oldest first){BOLD:#}", clean(&c.start, false))?;
    let id_w = c.members.iter().map(|m| m.id.chars().count()).max().unwrap_or(2).clamp(2, 64);
    for m in &c.members {
        let st = status_style(m.status);
        let date = m.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        let mark = if c.in_force.contains(&m.id) {
            "  <- in force"
        } else if c.in_part.contains(&m.id) {
            "  <- in force in part"
        } else {
            ""
        };
        writeln!(
            w,
            "  {:<id_w$}  {st}{:<10}{st:#}  {:<10}  {}{BOLD}{mark}{BOLD:#}",
            clean(&m.id, false),
            m.status.as_str(),
            date,
            clean(&m.title, false)
        )?;
    }
    if let Some(cycle) = &c.cycle {
        writeln!(
            w,
            "{}warning{:#}: supersession cycle between {}",
            status_style(Status::Rejected),
            status_style(Status::Rejected),
            cycle.iter().map(|i| clean(i, false)).collect::<Vec<_>>().join(", ")
        )?;
    }
    match (c.in_force.is_empty(), c.members.len()) {
        (true, _) => writeln!(w, "In force now: none (no accepted decision left in this chain)")?,
        (false, _) => writeln!(
            w,
            "In force now: {}",
            c.in_force.iter().map(|i| clean(i, false)).collect::<Vec<_>>().join(", ")
        )?,
    }
    Ok(())
}

/// `adrgraph path`.
pub fn write_path(w: &mut dyn Write, steps: &[crate::query::Step]) -> io::Result<()> {
    writeln!(w, "{BOLD}{} link(s){BOLD:#}", steps.len())?;
    for s in steps {
        let kind = s.label.clone().unwrap_or_else(|| s.kind.as_str().to_string());
        writeln!(
            w,
            "  {} --{kind}--> {}  {DIM}({}:{}){DIM:#}",
            clean(&s.from, false),
            clean(&s.to, false),
            clean(&s.written_in, false),
            s.line
        )?;
    }
    Ok(())
}

/// `adrgraph option`.
pub fn write_options(w: &mut dyn Write, reports: &[crate::query::OptionReport]) -> io::Result<()> {
    for r in reports {
        let chosen = r.decisions.iter().filter(|d| d.chosen).count();
        writeln!(
            w,
            "{BOLD}{}{BOLD:#}  considered in {}, chosen in {}",
            clean(&r.title, false),
            r.decisions.len(),
            chosen
        )?;
        for d in &r.decisions {
            let verdict = if d.chosen { "chosen    " } else { "considered" };
            let st = status_style(d.status);
            writeln!(
                w,
                "  {verdict}  {st}{:<10}{st:#}  {}  {DIM}{}{DIM:#}",
                d.status.as_str(),
                clean(&d.id, false),
                clean(&d.title, false)
            )?;
        }
    }
    Ok(())
}

/// The decision links of one decision, for `adrgraph show`.
pub fn write_edges(w: &mut dyn Write, edges: &[(petgraph::Direction, crate::query::Step)]) -> io::Result<()> {
    if edges.is_empty() {
        return Ok(());
    }
    writeln!(w, "\n{BOLD}Graph edges{BOLD:#}")?;
    for (dir, s) in edges {
        let kind = s.label.clone().unwrap_or_else(|| s.kind.as_str().to_string());
        let q = s.qualifier.as_deref().map(|q| format!(" [{q}]")).unwrap_or_default();
        match dir {
            petgraph::Direction::Outgoing => writeln!(w, "  -> {kind}{q} {}", clean(&s.to, false))?,
            petgraph::Direction::Incoming => writeln!(w, "  <- {} {kind}{q} this", clean(&s.from, false))?,
        }
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

/// `adrgraph lint` in the human format: `path:line:col: level[code]: message`, the source line
/// with the offending part marked, and any help. `source` gives a file's line by path and
/// 1-based number.
pub fn write_findings(
    w: &mut dyn Write,
    findings: &[crate::lint::Finding],
    source: &mut dyn FnMut(&str, u32) -> Option<String>,
) -> io::Result<()> {
    use crate::lint::Level;
    for f in findings {
        let style = match f.level {
            Level::Error => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            Level::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
            _ => Style::new().fg_color(Some(AnsiColor::Cyan.into())).bold(),
        };
        let blue = Style::new().fg_color(Some(AnsiColor::Blue.into())).bold();
        writeln!(
            w,
            "{BOLD}{}:{}:{}{BOLD:#}: {style}{}[{}]{style:#}: {}",
            clean(&f.path, false),
            f.line,
            f.col,
            f.level.as_str(),
            f.code,
            clean(&f.message, false)
        )?;
        if let Some(line) = source(&f.path, f.line) {
            let (text, start, len) = excerpt(&clean(&line, false), f.col, f.mark.as_deref());
            let num = f.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(w, " {blue}{num} |{blue:#} {text}")?;
            writeln!(w, " {blue}{pad} |{blue:#} {}{style}{}{style:#}", " ".repeat(start), "^".repeat(len))?;
        }
        if let Some(h) = &f.help {
            writeln!(
                w,
                " {} = {BOLD}help{BOLD:#}: {}",
                " ".repeat(f.line.to_string().len()),
                clean(h, false)
            )?;
        }
    }
    let count = |l: Level| findings.iter().filter(|f| f.level == l).count();
    let files: std::collections::BTreeSet<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    writeln!(
        w,
        "{} error(s), {} warning(s), {} note(s) in {} file(s)",
        count(Level::Error),
        count(Level::Warning),
        count(Level::Note),
        files.len()
    )
}

/// Most characters of a source line quoted under a finding, and most carets under it.
const QUOTE_WIDTH: usize = 120;
const MARK_WIDTH: usize = 60;

/// The part of a (cleaned) source line to quote under a finding at 1-based column `col`, with
/// the start and length of the carets in characters of what is quoted: the whole line when it is
/// short, else a window of at most [`QUOTE_WIDTH`] characters around the mark with `…` where it
/// was cut. The carets cover the mark (at most [`MARK_WIDTH`]), or the line's text when there is
/// no mark on it.
fn excerpt(text: &str, col: u32, mark: Option<&str>) -> (String, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
    let start = (col.max(1) as usize - 1).min(chars.len());
    let mark_len = mark.map(|m| m.chars().count()).filter(|&n| n > 0);
    let len = match mark_len {
        Some(n) if text.chars().skip(start).take(n).eq(mark.unwrap_or("").chars()) => n,
        _ if start == lead => chars.len().saturating_sub(lead).max(1),
        _ => 1,
    };
    let len = len.min(MARK_WIDTH);
    if chars.len() <= QUOTE_WIDTH {
        return (text.to_string(), start, len);
    }
    // A window that starts a little before the mark.
    let from = start.saturating_sub(20).min(chars.len().saturating_sub(QUOTE_WIDTH));
    let to = (from + QUOTE_WIDTH).min(chars.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(&chars[from..to]);
    if to < chars.len() {
        out.push('…');
    }
    let shift = usize::from(from > 0);
    (out, start - from + shift, len.min(to.saturating_sub(start)).max(1))
}

/// GitHub Actions workflow commands: `::error file=..,line=..,col=..,title=code::message`.
pub fn write_github(w: &mut dyn Write, findings: &[crate::lint::Finding]) -> io::Result<()> {
    // Workflow-command syntax escaped, so that no title or file name can end the command or
    // start another: `%`, CR and LF in the message, also `:` and `,` in properties; `::` never
    // stands in a message. Terminal controls are dropped from both.
    fn data(s: &str) -> String {
        s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A").replace("::", ": :")
    }
    fn prop(s: &str) -> String {
        clean(s, false).replace('%', "%25").replace(':', "%3A").replace(',', "%2C")
    }
    for f in findings {
        let kind = match f.level {
            crate::lint::Level::Error => "error",
            crate::lint::Level::Warning => "warning",
            _ => "notice",
        };
        let msg = match &f.help {
            Some(h) => format!("{}\n{h}", f.message),
            None => f.message.clone(),
        };
        writeln!(
            w,
            "::{kind} file={},line={},col={},title={}::{}",
            prop(&f.path),
            f.line,
            f.col,
            prop(&f.code),
            data(&clean(&msg, true))
        )?;
    }
    Ok(())
}

/// SARIF 2.1.0, for code scanning.
pub fn sarif(findings: &[crate::lint::Finding]) -> serde_json::Value {
    use crate::lint::{Level, RULES};
    let level = |l: Level| match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
        Level::Off => "none",
    };
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.code,
                "name": r.code,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.explain},
                "defaultConfiguration": {"level": level(r.level)},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let text = match &f.help {
                Some(h) => format!("{} ({h})", f.message),
                None => f.message.clone(),
            };
            serde_json::json!({
                "ruleId": f.code,
                "ruleIndex": RULES.iter().position(|r| r.code == f.code).unwrap_or(0),
                "level": level(f.level),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": crate::escape::uri_path(&f.path)},
                        "region": {"startLine": f.line, "startColumn": f.col},
                    }
                }],
            })
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "adrgraph",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_a_terminal_or_javascript_would_act_on() {
        let text = "a\u{1b}[31m \u{9b}1m \u{2028} \u{202e}x \u{1F680} é \"q\" \\";
        let out = String::from_utf8(json_bytes(&text).unwrap()).unwrap();
        assert_eq!(out, "\"a\\u001b[31m \\u009b1m \\u2028 \\u202ex \u{1F680} é \\\"q\\\" \\\\\"\n");
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
        let nested = serde_json::json!({"k\u{9b}": ["\u{2029}"], "n": 1});
        let back: serde_json::Value = serde_json::from_slice(&json_bytes(&nested).unwrap()).unwrap();
        assert_eq!(back, nested);
    }

    #[test]
    fn long_lines_are_quoted_as_a_window_and_long_marks_capped() {
        let line = format!("{}[x](0001-a.md){}", "a ".repeat(400), " b".repeat(400));
        let col = 802;
        let (text, start, len) = excerpt(&line, col, Some("x"));
        assert!(text.chars().count() <= QUOTE_WIDTH + 2, "{}", text.len());
        assert_eq!(text.chars().nth(start), Some('x'), "{text}");
        assert_eq!(len, 1);
        let (_, _, len) = excerpt(&"y".repeat(500), 1, Some(&"y".repeat(500)));
        assert_eq!(len, MARK_WIDTH);
        let (text, start, len) = excerpt("  short line", 3, None);
        assert_eq!((text.as_str(), start, len), ("  short line", 2, 10));
    }

    #[test]
    fn clean_strips_controls() {
        assert_eq!(clean("a\x1b[31mred\x07\u{202E}b", false), "a[31mredb");
        assert_eq!(clean("a\nb", true), "a\nb");
        assert_eq!(clean("a\nb", false), "a b");
    }
}

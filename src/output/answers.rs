//! Human views of answers: search hits, impact and dependency walks, chains, paths, option
//! usage, a record's edges.

use super::*;

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
    let mut out = Vec::new();
    // Writing into a vector cannot fail; what is written is UTF-8 (`str`s and formatting).
    let _ = write_steps(&mut out, steps);
    String::from_utf8_lossy(&out).into_owned()
}

/// [`format_steps`] written to `w` as it goes (an `impact` of 999 decisions built some 4,000
/// strings for it).
fn write_steps(w: &mut dyn Write, steps: &[crate::query::Step]) -> io::Result<()> {
    for (i, s) in steps.iter().enumerate() {
        if i == 0 {
            w.write_all(clean(&s.from, false).as_bytes())?;
        }
        match (&s.label, &s.qualifier) {
            (Some(l), _) => write!(w, " --{}--> ", l.to_lowercase().replace(' ', "-"))?,
            (None, Some(q)) => write!(w, " --{} ({q})--> ", s.kind.as_str())?,
            (None, None) => write!(w, " --{}--> ", s.kind.as_str())?,
        }
        w.write_all(clean(&s.to, false).as_bytes())?;
    }
    Ok(())
}

/// `adrgraph impact` / `adrgraph deps`.
pub fn write_walk(w: &mut dyn Write, walk: &crate::query::Walk, what: &str) -> io::Result<()> {
    let depth = walk.depth.map(|d| format!(" (depth {d})")).unwrap_or_default();
    let shown = match walk.reached.len() {
        n if n < walk.total => format!(", the first {n} listed"),
        _ => String::new(),
    };
    writeln!(
        w,
        "{BOLD}{what} {}{depth}: {} decision(s){shown}{BOLD:#}",
        clean(&walk.start, false),
        walk.total
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
        write!(w, "      {DIM}via{DIM:#} ")?;
        write_steps(w, &r.via)?;
        match near {
            Some(s) => writeln!(w, "  {DIM}({}:{}){DIM:#}", clean(&s.written_in, false), s.line)?,
            None => writeln!(w)?,
        }
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
    let when = match c.on {
        Some(d) => format!("on {d}"),
        None => "now".to_string(),
    };
    match (c.in_force.is_empty(), c.members.len()) {
        (true, _) => writeln!(w, "In force {when}: none (no accepted decision left in this chain)")?,
        (false, _) => writeln!(
            w,
            "In force {when}: {}",
            c.in_force.iter().map(|i| clean(i, false)).collect::<Vec<_>>().join(", ")
        )?,
    }
    if !c.basis.is_empty() {
        writeln!(w, "From the records' own dates:")?;
        for b in &c.basis {
            writeln!(w, "  {}", clean(b, false))?;
        }
    }
    Ok(())
}

/// `list --in-force [--on DATE]`: the decisions in force, with the dates each was judged by.
pub fn write_in_force(w: &mut dyn Write, a: &crate::on_date::InForceOn) -> io::Result<()> {
    match a.on {
        Some(d) => writeln!(
            w,
            "{BOLD}In force on {d}{BOLD:#}, from the records' own dates ({} in force, {} in part; {} dated later, {} undated)",
            a.in_force.len(),
            a.in_part.len(),
            a.later,
            a.undated.len()
        )?,
        None => writeln!(w, "{BOLD}In force now{BOLD:#} ({} in force, {} in part)", a.in_force.len(), a.in_part.len())?,
    }
    let rows = a.in_force.iter().map(|s| (s, "")).chain(a.in_part.iter().map(|s| (s, " (in part)")));
    let all: Vec<_> = rows.collect();
    let id_w = all.iter().map(|(s, _)| s.id.chars().count()).max().unwrap_or(2).clamp(2, 64);
    for (s, part) in all {
        let date = s.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        writeln!(w, "  {:<id_w$}  {:<10}  {}{part}", clean(&s.id, false), date, clean(&s.title, false))?;
        if a.on.is_some() {
            writeln!(w, "  {:<id_w$}  {}", "", clean(&s.basis, false))?;
        }
    }
    if !a.undated.is_empty() {
        let ids: Vec<String> = a.undated.iter().map(|i| clean(i, false).into_owned()).collect();
        writeln!(w, "Undated, not judged: {}", ids.join(", "))?;
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

//! Lint findings: human (with the source line and a mark under the text), GitHub workflow
//! commands, SARIF.

use super::*;

/// `adrgraph lint` in the human format: `path:line:col: level[code]: message`, the source line
/// with the offending part marked, and any help. `source` gives a file's line by path and
/// 1-based number.
pub fn write_findings(
    w: &mut dyn Write,
    findings: &[crate::lint::Finding],
    source: &mut dyn FnMut(&str, u32) -> Option<std::sync::Arc<str>>,
) -> io::Result<()> {
    use crate::lint::Level;
    // The cleaned characters of the last line quoted: findings come sorted by path and line, so
    // the many findings of one long line clean and split it once.
    let mut quoted: Option<(String, u32, Vec<char>)> = None;
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
        let cached = quoted.as_ref().is_some_and(|(p, l, _)| *p == f.path && *l == f.line);
        if !cached {
            quoted = source(&f.path, f.line)
                .map(|line| (f.path.clone(), f.line, clean(&line, false).chars().collect()));
        }
        if let Some((_, _, chars)) = quoted.as_ref().filter(|(p, l, _)| *p == f.path && *l == f.line) {
            let (text, start, len) = excerpt(chars, f.col, f.mark.as_deref());
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
pub(super) const QUOTE_WIDTH: usize = 120;
pub(super) const MARK_WIDTH: usize = 60;

/// The part of a (cleaned) source line to quote under a finding at 1-based column `col`, with
/// the start and length of the carets in characters of what is quoted: the whole line when it is
/// short, else a window of at most [`QUOTE_WIDTH`] characters around the mark with `…` where it
/// was cut. The carets cover the mark (at most [`MARK_WIDTH`]), or the line's text when there is
/// no mark on it.
pub(super) fn excerpt(chars: &[char], col: u32, mark: Option<&str>) -> (String, usize, usize) {
    let start = (col.max(1) as usize - 1).min(chars.len());
    // Only as much of the line is looked at as the answer needs: a line of 100,000 marks is
    // quoted under each in constant time.
    let at_lead = chars[..start].iter().all(|c| c.is_whitespace())
        && chars.get(start).is_none_or(|c| !c.is_whitespace());
    let mark_len = mark.map(|m| m.chars().count()).filter(|&n| n > 0);
    let len = match mark_len {
        Some(n) if chars[start..].iter().take(n).copied().eq(mark.unwrap_or("").chars()) => n,
        _ if at_lead => chars.len().saturating_sub(start).max(1),
        _ => 1,
    };
    let len = len.min(MARK_WIDTH);
    if chars.len() <= QUOTE_WIDTH {
        return (chars.iter().collect(), start, len);
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
    sarif_with(findings, crate::lint::RULES)
}

/// SARIF 2.1.0 over the rules given (`check` adds its own to lint's).
pub fn sarif_with(findings: &[crate::lint::Finding], rules: &[crate::lint::Rule]) -> serde_json::Value {
    use crate::lint::Level;
    let level = |l: Level| match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
        Level::Off => "none",
    };
    let rule_list: Vec<serde_json::Value> = rules
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
                "ruleIndex": rules.iter().position(|r| r.code == f.code).unwrap_or(0),
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
                "rules": rule_list,
            }},
            "results": results,
        }],
    })
}

//! The text of a new record: the built-in template of each dialect (the seed template, the one
//! adr-tools writes, MADR 2, MADR 4 and log4brains), or a folder's own template, with its
//! placeholders filled; and the first record `init` writes in each dialect.

use crate::model::Dialect;

/// The built-in template of `dialect` (the seed template for the generic dialect).
pub fn builtin(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Nygard => include_str!("templates/nygard.md"),
        Dialect::Madr2 => include_str!("templates/madr2.md"),
        Dialect::MadrFrontMatter => include_str!("templates/madr.md"),
        Dialect::Log4brains => include_str!("templates/log4brains.md"),
        _ => include_str!("templates/seed.md"),
    }
}

/// The status a new record of `dialect` gets when none is asked for: `Accepted` as adr-tools
/// writes it, `draft` as log4brains does, else `Proposed` (lowercase where the dialect writes
/// its statuses so).
pub fn default_status(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Nygard => "Accepted",
        Dialect::Log4brains => "draft",
        Dialect::Madr2 | Dialect::MadrFrontMatter => "proposed",
        _ => "Proposed",
    }
}

/// What fills a template's placeholders.
#[derive(Debug, Clone)]
pub struct Fill<'a> {
    /// The number as the file name writes it (`12`, or `012` in an `ADR-012` folder).
    pub number: &'a str,
    /// The title.
    pub title: &'a str,
    /// The date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The status.
    pub status: &'a str,
}

/// `template` with its placeholders filled, as adr-tools fills its own: on each line, the first
/// `NUMBER`, `TITLE`, `DATE` and `STATUS` (or `{NUMBER}`, `{TITLE}`, `{DATE}`, `{STATUS}`), found
/// in the template's own text, so that a title holding one of those words is never filled
/// again; and the seed template's `YYYY-MM-DD` date and `[Proposed | Accepted | ...]` status,
/// once each.
pub fn fill(template: &str, f: &Fill<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let (mut date_done, mut status_done, mut title_done) = (false, false, false);
    // In front matter, a value goes in as YAML: quoted when YAML would read it otherwise
    // (`status: proposed: see "RFC-7" # 12`), escaped for the quotes a template put around it.
    let mut front = template.starts_with("---\n") || template.starts_with("---\r\n");
    for (k, line) in template.split_inclusive('\n').enumerate() {
        if k > 0 && front && matches!(line.trim_end(), "---" | "...") {
            front = false;
        }
        let in_yaml = front && k > 0;
        if let Some(filled) = in_yaml.then(|| commented_key(line, f)).flatten() {
            out.push_str(&filled);
            continue;
        }
        let mut found: Vec<(usize, usize, &str)> = Vec::new();
        for (word, value) in
            [("NUMBER", f.number), ("TITLE", f.title), ("DATE", f.date), ("STATUS", f.status)]
        {
            let braced = format!("{{{word}}}");
            let lower = [format!("{{{}}}", word.to_lowercase()), format!("<{}>", word.to_lowercase())];
            // A braced group naming the word among others (`{ADR-NUMBER}`) stands for it whole.
            let group = groups(line, '{', '}').into_iter().find(|&(at, len)| {
                line[at + 1..at + len - 1].split(|c: char| !c.is_alphanumeric()).any(|w| w == word)
            });
            if let Some(at) = line.find(&braced) {
                found.push((at, braced.len(), value));
            } else if let Some((at, len)) =
                lower.iter().find_map(|l| line.find(l.as_str()).map(|at| (at, l.len())))
            {
                found.push((at, len, value));
            } else if let Some((at, len)) = group {
                found.push((at, len, value));
            } else if let Some(at) = line.find(word) {
                found.push((at, word.len(), value));
            }
            if word == "TITLE" && found.iter().any(|&(_, _, v)| std::ptr::eq(v, value)) {
                title_done = true;
            }
        }
        // Bracketed placeholders, whatever the template's words: a status choice list
        // (`[proposed | rejected | accepted]`), a date (`[YYYY-MM-DD when ...]`), and a
        // first heading that is only a placeholder (`# [short title of ...]`, `# <title>`).
        let heading_only = |at: usize, len: usize| {
            line.trim_start().starts_with("# ")
                && line[..at].trim() == "#"
                && line[at + len..].trim().is_empty()
        };
        if !title_done {
            let whole = [('{', '}'), ('<', '>')].into_iter().flat_map(|(o, c)| groups(line, o, c));
            if let Some((at, len)) = whole.into_iter().find(|&(at, len)| heading_only(at, len)) {
                found.push((at, len, f.title));
                title_done = true;
            }
        }
        // Brackets and braces alike (`{proposed | rejected | ...}`, `{YYYY-MM-DD when ...}`).
        let mut bracketed = brackets(line);
        bracketed.extend(groups(line, '{', '}'));
        bracketed.sort_unstable();
        for (at, len) in bracketed {
            let inner = &line[at + 1..at + len - 1];
            if !status_done && inner.contains('|') && STATUS_WORDS.is_match(inner) {
                found.push((at, len, f.status));
                status_done = true;
            } else if !date_done && inner.contains("YYYY-MM-DD") {
                found.push((at, len, f.date));
                date_done = true;
            } else if !title_done
                && line.trim_start().starts_with("# ")
                && line[..at].trim() == "#"
                && line[at + len..].trim().is_empty()
            {
                found.push((at, len, f.title));
                title_done = true;
            }
        }
        if !date_done {
            if let Some(at) = line.find("YYYY-MM-DD") {
                found.push((at, "YYYY-MM-DD".len(), f.date));
                date_done = true;
            }
        }
        // A choice list written as a plain line (`Accepted | Rejected | Superseded by`).
        if let Some((at, len)) = (!status_done && !in_yaml).then(|| plain_choice_list(line)).flatten() {
            found.push((at, len, f.status));
            status_done = true;
        }
        if !status_done {
            let placeholder = "[Proposed | Accepted | Deprecated | Superseded]";
            if let Some(at) = line.find(placeholder) {
                found.push((at, placeholder.len(), f.status));
                status_done = true;
            }
        }
        found.sort_by_key(|&(at, len, _)| (at, std::cmp::Reverse(len)));
        let mut from = 0;
        for (at, len, value) in found {
            if at < from {
                continue;
            }
            out.push_str(&line[from..at]);
            if in_yaml {
                out.push_str(&yaml_in_place(&line[..at], &line[at + len..], value));
            } else {
                out.push_str(value);
            }
            from = at + len;
        }
        out.push_str(&line[from..]);
    }
    if !status_done {
        out = status_under_heading(&out, f.status);
    }
    out
}

/// `text` with `status` as the first paragraph of its `## Status` section, for a template
/// whose Status section holds no placeholder, only guidance (as cometbft's quotes), so that
/// the new record states the status where its neighbours do. Unchanged without such a
/// section, or when the section already says something.
fn status_under_heading(text: &str, status: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut fence = false;
    let mut at = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        if !fence && t.starts_with("##") && t.trim_start_matches('#').trim().eq_ignore_ascii_case("status") {
            at = Some(i);
            break;
        }
    }
    let Some(at) = at else { return text.to_string() };
    // Only where the section states nothing yet: its first text is guidance (a quote, a
    // comment) or the next heading.
    let first = lines[at + 1..].iter().map(|l| l.trim()).find(|l| !l.is_empty());
    if first.is_some_and(|l| !(l.starts_with('>') || l.starts_with("<!--") || l.starts_with('#'))) {
        return text.to_string();
    }
    let nl = if lines[at].ends_with("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len() + status.len() + 2);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        if i == at {
            out.push_str(&format!("{nl}{status}{nl}"));
        }
    }
    out
}

/// Where `line` is a status choice list and nothing else (`Accepted | Rejected | Superseded
/// by`): every part starts with a status word.
fn plain_choice_list(line: &str) -> Option<(usize, usize)> {
    let t = line.trim();
    let parts: Vec<&str> = t.split('|').map(str::trim).collect();
    let all_status = parts.iter().all(|p| STATUS_WORDS.find(p).is_some_and(|m| m.start() == 0));
    (parts.len() >= 2 && all_status && !t.starts_with('#')).then(|| (line.find(t).unwrap_or(0), t.len()))
}

/// A status or date key a template offers commented out in its front matter (`# status:
/// "{proposed | ...}"`, as MADR 4's does), written and filled; `None` for any other line.
fn commented_key(line: &str, f: &Fill<'_>) -> Option<String> {
    let c = COMMENTED_KEY.captures(line)?;
    let value = if c[1].eq_ignore_ascii_case("status") { f.status } else { f.date };
    // The line's own ending, whatever it is (none on a last line).
    let end = &line[line.trim_end_matches(['\r', '\n']).len()..];
    Some(format!("{}: {}{end}", &c[1], crate::write::yaml_scalar(value)))
}

/// A front-matter line offering the status or date key commented out.
static COMMENTED_KEY: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(?i)^#\s*(status|date):\s*\S").expect("valid regex"));

/// A status word, as choice lists of templates name them.
static STATUS_WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(proposed|accepted|rejected|deprecated|superseded|draft)\b")
        .expect("valid regex")
});

/// The runs of `line` between `open` and `close` (not nested), as (start, length in bytes).
fn groups(line: &str, open: char, close: char) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if c == open {
            start = Some(i);
        } else if c == close {
            if let Some(s) = start.take() {
                out.push((s, i + c.len_utf8() - s));
            }
        }
    }
    out
}

/// The bracketed runs of `line` (`[...]`, brackets inside counted, so that `[a | [x](y)]` is
/// one), outermost only, as (start, length in bytes); a bracket followed by `(` is a link's
/// text, not a placeholder.
fn brackets(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in line.char_indices() {
        match c {
            '[' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 && !line[i + 1..].starts_with('(') {
                    out.push((start, i + 1 - start));
                }
            }
            _ => {}
        }
    }
    out
}

/// `value` written into YAML between `before` and `after` on its line: inside the double or
/// single quotes the template put around it, escaped for them; standing for the whole value of a
/// key, a YAML scalar ([`crate::write::yaml_scalar`]); inside other text, as it is.
fn yaml_in_place(before: &str, after: &str, value: &str) -> String {
    let (b, a) = (before.trim_end(), after.trim_start());
    if b.ends_with('"') && a.starts_with('"') {
        let quoted = crate::write::yaml_quoted(value);
        return quoted[1..quoted.len() - 1].to_string();
    }
    if b.ends_with('\'') && a.starts_with('\'') {
        return value.replace('\'', "''");
    }
    let whole = b.ends_with(':') && (a.is_empty() || a.starts_with('#'));
    if whole {
        crate::write::yaml_scalar(value)
    } else {
        value.to_string()
    }
}

/// The first record `init` writes, "Record architecture decisions", in `dialect`, with its
/// placeholders (`NUMBER`, `DATE`) to fill.
pub fn first_record(dialect: Dialect) -> String {
    const CONTEXT: &str = "We need to record the architectural decisions made on this project.";
    const DECISION: &str = "We will use Architecture Decision Records, as [described by Michael Nygard](http://thinkrelevance.com/blog/2011/11/15/documenting-architecture-decisions).";
    const CONSEQUENCES: &str = "See Michael Nygard's article, linked above. For a lightweight ADR toolset, see Nat Pryce's [adr-tools](https://github.com/npryce/adr-tools).";
    match dialect {
        Dialect::Nygard => format!(
            "# 1. Record architecture decisions\n\nDate: DATE\n\n## Status\n\nAccepted\n\n## Context\n\n{CONTEXT}\n\n## Decision\n\n{DECISION}\n\n## Consequences\n\n{CONSEQUENCES}\n"
        ),
        Dialect::Madr2 => format!(
            "# Record architecture decisions\n\n* Status: accepted\n* Date: DATE\n\n## Context and Problem Statement\n\n{CONTEXT}\n\n## Considered Options\n\n* Architecture Decision Records\n\n## Decision Outcome\n\nChosen option: \"Architecture Decision Records\", because they keep each decision, its context and its consequences beside the code.\n\n{DECISION}\n\n### Positive Consequences\n\n* {CONSEQUENCES}\n"
        ),
        Dialect::MadrFrontMatter => format!(
            "---\nstatus: accepted\ndate: DATE\n---\n\n# Record architecture decisions\n\n## Context and Problem Statement\n\n{CONTEXT}\n\n## Considered Options\n\n* Architecture Decision Records\n\n## Decision Outcome\n\nChosen option: \"Architecture Decision Records\", because they keep each decision, its context and its consequences beside the code.\n\n{DECISION}\n\n### Consequences\n\n* Good, because {}\n",
            CONSEQUENCES.replacen("See", "see", 1)
        ),
        Dialect::Log4brains => format!(
            "# Record architecture decisions\n\n- Status: accepted\n- Date: DATE\n\n## Context and Problem Statement\n\n{CONTEXT}\n\n## Considered Options\n\n- Architecture Decision Records\n\n## Decision Outcome\n\nChosen option: \"Architecture Decision Records\", because they keep each decision, its context and its consequences beside the code.\n\n{DECISION}\n\n### Positive Consequences\n\n- {CONSEQUENCES}\n"
        ),
        _ => format!(
            "# ADR-{{NUMBER}}: Record architecture decisions\n\n**Date:** DATE  \n**Status:** Accepted\n\n## Context and Problem Statement\n\n{CONTEXT}\n\n## Considered Options\n\n* Architecture Decision Records\n\n## Decision Outcome\n\nChosen option: \"Architecture Decision Records\", because they keep each decision, its context and its consequences beside the code.\n\n{DECISION}\n\n### Positive Consequences\n\n* {CONSEQUENCES}\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_placeholders_are_filled_whatever_their_words() {
        let f = Fill { number: "7", title: "Use Kafka", date: "2026-12-06", status: "proposed" };
        let log4brains = "# [short title of solved problem and solution]\n\n- Status: [draft | proposed | rejected | accepted | deprecated | … | superseded by [xxx](yyyymmdd-xxx.md)] <!-- optional -->\n- Date: [YYYY-MM-DD when the decision was last updated] <!-- optional -->\n\nSee [the docs](x.md).\n";
        assert_eq!(
            fill(log4brains, &f),
            "# Use Kafka\n\n- Status: proposed <!-- optional -->\n- Date: 2026-12-06 <!-- optional -->\n\nSee [the docs](x.md).\n"
        );
        assert_eq!(fill("# <title>\n\nStatus: {status}\n", &f), "# Use Kafka\n\nStatus: proposed\n");
        assert_eq!(fill("# {title}\n", &f), "# Use Kafka\n");
        let braces = "---\nstatus: {proposed | rejected | superseded by [ADR-1](0001-x.md)}\ndate: {YYYY-MM-DD when decided}\n---\n";
        assert_eq!(fill(braces, &f), "---\nstatus: proposed\ndate: 2026-12-06\n---\n");
        let guidance =
            "# ADR {ADR-NUMBER}: {TITLE}\n\n## Status\n\n> Say one of Accepted, Rejected.\n\n## Context\n";
        assert_eq!(
            fill(guidance, &f),
            "# ADR 7: Use Kafka\n\n## Status\n\nproposed\n\n> Say one of Accepted, Rejected.\n\n## Context\n"
        );
        // A choice list on a line of its own is the status.
        assert_eq!(
            fill("## Status\n\n> Say one.\n\nAccepted | Rejected | Superseded by\n", &f),
            "## Status\n\n> Say one.\n\nproposed\n"
        );
        // A section that states a status already is left as it is.
        assert_eq!(fill("## Status\n\nAccepted\n", &f), "## Status\n\nAccepted\n");
        let madr4 = "---\nparent: Decisions\n# status: \"{proposed | rejected | accepted}\"\n# date: {YYYY-MM-DD when decided}\n# consulted: {list}\n---\n";
        assert_eq!(
            fill(madr4, &f),
            "---\nparent: Decisions\nstatus: proposed\ndate: 2026-12-06\n# consulted: {list}\n---\n"
        );
        assert_eq!(fill("# {short title, representative of the solution}\n", &f), "# Use Kafka\n");
        assert_eq!(
            fill("# ADR {ADR-NUMBER}: {TITLE}\n\n- {date}: {changelog}\n", &f),
            "# ADR 7: Use Kafka\n\n- 2026-12-06: {changelog}\n"
        );
    }

    #[test]
    fn placeholders_are_filled_once_per_line_from_the_template_text_only() {
        let f = Fill { number: "7", title: "Keep DATE and STATUS", date: "2024-01-31", status: "Accepted" };
        assert_eq!(
            fill("# NUMBER. TITLE\n\nDate: DATE\n\nSTATUS\n", &f),
            "# 7. Keep DATE and STATUS\n\nDate: 2024-01-31\n\nAccepted\n"
        );
        let seed = "# ADR-{NUMBER}: {TITLE}\n\n**Date:** YYYY-MM-DD  \n**Status:** [Proposed | Accepted | Deprecated | Superseded]  \n**Review:** YYYY-MM-DD\n";
        let f = Fill { number: "007", ..f };
        assert_eq!(
            fill(seed, &f),
            "# ADR-007: Keep DATE and STATUS\n\n**Date:** 2024-01-31  \n**Status:** Accepted  \n**Review:** YYYY-MM-DD\n"
        );
    }

    #[test]
    fn values_in_front_matter_are_written_as_yaml() {
        let f = Fill { number: "7", title: "Kafka: the \"fast\" one", date: "2024-01-31", status: "true" };
        let t = "---\ntitle: TITLE\nquoted: \"{TITLE}\"\nsingle: '{TITLE}'\nstatus: STATUS\ndate: DATE\n---\n# TITLE\n";
        assert_eq!(
            fill(t, &f),
            "---\ntitle: \"Kafka: the \\\"fast\\\" one\"\nquoted: \"Kafka: the \\\"fast\\\" one\"\nsingle: 'Kafka: the \"fast\" one'\nstatus: \"true\"\ndate: 2024-01-31\n---\n# Kafka: the \"fast\" one\n"
        );
        let fm = crate::parse::front_matter::FrontMatter::parse(
            fill(t, &f).trim_start_matches("---\n").split("---\n").next().unwrap(),
        )
        .unwrap();
        assert_eq!(fm.first(&["title"]), Some("Kafka: the \"fast\" one"));
        assert_eq!(fm.first(&["status"]), Some("true"));
    }
}

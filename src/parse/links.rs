//! Links: targets found in a line, typed by the words before them (status lines, metadata,
//! links sections, supersession sentences in prose), and bare ids in prose as references.

use super::*;

/// Whether a text spells `super` (any case) and `ADR` or `Adr`: without them, the text holds no
/// supersession sentence and no bare id. Asked once of a section's text, not of each line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mentions {
    pub(super) super_: bool,
    pub(super) adr: bool,
}

impl Mentions {
    pub(super) fn of(text: &str) -> Mentions {
        Mentions { super_: spells_super(text), adr: spells_adr(text) }
    }
}

/// Whether `s` holds `word` (lower case ASCII) in any ASCII case, looked for from each place
/// of its letter at `anchor` (its rarest) with memchr: cheaper than a regex or a search per
/// spelling.
pub(super) fn spells(s: &str, word: &[u8], anchor: usize) -> bool {
    let b = s.as_bytes();
    let c = word[anchor];
    memchr::memchr2_iter(c, c.to_ascii_uppercase(), b).any(|i| {
        i >= anchor
            && b.get(i - anchor..i - anchor + word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// Whether `s` holds `super` in any ASCII case (from each `p`, rarer than `s` or `u`).
pub(super) fn spells_super(s: &str) -> bool {
    spells(s, b"super", 2)
}

/// Whether `s` holds `ADR` or `Adr`, as every bare id does.
pub(super) fn spells_adr(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'A', b).any(|i| matches!(b.get(i + 1..i + 3), Some(b"DR" | b"dr")))
}

/// A link target found in a line.
pub(super) struct Target {
    pub(super) text: String,
    pub(super) target: String,
}

pub(super) fn decision_like_href(href: &str) -> bool {
    let h = href.trim();
    // `@jkutner`: a mention, not a page.
    if h.is_empty() || h.starts_with(['#', '@']) || h.starts_with("mailto:") {
        return false;
    }
    let no_anchor = h.split(['#', '?']).next().unwrap_or(h);
    let last = no_anchor.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let ext = last.rsplit_once('.').map(|(_, e)| e.to_lowercase());
    if h.starts_with("http://") || h.starts_with("https://") {
        return matches!(ext.as_deref(), Some("md") | Some("markdown"));
    }
    if h.contains("://") {
        return false;
    }
    match ext.as_deref() {
        None => true,
        Some("md") | Some("markdown") => true,
        // `0005-x.v2` style names are rare; a numeric "extension" is part of the name.
        Some(e) => e.chars().all(|c| c.is_ascii_digit()),
    }
}

/// Whether a short phrase before a link reads as a relation written by `adr link`
/// (`Clarifies`, `Clarified by`, `Relates to`, `Depends on`), not a label (`See`, `Issue`).
pub(super) fn is_relation_verb(verb: &str) -> bool {
    let lower = verb.to_lowercase();
    if matches!(
        lower.as_str(),
        "see"
            | "see also"
            | "issue"
            | "issues"
            | "tracking issue"
            | "source"
            | "sources"
            | "link"
            | "links"
            | "discussion"
            | "pr"
            | "docs"
            | "notes"
    ) {
        return false;
    }
    let last = lower.rsplit(' ').next().unwrap_or("");
    let first = lower.split(' ').next().unwrap_or("");
    matches!(last, "by" | "to" | "on" | "with" | "from")
        || (lower.split(' ').count() == 1 && first.ends_with('s') && !first.ends_with("ss"))
}

/// The link a relation verb makes: a phrase of the one table (`amends`, `supersedes` and their
/// passives, as adr-tools' spellings write them) or of the project's, else a custom link
/// labelled with the verb.
pub(super) fn custom_kind(verb: &str, vocabulary: &Vocabulary) -> LinkKind {
    phrases::kind_of(&fold_key(verb), vocabulary).unwrap_or(LinkKind::Custom)
}

/// The part of a decision named right after a link to it: `§7 "Detection and Bootstrap"`,
/// `section 3`, `(part 2)`. `None` when the text names no part.
pub(super) fn part_named(after: &str) -> Option<String> {
    static PART: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)^[\s(,]*((?:§|sections?\b|parts?\b|chapters?\b|paragraphs?\b)[^.;:()]*)"#)
            .expect("valid regex")
    });
    let c = PART.captures(after)?;
    let p = c[1].trim().trim_end_matches([',', ')']).trim();
    (!p.is_empty()).then(|| p.to_string())
}

pub(super) fn normalise_qualifier(q: &str) -> String {
    match q.to_lowercase().as_str() {
        "partly" | "partially" | "in part" => "in part".to_string(),
        other => other.to_string(),
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

impl Extractor {
    pub(super) fn push_link(
        &mut self,
        kind: LinkKind,
        label: Option<String>,
        qualifier: Option<String>,
        t: Target,
        source: LinkSource,
        line: u32,
    ) {
        // `[xxx](yyyymmdd-xxx.md)`: a template's placeholder, reported as template text.
        if crate::names::is_placeholder_target(&t.target) {
            return;
        }
        let number = text::number_in_reference(&t.text, &t.target);
        if self.seen_links.insert((kind.clone(), t.target.clone(), line)) {
            let link = Link { kind, label, qualifier, text: t.text, target: t.target, number, source, line };
            self.adr.links.push(link);
        }
    }

    /// Links and bare ids of `line` from byte `from` on (up to `to`).
    pub(super) fn targets(line: &Line, from: usize, to: usize) -> Vec<Target> {
        Self::placed_targets(line, from, to).into_iter().map(|(_, _, t)| t).collect()
    }

    /// [`Self::targets`] with the byte range of each in `line.text`.
    pub(super) fn placed_targets(line: &Line, from: usize, to: usize) -> Vec<(usize, usize, Target)> {
        let mut out: Vec<(usize, usize, Target)> = Vec::new();
        for l in line.links.iter().filter(|l| l.start >= from && l.start < to) {
            out.push((l.start, l.end, Target { text: l.text.clone(), target: l.href.clone() }));
        }
        let end = to.min(line.text.len());
        if from < end && line.text.is_char_boundary(from) && line.text.is_char_boundary(end) {
            for id in bare_ids(&line.text[from..end]) {
                let (s, e) = (from + id.start, from + id.end);
                if !line.in_link_or_code(s, e) {
                    out.push((s, e, Target { text: id.text.clone(), target: id.text }));
                }
            }
        }
        out.sort_by_key(|(s, _, _)| *s);
        out
    }

    /// The targets between `from` and `to`, each with the part it names (see [`part_named`]).
    pub(super) fn parted_targets(line: &Line, from: usize, to: usize) -> Vec<(Target, Option<String>)> {
        let all = Self::placed_targets(line, from, to);
        let to = to.min(line.text.len());
        (0..all.len())
            .map(|k| {
                let e = all[k].1;
                let next = all.get(k + 1).map_or(to, |(s, _, _)| *s).max(e);
                let part = line.text.get(e..next).and_then(part_named);
                (Target { text: all[k].2.text.clone(), target: all[k].2.target.clone() }, part)
            })
            .collect()
    }

    /// The targets of a typed link line after its verb (which ends at `from`): those before the
    /// first `:` that follows a target (`Amends [ADR 2](..): the tag list` types only ADR 2), each
    /// with the part it names when one follows it (`ADR 0053 §7 "Detection"`).
    pub(super) fn typed_targets(line: &Line, from: usize) -> Vec<(Target, Option<String>)> {
        let Some(first_end) = Self::placed_targets(line, from, line.text.len()).first().map(|t| t.1) else {
            return Vec::new();
        };
        let stop = line.text[first_end..].find(": ").map_or(line.text.len(), |i| first_end + i);
        Self::parted_targets(line, from, stop)
    }

    /// Read a status-section line, a status metadata value, or a link line. Returns true when
    /// the line said something (a status or a link).
    pub(super) fn status_or_link_line(&mut self, line: &Line, from: usize, source: LinkSource) -> bool {
        let text = &line.text[from..];
        let lead = text.char_indices().find(|(_, c)| c.is_alphabetic()).map(|(i, _)| i).unwrap_or(text.len());
        let body = &text[lead..];
        let start = from + lead;
        let all = line.text.len();
        if let Some((kind, len)) = self.vocabulary.link_of(body) {
            let targets = Self::typed_targets(line, start + len);
            let found = !targets.is_empty();
            for (t, part) in targets {
                self.push_link(kind.clone(), None, part, t, source, line.line);
            }
            if kind == LinkKind::SupersededBy {
                self.adr.status_history.push(StatusChange {
                    status: Status::Superseded,
                    raw: body.to_string(),
                    date: None,
                    line: line.line,
                });
                if source == LinkSource::Status || source == LinkSource::Metadata {
                    self.adr.status = Status::Superseded;
                    self.adr.status_raw = Some(body.to_string());
                }
            }
            return found;
        }
        if let Some(m) = SUPERSEDED_BY.captures(body) {
            let q = m.get(1).map(|q| q.as_str().to_lowercase());
            for (t, part) in Self::typed_targets(line, start + m.get(0).map_or(0, |g| g.end())) {
                let q = part.or_else(|| q.clone());
                self.push_link(LinkKind::SupersededBy, None, q, t, source, line.line);
            }
            // Superseded in part, the record stays in force for the rest: the line is its
            // status only when it writes no other (`Accepted` then `Partly superseded by ..`).
            self.record_status(
                body,
                line.line,
                (source == LinkSource::Status || source == LinkSource::Metadata) && q.is_none(),
            );
            return true;
        }
        let typed = [
            (&*SUPERSEDES, LinkKind::Supersedes),
            (&*AMENDED_BY, LinkKind::AmendedBy),
            (&*AMENDS, LinkKind::Amends),
        ];
        for (re, kind) in typed {
            if let Some(m) = re.captures(body) {
                let q = m.get(1).map(|q| q.as_str().to_lowercase());
                let targets = Self::typed_targets(line, start + m.get(0).map_or(0, |g| g.end()));
                let found = !targets.is_empty();
                for (t, part) in targets {
                    let q = part.or_else(|| q.clone());
                    self.push_link(kind.clone(), None, q, t, source, line.line);
                }
                return found;
            }
        }
        // Another relation verb before the first target: `Clarified by [..](..)`, `Extends
        // [ADR 19](..)`, `Depends on ADR-0019: why` (adr-tools' `adr link` pairs and their kin).
        if let Some((first_start, _, first)) = Self::placed_targets(line, start, all).into_iter().next() {
            let before = line.text[start..first_start].trim();
            if let Some(c) = CUSTOM_VERB.captures(before) {
                let verb = c[1].to_string();
                if is_relation_verb(&verb)
                    && decision_like_href(&first.target)
                    && !parse_status(&verb).recognised
                {
                    let kind = custom_kind(&verb, &self.vocabulary);
                    let label = (kind == LinkKind::Custom).then(|| verb.clone());
                    for (t, _) in Self::typed_targets(line, first_start) {
                        self.push_link(kind.clone(), label.clone(), None, t, source, line.line);
                    }
                    return true;
                }
            }
        }
        false
    }

    pub(super) fn links_section(&mut self, blocks: &[Block]) {
        for line in all_lines(blocks) {
            if self.status_or_link_line(line, 0, LinkSource::LinksSection) {
                continue;
            }
            // `This ADR in part supersedes [..]` written as a sentence in the Links section.
            self.prose_supersession(line, LinkSource::LinksSection);
            for l in &line.links {
                let t = Target { text: l.text.clone(), target: l.href.clone() };
                self.push_link(LinkKind::References, None, None, t, LinkSource::LinksSection, line.line);
            }
            let hrefs: std::collections::HashSet<&str> = line.links.iter().map(|l| l.href.as_str()).collect();
            for t in Self::targets(line, 0, line.text.len()) {
                if !hrefs.contains(t.target.as_str()) {
                    self.push_link(LinkKind::References, None, None, t, LinkSource::LinksSection, line.line);
                }
            }
        }
    }

    /// Links and ids in a line of prose. `mentions` says whether the text around the line (its
    /// section's, which holds every line of it) spells `super` and `ADR`/`Adr`: when it does not,
    /// no line of it does, and the line is not searched for them.
    pub(super) fn prose_line(&mut self, line: &Line, mentions: Mentions) {
        let consumed: std::collections::HashSet<String> = if mentions.super_ {
            self.prose_supersession(line, LinkSource::Prose).into_iter().collect()
        } else {
            Default::default()
        };
        let text = line.text.as_str();
        for l in &line.links {
            if consumed.contains(&l.href) || !decision_like_href(&l.href) {
                continue;
            }
            let t = Target { text: l.text.clone(), target: l.href.clone() };
            self.push_link(LinkKind::References, None, None, t, LinkSource::Prose, line.line);
        }
        let own = self.adr.number;
        let ids = if mentions.adr { bare_ids(text) } else { Vec::new() };
        for id in ids {
            if line.in_link_or_code(id.start, id.end) || consumed.contains(&id.text) || Some(id.number) == own
            {
                continue;
            }
            let t = Target { text: id.text.clone(), target: id.text };
            self.push_link(LinkKind::References, None, None, t, LinkSource::Prose, line.line);
        }
    }

    /// Supersession written as a sentence: `This ADR in part supersedes [0003](..)`, `These
    /// ranges have been superseded by [ADR #0033](..)`, `supersedes the decisions made in ADRs
    /// 60 and 61`. Returns the targets used.
    pub(super) fn prose_supersession(&mut self, line: &Line, source: LinkSource) -> Vec<String> {
        let text = line.text.as_str();
        let mut consumed: Vec<String> = Vec::new();
        // Both patterns need `super`: most lines have none, and the regexes' own prefilters
        // (on `is`, `was`, `are`...) would stop at nearly every word.
        if !spells_super(text) {
            return consumed;
        }
        let sentence_end =
            |from: usize| -> usize { text[from..].find(". ").map(|i| from + i + 1).unwrap_or(text.len()) };
        for c in PROSE_SUPERSEDES.captures_iter(text) {
            let m = c.get(0).expect("group 0");
            if line.in_link_or_code(m.start(), m.end()) {
                continue;
            }
            let q = c.get(1).or_else(|| c.get(2)).map(|q| normalise_qualifier(q.as_str()));
            let end = sentence_end(m.end());
            for (t, part) in Self::parted_targets(line, m.end(), end) {
                consumed.push(t.target.clone());
                self.push_link(LinkKind::Supersedes, None, part.or_else(|| q.clone()), t, source, line.line);
            }
        }
        for c in PROSE_SUPERSEDED_BY.captures_iter(text) {
            let m = c.get(0).expect("group 0");
            if line.in_link_or_code(m.start(), m.end()) {
                continue;
            }
            let q = c.get(1).map(|q| normalise_qualifier(q.as_str()));
            let end = sentence_end(m.end());
            for (t, part) in Self::parted_targets(line, m.end(), end) {
                let q = part.or_else(|| q.clone());
                consumed.push(t.target.clone());
                self.push_link(LinkKind::SupersededBy, None, q.clone(), t, source, line.line);
            }
        }
        consumed
    }
}

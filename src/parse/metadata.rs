//! Fields from front matter and sidecars, from metadata lines before the first section
//! (`**Status:** x`, `* Status: x`, `Date: x`, two-column tables), from the status section and
//! from a changelog (the status history).

use super::*;

pub(super) fn is_review_label(label: &str) -> bool {
    matches!(
        fold_key(label).as_str(),
        "review date" | "next review" | "review by" | "revisit" | "revisit date"
    )
}

/// Whether `s` holds `revi` in any ASCII case, as every label [`is_review_label`] accepts does
/// (its folding lowercases; no other character lowercases to these letters).
pub(super) fn spells_revi(s: &str) -> bool {
    spells(s, b"revi", 2)
}

pub(super) fn is_review_line(s: &str) -> bool {
    s.split_once(':').is_some_and(|(l, _)| is_review_label(l))
}

pub(super) fn split_tags(s: &str) -> Vec<String> {
    let parts: Vec<&str> =
        if s.contains(',') { s.split(',').collect() } else { s.split_whitespace().collect() };
    parts
        .into_iter()
        .map(|t| t.trim().trim_start_matches('#').to_string())
        .filter(|t| !t.is_empty() && !text::is_placeholder_value(t))
        .collect()
}

/// `value` read as the value of `label`: the line `label: value`, its links and code spans
/// moved along.
pub(super) fn labelled(label: &str, value: &Line) -> Line {
    let mut l = value.clone();
    let prefix = format!("{label}: ");
    l.text = format!("{prefix}{}", l.text);
    for link in &mut l.links {
        link.start += prefix.len();
        link.end += prefix.len();
    }
    for c in &mut l.code {
        c.0 += prefix.len();
        c.1 += prefix.len();
    }
    l.bold_prefix_end = None;
    l
}

/// What a metadata label names.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Field {
    /// The record's title, when no heading gave one (`- Name: Contractual Build Plan`).
    Title,
    Status,
    /// A date; `soft` for labels that are not always followed by one (`Accepted: yes`).
    Date {
        soft: bool,
    },
    Deciders,
    Consulted,
    Informed,
    Story,
    Tags,
    Review,
    /// A typed link (`Supersedes: ADR-3`).
    Link(LinkKind),
    /// Another relation (`Relates to`, `See also`, `Depends on`).
    Relation,
}

/// The field a folded metadata label names (`status`, `状态`, `decision makers`, `superseded
/// by`...), in the languages ADRs are written in.
pub(super) fn field_of(label: &str, vocabulary: &Vocabulary) -> Option<Field> {
    Some(match label {
        "title" | "name" | "titre" | "título" | "titolo" | "titel" | "标题" | "標題" | "タイトル"
        | "제목" => Field::Title,
        "status" | "statut" | "estado" | "state" | "current status" | "decision status" | "stato"
        | "状态" | "狀態" | "状態" | "ステータス" | "상태" | "situação" => Field::Status,
        "accepted" | "proposed" => Field::Date { soft: true },
        "date"
        | "data"
        | "introduced"
        | "created"
        | "date created"
        | "creation date"
        | "decided"
        | "decision date"
        | "date of decision"
        | "fecha"
        | "datum"
        | "last updated"
        | "updated"
        | "atualização"
        | "last modified"
        | "start date"
        | "begin design discussion"
        | "日期"
        | "日付"
        | "날짜"
        | "作成日"
        | "决策日期" => Field::Date { soft: false },
        "deciders"
        | "decision makers"
        | "decision-makers"
        | "décideurs"
        | "deciders and stakeholders"
        | "decided by"
        | "authors"
        | "author"
        | "author s"
        | "owner"
        | "owners"
        | "driver"
        | "作者"
        | "决策者"
        | "決定者"
        | "작성자"
        | "autor"
        | "autore"
        | "auteur"
        | "auteurs" => Field::Deciders,
        "consulted" | "consultés" => Field::Consulted,
        "informed" | "informés" => Field::Informed,
        "technical story" | "user story" | "story" | "issue" | "ticket" | "jira" | "tracking issue" => {
            Field::Story
        }
        "tags" | "tag" | "labels" | "keywords" | "categories" | "标签" => Field::Tags,
        "review date" | "review" | "next review" | "revisit" | "review by" => Field::Review,
        "relates to" | "related" | "related to" | "see also" | "extends" | "requires" | "depends on"
        | "refines" | "refined by" => Field::Relation,
        l => Field::Link(phrases::kind_of(l, vocabulary)?),
    })
}

impl Extractor {
    /// Record a status statement (from a status line or value).
    pub(super) fn record_status(&mut self, raw: &str, line: u32, authoritative: bool) -> bool {
        let raw = raw.trim();
        let mut w = parse_status(raw);
        if let Some(st) = self.vocabulary.status_of(raw) {
            w = text::StatusWord { status: st, recognised: true, ambiguous: false };
        }
        if !w.recognised {
            return false;
        }
        if w.ambiguous {
            self.diag(
                line,
                Severity::Warning,
                "ambiguous-status",
                format!("status `{raw}` names more than one status (template text left in?)"),
            );
        }
        let date = parse_date(raw).map(|f| f.date);
        self.adr.status_history.push(StatusChange { status: w.status, raw: raw.to_string(), date, line });
        if authoritative || self.adr.status_raw.is_none() {
            self.adr.status = w.status;
            self.adr.status_raw = Some(raw.to_string());
        }
        true
    }

    pub(super) fn set_date(&mut self, raw: &str, line: u32, source: DateSource) -> bool {
        if self.adr.date.is_some() {
            return true;
        }
        match parse_date(raw) {
            Some(f) => {
                if let Some(note) = &f.note {
                    self.diag(line, Severity::Note, "date-reinterpreted", note.clone());
                }
                self.adr.date = Some(f.date);
                self.adr.date_raw = Some(raw.trim().to_string());
                self.adr.date_source = Some(source);
                true
            }
            None => false,
        }
    }

    pub(super) fn front_matter(&mut self, fm: &FrontMatter, line: u32) {
        self.signals.front_matter |= line > 0;
        const META: &[&str] = &[
            "status",
            "statut",
            "date",
            "deciders",
            "decision-makers",
            "décideurs",
            "consulted",
            "informed",
            "supersedes",
            "superseded-by",
            "creation-date",
        ];
        if line > 0 && fm.has_any(META) {
            self.signals.front_matter_meta = true;
        }
        if self.adr.title.is_none() {
            if let Some(t) = fm.first(&["title"]) {
                let (t, n) = clean_title(t);
                self.adr.title = Some(t);
                self.adr.number = self.adr.number.or(n);
            }
        }
        if self.adr.number.is_none() {
            self.adr.number = fm
                .first(&["kep-number", "number", "adr-number", "id"])
                .and_then(|v| v.trim().trim_start_matches(|c: char| !c.is_ascii_digit()).parse().ok());
        }
        if self.adr.status_raw.is_none() {
            let keys = ["status", "statut", "estado", "state"];
            if let Some(s) = fm.first(&keys) {
                let s = s.to_string();
                // The status key's own line, where the front matter is in the file.
                let line = match keys.iter().find_map(|k| fm.line_of(k)) {
                    Some(k) if line > 0 => line + k - 1,
                    _ => line,
                };
                let fake = inline_line(&s, line);
                if !self.status_or_link_line(&fake, 0, LinkSource::Status)
                    && !self.record_status(&fake.text, line, true)
                {
                    self.adr.status_raw = Some(s.clone());
                    self.adr.status = Status::Unknown;
                    self.diag(
                        line,
                        Severity::Warning,
                        "unknown-status",
                        format!("status `{s}` is not a known status word"),
                    );
                }
            }
        }
        if let Some(d) = fm.first(&[
            "date",
            "created",
            "creation-date",
            "date-created",
            "decided",
            "last-updated",
            "updated",
        ]) {
            let d = d.to_string();
            if !self.set_date(&d, line, DateSource::FrontMatter) && !text::is_placeholder_value(&d) {
                self.diag(
                    line,
                    Severity::Warning,
                    "bad-date",
                    format!("front matter date `{d}` is not a date"),
                );
            }
        }
        self.front_matter_people(fm);
        self.front_matter_links(fm, line);
    }

    /// People, tags, the technical story and the review date from front matter, where the body
    /// gave none.
    fn front_matter_people(&mut self, fm: &FrontMatter) {
        let people = |keys: &[&str]| -> Vec<String> {
            fm.get(keys).map(|v| v.iter().flat_map(|p| split_people(p)).collect()).unwrap_or_default()
        };
        if self.adr.deciders.is_empty() {
            self.adr.deciders = people(&[
                "deciders",
                "decision-makers",
                "décideurs",
                "decideurs",
                "deciders-and-stakeholders",
                "authors",
                "author",
                "owners",
            ]);
        }
        if self.adr.consulted.is_empty() {
            self.adr.consulted = people(&["consulted", "consultés"]);
        }
        if self.adr.informed.is_empty() {
            self.adr.informed = people(&["informed", "informés"]);
        }
        if self.adr.tags.is_empty() {
            if let Some(tags) = fm.get(&["tags", "tag", "labels", "keywords", "categories"]) {
                self.adr.tags = tags.iter().flat_map(|t| split_tags(t)).collect();
            }
        }
        if let Some(scope) = fm.get(&["affects", "appliesto", "applies-to", "scope", "paths", "governs"]) {
            self.adr.scope = scope
                .iter()
                .flat_map(|s| s.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
        }
        if self.adr.technical_story.is_none() {
            self.adr.technical_story =
                fm.first(&["technical-story", "story", "issue", "tracking-issue"]).map(str::to_string);
        }
        if self.adr.review_date.is_none() {
            if let Some(r) = fm.first(&["review-date", "review", "next-review", "revisit"]) {
                if let Some(f) = parse_date(r) {
                    self.adr.review_date = Some(f.date);
                    self.adr.review_date_raw = Some(r.to_string());
                }
            }
        }
    }

    /// Typed links from front matter keys (`supersedes`, `superseded-by`, `amends`, `links:
    /// [{target, kind}]`, ...).
    fn front_matter_links(&mut self, fm: &FrontMatter, line: u32) {
        let typed = [LinkKind::Supersedes, LinkKind::SupersededBy, LinkKind::Amends, LinkKind::AmendedBy];
        let mut link_keys: Vec<(Vec<String>, LinkKind)> =
            typed.into_iter().map(|k| (phrases::front_matter_keys(&k, &self.vocabulary), k)).collect();
        let references =
            ["relatesto", "relates-to", "related", "see-also", "extends", "requires", "depends-on", "links"];
        link_keys.push((references.into_iter().map(String::from).collect(), LinkKind::References));
        for (keys, kind) in &link_keys {
            for key in keys {
                let key = key.as_str();
                let Some(vals) = fm.get(&[key]) else { continue };
                // The key's own line, where the front matter is in the file.
                let line = match fm.line_of(key) {
                    Some(k) if line > 0 => line + k - 1,
                    _ => line,
                };
                for v in vals {
                    let v = v.trim();
                    if text::is_placeholder_value(v) {
                        continue;
                    }
                    let (mut kind, mut v) = (kind.clone(), v.to_string());
                    if key == "links" {
                        // `kind target` from `links: [{target, kind}]`.
                        if let Some((k, rest)) = v.split_once(' ') {
                            kind = phrases::kind_of(&fold_key(k), &self.vocabulary)
                                .unwrap_or(LinkKind::References);
                            v = rest.to_string();
                        }
                    }
                    let links = inline_line(&v, line).links;
                    let label = (key == "extends" || key == "requires" || key == "depends-on")
                        .then(|| key.to_string());
                    let source = LinkSource::FrontMatter;
                    if links.is_empty() {
                        // Drop a trailing YAML-ish comment such as `kinflate # old name`.
                        let target = v.split(" #").next().unwrap_or(&v).trim().to_string();
                        let t = Target { text: target.clone(), target };
                        self.push_link(kind, label, None, t, source, line);
                    } else {
                        for l in links {
                            let t = Target { text: l.text, target: l.href };
                            self.push_link(kind.clone(), label.clone(), None, t, source, line);
                        }
                    }
                }
            }
        }
    }

    /// Metadata line (`Status: x`, `**Date:** x`, `* Deciders: a, b`). Returns true if used.
    pub(super) fn metadata_line(&mut self, line: &Line, in_list: bool) -> bool {
        let Some((label, value)) = line.label_value() else {
            // `Date 09/04/2018`: a date line that lost its colon.
            let lower = line.text.to_lowercase();
            if ["date ", "data "].iter().any(|p| lower.starts_with(p))
                && line.text.split_whitespace().count() <= 4
            {
                return self.set_date(&line.text[5..], line.line, DateSource::Text);
            }
            return false;
        };
        let label = fold_key(label);
        // `value` is a slice of `line.text`: its offset is where the value starts.
        let value_start =
            (value.as_ptr() as usize).saturating_sub(line.text.as_ptr() as usize).min(line.text.len());
        let Some(field) = field_of(&label, &self.vocabulary) else { return false };
        match field {
            Field::Title => {
                let from_name = self.diags.iter().position(|d| d.code == super::TITLE_FROM_FILE_NAME);
                if (self.adr.title.is_none() || from_name.is_some()) && !value.is_empty() {
                    let (t, n) = clean_title(value);
                    if t.is_empty() {
                        return false;
                    }
                    if let Some(k) = from_name {
                        self.diags.remove(k);
                    }
                    self.adr.title = Some(t);
                    self.adr.title_number = self.adr.title_number.or(n);
                } else {
                    return false;
                }
            }
            Field::Status => {
                if self.adr.status_raw.is_none() {
                    if !self.status_or_link_line(line, value_start, LinkSource::Status)
                        && !self.record_status(value, line.line, true)
                    {
                        self.unknown_status(value, line.line);
                    }
                } else {
                    self.status_or_link_line(line, value_start, LinkSource::Status);
                }
            }
            Field::Date { soft } => {
                if !self.set_date(value, line.line, DateSource::Text)
                    && !soft
                    && !value.is_empty()
                    && !value.contains('<')
                {
                    self.diag(
                        line.line,
                        Severity::Warning,
                        "bad-date",
                        format!("`{value}` is not a date I can read"),
                    );
                }
            }
            Field::Deciders => {
                if self.adr.deciders.is_empty() {
                    self.adr.deciders = split_people(value);
                }
            }
            Field::Consulted => {
                if self.adr.consulted.is_empty() {
                    self.adr.consulted = split_people(value);
                }
            }
            Field::Informed => {
                if self.adr.informed.is_empty() {
                    self.adr.informed = split_people(value);
                }
            }
            Field::Story => {
                if self.adr.technical_story.is_none() && !value.is_empty() {
                    self.adr.technical_story = Some(value.to_string());
                }
            }
            Field::Tags => {
                self.signals.tags = true;
                if self.adr.tags.is_empty() {
                    self.adr.tags = split_tags(value);
                }
            }
            Field::Review => {
                if let Some(f) = parse_date(value) {
                    self.adr.review_date = Some(f.date);
                    self.adr.review_date_raw = Some(value.to_string());
                }
            }
            Field::Link(kind) => self.metadata_links(line, value_start, kind, None),
            Field::Relation => {
                let l = (label != "related" && label != "see also").then(|| capitalise(&label));
                let kind = if l.is_some() { LinkKind::Custom } else { LinkKind::References };
                self.metadata_links(line, value_start, kind, l);
            }
        }
        if matches!(label.as_str(), "user story" | "story") {
            // MADR 1.x writes `**User Story:**`; the seed template never does.
            self.signals.madr1 = true;
        } else if line.bold_prefix_end.is_some() {
            self.signals.bold_meta = true;
        } else if in_list {
            self.signals.list_meta = true;
            if self.dash_lines.binary_search(&line.line).is_ok() {
                self.signals.dash_meta = true;
            }
        } else {
            self.signals.plain_meta = true;
        }
        true
    }

    pub(super) fn metadata_links(&mut self, line: &Line, from: usize, kind: LinkKind, label: Option<String>) {
        let targets = Self::targets(line, from, line.text.len());
        if targets.is_empty() {
            let v = line.text[from..].trim();
            if !v.is_empty() && !text::is_placeholder_value(v) {
                let t = Target { text: v.to_string(), target: v.to_string() };
                self.push_link(kind, label, None, t, LinkSource::Metadata, line.line);
            }
            return;
        }
        // A typed link keeps the part of its target the line names (`ADR 0053 §7 "Detection
        // and Bootstrap" behaviour`), as on a status line.
        let typed = matches!(
            kind,
            LinkKind::Supersedes | LinkKind::SupersededBy | LinkKind::Amends | LinkKind::AmendedBy
        );
        let parts: Vec<Option<String>> = if typed {
            Self::parted_targets(line, from, line.text.len()).into_iter().map(|(_, p)| p).collect()
        } else {
            Vec::new()
        };
        for (k, t) in targets.into_iter().enumerate() {
            let part = parts.get(k).cloned().flatten();
            self.push_link(kind.clone(), label.clone(), part, t, LinkSource::Metadata, line.line);
        }
    }

    pub(super) fn unknown_status(&mut self, value: &str, line: u32) {
        if value.trim().is_empty() {
            return;
        }
        self.adr.status_raw = Some(value.trim().to_string());
        self.adr.status = Status::Unknown;
        self.diag(
            line,
            Severity::Warning,
            "unknown-status",
            format!("status `{}` is not a known status word; kept as written, read as unknown", value.trim()),
        );
    }

    /// A line of the record's header: a metadata line, else a status or relation written
    /// where a person reads it (`Superseded: 2019-12-19 by [ADR 14](..)` under `Date:`), else
    /// a date alone on its line (`June 19, 2018` under the title).
    fn header_line(&mut self, line: &Line, in_list: bool) -> bool {
        if self.metadata_line(line, in_list) {
            return true;
        }
        if self.status_or_link_line(line, 0, LinkSource::Metadata) {
            return true;
        }
        let t = line.text.trim();
        if self.adr.date.is_none() && t.split_whitespace().count() <= 4 {
            if let Some(f) = parse_date(t) {
                // The date is the line, give or take a weekday or a full stop.
                if f.matched.len() * 10 >= t.len() * 7 {
                    return self.set_date(t, line.line, DateSource::Text);
                }
            }
        }
        false
    }

    pub(super) fn metadata_blocks(&mut self, blocks: &[Block], in_list: bool) {
        // A label whose value stands in the next paragraph (`**Status:**`, a blank line, then
        // `Implementable`).
        let mut pending: Option<String> = None;
        for b in blocks {
            let waiting = pending.take();
            match b {
                Block::Para(lines) => {
                    if let (Some(label), Some(first)) = (&waiting, lines.first()) {
                        if lines.len() == 1 && first.text.split_whitespace().count() <= 12 {
                            self.header_line(&labelled(label, first), in_list);
                            continue;
                        }
                    }
                    for l in lines {
                        self.header_line(l, in_list);
                    }
                    if let Some((label, "")) = lines.last().and_then(Line::label_value) {
                        if classify(label) == Kind::Status || is_date_heading(&fold_heading(label)) {
                            pending = Some(label.to_string());
                        }
                    }
                }
                Block::List(items) => {
                    for it in items {
                        for ib in &it.blocks {
                            match ib {
                                Block::Para(lines) => {
                                    for l in lines {
                                        self.header_line(l, true);
                                    }
                                }
                                other => self.metadata_blocks(std::slice::from_ref(other), true),
                            }
                        }
                    }
                }
                Block::Quote(inner) => self.metadata_blocks(inner, in_list),
                Block::Table(rows) => self.metadata_table(rows),
                _ => {}
            }
        }
    }

    /// A table of metadata: a header row of labels over a row of values (`| Status | Date |
    /// Author(s) |` then `| Accepted | 2025-10-26 | Ann |`), or rows of label and value
    /// (`| Status | Accepted |`). A table of several rows with links lists other records and
    /// gives nothing.
    fn metadata_table(&mut self, rows: &[Vec<Line>]) {
        let label_of = |cell: &Line| cell.text.trim().trim_end_matches([':', '：']).trim().to_string();
        // `Accepted` names a date as a label, but is far more often a status value.
        let vocabulary = self.vocabulary.clone();
        let is_label = |cell: &Line| {
            field_of(&fold_key(&label_of(cell)), &vocabulary).is_some_and(|f| f != Field::Date { soft: true })
        };
        if let [header, values, more @ ..] = rows {
            let labels = header.iter().filter(|c| is_label(c)).count();
            // Several value rows that link elsewhere list other records (`| [1](0001-a.md) |
            // A | Accepted |`): an index of the log, not this record's metadata.
            let listing = !more.is_empty() && rows[1..].iter().flatten().any(|c| !c.links.is_empty());
            if listing {
                return;
            }
            if header.len() >= 2 && labels >= 2 && labels * 2 > header.len() {
                for (h, v) in header.iter().zip(values) {
                    if is_label(h) && !v.text.trim().is_empty() {
                        self.header_line(&labelled(&label_of(h), v), false);
                    }
                }
                return;
            }
        }
        for row in rows {
            if row.len() >= 2 {
                self.header_line(&labelled(&label_of(&row[0]), &row[1]), false);
            }
        }
    }

    pub(super) fn status_section(&mut self, blocks: &[Block]) {
        let history_from = self.adr.status_history.len();
        let mut first_short: Option<(String, u32)> = None;
        let mut any = false;
        for line in all_lines(blocks) {
            if line.text.trim().is_empty() {
                continue;
            }
            // `* Status: accepted` inside a Status section.
            if let Some((label, _)) = line.label_value() {
                if classify(label) == Kind::Status || fold_key(label) == "date" {
                    any |= self.metadata_line(line, true);
                    continue;
                }
            }
            if self.status_or_link_line(line, 0, LinkSource::Status) {
                any = true;
                continue;
            }
            let words = line.text.split_whitespace().count();
            let recognised = words <= 12 && self.record_status(&line.text, line.line, true);
            if recognised {
                any = true;
                // `Rejected in favour of ADR 111`, `Accepted (refines ADR-0003)`.
                for t in Self::targets(line, 0, line.text.len()) {
                    self.push_link(LinkKind::References, None, None, t, LinkSource::Status, line.line);
                }
            } else {
                if first_short.is_none() && words <= 12 {
                    first_short = Some((line.text.clone(), line.line));
                }
                // A sentence in the Status section (`See [the plan](0002-x.md).`): its links
                // are read as anywhere else.
                self.prose_line(line, Mentions::of(&line.text));
            }
        }
        if !any && self.adr.status_raw.is_none() {
            if let Some((raw, line)) = first_short {
                self.unknown_status(&raw, line);
            }
        }
        // A status history (`2017-11-22 提议`, then `2017-11-26 完成`): the last line gave the
        // status, the first gives the date when nothing else did.
        if self.adr.date.is_none() {
            let first = self.adr.status_history[history_from..]
                .iter()
                .filter(|h| h.date.is_some())
                .min_by_key(|h| h.line)
                .map(|h| (h.raw.clone(), h.line));
            if let Some((raw, line)) = first {
                self.set_date(&raw, line, DateSource::Changelog);
            }
        }
    }

    pub(super) fn changelog(&mut self, blocks: &[Block]) {
        let mut first_date: Option<(String, u32)> = None;
        for line in all_lines(blocks) {
            let Some(found) = parse_date(&line.text) else { continue };
            if first_date.is_none() {
                first_date = Some((found.matched.clone(), line.line));
            }
            // A changelog entry that names a status becomes part of the status history.
            let lower = line.text.to_lowercase();
            for (word, status) in [
                ("accepted", Status::Accepted),
                ("proposed", Status::Proposed),
                ("draft", Status::Draft),
                ("rejected", Status::Rejected),
                ("deprecated", Status::Deprecated),
                ("superseded", Status::Superseded),
                ("implemented", Status::Accepted),
            ] {
                if lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == word) {
                    self.adr.status_history.push(StatusChange {
                        status,
                        raw: line.text.clone(),
                        date: Some(found.date),
                        line: line.line,
                    });
                    break;
                }
            }
        }
        if self.adr.date.is_none() {
            if let Some((raw, line)) = first_date {
                self.set_date(&raw, line, DateSource::Changelog);
            }
        }
    }

    /// A review date anywhere (`**Review Date:** ...`), when no field gave one.
    pub(super) fn review_date(&mut self, blocks: &[Block]) {
        if self.adr.review_date.is_none() {
            for line in all_lines(blocks) {
                // Every review label spells `revi` (any case): most lines do not, and reading
                // each as `label: value` took 5% of parsing.
                if !spells_revi(&line.text) {
                    continue;
                }
                if let Some((label, value)) = line.label_value() {
                    if is_review_label(label) {
                        if let Some(f) = parse_date(value) {
                            self.adr.review_date = Some(f.date);
                            self.adr.review_date_raw = Some(value.to_string());
                            break;
                        }
                    }
                }
            }
        }
    }
}

//! Sections: headings classified by their folded text (English, French, Portuguese, Spanish,
//! German forms), and the walk over a record's sections that sends each to the reader of its
//! kind.

use super::*;

/// What kind of section a heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Preamble,
    Title,
    Status,
    Context,
    Drivers,
    Options,
    Outcome,
    Decision,
    Consequences,
    Positive,
    Negative,
    Neutral,
    ProsCons,
    Implementation,
    Validation,
    Links,
    Changelog,
    Deciders,
    Other,
}

pub(super) const HEADINGS: &[(Kind, &[&str])] = &[
    (
        Kind::Status,
        &[
            "status",
            "statut",
            "estado",
            "state",
            "decision status",
            "current status",
            "situação",
            "stato",
            "状态",
            "狀態",
            "状態",
            "ステータス",
            "상태",
        ],
    ),
    (
        Kind::Context,
        &[
            "context",
            "context and problem statement",
            "context and problem",
            "problem statement",
            "problem",
            "background",
            "motivation",
            "contexto",
            "contexte",
            "contexte et problématique",
            "contexto e problema",
            "kontext",
            "summary",
            "issue",
            "the problem",
            "context & problem statement",
            "背景",
            "上下文",
            "语境",
            "问题",
            "コンテキスト",
            "文脈",
            "배경",
            "맥락",
            "컨텍스트",
            "contesto",
            "achtergrond",
            "hintergrund",
        ],
    ),
    (
        Kind::Drivers,
        &[
            "decision drivers",
            "drivers",
            "forces",
            "critères de décision",
            "facteurs de décision",
            "decision criteria",
            "requirements",
            "goals",
        ],
    ),
    (
        Kind::Options,
        &[
            "considered options",
            "considered alternatives",
            "options",
            "options considered",
            "alternatives",
            "alternatives considered",
            "options envisagées",
            "options considérées",
            "opções consideradas",
            "alternativas",
        ],
    ),
    (
        Kind::Outcome,
        &[
            "decision outcome",
            "outcome",
            "résultat de la décision",
            "résultat",
            "resultado da decisão",
            "chosen option",
        ],
    ),
    (
        Kind::Decision,
        &[
            "decision",
            "décision",
            "decisão",
            "decisión",
            "entscheidung",
            "the decision",
            "proposal",
            "proposed decision",
            "what's proposed",
            "what’s proposed",
            "solution",
            "proposed solution",
            "决策",
            "决定",
            "決策",
            "決定",
            "決定事項",
            "결정",
            "decisione",
            "besluit",
            "beslissing",
        ],
    ),
    (
        Kind::Consequences,
        &[
            "consequences",
            "conséquences",
            "consequências",
            "consecuencias",
            "konsequenzen",
            "implications",
            "impact",
            "结果",
            "后果",
            "影响",
            "結果",
            "影響",
            "결과",
            "영향",
            "conseguenze",
            "gevolgen",
        ],
    ),
    (
        Kind::Positive,
        &["positive consequences", "positive", "good", "benefits", "conséquences positives", "pros"],
    ),
    (
        Kind::Negative,
        &["negative consequences", "negative", "bad", "drawbacks", "conséquences négatives", "cons", "risks"],
    ),
    (Kind::Neutral, &["neutral consequences", "neutral"]),
    (
        Kind::ProsCons,
        &[
            "pros and cons of the options",
            "pros and cons of the alternatives",
            "pros and cons",
            "detailed analysis",
            "analysis",
            "avantages et inconvénients des options",
            "options analysis",
            "evaluation",
        ],
    ),
    (
        Kind::Implementation,
        &["implementation plan", "implementation", "rollout", "rollout plan", "migration plan", "plan"],
    ),
    (
        Kind::Validation,
        &["validation criteria", "validation", "confirmation", "success criteria", "success metrics"],
    ),
    (
        Kind::Links,
        &[
            "links",
            "references",
            "related",
            "related decisions",
            "related adrs",
            "related resources",
            "see also",
            "liens",
            "referências",
            "further reading",
            "more information",
            "additional information",
        ],
    ),
    (
        Kind::Changelog,
        &["changelog", "change log", "history", "status history", "revision history", "changes"],
    ),
    (Kind::Deciders, &["deciders", "decision makers", "decision-makers", "authors"]),
];

/// Fold a heading for classification: lowercase, leading numbering/emoji removed, trailing
/// `:` removed, whitespace collapsed.
pub(super) fn fold_heading(h: &str) -> String {
    let start = h.char_indices().find(|(_, c)| c.is_alphabetic()).map(|(i, _)| i).unwrap_or(h.len());
    let h = h[start..].trim().trim_end_matches([':', '.']).trim();
    let mut out = String::with_capacity(h.len());
    for w in h.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}

/// [`HEADINGS`] by name (the first kind that lists a name), and by names longer than five
/// bytes: a heading is classified for every section and many paragraphs.
pub(super) type HeadingKinds = (HashMap<&'static str, Kind>, HashMap<&'static str, Kind>);
pub(super) static HEADING_KINDS: LazyLock<HeadingKinds> = LazyLock::new(|| {
    let (mut all, mut long) = (HashMap::new(), HashMap::new());
    for (kind, names) in HEADINGS {
        for n in *names {
            all.entry(*n).or_insert(*kind);
            if n.len() > 5 {
                long.entry(*n).or_insert(*kind);
            }
        }
    }
    (all, long)
});

/// The words of a file's name without its number, date or id prefix, each capitalised:
/// `001-drop-kafka-dependency` -> `Drop`, `Kafka`, `Dependency`; `2022-06-02-ids-serializer/README`
/// names the folder's words.
pub(super) fn name_words(slug: &str) -> Vec<String> {
    let last =
        slug.rsplit('/').find(|p| !p.eq_ignore_ascii_case("readme") && !p.eq_ignore_ascii_case("index"));
    let Some(name) = last else { return Vec::new() };
    let mut words: Vec<&str> = name.split(['-', '_', ' ', '.']).filter(|w| !w.is_empty()).collect();
    // Drop the prefix: numbers, a date's parts, and an id word before a number (`ADR-012`).
    while let Some(first) = words.first() {
        let glued_id = first.len() > 3
            && first.trim_start_matches(|c: char| c.is_ascii_alphabetic()).len() < first.len()
            && first
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .chars()
                .all(|c| c.is_ascii_digit())
            && !first.chars().all(|c| c.is_ascii_alphabetic());
        let id_word = words.len() > 1
            && words[1].chars().all(|c| c.is_ascii_digit())
            && matches!(
                first.to_ascii_lowercase().as_str(),
                "adr" | "rfc" | "madr" | "kep" | "tep" | "cfp" | "dr"
            );
        if first.chars().all(|c| c.is_ascii_digit()) || id_word || glued_id {
            words.remove(0);
        } else {
            break;
        }
    }
    words.into_iter().map(super::links::capitalise).collect()
}

/// Headings over a record's metadata (`# Meta` above `- Name:`, `- Start Date:`, `- Status:`):
/// never its title.
pub(super) fn is_meta_heading(folded: &str) -> bool {
    matches!(
        folded,
        "meta" | "metadata" | "meta data" | "header" | "document information" | "info" | "métadonnées"
    )
}

/// Headings that name the record's date when it is written as a section of its own.
pub(super) fn is_date_heading(folded: &str) -> bool {
    matches!(
        folded,
        "date" | "data" | "datum" | "fecha" | "date of decision" | "decision date" | "日期" | "日付" | "날짜"
    )
}

pub(super) fn classify(heading: &str) -> Kind {
    classify_folded(&fold_heading(heading))
}

/// [`classify`] of a heading already folded.
pub(super) fn classify_folded(f: &str) -> Kind {
    let (all, long) = &*HEADING_KINDS;
    if let Some(kind) = all.get(f) {
        return *kind;
    }
    // Forms such as `Status (as of 2023)`, `Context and problem statement (why)`.
    let first = f.split(|c: char| !c.is_alphanumeric() && c != ' ').next().unwrap_or("");
    long.get(first.trim()).copied().unwrap_or(Kind::Other)
}

/// A front matter value read as one line of markdown, by pulldown-cmark as the body is: its
/// text with emphasis dropped and its links (escaped brackets, `<dest with spaces>` and all),
/// on the front matter's `line`.
pub(super) fn inline_line(s: &str, line: u32) -> Line {
    let one = s.replace(['\n', '\r'], " ");
    let index = LineIndex::new(&one);
    let doc = blocks::parse_doc(&one, &index);
    let mut out = Line { text: one.clone(), line, ..Line::default() };
    if let [Block::Para(lines)] = doc.blocks.as_slice() {
        if let [l] = lines.as_slice() {
            out = Line { line, ..l.clone() };
        }
    }
    out
}

pub(super) fn append_text(field: &mut Option<String>, t: &str) {
    if t.is_empty() {
        return;
    }
    match field {
        Some(existing) => {
            existing.push_str("\n\n");
            existing.push_str(t);
        }
        None => *field = Some(t.to_string()),
    }
}

pub(super) fn first_paragraph(blocks: &[Block]) -> Option<(String, u32)> {
    blocks.iter().find_map(|b| match b {
        Block::Para(lines) if !lines.is_empty() => {
            Some((lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "), lines[0].line))
        }
        _ => None,
    })
}

/// Top-level list items' text, or paragraph lines when there is no list.
pub(super) fn list_items_or_lines(blocks: &[Block]) -> Vec<String> {
    let mut items = Vec::new();
    for b in blocks {
        if let Block::List(list) = b {
            items.extend(list.iter().map(Item::own_text).filter(|t| !t.is_empty()));
        }
    }
    if items.is_empty() {
        for b in blocks {
            if let Block::Para(lines) = b {
                items.extend(lines.iter().map(|l| l.text.clone()).filter(|t| !t.is_empty()));
            }
        }
    }
    items
}

impl Extractor {
    /// Read the record's body: cut it into sections, then read the title, the metadata and
    /// status, each content section, the chosen option, a review date, prose links, and keep
    /// every section's text for indexing.
    pub(super) fn body(&mut self, blocks: &[Block]) {
        let secs = self.sections(blocks);
        self.title(&secs, blocks);
        self.metadata_and_status(&secs);
        // Content sections. Each section's text is made once: for its field and for indexing.
        let mut texts: Vec<String> = secs.iter().map(|s| blocks_text(s.blocks)).collect();
        let mut options = OptionList::default();
        // The option whose own sub-section is open, with its heading level: `#### Pros` under
        // `### ArgoCD` argues for ArgoCD.
        let mut open_option: Option<(usize, u8)> = None;
        for (sec, text) in secs.iter().zip(&texts) {
            self.content_section(sec, text, &mut options, &mut open_option);
        }
        self.mark_chosen(options.list);
        self.review_date(blocks);
        self.prose(&secs, &texts);
        self.keep_sections(&secs, &mut texts);
    }

    /// The sections of the body, each heading classified (the first that names no section is
    /// the title).
    fn sections<'b>(&self, blocks: &'b [Block]) -> Vec<Sec<'b>> {
        // Cut into sections.
        let mut secs: Vec<Sec<'_>> = Vec::new();
        let mut start = 0;
        let mut current: Option<(&Line, u8)> = None;
        let mut parent = Kind::Preamble;
        let mut title_seen = false;
        // (heading, first block, end block) of each section.
        type Bound<'a> = (Option<(&'a Line, u8)>, usize, usize);
        let mut bounds: Vec<Bound<'_>> = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            if let Block::Heading { level, content } = b {
                bounds.push((current, start, i));
                current = Some((content, *level));
                start = i + 1;
            }
        }
        bounds.push((current, start, blocks.len()));
        // A first heading of level 1 named like a section (`# 3. Links`, `# Status`) is still the
        // title, when nothing else can be: no title in the front matter and no other level-1
        // heading that names no section.
        let first_h1_is_title = self.adr.title.is_none()
            && matches!(bounds.get(1), Some((Some((_, 1)), _, _)))
            && !bounds.iter().skip(2).any(|(h, _, _)| {
                h.is_some_and(|(line, level)| level == 1 && classify(&line.text) == Kind::Other)
            });
        for (n, (heading, s, e)) in bounds.into_iter().enumerate() {
            let folded = heading.map(|(line, _)| fold_heading(&line.text)).unwrap_or_default();
            let kind = match heading {
                None => Kind::Preamble,
                Some((_, level)) => {
                    let kind = classify_folded(&folded);
                    // A heading after a named section (`# What it is` after `# Motivation`) is
                    // a section of the text, not the title.
                    let named_before = secs.iter().any(|s| !matches!(s.kind, Kind::Preamble | Kind::Other));
                    if !title_seen
                        && !is_meta_heading(&folded)
                        && !named_before
                        && ((level == 1 || secs.iter().all(|s| s.heading.is_none())) && kind == Kind::Other
                            || n == 1 && first_h1_is_title)
                    {
                        title_seen = true;
                        Kind::Title
                    } else {
                        kind
                    }
                }
            };
            let level = heading.map(|(_, l)| l).unwrap_or(0);
            if level <= 2 {
                parent = kind;
            }
            secs.push(Sec {
                heading,
                folded,
                kind,
                parent: if level <= 2 { Kind::Preamble } else { parent },
                blocks: &blocks[s..e],
            });
        }
        secs
    }

    /// The title and the number, from the title section (or a first `#25. Title` line) and the
    /// file name.
    fn title(&mut self, secs: &[Sec<'_>], blocks: &[Block]) {
        let file_number = text::number_from_name(&self.adr.slug);
        if let Some(sec) = secs.iter().find(|s| s.kind == Kind::Title) {
            let (line, _) = sec.heading.expect("titles have headings");
            let (mut t, n) = clean_title(&line.text);
            // `# 28 Repo scanning` in `028-repo-scanning.md`: a bare number equal to the file's.
            if n.is_none() {
                if let Some((num, rest)) = t.split_once(' ') {
                    if num.parse::<u32>().ok().is_some_and(|k| Some(k) == file_number) {
                        t = rest.trim().to_string();
                    }
                }
            }
            self.signals.nygard_title =
                n.is_some() && line.text.trim_start().starts_with(|c: char| c.is_ascii_digit());
            if !t.is_empty() {
                self.adr.title = Some(t);
            }
            if n.is_some() {
                self.adr.title_number = n;
            }
        }
        if self.adr.title.is_none() {
            // `#25. Automatic code merging`: not a heading (no space after `#`), but the first
            // line and the only title there is.
            if let Some(Block::Para(lines)) = blocks.first() {
                let t = lines.first().map(|l| l.text.as_str()).unwrap_or("");
                let rest = t.trim_start_matches('#');
                if t.starts_with('#')
                    && t.len() - rest.len() <= 6
                    && rest.starts_with(|c: char| !c.is_whitespace())
                {
                    let (title, n) = clean_title(rest);
                    if !title.is_empty() {
                        self.adr.title = Some(title);
                        self.adr.title_number = n;
                    }
                }
            }
        }
        if self.adr.title.is_none() {
            self.untitled(blocks);
        }
        // The file's number names the decision (links and `show 31` use it); a title that says
        // otherwise is lint's `number-mismatch`.
        if file_number.is_some() {
            self.adr.number = file_number;
        }
        if self.adr.number.is_none() {
            self.adr.number = self.adr.title_number;
        }
    }

    /// The title of a record with no heading and no front matter title: a short first line
    /// standing alone above the text (`Drop Kafka`, then a blank line), else the file's name
    /// (`001-drop-kafka-dependency.md` -> `Drop Kafka Dependency`), said in a note.
    fn untitled(&mut self, blocks: &[Block]) {
        if let (Some(Block::Para(lines)), Some(_)) = (blocks.first(), blocks.get(1)) {
            if let [line] = lines.as_slice() {
                let t = line.text.trim();
                let words = t.split_whitespace().count();
                if (1..=12).contains(&words)
                    && !t.ends_with(['.', ':', ',', ';', '：', '。'])
                    && line.label_value().is_none()
                    && line.links.is_empty()
                    && parse_date(t).is_none()
                {
                    let (title, n) = clean_title(t);
                    if !title.is_empty() {
                        self.adr.title = Some(title);
                        self.adr.title_number = n;
                        return;
                    }
                }
            }
        }
        let words: Vec<String> = name_words(&self.adr.slug);
        if !words.is_empty() {
            let title = words.join(" ");
            self.diag(
                1,
                Severity::Note,
                TITLE_FROM_FILE_NAME,
                format!("no title in the file: `{title}`, from its name"),
            );
            self.adr.title = Some(title);
        }
    }

    /// Metadata before the first real section, the status section and changelog, and the date
    /// the file name gives when nothing else does.
    fn metadata_and_status(&mut self, secs: &[Sec<'_>]) {
        // Metadata before the first real section: the preamble, the title's section, and any
        // unnamed section before the first one a template names (`## Front-end Code Quality
        // Tools` repeating the title above its `* **Status:** Active` bullets).
        let first_named = secs
            .iter()
            .position(|s| !matches!(s.kind, Kind::Preamble | Kind::Title | Kind::Other))
            .unwrap_or(secs.len());
        for sec in &secs[..first_named] {
            if matches!(sec.kind, Kind::Preamble | Kind::Title | Kind::Other) {
                self.metadata_blocks(sec.blocks, false);
            }
        }

        for sec in secs {
            match sec.kind {
                Kind::Status => {
                    self.signals.status_section = true;
                    self.status_section(sec.blocks);
                }
                Kind::Changelog => self.changelog(sec.blocks),
                // `## Date` with the date as its only line, as a field written as a section.
                Kind::Other if is_date_heading(&sec.folded) => {
                    if let Some((text, line)) = first_paragraph(sec.blocks) {
                        if text.split_whitespace().count() <= 6 {
                            self.set_date(&text, line, DateSource::Text);
                        }
                    }
                }
                _ => {}
            }
        }
        if self.adr.date.is_none() {
            if let Some(d) = text::date_from_name(&self.adr.slug) {
                self.adr.date = Some(d);
                self.adr.date_raw = Some(self.adr.slug.clone());
                self.adr.date_source = Some(DateSource::FileName);
            }
        }
    }

    /// One content section, read by its kind (an unrecognised sub-heading inherits its
    /// parent's); an option's own sub-section stays open for the `Pros`/`Cons` headings below it.
    fn content_section(
        &mut self,
        sec: &Sec<'_>,
        text: &str,
        options: &mut OptionList,
        open_option: &mut Option<(usize, u8)>,
    ) {
        let level = sec.heading.map_or(0, |(_, l)| l);
        if let Some((idx, opt_level)) = *open_option {
            if level <= opt_level {
                *open_option = None;
            } else if let Some(mode) = sec.heading.and_then(|(l, _)| pros_cons_label(&l.text)) {
                option_arguments(&mut options.list[idx], mode, sec.blocks);
                return;
            }
        }
        let effective = if sec.heading.is_some_and(|(_, l)| l >= 3) && sec.kind == Kind::Other {
            // An unrecognised sub-heading inherits its parent's meaning.
            sec.parent
        } else {
            sec.kind
        };
        let heading_text = sec.heading.map(|(l, _)| l.text.as_str()).unwrap_or("");
        if matches!(
            sec.folded.as_str(),
            "considered options"
                | "decision outcome"
                | "decision drivers"
                | "pros and cons of the options"
                | "considered alternatives"
                | "context and problem statement"
        ) {
            self.signals.madr_headings = true;
        }
        if matches!(sec.folded.as_str(), "detailed analysis" | "implementation plan") {
            self.signals.seed_headings = true;
        }
        match effective {
            Kind::Context => append_text(&mut self.adr.context, text),
            Kind::Decision => {
                append_text(&mut self.adr.decision, text);
                self.outcome(sec.blocks, false, options);
            }
            Kind::Drivers => {
                let items = list_items_or_lines(sec.blocks);
                self.adr.decision_drivers.extend(items);
            }
            Kind::Options => {
                if sec.heading.is_some_and(|(_, l)| l >= 3) && sec.parent == Kind::Options {
                    let line = sec.heading.map_or(0, |(l, _)| l.line);
                    if let Some(idx) = options_detail(options, heading_text, line, sec.blocks) {
                        *open_option = Some((idx, level));
                    }
                } else {
                    for (title, line, under) in option_titles(sec.blocks) {
                        let idx = options.add(&title, line);
                        option_arguments(&mut options.list[idx], OptionMode::Desc, under);
                    }
                }
            }
            Kind::ProsCons if sec.heading.is_some_and(|(_, l)| l >= 3) => {
                let line = sec.heading.map_or(0, |(l, _)| l.line);
                if let Some(idx) = options_detail(options, heading_text, line, sec.blocks) {
                    *open_option = Some((idx, level));
                }
            }
            Kind::Outcome => self.outcome(sec.blocks, true, options),
            Kind::Consequences => {
                if sec.heading.is_some_and(|(_, l)| l <= 2) || sec.parent == Kind::Outcome {
                    append_text(&mut self.adr.consequences.text, text);
                }
                self.consequence_items(sec.blocks, None);
            }
            Kind::Positive | Kind::Negative | Kind::Neutral
                if matches!(
                    sec.parent,
                    Kind::Outcome | Kind::Consequences | Kind::Decision | Kind::Preamble
                ) =>
            {
                self.consequence_items(sec.blocks, Some(sec.kind));
            }
            Kind::Implementation => {
                if let Some((line, level)) = sec.heading {
                    if level >= 3 || PHASE_PREFIX.is_match(&line.text) {
                        self.adr.phases.push(phase(&line.text, sec.blocks));
                    }
                }
            }
            Kind::Validation => {
                let items = list_items_or_lines(sec.blocks);
                self.adr
                    .validation
                    .extend(items.into_iter().filter(|i| !i.trim_end().ends_with('?') && !is_review_line(i)));
            }
            Kind::Links => self.links_section(sec.blocks),
            Kind::Deciders if self.adr.deciders.is_empty() => {
                self.adr.deciders =
                    list_items_or_lines(sec.blocks).iter().flat_map(|p| split_people(p)).collect();
            }
            _ => {}
        }
    }

    /// Prose links and ids everywhere but the status and links sections.
    fn prose(&mut self, secs: &[Sec<'_>], texts: &[String]) {
        for (sec, text) in secs.iter().zip(texts) {
            if matches!(sec.kind, Kind::Status | Kind::Links) || sec.parent == Kind::Links {
                continue;
            }
            let mentions = Mentions::of(text);
            for line in all_lines(sec.blocks) {
                self.prose_line(line, mentions);
            }
            if let Some((line, level)) = sec.heading {
                if level > 1 && sec.kind != Kind::Title {
                    self.prose_line(line, Mentions::of(&line.text));
                }
            }
        }
    }

    /// Every section's heading, level, line and text, for showing and indexing.
    fn keep_sections(&mut self, secs: &[Sec<'_>], texts: &mut [String]) {
        for (sec, text) in secs.iter().zip(texts.iter_mut()) {
            let (heading, level, line) = match sec.heading {
                Some((l, level)) => (l.text.clone(), level, l.line),
                None => (String::new(), 0, 1),
            };
            let text = std::mem::take(text);
            if heading.is_empty() && text.is_empty() {
                continue;
            }
            self.adr.sections.push(Section { heading, level, line, text });
        }
    }
}

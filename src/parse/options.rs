//! Considered options (titles, pros, cons, cost, risk), the chosen one, consequences and
//! implementation phases.

use super::*;

pub(super) fn strip_option_prefix(s: &str) -> String {
    let s = s.trim();
    let s = OPTION_PREFIX.replace(s, "");
    s.trim().trim_matches(|c| c == '"' || c == '\'' || c == '“' || c == '”').trim().to_string()
}

/// The options listed in a `## Considered Options` section: each item's first line, with the
/// blocks under it (indented sub-bullets, a paragraph), which belong to that option.
pub(super) fn option_titles(blocks: &[Block]) -> Vec<(String, u32, &[Block])> {
    let mut out = Vec::new();
    for b in blocks {
        if let Block::List(items) = b {
            for it in items {
                if let Some(l) = it.first_line() {
                    let t = strip_option_prefix(&l.text);
                    if !t.is_empty() {
                        out.push((t, l.line, it.blocks.get(1..).unwrap_or_default()));
                    }
                }
            }
        }
    }
    out
}

/// The considered options of a record as they are read, each with its folded title: adding an
/// option or finding one by title costs one hash look-up, not a fold of every earlier title
/// (100,000 options took over ten minutes that way).
#[derive(Default)]
pub(super) struct OptionList {
    pub(super) list: Vec<ConsideredOption>,
    pub(super) keys: Vec<String>,
    pub(super) by_key: HashMap<String, usize>,
}

impl OptionList {
    /// Options past this many are matched to their sub-sections by exact title only: the
    /// prefix match looks at every option, which hostile inputs would make quadratic.
    const PREFIX_MATCH_UP_TO: usize = 512;

    pub(super) fn add(&mut self, title: &str, line: u32) -> usize {
        let key = fold_key(title);
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        self.list.push(ConsideredOption { title: title.to_string(), line, ..ConsideredOption::default() });
        self.by_key.insert(key.clone(), self.list.len() - 1);
        self.keys.push(key);
        self.list.len() - 1
    }
}

/// An option's own sub-section (`### Option 1: NATS JetStream` / `### [option 1]`). Returns the
/// option's index.
pub(super) fn options_detail(
    options: &mut OptionList,
    heading: &str,
    line: u32,
    blocks: &[Block],
) -> Option<usize> {
    let title = strip_option_prefix(heading);
    if title.is_empty() {
        return None;
    }
    // `### Option 1: NATS` matches the listed `NATS` or `Option 1: NATS`; fall back to position.
    let key = fold_key(&title);
    let idx = options
        .by_key
        .get(&key)
        .copied()
        .or_else(|| {
            (options.keys.len() <= OptionList::PREFIX_MATCH_UP_TO).then_some(())?;
            options
                .keys
                .iter()
                .position(|k| k.starts_with(&key) || key.starts_with(k.as_str()) && !k.is_empty())
        })
        .unwrap_or_else(|| options.add(&title, line));
    option_arguments(&mut options.list[idx], OptionMode::Desc, blocks);
    Some(idx)
}

/// What the lines of an option's text are read as, after a label (`**Pros**`, `#### Cons`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OptionMode {
    Desc,
    Pros,
    Cons,
    Neutral,
}

/// `Pros`, `**Cons**`, `Advantages:` alone on a line: the label it is.
pub(super) fn pros_cons_label(text: &str) -> Option<OptionMode> {
    let t = text.trim().trim_end_matches(':').trim();
    if t.split_whitespace().nth(2).is_some() {
        return None;
    }
    match fold_key(t).as_str() {
        "pros" | "pro" | "advantages" | "strengths" | "benefits" | "positive" | "positives" => {
            Some(OptionMode::Pros)
        }
        "cons" | "con" | "disadvantages" | "weaknesses" | "drawbacks" | "negative" | "negatives" => {
            Some(OptionMode::Cons)
        }
        "neutral" => Some(OptionMode::Neutral),
        _ => None,
    }
}

/// Read an option's description, pros, cons, cost and risk from its blocks, starting in `mode`.
pub(super) fn option_arguments(opt: &mut ConsideredOption, mut mode: OptionMode, blocks: &[Block]) {
    use OptionMode as Mode;
    for b in blocks {
        match b {
            Block::Para(lines) => {
                let mut desc_lines = Vec::new();
                for l in lines {
                    // `**Pros**`, `Cons`: a label alone on its line.
                    if let Some(m) = pros_cons_label(&l.text) {
                        mode = m;
                        continue;
                    }
                    if let Some((label, value)) = l.label_value() {
                        match fold_key(label).as_str() {
                            "pros" | "pro" | "advantages" | "good" | "strengths" => {
                                mode = Mode::Pros;
                                if !value.is_empty() {
                                    opt.pros.push(value.to_string());
                                }
                                continue;
                            }
                            "cons" | "con" | "disadvantages" | "bad" | "weaknesses" => {
                                mode = Mode::Cons;
                                if !value.is_empty() {
                                    opt.cons.push(value.to_string());
                                }
                                continue;
                            }
                            "neutral" => {
                                mode = Mode::Neutral;
                                continue;
                            }
                            "cost/effort" | "cost" | "effort" | "cost effort" | "cost and effort" => {
                                opt.cost = Some(value.to_string());
                                continue;
                            }
                            "risk" | "risks" | "risk level" => {
                                opt.risk = Some(value.to_string());
                                continue;
                            }
                            _ => {}
                        }
                    }
                    desc_lines.push(l.text.clone());
                }
                if !desc_lines.is_empty() && matches!(mode, Mode::Desc) {
                    let d = desc_lines.join("\n");
                    opt.description = Some(match opt.description.take() {
                        Some(prev) => format!("{prev}\n\n{d}"),
                        None => d,
                    });
                }
            }
            Block::List(items) => {
                for it in items {
                    let text = it.own_text();
                    if let Some(m) = GOOD_BAD.captures(&text) {
                        let rest = text[m.get(0).map_or(0, |g| g.end())..].trim().to_string();
                        match m[1].to_lowercase().as_str() {
                            "good" | "pro" | "positive" => opt.pros.push(rest),
                            "bad" | "con" | "negative" => opt.cons.push(rest),
                            _ => opt.neutral.push(rest),
                        }
                        continue;
                    }
                    // MADR 1.0: `` * `+` argument `` / `` * `-` argument ``.
                    if let Some(rest) = text.strip_prefix("+ ").or_else(|| text.strip_prefix("+")) {
                        if it.first_line().is_some_and(|l| l.code.first().is_some_and(|c| c.0 == 0))
                            || text.starts_with("+ ")
                        {
                            opt.pros.push(rest.trim().to_string());
                            continue;
                        }
                    }
                    if let Some(rest) = text.strip_prefix("- ") {
                        if it.first_line().is_some_and(|l| l.code.first().is_some_and(|c| c.0 == 0)) {
                            opt.cons.push(rest.trim().to_string());
                            continue;
                        }
                    }
                    match mode {
                        Mode::Pros => opt.pros.push(text),
                        Mode::Cons => opt.cons.push(text),
                        Mode::Neutral => opt.neutral.push(text),
                        Mode::Desc => {
                            opt.description = Some(match opt.description.take() {
                                Some(prev) => format!("{prev}\n- {text}"),
                                None => format!("- {text}"),
                            })
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// `"X", because Y` / `X, because Y` / `"X"` -> (X, Y).
pub(super) fn split_chosen(rest: &str) -> (String, Option<String>) {
    let rest = rest.trim();
    // Quoted form first: the quotes may contain commas.
    for (open, close) in [('"', '"'), ('“', '”'), ('\'', '\'')] {
        if let Some(after_open) = rest.strip_prefix(open) {
            if let Some(end) = after_open.find(close) {
                let chosen = after_open[..end].trim().to_string();
                let tail = &after_open[end + close.len_utf8()..];
                let rationale =
                    BECAUSE.find(tail).map(|m| tail[m.end()..].trim().to_string()).filter(|s| !s.is_empty());
                return (strip_option_prefix(&chosen), rationale);
            }
        }
    }
    match BECAUSE.find(rest) {
        Some(m) => {
            let chosen = rest[..m.start()].trim().trim_end_matches(',').to_string();
            let rationale = rest[m.end()..].trim().to_string();
            (strip_option_prefix(&chosen), (!rationale.is_empty()).then_some(rationale))
        }
        None => (strip_option_prefix(rest.trim_end_matches('.')), None),
    }
}

pub(super) fn phase(heading: &str, blocks: &[Block]) -> Phase {
    let name = PHASE_PREFIX.replace(heading.trim(), "").trim().to_string();
    let mut p =
        Phase { name: if name.is_empty() { heading.trim().to_string() } else { name }, ..Phase::default() };
    let mut deliverables_next = false;
    for b in blocks {
        match b {
            Block::Para(lines) => {
                deliverables_next = false;
                for l in lines {
                    if let Some((label, value)) = l.label_value() {
                        match fold_key(label).as_str() {
                            "timeline" | "duration" | "when" | "schedule" | "timeframe" => {
                                p.timeline = Some(value.to_string());
                            }
                            "deliverables" | "deliverable" | "outputs" => {
                                if value.is_empty() {
                                    deliverables_next = true;
                                } else {
                                    p.deliverables.push(value.to_string());
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            Block::List(items) if deliverables_next || p.deliverables.is_empty() => {
                p.deliverables.extend(items.iter().map(Item::own_text).filter(|t| !t.is_empty()));
            }
            _ => {}
        }
    }
    p
}

impl Extractor {
    pub(super) fn outcome(&mut self, blocks: &[Block], is_outcome_section: bool, options: &OptionList) {
        for line in all_lines(blocks) {
            if let Some(c) = CHOSEN.captures(&line.text) {
                let rest = c[1].trim();
                let (chosen, rationale) = split_chosen(rest);
                self.adr.outcome = Some(Outcome {
                    chosen: (!chosen.is_empty()).then_some(chosen),
                    rationale: rationale.or_else(|| {
                        // `because` followed by a list.
                        let t = blocks_text(blocks);
                        let after = t.split_once(line.text.as_str()).map(|(_, a)| a.trim().to_string());
                        after.filter(|a| !a.is_empty())
                    }),
                    line: line.line,
                });
                break;
            }
        }
        if is_outcome_section && self.adr.outcome.is_none() {
            let text = first_paragraph(blocks);
            if let Some((t, line)) = text {
                self.adr.outcome = Some(Outcome { chosen: None, rationale: Some(t), line });
            }
        }
        if is_outcome_section {
            self.outcome_bullet(blocks, options);
        }
        // MADR 2.0: `Positive Consequences:` as a plain label before a list.
        self.consequence_items(blocks, None);
    }

    /// A `## Decision Outcome` that opens with one bullet naming a considered option
    /// (`- Use Postgres`) chooses it, when no `Chosen option:` line named one.
    fn outcome_bullet(&mut self, blocks: &[Block], options: &OptionList) {
        if self.adr.outcome.as_ref().is_some_and(|o| o.chosen.is_some()) {
            return;
        }
        let Some(Block::List(items)) = blocks.first() else { return };
        let [item] = items.as_slice() else { return };
        let Some(line) = item.first_line() else { return };
        let named = fold_key(&strip_option_prefix(&line.text));
        let Some(&i) = options.by_key.get(&named) else { return };
        let rest = blocks_text(&blocks[1..]);
        self.adr.outcome = Some(Outcome {
            chosen: Some(options.list[i].title.clone()),
            rationale: (!rest.is_empty()).then_some(rest),
            line: line.line,
        });
    }

    /// Consequence bullets: under a labelled heading (`kind`), after a label paragraph, or with
    /// `Good, because` / `Bad, because` / `Neutral, because` prefixes.
    pub(super) fn consequence_items(&mut self, blocks: &[Block], kind: Option<Kind>) {
        let mut mode = kind;
        for b in blocks {
            match b {
                Block::Para(lines) => {
                    if let Some(l) = lines.last() {
                        // A label paragraph has at most three words: most paragraphs are not one.
                        let k = match l.text.split_whitespace().nth(3) {
                            None => classify(l.text.trim_end_matches(':')),
                            Some(_) => Kind::Other,
                        };
                        if matches!(k, Kind::Positive | Kind::Negative | Kind::Neutral) {
                            mode = Some(k);
                            continue;
                        }
                    }
                    if kind.is_none() {
                        mode = None;
                    }
                }
                Block::List(items) => {
                    for it in items {
                        let text = it.own_text();
                        if let Some(m) = GOOD_BAD.captures(&text) {
                            let rest = text[m.get(0).map_or(0, |g| g.end())..].trim().to_string();
                            let target = match m[1].to_lowercase().as_str() {
                                "good" | "pro" | "positive" => &mut self.adr.consequences.positive,
                                "bad" | "con" | "negative" => &mut self.adr.consequences.negative,
                                _ => &mut self.adr.consequences.neutral,
                            };
                            target.push(rest);
                        } else if let Some(k) = mode {
                            let target = match k {
                                Kind::Positive => &mut self.adr.consequences.positive,
                                Kind::Negative => &mut self.adr.consequences.negative,
                                _ => &mut self.adr.consequences.neutral,
                            };
                            target.push(text);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Mark the chosen option (once per record: folding each title here is linear) and keep the
    /// options.
    pub(super) fn mark_chosen(&mut self, mut options: Vec<ConsideredOption>) {
        if let Some(chosen) = self.adr.outcome.as_ref().and_then(|o| o.chosen.clone()) {
            // `3. Create a PodTemplate` / `2` / `Option 2`: an option named by its position.
            // `(3)`, `` `2` ``, `"2"`: the decoration around a position.
            let bare = chosen.trim().trim_matches(|c: char| "()[]\"'`“”".contains(c)).trim();
            let (by_index, rest) = match NUMBERED.captures(bare) {
                Some(c) => (
                    c[1].parse::<usize>().ok().filter(|n| *n >= 1 && *n <= options.len()).map(|n| n - 1),
                    c.get(2).map(|m| m.as_str().to_string()),
                ),
                None => (None, None),
            };
            let key = fold_key(&strip_option_prefix(rest.as_deref().unwrap_or(&chosen)));
            let pos = options
                .iter()
                .position(|o| !key.is_empty() && fold_key(&o.title) == key)
                .or_else(|| {
                    options.iter().position(|o| !key.is_empty() && fold_key(&o.title).starts_with(&key))
                })
                .or_else(|| {
                    let k = fold_key(&chosen);
                    options.iter().position(|o| {
                        !k.is_empty() && (k.starts_with(&fold_key(&o.title)) && !o.title.is_empty())
                    })
                })
                .or(by_index);
            if let Some(p) = pos {
                options[p].chosen = true;
            }
        }
        self.adr.options = options;
    }
}

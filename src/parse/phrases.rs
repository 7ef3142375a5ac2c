//! The one table of phrases that make a typed link: `supersedes`, `superseded by`, `amends`,
//! `amended by` and the spellings real records use for them (`supercedes`, `replaced by`,
//! `remplacé par`, `supersededBy`). Every place the parser meets such a phrase reads it here:
//! a status line or link line (`Superseded by [3](..)`, `In part supersedes ADR-2`), a metadata
//! label (`* Supersedes: ADR-2`), a front matter key (`superseded-by: 0003-x.md`) or the kind of
//! a `links:` entry, an adr-tools relation verb (`Amended by [..](..)`), and, for the phrases
//! marked `prose`, a sentence (`This ADR is superseded by ADR-7`). A project's own phrases
//! (`[parse] link_phrases` in `adrgraph.toml`) are looked up beside this table wherever an
//! exact phrase is.

use super::*;

/// One phrase: its words (lowercase, single spaces), the link it makes, whether a sentence
/// in prose saying it is read as that link (`replaces` is too common an English word for that),
/// and, for a passive phrase, whether its participle alone before a target makes the link
/// (`Superseded [0019](..)` does; `Deprecated [0019](..)` is a deprecation that names a page,
/// and only `Deprecated by [0019](..)` names a successor).
pub(crate) struct Phrase {
    /// The words.
    pub words: &'static str,
    /// The link.
    pub kind: LinkKind,
    /// Read in prose too.
    pub prose: bool,
    /// The participle makes the link without its preposition.
    pub bare: bool,
}

const fn p(words: &'static str, kind: LinkKind, prose: bool) -> Phrase {
    Phrase { words, kind, prose, bare: true }
}

/// A passive phrase whose participle needs its preposition (`deprecated by`).
const fn needs_by(words: &'static str, kind: LinkKind) -> Phrase {
    Phrase { words, kind, prose: false, bare: false }
}

/// Every built-in phrase, grouped by the link it makes in the order front matter keys are read.
pub(crate) static PHRASES: &[Phrase] = &[
    p("supersedes", LinkKind::Supersedes, true),
    p("supercedes", LinkKind::Supersedes, true),
    p("replaces", LinkKind::Supersedes, false),
    p("supersede", LinkKind::Supersedes, false),
    p("obsoletes", LinkKind::Supersedes, false),
    p("remplace", LinkKind::Supersedes, false),
    p("sostituisce", LinkKind::Supersedes, false),
    p("vervangt", LinkKind::Supersedes, false),
    p("superseded by", LinkKind::SupersededBy, true),
    p("supersededby", LinkKind::SupersededBy, false),
    p("superceded by", LinkKind::SupersededBy, true),
    p("replaced by", LinkKind::SupersededBy, false),
    p("superseeded by", LinkKind::SupersededBy, false),
    p("remplacé par", LinkKind::SupersededBy, false),
    p("remplacée par", LinkKind::SupersededBy, false),
    p("substituído por", LinkKind::SupersededBy, false),
    p("reemplazado por", LinkKind::SupersededBy, false),
    p("sostituito da", LinkKind::SupersededBy, false),
    p("vervangen door", LinkKind::SupersededBy, false),
    p("abgelöst durch", LinkKind::SupersededBy, false),
    p("ersetzt durch", LinkKind::SupersededBy, false),
    needs_by("deprecated by", LinkKind::SupersededBy),
    needs_by("obsoleted by", LinkKind::SupersededBy),
    needs_by("retired by", LinkKind::SupersededBy),
    needs_by("succeeded by", LinkKind::SupersededBy),
    needs_by("overridden by", LinkKind::SupersededBy),
    needs_by("overruled by", LinkKind::SupersededBy),
    p("amends", LinkKind::Amends, false),
    p("amended by", LinkKind::AmendedBy, false),
    p("amendedby", LinkKind::AmendedBy, false),
];

/// Prepositions that name the successor after any participle of a supersession, besides the
/// one each phrase spells: `Retired in favour of [ADR 9](..)`, `Deprecated in favor of ADR-9`.
pub(crate) const SUCCESSOR_PREPOSITIONS: &[&str] = &["in favour of", "in favor of", "with"];

/// The misspellings of `superseded` and `supersedes` real records use (`superceeded`,
/// `supperseded`, `supersceded`, `superseeds`), as patterns: `sup`, `er`, `s`/`c`/`sc`/`ss`,
/// one or two `e`, then `ded` / `des` / `ds`.
const MISSPELT_SUPERSEDED: &str = r"sup{1,2}er(?:s|c|sc|ss)e{1,2}de{1,2}d";
const MISSPELT_SUPERSEDES: &str = r"sup{1,2}er(?:s|c|sc|ss)e{1,2}(?:des?|ds)";

static MISSPELT_LABEL: LazyLock<(Regex, Regex)> = LazyLock::new(|| {
    let passive = format!(
        r"^(?:{})\s+(?:by|{})$",
        MISSPELT_SUPERSEDED,
        alternation(SUCCESSOR_PREPOSITIONS.iter().copied())
    );
    let active = format!(r"^(?:{MISSPELT_SUPERSEDES})$");
    (Regex::new(&passive).expect("valid regex"), Regex::new(&active).expect("valid regex"))
});

/// Words before a supersession that make it partial: `In part supersedes`, `Partly superseded by`.
pub(crate) const PARTIAL: &[&str] = &["partly", "partially", "in part"];

/// Words after a supersession in prose that make it partial: `supersedes parts of ADR-3`.
pub(crate) const PARTIAL_OBJECT: &[&str] = &["some aspects of", "parts of", "part of", "aspects of"];

/// Words before a passive supersession in prose: `is superseded by`, `has been superseded by`.
const PROSE_AUXILIARY: &[&str] = &["is", "was", "been", "are", "were", "now", "being"];

/// The link a phrase makes (folded as `fold_key` folds labels and verbs: lowercase words,
/// single spaces), from the table or the project's own phrases.
pub(crate) fn kind_of(folded: &str, vocabulary: &Vocabulary) -> Option<LinkKind> {
    PHRASES
        .iter()
        .find(|p| p.words == folded)
        .map(|p| p.kind.clone())
        .or_else(|| {
            vocabulary.link_phrases.iter().find(|(w, _)| fold_key(w) == folded).map(|(_, k)| k.clone())
        })
        .or_else(|| {
            // `Superceeded by`, `Retired in favour of`, `Supersceded`: a misspelling, or a
            // participle of the table with another preposition.
            let (passive, active) = &*MISSPELT_LABEL;
            if passive.is_match(folded) {
                return Some(LinkKind::SupersededBy);
            }
            if active.is_match(folded) {
                return Some(LinkKind::Supersedes);
            }
            let (participle, rest) = folded.split_once(' ')?;
            let successor = SUCCESSOR_PREPOSITIONS.contains(&rest)
                && PHRASES.iter().any(|p| {
                    p.kind == LinkKind::SupersededBy && p.words.split(' ').next() == Some(participle)
                });
            successor.then_some(LinkKind::SupersededBy)
        })
}

/// The front matter keys of the link `kind`: every phrase's words joined by `-`, as front
/// matter keys are folded (`superseded-by`), then the project's own phrases.
pub(crate) fn front_matter_keys(kind: &LinkKind, vocabulary: &Vocabulary) -> Vec<String> {
    let builtin = PHRASES.iter().filter(|p| p.kind == *kind).map(|p| p.words.replace(' ', "-"));
    let own = vocabulary
        .link_phrases
        .iter()
        .filter(|(_, k)| k == kind)
        .map(|(w, _)| super::front_matter::fold_key(w));
    let mut keys: Vec<String> = Vec::new();
    for k in builtin.chain(own) {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

/// Whether `kind` is written in the passive (`superseded by`, `amended by`).
fn passive(kind: &LinkKind) -> bool {
    matches!(kind, LinkKind::SupersededBy | LinkKind::AmendedBy)
}

/// An alternation of `words`, longest first, spaces matching any run of white space.
fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut words: Vec<&str> = words.collect();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words.dedup();
    words.iter().map(|w| regex::escape(w).replace(' ', r"\s+")).collect::<Vec<_>>().join("|")
}

fn of_kind(kind: LinkKind, prose_only: bool) -> impl Iterator<Item = &'static Phrase> {
    PHRASES.iter().filter(move |p| {
        p.kind == kind && (p.prose || !prose_only) && p.words.contains(' ') == passive(&p.kind)
    })
}

/// The pattern of a line that opens with the phrases of the active link `kind`
/// (`^(partly )?(supersedes|replaces|...)\b`), group 1 the partial qualifier when `partial`
/// (only a supersession can be partial).
pub(crate) fn line_pattern(kind: LinkKind, partial: bool) -> String {
    let mut words = alternation(of_kind(kind.clone(), false).map(|p| p.words));
    if kind == LinkKind::Supersedes {
        words = format!("{words}|{MISSPELT_SUPERSEDES}");
    }
    if partial {
        format!(r"(?i)^(?:({})\s+)?(?:{words})\b", alternation(PARTIAL.iter().copied()))
    } else {
        format!(r"(?i)^(?:{words})\b")
    }
}

/// The pattern of a line that opens with a passive supersession: the participle, then,
/// after anything but a link or a word (a date, a colon), the preposition; the preposition may
/// be missing (`Superseded [0019](..)`, `Superseded: 2019-12-19 by [ADR 14](..)`). Group 1 is
/// the partial qualifier.
pub(crate) fn superseded_line_pattern() -> String {
    let partial = alternation(PARTIAL.iter().copied());
    let phrases: Vec<&Phrase> = of_kind(LinkKind::SupersededBy, false).collect();
    let participle = |p: &&Phrase| p.words.rsplit_once(' ').map(|(w, _)| w);
    let bare = alternation(phrases.iter().filter(|p| p.bare).filter_map(participle));
    let needs_by = alternation(phrases.iter().filter(|p| !p.bare).filter_map(participle));
    let prepositions = alternation(
        phrases
            .iter()
            .filter_map(|p| p.words.rsplit_once(' ').map(|(_, b)| b))
            .chain(SUCCESSOR_PREPOSITIONS.iter().copied()),
    );
    format!(
        r"(?i)^(?:({partial})\s+)?(?:(?:{bare}|{MISSPELT_SUPERSEDED})\b(?:[^\[\]()A-Za-z]*\b(?:{prepositions})\b)?|(?:{needs_by})[^\[\]()A-Za-z]*\b(?:{prepositions})\b)"
    )
}

/// The pattern of a sentence saying the decision supersedes others: the prose phrases,
/// partial before (group 1) or after (group 2).
pub(crate) fn prose_pattern() -> String {
    format!(
        r"(?i)\b(?:({})\s+)?(?:{})\b(?:\s+({}))?",
        alternation(PARTIAL.iter().copied()),
        alternation(of_kind(LinkKind::Supersedes, true).map(|p| p.words)),
        alternation(PARTIAL_OBJECT.iter().copied()),
    )
}

/// The pattern of a sentence saying the decision is superseded: an auxiliary (`is`, `has
/// been`), the partial qualifier (group 1), the prose phrases.
pub(crate) fn prose_passive_pattern() -> String {
    format!(
        r"(?i)\b(?:{})\s+(?:({})\s+)?(?:{})\b",
        alternation(PROSE_AUXILIARY.iter().copied()),
        alternation(PARTIAL.iter().copied()),
        alternation(of_kind(LinkKind::SupersededBy, true).map(|p| p.words)),
    )
}

/// The pattern of a line that opens with a passive link other than a supersession: the whole
/// phrase (`^amended\s+by\b`), never a bare participle.
pub(crate) fn passive_line_pattern(kind: LinkKind) -> String {
    format!(r"(?i)^(?:{})\b", alternation(of_kind(kind, false).map(|p| p.words)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_is_folded_as_labels_are_and_active_phrases_are_one_word() {
        for p in PHRASES {
            assert_eq!(fold_key(p.words), p.words, "{}", p.words);
            if passive(&p.kind) && p.words.contains(' ') {
                assert_eq!(p.words.split(' ').count(), 2, "participle and preposition: {}", p.words);
            }
        }
    }

    #[test]
    fn every_prose_phrase_spells_super_as_the_prose_prefilter_needs() {
        for p in PHRASES.iter().filter(|p| p.prose) {
            assert!(spells_super(p.words), "{}", p.words);
        }
    }

    #[test]
    fn every_phrase_opens_a_line_of_its_kind_and_a_label_of_its_kind() {
        let vocabulary = Vocabulary::default();
        for p in PHRASES {
            let line = format!("{} [ADR 3](0003-x.md)", capitalise(p.words));
            let re = match p.kind {
                LinkKind::Supersedes => &*SUPERSEDES,
                LinkKind::SupersededBy => &*SUPERSEDED_BY,
                LinkKind::Amends => &*AMENDS,
                LinkKind::AmendedBy => &*AMENDED_BY,
                _ => unreachable!("the table holds only typed links"),
            };
            // One-word passive keys (`supersededby`) are front matter spellings only.
            if p.words.contains(' ') || !passive(&p.kind) {
                assert!(re.is_match(&line), "{line}");
            }
            assert_eq!(kind_of(p.words, &vocabulary), Some(p.kind.clone()), "{}", p.words);
        }
    }

    #[test]
    fn a_project_phrase_is_found_as_a_label_and_a_front_matter_key() {
        let vocabulary = Vocabulary {
            link_phrases: vec![("voids".into(), LinkKind::Supersedes)],
            ..Vocabulary::default()
        };
        assert_eq!(kind_of("voids", &vocabulary), Some(LinkKind::Supersedes));
        let keys = front_matter_keys(&LinkKind::Supersedes, &vocabulary);
        assert_eq!(keys.first().map(String::as_str), Some("supersedes"));
        assert_eq!(keys.last().map(String::as_str), Some("voids"));
        assert!(front_matter_keys(&LinkKind::SupersededBy, &vocabulary).iter().any(|k| k == "superseded-by"));
    }
}

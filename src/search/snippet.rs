//! A search's snippets: the passage of each hit's text with the most of the query's terms, as
//! tantivy's `SnippetGenerator` chooses it, for less work.
//!
//! The passages go through each hit's whole text word by word; lower-casing, folding and
//! stemming every word, then lower-casing it again into a new string to look it up among the
//! terms, was most of a search's work. Here a word can only become one of the query's terms if
//! it begins with that term less its last [`CHANGED`] letters (the English stemmer only cuts a
//! word's ending or changes its last letters: `possibility` -> `possibl`, `ponies` -> `poni`,
//! `hoping` -> `hope`), so a plain-ASCII word that begins with none of them is passed on empty
//! ([`Gate`]) and is not looked up. Words with other letters (accents, other scripts) are always
//! passed whole: folding changes them. The passages are exactly those tantivy's generator gives
//! (a test compares both on the sample tree's texts for a third of its words; the stems' rule is
//! tested on every word of the sample tree, and held on every word of the real-world corpora).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The letters at the end of a word the English stemmer may change (two at most on every word
/// of the sample tree and of the real-world corpora; one more for safety).
pub const CHANGED: usize = 3;

/// A [`TokenFilter`] that empties each plain-ASCII token beginning with none of its heads.
#[derive(Clone)]
pub struct Gate {
    heads: Arc<[Box<[u8]>]>,
}

impl Gate {
    /// The gate for these terms (stemmed, lower case, folded, as the index keeps them): each
    /// plain-ASCII term less its last [`CHANGED`] letters is a head. A term of [`CHANGED`]
    /// letters or fewer opens the gate to every word.
    pub fn for_terms<'a>(terms: impl IntoIterator<Item = &'a str>) -> Gate {
        let mut heads: Vec<Box<[u8]>> = terms
            .into_iter()
            .filter(|t| t.is_ascii())
            .map(|t| t.as_bytes()[..t.len().saturating_sub(CHANGED)].into())
            .collect();
        heads.sort();
        heads.dedup();
        Gate { heads: heads.into() }
    }

    /// Whether `word` could become one of the terms.
    pub fn passes(&self, word: &str) -> bool {
        !word.is_ascii()
            || self
                .heads
                .iter()
                .any(|h| word.len() >= h.len() && word.as_bytes()[..h.len()].eq_ignore_ascii_case(h))
    }
}

impl TokenFilter for Gate {
    type Tokenizer<T: Tokenizer> = GateFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> GateFilter<T> {
        GateFilter { inner: tokenizer, gate: self }
    }
}

/// The tokenizer [`Gate`] wraps around another.
#[derive(Clone)]
pub struct GateFilter<T> {
    inner: T,
    gate: Gate,
}

impl<T: Tokenizer> Tokenizer for GateFilter<T> {
    type TokenStream<'a> = GateStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        GateStream { tail: self.inner.token_stream(text), gate: &self.gate }
    }
}

/// Token stream of [`GateFilter`]: every token of the stream it wraps, at the same offsets,
/// emptied when it cannot become a term.
pub struct GateStream<'a, T> {
    tail: T,
    gate: &'a Gate,
}

impl<T: TokenStream> TokenStream for GateStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if !self.gate.passes(&token.text) {
            token.text.clear();
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The passages of one search: the query's terms in the body with their weights, and the
/// analyzer that reads a text's words as the index does (behind a [`Gate`]).
pub(crate) struct Passages {
    terms: BTreeMap<String, f32>,
    analyzer: TextAnalyzer,
    max_chars: usize,
}

/// A passage of a text: where it starts and ends, its score, and its words that are terms.
struct Candidate {
    score: f32,
    start: usize,
    stop: usize,
    highlighted: Vec<Range<usize>>,
}

impl Candidate {
    fn new(start: usize) -> Candidate {
        Candidate { score: 0.0, start, stop: start, highlighted: Vec::new() }
    }
}

impl Passages {
    /// The passages of at most `max_chars` bytes for these weighted terms, the analyzer's stems
    /// remembered in `stems`.
    pub(crate) fn new(
        terms: BTreeMap<String, f32>,
        stems: crate::stem::SharedMemoStemmer,
        max_chars: usize,
    ) -> Self {
        let gate = Gate::for_terms(terms.keys().map(String::as_str));
        Passages { analyzer: super::schema::snippet_analyzer(gate, stems), terms, max_chars }
    }

    /// The best passage of `text` and its words that are terms (ranges within the passage):
    /// the text is cut into passages at word boundaries, a new one starting at the first word
    /// that would end past `max_chars` from the current one's start; the one whose terms weigh
    /// most wins, the earliest among equals; none when no word is a term. tantivy's
    /// `SnippetGenerator` to the byte.
    pub(crate) fn best<'t>(&mut self, text: &'t str) -> (&'t str, Vec<Range<usize>>) {
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut current = Candidate::new(0);
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            if token.offset_to - current.start > self.max_chars {
                let next = Candidate::new(token.offset_from);
                let done = std::mem::replace(&mut current, next);
                if done.score > 0.0 {
                    candidates.push(done);
                }
            }
            current.stop = token.offset_to;
            if token.text.is_empty() {
                continue;
            }
            let weight = if token.text.chars().any(char::is_uppercase) {
                self.terms.get(&token.text.to_lowercase())
            } else {
                self.terms.get(&token.text)
            };
            if let Some(&w) = weight {
                current.score += w;
                current.highlighted.push(token.offset_from..token.offset_to);
            }
        }
        if current.score > 0.0 {
            candidates.push(current);
        }
        let best = candidates.iter().max_by(|l, r| match l.score.partial_cmp(&r.score) {
            Some(std::cmp::Ordering::Equal) | None => (r.start, r.stop).cmp(&(l.start, l.stop)),
            Some(o) => o,
        });
        match best {
            Some(c) => (
                &text[c.start..c.stop],
                c.highlighted.iter().map(|h| h.start - c.start..h.end - c.start).collect(),
            ),
            None => ("", Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word of the sample tree: its stem, less [`CHANGED`] letters, begins the word as
    /// the chain lower-cases and folds it (what makes the gate safe).
    #[test]
    fn every_stem_begins_its_word_but_for_its_last_letters() {
        let mut words = std::collections::BTreeSet::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for entry in ignore::Walk::new(&root).flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                words.extend(
                    text.split(|c: char| !c.is_ascii_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                );
            }
        }
        assert!(words.len() > 1000, "{} words", words.len());
        let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        let mut worst = 0;
        for w in &words {
            let lower = w.to_ascii_lowercase();
            let stem = stemmer.stem(&lower);
            let common = stem.bytes().zip(lower.bytes()).take_while(|(a, b)| a == b).count();
            worst = worst.max(stem.len() - common);
            assert!(Gate::for_terms([stem.as_ref()]).passes(w), "{w} -> {stem}");
        }
        assert!(worst < CHANGED, "a stem changed {worst} letters of its word");
    }

    /// The passages and their highlights are tantivy's snippet generator's, on every text of
    /// the sample tree (and texts with accents, other scripts, capitals and overlong words) for
    /// words of the tree's vocabulary, alone and in pairs.
    #[test]
    fn passages_are_tantivys_to_the_byte() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).expect("data/");
        let mut texts: Vec<String> = corpus.adrs.iter().map(super::super::schema::body_text).collect();
        texts.push("Les POSSIBILITÉS: possibility, possibilities; ponies and Pony. Décision prise.".into());
        texts.push("编写完整的单元测试 and Kafka-Streams, KAFKA topics; a-word-far-longer-than-forty-characters-in-all-its-parts kafka".into());
        texts.push(format!("{} Kafka {} kafka", "filler ".repeat(40), "padding ".repeat(30)));
        let mut analyzer = super::super::schema::english_analyzer();
        let mut vocab = std::collections::BTreeSet::new();
        for t in &texts {
            let mut stream = analyzer.token_stream(t);
            while stream.advance() {
                vocab.insert(stream.token().text.clone());
            }
        }
        let picked: Vec<&String> = vocab
            .iter()
            .step_by(3)
            .chain(["kafka", "possibl", "poni", "décis", "单元"].iter().filter_map(|w| vocab.get(*w)))
            .collect();
        assert!(picked.len() > 100, "{} words", picked.len());
        let mut compared = 0;
        for (i, w) in picked.iter().enumerate() {
            let mut terms = BTreeMap::new();
            terms.insert(w.to_string(), 0.5);
            if i % 3 == 0 {
                if let Some(o) = picked.get(i + 1) {
                    terms.insert(o.to_string(), 0.25);
                }
            }
            let mut ours = Passages::new(terms.clone(), Default::default(), 180);
            let theirs = tantivy::snippet::SnippetGenerator::new(
                terms,
                super::super::schema::english_analyzer(),
                tantivy::schema::Field::from_field_id(0),
                180,
            );
            for t in &texts {
                let expected = theirs.snippet(t);
                let (fragment, highlighted) = ours.best(t);
                assert_eq!(fragment, expected.fragment(), "{w:?} in {t:.60}");
                assert_eq!(highlighted, expected.highlighted(), "{w:?} in {t:.60}");
                compared += usize::from(!highlighted.is_empty());
            }
        }
        assert!(compared > 200, "{compared} passages with a term");
    }

    #[test]
    fn gate_keeps_words_of_other_letters_and_short_terms_open() {
        let g = Gate::for_terms(["postgresql", "decis", "día"]);
        assert!(g.passes("PostgreSQL") && g.passes("postgres") && g.passes("Decisions"));
        assert!(!g.passes("kafka") && !g.passes("post"));
        assert!(g.passes("décision") && g.passes("单元"));
        let open = Gate::for_terms(["db"]);
        assert!(open.passes("anything"));
    }
}

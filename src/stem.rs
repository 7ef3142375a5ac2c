//! English stemming with memory: the Snowball English stemmer (the one tantivy's `Stemmer`
//! filter runs), remembering each word's stem.
//!
//! Stemming was a third of the CPU time of a first index: tantivy stems every token, and
//! decision records repeat a small vocabulary (the, decision, service, kafka...). Each analyzer
//! (tantivy clones one per indexing thread) keeps its own table of up to [`CAPACITY`] words;
//! a word seen before costs one hash look-up. The terms are exactly those of tantivy's filter
//! (tested on every word of the sample tree).

use foldhash::HashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyzer; later new words are stemmed without being remembered.
pub const CAPACITY: usize = 200_000;

/// A [`TokenFilter`] that replaces each token by its English stem, remembering stems.
#[derive(Clone, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer, memo: HashMap::default(), shared: None }
    }
}

/// Stems remembered by a [`SharedMemoStemmer`] and every analyzer made from it.
type Stems = std::sync::Arc<std::sync::Mutex<HashMap<Box<str>, Box<str>>>>;

/// A [`MemoStemmer`] whose memory is shared by every clone of the analyzer it is part of: what
/// a long-lived process (a server) keeps between searches, so that the snippets of the next
/// search stem each word by a look-up. A stream that finds the memory in use by another (two
/// searches at once) remembers in its own analyzer's memory instead.
#[derive(Clone, Default)]
pub struct SharedMemoStemmer {
    memo: Stems,
}

impl TokenFilter for SharedMemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer, memo: HashMap::default(), shared: Some(self.memo) }
    }
}

/// The tokenizer [`MemoStemmer`] wraps around another; owns the memory of stems, or shares one
/// ([`SharedMemoStemmer`]).
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    memo: HashMap<Box<str>, Box<str>>,
    shared: Option<Stems>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let memo = match self.shared.as_ref().and_then(|m| m.try_lock().ok()) {
            Some(shared) => Memory::Shared(shared),
            None => Memory::Own(&mut self.memo),
        };
        MemoStemmerTokenStream {
            tail: self.inner.token_stream(text),
            memo,
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
        }
    }
}

/// Where a stream remembers stems: its analyzer's own memory, or the shared one, held for as
/// long as the stream lives.
enum Memory<'a> {
    Own(&'a mut HashMap<Box<str>, Box<str>>),
    Shared(std::sync::MutexGuard<'a, HashMap<Box<str>, Box<str>>>),
}

impl Memory<'_> {
    fn map(&mut self) -> &mut HashMap<Box<str>, Box<str>> {
        match self {
            Memory::Own(m) => m,
            Memory::Shared(m) => m,
        }
    }
}

/// Token stream of [`MemoStemmerFilter`].
pub struct MemoStemmerTokenStream<'a, T> {
    tail: T,
    memo: Memory<'a>,
    stemmer: rust_stemmers::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.is_empty() {
            // The stem of nothing is nothing (a snippet's gate empties the words it skips).
            return true;
        }
        let memo = self.memo.map();
        if let Some(stem) = memo.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem: Box<str> = self.stemmer.stem(&token.text).into();
        if memo.len() < CAPACITY {
            memo.insert(token.text.as_str().into(), stem.clone());
        }
        token.text.clear();
        token.text.push_str(&stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
        TokenFilter,
    };

    fn terms(mut a: TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn the_same_terms_as_tantivys_stemmer_on_every_word_of_the_sample_tree() {
        let mut text = String::new();
        for e in walkdir(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))) {
            text.push_str(&std::fs::read_to_string(e).unwrap());
        }
        text.push_str(" running runs ran generously decisions caresses ponies ties öffentlich naïve ");
        // adrgraph's analyzer against the same filters with tantivy's own stemmer.
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English));
        let (a, b) = (terms(plain.build(), &text), terms(crate::search::english_analyzer(), &text));
        assert!(a.len() > 3_000, "{}", a.len());
        assert_eq!(a, b);
        // Twice through one filter (not a clone of it): the first pass fills its memory, the
        // second answers from it, with the same terms as tantivy's stemmer.
        let mut memo = MemoStemmer.transform(LowerCaser.transform(SimpleTokenizer::default()));
        let pass = |f: &mut MemoStemmerFilter<_>| {
            let mut out = Vec::new();
            let mut s = f.token_stream(&text);
            while s.advance() {
                out.push(s.token().text.clone());
            }
            out
        };
        let first = pass(&mut memo);
        let remembered = memo.memo.len();
        assert!(remembered > 1_000, "the first pass remembers stems: {remembered}");
        let second = pass(&mut memo);
        assert_eq!(memo.memo.len(), remembered, "the second pass needs no new stem");
        assert_eq!(first, second);
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        assert_eq!(second, terms(plain, &text), "answers from memory are tantivy's stems");
    }

    #[test]
    fn clones_of_a_shared_memory_stem_as_tantivy_does_and_remember_for_each_other() {
        let mut text = String::new();
        for e in walkdir(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))) {
            text.push_str(&std::fs::read_to_string(e).unwrap());
        }
        let shared = SharedMemoStemmer::default();
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(shared.clone())
            .build();
        let first = terms(analyzer.clone(), &text);
        let remembered = shared.memo.lock().unwrap().len();
        assert!(remembered > 1_000, "a clone fills the shared memory: {remembered}");
        // Another clone answers from it, and needs no new stem.
        assert_eq!(terms(analyzer.clone(), &text), first);
        assert_eq!(shared.memo.lock().unwrap().len(), remembered);
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English));
        assert_eq!(first, terms(plain.build(), &text), "the stems are tantivy's");
        // While the memory is held elsewhere, a stream remembers in its own.
        let held = shared.memo.lock().unwrap();
        assert_eq!(terms(analyzer.clone(), &text), first);
        drop(held);
    }

    fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walkdir(&p));
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
        out.sort();
        out
    }
}

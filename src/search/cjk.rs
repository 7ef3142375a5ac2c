//! Words for the index in any script: runs of letters and digits as `SimpleTokenizer` makes
//! them, and inside a run of Chinese, Japanese or Korean characters (written without spaces)
//! every pair of neighbouring characters, as Lucene's CJK analyzer does: `编写完整的单元测试`
//! gives `编写`, `写完`, ... `单元`, `元测`, `测试`, so the query `单元测试` (three pairs in a row, a
//! phrase) finds it. A character alone between others is a word of its own.

use crate::parse::text::is_cjk;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The tokenizer (see the module documentation).
#[derive(Clone, Default)]
pub struct CjkTokenizer {
    token: Token,
}

/// The words of one text.
pub struct CjkTokenStream<'a> {
    text: &'a str,
    /// Where the next character starts.
    pos: usize,
    token: &'a mut Token,
    /// The last CJK character read, and whether a pair ending with it was given.
    prev: Option<(usize, char, bool)>,
}

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = CjkTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream<'a> {
        self.token.reset();
        self.token.position = usize::MAX;
        CjkTokenStream { text, pos: 0, token: &mut self.token, prev: None }
    }
}

impl CjkTokenStream<'_> {
    /// The character at byte `pos` (a character's start), read as a byte when it is ASCII.
    fn char_at(&self, pos: usize) -> Option<char> {
        let b = *self.text.as_bytes().get(pos)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.text.get(pos..)?.chars().next()
        }
    }

    fn emit(&mut self, from: usize, to: usize) {
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
    }
}

impl TokenStream for CjkTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some((at, c, paired)) = self.prev {
                match self.char_at(self.pos) {
                    Some(n) if is_cjk(n) => {
                        let next_at = self.pos;
                        self.pos += n.len_utf8();
                        self.prev = Some((next_at, n, true));
                        self.emit(at, next_at + n.len_utf8());
                        return true;
                    }
                    _ => {
                        self.prev = None;
                        if !paired {
                            self.emit(at, at + c.len_utf8());
                            return true;
                        }
                    }
                }
            }
            let at = self.pos;
            let Some(c) = self.char_at(at) else { return false };
            self.pos += c.len_utf8();
            if is_cjk(c) {
                self.prev = Some((at, c, false));
                continue;
            }
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = self.pos;
            while let Some(n) = self.char_at(end) {
                if !n.is_alphanumeric() || is_cjk(n) {
                    break;
                }
                end += n.len_utf8();
            }
            self.pos = end;
            self.emit(at, end);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut t = CjkTokenizer::default();
        let mut stream = t.token_stream(s);
        let mut out = Vec::new();
        stream.process(&mut |t| out.push(t.text.clone()));
        out
    }

    #[test]
    fn latin_words_as_simple_tokenizer_and_cjk_as_pairs() {
        assert_eq!(words("Use Kafka, v2 now!"), ["Use", "Kafka", "v2", "now"]);
        assert_eq!(
            words("编写完整的单元测试"),
            ["编写", "写完", "完整", "整的", "的单", "单元", "元测", "测试"]
        );
        assert_eq!(
            words("采用 Kafka 作为事件总线"),
            ["采用", "Kafka", "作为", "为事", "事件", "件总", "总线"]
        );
        assert_eq!(words("一 x"), ["一", "x"]);
        assert_eq!(words("テスト駆動"), ["テス", "スト", "ト駆", "駆動"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn positions_and_offsets_follow_the_text() {
        let mut t = CjkTokenizer::default();
        let mut stream = t.token_stream("a 单元测");
        let mut seen = Vec::new();
        stream.process(&mut |t| seen.push((t.position, t.offset_from, t.offset_to)));
        assert_eq!(seen, [(0, 0, 1), (1, 2, 8), (2, 5, 11)]);
    }
}

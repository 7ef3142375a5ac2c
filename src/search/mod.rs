//! Full-text search over the records.
//!
//! Search is BM25 over title (boosted), every section, options, people and tags, with English
//! stemming, case folding and accent folding (`decisao` finds `decisão`), words inside Chinese,
//! Japanese and Korean text (`单元测试` finds `编写完整的单元测试`), tantivy's query syntax
//! (phrases, `+must`, `-not`, `field:value`) plus `word*` prefixes, and filters.

use crate::error::{Error, Result};
use crate::ingest::Corpus;
use crate::model::{Adr, Date, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub mod cjk;
pub(crate) mod schema;
pub(crate) mod snippet;
mod stats;

pub use schema::english_analyzer;
use schema::*;

/// Run `f`, catching a panic inside it (tantivy panics on some damaged segments) without the
/// panic message on stderr: `Err` carries the message instead.
pub fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    out.map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic inside tantivy".into())
    })
}

/// The deepest nesting of parentheses a query may have (tantivy's parser takes exponential time
/// in the depth).
pub const MAX_QUERY_NESTING: usize = 8;

/// Search filters and limits.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// Only these statuses (empty: all).
    pub statuses: Vec<Status>,
    /// Dated on or after.
    pub since: Option<Date>,
    /// Dated on or before.
    pub until: Option<Date>,
    /// A decider (or consulted/informed person) whose name contains these words.
    pub decider: Option<String>,
    /// A tag.
    pub tag: Option<String>,
    /// A folder (relative to its root, or as displayed), including its sub-folders.
    pub folder: Option<String>,
    /// Maximum hits (default 10).
    pub limit: Option<usize>,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Decision id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// Date.
    pub date: Option<Date>,
    /// Path.
    pub path: String,
    /// BM25 score.
    #[serde(serialize_with = "as_written")]
    pub score: f32,
    /// A fragment of the text around the matched terms.
    pub snippet: String,
    /// Byte ranges of the matched terms inside `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// For a superseded decision: the decisions in force in its supersession chain.
    pub in_force: Vec<String>,
}

/// A score as the `f64` its shortest decimal writing reads as: the JSON text is the `f32`'s
/// (`0.1`), and a value made without text (`serde_json::to_value`, the MCP server's answers)
/// holds the same number that text reads back as, not the `f32`'s binary widening
/// (`0.10000000149011612`).
fn as_written<S: serde::Serializer>(score: &f32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(score.to_string().parse().unwrap_or(f64::from(*score)))
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    /// The query as given.
    pub query: String,
    /// Matching documents in all (before the limit).
    pub total: usize,
    /// The hits, best first.
    pub hits: Vec<Hit>,
}

/// An open full-text index.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) schema: IndexSchema,
    /// The memory of stems of the snippets' analyzer, kept across searches.
    pub(crate) stems: crate::stem::SharedMemoStemmer,
}

/// Build an in-memory index of a corpus (no store): for tests, examples and one-off searches.
pub fn index_in_memory(corpus: &Corpus) -> Result<SearchIndex> {
    let schema = IndexSchema::new();
    let index = Index::create_in_ram(schema.schema.clone());
    register_tokenizers(&index);
    let to_err = |e: tantivy::TantivyError| Error::Io {
        path: PathBuf::from("(memory)"),
        source: std::io::Error::other(e.to_string()),
    };
    let in_force = in_force_of(corpus);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 64 * 1024 * 1024).map_err(to_err)?;
    for (i, a) in corpus.adrs.iter().enumerate() {
        let root =
            corpus.roots.get(corpus.adr_roots.get(i).copied().unwrap_or(0)).map(String::as_str).unwrap_or("");
        writer.add_document(document(&schema, a, &a.id, 0, root, &in_force[i])).map_err(to_err)?;
    }
    writer.commit().map_err(to_err)?;
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(to_err)?;
    Ok(SearchIndex { index, reader, schema, stems: Default::default() })
}

pub use crate::error::QueryError;

impl SearchIndex {
    /// The records (their paths) whose title or text could hold one of `texts`: those with
    /// every word of it, as this index reads words (lower case, accents folded, stemmed, words
    /// over 40 characters left out), so every record whose title or text holds one of `texts` is
    /// among them. `None` when one of `texts` has no word the index keeps (any record could hold
    /// it), or the index cannot be read. What `governs` asks before reading records' texts for
    /// the names of a few files.
    pub fn could_hold_any(&self, texts: &[&str]) -> Option<std::collections::BTreeSet<String>> {
        let mut analyzer = self.index.tokenizer_for_field(self.schema.body).ok()?;
        let mut sets: Vec<Vec<String>> = Vec::new();
        for text in texts {
            let mut words: Vec<String> = Vec::new();
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                words.push(stream.token().text.clone());
            }
            words.sort();
            words.dedup();
            if words.is_empty() {
                return None;
            }
            sets.push(words);
        }
        // A record holding every word of a text holds every word of any text whose words are
        // among them: only the smallest sets are asked (a file's path `src/billing/invoice.rs`
        // adds nothing to its module name `invoice`, nor twenty paths to their common folder).
        sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        let mut asked: Vec<Vec<String>> = Vec::new();
        for words in sets {
            let covered = asked.iter().any(|fewer| fewer.iter().all(|w| words.binary_search(w).is_ok()));
            if !covered {
                asked.push(words);
            }
        }
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for words in asked {
            let every: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .map(|w| {
                    let in_field = |f: Field| -> (Occur, Box<dyn Query>) {
                        let term = Term::from_field_text(f, w);
                        (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
                    };
                    let either =
                        BooleanQuery::new(vec![in_field(self.schema.title), in_field(self.schema.body)]);
                    (Occur::Must, Box::new(either) as Box<dyn Query>)
                })
                .collect();
            any.push((Occur::Should, Box::new(BooleanQuery::new(every))));
        }
        if any.is_empty() {
            return Some(Default::default());
        }
        let searcher = self.reader.searcher();
        let found = searcher.search(&BooleanQuery::new(any), &tantivy::collector::DocSetCollector).ok()?;
        Some(
            paths_of(&searcher, found.into_iter().map(|a| (a.segment_ord, a.doc_id)))?
                .into_values()
                .collect(),
        )
    }

    /// For each of `paths` and of `modules`, the records (their paths) whose texts name it, as
    /// [`crate::governs::kept_names`] reads them: exact paths and folders as written, module
    /// names in lower case. `None` when the index cannot be read. What `governs` asks instead
    /// of reading texts, for the names [`crate::governs::names_to_look_up`] gives.
    #[allow(clippy::type_complexity)]
    pub fn records_naming(
        &self,
        paths: &[String],
        modules: &[String],
    ) -> Option<(Vec<Vec<String>>, Vec<Vec<String>>)> {
        let searcher = self.reader.searcher();
        let asked: Vec<Term> = paths
            .iter()
            .map(|p| Term::from_field_text(self.schema.named_paths, p))
            .chain(modules.iter().map(|m| Term::from_field_text(self.schema.prose_words, m)))
            .collect();
        // Each name's documents, read from each segment's postings (no scoring).
        let mut holding: Vec<Vec<(u32, u32)>> = vec![Vec::new(); asked.len()];
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let alive = segment.alive_bitset();
            let fields = [self.schema.named_paths, self.schema.prose_words];
            let inverted: Vec<_> =
                fields.iter().map(|f| segment.inverted_index(*f).ok()).collect::<Option<_>>()?;
            for (k, term) in asked.iter().enumerate() {
                let inv = &inverted[usize::from(k >= paths.len())];
                let Some(mut postings) = inv.read_postings(term, IndexRecordOption::Basic).ok()? else {
                    continue;
                };
                use tantivy::DocSet;
                let mut doc = postings.doc();
                while doc != tantivy::TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        holding[k].push((ord as u32, doc));
                    }
                    doc = postings.advance();
                }
            }
        }
        let named = paths_of(&searcher, holding.iter().flatten().copied())?;
        let mut out: Vec<Vec<String>> = holding
            .into_iter()
            .map(|docs| {
                let mut p: Vec<String> = docs.iter().filter_map(|d| named.get(d).cloned()).collect();
                p.sort();
                p.dedup();
                p
            })
            .collect();
        let modules_found = out.split_off(paths.len());
        Some((out, modules_found))
    }

    /// Number of documents.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn analyze(&self, tokenizer: &str, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(mut a) = self.index.tokenizers().get(tokenizer) {
            let mut stream = a.token_stream(text);
            stream.process(&mut |t| out.push(t.text.clone()));
        }
        out
    }

    fn build_query(&self, q: &str, opts: &SearchOptions) -> std::result::Result<Box<dyn Query>, QueryError> {
        let s = &self.schema;
        let qerr = |m: String| QueryError { query: q.to_string(), message: m };
        // Deeply nested groups take tantivy's query parser exponential time: refuse them.
        let mut depth = 0usize;
        let mut deepest = 0usize;
        for c in q.chars() {
            match c {
                '(' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if deepest > MAX_QUERY_NESTING {
            return Err(qerr(format!(
                "parentheses nest {deepest} deep; at most {MAX_QUERY_NESTING} levels are allowed"
            )));
        }
        // `word*` prefixes are taken out and matched against the term dictionary.
        let mut rest = String::new();
        let mut prefixes: Vec<(Occur, String)> = Vec::new();
        let mut in_quote = false;
        for token in q.split_inclusive(char::is_whitespace) {
            let t = token.trim();
            let quotes = t.matches('"').count();
            if !in_quote && quotes == 0 && t.ends_with('*') && t.len() > 1 && !t.contains(':') {
                let (occur, word) = match t.strip_prefix('-') {
                    Some(w) => (Occur::MustNot, w),
                    None => (Occur::Must, t.strip_prefix('+').unwrap_or(t)),
                };
                let stem: String = word.trim_end_matches('*').to_string();
                let folded = self.analyze("names", &stem).join("");
                if !folded.is_empty() {
                    prefixes.push((occur, folded));
                    continue;
                }
            }
            if quotes % 2 == 1 {
                in_quote = !in_quote;
            }
            rest.push_str(token);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !rest.trim().is_empty() {
            let fields = self.fields_with_words(&[s.title, s.body, s.options, s.people, s.tags]);
            let mut parser = QueryParser::for_index(&self.index, fields);
            parser.set_field_boost(s.title, 3.0);
            parser.set_field_boost(s.options, 1.5);
            parser.set_conjunction_by_default();
            let parsed = parser.parse_query(rest.trim()).map_err(|e| qerr(e.to_string()))?;
            clauses.push((Occur::Must, parsed));
        }
        for (occur, p) in prefixes {
            let pattern = format!("{}.*", regex_escape(&p));
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for f in [s.title, s.body, s.options] {
                let rq = RegexQuery::from_pattern(&pattern, f).map_err(|e| qerr(e.to_string()))?;
                any.push((Occur::Should, Box::new(rq)));
            }
            clauses.push((occur, Box::new(BooleanQuery::new(any))));
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        // Filters.
        if !opts.statuses.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = opts
                .statuses
                .iter()
                .map(|st| {
                    let t = Term::from_field_text(s.status, st.as_str());
                    (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if opts.since.is_some() || opts.until.is_some() {
            use std::ops::Bound;
            let lo = opts
                .since
                .map(|d| Bound::Included(Term::from_field_i64(s.date, day_number(d))))
                .unwrap_or(Bound::Unbounded);
            let hi = opts
                .until
                .map(|d| Bound::Included(Term::from_field_i64(s.date, day_number(d))))
                .unwrap_or(Bound::Unbounded);
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        for (field, value) in [(s.people, &opts.decider), (s.tags, &opts.tag)] {
            if let Some(v) = value {
                let words = self.analyze("names", v);
                if words.is_empty() {
                    return Err(qerr(format!("`{v}` has no searchable word")));
                }
                let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(field, w)).collect();
                let q: Box<dyn Query> = if terms.len() == 1 {
                    Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic))
                } else {
                    Box::new(PhraseQuery::new(terms))
                };
                clauses.push((Occur::Must, q));
            }
        }
        if let Some(f) = &opts.folder {
            let f = f.trim_end_matches('/').trim_start_matches("./");
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(s.folder, f), IndexRecordOption::Basic)),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Of `fields`, those that hold a word in some segment of the index (all of them when none
    /// does, or when a segment's fields cannot be read). A field no document has matches no word:
    /// leaving it out of the fields a query's words are looked for in changes no hit and no
    /// score, and spares tantivy building its empty term dictionary (0.3 ms, once a process).
    fn fields_with_words(&self, fields: &[Field]) -> Vec<Field> {
        let searcher = self.reader.searcher();
        let mut held = vec![false; fields.len()];
        for segment in searcher.segment_readers() {
            let Ok(meta) = segment.fields_metadata() else { return fields.to_vec() };
            for m in meta.iter().filter(|m| m.postings_size.is_some_and(|b| b.get_bytes() > 0)) {
                if let Ok(f) = self.schema.schema.get_field(&m.field_name) {
                    if let Some(i) = fields.iter().position(|x| *x == f) {
                        held[i] = true;
                    }
                }
            }
        }
        let kept: Vec<Field> = fields.iter().zip(&held).filter(|(_, h)| **h).map(|(f, _)| *f).collect();
        if kept.is_empty() {
            fields.to_vec()
        } else {
            kept
        }
    }

    /// The passages of the body, weighing the query's terms as tantivy's snippet generator does
    /// (rarer terms first) but by their live document counts.
    fn snippets(
        &self,
        stats: &stats::LiveStatistics<'_>,
        query: &dyn Query,
    ) -> tantivy::Result<snippet::Passages> {
        use tantivy::query::Bm25StatisticsProvider as _;
        let field = self.schema.body;
        let mut terms = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                terms.insert(term.clone());
            }
        });
        let mut weights = std::collections::BTreeMap::new();
        for term in terms {
            let Some(text) = term.value().as_str().map(str::to_string) else { continue };
            let freq = stats.doc_freq(&term)?;
            if freq > 0 {
                weights.insert(text, 1.0 / (1.0 + freq as f32));
            }
        }
        Ok(snippet::Passages::new(weights, self.stems.clone(), 180))
    }

    /// Run a query; every hit comes from the index's stored fields, so no record is loaded.
    pub fn search(&self, q: &str, opts: &SearchOptions) -> std::result::Result<SearchResult, QueryError> {
        let query = self.build_query(q, opts)?;
        let searcher = self.reader.searcher();
        let qerr = |e: tantivy::TantivyError| QueryError { query: q.to_string(), message: e.to_string() };
        // No more than there are documents (a huge N would overflow tantivy's heap).
        let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        // Scores from the live documents only, so a store refreshed in place scores as a fresh one.
        let stats = stats::LiveStatistics::new(&searcher);
        let limit = opts.limit.unwrap_or(10).min(docs);
        if limit == 0 {
            let total = searcher.search(&query, &tantivy::collector::Count).map_err(qerr)?;
            return Ok(SearchResult { query: q.to_string(), total, hits: Vec::new() });
        }
        // Equal scores are ordered by path, not by where a document sits in the index (which
        // depends on how the store was built): fetch every document tied with the last one kept,
        // then sort.
        let mut want = limit;
        let (mut top, total) = loop {
            let (top, total) = searcher
                .search_with_statistics_provider(
                    &query,
                    &(TopDocs::with_limit(want), tantivy::collector::Count),
                    &stats,
                )
                .map_err(qerr)?;
            let tied_at_end = top.len() == want && top.last().map(|t| t.0) == top.get(limit - 1).map(|t| t.0);
            if !tied_at_end || want >= total {
                break (top, total);
            }
            want = (want * 2).min(total);
        };
        let path_of = |addr: tantivy::DocAddress| -> std::result::Result<String, QueryError> {
            let doc: TantivyDocument = searcher.doc(addr).map_err(qerr)?;
            Ok(doc.get_first(self.schema.path).and_then(|v| v.as_str()).unwrap_or_default().to_string())
        };
        if top.len() > limit || top.windows(2).any(|w| w[0].0 == w[1].0) {
            let mut keyed = Vec::with_capacity(top.len());
            for (score, addr) in top {
                keyed.push((score, path_of(addr)?, addr));
            }
            keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            keyed.truncate(limit);
            top = keyed.into_iter().map(|(s, _, a)| (s, a)).collect();
        }
        let mut snippets = self.snippets(&stats, &*query).map_err(qerr)?;
        let s = &self.schema;
        let mut hits = Vec::new();
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(qerr)?;
            let text_of =
                |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let mut body = String::new();
            for v in doc.get_all(s.body).filter_map(|v| v.as_str()) {
                body.push(' ');
                body.push_str(v);
            }
            let (fragment, highlighted) = snippets.best(body.trim());
            let lead = fragment.len() - fragment.trim_start().len();
            let ranges: Vec<(usize, usize)> = highlighted
                .iter()
                .map(|r| (r.start.saturating_sub(lead), r.end.saturating_sub(lead)))
                .collect();
            let (mut text, mut highlights) = flatten(fragment.trim(), &ranges);
            highlights.retain(|(a, b)| *b <= text.len() && a < b);
            if text.is_empty() {
                // Prefix and filter-only queries have no terms to centre on: start of the text.
                let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
                let mut end = flat.len().min(180);
                while !flat.is_char_boundary(end) {
                    end -= 1;
                }
                text = if flat.is_empty() { text_of(s.title) } else { flat[..end].to_string() };
                highlights.clear();
            }
            let status = text_of(s.status).parse::<Status>().unwrap_or(Status::Unknown);
            let date = doc.get_first(s.date).and_then(|v| v.as_i64()).and_then(|d| {
                Date::from_ymd_opt(1970, 1, 1).and_then(|e| e.checked_add_signed(chrono::Duration::days(d)))
            });
            hits.push(Hit {
                id: text_of(s.id),
                title: text_of(s.title),
                status,
                date,
                path: text_of(s.path),
                score,
                snippet: text,
                highlights,
                in_force: doc.get_all(s.in_force).filter_map(|v| v.as_str().map(str::to_string)).collect(),
            });
        }
        Ok(SearchResult { query: q.to_string(), total, hits })
    }
}

/// Collapse runs of whitespace (line breaks included) into one space, moving the highlight
/// ranges with the text.
fn flatten(text: &str, ranges: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut map = vec![0usize; text.len() + 1];
    let mut last_space = false;
    for (i, c) in text.char_indices() {
        map[i] = out.len();
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    map[text.len()] = out.len();
    // Bytes inside a character map to its start.
    for i in 1..map.len() {
        if !text.is_char_boundary(i) {
            map[i] = map[i - 1];
        }
    }
    let ranges = ranges
        .iter()
        .map(|&(s, e)| (map[s.min(text.len())], map[e.min(text.len())]))
        .filter(|(s, e)| s < e)
        .collect();
    (out, ranges)
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if ".^$|?*+()[]{}\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The path of each document `(segment, doc)`, each segment's dictionary of paths streamed once
/// (a look-up per document would decompress a block each time).
fn paths_of(
    searcher: &tantivy::Searcher,
    docs: impl IntoIterator<Item = (u32, u32)>,
) -> Option<std::collections::BTreeMap<(u32, u32), String>> {
    let mut by_segment: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    for (segment, doc) in docs {
        by_segment.entry(segment).or_default().push(doc);
    }
    let mut out = std::collections::BTreeMap::new();
    for (segment, docs) in by_segment {
        let paths = searcher.segment_reader(segment).fast_fields().str("path").ok()??;
        let mut ords: Vec<(u64, u32)> =
            docs.iter().filter_map(|&d| paths.term_ords(d).next().map(|o| (o, d))).collect();
        ords.sort_unstable();
        ords.dedup();
        let mut stream = paths.dictionary().stream().ok()?;
        // The stream stands at `ord` while `have` holds.
        let (mut ord, mut have) = (0u64, stream.advance());
        for (want, doc) in ords {
            while have && ord < want {
                have = stream.advance();
                ord += 1;
            }
            if !have {
                break;
            }
            out.insert((segment, doc), String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    Some(out)
}

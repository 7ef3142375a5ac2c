//! The fields of the full-text index, its analyzers, and the document of one record.

use super::*;
use tantivy::tokenizer::TokenFilter;

/// The fields of the index.
#[derive(Clone)]
pub(crate) struct IndexSchema {
    pub(crate) schema: Schema,
    pub(crate) path: Field,
    pub(crate) sig: Field,
    pub(crate) id: Field,
    pub(crate) title: Field,
    pub(crate) body: Field,
    pub(crate) options: Field,
    pub(crate) people: Field,
    pub(crate) tags: Field,
    pub(crate) status: Field,
    pub(crate) date: Field,
    pub(crate) folder: Field,
    pub(crate) in_force: Field,
    /// The paths the record's texts name and the words of its prose, each one term
    /// ([`crate::governs::kept_names`]): which records name a file, for `governs`.
    pub(crate) named_paths: Field,
    pub(crate) prose_words: Field,
}

impl IndexSchema {
    pub(crate) fn new() -> IndexSchema {
        let mut b = Schema::builder();
        let text = |tok: &str, stored: bool| {
            let o = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tok)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                o.set_stored()
            } else {
                o
            }
        };
        let path = b.add_text_field("path", STRING | STORED | FAST);
        let sig = b.add_u64_field("sig", FAST);
        let id = b.add_text_field("id", STRING | STORED);
        let title = b.add_text_field("title", text("en", true));
        let body = b.add_text_field("body", text("en", true));
        let options = b.add_text_field("options", text("en", false));
        let people = b.add_text_field("people", text("names", false));
        let tags = b.add_text_field("tags", text("names", false));
        let status = b.add_text_field("status", STRING | STORED);
        let date = b.add_i64_field("date", INDEXED | FAST | STORED);
        let folder = b.add_text_field("folder", STRING);
        let in_force = b.add_text_field("in_force", STRING | STORED);
        // Whole terms, without frequencies or positions: only which records hold them is asked.
        let terms = || {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::Basic),
            )
        };
        let named_paths = b.add_text_field("named_paths", terms());
        let prose_words = b.add_text_field("prose_words", terms());
        IndexSchema {
            named_paths,
            prose_words,
            in_force,
            schema: b.build(),
            path,
            sig,
            id,
            title,
            body,
            options,
            people,
            tags,
            status,
            date,
            folder,
        }
    }
}

/// The analyzer of every prose field (titles, bodies, options): words (and pairs of
/// neighbouring characters in Chinese, Japanese and Korean text: [`super::cjk`]), lower case,
/// accent folding, English stemming (with memory: `stem.rs`).
pub fn english_analyzer() -> TextAnalyzer {
    english_stemmed_by(crate::stem::MemoStemmer)
}

/// The analyzer of a search's snippets: [`english_analyzer`]'s words at the same offsets, but
/// only those that pass `gate` lower-cased, folded and stemmed (the others emptied), the stems
/// remembered in `stems`, which an open index keeps: a server that keeps the index stems each
/// word once, not once a search.
pub(crate) fn snippet_analyzer(
    gate: super::snippet::Gate,
    stems: crate::stem::SharedMemoStemmer,
) -> TextAnalyzer {
    english_chain(gate, stems)
}

/// The English chain, its last filter the stemmer given.
fn english_stemmed_by<S: TokenFilter>(stemmer: S) -> TextAnalyzer {
    english_chain(EveryWord, stemmer)
}

/// The English chain: words, overlong ones left out, then `gate`, lower case, accent folding
/// and `stemmer`. One chain for the index and the snippets, so that both read the same words.
fn english_chain<G: TokenFilter, S: TokenFilter>(gate: G, stemmer: S) -> TextAnalyzer {
    TextAnalyzer::builder(super::cjk::CjkTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(gate)
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stemmer)
        .build()
}

/// A filter that passes every word on as it is (no work: the tokenizer is returned unchanged).
#[derive(Clone)]
struct EveryWord;

impl TokenFilter for EveryWord {
    type Tokenizer<T: tantivy::tokenizer::Tokenizer> = T;

    fn transform<T: tantivy::tokenizer::Tokenizer>(self, tokenizer: T) -> T {
        tokenizer
    }
}

pub(crate) fn register_tokenizers(index: &Index) {
    index.tokenizers().register("en", english_analyzer());
    index.tokenizers().register(
        "names",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// Days since 1970-01-01.
pub(crate) fn day_number(d: Date) -> i64 {
    d.signed_duration_since(Date::from_ymd_opt(1970, 1, 1).expect("valid date")).num_days()
}

/// The names of the options considered (boosted in search). Their descriptions, pros and cons
/// are in the body already, with the sections that hold them: indexing them twice cost a
/// tenth of the indexing time and changed no ranking test.
pub(crate) fn options_text(a: &Adr) -> String {
    let mut s = String::new();
    for o in &a.options {
        s.push_str(&o.title);
        s.push('\n');
    }
    s
}

pub(crate) fn body_text(a: &Adr) -> String {
    let mut s = String::new();
    for sec in &a.sections {
        if sec.level > 0 && sec.level != 1 {
            s.push_str(&sec.heading);
            s.push('\n');
        }
        s.push_str(&sec.text);
        s.push_str("\n\n");
    }
    s
}

/// Signature of what a record's document holds: the file's content (and sidecar), the
/// settings it was parsed with, the record's id, path and root, and the decisions in force.
/// Computed from the manifest and the graph snapshot alone: no full record is needed to tell
/// which documents are current.
pub(crate) fn signature(
    content: (u64, u64, u64),
    id: &str,
    path: &str,
    root: &str,
    in_force: &[String],
    format: u32,
) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&content.0.to_le_bytes());
    h.update(&content.1.to_le_bytes());
    h.update(&content.2.to_le_bytes());
    for part in [id, path, root] {
        h.update(part.as_bytes());
        h.update(b"\n");
    }
    for i in in_force {
        h.update(i.as_bytes());
        h.update(b"\n");
    }
    h.update(&format.to_le_bytes());
    h.digest()
}

/// The document of a record; `id` is the record's id in its corpus (a stored record does not
/// carry it).
pub(crate) fn document(
    s: &IndexSchema,
    a: &Adr,
    id: &str,
    sig: u64,
    root_display: &str,
    in_force: &[String],
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(s.path, &a.path);
    doc.add_u64(s.sig, sig);
    doc.add_text(s.id, id);
    doc.add_text(s.title, a.display_title());
    doc.add_text(s.body, body_text(a));
    doc.add_text(s.options, options_text(a));
    for p in a.deciders.iter().chain(&a.consulted).chain(&a.informed) {
        doc.add_text(s.people, p);
    }
    for t in &a.tags {
        doc.add_text(s.tags, t);
    }
    doc.add_text(s.status, a.status.as_str());
    if let Some(d) = a.date {
        doc.add_i64(s.date, day_number(d));
    }
    for i in in_force {
        doc.add_text(s.in_force, i);
    }
    // Every ancestor of the folder, relative to the root and as displayed.
    let folder = a.folder();
    let mut acc = String::new();
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(part);
        doc.add_text(s.folder, &acc);
        doc.add_text(s.folder, format!("{}/{acc}", root_display.trim_end_matches('/')));
    }
    doc.add_text(s.folder, root_display.trim_end_matches('/'));
    let (paths, prose) = crate::governs::kept_names(a);
    for p in paths {
        doc.add_text(s.named_paths, p);
    }
    for w in prose {
        doc.add_text(s.prose_words, w);
    }
    doc
}

/// For each superseded record, the decisions in force in its supersession chain.
pub(crate) fn in_force_of(corpus: &Corpus) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); corpus.adrs.len()];
    if !corpus.adrs.iter().any(|a| a.status == Status::Superseded) {
        return out;
    }
    // Chains follow supersession edges only.
    let graph = crate::DecisionGraph::build_supersession(&corpus.adrs, &crate::GraphOptions::of(corpus));
    // What is in force is the same from every member of a chain: one query per chain.
    let by_id: HashMap<&str, usize> =
        corpus.adrs.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let mut done = vec![false; corpus.adrs.len()];
    for (i, a) in corpus.adrs.iter().enumerate() {
        if a.status != Status::Superseded || done[i] {
            continue;
        }
        let chain = crate::query::chain(&graph, &corpus.adrs, crate::model::DecisionIndex::new(i));
        for m in &chain.members {
            if let Some(&k) = by_id.get(m.id.as_str()) {
                done[k] = true;
                if corpus.adrs[k].status == Status::Superseded {
                    out[k] = chain.in_force.clone();
                }
            }
        }
    }
    out
}

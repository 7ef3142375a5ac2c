//! BM25 statistics over the live documents only.
//!
//! tantivy's own statistics count every document a segment ever held, deleted ones included,
//! until the segments merge. A store refreshed in place (records replaced one by one) would then
//! score a query differently from a store built from nothing. These statistics are computed from
//! the live documents alone, so both give the same scores, byte for byte.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// BM25 statistics from the live documents of a searcher's segments.
pub(crate) struct LiveStatistics<'a> {
    searcher: &'a Searcher,
}

impl<'a> LiveStatistics<'a> {
    /// Statistics over `searcher`'s live documents.
    pub(crate) fn new(searcher: &'a Searcher) -> Self {
        LiveStatistics { searcher }
    }
}

impl Bm25StatisticsProvider for LiveStatistics<'_> {
    /// The sum of the live documents' field lengths as the index records them (the same
    /// whatever else the segment holds). A field without lengths counts one per document.
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut total = 0u64;
        for segment in self.searcher.segment_readers() {
            match segment.get_fieldnorms_reader(field) {
                Ok(norms) => match segment.alive_bitset() {
                    None => {
                        total += (0..segment.max_doc()).map(|d| u64::from(norms.fieldnorm(d))).sum::<u64>()
                    }
                    Some(_) => {
                        total += segment.doc_ids_alive().map(|d| u64::from(norms.fieldnorm(d))).sum::<u64>()
                    }
                },
                Err(_) => total += u64::from(segment.num_docs()),
            }
        }
        Ok(total)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.searcher.num_docs())
    }

    /// Live documents holding `term`: a segment with deletions has its postings walked.
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut total = 0u64;
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(term.field())?;
            let Some(alive) = segment.alive_bitset() else {
                total += u64::from(inverted.doc_freq(term)?);
                continue;
            };
            let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_alive(doc) {
                    total += 1;
                }
                doc = postings.advance();
            }
        }
        Ok(total)
    }
}

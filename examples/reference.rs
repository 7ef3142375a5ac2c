//! The lower bounds adrgraph's benchmark is measured against.
//!
//! An honest benchmark prints each figure beside what the same work costs without adrgraph:
//! this example does that work with the same crates and the same number of threads, and
//! nothing else.
//!
//! - `walk DIR`: a bare parallel metadata walk of DIR (the `ignore` crate's parallel walker,
//!   as adrgraph uses it, with the same threads): every file's size and modification time.
//! - `read DIR`: read every markdown file under DIR, in parallel (rayon).
//! - `pulldown DIR`: read and run pulldown-cmark over every file, consuming every event.
//! - `tantivy DIR OUT`: read every file and index its raw text with tantivy into OUT (one text
//!   field, stored for snippets, with the same analyzer as adrgraph's: words, lower case, accent
//!   folding, English stemming; the same writer threads and memory budget), then commit.
//!
//! Each prints one line: files, bytes and seconds. `benches/run.sh` runs them on the generated
//! trees. With no arguments it runs all three on the bundled `data/` tree and explains the
//! figures.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Every markdown file under `dir`, sorted (hidden folders skipped, as adrgraph does).
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() && name.to_string_lossy().ends_with(".md") {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Walk `dir` in parallel and stat every file: (files, bytes).
fn walk(dir: &Path) -> (usize, u64) {
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    let (files, bytes) = (AtomicUsize::new(0), AtomicU64::new(0));
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    ignore::WalkBuilder::new(dir).threads(threads).build_parallel().run(|| {
        Box::new(|entry| {
            if let Ok(e) = entry {
                if e.file_type().is_some_and(|t| t.is_file()) {
                    if let Ok(m) = e.metadata() {
                        let _ = m.modified();
                        files.fetch_add(1, Ordering::Relaxed);
                        bytes.fetch_add(m.len(), Ordering::Relaxed);
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    (files.into_inner(), bytes.into_inner())
}

/// Read every file: (files, bytes).
fn read(dir: &Path) -> (usize, u64) {
    let files = markdown_files(dir);
    let bytes: u64 = files.par_iter().map(|f| std::fs::read(f).map_or(0, |b| b.len() as u64)).sum();
    (files.len(), bytes)
}

/// Read and parse every file with pulldown-cmark, with the extensions adrgraph turns on:
/// (files, bytes, events).
fn pulldown(dir: &Path) -> (usize, u64, usize) {
    use pulldown_cmark::{Options, Parser};
    let files = markdown_files(dir);
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let (bytes, events) = files
        .par_iter()
        .map(|f| {
            let b = std::fs::read(f).unwrap_or_default();
            let text = String::from_utf8_lossy(&b);
            (b.len() as u64, Parser::new_ext(&text, opts).count())
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    (files.len(), bytes, events)
}

/// Index the raw text of every file into a new tantivy index at `out`: (files, bytes).
fn tantivy_alone(dir: &Path, out: &Path) -> tantivy::Result<(usize, u64)> {
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING};
    use tantivy::{doc, Index};
    let files = markdown_files(dir);
    let mut builder = Schema::builder();
    let path = builder.add_text_field("path", STRING | STORED);
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let body = builder.add_text_field("body", text);
    let schema = builder.build();
    std::fs::create_dir_all(out)?;
    let index = Index::create_in_dir(out, schema)?;
    // adrgraph's analyzer as tantivy ships it: the same filters, so the same terms, with
    // tantivy's own Stemmer (adrgraph's MemoStemmer remembers stems; see src/stem.rs).
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    };
    let stock = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build();
    index.tokenizers().register("en", stock);
    // The same writer as adrgraph's store: up to four threads, 128 MB each.
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4);
    let mut writer = index.writer_with_num_threads(threads, 128 * 1024 * 1024 * threads)?;
    let mut bytes = 0u64;
    for f in &files {
        let b = std::fs::read(f)?;
        bytes += b.len() as u64;
        let name = f.to_string_lossy().into_owned();
        writer.add_document(doc!(path => name, body => String::from_utf8_lossy(&b).into_owned()))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok((files.len(), bytes))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(PathBuf::from);
    match args.first().map(String::as_str) {
        Some("walk") => {
            let dir = arg(1).expect("usage: reference walk DIR");
            let t = Instant::now();
            let (files, bytes) = walk(&dir);
            println!("walk {files} files {bytes} bytes {:.4} s", t.elapsed().as_secs_f64());
        }
        Some("read") => {
            let dir = arg(1).expect("usage: reference read DIR");
            let t = Instant::now();
            let (files, bytes) = read(&dir);
            println!("read {files} files {bytes} bytes {:.4} s", t.elapsed().as_secs_f64());
        }
        Some("pulldown") => {
            let dir = arg(1).expect("usage: reference pulldown DIR");
            let t = Instant::now();
            let (files, bytes, events) = pulldown(&dir);
            println!(
                "pulldown {files} files {bytes} bytes {events} events {:.4} s",
                t.elapsed().as_secs_f64()
            );
        }
        Some("tantivy") => {
            let (Some(dir), Some(out)) = (arg(1), arg(2)) else { panic!("usage: reference tantivy DIR OUT") };
            let t = Instant::now();
            let (files, bytes) = tantivy_alone(&dir, &out).expect("indexed");
            println!("tantivy {files} files {bytes} bytes {:.4} s", t.elapsed().as_secs_f64());
        }
        Some(other) => panic!("unknown reference `{other}`: walk, read, pulldown or tantivy"),
        None => {
            // On data/: small, but the same code paths the benchmark times on 100,000 files.
            let dir = Path::new("data");
            let (walked, _) = walk(dir);
            println!("walking alone: {walked} files seen");
            let (files, bytes) = read(dir);
            assert!(walked >= files);
            println!("reading alone: {files} markdown files, {bytes} bytes");
            let (pf, _, events) = pulldown(dir);
            println!("pulldown-cmark alone: {events} events from {pf} files");
            assert_eq!(pf, files);
            let tmp = tempfile::tempdir().expect("temporary folder");
            let (tf, tb) = tantivy_alone(dir, tmp.path()).expect("indexed");
            println!("tantivy alone: {tf} documents, {tb} bytes of text, committed");
            assert_eq!((tf, tb), (files, bytes));
            let index = tantivy::Index::open_in_dir(tmp.path()).expect("opens");
            let docs = index.reader().expect("reader").searcher().num_docs();
            println!("the index holds {docs} documents");
            assert_eq!(docs as usize, files);
        }
    }
}

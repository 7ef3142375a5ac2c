//! `adrgraph site -o DIR`: the server's pages as static files with relative links (they work
//! from `file://`, GitHub Pages or any static host), and the search index the page's script
//! queries in the browser (`search-index.js`: a compact prefix index written here, loaded as
//! a script so that it works from `file://` too). The same snapshot gives the same bytes.

use super::links::{file_name, Links};
use super::state::Snapshot;
use super::{decision, graph_page, log, pages, search_page};
use rayon::prelude::*;
use std::path::Path;

/// What a site build wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SiteReport {
    /// Files written.
    pub files: usize,
    /// Bytes written in all.
    pub bytes: u64,
    /// Bytes of the decision log (`index.html`).
    pub index_bytes: u64,
    /// Bytes of the search index (`search-index.js`).
    pub search_index_bytes: u64,
    /// Decision pages written.
    pub decisions: usize,
}

/// Write the site into `out` (made when missing; files of an earlier build are overwritten,
/// nothing else in the folder is touched).
pub fn write_site(snap: &Snapshot, out: &Path) -> std::io::Result<SiteReport> {
    for dir in [out.to_path_buf(), out.join("decisions"), out.join("assets")] {
        std::fs::create_dir_all(&dir)?;
        if std::fs::symlink_metadata(&dir)?.file_type().is_symlink() {
            return Err(std::io::Error::other(format!(
                "{} is a symbolic link: not writing through it",
                dir.display()
            )));
        }
    }
    let top = Links::site(0);
    let everything = log::LogFilter { page: 1, sort: "path".into(), ..Default::default() };
    let below = Links::site(1);
    // The drawing (Graphviz: most of a small site's time) is made beside the pages.
    let (graph, pages) = rayon::join(
        || graph_page::page(snap, &top, &Default::default()).into_string().into_bytes(),
        || {
            snap.corpus
                .indexes()
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|i| {
                    let name = format!("decisions/{}.html", file_name(&snap.corpus.adrs[i].id));
                    (name, decision::page(snap, &below, i).into_string().into_bytes())
                })
                .collect::<Vec<_>>()
        },
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("index.html".into(), log::log(snap, &top, &everything).into_string().into_bytes()),
        ("search.html".into(), search_page::page(snap, &top, &Default::default()).into_string().into_bytes()),
        ("graph.html".into(), graph),
        ("timeline.html".into(), log::timeline(snap, &top).into_string().into_bytes()),
        ("lint.html".into(), pages::lint(snap, &top).into_string().into_bytes()),
        ("404.html".into(), pages::not_found(snap, &top, "that address").into_string().into_bytes()),
        ("assets/style.css".into(), super::STYLE.as_bytes().to_vec()),
        ("assets/app.js".into(), super::SCRIPT.as_bytes().to_vec()),
        ("search-index.js".into(), search_index(snap).into_bytes()),
    ];
    let mut report = SiteReport { decisions: pages.len(), ..Default::default() };
    files.extend(pages);
    files
        .par_iter()
        .map(|(name, bytes)| write_file(&out.join(name), bytes))
        .collect::<std::io::Result<()>>()?;
    remove_stale_pages(&out.join("decisions"), &files)?;
    for (name, bytes) in &files {
        report.files += 1;
        report.bytes += bytes.len() as u64;
        match name.as_str() {
            "index.html" => report.index_bytes = bytes.len() as u64,
            "search-index.js" => report.search_index_bytes = bytes.len() as u64,
            _ => {}
        }
    }
    Ok(report)
}

/// Write one file of the site: a symlink in its place is refused, not followed, and the file
/// is replaced, never written in place (a new file beside it, renamed over it), so a page that
/// is a hard link to another file leaves that file as it was.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other(format!(
            "{} is a symbolic link: not writing through it",
            path.display()
        )));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Remove the pages of `decisions/` an earlier build wrote for records that are gone (only
/// `.html` files that are not symbolic links; nothing else in the folder is touched).
fn remove_stale_pages(dir: &Path, written: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let keep: std::collections::HashSet<&str> =
        written.iter().filter_map(|(n, _)| n.strip_prefix("decisions/")).collect();
    for e in std::fs::read_dir(dir)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let page = name.ends_with(".html") && e.file_type().is_ok_and(|t| t.is_file());
        if page && !keep.contains(name.as_str()) {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(())
}

/// The words of a text as the browser's script splits a query: lower case, runs of letters
/// and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= 40)
        .map(str::to_lowercase)
}

/// The search index: `window.ADRGRAPH_SEARCH = {docs, terms, postings}`. `docs` are
/// `[id, title, status, date, page, summary]`; `terms` sorted (a prefix is a range found by
/// binary search); `postings[k]` lists `doc, weight` pairs of `terms[k]` (a title word weighs
/// 5, any other word 1 per use, at most 20 per field).
pub fn search_index(snap: &Snapshot) -> String {
    // Documents are read in order, so a word's postings grow at their end.
    let mut terms: std::collections::HashMap<String, Vec<[u32; 2]>> = Default::default();
    let mut docs = Vec::with_capacity(snap.corpus.adrs.len());
    for (d, a) in snap.corpus.adrs.iter().enumerate() {
        let d = d as u32;
        let mut add = |text: &str, weight: u32| {
            for w in words(text) {
                let p = match terms.get_mut(&w) {
                    Some(p) => p,
                    None => terms.entry(w).or_default(),
                };
                match p.last_mut() {
                    Some(last) if last[0] == d => last[1] = (last[1] + weight).min(100),
                    _ => p.push([d, weight.min(100)]),
                }
            }
        };
        add(a.display_title(), 5);
        add(&a.id, 2);
        for t in a.tags.iter().chain(&a.deciders) {
            add(t, 3);
        }
        for s in &a.sections {
            add(&s.text, 1);
        }
        let summary = a.context.as_deref().or(a.decision.as_deref()).unwrap_or_default();
        let summary: String = crate::output::clean(summary, false).chars().take(220).collect();
        docs.push(serde_json::json!([
            a.id,
            a.display_title(),
            a.status.as_str(),
            a.date.map(|x| x.to_string()),
            format!("decisions/{}.html", file_name(&a.id)),
            summary
        ]));
    }
    let mut terms: Vec<(String, Vec<[u32; 2]>)> = terms.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let (names, postings): (Vec<String>, Vec<Vec<u32>>) =
        terms.into_iter().map(|(t, p)| (t, p.into_iter().flatten().collect())).unzip();
    let index = serde_json::json!({ "docs": docs, "terms": names, "postings": postings });
    // Compact JSON; `<` escaped so that no text can close the script early.
    let text = serde_json::to_string(&index).unwrap_or_else(|_| "{}".into()).replace('<', "\\u003c");
    format!("window.ADRGRAPH_SEARCH = {text};\n")
}

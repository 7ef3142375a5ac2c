//! The longest tests, each over the whole shared corpora, in a module of their own whose name
//! sorts early: libtest starts the tests in the order of their names, two at a time, and when
//! these started last (their modules were `recorded`, `render` and `web`), the 76-second
//! recorded run began 75 s into the suite and the 23-second web run 152 s in, alone at the end
//! with the other thread idle.

use crate::recorded::{compare, recorded, tree_digests};
use crate::render::{check_json_shape, dot_canon_ok, graph_text, graphml_counts, have_dot, svg_counts};
use crate::util::{corpora, manifest_dir};
use crate::web::Server;

#[test]
fn every_command_on_the_corpora_is_as_recorded() {
    let Some(corpora) = corpora() else { return };
    let mut names: Vec<String> = std::fs::read_dir(&corpora)
        .expect("corpora readable")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Each corpus on its own (every decision shown), then all of them as one tree; each tree
    // with its own store, on as many threads as there are cores (the longest test of the
    // suite: about 7,000 runs), and its digests put back in tree order.
    let trees: Vec<(String, bool)> = names
        .iter()
        .map(|n| (format!("../shared/corpora/{n}"), true))
        .chain([("../shared/corpora".to_string(), false)])
        .collect();
    // The whole corpora, the longest tree (its rebuild alone is seconds in a debug build),
    // first: taken last, it ran alone while the other thread had nothing left.
    let order: Vec<usize> = std::iter::once(trees.len() - 1).chain(0..trees.len() - 1).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<Option<String>>> = std::sync::Mutex::new(vec![None; trees.len()]);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some(&k) = order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let (name, show_every) = &trees[k];
                    let digests = tree_digests(name, *show_every);
                    done.lock().unwrap()[k] = Some(digests);
                }
            });
        }
    });
    let digests: String =
        done.into_inner().unwrap().into_iter().map(|d| d.expect("every tree run")).collect();
    compare(&recorded("corpora.txt"), &digests);
}

#[test]
fn the_shared_corpora_are_served_whole() {
    let Some(corpora) = corpora() else { return };
    let s = Server::start(corpora.parent().unwrap(), "corpora");
    let list: serde_json::Value = serde_json::from_str(&s.get("/api/decisions").2).unwrap();
    let list = list.as_array().unwrap();
    assert!(list.len() > 700, "{} decisions", list.len());
    // The log is in pages of 500; together they link every decision.
    let mut log = String::new();
    for page in 1.. {
        let text = s.get(&format!("/?page={page}")).2;
        log.push_str(&text);
        if !text.contains("rel=\"next\"") {
            break;
        }
    }
    for d in list {
        let id = d["id"].as_str().unwrap();
        let href = format!("/decisions/{}", adrgraph::render::percent_encode(id));
        assert!(log.contains(&format!("href=\"{href}\"")), "the log has no link to {id}");
        let (code, _, page) = s.get(&href);
        assert_eq!(code, 200, "{id}");
        assert!(page.contains("</html>"), "{id}: a page cut short");
    }
    let graph = s.get("/graph").2;
    assert!(graph.contains("<svg"), "the corpora's graph is drawn");
    // Above 1,500 decisions the first view is the most linked ones, each a link to its page.
    assert!(graph.contains("most-linked"), "the first view of a big tree says what it draws");
    assert!(graph.matches("href=\"/decisions/").count() > 50, "the drawn decisions link to their pages");
    for path in ["/timeline", "/lint", "/search?q=database", "/api/lint", "/api/graph.json"] {
        assert_eq!(s.get(path).0, 200, "{path}");
    }
}

#[test]
fn whole_corpora_graph_renders() {
    let Some(root) = corpora() else { return };
    let root = root.to_string_lossy().into_owned();
    let dir = manifest_dir();
    let dot = graph_text(&dir, &["--root", &root, "-q"]);
    graphviz_rust::parse(&dot).expect("corpora DOT reads back");
    let (nodes, links) = check_json_shape(&graph_text(&dir, &["--root", &root, "-q", "-f", "json"]));
    assert!(nodes > 700, "{nodes}");
    let xml = graph_text(&dir, &["--root", &root, "-q", "-f", "graphml"]);
    assert_eq!(graphml_counts(&xml), (nodes, links));
    if !have_dot() {
        return;
    }
    dot_canon_ok(&dot);
    // More than 300 decisions: sfdp is chosen, so the render finishes.
    let svg = graph_text(&dir, &["--root", &root, "-q", "-f", "svg"]);
    assert_eq!(svg_counts(&svg), (nodes, links));
}

//! Unit tests of the governance answers: scopes, names and the index's answers.

use super::{
    kept_names, names_to_look_up, scope_matches, CodeFile, Governor, GovernsOptions, Mentions, LONGEST_KEPT,
};
use std::collections::HashMap;

#[test]
fn a_globs_literal_tail_is_what_every_match_ends_with() {
    assert_eq!(super::literal_tail("src/a/**/file7.rs"), "/file7.rs");
    assert_eq!(super::literal_tail("src/billing/**"), "");
    assert_eq!(super::literal_tail("src/billing"), "src/billing");
    assert_eq!(super::literal_tail("src/*.{rs,go}"), "");
    assert_eq!(super::literal_tail("docs/[ab]/x.md"), "/x.md");
}

fn names_path(hay: &str, needle: &str) -> bool {
    super::names::path_names(hay).any(|p| p == needle)
}

fn names_module(hay: &str, stem: &str) -> bool {
    super::names::prose_words(hay).any(|w| w.to_lowercase() == stem.to_lowercase())
}

#[test]
fn a_path_is_named_only_as_a_whole() {
    assert!(names_path("see src/m1/ here", "src/m1"));
    assert!(names_path("see `src/m1/**`", "src/m1"));
    assert!(!names_path("see src/m1/a0 here", "src/m1"));
    assert!(!names_path("see src/m1/.hidden", "src/m1"));
    assert!(names_path("in src/m1.", "src/m1"));
    assert!(names_path("`lib/src/x.js`", "lib/src/x.js"));
    assert!(!names_path("see src/m10/a4", "src/m1"));
    assert!(!names_path("see xsrc/m1", "src/m1"));
    assert!(!names_path("see src/m1.rs", "src/m1"));
}

#[test]
fn a_module_is_named_in_prose_not_inside_a_path() {
    assert!(names_module("The SubjectViewer module draws them.", "SubjectViewer"));
    assert!(names_module("see subjectviewer.", "SubjectViewer"));
    assert!(!names_module("see `src/other/SubjectViewer.js`", "SubjectViewer"));
    assert!(!names_module("see SubjectViewer/index.js", "SubjectViewer"));
    assert!(!names_module("see SubjectViewers", "SubjectViewer"));
}

#[test]
fn a_glob_is_filed_under_the_folder_it_starts_with() {
    use super::literal_folder;
    assert_eq!(literal_folder("src/a/**/x.rs"), "src/a");
    assert_eq!(literal_folder("src/a/b"), "src/a");
    assert_eq!(literal_folder("src/a/b/**"), "src/a/b");
    assert_eq!(literal_folder("**/*.proto"), "");
    assert_eq!(literal_folder("src/{a,b}/x"), "src");
    assert_eq!(literal_folder("x.rs"), "");
}

#[test]
fn scopes_match_globs_and_folders() {
    assert!(scope_matches("src/billing/**", "src/billing/invoice/mod.rs"));
    assert!(scope_matches("src/billing", "src/billing/invoice.rs"));
    assert!(scope_matches("./src/billing/", "src/billing/invoice.rs"));
    assert!(!scope_matches("src/bill", "src/billing/invoice.rs"));
    assert!(scope_matches("**/*.proto", "api/v1/events.proto"));
    assert!(!scope_matches("src/*.rs", "src/a/b.rs"));
    assert!(!scope_matches("", "src/a.rs"));
    assert!(!scope_matches("[", "src/a.rs"));
}

/// Reading only the runs of text around the names found gives what reading every text
/// whole and keeping the names asked about gives, on the bundled tree (files it names, in
/// folders it names, modules its prose names) and on texts written to sit on the edges.
#[test]
fn the_names_read_around_matches_are_those_read_from_whole_texts() {
    use super::names::{Named, Needed};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).unwrap();
    let mut odd = corpus.adrs[0].clone();
    odd.title = Some("Events: src/events/outbox.rs and OUTBOX".into());
    odd.sections[0].text = "src/events/outbox.rs. (see ./src/events/) outbox/x Outbox.py \\outbox \
        docs/src/events/outbox.rs\tsrc/Events\nrelay_outbox outbox; 'outbox' \u{e9}outbox outbox\u{e9} src/events"
        .into();
    corpus.adrs.push(odd.clone());
    // The same, all ASCII: read around the names found.
    for section in &mut odd.sections {
        section.text = section.text.replace('\u{e9}', "e");
    }
    assert!(odd.sections.iter().all(|x| x.text.is_ascii()));
    corpus.adrs.push(odd.clone());
    // Names found only inside longer runs, which name nothing asked about.
    odd.title = None;
    odd.sections[0].text = "xsrc/events/outbox.rs relay_outbox src/events/outboxes a.outbox outbox/".into();
    corpus.adrs.push(odd);
    let rels =
        ["src/events/outbox.rs", "deploy/nomad.hcl", "src/cdc/connector.rs", "services/billing/money.rs"];
    let everything = Named::of(&corpus, None, None);
    let needed = Needed::of(rels);
    let kept = |m: &std::collections::HashMap<String, Vec<usize>>, want: &dyn Fn(&String) -> bool| {
        let mut v: Vec<(String, Vec<usize>)> =
            m.iter().filter(|(k, _)| want(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        v.sort();
        v
    };
    let all: std::collections::BTreeSet<usize> = (0..corpus.adrs.len()).collect();
    for among in [None, Some(&all)] {
        let found = Named::of(&corpus, Some(&needed), among);
        let any = |_: &String| true;
        assert_eq!(kept(&found.paths, &any), kept(&everything.paths, &|k| needed.paths.contains(k)));
        assert_eq!(kept(&found.prose, &any), kept(&everything.prose, &|k| needed.modules.contains(k)));
        assert!(!found.paths.is_empty() && !found.prose.is_empty(), "names found: {:?}", found.paths);
    }
}

/// What an index keeps of each record ([`kept_names`]) is what reading its texts finds:
/// the one pass over ASCII bytes against the functions read character by character, on the
/// bundled tree and on texts made of the characters that sit on the edges of names.
#[test]
fn the_names_an_index_keeps_are_those_the_texts_give() {
    use super::names::{path_names, prose_words};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).unwrap();
    let mut odd = corpus.adrs[0].clone();
    let alphabet: Vec<char> = "ab/._-\\ \n1Zé:".chars().collect();
    let mut seed = 7u64;
    let mut texts = Vec::new();
    for n in 0..3000 {
        let text: String = (0..n % 40)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                alphabet[(seed >> 33) as usize % alphabet.len()]
            })
            .collect();
        texts.push(text);
    }
    let mut records: Vec<crate::Adr> = corpus.adrs.clone();
    for t in texts {
        odd.title = Some(t.clone());
        odd.sections[0].text = format!("{t} abcd.rs Abcd/abcd_e {t}");
        records.push(odd.clone());
    }
    for a in &records {
        let (paths, prose) = kept_names(a);
        let mut want_paths = std::collections::BTreeSet::new();
        let mut want_prose = std::collections::BTreeSet::new();
        for s in &a.sections {
            want_paths
                .extend(path_names(&s.text).filter(|p| p.contains(['/', '.']) && p.len() <= LONGEST_KEPT));
            want_prose.extend(
                prose_words(&s.text).map(str::to_lowercase).filter(|w| (4..=LONGEST_KEPT).contains(&w.len())),
            );
        }
        want_paths.extend(a.title.iter().flat_map(|t| path_names(t)).filter(|p| p.contains(['/', '.'])));
        assert_eq!(paths.into_iter().collect::<std::collections::BTreeSet<_>>(), want_paths, "{a:?}");
        assert_eq!(prose.into_iter().collect::<std::collections::BTreeSet<_>>(), want_prose, "{a:?}");
    }
}

/// Answers from what an index of the records says they name ([`Governor::for_files_mentioned`])
/// are those from reading every text, for files named in many ways (by path, by a folder,
/// from a package's root, by module name, by nothing).
#[test]
fn answers_from_the_index_are_those_from_the_texts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).unwrap();
    let mut odd = corpus.adrs[0].clone();
    odd.title = Some("Events: src/events/outbox.rs and OUTBOX".into());
    odd.sections[0].text = "src/events/outbox.rs. (see ./src/events/) lib/src/cdc/connector.rs \\outbox \
        the Connector module; money handling in services/billing; relay_outbox outbox\u{e9}"
        .into();
    // Links to code: to a file, to folders (written with `.` and `..`), by repository URL.
    let up = "../".repeat(odd.rel_path.matches('/').count());
    odd.code_links = vec![
        format!("{up}src/events/outbox.rs"),
        format!("{up}src/nothing/./"),
        format!("{up}services/billing/x/.."),
        "https://github.com/o/r/blob/main/packages/lib/src/cdc/connector.rs#L3".into(),
        format!("{up}deploy/elsewhere.hcl"),
    ];
    corpus.adrs.push(odd);
    let graph = crate::graph_of(&corpus);
    let index = crate::search::index_in_memory(&corpus).unwrap();
    let opts = GovernsOptions::default();
    let rels = [
        "src/events/outbox.rs",
        "deploy/nomad.hcl",
        "packages/lib/src/cdc/connector.rs",
        "services/billing/money.rs",
        "src/nothing/here.rs",
    ];
    let (paths, modules) = names_to_look_up(rels).expect("every name kept");
    let (p, m) = index.records_naming(&paths, &modules).unwrap();
    let at: HashMap<&str, usize> =
        corpus.adrs.iter().enumerate().map(|(i, a)| (a.path.as_str(), i)).collect();
    let mut mentions = Mentions::default();
    for (name, records) in paths.iter().zip(&p) {
        records.iter().for_each(|r| mentions.path(name, at[r.as_str()]));
    }
    for (name, records) in modules.iter().zip(&m) {
        records.iter().for_each(|r| mentions.module(name, at[r.as_str()]));
    }
    let whole = Governor::new(&corpus, &graph, &opts);
    let given = Governor::for_files_mentioned(&corpus, &graph, &opts, rels, mentions, None);
    let (mut mentioned, mut links) = (0, 0);
    for rel in rels {
        let f = CodeFile { path: rel.into(), rel: rel.into(), text: None };
        let (a, b) = (whole.answer(&f), given.answer(&f));
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{rel}");
        mentioned += a.decisions.len();
        links +=
            a.decisions.iter().flat_map(|d| &d.reasons).filter(|r| r.detail.contains("links to")).count();
    }
    assert!(mentioned >= 3, "the files are named: {mentioned}");
    assert!(links >= 4, "the files and their folders are linked to: {links}");
    // A file at the top without an extension is named by a plain word: not kept.
    assert!(names_to_look_up(["Makefile"]).is_none());
}

/// The scopes compiled for a few files match each of them as every scope compiled does,
/// for scopes of every shape (globs, plain paths, folders, escapes, outside the files).
#[test]
fn scopes_compiled_for_some_files_match_them_as_all_do() {
    use super::names::Needed;
    use super::Scopes;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).unwrap();
    let written = [
        "src/billing/**",
        "src/billing",
        "./src/billing/",
        "/src",
        "src/*.rs",
        "**/*.proto",
        "src/{a,b}/x.rs",
        "src/a/x.rs",
        "src/a",
        "src/a]b/c.rs",
        "src/a}/c.rs",
        "src\\a",
        "docs/[ab]/x.md",
        "x.rs",
        "",
        "  ",
        "src/billing/invoice.rs",
        "lib/src/cdc/**/connector.rs",
        "src/a/**/x.rs",
        "api/v1/*.proto",
        "src/",
    ];
    for (i, a) in corpus.adrs.iter_mut().enumerate() {
        a.scope = written.iter().skip(i % 5).step_by(3).map(|s| s.to_string()).collect();
    }
    let table = vec![("src/a/**".to_string(), vec!["1".to_string()])];
    let files = [
        "src/billing/invoice.rs",
        "src/a/x.rs",
        "src/a]b/c.rs",
        "src/a}/c.rs",
        "src\\a",
        "x.rs",
        "api/v1/e.proto",
        "docs/a/x.md",
        "lib/src/cdc/k/connector.rs",
        "src/b/x.rs",
        "src/main.rs",
        "src/a/b/c/x.rs",
    ];
    let all = Scopes::new(&corpus, &table, None);
    for k in 0..files.len() {
        let asked = [files[k], files[(k + 5) % files.len()]];
        let needed = Needed::of(asked);
        let some = Scopes::new(&corpus, &table, Some(&needed));
        for f in asked {
            let (want, got) = (all.matching(f), some.matching(f));
            let show =
                |m: &[(&str, super::Owner)]| format!("{:?}", m.iter().map(|(s, _)| *s).collect::<Vec<_>>());
            assert_eq!(show(&got), show(&want), "{f}");
        }
    }
    assert!(!all.matching("src/billing/invoice.rs").is_empty());
    // Against each scope matched on its own, owners and all: every record declaring a
    // matching scope is found, however many declare the same one.
    for f in files {
        let want: Vec<String> = corpus
            .adrs
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.scope.iter().map(move |s| (s.as_str(), super::Owner::Record(i))))
            .chain(table.iter().enumerate().map(|(k, (s, _))| (s.as_str(), super::Owner::Table(k))))
            .filter(|(s, _)| super::scope_matches(s, f))
            .map(|(s, o)| format!("{s} {o:?}"))
            .collect();
        let got: Vec<String> = all.matching(f).iter().map(|(s, o)| format!("{s} {o:?}")).collect();
        assert_eq!(got, want, "{f}");
    }
}

#[test]
fn only_a_text_holding_adr_in_some_case_can_hold_a_marker() {
    // The marker pattern's case-insensitive letters match no character but their two ASCII
    // cases: every character of Unicode is tried.
    let letters = regex::Regex::new("(?i)^[adr]$").unwrap();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let s = c.to_string();
        if letters.is_match(&s) {
            assert!(
                matches!(c, 'a' | 'd' | 'r' | 'A' | 'D' | 'R'),
                "{c:?} ({:#x}) is a case of a, d or r",
                c as u32
            );
        }
    }
    let mentions = |t: &str| super::names::mentions_adr(t.as_bytes());
    for t in ["ADR-12", "see adr 7", "@Adr 3", "x aDr:4", "madr"] {
        assert!(mentions(t), "{t}");
    }
    for t in ["", "a", "ad", "A-D-R 12", "dr 12", "arduino 12", "\u{e1}dr 12"] {
        assert!(!mentions(t), "{t}");
    }
    // The markers found are the pattern's, on texts with and without it.
    let by_number: HashMap<u32, Vec<usize>> = [(12, vec![0]), (7, vec![1])].into_iter().collect();
    let names = super::names::RecordNames { by_name: HashMap::new(), extensions: vec![], longest: 0 };
    let found = super::names::markers(&by_number, &names, "fn a() {}\n// ADR-0012: why\n// see adr 7\n");
    assert_eq!(found, vec![(0, 2, "ADR-0012".to_string()), (1, 3, "adr 7".to_string())]);
    assert!(super::names::markers(&by_number, &names, "fn a() {}\n// 12 and 7\n").is_empty());
}

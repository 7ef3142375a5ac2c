//! `adrgraph governs`: the three kinds of reason on a scenario made from `data/` (declared
//! scopes in front matter and in `adrgraph.toml`, markers in code, mentions), supersession
//! passing a reason to the decision in force, deprecated decisions only with `--all`, and the
//! tree's own files left out.

use crate::util::{adrgraph, copy_tree, manifest_dir, stdout_of};
use std::path::Path;

/// A repository: `data/` with scopes added, a small code tree, an `adrgraph.toml`.
pub fn scenario() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    copy_tree(&manifest_dir().join("data"), &root.join("data"));
    std::fs::create_dir_all(root.join(".git")).unwrap();
    // A declared scope in front matter (MADR 4 front matter already there).
    let cdc = root.join("data/data-platform/0002-change-data-capture-with-debezium.md");
    let text = std::fs::read_to_string(&cdc).unwrap();
    let text = text.replacen("---\n", "---\naffects:\n  - src/cdc/**\n  - deploy/debezium.yaml\n", 1);
    std::fs::write(&cdc, text).unwrap();
    // A declared scope on a deprecated decision (only with --all).
    let prom = root.join("data/infrastructure/0008-self-hosted-prometheus-and-grafana.md");
    let text = std::fs::read_to_string(&prom).unwrap();
    std::fs::write(&prom, format!("---\nscope: deploy/monitoring\n---\n{text}")).unwrap();
    std::fs::write(
        root.join("adrgraph.toml"),
        "roots = [\"data\"]\n\n[governs]\n\"src/billing/**\" = [\"data/services/billing/0002-store-money-as-integer-minor-units.md\"]\n",
    )
    .unwrap();
    let write = |p: &str, text: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("src/cdc/connector.rs", "pub fn start() {}\n");
    write("src/billing/money.rs", "/// Amounts in minor units.\npub struct Money(i64);\n");
    // A marker naming a superseded record by its file name: the decision in force answers.
    write("deploy/nomad.hcl", "# Placement as decided in 0004-run-services-on-nomad.md\njob \"api\" {}\n");
    // A marker by id, and a module the outbox decision's text names.
    write(
        "src/events/outbox.rs",
        "// Implements ADR-008: publish through the outbox table.\npub fn relay() {}\n",
    );
    write("deploy/monitoring/prometheus.yml", "scrape_configs: []\n");
    write("src/unrelated/zebra.rs", "fn main() {}\n");
    t
}

fn governs(dir: &Path, args: &[&str]) -> serde_json::Value {
    let store = tempfile::tempdir().unwrap();
    let out =
        stdout_of(adrgraph(dir).args(["--store"]).arg(store.path()).args(["--json", "governs"]).args(args));
    serde_json::from_str(&out).unwrap()
}

/// `(id, first reason's kind, first reason's strength, via)` for one file of the answer.
fn summary(answer: &serde_json::Value, file: &str) -> Vec<(String, String, u64, Vec<String>)> {
    let a = answer
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["file"] == file)
        .unwrap_or_else(|| panic!("no answer for {file}"));
    a["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let r = &d["reasons"][0];
            let via = r["via"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
            (
                d["id"].as_str().unwrap().to_string(),
                r["kind"].as_str().unwrap().to_string(),
                r["strength"].as_u64().unwrap(),
                via,
            )
        })
        .collect()
}

#[test]
fn declared_scopes_markers_and_mentions_with_supersession_followed() {
    let t = scenario();
    let a = governs(t.path(), &["src", "deploy"]);
    let cdc = summary(&a, "src/cdc/connector.rs");
    assert_eq!(cdc[0].0, "0002-change-data-capture-with-debezium");
    assert_eq!((cdc[0].1.as_str(), cdc[0].2), ("declared", 100));

    let money = summary(&a, "src/billing/money.rs");
    assert_eq!(money[0].0, "0002-store-money-as-integer-minor-units", "{money:?}");
    assert_eq!(money[0].1, "declared");
    // From a subfolder, the `[governs]` table's record paths are still the configuration's.
    let from_src = governs(&t.path().join("src"), &["billing/money.rs"]);
    assert_eq!(summary(&from_src, "billing/money.rs")[0].0, "0002-store-money-as-integer-minor-units");

    // The marker names the superseded Nomad record: EKS, in force, answers, through it.
    let nomad = summary(&a, "deploy/nomad.hcl");
    let first = &nomad[0];
    assert_eq!(first.0, "0006-run-services-on-kubernetes-eks", "{nomad:?}");
    assert_eq!((first.1.as_str(), first.2), ("marker", 80));
    assert_eq!(first.3, vec!["0004-run-services-on-nomad".to_string()]);
    assert!(nomad.iter().all(|d| d.0 != "0004-run-services-on-nomad"), "a superseded decision answered");

    let outbox = summary(&a, "src/events/outbox.rs");
    assert_eq!(outbox[0].0, "ADR-008-transactional-outbox-for-event-publishing", "{outbox:?}");
    assert_eq!(outbox[0].1, "marker");
    let reasons = &a.as_array().unwrap().iter().find(|x| x["file"] == "src/events/outbox.rs").unwrap()
        ["decisions"][0]["reasons"];
    let kinds: Vec<&str> = reasons.as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["marker", "mention"], "the marker, then the module named in its text");
    assert_eq!(reasons[0]["line"], 1);

    assert!(summary(&a, "src/unrelated/zebra.rs").is_empty());
    // Deprecated: left out, unless --all.
    let prom = summary(&a, "deploy/monitoring/prometheus.yml");
    assert!(prom.iter().all(|d| d.0 != "0008-self-hosted-prometheus-and-grafana"), "{prom:?}");
    assert!(prom.iter().all(|d| d.1 == "mention"), "only weaker reasons are left: {prom:?}");
    let all = governs(t.path(), &["--all", "deploy/monitoring"]);
    assert_eq!(
        summary(&all, "deploy/monitoring/prometheus.yml")[0].0,
        "0008-self-hosted-prometheus-and-grafana"
    );
}

#[test]
fn the_trees_own_files_are_not_code_and_human_output_groups_by_file() {
    let t = scenario();
    let store = tempfile::tempdir().unwrap();
    let out = adrgraph(t.path())
        .args(["--store"])
        .arg(store.path())
        .args(["governs", "data", "src/cdc"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("ADR files are not code"), "{stderr}");
    assert!(!stdout.contains("data/"), "an ADR file was answered for:\n{stdout}");
    assert!(
        stdout.starts_with(
            "src/cdc/connector.rs\n  0002-change-data-capture-with-debezium (accepted, in force)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("declared its front matter declares `src/cdc/**`"), "{stdout}");
    let missing =
        adrgraph(t.path()).args(["--store"]).arg(store.path()).args(["governs", "nowhere"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

/// A monorepo as real ones are written: records linking to a code folder relative to their own
/// file, to a file by repository URL, naming a path from a package's root, and a module folder
/// whose `index.js` is the module.
#[test]
fn links_to_code_urls_package_paths_and_module_folders_govern_as_a_person_reads_them() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let write = |p: &str, text: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let record = |n: u32, title: &str, body: &str| {
        format!("# {n}. {title}\n\nDate: 2024-01-0{n}\n\n## Status\n\nAccepted\n\n## Context\n\n{body}\n")
    };
    write(
        "docs/arch/adr/0001-layout.md",
        &record(
            1,
            "Layout",
            "The layout lives in [Layout](../../../packages/lib-classifier/src/components/Layout).",
        ),
    );
    write(
        "docs/arch/adr/0002-store.md",
        &record(
            2,
            "Store",
            "See [the store](https://github.com/acme/mono/blob/main/packages/lib-classifier/src/store/ClassificationStore.js#L111-L120).",
        ),
    );
    write(
        "docs/arch/adr/0003-tasks.md",
        &record(3, "Tasks", "Task plugins sit in `lib-classifier/src/plugins/tasks`."),
    );
    write(
        "docs/arch/adr/0004-subjects.md",
        &record(4, "Subject viewers", "The SubjectViewer module draws them."),
    );
    write("packages/lib-classifier/src/components/Layout/Layout.js", "export default 1\n");
    write("packages/lib-classifier/src/store/ClassificationStore.js", "export default 2\n");
    write("packages/lib-classifier/src/plugins/tasks/single/Task.js", "export default 3\n");
    write("packages/lib-classifier/src/components/SubjectViewer/index.js", "export default 4\n");
    let v = governs(root, &["--root", "docs/arch/adr", "packages/lib-classifier/src"]);
    let first = |file: &str| -> (String, u64, String) {
        let a = v.as_array().unwrap().iter().find(|a| a["file"].as_str().unwrap().ends_with(file)).unwrap();
        let d = &a["decisions"][0];
        (
            d["id"].as_str().unwrap().into(),
            d["reasons"][0]["strength"].as_u64().unwrap(),
            d["reasons"][0]["detail"].as_str().unwrap().into(),
        )
    };
    let (id, strength, detail) = first("Layout/Layout.js");
    assert_eq!((id.as_str(), strength), ("0001-layout", 65), "{detail}");
    assert_eq!(detail, "it links to the folder `packages/lib-classifier/src/components/Layout`");
    assert_eq!(first("store/ClassificationStore.js").0, "0002-store");
    assert_eq!(first("store/ClassificationStore.js").1, 70);
    let (id, strength, _) = first("tasks/single/Task.js");
    assert_eq!((id.as_str(), strength), ("0003-tasks", 40));
    let (id, strength, detail) = first("SubjectViewer/index.js");
    assert_eq!((id.as_str(), strength), ("0004-subjects", 20), "{detail}");
}

/// A path in a record's text names that file: not every file of its folder, and not every
/// module with the same file name elsewhere.
#[test]
fn a_named_file_governs_itself_not_its_folder_nor_its_namesakes() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let write = |p: &str, text: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "doc/adr/0001-rounding.md",
        "# 1. Rounding\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nMoney is rounded in `src/billing/rounding.rs`; see src/ledger/ for the rest.\n",
    );
    for f in ["src/billing/rounding.rs", "src/billing/tax.rs", "src/other/rounding.rs", "src/ledger/post.rs"]
    {
        write(f, "fn f() {}\n");
    }
    let v = governs(root, &["--root", "doc/adr", "src"]);
    let reasons = |file: &str| -> Vec<String> {
        let a = v.as_array().unwrap().iter().find(|a| a["file"].as_str().unwrap().ends_with(file)).unwrap();
        a["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| {
                d["reasons"].as_array().unwrap().iter().map(|r| r["detail"].as_str().unwrap().to_string())
            })
            .collect()
    };
    assert_eq!(reasons("src/billing/rounding.rs"), ["its text names `src/billing/rounding.rs`"]);
    assert_eq!(reasons("src/billing/tax.rs"), Vec::<String>::new(), "a file's folder is not named by it");
    assert_eq!(reasons("src/other/rounding.rs"), Vec::<String>::new(), "a path is not a module name");
    assert_eq!(reasons("src/ledger/post.rs"), ["its text names the folder `src/ledger`"]);
}

/// A marker that names a record by its file name names that record: the number inside the
/// name (`ADR-008-...md`) does not also name every other folder's eighth record.
#[test]
fn a_file_name_marker_names_its_record_not_every_record_of_its_number() {
    let t = scenario();
    let root = t.path();
    std::fs::write(
        root.join("src/events/relay.rs"),
        "// as decided in ADR-008-transactional-outbox-for-event-publishing.md\n// and ADR-8 itself\n",
    )
    .unwrap();
    let v = governs(root, &["--all", "src/events/relay.rs"]);
    let markers: Vec<(String, String)> = v[0]["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            let id = d["id"].as_str().unwrap().to_string();
            d["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["kind"] == "marker")
                .map(move |r| (id.clone(), r["detail"].as_str().unwrap().to_string()))
        })
        .collect();
    let outbox = "ADR-008-transactional-outbox-for-event-publishing";
    assert!(markers.contains(&(outbox.to_string(), format!("line 1: {outbox}.md"))), "{markers:?}");
    // Line 2's bare number names both eighth records, the deprecated one shown with --all.
    let prometheus = "0008-self-hosted-prometheus-and-grafana";
    assert!(markers.contains(&(prometheus.to_string(), "line 2: ADR-8".to_string())), "{markers:?}");
    assert!(
        markers.iter().all(|(id, detail)| id == outbox || detail.starts_with("line 2")),
        "the file name on line 1 named another record: {markers:?}"
    );
}

/// Answering a few files restricts what is read of the records (the names, globs and links
/// that could concern them); the answer for each file must be the one a governor reading
/// everything gives.
#[test]
fn answering_a_few_files_gives_what_reading_everything_gives() {
    use adrgraph::governs::{CodeFile, Governor, GovernsOptions};
    let t = scenario();
    let top = std::fs::canonicalize(t.path()).unwrap();
    let corpus = adrgraph::ingest::ingest(&adrgraph::ingest::IngestOptions::new([top.join("data")])).unwrap();
    let graph = adrgraph::graph_of(&corpus);
    let opts = GovernsOptions {
        all: true,
        table: vec![(
            "src/billing/**".into(),
            vec!["data/services/billing/0002-store-money-as-integer-minor-units.md".into()],
        )],
        cwd: top.clone(),
        top: Some(top.clone()),
    };
    let mut files = Vec::new();
    for dir in ["src", "deploy"] {
        for e in ignore::WalkBuilder::new(top.join(dir)).build().flatten().filter(|e| e.path().is_file()) {
            let rel = e.path().strip_prefix(&top).unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).ok();
            files.push(CodeFile { path: rel.clone(), rel, text });
        }
    }
    // Names of files that exist nowhere, in the folders the records name, too.
    for rel in
        ["src/cdc/new.rs", "src/billing/deep/er/x.rs", "deploy/monitoring/alerts.yml", "src/events/index.js"]
    {
        files.push(CodeFile { path: rel.into(), rel: rel.into(), text: None });
    }
    assert!(files.len() >= 10);
    let everything = Governor::new(&corpus, &graph, &opts);
    let index = adrgraph::search::index_in_memory(&corpus).unwrap();
    let prepared = adrgraph::governs::Prepared::of(&corpus, opts.top.as_deref());
    let mut governed = 0;
    for f in &files {
        let full = serde_json::to_string(&everything.answer(f)).unwrap();
        let one = Governor::for_files(&corpus, &graph, &opts, [f.rel.as_str()]);
        assert_eq!(serde_json::to_string(&one.answer(f)).unwrap(), full, "{}", f.rel);
        // Reading only the records the full-text index says could name the file.
        let among = among(&corpus, &index, &[f.rel.as_str()]);
        let few = Governor::for_files_among(
            &corpus,
            &graph,
            &opts,
            [f.rel.as_str()],
            Some(&among),
            Some(&prepared),
        );
        assert_eq!(serde_json::to_string(&few.answer(f)).unwrap(), full, "{} among {among:?}", f.rel);
        // As the command line reads them: the outline, the texts of only those records, and
        // the links between decisions as the query snapshot keeps them (see `as_read`).
        let (outline, kept) = as_read(&corpus, &graph, &among);
        let read = Governor::for_files_among(&outline, &kept, &opts, [f.rel.as_str()], Some(&among), None);
        assert_eq!(serde_json::to_string(&read.answer(f)).unwrap(), full, "{} as read from the store", f.rel);
        governed += usize::from(full.contains("\"reasons\""));
    }
    assert!(governed >= 5, "the scenario governs files: {governed}");
}

/// The corpus and graph as `governs` on the command line reads them: every record as the
/// store's outline keeps it, the records `picked` with their sections' texts read back (what
/// mentions are found in), and the links between decisions as the query snapshot keeps them.
fn as_read(
    corpus: &adrgraph::ingest::Corpus,
    graph: &adrgraph::DecisionGraph,
    picked: &std::collections::BTreeSet<usize>,
) -> (adrgraph::ingest::Corpus, adrgraph::DecisionGraph) {
    let mut outline = corpus.clone();
    for (i, a) in outline.adrs.iter_mut().enumerate() {
        let whole = adrgraph::parse::Parsed { adr: a.clone(), diagnostics: Vec::new() };
        let sections = std::mem::take(&mut a.sections);
        *a = adrgraph::store::outline_of(&whole).adr;
        if picked.contains(&i) {
            a.sections = sections;
        }
    }
    (outline, adrgraph::DecisionGraph::from_decision_edges(corpus.adrs.len(), graph.decision_edge_list()))
}

/// The records the full-text index says could name one of `rels`, as positions.
fn among(
    corpus: &adrgraph::ingest::Corpus,
    index: &adrgraph::search::SearchIndex,
    rels: &[&str],
) -> std::collections::BTreeSet<usize> {
    let names = adrgraph::governs::names_to_find(rels.iter().copied()).expect("ASCII names");
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let paths = index.could_hold_any(&names).expect("the index reads every name");
    corpus.adrs.iter().enumerate().filter(|(_, a)| paths.contains(&a.path)).map(|(i, _)| i).collect()
}

/// On real trees: the files their records name (paths with a folder and an extension, as
/// written), answered from the records the full-text index picks, give what reading every
/// record's text gives.
#[test]
fn the_index_picks_every_record_that_names_a_file_on_real_trees() {
    use adrgraph::governs::{CodeFile, Governor, GovernsOptions};
    let Some(corpora) = crate::util::corpora() else { return };
    let (mut compared, mut picked_total, mut records_total) = (0, 0, 0);
    let mut dirs: Vec<_> = std::fs::read_dir(&corpora).unwrap().flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let Ok(corpus) = adrgraph::ingest::ingest(&adrgraph::ingest::IngestOptions::new([dir])) else {
            continue;
        };
        let graph = adrgraph::graph_of(&corpus);
        let index = adrgraph::search::index_in_memory(&corpus).unwrap();
        let opts = GovernsOptions { all: true, table: vec![], cwd: dir.clone(), top: Some(dir.clone()) };
        // What the texts name that looks like a file of code.
        let mut rels: std::collections::BTreeSet<String> = Default::default();
        for a in &corpus.adrs {
            for sec in &a.sections {
                for w in sec.text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_./".contains(c))) {
                    let w = w.trim_matches(|c| c == '.' || c == '/');
                    if w.contains('/')
                        && w.rsplit('/').next().is_some_and(|f| f.contains('.'))
                        && !w.contains("//")
                    {
                        rels.insert(w.to_string());
                    }
                }
            }
        }
        let rels: Vec<&str> = rels.iter().map(String::as_str).take(40).collect();
        if rels.is_empty() {
            continue;
        }
        let all = Governor::for_files(&corpus, &graph, &opts, rels.iter().copied());
        let picked = among(&corpus, &index, &rels);
        (picked_total, records_total) = (picked_total + picked.len(), records_total + corpus.adrs.len());
        let prepared = adrgraph::governs::Prepared::of(&corpus, opts.top.as_deref());
        let few = Governor::for_files_among(
            &corpus,
            &graph,
            &opts,
            rels.iter().copied(),
            Some(&picked),
            Some(&prepared),
        );
        // As the command line reads them (see `as_read`).
        let (outline, kept) = as_read(&corpus, &graph, &picked);
        let read =
            Governor::for_files_among(&outline, &kept, &opts, rels.iter().copied(), Some(&picked), None);
        for rel in &rels {
            let f = CodeFile { path: rel.to_string(), rel: rel.to_string(), text: None };
            let want = serde_json::to_string(&all.answer(&f)).unwrap();
            assert_eq!(serde_json::to_string(&few.answer(&f)).unwrap(), want, "{}: {rel}", dir.display());
            assert_eq!(
                serde_json::to_string(&read.answer(&f)).unwrap(),
                want,
                "{}: {rel} (outline)",
                dir.display()
            );
            compared += usize::from(want.contains("\"reasons\""));
        }
    }
    assert!(compared >= 50, "files governed by a mention on the real trees: {compared}");
    assert!(picked_total < records_total, "the index narrows the records: {picked_total} of {records_total}");
    eprintln!("records read for mentions: {picked_total} of {records_total}; files governed: {compared}");
}

/// The command line reads the outline, the query snapshot's links and the texts of the records
/// the full-text index picks (`answering_a_few_files_gives_what_reading_everything_gives` shows
/// that reading gives what reading everything gives); its answer is the same whatever the store
/// holds when it asks: nothing yet, no full-text index, an index, a record edited since (the
/// index then behind), the index removed again, a damaged query snapshot.
#[test]
fn the_answer_does_not_depend_on_what_the_store_holds() {
    let t = scenario();
    let store = tempfile::tempdir().unwrap();
    let ask = |store: &Path| {
        let mut cmd = adrgraph(t.path());
        cmd.args(["--store"]).arg(store).args(["--json", "governs", "src", "deploy"]);
        stdout_of(&mut cmd)
    };
    let fresh = || ask(tempfile::tempdir().unwrap().path());
    let first = ask(store.path());
    assert!(first.matches("\"reasons\"").count() >= 5, "{first}");
    assert_eq!(ask(store.path()), first, "again, from the store (no full-text index: every text)");
    // With the full-text index (a store that searched has one): only the texts it picks.
    stdout_of(adrgraph(t.path()).args(["--store"]).arg(store.path()).args(["-q", "index"]));
    assert!(store.path().join("index").is_dir());
    assert_eq!(ask(store.path()), first, "from the texts the index picks");
    // A record that names a module edited: its new text is what is read.
    let outbox = t.path().join("data/platform/ADR-008-transactional-outbox-for-event-publishing.md");
    let text = std::fs::read_to_string(&outbox).unwrap();
    std::fs::write(&outbox, format!("{text}\nThe relay also serves src/unrelated/zebra.rs.\n")).unwrap();
    let edited = fresh();
    assert_ne!(edited, first, "the edit names one more file");
    assert_eq!(ask(store.path()), edited, "after an edit");
    std::fs::remove_dir_all(store.path().join("index")).unwrap();
    assert_eq!(ask(store.path()), edited, "without the full-text index");
    std::fs::write(store.path().join("query.bin"), b"not a snapshot").unwrap();
    assert_eq!(ask(store.path()), edited, "with a damaged query snapshot");
}

/// A second question reads the governance table kept in the store (each record's scopes and
/// links to code) and the query snapshot instead of the outline: its answers, human and JSON,
/// for every file and for one, with and without a full-text index, are byte for byte those of
/// the first question and of a fresh store, links to code (relative, by URL, to a record, which
/// is no code) included.
#[test]
fn the_kept_governance_table_answers_as_the_outline_does() {
    let t = scenario();
    let root = t.path();
    let outbox = root.join("data/platform/ADR-008-transactional-outbox-for-event-publishing.md");
    let text = std::fs::read_to_string(&outbox).unwrap();
    std::fs::write(
        &outbox,
        format!(
            "{text}\nCode: [the relay](../../src/events/outbox.rs), [cdc](https://github.com/acme/shop/tree/main/src/cdc), \
             [monitoring](../../deploy/monitoring/), [the event payloads](ADR-003-json-event-payloads.md).\n"
        ),
    )
    .unwrap();
    let run = |store: &Path, args: &[&str]| {
        let out = adrgraph(root).arg("--store").arg(store).arg("governs").args(args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let questions: [&[&str]; 4] =
        [&["--json", "src", "deploy"], &["src", "deploy"], &["src/cdc/connector.rs"], &["--all", "deploy"]];
    for indexed in [false, true] {
        let kept = tempfile::tempdir().unwrap();
        if indexed {
            assert!(adrgraph(root)
                .arg("--store")
                .arg(kept.path())
                .arg("index")
                .output()
                .unwrap()
                .status
                .success());
        }
        for args in questions {
            let fresh = tempfile::tempdir().unwrap();
            let want = run(fresh.path(), args);
            assert_eq!(want.0, Some(0), "{args:?}: {}", want.2);
            assert_eq!(run(kept.path(), args), want, "{args:?}, indexed {indexed}: the first question");
            assert!(kept.path().join("derived-governs.bin").is_file(), "the table is kept");
            assert_eq!(run(kept.path(), args), want, "{args:?}, indexed {indexed}: from the kept table");
        }
    }
    let answer = governs(root, &["src/events/outbox.rs", "src/cdc/connector.rs"]);
    let reasons = answer.to_string();
    assert!(reasons.contains("it links to"), "the links to code count: {reasons}");
}

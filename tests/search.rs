//! Full-text search and the store: expected hits on `data/`, filters, phrases, snippets, accent
//! folding; incremental refresh (only changed files are parsed); crash safety and concurrent
//! processes; corrupt stores rebuilt.

use crate::util::{adrgraph, manifest_dir, stdout_of};
use serde_json::Value;
use std::fs;
use std::path::Path;

fn search(dir: &Path, args: &[&str]) -> Value {
    let out = adrgraph(dir).args(["--root", "data", "search", "--json"]).args(args).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn ids(v: &Value) -> Vec<String> {
    v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn top_hits_on_data() {
    let dir = manifest_dir();
    for (query, top) in [
        ("kafka", "ADR-001-use-nats-for-event-bus"),
        ("schema registry", "ADR-007-avro-events-with-schema-registry"),
        ("\"transactional outbox\"", "ADR-008-transactional-outbox-for-event-publishing"),
        ("stripe webhooks", "0005-consume-stripe-webhooks-through-nats"),
        ("title:clickhouse", "0001-use-clickhouse-for-analytics"),
        ("istio", "ADR-005-adopt-istio-service-mesh"),
        ("terraform state", "0007-terraform-state-in-s3-with-locking"),
    ] {
        let v = search(&dir, &[query]);
        assert_eq!(ids(&v).first().map(String::as_str), Some(top), "query {query}: {:?}", ids(&v));
    }
}

#[test]
fn stemming_phrases_must_and_not() {
    let dir = manifest_dir();
    // `deploying` and `deployments` share a stem with `deploy`.
    assert!(!ids(&search(&dir, &["deploying"])).is_empty());
    let with = ids(&search(&dir, &["nats"]));
    let without = ids(&search(&dir, &["nats -jetstream"]));
    assert!(without.len() < with.len() && !without.is_empty(), "{with:?} / {without:?}");
    // A phrase in the wrong order does not match.
    assert!(ids(&search(&dir, &["\"registry schema\""])).is_empty());
    assert!(!ids(&search(&dir, &["\"schema registry\""])).is_empty());
    // Prefixes.
    let p = ids(&search(&dir, &["protob*"]));
    assert!(p.contains(&"ADR-010-protobuf-event-contracts-with-buf".to_string()), "{p:?}");
}

#[test]
fn filters() {
    let dir = manifest_dir();
    let v = search(&dir, &["event", "--status", "superseded"]);
    assert!(!ids(&v).is_empty());
    assert!(v["hits"].as_array().unwrap().iter().all(|h| h["status"] == "superseded"));
    let v = search(&dir, &["postgresql", "--since", "2026-03-01", "--until", "2026-06-30"]);
    for h in v["hits"].as_array().unwrap() {
        let d = h["date"].as_str().unwrap();
        assert!(("2026-03-01"..="2026-06-30").contains(&d), "{d}");
    }
    assert!(!ids(&v).is_empty());
    let v = search(&dir, &["stripe", "--decider", "priya"]);
    assert!(!ids(&v).is_empty());
    assert!(ids(&search(&dir, &["stripe", "--decider", "nadia"])).is_empty());
    let v = search(&dir, &["data", "--tag", "analytics"]);
    assert_eq!(ids(&v).len(), 3, "{:?}", ids(&v));
    let v = search(&dir, &["stripe", "--folder", "services/billing"]);
    assert!(!ids(&v).is_empty() && ids(&v).iter().all(|i| i.starts_with("000")));
    assert!(ids(&search(&dir, &["stripe", "--folder", "platform"])).is_empty());
    let v = search(&dir, &["decision", "--limit", "2"]);
    assert_eq!(ids(&v).len(), 2);
    assert!(v["total"].as_u64().unwrap() > 2);
}

#[test]
fn snippets_mark_the_matched_terms() {
    let v = search(&manifest_dir(), &["zookeeper"]);
    let hit = &v["hits"][0];
    let snippet = hit["snippet"].as_str().unwrap();
    let ranges = hit["highlights"].as_array().unwrap();
    assert!(!ranges.is_empty());
    for r in ranges {
        let (s, e) = (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize);
        assert_eq!(snippet[s..e].to_lowercase(), "zookeeper");
    }
    // On a terminal the terms are bold.
    let out = stdout_of(adrgraph(&manifest_dir()).args([
        "--root",
        "data",
        "--color",
        "always",
        "search",
        "zookeeper",
    ]));
    assert!(
        out.contains("\u{1b}[1mZookeeper\u{1b}[0m") || out.contains("\u{1b}[1mzookeeper\u{1b}[0m"),
        "{out}"
    );
}

#[test]
fn superseded_hits_name_the_decision_in_force() {
    let v = search(&manifest_dir(), &["avro"]);
    let avro = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "ADR-007-avro-events-with-schema-registry")
        .unwrap();
    assert_eq!(avro["in_force"][0], "ADR-010-protobuf-event-contracts-with-buf");
}

#[test]
fn accents_and_case_are_folded() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("0001-x.md"),
        "# 1. Registrar decisões\n\n## Status\n\nAceito\n\n## Contexto\n\nA DECISÃO é importante.\n",
    )
    .unwrap();
    let out = adrgraph(tmp.path()).args(["--root", ".", "search", "--json", "decisao"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 1);
}

#[test]
fn words_inside_chinese_and_japanese_text_are_found() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("0001-x.md"),
        "# 1. 测试策略\n\n## 状态\n\n通过\n\n## 背景\n\n我们需要编写完整的单元测试。\n",
    )
    .unwrap();
    fs::write(tmp.path().join("0002-y.md"), "# 2. テスト方針\n\n## Context\n\n結合テストを自動化する。\n")
        .unwrap();
    fs::write(tmp.path().join("0003-z.md"), "# 3. Unit tests\n\n## Context\n\nWe write unit tests.\n")
        .unwrap();
    let hits = |q: &str| -> Vec<String> {
        let out = adrgraph(tmp.path()).args(["--root", ".", "search", "--json", q]).output().unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        ids(&v)
    };
    assert_eq!(hits("单元测试"), ["0001-x"]);
    assert_eq!(hits("测试"), ["0001-x"]);
    assert_eq!(hits("テスト"), ["0002-y"]);
    assert_eq!(hits("自動化"), ["0002-y"]);
    // Pairs in a row are a phrase: the words apart do not make it.
    assert!(hits("单测").is_empty());
    assert_eq!(hits("unit"), ["0003-z"]);
}

#[test]
fn bad_query_is_a_clear_error() {
    let out =
        adrgraph(&manifest_dir()).args(["--root", "data", "search", "title:(unclosed"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("invalid query"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn index_json(tree: &Path, store: &Path) -> Value {
    index_run(tree, store).0
}

/// `adrgraph --root . --store STORE index --json` in `tree`, which must succeed: its report and
/// its stderr.
fn index_run(tree: &Path, store: &Path) -> (Value, String) {
    let out = adrgraph(tree)
        .args(["--root", ".", "--store"])
        .arg(store)
        .args(["index", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

fn write_adr(dir: &Path, name: &str, title: &str, body: &str) {
    fs::write(
        dir.join(name),
        format!("# {title}\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n{body}\n"),
    )
    .unwrap();
}

#[test]
fn refresh_parses_only_what_changed() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    for i in 1..=5 {
        write_adr(tree.path(), &format!("{i:04}-d{i}.md"), &format!("{i}. Decision {i}"), "Plain words.");
    }
    let v = index_json(tree.path(), store.path());
    assert_eq!(
        (v["parsed"].as_u64(), v["reused"].as_u64(), v["documents"].as_u64()),
        (Some(5), Some(0), Some(5))
    );
    // Nothing changed: nothing parsed.
    let v = index_json(tree.path(), store.path());
    assert_eq!(
        (v["parsed"].as_u64(), v["reused"].as_u64(), v["indexed"].as_u64()),
        (Some(0), Some(5), Some(0))
    );
    // One file changed.
    write_adr(tree.path(), "0002-d2.md", "2. Decision 2", "Now about flamingos and much longer text.");
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["parsed"].as_u64(), v["indexed"].as_u64()), (Some(1), Some(1)));
    let hits = |q: &str| -> Vec<String> {
        let out = adrgraph(tree.path())
            .args(["--root", ".", "--store"])
            .arg(store.path())
            .args(["search", "--json", q])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        ids(&v)
    };
    assert_eq!(hits("flamingos"), vec!["0002-d2"]);
    // Added, removed, renamed.
    write_adr(tree.path(), "0006-d6.md", "6. Decision 6", "About pelicans.");
    fs::remove_file(tree.path().join("0003-d3.md")).unwrap();
    fs::rename(tree.path().join("0004-d4.md"), tree.path().join("0004-renamed.md")).unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!(
        (v["parsed"].as_u64(), v["removed"].as_u64(), v["documents"].as_u64()),
        (Some(2), Some(2), Some(5))
    );
    assert_eq!(hits("pelicans"), vec!["0006-d6"]);
    assert!(hits("\"Decision 3\"").is_empty());
    assert_eq!(hits("title:\"Decision 4\""), vec!["0004-renamed"]);
    // --no-refresh trusts the store: a new file is not seen until the next refresh.
    write_adr(tree.path(), "0007-d7.md", "7. Decision 7", "About herons.");
    let out = adrgraph(tree.path())
        .args(["--root", ".", "--store"])
        .arg(store.path())
        .args(["--no-refresh", "list", "--json"])
        .output()
        .unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(hits("herons"), vec!["0007-d7"]);
}

#[test]
fn corrupt_or_foreign_store_is_rebuilt() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    write_adr(tree.path(), "0001-a.md", "1. A", "Alpha words.");
    index_json(tree.path(), store.path());
    fs::write(store.path().join("manifest.bin"), b"\x00garbage\xff").unwrap();
    let out = adrgraph(tree.path())
        .args(["--root", ".", "--store"])
        .arg(store.path())
        .args(["index", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["rebuilt"].as_str().is_some_and(|r| r.contains("corrupt")), "{v}");
    assert_eq!(v["documents"], 1);
    assert!(!err.contains("panicked"));
    // A damaged index is rebuilt from the snapshot.
    for e in fs::read_dir(store.path().join("index")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            fs::write(&p, b"{not json").unwrap();
        }
    }
    let v = index_json(tree.path(), store.path());
    assert_eq!(v["documents"], 1);
}

#[test]
fn read_only_store_location_still_answers() {
    let tree = tempfile::tempdir().unwrap();
    write_adr(tree.path(), "0001-a.md", "1. A", "Alpha words.");
    let blocker = tree.path().join("not-a-dir");
    fs::write(&blocker, b"a file where the store folder should be").unwrap();
    let out = adrgraph(tree.path())
        .args(["--root", ".", "--store"])
        .arg(blocker.join("store"))
        .args(["search", "--json", "alpha"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ids(&v), vec!["0001-a"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot use the store"));
}

#[path = "../benches/common/gen.rs"]
#[allow(dead_code)]
pub(crate) mod gen;

#[test]
fn killing_an_index_run_leaves_a_usable_store() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    gen::write_tree(tree.path(), 800, 3).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("adrgraph");
    let files: Vec<std::path::PathBuf> = {
        let mut v: Vec<_> = fs::read_dir(tree.path().join("infrastructure"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        v.sort();
        v
    };
    // How long an uninterrupted rebuild and an incremental run take here (a cold build takes
    // from about 0.3 s in a release build to 2 s in a debug one): kill moments are spread over
    // the first 90% of each, from a fixed pseudo-random sequence, so that most kills land while
    // the child is still writing.
    let timed = |extra: &[&str]| {
        let t = std::time::Instant::now();
        let ok = std::process::Command::new(&bin)
            .args(["--root", ".", "--store"])
            .arg(store.path())
            .args(["index", "-q"])
            .args(extra)
            .current_dir(tree.path())
            .status()
            .unwrap()
            .success();
        assert!(ok);
        t.elapsed().as_millis() as u64
    };
    let mut full_ms = timed(&["--rebuild"]).max(20);
    fs::write(&files[0], fs::read_to_string(&files[0]).unwrap() + "\nTimed.\n").unwrap();
    let mut incremental_ms = timed(&[]).max(20);
    let (measured_full, measured_incremental) = (full_ms, incremental_ms);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let (mut kills, mut landed) = (0u32, 0u32);
    for round in 0..30u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Rebuilds and incremental runs (a few files changed) both get killed.
        let rebuild = round % 3 == 0;
        let span = if rebuild { full_ms } else { incremental_ms };
        let delay_ms = (x % 1000) * span * 9 / 10_000;
        if !rebuild {
            for f in (0..4).map(|k| &files[(round as usize * 7 + k) % files.len()]) {
                let mut text = fs::read_to_string(f).unwrap();
                text.push_str(&format!("\nNote marmot{round}.\n"));
                fs::write(f, text).unwrap();
            }
        }
        let mut args = vec!["index", "-q"];
        if rebuild {
            args.push("--rebuild");
        }
        let mut child = std::process::Command::new(&bin)
            .args(["--root", ".", "--store"])
            .arg(store.path())
            .args(&args)
            .current_dir(tree.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        // A kill lands when the child is still running: count those, since a kill after the
        // child finished tests nothing.
        kills += 1;
        if child.try_wait().unwrap().is_none() {
            landed += 1;
        } else {
            // The child was quicker than measured (a machine less busy than at the start): aim
            // the next kills of its kind earlier.
            let span = if rebuild { &mut full_ms } else { &mut incremental_ms };
            *span = (*span * 7 / 10).max(5);
        }
        let _ = child.kill();
        let _ = child.wait();
        // Whatever state the kill left opens and answers...
        let out = adrgraph(tree.path())
            .args(["--root", ".", "--store"])
            .arg(store.path())
            .args(["--no-refresh", "search", "--json", "kafka"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0 | 1)), "after a kill at {delay_ms} ms: {err}");
        assert!(!err.contains("panicked"), "{err}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap();
        // ... and the next run completes the store.
        let v = index_json(tree.path(), store.path());
        assert_eq!(v["decisions"], 800, "after a kill at {delay_ms} ms: {v}");
        assert_eq!(v["documents"], 800, "after a kill at {delay_ms} ms: {v}");
        if !rebuild {
            let out = adrgraph(tree.path())
                .args(["--root", ".", "--store"])
                .arg(store.path())
                .args(["--no-refresh", "search", "--json", &format!("marmot{round}")])
                .output()
                .unwrap();
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["total"], 4, "round {round}, killed at {delay_ms} ms: {v}");
        }
    }
    assert!(
        landed * 3 >= kills * 2,
        "only {landed} of {kills} kills landed while the child ran (full run {measured_full} ms, incremental \
         {measured_incremental} ms at first)"
    );
}

#[test]
fn two_processes_on_one_store_do_not_corrupt_it() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    gen::write_tree(tree.path(), 600, 5).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("adrgraph");
    let spawn = || {
        std::process::Command::new(&bin)
            .args(["--root", ".", "--store"])
            .arg(store.path())
            .args(["index", "--rebuild", "--json"])
            .current_dir(tree.path())
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap(), b.join().unwrap())
    });
    for o in [&a, &b] {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["documents"], 600);
    }
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["parsed"].as_u64(), v["documents"].as_u64()), (Some(0), Some(600)));
}

#[test]
fn a_change_hidden_behind_the_same_size_and_timestamp_is_seen() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let file = tree.path().join("0001-a.md");
    write_adr(tree.path(), "0001-a.md", "1. A", "About walruses.");
    let mtime = fs::metadata(&file).unwrap().modified().unwrap();
    index_json(tree.path(), store.path());
    // Same length, same modification time, different words: only the content tells.
    write_adr(tree.path(), "0001-a.md", "1. A", "About narwhals.");
    fs::File::options().write(true).open(&file).unwrap().set_modified(mtime).unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!(v["parsed"], 1, "{v}");
    let out = adrgraph(tree.path())
        .args(["--root", ".", "--store"])
        .arg(store.path())
        .args(["search", "--json", "narwhals"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ids(&v), vec!["0001-a"]);
}

/// Every record shard's bytes, by file name.
fn shards(store: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fs::read_dir(store.join("records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn one_changed_file_rewrites_one_record_shard() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    gen::write_tree(tree.path(), 300, 9).unwrap();
    index_json(tree.path(), store.path());
    let before = shards(store.path());
    assert_eq!(before.len(), 8, "a store of 300 decisions keeps 8 shards");
    let victim = tree.path().join("infrastructure/0001-use-nomad-for-search.md");
    let victim = if victim.exists() {
        victim
    } else {
        fs::read_dir(tree.path().join("infrastructure")).unwrap().next().unwrap().unwrap().path()
    };
    let mut text = fs::read_to_string(&victim).unwrap();
    text.push_str("\nA late note about walruses.\n");
    fs::write(&victim, text).unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["parsed"].as_u64(), v["indexed"].as_u64()), (Some(1), Some(1)), "{v}");
    let after = shards(store.path());
    let differ: Vec<&String> = before.keys().filter(|k| before[*k] != after[*k]).collect();
    assert_eq!(differ.len(), 1, "shards rewritten: {differ:?}");
    // The full record of the changed file is the one served.
    let out = adrgraph(tree.path())
        .args(["--root", ".", "--store"])
        .arg(store.path())
        .args(["--no-refresh", "search", "--json", "walruses"])
        .output()
        .unwrap();
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ids(&hits).len(), 1, "{hits}");
    let out = adrgraph(tree.path())
        .args(["--root", ".", "--store"])
        .arg(store.path())
        .args(["--no-refresh", "show", "--json"])
        .arg(victim.strip_prefix(tree.path()).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(shown["sections"].to_string().contains("walruses"), "{shown}");
}

#[test]
fn queries_from_the_graph_snapshot_match_a_full_read() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    gen::write_tree(tree.path(), 400, 13).unwrap();
    // A page that is not a decision: `list` counts it from the query snapshot too.
    fs::write(tree.path().join("README.md"), "# Our decisions\n\nHow we keep them.\n").unwrap();
    index_json(tree.path(), store.path());
    // From the store (graph snapshot) and without one (every record read in full, the store
    // location unusable): the same bytes.
    let blocker = tree.path().join("blocker");
    fs::write(&blocker, b"a file where a folder should be").unwrap();
    for args in [
        // First: `show` before any other question, so that its first run builds the graph (and
        // writes the snapshot) and its second reads its links from the snapshot.
        vec!["show", "--json", "platform/ADR-002"],
        vec!["show", "platform/ADR-003"],
        vec!["list", "--json"],
        vec!["list"],
        vec!["list", "--sort", "date", "--status", "accepted", "--limit", "30"],
        vec!["list", "--json", "--fields", "id,title,status,date"],
        vec!["list", "--in-force"],
        vec!["graph", "--format", "json"],
        vec!["graph", "--format", "dot"],
        vec!["impact", "--json", "platform/ADR-002"],
        vec!["chain", "--json", "platform/ADR-003"],
        vec!["deps", "--json", "data/0004"],
        vec!["impact", "platform/ADR-002"],
        vec!["chain", "platform/ADR-003"],
        vec!["path", "--json", "platform/ADR-003", "platform/ADR-002"],
        vec!["graph", "--format", "mermaid", "--focus", "platform/ADR-002", "--depth", "2"],
        vec!["graph", "--format", "graphml", "--status", "superseded", "--status", "accepted"],
        vec!["graph", "--format", "json", "--options"],
    ] {
        // Twice: the first impact, deps, chain or path query after a change builds the graph
        // and writes the query snapshot, the second reads it.
        let store_run = || {
            adrgraph(tree.path())
                .args(["--root", ".", "--store"])
                .arg(store.path())
                .arg("--no-refresh")
                .args(&args)
                .output()
                .unwrap()
        };
        let first = store_run();
        if args[0] == "show" {
            assert!(store.path().join("query.bin").exists(), "{args:?} wrote no query snapshot");
        }
        let from_store = store_run();
        assert_eq!(first.stdout, from_store.stdout, "{args:?}: the query snapshot answers the same");
        assert_eq!(first.status.code(), from_store.status.code());
        let full = adrgraph(tree.path())
            .args(["--root", ".", "--store"])
            .arg(blocker.join("store"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(from_store.status.code(), full.status.code(), "{args:?}");
        assert!(
            matches!(from_store.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&from_store.stderr)
        );
        assert!(!from_store.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&first.stderr),
            String::from_utf8_lossy(&from_store.stderr),
            "{args:?}"
        );
        assert_eq!(
            String::from_utf8_lossy(&from_store.stdout),
            String::from_utf8_lossy(&full.stdout),
            "{args:?}"
        );
        if args == ["list"] {
            let said = String::from_utf8_lossy(&from_store.stderr);
            assert!(said.contains("1 markdown file(s) not read as decisions (readme 1)"), "{said}");
        }
    }
    assert!(store.path().join("query.bin").exists());
}

/// The record shards keep a context once, as the text of its section: every record read back
/// from them equals the record read from the tree.
#[test]
fn stored_records_read_back_as_parsed() {
    let store = tempfile::tempdir().unwrap();
    let blocker = store.path().join("blocker");
    let data = manifest_dir().join("data");
    output(&data, store.path(), &["index"]);
    fs::write(&blocker, b"a file where a folder should be").unwrap();
    let mut with_context = 0;
    let listed: Value =
        serde_json::from_str(&output(&data, store.path(), &["--no-refresh", "list", "--json"])).unwrap();
    let ids: Vec<&str> = listed.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.len() >= 25, "{listed}");
    for rel in ids {
        let stored = output(&data, store.path(), &["--no-refresh", "show", "--json", rel]);
        let out = adrgraph(&data)
            .args(["--root", ".", "--store"])
            .arg(blocker.join("store"))
            .args(["show", "--json", rel])
            .output()
            .unwrap();
        assert_eq!(stored, String::from_utf8_lossy(&out.stdout), "{rel}");
        let shown: Value = serde_json::from_str(&stored).unwrap();
        if shown["context"].is_string() {
            with_context += 1;
        }
    }
    assert!(with_context >= 20, "only {with_context} records of data/ have a context");
    // Each context is stored once, in its section.
    let stored: Vec<u8> = shards(store.path()).into_values().flatten().collect();
    for r in listed.as_array().unwrap() {
        let shown: Value = serde_json::from_str(&output(
            &data,
            store.path(),
            &["--no-refresh", "show", "--json", r["id"].as_str().unwrap()],
        ))
        .unwrap();
        let Some(context) = shown["context"].as_str().filter(|c| c.len() > 40) else { continue };
        let times = stored.windows(context.len()).filter(|w| *w == context.as_bytes()).count();
        assert_eq!(times, 1, "{}: its context is stored {times} times", r["id"]);
    }
}

#[test]
fn damaged_record_shards_are_read_again_from_the_tree() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    gen::write_tree(tree.path(), 120, 17).unwrap();
    index_json(tree.path(), store.path());
    let run = |args: &[&str]| {
        adrgraph(tree.path()).args(["--root", ".", "--store"]).arg(store.path()).args(args).output().unwrap()
    };
    // `stats` reads every record whole (`lint` reads the graph snapshot's outline).
    let whole = |extra: &[&str]| run(&[extra, &["--json", "stats"]].concat());
    let good = whole(&["--no-refresh"]);
    // `show` reads one entry of a record's shard: every tenth decision, before and after.
    let show = |id: &str, extra: &[&str]| run(&[extra, &["show", "--json", id]].concat());
    let listed = run(&["--json", "list"]);
    let ids: Vec<String> = serde_json::from_slice::<Vec<serde_json::Value>>(&listed.stdout)
        .unwrap()
        .iter()
        .step_by(10)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let shown: Vec<Vec<u8>> = ids.iter().map(|id| show(id, &[]).stdout).collect();
    for (name, _) in shards(store.path()).into_iter().step_by(3) {
        let p = store.path().join("records").join(name);
        let len = fs::metadata(&p).unwrap().len();
        fs::OpenOptions::new().write(true).open(&p).unwrap().set_len(len / 2).unwrap();
    }
    let damaged = whole(&["--no-refresh"]);
    assert_eq!(damaged.status.code(), good.status.code());
    let err = String::from_utf8_lossy(&damaged.stderr);
    assert!(err.contains("corrupt or truncated") && err.contains("re-read from the tree"), "{err}");
    assert!(!err.contains("panicked"));
    assert_eq!(String::from_utf8_lossy(&damaged.stdout), String::from_utf8_lossy(&good.stdout));
    for (id, before) in ids.iter().zip(&shown) {
        let after = show(id, &["--no-refresh"]);
        assert_eq!(after.status.code(), Some(0), "{id}");
        assert_eq!(String::from_utf8_lossy(&after.stdout), String::from_utf8_lossy(before), "{id}");
    }
    // A rebuild repairs the store: no warning afterwards.
    let out = adrgraph(tree.path())
        .args(["--root", ".", "--store"])
        .arg(store.path())
        .args(["index", "--rebuild", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let again = whole(&["--no-refresh"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty(), "{}", String::from_utf8_lossy(&again.stderr));
}

#[test]
fn a_record_read_again_after_damage_keeps_its_sidecar_metadata() {
    // A KEP: its status, number and people live in kep.yaml beside README.md.
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let dir = tree.path().join("keps/sig-x/1234-thing");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("README.md"), "# KEP-1234: Thing\n\n## Summary\n\nText.\n").unwrap();
    fs::write(
        dir.join("kep.yaml"),
        "title: Thing\nkep-number: 1234\nstatus: implementable\nauthors:\n  - \"@alice\"\ncreation-date: 2021-03-04\n",
    )
    .unwrap();
    let show = |extra: &[&str]| {
        adrgraph(tree.path())
            .args(["--root", "keps", "--store"])
            .arg(store.path())
            .args(extra)
            .args(["show", "--json", "1234-thing"])
            .output()
            .unwrap()
    };
    let good = show(&[]);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    let record: Value = serde_json::from_slice(&good.stdout).unwrap();
    assert_eq!(record["status"], "accepted", "kep.yaml's status is read: {record}");
    assert_eq!(record["date"], "2021-03-04");
    for (name, _) in shards(store.path()) {
        let p = store.path().join("records").join(name);
        fs::write(&p, b"damaged").unwrap();
    }
    let again = show(&["--no-refresh"]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("re-read from the tree"), "{err}");
    assert_eq!(String::from_utf8_lossy(&again.stdout), String::from_utf8_lossy(&good.stdout), "{err}");
}

#[test]
fn documents_fed_during_parsing_get_their_final_ids_and_decisions_in_force() {
    // Two folders with the same file name (ids get the folder) and a supersession: the
    // documents fed while parsing carry provisional ids and no decisions in force, and the
    // last pass must leave exactly one document per decision, with the final ones.
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    for folder in ["alpha", "beta"] {
        fs::create_dir(tree.path().join(folder)).unwrap();
        write_adr(&tree.path().join(folder), "0001-use-kafka.md", "1. Use Kafka", "Ocelots everywhere.");
    }
    fs::write(
        tree.path().join("alpha/0001-use-kafka.md"),
        "# 1. Use Kafka\n\nDate: 2024-01-01\n\n## Status\n\nSuperseded by [2. Use NATS](0002-use-nats.md)\n\n## Context\n\nOcelots everywhere.\n",
    )
    .unwrap();
    fs::write(
        tree.path().join("alpha/0002-use-nats.md"),
        "# 2. Use NATS\n\nDate: 2024-02-01\n\n## Status\n\nAccepted\n\nSupersedes [1. Use Kafka](0001-use-kafka.md)\n",
    )
    .unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["decisions"].as_u64(), v["documents"].as_u64()), (Some(3), Some(3)), "{v}");
    let out = adrgraph(tree.path())
        .args(["--root", ".", "--store"])
        .arg(store.path())
        .args(["--no-refresh", "search", "--json", "ocelots"])
        .output()
        .unwrap();
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, String)> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_str().unwrap().to_string(), h["in_force"].to_string()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("alpha/0001-use-kafka".to_string(), "[\"0002-use-nats\"]".to_string()),
            ("beta/0001-use-kafka".to_string(), "[]".to_string())
        ],
        "{hits}"
    );
}

#[test]
fn adr_tools_style_trees_are_generated_as_adr_tools_writes_them() {
    let tree = tempfile::tempdir().unwrap();
    let (files, _) = gen::write_tree_with(tree.path(), 120, 4, gen::ADR_TOOLS).unwrap();
    assert_eq!(files, 120);
    assert_eq!(fs::read_to_string(tree.path().join(".adr-dir")).unwrap(), "doc/adr\n");
    let out = adrgraph(tree.path()).args(["--root", "doc/adr", "stats", "--json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decisions"], 120, "{v}");
    assert_eq!(v["by_dialect"]["nygard"], 120, "{v}");
    assert_eq!(v["graph"]["broken_links"], 0, "{v}");
    let out =
        adrgraph(tree.path()).args(["--root", "doc/adr", "graph", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let g: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        g["links"].as_array().unwrap().iter().any(|l| l["kind"] == "supersedes"),
        "supersessions written"
    );
    // The same seed gives the same bytes.
    let again = tempfile::tempdir().unwrap();
    gen::write_tree_with(again.path(), 120, 4, gen::ADR_TOOLS).unwrap();
    for e in fs::read_dir(tree.path().join("doc/adr")).unwrap() {
        let p = e.unwrap().path();
        assert_eq!(
            fs::read(&p).unwrap(),
            fs::read(again.path().join("doc/adr").join(p.file_name().unwrap())).unwrap()
        );
    }
}

#[test]
fn the_query_snapshot_follows_changes() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    write_adr(tree.path(), "0001-a.md", "1. A", "Alpha.");
    write_adr(tree.path(), "0002-b.md", "2. B", "Builds on [1. A](0001-a.md).");
    let impact = || -> Vec<String> {
        let out = adrgraph(tree.path())
            .args(["--root", ".", "--store"])
            .arg(store.path())
            .args(["impact", "--json", "1"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["reached"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(impact(), vec!["0002-b"]);
    assert_eq!(impact(), vec!["0002-b"], "from the query snapshot");
    assert!(store.path().join("query.bin").exists());
    write_adr(tree.path(), "0003-c.md", "3. C", "Also needs [1. A](0001-a.md).");
    assert_eq!(impact(), vec!["0002-b", "0003-c"]);
    assert_eq!(impact(), vec!["0002-b", "0003-c"]);
}

/// A graph drawn from a store built now writes the query snapshot beside the drawing; the next
/// graph is drawn from it, the same.
#[test]
fn a_graph_writes_the_query_snapshot_it_is_drawn_from_next_time() {
    let store = tempfile::tempdir().unwrap();
    let data = manifest_dir().join("data");
    let dot = || output(&data, store.path(), &["graph", "--format", "dot"]);
    let first = dot();
    assert!(first.starts_with("digraph"), "{first}");
    let snapshot = fs::read(store.path().join("query.bin")).expect("the first graph writes query.bin");
    assert_eq!(dot(), first);
    assert_eq!(fs::read(store.path().join("query.bin")).unwrap(), snapshot, "read, not written again");
    assert_eq!(output(&data, store.path(), &["--no-refresh", "graph", "--format", "dot"]), first);
}

/// Set every file below `dir` as modified an hour ago: a refresh then trusts their times (a file
/// modified within two seconds of the store's writing is always read again).
fn age(dir: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in walkdir(dir) {
        fs::File::options().write(true).open(&e).unwrap().set_modified(then).unwrap();
    }
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Stdout of `adrgraph --root . --store STORE ARGS` in `tree` (any exit code but a crash).
fn output(tree: &Path, store: &Path, args: &[&str]) -> String {
    let out = adrgraph(tree).args(["--root", ".", "--store"]).arg(store).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {stderr}");
    // Every stored record is where the store says (none re-read from the tree).
    assert!(!stderr.contains("missing or damaged"), "{args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// Every answer of the store at `store` equals the answer of a store built from nothing.
fn answers_as_a_rebuild(tree: &Path, store: &Path, words: &[&str], what: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let mut asks: Vec<Vec<&str>> = vec![
        vec!["list", "--json"],
        vec!["list"],
        vec!["list", "--sort", "date", "--status", "accepted", "--limit", "30"],
        vec!["list", "--json", "--fields", "id,title,status,date"],
        vec!["list", "--in-force"],
        vec!["graph", "--format", "json"],
        vec!["chain", "--json", "data/0001"],
        vec!["impact", "--json", "platform/ADR-002"],
        // Steps name the file and line that wrote each link.
        vec!["deps", "--json", "data/0001"],
        vec!["impact", "--json", "data/0001"],
        vec!["lint", "--json"],
    ];
    for w in words {
        asks.push(vec!["search", "--json", "--limit", "500", w]);
    }
    // Scores too: they count only the live documents, however the store was built.
    for args in &asks {
        let ours = output(tree, store, args);
        let theirs = output(tree, fresh.path(), args);
        assert!(
            ours == theirs,
            "{what}: `{}` differs from a store built from nothing:\n{ours}\n---\n{theirs}",
            args.join(" ")
        );
    }
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, f(text)).unwrap();
}

#[test]
fn quick_refresh_answers_as_a_rebuild_does() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    gen::write_tree(tree.path(), 200, 11).unwrap();
    age(tree.path());
    let v = index_json(tree.path(), store.path());
    assert_eq!(v["quick"], false, "{v}");
    // A superseded record (its document carries the decisions in force) and a plain one.
    let superseded = tree.path().join("data/0001-adopt-nats-for-background-jobs.md");
    assert!(fs::read_to_string(&superseded).unwrap().contains("superseded by"));
    let plain = walkdir(&tree.path().join("platform"))[3].clone();
    edit(&superseded, |t| t + "\nA note about narwhals.\n");
    edit(&plain, |t| t.replacen("\n\n", "\n\nA first word about okapis.\n\n", 1));
    let manifest = fs::read(store.path().join("manifest.bin")).unwrap();
    let delta = store.path().join("manifest.delta");
    assert!(!delta.exists());
    let v = index_json(tree.path(), store.path());
    assert_eq!(
        (v["quick"].as_bool(), v["parsed"].as_u64(), v["indexed"].as_u64()),
        (Some(true), Some(2), Some(2)),
        "{v}"
    );
    // The manifest file stays as it was: the two rows go to its delta.
    assert_eq!(fs::read(store.path().join("manifest.bin")).unwrap(), manifest);
    assert!(delta.exists());
    answers_as_a_rebuild(tree.path(), store.path(), &["narwhals", "okapis", "nats", "kafka"], "body edits");
    // Text added at the end leaves every snapshot field (and line) as it was: the query snapshot
    // is kept under an alias, not rebuilt, and answers as a rebuilt one does.
    let query = store.path().join("query.bin");
    let snapshot = fs::read(&query).unwrap();
    edit(&superseded, |t| t + "\nA word about wombats.\n");
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(true), Some(1)), "{v}");
    assert!(store.path().join("query.alias").exists());
    answers_as_a_rebuild(tree.path(), store.path(), &["wombats"], "text added at the end");
    assert_eq!(fs::read(&query).unwrap(), snapshot, "the query snapshot was rebuilt");
    // A paragraph added before the links moves their lines: the snapshot is rebuilt.
    edit(&superseded, |t| t.replacen("\n\n", "\n\nA first word about wombats.\n\n", 1));
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(true), Some(1)), "{v}");
    answers_as_a_rebuild(tree.path(), store.path(), &["wombats"], "a paragraph added before the links");
    assert_ne!(fs::read(&query).unwrap(), snapshot, "the query snapshot was not rebuilt");
    // Touched without a change: the quick way, nothing parsed.
    fs::File::options().write(true).open(&plain).unwrap().set_modified(std::time::SystemTime::now()).unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!(
        (v["quick"].as_bool(), v["parsed"].as_u64(), v["indexed"].as_u64()),
        (Some(true), Some(0), Some(0)),
        "{v}"
    );
    // What other records see (a title, a status, a link) goes the full way, to the same answers.
    let others = walkdir(&tree.path().join("data"));
    for (k, change) in [
        ("title", &(|t: String| t.replacen("# ", "# Renamed: ", 1)) as &dyn Fn(String) -> String),
        ("status", &|t: String| t.replacen("superseded by", "accepted, was superseded by", 1)),
        ("link", &|t: String| t + "\nSee also [ADR-0002](0002-x.md).\n"),
    ] {
        let victim = if k == "status" { superseded.clone() } else { others[5].clone() };
        edit(&victim, change);
        let v = index_json(tree.path(), store.path());
        assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(false), Some(1)), "{k}: {v}");
        // The manifest written whole: no delta is left.
        assert!(!delta.exists(), "{k}");
        answers_as_a_rebuild(tree.path(), store.path(), &["renamed", "narwhals"], k);
    }
    // A command that does not search refreshes the quick way without the index; the next search
    // brings the index up to date.
    // Two such refreshes leave both documents pending; the next search replaces just those.
    let pending = store.path().join("index.pending");
    edit(&plain, |t| t + "\nA last word about quokkas.\n");
    let out = output(tree.path(), store.path(), &["list", "--json"]);
    assert!(!out.is_empty());
    assert!(pending.exists());
    edit(&superseded, |t| t + "\nA last word about lemurs.\n");
    output(tree.path(), store.path(), &["list", "--json"]);
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["indexed"].as_u64(), v["unindexed"].as_u64()), (Some(2), Some(0)), "{v}");
    assert!(!pending.exists());
    answers_as_a_rebuild(tree.path(), store.path(), &["quokkas", "lemurs", "okapis"], "list, then search");
    // A body edited and a file added that is not a decision: the full way.
    edit(&plain, |t| t + "\nA word about tapirs.\n");
    fs::write(tree.path().join("data/notes.txt"), "not a decision").unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(false), Some(1)), "{v}");
    answers_as_a_rebuild(tree.path(), store.path(), &["tapirs"], "beside a file added");
    // A body edited and that file modified (it is not in the manifest): the quick way from the
    // walk is left for the one from the sorted tree.
    age(tree.path());
    index_json(tree.path(), store.path());
    edit(&plain, |t| t + "\nA word about manatees.\n");
    fs::write(tree.path().join("data/notes.txt"), "still not a decision").unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(true), Some(1)), "{v}");
    answers_as_a_rebuild(tree.path(), store.path(), &["manatees", "tapirs"], "beside a file modified");
    // A damaged walk table: the sorted tree finds the change.
    let walk = store.path().join("walk.bin");
    let bytes = fs::read(&walk).unwrap();
    fs::write(&walk, &bytes[..bytes.len() - 3]).unwrap();
    edit(&plain, |t| t + "\nA word about dugongs.\n");
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(true), Some(1)), "{v}");
    answers_as_a_rebuild(tree.path(), store.path(), &["dugongs", "tapirs"], "a damaged walk table");
    // Two more edits accumulate in the delta; then a damaged delta: the store is rebuilt, with
    // a warning, to the same answers.
    edit(&plain, |t| t + "\nA word about axolotls.\n");
    edit(&superseded, |t| t + "\nA word about pangolins.\n");
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(true), Some(2)), "{v}");
    answers_as_a_rebuild(tree.path(), store.path(), &["axolotls", "pangolins", "dugongs"], "a delta grown");
    let bytes = fs::read(&delta).unwrap();
    fs::write(&delta, &bytes[..bytes.len() - 5]).unwrap();
    edit(&plain, |t| t + "\nA word about capybaras.\n");
    let (v, stderr) = index_run(tree.path(), store.path());
    assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(false), Some(200)), "{v}");
    assert!(stderr.contains("manifest.delta is corrupt"), "{stderr}");
    answers_as_a_rebuild(tree.path(), store.path(), &["capybaras", "axolotls"], "a damaged delta");
    // A file added goes the full way.
    fs::write(
        tree.path().join("data/0999-new.md"),
        "# 999. New\n\n## Status\n\nAccepted\n\nAbout quokkas.\n",
    )
    .unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!((v["quick"].as_bool(), v["parsed"].as_u64()), (Some(false), Some(1)), "{v}");
    answers_as_a_rebuild(tree.path(), store.path(), &["quokkas"], "a file added");
}

#[test]
fn a_refresh_with_nothing_changed_reads_only_the_summary() {
    let tree = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    gen::write_tree(tree.path(), 120, 21).unwrap();
    age(tree.path());
    index_json(tree.path(), store.path());
    assert!(store.path().join("summary.bin").exists());
    // The manifest damaged behind the summary's back: a refresh with nothing changed does not
    // read it (nor parse anything).
    fs::write(store.path().join("manifest.bin"), b"not a manifest").unwrap();
    let (v, stderr) = index_run(tree.path(), store.path());
    assert_eq!((v["parsed"].as_u64(), v["decisions"].as_u64()), (Some(0), Some(120)), "{v}");
    assert!(stderr.is_empty(), "{stderr}");
    // A file renamed (same count, same time): the walk's print differs, the manifest is read,
    // found damaged, and the store rebuilt.
    let files = walkdir(&tree.path().join("platform"));
    fs::rename(&files[0], files[0].with_file_name("0999-renamed.md")).unwrap();
    let (v, stderr) = index_run(tree.path(), store.path());
    assert_eq!(v["parsed"].as_u64(), Some(120), "{v}");
    assert!(stderr.contains("corrupt"), "{stderr}");
    answers_as_a_rebuild(tree.path(), store.path(), &["nats"], "after a rename");
    // Without a summary (a run killed between the manifest and its summary), the manifest is
    // read, found current, and the summary written again.
    fs::remove_file(store.path().join("summary.bin")).unwrap();
    let v = index_json(tree.path(), store.path());
    assert_eq!(v["parsed"].as_u64(), Some(0), "{v}");
    assert!(store.path().join("summary.bin").exists());
}

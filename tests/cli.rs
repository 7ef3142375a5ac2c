//! CLI tests: the commands on `data/`, their JSON shapes, name look-up, discovery, exit codes.

use crate::util::{adrgraph, manifest_dir, stdout_of};
use serde::Deserialize;
use std::fs;

/// The documented shape of one `list --json` row; unknown fields fail the test.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Row {
    id: String,
    path: String,
    title: Option<String>,
    number: Option<u32>,
    status: String,
    status_raw: Option<String>,
    date: Option<String>,
    deciders: Vec<String>,
    tags: Vec<String>,
    dialect: String,
    links: Vec<LinkRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct LinkRow {
    kind: String,
    label: Option<String>,
    qualifier: Option<String>,
    text: String,
    target: String,
    number: Option<u32>,
    source: String,
    line: u32,
}

fn list_data() -> Vec<Row> {
    let out = stdout_of(adrgraph(&manifest_dir()).args(["--root", "data", "list", "--json"]));
    serde_json::from_str(&out).expect("list --json is an array of rows")
}

#[test]
fn list_json_covers_every_decision_of_data() {
    let rows = list_data();
    assert_eq!(rows.len(), 29);
    let first = &rows[0];
    assert_eq!(first.path, "data/data-platform/0001-use-clickhouse-for-analytics.md");
    assert_eq!(first.status, "proposed");
    assert_eq!(first.date.as_deref(), Some("2026-06-01"));
    assert_eq!(first.deciders, vec!["Nadia (Data Lead)", "James (Platform Architect)"]);
    let nats = rows.iter().find(|r| r.id == "ADR-001-use-nats-for-event-bus").expect("NATS decision");
    assert_eq!(nats.title.as_deref(), Some("Use NATS for Event Bus"));
    assert_eq!(nats.number, Some(1));
    assert_eq!(nats.dialect, "seed");
    assert!(nats.links.iter().any(|l| l.kind == "amended_by"));
    for r in &rows {
        assert!(r.title.is_some(), "{} has a title", r.path);
        assert!(r.date.is_some(), "{} has a date", r.path);
        assert_ne!(r.status, "unknown", "{} has a status", r.path);
    }
    let statuses: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.status.as_str()).collect();
    for s in ["accepted", "proposed", "rejected", "deprecated", "superseded", "draft"] {
        assert!(statuses.contains(s), "data/ has a {s} decision");
    }
}

#[test]
fn list_is_byte_identical_across_runs() {
    // Each run builds its own store from the tree, and a third answers from the first one's:
    // nothing shared between the runs compared can make them agree.
    let (s1, s2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let run = |store: &std::path::Path, args: &[&str]| {
        stdout_of(adrgraph(&manifest_dir()).arg("--store").arg(store).args(args))
    };
    let a = run(s1.path(), &["--root", "data", "list", "--json"]);
    let b = run(s2.path(), &["list", "--json", "--root", "data"]);
    let c = run(s1.path(), &["--root", "data", "list", "--json"]);
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert!(a.contains("ADR-001-use-nats-for-event-bus"));
}

#[test]
fn list_filters_by_status_and_prints_a_table() {
    let out = stdout_of(adrgraph(&manifest_dir()).args(["--root", "data", "list", "--status", "superseded"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("ID"), "{out}");
    assert_eq!(lines.len(), 6, "header + 5 superseded:\n{out}");
    assert!(!out.contains('\x1b'), "no colour when piped");
}

#[test]
fn list_pages_with_limit_and_offset_after_sorting() {
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout_of(
        adrgraph(&manifest_dir()).args(["--root", "data", "list", "--sort", "date", "--json"]),
    ))
    .unwrap();
    let page: Vec<serde_json::Value> = serde_json::from_str(&stdout_of(
        adrgraph(&manifest_dir())
            .args(["--root", "data", "list", "--sort", "date", "--limit", "5", "--offset", "3", "--json"]),
    ))
    .unwrap();
    assert_eq!(page, all[3..8]);
    let out = adrgraph(&manifest_dir()).args(["--root", "data", "list", "--limit", "4"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 5, "header and four rows");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 to 4 of 29 decisions; --offset 4 for the next ones"), "{err}");
    let out =
        stdout_of(adrgraph(&manifest_dir()).args(["--root", "data", "list", "--offset", "40", "--json"]));
    assert_eq!(out.trim(), "[]");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let out = stdout_of(adrgraph(&manifest_dir()).args(["--root", "data", "--color", "always", "list"]));
    assert!(out.contains("\x1b["));
    let out = stdout_of(adrgraph(&manifest_dir()).env("NO_COLOR", "1").args(["--root", "data", "list"]));
    assert!(!out.contains('\x1b'));
}

#[test]
fn show_by_number_path_slug_and_folder() {
    let dir = manifest_dir();
    let by_path = stdout_of(adrgraph(&dir).args([
        "--root",
        "data",
        "show",
        "data/platform/ADR-007-avro-events-with-schema-registry.md",
        "--json",
    ]));
    let by_folder_number = stdout_of(adrgraph(&dir).args(["--root", "data", "show", "platform/7", "--json"]));
    let by_slug = stdout_of(adrgraph(&dir).args(["--root", "data", "show", "avro-events", "--json"]));
    let by_adr_id = stdout_of(adrgraph(&dir).args(["--root", "data", "show", "ADR-10", "--json"]));
    assert_eq!(by_path, by_folder_number);
    assert_eq!(by_path, by_slug);
    let v: serde_json::Value = serde_json::from_str(&by_path).unwrap();
    assert_eq!(v["status"], "superseded");
    assert_eq!(v["options"].as_array().unwrap().len(), 3);
    assert_eq!(v["options"][0]["chosen"], true);
    let v10: serde_json::Value = serde_json::from_str(&by_adr_id).unwrap();
    assert_eq!(v10["id"], "ADR-010-protobuf-event-contracts-with-buf");
}

#[test]
fn show_human_has_every_part_of_the_seed_template() {
    let out = stdout_of(adrgraph(&manifest_dir()).args([
        "--root",
        "data",
        "show",
        "ADR-001-use-nats-for-event-bus",
    ]));
    for needle in [
        "Use NATS for Event Bus",
        "Deciders        James (Platform Architect), Engineering Team",
        "Technical story Issue #42 - Choose event bus technology",
        "Decision drivers",
        "* NATS JetStream",
        "cost/effort: Low (simple deployment)",
        "risk: Medium (operational complexity)",
        "Positive consequences",
        "1. Deploy NATS",
        "Validation criteria",
        "Review date     2026-08-11",
        "amended_by",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn ambiguous_number_lists_candidates() {
    let out = adrgraph(&manifest_dir()).args(["--root", "data", "show", "1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`1` matches 4 decisions"), "{err}");
    assert!(err.contains("data/infrastructure/0001-record-architecture-decisions.md"), "{err}");
}

#[test]
fn unknown_name_is_a_clear_error() {
    let out = adrgraph(&manifest_dir()).args(["--root", "data", "show", "no-such-thing"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: no decision matches `no-such-thing`"), "{err}");
}

#[test]
fn stats_json_counts_fields_and_skips() {
    let out = stdout_of(adrgraph(&manifest_dir()).args(["--root", "data", "stats", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["files_seen"], 31);
    assert_eq!(v["decisions"], 29);
    assert_eq!(v["skipped_by_reason"]["readme"], 1);
    assert_eq!(v["skipped_by_reason"]["template"], 1);
    assert_eq!(v["by_dialect"]["seed"], 10);
    assert_eq!(v["by_dialect"]["nygard"], 8);
    assert_eq!(v["by_dialect"]["madr2"], 5);
    assert_eq!(v["by_dialect"]["log4brains"], 3);
    assert_eq!(v["by_dialect"]["madr_front_matter"], 3);
    assert_eq!(v["fields"]["title"], 29);
    assert_eq!(v["diagnostics"], 0);
}

#[test]
fn discovery_finds_adr_dir_and_reports_when_nothing_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join(".git")).unwrap();
    let out = adrgraph(tmp.path()).arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no ADR folder found") && err.contains(".adr-dir") && err.contains("docs/decisions"),
        "{err}"
    );

    fs::create_dir_all(tmp.path().join("architecture/log")).unwrap();
    fs::write(tmp.path().join(".adr-dir"), "architecture/log\n").unwrap();
    fs::write(
        tmp.path().join("architecture/log/0001-x.md"),
        "# 1. X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n",
    )
    .unwrap();
    let out = stdout_of(adrgraph(tmp.path()).args(["list", "--json"]));
    assert!(out.contains("\"path\": \"architecture/log/0001-x.md\""), "{out}");
    // From a sub-folder, discovery walks up.
    fs::create_dir_all(tmp.path().join("src/deep")).unwrap();
    let out = stdout_of(adrgraph(&tmp.path().join("src/deep")).args(["list", "--json"]));
    assert!(out.contains("0001-x"), "{out}");
}

#[test]
fn usual_folders_are_discovered() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("docs/decisions")).unwrap();
    fs::write(tmp.path().join("docs/decisions/0001-a.md"), "---\nstatus: accepted\n---\n# A\n").unwrap();
    let out = stdout_of(adrgraph(tmp.path()).args(["list", "--json"]));
    assert!(out.contains("docs/decisions/0001-a.md"), "{out}");
}

#[test]
fn a_broken_file_is_reported_and_the_rest_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("0001-good.md"), "# 1. Good\n\n## Status\n\nAccepted\n").unwrap();
    fs::write(tmp.path().join("0002-bad.md"), b"# 2. Bad\n\n## Status\n\nAccepted \xff\n".as_slice())
        .unwrap();
    fs::write(tmp.path().join("0003-fm.md"), "---\nstatus: [x\n---\n# 3. FM\n").unwrap();
    let out = adrgraph(tmp.path()).args(["--root", ".", "list", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "problems found: exit 1");
    let rows: Vec<Row> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 3, "every file still listed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0002-bad.md:5: error[invalid-utf8]"), "{err}");
    assert!(err.contains("0003-fm.md:3: error[front-matter]"), "{err}");
}

#[test]
fn gitignored_files_are_skipped_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join(".gitignore"), "drafts/\n").unwrap();
    fs::create_dir(tmp.path().join("drafts")).unwrap();
    fs::write(tmp.path().join("drafts/0002-wip.md"), "# 2. WIP\n").unwrap();
    fs::write(tmp.path().join("0001-a.md"), "# 1. A\n").unwrap();
    let out = stdout_of(adrgraph(tmp.path()).args(["--root", ".", "list", "--json"]));
    assert!(!out.contains("0002-wip"));
    let out = stdout_of(adrgraph(tmp.path()).args(["--root", ".", "--no-ignore", "list", "--json"]));
    assert!(out.contains("0002-wip"));
}

#[test]
fn several_roots_with_restarting_numbers_get_unique_ids() {
    let tmp = tempfile::tempdir().unwrap();
    for d in ["a", "b"] {
        fs::create_dir(tmp.path().join(d)).unwrap();
        fs::write(tmp.path().join(d).join("0001-same.md"), "# 1. Same\n").unwrap();
    }
    let out = stdout_of(adrgraph(tmp.path()).args(["--root", "a", "--root", "b", "list", "--json"]));
    let rows: Vec<Row> = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn help_teaches_and_version_prints() {
    let out = stdout_of(adrgraph(&manifest_dir()).arg("--help"));
    assert!(out.contains("Exit codes") && out.contains("--root") && out.contains("Examples"), "{out}");
    let out = stdout_of(adrgraph(&manifest_dir()).arg("--version"));
    assert!(out.starts_with("adrgraph "));
}

#[test]
fn log4brains_config_names_every_package_folder() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join(".git")).unwrap();
    fs::write(
        tmp.path().join(".log4brains.yml"),
        "project:\n  name: x\n  adrFolder: ./docs/adr\n  packages:\n    - name: core\n      adrFolder: ./packages/core/adr\n",
    )
    .unwrap();
    for d in ["docs/adr", "packages/core/adr"] {
        fs::create_dir_all(tmp.path().join(d)).unwrap();
        fs::write(tmp.path().join(d).join("20200101-a.md"), "# A\n\n- Status: accepted\n").unwrap();
    }
    let out = stdout_of(adrgraph(tmp.path()).args(["list", "--json"]));
    let rows: Vec<Row> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 2, "{out}");
    assert_ne!(rows[0].id, rows[1].id, "same slug in two packages gets two ids");
    assert!(rows.iter().all(|r| r.dialect == "log4brains" && r.status == "accepted"));
}

#[test]
fn completions_and_the_manual_page_cover_every_command_and_need_no_tree() {
    let empty = tempfile::tempdir().unwrap();
    let commands = [
        "list",
        "show",
        "stats",
        "impact",
        "deps",
        "chain",
        "path",
        "search",
        "index",
        "lint",
        "graph",
        "option",
        "completions",
        "man",
    ];
    let bash = stdout_of(adrgraph(empty.path()).args(["completions", "bash"]));
    let zsh = stdout_of(adrgraph(empty.path()).args(["completions", "zsh"]));
    let fish = stdout_of(adrgraph(empty.path()).args(["completions", "fish"]));
    let man = stdout_of(adrgraph(empty.path()).arg("man"));
    for c in commands {
        assert!(bash.contains(&format!("adrgraph__subcmd__{c}\"")), "bash completes {c}");
        assert!(zsh.contains(&format!("'{c}:")), "zsh completes {c}");
        assert!(fish.contains(&format!("-a \"{c}\"")), "fish completes {c}");
        assert!(man.contains(&format!("adrgraph\\-{c}(1)")), "the manual names {c}");
    }
    // Option values come from the same definitions: graph formats and lint formats.
    assert!(fish.contains("graphml") && fish.contains("sarif"), "fish completes --format values");
    // The bash script is valid bash.
    let check = std::process::Command::new("bash").args(["-n", "-c", &bash]).output().expect("bash runs");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(man.starts_with(".ie") && man.contains(".TH adrgraph 1"), "roff");
    // An unknown shell is a usage error.
    adrgraph(empty.path()).args(["completions", "tcsh"]).assert().code(2);
}

/// A page about the log (an overview, a process page, a list of the records) is not a decision,
/// whatever its name, and the store follows a file that becomes one or stops being one.
#[test]
fn pages_about_the_log_are_skipped_by_what_they_say_and_the_store_follows() {
    let tmp = tempfile::tempdir().unwrap();
    let adr = tmp.path().join("doc/adr");
    fs::create_dir_all(&adr).unwrap();
    let record = |n: u32, title: &str| {
        format!("# {n}. {title}\n\nDate: 2024-01-0{n}\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n")
    };
    fs::write(adr.join("0001-use-kafka.md"), record(1, "Use Kafka")).unwrap();
    fs::write(adr.join("0002-use-rust.md"), record(2, "Use Rust")).unwrap();
    fs::write(
        adr.join("000-index.md"),
        "# Architecture decision records\n\nHere is where we keep our architecture decision records.\n\n\
         * [1. Use Kafka](0001-use-kafka.md)\n* [2. Use Rust](0002-use-rust.md)\n",
    )
    .unwrap();
    fs::write(
        adr.join("process.md"),
        "# Process for new ADRs\n\n1. Copy the template.\n2. Open a pull request.\n",
    )
    .unwrap();
    // A decision that links to the overview: a link to a page of the tree, not a broken one.
    let third = format!("{}\nSee [the log](000-index.md).\n", record(3, "Use Postgres"));
    fs::write(adr.join("0003-use-postgres.md"), third).unwrap();
    let store = tmp.path().join("store");
    let stats = |tmp: &std::path::Path| -> serde_json::Value {
        let out = stdout_of(adrgraph(tmp).args(["--store", store.to_str().unwrap(), "stats", "--json"]));
        serde_json::from_str(&out).unwrap()
    };
    let s = stats(tmp.path());
    assert_eq!(s["decisions"], 3, "{s}");
    assert_eq!(s["skipped_by_reason"]["about_the_log"], 2, "{s}");
    let out =
        adrgraph(tmp.path()).args(["--store", store.to_str().unwrap(), "lint", "--json"]).output().unwrap();
    let lint = String::from_utf8_lossy(&out.stdout);
    assert!(!lint.contains("broken-link") && !lint.contains("000-index"), "{lint}");

    // A decision rewritten as an overview leaves the log; written back, it returns.
    fs::write(
        adr.join("0002-use-rust.md"),
        "# Decision log\n\n- [Use Kafka](0001-use-kafka.md)\n- [Use Postgres](0003-use-postgres.md)\n\
         - [Use Rust](0004-use-rust.md)\n",
    )
    .unwrap();
    let s = stats(tmp.path());
    assert_eq!(
        (s["decisions"].as_u64(), s["skipped_by_reason"]["about_the_log"].as_u64()),
        (Some(2), Some(3)),
        "{s}"
    );
    fs::write(adr.join("0002-use-rust.md"), record(2, "Use Rust, again")).unwrap();
    let s = stats(tmp.path());
    assert_eq!(
        (s["decisions"].as_u64(), s["skipped_by_reason"]["about_the_log"].as_u64()),
        (Some(3), Some(2)),
        "{s}"
    );
    let list = stdout_of(adrgraph(tmp.path()).args(["--store", store.to_str().unwrap(), "list"]));
    assert!(list.contains("Use Rust, again") && !list.contains("Process"), "{list}");
}

/// `list --in-force --on DATE` and `chain ID --on DATE` answer from the records' own dates,
/// dated status histories and supersessions, with no repository; undated records are named
/// apart and each answer says which dates it used.
#[test]
fn in_force_on_a_date_is_read_from_the_records_own_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let adr = tmp.path().join("doc/adr");
    fs::create_dir_all(&adr).unwrap();
    let rec = |name: &str, text: &str| fs::write(adr.join(name), text).unwrap();
    rec(
        "0001-a.md",
        "# 1. A\n\nDate: 2020-01-01\n\n## Status\n\nSuperseded by [3. C](0003-c.md)\n\n## Decision\n\nA.\n",
    );
    rec("0002-b.md", "# 2. B\n\nDate: 2020-02-01\n\n## Status\n\n2020-02-01 Proposed\n2020-03-01 Accepted\n\n## Decision\n\nB.\n");
    rec("0003-c.md", "# 3. C\n\nDate: 2021-01-01\n\n## Status\n\nAccepted\n\nSupersedes [1. A](0001-a.md)\n\n## Decision\n\nC.\n");
    rec("0004-d.md", "# 4. D\n\n## Status\n\nAccepted\n\n## Decision\n\nD.\n");
    let store = tmp.path().join("store");
    let run = |args: &[&str]| -> serde_json::Value {
        let out = stdout_of(adrgraph(tmp.path()).arg("--store").arg(&store).arg("--json").args(args));
        serde_json::from_str(&out).unwrap()
    };
    let ids = |v: &serde_json::Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap_or_else(|| s.as_str().unwrap()).to_string())
            .collect()
    };
    let on = |date: &str| run(&["list", "--in-force", "--on", date]);
    // B is still proposed, C not written yet.
    let v = on("2020-02-15");
    assert_eq!(ids(&v, "in_force"), ["0001-a"], "{v}");
    assert_eq!((v["undated"][0].as_str(), v["later"].as_u64()), (Some("0004-d"), Some(1)), "{v}");
    assert!(v["in_force"][0]["basis"].as_str().unwrap().contains("2020-01-01"), "{v}");
    assert_eq!(ids(&on("2020-06-01"), "in_force"), ["0001-a", "0002-b"]);
    // C took A's place on its own date.
    let v = on("2021-06-01");
    assert_eq!(ids(&v, "in_force"), ["0002-b", "0003-c"], "{v}");
    // Without --on: in force now, undated records included.
    assert_eq!(ids(&run(&["list", "--in-force"]), "in_force"), ["0002-b", "0003-c", "0004-d"]);

    let c = run(&["chain", "1", "--on", "2020-06-01"]);
    assert_eq!(c["in_force"], serde_json::json!(["0001-a"]), "{c}");
    assert_eq!(c["members"].as_array().unwrap().len(), 1, "{c}");
    assert!(c["basis"].to_string().contains("0003-c: dated after 2020-06-01"), "{c}");
    let c = run(&["chain", "1", "--on", "2021-06-01"]);
    assert_eq!(c["in_force"], serde_json::json!(["0003-c"]), "{c}");
    assert_eq!(c["members"][0]["status"], "superseded", "{c}");
    // The human answer says which dates it used.
    let human = stdout_of(adrgraph(tmp.path()).arg("--store").arg(&store).args([
        "list",
        "--in-force",
        "--on",
        "2021-06-01",
    ]));
    assert!(
        human.contains("In force on 2021-06-01")
            && !human.contains("superseded")
            && human.contains("Undated, not judged: 0004-d"),
        "{human}"
    );
}

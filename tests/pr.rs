//! Decisions in pull requests: `governs --diff` and `--staged` on a real git repository (made
//! with the `git` program here; adrgraph reads it with gitoxide), for a change that edits a
//! governed file, adds a marker naming a superseded decision, renames a governed file, deletes
//! a file with a marker and edits an ADR. Nothing may be written into the repository.

use crate::util::{adrgraph, files_of};
use std::path::Path;
use std::process::Command;

/// Run `git` in `dir` with a fixed identity and date and no user configuration.
pub fn git(dir: &Path, args: &[&str]) -> String {
    crate::util::git_at_time(dir, "2026-01-02T10:00:00Z", args)
}

/// The governs scenario (data/ with scopes, code with markers) as a git repository with one
/// commit, `base`.
pub fn repository() -> tempfile::TempDir {
    let t = crate::governs::scenario();
    let root = t.path();
    std::fs::remove_dir_all(root.join(".git")).unwrap();
    // Review dates pass as time goes by: off, so that answers do not depend on today.
    let cfg = std::fs::read_to_string(root.join("adrgraph.toml")).unwrap();
    std::fs::write(root.join("adrgraph.toml"), format!("{cfg}\n[lint.rules]\nreview-overdue = \"off\"\n"))
        .unwrap();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    t
}

/// The change every test makes: a governed file edited, a marker naming the superseded Nomad
/// record added, a governed file renamed, a file with a marker deleted, an ADR edited.
pub fn change(root: &Path) {
    let append = |p: &str, text: &str| {
        let old = std::fs::read_to_string(root.join(p)).unwrap();
        std::fs::write(root.join(p), old + text).unwrap();
    };
    append("src/billing/money.rs", "pub fn zero() -> Money { Money(0) }\n");
    append("src/events/outbox.rs", "// Placement per 0004-run-services-on-nomad.md\n");
    git(root, &["mv", "src/cdc/connector.rs", "src/cdc/conn.rs"]);
    std::fs::remove_file(root.join("deploy/nomad.hcl")).unwrap();
    append("data/platform/ADR-003-json-event-payloads.md", "\nAn added line.\n");
}

fn governs_diff(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let store = tempfile::tempdir().unwrap();
    let out = adrgraph(dir)
        .args(["--store"])
        .arg(store.path())
        .args(["--json", "governs"])
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code(), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `(file, change, from)` of each answer, and the answer for one file.
fn files(a: &serde_json::Value) -> Vec<(String, String, String)> {
    a["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("file"), s("change"), s("from"))
        })
        .collect()
}

fn file<'a>(a: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    a["files"].as_array().unwrap().iter().find(|f| f["file"] == name).unwrap_or_else(|| panic!("no {name}"))
}

/// The expected answer, the same whichever way the change is read.
fn check_answer(a: &serde_json::Value) {
    let expected = [
        ("deploy/nomad.hcl", "deleted", ""),
        ("src/billing/money.rs", "modified", ""),
        ("src/cdc/conn.rs", "renamed", "src/cdc/connector.rs"),
        ("src/events/outbox.rs", "modified", ""),
    ];
    let got = files(a);
    let want: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(got, want, "the changed files of code (the ADR edit left out)");
    // The governed file edited: still governed by its declared scope.
    assert_eq!(
        file(a, "src/billing/money.rs")["decisions"][0]["id"],
        "0002-store-money-as-integer-minor-units"
    );
    // The renamed file keeps its declared scope (src/cdc/**).
    let cdc = &file(a, "src/cdc/conn.rs")["decisions"][0];
    assert_eq!(cdc["id"], "0002-change-data-capture-with-debezium");
    assert_eq!(cdc["reasons"][0]["kind"], "declared");
    // The marker added names the superseded Nomad record: EKS answers, the marker marked added.
    let outbox = file(a, "src/events/outbox.rs")["decisions"].as_array().unwrap();
    let eks = outbox.iter().find(|d| d["id"] == "0006-run-services-on-kubernetes-eks").expect("EKS answers");
    let marker = &eks["reasons"][0];
    assert_eq!(marker["kind"], "marker");
    assert_eq!(marker["change"], "added");
    assert_eq!(marker["line"], 3);
    assert_eq!(marker["via"][0], "0004-run-services-on-nomad");
    // The old marker of outbox.rs (line 1) is present, not changed.
    let outbox_marker = outbox
        .iter()
        .find(|d| d["id"] == "ADR-008-transactional-outbox-for-event-publishing")
        .expect("ADR-008 still governs");
    assert!(outbox_marker["reasons"][0].get("change").is_none(), "{outbox_marker}");
    // The deleted file: its marker removed here.
    let nomad = &file(a, "deploy/nomad.hcl")["decisions"][0];
    assert_eq!(nomad["id"], "0006-run-services-on-kubernetes-eks");
    assert_eq!(nomad["reasons"][0]["change"], "removed");
}

#[test]
fn governs_diff_staged_and_ranges_read_the_same_change_and_write_nothing() {
    let t = repository();
    let root = t.path();
    change(root);
    let before = files_of(root);
    // Against the work tree, uncommitted changes included.
    let (code, a, err) = governs_diff(root, &["--diff", "HEAD"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("1 changed file(s) of the decision tree left out"), "{err}");
    check_answer(&a);
    assert_eq!(a["against"], "HEAD...work tree");
    assert_eq!(a["base"]["subject"], "base");
    assert_eq!(files_of(root), before, "governs --diff wrote into the repository");
    // Staged: only what is staged (the rename), then everything once added.
    let (_, staged, _) = governs_diff(root, &["--staged"]);
    assert_eq!(
        files(&staged),
        vec![("src/cdc/conn.rs".into(), "renamed".into(), "src/cdc/connector.rs".into())]
    );
    git(root, &["add", "-A"]);
    let (_, staged, _) = governs_diff(root, &["--staged"]);
    check_answer(&staged);
    // Committed: a range of revisions, from a subfolder too.
    git(root, &["commit", "-q", "-m", "change"]);
    let (code, range, err) = governs_diff(&root.join("src"), &["--diff", "HEAD~1..HEAD"]);
    assert_eq!(code, Some(0), "{err}");
    check_answer(&range);
    assert_eq!(range["head"]["subject"], "change");
    // Only below the paths given.
    let (_, only, _) = governs_diff(root, &["--diff", "HEAD~1..HEAD", "src/cdc"]);
    assert_eq!(files(&only).len(), 1);
}

/// `--diff HEAD` is HEAD against the work tree whether the change is staged or not. With nothing
/// staged, git's cached tree says the index is HEAD's tree and only the work tree is compared
/// with the index; staged, HEAD's tree is compared with the index as well. Both answer alike,
/// and the files of a change read through the cached tree are those git itself lists.
#[test]
fn a_change_staged_or_not_answers_alike_against_head() {
    let t = repository();
    let root = t.path();
    let append = |p: &str, text: &str| {
        let old = std::fs::read_to_string(root.join(p)).unwrap();
        std::fs::write(root.join(p), old + text).unwrap();
    };
    append("src/billing/money.rs", "pub fn zero() -> Money { Money(0) }\n");
    append("src/events/outbox.rs", "// Placement per 0004-run-services-on-nomad.md\n");
    std::fs::create_dir_all(root.join("src/unrelated")).unwrap();
    std::fs::write(root.join("src/unrelated/new.rs"), "fn x() {}\n").unwrap();
    std::fs::remove_file(root.join("deploy/nomad.hcl")).unwrap();
    append("data/platform/ADR-003-json-event-payloads.md", "\nAn added line.\n");
    let answers = || {
        let (code, governed, err) = governs_diff(root, &["--diff", "HEAD"]);
        assert_eq!(code, Some(0), "{err}");
        let (_, checked) = check(root, &["--diff", "HEAD", "--format", "json"]);
        (governed, checked)
    };
    let unstaged = answers();
    let mut listed: Vec<String> = files(&unstaged.0).into_iter().map(|(f, _, _)| f).collect();
    listed.sort();
    assert_eq!(
        listed,
        ["deploy/nomad.hcl", "src/billing/money.rs", "src/events/outbox.rs", "src/unrelated/new.rs"],
        "{}",
        git(root, &["status", "--porcelain"])
    );
    git(root, &["add", "-A"]);
    let staged = answers();
    assert_eq!(staged.0, unstaged.0);
    assert_eq!(staged.1, unstaged.1);
    // Part staged, part not: the same again.
    git(root, &["reset", "-q", "src/billing/money.rs", "src/unrelated/new.rs"]);
    assert_eq!(answers(), unstaged);
}

#[test]
fn a_revision_that_does_not_exist_or_no_repository_is_a_clear_usage_error() {
    let t = repository();
    let (code, _, err) = governs_diff(t.path(), &["--diff", "no-such-branch"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("revision `no-such-branch` not found"), "{err}");
    let plain = crate::governs::scenario();
    std::fs::remove_dir_all(plain.path().join(".git")).unwrap();
    let (code, _, err) = governs_diff(plain.path(), &["--diff", "HEAD"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not inside a git repository"), "{err}");
}

/// The check's change on top of [`change`]: a new record superseding the outbox decision (with
/// a broken link when `broken`), the outbox record marked superseded.
fn check_change(root: &Path, broken: bool) {
    change(root);
    let extra = if broken { "\nSee [the runbook](ADR-099-runbook.md).\n" } else { "" };
    std::fs::write(
        root.join("data/platform/ADR-011-change-data-capture-for-events.md"),
        format!(
            "# ADR-011: Change data capture for event publishing\n\n**Date:** 2026-12-01  \n**Status:** Accepted  \n\
             **Supersedes:** [ADR-008](./ADR-008-transactional-outbox-for-event-publishing.md)\n\n\
             ## Context and Problem Statement\n\nThe outbox table grows.\n{extra}\n## Decision Outcome\n\nRead the log.\n"
        ),
    )
    .unwrap();
    let p = root.join("data/platform/ADR-008-transactional-outbox-for-event-publishing.md");
    let text = std::fs::read_to_string(&p).unwrap().replace(
        "**Status:** Accepted",
        "**Status:** Superseded by [ADR-011](./ADR-011-change-data-capture-for-events.md)",
    );
    std::fs::write(p, text).unwrap();
}

fn check(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let store = tempfile::tempdir().unwrap();
    let out = adrgraph(dir).args(["--store"]).arg(store.path()).arg("check").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn check_reports_governing_decisions_decision_changes_and_only_the_touched_records_findings() {
    let t = repository();
    let root = t.path();
    check_change(root, true);
    let before = files_of(root);
    let (code, json) = check(root, &["--diff", "HEAD", "--json"]);
    assert_eq!(code, Some(1), "a broken link in a touched record is an error:\n{json}");
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sentences: Vec<&str> =
        r["decision_changes"].as_array().unwrap().iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!(sentences, ["added", "status", "supersedes"], "{:#}", r["decision_changes"]);
    assert_eq!(r["decision_changes"][2]["by"], "ADR-011-change-data-capture-for-events");
    assert_eq!(r["decision_changes"][2]["target"], "ADR-008-transactional-outbox-for-event-publishing");
    // Only the touched records' findings: data/'s own warnings elsewhere are not reported.
    let codes: Vec<(&str, &str)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "data/platform/ADR-008-transactional-outbox-for-event-publishing.md",
                "options-without-pros-cons"
            ),
            ("data/platform/ADR-011-change-data-capture-for-events.md", "broken-link")
        ]
    );
    // The outbox file's old marker names ADR-008, now superseded: ADR-011 governs it, in force.
    let outbox = file(&r, "src/events/outbox.rs")["decisions"].as_array().unwrap();
    assert!(outbox.iter().any(|d| d["id"] == "ADR-011-change-data-capture-for-events"), "{outbox:?}");
    assert!(outbox.iter().all(|d| d["in_force"] == true), "only decisions in force: {outbox:?}");

    let (_, markdown) = check(root, &["--diff", "HEAD", "--format", "markdown"]);
    insta::assert_snapshot!("check_markdown", markdown);
    let (_, github) = check(root, &["--diff", "HEAD", "--format", "github"]);
    insta::assert_snapshot!("check_github", github);
    let (_, human) = check(root, &["--diff", "HEAD"]);
    assert!(human.contains("this change supersedes ADR-008-transactional-outbox-for-event-publishing with ADR-011-change-data-capture-for-events"), "{human}");
    let (_, sarif) = check(root, &["--diff", "HEAD", "--format", "sarif"]);
    if let Some(problems) = crate::util::sarif_problems(&sarif) {
        assert!(problems.is_empty(), "not SARIF 2.1.0: {problems:#?}");
    }
    let s: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(s["runs"][0]["results"].as_array().unwrap().len(), 2);
    assert!(s["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == "superseded-marker"));
    assert_eq!(files_of(root), before, "check wrote into the repository");
}

#[test]
fn stale_markers_and_required_decisions_fail_only_when_asked() {
    let t = repository();
    let root = t.path();
    check_change(root, false);
    std::fs::write(root.join("src/billing/ledger.rs"), "pub struct Ledger;\n").unwrap();
    std::fs::write(root.join("src/unrelated/new.rs"), "fn x() {}\n").unwrap();
    let (code, out) = check(root, &["--diff", "HEAD"]);
    assert_eq!(code, Some(0), "being governed is information:\n{out}");
    let (code, json) = check(root, &["--diff", "HEAD", "--json", "--fail-on-superseded-marker"]);
    assert_eq!(code, Some(1));
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["code"] == "superseded-marker").unwrap();
    assert_eq!(
        (f["code"].as_str(), f["path"].as_str(), f["line"].as_u64()),
        (Some("superseded-marker"), Some("src/events/outbox.rs"), Some(3))
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("the decision in force is 0006-run-services-on-kubernetes-eks"),
        "{f}"
    );
    // Required: src/** must be governed; the unrelated new file is not, the ledger is (table).
    let (code, json) = check(root, &["--diff", "HEAD", "--json", "--require-decision", "src/**"]);
    assert_eq!(code, Some(1));
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ungoverned: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "ungoverned-change")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(ungoverned, ["src/unrelated/new.rs"]);
    // The same from adrgraph.toml.
    let cfg = std::fs::read_to_string(root.join("adrgraph.toml")).unwrap();
    std::fs::write(
        root.join("adrgraph.toml"),
        format!("{cfg}\n[check]\nrequire_decision = [\"src/unrelated/**\"]\n"),
    )
    .unwrap();
    let (code, _) = check(root, &["--diff", "HEAD"]);
    assert_eq!(code, Some(1));
}

/// The hooks of `.pre-commit-hooks.yaml` as a local `.pre-commit-config.yaml`: the same ids,
/// entries, file types and flags, run from this build (`language: system`) instead of being
/// built by pre-commit with cargo (minutes per run).
fn local_hooks_config() -> String {
    let text = std::fs::read_to_string(crate::util::manifest_dir().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<serde_json::Value> = serde_yaml_ng::from_str(&text).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("adrgraph");
    let local: Vec<serde_json::Value> = hooks
        .into_iter()
        .map(|mut h| {
            assert_eq!(h["language"], "rust", "{h}");
            let entry = h["entry"].as_str().unwrap().to_string();
            let rest = entry.strip_prefix("adrgraph").expect("an adrgraph entry");
            h["entry"] = format!("{}{rest}", bin.display()).into();
            h["language"] = "system".into();
            h
        })
        .collect();
    serde_yaml_ng::to_string(&serde_json::json!({"repos": [{"repo": "local", "hooks": local}]})).unwrap()
}

fn pre_commit_available() -> bool {
    let found = Command::new("python3")
        .args(["-m", "pre_commit", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit is missing (the test command installs it: pip install pre-commit)"
        );
        eprintln!("pre-commit not installed: test not run");
    }
    found
}

#[test]
fn the_pre_commit_hooks_refuse_a_broken_link_and_pass_a_clean_commit() {
    if !pre_commit_available() {
        return;
    }
    let t = repository();
    let root = t.path();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(root.join(".pre-commit-config.yaml"), local_hooks_config()).unwrap();
    git(root, &["add", ".pre-commit-config.yaml"]);
    git(root, &["commit", "-q", "-m", "hooks"]);
    let commit = |message: &str| {
        crate::util::git_command(root, "2026-01-02T10:00:00Z")
            .args(["commit", "-m", message])
            .env("PRE_COMMIT_HOME", home.path())
            .env("XDG_CACHE_HOME", home.path())
            .env_remove("ADRGRAPH_STORE")
            .output()
            .unwrap()
    };
    let install = Command::new("python3")
        .current_dir(root)
        .args(["-m", "pre_commit", "install"])
        .env("PRE_COMMIT_HOME", home.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));
    let record = root.join("data/platform/ADR-011-use-kafka.md");
    let text = |link: &str| {
        format!("# ADR-011: Use Kafka\n\n**Date:** 2026-12-01  \n**Status:** Proposed\n\n## Context and Problem Statement\n\nSee [the bus]({link}).\n\n## Decision Outcome\n\nKafka.\n")
    };
    std::fs::write(&record, text("ADR-099-missing.md")).unwrap();
    git(root, &["add", "-A"]);
    let refused = commit("a broken link");
    let said =
        format!("{}{}", String::from_utf8_lossy(&refused.stdout), String::from_utf8_lossy(&refused.stderr));
    assert!(!refused.status.success(), "the commit went through:\n{said}");
    assert!(said.contains("broken-link") && said.contains("ADR-099-missing.md"), "{said}");
    assert!(said.contains("adrgraph lint") && said.contains("adrgraph check"), "both hooks ran:\n{said}");
    std::fs::write(&record, text("ADR-001-use-nats-for-event-bus.md")).unwrap();
    git(root, &["add", "-A"]);
    let passed = commit("a clean record");
    let said =
        format!("{}{}", String::from_utf8_lossy(&passed.stdout), String::from_utf8_lossy(&passed.stderr));
    assert!(passed.status.success(), "a clean commit was refused:\n{said}");
    assert_eq!(git(root, &["log", "-1", "--format=%s"]).trim(), "a clean record");
}

/// A stand-in for GitHub's REST API on loopback: answers the comment calls of
/// scripts/action_comment.py and records each request as `METHOD path body`.
struct FakeApi {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl FakeApi {
    /// `existing`: the comments the pull request already has.
    fn start(existing: serde_json::Value) -> FakeApi {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    continue;
                }
                let mut length = 0;
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = h.to_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).ok();
                let mut parts = first.split_whitespace();
                let (method, path) =
                    (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
                log.lock().unwrap().push(format!("{method} {path} {}", String::from_utf8_lossy(&body)));
                let answer = if method == "GET" && path.contains("page=1") {
                    existing.to_string()
                } else if method == "GET" {
                    "[]".to_string()
                } else {
                    "{\"id\": 99}".to_string()
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            }
        });
        FakeApi { url, seen }
    }
}

#[test]
fn the_action_annotates_writes_the_summary_and_posts_then_updates_one_comment() {
    let t = repository();
    let root = t.path();
    let base = git(root, &["rev-parse", "HEAD"]).trim().to_string();
    check_change(root, true);
    let runner = tempfile::tempdir().unwrap();
    let event = runner.path().join("event.json");
    std::fs::write(
        &event,
        serde_json::json!({"pull_request": {"number": 7, "base": {"sha": base}}}).to_string(),
    )
    .unwrap();
    let summary = runner.path().join("summary.md");
    let output = runner.path().join("output");
    let path_file = runner.path().join("path");
    // The install step, with the build in the cache: put on the PATH, not built again.
    let home = runner.path().join("home");
    std::fs::create_dir_all(home.join("bin")).unwrap();
    std::fs::copy(assert_cmd::cargo::cargo_bin("adrgraph"), home.join("bin/adrgraph")).unwrap();
    let script = crate::util::manifest_dir().join("scripts/action.sh");
    let run = |step: &str, api: &FakeApi, token: &str| {
        Command::new("bash")
            .arg(&script)
            .arg(step)
            .current_dir(root)
            .env("GITHUB_EVENT_PATH", &event)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_REPOSITORY", "acme/shop")
            .env("GITHUB_API_URL", &api.url)
            .env("ADRGRAPH_ACTION_HOME", &home)
            .env("ADRGRAPH", home.join("bin/adrgraph"))
            .env("XDG_CACHE_HOME", runner.path())
            .env("INPUT_TOKEN", token)
            .env("INPUT_ARGS", "--fail-on-superseded-marker")
            .env_remove("ADRGRAPH_STORE")
            .output()
            .unwrap()
    };
    let api = FakeApi::start(serde_json::json!([]));
    let install = run("install", &api, "");
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));
    assert_eq!(std::fs::read_to_string(&path_file).unwrap().trim(), home.join("bin").display().to_string());

    let out = run("check", &api, "secret");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "the broken link and the stale marker fail the step:\n{stdout}");
    assert!(
        stdout.contains("::error file=data/platform/ADR-011-change-data-capture-for-events.md,line=11"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::error file=src/events/outbox.rs,line=3,col=1,title=superseded-marker::"),
        "{stdout}"
    );
    assert!(stdout.contains("::notice file=src/billing/money.rs,line=1"), "{stdout}");
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.starts_with("<!-- adrgraph check -->"), "{written}");
    assert!(
        written.contains(
            "This change supersedes ADR-008-transactional-outbox-for-event-publishing with ADR-011"
        ),
        "{written}"
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "errors=2\n");
    let calls = api.seen.lock().unwrap().clone();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].starts_with("GET /repos/acme/shop/issues/7/comments?per_page=100&page=1"), "{calls:?}");
    assert!(
        calls[1].starts_with("POST /repos/acme/shop/issues/7/comments {\"body\": \"<!-- adrgraph check -->"),
        "{calls:?}"
    );

    // A second run finds its comment and updates it.
    let api = FakeApi::start(
        serde_json::json!([{"id": 1, "body": "LGTM"}, {"id": 42, "body": "<!-- adrgraph check -->\nold"}]),
    );
    run("check", &api, "secret");
    let calls = api.seen.lock().unwrap().clone();
    assert!(calls.last().unwrap().starts_with("PATCH /repos/acme/shop/issues/comments/42 "), "{calls:?}");
    // Without a token: no call at all.
    let api = FakeApi::start(serde_json::json!([]));
    run("check", &api, "");
    assert!(api.seen.lock().unwrap().is_empty());
}

#[test]
fn a_shallow_clone_without_the_base_says_to_fetch_more_and_a_path_outside_is_refused() {
    let t = repository();
    let root = t.path();
    change(root);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "change"]);
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", root.display());
    git(clones.path(), &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let shallow = clones.path().join("shallow");
    let (code, _, err) = governs_diff(&shallow, &["--diff", "HEAD~1"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("shallow clone") && err.contains("fetch"), "{err}");
    // A path outside the repository.
    let elsewhere = tempfile::tempdir().unwrap();
    let (code, _, err) = governs_diff(root, &["--diff", "HEAD~1", elsewhere.path().to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("outside the repository"), "{err}");
    // The ADR root named from a subfolder of code: the same answer as from the top.
    let (code, a, err) = governs_diff(&root.join("src"), &["--root", "../data", "--diff", "HEAD~1..HEAD"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(files(&a).len(), 4);
}

#[test]
fn a_pull_request_rewriting_an_accepted_decision_is_a_finding_a_typo_fix_is_not() {
    let t = repository();
    let root = t.path();
    let vault = root.join("data/infrastructure/0005-use-vault-for-secrets.md");
    let text = std::fs::read_to_string(&vault).unwrap();
    let rewrite = |from: &str, to: &str| std::fs::write(&vault, text.replace(from, to)).unwrap();
    let codes = || -> Vec<(String, String)> {
        let (_, json) = check(root, &["--diff", "HEAD", "--json"]);
        let r: serde_json::Value = serde_json::from_str(&json).unwrap();
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "changed-after-acceptance")
            .map(|f| (f["path"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
            .collect()
    };
    // Rewritten: the decision now says something else.
    rewrite("short-lived leases", "static passwords kept for a year");
    let found = codes();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "data/infrastructure/0005-use-vault-for-secrets.md");
    assert!(found[0].1.contains("static passwords kept for a year"), "{found:?}");
    // A typo fixed: editorial.
    rewrite("fetched at start-up", "fetched at startup");
    assert!(codes().is_empty(), "a typo fix is editorial");
    // Changed with its status: recorded, so not a silent rewrite.
    std::fs::write(
        &vault,
        text.replace("short-lived leases", "static passwords kept for a year")
            .replace("Accepted", "Deprecated"),
    )
    .unwrap();
    assert!(codes().is_empty(), "a status change records the change");
}

/// With a full-text index in its store, `check` reads the outline, what the index says the
/// records name and the records the change touches whole; every format, and `governs --diff`,
/// answer byte for byte as from every record whole (a store without an index), for changes
/// that add, supersede and break records, that edit a record a little or rewrite an accepted
/// decision (which only the whole texts tell), and that touch only code.
#[test]
fn check_with_an_index_answers_as_from_every_record_whole() {
    let code_only = |root: &Path| {
        let p = root.join("src/billing/money.rs");
        let old = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, old + "// ADR-008 applies here\npub fn one() {}\n").unwrap();
    };
    let rewritten = |root: &Path| {
        let vault = root.join("data/infrastructure/0005-use-vault-for-secrets.md");
        let text = std::fs::read_to_string(&vault).unwrap();
        std::fs::write(&vault, text.replace("short-lived leases", "static passwords kept for a year"))
            .unwrap();
    };
    type Change<'a> = (&'a str, &'a dyn Fn(&Path));
    let changes: [Change<'_>; 4] = [
        ("records added, superseded and broken", &|r: &Path| check_change(r, true)),
        ("a record edited", &|r: &Path| change(r)),
        ("an accepted decision rewritten", &rewritten),
        ("code only", &code_only),
    ];
    for (what, make) in changes {
        let t = repository();
        let root = t.path();
        make(root);
        let indexed = tempfile::tempdir().unwrap();
        let out = adrgraph(root).arg("--store").arg(indexed.path()).arg("index").output().unwrap();
        assert!(out.status.success() && indexed.path().join("index").is_dir(), "{what}: indexed");
        for args in [
            &["--diff", "HEAD", "--json"][..],
            &["--diff", "HEAD", "--format", "markdown"],
            &["--diff", "HEAD", "--format", "github"],
            &["--diff", "HEAD", "--format", "sarif"],
            &["--diff", "HEAD"],
        ] {
            let want = check(root, args);
            let out =
                adrgraph(root).arg("--store").arg(indexed.path()).arg("check").args(args).output().unwrap();
            assert_eq!((out.status.code(), String::from_utf8(out.stdout).unwrap()), want, "{what}: {args:?}");
        }
        let (code, want, _) = governs_diff(root, &["--diff", "HEAD"]);
        let out = adrgraph(root)
            .arg("--store")
            .arg(indexed.path())
            .args(["--json", "governs", "--diff", "HEAD"])
            .output()
            .unwrap();
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!((out.status.code(), got), (code, want), "{what}: governs --diff");
    }
}

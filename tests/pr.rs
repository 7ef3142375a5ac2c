//! Decisions in pull requests: `governs --diff` and `--staged` on a real git repository (made
//! with the `git` program here; adrgraph reads it with gitoxide), for a change that edits a
//! governed file, adds a marker naming a superseded decision, renames a governed file, deletes
//! a file with a marker and edits an ADR. Nothing may be written into the repository.

use crate::util::{adrgraph, files_of};
use std::path::Path;
use std::process::Command;

/// Run `git` in `dir` with a fixed identity and no user configuration.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-02T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-02T10:00:00Z")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
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

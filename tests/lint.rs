//! `adrgraph lint`: a fixture tree that triggers every rule exactly once, with its exact output
//! in every format; `data/` lints with only the findings planted on purpose; the SARIF shape;
//! GitHub annotations line by line; `--fix` round trip; true findings in the corpora.

use crate::util::{adrgraph, corpora, manifest_dir};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn lint(dir: &Path, root: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = adrgraph(dir);
    cmd.args(["--root", root, "lint"]).args(args);
    if !args.contains(&"--today") {
        cmd.args(["--today", "2024-12-31"]);
    }
    let out = cmd.output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn every_rule_once_with_exact_output() {
    let dir = manifest_dir();
    let (code, human) = lint(&dir, "tests/fixtures/lint", &[]);
    assert_eq!(code, Some(1), "error-level findings fail the run");
    insta::assert_snapshot!("lint_fixture_human", human);
    let (_, json) = lint(&dir, "tests/fixtures/lint", &["--format", "json"]);
    insta::assert_snapshot!("lint_fixture_json", json);
    let v: Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> =
        v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    let all: BTreeSet<&str> = adrgraph::lint::RULES.iter().map(|r| r.code).collect();
    assert_eq!(codes.iter().copied().collect::<BTreeSet<_>>(), all, "every rule fires");
    assert_eq!(codes.len(), all.len(), "each exactly once");
}

#[test]
fn config_file_changes_levels_and_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("adrgraph.toml");
    let rules: Vec<String> = adrgraph::lint::RULES
        .iter()
        .filter(|r| r.level == adrgraph::lint::Level::Error)
        .map(|r| format!("{} = \"warning\"", r.code))
        .collect();
    std::fs::write(
        &cfg,
        format!(
            "[lint]\nproposed_max_days = 1000\n\n[lint.rules]\nnumbering-gap = \"off\"\n{}\n",
            rules.join("\n")
        ),
    )
    .unwrap();
    let dir = manifest_dir();
    let (code, json) =
        lint(&dir, "tests/fixtures/lint", &["--format", "json", "--config", cfg.to_str().unwrap()]);
    assert_eq!(code, Some(0), "no error-level finding left");
    let v: Value = serde_json::from_str(&json).unwrap();
    let codes: BTreeSet<&str> =
        v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(!codes.contains("numbering-gap") && !codes.contains("proposed-too-long"));
    assert_eq!(v["errors"], 0);
    std::fs::write(&cfg, "[lint.rules]\nno-such-rule = \"off\"\n").unwrap();
    let out = adrgraph(&dir)
        .args(["--root", "tests/fixtures/lint", "lint", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `no-such-rule`"));
}

#[test]
fn data_lints_with_only_the_planted_findings() {
    let (code, json) = lint(&manifest_dir(), "data", &["--format", "json", "--today", "2026-06-01"]);
    assert_eq!(code, Some(0));
    let v: Value = serde_json::from_str(&json).unwrap();
    let got: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["code"].as_str().unwrap().to_string()))
        .collect();
    let planted = [
        ("data/data-platform/0002-change-data-capture-with-debezium.md", "options-without-pros-cons"),
        ("data/data-platform/0003-data-retention-policy.md", "options-without-pros-cons"),
        ("data/platform/ADR-003-json-event-payloads.md", "review-overdue"),
        ("data/platform/ADR-006-jetstream-retention-and-replay-policy.md", "options-without-pros-cons"),
        ("data/platform/ADR-008-transactional-outbox-for-event-publishing.md", "options-without-pros-cons"),
        ("data/services/billing/0003-invoice-numbering-per-tenant.md", "options-without-pros-cons"),
        ("data/services/billing/0004-poll-stripe-for-payment-status.md", "options-without-pros-cons"),
        ("data/web/20250114-build-the-web-app-with-react-and-vite.md", "options-without-pros-cons"),
        ("data/web/20250302-server-side-rendering-with-nextjs.md", "options-without-pros-cons"),
        ("data/web/20250520-design-tokens-with-style-dictionary.md", "proposed-too-long"),
        ("data/web/20250520-design-tokens-with-style-dictionary.md", "options-without-pros-cons"),
    ];
    let want: Vec<(String, String)> = planted.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
    assert_eq!(got, want);
}

#[test]
fn github_annotations_line_by_line() {
    let (_, out) = lint(&manifest_dir(), "tests/fixtures/lint", &["--format", "github"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), adrgraph::lint::RULES.len());
    let re =
        regex::Regex::new(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=[a-z-]+::[^\n]+$")
            .unwrap();
    for l in &lines {
        assert!(re.is_match(l), "not a workflow command: {l}");
    }
    assert!(lines.iter().any(|l| l.starts_with(
        "::error file=tests/fixtures/lint/0005-use-cockroachdb.md,line=13,col=11,title=broken-link::"
    )));
}

#[test]
fn sarif_has_the_2_1_0_shape() {
    let (_, out) = lint(&manifest_dir(), "tests/fixtures/lint", &["--format", "sarif"]);
    // Valid against the official SARIF 2.1.0 schema (required properties present, enumerations
    // valid, no property it does not name).
    if let Some(problems) = crate::util::sarif_problems(&out) {
        assert!(problems.is_empty(), "not SARIF 2.1.0: {problems:#?}");
        let broken = out.replacen("\"runs\"", "\"rungs\"", 1);
        assert!(!crate::util::sarif_problems(&broken).unwrap_or_default().is_empty(), "the check can fail");
    }
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), adrgraph::lint::RULES.len());
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
        assert!(["error", "warning", "note", "none"]
            .contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), adrgraph::lint::RULES.len());
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"], "ruleIndex points at the rule");
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(res["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].as_str().unwrap().starts_with("tests/fixtures/lint/"));
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn fix_repairs_the_status_and_touches_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("adr");
    std::fs::create_dir(&root).unwrap();
    for f in ["0002-use-postgres.md", "0005-use-cockroachdb.md", "0001-record-decisions.md"] {
        std::fs::copy(manifest_dir().join("tests/fixtures/lint").join(f), root.join(f)).unwrap();
    }
    let before_2 = std::fs::read_to_string(root.join("0002-use-postgres.md")).unwrap();
    let before_5 = std::fs::read(root.join("0005-use-cockroachdb.md")).unwrap();
    let out =
        adrgraph(tmp.path()).args(["--root", "adr", "lint", "--fix", "--format", "json"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("-Accepted")
            && err.contains("+Superseded by [Use CockroachDB](0005-use-cockroachdb.md)"),
        "diff printed: {err}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> =
        v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(!codes.contains(&"supersession-one-sided"), "{codes:?}");
    let after_2 = std::fs::read_to_string(root.join("0002-use-postgres.md")).unwrap();
    assert_eq!(
        after_2,
        before_2.replacen("\nAccepted\n", "\nSuperseded by [Use CockroachDB](0005-use-cockroachdb.md)\n", 1)
    );
    assert_eq!(
        std::fs::read(root.join("0005-use-cockroachdb.md")).unwrap(),
        before_5,
        "other files untouched"
    );
    // The fixed file now reads as superseded.
    let out = adrgraph(tmp.path()).args(["--root", "adr", "show", "2", "--json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "superseded");
}

#[test]
fn explain_lists_and_explains_rules() {
    let out = adrgraph(&manifest_dir()).args(["lint", "--explain"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), adrgraph::lint::RULES.len());
    let out = adrgraph(&manifest_dir()).args(["lint", "--explain", "broken-link"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("broken-link (error by default)"));
    let out = adrgraph(&manifest_dir()).args(["lint", "--explain", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn corpus_findings_include_the_known_real_defects() {
    let Some(root) = corpora() else { return };
    let find = |corpus: &str| -> Vec<(String, String, String)> {
        let r = root.join(corpus);
        let out = adrgraph(&manifest_dir())
            .args(["-q", "--root"])
            .arg(&r)
            .args(["lint", "--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string(),
                    f["code"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let forms = find("alphagov__forms");
    let has = |v: &[(String, String, String)], file: &str, code: &str| {
        v.iter().any(|(f, c, _)| f == file && c == code)
    };
    assert!(has(&forms, "ADR004-store-form-schemas-in-an-api.md", "broken-link"));
    let dup: Vec<&(String, String, String)> =
        forms.iter().filter(|(_, c, _)| c == "duplicate-number").collect();
    assert!(
        dup.iter().any(|(_, _, m)| m.contains("number 25"))
            && dup.iter().any(|(_, _, m)| m.contains("number 41")),
        "{dup:?}"
    );
    assert!(
        has(&forms, "ADR030-use-aws-lambda-to-run-glue-code.md", "unknown-status"),
        "template status left in"
    );
    let kuma = find("kumahq__kuma");
    let numbers: BTreeSet<String> = kuma
        .iter()
        .filter(|(_, c, _)| c == "duplicate-number")
        .map(|(_, _, m)| m.split_whitespace().nth(1).unwrap().to_string())
        .collect();
    assert_eq!(numbers, BTreeSet::from(["95".into(), "96".into(), "100".into(), "103".into()]));
    let aws = find("alphagov__govuk-aws");
    assert!(
        has(&aws, "0033-ip-ranges.md", "numbering-gap")
            || aws.iter().any(|(_, c, m)| c == "numbering-gap" && m.contains("34")),
        "{aws:?}"
    );
}

#[test]
fn config_roots_exclude_and_vocabulary() {
    let tmp = tempfile::tempdir().unwrap();
    let adr = tmp.path().join("adr");
    std::fs::create_dir_all(adr.join("drafts")).unwrap();
    std::fs::write(adr.join("0001-a.md"), "# 1. A\n\nDate: 2024-01-01\n\n## Status\n\nSigned off\n").unwrap();
    std::fs::write(
        adr.join("0002-b.md"),
        "# 2. B\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n\nObsoletes [1. A](0001-a.md)\n",
    )
    .unwrap();
    std::fs::write(adr.join("drafts/0003-c.md"), "# 3. C\n").unwrap();
    let write_cfg = |word_means: &str| {
        std::fs::write(
            tmp.path().join("adrgraph.toml"),
            format!("roots = [\"adr\"]\nexclude = [\"drafts/**\"]\n\n[parse]\nstatus_words = {{ \"signed off\" = \"{word_means}\" }}\nlink_phrases = {{ obsoletes = \"supersedes\" }}\n"),
        )
        .unwrap();
    };
    write_cfg("accepted");
    let rows = |dir: &Path| -> Vec<(String, String)> {
        let out = adrgraph(dir).args(["list", "--json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap().into(), r["status"].as_str().unwrap().into()))
            .collect()
    };
    assert_eq!(
        rows(tmp.path()),
        vec![("0001-a".into(), "accepted".into()), ("0002-b".into(), "accepted".into())]
    );
    // The configured phrase makes a supersession: 1 is superseded by 2 without saying so.
    let out = adrgraph(tmp.path()).args(["lint", "--format", "json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["code"] == "supersession-one-sided"), "{v}");
    // A changed configuration is not served from the store.
    write_cfg("proposed");
    assert_eq!(rows(tmp.path())[0].1, "proposed");
}

/// The rules read only what a record's outline keeps (`store::outline_of`: no long text, the
/// title's heading, how many pros and cons each option has): linting the outlines finds what
/// linting the whole records finds, on the rule fixture, `data/` and every corpus.
#[test]
fn the_outline_lints_as_the_whole_records_do() {
    use adrgraph::ingest::{ingest, IngestOptions};
    let dir = manifest_dir();
    let mut trees = vec![dir.join("tests/fixtures/lint"), dir.join("data")];
    if let Some(root) = corpora() {
        let mut each: Vec<_> = std::fs::read_dir(root).unwrap().flatten().map(|e| e.path()).collect();
        each.retain(|p| p.is_dir());
        each.sort();
        trees.extend(each);
    }
    let cfg = adrgraph::lint::LintConfig { today: "2024-12-31".parse().unwrap(), ..Default::default() };
    for tree in trees {
        let whole = ingest(&IngestOptions::new(vec![tree.clone()])).unwrap();
        let mut outlined = whole.clone();
        for a in &mut outlined.adrs {
            let parsed = adrgraph::parse::Parsed { adr: a.clone(), diagnostics: Vec::new() };
            *a = adrgraph::store::outline_of(&parsed).adr;
        }
        let (g, og) = (adrgraph::graph_of(&whole), adrgraph::graph_of(&outlined));
        let (want, got) =
            (adrgraph::lint::lint(&whole, &g, &cfg), adrgraph::lint::lint(&outlined, &og, &cfg));
        assert_eq!(got, want, "{}", tree.display());
    }
}

/// The findings a command line run keeps in the store are read back only while the records and
/// the settings are the same: on a copy of the rule fixture, every answer after a change (a
/// record edited, a rule turned off in `adrgraph.toml`, another `--today`, another folder to run
/// from, the kept file damaged, a file filter) is byte for byte what a store that never kept
/// findings gives, and the second run of each reads them back (its store keeps the file).
#[test]
fn kept_findings_answer_as_linting_again() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    crate::util::copy_tree(&manifest_dir().join("tests/fixtures/lint"), &tree);
    let kept_store = tmp.path().join("kept");
    let run = |store: &Path, from: &Path, args: &[&str]| {
        let out = adrgraph(from)
            .args(["--store", store.to_str().unwrap(), "--root", tree.to_str().unwrap(), "lint"])
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let mut fresh_stores = 0;
    let mut check = |from: &Path, args: &[&str], what: &str| {
        fresh_stores += 1;
        let fresh = tmp.path().join(format!("fresh-{fresh_stores}"));
        let want = run(&fresh, from, args);
        std::fs::remove_dir_all(&fresh).unwrap();
        for pass in ["works out", "reads back"] {
            assert_eq!(run(&kept_store, from, args), want, "{what}: the run that {pass} the findings");
        }
        assert!(kept_store.join("derived-lint.bin").is_file(), "{what}: the findings are kept");
        want
    };
    let today = ["--today", "2024-12-31"];
    let first = check(tmp.path(), &today, "as written");
    assert!(first.1.contains("numbering-gap"), "{}", first.1);
    check(tmp.path(), &["--today", "2031-01-01", "--format", "json"], "another date");
    check(&tree, &today, "run from the tree");
    let record = std::fs::read_dir(&tree)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .min()
        .unwrap();
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, format!("{text}\nSee [a record gone](0999-gone.md).\n")).unwrap();
    let edited = check(tmp.path(), &today, "a record edited");
    assert_ne!(edited.1, first.1, "the edit shows");
    std::fs::write(tree.join("adrgraph.toml"), "[lint.rules]\nnumbering-gap = \"off\"\n").unwrap();
    let off = check(&tree, &today, "a rule turned off");
    assert!(!off.1.contains("numbering-gap"), "{}", off.1);
    crate::util::damage(&kept_store.join("derived-lint.bin"), crate::util::Damage::ZeroedMiddle);
    check(&tree, &today, "the kept findings damaged");
    let name = record.file_name().unwrap().to_str().unwrap().to_string();
    check(&tree, &[today[0], today[1], name.as_str()], "one file asked");
}

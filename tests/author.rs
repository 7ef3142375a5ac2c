//! Authoring: `adrgraph new` and `adrgraph init` write one file, in the folder's own dialect and
//! naming scheme, and nothing else; numbers never collide, even from concurrent processes; and
//! adr-tools reads what adrgraph wrote into an adr-tools folder as it reads its own records.

use crate::util::{adrgraph, copy_tree, files_of as files, manifest_dir, stdout_of};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files `after` has that `before` lacks, after checking that no other file changed.
fn added(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    for (p, b) in before {
        assert_eq!(after.get(p), Some(b), "{} changed or went away", p.display());
    }
    after.keys().filter(|p| !before.contains_key(*p)).cloned().collect()
}

/// A temporary copy of `data/`.
fn data_copy() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("data"), t.path());
    t
}

/// The record at `path` (relative to `root`) as `show --json` reads it.
fn record(root: &Path, path: &str) -> serde_json::Value {
    let out = stdout_of(adrgraph(root).args(["--root", ".", "-q", "--json", "show", path]));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn new_writes_one_file_in_each_folders_dialect_and_scheme_and_nothing_else() {
    let t = data_copy();
    let before = files(t.path());
    // folder, the file expected, its dialect, number, status.
    let cases = [
        ("infrastructure", "infrastructure/0009-use-kafka-for-telemetry.md", "nygard", Some(9), "accepted"),
        ("platform", "platform/ADR-011-use-kafka-for-telemetry.md", "seed", Some(11), "proposed"),
        (
            "services/billing",
            "services/billing/0006-use-kafka-for-telemetry.md",
            "madr2",
            Some(6),
            "proposed",
        ),
        (
            "data-platform",
            "data-platform/0004-use-kafka-for-telemetry.md",
            "madr_front_matter",
            Some(4),
            "proposed",
        ),
        ("web", "web/20260102-use-kafka-for-telemetry.md", "log4brains", None, "draft"),
    ];
    for (folder, want, dialect, number, status) in cases {
        let mut cmd = adrgraph(t.path());
        cmd.args(["--root", ".", "-q", "new", "--folder", folder, "--date", "2026-01-02"]).args([
            "Use",
            "Kafka",
            "for",
            "telemetry",
        ]);
        let out = stdout_of(&mut cmd);
        assert_eq!(out.trim_end(), want, "new prints the path of the new file and nothing else");
        let a = record(t.path(), want);
        assert_eq!(a["dialect"], dialect, "{want}");
        assert_eq!(a["number"], serde_json::json!(number), "{want}");
        assert_eq!(a["status"], status, "{want}");
        assert_eq!(a["title"], "Use Kafka for telemetry", "{want}");
        assert_eq!(a["date"], "2026-01-02", "{want}");
    }
    let after = files(t.path());
    let new: Vec<String> = added(&before, &after).iter().map(|p| p.display().to_string()).collect();
    let mut want: Vec<String> = cases.iter().map(|c| c.1.to_string()).collect();
    want.sort();
    assert_eq!(new, want);
    // The adr-tools folder's own template (infrastructure/template.md) is the one filled.
    let nygard = String::from_utf8(after[Path::new(cases[0].1)].clone()).unwrap();
    assert!(
        nygard.starts_with("# 9. Use Kafka for telemetry\n\nDate: 2026-01-02\n\n## Status\n\nAccepted\n"),
        "{nygard}"
    );
    assert!(
        nygard.ends_with("any risks introduced by the change.\n"),
        "the folder's template, not the built-in one:\n{nygard}"
    );
    // MADR 4 front matter is valid YAML with MADR's field names.
    let madr = String::from_utf8(after[Path::new(cases[3].1)].clone()).unwrap();
    let yaml = madr.strip_prefix("---\n").unwrap().split("\n---\n").next().unwrap();
    let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml).unwrap();
    assert_eq!(v["status"].as_str(), Some("proposed"));
    assert!(v.get("decision-makers").is_some(), "{yaml}");
}

#[test]
fn titles_become_slugs_as_adr_tools_makes_them_and_numbers_never_go_octal() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let run = |args: &[&str]| {
        stdout_of(adrgraph(dir).args(["--root", "doc/adr", "-q", "new", "--dialect", "nygard"]).args(args))
    };
    std::fs::create_dir_all(dir.join("doc/adr")).unwrap();
    // adr-tools' funny-characters scenario.
    assert_eq!(run(&["Something", "About", "Node.JS"]), "doc/adr/0001-something-about-node-js.md\n");
    assert_eq!(run(&["Slash/Slash/Slash/"]), "doc/adr/0002-slash-slash-slash.md\n");
    assert_eq!(run(&["--", "-Bar-"]), "doc/adr/0003-bar.md\n");
    // adr-tools' avoid-octal-numbers scenario: 0008 and 0009 follow 0007.
    for _ in 4..=9 {
        run(&["Another", "one"]);
    }
    let names: Vec<String> = std::fs::read_dir(dir.join("doc/adr"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names[7], "0008-another-one.md");
    assert_eq!(names[8], "0009-another-one.md");
    let first = std::fs::read_to_string(dir.join("doc/adr/0003-bar.md")).unwrap();
    assert!(first.starts_with("# 3. -Bar-\n"), "{first}");
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing_and_json_says_what_was_written() {
    let t = data_copy();
    let before = files(t.path());
    let out = stdout_of(adrgraph(t.path()).args([
        "--root",
        ".",
        "-q",
        "new",
        "--folder",
        "infrastructure",
        "--dry-run",
        "Use",
        "NATS",
    ]));
    assert!(
        out.starts_with(
            "--- /dev/null\n+++ infrastructure/0009-use-nats.md\n@@ -0,0 +1,19 @@\n+# 9. Use NATS\n"
        ),
        "{out}"
    );
    assert_eq!(files(t.path()), before, "--dry-run writes nothing");
    let out = stdout_of(
        adrgraph(t.path())
            .args(["--root", ".", "-q", "--json", "new", "--folder", "platform", "Use", "NATS"]),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["written"], true);
    assert_eq!(v["number"], 11);
    assert_eq!(v["dialect"], "seed");
    assert_eq!(v["template"], "builtin:seed");
    let path = PathBuf::from(v["path"].as_str().unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), v["text"].as_str().unwrap());
}

#[test]
fn new_refuses_what_it_cannot_write_safely() {
    let t = data_copy();
    // Several roots and no --folder: the error lists them.
    let out = adrgraph(t.path()).args(["--root", "platform", "--root", "web", "new", "X"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--folder") && err.contains("platform") && err.contains("web"), "{err}");
    // A dated file that exists already is never written over.
    let again = || {
        adrgraph(t.path())
            .args(["--root", ".", "-q", "new", "--folder", "web", "--date", "2026-01-02", "Same", "title"])
            .output()
            .unwrap()
    };
    assert!(again().status.success());
    let second = again();
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("exists already"));
    // A folder that is a symbolic link is not written through.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(t.path().join("platform"), t.path().join("linked")).unwrap();
        let out = adrgraph(t.path())
            .args(["--root", ".", "-q", "new", "--folder", "linked", "X"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    }
    // A title no record can carry on its first line.
    let out =
        adrgraph(t.path()).args(["--root", ".", "new", "--folder", "web", "a\u{1b}[2Jb"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn eight_concurrent_new_take_eight_distinct_numbers() {
    let t = data_copy();
    let bin = assert_cmd::cargo::cargo_bin("adrgraph");
    let children: Vec<std::process::Child> = (0..8)
        .map(|i| {
            std::process::Command::new(&bin)
                .current_dir(t.path())
                .env("XDG_CACHE_HOME", crate::util::test_cache())
                .args(["--root", ".", "-q", "new", "--folder", "infrastructure", &format!("Parallel {i}")])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut numbers = std::collections::BTreeSet::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success());
        let path = String::from_utf8(out.stdout).unwrap();
        let name = path.trim().rsplit('/').next().unwrap().to_string();
        numbers.insert(name[..4].to_string());
    }
    let want: std::collections::BTreeSet<String> = (9..=16).map(|n| format!("{n:04}")).collect();
    assert_eq!(numbers, want);
}

#[test]
fn eight_concurrent_links_to_one_record_all_land_on_both_sides() {
    let t = tempfile::tempdir().unwrap();
    let adr = t.path().join("adr");
    std::fs::create_dir_all(&adr).unwrap();
    for n in 1..=9 {
        std::fs::write(
            adr.join(format!("{n:04}-r{n}.md")),
            format!("# {n}. R{n}\n\nDate: 2024-01-0{n}\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n"),
        )
        .unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("adrgraph");
    let store = tempfile::tempdir().unwrap();
    let children: Vec<std::process::Child> = (2..=9)
        .map(|k| {
            std::process::Command::new(&bin)
                .current_dir(t.path())
                .args(["--root", "adr", "-q", "--store"])
                .arg(store.path())
                .args(["link", &k.to_string(), "Amends", "1", "Amended by"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let one = std::fs::read_to_string(adr.join("0001-r1.md")).unwrap();
    for k in 2..=9 {
        assert!(
            one.contains(&format!("Amended by [{k}. R{k}](000{k}-r{k}.md)")),
            "record 1 lost {k}:\n{one}"
        );
        let other = std::fs::read_to_string(adr.join(format!("000{k}-r{k}.md"))).unwrap();
        assert!(other.contains("Amends [1. R1](0001-r1.md)"), "{other}");
    }
}

#[test]
fn init_makes_the_folder_and_a_first_record_in_each_dialect_and_refuses_a_used_folder() {
    for (dialect, file, read_as, folder) in [
        ("seed", "ADR-001-record-architecture-decisions.md", "seed", "doc/adr"),
        ("nygard", "0001-record-architecture-decisions.md", "nygard", "doc/adr"),
        ("madr", "0001-record-architecture-decisions.md", "madr_front_matter", "docs/decisions"),
        ("madr2", "0001-record-architecture-decisions.md", "madr2", "docs/adr"),
        ("log4brains", "-record-architecture-decisions.md", "log4brains", "docs/adr"),
    ] {
        let t = tempfile::tempdir().unwrap();
        let out = stdout_of(adrgraph(t.path()).args(["-q", "init", "--dialect", dialect]));
        assert!(
            out.starts_with(&format!("{folder}/")) && out.trim_end().ends_with(file),
            "{dialect}: the dialect's own folder: {out}"
        );
        let all = files(t.path());
        assert_eq!(all.len(), 1, "init writes one file and nothing else: {all:?}");
        let path = out.trim_end();
        let a = record(t.path(), path);
        assert_eq!(a["dialect"], read_as, "{dialect}");
        assert_eq!(a["title"], "Record architecture decisions", "{dialect}");
        assert_eq!(a["status"], "accepted", "{dialect}");
        // Lint finds nothing to say about the record init wrote.
        let lint = adrgraph(t.path()).args(["--root", folder, "-q", "lint"]).output().unwrap();
        assert!(lint.status.success(), "{dialect}: {}", String::from_utf8_lossy(&lint.stdout));
        let again = adrgraph(t.path()).args(["init", "--dialect", dialect]).output().unwrap();
        assert_eq!(again.status.code(), Some(2), "{dialect}: init refuses a folder with decisions");
    }
}

#[test]
fn init_makes_the_folder_root_names_and_new_finds_it() {
    let t = tempfile::tempdir().unwrap();
    let out = stdout_of(adrgraph(t.path()).args([
        "-q",
        "--root",
        "architecture/records",
        "init",
        "--dialect",
        "madr",
    ]));
    assert_eq!(out.trim_end(), "architecture/records/0001-record-architecture-decisions.md");
    let next =
        stdout_of(adrgraph(t.path()).args(["-q", "--root", "architecture/records", "new", "Use", "Kafka"]));
    assert_eq!(next.trim_end(), "architecture/records/0002-use-kafka.md");
    let several = adrgraph(t.path()).args(["--root", "a", "--root", "b", "init"]).output().unwrap();
    assert_eq!(several.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&several.stderr).contains("name the folder"));
}

#[test]
fn adr_tools_reads_what_adrgraph_wrote_as_it_reads_its_own() {
    if !adr_tools_present() {
        return;
    }
    let ours = tempfile::tempdir().unwrap();
    let theirs = tempfile::tempdir().unwrap();
    let adr_in = |dir: &Path, args: &[&str]| adr_tools(dir, args).expect("adr-tools is present");
    adr_in(theirs.path(), &["init"]);
    adr_in(theirs.path(), &["new", "Use", "Kafka"]);
    adr_in(theirs.path(), &["new", "Something", "About", "Node.JS"]);
    stdout_of(adrgraph(ours.path()).args(["-q", "init", "--dialect", "nygard"]));
    for title in [&["Use", "Kafka"][..], &["Something", "About", "Node.JS"]] {
        stdout_of(
            adrgraph(ours.path())
                .args(["--root", "doc/adr", "-q", "new", "--date", "1992-01-12"])
                .args(title),
        );
    }
    // Same names, and adr-tools lists and indexes both trees alike.
    let names = |d: &Path| files(&d.join("doc/adr")).into_keys().collect::<Vec<_>>();
    assert_eq!(names(ours.path()), names(theirs.path()));
    assert_eq!(adr_in(ours.path(), &["list"]), adr_in(theirs.path(), &["list"]));
    assert_eq!(adr_in(ours.path(), &["generate", "toc"]), adr_in(theirs.path(), &["generate", "toc"]));
    // The new records are the ones adr-tools writes, but for the date line of the first.
    let (a, b) = (files(&ours.path().join("doc/adr")), files(&theirs.path().join("doc/adr")));
    for name in ["0002-use-kafka.md", "0003-something-about-node-js.md"] {
        assert_eq!(
            String::from_utf8_lossy(&a[Path::new(name)]),
            String::from_utf8_lossy(&b[Path::new(name)]),
            "{name}"
        );
    }
}

/// The lines of a text file.
fn text_lines(b: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(b).lines().map(str::to_string).collect()
}

/// `before` and `after` differ in exactly `replaced` lines replaced one for one, or only by
/// lines added (`replaced` = 0), every other line kept in order.
fn differs_only(before: &[u8], after: &[u8], replaced: usize) -> Vec<String> {
    let (b, a) = (text_lines(before), text_lines(after));
    if replaced > 0 {
        assert_eq!(a.len(), b.len(), "lines replaced one for one");
        let changed: Vec<String> = b.iter().zip(&a).filter(|(x, y)| x != y).map(|(_, y)| y.clone()).collect();
        assert_eq!(changed.len(), replaced, "{changed:?}");
        return changed;
    }
    let mut it = a.iter();
    for line in &b {
        assert!(it.any(|l| l == line), "line kept in order: {line}");
    }
    let added: Vec<String> = a.iter().filter(|l| !b.contains(l) || l.is_empty()).cloned().collect();
    added.into_iter().filter(|l| !l.is_empty() && !b.contains(l)).collect()
}

/// The first accepted decision of `folder` in the copy at `root`, and the path of a new one.
fn old_and_new(root: &Path, folder: &str) -> (String, String) {
    let out = stdout_of(adrgraph(root).args(["--root", ".", "-q", "--json", "list", "--status", "accepted"]));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let old = rows
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .find(|p| p.rsplit_once('/').map(|(f, _)| f) == Some(folder))
        .unwrap_or_else(|| panic!("an accepted decision in {folder}"));
    let new =
        stdout_of(adrgraph(root).args([
            "--root", ".", "-q", "new", "--folder", folder, "--status", "Accepted", "A", "newer", "way",
        ]));
    (old, new.trim().to_string())
}

const FOLDERS: [&str; 5] = ["infrastructure", "platform", "services/billing", "data-platform", "web"];

#[test]
fn supersede_writes_both_sides_in_each_dialect_and_changes_nothing_else() {
    for folder in FOLDERS {
        let t = data_copy();
        let (old, new) = old_and_new(t.path(), folder);
        let before = files(t.path());
        let dry =
            stdout_of(adrgraph(t.path()).args(["--root", ".", "-q", "supersede", &old, &new, "--dry-run"]));
        assert!(dry.contains(&format!("--- {old}")) && dry.contains(&format!("+++ {new}")), "{dry}");
        assert_eq!(files(t.path()), before, "--dry-run writes nothing");
        let out = stdout_of(adrgraph(t.path()).args(["--root", ".", "-q", "supersede", &old, &new]));
        assert_eq!(out, format!("{old}\n{new}\n"));
        let after = files(t.path());
        let changed: Vec<&PathBuf> = after.keys().filter(|p| before.get(*p) != after.get(*p)).collect();
        assert_eq!(changed.len(), 2, "{folder}: {changed:?}");
        let status = differs_only(&before[Path::new(&old)], &after[Path::new(&old)], 1);
        assert!(status[0].to_lowercase().contains("superseded by ["), "{folder}: {status:?}");
        let added = differs_only(&before[Path::new(&new)], &after[Path::new(&new)], 0);
        assert!(added.iter().any(|l| l.contains("Supersedes [")), "{folder}: {added:?}");
        assert!(added.iter().all(|l| l.contains("Supersedes [") || l == "## Links"), "{folder}: {added:?}");
        // Read back: the old one is superseded, the new one in force, and lint is content.
        assert_eq!(record(t.path(), &old)["status"], "superseded", "{folder}");
        let chain: serde_json::Value = serde_json::from_str(&stdout_of(
            adrgraph(t.path()).args(["--root", ".", "-q", "--json", "chain", &old]),
        ))
        .unwrap();
        let new_id = record(t.path(), &new)["id"].clone();
        assert_eq!(chain["in_force"], serde_json::json!([new_id]), "{folder}: {chain}");
        let lint = stdout_of(
            adrgraph(t.path())
                .args(["--root", ".", "-q", "--json", "lint", "-f", "json"])
                .env("NO_COLOR", "1"),
        );
        assert!(!lint.contains("supersession-one-sided"), "{folder}: both sides are written");
        // Again: refused, and nothing changes.
        let again = adrgraph(t.path()).args(["--root", ".", "-q", "supersede", &old, &new]).output().unwrap();
        assert_eq!(again.status.code(), Some(2));
        assert_eq!(files(t.path()), after);
    }
}

#[test]
fn link_and_status_change_only_their_lines_in_each_dialect() {
    for folder in FOLDERS {
        let t = data_copy();
        let (old, new) = old_and_new(t.path(), folder);
        let before = files(t.path());
        stdout_of(adrgraph(t.path()).args(["--root", ".", "-q", "link", &new, "Amends", &old, "Amended by"]));
        let after = files(t.path());
        let added = differs_only(&before[Path::new(&new)], &after[Path::new(&new)], 0);
        assert!(added.iter().any(|l| l.contains("Amends [")), "{folder}: {added:?}");
        let added = differs_only(&before[Path::new(&old)], &after[Path::new(&old)], 0);
        assert!(added.iter().any(|l| l.contains("Amended by [")), "{folder}: {added:?}");
        let deps: serde_json::Value = serde_json::from_str(&stdout_of(
            adrgraph(t.path()).args(["--root", ".", "-q", "--json", "deps", &new, "--depth", "1"]),
        ))
        .unwrap();
        let old_id = record(t.path(), &old)["id"].clone();
        assert!(deps["reached"].as_array().unwrap().iter().any(|r| r["id"] == old_id), "{folder}: {deps}");
        let before = files(t.path());
        stdout_of(adrgraph(t.path()).args(["--root", ".", "-q", "status", &old, "Deprecated"]));
        let after = files(t.path());
        differs_only(&before[Path::new(&old)], &after[Path::new(&old)], 1);
        assert_eq!(after.iter().filter(|(p, b)| before.get(*p) != Some(b)).count(), 1);
        assert_eq!(record(t.path(), &old)["status"], "deprecated", "{folder}");
    }
}

#[test]
fn superseding_as_adr_tools_does_in_an_adr_tools_folder() {
    if !adr_tools_present() {
        return;
    }
    let adr_in = |dir: &Path, args: &[&str]| adr_tools(dir, args).expect("adr-tools is present");
    // adr-tools' supercede-existing-adr and supercede-multiple-adrs scenarios.
    let theirs = tempfile::tempdir().unwrap();
    adr_in(theirs.path(), &["new", "First", "Record"]);
    adr_in(theirs.path(), &["new", "Second", "Record"]);
    adr_in(theirs.path(), &["new", "-s", "1", "-s", "2", "Third", "Record"]);
    let ours = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(ours.path().join("doc/adr")).unwrap();
    let new = |args: &[&str]| {
        stdout_of(
            adrgraph(ours.path())
                .args(["--root", "doc/adr", "-q", "new", "--dialect", "nygard", "--date", "1992-01-12"])
                .args(args),
        )
    };
    new(&["First", "Record"]);
    new(&["Second", "Record"]);
    new(&["--supersedes", "1", "--supersedes", "2", "Third", "Record"]);
    let (a, b) = (files(&ours.path().join("doc/adr")), files(&theirs.path().join("doc/adr")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, theirs) in &b {
        // adr-tools spells it "Superceded" in a fresh tree; adrgraph spells it right there and
        // keeps adr-tools' spelling in a tree that uses it (below).
        let theirs = String::from_utf8_lossy(theirs).replace("Superced", "Supersed");
        assert_eq!(String::from_utf8_lossy(&a[name]), theirs, "{}", name.display());
    }
    assert_eq!(
        adr_in(ours.path(), &["generate", "graph"]).replace("Superced", "Supersed"),
        adr_in(theirs.path(), &["generate", "graph"]).replace("Superced", "Supersed")
    );
    // In the tree adr-tools made, adrgraph writes adr-tools' own spelling.
    stdout_of(adrgraph(theirs.path()).args([
        "--root",
        "doc/adr",
        "-q",
        "new",
        "--date",
        "1992-01-12",
        "Fourth",
        "Record",
    ]));
    stdout_of(adrgraph(theirs.path()).args(["--root", "doc/adr", "-q", "supersede", "3", "4"]));
    let third = std::fs::read_to_string(theirs.path().join("doc/adr/0003-third-record.md")).unwrap();
    assert!(third.contains("\n\nSuperceded by [4. Fourth Record](0004-fourth-record.md)\n"), "{third}");
    let fourth = std::fs::read_to_string(theirs.path().join("doc/adr/0004-fourth-record.md")).unwrap();
    assert!(
        fourth.contains("\n\nSupercedes [3. Third Record](0003-third-record.md)\n\n## Context"),
        "{fourth}"
    );
}

/// Whether `../shared/tools/adr-tools` is there; in CI its absence fails the test.
fn adr_tools_present() -> bool {
    let adr = manifest_dir().join("../shared/tools/adr-tools/src/adr");
    assert!(adr.exists() || std::env::var_os("CI").is_none(), "{} is missing", adr.display());
    adr.exists()
}

/// adr-tools run in `dir` with a fixed date and no editor; its stdout (`None` without it).
fn adr_tools(dir: &Path, args: &[&str]) -> Option<String> {
    if !adr_tools_present() {
        return None;
    }
    let adr = manifest_dir().join("../shared/tools/adr-tools/src/adr");
    let out = std::process::Command::new("bash")
        .arg(&adr)
        .args(args)
        .current_dir(dir)
        .env("ADR_DATE", "1992-01-12")
        .env("EDITOR", "true")
        .env_remove("VISUAL")
        .output()
        .unwrap();
    assert!(out.status.success(), "adr {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap())
}

/// adrgraph run in `dir` on `doc/adr` (made if missing), dated as the adr-tools scenarios are.
fn ours(dir: &Path, args: &[&str]) -> String {
    std::fs::create_dir_all(dir.join("doc/adr")).unwrap();
    stdout_of(adrgraph(dir).args(["--root", "doc/adr", "-q"]).args(args))
}

fn new_nygard(dir: &Path, title: &[&str]) -> String {
    ours(dir, &[&["new", "--dialect", "nygard", "--date", "1992-01-12"][..], title].concat())
}

#[test]
fn adr_tools_linking_scenarios_give_adr_tools_files() {
    // linking.sh: `adr link 3 Amends 1 "Amended by"`, `adr link 3 Clarifies 2 "Clarified by"`.
    let (theirs, mine) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for t in ["First", "Second", "Third"] {
        if adr_tools(theirs.path(), &["new", t, "Record"]).is_none() {
            return;
        }
        new_nygard(mine.path(), &[t, "Record"]);
    }
    adr_tools(theirs.path(), &["link", "3", "Amends", "1", "Amended by"]);
    adr_tools(theirs.path(), &["link", "3", "Clarifies", "2", "Clarified by"]);
    ours(mine.path(), &["link", "3", "Amends", "1", "Amended by"]);
    ours(mine.path(), &["link", "3", "Clarifies", "2", "Clarified by"]);
    assert_eq!(files(&mine.path().join("doc/adr")), files(&theirs.path().join("doc/adr")));
    // linking-new-records.sh: the same links given to `new`.
    let (theirs, mine) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for t in ["First", "Second"] {
        adr_tools(theirs.path(), &["new", t, "Record"]);
        new_nygard(mine.path(), &[t, "Record"]);
    }
    adr_tools(
        theirs.path(),
        &["new", "-l", "1:Amends:Amended by", "-l", "2:Clarifies:Clarified by", "Third", "Record"],
    );
    ours(
        mine.path(),
        &[
            "new",
            "--date",
            "1992-01-12",
            "--amends",
            "1",
            "--link",
            "Clarifies:2:Clarified by",
            "Third",
            "Record",
        ],
    );
    assert_eq!(files(&mine.path().join("doc/adr")), files(&theirs.path().join("doc/adr")));
}

#[test]
fn adr_tools_template_and_contents_scenarios() {
    // project-specific-template.sh: a folder's templates/template.md is the one filled.
    let (theirs, mine) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let template = "# TITLE\n\nProject specific template!\n\n# Status\n\nSTATUS\n\n# Info\n\nADR Number: NUMBER\n\nDate: DATE\n\n";
    if adr_tools(theirs.path(), &["init", "adrs"]).is_none() {
        return;
    }
    std::fs::create_dir_all(theirs.path().join("adrs/templates")).unwrap();
    std::fs::write(theirs.path().join("adrs/templates/template.md"), template).unwrap();
    adr_tools(theirs.path(), &["new", "Aaa", "Bbb"]);
    std::fs::create_dir_all(mine.path().join("adrs/templates")).unwrap();
    std::fs::write(
        mine.path().join("adrs/0001-first.md"),
        "# 1. First\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n",
    )
    .unwrap();
    std::fs::write(mine.path().join("adrs/templates/template.md"), template).unwrap();
    let path = stdout_of(adrgraph(mine.path()).args([
        "--root",
        "adrs",
        "-q",
        "new",
        "--date",
        "1992-01-12",
        "Aaa",
        "Bbb",
    ]));
    assert_eq!(path, "adrs/0002-aaa-bbb.md\n");
    assert_eq!(
        std::fs::read_to_string(mine.path().join("adrs/0002-aaa-bbb.md")).unwrap(),
        std::fs::read_to_string(theirs.path().join("adrs/0002-aaa-bbb.md")).unwrap()
    );
    // generate-contents*.sh: `adr generate toc`, with a link prefix, an intro and an outro.
    let (theirs, mine) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for t in ["First", "Second", "Third"] {
        adr_tools(theirs.path(), &["new", t, "Decision"]);
        new_nygard(mine.path(), &[t, "Decision"]);
    }
    assert_eq!(ours(mine.path(), &["toc"]), adr_tools(theirs.path(), &["generate", "toc"]).unwrap());
    assert_eq!(
        ours(mine.path(), &["toc", "-p", "foo/doc/adr/"]),
        adr_tools(theirs.path(), &["generate", "toc", "-p", "foo/doc/adr/"]).unwrap()
    );
    for d in [theirs.path(), mine.path()] {
        std::fs::write(d.join("intro.md"), "An intro.\n\nMultiple paragraphs.\n").unwrap();
        std::fs::write(d.join("outro.md"), "An outro.\n").unwrap();
    }
    assert_eq!(
        ours(mine.path(), &["toc", "-i", "intro.md", "--outro", "outro.md"]),
        adr_tools(theirs.path(), &["generate", "toc", "-i", "intro.md", "-o", "outro.md"]).unwrap()
    );
    // -o writes the table into a file, and the file is not read as a decision.
    ours(mine.path(), &["toc", "-o", "doc/adr/README.md"]);
    assert!(std::fs::read_to_string(mine.path().join("doc/adr/README.md"))
        .unwrap()
        .starts_with("# Architecture Decision Records\n"));
    let listed = ours(mine.path(), &["--json", "list"]);
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&listed).unwrap().len(), 3);
}

#[test]
fn a_project_dialect_is_used_where_the_folder_has_no_record_to_learn_from() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("adrgraph.toml"), "[new]\ndialect = \"madr2\"\n").unwrap();
    let path = ours(t.path(), &["new", "Use", "Kafka"]);
    assert_eq!(path, "doc/adr/0001-use-kafka.md\n");
    assert_eq!(record(t.path(), "doc/adr/0001-use-kafka.md")["dialect"], "madr2");
    // A folder's own records still decide.
    let path = ours(t.path(), &["new", "--dialect", "nygard", "Use", "NATS"]);
    assert_eq!(record(t.path(), path.trim())["dialect"], "nygard");
    let path = ours(t.path(), &["new", "Use", "Redis"]);
    // One record each: a tie goes to the dialect listed first (seed, nygard, madr2, ...).
    assert_eq!(record(t.path(), path.trim())["dialect"], "nygard");
    let path = ours(t.path(), &["new", "Use", "Postgres"]);
    assert_eq!(record(t.path(), path.trim())["dialect"], "nygard", "now the most common");
    std::fs::write(t.path().join("adrgraph.toml"), "[new]\ndialect = \"klingon\"\n").unwrap();
    let out = adrgraph(t.path()).args(["--root", "doc/adr", "new", "X"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[new] dialect"));
}

#[test]
fn renumber_moves_a_colliding_record_and_every_link_to_it() {
    let t = data_copy();
    let infra = t.path().join("infrastructure");
    // A second record numbered 4, as a parallel branch makes one, and links to it.
    let twin = std::fs::read_to_string(infra.join("0004-run-services-on-nomad.md")).unwrap().replacen(
        "# 4. Run services on Nomad",
        "# 4. Run services on k3s",
        1,
    );
    assert!(twin.starts_with("# 4. Run services on k3s\n"), "{twin}");
    std::fs::write(infra.join("0004-run-services-on-k3s.md"), twin).unwrap();
    let vault = infra.join("0005-use-vault-for-secrets.md");
    let mut text = std::fs::read_to_string(&vault).unwrap();
    text.push_str("\nSee [4. Run services on k3s](0004-run-services-on-k3s.md).\n");
    std::fs::write(&vault, text).unwrap();
    let lint = |t: &Path| {
        String::from_utf8(
            adrgraph(t).args(["--root", ".", "-q", "lint", "-f", "json"]).output().unwrap().stdout,
        )
        .unwrap()
    };
    assert!(lint(t.path()).contains("duplicate-number"));
    let before = files(t.path());
    let dry = stdout_of(adrgraph(t.path()).args([
        "--root",
        ".",
        "-q",
        "new",
        "--renumber",
        "infrastructure/0004-run-services-on-k3s.md",
        "--dry-run",
    ]));
    assert!(dry.starts_with("rename infrastructure/0004-run-services-on-k3s.md -> infrastructure/0009-run-services-on-k3s.md\n"), "{dry}");
    assert_eq!(files(t.path()), before);
    let out = stdout_of(adrgraph(t.path()).args([
        "--root",
        ".",
        "-q",
        "renumber",
        "infrastructure/0004-run-services-on-k3s.md",
    ]));
    assert_eq!(out, "infrastructure/0009-run-services-on-k3s.md\n");
    let after = files(t.path());
    assert!(!after.contains_key(Path::new("infrastructure/0004-run-services-on-k3s.md")));
    let moved =
        String::from_utf8(after[Path::new("infrastructure/0009-run-services-on-k3s.md")].clone()).unwrap();
    assert!(moved.starts_with("# 9. Run services on k3s\n"));
    let vault =
        String::from_utf8(after[Path::new("infrastructure/0005-use-vault-for-secrets.md")].clone()).unwrap();
    assert!(vault.ends_with("\nSee [9. Run services on k3s](0009-run-services-on-k3s.md).\n"), "{vault}");
    assert!(!lint(t.path()).contains("duplicate-number"));
    assert_eq!(record(t.path(), "infrastructure/9")["title"], "Run services on k3s");
}

#[test]
fn new_needs_a_title_and_opens_the_editor_only_when_asked() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join("doc/adr")).unwrap();
    let out = adrgraph(t.path()).args(["--root", "doc/adr", "new"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no title: a usage error");
    assert!(files(t.path()).is_empty());
    let editor = t.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\necho \"edited $1\" >> \"$(dirname \"$0\")/edits.log\"\n").unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    // Without --edit nothing is opened, whatever $EDITOR says.
    stdout_of(
        adrgraph(t.path())
            .args(["--root", "doc/adr", "-q", "new", "A"])
            .env("EDITOR", &editor)
            .env_remove("VISUAL"),
    );
    assert!(!t.path().join("edits.log").exists());
    let path = stdout_of(
        adrgraph(t.path()).args(["--root", "doc/adr", "-q", "new", "--edit", "B"]).env("VISUAL", &editor),
    );
    let log = std::fs::read_to_string(t.path().join("edits.log")).unwrap();
    assert!(log.starts_with("edited ") && log.trim_end().ends_with(path.trim()), "the new file, once: {log}");
    assert_eq!(log.lines().count(), 1);
}

#[test]
fn status_appends_to_the_changelog_a_record_keeps() {
    let t = tempfile::tempdir().unwrap();
    std::fs::copy(
        manifest_dir().join("tests/fixtures/dialects/0040-changelog.md"),
        t.path().join("0040-changelog.md"),
    )
    .unwrap();
    let before = std::fs::read(t.path().join("0040-changelog.md")).unwrap();
    stdout_of(adrgraph(t.path()).args([
        "--root",
        ".",
        "-q",
        "status",
        "40",
        "--date",
        "2024-02-01",
        "Deprecated",
    ]));
    let after = std::fs::read(t.path().join("0040-changelog.md")).unwrap();
    // One line replaced (the status), one added (the history).
    let (b, a) = (text_lines(&before), text_lines(&after));
    assert_eq!(a.len(), b.len() + 1);
    assert_eq!(a[6], "- 2024-02-01: Deprecated");
    let v = record(t.path(), "0040-changelog.md");
    assert_eq!(v["status"], "deprecated");
    let history: Vec<&str> =
        v["status_history"].as_array().unwrap().iter().map(|h| h["raw"].as_str().unwrap()).collect();
    assert!(history.contains(&"2024-02-01: Deprecated"), "{history:?}");
    // A record without a changelog gets none.
    let t = data_copy();
    let before = files(t.path());
    stdout_of(adrgraph(t.path()).args(["--root", ".", "-q", "status", "infrastructure/3", "Deprecated"]));
    let after = files(t.path());
    let p = Path::new("infrastructure/0003-manage-infrastructure-with-terraform.md");
    differs_only(&before[p], &after[p], 1);
    // A superseded record's status is its link to the successor, in every dialect (a status
    // section's `Superseded by` line, a MADR bullet, a bold label): another status would drop the
    // supersession its successor states. Refused before anything is written, naming both.
    for (id, successor) in [
        ("infrastructure/2", "4. Run services on Nomad"),
        ("billing/4", "ADR-0005"),
        ("platform/3", "ADR-007"),
    ] {
        let out =
            adrgraph(t.path()).args(["--root", ".", "-q", "status", id, "Deprecated"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{id}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is superseded by") && err.contains(successor), "{id}: {err}");
        assert_eq!(files(t.path()), after, "{id}: nothing written");
    }
}

#[test]
fn supersede_in_part_leaves_the_old_record_in_force_in_each_dialect() {
    for folder in FOLDERS {
        let t = data_copy();
        let (old, new) = old_and_new(t.path(), folder);
        let status_before = record(t.path(), &old)["status"].clone();
        let before = files(t.path());
        let args = ["--root", ".", "-q", "supersede", &old, &new, "--in-part", "the storage layer"];
        stdout_of(adrgraph(t.path()).args(args));
        let after = files(t.path());
        assert_eq!(after.iter().filter(|(p, b)| before.get(*p) != Some(b)).count(), 2, "{folder}");
        // Lines added on both sides, none changed: the old record's status stays as it was.
        let back = differs_only(&before[Path::new(&old)], &after[Path::new(&old)], 0);
        assert!(
            back.iter().any(|l| l.contains("Partly superseded by [") && l.ends_with(": the storage layer")),
            "{folder}: {back:?}"
        );
        let forth = differs_only(&before[Path::new(&new)], &after[Path::new(&new)], 0);
        assert!(forth.iter().any(|l| l.contains("Partly supersedes [")), "{folder}: {forth:?}");
        assert_eq!(record(t.path(), &old)["status"], status_before, "{folder}");
        let chain: serde_json::Value = serde_json::from_str(&stdout_of(
            adrgraph(t.path()).args(["--root", ".", "-q", "--json", "chain", &old]),
        ))
        .unwrap();
        let (old_id, new_id) = (record(t.path(), &old)["id"].clone(), record(t.path(), &new)["id"].clone());
        assert_eq!(chain["in_part"], serde_json::json!([old_id]), "{folder}: {chain}");
        assert!(chain["in_force"].as_array().unwrap().contains(&new_id), "{folder}: {chain}");
        let lint = adrgraph(t.path()).args(["--root", ".", "-q", "--json", "lint"]).output().unwrap();
        let lint = String::from_utf8_lossy(&lint.stdout);
        assert!(!lint.contains("supersession-one-sided"), "{folder}: both sides are written: {lint}");
    }
}

#[test]
fn superseding_a_superseded_record_with_force_keeps_its_first_successor() {
    let t = data_copy();
    let old = "infrastructure/0002-run-services-with-docker-compose.md";
    let new = stdout_of(adrgraph(t.path()).args([
        "--root",
        ".",
        "-q",
        "new",
        "--folder",
        "infrastructure",
        "Run services on Kubernetes",
    ]));
    let new = new.trim();
    let refused = adrgraph(t.path()).args(["--root", ".", "-q", "supersede", old, new]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("superseded already by 0004"));
    let before = files(t.path());
    stdout_of(adrgraph(t.path()).args(["--root", ".", "-q", "supersede", old, new, "--force"]));
    let after = files(t.path());
    // A second `Superseded by` line beside the first, as adr-tools adds it; the first stays, so
    // 0004's `Supersedes` line is not contradicted.
    let added = differs_only(&before[Path::new(old)], &after[Path::new(old)], 0);
    assert!(added.iter().any(|l| l.starts_with("Superseded by [") && l.contains("Kubernetes")), "{added:?}");
    let text = String::from_utf8_lossy(&after[Path::new(old)]).into_owned();
    assert!(text.contains("Superseded by [4. Run services on Nomad]"), "{text}");
    let lint = adrgraph(t.path()).args(["--root", ".", "-q", "--json", "lint"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&lint.stdout).contains("conflicting-successor"));
}

#[test]
fn an_operation_that_would_give_the_tree_an_error_is_put_back() {
    let t = data_copy();
    // This project holds relying on a superseded decision to be an error.
    std::fs::write(t.path().join("adrgraph.toml"), "[lint.rules]\nrests-on-superseded = \"error\"\n")
        .unwrap();
    let store = t.path().join("store");
    let run = |args: &[&str]| {
        adrgraph(t.path()).args(["--root", ".", "-q", "--store"]).arg(&store).args(args).output().unwrap()
    };
    assert!(run(&["list"]).status.success());
    let before = files(t.path());
    // Accepted 0003 would depend on superseded 0002: one rests-on-superseded error more.
    let out = run(&["link", "infrastructure/3", "Depends on", "infrastructure/2"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("would gain an error") && err.contains("rests-on-superseded"), "{err}");
    assert!(err.contains("put back as they were"), "{err}");
    let after = files(t.path());
    let ours = |m: &BTreeMap<PathBuf, Vec<u8>>| {
        m.iter()
            .filter(|(p, _)| !p.starts_with("store"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ours(&after), ours(&before), "every file as it was");
    // Without the rule raised, the same link lands, and the next question sees it at once.
    std::fs::remove_file(t.path().join("adrgraph.toml")).unwrap();
    assert!(run(&["link", "infrastructure/3", "Depends on", "infrastructure/2"]).status.success());
    let deps = run(&["--json", "deps", "infrastructure/3", "--depth", "1"]);
    let deps = String::from_utf8_lossy(&deps.stdout);
    assert!(deps.contains("0002-run-services-with-docker-compose"), "{deps}");
}

#[test]
fn adr_tools_folder_scenarios_init_search_and_alternative_folders() {
    if !adr_tools_present() {
        return;
    }
    let run = |dir: &Path, args: &[&str]| {
        stdout_of(adrgraph(dir).args(["-q"]).args(args).env_remove("EDITOR").env_remove("VISUAL"))
    };
    let dated = ["--dialect", "nygard", "--date", "1992-01-12"];
    // init-adr-repository.sh: `adr init` gives doc/adr and its first record, byte for byte.
    let (theirs, mine) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    adr_tools(theirs.path(), &["init"]);
    let out = stdout_of(adrgraph(mine.path()).args(["-q", "init", "--dialect", "nygard"]).env("TZ", "UTC"));
    assert_eq!(out, "doc/adr/0001-record-architecture-decisions.md\n");
    let ours =
        std::fs::read_to_string(mine.path().join("doc/adr/0001-record-architecture-decisions.md")).unwrap();
    let theirs_text =
        std::fs::read_to_string(theirs.path().join("doc/adr/0001-record-architecture-decisions.md")).unwrap();
    let undated = |s: &str| s.lines().filter(|l| !l.starts_with("Date: ")).collect::<Vec<_>>().join("\n");
    assert_eq!(undated(&ours), undated(&theirs_text));
    // search-for-adr-dir.sh, create-first-record.sh, list-records.sh: `new` with no folder
    // anywhere makes doc/adr (as `adr new` does), and from a subfolder finds it in a parent,
    // printing the path from there.
    let (theirs, mine) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    adr_tools(theirs.path(), &["new", "First", "Record"]);
    let first = run(mine.path(), &[&["new"][..], &dated, &["First", "Record"]].concat());
    assert_eq!(first, "doc/adr/0001-first-record.md\n");
    for dir in [theirs.path(), mine.path()] {
        std::fs::create_dir_all(dir.join("subdir")).unwrap();
    }
    adr_tools(&theirs.path().join("subdir"), &["new", "Second", "Record"]);
    let second = run(&mine.path().join("subdir"), &[&["new"][..], &dated, &["Second", "Record"]].concat());
    assert_eq!(second, "../doc/adr/0002-second-record.md\n");
    assert_eq!(files(&mine.path().join("doc/adr")), files(&theirs.path().join("doc/adr")));
    assert_eq!(
        adr_tools(&mine.path().join("subdir"), &["list"]).unwrap(),
        "../doc/adr/0001-first-record.md\n../doc/adr/0002-second-record.md\n"
    );
    // alternative-adr-directory.sh, search-for-custom-adr-dir.sh: a folder adr-tools was told
    // to use (its `.adr-dir`) is where adrgraph writes, from the top and from a subfolder.
    let (theirs, mine) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [theirs.path(), mine.path()] {
        adr_tools(dir, &["init", "architecture-log"]);
        std::fs::create_dir_all(dir.join("subdir")).unwrap();
    }
    adr_tools(theirs.path(), &["new", "First", "Record"]);
    adr_tools(&theirs.path().join("subdir"), &["new", "Second", "Record"]);
    let first = run(mine.path(), &[&["new"][..], &dated, &["First", "Record"]].concat());
    assert_eq!(first, "architecture-log/0002-first-record.md\n");
    let second = run(&mine.path().join("subdir"), &[&["new"][..], &dated, &["Second", "Record"]].concat());
    assert_eq!(second, "../architecture-log/0003-second-record.md\n");
    assert_eq!(files(&mine.path().join("architecture-log")), files(&theirs.path().join("architecture-log")));
    assert_eq!(
        adr_tools(&mine.path().join("subdir"), &["list"]).unwrap(),
        adr_tools(&theirs.path().join("subdir"), &["list"]).unwrap()
    );
    // A --dry-run where no folder exists yet writes nothing, not even the folder.
    let empty = tempfile::tempdir().unwrap();
    let dry = run(empty.path(), &["new", "--dry-run", "Anything"]);
    assert!(dry.contains("+++ doc/adr/ADR-001-anything.md"), "the seed template, numbered 1: {dry}");
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

#[test]
fn links_between_roots_spelt_differently_resolve() {
    let t = data_copy();
    let infra = t.path().join("infrastructure").canonicalize().unwrap();
    let infra = infra.to_str().unwrap();
    let roots = ["--root", infra, "--root", "platform", "-q"];
    stdout_of(adrgraph(t.path()).args(roots).args([
        "link",
        "infrastructure/0003-manage-infrastructure-with-terraform.md",
        "Relates to",
        "platform/ADR-003-json-event-payloads.md",
    ]));
    let text =
        std::fs::read_to_string(t.path().join("infrastructure/0003-manage-infrastructure-with-terraform.md"))
            .unwrap();
    assert!(text.contains("](../platform/ADR-003-json-event-payloads.md)"), "{text}");
    let lint = adrgraph(t.path()).args(roots).args(["--json", "lint"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&lint.stdout).contains("broken-link"));
}

/// `status` changes a status where a table states it, and adds a dated line to a status kept
/// as dated lines (its history stays whole).
#[test]
fn status_changes_a_table_cell_and_extends_a_status_history() {
    let t = tempfile::tempdir().unwrap();
    let adr = t.path().join("adr");
    std::fs::create_dir_all(&adr).unwrap();
    let table = "# 1. Table\n\n| Status | Date | Author(s) |\n|---|---|---|\n| Accepted | 2025-10-26 | X |\n\n## Context\n\nx\n";
    let history =
        "# 2. History\n\n## Status\n\n2017-11-22 proposed\n2017-11-26 accepted\n\n## Context\n\nx\n";
    std::fs::write(adr.join("0001-table.md"), table).unwrap();
    std::fs::write(adr.join("0002-history.md"), history).unwrap();
    stdout_of(adrgraph(t.path()).args(["-q", "--root", "adr", "status", "1", "Deprecated"]));
    stdout_of(adrgraph(t.path()).args(["-q", "--root", "adr", "status", "2", "deprecated"]));
    let one = std::fs::read_to_string(adr.join("0001-table.md")).unwrap();
    assert_eq!(one, table.replace("| Accepted |", "| Deprecated |"));
    let two = std::fs::read_to_string(adr.join("0002-history.md")).unwrap();
    assert!(
        two.starts_with("# 2. History\n\n## Status\n\n2017-11-22 proposed\n2017-11-26 accepted\n20"),
        "{two}"
    );
    assert!(two.contains(" deprecated\n\n## Context"), "{two}");
    for path in ["adr/0001-table.md", "adr/0002-history.md"] {
        assert_eq!(record(t.path(), path)["status"], "deprecated", "{path}");
    }
}

/// `new` names the file as the folder's records are named, whatever the scheme: learnt from
/// the names (prefix, width, separator, ending, slug or none), not from a list of schemes.
#[test]
fn new_names_the_file_as_the_folders_records_are_named() {
    let cases: [(&str, &[&str], &str); 4] = [
        ("bare", &["adr-01.md", "adr-02.md", "adr-03.md"], "adr-04.md"),
        (
            "html",
            &["ADR001-one.html.md", "ADR002-two.html.md", "ADR003-three.html.md"],
            "ADR004-use-kafka.html.md",
        ),
        ("under", &["adr_001_one.md", "adr_002_two.md", "adr_003_three.md"], "adr_004_use-kafka.md"),
        ("cjk", &["0001-编写单元测试.md", "0002-使用数据库.md", "0003-选择框架.md"], "0004-use-kafka.md"),
    ];
    for (name, files, want) in cases {
        let t = tempfile::tempdir().unwrap();
        let adr = t.path().join("adr");
        std::fs::create_dir_all(&adr).unwrap();
        for (k, f) in files.iter().enumerate() {
            let n = k + 1;
            std::fs::write(
                adr.join(f),
                format!(
                    "# {n}. Record {n}\n\nDate: 2024-01-0{n}\n\n## Status\n\nAccepted\n\n## Context\n\nx\n"
                ),
            )
            .unwrap();
        }
        let out = stdout_of(adrgraph(t.path()).args(["-q", "--root", "adr", "new", "Use", "Kafka"]));
        assert_eq!(out.trim_end(), format!("adr/{want}"), "{name}");
        let a = record(t.path(), &format!("adr/{want}"));
        assert_eq!(a["title"], "Use Kafka", "{name}");
        assert_eq!(a["number"], 4, "{name}");
    }
}

/// Across the corpora: in every folder of five records or more, `new --dry-run` names the next
/// file in the folder's own scheme (the part before the slug shaped as most neighbours' are,
/// and their ending), and the record it would write reads back with the title given, a status
/// and a date. Prints how many folders hold, and each that does not with the reason.
#[test]
fn new_in_every_corpus_folder_is_named_and_read_as_its_neighbours() {
    let Some(corpora) = crate::util::corpora() else { return };
    let head = regex::Regex::new(r"^([A-Za-z_-]*?)(\d+)([-_.]?)").unwrap();
    let shape = |n: &str| head.captures(n).map(|c| (c[1].to_string(), c[2].len(), c[3].to_string()));
    let ending = |n: &str| n.split_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let mut repos: Vec<_> =
        std::fs::read_dir(&corpora).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    repos.sort();
    let (mut hold, mut differ) = (0, Vec::new());
    for repo in repos {
        let store = tempfile::tempdir().unwrap();
        let list = adrgraph(&repo)
            .args(["-q", "--root", "."])
            .arg("--store")
            .arg(store.path())
            .args(["--json", "list"])
            .output()
            .unwrap();
        let Ok(rows) = serde_json::from_slice::<Vec<serde_json::Value>>(&list.stdout) else { continue };
        let mut folders: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for r in &rows {
            let p = Path::new(r["path"].as_str().unwrap());
            let folder = p.parent().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            folders.entry(folder).or_default().push(p.file_name().unwrap().to_string_lossy().into_owned());
        }
        for (folder, names) in folders.into_iter().filter(|(_, n)| n.len() >= 5) {
            let where_ = format!("{}/{folder}", repo.file_name().unwrap().to_string_lossy());
            let folder = if folder.is_empty() { ".".to_string() } else { folder };
            let out = adrgraph(&repo)
                .args(["-q", "--root", "."])
                .arg("--store")
                .arg(store.path())
                .args(["--json", "new", "--dry-run", "--folder", &folder, "Use", "Kafka", "for", "events"])
                .output()
                .unwrap();
            let Ok(v) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else {
                differ.push(format!("{where_}: new failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
                continue;
            };
            let path = v["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_string_lossy().into_owned();
            let mut shapes: std::collections::BTreeMap<_, usize> = Default::default();
            for n in &names {
                *shapes.entry((shape(n), ending(n))).or_default() += 1;
            }
            let common =
                shapes.iter().max_by_key(|(k, n)| (**n, std::cmp::Reverse((*k).clone()))).unwrap().0.clone();
            let rel = Path::new(&folder).join(&name).to_string_lossy().into_owned();
            let a = adrgraph::parse::parse_adr(v["text"].as_str().unwrap(), &rel, &name).adr;
            let reads = a.title.as_deref() == Some("Use Kafka for events")
                && a.status != adrgraph::Status::Unknown
                && a.date.is_some();
            // An unpadded scheme (`A1-`, `A10-`, `A118-`) grows a digit as it counts on.
            let grown = match (shape(&name), &common.0) {
                (Some((p, w, sep)), Some((cp, cw, csep))) => {
                    p == *cp && sep == *csep && w > *cw && !name[p.len()..].starts_with('0')
                }
                _ => false,
            };
            if (shape(&name), ending(&name)) != common && !(grown && ending(&name) == common.1) {
                differ.push(format!(
                    "{where_}: named {name}, most neighbours {:?} ({:?})",
                    common,
                    &names[..3]
                ));
            } else if !reads {
                differ.push(format!(
                    "{where_}: reads back as title {:?}, status {}, date {:?}",
                    a.title, a.status, a.date
                ));
            } else if let Some(above) = numbered_below(&name, &names) {
                differ.push(format!("{where_}: numbered {name}, not after {above}"));
            } else {
                hold += 1;
            }
        }
    }
    eprintln!("new in corpus folders: {hold} hold, {} differ", differ.len());
    for d in &differ {
        eprintln!("  {d}");
    }
    assert!(hold >= 33, "only {hold} folders hold (33 did on 2026-12-06)");
    assert!(differ.len() <= 1, "{} folders differ:\n{}", differ.len(), differ.join("\n"));
}

/// The prefix and number a name starts with (`KEEP-0467-x.md` gives `("KEEP-", 467)`), not for
/// a dated name (`20240131-x.md`).
fn lead_number(name: &str) -> Option<(&str, u32)> {
    let b = name.as_bytes();
    let dashed_date = b.len() > 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-';
    if dashed_date {
        return None;
    }
    let at = name.find(|c: char| c.is_ascii_digit())?;
    let digits: String = name[at..].chars().take_while(char::is_ascii_digit).collect();
    (digits.len() <= 6).then(|| Some((&name[..at], digits.parse().ok()?))).flatten()
}

/// A neighbour with the new name's prefix and a number as high or higher, if any.
fn numbered_below<'a>(new: &str, names: &'a [String]) -> Option<&'a String> {
    let (prefix, n) = lead_number(new)?;
    names.iter().find(|m| lead_number(m).is_some_and(|(p, k)| p == prefix && k >= n))
}

#[test]
fn a_new_record_that_would_give_the_tree_an_error_is_removed_and_a_placeholder_link_is_template_text() {
    let t = data_copy();
    let folder = t.path().join("infrastructure");
    let template = std::fs::read_to_string(folder.join("template.md")).unwrap();
    // A template whose link names a record this folder does not have: every new record would
    // carry a broken link (an error). The record is removed again and nothing else changes.
    std::fs::write(
        folder.join("template.md"),
        format!("{template}\nSee [the bootstrap](0042-bootstrap.md).\n"),
    )
    .unwrap();
    let before = files(t.path());
    let out = adrgraph(t.path())
        .args(["--root", ".", "new", "--folder", "infrastructure", "Use", "Consul"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("broken-link") && err.contains("removed again"), "{err}");
    assert_eq!(files(t.path()), before, "the new record stayed");
    // A template's placeholder link is template text: one finding, not also a broken link, and
    // the record is kept.
    std::fs::write(folder.join("template.md"), format!("{template}\nSee [xxx](yyyymmdd-xxx.md).\n")).unwrap();
    let out = stdout_of(adrgraph(t.path()).args([
        "--root",
        ".",
        "-q",
        "new",
        "--folder",
        "infrastructure",
        "Use",
        "Consul",
    ]));
    assert!(out.contains("0009-use-consul.md"), "{out}");
    let lint = adrgraph(t.path())
        .args(["--root", ".", "--json", "lint", "infrastructure/0009-use-consul.md"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let codes: Vec<&str> =
        v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"template-text"), "{codes:?}");
    assert!(!codes.contains(&"broken-link"), "{codes:?}");
}

/// With no template, a new record copies the structure of the folder's newest record: its
/// headings in its language, its labels, its title style and its status wording, with the
/// sections left empty; a template that gives no status or date gains them as the folder writes
/// them.
#[test]
fn new_copies_the_structure_of_the_newest_neighbour_when_there_is_no_template() {
    let t = tempfile::tempdir().unwrap();
    let zh = t.path().join("zh");
    std::fs::create_dir_all(&zh).unwrap();
    for (n, status) in [(1, "通过"), (2, "提议"), (3, "提议")] {
        std::fs::write(
            zh.join(format!("ADR00{n}-record-{n}.md")),
            format!(
                "# ADR00{n}: 记录 {n}\n\n**状态：** {status}\n**日期：** 2024-01-0{n}\n**作者：** 张三\n\n\
                 ## 上下文\n\n正文 {n}。\n\n## 决策\n\n我们决定。\n\n### 方案一：Kafka\n\n快。\n\n## 结果\n\n好。\n"
            ),
        )
        .unwrap();
    }
    let out = stdout_of(adrgraph(t.path()).args(["-q", "--root", "zh", "new", "使用", "Kafka"]));
    let path = out.trim_end();
    assert_eq!(path, "zh/ADR004-使用-kafka.md");
    let text = std::fs::read_to_string(t.path().join(path)).unwrap();
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    assert_eq!(
        text,
        format!("# ADR004: 使用 Kafka\n\n**状态：** 提议\n**日期：** {today}\n**作者：**\n\n## 上下文\n\n## 决策\n\n## 结果\n")
    );
    let a = record(t.path(), path);
    assert_eq!(
        (a["title"].as_str(), a["status"].as_str(), a["number"].as_u64()),
        (Some("使用 Kafka"), Some("proposed"), Some(4))
    );
    assert_eq!(a["date"].as_str(), Some(today.as_str()));

    // A template with a title alone (log4brains' test template): the status and date are
    // added under it, as the newest record writes them.
    let l4b = t.path().join("l4b");
    std::fs::create_dir_all(&l4b).unwrap();
    std::fs::write(
        l4b.join("template.md"),
        "# [short title of solved problem and solution]\n\n<!-- cut -->\n",
    )
    .unwrap();
    std::fs::write(
        l4b.join("20200101-first.md"),
        "# First\n\n- Status: accepted\n- Date: 2020-01-01\n\n## Context\n\nx\n",
    )
    .unwrap();
    let out = stdout_of(
        adrgraph(t.path()).args(["-q", "--root", "l4b", "new", "--status", "draft", "Use", "Kafka"]),
    );
    let text = std::fs::read_to_string(t.path().join(out.trim_end())).unwrap();
    assert_eq!(text, format!("# Use Kafka\n\n- Status: draft\n- Date: {today}\n\n<!-- cut -->\n"));
}

/// A folder named with a prefix adrgraph has no list for (`KEEP-0467-x.md`, `A118-x.md`) is
/// numbered on after its highest number, not from 1.
#[test]
fn new_numbers_after_the_highest_whatever_the_prefix() {
    for (files, want) in [
        (["KEEP-0465-a.md", "KEEP-0466-b.md", "KEEP-0467-c.md"], "KEEP-0468-use-kafka.md"),
        (["A1-a.md", "A10-b.md", "A118-c.md"], "A119-use-kafka.md"),
    ] {
        let t = tempfile::tempdir().unwrap();
        let adr = t.path().join("adr");
        std::fs::create_dir_all(&adr).unwrap();
        for f in files {
            std::fs::write(
                adr.join(f),
                "# A title\n\n* Status: accepted\n* Date: 2024-01-01\n\n## Context\n\nx\n",
            )
            .unwrap();
        }
        let out = stdout_of(adrgraph(t.path()).args([
            "-q",
            "--root",
            "adr",
            "new",
            "--dry-run",
            "--json",
            "Use",
            "Kafka",
        ]));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(v["path"].as_str().unwrap().ends_with(&format!("adr/{want}")), "{v}");
    }
}

/// Dated names keep the folder's way of writing the date, and the number some add after it.
#[test]
fn new_names_dated_files_as_the_folder_dates_them() {
    let today = chrono::Local::now().date_naive();
    for (files, want) in [
        (
            ["2022-10-01-a.md", "2022-11-02-b.md", "2023-01-03-c.md"],
            format!("{}-use-kafka.md", today.format("%Y-%m-%d")),
        ),
        (
            ["2021-06-05_001-a.md", "2021-07-05_002-b.md", "2022-01-05_034-c.md"],
            format!("{}_035-use-kafka.md", today.format("%Y-%m-%d")),
        ),
        (
            ["20220101-a.md", "20220202-b.md", "20220303-c.md"],
            format!("{}-use-kafka.md", today.format("%Y%m%d")),
        ),
    ] {
        let t = tempfile::tempdir().unwrap();
        let adr = t.path().join("adr");
        std::fs::create_dir_all(&adr).unwrap();
        for f in files {
            std::fs::write(
                adr.join(f),
                "# A title\n\n* Status: accepted\n* Date: 2024-01-01\n\n## Context\n\nx\n",
            )
            .unwrap();
        }
        let out = stdout_of(adrgraph(t.path()).args(["-q", "--root", "adr", "new", "Use", "Kafka"]));
        assert_eq!(out.trim_end(), format!("adr/{want}"));
        let a = record(t.path(), out.trim_end());
        assert_eq!(a["title"], "Use Kafka");
    }
}

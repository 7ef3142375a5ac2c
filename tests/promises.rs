//! The README's promises under attack: each class of attack that once broke a promise, on
//! inputs written here, checked the way a person would check it (the bytes on disk, the exit
//! code, the output).

use crate::util::adrgraph;
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = adrgraph(dir).args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn record(n: usize, title: &str, body: &str) -> String {
    format!("# {n}. {title}\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n{body}\n")
}

// ---- Same tree, same bytes ----

#[test]
fn search_ties_are_ordered_by_path_in_every_fresh_store() {
    let t = tempfile::tempdir().unwrap();
    // Forty decisions that score alike, in several folders, so that threads and segments differ
    // from one build to the next.
    for i in 0..40 {
        write(
            t.path(),
            &format!("adr/f{}/{:04}-x.md", i % 4, i + 1),
            &record(i + 1, "Queue", "We use kafka."),
        );
    }
    let mut answers = Vec::new();
    for _ in 0..4 {
        let store = tempfile::tempdir().unwrap();
        let store = store.path().to_str().unwrap().to_string();
        let (code, out, err) =
            run(t.path(), &["--root", "adr", "--store", &store, "search", "kafka", "-n", "5", "--json"]);
        assert_eq!(code, Some(0), "{err}");
        answers.push(out);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:#?}");
    let v: serde_json::Value = serde_json::from_str(&answers[0]).unwrap();
    let paths: Vec<&str> =
        v["hits"].as_array().unwrap().iter().map(|h| h["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "ties in path order");
    assert_eq!(paths.len(), 5);
}

#[test]
fn search_limits_and_nesting_are_refused_or_clamped_clearly() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0001-a.md", &record(1, "A", "kafka"));
    write(t.path(), "adr/0002-b.md", &record(2, "B", "kafka"));
    let (code, out, err) =
        run(t.path(), &["--root", "adr", "search", "kafka", "--limit", "18446744073709551615", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("panicked"));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    let (code, _, err) = run(t.path(), &["--root", "adr", "search", "kafka", "--limit", "0"]);
    assert_eq!(code, Some(2), "{err}");
    let deep = format!("{}kafka{}", "(".repeat(40), ")".repeat(40));
    let (code, _, err) = run(t.path(), &["--root", "adr", "search", &deep]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("parentheses nest 40 deep"), "{err}");
    let ok = format!("{}kafka{}", "(".repeat(3), ")".repeat(3));
    assert_eq!(run(t.path(), &["--root", "adr", "search", &ok]).0, Some(0));
}

#[test]
fn a_folder_given_twice_or_inside_another_root_is_read_once() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0001-a.md", &record(1, "A", "See ADR-2."));
    write(t.path(), "adr/sub/0002-b.md", &record(2, "B", "Text."));
    let once = run(t.path(), &["--root", "adr", "--json", "stats"]).1;
    for roots in [
        &["--root", "adr", "--root", "adr"][..],
        &["--root", "adr", "--root", "adr/sub"],
        &["--root", "adr/sub", "--root", "./adr/"],
    ] {
        let mut args = roots.to_vec();
        args.extend(["--json", "list"]);
        let (code, out, err) = run(t.path(), &args);
        assert_eq!(code, Some(0), "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2, "{roots:?}: {out}");
        assert!(err.contains("is read once"), "{roots:?}: {err}");
        let mut args = roots.to_vec();
        args.extend(["--json", "lint"]);
        let lint = run(t.path(), &args).1;
        assert!(!lint.contains("duplicate-number") && !lint.contains("conflicting"), "{lint}");
    }
    let v: serde_json::Value = serde_json::from_str(&once).unwrap();
    assert_eq!(v["decisions"], 2);
}

#[cfg(unix)]
#[test]
fn names_differing_only_in_invalid_utf8_bytes_get_distinct_ids() {
    use std::os::unix::ffi::OsStrExt;
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join("adr")).unwrap();
    for b in [0xFFu8, 0xFE] {
        let mut name = b"0001-x".to_vec();
        name.push(b);
        name.extend(b".md");
        let p = t.path().join("adr").join(std::ffi::OsStr::from_bytes(&name));
        std::fs::write(p, record(1, "X", "Text.")).unwrap();
    }
    let (_, out, err) = run(t.path(), &["--root", "adr", "--json", "list"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let ids: std::collections::BTreeSet<&str> =
        v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains("0001-x%FF") && ids.contains("0001-x%FE"), "{ids:?}");
}

// ---- Output escaping ----

#[test]
fn no_title_or_file_name_can_inject_a_workflow_command_or_break_sarif_and_xml() {
    let t = tempfile::tempdir().unwrap();
    // A title that tries to end the annotation and start another, with controls and
    // noncharacters; a file name with `#`, `%`, `,` and `:`; a broken link for a finding.
    let evil = "# 4. C\u{1b}[31m vs F \u{fffe}\u{feff}::error file=x::pwned %0A done\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSee [x](0099-none.md)::warning::again\n";
    write(t.path(), "adr/0004-c#-vs-f#,%:a.md", evil);
    let (_, gh, _) = run(t.path(), &["--root", "adr", "lint", "--format", "github"]);
    let lines: Vec<&str> = gh.lines().collect();
    assert!(!lines.is_empty());
    for l in &lines {
        assert!(
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice "),
            "{l}"
        );
        assert_eq!(l.matches("::").count(), 2, "one command per line, nothing injected: {l}");
        assert!(!l.contains('\u{1b}') && !l.contains('\u{fffe}'), "{l:?}");
        assert!(l.contains("file=adr/0004-c#-vs-f#%2C%25%3Aa.md,"), "{l}");
    }
    let (_, sarif, _) = run(t.path(), &["--root", "adr", "lint", "--format", "sarif"]);
    if let Some(problems) = crate::util::sarif_problems(&sarif) {
        assert!(problems.is_empty(), "not SARIF 2.1.0: {problems:#?}");
    }
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let uri = v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(uri, "adr/0004-c%23-vs-f%23%2C%25%3Aa.md");
    for format in ["graphml", "svg"] {
        let (code, xml, err) = run(t.path(), &["--root", "adr", "graph", "--format", format]);
        assert_eq!(code, Some(0), "{err}");
        let opts = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
        roxmltree::Document::parse_with_options(&xml, opts)
            .unwrap_or_else(|e| panic!("{format} is not XML: {e}"));
        assert!(
            !xml.contains('\u{fffe}') && !xml.contains('\u{feff}') && !xml.contains('\u{1b}'),
            "{format}"
        );
    }
    let (_, human, _) = run(t.path(), &["--root", "adr", "--color", "never", "lint"]);
    assert!(!human.contains('\u{1b}') && !human.contains('\u{fffe}'), "{human:?}");
}

// ---- Exit codes and errors ----

#[test]
fn index_fails_with_exit_2_when_the_store_cannot_be_written() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0001-a.md", &record(1, "A", "Text."));
    let file = t.path().join("store-is-a-file");
    std::fs::write(&file, "x").unwrap();
    let (code, _, err) = run(t.path(), &["--root", "adr", "--store", file.to_str().unwrap(), "index"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("store-is-a-file"), "{err}");
    // Other commands still answer, without the store, with a warning.
    let (code, out, err) = run(t.path(), &["--root", "adr", "--store", file.to_str().unwrap(), "list"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("0001-a") && err.contains("cannot use the store"), "{err}");
    // A store file that is a folder.
    let store = t.path().join("store");
    let s = store.to_str().unwrap();
    assert_eq!(run(t.path(), &["--root", "adr", "--store", s, "index"]).0, Some(0));
    std::fs::remove_file(store.join("manifest.bin")).unwrap();
    std::fs::create_dir(store.join("manifest.bin")).unwrap();
    write(t.path(), "adr/0002-b.md", &record(2, "B", "Text."));
    let (code, _, err) = run(t.path(), &["--root", "adr", "--store", s, "index"]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.matches("cannot write the store").count(), 1, "said once: {err}");
}

#[test]
fn an_empty_store_variable_means_no_store_set() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0001-a.md", &record(1, "A", "Text."));
    let out = adrgraph(t.path()).env("ADRGRAPH_STORE", "").args(["--root", "adr", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0001-a"));
}

// ---- Hostile sizes ----

#[test]
fn markup_past_the_budget_is_read_as_plain_text_with_a_diagnostic() {
    let items: String = (0..200_000).map(|i| format!("- item {i}\n")).collect();
    let text = format!("# 7. Big\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nSee [ADR 2](0002-b.md).\n\n{items}\nLast words mention zeppelin.\n");
    let p = adrgraph::parse::parse_adr(&text, "adr/0007-big.md", "0007-big.md");
    assert_eq!(p.adr.title.as_deref(), Some("Big"));
    assert_eq!(p.adr.status, adrgraph::Status::Accepted);
    assert_eq!(p.adr.links.len(), 1, "the link before the budget is read");
    let d = p.diagnostics.iter().find(|d| d.code == "markup-budget").expect("markup-budget diagnostic");
    let cut = d.line as usize;
    assert!(cut > 100_000 && cut < 200_000, "cut at line {cut}");
    // The text past the cut is kept, for search.
    assert!(p.adr.sections.iter().any(|s| s.text.contains("zeppelin")));
    // A normal record is far within the budget.
    let small = adrgraph::parse::parse_adr(
        &record(1, "Small", &"- a [b](c.md) `d` *e*\n".repeat(2000)),
        "adr/0001-s.md",
        "0001-s.md",
    );
    assert!(!small.diagnostics.iter().any(|d| d.code == "markup-budget"));
}

// ---- Writes into the tree go through the audited writer ----

const NEW: &str = "# 2. New\n\nDate: 2021-01-01\n\n## Status\n\nAccepted\n\nSupersedes [Old](0001-old.md)\n";
const OLD: &str = "# 1. Old\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n";

fn fix_tree(old: &str, new: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0001-old.md", old);
    write(t.path(), "adr/0002-new.md", new);
    t
}

fn fix(t: &Path) -> (Option<i32>, String) {
    let (code, _, err) = run(t, &["--root", "adr", "lint", "--fix"]);
    (code, err)
}

#[cfg(unix)]
#[test]
fn fix_refuses_links_hard_links_and_read_only_files_and_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    // A symbolic link to the record: refused, the target untouched.
    let t = fix_tree(OLD, NEW);
    let real = t.path().join("elsewhere.md");
    std::fs::rename(t.path().join("adr/0001-old.md"), &real).unwrap();
    std::os::unix::fs::symlink(&real, t.path().join("adr/0001-old.md")).unwrap();
    let (_, err) = fix(t.path());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), OLD, "{err}");
    // A hard-linked record: refused with a message.
    let t = fix_tree(OLD, NEW);
    std::fs::hard_link(t.path().join("adr/0001-old.md"), t.path().join("twin.md")).unwrap();
    let (_, err) = fix(t.path());
    assert!(err.contains("hard links"), "{err}");
    assert_eq!(std::fs::read_to_string(t.path().join("twin.md")).unwrap(), OLD);
    // A read-only record: refused (even for root, who could write it).
    let t = fix_tree(OLD, NEW);
    let p = t.path().join("adr/0001-old.md");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (_, err) = fix(t.path());
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(std::fs::read_to_string(&p).unwrap(), OLD);
    // A writable one: fixed, its mode kept, nothing left beside it.
    let t = fix_tree(OLD, NEW);
    let p = t.path().join("adr/0001-old.md");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    // A link planted at the name the old writer used is never followed.
    let victim = t.path().join("victim.txt");
    std::fs::write(&victim, "keep").unwrap();
    std::os::unix::fs::symlink(&victim, t.path().join("adr/0001-old.md.adrgraph-fix")).unwrap();
    let (_, err) = fix(t.path());
    let fixed = std::fs::read_to_string(&p).unwrap();
    assert!(fixed.contains("Superseded by [New](0002-new.md)"), "{err}\n{fixed}");
    assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    let names: Vec<String> = std::fs::read_dir(t.path().join("adr"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn fix_keeps_line_endings_and_counts_lines_as_the_parser_does() {
    // CRLF: kept on every line, only the status line changes.
    let crlf = OLD.replace('\n', "\r\n");
    let t = fix_tree(&crlf, NEW);
    fix(t.path());
    let after = std::fs::read_to_string(t.path().join("adr/0001-old.md")).unwrap();
    assert_eq!(after, crlf.replace("\r\nAccepted\r\n", "\r\nSuperseded by [New](0002-new.md)\r\n"));
    // Lone CRs end lines for the parser, so they do for the writer: the line named is the one
    // rewritten.
    let cr = OLD.replace('\n', "\r");
    let t = fix_tree(&cr, NEW);
    fix(t.path());
    let after = std::fs::read_to_string(t.path().join("adr/0001-old.md")).unwrap();
    assert_eq!(after, cr.replace("\rAccepted\r", "\rSuperseded by [New](0002-new.md)\r"));
}

#[test]
fn fix_writes_valid_yaml_and_valid_links_whatever_the_title() {
    let old = "---\nstatus: accepted\ndate: 2020-01-01\n---\n# Old\n\n## Context\n\nWhy.\n";
    let new = "# 2. New: \"quoted\" # not a comment [x]\n\nDate: 2021-01-01\n\n## Status\n\nAccepted\n\nSupersedes [Old](0001-old.md)\n";
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0001-old.md", old);
    write(t.path(), "adr/0002-new (v2).md", new);
    let (_, err) = fix(t.path());
    let after = std::fs::read_to_string(t.path().join("adr/0001-old.md")).unwrap();
    let yaml = after.split("---\n").nth(1).unwrap();
    let v: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(yaml).unwrap_or_else(|e| panic!("{e}: {after}\n{err}"));
    let status = v["status"].as_str().unwrap();
    assert!(
        status.starts_with("Superseded by [New: \"quoted\" # not a comment \\[x\\]](<0002-new (v2).md>)"),
        "{status}"
    );
    // And adrgraph reads it back as superseded by the new record.
    let (_, out, _) = run(t.path(), &["--root", "adr", "--json", "show", "1"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status"], "superseded");
    assert_eq!(v["links"][0]["target"], "0002-new (v2).md");
    assert!(!run(t.path(), &["--root", "adr", "lint"]).1.contains("supersession-one-sided"));
}

#[test]
fn fix_dry_run_shows_a_clean_diff_and_writes_nothing() {
    let t = fix_tree(OLD, &NEW.replace("# 2. New", "# 2. New \u{1b}[31mred\u{7}"));
    let (_, _, err) = run(t.path(), &["--root", "adr", "lint", "--fix", "--dry-run"]);
    assert!(
        err.contains("-Accepted") && err.contains("+Superseded by [New \\[31mred](0002-new.md)"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("dry run"), "{err}");
    assert_eq!(std::fs::read_to_string(t.path().join("adr/0001-old.md")).unwrap(), OLD);
}

#[test]
fn the_writer_refuses_an_edit_that_would_lose_a_field() {
    let t = fix_tree(OLD, NEW);
    let p = t.path().join("adr/0001-old.md");
    let edit = adrgraph::write::Fix {
        path: p.to_str().unwrap().to_string(),
        line: 1,
        old: "# 1. Old".into(),
        new: "".into(),
        code: "test".into(),
    };
    let out = adrgraph::write::apply(std::slice::from_ref(&edit), "0001-old.md", 1 << 20, &|_| Ok(()));
    assert!(
        matches!(&out, adrgraph::write::Applied::Refused { reason, .. } if reason.contains("title")),
        "{out:?}"
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), OLD);
    // A stale edit (the line changed since it was read) is refused too.
    let stale = adrgraph::write::Fix { old: "# 1. Older".into(), new: "# 1. Newer".into(), ..edit };
    let out = adrgraph::write::apply(&[stale], "0001-old.md", 1 << 20, &|_| Ok(()));
    assert!(
        matches!(&out, adrgraph::write::Applied::Refused { reason, .. } if reason.contains("changed")),
        "{out:?}"
    );
}

// ---- Reading stays inside the tree, bounded ----

#[test]
fn a_huge_sparse_sidecar_is_refused_with_a_diagnostic() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "keps/sig-x/1234-thing/README.md", "# KEP-1234: Thing\n\n## Summary\n\nText.\n");
    let f = std::fs::File::create(t.path().join("keps/sig-x/1234-thing/kep.yaml")).unwrap();
    f.set_len(3 << 30).unwrap(); // 3 GB, sparse: costs no disk
    let (code, out, err) = run(t.path(), &["--root", "keps", "--json", "list"]);
    assert_eq!(code, Some(1), "the unreadable metadata is an error: {err}");
    assert!(out.contains("1234-thing"), "the record is still read: {out}");
    assert!(err.contains("kep.yaml") && err.contains("metadata file not read"), "{err}");
}

// ---- Change detection ----

#[test]
fn an_edit_with_its_modification_time_put_back_is_seen() {
    let t = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let s = store.path().to_str().unwrap();
    let p = t.path().join("adr/0001-a.md");
    write(t.path(), "adr/0001-a.md", &record(1, "Alpha", "Text."));
    // Old enough not to be "racy" (modified just before the store was written).
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&p).unwrap().set_modified(old).unwrap();
    let title = |t: &Path| {
        let (_, out, err) = run(t, &["--root", "adr", "--store", s, "--json", "list"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        v[0]["title"].as_str().unwrap().to_string()
    };
    assert_eq!(title(t.path()), "Alpha");
    // Same size, mtime restored (as `touch -d`, `cp -p`, `rsync -t` and `tar -x` leave it).
    std::fs::write(&p, record(1, "Gamma", "Text.")).unwrap();
    std::fs::File::options().write(true).open(&p).unwrap().set_modified(old).unwrap();
    assert_eq!(std::fs::metadata(&p).unwrap().len() as usize, record(1, "Alpha", "Text.").len());
    assert_eq!(title(t.path()), "Gamma");
}

/// Reading commands answer from the store while the walk checks the tree, and hold what they
/// write until it has: the answer (stdout, stderr, exit code) is the one for the tree as it is,
/// said once, whether the tree changed or not.
#[test]
fn an_answer_given_ahead_of_the_walk_is_shown_only_for_the_tree_it_is_for() {
    let t = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let s = store.path().to_str().unwrap();
    write(t.path(), "adr/0001-a.md", &record(1, "Alpha", "Text."));
    write(t.path(), "adr/0002-b.md", "---\nstatus: [unclosed\n---\n# 2. Beta\n");
    let age = |rel: &str, secs: u64| {
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        std::fs::File::options().write(true).open(t.path().join(rel)).unwrap().set_modified(when).unwrap();
    };
    // Old enough not to be read again for being modified just before the store was written.
    age("adr/0001-a.md", 3600);
    age("adr/0002-b.md", 3600);
    let said = "adr/0002-b.md:3: error[front-matter]";
    for args in [&["list"][..], &["--json", "list"], &["show", "0001"], &["lint"], &["search", "alpha"]] {
        let args: Vec<&str> = ["--root", "adr", "--store", s].iter().chain(args).copied().collect();
        let first = run(t.path(), &args);
        let again = run(t.path(), &args);
        assert_eq!(again, first, "{args:?}: the answer given ahead is the answer");
        if args.contains(&"list") {
            assert_eq!(again.2.matches(said).count(), 1, "{args:?}: said once");
        }
    }
    // The same size, another time: the answer given ahead was Alpha's, and is not shown.
    write(t.path(), "adr/0001-a.md", &record(1, "Gamma", "Text."));
    age("adr/0001-a.md", 1800);
    let list = ["--root", "adr", "--store", s, "list"];
    let (code, out, err) = run(t.path(), &list);
    assert!(out.contains("Gamma") && !out.contains("Alpha"), "{out}");
    assert_eq!((code, err.matches(said).count()), (Some(1), 1), "said once: {err}");
    assert_eq!(run(t.path(), &list), (code, out, err));
    // An error is said once too, on an unchanged tree as on a changed one.
    let show = ["--root", "adr", "--store", s, "show", "nope"];
    for _ in 0..2 {
        let (code, out, err) = run(t.path(), &show);
        assert_eq!((code, out.as_str(), err.matches("error: no decision matches").count()), (Some(2), "", 1));
        age("adr/0001-a.md", 900);
    }
}

// ---- A damaged store is detected and rebuilt, never trusted ----

#[test]
fn damaged_store_files_are_found_by_their_checksums_and_rebuilt() {
    let t = tempfile::tempdir().unwrap();
    for i in 1..=30 {
        let body = if i > 1 { format!("Rests on ADR-{}.", i - 1) } else { "Base.".into() };
        write(t.path(), &format!("adr/{i:04}-d{i}.md"), &record(i, &format!("D{i}"), &body));
    }
    let store = tempfile::tempdir().unwrap();
    let s = store.path().to_str().unwrap();
    let ask = |args: &[&str]| {
        let mut a = vec!["--root", "adr", "--store", s];
        a.extend_from_slice(args);
        run(t.path(), &a)
    };
    let (_, want_impact, _) = ask(&["--json", "impact", "1"]);
    let (_, want_list, _) = ask(&["--json", "list"]);
    assert!(want_impact.contains("0030-d30"));
    use crate::util::{a_record_shard, damage, Damage};
    // One flipped bit in the manifest: rebuilt, every path as it is.
    damage(&store.path().join("manifest.bin"), Damage::FlippedBit);
    let (code, list, err) = ask(&["--json", "list"]);
    assert_eq!((code, list.as_str()), (Some(0), want_list.as_str()), "{err}");
    assert!(err.contains("corrupt") && err.contains("rebuil"), "said: {err}");
    // Zeroed bytes in the query snapshot: not one empty id or invented edge.
    ask(&["--json", "impact", "1"]);
    damage(&store.path().join("query.bin"), Damage::ZeroedThird);
    let (code, impact, err) = ask(&["--no-refresh", "--json", "impact", "1"]);
    assert_eq!((code, impact.as_str()), (Some(0), want_impact.as_str()), "{err}");
    // A record shard zeroed: its records are read again from the tree.
    damage(&a_record_shard(store.path()), Damage::ZeroedMiddle);
    let (code, shown, err) = ask(&["--json", "show", "2"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(shown.contains("Rests on ADR-1."), "{shown}");
}

#[test]
fn a_damaged_search_index_is_rebuilt_not_a_panic_forever() {
    let t = tempfile::tempdir().unwrap();
    for i in 1..=20 {
        write(
            t.path(),
            &format!("adr/{i:04}-d{i}.md"),
            &record(i, &format!("D{i}"), "We use kafka for events."),
        );
    }
    // Damage at several places of the term dictionary and postings: tantivy panics on some,
    // reports corrupt data on others; each is rebuilt, and the answers are the sound ones.
    for (num, den) in [(0, 1), (3, 20), (1, 4), (1, 3), (1, 2), (2, 3)] {
        let store = tempfile::tempdir().unwrap();
        let s = store.path().to_str().unwrap();
        let search = || run(t.path(), &["--root", "adr", "--store", s, "--json", "search", "kafka"]);
        let (_, want, _) = search();
        let mut damaged = 0;
        for e in std::fs::read_dir(store.path().join("index")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "idx" || x == "term") {
                let mut b = std::fs::read(&p).unwrap();
                let k = b.len() * num / den;
                let end = (k + 40).min(b.len());
                b[k..end].fill(0);
                std::fs::write(&p, b).unwrap();
                damaged += 1;
            }
        }
        assert!(damaged > 0);
        for round in 0..2 {
            let (code, out, err) = search();
            assert_eq!(code, Some(0), "damage at {num}/{den}, round {round}: {err}");
            assert!(!err.contains("panicked"), "{err}");
            assert_eq!(out, want, "damage at {num}/{den}, round {round}");
        }
    }
    // Garbage after the end of the positions and postings files.
    let store = tempfile::tempdir().unwrap();
    let s = store.path().to_str().unwrap();
    let search =
        || run(t.path(), &["--root", "adr", "--store", s, "--json", "search", "\"kafka for events\""]);
    let (_, want, _) = search();
    assert!(want.contains("0001-d1"), "{want}");
    let mut damaged = 0;
    for e in std::fs::read_dir(store.path().join("index")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pos" || x == "idx") {
            let mut b = std::fs::read(&p).unwrap();
            b.extend((0..1024u32).map(|k| (k * 131 % 251) as u8));
            std::fs::write(&p, b).unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    for round in 0..2 {
        let (code, out, err) = search();
        assert_eq!(code, Some(0), "garbage appended, round {round}: {err}");
        assert_eq!(out, want, "garbage appended, round {round}");
    }
}

#[test]
fn a_huge_ignore_file_is_not_read_and_is_said() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0001-a.md", &record(1, "A", "Text."));
    write(t.path(), "adr/sub/0002-b.md", &record(2, "B", "Text."));
    write(t.path(), "adr/sub/skip-me.md", &record(3, "C", "Text."));
    // 2 MiB of rules in a folder below the root, the last of which would hide a record.
    let rules = "nothing-matches-this-*.tmp\n".repeat(80_000) + "skip-me.md\n";
    write(t.path(), "adr/sub/.gitignore", &rules);
    let (code, out, err) = run(t.path(), &["--root", "adr", "--json", "list"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["0001-a", "0002-b", "skip-me"], "the rules are not applied, every file is read");
    let (_, stats, _) = run(t.path(), &["--root", "adr", "--color", "never", "stats", "--diagnostics"]);
    assert!(stats.contains("ignore-too-large") && stats.contains(".gitignore"), "{stats}");
    // A small ignore file is still obeyed.
    write(t.path(), "adr/sub/.gitignore", "skip-me.md\n");
    let (_, out, _) = run(t.path(), &["--root", "adr", "--json", "list"]);
    assert!(!out.contains("skip-me"), "{out}");
}

#[cfg(unix)]
#[test]
fn a_read_only_store_does_not_call_changed_files_damaged() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipping: a read-only bind mount needs root");
        return;
    }
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0001-a.md", &record(1, "A", "Text."));
    write(t.path(), "adr/0002-b.md", &record(2, "B", "Text."));
    let store = t.path().join("store");
    std::fs::create_dir(&store).unwrap();
    let s = store.to_str().unwrap();
    assert_eq!(run(t.path(), &["--root", "adr", "--store", s, "index"]).0, Some(0));
    let mount = |args: &[&str]| {
        std::process::Command::new("mount").args(args).arg(&store).arg(&store).status().unwrap()
    };
    assert!(mount(&["--bind"]).success());
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _u = Unmount(&store);
    assert!(mount(&["-o", "remount,bind,ro"]).success());
    write(t.path(), "adr/0002-b.md", &record(2, "B", "Text changed."));
    let (code, out, err) = run(t.path(), &["--root", "adr", "--store", s, "show", "2"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Text changed."), "{out}");
    assert!(!err.contains("missing or damaged"), "{err}");
    assert!(err.contains("not updated"), "the read-only store is said: {err}");
}

#[test]
fn settings_files_are_read_through_the_guarded_reader() {
    // A FIFO as `.adr-dir` used to hang `list` and `new`; a link to /dev/zero read a gigabyte.
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join(".git")).unwrap();
    write(t.path(), "doc/adr/0001-a.md", "# 1. A\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n");
    assert!(std::process::Command::new("mkfifo").arg(t.path().join(".adr-dir")).status().unwrap().success());
    #[cfg(unix)]
    std::os::unix::fs::symlink("/dev/zero", t.path().join(".log4brains.yml")).unwrap();
    let start = std::time::Instant::now();
    let (code, out, err) = run(t.path(), &["list"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("0001-a"), "{out}");
    // Bounded in time by construction (nothing blocks); a generous bound catches a hang.
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    // An adrgraph.toml that is a link to /dev/zero is refused with its name, not read forever.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/dev/zero", t.path().join("adrgraph.toml")).unwrap();
    let (code, _, err) = run(t.path(), &["list"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("adrgraph.toml"), "{err}");
}

#[test]
fn toc_of_a_folder_that_does_not_exist_writes_nothing() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "doc/adr/0001-a.md", "# 1. A\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n");
    write(t.path(), "toc.md", "keep me\n");
    let (code, _, err) = run(t.path(), &["--root", "doc/adr", "toc", "--folder", "missing", "-o", "toc.md"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("no such folder"), "{err}");
    assert_eq!(std::fs::read_to_string(t.path().join("toc.md")).unwrap(), "keep me\n");
}

#[test]
fn a_verb_that_would_make_markdown_structure_is_refused() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "doc/adr/0001-a.md", "# 1. A\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n");
    write(t.path(), "doc/adr/0002-b.md", "# 2. B\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n");
    let before = std::fs::read_to_string(t.path().join("doc/adr/0001-a.md")).unwrap();
    let (code, _, err) = run(t.path(), &["--root", "doc/adr", "link", "1", "## Status", "2"]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(std::fs::read_to_string(t.path().join("doc/adr/0001-a.md")).unwrap(), before);
}

/// A repository whose ADR folder is reached through a symbolic link that leads out of it.
#[cfg(unix)]
fn linked_out() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(t.path(), "outside/adr/0001-a.md", "# 1. A\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n");
    write(t.path(), "outside/adr/0002-b.md", "# 2. B\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n");
    std::os::unix::fs::symlink("../outside", repo.join("doc")).unwrap();
    (t, repo)
}

#[cfg(unix)]
#[test]
fn no_write_lands_outside_the_repository_through_a_link_above_the_adr_folder() {
    let (t, repo) = linked_out();
    let outside = crate::util::files_of(&t.path().join("outside"));
    let (code, _, err) = run(&repo, &["--root", "doc/adr", "new", "Use", "Kafka"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("outside"), "{err}");
    let (code, _, err) = run(&repo, &["--root", "doc/adr", "supersede", "1", "2"]);
    assert_ne!(code, Some(0), "{err}");
    let (code, _, err) = run(&repo, &["--root", "doc/adr", "status", "1", "Deprecated"]);
    assert_ne!(code, Some(0), "{err}");
    assert_eq!(crate::util::files_of(&t.path().join("outside")), outside, "a file outside changed");
}

#[cfg(unix)]
#[test]
fn site_output_never_goes_through_links_nor_into_the_tree() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    write(root, "adr/0001-a.md", "# 1. A\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n");
    write(root, "adr/0002-b.md", "# 2. B\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n");
    // The tree given through `x/..` and through a link.
    for out in ["x/../adr/site", "adr/./site"] {
        let (code, _, err) = run(root, &["--root", "adr", "site", "-o", out]);
        assert_eq!(code, Some(2), "{out}: {err}");
        assert!(!root.join("adr/site").exists(), "{out}");
    }
    std::os::unix::fs::symlink("adr", root.join("linked")).unwrap();
    let (code, _, err) = run(root, &["--root", "linked", "site", "-o", "adr/site"]);
    assert_eq!(code, Some(2), "{err}");
    // A folder of the output that is a link to outside is refused; nothing lands there.
    write(root, "outside/keep.txt", "keep\n");
    std::fs::create_dir_all(root.join("public")).unwrap();
    std::os::unix::fs::symlink("../outside", root.join("public/decisions")).unwrap();
    let (code, _, err) = run(root, &["--root", "adr", "site", "-o", "public"]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(std::fs::read_dir(root.join("outside")).unwrap().count(), 1);
    // A page that is a hard link to another file leaves that file as it was.
    std::fs::remove_file(root.join("public/decisions")).unwrap();
    let (code, _, err) = run(root, &["--root", "adr", "site", "-o", "public"]);
    assert_eq!(code, Some(0), "{err}");
    std::fs::remove_file(root.join("public/decisions/0001-a.html")).unwrap();
    std::fs::hard_link(root.join("outside/keep.txt"), root.join("public/decisions/0001-a.html")).unwrap();
    // A record removed since: its page goes too.
    std::fs::remove_file(root.join("adr/0002-b.md")).unwrap();
    let (code, _, err) = run(root, &["--root", "adr", "site", "-o", "public"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(std::fs::read_to_string(root.join("outside/keep.txt")).unwrap(), "keep\n");
    assert!(std::fs::read_to_string(root.join("public/decisions/0001-a.html")).unwrap().contains("</html>"));
    assert!(!root.join("public/decisions/0002-b.html").exists(), "a page of a removed record is kept");
}

#[test]
fn values_go_into_front_matter_as_yaml_and_every_field_meant_reads_back() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join(".git")).unwrap();
    let (code, _, err) = run(t.path(), &["init", "--dialect", "madr"]);
    assert_eq!(code, Some(0), "{err}");
    let root = if t.path().join("docs/decisions").is_dir() { "docs/decisions" } else { "doc/adr" };
    let (code, out, err) = run(
        t.path(),
        &["--root", root, "new", "--status", "proposed: see \"RFC-7\" # 12", "Use Kafka: the \"fast\" one"],
    );
    assert_eq!(code, Some(0), "{err}");
    let path = t.path().join(out.trim().rsplit(' ').next().unwrap());
    let (_, json, _) = run(t.path(), &["--root", root, "show", "2", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(
        v["status_raw"],
        "proposed: see \"RFC-7\" # 12",
        "{}",
        std::fs::read_to_string(&path).unwrap_or_default()
    );
    assert_eq!(v["status"], "proposed");
    assert!(v["date"].is_string());
    assert_eq!(v["title"], "Use Kafka: the \"fast\" one");
    // A status with a newline would add a section: refused, nothing written.
    let (code, _, err) =
        run(t.path(), &["--root", root, "new", "--status", "proposed\n\n## Evil", "Another"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!std::fs::read_dir(t.path().join(root))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains("another")));
}

#[cfg(unix)]
#[test]
fn renumber_rewrites_every_link_form_and_keeps_the_bom_and_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let adr = t.path().join("adr");
    write(t.path(), "adr/0001-one.md", "# 1. One\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n");
    write(t.path(), "adr/0002-two-a.md", "# 2. Two A\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n");
    write(t.path(), "adr/0002-two-b.md", "\u{feff}# 2. Two B\n\nDate: 2024-01-03\n\n## Status\n\nAccepted\n");
    std::fs::set_permissions(adr.join("0002-two-b.md"), std::fs::Permissions::from_mode(0o600)).unwrap();
    write(
        t.path(),
        "adr/0003-three.md",
        "# 3. Three\n\nDate: 2024-01-04\n\n## Status\n\nAccepted\n\n## Links\n\n\
         * Angle [x](<0002-two-b.md>)\n\
         * Titled [x](0002-two-b.md \"Two B\")\n\
         * Both [a](0002-two-a.md) and [b](./0002-two-b.md#why)\n\
         * Reference [r][]\n\n\
         [r]: 0002-two-b.md\n\n\
         ```\n[code](0002-two-b.md)\n```\n",
    );
    let (code, out, err) = run(t.path(), &["--root", "adr", "renumber", "adr/0002-two-b.md"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("0004-two-b.md"), "{out}");
    let three = std::fs::read_to_string(adr.join("0003-three.md")).unwrap();
    for want in [
        "[x](<0004-two-b.md>)",
        "[x](0004-two-b.md \"Two B\")",
        "[a](0002-two-a.md) and [b](./0004-two-b.md#why)",
        "[r]: 0004-two-b.md",
        "[code](0002-two-b.md)",
    ] {
        assert!(three.contains(want), "no {want} in:\n{three}");
    }
    let moved = std::fs::read_to_string(adr.join("0004-two-b.md")).unwrap();
    assert!(moved.starts_with("\u{feff}# 4. Two B"), "{moved:?}");
    let mode = std::fs::metadata(adr.join("0004-two-b.md")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Nothing resolves to the other record numbered 2 by mistake.
    let (_, lint, _) = run(t.path(), &["--root", "adr", "lint", "-f", "json"]);
    assert!(!lint.contains("broken-link"), "{lint}");
}

#[cfg(target_os = "linux")]
#[test]
fn fix_reaches_a_file_whose_name_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "adr/0002-new.md", &NEW.replace("0001-old.md", "0001-old%FF.md"));
    let odd = t.path().join("adr").join(std::ffi::OsStr::from_bytes(b"0001-old\xff.md"));
    std::fs::write(&odd, OLD).unwrap();
    let (code, err) = fix(t.path());
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&odd).unwrap();
    assert!(text.contains("Superseded by"), "not fixed:\n{text}\n{err}");
}

#[test]
fn a_bit_flipped_in_the_manifest_rebuilds_the_store_and_answers_as_a_fresh_one() {
    let t = tempfile::tempdir().unwrap();
    crate::util::copy_tree(&crate::util::manifest_dir().join("data"), &t.path().join("data"));
    let (store, fresh) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let with = |s: &Path, args: &[&str]| {
        let mut all = vec!["--root", "data", "--store", s.to_str().unwrap()];
        all.extend_from_slice(args);
        run(t.path(), &all)
    };
    assert_eq!(with(store.path(), &["list"]).0, Some(0));
    let m = store.path().join("manifest.bin");
    for at in [2, 3, 5] {
        let mut b = std::fs::read(&m).unwrap();
        let k = b.len() / at;
        b[k] ^= 0x10;
        std::fs::write(&m, b).unwrap();
        for cmd in [&["list"][..], &["stats"], &["lint", "-f", "json"]] {
            let (code, out, err) = with(store.path(), cmd);
            let (want_code, want, _) = with(fresh.path(), cmd);
            assert_eq!((code, out), (want_code, want), "{cmd:?} after a flip at {k}: {err}");
        }
    }
}

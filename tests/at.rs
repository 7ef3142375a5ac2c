//! `--at REV`: every read command answered for the tree as it was at a git revision, read from
//! the repository's objects. A repository with a history of decisions (made with `git`), asked
//! by tag, short id, `HEAD~n`, date and `REV@{date}`, from a subfolder, in a bare clone and a
//! linked work tree; errors for what does not exist; nothing written.

use crate::util::{adrgraph, files_of};
use std::path::Path;

fn git_at(dir: &Path, date: &str, args: &[&str]) -> String {
    crate::util::git_at_time(dir, &format!("{date}T12:00:00Z"), args)
}

fn record(n: u32, title: &str, status: &str, extra: &str) -> String {
    format!("# {n}. {title}\n\nDate: 2024-01-01\n\n## Status\n\n{status}\n\n## Context\n\n{extra}\n\n## Decision\n\nDo it.\n\n## Consequences\n\nSome.\n")
}

/// Three commits (2024-01-10 `first`, 2024-03-05 `second` tagged v1, 2024-06-01 `third`),
/// then an uncommitted change in the work tree.
fn history() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let adr = root.join("docs/adr");
    std::fs::create_dir_all(&adr).unwrap();
    let write = |name: &str, text: String| std::fs::write(adr.join(name), text).unwrap();
    git_at(root, "2024-01-10", &["init", "-q", "-b", "main"]);
    write("0001-use-postgres.md", record(1, "Use Postgres", "Accepted", "We need a database. Narwhals."));
    write("0002-use-kafka.md", record(2, "Use Kafka", "Proposed", "Events."));
    git_at(root, "2024-01-10", &["add", "-A"]);
    git_at(root, "2024-01-10", &["commit", "-q", "-m", "first"]);
    write("0002-use-kafka.md", record(2, "Use Kafka", "Accepted", "Events."));
    write("0003-use-cockroach.md", record(3, "Use CockroachDB", "Proposed", "Scale."));
    git_at(root, "2024-03-05", &["add", "-A"]);
    git_at(root, "2024-03-05", &["commit", "-q", "-m", "second"]);
    git_at(root, "2024-03-05", &["tag", "v1"]);
    write(
        "0001-use-postgres.md",
        record(
            1,
            "Use Postgres",
            "Superseded by [3. Use CockroachDB](0003-use-cockroach.md)",
            "We need a database.",
        ),
    );
    write(
        "0003-use-cockroach.md",
        record(
            3,
            "Use CockroachDB",
            "Accepted\n\nSupersedes [1. Use Postgres](0001-use-postgres.md)",
            "Scale.",
        ),
    );
    git_at(root, "2024-06-01", &["add", "-A"]);
    git_at(root, "2024-06-01", &["commit", "-q", "-m", "third"]);
    // Uncommitted: a record added, one removed.
    write("0004-use-redis.md", record(4, "Use Redis", "Accepted", "Cache."));
    std::fs::remove_file(adr.join("0002-use-kafka.md")).unwrap();
    t
}

fn at(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = adrgraph(dir).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn listed(dir: &Path, args: &[&str]) -> (serde_json::Value, Vec<(String, String)>) {
    let (code, out, err) = at(dir, args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["status"].as_str().unwrap().to_string()))
        .collect();
    (v, rows)
}

fn ids(rows: &[(String, String)]) -> Vec<&str> {
    rows.iter()
        .map(|(i, s)| if s == "accepted" { i.as_str() } else { "" })
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn every_revision_syntax_answers_for_its_tree_and_names_its_commit() {
    let t = history();
    let root = t.path();
    let before = files_of(root);
    let q = ["--root", "docs/adr", "-q", "--json", "list", "--at"];
    let arg =
        |rev: &str| -> Vec<String> { q.iter().map(|s| s.to_string()).chain([rev.to_string()]).collect() };
    let run = |rev: &str| {
        let a = arg(rev);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        listed(root, &a)
    };
    let v1 = git_at(root, "2024-01-01", &["rev-parse", "v1"]).trim().to_string();
    let (v, rows) = run("v1");
    assert_eq!(v["at"]["commit"], v1.as_str());
    assert_eq!((v["at"]["date"].as_str(), v["at"]["subject"].as_str()), (Some("2024-03-05"), Some("second")));
    assert_eq!(rows.len(), 3);
    assert_eq!(ids(&rows), ["0001-use-postgres", "0002-use-kafka"]);
    // The same commit by short id, by HEAD~1, by a date in its range, by main@{date}.
    for rev in [&v1[..8], "HEAD~1", "2024-05-31", "main@{2024-03-05}"] {
        assert_eq!(run(rev).0["at"]["commit"], v1.as_str(), "{rev}");
    }
    let (_, first) = run("2024-02-01");
    assert_eq!(first.len(), 2);
    assert_eq!(first[1], ("0002-use-kafka".to_string(), "proposed".to_string()));
    // HEAD: the last commit, without the work tree's uncommitted change; no --at: the work tree.
    let (_, head) = run("HEAD");
    assert_eq!(ids(&head), ["0002-use-kafka", "0003-use-cockroach"]);
    let now = crate::util::stdout_of(adrgraph(root).args(["--root", "docs/adr", "-q", "--json", "list"]));
    let now: serde_json::Value = serde_json::from_str(&now).unwrap();
    assert_eq!(now.as_array().unwrap().len(), 3, "the work tree: 1, 3 and 4");
    // The chain in force, then and now.
    let (code, chain, err) = at(root, &["--root", "docs/adr", "-q", "chain", "1", "--at", "v1"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(chain.starts_with(&format!("at {} 2024-03-05 \"second\" (v1)", &v1[..10])), "{chain}");
    assert!(!chain.contains("0003"), "{chain}");
    let (_, chain, _) = at(root, &["--root", "docs/adr", "-q", "chain", "1", "--at", "HEAD"]);
    assert!(chain.contains("0003-use-cockroach"), "{chain}");
    // Search finds the words of the past text.
    let (_, hits, _) = at(root, &["--root", "docs/adr", "-q", "--json", "search", "narwhals", "--at", "v1"]);
    let hits: serde_json::Value = serde_json::from_str(&hits).unwrap();
    assert!(hits["result"].to_string().contains("0001-use-postgres"), "{hits}");
    let (_, hits, _) =
        at(root, &["--root", "docs/adr", "-q", "--json", "search", "narwhals", "--at", "HEAD"]);
    assert!(!hits.contains("0001-use-postgres"), "{hits}");
    // From a subfolder, the root named from there.
    std::fs::create_dir_all(root.join("src")).unwrap();
    let (v, _) = listed(&root.join("src"), &["--root", "../docs/adr", "-q", "--json", "list", "--at", "v1"]);
    assert_eq!(v["at"]["commit"], v1.as_str());
    std::fs::remove_dir(root.join("src")).unwrap();
    assert_eq!(files_of(root), before, "--at wrote into the repository or the work tree");
}

#[test]
fn what_does_not_exist_is_a_clear_usage_error() {
    let t = history();
    let root = t.path();
    let cases: [(&[&str], &str); 5] = [
        (&["--at", "no-such-tag", "list"], "revision `no-such-tag` not found"),
        (&["--at", "2023-12-31", "list"], "no commit on or before 2023-12-31"),
        (&["--at", "HEAD", "new", "X"], "--at answers list"),
        (&["--at", "HEAD", "lint", "--fix"], "--at answers list"),
        (&["--root", "docs/other", "--at", "HEAD", "list"], "docs/other: no such folder at HEAD"),
    ];
    for (args, said) in cases {
        let args: Vec<&str> = if args.contains(&"--root") {
            args.to_vec()
        } else {
            [&["--root", "docs/adr"][..], args].concat()
        };
        let (code, _, err) = at(root, &args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(said), "{args:?}: {err}");
    }
    // A shallow clone that lacks the revision says so, and how to fetch it.
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", root.display());
    git_at(clones.path(), "2024-01-01", &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let (code, _, err) =
        at(&clones.path().join("shallow"), &["--root", "docs/adr", "--at", "HEAD~1", "list"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("shallow clone") && err.contains("fetch"), "{err}");
    let (code, _, err) =
        at(&clones.path().join("shallow"), &["--root", "docs/adr", "--at", "2024-01-11", "list"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("shallow clone"), "a date before the clone's first commit: {err}");
    let plain = tempfile::tempdir().unwrap();
    crate::util::copy_tree(&root.join("docs"), &plain.path().join("docs"));
    let (code, _, err) = at(plain.path(), &["--root", "docs/adr", "--at", "HEAD", "list"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not inside a git repository"), "{err}");
}

#[test]
fn a_bare_clone_and_a_linked_work_tree_answer_too() {
    let t = history();
    let root = t.path();
    let v1 = git_at(root, "2024-01-01", &["rev-parse", "v1"]).trim().to_string();
    let clones = tempfile::tempdir().unwrap();
    let bare = clones.path().join("bare.git");
    git_at(
        clones.path(),
        "2024-01-01",
        &["clone", "-q", "--bare", root.to_str().unwrap(), bare.to_str().unwrap()],
    );
    let (v, rows) = listed(&bare, &["--root", "docs/adr", "-q", "--json", "list", "--at", "v1"]);
    assert_eq!(v["at"]["commit"], v1.as_str());
    assert_eq!(rows.len(), 3);
    let linked = clones.path().join("linked");
    git_at(root, "2024-01-01", &["worktree", "add", "-q", linked.to_str().unwrap(), "v1"]);
    let (v, rows) = listed(&linked, &["--root", "docs/adr", "-q", "--json", "list", "--at", "HEAD~1"]);
    assert_eq!(v["at"]["subject"], "first");
    assert_eq!(rows.len(), 2);
}

#[test]
fn lint_at_a_revision_quotes_that_revisions_lines_and_exits_for_it() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    std::fs::create_dir_all(root.join("doc/adr")).unwrap();
    let file = root.join("doc/adr/0001-a.md");
    std::fs::write(
        &file,
        "# 1. A\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\nSee [gone](0009-gone.md).\n",
    )
    .unwrap();
    git_at(root, "2024-01-10", &["init", "-q", "-b", "main"]);
    git_at(root, "2024-01-10", &["add", "-A"]);
    git_at(root, "2024-01-10", &["commit", "-q", "-m", "one"]);
    std::fs::write(&file, "# 1. A\n\nDate: 2024-01-01\n\nMore\nlines\n\n## Status\n\nAccepted\n").unwrap();
    let (code, out, err) = at(root, &["-q", "--at", "HEAD", "lint"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("doc/adr/0001-a.md:9:6: error[broken-link]"), "{out}");
    assert!(out.contains(" 9 | See [gone](0009-gone.md)."), "the revision's line 9 is quoted:\n{out}");
    let (code, _, _) = at(root, &["-q", "lint"]);
    assert_eq!(code, Some(0), "the work tree has no broken link");
}

#[test]
fn the_configuration_is_read_as_the_revision_has_it() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    std::fs::create_dir_all(root.join("decisions")).unwrap();
    std::fs::write(root.join("adrgraph.toml"), "roots = [\"decisions\"]\n").unwrap();
    std::fs::write(root.join("decisions/0001-old-home.md"), record(1, "Old home", "Accepted", "Then."))
        .unwrap();
    git_at(root, "2024-01-10", &["init", "-q", "-b", "main"]);
    git_at(root, "2024-01-10", &["add", "-A"]);
    git_at(root, "2024-01-10", &["commit", "-q", "-m", "first"]);
    // The records moved, and the configuration with them.
    git_at(root, "2024-02-10", &["mv", "decisions", "records"]);
    std::fs::write(root.join("adrgraph.toml"), "roots = [\"records\"]\n").unwrap();
    std::fs::write(root.join("records/0002-new-home.md"), record(2, "New home", "Accepted", "Now.")).unwrap();
    git_at(root, "2024-02-10", &["add", "-A"]);
    git_at(root, "2024-02-10", &["commit", "-q", "-m", "moved"]);
    std::fs::create_dir_all(root.join("src")).unwrap();
    // From a subfolder too: the revision's adrgraph.toml at the top is found.
    let (code, out, err) = at(&root.join("src"), &["--json", "list", "--at", "HEAD~1"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("adrgraph.toml read as at HEAD~1 (it differs from the work tree's)"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v["result"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["0001-old-home"]);
    let (code, out, err) = at(root, &["-q", "--json", "list", "--at", "HEAD"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("0002-new-home") && out.contains("0001-old-home"), "{out}");
}

#[test]
fn governs_at_a_revision_reads_that_revisions_code() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    std::fs::create_dir_all(root.join("docs/adr")).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("docs/adr/0001-use-postgres.md"),
        record(1, "Use Postgres", "Accepted", "Data."),
    )
    .unwrap();
    std::fs::write(root.join("src/store.rs"), "// ADR-0001: the database\nfn f() {}\n").unwrap();
    git_at(root, "2024-01-10", &["init", "-q", "-b", "main"]);
    git_at(root, "2024-01-10", &["add", "-A"]);
    git_at(root, "2024-01-10", &["commit", "-q", "-m", "first"]);
    std::fs::write(root.join("src/store.rs"), "fn f() {}\n").unwrap();
    std::fs::write(root.join("src/cache.rs"), "fn g() {}\n").unwrap();
    git_at(root, "2024-02-10", &["add", "-A"]);
    git_at(root, "2024-02-10", &["commit", "-q", "-m", "second"]);
    let answer = |args: &[&str]| -> serde_json::Value {
        let (code, out, err) = at(root, args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        serde_json::from_str(&out).unwrap()
    };
    let then = answer(&["-q", "--json", "governs", "src", "--at", "HEAD~1"]);
    let files = then["result"].as_array().unwrap();
    assert_eq!(files.len(), 1, "src/cache.rs did not exist then: {then}");
    assert_eq!(files[0]["file"], "src/store.rs");
    assert_eq!(files[0]["decisions"][0]["id"], "0001-use-postgres");
    assert_eq!(files[0]["decisions"][0]["reasons"][0]["detail"], "line 1: ADR-0001");
    let now = answer(&["-q", "--json", "governs", "src"]);
    assert_eq!(now.as_array().unwrap().len(), 2);
    assert!(now.to_string().contains("\"decisions\":[]"), "the marker is gone now: {now}");
    // From a subfolder, the path named from there; a path the revision lacks is exit 2.
    let (code, out, err) = at(
        &root.join("src"),
        &["--root", "../docs/adr", "-q", "--json", "governs", "store.rs", "--at", "HEAD~1"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("\"file\": \"store.rs\""), "{out}");
    let (code, _, err) = at(root, &["-q", "governs", "src/cache.rs", "--at", "HEAD~1"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("src/cache.rs: no such file or folder at HEAD~1"), "{err}");
}

/// `stats --json --at REV` with the store in `store`: what the revision's store refresh did.
fn refresh_at(root: &Path, store: &Path, rev: &str, extra: &[&str]) -> serde_json::Value {
    let mut args =
        vec!["--root", "docs/adr", "-q", "--json", "--store", store.to_str().unwrap(), "--at", rev];
    args.extend_from_slice(extra);
    args.push("stats");
    let (code, out, err) = at(root, &args);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["result"]["refresh"].clone()
}

fn revision_stores(store: &Path) -> usize {
    std::fs::read_dir(store.join("revisions"))
        .map_or(0, |d| d.flatten().filter(|e| e.path().is_dir()).count())
}

#[test]
fn each_revision_has_a_store_made_from_the_nearest_and_old_ones_are_evicted() {
    let t = history();
    let root = t.path();
    let store = tempfile::tempdir().unwrap();
    let s = store.path();
    // The first revision: every record parsed; asked again: warm, its trees not even walked
    // (the store a refresh made hold them holds them for good).
    let r = refresh_at(root, s, "HEAD~2", &[]);
    assert_eq!((r["parsed"].as_u64(), r["reused"].as_u64()), (Some(2), Some(0)), "{r}");
    let first = at(
        root,
        &["--root", "docs/adr", "-q", "--json", "--store", s.to_str().unwrap(), "--at", "HEAD~2", "list"],
    );
    let r = refresh_at(root, s, "HEAD~2", &[]);
    assert_eq!((r["parsed"].as_u64(), r["refreshed"].as_bool()), (Some(0), Some(false)), "{r}");
    let again = at(
        root,
        &["--root", "docs/adr", "-q", "--json", "--store", s.to_str().unwrap(), "--at", "HEAD~2", "list"],
    );
    assert_eq!(first, again, "the same answer from the store trusted");
    // The next revision is made from it: only its changed and added records are parsed.
    let r = refresh_at(root, s, "HEAD~1", &[]);
    assert_eq!((r["parsed"].as_u64(), r["reused"].as_u64()), (Some(2), Some(1)), "{r}");
    assert_eq!(revision_stores(s), 2);
    // The work tree's store is not a revision's.
    assert!(!r["store"].as_str().unwrap().ends_with(&s.display().to_string()));
    // A budget of 0 MB keeps only the store in use.
    let cfg = root.join("budget.toml");
    std::fs::write(&cfg, "[store]\nrevisions_mb = 0\n").unwrap();
    let r = refresh_at(root, s, "HEAD", &["--config", cfg.to_str().unwrap()]);
    assert_eq!(r["parsed"].as_u64(), Some(2), "made from HEAD~1's store, not trusted as HEAD's: {r}");
    assert_eq!(revision_stores(s), 1, "the least recently used were evicted");
    std::fs::remove_file(&cfg).unwrap();
}

/// A revision's store keeps the promises of the work tree's: damaged files are found by their
/// checksums and never misread, a run killed while it builds the store leaves one the next run
/// completes, and two processes building the same revision's store at once both answer.
#[test]
fn a_revision_store_survives_damage_kills_and_two_processes_at_once() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    crate::search::gen::write_tree(&root.join("adr"), 400, 21).unwrap();
    git_at(root, "2024-01-01", &["init", "-q", "-b", "main"]);
    git_at(root, "2024-01-01", &["add", "-A"]);
    git_at(root, "2024-01-01", &["commit", "-q", "-m", "the log"]);
    let store = tempfile::tempdir().unwrap();
    let s = store.path().to_str().unwrap();
    let args = |extra: &[&str]| {
        let mut a = vec!["--root", "adr", "--store", s, "--at", "HEAD", "--json"];
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let ask = |extra: &[&str]| {
        let a = args(extra);
        let (code, out, err) = at(root, &a.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(!err.contains("panicked"), "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        (code, v["result"].clone(), err)
    };
    let (_, want_list, _) = ask(&["list"]);
    let first = want_list[0]["id"].as_str().unwrap().to_string();
    let (_, want_impact, _) = ask(&["impact", &first]);
    let (_, want_show, _) = ask(&["show", &first]);
    let revision =
        || std::fs::read_dir(store.path().join("revisions")).unwrap().next().unwrap().unwrap().path();
    use crate::util::{a_record_shard, damage, Damage};
    // A flipped bit in the manifest: found when the records are read, the store rebuilt.
    damage(&revision().join("manifest.bin"), Damage::FlippedBit);
    let (code, shown, err) = ask(&["show", &first]);
    assert_eq!((code, &shown), (Some(0), &want_show), "{err}");
    assert!(err.contains("rebuil"), "said: {err}");
    // Zeroed bytes in the query snapshot: the same impact, not an empty id or an invented edge.
    damage(&revision().join("query.bin"), Damage::ZeroedThird);
    assert_eq!(ask(&["impact", &first]).1, want_impact);
    assert_eq!(ask(&["list"]).1, want_list);
    // A record shard zeroed: its records read again from the revision's objects.
    damage(&a_record_shard(&revision()), Damage::ZeroedMiddle);
    for row in want_list.as_array().unwrap().iter().take(40) {
        let (code, _, err) = ask(&["show", row["id"].as_str().unwrap()]);
        assert_eq!(code, Some(0), "{err}");
    }
    assert_eq!(ask(&["show", &first]).1, want_show);
    // Killed while building: whatever is left answers, and as before.
    let bin = assert_cmd::cargo::cargo_bin("adrgraph");
    let cold = || {
        std::fs::remove_dir_all(store.path().join("revisions")).unwrap();
        std::process::Command::new(&bin)
            .args(args(&["list"]))
            .current_dir(root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let started = std::time::Instant::now();
    assert!(cold().wait().unwrap().success());
    let mut span = (started.elapsed().as_millis() as u64).max(10);
    let (mut x, mut landed) = (0x9E37_79B9_7F4A_7C15u64, 0);
    for _ in 0..12 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let delay = (x % 1000) * span * 9 / 10_000;
        let mut child = cold();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() {
            landed += 1;
        } else {
            span = (span * 7 / 10).max(5);
        }
        let _ = child.kill();
        let _ = child.wait();
        let (code, list, err) = ask(&["list"]);
        assert_eq!((code, &list), (Some(0), &want_list), "after a kill at {delay} ms: {err}");
    }
    assert!(landed >= 6, "only {landed} of 12 kills landed while the child ran");
    // Two processes building the same revision's store at once.
    std::fs::remove_dir_all(store.path().join("revisions")).unwrap();
    let both = std::thread::scope(|sc| {
        let one = || {
            sc.spawn(|| {
                std::process::Command::new(&bin).args(args(&["list"])).current_dir(root).output().unwrap()
            })
        };
        let (a, b) = (one(), one());
        [a.join().unwrap(), b.join().unwrap()]
    });
    for o in both {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["result"], want_list);
    }
    assert_eq!(ask(&["list"]).1, want_list);
    assert_eq!(revision_stores(store.path()), 1);
}

/// A scripted history: records created, superseded, amended, renamed, one rewritten after
/// acceptance, a branch merged that added a colliding number, a tag, dated commits.
fn scripted() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let adr = root.join("docs/adr");
    std::fs::create_dir_all(&adr).unwrap();
    let write = |name: &str, text: String| std::fs::write(adr.join(name), text).unwrap();
    let commit = |date: &str, msg: &str| {
        git_at(root, date, &["add", "-A"]);
        git_at(root, date, &["commit", "-q", "-m", msg]);
    };
    git_at(root, "2024-01-01", &["init", "-q", "-b", "main"]);
    write("0001-record-decisions.md", record(1, "Record decisions", "Accepted", "We write them down."));
    write("0002-use-postgres.md", record(2, "Use Postgres", "Accepted", "A database for orders."));
    commit("2024-01-05", "created");
    write(
        "0003-use-kafka.md",
        record(
            3,
            "Use Kafka",
            "Accepted\n\nAmends [2. Use Postgres](0002-use-postgres.md)",
            "Events from orders.",
        ),
    );
    commit("2024-02-01", "amended");
    git_at(root, "2024-02-01", &["tag", "v1"]);
    git_at(root, "2024-02-02", &["checkout", "-q", "-b", "side"]);
    write("0004-use-redis.md", record(4, "Use Redis", "Proposed", "A cache."));
    commit("2024-02-03", "side adds 4");
    git_at(root, "2024-02-04", &["checkout", "-q", "main"]);
    write(
        "0004-use-cockroach.md",
        record(
            4,
            "Use CockroachDB",
            "Accepted\n\nSupersedes [2. Use Postgres](0002-use-postgres.md)",
            "Scale.",
        ),
    );
    write(
        "0002-use-postgres.md",
        record(
            2,
            "Use Postgres",
            "Superseded by [4. Use CockroachDB](0004-use-cockroach.md)",
            "A database for orders.",
        ),
    );
    commit("2024-03-01", "superseded");
    git_at(root, "2024-03-02", &["merge", "-q", "--no-edit", "side"]);
    git_at(
        root,
        "2024-04-01",
        &["mv", "docs/adr/0003-use-kafka.md", "docs/adr/0003-use-kafka-for-events.md"],
    );
    commit("2024-04-01", "renamed");
    write(
        "0001-record-decisions.md",
        record(1, "Record decisions", "Accepted", "We write them down.")
            .replace("Do it.", "Do it, and review them yearly."),
    );
    commit("2024-05-01", "rewritten after acceptance");
    t
}

#[test]
fn every_read_command_at_a_revision_answers_as_on_a_checkout_of_it() {
    let t = scripted();
    let root = t.path();
    let before = files_of(root);
    let questions: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["stats"],
        vec!["show", "2"],
        vec!["chain", "2"],
        vec!["impact", "2"],
        vec!["deps", "3"],
        vec!["path", "3", "1"],
        vec!["search", "orders"],
        vec!["lint", "--today", "2025-01-01"],
        vec!["graph", "-f", "json"],
        vec!["option", "postgres"],
    ];
    for rev in ["v1", "HEAD~2", "2024-03-15", "HEAD", "side"] {
        // A checkout of the revision, made here with git, read by the command line as usual.
        let checkout = tempfile::tempdir().unwrap();
        let co = checkout.path().join("co");
        git_at(root, "2024-01-01", &["clone", "-q", root.to_str().unwrap(), co.to_str().unwrap()]);
        let sha = git_at(
            root,
            "2024-01-01",
            &[
                "rev-list",
                "-n",
                "1",
                "--first-parent",
                &format!("--before={}T23:59:59Z", if rev.starts_with("2024") { rev } else { "2100-01-01" }),
                if rev.starts_with("2024") { "HEAD" } else { rev },
            ],
        );
        git_at(&co, "2024-01-01", &["checkout", "-q", "--detach", sha.trim()]);
        for q in &questions {
            let mut here = vec!["--root", "docs/adr", "-q", "--json"];
            here.extend(q.iter().copied());
            let (code_co, out_co, err_co) = at(&co, &here);
            let mut asked = here.clone();
            asked.extend(["--at", rev]);
            let (code_at, out_at, err_at) = at(root, &asked);
            assert_eq!(code_at, code_co, "{rev} {q:?}: exit codes\n{err_at}\n{err_co}");
            let then: serde_json::Value =
                serde_json::from_str(&out_at).unwrap_or_else(|_| panic!("{rev} {q:?}: {out_at}\n{err_at}"));
            let mut expect: serde_json::Value =
                serde_json::from_str(&out_co).unwrap_or_else(|_| panic!("{rev} {q:?}: {out_co}"));
            let mut got = then["result"].clone();
            // Where each store is kept differs, by design.
            for v in [&mut got, &mut expect] {
                if let Some(o) = v.as_object_mut() {
                    o.remove("refresh");
                }
            }
            assert_eq!(got, expect, "{rev} {q:?}: --at differs from a checkout");
            assert_eq!(then["at"]["commit"].as_str(), Some(sha.trim()), "{rev}");
        }
    }
    assert_eq!(files_of(root), before, "--at wrote into the work tree or .git");
}

#[test]
fn diff_between_revisions_names_each_change_once_renames_as_renames() {
    let t = scripted();
    let root = t.path();
    let before = files_of(root);
    let (code, out, err) = at(root, &["--root", "docs/adr", "-q", "diff", "v1..HEAD", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let changes: Vec<String> = v["changes"].as_array().unwrap().iter().map(|c| c.to_string()).collect();
    let kinds: Vec<&str> =
        v["changes"].as_array().unwrap().iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["added", "added", "renamed", "status", "supersedes", "edited"], "{changes:#?}");
    let text = changes.join("\n");
    assert!(text.contains(r#""from":"docs/adr/0003-use-kafka.md""#), "the rename is one change: {text}");
    assert!(
        text.contains(r#"{"by":"0004-use-cockroach","change":"supersedes","removed":false,"target":"0002-use-postgres"}"#),
        "{text}"
    );
    assert!(text.contains("review them yearly"), "{text}");
    assert_eq!(v["from"]["subject"], "amended");
    assert_eq!(v["to"]["subject"], "rewritten after acceptance");
    // What is in force, then and now.
    let (_, out, _) = at(root, &["--root", "docs/adr", "-q", "--json", "diff", "v1..HEAD", "--in-force"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids = |k: &str| {
        v[k].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(ids("entered"), ["0004-use-cockroach"]);
    assert_eq!(ids("left"), ["0002-use-postgres"]);
    // A revision against the work tree (clean here): the same changes.
    let (_, against_work, _) = at(root, &["--root", "docs/adr", "-q", "--json", "diff", "v1"]);
    let w: serde_json::Value = serde_json::from_str(&against_work).unwrap();
    let (_, range, _) = at(root, &["--root", "docs/adr", "-q", "--json", "diff", "v1..HEAD"]);
    let r: serde_json::Value = serde_json::from_str(&range).unwrap();
    assert_eq!(w["changes"], r["changes"]);
    assert!(w["to"].is_null());
    let (_, markdown, _) =
        at(root, &["--root", "docs/adr", "-q", "diff", "v1..HEAD", "--format", "markdown"]);
    insta::assert_snapshot!("diff_markdown", markdown);
    assert_eq!(files_of(root), before, "diff wrote into the repository");
}

#[test]
fn history_follows_a_record_through_its_commits_and_renames() {
    let t = scripted();
    let root = t.path();
    let steps = |id: &str| -> Vec<serde_json::Value> {
        let (code, out, err) = at(root, &["--root", "docs/adr", "-q", "--json", "history", id]);
        assert_eq!(code, Some(0), "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap().as_array().unwrap().clone()
    };
    let kafka = steps("3");
    let subjects: Vec<&str> = kafka.iter().map(|s| s["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, ["amended", "renamed"], "{kafka:#?}");
    assert_eq!(kafka[0]["created"], true);
    assert_eq!(kafka[0]["path"], "docs/adr/0003-use-kafka.md");
    assert_eq!(kafka[1]["renamed_from"], "docs/adr/0003-use-kafka.md");
    assert_eq!(kafka[1]["author"], "Ada");
    let postgres = steps("0002-use-postgres");
    assert_eq!(postgres.len(), 2);
    let status = &postgres[1]["changes"][0];
    assert_eq!(
        (status["change"].as_str(), status["to"].as_str()),
        (Some("status"), Some("superseded")),
        "{postgres:#?}"
    );
    let first = steps("1");
    assert_eq!(first.len(), 2);
    assert_eq!(first[1]["sections_edited"], serde_json::json!(["Decision"]));
    assert_eq!(first[1]["changes"][0]["change"], "edited");
    assert_eq!(first[1]["date"], "2024-05-01");
    let (_, human, _) = at(root, &["--root", "docs/adr", "-q", "history", "3"]);
    assert!(human.contains("moves 0003-use-kafka-for-events from docs/adr/0003-use-kafka.md"), "{human}");
}

/// `lint --history`: the record rewritten after acceptance is found (named where it is now,
/// with the commit, its author and date), a typo fix and a rewrite recorded with an amendment
/// are not; without --history, nothing is read from git.
#[test]
fn lint_history_finds_a_rewrite_after_acceptance_not_a_typo_fix_or_an_amendment() {
    let t = scripted();
    let root = t.path();
    let adr = root.join("docs/adr");
    let commit = |date: &str, msg: &str| {
        git_at(root, date, &["add", "-A"]);
        git_at(root, date, &["commit", "-q", "-m", msg]);
    };
    let cockroach = adr.join("0004-use-cockroach.md");
    let text = std::fs::read_to_string(&cockroach).unwrap();
    std::fs::write(&cockroach, text.replace("Do it.", "Do it!")).unwrap();
    commit("2024-06-01", "typo");
    let text = std::fs::read_to_string(&cockroach).unwrap();
    let amended = text
        .replace("Do it!", "Run it in three regions, with nightly backups.")
        .replace("## Context", "Amends [3. Use Kafka](0003-use-kafka-for-events.md)\n\n## Context");
    std::fs::write(&cockroach, amended).unwrap();
    commit("2024-06-15", "amended with a link");
    git_at(
        root,
        "2024-07-01",
        &["mv", "docs/adr/0001-record-decisions.md", "docs/adr/0001-record-architecture-decisions.md"],
    );
    commit("2024-07-01", "moved");
    let found = |args: &[&str]| -> Vec<(String, String)> {
        let mut all = vec!["--root", "docs/adr", "-q", "--json", "lint", "--today", "2025-01-01"];
        all.extend(args);
        let (_, out, err) = at(root, &all);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "changed-after-acceptance")
            .map(|f| (f["path"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
            .collect()
    };
    assert!(found(&[]).is_empty());
    let history = found(&["--history"]);
    assert_eq!(history.len(), 1, "{history:#?}");
    assert!(history[0].0.ends_with("docs/adr/0001-record-architecture-decisions.md"), "{history:?}");
    let message = &history[0].1;
    for part in ["review them yearly", "2024-05-01", "rewritten after acceptance"] {
        assert!(message.contains(part), "{part}: {message}");
    }
    let (_, human, _) = at(root, &["--root", "docs/adr", "lint", "--history", "--today", "2025-01-01"]);
    assert!(
        human.contains("warning[changed-after-acceptance]") && human.contains("(2024-05-01, Ada:"),
        "{human}"
    );
    // A wider editorial distance leaves the rewrite out.
    std::fs::write(root.join("adrgraph.toml"), "[lint]\neditorial_distance = 100\n").unwrap();
    assert!(found(&["--history"]).is_empty());
    // Not with --at, and not outside a repository.
    let (code, _, err) = at(root, &["--root", "docs/adr", "lint", "--history", "--at", "HEAD"]);
    assert_eq!(code, Some(2), "{err}");
    let plain = tempfile::tempdir().unwrap();
    crate::util::copy_tree(&adr, &plain.path().join("adr"));
    let (code, _, err) = at(plain.path(), &["--root", "adr", "lint", "--history"]);
    assert_eq!(code, Some(2), "{err}");
}

/// `site --at REV` publishes the log as it was at REV: its records only, each page's history
/// ending at REV, the commit named, the repository untouched.
#[test]
fn site_at_a_revision_publishes_the_log_as_it_was() {
    let t = scripted();
    let root = t.path();
    let before = files_of(root);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("v1");
    let (code, said, err) =
        at(root, &["--root", "docs/adr", "site", "-o", site.to_str().unwrap(), "--at", "v1"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.starts_with("at ") && said.contains("(v1): site as of that commit"), "{said}");
    let pages: Vec<String> = std::fs::read_dir(site.join("decisions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(pages.iter().any(|p| p.starts_with("0003-use-kafka.")), "{pages:?}");
    assert!(!pages.iter().any(|p| p.starts_with("0004")), "0004 came after v1: {pages:?}");
    // 0001 was rewritten after v1: its history at v1 has one commit, at HEAD two.
    let history = |dir: &std::path::Path| {
        let page = std::fs::read_to_string(dir.join("decisions/0001-record-decisions.html")).unwrap();
        page.split("<section class=\"history\">")
            .nth(1)
            .map(|h| h.split("</section>").next().unwrap_or("").to_string())
    };
    let then = history(&site).expect("a History section at v1");
    assert!(then.contains(">1 commit<") && !then.contains("rewritten after acceptance"), "{then}");
    let now_dir = out.path().join("head");
    let (code, _, err) = at(root, &["--root", "docs/adr", "site", "-o", now_dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(history(&now_dir).expect("a History section").contains("rewritten after acceptance"));
    assert_eq!(files_of(root), before, "site --at wrote into the repository");
}

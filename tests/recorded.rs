//! Recorded outputs: every command's output on `data/` (in full) and on the shared corpora (as
//! digests, the test in `corpora.rs`, with this module's helpers), compared byte for byte with
//! the outputs recorded in `tests/recorded/`. A change of layout must leave all of them
//! identical; a change of behaviour re-records them on purpose with `ADRGRAPH_RECORD=1 cargo
//! test recorded` (both tests' names end so) and shows the difference in review.
//!
//! Each run gets a fresh store, so no answer comes from a store an earlier version wrote.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::util::manifest_dir;

/// One command's exit code, stdout and stderr, with the store's path replaced by `<store>`.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `adrgraph` from the crate folder with `store` as its store and colours off.
fn run(store: &Path, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_adrgraph"))
        .current_dir(manifest_dir())
        .args(["--color", "never", "--store"])
        .arg(store)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("ADRGRAPH_STORE")
        .env("COLUMNS", "100")
        .output()
        .expect("adrgraph runs");
    let store_text = store.display().to_string();
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).replace(&store_text, "<store>");
    Run { code: out.status.code().unwrap_or(-1), stdout: text(out.stdout), stderr: text(out.stderr) }
}

/// Appends a run to a recording: the command line, the exit code, stdout and stderr.
fn record(into: &mut String, args: &[&str], run: &Run) {
    let _ = writeln!(into, "$ adrgraph {}", args.join(" "));
    let _ = writeln!(into, "[exit {}]", run.code);
    into.push_str(&run.stdout);
    if !run.stdout.ends_with('\n') {
        into.push('\n');
    }
    if !run.stderr.is_empty() {
        into.push_str("[stderr]\n");
        into.push_str(&run.stderr);
        if !run.stderr.ends_with('\n') {
            into.push('\n');
        }
    }
    into.push('\n');
}

/// Compares `actual` with the recording at `path`, or writes it when `ADRGRAPH_RECORD` is set.
/// On a difference, the first differing line is named.
pub(crate) fn compare(path: &Path, actual: &str) {
    if std::env::var_os("ADRGRAPH_RECORD").is_some() {
        std::fs::create_dir_all(path.parent().expect("folder")).expect("recording folder");
        std::fs::write(path, actual).expect("recording written");
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}; record with ADRGRAPH_RECORD=1", path.display()));
    if expected == actual {
        return;
    }
    let (line, (want, got)) = expected
        .lines()
        .zip(actual.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .map(|(n, pair)| (n + 1, pair))
        .unwrap_or((expected.lines().count().min(actual.lines().count()) + 1, ("<end>", "<end>")));
    panic!(
        "{} differs from the recorded output at line {line}:\n  recorded: {want}\n  now:      {got}\n\
         ({} recorded lines, {} now)",
        path.display(),
        expected.lines().count(),
        actual.lines().count()
    );
}

pub(crate) fn recorded(name: &str) -> PathBuf {
    manifest_dir().join("tests/recorded").join(name)
}

/// Ids of every decision under `root`, from `list --json`.
fn ids(store: &Path, root: &str) -> Vec<String> {
    let out = run(store, &["--root", root, "--quiet", "list", "--json"]);
    if out.code == 2 {
        return Vec::new(); // nothing to read: the commands' errors are recorded all the same
    }
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).expect("list --json");
    rows.iter().map(|row| row["id"].as_str().expect("id").to_owned()).collect()
}

/// The commands recorded on one tree: every read command, human and JSON, every graph text
/// format, and `show`, `impact`, `deps` and `chain` for `each` of the decisions.
fn command_lines(root: &str, each: &[String], searches: &[&str]) -> Vec<(String, Vec<String>)> {
    let base = |rest: &[&str]| -> Vec<String> {
        ["--root", root].iter().chain(rest).map(|s| s.to_string()).collect()
    };
    let mut groups: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    let mut tree = vec![
        base(&["index", "--rebuild"]),
        base(&["index", "--json"]),
        base(&["list"]),
        base(&["list", "--json"]),
        base(&["list", "--sort", "date"]),
        base(&["list", "--sort", "number", "--status", "accepted"]),
        base(&["-v", "list", "--sort", "id"]),
        base(&["stats"]),
        base(&["stats", "--json"]),
        base(&["stats", "--diagnostics"]),
        base(&["lint", "--today", "2026-12-01"]),
        base(&["lint", "--today", "2026-12-01", "--format", "json"]),
        base(&["lint", "--today", "2026-12-01", "--format", "github"]),
        base(&["lint", "--today", "2026-12-01", "--format", "sarif"]),
        base(&["lint", "--today", "2026-12-01", "--fix", "--dry-run"]),
    ];
    for format in ["dot", "json", "mermaid", "graphml"] {
        tree.push(base(&["graph", "--format", format]));
    }
    tree.push(base(&["graph", "--options", "--edges", "decided_by,tagged", "--rank", "number"]));
    tree.push(base(&["graph", "--status", "accepted", "--format", "mermaid"]));
    groups.push(("tree".into(), tree));

    let mut search = Vec::new();
    for query in searches {
        search.push(base(&["search", query]));
        search.push(base(&["search", query, "--json"]));
        search.push(base(&["search", query, "--status", "accepted", "--limit", "3"]));
        search.push(base(&["option", query]));
        search.push(base(&["option", query, "--json"]));
    }
    groups.push(("search".into(), search));

    let mut one = Vec::new();
    for id in each {
        one.push(base(&["show", id]));
        one.push(base(&["show", id, "--json"]));
        one.push(base(&["impact", id]));
        one.push(base(&["impact", id, "--json"]));
        one.push(base(&["deps", id, "--json"]));
        one.push(base(&["chain", id]));
        one.push(base(&["chain", id, "--json"]));
        one.push(base(&["graph", "--focus", id, "--depth", "1", "--format", "mermaid"]));
    }
    for pair in each.windows(2).step_by(3) {
        one.push(base(&["path", &pair[0], &pair[1]]));
        one.push(base(&["path", &pair[0], &pair[1], "--json"]));
    }
    groups.push(("decisions".into(), one));

    groups
        .into_iter()
        .flat_map(|(group, lines)| lines.into_iter().map(move |line| (group.clone(), line)))
        .collect()
}

#[test]
fn every_command_on_data_is_as_recorded() {
    let store = tempfile::tempdir().expect("store");
    let mut files: std::collections::BTreeMap<String, String> = Default::default();

    let mut help = String::new();
    let commands = [
        "list", "show", "stats", "impact", "deps", "chain", "path", "search", "index", "lint", "graph",
        "option",
    ];
    for args in [vec!["--help"], vec!["-h"], vec!["--version"], vec!["lint", "--explain"]]
        .into_iter()
        .chain(commands.iter().map(|c| vec![*c, "--help"]))
        .chain([vec!["show"], vec!["frobnicate"], vec!["list", "--sort", "size"]])
    {
        record(&mut help, &args, &run(store.path(), &args));
    }
    files.insert("help".into(), help);

    let ids = ids(store.path(), "data");
    assert!(ids.len() >= 25, "data/ has {} decisions", ids.len());
    for (group, line) in command_lines("data", &ids, &["kafka", "event bus", "postgres*", "stripe"]) {
        let args: Vec<&str> = line.iter().map(String::as_str).collect();
        let out = run(store.path(), &args);
        record(files.entry(group).or_default(), &args, &out);
    }
    for bad in [vec!["show", "99999"], vec!["show", "1"], vec!["impact", "nope"], vec!["search", "("]] {
        let args: Vec<&str> = ["--root", "data"].into_iter().chain(bad).collect();
        let out = run(store.path(), &args);
        record(files.entry("errors".into()).or_default(), &args, &out);
    }

    for (name, text) in &files {
        compare(&recorded(&format!("data/{name}.txt")), text);
    }
}

/// The digests of every recorded command on one tree, in a store of its own.
pub(crate) fn tree_digests(name: &str, show_every: bool) -> String {
    let mut digests = String::new();
    let store = tempfile::tempdir().expect("store");
    let every = ids(store.path(), name);
    // Each decision is shown; the graph questions are asked of the first twelve. The store is
    // fresh from the commands before (nothing changes the tree meanwhile), so the rest are
    // shown without checking it again (the check is the default path's: the first twelve's).
    let mut lines = command_lines(name, &every[..every.len().min(12)], &["kafka", "status"]);
    if show_every {
        for id in every.iter().skip(12) {
            let line = ["--root", name, "--no-refresh", "show", id, "--json"].map(String::from).to_vec();
            lines.push(("decisions".to_string(), line));
        }
    }
    for (_, line) in lines {
        let args: Vec<&str> = line.iter().map(String::as_str).collect();
        let out = run(store.path(), &args);
        let _ = writeln!(
            digests,
            "{:016x} {:016x} {} {}",
            xxhash_rust::xxh3::xxh3_64(out.stdout.as_bytes()),
            xxhash_rust::xxh3::xxh3_64(out.stderr.as_bytes()),
            out.code,
            args.join(" ")
        );
    }
    digests
}

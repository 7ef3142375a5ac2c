//! `adrgraph serve` and `adrgraph site` over plain HTTP (no browser): every API answer equals
//! the command line's `--json` for the same question (each side with its own store), text
//! from records is escaped, unknown ids and paths are 404s and nothing outside the tree is
//! served, every answer carries the CSP, the live refresh, a slow client, and the static
//! site's bytes.

use crate::util::{adrgraph, copy_tree, files_of, manifest_dir, stdout_of};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `adrgraph serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    _store: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serve `root` (relative to `dir`) on a free port, with a store of its own.
    pub fn start(dir: &Path, root: &str) -> Server {
        Server::start_with(dir, root, &[], None)
    }

    /// The same with more `serve` options, and a `PATH` of its own when given.
    pub fn start_with(dir: &Path, root: &str, extra: &[&str], path: Option<&Path>) -> Server {
        let store = tempfile::tempdir().unwrap();
        let bin = assert_cmd::cargo::cargo_bin("adrgraph");
        let mut cmd = Command::new(bin);
        cmd.current_dir(dir)
            .args(["--root", root, "--store"])
            .arg(store.path())
            .args(["serve", "--port", "0"])
            .args(extra)
            .env("XDG_CACHE_HOME", crate::util::test_cache())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(p) = path {
            cmd.env("PATH", p);
        }
        let mut child = cmd.spawn().expect("serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let at = line.find("http://").unwrap_or_else(|| panic!("no address in {line:?}"));
        let base = line[at..].split_whitespace().next().unwrap().trim_end_matches('/').to_string();
        Server { child, base, _store: store }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The store the server reads (a command line given it shares it).
    pub fn store(&self) -> &Path {
        self._store.path()
    }

    /// GET `path`: status, content type and body (any status is an answer).
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let r = match ureq::get(&format!("{}{path}", self.base)).timeout(Duration::from_secs(120)).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("GET {path}: {e}"),
        };
        let (code, kind) = (r.status(), r.header("content-type").unwrap_or_default().to_string());
        (code, kind, r.into_string().unwrap())
    }

    /// GET `path` and all of its headers.
    pub fn headers(&self, path: &str) -> (u16, Vec<(String, String)>) {
        let r = match ureq::get(&format!("{}{path}", self.base)).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("GET {path}: {e}"),
        };
        let h = r
            .headers_names()
            .into_iter()
            .map(|n| (n.clone(), r.header(&n).unwrap_or_default().to_string()))
            .collect();
        (r.status(), h)
    }
}

/// The command line's `--json` answer for `args`, run with a store of its own.
fn cli_json(dir: &Path, root: &str, args: &[&str]) -> String {
    let store = tempfile::tempdir().unwrap();
    let mut cmd = adrgraph(dir);
    cmd.args(["--root", root, "--store"]).arg(store.path()).arg("--json").args(args);
    let out = cmd.output().unwrap();
    assert!(out.status.code().unwrap_or(9) <= 1, "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A small tree's process never asks for huge pages (each would be cleared whole, 2 MiB, on its
/// first touch): they are off from before the first allocation, and stay off once the store
/// is open. (Turning them on for a large store is the unit test in `src/cli/pages.rs`.)
#[cfg(target_os = "linux")]
#[test]
fn a_small_trees_process_stays_on_small_pages() {
    let s = Server::start(&manifest_dir(), "data");
    assert_eq!(s.get("/api/decisions").0, 200);
    let status = std::fs::read_to_string(format!("/proc/{}/status", s.pid())).unwrap();
    let thp = status.lines().find_map(|l| l.strip_prefix("THP_enabled:")).map(str::trim);
    assert_eq!(thp, Some("0"), "{status}");
}

#[test]
fn every_api_answer_is_the_cli_json() {
    let dir = manifest_dir();
    let s = Server::start(&dir, "data");
    let ids = ["ADR-005-adopt-istio-service-mesh", "0002-run-services-with-docker-compose"];
    let mut asked: Vec<(String, Vec<String>)> = vec![
        ("/api/decisions".into(), vec!["list".into()]),
        ("/api/decisions?status=accepted".into(), vec!["list".into(), "--status".into(), "accepted".into()]),
        ("/api/search?q=kafka".into(), vec!["search".into(), "kafka".into()]),
        (
            "/api/search?q=event%20bus&status=accepted&limit=3".into(),
            vec![
                "search".into(),
                "event bus".into(),
                "--status".into(),
                "accepted".into(),
                "--limit".into(),
                "3".into(),
            ],
        ),
        ("/api/graph.json".into(), vec!["graph".into()]),
        ("/api/lint".into(), vec!["lint".into()]),
    ];
    for id in ids {
        asked.push((format!("/api/decisions/{id}"), vec!["show".into(), id.into()]));
        asked.push((format!("/api/impact/{id}"), vec!["impact".into(), id.into()]));
        asked.push((
            format!("/api/impact/{id}?depth=1"),
            vec!["impact".into(), id.into(), "--depth".into(), "1".into()],
        ));
        asked.push((format!("/api/deps/{id}"), vec!["deps".into(), id.into()]));
        asked.push((format!("/api/chain/{id}"), vec!["chain".into(), id.into()]));
    }
    for (path, args) in &asked {
        let (code, kind, body) = s.get(path);
        assert_eq!(code, 200, "{path}: {body}");
        assert_eq!(kind, "application/json", "{path}");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let expected = cli_json(&dir, "data", &args);
        assert!(expected.len() > 20, "{args:?} gave {expected:?}");
        assert_eq!(body, expected, "{path} differs from `adrgraph --json {}`", args.join(" "));
    }
}

#[test]
fn pages_answer_and_name_every_decision() {
    let dir = manifest_dir();
    let s = Server::start(&dir, "data");
    let list: serde_json::Value = serde_json::from_str(&s.get("/api/decisions").2).unwrap();
    let list = list.as_array().unwrap();
    let (code, kind, log) = s.get("/");
    assert_eq!((code, kind.as_str()), (200, "text/html; charset=utf-8"));
    for d in list {
        let id = d["id"].as_str().unwrap();
        assert!(log.contains(&format!("href=\"/decisions/{id}\"")), "the log has no link to {id}");
        let (code, _, page) = s.get(&format!("/decisions/{id}"));
        assert_eq!(code, 200, "{id}");
        assert!(page.contains("<h2>Impact"), "{id}: no impact section");
    }
    let (_, _, accepted) = s.get("/?status=accepted");
    let n = list.iter().filter(|d| d["status"] == "accepted").count();
    assert!(accepted.contains(&format!("{n} of {} decisions", list.len())), "filter count");
    assert!(!accepted.contains("data-status=\"superseded\""), "a superseded row under status=accepted");
    // A superseded decision's page names the decision in force, and links to it.
    let sup = list.iter().find(|d| d["status"] == "superseded").expect("data/ has a superseded decision");
    let chain: serde_json::Value =
        serde_json::from_str(&s.get(&format!("/api/chain/{}", sup["id"].as_str().unwrap())).2).unwrap();
    let in_force = chain["in_force"][0].as_str().expect("its chain has a decision in force");
    let page = s.get(&format!("/decisions/{}", sup["id"].as_str().unwrap())).2;
    assert!(page.contains("In force instead"), "no in-force note");
    assert!(page.contains(&format!("href=\"/decisions/{in_force}\"")), "no link to {in_force}");
    for path in ["/search?q=kafka", "/graph", "/timeline", "/lint", "/assets/style.css", "/assets/app.js"] {
        assert_eq!(s.get(path).0, 200, "{path}");
    }
    let hits = s.get("/search?q=kafka").2;
    assert!(hits.contains("<mark>"), "no highlighted term in the hits");
    let (code, _, bad) = s.get("/search?q=title%3A%28");
    assert_eq!(code, 200);
    assert!(bad.contains("does not read"), "a query syntax error is shown");
}

#[test]
fn unknown_ids_and_paths_are_404_and_nothing_outside_the_tree_is_served() {
    let dir = manifest_dir();
    let s = Server::start(&dir, "data");
    for path in [
        "/decisions/no-such-decision",
        "/decisions/..%2f..%2fetc%2fpasswd",
        "/decisions/../../etc/passwd",
        "/source/..%2F..%2F..%2Fetc%2Fpasswd",
        "/source/%2Fetc%2Fpasswd",
        "/assets/..%2f..%2fCargo.toml",
        "/data/platform/ADR-001-use-nats-for-event-bus.md",
        "/api/decisions/..%2f..%2fetc%2fpasswd",
        "/api/nothing",
        "/Cargo.toml",
        "/.git/config",
    ] {
        let (code, _, body) = s.get(path);
        assert_eq!(code, 404, "{path}");
        assert!(
            !body.contains("root:") && !body.contains("[package]") && !body.contains("[core]"),
            "{path} leaked a file"
        );
    }
    // The record's own file is served, as text.
    let (code, kind, text) = s.get("/source/ADR-001-use-nats-for-event-bus");
    assert_eq!((code, kind.as_str()), (200, "text/plain; charset=utf-8"));
    assert!(text.contains("NATS"));
    // No write endpoint: other methods are refused.
    for path in ["/", "/api/decisions", "/decisions/ADR-001-use-nats-for-event-bus"] {
        let r = ureq::post(&format!("{}{path}", s.base)).send_string("x");
        assert!(matches!(r, Err(ureq::Error::Status(405, _))), "POST {path}: {r:?}");
    }
}

#[test]
fn every_answer_carries_the_security_headers() {
    let s = Server::start(&manifest_dir(), "data");
    for path in ["/", "/decisions/ADR-001-use-nats-for-event-bus", "/api/lint", "/nothing", "/assets/app.js"]
    {
        let (_, h) = s.headers(path);
        let get = |k: &str| h.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)).map(|(_, v)| v.as_str());
        assert_eq!(get("content-security-policy"), Some(adrgraph::web::CSP), "{path}");
        assert_eq!(get("x-content-type-options"), Some("nosniff"), "{path}");
    }
}

/// A copy of `data/` with one hostile record added.
fn hostile_tree() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("data"), &t.path().join("data"));
    std::fs::write(
        t.path().join("data/platform/ADR-099-evil.md"),
        "# ADR-099: `<script>alert(1)</script>` & \"quotes\"\n\n**Status:** Accepted\n**Tags:** &lt;b&gt;tag\n\n## Context\n\n&lt;img src=x onerror=alert(2)&gt; and `<svg onload=alert(4)>`, a [link](javascript:alert(3)).\n\n## Decision\n\nWe use &lt;/textarea&gt;&lt;script&gt;alert(5)&lt;/script&gt;.\n",
    )
    .unwrap();
    t
}

#[test]
fn text_from_records_is_escaped_everywhere() {
    let t = hostile_tree();
    let s = Server::start(t.path(), "data");
    let pages = [
        "/",
        "/decisions/ADR-099-evil",
        "/search?q=alert",
        "/timeline",
        "/lint",
        "/graph?focus=ADR-099-evil",
    ];
    for path in pages {
        let (code, _, body) = s.get(path);
        assert_eq!(code, 200, "{path}");
        for raw in ["<script>alert", "<img src=x", "<svg onload", "<b>tag"] {
            assert!(!body.contains(raw), "{path} carries {raw:?} unescaped");
        }
    }
    let page = s.get("/decisions/ADR-099-evil").2;
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown as text");
    let search = s.get("/search?q=alert").2;
    assert!(search.contains("ADR-099"), "the hostile record is found");
}

#[test]
fn a_slow_client_does_not_stall_the_others_and_bad_requests_do_not_stop_the_server() {
    let s = Server::start(&manifest_dir(), "data");
    let addr = s.base.trim_start_matches("http://").to_string();
    // Ten clients that send half a request and wait.
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut c = std::net::TcpStream::connect(&addr).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
        slow.push(c);
    }
    // Garbage, a huge header line and an abandoned connection.
    let mut g = std::net::TcpStream::connect(&addr).unwrap();
    g.write_all(b"\x00\x01BREW /coffee HTCPCP/1.0\r\n\r\n").unwrap();
    let mut answer = Vec::new();
    g.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = g.read_to_end(&mut answer);
    let mut h = std::net::TcpStream::connect(&addr).unwrap();
    let _ = h.write_all(format!("GET /?{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(200_000)).as_bytes());
    drop(h);
    for _ in 0..20 {
        assert_eq!(s.get("/api/lint").0, 200);
        assert_eq!(s.get("/search?q=%ZZ%").0, 200);
    }
    drop(slow);
    assert_eq!(s.get("/").0, 200);
}

/// One request written by hand with the `Host` header given: status line and body.
fn with_host(base: &str, path: &str, host: &str) -> (String, String) {
    let mut c = std::net::TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    c.write_all(format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut answer = Vec::new();
    let _ = c.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.lines().next().unwrap_or_default().to_string();
    (status, text)
}

#[test]
fn a_loopback_server_answers_only_loopback_hosts_and_the_names_allowed() {
    // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 sends
    // `Host: evil.example`; it must read nothing.
    let s = Server::start(&manifest_dir(), "data");
    for path in [
        "/api/decisions",
        "/decisions/ADR-001-use-nats-for-event-bus",
        "/source/ADR-001-use-nats-for-event-bus",
        "/",
    ] {
        let (status, text) = with_host(&s.base, path, "evil.example");
        assert!(status.contains(" 421 "), "{path}: {status}");
        assert!(!text.contains("NATS") && !text.contains("nats"), "{path}: the record leaks: {text}");
        let port = s.base.rsplit(':').next().unwrap();
        for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), "[::1]".to_string()] {
            assert!(with_host(&s.base, path, &host).0.contains(" 200 "), "{path} for {host}");
        }
    }
    // The refusal names the way out.
    let (_, text) = with_host(&s.base, "/", "Evil.Example:8080");
    assert!(text.contains("--allow-host evil.example"), "{text}");
    // A name allowed is answered.
    let s = Server::start_with(&manifest_dir(), "data", &["--allow-host", "docs.example"], None);
    assert!(with_host(&s.base, "/api/decisions", "docs.example:443").0.contains(" 200 "));
    assert!(with_host(&s.base, "/api/decisions", "evil.example").0.contains(" 421 "));
}

/// Wait until `f` holds, for up to 20 s.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what}: not seen within 20 s");
}

#[test]
fn edits_additions_and_removals_are_served_live_and_pages_are_told() {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("data"), &t.path().join("data"));
    let s = Server::start(t.path(), "data");
    // An open page's event stream.
    let events = ureq::get(&format!("{}/events", s.base)).call().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(events.into_reader()).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let file = t.path().join("data/platform/ADR-001-use-nats-for-event-bus.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("Use NATS", "Use NATS everywhere", 1)).unwrap();
    eventually("the edited title", || {
        s.get("/api/decisions/ADR-001-use-nats-for-event-bus").2.contains("NATS everywhere")
    });
    let start = Instant::now();
    let mut told = false;
    while start.elapsed() < Duration::from_secs(10) && !told {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(500)) {
            told = line == "event: reload";
        }
    }
    assert!(told, "the open page was not told to reload");
    let added = t.path().join("data/platform/ADR-050-adopt-live-pages.md");
    std::fs::write(
        &added,
        "# ADR-050: Adopt live pages\n\n**Status:** Proposed\n\n## Context\n\nWatching.\n",
    )
    .unwrap();
    eventually("the added record", || s.get("/decisions/ADR-050-adopt-live-pages").0 == 200);
    assert!(s.get("/").2.contains("Adopt live pages"));
    assert!(s.get("/api/search?q=watching").2.contains("ADR-050"), "the added record is searchable");
    std::fs::remove_file(&added).unwrap();
    eventually("the removed record", || s.get("/decisions/ADR-050-adopt-live-pages").0 == 404);
}

#[test]
fn the_static_site_has_every_page_with_relative_links_and_the_same_bytes_twice() {
    let dir = manifest_dir();
    let out = tempfile::tempdir().unwrap();
    let build = |name: &str| {
        let store = tempfile::tempdir().unwrap();
        let target = out.path().join(name);
        stdout_of(
            adrgraph(&dir)
                .args(["--root", "data", "--store"])
                .arg(store.path())
                .arg("site")
                .arg("-o")
                .arg(&target),
        );
        files_of(&target)
    };
    let (a, b) = (build("a"), build("b"));
    assert_eq!(a, b, "two builds of the same tree differ");
    let list: serde_json::Value = serde_json::from_str(&cli_json(&dir, "data", &["list"])).unwrap();
    let names: Vec<String> = a.keys().map(|p| p.to_string_lossy().into_owned()).collect();
    for d in list.as_array().unwrap() {
        let page = format!("decisions/{}.html", adrgraph::web::file_name(d["id"].as_str().unwrap()));
        assert!(names.contains(&page), "no {page}");
    }
    for page in [
        "index.html",
        "search.html",
        "graph.html",
        "timeline.html",
        "lint.html",
        "search-index.js",
        "assets/app.js",
    ] {
        assert!(names.iter().any(|n| n == page), "no {page}");
    }
    for (p, bytes) in &a {
        let text = String::from_utf8_lossy(bytes);
        if p.extension().is_some_and(|e| e == "html") {
            assert!(
                !text.contains("href=\"/") && !text.contains("src=\"/"),
                "{} has an absolute link",
                p.display()
            );
        }
    }
    // Writing into the decision tree is refused.
    let store = tempfile::tempdir().unwrap();
    let r = adrgraph(&dir)
        .args(["--root", "data", "--store"])
        .arg(store.path())
        .args(["site", "-o", "data/site"])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("inside the decision tree"));
    assert!(!dir.join("data/site").exists());
}

#[test]
fn without_graphviz_the_graph_page_says_so_and_with_a_known_remote_pages_link_the_repository() {
    let t = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("data"), &t.path().join("data"));
    std::fs::create_dir_all(t.path().join(".git")).unwrap();
    std::fs::write(
        t.path().join(".git/config"),
        "[remote \"origin\"]\n\turl = git@github.com:acme/decisions.git\n",
    )
    .unwrap();
    // A PATH without Graphviz.
    let s = Server::start_with(t.path(), "data", &["--no-watch"], Some(&t.path().join("nothing-here")));
    let (code, _, graph) = s.get("/graph");
    assert_eq!(code, 200);
    assert!(graph.contains("Graphviz (`dot`) is not installed"), "no note without dot");
    assert!(!graph.contains("<svg"));
    let page = s.get("/decisions/ADR-001-use-nats-for-event-bus").2;
    assert!(
        page.contains("href=\"https://github.com/acme/decisions/blob/HEAD/data/platform/ADR-001-use-nats-for-event-bus.md\""),
        "no link to the file in the repository"
    );
}

#[cfg(unix)]
#[test]
fn source_is_never_read_through_a_folder_swapped_for_a_link() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let write = |p: &str, text: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("adr/sub/0001-a.md", "# 1. A\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n");
    write("outside/0001-a.md", "# 1. A\n\nSECRET outside the tree\n");
    let s = Server::start_with(root, "adr", &["--no-watch"], None);
    let list: serde_json::Value = serde_json::from_str(&s.get("/api/decisions").2).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let (code, _, text) = s.get(&format!("/source/{id}"));
    assert_eq!(code, 200);
    assert!(text.contains("Accepted"));
    std::fs::rename(root.join("adr/sub"), root.join("adr/gone")).unwrap();
    std::os::unix::fs::symlink("../outside", root.join("adr/sub")).unwrap();
    let (code, _, text) = s.get(&format!("/source/{id}"));
    assert_eq!(code, 404, "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}

#[test]
fn a_change_the_command_line_refreshed_first_is_still_served() {
    // `adrgraph status 2 Deprecated && adrgraph list` on the server's store: the command line's
    // refresh parses the change before the server's does, which then finds nothing to parse.
    let t = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("data"), &t.path().join("data"));
    let s = Server::start(t.path(), "data");
    let id = "ADR-001-use-nats-for-event-bus";
    assert!(s.get(&format!("/api/decisions/{id}")).2.contains("\"accepted\""));
    let cli = |args: &[&str]| {
        let out = adrgraph(t.path())
            .args(["--root", "data", "-q", "--store"])
            .arg(s.store())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    cli(&["status", id, "Deprecated"]);
    cli(&["list"]);
    eventually("the status the command line wrote", || {
        s.get(&format!("/api/decisions/{id}")).2.contains("\"deprecated\"")
    });
}

/// In a git repository, a decision's page lists the commits that changed its record, as
/// `adrgraph history` does, every word escaped.
#[test]
fn a_decision_page_shows_its_history_from_git_escaped() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let adr = root.join("doc/adr");
    std::fs::create_dir_all(&adr).unwrap();
    let git = |date: &str, args: &[&str]| crate::util::git_at_time(root, &format!("{date}T12:00:00Z"), args);
    git("2024-01-01", &["init", "-q", "-b", "main"]);
    let record = |status: &str| {
        format!("# 1. Use Kafka\n\nDate: 2024-01-01\n\n## Status\n\n{status}\n\n## Context\n\nc\n\n## Decision\n\nKafka.\n")
    };
    std::fs::write(adr.join("0001-use-kafka.md"), record("Proposed")).unwrap();
    git("2024-01-02", &["add", "-A"]);
    git("2024-01-02", &["commit", "-q", "-m", "propose <script>alert(1)</script>"]);
    std::fs::write(adr.join("0001-use-kafka.md"), record("Accepted")).unwrap();
    git("2024-02-01", &["commit", "-q", "-am", "accept it"]);
    let out = root.join("site");
    let store = tempfile::tempdir().unwrap();
    stdout_of(
        adrgraph(root)
            .args(["--root", "doc/adr", "--store"])
            .arg(store.path())
            .arg("site")
            .arg("-o")
            .arg(&out),
    );
    let page = std::fs::read_to_string(out.join("decisions/0001-use-kafka.html")).unwrap();
    let history = page.split("<section class=\"history\">").nth(1).expect("a History section");
    assert!(history.contains("2 commits"), "{history}");
    assert!(
        history.contains("propose &lt;script&gt;alert(1)&lt;/script&gt;") && !history.contains("<script>"),
        "{history}"
    );
    assert!(
        history.contains("accept it") && history.contains("proposed") && history.contains("accepted"),
        "{history}"
    );
    // Outside a repository, no History section.
    let plain = tempfile::tempdir().unwrap();
    copy_tree(&adr, &plain.path().join("adr"));
    let out = plain.path().join("site");
    stdout_of(
        adrgraph(plain.path())
            .args(["--root", "adr", "--store"])
            .arg(store.path())
            .arg("site")
            .arg("-o")
            .arg(&out),
    );
    let page = std::fs::read_to_string(out.join("decisions/0001-use-kafka.html")).unwrap();
    assert!(!page.contains("class=\"history\""));
}

/// `?at=REV` on any page or API answer: the tree as it was at that revision (a tag, a date,
/// `HEAD~1`), each API answer the bytes of `--at COMMIT --json`, pages linking under
/// `/at/COMMIT/` with a banner naming the commit; the work tree's answers unchanged beside
/// them; a revision that does not exist is a 404 naming it; nothing is written into the tree
/// or `.git`.
#[test]
fn serve_answers_every_page_and_api_as_of_a_revision() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    copy_tree(&manifest_dir().join("data"), &root.join("data"));
    let git = |date: &str, args: &[&str]| crate::util::git_at_time(root, &format!("{date}T12:00:00Z"), args);
    git("2024-01-01", &["init", "-q", "-b", "main"]);
    git("2024-01-02", &["add", "-A"]);
    git("2024-01-02", &["commit", "-q", "-m", "the log"]);
    git("2024-01-02", &["tag", "v1"]);
    let v1 = git("2024-01-02", &["rev-parse", "v1"]).trim().to_string();
    let four = root.join("data/platform/ADR-004-postgresql-schema-per-module.md");
    let text = std::fs::read_to_string(&four).unwrap();
    std::fs::write(&four, text.replace("Accepted", "Deprecated").replace("accepted", "deprecated")).unwrap();
    std::fs::write(
        root.join("data/platform/ADR-011-adopt-zanzibar.md"),
        "# ADR-011: Adopt Zanzibar\n\n## Status\n\nAccepted\n\n## Decision\n\nWe adopt it.\n",
    )
    .unwrap();
    git("2024-02-01", &["add", "-A"]);
    git("2024-02-01", &["commit", "-q", "-m", "deprecate 4, adopt Zanzibar"]);
    let before = files_of(root);
    let s = Server::start(root, "data");
    let id = "ADR-004-postgresql-schema-per-module";

    for (asked, path, cli) in [
        ("v1", "/api/decisions".to_string(), vec!["list"]),
        ("2024-01-15", format!("/api/decisions/{id}"), vec!["show", id]),
        ("HEAD~1", format!("/api/impact/{id}"), vec!["impact", id]),
        ("v1", "/api/search?q=postgresql".to_string(), vec!["search", "postgresql"]),
        ("v1", "/api/lint".to_string(), vec!["lint"]),
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let (code, kind, body) = s.get(&format!("{path}{sep}at={asked}"));
        assert_eq!((code, kind.as_str()), (200, "application/json"), "{path} at {asked}: {body}");
        let mut args = vec!["--at", v1.as_str()];
        args.extend(&cli);
        assert_eq!(body, cli_json(root, "data", &args), "{path} at {asked} is `--at {v1} {cli:?} --json`");
    }
    let (_, _, body) = s.get(&format!("/api/decisions/{id}?at=v1"));
    assert!(body.contains("\"status\": \"accepted\""), "{body}");
    let (_, _, now) = s.get(&format!("/api/decisions/{id}"));
    assert!(now.contains("\"status\": \"deprecated\"") && !now.contains("\"at\""), "{now}");

    // Pages: the banner, the status then, and every link staying in that revision.
    let (code, _, page) = s.get(&format!("/decisions/{id}?at=v1"));
    assert_eq!(code, 200, "{page}");
    assert!(
        page.contains("As of <strong>") && page.contains(&v1[..10]) && page.contains("the log"),
        "{page}"
    );
    assert!(page.contains("badge st-accepted") && !page.contains("badge st-deprecated"), "{page}");
    let top = format!("/at/{v1}/");
    for href in page.split("href=\"").skip(1).map(|h| h.split('"').next().unwrap()) {
        assert!(href.starts_with(&top) || href == "/" || href.starts_with("http"), "{href} stays at {v1}");
    }
    let (code, _, _) = s.get(&format!("{top}decisions/ADR-011-adopt-zanzibar"));
    assert_eq!(code, 404, "a record added later is not there at v1");
    let (code, _, log) = s.get(&format!("{top}?status=accepted"));
    assert!(
        code == 200 && !log.contains("Zanzibar") && log.contains("PostgreSQL schema per module"),
        "{log}"
    );
    let (code, _, found) = s.get("/search?q=zanzibar&at=v1");
    assert!(code == 200 && !found.contains("ADR-011"), "{found}");
    let (_, _, found) = s.get("/search?q=zanzibar");
    assert!(found.contains("ADR-011"), "{found}");
    let (code, _, page) = s.get(&format!("/decisions/{id}"));
    assert!(code == 200 && page.contains("badge st-deprecated") && !page.contains("As of <strong>"));

    // A revision that does not exist, then the server goes on.
    let (code, _, body) = s.get("/?at=no-such-tag");
    assert!(code == 404 && body.contains("no-such-tag"), "{code}: {body}");
    let (code, _, body) = s.get(&format!("/?at={}", "x".repeat(300)));
    assert_eq!(code, 400, "{body}");
    let (code, _, _) = s.get("/");
    assert_eq!(code, 200);
    drop(s);
    assert!(files_of(root) == before, "nothing written into the tree or .git");
}

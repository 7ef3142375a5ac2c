//! `adrgraph mcp` end to end with the official MCP Python SDK (`pip install mcp`; the test
//! command installs it when missing): every tool's structuredContent against the command line's
//! `--json`, the bad inputs, fresh answers after an edit and a removal (`tests/mcp_client.py`).

use crate::util::{copy_tree, manifest_dir, test_cache};

/// Whether the Python SDK can be imported; without it the test fails under CI and is skipped
/// (said on stderr) elsewhere.
fn python_sdk() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "the MCP Python SDK is missing (pip install mcp); CI runs need it"
        );
        eprintln!("skipping: the MCP Python SDK is not installed (pip install mcp)");
    }
    ok
}

/// Run `tests/mcp_client.py` over `transport` (`stdio` or `http`) on a copy of `data/` with a
/// file of code carrying a marker.
fn client_checks(transport: &str) {
    if !python_sdk() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("data"), &t.path().join("data"));
    std::fs::create_dir_all(t.path().join("src/events")).unwrap();
    std::fs::write(t.path().join("src/events/outbox.rs"), "// ADR-008: publish through the outbox table.\n")
        .unwrap();
    // A real repository with one commit: the tools' `at` reads it.
    crate::pr::git(t.path(), &["init", "-q", "-b", "main"]);
    crate::pr::git(t.path(), &["add", "-A"]);
    crate::pr::git(t.path(), &["commit", "-q", "-m", "the log"]);
    let bin = assert_cmd::cargo::cargo_bin("adrgraph");
    let out = std::process::Command::new("python3")
        .arg(manifest_dir().join("tests/mcp_client.py"))
        .arg(&bin)
        .arg(t.path())
        .args((transport == "http").then_some("http"))
        .env("XDG_CACHE_HOME", test_cache())
        .env_remove("ADRGRAPH_STORE")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("all checks passed"), "{stdout}");
    // Every tool was compared with the command line.
    assert!(stdout.matches(" equals `adrgraph --json ").count() >= 16, "{stdout}");
    assert!(stdout.contains("ok: chain at HEAD names the commit"), "{stdout}");
}

#[test]
fn the_python_sdk_gets_the_command_lines_answers_and_clean_errors() {
    client_checks("stdio");
}

#[test]
fn the_same_over_streamable_http_on_loopback() {
    client_checks("http");
}

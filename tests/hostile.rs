//! Hostile trees: every case is generated in a temporary tree next to good files that must still
//! be read. Nothing may panic or hang, each bad file gets a diagnostic naming its path where
//! something could not be read, and the exit code says that problems were found.

use crate::util::adrgraph;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn good(dir: &Path, n: u32) {
    fs::write(
        dir.join(format!("{n:04}-good-{n}.md")),
        format!("# {n}. Good {n}\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n"),
    )
    .unwrap();
}

#[test]
fn hostile_files_are_reported_and_the_rest_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("adr");
    fs::create_dir(&root).unwrap();
    good(&root, 1);
    good(&root, 2);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    fs::write(root.join("0100-random.md"), &random).unwrap();
    fs::write(root.join("0101-binary.md"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    fs::write(root.join("0102-invalid-utf8.md"), b"# 102. Bad \xc3\x28 bytes\n\n## Status\n\nAccepted\n")
        .unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("# 103. Wide\n\n## Status\n\nAccepted\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    fs::write(root.join("0103-utf16.md"), utf16).unwrap();
    fs::write(
        root.join("0104-crlf.md"),
        "# 104. CRLF\r\n\r\nDate: 2024-01-01\r\n\r\n## Status\r\n\r\nAccepted\r\n",
    )
    .unwrap();
    fs::write(root.join("0105-lone-cr.md"), "# 105. CR\r\rDate: 2024-01-01\r\r## Status\r\rAccepted\r")
        .unwrap();
    fs::write(root.join("0106-empty.md"), b"").unwrap();
    fs::write(root.join("0107-huge.md"), vec![b'a'; 50 << 20]).unwrap();
    fs::write(
        root.join("0108-nested-lists.md"),
        "- a\n".to_string()
            + &(0..100_000).map(|i| format!("{}- x\n", " ".repeat((i % 40) * 2))).collect::<String>(),
    )
    .unwrap();
    fs::write(root.join("0109-nested-quotes.md"), format!("# 109. Quotes\n\n{} deep\n", ">".repeat(100_000)))
        .unwrap();
    fs::write(root.join("0110-long-line.md"), format!("# 110. Long\n\n{}\n", "word ".repeat(2 << 20)))
        .unwrap();
    fs::write(
        root.join("0111-many-links.md"),
        format!(
            "# 111. Links\n\n{}\n",
            (0..100_000).map(|i| format!("[l{i}](0001-good-1.md) ")).collect::<String>()
        ),
    )
    .unwrap();
    fs::write(root.join("0112-bad-yaml.md"), "---\nstatus: [unclosed\n---\n# 112. Bad YAML\n").unwrap();
    fs::write(
        root.join("0113-deep-yaml.md"),
        format!("---\nk: {}1{}\n---\n# 113. Deep\n", "[".repeat(10_000), "]".repeat(10_000)),
    )
    .unwrap();
    let bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    fs::write(root.join("0114-alias-bomb.md"), format!("---\n{bomb}---\n# 114. Bomb\n")).unwrap();
    fs::write(root.join("0115-huge-yaml.md"), format!("---\n{}---\n# 115. Huge\n", "k: v\n".repeat(300_000)))
        .unwrap();
    fs::write(root.join("0116-escapes.md"), "# 116. Paths\n\nSee [p](../../../../etc/passwd) and [f](file:///etc/passwd) and [a](/etc/shadow) and [c](https://user:secret@example.com/x.md).\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        fs::create_dir(root.join("loop")).unwrap();
        symlink(&root, root.join("loop/back")).unwrap();
        let outside = tmp.path().join("outside.md");
        fs::write(&outside, "# Outside\n\nSECRET-OUTSIDE\n").unwrap();
        symlink(&outside, root.join("0117-link-out.md")).unwrap();
        let fifo = root.join("x.md");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(status.success());
    }
    let out = adrgraph(tmp.path())
        .args(["--root", "adr", "--store"])
        .arg(tmp.path().join("store"))
        .args(["-v", "list", "--json"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(1), "problems found: exit 1\n{err}");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for want in [
        "0001-good-1",
        "0002-good-2",
        "0102-invalid-utf8",
        "0103-utf16",
        "0104-crlf",
        "0105-lone-cr",
        "0109-nested-quotes",
        "0112-bad-yaml",
    ] {
        assert!(ids.contains(&want), "{want} is read: {ids:?}");
    }
    let title =
        |id: &str| rows.iter().find(|r| r["id"] == id).and_then(|r| r["title"].as_str().map(str::to_string));
    assert_eq!(title("0103-utf16").as_deref(), Some("Wide"));
    assert_eq!(title("0104-crlf").as_deref(), Some("CRLF"));
    assert_eq!(title("0105-lone-cr").as_deref(), Some("CR"));
    for (file, code) in [
        ("0100-random.md", ""),
        ("0101-binary.md", "binary"),
        ("0102-invalid-utf8.md:1", "invalid-utf8"),
        ("0107-huge.md", "too-large"),
        ("0112-bad-yaml.md:3", "front-matter"),
        ("0113-deep-yaml.md", "front-matter"),
        ("0114-alias-bomb.md", "front-matter"),
        ("0115-huge-yaml.md", "front-matter"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(code)),
            "diagnostic for {file} ({code}):\n{err}"
        );
    }
    // Symbolic links are not followed: neither the loop nor the file outside the root.
    assert!(!ids.iter().any(|i| i.contains("0117")), "{ids:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("SECRET-OUTSIDE"));
    // The FIFO is skipped, not opened (opening it would hang).
    let stats = adrgraph(tmp.path())
        .args(["--root", "adr", "--store"])
        .arg(tmp.path().join("store"))
        .args(["-q", "stats", "--json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert!(
        v["skipped_files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["path"] == "adr/x.md" && s["reason"] == "not_regular"),
        "{v}"
    );
    // Links out of the tree are never read; they resolve to nothing inside it.
    let out = adrgraph(tmp.path())
        .args(["--root", "adr", "--store"])
        .arg(tmp.path().join("store"))
        .args(["-q", "show", "116", "--json"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("root:"), "no file content was read");
}

/// Whether the tests run as root (who reads every file: permission tests then drop to `nobody`).
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Every file of a tree with its bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
#[cfg(unix)]
fn unreadable_files_and_folders_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let mode = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    mode(tmp.path(), 0o755);
    let root = tmp.path().join("adr");
    fs::create_dir(&root).unwrap();
    good(&root, 1);
    good(&root, 2);
    fs::write(root.join("0003-secret.md"), "# 3. Secret\n\nSECRET-TEXT\n").unwrap();
    mode(&root.join("0003-secret.md"), 0o000);
    fs::create_dir(root.join("locked")).unwrap();
    good(&root.join("locked"), 4);
    mode(&root.join("locked"), 0o000);
    let store = tmp.path().join("store");
    fs::create_dir(&store).unwrap();
    mode(&store, 0o777);
    // Root reads everything: run adrgraph as `nobody` to meet permission denied for real.
    let bin = assert_cmd::cargo::cargo_bin("adrgraph");
    let mut cmd = if is_root() {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    let out = cmd
        .current_dir(tmp.path())
        .env("XDG_CACHE_HOME", &store)
        .args(["--root", "adr", "--store"])
        .arg(store.join("s"))
        .args(["-v", "list", "--json"])
        .output()
        .unwrap();
    mode(&root.join("locked"), 0o755);
    mode(&root.join("0003-secret.md"), 0o644);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(1), "problems found: exit 1\n{err}");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["0001-good-1", "0002-good-2"], "{err}");
    assert!(
        err.lines().any(|l| l.contains("adr/0003-secret.md") && l.contains("Permission denied")),
        "the unreadable file is named:\n{err}"
    );
    assert!(
        err.lines().any(|l| l.contains("adr/locked") && l.contains("Permission denied")),
        "the unreadable folder is named:\n{err}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("SECRET-TEXT"));
}

#[test]
fn files_changing_while_ingest_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("adr");
    let churn = root.join("churn");
    fs::create_dir_all(&churn).unwrap();
    for n in 1..=400 {
        good(&root, n);
    }
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        // Files deleted, recreated, truncated and grown while adrgraph reads the tree.
        s.spawn(|| {
            let mut k = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                k += 1;
                let p = churn.join(format!("{:04}-churn.md", 1000 + k % 40));
                match k % 4 {
                    0 => drop(fs::remove_file(&p)),
                    1 => drop(fs::write(&p, "")),
                    2 => drop(fs::write(
                        &p,
                        format!("# Churn {k}\n\n{}\n", "words ".repeat((k % 5000) as usize)),
                    )),
                    _ => drop(fs::write(&p, b"\xff\xfe\x00binary")),
                }
            }
        });
        for run in 0..6 {
            let out = adrgraph(tmp.path())
                .args(["--root", "adr", "--store"])
                .arg(tmp.path().join("store"))
                .args(["list", "--json"])
                .timeout(std::time::Duration::from_secs(120))
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!err.contains("panicked"), "run {run}: {err}");
            assert!(matches!(out.status.code(), Some(0 | 1)), "run {run}: {err}");
            let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
            let steady = rows.iter().filter(|r| !r["path"].as_str().unwrap().contains("churn")).count();
            assert_eq!(steady, 400, "run {run}: every file that did not change is read");
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
}

/// Unmounts a test file system when dropped.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_gives_clear_errors_and_the_tree_is_untouched() {
    if !is_root() {
        eprintln!("skipping: mounting a small file system for the store needs root");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("adr");
    fs::create_dir(&root).unwrap();
    let body = "Kafka and more words about the platform. ".repeat(100);
    for n in 1..=300 {
        fs::write(
            root.join(format!("{n:04}-d{n}.md")),
            format!(
                "# {n}. Decision {n}\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n{body}\n"
            ),
        )
        .unwrap();
    }
    let store = tmp.path().join("store");
    fs::create_dir(&store).unwrap();
    let status = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512k", "tmpfs"])
        .arg(&store)
        .status()
        .unwrap();
    assert!(status.success(), "mount a 512 KiB tmpfs for the store");
    let _mounted = Mounted(store.clone());
    let before = snapshot(&root);
    let run = |args: &[&str]| {
        let out =
            adrgraph(tmp.path()).args(["--root", "adr", "--store"]).arg(&store).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!err.contains("panicked at"), "{args:?}: {err}");
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), err)
    };
    // Building the store fails, and says where and why.
    let (code, _, err) = run(&["index"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("No space left on device") && err.contains(&*store.to_string_lossy()), "{err}");
    // Commands still answer, from memory, with a warning.
    let (code, out, err) = run(&["list", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap().as_array().unwrap().len(), 300);
    assert!(err.contains("cannot write the store"), "{err}");
    let (code, out, err) = run(&["search", "--json", "kafka"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["total"], 300, "{out}");
    assert!(err.contains("searching in memory"), "{err}");
    // No temporary file is left behind to fill the disk further, and the tree is untouched.
    let leftovers: Vec<_> = fs::read_dir(store.join("records"))
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with(".tmp")).collect())
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(snapshot(&root), before);
}

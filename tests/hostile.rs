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

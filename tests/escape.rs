//! Output safety: text from the tree reaches the terminal, JSON and SARIF only escaped. Each
//! crafted string (terminal escapes: colours, screen clearing, OSC title and hyperlink
//! sequences, BEL, C1 controls, bidi overrides; JSON breakers: quotes, backslashes, a
//! `</script>`, U+2028) is put where it comes back in the output: a title, a status, a decider,
//! a link target (which a lint finding quotes), a section's text (which search snippets quote).

use crate::util::adrgraph;
use serde_json::Value;
use std::fs;

/// Every string the tests plant, and a word next to each so that search finds it.
const CRAFTED: &[&str] = &[
    "\u{1b}[2J\u{1b}[Hcleared",
    "\u{1b}]0;pwned-title\u{7}",
    "\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\",
    "bell\u{7}\u{7}",
    "c1\u{9b}31mred",
    "bidi\u{202e}txt.exe",
    "quote\" backslash\\ </script> line\u{2028}sep",
    "back\u{8}\u{8}space",
];

fn tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("adr");
    fs::create_dir_all(&root).unwrap();
    for (i, s) in CRAFTED.iter().enumerate() {
        let n = i + 1;
        fs::write(
            root.join(format!("{n:04}-crafted.md")),
            format!(
                "# {n}. Title {s}\n\nDate: 2024-01-0{}\n\n## Status\n\nAccepted {s}\n\n* Deciders: Ann {s}\n\n\
                 ## Context\n\nZebrafish word {s} more text.\n\nSee [broken](<0099-{}.md>).\n",
                n % 9 + 1,
                s.replace(['<', '>', '\n'], "")
            ),
        )
        .unwrap();
    }
    tmp
}

/// Control characters a terminal acts on, other than newline and tab.
fn controls(text: &str) -> Vec<char> {
    text.chars().filter(|c| (c.is_control() && *c != '\n' && *c != '\t') || *c == '\u{202e}').collect()
}

/// With colours forced on, the only escape sequences allowed are our own SGR colour codes.
fn only_sgr(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(i) = rest.find('\u{1b}') {
        let seq = &rest[i + 1..];
        let ok = seq.strip_prefix('[').and_then(|s| {
            let end = s.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            (s.as_bytes()[end] == b'm').then_some(end)
        });
        match ok {
            Some(end) => rest = &seq[end + 2..],
            None => return Err(format!("foreign escape at {:?}", &rest[i..(i + 20).min(rest.len())])),
        }
    }
    let other: Vec<char> = controls(&text.replace('\u{1b}', "")).into_iter().collect();
    if other.is_empty() {
        Ok(())
    } else {
        Err(format!("control characters {other:?}"))
    }
}

fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = adrgraph(dir).args(["--root", "adr"]).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn human_output_carries_no_terminal_sequences_from_the_tree() {
    let tmp = tree();
    let dir = tmp.path();
    for args in [
        vec!["list"],
        vec!["show", "1"],
        vec!["show", "2"],
        vec!["show", "3"],
        vec!["show", "6"],
        vec!["search", "zebrafish", "--limit", "20"],
        vec!["lint", "--today", "2026-06-01"],
        vec!["lint", "--format", "github", "--today", "2026-06-01"],
        vec!["impact", "1"],
        vec!["stats"],
    ] {
        let mut forced = vec!["--color", "always", "-v"];
        forced.extend(&args);
        let (code, out, err) = run(dir, &forced);
        assert!(matches!(code, Some(0 | 1)), "{args:?}: {err}");
        assert!(!out.is_empty(), "{args:?}");
        only_sgr(&out).unwrap_or_else(|e| panic!("{args:?} stdout: {e}\n{out}"));
        only_sgr(&err).unwrap_or_else(|e| panic!("{args:?} stderr: {e}\n{err}"));
    }
    // The words around the sequences survive: only the controls are gone.
    let (_, out, _) = run(dir, &["list"]);
    for kept in ["cleared", "pwned-title", "click", "txt.exe"] {
        assert!(out.contains(kept), "{kept} in\n{out}");
    }
    // The check itself can fail.
    assert!(
        only_sgr("a\u{1b}[2Jb").is_err()
            && only_sgr("a\u{7}").is_err()
            && only_sgr("\u{1b}[1;31mok\u{1b}[0m").is_ok()
    );
}

#[test]
fn json_and_sarif_escape_and_keep_every_crafted_string() {
    let tmp = tree();
    let dir = tmp.path();
    let outputs = [
        run(dir, &["list", "--json"]),
        run(dir, &["show", "--json", "7"]),
        run(dir, &["search", "--json", "zebrafish", "--limit", "20"]),
        run(dir, &["lint", "--format", "json", "--today", "2026-06-01"]),
        run(dir, &["lint", "--format", "sarif", "--today", "2026-06-01"]),
        run(dir, &["graph", "--format", "json"]),
    ];
    for (i, (code, out, err)) in outputs.iter().enumerate() {
        assert!(matches!(code, Some(0 | 1)), "output {i}: {err}");
        // No raw control character (nor U+2028, which breaks JavaScript) in the bytes.
        assert!(controls(out).is_empty(), "output {i} carries raw controls");
        let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("output {i}: {e}\n{out}"));
        assert!(!v.is_null());
    }
    // SARIF is valid against the 2.1.0 schema and quotes the crafted link targets intact.
    if let Some(problems) = crate::util::sarif_problems(&outputs[4].1) {
        assert!(problems.is_empty(), "not SARIF 2.1.0: {problems:#?}");
    }
    let sarif: Value = serde_json::from_str(&outputs[4].1).unwrap();
    let results = sarif["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    let messages: Vec<&str> = results.iter().filter_map(|r| r["message"]["text"].as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("0099-quote\" backslash\\ /script line")), "{messages:#?}");
    // JSON is lossless: what the record holds comes back exactly after decoding (markdown's own
    // rules apply first: `</script>` is inline HTML, not text).
    let shown: Value = serde_json::from_str(&outputs[1].1).unwrap();
    assert_eq!(shown["title"], "Title quote\" backslash\\  line\u{2028}sep", "{shown}");
    assert!(outputs[1].1.contains(r#""Title quote\" backslash\\  line\u2028sep""#), "{}", outputs[1].1);
    let list: Value = serde_json::from_str(&outputs[0].1).unwrap();
    assert_eq!(list.as_array().unwrap().len(), CRAFTED.len());
}

//! The layout's rules, checked on the source (ARCHITECTURE.md states them): no import cycle
//! between the library's top-level modules, no side effect below the command line (printing,
//! the environment, the current folder), and no function longer than 120 lines.

use crate::util::manifest_dir;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("src is readable") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The library's files (not the command line, not tests), as (path below src/, code lines
/// without comments and without the test module at the end).
fn library_code() -> Vec<(String, Vec<String>)> {
    let src = manifest_dir().join("src");
    rust_files(&src)
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&src).expect("below src").to_string_lossy().replace('\\', "/");
            let binary = rel == "main.rs" || rel.starts_with("cli/");
            if binary || rel.ends_with("tests.rs") {
                return None;
            }
            let text = std::fs::read_to_string(&p).expect("readable");
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let lines = code
                .lines()
                .map(|l| l.split("//").next().unwrap_or("").to_string())
                .filter(|l| !l.trim().is_empty())
                .collect();
            Some((rel, lines))
        })
        .collect()
}

#[test]
fn no_import_cycle_between_the_library_modules() {
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, lines) in library_code() {
        let top = rel.split('/').next().unwrap_or("").trim_end_matches(".rs").to_string();
        for l in &lines {
            for part in l.split("crate::").skip(1) {
                let name: String =
                    part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if name != top && name.starts_with(|c: char| c.is_ascii_lowercase()) && name != "graph_of" {
                    deps.entry(top.clone()).or_default().insert(name);
                }
            }
        }
    }
    // Depth-first search for a path from a module back to itself.
    fn back_to(
        deps: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        seen: &mut Vec<String>,
    ) -> bool {
        for next in deps.get(at).into_iter().flatten() {
            if next == start {
                seen.push(next.clone());
                return true;
            }
            if !seen.contains(next) {
                seen.push(next.clone());
                if back_to(deps, start, next, seen) {
                    return true;
                }
                seen.pop();
            }
        }
        false
    }
    assert!(
        deps.contains_key("store") && deps["store"].contains("ingest"),
        "the scan found the imports: {deps:?}"
    );
    for m in deps.keys() {
        let mut path = vec![m.clone()];
        assert!(!back_to(&deps, m, m, &mut path), "import cycle: {}", path.join(" -> "));
    }
}

#[test]
fn nothing_below_the_command_line_prints_or_reads_the_environment() {
    let banned = ["println!", "eprintln!", "print!(", "eprint!(", "std::env::", "env::var", "current_dir()"];
    for (rel, lines) in library_code() {
        for l in &lines {
            for b in banned {
                assert!(!l.contains(b), "src/{rel}: `{b}` below the command line: {l}");
            }
        }
    }
}

#[test]
fn no_function_is_longer_than_120_lines() {
    let src = manifest_dir().join("src");
    let mut longest = (0, String::new());
    for p in rust_files(&src) {
        let text = std::fs::read_to_string(&p).expect("readable");
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn ", "const fn ", "pub const fn "]
                .iter()
                .any(|p| t.starts_with(p));
            if !is_fn {
                continue;
            }
            // Count braces (outside strings and comments, roughly) to the end of the body.
            let mut depth = 0i64;
            let mut opened = false;
            for (j, body) in lines.iter().enumerate().skip(i) {
                let code = body.split("//").next().unwrap_or("");
                let mut in_str = false;
                for c in code.chars() {
                    match c {
                        '"' => in_str = !in_str,
                        '{' if !in_str => {
                            depth += 1;
                            opened = true;
                        }
                        '}' if !in_str => depth -= 1,
                        _ => {}
                    }
                }
                if !opened && code.contains(';') {
                    break;
                }
                if opened && depth <= 0 {
                    let len = j - i + 1;
                    if len > longest.0 {
                        longest = (len, format!("{}:{}", p.display(), i + 1));
                    }
                    break;
                }
            }
        }
    }
    assert!(longest.0 > 20, "the scan found functions: {longest:?}");
    assert!(longest.0 <= 120, "{} is {} lines long", longest.1, longest.0);
}

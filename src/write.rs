//! The one audited writer: every command that changes an ADR file (`lint --fix`) changes it
//! through [`apply`], every command that adds one (`new`, `init`) creates it through
//! [`create`], and nothing else in adrgraph writes into the tree.
//!
//! What [`apply`] guarantees, in order:
//!
//! 1. **Refusals.** A symbolic link, a file with other hard links, a file without a write bit
//!    for anyone (`chmod a-w`), a file owned by another user, or anything but a regular file is
//!    refused with a message naming it, and never replaced.
//! 2. **The edit is of lines as the parser counts them.** The file is read through the guarded
//!    reader; lines end at LF, CRLF or a lone CR ([`split_lines`]), each keeps its own ending, so
//!    the line changed is the line a finding named and the file's endings and BOM are kept.
//! 3. **Atomic.** The new text goes to a temporary file created exclusively beside the target
//!    (a random name, `O_EXCL`, so no link planted at a predictable name is followed), with the
//!    target's permissions, flushed to disk, and renamed over the target.
//! 4. **Checked, and rolled back on damage.** The file is read back and parsed again; when the
//!    record lost a field it had (or the caller's check fails), the old bytes are put back the
//!    same way and the edit is reported as rolled back.

use crate::parse::split_lines;
use crate::parse::{parse_bytes, ParseOptions};
use crate::Adr;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One line of a file to replace.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    /// The file, as displayed (as [`Adr::path`]).
    pub path: String,
    /// 1-based line, counted as the parser counts lines.
    pub line: u32,
    /// The line as it is, without its line ending.
    pub old: String,
    /// The line as it will be, without its line ending (the old ending is kept).
    pub new: String,
    /// Why (the rule code).
    pub code: String,
}

/// What [`apply`] did with one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Applied {
    /// Written and checked.
    Written {
        /// The file.
        path: String,
    },
    /// Not written: the file may not be changed, or the edit no longer matches it.
    Refused {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// Written, found damaged when parsed again, and put back as it was.
    RolledBack {
        /// The file.
        path: String,
        /// What the edit broke.
        reason: String,
    },
}

/// Whether a write to `path` (as the user wrote it: relative to the working folder, or
/// absolute) lands inside the tree it names: the repository holding it (the nearest folder of
/// the path with a `.git`), else the working folder for a relative path. Compared after
/// resolving, so a symbolic link anywhere between (`doc -> ../outside`, `x/../adr` through one)
/// that leads out is refused; an absolute path outside any repository is the user's choice.
pub fn within_tree(path: &Path) -> Result<(), String> {
    let lexical: Vec<&Path> = path.ancestors().skip(1).collect();
    let top = lexical.iter().find(|d| d.join(".git").exists()).copied().or_else(|| {
        // A relative path with no repository above it: the working folder.
        path.is_relative().then_some(Path::new(""))
    });
    let Some(top) = top else { return Ok(()) };
    let resolve = |p: &Path| {
        let p = if p.as_os_str().is_empty() { Path::new(".") } else { p };
        std::fs::canonicalize(p)
    };
    let Ok(real_top) = resolve(top) else { return Ok(()) };
    // The nearest folder of the path that exists (folders may be made on the way).
    let Some(real) = lexical.iter().find_map(|d| resolve(d).ok()) else { return Ok(()) };
    if real.starts_with(&real_top) {
        Ok(())
    } else {
        Err(format!(
            "it would land in {}, outside {} (a symbolic link on the way leads out); adrgraph never writes outside the tree",
            real.display(),
            real_top.display()
        ))
    }
}

/// Whether a file may be changed: inside its tree ([`within_tree`]), a regular file (not a
/// symbolic link), with no other hard link, writable by someone, and owned by the user running
/// adrgraph.
pub fn check_writable(path: &Path) -> Result<std::fs::Metadata, String> {
    within_tree(path)?;
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
    if meta.file_type().is_symlink() {
        return Err("it is a symbolic link; adrgraph never writes through one".into());
    }
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    if meta.permissions().readonly() {
        return Err("it is read-only (no write permission); adrgraph leaves it as it is".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(format!(
                "it has {} hard links; replacing it would split them, so it is left as it is",
                meta.nlink()
            ));
        }
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(format!(
                "it belongs to another user (uid {}); adrgraph leaves it as it is",
                meta.uid()
            ));
        }
    }
    Ok(meta)
}

/// Write `bytes` over `path` atomically: a temporary file created exclusively beside it with
/// its permissions, flushed, then renamed over it.
fn replace_atomically(path: &Path, bytes: &[u8], perms: std::fs::Permissions) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".adrgraph-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().set_permissions(perms)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether the record writes its title (one taken from the file's name is not written).
fn writes_title(p: &crate::parse::Parsed) -> bool {
    p.adr.title.is_some() && !p.diagnostics.iter().any(|d| d.code == crate::parse::TITLE_FROM_FILE_NAME)
}

/// The fields a record had that `after` no longer has, named.
fn lost_fields(before: &crate::parse::Parsed, after: &crate::parse::Parsed) -> Vec<&'static str> {
    let mut lost = Vec::new();
    let title = (writes_title(before), writes_title(after));
    let (before, after) = (&before.adr, &after.adr);
    let mut had = |name: &'static str, b: bool, a: bool| {
        if b && !a {
            lost.push(name);
        }
    };
    had("title", title.0, title.1);
    had("number", before.number.is_some(), after.number.is_some());
    had("date", before.date.is_some(), after.date.is_some());
    had("status", before.status_raw.is_some(), after.status_raw.is_some());
    had("deciders", !before.deciders.is_empty(), !after.deciders.is_empty());
    had("tags", !before.tags.is_empty(), !after.tags.is_empty());
    had("context", before.context.is_some(), after.context.is_some());
    had("decision", before.decision.is_some(), after.decision.is_some());
    had("options", !before.options.is_empty(), !after.options.is_empty());
    had("consequences", !before.consequences.is_empty(), !after.consequences.is_empty());
    if after.links.len() < before.links.len() {
        lost.push("links");
    }
    if after.sections.len() < before.sections.len() {
        lost.push("sections");
    }
    lost
}

/// Apply the fixes of one file (all with the same `path`) through the audited writer, and check
/// the result with `check` (given the record parsed from the new text) as well as for lost
/// fields. `rel_path` is the path below the root, as the parser wants it.
pub fn apply(
    fixes: &[Fix],
    rel_path: &str,
    max_size: u64,
    check: &dyn Fn(&Adr) -> Result<(), String>,
) -> Applied {
    let Some(first) = fixes.first() else {
        return Applied::Refused { path: String::new(), reason: "nothing to change".into() };
    };
    let shown = first.path.clone();
    let path = crate::ingest::path_of_text(&first.path);
    let refuse = |reason: String| Applied::Refused { path: shown.clone(), reason };
    let meta = match check_writable(&path) {
        Ok(m) => m,
        Err(why) => return refuse(why),
    };
    let old = match crate::ingest::read_guarded(&path, max_size) {
        Ok(b) => b,
        Err(e) => return refuse(format!("cannot read it: {e}")),
    };
    let Ok(text) = std::str::from_utf8(&old) else {
        return refuse("it is not valid UTF-8; adrgraph does not rewrite it".into());
    };
    let mut lines: Vec<String> = split_lines(text).into_iter().map(str::to_string).collect();
    for f in fixes {
        let Some(line) = f.line.checked_sub(1).and_then(|i| lines.get_mut(i as usize)) else {
            return refuse(format!("line {} is past the end of the file", f.line));
        };
        let body_len = line.trim_end_matches(['\n', '\r']).len();
        let (body, ending) = line.split_at(body_len);
        // A BOM belongs to the first line's text as read, not to what a finding quotes.
        let (bom, body) = match body.strip_prefix('\u{feff}') {
            Some(rest) if f.line == 1 => ("\u{feff}", rest),
            _ => ("", body),
        };
        if body != f.old {
            return refuse(format!("line {} changed since it was read", f.line));
        }
        *line = format!("{bom}{}{ending}", f.new);
    }
    let new = lines.concat();
    let opts = ParseOptions::default();
    let before = parse_bytes(&old, &shown, rel_path, opts);
    let verdict = |bytes: &[u8]| -> Result<(), String> {
        let after = parse_bytes(bytes, &shown, rel_path, opts);
        let lost = lost_fields(&before, &after);
        if !lost.is_empty() {
            return Err(format!("the record would lose its {}", lost.join(", ")));
        }
        check(&after.adr)
    };
    // Checked before writing, so that a bad edit never touches the file...
    if let Err(why) = verdict(new.as_bytes()) {
        return Applied::Refused { path: shown, reason: why };
    }
    if let Err(e) = replace_atomically(&path, new.as_bytes(), meta.permissions()) {
        return refuse(format!("cannot write it: {e}"));
    }
    // ... and read back after, so that what landed is what was checked.
    let landed = crate::ingest::read_guarded(&path, max_size).map_err(|e| e.to_string());
    let damage = match &landed {
        Ok(b) if b.as_slice() == new.as_bytes() => verdict(b).err(),
        Ok(_) => Some("the file read back differs from what was written".into()),
        Err(e) => Some(format!("cannot read it back: {e}")),
    };
    match damage {
        None => Applied::Written { path: shown },
        Some(reason) => {
            let _ = replace_atomically(&path, &old, meta.permissions());
            Applied::RolledBack { path: shown, reason }
        }
    }
}

/// Make `folder` (and its parents) unless it exists; refuse a folder that is a symbolic link or
/// not a folder.
pub fn make_folder(folder: &Path) -> crate::Result<()> {
    let refuse = |reason: &str| crate::Error::Write { path: folder.to_path_buf(), reason: reason.into() };
    within_tree(&folder.join("x")).map_err(|why| refuse(&why))?;
    match std::fs::symlink_metadata(folder) {
        Ok(m) if m.file_type().is_symlink() => {
            Err(refuse("it is a symbolic link; adrgraph never writes through one"))
        }
        Ok(m) if !m.is_dir() => Err(refuse("it is not a folder")),
        Ok(_) => Ok(()),
        Err(_) => std::fs::create_dir_all(folder)
            .map_err(|source| crate::Error::Io { path: folder.to_path_buf(), source }),
    }
}

/// An advisory lock on `folder` itself (released when the value is dropped), held while a
/// record is numbered and created, so that two processes never take one number.
pub fn lock_folder(folder: &Path) -> crate::Result<std::fs::File> {
    let io = |source| crate::Error::Io { path: folder.to_path_buf(), source };
    let f = std::fs::File::open(folder).map_err(io)?;
    f.lock().map_err(io)?;
    Ok(f)
}

/// Create the file `path` holding `bytes`: exclusively (never over an existing file, never
/// through a symbolic link planted at the name), flushed to disk, then read back through the
/// guarded reader and parsed; when the bytes read back differ or `check` refuses the record
/// they give, the file is removed again and the error says why.
pub fn create(path: &Path, bytes: &[u8], check: &dyn Fn(&Adr) -> Result<(), String>) -> crate::Result<()> {
    let fail = |reason: String| crate::Error::Write { path: path.to_path_buf(), reason };
    within_tree(path).map_err(fail)?;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    let mut f = match o.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(fail("it exists already; adrgraph never writes over a file it did not make".into()))
        }
        Err(source) => return Err(crate::Error::Io { path: path.to_path_buf(), source }),
    };
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    drop(f);
    let verdict = match written {
        Err(e) => Err(format!("cannot write it: {e}")),
        Ok(()) => match crate::ingest::read_guarded(path, crate::ingest::DEFAULT_MAX_FILE_SIZE) {
            Err(e) => Err(format!("cannot read it back: {e}")),
            Ok(b) if b != bytes => Err("the file read back differs from what was written".into()),
            Ok(b) => {
                let shown = crate::ingest::path_text(path);
                let rel = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                check(&parse_bytes(&b, &shown, &rel, ParseOptions::default()).adr)
            }
        },
    };
    verdict.map_err(|why| {
        let _ = std::fs::remove_file(path);
        fail(format!("{why}; removed again"))
    })
}

/// Write a file that is not a record (a table of contents) with `bytes`: a new file exclusively,
/// an existing one only if [`check_writable`] allows it, replaced atomically with its mode kept.
pub fn put(path: &Path, bytes: &[u8]) -> crate::Result<()> {
    let fail = |reason: String| crate::Error::Write { path: path.to_path_buf(), reason };
    if std::fs::symlink_metadata(path).is_err() {
        return create(path, bytes, &|_| Ok(())).map_err(|e| match e {
            crate::Error::Write { reason, .. } => fail(reason),
            e => e,
        });
    }
    let meta = check_writable(path).map_err(fail)?;
    replace_atomically(path, bytes, meta.permissions()).map_err(|e| fail(format!("cannot write it: {e}")))
}

/// Remove a record's file (its content lives on under another name): refused as a change is
/// refused (a symbolic link, a hard-linked, read-only or foreign file).
pub fn remove(path: &Path) -> crate::Result<()> {
    let fail = |reason: String| crate::Error::Write { path: path.to_path_buf(), reason };
    check_writable(path).map_err(fail)?;
    std::fs::remove_file(path).map_err(|e| fail(format!("cannot remove it: {e}")))
}

/// Apply the fixes of several files as one operation: each file through [`apply`], checked by
/// `check` with what its plan expects, then the whole by `after` (called once every file is
/// written: the tree read again, say); when one is refused or rolled back, or `after` finds
/// fault, every file written is put back as it was, and the error names the file and why.
pub fn apply_together<T>(
    plans: &[(Vec<Fix>, String, T)],
    max_size: u64,
    check: &dyn Fn(&Adr, &T) -> Result<(), String>,
    after: &dyn Fn() -> Result<(), String>,
) -> crate::Result<()> {
    let mut written: Vec<(PathBuf, Vec<u8>, std::fs::Permissions)> = Vec::new();
    let undo = |written: &[(PathBuf, Vec<u8>, std::fs::Permissions)]| {
        for (path, bytes, perms) in written.iter().rev() {
            let _ = replace_atomically(path, bytes, perms.clone());
        }
    };
    let put_back = |n: usize| match n {
        0 => String::new(),
        n => format!("; {n} other file(s) put back as they were"),
    };
    for (fixes, rel, expect) in plans {
        let Some(first) = fixes.first() else { continue };
        let path = crate::ingest::path_of_text(&first.path);
        let before = crate::ingest::read_guarded(&path, max_size).ok();
        let perms = std::fs::symlink_metadata(&path).map(|m| m.permissions()).ok();
        match apply(fixes, rel, max_size, &|adr| check(adr, expect)) {
            Applied::Written { .. } => {
                if let (Some(b), Some(p)) = (before, perms) {
                    written.push((path, b, p));
                }
            }
            Applied::Refused { reason, .. } | Applied::RolledBack { reason, .. } => {
                undo(&written);
                return Err(crate::Error::Write {
                    path,
                    reason: format!("{reason}{}", put_back(written.len())),
                });
            }
        }
    }
    if let Err(reason) = after() {
        undo(&written);
        let path = written.first().map(|w| w.0.clone()).unwrap_or_default();
        let n = written.len();
        return Err(crate::Error::Write {
            path,
            reason: format!("{reason}; {n} file(s) of the change put back as they were"),
        });
    }
    Ok(())
}

/// The value `text` as a YAML double-quoted scalar (`"`, `\` and controls escaped), for
/// inserting text into front matter.
pub fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A front matter value: plain when YAML reads it back as the same text, else quoted
/// ([`yaml_quoted`]).
pub fn yaml_scalar(value: &str) -> String {
    // `true`, `no`, `null`, `12`, `1.5`: YAML reads these as other than text.
    let lower = value.to_ascii_lowercase();
    let special =
        matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null")
            || value.parse::<f64>().is_ok()
            || value.is_empty();
    let plain = !special
        && value.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '.')
        && !value.starts_with(['-', ' ', '.'])
        && !value.ends_with(' ');
    if plain {
        value.to_string()
    } else {
        yaml_quoted(value)
    }
}

/// A markdown link `[text](target)` that stays one link whatever the text and target hold:
/// `[`, `]`, `\` and backticks in the text escaped, a target with spaces, parentheses or `<>`
/// written as `<target>` (with `<` and `>` percent-encoded).
pub fn markdown_link(text: &str, target: &str) -> String {
    let mut t = String::new();
    for c in text.chars().filter(|c| !crate::escape::is_forbidden(*c)) {
        if matches!(c, '[' | ']' | '\\' | '`' | '*' | '_') {
            t.push('\\');
        }
        t.push(c);
    }
    let plain = !target.chars().any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>'));
    let dest = if plain {
        target.to_string()
    } else {
        format!("<{}>", target.replace('<', "%3C").replace('>', "%3E"))
    };
    format!("[{t}]({dest})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_where_the_parser_ends_them() {
        assert_eq!(split_lines("a\nb\r\nc\rd"), vec!["a\n", "b\r\n", "c\r", "d"]);
        assert_eq!(split_lines("a\r\r\n"), vec!["a\r", "\r\n"]);
        assert_eq!(split_lines(""), Vec::<&str>::new());
    }

    #[test]
    fn yaml_and_markdown_stay_valid() {
        let q = yaml_quoted("Superseded by [A: \"b\" # c](x.md)");
        let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(&format!("status: {q}")).unwrap();
        assert_eq!(v["status"].as_str(), Some("Superseded by [A: \"b\" # c](x.md)"));
        assert_eq!(
            markdown_link("Use `x` [v2]", "0002-a b (c).md"),
            "[Use \\`x\\` \\[v2\\]](<0002-a b (c).md>)"
        );
        assert_eq!(markdown_link("Plain", "0002-b.md"), "[Plain](0002-b.md)");
        let p = crate::parse::parse_adr(
            &format!("# 1. T\n\n## Status\n\nSuperseded by {}\n", markdown_link("A ] b", "0002-a b.md")),
            "adr/0001-t.md",
            "0001-t.md",
        );
        assert_eq!(p.adr.links[0].target, "0002-a b.md");
    }
}

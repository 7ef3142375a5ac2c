//! The guarded reader every read of an ADR file goes through: no symbolic link followed, FIFOs
//! and devices refused, the size cap applied; and source lines counted as the parser counts them.

use super::*;

/// Read at most `max` bytes of a file (an error past that); `expected` is the size the walk saw,
/// to read it in one go. Through [`open_guarded`]: never a symbolic link, a FIFO or a device.
pub(super) fn read_limited(path: &Path, max: u64, expected: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_guarded(path)?;
    let mut buf = Vec::with_capacity(expected.min(max) as usize + 1);
    file.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(std::io::Error::other(format!("file grew over the {max} byte limit while being read")));
    }
    Ok(buf)
}

/// Open a file of the tree for reading the way every read of an ADR file must: a symbolic link
/// at `path` is refused rather than followed (`O_NOFOLLOW`), opening never blocks on a FIFO
/// (`O_NONBLOCK`), and anything but a regular file (FIFO, socket, device) is refused once open.
pub fn open_guarded(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("a symbolic link, not followed"));
    }
    let file = o.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// The whole text of a file of the tree, read through [`open_guarded`] and capped at `max`
/// bytes (an error past that): what human output quotes source lines from.
pub fn read_guarded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    read_limited(path, max, 0)
}

/// Lines of files of the tree, read once per file through [`read_guarded`] (capped at `max`
/// bytes) and counted as the parser counts them (LF, CRLF or a lone CR; a BOM dropped): what
/// lint quotes under a finding, places columns by and fixes. A file is kept as one text and
/// the spans of its lines; a line becomes a string of its own only when it is asked for.
#[derive(Debug, Default)]
pub struct SourceLines {
    max: u64,
    files: std::collections::HashMap<String, Option<Lines>>,
    /// Where the tree's files are, when not on disk (a revision), with the roots as shown.
    source: Option<(std::sync::Arc<dyn FileSource>, Vec<String>)>,
}

/// One file's text, the byte spans of its lines (endings left out), and the lines handed out.
#[derive(Debug)]
struct Lines {
    text: String,
    spans: Vec<(usize, usize)>,
    handed: std::collections::HashMap<u32, std::sync::Arc<str>>,
}

impl SourceLines {
    /// A reader of files up to `max` bytes.
    pub fn new(max: u64) -> SourceLines {
        SourceLines { max, files: Default::default(), source: None }
    }

    /// A reader of the files of the tree `opts` reads, from where it reads them (a revision's
    /// objects for `--at`, else the disk).
    pub fn for_tree(opts: &IngestOptions) -> SourceLines {
        let source = opts.source.clone().map(|s| (s, opts.roots.iter().map(|r| root_display(r)).collect()));
        SourceLines { max: opts.max_file_size, files: Default::default(), source }
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        match &self.source {
            None => read_guarded(&super::path_of_text(path), self.max).ok(),
            Some((source, roots)) => roots.iter().enumerate().find_map(|(i, r)| {
                let rel = if r.is_empty() || r == "." {
                    Some(path)
                } else {
                    path.strip_prefix(r.as_str())?.strip_prefix('/')
                }?;
                source.read(i, rel, self.max).ok()
            }),
        }
    }

    /// Line `line` (1-based) of the file at `path` (as displayed), without its ending; `None`
    /// past its end or when the file cannot be read. Shared, not copied: a file with 100,000
    /// findings on one long line hands out that line 100,000 times.
    pub fn line(&mut self, path: &str, line: u32) -> Option<std::sync::Arc<str>> {
        if !self.files.contains_key(path) {
            let lines = self.read(path).map(lines_of);
            self.files.insert(path.to_string(), lines);
        }
        let Lines { text, spans, handed } = self.files.get_mut(path)?.as_mut()?;
        let &(start, end) = spans.get(line.checked_sub(1)? as usize)?;
        Some(handed.entry(line).or_insert_with(|| std::sync::Arc::from(&text[start..end])).clone())
    }
}

/// A file's text and its lines' spans as the parser counts them, without their endings.
fn lines_of(bytes: Vec<u8>) -> Lines {
    let text =
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let base = text.len() - body.len();
    let mut at = base;
    let spans = crate::parse::split_lines(body)
        .iter()
        .map(|l| {
            let start = at;
            at += l.len();
            (start, start + l.trim_end_matches(['\n', '\r']).len())
        })
        .collect();
    Lines { text, spans, handed: Default::default() }
}

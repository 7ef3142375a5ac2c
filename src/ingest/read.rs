//! The guarded reader every read of an ADR file goes through: no symbolic link followed, FIFOs
//! and devices refused, the size cap applied; and source lines counted as the parser counts them.

use super::*;

/// Read at most `max` bytes of a file (an error past that); `expected` is the size the walk saw,
/// to read it in one go. Through [`open_guarded`]: never a symbolic link, a FIFO or a device.
pub(super) fn read_limited(path: &Path, max: u64, expected: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, len) = open_guarded_sized(path)?;
    // The size seen on opening when none was given: one read instead of a growing buffer.
    let expected = if expected == 0 { len } else { expected };
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
    open_guarded_sized(path).map(|(f, _)| f)
}

/// [`open_guarded`], with the file's size as it was on opening.
fn open_guarded_sized(path: &Path) -> std::io::Result<(std::fs::File, u64)> {
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
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok((file, meta.len()))
}

/// The whole text of a file of the tree, read through [`open_guarded`] and capped at `max`
/// bytes (an error past that): what human output quotes source lines from.
pub fn read_guarded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    read_limited(path, max, 0)
}

/// Lines of files of the tree, read through the guarded reader ([`open_guarded`], files over
/// `max` bytes not read) and counted as the parser counts them (LF, CRLF or a lone CR; a BOM
/// dropped): what lint quotes under a finding, places columns by and fixes. A file is read only
/// as far as the lines asked for (findings are mostly on a record's first lines: 585 long
/// records read whole were a sixth of a `lint`), first [`FIRST_READ`] bytes, then more as
/// needed; it is kept as those bytes and the spans of its lines, and a line becomes a string
/// of its own only when it is asked for.
#[derive(Debug)]
pub struct SourceLines {
    max: u64,
    /// How much of a file is read first.
    first: usize,
    files: std::collections::HashMap<String, Option<Lines>>,
    /// Where the tree's files are, when not on disk (a revision), with the roots as shown.
    source: Option<(std::sync::Arc<dyn FileSource>, Vec<String>)>,
}

/// How much of a file [`SourceLines`] reads first: all of most records (half of those in the
/// corpora are under 6 KB), the first hundred lines or so of a long one.
pub const FIRST_READ: usize = 8 << 10;

/// One file's bytes as far as read, the byte spans of its lines (endings left out) as far as
/// they were asked for, and the lines handed out.
#[derive(Debug)]
struct Lines {
    text: Vec<u8>,
    /// Where the rest of the file is read from, until `text` is all of it.
    more: Option<PathBuf>,
    /// The most the file may hold (the reader's cap).
    max: u64,
    /// The least read at a time.
    step: usize,
    spans: Vec<(usize, usize)>,
    /// Where the next line starts (the text's length once every line is split).
    next: usize,
    handed: std::collections::HashMap<u32, std::sync::Arc<str>>,
}

impl Lines {
    /// `text` (the whole file, or its first bytes with the path to read the rest from), its
    /// lines to be split as the parser counts them, a BOM left out.
    fn new(text: Vec<u8>, more: Option<PathBuf>, max: u64, step: usize) -> Lines {
        let next = if text.starts_with("\u{feff}".as_bytes()) { 3 } else { 0 };
        Lines { text, more, max, step, spans: Vec::new(), next, handed: Default::default() }
    }

    /// The span of line `n` (0-based), splitting the text (and reading the file) only as far
    /// as that line.
    fn span(&mut self, n: usize) -> Option<(usize, usize)> {
        while self.spans.len() <= n {
            if self.next < self.text.len() && self.split_one() {
                continue;
            }
            // The text read so far ends before the line, or inside its ending: read more.
            if self.more.is_none() || !self.read_more() {
                self.more = None;
                if self.next >= self.text.len() || !self.split_one() {
                    break;
                }
            }
        }
        self.spans.get(n).copied()
    }

    /// Split off the line at `next`: false when the text read so far cannot tell where it
    /// ends (no ending yet, or a CR that may be the first half of a CRLF) and there is more
    /// to read.
    fn split_one(&mut self) -> bool {
        let (b, start) = (&self.text, self.next);
        // Each line ends at LF, CRLF or a lone CR, as `crate::parse::split_lines` ends them.
        let (end, after) = match memchr::memchr2(b'\n', b'\r', &b[start..]) {
            None if self.more.is_some() => return false,
            None => (b.len(), b.len()),
            Some(k) if b[start + k] == b'\r' && start + k + 1 == b.len() && self.more.is_some() => {
                return false
            }
            Some(k) if b[start + k] == b'\r' && b.get(start + k + 1) == Some(&b'\n') => {
                (start + k, start + k + 2)
            }
            Some(k) => (start + k, start + k + 1),
        };
        self.spans.push((start, end));
        self.next = after;
        true
    }

    /// Read as much again of the file as read so far; false when nothing more could be read
    /// (its end, an error, or the reader's cap).
    fn read_more(&mut self) -> bool {
        use std::io::{Read, Seek};
        let Some(path) = &self.more else { return false };
        let Ok((mut file, len)) = open_guarded_sized(path) else { return false };
        let from = self.text.len() as u64;
        if len > self.max || file.seek(std::io::SeekFrom::Start(from)).is_err() {
            return false;
        }
        let want = self.text.len().max(self.step) as u64;
        let before = self.text.len();
        if file.take(want).read_to_end(&mut self.text).is_err() {
            self.text.truncate(before);
            return false;
        }
        if self.text.len() as u64 >= len {
            self.more = None;
        }
        self.text.len() > before || self.more.is_none()
    }
}

impl Default for SourceLines {
    /// A reader with the ingest's cap ([`DEFAULT_MAX_FILE_SIZE`]).
    fn default() -> SourceLines {
        SourceLines::new(DEFAULT_MAX_FILE_SIZE)
    }
}

impl SourceLines {
    /// A reader of files up to `max` bytes.
    pub fn new(max: u64) -> SourceLines {
        SourceLines { max, first: FIRST_READ, files: Default::default(), source: None }
    }

    /// A reader of the files of the tree `opts` reads, from where it reads them (a revision's
    /// objects for `--at`, else the disk).
    pub fn for_tree(opts: &IngestOptions) -> SourceLines {
        let source = opts.source.clone().map(|s| (s, opts.roots.iter().map(|r| root_display(r)).collect()));
        SourceLines { max: opts.max_file_size, first: FIRST_READ, files: Default::default(), source }
    }

    /// The file at `path` (as displayed), its first `first` bytes (a
    /// revision's file whole).
    fn open(&self, path: &str) -> Option<Lines> {
        match &self.source {
            None => {
                use std::io::Read;
                let p = super::path_of_text(path);
                let (file, len) = open_guarded_sized(&p).ok()?;
                if len > self.max {
                    return None;
                }
                // Enough to tell a BOM.
                let first = self.first.max(3) as u64;
                let mut text = Vec::with_capacity(len.min(first) as usize + 1);
                file.take(first).read_to_end(&mut text).ok()?;
                let more = ((text.len() as u64) < len).then_some(p);
                Some(Lines::new(text, more, self.max, self.first))
            }
            Some((source, roots)) => roots.iter().enumerate().find_map(|(i, r)| {
                let rel = if r.is_empty() || r == "." {
                    Some(path)
                } else {
                    path.strip_prefix(r.as_str())?.strip_prefix('/')
                }?;
                Some(Lines::new(source.read(i, rel, self.max).ok()?, None, self.max, self.first))
            }),
        }
    }

    /// Line `line` (1-based) of the file at `path` (as displayed), without its ending; `None`
    /// past its end or when the file cannot be read. Shared, not copied: a file with 100,000
    /// findings on one long line hands out that line 100,000 times.
    pub fn line(&mut self, path: &str, line: u32) -> Option<std::sync::Arc<str>> {
        if !self.files.contains_key(path) {
            let lines = self.open(path);
            self.files.insert(path.to_string(), lines);
        }
        let lines = self.files.get_mut(path)?.as_mut()?;
        let (start, end) = lines.span(line.checked_sub(1)? as usize)?;
        Some(
            lines
                .handed
                .entry(line)
                .or_insert_with(|| std::sync::Arc::from(String::from_utf8_lossy(&lines.text[start..end])))
                .clone(),
        )
    }

    /// Read the files at `paths` (as displayed) that are not read yet, on several threads: what
    /// a command about to ask for lines of many files does first.
    pub fn read_ahead<'p>(&mut self, paths: impl IntoIterator<Item = &'p str>) {
        use rayon::prelude::*;
        let mut new: Vec<&str> = paths.into_iter().filter(|p| !self.files.contains_key(*p)).collect();
        new.sort_unstable();
        new.dedup();
        let read: Vec<(&str, Option<Lines>)> = new.par_iter().map(|&p| (p, self.open(p))).collect();
        for (p, lines) in read {
            self.files.insert(p.to_string(), lines);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines handed out, split (and the file read) as far as asked, are the parser's lines
    /// without their endings, asked in any order, for texts of LF, CRLF and lone CR endings,
    /// with or without a BOM, read ahead or not, the file read in pieces of one to nine bytes.
    #[test]
    fn lines_are_the_parsers_lines_split_as_far_as_asked() {
        let dir = tempfile::tempdir().unwrap();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces = ["a", "bé", "\n", "\r", "\r\n", " ", "\n\n", "\u{feff}"];
        for case in 0..300 {
            let mut text = String::new();
            if case % 3 == 0 {
                text.push('\u{feff}');
            }
            for _ in 0..next() % 24 {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let path = dir.path().join(format!("{case}.md"));
            std::fs::write(&path, &text).unwrap();
            let shown = path.to_string_lossy().into_owned();
            let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let want: Vec<&str> = crate::parse::split_lines(body)
                .into_iter()
                .map(|l| l.trim_end_matches(['\n', '\r']))
                .collect();
            let mut lines = SourceLines::new(1 << 20);
            // Read in pieces of every size, cut inside a CRLF, a character or the BOM.
            lines.first = 1 + (case % 9);
            if case % 2 == 0 {
                lines.read_ahead([shown.as_str()]);
            }
            // Asked from the first line on (split as asked), or from past the end back to the
            // first (split at once), then the other way.
            let up: Vec<u32> = (1..=want.len() as u32 + 2).collect();
            let order: Vec<u32> = match case % 4 < 2 {
                true => up.iter().chain(up.iter().rev()).copied().collect(),
                false => up.iter().rev().chain(up.iter()).copied().collect(),
            };
            for n in order {
                let got = lines.line(&shown, n);
                assert_eq!(got.as_deref(), want.get(n as usize - 1).copied(), "{text:?} line {n}");
            }
            assert_eq!(lines.line(&shown, 0), None);
        }
    }
}

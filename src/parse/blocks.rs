//! Markdown source -> a small block tree, built from pulldown-cmark events with source offsets.
//!
//! The extractor never looks at raw markdown lines: it walks this tree. A heading inside a code
//! block stays code, a `Status:` inside a fenced block is not a status, and every block knows the
//! 1-based line it starts on.
//!
//! Grammar of the tree:
//!
//! ```text
//! Doc     := front_matter? Block*
//! Block   := Heading(level, text, line) | Para(Line+) | List(Item*) | Quote(Block*)
//!          | Table(row := Line*) | Code(text, line)
//! Item    := Block*            (a tight list item's text becomes an implicit Para)
//! Line    := plain text between two line breaks, with its links, code spans and a leading
//!            bold label (`**Date:** ...`) remembered as byte ranges into the text
//! ```
//!
//! Nesting deeper than [`MAX_DEPTH`] is flattened into the deepest allowed container, so hostile
//! input cannot make the tree (or the recursive walks over it) arbitrarily deep.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// Containers nested deeper than this are flattened.
pub const MAX_DEPTH: usize = 48;

/// A link inside a [`Line`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineLink {
    /// Plain text of the link.
    pub text: String,
    /// Destination as written.
    pub href: String,
    /// Byte range of the link text inside [`Line::text`].
    pub start: usize,
    /// End of that range.
    pub end: usize,
}

/// One line of inline content (split at soft and hard breaks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// Plain text: emphasis dropped, link text kept, code spans without backticks.
    pub text: String,
    /// 1-based source line.
    pub line: u32,
    /// Links, in order.
    pub links: Vec<InlineLink>,
    /// Byte ranges of code spans inside `text`.
    pub code: Vec<(usize, usize)>,
    /// When the line starts with bold text: the end of that bold text inside `text`.
    pub bold_prefix_end: Option<usize>,
}

impl Line {
    /// `(label, value)` when the line reads as `Label: value` / `**Label:** value` /
    /// `**Label**: value`. The label is short (at most five words) and the value may be empty
    /// only when the label is bold.
    pub fn label_value(&self) -> Option<(&str, &str)> {
        let t = self.text.as_str();
        if let Some(end) = self.bold_prefix_end {
            let label = t[..end].trim();
            let rest = t[end..].trim_start();
            if let Some(label) = label.strip_suffix([':', '：']) {
                return Some((label.trim(), rest.trim()));
            }
            if let Some(rest) = rest.strip_prefix([':', '：']) {
                return Some((label, rest.trim()));
            }
        }
        // `：` is the colon of Chinese and Japanese text.
        let idx = t.find([':', '：'])?;
        let colon = if t[idx..].starts_with(':') { 1 } else { '：'.len_utf8() };
        let label = t[..idx].trim();
        if label.is_empty()
            || label.len() > 48
            || label.split_whitespace().count() > 5
            || !label.chars().next().is_some_and(char::is_alphabetic)
            || label.contains(['[', '`', '"'])
            || label.contains('(') && !label.ends_with("(s)")
        {
            return None;
        }
        // `https://...` and times like `10:30` are not labels.
        let value = &t[idx + colon..];
        if value.starts_with("//") {
            return None;
        }
        Some((label, value.trim()))
    }

    /// Whether the byte range overlaps a link or a code span. Links and code spans are each in
    /// order and never overlap one another, so one binary search of each answers (a scan of
    /// every link for each of 80,000 ids on one line made reading it quadratic).
    pub fn in_link_or_code(&self, start: usize, end: usize) -> bool {
        let k = self.links.partition_point(|l| l.end <= start);
        if self.links.get(k).is_some_and(|l| l.start < end) {
            return true;
        }
        let k = self.code.partition_point(|c| c.1 <= start);
        self.code.get(k).is_some_and(|c| c.0 < end)
    }
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `#`..`######` heading or setext heading.
    Heading {
        /// 1-6.
        level: u8,
        /// Heading content as one line.
        content: Line,
    },
    /// A paragraph, one [`Line`] per source line.
    Para(Vec<Line>),
    /// A bullet or ordered list.
    List(Vec<Item>),
    /// A block quote.
    Quote(Vec<Block>),
    /// A table: rows of cells, the header row first.
    Table(Vec<Vec<Line>>),
    /// A code block.
    Code {
        /// Its text.
        text: String,
        /// 1-based line of the opening fence or first indented line.
        line: u32,
    },
}

/// A list item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    /// 1-based line of the marker.
    pub line: u32,
    /// Content blocks.
    pub blocks: Vec<Block>,
}

impl Item {
    /// The item's first line of text (its "title line"), if it starts with text.
    pub fn first_line(&self) -> Option<&Line> {
        match self.blocks.first() {
            Some(Block::Para(lines)) => lines.first(),
            _ => None,
        }
    }

    /// All text of the item's own paragraphs (not nested lists), joined with spaces.
    pub fn own_text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            if let Block::Para(lines) = b {
                for l in lines {
                    push_joined(&mut out, &l.text, " ");
                }
            }
        }
        out
    }
}

/// A parsed document: optional front matter and the block tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// YAML front matter text and the 1-based line of its first content line.
    pub front_matter: Option<(String, u32)>,
    /// Top-level blocks.
    pub blocks: Vec<Block>,
    /// Whether nesting was flattened somewhere.
    pub flattened: bool,
    /// The 1-based line from which the text was read as plain text, because the markup before
    /// it used up [`MARKUP_BUDGET`].
    pub plain_from: Option<u32>,
}

/// Units of markup read as markdown per file; past them the rest of the file is read as plain
/// text. A unit is a markup character (`*`, `_`, `` ` ``, `[`, `]`, `<`, `!`, `\\`, `&`, `|`) or a
/// line that opens a block (a list item, a quote, a heading, a numbered item): each can become
/// a node of pulldown-cmark's tree and of ours, and an 8 MiB file of `- a` lines took 2.2 GB to
/// parse in full.
pub const MARKUP_BUDGET: usize = 128 * 1024;

/// Where the markup budget runs out in `body`: the end of the line on which the budget's last
/// unit stands, or `None` when the whole text is within it.
fn budget_end(body: &str) -> Option<usize> {
    let b = body.as_bytes();
    let mut seen = 0usize;
    let mut line_start = true;
    for (i, &c) in b.iter().enumerate() {
        let unit = match c {
            b'*' | b'_' | b'`' | b'[' | b']' | b'<' | b'!' | b'\\' | b'&' | b'|' => true,
            b'\n' => {
                line_start = true;
                continue;
            }
            b' ' | b'\t' if line_start => continue,
            b'-' | b'+' | b'>' | b'#' | b'0'..=b'9' if line_start => true,
            _ => false,
        };
        line_start = false;
        if unit {
            seen += 1;
            if seen > MARKUP_BUDGET {
                // Cut at a line end when one is near, else right here.
                let end = memchr::memchr(b'\n', &b[i..]).map(|k| i + k + 1).filter(|&e| e - i <= 4096);
                let mut end = end.unwrap_or(i);
                while !body.is_char_boundary(end) {
                    end -= 1;
                }
                return Some(end);
            }
        }
    }
    None
}

/// Maps byte offsets to 1-based line numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `src` (LF, CRLF and lone CR all end a line).
    pub fn new(src: &str) -> LineIndex {
        let bytes = src.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        let idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        u32::try_from(idx + 1).unwrap_or(u32::MAX)
    }
}

fn push_joined(out: &mut String, s: &str, sep: &str) {
    if s.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push_str(sep);
    }
    out.push_str(s);
}

#[derive(Debug)]
enum FrameKind {
    Root,
    List,
    Item(u32),
    Quote,
    Table,
    Row,
    Cell,
    Other,
}

#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    blocks: Vec<Block>,
    rows: Vec<Vec<Line>>,
    cells: Vec<Line>,
    items: Vec<Item>,
}

impl Frame {
    fn new(kind: FrameKind) -> Frame {
        Frame { kind, blocks: Vec::new(), rows: Vec::new(), cells: Vec::new(), items: Vec::new() }
    }
}

/// Inline content being collected.
#[derive(Debug, Default)]
struct Inline {
    lines: Vec<Line>,
    cur: Line,
    started: bool,
    /// Open links: (href, start offset in cur.text).
    links: Vec<(String, usize)>,
    strong_depth: u32,
    /// Whether the current line is still "at its start" (only bold text so far).
    bold_at_start: bool,
}

impl Inline {
    fn touch(&mut self, line: u32) {
        if !self.started {
            self.started = true;
            self.cur.line = line;
            self.bold_at_start = self.strong_depth > 0;
        }
    }

    fn text(&mut self, s: &str, line: u32) {
        self.touch(line);
        self.cur.text.push_str(s);
    }

    fn newline(&mut self, line: u32) {
        if self.started {
            let open: Vec<(String, usize)> = self.links.drain(..).collect();
            for (href, start) in &open {
                let end = self.cur.text.len();
                let text = self.cur.text[*start..].to_string();
                self.cur.links.push(InlineLink { text, href: href.clone(), start: *start, end });
            }
            let done = std::mem::take(&mut self.cur);
            self.lines.push(finish_line(done));
            self.started = false;
            // A link spanning a line break continues on the next line.
            self.links = open.into_iter().map(|(h, _)| (h, 0)).collect();
        }
        let _ = line;
    }

    fn take(&mut self) -> Vec<Line> {
        self.newline(0);
        self.links.clear();
        self.strong_depth = 0;
        std::mem::take(&mut self.lines)
    }
}

fn finish_line(mut l: Line) -> Line {
    // Trim trailing whitespace; keep ranges valid.
    let trimmed = l.text.trim_end().len();
    l.text.truncate(trimmed);
    for link in &mut l.links {
        link.end = link.end.min(trimmed);
        link.start = link.start.min(link.end);
    }
    for c in &mut l.code {
        c.1 = c.1.min(trimmed);
        c.0 = c.0.min(c.1);
    }
    if let Some(e) = l.bold_prefix_end.as_mut() {
        *e = (*e).min(trimmed);
    }
    l
}

/// Split YAML front matter off the start of a document: a first line `---`, then everything up
/// to the next line that is `---` or `...`. Returns the YAML text with its byte offset, and the
/// offset where the markdown body starts. A `---` with no closing line is a thematic break, not
/// front matter.
pub fn split_front_matter(src: &str) -> (Option<(&str, usize)>, usize) {
    let first_end = match src.find('\n') {
        Some(i) => i,
        None => return (None, 0),
    };
    if src[..first_end].trim_end() != "---" {
        return (None, 0);
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    while pos <= src.len() {
        let end = src[pos..].find('\n').map(|i| pos + i).unwrap_or(src.len());
        let line = src[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body = (end + 1).min(src.len());
            return (Some((&src[yaml_start..pos], yaml_start)), body);
        }
        if end >= src.len() {
            break;
        }
        pos = end + 1;
    }
    (None, 0)
}

/// Parse markdown into a [`Doc`].
pub fn parse_doc(src: &str, index: &LineIndex) -> Doc {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut doc = Doc::default();
    let (front, body_start) = split_front_matter(src);
    if let Some((yaml, start)) = front {
        doc.front_matter = Some((yaml.to_string(), index.line(start)));
    }
    let mut b = Builder {
        stack: vec![Frame::new(FrameKind::Root)],
        depth_overflow: 0,
        inline: Inline::default(),
        heading: None,
        code: None,
        flattened: false,
    };
    let body_end = budget_end(&src[body_start..]).map_or(src.len(), |e| body_start + e);
    for (event, range) in Parser::new_ext(&src[body_start..body_end], opts).into_offset_iter() {
        b.event(event, index.line(range.start + body_start));
    }
    doc.flattened = b.flattened;
    doc.blocks = b.finish();
    if body_end < src.len() {
        // Past the budget: kept as text (searchable, never read as fields or links).
        let line = index.line(body_end);
        doc.blocks.push(Block::Code { text: src[body_end..].to_string(), line });
        doc.plain_from = Some(line);
    }
    doc
}

/// The walk over pulldown-cmark's events: open containers as a stack of frames (capped at
/// [`MAX_DEPTH`]; deeper ones are flattened into their parent), the inline text being
/// collected, and the heading or code block open.
struct Builder {
    stack: Vec<Frame>,
    /// Containers opened past the depth cap, not on the stack.
    depth_overflow: usize,
    inline: Inline,
    heading: Option<(u8, u32)>,
    code: Option<(String, u32)>,
    /// Some containers were past the cap.
    flattened: bool,
}

impl Builder {
    /// End the inline text collected so far as a paragraph (or a table cell's lines).
    fn flush(&mut self) {
        let lines = self.inline.take();
        if lines.is_empty() {
            return;
        }
        let top = self.stack.last_mut().expect("root frame");
        match top.kind {
            FrameKind::Cell => top.cells.extend(lines),
            _ => top.blocks.push(Block::Para(lines)),
        }
    }

    /// One event, at the 1-based line where it starts. Inside a code block only its text counts.
    fn event(&mut self, event: Event<'_>, line: u32) {
        if let Some((ref mut text, _)) = self.code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (text, l) = self.code.take().unwrap_or_default();
                    self.stack.last_mut().expect("root").blocks.push(Block::Code { text, line: l });
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, line),
            Event::End(tag) => self.end(tag, line),
            Event::Text(t) => {
                self.inline.text(&t, line);
                if self.inline.strong_depth == 0 && !t.trim().is_empty() {
                    self.inline.bold_at_start = false;
                }
            }
            Event::Code(t) => {
                self.inline.touch(line);
                if self.inline.strong_depth == 0 {
                    self.inline.bold_at_start = false;
                }
                let start = self.inline.cur.text.len();
                self.inline.cur.text.push_str(&t);
                let end = self.inline.cur.text.len();
                self.inline.cur.code.push((start, end));
            }
            Event::SoftBreak | Event::HardBreak => self.inline.newline(line),
            Event::TaskListMarker(done) => {
                self.inline.text(if done { "[x] " } else { "[ ] " }, line);
            }
            Event::FootnoteReference(name) => self.inline.text(&format!("[^{name}]"), line),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.inline.text(&t, line),
            Event::Html(_) | Event::InlineHtml(_) | Event::Rule => {}
        }
    }

    /// A container, heading, code block, strong text, link or image opens.
    fn start(&mut self, tag: Tag<'_>, line: u32) {
        match tag {
            Tag::Paragraph => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some((level as u8, line));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                let l = match kind {
                    CodeBlockKind::Fenced(_) => line,
                    CodeBlockKind::Indented => line,
                };
                self.code = Some((String::new(), l));
            }
            Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {
                self.flush();
                if self.stack.len() >= MAX_DEPTH {
                    self.depth_overflow += 1;
                    self.flattened = true;
                    return;
                }
                let kind = match tag {
                    Tag::BlockQuote(_) => FrameKind::Quote,
                    Tag::List(_) => FrameKind::List,
                    Tag::Item => FrameKind::Item(line),
                    Tag::Table(_) => FrameKind::Table,
                    Tag::TableHead | Tag::TableRow => FrameKind::Row,
                    Tag::TableCell => FrameKind::Cell,
                    _ => FrameKind::Other,
                };
                self.stack.push(Frame::new(kind));
            }
            Tag::Strong => {
                if !self.inline.started {
                    self.inline.touch(line);
                    self.inline.bold_at_start = true;
                }
                self.inline.strong_depth += 1;
            }
            Tag::Link { dest_url, .. } => {
                self.inline.touch(line);
                self.inline.bold_at_start = false;
                let start = self.inline.cur.text.len();
                self.inline.links.push((dest_url.to_string(), start));
            }
            _ => {}
        }
    }

    /// What `start` opened closes.
    fn end(&mut self, tag: TagEnd, line: u32) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(_) => self.end_heading(line),
            TagEnd::Strong => {
                self.inline.strong_depth = self.inline.strong_depth.saturating_sub(1);
                if self.inline.strong_depth == 0 && self.inline.bold_at_start {
                    self.inline.cur.bold_prefix_end = Some(self.inline.cur.text.len());
                    self.inline.bold_at_start = false;
                }
            }
            TagEnd::Link => {
                if let Some((href, start)) = self.inline.links.pop() {
                    let end = self.inline.cur.text.len();
                    let text = self.inline.cur.text[start.min(end)..end].to_string();
                    self.inline.cur.links.push(InlineLink { text, href, start: start.min(end), end });
                }
            }
            TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::HtmlBlock
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.close_frame();
            }
            _ => {}
        }
    }

    /// A heading's lines joined into one, its links and code spans shifted along.
    fn end_heading(&mut self, line: u32) {
        let lines = self.inline.take();
        let (level, l) = self.heading.take().unwrap_or((1, line));
        let mut content = Line { line: l, ..Line::default() };
        for (i, part) in lines.into_iter().enumerate() {
            let shift = if i == 0 { 0 } else { content.text.len() + 1 };
            if i > 0 {
                content.text.push(' ');
            }
            content.text.push_str(&part.text);
            content.links.extend(part.links.into_iter().map(|mut k| {
                k.start += shift;
                k.end += shift;
                k
            }));
            content.code.extend(part.code.iter().map(|(s, e)| (s + shift, e + shift)));
        }
        self.stack.last_mut().expect("root").blocks.push(Block::Heading { level, content });
    }

    /// A container ends: its frame becomes a block (or item, row, cell) of its parent.
    fn close_frame(&mut self) {
        self.flush();
        if self.depth_overflow > 0 {
            self.depth_overflow -= 1;
            return;
        }
        if self.stack.len() <= 1 {
            return;
        }
        let frame = self.stack.pop().expect("checked");
        let parent = self.stack.last_mut().expect("root");
        match frame.kind {
            FrameKind::Quote => parent.blocks.push(Block::Quote(frame.blocks)),
            FrameKind::List => parent.blocks.push(Block::List(frame.items)),
            FrameKind::Item(l) => {
                let item = Item { line: l, blocks: frame.blocks };
                if matches!(parent.kind, FrameKind::List) {
                    parent.items.push(item);
                } else {
                    parent.blocks.extend(item.blocks);
                }
            }
            FrameKind::Table => {
                parent.blocks.push(Block::Table(frame.rows));
            }
            FrameKind::Row => {
                if matches!(parent.kind, FrameKind::Table) {
                    parent.rows.push(frame.cells);
                }
            }
            FrameKind::Cell => {
                let mut cell = Line::default();
                for (i, l) in frame.cells.into_iter().enumerate() {
                    if i == 0 {
                        cell = l;
                    } else {
                        cell.text.push(' ');
                        cell.text.push_str(&l.text);
                    }
                }
                if matches!(parent.kind, FrameKind::Row) {
                    parent.cells.push(cell);
                }
            }
            FrameKind::Other | FrameKind::Root => parent.blocks.extend(frame.blocks),
        }
    }

    /// The document's blocks, closing whatever the events left open.
    fn finish(mut self) -> Vec<Block> {
        self.flush();
        let stack = &mut self.stack;
        while stack.len() > 1 {
            let frame = stack.pop().expect("len > 1");
            let parent = stack.last_mut().expect("root");
            parent.blocks.extend(frame.blocks);
            if !frame.items.is_empty() {
                parent.blocks.push(Block::List(frame.items));
            }
        }
        stack.pop().map(|f| f.blocks).unwrap_or_default()
    }
}

/// Plain text of blocks: paragraphs and list items one per line, blank lines between blocks.
pub fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    append_text(blocks, &mut out, 0);
    out.trim_end().to_string()
}

fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push(' ');
    }
}

fn append_text(blocks: &[Block], out: &mut String, indent: usize) {
    for b in blocks {
        match b {
            Block::Heading { content, .. } => {
                out.push_str(&content.text);
                out.push_str("\n\n");
            }
            Block::Para(lines) => {
                for l in lines {
                    push_indent(out, indent);
                    out.push_str(&l.text);
                    out.push('\n');
                }
                if indent == 0 {
                    out.push('\n');
                }
            }
            Block::List(items) => {
                for it in items {
                    // `- ` and the item's text, trimmed of leading white space and trailing
                    // newlines, written in place.
                    push_indent(out, indent);
                    out.push_str("- ");
                    let start = out.len();
                    append_text(&it.blocks, out, indent + 2);
                    let lead = out.len() - start - out[start..].trim_start().len();
                    out.drain(start..start + lead);
                    let end = start + out[start..].trim_end_matches('\n').len();
                    out.truncate(end);
                    out.push('\n');
                }
                if indent == 0 {
                    out.push('\n');
                }
            }
            Block::Quote(inner) => append_text(inner, out, indent),
            Block::Table(rows) => {
                for row in rows {
                    let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
                    out.push_str(&cells.join(" | "));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Code { text, .. } => {
                out.push_str(text);
                if !text.ends_with('\n') {
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
}

/// Every [`Line`] in the blocks, depth first, in document order.
pub fn all_lines(blocks: &[Block]) -> Vec<&Line> {
    let mut out = Vec::new();
    collect_lines(blocks, &mut out);
    out
}

fn collect_lines<'a>(blocks: &'a [Block], out: &mut Vec<&'a Line>) {
    for b in blocks {
        match b {
            Block::Heading { content, .. } => out.push(content),
            Block::Para(lines) => out.extend(lines.iter()),
            Block::List(items) => {
                for it in items {
                    collect_lines(&it.blocks, out);
                }
            }
            Block::Quote(inner) => collect_lines(inner, out),
            Block::Table(rows) => {
                for row in rows {
                    out.extend(row.iter());
                }
            }
            Block::Code { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(src: &str) -> Doc {
        parse_doc(src, &LineIndex::new(src))
    }

    #[test]
    fn line_index_handles_all_line_endings() {
        let idx = LineIndex::new("a\nb\r\nc\rd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(7), 4);
        // Every ending and run of endings starts lines where a byte-by-byte scan does.
        let naive = |src: &str| -> Vec<usize> {
            let b = src.as_bytes();
            let mut starts = vec![0];
            for i in 0..b.len() {
                if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                    starts.push(i + 1);
                }
            }
            starts
        };
        for src in ["", "\r", "\n", "\r\n", "\n\r", "\r\r\n\n", "x\r", "é\r\nü\rñ\n", "a\r\n\r\nb\n\n\rc"]
        {
            assert_eq!(LineIndex::new(src).starts, naive(src), "{src:?}");
        }
    }

    #[test]
    fn bold_labels_split_at_hard_breaks() {
        let d = doc("**Date:** 2026-02-11  \n**Status:** Accepted  \n**Deciders:** A, B\n");
        let Block::Para(lines) = &d.blocks[0] else { panic!("{:?}", d.blocks) };
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].label_value(), Some(("Date", "2026-02-11")));
        assert_eq!(lines[1].label_value(), Some(("Status", "Accepted")));
        assert_eq!(lines[2].line, 3);
    }

    #[test]
    fn colon_outside_bold() {
        let d = doc("**Status**: Proposed\n");
        let Block::Para(lines) = &d.blocks[0] else { panic!() };
        assert_eq!(lines[0].label_value(), Some(("Status", "Proposed")));
    }

    #[test]
    fn heading_in_code_block_is_code() {
        let d = doc("```\n## Status\n```\n");
        assert!(matches!(d.blocks[0], Block::Code { .. }));
    }

    #[test]
    fn tight_list_items_have_text_and_links() {
        let d = doc("* Status: superseded by [ADR-0005](0005-x.md)\n* Date: 2020\n");
        let Block::List(items) = &d.blocks[0] else { panic!() };
        let l = items[0].first_line().unwrap();
        assert_eq!(l.text, "Status: superseded by ADR-0005");
        assert_eq!(l.links[0].href, "0005-x.md");
        assert_eq!(&l.text[l.links[0].start..l.links[0].end], "ADR-0005");
        assert_eq!(items[1].line, 2);
    }

    #[test]
    fn front_matter_is_separate() {
        let d = doc("---\nstatus: accepted\n---\n# T\n");
        assert_eq!(d.front_matter, Some(("status: accepted\n".into(), 2)));
        assert!(matches!(d.blocks[0], Block::Heading { level: 1, .. }));
    }

    #[test]
    fn rule_then_heading_is_not_front_matter() {
        let d = doc("# T\n\n---\n## Status\n\nAccepted\n\n---\n## Context\n");
        assert!(d.front_matter.is_none());
        assert!(all_lines(&d.blocks).iter().any(|l| l.text == "Accepted"));
        let d = doc("---\nno closing line\n");
        assert!(d.front_matter.is_none());
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let src = ">".repeat(500) + " deep\n";
        let d = doc(&src);
        assert!(d.flattened);
        assert!(all_lines(&d.blocks).iter().any(|l| l.text == "deep"));
    }

    #[test]
    fn tables_keep_cells() {
        let d = doc("| Status | Accepted |\n|---|---|\n| Date | 2020-01-01 |\n");
        let Block::Table(rows) = &d.blocks[0] else { panic!() };
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][1].text, "2020-01-01");
    }
}

//! JSON views: stable rows for `list`, and a formatter that escapes what a terminal or a
//! browser would act on.

use super::*;

/// One row of `adrgraph list --json`.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow<'a> {
    /// Unique id.
    pub id: &'a str,
    /// Path as the user would type it.
    pub path: &'a str,
    /// Title, or null.
    pub title: Option<&'a str>,
    /// Number, or null.
    pub number: Option<u32>,
    /// Normalised status.
    pub status: Status,
    /// Status as written, or null.
    pub status_raw: Option<&'a str>,
    /// ISO date, or null.
    pub date: Option<crate::model::Date>,
    /// Deciders.
    pub deciders: &'a [String],
    /// Tags.
    pub tags: &'a [String],
    /// Dialect.
    pub dialect: crate::model::Dialect,
    /// Links.
    pub links: &'a [crate::model::Link],
}

impl<'a> From<&'a Adr> for ListRow<'a> {
    fn from(a: &'a Adr) -> Self {
        ListRow {
            id: &a.id,
            path: &a.path,
            title: a.title.as_deref(),
            number: a.number,
            status: a.status,
            status_raw: a.status_raw.as_deref(),
            date: a.date,
            deciders: &a.deciders,
            tags: &a.tags,
            dialect: a.dialect,
            links: &a.links,
        }
    }
}

/// Write any serializable value as pretty JSON with a trailing newline.
pub fn write_json<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    // Through a buffer of its own: no call through `dyn Write` per token, and no copy of the
    // whole answer in memory (the impact of an early decision in 100,000 is 5.4 MB of JSON,
    // and growing that copy cost a third of the command in page faults).
    let mut buf = io::BufWriter::with_capacity(1 << 16, w);
    encode_json(&mut buf, value)?;
    buf.flush()
}

/// `value` as pretty JSON with a final newline, escaped like [`write_json`].
pub fn json_bytes<T: Serialize + ?Sized>(value: &T) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_json(&mut out, value)?;
    Ok(out)
}

/// The one JSON encoding of both: pretty, escaped by [`SafeFormatter`], a final newline.
pub(super) fn encode_json<W: Write, T: Serialize + ?Sized>(mut w: W, value: &T) -> io::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut w, SafeFormatter::default()))?;
    w.write_all(b"\n")
}

/// Whether JSON text should carry `c` as a `\uXXXX` escape although JSON allows it raw: C1
/// controls (a terminal may act on them when the JSON is printed), the line and paragraph
/// separators (which end a JavaScript string) and the bidirectional overrides (which make text
/// read differently from what it is). Decoding gives the same text back.
pub(super) fn json_escape_extra(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// serde_json's pretty formatter, escaping also what [`json_escape_extra`] names.
#[derive(Default)]
pub(super) struct SafeFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        // Every character escaped here is outside ASCII.
        if fragment.is_ascii() {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if json_escape_extra(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `adrgraph show --json`: the whole record, and its typed links in both directions.
#[derive(Debug, Serialize)]
pub struct ShowJson<'a> {
    /// The record, every field.
    #[serde(flatten)]
    pub adr: &'a Adr,
    /// Its links to and from other decisions.
    pub edges: EdgesJson<'a>,
}

/// A record's links to other decisions (`outgoing`) and from them (`incoming`).
#[derive(Debug, Serialize)]
pub struct EdgesJson<'a> {
    /// Links the record makes.
    pub outgoing: Vec<&'a crate::query::Step>,
    /// Links made to it.
    pub incoming: Vec<&'a crate::query::Step>,
}

impl<'a> ShowJson<'a> {
    /// The record `adr` with its edges ([`crate::query::edges_of`]).
    pub fn new(adr: &'a Adr, edges: &'a [(petgraph::Direction, crate::query::Step)]) -> ShowJson<'a> {
        let pick = |d: petgraph::Direction| edges.iter().filter(|(x, _)| *x == d).map(|(_, s)| s).collect();
        ShowJson {
            adr,
            edges: EdgesJson {
                outgoing: pick(petgraph::Direction::Outgoing),
                incoming: pick(petgraph::Direction::Incoming),
            },
        }
    }
}

/// `adrgraph lint --json`: the findings and how many there are at each level. Every object has
/// its keys in alphabetical order (as the answer has always been written).
#[derive(Debug, Serialize)]
pub struct LintJson {
    /// Findings at error level.
    pub errors: usize,
    /// Every finding, in the order given.
    pub findings: serde_json::Value,
    /// Findings at note level.
    pub notes: usize,
    /// Findings at warning level.
    pub warnings: usize,
}

impl LintJson {
    /// The findings, counted.
    pub fn new(findings: &[crate::lint::Finding]) -> LintJson {
        use crate::lint::Level;
        let count = |lv: Level| findings.iter().filter(|f| f.level == lv).count();
        LintJson {
            findings: serde_json::to_value(findings).unwrap_or_default(),
            errors: count(Level::Error),
            warnings: count(Level::Warning),
            notes: count(Level::Note),
        }
    }
}

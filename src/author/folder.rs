//! How a folder already writes its decisions: the dialect most of them use, the file-name
//! scheme (`0012-slug.md`, `ADR-012-slug.md`, log4brains' `20240131-slug.md`) with its width
//! and prefix, and the highest number used, so that a new record looks like its neighbours.

use crate::ingest::Corpus;
use crate::model::{DecisionIndex, Dialect};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How the files of a folder are named.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scheme {
    /// `{prefix}{number, zero-padded to width}{separator}{slug}{suffix}`: `0012-use-kafka.md`
    /// (adr-tools, MADR), `ADR-012-use-kafka.md`, `ADR054-slug.html.md`, `adr_7_slug.md`, or
    /// without a slug: `adr-65.md`.
    Numbered {
        /// Text before the number (`ADR-`), often empty.
        prefix: String,
        /// Digits the number is padded to.
        width: usize,
        /// What comes between the number and the slug (`-`, `_`, `.`); `None`: names carry no
        /// slug (`adr-65.md`).
        #[serde(skip_serializing_if = "is_dash")]
        separator: Option<char>,
        /// The end of the name (`.md`, `.html.md`, `.markdown`).
        #[serde(skip_serializing_if = "is_md")]
        suffix: String,
    },
    /// `{YYYYMMDD}-{slug}.md`, as log4brains names its records; `{YYYY-MM-DD}-{slug}.md` when
    /// `dashed`; `{date}_{number, zero-padded to width}-{slug}.md` when `numbered` gives a width
    /// (`2021-06-05_001-slug.md`).
    Dated {
        /// The date written `2022-10-01`, not `20221001`.
        #[serde(skip_serializing_if = "is_false")]
        dashed: bool,
        /// The width of the number after the date and `_`, for names that carry one.
        #[serde(skip_serializing_if = "Option::is_none")]
        numbered: Option<usize>,
    },
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_dash(c: &Option<char>) -> bool {
    *c == Some('-')
}

fn is_md(s: &str) -> bool {
    s == ".md"
}

/// The name endings a record file may have, longest first.
const SUFFIXES: [&str; 4] = [".html.md", ".markdown", ".mdx", ".md"];

impl Scheme {
    /// `{prefix}{number:0width}-{slug}.md`, the common form.
    pub fn numbered(prefix: &str, width: usize) -> Scheme {
        Scheme::Numbered { prefix: prefix.to_string(), width, separator: Some('-'), suffix: ".md".into() }
    }

    /// log4brains' `{YYYYMMDD}-{slug}.md`.
    pub const DATED: Scheme = Scheme::Dated { dashed: false, numbered: None };

    /// Whether names carry a number that numbering continues (`0012-x.md`,
    /// `2021-06-05_012-x.md`), not a date alone.
    pub fn is_numbered(&self) -> bool {
        !matches!(self, Scheme::Dated { numbered: None, .. })
    }

    /// The scheme a new folder of `dialect` gets: log4brains names files by date, the seed
    /// template `ADR-001-slug.md`, everything else as adr-tools does (`0001-slug.md`).
    pub fn for_dialect(dialect: Dialect) -> Scheme {
        match dialect {
            Dialect::Log4brains => Scheme::DATED,
            Dialect::Seed => Scheme::numbered("ADR-", 3),
            _ => Scheme::numbered("", 4),
        }
    }

    /// The file name of record `number` (or of `date` for a dated scheme) titled by `slug`.
    pub fn file_name(&self, number: u32, date: chrono::NaiveDate, slug: &str) -> String {
        match self {
            Scheme::Numbered { prefix, width, separator: Some(sep), suffix } => {
                format!("{prefix}{number:0width$}{sep}{slug}{suffix}")
            }
            Scheme::Numbered { prefix, width, separator: None, suffix } => {
                format!("{prefix}{number:0width$}{suffix}")
            }
            Scheme::Dated { dashed, numbered } => {
                let day = date.format(if *dashed { "%Y-%m-%d" } else { "%Y%m%d" });
                match numbered {
                    Some(width) => format!("{day}_{number:0width$}-{slug}.md"),
                    None => format!("{day}-{slug}.md"),
                }
            }
        }
    }

    /// The scheme of one file name, learnt from the name itself: a date-named record, or a
    /// prefix of letters (and `-`, `_`), a number, then a separator and a slug or nothing, and
    /// the name's ending.
    fn of_name(name: &str) -> Option<Scheme> {
        let lower = name.to_ascii_lowercase();
        let suffix = SUFFIXES.iter().find(|s| lower.ends_with(*s))?;
        let stem = &name[..name.len() - suffix.len()];
        if let Some((head, _)) = stem.split_once('-') {
            if head.len() == 8 && head.bytes().all(|b| b.is_ascii_digit()) && head.starts_with("20") {
                return Some(Scheme::DATED);
            }
        }
        if let Some(dated) = dashed_date(stem) {
            return Some(dated);
        }
        // `0012-x`, `ADR-012-x`, `ADR012-x`, `adr_7_x`, `adr-65`: the digits and what surrounds them.
        let digits_at = stem.find(|c: char| c.is_ascii_digit())?;
        let digits = stem[digits_at..].chars().take_while(char::is_ascii_digit).count();
        let prefix = &stem[..digits_at];
        let after = &stem[digits_at + digits..];
        let prefix_ok =
            prefix.len() <= 8 && prefix.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_');
        let separator = match after.chars().next() {
            None => None,
            Some(c @ ('-' | '_' | '.')) if after.len() > 1 => Some(c),
            Some(_) => return None,
        };
        prefix_ok.then(|| Scheme::Numbered {
            prefix: prefix.to_string(),
            width: digits,
            separator,
            suffix: (*suffix).to_string(),
        })
    }
}

/// `2022-10-01-slug` and `2021-06-05_001-slug`: a dashed date, then a slug or `_` and a number.
fn dashed_date(stem: &str) -> Option<Scheme> {
    let b = stem.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10))
    {
        return None;
    }
    match b.get(10) {
        Some(b'-') => Some(Scheme::Dated { dashed: true, numbered: None }),
        Some(b'_') => {
            let width = b[11..].iter().take_while(|c| c.is_ascii_digit()).count();
            (width > 0 && width <= 6).then_some(Scheme::Dated { dashed: true, numbered: Some(width) })
        }
        _ => None,
    }
}

/// The number after a numbered dated name's date (`2021-06-05_012-x` gives 12).
fn dated_number(stem: &str) -> Option<u32> {
    match dashed_date(stem)? {
        Scheme::Dated { numbered: Some(width), .. } => stem.get(11..11 + width)?.parse().ok(),
        _ => None,
    }
}

/// What a folder's records say about how to write the next one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FolderStyle {
    /// The folder (as given, made absolute).
    pub folder: PathBuf,
    /// The dialect most of its records are written in, `None` for a folder with none (or only
    /// generic ones).
    pub dialect: Option<Dialect>,
    /// How its files are named, `None` for a folder with no record named in a known scheme.
    pub scheme: Option<Scheme>,
    /// The highest decision number in the folder: in a record's file name or title, or in the
    /// name of any markdown file there (one a concurrent writer just made).
    pub highest: u32,
    /// Decisions in the folder.
    pub decisions: usize,
}

impl FolderStyle {
    /// The style of `folder` (absolute) from the records of `corpus` in it and the names of the
    /// files it holds now.
    pub fn of(corpus: &Corpus, folder: &Path) -> FolderStyle {
        let mut dialects: BTreeMap<Dialect, usize> = BTreeMap::new();
        let mut schemes: BTreeMap<String, (usize, Scheme)> = BTreeMap::new();
        let (mut highest, mut decisions) = (0, 0);
        for (i, path) in records_in(corpus, folder) {
            let a = &corpus.adrs[i];
            decisions += 1;
            if a.dialect != Dialect::Generic {
                *dialects.entry(a.dialect).or_default() += 1;
            }
            highest = highest.max(a.number.unwrap_or(0));
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if let Some(s) = Scheme::of_name(&name) {
                schemes.entry(format!("{s:?}")).or_insert((0, s)).0 += 1;
            }
        }

        // The most common; ties go to the first in a stable order.
        let dialect = dialects.iter().max_by_key(|(d, n)| (**n, std::cmp::Reverse(**d))).map(|(d, _)| *d);
        let scheme = schemes
            .into_values()
            .max_by_key(|(n, s)| (*n, std::cmp::Reverse(format!("{s:?}"))))
            .map(|(_, s)| s);
        let highest = highest.max(highest_on_disk(folder, scheme.as_ref()));
        FolderStyle { folder: folder.to_path_buf(), dialect, scheme, highest, decisions }
    }
}

/// The highest number in the name of a markdown file of `folder` (`0012-x.md`), 0 if none;
/// with the folder's `scheme`, also after its prefix, whatever the prefix (`KEEP-0467-x.md`,
/// `CFP-31893-x.md`, `A101-x.md`), as the folder names its records.
pub(crate) fn highest_on_disk(folder: &Path, scheme: Option<&Scheme>) -> u32 {
    let Ok(entries) = std::fs::read_dir(folder) else { return 0 };
    let prefix = match scheme {
        Some(Scheme::Numbered { prefix, .. }) if !prefix.is_empty() => Some(prefix.as_str()),
        _ => None,
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".md")?;
            let after = prefix.and_then(|p| stem.strip_prefix(p)).and_then(|rest| {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                let next = rest.as_bytes().get(digits);
                (digits > 0 && digits <= 6 && matches!(next, None | Some(b'-' | b'_' | b'.')))
                    .then(|| rest[..digits].parse::<u32>().ok())
                    .flatten()
            });
            after.or_else(|| crate::names::number_from_name(stem)).or_else(|| dated_number(stem))
        })
        .max()
        .unwrap_or(0)
}

/// The records of `corpus` whose file is in `folder` itself (not below it), with their files.
pub(crate) fn records_in<'c>(
    corpus: &'c Corpus,
    folder: &'c Path,
) -> impl Iterator<Item = (DecisionIndex, PathBuf)> + 'c {
    let canonical = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    corpus.indexes().filter_map(move |i| {
        let path = corpus.file_of(i);
        let parent = path.parent()?;
        (parent == canonical || parent == folder).then_some((i, path))
    })
}

/// A title made a slug as adr-tools makes it: every run of characters that are not letters or
/// digits becomes one `-`, letters are lowercased, and dashes at either end are dropped
/// (`Something About Node.JS` -> `something-about-node-js`, `Slash/Slash/Slash/` ->
/// `slash-slash-slash`, `-Bar-` -> `bar`). A title with no letter or digit gives `decision`.
pub fn slug_of_title(title: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if slug.is_empty() {
        "decision".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_made_as_adr_tools_makes_them() {
        assert_eq!(slug_of_title("Something About Node.JS"), "something-about-node-js");
        assert_eq!(slug_of_title("Slash/Slash/Slash/"), "slash-slash-slash");
        assert_eq!(slug_of_title("-Bar-"), "bar");
        assert_eq!(slug_of_title("Use Kafka  for   telemetry"), "use-kafka-for-telemetry");
        assert_eq!(slug_of_title("Ünïcode Titel"), "ünïcode-titel");
        assert_eq!(slug_of_title("?!"), "decision");
    }

    #[test]
    fn file_names_keep_the_folder_scheme_and_never_go_octal() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let four = Scheme::numbered("", 4);
        assert_eq!(four.file_name(8, d, "x"), "0008-x.md");
        assert_eq!(four.file_name(12345, d, "x"), "12345-x.md");
        assert_eq!(Scheme::DATED.file_name(3, d, "x"), "20240131-x.md");
        assert_eq!(Scheme::Dated { dashed: true, numbered: None }.file_name(3, d, "x"), "2024-01-31-x.md");
        assert_eq!(
            Scheme::Dated { dashed: true, numbered: Some(3) }.file_name(35, d, "x"),
            "2024-01-31_035-x.md"
        );
        assert_eq!(Scheme::of_name("0012-use-kafka.md"), Some(four.clone()));
        assert_eq!(Scheme::of_name("ADR-012-use-kafka.md"), Some(Scheme::numbered("ADR-", 3)));
        // Whatever the folder's scheme: no slug, another ending, another separator.
        let bare = Scheme::of_name("adr-64.md").unwrap();
        assert_eq!(bare.file_name(65, d, "x"), "adr-65.md");
        let html = Scheme::of_name("ADR053-cell-capacity.html.md").unwrap();
        assert_eq!(html.file_name(54, d, "new-one"), "ADR054-new-one.html.md");
        let under = Scheme::of_name("adr_007_use_x.md").unwrap();
        assert_eq!(under.file_name(8, d, "y"), "adr_008_y.md");
        assert_eq!(Scheme::of_name("0001-编写完整的单元测试.md"), Some(four.clone()));
        assert_eq!(Scheme::of_name("20201016-use-x.md"), Some(Scheme::DATED));
        assert_eq!(
            Scheme::of_name("2022-10-01-use-x.md"),
            Some(Scheme::Dated { dashed: true, numbered: None })
        );
        assert_eq!(
            Scheme::of_name("2021-06-05_001-record.md"),
            Some(Scheme::Dated { dashed: true, numbered: Some(3) })
        );
        assert_eq!(dated_number("2021-06-05_034-x"), Some(34));
        assert_eq!(Scheme::of_name("template.md"), None);
        assert_eq!(Scheme::of_name("README.md"), None);
    }
}

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
    /// `{prefix}{number, zero-padded to width}-{slug}.md`: `0012-use-kafka.md` (adr-tools,
    /// MADR), `ADR-012-use-kafka.md`.
    Numbered {
        /// Text before the number (`ADR-`), often empty.
        prefix: String,
        /// Digits the number is padded to.
        width: usize,
    },
    /// `{YYYYMMDD}-{slug}.md`, as log4brains names its records.
    Dated,
}

impl Scheme {
    /// The scheme a new folder of `dialect` gets: log4brains names files by date, the seed
    /// template `ADR-001-slug.md`, everything else as adr-tools does (`0001-slug.md`).
    pub fn for_dialect(dialect: Dialect) -> Scheme {
        match dialect {
            Dialect::Log4brains => Scheme::Dated,
            Dialect::Seed => Scheme::Numbered { prefix: "ADR-".into(), width: 3 },
            _ => Scheme::Numbered { prefix: String::new(), width: 4 },
        }
    }

    /// The file name of record `number` (or of `date` for a dated scheme) titled by `slug`.
    pub fn file_name(&self, number: u32, date: chrono::NaiveDate, slug: &str) -> String {
        match self {
            Scheme::Numbered { prefix, width } => format!("{prefix}{number:0width$}-{slug}.md"),
            Scheme::Dated => format!("{}-{slug}.md", date.format("%Y%m%d")),
        }
    }

    /// The scheme of one file name, if it has one of the known forms.
    fn of_name(name: &str) -> Option<Scheme> {
        let stem = name.strip_suffix(".md")?;
        let (head, _) = stem.split_once('-')?;
        if head.len() == 8 && head.bytes().all(|b| b.is_ascii_digit()) && head.starts_with("20") {
            return Some(Scheme::Dated);
        }
        // `0012-x`, `ADR-012-x`, `ADR012-x`: the digits and what precedes them.
        let digits_at = stem.find(|c: char| c.is_ascii_digit())?;
        let digits = stem[digits_at..].chars().take_while(char::is_ascii_digit).count();
        let prefix = &stem[..digits_at];
        let after = &stem[digits_at + digits..];
        let prefix_ok =
            prefix.is_empty() || prefix.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_');
        (prefix_ok && after.starts_with('-') && prefix.len() <= 5)
            .then(|| Scheme::Numbered { prefix: prefix.to_string(), width: digits })
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
        highest = highest.max(highest_on_disk(folder));
        // The most common; ties go to the first in a stable order.
        let dialect = dialects.iter().max_by_key(|(d, n)| (**n, std::cmp::Reverse(**d))).map(|(d, _)| *d);
        let scheme = schemes
            .into_values()
            .max_by_key(|(n, s)| (*n, std::cmp::Reverse(format!("{s:?}"))))
            .map(|(_, s)| s);
        FolderStyle { folder: folder.to_path_buf(), dialect, scheme, highest, decisions }
    }
}

/// The highest number in the name of a markdown file of `folder` (`0012-x.md`), 0 if none.
pub(crate) fn highest_on_disk(folder: &Path) -> u32 {
    let Ok(entries) = std::fs::read_dir(folder) else { return 0 };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".md")?;
            crate::names::number_from_name(stem)
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
        let four = Scheme::Numbered { prefix: String::new(), width: 4 };
        assert_eq!(four.file_name(8, d, "x"), "0008-x.md");
        assert_eq!(four.file_name(12345, d, "x"), "12345-x.md");
        assert_eq!(Scheme::Dated.file_name(3, d, "x"), "20240131-x.md");
        assert_eq!(Scheme::of_name("0012-use-kafka.md"), Some(four));
        assert_eq!(
            Scheme::of_name("ADR-012-use-kafka.md"),
            Some(Scheme::Numbered { prefix: "ADR-".into(), width: 3 })
        );
        assert_eq!(Scheme::of_name("20201016-use-x.md"), Some(Scheme::Dated));
        assert_eq!(Scheme::of_name("template.md"), None);
        assert_eq!(Scheme::of_name("README.md"), None);
    }
}

//! The one grammar of decision names: numbers in file and folder names (`0012-x`,
//! `ADR-012-x`, a KEP folder `583-x`), numbers in titles (`# 12. Title`, `# ADR-001: Title`),
//! ids in prose (`ADR-004`, `ADRs 60 and 61`, never a version such as `MADR 2.1.2`), the number a
//! link names, slugs, and the `folder/number` form of a user's name for a decision. The parser,
//! the graph's link resolution, lint, the store's snapshot and the command line all read names
//! with these functions, so they never disagree on what a name means.

/// A calendar date (the model's `Date`).
type Date = chrono::NaiveDate;
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

static TITLE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*
        (?:
            (?:architecture\s+decision\s+record|adr|madr|ad|kep|jep|pep|oep|rfc|dr)
            \s*[-_\x20]?\s*\#?0*(?P<n1>\d{1,6})\b\s*[.:)\-–—|]?\s*
          | \#?0*(?P<n2>\d{1,6})\s*[.:)\-–—]\s+
          | (?:architecture\s+decision\s+record|adr)\s*:\s*
        )",
    )
    .expect("valid regex")
});

/// Remove a number prefix from a title: `12. Title`, `ADR-001: Title`, `ADR 114: Title`,
/// `ADR004: Title`, `Architecture Decision Record: Title`. Returns the clean title and the number.
/// Surrounding `[...]` (MADR 1.0's `*[title]*`) is removed too.
pub fn clean_title(raw: &str) -> (String, Option<u32>) {
    let raw = raw.trim();
    let (rest, number) = match TITLE_PREFIX.captures(raw) {
        Some(c) => {
            let n = c.name("n1").or_else(|| c.name("n2")).and_then(|m| m.as_str().parse().ok());
            let rest = &raw[c.get(0).expect("group 0").end()..];
            if rest.trim().is_empty() {
                (raw, None)
            } else {
                (rest, n)
            }
        }
        None => (raw, None),
    };
    let mut t = rest.trim();
    if t.starts_with('[') && t.ends_with(']') && t.len() > 2 {
        t = t[1..t.len() - 1].trim();
    }
    (t.to_string(), number)
}

static FILE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:adr|madr|ad|dr|kep|rfc|pep|jep|oep)?[-_]?0*(\d{1,6})(?:[-_ .]|$)")
        .expect("valid regex")
});
static DATE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4}-\d{2}-\d{2}|\d{8}|\d{12}|\d{14})(?:[-_ ]|$)").expect("valid regex")
});

/// The number in a file or folder name (`0012-x`, `ADR012-x`, `adr-012-x`, `583-coscheduling`),
/// or `None` for date-named files (`20201016-x`, `2022-03-02-x`).
pub fn number_from_name(stem: &str) -> Option<u32> {
    // Most names start with their number (`0012-x`): read without the patterns, which took 3%
    // of parsing (a name for the file and one for each link). A run of ASCII digits ended by an
    // ASCII character or by the end is all they would look at; anything else goes to them.
    let b = stem.as_bytes();
    let k = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let next = b.get(k).copied();
    if k == 0 || next.is_some_and(|c| !c.is_ascii()) {
        return number_from_name_by_patterns(stem);
    }
    // `20201016-x`, `202403021200`, `20240603162604-x`: dates.
    if matches!(k, 8 | 12 | 14) && matches!(next, None | Some(b'-' | b'_' | b' ')) {
        return None;
    }
    // `2022-03-02-x`: a date when two digits, `-`, two digits and an end follow.
    if k == 4 && next == Some(b'-') {
        let tail = &b[5..];
        if tail.iter().take(5).any(|c| !c.is_ascii()) {
            return number_from_name_by_patterns(stem);
        }
        let digit = |i: usize| tail.get(i).is_some_and(u8::is_ascii_digit);
        if digit(0)
            && digit(1)
            && tail.get(2) == Some(&b'-')
            && digit(3)
            && digit(4)
            && matches!(tail.get(5), None | Some(b'-' | b'_' | b' '))
        {
            return None;
        }
    }
    if !matches!(next, None | Some(b'-' | b'_' | b' ' | b'.')) {
        return None;
    }
    // `0*(\d{1,6})`: the zeros are taken first, all but the last digit.
    let zeros = b.iter().take_while(|&&c| c == b'0').count();
    let from = zeros.min(k - 1);
    if k - from > 6 {
        return None;
    }
    stem[from..k].parse().ok()
}

/// [`number_from_name`] by its patterns.
pub(crate) fn number_from_name_by_patterns(stem: &str) -> Option<u32> {
    if DATE_NAME.is_match(stem) {
        return None;
    }
    FILE_NUMBER.captures(stem).and_then(|c| c[1].parse().ok())
}

/// `ADRXXX-x`, `NNNN-x`, `XXXX-x`, `adr-nnn`, `YYYYMMDD-x`, `xxx`: names (lower case) left as
/// placeholders in templates, never a record's.
pub fn is_placeholder_name(stem: &str) -> bool {
    let first = stem.split(['-', '_', ' ', '.']).next().unwrap_or("");
    let f = first.trim_start_matches("adr").trim_start_matches("madr");
    (f.len() >= 3 && (f.chars().all(|c| c == 'x') || f.chars().all(|c| c == 'n')))
        || first == "yyyymmdd"
        || first == "yyyy"
}

/// Whether a link's target names a placeholder file (`yyyymmdd-xxx.md`, `../adr/NNNN-title.md`):
/// template text, not a link.
pub fn is_placeholder_target(href: &str) -> bool {
    let path = href.split(['#', '?']).next().unwrap_or(href);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let stem = last.rsplit_once('.').map_or(last, |(s, _)| s);
    !stem.is_empty() && !path.contains("://") && is_placeholder_name(&stem.to_lowercase())
}

/// The date in a date-named file or folder (`20201016-x`, `2022-03-02-x`, `20240603162604-x`).
pub fn date_from_name(stem: &str) -> Option<Date> {
    let c = DATE_NAME.captures(stem)?;
    let digits: String = c[1].chars().filter(char::is_ascii_digit).collect();
    let y = digits.get(0..4)?.parse().ok()?;
    let m = digits.get(4..6)?.parse().ok()?;
    let d = digits.get(6..8)?.parse().ok()?;
    Date::from_ymd_opt(y, m, d)
}

/// An id written in prose (`ADR-004`, `ADR 3`, `ADR-0012`, `MADR 099`, `ADR025`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BareId {
    /// The text matched.
    pub text: String,
    /// The number.
    pub number: u32,
    /// Byte range in the searched text.
    pub start: usize,
    /// End of that range.
    pub end: usize,
}

static BARE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:ADR|MADR|Adr)s?[-_ ]?#?0*(\d{1,5})\b").expect("valid regex"));
static MORE_NUMBERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\s*(?:,|and|&|or)\s*0*(\d{1,5})\b)+").expect("valid regex"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"0*(\d{1,5})").expect("valid regex"));

/// Ids written in prose, including lists after a plural (`ADRs 60 and 61`).
pub fn bare_ids(s: &str) -> Vec<BareId> {
    let mut out = Vec::new();
    // Every id the pattern finds spells `ADR` (`MADR` too) or `Adr`: most lines have neither,
    // and setting up the pattern's captures for each line cost more than this look.
    if !s.contains("ADR") && !s.contains("Adr") {
        return out;
    }
    for c in BARE_ID.captures_iter(s) {
        let m = c.get(0).expect("group 0");
        // `MADR 2.1.2`, `ADR v2`: a version of a tool or template, not a decision number.
        if is_version_tail(&s[m.end()..]) {
            continue;
        }
        let Ok(number) = c[1].parse() else { continue };
        out.push(BareId { text: m.as_str().to_string(), number, start: m.start(), end: m.end() });
        if let Some(more) = MORE_NUMBERS.find(&s[m.end()..]) {
            for n in NUMBER.captures_iter(more.as_str()) {
                let g = n.get(0).expect("group 0");
                if let Ok(number) = n[1].parse() {
                    let start = m.end() + more.start() + g.start();
                    out.push(BareId { text: g.as_str().to_string(), number, start, end: start + g.len() });
                }
            }
        }
    }
    out
}

/// Whether the text right after a number makes it a version (the `2` of `2.1`, `2.1.2`, `2.x`):
/// a `.` followed by a digit or by `x`.
fn is_version_tail(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.first() == Some(&b'.') && b.get(1).is_some_and(|c| c.is_ascii_digit() || *c == b'x' || *c == b'X')
}

/// The number in a link's text or target (`9. Help scripts`, `ADR-0005`, `0005-x.md`).
pub fn number_in_reference(text: &str, target: &str) -> Option<u32> {
    let file = target.rsplit('/').next().unwrap_or(target);
    let file = file.split('#').next().unwrap_or(file);
    number_from_name(file)
        .or_else(|| bare_ids(text).first().map(|b| b.number))
        .or_else(|| clean_title(text).1)
}

/// Compile this module's patterns now (see [`crate::parse::prepare`]).
pub fn prepare() {
    for re in [&TITLE_PREFIX, &FILE_NUMBER, &DATE_NAME, &BARE_ID, &MORE_NUMBERS, &NUMBER] {
        LazyLock::force(re);
    }
}

/// The slug of a record at `rel_path`: the file stem, or the folder name for
/// `folder/README.md` and `folder/index.md` records.
pub fn slug_for(rel_path: &str) -> String {
    let mut parts = rel_path.rsplit('/');
    let file = parts.next().unwrap_or(rel_path);
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    // `ADR001-x.html.md`: a static site's source, named for the page it makes.
    let stem = [".html", ".htm", ".HTML"].iter().find_map(|e| stem.strip_suffix(e)).unwrap_or(stem);
    if matches!(stem.to_lowercase().as_str(), "readme" | "index") {
        if let Some(dir) = parts.next() {
            return dir.to_string();
        }
    }
    stem.to_string()
}

/// A decision named by its number, optionally in a folder (`12`, `ADR-0012`, `decisions/12`):
/// the folder part and the number; `None` when the name is not of that form.
pub(crate) fn number_name(norm: &str) -> Option<(Option<&str>, u32)> {
    let (folder, num_part) = match norm.rsplit_once('/') {
        Some((f, n)) => (Some(f), n),
        None => (None, norm),
    };
    let digits = num_part
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_start_matches(['-', '_', ' ', '#']);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((folder, digits.parse().ok()?))
}

/// Lowercased, punctuation-free form used to compare titles (of decisions and options).
pub fn fold_key(s: &str) -> String {
    let mut out = String::new();
    for w in s.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// `host/owner/name` of a repository URL (`https://github.com/o/r/blob/main/x.md`,
/// `git@github.com:o/r.git`, `ssh://git@host/o/r`), lower case; `None` when it has no owner and
/// name.
pub fn repository_of_url(url: &str) -> Option<String> {
    let u = url.trim();
    let rest = match u.split_once("://") {
        Some((_, r)) => r.to_string(),
        // `git@github.com:owner/repo.git`
        None => u.split_once(':').map(|(h, p)| format!("{h}/{p}"))?,
    };
    let rest = rest.rsplit_once('@').map_or(rest.as_str(), |(_, r)| r).to_lowercase();
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let host = parts.next()?.split(':').next()?.to_string();
    let owner = parts.next()?;
    let name = parts.next()?.trim_end_matches(".git");
    (!name.is_empty()).then(|| format!("{host}/{owner}/{name}"))
}

/// What a table of decisions can answer about them, for [`resolve`]: the one order in which a
/// user's name for a decision is tried. Each look-up answers the candidates' indexes in record
/// order, or `None` when this table cannot tell (the store's query snapshot keeps no slugs and
/// cannot see the file system); [`resolve`] then answers [`Resolved::CannotTell`] and the caller
/// asks the whole corpus.
pub(crate) trait NameTable {
    /// The first decision whose id is `id`.
    fn with_id(&self, id: &str) -> Option<Option<usize>>;
    /// Decisions whose path or path relative to their root is `path`.
    fn with_path(&self, path: &str) -> Option<Vec<usize>>;
    /// Decisions whose file is `abs` (canonical), or whose folder is, for a folder record.
    fn at_file(&self, abs: &Path) -> Option<Vec<usize>>;
    /// Decisions numbered `n`, in `folder` when one is given.
    fn numbered(&self, n: u32, folder: Option<&str>) -> Option<Vec<usize>>;
    /// Decisions whose slug is `slug` (lowercase), ignoring case.
    fn with_slug(&self, slug: &str) -> Option<Vec<usize>>;
    /// Decisions whose slug contains `part` (lowercase), ignoring case, in a folder that is
    /// or ends with `folder` (lowercase) when one is given.
    fn with_slug_part(&self, part: &str, folder: Option<&str>) -> Option<Vec<usize>>;
}

/// The answer of [`resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// Exactly this decision.
    One(usize),
    /// The first rule that matched matched all these.
    Several(Vec<usize>),
    /// No rule matched.
    None,
    /// The table could not answer a rule it reached.
    CannotTell,
}

/// The decision a user's name names, trying in turn: its id; its path (as written, or relative
/// to its root); the file `name` is from `cwd` (or the folder of a folder record); its number,
/// optionally with a folder (`12`, `ADR-0012`, `decisions/12`); its slug ignoring case; a
/// unique part of a slug, optionally after `folder/`. The first rule that matches anything
/// decides: one match is the answer, several are ambiguous.
pub(crate) fn resolve(table: &dyn NameTable, name: &str, cwd: &Path) -> Resolved {
    let decide = |found: Option<Vec<usize>>| match found {
        None => Some(Resolved::CannotTell),
        Some(v) if v.is_empty() => None,
        Some(v) if v.len() == 1 => Some(Resolved::One(v[0])),
        Some(v) => Some(Resolved::Several(v)),
    };
    let name = name.trim();
    match table.with_id(name) {
        None => return Resolved::CannotTell,
        Some(Some(i)) => return Resolved::One(i),
        Some(None) => {}
    }
    let norm = name.replace('\\', "/");
    let norm = norm.trim_start_matches("./");
    if let Some(r) = decide(table.with_path(norm)) {
        return r;
    }
    if let Ok(abs) = std::fs::canonicalize(cwd.join(name)) {
        if let Some(r) = decide(table.at_file(&abs)) {
            return r;
        }
    }
    if let Some((folder, n)) = number_name(norm) {
        if let Some(r) = decide(table.numbered(n, folder)) {
            return r;
        }
    }
    let lower = norm.to_lowercase();
    if let Some(r) = decide(table.with_slug(&lower)) {
        return r;
    }
    let (folder, part) = match lower.rsplit_once('/') {
        Some((f, s)) => (Some(f), s),
        None => (None, lower.as_str()),
    };
    if part.is_empty() {
        return Resolved::None;
    }
    decide(table.with_slug_part(part, folder)).unwrap_or(Resolved::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decisions as `(id, path, number, slug)`; `partial` answers only ids and paths, as the
    /// store's query snapshot does.
    struct Table {
        rows: Vec<(&'static str, &'static str, Option<u32>, &'static str)>,
        partial: bool,
    }

    impl Table {
        fn pick(&self, keep: impl Fn(&(&str, &str, Option<u32>, &str)) -> bool) -> Vec<usize> {
            (0..self.rows.len()).filter(|&i| keep(&self.rows[i])).collect()
        }
    }

    impl NameTable for Table {
        fn with_id(&self, id: &str) -> Option<Option<usize>> {
            Some(self.rows.iter().position(|r| r.0 == id))
        }
        fn with_path(&self, path: &str) -> Option<Vec<usize>> {
            Some(self.pick(|r| r.1 == path))
        }
        fn at_file(&self, _abs: &Path) -> Option<Vec<usize>> {
            (!self.partial).then(Vec::new)
        }
        fn numbered(&self, n: u32, folder: Option<&str>) -> Option<Vec<usize>> {
            Some(self.pick(|r| r.2 == Some(n) && folder.is_none_or(|f| r.1.starts_with(&format!("{f}/")))))
        }
        fn with_slug(&self, slug: &str) -> Option<Vec<usize>> {
            (!self.partial).then(|| self.pick(|r| r.3 == slug))
        }
        fn with_slug_part(&self, part: &str, _folder: Option<&str>) -> Option<Vec<usize>> {
            (!self.partial).then(|| self.pick(|r| r.3.contains(part)))
        }
    }

    fn table(partial: bool) -> Table {
        Table {
            rows: vec![
                ("use-kafka", "a/0001-use-kafka.md", Some(1), "use-kafka"),
                ("12", "a/0002-twelve.md", Some(2), "twelve"),
                ("use-kafka-streams", "b/0001-use-kafka-streams.md", Some(1), "use-kafka-streams"),
            ],
            partial,
        }
    }

    #[test]
    fn the_first_rule_that_matches_decides_and_several_matches_are_ambiguous() {
        let cwd = Path::new("/nonexistent-cwd-for-names-test");
        let t = table(false);
        // An id wins over the number it looks like.
        assert_eq!(resolve(&t, "12", cwd), Resolved::One(1));
        assert_eq!(resolve(&t, " ./a/0002-twelve.md ", cwd), Resolved::One(1));
        assert_eq!(resolve(&t, "ADR-0001", cwd), Resolved::Several(vec![0, 2]));
        assert_eq!(resolve(&t, "b/1", cwd), Resolved::One(2));
        // An exact slug wins over a part of a longer one; a part must be unique.
        assert_eq!(resolve(&t, "USE-KAFKA", cwd), Resolved::One(0));
        assert_eq!(resolve(&t, "streams", cwd), Resolved::One(2));
        assert_eq!(resolve(&t, "kafka", cwd), Resolved::Several(vec![0, 2]));
        assert_eq!(resolve(&t, "nothing", cwd), Resolved::None);
        assert_eq!(resolve(&t, "a/", cwd), Resolved::None);
    }

    #[test]
    fn a_table_that_cannot_answer_a_rule_says_so_instead_of_guessing() {
        let cwd = Path::new("/nonexistent-cwd-for-names-test");
        let t = table(true);
        assert_eq!(resolve(&t, "12", cwd), Resolved::One(1));
        assert_eq!(resolve(&t, "b/1", cwd), Resolved::One(2));
        assert_eq!(resolve(&t, "ADR-0001", cwd), Resolved::Several(vec![0, 2]));
        assert_eq!(resolve(&t, "streams", cwd), Resolved::CannotTell);
    }
}

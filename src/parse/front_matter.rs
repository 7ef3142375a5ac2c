//! YAML front matter (MADR 3/4, log4brains extensions, other tools) and sidecar metadata files
//! (`kep.yaml`), read with serde_yaml_ng into a flat list of `(key, values)` pairs.
//!
//! Keys are folded (`decision-makers`, `decision_makers` and `Decision Makers` are the same key)
//! and a nested `adr:` map is lifted to the top. A value is kept as a list of strings: a scalar
//! gives one, a sequence gives one per element, a `links: [{target, kind}]` entry gives
//! `kind target`.

use serde_yaml_ng::Value;

/// Front matter read into folded keys and string values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// `(folded key, values)` in document order.
    pub entries: Vec<(String, Vec<String>)>,
    /// `(folded key, line)`: the 1-based line of the YAML text each key is written on, the
    /// first time it is.
    pub lines: Vec<(String, u32)>,
}

/// Why front matter could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// 1-based line inside the YAML text (0 if unknown).
    pub line: u32,
    /// What went wrong.
    pub message: String,
}

/// Fold a key: lowercase, `_` and spaces become `-`.
pub fn fold_key(k: &str) -> String {
    k.trim().to_lowercase().replace(['_', ' '], "-")
}

/// The largest front matter or metadata file (`kep.yaml`) read, in bytes.
pub const MAX_LEN: usize = 1 << 20;

impl FrontMatter {
    /// Parse YAML text. Empty text gives empty front matter. Input larger than [`MAX_LEN`] is
    /// refused.
    pub fn parse(yaml: &str) -> Result<FrontMatter, FrontMatterError> {
        if yaml.trim().is_empty() {
            return Ok(FrontMatter::default());
        }
        if yaml.len() > MAX_LEN {
            return Err(FrontMatterError {
                line: 0,
                message: format!("front matter is {} bytes; more than 1 MiB is not read", yaml.len()),
            });
        }
        let value: Value = serde_yaml_ng::from_str(yaml).map_err(|e| FrontMatterError {
            line: e.location().map(|l| l.line() as u32).unwrap_or(0),
            message: e.to_string(),
        })?;
        let mut fm = FrontMatter { lines: key_lines(yaml), ..FrontMatter::default() };
        match value {
            Value::Mapping(map) => {
                for (k, v) in map {
                    let Some(key) = scalar(&k) else { continue };
                    let key = fold_key(&key);
                    if key == "adr" {
                        if let Value::Mapping(inner) = v {
                            for (k2, v2) in inner {
                                if let Some(k2) = scalar(&k2) {
                                    fm.entries.push((fold_key(&k2), values(&v2)));
                                }
                            }
                        }
                        continue;
                    }
                    fm.entries.push((key, values(&v)));
                }
                Ok(fm)
            }
            Value::Null => Ok(fm),
            _ => Err(FrontMatterError {
                line: 1,
                message: "front matter is not a mapping of keys to values".into(),
            }),
        }
    }

    /// Values of the first key among `keys` that is present and not empty.
    pub fn get(&self, keys: &[&str]) -> Option<&[String]> {
        keys.iter().find_map(|k| {
            self.entries.iter().find(|(key, v)| key == k && !v.is_empty()).map(|(_, v)| v.as_slice())
        })
    }

    /// First value of the first key among `keys`.
    pub fn first(&self, keys: &[&str]) -> Option<&str> {
        self.get(keys).and_then(|v| v.first()).map(String::as_str)
    }

    /// The 1-based line of the YAML text that writes `key` (folded).
    pub fn line_of(&self, key: &str) -> Option<u32> {
        self.lines.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }

    /// Whether any of `keys` is present.
    pub fn has_any(&self, keys: &[&str]) -> bool {
        self.entries.iter().any(|(k, _)| keys.contains(&k.as_str()))
    }
}

/// The line of each key written at the start of a line (`status:`, `  superseded_by:`).
fn key_lines(yaml: &str) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for (n, line) in yaml.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with(['#', '-']) {
            continue;
        }
        let Some((key, _)) = t.split_once(':') else { continue };
        let key = fold_key(key.trim_matches(['"', '\'']));
        if !key.is_empty() && !key.contains(' ') && !out.iter().any(|(k, _)| *k == key) {
            out.push((key, n as u32 + 1));
        }
    }
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

fn values(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(seq) => seq
            .iter()
            .filter_map(|item| match item {
                Value::Mapping(m) => {
                    let get = |name: &str| {
                        m.iter()
                            .find(|(k, _)| scalar(k).is_some_and(|k| fold_key(&k) == name))
                            .and_then(|(_, v)| scalar(v))
                    };
                    let target = get("target").or_else(|| get("id")).or_else(|| get("href"))?;
                    Some(match get("kind").or_else(|| get("type")) {
                        Some(kind) => format!("{kind} {target}"),
                        None => target,
                    })
                }
                other => scalar(other),
            })
            .filter(|s| !s.trim().is_empty())
            .collect(),
        Value::Null => Vec::new(),
        // `status: { accepted }`: a template's braces kept around the value make a YAML
        // mapping whose keys have no values; a person reads the keys as the value.
        Value::Mapping(m) if !m.is_empty() && m.values().all(Value::is_null) => {
            m.keys().filter_map(scalar).filter(|s| !s.trim().is_empty()).collect()
        }
        other => scalar(other).into_iter().filter(|s| !s.trim().is_empty()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn madr4_keys() {
        let fm =
            FrontMatter::parse("status: accepted\ndate: 2024-01-02\ndecision-makers: [a, b]\nconsulted: c\n")
                .unwrap();
        assert_eq!(fm.first(&["status"]), Some("accepted"));
        assert_eq!(fm.first(&["date"]), Some("2024-01-02"));
        assert_eq!(fm.get(&["deciders", "decision-makers"]).unwrap(), ["a", "b"]);
    }

    #[test]
    fn nested_adr_map_and_links() {
        let fm = FrontMatter::parse(
            "adr:\n  status: superseded\n  superseded_by: ADR-0007\nlinks:\n  - {target: 0003-x.md, kind: amends}\n",
        )
        .unwrap();
        assert_eq!(fm.first(&["superseded-by"]), Some("ADR-0007"));
        assert_eq!(fm.first(&["links"]), Some("amends 0003-x.md"));
    }

    #[test]
    fn braces_left_around_a_value_are_read_as_the_value() {
        let fm = FrontMatter::parse("status: { accepted }\ndate: { 2023-11-21 }\ninformed: {}\n").unwrap();
        assert_eq!(fm.first(&["status"]), Some("accepted"));
        assert_eq!(fm.first(&["date"]), Some("2023-11-21"));
        assert_eq!(fm.get(&["informed"]), None);
    }

    #[test]
    fn malformed_reports_line() {
        let err = FrontMatter::parse("status: [accepted\ndate: x\n").unwrap_err();
        assert!(err.line >= 1, "{err:?}");
    }

    #[test]
    fn alias_bomb_is_refused_or_bounded() {
        let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        assert!(FrontMatter::parse(bomb).is_err());
    }
}

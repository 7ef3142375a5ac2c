//! Decision ids (slugs made unique by folder, then root) and finding a decision by a name a
//! user gives (id, path, number, title).

use super::*;
use crate::names::number_name;

/// Give every record a unique id: its slug, or, where several records share a slug, the slug
/// prefixed with its folder (and root, if needed).
pub fn assign_ids(corpus: &mut Corpus) {
    use rayon::prelude::*;
    // Records by slug, each slug's in record order: runs of one sorted list (a map of 100,000
    // slugs took 60 ms to build).
    let mut order: Vec<usize> = (0..corpus.adrs.len()).collect();
    let adrs = &corpus.adrs;
    let by_slug = |&a: &usize, &b: &usize| adrs[a].slug.cmp(&adrs[b].slug).then(a.cmp(&b));
    if order.len() >= crate::PARALLEL_FROM {
        order.par_sort_unstable_by(by_slug);
    } else {
        order.sort_unstable_by(by_slug);
    }
    let mut ids: Vec<(usize, String)> = Vec::with_capacity(order.len());
    for idxs in order.chunk_by(|&a, &b| adrs[a].slug == adrs[b].slug) {
        let slug = &adrs[idxs[0]].slug;
        if idxs.len() == 1 {
            ids.push((idxs[0], slug.clone()));
            continue;
        }
        let with_folder: Vec<String> = idxs
            .iter()
            .map(|&i| {
                let folder = adrs[i].folder();
                if folder.is_empty() {
                    slug.clone()
                } else {
                    format!("{folder}/{slug}")
                }
            })
            .collect();
        let unique = with_folder.iter().collect::<BTreeSet<_>>().len() == with_folder.len();
        for (k, &i) in idxs.iter().enumerate() {
            ids.push((
                i,
                if unique {
                    with_folder[k].clone()
                } else {
                    let root = corpus.adr_roots.get(i).copied().unwrap_or(0);
                    format!("{}:{}", corpus.roots.get(root).cloned().unwrap_or_default(), with_folder[k])
                },
            ));
        }
    }
    for (i, id) in ids {
        corpus.adrs[i].id = id;
    }
}

impl Corpus {
    /// Find one decision by id, path (relative to the current directory `cwd` or to a root),
    /// number (`12`, `0012`, `ADR-12`, optionally `folder/12`) or slug (or a unique part of one).
    pub fn find(&self, name: &str, cwd: &Path) -> Result<&Adr> {
        let idx = self.find_index(name, cwd)?;
        Ok(&self.adrs[idx])
    }

    /// Like [`Corpus::find`], returning the index into `adrs`.
    pub fn find_index(&self, name: &str, cwd: &Path) -> Result<usize> {
        let name = name.trim();
        let pick = |cands: Vec<usize>| -> Option<Result<usize>> {
            match cands.len() {
                0 => None,
                1 => Some(Ok(cands[0])),
                _ => Some(Err(Error::Ambiguous {
                    name: name.to_string(),
                    candidates: cands
                        .iter()
                        .map(|&i| format!("{} ({})", self.adrs[i].id, self.adrs[i].path))
                        .collect(),
                })),
            }
        };
        // Id.
        if let Some(i) = self.adrs.iter().position(|a| a.id == name) {
            return Ok(i);
        }
        // Path.
        let norm = name.replace('\\', "/");
        let norm = norm.trim_start_matches("./");
        let by_path: Vec<usize> = (0..self.adrs.len())
            .filter(|&i| self.adrs[i].path == norm || self.adrs[i].rel_path == norm)
            .collect();
        if let Some(r) = pick(by_path) {
            return r;
        }
        if let Ok(abs) = std::fs::canonicalize(cwd.join(name)) {
            let by_abs: Vec<usize> = (0..self.adrs.len())
                .filter(|&i| {
                    let root = self.abs_roots.get(self.adr_roots.get(i).copied().unwrap_or(0));
                    root.is_some_and(|r| {
                        let p = r.join(&self.adrs[i].rel_path);
                        p == abs || p.parent() == Some(abs.as_path()) && self.adrs[i].is_folder_record()
                    })
                })
                .collect();
            if let Some(r) = pick(by_abs) {
                return r;
            }
        }
        // Number, optionally with a folder: `12`, `ADR-0012`, `decisions/12`.
        if let Some((folder, n)) = number_name(norm) {
            let cands: Vec<usize> = (0..self.adrs.len())
                .filter(|&i| self.adrs[i].number == Some(n))
                .filter(|&i| folder.is_none_or(|f| self.adrs[i].in_folder(f)))
                .collect();
            if let Some(r) = pick(cands) {
                return r;
            }
        }
        // Slug: exact (case-insensitive), then a unique part.
        let lower = norm.to_lowercase();
        let exact: Vec<usize> =
            (0..self.adrs.len()).filter(|&i| self.adrs[i].slug.to_lowercase() == lower).collect();
        if let Some(r) = pick(exact) {
            return r;
        }
        // `folder/part-of-slug` narrows to records whose folder ends with `folder`.
        let (in_folder, slug_part) = match lower.rsplit_once('/') {
            Some((f, s)) => (Some(f.to_string()), s.to_string()),
            None => (None, lower.clone()),
        };
        let part: Vec<usize> = (0..self.adrs.len())
            .filter(|&i| !slug_part.is_empty() && self.adrs[i].slug.to_lowercase().contains(&slug_part))
            .filter(|&i| {
                in_folder.as_deref().is_none_or(|f| {
                    let folder = self.adrs[i].folder().to_lowercase();
                    folder == f || folder.ends_with(&format!("/{f}"))
                })
            })
            .collect();
        if let Some(r) = pick(part) {
            return r;
        }
        Err(Error::NotFound {
            name: name.to_string(),
            hint: format!(
                "\n  hint: name a decision by id, path, number or slug; `adrgraph list` shows all {}",
                self.adrs.len()
            ),
        })
    }

    /// Diagnostics at error level.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
}

//! Decision ids (slugs made unique by folder, then root) and finding a decision by a name a
//! user gives (id, path, number, title).

use super::*;
use crate::model::DecisionIndex;
use std::path::PathBuf;

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

    /// Like [`Corpus::find`], returning the index into `adrs`. The rules and their order are
    /// those of the one resolver of names (`names::resolve`), which the store's query snapshot
    /// follows too.
    pub fn find_index(&self, name: &str, cwd: &Path) -> Result<DecisionIndex> {
        use crate::names::Resolved;
        match crate::names::resolve(self, name, cwd) {
            Resolved::One(i) => Ok(DecisionIndex::new(i)),
            Resolved::Several(cands) => Err(Error::Ambiguous {
                name: name.trim().to_string(),
                candidates: cands
                    .iter()
                    .map(|&i| format!("{} ({})", self.adrs[i].id, self.adrs[i].path))
                    .collect(),
            }),
            Resolved::None | Resolved::CannotTell => {
                let near = self.near(name.trim());
                let did_you_mean = if near.is_empty() {
                    String::new()
                } else {
                    let named: Vec<String> = near.iter().map(|&i| format!("`{}`", self.adrs[i].id)).collect();
                    format!("\n  did you mean {}?", named.join(", "))
                };
                Err(Error::NotFound {
                    name: name.trim().to_string(),
                    hint: format!(
                        "{did_you_mean}\n  hint: name a decision by id, path, number or slug; `adrgraph list` shows all {}",
                        self.adrs.len()
                    ),
                })
            }
        }
    }

    /// The (at most three) decisions whose id or title is nearest to `name`, most alike first
    /// (ties by id): edit distance over the lengths, at least 0.6 alike.
    pub fn near(&self, name: &str) -> Vec<usize> {
        let asked = name.to_lowercase();
        let n = asked.chars().count();
        if n == 0 {
            return Vec::new();
        }
        // 0.6 alike needs lengths within 40% of the longer one: most records are never compared.
        let alike = |s: &str| {
            let m = s.chars().count();
            if (n.abs_diff(m) as f64) > 0.4 * n.max(m) as f64 {
                return 0.0;
            }
            strsim::normalized_damerau_levenshtein(&asked, s)
        };
        let mut scored: Vec<(f64, usize)> = self
            .adrs
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let by_id = alike(&a.id.to_lowercase());
                let by_title = a.title.as_deref().map_or(0.0, |t| alike(&t.to_lowercase()));
                (by_id.max(by_title), i)
            })
            .filter(|(score, _)| *score >= 0.6)
            .collect();
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| self.adrs[x.1].id.cmp(&self.adrs[y.1].id)));
        scored.into_iter().take(3).map(|(_, i)| i).collect()
    }

    /// Where record `i` is on disk: its root's absolute path joined with its path below it.
    pub fn file_of(&self, i: DecisionIndex) -> PathBuf {
        let root = self.abs_roots.get(self.adr_roots.get(i.get()).copied().unwrap_or(0));
        root.cloned().unwrap_or_default().join(&self.adrs[i].rel_path)
    }

    /// A record's file as it is now, resolved (every symbolic link on the way followed), when it
    /// is still inside the record's root: a folder of the tree swapped for a link that leads out
    /// gives `None`, so nothing outside the tree is read through it.
    pub fn file_within_root(&self, i: DecisionIndex) -> Option<PathBuf> {
        let root = self.abs_roots.get(self.adr_roots.get(i.get()).copied().unwrap_or(0))?;
        let real_root = std::fs::canonicalize(root).ok()?;
        let real = std::fs::canonicalize(self.file_of(i)).ok()?;
        real.starts_with(&real_root).then_some(real)
    }

    /// The handle of every record, in record order.
    pub fn indexes(&self) -> impl DoubleEndedIterator<Item = DecisionIndex> + Clone {
        DecisionIndex::range(self.adrs.len())
    }

    /// The handle of the first record `keep` keeps.
    pub fn index_where(&self, keep: impl Fn(&Adr) -> bool) -> Option<DecisionIndex> {
        self.adrs.iter().position(keep).map(DecisionIndex::new)
    }

    /// Diagnostics at error level.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
}

/// The whole corpus answers every rule of the resolver, by scanning its records.
impl crate::names::NameTable for Corpus {
    fn with_id(&self, id: &str) -> Option<Option<usize>> {
        Some(self.adrs.iter().position(|a| a.id == id))
    }

    fn with_path(&self, path: &str) -> Option<Vec<usize>> {
        Some(self.matching(|a| a.path == path || a.rel_path == path))
    }

    fn at_file(&self, abs: &Path) -> Option<Vec<usize>> {
        let at = |i: usize| {
            let root = self.abs_roots.get(self.adr_roots.get(i).copied().unwrap_or(0));
            root.is_some_and(|r| {
                let p = r.join(&self.adrs[i].rel_path);
                p == abs || p.parent() == Some(abs) && self.adrs[i].is_folder_record()
            })
        };
        Some((0..self.adrs.len()).filter(|&i| at(i)).collect())
    }

    fn numbered(&self, n: u32, folder: Option<&str>) -> Option<Vec<usize>> {
        Some(self.matching(|a| a.number == Some(n) && folder.is_none_or(|f| a.in_folder(f))))
    }

    fn with_slug(&self, slug: &str) -> Option<Vec<usize>> {
        Some(self.matching(|a| a.slug.to_lowercase() == slug))
    }

    fn with_slug_part(&self, part: &str, folder: Option<&str>) -> Option<Vec<usize>> {
        let in_folder = |a: &Adr| {
            folder.is_none_or(|f| {
                let folder = a.folder().to_lowercase();
                folder == f || folder.ends_with(&format!("/{f}"))
            })
        };
        Some(self.matching(|a| a.slug.to_lowercase().contains(part) && in_folder(a)))
    }
}

impl Corpus {
    /// Indexes of the records `keep` keeps, in record order.
    fn matching(&self, keep: impl Fn(&Adr) -> bool) -> Vec<usize> {
        (0..self.adrs.len()).filter(|&i| keep(&self.adrs[i])).collect()
    }
}

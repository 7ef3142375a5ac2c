//! Link resolution: what decision (or file, or nothing) each link names, by path, repository
//! URL, number in its folder, slug or title, with a suggestion for a broken one.

use super::*;
use crate::model::Link;

/// Lexically normalise `target` relative to the folder `base` (`/`-separated, `.` and `..`
/// resolved; leading `..` kept when the base runs out).
pub fn normalise_path(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined = if target.starts_with('/') || base.is_empty() {
        target.to_string()
    } else {
        format!("{base}/{target}")
    };
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let rel = parts.join("/");
    // An absolute path stays absolute: the path the user would type.
    if joined.starts_with('/') {
        format!("/{rel}")
    } else {
        rel
    }
}

pub(super) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

pub(super) struct Resolver<'a> {
    adrs: &'a [Adr],
    by_path: HashMap<Cow<'a, str>, usize>,
    by_slug: HashMap<Cow<'a, str>, Vec<usize>>,
    /// Built on the first look-up by title: most trees never need it.
    by_title: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
    /// Records by the words of their slug after its number (`provide-dlq-where-missing`), built
    /// on the first broken link that needs a suggestion.
    by_slug_words: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
    by_folder_number: HashMap<(&'a str, u32), Vec<usize>>,
    by_number: HashMap<u32, Vec<usize>>,
    by_last: HashMap<Cow<'a, str>, Vec<usize>>,
    other: HashSet<String>,
    roots: Vec<String>,
    repositories: Vec<String>,
}

/// The folder a record's number is scoped to (its folder, or for `x/README.md` records, the
/// folder holding `x`).
pub(super) fn number_scope(a: &Adr) -> &str {
    let d = dir_of(&a.path);
    if a.is_folder_record() {
        dir_of(d)
    } else {
        d
    }
}

/// `s` lowercased, borrowed when it already is.
pub(super) fn lower(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// `p` normalised as [`normalise_path`] does, borrowed when it already is.
pub(super) fn normalised(p: &str) -> Cow<'_, str> {
    let mut seen_name = false;
    let clean = !p.starts_with('/')
        && !p.ends_with('/')
        && p.split('/').all(|c| match c {
            "" | "." => false,
            ".." => !seen_name,
            _ => {
                seen_name = true;
                true
            }
        });
    if clean {
        Cow::Borrowed(p)
    } else {
        Cow::Owned(normalise_path("", p))
    }
}

/// Paths of a record for look-ups: its file, and for folder records also the folder.
pub(super) fn record_paths(a: &Adr) -> impl Iterator<Item = Cow<'_, str>> {
    let p = normalised(&a.path);
    let dir = if a.is_folder_record() {
        Some(match &p {
            Cow::Borrowed(b) => Cow::Borrowed(dir_of(b)),
            Cow::Owned(o) => Cow::Owned(dir_of(o).to_string()),
        })
    } else {
        None
    };
    std::iter::once(p).chain(dir)
}

impl<'a> Resolver<'a> {
    pub(super) fn new(adrs: &'a [Adr], opts: &GraphOptions) -> Resolver<'a> {
        // Paths on one core, names and numbers on the other.
        let paths = || {
            let mut by_path = HashMap::with_capacity_and_hasher(adrs.len(), Default::default());
            let mut by_last: HashMap<Cow<'a, str>, Vec<usize>> =
                HashMap::with_capacity_and_hasher(adrs.len(), Default::default());
            for (i, a) in adrs.iter().enumerate() {
                for p in record_paths(a) {
                    let last = match &p {
                        Cow::Borrowed(b) => lower(b.rsplit('/').next().unwrap_or("")),
                        Cow::Owned(o) => Cow::Owned(o.rsplit('/').next().unwrap_or("").to_lowercase()),
                    };
                    by_last.entry(last).or_default().push(i);
                    by_path.insert(p, i);
                }
            }
            (by_path, by_last)
        };
        let names = || {
            let mut by_slug: HashMap<Cow<'a, str>, Vec<usize>> =
                HashMap::with_capacity_and_hasher(adrs.len(), Default::default());
            let mut by_folder_number: HashMap<(&'a str, u32), Vec<usize>> =
                HashMap::with_capacity_and_hasher(adrs.len(), Default::default());
            let mut by_number: HashMap<u32, Vec<usize>> = HashMap::default();
            for (i, a) in adrs.iter().enumerate() {
                by_slug.entry(lower(&a.slug)).or_default().push(i);
                if let Some(n) = a.number {
                    by_folder_number.entry((number_scope(a), n)).or_default().push(i);
                    by_number.entry(n).or_default().push(i);
                }
            }
            (by_slug, by_folder_number, by_number)
        };
        let ((by_path, by_last), (by_slug, by_folder_number, by_number)) =
            if adrs.len() >= crate::PARALLEL_FROM { rayon::join(paths, names) } else { (paths(), names()) };
        Resolver {
            adrs,
            by_path,
            by_slug,
            by_title: std::sync::OnceLock::new(),
            by_slug_words: std::sync::OnceLock::new(),
            by_folder_number,
            by_number,
            by_last,
            other: opts.other_files.iter().map(|p| normalise_path("", p)).collect(),
            roots: opts.roots.iter().map(|r| normalise_path("", r)).collect(),
            repositories: opts.repositories.clone(),
        }
    }

    pub(super) fn titles(&self) -> &HashMap<String, Vec<usize>> {
        self.by_title.get_or_init(|| {
            let mut m: HashMap<String, Vec<usize>> = HashMap::default();
            for (i, a) in self.adrs.iter().enumerate() {
                if let Some(t) = &a.title {
                    m.entry(fold_key(t)).or_default().push(i);
                }
            }
            m
        })
    }

    /// A record at exactly `path`, or at `path` up to letter case.
    pub(super) fn at_path(&self, path: &str) -> Option<usize> {
        if let Some(&i) = self.by_path.get(path) {
            return Some(i);
        }
        let last = lower(path.rsplit('/').next().unwrap_or(path));
        self.by_last
            .get(last.as_ref())?
            .iter()
            .copied()
            .find(|&i| record_paths(&self.adrs[i]).any(|p| p.eq_ignore_ascii_case(path)))
    }

    pub(super) fn unique(found: Option<&Vec<usize>>) -> Option<Result<usize, Vec<usize>>> {
        match found.map(Vec::as_slice) {
            None | Some([]) => None,
            Some([one]) => Some(Ok(*one)),
            Some(many) => Some(Err(many.to_vec())),
        }
    }

    /// Decisions numbered `n`, nearest first: in the folder of `from`, else under its nearest
    /// ancestor folder that has any (numbers restart per folder, and a repository may hold
    /// several decision logs).
    pub(super) fn by_number_near(&self, from: usize, n: u32) -> Option<Result<usize, Vec<usize>>> {
        let scope = number_scope(&self.adrs[from]);
        if let Some(r) = Self::unique(self.by_folder_number.get(&(scope, n))) {
            return Some(r);
        }
        let all = self.by_number.get(&n)?;
        let mut prefix = scope;
        loop {
            prefix = match prefix.rsplit_once('/') {
                Some((p, _)) => p,
                None if !prefix.is_empty() => "",
                None => return None,
            };
            let under: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| prefix.is_empty() || self.adrs[i].path.starts_with(&format!("{prefix}/")))
                .collect();
            if !under.is_empty() {
                return Self::unique(Some(&under));
            }
            if prefix.is_empty() {
                return None;
            }
        }
    }

    pub(super) fn under_a_root(&self, path: &str) -> bool {
        self.roots.iter().any(|r| r.is_empty() || path == r || path.starts_with(&format!("{r}/")))
    }

    /// Match the trailing components of `path` against records' paths.
    pub(super) fn by_suffix(&self, path: &str) -> Option<Result<usize, Vec<usize>>> {
        let path = path.trim_matches('/');
        let last = path.rsplit('/').next()?.to_lowercase();
        let mut candidates: Vec<String> = vec![last.clone()];
        if !last.contains('.') {
            candidates.push(format!("{last}.md"));
        }
        let comps: Vec<String> = path.split('/').map(str::to_lowercase).collect();
        let mut best: Vec<(usize, usize)> = Vec::new(); // (matched components, adr)
        for c in candidates {
            for &i in self.by_last.get(c.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                for p in record_paths(&self.adrs[i]) {
                    let pc: Vec<String> = p.split('/').map(str::to_lowercase).collect();
                    let pl = pc.last().cloned().unwrap_or_default();
                    if pl != c {
                        continue;
                    }
                    let mut k = 1;
                    while k < comps.len()
                        && k < pc.len()
                        && comps[comps.len() - 1 - k] == pc[pc.len() - 1 - k]
                    {
                        k += 1;
                    }
                    best.push((k, i));
                }
            }
        }
        let top = best.iter().map(|(k, _)| *k).max()?;
        // `README.md` alone says nothing about which record is meant.
        if top < 2 && matches!(last.as_str(), "readme.md" | "index.md" | "readme" | "index") {
            return None;
        }
        let mut winners: Vec<usize> = best.iter().filter(|(k, _)| *k == top).map(|(_, i)| *i).collect();
        winners.sort_unstable();
        winners.dedup();
        Self::unique(Some(&winners))
    }

    /// A non-decision file of the tree whose last two path components match `path`'s.
    pub(super) fn other_by_suffix(&self, path: &str) -> Option<String> {
        let comps: Vec<&str> = path.trim_matches('/').rsplit('/').take(2).collect();
        if comps.len() < 2 {
            return None;
        }
        let tail = format!("/{}/{}", comps[1], comps[0]);
        let mut found: Vec<&String> = self.other.iter().filter(|o| o.ends_with(&tail)).collect();
        found.sort();
        found.first().map(|s| s.to_string())
    }

    /// The links of record `i` (`a`), resolved: all of them, or only its supersessions.
    pub(super) fn links_of<'s>(
        &'s self,
        i: usize,
        a: &'s Adr,
        only_supersession: bool,
    ) -> impl Iterator<Item = ResolvedLink> + 's {
        a.links.iter().enumerate().filter_map(move |(l, link)| {
            let wanted =
                !only_supersession || matches!(link.kind, LinkKind::Supersedes | LinkKind::SupersededBy);
            wanted.then(|| ResolvedLink {
                from: DecisionIndex::new(i),
                link: l,
                resolution: self.resolve(i, l),
            })
        })
    }

    /// The one decision a link to a missing file meant, when the file name's number and the
    /// link's text (or the file name's slug, up to a typo) name exactly one decision of the
    /// folder the link points into: `[0015 GovUK Notify](0015-govuuk-notify.md)` when
    /// `0015-govuk-notify.md` exists.
    pub(super) fn misspelt(&self, norm: &str, text: &str) -> Option<usize> {
        let file = norm.rsplit('/').next()?;
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let n = number_from_name(stem)?;
        let folder = dir_of(norm);
        let [i] = self.by_folder_number.get(&(folder, n))?.as_slice() else { return None };
        let a = &self.adrs[*i];
        let words = |s: &str| -> String {
            fold_key(s)
                .split(' ')
                .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let text_names_it = a.title.as_deref().is_some_and(|t| {
            let (t, k) = (words(t), words(text));
            !t.is_empty() && t == k
        });
        let (want, have) = (words(stem), words(&a.slug));
        let typo = !want.is_empty() && strsim::levenshtein(&want, &have) <= (have.len() / 10).max(2);
        (text_names_it || typo).then_some(*i)
    }

    /// The decision a broken link to `norm` probably meant: one whose file name has the same
    /// slug (`0034-provide-dlq.md` -> `0045-provide-dlq.md`), nearest folder first, else the
    /// decision with the link's number.
    pub(super) fn suggestion_for(&self, from: usize, norm: &str, number: Option<u32>) -> Option<usize> {
        let file = norm.rsplit('/').next().unwrap_or(norm);
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s).to_lowercase();
        let slug_words = |s: &str| -> String {
            let t = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
            let t = t
                .strip_prefix("adr")
                .map_or(t, |r| r.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_'));
            t.to_string()
        };
        let want = slug_words(&stem);
        if want.len() >= 3 {
            let folder = dir_of(norm);
            let by_words = self.by_slug_words.get_or_init(|| {
                let mut m: HashMap<String, Vec<usize>> = HashMap::default();
                for (i, a) in self.adrs.iter().enumerate() {
                    m.entry(slug_words(&a.slug.to_lowercase())).or_default().push(i);
                }
                m
            });
            let mut same: Vec<usize> =
                by_words.get(&want).into_iter().flatten().copied().filter(|&i| i != from).collect();
            same.sort_by_key(|&i| (dir_of(&self.adrs[i].path) != folder, i));
            if let Some(&i) = same.first() {
                return Some(i);
            }
        }
        self.suggestion(from, number)
    }

    pub(super) fn suggestion(&self, from: usize, number: Option<u32>) -> Option<usize> {
        let n = number?;
        match self.by_number_near(from, n) {
            Some(Ok(i)) if i != from => Some(i),
            _ => None,
        }
    }

    /// What link `link_idx` of decision `from` names: external links (other schemes, other
    /// repositories, hosts written without a scheme) first, then URLs into this repository,
    /// paths and ids.
    pub(super) fn resolve(&self, from: usize, link_idx: usize) -> Resolution {
        let a = &self.adrs[from];
        let link = &a.links[link_idx];
        let target = link.target.trim();
        if target.is_empty() || target.starts_with('#') {
            return Resolution::External;
        }
        // `MADR #032` is an id, not a path with an anchor.
        let id_like = !target.contains('/') && !target.contains('.') && target.contains(' ');
        let no_anchor =
            if id_like { target } else { target.split(['#', '?']).next().unwrap_or(target).trim() };
        // `//host/x.md`: a network-path reference, never a file of the tree.
        if no_anchor.starts_with("//") {
            return Resolution::External;
        }
        // URLs: a URL into the tree's own repository resolves by its trailing path; one into any
        // other repository is external.
        // URLs: a URL into the tree's own repository resolves by its trailing path; one into any
        // other repository is external.
        if let Some((scheme, rest)) = no_anchor.split_once("://") {
            return self.resolve_url(from, link, (target, no_anchor), (scheme, rest));
        }
        if no_anchor.contains(':')
            && !no_anchor.contains('/')
            && no_anchor.split(':').next().is_some_and(|s| s == "mailto" || s == "file")
        {
            return Resolution::External;
        }
        // `github.com/org/repo/issues/1`: a URL written without its scheme.
        let first = no_anchor.split('/').next().unwrap_or("");
        if no_anchor.contains('/')
            && first.contains('.')
            && first
                .rsplit('.')
                .next()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase()))
            && first != ".."
        {
            return Resolution::External;
        }
        let looks_like_path = no_anchor.contains('/')
            || no_anchor.rsplit_once('.').is_some_and(|(_, e)| {
                e.len() <= 8 && e.chars().all(char::is_alphanumeric) && !e.chars().all(|c| c.is_ascii_digit())
            });
        if looks_like_path {
            return self.resolve_path(from, link, no_anchor);
        }
        self.resolve_id(from, link, no_anchor)
    }

    /// A `scheme://` link.
    fn resolve_url(
        &self,
        from: usize,
        link: &Link,
        (target, no_anchor): (&str, &str),
        (scheme, rest): (&str, &str),
    ) -> Resolution {
        let typed = link.kind != LinkKind::References;
        if !matches!(scheme, "http" | "https") {
            return Resolution::External;
        }
        // A tree whose repository is unknown (no git remote, a copy) may be the one a repository
        // URL names: its file is looked for by the URL's path, as in a known repository.
        let ours = repository_of_url(no_anchor)
            .is_some_and(|r| self.repositories.is_empty() || self.repositories.contains(&r));
        if !ours {
            return Resolution::External;
        }
        let path = rest.split_once('/').map(|(_, p)| p).unwrap_or("");
        let segs: Vec<&str> = path.split('/').collect();
        let tail = match segs.iter().position(|s| *s == "blob" || *s == "tree") {
            Some(p) if p + 2 <= segs.len() => segs[p + 2..].join("/"),
            _ => path.to_string(),
        };
        if let Some(r) = self.by_suffix(&tail).filter(|_| tail.contains('/') || tail.ends_with(".md")) {
            // Only trust a suffix match on more than the file name when it is a bare host URL.
            return decision_or_ambiguous(r);
        }
        let md = tail.to_lowercase().ends_with(".md");
        if typed && md {
            return Resolution::Broken {
                reason: format!("`{target}` points to no decision of the tree"),
                suggestion: self.suggestion(from, link.number).map(DecisionIndex::new),
            };
        }
        Resolution::External
    }

    /// A relative or repository-absolute path.
    fn resolve_path(&self, from: usize, link: &Link, no_anchor: &str) -> Resolution {
        let a = &self.adrs[from];
        if no_anchor.starts_with('/') {
            // Repository-absolute (`/keps/sig-cli/2386-x/`): match by trailing components.
            if let Some(r) = self.by_suffix(no_anchor) {
                return decision_or_ambiguous(r);
            }
            if let Some(p) = self.other_by_suffix(no_anchor) {
                return Resolution::NotADecision { path: p };
            }
            if let Some(r) = self.by_page_address(from, no_anchor) {
                return decision_or_ambiguous(r);
            }
            return Resolution::Broken {
                reason: format!("no decision at `{no_anchor}`"),
                suggestion: self.suggestion(from, link.number).map(DecisionIndex::new),
            };
        }
        let base = dir_of(&a.path);
        let norm = normalise_path(base, no_anchor);
        for cand in [norm.clone(), format!("{norm}.md")] {
            if let Some(i) = self.at_path(&cand) {
                return Resolution::Decision { adr: DecisionIndex::new(i) };
            }
            if self.other.contains(&cand) {
                return Resolution::NotADecision { path: cand };
            }
        }
        if let Some(r) = self.by_page_address(from, no_anchor) {
            return decision_or_ambiguous(r);
        }
        if let Some(adr) = self.misspelt(&norm, &link.text) {
            return Resolution::Misspelt { adr: DecisionIndex::new(adr), written: no_anchor.to_string() };
        }
        // A link into the record's own folder is in the tree, however the root was written.
        if !self.under_a_root(&norm) && dir_of(&norm) != base {
            return Resolution::OutsideTree { path: norm };
        }
        Resolution::Broken {
            reason: format!("no file `{norm}`"),
            suggestion: self.suggestion_for(from, &norm, link.number).map(DecisionIndex::new),
        }
    }

    /// The record a static site's page address names: `/architecture_decision_records/ADR021-x/`
    /// (site-absolute, trailing slash, no extension), `../ADR033-x` (relative to the page, not
    /// the file), `/adr/ADR-80`, `ADR021-x.html`: by the slug of its last part, else by the
    /// number it names, nearest folder first. Paths ending in another extension (`.md`) are
    /// files, never page addresses.
    fn by_page_address(&self, from: usize, path: &str) -> Option<Result<usize, Vec<usize>>> {
        let last = path.trim_end_matches('/').rsplit('/').next()?;
        let stem = match last.rsplit_once('.') {
            None => last,
            Some((s, e)) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => s,
            Some(_) => return None,
        };
        if stem.is_empty() || stem == ".." || stem == "." {
            return None;
        }
        if let Some(r) = Self::unique(self.by_slug.get(lower(stem).as_ref())) {
            return Some(r);
        }
        // By number only when the address is an id alone (`ADR-80`, `ADR021`): an address with
        // words (`4381-dra-structured-parameters`) names a page this tree does not hold.
        let n = prefixed_number(stem)?;
        self.by_number_near(from, n)
    }

    /// An id: a slug, a title, or a number (`ADR-0012`, `MADR 099`, `61`).
    fn resolve_id(&self, from: usize, link: &Link, no_anchor: &str) -> Resolution {
        let typed = link.kind != LinkKind::References;
        if let Some(r) = Self::unique(self.by_slug.get(lower(no_anchor).as_ref())) {
            return decision_or_ambiguous(r);
        }
        let is_number = !bare_ids(no_anchor).is_empty()
            || no_anchor.chars().all(|c| c.is_ascii_digit())
            || crate::names::number_from_name(no_anchor).is_some()
            || prefixed_number(no_anchor).is_some();
        if is_number {
            // `TEP-0044`, `KEEP-0367`, `CFP-123`: a project's own prefix before the number.
            if let Some(n) = link.number.or_else(|| prefixed_number(no_anchor)) {
                return match self.by_number_near(from, n) {
                    Some(r) => decision_or_ambiguous(r),
                    None => {
                        Resolution::Broken { reason: format!("no decision numbered {n}"), suggestion: None }
                    }
                };
            }
        }
        if let Some(r) = Self::unique(self.titles().get(&fold_key(no_anchor))) {
            return decision_or_ambiguous(r);
        }
        if !typed && !is_number {
            // A plain word in a references list (`kinflate`) that names nothing we know.
            return Resolution::Broken {
                reason: format!("`{no_anchor}` names no decision"),
                suggestion: None,
            };
        }
        Resolution::Broken {
            reason: format!("`{no_anchor}` names no decision"),
            suggestion: self.suggestion(from, link.number).map(DecisionIndex::new),
        }
    }
}

/// The number of an id written as a prefix of letters and a number alone: `TEP-0044`,
/// `ADR021`, `KEEP 367`, `RFC #12`, `ADR-80`. `None` for anything else (`4381-dra-x`, `v2`).
pub(super) fn prefixed_number(s: &str) -> Option<u32> {
    let s = s.trim();
    let letters = s.len() - s.trim_start_matches(|c: char| c.is_ascii_alphabetic()).len();
    if !(2..=6).contains(&letters) {
        return None;
    }
    let rest = s[letters..].trim_start_matches(['-', '_', ' ', '#']);
    if rest.is_empty() || rest.len() > 9 || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

/// The one decision found, or the several it could be.
fn decision_or_ambiguous(r: Result<usize, Vec<usize>>) -> Resolution {
    match r {
        Ok(i) => Resolution::Decision { adr: DecisionIndex::new(i) },
        Err(c) => Resolution::Ambiguous { candidates: c.into_iter().map(DecisionIndex::new).collect() },
    }
}

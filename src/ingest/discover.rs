//! Finding the roots when none is given (`.adr-dir`, `.log4brains.yml`, the usual folders, up to
//! the repository top), distinct roots, and the repositories (git remotes) the roots belong to.

use super::*;

/// The git work tree holding `dir`: the nearest folder at or above it with a `.git` entry.
pub fn repository_top(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// A small settings file (`.adr-dir`, `.log4brains.yml`) through the guarded reader: no
/// symbolic link followed, no FIFO or device, at most 1 MiB.
fn read_small(path: &Path) -> std::io::Result<String> {
    let bytes = super::read_guarded(path, 1 << 20)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The repositories the roots belong to, as `host/owner/name` (see
/// [`crate::names::repository_of_url`]): every remote URL of the git configuration of the work
/// tree above each root. Sorted, without duplicates; empty outside git.
pub fn repositories_of(abs_roots: &[PathBuf]) -> Vec<String> {
    let mut out = BTreeSet::new();
    for top in abs_roots.iter().filter_map(|r| repository_top(r)) {
        let dotgit = top.join(".git");
        // A worktree or submodule has a `.git` file saying `gitdir: PATH`.
        let gitdir = if dotgit.is_file() {
            let Ok(text) = read_capped(&dotgit, 4096) else { continue };
            match text.trim().strip_prefix("gitdir:") {
                Some(p) => top.join(p.trim()),
                None => continue,
            }
        } else {
            dotgit
        };
        let Ok(config) = read_capped(&gitdir.join("config"), 1 << 20) else { continue };
        for line in config.lines() {
            let Some((key, value)) = line.split_once('=') else { continue };
            if key.trim().eq_ignore_ascii_case("url") {
                out.extend(crate::names::repository_of_url(value.trim()));
            }
        }
    }
    out.into_iter().collect()
}

/// The first `cap` bytes of a small text file, lossily decoded.
pub(super) fn read_capped(path: &Path, cap: u64) -> std::io::Result<String> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::fs::File::open(path)?.take(cap).read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Find the roots from a starting folder: in it and each parent up to the repository top, look
/// for `.adr-dir`, `.log4brains.yml`, then the usual folders (outside a repository, only
/// `.adr-dir` and `doc/adr` in the parents, as adr-tools searches them).
pub fn discover(start: &Path) -> Result<Vec<PathBuf>> {
    const USUAL: &[&str] = &[
        "doc/adr",
        "docs/adr",
        "docs/adrs",
        "docs/decisions",
        "docs/architecture/decisions",
        "doc/architecture/decisions",
        "docs/architecture-decisions",
        "docs/architecture/adr",
        "architecture/decisions",
        "doc/decisions",
        "doc/adrs",
        "docs/architecture-decision-records",
        "architecture-decision-records",
        "architecture-decision-record",
        "adr",
        "adrs",
        "decisions",
    ];
    // Inside a git work tree, look up to its top and no further. Outside one, every usual
    // folder here, and above only adr-tools' own marks (`.adr-dir`, `doc/adr`, which `adr`
    // itself looks for in every parent): any other folder above is another project's.
    let top = repository_top(start);
    let mut dir = Some(start.to_path_buf());
    while let Some(d) = dir {
        let above = top.is_none() && d != start;
        let usual: &[&str] = if above { &["doc/adr"] } else { USUAL };
        if let Ok(text) = read_small(&d.join(".adr-dir")) {
            let rel = text.lines().next().unwrap_or("").trim();
            if !rel.is_empty() {
                return Ok(vec![d.join(rel)]);
            }
        }
        for name in [".log4brains.yml", ".log4brains.yaml"].into_iter().filter(|_| !above) {
            if let Ok(text) = read_small(&d.join(name)) {
                let roots = log4brains_roots(&text);
                let roots: Vec<PathBuf> =
                    roots.into_iter().map(|r| d.join(r)).filter(|p| p.is_dir()).collect();
                if !roots.is_empty() {
                    return Ok(roots);
                }
            }
        }
        for usual in usual {
            let p = d.join(usual);
            if p.is_dir() {
                return Ok(vec![p]);
            }
        }
        if top.as_deref() == Some(&d) {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    Err(Error::NoRoot {
        start: start.display().to_string(),
        tried: format!(
            ".adr-dir, .log4brains.yml, {} (here and in each parent up to the repository top; \
             outside a repository, .adr-dir and doc/adr in each parent, as adr-tools looks)",
            USUAL.join(", ")
        ),
    })
}

pub(super) fn log4brains_roots(yaml: &str) -> Vec<String> {
    let Ok(v) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml) else { return Vec::new() };
    let mut out = Vec::new();
    if let Some(project) = v.get("project") {
        if let Some(f) = project.get("adrFolder").and_then(|f| f.as_str()) {
            out.push(f.to_string());
        }
        if let Some(pkgs) = project.get("packages").and_then(|p| p.as_sequence()) {
            for p in pkgs {
                if let Some(f) = p.get("adrFolder").and_then(|f| f.as_str()) {
                    out.push(f.to_string());
                }
            }
        }
    }
    out
}

/// The roots to read, each file once: a root given twice, or inside another root, is dropped
/// (its files are read through the other). Returns the roots kept, in the order given, and a
/// note for each one dropped.
pub fn distinct_roots(roots: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let canon: Vec<PathBuf> =
        roots.iter().map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone())).collect();
    let (mut kept, mut notes) = (Vec::new(), Vec::new());
    for (i, r) in roots.iter().enumerate() {
        let covered = canon.iter().enumerate().find(|&(j, c)| {
            j != i && ((c == &canon[i] && j < i) || (c != &canon[i] && canon[i].starts_with(c)))
        });
        match covered {
            Some((j, _)) => notes.push(format!(
                "root {} is read once, as part of root {}",
                r.display(),
                roots[j].display()
            )),
            None => kept.push(r.clone()),
        }
    }
    (kept, notes)
}

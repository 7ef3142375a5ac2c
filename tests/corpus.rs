//! Corpus tests over `../shared/corpora` (read in place, never copied): no panic, every file
//! accounted for, field coverage at or above the recorded floors, and independent checks that
//! a status or date written in a file is found.

use crate::util::corpora;
use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::stats::Stats;
use regex::Regex;

/// Per corpus: files seen, decisions, and floors for
/// [title, status, date, deciders, options, chosen_option, links, typed_links].
/// Raise a floor when the parser improves; a drop below one is a regression (the two `links`
/// floors that fell, MTES and log4brains, fell because `MADR 3.0.0` / `MADR 2.1.2` are versions,
/// no longer read as links to decision 3 / 2).
const FLOORS: &[(&str, usize, usize, [usize; 8])] = &[
    ("GSA-TTS__FAC", 47, 46, [46, 46, 46, 0, 0, 0, 22, 1]),
    ("HHS__simpler-grants-gov", 90, 86, [86, 79, 84, 80, 69, 20, 45, 1]),
    ("Kotlin__KEEP", 118, 116, [116, 115, 0, 111, 27, 0, 47, 6]),
    ("MTES-MCT__monitorfish", 10, 10, [10, 10, 10, 0, 0, 0, 1, 0]),
    ("MTES-MCT__zero-logement-vacant", 6, 4, [4, 3, 4, 3, 4, 1, 1, 0]),
    ("adr__madr", 21, 19, [19, 1, 0, 0, 19, 19, 5, 0]),
    ("alphagov__forms", 52, 50, [50, 50, 50, 0, 0, 0, 20, 6]),
    ("alphagov__govuk-aws", 38, 38, [38, 38, 38, 0, 0, 0, 5, 5]),
    ("alphagov__govuk-infrastructure", 25, 24, [24, 24, 24, 0, 1, 0, 9, 0]),
    ("arachne-framework__architecture", 17, 17, [17, 17, 0, 0, 0, 0, 10, 1]),
    ("buildpacks__rfcs", 135, 133, [133, 133, 132, 92, 84, 0, 71, 18]),
    ("cardano-scaling__hydra", 34, 34, [34, 34, 34, 11, 0, 0, 16, 3]),
    ("cilium__design-cfps", 42, 37, [37, 30, 35, 36, 3, 0, 7, 0]),
    ("cometbft__cometbft", 96, 93, [93, 87, 72, 4, 1, 0, 55, 1]),
    ("dapr__proposals", 29, 25, [25, 17, 25, 24, 1, 0, 2, 0]),
    ("decentraland__adr", 178, 178, [178, 177, 176, 159, 33, 2, 72, 0]),
    ("eclipse-edc__Connector", 109, 106, [106, 0, 106, 0, 0, 0, 13, 0]),
    ("grpc__proposal", 197, 195, [195, 189, 189, 192, 3, 0, 115, 2]),
    ("inherd__coco", 32, 31, [31, 31, 31, 0, 0, 0, 0, 0]),
    ("jenkinsci__jep", 69, 0, [0, 0, 0, 0, 0, 0, 0, 0]),
    ("kubernetes__enhancements", 319, 158, [158, 158, 158, 158, 87, 0, 130, 13]),
    ("kumahq__kuma", 111, 109, [109, 109, 0, 0, 72, 43, 47, 4]),
    ("microsoft__semantic-kernel", 80, 77, [77, 74, 73, 72, 43, 25, 14, 4]),
    ("ministryofjustice__cloud-platform", 50, 49, [49, 45, 49, 0, 1, 0, 18, 1]),
    ("nats-io__nats-architecture-and-design", 54, 52, [52, 52, 52, 52, 1, 0, 24, 0]),
    ("npryce__adr-tools", 9, 9, [9, 9, 9, 0, 0, 0, 2, 2]),
    ("openedx__open-edx-proposals", 89, 0, [0, 0, 0, 0, 0, 0, 0, 0]),
    ("python__peps", 317, 0, [0, 0, 0, 0, 0, 0, 0, 0]),
    ("scieloorg__kernel", 7, 7, [7, 7, 7, 0, 0, 0, 0, 0]),
    ("tektoncd__community", 147, 146, [146, 146, 146, 146, 85, 0, 124, 3]),
    ("thomvaill__log4brains", 15, 12, [12, 12, 12, 0, 8, 8, 8, 2]),
    ("thomvaill__log4brains-fixtures", 22, 20, [20, 11, 20, 7, 0, 0, 6, 2]),
    ("thunderbird__thunderbird-android", 28, 19, [19, 17, 0, 0, 4, 0, 7, 0]),
    ("zarf-dev__zarf", 27, 26, [26, 26, 26, 0, 0, 0, 9, 2]),
];
const FIELDS: [&str; 8] =
    ["title", "status", "date", "deciders", "options", "chosen_option", "links", "typed_links"];

/// Corpora that write typed supersession/amendment links; each must yield some.
const TYPED: &[&str] = &[
    "npryce__adr-tools",
    "alphagov__govuk-aws",
    "kumahq__kuma",
    "thomvaill__log4brains",
    "ministryofjustice__cloud-platform",
    "alphagov__forms",
];

#[test]
fn every_corpus_ingests_with_coverage_at_or_above_its_floor() {
    let Some(root) = corpora() else { return };
    let mut failures = Vec::new();
    for (name, files, decisions, floors) in FLOORS {
        let corpus = ingest(&IngestOptions::new([root.join(name)])).expect("corpus folder exists");
        let stats = Stats::of(&corpus);
        // Every file is a decision or skipped with a reason.
        assert_eq!(
            corpus.files_seen,
            corpus.adrs.len() + corpus.skipped.len(),
            "{name}: every file accounted for"
        );
        assert_eq!(stats.files_seen, *files, "{name}: files seen");
        assert_eq!(stats.decisions, *decisions, "{name}: decisions");
        for (field, floor) in FIELDS.iter().zip(floors) {
            let have = stats.fields[*field];
            if have < *floor {
                failures.push(format!("{name}: {field} {have} < floor {floor}"));
            }
        }
        if TYPED.contains(name) && stats.fields["typed_links"] == 0 {
            failures.push(format!("{name}: no typed supersession/amendment link found"));
        }
        // Non-markdown records are skipped with a reason, never parsed.
        for s in &corpus.skipped {
            if !s.path.ends_with(".md") {
                assert!(matches!(
                    s.reason,
                    adrgraph::ingest::SkipReason::NotMarkdown | adrgraph::ingest::SkipReason::Metadata
                ));
            }
        }
    }
    assert!(failures.is_empty(), "coverage below floor:\n{}", failures.join("\n"));
}

#[test]
fn titles_are_found_for_99_percent_of_all_decisions() {
    let Some(root) = corpora() else { return };
    let corpus = ingest(&IngestOptions::new([root])).expect("corpora exist");
    let with_title = corpus.adrs.iter().filter(|a| a.title.is_some()).count();
    let pct = 100.0 * with_title as f64 / corpus.adrs.len() as f64;
    assert!(pct >= 99.0, "titles for {with_title} of {} ({pct:.2}%)", corpus.adrs.len());
}

/// An oracle independent of the parser: a `Status:` label line (in the languages of the
/// corpora), the first line after a `## Status` heading, or a `Status` column of a table in the
/// record's header. Lines of prose (more than 12 words) and empty sections do not state a
/// status.
fn states_status(text: &str) -> Option<String> {
    let label = Regex::new(
        r"(?im)^\s*(?:[*-]\s+)?(?:\*\*)?(?:status|statut|stato|estado|状态|狀態|ステータス|상태)(?:\*\*)?\s*[:：](?:\*\*)?\s*(\S.*)$",
    )
    .unwrap();
    if let Some(c) = label.captures(text) {
        return Some(c[1].to_string());
    }
    let heading = Regex::new(r"(?im)^#+\s*(?:status|statut|stato|状态|ステータス|상태)\s*$").unwrap();
    if let Some(m) = heading.find(text) {
        let next = text[m.end()..].lines().map(str::trim).find(|l| !l.is_empty() && *l != ">")?;
        if next.starts_with('#') || next.starts_with("---") || next.split_whitespace().count() > 12 {
            return None;
        }
        return Some(next.to_string());
    }
    // `| Status | Date |` over `|---|---|` and a row of values, before the first section.
    let header = header_lines(text);
    let row = |l: &str| -> Vec<String> {
        l.trim().trim_matches('|').split('|').map(|c| c.trim().to_lowercase()).collect()
    };
    for w in header.windows(3) {
        let (names, rule, values) = (row(w[0]), w[1].trim(), row(w[2]));
        if w[0].trim_start().starts_with('|') && rule.starts_with('|') && rule.contains("---") {
            if let Some(k) = names.iter().position(|n| n == "status") {
                if values.get(k).is_some_and(|v| !v.is_empty()) {
                    return values.get(k).cloned();
                }
            }
        }
    }
    None
}

/// The lines of a record's header: after the front matter, up to the first heading after the
/// title (at most 40 lines).
fn header_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|l| l.trim() == "---") {
        lines.next();
        for l in lines.by_ref() {
            if l.trim() == "---" {
                break;
            }
        }
    }
    let mut headings = 0;
    for l in lines.take(40) {
        if l.starts_with('#') {
            headings += 1;
            if headings > 1 {
                break;
            }
            continue;
        }
        out.push(l);
    }
    out
}

fn states_date(text: &str) -> bool {
    let re = Regex::new(r"(?im)^\W{0,6}(?:date|data|introduced|created|日期|日付|날짜)\W{0,4}[:\s：]\s*\d")
        .unwrap();
    // A date alone on a header line: `2018-06-19`, `June 19, 2018`, `7 April 2020`.
    let alone = Regex::new(
        r"(?i)^\W{0,4}(?:\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4})\W{0,2}$",
    )
    .unwrap();
    re.is_match(text) || header_lines(text).iter().any(|l| alone.is_match(l.trim()))
}

#[test]
fn status_and_date_are_found_wherever_a_file_states_them() {
    let Some(root) = corpora() else { return };
    let allowed = AllowList::read(&root);
    let corpus = ingest(&IngestOptions::new([root])).expect("corpora exist");
    let mut missing = Vec::new();
    let mut checked = (0, 0);
    let code_block = Regex::new(r"(?s)```.*?```").unwrap();
    for a in &corpus.adrs {
        let text = std::fs::read_to_string(&a.path).expect("corpus files are UTF-8");
        // Code blocks are not statements.
        let no_code = code_block.replace_all(&text, "");
        if let Some(stated) = states_status(&no_code) {
            checked.0 += 1;
            if a.status_raw.is_none() && !allowed.allows(&a.path, "status") {
                missing.push(format!("status `{stated}` not found in {}", a.path));
            }
        }
        if states_date(&no_code) {
            checked.1 += 1;
            if a.date.is_none() && !allowed.allows(&a.path, "date") {
                missing.push(format!("date not found in {}", a.path));
            }
        }
    }
    println!("statuses stated: {}, dates stated: {}, misses: {}", checked.0, checked.1, missing.len());
    assert!(checked.0 > 400 && checked.1 > 250, "oracle checked {checked:?}");
    assert!(missing.is_empty(), "{} misses:\n{}", missing.len(), missing.join("\n"));
    allowed.all_used(&["status", "date"]);
}

/// `tests/corpus-allow.txt`: the reviewed exceptions, each a file, what the scan expects there,
/// the quoted line (still in the file) and the reason.
pub(crate) struct AllowList {
    entries: Vec<(String, String, String)>,
    used: std::cell::RefCell<std::collections::BTreeSet<usize>>,
}

impl AllowList {
    pub(crate) fn read(root: &std::path::Path) -> AllowList {
        let path = crate::util::manifest_dir().join("tests/corpus-allow.txt");
        let text = std::fs::read_to_string(&path).expect("tests/corpus-allow.txt");
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split(" | ").collect();
            assert_eq!(parts.len(), 4, "corpus-allow.txt:{}: file | what | quoted line | reason", n + 1);
            let file = std::fs::read_to_string(root.join(parts[0]))
                .unwrap_or_else(|e| panic!("corpus-allow.txt:{}: {}: {e}", n + 1, parts[0]));
            assert!(
                file.contains(parts[2]),
                "corpus-allow.txt:{}: the quoted line is not in {}",
                n + 1,
                parts[0]
            );
            assert!(!parts[3].trim().is_empty(), "corpus-allow.txt:{}: no reason given", n + 1);
            entries.push((parts[0].to_string(), parts[1].to_string(), parts[2].to_string()));
        }
        AllowList { entries, used: Default::default() }
    }

    pub(crate) fn allows(&self, path: &str, what: &str) -> bool {
        let path = path.replace('\\', "/");
        let hit = self.entries.iter().position(|(f, w, _)| w == what && path.ends_with(&format!("/{f}")));
        if let Some(i) = hit {
            self.used.borrow_mut().insert(i);
        }
        hit.is_some()
    }

    /// Fails on an entry of one of `whats` that no file needed.
    pub(crate) fn all_used(&self, whats: &[&str]) {
        let used = self.used.borrow();
        let stale: Vec<&str> = (0..self.entries.len())
            .filter(|i| !used.contains(i) && whats.contains(&self.entries[*i].1.as_str()))
            .map(|i| self.entries[i].2.as_str())
            .collect();
        assert!(stale.is_empty(), "corpus-allow.txt entries no file needs any more: {stale:?}");
    }
}

#[test]
fn known_supersession_links_are_read() {
    let Some(root) = corpora() else { return };
    let corpus = ingest(&IngestOptions::new([root])).expect("corpora exist");
    let has = |path_end: &str, kind: &str, target_end: &str| {
        corpus.adrs.iter().any(|a| {
            a.path.ends_with(path_end)
                && a.links.iter().any(|l| l.kind.as_str() == kind && l.target.ends_with(target_end))
        })
    };
    assert!(has("npryce__adr-tools/0005-help-comments.md", "amended_by", "0009-help-scripts.md"));
    assert!(has("npryce__adr-tools/0009-help-scripts.md", "amends", "0005-help-comments.md"));
    assert!(has(
        "alphagov__govuk-aws/0004-dns-definitions-for-hosts-and-services.md",
        "superseded_by",
        "0015-dns-infrastructure.md"
    ));
    assert!(has("alphagov__govuk-aws/0033-ip-ranges.md", "supersedes", "0003-aws-networking-outline.md"));
    assert!(has(
        "alphagov__forms/ADR013-use-paper-trail-gem-for-auditing-and-record-backups.md",
        "superseded_by",
        "ADR025"
    ));
    assert!(has(
        "alphagov__forms/ADR004-store-form-schemas-in-an-api.md",
        "superseded_by",
        "ADR045-use-forms-api.md"
    ));
    assert!(has(
        "kumahq__kuma/decisions/036-internal-listeners.md",
        "superseded_by",
        "077-naming-system-envoy-resources.md"
    ));
    assert!(has(
        "kumahq__kuma/decisions/099-allow-multiple-meshes-per-k8s-ns.md",
        "supersedes",
        "093-disallow-multiple-meshes-per-k8s-ns.md"
    ));
    assert!(has(
        "ministryofjustice__cloud-platform/021-Multi-cluster.md",
        "superseded_by",
        "036-multi-cluster.md"
    ));
    assert!(has(
        "thomvaill__log4brains/docs/adr/20200926-use-the-adr-number-as-its-unique-id.md",
        "superseded_by",
        "20201016-use-the-adr-slug-as-its-unique-id.md"
    ));
    assert!(has(
        "arachne-framework__architecture/adr-017-simplify-chimera-model.md",
        "supersedes",
        "adr-015-data-abstraction-model.md"
    ));
    let q = corpus
        .adrs
        .iter()
        .find(|a| a.path.ends_with("alphagov__govuk-aws/0033-ip-ranges.md"))
        .and_then(|a| a.links.iter().find(|l| l.kind.as_str() == "supersedes"))
        .and_then(|l| l.qualifier.clone());
    assert_eq!(q.as_deref(), Some("in part"));
}

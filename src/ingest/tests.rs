use super::*;

#[test]
fn ids_are_slugs_made_unique_by_folder_then_root() {
    let record = |root: usize, rel: &str| {
        let mut a = Adr::empty("", format!("r{root}/{rel}"), rel);
        a.slug = parse::slug_for(rel);
        (root, a)
    };
    let records = [
        record(0, "b/0001-same.md"),
        record(0, "0002-alone.md"),
        record(1, "b/0001-same.md"),
        record(0, "a/0001-same.md"),
        record(1, "c/0003-pair.md"),
        record(0, "d/0003-pair.md"),
    ];
    let mut corpus = Corpus {
        roots: vec!["r0".into(), "r1".into()],
        adr_roots: records.iter().map(|(r, _)| *r).collect(),
        adrs: records.into_iter().map(|(_, a)| a).collect(),
        ..Corpus::default()
    };
    assign_ids(&mut corpus);
    let ids: Vec<&str> = corpus.adrs.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["r0:b/0001-same", "0002-alone", "r1:b/0001-same", "r0:a/0001-same", "c/0003-pair", "d/0003-pair"]
    );
}

fn c(rel: &str) -> FileClass {
    classify(rel, &BTreeSet::new())
}

#[test]
fn case_checks_without_allocation_agree_with_lower_casing() {
    let names = [
        "0001-a.md",
        "0001-A.MD",
        "x.Markdown",
        "x.mDx",
        "x.mdx.txt",
        "README",
        "ReadMe.md",
        "notes.mḋ",
        "é.md",
        "x.\u{212A}md",
        "Templates",
        "my-TEMPLATE-dir",
        "ÉTEMPLATE",
        "tempLATÉ",
        "\u{130}ndex",
        "",
    ];
    for n in names {
        let lower = n.to_lowercase();
        let expect = lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx");
        assert_eq!(is_markdown(n), expect, "{n}");
    }
}

#[test]
fn classifies_non_decisions() {
    assert_eq!(c("README.md"), FileClass::Skip(SkipReason::Readme));
    assert_eq!(c("index.md"), FileClass::Skip(SkipReason::Index));
    assert_eq!(c("template.md"), FileClass::Skip(SkipReason::Template));
    assert_eq!(c("adr-template.md"), FileClass::Skip(SkipReason::Template));
    assert_eq!(c("ADRXXX-architecture-decision-record.md"), FileClass::Skip(SkipReason::Template));
    assert_eq!(c("NNNN-kep-template/README.md"), FileClass::Skip(SkipReason::Template));
    assert_eq!(c("0000-template.md"), FileClass::Skip(SkipReason::Template));
    assert_eq!(c("adr-template-bare-minimal.md"), FileClass::Skip(SkipReason::Template));
    assert_eq!(c("templates/0001-x.md"), FileClass::Skip(SkipReason::Template));
    // Decisions about templates are decisions.
    assert_eq!(c("0007-use-minijinja-for-templates.md"), FileClass::Decision);
    assert_eq!(c("0012-template-engine.md"), FileClass::Decision);
    assert_eq!(c("email-templates/0001-x.md"), FileClass::Decision);
    assert_eq!(c("backlog.md"), FileClass::Skip(SkipReason::Backlog));
    assert_eq!(c("pep-0001.rst"), FileClass::Skip(SkipReason::NotMarkdown));
    assert_eq!(c("0001-record.md"), FileClass::Decision);
    assert_eq!(c("docs/adr/20201016-use-slug.md"), FileClass::Decision);
}

#[test]
fn record_folders() {
    let dirs: BTreeSet<String> = ["2022-11-09-api-refactoring".to_string()].into();
    assert_eq!(classify("2022-11-09-api-refactoring/README.md", &dirs), FileClass::Decision);
    assert_eq!(
        classify("2022-11-09-api-refactoring/renaming.md", &dirs),
        FileClass::Skip(SkipReason::Attachment)
    );
    assert_eq!(classify("2022-11-09-api-refactoring/kep.yaml", &dirs), FileClass::Skip(SkipReason::Metadata));
    assert!(is_record_dir("583-coscheduling"));
    assert!(!is_record_dir("decisions"));
}

#[test]
fn a_folder_reports_its_format_for_records_read_as_a_near_dialect() {
    use crate::model::Dialect;
    let record = |root: usize, rel: &str, d: Dialect, numbered_title: bool| {
        let mut a = Adr::empty("", format!("r{root}/{rel}"), rel);
        a.slug = parse::slug_for(rel);
        a.dialect = d;
        a.title_number = numbered_title.then_some(1);
        (root, a)
    };
    let records = [
        // A folder of MADR 2 records: log4brains-like, generic and bare-Nygard ones join it.
        record(0, "p/20230406-a.md", Dialect::Madr2, false),
        record(0, "p/20230407-b.md", Dialect::Madr2, false),
        record(0, "p/20230408-c.md", Dialect::Madr2, false),
        record(0, "p/20230408-c2.md", Dialect::Madr2, false),
        record(0, "p/20230408-c3.md", Dialect::Madr2, false),
        record(0, "p/20230408-c4.md", Dialect::Madr2, false),
        record(0, "p/20230409-d.md", Dialect::Log4brains, false),
        record(0, "p/20230410-e.md", Dialect::Nygard, false),
        record(0, "p/20230411-f.md", Dialect::Generic, false),
        // ... but not a record with Nygard's `# N. Title`, nor front matter.
        record(0, "p/0007-g.md", Dialect::Nygard, true),
        record(0, "p/0008-h.md", Dialect::MadrFrontMatter, false),
        // The same folder name under another root is another folder: no majority there.
        record(1, "p/0001-x.md", Dialect::Nygard, true),
        record(1, "p/0002-y.md", Dialect::Generic, false),
    ];
    let mut corpus = Corpus {
        roots: vec!["r0".into(), "r1".into()],
        adr_roots: records.iter().map(|(r, _)| *r).collect(),
        adrs: records.into_iter().map(|(_, a)| a).collect(),
        ..Corpus::default()
    };
    folder_dialects(&mut corpus);
    let got: Vec<Dialect> = corpus.adrs.iter().map(|a| a.dialect).collect();
    use Dialect::*;
    assert_eq!(
        got,
        [
            Madr2,
            Madr2,
            Madr2,
            Madr2,
            Madr2,
            Madr2,
            Madr2,
            Madr2,
            Madr2,
            Nygard,
            MadrFrontMatter,
            Nygard,
            Generic
        ]
    );
}

#[test]
fn an_unknown_name_suggests_the_nearest_ids_and_titles() {
    let record = |rel: &str, title: &str| {
        let mut a = Adr::empty("", format!("r/{rel}"), rel);
        a.slug = parse::slug_for(rel);
        a.id = a.slug.clone();
        a.title = Some(title.to_string());
        a
    };
    let corpus = Corpus {
        roots: vec!["r".into()],
        adr_roots: vec![0, 0, 0],
        adrs: vec![
            record("ADR-004-postgresql-schema-per-module.md", "PostgreSQL schema per module"),
            record("ADR-001-use-nats-for-event-bus.md", "Use NATS for Event Bus"),
            record("0003-data-retention.md", "Data retention"),
        ],
        ..Corpus::default()
    };
    let near = |name: &str| -> Vec<&str> {
        corpus.near(name).into_iter().map(|i| corpus.adrs[i].id.as_str()).collect()
    };
    assert_eq!(near("ADR-004-postgres-schema-per-module"), ["ADR-004-postgresql-schema-per-module"]);
    assert_eq!(near("use nats for event bu"), ["ADR-001-use-nats-for-event-bus"]);
    assert!(near("zzzz").is_empty());
    let err = corpus.find_index("ADR-004-postgres-schema-per-module", std::path::Path::new("/")).unwrap_err();
    assert!(err.to_string().contains("did you mean `ADR-004-postgresql-schema-per-module`?"), "{err}");
}

fn about(name: &str, text: &str) -> bool {
    about_the_log(&crate::parse::parse_adr(text, name, name).adr)
}

#[test]
fn pages_about_the_log_are_judged_by_what_they_say() {
    // An overview that describes the log, whatever its name.
    let overview = "# Architecture decision records\n\nHere is where we keep our architecture decision \
                    records.\n\n* [1. Use Kafka](0001-use-kafka.md)\n";
    assert!(about("000-index.md", overview));
    assert!(about("0000-overview.md", overview));
    assert!(about("intro.md", "Welcome\n\nThis folder holds the ADRs of the payments team.\n"));
    // A process page.
    assert!(about(
        "process.md",
        "# Process for new ADRs\n\n1. Copy the template.\n2. Open a pull request.\n"
    ));
    assert!(about("howto.md", "# How to write an ADR\n\nCopy `template.md` and fill it in.\n"));
    // A list of the records, in bullets or in a table.
    let list = "# Decisions\n\n- [Use Kafka](0001-use-kafka.md)\n- [Use Rust](0002-use-rust.md)\n\
                - [Drop Kafka](0003-drop-kafka.md)\n";
    assert!(about("decisions.md", list));
    let table = "# Log\n\n| ADR | Title | Status |\n|---|---|---|\n| [1](0001-a.md) | A | Accepted |\n\
                 | [2](0002-b.md) | B | Superseded |\n| [3](0003-c.md) | C | Proposed |\n";
    assert!(about("log.md", table));

    // Decisions stay decisions: a status, a date, a decision or options say so.
    assert!(!about(
        "0001-record.md",
        "# 1. Record architecture decisions\n\n## Status\n\nAccepted\n\n## Decision\n\nWe will use ADRs.\n"
    ));
    assert!(!about("0000-use-madr.md", "# Use Markdown Architectural Decision Records\n\n## Considered Options\n\n* MADR\n* Nygard\n\n## Decision Outcome\n\nChosen option: \"MADR\"\n"));
    let dated = "# Links\n\n- Date: 2020-10-28\n\n## Tests\n\n- [a](20200101-a.md)\n- [b](20200102-b.md)\n- [c](20200103-c.md)\n";
    assert!(!about("20201028-links.md", dated));
    // A design without a status line that cites three records among much prose.
    let design = format!(
        "# Sealed interfaces\n\n{}\n\nSee [1](0001-a.md), [2](0002-b.md) and [3](0003-c.md).\n",
        "Sealed classes restrict the hierarchy.\n\nThey are useful.\n\nMore prose.\n\nAnd more.\n\nEnd."
    );
    assert!(!about("KEEP-0226-sealed.md", &design));
    // Mentions of ADRs in a decision's first paragraph without an overview's words.
    assert!(!about(
        "0007-numbering.md",
        "# Number ADRs by date\n\nOur ADRs clash on numbers when two branches add one.\n"
    ));
}

/// The walk reads each file's metadata relative to its open folder: the same size and stamps
/// as reading it by its path, for files, links (not followed, and followed) and nested folders.
#[cfg(unix)]
#[test]
fn the_walk_reads_the_same_stamps_as_the_file_s_own_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    std::fs::write(root.join("0001-one.md"), "# One\n").unwrap();
    std::fs::write(root.join("a/b/0002-two.md"), "# Two, longer\n").unwrap();
    std::os::unix::fs::symlink(root.join("a/b/0002-two.md"), root.join("a/0003-link.md")).unwrap();
    for follow in [false, true] {
        let mut opts = IngestOptions::new(vec![root.to_path_buf()]);
        opts.follow_links = follow;
        let walked = walk_tree(&opts).unwrap();
        assert_eq!(walked.found.len(), 3, "follow_links {follow}");
        for (f, hash) in walked.found.iter().zip(&walked.hashes) {
            let m =
                if follow { std::fs::metadata(&f.abs) } else { std::fs::symlink_metadata(&f.abs) }.unwrap();
            let want = (m.len(), change_time(&m), m.modified().ok().map(nanos).unwrap_or(0));
            assert_eq!((f.size, f.mtime, f.modified), want, "{} (follow_links {follow})", f.rel);
            assert_eq!(*hash, file_hash(f.root, &f.rel, f.regular, f.size, f.mtime));
        }
    }
}

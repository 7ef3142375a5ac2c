use super::*;
use crate::model::{Link, LinkSource};

pub(crate) fn adr(path: &str, number: Option<u32>, links: &[(LinkKind, &str)]) -> Adr {
    let rel = path.rsplit('/').next().unwrap();
    let mut a = Adr::empty(rel.trim_end_matches(".md"), path, rel);
    a.slug = rel.trim_end_matches(".md").to_string();
    a.number = number;
    a.status = Status::Accepted;
    a.links = links
        .iter()
        .enumerate()
        .map(|(i, (kind, target))| Link {
            kind: kind.clone(),
            label: None,
            qualifier: None,
            text: target.to_string(),
            target: target.to_string(),
            number: crate::names::number_in_reference(target, target),
            source: LinkSource::Prose,
            line: i as u32 + 1,
        })
        .collect();
    a
}

fn opts() -> GraphOptions {
    GraphOptions {
        roots: vec!["adr".into()],
        other_files: vec!["adr/README.md".into()],
        repositories: vec!["github.com/o/r".into()],
    }
}

#[test]
fn one_sided_and_two_sided_supersession_give_one_edge() {
    let adrs = vec![
        adr("adr/0001-a.md", Some(1), &[(LinkKind::SupersededBy, "0002-b.md")]),
        adr("adr/0002-b.md", Some(2), &[(LinkKind::Supersedes, "0001-a.md")]),
        adr("adr/0003-c.md", Some(3), &[(LinkKind::Supersedes, "0002-b.md")]),
    ];
    let g = DecisionGraph::build(&adrs, &opts());
    let sup: Vec<(usize, usize, bool)> = g
        .graph
        .edge_references()
        .filter(|e| e.weight().kind == EdgeKind::Supersedes)
        .map(|e| {
            (g.adr_of(e.source()).unwrap().get(), g.adr_of(e.target()).unwrap().get(), e.weight().both_sides)
        })
        .collect();
    assert_eq!(sup, vec![(1, 0, true), (2, 1, false)]);
}

#[test]
fn resolution_of_paths_ids_urls_and_broken() {
    let adrs = vec![
        adr(
            "adr/0001-a.md",
            Some(1),
            &[
                (LinkKind::References, "./0002-b.md#why"),
                (LinkKind::References, "ADR-0002"),
                (LinkKind::References, "https://github.com/o/r/blob/main/adr/sub/0003-c.md"),
                (LinkKind::SupersededBy, "0009-missing.md"),
                (LinkKind::References, "README.md"),
                (LinkKind::References, "../../etc/passwd.md"),
                (LinkKind::References, "https://example.com/x"),
                (LinkKind::References, "0002-b"),
                (LinkKind::References, "Title of B"),
            ],
        ),
        {
            let mut b = adr("adr/0002-b.md", Some(2), &[]);
            b.title = Some("Title of B".into());
            b
        },
        adr("adr/sub/0003-c.md", Some(3), &[(LinkKind::References, "../0001-a.md")]),
    ];
    let g = DecisionGraph::build(&adrs, &opts());
    let res: Vec<&Resolution> = g.links.iter().filter(|l| l.from.get() == 0).map(|l| &l.resolution).collect();
    assert_eq!(res[0], &Resolution::Decision { adr: DecisionIndex::new(1) });
    assert_eq!(res[1], &Resolution::Decision { adr: DecisionIndex::new(1) });
    assert_eq!(res[2], &Resolution::Decision { adr: DecisionIndex::new(2) });
    assert!(matches!(res[3], Resolution::Broken { suggestion: None, .. }), "{:?}", res[3]);
    assert_eq!(res[4], &Resolution::NotADecision { path: "adr/README.md".into() });
    assert!(matches!(res[5], Resolution::OutsideTree { .. }), "{:?}", res[5]);
    assert_eq!(res[6], &Resolution::External);
    assert_eq!(res[7], &Resolution::Decision { adr: DecisionIndex::new(1) });
    assert_eq!(res[8], &Resolution::Decision { adr: DecisionIndex::new(1) });
    assert_eq!(
        g.links.iter().find(|l| l.from.get() == 2).unwrap().resolution,
        Resolution::Decision { adr: DecisionIndex::new(0) }
    );
}

#[test]
fn numbers_resolve_in_their_own_folder_first() {
    let adrs = vec![
        adr("adr/a/0001-x.md", Some(1), &[(LinkKind::References, "ADR-2")]),
        adr("adr/a/0002-y.md", Some(2), &[]),
        adr("adr/b/0002-z.md", Some(2), &[]),
        adr("adr/b/0003-w.md", Some(3), &[(LinkKind::References, "ADR 2")]),
    ];
    let g = DecisionGraph::build(&adrs, &opts());
    assert_eq!(g.links[0].resolution, Resolution::Decision { adr: DecisionIndex::new(1) });
    assert_eq!(g.links[1].resolution, Resolution::Decision { adr: DecisionIndex::new(2) });
}

#[test]
fn wrong_file_name_is_broken_with_a_suggestion() {
    let adrs = vec![
        adr("adr/ADR004-a.md", Some(4), &[(LinkKind::SupersededBy, "ADR045-use-forms-api.md")]),
        adr("adr/ADR045-remove-forms-api.md", Some(45), &[]),
    ];
    let g = DecisionGraph::build(&adrs, &opts());
    assert!(
        matches!(g.links[0].resolution, Resolution::Broken { suggestion: Some(s), .. } if s.get() == 1),
        "{:?}",
        g.links[0]
    );
    assert_eq!(g.graph.edge_count(), 0);
}

#[test]
fn duplicate_numbers_are_ambiguous() {
    let adrs = vec![
        adr("adr/ADR013-a.md", Some(13), &[(LinkKind::SupersededBy, "ADR025")]),
        adr("adr/ADR025-b.md", Some(25), &[]),
        adr("adr/ADR025-c.md", Some(25), &[]),
    ];
    let g = DecisionGraph::build(&adrs, &opts());
    assert_eq!(
        g.links[0].resolution,
        Resolution::Ambiguous { candidates: vec![DecisionIndex::new(1), DecisionIndex::new(2)] }
    );
}

#[test]
fn options_merge_across_spellings() {
    let mut a = adr("adr/0001-a.md", Some(1), &[]);
    a.options = vec![crate::model::ConsideredOption {
        title: "PostgreSQL".into(),
        chosen: true,
        ..Default::default()
    }];
    let mut b = adr("adr/0002-b.md", Some(2), &[]);
    b.options = vec![
        crate::model::ConsideredOption { title: "Use Postgres".into(), ..Default::default() },
        crate::model::ConsideredOption { title: "Apache Kafka".into(), ..Default::default() },
    ];
    let g = DecisionGraph::build(&[a, b], &opts());
    let pg = g.find_options("postgres");
    assert_eq!(pg.len(), 1);
    let users: Vec<DecisionIndex> = g
        .graph
        .edges_directed(pg[0], Direction::Incoming)
        .filter(|e| e.weight().kind == EdgeKind::Considers)
        .filter_map(|e| g.adr_of(e.source()))
        .collect();
    assert_eq!(users.len(), 2);
    assert_eq!(g.find_options("kafka").len(), 1);
    assert_eq!(option_key("Use PostgreSQL"), option_key("postgres"));
}

#[test]
fn normalise_paths() {
    assert_eq!(normalise_path("a/b", "../c.md"), "a/c.md");
    assert_eq!(normalise_path("../x/a", "../../y.md"), "../y.md");
    assert_eq!(normalise_path("a", "./b/./c.md"), "a/b/c.md");
    assert_eq!(normalise_path("a", "../../../etc/passwd"), "../../etc/passwd");
    // Absolute stays absolute, as the user would type it.
    assert_eq!(normalise_path("/tmp/t/adr", "0001-x.md"), "/tmp/t/adr/0001-x.md");
    assert_eq!(normalise_path("/tmp/t/adr", "../b.md"), "/tmp/t/b.md");
}

#[test]
fn site_addresses_and_project_ids_resolve_to_their_records() {
    let site = |path: &str, n: u32, links: &[(LinkKind, &str)]| adr(path, Some(n), links);
    let adrs = vec![
        site(
            "adr/records/ADR034-x.html.md",
            34,
            &[
                (LinkKind::References, "/architecture_decision_records/ADR021-cell-capacity-assignment-2/"),
                (LinkKind::References, "../ADR033-redirect-http-for-applications"),
                (LinkKind::References, "/adr/ADR-33"),
                (LinkKind::References, "TEP-0021"),
                (LinkKind::References, "/keps/sig-node/4381-dra-structured-parameters"),
                (LinkKind::References, "@jkutner"),
            ],
        ),
        {
            let mut a = site("adr/records/ADR021-cell-capacity-assignment-2.html.md", 21, &[]);
            a.slug = "ADR021-cell-capacity-assignment-2".into();
            a
        },
        {
            let mut a = site("adr/records/ADR033-redirect-http-for-applications.html.md", 33, &[]);
            a.slug = "ADR033-redirect-http-for-applications".into();
            a
        },
    ];
    let g = DecisionGraph::build(&adrs, &opts());
    let res: Vec<&Resolution> = g.links.iter().filter(|l| l.from.get() == 0).map(|l| &l.resolution).collect();
    assert_eq!(res[0], &Resolution::Decision { adr: DecisionIndex::new(1) });
    assert_eq!(res[1], &Resolution::Decision { adr: DecisionIndex::new(2) });
    assert_eq!(res[2], &Resolution::Decision { adr: DecisionIndex::new(2) });
    assert_eq!(res[3], &Resolution::Decision { adr: DecisionIndex::new(1) });
    // An address with words names a page the tree does not hold, whatever its number.
    assert!(matches!(res[4], Resolution::Broken { .. }), "{:?}", res[4]);
    assert!(!matches!(res[5], Resolution::Decision { .. }), "{:?}", res[5]);
    assert_eq!(resolve::prefixed_number("KEEP 367"), Some(367));
    assert_eq!(resolve::prefixed_number("4381-dra-x"), None);
    assert_eq!(resolve::prefixed_number("v2"), None);
}

/// One record's link diagnostics, resolved alone, are what the whole graph says of its file:
/// on the bundled tree and on a tree with broken, misspelt and ambiguous links.
#[test]
fn one_records_link_diagnostics_are_the_whole_graphs_for_its_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let corpus = crate::ingest::ingest(&crate::ingest::IngestOptions::new([root])).unwrap();
    let broken = vec![
        adr(
            "adr/0001-a.md",
            Some(1),
            &[(LinkKind::Supersedes, "0002-b.md"), (LinkKind::References, "0009-gone.md")],
        ),
        adr("adr/0002-b.md", Some(2), &[(LinkKind::References, "0001-aa.md"), (LinkKind::Amends, "ADR-3")]),
        adr("adr/x/0003-c.md", Some(3), &[]),
        adr("adr/y/0003-d.md", Some(3), &[(LinkKind::References, "0003")]),
    ];
    let trees = [(corpus.adrs.clone(), GraphOptions::of(&corpus)), (broken, opts())];
    let mut seen = 0;
    for (adrs, opts) in &trees {
        let whole = DecisionGraph::build(adrs, opts).diagnostics(adrs);
        for (i, a) in adrs.iter().enumerate() {
            let alone = DecisionGraph::link_diagnostics_of(adrs, opts, DecisionIndex::new(i));
            let expected: Vec<Diagnostic> = whole.iter().filter(|d| d.path == a.path).cloned().collect();
            assert_eq!(alone, expected, "{}", a.path);
            seen += alone.len();
        }
    }
    assert!(seen >= 2, "the trees have broken links to compare: {seen}");
}

//! Truth on trees nobody here wrote: each class of misreading seen in real decision logs, on a
//! small tree written for it (our own words, shaped like the lines that were misread), with the
//! answer a person reading the files would give.

use adrgraph::graph::Resolution;
use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::lint::{lint, Finding, LintConfig};
use adrgraph::{LinkKind, Status};
use std::path::Path;

/// Write `files` (name, text) into a fresh folder `adr` of a temporary directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let adr = dir.path().join("adr");
    std::fs::create_dir_all(&adr).expect("mkdir");
    for (name, text) in files {
        let p = adr.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

fn corpus(dir: &Path) -> adrgraph::Corpus {
    ingest(&IngestOptions::new([dir.join("adr")])).expect("ingest")
}

fn adr<'c>(c: &'c adrgraph::Corpus, slug: &str) -> &'c adrgraph::Adr {
    c.adrs.iter().find(|a| a.slug == slug).unwrap_or_else(|| panic!("{slug} read as a decision"))
}

/// (kind, label, qualifier, target) of each link of a record.
fn links(a: &adrgraph::Adr) -> Vec<(LinkKind, Option<String>, Option<String>, String)> {
    a.links.iter().map(|l| (l.kind.clone(), l.label.clone(), l.qualifier.clone(), l.target.clone())).collect()
}

fn findings(c: &adrgraph::Corpus) -> Vec<Finding> {
    let g = adrgraph::graph_of(c);
    let cfg =
        LintConfig { today: adrgraph::Date::from_ymd_opt(2026, 1, 1).expect("date"), ..Default::default() };
    lint(c, &g, &cfg)
}

fn codes(f: &[Finding], path_end: &str) -> Vec<String> {
    f.iter().filter(|f| f.path.ends_with(path_end)).map(|f| f.code.clone()).collect()
}

const NEW: &str =
    "# 19. Use shell and Go\n\nDate: 2021-01-03\n\n## Status\n\nAccepted\n\n## Decision\n\nShell and Go.\n";

#[test]
fn decorated_and_dated_supersession_status_lines_name_the_successor() {
    let t = tree(&[
        ("0001-use-make.md", "# 1. Use make\n\nDate: 2020-01-01\n\n## Status\n\n🕰️ Superseded [0019](0019-use-shell-and-go.md)\n"),
        (
            "0002-tags.md",
            "# 2. Tags\n\nDate: 2019-01-01\n\n## Status\n\nSuperseded: 2019-12-19 by [ADR 19](0019-use-shell-and-go.md)\n",
        ),
        ("0003-replaced.md", "# 3. Replaced\n\nDate: 2019-01-01\n\n## Status\n\nReplaced (2022) by ADR-0019\n"),
        ("0019-use-shell-and-go.md", NEW),
    ]);
    let c = corpus(t.path());
    for slug in ["0001-use-make", "0002-tags", "0003-replaced"] {
        let a = adr(&c, slug);
        assert_eq!(a.status, Status::Superseded, "{slug}");
        assert!(
            a.links.iter().any(|l| l.kind == LinkKind::SupersededBy && l.number == Some(19)),
            "{slug}: {:?}",
            links(a)
        );
    }
    let g = adrgraph::graph_of(&c);
    let ch = adrgraph::query::chain(&g, &c.adrs, c.index_where(|a| a.slug == "0001-use-make").unwrap());
    assert_eq!(ch.in_force, vec!["0019-use-shell-and-go".to_string()]);
    assert_eq!(adr(&c, "0002-tags").date.map(|d| d.to_string()).as_deref(), Some("2019-01-01"));
    let f = findings(&c);
    assert!(!f.iter().any(|f| f.code == "supersession-one-sided"), "{f:#?}");
}

#[test]
fn a_bold_supersedes_label_in_part_keeps_the_part() {
    let t = tree(&[
        ("0053-detection.md", "# 53. Detection\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n"),
        (
            "0060-boot.md",
            "# 60. Boot\n\nDate: 2021-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n**Supersedes**: ADR 0053 §7 \"Detection and Bootstrap\"\n",
        ),
    ]);
    let c = corpus(t.path());
    let l = links(adr(&c, "0060-boot"));
    assert_eq!(
        l,
        vec![(LinkKind::Supersedes, None, Some("§7 \"Detection and Bootstrap\"".into()), "ADR 0053".into())]
    );
    // A supersession in part does not make the old decision's status wrong.
    assert!(!codes(&findings(&c), "0053-detection.md").contains(&"supersession-one-sided".to_string()));
}

#[test]
fn typed_bullets_are_typed_by_any_verb_with_any_target_and_a_reason() {
    let more = "# 14. Tags\n\nDate: 2021-01-01\n\n## Status\n\nAccepted\n\n## More Information\n\n\
        - Amends [ADR 2](0002-old.md): the list of tags\n\
        - Extends [ADR 19](0019-use-shell-and-go.md)\n\
        - Depends on ADR-0019: it needs the languages\n\
        - Refines ADR-2\n\
        - Clarifies [the old one](0002-old.md): wording\n\
        - Supersedes ADR-0003: all of it, see [ADR 19](0019-use-shell-and-go.md)\n";
    let t = tree(&[
        ("0002-old.md", "# 2. Old\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n"),
        ("0003-older.md", "# 3. Older\n\nDate: 2019-01-01\n\n## Status\n\nSuperseded by ADR-14\n"),
        ("0014-tags.md", more),
        ("0019-use-shell-and-go.md", NEW),
    ]);
    let c = corpus(t.path());
    let l = links(adr(&c, "0014-tags"));
    let has = |k: LinkKind, label: Option<&str>, target: &str| {
        l.iter().any(|(lk, ll, _, lt)| *lk == k && ll.as_deref() == label && lt == target)
    };
    assert!(has(LinkKind::Amends, None, "0002-old.md"), "{l:#?}");
    assert!(has(LinkKind::Custom, Some("Extends"), "0019-use-shell-and-go.md"), "{l:#?}");
    assert!(has(LinkKind::Custom, Some("Depends on"), "ADR-0019"), "{l:#?}");
    assert!(has(LinkKind::Custom, Some("Refines"), "ADR-2"), "{l:#?}");
    assert!(has(LinkKind::Custom, Some("Clarifies"), "0002-old.md"), "{l:#?}");
    assert!(has(LinkKind::Supersedes, None, "ADR-0003"), "{l:#?}");
    // What follows the colon is a reason: its link is not superseded.
    assert!(!has(LinkKind::Supersedes, None, "0019-use-shell-and-go.md"), "{l:#?}");
}

#[test]
fn config_link_phrases_type_bullets_too() {
    let t = tree(&[
        ("0001-a.md", "# 1. A\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n"),
        ("0002-b.md", "# 2. B\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n\n## Links\n\n- Obsoletes [A](0001-a.md): old\n"),
    ]);
    let mut o = IngestOptions::new([t.path().join("adr")]);
    o.vocabulary.link_phrases.push(("obsoletes".into(), LinkKind::Supersedes));
    let c = ingest(&o).expect("ingest");
    assert_eq!(links(adr(&c, "0002-b")), vec![(LinkKind::Supersedes, None, None, "0001-a.md".into())]);
}

#[test]
fn versions_are_not_decision_references() {
    let t = tree(&[
        ("0002-two.md", "# 2. Two\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n"),
        (
            "0005-format.md",
            "# 5. Format\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n\n## Decision Outcome\n\n\
             Chosen option: \"MADR 2.1.2\", because it is stable. We keep ADR 3.x files and MADR 4.0 too.\n",
        ),
    ]);
    let c = corpus(t.path());
    assert_eq!(links(adr(&c, "0005-format")), vec![]);
    let f = findings(&c);
    assert!(!f.iter().any(|f| f.code.ends_with("-link") || f.code == "rests-on-superseded"), "{f:#?}");
}

#[test]
fn a_misspelt_link_resolves_to_the_one_decision_it_means_with_a_warning() {
    let t = tree(&[
        (
            "0015-notify-staging-configuration.md",
            "# 15. Notify staging configuration\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n",
        ),
        (
            "0034-optimise-outbox-reads.md",
            "# 34. Optimise outbox reads\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n",
        ),
        (
            "0045-provide-dlq-where-missing.md",
            "# 45. Provide DLQ where missing\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n",
        ),
        (
            "0050-links.md",
            "# 50. Links\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n\n## Links\n\n\
             - [0015 Notify Staging Configuration](0015-notifyy-staging-configuration.md)\n\
             - [dlq](0034-provide-dlq-where-missing.md)\n\
             - [gone](0099-nothing-like-it.md)\n",
        ),
    ]);
    let c = corpus(t.path());
    let g = adrgraph::graph_of(&c);
    let from = c.index_where(|a| a.slug == "0050-links").unwrap();
    let res: Vec<&Resolution> = g.links().iter().filter(|l| l.from == from).map(|l| &l.resolution).collect();
    let meant = c.index_where(|a| a.slug == "0015-notify-staging-configuration").unwrap();
    assert!(matches!(res[0], Resolution::Misspelt { adr, .. } if *adr == meant), "{res:?}");
    let dlq = c.index_where(|a| a.slug == "0045-provide-dlq-where-missing").unwrap();
    assert!(matches!(res[1], Resolution::Broken { suggestion: Some(s), .. } if *s == dlq), "{res:?}");
    assert!(matches!(res[2], Resolution::Broken { suggestion: None, .. }), "{res:?}");
    let f = findings(&c);
    let mine: Vec<&Finding> = f.iter().filter(|f| f.path.ends_with("0050-links.md")).collect();
    let misspelt = mine.iter().find(|f| f.code == "misspelt-link").expect("misspelt-link finding");
    assert!(misspelt.message.contains("0015-notifyy-staging-configuration.md"), "{}", misspelt.message);
    assert_eq!(mine.iter().filter(|f| f.code == "broken-link").count(), 2, "{mine:#?}");
    assert!(!mine.iter().any(|f| f.code == "link-outside-tree"), "{mine:#?}");
    // The edge is there: impact of the decision meant reaches the linking one.
    let w = adrgraph::query::impact(&g, &c.adrs, meant, None);
    assert!(w.reached.iter().any(|r| r.id == "0050-links"));
}

#[test]
fn network_paths_and_other_repositories_never_resolve_locally() {
    let t = tree(&[
        ("0002-tags.md", "# 2. Tags\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n"),
        (
            "0003-links.md",
            "# 3. Links\n\nDate: 2019-01-01\n\n## Status\n\nAccepted\n\n## Links\n\n\
             - [x](//host/adr/0002-tags.md)\n\
             - Amends [theirs](https://github.com/other/repo/blob/main/adr/0002-tags.md)\n\
             - [ours](https://github.com/us/repo/blob/main/adr/0002-tags.md)\n",
        ),
    ]);
    std::fs::create_dir(t.path().join(".git")).unwrap();
    std::fs::write(t.path().join(".git/config"), "[remote \"origin\"]\n\turl = git@github.com:us/repo.git\n")
        .unwrap();
    let c = corpus(t.path());
    let g = adrgraph::graph_of(&c);
    let from = c.index_where(|a| a.slug == "0003-links").unwrap();
    let res: Vec<&Resolution> = g.links().iter().filter(|l| l.from == from).map(|l| &l.resolution).collect();
    assert_eq!(res[0], &Resolution::External);
    assert_eq!(res[1], &Resolution::External);
    assert_eq!(res[2], &Resolution::Decision { adr: c.indexes().next().unwrap() });
    assert!(codes(&findings(&c), "0003-links.md").is_empty());
}

#[test]
fn decisions_about_templates_are_decisions_and_skips_are_said() {
    let t = tree(&[
        (
            "0007-use-minijinja-for-templates.md",
            "# 7. Use minijinja for templates\n\nDate: 2020-Nov-09\n\n## Status\n\nAccepted\n",
        ),
        ("template.md", "# [short title]\n\n## Status\n\nproposed | accepted\n"),
        ("0000-adr-template.md", "# NNNN. Title\n"),
    ]);
    let c = corpus(t.path());
    let a = adr(&c, "0007-use-minijinja-for-templates");
    assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2020-11-09"));
    let skipped: Vec<(&str, &str)> =
        c.skipped.iter().map(|s| (s.path.rsplit('/').next().unwrap(), s.reason.as_str())).collect();
    assert_eq!(skipped, vec![("0000-adr-template.md", "template"), ("template.md", "template")]);
}

#[test]
fn unambiguous_month_name_dates_are_read() {
    for (text, want) in [
        ("2020-Nov-09", "2020-11-09"),
        ("2021 March 4", "2021-03-04"),
        ("09-Nov-2020", "2020-11-09"),
        ("Nov 9, 2020", "2020-11-09"),
        ("9th November 2020", "2020-11-09"),
    ] {
        let got = adrgraph::parse::text::parse_date(text).map(|f| f.date.to_string());
        assert_eq!(got.as_deref(), Some(want), "{text}");
    }
}

#[test]
fn titles_from_a_hash_without_space_and_from_an_h1_named_like_a_section() {
    let t = tree(&[
        (
            "0025-automatic-code-merging.md",
            "#25. Automatic code merging\n\nStatus: Accepted\n\nDate: 2020-01-01\n\nWe merge.\n",
        ),
        (
            "0041-links.md",
            "# 41. Links\n\nDate: 2022-03-04\n\n## Status\n\nAccepted\n\n## Context\n\nWhy links.\n",
        ),
        ("0042-status.md", "# Status\n\nDate: 2022-03-05\n\n## Context\n\nA record titled Status.\n"),
    ]);
    let c = corpus(t.path());
    assert_eq!(adr(&c, "0025-automatic-code-merging").title.as_deref(), Some("Automatic code merging"));
    let l = adr(&c, "0041-links");
    assert_eq!(
        (l.title.as_deref(), l.date.map(|d| d.to_string())),
        (Some("Links"), Some("2022-03-04".into()))
    );
    assert_eq!(l.status, Status::Accepted);
    let s = adr(&c, "0042-status");
    assert_eq!(
        (s.title.as_deref(), s.date.map(|d| d.to_string())),
        (Some("Status"), Some("2022-03-05".into()))
    );
    assert!(!findings(&c).iter().any(|f| f.code == "missing-title"), "{:#?}", findings(&c));
}

#[test]
fn the_file_number_names_the_decision_and_a_disagreeing_title_is_reported() {
    let t = tree(&[
        ("0031-mismatch.md", "# 30. Mismatch\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n"),
        (
            "0032-user.md",
            "# 32. User\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nSee ADR-31.\n",
        ),
    ]);
    let c = corpus(t.path());
    let a = adr(&c, "0031-mismatch");
    assert_eq!((a.number, a.title_number), (Some(31), Some(30)));
    let g = adrgraph::graph_of(&c);
    let from = c.index_where(|a| a.slug == "0032-user").unwrap();
    assert_eq!(
        g.links().iter().find(|l| l.from == from).unwrap().resolution,
        Resolution::Decision { adr: c.indexes().next().unwrap() }
    );
    let f = findings(&c);
    let m = f.iter().find(|f| f.code == "number-mismatch").expect("number-mismatch");
    assert!(m.path.ends_with("0031-mismatch.md") && m.message.contains("31") && m.message.contains("30"));
}

#[test]
fn pros_and_cons_under_labels_and_sub_headings_inside_options() {
    let text = "# 40. Queue\n\nDate: 2020-01-01\n\n## Status\n\nimplementable\n\n## Considered Options\n\n\
        ### 1. Use Redis Streams\n\n**Pros**\n\n- fast\n\n**Cons**\n\n- one more thing to run\n\n\
        ### 2. Argo CD\n\n#### Pros\n\n- gitops\n\n#### Cons\n\n- heavy\n\n\
        ### 3. Kafka\n\nPros:\n\n- durable\n\nCons:\n\n- ops\n\n\
        ## Decision Outcome\n\nChosen Option `(3)`\n";
    let t = tree(&[("0040-queue.md", text)]);
    let c = corpus(t.path());
    let a = adr(&c, "0040-queue");
    assert_eq!(a.status, Status::Accepted, "KEP's implementable is approved");
    let got: Vec<(&str, &[String], &[String], bool)> =
        a.options.iter().map(|o| (o.title.as_str(), &o.pros[..], &o.cons[..], o.chosen)).collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(got[0], ("Use Redis Streams", &s(&["fast"])[..], &s(&["one more thing to run"])[..], false));
    assert_eq!(got[1], ("Argo CD", &s(&["gitops"])[..], &s(&["heavy"])[..], false));
    assert_eq!(got[2], ("Kafka", &s(&["durable"])[..], &s(&["ops"])[..], true));
}

#[test]
fn chosen_option_by_position() {
    for chosen in ["Chosen option: 2", "Chosen Option `(2)`", "Chosen option: \"2\""] {
        let text = format!(
            "# 1. X\n\n## Considered Options\n\n* Alpha\n* Beta\n* Gamma\n\n## Decision Outcome\n\n{chosen}\n"
        );
        let p = adrgraph::parse_adr(&text, "adr/0001-x.md", "0001-x.md");
        let chosen: Vec<&str> = p.adr.options.iter().filter(|o| o.chosen).map(|o| o.title.as_str()).collect();
        assert_eq!(chosen, vec!["Beta"], "{text}");
    }
}

#[test]
fn option_spellings_that_differ_in_spaces_or_case_are_one_node() {
    let t = tree(&[
        ("0001-a.md", "# 1. A\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Considered Options\n\n* ArgoCD\n* Flux\n"),
        ("0002-b.md", "# 2. B\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Considered Options\n\n* Argo CD\n* Spinnaker\n"),
    ]);
    let c = corpus(t.path());
    let g = adrgraph::graph_of(&c);
    assert_eq!(g.find_options("argocd").len(), 1);
    assert_eq!(g.find_options("Argo CD"), g.find_options("ArgoCD"));
    let w = adrgraph::query::option_usage(&g, &c.adrs, "argo cd");
    assert_eq!(w.len(), 1);
    let uses: Vec<(&str, &str)> =
        w[0].decisions.iter().map(|u| (u.id.as_str(), u.written_as.as_str())).collect();
    assert_eq!(uses, vec![("0001-a", "ArgoCD"), ("0002-b", "Argo CD")]);
}

#[test]
fn kep_statuses_mean_what_keps_say() {
    for (word, want) in [
        ("implementable", Status::Accepted),
        ("implemented", Status::Accepted),
        ("provisional", Status::Proposed),
        ("withdrawn", Status::Rejected),
        ("replaced", Status::Superseded),
    ] {
        assert_eq!(adrgraph::parse::text::parse_status(word).status, want, "{word}");
    }
}

#[test]
fn self_supersession_is_a_finding_and_shared_numbers_give_linear_findings() {
    let mut files: Vec<(String, String)> = vec![(
        "0001-me.md".into(),
        "# 1. Me\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSupersedes [me](0001-me.md)\n".into(),
    )];
    for i in 0..40 {
        files.push((
            format!("0002-dup-{i:02}.md"),
            format!("# 2. Dup {i}\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let t = tree(&refs);
    let c = corpus(t.path());
    let f = findings(&c);
    assert!(f.iter().any(|f| f.path.ends_with("0001-me.md") && f.code == "supersession-cycle"), "{f:#?}");
    let dups: Vec<&Finding> = f.iter().filter(|f| f.code == "duplicate-number").collect();
    assert_eq!(dups.len(), 39);
    assert!(dups.iter().all(|d| d.message.len() < 120), "{:?}", dups[0].message);
}

#[test]
fn template_text_is_found_where_it_is_and_never_in_code() {
    let clean = "# 1. Example\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nDates are written `YYYY-MM-DD`:\n\n\
        ```\ntitle: {title}\n```\n\n    [Describe the context] in an indented block\n\nNothing to fill in.\n";
    let left = "# 2. Left\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nSome text.\n\n[Describe the context and the problem]\n";
    let t = tree(&[("0001-example.md", clean), ("0002-left.md", left)]);
    let c = corpus(t.path());
    let f = findings(&c);
    assert!(codes(&f, "0001-example.md").iter().all(|c| c != "template-text"), "{f:#?}");
    let hit = f.iter().find(|f| f.code == "template-text").expect("a template-text finding");
    assert!(hit.path.ends_with("0002-left.md"));
    assert_eq!(hit.line, 13, "the line of the placeholder, not of its heading");
    assert_eq!(hit.mark.as_deref(), Some("[Describe the context and the problem]"));
}

#[test]
fn findings_carry_their_column_and_a_long_line_is_quoted_as_a_window() {
    let many: String = (0..1000).map(|i| format!("[l{i}](0{}-missing.md) ", 5000 + i)).collect();
    let t = tree(&[(
        "0001-long.md",
        &format!("# 1. Long\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Links\n\n{many}\n")[..],
    )]);
    let out = crate::util::adrgraph(t.path())
        .args(["--root", "adr", "--color", "never", "lint"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.len() < 1_000_000, "{} bytes of output for 1,000 findings", text.len());
    let quoted = text.lines().filter(|l| l.contains(" | ")).map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(quoted < 140, "a quoted line of {quoted} characters");
    // The 500th link's finding points at its own column, and its carets sit under its text.
    let lines: Vec<&str> = text.lines().collect();
    let i = lines.iter().position(|l| l.contains("`05499-missing.md`")).expect("finding for link 499");
    let col: usize = lines[i].split(':').nth(2).unwrap().parse().unwrap();
    assert_eq!(col, many.find("[l499]").unwrap() + 2, "{}", lines[i]);
    let (quote, carets) = (lines[i + 1], lines[i + 2]);
    let at = carets.find('^').unwrap();
    assert_eq!(quote.chars().skip(at).take(4).collect::<String>(), "l499", "{quote}\n{carets}");
    // JSON, GitHub and SARIF give the same column.
    let json = crate::util::adrgraph(t.path()).args(["--root", "adr", "--json", "lint"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("05499"))
        .unwrap();
    assert_eq!(f["col"].as_u64(), Some(col as u64));
}

#[test]
fn fix_on_a_supersession_cycle_changes_nothing_and_says_why() {
    let a = "# 1. A\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSupersedes [B](0002-b.md)\n";
    let b = "# 2. B\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSupersedes [A](0001-a.md)\n";
    let t = tree(&[("0001-a.md", a), ("0002-b.md", b)]);
    let out =
        crate::util::adrgraph(t.path()).args(["--root", "adr", "lint", "--fix"]).output().expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("supersession cycle") && err.contains("not fixed"), "{err}");
    assert_eq!(std::fs::read_to_string(t.path().join("adr/0001-a.md")).unwrap(), a);
    assert_eq!(std::fs::read_to_string(t.path().join("adr/0002-b.md")).unwrap(), b);
    assert_eq!(out.status.code(), Some(1), "the cycle is still an error");
}

// ---- The command line tells the truth ----

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = crate::util::adrgraph(dir).args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ONE: &str = "# 1. Use Kafka\n\nDate: 2020-01-01\n\n* Status: accepted\n* Deciders: Ana Lima, Bo Chen\n* Tags: messaging\n\n## Context\n\nEvents.\n";

#[test]
fn exit_codes_as_documented() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("adr")).unwrap();
    let (code, _, err) = run(empty.path(), &["--root", "adr", "list"]);
    assert_eq!(code, Some(2), "an empty root is nothing to read: {err}");
    assert!(err.contains("nothing to read"), "{err}");
    let t = tree(&[("0001-use-kafka.md", ONE)]);
    for args in [
        &["--root", "adr", "search", "zeppelin"][..],
        &["--root", "adr", "option", "zeppelin"],
        &["--root", "adr", "list"],
    ] {
        let (code, _, err) = run(t.path(), args);
        assert_eq!(code, Some(0), "{args:?}: an empty answer is an answer: {err}");
    }
    let (code, _, _) = run(t.path(), &["--root", "adr", "show", "99"]);
    assert_eq!(code, Some(2), "an unknown id is a usage error");
    let help = run(t.path(), &["--help"]).1;
    assert!(help.contains("an empty answer, such as a search without hits, is still 0"), "{help}");
}

#[test]
fn discovery_stops_at_the_repository_top_and_says_what_it_picked() {
    let top = tempfile::tempdir().unwrap();
    // A sibling project's decisions above the repository must never be read.
    std::fs::create_dir_all(top.path().join("adr")).unwrap();
    std::fs::write(top.path().join("adr/0001-theirs.md"), ONE).unwrap();
    let repo = top.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("src")).unwrap();
    let (code, _, err) = run(&repo.join("src"), &["list"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("no ADR folder found"), "{err}");
    // Outside any repository, the usual folders only in the folder itself; above it, only
    // adr-tools' own marks (`doc/adr`, `.adr-dir`), which `adr` itself looks for in every parent.
    let loose = top.path().join("loose");
    std::fs::create_dir_all(&loose).unwrap();
    assert_eq!(run(&loose, &["list"]).0, Some(2));
    std::fs::create_dir_all(top.path().join("doc/adr")).unwrap();
    std::fs::write(top.path().join("doc/adr/0001-ours.md"), ONE).unwrap();
    let (code, out, err) = run(&loose, &["list"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("0001-ours") && !out.contains("theirs"), "{out}");
    // Inside the repository, still nothing above its top.
    assert_eq!(run(&repo.join("src"), &["list"]).0, Some(2));
    for name in ["architecture-decision-records", "doc/decisions", "docs/adrs", "decisions"] {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join(".git")).unwrap();
        std::fs::create_dir_all(d.path().join(name)).unwrap();
        std::fs::write(d.path().join(name).join("0001-use-kafka.md"), ONE).unwrap();
        let (code, out, err) = run(d.path(), &["list"]);
        assert_eq!(code, Some(0), "{name}: {err}");
        assert!(out.contains("0001-use-kafka"), "{name}");
        assert_eq!(err.lines().filter(|l| l.starts_with("reading ")).count(), 1, "{name}: {err}");
        assert!(err.contains(name), "{err}");
        assert!(!run(d.path(), &["-q", "list"]).2.contains("reading"), "-q says nothing");
    }
}

#[test]
fn diagnostics_are_said_once_and_skips_are_said() {
    let t = tree(&[
        ("0001-use-kafka.md", ONE),
        ("0002-bad.md", "# 2. Bad\n\nDate: someday\n\n## Status\n\nBlorp\n"),
        ("template.md", "# Title\n"),
    ]);
    let (code, out, err) = run(t.path(), &["--root", "adr", "--color", "never", "stats", "--diagnostics"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("unknown-status"), "{out}");
    assert!(err.is_empty(), "nothing more on stderr: {err}");
    assert!(
        out.contains("Not read as decisions") && out.contains("template") && out.contains("adr/template.md"),
        "{out}"
    );
    let (_, _, err) = run(t.path(), &["--root", "adr", "list"]);
    assert!(err.contains("1 markdown file(s) not read as decisions (template 1)"), "{err}");
    let (_, _, err) = run(t.path(), &["--root", "adr", "show", "1"]);
    assert!(err.is_empty(), "a clean record's show says nothing of the others: {err}");
}

#[test]
fn list_columns_stay_aligned_for_long_and_wide_ids() {
    let long = format!("0002-{}.md", "a-very-long-name".repeat(6));
    let t = tree(&[
        ("0001-use-kafka.md", ONE),
        (&long, "# 2. Long\n\nDate: 2020-01-02\n\nStatus: accepted\n"),
        ("0003-日本語の決定.md", "# 3. 決定\n\nDate: 2020-01-03\n\nStatus: accepted\n"),
    ]);
    let (_, out, _) = run(t.path(), &["--root", "adr", "--color", "never", "list"]);
    use unicode_width::UnicodeWidthStr;
    let cols: Vec<usize> = out
        .lines()
        .map(|l| {
            let at = l.find("accepted").or_else(|| l.find("STATUS")).unwrap();
            l[..at].width()
        })
        .collect();
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{out}");
}

#[test]
fn search_help_puts_its_own_options_first() {
    let t = tree(&[("0001-use-kafka.md", ONE)]);
    let help = run(t.path(), &["search", "--help"]).1;
    let own = help.find("--status").unwrap();
    let global = help.find("Global options:").unwrap();
    assert!(own < global && help[global..].contains("--root"), "{help}");
}

#[test]
fn graph_edges_decided_by_and_tagged_draw_people_and_tags() {
    let t = tree(&[("0001-use-kafka.md", ONE)]);
    let (code, out, err) =
        run(t.path(), &["--root", "adr", "graph", "--edges", "decided_by", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"person:ana lima") && ids.contains(&"person:bo chen"), "{ids:?}");
    assert_eq!(v["links"].as_array().unwrap().len(), 2);
    let (_, dot, _) = run(t.path(), &["--root", "adr", "graph", "--edges", "tagged", "--format", "dot"]);
    assert!(dot.contains("label=\"messaging\"") && dot.contains("shape=\"note\""), "{dot}");
}

#[test]
fn same_folder_broken_links_under_an_absolute_root_are_broken_with_the_path_to_type() {
    let t = tree(&[(
        "0001-a.md",
        "# 1. A\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSee [b](0002-b.md) and [c](./sub/../0003-c.md).\n",
    )]);
    let root = t.path().join("adr");
    let root = root.to_str().unwrap();
    let (code, out, _) = run(Path::new("/"), &["--root", root, "--color", "never", "lint"]);
    assert_eq!(code, Some(1), "{out}");
    let broken: Vec<&str> = out.lines().filter(|l| l.contains("error[broken-link]")).collect();
    assert_eq!(broken.len(), 2, "{out}");
    assert!(!out.contains("link-outside-tree"), "{out}");
    assert!(broken[0].contains(&format!("no file `{root}/0002-b.md`")), "{out}");
    assert!(broken[1].contains(&format!("no file `{root}/0003-c.md`")), "{out}");
}

#[test]
fn paths_are_shown_as_the_root_is_spelt_now_whatever_an_earlier_run_spelt() {
    let t = tempfile::tempdir().unwrap();
    crate::util::copy_tree(&crate::util::manifest_dir().join("data"), t.path());
    let abs = t.path().canonicalize().unwrap();
    let abs = abs.to_str().unwrap();
    let store = tempfile::tempdir().unwrap();
    let store = store.path().to_str().unwrap();
    let questions: [&[&str]; 3] =
        [&["--json", "list"], &["--json", "impact", "data-platform/1"], &["lint", "-f", "json"]];
    for q in questions {
        // The first run spells the root in full, the second as `.`: the second must show what a
        // run with nothing stored shows, with the cache and with an explicit store.
        let fresh = tempfile::tempdir().unwrap();
        let fresh = fresh.path().to_str().unwrap();
        let (_, alone, _) = run(t.path(), &[&["-q", "--root", ".", "--store", fresh][..], q].concat());
        assert!(!alone.contains(abs), "{alone}");
        run(t.path(), &[&["-q", "--root", abs][..], q].concat());
        let (_, cached, _) = run(t.path(), &[&["-q", "--root", "."][..], q].concat());
        assert_eq!(cached, alone, "{q:?} through the cache");
        run(t.path(), &[&["-q", "--root", abs, "--store", store][..], q].concat());
        let (_, stored, _) = run(t.path(), &[&["-q", "--root", ".", "--store", store][..], q].concat());
        assert_eq!(stored, alone, "{q:?} through --store");
    }
}

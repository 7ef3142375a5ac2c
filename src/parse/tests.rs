//! Unit tests of the extractor on short strings: status, date and title in every place they are
//! written, and links in every place they are written.

use super::*;
use crate::model::{Dialect, LinkKind, LinkSource, Status};

fn p(src: &str) -> Parsed {
    parse_adr(src, "adr/0007-x.md", "0007-x.md")
}

fn links(src: &str) -> Vec<(LinkKind, String, LinkSource, Option<String>)> {
    p(src).adr.links.into_iter().map(|l| (l.kind, l.target, l.source, l.qualifier)).collect()
}

#[test]
fn status_in_section_bullet_bold_front_matter_table_quote() {
    assert_eq!(p("# T\n\n## Status\n\nAccepted\n").adr.status, Status::Accepted);
    assert_eq!(p("# T\n\n* Status: rejected\n").adr.status, Status::Rejected);
    assert_eq!(p("# T\n\n- status: Draft\n").adr.status, Status::Draft);
    assert_eq!(p("# T\n\n**Status:** Deprecated\n").adr.status, Status::Deprecated);
    assert_eq!(p("# T\n\n**Status**: Proposed\n").adr.status, Status::Proposed);
    assert_eq!(p("---\nstatus: accepted\n---\n# T\n").adr.status, Status::Accepted);
    assert_eq!(p("# T\n\n| Status | Accepted |\n|--|--|\n").adr.status, Status::Accepted);
    assert_eq!(p("# T\n\n## Status\n\n> Accepted\n").adr.status, Status::Accepted);
    assert_eq!(p("# T\n\n## Status\n\n**Accepted**\n").adr.status, Status::Accepted);
}

#[test]
fn status_keeps_raw_text_and_history() {
    let a = p("# T\n\n## Status\n\nAccepted\n\nSuperseded by [9. New](0009-new.md)\n").adr;
    assert_eq!(a.status, Status::Superseded);
    assert_eq!(a.status_raw.as_deref(), Some("Superseded by 9. New"));
    let hist: Vec<Status> = a.status_history.iter().map(|h| h.status).collect();
    assert_eq!(hist, vec![Status::Accepted, Status::Superseded]);
    assert_eq!(a.status_history[1].line, 7);
}

#[test]
fn unknown_status_is_kept_and_reported() {
    let r = p("# T\n\n## Status\n\nBlorp\n");
    assert_eq!(r.adr.status, Status::Unknown);
    assert_eq!(r.adr.status_raw.as_deref(), Some("Blorp"));
    assert_eq!(r.diagnostics[0].code, "unknown-status");
    assert_eq!(r.diagnostics[0].line, 5);
}

#[test]
fn status_word_inside_code_block_is_ignored() {
    let a = p("# T\n\n```\n## Status\nRejected\n```\n").adr;
    assert_eq!(a.status, Status::Unknown);
    assert!(a.status_raw.is_none());
}

#[test]
fn dates_in_each_place() {
    assert_eq!(p("# T\n\nDate: 2016-02-12\n").adr.date.unwrap().to_string(), "2016-02-12");
    assert_eq!(p("# T\n\n**Date:** 12/02/2016\n").adr.date.unwrap().to_string(), "2016-02-12");
    assert_eq!(p("# T\n\n* Date: 12 March 2019\n").adr.date.unwrap().to_string(), "2019-03-12");
    assert_eq!(p("---\ndate: 2024-01-02\n---\n# T\n").adr.date.unwrap().to_string(), "2024-01-02");
    let a = parse_adr("# T\n", "x/20201016-slug.md", "20201016-slug.md").adr;
    assert_eq!(a.date.unwrap().to_string(), "2020-10-16");
    assert_eq!(a.date_source, Some(crate::model::DateSource::FileName));
    let r = p("# T\n\nDate: soon\n");
    assert!(r.adr.date.is_none());
    assert_eq!(r.diagnostics[0].code, "bad-date");
}

#[test]
fn title_and_number() {
    // The file's number names the decision; the title's own is kept for lint's number-mismatch.
    let a = p("# ADR-012: Use Rust\n").adr;
    assert_eq!((a.title.as_deref(), a.number, a.title_number), (Some("Use Rust"), Some(7), Some(12)));
    let a = parse_adr("# ADR-012: Use Rust\n", "x/20201016-use-rust.md", "20201016-use-rust.md").adr;
    assert_eq!((a.number, a.title_number), (Some(12), Some(12)));
    // The number comes from the file name when the title has none.
    let a = p("# Use Rust\n").adr;
    assert_eq!((a.title.as_deref(), a.number), (Some("Use Rust"), Some(7)));
    // A heading in front matter position is still the title.
    let a = p("---\ntitle: From front matter\n---\nText\n").adr;
    assert_eq!(a.title.as_deref(), Some("From front matter"));
}

#[test]
fn links_in_status_section() {
    let l = links("# T\n\n## Status\n\nSupercedes [1. Old](0001-old.md)\n\nAmended by [9. X](0009-x.md)\n");
    assert_eq!(l[0], (LinkKind::Supersedes, "0001-old.md".into(), LinkSource::Status, None));
    assert_eq!(l[1], (LinkKind::AmendedBy, "0009-x.md".into(), LinkSource::Status, None));
}

#[test]
fn superseded_by_bare_id_and_partly() {
    let l = links("# T\n\n## Status\n\nSuperseded by ADR025\n");
    assert_eq!(l[0].0, LinkKind::SupersededBy);
    assert_eq!(l[0].1, "ADR025");
    let a = p("# T\n\n## Status\n\nPartly superseded by [8. New](0008-new.md)\n").adr;
    assert_eq!(a.links[0].qualifier.as_deref(), Some("partly"));
    assert_eq!(a.status, Status::Superseded);
}

#[test]
fn custom_adr_link_pairs() {
    let a = p("# T\n\n## Status\n\nAccepted\n\nClarified by [3. Y](0003-y.md)\n").adr;
    assert_eq!(a.links[0].kind, LinkKind::Custom);
    assert_eq!(a.links[0].label.as_deref(), Some("Clarified by"));
    assert_eq!(a.status, Status::Accepted);
}

#[test]
fn links_in_madr_metadata_bullets() {
    let l = links(
        "# T\n\n* status: **superseded by [MADR-077](./077-x.md)**\n* Supersedes: [MADR 093](093-y.md)\n",
    );
    assert_eq!(l[0], (LinkKind::SupersededBy, "./077-x.md".into(), LinkSource::Status, None));
    assert_eq!(l[1], (LinkKind::Supersedes, "093-y.md".into(), LinkSource::Metadata, None));
    assert_eq!(
        p("# T\n\n* status: **superseded by [MADR-077](./077-x.md)**\n").adr.status,
        Status::Superseded
    );
}

#[test]
fn links_in_front_matter_keys() {
    let l = links("---\nstatus: accepted\nsupersedes: [ADR-0003]\nsuperseded_by: ADR-0011\namends: 0004-x.md\nrelated: [ADR-0001]\n---\n# T\n");
    assert!(l.contains(&(LinkKind::Supersedes, "ADR-0003".into(), LinkSource::FrontMatter, None)));
    assert!(l.contains(&(LinkKind::SupersededBy, "ADR-0011".into(), LinkSource::FrontMatter, None)));
    assert!(l.contains(&(LinkKind::Amends, "0004-x.md".into(), LinkSource::FrontMatter, None)));
    assert!(l.contains(&(LinkKind::References, "ADR-0001".into(), LinkSource::FrontMatter, None)));
}

#[test]
fn front_matter_status_with_link() {
    let a = p("---\nstatus: superseded by [ADR-0005](0005-example.md)\n---\n# T\n").adr;
    assert_eq!(a.status, Status::Superseded);
    assert_eq!(a.links[0].target, "0005-example.md");
    assert_eq!(a.links[0].kind, LinkKind::SupersededBy);
}

#[test]
fn links_in_links_section() {
    let l = links("# T\n\n## Links\n\n* Refined by [ADR-6](0006-x.md)\n* [External](https://example.com/)\n* Supersedes [2](0002-y.md)\n");
    assert_eq!(l[0].0, LinkKind::Custom);
    assert_eq!(l[1], (LinkKind::References, "https://example.com/".into(), LinkSource::LinksSection, None));
    assert_eq!(l[2].0, LinkKind::Supersedes);
}

#[test]
fn links_in_prose() {
    let l = links("# T\n\n## Context\n\nThis ADR in part supersedes [0003](0003-a.md). See ADR-4 and [five](0005-b.md#why).\nIgnore [site](https://example.com) and `ADR-9`.\n");
    assert_eq!(l[0], (LinkKind::Supersedes, "0003-a.md".into(), LinkSource::Prose, Some("in part".into())));
    assert!(l.contains(&(LinkKind::References, "0005-b.md#why".into(), LinkSource::Prose, None)));
    assert!(l.contains(&(LinkKind::References, "ADR-4".into(), LinkSource::Prose, None)));
    assert!(!l.iter().any(|x| x.1.contains("example.com") || x.1 == "ADR-9"));
}

#[test]
fn prose_supersedes_plural_ids() {
    let a = p("# T\n\n## Context\n\nThis ADR supersedes the decisions made in ADRs 60 and 61.\n").adr;
    let nums: Vec<Option<u32>> = a.links.iter().map(|l| l.number).collect();
    assert_eq!(nums, vec![Some(60), Some(61)]);
    assert!(a.links.iter().all(|l| l.kind == LinkKind::Supersedes));
}

#[test]
fn own_number_is_not_a_reference() {
    let a = p("# ADR-007: T\n\n## Context\n\nADR-007 is this one.\n").adr;
    assert!(a.links.is_empty());
}

#[test]
fn options_pros_cons_outcome() {
    let a = p("# T\n\n## Considered Options\n\n* Option 1: Alpha\n* Option 2: Beta\n\n## Decision Outcome\n\nChosen option: \"Beta, the second\", because it is cheaper.\n\n## Detailed Analysis\n\n### Option 1: Alpha\n\nFirst one.\n\n**Pros:**\n* fast\n\n**Cons:**\n* costly\n\n**Cost/Effort:** High\n\n**Risk:** Low (known)\n").adr;
    assert_eq!(a.options.len(), 2);
    assert_eq!(a.options[0].title, "Alpha");
    assert_eq!(a.options[0].pros, vec!["fast"]);
    assert_eq!(a.options[0].cons, vec!["costly"]);
    assert_eq!(a.options[0].cost.as_deref(), Some("High"));
    assert_eq!(a.options[0].risk.as_deref(), Some("Low (known)"));
    assert_eq!(a.options[0].description.as_deref(), Some("First one."));
    let o = a.outcome.unwrap();
    assert_eq!(o.chosen.as_deref(), Some("Beta, the second"));
    assert_eq!(o.rationale.as_deref(), Some("it is cheaper."));
    assert!(a.options[1].chosen, "prefix match of chosen option");
}

#[test]
fn phases_and_validation() {
    let a = p("# T\n\n## Implementation Plan\n\n### Phase 1: Pilot\n**Timeline:** 2 weeks\n**Deliverables:**\n* one\n* two\n\n## Validation Criteria\n\nHow will we know?\n\n* Latency: p99 < 100ms\n\n**Review Date:** 2026-08-11 (6 months)\n").adr;
    assert_eq!(a.phases.len(), 1);
    assert_eq!(a.phases[0].name, "Pilot");
    assert_eq!(a.phases[0].timeline.as_deref(), Some("2 weeks"));
    assert_eq!(a.phases[0].deliverables, vec!["one", "two"]);
    assert_eq!(a.validation, vec!["Latency: p99 < 100ms"]);
    assert_eq!(a.review_date.unwrap().to_string(), "2026-08-11");
}

#[test]
fn dialects_are_detected() {
    assert_eq!(p("# 1. T\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n").adr.dialect, Dialect::Nygard);
    assert_eq!(
        p("# T\n\n* Status: accepted\n\n## Context and Problem Statement\n\nx\n").adr.dialect,
        Dialect::Madr2
    );
    assert_eq!(
        parse_adr("# T\n\n- Status: accepted\n- Tags: a b\n", "x", "20200101-t.md").adr.dialect,
        Dialect::Log4brains
    );
    // MADR 2 writes `* Status:`; log4brains `- Status:`, whatever the file's name.
    assert_eq!(
        parse_adr("# T\n\n* Author(s): A\n* State: Ready\n* Tags: x\n", "x", "20230406-B-t.md").adr.dialect,
        Dialect::Madr2
    );
    assert_eq!(
        parse_adr("# T\r\r- Status: accepted\r- Tags: a b\r", "x", "20200101-t.md").adr.dialect,
        Dialect::Log4brains
    );
    assert_eq!(p("---\nstatus: accepted\n---\n# T\n").adr.dialect, Dialect::MadrFrontMatter);
    assert_eq!(p("# ADR-001: T\n\n**Status:** Accepted\n").adr.dialect, Dialect::Seed);
    assert_eq!(p("Just text.\n").adr.dialect, Dialect::Generic);
}

#[test]
fn sections_are_kept_for_indexing() {
    let a = p("# T\n\nIntro.\n\n## Context\n\nWhy.\n").adr;
    let heads: Vec<&str> = a.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(heads, vec!["T", "Context"]);
    assert_eq!(a.sections[1].text, "Why.");
    assert_eq!(a.sections[1].line, 5);
}

#[test]
fn sidecar_metadata_is_read() {
    let opts = ParseOptions {
        sidecar: Some(Sidecar {
            text: "title: Kustomize\nstatus: implemented\ncreation-date: 2018-11-07\nreplaces:\n  - n/a\nsuperseded-by:\n  - \"/keps/sig-cli/2386-x/\"\n",
            path: "k/kep.yaml",
        }),
        vocabulary: None,
    };
    let a =
        parse_adr_with("# KEP-2377: Kustomize\n\nText.\n", "k/README.md", "2377-kustomize/README.md", opts)
            .adr;
    assert_eq!(a.slug, "2377-kustomize");
    assert_eq!(a.status, Status::Accepted);
    assert_eq!(a.date.unwrap().to_string(), "2018-11-07");
    assert_eq!(a.links.len(), 1, "n/a is not a target: {:?}", a.links);
    assert_eq!(a.links[0].kind, LinkKind::SupersededBy);
}

#[test]
fn decode_reports_invalid_utf8_with_line() {
    let (text, d) = decode(b"# T\n\nok \xff\n", "f.md");
    assert!(text.contains('\u{FFFD}'));
    assert_eq!(d[0].code, "invalid-utf8");
    assert_eq!(d[0].line, 3);
    let (text, d) = decode(b"\xff\xfe#\0 \0T\0", "f.md");
    assert_eq!(text, "# T");
    assert_eq!(d[0].code, "utf16");
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 6] = [
        b"",
        b"\0\0\0\xff",
        b"---\n---\n",
        b"# \n## \n### Option 1:\n**Pros:**\n",
        b"[x](",
        b"| a |\n|---|\n| **Status:** |\n",
    ];
    for bytes in inputs {
        let _ = parse_bytes(bytes, "f.md", "f.md", ParseOptions::default());
    }
}

#[test]
fn chosen_option_by_position() {
    let a = p("# T\n\n## Considered Options\n\n1. Alpha\n2. Beta\n\n## Decision Outcome\n\nChosen option: 2, because cheaper.\n").adr;
    assert!(a.options[1].chosen && !a.options[0].chosen);
    let a = p("# T\n\n## Considered Options\n\n1. Alpha\n2. Beta\n\n## Decision Outcome\n\nChosen option: \"1. Alpha\", because first.\n").adr;
    assert!(a.options[0].chosen);
}

#[test]
fn project_vocabulary_adds_status_words_and_link_phrases() {
    let vocab = Vocabulary {
        status_words: vec![("signed off".into(), Status::Accepted)],
        link_phrases: vec![
            ("obsoletes".into(), LinkKind::Supersedes),
            ("retired in favour of".into(), LinkKind::SupersededBy),
        ],
    };
    let opts = ParseOptions { sidecar: None, vocabulary: Some(&vocab) };
    let a = parse_adr_with(
        "# T\n\n## Status\n\nSigned off\n\nObsoletes [2](0002-x.md)\n",
        "p",
        "0007-x.md",
        opts,
    )
    .adr;
    assert_eq!(a.status, Status::Accepted);
    assert_eq!(a.links[0].kind, LinkKind::Supersedes);
    let a =
        parse_adr_with("# T\n\n## Status\n\nRetired in favour of [9](0009-y.md)\n", "p", "0007-x.md", opts)
            .adr;
    assert_eq!(a.status, Status::Superseded);
    assert_eq!(a.links[0].kind, LinkKind::SupersededBy);
    // Without the vocabulary neither is understood.
    assert_eq!(p("# T\n\n## Status\n\nSigned off\n").adr.status, Status::Unknown);
    // A project's phrase is read wherever a built-in one is: as a metadata label, a front
    // matter key, the kind of a `links:` entry and a relation verb before a link.
    let kinds = |text: &str| -> Vec<(LinkKind, String)> {
        parse_adr_with(text, "p", "0007-x.md", opts)
            .adr
            .links
            .iter()
            .map(|l| (l.kind.clone(), l.target.clone()))
            .collect()
    };
    let want = vec![(LinkKind::Supersedes, "0002-x.md".to_string())];
    assert_eq!(kinds("# T\n\n* Status: accepted\n* Obsoletes: [2](0002-x.md)\n"), want);
    assert_eq!(kinds("---\nobsoletes: 0002-x.md\n---\n# T\n"), want);
    assert_eq!(kinds("---\nlinks:\n  - kind: Obsoletes\n    target: 0002-x.md\n---\n# T\n"), want);
    assert_eq!(
        kinds("# T\n\n## Links\n\n* Retired in favour of [9](0009-y.md)\n")[0].0,
        LinkKind::SupersededBy
    );
}

#[test]
fn every_review_label_spells_revi() {
    for label in ["Review Date", "review-date", "NEXT REVIEW", "Review by", "Revisit", "ReViSiT  date"] {
        assert!(is_review_label(label), "{label}");
        assert!(spells_revi(label), "{label}");
    }
    for other in ["Decision date", "Reveal", "ev", "", "rev", "VI"] {
        assert!(!spells_revi(other), "{other}");
    }
    // Found anywhere, in any case.
    let a = p("# T\n\n## Notes\n\n- Owner: platform\n- NEXT REVIEW: 2027-02-01\n").adr;
    assert_eq!(a.review_date.map(|d| d.to_string()).as_deref(), Some("2027-02-01"));
}

/// Sections are searched once for `super` and `ADR`: a sentence in a nested list item, a table
/// cell or a quote, in any case, is still read; a section without them gives no such link.
#[test]
fn supersession_sentences_and_bare_ids_anywhere_in_a_section() {
    let l = links(
        "# T\n\n## Context\n\nPlain words.\n\n- one\n  - This SUPERSEDES [3. Old](0003-old.md).\n\n\
         | a | b |\n|---|---|\n| see ADR-0009 | x |\n\n> Builds on Adr-0010.\n\n## Decision\n\nNothing else.\n",
    );
    assert!(l.contains(&(LinkKind::Supersedes, "0003-old.md".into(), LinkSource::Prose, None)), "{l:?}");
    assert!(l.contains(&(LinkKind::References, "ADR-0009".into(), LinkSource::Prose, None)), "{l:?}");
    assert!(l.contains(&(LinkKind::References, "Adr-0010".into(), LinkSource::Prose, None)), "{l:?}");
    assert_eq!(l.len(), 3, "{l:?}");
    // In a sub-heading's own text (not part of its section's text).
    let l = links("# T\n\n## Context\n\nPlain.\n\n### Now superseded by [9. New](0009-new.md)\n\nWords.\n");
    assert!(l.iter().any(|(k, t, _, _)| *k == LinkKind::SupersededBy && t == "0009-new.md"), "{l:?}");
}

#[test]
fn template_text_is_reported_with_its_line_and_never_for_code_or_plain_brackets() {
    let t =
        |src: &str| p(src).diagnostics.into_iter().filter(|d| d.code == "template-text").collect::<Vec<_>>();
    let found = t("# T\n\n## Context\n\nText.\n\n[Describe the context here]\n");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 7);
    for clean in [
        "# T\n\nSee [ADR-002](x.md) and [the docs] of 2024-01-01.\n",
        "# T\n\nWrite dates as `YYYY-MM-DD`.\n",
        "# T\n\n```\n{title}\n[Describe the context]\n```\n",
        "# T\n\n    {title} in an indented block\n",
    ] {
        assert!(t(clean).is_empty(), "{clean:?}: {:?}", t(clean));
    }
    let fm = t("---\ndate: YYYY-MM-DD\n---\n# T\n");
    assert_eq!((fm.len(), fm.first().map(|d| d.line)), (1, Some(2)));
}

#[test]
fn declared_scope_from_every_front_matter_key() {
    let scope = |src: &str| p(src).adr.scope;
    assert_eq!(
        scope("---\naffects:\n  - src/billing/**\n  - api/*.proto\n---\n# T\n"),
        ["src/billing/**", "api/*.proto"]
    );
    assert_eq!(scope("---\nappliesTo: [services/orders]\n---\n# T\n"), ["services/orders"]);
    assert_eq!(scope("---\napplies_to: a/b, c/d\n---\n# T\n"), ["a/b", "c/d"]);
    assert_eq!(scope("---\nscope: deploy\n---\n# T\n"), ["deploy"]);
    assert_eq!(scope("---\npaths:\n  - x/**\n---\n# T\n"), ["x/**"]);
    assert!(scope("# T\n\nScope: the whole company\n").is_empty(), "only front matter declares a scope");
}

#[test]
fn metadata_is_read_where_it_stands() {
    // The value of an empty bold label stands in the next paragraph.
    let a = p("# T\n\n**Authors:** A\n\n**Status:**\n\nImplementable\n\n## Summary\n\nx\n").adr;
    assert_eq!((a.status, a.status_raw.as_deref()), (Status::Accepted, Some("Implementable")));
    // Bullets under a second heading that repeats the title, before the first named section.
    let a = p(
        "# Tools\n\n## Tools\n\n* **Status:** Active\n* **Last Modified:** 2023-07-17\n\n### Context\n\nx\n",
    )
    .adr;
    assert_eq!(a.status, Status::Accepted);
    assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2023-07-17"));
    // A date written as a section of its own.
    let a = p("# T\n\n## Date\n\n2025-02-07\n\n## Status\n\nDraft\n").adr;
    assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2025-02-07"));
    // ...but not a status line in a later section's prose.
    let a = p("# T\n\n## Context\n\nx\n\n## Notes\n\n* Status: accepted\n").adr;
    assert_eq!(a.status_raw, None);
}

fn kinds(src: &str) -> Vec<(LinkKind, String, Option<String>)> {
    p(src).adr.links.into_iter().map(|l| (l.kind, l.target, l.qualifier)).collect()
}

#[test]
fn a_relation_is_read_where_a_person_reads_it() {
    // A header line under `Date:`, above the first section.
    let r = p(
        "# 4. DNS\n\nDate: 2017-07-04\nSuperseded: 2019-12-19 by [ADR 14](0014-dns.md)\n\n## Context\n\nx\n",
    );
    assert_eq!(r.adr.status, Status::Superseded);
    assert_eq!(kinds_of(&r), vec![(LinkKind::SupersededBy, "0014-dns.md".to_string(), None)]);
    // A label followed by more text keeps the part named as the qualifier, wherever the label is.
    let want = vec![(
        LinkKind::Supersedes,
        "ADR 0053".to_string(),
        Some("§7 \"Detection and Bootstrap\" behaviour".to_string()),
    )];
    for place in [
        "**Supersedes**: ADR 0053 §7 \"Detection and Bootstrap\" behaviour\n\n## Context\n\nx\n",
        "- **Status**: Accepted\n- **Supersedes**: ADR 0053 §7 \"Detection and Bootstrap\" behaviour\n",
        "## Status\n\nAccepted\n\n**Supersedes**: ADR 0053 §7 \"Detection and Bootstrap\" behaviour\n",
        "## Context\n\nx\n\n## Related\n\n**Supersedes**: ADR 0053 §7 \"Detection and Bootstrap\" behaviour\n",
    ] {
        assert_eq!(kinds(&format!("# T\n\n{place}")), want, "{place}");
    }
}

fn kinds_of(r: &Parsed) -> Vec<(LinkKind, String, Option<String>)> {
    r.adr.links.iter().map(|l| (l.kind.clone(), l.target.clone(), l.qualifier.clone())).collect()
}

#[test]
fn successor_wording_names_the_next_record_in_the_chain() {
    for (line, status) in [
        ("Deprecated by [0015 New](0015-new.md)", Status::Deprecated),
        ("Replaced by [0015 New](0015-new.md)", Status::Superseded),
        ("Obsoleted by [0015 New](0015-new.md)", Status::Deprecated),
        ("Retired in favour of [0015 New](0015-new.md)", Status::Deprecated),
        ("Deprecated in favor of [0015 New](0015-new.md)", Status::Deprecated),
        ("Superceeded by [0015 New](0015-new.md)", Status::Superseded),
        ("Supperseded by [0015 New](0015-new.md)", Status::Superseded),
    ] {
        let r = p(&format!("# T\n\n## Status\n\n{line}\n"));
        assert_eq!(r.adr.status, status, "{line}");
        assert_eq!(kinds_of(&r), vec![(LinkKind::SupersededBy, "0015-new.md".to_string(), None)], "{line}");
    }
    // A deprecation that names a page without `by` names no successor.
    let r = p("# T\n\n## Status\n\nDeprecated, see [0015 New](0015-new.md)\n");
    assert!(r.adr.links.iter().all(|l| l.kind == LinkKind::References), "{:?}", r.adr.links);
    // Labels too.
    assert_eq!(kinds("# T\n\n* Deprecated by: ADR-0015\n")[0].0, LinkKind::SupersededBy);
    assert_eq!(kinds("# T\n\n* Superceeded by: ADR-0015\n")[0].0, LinkKind::SupersededBy);
    assert_eq!(kinds("# T\n\n* Obsoletes: ADR-0003\n")[0].0, LinkKind::Supersedes);
}

#[test]
fn tables_give_status_date_and_people() {
    let a =
        p("# T\n\n| Status | Date | Author(s) |\n|---|---|---|\n| Accepted | 2025-10-26 | Ann, Bob |\n").adr;
    assert_eq!((a.status, a.date.map(|d| d.to_string())), (Status::Accepted, Some("2025-10-26".into())));
    assert_eq!(a.deciders, ["Ann", "Bob"]);
    let a = p("# T\n\n| Status | Accepted |\n|---|---|\n| Date | 2025-10-26 |\n").adr;
    assert_eq!((a.status, a.date.map(|d| d.to_string())), (Status::Accepted, Some("2025-10-26".into())));
}

#[test]
fn titles_and_dates_without_the_usual_markup() {
    let r = parse_adr(
        "Drop Kafka\n\nWe drop it.\n",
        "adr/001-drop-kafka-dependency.md",
        "001-drop-kafka-dependency.md",
    );
    assert_eq!(r.adr.title.as_deref(), Some("Drop Kafka"));
    let r = parse_adr(
        "## Context\n\nWe drop it.\n",
        "adr/001-drop-kafka-dependency.md",
        "001-drop-kafka-dependency.md",
    );
    assert_eq!(r.adr.title.as_deref(), Some("Drop Kafka Dependency"));
    assert!(r.diagnostics.iter().any(|d| d.code == TITLE_FROM_FILE_NAME));
    let r =
        parse_adr("## Context\n\nx\n", "adr/ADR021-cell-capacity.html.md", "ADR021-cell-capacity.html.md");
    assert_eq!(
        (r.adr.slug.as_str(), r.adr.title.as_deref()),
        ("ADR021-cell-capacity", Some("Cell Capacity"))
    );
    for (line, date) in [("June 19, 2018", "2018-06-19"), ("7 April 2020", "2020-04-07")] {
        let a = p(&format!("# Use X\n\n{line}\n\n## Context\n\nx\n")).adr;
        assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some(date), "{line}");
    }
}

#[test]
fn status_histories_and_other_languages() {
    let a = p("# T\n\n## Status\n\n2021-01-15 proposed\n\n2021-02-04 done\n").adr;
    assert_eq!((a.status, a.date.map(|d| d.to_string())), (Status::Accepted, Some("2021-01-15".into())));
    let a = p("# 1. 记录架构决策\n\n## 状态\n\n2017-11-22 提议\n\n2017-11-26 完成\n\n## 背景\n\n在这里\n\n## 决策\n\n做\n").adr;
    assert_eq!((a.status, a.date.map(|d| d.to_string())), (Status::Accepted, Some("2017-11-22".into())));
    assert_eq!((a.context.as_deref(), a.decision.as_deref()), (Some("在这里"), Some("做")));
    for (src, status) in [
        ("状态：已弃用", Status::Deprecated),
        ("状态: 通过", Status::Accepted),
        ("ステータス: 承認済み", Status::Accepted),
        ("상태: 제안됨", Status::Proposed),
        ("Stato: accettato", Status::Accepted),
        ("Status: Geaccepteerd", Status::Accepted),
        ("Statut : Résolu", Status::Accepted),
    ] {
        assert_eq!(p(&format!("# T\n\n{src}\n")).adr.status, status, "{src}");
    }
    let a = p("# T\n\n日期：2017-11-22\n").adr;
    assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2017-11-22"));
}

#[test]
fn template_instructions_and_mentions_are_not_links() {
    let r = p("# T\n\n- Supersedes: (put \"N/A\" unless this replaces an existing RFC, then link to that RFC)\n- Author(s): [@jkutner](@jkutner)\n- Replaces: \"N/A\"\n");
    assert!(r.adr.links.is_empty(), "{:?}", r.adr.links);
    assert_eq!(r.adr.deciders, ["@jkutner"]);
}

#[test]
fn sub_bullets_belong_to_their_option_and_an_outcome_bullet_chooses() {
    let a = p("# T\n\n## Considered Options\n\n1. Use Redis\n   - fast\n   - Bad, because another server to run\n2. Use Postgres\n   - we run it already\n\n## Decision Outcome\n\n- Use Postgres\n").adr;
    assert_eq!(a.options.len(), 2);
    assert_eq!(a.options[0].description.as_deref(), Some("- fast"));
    assert_eq!(a.options[0].cons, ["another server to run"]);
    assert_eq!(a.options[1].description.as_deref(), Some("- we run it already"));
    assert!(a.options[1].chosen && !a.options[0].chosen);
    assert_eq!(a.outcome.and_then(|o| o.chosen).as_deref(), Some("Use Postgres"));
    // A bullet that names no option chooses nothing.
    let a =
        p("# T\n\n## Considered Options\n\n* Redis\n* Postgres\n\n## Decision Outcome\n\n* We wait a year\n")
            .adr;
    assert!(a.options.iter().all(|o| !o.chosen));
}

#[test]
fn a_placeholder_link_is_template_text_not_a_link() {
    let r = p("# T\n\n## Links\n\n* Supersedes [xxx](yyyymmdd-xxx.md)\n* Relates to [title](../adr/NNNN-title.md)\n");
    assert!(r.adr.links.is_empty(), "{:?}", r.adr.links);
    let t: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "template-text").collect();
    assert_eq!(t.len(), 1, "{t:?}");
    assert!(t[0].message.contains("yyyymmdd-xxx.md") && t[0].message.contains("1 more"), "{}", t[0].message);
}

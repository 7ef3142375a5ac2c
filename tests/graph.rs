//! The knowledge graph and its queries on `data/` (expected answers written out here) and on
//! the real corpora (known chains resolve, known broken links are reported).

use crate::util::{adrgraph, corpora, manifest_dir, stdout_of};
use adrgraph::graph::Resolution;
use adrgraph::ingest::{ingest, IngestOptions};
use adrgraph::query;
use std::collections::BTreeSet;

fn data() -> adrgraph::Corpus {
    ingest(&IngestOptions::new([manifest_dir().join("data")])).expect("data/ exists")
}

fn idx(c: &adrgraph::Corpus, id: &str) -> adrgraph::DecisionIndex {
    c.index_where(|a| a.id == id).unwrap_or_else(|| panic!("{id} in data/"))
}

#[test]
fn impact_of_the_event_bus_decision() {
    let c = data();
    let g = adrgraph::graph_of(&c);
    let w = query::impact(&g, &c.adrs, idx(&c, "ADR-001-use-nats-for-event-bus"), None);
    let got: BTreeSet<(String, usize)> = w.reached.iter().map(|r| (r.id.clone(), r.distance)).collect();
    let want: BTreeSet<(String, usize)> = [
        ("0005-consume-stripe-webhooks-through-nats", 1),
        ("ADR-002-modular-monolith-with-module-boundaries", 1),
        ("ADR-006-jetstream-retention-and-replay-policy", 1),
        ("ADR-008-transactional-outbox-for-event-publishing", 1),
        ("0004-run-services-on-nomad", 1),
        ("ADR-003-json-event-payloads", 1),
        ("0002-change-data-capture-with-debezium", 2),
        ("0006-run-services-on-kubernetes-eks", 2),
        ("ADR-004-postgresql-schema-per-module", 2),
        ("ADR-010-protobuf-event-contracts-with-buf", 2),
        ("ADR-005-adopt-istio-service-mesh", 2),
        ("ADR-007-avro-events-with-schema-registry", 2),
        ("0003-data-retention-policy", 3),
        ("0005-use-vault-for-secrets", 3),
        ("ADR-009-tenant-isolation-by-schema", 3),
        ("0003-invoice-numbering-per-tenant", 4),
    ]
    .iter()
    .map(|(id, d)| (id.to_string(), *d))
    .collect();
    assert_eq!(got, want);
    // Accepted decisions come first.
    let first_other = w.reached.iter().position(|r| r.status != adrgraph::Status::Accepted).unwrap();
    assert!(w.reached[first_other..].iter().all(|r| r.status != adrgraph::Status::Accepted));
    // The amendment explains ADR-006's place.
    let r6 = w.reached.iter().find(|r| r.id.starts_with("ADR-006")).unwrap();
    assert_eq!(r6.via.len(), 1);
    assert_eq!(r6.via[0].kind, adrgraph::EdgeKind::Amends);
    let depth1 = query::impact(&g, &c.adrs, idx(&c, "ADR-001-use-nats-for-event-bus"), Some(1));
    assert_eq!(depth1.reached.len(), 6);
}

#[test]
fn dependencies_of_the_webhook_decision() {
    let c = data();
    let g = adrgraph::graph_of(&c);
    let w = query::deps(&g, &c.adrs, idx(&c, "0005-consume-stripe-webhooks-through-nats"), Some(1));
    let got: BTreeSet<&str> = w.reached.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        got,
        BTreeSet::from([
            "ADR-001-use-nats-for-event-bus",
            "ADR-006-jetstream-retention-and-replay-policy",
            "0004-poll-stripe-for-payment-status",
        ])
    );
}

#[test]
fn both_supersession_chains_of_three_and_the_decision_in_force() {
    let c = data();
    let g = adrgraph::graph_of(&c);
    for (start, want, in_force) in [
        (
            "ADR-007-avro-events-with-schema-registry",
            vec![
                "ADR-003-json-event-payloads",
                "ADR-007-avro-events-with-schema-registry",
                "ADR-010-protobuf-event-contracts-with-buf",
            ],
            "ADR-010-protobuf-event-contracts-with-buf",
        ),
        (
            "0002-run-services-with-docker-compose",
            vec![
                "0002-run-services-with-docker-compose",
                "0004-run-services-on-nomad",
                "0006-run-services-on-kubernetes-eks",
            ],
            "0006-run-services-on-kubernetes-eks",
        ),
        (
            "0005-consume-stripe-webhooks-through-nats",
            vec!["0004-poll-stripe-for-payment-status", "0005-consume-stripe-webhooks-through-nats"],
            "0005-consume-stripe-webhooks-through-nats",
        ),
    ] {
        let ch = query::chain(&g, &c.adrs, idx(&c, start));
        let got: Vec<&str> = ch.members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(got, want);
        assert_eq!(ch.in_force, vec![in_force]);
        assert!(ch.cycle.is_none());
    }
}

#[test]
fn path_between_the_web_decisions() {
    let c = data();
    let g = adrgraph::graph_of(&c);
    let p = query::path(
        &g,
        &c.adrs,
        idx(&c, "20250520-design-tokens-with-style-dictionary"),
        idx(&c, "20250302-server-side-rendering-with-nextjs"),
    )
    .expect("connected");
    let hops: Vec<(&str, &str)> = p.iter().map(|s| (s.from.as_str(), s.to.as_str())).collect();
    assert_eq!(
        hops,
        vec![
            (
                "20250520-design-tokens-with-style-dictionary",
                "20250114-build-the-web-app-with-react-and-vite"
            ),
            ("20250302-server-side-rendering-with-nextjs", "20250114-build-the-web-app-with-react-and-vite"),
        ]
    );
    assert_eq!(p[0].label.as_deref(), Some("Relates to"));
}

#[test]
fn data_has_no_broken_links_and_one_option_entity_per_name() {
    let c = data();
    let g = adrgraph::graph_of(&c);
    assert_eq!(g.unresolved().count(), 0, "{:?}", g.unresolved().collect::<Vec<_>>());
    let r = query::option_usage(&g, &c.adrs, "protobuf with buf");
    assert_eq!(r.len(), 1);
    let uses: Vec<(&str, bool)> = r[0].decisions.iter().map(|d| (d.id.as_str(), d.chosen)).collect();
    assert_eq!(
        uses,
        vec![
            ("ADR-007-avro-events-with-schema-registry", false),
            ("ADR-010-protobuf-event-contracts-with-buf", true)
        ]
    );
    let stats = g.stats(&c.adrs);
    assert_eq!(stats.edges["supersedes"], 5);
    assert_eq!(stats.edges["amends"], 3);
    assert_eq!(stats.supersession_cycles, 0);
}

#[test]
fn cli_graph_commands_json_and_exit_codes() {
    let dir = manifest_dir();
    let out =
        stdout_of(adrgraph(&dir).args(["--root", "data", "impact", "platform/1", "--depth", "1", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["start"], "ADR-001-use-nats-for-event-bus");
    assert_eq!(v["reached"].as_array().unwrap().len(), 6);
    assert!(v["reached"][0]["via"][0]["written_in"].as_str().unwrap().starts_with("data/"));
    let out = stdout_of(adrgraph(&dir).args(["--root", "data", "chain", "platform/3"]));
    assert!(
        out.contains("ADR-010-protobuf-event-contracts-with-buf") && out.contains("<- in force"),
        "{out}"
    );
    assert!(out.contains("In force now: ADR-010-protobuf-event-contracts-with-buf"), "{out}");
    let out = stdout_of(adrgraph(&dir).args(["--root", "data", "option", "kafka"]));
    assert!(out.contains("Apache Kafka") && out.contains("considered"), "{out}");
    // An empty answer is an answer: exit 0 (1 is for findings and unreadable files).
    let out = adrgraph(&dir).args(["--root", "data", "option", "cobol"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out =
        adrgraph(&dir).args(["--root", "data", "path", "web/20250520", "infrastructure/7"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no chain of links"));
    let out = stdout_of(adrgraph(&dir).args(["--root", "data", "show", "infrastructure/4", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let incoming: Vec<&str> =
        v["edges"]["incoming"].as_array().unwrap().iter().map(|s| s["from"].as_str().unwrap()).collect();
    assert!(incoming.contains(&"0006-run-services-on-kubernetes-eks"), "{incoming:?}");
    let out = stdout_of(adrgraph(&dir).args(["--root", "data", "stats", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["graph"]["nodes"]["decision"], 29);
    assert_eq!(v["graph"]["broken_links"], 0);
}

#[test]
fn corpus_chains_resolve_and_the_forms_link_is_broken() {
    let Some(root) = corpora() else { return };
    let c = ingest(&IngestOptions::new([root])).expect("corpora");
    let g = adrgraph::graph_of(&c);
    let find =
        |suffix: &str| c.index_where(|a| a.path.ends_with(suffix)).unwrap_or_else(|| panic!("{suffix}"));
    let chain_of = |suffix: &str| -> Vec<String> {
        query::chain(&g, &c.adrs, find(suffix)).members.iter().map(|m| m.id.clone()).collect()
    };
    let has = |chain: &[String], part: &str| chain.iter().any(|id| id.contains(part));
    let ch = chain_of("alphagov__govuk-aws/0004-dns-definitions-for-hosts-and-services.md");
    assert!(has(&ch, "0015-dns-infrastructure"), "{ch:?}");
    let ch = chain_of("alphagov__govuk-aws/0003-aws-networking-outline.md");
    assert!(has(&ch, "0033-ip-ranges"), "{ch:?}");
    let ch = chain_of("kumahq__kuma/decisions/036-internal-listeners.md");
    assert!(has(&ch, "077-naming-system-envoy-resources"), "{ch:?}");
    let ch = chain_of("kumahq__kuma/decisions/093-disallow-multiple-meshes-per-k8s-ns.md");
    assert!(has(&ch, "099-allow-multiple-meshes-per-k8s-ns"), "{ch:?}");
    let ch = chain_of("thomvaill__log4brains/docs/adr/20200926-use-the-adr-number-as-its-unique-id.md");
    assert!(has(&ch, "20201016-use-the-adr-slug-as-its-unique-id"), "{ch:?}");
    let ch = chain_of("ministryofjustice__cloud-platform/021-Multi-cluster.md");
    assert!(has(&ch, "036-multi-cluster"), "{ch:?}");
    let ch = chain_of("npryce__adr-tools/0005-help-comments.md");
    assert_eq!(ch.len(), 1, "an amendment is not a supersession");
    // KEP chains from kep.yaml: 4671 replaces 583 and 5832; 5832 replaces 583.
    let ch = chain_of("kubernetes__enhancements/sig-scheduling/583-coscheduling/README.md");
    assert!(has(&ch, "4671") && has(&ch, "5832"), "{ch:?}");

    // alphagov__forms ADR004: `Superseded by [AD045: Remove forms-api](ADR045-use-forms-api.md)`.
    let forms4 = find("alphagov__forms/ADR004-store-form-schemas-in-an-api.md");
    let broken: Vec<&adrgraph::graph::ResolvedLink> = g.unresolved().filter(|l| l.from == forms4).collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    match &broken[0].resolution {
        Resolution::Broken { suggestion: Some(s), .. } => {
            assert!(c.adrs[*s].path.ends_with("ADR045-remove-forms-api.md"), "{}", c.adrs[*s].path)
        }
        other => panic!("expected broken with a suggestion, got {other:?}"),
    }
    // It is a diagnostic with the line it is written on.
    let diags = g.diagnostics(&c.adrs);
    let d = diags
        .iter()
        .find(|d| d.path.ends_with("alphagov__forms/ADR004-store-form-schemas-in-an-api.md"))
        .expect("a diagnostic for ADR004");
    assert_eq!((d.line, d.code.as_str()), (7, "broken-link"));
    assert!(d.message.contains("did you mean ADR045-remove-forms-api"), "{}", d.message);
    // The two ADR025 files make `Superseded by ADR025` ambiguous, not silently resolved.
    let forms13 = find("alphagov__forms/ADR013-use-paper-trail-gem-for-auditing-and-record-backups.md");
    assert!(g.unresolved().any(|l| l.from == forms13
        && matches!(&l.resolution, Resolution::Ambiguous { candidates } if candidates.len() == 2)));
}

#[test]
fn graph_answers_are_byte_identical_across_runs() {
    let dir = manifest_dir();
    for args in [
        ["--root", "data", "impact", "platform/1", "--json"],
        ["--root", "data", "chain", "platform/3", "--json"],
        ["--root", "data", "option", "postgresql", "--json"],
        ["--root", "data", "stats", "--json", "--quiet"],
    ] {
        // Two fresh stores (nothing shared between the runs compared), then the first one warm.
        let (s1, s2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let run = |store: &std::path::Path| {
            let out = stdout_of(adrgraph(&dir).arg("--store").arg(store).args(args));
            if !args.contains(&"stats") {
                return out;
            }
            // Only the store's own report (its folder, what it parsed) differs between stores.
            let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
            v.as_object_mut().unwrap().remove("refresh");
            serde_json::to_string(&v).unwrap()
        };
        let (a, b, c) = (run(s1.path()), run(s2.path()), run(s1.path()));
        assert_eq!(a, b, "{args:?}: two fresh stores");
        assert_eq!(a, c, "{args:?}: fresh and warm");
        assert!(a.len() > 100, "{args:?}: {a}");
    }
}

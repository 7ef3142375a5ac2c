//! A deterministic generator of realistic ADR trees, for benchmarks and scale tests.
//!
//! `generate(count, seed)` plans every decision first (folder, number, title, date, status,
//! supersessions, amendments, references) and then writes each file in its folder's dialect:
//! Nygard/adr-tools, MADR 2 bullets, MADR 4 front matter or the rich seed template. Numbers
//! restart in every folder; about 10% of decisions supersede an earlier one of their folder
//! (written on both sides), about 2% amend one, about 30% reference one to three earlier
//! decisions, a fifth of those in another folder. Files are 2 to 8 KB. The same count and seed
//! always give the same bytes.

use std::fmt::Write as _;

/// Deterministic xorshift64* generator.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by a fixed odd constant).
    pub fn new(seed: u64) -> Rng {
        Rng(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    /// A random element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Advantages the rich profile argues options with.
pub const PROS: &[&str] = &[
    "Proven at our scale by teams we know",
    "Managed offering in every region we run in",
    "First-class Rust client, maintained upstream",
    "Operators on call already know it",
    "Horizontal scaling without re-sharding",
    "Strong consistency where billing needs it",
    "Open source under a permissive licence",
];

/// Disadvantages the rich profile argues options with.
pub const CONS: &[&str] = &[
    "Another system to patch and monitor",
    "Licence costs grow with every node",
    "The migration takes a quarter of one team",
    "Vendor lock-in for the storage format",
    "Few people outside the platform team know it",
    "Backups need a tool of their own",
];

/// Technologies titles and options are made of.
pub const TECH: &[&str] = &[
    "PostgreSQL",
    "Kafka",
    "NATS",
    "RabbitMQ",
    "Redis",
    "Kubernetes",
    "Nomad",
    "Terraform",
    "Vault",
    "gRPC",
    "GraphQL",
    "OpenAPI",
    "Protobuf",
    "Avro",
    "ClickHouse",
    "Elasticsearch",
    "OpenSearch",
    "S3",
    "Istio",
    "Linkerd",
    "Envoy",
    "Prometheus",
    "Grafana",
    "OpenTelemetry",
    "Jaeger",
    "Keycloak",
    "Auth0",
    "React",
    "Vite",
    "Next.js",
    "TypeScript",
    "Rust",
    "Go",
    "Kotlin",
    "Debezium",
    "Airflow",
    "dbt",
    "Snowflake",
    "BigQuery",
    "MongoDB",
    "Cassandra",
    "DynamoDB",
    "SQS",
    "SNS",
    "Lambda",
    "Argo CD",
    "Helm",
    "GitHub Actions",
    "Buildkite",
    "Bazel",
    "Nix",
    "Docker",
    "Podman",
    "Cilium",
    "Consul",
];
const CONCERNS: &[&str] = &[
    "event streaming",
    "service discovery",
    "secrets management",
    "the billing ledger",
    "search",
    "analytics",
    "tracing",
    "metrics",
    "authentication",
    "authorisation",
    "schema evolution",
    "deployments",
    "infrastructure as code",
    "the customer portal",
    "background jobs",
    "caching",
    "rate limiting",
    "feature flags",
    "audit logging",
    "data retention",
    "multi-tenancy",
    "backups",
];
const VERBS: &[&str] = &["Use", "Adopt", "Standardise on", "Move to", "Introduce", "Run"];
const PEOPLE: &[&str] = &[
    "Ana Silva",
    "Ben Okafor",
    "Chen Wei",
    "Dana Ruiz",
    "Emil Larsen",
    "Fatima Zahra",
    "Gus Moreau",
    "Hana Sato",
    "Ivan Petrov",
    "Jo Byrne",
    "Kim Nguyen",
    "Lea Martin",
    "Marco Rossi",
    "Nadia Haddad",
];
const SENTENCES: &[&str] = &[
    "The current setup was chosen when the team had three engineers and one customer.",
    "Operating it now takes a full day per week of the platform team's time.",
    "Two incidents last quarter were traced back to this part of the system.",
    "Several teams have built their own workarounds, and they do not agree with each other.",
    "Customers hosting the platform themselves need the same behaviour as our cloud offering.",
    "The decision has to hold for at least two years of expected growth.",
    "Security review asked for a documented answer before the next audit.",
    "Latency at the 99th percentile must stay below 200 milliseconds under peak load.",
    "Whatever we pick must have a maintained Rust client and good observability.",
    "The cost of running it should scale with usage rather than with the number of tenants.",
    "A migration path from what runs today is a hard requirement.",
    "We prefer managed services where the vendor lock-in is limited.",
];

/// Which dialect a folder is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenDialect {
    /// adr-tools: `# 12. Title`, `Date:`, `## Status`.
    Nygard,
    /// MADR 2 metadata bullets.
    Madr2,
    /// MADR 4 with YAML front matter.
    Madr4,
    /// The rich seed template.
    Seed,
}

/// The mixed layout: eight folders in four dialects.
pub const FOLDERS: &[(&str, GenDialect)] = &[
    ("platform", GenDialect::Seed),
    ("infrastructure", GenDialect::Nygard),
    ("services/billing", GenDialect::Madr2),
    ("data", GenDialect::Madr4),
    ("services/identity", GenDialect::Nygard),
    ("web", GenDialect::Madr2),
    ("security", GenDialect::Madr4),
    ("services/search", GenDialect::Seed),
];

/// The rich layout ([`Profile::Rich`]): one large folder of seed-template records (three in
/// five decisions, so 6,000 of 10,000), beside an adr-tools folder and a MADR 4 one.
pub const RICH: &[(&str, GenDialect)] = &[
    ("docs/decisions", GenDialect::Seed),
    ("docs/legacy", GenDialect::Nygard),
    ("teams/payments/adr", GenDialect::Madr4),
];

/// What the records are like: [`Profile::Standard`] (2 to 8 KB, a link or three) or
/// [`Profile::Rich`], where real trees differ from it: long rich-template records (three to
/// five options, each argued with several pros and cons, cost and risk; phases; validation
/// criteria), most of them in one folder, and many prose links in every record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// The first profile: the README's trees.
    Standard,
    /// Long, richly linked records, 60% of them in one folder.
    Rich,
}

/// The layout adr-tools and `adrs` use: one folder, `doc/adr`, Nygard records numbered from 1.
pub const ADR_TOOLS: &[(&str, GenDialect)] = &[("doc/adr", GenDialect::Nygard)];

/// One planned decision.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The folder table the plan uses (folder path, dialect).
    pub table: &'static [(&'static str, GenDialect)],
    /// Folder index into the folder table.
    pub folder: usize,
    /// Number within the folder.
    pub number: u32,
    /// Title.
    pub title: String,
    /// File name.
    pub file: String,
    /// ISO date.
    pub date: String,
    /// Base status word.
    pub status: &'static str,
    /// Index of the decision that supersedes this one.
    pub superseded_by: Option<usize>,
    /// Index of the decision this one supersedes.
    pub supersedes: Option<usize>,
    /// Index of the decision this one amends.
    pub amends: Option<usize>,
    /// Indexes of the decisions that amend this one.
    pub amended_by: Vec<usize>,
    /// Indexes of decisions referenced.
    pub references: Vec<usize>,
    /// Considered options; the first is chosen.
    pub options: Vec<String>,
    /// Deciders.
    pub deciders: Vec<String>,
    /// Target size in bytes.
    pub size: usize,
    /// Written in the rich profile ([`Profile::Rich`]).
    pub rich: bool,
}

fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// Plan `count` decisions with the given seed, in the mixed layout.
pub fn plan(count: usize, seed: u64) -> Vec<Planned> {
    plan_with(count, seed, FOLDERS)
}

/// Plan `count` decisions with the given seed over a folder table.
pub fn plan_with(count: usize, seed: u64, table: &'static [(&'static str, GenDialect)]) -> Vec<Planned> {
    plan_profile(count, seed, table, Profile::Standard)
}

/// Plan `count` decisions with the given seed over a folder table, in a profile.
pub fn plan_profile(
    count: usize,
    seed: u64,
    table: &'static [(&'static str, GenDialect)],
    profile: Profile,
) -> Vec<Planned> {
    let rich = profile == Profile::Rich;
    let mut rng = Rng::new(seed);
    let folders = if count < 40 { 3.min(table.len()) } else { table.len() };
    let mut out: Vec<Planned> = Vec::with_capacity(count);
    let mut per_folder: Vec<Vec<usize>> = vec![Vec::new(); folders];
    let start = 16_436; // days since 1970-01-01 of 2015-01-01
    let mut day = start;
    for i in 0..count {
        // Rich: three in five in the first folder, the rest shared by the others.
        let folder = match (rich, folders) {
            (false, _) => i % folders,
            (true, 1) => 0,
            (true, _) if i % 5 < 3 => 0,
            (true, _) => 1 + (i % 5 - 3) % (folders - 1),
        };
        let number = per_folder[folder].len() as u32 + 1;
        let tech = *rng.pick(TECH);
        let title = format!("{} {} for {}", rng.pick(VERBS), tech, rng.pick(CONCERNS));
        let dialect = table[folder].1;
        let file = match dialect {
            GenDialect::Seed => format!("ADR-{number:03}-{}.md", slug(&title)),
            _ => format!("{number:04}-{}.md", slug(&title)),
        };
        if rng.chance(40) {
            day += 1 + rng.below(3);
        }
        let date = iso_date(day);
        let status = match rng.below(100) {
            0..=4 => "Proposed",
            5..=6 => "Rejected",
            7..=8 => "Deprecated",
            _ => "Accepted",
        };
        let mut options = vec![tech.to_string()];
        for _ in 0..if rich { 3 + rng.below(3) } else { 1 + rng.below(3) } {
            let o = rng.pick(TECH).to_string();
            if !options.contains(&o) {
                options.push(o);
            }
        }
        let deciders = (0..1 + rng.below(3)).map(|_| rng.pick(PEOPLE).to_string()).collect::<Vec<_>>();
        let mut p = Planned {
            table,
            folder,
            number,
            title,
            file,
            date,
            status,
            superseded_by: None,
            supersedes: None,
            amends: None,
            amended_by: Vec::new(),
            references: Vec::new(),
            options,
            deciders,
            size: if rich { 8192 + rng.below(16384) } else { 2048 + rng.below(6144) },
            rich,
        };
        let earlier = &per_folder[folder];
        if !earlier.is_empty() && rng.chance(10) {
            let j = earlier[rng.below(earlier.len())];
            if out[j].superseded_by.is_none() && out[j].status == "Accepted" {
                out[j].superseded_by = Some(i);
                p.supersedes = Some(j);
                p.status = "Accepted";
            }
        } else if !earlier.is_empty() && rng.chance(2) {
            let j = earlier[rng.below(earlier.len())];
            out[j].amended_by.push(i);
            p.amends = Some(j);
        }
        if i > 0 && (rich || rng.chance(30)) {
            for _ in 0..if rich { 4 + rng.below(9) } else { 1 + rng.below(3) } {
                let j = if rng.chance(20) || earlier.is_empty() {
                    rng.below(i)
                } else {
                    earlier[rng.below(earlier.len())]
                };
                if !p.references.contains(&j) && Some(j) != p.supersedes && Some(j) != p.amends {
                    p.references.push(j);
                }
            }
        }
        per_folder[folder].push(i);
        out.push(p);
    }
    out
}

fn iso_date(days: usize) -> String {
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{m:02}-{d:02}", if m <= 2 { y + 1 } else { y })
}

/// Path of decision `to` relative to the folder of decision `from`.
fn rel(plan: &[Planned], from: usize, to: usize) -> String {
    let (a, b) = (plan[from].table[plan[from].folder].0, plan[to].table[plan[to].folder].0);
    if a == b {
        return plan[to].file.clone();
    }
    let ups = a.split('/').count();
    format!("{}{b}/{}", "../".repeat(ups), plan[to].file)
}

fn link_text(plan: &[Planned], i: usize) -> String {
    match plan[i].table[plan[i].folder].1 {
        GenDialect::Nygard => format!("{}. {}", plan[i].number, plan[i].title),
        GenDialect::Seed => format!("ADR-{:03}: {}", plan[i].number, plan[i].title),
        _ => format!("ADR-{:04}", plan[i].number),
    }
}

/// Filler text up to `target` bytes; in the rich profile, a sentence naming one of `refs`
/// after each paragraph until every one is named (links in prose, as real records cite).
fn fill(rng: &mut Rng, out: &mut String, target: usize, rich: bool, refs: &[String]) {
    if !rich {
        return filler(rng, out, target);
    }
    let mut refs = refs.iter();
    while out.len() < target {
        filler(rng, out, out.len() + 1);
        if let Some(r) = refs.next() {
            let _ = write!(out, "This follows {r}, which set the constraints we keep here.\n\n");
        }
    }
    for r in refs {
        let _ = write!(out, "See also {r}.\n\n");
    }
}

fn filler(rng: &mut Rng, out: &mut String, target: usize) {
    while out.len() < target {
        let mut para = String::new();
        for _ in 0..3 + rng.below(3) {
            para.push_str(SENTENCES[rng.below(SENTENCES.len())]);
            para.push(' ');
        }
        out.push_str(para.trim_end());
        out.push_str("\n\n");
    }
}

/// The `## Links` section of decision `i` (empty when it has no typed link); the seed template
/// also writes its successor there.
fn links_section(plan: &[Planned], i: usize, with_successor: bool) -> String {
    let p = &plan[i];
    let item = |verb: &str, j: usize| format!("* {verb} [{}]({})", link_text(plan, j), rel(plan, i, j));
    let mut links: Vec<String> = Vec::new();
    links.extend(p.supersedes.map(|j| item("Supersedes", j)));
    if with_successor {
        links.extend(p.superseded_by.map(|j| item("Superseded by", j)));
    }
    links.extend(p.amends.map(|j| item("Amends", j)));
    links.extend(p.amended_by.iter().map(|&j| item("Amended by", j)));
    if links.is_empty() {
        String::new()
    } else {
        format!("## Links\n\n{}\n", links.join("\n"))
    }
}

/// Write decision `i` of the plan as markdown.
pub fn render(plan: &[Planned], i: usize, seed: u64) -> String {
    let p = &plan[i];
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xA5A5);
    let mut s = String::with_capacity(p.size + 1024);
    let refs: Vec<String> =
        p.references.iter().map(|&j| format!("[{}]({})", link_text(plan, j), rel(plan, i, j))).collect();
    let prose_refs = if refs.is_empty() || p.rich {
        String::new()
    } else {
        format!("This builds on {}.\n\n", refs.join(" and "))
    };
    let chosen = &p.options[0];
    let status_line = match p.superseded_by {
        Some(j) => format!("Superseded by [{}]({})", link_text(plan, j), rel(plan, i, j)),
        None => p.status.to_string(),
    };
    let dialect = p.table[p.folder].1;
    match dialect {
        GenDialect::Nygard => {
            let _ = write!(
                s,
                "# {}. {}\n\nDate: {}\n\n## Status\n\n{status_line}\n\n",
                p.number, p.title, p.date
            );
            if let Some(j) = p.supersedes {
                let _ = write!(s, "Supersedes [{}]({})\n\n", link_text(plan, j), rel(plan, i, j));
            }
            if let Some(j) = p.amends {
                let _ = write!(s, "Amends [{}]({})\n\n", link_text(plan, j), rel(plan, i, j));
            }
            for &j in &p.amended_by {
                let _ = write!(s, "Amended by [{}]({})\n\n", link_text(plan, j), rel(plan, i, j));
            }
            let _ = write!(s, "## Context\n\n{prose_refs}");
            let budget = p.size.saturating_sub(600);
            fill(&mut rng, &mut s, budget, p.rich, &refs);
            let _ = write!(
                s,
                "## Decision\n\nWe will use {chosen} for {}.\n\n## Consequences\n\nTeams move to {chosen}; the alternatives ({}) are no longer supported.\n",
                p.title.split(" for ").nth(1).unwrap_or("this"),
                p.options[1..].join(", ")
            );
        }
        GenDialect::Madr2 | GenDialect::Madr4 => {
            if dialect == GenDialect::Madr4 {
                let status = match p.superseded_by {
                    Some(j) => format!("\"superseded by ADR-{:04}\"", plan[j].number),
                    None => p.status.to_lowercase(),
                };
                let _ = write!(
                    s,
                    "---\nstatus: {status}\ndate: {}\ndecision-makers: [{}]\n---\n\n# {}\n\n",
                    p.date,
                    p.deciders.join(", "),
                    p.title
                );
            } else {
                let status = match p.superseded_by {
                    Some(j) => format!("superseded by [ADR-{:04}]({})", plan[j].number, rel(plan, i, j)),
                    None => p.status.to_lowercase(),
                };
                let _ = write!(
                    s,
                    "# {}\n\n* Status: {status}\n* Deciders: {}\n* Date: {}\n\n",
                    p.title,
                    p.deciders.join(", "),
                    p.date
                );
            }
            let _ = write!(s, "## Context and Problem Statement\n\n{prose_refs}");
            let budget = p.size.saturating_sub(900);
            fill(&mut rng, &mut s, budget, p.rich, &refs);
            s.push_str("## Considered Options\n\n");
            for o in &p.options {
                let _ = writeln!(s, "* {o}");
            }
            let _ = write!(
                s,
                "\n## Decision Outcome\n\nChosen option: \"{chosen}\", because it meets the decision drivers with the least operational effort.\n\n"
            );
            if dialect == GenDialect::Madr4 {
                s.push_str("### Consequences\n\n* Good, because the team already knows it\n* Bad, because the migration takes a quarter\n\n");
            } else {
                s.push_str("### Positive Consequences\n\n* The team already knows it\n\n### Negative Consequences\n\n* The migration takes a quarter\n\n");
            }
            s.push_str("## Pros and Cons of the Options\n\n");
            for o in &p.options {
                let _ = write!(
                    s,
                    "### {o}\n\n* Good, because it is mature\n* Bad, because it needs expertise we lack\n\n"
                );
            }
            s.push_str(&links_section(plan, i, false));
        }
        GenDialect::Seed => {
            let _ = write!(
                s,
                "# ADR-{:03}: {}\n\n**Date:** {}  \n**Status:** {status_line}  \n**Deciders:** {}  \n**Technical Story:** Issue #{} - {}\n\n## Context and Problem Statement\n\n{prose_refs}",
                p.number,
                p.title,
                p.date,
                p.deciders.join(", "),
                100 + i,
                p.title
            );
            let budget = p.size.saturating_sub(if p.rich { 4000 } else { 1400 });
            fill(&mut rng, &mut s, budget, p.rich, &refs);
            s.push_str("## Decision Drivers\n\n* Operational simplicity\n* Rust support\n* Cost at scale\n\n## Considered Options\n\n");
            for (k, o) in p.options.iter().enumerate() {
                let _ = writeln!(s, "* Option {}: {o}", k + 1);
            }
            let _ = write!(
                s,
                "\n## Decision Outcome\n\nChosen option: \"{chosen}\", because it balances simplicity and scale.\n\n### Positive Consequences\n\n* Fewer moving parts\n\n### Negative Consequences\n\n* Less mature tooling\n\n## Detailed Analysis\n\n"
            );
            for (k, o) in p.options.iter().enumerate() {
                let (pros, cons) = if p.rich {
                    let pros =
                        (0..3 + rng.below(2)).map(|_| format!("* {}", rng.pick(PROS))).collect::<Vec<_>>();
                    let cons =
                        (0..2 + rng.below(2)).map(|_| format!("* {}", rng.pick(CONS))).collect::<Vec<_>>();
                    (pros.join("\n"), cons.join("\n"))
                } else {
                    ("* Proven".to_string(), "* Learning curve".to_string())
                };
                let _ = write!(
                    s,
                    "### Option {}: {o}\n\n{o} as the basis for this decision.\n\n**Pros:**\n{pros}\n\n**Cons:**\n{cons}\n\n**Cost/Effort:** {}\n\n**Risk:** {}\n\n",
                    k + 1,
                    ["Low", "Medium", "High"][(k + i) % 3],
                    ["Low", "Medium", "High"][(k + 2 * i) % 3]
                );
            }
            if p.rich {
                s.push_str("## Implementation Plan\n\n");
                for (k, phase) in ["Pilot", "Migration", "Decommission"].iter().enumerate() {
                    let _ = write!(
                        s,
                        "### Phase {}: {phase}\n**Timeline:** {} weeks\n**Deliverables:**\n* {phase} plan for {chosen}\n* Runbook and dashboards\n\n",
                        k + 1,
                        2 + rng.below(6)
                    );
                }
                s.push_str("## Validation Criteria\n\n* Latency: p99 < 200ms\n* Error rate below 0.1% for a month\n* Cost within the quarter's budget\n* Incidents: none caused by this choice in a quarter\n\n");
            } else {
                s.push_str("## Validation Criteria\n\n* Latency: p99 < 200ms\n* Incidents: none caused by this choice in a quarter\n\n");
            }
            s.push_str(&links_section(plan, i, true));
        }
    }
    s
}

/// Generate a tree under `out`: returns (files, bytes).
pub fn write_tree(out: &std::path::Path, count: usize, seed: u64) -> std::io::Result<(usize, u64)> {
    write_tree_with(out, count, seed, FOLDERS)
}

/// Generate a tree under `out` over a folder table ([`ADR_TOOLS`] also writes the `.adr-dir`
/// file adr-tools and `adrs` look for): returns (files, bytes).
pub fn write_tree_with(
    out: &std::path::Path,
    count: usize,
    seed: u64,
    table: &'static [(&'static str, GenDialect)],
) -> std::io::Result<(usize, u64)> {
    write_tree_profile(out, count, seed, table, Profile::Standard)
}

/// [`write_tree_with`] in a profile ([`Profile::Rich`] with [`RICH`] is the second profile).
pub fn write_tree_profile(
    out: &std::path::Path,
    count: usize,
    seed: u64,
    table: &'static [(&'static str, GenDialect)],
    profile: Profile,
) -> std::io::Result<(usize, u64)> {
    let plan = plan_profile(count, seed, table, profile);
    let folders = if count < 40 { 3.min(table.len()) } else { table.len() };
    for (f, _) in table.iter().take(folders) {
        std::fs::create_dir_all(out.join(f))?;
    }
    if table.len() == 1 {
        std::fs::write(out.join(".adr-dir"), format!("{}\n", table[0].0))?;
    }
    let mut bytes = 0u64;
    for i in 0..plan.len() {
        let text = render(&plan, i, seed);
        bytes += text.len() as u64;
        std::fs::write(out.join(plan[i].table[plan[i].folder].0).join(&plan[i].file), text)?;
    }
    Ok((plan.len(), bytes))
}

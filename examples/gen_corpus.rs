//! Generate a realistic ADR tree for benchmarks and scale tests.
//!
//! `cargo run --release --example gen_corpus -- --count 10000 --seed 7 --out /tmp/adrs`
//!
//! The tree mixes the dialects adrgraph reads (seed template, Nygard/adr-tools, MADR 2 bullets,
//! MADR 4 front matter) in several folders whose numbers restart, with supersessions written on
//! both sides, amendments and references across folders. The same count and seed give the same
//! bytes, so a benchmark can be rerun on exactly the same input. With no arguments it generates
//! 200 decisions into a temporary folder, checks that adrgraph reads every one of them back with
//! its links resolved, and removes the folder (`--style rich` checks the second profile so).

#[path = "../benches/common/gen.rs"]
#[allow(dead_code)]
mod gen;

use clap::Parser;
use std::path::PathBuf;

/// Generate a deterministic ADR tree.
#[derive(Parser)]
struct Args {
    /// Number of decisions.
    #[arg(long, default_value_t = 200)]
    count: usize,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder (created). Without it, a temporary folder is used and checked.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Layout: `mixed` (eight folders, four dialects), `adr-tools` (one `doc/adr` folder of
    /// Nygard records, with the `.adr-dir` file adr-tools and `adrs` read), or `rich`, the second
    /// profile, which differs where real trees differ: long rich-template records (three to five
    /// options argued with pros, cons, cost and risk; phases; validation criteria), three in five
    /// of them in one folder (6,000 of 10,000), and four to twelve prose links in each.
    #[arg(long, default_value = "mixed", value_parser = ["mixed", "adr-tools", "rich"])]
    style: String,
}

fn main() {
    let args = Args::parse();
    let tmp;
    let out = match &args.out {
        Some(o) => o.clone(),
        None => {
            tmp = tempfile::tempdir().expect("temporary folder");
            tmp.path().to_path_buf()
        }
    };
    let (table, profile) = match args.style.as_str() {
        "adr-tools" => (gen::ADR_TOOLS, gen::Profile::Standard),
        "rich" => (gen::RICH, gen::Profile::Rich),
        _ => (gen::FOLDERS, gen::Profile::Standard),
    };
    let (files, bytes) =
        gen::write_tree_profile(&out, args.count, args.seed, table, profile).expect("tree written");
    println!("wrote {files} decisions, {:.1} MB, to {}", bytes as f64 / 1e6, out.display());
    if args.out.is_none() {
        // Read the tree back: every file is a decision and every generated link resolves.
        let corpus = adrgraph::ingest(&adrgraph::IngestOptions::new([&out])).expect("readable");
        let graph = adrgraph::graph_of(&corpus);
        let stats = graph.stats(&corpus.adrs);
        println!(
            "read back {} decisions, {} supersedes / {} amends / {} references edges, {} unresolved links",
            corpus.adrs.len(),
            stats.edges.get("supersedes").unwrap_or(&0),
            stats.edges.get("amends").unwrap_or(&0),
            stats.edges.get("references").unwrap_or(&0),
            stats.broken_links
        );
        assert_eq!(corpus.adrs.len(), files);
        assert_eq!(stats.broken_links, 0);
    }
}

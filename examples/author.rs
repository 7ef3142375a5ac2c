//! Writing a decision: "add the next record to this folder, the way its records are written".
//!
//! `author::new_record` looks at the folder in the corpus (the dialect most of its records use,
//! how their files are named, the highest number) and at its own template file, and plans a
//! `Draft`: the path and text of the new record. Nothing is written until `author::create`,
//! which takes the number again under a lock on the folder, creates the file exclusively
//! through the audited writer, reads it back and parses it.
//!
//! Relations are planned the same way: `author::supersede` plans the edits of both records as
//! `Change`s (here a supersession in part, which leaves the older record in force for the rest),
//! and `author::apply` writes them all or none; the check it is given (`author::Errors`, the
//! tree's errors before and after, with `author::reread` reading back only the changed files)
//! puts every file back if the tree would gain an error.
//!
//! Run it with `cargo run --example author`; it reads `data/` and writes into a temporary copy of
//! its `infrastructure/` folder (an adr-tools folder), never into `data/` itself.

use adrgraph::author::{self, NewRecord};
use adrgraph::ingest::{ingest, IngestOptions};

fn main() -> Result<(), adrgraph::Error> {
    // 1. A copy of an adr-tools folder to write into.
    let copy = tempfile::tempdir().map_err(|e| adrgraph::Error::Io { path: "temp".into(), source: e })?;
    let folder = copy.path().join("infrastructure");
    std::fs::create_dir(&folder).map_err(|e| adrgraph::Error::Io { path: folder.clone(), source: e })?;
    for entry in std::fs::read_dir("data/infrastructure").expect("data/infrastructure exists") {
        let entry = entry.expect("readable");
        std::fs::copy(entry.path(), folder.join(entry.file_name())).expect("copied");
    }
    let corpus = ingest(&IngestOptions::new([copy.path()]))?;

    // 2. How the folder writes its records: adr-tools' dialect, `0001-slug.md`, up to 8.
    let style = author::FolderStyle::of(&corpus, &folder);
    println!(
        "{}: {:?}, {:?}, highest number {}",
        folder.display(),
        style.dialect,
        style.scheme,
        style.highest
    );

    // 3. The plan: the folder's own template (`template.md`) filled with the next number, the
    //    title, the date and adr-tools' default status. `diff` is what `--dry-run` prints.
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).expect("a date");
    let req = NewRecord {
        title: "Use Kafka for telemetry".into(),
        folder: folder.clone(),
        status: None,
        date,
        dialect: None,
        fallback: adrgraph::Dialect::Seed,
        template: None,
    };
    let draft = author::new_record(&corpus, &req)?;
    print!("{}", draft.diff("infrastructure/0009-use-kafka-for-telemetry.md"));

    // 4. Written: exclusively, read back, parsed. The file now reads as record 9, in force.
    let written = author::create(draft, date)?;
    let again = ingest(&IngestOptions::new([copy.path()]))?;
    let adr = again.find("infrastructure/9", std::path::Path::new("/"))?;
    println!("wrote {} ({}, {})", written.path.display(), adr.display_title(), adr.status);
    assert_eq!((adr.number, adr.dialect), (Some(9), adrgraph::Dialect::Nygard));

    // 5. Record 9 supersedes the storage part of record 5: both files gain one line, record 5
    //    keeps its status. Planned first (each change's diff is what `--dry-run` prints)...
    let graph = adrgraph::graph_of(&again);
    let at = |n: &str| again.find_index(n, std::path::Path::new("/"));
    let (old, new) = (at("infrastructure/5")?, at("infrastructure/9")?);
    let changes = author::supersede(&again, &graph, old, new, false, Some("where secrets are stored"), date)?;
    for c in &changes {
        print!("{}", c.diff());
    }
    // ...then applied, checked against the errors the tree had before.
    let cfg = adrgraph::lint::LintConfig::default();
    let before = author::Errors::of(&again, &graph, &cfg);
    let changed: Vec<_> = changes.iter().filter_map(|c| again.index_where(|a| a.path == c.path)).collect();
    let vocabulary = adrgraph::parse::Vocabulary::default();
    author::apply(&changes, &|| {
        let after = author::reread(&again, &changed, &vocabulary)?;
        before.gained(&author::Errors::of(&after, &adrgraph::graph_of(&after), &cfg)).map_or(Ok(()), Err)
    })?;
    let last = ingest(&IngestOptions::new([copy.path()]))?;
    let chain = adrgraph::query::chain(&adrgraph::graph_of(&last), &last.adrs, old);
    println!("in force: {:?}; in force in part: {:?}", chain.in_force, chain.in_part);
    assert_eq!(chain.in_part, vec![last.adrs[old].id.clone()]);
    Ok(())
}

//! Golden tests: every file under `tests/fixtures/dialects/` is parsed and the whole record plus
//! diagnostics is compared with its YAML snapshot in `tests/snapshots/`.

use adrgraph::parse::{parse_bytes, ParseOptions};

#[test]
fn dialect_fixtures() {
    insta::glob!("fixtures/dialects/*.md", |path| {
        let bytes = std::fs::read(path).expect("fixture readable");
        let name = path.file_name().expect("file name").to_string_lossy().into_owned();
        let parsed = parse_bytes(&bytes, &format!("dialects/{name}"), &name, ParseOptions::default());
        insta::assert_yaml_snapshot!(parsed);
    });
}

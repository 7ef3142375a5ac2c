//! Property tests: whatever the text, parsing returns (never panics), and the record survives a
//! round trip through JSON unchanged.

use adrgraph::parse::{parse_bytes, ParseOptions};
use proptest::prelude::*;

/// Markdown-shaped text: lines built from the pieces ADRs are made of, plus arbitrary noise.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# ".to_string()),
        Just("## Status\n".to_string()),
        Just("## Considered Options\n".to_string()),
        Just("### Option 1: ".to_string()),
        Just("* Status: ".to_string()),
        Just("**Date:** ".to_string()),
        Just("Superseded by [x](0002-x.md)".to_string()),
        Just("Chosen option: \"".to_string()),
        Just("---\n".to_string()),
        Just("> ".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("```\n".to_string()),
        Just("ADR-12 ".to_string()),
        Just("\n".to_string()),
        "[a-zA-Z0-9 .:,\\[\\]()*#>|_`\"'{}-]{0,12}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn parsing_never_panics_and_round_trips(text in markdownish()) {
        let parsed = parse_bytes(text.as_bytes(), "p/0001-x.md", "0001-x.md", ParseOptions::default());
        let json = serde_json::to_string(&parsed.adr).unwrap();
        let back: adrgraph::Adr = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, parsed.adr);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let parsed = parse_bytes(&bytes, "p/x.md", "x.md", ParseOptions::default());
        prop_assert!(parsed.adr.path == "p/x.md");
    }
}

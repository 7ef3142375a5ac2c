//! Bytes in, record and diagnostics out: the parser must never panic, whatever the bytes, and
//! what it returns must survive a JSON round trip unchanged.
#![no_main]

use adrgraph::parse::{parse_bytes, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = parse_bytes(data, "adr/0007-fuzz.md", "0007-fuzz.md", ParseOptions::default());
    for d in &parsed.diagnostics {
        assert_eq!(d.path, "adr/0007-fuzz.md", "a diagnostic names another file: {d:?}");
    }
    let json = serde_json::to_string(&parsed.adr).expect("a record always serialises");
    let back: adrgraph::Adr = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(serde_json::to_string(&back).unwrap(), json, "JSON round trip changed the record");
});

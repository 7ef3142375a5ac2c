//! The one filter of characters that no output may carry, whatever its format: terminal
//! controls (C0, C1, DEL), bidirectional overrides and isolates (they reorder what a reader
//! sees), the byte-order mark (U+FEFF) and Unicode noncharacters (U+FFFE, U+FFFF and the other
//! 64), which XML forbids. Human text, DOT, SVG (through DOT), Mermaid, GraphML, GitHub
//! annotations and SARIF all drop them through [`is_forbidden`]; JSON escapes them instead.

/// Whether `c` must not appear in any output. Line breaks and tabs are controls too: each
/// output decides what they become before asking.
pub fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// A path as a URI reference (SARIF's `artifactLocation.uri`): every byte outside RFC 3986's
/// unreserved characters and `/` percent-encoded (`0004-c#-vs-f#.md` -> `0004-c%23-vs-f%23.md`),
/// after the forbidden characters are dropped.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars().filter(|c| !is_forbidden(*c)) {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/') {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters() {
        for c in [
            '\u{1b}',
            '\u{7}',
            '\u{9b}',
            '\u{7f}',
            '\u{202e}',
            '\u{2067}',
            '\u{feff}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{fdd0}',
            '\u{1fffe}',
            '\u{10ffff}',
            '\n',
        ] {
            assert!(is_forbidden(c), "{:?}", c);
        }
        for c in ['a', 'é', '日', '\u{1F680}', '\u{fffd}', '"', '<'] {
            assert!(!is_forbidden(c), "{:?}", c);
        }
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("adr/0004-c#-vs-f#.md"), "adr/0004-c%23-vs-f%23.md");
        assert_eq!(uri_path("a b/ü?.md"), "a%20b/%C3%BC%3F.md");
        assert_eq!(uri_path("x\u{1b}[31m.md"), "x%5B31m.md");
    }
}

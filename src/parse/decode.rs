//! Bytes to text: UTF-8 (BOM stripped), UTF-16 with a BOM, else lossy UTF-8 with an
//! `invalid-utf8` diagnostic naming the line of the first bad byte.

use super::*;

/// Decode bytes as text. UTF-8 (with or without BOM) and UTF-16 with a BOM are read; invalid
/// UTF-8 sequences are replaced with U+FFFD and reported once, with the line of the first one;
/// NUL bytes mark a binary file and are reported.
pub fn decode<'a>(bytes: &'a [u8], path: &str) -> (Cow<'a, str>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        let text: String =
            char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
        diags.push(Diagnostic::new(
            path,
            0,
            Severity::Note,
            "utf16",
            "file is UTF-16; read as such (UTF-8 is expected in ADR trees)",
        ));
        return (Cow::Owned(text), diags);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(pos) = memchr::memchr(0, body) {
        let line = body[..pos].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        diags.push(Diagnostic::new(
            path,
            line,
            Severity::Error,
            "binary",
            "file contains NUL bytes: it looks binary, not markdown",
        ));
    }
    match std::str::from_utf8(body) {
        Ok(s) => (Cow::Borrowed(s), diags),
        Err(e) => {
            let valid = e.valid_up_to();
            let line = body[..valid].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let bad = String::from_utf8_lossy(body).matches('\u{FFFD}').count();
            if !diags.iter().any(|d| d.code == "binary") {
                diags.push(Diagnostic::new(
                    path,
                    line,
                    Severity::Error,
                    "invalid-utf8",
                    format!("invalid UTF-8 (first at byte {valid}); {bad} sequence(s) replaced with U+FFFD"),
                ));
            }
            (Cow::Owned(String::from_utf8_lossy(body).into_owned()), diags)
        }
    }
}

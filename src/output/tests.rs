use super::*;

#[test]
fn json_escapes_what_a_terminal_or_javascript_would_act_on() {
    let text = "a\u{1b}[31m \u{9b}1m \u{2028} \u{202e}x \u{1F680} é \"q\" \\";
    let out = String::from_utf8(json_bytes(&text).unwrap()).unwrap();
    assert_eq!(out, "\"a\\u001b[31m \\u009b1m \\u2028 \\u202ex \u{1F680} é \\\"q\\\" \\\\\"\n");
    assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
    let nested = serde_json::json!({"k\u{9b}": ["\u{2029}"], "n": 1});
    let back: serde_json::Value = serde_json::from_slice(&json_bytes(&nested).unwrap()).unwrap();
    assert_eq!(back, nested);
}

#[test]
fn long_lines_are_quoted_as_a_window_and_long_marks_capped() {
    let line = format!("{}[x](0001-a.md){}", "a ".repeat(400), " b".repeat(400));
    let col = 802;
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    let (text, start, len) = excerpt(&chars(&line), col, Some("x"));
    assert!(text.chars().count() <= QUOTE_WIDTH + 2, "{}", text.len());
    assert_eq!(text.chars().nth(start), Some('x'), "{text}");
    assert_eq!(len, 1);
    let (_, _, len) = excerpt(&chars(&"y".repeat(500)), 1, Some(&"y".repeat(500)));
    assert_eq!(len, MARK_WIDTH);
    let (text, start, len) = excerpt(&chars("  short line"), 3, None);
    assert_eq!((text.as_str(), start, len), ("  short line", 2, 10));
}

#[test]
fn clean_strips_controls() {
    assert_eq!(clean("a\x1b[31mred\x07\u{202E}b", false), "a[31mredb");
    assert_eq!(clean("a\nb", true), "a\nb");
    assert_eq!(clean("a\nb", false), "a b");
}

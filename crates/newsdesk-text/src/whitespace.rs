//! Whitespace normalisation and char-safe truncation.

/// Collapses every run of whitespace (including no-break spaces and line breaks) into one
/// space, drops zero-width characters and trims both ends.
///
/// ```
/// assert_eq!(newsdesk_text::normalize_whitespace("\t a\u{a0}\u{200b}b \n\n c "), "a b c");
/// ```
pub fn normalize_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        ) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Cuts `s` to at most `max_chars` characters (never inside a character), adding `…` when cut.
///
/// ```
/// assert_eq!(newsdesk_text::truncate_chars("héllo wörld", 5), "héllo…");
/// assert_eq!(newsdesk_text::truncate_chars("short", 10), "short");
/// ```
pub fn truncate_chars(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
        None => s.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn collapses_and_trims() {
        assert_eq!(normalize_whitespace(""), "");
        assert_eq!(normalize_whitespace("   "), "");
        assert_eq!(normalize_whitespace("a\r\n\r\nb"), "a b");
        assert_eq!(normalize_whitespace("\u{a0}x\u{a0}\u{a0}y\u{3000}"), "x y");
        assert_eq!(normalize_whitespace("日本 語"), "日本 語");
    }

    #[test]
    fn truncation_is_char_safe() {
        assert_eq!(truncate_chars("日本語のテキスト", 3), "日本語…");
        assert_eq!(truncate_chars("", 3), "");
        assert_eq!(truncate_chars("abc", 3), "abc");
    }
}

//! Names that outside content chooses (a feed's title becomes a source's name) and that are
//! printed to terminals and shown as labels.

/// `s` without control characters (C0, DEL, C1: terminal escape sequences start with them) and
/// without the bidirectional overrides and isolates that reorder what a reader sees; line
/// breaks and tabs become spaces, and the result is trimmed.
///
/// ```
/// use newsdesk_core::clean_label;
/// assert_eq!(clean_label("\u{1b}[31mRed\u{1b}[0m News\u{7}"), "[31mRed[0m News");
/// assert_eq!(clean_label(" Le\tMonde\n"), "Le Monde");
/// assert_eq!(clean_label("abc\u{202e}fed"), "abcfed");
/// ```
pub fn clean_label(s: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let cleaned: String = s
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() || bidi(c) => None,
            c => Some(c),
        })
        .collect();
    cleaned.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_c1_controls_go_text_stays() {
        let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31mNews\u{0}\u{7f}";
        let clean = clean_label(evil);
        assert!(!clean.chars().any(char::is_control), "{clean:?}");
        assert!(clean.ends_with("31mNews"));
        assert_eq!(
            clean_label("Süddeutsche Zeitung — 日本"),
            "Süddeutsche Zeitung — 日本"
        );
    }
}

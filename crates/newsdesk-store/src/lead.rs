//! The short lead shown in article lists.

/// Longest lead, in characters (an ellipsis may follow).
pub const LEAD_CHARS: usize = 300;

/// The lead of an article: its summary when it has one, else the start of its body text;
/// whitespace collapsed, at most [`LEAD_CHARS`] characters cut at a word boundary.
pub fn lead(summary: Option<&str>, body_text: &str) -> Option<String> {
    summary
        .and_then(|s| shorten(s, LEAD_CHARS))
        .or_else(|| shorten(body_text, LEAD_CHARS))
}

/// Collapses whitespace and cuts `text` to at most `max` characters at a word boundary, adding
/// `…` when something was cut. `None` for blank text.
fn shorten(text: &str, max: usize) -> Option<String> {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return None;
    }
    // Byte offset of the first character past the limit (char-boundary safe).
    let Some((cut, _)) = collapsed.char_indices().nth(max) else {
        return Some(collapsed);
    };
    let head = &collapsed[..cut];
    let head = if collapsed[cut..].starts_with(' ') {
        head
    } else {
        // Drop the partial last word, unless it is the only one.
        match head.rfind(' ') {
            Some(space) if space > 0 => &head[..space],
            _ => head,
        }
    };
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
    Some(format!("{head}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(
            lead(None, "  Bonjour\n\n le monde "),
            Some("Bonjour le monde".into())
        );
        assert_eq!(lead(Some(" "), ""), None);
        assert_eq!(lead(Some("Résumé"), "body"), Some("Résumé".into()));
    }

    #[test]
    fn long_text_is_cut_at_a_word_boundary() {
        let word = "Straße ";
        let body = word.repeat(100);
        let l = lead(None, &body).expect("a lead");
        assert!(l.ends_with("Straße…"), "{l}");
        assert!(l.chars().count() <= LEAD_CHARS + 1);
        assert!(l.chars().count() > LEAD_CHARS - word.len());
    }

    #[test]
    fn one_giant_word_is_cut_on_a_char_boundary() {
        let body = "é".repeat(1000);
        let l = lead(None, &body).expect("a lead");
        assert_eq!(l.chars().count(), LEAD_CHARS + 1);
    }
}

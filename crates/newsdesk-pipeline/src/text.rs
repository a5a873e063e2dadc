//! Small text helpers the pipeline needs at its edges.

/// `n` and the noun in the right number: `counted(1, "entry", "entries")` is "1 entry".
pub fn counted(n: u64, one: &str, other: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { other })
}

/// The first `max` characters of `s`, cut at a word boundary, with an ellipsis when cut.
pub fn lead_of(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_right_number() {
        assert_eq!(counted(0, "entry", "entries"), "0 entries");
        assert_eq!(counted(1, "entry", "entries"), "1 entry");
        assert_eq!(counted(2, "new article", "new articles"), "2 new articles");
    }

    #[test]
    fn lead_is_char_safe() {
        let s = "Ünïcödé ".repeat(100);
        let l = lead_of(&s, 50);
        assert!(l.chars().count() <= 51);
        assert!(l.ends_with('…'));
        assert_eq!(lead_of("short", 50), "short");
    }
}

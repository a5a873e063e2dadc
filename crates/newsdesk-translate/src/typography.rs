//! Typography of the target language: quotation marks and the spaces French puts around them
//! and before `; : ! ?`.

use crate::quotes::scan_quotes;

/// Narrow no-break space (U+202F), inside French guillemets and before `; ! ?`.
pub const NARROW_NBSP: char = '\u{202F}';
/// No-break space (U+00A0), before a French colon.
pub const NBSP: char = '\u{A0}';

/// Quotation marks of a language: outer pair, inner pair, and whether French spacing applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteStyle {
    /// Outer opening and closing marks.
    pub outer: (char, char),
    /// Inner (nested) opening and closing marks.
    pub inner: (char, char),
    /// French spacing: narrow no-break spaces inside guillemets and before `; ! ?`, a no-break
    /// space before `:`.
    pub french_spacing: bool,
}

/// The quotation style of a language (ISO 639-1).
pub fn quote_style(lang: &str) -> QuoteStyle {
    let (outer, inner, french_spacing) = match lang {
        "fr" => (('«', '»'), ('“', '”'), true),
        "de" | "cs" | "sk" | "sl" | "hr" | "sh" | "bg" | "lt" => (('„', '“'), ('‚', '‘'), false),
        "es" | "ca" | "gl" | "it" | "pt" | "ru" | "uk" | "be" | "el" | "oc" | "eu" => {
            (('«', '»'), ('“', '”'), false)
        }
        "pl" | "ro" | "hu" | "nl" => (('„', '”'), ('«', '»'), false),
        "sv" | "fi" => (('”', '”'), ('’', '’'), false),
        _ => (('“', '”'), ('‘', '’'), false),
    };
    QuoteStyle {
        outer,
        inner,
        french_spacing,
    }
}

/// Rewrites matched quotation marks in the style of `lang` and applies its spacing rules.
/// Unmatched marks are left as they are.
pub fn apply_typography(text: &str, lang: &str) -> String {
    let style = quote_style(lang);
    let scan = scan_quotes(text);
    // Byte offset of a mark → replacement role.
    let mut role: std::collections::HashMap<usize, (bool, usize)> =
        std::collections::HashMap::new();
    for p in &scan.pairs {
        role.insert(p.open, (true, p.depth));
        role.insert(p.close, (false, p.depth));
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(&(opening, depth)) = role.get(&i) {
            let (o, cl) = if depth == 0 { style.outer } else { style.inner };
            if opening {
                out.push(o);
                // Drop the spaces after an opening mark; French wants a narrow no-break one.
                while chars
                    .peek()
                    .is_some_and(|&(_, n)| n == ' ' || n == NBSP || n == NARROW_NBSP)
                {
                    chars.next();
                }
                if style.french_spacing && o == '«' {
                    out.push(NARROW_NBSP);
                }
            } else {
                while out.ends_with([' ', NBSP, NARROW_NBSP]) {
                    out.pop();
                }
                if style.french_spacing && cl == '»' {
                    out.push(NARROW_NBSP);
                }
                out.push(cl);
            }
            continue;
        }
        if style.french_spacing && matches!(c, ';' | '!' | '?' | ':') {
            let next = chars.peek().map(|&(_, n)| n);
            let ends_clause = next.is_none_or(|n| {
                n.is_whitespace() || matches!(n, '»' | '”' | '"' | ')' | '!' | '?')
            });
            let after_word = out
                .trim_end_matches([' ', NBSP, NARROW_NBSP])
                .chars()
                .last()
                .is_some_and(|p| p.is_alphanumeric() || matches!(p, '»' | '”' | ')' | '%'));
            if ends_clause && after_word && !out.ends_with(['!', '?']) {
                while out.ends_with([' ', NBSP, NARROW_NBSP]) {
                    out.pop();
                }
                out.push(if c == ':' { NBSP } else { NARROW_NBSP });
            }
        }
        out.push(c);
    }
    out
}

/// Puts back curly single quotation marks that a backend turned into ASCII `'` (Apertium writes
/// `‘nunca'`): only when the text sent had curly ones and the answer has fewer.
pub fn repair_single_quotes(sent: &str, raw: &str) -> String {
    let count = |s: &str, c: char| s.chars().filter(|&x| x == c).count();
    let (open_s, close_s) = (count(sent, '‘'), count(sent, '’'));
    let (mut open_r, mut close_r) = (count(raw, '‘'), count(raw, '’'));
    if !raw.contains('\'') || (open_r >= open_s && close_r >= close_s) {
        return raw.to_string();
    }
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c != '\'' {
            out.push(c);
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let opening = prev.is_none_or(|p| p.is_whitespace() || is_opening_mark(p))
            && next.is_some_and(char::is_alphanumeric);
        let closing =
            prev.is_some_and(|p| !p.is_whitespace()) && next.is_none_or(|n| !n.is_alphanumeric());
        if opening && open_r < open_s {
            out.push('‘');
            open_r += 1;
        } else if closing && close_r < close_s && open_r > 0 {
            out.push('’');
            close_r += 1;
        } else {
            out.push(c);
        }
    }
    out
}

fn is_opening_mark(c: char) -> bool {
    matches!(c, '“' | '«' | '„' | '"' | '(' | '[')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_quotes_are_repaired_only_when_lost() {
        assert_eq!(
            repair_single_quotes("Never say ‘never’ to it", "Nunca decir ‘nunca' a él"),
            "Nunca decir ‘nunca’ a él"
        );
        assert_eq!(repair_single_quotes("l'eau", "l'eau"), "l'eau");
    }

    #[test]
    fn french_guillemets_and_high_punctuation() {
        assert_eq!(
            apply_typography("Il a dit \"non\" : c'est fini ! Vraiment ?", "fr"),
            "Il a dit «\u{202F}non\u{202F}»\u{A0}: c'est fini\u{202F}! Vraiment\u{202F}?"
        );
        assert_eq!(
            apply_typography("« Il a dit “ non ” hier »", "fr"),
            "«\u{202F}Il a dit “non” hier\u{202F}»"
        );
        // URLs and times keep their colons.
        assert_eq!(
            apply_typography("https://x.example à 14:30", "fr"),
            "https://x.example à 14:30"
        );
    }

    #[test]
    fn german_spanish_english_styles() {
        assert_eq!(
            apply_typography("Er sagte \"ja 'gut' ja\".", "de"),
            "Er sagte „ja 'gut' ja“."
        );
        assert_eq!(
            apply_typography("Er sagte “ja ‘gut’ ja”.", "de"),
            "Er sagte „ja ‚gut‘ ja“."
        );
        assert_eq!(apply_typography("Dijo \"sí\".", "es"), "Dijo «sí».");
        assert_eq!(apply_typography("He said «yes».", "en"), "He said “yes”.");
    }
}

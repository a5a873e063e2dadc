//! Words a backend did not know: Apertium's marks, read and taken out.
//!
//! Without its `-u` option Apertium marks what it could not translate: `*word` (not in the
//! source-language dictionary: copied as it was), `@word` (analysed, but missing from the
//! bilingual dictionary: the source lemma is printed) and `#word` (translated, but the
//! target form could not be generated). The translator keeps these marks internally:
//!
//! * on the first leg of a pivot route, an unknown word is protected by a placeholder so the
//!   second leg passes it through unchanged (names stay names), and so is a capitalised word
//!   that the first leg copied from the source (a name the first leg knew, such as `Moreno`,
//!   which a Spanish dictionary would otherwise translate as a colour);
//! * on a leg out of a pivot language, an unknown word that is not in the original segment is a
//!   pivot-language word leaking into the output: counted, and a segment with too many of them
//!   is rejected by the checker;
//! * the marks are always taken out before the text is emitted ([`MarkedText::clean`]).

/// One marked word of a backend's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedWord {
    /// `*` (unknown), `@` (not in the bilingual dictionary) or `#` (form not generated).
    pub mark: char,
    /// The word without its marks.
    pub word: String,
    /// Byte range of the marks and the word in the answer.
    pub range: (usize, usize),
}

impl MarkedWord {
    /// Whether the word was left untranslated (`*` or `@`; `#` words are translated, and a
    /// marked placeholder or number is not a word).
    pub fn untranslated(&self) -> bool {
        self.mark != '#'
            && self.word.chars().any(char::is_alphabetic)
            && !is_placeholder(&self.word)
    }
}

/// A backend's answer with its marks found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedText {
    /// The answer as received, marks included.
    pub raw: String,
    /// The marked words, in order.
    pub words: Vec<MarkedWord>,
}

/// Whether `w` is one of our placeholders (`ZZ12ZZ`), which Apertium marks as unknown.
fn is_placeholder(w: &str) -> bool {
    let upper = w.to_ascii_uppercase();
    upper
        .strip_prefix(crate::protect::PLACEHOLDER_PREFIX)
        .and_then(|r| r.strip_suffix(crate::protect::PLACEHOLDER_SUFFIX))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_mark(c: char) -> bool {
    matches!(c, '*' | '@' | '#')
}

/// Characters that may belong to a marked word (Apertium marks a whole token: `*J.` or
/// `*Okafor's` keep their inner punctuation; a final full stop is the sentence's).
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '.' | '_')
}

impl MarkedText {
    /// Finds the marks of `raw`, an answer to `sent` (the text sent, which has none of its own:
    /// hashtags and handles are protected before sending; a marked token that `sent` contains
    /// as it is, is not a mark).
    pub fn parse(raw: &str, sent: &str) -> MarkedText {
        let mut words = Vec::new();
        let mut chars = raw.char_indices().peekable();
        let mut prev: Option<char> = None;
        while let Some((start, c)) = chars.next() {
            let at_word_start = prev.is_none_or(|p| !p.is_alphanumeric() && !is_mark(p));
            if !(is_mark(c) && at_word_start) {
                prev = Some(c);
                continue;
            }
            // A run of marks, then the word.
            let mut mark = c;
            let mut word_start = start + c.len_utf8();
            while let Some(&(i, m)) = chars.peek() {
                if !is_mark(m) {
                    break;
                }
                // `**word`: marked by two legs; the last mark is this leg's.
                mark = m;
                word_start = i + m.len_utf8();
                chars.next();
            }
            let mut end = word_start;
            while let Some(&(i, w)) = chars.peek() {
                if !word_char(w) {
                    break;
                }
                end = i + w.len_utf8();
                chars.next();
            }
            // A sentence's final full stop is not part of the word (but `J.` is an initial).
            let mut word = &raw[word_start..end];
            while word.ends_with('.') && word.chars().filter(|c| c.is_alphanumeric()).count() > 1 {
                word = &word[..word.len() - 1];
            }
            let end = word_start + word.len();
            let token = &raw[start..end];
            prev = raw[..end].chars().next_back();
            if word.chars().next().is_some_and(char::is_alphanumeric) && !sent.contains(token) {
                words.push(MarkedWord {
                    mark,
                    word: word.to_string(),
                    range: (start, end),
                });
            }
        }
        MarkedText {
            raw: raw.to_string(),
            words,
        }
    }

    /// The answer without its marks.
    pub fn clean(&self) -> String {
        self.replace(|w| w.word.clone())
    }

    /// The answer with each marked word replaced by `f(word)`.
    pub fn replace(&self, mut f: impl FnMut(&MarkedWord) -> String) -> String {
        let mut out = String::with_capacity(self.raw.len());
        let mut at = 0;
        for w in &self.words {
            out.push_str(&self.raw[at..w.range.0]);
            out.push_str(&f(w));
            at = w.range.1;
        }
        out.push_str(&self.raw[at..]);
        out
    }

    /// The words left untranslated (`*` and `@`).
    pub fn untranslated(&self) -> impl Iterator<Item = &str> {
        self.words
            .iter()
            .filter(|w| w.untranslated())
            .map(|w| w.word.as_str())
    }
}

/// The words of a text, lower-cased, without surrounding punctuation; a hyphenated or
/// apostrophed word counts whole and by its parts (`extra-time`, `extra`, `time`).
pub(crate) fn word_set(text: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for token in text.split(|c: char| !word_char(c)) {
        let whole = token.trim_matches(|c: char| !c.is_alphanumeric());
        if whole.is_empty() {
            continue;
        }
        out.insert(whole.to_lowercase());
        for part in whole.split(|c: char| !c.is_alphanumeric()) {
            if !part.is_empty() {
                out.insert(part.to_lowercase());
            }
        }
    }
    out
}

/// Pivot-language words of a leg's answer: untranslated words that the original segment
/// does not have (a name the original has is passed through, not leaked).
pub fn pivot_leaks<'a>(marked: &'a MarkedText, original: &str) -> Vec<&'a str> {
    let original = word_set(original);
    marked
        .untranslated()
        .filter(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            !original.contains(&bare.to_lowercase())
        })
        .collect()
}

/// Share of the words of `clean` that are in `leaks`.
pub fn leak_share(leaks: usize, clean: &str) -> f64 {
    let words = clean
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    if words == 0 {
        0.0
    } else {
        leaks as f64 / words as f64
    }
}

/// Capitalised words of `original` that are not its first word nor the first word of a
/// sentence inside it: likely names. A leg that copied one of them unchanged passed a name
/// through, and the next leg must too.
pub fn inner_capitalised_words(original: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let mut sentence_start = true;
    for token in original.split_whitespace() {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        let starts_upper = word.chars().next().is_some_and(char::is_uppercase);
        let has_lower = word.chars().any(char::is_lowercase);
        // After an opening quotation mark a capital says nothing either.
        let opens_quote = token
            .chars()
            .next()
            .is_some_and(crate::quotes::is_quote_mark);
        if !sentence_start && !opens_quote && starts_upper && has_lower && word.chars().count() >= 2
        {
            out.insert(word.to_string());
        }
        let bare = token.trim_end_matches(|c: char| crate::quotes::is_quote_mark(c) || c == ')');
        // `Dr.`, `Mr.`, `J.`: an abbreviation, not a sentence end.
        let abbreviation = bare.ends_with('.') && word.chars().count() <= 3;
        sentence_start = bare.ends_with(['.', '!', '?', ':', '…']) && !abbreviation;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_found_and_taken_out() {
        let m = MarkedText::parse(
            "Dr. Amelia **Hart cumplió *J. @goes a #ciudad. Sigue ZZ1ZZ.",
            "Dr. Amelia Hart met J. goes to the city. Follow ZZ1ZZ.",
        );
        let words: Vec<(char, &str)> = m.words.iter().map(|w| (w.mark, w.word.as_str())).collect();
        assert_eq!(
            words,
            vec![('*', "Hart"), ('*', "J."), ('@', "goes"), ('#', "ciudad")]
        );
        assert_eq!(
            m.clean(),
            "Dr. Amelia Hart cumplió J. goes a ciudad. Sigue ZZ1ZZ."
        );
        assert_eq!(
            m.untranslated().collect::<Vec<_>>(),
            vec!["Hart", "J.", "goes"]
        );
        // Placeholders are unknown to Apertium: the mark goes, but they are no words.
        let p = MarkedText::parse("Sube *ZZ1ZZ a *12.", "Up ZZ1ZZ to 12.");
        assert_eq!(p.clean(), "Sube ZZ1ZZ a 12.");
        assert_eq!(p.untranslated().count(), 0);
        // The final full stop is the sentence's.
        let end = MarkedText::parse("Con *Zylvania.", "With Zylvania.");
        assert_eq!(end.words[0].word, "Zylvania");
        assert_eq!(end.clean(), "Con Zylvania.");
    }

    #[test]
    fn text_of_the_source_is_not_a_mark() {
        let m = MarkedText::parse(
            "Nota *importante: 3 * 4 = 12, correo a@b.",
            "Note *importante: 3 * 4 = 12, mail a@b.",
        );
        assert!(m.words.is_empty(), "{:?}", m.words);
        assert_eq!(m.clean(), m.raw);
    }

    #[test]
    fn pivot_leaks_are_unknown_words_the_original_lacks() {
        let m = MarkedText::parse(
            "Il a dit que le climat *noticioso de *Okafor *J. était @bueno.",
            "Dijo que el clima noticioso de Okafor J. era bueno.",
        );
        let leaks = pivot_leaks(&m, "He said the news climate of Okafor J. was good.");
        assert_eq!(leaks, vec!["noticioso", "bueno"]);
        // Parts of a hyphenated or possessive source word are the source's too.
        let parts = MarkedText::parse("Le *extra temps de *Crane.", "El extra tiempo de Crane.");
        assert!(pivot_leaks(&parts, "Crane's extra-time goal.").is_empty());
        let share = leak_share(leaks.len(), &m.clean());
        assert!((share - 2.0 / 12.0).abs() < 1e-9, "{share}");
        assert_eq!(leak_share(0, ""), 0.0);
    }

    #[test]
    fn inner_capitalised_words_are_candidate_names() {
        let names = inner_capitalised_words(
            "Dr. Amelia Hart met J. K. Moreno in the U.S. capital. The Mayor said: “We stay.”",
        );
        let mut v: Vec<&str> = names.iter().map(String::as_str).collect();
        v.sort();
        assert_eq!(v, vec!["Amelia", "Hart", "Mayor", "Moreno"]);
    }
}

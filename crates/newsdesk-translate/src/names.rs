//! Personal and place names, found so that they pass through the backends untranslated.
//!
//! A dictionary-based backend translates every word it knows: "Elena Marsh" becomes "Elena
//! Pantano" (Spanish for marsh) and then "Le marais". [`Names`] holds what a whole text says
//! about its names:
//!
//! * capitalised words inside a sentence (not after a full stop or an opening quotation mark),
//!   except month and weekday names, in runs (`Walter de Vries`, `Green City Alliance`);
//! * the names given by the caller (an article's title and authors);
//! * so a word the text uses as a name elsewhere is a name at the start of a sentence too
//!   (`Marsh said…`), and a sentence's first word joins the name that follows it (`Elena`
//!   in `Elena Marsh won`) unless it is a function word or the text also writes it in lower case.
//!
//! In a language that capitalises every noun (German) a capital says nothing: only the given
//! names are used. A segment in title case (most of its words capitalised) is not read for new
//! names either; the names found elsewhere still apply to it.

use std::collections::HashSet;

use crate::facts::is_calendar_word;
use crate::quotes::is_quote_mark;

/// Lower-case words allowed between two words of a name (`Walter de Vries`).
const PARTICLES: &[&str] = &[
    "de", "del", "della", "di", "da", "do", "dos", "das", "van", "von", "der", "den", "la", "le",
    "du", "des", "of", "bin", "ibn", "al", "el", "ter", "zu",
];

/// Words that start a sentence without being part of the name after them.
const FUNCTION_WORDS: &[&str] = &[
    // English
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "for",
    "from",
    "to",
    "by",
    "with",
    "after",
    "before",
    "when",
    "while",
    "but",
    "and",
    "or",
    "as",
    "if",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "our",
    "its",
    "my",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "there",
    "here",
    "some",
    "many",
    "most",
    "all",
    "every",
    "each",
    "no",
    "under",
    "over",
    "during",
    "since",
    "until",
    "according",
    "despite",
    "across",
    "about",
    "between",
    "among",
    "mr",
    "mrs",
    "ms",
    "dr",
    "last",
    "next",
    "meanwhile",
    "then",
    "so",
    "yet",
    "why",
    "how",
    "what",
    "where",
    "who",
    "former",
    "new",
    "mayor",
    "president",
    "minister",
    "voters",
    "says",
    // French
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "au",
    "aux",
    "en",
    "dans",
    "pour",
    "par",
    "avec",
    "sur",
    "selon",
    "mais",
    "et",
    "ou",
    "il",
    "elle",
    "ils",
    "elles",
    "on",
    "ce",
    "cette",
    "ces",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "après",
    "avant",
    "depuis",
    "pendant",
    "maire",
    "madame",
    "monsieur",
    "m",
    // Spanish
    "el",
    "los",
    "las",
    "una",
    "unos",
    "unas",
    "con",
    "para",
    "por",
    "según",
    "pero",
    "y",
    "ella",
    "ellos",
    "este",
    "esta",
    "estos",
    "su",
    "sus",
    "tras",
    "desde",
    "durante",
    "alcaldesa",
    "alcalde",
    "señor",
    "señora",
];

/// Whether `lang` capitalises common nouns, so a capital does not mark a name.
fn capitalises_nouns(lang: &str) -> bool {
    matches!(lang, "de" | "lb")
}

/// A word of a segment with its byte range and whether a sentence starts at it.
#[derive(Debug, Clone)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    sentence_start: bool,
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '\'' | '’')
}

/// The words of `s`, with sentence starts (after `. ! ? :` and opening quotation marks).
fn words(s: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut sentence_start = true;
    let mut prev_word_len = 0usize;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (start, word_char(c)) {
            (None, true) if c.is_alphanumeric() => start = Some(i),
            (Some(st), false) => {
                // A trailing apostrophe or hyphen is not part of the word.
                let text = s[st..i].trim_end_matches(['-', '\'', '’']);
                let text = text
                    .strip_suffix("'s")
                    .or_else(|| text.strip_suffix("’s"))
                    .unwrap_or(text);
                out.push(Word {
                    text,
                    start: st,
                    end: st + text.len(),
                    sentence_start,
                });
                prev_word_len = text.chars().count();
                sentence_start = false;
                start = None;
                if i < s.len() {
                    note_punctuation(c, prev_word_len, &mut sentence_start);
                }
            }
            (None, false) if i < s.len() => note_punctuation(c, prev_word_len, &mut sentence_start),
            _ => {}
        }
    }
    out
}

fn note_punctuation(c: char, prev_word_len: usize, sentence_start: &mut bool) {
    // `Dr.`, `J.`: an abbreviation, not a sentence end.
    if (matches!(c, '!' | '?' | ':' | '…') || (c == '.' && prev_word_len > 3))
        || (is_quote_mark(c) || matches!(c, '(' | '[' | '—' | '–')) && !*sentence_start
    {
        *sentence_start = true;
    }
}

fn capitalised(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase)
}

/// What a text says about its names (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Names {
    lang: String,
    /// Words used as names in the text or given by the caller.
    known: HashSet<String>,
    /// Words the text writes in lower case.
    lower: HashSet<String>,
}

impl Names {
    /// No names: nothing is protected as a name.
    pub fn none() -> Names {
        Names::default()
    }

    /// The names of `text` (in `lang`, ISO 639-1), plus `given` ones (an article's title and
    /// authors: their capitalised words are names wherever the text uses them).
    pub fn from_text(text: &str, lang: &str, given: &[&str]) -> Names {
        let mut names = Names {
            lang: lang.to_string(),
            ..Names::default()
        };
        for g in given {
            for w in words(g) {
                if capitalised(w.text)
                    && !is_calendar_word(w.text, lang)
                    && !FUNCTION_WORDS.contains(&w.text.to_lowercase().as_str())
                {
                    names.known.insert(w.text.to_string());
                }
            }
        }
        for line in text.lines() {
            // The words of URLs and addresses (`https://valdoria.example`) say nothing.
            let line: String = line
                .split(' ')
                .map(|t| {
                    if t.contains("://") || t.contains("www.") || t.contains('@') {
                        ""
                    } else {
                        t
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            let ws = words(&line);
            for w in &ws {
                if w.text.chars().next().is_some_and(char::is_lowercase) {
                    names.lower.insert(w.text.to_string());
                }
            }
            if capitalises_nouns(lang) || title_case(&ws) {
                continue;
            }
            for w in &ws {
                if !w.sentence_start && capitalised(w.text) && !is_calendar_word(w.text, lang) {
                    names.known.insert(w.text.to_string());
                }
            }
        }
        // A given title word the text writes in lower case is a common word after all.
        let lower = names.lower.clone();
        names.known.retain(|w| !lower.contains(&w.to_lowercase()));
        names
    }

    /// Whether `word` is known as a name.
    pub fn contains(&self, word: &str) -> bool {
        self.known.contains(word)
    }

    /// Byte ranges of the names in `segment`, in order: runs of name words (with particles
    /// between them).
    pub(crate) fn spans(&self, segment: &str) -> Vec<(usize, usize)> {
        if self.known.is_empty() && self.lang.is_empty() {
            return Vec::new();
        }
        let ws = words(segment);
        let title = title_case(&ws);
        // A capital inside a sentence (or a known name): a candidate; alone, it is a name
        // unless the text also writes the word in lower case (`Green` of `Green City
        // Alliance` is a name, `Green` alone beside `green` may not be).
        let candidate = |w: &Word<'_>| {
            capitalised(w.text)
                && !is_calendar_word(w.text, &self.lang)
                && (self.known.contains(w.text)
                    || (!w.sentence_start && !title && !capitalises_nouns(&self.lang)))
        };
        let is_name = |w: &Word<'_>| {
            candidate(w)
                && (self.known.contains(w.text) || !self.lower.contains(&w.text.to_lowercase()))
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            if !candidate(&ws[i]) {
                i += 1;
                continue;
            }
            let mut first = i;
            // The sentence's first word joins the name after it, unless it is a function word
            // or a common word of the text.
            if i > 0 {
                let p = &ws[i - 1];
                let adjacent = segment[p.end..ws[i].start].trim().is_empty();
                if adjacent
                    && p.sentence_start
                    && capitalised(p.text)
                    && !is_calendar_word(p.text, &self.lang)
                    && !FUNCTION_WORDS.contains(&p.text.to_lowercase().as_str())
                    && !self.lower.contains(&p.text.to_lowercase())
                    && is_name(&ws[i])
                    && out.last().is_none_or(|&(_, e)| e <= p.start)
                {
                    first = i - 1;
                }
            }
            let mut last = i;
            let mut j = i + 1;
            while j < ws.len() {
                let gap = &segment[ws[j - 1].end..ws[j].start];
                // `Young & Baker`, `St Brendan's Church`.
                if matches!(gap, " & " | "'s " | "’s ") && candidate(&ws[j]) {
                    last = j;
                    j += 1;
                    continue;
                }
                if gap != " " {
                    break;
                }
                if candidate(&ws[j]) {
                    last = j;
                    j += 1;
                } else if PARTICLES.contains(&ws[j].text)
                    && j + 1 < ws.len()
                    && segment[ws[j].end..ws[j + 1].start] == *" "
                    && candidate(&ws[j + 1])
                {
                    last = j + 1;
                    j += 2;
                } else {
                    break;
                }
            }
            // Initials before the name (`J. K. Moreno`).
            while first > 0
                && out.last().is_none_or(|&(_, e)| e <= ws[first - 1].start)
                && ws[first - 1].text.chars().count() == 1
                && ws[first - 1].text.chars().all(char::is_uppercase)
                && segment[ws[first - 1].end..ws[first].start] == *". "
            {
                first -= 1;
            }
            if first == last && !is_name(&ws[first]) {
                i = last + 1;
                continue;
            }
            out.push((ws[first].start, ws[last].end));
            i = last + 1;
        }
        out
    }
}

/// Whether a line is in title case: at least three capitalised words of more than three letters
/// and no lower-case word but short function words (a headline in title case says nothing about
/// names).
fn title_case(ws: &[Word<'_>]) -> bool {
    let lower_ok = |w: &str| {
        w.chars().count() <= 4
            && (FUNCTION_WORDS.contains(&w) || PARTICLES.contains(&w) || w == "vs")
    };
    ws.iter()
        .filter(|w| capitalised(w.text) && w.text.chars().count() > 3)
        .count()
        >= 3
        && ws
            .iter()
            .all(|w| !w.text.starts_with(char::is_lowercase) || lower_ok(w.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, lang: &str, given: &[&str]) -> Vec<String> {
        let names = Names::from_text(text, lang, given);
        text.lines()
            .flat_map(|l| {
                names
                    .spans(l)
                    .into_iter()
                    .map(|(s, e)| l[s..e].to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn a_capital_beside_the_same_word_in_lower_case() {
        let text = "Elena Marsh ran for the Green City Alliance. A city can be affordable and green.\n\
                    The Green party and the Rose garden.";
        assert_eq!(
            found(text, "en", &[]),
            vec!["Elena Marsh", "Green City Alliance", "Rose"]
        );
    }

    #[test]
    fn names_inside_and_at_the_start_of_sentences() {
        let text = "Voters in Corvanne have elected Elena Marsh as mayor, ending Tomas Brandt's 12 years.\n\
                    Marsh will take office on April 1. The city council met on Sunday.\n\
                    Elena Marsh thanked Walter de Vries and the Green City Alliance.";
        assert_eq!(
            found(text, "en", &[]),
            vec![
                "Corvanne",
                "Elena Marsh",
                "Tomas Brandt",
                "Marsh",
                "Elena Marsh",
                "Walter de Vries",
                "Green City Alliance"
            ]
        );
    }

    #[test]
    fn given_names_and_german_nouns() {
        let de = "Die Stadt Corvanne hat gewählt. Die Wahlbeteiligung lag bei 61 Prozent.";
        assert_eq!(
            found(de, "de", &["Corvanne wählt Elena Marsh"]),
            vec!["Corvanne"]
        );
        // A quotation's first word is not a name.
        assert_eq!(
            found("She said: “Tonight we won,” and Brandt agreed.", "en", &[]),
            vec!["Brandt"]
        );
        assert_eq!(
            found("Dr. Amelia Hart met J. K. Moreno on Tuesday.", "en", &[]),
            vec!["Amelia Hart", "J. K. Moreno"]
        );
        assert_eq!(
            found(
                "Huelga contra Puertos de Valdoria. Robado de St Brendan's Church y Young & Baker.",
                "es",
                &[]
            ),
            vec![
                "Puertos de Valdoria",
                "St Brendan's Church",
                "Young & Baker"
            ]
        );
        // Title case says nothing.
        assert!(
            found(
                "Lifeboat Station Marks Its Anniversary With Parade",
                "en",
                &[]
            )
            .is_empty()
        );
    }
}

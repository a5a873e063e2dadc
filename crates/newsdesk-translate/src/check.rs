//! Checks on every translated segment: placeholders, numbers, quotation marks, length, and
//! (out of a pivot language) the share of words left in the pivot language.
//!
//! A segment that fails is retried alone, then kept in the original language with a visible
//! marker (see `Translator`): a broken sentence is never emitted silently.

use std::sync::LazyLock;

use regex::Regex;

use crate::protect::{PlaceholderProblem, Protected};
use crate::quotes::scan_quotes;

static NUMBER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\d+(?:[.,\u{202F}\u{A0}\u{2009}]\d+)*").ok());

/// Why a translated segment was rejected.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckFailure {
    /// The backend returned nothing.
    Empty,
    /// A placeholder was lost, duplicated or invented.
    Placeholder(PlaceholderProblem),
    /// The numbers of the translation differ from the source's.
    Numbers {
        /// Numbers of the source missing in the translation.
        missing: Vec<String>,
        /// Numbers in the translation that the source does not have.
        extra: Vec<String>,
    },
    /// Quotation marks are unbalanced, or their count changed.
    Quotes {
        /// Matched pairs and unmatched marks in the source.
        source: (usize, usize),
        /// Matched pairs and unmatched marks in the translation.
        translated: (usize, usize),
    },
    /// The translation is implausibly shorter or longer than the source.
    LengthRatio(f64),
    /// The backend left a debugging mark (`#word`, `@word`) that the source did not have.
    BackendMark(String),
    /// The backend glued words together (`Walterde91años`) in a way the repair could not undo.
    Glued(Vec<String>),
    /// Too many words of the pivot language were left untranslated by a leg out of it.
    PivotLeak {
        /// Share of the segment's words that are leaked pivot-language words.
        share: f64,
        /// The leaked words.
        words: Vec<String>,
    },
}

impl std::fmt::Display for CheckFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckFailure::Empty => write!(f, "empty translation"),
            CheckFailure::Placeholder(p) => write!(f, "{p}"),
            CheckFailure::Numbers { missing, extra } => {
                write!(f, "numbers changed (missing {missing:?}, extra {extra:?})")
            }
            CheckFailure::Quotes { source, translated } => write!(
                f,
                "quotation marks changed ({} pairs/{} unmatched → {} pairs/{} unmatched)",
                source.0, source.1, translated.0, translated.1
            ),
            CheckFailure::LengthRatio(r) => write!(f, "length ratio {r:.2} out of bounds"),
            CheckFailure::BackendMark(m) => write!(f, "backend mark {m:?} in output"),
            CheckFailure::Glued(w) => write!(f, "words glued together {w:?}"),
            CheckFailure::PivotLeak { share, words } => write!(
                f,
                "{:.0}% of the words left in the pivot language {words:?}",
                share * 100.0
            ),
        }
    }
}

/// Bounds on the length of a translation relative to its source, in characters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LengthBounds {
    /// Smallest ratio accepted for segments of at least `min_chars` characters.
    pub min_ratio: f64,
    /// Largest ratio accepted for segments of at least `min_chars` characters.
    pub max_ratio: f64,
    /// Shorter segments are only checked against the looser bounds ×/÷ 2.5.
    pub min_chars: usize,
}

impl Default for LengthBounds {
    fn default() -> Self {
        LengthBounds {
            min_ratio: 0.5,
            max_ratio: 2.0,
            min_chars: 24,
        }
    }
}

/// Checks one hop's raw answer against the text sent (both with placeholders): not empty,
/// placeholders intact, quotation marks as balanced as the source, length plausible, no backend
/// marks.
pub fn check_hop(sent: &Protected, raw: &str, bounds: LengthBounds) -> Result<(), CheckFailure> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(CheckFailure::Empty);
    }
    sent.restore(raw).map_err(CheckFailure::Placeholder)?;
    let qs = scan_quotes(&sent.text);
    let qt = scan_quotes(raw);
    let s = (qs.pairs.len(), qs.unmatched.len());
    let t = (qt.pairs.len(), qt.unmatched.len());
    if s != t {
        return Err(CheckFailure::Quotes {
            source: s,
            translated: t,
        });
    }
    let ns = sent.text.chars().count();
    let nt = raw.chars().count();
    if ns > 0 {
        let ratio = nt as f64 / ns as f64;
        let (lo, hi) = if ns >= bounds.min_chars {
            (bounds.min_ratio, bounds.max_ratio)
        } else {
            (bounds.min_ratio / 2.5, bounds.max_ratio * 2.5)
        };
        if ratio < lo || ratio > hi {
            return Err(CheckFailure::LengthRatio(ratio));
        }
    }
    for word in raw.split_whitespace() {
        if (word.starts_with('#') || word.starts_with('@') || word.starts_with('*'))
            && word.chars().nth(1).is_some_and(char::is_alphabetic)
            && !sent.text.contains(word)
        {
            return Err(CheckFailure::BackendMark(word.to_string()));
        }
    }
    Ok(())
}

/// Checks the share of pivot-language words a leg left untranslated (see `unknown.rs`):
/// rejected above `max_share` (a segment of one or two words is never rejected for one leak).
pub fn check_pivot_leaks(leaks: &[&str], clean: &str, max_share: f64) -> Result<(), CheckFailure> {
    let share = crate::unknown::leak_share(leaks.len(), clean);
    if leaks.len() >= 2 && share > max_share || leaks.len() == 1 && share > max_share.max(0.5) {
        return Err(CheckFailure::PivotLeak {
            share,
            words: leaks.iter().map(|w| w.to_string()).collect(),
        });
    }
    Ok(())
}

/// The numbers of a text, sorted (a multiset).
pub fn numbers(text: &str) -> Vec<String> {
    let mut v: Vec<String> = NUMBER
        .as_ref()
        .map(|re| re.find_iter(text).map(|m| m.as_str().to_string()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Checks the final, restored translation against the original segment: the same numbers, and
/// quotation marks as balanced as the source's.
pub fn check_final(original: &str, translated: &str) -> Result<(), CheckFailure> {
    let a = numbers(original);
    let b = numbers(translated);
    if a != b {
        // A Roman numeral may become digits or the other way round ("siglo XIV" ↔ "14th
        // century"): such a difference is not a changed number.
        let missing = multiset_minus(&multiset_minus(&a, &b), &roman_numerals(translated));
        let extra = multiset_minus(&multiset_minus(&b, &a), &roman_numerals(original));
        if !missing.is_empty() || !extra.is_empty() {
            return Err(CheckFailure::Numbers { missing, extra });
        }
    }
    let glued = glued_tokens(original, translated);
    if !glued.is_empty() {
        return Err(CheckFailure::Glued(glued));
    }
    let qs = scan_quotes(original);
    let qt = scan_quotes(translated);
    let s = (qs.pairs.len(), qs.unmatched.len());
    let t = (qt.pairs.len(), qt.unmatched.len());
    if s != t {
        return Err(CheckFailure::Quotes {
            source: s,
            translated: t,
        });
    }
    Ok(())
}

static ROMAN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b[MDCLXVI]{2,}\b").ok());

/// Values of the Roman numerals (two letters or more) of a text, as decimal strings.
pub fn roman_numerals(text: &str) -> Vec<String> {
    let Some(re) = ROMAN.as_ref() else {
        return Vec::new();
    };
    re.find_iter(text)
        .filter_map(|m| roman_value(m.as_str()))
        .map(|v| v.to_string())
        .collect()
}

/// The value of a canonical Roman numeral (`XIV` → 14); `None` when not canonical.
fn roman_value(s: &str) -> Option<u32> {
    let digit = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Vec<u32> = s.chars().map(digit).collect::<Option<_>>()?;
    let mut total = 0i64;
    for (i, v) in values.iter().enumerate() {
        match values.get(i + 1) {
            Some(next) if next > v => total -= i64::from(*v),
            _ => total += i64::from(*v),
        }
    }
    let total = u32::try_from(total).ok()?;
    // Canonical only: writing the value back gives the same letters.
    (to_roman(total) == s).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    const TABLE: &[(u32, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for &(v, r) in TABLE {
        while n >= v {
            out.push_str(r);
            n -= v;
        }
    }
    out
}

/// Whether a token mixes letters and digits (`de91años`), outside placeholders.
fn mixes_letters_and_digits(token: &str) -> bool {
    let t = PLACEHOLDER_IN_TOKEN
        .as_ref()
        .map_or(std::borrow::Cow::Borrowed(token), |re| {
            re.replace_all(token, " ")
        });
    t.split(|c: char| !c.is_alphanumeric()).any(|part| {
        part.chars().any(|c| c.is_ascii_digit()) && part.chars().any(char::is_alphabetic)
    })
}

static PLACEHOLDER_IN_TOKEN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)zz\d{1,5}zz").ok());

/// Tokens of `translated` that glue letters to digits (`Walterde91años`) where `original` has
/// no such token: words a backend ran together.
pub fn glued_tokens(original: &str, translated: &str) -> Vec<String> {
    let known: std::collections::HashSet<&str> = original
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    translated
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !known.contains(t) && mixes_letters_and_digits(t))
        // Ordinals and units a backend writes after a figure (`1er`, `2.º`, `5km`) are not glue:
        // a short letter tail after the digits.
        .filter(|t| {
            let tail = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
            !(t.starts_with(|c: char| c.is_ascii_digit())
                && tail.chars().count() <= 3
                && tail.chars().all(char::is_alphabetic))
        })
        .map(str::to_string)
        .collect()
}

/// Undoes the gluing of words by a backend (Apertium writes `91-year-old Walter` as
/// `Walterde91años`): inside a token that the text sent does not have, a space goes between
/// letters and digits, around placeholders, and after a word of the text sent that starts an
/// alphabetic run (`Walterde` → `Walter de`). What cannot be explained is left for
/// [`glued_tokens`] to catch.
pub fn repair_glued(sent: &str, raw: &str) -> String {
    let sent_words: std::collections::HashSet<&str> = sent
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .collect();
    let sent_tokens: std::collections::HashSet<&str> = sent.split_whitespace().collect();
    let mut out = String::with_capacity(raw.len() + 8);
    for (i, token) in raw.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if sent_tokens.contains(token) || !mixes_letters_and_digits(token) {
            out.push_str(token);
            continue;
        }
        out.push_str(&split_glued(token, &sent_words));
    }
    out
}

fn split_glued(token: &str, sent_words: &std::collections::HashSet<&str>) -> String {
    let placeholders: Vec<(usize, usize)> = PLACEHOLDER_IN_TOKEN
        .as_ref()
        .map(|re| re.find_iter(token).map(|m| (m.start(), m.end())).collect())
        .unwrap_or_default();
    let in_ph = |i: usize| placeholders.iter().any(|&(s, e)| s <= i && i < e);
    let mut pieces: Vec<String> = vec![String::new()];
    let mut prev: Option<(usize, char)> = None;
    for (i, c) in token.char_indices() {
        if let Some((pi, p)) = prev {
            let boundary = if in_ph(i) != in_ph(pi) {
                p.is_alphanumeric() && c.is_alphanumeric()
            } else {
                !in_ph(i)
                    && ((p.is_ascii_digit() && c.is_alphabetic())
                        || (p.is_alphabetic() && c.is_ascii_digit())
                        || (p.is_alphanumeric() && matches!(c, '*' | '@' | '#')))
            };
            if boundary {
                pieces.push(String::new());
            }
        }
        if let Some(last) = pieces.last_mut() {
            last.push(c);
        }
        prev = Some((i, c));
    }
    pieces
        .iter()
        .map(|p| split_known_prefix(p, sent_words))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Walterde` → `Walter de` when `Walter` is a word of the text sent and something is left.
fn split_known_prefix(run: &str, sent_words: &std::collections::HashSet<&str>) -> String {
    let lead = run.len() - run.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    let word = &run[lead..];
    let mut best: Option<usize> = None;
    for (i, _) in word.char_indices().skip(2) {
        if sent_words.contains(&word[..i])
            && word[..i].starts_with(char::is_uppercase)
            && word[i..].starts_with(char::is_alphabetic)
        {
            best = Some(i);
        }
    }
    match best {
        Some(i) => format!("{} {}", &run[..lead + i], &word[i..]),
        None => run.to_string(),
    }
}

fn multiset_minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut rest: Vec<&String> = b.iter().collect();
    let mut out = Vec::new();
    for x in a {
        if let Some(i) = rest.iter().position(|y| *y == x) {
            rest.swap_remove(i);
        } else {
            out.push(x.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::protect;

    #[test]
    fn accepts_a_faithful_translation() {
        let p = protect("The “Daily Courier” said 12 people came.");
        let raw = "El “ZZ1ZZ” dijo que vinieron ZZ2ZZ personas.";
        assert_eq!(check_hop(&p, raw, LengthBounds::default()), Ok(()));
    }

    #[test]
    fn rejects_broken_translations() {
        let p = protect("He said “it is over” on 5 May, after 12 years.");
        let b = LengthBounds::default();
        assert!(matches!(check_hop(&p, "", b), Err(CheckFailure::Empty)));
        assert!(matches!(
            check_hop(&p, "Dijo “se acabó el ZZ1ZZ de mayo, tras ZZ2ZZ años.", b),
            Err(CheckFailure::Quotes { .. })
        ));
        assert!(matches!(
            check_hop(&p, "Dijo “se acabó” el ZZ1ZZ de mayo.", b),
            Err(CheckFailure::Placeholder(PlaceholderProblem::Missing(2)))
        ));
        assert!(matches!(
            check_hop(&p, "“ZZ1ZZ ZZ2ZZ”", b),
            Err(CheckFailure::LengthRatio(_))
        ));
        assert!(matches!(
            check_hop(&p, "Dijo “se acabó” el ZZ1ZZ de #mayo, tras ZZ2ZZ años.", b),
            Err(CheckFailure::BackendMark(_))
        ));
        assert_eq!(
            roman_numerals("siglo XIV, Luis XVI y MIX, IX"),
            vec!["14", "16", "1009", "9"]
        );
        assert_eq!(roman_numerals("IIII IC"), Vec::<String>::new());
        assert_eq!(
            check_final(
                "del siglo XIV, 3,2 millones",
                "of the 14th century, 3,2 million"
            ),
            Ok(())
        );
        assert_eq!(check_final("the 14th century", "el siglo XIV"), Ok(()));
        assert!(check_final("the 14th century", "el siglo XV").is_err());
        assert!(matches!(
            check_final("12 people", "13 personas"),
            Err(CheckFailure::Numbers { .. })
        ));
    }

    #[test]
    fn glued_words_are_repaired_or_caught() {
        let sent = "The oldest member, 91-year-old ZZ1ZZ, served.";
        assert_eq!(
            repair_glued(
                "The oldest member, 91-year-old Walter Penhale, served.",
                "El miembro, Walterde91años *Penhale, servido."
            ),
            "El miembro, Walter de 91 años *Penhale, servido."
        );
        assert_eq!(
            repair_glued(sent, "El miembro, *de91años*ZZ1ZZ, servido."),
            "El miembro, *de 91 años *ZZ1ZZ, servido."
        );
        assert_eq!(
            glued_tokens("Walter Penhale, 91, served", "Walterde91años Penhale"),
            vec!["Walterde91años"]
        );
        assert!(
            glued_tokens("the 1st of May, COVID-19, 5km", "le 1er mai, COVID-19, 5km").is_empty()
        );
        assert!(check_final("Walter, 91", "Walterde91años").is_err());
    }

    #[test]
    fn too_many_pivot_words_are_rejected() {
        let clean = "Le budget de la ville est noticioso et bueno cette année.";
        assert_eq!(check_pivot_leaks(&[], clean, 0.15), Ok(()));
        assert_eq!(check_pivot_leaks(&["noticioso"], clean, 0.15), Ok(()));
        assert!(matches!(
            check_pivot_leaks(&["noticioso", "bueno"], clean, 0.15),
            Err(CheckFailure::PivotLeak { ref words, .. }) if words.len() == 2
        ));
        // One leaked word in a two-word title is not enough to reject it…
        assert_eq!(check_pivot_leaks(&["bueno"], "Très bueno", 0.15), Ok(()));
        // …but a segment that is mostly pivot language is.
        assert!(check_pivot_leaks(&["bueno"], "bueno", 0.15).is_err());
    }
}

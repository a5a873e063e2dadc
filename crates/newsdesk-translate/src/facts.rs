//! Numbers, percentages, amounts of money and dates written the way the target language writes
//! them: `52.3%` in English is `52,3 %` in French, `April 1` is `1er avril`, `4,000` is `4 000`
//! (with a narrow no-break space).
//!
//! [`find_facts`] finds these spans in a segment (read with the source language's conventions:
//! `1,234.5` in English, `1 234,5` in French, `1.234,5` in Spanish and German) and [`localise`]
//! writes one span for the target language. The protector replaces each span by a placeholder,
//! so the backend never sees (and cannot change) the figure, and the restore puts back the
//! localised form once the checks have passed on the original one.
//!
//! A bare four-digit integer is left as it is (`2026` is a year as often as a quantity); a
//! number that the source wrote with group separators, or of five digits or more, is grouped.

use std::sync::LazyLock;

use regex::Regex;

use crate::typography::{NARROW_NBSP, NBSP};

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const ES_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const DE_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// Month names of a language (ISO 639-1) we read and write dates in.
fn months(lang: &str) -> Option<&'static [&'static str; 12]> {
    match lang {
        "en" => Some(&EN_MONTHS),
        "fr" => Some(&FR_MONTHS),
        "es" => Some(&ES_MONTHS),
        "de" => Some(&DE_MONTHS),
        _ => None,
    }
}

/// Whether `word` is a month or weekday name in `lang` (capitalised in English and German, but
/// not a name to protect).
pub(crate) fn is_calendar_word(word: &str, lang: &str) -> bool {
    const EN_DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    months(lang).is_some_and(|m| m.iter().any(|x| x.eq_ignore_ascii_case(word)))
        || (lang == "en" && EN_DAYS.iter().any(|d| d.eq_ignore_ascii_case(word)))
}

/// Separators of a language: (group, decimal).
fn separators(lang: &str) -> (char, char) {
    match lang {
        "en" | "ja" | "zh" | "ko" | "he" | "th" => (',', '.'),
        "fr" | "ru" | "uk" | "pl" | "cs" | "sv" | "fi" | "nb" | "no" => (NARROW_NBSP, ','),
        _ => ('.', ','),
    }
}

/// A fact's kind, with what is needed to write it again.
#[derive(Debug, Clone, PartialEq)]
enum Fact {
    Number(Num),
    Percent(Num),
    Money {
        currency: char,
        amount: Num,
        /// 1 = none, 3 = thousand, 6 = million, 9 = billion.
        scale: u8,
    },
    Date {
        day: u32,
        month: usize,
        year: Option<String>,
    },
}

/// A number as written: integer digits, fraction digits, whether it was grouped.
#[derive(Debug, Clone, PartialEq)]
struct Num {
    int: String,
    frac: Option<String>,
    grouped: bool,
}

static EN_NUMBER: &str = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{5,}";
static EU_NUMBER: &str = r"\d{1,3}(?:[\u{202F}\u{A0} .]\d{3})+(?:,\d+)?|\d+,\d+|\d{5,}";

struct Patterns {
    number: Regex,
    percent: Regex,
    money_before: Regex,
    money_after: Regex,
    date: Option<Regex>,
}

fn patterns_for(lang: &str) -> Option<Patterns> {
    let num = if separators(lang).0 == ',' {
        EN_NUMBER
    } else {
        EU_NUMBER
    };
    let any_num = format!(r"(?:{num}|\d+)");
    let number = Regex::new(&format!(r"\b(?:{num})\b")).ok()?;
    let percent = Regex::new(&format!(r"\b{any_num}[\u{{202F}}\u{{A0}} ]?%")).ok()?;
    let money_before = Regex::new(&format!(
        r"[$€£¥]\s?{any_num}(?:\s(thousand|million|billion|bn)\b|(bn|m)\b)?"
    ))
    .ok()?;
    let money_after = Regex::new(&format!(r"\b{any_num}[\u{{202F}}\u{{A0}} ]?[$€£¥]")).ok()?;
    let date = months(lang).and_then(|m| {
        let names = m.join("|");
        let re = match lang {
            "en" => format!(
                r"\b(?:({names})\s(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s(\d{{4}})\b)?|(\d{{1,2}})(?:st|nd|rd|th)?\s({names})\b(?:,?\s(\d{{4}})\b)?)"
            ),
            "fr" => format!(r"\b(1er|\d{{1,2}})\s({names})\b(?:\s(\d{{4}})\b)?"),
            "es" => format!(r"\b(\d{{1,2}})\sde\s({names})\b(?:\sde\s(\d{{4}})\b)?"),
            _ => format!(r"\b(\d{{1,2}})\.\s({names})\b(?:\s(\d{{4}})\b)?"),
        };
        Regex::new(&format!("(?i:{re})")).ok()
    });
    Some(Patterns {
        number,
        percent,
        money_before,
        money_after,
        date,
    })
}

static PATTERNS: LazyLock<Vec<(&'static str, Option<Patterns>)>> = LazyLock::new(|| {
    ["en", "fr", "es", "de"]
        .into_iter()
        .map(|l| (l, patterns_for(l)))
        .collect()
});

fn patterns(lang: &str) -> Option<&'static Patterns> {
    let key = match lang {
        "en" | "fr" | "es" => lang,
        _ => "de",
    };
    PATTERNS
        .iter()
        .find(|(l, _)| *l == key)
        .and_then(|(_, p)| p.as_ref())
}

/// Reads a number written with `lang`'s separators.
fn parse_number(s: &str, lang: &str) -> Option<Num> {
    let (group, decimal) = separators(lang);
    let groups: &[char] = if group == ',' {
        &[',']
    } else {
        &[NARROW_NBSP, NBSP, ' ', '.', '\u{2009}']
    };
    let (int_part, frac) = match s.rfind(decimal) {
        Some(i) if decimal == ',' || !s[i + 1..].contains(groups) => (
            &s[..i],
            Some(s[i + decimal.len_utf8()..].to_string()).filter(|f| !f.is_empty()),
        ),
        _ => (s, None),
    };
    let grouped = int_part.contains(groups);
    let int: String = int_part.chars().filter(char::is_ascii_digit).collect();
    if int.is_empty()
        || frac
            .as_ref()
            .is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(Num { int, frac, grouped })
}

/// Writes a number with `lang`'s separators.
fn write_number(n: &Num, lang: &str) -> String {
    let (group, decimal) = separators(lang);
    let mut int = String::new();
    let digits = n.int.len();
    let group_it = n.grouped || digits >= 5;
    for (i, c) in n.int.chars().enumerate() {
        if group_it && i > 0 && (digits - i).is_multiple_of(3) {
            int.push(group);
        }
        int.push(c);
    }
    match &n.frac {
        Some(f) => format!("{int}{decimal}{f}"),
        None => int,
    }
}

fn currency_name(c: char, lang: &str) -> &'static str {
    match (lang, c) {
        ("fr", '$') => "de dollars",
        ("fr", '€') => "d’euros",
        ("fr", '£') => "de livres",
        ("fr", _) => "de yens",
        ("es", '$') => "de dólares",
        ("es", '€') => "de euros",
        ("es", '£') => "de libras",
        ("es", _) => "de yenes",
        ("de", '$') => "Dollar",
        ("de", '€') => "Euro",
        ("de", '£') => "Pfund",
        (_, _) => "Yen",
    }
}

fn scale_word(scale: u8, plural: bool, lang: &str) -> &'static str {
    match (lang, scale, plural) {
        ("en", 3, _) => "thousand",
        ("en", 6, _) => "million",
        ("en", _, _) => "billion",
        ("fr", 3, _) => "mille",
        ("fr", 6, false) => "million",
        ("fr", 6, true) => "millions",
        ("fr", _, false) => "milliard",
        ("fr", _, true) => "milliards",
        ("es", 3, _) => "mil",
        ("es", 6, false) => "millón",
        ("es", 6, true) => "millones",
        ("es", _, _) => "mil millones",
        (_, 3, _) => "Tausend",
        (_, 6, false) => "Million",
        (_, 6, true) => "Millionen",
        (_, _, false) => "Milliarde",
        (_, _, true) => "Milliarden",
    }
}

fn write(fact: &Fact, lang: &str) -> Option<String> {
    let sep = if lang == "fr" { NARROW_NBSP } else { NBSP };
    Some(match fact {
        Fact::Number(n) => write_number(n, lang),
        Fact::Percent(n) if lang == "en" => format!("{}%", write_number(n, lang)),
        Fact::Percent(n) => format!("{}{sep}%", write_number(n, lang)),
        Fact::Money {
            currency,
            amount,
            scale,
        } => {
            let n = write_number(amount, lang);
            let plural = amount.int != "1" || amount.frac.is_some();
            match (lang, *scale) {
                ("en", 1) => format!("{currency}{n}"),
                ("en", s) => format!("{currency}{n} {}", scale_word(s, plural, lang)),
                (_, 1) => format!("{n}{sep}{currency}"),
                (_, s) => format!(
                    "{n} {} {}",
                    scale_word(s, plural, lang),
                    currency_name(*currency, lang)
                ),
            }
        }
        Fact::Date { day, month, year } => {
            let m = months(lang)?.get(*month)?;
            let year = year.as_deref();
            match lang {
                "en" => match year {
                    Some(y) => format!("{m} {day}, {y}"),
                    None => format!("{m} {day}"),
                },
                "fr" => {
                    let d = if *day == 1 {
                        "1er".to_string()
                    } else {
                        day.to_string()
                    };
                    match year {
                        Some(y) => format!("{d} {m} {y}"),
                        None => format!("{d} {m}"),
                    }
                }
                "es" => match year {
                    Some(y) => format!("{day} de {m} de {y}"),
                    None => format!("{day} de {m}"),
                },
                _ => match year {
                    Some(y) => format!("{day}. {m} {y}"),
                    None => format!("{day}. {m}"),
                },
            }
        }
    })
}

fn month_index(name: &str, lang: &str) -> Option<usize> {
    months(lang)?
        .iter()
        .position(|m| m.to_lowercase() == name.to_lowercase())
}

/// A fact found in a segment: its byte range and what it says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoundFact {
    pub start: usize,
    pub end: usize,
    fact: Fact,
}

/// The numbers, percentages, amounts and dates of `segment`, read with `lang`'s conventions,
/// in order and not overlapping. Languages we have no conventions for give none.
pub(crate) fn find_facts(segment: &str, lang: &str) -> Vec<FoundFact> {
    if !matches!(lang, "en" | "fr" | "es" | "de") {
        return Vec::new();
    }
    let Some(p) = patterns(lang) else {
        return Vec::new();
    };
    let mut found: Vec<FoundFact> = Vec::new();
    let number_in = |s: &str| -> Option<Num> {
        let digits_at = s.find(|c: char| c.is_ascii_digit())?;
        let end = s
            .rfind(|c: char| c.is_ascii_digit())
            .map(|i| i + 1)
            .unwrap_or(s.len());
        parse_number(&s[digits_at..end], lang)
    };
    if let Some(re) = &p.date {
        for c in re.captures_iter(segment) {
            let Some(whole) = c.get(0) else { continue };
            let (day, month, year) = if lang == "en" {
                match (c.get(1), c.get(2), c.get(4), c.get(5)) {
                    (Some(m), Some(d), _, _) => (d.as_str(), m.as_str(), c.get(3)),
                    (_, _, Some(d), Some(m)) => (d.as_str(), m.as_str(), c.get(6)),
                    _ => continue,
                }
            } else {
                match (c.get(1), c.get(2)) {
                    (Some(d), Some(m)) => (d.as_str(), m.as_str(), c.get(3)),
                    _ => continue,
                }
            };
            let Ok(day) = day.trim_end_matches("er").parse::<u32>() else {
                continue;
            };
            let Some(month) = month_index(month, lang) else {
                continue;
            };
            if !(1..=31).contains(&day) {
                continue;
            }
            // "May" is also a verb and a name: only with a day beside it is it a month, and an
            // English month needs its capital.
            if lang == "en"
                && !c
                    .get(0)
                    .is_some_and(|w| w.as_str().contains(char::is_uppercase))
            {
                continue;
            }
            found.push(FoundFact {
                start: whole.start(),
                end: whole.end(),
                fact: Fact::Date {
                    day,
                    month,
                    year: year.map(|y| y.as_str().to_string()),
                },
            });
        }
    }
    for m in p.money_before.captures_iter(segment) {
        let Some(whole) = m.get(0) else { continue };
        let s = whole.as_str();
        let Some(currency) = s.chars().next() else {
            continue;
        };
        let scale = match m.get(1).or(m.get(2)).map(|x| x.as_str()) {
            Some("thousand") => 3,
            Some("million" | "m") => 6,
            Some("billion" | "bn") => 9,
            _ => 1,
        };
        let digits_end = m
            .get(1)
            .or(m.get(2))
            .map_or(s.len(), |x| x.start() - whole.start());
        let Some(amount) = number_in(&s[..digits_end]) else {
            continue;
        };
        found.push(FoundFact {
            start: whole.start(),
            end: whole.end(),
            fact: Fact::Money {
                currency,
                amount,
                scale,
            },
        });
    }
    for m in p.money_after.find_iter(segment) {
        let s = m.as_str();
        let Some(currency) = s.chars().next_back() else {
            continue;
        };
        let Some(amount) = number_in(s) else { continue };
        found.push(FoundFact {
            start: m.start(),
            end: m.end(),
            fact: Fact::Money {
                currency,
                amount,
                scale: 1,
            },
        });
    }
    for m in p.percent.find_iter(segment) {
        let Some(n) = number_in(m.as_str()) else {
            continue;
        };
        found.push(FoundFact {
            start: m.start(),
            end: m.end(),
            fact: Fact::Percent(n),
        });
    }
    for m in p.number.find_iter(segment) {
        let Some(n) = parse_number(m.as_str(), lang) else {
            continue;
        };
        found.push(FoundFact {
            start: m.start(),
            end: m.end(),
            fact: Fact::Number(n),
        });
    }
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<FoundFact> = Vec::new();
    for f in found {
        if kept.last().is_some_and(|k| f.start < k.end) {
            continue;
        }
        kept.push(f);
    }
    kept
}

/// `fact` written for `to`; `None` when `to` has no conventions here (the original is kept).
pub(crate) fn localise(fact: &FoundFact, to: &str) -> Option<String> {
    if !matches!(to, "en" | "fr" | "es" | "de") {
        return None;
    }
    write(&fact.fact, to)
}

/// The figures of `text` written for `to`, as a reader of that language expects them: what
/// [`crate::Translator`] does to each segment's numbers, percentages, amounts and dates.
///
/// ```
/// use newsdesk_translate::localise_facts;
/// assert_eq!(localise_facts("52.3% on April 1; 4,000 homes", "en", "fr"),
///            "52,3\u{202F}% on 1er avril; 4\u{202F}000 homes");
/// ```
pub fn localise_facts(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for f in find_facts(text, from) {
        out.push_str(&text[at..f.start]);
        match localise(&f, to) {
            Some(l) => out.push_str(&l),
            None => out.push_str(&text[f.start..f.end]),
        }
        at = f.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(s: &str) -> String {
        localise_facts(s, "en", "fr").replace(NARROW_NBSP, "_")
    }

    #[test]
    fn english_figures_in_french() {
        assert_eq!(fr("won 52.3% of the vote"), "won 52,3_% of the vote");
        assert_eq!(fr("on April 1."), "on 1er avril.");
        assert_eq!(fr("on Sunday 8 March 2026,"), "on Sunday 8 mars 2026,");
        assert_eq!(fr("March 14, 2026"), "14 mars 2026");
        assert_eq!(
            fr("4,000 new homes and 312,000 voters"),
            "4_000 new homes and 312_000 voters"
        );
        assert_eq!(
            fr("in 2026 and 1962, 27 years"),
            "in 2026 and 1962, 27 years"
        );
        assert_eq!(fr("a €20 ticket"), "a 20_€ ticket");
        assert_eq!(fr("a $4.5 million deal"), "a 4,5 millions de dollars deal");
        assert_eq!(fr("he may 1 day"), "he may 1 day");
        assert_eq!(fr("1,234.56 km"), "1_234,56 km");
    }

    #[test]
    fn other_directions() {
        assert_eq!(
            localise_facts("le 1er avril, 52,3 % et 4 000 logements", "fr", "en"),
            "le April 1, 52.3% et 4,000 logements"
        );
        assert_eq!(
            localise_facts("el 8 de marzo de 2026, 1.234,5 €", "es", "de"),
            "el 8. März 2026, 1.234,5\u{A0}€"
        );
        assert_eq!(localise_facts("52.3%", "en", "es"), "52,3\u{A0}%");
        assert_eq!(localise_facts("52.3%", "en", "ja"), "52.3%");
    }
}

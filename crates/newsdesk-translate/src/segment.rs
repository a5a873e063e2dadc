//! Sentence segmentation that never splits a quotation.
//!
//! A paragraph is cut after `.`, `!`, `?` or `…` (plus any closing quotes and brackets) when
//! whitespace and the start of a new sentence follow, unless the cut would fall inside a
//! matched quotation, or the word before the full stop is an abbreviation of the language or an
//! initial. A quotation that spans sentences, or starts mid-sentence, therefore stays one unit
//! with balanced marks. Unmatched marks (a quotation that continues in the next paragraph) do not
//! block cuts.

use crate::quotes::scan_quotes;

/// Abbreviations that end with a full stop without ending the sentence, lower-case, without
/// the final dot.
fn abbreviations(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &[
            "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "u.s",
            "u.k", "no", "fig", "approx", "gen", "gov", "sen", "rep", "lt", "col", "sgt", "inc",
            "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
            "oct", "nov", "dec", "mt", "ft", "p.m", "a.m",
        ],
        "fr" => &[
            "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "etc", "cf", "p",
            "env", "av", "apr", "j.-c", "n°", "no", "vol",
        ],
        "es" => &[
            "sr", "sra", "srta", "sres", "dr", "dra", "ud", "uds", "d", "da", "etc", "p", "pág",
            "núm", "no", "av", "avda", "gral", "lic", "ee.uu", "aprox", "cía",
        ],
        "de" => &[
            "hr", "fr", "dr", "prof", "nr", "bzw", "z.b", "usw", "ca", "vgl", "str", "u.a", "d.h",
            "s", "bspw", "evtl", "inkl", "jh", "mio", "mrd",
        ],
        "it" => &[
            "sig", "sigg", "dott", "prof", "ing", "avv", "ecc", "pag", "n", "on",
        ],
        "pt" => &["sr", "sra", "dr", "dra", "prof", "etc", "pág", "n", "av"],
        _ => &["dr", "prof", "etc", "st", "nr", "no"],
    }
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '”' | '“' | '»' | '’' | '‘' | '›' | ')' | ']' | '}')
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_numeric()
        || matches!(
            c,
            '"' | '“'
                | '„'
                | '«'
                | '‘'
                | '‚'
                | '‹'
                | '¿'
                | '¡'
                | '('
                | '['
                | '—'
                | '–'
                | '-'
                | '<'
        )
}

/// Splits a paragraph (no newlines) into sentences, trimmed, in order. The language (ISO 639-1)
/// chooses the abbreviation list.
pub fn split_sentences<'a>(paragraph: &'a str, lang: &str) -> Vec<&'a str> {
    let quotes = scan_quotes(paragraph);
    let abbrevs = abbreviations(lang);
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut k = 0usize;
    while k < chars.len() {
        let (_, c) = chars[k];
        if !is_terminal(c) {
            k += 1;
            continue;
        }
        let term_at = k;
        let mut j = k + 1;
        while j < chars.len() && is_terminal(chars[j].1) {
            j += 1;
        }
        while j < chars.len() && is_closer(chars[j].1) {
            j += 1;
        }
        // j is the first char after the sentence end; it must be whitespace.
        if j >= chars.len() || !chars[j].1.is_whitespace() {
            k = j.max(k + 1);
            continue;
        }
        let mut n = j;
        while n < chars.len() && chars[n].1.is_whitespace() {
            n += 1;
        }
        let end_byte = chars[j].0;
        let ok_next = n < chars.len() && starts_sentence(chars[n].1);
        // Inside a quotation when the cut falls before some pair's closing mark.
        let inside = quotes.inside(end_byte);
        let abbreviation =
            c == '.' && term_at + 1 == j && is_abbreviation(&chars, term_at, abbrevs, lang);
        if ok_next && !inside && !abbreviation {
            let sentence = paragraph[start..end_byte].trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = chars[n].0;
        }
        k = n.max(k + 1);
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Whether the word that ends at the full stop `dot` (an index into `chars`) is an abbreviation
/// or an initial, so the stop does not end the sentence.
fn is_abbreviation(chars: &[(usize, char)], dot: usize, abbrevs: &[&str], lang: &str) -> bool {
    let mut b = dot;
    while b > 0
        && !chars[b - 1].1.is_whitespace()
        && !matches!(chars[b - 1].1, '(' | '"' | '“' | '«' | '„')
    {
        b -= 1;
    }
    let word: String = chars[b..dot].iter().map(|&(_, c)| c).collect();
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    if abbrevs.contains(&lower.as_str()) {
        return true;
    }
    let mut letters = word.chars();
    // A single capital letter is an initial (J. Smith); U.S.-style dotted capitals too.
    if let (Some(first), None) = (letters.next(), letters.next())
        && first.is_uppercase()
    {
        return true;
    }
    if word.contains('.') && word.chars().filter(|c| c.is_alphabetic()).count() <= 4 {
        return true;
    }
    // German ordinals: "3. Oktober".
    lang == "de" && word.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            split_sentences("The vote is today. It may fail! Who knows? Nobody.", "en"),
            vec![
                "The vote is today.",
                "It may fail!",
                "Who knows?",
                "Nobody."
            ]
        );
    }

    #[test]
    fn keeps_quotation_spanning_sentences_whole() {
        let s = split_sentences(
            "He said: “We will not give up. We never have.” Then he left the room.",
            "en",
        );
        assert_eq!(
            s,
            vec![
                "He said: “We will not give up. We never have.”",
                "Then he left the room."
            ]
        );
        let fr = split_sentences(
            "Il a déclaré « Non. Jamais. » puis il est parti. Fin.",
            "fr",
        );
        assert_eq!(
            fr,
            vec!["Il a déclaré « Non. Jamais. » puis il est parti.", "Fin."]
        );
    }

    #[test]
    fn abbreviations_initials_and_decimals_do_not_split() {
        assert_eq!(
            split_sentences(
                "Dr. Smith met J. K. Rowling in the U.S. on Monday. It rained 3.5 mm.",
                "en"
            ),
            vec![
                "Dr. Smith met J. K. Rowling in the U.S. on Monday.",
                "It rained 3.5 mm."
            ]
        );
        assert_eq!(
            split_sentences("Am 3. Oktober feiern wir. Gut.", "de"),
            vec!["Am 3. Oktober feiern wir.", "Gut."]
        );
        assert_eq!(
            split_sentences("M. Dupont est arrivé. Mme Durand aussi.", "fr"),
            vec!["M. Dupont est arrivé.", "Mme Durand aussi."]
        );
    }

    #[test]
    fn unmatched_quote_does_not_swallow_the_paragraph() {
        let s = split_sentences(
            "“This continues in the next paragraph. And more. Still.",
            "en",
        );
        assert_eq!(s.len(), 3);
    }
}

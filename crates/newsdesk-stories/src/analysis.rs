//! What the stage reads from one article: folded words, names, numbers, quoted passages, URLs
//! and paragraph structure. Everything is computed from the article alone, in any script.

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;

use crate::transliteration::{fold_into, name_key};

/// A 64-bit feature hash (FNV-1a, seeded by the feature kind).
pub(crate) fn hash_feature(kind: u8, s: &str) -> u64 {
    hash_bytes(kind, s.as_bytes().iter().copied())
}

/// [`hash_feature`] of the text the characters `cs` spell, without building it.
pub(crate) fn hash_chars(kind: u8, cs: &[char]) -> u64 {
    let mut buf = [0u8; 4];
    hash_bytes(
        kind,
        cs.iter().flat_map(|c| {
            let n = c.encode_utf8(&mut buf).len();
            let mut b = [0u8; 4];
            b[..n].copy_from_slice(&buf[..n]);
            b.into_iter().take(n)
        }),
    )
}

fn hash_bytes(kind: u8, bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(kind);
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Final mix so that low bits are usable for sampling.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// The top two bits of a feature hash say which part of a vector it belongs to.
const PART_BITS: u64 = 0b11 << 62;

/// Parts of an article vector, each normalised on its own.
pub(crate) mod part {
    /// Words (language-specific).
    pub const WORD: usize = 0;
    /// Entities: names, numbers, URLs.
    pub const ENTITY: usize = 1;
    /// Character trigrams of names (cross-language, fuzzy).
    pub const GRAM: usize = 2;
}

/// Marks a hash as belonging to `part`.
pub(crate) fn in_part(h: u64, p: usize) -> u64 {
    (h & !PART_BITS) | ((p as u64) << 62)
}

/// The part a feature hash belongs to.
pub(crate) fn part_of(h: u64) -> usize {
    ((h >> 62) as usize).min(2)
}

/// Feature kinds (hash seeds).
pub(crate) mod kind {
    /// A folded word (prefix-truncated).
    pub const WORD: u8 = 1;
    /// A number (digit run).
    pub const NUMBER: u8 = 2;
    /// A name key.
    pub const NAME: u8 = 3;
    /// A word shingle.
    pub const SHINGLE: u8 = 4;
    /// A URL.
    pub const URL: u8 = 5;
    /// A character trigram of a name key.
    pub const NAME_GRAM: u8 = 6;
    /// A phonetic skeleton of a romanised title word or title.
    pub const SKELETON: u8 = 7;
}

/// Characters of scripts written without spaces between words (CJK, kana, Thai, …): such runs
/// are cut into character bigrams instead of words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF   // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK ext A
        | 0x4E00..=0x9FFF // CJK
        | 0xF900..=0xFAFF)
}

/// One token of the folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded text of the token.
    pub text: String,
    /// Whether the original started with an uppercase letter.
    pub capitalised: bool,
    /// Whether the token is a digit run.
    pub numeric: bool,
}

/// Splits `text` into tokens: runs of letters/digits (digits and letters split apart), folded;
/// runs of unspaced scripts become overlapping character bigrams.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut folded = Folded::default();
    tokens_into(text, &mut folded);
    folded
        .spans
        .iter()
        .map(|s| Token {
            text: folded.text_of(s).to_string(),
            capitalised: s.capitalised,
            numeric: s.numeric,
        })
        .collect()
}

/// One token of a [`Folded`] text: where its folded text lies in the shared buffer.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    capitalised: bool,
    numeric: bool,
}

/// Tokens of a text, their folded texts back to back in one buffer (no string per token).
#[derive(Debug, Default)]
struct Folded {
    text: String,
    spans: Vec<Span>,
}

impl Folded {
    /// The folded text of one token.
    fn text_of(&self, s: &Span) -> &str {
        self.text.get(s.start..s.end).unwrap_or("")
    }

    /// Forgets every token, keeping the buffers.
    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    /// Appends a token whose folded text was pushed onto `text` since it was `start` long.
    fn close(&mut self, start: usize, capitalised: bool, numeric: bool) {
        self.spans.push(Span {
            start,
            end: self.text.len(),
            capitalised,
            numeric,
        });
    }
}

/// [`tokens`] appended to `out`.
fn tokens_into(text: &str, out: &mut Folded) {
    let mut run = String::new();
    let mut run_cap = false;
    let mut run_numeric = false;
    let mut unspaced: Vec<char> = Vec::new();
    let flush_run = |run: &mut String, cap: bool, numeric: bool, out: &mut Folded| {
        if !run.is_empty() {
            let start = out.text.len();
            fold_into(run, &mut out.text);
            out.close(start, cap, numeric);
            run.clear();
        }
    };
    let flush_unspaced = |u: &mut Vec<char>, out: &mut Folded| {
        if u.len() == 1 {
            let start = out.text.len();
            out.text.extend(u.iter());
            out.close(start, false, false);
        }
        for w in u.windows(2) {
            let start = out.text.len();
            out.text.extend(w.iter());
            out.close(start, false, false);
        }
        u.clear();
    };
    for c in text.chars() {
        // ASCII outside unspaced runs, the common case: what the general path below does
        // for it, without its Unicode lookups.
        if c.is_ascii() && unspaced.is_empty() {
            if c.is_ascii_alphanumeric() {
                let numeric = c.is_ascii_digit();
                if !run.is_empty() && numeric != run_numeric {
                    flush_run(&mut run, run_cap, run_numeric, out);
                }
                if run.is_empty() {
                    run_cap = c.is_ascii_uppercase();
                    run_numeric = numeric;
                }
                run.push(c);
            } else if (c == '\'' || c == '-') && !run.is_empty() && !run_numeric {
                // Keep "O'Brien" and "Jean-Pierre" together, as below.
            } else {
                flush_run(&mut run, run_cap, run_numeric, out);
            }
            continue;
        }
        // Full-width digits and letters: compatibility-fold first.
        let c = if ('\u{FF10}'..='\u{FF5A}').contains(&c) {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        } else {
            c
        };
        if is_unspaced_script(c) {
            flush_run(&mut run, run_cap, run_numeric, out);
            unspaced.push(c);
            continue;
        }
        if !unspaced.is_empty() {
            flush_unspaced(&mut unspaced, out);
        }
        // Digits of any script count as digits; vowel signs, viramas and joiners stay inside
        // their word.
        let c = crate::script::ascii_digit(c).unwrap_or(c);
        if !run.is_empty()
            && !run_numeric
            && (c as u32) >= 0x300
            && (is_combining_mark(c) || matches!(c, '\u{200C}' | '\u{200D}'))
        {
            run.push(c);
            continue;
        }
        if c.is_alphanumeric() {
            let numeric = c.is_ascii_digit();
            if !run.is_empty() && numeric != run_numeric {
                flush_run(&mut run, run_cap, run_numeric, out);
            }
            if run.is_empty() {
                run_cap = c.is_uppercase();
                run_numeric = numeric;
            }
            run.push(c);
        } else if (c == '\'' || c == '’' || c == '-') && !run.is_empty() && !run_numeric {
            // Keep "O'Brien" and "Jean-Pierre" together; drop the mark itself.
        } else {
            flush_run(&mut run, run_cap, run_numeric, out);
        }
    }
    flush_run(&mut run, run_cap, run_numeric, out);
    flush_unspaced(&mut unspaced, out);
}

/// Truncates a folded word to at most `n` characters (a crude, language-independent stemmer).
pub(crate) fn prefix(word: &str, n: usize) -> &str {
    match word.char_indices().nth(n) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// Everything the stage reads from one article.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Analysis {
    /// Word-feature hashes of the title (folded, truncated words and numbers).
    pub title_words: Vec<u64>,
    /// Word-feature hashes of the body.
    pub body_words: Vec<u64>,
    /// Numbers (digit runs) in title and body, as written, in order.
    pub numbers: Vec<String>,
    /// The word-feature hashes among `title_words` and `body_words` that are numbers.
    #[serde(default)]
    pub number_features: Vec<u64>,
    /// Name keys of capitalised words (not sentence-initial) in title and body.
    pub names: Vec<String>,
    /// Hashes of word 4-gram shingles over the folded body and title.
    pub shingles: Vec<u64>,
    /// Hashes of word 4-gram shingles inside quoted passages.
    pub quote_shingles: Vec<u64>,
    /// Quoted passages (at least five words), as written.
    pub quotes: Vec<String>,
    /// URLs mentioned in the text.
    pub urls: Vec<String>,
    /// Length in characters of each non-empty paragraph.
    pub paragraphs: Vec<u32>,
    /// Length in characters of each sentence of the body, in order.
    #[serde(default)]
    pub sentences: Vec<u32>,
}

/// Whether `c` ends a sentence in any script.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '।' | '؟' | '۔')
}

/// Lengths in characters of the sentences of one paragraph: a sentence ends at a full stop,
/// question or exclamation mark followed by a space and a character that is not lowercase
/// (so "Dr. Smith" stays whole only when lowercase follows; abbreviations are rare enough), or
/// at an ideographic full stop.
#[cfg(test)]
fn sentence_lengths(paragraph: &str, out: &mut Vec<u32>) {
    sentence_lengths_in(paragraph, &mut Vec::new(), out);
}

/// [`sentence_lengths`] with `chars` as a reused character buffer.
fn sentence_lengths_in(paragraph: &str, chars: &mut Vec<char>, out: &mut Vec<u32>) {
    chars.clear();
    chars.extend(paragraph.trim().chars());
    let chars = &chars[..];
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let boundary = if matches!(c, '。' | '！' | '？') {
            true
        } else if ends_sentence(c) {
            // Closing quotes and brackets belong to the sentence.
            let mut k = i + 1;
            while k < chars.len() && matches!(chars[k], '"' | '»' | '”' | '“' | '\'' | ')' | '’')
            {
                k += 1;
            }
            let spaced = k < chars.len() && chars[k].is_whitespace();
            let next = chars[k..].iter().find(|c| !c.is_whitespace());
            if spaced && next.is_some_and(|n| !n.is_lowercase()) {
                i = k - 1;
                true
            } else {
                false
            }
        } else {
            false
        };
        if boundary {
            let len = chars[start..=i]
                .iter()
                .filter(|c| !c.is_whitespace())
                .count();
            if len > 0 {
                out.push(u32::try_from(len).unwrap_or(u32::MAX));
            }
            start = i + 1;
        }
        i += 1;
    }
    let len = chars[start.min(chars.len())..]
        .iter()
        .filter(|c| !c.is_whitespace())
        .count();
    if len > 0 {
        out.push(u32::try_from(len).unwrap_or(u32::MAX));
    }
}

/// Numbers of a text as digit strings, in order: digits of any script, thousands groups
/// joined whatever the separator ("2,400", "2 400", "2.400" and "2400" are all "2400"); other
/// separators split ("14,2" is "14", "2").
#[cfg(test)]
fn numbers_of(text: &str, out: &mut Vec<String>) {
    numbers_of_in(text, &mut Vec::new(), out);
}

/// [`numbers_of`] with `chars` as a reused character buffer.
fn numbers_of_in(text: &str, chars: &mut Vec<char>, out: &mut Vec<String>) {
    chars.clear();
    if text.is_ascii() {
        // ASCII digits are already ASCII digits: nothing to map.
        chars.extend(text.bytes().map(char::from));
    } else {
        chars.extend(
            text.chars()
                .map(|c| crate::script::ascii_digit(c).unwrap_or(c)),
        );
    }
    let chars = &chars[..];
    let digits_at = |i: usize| {
        let mut k = i;
        while k < chars.len() && chars[k].is_ascii_digit() {
            k += 1;
        }
        k - i
    };
    let mut i = 0;
    while i < chars.len() {
        let n = digits_at(i);
        if n == 0 {
            i += 1;
            continue;
        }
        let mut number: String = chars[i..i + n].iter().collect();
        let mut end = i + n;
        if n <= 3 {
            while end + 4 <= chars.len()
                && matches!(chars[end], ' ' | '\u{a0}' | '\u{202f}' | ',' | '.' | '\'')
                && digits_at(end + 1) == 3
            {
                number.extend(&chars[end + 1..end + 4]);
                end += 4;
            }
        }
        out.push(number);
        i = end;
    }
}

/// Words at least this long are truncated to this many characters.
const STEM: usize = 6;

fn word_features(f: &Folded, toks: &[Span], out: &mut Vec<u64>, numbers: &mut Vec<u64>) {
    for t in toks {
        let text = f.text_of(t);
        let k = if t.numeric { kind::NUMBER } else { kind::WORD };
        // ASCII text has one character per byte.
        if !t.numeric && text.len() < 2 && text.is_ascii() {
            continue;
        }
        let h = hash_feature(k, prefix(text, STEM));
        let feature = in_part(h, if t.numeric { part::ENTITY } else { part::WORD });
        out.push(feature);
        if t.numeric {
            numbers.push(feature);
        }
    }
}

fn names_of(f: &Folded, toks: &[Span], raw: &str, out: &mut Vec<String>) {
    // A capitalised token counts as a name unless it opens a sentence; sentence starts are
    // approximated by the token after ". ", "! ", "? " or a line start.
    let _ = raw;
    for (i, t) in toks.iter().enumerate() {
        if t.capitalised && !t.numeric && f.text_of(t).chars().count() >= 3 && i > 0 {
            out.push(name_key(f.text_of(t)));
        }
    }
}

fn quoted_passages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        let closing = match c {
            '"' => Some('"'),
            '“' => Some('”'),
            '„' => Some('“'),
            '«' => Some('»'),
            '「' => Some('」'),
            _ => None,
        };
        match open {
            Some((start, close)) if c == close || (close == '“' && c == '”') => {
                let inner = &text[start..i];
                if inner.split_whitespace().count() >= 5 || inner.chars().count() >= 20 {
                    out.push(inner.trim().to_string());
                }
                open = None;
            }
            Some(_) if c == '\n' => open = None,
            None => {
                if let Some(cl) = closing {
                    open = Some((i + c.len_utf8(), cl));
                }
            }
            _ => {}
        }
    }
    out
}

fn shingles_of(f: &Folded, toks: &[Span], n: usize, out: &mut Vec<u64>) {
    if toks.len() < n {
        if !toks.is_empty() {
            let joined: Vec<&str> = toks.iter().map(|t| f.text_of(t)).collect();
            out.push(hash_feature(kind::SHINGLE, &joined.join(" ")));
        }
        return;
    }
    let mut buf = String::new();
    for w in toks.windows(n) {
        buf.clear();
        for t in w {
            buf.push_str(f.text_of(t));
            buf.push(' ');
        }
        out.push(hash_feature(kind::SHINGLE, &buf));
    }
}

impl Analysis {
    /// Reads one article.
    pub fn of(title: &str, text: &str) -> Analysis {
        let mut title_toks = Folded::default();
        tokens_into(title, &mut title_toks);
        let mut a = Analysis::default();
        word_features(
            &title_toks,
            &title_toks.spans,
            &mut a.title_words,
            &mut a.number_features,
        );
        let mut body_toks = Folded::default();
        let mut chars = Vec::new();
        for para in text.split('\n') {
            let len = para.trim().chars().count();
            if len == 0 {
                continue;
            }
            a.paragraphs.push(u32::try_from(len).unwrap_or(u32::MAX));
            sentence_lengths_in(para, &mut chars, &mut a.sentences);
            // Names: per sentence-ish segment so the opening word is skipped.
            // Sentence by sentence; '.' never sits inside a token, so the body's tokens are the
            // sentences' tokens.
            for sentence in para.split_inclusive(['.', '!', '?', '。']) {
                let first = body_toks.spans.len();
                tokens_into(sentence, &mut body_toks);
                names_of(
                    &body_toks,
                    &body_toks.spans[first..],
                    sentence,
                    &mut a.names,
                );
            }
            for w in para.split_whitespace() {
                let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | '<' | '>' | ',' | '"'));
                if w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www.") {
                    a.urls.push(w.trim_end_matches(['.', ';', ':']).to_string());
                }
            }
        }
        let mut title_names = Vec::new();
        names_of(&title_toks, &title_toks.spans, title, &mut title_names);
        a.names.extend(title_names);
        word_features(
            &body_toks,
            &body_toks.spans,
            &mut a.body_words,
            &mut a.number_features,
        );
        numbers_of_in(title, &mut chars, &mut a.numbers);
        numbers_of_in(text, &mut chars, &mut a.numbers);
        shingles_of(&body_toks, &body_toks.spans, 4, &mut a.shingles);
        a.quotes = quoted_passages(text);
        let mut quote_toks = Folded::default();
        for q in &a.quotes {
            quote_toks.clear();
            tokens_into(q, &mut quote_toks);
            shingles_of(&quote_toks, &quote_toks.spans, 4, &mut a.quote_shingles);
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_hashes_equal_string_hashes() {
        for s in ["^ab", "kiv$", "Шин", "人口万", ""] {
            let cs: Vec<char> = s.chars().collect();
            assert_eq!(
                hash_chars(kind::NAME_GRAM, &cs),
                hash_feature(kind::NAME_GRAM, s)
            );
        }
    }

    #[test]
    fn tokens_fold_and_split_scripts() {
        let t = tokens("Шинзо Abe 60,496 人口900万人");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["shinzo", "abe", "60", "496", "人口", "900", "万人"]);
        assert!(t[0].capitalised);
        assert!(t[2].numeric);
    }

    #[test]
    fn analysis_reads_structure_quotes_and_urls() {
        let a = Analysis::of(
            "Quake hits Chile",
            "A quake of 7.1 hit Santiago on Monday.\n\n\"We have never seen anything like this,\" said Ana Pérez.\nSee https://example.org/q.",
        );
        assert_eq!(a.paragraphs.len(), 3);
        assert_eq!(a.quotes.len(), 1);
        assert_eq!(a.urls, ["https://example.org/q"]);
        assert!(a.names.contains(&"santiago".to_string()));
        assert!(a.names.contains(&"peres".to_string()));
        assert!(!a.names.contains(&"a".to_string()));
        assert_eq!(&a.numbers[..2], ["7", "1"]);
        assert_eq!(a.sentences.len(), 3);
    }

    #[test]
    fn numbers_join_thousands_groups_only() {
        let mut n = Vec::new();
        numbers_of(
            "2,400 and 2 400 and 2400; 14,2 km; ٢٠٢٢; 1.2 million",
            &mut n,
        );
        assert_eq!(n, ["2400", "2400", "2400", "14", "2", "2022", "1", "2"]);
    }

    #[test]
    fn sentences_split_at_stops_before_capitals() {
        let mut s = Vec::new();
        sentence_lengths(
            "He came. \"It works,\" she said. Then 3.5 km more. 東京。大阪",
            &mut s,
        );
        assert_eq!(s.len(), 5);
    }
}

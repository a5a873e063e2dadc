//! Placeholders for what must not change: markup, URLs, e-mail addresses, hashtags and
//! handles, dates, times, numbers, quoted names of outlets and a title's site suffix.
//!
//! Each protected span becomes `ZZnZZ` (n from 1): one word to every tokenizer, so Apertium,
//! LibreTranslate, DeepL and language models pass it through unchanged (a bracketed `ZZ1ZZ` is
//! split by Apertium, which then inserts words inside it). [`Protected::restore`] puts the
//! originals back and fails if a placeholder was lost, duplicated or invented.
//!
//! Plain numbers can be left in the text ([`ProtectOptions::numbers`] = false) for backends that
//! copy numbers verbatim (Apertium): replacing them by an unknown word would break agreement
//! around them. They are then verified instead (see `check_final`).

use std::sync::LazyLock;

use regex::Regex;

use crate::facts::{find_facts, localise};
use crate::names::Names;
use crate::quotes::scan_quotes;

/// Prefix of a placeholder (`ZZ1ZZ`).
pub const PLACEHOLDER_PREFIX: &str = "ZZ";
/// Suffix of a placeholder.
pub const PLACEHOLDER_SUFFIX: &str = "ZZ";

static PLACEHOLDER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)zz\s?(\d{1,5})\s?zz").ok());

/// What [`protect_with`] replaces by placeholders besides markup, URLs, e-mail addresses, dates,
/// times and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectOptions {
    /// Replace plain numbers too.
    pub numbers: bool,
}

impl Default for ProtectOptions {
    fn default() -> Self {
        ProtectOptions { numbers: true }
    }
}

static SPANS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"<[a-zA-Z/!][^<>]{0,500}>",                            // markup
        r"|&(?:[a-zA-Z]{2,8}|#[0-9]{1,6}|#x[0-9a-fA-F]{1,6});", // entities
        r"|(?:https?://|www\.)[^\s<>]+",                        // URLs
        r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",                       // e-mail
        r"|\B[#@][\p{L}\p{N}_]+",                               // hashtags, handles
        r"|\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?\b", // ISO dates
        r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b",                  // numeric dates
        r"|\b\d{1,2}:\d{2}(?::\d{2})?\b",                       // times
        r"|(?i:\bzz\d{1,5}zz\b)", // our own placeholder syntax, protected too
    ))
    .ok()
});

static NUMBER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\d+(?:[.,\u{202F}\u{A0}\u{2009}]\d+)*").ok());

static SITE_SUFFIX: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(.*\S)(\s+[|–—-]\s+|\s*[|]\s*)([^|–—]{2,60})$").ok());

/// Lower-case words allowed inside a name (`El País`, `Die Zeit`, `The Times of India`).
const NAME_PARTICLES: &[&str] = &[
    "of", "the", "and", "&", "de", "la", "le", "les", "du", "des", "del", "el", "los", "las", "y",
    "der", "die", "das", "di", "da", "do", "dos", "van", "von", "et", "i", "e", "am", "im",
];

/// A segment with its protected spans replaced by placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    /// The text sent to the backend.
    pub text: String,
    /// The original of each placeholder: `slots[0]` is `ZZ1ZZ`.
    pub slots: Vec<String>,
    /// For each slot, whether the original touched a letter or digit on its left and on its
    /// right (`<b>word</b>`, `3.5km`): a space was put there so the word stays a word for the
    /// backend, and [`Protected::restore`] takes it out again.
    pub glue: Vec<(bool, bool)>,
    /// For each slot, the form [`Protected::restore_localised`] puts back instead of the
    /// original (a number, percentage, amount or date written for the target language).
    pub localised: Vec<Option<String>>,
}

/// Why a translation's placeholders cannot be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceholderProblem {
    /// This placeholder (1-based) is missing.
    Missing(usize),
    /// This placeholder appears more than once.
    Duplicated(usize),
    /// A placeholder that was never issued, or a stray bracket.
    Stray(String),
}

impl std::fmt::Display for PlaceholderProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlaceholderProblem::Missing(n) => write!(f, "placeholder {n} missing"),
            PlaceholderProblem::Duplicated(n) => write!(f, "placeholder {n} duplicated"),
            PlaceholderProblem::Stray(s) => write!(f, "stray placeholder {s:?}"),
        }
    }
}

/// The placeholder for slot `n` (1-based).
pub fn placeholder(n: usize) -> String {
    format!("{PLACEHOLDER_PREFIX}{n}{PLACEHOLDER_SUFFIX}")
}

/// Replaces what must not change in `segment` by placeholders, numbers included.
pub fn protect(segment: &str) -> Protected {
    protect_with(segment, ProtectOptions::default())
}

/// Replaces what must not change in `segment` by placeholders.
pub fn protect_with(segment: &str, options: ProtectOptions) -> Protected {
    protect_segment(segment, options, &Names::none(), None)
}

/// Replaces what must not change in `segment` by placeholders, as the translator does: besides
/// what [`protect_with`] protects, the `names` of the text, and, with `languages` (from, to),
/// the numbers, percentages, amounts and dates of the source language, each restored by
/// [`Protected::restore_localised`] in the target language's conventions.
pub fn protect_segment(
    segment: &str,
    options: ProtectOptions,
    names: &Names,
    languages: Option<(&str, &str)>,
) -> Protected {
    // Byte ranges to protect, non-overlapping, in order, with their localised forms.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut facts: Vec<(usize, usize, Option<String>)> = Vec::new();
    if let Some((from, to)) = languages {
        for f in find_facts(segment, from) {
            facts.push((f.start, f.end, localise(&f, to)));
        }
    }
    ranges.extend(facts.iter().map(|&(s, e, _)| (s, e)));
    ranges.extend(names.spans(segment));
    if let Some(re) = SITE_SUFFIX.as_ref()
        && let Some(caps) = re.captures(segment)
        && let (Some(sep), Some(name)) = (caps.get(2), caps.get(3))
        && looks_like_name(name.as_str(), 6)
        && caps
            .get(1)
            .is_some_and(|head| head.as_str().split_whitespace().count() >= 2)
    {
        let lead = sep.as_str().len() - sep.as_str().trim_start().len();
        ranges.push((sep.start() + lead, name.end()));
    }
    let quotes = scan_quotes(segment);
    for pair in &quotes.pairs {
        let open_len = segment[pair.open..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        let inner_start = pair.open + open_len;
        if inner_start >= pair.close {
            continue;
        }
        let inner = &segment[inner_start..pair.close];
        let trimmed = inner.trim();
        if trimmed.split_whitespace().count() >= 2 && looks_like_name(trimmed, 5) {
            let lead = inner.len() - inner.trim_start().len();
            let s = inner_start + lead;
            ranges.push((s, s + trimmed.len()));
        }
    }
    if let Some(re) = SPANS.as_ref() {
        for m in re.find_iter(segment) {
            let mut end = m.end();
            // URLs do not end with sentence punctuation or a closing quote.
            if m.as_str().starts_with("http") || m.as_str().starts_with("www.") {
                let trimmed = m.as_str().trim_end_matches([
                    '.', ',', ';', ':', '!', '?', ')', '»', '”', '"', '’', '\'',
                ]);
                end = m.start() + trimmed.len();
            }
            ranges.push((m.start(), end));
        }
    }
    if options.numbers
        && let Some(re) = NUMBER.as_ref()
    {
        ranges.extend(re.find_iter(segment).map(|m| (m.start(), m.end())));
    }
    ranges.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        if s >= e {
            continue;
        }
        if kept.last().is_some_and(|&(_, le)| s < le) {
            continue;
        }
        kept.push((s, e));
    }
    let mut text = String::with_capacity(segment.len());
    let mut slots = Vec::new();
    let mut glue = Vec::new();
    let mut localised = Vec::new();
    let mut at = 0;
    for (s, e) in kept {
        localised.push(
            facts
                .iter()
                .find(|&&(fs, fe, _)| fs == s && fe == e)
                .and_then(|(_, _, l)| l.clone()),
        );
        text.push_str(&segment[at..s]);
        let left = segment[..s]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let right = segment[e..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        slots.push(segment[s..e].to_string());
        glue.push((left, right));
        if left {
            text.push(' ');
        }
        text.push_str(&placeholder(slots.len()));
        if right {
            text.push(' ');
        }
        at = e;
    }
    text.push_str(&segment[at..]);
    Protected {
        text,
        slots,
        glue,
        localised,
    }
}

fn n_glue(glue: &[(bool, bool)], num: &str) -> (bool, bool) {
    num.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| glue.get(i).copied())
        .unwrap_or((false, false))
}

/// Whether `s` looks like a proper name: every word capitalised, digits or a particle, the first
/// one capitalised, at most `max_words` words, no sentence punctuation.
fn looks_like_name(s: &str, max_words: usize) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > max_words {
        return false;
    }
    if s.contains(['.', '!', '?', ',', ';', ':']) && !s.contains("www.") && !looks_like_domain(s) {
        return false;
    }
    let capital = |w: &str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    };
    capital(words[0])
        && words
            .iter()
            .all(|w| capital(w) || NAME_PARTICLES.contains(&w.to_lowercase().as_str()))
}

fn looks_like_domain(s: &str) -> bool {
    !s.contains(char::is_whitespace)
        && s.contains('.')
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

impl Protected {
    /// Whether nothing was protected.
    pub fn is_plain(&self) -> bool {
        self.slots.is_empty()
    }

    /// Checks that `translated` holds every placeholder exactly once and no other, and puts
    /// the originals back.
    pub fn restore(&self, translated: &str) -> Result<String, PlaceholderProblem> {
        self.restore_as(translated, false)
    }

    /// Like [`Protected::restore`], with each localised slot in its target-language form.
    pub fn restore_localised(&self, translated: &str) -> Result<String, PlaceholderProblem> {
        self.restore_as(translated, true)
    }

    /// Adds a slot (a word that must pass the next backend unchanged); returns its placeholder.
    pub fn push_slot(&mut self, original: &str) -> String {
        self.slots.push(original.to_string());
        self.glue.push((false, false));
        self.localised.push(None);
        placeholder(self.slots.len())
    }

    fn restore_as(&self, translated: &str, localised: bool) -> Result<String, PlaceholderProblem> {
        let Some(re) = PLACEHOLDER.as_ref() else {
            return Ok(translated.to_string());
        };
        let mut seen = vec![0usize; self.slots.len()];
        let mut out = String::with_capacity(translated.len() + 16);
        let mut at = 0;
        for caps in re.captures_iter(translated) {
            let (Some(whole), Some(num)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            let (left, right) = n_glue(&self.glue, num.as_str());
            out.push_str(&translated[at..whole.start()]);
            if left {
                while out.ends_with(' ') {
                    out.pop();
                }
            }
            let n: usize = num
                .as_str()
                .parse()
                .map_err(|_| PlaceholderProblem::Stray(whole.as_str().to_string()))?;
            let Some(original) = n.checked_sub(1).and_then(|i| self.slots.get(i)) else {
                return Err(PlaceholderProblem::Stray(whole.as_str().to_string()));
            };
            seen[n - 1] += 1;
            if seen[n - 1] > 1 {
                return Err(PlaceholderProblem::Duplicated(n));
            }
            match self.localised.get(n - 1) {
                Some(Some(l)) if localised => out.push_str(l),
                _ => out.push_str(original),
            }
            at = whole.end();
            if right {
                at += translated[at..].len() - translated[at..].trim_start_matches(' ').len();
            }
        }
        out.push_str(&translated[at..]);
        if let Some(i) = seen.iter().position(|&c| c == 0) {
            return Err(PlaceholderProblem::Missing(i + 1));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protects_numbers_urls_emails_dates_markup() {
        let p = protect(
            "On 2026-03-14 at 14:30, <b>1,234.5</b> people wrote to desk@news.example via https://news.example/a?b=1.",
        );
        assert_eq!(
            p.slots,
            vec![
                "2026-03-14",
                "14:30",
                "<b>",
                "1,234.5",
                "</b>",
                "desk@news.example",
                "https://news.example/a?b=1"
            ]
        );
        assert!(p.text.ends_with("ZZ7ZZ."));
        assert!(p.text.contains("ZZ3ZZ ZZ4ZZ ZZ5ZZ"), "{}", p.text);
        let h = protect("Follow @courier and #floods (or mail desk@news.example).");
        assert_eq!(h.slots, vec!["@courier", "#floods", "desk@news.example"]);
        let g = protect("The <b>council</b> met 3.5km away.");
        assert_eq!(g.text, "The ZZ1ZZ council ZZ2ZZ met ZZ3ZZ km away.");
        assert_eq!(
            g.restore("El ZZ1ZZ consejo ZZ2ZZ se reunió a ZZ3ZZ km.")
                .unwrap(),
            "El <b>consejo</b> se reunió a 3.5km."
        );
        assert_eq!(
            p.restore(&p.text).unwrap(),
            "On 2026-03-14 at 14:30, <b>1,234.5</b> people wrote to desk@news.example via https://news.example/a?b=1."
        );
    }

    #[test]
    fn protects_quoted_outlet_names_and_site_suffix() {
        let p = protect("The “Financial Times” and «Le Monde» agree: “no way”.");
        assert_eq!(p.slots, vec!["Financial Times", "Le Monde"]);
        let t = protect("Parliament rejects the budget - The Daily Courier");
        assert_eq!(t.slots, vec!["- The Daily Courier"]);
        assert_eq!(t.text, "Parliament rejects the budget ZZ1ZZ");
    }

    #[test]
    fn restore_detects_lost_duplicated_and_invented_placeholders() {
        let p = protect("Up 5 to 7.");
        assert_eq!(p.text, "Up ZZ1ZZ to ZZ2ZZ.");
        assert_eq!(
            p.restore("Sube ZZ1ZZ."),
            Err(PlaceholderProblem::Missing(2))
        );
        assert_eq!(
            p.restore("ZZ1ZZ ZZ1ZZ ZZ2ZZ"),
            Err(PlaceholderProblem::Duplicated(1))
        );
        assert!(matches!(
            p.restore("ZZ1ZZ ZZ2ZZ ZZ3ZZ"),
            Err(PlaceholderProblem::Stray(_))
        ));
        let kept = protect_with(
            "Up 5 to 7 on 2026-01-02.",
            ProtectOptions { numbers: false },
        );
        assert_eq!(kept.text, "Up 5 to 7 on ZZ1ZZ.");
        assert_eq!(
            p.restore("Sube de zz1zz a ZZ2ZZ.").unwrap(),
            "Sube de 5 a 7."
        );
        let own = protect("A literal ZZ3ZZ stays.");
        assert_eq!(own.restore(&own.text).unwrap(), "A literal ZZ3ZZ stays.");
        assert_eq!(
            p.restore("Sube de ZZ1ZZ a ZZ2ZZ.").unwrap(),
            "Sube de 5 a 7."
        );
    }
}

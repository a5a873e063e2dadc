//! Placeholders for what must not change: markup, URLs, e-mail addresses, dates, times,
//! numbers, quoted names of outlets and a title's site suffix.
//!
//! Each protected span becomes `⟦n⟧` (n from 1), a token that Apertium, LibreTranslate, DeepL and
//! language models pass through unchanged; [`Protected::restore`] puts the originals back and
//! fails if a placeholder was lost, duplicated or invented.

use std::sync::LazyLock;

use regex::Regex;

use crate::quotes::scan_quotes;

/// Opening and closing characters of a placeholder.
pub const PLACEHOLDER_OPEN: char = '⟦';
/// Closing character of a placeholder.
pub const PLACEHOLDER_CLOSE: char = '⟧';

static SPANS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"<[a-zA-Z/!][^<>]{0,500}>",                            // markup
        r"|&(?:[a-zA-Z]{2,8}|#[0-9]{1,6}|#x[0-9a-fA-F]{1,6});", // entities
        r"|(?:https?://|www\.)[^\s<>]+",                        // URLs
        r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",                       // e-mail
        r"|\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?\b", // ISO dates
        r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b",                  // numeric dates
        r"|\b\d{1,2}:\d{2}(?::\d{2})?\b",                       // times
        r"|\d+(?:[.,\u{202F}\u{A0}\u{2009}]\d+)*",              // numbers
    ))
    .ok()
});

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
    /// The original of each placeholder: `slots[0]` is `⟦1⟧`.
    pub slots: Vec<String>,
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
    format!("{PLACEHOLDER_OPEN}{n}{PLACEHOLDER_CLOSE}")
}

/// Replaces what must not change in `segment` by placeholders.
pub fn protect(segment: &str) -> Protected {
    // Byte ranges to protect, non-overlapping, in order.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
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
    let mut at = 0;
    for (s, e) in kept {
        text.push_str(&segment[at..s]);
        slots.push(segment[s..e].to_string());
        text.push_str(&placeholder(slots.len()));
        at = e;
    }
    text.push_str(&segment[at..]);
    Protected { text, slots }
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
        let mut seen = vec![0usize; self.slots.len()];
        let mut out = String::with_capacity(translated.len() + 16);
        let mut rest = translated;
        while let Some(open) = rest.find(PLACEHOLDER_OPEN) {
            out.push_str(&rest[..open]);
            let after = &rest[open + PLACEHOLDER_OPEN.len_utf8()..];
            let Some(close) = after.find(PLACEHOLDER_CLOSE) else {
                return Err(PlaceholderProblem::Stray(after.chars().take(12).collect()));
            };
            let number = after[..close].trim();
            let n: usize = number
                .parse()
                .map_err(|_| PlaceholderProblem::Stray(number.to_string()))?;
            let Some(original) = n.checked_sub(1).and_then(|i| self.slots.get(i)) else {
                return Err(PlaceholderProblem::Stray(placeholder(n)));
            };
            seen[n - 1] += 1;
            if seen[n - 1] > 1 {
                return Err(PlaceholderProblem::Duplicated(n));
            }
            out.push_str(original);
            rest = &after[close + PLACEHOLDER_CLOSE.len_utf8()..];
        }
        if rest.contains(PLACEHOLDER_CLOSE) {
            return Err(PlaceholderProblem::Stray(PLACEHOLDER_CLOSE.to_string()));
        }
        out.push_str(rest);
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
        assert!(p.text.ends_with("⟦7⟧."));
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
        assert_eq!(t.text, "Parliament rejects the budget ⟦1⟧");
    }

    #[test]
    fn restore_detects_lost_duplicated_and_invented_placeholders() {
        let p = protect("Up 5 to 7.");
        assert_eq!(p.text, "Up ⟦1⟧ to ⟦2⟧.");
        assert_eq!(p.restore("Sube ⟦1⟧."), Err(PlaceholderProblem::Missing(2)));
        assert_eq!(
            p.restore("⟦1⟧ ⟦1⟧ ⟦2⟧"),
            Err(PlaceholderProblem::Duplicated(1))
        );
        assert!(matches!(
            p.restore("⟦1⟧ ⟦2⟧ ⟦3⟧"),
            Err(PlaceholderProblem::Stray(_))
        ));
        assert_eq!(p.restore("Sube de ⟦1⟧ a ⟦2⟧.").unwrap(), "Sube de 5 a 7.");
    }
}

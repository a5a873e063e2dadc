//! The one trait every translation engine implements.

use std::future::Future;
use std::pin::Pin;

use crate::error::TranslateError;
use crate::language::normalize_language;

/// A boxed, sendable future (the trait is object-safe so the router can hold `Box<dyn Backend>`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A language pair, ISO 639-1 codes; `*` on either side matches any language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangPair {
    /// Source language.
    pub from: String,
    /// Target language.
    pub to: String,
}

impl LangPair {
    /// A pair, codes normalised (`eng` → `en`).
    pub fn new(from: &str, to: &str) -> LangPair {
        let norm = |c: &str| {
            if c == "*" {
                "*".to_string()
            } else {
                normalize_language(c)
            }
        };
        LangPair {
            from: norm(from),
            to: norm(to),
        }
    }

    /// Parses `en-es`, `en|es`, `en>es` or `*` (any pair).
    pub fn parse(s: &str) -> Option<LangPair> {
        let s = s.trim();
        if s == "*" {
            return Some(LangPair::new("*", "*"));
        }
        let (a, b) = s.split_once(['-', '|', '>'])?;
        if a.is_empty() || b.is_empty() {
            return None;
        }
        Some(LangPair::new(a, b))
    }

    /// Whether this (possibly wildcard) pair covers `from`→`to`.
    pub fn covers(&self, from: &str, to: &str) -> bool {
        from != to && (self.from == "*" || self.from == from) && (self.to == "*" || self.to == to)
    }
}

impl std::fmt::Display for LangPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.from, self.to)
    }
}

/// A translation engine: Apertium, LibreTranslate, DeepL, an OpenAI-compatible model…
///
/// `translate` gets a batch of segments (sentences with placeholders, no newlines) and must
/// return exactly one translation per segment, in order. Limits, retries, budget, caching and
/// checks are the `Translator`'s job, not the backend's.
pub trait Backend: Send + Sync {
    /// The name used in routes, cache keys and statistics (unique per configuration).
    fn name(&self) -> &str;
    /// The pairs this backend translates (wildcards allowed).
    fn pairs(&self) -> Vec<LangPair>;
    /// Translates a batch of segments from `from` to `to` (ISO 639-1).
    fn translate<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, TranslateError>>;

    /// Whether the backend copies numbers verbatim (Apertium does): numbers are then left in
    /// the text, where they help the translation, and verified afterwards, instead of being
    /// replaced by placeholders.
    fn keeps_numbers(&self) -> bool {
        false
    }

    /// Whether [`Backend::translate_marked`] marks the words the backend did not know, as
    /// Apertium does (`*word`, `@word`, `#word`). The translator reads the marks (unknown words,
    /// pivot-language leaks) and takes them out before the text is emitted.
    fn marks_unknown(&self) -> bool {
        false
    }

    /// Like [`Backend::translate`], with the unknown-word marks in the answers when the backend
    /// has them (see [`Backend::marks_unknown`]); by default the plain translation.
    fn translate_marked<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, TranslateError>> {
        self.translate(segments, from, to)
    }

    /// Whether this backend translates `from`→`to`.
    fn supports(&self, from: &str, to: &str) -> bool {
        self.pairs().iter().any(|p| p.covers(from, to))
    }
}

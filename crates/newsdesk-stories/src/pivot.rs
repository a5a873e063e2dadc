//! The pivot-translation hook: when a translation backend is configured, a translated-copy
//! candidate is confirmed or rejected by translating both articles into one pivot language and
//! comparing them by word shingles. The crate does not translate: the caller supplies a
//! [`PivotTranslate`] (a closure works), typically backed by its translation stage and cache.

use std::sync::Arc;

use crate::analysis::{hash_feature, kind, tokens};

/// Translates text into a pivot language chosen by the implementation.
pub trait PivotTranslate: Send + Sync {
    /// `text`, written in `lang`, in the pivot language: the text itself when `lang` is the
    /// pivot, `None` when it cannot be translated (the detector then decides without it).
    fn to_pivot(&self, text: &str, lang: &str) -> Option<String>;

    /// Told the texts (with their languages) that [`PivotTranslate::to_pivot`] is about to be
    /// asked for, in that order, so that an implementation can translate them ahead, several at
    /// a time; `to_pivot` must then answer exactly what it would have answered without. Does
    /// nothing by default.
    fn prefetch(&self, _texts: &[(String, String)]) {}
}

/// The text of a document that is translated into the pivot language: title, then body.
pub(crate) fn pivot_text(doc: &crate::Document) -> String {
    format!("{}\n{}", doc.title, doc.text)
}

impl<F> PivotTranslate for F
where
    F: Fn(&str, &str) -> Option<String> + Send + Sync,
{
    fn to_pivot(&self, text: &str, lang: &str) -> Option<String> {
        self(text, lang)
    }
}

/// The optional hook held by a detector (not saved in snapshots).
#[derive(Clone, Default)]
pub(crate) struct PivotHook(pub(crate) Option<Arc<dyn PivotTranslate>>);

impl std::fmt::Debug for PivotHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "PivotHook(set)"
        } else {
            "PivotHook(none)"
        })
    }
}

/// Words per pivot shingle.
const SHINGLE_WORDS: usize = 2;

/// Sorted, deduplicated hashes of the word bigrams of a pivot-language text.
pub(crate) fn pivot_shingles(text: &str) -> Vec<u64> {
    let words: Vec<String> = tokens(text)
        .into_iter()
        .map(|t| crate::analysis::prefix(&t.text, 6).to_string())
        .collect();
    let mut out: Vec<u64> = words
        .windows(SHINGLE_WORDS)
        .map(|w| hash_feature(kind::SHINGLE, &w.join(" ")))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A pivot containment from which a translated-copy candidate is confirmed.
pub(crate) const CONFIRM: f32 = 0.2;

/// A pivot containment below which a translated-copy candidate is rejected.
pub(crate) const REJECT: f32 = 0.12;

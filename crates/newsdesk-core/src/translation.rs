//! The translation cache's interface: what a cached translation is keyed by
//! ([`CacheKey`]), the per-backend usage counters ([`TranslationUsage`]) and the trait a place
//! that keeps them implements ([`TranslationCache`]).
//!
//! The translate stage (`newsdesk-translate`) calls the trait for every segment; the store
//! (`newsdesk-store`) implements it over its database, and the translate crate has an in-memory
//! implementation. The trait lives here, in the crate both already depend on, rather than in
//! `newsdesk-translate`: the store then needs no HTTP client, TLS or process-spawning
//! dependencies, and the translate crate needs no SQLite. No I/O happens in this module.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What one translation backend did (in one run, one day, or summed over days): the counters
/// behind the daily budget and `newsdesk translate stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationUsage {
    /// Characters sent to the backend (cache hits excluded).
    pub chars: u64,
    /// Calls made (HTTP requests or program runs), retries included.
    pub calls: u64,
    /// Segments translated by the backend (not from the cache).
    pub segments: u64,
    /// Segments answered from the cache.
    pub cache_hits: u64,
    /// Failed calls (after which a retry may have succeeded).
    pub errors: u64,
    /// Segments whose translation failed the checks (before or after a retry alone).
    pub check_failures: u64,
    /// Segments kept in the original language because this backend's hop failed.
    pub kept_original: u64,
    /// Words the backend did not know and left as they were (Apertium's marks), in segments
    /// it translated (cache hits excluded).
    #[serde(default)]
    pub unknown_words: u64,
}

impl std::ops::AddAssign for TranslationUsage {
    fn add_assign(&mut self, o: TranslationUsage) {
        self.chars += o.chars;
        self.calls += o.calls;
        self.segments += o.segments;
        self.cache_hits += o.cache_hits;
        self.errors += o.errors;
        self.check_failures += o.check_failures;
        self.kept_original += o.kept_original;
        self.unknown_words += o.unknown_words;
    }
}

/// The key of one cached translation: backend, language pair and a hash of the segment as
/// sent (placeholders included). `newsdesk_translate::cache_key` builds it from a segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    /// Backend name.
    pub backend: String,
    /// Source language.
    pub from: String,
    /// Target language.
    pub to: String,
    /// BLAKE3 of the segment as sent (placeholders included), hex.
    pub hash: String,
}

/// A translation cache could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("translation cache {place}: {message}")]
pub struct TranslationCacheError {
    /// Where the cache is (a database file, or `memory`).
    pub place: String,
    /// What went wrong.
    pub message: String,
}

/// Where translations and usage counters are kept. Implementations must be cheap to call from
/// async code (they are called for each segment; lookups by primary key are).
pub trait TranslationCache: Send + Sync {
    /// A cached translation.
    fn get(&self, key: &CacheKey) -> Result<Option<String>, TranslationCacheError>;
    /// Stores a translation that passed the checks (replacing one under the same key).
    fn put(&self, key: &CacheKey, translation: &str) -> Result<(), TranslationCacheError>;
    /// Adds to a backend's counters for `day` (UTC).
    fn add_usage(
        &self,
        backend: &str,
        day: NaiveDate,
        usage: TranslationUsage,
    ) -> Result<(), TranslationCacheError>;
    /// Counters per backend, for one day or (with `None`) summed over all days.
    fn usage(
        &self,
        day: Option<NaiveDate>,
    ) -> Result<BTreeMap<String, TranslationUsage>, TranslationCacheError>;
}

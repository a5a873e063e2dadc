//! Per-backend usage counters: characters sent, calls, cache hits, errors, unknown words.

use serde::{Deserialize, Serialize};

/// What one backend did (in one run, one day, or in total).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
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

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, o: Usage) {
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

//! The translation cache in memory ([`MemoryCache`], lost when the process ends: tests, the
//! demo, `newsdesk translate text` without a site database) and [`cache_key`], which keys a
//! segment. The cache's interface ([`TranslationCache`], [`CacheKey`], [`TranslationUsage`])
//! is `newsdesk-core`'s; newsdesk's database (`newsdesk-store`) is the persistent
//! implementation, so a second run does not ask the backends again.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use chrono::NaiveDate;
use newsdesk_core::{CacheKey, TranslationCache, TranslationCacheError, TranslationUsage};

/// The key of `segment` translated by `backend` from `from` to `to`: the segment's BLAKE3, hex.
pub fn cache_key(backend: &str, from: &str, to: &str, segment: &str) -> CacheKey {
    CacheKey {
        backend: backend.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        hash: blake3::hash(segment.as_bytes()).to_hex().to_string(),
    }
}

/// A cache in memory (lost when the process ends).
#[derive(Debug, Default)]
pub struct MemoryCache {
    entries: Mutex<HashMap<CacheKey, String>>,
    usage: Mutex<BTreeMap<(String, NaiveDate), TranslationUsage>>,
}

impl MemoryCache {
    /// An empty cache.
    pub fn new() -> MemoryCache {
        MemoryCache::default()
    }

    /// Number of cached translations.
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    /// Whether the cache holds no translation.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn poisoned() -> TranslationCacheError {
    TranslationCacheError {
        place: "memory".to_string(),
        message: "lock poisoned".to_string(),
    }
}

impl TranslationCache for MemoryCache {
    fn get(&self, key: &CacheKey) -> Result<Option<String>, TranslationCacheError> {
        Ok(self
            .entries
            .lock()
            .map_err(|_| poisoned())?
            .get(key)
            .cloned())
    }

    fn put(&self, key: &CacheKey, translation: &str) -> Result<(), TranslationCacheError> {
        self.entries
            .lock()
            .map_err(|_| poisoned())?
            .insert(key.clone(), translation.to_string());
        Ok(())
    }

    fn add_usage(
        &self,
        backend: &str,
        day: NaiveDate,
        usage: TranslationUsage,
    ) -> Result<(), TranslationCacheError> {
        *self
            .usage
            .lock()
            .map_err(|_| poisoned())?
            .entry((backend.to_string(), day))
            .or_default() += usage;
        Ok(())
    }

    fn usage(
        &self,
        day: Option<NaiveDate>,
    ) -> Result<BTreeMap<String, TranslationUsage>, TranslationCacheError> {
        let map = self.usage.lock().map_err(|_| poisoned())?;
        let mut out: BTreeMap<String, TranslationUsage> = BTreeMap::new();
        for ((b, d), u) in map.iter() {
            if day.is_none_or(|x| x == *d) {
                *out.entry(b.clone()).or_default() += *u;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_cache_keeps_translations_and_counters() {
        let cache = MemoryCache::new();
        let k = cache_key("apertium", "en", "es", "Hello ZZ1ZZ.");
        assert_eq!(cache.get(&k).unwrap(), None);
        cache.put(&k, "Hola ZZ1ZZ.").unwrap();
        assert_eq!(cache.get(&k).unwrap().as_deref(), Some("Hola ZZ1ZZ."));
        assert_eq!(cache.len(), 1);
        let other = cache_key("deepl", "en", "es", "Hello ZZ1ZZ.");
        assert_eq!(cache.get(&other).unwrap(), None, "keyed by backend");
        let d1 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        let u = TranslationUsage {
            chars: 10,
            calls: 1,
            ..TranslationUsage::default()
        };
        cache.add_usage("apertium", d1, u).unwrap();
        cache.add_usage("apertium", d1, u).unwrap();
        cache.add_usage("apertium", d2, u).unwrap();
        assert_eq!(cache.usage(Some(d1)).unwrap()["apertium"].chars, 20);
        assert_eq!(cache.usage(None).unwrap()["apertium"].calls, 3);
    }

    #[test]
    fn keys_hash_the_segment_as_sent() {
        let a = cache_key("apertium", "en", "es", "Hello ZZ1ZZ.");
        assert_eq!(a.hash.len(), 64);
        assert_eq!(a, cache_key("apertium", "en", "es", "Hello ZZ1ZZ."));
        assert_ne!(
            a.hash,
            cache_key("apertium", "en", "es", "Hello ZZ2ZZ.").hash
        );
    }
}

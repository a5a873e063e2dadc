//! The translation cache: keyed by backend, language pair and a hash of the (protected)
//! segment, so re-translating a copy costs nothing. [`MemoryCache`] and [`SqliteCache`] are
//! here; newsdesk's main database is another implementation (in the binary, over the store). It also keeps the per-backend, per-day
//! usage counters that the daily budget and `newsdesk translate stats` read.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::TranslateError;
use crate::usage::Usage;

/// The key of one cached translation.
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

impl CacheKey {
    /// The key of `segment` translated by `backend` from `from` to `to`.
    pub fn new(backend: &str, from: &str, to: &str, segment: &str) -> CacheKey {
        CacheKey {
            backend: backend.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            hash: blake3::hash(segment.as_bytes()).to_hex().to_string(),
        }
    }
}

/// Where translations and usage counters are kept. Implementations must be cheap to call from
/// async code (they are called for each segment; SQLite lookups by primary key are).
pub trait TranslationCache: Send + Sync {
    /// A cached translation.
    fn get(&self, key: &CacheKey) -> Result<Option<String>, TranslateError>;
    /// Stores a translation that passed the checks.
    fn put(&self, key: &CacheKey, translation: &str) -> Result<(), TranslateError>;
    /// Adds to a backend's counters for `day`.
    fn add_usage(&self, backend: &str, day: NaiveDate, usage: Usage) -> Result<(), TranslateError>;
    /// Counters per backend, for one day or (with `None`) summed over all days.
    fn usage(&self, day: Option<NaiveDate>) -> Result<BTreeMap<String, Usage>, TranslateError>;
}

/// A cache in memory (lost when the process ends).
#[derive(Debug, Default)]
pub struct MemoryCache {
    entries: Mutex<HashMap<CacheKey, String>>,
    usage: Mutex<BTreeMap<(String, NaiveDate), Usage>>,
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

fn poisoned(path: &str) -> TranslateError {
    TranslateError::Cache {
        path: path.to_string(),
        message: "lock poisoned".to_string(),
    }
}

impl TranslationCache for MemoryCache {
    fn get(&self, key: &CacheKey) -> Result<Option<String>, TranslateError> {
        Ok(self
            .entries
            .lock()
            .map_err(|_| poisoned("memory"))?
            .get(key)
            .cloned())
    }

    fn put(&self, key: &CacheKey, translation: &str) -> Result<(), TranslateError> {
        self.entries
            .lock()
            .map_err(|_| poisoned("memory"))?
            .insert(key.clone(), translation.to_string());
        Ok(())
    }

    fn add_usage(&self, backend: &str, day: NaiveDate, usage: Usage) -> Result<(), TranslateError> {
        *self
            .usage
            .lock()
            .map_err(|_| poisoned("memory"))?
            .entry((backend.to_string(), day))
            .or_default() += usage;
        Ok(())
    }

    fn usage(&self, day: Option<NaiveDate>) -> Result<BTreeMap<String, Usage>, TranslateError> {
        let map = self.usage.lock().map_err(|_| poisoned("memory"))?;
        let mut out: BTreeMap<String, Usage> = BTreeMap::new();
        for ((b, d), u) in map.iter() {
            if day.is_none_or(|x| x == *d) {
                *out.entry(b.clone()).or_default() += *u;
            }
        }
        Ok(out)
    }
}

/// A cache in a SQLite file: its own small file by default, or a file shared with the store
/// later (the tables are prefixed `translation_`). rusqlite is bundled, so nothing is needed on
/// the system.
pub struct SqliteCache {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteCache")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteCache {
    /// Opens (creating if needed) the cache file at `path`.
    pub fn open(path: &Path) -> Result<SqliteCache, TranslateError> {
        let err = |e: rusqlite::Error| TranslateError::Cache {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| TranslateError::Cache {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        }
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             CREATE TABLE IF NOT EXISTS translation_cache (
                 backend TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
                 segment_hash TEXT NOT NULL, translation TEXT NOT NULL, created_at TEXT NOT NULL,
                 PRIMARY KEY (backend, source_lang, target_lang, segment_hash)) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS translation_usage (
                 backend TEXT NOT NULL, day TEXT NOT NULL, chars INTEGER NOT NULL DEFAULT 0,
                 calls INTEGER NOT NULL DEFAULT 0, segments INTEGER NOT NULL DEFAULT 0,
                 cache_hits INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0,
                 check_failures INTEGER NOT NULL DEFAULT 0, kept_original INTEGER NOT NULL DEFAULT 0,
                 unknown_words INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (backend, day)) WITHOUT ROWID;",
        )
        .map_err(err)?;
        // Files written before the unknown-words counter existed get the column.
        let has_unknown: bool = conn
            .prepare(
                "SELECT 1 FROM pragma_table_info('translation_usage') WHERE name = 'unknown_words'",
            )
            .and_then(|mut s| s.exists([]))
            .map_err(err)?;
        if !has_unknown {
            conn.execute_batch(
                "ALTER TABLE translation_usage ADD COLUMN unknown_words INTEGER NOT NULL DEFAULT 0",
            )
            .map_err(err)?;
        }
        Ok(SqliteCache {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    fn err(&self, e: rusqlite::Error) -> TranslateError {
        TranslateError::Cache {
            path: self.path.display().to_string(),
            message: e.to_string(),
        }
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>, TranslateError> {
        self.conn
            .lock()
            .map_err(|_| poisoned(&self.path.display().to_string()))
    }
}

fn as_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl TranslationCache for SqliteCache {
    fn get(&self, key: &CacheKey) -> Result<Option<String>, TranslateError> {
        self.conn()?
            .query_row(
                "SELECT translation FROM translation_cache WHERE backend=?1 AND source_lang=?2 \
                 AND target_lang=?3 AND segment_hash=?4",
                params![key.backend, key.from, key.to, key.hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    fn put(&self, key: &CacheKey, translation: &str) -> Result<(), TranslateError> {
        self.conn()?
            .execute(
                "INSERT OR REPLACE INTO translation_cache VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    key.backend,
                    key.from,
                    key.to,
                    key.hash,
                    translation,
                    chrono::Utc::now().to_rfc3339()
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    fn add_usage(&self, backend: &str, day: NaiveDate, u: Usage) -> Result<(), TranslateError> {
        self.conn()?
            .execute(
                "INSERT INTO translation_usage (backend, day, chars, calls, segments, cache_hits,
                 errors, check_failures, kept_original, unknown_words)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (backend, day) DO UPDATE SET chars=chars+?3, calls=calls+?4,
                 segments=segments+?5, cache_hits=cache_hits+?6, errors=errors+?7,
                 check_failures=check_failures+?8, kept_original=kept_original+?9,
                 unknown_words=unknown_words+?10",
                params![
                    backend,
                    day.to_string(),
                    as_i64(u.chars),
                    as_i64(u.calls),
                    as_i64(u.segments),
                    as_i64(u.cache_hits),
                    as_i64(u.errors),
                    as_i64(u.check_failures),
                    as_i64(u.kept_original),
                    as_i64(u.unknown_words)
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    fn usage(&self, day: Option<NaiveDate>) -> Result<BTreeMap<String, Usage>, TranslateError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT backend, SUM(chars), SUM(calls), SUM(segments), SUM(cache_hits),
                        SUM(errors), SUM(check_failures), SUM(kept_original), SUM(unknown_words)
                 FROM translation_usage WHERE ?1 IS NULL OR day = ?1 GROUP BY backend",
            )
            .map_err(|e| self.err(e))?;
        let day = day.map(|d| d.to_string());
        let rows = stmt
            .query_map(params![day], |r| {
                let n = |i: usize| -> rusqlite::Result<u64> {
                    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
                };
                Ok((
                    r.get::<_, String>(0)?,
                    Usage {
                        chars: n(1)?,
                        calls: n(2)?,
                        segments: n(3)?,
                        cache_hits: n(4)?,
                        errors: n(5)?,
                        check_failures: n(6)?,
                        kept_original: n(7)?,
                        unknown_words: n(8)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (b, u) = row.map_err(|e| self.err(e))?;
            out.insert(b, u);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(cache: &dyn TranslationCache) {
        let k = CacheKey::new("apertium", "en", "es", "Hello ZZ1ZZ.");
        assert_eq!(cache.get(&k).unwrap(), None);
        cache.put(&k, "Hola ZZ1ZZ.").unwrap();
        assert_eq!(cache.get(&k).unwrap().as_deref(), Some("Hola ZZ1ZZ."));
        let other = CacheKey::new("deepl", "en", "es", "Hello ZZ1ZZ.");
        assert_eq!(cache.get(&other).unwrap(), None, "keyed by backend");
        let d1 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        let u = Usage {
            chars: 10,
            calls: 1,
            ..Usage::default()
        };
        cache.add_usage("apertium", d1, u).unwrap();
        cache.add_usage("apertium", d1, u).unwrap();
        cache.add_usage("apertium", d2, u).unwrap();
        assert_eq!(cache.usage(Some(d1)).unwrap()["apertium"].chars, 20);
        assert_eq!(cache.usage(None).unwrap()["apertium"].calls, 3);
    }

    #[test]
    fn memory_cache_works() {
        exercise(&MemoryCache::new());
    }

    #[test]
    fn sqlite_cache_works_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cache.db");
        exercise(&SqliteCache::open(&path).unwrap());
        let again = SqliteCache::open(&path).unwrap();
        let k = CacheKey::new("apertium", "en", "es", "Hello ZZ1ZZ.");
        assert_eq!(again.get(&k).unwrap().as_deref(), Some("Hola ZZ1ZZ."));
    }

    #[test]
    fn a_cache_file_from_before_the_unknown_words_counter_gets_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE translation_usage (
                 backend TEXT NOT NULL, day TEXT NOT NULL, chars INTEGER NOT NULL DEFAULT 0,
                 calls INTEGER NOT NULL DEFAULT 0, segments INTEGER NOT NULL DEFAULT 0,
                 cache_hits INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0,
                 check_failures INTEGER NOT NULL DEFAULT 0, kept_original INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (backend, day)) WITHOUT ROWID;
             INSERT INTO translation_usage VALUES ('apertium', '2026-01-01', 5, 1, 1, 0, 0, 0, 0);",
        )
        .unwrap();
        drop(conn);
        let cache = SqliteCache::open(&path).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let u = Usage {
            unknown_words: 2,
            ..Usage::default()
        };
        cache.add_usage("apertium", day, u).unwrap();
        let total = cache.usage(None).unwrap()["apertium"];
        assert_eq!((total.chars, total.unknown_words), (5, 2));
    }
}

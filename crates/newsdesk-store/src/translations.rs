//! Article translations for the editions: kept beside the original article, never replacing it.
//! Also the translation cache: [`Store`] implements `newsdesk-core`'s [`TranslationCache`]
//! (translated segments keyed by backend, pair and segment hash, and the translation backends'
//! daily [`TranslationUsage`] counters; the tables of migration 0005), which the translate stage
//! calls for every segment. It is the only persistent implementation: the translate crate keeps
//! no files. The trait is in `newsdesk-core` rather than in `newsdesk-translate` so that the
//! store does not depend on the translate crate's HTTP client and the translate crate does not
//! depend on SQLite. A cache in a file of its own (`[translate] cache`) is a newsdesk database
//! too ([`Store::open_translation_cache`]).

use std::collections::{BTreeMap, HashMap};

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use newsdesk_core::{
    ArticleId, CacheKey, TranslationCache, TranslationCacheError, TranslationUsage,
};
use rusqlite::{OptionalExtension, Row, params};

use crate::columns;
use crate::{Result, Store};

/// Whether an article could be translated into an edition's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslationStatus {
    /// Translated (title and lead at least; the body may follow on first view).
    Translated,
    /// Left in its original language (no route for the pair, or the backends failed); see
    /// [`ArticleTranslation::note`].
    Untranslated,
}

impl TranslationStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TranslationStatus::Translated => "translated",
            TranslationStatus::Untranslated => "untranslated",
        }
    }

    pub(crate) fn parse(s: &str) -> TranslationStatus {
        match s {
            "translated" => TranslationStatus::Translated,
            _ => TranslationStatus::Untranslated,
        }
    }
}

/// One article in one edition's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleTranslation {
    /// The translated article.
    pub article_id: ArticleId,
    /// The edition's (target) language.
    pub language: String,
    /// The article's own language, translated from.
    pub source_language: String,
    /// Translated, or left untranslated.
    pub status: TranslationStatus,
    /// The translated title.
    pub title: Option<String>,
    /// The translated list lead.
    pub lead: Option<String>,
    /// The translated body text (lines are paragraphs); `None` until the body is translated.
    pub body_text: Option<String>,
    /// The route taken, e.g. `en →es [apertium] →fr [apertium]`.
    pub route: String,
    /// Names of the backends used, in order.
    pub backends: Vec<String>,
    /// Machine translation (`true`) or human.
    pub machine: bool,
    /// Segments kept in the original language by the checker.
    pub kept_segments: u32,
    /// Why the article is untranslated (or a remark on the translation).
    pub note: Option<String>,
    /// When it was translated.
    pub translated_at: DateTime<Utc>,
}

fn as_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(crate) const COLUMNS: &str = "article_id, language, source_language, status, title, lead, body_text, \
     route, backends, machine, kept_segments, note, translated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ArticleTranslation> {
    let status: String = row.get(3)?;
    Ok(ArticleTranslation {
        article_id: row.get(0)?,
        language: row.get(1)?,
        source_language: row.get(2)?,
        status: TranslationStatus::parse(&status),
        title: row.get(4)?,
        lead: row.get(5)?,
        body_text: row.get(6)?,
        route: row.get(7)?,
        backends: columns::get_list(row, 8)?,
        machine: row.get(9)?,
        kept_segments: row.get(10)?,
        note: row.get(11)?,
        translated_at: columns::get_instant(row, 12)?,
    })
}

impl Store {
    /// Stores (or replaces) the translation of an article into one language.
    pub fn save_translation(&self, t: &ArticleTranslation) -> Result<()> {
        if let Some(pg) = self.pg() {
            return crate::pg::translations::save_translation(pg, t);
        }
        self.write(|conn| {
            conn.prepare_cached(&format!(
                "INSERT OR REPLACE INTO article_translations ({COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ))?
            .execute(params![
                t.article_id,
                t.language,
                t.source_language,
                t.status.as_str(),
                t.title,
                t.lead,
                t.body_text,
                t.route,
                columns::list(&t.backends),
                t.machine,
                t.kept_segments,
                t.note,
                columns::instant(t.translated_at),
            ])?;
            tracing::debug!(article_id = t.article_id, language = %t.language, "store: saved translation");
            Ok(())
        })
    }

    /// The translation of one article into `language`, if any.
    pub fn translation(
        &self,
        article_id: ArticleId,
        language: &str,
    ) -> Result<Option<ArticleTranslation>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::translations::translation(pg, article_id, language);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM article_translations \
                     WHERE article_id = ?1 AND language = ?2"
                ))?
                .query_row(params![article_id, language], from_row)
                .optional()?)
        })
    }

    /// The translations into `language` of these articles (for lists), by article id.
    pub fn translations(
        &self,
        ids: &[ArticleId],
        language: &str,
    ) -> Result<HashMap<ArticleId, ArticleTranslation>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::translations::translations(pg, ids, language);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM article_translations \
                 WHERE article_id = ?1 AND language = ?2"
            ))?;
            let mut found = HashMap::with_capacity(ids.len());
            for id in ids {
                if let Some(t) = stmt.query_row(params![id, language], from_row).optional()? {
                    found.insert(*id, t);
                }
            }
            Ok(found)
        })
    }

    /// Newest articles (at most `limit`) with no translation row for `language` yet, whose
    /// language is known and differs from `language`: `(id, article language)` pairs.
    pub fn untranslated_articles(
        &self,
        language: &str,
        limit: u32,
    ) -> Result<Vec<(ArticleId, String)>> {
        if let Some(pg) = self.pg() {
            return crate::pg::translations::untranslated_articles(pg, language, limit);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.language FROM articles a \
                 WHERE a.language IS NOT NULL AND a.language <> ?1 \
                 AND NOT EXISTS (SELECT 1 FROM article_translations t \
                                 WHERE t.article_id = a.id AND t.language = ?1) \
                 ORDER BY a.sort_at DESC, a.id DESC LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![language, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}

impl Store {
    /// Opens (creating it and its directory if needed) a database file that holds the
    /// translation cache of its own (`[translate] cache`). A cache file written by
    /// newsdesk-translate's former SQLite cache (the same two tables, no migrations) is taken
    /// as it is, and given the `unknown_words` counter if it predates it.
    pub fn open_translation_cache(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| crate::StoreError::Open {
                path: path.display().to_string(),
                message: format!("cannot create the directory {}: {e}", dir.display()),
            })?;
        }
        let store = Store::open(path)?;
        store.write(|conn| {
            let has_unknown = conn
                .prepare(
                    "SELECT 1 FROM pragma_table_info('translation_usage') \
                     WHERE name = 'unknown_words'",
                )?
                .exists([])?;
            if !has_unknown {
                conn.execute_batch(
                    "ALTER TABLE translation_usage \
                     ADD COLUMN unknown_words INTEGER NOT NULL DEFAULT 0",
                )?;
            }
            Ok(())
        })?;
        Ok(store)
    }

    /// Number of cached segment translations.
    pub fn cached_translation_count(&self) -> Result<u64> {
        if let Some(pg) = self.pg() {
            return crate::pg::translations::cache::count(pg);
        }
        self.read(|conn| {
            let n: i64 = conn
                .prepare_cached("SELECT COUNT(*) FROM translation_cache")?
                .query_row([], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    fn cache_error(&self, e: crate::StoreError) -> TranslationCacheError {
        TranslationCacheError {
            place: self.location(),
            message: e.to_string(),
        }
    }
}

impl TranslationCache for Store {
    fn get(&self, key: &CacheKey) -> std::result::Result<Option<String>, TranslationCacheError> {
        if let Some(pg) = self.pg() {
            return crate::pg::translations::cache::get(pg, key).map_err(|e| self.cache_error(e));
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT translation FROM translation_cache WHERE backend = ?1 \
                     AND source_lang = ?2 AND target_lang = ?3 AND segment_hash = ?4",
                )?
                .query_row(params![key.backend, key.from, key.to, key.hash], |r| {
                    r.get(0)
                })
                .optional()?)
        })
        .map_err(|e| self.cache_error(e))
    }

    fn put(
        &self,
        key: &CacheKey,
        translation: &str,
    ) -> std::result::Result<(), TranslationCacheError> {
        if let Some(pg) = self.pg() {
            return crate::pg::translations::cache::put(pg, key, translation)
                .map_err(|e| self.cache_error(e));
        }
        self.write(|conn| {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO translation_cache \
                 (backend, source_lang, target_lang, segment_hash, translation, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                key.backend,
                key.from,
                key.to,
                key.hash,
                translation,
                columns::instant(Utc::now()),
            ])?;
            Ok(())
        })
        .map_err(|e| self.cache_error(e))
    }

    fn add_usage(
        &self,
        backend: &str,
        day: NaiveDate,
        u: TranslationUsage,
    ) -> std::result::Result<(), TranslationCacheError> {
        if let Some(pg) = self.pg() {
            return crate::pg::translations::cache::add_usage(pg, backend, day, u)
                .map_err(|e| self.cache_error(e));
        }
        self.write(|conn| {
            conn.prepare_cached(
                "INSERT INTO translation_usage (backend, day, chars, calls, segments, cache_hits, \
                 errors, check_failures, kept_original, unknown_words) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (backend, day) DO UPDATE SET chars = chars + ?3, \
                 calls = calls + ?4, segments = segments + ?5, cache_hits = cache_hits + ?6, \
                 errors = errors + ?7, check_failures = check_failures + ?8, \
                 kept_original = kept_original + ?9, unknown_words = unknown_words + ?10",
            )?
            .execute(params![
                backend,
                day.to_string(),
                as_i64(u.chars),
                as_i64(u.calls),
                as_i64(u.segments),
                as_i64(u.cache_hits),
                as_i64(u.errors),
                as_i64(u.check_failures),
                as_i64(u.kept_original),
                as_i64(u.unknown_words),
            ])?;
            Ok(())
        })
        .map_err(|e| self.cache_error(e))
    }

    fn usage(
        &self,
        day: Option<NaiveDate>,
    ) -> std::result::Result<BTreeMap<String, TranslationUsage>, TranslationCacheError> {
        if let Some(pg) = self.pg() {
            return crate::pg::translations::cache::usage(pg, day).map_err(|e| self.cache_error(e));
        }
        let day = day.map(|d| d.to_string());
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT backend, SUM(chars), SUM(calls), SUM(segments), SUM(cache_hits), \
                 SUM(errors), SUM(check_failures), SUM(kept_original), \
                 SUM(unknown_words) FROM translation_usage WHERE ?1 IS NULL OR day = ?1 GROUP BY backend",
            )?;
            let rows = stmt.query_map(params![day], |r| {
                let n = |i: usize| -> rusqlite::Result<u64> {
                    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
                };
                Ok((
                    r.get::<_, String>(0)?,
                    TranslationUsage {
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
            })?;
            let mut out = BTreeMap::new();
            for row in rows {
                let (backend, usage) = row?;
                out.insert(backend, usage);
            }
            Ok(out)
        })
        .map_err(|e| self.cache_error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(backend: &str, hash: &str) -> CacheKey {
        CacheKey {
            backend: backend.into(),
            from: "en".into(),
            to: "es".into(),
            hash: hash.into(),
        }
    }

    /// The cache and its usage counters survive a reopen of the database file (hits, misses,
    /// keys and counting through the trait are tested on both backends in
    /// `tests/translations.rs`).
    #[test]
    fn the_translation_cache_survives_a_reopen_of_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let cache: Box<dyn TranslationCache> = Box::new(Store::open(&path).unwrap());
        cache.put(&key("apertium", "h1"), "Hola.").unwrap();
        cache.put(&key("apertium", "h1"), "Hola!").unwrap();
        let d1 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        let u = TranslationUsage {
            chars: 10,
            calls: 1,
            cache_hits: 2,
            unknown_words: 1,
            ..TranslationUsage::default()
        };
        cache.add_usage("apertium", d1, u).unwrap();
        cache.add_usage("apertium", d1, u).unwrap();
        cache.add_usage("apertium", d2, u).unwrap();
        drop(cache);

        let again = Store::open(&path).unwrap();
        assert_eq!(
            again.get(&key("apertium", "h1")).unwrap().as_deref(),
            Some("Hola!")
        );
        assert_eq!(again.cached_translation_count().unwrap(), 1);
        assert_eq!(again.usage(Some(d1)).unwrap()["apertium"].chars, 20);
        let all = again.usage(None).unwrap();
        assert_eq!(all["apertium"].calls, 3);
        assert_eq!(all["apertium"].cache_hits, 6);
        assert_eq!(all["apertium"].unknown_words, 3);
        assert!(
            again
                .usage(Some(d1.pred_opt().unwrap()))
                .unwrap()
                .is_empty()
        );
    }

    /// A cache file of the translate crate's former SQLite cache, from before the
    /// unknown-words counter: opened as a cache file, its translations and counters are kept.
    #[test]
    fn an_old_translate_cache_file_opens_with_its_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE translation_cache (
                 backend TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
                 segment_hash TEXT NOT NULL, translation TEXT NOT NULL, created_at TEXT NOT NULL,
                 PRIMARY KEY (backend, source_lang, target_lang, segment_hash)) WITHOUT ROWID;
             CREATE TABLE translation_usage (
                 backend TEXT NOT NULL, day TEXT NOT NULL, chars INTEGER NOT NULL DEFAULT 0,
                 calls INTEGER NOT NULL DEFAULT 0, segments INTEGER NOT NULL DEFAULT 0,
                 cache_hits INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0,
                 check_failures INTEGER NOT NULL DEFAULT 0, kept_original INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (backend, day)) WITHOUT ROWID;
             INSERT INTO translation_cache VALUES ('apertium', 'en', 'es', 'h1', 'Hola.', '2026-01-01T00:00:00Z');
             INSERT INTO translation_usage (backend, day, chars, calls) VALUES ('apertium', '2026-01-01', 5, 1);",
        )
        .unwrap();
        drop(conn);
        let cache = Store::open_translation_cache(&path).unwrap();
        assert_eq!(
            cache.get(&key("apertium", "h1")).unwrap().as_deref(),
            Some("Hola.")
        );
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        cache
            .add_usage(
                "apertium",
                d,
                TranslationUsage {
                    chars: 1,
                    unknown_words: 2,
                    ..TranslationUsage::default()
                },
            )
            .unwrap();
        let u = cache.usage(Some(d)).unwrap()["apertium"];
        assert_eq!((u.chars, u.calls, u.unknown_words), (6, 1, 2));
        // A file in a directory that does not exist yet.
        let nested = dir.path().join("sub/cache.db");
        assert!(Store::open_translation_cache(&nested).is_ok());
    }
}

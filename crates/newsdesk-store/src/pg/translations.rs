//! Article translations, the translation cache and the usage counters on PostgreSQL (twin of
//! `translations.rs`).

use std::collections::HashMap;

use newsdesk_core::ArticleId;
use postgres::Row;

use super::{Pool, instant, list, opt_text, unsigned};
use crate::translations::{ArticleTranslation, COLUMNS, TranslationStatus};
use crate::{Result, columns};

fn from_row(row: &Row) -> Result<ArticleTranslation> {
    let status: String = row.try_get(3)?;
    let machine: i64 = row.try_get(9)?;
    Ok(ArticleTranslation {
        article_id: row.try_get(0)?,
        language: row.try_get(1)?,
        source_language: row.try_get(2)?,
        status: TranslationStatus::parse(&status),
        title: row.try_get(4)?,
        lead: row.try_get(5)?,
        body_text: row.try_get(6)?,
        route: row.try_get(7)?,
        backends: list(row, 8)?,
        machine: machine != 0,
        kept_segments: unsigned(row, 10)?,
        note: row.try_get(11)?,
        translated_at: instant(row, 12)?,
    })
}

pub(crate) fn save_translation(pool: &Pool, t: &ArticleTranslation) -> Result<()> {
    pool.with(|c| {
        c.execute(
            &format!(
                "INSERT INTO article_translations ({COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (article_id, language) DO UPDATE SET \
                 source_language = excluded.source_language, status = excluded.status, \
                 title = excluded.title, lead = excluded.lead, body_text = excluded.body_text, \
                 route = excluded.route, backends = excluded.backends, \
                 machine = excluded.machine, kept_segments = excluded.kept_segments, \
                 note = excluded.note, translated_at = excluded.translated_at"
            ),
            &[
                &t.article_id,
                &t.language,
                &t.source_language,
                &t.status.as_str(),
                &opt_text(&t.title),
                &opt_text(&t.lead),
                &opt_text(&t.body_text),
                &t.route,
                &columns::list(&t.backends),
                &i64::from(t.machine),
                &i64::from(t.kept_segments),
                &t.note,
                &columns::instant(t.translated_at),
            ],
        )?;
        tracing::debug!(article_id = t.article_id, language = %t.language, "store: saved translation");
        Ok(())
    })
}

pub(crate) fn translation(
    pool: &Pool,
    article_id: ArticleId,
    language: &str,
) -> Result<Option<ArticleTranslation>> {
    pool.with(|c| {
        c.query_opt(
            &format!(
                "SELECT {COLUMNS} FROM article_translations WHERE article_id = $1 AND language = $2"
            ),
            &[&article_id, &language],
        )?
        .map(|r| from_row(&r))
        .transpose()
    })
}

pub(crate) fn translations(
    pool: &Pool,
    ids: &[ArticleId],
    language: &str,
) -> Result<HashMap<ArticleId, ArticleTranslation>> {
    pool.with(|c| {
        c.query(
            &format!(
                "SELECT {COLUMNS} FROM article_translations \
                 WHERE article_id = ANY($1) AND language = $2"
            ),
            &[&ids, &language],
        )?
        .iter()
        .map(|r| from_row(r).map(|t| (t.article_id, t)))
        .collect()
    })
}

pub(crate) fn untranslated_articles(
    pool: &Pool,
    language: &str,
    limit: u32,
) -> Result<Vec<(ArticleId, String)>> {
    pool.with(|c| {
        c.query(
            "SELECT a.id, a.language FROM articles a \
             WHERE a.language IS NOT NULL AND a.language <> $1 \
             AND NOT EXISTS (SELECT 1 FROM article_translations t \
                             WHERE t.article_id = a.id AND t.language = $1) \
             ORDER BY a.sort_at DESC, a.id DESC LIMIT $2",
            &[&language, &i64::from(limit)],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
    })
}

/// The translation cache on PostgreSQL (twin of `impl TranslationCache for Store`).
pub(crate) mod cache {
    use std::collections::BTreeMap;

    use chrono::{NaiveDate, Utc};
    use newsdesk_core::{CacheKey, TranslationUsage};

    use super::super::{Pool, text};
    use crate::{Result, columns};

    fn as_i64(v: u64) -> i64 {
        i64::try_from(v).unwrap_or(i64::MAX)
    }

    pub(crate) fn count(pool: &Pool) -> Result<u64> {
        pool.with(|c| {
            let n: i64 = c
                .query_one("SELECT COUNT(*) FROM translation_cache", &[])?
                .try_get(0)?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    pub(crate) fn get(pool: &Pool, key: &CacheKey) -> Result<Option<String>> {
        pool.with(|c| {
            c.query_opt(
                "SELECT translation FROM translation_cache WHERE backend = $1 \
                 AND source_lang = $2 AND target_lang = $3 AND segment_hash = $4",
                &[&key.backend, &key.from, &key.to, &key.hash],
            )?
            .map(|r| Ok(r.try_get(0)?))
            .transpose()
        })
    }

    pub(crate) fn put(pool: &Pool, key: &CacheKey, translation: &str) -> Result<()> {
        pool.with(|c| {
            c.execute(
                "INSERT INTO translation_cache \
                 (backend, source_lang, target_lang, segment_hash, translation, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (backend, source_lang, target_lang, segment_hash) DO UPDATE SET \
                 translation = excluded.translation, created_at = excluded.created_at",
                &[
                    &key.backend,
                    &key.from,
                    &key.to,
                    &key.hash,
                    &text(translation),
                    &columns::instant(Utc::now()),
                ],
            )?;
            Ok(())
        })
    }

    pub(crate) fn add_usage(
        pool: &Pool,
        backend: &str,
        day: NaiveDate,
        u: TranslationUsage,
    ) -> Result<()> {
        pool.with(|c| {
            c.execute(
                "INSERT INTO translation_usage AS t (backend, day, chars, calls, segments, \
                 cache_hits, errors, check_failures, kept_original, unknown_words) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (backend, day) DO UPDATE SET chars = t.chars + $3, \
                 calls = t.calls + $4, segments = t.segments + $5, \
                 cache_hits = t.cache_hits + $6, errors = t.errors + $7, \
                 check_failures = t.check_failures + $8, \
                 kept_original = t.kept_original + $9, unknown_words = t.unknown_words + $10",
                &[
                    &backend,
                    &day.to_string(),
                    &as_i64(u.chars),
                    &as_i64(u.calls),
                    &as_i64(u.segments),
                    &as_i64(u.cache_hits),
                    &as_i64(u.errors),
                    &as_i64(u.check_failures),
                    &as_i64(u.kept_original),
                    &as_i64(u.unknown_words),
                ],
            )?;
            Ok(())
        })
    }

    pub(crate) fn usage(
        pool: &Pool,
        day: Option<NaiveDate>,
    ) -> Result<BTreeMap<String, TranslationUsage>> {
        let day = day.map(|d| d.to_string());
        pool.with(|c| {
            let rows = c.query(
                "SELECT backend, SUM(chars)::BIGINT, SUM(calls)::BIGINT, SUM(segments)::BIGINT, \
                 SUM(cache_hits)::BIGINT, SUM(errors)::BIGINT, SUM(check_failures)::BIGINT, \
                 SUM(kept_original)::BIGINT, SUM(unknown_words)::BIGINT \
                 FROM translation_usage WHERE $1::TEXT IS NULL OR day = $1 GROUP BY backend",
                &[&day],
            )?;
            let mut out = BTreeMap::new();
            for r in &rows {
                let n = |i: usize| -> Result<u64> {
                    Ok(u64::try_from(r.try_get::<_, i64>(i)?).unwrap_or(0))
                };
                out.insert(
                    r.try_get::<_, String>(0)?,
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
                );
            }
            Ok(out)
        })
    }
}

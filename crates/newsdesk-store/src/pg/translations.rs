//! Article translations on PostgreSQL (twin of the first half of `translations.rs`; the
//! translation cache and usage counters are not on PostgreSQL yet).

use std::collections::HashMap;

use newsdesk_core::ArticleId;
use postgres::Row;

use super::{Pool, instant, list, unsigned};
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
                &t.title,
                &t.lead,
                &t.body_text,
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

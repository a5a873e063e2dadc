//! Articles and the feed entries they came from on PostgreSQL (twin of `articles.rs`).

use chrono::Utc;
use newsdesk_core::{Article, ArticleId, NewArticle, SourceId};
use postgres::{GenericClient, Row};

use super::sources::require_source;
use super::{Pool, instant, list, opt_instant, opt_text, text, unix_seconds};
use crate::articles::{ARTICLE, origin_from};
use crate::lead::lead;
use crate::{Result, columns};

/// Records the feed entry; `false` when (source, entry_key) was already recorded.
fn record_entry_in(c: &mut impl GenericClient, source: SourceId, entry_key: &str) -> Result<bool> {
    let n = c.execute(
        "INSERT INTO feed_entries (source_id, entry_key, first_seen_at) VALUES ($1, $2, $3) \
         ON CONFLICT (source_id, entry_key) DO NOTHING",
        &[&source, &text(entry_key), &columns::instant(Utc::now())],
    )?;
    Ok(n > 0)
}

/// Inserts one article inside the caller's transaction (see `Store::insert_article`).
fn insert_in(c: &mut impl GenericClient, a: &NewArticle) -> Result<Option<ArticleId>> {
    require_source(c, a.source_id)?;
    if !record_entry_in(c, a.source_id, &a.entry_key)? {
        return Ok(None);
    }
    let inserted = c.query_opt(
        "INSERT INTO articles (source_id, entry_key, url, canonical_url, title, authors, \
         published_at, modified_at, fetched_at, sort_at, lead_image, language, summary, lead, \
         body_html, body_text, tags, origin_kind, origin_note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19) ON CONFLICT DO NOTHING RETURNING id",
        &[
            &a.source_id,
            &text(&a.entry_key),
            &text(&a.url),
            &opt_text(&a.canonical_url),
            &text(&a.title),
            &columns::list(&a.authors),
            &columns::opt_instant(a.published_at),
            &columns::opt_instant(a.modified_at),
            &columns::instant(a.fetched_at),
            &a.sort_at().timestamp(),
            &opt_text(&a.lead_image),
            &opt_text(&a.language),
            &opt_text(&a.summary),
            &lead(a.summary.as_deref(), &a.body_text)
                .as_deref()
                .map(text),
            &text(&a.body_html),
            &text(&a.body_text),
            &columns::list(&a.tags),
            &a.origin.kind(),
            &a.origin.note().map(text),
        ],
    )?;
    let Some(row) = inserted else {
        // One article per URL: the entry points at the article already stored under it.
        c.execute(
            "UPDATE feed_entries SET article_id = (SELECT id FROM articles WHERE url = $3) \
             WHERE source_id = $1 AND entry_key = $2",
            &[&a.source_id, &text(&a.entry_key), &text(&a.url)],
        )?;
        tracing::debug!(url = %a.url, "store: URL already stored; entry recorded");
        return Ok(None);
    };
    let id: ArticleId = row.try_get(0)?;
    c.execute(
        "UPDATE feed_entries SET article_id = $3 WHERE source_id = $1 AND entry_key = $2",
        &[&a.source_id, &text(&a.entry_key), &id],
    )?;
    Ok(Some(id))
}

fn article_from_row(row: &Row) -> Result<Article> {
    let kind: String = row.try_get(18)?;
    Ok(Article {
        id: row.try_get(0)?,
        source_name: row.try_get(1)?,
        data: NewArticle {
            source_id: row.try_get(2)?,
            entry_key: row.try_get(3)?,
            url: row.try_get(4)?,
            canonical_url: row.try_get(5)?,
            title: row.try_get(6)?,
            authors: list(row, 7)?,
            published_at: opt_instant(row, 8)?,
            modified_at: opt_instant(row, 9)?,
            fetched_at: instant(row, 10)?,
            lead_image: row.try_get(12)?,
            language: row.try_get(13)?,
            summary: row.try_get(14)?,
            body_html: row.try_get(15)?,
            body_text: row.try_get(16)?,
            tags: list(row, 17)?,
            origin: origin_from(&kind, row.try_get(19)?),
        },
        sort_at: unix_seconds(row, 11)?,
    })
}

pub(crate) fn has_entry(pool: &Pool, source: SourceId, entry_key: &str) -> Result<bool> {
    pool.with(|c| {
        Ok(c.query_one(
            "SELECT EXISTS(SELECT 1 FROM feed_entries WHERE source_id = $1 AND entry_key = $2)",
            &[&source, &text(entry_key)],
        )?
        .try_get(0)?)
    })
}

pub(crate) fn record_entry(pool: &Pool, source: SourceId, entry_key: &str) -> Result<bool> {
    pool.with(|c| {
        let mut tx = c.transaction()?;
        require_source(&mut tx, source)?;
        let recorded = record_entry_in(&mut tx, source, entry_key)?;
        tx.commit()?;
        Ok(recorded)
    })
}

pub(crate) fn has_article_url(pool: &Pool, url: &str) -> Result<bool> {
    pool.with(|c| {
        Ok(c.query_one(
            "SELECT EXISTS(SELECT 1 FROM articles WHERE url = $1) \
             OR EXISTS(SELECT 1 FROM articles WHERE canonical_url = $1)",
            &[&text(url)],
        )?
        .try_get(0)?)
    })
}

/// Stores the articles in one transaction; nothing is stored when any of them fails.
pub(crate) fn insert_articles(
    pool: &Pool,
    articles: &[NewArticle],
) -> Result<Vec<Option<ArticleId>>> {
    pool.with(|c| {
        let mut tx = c.transaction()?;
        // Held shared until commit: `max_article_id` waits for the inserts in flight.
        tx.execute(
            "SELECT pg_advisory_xact_lock_shared($1)",
            &[&crate::ARTICLE_INSERT_LOCK],
        )?;
        let ids = articles
            .iter()
            .map(|a| insert_in(&mut tx, a))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        for (a, id) in articles.iter().zip(&ids) {
            if let Some(id) = id {
                tracing::debug!(id, source = a.source_id, url = %a.url, "store: inserted article");
            }
        }
        Ok(ids)
    })
}

pub(crate) fn get_article(pool: &Pool, id: ArticleId) -> Result<Option<Article>> {
    pool.with(|c| {
        c.query_opt(&format!("{ARTICLE} WHERE a.id = $1"), &[&id])?
            .map(|r| article_from_row(&r))
            .transpose()
    })
}

pub(crate) fn count_articles(pool: &Pool) -> Result<u64> {
    pool.with(|c| {
        let n: i64 = c
            .query_one(
                "SELECT COALESCE(SUM(article_count), 0)::BIGINT FROM sources",
                &[],
            )?
            .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    })
}

pub(crate) fn article_languages(pool: &Pool) -> Result<Vec<(String, u64)>> {
    pool.with(|c| {
        c.query(
            "SELECT language, COUNT(*) FROM articles WHERE language IS NOT NULL \
             GROUP BY language ORDER BY COUNT(*) DESC, language",
            &[],
        )?
        .iter()
        .map(|r| {
            let n: i64 = r.try_get(1)?;
            Ok((r.try_get(0)?, u64::try_from(n).unwrap_or(0)))
        })
        .collect()
    })
}

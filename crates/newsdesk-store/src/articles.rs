//! Articles and the feed entries they came from: idempotent inserts and lookups.

use chrono::Utc;
use newsdesk_core::{Article, ArticleId, ContentOrigin, NewArticle, SourceId};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::columns;
use crate::lead::lead;
use crate::source_rows::source_exists;
use crate::{Result, Store, StoreError};

/// Records the feed entry; `false` when (source, entry_key) was already recorded.
fn record_entry(conn: &Connection, source: SourceId, entry_key: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO feed_entries (source_id, entry_key, first_seen_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (source_id, entry_key) DO NOTHING",
        )?
        .execute(params![source, entry_key, columns::instant(Utc::now())])?;
    Ok(n > 0)
}

/// Inserts one article inside the caller's transaction.
fn insert_in(conn: &Connection, a: &NewArticle) -> Result<Option<ArticleId>> {
    if !source_exists(conn, a.source_id)? {
        return Err(StoreError::NoSuchSource(a.source_id));
    }
    if !record_entry(conn, a.source_id, &a.entry_key)? {
        return Ok(None);
    }
    conn.prepare_cached(
        "INSERT INTO articles (source_id, entry_key, url, canonical_url, title, authors, \
         published_at, modified_at, fetched_at, sort_at, lead_image, language, summary, lead, \
         body_html, body_text, tags, origin_kind, origin_note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        a.source_id,
        a.entry_key,
        a.url,
        a.canonical_url,
        a.title,
        columns::list(&a.authors),
        columns::opt_instant(a.published_at),
        columns::opt_instant(a.modified_at),
        columns::instant(a.fetched_at),
        a.sort_at().timestamp(),
        a.lead_image,
        a.language,
        a.summary,
        lead(a.summary.as_deref(), &a.body_text),
        a.body_html,
        a.body_text,
        columns::list(&a.tags),
        a.origin.kind(),
        a.origin.note(),
    ])?;
    if conn.changes() == 0 {
        // another entry (of this source or another) stored this URL already: one article per
        // URL, so this entry is recorded as pointing at that article
        conn.prepare_cached(
            "UPDATE feed_entries SET article_id = (SELECT id FROM articles WHERE url = ?3) \
             WHERE source_id = ?1 AND entry_key = ?2",
        )?
        .execute(params![a.source_id, a.entry_key, a.url])?;
        tracing::debug!(url = %a.url, "store: URL already stored; entry recorded");
        return Ok(None);
    }
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "UPDATE feed_entries SET article_id = ?3 WHERE source_id = ?1 AND entry_key = ?2",
    )?
    .execute(params![a.source_id, a.entry_key, id])?;
    Ok(Some(id))
}

pub(crate) const ARTICLE: &str = "SELECT a.id, s.name, a.source_id, a.entry_key, a.url, a.canonical_url, \
     a.title, a.authors, a.published_at, a.modified_at, a.fetched_at, a.sort_at, a.lead_image, \
     a.language, a.summary, a.body_html, a.body_text, a.tags, a.origin_kind, a.origin_note \
     FROM articles a JOIN sources s ON s.id = a.source_id";

/// The origin stored as `origin_kind` and `origin_note`.
pub(crate) fn origin_from(kind: &str, note: Option<String>) -> ContentOrigin {
    match kind {
        "feed_summary" => ContentOrigin::FeedSummary {
            reason: note.unwrap_or_default(),
        },
        _ => ContentOrigin::Page,
    }
}

fn article_from_row(row: &Row<'_>) -> rusqlite::Result<Article> {
    let kind: String = row.get(18)?;
    let origin = origin_from(&kind, row.get(19)?);
    Ok(Article {
        id: row.get(0)?,
        source_name: row.get(1)?,
        data: NewArticle {
            source_id: row.get(2)?,
            entry_key: row.get(3)?,
            url: row.get(4)?,
            canonical_url: row.get(5)?,
            title: row.get(6)?,
            authors: columns::get_list(row, 7)?,
            published_at: columns::get_opt_instant(row, 8)?,
            modified_at: columns::get_opt_instant(row, 9)?,
            fetched_at: columns::get_instant(row, 10)?,
            lead_image: row.get(12)?,
            language: row.get(13)?,
            summary: row.get(14)?,
            body_html: row.get(15)?,
            body_text: row.get(16)?,
            tags: columns::get_list(row, 17)?,
            origin,
        },
        sort_at: columns::get_unix_seconds(row, 11)?,
    })
}

impl Store {
    /// Whether an entry with this key was already stored (or recorded) for this source.
    pub fn has_entry(&self, source: SourceId, entry_key: &str) -> Result<bool> {
        if let Some(pg) = self.pg() {
            return crate::pg::articles::has_entry(pg, source, entry_key);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT EXISTS(SELECT 1 FROM feed_entries \
                     WHERE source_id = ?1 AND entry_key = ?2)",
                )?
                .query_row(params![source, entry_key], |r| r.get(0))?)
        })
    }

    /// Records a feed entry that was seen but not stored as an article (for instance because
    /// its URL was already stored from another source), so that [`Store::has_entry`] reports it
    /// and it is not fetched again. `false` when it was already recorded.
    pub fn record_entry(&self, source: SourceId, entry_key: &str) -> Result<bool> {
        if let Some(pg) = self.pg() {
            return crate::pg::articles::record_entry(pg, source, entry_key);
        }
        self.write(|conn| {
            if !source_exists(conn, source)? {
                return Err(StoreError::NoSuchSource(source));
            }
            Ok(record_entry(conn, source, entry_key)?)
        })
    }

    /// Whether any article already has this URL or canonical URL.
    pub fn has_article_url(&self, url: &str) -> Result<bool> {
        if let Some(pg) = self.pg() {
            return crate::pg::articles::has_article_url(pg, url);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT EXISTS(SELECT 1 FROM articles WHERE url = ?1) \
                     OR EXISTS(SELECT 1 FROM articles WHERE canonical_url = ?1)",
                )?
                .query_row([url], |r| r.get(0))?)
        })
    }

    /// Stores one article, its feed entry and its full-text row in one transaction.
    /// `Ok(None)` when (source, entry_key) was already stored, or when an article with the same
    /// (non-empty) URL is (the entry is then recorded as pointing at it: one article per URL,
    /// which the database enforces); [`StoreError::NoSuchSource`]
    /// when its source does not exist.
    pub fn insert_article(&self, a: &NewArticle) -> Result<Option<ArticleId>> {
        if let Some(pg) = self.pg() {
            return crate::pg::articles::insert_articles(pg, std::slice::from_ref(a))
                .map(|ids| ids.into_iter().next().flatten());
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = insert_in(&tx, a)?;
            tx.commit()?;
            if let Some(id) = id {
                tracing::debug!(id, source = a.source_id, url = %a.url, "store: inserted article");
            }
            Ok(id)
        })
    }

    /// Stores many articles in one transaction (much faster for bulk ingest); one result per
    /// input, as [`Store::insert_article`]. Nothing is stored when any of them fails.
    pub fn insert_articles(&self, articles: &[NewArticle]) -> Result<Vec<Option<ArticleId>>> {
        if let Some(pg) = self.pg() {
            return crate::pg::articles::insert_articles(pg, articles);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let ids = articles
                .iter()
                .map(|a| insert_in(&tx, a))
                .collect::<Result<Vec<_>>>()?;
            tx.commit()?;
            Ok(ids)
        })
    }

    /// One article with everything that was stored.
    pub fn get_article(&self, id: ArticleId) -> Result<Option<Article>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::articles::get_article(pg, id);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!("{ARTICLE} WHERE a.id = ?1"))?
                .query_row([id], article_from_row)
                .optional()?)
        })
    }

    /// Number of stored articles (from per-source counters: constant time per source).
    pub fn count_articles(&self) -> Result<u64> {
        if let Some(pg) = self.pg() {
            return crate::pg::articles::count_articles(pg);
        }
        self.read(|conn| {
            let n: i64 = conn
                .prepare_cached("SELECT COALESCE(SUM(article_count), 0) FROM sources")?
                .query_row([], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    /// The detected languages of the stored articles, with how many articles each, most
    /// frequent first (articles of unknown language are left out).
    pub fn article_languages(&self) -> Result<Vec<(String, u64)>> {
        if let Some(pg) = self.pg() {
            return crate::pg::articles::article_languages(pg);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT language, COUNT(*) FROM articles WHERE language IS NOT NULL \
                 GROUP BY language ORDER BY COUNT(*) DESC, language",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                ))
            })?;
            Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
        })
    }
}

//! What `newsdesk status` shows of the store: the backend, the schema version, the rows of
//! every table, the last fetch and the story stage's lag. The same queries on both backends.

use chrono::{DateTime, Utc};
use newsdesk_core::ArticleId;
use serde::Serialize;

use crate::copy::TABLES;
use crate::{Result, Store, StoreError};

/// A summary of the store's contents and progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreStatus {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The SQLite file, or the PostgreSQL URL without its password.
    pub location: String,
    /// The schema version in the database.
    pub schema_version: u32,
    /// Rows per table (the tables `store copy` moves), in dependency order.
    pub tables: Vec<(String, u64)>,
    /// When a source was last fetched, if ever.
    pub last_fetch_at: Option<DateTime<Utc>>,
    /// Sources never fetched.
    pub sources_never_fetched: u64,
    /// Sources whose last fetches failed (at least one failure in a row).
    pub sources_failing: u64,
    /// Sources paused by the scheduler.
    pub sources_paused: u64,
    /// The last article placed in stories, if any.
    pub stories_placed_through: Option<ArticleId>,
    /// The newest article, if any.
    pub newest_article: Option<ArticleId>,
    /// Articles stored after the last one placed in stories (the story stage's lag).
    pub articles_not_placed: u64,
    /// The work queue of `newsdesk worker`: depths, workers and their leases, jobs given up.
    pub queue: crate::QueueStatus,
}

impl Store {
    /// One number from a query written in the SQL both backends share.
    fn scalar_i64(&self, sql: &str) -> Result<Option<i64>> {
        if let Some(pg) = self.pg() {
            return pg.with(|c| Ok(c.query_one(sql, &[])?.try_get(0)?));
        }
        self.read(|conn| Ok(conn.query_row(sql, [], |r| r.get(0))?))
    }

    fn scalar_text(&self, sql: &str) -> Result<Option<String>> {
        if let Some(pg) = self.pg() {
            return pg.with(|c| Ok(c.query_one(sql, &[])?.try_get(0)?));
        }
        self.read(|conn| Ok(conn.query_row(sql, [], |r| r.get(0))?))
    }

    fn count(&self, sql: &str) -> Result<u64> {
        Ok(self
            .scalar_i64(sql)?
            .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
    }

    /// The store's backend, schema version, rows per table, last fetch and story progress
    /// (exact counts: a full count of each table).
    pub fn status(&self) -> Result<StoreStatus> {
        let mut tables = Vec::with_capacity(TABLES.len());
        for (table, _) in TABLES {
            tables.push((
                (*table).to_owned(),
                self.count(&format!("SELECT COUNT(*) FROM {table}"))?,
            ));
        }
        let last_fetch_at = self
            .scalar_text("SELECT MAX(last_fetch_at) FROM fetch_state")?
            .map(|s| {
                DateTime::parse_from_rfc3339(&s)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| StoreError::Decode(format!("last_fetch_at {s:?}: {e}")))
            })
            .transpose()?;
        let placed = self.story_placed_through()?;
        Ok(StoreStatus {
            backend: if self.is_postgres() {
                "postgres"
            } else {
                "sqlite"
            },
            location: self.location(),
            schema_version: self.schema_version()?,
            tables,
            last_fetch_at,
            sources_never_fetched: self.count(
                "SELECT COUNT(*) FROM sources s WHERE NOT EXISTS (SELECT 1 FROM fetch_state f \
                 WHERE f.source_id = s.id AND f.last_fetch_at IS NOT NULL)",
            )?,
            sources_failing: self
                .count("SELECT COUNT(*) FROM fetch_state WHERE consecutive_failures > 0")?,
            sources_paused: self
                .count("SELECT COUNT(*) FROM fetch_state WHERE paused_reason IS NOT NULL")?,
            stories_placed_through: placed,
            newest_article: self.max_article_id()?,
            articles_not_placed: self.count(&format!(
                "SELECT COUNT(*) FROM articles WHERE id > {}",
                placed.unwrap_or(0)
            ))?,
            queue: self.queue_status(Utc::now())?,
        })
    }
}

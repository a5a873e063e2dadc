//! Sources, fetch state and the scheduler's bookkeeping on PostgreSQL (twins of `sources.rs`,
//! `fetch_state.rs` and `schedule.rs`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use newsdesk_core::{
    ArticleId, FetchState, FetchStatus, NewSource, Source, SourceId, SourceProfile,
    SourceWithStats, clean_label,
};
use postgres::{GenericClient, Row};

use super::{Pool, instant, opt_instant, opt_text, opt_unsigned, text, unsigned};
use crate::sources::{
    SOURCE, SourceRow, SourceUpdate, WITH_STATS, languages_from_column, non_empty,
};
use crate::{Result, ScheduleState, StoreError, columns};

fn source_from_row(row: &Row) -> Result<Source> {
    let facts: String = row.try_get(11)?;
    Ok(Source {
        id: row.try_get(0)?,
        feed_url: row.try_get(1)?,
        site_url: row.try_get(2)?,
        name: clean_label(&row.try_get::<_, String>(3)?),
        languages: languages_from_column(row.try_get(4)?, &row.try_get::<_, String>(12)?),
        language: row.try_get(4)?,
        country: row.try_get(5)?,
        created_at: instant(row, 6)?,
        profile: SourceProfile {
            owner: row.try_get(7)?,
            typology: row.try_get(8)?,
            media_type: row.try_get(9)?,
            matrix_asset: row.try_get(10)?,
            facts: serde_json::from_str(&facts).unwrap_or_default(),
        },
    })
}

/// A fetch state from the nine `fetch_state` columns starting at `at`; `None` for a missing
/// row (LEFT JOIN).
fn fetch_state_from_row(row: &Row, at: usize) -> Result<Option<FetchState>> {
    let Some(source_id) = row.try_get::<_, Option<SourceId>>(at)? else {
        return Ok(None);
    };
    let status: String = row.try_get(at + 4)?;
    Ok(Some(FetchState {
        source_id,
        etag: row.try_get(at + 1)?,
        last_modified: row.try_get(at + 2)?,
        last_fetch_at: opt_instant(row, at + 3)?,
        last_status: FetchStatus::parse(&status),
        last_error: row.try_get(at + 5)?,
        last_http_status: opt_unsigned(row, at + 6)?,
        consecutive_failures: unsigned(row, at + 7)?,
        next_fetch_at: opt_instant(row, at + 8)?,
    }))
}

fn with_stats_from_row(row: &Row) -> Result<SourceWithStats> {
    let source = source_from_row(row)?;
    let count: i64 = row.try_get(13)?;
    let fetch = fetch_state_from_row(row, 14)?.unwrap_or_else(|| FetchState::never(source.id));
    Ok(SourceWithStats {
        source,
        fetch,
        article_count: u64::try_from(count).unwrap_or(0),
    })
}

fn source_by_id(c: &mut impl GenericClient, id: SourceId) -> Result<Option<Source>> {
    c.query_opt(&format!("{SOURCE} WHERE id = $1"), &[&id])?
        .map(|r| source_from_row(&r))
        .transpose()
}

fn id_by_feed_url(c: &mut impl GenericClient, feed_url: &str) -> Result<Option<SourceId>> {
    Ok(c.query_opt(
        "SELECT id FROM sources WHERE feed_url = $1",
        &[&text(feed_url)],
    )?
    .map(|r| r.try_get(0))
    .transpose()?)
}

/// [`StoreError::NoSuchSource`] unless the source exists.
pub(crate) fn require_source(c: &mut impl GenericClient, id: SourceId) -> Result<()> {
    let exists: bool = c
        .query_one("SELECT EXISTS(SELECT 1 FROM sources WHERE id = $1)", &[&id])?
        .try_get(0)?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::NoSuchSource(id))
    }
}

pub(crate) fn add_source(pool: &Pool, s: &NewSource, name: &str) -> Result<Source> {
    let feed_url = s.feed_url.trim();
    pool.with(|c| {
        let mut tx = c.transaction()?;
        // The unique feed URL decides between two nodes adding the same feed at once.
        let inserted = tx.query_opt(
            "INSERT INTO sources (feed_url, site_url, name, language, country, created_at, \
             languages) VALUES ($1, $2, $3, $4, $5, $6, COALESCE($4, '')) ON CONFLICT (feed_url) DO NOTHING RETURNING id",
            &[
                &text(feed_url),
                &non_empty(&s.site_url).map(text),
                &text(name),
                &non_empty(&s.language).map(text),
                &non_empty(&s.country).map(text),
                &columns::instant(Utc::now()),
            ],
        )?;
        let Some(row) = inserted else {
            let id = id_by_feed_url(&mut tx, feed_url)?.unwrap_or_default();
            return Err(StoreError::DuplicateSource {
                feed_url: feed_url.to_owned(),
                id,
            });
        };
        let id: SourceId = row.try_get(0)?;
        let source = source_by_id(&mut tx, id)?.ok_or(StoreError::NoSuchSource(id))?;
        tx.commit()?;
        tracing::info!(id, feed_url, "store: added source");
        Ok(source)
    })
}

pub(crate) fn update_source(pool: &Pool, id: SourceId, u: &SourceUpdate) -> Result<Source> {
    pool.with(|c| {
        let mut tx = c.transaction()?;
        let current = tx
            .query_opt(&format!("{SOURCE} WHERE id = $1 FOR UPDATE"), &[&id])?
            .map(|r| source_from_row(&r))
            .transpose()?
            .ok_or(StoreError::NoSuchSource(id))?;
        let (row, url_changed) = SourceRow::updated(current, u)?;
        if url_changed && let Some(other) = id_by_feed_url(&mut tx, &row.feed_url)? {
            return Err(StoreError::DuplicateSource {
                feed_url: row.feed_url,
                id: other,
            });
        }
        tx.execute(
            "UPDATE sources SET feed_url = $2, site_url = $3, name = $4, language = $5, \
             country = $6, owner = $7, typology = $8, media_type = $9, matrix_asset = $10, \
             profile_facts = $11, languages = $12 WHERE id = $1",
            &[
                &id,
                &text(&row.feed_url),
                &opt_text(&row.site_url),
                &text(&row.name),
                &opt_text(&row.language),
                &opt_text(&row.country),
                &opt_text(&row.owner),
                &opt_text(&row.typology),
                &opt_text(&row.media_type),
                &row.matrix_asset,
                &row.facts,
                &row.languages,
            ],
        )?;
        if url_changed {
            tx.execute(
                "UPDATE fetch_state SET etag = NULL, last_modified = NULL WHERE source_id = $1",
                &[&id],
            )?;
        }
        let source = source_by_id(&mut tx, id)?.ok_or(StoreError::NoSuchSource(id))?;
        tx.commit()?;
        Ok(source)
    })
}

pub(crate) fn remove_source(pool: &Pool, id: SourceId) -> Result<bool> {
    pool.with(|c| {
        let n = c.execute("DELETE FROM sources WHERE id = $1", &[&id])?;
        if n > 0 {
            tracing::info!(id, "store: removed source");
        }
        Ok(n > 0)
    })
}

pub(crate) fn get_source(pool: &Pool, id: SourceId) -> Result<Option<SourceWithStats>> {
    pool.with(|c| {
        c.query_opt(&format!("{WITH_STATS} WHERE s.id = $1"), &[&id])?
            .map(|r| with_stats_from_row(&r))
            .transpose()
    })
}

pub(crate) fn list_sources(pool: &Pool) -> Result<Vec<SourceWithStats>> {
    pool.with(|c| {
        c.query(&format!("{WITH_STATS} ORDER BY lower(s.name), s.id"), &[])?
            .iter()
            .map(with_stats_from_row)
            .collect()
    })
}

pub(crate) fn sources_by_ids(pool: &Pool, ids: &[SourceId]) -> Result<HashMap<SourceId, Source>> {
    pool.with(|c| {
        c.query(&format!("{SOURCE} WHERE id = ANY($1)"), &[&ids])?
            .iter()
            .map(|r| source_from_row(r).map(|s| (s.id, s)))
            .collect()
    })
}

pub(crate) fn sources_of_articles(
    pool: &Pool,
    articles: &[ArticleId],
) -> Result<HashMap<ArticleId, Source>> {
    pool.with(|c| {
        let rows = c.query(
            "SELECT s.id, s.feed_url, s.site_url, s.name, s.language, s.country, s.created_at, \
             s.owner, s.typology, s.media_type, s.matrix_asset, s.profile_facts, s.languages, a.id \
             FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ANY($1)",
            &[&articles],
        )?;
        rows.iter()
            .map(|r| Ok((r.try_get::<_, ArticleId>(13)?, source_from_row(r)?)))
            .collect()
    })
}

pub(crate) fn source_article_urls(pool: &Pool, id: SourceId, limit: usize) -> Result<Vec<String>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    pool.with(|c| {
        c.query(
            "SELECT url FROM articles WHERE source_id = $1 ORDER BY sort_at DESC, id DESC LIMIT $2",
            &[&id, &limit],
        )?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
    })
}

pub(crate) fn source_by_feed_url(pool: &Pool, feed_url: &str) -> Result<Option<Source>> {
    pool.with(|c| {
        c.query_opt(
            &format!("{SOURCE} WHERE feed_url = $1"),
            &[&text(feed_url.trim())],
        )?
        .map(|r| source_from_row(&r))
        .transpose()
    })
}

pub(crate) fn fetch_state(pool: &Pool, id: SourceId) -> Result<FetchState> {
    pool.with(|c| {
        let row = c
            .query_opt(
                "SELECT s.id, f.source_id, f.etag, f.last_modified, f.last_fetch_at, \
                 f.last_status, f.last_error, f.last_http_status, f.consecutive_failures, \
                 f.next_fetch_at \
                 FROM sources s LEFT JOIN fetch_state f ON f.source_id = s.id WHERE s.id = $1",
                &[&id],
            )?
            .ok_or(StoreError::NoSuchSource(id))?;
        Ok(fetch_state_from_row(&row, 1)?.unwrap_or_else(|| FetchState::never(id)))
    })
}

/// Saves a fetch state, and the scheduler's bookkeeping when given, in one transaction.
pub(crate) fn save_fetch_outcome(
    pool: &Pool,
    state: &FetchState,
    sched: Option<&ScheduleState>,
) -> Result<()> {
    let id = state.source_id;
    pool.with(|c| {
        let mut tx = c.transaction()?;
        require_source(&mut tx, id)?;
        tx.execute(
            "INSERT INTO fetch_state (source_id, etag, last_modified, last_fetch_at, \
             last_status, last_error, last_http_status, consecutive_failures, next_fetch_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (source_id) DO UPDATE SET etag = excluded.etag, \
             last_modified = excluded.last_modified, last_fetch_at = excluded.last_fetch_at, \
             last_status = excluded.last_status, last_error = excluded.last_error, \
             last_http_status = excluded.last_http_status, \
             consecutive_failures = excluded.consecutive_failures, \
             next_fetch_at = excluded.next_fetch_at",
            &[
                &id,
                &opt_text(&state.etag),
                &opt_text(&state.last_modified),
                &columns::opt_instant(state.last_fetch_at),
                &state.last_status.as_str(),
                &opt_text(&state.last_error),
                &state.last_http_status.map(i64::from),
                &i64::from(state.consecutive_failures),
                &columns::opt_instant(state.next_fetch_at),
            ],
        )?;
        if let Some(sched) = sched {
            save_schedule_state_in(&mut tx, id, sched)?;
        }
        tx.commit()?;
        Ok(())
    })
}

pub(crate) fn due_sources(pool: &Pool, now: DateTime<Utc>) -> Result<Vec<SourceId>> {
    pool.with(|c| {
        c.query(
            "SELECT s.id FROM sources s LEFT JOIN fetch_state f ON f.source_id = s.id \
             WHERE (f.next_fetch_at IS NULL OR f.next_fetch_at <= $1) \
             AND f.paused_reason IS NULL \
             ORDER BY f.next_fetch_at IS NOT NULL, f.next_fetch_at, s.id",
            &[&columns::instant(now)],
        )?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
    })
}

pub(crate) fn schedule_state(pool: &Pool, id: SourceId) -> Result<ScheduleState> {
    pool.with(|c| {
        let row = c
            .query_opt(
                "SELECT s.id, f.paused_reason, f.paused_at, f.redirect_url, f.redirect_seen \
                 FROM sources s LEFT JOIN fetch_state f ON f.source_id = s.id WHERE s.id = $1",
                &[&id],
            )?
            .ok_or(StoreError::NoSuchSource(id))?;
        Ok(ScheduleState {
            paused_reason: row.try_get(1)?,
            paused_at: opt_instant(&row, 2)?,
            redirect_url: row.try_get(3)?,
            redirect_seen: opt_unsigned(&row, 4)?.unwrap_or(0),
        })
    })
}

fn save_schedule_state_in(
    tx: &mut impl GenericClient,
    id: SourceId,
    s: &ScheduleState,
) -> Result<()> {
    tx.execute(
        "INSERT INTO fetch_state (source_id, paused_reason, paused_at, redirect_url, \
         redirect_seen) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (source_id) DO UPDATE SET paused_reason = excluded.paused_reason, \
         paused_at = excluded.paused_at, redirect_url = excluded.redirect_url, \
         redirect_seen = excluded.redirect_seen",
        &[
            &id,
            &s.paused_reason,
            &columns::opt_instant(s.paused_at),
            &s.redirect_url,
            &i64::from(s.redirect_seen),
        ],
    )?;
    Ok(())
}

pub(crate) fn save_schedule_state(pool: &Pool, id: SourceId, s: &ScheduleState) -> Result<()> {
    pool.with(|c| {
        let mut tx = c.transaction()?;
        require_source(&mut tx, id)?;
        save_schedule_state_in(&mut tx, id, s)?;
        tx.commit()?;
        Ok(())
    })
}

pub(crate) fn resume_source(pool: &Pool, id: SourceId) -> Result<bool> {
    pool.with(|c| {
        let mut tx = c.transaction()?;
        require_source(&mut tx, id)?;
        let n = tx.execute(
            "UPDATE fetch_state SET paused_reason = NULL, paused_at = NULL, \
             consecutive_failures = 0, next_fetch_at = NULL \
             WHERE source_id = $1 AND paused_reason IS NOT NULL",
            &[&id],
        )?;
        tx.commit()?;
        if n > 0 {
            tracing::info!(source_id = id, "store: resumed source");
        }
        Ok(n > 0)
    })
}

pub(crate) fn paused_sources(pool: &Pool) -> Result<Vec<(SourceId, String)>> {
    pool.with(|c| {
        c.query(
            "SELECT source_id, paused_reason FROM fetch_state \
             WHERE paused_reason IS NOT NULL ORDER BY source_id",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
    })
}

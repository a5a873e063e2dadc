//! What the fetcher remembers about each source between passes.

use chrono::{DateTime, Utc};
use newsdesk_core::{FetchState, SourceId};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use crate::columns;
use crate::source_rows::{fetch_state_from_row, source_exists};
use crate::{Result, ScheduleState, Store, StoreError};

impl Store {
    /// The fetch state of a source: [`FetchState::never`] when it was never fetched,
    /// [`StoreError::NoSuchSource`] when there is no such source.
    pub fn fetch_state(&self, id: SourceId) -> Result<FetchState> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::fetch_state(pg, id);
        }
        self.read(|conn| {
            let found = conn
                .prepare_cached(
                    "SELECT s.id, f.source_id, f.etag, f.last_modified, f.last_fetch_at, \
                     f.last_status, f.last_error, f.last_http_status, f.consecutive_failures, \
                     f.next_fetch_at \
                     FROM sources s LEFT JOIN fetch_state f ON f.source_id = s.id WHERE s.id = ?1",
                )?
                .query_row([id], |row| fetch_state_from_row(row, 1))
                .optional()?;
            match found {
                None => Err(StoreError::NoSuchSource(id)),
                Some(state) => Ok(state.unwrap_or_else(|| FetchState::never(id))),
            }
        })
    }

    /// Saves (inserts or replaces) the fetch state of `state.source_id`.
    pub fn save_fetch_state(&self, state: &FetchState) -> Result<()> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::save_fetch_outcome(pg, state, None);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            save_fetch_state_in(&tx, state)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Saves the fetch state and the scheduler bookkeeping of `state.source_id` in one
    /// transaction (what the scheduler does after every fetch).
    pub fn save_fetch_outcome(&self, state: &FetchState, sched: &ScheduleState) -> Result<()> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::save_fetch_outcome(pg, state, Some(sched));
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            save_fetch_state_in(&tx, state)?;
            crate::schedule::save_schedule_state_in(&tx, state.source_id, sched)?;
            tx.commit()?;
            Ok(())
        })
    }
}

/// Saves a fetch state inside the caller's transaction.
fn save_fetch_state_in(tx: &rusqlite::Connection, state: &FetchState) -> Result<()> {
    let id = state.source_id;
    if !source_exists(tx, id)? {
        return Err(StoreError::NoSuchSource(id));
    }
    tx.prepare_cached(
        "INSERT INTO fetch_state (source_id, etag, last_modified, last_fetch_at, \
                 last_status, last_error, last_http_status, consecutive_failures, next_fetch_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                 ON CONFLICT (source_id) DO UPDATE SET etag = excluded.etag, \
                 last_modified = excluded.last_modified, last_fetch_at = excluded.last_fetch_at, \
                 last_status = excluded.last_status, last_error = excluded.last_error, \
                 last_http_status = excluded.last_http_status, \
                 consecutive_failures = excluded.consecutive_failures, \
                 next_fetch_at = excluded.next_fetch_at",
    )?
    .execute(params![
        id,
        state.etag,
        state.last_modified,
        columns::opt_instant(state.last_fetch_at),
        state.last_status.as_str(),
        state.last_error,
        state.last_http_status,
        state.consecutive_failures,
        columns::opt_instant(state.next_fetch_at),
    ])?;
    Ok(())
}

impl Store {
    /// Sources due for a fetch at `now`: never fetched, or whose `next_fetch_at` is not after
    /// `now`, and not paused; the most overdue first (never-fetched ones before all others), then
    /// by id.
    pub fn due_sources(&self, now: DateTime<Utc>) -> Result<Vec<SourceId>> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::due_sources(pg, now);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT s.id FROM sources s LEFT JOIN fetch_state f ON f.source_id = s.id \
                 WHERE (f.next_fetch_at IS NULL OR f.next_fetch_at <= ?1) \
                 AND f.paused_reason IS NULL \
                 ORDER BY f.next_fetch_at IS NOT NULL, f.next_fetch_at, s.id",
            )?;
            let rows = stmt.query_map([columns::instant(now)], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

//! Row helpers shared by the source, fetch-state and schedule modules (a leaf: it imports none
//! of them, so they do not import each other in a circle).

use newsdesk_core::{FetchState, FetchStatus, SourceId};
use rusqlite::{Connection, Row};

use crate::columns;

/// Whether a source with this id exists.
pub(crate) fn source_exists(conn: &Connection, id: SourceId) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS(SELECT 1 FROM sources WHERE id = ?1)")?
        .query_row([id], |r| r.get(0))
}

/// Reads a fetch state from `fetch_state` columns starting at `at` (`source_id, etag,
/// last_modified, last_fetch_at, last_status, last_error, last_http_status,
/// consecutive_failures, next_fetch_at`); `None` when the row is absent (LEFT JOIN).
pub(crate) fn fetch_state_from_row(
    row: &Row<'_>,
    at: usize,
) -> rusqlite::Result<Option<FetchState>> {
    let Some(source_id) = row.get::<_, Option<SourceId>>(at)? else {
        return Ok(None);
    };
    let status: String = row.get(at + 4)?;
    Ok(Some(FetchState {
        source_id,
        etag: row.get(at + 1)?,
        last_modified: row.get(at + 2)?,
        last_fetch_at: columns::get_opt_instant(row, at + 3)?,
        last_status: FetchStatus::parse(&status),
        last_error: row.get(at + 5)?,
        last_http_status: row.get(at + 6)?,
        consecutive_failures: row.get(at + 7)?,
        next_fetch_at: columns::get_opt_instant(row, at + 8)?,
    }))
}

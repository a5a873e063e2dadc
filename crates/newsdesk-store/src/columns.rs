//! How values are encoded in columns: instants as fixed-width RFC 3339 text, lists as JSON.
//!
//! Instants are written in UTC with nanoseconds (`2026-01-02T03:04:05.000000000Z`), so they
//! round-trip exactly and sort correctly as text. `articles.sort_at` is the exception: it is
//! INTEGER unix seconds, the keyset-pagination key (see [`newsdesk_core::Cursor`]).

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use rusqlite::Row;
use rusqlite::types::Type;

/// Encodes an instant for a TEXT column.
pub(crate) fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// Encodes an optional instant for a TEXT column.
pub(crate) fn opt_instant(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(instant)
}

fn conversion(
    idx: usize,
    ty: Type,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, ty, Box::new(e))
}

/// Reads an optional instant stored by [`instant`].
pub(crate) fn get_opt_instant(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| conversion(idx, Type::Text, e))
    })
    .transpose()
}

/// Reads a required instant stored by [`instant`].
pub(crate) fn get_instant(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    get_opt_instant(row, idx)?.ok_or(rusqlite::Error::InvalidColumnType(
        idx,
        "instant".into(),
        Type::Null,
    ))
}

/// Reads unix seconds (the `sort_at` column).
pub(crate) fn get_unix_seconds(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let secs: i64 = row.get(idx)?;
    Utc.timestamp_opt(secs, 0)
        .single()
        .ok_or(rusqlite::Error::IntegralValueOutOfRange(idx, secs))
}

/// The unix second at or after `t` (so `sort_at >= ceil(t)` ⇔ the whole-second sort time is
/// not before `t`).
pub(crate) fn ceil_seconds(t: DateTime<Utc>) -> i64 {
    t.timestamp() + i64::from(t.timestamp_subsec_nanos() > 0)
}

/// Encodes a list of strings as a JSON array.
pub(crate) fn list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// Reads a JSON array of strings stored by [`list`].
pub(crate) fn get_list(row: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    let text: Option<String> = row.get(idx)?;
    match text {
        None => Ok(Vec::new()),
        Some(s) => serde_json::from_str(&s).map_err(|e| conversion(idx, Type::Text, e)),
    }
}

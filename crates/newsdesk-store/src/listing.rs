//! Newest-first article lists with keyset pagination on (`sort_at`, `id`).
//!
//! A page asks for `limit + 1` rows: the extra row only tells whether there is a next page. The
//! next cursor is the last shown row's (`sort_at`, `id`); the next page starts strictly after it
//! with a row-value comparison that SQLite answers from the `(…, sort_at DESC, id DESC)`
//! indexes, so every page costs the same at any depth (no `OFFSET`).

use newsdesk_core::{ArticlePage, ArticleQuery, ArticleSummary, Cursor};
use rusqlite::Row;
use rusqlite::types::Value;

use crate::{Result, Store, columns};

/// Columns of an [`ArticleSummary`] (articles `a` joined with sources `s`): only small columns
/// stored before the large ones, never `body_html` or `body_text`.
pub(crate) const SUMMARY_COLUMNS: &str = "a.id, a.source_id, s.name, a.title, a.url, a.authors, \
     a.published_at, a.sort_at, a.language, a.lead, a.lead_image";

/// Reads a row selected with [`SUMMARY_COLUMNS`].
pub(crate) fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: row.get(0)?,
        source_id: row.get(1)?,
        source_name: row.get(2)?,
        title: row.get(3)?,
        url: row.get(4)?,
        authors: columns::get_list(row, 5)?,
        published_at: columns::get_opt_instant(row, 6)?,
        sort_at: columns::get_unix_seconds(row, 7)?,
        language: row.get(8)?,
        lead: row.get(9)?,
        lead_image: row.get(10)?,
    })
}

impl Store {
    /// One page of articles, newest first, with the filters of `q`; see the module docs.
    pub fn list_articles(&self, q: &ArticleQuery) -> Result<ArticlePage> {
        let limit = q.effective_limit() as usize;
        let mut sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id WHERE 1"
        );
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(source) = q.source {
            arg(&mut sql, " AND a.source_id = ?", Value::Integer(source));
        }
        if let Some(lang) = &q.lang {
            arg(&mut sql, " AND a.language = ?", Value::Text(lang.clone()));
        }
        if let Some(since) = q.since {
            let secs = columns::ceil_seconds(since);
            arg(&mut sql, " AND a.sort_at >= ?", Value::Integer(secs));
        }
        if let Some(until) = q.until {
            let secs = columns::ceil_seconds(until);
            arg(&mut sql, " AND a.sort_at < ?", Value::Integer(secs));
        }
        if let Some(before) = q.before {
            arg(
                &mut sql,
                " AND (a.sort_at, a.id) < (?",
                Value::Integer(before.sort_at.timestamp()),
            );
            arg(&mut sql, ", ?)", Value::Integer(before.id));
        }
        arg(
            &mut sql,
            " ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
            Value::Integer(limit as i64 + 1),
        );
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), summary_from_row)?;
            let mut items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            let next = if items.len() > limit {
                items.truncate(limit);
                items.last().map(|last| Cursor {
                    sort_at: last.sort_at,
                    id: last.id,
                })
            } else {
                None
            };
            Ok(ArticlePage { items, next })
        })
    }
}

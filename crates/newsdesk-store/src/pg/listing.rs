//! Newest-first article lists with keyset pagination on PostgreSQL (twin of `listing.rs`; the
//! query is built by the same function, with `$N` placeholders).

use newsdesk_core::{ArticlePage, ArticleQuery, ArticleSummary};
use postgres::Row;
use postgres::types::ToSql;

use super::{Pool, list, opt_instant, unix_seconds};
use crate::Result;
use crate::listing::{Arg, list_query, page_of};

/// Reads a row selected with `SUMMARY_COLUMNS`.
pub(crate) fn summary_from_row(row: &Row) -> Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: row.try_get(0)?,
        source_id: row.try_get(1)?,
        source_name: row.try_get(2)?,
        title: row.try_get(3)?,
        url: row.try_get(4)?,
        authors: list(row, 5)?,
        published_at: opt_instant(row, 6)?,
        sort_at: unix_seconds(row, 7)?,
        language: row.try_get(8)?,
        lead: row.try_get(9)?,
        lead_image: row.try_get(10)?,
        source_country: row.try_get(11)?,
        source_typology: row.try_get(12)?,
    })
}

/// The arguments as PostgreSQL parameters.
pub(crate) fn params(args: &[Arg]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter()
        .map(|a| match a {
            Arg::Int(i) => i as &(dyn ToSql + Sync),
            Arg::Text(t) => t as &(dyn ToSql + Sync),
        })
        .collect()
}

pub(crate) fn list_articles(pool: &Pool, q: &ArticleQuery) -> Result<ArticlePage> {
    let limit = q.effective_limit() as usize;
    let (sql, args) = list_query(q, '$')?;
    pool.with(|c| {
        let items = c
            .query(&sql, &params(&args))?
            .iter()
            .map(summary_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(page_of(items, limit))
    })
}

//! Newest-first article lists with keyset pagination on (`sort_at`, `id`).
//!
//! A page asks for `limit + 1` rows: the extra row only tells whether there is a next page. The
//! next cursor is the last shown row's (`sort_at`, `id`); the next page starts strictly after it
//! with a row-value comparison that SQLite answers from the `(…, sort_at DESC, id DESC)`
//! indexes, so every page costs the same at any depth (no `OFFSET`).

use newsdesk_core::{
    ArticlePage, ArticleQuery, ArticleSummary, Cursor, ProfileFilter, TypologyFilter, TypologyGroup,
};
use rusqlite::Row;
use rusqlite::types::Value;

use crate::{Result, Store, StoreError, columns};

/// Columns of an [`ArticleSummary`] (articles `a` joined with sources `s`): only small columns
/// stored before the large ones, never `body_html` or `body_text`.
pub(crate) const SUMMARY_COLUMNS: &str = "a.id, a.source_id, s.name, a.title, a.url, a.authors, \
     a.published_at, a.sort_at, a.language, a.lead, a.lead_image, s.country, s.typology";

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
        source_country: row.get(11)?,
        source_typology: row.get(12)?,
    })
}

/// The seven typology codes, quoted for SQL.
const ALL_CODES: &str = "'SC','CaPu','CaPr','ISFM','ISF','ISM','IP'";

/// An SQL condition (starting with ` AND`) for a [`ProfileFilter`] on articles `a` joined with
/// sources `s`; empty when it filters nothing. Built only from validated tokens (two-letter
/// country codes, 2–3 letter language codes, the typology enums), never from other text:
/// anything else in the filter is refused with [`StoreError::InvalidProfile`].
pub(crate) fn profile_clause(f: &ProfileFilter) -> Result<String> {
    let mut sql = String::new();
    let token = |v: &str, lens: std::ops::RangeInclusive<usize>, what: &str| {
        if lens.contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(format!("'{v}'"))
        } else {
            Err(StoreError::InvalidProfile(format!("{v:?} is not {what}")))
        }
    };
    if !f.countries.is_empty() {
        let list = f
            .countries
            .iter()
            .map(|c| token(&c.to_ascii_uppercase(), 2..=2, "a country code"))
            .collect::<Result<Vec<_>>>()?;
        sql.push_str(&format!(" AND s.country IN ({})", list.join(",")));
    }
    if !f.languages.is_empty() {
        let list = f
            .languages
            .iter()
            .map(|l| token(&l.to_ascii_lowercase(), 2..=3, "a language code"))
            .collect::<Result<Vec<_>>>()?;
        sql.push_str(&format!(" AND a.language IN ({})", list.join(",")));
    }
    if !f.typologies.is_empty() {
        let code = "rtrim(s.typology, '?')";
        let parts: Vec<String> = f
            .typologies
            .iter()
            .map(|t| match t {
                TypologyFilter::Code(c) => format!("{code} = '{}'", c.code()),
                TypologyFilter::Group(TypologyGroup::StateControlled) => {
                    format!("{code} IN ('SC','CaPu','CaPr')")
                }
                TypologyFilter::Group(TypologyGroup::Independent) => {
                    format!("{code} IN ('ISFM','ISF','ISM','IP')")
                }
                TypologyFilter::Group(TypologyGroup::NotClassified) => {
                    format!("(s.typology IS NULL OR {code} NOT IN ({ALL_CODES}))")
                }
            })
            .collect();
        sql.push_str(&format!(" AND ({})", parts.join(" OR ")));
    }
    Ok(sql)
}

/// A bound value of a built query.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    /// An integer.
    Int(i64),
    /// A text.
    Text(String),
}

/// The SQL (placeholders `{mark}1`, `{mark}2`, …: `?` for SQLite, `$` for PostgreSQL) and the
/// arguments of one page of [`Store::list_articles`]; it selects `limit + 1` rows.
pub(crate) fn list_query(q: &ArticleQuery, mark: char) -> Result<(String, Vec<Arg>)> {
    let limit = q.effective_limit() as usize;
    let mut sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id WHERE TRUE"
    );
    let mut args: Vec<Arg> = Vec::new();
    let mut arg = |sql: &mut String, clause: &str, v: Arg| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("{mark}{}", args.len())));
    };
    if let Some(source) = q.source {
        arg(&mut sql, " AND a.source_id = ?", Arg::Int(source));
    }
    if let Some(lang) = &q.lang {
        arg(&mut sql, " AND a.language = ?", Arg::Text(lang.clone()));
    }
    sql.push_str(&profile_clause(&q.profile)?);
    if let Some(since) = q.since {
        let secs = columns::ceil_seconds(since);
        arg(&mut sql, " AND a.sort_at >= ?", Arg::Int(secs));
    }
    if let Some(until) = q.until {
        let secs = columns::ceil_seconds(until);
        arg(&mut sql, " AND a.sort_at < ?", Arg::Int(secs));
    }
    if let Some(before) = q.before {
        arg(
            &mut sql,
            " AND (a.sort_at, a.id) < (?",
            Arg::Int(before.sort_at.timestamp()),
        );
        arg(&mut sql, ", ?)", Arg::Int(before.id));
    }
    arg(
        &mut sql,
        " ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
        Arg::Int(limit as i64 + 1),
    );
    Ok((sql, args))
}

/// The page of `limit` items from the `limit + 1` rows read, with the cursor of the next page.
pub(crate) fn page_of(mut items: Vec<ArticleSummary>, limit: usize) -> ArticlePage {
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|last| Cursor {
            sort_at: last.sort_at,
            id: last.id,
        })
    } else {
        None
    };
    ArticlePage { items, next }
}

impl Store {
    /// One page of articles, newest first, with the filters of `q`; see the module docs.
    pub fn list_articles(&self, q: &ArticleQuery) -> Result<ArticlePage> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::listing::list_articles(pg, q);
        }
        let limit = q.effective_limit() as usize;
        let (sql, args) = list_query(q, '?')?;
        let args: Vec<Value> = args
            .into_iter()
            .map(|a| match a {
                Arg::Int(i) => Value::Integer(i),
                Arg::Text(t) => Value::Text(t),
            })
            .collect();
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), summary_from_row)?;
            let items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(page_of(items, limit))
        })
    }
}

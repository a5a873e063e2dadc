//! Full-text search on PostgreSQL (twin of `search.rs`).
//!
//! Articles carry a `tsvector` built in their own language's text search configuration, with
//! accents removed. A query is parsed with every built-in configuration and the results OR-ed,
//! so a French reader's word matches French articles by its French stem and others literally;
//! the user's words become quoted lexemes (never tsquery syntax), all of which must match.
//! Languages written without spaces between words (Chinese, Japanese, Thai, …) are matched by
//! substring on title and body, which the partial trigram index (`pg_trgm`) answers.

use newsdesk_core::{ArticleQuery, ArticleSummary, ProfileFilter};

use super::Pool;
use super::listing::summary_from_row;
use crate::listing::{SUMMARY_COLUMNS, profile_clause};
use crate::search::search_words;
use crate::{Result, StoreError};

/// The user's words as tsquery text: quoted lexemes (`'word'`, `'stem':*` for a prefix)
/// joined by `&`; `None` when there is no searchable word.
pub(crate) fn tsquery_text(text: &str) -> Option<String> {
    let terms: Vec<String> = search_words(text)
        .into_iter()
        .map(|(word, prefix)| {
            let quoted = format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"));
            if prefix { quoted + ":*" } else { quoted }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" & "))
}

/// `ILIKE` patterns, one per word, for the languages matched by substring.
fn like_patterns(text: &str) -> Vec<String> {
    search_words(text)
        .into_iter()
        .map(|(word, _)| {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        })
        .collect()
}

/// The query OR-ed over every built-in text search configuration (parts that are all stop
/// words drop out); `$1` is the tsquery text.
const QUERY_CTE: &str = "q AS ( \
     SELECT string_agg('(' || t::text || ')', ' | ')::tsquery AS query FROM ( \
         SELECT to_tsquery(c.oid::regconfig, \
                           public.unaccent('public.unaccent'::regdictionary, $1)) AS t \
         FROM pg_ts_config c WHERE c.cfgnamespace = 'pg_catalog'::regnamespace) parts \
     WHERE numnode(t) > 0)";

pub(crate) fn search_page(
    pool: &Pool,
    q: &str,
    filter: &ProfileFilter,
    offset: u32,
    limit: u32,
) -> Result<Vec<ArticleSummary>> {
    let clause = profile_clause(filter)?;
    let sql = format!(
        "WITH {QUERY_CTE} \
         SELECT {SUMMARY_COLUMNS}, coalesce(ts_rank(a.search, q.query), 0) AS rank \
         FROM articles a JOIN sources s ON s.id = a.source_id CROSS JOIN q \
         WHERE (a.search @@ q.query OR (newsdesk_no_word_boundaries(a.language) \
                AND (a.title || ' ' || a.body_text) ILIKE ALL($2))){clause} \
         ORDER BY rank DESC, a.id DESC LIMIT $3 OFFSET $4"
    );
    run(pool, q, &sql, None, (limit, offset))
}

/// An edition's search: an article matches by the words of its original or of its translation
/// into `language`; each article once, at its better rank.
pub(crate) fn search_edition(
    pool: &Pool,
    q: &str,
    language: &str,
    filter: &ProfileFilter,
    limit: u32,
) -> Result<Vec<ArticleSummary>> {
    let clause = profile_clause(filter)?;
    let sql = format!(
        "WITH {QUERY_CTE}, hits(id, rank) AS ( \
             SELECT a.id, coalesce(ts_rank(a.search, q.query), 0) FROM articles a CROSS JOIN q \
             WHERE a.search @@ q.query OR (newsdesk_no_word_boundaries(a.language) \
                   AND (a.title || ' ' || a.body_text) ILIKE ALL($2)) \
             UNION ALL \
             SELECT t.article_id, coalesce(ts_rank(t.search, q.query), 0) \
             FROM article_translations t CROSS JOIN q \
             WHERE t.language = $5 AND t.status = 'translated' AND (t.search @@ q.query \
                   OR (newsdesk_no_word_boundaries(t.language) AND (coalesce(t.title, '') \
                       || ' ' || coalesce(t.body_text, t.lead, '')) ILIKE ALL($2)))), \
         best(id, rank) AS (SELECT id, max(rank) FROM hits GROUP BY id) \
         SELECT {SUMMARY_COLUMNS} FROM best b JOIN articles a ON a.id = b.id \
         JOIN sources s ON s.id = a.source_id WHERE TRUE{clause} \
         ORDER BY b.rank DESC, a.id DESC LIMIT $3 OFFSET $4"
    );
    run(pool, q, &sql, Some(language), (limit, 0))
}

/// Runs a search statement whose parameters are the tsquery text, the substring patterns, the
/// clamped limit, the offset and, for an edition, its language.
fn run(
    pool: &Pool,
    q: &str,
    sql: &str,
    language: Option<&str>,
    (limit, offset): (u32, u32),
) -> Result<Vec<ArticleSummary>> {
    let Some(tsquery) = tsquery_text(q) else {
        return Ok(Vec::new());
    };
    let patterns = like_patterns(q);
    let limit = i64::from(
        ArticleQuery {
            limit,
            ..Default::default()
        }
        .effective_limit(),
    );
    let offset = i64::from(offset);
    pool.with(|c| {
        let rows = match language {
            Some(lang) => c.query(sql, &[&tsquery, &patterns, &limit, &offset, &lang]),
            None => c.query(sql, &[&tsquery, &patterns, &limit, &offset]),
        }
        .map_err(|e| match e.as_db_error() {
            Some(db) => StoreError::Search {
                query: q.chars().take(200).collect(),
                message: db.message().to_owned(),
            },
            None => StoreError::Postgres(e),
        })?;
        rows.iter().map(summary_from_row).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_quoted_lexemes() {
        assert_eq!(
            tsquery_text("été  Straße").as_deref(),
            Some("'été' & 'Straße'")
        );
        assert_eq!(
            tsquery_text("l'été a\\b clim*").as_deref(),
            Some("'l''été' & 'a\\\\b' & 'clim':*")
        );
        assert_eq!(tsquery_text(" - * \" "), None);
        assert_eq!(like_patterns("50%_x"), vec!["%50\\%\\_x%".to_owned()]);
    }
}

//! Full-text search over titles and body texts (SQLite FTS5): the originals, and for an
//! edition also the translations into its language.
//!
//! User text is never passed to FTS5 as query syntax: each whitespace-separated word becomes a
//! quoted phrase (all must match), so `"`, `*`, `NEAR(`, `-`, `AND` … are plain text. A word
//! ending in `*` (`climat*`) keeps its meaning as a prefix search.

use newsdesk_core::{ArticleQuery, ArticleSummary, ProfileFilter};

use crate::listing::{SUMMARY_COLUMNS, profile_clause, summary_from_row};
use crate::{Result, Store, StoreError};

/// The searchable words of user text, each with whether it ends in `*` (a prefix search);
/// words without a letter or digit are dropped. Control characters separate words like
/// spaces: neither FTS5 nor PostgreSQL accepts a NUL inside a query.
pub(crate) fn search_words(text: &str) -> Vec<(&str, bool)> {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .filter_map(|word| {
            let (stem, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem.trim_end_matches('*'), true),
                None => (word, false),
            };
            // A word without letters or digits would be an empty phrase.
            stem.chars()
                .any(char::is_alphanumeric)
                .then_some((stem, prefix))
        })
        .collect()
}

/// Turns user text into a safe FTS5 query; `None` when it has no searchable word.
pub fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = search_words(text)
        .into_iter()
        .map(|(stem, prefix)| {
            let quoted = format!("\"{}\"", stem.replace('"', "\"\""));
            if prefix { quoted + "*" } else { quoted }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

impl Store {
    /// Articles whose title or body contains every word of `q`, best match first (BM25).
    ///
    /// `limit` is clamped like [`ArticleQuery::limit`] (0 means 50). Text without any word
    /// gives an empty list.
    pub fn search(&self, q: &str, limit: u32) -> Result<Vec<ArticleSummary>> {
        self.search_filtered(q, &ProfileFilter::default(), limit)
    }

    /// [`Store::search`] among the articles that pass `filter` (source country and typology,
    /// article language).
    pub fn search_filtered(
        &self,
        q: &str,
        filter: &ProfileFilter,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>> {
        self.search_page(q, filter, 0, limit)
    }

    /// Like [`Store::search_filtered`], from the `offset`-th match on (offset paging of the
    /// ranking).
    pub fn search_page(
        &self,
        q: &str,
        filter: &ProfileFilter,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::search::search_page(pg, q, filter, offset, limit);
        }
        let clause = profile_clause(filter)?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles_fts f JOIN articles a ON a.id = f.rowid \
             JOIN sources s ON s.id = a.source_id \
             WHERE articles_fts MATCH ?1{clause} ORDER BY f.rank, a.id DESC LIMIT ?2 OFFSET ?3"
        );
        self.run_search(q, &sql, None, (limit, offset))
    }

    /// Like [`Store::search`], for the edition in `language`: an article matches by the words
    /// of its original (any language) or of its translation into `language`; each article once,
    /// at its better rank.
    ///
    /// Cost: two FTS5 queries (originals, translations) merged by article; the translations'
    /// language is checked on the matches, not indexed.
    pub fn search_edition(
        &self,
        q: &str,
        language: &str,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>> {
        self.search_edition_filtered(q, language, &ProfileFilter::default(), limit)
    }

    /// [`Store::search_edition`] among the articles that pass `filter`.
    pub fn search_edition_filtered(
        &self,
        q: &str,
        language: &str,
        filter: &ProfileFilter,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::search::search_edition(pg, q, language, filter, limit);
        }
        let clause = profile_clause(filter)?;
        let sql = format!(
            "WITH hits(id, rank) AS ( \
                 SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?1 \
                 UNION ALL \
                 SELECT rowid / 65536, rank FROM article_translations_fts \
                 WHERE article_translations_fts MATCH ?1 AND language = ?2), \
             best(id, rank) AS (SELECT id, min(rank) FROM hits GROUP BY id) \
             SELECT {SUMMARY_COLUMNS} FROM best b JOIN articles a ON a.id = b.id \
             JOIN sources s ON s.id = a.source_id WHERE 1{clause} ORDER BY b.rank, a.id DESC LIMIT ?3 OFFSET ?4"
        );
        self.run_search(q, &sql, Some(language), (limit, 0))
    }

    /// Runs a search statement whose parameters are the FTS5 query, then the edition's
    /// language when there is one, then the clamped limit and the offset; FTS5's complaints become
    /// [`StoreError::Search`]. Text without any word gives an empty list.
    fn run_search(
        &self,
        q: &str,
        sql: &str,
        language: Option<&str>,
        (limit, offset): (u32, u32),
    ) -> Result<Vec<ArticleSummary>> {
        let Some(fts) = fts_query(q) else {
            return Ok(Vec::new());
        };
        let limit = ArticleQuery {
            limit,
            ..Default::default()
        }
        .effective_limit();
        self.read(|conn| {
            let run = || -> rusqlite::Result<Vec<ArticleSummary>> {
                let mut stmt = conn.prepare_cached(sql)?;
                match language {
                    Some(lang) => stmt
                        .query_map(
                            rusqlite::params![fts, lang, limit, offset],
                            summary_from_row,
                        )?
                        .collect(),
                    None => stmt
                        .query_map(rusqlite::params![fts, limit, offset], summary_from_row)?
                        .collect(),
                }
            };
            run().map_err(|e| match e {
                rusqlite::Error::SqliteFailure(_, Some(message)) => StoreError::Search {
                    query: q.chars().take(200).collect(),
                    message,
                },
                other => StoreError::Sqlite(other),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted() {
        assert_eq!(
            fts_query("été  Straße").as_deref(),
            Some("\"été\" \"Straße\"")
        );
        assert_eq!(
            fts_query("say \"hi\"").as_deref(),
            Some("\"say\" \"\"\"hi\"\"\"")
        );
        assert_eq!(
            fts_query("NEAR( a - * \"").as_deref(),
            Some("\"NEAR(\" \"a\"")
        );
        assert_eq!(fts_query("clim* **").as_deref(), Some("\"clim\"*"));
        assert_eq!(fts_query("  - * "), None);
    }
}

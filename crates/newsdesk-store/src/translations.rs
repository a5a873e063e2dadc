//! Article translations for the editions: kept beside the original article, never replacing it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use newsdesk_core::ArticleId;
use rusqlite::{OptionalExtension, Row, params};

use crate::columns;
use crate::{Result, Store};

/// Whether an article could be translated into an edition's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslationStatus {
    /// Translated (title and lead at least; the body may follow on first view).
    Translated,
    /// Left in its original language (no route for the pair, or the backends failed); see
    /// [`ArticleTranslation::note`].
    Untranslated,
}

impl TranslationStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TranslationStatus::Translated => "translated",
            TranslationStatus::Untranslated => "untranslated",
        }
    }

    fn parse(s: &str) -> TranslationStatus {
        match s {
            "translated" => TranslationStatus::Translated,
            _ => TranslationStatus::Untranslated,
        }
    }
}

/// One article in one edition's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleTranslation {
    /// The translated article.
    pub article_id: ArticleId,
    /// The edition's (target) language.
    pub language: String,
    /// The article's own language, translated from.
    pub source_language: String,
    /// Translated, or left untranslated.
    pub status: TranslationStatus,
    /// The translated title.
    pub title: Option<String>,
    /// The translated list lead.
    pub lead: Option<String>,
    /// The translated body text (lines are paragraphs); `None` until the body is translated.
    pub body_text: Option<String>,
    /// The route taken, e.g. `en →es [apertium] →fr [apertium]`.
    pub route: String,
    /// Names of the backends used, in order.
    pub backends: Vec<String>,
    /// Machine translation (`true`) or human.
    pub machine: bool,
    /// Segments kept in the original language by the checker.
    pub kept_segments: u32,
    /// Why the article is untranslated (or a remark on the translation).
    pub note: Option<String>,
    /// When it was translated.
    pub translated_at: DateTime<Utc>,
}

const COLUMNS: &str = "article_id, language, source_language, status, title, lead, body_text, \
     route, backends, machine, kept_segments, note, translated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ArticleTranslation> {
    let status: String = row.get(3)?;
    Ok(ArticleTranslation {
        article_id: row.get(0)?,
        language: row.get(1)?,
        source_language: row.get(2)?,
        status: TranslationStatus::parse(&status),
        title: row.get(4)?,
        lead: row.get(5)?,
        body_text: row.get(6)?,
        route: row.get(7)?,
        backends: columns::get_list(row, 8)?,
        machine: row.get(9)?,
        kept_segments: row.get(10)?,
        note: row.get(11)?,
        translated_at: columns::get_instant(row, 12)?,
    })
}

impl Store {
    /// Stores (or replaces) the translation of an article into one language.
    pub fn save_translation(&self, t: &ArticleTranslation) -> Result<()> {
        self.write(|conn| {
            conn.prepare_cached(&format!(
                "INSERT OR REPLACE INTO article_translations ({COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ))?
            .execute(params![
                t.article_id,
                t.language,
                t.source_language,
                t.status.as_str(),
                t.title,
                t.lead,
                t.body_text,
                t.route,
                columns::list(&t.backends),
                t.machine,
                t.kept_segments,
                t.note,
                columns::instant(t.translated_at),
            ])?;
            tracing::debug!(article_id = t.article_id, language = %t.language, "store: saved translation");
            Ok(())
        })
    }

    /// The translation of one article into `language`, if any.
    pub fn translation(
        &self,
        article_id: ArticleId,
        language: &str,
    ) -> Result<Option<ArticleTranslation>> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM article_translations \
                     WHERE article_id = ?1 AND language = ?2"
                ))?
                .query_row(params![article_id, language], from_row)
                .optional()?)
        })
    }

    /// The translations into `language` of these articles (for lists), by article id.
    pub fn translations(
        &self,
        ids: &[ArticleId],
        language: &str,
    ) -> Result<HashMap<ArticleId, ArticleTranslation>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM article_translations \
                 WHERE article_id = ?1 AND language = ?2"
            ))?;
            let mut found = HashMap::with_capacity(ids.len());
            for id in ids {
                if let Some(t) = stmt.query_row(params![id, language], from_row).optional()? {
                    found.insert(*id, t);
                }
            }
            Ok(found)
        })
    }

    /// Newest articles (at most `limit`) with no translation row for `language` yet, whose
    /// language is known and differs from `language`: `(id, article language)` pairs.
    pub fn untranslated_articles(
        &self,
        language: &str,
        limit: u32,
    ) -> Result<Vec<(ArticleId, String)>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.language FROM articles a \
                 WHERE a.language IS NOT NULL AND a.language <> ?1 \
                 AND NOT EXISTS (SELECT 1 FROM article_translations t \
                                 WHERE t.article_id = a.id AND t.language = ?1) \
                 ORDER BY a.sort_at DESC, a.id DESC LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![language, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}

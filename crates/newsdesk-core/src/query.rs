//! Read models for listing articles: filters, keyset cursors and pages.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::{ArticleId, CoreError, ProfileFilter, SourceId};

/// Largest page the store returns, whatever is asked.
pub const MAX_PAGE_SIZE: u32 = 200;

/// A keyset position in the newest-first article list: strictly older than (`sort_at`, `id`).
///
/// Written as `<unix-seconds>.<id>` in URLs (`?before=1767225600.42`), so pages are stable while
/// new articles arrive and cost the same at any depth (no `OFFSET`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Sort time of the last article shown.
    pub sort_at: DateTime<Utc>,
    /// Id of the last article shown (tie-breaker).
    pub id: ArticleId,
}

impl Cursor {
    /// Encodes as `<unix-seconds>.<id>`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.sort_at.timestamp(), self.id)
    }

    /// Decodes [`Cursor::encode`]'s form.
    pub fn decode(s: &str) -> Result<Cursor, CoreError> {
        let bad = || CoreError::InvalidCursor(s.chars().take(64).collect());
        let (secs, id) = s.split_once('.').ok_or_else(bad)?;
        let secs: i64 = secs.parse().map_err(|_| bad())?;
        let id: ArticleId = id.parse().map_err(|_| bad())?;
        let sort_at = Utc.timestamp_opt(secs, 0).single().ok_or_else(bad)?;
        Ok(Cursor { sort_at, id })
    }
}

/// Filters for listing articles, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleQuery {
    /// Only this source.
    pub source: Option<SourceId>,
    /// Only this detected language.
    pub lang: Option<String>,
    /// Only sources of these countries and typologies.
    #[serde(default)]
    pub profile: ProfileFilter,
    /// Only articles sorted at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only articles sorted strictly before this time.
    pub until: Option<DateTime<Utc>>,
    /// Continue after this position.
    pub before: Option<Cursor>,
    /// Page size (clamped to 1..=[`MAX_PAGE_SIZE`]; 0 means the default of 50).
    pub limit: u32,
}

impl ArticleQuery {
    /// The page size actually used.
    pub fn effective_limit(&self) -> u32 {
        match self.limit {
            0 => 50,
            n => n.min(MAX_PAGE_SIZE),
        }
    }
}

/// One article in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    /// Row id.
    pub id: ArticleId,
    /// Its source.
    pub source_id: SourceId,
    /// Its source's name.
    pub source_name: String,
    /// Its source's country (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub source_country: Option<String>,
    /// Its source's typology code (`SC`, `ISFM?`…; `None`: not classified).
    #[serde(default)]
    pub source_typology: Option<String>,
    /// Title.
    pub title: String,
    /// URL of the original.
    pub url: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Publication time, when known.
    pub published_at: Option<DateTime<Utc>>,
    /// The time it is sorted by.
    pub sort_at: DateTime<Utc>,
    /// Detected language.
    pub language: Option<String>,
    /// A short lead (plain text, at most ~300 characters).
    pub lead: Option<String>,
    /// Lead image URL.
    pub lead_image: Option<String>,
}

/// A page of articles and the cursor for the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticlePage {
    /// Articles, newest first.
    pub items: Vec<ArticleSummary>,
    /// Cursor of the next (older) page, `None` on the last page.
    pub next: Option<Cursor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_junk() {
        let c = Cursor {
            sort_at: Utc.timestamp_opt(1_767_225_600, 0).unwrap(),
            id: 42,
        };
        assert_eq!(c.encode(), "1767225600.42");
        assert_eq!(Cursor::decode("1767225600.42").unwrap(), c);
        for junk in ["", "12", "a.b", "1.x", "99999999999999999999.1", "1.2.3"] {
            assert!(Cursor::decode(junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn limit_is_clamped() {
        let mut q = ArticleQuery::default();
        assert_eq!(q.effective_limit(), 50);
        q.limit = 1000;
        assert_eq!(q.effective_limit(), MAX_PAGE_SIZE);
        q.limit = 7;
        assert_eq!(q.effective_limit(), 7);
    }
}

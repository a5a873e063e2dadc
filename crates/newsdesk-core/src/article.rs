//! Articles: what the extractor finds in a page, and what the store keeps.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::SourceId;

/// Row id of an article in the store.
pub type ArticleId = i64;

/// What the extractor found in one article page. Every field is best effort.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractedArticle {
    /// The URL the page was fetched from.
    pub url: String,
    /// `<link rel="canonical">` / `og:url`, made absolute.
    pub canonical_url: Option<String>,
    /// Title without the site's name.
    pub title: Option<String>,
    /// The site's name (`og:site_name`, or the part cut from the title).
    pub site_name: Option<String>,
    /// Author names (no "By", no site name).
    pub authors: Vec<String>,
    /// Publication time.
    pub published: Option<DateTime<Utc>>,
    /// Last modification time.
    pub modified: Option<DateTime<Utc>>,
    /// The publication day on the page's own calendar (not UTC): `published`'s day where the
    /// page is, else the first date written in its visible text (a guess, hence not in
    /// `published`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_date: Option<NaiveDate>,
    /// Lead image, absolute URL.
    pub lead_image: Option<String>,
    /// Meta description.
    pub description: Option<String>,
    /// Language declared by the page (`<html lang>`, `og:locale`, `content-language`).
    pub declared_language: Option<String>,
    /// Section and tags.
    pub tags: Vec<String>,
    /// Main text as clean, sanitised HTML (allow-listed tags only, absolute URLs).
    pub body_html: String,
    /// Main text as plain text, paragraphs separated by blank lines.
    pub body_text: String,
}

/// Where an article's body came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ContentOrigin {
    /// Extracted from the fetched article page.
    Page,
    /// The article page could not be used; the feed's summary/content is kept instead.
    FeedSummary {
        /// Why the page could not be used (shown on the article).
        reason: String,
    },
}

impl ContentOrigin {
    /// Stable name as stored: `page` or `feed_summary`.
    pub fn kind(&self) -> &'static str {
        match self {
            ContentOrigin::Page => "page",
            ContentOrigin::FeedSummary { .. } => "feed_summary",
        }
    }

    /// The note to show on the article, if any.
    pub fn note(&self) -> Option<&str> {
        match self {
            ContentOrigin::Page => None,
            ContentOrigin::FeedSummary { reason } => Some(reason),
        }
    }
}

/// An article ready to be stored (the pipeline builds it from a feed entry and an extraction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewArticle {
    /// The source it came from.
    pub source_id: SourceId,
    /// Key of the feed entry it came from (see [`crate::FeedEntry::key`]); unique per source.
    pub entry_key: String,
    /// URL of the article page.
    pub url: String,
    /// Canonical URL, when the page gave one.
    pub canonical_url: Option<String>,
    /// Title (plain text).
    pub title: String,
    /// Author names.
    pub authors: Vec<String>,
    /// Publication time, when known.
    pub published_at: Option<DateTime<Utc>>,
    /// Last modification time, when known.
    pub modified_at: Option<DateTime<Utc>>,
    /// When newsdesk fetched it.
    pub fetched_at: DateTime<Utc>,
    /// Lead image URL.
    pub lead_image: Option<String>,
    /// Detected language of the body (ISO 639-1), `None` when detection was not reliable.
    pub language: Option<String>,
    /// Short description / lead (plain text).
    pub summary: Option<String>,
    /// Body as clean, sanitised HTML.
    pub body_html: String,
    /// Body as plain text.
    pub body_text: String,
    /// Section and tags.
    pub tags: Vec<String>,
    /// Where the body came from.
    pub origin: ContentOrigin,
}

impl NewArticle {
    /// The time the article is sorted by: its publication time, or when it was fetched when the
    /// publication time is unknown or lies in the future.
    pub fn sort_at(&self) -> DateTime<Utc> {
        match self.published_at {
            Some(p) if p <= self.fetched_at => p,
            _ => self.fetched_at,
        }
    }
}

/// A stored article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Row id.
    pub id: ArticleId,
    /// Name of its source (denormalised for display).
    pub source_name: String,
    /// Everything that was stored.
    #[serde(flatten)]
    pub data: NewArticle,
    /// The time it is sorted by (see [`NewArticle::sort_at`]).
    pub sort_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn article(published: Option<DateTime<Utc>>) -> NewArticle {
        NewArticle {
            source_id: 1,
            entry_key: "k".into(),
            url: "https://example.org/a".into(),
            canonical_url: None,
            title: "t".into(),
            authors: vec![],
            published_at: published,
            modified_at: None,
            fetched_at: Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap(),
            lead_image: None,
            language: None,
            summary: None,
            body_html: String::new(),
            body_text: String::new(),
            tags: vec![],
            origin: ContentOrigin::Page,
        }
    }

    #[test]
    fn sort_at_uses_published_unless_future() {
        let past = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let future = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(article(Some(past)).sort_at(), past);
        assert_eq!(article(Some(future)).sort_at(), article(None).fetched_at);
        assert_eq!(article(None).sort_at(), article(None).fetched_at);
    }

    #[test]
    fn origin_serialises_with_kind() {
        let o = ContentOrigin::FeedSummary {
            reason: "404".into(),
        };
        let j = serde_json::to_string(&o).unwrap();
        assert_eq!(j, r#"{"kind":"feed_summary","reason":"404"}"#);
        assert_eq!(o.note(), Some("404"));
    }
}

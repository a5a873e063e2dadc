//! A parsed feed, independent of its wire format (RSS, Atom, JSON Feed).

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a text field of a feed entry is written: HTML, or plain text where `<` and `&` are just
/// characters (Atom `type="text"`, JSON Feed `content_text`/`summary`, RSS text without markup).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextFormat {
    /// HTML as the feed sent it (unsanitised; relative URLs already resolved).
    #[default]
    Html,
    /// Plain text.
    Text,
}

impl TextFormat {
    /// `value` as HTML: plain text is escaped, HTML is returned as is.
    pub fn to_html(self, value: &str) -> Cow<'_, str> {
        match self {
            TextFormat::Html => Cow::Borrowed(value),
            TextFormat::Text => crate::escape::html_text(value),
        }
    }
}

/// Feed-level metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedMeta {
    /// Feed title.
    pub title: Option<String>,
    /// The site's link (not the feed's own URL).
    pub link: Option<String>,
    /// Declared language.
    pub language: Option<String>,
    /// Last update of the feed.
    pub updated: Option<DateTime<Utc>>,
    /// The title as the feed marked it up (unsanitised HTML), when it was HTML; `title` is its
    /// text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_html: Option<String>,
    /// RSS `<ttl>`: minutes the channel may be cached before it is read again (positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_minutes: Option<u32>,
    /// RSS `<skipHours>`: hours of the day (0–23, UTC; a written 24 is midnight) in which the
    /// feed asks not to be read, ascending, without repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skip_hours: Vec<u32>,
    /// RSS `<skipDays>`: days of the week (UTC) on which the feed asks not to be read, Monday
    /// first, without repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skip_days: Vec<chrono::Weekday>,
}

/// An enclosure or media attachment of an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    /// Absolute URL.
    pub url: String,
    /// MIME type, when given.
    #[serde(rename = "type")]
    pub mime_type: Option<String>,
    /// Length in bytes, when given.
    pub length: Option<u64>,
}

/// One entry of a feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// Title as text (entities decoded, no markup).
    pub title: Option<String>,
    /// Absolute link to the article page.
    pub link: Option<String>,
    /// The entry's id/guid as given by the feed.
    pub id: Option<String>,
    /// Publication time.
    pub published: Option<DateTime<Utc>>,
    /// Last update time.
    pub updated: Option<DateTime<Utc>>,
    /// Author name(s), comma-joined.
    pub author: Option<String>,
    /// Summary/description, written as `summary_format` says.
    pub summary: Option<String>,
    /// Full content, written as `content_format` says.
    pub content: Option<String>,
    /// Enclosures and media content.
    pub enclosures: Vec<Enclosure>,
    /// Category terms.
    pub categories: Vec<String>,
    /// The title as the feed marked it up (unsanitised HTML), when it was HTML; `title` is its
    /// text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_html: Option<String>,
    /// Whether `summary` is HTML or plain text.
    #[serde(default)]
    pub summary_format: TextFormat,
    /// Whether `content` is HTML or plain text.
    #[serde(default)]
    pub content_format: TextFormat,
}

impl FeedEntry {
    /// The summary as HTML (plain text escaped), unsanitised.
    pub fn summary_html(&self) -> Option<Cow<'_, str>> {
        self.summary
            .as_deref()
            .map(|s| self.summary_format.to_html(s))
    }

    /// The content as HTML (plain text escaped), unsanitised.
    pub fn content_html(&self) -> Option<Cow<'_, str>> {
        self.content
            .as_deref()
            .map(|s| self.content_format.to_html(s))
    }

    /// The key that identifies this entry within its source: its id, else its link, else its title.
    ///
    /// Used to make ingest idempotent: an entry whose key was already stored is not ingested again.
    pub fn key(&self) -> Option<&str> {
        [&self.id, &self.link, &self.title]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }
}

/// A whole parsed feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedFeed {
    /// False when the document was not well-formed and a recovering parser was used.
    pub wellformed: bool,
    /// Feed-level metadata.
    pub feed: FeedMeta,
    /// Entries in document order.
    pub entries: Vec<FeedEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_prefers_id_then_link_then_title() {
        let mut e = FeedEntry {
            title: Some("T".into()),
            link: Some("https://x/1".into()),
            id: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(e.key(), Some("https://x/1"));
        e.id = Some("guid-1".into());
        assert_eq!(e.key(), Some("guid-1"));
        e.id = None;
        e.link = None;
        assert_eq!(e.key(), Some("T"));
        e.title = None;
        assert_eq!(e.key(), None);
    }
}

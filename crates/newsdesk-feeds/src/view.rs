//! [`feedparser_view`]: a [`ParsedFeed`] presented as Python's feedparser presents a feed, for
//! comparing our parser with feedparser's test suite (`newsdesk feed-parse`).
//!
//! It reads nothing from the document: every value comes from the `ParsedFeed` that
//! [`crate::parse_feed`] gives the pipeline. What differs is presentation only: titles,
//! summaries and contents that are HTML are sanitised and serialised feedparser's way
//! ([`crate::html_sanitizer`]); plain text stays as it is, unless it holds markup that would be
//! live if a consumer showed it as HTML.

use chrono::{DateTime, Utc};
use newsdesk_core::{Enclosure, FeedEntry, ParsedFeed, TextFormat};
use serde::Serialize;

use crate::html_sanitizer::{looks_dangerous, sanitize_html};

/// A feed as feedparser presents it (the output format of `newsdesk feed-parse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedparserView {
    /// Feed-level fields.
    pub feed: FeedparserMeta,
    /// Entries in document order.
    pub entries: Vec<FeedparserEntry>,
    /// feedparser's `bozo` flag, inverted.
    pub wellformed: bool,
}

/// Feed-level fields of a [`FeedparserView`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedparserMeta {
    /// Title: sanitised HTML when the feed's title was HTML, else its text.
    pub title: Option<String>,
    /// The site's link.
    pub link: Option<String>,
    /// Declared language.
    pub language: Option<String>,
    /// Last update.
    pub updated: Option<DateTime<Utc>>,
}

/// One entry of a [`FeedparserView`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedparserEntry {
    /// Title: sanitised HTML when it was HTML, else its text.
    pub title: Option<String>,
    /// Link to the article page.
    pub link: Option<String>,
    /// Id/guid.
    pub id: Option<String>,
    /// Publication time.
    pub published: Option<DateTime<Utc>>,
    /// Last update.
    pub updated: Option<DateTime<Utc>>,
    /// Author name(s).
    pub author: Option<String>,
    /// Summary: sanitised HTML, or plain text.
    pub summary: Option<String>,
    /// Content: sanitised HTML, or plain text.
    pub content: Option<String>,
    /// Enclosures.
    pub enclosures: Vec<Enclosure>,
    /// Category terms.
    pub categories: Vec<String>,
}

/// Presents `feed` as feedparser would (see the module documentation).
///
/// ```
/// let xml = br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry>
///   <title type="html">&lt;b onclick="x()"&gt;Hi&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;</title>
/// </entry></feed>"#;
/// let parsed = newsdesk_feeds::parse_feed(xml, None, None).unwrap();
/// assert_eq!(parsed.entries[0].title.as_deref(), Some("Hi"));
/// let view = newsdesk_feeds::feedparser_view(&parsed);
/// assert_eq!(view.entries[0].title.as_deref(), Some("<b>Hi</b>"));
/// ```
pub fn feedparser_view(feed: &ParsedFeed) -> FeedparserView {
    FeedparserView {
        feed: FeedparserMeta {
            title: title(feed.feed.title.as_deref(), feed.feed.title_html.as_deref()),
            link: feed.feed.link.clone(),
            language: feed.feed.language.clone(),
            updated: feed.feed.updated,
        },
        entries: feed.entries.iter().map(entry).collect(),
        wellformed: feed.wellformed,
    }
}

fn entry(e: &FeedEntry) -> FeedparserEntry {
    FeedparserEntry {
        title: title(e.title.as_deref(), e.title_html.as_deref()),
        link: e.link.clone(),
        id: e.id.clone(),
        published: e.published,
        updated: e.updated,
        author: e.author.clone(),
        summary: e
            .summary
            .as_deref()
            .and_then(|s| present(s, e.summary_format)),
        content: e
            .content
            .as_deref()
            .and_then(|c| present(c, e.content_format)),
        enclosures: e.enclosures.clone(),
        categories: e.categories.clone(),
    }
}

fn title(text: Option<&str>, html: Option<&str>) -> Option<String> {
    match html {
        Some(h) => present(h, TextFormat::Html),
        None => text.and_then(|t| present(t, TextFormat::Text)),
    }
}

/// Sanitised HTML for HTML; plain text as it is, unless it carries live-looking markup.
fn present(value: &str, format: TextFormat) -> Option<String> {
    let out = if format == TextFormat::Html || looks_dangerous(value) {
        sanitize_html(value, None)
    } else {
        value.trim().to_owned()
    };
    (!out.is_empty()).then_some(out)
}

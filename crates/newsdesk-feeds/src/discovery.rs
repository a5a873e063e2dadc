//! Feed discovery: the feeds an HTML page advertises with `<link rel="alternate">`.

use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};
use url::Url;

/// The format of a discovered feed, from the MIME type of its `<link>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    /// `application/rss+xml` (or RDF).
    Rss,
    /// `application/atom+xml`.
    Atom,
    /// `application/feed+json` or `application/json`.
    Json,
    /// Any other type.
    Unknown,
}

impl FeedKind {
    /// The kind for a `type` attribute value (parameters and case ignored).
    pub fn from_mime(mime: &str) -> FeedKind {
        let essence = mime
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/rss+xml" | "application/rdf+xml" | "text/rss+xml" => FeedKind::Rss,
            "application/atom+xml" => FeedKind::Atom,
            "application/feed+json" | "application/json" => FeedKind::Json,
            _ => FeedKind::Unknown,
        }
    }
}

/// A feed advertised by an HTML page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscoveredFeed {
    /// Absolute URL of the feed.
    pub url: String,
    /// The link's `title`, when given.
    pub title: Option<String>,
    /// Format, from the link's `type`.
    pub kind: FeedKind,
}

/// Finds the feeds that `html` links to with `<link rel="alternate" type="…">` (RSS, Atom,
/// JSON Feed), in document order and without duplicates. Relative hrefs are resolved against
/// `<base href>` and `page_url`; links that cannot be made absolute are skipped.
///
/// ```
/// use newsdesk_feeds::{discover_feeds, FeedKind};
/// let html = br#"<html><head>
///   <link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">
/// </head></html>"#;
/// let feeds = discover_feeds(html, "https://example.org/blog/");
/// assert_eq!(feeds[0].url, "https://example.org/feed.xml");
/// assert_eq!(feeds[0].kind, FeedKind::Rss);
/// ```
pub fn discover_feeds(html: &[u8], page_url: &str) -> Vec<DiscoveredFeed> {
    let text = crate::encoding::decode(html, None).text;
    let doc = Html::parse_document(&text);
    let (Ok(base_sel), Ok(link_sel)) = (
        Selector::parse("base[href]"),
        Selector::parse("link[rel][href]"),
    ) else {
        return Vec::new();
    };
    let page = Url::parse(page_url).ok();
    let base = doc
        .select(&base_sel)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| match &page {
            Some(p) => p.join(h.trim()).ok(),
            None => Url::parse(h.trim()).ok(),
        })
        .or(page);

    let mut out: Vec<DiscoveredFeed> = Vec::new();
    for link in doc.select(&link_sel) {
        let el = link.value();
        let rel = el.attr("rel").unwrap_or_default().to_ascii_lowercase();
        if !rel.split_ascii_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let Some(mime) = el.attr("type") else {
            continue;
        };
        let kind = FeedKind::from_mime(mime);
        if kind == FeedKind::Unknown {
            continue;
        }
        let href = el.attr("href").unwrap_or_default().trim();
        let url = match Url::parse(href) {
            Ok(u) => u,
            Err(_) => match base.as_ref().and_then(|b| b.join(href).ok()) {
                Some(u) => u,
                None => continue,
            },
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let url = url.to_string();
        if out.iter().any(|f| f.url == url) {
            continue;
        }
        let title = el
            .attr("title")
            .map(crate::plain_text::collapse_whitespace)
            .filter(|t| !t.is_empty());
        out.push(DiscoveredFeed { url, title, kind });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_feeds_in_order_resolving_base() {
        let html = br#"<!DOCTYPE html><html><head>
            <base href="https://cdn.example.org/site/">
            <link rel="stylesheet" type="text/css" href="s.css">
            <link rel="alternate" type="application/atom+xml" title=" Atom  feed " href="atom.xml">
            <link rel="Alternate" type="application/rss+xml; charset=utf-8" href="https://example.org/rss">
            <link rel="alternate" type="application/feed+json" href="feed.json">
            <link rel="alternate" type="application/atom+xml" href="atom.xml">
            <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
        </head><body></body></html>"#;
        let feeds = discover_feeds(html, "https://example.org/page");
        let urls: Vec<&str> = feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://cdn.example.org/site/atom.xml",
                "https://example.org/rss",
                "https://cdn.example.org/site/feed.json"
            ]
        );
        assert_eq!(feeds[0].title.as_deref(), Some("Atom feed"));
        assert_eq!(feeds[0].kind, FeedKind::Atom);
        assert_eq!(feeds[1].kind, FeedKind::Rss);
        assert_eq!(feeds[2].kind, FeedKind::Json);
    }

    #[test]
    fn nothing_in_junk() {
        assert!(discover_feeds(b"", "https://example.org/").is_empty());
        assert!(discover_feeds(&[0xff, 0, 0x80, 0x3c], "not a url").is_empty());
        let rel = br#"<link rel="alternate" type="application/rss+xml" href="/f">"#;
        assert!(discover_feeds(rel, "not a url").is_empty());
    }
}

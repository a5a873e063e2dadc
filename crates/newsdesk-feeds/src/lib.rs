//! Feed parsing, feed discovery and OPML: the **parse** stage of newsdesk.
//!
//! Bytes in, [`newsdesk_core::ParsedFeed`] out; this crate does no network I/O (fetching is
//! `newsdesk-fetch`'s job) and no sanitising of what it gives the pipeline: summaries and
//! contents keep their HTML (marked [`newsdesk_core::TextFormat::Html`]) or plain text
//! ([`newsdesk_core::TextFormat::Text`]), and the pipeline sanitises once, when it stores.
//!
//! * [`parse_feed`] is the one feed parser: `fetch` stores what it returns and
//!   `newsdesk feed-parse` prints it. It reads RSS 0.9x/1.0 (RDF)/2.0, Atom 0.3/1.0, CDF and
//!   JSON Feed 1.0/1.1. The `feed-rs` crate does the XML format work (JSON Feed is read here from
//!   a `serde_json` value, so that a numeric id does not lose the feed); around it, this crate decodes
//!   the bytes (BOM, HTTP charset, XML declaration, UTF-16/32, UTF-8 with stray windows-1252
//!   bytes), repairs ill-formed XML so that broken feeds still give their entries (flagged with
//!   `wellformed: false`), parses dates in the formats found in the wild ([`parse_date`]), maps
//!   feed-rs's model to the domain types, and reads from the document's element tree what
//!   feed-rs does not (`dc:title`, `itunes:author`, `media:title`, `media:category`, which
//!   alternate link wins, `xml:base`, Atom base64 and inline XHTML, text formats).
//! * [`feedparser_view`] presents a parsed feed as Python's feedparser would ([`FeedparserView`]):
//!   HTML titles, summaries and contents sanitised and serialised feedparser's way (scripts,
//!   event handlers, `javascript:` URLs and unsafe CSS removed). It reads nothing itself; it is
//!   the comparison with feedparser's test suite that `feed-parse` also prints.
//! * [`discover_feeds`] lists the feeds an HTML page links to ([`DiscoveredFeed`], [`FeedKind`]);
//!   [`looks_like_html`] tells a page from a feed.
//! * [`parse_sitemap`] reads sitemaps (sitemaps.org 0.9 with the Google News and image
//!   extensions, gzip-compressed or not) as a source format: a `<urlset>` gives entries with
//!   link, title, dates and language ([`parse_feed`] accepts it too); a `<sitemapindex>` gives
//!   [`SitemapRef`]s, of which [`select_child_sitemaps`] picks the few worth fetching and
//!   [`merge_sitemaps`] joins the results.
//! * [`parse_opml`] / [`write_opml`] read and write subscription lists ([`OpmlOutline`]).
//! * Errors are [`FeedError`].
//!
//! Module layering (each module uses only those on the lines below it; no import cycle):
//!
//! 1. `parse` (the one entry point) → `overlay`, `json_feed`, `mapping`, `sitemap`, `repair`,
//!    `xml_tree`, …; `view` → `html_sanitizer`;
//! 2. `overlay` → `html_sanitizer`, `xml_tree`, `plain_text`, `date`; `json_feed` → `mapping`;
//!    `mapping` → `repair`, `plain_text`; `sitemap` → `repair`, `xml_tree`, `compression`,
//!    `encoding`, `sniff`, `date`; `discovery` and `opml` → `encoding` (`discovery` also
//!    `plain_text`);
//! 3. leaves: `repair` (XML repair), `plain_text` (HTML snippets to text, mojibake and C1
//!    fixes), `html_sanitizer`, `xml_tree`, `encoding`, `compression`, `sniff`, `date`, `error`.
//!
//! Character references are decoded and text is escaped by `newsdesk_core::escape` (one
//! implementation for every crate); `repair` and `plain_text` share nothing else, so neither
//! imports the other.
//!
//! ```
//! let xml = br#"<?xml version="1.0" encoding="utf-8"?>
//! <rss version="2.0"><channel><title>Example&nbsp;news</title><link>https://example.org/</link>
//!   <item><title>Hello &amp; welcome</title><link>/hello</link>
//!     <pubDate>Sat, 3 Jan 04 10:00 EST</pubDate></item>
//! </channel></rss>"#;
//! let feed = newsdesk_feeds::parse_feed(xml, Some("https://example.org/feed.xml"), None).unwrap();
//! assert!(!feed.wellformed); // &nbsp; is not defined in XML
//! assert_eq!(feed.feed.title.as_deref(), Some("Example\u{a0}news"));
//! let entry = &feed.entries[0];
//! assert_eq!(entry.title.as_deref(), Some("Hello & welcome"));
//! assert_eq!(entry.link.as_deref(), Some("https://example.org/hello"));
//! assert_eq!(entry.published.unwrap().to_rfc3339(), "2004-01-03T15:00:00+00:00");
//! ```

mod compression;
mod date;
mod describe;
mod discovery;
mod encoding;
mod error;
mod html_sanitizer;
mod json_feed;
mod mapping;
mod opml;
mod overlay;
mod parse;
mod plain_text;
mod repair;
mod sitemap;
mod sniff;
mod view;
mod xml_tree;

pub use compression::MAX_INFLATED_BYTES;
pub use date::parse_date;
pub use describe::{describe_encoding, describe_format};
pub use discovery::{DiscoveredFeed, FeedKind, discover_feeds};
pub use error::FeedError;
pub use opml::{OpmlOutline, parse_opml, write_opml};
pub use parse::parse_feed;
pub use sitemap::{
    MAX_CHILD_SITEMAPS, MAX_SITEMAP_ENTRIES, Sitemap, SitemapRef, is_sitemap_index, merge_sitemaps,
    parse_sitemap, select_child_sitemaps,
};
pub use sniff::looks_like_html;
pub use view::{FeedparserEntry, FeedparserMeta, FeedparserView, feedparser_view};

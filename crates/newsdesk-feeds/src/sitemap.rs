//! Sitemaps (sitemaps.org 0.9) as a source format, with the Google News and image extensions.
//!
//! A `<urlset>` lists pages: each `<url>` becomes a [`FeedEntry`] with its `<loc>` as link,
//! `<lastmod>` as update time and, from the Google News extension (`<news:news>`), the title,
//! the publication date, keywords as categories, and the publication's name and language (the
//! most common ones become the feed's title and language). `<image:image>/<image:loc>` become
//! image enclosures. Entries carry no content: the pipeline fetches and extracts each page, as
//! for feed entries without content. A `<sitemapindex>` lists other sitemaps
//! ([`SitemapRef`]); this crate does no network I/O, so the caller fetches the children that
//! [`select_child_sitemaps`] picks and parses each with [`parse_sitemap`].

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use newsdesk_core::{Enclosure, FeedEntry, FeedMeta, ParsedFeed};
use url::Url;

use crate::compression::gunzip_if_compressed;
use crate::encoding::{decode, rewrite_declaration};
use crate::repair::repair;
use crate::sniff::{looks_like_html_text, skip_prolog};
use crate::xml_tree::{Element, parse_tree};
use crate::{FeedError, parse_date};

/// At most this many entries are kept from one sitemap (the newest by publication date, else by
/// `lastmod`). Google News sitemaps hold at most 1,000 URLs by Google's rule; plain sitemaps
/// may list 50,000 pages of a whole site, of which only the recent ones are news.
pub const MAX_SITEMAP_ENTRIES: usize = 1_000;

/// At most this many child sitemaps of a sitemap index are read ([`select_child_sitemaps`]).
pub const MAX_CHILD_SITEMAPS: usize = 5;

/// A child sitemap of recent content is one modified within this many days.
const RECENT_DAYS: i64 = 7;

/// A child sitemap listed by a `<sitemapindex>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapRef {
    /// Absolute URL of the child sitemap.
    pub url: String,
    /// Its `<lastmod>`, when given and readable.
    pub lastmod: Option<DateTime<Utc>>,
}

impl SitemapRef {
    /// True when the URL says the child lists news (`news` in its path, as in
    /// `/sitemap-news.xml` or `/news-sitemap-2026.xml.gz`).
    pub fn is_news_like(&self) -> bool {
        let path = Url::parse(&self.url)
            .map(|u| u.path().to_ascii_lowercase())
            .unwrap_or_else(|_| self.url.to_ascii_lowercase());
        path.contains("news")
    }
}

/// A parsed sitemap document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A `<urlset>`: its pages as feed entries (newest first, at most [`MAX_SITEMAP_ENTRIES`]).
    Urls(ParsedFeed),
    /// A `<sitemapindex>`: its child sitemaps in document order.
    Index(Vec<SitemapRef>),
}

/// Parses a sitemap (`<urlset>` or `<sitemapindex>`), gzip-compressed or not.
///
/// `sitemap_url` resolves relative locations (sitemaps should not have any) and names the
/// document in errors; `http_content_type` is the Content-Type header (its `charset` wins).
/// Ill-formed documents are repaired and read anyway (`wellformed: false`). Never panics.
///
/// ```
/// let xml = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
///     xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
///   <url><loc>https://example.org/a</loc>
///     <news:news><news:publication><news:name>Example Times</news:name>
///       <news:language>en</news:language></news:publication>
///       <news:publication_date>2026-06-01T10:00:00+02:00</news:publication_date>
///       <news:title>Harbour reopens</news:title></news:news></url>
/// </urlset>"#;
/// let Ok(newsdesk_feeds::Sitemap::Urls(feed)) = newsdesk_feeds::parse_sitemap(xml, None, None)
/// else { panic!("a urlset") };
/// assert_eq!(feed.feed.title.as_deref(), Some("Example Times"));
/// assert_eq!(feed.feed.language.as_deref(), Some("en"));
/// let entry = &feed.entries[0];
/// assert_eq!(entry.title.as_deref(), Some("Harbour reopens"));
/// assert_eq!(entry.published.unwrap().to_rfc3339(), "2026-06-01T08:00:00+00:00");
/// ```
///
/// # Errors
///
/// [`FeedError::Empty`] for an empty body, [`FeedError::Compressed`] for a broken or oversized
/// gzip stream, [`FeedError::NotAFeed`] when the root element is not a sitemap's.
pub fn parse_sitemap(
    bytes: &[u8],
    sitemap_url: Option<&str>,
    http_content_type: Option<&str>,
) -> Result<Sitemap, FeedError> {
    let url = || sitemap_url.map(str::to_owned);
    let bytes = gunzip_if_compressed(bytes, sitemap_url)?;
    let decoded = decode(&bytes, http_content_type);
    let text = decoded.text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(FeedError::Empty { url: url() });
    }
    let not_a_sitemap = |reason: String| FeedError::NotAFeed { url: url(), reason };
    if looks_like_html_text(text) || !skip_prolog(text).starts_with('<') {
        return Err(not_a_sitemap("this is not an XML sitemap".into()));
    }
    let repaired = repair(&rewrite_declaration(text));
    if let Some(reason) = repaired.refused {
        return Err(FeedError::Refused { url: url(), reason });
    }
    let Some(root) = parse_tree(&repaired.xml) else {
        return Err(not_a_sitemap("no XML element found".into()));
    };
    let base = sitemap_url.and_then(|u| Url::parse(u).ok());
    let wellformed = decoded.clean && repaired.wellformed;
    match root.local.as_str() {
        "urlset" => Ok(Sitemap::Urls(read_urlset(&root, base.as_ref(), wellformed))),
        "sitemapindex" => Ok(Sitemap::Index(read_index(&root, base.as_ref()))),
        other => Err(not_a_sitemap(format!(
            "unknown root element <{other}> (expected urlset or sitemapindex)"
        ))),
    }
}

/// True when `bytes` look like a sitemap index (`<sitemapindex>` root), judged from the start of
/// the (inflated) document only: cheap enough to ask of every fetched feed.
pub fn is_sitemap_index(bytes: &[u8]) -> bool {
    gunzip_if_compressed(bytes, None)
        .ok()
        .and_then(|b| sitemap_root(&b))
        .is_some_and(|n| n == "sitemapindex")
}

/// `Some("urlset")` or `Some("sitemapindex")` when the (already inflated) document's first
/// element is a sitemap's, judged from its first 4 KiB.
pub(crate) fn sitemap_root(bytes: &[u8]) -> Option<&'static str> {
    match root_name(bytes)?.as_str() {
        "urlset" => Some("urlset"),
        "sitemapindex" => Some("sitemapindex"),
        _ => None,
    }
}

/// The local name of the first element, from the first 4 KiB.
fn root_name(bytes: &[u8]) -> Option<String> {
    let head = decode(&bytes[..bytes.len().min(4096)], None).text;
    let rest = skip_prolog(head.trim_start_matches('\u{feff}'));
    let name: String = rest
        .strip_prefix('<')?
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
        .collect();
    Some(name.rsplit(':').next().unwrap_or(&name).to_owned())
}

/// Picks the children of a sitemap index worth reading, at most `max`: news-like ones
/// ([`SitemapRef::is_news_like`]) and those modified in the last week, newest first. When none
/// qualifies, the most recently modified child, else the last listed (indexes usually append
/// new sitemaps), so that an index is never silently empty.
pub fn select_child_sitemaps(
    refs: &[SitemapRef],
    max: usize,
    now: DateTime<Utc>,
) -> Vec<SitemapRef> {
    let recent = |r: &SitemapRef| {
        r.lastmod
            .is_some_and(|m| now - m <= Duration::days(RECENT_DAYS))
    };
    let mut chosen: Vec<&SitemapRef> = refs
        .iter()
        .filter(|r| r.is_news_like() || recent(r))
        .collect();
    if chosen.is_empty() {
        let fallback = refs
            .iter()
            .filter(|r| r.lastmod.is_some())
            .max_by_key(|r| r.lastmod)
            .or_else(|| refs.last());
        chosen.extend(fallback);
    }
    // news-like first, then newest lastmod first; stable, so document order breaks ties
    chosen.sort_by_key(|r| (!r.is_news_like(), std::cmp::Reverse(r.lastmod)));
    let mut seen = HashSet::new();
    chosen
        .into_iter()
        .filter(|r| seen.insert(r.url.clone()))
        .take(max)
        .cloned()
        .collect()
}

/// Merges the entries of several sitemaps (children of one index) into one feed: duplicates by
/// link dropped, newest first, at most [`MAX_SITEMAP_ENTRIES`].
pub fn merge_sitemaps(parts: Vec<ParsedFeed>) -> ParsedFeed {
    let mut out = ParsedFeed {
        wellformed: true,
        ..ParsedFeed::default()
    };
    let mut seen = HashSet::new();
    for part in parts {
        out.wellformed &= part.wellformed;
        if out.feed.title.is_none() {
            out.feed.title = part.feed.title;
        }
        if out.feed.language.is_none() {
            out.feed.language = part.feed.language;
        }
        if out.feed.link.is_none() {
            out.feed.link = part.feed.link;
        }
        out.feed.updated = out.feed.updated.max(part.feed.updated);
        for e in part.entries {
            if e.link.as_ref().is_some_and(|l| seen.insert(l.clone())) {
                out.entries.push(e);
            }
        }
    }
    newest_first_capped(&mut out.entries);
    out
}

fn newest_first_capped(entries: &mut Vec<FeedEntry>) {
    entries.sort_by_key(|e| std::cmp::Reverse(e.published.or(e.updated)));
    entries.truncate(MAX_SITEMAP_ENTRIES);
}

fn child<'a>(e: &'a Element, local: &str) -> Option<&'a Element> {
    e.elements().find(|c| c.local.eq_ignore_ascii_case(local))
}

fn child_text(e: &Element, local: &str) -> Option<String> {
    child(e, local)
        .map(|c| c.text().trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// An absolute http(s) URL from a `<loc>`.
fn absolute(loc: &str, base: Option<&Url>) -> Option<String> {
    let u = match base {
        Some(b) => b.join(loc).ok()?,
        None => Url::parse(loc).ok()?,
    };
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

fn read_index(root: &Element, base: Option<&Url>) -> Vec<SitemapRef> {
    root.elements()
        .filter(|e| e.local.eq_ignore_ascii_case("sitemap"))
        .filter_map(|s| {
            let url = absolute(&child_text(s, "loc")?, base)?;
            let lastmod = child_text(s, "lastmod").and_then(|d| parse_date(&d));
            Some(SitemapRef { url, lastmod })
        })
        .collect()
}

fn read_urlset(root: &Element, base: Option<&Url>, wellformed: bool) -> ParsedFeed {
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut languages: HashMap<String, usize> = HashMap::new();
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    for url in root
        .elements()
        .filter(|e| e.local.eq_ignore_ascii_case("url"))
    {
        let Some(link) = child_text(url, "loc").and_then(|l| absolute(&l, base)) else {
            continue;
        };
        if !seen.insert(link.clone()) {
            continue;
        }
        let mut entry = FeedEntry {
            link: Some(link),
            updated: child_text(url, "lastmod").and_then(|d| parse_date(&d)),
            ..FeedEntry::default()
        };
        if let Some(news) = child(url, "news") {
            entry.title = child_text(news, "title");
            entry.published = child_text(news, "publication_date").and_then(|d| parse_date(&d));
            if let Some(keywords) = child_text(news, "keywords") {
                entry.categories = keywords
                    .split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            if let Some(publication) = child(news, "publication") {
                if let Some(name) = child_text(publication, "name") {
                    *names.entry(name).or_default() += 1;
                }
                if let Some(lang) = child_text(publication, "language") {
                    *languages.entry(lang.to_ascii_lowercase()).or_default() += 1;
                }
            }
        }
        for image in url
            .elements()
            .filter(|e| e.local.eq_ignore_ascii_case("image"))
        {
            if let Some(src) = child_text(image, "loc").and_then(|l| absolute(&l, base)) {
                entry.enclosures.push(Enclosure {
                    mime_type: Some(image_type(&src).to_owned()),
                    url: src,
                    length: None,
                });
            }
        }
        entries.push(entry);
    }
    newest_first_capped(&mut entries);
    let most_common = |m: HashMap<String, usize>| {
        m.into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(k, _)| k)
    };
    ParsedFeed {
        wellformed,
        feed: FeedMeta {
            title: most_common(names),
            link: base.and_then(|b| b.join("/").ok()).map(|u| u.to_string()),
            language: most_common(languages),
            updated: entries
                .iter()
                .filter_map(|e| e.published.or(e.updated))
                .max(),
            title_html: None,
            ..FeedMeta::default()
        },
        entries,
    }
}

/// The MIME type of an image by its extension; `image/*` when it cannot be told.
fn image_type(url: &str) -> &'static str {
    let path = Url::parse(url)
        .map(|u| u.path().to_ascii_lowercase())
        .unwrap_or_default();
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        _ => "image/*",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example/2026/06/01/port.html</loc>
    <lastmod>2026-06-01T12:00:00Z</lastmod>
    <news:news>
      <news:publication><news:name>Le Journal</news:name><news:language>fr</news:language></news:publication>
      <news:publication_date>2026-06-01T10:00:00+02:00</news:publication_date>
      <news:title>Le port rouvre &amp; les quais s'animent</news:title>
      <news:keywords>port, économie</news:keywords>
    </news:news>
    <image:image><image:loc>https://news.example/img/port.jpg</image:loc></image:image>
  </url>
  <url>
    <loc>https://news.example/2026/06/02/pluie.html</loc>
    <news:news>
      <news:publication><news:name>Le Journal</news:name><news:language>fr</news:language></news:publication>
      <news:publication_date>2026-06-02</news:publication_date>
      <news:title>Pluie sur la ville</news:title>
    </news:news>
  </url>
  <url><loc>https://news.example/2026/06/02/pluie.html</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>"#;

    fn urls(bytes: &[u8], url: Option<&str>) -> ParsedFeed {
        match parse_sitemap(bytes, url, None).unwrap() {
            Sitemap::Urls(f) => f,
            Sitemap::Index(_) => panic!("expected a urlset"),
        }
    }

    #[test]
    fn news_sitemap_gives_titles_dates_language_and_images() {
        let feed = urls(
            NEWS.as_bytes(),
            Some("https://news.example/sitemap_news.xml"),
        );
        assert!(feed.wellformed);
        assert_eq!(feed.feed.title.as_deref(), Some("Le Journal"));
        assert_eq!(feed.feed.language.as_deref(), Some("fr"));
        assert_eq!(feed.feed.link.as_deref(), Some("https://news.example/"));
        // duplicates and non-http locations dropped; newest first
        assert_eq!(feed.entries.len(), 2);
        let newest = &feed.entries[0];
        assert_eq!(newest.title.as_deref(), Some("Pluie sur la ville"));
        assert_eq!(
            newest.published.unwrap().to_rfc3339(),
            "2026-06-02T00:00:00+00:00"
        );
        let port = &feed.entries[1];
        assert_eq!(
            port.link.as_deref(),
            Some("https://news.example/2026/06/01/port.html")
        );
        assert_eq!(
            port.title.as_deref(),
            Some("Le port rouvre & les quais s'animent")
        );
        assert_eq!(
            port.published.unwrap().to_rfc3339(),
            "2026-06-01T08:00:00+00:00"
        );
        assert_eq!(
            port.updated.unwrap().to_rfc3339(),
            "2026-06-01T12:00:00+00:00"
        );
        assert_eq!(port.categories, ["port", "économie"]);
        assert_eq!(port.enclosures[0].url, "https://news.example/img/port.jpg");
        assert_eq!(port.enclosures[0].mime_type.as_deref(), Some("image/jpeg"));
        assert_eq!(port.content, None);
        // the key that makes ingest idempotent is the link
        assert_eq!(port.key(), port.link.as_deref());
    }

    #[test]
    fn plain_sitemap_is_capped_to_the_newest_entries() {
        let mut xml =
            String::from(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
        for i in 0..1_500 {
            let day = 1 + i % 28;
            xml.push_str(&format!(
                "<url><loc>/page/{i}</loc><lastmod>2026-02-{day:02}</lastmod></url>"
            ));
        }
        xml.push_str("</urlset>");
        let feed = urls(xml.as_bytes(), Some("https://site.example/sitemap.xml"));
        assert_eq!(feed.entries.len(), MAX_SITEMAP_ENTRIES);
        assert!(
            feed.entries
                .iter()
                .all(|e| e.title.is_none() && e.published.is_none())
        );
        let newest = feed.entries[0].updated.unwrap();
        assert_eq!(newest.to_rfc3339(), "2026-02-28T00:00:00+00:00");
        // the oldest kept is never older than the newest dropped
        let kept_min = feed.entries.iter().filter_map(|e| e.updated).min().unwrap();
        assert!(kept_min >= "2026-02-10T00:00:00Z".parse::<DateTime<Utc>>().unwrap());
        assert!(
            feed.entries[0]
                .link
                .as_deref()
                .unwrap()
                .starts_with("https://site.example/page/")
        );
        assert_eq!(feed.feed.title, None);
    }

    #[test]
    fn index_lists_children_and_selection_is_bounded() {
        let xml = br#"<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://s.example/sitemap-2019.xml</loc><lastmod>2019-12-31</lastmod></sitemap>
  <sitemap><loc>https://s.example/sitemap-news.xml</loc></sitemap>
  <sitemap><loc>https://s.example/sitemap-2026-06.xml.gz</loc><lastmod>2026-06-02T08:00:00Z</lastmod></sitemap>
  <sitemap><loc>ftp://s.example/x.xml</loc></sitemap>
</sitemapindex>"#;
        let Sitemap::Index(refs) = parse_sitemap(xml, None, None).unwrap() else {
            panic!("expected an index");
        };
        assert_eq!(refs.len(), 3);
        assert!(is_sitemap_index(xml));
        assert!(!is_sitemap_index(NEWS.as_bytes()));
        let now = "2026-06-03T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let chosen = select_child_sitemaps(&refs, 5, now);
        let urls: Vec<&str> = chosen.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://s.example/sitemap-news.xml",
                "https://s.example/sitemap-2026-06.xml.gz"
            ]
        );
        assert_eq!(select_child_sitemaps(&refs, 1, now).len(), 1);
        // nothing news-like or recent: the newest child only
        let later = "2030-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let old: Vec<SitemapRef> = refs.iter().filter(|r| !r.is_news_like()).cloned().collect();
        let chosen = select_child_sitemaps(&old, 5, later);
        assert_eq!(chosen.len(), 1);
        assert!(chosen[0].url.ends_with("2026-06.xml.gz"));
        assert!(select_child_sitemaps(&[], 5, now).is_empty());
    }

    #[test]
    fn parse_feed_reads_a_urlset_and_refuses_an_index_with_a_reason() {
        let feed = crate::parse_feed(NEWS.as_bytes(), None, None).unwrap();
        assert_eq!(feed.entries.len(), 2);
        let index =
            b"<sitemapindex><sitemap><loc>https://s.example/a.xml</loc></sitemap></sitemapindex>";
        let err = crate::parse_feed(index, Some("https://s.example/index.xml"), None).unwrap_err();
        assert!(
            err.to_string().contains("sitemap index listing 1 sitemaps"),
            "{err}"
        );
    }

    #[test]
    fn merged_children_are_deduplicated_and_newest_first() {
        let a = urls(NEWS.as_bytes(), None);
        let b = urls(NEWS.as_bytes(), None);
        let merged = merge_sitemaps(vec![a, b]);
        assert_eq!(merged.entries.len(), 2);
        assert_eq!(merged.feed.title.as_deref(), Some("Le Journal"));
        assert_eq!(
            merged.entries[0].title.as_deref(),
            Some("Pluie sur la ville")
        );
    }

    #[test]
    fn gzip_compressed_sitemap_is_read() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(NEWS.as_bytes()).unwrap();
        let bytes = gz.finish().unwrap();
        assert!(!is_sitemap_index(&bytes));
        assert_eq!(
            sitemap_root(&gunzip_if_compressed(&bytes, None).unwrap()),
            Some("urlset")
        );
        let feed = urls(&bytes, Some("https://news.example/sitemap_news.xml.gz"));
        assert_eq!(feed.entries.len(), 2);
        // a truncated stream is an error that names the URL, not a panic
        let err = parse_sitemap(
            &bytes[..bytes.len() / 2],
            Some("https://x.example/s.xml.gz"),
            None,
        )
        .unwrap_err();
        assert!(matches!(err, FeedError::Compressed { .. }), "{err}");
        assert!(err.to_string().contains("https://x.example/s.xml.gz"));
    }

    #[test]
    fn malformed_sitemaps_are_repaired_or_refused() {
        // unclosed elements and an undeclared prefix: repaired, entries kept, flagged
        let broken = b"<urlset><url><loc>https://b.example/1</loc><news:news><news:title>One & two</news:title></url>\
            <url><loc>https://b.example/2</loc>";
        let feed = urls(broken, None);
        assert!(!feed.wellformed);
        assert_eq!(feed.entries.len(), 2);
        assert_eq!(feed.entries[0].title.as_deref(), Some("One & two"));
        // not a sitemap at all
        for junk in [
            &b"<rss version='2.0'><channel/></rss>"[..],
            b"<!doctype html><html></html>",
            b"junk",
        ] {
            assert!(matches!(
                parse_sitemap(junk, None, None),
                Err(FeedError::NotAFeed { .. })
            ));
        }
        assert!(matches!(
            parse_sitemap(b"  ", None, None),
            Err(FeedError::Empty { .. })
        ));
        // an entry without <loc> is skipped
        let feed = urls(
            b"<urlset><url><lastmod>2026-01-01</lastmod></url></urlset>",
            None,
        );
        assert!(feed.entries.is_empty());
    }
}

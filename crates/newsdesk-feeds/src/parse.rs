//! `parse_feed`: bytes in, [`ParsedFeed`] out.

use newsdesk_core::ParsedFeed;
use url::Url;

use crate::compression::gunzip_if_compressed;
use crate::encoding::{decode, rewrite_declaration};
use crate::json_feed::parse_json_feed;
use crate::mapping::map_feed;
use crate::overlay::{is_cdf, overlay};
use crate::repair::{repair, repair_with};
use crate::sitemap::sitemap_root;
use crate::sniff::{looks_like_html_text, skip_prolog};
use crate::xml_tree::parse_tree;
use crate::{FeedError, Sitemap, parse_date, parse_sitemap};

/// Root elements feed-rs knows (after [`repair`]'s rewrites).
const FEED_ROOTS: [&str; 4] = ["rss", "RDF", "feed", "entry"];

/// Parses an RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF or JSON Feed 1.0/1.1 document, or a sitemap of
/// pages (`<urlset>`, see [`parse_sitemap`]); gzip-compressed documents are inflated first.
/// This is the parser of the pipeline (`fetch` stores what it returns) and of
/// `newsdesk feed-parse`.
///
/// `feed_url` resolves relative links (after `xml:base`); `http_content_type` is the
/// Content-Type header, whose `charset` wins over the XML declaration. Ill-formed documents are
/// repaired and parsed anyway, with [`ParsedFeed::wellformed`] set to `false`. Never panics.
///
/// # Errors
///
/// [`FeedError::Empty`] for an empty body, [`FeedError::NotAFeed`] for an HTML page, junk, a
/// sitemap index, or XML/JSON that is not a feed; [`FeedError::Compressed`] for a broken gzip
/// stream.
pub fn parse_feed(
    bytes: &[u8],
    feed_url: Option<&str>,
    http_content_type: Option<&str>,
) -> Result<ParsedFeed, FeedError> {
    let url = || feed_url.map(str::to_owned);
    let bytes = &*gunzip_if_compressed(bytes, feed_url)?;
    if let Some(root) = sitemap_root(bytes) {
        return match parse_sitemap(bytes, feed_url, http_content_type)? {
            Sitemap::Urls(feed) => Ok(feed),
            Sitemap::Index(children) => Err(FeedError::NotAFeed {
                url: url(),
                reason: format!(
                    "<{root}> is a sitemap index listing {} sitemaps; read them one by one \
                     (parse_sitemap, select_child_sitemaps)",
                    children.len()
                ),
            }),
        };
    }
    let decoded = decode(bytes, http_content_type);
    let text = decoded.text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(FeedError::Empty { url: url() });
    }
    let not_a_feed = |reason: String| FeedError::NotAFeed { url: url(), reason };

    if text.trim_start().starts_with('{') {
        return parse_json_feed(text, feed_url).map_err(not_a_feed);
    }
    if looks_like_html_text(text) {
        return Err(not_a_feed(
            "this is an HTML page, not a feed; try feed discovery".into(),
        ));
    }
    if !skip_prolog(text).starts_with('<') {
        return Err(not_a_feed("this is neither XML nor JSON".into()));
    }

    let text = rewrite_declaration(text);
    // the document as written, for the fields feed-rs does not read
    let faithful = repair_with(&text, true);
    if let Some(reason) = faithful.refused {
        return Err(FeedError::Refused { url: url(), reason });
    }
    let tree = parse_tree(&faithful.xml);
    let cdf = tree.as_ref().is_some_and(is_cdf);
    // the document rewritten for feed-rs
    let repaired = repair(&text);
    if let Some(reason) = repaired.refused.clone() {
        return Err(FeedError::Refused { url: url(), reason });
    }
    let root = repaired.root.clone().unwrap_or_default();
    if !FEED_ROOTS.contains(&root.as_str()) && !cdf {
        let reason = if root.is_empty() {
            "no XML element found".to_owned()
        } else {
            format!("unknown root element <{root}> (expected rss, rdf:RDF or feed)")
        };
        return Err(not_a_feed(reason));
    }
    let wellformed = decoded.clean && repaired.wellformed;
    if !wellformed {
        tracing::debug!(url = ?feed_url, "feeds: document is not well-formed; parsed after repair");
    }
    let base = match parser(feed_url).parse(repaired.xml.as_bytes()) {
        Ok(feed) => map_feed(feed, wellformed, feed_url, &repaired.enclosures),
        // The root says "feed" but feed-rs found nothing it could use (e.g. `<rss>` without a
        // `<channel>`, or a CDF channel): the element tree may still give entries.
        Err(e) => {
            if !cdf {
                tracing::debug!(url = ?feed_url, error = %e, "feeds: feed-rs read nothing from <{root}>");
            }
            ParsedFeed {
                wellformed,
                ..ParsedFeed::default()
            }
        }
    };
    Ok(match tree {
        Some(root) => overlay(base, &root, feed_url.and_then(|u| Url::parse(u).ok())),
        None => base,
    })
}

fn parser(feed_url: Option<&str>) -> feed_rs::parser::Parser {
    feed_rs::parser::Builder::new()
        // feed-rs rejects (and may fail on) a base it cannot parse
        .base_uri(feed_url.filter(|u| url::Url::parse(u).is_ok()))
        // we keep ids as given: feed-rs would otherwise invent hashes/UUIDs
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .timestamp_parser(parse_date)
        .build()
}

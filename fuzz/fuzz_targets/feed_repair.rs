//! Fuzz target: arbitrary bytes through the feed parsers, and so through the repair layer that
//! rewrites every XML document (entities, tags, attributes, namespaces) before feed-rs reads it.
//! Any panic, overflow or timeout is a finding; typed errors (`FeedError`) are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the parser and the HTTP charset, the rest is the document.
    let Some((pick, doc)) = data.split_first() else {
        return;
    };
    let charset = match pick % 4 {
        0 => None,
        1 => Some("text/xml; charset=utf-8"),
        2 => Some("text/xml; charset=windows-1252"),
        _ => Some("application/xml; charset=utf-16le"),
    };
    let url = Some("https://fuzz.example/feed.xml");
    match (pick / 4) % 3 {
        0 => {
            let _ = newsdesk_feeds::parse_feed(doc, url, charset);
        }
        1 => {
            let _ = newsdesk_feeds::parse_feed_detailed(doc, url, charset);
        }
        _ => {
            let _ = newsdesk_feeds::parse_sitemap(doc, url, charset);
        }
    }
});

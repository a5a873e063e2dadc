//! Turning what a user typed into a feed URL: the URL itself when it is a feed or a sitemap,
//! else the feed that its HTML page advertises with `<link rel="alternate">`.

use anyhow::{Result, anyhow, bail};
use newsdesk_core::ParsedFeed;
use newsdesk_fetch::{Fetcher, Validators};

/// A feed URL that was checked to parse.
#[derive(Debug, Clone)]
pub struct ResolvedFeed {
    /// The feed URL to store (after redirects).
    pub feed_url: String,
    /// The parsed feed (title, language, entries).
    pub feed: ParsedFeed,
    /// When the URL was an HTML page: every feed it advertised, in document order.
    pub discovered: Vec<String>,
    /// The page URL the feed was discovered on, if any.
    pub page_url: Option<String>,
}

/// Fetches `url`; if it is a feed, returns it; if it is an HTML page, picks the first advertised
/// feed that parses.
pub async fn resolve_feed(fetcher: &Fetcher, url: &str) -> Result<ResolvedFeed> {
    let resp = fetcher.get(url, &Validators::default()).await?;
    // a feed, a sitemap, or a sitemap index (read through its chosen children)
    let read = super::sitemap::read_source_document(
        fetcher,
        resp.body.clone(),
        resp.final_url.clone(),
        resp.content_type.clone(),
    )
    .await;
    match read.map(|doc| doc.feed) {
        Ok(feed) => Ok(ResolvedFeed {
            feed_url: resp.final_url.clone(),
            feed,
            discovered: vec![],
            page_url: None,
        }),
        Err(parse_err) => {
            let candidates = newsdesk_feeds::discover_feeds(&resp.body, &resp.final_url);
            if candidates.is_empty() {
                bail!(
                    "{url} is not a feed ({parse_err}) and its page advertises no feed \
                     (<link rel=\"alternate\" type=\"application/rss+xml\" …>)"
                );
            }
            let discovered: Vec<String> = candidates.iter().map(|c| c.url.clone()).collect();
            let mut last_err = None;
            for c in &candidates {
                match fetcher.get(&c.url, &Validators::default()).await {
                    Ok(r) => match newsdesk_feeds::parse_feed(
                        &r.body,
                        Some(&r.final_url),
                        r.content_type.as_deref(),
                    ) {
                        Ok(feed) => {
                            return Ok(ResolvedFeed {
                                feed_url: r.final_url.clone(),
                                feed,
                                discovered,
                                page_url: Some(resp.final_url.clone()),
                            });
                        }
                        Err(e) => last_err = Some(format!("{}: {e}", c.url)),
                    },
                    Err(e) => last_err = Some(e.to_string()),
                }
            }
            Err(anyhow!(
                "{url} advertises {} feed(s) but none could be read; last error: {}",
                discovered.len(),
                last_err.unwrap_or_default()
            ))
        }
    }
}

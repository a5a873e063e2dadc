//! Reading a source's document: a feed, a sitemap of pages, or a sitemap index whose children
//! are fetched here (the feeds crate does no network I/O).
//!
//! An index is expanded one level deep: at most [`newsdesk_feeds::MAX_CHILD_SITEMAPS`] children
//! chosen by [`newsdesk_feeds::select_child_sitemaps`] (news-like or modified in the last
//! week), each fetched through the same [`Fetcher`] as everything else (SSRF guard, body cap,
//! timeouts, politeness), merged newest first and capped to
//! [`newsdesk_feeds::MAX_SITEMAP_ENTRIES`] entries. Nested indexes are not followed.

use chrono::Utc;
use newsdesk_core::ParsedFeed;
use newsdesk_feeds::{Sitemap, SitemapRef};
use newsdesk_fetch::{Fetcher, Validators};
use tracing::{debug, warn};

/// A source's document, parsed.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    /// The feed (for an index: its children's entries merged).
    pub feed: ParsedFeed,
    /// The children read when the document was a sitemap index (empty otherwise). The index
    /// itself may not change when its children do, so its validators must not be trusted.
    pub children: Vec<SitemapRef>,
    /// How many children the index listed in all.
    pub listed_children: usize,
}

/// Parses a fetched source document: a feed or sitemap through
/// [`newsdesk_feeds::parse_feed`], a sitemap index by fetching and merging its chosen children.
///
/// # Errors
///
/// The parse error (a message naming the URL) when the document is neither a feed nor a
/// sitemap, or when no child of an index could be read.
pub async fn read_source_document(
    fetcher: &Fetcher,
    body: impl AsRef<[u8]> + Send + 'static,
    url: String,
    content_type: Option<String>,
) -> Result<SourceDocument, String> {
    let doc_url = url.clone();
    let parsed = tokio::task::spawn_blocking(move || {
        let body = body.as_ref();
        if newsdesk_feeds::is_sitemap_index(body) {
            newsdesk_feeds::parse_sitemap(body, Some(&url), content_type.as_deref())
        } else {
            newsdesk_feeds::parse_feed(body, Some(&url), content_type.as_deref()).map(Sitemap::Urls)
        }
    })
    .await
    .map_err(|e| format!("feed parser crashed on {doc_url}: {e}"))?
    .map_err(|e| e.to_string())?;
    let refs = match parsed {
        Sitemap::Urls(feed) => {
            return Ok(SourceDocument {
                feed,
                children: Vec::new(),
                listed_children: 0,
            });
        }
        Sitemap::Index(refs) => refs,
    };
    let chosen = newsdesk_feeds::select_child_sitemaps(
        &refs,
        newsdesk_feeds::MAX_CHILD_SITEMAPS,
        Utc::now(),
    );
    debug!(url = %doc_url, listed = refs.len(), chosen = chosen.len(), "sitemap index expanded");
    let mut parts = Vec::new();
    let mut last_error = None;
    for child in &chosen {
        match read_child(fetcher, &child.url).await {
            Ok(feed) => parts.push(feed),
            Err(e) => {
                warn!(index = %doc_url, child = %child.url, error = %e, "child sitemap not read");
                last_error = Some(e);
            }
        }
    }
    if parts.is_empty() {
        return Err(format!(
            "sitemap index {doc_url} lists {} sitemaps; none of the {} chosen could be read{}",
            refs.len(),
            chosen.len(),
            last_error.map(|e| format!(": {e}")).unwrap_or_default()
        ));
    }
    Ok(SourceDocument {
        feed: newsdesk_feeds::merge_sitemaps(parts),
        children: chosen,
        listed_children: refs.len(),
    })
}

/// Fetches and parses one child sitemap of an index (a page list; nested indexes refused).
async fn read_child(fetcher: &Fetcher, url: &str) -> Result<ParsedFeed, String> {
    let resp = fetcher
        .get(url, &Validators::none())
        .await
        .map_err(|e| e.to_string())?;
    let final_url = resp.final_url.clone();
    let content_type = resp.content_type.clone();
    let parsed = tokio::task::spawn_blocking(move || {
        newsdesk_feeds::parse_sitemap(&resp.body, Some(&final_url), content_type.as_deref())
    })
    .await
    .map_err(|e| format!("sitemap parser crashed on {url}: {e}"))?;
    match parsed.map_err(|e| e.to_string())? {
        Sitemap::Urls(feed) => Ok(feed),
        Sitemap::Index(_) => Err(format!(
            "{url} is itself a sitemap index; nested indexes are not followed"
        )),
    }
}

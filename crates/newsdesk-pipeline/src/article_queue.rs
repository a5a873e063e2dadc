//! The article-page queue: every article page goes through it.
//!
//! * Its own concurrency limit (`[fetch] page_concurrency`), over all sources together, on top of
//!   the fetcher's per-host politeness (which feeds and pages share).
//! * Transient errors (timeouts, resets, 408, 429, 5xx) are retried up to `page_retries` times,
//!   after 1 s, 2 s, … (or the `Retry-After` the server sent, up to a minute).
//! * A page is never fetched twice for the same URL, and one URL is stored as one article: a URL
//!   already stored as an article's URL or canonical URL is not fetched, and a URL is *claimed*
//!   ([`UrlClaim`]) by the entry that fetches it until that entry's article is stored, so another
//!   entry (of this source or another, under another guid) with the same URL meanwhile only
//!   records itself. The database refuses a second article with the same URL as well.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use newsdesk_fetch::{FetchError, FetchResponse, Fetcher};
use newsdesk_store::Store;
use tokio::sync::Semaphore;
use tracing::debug;

/// Longest wait between two tries of a page.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);

/// What the queue did with a page URL.
#[derive(Debug)]
pub enum PageFetch {
    /// The page was fetched; the claim on its URL is held until the article is stored.
    Fetched(Box<FetchResponse>, UrlClaim),
    /// The URL is already stored as an article, or is claimed by another entry: it is not
    /// fetched again.
    AlreadyKnown,
    /// The page could not be fetched (after the retries, for transient errors); the claim is
    /// held until the entry's article (from the feed's content) is stored.
    Failed(FetchError, UrlClaim),
}

/// The shared page queue. Cheap to clone.
#[derive(Clone)]
pub struct ArticleQueue {
    fetcher: Fetcher,
    store: Store,
    permits: Arc<Semaphore>,
    retries: u32,
    in_flight: Arc<Mutex<HashSet<String>>>,
}

/// One entry's claim on a URL: while it is held, no other entry fetches or stores that URL.
/// Dropping it (once the article is stored, or given up) releases the URL.
#[derive(Debug)]
pub struct UrlClaim {
    set: Arc<Mutex<HashSet<String>>>,
    key: String,
}

impl Drop for UrlClaim {
    fn drop(&mut self) {
        self.set
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.key);
    }
}

impl ArticleQueue {
    /// A queue fetching at most `concurrency` pages at a time, retrying transient errors
    /// `retries` times.
    pub fn new(fetcher: Fetcher, store: Store, concurrency: usize, retries: u32) -> ArticleQueue {
        ArticleQueue {
            fetcher,
            store,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            retries,
            in_flight: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// The key under which a page URL is known: without its fragment.
    pub fn url_key(url: &str) -> String {
        match url::Url::parse(url.trim()) {
            Ok(mut u) => {
                u.set_fragment(None);
                u.into()
            }
            Err(_) => url.trim().to_string(),
        }
    }

    /// Whether an article with this URL (or canonical URL) is already stored.
    pub async fn is_stored(&self, url: &str) -> bool {
        let store = self.store.clone();
        let key = ArticleQueue::url_key(url);
        let raw = url.trim().to_string();
        tokio::task::spawn_blocking(move || {
            store.has_article_url(&key).unwrap_or(false)
                || (raw != key && store.has_article_url(&raw).unwrap_or(false))
        })
        .await
        .unwrap_or(false)
    }

    /// Claims `url` for one entry: `None` when it is already stored as an article or claimed
    /// by another entry. The claim is taken before the store is asked, so two entries with the
    /// same URL never both pass.
    pub async fn claim(&self, url: &str) -> Option<UrlClaim> {
        let key = ArticleQueue::url_key(url);
        let claim = {
            let mut set = self
                .in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !set.insert(key.clone()) {
                debug!(stage = "fetch", url = %key, "URL claimed by another entry");
                return None;
            }
            UrlClaim {
                set: Arc::clone(&self.in_flight),
                key: key.clone(),
            }
        };
        if self.is_stored(&key).await {
            debug!(stage = "fetch", url = %key, "URL already stored; not fetched again");
            return None;
        }
        Some(claim)
    }

    /// Fetches the page at `url` through the queue, claiming the URL (see [`Self::claim`]).
    pub async fn fetch(&self, url: &str) -> PageFetch {
        let Some(claim) = self.claim(url).await else {
            return PageFetch::AlreadyKnown;
        };
        let Ok(_permit) = self.permits.acquire().await else {
            return PageFetch::Failed(
                FetchError::Config {
                    message: "the page queue was closed".into(),
                },
                claim,
            );
        };
        let mut attempt = 0u32;
        loop {
            match self.fetcher.get_page(url).await {
                Ok(r) => return PageFetch::Fetched(Box::new(r), claim),
                Err(e) if e.is_transient() && attempt < self.retries => {
                    attempt += 1;
                    let wait = e
                        .retry_after()
                        .and_then(|v| super::schedule::retry_after(v, chrono::Utc::now()))
                        .unwrap_or(Duration::from_secs(u64::from(attempt)))
                        .min(MAX_RETRY_WAIT);
                    debug!(stage = "fetch", url, attempt, error = %e, "transient page error; retrying");
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return PageFetch::Failed(e, claim),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use newsdesk_core::{ContentOrigin, NewArticle, NewSource};
    use newsdesk_fetch::FetchConfig;

    use super::*;

    fn queue() -> (tempfile::TempDir, Store, ArticleQueue) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("q.db")).expect("open store");
        let fetcher = Fetcher::new(FetchConfig::default()).expect("fetcher");
        let q = ArticleQueue::new(fetcher, store.clone(), 2, 0);
        (dir, store, q)
    }

    #[test]
    fn a_url_is_known_without_its_fragment() {
        assert_eq!(
            ArticleQueue::url_key(" https://example.org/a?x=1#comments "),
            "https://example.org/a?x=1"
        );
        assert_eq!(ArticleQueue::url_key("not a url#x"), "not a url#x");
    }

    #[tokio::test]
    async fn one_claim_per_url_until_it_is_dropped() {
        let (_dir, _store, q) = queue();
        let first = q.claim("https://example.org/a#top").await.expect("free");
        // the same page under another fragment is the same URL
        assert!(q.claim("https://example.org/a").await.is_none());
        assert!(q.claim("https://example.org/b").await.is_some());
        drop(first);
        assert!(q.claim("https://example.org/a").await.is_some());
    }

    #[tokio::test]
    async fn a_stored_url_is_neither_claimed_nor_fetched() {
        let (_dir, store, q) = queue();
        let src = store
            .add_source(&NewSource::new("https://example.org/feed.xml"))
            .expect("source");
        let article = NewArticle {
            source_id: src.id,
            entry_key: "k".into(),
            url: "https://example.org/stored".into(),
            canonical_url: Some("https://example.org/canonical".into()),
            title: "Stored".into(),
            authors: Vec::new(),
            published_at: None,
            modified_at: None,
            fetched_at: chrono::Utc::now(),
            lead_image: None,
            language: None,
            summary: None,
            body_html: String::new(),
            body_text: String::new(),
            tags: Vec::new(),
            origin: ContentOrigin::Page,
        };
        store.insert_article(&article).expect("insert");
        assert!(q.is_stored("https://example.org/stored#x").await);
        assert!(q.is_stored("https://example.org/canonical").await);
        assert!(q.claim("https://example.org/stored").await.is_none());
        // no request is made for it (the address would not even resolve)
        assert!(matches!(
            q.fetch("https://example.org/canonical").await,
            PageFetch::AlreadyKnown
        ));
        // and the failed claim does not hold the URL
        assert!(q.claim("https://example.org/other").await.is_some());
    }
}

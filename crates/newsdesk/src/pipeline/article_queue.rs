//! The article-page queue: every article page goes through it.
//!
//! * Its own concurrency limit (`[fetch] page_concurrency`), over all sources together, on top of
//!   the fetcher's per-host politeness (which feeds and pages share).
//! * Transient errors (timeouts, resets, 408, 429, 5xx) are retried up to `page_retries` times,
//!   after 1 s, 2 s, … (or the `Retry-After` the server sent, up to a minute).
//! * A page is never fetched twice for the same URL: a URL already stored as an article's URL or
//!   canonical URL is not fetched, and a URL being fetched for one source is not fetched again
//!   for another source at the same time.

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
    /// The page was fetched.
    Fetched(Box<FetchResponse>),
    /// The URL is already stored as an article, or is being fetched for another source: it is
    /// not fetched again.
    AlreadyKnown,
    /// The page could not be fetched (after the retries, for transient errors).
    Failed(FetchError),
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

/// Removes a URL from the in-flight set when its fetch is over.
struct InFlight {
    set: Arc<Mutex<HashSet<String>>>,
    key: String,
}

impl Drop for InFlight {
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

    /// Fetches the page at `url` through the queue.
    pub async fn fetch(&self, url: &str) -> PageFetch {
        let key = ArticleQueue::url_key(url);
        if self.is_stored(&key).await {
            debug!(stage = "fetch", url = %key, "page already stored; not fetched again");
            return PageFetch::AlreadyKnown;
        }
        let _in_flight = {
            let mut set = self
                .in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !set.insert(key.clone()) {
                debug!(stage = "fetch", url = %key, "page being fetched for another source");
                return PageFetch::AlreadyKnown;
            }
            InFlight {
                set: Arc::clone(&self.in_flight),
                key: key.clone(),
            }
        };
        let Ok(_permit) = self.permits.acquire().await else {
            return PageFetch::Failed(FetchError::Config {
                message: "the page queue was closed".into(),
            });
        };
        let mut attempt = 0u32;
        loop {
            match self.fetcher.get_page(url).await {
                Ok(r) => return PageFetch::Fetched(Box::new(r)),
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
                Err(e) => return PageFetch::Failed(e),
            }
        }
    }
}

//! A micro-cache of whole answers: the same `GET` within `cache_ttl_ms` (default one second) is
//! answered from memory, without touching the store, the templates, gzip or the hasher.
//!
//! Why: a "latest news" front page is read far more often than it changes, and rendering it
//! (one keyset query, fifty articles through the templates, BLAKE3 of the bytes) costs a few
//! hundred microseconds, which caps a 2-core machine at a few thousand pages per second. Serving
//! a page that is at most one second old costs a hash-map lookup instead. Clients are already
//! told they may keep answers for a minute (`Cache-Control: public, max-age=60`), so a
//! one-second server-side cache changes nothing they can observe beyond what HTTP allows.
//!
//! Costs and bounds: only successful `GET` answers smaller than [`MAX_ENTRY_BYTES`] are kept,
//! keyed by path, query and whether the client accepts gzip; at most [`MAX_ENTRIES`] answers
//! are held (the map is cleared when full). `/healthz` is never cached. A hit still honours
//! `If-None-Match` (answering `304`) because the stored answer carries its `ETag`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Largest answer kept.
pub(crate) const MAX_ENTRY_BYTES: usize = 2 * 1024 * 1024;
/// Most answers kept at once.
pub(crate) const MAX_ENTRIES: usize = 4096;

struct Entry {
    stored: Instant,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// The cache shared by every request of one [`crate::app`].
pub(crate) struct MicroCache {
    ttl: Duration,
    entries: RwLock<HashMap<String, Arc<Entry>>>,
}

impl MicroCache {
    /// A cache keeping answers for `ttl` (zero disables it).
    pub(crate) fn new(ttl: Duration) -> Arc<MicroCache> {
        Arc::new(MicroCache {
            ttl,
            entries: RwLock::new(HashMap::new()),
        })
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let map = self.entries.read().ok()?;
        let e = map.get(key)?;
        (e.stored.elapsed() < self.ttl).then(|| e.clone())
    }

    fn put(&self, key: String, entry: Entry) {
        if let Ok(mut map) = self.entries.write() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, Arc::new(entry));
        }
    }
}

fn cache_key(request: &Request) -> Option<String> {
    if request.method() != Method::GET || request.uri().path() == "/healthz" {
        return None;
    }
    let gzip = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let pq = request.uri().path_and_query()?.as_str();
    Some(format!("{}{pq}", if gzip { "z" } else { "-" }))
}

fn from_entry(e: &Entry, if_none_match: Option<&str>) -> Response {
    let etag = e.headers.get(header::ETAG).and_then(|v| v.to_str().ok());
    let not_modified = match (if_none_match, etag) {
        (Some(inm), Some(tag)) => inm
            .split(',')
            .map(str::trim)
            .any(|c| c == "*" || c.strip_prefix("W/").unwrap_or(c) == tag),
        _ => false,
    };
    let mut response = if not_modified {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        let mut headers = e.headers.clone();
        for name in [
            header::CONTENT_LENGTH,
            header::CONTENT_TYPE,
            header::CONTENT_ENCODING,
        ] {
            headers.remove(name);
        }
        *r.headers_mut() = headers;
        r
    } else {
        let mut r = Response::new(Body::from(e.body.clone()));
        *r.status_mut() = e.status;
        *r.headers_mut() = e.headers.clone();
        r
    };
    response
        .headers_mut()
        .insert("x-cache", header::HeaderValue::from_static("hit"));
    response
}

/// The middleware: answer from the cache, or run the request and keep a successful answer.
pub(crate) async fn cache(
    State(cache): State<Arc<MicroCache>>,
    request: Request,
    next: Next,
) -> Response {
    if cache.ttl.is_zero() {
        return next.run(request).await;
    }
    let Some(key) = cache_key(&request) else {
        return next.run(request).await;
    };
    let if_none_match = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(e) = cache.get(&key) {
        return from_entry(&e, if_none_match.as_deref());
    }
    // Render the full answer (the inner layers turn a matching If-None-Match into a 304, which
    // must not be what is cached), keep it, then answer this request from it.
    let mut request = request;
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let response = next.run(request).await;
    // An answer that depends on Accept-Language (`/` with editions) is not kept.
    let varies = response.headers().get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-language"))
    });
    if response.status() != StatusCode::OK || varies {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ENTRY_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            let mut r = Response::new(Body::from("answer too large to buffer"));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return r;
        }
    };
    let entry = Entry {
        stored: Instant::now(),
        status: parts.status,
        headers: parts.headers,
        body: bytes,
    };
    let response = from_entry(&entry, if_none_match.as_deref());
    cache.put(key, entry);
    let mut response = response;
    response.headers_mut().remove("x-cache");
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_map_is_bounded() {
        let c = MicroCache::new(Duration::from_millis(50));
        let entry = || Entry {
            stored: Instant::now(),
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"x"),
        };
        c.put("a".into(), entry());
        assert!(c.get("a").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get("a").is_none(), "expired");
        for i in 0..MAX_ENTRIES + 1 {
            c.put(format!("k{i}"), entry());
        }
        assert!(c.entries.read().map(|m| m.len()).unwrap_or(0) <= MAX_ENTRIES);
    }
}

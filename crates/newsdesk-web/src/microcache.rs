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
//! keyed by path, query and whether the client accepts gzip. The cache holds at most
//! `cache_max_bytes` (keys, headers and bodies counted) and [`MAX_ENTRIES`] answers: expired
//! answers are swept out (at most once per TTL, and whenever the budget would be passed) and
//! the map is cleared when live answers alone would pass it. Only queries made of recognised
//! parameters ([`crate::params::RECOGNISED`]) are cached: a request carrying any other
//! parameter (`?x=random`, a cache-buster) is answered as usual but neither read from nor kept
//! in the cache, so it cannot fill memory. `/healthz` is never cached. A hit still honours
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

impl Entry {
    /// Bytes this answer holds, roughly (body, headers, and the key it is kept under).
    fn size(&self, key: &str) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(n, v)| n.as_str().len() + v.len() + 32)
            .sum();
        key.len() + headers + self.body.len() + 128
    }
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, (Arc<Entry>, usize)>,
    bytes: usize,
    swept: Option<Instant>,
}

impl Entries {
    /// Drops the answers older than `ttl`.
    fn sweep(&mut self, ttl: Duration) {
        self.map.retain(|_, (e, _)| e.stored.elapsed() < ttl);
        self.bytes = self.map.values().map(|(_, size)| size).sum();
        self.swept = Some(Instant::now());
    }
}

/// The cache shared by every request of one [`crate::app`].
pub(crate) struct MicroCache {
    ttl: Duration,
    max_bytes: usize,
    entries: RwLock<Entries>,
}

impl MicroCache {
    /// A cache keeping answers for `ttl` (zero disables it), `max_bytes` in all.
    pub(crate) fn new(ttl: Duration, max_bytes: usize) -> Arc<MicroCache> {
        Arc::new(MicroCache {
            ttl,
            max_bytes,
            entries: RwLock::new(Entries::default()),
        })
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let map = self.entries.read().ok()?;
        let (e, _) = map.map.get(key)?;
        (e.stored.elapsed() < self.ttl).then(|| e.clone())
    }

    fn put(&self, key: String, entry: Entry) {
        let size = entry.size(&key);
        if size > self.max_bytes {
            return;
        }
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if let Some((_, old)) = entries.map.remove(&key) {
            entries.bytes -= old;
        }
        let sweep_due = entries.swept.is_none_or(|t| t.elapsed() >= self.ttl);
        let over = entries.bytes + size > self.max_bytes || entries.map.len() >= MAX_ENTRIES;
        if sweep_due || over {
            entries.sweep(self.ttl);
        }
        if entries.bytes + size > self.max_bytes || entries.map.len() >= MAX_ENTRIES {
            entries.map.clear();
            entries.bytes = 0;
        }
        entries.bytes += size;
        entries.map.insert(key, (Arc::new(entry), size));
    }

    /// Forgets every answer.
    fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.map.clear();
            entries.bytes = 0;
        }
    }

    /// Bytes held now (answers not yet swept included).
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.entries.read().map(|e| e.bytes).unwrap_or(0)
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
    let uri = request.uri();
    if let Some(query) = uri.query() {
        let recognised = url::form_urlencoded::parse(query.as_bytes())
            .all(|(name, _)| crate::params::RECOGNISED.contains(&name.as_ref()));
        if !recognised {
            return None;
        }
    }
    let pq = uri.path_and_query()?.as_str();
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
        // A successful write (an operator's edit through the API) makes every kept answer stale.
        let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
        let response = next.run(request).await;
        if writes && response.status().is_success() {
            cache.clear();
        }
        return response;
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

    fn entry(body: usize) -> Entry {
        Entry {
            stored: Instant::now(),
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; body]),
        }
    }

    #[test]
    fn entries_expire_and_the_map_is_bounded() {
        let c = MicroCache::new(Duration::from_millis(50), 64 * 1024 * 1024);
        c.put("a".into(), entry(1));
        assert!(c.get("a").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get("a").is_none(), "expired");
        for i in 0..MAX_ENTRIES + 1 {
            c.put(format!("k{i}"), entry(1));
        }
        assert!(c.entries.read().map(|m| m.map.len()).unwrap_or(0) <= MAX_ENTRIES);
    }

    #[test]
    fn the_byte_budget_holds_and_expiry_frees_memory() {
        let budget = 1024 * 1024;
        let c = MicroCache::new(Duration::from_millis(50), budget);
        for i in 0..1000 {
            c.put(format!("k{i}"), entry(10_000));
            assert!(c.bytes() <= budget, "{} bytes after {i}", c.bytes());
        }
        assert!(c.bytes() > budget / 2, "the cache is used");
        std::thread::sleep(Duration::from_millis(60));
        c.put("fresh".into(), entry(10));
        assert!(
            c.bytes() < 1000,
            "expired answers were freed: {}",
            c.bytes()
        );
        c.put("huge".into(), entry(budget + 1));
        assert!(c.get("huge").is_none(), "larger than the budget: not kept");
    }

    #[test]
    fn only_recognised_parameters_make_a_key() {
        let key = |uri: &str| {
            let request = Request::builder()
                .uri(uri)
                .body(Body::empty())
                .expect("request");
            cache_key(&request)
        };
        assert!(key("/feed.json").is_some());
        assert!(key("/feed.json?lang=fr&limit=5").is_some());
        assert_eq!(key("/feed.json?w=1"), None);
        assert_eq!(key("/articles/1?lang=fr&utm_source=x"), None);
        assert_eq!(key("/healthz"), None);
    }
}

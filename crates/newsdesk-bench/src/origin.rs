//! The generated origin of `bench fetch` and `bench scale` (and of the worker kill test): one
//! axum server on 127.0.0.1 that plays many news sites.
//!
//! Source `i` lives on its own host name, `s<i>.bench.test` (see [`BENCH_DOMAIN`]; the fetcher
//! maps `*.bench.test` to 127.0.0.1 with `[fetch] resolve`), so per-host limits and delays
//! apply as with real sites. Each site serves
//! - `/feed.xml`: an RSS feed of `entries` entries, with an `ETag` it honours in
//!   `If-None-Match` (so an unchanged second pass is all 304s);
//! - `/news/<j>.html`: entry `j`'s article page, a realistic page (head metadata, header and
//!   navigation, cookie banner, most-read sidebar, related links, footer) around a title,
//!   byline, date and 6–10 paragraphs of seeded filler text that differ for every `i` and `j`,
//!   so extraction does real work;
//! - `/robots.txt`, allowing everything.
//!
//! Every answer is `Connection: close` (real sources are on distinct servers, so no connection
//! is reused between them) and can be delayed by [`GeneratedOrigin::set_delay`] (to keep
//! requests in flight long enough to kill a worker in the middle of them).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context as _, Result};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response, StatusCode, header};
use axum::routing::get;
use chrono::{DateTime, TimeZone, Utc};

/// The host-name suffix of the generated sites; the fetcher resolves it to 127.0.0.1.
pub const BENCH_DOMAIN: &str = "bench.test";

/// The `[fetch] resolve` line that sends every generated site to this machine, as TOML.
pub const RESOLVE_TOML: &str = "resolve = { \"*.bench.test\" = \"127.0.0.1\" }";

/// The `[fetch] resolve` table that sends every generated site to this machine.
pub fn resolve_to_loopback() -> BTreeMap<String, IpAddr> {
    BTreeMap::from([(format!("*.{BENCH_DOMAIN}"), IpAddr::V4(Ipv4Addr::LOCALHOST))])
}

#[derive(Debug, Default)]
struct OriginState {
    entries: usize,
    delay_ms: AtomicU64,
    requests: AtomicUsize,
    not_modified: AtomicUsize,
    pages: AtomicUsize,
    /// Requests being answered now, per host name.
    in_flight: std::sync::Mutex<std::collections::HashMap<String, usize>>,
    /// The most requests one host had in flight at once.
    max_in_flight: AtomicUsize,
}

/// One request in flight on its host (counted until dropped).
struct InFlight<'a> {
    st: &'a OriginState,
    host: String,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut map = self
            .st
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.host) {
            *n = n.saturating_sub(1);
        }
    }
}

/// A running generated origin; dropping it stops the server.
#[derive(Debug)]
pub struct GeneratedOrigin {
    port: u16,
    state: Arc<OriginState>,
    task: tokio::task::JoinHandle<()>,
}

impl GeneratedOrigin {
    /// Starts the origin on a free port of 127.0.0.1, every feed with `entries` entries. Must be
    /// called inside a tokio runtime (the server runs as a task of it).
    ///
    /// # Errors
    ///
    /// When no port of 127.0.0.1 can be bound.
    pub async fn start(entries: usize) -> Result<GeneratedOrigin> {
        let state = Arc::new(OriginState {
            entries,
            ..OriginState::default()
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("cannot start the generated origin on 127.0.0.1")?;
        let port = listener.local_addr()?.port();
        let app = Router::new()
            .route("/feed.xml", get(serve_feed))
            .route("/news/{page}", get(serve_page))
            .route("/robots.txt", get(serve_robots))
            .with_state(Arc::clone(&state));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(GeneratedOrigin { port, state, task })
    }

    /// The port every generated site is served on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The feed URL of source `i`.
    pub fn feed_url(&self, i: usize) -> String {
        feed_url(i, self.port)
    }

    /// The article page URL of entry `j` of source `i` (as the feed links it).
    pub fn page_url(&self, i: usize, j: usize) -> String {
        format!("http://{}:{}/news/{j}.html", host_of(i), self.port)
    }

    /// Delays every answer from now on by `delay` (zero: answer at once, the default).
    pub fn set_delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.state.delay_ms.store(ms, Ordering::Relaxed);
    }

    /// Requests answered so far (feeds, pages, robots.txt and unknown paths).
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::Relaxed)
    }

    /// Feed requests answered 304 Not Modified so far.
    pub fn not_modified(&self) -> usize {
        self.state.not_modified.load(Ordering::Relaxed)
    }

    /// Article pages served so far.
    pub fn pages_served(&self) -> usize {
        self.state.pages.load(Ordering::Relaxed)
    }

    /// The most requests (feeds, pages, robots.txt) one host name had in flight at once so
    /// far: what per-host politeness allows, seen from the sites' side.
    pub fn max_in_flight_per_host(&self) -> usize {
        self.state.max_in_flight.load(Ordering::Relaxed)
    }
}

impl Drop for GeneratedOrigin {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The feed URL of source `i` on an origin listening on `port`.
pub fn feed_url(i: usize, port: u16) -> String {
    format!("http://{}:{port}/feed.xml", host_of(i))
}

/// The host name of source `i`.
pub fn host_of(i: usize) -> String {
    format!("s{i}.{BENCH_DOMAIN}")
}

/// The source index named by a `Host` header (`s<i>.bench.test[:port]`).
fn source_of(headers: &HeaderMap) -> Option<(usize, String)> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let i = host
        .strip_prefix('s')?
        .split('.')
        .next()?
        .parse::<usize>()
        .ok()?;
    Some((i, host.to_string()))
}

/// When entry `j` of source `i` was published.
fn published(i: usize, j: usize) -> DateTime<Utc> {
    let base = Utc
        .with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    base - chrono::Duration::minutes((i % 60 + j * 37) as i64)
}

/// The title of entry `j` of source `i` (the feed's and the page's).
fn title(i: usize, j: usize) -> String {
    format!("Harbour talks update {j} from source {i}")
}

/// The generated feed of source `i` (`host` is the `Host` it was asked for, port included).
pub fn feed_xml(i: usize, entries: usize, host: &str) -> String {
    let mut s = String::with_capacity(600 + entries * 420);
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Bench source {i}</title><link>http://{host}/</link>\
         <description>Generated feed {i}</description><language>en</language>\n"
    );
    for j in 0..entries {
        let _ = writeln!(
            s,
            "<item><title>{}</title>\
             <link>http://{host}/news/{j}.html</link><guid>http://{host}/news/{j}.html</guid>\
             <pubDate>{}</pubDate><description>&lt;p&gt;The harbour authority said on day {j} \
             that fourteen vessels were waiting outside the port while negotiations between \
             the unions and the operators of source {i} continued late into the night.&lt;/p&gt;\
             </description></item>",
            title(i, j),
            published(i, j).to_rfc2822()
        );
    }
    s.push_str("</channel></rss>\n");
    s
}

/// The article page of entry `j` of source `i`: a title, byline, date and 6–10 paragraphs that
/// differ for every `i` and `j`, in a news site's boilerplate (about 8–12 KB).
pub fn article_page(i: usize, j: usize, host: &str) -> String {
    let headline = title(i, j);
    let at = published(i, j);
    let seed = (i as u64) << 32 | j as u64;
    let count = 6 + (i + j) % 5;
    let paragraphs = newsdesk_demo::filler_paragraphs("en", seed, count);
    let site = format!("Bench Harbour Courier {i}");
    let mut s = String::with_capacity(12 * 1024);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{headline} | {site}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"description\" content=\"{lead}\">\
         <meta property=\"og:site_name\" content=\"{site}\">\
         <meta property=\"og:title\" content=\"{headline}\">\
         <meta property=\"og:type\" content=\"article\">\
         <link rel=\"canonical\" href=\"http://{host}/news/{j}.html\">\
         <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed.xml\">\
         <link rel=\"stylesheet\" href=\"/static/site.css\"></head>\n<body class=\"article\">\n\
         <div class=\"cookie-banner\"><p>We use cookies to understand how our journalism is read. \
         <a href=\"/privacy\">Privacy policy</a></p><button>Accept</button><button>Refuse</button></div>\n\
         <header class=\"site-header\"><a class=\"logo\" href=\"/\">{site}</a>\
         <form action=\"/search\"><input name=\"q\" placeholder=\"Search\"></form>\
         <a href=\"/subscribe\" class=\"cta\">Subscribe from 1 a month</a></header>\n\
         <nav class=\"main-nav\"><ul>",
        lead = paragraphs
            .first()
            .map(|p| p.split(". ").next().unwrap_or(p))
            .unwrap_or_default()
    );
    for section in [
        "World", "Business", "Ports", "Politics", "Science", "Culture", "Sport", "Opinion",
        "Weather",
    ] {
        let _ = write!(
            s,
            "<li><a href=\"/section/{}\">{section}</a></li>",
            section.to_ascii_lowercase()
        );
    }
    let _ = write!(
        s,
        "</ul></nav>\n<div class=\"layout\"><main id=\"content\"><article class=\"story\">\n\
         <p class=\"kicker\"><a href=\"/section/ports\">Ports</a></p>\n\
         <h1 class=\"headline\">{headline}</h1>\n\
         <div class=\"meta\"><p class=\"byline\">By Reporter {} and Desk {}</p>\
         <p class=\"dateline\">Published <time datetime=\"{}\">{}</time></p></div>\n\
         <div class=\"share\"><a href=\"/share/mail\">Mail</a> <a href=\"/share/print\">Print</a></div>\n\
         <div class=\"body\">\n",
        i % 17,
        j % 5,
        at.to_rfc3339(),
        at.format("%e %B %Y, %H:%M")
    );
    for (k, p) in paragraphs.iter().enumerate() {
        let _ = writeln!(s, "<p>{p}</p>");
        if k == 2 {
            s.push_str(
                "<aside class=\"inline-promo\"><p>Read more: <a href=\"/news/latest\">\
                 the latest from the port</a></p></aside>\n",
            );
        }
    }
    s.push_str(
        "</div>\n<div class=\"tags\"><a href=\"/tag/harbour\">harbour</a> \
         <a href=\"/tag/unions\">unions</a> <a href=\"/tag/shipping\">shipping</a></div>\n\
         </article>\n<section class=\"related\"><h2>Related</h2><ul>",
    );
    for r in 1..=4 {
        let other = (j + r) % 97;
        let _ = write!(
            s,
            "<li><a href=\"/news/{other}.html\">{}</a></li>",
            title(i, other)
        );
    }
    s.push_str(
        "</ul></section>\n<section class=\"comments\"><p>Comments are closed for this \
         article.</p></section></main>\n<aside class=\"sidebar\"><h2>Most read</h2><ol>",
    );
    for r in 0..8 {
        let _ = write!(
            s,
            "<li><a href=\"/news/mr{r}.html\">Most read story number {r} of the week at the port</a></li>"
        );
    }
    let _ = write!(
        s,
        "</ol><div class=\"newsletter\"><p>Get the morning briefing in your inbox.</p>\
         <form action=\"/newsletter\"><input name=\"email\"><button>Sign up</button></form></div>\
         </aside></div>\n<footer class=\"site-footer\"><ul>\
         <li><a href=\"/about\">About us</a></li><li><a href=\"/contact\">Contact</a></li>\
         <li><a href=\"/jobs\">Jobs</a></li><li><a href=\"/advertise\">Advertise</a></li>\
         <li><a href=\"/privacy\">Privacy</a></li><li><a href=\"/terms\">Terms</a></li></ul>\
         <p>© 2026 {site}. All rights reserved. Registered office: 1 Quay Street.</p></footer>\n\
         </body></html>\n"
    );
    s
}

fn not_found() -> Response<Body> {
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CONNECTION, "close")
        .body(Body::empty())
        .unwrap_or_default()
}

/// Counts the request (and its host's requests in flight, until the returned guard is dropped)
/// and waits for the configured delay.
async fn arrive<'a>(st: &'a OriginState, headers: &HeaderMap) -> InFlight<'a> {
    st.requests.fetch_add(1, Ordering::Relaxed);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h).to_ascii_lowercase())
        .unwrap_or_default();
    {
        let mut map = st
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(host.clone()).or_default();
        *n += 1;
        st.max_in_flight.fetch_max(*n, Ordering::Relaxed);
    }
    let guard = InFlight { st, host };
    let ms = st.delay_ms.load(Ordering::Relaxed);
    if ms > 0 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    guard
}

async fn serve_feed(State(st): State<Arc<OriginState>>, headers: HeaderMap) -> Response<Body> {
    let _in_flight = arrive(&st, &headers).await;
    let Some((i, host)) = source_of(&headers) else {
        return not_found();
    };
    let etag = format!("\"s{i}-v1\"");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str());
    let builder = Response::builder()
        .header(header::ETAG, etag)
        .header(header::CONNECTION, "close");
    if matches {
        st.not_modified.fetch_add(1, Ordering::Relaxed);
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_default();
    }
    builder
        .header(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")
        .body(Body::from(feed_xml(i, st.entries, &host)))
        .unwrap_or_default()
}

async fn serve_page(
    State(st): State<Arc<OriginState>>,
    Path(page): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let _in_flight = arrive(&st, &headers).await;
    let j = page
        .strip_suffix(".html")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|j| *j < st.entries);
    let (Some((i, host)), Some(j)) = (source_of(&headers), j) else {
        return not_found();
    };
    st.pages.fetch_add(1, Ordering::Relaxed);
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CONNECTION, "close")
        .body(Body::from(article_page(i, j, &host)))
        .unwrap_or_default()
}

async fn serve_robots(State(st): State<Arc<OriginState>>, headers: HeaderMap) -> Response<Body> {
    let _in_flight = arrive(&st, &headers).await;
    Response::builder()
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CONNECTION, "close")
        .body(Body::from("User-agent: *\nAllow: /\n"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_pages_differ_and_extract_to_their_own_text() {
        let a = article_page(3, 7, "s3.bench.test:80");
        let b = article_page(3, 8, "s3.bench.test:80");
        let c = article_page(4, 7, "s4.bench.test:80");
        assert_ne!(a, b);
        assert_ne!(a, c);
        let out = newsdesk_extract::extract(a.as_bytes(), "http://s3.bench.test/news/7.html", None)
            .expect("the page extracts");
        assert_eq!(
            out.title.as_deref(),
            Some("Harbour talks update 7 from source 3")
        );
        assert!(out.published.is_some());
        let body = out.body_text;
        let first = newsdesk_demo::filler_paragraphs("en", 3 << 32 | 7, 6)
            .into_iter()
            .next()
            .expect("a paragraph");
        assert!(body.contains(&first), "{body}");
        for boilerplate in ["Most read", "cookies", "All rights reserved", "Related"] {
            assert!(!body.contains(boilerplate), "{boilerplate} in {body}");
        }
    }

    #[test]
    fn the_feed_links_every_page() {
        let xml = feed_xml(2, 5, "s2.bench.test:9");
        for j in 0..5 {
            assert!(xml.contains(&format!("http://s2.bench.test:9/news/{j}.html")));
        }
        assert!(!xml.contains("/news/5.html"));
    }
}

//! The local origin server: serves a [`Corpus`] as several news sites on loopback addresses.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use newsdesk_core::NewSource;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;

use crate::corpus::{Corpus, CorpusArticle, FeedFormat};
use crate::page::{self, Hosts};
use crate::{feed, image};

/// The `robots.txt` every origin serves: everything allowed except `/private/`.
pub const ROBOTS_TXT: &str =
    "# newsdesk demo origin (SAMPLE DATA)\nUser-agent: *\nDisallow: /private/\nAllow: /\n";

/// How an origin is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginOptions {
    /// Shift all dates so the newest article is 10 minutes old (see [`Corpus::freshen`]).
    pub freshen: bool,
}

impl Default for OriginOptions {
    fn default() -> Self {
        OriginOptions { freshen: true }
    }
}

/// A source as served by a running origin: what to subscribe to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSource {
    /// Slug of the source in the corpus (its path prefix).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// The URL to subscribe to: the feed, or for the discovery source its HTML home page.
    pub feed_url: String,
    /// Language (ISO 639-1).
    pub language: String,
    /// Country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The source's home page.
    pub site_url: String,
    /// Format of the feed behind `feed_url`.
    pub format: FeedFormat,
    /// True when `feed_url` is the HTML home page, so the feed must be discovered from it.
    pub discovery: bool,
    /// Its fictional owner, typology code and kind (the source profile the demo gives it).
    pub owner: Option<String>,
    /// See `owner`.
    pub typology: Option<String>,
    /// See `owner`.
    pub media_type: Option<String>,
}

impl DemoSource {
    /// The source as the store takes it.
    pub fn to_new_source(&self) -> NewSource {
        NewSource {
            feed_url: self.feed_url.clone(),
            site_url: Some(self.site_url.clone()),
            name: Some(self.name.clone()),
            language: Some(self.language.clone()),
            country: Some(self.country.clone()),
        }
    }
}

/// Starts origin servers. See [`Origin::start`] and [`Origin::start_multi`].
#[derive(Debug)]
pub struct Origin;

/// A running origin; dropping it (or [`OriginHandle::shutdown`]) stops every listener.
#[derive(Debug)]
pub struct OriginHandle {
    /// Base URL of the first listener (`http://127.0.0.1:PORT`, no trailing slash).
    pub base_url: String,
    /// Base URL of every listener, in the order of the addresses given.
    pub base_urls: Vec<String>,
    /// The sources served, with absolute URLs.
    pub sources: Vec<DemoSource>,
    state: Arc<OriginState>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl OriginHandle {
    /// The corpus as served (dates freshened when [`OriginOptions::freshen`] was set): the ground
    /// truth to compare ingested articles with.
    pub fn corpus(&self) -> &Corpus {
        &self.state.corpus
    }

    /// The absolute URL of an article page.
    pub fn article_url(&self, article: &CorpusArticle) -> String {
        format!("{}{}", self.state.base_of(&article.source), article.path())
    }

    /// Number of requests answered so far (all listeners).
    pub fn requests_served(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    /// Stops every listener and waits (at most 5 s) for in-flight requests to finish.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for OriginHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

struct OriginState {
    corpus: Corpus,
    bases: HashMap<String, String>,
    default_base: String,
    requests: AtomicU64,
}

impl std::fmt::Debug for OriginState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OriginState")
            .field("sources", &self.corpus.sources().len())
            .field("articles", &self.corpus.articles().len())
            .field("default_base", &self.default_base)
            .finish()
    }
}

impl Hosts for OriginState {
    fn base_of(&self, source: &str) -> &str {
        self.bases
            .get(source)
            .map(String::as_str)
            .unwrap_or(&self.default_base)
    }
}

type Shared = Arc<OriginState>;

impl Origin {
    /// Serves `corpus` on `addr` (port 0 picks a free port), dates freshened.
    ///
    /// Routes: `/` (directory of sources), `/robots.txt` (disallows `/private/`), `/<source>/`
    /// (home page advertising the feed), `/<source>/<feed file>` (`feed.xml`, `atom.xml`,
    /// `feed.json` or `index.rdf`), `/<source>/<yyyy>/<mm>/<dd>/<slug>.html` (article pages) and
    /// `/images/<name>.svg` (placeholders). Feeds, pages and images answer conditional requests
    /// (`If-None-Match` / `If-Modified-Since` → 304) and are gzip-compressed when asked.
    pub async fn start(corpus: Corpus, addr: SocketAddr) -> std::io::Result<OriginHandle> {
        Origin::start_multi(corpus, &[addr]).await
    }

    /// Serves `corpus` on several addresses (e.g. `127.0.0.1:0`, `127.0.0.2:0`, … — every
    /// 127.x.y.z address is loopback on Linux), so benchmark sources are spread over hosts.
    ///
    /// Every listener serves every path, but source *i* is advertised (in [`DemoSource`] URLs,
    /// feeds and canonical links) on address *i mod n*. Fails if `addrs` is empty or one address
    /// cannot be bound.
    pub async fn start_multi(
        corpus: Corpus,
        addrs: &[SocketAddr],
    ) -> std::io::Result<OriginHandle> {
        Origin::start_with(corpus, addrs, OriginOptions::default()).await
    }

    /// [`Origin::start_multi`] with explicit options.
    pub async fn start_with(
        mut corpus: Corpus,
        addrs: &[SocketAddr],
        options: OriginOptions,
    ) -> std::io::Result<OriginHandle> {
        if addrs.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "demo: origin needs at least one address to listen on",
            ));
        }
        if options.freshen {
            corpus.freshen(Utc::now());
        }
        let mut listeners = Vec::with_capacity(addrs.len());
        let mut base_urls = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
                std::io::Error::new(e.kind(), format!("demo: cannot listen on {addr}: {e}"))
            })?;
            base_urls.push(format!("http://{}", listener.local_addr()?));
            listeners.push(listener);
        }
        let bases: HashMap<String, String> = corpus
            .sources()
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), base_urls[i % base_urls.len()].clone()))
            .collect();
        let sources = corpus
            .sources()
            .iter()
            .map(|s| {
                let base = &bases[&s.slug];
                let site_url = format!("{base}{}", s.home_path());
                DemoSource {
                    slug: s.slug.clone(),
                    name: s.name.clone(),
                    feed_url: if s.discovery {
                        site_url.clone()
                    } else {
                        format!("{base}{}", s.feed_path())
                    },
                    language: s.language.clone(),
                    country: s.country.clone(),
                    site_url,
                    format: s.feed_format,
                    discovery: s.discovery,
                    owner: s.owner.clone(),
                    typology: s.typology.clone(),
                    media_type: s.media_type.clone(),
                }
            })
            .collect();
        let state = Arc::new(OriginState {
            corpus,
            bases,
            default_base: base_urls[0].clone(),
            requests: AtomicU64::new(0),
        });
        let router = router(state.clone());
        let (stop, _) = watch::channel(false);
        let mut tasks = Vec::with_capacity(listeners.len());
        for listener in listeners {
            let mut rx = stop.subscribe();
            let app = router.clone();
            tasks.push(tokio::spawn(async move {
                let served = axum::serve(listener, app).with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|stopped| *stopped).await;
                });
                if let Err(e) = served.await {
                    tracing::warn!(error = %e, "demo: origin listener failed");
                }
            }));
        }
        tracing::info!(
            base = %base_urls[0],
            listeners = base_urls.len(),
            sources = state.corpus.sources().len(),
            articles = state.corpus.articles().len(),
            "demo: origin started"
        );
        Ok(OriginHandle {
            base_url: base_urls[0].clone(),
            base_urls,
            sources,
            state,
            stop,
            tasks,
        })
    }
}

fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/robots.txt", get(robots))
        .route("/images/{file}", get(image_file))
        .route("/private/", get(private))
        .route("/private/{*rest}", get(private))
        .route("/{source}", get(source_root))
        .route("/{source}/", get(home))
        .route("/{source}/{file}", get(source_file))
        .route("/{source}/{y}/{m}/{d}/{file}", get(article))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), count))
        .layer(CompressionLayer::new())
        .with_state(state)
}

async fn count(State(state): State<Shared>, req: Request, next: Next) -> Response {
    state.requests.fetch_add(1, Ordering::Relaxed);
    next.run(req).await
}

/// HTTP date (IMF-fixdate) of a time.
fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A 200 with validators, or a 304 when the request's validators match.
fn cacheable(
    headers: &HeaderMap,
    content_type: &'static str,
    body: String,
    last_modified: Option<DateTime<Utc>>,
) -> Response {
    let etag = format!("\"{:016x}\"", image::fnv1a(body.as_bytes()));
    let last_modified = last_modified.map(|t| t.with_timezone(&Utc));
    let not_modified = match headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        Some(inm) => inm
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag),
        None => match (
            headers
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| DateTime::parse_from_rfc2822(v).ok()),
            last_modified,
        ) {
            (Some(since), Some(lm)) => lm.timestamp() <= since.timestamp(),
            _ => false,
        },
    };
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(lm) = last_modified
        && let Ok(v) = HeaderValue::from_str(&http_date(lm))
    {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=60"),
    );
    if not_modified {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    (StatusCode::OK, h, body).into_response()
}

const HTML: &str = "text/html; charset=utf-8";

async fn index(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let body = page::index_page(&state.corpus, state.as_ref());
    cacheable(&headers, HTML, body, state.corpus.newest())
}

async fn robots() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        ROBOTS_TXT,
    )
        .into_response()
}

async fn private() -> Response {
    (
        [(header::CONTENT_TYPE, HTML)],
        page::plain_page(
            "Staff area",
            "This area is disallowed by robots.txt; well-behaved crawlers never see it.",
        ),
    )
        .into_response()
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, HTML)],
        page::plain_page("Not found", "There is no page at this address."),
    )
        .into_response()
}

async fn image_file(
    State(state): State<Shared>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !image::is_image_name(&file) {
        return not_found().await;
    }
    // Images never change: their validators are stable for the life of the origin.
    let since = state.corpus.articles().last().map(|a| a.last_modified());
    cacheable(&headers, "image/svg+xml", image::placeholder(&file), since)
}

async fn source_root(State(state): State<Shared>, Path(source): Path<String>) -> Response {
    match state.corpus.source(&source) {
        Some(s) => Redirect::permanent(&s.home_path()).into_response(),
        None => not_found().await,
    }
}

async fn home(
    State(state): State<Shared>,
    Path(source): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(s) = state.corpus.source(&source) else {
        return not_found().await;
    };
    let newest = state
        .corpus
        .articles_of(&s.slug)
        .map(|a| a.last_modified())
        .max();
    cacheable(&headers, HTML, page::home_page(&state.corpus, s), newest)
}

async fn source_file(
    State(state): State<Shared>,
    Path((source, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(s) = state.corpus.source(&source) else {
        return not_found().await;
    };
    if file != s.feed_format.file_name() {
        return not_found().await;
    }
    let articles: Vec<&CorpusArticle> = state.corpus.articles_of(&s.slug).collect();
    let rendered = feed::render(s, &articles, state.base_of(&s.slug));
    cacheable(
        &headers,
        s.feed_format.content_type(),
        rendered.body,
        Some(rendered.last_modified),
    )
}

async fn article(
    State(state): State<Shared>,
    Path((source, y, m, d, file)): Path<(String, String, String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(s) = state.corpus.source(&source) else {
        return not_found().await;
    };
    let Some(slug) = file.strip_suffix(".html") else {
        return not_found().await;
    };
    let Some(a) = state.corpus.article(&s.slug, slug) else {
        return not_found().await;
    };
    let path = a.path();
    if path != format!("/{source}/{y}/{m}/{d}/{file}") {
        return Redirect::permanent(&path).into_response();
    }
    let body = page::article_page(&state.corpus, state.as_ref(), s, a);
    cacheable(&headers, HTML, body, Some(a.last_modified()))
}

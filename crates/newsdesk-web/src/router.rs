//! The router: every route, the middleware stack, and the server loop.

use std::future::Future;
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{MethodRouter, get, patch};
use axum::{Extension, Router};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::Editions;
use crate::limits::{MAX_BODY_BYTES, REQUEST_TIMEOUT};
use crate::server::{ConnectionLimits, serve_connections};
use crate::{
    AppState, api, asset, conditional, edition_pages, error, error_page, feeds, health, limits,
    microcache, pages, profile, search, security, stories,
};

/// The whole web application: pages, feeds, JSON API, health check and stylesheet.
///
/// Middleware, outermost first: request tracing (method, path, status, latency) → security
/// headers → micro-cache (identical `GET`s within `cache_ttl_ms` answered from memory) →
/// `ETag`/`304` → gzip → error formatting (JSON under `/api/`, HTML elsewhere) →
/// 30 s timeout (503) → 64 KiB body limit → at most 64 requests in flight.
pub fn app(state: AppState) -> Router {
    let cache = microcache::MicroCache::new(
        std::time::Duration::from_millis(state.config.cache_ttl_ms),
        state.config.cache_max_bytes,
    );
    Router::new()
        .route("/", get(pages::index))
        .route("/articles/{id}", get(pages::article))
        .route("/sources", get(pages::sources))
        .route("/sources/{id}", get(pages::source))
        .route("/search", get(search::search_page))
        .route("/stories", get(stories::stories_page))
        .route("/stories/{id}", get(stories::story_page))
        .route("/about/typology", get(profile::about_page))
        .route("/{lang}/about/typology", get(profile::edition_about_page))
        .route("/{lang}", get(edition_pages::edition_root))
        .route("/{lang}/", get(edition_pages::home))
        .route("/{lang}/articles/{id}", get(edition_pages::article))
        .route("/{lang}/sources/{id}", get(edition_pages::source))
        .route("/{lang}/sources", get(pages::edition_sources))
        .route("/{lang}/search", get(search::edition_search_page))
        .route("/{lang}/stories", get(stories::edition_stories_page))
        .route("/{lang}/stories/{id}", get(stories::edition_story_page))
        .route(
            "/{lang}/sources/{id}/feed.atom",
            get(edition_pages::source_atom),
        )
        .route(
            "/{lang}/sources/{id}/feed.rss",
            get(edition_pages::source_rss),
        )
        .route(
            "/{lang}/sources/{id}/feed.json",
            get(edition_pages::source_json),
        )
        .route(
            "/{lang}/stories/{id}/feed.atom",
            get(edition_pages::story_atom),
        )
        .route(
            "/{lang}/stories/{id}/feed.rss",
            get(edition_pages::story_rss),
        )
        .route(
            "/{lang}/stories/{id}/feed.json",
            get(edition_pages::story_json),
        )
        .route("/{lang}/feed.atom", get(edition_pages::atom))
        .route("/{lang}/feed.rss", get(edition_pages::rss))
        .route("/{lang}/feed.json", get(edition_pages::json))
        .route("/healthz", get(health::healthz))
        .route("/status", get(health::status))
        .route("/sources/{id}/feed.atom", get(feeds::source_atom))
        .route("/sources/{id}/feed.rss", get(feeds::source_rss))
        .route("/sources/{id}/feed.json", get(feeds::source_json))
        .route("/stories/{id}/feed.atom", get(feeds::story_atom))
        .route("/stories/{id}/feed.rss", get(feeds::story_rss))
        .route("/stories/{id}/feed.json", get(feeds::story_json))
        .route("/feed.atom", get(feeds::atom))
        .route("/feed.rss", get(feeds::rss))
        .route("/feed.json", get(feeds::json))
        .route("/static/{file}", get(asset::stylesheet))
        .merge(api_router())
        .fallback(error::not_found_route)
        .layer(from_fn_with_state(
            limits::permits(),
            limits::limit_concurrency,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(from_fn_with_state(state.clone(), error_page::format_errors))
        .layer(CompressionLayer::new())
        .layer(from_fn(conditional::etag))
        .layer(from_fn_with_state(cache, microcache::cache))
        .layer(from_fn(security::security_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                ),
        )
        .with_state(state)
}

/// The JSON API: every operation of [`api_operations`], mounted on its path.
fn api_router() -> Router<AppState> {
    api_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, _, handler)| {
            router.route(path, handler)
        })
}

/// Every JSON API operation: path, method and handler (`GET` also answers `HEAD`). The router
/// mounts exactly these, and the tests check that `openapi.json` documents exactly these.
fn api_routes() -> Vec<(&'static str, Method, MethodRouter<AppState>)> {
    vec![
        ("/api/v1/articles", Method::GET, get(api::list_articles)),
        ("/api/v1/articles/{id}", Method::GET, get(api::get_article)),
        ("/api/v1/sources", Method::GET, get(api::list_sources)),
        ("/api/v1/sources/{id}", Method::GET, get(api::get_source)),
        (
            "/api/v1/sources/{id}/profile",
            Method::PATCH,
            patch(api::patch_profile),
        ),
        ("/api/v1/search", Method::GET, get(search::api_search)),
        ("/api/v1/stories", Method::GET, get(stories::api_stories)),
        ("/api/v1/stories/{id}", Method::GET, get(stories::api_story)),
        ("/api/v1/openapi.json", Method::GET, get(api::openapi)),
    ]
}

/// The JSON API's operations as `(path template, method)`, e.g. `("/api/v1/articles/{id}",
/// GET)`: what the router serves under `/api/`, for checking the OpenAPI document against it.
pub fn api_operations() -> Vec<(&'static str, Method)> {
    api_routes()
        .into_iter()
        .map(|(path, method, _)| (path, method))
        .collect()
}

/// [`app`] with editions: `/{lang}/` pages for each of them, and `/` redirecting by
/// `Accept-Language` (when the list is not empty).
pub fn app_with_editions(state: AppState, editions: Editions) -> Router {
    app(state).layer(Extension(Arc::new(editions)))
}

/// Serves [`app_with_editions`] on `listener` until `shutdown` resolves.
pub async fn serve_with_editions(
    listener: TcpListener,
    state: AppState,
    editions: Editions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut state = state;
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, editions = editions.list.len(), "newsdesk-web listening");
        state = with_bind_address(state, addr);
    }
    let limits = ConnectionLimits::from_config(&state.config);
    serve_connections(
        listener,
        app_with_editions(state, editions),
        limits,
        shutdown,
    )
    .await
}

/// Serves [`app`] on `listener` until `shutdown` resolves, then finishes the requests in
/// flight and returns.
///
/// Connections are bounded by the [`crate::WebConfig`]: at most `max_connections` open (and
/// `max_connections_per_client` from one address; more are answered `503` and closed at once),
/// `header_read_timeout_ms` to send a request's headers, `idle_timeout_ms` without a request
/// before the server closes the connection.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut state = state;
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "newsdesk-web listening");
        state = with_bind_address(state, addr);
    }
    let limits = ConnectionLimits::from_config(&state.config);
    serve_connections(listener, app(state), limits, shutdown).await
}

/// `state` with the address the server listens on (the last resort of feed links), unless the
/// configuration already names one.
fn with_bind_address(state: AppState, addr: std::net::SocketAddr) -> AppState {
    if state.config.bind_address.is_some() {
        return state;
    }
    let mut config = (*state.config).clone();
    config.bind_address = Some(addr.to_string());
    let mut state = state;
    state.config = Arc::new(config);
    state
}

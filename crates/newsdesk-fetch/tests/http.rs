//! Conditional GET, decoding, body limits, status codes, timeouts, redirects, concurrency and the
//! User-Agent, against real servers on 127.0.0.1.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use common::{serve, test_config};
use newsdesk_fetch::{FetchConfig, FetchError, Fetcher, Validators};

fn fetcher(cfg: FetchConfig) -> Fetcher {
    Fetcher::new(cfg).unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

const ETAG: &str = "\"v1-abc\"";
const LAST_MODIFIED: &str = "Wed, 21 Oct 2026 07:28:00 GMT";

async fn conditional(headers: HeaderMap) -> Response {
    let inm = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    let ims = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok());
    let validators = [(header::ETAG, ETAG), (header::LAST_MODIFIED, LAST_MODIFIED)];
    if inm == Some(ETAG) || (inm.is_none() && ims == Some(LAST_MODIFIED)) {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    (
        validators,
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        "<rss/>",
    )
        .into_response()
}

#[tokio::test]
async fn conditional_get_gives_not_modified() {
    let addr = serve(Router::new().route("/feed", get(conditional))).await;
    let f = fetcher(test_config());
    let url = format!("http://{addr}/feed");

    let first = f.get(&url, &Validators::none()).await.unwrap();
    assert_eq!(first.status, 200);
    assert!(!first.not_modified);
    assert_eq!(&first.body[..], b"<rss/>");
    assert_eq!(first.etag.as_deref(), Some(ETAG));
    assert_eq!(first.last_modified.as_deref(), Some(LAST_MODIFIED));
    assert_eq!(first.charset().as_deref(), Some("utf-8"));
    assert!(!first.redirected);
    assert_eq!(first.final_url, url);

    // Both validators, as remembered from the first answer.
    let again = f.get(&url, &first.validators()).await.unwrap();
    assert_eq!(again.status, 304);
    assert!(again.not_modified);
    assert!(again.body.is_empty());
    assert_eq!(again.etag.as_deref(), Some(ETAG));

    // Last-Modified alone.
    let by_date = Validators {
        etag: None,
        last_modified: Some(LAST_MODIFIED.into()),
    };
    assert!(f.get(&url, &by_date).await.unwrap().not_modified);

    // A stale ETag gets the full body.
    let stale = Validators {
        etag: Some("\"old\"".into()),
        last_modified: None,
    };
    let full = f.get(&url, &stale).await.unwrap();
    assert!(!full.not_modified);
    assert_eq!(&full.body[..], b"<rss/>");
}

#[tokio::test]
async fn gzip_bodies_are_decoded() {
    let text = "<p>Grüße aus Köln</p>".repeat(200);
    let compressed = gzip(text.as_bytes());
    let app = Router::new().route(
        "/page",
        get(move |headers: HeaderMap| {
            let compressed = compressed.clone();
            async move {
                let accepts = headers
                    .get(header::ACCEPT_ENCODING)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                assert!(accepts.contains("gzip"), "Accept-Encoding was {accepts:?}");
                (
                    [
                        (header::CONTENT_ENCODING, "gzip"),
                        (header::CONTENT_TYPE, "text/html"),
                    ],
                    compressed,
                )
            }
        }),
    );
    let addr = serve(app).await;
    let r = fetcher(test_config())
        .get(&format!("http://{addr}/page"), &Validators::none())
        .await
        .unwrap();
    assert_eq!(r.body.len(), text.len());
    assert_eq!(&r.body[..], text.as_bytes());
}

#[tokio::test]
async fn brotli_bodies_are_decoded() {
    let text = "Nachrichten aus aller Welt. ".repeat(500);
    let mut compressed = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut compressed, 4096, 9, 22);
        w.write_all(text.as_bytes()).unwrap();
    }
    assert!(compressed.len() < text.len() / 10);
    let app = Router::new().route(
        "/page",
        get(move || {
            let compressed = compressed.clone();
            async move { ([(header::CONTENT_ENCODING, "br")], compressed) }
        }),
    );
    let addr = serve(app).await;
    let r = fetcher(test_config())
        .get(&format!("http://{addr}/page"), &Validators::none())
        .await
        .unwrap();
    assert_eq!(&r.body[..], text.as_bytes());
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_transport_error() {
    // Exercises the TLS stack (rustls with the ring provider) without leaving loopback: the
    // handshake fails because the server speaks plain HTTP.
    let addr = serve(Router::new().route("/", get(|| async { "plain" }))).await;
    let url = format!("https://{addr}/");
    match fetcher(test_config()).get(&url, &Validators::none()).await {
        Err(FetchError::Transport { url: u, message }) => {
            assert_eq!(u, url);
            assert!(!message.is_empty());
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}

fn limited(limit: u64) -> FetchConfig {
    FetchConfig {
        max_body_bytes: limit,
        ..test_config()
    }
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let bomb = gzip(&vec![0u8; 8 * 1024 * 1024]);
    assert!(
        bomb.len() < 64 * 1024,
        "the bomb should be small on the wire"
    );
    let app = Router::new()
        // Content-Length announced.
        .route("/sized", get(|| async { vec![b'x'; 2 * 1024 * 1024] }))
        // Exactly at the limit.
        .route("/exact", get(|| async { vec![b'x'; 1024 * 1024] }))
        // Chunked: no Content-Length.
        .route(
            "/chunked",
            get(|| async {
                let chunks = (0..40).map(|_| Ok::<_, std::io::Error>(vec![b'y'; 64 * 1024]));
                Body::from_stream(futures_util::stream::iter(chunks))
            }),
        )
        // 8 MiB of zeros, gzip-compressed to a few KiB.
        .route(
            "/bomb",
            get(move || {
                let bomb = bomb.clone();
                async move { ([(header::CONTENT_ENCODING, "gzip")], bomb) }
            }),
        );
    let addr = serve(app).await;
    let limit = 1024 * 1024;
    let f = fetcher(limited(limit));
    for path in ["sized", "chunked", "bomb"] {
        let url = format!("http://{addr}/{path}");
        match f.get(&url, &Validators::none()).await {
            Err(FetchError::TooLarge { url: u, limit: l }) => {
                assert_eq!(u, url);
                assert_eq!(l, limit);
            }
            other => panic!("{path}: expected TooLarge, got {other:?}"),
        }
    }
    let exact = f
        .get(&format!("http://{addr}/exact"), &Validators::none())
        .await
        .unwrap();
    assert_eq!(exact.body.len() as u64, limit);
    let msg = f
        .get(&format!("http://{addr}/bomb"), &Validators::none())
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        msg,
        format!("fetch: body larger than 1048576 bytes for http://{addr}/bomb")
    );
}

#[tokio::test]
async fn error_statuses_are_errors() {
    let app = Router::new().route(
        "/s/{code}",
        get(|Path(code): Path<u16>| async move { StatusCode::from_u16(code).unwrap() }),
    );
    let addr = serve(app).await;
    let f = fetcher(test_config());
    for code in [404u16, 410, 500, 503] {
        let url = format!("http://{addr}/s/{code}");
        match f.get(&url, &Validators::none()).await {
            Err(e @ FetchError::Status { .. }) => {
                assert_eq!(e.http_status(), Some(code));
                assert_eq!(e.url(), Some(url.as_str()));
                assert_eq!(e.to_string(), format!("fetch: HTTP {code} for {url}"));
            }
            other => panic!("{code}: expected Status, got {other:?}"),
        }
    }
    // 204 is a success with an empty body.
    let ok = f
        .get(&format!("http://{addr}/s/204"), &Validators::none())
        .await
        .unwrap();
    assert_eq!(ok.status, 204);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let (addr, accepted) = common::counting_listener("127.0.0.1").await.unwrap();
    let f = fetcher(FetchConfig {
        timeout: Duration::from_millis(300),
        ..test_config()
    });
    let url = format!("http://{addr}/slow");
    let started = Instant::now();
    let err = f.get(&url, &Validators::none()).await.unwrap_err();
    assert_eq!(err, FetchError::Timeout { url: url.clone() });
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "the request did connect"
    );
    assert_eq!(err.to_string(), format!("fetch: timed out fetching {url}"));
    assert!(err.is_transient());
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    // Bind then drop to get a port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    match fetcher(test_config()).get(&url, &Validators::none()).await {
        Err(FetchError::Transport { url: u, message }) => {
            assert_eq!(u, url);
            assert!(!message.is_empty());
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}

fn redirect_app() -> Router {
    Router::new()
        .route(
            "/r/{n}",
            get(|Path(n): Path<u32>| async move {
                if n == 0 {
                    "done".into_response()
                } else {
                    Redirect::temporary(&format!("/r/{}", n - 1)).into_response()
                }
            }),
        )
        .route("/loop/a", get(|| async { Redirect::permanent("/loop/b") }))
        .route("/loop/b", get(|| async { Redirect::to("a") }))
        .route(
            "/to-ftp",
            get(|| async { Redirect::to("ftp://example.org/x") }),
        )
        .route(
            "/no-location",
            get(|| async { StatusCode::FOUND.into_response() }),
        )
}

#[tokio::test]
async fn redirects_are_followed_up_to_the_limit() {
    let addr = serve(redirect_app()).await;
    let f = fetcher(test_config());

    let five = f
        .get(&format!("http://{addr}/r/5"), &Validators::none())
        .await
        .unwrap();
    assert_eq!(&five.body[..], b"done");
    assert!(five.redirected);
    assert_eq!(five.final_url, format!("http://{addr}/r/0"));

    let six_url = format!("http://{addr}/r/6");
    assert_eq!(
        f.get(&six_url, &Validators::none()).await.unwrap_err(),
        FetchError::TooManyRedirects { url: six_url }
    );

    let loop_url = format!("http://{addr}/loop/a");
    assert_eq!(
        f.get(&loop_url, &Validators::none()).await.unwrap_err(),
        FetchError::TooManyRedirects { url: loop_url }
    );

    match f
        .get(&format!("http://{addr}/to-ftp"), &Validators::none())
        .await
    {
        Err(FetchError::BadUrl { url, reason }) => {
            assert_eq!(url, "ftp://example.org/x");
            assert!(reason.contains("unsupported scheme"), "{reason}");
        }
        other => panic!("expected BadUrl, got {other:?}"),
    }
    let no_loc = f
        .get(&format!("http://{addr}/no-location"), &Validators::none())
        .await
        .unwrap_err();
    assert_eq!(no_loc.http_status(), Some(302));

    // max_redirects = 0 follows none.
    let none = fetcher(FetchConfig {
        max_redirects: 0,
        ..test_config()
    });
    assert!(matches!(
        none.get(&format!("http://{addr}/r/1"), &Validators::none())
            .await,
        Err(FetchError::TooManyRedirects { .. })
    ));
}

#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    max: AtomicUsize,
    total: AtomicUsize,
}

async fn slow(State(s): State<Arc<InFlight>>) -> &'static str {
    let now = s.now.fetch_add(1, Ordering::SeqCst) + 1;
    s.max.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.now.fetch_sub(1, Ordering::SeqCst);
    s.total.fetch_add(1, Ordering::SeqCst);
    "ok"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_two_requests_per_host_in_flight() {
    let state = Arc::new(InFlight::default());
    let app = Router::new()
        .route("/slow/{n}", get(slow))
        .with_state(Arc::clone(&state));
    let addr = serve(app).await;
    let f = fetcher(test_config());
    assert_eq!(f.config().max_connections_per_host, 2);
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let f = f.clone();
            let url = format!("http://{addr}/slow/{i}");
            tokio::spawn(async move { f.get(&url, &Validators::none()).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(&t.await.unwrap().unwrap().body[..], b"ok");
    }
    assert_eq!(state.total.load(Ordering::SeqCst), 10);
    assert_eq!(
        state.max.load(Ordering::SeqCst),
        2,
        "requests in flight to one host must reach but never exceed 2"
    );
}

#[tokio::test]
async fn user_agent_names_newsdesk_and_its_url() {
    let app = Router::new().route(
        "/ua",
        get(|headers: HeaderMap| async move {
            headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        }),
    );
    let addr = serve(app).await;
    let r = fetcher(test_config())
        .get(&format!("http://{addr}/ua"), &Validators::none())
        .await
        .unwrap();
    let ua = String::from_utf8(r.body.to_vec()).unwrap();
    assert_eq!(ua, newsdesk_core::USER_AGENT);
    assert!(ua.starts_with("newsdesk/"), "{ua}");
    assert!(ua.contains("https://github.com/newsdesk/newsdesk"), "{ua}");
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    let f = fetcher(FetchConfig::default());
    for url in [
        "file:///etc/passwd",
        "ftp://example.org/feed.xml",
        "javascript:alert(1)",
        "data:text/plain,hi",
        "not a url",
    ] {
        match f.get(url, &Validators::none()).await {
            Err(FetchError::BadUrl { url: u, .. }) => assert_eq!(u, url),
            other => panic!("{url}: expected BadUrl, got {other:?}"),
        }
        assert!(f.check_url(url).is_err());
    }
    assert!(f.check_url("https://example.org/feed.xml").is_ok());
}

#[test]
fn config_reads_from_toml_with_defaults() {
    let cfg: FetchConfig = toml::from_str(
        r#"
        timeout = 12
        connect_timeout = 0.5
        max_body_bytes = 2048
        allowed_private = ["192.168.1.10"]
        "#,
    )
    .unwrap();
    assert_eq!(cfg.timeout, Duration::from_secs(12));
    assert_eq!(cfg.connect_timeout, Duration::from_millis(500));
    assert_eq!(cfg.max_body_bytes, 2048);
    assert_eq!(
        cfg.allowed_private,
        vec!["192.168.1.10".parse::<std::net::IpAddr>().unwrap()]
    );
    assert_eq!(cfg.max_redirects, 5);
    assert_eq!(cfg.max_connections_per_host, 1);
    assert_eq!(cfg.per_host_delay, newsdesk_fetch::DEFAULT_PER_HOST_DELAY);
    assert!(cfg.respect_robots);
    assert!(!cfg.allow_private_addresses);
    assert_eq!(cfg.user_agent, newsdesk_core::USER_AGENT);

    let empty: FetchConfig = toml::from_str("").unwrap();
    assert_eq!(empty, FetchConfig::default());
    assert_eq!(empty.timeout, Duration::from_secs(30));
    assert_eq!(empty.connect_timeout, Duration::from_secs(10));
    assert_eq!(empty.max_body_bytes, 10 * 1024 * 1024);

    let typo = toml::from_str::<FetchConfig>("timeout_secs = 3").unwrap_err();
    assert!(typo.to_string().contains("timeout_secs"), "{typo}");
    assert!(toml::from_str::<FetchConfig>("timeout = -1.0").is_err());
}

#[test]
fn invalid_settings_are_refused() {
    for cfg in [
        FetchConfig {
            user_agent: "bad\nagent".into(),
            ..FetchConfig::default()
        },
        FetchConfig {
            timeout: Duration::ZERO,
            ..FetchConfig::default()
        },
        FetchConfig {
            max_connections_per_host: 0,
            ..FetchConfig::default()
        },
    ] {
        assert!(matches!(Fetcher::new(cfg), Err(FetchError::Config { .. })));
    }
}

async fn scheduling_headers(Path(n): Path<String>) -> Response {
    let b = axum::http::Response::builder();
    let b = match n.as_str() {
        "busy" => b.status(429).header("retry-after", "120"),
        "unavailable" => b
            .status(503)
            .header("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"),
        "perm1" => b.status(301).header("location", "/h/perm2"),
        "perm2" => b.status(308).header("location", "/h/fresh"),
        "temp" => b.status(302).header("location", "/h/perm1"),
        _ => b
            .status(200)
            .header("cache-control", "max-age=600")
            .header("expires", "Wed, 21 Oct 2026 08:00:00 GMT")
            .header("date", "Wed, 21 Oct 2026 07:00:00 GMT"),
    };
    b.body(Body::from("x")).unwrap()
}

#[tokio::test]
async fn retry_after_cache_headers_and_permanent_redirects_are_exposed() {
    let app = Router::new().route("/h/{n}", get(scheduling_headers));
    let addr = serve(app).await;
    let f = fetcher(test_config());
    let url = |p: &str| format!("http://{addr}/h/{p}");
    let e = f.get(&url("busy"), &Validators::none()).await.unwrap_err();
    assert_eq!(e.http_status(), Some(429));
    assert_eq!(e.retry_after(), Some("120"));
    assert!(e.is_transient());
    let e = f
        .get(&url("unavailable"), &Validators::none())
        .await
        .unwrap_err();
    assert_eq!(e.retry_after(), Some("Wed, 21 Oct 2026 07:28:00 GMT"));

    let r = f.get(&url("fresh"), &Validators::none()).await.unwrap();
    assert_eq!(r.cache_control.as_deref(), Some("max-age=600"));
    assert_eq!(r.expires.as_deref(), Some("Wed, 21 Oct 2026 08:00:00 GMT"));
    assert_eq!(r.date.as_deref(), Some("Wed, 21 Oct 2026 07:00:00 GMT"));
    assert_eq!(r.permanent_redirect, None);
    // 301 then 308: the chain's end is the new permanent URL.
    let r = f.get(&url("perm1"), &Validators::none()).await.unwrap();
    assert!(r.redirected);
    assert_eq!(r.permanent_redirect.as_deref(), Some(url("fresh").as_str()));
    // A temporary hop anywhere in the chain means the URL has not moved for good.
    let r = f.get(&url("temp"), &Validators::none()).await.unwrap();
    assert!(r.redirected);
    assert_eq!(r.permanent_redirect, None);
}

#[tokio::test]
async fn resolver_overrides_reach_a_local_server_by_name() {
    let app = Router::new().route("/h/{n}", get(scheduling_headers));
    let addr = serve(app).await;
    let mut cfg = test_config();
    cfg.resolve_overrides
        .insert("*.bench.test".into(), addr.ip());
    let f = fetcher(cfg);
    let r = f
        .get(
            &format!("http://s42.bench.test:{}/h/fresh", addr.port()),
            &Validators::none(),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    // Without the override the name does not resolve.
    let plain = fetcher(test_config());
    assert!(
        plain
            .get(
                &format!("http://s42.bench.test:{}/h/fresh", addr.port()),
                &Validators::none()
            )
            .await
            .is_err()
    );
}

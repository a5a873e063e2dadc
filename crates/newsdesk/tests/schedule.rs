//! The scheduler's rules over a real local origin, through the real binary: next-fetch times
//! (adaptive, Retry-After, backoff, cache hints), pauses (410, repeated failures), permanent
//! redirects, `fetch --due`, the page queue's de-duplication, `sources check` and `discover`.
//!
//! Jitter is off in these sites (`jitter_percent = 0`) so next-fetch times are exact up to the
//! few seconds a run takes.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, Response, StatusCode, header};
use axum::routing::get;
use chrono::{DateTime, Utc};
use support::{Backend, Site};

#[derive(Default)]
struct Counters {
    page_requests: AtomicUsize,
    static_requests: AtomicUsize,
}

struct Origin {
    addr: SocketAddr,
    counters: Arc<Counters>,
    _rt: tokio::runtime::Runtime,
}

impl Origin {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn rss(base: &str, items: &[(String, DateTime<Utc>)], extra_channel: &str) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Schedule test</title><link>{base}/</link><description>t</description>{extra_channel}\n"
    );
    for (link, at) in items {
        s.push_str(&format!(
            "<item><title>Item {link}</title><link>{link}</link><guid>{link}</guid>\
             <pubDate>{}</pubDate><description>Summary of {link}.</description></item>\n",
            at.to_rfc2822()
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

fn reply(status: u16, headers: &[(&str, &str)], body: String) -> Response<Body> {
    let mut b = Response::builder().status(StatusCode::from_u16(status).unwrap_or_default());
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body)).unwrap_or_default()
}

/// A feed whose entries are one minute apart, the newest just now (a busy feed).
fn busy_items(base: &str, tag: &str) -> Vec<(String, DateTime<Utc>)> {
    let now = Utc::now();
    (0..20)
        .map(|i| {
            (
                format!("{base}/{tag}/{}", now.timestamp() / 60 - i),
                now - chrono::Duration::minutes(i),
            )
        })
        .collect()
}

async fn handler(
    State(c): State<Arc<Counters>>,
    UrlPath(name): UrlPath<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let base = format!("http://{host}");
    let xml = [("content-type", "application/rss+xml; charset=utf-8")];
    match name.as_str() {
        "r429" => reply(429, &[("retry-after", "3600")], "slow down".into()),
        "r503" => reply(503, &[("retry-after", "120")], "maintenance".into()),
        "gone" => reply(410, &[], "gone".into()),
        "old" => reply(301, &[("location", "/f/new")], String::new()),
        "new" => reply(200, &xml, rss(&base, &busy_items(&base, "new"), "")),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(4)).await;
            reply(200, &xml, rss(&base, &busy_items(&base, "slow"), ""))
        }
        "busy" => reply(200, &xml, rss(&base, &busy_items(&base, "busy"), "")),
        "cached" => reply(
            200,
            &[xml[0], ("cache-control", "public, max-age=1800")],
            rss(&base, &busy_items(&base, "cached"), "<ttl>20</ttl>"),
        ),
        "static" => {
            c.static_requests.fetch_add(1, Ordering::SeqCst);
            let etag = "\"static-v1\"";
            if headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                == Some(etag)
            {
                return reply(304, &[("etag", etag)], String::new());
            }
            let old = DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z")
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default();
            let items: Vec<_> = (0..5)
                .map(|i| {
                    (
                        format!("{base}/static/{i}"),
                        old - chrono::Duration::days(i),
                    )
                })
                .collect();
            reply(200, &[xml[0], ("etag", etag)], rss(&base, &items, ""))
        }
        // Two feeds whose entries link to the same article page.
        "dup1" | "dup2" => {
            let items = vec![(format!("{base}/page/shared"), Utc::now())];
            reply(200, &xml, rss(&base, &items, ""))
        }
        _ => reply(404, &[], "no such feed".into()),
    }
}

async fn page(State(c): State<Arc<Counters>>) -> Response<Body> {
    c.page_requests.fetch_add(1, Ordering::SeqCst);
    reply(
        200,
        &[("content-type", "text/html; charset=utf-8")],
        support::article_page(
            "Shared article",
            "A. Writer",
            &[
                "The harbour authority said on Tuesday that fourteen vessels were waiting outside the port while negotiations continued late into the night.",
                "Union representatives said the talks had made progress on wages, but that the question of night shifts remained open until Friday.",
            ],
        ),
    )
}

async fn home() -> Response<Body> {
    reply(
        200,
        &[("content-type", "text/html; charset=utf-8")],
        "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" title=\"Busy\" \
         href=\"/f/busy\"></head><body>home</body></html>"
            .into(),
    )
}

async fn rss_path() -> Response<Body> {
    let items = vec![("http://x.invalid/1".to_string(), Utc::now())];
    reply(
        200,
        &[("content-type", "application/rss+xml")],
        rss("http://x.invalid", &items, ""),
    )
}

fn start() -> Origin {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let counters = Arc::new(Counters::default());
    let app = Router::new()
        .route("/", get(home))
        .route("/rss", get(rss_path))
        .route("/f/{name}", get(handler))
        .route("/page/shared", get(page))
        .with_state(Arc::clone(&counters));
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Origin {
        addr,
        counters,
        _rt: rt,
    }
}

/// A site with exact (unjittered) scheduling and no article pages unless asked.
fn site(backend: Backend, pages: bool) -> Site {
    Site::on(
        backend,
        &format!(
            "fetch_article_pages = {pages}\nper_host_delay_ms = 0\n\n[schedule]\njitter_percent = 0\n\
         max_failures = 3\n"
        ),
    )
}

fn add(site: &Site, url: &str) -> i64 {
    let out = site.ok(&["sources", "add", "--no-check", url]);
    out.split_whitespace()
        .nth(2)
        .and_then(|s| s.trim_end_matches(':').parse().ok())
        .expect("added source id")
}

fn fetch(site: &Site, id: i64) -> String {
    let out = site.run(&["fetch", "--source", &id.to_string()]);
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn text(site: &Site, sql: &str) -> Option<String> {
    site.query_text(sql)
}

/// Seconds from now to the source's next fetch.
fn next_in(site: &Site, id: i64) -> i64 {
    let t = text(
        site,
        &format!("SELECT next_fetch_at FROM fetch_state WHERE source_id = {id}"),
    )
    .expect("next_fetch_at is set");
    let at = DateTime::parse_from_rfc3339(&t).expect("rfc3339");
    (at.with_timezone(&Utc) - Utc::now()).num_seconds()
}

fn assert_about(actual: i64, expected: i64, what: &str) {
    assert!(
        (expected - 30..=expected + 2).contains(&actual),
        "{what}: next fetch in {actual} s, expected about {expected} s"
    );
}

fn failures(site: &Site, id: i64) -> i64 {
    site.query_i64(&format!(
        "SELECT consecutive_failures FROM fetch_state WHERE source_id = {id}"
    ))
}

fn busy_feed_is_fetched_often_and_unchanged_feed_rarely(backend: Backend) {
    let o = start();
    let s = site(backend, false);
    let busy = add(&s, &o.url("/f/busy"));
    let stat = add(&s, &o.url("/f/static"));
    fetch(&s, busy);
    fetch(&s, stat);
    // Entries a minute apart: the minimum interval, 5 minutes.
    assert_about(next_in(&s, busy), 300, "busy feed");
    // Newest entry years ago: the maximum interval, 24 hours.
    assert_about(next_in(&s, stat), 86_400, "unchanged feed");
    assert_eq!(
        s.query_i64(&format!(
            "SELECT COUNT(*) FROM articles WHERE source_id = {busy}"
        )),
        20
    );
    // The unchanged feed answers 304 next time and stays at the maximum.
    fetch(&s, stat);
    assert_eq!(o.counters.static_requests.load(Ordering::SeqCst), 2);
    assert_eq!(
        text(
            &s,
            &format!("SELECT last_status FROM fetch_state WHERE source_id = {stat}")
        )
        .as_deref(),
        Some("not_modified")
    );
    assert_about(next_in(&s, stat), 86_400, "unchanged feed after 304");
}

fn retry_after_on_429_and_503_and_backoff(backend: Backend) {
    let o = start();
    let s = site(backend, false);
    let r429 = add(&s, &o.url("/f/r429"));
    let r503 = add(&s, &o.url("/f/r503"));
    let out = fetch(&s, r429);
    assert!(out.contains("HTTP 429"), "{out}");
    // Retry-After: 3600 is longer than the first backoff (5 min): it wins.
    assert_about(next_in(&s, r429), 3600, "429 with Retry-After: 3600");
    assert_eq!(failures(&s, r429), 1);
    assert_eq!(
        s.query_i64(&format!(
            "SELECT last_http_status FROM fetch_state WHERE source_id = {r429}"
        )),
        429
    );
    // Retry-After: 120 is shorter than the backoff: the backoff (5, then 10 min) wins.
    fetch(&s, r503);
    assert_about(next_in(&s, r503), 300, "first 503");
    fetch(&s, r503);
    assert_about(next_in(&s, r503), 600, "second 503");
    assert_eq!(failures(&s, r503), 2);
    // The third failure in a row pauses it (max_failures = 3 in this site).
    let out = fetch(&s, r503);
    assert!(out.contains("paused"), "{out}");
    let reason = text(
        &s,
        &format!("SELECT paused_reason FROM fetch_state WHERE source_id = {r503}"),
    )
    .expect("paused");
    assert!(
        reason.contains("3 consecutive failures") && reason.contains("503"),
        "{reason}"
    );
    let list = s.ok(&["sources", "list"]);
    assert!(list.contains("paused"), "{list}");
    // A paused source is never due, and a plain fetch skips it.
    let out = s.run(&["fetch", "--due"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("skipping 1 paused source"), "{err}");
    // Resuming makes it due again.
    s.ok(&["sources", "resume", &r503.to_string()]);
    assert_eq!(failures(&s, r503), 0);
    assert!(
        text(
            &s,
            &format!("SELECT paused_reason FROM fetch_state WHERE source_id = {r503}")
        )
        .is_none()
    );
}

fn gone_pauses_at_once_and_shows_the_reason(backend: Backend) {
    let o = start();
    let s = site(backend, false);
    let gone = add(&s, &o.url("/f/gone"));
    fetch(&s, gone);
    let reason = text(
        &s,
        &format!("SELECT paused_reason FROM fetch_state WHERE source_id = {gone}"),
    )
    .expect("paused after one 410");
    assert!(reason.contains("410"), "{reason}");
    assert_eq!(failures(&s, gone), 1);
    let list = s.ok(&["sources", "list"]);
    assert!(
        list.contains("paused") && list.contains("410 Gone"),
        "{list}"
    );
    // The web layer shows FetchState: the reason is in last_error.
    let json = s.sources();
    let err = json[0]["fetch"]["last_error"].as_str().unwrap_or_default();
    assert!(err.starts_with("paused:") && err.contains("410"), "{err}");
}

fn permanent_redirect_updates_the_feed_url_after_two_fetches(backend: Backend) {
    let o = start();
    let s = site(backend, false);
    let id = add(&s, &o.url("/f/old"));
    let url_of = |s: &Site| text(s, &format!("SELECT feed_url FROM sources WHERE id = {id}"));
    let out = fetch(&s, id);
    assert!(out.contains("0 failed"), "{out}");
    assert_eq!(url_of(&s), Some(o.url("/f/old")), "seen once: kept");
    assert_eq!(
        s.query_i64(&format!(
            "SELECT redirect_seen FROM fetch_state WHERE source_id = {id}"
        )),
        1
    );
    fetch(&s, id);
    assert_eq!(url_of(&s), Some(o.url("/f/new")), "seen twice: adopted");
    assert_eq!(
        s.query_i64(&format!(
            "SELECT redirect_seen FROM fetch_state WHERE source_id = {id}"
        )),
        0
    );
    // Entries were stored once, not again after the move.
    fetch(&s, id);
    let n = s.query_i64("SELECT COUNT(DISTINCT url) FROM articles");
    let total = s.query_i64("SELECT COUNT(*) FROM articles");
    assert_eq!(n, total);
}

fn slow_server_times_out_and_backs_off(backend: Backend) {
    let o = start();
    let s = site(backend, false);
    let slow = add(&s, &o.url("/f/slow"));
    let out = fetch(&s, slow);
    assert!(out.contains("timed out"), "{out}");
    assert_eq!(failures(&s, slow), 1);
    assert_about(next_in(&s, slow), 300, "first timeout");
    assert_eq!(
        text(
            &s,
            &format!("SELECT last_status FROM fetch_state WHERE source_id = {slow}")
        )
        .as_deref(),
        Some("failed")
    );
}

fn cache_hints_delay_the_next_fetch_and_due_pass_fetches_only_due_sources(backend: Backend) {
    let o = start();
    let s = site(backend, false);
    let cached = add(&s, &o.url("/f/cached"));
    let busy = add(&s, &o.url("/f/busy"));
    let out = s.ok(&["fetch", "--due"]);
    assert!(out.contains("2 sources"), "{out}");
    // max-age=1800 beats both the 5-minute rate and the 20-minute <ttl>.
    assert_about(next_in(&s, cached), 1800, "Cache-Control max-age");
    assert_about(next_in(&s, busy), 300, "busy");
    // Nothing is due right after.
    let out = s.ok(&["fetch", "--due"]);
    assert!(out.contains("no source is due"), "{out}");
}

fn a_page_is_fetched_once_for_two_sources(backend: Backend) {
    let o = start();
    let s = site(backend, true);
    let a = add(&s, &o.url("/f/dup1"));
    let b = add(&s, &o.url("/f/dup2"));
    fetch(&s, a);
    fetch(&s, b);
    assert_eq!(o.counters.page_requests.load(Ordering::SeqCst), 1);
    assert_eq!(s.query_i64("SELECT COUNT(*) FROM articles"), 1);
    // The second source's entry is recorded, so it is not looked at again.
    assert_eq!(
        s.query_i64(&format!(
            "SELECT COUNT(*) FROM feed_entries WHERE source_id = {b}"
        )),
        1
    );
}

fn check_reports_without_storing_and_discover_finds_feeds(backend: Backend) {
    let o = start();
    let s = site(backend, false);
    let out = s.ok(&["sources", "check", &o.url("/f/cached")]);
    for want in [
        "http status: 200",
        "format: RSS 2.0",
        "encoding: utf-8 (XML declaration)",
        "entries: 20 (20 dated",
        "fresh for: 1800 s",
        "rss ttl: 20 min",
        "next fetch: in 30 min",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    let out = s.run(&["sources", "check", &o.url("/f/gone")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("HTTP 410"));
    assert_eq!(s.query_i64("SELECT COUNT(*) FROM sources"), 0);

    let out = s.ok(&["sources", "discover", &o.url("/"), "--add"]);
    assert!(out.contains(&o.url("/f/busy")), "{out}");
    assert!(out.contains("<link rel=\"alternate\">"), "{out}");
    assert!(
        out.contains(&o.url("/rss")) && out.contains("common path"),
        "{out}"
    );
    assert_eq!(s.query_i64("SELECT COUNT(*) FROM sources"), 2);
}

fn serve_runs_the_scheduler_on_due_sources(backend: Backend) {
    let o = start();
    let s = site(backend, false);
    std::fs::write(
        s.path().join("newsdesk.toml"),
        std::fs::read_to_string(s.path().join("newsdesk.toml")).expect("config")
            + "tick_seconds = 1\n",
    )
    .expect("config");
    let busy = add(&s, &o.url("/f/busy"));
    let mut child = std::process::Command::new(support::bin())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(s.path())
        .env_remove("NEWSDESK_CONFIG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn serve");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut fetched = false;
    while std::time::Instant::now() < deadline {
        let status = s
            .try_rows(&format!(
                "SELECT last_status FROM fetch_state WHERE source_id = {busy}"
            ))
            .ok()
            .and_then(|rows| rows.first()?.first()?.as_str().map(str::to_owned));
        if status.as_deref() == Some("ok") {
            fetched = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(fetched, "the scheduler in `serve` fetched the due source");
    assert_about(next_in(&s, busy), 300, "scheduled by serve");
    assert_eq!(s.query_i64("SELECT COUNT(*) FROM articles"), 20);
}

support::on_both_backends!(
    busy_feed_is_fetched_often_and_unchanged_feed_rarely,
    retry_after_on_429_and_503_and_backoff,
    gone_pauses_at_once_and_shows_the_reason,
    permanent_redirect_updates_the_feed_url_after_two_fetches,
    slow_server_times_out_and_backs_off,
    cache_hints_delay_the_next_fetch_and_due_pass_fetches_only_due_sources,
    a_page_is_fetched_once_for_two_sources,
    check_reports_without_storing_and_discover_finds_feeds,
    serve_runs_the_scheduler_on_due_sources,
);

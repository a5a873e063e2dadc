//! `newsdesk bench fetch`: one full pass over many generated feeds on one machine.
//!
//! A small axum origin on 127.0.0.1 serves `--sources` RSS feeds of `--entries` entries each. Every
//! feed lives on its own host name (`s<i>.bench.test`), mapped to 127.0.0.1 by the fetcher's
//! resolver overrides, so the per-host limits and delays apply as with real sites. The origin
//! answers `Connection: close` (real sources are on distinct servers, so no connection is reused
//! between passes) and honours `If-None-Match`, so the second pass is all 304s.
//!
//! Article pages are not fetched (`fetch_article_pages = false`): the pass fetches, parses,
//! schedules and stores every entry from the feed's own content. A measurement, not a test.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode, header};
use axum::routing::get;
use chrono::{TimeZone, Utc};
use newsdesk_core::NewSource;
use newsdesk_fetch::{FetchConfig, Fetcher};
use newsdesk_store::Store;

use newsdesk_pipeline::settings::FetchSettings;
use newsdesk_pipeline::{Ingest, Progress};

/// The benchmark's host-name suffix, resolved to 127.0.0.1.
const BENCH_DOMAIN: &str = "bench.test";

struct OriginState {
    entries: usize,
    requests: AtomicUsize,
    not_modified: AtomicUsize,
}

/// The generated feed of source `i`.
fn feed_xml(i: usize, entries: usize, host: &str) -> String {
    let base = Utc
        .with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let mut s = String::with_capacity(600 + entries * 420);
    s.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Bench source {i}</title><link>http://{host}/</link>\
         <description>Generated feed {i}</description><language>en</language>\n"
    ));
    for j in 0..entries {
        let at = base - chrono::Duration::minutes((i % 60 + j * 37) as i64);
        s.push_str(&format!(
            "<item><title>Harbour talks update {j} from source {i}</title>\
             <link>http://{host}/news/{j}.html</link><guid>http://{host}/news/{j}.html</guid>\
             <pubDate>{}</pubDate><description>&lt;p&gt;The harbour authority said on day {j} \
             that fourteen vessels were waiting outside the port while negotiations between \
             the unions and the operators of source {i} continued late into the night.&lt;/p&gt;\
             </description></item>\n",
            at.to_rfc2822()
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

async fn serve_feed(State(st): State<Arc<OriginState>>, headers: HeaderMap) -> Response<Body> {
    st.requests.fetch_add(1, Ordering::Relaxed);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let index = host
        .strip_prefix('s')
        .and_then(|h| h.split('.').next())
        .and_then(|n| n.parse::<usize>().ok());
    let Some(i) = index else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .unwrap_or_default();
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

/// Runs the benchmark.
pub async fn run(sources: usize, entries: usize, concurrency: usize) -> Result<ExitCode> {
    if sources == 0 || concurrency == 0 {
        bail!("--sources and --concurrency must be at least 1");
    }
    let dir = std::env::temp_dir().join(format!("newsdesk-bench-fetch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let state = Arc::new(OriginState {
        entries,
        requests: AtomicUsize::new(0),
        not_modified: AtomicUsize::new(0),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot start the benchmark origin")?;
    let port = listener.local_addr()?.port();
    let app = Router::new()
        .route("/feed.xml", get(serve_feed))
        .with_state(Arc::clone(&state));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let store = Store::open(&dir.join("bench.db"))?;
    let t = Instant::now();
    {
        let store = store.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            for i in 0..sources {
                store.add_source(&NewSource {
                    feed_url: format!("http://s{i}.{BENCH_DOMAIN}:{port}/feed.xml"),
                    name: Some(format!("Bench source {i}")),
                    ..NewSource::default()
                })?;
            }
            Ok(())
        })
        .await??;
    }
    say!(
        "bench fetch: {sources} feeds x {entries} entries on {sources} host names \
         (*.{BENCH_DOMAIN} -> 127.0.0.1:{port}), {concurrency} sources at a time, \
         1 request per host; origin in-process on the same cores; sources added in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let settings = FetchSettings {
        allow_private_addresses: true,
        fetch_article_pages: false,
        source_concurrency: concurrency,
        ..FetchSettings::default()
    };
    let cfg = FetchConfig {
        user_agent: settings.user_agent.clone(),
        max_connections_per_host: settings.max_connections_per_host,
        per_host_delay: Duration::from_millis(settings.per_host_delay_ms),
        allow_private_addresses: true,
        resolve_overrides: BTreeMap::from([(
            format!("*.{BENCH_DOMAIN}"),
            IpAddr::V4(Ipv4Addr::LOCALHOST),
        )]),
        ..FetchConfig::default()
    };
    // Fetching is measured here; story placement has its own benchmark (`bench stories`) and
    // would otherwise run over all 200,000 stored entries inside the timed pass.
    let ingest = Ingest::new(store.clone(), Fetcher::new(cfg)?, settings).with_stories(false);
    let list: Vec<_> = store
        .list_sources()?
        .into_iter()
        .map(|s| s.source)
        .collect();

    for pass in 1..=2 {
        let before = state.requests.load(Ordering::Relaxed);
        let start = Instant::now();
        let report = ingest
            .run_pass(list.clone(), &Progress::sources(list.len() as u64, false))
            .await;
        let secs = start.elapsed().as_secs_f64();
        let requests = state.requests.load(Ordering::Relaxed) - before;
        say!("pass {pass}: {report}");
        say!(
            "pass {pass}: {secs:.2} s, {requests} requests, {:.0} requests/s, {:.0} sources/s; \
             peak RSS so far {:.0} MiB",
            requests as f64 / secs,
            list.len() as f64 / secs,
            crate::peak_rss_mib().unwrap_or(f64::NAN)
        );
    }
    let due = store.due_sources(Utc::now())?.len();
    say!(
        "stored {} articles; {} answers were 304; {due} sources due right after the passes; \
         peak RSS {:.0} MiB",
        store.count_articles()?,
        state.not_modified.load(Ordering::Relaxed),
        crate::peak_rss_mib().unwrap_or(f64::NAN)
    );
    server.abort();
    drop(ingest);
    drop(store);
    std::fs::remove_dir_all(&dir).ok();
    Ok(ExitCode::SUCCESS)
}

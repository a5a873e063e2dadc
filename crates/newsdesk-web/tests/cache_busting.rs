//! 4,000 cache-busting requests (`/feed.json?w=N`, and recognised parameters with ever new
//! values) leave the process well under 100 MB more than before: unknown parameters bypass the
//! micro-cache, and what it keeps stays within its byte budget. Alone in its test binary so
//! that the resident memory measured is this case's own.

mod common;

use common::{Backend, TestServer, client, fill};
use newsdesk_web::WebConfig;

/// A field of `/proc/self/status` in KiB.
fn status_kib(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_thousand_cache_busting_requests_leave_little_memory() {
    let config = WebConfig {
        cache_ttl_ms: 60_000,
        ..WebConfig::default()
    };
    let server = TestServer::start(Backend::Sqlite, config, |s| {
        fill(s);
    })
    .await;
    let client = client();
    // warm up: templates, the store's caches, the allocator's arenas
    for i in 0..50 {
        let _ = client
            .get(server.url(&format!("/feed.json?w={i}")))
            .send()
            .await;
    }
    let before = status_kib("VmRSS:");
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..4 {
        let client = client.clone();
        let base = server.base.clone();
        tasks.spawn(async move {
            let mut hits = 0;
            for i in 0..1000 {
                let n = worker * 1000 + i;
                // unknown parameters, then recognised ones with new values
                let path = match n % 4 {
                    0 => format!("/feed.json?w={n}"),
                    1 => format!("/feed.atom?utm_source={n}"),
                    2 => format!("/feed.json?limit={}", 1 + n % 50),
                    _ => format!("/articles/1?x={n}"),
                };
                let response = client
                    .get(format!("{base}{path}"))
                    .send()
                    .await
                    .expect("request");
                assert!(
                    response.status().is_success(),
                    "{path}: {}",
                    response.status()
                );
                if response.headers().get("x-cache").is_some() && n % 4 != 2 {
                    hits += 1;
                }
                let _ = response.bytes().await;
            }
            hits
        });
    }
    let mut hits = 0;
    while let Some(h) = tasks.join_next().await {
        hits += h.expect("worker");
    }
    assert_eq!(hits, 0, "answers to unknown parameters came from the cache");
    let after = status_kib("VmRSS:");
    let grown_mib = after.saturating_sub(before) / 1024;
    assert!(grown_mib < 100, "resident memory grew by {grown_mib} MiB");
    eprintln!("resident memory: {} -> {} MiB", before / 1024, after / 1024);
    server.stop().await;
}

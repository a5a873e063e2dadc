//! `newsdesk bench fetch`: one full pass over many generated feeds on one machine.
//!
//! The generated origin ([`crate::origin`]) on 127.0.0.1 serves `--sources` RSS feeds of
//! `--entries` entries each. Every feed lives on its own host name (`s<i>.bench.test`), mapped
//! to 127.0.0.1 by `[fetch] resolve`, so the per-host limits and delays apply as with real
//! sites. The origin answers `Connection: close` (real sources are on distinct servers, so no
//! connection is reused between passes) and honours `If-None-Match`, so the second pass is all
//! 304s.
//!
//! Article pages are not fetched (`fetch_article_pages = false`): the pass fetches, parses,
//! schedules and stores every entry from the feed's own content. A measurement, not a test.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use chrono::Utc;
use newsdesk_core::NewSource;
use newsdesk_store::Store;

use newsdesk_pipeline::settings::FetchSettings;
use newsdesk_pipeline::{Ingest, Progress};

use crate::origin::{BENCH_DOMAIN, GeneratedOrigin};

/// Runs the benchmark.
pub async fn run(sources: usize, entries: usize, concurrency: usize) -> Result<ExitCode> {
    if sources == 0 || concurrency == 0 {
        bail!("--sources and --concurrency must be at least 1");
    }
    let dir = std::env::temp_dir().join(format!("newsdesk-bench-fetch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let origin = GeneratedOrigin::start(entries).await?;
    let port = origin.port();

    let store = Store::open(&dir.join("bench.db"))?;
    let t = Instant::now();
    {
        let store = store.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            for i in 0..sources {
                store.add_source(&NewSource {
                    feed_url: crate::origin::feed_url(i, port),
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
        resolve: crate::origin::resolve_to_loopback(),
        ..FetchSettings::default()
    };
    // Fetching is measured here; story placement has its own benchmark (`bench stories`) and
    // would otherwise run over all 200,000 stored entries inside the timed pass.
    let ingest = Ingest::new(store.clone(), settings.fetcher()?, settings).with_stories(false);
    let list: Vec<_> = store
        .list_sources()?
        .into_iter()
        .map(|s| s.source)
        .collect();

    for pass in 1..=2 {
        let before = origin.requests();
        let start = Instant::now();
        let report = ingest
            .run_pass(list.clone(), &Progress::sources(list.len() as u64, false))
            .await;
        let secs = start.elapsed().as_secs_f64();
        let requests = origin.requests() - before;
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
        origin.not_modified(),
        crate::peak_rss_mib().unwrap_or(f64::NAN)
    );
    drop(origin);
    drop(ingest);
    drop(store);
    std::fs::remove_dir_all(&dir).ok();
    Ok(ExitCode::SUCCESS)
}

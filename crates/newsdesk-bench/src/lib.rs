//! The benchmarks behind `newsdesk bench …`: end-to-end measurements on this machine, printed
//! as figures. The binary parses the command line ([`BenchCommand`]) and calls [`run`]; every
//! benchmark calls the product's own functions (`newsdesk-pipeline`'s ingest and story stage,
//! the extractor, the web server, the translator) with the settings users get.
//!
//! These are measurements, not tests: nothing here asserts a time.

/// `println!` that returns an error instead of panicking when stdout is closed (e.g. `| head`);
/// the binary turns a broken pipe into a clean exit.
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($t)*)?
    }};
}

mod demo;
mod extract;
mod fetch;
mod hostile;
pub mod origin;
mod scale;
mod stories;
mod stories_pipeline;
pub mod translate;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use chrono::{TimeZone, Utc};
use clap::Subcommand;
use newsdesk_core::{ContentOrigin, NewArticle, NewSource};
use newsdesk_demo::{Origin, generated_corpus};
use newsdesk_pipeline::settings::FetchSettings;
use newsdesk_pipeline::{Ingest, Progress};
use newsdesk_store::Store;
use newsdesk_translate::TranslateConfig;
use newsdesk_web::{AppState, WebConfig};

pub use extract::{extract_batch, read_url_map};

/// `newsdesk bench …`.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// A newcomer's wait: `newsdesk demo` to the first /healthz, the first page, the end of the
    /// background work, and Ctrl-C to exit (with its temporary data removed).
    Demo {
        /// Demos run one after the other (medians are reported).
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// The newsdesk binary to run [default: this one] (to compare with another build).
        #[arg(long, value_name = "PATH")]
        binary: Option<std::path::PathBuf>,
    },
    /// Translation words/s per route, cold and with the cache warm (hit rate).
    Translate(translate::BenchTranslateArgs),
    /// Online story placement over generated articles: articles/s on one core and memory.
    /// With --pipeline: the stories benchmark's DEV pools served as outlets, fetched by the
    /// pipeline, scored from the store (and the CLI on the same files).
    Stories {
        /// Serve the stories benchmark's pools as outlets and measure through the pipeline.
        #[arg(long)]
        pipeline: bool,
        /// The stories benchmark's data directory (with --pipeline).
        #[arg(
            long,
            value_name = "DIR",
            default_value = "../shared/bench/stories/data"
        )]
        data: std::path::PathBuf,
        /// Articles placed.
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        /// Articles per day on the stream's own clock.
        #[arg(long, default_value_t = 5_000)]
        per_day: usize,
        /// Story window in hours.
        #[arg(long, default_value_t = 240)]
        window_hours: i64,
    },
    /// One full fetch pass over many generated feeds (one host name each), then an unchanged
    /// second pass: time, requests/s and peak memory.
    Fetch {
        /// Feeds served by the local origin.
        #[arg(long, default_value_t = 10_000)]
        sources: usize,
        /// Entries per feed.
        #[arg(long, default_value_t = 20)]
        entries: usize,
        /// Sources fetched at the same time.
        #[arg(long, default_value_t = 256)]
        concurrency: usize,
    },
    /// Ingest with 1, 2, 4, … `newsdesk worker` processes on one PostgreSQL: articles/s for
    /// each, the database's share of the time, CPU, and where it stops scaling.
    Scale(scale::ScaleArgs),
    /// End-to-end ingest from a local origin: articles/s and peak memory.
    Ingest {
        /// Articles served by the origin.
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        /// Sources (feeds) they are spread over.
        #[arg(long, default_value_t = 20)]
        sources: usize,
        /// Loopback hosts (127.0.0.1, 127.0.0.2, …) the sources are spread over.
        #[arg(long, default_value_t = 4)]
        hosts: usize,
        /// Skip phase 2 (placing the stored articles into stories), which is measured apart.
        #[arg(long)]
        no_stories: bool,
    },
    /// Web server latency and throughput over a database of generated articles.
    Serve {
        /// Articles stored before the run.
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        /// Concurrent connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds per endpoint.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Use `wrk` (Debian package wrk) as the load generator instead of the built-in client.
        #[arg(long)]
        wrk: bool,
        /// Turn the web server's one-second micro-cache off, to measure raw rendering.
        #[arg(long)]
        no_cache: bool,
    },
    /// Hostile inputs (entity bombs, deep nesting, idle connections, cache busting) through
    /// the product's own code: time and peak memory per case, each in a process of its own.
    Hostile {
        /// Run only this case, in this process (used for the per-case processes).
        #[arg(long)]
        case: Option<String>,
    },
    /// Article extraction speed over a directory of pages: pages/s and MB/s, one thread and all.
    Extract {
        /// Directory of `*.html` pages (or a dataset directory with an `html/` folder).
        dir: std::path::PathBuf,
        /// Threads for the parallel run [default: all cores].
        #[arg(long)]
        threads: Option<usize>,
        /// Timed rounds per setting (the best is reported).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
}

/// Reads the `[translate]` table of a configuration file: the configuration and the directory
/// its relative paths are relative to (the binary's configuration loader).
pub type TranslateConfigLoader = dyn Fn(&Path) -> Result<(TranslateConfig, PathBuf)>;

/// Runs one benchmark; `load_translate_config` reads `bench translate --translate-config FILE`.
pub async fn run(
    cmd: BenchCommand,
    load_translate_config: &TranslateConfigLoader,
) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Demo { rounds, binary } => demo::run(rounds, binary).await,
        BenchCommand::Translate(args) => translate::run(args, load_translate_config).await,
        BenchCommand::Stories {
            pipeline: true,
            data,
            ..
        } => stories_pipeline::run(&data).await,
        BenchCommand::Stories {
            articles,
            per_day,
            window_hours,
            ..
        } => stories::run(articles, per_day, window_hours),
        BenchCommand::Fetch {
            sources,
            entries,
            concurrency,
        } => fetch::run(sources, entries, concurrency).await,
        BenchCommand::Scale(args) => scale::run(args).await,
        BenchCommand::Ingest {
            articles,
            sources,
            hosts,
            no_stories,
        } => ingest(articles, sources, hosts, !no_stories).await,
        BenchCommand::Serve {
            articles,
            connections,
            seconds,
            wrk,
            no_cache,
        } => serve(articles, connections, seconds, wrk, no_cache).await,
        BenchCommand::Extract {
            dir,
            threads,
            rounds,
        } => extract::run(&dir, threads, rounds),
        BenchCommand::Hostile { case } => hostile::run(case).await,
    }
}

/// A memory field of this process's `/proc/self/status` (`"VmRSS:"`, `"VmHWM:"`), in MiB.
pub(crate) fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Peak resident memory of this process (VmHWM), in MiB.
pub(crate) fn peak_rss_mib() -> Option<f64> {
    status_mib("VmHWM:")
}

pub(crate) fn bench_dir(name: &str) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("newsdesk-bench-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).ok();
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

async fn ingest(
    articles: usize,
    sources: usize,
    hosts: usize,
    with_stories: bool,
) -> Result<ExitCode> {
    if articles == 0 || sources == 0 || hosts == 0 {
        bail!("--articles, --sources and --hosts must be at least 1");
    }
    let dir = bench_dir("ingest")?;
    let corpus = generated_corpus(articles, sources, 42);
    let mut addrs: Vec<SocketAddr> = Vec::new();
    for h in 0..hosts.min(250) {
        addrs.push(format!("127.0.0.{}:0", h + 1).parse()?);
    }
    // Source i is advertised on address i mod hosts, so per-host limits apply as in real life.
    let origin = Origin::start_multi(corpus, &addrs)
        .await
        .context("cannot start the benchmark origin")?;
    let store = Store::open(&dir.join("bench.db"))?;
    for s in &origin.sources {
        store.add_source(&s.to_new_source())?;
    }
    // The benchmark measures the pipeline, not politeness: the first slice's limit of 2
    // connections per host and no delay between requests to a host (the defaults are 1 and
    // 250 ms, which would measure the delay instead).
    let settings = FetchSettings {
        allow_private_addresses: true,
        max_new_entries_per_pass: articles,
        max_connections_per_host: 2,
        per_host_delay_ms: 0,
        ..FetchSettings::default()
    };
    // Phase 1 is collect → extract → store; story placement is measured as phase 2 below, so
    // each figure is reported on its own.
    let ingest = Ingest::new(store.clone(), settings.fetcher()?, settings).with_stories(false);
    let list = store
        .list_sources()?
        .into_iter()
        .map(|s| s.source)
        .collect::<Vec<_>>();
    let n_sources = list.len();
    say!(
        "bench ingest: {articles} articles over {n_sources} sources on {} loopback hosts (origin in-process)",
        addrs.len()
    );
    let start = Instant::now();
    let report = ingest
        .run_pass(list, &Progress::sources(n_sources as u64, false))
        .await;
    let secs = start.elapsed().as_secs_f64();
    let stored = store.count_articles()?;
    say!("{report}");
    say!(
        "phase 1 (fetch → extract → store): {stored} articles in {secs:.2} s: {:.0} articles/s end to end; peak RSS {:.0} MiB",
        stored as f64 / secs,
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    drop(origin);
    if with_stories {
        let start = Instant::now();
        let placing = store.clone();
        let placed = tokio::task::spawn_blocking(move || {
            let stage = newsdesk_pipeline::stories::StoryStage::default();
            newsdesk_pipeline::stories::place_pending(&placing, &stage)
        })
        .await??;
        let secs = start.elapsed().as_secs_f64();
        // Articles fetched just now are placed provisionally (see `[stories] arrival_hours`):
        // placed all the same, and placed again by later passes.
        let n = placed.placed + placed.provisional;
        say!(
            "phase 2 (stories and provenance): {n} articles placed ({} settled, {} provisional) in {secs:.2} s: {:.0} articles/s; peak RSS now {:.0} MiB",
            placed.placed,
            placed.provisional,
            n as f64 / secs.max(1e-9),
            peak_rss_mib().unwrap_or(f64::NAN)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
    Ok(ExitCode::SUCCESS)
}

/// Fills a store with `n` generated articles over 20 sources and 4 languages.
fn fill(store: &Store, n: usize) -> Result<()> {
    let langs = ["en", "fr", "es", "de"];
    let mut ids = Vec::new();
    for s in 0..20 {
        let src = store.add_source(&NewSource {
            feed_url: format!("https://source{s}.example/feed.xml"),
            site_url: Some(format!("https://source{s}.example/")),
            name: Some(format!("Sample Source {s}")),
            language: Some(langs[s % 4].to_string()),
            country: None,
        })?;
        ids.push(src.id);
    }
    let base = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .context("bad base date")?;
    let para = "The harbour authority said on Tuesday that 14 vessels were waiting outside the port, \
                and that talks would resume at 9:00 on Wednesday with both unions present.";
    for i in 0..n {
        let published = base + chrono::Duration::seconds(i as i64 * 30);
        let body_text = format!("{para}\n\n{para}\n\n{para}");
        let a = NewArticle {
            source_id: ids[i % ids.len()],
            entry_key: format!("bench-{i}"),
            url: format!("https://source{}.example/news/{i}.html", i % ids.len()),
            canonical_url: None,
            title: format!("Generated article number {i} about the harbour talks"),
            authors: vec!["Sample Author".into()],
            published_at: Some(published),
            modified_at: None,
            fetched_at: published,
            lead_image: (i % 3 == 0)
                .then(|| format!("https://source{}.example/img/{i}.jpg", i % ids.len())),
            language: Some(langs[i % 4].to_string()),
            summary: Some(para.to_string()),
            body_html: format!("<p>{para}</p><p>{para}</p><p>{para}</p>"),
            body_text,
            tags: vec![],
            origin: ContentOrigin::Page,
        };
        store.insert_article(&a)?;
    }
    Ok(())
}

struct Stats {
    count: usize,
    errors: usize,
    secs: f64,
    median_ms: f64,
    p99_ms: f64,
}

async fn load(url: String, connections: usize, seconds: u64) -> Result<Stats> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .context("cannot build the load client")?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let client = client.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                let t = Instant::now();
                match client.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        if r.bytes().await.is_err() {
                            errors += 1;
                        }
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        all.extend(l);
        errors += e;
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| -> f64 {
        if all.is_empty() {
            return f64::NAN;
        }
        all[((all.len() - 1) as f64 * p).round() as usize]
    };
    Ok(Stats {
        count: all.len(),
        errors,
        secs,
        median_ms: pct(0.5),
        p99_ms: pct(0.99),
    })
}

/// Runs `wrk` against `url` and reads its summary.
async fn load_wrk(url: String, connections: usize, seconds: u64) -> Result<Stats> {
    let args = [
        "-t2".to_string(),
        format!("-c{connections}"),
        format!("-d{seconds}s"),
        "--latency".to_string(),
        url,
    ];
    let out =
        tokio::task::spawn_blocking(move || std::process::Command::new("wrk").args(&args).output())
            .await?
            .context("cannot run wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed: {text}");
    }
    let ms = |s: &str| -> f64 {
        let s = s.trim();
        let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len()));
        let v: f64 = num.parse().unwrap_or(f64::NAN);
        match unit {
            "us" => v / 1000.0,
            "ms" => v,
            "s" => v * 1000.0,
            _ => f64::NAN,
        }
    };
    let mut stats = Stats {
        count: 0,
        errors: 0,
        secs: seconds as f64,
        median_ms: f64::NAN,
        p99_ms: f64::NAN,
    };
    for line in text.lines() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("50%") {
            stats.median_ms = ms(v);
        } else if let Some(v) = t.strip_prefix("99%") {
            stats.p99_ms = ms(v);
        } else if let Some(v) = t.strip_prefix("Requests/sec:") {
            stats.count = (v.trim().parse::<f64>().unwrap_or(0.0) * seconds as f64) as usize;
        } else if let Some(v) = t.strip_prefix("Non-2xx or 3xx responses:") {
            stats.errors += v.trim().parse::<usize>().unwrap_or(0);
        }
    }
    Ok(stats)
}

async fn serve(
    articles: usize,
    connections: usize,
    seconds: u64,
    wrk: bool,
    no_cache: bool,
) -> Result<ExitCode> {
    if connections == 0 || seconds == 0 {
        bail!("--connections and --seconds must be at least 1");
    }
    let dir = bench_dir("serve")?;
    let store = Store::open(&dir.join("bench.db"))?;
    let t = Instant::now();
    {
        let store = store.clone();
        tokio::task::spawn_blocking(move || fill(&store, articles)).await??;
    }
    say!(
        "stored {articles} articles in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let state = AppState::new(
        store.clone(),
        WebConfig {
            cache_ttl_ms: if no_cache { 0 } else { 1000 },
            ..WebConfig::default()
        },
    );
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(newsdesk_web::serve(listener, state, async move {
        let _ = rx.await;
    }));
    let some_id = store
        .list_articles(&newsdesk_core::ArticleQuery {
            limit: 1,
            ..Default::default()
        })?
        .items
        .first()
        .map(|a| a.id)
        .unwrap_or(1);
    say!(
        "bench serve: {connections} connections, {seconds} s per endpoint, load from {}, on the same 2 cores as the server; micro-cache {}",
        if wrk { "wrk" } else { "the built-in client" },
        if no_cache { "off" } else { "on (1 s)" }
    );
    say!(
        "{:<28} {:>10} {:>10} {:>10} {:>8}",
        "endpoint",
        "req/s",
        "median ms",
        "p99 ms",
        "errors"
    );
    for path in [
        "/".to_string(),
        format!("/articles/{some_id}"),
        "/api/v1/articles?limit=50".to_string(),
    ] {
        let url = format!("http://{addr}{path}");
        let s = if wrk {
            load_wrk(url, connections, seconds).await?
        } else {
            load(url, connections, seconds).await?
        };
        say!(
            "{:<28} {:>10.0} {:>10.2} {:>10.2} {:>8}",
            path,
            s.count as f64 / s.secs,
            s.median_ms,
            s.p99_ms,
            s.errors
        );
    }
    let _ = tx.send(());
    let _ = server.await;
    std::fs::remove_dir_all(&dir).ok();
    Ok(ExitCode::SUCCESS)
}

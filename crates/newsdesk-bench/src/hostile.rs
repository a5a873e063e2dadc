//! `newsdesk bench hostile`: the hostile inputs of issue 19, each through the code the product
//! runs (feed parser, sanitiser, web server), with its time and the peak memory of a process of
//! its own.
//!
//! Without `--case`, every case runs in a child process (`bench hostile --case NAME`), so that
//! the peak resident memory (VmHWM) reported is that case's alone (a bare process is a few MiB).
//! These are measurements, not tests: nothing here asserts a time.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use newsdesk_core::{NewArticle, NewSource, hostile};
use newsdesk_store::Store;
use newsdesk_web::{AppState, WebConfig};

/// The cases, in the order they run.
pub const CASES: &[&str] = &[
    "entity-bomb",
    "attributes-300k",
    "stray-end-tags-100k",
    "unclosed-divs-500k",
    "deep-blockquote-40k",
    "render-deep-stored",
    "idle-connections-8k",
    "cache-busting-4k",
];

/// Runs one case here, or every case in a child process each.
pub async fn run(case: Option<String>) -> Result<ExitCode> {
    if let Some(case) = case {
        let t = Instant::now();
        let detail = run_case(&case).await?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let peak = crate::peak_rss_mib().unwrap_or(f64::NAN);
        say!("{case}\t{ms:.1}\t{peak:.1}\t{detail}");
        return Ok(ExitCode::SUCCESS);
    }
    let exe = std::env::current_exe().context("cannot find the newsdesk binary")?;
    say!(
        "bench hostile: each case in its own process; peak = its VmHWM (a bare process: a few MiB)"
    );
    say!(
        "{:<22} {:>10} {:>10}  result",
        "case",
        "time ms",
        "peak MiB"
    );
    for case in CASES {
        let out = tokio::process::Command::new(&exe)
            .args(["bench", "hostile", "--case", case])
            .env_remove("NEWSDESK_CONFIG")
            .output()
            .await
            .with_context(|| format!("cannot run case {case}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout.lines().last().unwrap_or_default();
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        match (out.status.success(), fields.as_slice()) {
            (true, [_, ms, peak, detail]) => {
                say!("{case:<22} {ms:>10} {peak:>10}  {detail}");
            }
            _ => say!(
                "{case:<22} {:>10} {:>10}  failed: {}",
                "-",
                "-",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `case`; returns what it observed, in a few words.
async fn run_case(case: &str) -> Result<String> {
    let parsed = |feed: String| match newsdesk_feeds::parse_feed(feed.as_bytes(), None, None) {
        Ok(f) => format!("{} bytes: parsed, {} entries", feed.len(), f.entries.len()),
        Err(e) => format!("{} bytes: {e}", feed.len()),
    };
    let sanitised = |html: String| {
        let clean = newsdesk_extract::sanitize_html(&html, "https://bench.example/a");
        format!(
            "{} bytes in, {} out, {} <blockquote>, {} <div>",
            html.len(),
            clean.len(),
            clean.matches("<blockquote>").count(),
            clean.matches("<div>").count()
        )
    };
    Ok(match case {
        "entity-bomb" => parsed(hostile::entity_bomb_feed(100_000, 20_000)),
        "attributes-300k" => parsed(hostile::many_attributes_feed(300_000, true)),
        "stray-end-tags-100k" => parsed(hostile::stray_end_tags_feed(50_000, 100_000)),
        "unclosed-divs-500k" => sanitised(hostile::unclosed_divs_html(500_000)),
        "deep-blockquote-40k" => sanitised(hostile::deep_blockquote_html(40_000)),
        "render-deep-stored" => render_deep_stored().await?,
        "idle-connections-8k" => idle_connections(8_000).await?,
        "cache-busting-4k" => cache_busting(4_000).await?,
        other => bail!("no case {other:?}; cases: {}", CASES.join(", ")),
    })
}

/// A bench directory, removed when dropped.
struct ScratchDir(std::path::PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// A temporary store with one source.
fn scratch_store(name: &str) -> Result<(ScratchDir, Store, i64)> {
    let dir = ScratchDir(crate::bench_dir(&format!("hostile-{name}"))?);
    let store = Store::open(&dir.0.join("bench.db"))?;
    let source = store.add_source(&NewSource {
        name: Some("Bench".into()),
        ..NewSource::new("http://127.0.0.1:9/feed.xml")
    })?;
    Ok((dir, store, source.id))
}

/// Serves `store` on 127.0.0.1 with `config`; returns the address and a stopper.
async fn start_server(
    store: Store,
    config: WebConfig,
) -> Result<(std::net::SocketAddr, tokio::sync::oneshot::Sender<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let state = AppState::new(store, config);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(newsdesk_web::serve(listener, state, async move {
        let _ = rx.await;
    }));
    Ok((addr, tx))
}

fn client(local: Option<std::net::IpAddr>) -> Result<reqwest::Client> {
    let mut b = reqwest::Client::builder().no_proxy();
    if let Some(ip) = local {
        b = b.local_address(ip);
    }
    b.build().context("cannot build the HTTP client")
}

/// An article stored with a 40,000-deep body as given (as rows stored before bodies were
/// bounded at ingest), rendered uncached: median of 20 views of its page.
async fn render_deep_stored() -> Result<String> {
    let (_dir, store, source_id) = scratch_store("render")?;
    let id = store
        .insert_article(&hostile::stored_article(
            source_id,
            "deep",
            "http://127.0.0.1:9/deep",
            hostile::deep_blockquote_html(40_000),
        ))?
        .context("article not stored")?;
    let config = WebConfig {
        cache_ttl_ms: 0,
        ..WebConfig::default()
    };
    let (addr, stop) = start_server(store, config).await?;
    let client = client(None)?;
    let mut times = Vec::new();
    for path in [format!("/articles/{id}"), format!("/api/v1/articles/{id}")] {
        for _ in 0..20 {
            let t = Instant::now();
            let r = client.get(format!("http://{addr}{path}")).send().await?;
            let _ = r.bytes().await?;
            times.push(t.elapsed());
        }
    }
    let _ = stop.send(());
    times.sort();
    Ok(format!(
        "page and API record, 40 views uncached: median {:.1} ms, max {:.1} ms",
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    ))
}

/// `n` half-open connections from one address (every third sends half a request's headers)
/// against the default limits; `/healthz` from another loopback address meanwhile.
async fn idle_connections(n: usize) -> Result<String> {
    use tokio::io::AsyncWriteExt as _;
    let (_dir, store, _) = scratch_store("idle")?;
    let config = WebConfig::default();
    let max = config.max_connections_per_client;
    let (addr, stop) = start_server(store, config).await?;
    let mut sockets = Vec::with_capacity(n);
    let t = Instant::now();
    while sockets.len() < n {
        let mut batch = tokio::task::JoinSet::new();
        for k in sockets.len()..(sockets.len() + 20).min(n) {
            batch.spawn(async move {
                let mut s = tokio::net::TcpStream::connect(addr).await?;
                if k % 3 == 0 {
                    let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await;
                }
                Ok::<_, std::io::Error>(s)
            });
        }
        while let Some(s) = batch.join_next().await {
            sockets.push(s??);
        }
    }
    let opened = t.elapsed();
    let other = client(Some(std::net::IpAddr::from([127, 0, 0, 2])))?;
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let r = other.get(format!("http://{addr}/healthz")).send().await;
        match r {
            Ok(r) if r.status().is_success() => times.push(t.elapsed()),
            Ok(r) => bail!("/healthz answered {}", r.status()),
            Err(e) => bail!("/healthz did not answer: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    times.sort();
    let _ = stop.send(());
    Ok(format!(
        "{n} opened in {:.1} s (server keeps {max} from one address, refuses the rest with 503); \
         /healthz from another address: median {:.1} ms, max {:.1} ms",
        opened.as_secs_f64(),
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    ))
}

/// `n` requests with ever new query parameters (unknown ones, and recognised ones with new
/// values) against a store of 50 articles.
async fn cache_busting(n: usize) -> Result<String> {
    let (_dir, store, source_id) = scratch_store("cache")?;
    let articles: Vec<NewArticle> = (0..50)
        .map(|i| NewArticle {
            title: format!("Article {i}"),
            summary: Some("A summary of the article.".into()),
            ..hostile::stored_article(
                source_id,
                &format!("e{i}"),
                &format!("http://127.0.0.1:9/a/{i}"),
                "<p>Body text. </p>".repeat(20),
            )
        })
        .collect();
    store.insert_articles(&articles)?;
    let (addr, stop) = start_server(store, WebConfig::default()).await?;
    let client = client(None)?;
    let before = crate::peak_rss_mib().unwrap_or(f64::NAN);
    let t = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..4 {
        let client = client.clone();
        tasks.spawn(async move {
            for i in 0..n / 4 {
                let k = worker * (n / 4) + i;
                let path = match k % 3 {
                    0 => format!("/feed.json?w={k}"),
                    1 => format!("/feed.atom?utm_source={k}"),
                    _ => format!("/feed.json?limit={}", 1 + k % 50),
                };
                let r = client.get(format!("http://{addr}{path}")).send().await?;
                let _ = r.bytes().await?;
            }
            Ok::<_, reqwest::Error>(())
        });
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    let took = t.elapsed();
    let _ = stop.send(());
    Ok(format!(
        "{n} requests in {:.1} s; peak before {before:.1} MiB (the micro-cache holds at most {} MiB)",
        took.as_secs_f64(),
        WebConfig::default().cache_max_bytes / (1024 * 1024)
    ))
}

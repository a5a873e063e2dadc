//! `newsdesk serve`: the web server and the background fetcher in one process.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use newsdesk_store::Store;
use newsdesk_web::{AppState, WebConfig};
use tokio::net::TcpListener;
use tracing::{info, warn};

use super::Context;
use crate::pipeline::{Ingest, Progress};

/// Binds, starts the scheduler (unless disabled) and serves until Ctrl-C.
pub async fn run(ctx: Context, bind: Option<String>, no_fetch: bool) -> Result<ExitCode> {
    let bind = bind.unwrap_or_else(|| ctx.config.web.bind.clone());
    let addr: SocketAddr = bind
        .parse()
        .with_context(|| format!("--bind {bind:?} is not ADDR:PORT"))?;
    let web = WebConfig {
        site_title: ctx.config.web.site_title.clone(),
        public_url: ctx.config.web.public_url.clone(),
        language: ctx.config.web.language.clone(),
        sample_data: ctx.config.web.sample_data,
        cache_ttl_ms: ctx.config.web.cache_ttl_ms,
    };
    let scheduler = if ctx.config.schedule.enabled && !no_fetch {
        let ingest = ctx.ingest()?;
        let every = Duration::from_secs(ctx.config.schedule.interval_minutes * 60);
        Some(tokio::spawn(schedule(ctx.store.clone(), ingest, every)))
    } else {
        None
    };
    serve_site(ctx.store.clone(), web, addr, None).await?;
    if let Some(s) = scheduler {
        s.abort();
    }
    Ok(ExitCode::SUCCESS)
}

/// Serves the site on `addr` until Ctrl-C; prints the URL (with `banner` first, if any).
pub async fn serve_site(
    store: Store,
    web: WebConfig,
    addr: SocketAddr,
    banner: Option<&str>,
) -> Result<()> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (is another server running there?)"))?;
    let local = listener.local_addr()?;
    if let Some(b) = banner {
        say!("{b}");
    }
    say!("serving on http://{local}/  (Ctrl-C to stop)");
    let state = AppState {
        store,
        config: Arc::new(web),
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("stopping…");
    };
    newsdesk_web::serve(listener, state, shutdown)
        .await
        .context("web server failed")?;
    Ok(())
}

/// Runs a pass over every source now and then every `every`.
pub async fn schedule(store: Store, ingest: Ingest, every: Duration) {
    loop {
        match store.list_sources() {
            Ok(list) => {
                let sources = list.into_iter().map(|s| s.source).collect();
                let report = ingest.run_pass(sources, &Progress::hidden()).await;
                info!(stage = "schedule", "{report}");
            }
            Err(e) => warn!(stage = "schedule", error = %e, "cannot list sources"),
        }
        tokio::time::sleep(every).await;
    }
}

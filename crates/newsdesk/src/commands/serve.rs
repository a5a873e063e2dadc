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
        let tick = Duration::from_secs(ctx.config.schedule.tick_seconds);
        Some(tokio::spawn(schedule(ctx.store.clone(), ingest, tick)))
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

/// The scheduler: fetches the sources that are due (each has its own next-fetch time, see
/// `pipeline::schedule`), then looks again after `tick`; a pass that found work is followed at
/// once by another look, so a backlog is worked through without waiting.
pub async fn schedule(store: Store, ingest: Ingest, tick: Duration) {
    loop {
        let due = store
            .due_sources(chrono::Utc::now())
            .and_then(|ids| store.list_sources().map(|all| (ids, all)));
        let mut worked = false;
        match due {
            Ok((ids, all)) if !ids.is_empty() => {
                let by_id: std::collections::HashMap<_, _> =
                    all.into_iter().map(|s| (s.source.id, s.source)).collect();
                let sources: Vec<_> = ids.iter().filter_map(|id| by_id.get(id).cloned()).collect();
                worked = !sources.is_empty();
                let report = ingest.run_pass(sources, &Progress::hidden()).await;
                info!(stage = "schedule", "{report}");
            }
            Ok(_) => {}
            Err(e) => warn!(stage = "schedule", error = %e, "cannot list due sources"),
        }
        if !worked {
            tokio::time::sleep(tick).await;
        }
    }
}

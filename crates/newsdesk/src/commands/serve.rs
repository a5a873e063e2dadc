//! `newsdesk serve`: the web server and the background fetcher in one process.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use newsdesk_store::Store;
use newsdesk_web::{AppState, BodyTranslator, Editions, WebConfig};
use tokio::net::TcpListener;
use tracing::{info, warn};

use super::Context;
use crate::pipeline::translate::{EditionTranslation, for_config};
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
        host_names: ctx.config.web.host_names.clone(),
        bind_address: Some(addr.to_string()),
        language: ctx.config.web.language.clone(),
        sample_data: ctx.config.web.sample_data,
        cache_ttl_ms: ctx.config.web.cache_ttl_ms,
    };
    let translation = edition_translation(&ctx).await;
    let editions = Editions {
        list: ctx.config.editions.clone(),
        body_translator: translation
            .clone()
            .map(|t| Arc::new(t) as Arc<dyn BodyTranslator>),
    };
    let scheduler = if ctx.config.schedule.enabled && !no_fetch {
        let mut ingest = ctx.ingest()?;
        if let Some(t) = translation {
            ingest = ingest.with_translation(t);
        }
        let tick = Duration::from_secs(ctx.config.schedule.tick_seconds);
        Some(tokio::spawn(schedule(ctx.store.clone(), ingest, tick)))
    } else {
        None
    };
    serve_site(ctx.store.clone(), web, addr, editions).await?;
    if let Some(s) = scheduler {
        s.abort();
    }
    Ok(ExitCode::SUCCESS)
}

/// The translation stage for the configured editions, if any. A backend that cannot start is
/// reported and the site is served untranslated (each article then says so).
pub async fn edition_translation(ctx: &Context) -> Option<EditionTranslation> {
    if ctx.config.editions.is_empty() {
        return None;
    }
    match for_config(&ctx.config, &ctx.store).await {
        Ok(t) => t,
        Err(e) => {
            warn!(stage = "translate", error = %format!("{e:#}"), "translation is off");
            eprintln!("newsdesk: translation is off: {e:#}");
            None
        }
    }
}

/// Serves the site and its editions on `addr` until Ctrl-C; prints the URLs.
pub async fn serve_site(
    store: Store,
    web: WebConfig,
    addr: SocketAddr,
    editions: Editions,
) -> Result<()> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (is another server running there?)"))?;
    let local = listener.local_addr()?;
    say!("serving on http://{local}/  (Ctrl-C to stop)");
    for e in &editions.list {
        say!("  {} edition: http://{local}/{}/", e.language, e.language);
    }
    let state = AppState {
        store,
        config: Arc::new(web),
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("stopping…");
    };
    newsdesk_web::serve_with_editions(listener, state, editions, shutdown)
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

//! `newsdesk serve`: the web server and the background fetcher in one process.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use newsdesk_store::Store;
use newsdesk_web::{AppState, BodyTranslator, Editions, SiteStatus, WebConfig};
use tokio::net::TcpListener;
use tracing::warn;

use super::Context;
use super::output;
use newsdesk_pipeline::translate::{
    EditionTranslation, for_config, languages_in_use, route_warnings,
};

/// Binds, starts the scheduler (unless disabled) and serves until Ctrl-C.
pub async fn run(ctx: Context, bind: Option<String>, no_fetch: bool) -> Result<ExitCode> {
    let wanted = bind.unwrap_or_else(|| ctx.config.web.bind.clone());
    let addr: SocketAddr = wanted
        .parse()
        .with_context(|| format!("--bind {wanted:?} is not ADDR:PORT"))?;
    let listener = self::bind(addr).await?;
    let mut web = ctx.config.web.web_config();
    web.bind_address = Some(addr.to_string());
    tracing::info!(
        api_edits = web.operator_token.is_some(),
        "JSON API profile edits are {}",
        if web.operator_token.is_some() {
            "enabled (operator token configured)"
        } else {
            "off (read-only API)"
        }
    );
    let status = SiteStatus::new();
    let (translation, warnings) = edition_translation(&ctx).await;
    for w in &warnings {
        output::warning(w);
    }
    status.set_warnings(warnings);
    let editions = Editions {
        list: ctx.config.editions.clone(),
        body_translator: translation
            .clone()
            .map(|t| Arc::new(t) as Arc<dyn BodyTranslator>),
    };
    // On PostgreSQL the work is the workers' (`newsdesk worker`, sharing the queue and the
    // per-host limits); a web node only reads.
    let on_postgres = ctx.store.is_postgres();
    if on_postgres && ctx.config.schedule.enabled && !no_fetch {
        output::warning(
            "PostgreSQL: this node only serves; fetching, translation and stories are done by \
             `newsdesk worker` processes (start one or more; `newsdesk status` shows them)",
        );
    }
    let scheduler = if ctx.config.schedule.enabled && !no_fetch && !on_postgres {
        let mut ingest = ctx.ingest()?;
        if let Some(t) = translation {
            ingest = ingest.with_translation(t);
        }
        let tick = Duration::from_secs(ctx.config.schedule.tick_seconds);
        Some(tokio::spawn(ingest.run_due(ctx.store.clone(), tick)))
    } else {
        None
    };
    serve_on(listener, site_store(&ctx)?, web, editions, status, ctrl_c()).await?;
    if let Some(s) = scheduler {
        s.abort();
    }
    Ok(ExitCode::SUCCESS)
}

/// The store the site reads: with `[storage] read_url` (or `$NEWSDESK_DATABASE_READ_URL`),
/// the configured store whose site reads come from that replica (writes, such as API profile
/// edits, still go to the primary); else the configured store. The scheduler and the body
/// translator keep the primary-only store: they read what they are about to write.
fn site_store(ctx: &Context) -> Result<Store> {
    let Some(read_url) = ctx.config.database_read_url() else {
        return Ok(ctx.store.clone());
    };
    let store = ctx
        .store
        .with_replica(&read_url)
        .context("[storage] read_url / $NEWSDESK_DATABASE_READ_URL")?;
    if let Some(replica) = store.replica_location() {
        say!("reading the site from the replica {replica}");
    }
    Ok(store)
}

/// The translation stage for the configured editions, if any, and the operator's warnings
/// about it (a backend that cannot start, source languages without a route into an edition).
/// Without a working stage the site is served untranslated and each article says so.
pub async fn edition_translation(ctx: &Context) -> (Option<EditionTranslation>, Vec<String>) {
    if ctx.config.editions.is_empty() {
        return (None, Vec::new());
    }
    match for_config(&ctx.config.pipeline(), &ctx.store).await {
        Ok(Some(t)) => {
            let warnings = translation_warnings(ctx, &t);
            (Some(t), warnings)
        }
        Ok(None) => (None, Vec::new()),
        Err(e) => (
            None,
            vec![format!(
                "translation is off, every edition shows its articles untranslated: {e:#}"
            )],
        ),
    }
}

/// [`route_warnings`] over the languages of the site's sources and articles.
pub fn translation_warnings(ctx: &Context, translation: &EditionTranslation) -> Vec<String> {
    match languages_in_use(&ctx.store) {
        Ok(langs) => route_warnings(translation, &langs),
        Err(e) => {
            warn!(stage = "translate", error = %e, "cannot list the site's languages");
            Vec::new()
        }
    }
}

/// Binds the site's address (the error says when another server holds it).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (is another server running there?)"))
}

/// Resolves on Ctrl-C (SIGINT).
pub async fn ctrl_c() {
    let _ = tokio::signal::ctrl_c().await;
    eprintln!("stopping…");
}

/// Serves the site and its editions on `listener` until `shutdown` resolves; prints the URLs.
pub async fn serve_on(
    listener: TcpListener,
    store: Store,
    web: WebConfig,
    editions: Editions,
    status: SiteStatus,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let local = listener.local_addr()?;
    say!("serving on http://{local}/  (Ctrl-C to stop)");
    for e in &editions.list {
        say!("  {} edition: http://{local}/{}/", e.language, e.language);
    }
    let state = AppState {
        store,
        config: Arc::new(web),
        status,
    };
    newsdesk_web::serve_with_editions(listener, state, editions, shutdown)
        .await
        .context("web server failed")?;
    Ok(())
}

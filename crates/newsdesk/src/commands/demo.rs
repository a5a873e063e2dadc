//! `newsdesk demo`: the whole product on a bundled sample corpus, with no setup and no network.
//!
//! It starts a local origin server on 127.0.0.1 that serves the sample outlets (feeds and article
//! pages), writes a fresh configuration and database pointing at it, adds the sources (one of
//! them through feed discovery), fetches, and serves the site.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use newsdesk_core::NewSource;
use newsdesk_demo::{Origin, sample_corpus};
use newsdesk_store::TranslationStatus;
use newsdesk_translate::{MemoryCache, Translator, TranslatorOptions, apertium_available};
use newsdesk_web::{BodyTranslator, Editions, WebConfig};

use super::Context;
use crate::config::{CONFIG_FILE_NAME, Config};
use crate::pipeline::translate::{EditionTranslation, for_config};
use crate::pipeline::{Progress, resolve_feed};

/// First line of the configuration the demo writes (how a demo directory is recognised).
const DEMO_HEADER: &str = "# newsdesk demo configuration (sample data served from 127.0.0.1).";

/// Runs the demo.
pub async fn run(
    bind: &str,
    data: Option<PathBuf>,
    no_serve: bool,
    quiet: bool,
) -> Result<ExitCode> {
    let addr: SocketAddr = bind
        .parse()
        .with_context(|| format!("--bind {bind:?} is not ADDR:PORT"))?;
    let dir = match data {
        Some(d) => d,
        None => std::env::temp_dir().join(format!("newsdesk-demo-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // The origin listens on a new port every run, so a previous demo's sources would all fail:
    // start from a fresh database (demo data only; a directory that is not a demo is refused).
    let file = dir.join(CONFIG_FILE_NAME);
    if file.exists() {
        let old = std::fs::read_to_string(&file).unwrap_or_default();
        if !old.starts_with(DEMO_HEADER) {
            anyhow::bail!(
                "{} holds a configuration that is not a demo's; pass another --data directory",
                dir.display()
            );
        }
        let data = dir.join("data");
        if data.exists() {
            std::fs::remove_dir_all(&data)
                .with_context(|| format!("cannot clear {}", data.display()))?;
        }
    }
    let text = format!(
        "{DEMO_HEADER}\n\
         [storage]\ndatabase = \"data/newsdesk.db\"\n\n\
         [fetch]\n# The demo origin runs on loopback, so the SSRF guard is off here.\n\
         allow_private_addresses = true\n\
         # One local origin serves every outlet: no politeness delay is needed against it.\n\
         per_host_delay_ms = 0\nmax_connections_per_host = 4\n\n\
         [web]\nsite_title = \"newsdesk demo\"\nsample_data = true\n\n\
         [schedule]\nenabled = false\n\n\
         # Machine translation for the French edition: Apertium, through Spanish when there is\n\
         # no direct pair (English → Spanish → French).\n\
         [translate]\npivots = [\"es\", \"en\"]\n\
         [[translate.backends]]\nkind = \"apertium\"\n\n\
         # The seed's language: /fr/ serves every article in French where a route exists.\n\
         [[editions]]\nlanguage = \"fr\"\ntitle = \"newsdesk démo\"\n"
    );
    std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
    let config = Config::load(&file)?;
    let ctx = Context::from_config(config)?;

    let origin = Origin::start(sample_corpus(), "127.0.0.1:0".parse()?)
        .await
        .context("cannot start the demo origin server")?;
    if !quiet {
        say!(
            "sample origin serving {} outlets at {}",
            origin.sources.len(),
            origin.base_url
        );
    }
    let fetcher = ctx.fetcher()?;
    for s in &origin.sources {
        let mut new = NewSource {
            feed_url: s.feed_url.clone(),
            site_url: Some(s.site_url.clone()),
            name: Some(s.name.clone()),
            language: Some(s.language.clone()),
            country: Some(s.country.clone()),
        };
        let resolved = resolve_feed(&fetcher, &s.feed_url).await?;
        if resolved.page_url.is_some() && !quiet {
            say!("  {}: discovered feed {}", s.name, resolved.feed_url);
        }
        new.feed_url = resolved.feed_url;
        if ctx.store.source_by_feed_url(&new.feed_url)?.is_none() {
            let added = ctx.store.add_source(&new)?;
            super::sources_profile::demo_profile(&ctx.store, &added, s)?;
        }
    }
    let sources = ctx
        .store
        .list_sources()?
        .into_iter()
        .map(|s| s.source)
        .collect::<Vec<_>>();
    let translation = edition_translation(&ctx, quiet).await?;
    let mut ingest = ctx.ingest()?;
    if let Some(t) = &translation {
        ingest = ingest.with_translation(t.clone());
    }
    let progress = Progress::sources(sources.len() as u64, quiet);
    let report = ingest.run_pass(sources, &progress).await;
    say!("{report}");
    if translation.is_some() {
        let counts = translation_counts(&ctx);
        say!(
            "French edition: {} articles translated, {} left untranslated",
            counts.0,
            counts.1
        );
    }
    say!("data: {}", dir.display());
    if no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    let web = WebConfig {
        site_title: "newsdesk demo".into(),
        public_url: None,
        language: "en".into(),
        sample_data: true,
        ..WebConfig::default()
    };
    let editions = Editions {
        list: ctx.config.editions.clone(),
        body_translator: translation.map(|t| Arc::new(t) as Arc<dyn BodyTranslator>),
    };
    say!("newsdesk demo: sample data, fictional outlets");
    super::serve::serve_site(ctx.store.clone(), web, addr, editions).await?;
    drop(origin);
    Ok(ExitCode::SUCCESS)
}

/// The translate stage for the demo's editions, or `None` (with a message) when no translator
/// can be built; without Apertium the edition still works and says its articles are untranslated.
async fn edition_translation(ctx: &Context, quiet: bool) -> Result<Option<EditionTranslation>> {
    if !apertium_available() {
        say!(
            "Apertium is not installed: the French edition at /fr/ shows the articles \
             untranslated, with a notice (install apertium, apertium-eng-spa and apertium-fr-es)"
        );
        // No backend: every article gets an "untranslated" row saying there is no route.
        let none = Translator::new(
            Vec::new(),
            Arc::new(MemoryCache::new()),
            TranslatorOptions::from(&ctx.config.translate),
        );
        return Ok(Some(EditionTranslation::new(
            ctx.store.clone(),
            Arc::new(none),
            ctx.config.editions.clone(),
        )));
    }
    match for_config(&ctx.config, &ctx.store).await {
        Ok(t) => {
            if !quiet && let Some(t) = &t {
                say!("translation: {} language pairs available", t.pairs());
            }
            Ok(t)
        }
        Err(e) => {
            say!("translation is off: {e:#}");
            Ok(None)
        }
    }
}

/// (translated, untranslated) rows of the demo's editions.
fn translation_counts(ctx: &Context) -> (u64, u64) {
    let mut counts = (0, 0);
    for e in &ctx.config.editions {
        if let Ok(page) = ctx.store.list_articles(&newsdesk_core::ArticleQuery {
            limit: 200,
            ..Default::default()
        }) {
            let ids: Vec<i64> = page.items.iter().map(|a| a.id).collect();
            if let Ok(found) = ctx.store.translations(&ids, &e.language) {
                for t in found.values() {
                    match t.status {
                        TranslationStatus::Translated => counts.0 += 1,
                        TranslationStatus::Untranslated => counts.1 += 1,
                    }
                }
            }
        }
    }
    counts
}

//! `newsdesk demo`: the whole product on a bundled sample corpus, with no setup and no network.
//!
//! It starts a local origin server on 127.0.0.1 that serves the sample outlets (feeds and article
//! pages), writes a fresh configuration and database pointing at it, and serves the site at
//! once. In the background it adds the sources (one of them through feed discovery), fetches
//! and translates them, with the one progress display on the terminal and a "still working"
//! note on the pages, which fill in as articles land. Ctrl-C stops it and removes the temporary
//! data directory unless `--keep` or `--data DIR` was given; it says which.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use newsdesk_core::NewSource;
use newsdesk_demo::{DemoSource, Origin, sample_corpus};
use newsdesk_store::TranslationStatus;
use newsdesk_translate::{MemoryCache, Translator, TranslatorOptions, apertium_available};
use newsdesk_web::{Editions, SiteStatus, WebConfig};

use super::{Context, output};
use crate::config::{CONFIG_FILE_NAME, Config};
use newsdesk_pipeline::translate::{EditionTranslation, for_config};
use newsdesk_pipeline::{Progress, resolve_feed};

/// First line of the configuration the demo writes (how a demo directory is recognised).
const DEMO_HEADER: &str = "# newsdesk demo configuration (sample data served from 127.0.0.1).";

/// The demo's command line.
#[derive(Debug)]
pub struct DemoArgs {
    /// Address the site listens on.
    pub bind: String,
    /// Data directory to use and keep (else a temporary one).
    pub data: Option<PathBuf>,
    /// Keep the temporary data directory.
    pub keep: bool,
    /// Fetch, print the summary and exit without serving.
    pub no_serve: bool,
    /// Print nothing but errors.
    pub quiet: bool,
}

/// Runs the demo.
pub async fn run(args: DemoArgs) -> Result<ExitCode> {
    let quiet = args.quiet;
    let addr: SocketAddr = args
        .bind
        .parse()
        .with_context(|| format!("--bind {:?} is not ADDR:PORT", args.bind))?;
    let temporary = args.data.is_none();
    let dir = match args.data {
        Some(d) => d,
        None => std::env::temp_dir().join(format!("newsdesk-demo-{}", std::process::id())),
    };
    let remove_at_exit = temporary && !args.keep;
    let ctx = match prepare(&dir) {
        Ok(ctx) => ctx,
        Err(e) => {
            if remove_at_exit {
                let _ = std::fs::remove_dir_all(&dir);
            }
            return Err(e);
        }
    };
    let result = if args.no_serve {
        match start_origin(quiet).await {
            Ok(origin) => {
                let progress = Progress::terminal(quiet);
                work(
                    ctx,
                    origin.sources.clone(),
                    progress,
                    SiteStatus::new(),
                    quiet,
                )
                .await
            }
            Err(e) => Err(e),
        }
    } else {
        serve(ctx, addr, &dir, remove_at_exit, quiet).await
    };
    leave_data(&dir, remove_at_exit, quiet).await?;
    let code = result?;
    if !args.no_serve {
        // After Ctrl-C, story placement may still run on a blocking thread (it cannot be
        // aborted, and the runtime would wait for it): its work is not needed any more (the
        // data is gone, or kept consistent by SQLite's transactions), so exit now.
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        std::process::exit(i32::from(code));
    }
    Ok(ExitCode::from(code))
}

/// Writes the demo's configuration in `dir` (a fresh database: the origin's port changes every
/// run) and opens it. A directory holding another configuration is refused.
fn prepare(dir: &Path) -> Result<Context> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
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
    let country_names: String = sample_corpus()
        .country_names()
        .iter()
        .map(|(code, name)| format!("{code} = {name:?}\n"))
        .collect();
    let text = format!(
        "{DEMO_HEADER}\n\
         [storage]\ndatabase = \"data/newsdesk.db\"\n\n\
         [fetch]\n# The demo origin runs on loopback, so the SSRF guard is off here.\n\
         allow_private_addresses = true\n\
         # One local origin serves every outlet: no politeness delay is needed against it.\n\
         per_host_delay_ms = 0\nmax_connections_per_host = 4\n\n\
         [web]\nsite_title = \"newsdesk demo\"\nsample_data = true\n\n\
         # The fictional countries' names (their codes are ISO 3166 user-assigned ones).\n\
         [web.country_names]\n{country_names}\n\
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
    Context::from_config(config)
}

async fn start_origin(quiet: bool) -> Result<newsdesk_demo::OriginHandle> {
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
    Ok(origin)
}

/// Serves the site at once and does the work in the background, until Ctrl-C.
async fn serve(
    ctx: Context,
    addr: SocketAddr,
    dir: &Path,
    remove_at_exit: bool,
    quiet: bool,
) -> Result<u8> {
    let listener = super::serve::bind(addr).await?;
    let origin = start_origin(quiet).await?;
    let web = WebConfig {
        site_title: "newsdesk demo".into(),
        public_url: None,
        language: "en".into(),
        sample_data: true,
        country_names: sample_corpus().country_names(),
        ..WebConfig::default()
    };
    // Bodies are translated at ingest in the demo: no on-view translator is needed.
    let editions = Editions {
        list: ctx.config.editions.clone(),
        body_translator: None,
    };
    let status = SiteStatus::new();
    let store = ctx.store.clone();
    if !quiet {
        say!("newsdesk demo: sample data, fictional outlets");
        say!(
            "data: {}{}",
            dir.display(),
            if remove_at_exit {
                " (temporary: removed on Ctrl-C; --keep keeps it)"
            } else {
                ""
            }
        );
    }
    let progress = Progress::terminal_and_site(quiet, status.clone());
    progress.begin_sources(origin.sources.len() as u64);
    let background = {
        let (sources, progress, status) =
            (origin.sources.clone(), progress.clone(), status.clone());
        tokio::spawn(async move {
            let result = work(ctx, sources, progress.clone(), status, quiet).await;
            match &result {
                Ok(_) if !quiet => {
                    let _ = writeln_stdout("all sample articles are in; Ctrl-C stops the demo");
                }
                Ok(_) => {}
                Err(e) => {
                    progress.finish();
                    output::error(&format!("the demo's background work stopped: {e:#}"));
                }
            }
            result
        })
    };
    super::serve::serve_on(
        listener,
        store,
        web,
        editions,
        status,
        super::serve::ctrl_c(),
    )
    .await?;
    // Ctrl-C: stop the work if it still runs (the pages' note goes with it).
    let code = if background.is_finished() {
        match background.await {
            Ok(Ok(code)) => code,
            Ok(Err(e)) => return Err(e),
            Err(_) => output::EXIT_OK,
        }
    } else {
        background.abort();
        let _ = background.await;
        progress.finish();
        if !quiet {
            say!("stopped before the sample corpus was fully fetched");
        }
        output::EXIT_OK
    };
    drop(origin);
    Ok(code)
}

/// Removes the temporary data, or says where it is kept.
async fn leave_data(dir: &Path, remove: bool, quiet: bool) -> Result<()> {
    if remove {
        // A store task that was still running may create a file while the tree is removed:
        // try again a few times.
        let mut attempts = 0;
        loop {
            match std::fs::remove_dir_all(dir) {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(_) if attempts < 5 => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("cannot remove the demo's data {}", dir.display())
                    });
                }
            }
        }
        if !quiet {
            say!("removed the demo's temporary data {}", dir.display());
        }
    } else if !quiet {
        say!(
            "kept the demo's data in {}; `newsdesk --config {} serve --no-fetch` serves it again",
            dir.display(),
            dir.join(CONFIG_FILE_NAME).display()
        );
    }
    Ok(())
}

/// Adds the sample sources, fetches and translates them, and prints the summary; the exit code
/// says whether any source failed.
async fn work(
    ctx: Context,
    sources: Vec<DemoSource>,
    progress: Progress,
    status: SiteStatus,
    quiet: bool,
) -> Result<u8> {
    let fetcher = ctx.fetcher()?;
    for s in &sources {
        let mut new = NewSource {
            feed_url: s.feed_url.clone(),
            site_url: Some(s.site_url.clone()),
            name: Some(s.name.clone()),
            language: Some(s.language.clone()),
            country: Some(s.country.clone()),
        };
        let resolved = resolve_feed(&fetcher, &s.feed_url).await?;
        if resolved.page_url.is_some() && !quiet {
            progress_say(
                &progress,
                format!(
                    "  {}: found the feed {} ({})",
                    s.name, resolved.feed_url, resolved.how
                ),
            );
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
    let translation = edition_translation(&ctx).await;
    if let Some(t) = &translation {
        if !quiet && t.has_backends() {
            progress_say(
                &progress,
                format!(
                    "translation: {} available",
                    newsdesk_pipeline::text::counted(
                        t.pairs() as u64,
                        "language pair",
                        "language pairs"
                    )
                ),
            );
        }
        let warnings = super::serve::translation_warnings(&ctx, t);
        if !quiet {
            for w in &warnings {
                progress_warn(&progress, w);
            }
        }
        status.set_warnings(warnings);
    }
    let mut ingest = ctx.ingest()?;
    if let Some(t) = &translation {
        ingest = ingest.with_translation(t.clone());
    }
    progress.begin_sources(sources.len() as u64);
    let report = ingest.run_pass(sources, &progress).await;
    super::fetch::report_failures(&report, quiet);
    if !quiet {
        say!("{report}");
        if translation.is_some() {
            let (done, left) = translation_counts(&ctx);
            say!(
                "French edition: {} translated, {} left untranslated",
                newsdesk_pipeline::text::counted(done, "article", "articles"),
                left
            );
        }
    }
    Ok(output::pass_exit(report.failed(), report.results.len()))
}

/// A line on stdout, or the error (a closed pipe) to ignore.
fn writeln_stdout(line: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    writeln!(std::io::stdout(), "{line}")
}

/// A line on stdout that does not tear the progress display.
fn progress_say(progress: &Progress, line: String) {
    progress.suspend(|| {
        let _ = writeln_stdout(&line);
    });
}

/// A warning on stderr that does not tear the progress display.
fn progress_warn(progress: &Progress, line: &str) {
    progress.suspend(|| output::warning(line));
}

/// The translate stage for the demo's editions. Without Apertium the edition still works, says
/// its articles are untranslated, and the warnings say what to install.
async fn edition_translation(ctx: &Context) -> Option<EditionTranslation> {
    if !apertium_available() {
        // No backend: every article gets an "untranslated" row saying there is no route.
        let none = Translator::new(
            Vec::new(),
            Arc::new(MemoryCache::new()),
            TranslatorOptions::from(&ctx.config.translate),
        );
        return Some(EditionTranslation::new(
            ctx.store.clone(),
            Arc::new(none),
            ctx.config.editions.clone(),
        ));
    }
    match for_config(&ctx.config.pipeline(), &ctx.store).await {
        Ok(t) => t,
        Err(e) => {
            output::error(&format!("translation is off: {e:#}"));
            None
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

//! `newsdesk worker`: runs jobs from the work queue until Ctrl-C / SIGTERM (or, with
//! `--until-idle`, until there is nothing left to do).

use std::process::ExitCode;

use anyhow::{Result, bail};
use newsdesk_pipeline::stories::StoryStage;
use newsdesk_pipeline::worker::Worker;

use super::{Context, output};
use crate::cli::WorkerArgs;

/// Builds the worker from the configuration and the flags, runs it, prints its summary.
pub async fn run(ctx: Context, args: WorkerArgs, quiet: bool) -> Result<ExitCode> {
    let mut settings = ctx.config.worker.settings(&ctx.config.fetch);
    if let Some(n) = args.concurrency {
        if n == 0 {
            bail!("--concurrency must be at least 1");
        }
        settings.concurrency = n;
    }
    if let Some(secs) = args.lease_secs {
        if secs < 3 {
            bail!("--lease-secs must be at least 3");
        }
        settings.lease = std::time::Duration::from_secs(secs);
    }
    settings.until_idle = args.until_idle;
    settings.name = args.name.filter(|n| !n.trim().is_empty());
    let (translation, warnings) = super::serve::edition_translation(&ctx).await;
    if !quiet {
        for w in &warnings {
            output::warning(w);
        }
    }
    let stories = ctx
        .config
        .stories
        .enabled
        .then(|| StoryStage::from_config(&ctx.config.pipeline()));
    let worker = Worker::new(
        ctx.store.clone(),
        ctx.ingest()?,
        translation,
        stories,
        settings,
    );
    if !quiet && !args.json {
        eprintln!(
            "worker {} on {} (Ctrl-C to stop{})",
            worker.id(),
            ctx.store.location(),
            if args.until_idle {
                "; exits when the queue is empty"
            } else {
                ""
            }
        );
    }
    let report = worker.run(stop_signal()).await;
    if args.json {
        say!("{}", serde_json::to_string(&report)?);
    } else if !quiet {
        say!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM (what service managers send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    eprintln!("stopping: finishing the jobs in hand…");
}

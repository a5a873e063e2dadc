//! `newsdesk fetch`: one pass over every source.

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Context;
use crate::cli::FetchArgs;
use crate::pipeline::Progress;

/// Runs one pass and prints a summary line. Exits 0 even when some sources failed (their errors
/// are stored on the source and shown by `sources list`); 2 when every source failed.
pub async fn run(ctx: Context, args: FetchArgs, quiet: bool) -> Result<ExitCode> {
    let mut sources: Vec<_> = ctx
        .store
        .list_sources()?
        .into_iter()
        .map(|s| s.source)
        .collect();
    if !args.sources.is_empty() {
        for id in &args.sources {
            if !sources.iter().any(|s| s.id == *id) {
                bail!("no source with id {id} (see `newsdesk sources list`)");
            }
        }
        sources.retain(|s| args.sources.contains(&s.id));
    }
    if sources.is_empty() {
        if !quiet {
            say!("no sources to fetch; add one with `newsdesk sources add URL`");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let ingest = ctx.ingest()?;
    let progress = Progress::sources(sources.len() as u64, quiet);
    let report = ingest.run_pass(sources, &progress).await;
    if !quiet {
        for r in &report.results {
            if let crate::pipeline::ingest::SourceOutcome::Failed(msg) = &r.outcome {
                eprintln!("source {} ({}) failed: {msg}", r.source_id, r.name);
            }
        }
        say!("{report}");
    }
    if report.failed() == report.results.len() {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

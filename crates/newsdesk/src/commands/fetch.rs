//! `newsdesk fetch`: one pass over every source, or (`--due`) over the sources that are due.

use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::Utc;

use super::{Context, output};
use crate::cli::FetchArgs;
use newsdesk_pipeline::Progress;
use newsdesk_pipeline::ingest::SourceOutcome;

/// Runs one pass and prints a summary line, one line per failed source on stderr (also with
/// `-q`, which prints nothing else). Exits 0 when every source was fetched, 3 when some
/// failed, 2 when every source failed (see [`output::EXIT_CODES_HELP`]); the errors are also
/// stored on each source and shown by `sources list`.
///
/// Without `--source`, paused sources are skipped (`sources resume ID` resumes one); with
/// `--due`, only sources whose next-fetch time has come are fetched.
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
    } else {
        let paused = ctx.store.paused_sources()?;
        if !paused.is_empty() && !quiet {
            eprintln!(
                "skipping {}; `newsdesk sources resume ID` resumes one",
                newsdesk_pipeline::text::counted(
                    paused.len() as u64,
                    "paused source",
                    "paused sources"
                )
            );
        }
        sources.retain(|s| !paused.iter().any(|(id, _)| *id == s.id));
    }
    if args.due {
        let due = ctx.store.due_sources(Utc::now())?;
        // Keep the store's order: the most overdue first.
        let by_id: std::collections::HashMap<_, _> =
            sources.into_iter().map(|s| (s.id, s)).collect();
        sources = due.iter().filter_map(|id| by_id.get(id).cloned()).collect();
        if sources.is_empty() {
            if !quiet {
                say!("no source is due");
            }
            return Ok(ExitCode::SUCCESS);
        }
    }
    if sources.is_empty() {
        if !quiet {
            say!("no sources to fetch; add one with `newsdesk sources add URL`");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut ingest = ctx.ingest()?;
    let (translation, warnings) = super::serve::edition_translation(&ctx).await;
    if !quiet {
        for w in &warnings {
            output::warning(w);
        }
    }
    if let Some(t) = translation {
        ingest = ingest.with_translation(t);
    }
    let progress = Progress::sources(sources.len() as u64, quiet);
    let report = ingest.run_pass(sources, &progress).await;
    report_failures(&report, quiet);
    if !quiet {
        say!("{report}");
    }
    Ok(output::pass_exit_code(
        report.failed(),
        report.results.len(),
    ))
}

/// One line per failed source (always: these are errors) and per paused source (unless
/// `quiet`), on stderr.
pub fn report_failures(report: &newsdesk_pipeline::ingest::PassReport, quiet: bool) {
    for r in &report.results {
        if let SourceOutcome::Failed(msg) = &r.outcome {
            output::error(&format!(
                "source {} ({}) failed: {msg}",
                r.source_id, r.name
            ));
        }
        if let Some(reason) = &r.paused
            && !quiet
        {
            output::warning(&format!(
                "source {} ({}) paused: {reason}",
                r.source_id, r.name
            ));
        }
    }
}

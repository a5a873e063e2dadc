//! `newsdesk stories --stream` and `newsdesk copies`: the stories stage over JSONL on standard
//! input and output (the format of the stories benchmark: `{"id", "lang", "date", "title",
//! "text"}` per line in; `{"id", "cluster"}` or `{"id", "copy_of", "top"}` per line out).
//!
//! Both run the engine the pipeline runs, with the same settings: `[stories]` of the
//! configuration when one is found (`--config`, `NEWSDESK_CONFIG`, `./newsdesk.toml`), else the
//! defaults a new installation gets; with `[translate]` backends, the same pivot translation.

use std::io::{BufReader, BufWriter};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Result, bail};
use newsdesk_stories::{PivotTranslate, StoryConfig, run_copies, run_stories};

use super::Context;
use crate::config::Config;
use newsdesk_pipeline::stories::StoryStage;

/// The story stage's settings and pivot hook for a command-line run: the configuration's when
/// one is found, else the defaults. The database is opened only for a pivot translation (its
/// translation cache).
async fn stage(config: Option<&Path>) -> Result<(StoryConfig, Option<Arc<dyn PivotTranslate>>)> {
    let Ok(path) = Config::locate(config) else {
        return Ok((StoryStage::default().engine_config().clone(), None));
    };
    let config = Config::load(&path)?;
    let stage = StoryStage::from_config(&config.pipeline());
    let hook = if stage.has_pivot() {
        let ctx = Context::from_config(config)?;
        stage.hook(&ctx.store).await
    } else {
        None
    };
    Ok((stage.engine_config().clone(), hook))
}

/// Places every document of standard input into a story, online, and writes each one's final
/// story.
pub async fn stories(stream: bool, config: Option<&Path>, quiet: bool) -> Result<ExitCode> {
    if !stream {
        bail!("only the streaming mode exists so far: use `newsdesk stories --stream < IN.jsonl`");
    }
    let (config, pivot) = stage(config).await?;
    // The engine is synchronous and its pivot hook blocks on the runtime: off the async threads.
    let summary = tokio::task::spawn_blocking(move || {
        let input = BufReader::new(std::io::stdin().lock());
        let output = BufWriter::new(std::io::stdout().lock());
        run_stories(input, output, config, pivot)
    })
    .await??;
    if !quiet {
        eprintln!(
            "newsdesk: {} documents in {} stories",
            summary.documents, summary.found
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Links every document of standard input that copies (or translates) an earlier one to its
/// original.
pub async fn copies(config: Option<&Path>, quiet: bool) -> Result<ExitCode> {
    let (config, pivot) = stage(config).await?;
    let summary = tokio::task::spawn_blocking(move || {
        let input = BufReader::new(std::io::stdin().lock());
        let output = BufWriter::new(std::io::stdout().lock());
        run_copies(input, output, config, pivot)
    })
    .await??;
    if !quiet {
        eprintln!(
            "newsdesk: {} documents, {} copies linked",
            summary.documents, summary.found
        );
    }
    Ok(ExitCode::SUCCESS)
}

//! `newsdesk stories --stream` and `newsdesk copies`: the stories stage over JSONL on standard
//! input and output (the format of the stories benchmark: `{"id", "lang", "date", "title",
//! "text"}` per line in; `{"id", "cluster"}` or `{"id", "copy_of", "top"}` per line out).

use std::io::{BufReader, BufWriter};
use std::process::ExitCode;

use anyhow::{Result, bail};
use newsdesk_stories::{CopyConfig, StoryConfig, run_copies, run_stories};

/// Places every document of standard input into a story, online, and writes each one's final
/// story. `window_hours` bounds how long a story takes new articles (on the articles' dates).
pub fn stories(stream: bool, window_hours: i64, quiet: bool) -> Result<ExitCode> {
    if !stream {
        bail!("only the streaming mode exists so far: use `newsdesk stories --stream < IN.jsonl`");
    }
    if window_hours <= 0 {
        bail!("--window-hours must be at least 1");
    }
    let config = StoryConfig {
        window_hours,
        ..StoryConfig::default()
    };
    let input = BufReader::new(std::io::stdin().lock());
    let output = BufWriter::new(std::io::stdout().lock());
    let summary = run_stories(input, output, config)?;
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
pub fn copies(window_hours: i64, quiet: bool) -> Result<ExitCode> {
    if window_hours <= 0 {
        bail!("--window-hours must be at least 1");
    }
    let config = CopyConfig {
        window_hours,
        ..CopyConfig::default()
    };
    let input = BufReader::new(std::io::stdin().lock());
    let output = BufWriter::new(std::io::stdout().lock());
    let summary = run_copies(input, output, config)?;
    if !quiet {
        eprintln!(
            "newsdesk: {} documents, {} copies linked",
            summary.documents, summary.found
        );
    }
    Ok(ExitCode::SUCCESS)
}

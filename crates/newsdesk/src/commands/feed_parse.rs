//! `newsdesk feed-parse FILE`: one feed as JSON on standard output.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use newsdesk_feeds::DetailedFeed;

/// Prints the parsed feed as feedparser presents it ([`newsdesk_feeds::parse_feed_detailed`]). A document that is not a feed at all still prints
/// `{"wellformed": false, …}` with no entries (the error goes to stderr) and exits 0, so that
/// batch scorers can read every answer.
pub fn run(file: &Path, url: Option<&str>) -> Result<ExitCode> {
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    }
    let feed = match newsdesk_feeds::parse_feed_detailed(&bytes, url, None) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("newsdesk: {e}");
            DetailedFeed::default()
        }
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &feed)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

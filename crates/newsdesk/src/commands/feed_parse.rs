//! `newsdesk feed-parse FILE`: one feed as JSON on standard output.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use newsdesk_core::ParsedFeed;
use newsdesk_feeds::FeedparserView;
use serde::Serialize;

/// What `feed-parse` prints: the feedparser-shaped view at the top level (the format the
/// feed benchmark reads) and, under `parsed`, the [`ParsedFeed`] the view was made from.
#[derive(Serialize)]
struct Output {
    #[serde(flatten)]
    view: FeedparserView,
    parsed: ParsedFeed,
}

/// Parses FILE with [`newsdesk_feeds::parse_feed`], the parser `fetch` runs, and prints the
/// result: under `parsed` exactly the [`ParsedFeed`] the pipeline stores articles from, and at
/// the top level [`newsdesk_feeds::feedparser_view`] of that same value. A document that is not
/// a feed at all still prints `{"wellformed": false, …}` with no entries (the error goes to
/// stderr) and exits 0, so that batch scorers can read every answer.
pub fn run(file: &Path, url: Option<&str>) -> Result<ExitCode> {
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    }
    let parsed = match newsdesk_feeds::parse_feed(&bytes, url, None) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("newsdesk: {e}");
            ParsedFeed::default()
        }
    };
    let out = Output {
        view: newsdesk_feeds::feedparser_view(&parsed),
        parsed,
    };
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, &out)?;
    writeln!(stdout)?;
    Ok(ExitCode::SUCCESS)
}

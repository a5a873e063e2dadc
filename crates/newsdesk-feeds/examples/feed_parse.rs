//! Prints `parse_feed_detailed` of a file as JSON, like `newsdesk feed-parse FILE` (handy for
//! scoring this crate alone: `cargo run --release -p newsdesk-feeds --example feed_parse FILE`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: feed_parse FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("feed_parse: cannot read {path}: {e}");
            return ExitCode::from(1);
        }
    };
    let feed = newsdesk_feeds::parse_feed_detailed(&bytes, None, None).unwrap_or_else(|e| {
        eprintln!("feed_parse: {e}");
        newsdesk_feeds::DetailedFeed::default()
    });
    match serde_json::to_string_pretty(&feed) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("feed_parse: {e}");
            ExitCode::from(1)
        }
    }
}

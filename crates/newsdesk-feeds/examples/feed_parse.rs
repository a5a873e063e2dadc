//! Prints the JSON form of a parsed feed file, as `newsdesk feed-parse FILE` will:
//! `cargo run -p newsdesk-feeds --example feed_parse -- FILE [FEED_URL]`.
//!
//! A document that cannot be parsed still prints an object (empty feed, `wellformed: false`)
//! and exits 0; the error goes to stderr.

use newsdesk_core::ParsedFeed;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: feed_parse FILE [FEED_URL]");
        return std::process::ExitCode::from(2);
    };
    let feed_url = args.next();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("feed_parse: cannot read {path}: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let parsed = match newsdesk_feeds::parse_feed(&bytes, feed_url.as_deref(), None) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            ParsedFeed::default()
        }
    };
    match serde_json::to_string_pretty(&parsed) {
        Ok(json) => {
            println!("{json}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("feed_parse: {e}");
            std::process::ExitCode::from(1)
        }
    }
}

//! Development driver: `cargo run --example stories_jsonl -- copies|stories < IN > OUT`.

use std::io::{BufReader, BufWriter};

use newsdesk_stories::{StoryConfig, run_copies, run_stories};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let input = BufReader::new(std::io::stdin().lock());
    let output = BufWriter::new(std::io::stdout().lock());
    let mut config = StoryConfig::default();
    if let Ok(t) = std::env::var("JOIN") {
        config.join_threshold = t.parse()?;
    }
    if let Ok(t) = std::env::var("MERGE") {
        config.merge_threshold = t.parse()?;
    }
    if let Ok(t) = std::env::var("EW") {
        config.entity_weight = t.parse()?;
    }
    if let Ok(t) = std::env::var("TW") {
        config.title_weight = t.parse()?;
    }
    if let Ok(t) = std::env::var("WIN") {
        config.window_hours = t.parse()?;
    }
    if let Ok(t) = std::env::var("ES") {
        config.entity_share = t.parse()?;
    }
    if let Ok(t) = std::env::var("SPLIT") {
        config.split_ratio = t.parse()?;
    }
    if let Ok(t) = std::env::var("NG") {
        config.name_gram_weight = t.parse()?;
    }
    if std::env::var_os("FOLLOW").is_some() {
        config.follow_copies = true;
    }
    if let Ok(t) = std::env::var("CROSS") {
        config.cross_language_weight = t.parse()?;
    }
    let summary = match mode.as_str() {
        "copies" => run_copies(input, output, config, None)?,
        _ => run_stories(input, output, config, None)?,
    };
    eprintln!("{summary:?}");
    Ok(())
}

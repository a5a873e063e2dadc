//! Walks `tests/fixtures/`: each input file (one quirk per file, named after it) is parsed with
//! the feed URL `https://example.org/feed` and compared with its `.expected.json` (the JSON form
//! of `ParsedFeed`, or `{"error": "<message>"}`). Set `NEWSDESK_BLESS=1` to print the actual
//! output of fixtures whose expectation differs.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn actual(path: &Path) -> Value {
    let bytes = std::fs::read(path).expect("fixture readable");
    match newsdesk_feeds::parse_feed(&bytes, Some("https://example.org/feed"), None) {
        Ok(feed) => serde_json::to_value(&feed).expect("serialisable"),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

#[test]
fn fixtures_match_expected_json() {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 12, "fixtures missing: {inputs:?}");
    let mut failures = Vec::new();
    for input in &inputs {
        let expected_path = PathBuf::from(format!("{}.expected.json", input.display()));
        let got = actual(input);
        let expected: Value = match std::fs::read_to_string(&expected_path) {
            Ok(s) => serde_json::from_str(&s).expect("expected JSON is valid"),
            Err(_) => Value::Null,
        };
        if got != expected {
            if std::env::var_os("NEWSDESK_BLESS").is_some() {
                println!(
                    "=== {}\n{}",
                    expected_path.display(),
                    serde_json::to_string_pretty(&got).unwrap_or_default()
                );
            }
            failures.push(input.file_name().map(|n| n.to_string_lossy().into_owned()));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures differing from expectation: {failures:?}"
    );
}

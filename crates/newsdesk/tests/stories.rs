//! `newsdesk stories --stream` and `newsdesk copies`: the real binary, JSONL in and out.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const STREAM: &str = concat!(
    r#"{"id":"a","lang":"en","date":"2024-03-01T08:00:00Z","title":"Earthquake of magnitude 7.1 hits Chile","text":"A magnitude 7.1 earthquake struck near Valparaíso on Monday.\nAt least 12 people died, officials said."}"#,
    "\n",
    r#"{"id":"b","lang":"fr","date":"2024-03-01T09:00:00Z","title":"Séisme au Chili","text":"Un séisme de magnitude 7.1 a frappé Valparaiso lundi.\nAu moins 12 personnes sont mortes."}"#,
    "\n",
    r#"{"id":"c","lang":"en","date":"2024-03-01T10:00:00Z","title":"Norway passes its 2025 budget","text":"The parliament of Norway passed the 2025 budget in Oslo.\nThe debate lasted two days."}"#,
    "\n",
    r#"{"id":"d","lang":"en","date":"2024-03-01T11:00:00Z","title":"UPDATE: Norway passes its 2025 budget","text":"The parliament of Norway passed the 2025 budget in Oslo.\nThe debate lasted two days.\nAdvertisement"}"#,
    "\n",
);

fn answers(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn stories_stream_writes_one_cluster_per_document() {
    let (ok, out, err) = run(&["stories", "--stream"], STREAM);
    assert!(ok, "{err}");
    let a = answers(&out);
    let ids: Vec<&str> = a.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(a[0]["cluster"], a[1]["cluster"]);
    assert_eq!(a[2]["cluster"], a[3]["cluster"]);
    assert_ne!(a[0]["cluster"], a[2]["cluster"]);
    assert!(err.contains("4 documents in 2 stories"), "{err}");
}

#[test]
fn stories_without_stream_is_refused() {
    let (ok, out, err) = run(&["stories"], STREAM);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(err.contains("--stream"), "{err}");
}

#[test]
fn copies_links_the_copy_and_names_a_bad_line() {
    let (ok, out, err) = run(&["copies", "-q"], STREAM);
    assert!(ok, "{err}");
    let a = answers(&out);
    assert_eq!(a.len(), 4);
    assert_eq!(a[3]["copy_of"], "c");
    assert_eq!(a[3]["kind"], "copy");
    // "b" retells "a" in French paragraph by paragraph, with the same numbers: it may be
    // taken for a translation of "a", never for anything else.
    assert!(
        a[1]["copy_of"].is_null() || a[1]["copy_of"] == "a",
        "{}",
        a[1]
    );
    assert_eq!(a[0]["copy_of"], serde_json::Value::Null);
    assert_eq!(a[2]["copy_of"], serde_json::Value::Null);
    let (ok, _, err) = run(&["copies"], "{\"id\": 3}\n");
    assert!(!ok);
    assert!(err.contains("line 1"), "{err}");
}

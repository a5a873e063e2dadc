//! What the copy detector keeps per article in its window, counted by the allocator over real
//! news articles (the development pools in `../shared` next to the workspace), and that the compact window still
//! finds the same-language copies of that pool.

use chrono::{DateTime, Utc};
use newsdesk_stories::{Analysis, CopyConfig, CopyDetector, Document, LinkKind};

/// Resident memory of this process (VmRSS), in bytes.
fn rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The stories benchmark's development data: `../shared/bench/stories/data` next to the
/// workspace root.
fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/stories/data")
}

/// One development file's records; a missing file fails the test with a clear message.
fn read(name: &str) -> Vec<serde_json::Value> {
    let path = data_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "development data {} cannot be read ({e}): install ../shared next to the workspace",
            path.display()
        )
    });
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn documents(pool: &[serde_json::Value]) -> Vec<Document> {
    pool.iter()
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            let date = v["date"]
                .as_str()
                .and_then(|d| d.parse::<DateTime<Utc>>().ok());
            Document::new(s("id"), s("lang"), date, s("title"), s("text"))
        })
        .collect()
}

#[test]
fn copy_window_keeps_under_four_kilobytes_per_article_and_finds_every_copy() {
    let (pool, gold, copies) = (
        read("neardup.dev.jsonl"),
        read("neardup.dev.gold.jsonl"),
        read("copies.dev.jsonl"),
    );
    let docs = documents(&pool);
    let analyses: Vec<Analysis> = docs
        .iter()
        .map(|d| Analysis::of(&d.title, &d.text))
        .collect();
    let mut detector = CopyDetector::new(CopyConfig::default());
    let links: Vec<_> = docs
        .iter()
        .zip(&analyses)
        .map(|(doc, analysis)| detector.observe(doc, analysis).link)
        .collect();
    // Every same-language copy of the pool is linked to its original, and nothing else.
    let expected: std::collections::HashMap<&str, &str> = gold
        .iter()
        .filter_map(|g| Some((g["id"].as_str()?, g["copy_of"].as_str()?)))
        .collect();
    for (doc, link) in docs.iter().zip(&links) {
        let got = link
            .as_ref()
            .filter(|l| l.kind == LinkKind::Copy)
            .map(|l| l.original.as_str());
        assert_eq!(got, expected.get(doc.id.as_str()).copied(), "{}", doc.id);
    }

    // Both pools: what the window holds per article.
    let mut all = documents(&copies);
    all.extend(docs);
    let text_bytes: usize = all.iter().map(|d| d.title.len() + d.text.len()).sum();
    let analyses: Vec<Analysis> = all
        .iter()
        .map(|d| Analysis::of(&d.title, &d.text))
        .collect();
    let before = rss();
    // A window long enough to keep every article of the repeated pools.
    let mut detector = CopyDetector::new(CopyConfig {
        window_hours: 24 * 365,
        ..CopyConfig::default()
    });
    for (doc, analysis) in all.iter().zip(&analyses) {
        detector.observe(doc, analysis);
    }
    let n = detector.window_len();
    assert_eq!(n, all.len());
    let per_article = detector.memory_bytes() / n;
    println!(
        "copy window: {n} articles (texts average {} bytes): memory_bytes {} per article, RSS grew {} per article",
        text_bytes / all.len(),
        per_article,
        match (before, rss()) {
            (Some(b), Some(a)) => format!("{}", a.saturating_sub(b) / n),
            _ => "?".to_string(),
        }
    );
    assert!(per_article < 4096, "{per_article} bytes per article");
}

//! `extract_batch`: one JSON record per page, in the benchmark's format.

use std::collections::HashMap;

use newsdesk_extract::{extract_batch, read_url_map};

#[test]
fn batch_writes_one_record_per_page_and_survives_bad_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    let output = dir.path().join("out");
    std::fs::create_dir(&input).expect("mkdir");
    std::fs::write(
        input.join("good.html"),
        r#"<html><head><title>Good page | Site</title><meta property="og:site_name" content="Site">
        <meta name="author" content="By Ann Lee and Bo Chen">
        <meta property="article:published_time" content="2026-03-14T23:30:00-05:00"></head>
        <body><article><p>The first paragraph of the good page has plenty of words in it, so it scores.</p>
        <p>The second paragraph of the good page is also long enough to be part of the body.</p></article></body></html>"#,
    )
    .expect("write");
    std::fs::write(input.join("empty.html"), "").expect("write");
    std::fs::write(input.join("ignored.txt"), "not a page").expect("write");
    let urls_file = dir.path().join("urls.json");
    std::fs::write(
        &urls_file,
        r#"{"good": "https://site.example/news/good", "empty": ""}"#,
    )
    .expect("write");
    let urls: HashMap<String, String> = read_url_map(&urls_file).expect("url map");

    let report = extract_batch(&input, &output, &urls, 2).expect("batch");
    assert_eq!((report.pages, report.with_body, report.failed), (2, 1, 1));
    assert_eq!(report.failures[0].0, "empty");

    let good: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.join("good.json")).expect("good.json"))
            .expect("json");
    assert_eq!(good["title"], "Good page");
    assert_eq!(good["author"], "Ann Lee; Bo Chen");
    // The page's own calendar date, not the UTC one (2026-03-15).
    assert_eq!(good["date"], "2026-03-14");
    let body = good["articleBody"].as_str().expect("string body");
    assert!(
        body.starts_with("The first paragraph") && body.contains("\n\nThe second paragraph"),
        "{body}"
    );

    let empty: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.join("empty.json")).expect("empty.json"))
            .expect("json");
    for key in ["articleBody", "title", "author", "date"] {
        assert_eq!(empty[key], "", "{key}");
    }
    assert!(!output.join("ignored.json").exists());
}

#[test]
fn missing_input_dir_and_bad_url_map_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = extract_batch(
        &dir.path().join("nope"),
        &dir.path().join("out"),
        &HashMap::new(),
        1,
    )
    .expect_err("missing dir");
    assert!(err.to_string().starts_with("extract: cannot read"), "{err}");
    let bad = dir.path().join("urls.json");
    std::fs::write(&bad, "[1, 2]").expect("write");
    let err = read_url_map(&bad).expect_err("bad map");
    assert!(err.to_string().contains("invalid URL map"), "{err}");
}

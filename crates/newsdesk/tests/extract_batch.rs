//! `newsdesk extract --batch`, the extraction benchmark's interface: it must give what the
//! pipeline stores for the same page bytes, and survive bad pages.

mod support;

use support::{Site, start_origin_blocking};

fn record(dir: &std::path::Path, id: &str) -> serde_json::Value {
    let path = dir.join(format!("{id}.json"));
    serde_json::from_slice(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn batch(
    cwd: &std::path::Path,
    input: &std::path::Path,
    out: &std::path::Path,
    urls: &std::path::Path,
) -> std::process::Output {
    support::run(
        cwd,
        &[
            "extract",
            "--batch",
            input.to_str().expect("utf8"),
            out.to_str().expect("utf8"),
            "--urls",
            urls.to_str().expect("utf8"),
        ],
    )
}

#[test]
fn batch_record_is_what_fetch_stores_for_the_same_page() {
    let (origin, rt) = start_origin_blocking();
    let site = Site::new("");
    site.ok(&["sources", "add", &origin.url("/good/feed.xml")]);
    site.ok(&["fetch"]);
    let conn = rusqlite::Connection::open(site.db()).expect("open");
    let (url, stored_body, stored_authors): (String, String, String) = conn
        .query_row(
            "SELECT url, body_text, authors FROM articles WHERE origin_kind = 'page' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("an article extracted from its page");

    // The same bytes, through the benchmark interface.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let bytes = rt
        .block_on(async {
            let client = reqwest::Client::builder().no_proxy().build()?;
            client.get(&url).send().await?.bytes().await
        })
        .expect("page bytes");
    let input = site.path().join("pages");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("p.html"), &bytes).expect("write");
    let urls = site.path().join("urls.json");
    std::fs::write(&urls, serde_json::json!({ "p": url }).to_string()).expect("write");
    let out_dir = site.path().join("records");
    let out = batch(site.path(), &input, &out_dir, &urls);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rec = record(&out_dir, "p");
    assert!(!stored_body.is_empty());
    assert_eq!(rec["articleBody"], stored_body.as_str());
    let authors: Vec<String> = serde_json::from_str(&stored_authors).expect("authors JSON");
    assert_eq!(rec["author"], authors.join("; ").as_str());
}

#[test]
fn batch_writes_a_record_per_page_and_survives_bad_pages() {
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
    let urls = dir.path().join("urls.json");
    std::fs::write(
        &urls,
        r#"{"good": "https://site.example/news/good", "empty": ""}"#,
    )
    .expect("write");

    let out = batch(dir.path(), &input, &output, &urls);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 pages (1 with a body, 1 failed)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("empty:"),
        "the failed page is named: {stderr}"
    );

    let good = record(&output, "good");
    assert_eq!(good["title"], "Good page");
    assert_eq!(good["author"], "Ann Lee; Bo Chen");
    // The page's own calendar day, not the UTC one (2026-03-15).
    assert_eq!(good["date"], "2026-03-14");
    let body = good["articleBody"].as_str().expect("string body");
    assert!(
        body.starts_with("The first paragraph") && body.contains("\n\nThe second paragraph"),
        "{body}"
    );
    let empty = record(&output, "empty");
    for key in ["articleBody", "title", "author", "date"] {
        assert_eq!(empty[key], "", "{key}");
    }
    assert!(!output.join("ignored.json").exists());
}

#[test]
fn batch_reports_a_missing_input_directory_and_a_bad_url_map() {
    let dir = tempfile::tempdir().expect("tempdir");
    let urls = dir.path().join("urls.json");
    std::fs::write(&urls, "{}").expect("write");
    let out = batch(
        dir.path(),
        &dir.path().join("nope"),
        &dir.path().join("out"),
        &urls,
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read") && stderr.contains("nope"),
        "{stderr}"
    );

    std::fs::create_dir(dir.path().join("in")).expect("mkdir");
    std::fs::write(&urls, "[1, 2]").expect("write");
    let out = batch(
        dir.path(),
        &dir.path().join("in"),
        &dir.path().join("out"),
        &urls,
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("JSON object of id"), "{stderr}");
}

//! The HTML pages, headers, conditional requests, stylesheet, health check and feeds, against
//! the real server on a real SQLite file and on a real PostgreSQL database.
#![allow(clippy::unwrap_used)] // test bodies run as plain functions on both backends

mod common;

use std::collections::HashSet;

use common::{ARTICLES, Backend, TestServer, attrs, check_html5, client, fill, get, texts};
use newsdesk_web::WebConfig;

/// The policy without its `script-src`, which allows the one inline script by its hash.
const CSP: &str = "default-src 'none'; img-src * data:; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Asserts that a response's CSP is [`CSP`] plus `script-src 'sha256-…'` and nothing looser,
/// and returns the hash source (`'sha256-…'`).
fn assert_csp(value: &reqwest::header::HeaderValue, what: &str) -> String {
    let v = value.to_str().expect("CSP is ASCII");
    let (before, rest) = v
        .split_once("script-src ")
        .unwrap_or_else(|| panic!("{what}: no script-src in {v}"));
    let (source, after) = rest
        .split_once("; ")
        .unwrap_or_else(|| panic!("{what}: {v}"));
    assert!(
        source.starts_with("'sha256-") && source.ends_with('\'') && source.len() == 53,
        "{what}: script-src {source}"
    );
    assert_eq!(format!("{before}{after}"), CSP, "{what}");
    source.to_string()
}

async fn index_lists_latest_articles_with_links_times_languages_and_images(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    let (status, headers, body) = get(&c, &server.url("/")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "title"), ["Latest articles · newsdesk"]);
    let titles = texts(&doc, ".card-title a");
    assert_eq!(titles.len(), 30);
    assert!(titles[0].starts_with("Story 0:"), "{titles:?}");
    assert!(titles[1].starts_with("Story 1:"), "{titles:?}");
    // Title links go to the article page, source links to the source page.
    assert!(attrs(&doc, ".card-title a", "href")[0].starts_with("/articles/"));
    assert!(attrs(&doc, ".card .source", "href")[0].starts_with("/sources/"));
    assert_eq!(texts(&doc, ".card .source")[0], "Le Quotidien Fictif");
    // Each title and lead carries the article's language.
    assert_eq!(attrs(&doc, ".card-title", "lang")[..3], ["fr", "en", "de"]);
    assert_eq!(attrs(&doc, ".card .lead", "lang")[..3], ["fr", "en", "de"]);
    // Relative times inside <time datetime title>.
    let times = texts(&doc, ".card time");
    assert_eq!(times[0], "1 min ago", "{times:?}");
    assert_eq!(times[2], "1 h ago", "{times:?}");
    assert!(times.iter().any(|t| t.ends_with(" h ago")), "{times:?}");
    let datetimes = attrs(&doc, ".card time", "datetime");
    assert!(chrono::DateTime::parse_from_rfc3339(&datetimes[0]).is_ok());
    assert!(attrs(&doc, ".card time", "title")[0].ends_with(" UTC"));
    // Lead images: lazy, no alt text, no referrer.
    let img = scraper::Selector::parse(".card img").unwrap();
    let first = doc.select(&img).next().expect("a lead image");
    assert_eq!(first.value().attr("loading"), Some("lazy"));
    assert_eq!(first.value().attr("alt"), Some(""));
    assert_eq!(first.value().attr("referrerpolicy"), Some("no-referrer"));
    assert_eq!(
        first.value().attr("src"),
        Some("https://img.news.example/0.jpg")
    );
    assert_eq!(texts(&doc, ".pager a[rel=next]"), ["Older articles →"]);
    assert!(!body.contains("Sample data"));
    server.stop().await;
}

/// Every time on a page is a `<time datetime>` in UTC (relative text with the exact time in the
/// title, or the exact time as text), and the page's one executable script is the one whose
/// hash the CSP allows.
async fn times_are_utc_time_elements_and_the_only_script_is_the_hashed_one(backend: Backend) {
    use base64::Engine as _;
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    let (_, _, home) = get(&c, &server.url("/")).await;
    let doc = check_html5(&home, "en");
    let article = attrs(&doc, ".card-title a", "href")[0].clone();
    let source = attrs(&doc, ".card .source", "href")[0].clone();
    for path in ["/", article.as_str(), source.as_str(), "/sources"] {
        let (status, headers, body) = get(&c, &server.url(path)).await;
        assert_eq!(status, 200, "{path}");
        let allowed = assert_csp(&headers["content-security-policy"], path);
        let doc = check_html5(&body, "en");
        let script = scraper::Selector::parse("script").unwrap();
        let scripts: Vec<_> = doc.select(&script).collect();
        let words: serde_json::Value =
            serde_json::from_str(&scripts[0].text().collect::<String>()).expect("words JSON");
        assert_eq!(words["lang"], "en", "{path}");
        assert_eq!(words["time-hours-ago"]["other"], "{n} h ago", "{path}");
        let code: String = scripts[1].text().collect();
        let digest = ring::digest::digest(&ring::digest::SHA256, code.as_bytes());
        assert_eq!(
            allowed,
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
            ),
            "{path}: the CSP allows exactly the page's script"
        );
        let time = scraper::Selector::parse("time").unwrap();
        let mut seen = 0;
        for t in doc.select(&time) {
            seen += 1;
            let v = t.value();
            let datetime = v.attr("datetime").expect("datetime");
            let instant = chrono::DateTime::parse_from_rfc3339(datetime)
                .unwrap_or_else(|e| panic!("{path}: {datetime}: {e}"));
            assert!(datetime.ends_with('Z'), "{path}: {datetime}");
            // The exact time in the page's language, stated as UTC, from the same instant.
            let exact = instant.format("%-d %b %Y, %H:%M UTC").to_string();
            let text: String = t.text().collect();
            match v.attr("data-time") {
                Some("ago") => {
                    assert_eq!(v.attr("title"), Some(exact.as_str()), "{path}");
                    assert!(
                        text == "just now" || text.ends_with(" ago"),
                        "{path}: {text}"
                    );
                }
                Some("exact") => assert_eq!(text, exact, "{path}"),
                other => panic!("{path}: a <time> without data-time: {other:?}"),
            }
        }
        if path != "/sources" {
            assert!(seen > 0, "{path}: no <time>");
        }
    }
    server.stop().await;
}

async fn older_links_walk_every_article_exactly_once(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    let mut seen = Vec::new();
    let mut next = Some("/".to_string());
    let mut pages = 0;
    while let Some(path) = next.take() {
        pages += 1;
        assert!(pages < 10, "pagination does not end");
        let (status, _, body) = get(&c, &server.url(&path)).await;
        assert_eq!(status, 200, "{path}");
        let doc = check_html5(&body, "en");
        seen.extend(texts(&doc, ".card-title a"));
        next = attrs(&doc, ".pager a[rel=next]", "href").pop();
        if let Some(n) = &next {
            assert!(n.starts_with("/?before="), "{n}");
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), ARTICLES);
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), ARTICLES);
    for (i, title) in seen.iter().enumerate() {
        assert!(title.starts_with(&format!("Story {i}:")), "{i}: {title}");
    }
    server.stop().await;
}

async fn article_page_shows_body_source_links_and_notes(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    // Story 3 is a feed summary (i % 5 == 3) in German? 3 % 3 == 0 → French.
    let page = server
        .store
        .list_articles(&Default::default())
        .expect("list");
    let story3 = page
        .items
        .iter()
        .find(|a| a.title.starts_with("Story 3:"))
        .unwrap();
    let story4 = page
        .items
        .iter()
        .find(|a| a.title.starts_with("Story 4:"))
        .unwrap();

    let (status, _, body) = get(&c, &server.url(&format!("/articles/{}", story3.id))).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(
        texts(&doc, "title"),
        ["Story 3: le conseil municipal vote le budget · newsdesk"]
    );
    assert_eq!(attrs(&doc, "h1", "lang"), ["fr"]);
    assert_eq!(attrs(&doc, ".story-body", "lang"), ["fr"]);
    assert!(texts(&doc, ".story-body")[0].contains("Body of story 3, first paragraph."));
    // Source link at the top and at the end, to the original, with noopener.
    let originals = attrs(&doc, ".source-link a", "href");
    assert_eq!(
        originals,
        ["https://fr.news.example/3", "https://fr.news.example/3"]
    );
    assert_eq!(
        attrs(&doc, ".source-link a", "rel"),
        ["noopener noreferrer", "noopener noreferrer"]
    );
    assert!(texts(&doc, ".source-link")[0].starts_with("Source:"));
    assert_eq!(
        attrs(&doc, ".meta .source", "href"),
        [format!("/sources/{}", story3.source_id)]
    );
    // Body links get rel=noopener noreferrer.
    assert_eq!(attrs(&doc, ".story-body a", "rel"), ["noopener noreferrer"]);
    // Feed-summary note, and the reserved translation slot.
    let note = texts(&doc, ".origin-note");
    assert_eq!(note.len(), 1);
    assert!(
        note[0].contains("article page answered HTTP 403"),
        "{note:?}"
    );
    assert_eq!(attrs(&doc, "section.translation-note", "hidden"), [""]);
    // Relative in the text, exact (in the page's language, UTC) in the title and beside it.
    assert!(texts(&doc, ".meta time")[0].contains("ago"));
    assert!(attrs(&doc, ".meta time", "title")[0].ends_with(" UTC"));
    assert!(texts(&doc, ".meta")[0].contains(" UTC)"));

    // Story 4 is a page with authors and a lead image, and no summary note.
    let (status, _, body) = get(&c, &server.url(&format!("/articles/{}", story4.id))).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert!(texts(&doc, ".origin-note").is_empty());
    assert_eq!(texts(&doc, ".authors span"), ["Ada Lovelace, Alan Turing"]);
    assert_eq!(
        attrs(&doc, ".lead-image img", "src"),
        ["https://img.news.example/4.jpg"]
    );
    server.stop().await;
}

async fn sources_pages_show_feed_status_errors_and_articles(backend: Backend) {
    let mut fx = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| fx = Some(fill(s))).await;
    let fx = fx.unwrap();
    let c = client();
    let (status, _, body) = get(&c, &server.url("/sources")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "title"), ["Sources · newsdesk"]);
    let names = texts(&doc, ".source-card h2 a");
    assert_eq!(names.len(), 3);
    for name in [
        "Le Quotidien Fictif",
        "The Daily Sample",
        "Beispiel Zeitung",
    ] {
        assert!(names.iter().any(|n| n == name), "{names:?}");
    }
    let urls = texts(&doc, ".facts dd.url a");
    assert!(
        urls.iter().any(|u| u == "https://daily.example/feed.atom"),
        "{urls:?}"
    );
    let errors = texts(&doc, ".facts dd.error-text");
    assert_eq!(
        errors,
        ["fetch: HTTP 503 for https://daily.example/feed.atom"]
    );
    let statuses = texts(&doc, ".status");
    for s in ["ok", "failed", "never"] {
        assert!(statuses.iter().any(|x| x == s), "{statuses:?}");
    }
    let dd = texts(&doc, ".facts dd");
    assert!(
        dd.iter().any(|d| d == "24"),
        "article count of the French source: {dd:?}"
    );
    assert!(dd.iter().any(|d| d == "United Kingdom"), "{dd:?}");

    // One source: its facts and its articles only, paginated.
    let (status, _, body) = get(&c, &server.url(&format!("/sources/{}", fx.en))).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "h1"), ["The Daily Sample"]);
    assert_eq!(texts(&doc, ".facts dd.error-text").len(), 1);
    let titles = texts(&doc, ".card-title a");
    assert_eq!(titles.len(), 23);
    assert!(
        titles
            .iter()
            .all(|t| t.ends_with("council approves the budget"))
    );
    assert!(texts(&doc, ".pager a[rel=next]").is_empty());

    // The French source has 24 articles: walk with the smaller page.
    let (_, _, body) = get(&c, &server.url(&format!("/sources/{}", fx.fr))).await;
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, ".card-title a").len(), 24);
    assert_eq!(texts(&doc, ".status"), ["ok"]);
    server.stop().await;
}

async fn unknown_and_malformed_ids_answer_html_error_pages(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    for (path, status) in [
        ("/articles/999999", 404),
        ("/articles/abc", 400),
        ("/articles/-3", 400),
        ("/sources/999", 404),
        ("/sources/x1", 400),
        ("/?before=junk", 400),
        ("/sources/1?before=1.x", 400),
        ("/no/such/page", 404),
        ("/static/style.0000.css", 404),
    ] {
        let (got, headers, body) = get(&c, &server.url(path)).await;
        assert_eq!(got, status, "{path}");
        assert_eq!(
            headers["content-type"], "text/html; charset=utf-8",
            "{path}"
        );
        assert_eq!(headers["cache-control"], "no-store", "{path}");
        assert_csp(&headers["content-security-policy"], path);
        let doc = check_html5(&body, "en");
        let h1 = texts(&doc, "h1");
        assert!(h1[0].starts_with(&status.to_string()), "{path}: {h1:?}");
    }
    let (_, _, body) = get(&c, &server.url("/?before=junk")).await;
    assert!(body.contains("`before`"), "the message names the parameter");
    // Wrong method on a page: 405, still an HTML page.
    let response = c.post(server.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("405 Method Not Allowed")
    );
    server.stop().await;
}

async fn every_response_has_security_headers_and_pages_are_cacheable_with_etags(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    for path in [
        "/",
        "/sources",
        "/feed.atom",
        "/feed.rss",
        "/feed.json",
        "/api/v1/articles",
        "/healthz",
    ] {
        let (status, headers, _) = get(&c, &server.url(path)).await;
        assert_eq!(status, 200, "{path}");
        assert_csp(&headers["content-security-policy"], path);
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
    }
    for path in [
        "/",
        "/sources",
        "/sources/1",
        "/articles/1",
        "/feed.atom",
        "/feed.json",
        "/api/v1/articles",
        "/api/v1/sources/1",
    ] {
        let (status, headers, body) = get(&c, &server.url(path)).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(headers["cache-control"], "public, max-age=60", "{path}");
        let etag = headers["etag"].to_str().unwrap().to_string();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() == 66,
            "{etag}"
        );
        // Same content, same tag.
        let (_, again, _) = get(&c, &server.url(path)).await;
        assert_eq!(again["etag"], etag.as_str(), "{path}");
        // If-None-Match → 304 without a body.
        let response = c
            .get(server.url(path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 304, "{path}");
        assert_eq!(response.headers()["etag"], etag.as_str());
        assert_csp(&response.headers()["content-security-policy"], path);
        assert!(response.bytes().await.unwrap().is_empty());
        // A stale tag gets the full answer.
        let response = c
            .get(server.url(path))
            .header("if-none-match", "\"stale\"")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), body);
    }
    server.stop().await;
}

async fn etag_changes_when_content_changes(backend: Backend) {
    let config = WebConfig {
        cache_ttl_ms: 0,
        ..WebConfig::default()
    };
    let server = TestServer::start(backend, config, |s| {
        fill(s);
    })
    .await;
    let c = client();
    let (_, before, _) = get(&c, &server.url("/api/v1/sources")).await;
    server
        .store
        .add_source(&newsdesk_core::NewSource::new("https://late.example/feed"))
        .unwrap();
    let response = c
        .get(server.url("/api/v1/sources"))
        .header("if-none-match", before["etag"].clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_ne!(response.headers()["etag"], before["etag"]);
    server.stop().await;
}

async fn micro_cache_answers_repeats_from_memory_and_expires(backend: Backend) {
    let config = WebConfig {
        cache_ttl_ms: 300,
        ..WebConfig::default()
    };
    let server = TestServer::start(backend, config, |s| {
        fill(s);
    })
    .await;
    let c = client();
    let url = server.url("/api/v1/sources");
    let first = c.get(&url).send().await.unwrap();
    assert!(
        first.headers().get("x-cache").is_none(),
        "first answer is rendered"
    );
    let tag = first.headers()["etag"].clone();
    let before = first.text().await.unwrap();
    server
        .store
        .add_source(&newsdesk_core::NewSource::new("https://late.example/feed"))
        .unwrap();
    // Within the TTL: the same bytes, from memory, still honouring If-None-Match.
    let hit = c.get(&url).send().await.unwrap();
    assert_eq!(hit.headers()["x-cache"], "hit");
    assert!(
        hit.headers().get("content-security-policy").is_some(),
        "security headers on hits"
    );
    assert_eq!(hit.text().await.unwrap(), before);
    let revalidated = c
        .get(&url)
        .header("if-none-match", tag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304);
    // After the TTL: the new source shows.
    tokio::time::sleep(std::time::Duration::from_millis(350)).await;
    let fresh = c.get(&url).send().await.unwrap();
    assert!(fresh.headers().get("x-cache").is_none());
    assert_ne!(fresh.headers()["etag"], tag);
    assert!(fresh.text().await.unwrap().contains("late.example"));
    // Health checks are never cached.
    let h1 = c.get(server.url("/healthz")).send().await.unwrap();
    let h2 = c.get(server.url("/healthz")).send().await.unwrap();
    assert!(h1.headers().get("x-cache").is_none() && h2.headers().get("x-cache").is_none());
    server.stop().await;
}

async fn stylesheet_is_served_with_long_immutable_cache_and_gzip(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |_| {}).await;
    let c = client();
    let (_, _, body) = get(&c, &server.url("/")).await;
    let doc = check_html5(&body, "en");
    let href = attrs(&doc, "link[rel=stylesheet]", "href").remove(0);
    assert!(
        href.starts_with("/static/style.") && href.ends_with(".css"),
        "{href}"
    );
    let (status, headers, css) = get(&c, &server.url(&href)).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/css; charset=utf-8");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(css.contains("@media"), "responsive rules");
    assert!(
        !css.contains("http"),
        "no external requests from the stylesheet"
    );
    // gzip when asked (a client that does not decompress, to see the encoding).
    let raw = reqwest::Client::builder()
        .no_proxy()
        .no_gzip()
        .build()
        .unwrap();
    let response = raw
        .get(server.url(&href))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let gz = response.bytes().await.unwrap();
    assert_eq!(&gz[..2], &[0x1f, 0x8b], "gzip magic");
    assert!(gz.len() < css.len());
    // Empty store: the index says so.
    assert!(body.contains("No articles"));
    server.stop().await;
}

async fn sample_data_banner_site_title_and_language_come_from_config(backend: Backend) {
    let config = WebConfig {
        site_title: "Morning <Desk>".into(),
        public_url: Some("https://news.example.org/".into()),
        sample_data: true,
        language: "fr".into(),
        cache_ttl_ms: 1000,
        ..WebConfig::default()
    };
    let server = TestServer::start(backend, config, |s| {
        fill(s);
    })
    .await;
    let c = client();
    for path in ["/", "/sources", "/sources/1", "/articles/1", "/articles/0"] {
        let (_, _, body) = get(&c, &server.url(path)).await;
        let doc = check_html5(&body, "fr");
        assert_eq!(
            texts(&doc, ".sample-banner"),
            ["Sample data — fictional outlets and events"],
            "{path}"
        );
        assert_eq!(texts(&doc, ".brand"), ["Morning <Desk>"]);
        assert!(body.contains("Morning &lt;Desk&gt;"));
    }
    server.stop().await;
}

async fn empty_home_says_how_to_add_a_source_and_running_work_is_reported(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |_| {}).await;
    let c = client();
    let (status, _, body) = get(&c, &server.url("/")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "p.empty"), ["No articles yet."]);
    assert!(texts(&doc, ".empty-hint")[0].contains("Add a news source"));
    assert!(texts(&doc, "pre.commands")[0].contains("newsdesk sources add https://example.org/"));
    assert!(texts(&doc, ".busy-note").is_empty());

    // Background work (the demo's first fetch): every page says so; the hint waits.
    server.status.set_work(Some(newsdesk_web::WorkProgress {
        phase: newsdesk_web::WorkPhase::Fetching,
        sources_done: 1,
        sources_total: 8,
        articles_done: 1,
        articles_total: 12,
        elapsed_secs: 1,
    }));
    server.status.set_warnings(vec![
        "the fr edition has no translation route from de".into(),
    ]);
    // The micro-cache holds a page for up to a second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, _, body) = get(&c, &server.url("/")).await;
    let doc = check_html5(&body, "en");
    assert_eq!(
        texts(&doc, ".busy-note"),
        [
            "Still fetching: 1 of 8 sources read, 1 article stored so far. This page fills in as articles arrive; reload it in a moment."
        ]
    );
    assert!(texts(&doc, ".empty-hint").is_empty());
    let (status, _, body) = get(&c, &server.url("/healthz")).await;
    assert_eq!(status, 200);
    // The elapsed time goes on from the clock (set at 1 s, read more than a second later).
    assert!(
        body.starts_with(
            "ok\nwarning: the fr edition has no translation route from de\nworking: fetching, 1/8 sources, 1/12 articles, "
        ) && !body.ends_with(", 1 s")
            && body.ends_with(" s"),
        "{body}"
    );
    let (status, _, body) = get(&c, &server.url("/status")).await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["work"]["phase"], "fetching");
    assert_eq!(v["work"]["sources_total"], 8);
    assert_eq!(
        v["warnings"][0],
        "the fr edition has no translation route from de"
    );
    // Story placement after the fetch: the note says the articles are all there.
    server.status.set_work(Some(newsdesk_web::WorkProgress {
        phase: newsdesk_web::WorkPhase::Stories,
        sources_done: 0,
        sources_total: 0,
        articles_done: 0,
        articles_total: 0,
        elapsed_secs: 3,
    }));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, _, body) = get(&c, &server.url("/sources")).await;
    let doc = check_html5(&body, "en");
    assert!(
        texts(&doc, ".busy-note")[0].starts_with("Still grouping the new articles into stories")
    );
    server.status.set_work(None);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, _, body) = get(&c, &server.url("/status")).await;
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert!(v["work"].is_null());
    server.stop().await;
}

async fn healthz_answers_ok_then_503_when_the_database_is_gone(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |_| {}).await;
    let c = client();
    let (status, headers, body) = get(&c, &server.url("/healthz")).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    // Take the database away under the server.
    match backend {
        Backend::Sqlite => assert!(
            rusqlite_free_break(std::path::Path::new(&server.database_url)),
            "database broken"
        ),
        Backend::Postgres => drop_postgres_database(&server.database_url),
    }
    let (status, headers, body) = get(&c, &server.url("/healthz")).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    server.stop().await;
}

/// Drops the PostgreSQL database behind `url`, ending the server's connections to it (its
/// pool then fails to reconnect).
fn drop_postgres_database(url: &str) {
    let (admin, name) = url.rsplit_once('/').expect("database URL");
    let admin = format!("{admin}/postgres");
    let sql = format!("DROP DATABASE \"{name}\" WITH (FORCE)");
    // The synchronous client runs its own runtime: off the test's async thread.
    std::thread::spawn(move || {
        let mut client = ::postgres::Client::connect(&admin, ::postgres::NoTls).expect("connect");
        client.batch_execute(&sql).expect("drop database");
    })
    .join()
    .expect("drop thread");
}

/// Makes the database unusable without another SQLite binding: the file is replaced by junk
/// that is not a database (the server's open connections then fail on their next query).
fn rusqlite_free_break(db: &std::path::Path) -> bool {
    let junk = vec![b'x'; 64 * 1024];
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::write(std::path::PathBuf::from(p), &junk);
    }
    true
}

async fn feeds_parse_and_link_original_articles(backend: Backend) {
    let config = WebConfig {
        public_url: Some("https://news.example.org".into()),
        ..Default::default()
    };
    let mut fx = None;
    let server = TestServer::start(backend, config, |s| fx = Some(fill(s))).await;
    let fx = fx.unwrap();
    let c = client();

    for (path, mime) in [
        ("/feed.atom", "application/atom+xml; charset=utf-8"),
        ("/feed.rss", "application/rss+xml; charset=utf-8"),
    ] {
        let (status, headers, body) = get(&c, &server.url(path)).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], mime);
        let feed = feed_rs::parser::parse(body.as_bytes()).expect(path);
        assert_eq!(feed.entries.len(), 50, "{path}");
        let first = &feed.entries[0];
        assert!(
            first
                .title
                .as_ref()
                .unwrap()
                .content
                .starts_with("Story 0:")
        );
        assert_eq!(first.links[0].href, "https://fr.news.example/0", "{path}");
        assert!(!first.id.is_empty());
        assert!(first.published.is_some(), "{path}");
        let ids: HashSet<_> = feed.entries.iter().map(|e| e.id.clone()).collect();
        assert_eq!(ids.len(), 50, "ids are unique");
        let content = first
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| first.summary.as_ref().map(|s| s.content.clone()))
            .unwrap();
        assert!(
            content.contains("<p>Body of story 0, first paragraph.</p>"),
            "{path}: {content}"
        );
        // The entry names its source.
        assert!(body.contains("Le Quotidien Fictif"));
    }
    let (_, _, atom) = get(&c, &server.url("/feed.atom")).await;
    assert!(atom.contains("<source><id>https://quotidien.example/rss.xml</id>"));
    assert!(atom.contains("<id>https://news.example.org/articles/"));
    assert!(atom.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://news.example.org/feed.atom\"/>"));
    let (_, _, rss) = get(&c, &server.url("/feed.rss")).await;
    assert!(rss.contains(
        "<source url=\"https://quotidien.example/rss.xml\">Le Quotidien Fictif</source>"
    ));
    assert!(rss.contains("<pubDate>"));

    // JSON Feed 1.1.
    let (status, headers, body) = get(&c, &server.url("/feed.json")).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-type"],
        "application/feed+json; charset=utf-8"
    );
    let feed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://news.example.org/feed.json");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert_eq!(items[0]["url"], "https://fr.news.example/0");
    assert_eq!(items[0]["authors"][0]["name"], "Ada Lovelace");
    assert_eq!(
        items[1]["authors"][0]["name"], "The Daily Sample",
        "no author: the source"
    );
    assert_eq!(items[0]["_newsdesk"]["source_name"], "Le Quotidien Fictif");
    assert_eq!(
        items[0]["_newsdesk"]["source_feed_url"],
        "https://quotidien.example/rss.xml"
    );
    assert!(
        items[0]["content_html"]
            .as_str()
            .unwrap()
            .contains("Body of story 0")
    );
    assert!(
        chrono::DateTime::parse_from_rfc3339(items[0]["date_published"].as_str().unwrap()).is_ok()
    );
    assert!(feed.to_string().contains("\"_newsdesk\""));

    // Filters.
    let (_, _, body) = get(&c, &server.url("/feed.json?lang=de")).await;
    let feed: serde_json::Value = serde_json::from_str(&body).unwrap();
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 23);
    assert!(items.iter().all(|i| i["language"] == "de"));
    let (_, _, body) = get(&c, &server.url(&format!("/feed.atom?source={}", fx.en))).await;
    let feed = feed_rs::parser::parse(body.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 23);
    assert!(feed.title.unwrap().content.contains("The Daily Sample"));
    let (status, _, _) = get(&c, &server.url("/feed.rss?lang=french")).await;
    assert_eq!(status, 400);
    server.stop().await;
}

async fn search_page_shows_a_form_and_results(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    let (status, _, body) = get(&c, &server.url("/search")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "title"), ["Search · newsdesk"]);
    assert_eq!(attrs(&doc, "form[role=search]", "action"), ["/search"]);
    assert_eq!(attrs(&doc, "form[role=search]", "method"), ["get"]);
    assert!(texts(&doc, ".card").is_empty());

    let (status, _, body) = get(&c, &server.url("/search?q=conseil+municipal")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(
        texts(&doc, "title"),
        ["Search: conseil municipal · newsdesk"]
    );
    assert_eq!(attrs(&doc, "input[name=q]", "value"), ["conseil municipal"]);
    let titles = texts(&doc, ".card-title a");
    assert_eq!(titles.len(), 24);
    assert!(titles.iter().all(|t| t.contains("conseil municipal")));
    assert_eq!(
        texts(&doc, ".result-count"),
        ["24 results, best match first."]
    );

    let (_, _, body) = get(&c, &server.url("/search?q=zzzzunfindable")).await;
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, ".empty"), ["No article matches every word."]);
    server.stop().await;
}

common::on_both_backends!(
    index_lists_latest_articles_with_links_times_languages_and_images,
    times_are_utc_time_elements_and_the_only_script_is_the_hashed_one,
    older_links_walk_every_article_exactly_once,
    article_page_shows_body_source_links_and_notes,
    sources_pages_show_feed_status_errors_and_articles,
    unknown_and_malformed_ids_answer_html_error_pages,
    every_response_has_security_headers_and_pages_are_cacheable_with_etags,
    etag_changes_when_content_changes,
    micro_cache_answers_repeats_from_memory_and_expires,
    stylesheet_is_served_with_long_immutable_cache_and_gzip,
    sample_data_banner_site_title_and_language_come_from_config,
    empty_home_says_how_to_add_a_source_and_running_work_is_reported,
    healthz_answers_ok_then_503_when_the_database_is_gone,
    feeds_parse_and_link_original_articles,
    search_page_shows_a_form_and_results,
);

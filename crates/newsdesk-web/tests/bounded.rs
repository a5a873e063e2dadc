//! Hostile load stays bounded (issue 19): deeply nested stored bodies render quickly on every
//! uncached view; the generous time bounds are the (each case once took seconds).

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::{TestServer, client, get};
use newsdesk_core::{ContentOrigin, NewArticle, NewSource, hostile};
use newsdesk_web::WebConfig;

/// The bound for optimised builds; unoptimised test builds get ten times as long
/// (still far below the 3.5-3.9 s each view once took).
fn bound(release: Duration) -> Duration {
    if cfg!(debug_assertions) {
        release * 10
    } else {
        release
    }
}

/// A store with one source and one article whose stored body is `body_html` as given (as a
/// row written before bodies were bounded at ingest would be).
fn one_article(store: &newsdesk_store::Store, body_html: String) -> i64 {
    let source = store
        .add_source(&NewSource {
            feed_url: "http://127.0.0.1:9/feed.xml".into(),
            site_url: Some("http://127.0.0.1:9/".into()),
            name: Some("Deep".into()),
            language: Some("en".into()),
            country: None,
        })
        .expect("add source");
    let now = Utc::now();
    let ids = store
        .insert_articles(&[NewArticle {
            source_id: source.id,
            entry_key: "deep-1".into(),
            url: "http://127.0.0.1:9/deep".into(),
            canonical_url: None,
            title: "Deep".into(),
            authors: vec![],
            published_at: Some(now),
            modified_at: None,
            fetched_at: now,
            lead_image: None,
            language: Some("en".into()),
            summary: None,
            body_html,
            body_text: "deep".into(),
            tags: vec![],
            origin: ContentOrigin::Page,
        }])
        .expect("insert");
    ids[0].expect("inserted")
}

#[tokio::test]
async fn stored_deep_blockquote_article_renders_quickly_uncached() {
    let body = hostile::deep_blockquote_html(40_000);
    let mut id = 0;
    let config = WebConfig {
        cache_ttl_ms: 0,
        ..WebConfig::default()
    };
    let server = TestServer::start(config, |s| id = one_article(s, body)).await;
    let client = client();
    for path in [
        format!("/articles/{id}"),
        format!("/api/v1/articles/{id}"),
        "/feed.atom".to_string(),
    ] {
        // the first request warms templates and the connection; the next ones are timed
        let _ = get(&client, &server.url(&path)).await;
        for _ in 0..3 {
            let t = Instant::now();
            let (status, _, text) = get(&client, &server.url(&path)).await;
            let took = t.elapsed();
            assert_eq!(status, 200, "{path}");
            assert!(text.contains("deep"), "{path}");
            assert!(
                text.matches("blockquote>").count() <= 2 * newsdesk_extract::MAX_HTML_DEPTH,
                "{path}: nesting not bounded"
            );
            assert!(took < bound(Duration::from_millis(50)), "{path}: {took:?}");
        }
    }
    server.stop().await;
}

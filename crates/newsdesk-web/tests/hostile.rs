//! Hostile content: titles, bodies, source names, errors and URLs full of `<script>`,
//! event handlers, `javascript:` links, `</title>` and broken markup. Every page, feed and API
//! answer must render it inert.
#![allow(clippy::unwrap_used)] // test bodies run as plain functions on both backends

mod common;

use chrono::{Duration, Utc};
use common::{Backend, TestServer, check_html5, client, get, texts};
use newsdesk_core::{ContentOrigin, FetchState, FetchStatus, NewArticle, NewSource};
use newsdesk_web::WebConfig;

const EVIL_TITLE: &str = "</title><script>alert('title')</script><!-- \"quoted\" & <b>bold";
const EVIL_BODY: &str = r#"<p onclick="alert(1)">Hello</p><script>alert('body')</script>
<a href="javascript:alert('link')">click</a><a href=" JaVaScRiPt:alert(2)">click2</a>
<img src="x" onerror="alert('img')"><iframe src="https://evil.example/"></iframe>
<svg onload="alert(1)"><circle r="1"/></svg><object data="x.swf"></object>
<math><mtext></p><style><img src=x onerror=alert(1)></style></mtext></math>
<form action="https://evil.example/"><input name="q"></form><base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<div><p>unclosed <b>broken <i>markup <a href="https://fine.example/ok">kept link</a>"#;

fn hostile_fill(store: &newsdesk_store::Store) -> (i64, i64) {
    let source = store
        .add_source(&NewSource {
            feed_url: "javascript:alert('feed')".into(),
            site_url: Some("javascript:alert('site')".into()),
            name: Some("Evil <script>alert('src')</script> News\" onmouseover=\"alert(1)".into()),
            language: Some("\"><script>alert('lang')</script>".into()),
            country: Some("<b>XX</b>".into()),
        })
        .expect("add hostile source");
    let mut state = FetchState::never(source.id);
    state.last_status = FetchStatus::Failed;
    state.last_error = Some("<img src=x onerror=alert('err')> failed".into());
    state.last_fetch_at = Some(Utc::now());
    store.save_fetch_state(&state).expect("save fetch state");
    let now = Utc::now();
    let evil = NewArticle {
        source_id: source.id,
        entry_key: "evil-1".into(),
        url: "javascript:alert('url')".into(),
        canonical_url: Some("javascript:alert('canonical')".into()),
        title: EVIL_TITLE.into(),
        authors: vec!["<script>alert('author')</script>".into()],
        published_at: Some(now - Duration::minutes(3)),
        modified_at: None,
        fetched_at: now,
        lead_image: Some("javascript:alert('img')".into()),
        language: Some("\"><script>alert(1)</script>".into()),
        summary: Some("<img src=x onerror=alert('summary')>".into()),
        body_html: EVIL_BODY.into(),
        body_text: "Hello".into(),
        tags: vec!["<script>alert('tag')</script>".into()],
        origin: ContentOrigin::FeedSummary {
            reason: "<script>alert('reason')</script>".into(),
        },
    };
    let sneaky = NewArticle {
        entry_key: "evil-2".into(),
        url: "https://ok.example/a?x=\"><script>alert(3)</script>".into(),
        canonical_url: None,
        title: "Sneaky \u{0} control \u{1b} characters".into(),
        lead_image: Some("https://img.example/x.jpg\" onerror=\"alert(1)".into()),
        language: Some("en".into()),
        origin: ContentOrigin::Page,
        published_at: Some(now - Duration::minutes(5)),
        ..evil.clone()
    };
    let ids = store
        .insert_articles(&[evil, sneaky])
        .expect("insert hostile articles");
    (source.id, ids[0].expect("inserted"))
}

/// Asserts that an HTML fragment or document holds nothing that can run.
fn assert_inert(html: &str, context: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{context}: <script in {html}");
    assert!(!lower.contains("<iframe"), "{context}: <iframe");
    assert!(!lower.contains("<object"), "{context}: <object");
    assert!(!lower.contains("<base"), "{context}: <base");
    assert!(!lower.contains("http-equiv"), "{context}: meta refresh");
    let doc = scraper::Html::parse_document(html);
    let all = scraper::Selector::parse("*").expect("selector");
    for element in doc.select(&all) {
        let name = element.value().name();
        assert!(
            !matches!(
                name,
                "script" | "iframe" | "object" | "embed" | "style" | "base" | "svg" | "math"
            ),
            "{context}: <{name}> survived"
        );
        if name == "form" {
            // Only the site's own search form.
            assert_eq!(
                element.value().attr("action"),
                Some("/search"),
                "{context}: foreign <form>"
            );
        }
        for (attr, value) in element.value().attrs() {
            assert!(!attr.starts_with("on"), "{context}: {attr}= on <{name}>");
            assert_ne!(attr, "style", "{context}: style attribute");
            if matches!(attr, "href" | "src" | "action" | "formaction" | "data") {
                let v = value.trim().to_ascii_lowercase();
                assert!(
                    v.starts_with("http://")
                        || v.starts_with("https://")
                        || v.starts_with('/')
                        || v.starts_with("?")
                        || v.starts_with("data:,")
                        || v.starts_with("#"),
                    "{context}: {attr}={value:?} on <{name}>"
                );
            }
        }
    }
}

async fn every_page_renders_hostile_content_inert(backend: Backend) {
    let mut ids = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        ids = Some(hostile_fill(s))
    })
    .await;
    let (source_id, article_id) = ids.unwrap();
    let c = client();
    for path in [
        "/".to_string(),
        "/sources".to_string(),
        format!("/sources/{source_id}"),
        format!("/articles/{article_id}"),
        format!("/articles/{}", article_id + 1),
        "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_string(),
        "/nothing/%3Cscript%3E".to_string(),
        "/search?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_string(),
        "/search?q=alert".to_string(),
        "/?before=%3Cscript%3Ealert(1)%3C/script%3E".to_string(),
    ] {
        let (status, _, body) = get(&c, &server.url(&path)).await;
        assert!(matches!(status, 200 | 400 | 404), "{path}: {status}");
        assert_inert(common::without_site_scripts(&body), &path);
        check_html5(&body, "en");
    }
    // The hostile title is shown as text, intact, in <title> and <h1>.
    let (_, _, body) = get(&c, &server.url(&format!("/articles/{article_id}"))).await;
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "title"), [format!("{EVIL_TITLE} · newsdesk")]);
    assert_eq!(texts(&doc, "h1"), [EVIL_TITLE]);
    // An unusable language is not copied into lang attributes.
    let langs: Vec<String> = common::attrs(&doc, "[lang]", "lang");
    assert!(langs.iter().all(|l| l.is_empty() || l == "en"), "{langs:?}");
    // The javascript: original is not linked; the kept link is.
    assert!(texts(&doc, ".source-link")[0].contains("not a web address"));
    assert!(
        common::attrs(&doc, ".story-body a", "href")
            .contains(&"https://fine.example/ok".to_string())
    );
    assert!(texts(&doc, ".origin-note")[0].contains("<script>alert('reason')</script>"));
    // The sneaky image URL with a quote stays inside its attribute, percent-encoded.
    let (_, _, body) = get(&c, &server.url("/")).await;
    let doc = check_html5(&body, "en");
    let srcs = common::attrs(&doc, ".card img", "src");
    assert_eq!(srcs, ["https://img.example/x.jpg%22%20onerror=%22alert(1)"]);
    server.stop().await;
}

async fn feeds_carry_hostile_content_escaped_and_sanitised(backend: Backend) {
    let mut ids = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        ids = Some(hostile_fill(s))
    })
    .await;
    let _ = ids.unwrap();
    let c = client();
    for path in ["/feed.atom", "/feed.rss"] {
        let (status, _, body) = get(&c, &server.url(path)).await;
        assert_eq!(status, 200);
        // Markup from the content never appears unescaped in the XML.
        assert!(!body.to_ascii_lowercase().contains("<script"), "{path}");
        let feed =
            feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(feed.entries.len(), 2);
        for entry in &feed.entries {
            assert!(
                entry.links.iter().all(|l| l.href.starts_with("https://")),
                "{path}: {:?}",
                entry.links
            );
            let html = entry
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
                .unwrap_or_default();
            assert!(!html.is_empty(), "{path}: content");
            assert_inert(&html, path);
        }
        let titles: Vec<String> = feed
            .entries
            .iter()
            .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
            .collect();
        assert!(
            titles.iter().any(|t| t.contains("alert('title')")),
            "{path}: title kept as text {titles:?}"
        );
    }
    let (_, _, body) = get(&c, &server.url("/feed.json")).await;
    let feed: serde_json::Value = serde_json::from_str(&body).unwrap();
    for item in feed["items"].as_array().unwrap() {
        assert_inert(item["content_html"].as_str().unwrap(), "feed.json");
        if let Some(url) = item["url"].as_str() {
            assert!(url.starts_with("https://"), "{url}");
        }
        if let Some(image) = item["image"].as_str() {
            assert!(image.starts_with("https://"), "{image}");
        }
    }
    server.stop().await;
}

async fn api_serves_sanitised_bodies_and_json_escaped_text(backend: Backend) {
    let mut ids = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        ids = Some(hostile_fill(s))
    })
    .await;
    let (source_id, article_id) = ids.unwrap();
    let c = client();
    let (status, headers, body) =
        get(&c, &server.url(&format!("/api/v1/articles/{article_id}"))).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let a: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(a["title"], EVIL_TITLE, "data is returned as data");
    let body_html = a["body_html"].as_str().unwrap();
    assert_inert(body_html, "api body_html");
    assert!(body_html.contains("https://fine.example/ok"));
    assert!(body_html.contains("Hello"));
    let (status, _, body) = get(&c, &server.url(&format!("/api/v1/sources/{source_id}"))).await;
    assert_eq!(status, 200);
    let s: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(s["name"].as_str().unwrap().contains("<script>"));
    // Hostile parameters come back quoted and shortened in JSON errors.
    let (status, _, body) = get(
        &c,
        &server.url(&format!(
            "/api/v1/articles?lang=%3Cscript%3E{}",
            "x".repeat(500)
        )),
    )
    .await;
    assert_eq!(status, 400);
    let e: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(e["error"]["message"].as_str().unwrap().len() < 300);
    server.stop().await;
}

/// Every URL field of a JSON record, at any depth.
fn url_fields(v: &serde_json::Value, out: &mut Vec<(String, serde_json::Value)>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                if ["url", "canonical_url", "lead_image", "site_url", "feed_url"]
                    .contains(&k.as_str())
                {
                    out.push((k.clone(), x.clone()));
                } else {
                    url_fields(x, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| url_fields(x, out)),
        _ => {}
    }
}

async fn no_javascript_or_data_url_leaves_the_api(backend: Backend) {
    let mut ids = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        ids = Some(hostile_fill(s))
    })
    .await;
    let (source_id, article_id) = ids.unwrap();
    let c = client();
    let mut seen = 0;
    for path in [
        "/api/v1/articles".to_string(),
        format!("/api/v1/articles/{article_id}"),
        "/api/v1/sources".to_string(),
        format!("/api/v1/sources/{source_id}"),
        "/api/v1/search?q=Hello".to_string(),
    ] {
        let (status, _, body) = get(&c, &server.url(&path)).await;
        assert_eq!(status, 200, "{path}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let mut fields = Vec::new();
        url_fields(&v, &mut fields);
        assert!(!fields.is_empty(), "{path}: no URL fields");
        for (k, x) in fields {
            seen += 1;
            match x.as_str() {
                None => assert!(x.is_null(), "{path}: {k} = {x}"),
                Some(u) => assert!(
                    u.starts_with("http://") || u.starts_with("https://"),
                    "{path}: {k} = {u}"
                ),
            }
        }
    }
    assert!(seen > 10);
    // the article stored with `javascript:` URLs has them as null
    let (_, _, body) = get(&c, &server.url(&format!("/api/v1/articles/{article_id}"))).await;
    let a: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(a["url"].is_null() && a["canonical_url"].is_null() && a["lead_image"].is_null());
    server.stop().await;
}

common::on_both_backends!(
    every_page_renders_hostile_content_inert,
    feeds_carry_hostile_content_escaped_and_sanitised,
    api_serves_sanitised_bodies_and_json_escaped_text,
    no_javascript_or_data_url_leaves_the_api,
);

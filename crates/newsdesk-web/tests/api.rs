//! The JSON API: filters, cursors, limits, errors, unknown routes and methods (the OpenAPI
//! document is checked against every answer in `api_schema.rs`).
#![allow(clippy::unwrap_used)] // test bodies run as plain functions on both backends

mod common;

use std::collections::HashSet;

use common::{ARTICLES, Backend, TestServer, client, fill, get};
use newsdesk_web::WebConfig;
use serde_json::Value;

async fn json(c: &reqwest::Client, url: &str) -> (u16, String, Value) {
    let response = c.get(url).send().await.expect("request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    let body = response.text().await.expect("body");
    let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{url}: {e}: {body}"));
    (status, content_type, value)
}

fn assert_error(value: &Value, code: &str, mentions: &str) {
    assert_eq!(value["error"]["code"], code, "{value}");
    let message = value["error"]["message"].as_str().expect("message");
    assert!(
        message.contains(mentions),
        "{message:?} should mention {mentions:?}"
    );
}

async fn articles_list_pages_with_cursor_and_limit(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    let (status, content_type, first) = json(&c, &server.url("/api/v1/articles")).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/json");
    assert_eq!(
        first["items"].as_array().unwrap().len(),
        50,
        "default limit"
    );
    let item = &first["items"][0];
    assert!(item["title"].as_str().unwrap().starts_with("Story 0:"));
    assert_eq!(item["url"], "https://fr.news.example/0");
    assert_eq!(item["source_name"], "Le Quotidien Fictif");
    assert_eq!(item["language"], "fr");

    // Walk everything with limit=16.
    let mut seen = Vec::new();
    let mut url = server.url("/api/v1/articles?limit=16");
    loop {
        let (status, _, page) = json(&c, &url).await;
        assert_eq!(status, 200);
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 16);
        seen.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
        match page["next"].as_str() {
            // A ready-to-follow URL on this server, with the same limit.
            Some(next) => {
                assert!(next.starts_with(&server.base), "{next}");
                assert!(next.contains("limit=16&before="), "{next}");
                url = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), ARTICLES);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), ARTICLES);
    let (_, _, all) = json(&c, &server.url("/api/v1/articles?limit=200")).await;
    assert_eq!(all["items"].as_array().unwrap().len(), ARTICLES);
    assert!(all["next"].is_null());
    server.stop().await;
}

async fn articles_filters_by_source_language_and_time(backend: Backend) {
    let mut fx = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| fx = Some(fill(s))).await;
    let fx = fx.unwrap();
    let c = client();
    let (_, _, page) = json(
        &c,
        &server.url(&format!("/api/v1/articles?source={}&limit=200", fx.de)),
    )
    .await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 23);
    assert!(items.iter().all(|i| i["source_id"] == fx.de));

    let (_, _, page) = json(&c, &server.url("/api/v1/articles?lang=EN&limit=200")).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 23);
    assert!(items.iter().all(|i| i["language"] == "en"));

    // since/until: a window around stories 10..=19.
    let (_, _, all) = json(&c, &server.url("/api/v1/articles?limit=200")).await;
    let at = |i: usize| all["items"][i]["sort_at"].as_str().unwrap().to_string();
    let (since, until) = (at(19), at(9));
    let url = reqwest::Url::parse_with_params(
        &server.url("/api/v1/articles"),
        &[("since", since.as_str()), ("until", until.as_str())],
    )
    .unwrap();
    let (status, _, page) = json(&c, url.as_str()).await;
    assert_eq!(status, 200, "{page}");
    let titles: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 10, "{titles:?}");
    assert!(titles[0].starts_with("Story 10:") && titles[9].starts_with("Story 19:"));

    // Unknown source: an empty page, not an error.
    let (status, _, page) = json(&c, &server.url("/api/v1/articles?source=9999")).await;
    assert_eq!(status, 200);
    assert!(page["items"].as_array().unwrap().is_empty());
    server.stop().await;
}

async fn bad_filters_answer_400_naming_the_parameter(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    for (query, parameter) in [
        ("limit=0", "`limit`"),
        ("limit=201", "`limit`"),
        ("limit=ten", "`limit`"),
        ("lang=english", "`lang`"),
        ("lang=e1", "`lang`"),
        ("source=-1", "`source`"),
        ("source=abc", "`source`"),
        ("since=yesterday", "`since`"),
        ("until=2026-13-01T00:00:00Z", "`until`"),
        (
            "since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z",
            "`until`",
        ),
        ("before=12", "`before`"),
        ("before=a.b", "`before`"),
        ("lang=fr&lang=de", "`lang`"),
        ("sort=asc", "`sort`"),
    ] {
        let (status, content_type, value) =
            json(&c, &server.url(&format!("/api/v1/articles?{query}"))).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(content_type, "application/json");
        assert_error(&value, "bad_request", parameter);
    }
    server.stop().await;
}

async fn one_article_in_full_and_sources(backend: Backend) {
    let mut fx = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| fx = Some(fill(s))).await;
    let fx = fx.unwrap();
    let c = client();
    let (_, _, list) = json(&c, &server.url("/api/v1/articles?limit=5")).await;
    let id = list["items"][3]["id"].as_i64().unwrap();
    let (status, _, a) = json(&c, &server.url(&format!("/api/v1/articles/{id}"))).await;
    assert_eq!(status, 200);
    assert_eq!(a["id"], id);
    assert!(a["title"].as_str().unwrap().starts_with("Story 3:"));
    assert_eq!(a["url"], "https://fr.news.example/3");
    assert_eq!(a["source"]["id"], fx.fr);
    assert_eq!(a["source"]["name"], "Le Quotidien Fictif");
    assert_eq!(a["origin"]["kind"], "feed_summary");
    assert_eq!(a["origin"]["reason"], "article page answered HTTP 403");
    let body = a["body_html"].as_str().unwrap();
    assert!(
        body.contains("<p>Body of story 3, first paragraph.</p>"),
        "{body}"
    );
    assert!(body.contains("rel=\"noopener noreferrer\""), "{body}");
    assert!(
        a["body_text"]
            .as_str()
            .unwrap()
            .starts_with("Body of story 3")
    );

    let (status, _, sources) = json(&c, &server.url("/api/v1/sources")).await;
    assert_eq!(status, 200);
    let items = sources["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let en = items.iter().find(|s| s["id"] == fx.en).unwrap();
    assert_eq!(en["name"], "The Daily Sample");
    assert_eq!(en["fetch"]["last_status"], "failed");
    assert_eq!(
        en["fetch"]["last_error"],
        "fetch: HTTP 503 for https://daily.example/feed.atom"
    );
    assert_eq!(en["article_count"], 23);

    let (status, _, one) = json(&c, &server.url(&format!("/api/v1/sources/{}", fx.fr))).await;
    assert_eq!(status, 200);
    assert_eq!(one["feed_url"], "https://quotidien.example/rss.xml");
    assert_eq!(one["article_count"], 24);
    server.stop().await;
}

async fn errors_are_json_under_api_for_ids_routes_and_methods(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    for (path, status, code, mentions) in [
        ("/api/v1/articles/999999", 404, "not_found", "999999"),
        ("/api/v1/articles/abc", 400, "bad_request", "`id`"),
        ("/api/v1/articles/0", 400, "bad_request", "`id`"),
        ("/api/v1/sources/4242", 404, "not_found", "4242"),
        ("/api/v1/sources/1.5", 400, "bad_request", "`id`"),
        ("/api/v1/nothing", 404, "not_found", "/api/v1/nothing"),
        ("/api/v2/articles", 404, "not_found", "/api/v2/articles"),
        ("/api", 404, "not_found", "/api"),
    ] {
        let (got, content_type, value) = json(&c, &server.url(path)).await;
        assert_eq!(got, status, "{path}");
        assert_eq!(content_type, "application/json", "{path}");
        assert_error(&value, code, mentions);
    }
    for method in [
        reqwest::Method::POST,
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
    ] {
        let response = c
            .request(method.clone(), server.url("/api/v1/articles"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method}");
        assert!(
            response.headers()["allow"]
                .to_str()
                .unwrap()
                .contains("GET")
        );
        let value: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_error(&value, "method_not_allowed", "/api/v1/articles");
    }
    // A body over the limit is refused before any handler runs.
    let response = c
        .post(server.url("/api/v1/articles"))
        .body(vec![b'x'; 200 * 1024])
        .send()
        .await
        .unwrap();
    assert!(
        matches!(response.status().as_u16(), 405 | 413),
        "{}",
        response.status()
    );
    let value: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert!(value["error"]["code"].is_string());
    // HEAD works like GET without a body.
    let response = c.head(server.url("/api/v1/sources")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    server.stop().await;
}

async fn search_finds_words_in_titles_and_texts(backend: Backend) {
    let server = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let c = client();
    let (status, _, found) = json(&c, &server.url("/api/v1/search?q=Stadtrat&limit=200")).await;
    assert_eq!(status, 200);
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 23);
    assert!(items.iter().all(|i| i["language"] == "de"));
    let (_, _, found) = json(&c, &server.url("/api/v1/search?q=story%2042%20paragraph")).await;
    let titles: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].starts_with("Story 42:"));
    // Query syntax is plain text, never an error.
    let (status, _, found) = json(&c, &server.url("/api/v1/search?q=%22NEAR(%20*%20-AND")).await;
    assert_eq!(status, 200);
    assert!(found["items"].as_array().unwrap().is_empty());
    // So are control characters, NUL included (PostgreSQL's text cannot hold NUL).
    for q in ["Stadt%00rat", "%00", "Stadtrat%00*"] {
        let (status, _, found) = json(&c, &server.url(&format!("/api/v1/search?q={q}"))).await;
        assert_eq!(status, 200, "{q}: {found}");
        let (status, _, page) = get(&c, &server.url(&format!("/search?q={q}"))).await;
        assert_eq!(status, 200, "{q}: {page}");
    }
    for (query, parameter) in [
        ("", "`q`"),
        ("q=", "`q`"),
        ("q=x&limit=0", "`limit`"),
        ("q=x&page=2", "`page`"),
    ] {
        let (status, _, value) = json(&c, &server.url(&format!("/api/v1/search?{query}"))).await;
        assert_eq!(status, 400, "{query}");
        assert_error(&value, "bad_request", parameter);
    }
    let long = "a".repeat(201);
    let (status, _, value) = json(&c, &server.url(&format!("/api/v1/search?q={long}"))).await;
    assert_eq!(status, 400);
    assert_error(&value, "bad_request", "200 characters");
    server.stop().await;
}

async fn every_list_pages_with_next_urls_and_link_headers(backend: Backend) {
    let server = TestServer::start_with_editions(backend, WebConfig::default(), vec!["fr"], |s| {
        fill(s);
        // Articles in pairs: half as many stories (lists show stories of two or more).
        let inputs = s.story_inputs_after(0, 10_000).unwrap();
        let placements: Vec<newsdesk_store::NewPlacement> = inputs
            .iter()
            .map(|a| newsdesk_store::NewPlacement {
                article: a.id,
                story: (a.id + 1) / 2,
                similarity: 1.0,
                link: None,
                merged: vec![],
                moved: vec![],
                titles: vec![((a.id + 1) / 2, format!("Story {}", (a.id + 1) / 2))],
            })
            .collect();
        s.record_placements(&placements, 0, 0, b"{}").unwrap();
    })
    .await;
    let c = client();
    // Walk each list by its `next` URLs; the Link header says the same.
    for (start, key) in [
        ("/api/v1/articles?limit=7", "id"),
        ("/api/v1/stories?limit=7&sort=newest&utm_source=x", "id"),
        ("/api/v1/search?q=Story&limit=7", "id"),
        ("/api/v1/sources?limit=2", "id"),
    ] {
        let mut url = server.url(start);
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let response = c.get(&url).send().await.unwrap();
            assert_eq!(response.status(), 200, "{url}");
            let link = response
                .headers()
                .get("link")
                .map(|v| v.to_str().unwrap().to_string());
            let page: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
            pages += 1;
            seen.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i[key].as_i64().unwrap()),
            );
            match page["next"].as_str() {
                Some(next) => {
                    assert!(next.starts_with(&server.base), "{next}");
                    assert!(!next.contains("utm_"), "{next}");
                    assert_eq!(link, Some(format!("<{next}>; rel=\"next\"")));
                    url = next.to_string();
                }
                None => {
                    assert_eq!(link, None, "{url}");
                    break;
                }
            }
        }
        let unique: HashSet<_> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{start}: no repeats");
        let want = if start.contains("sources") {
            3
        } else if start.contains("stories") {
            ARTICLES / 2
        } else {
            ARTICLES
        };
        assert_eq!(seen.len(), want, "{start}: everything, in {pages} pages");
        assert!(pages > 1, "{start}");
    }
    // The last page by offset.
    let (status, _, page) = json(&c, &server.url("/api/v1/stories?limit=5&offset=30")).await;
    assert_eq!(status, 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert!(page["next"].is_null());
    // An unknown edition is a clear 400; a configured one is fine.
    for path in [
        "/api/v1/articles?edition=zz",
        "/api/v1/stories?edition=zz",
        "/api/v1/stories/1?lang=de",
    ] {
        let (status, _, err) = json(&c, &server.url(path)).await;
        assert_eq!(status, 400, "{path}");
        assert!(err.to_string().contains("editions: fr"), "{path}: {err}");
    }
    assert_eq!(
        json(&c, &server.url("/api/v1/articles?edition=fr")).await.0,
        200
    );
    // Tracking parameters are ignored on every HTML page.
    for path in [
        "/stories",
        "/sources",
        "/search",
        "/fr/stories",
        "/?x=1",
        "/articles/1",
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = server.url(&format!(
            "{path}{sep}utm_source=x&utm_medium=y&fbclid=z&gclid=w"
        ));
        let status = c.get(&url).send().await.unwrap().status().as_u16();
        assert_eq!(status, 200, "{url}");
    }
    server.stop().await;
}

common::on_both_backends!(
    articles_list_pages_with_cursor_and_limit,
    articles_filters_by_source_language_and_time,
    bad_filters_answer_400_naming_the_parameter,
    one_article_in_full_and_sources,
    errors_are_json_under_api_for_ids_routes_and_methods,
    search_finds_words_in_titles_and_texts,
    every_list_pages_with_next_urls_and_link_headers,
);

//! Stories and provenance on the site and in the API: `/stories`, `/stories/{id}`, the story
//! link and the "Translated copy of … published by … 2 h earlier" note on article pages, and
//! `/api/v1/stories`, `/api/v1/stories/{id}` and the links on `/api/v1/articles/{id}`.

mod common;

use chrono::{Duration, Utc};
use common::{Backend, TestServer, article, check_html5, client, fill, get, texts};
use newsdesk_store::{LinkEvidence, NewLink, NewPlacement};
use newsdesk_web::WebConfig;
use serde_json::Value;

/// Ids of the articles this test adds: (original, translated copy, other report).
struct Ids {
    original: i64,
    copy: i64,
    other: i64,
}

fn placement(article: i64, story: i64, title: &str, link: Option<NewLink>) -> NewPlacement {
    NewPlacement {
        article,
        story,
        similarity: 0.6,
        link,
        merged: vec![],
        moved: vec![],
        titles: vec![(story, title.to_owned())],
    }
}

fn setup(store: &newsdesk_store::Store) -> Ids {
    let fx = fill(store);
    let t0 = Utc::now() - Duration::hours(6);
    let mut original = article(fx.en, "en", 900, t0);
    original.title = "Lumen probe survives comet flyby".into();
    let mut copy = article(fx.fr, "fr", 901, t0 + Duration::hours(2));
    copy.title = "La sonde Lumen survit à la comète".into();
    let mut other = article(fx.de, "de", 902, t0 + Duration::hours(3));
    other.title = "Sonde <script>alert(1)</script> Lumen".into();
    let ids: Vec<i64> = [original, copy, other]
        .iter()
        .map(|a| {
            store
                .insert_article(a)
                .expect("stories web test")
                .expect("stories web test")
        })
        .collect();
    let link = NewLink {
        kind: "translated_copy".into(),
        original: ids[0],
        matched: ids[0],
        confidence: 0.97,
        evidence: vec![
            LinkEvidence {
                signal: "names".into(),
                detail: "lumen, hesper <b>bold</b>".into(),
            },
            LinkEvidence {
                signal: "paragraph_structure".into(),
                detail: "5 paragraphs, length ratios deviate 4 % on average".into(),
            },
        ],
    };
    // A small older story from the fixture's two oldest articles (stored last).
    let page = store.story_inputs_after(0, 200).expect("stories web test");
    let (a, b) = (page[68].id, page[69].id);
    store
        .record_placements(
            &[
                placement(a, 7, "Budget vote", None),
                placement(b, 7, "Budget vote", None),
                placement(ids[0], 12, "Lumen probe survives comet flyby", None),
                placement(ids[1], 12, "Lumen probe survives comet flyby", Some(link)),
                placement(ids[2], 12, "Lumen probe survives comet flyby", None),
            ],
            0,
            ids[2],
            b"{}",
        )
        .expect("stories web test");
    Ids {
        original: ids[0],
        copy: ids[1],
        other: ids[2],
    }
}

async fn body_links_to(c: &reqwest::Client, url: &str, article: i64) -> bool {
    let (_, _, body) = get(c, url).await;
    body.contains(&format!("href=\"/articles/{article}\""))
}

async fn json(c: &reqwest::Client, url: &str) -> (u16, Value) {
    let (status, _, body) = get(c, url).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

async fn story_pages_show_outlets_groups_timeline_and_copies(backend: Backend) {
    let mut ids = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| ids = Some(setup(s))).await;
    let ids = ids.expect("stories web test");
    let c = client();

    let (status, _, body) = get(&c, &server.url("/stories")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    let titles = texts(&doc, ".stories .card-title");
    assert_eq!(
        titles,
        ["Lumen probe survives comet flyby", "Budget vote"],
        "biggest first"
    );
    let (_, _, body) = get(&c, &server.url("/stories?sort=newest")).await;
    let doc = check_html5(&body, "en");
    assert_eq!(
        texts(&doc, ".stories .card-title")[0],
        "Lumen probe survives comet flyby"
    );
    let (status, _, _) = get(&c, &server.url("/stories?sort=sideways")).await;
    assert_eq!(status, 400);

    let (status, _, body) = get(&c, &server.url("/stories/12")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "h1"), ["Lumen probe survives comet flyby"]);
    let outlets = texts(&doc, ".story-outlets li");
    assert_eq!(outlets.len(), 3);
    assert!(outlets[0].starts_with("The Daily Sample") && outlets[0].contains("first to report"));
    assert!(outlets[1].starts_with("Le Quotidien Fictif") && outlets[1].contains("copies only"));
    assert!(!outlets[2].contains("first to report"));
    // Grouped by language and country, in order.
    assert_eq!(
        texts(&doc, ".story-groups h3"),
        ["de · DE", "en · GB", "fr · FR"]
    );
    let timeline = texts(&doc, ".story-timeline li");
    assert!(timeline[0].contains("Lumen probe survives") && timeline[2].contains("Sonde"));
    let copies = texts(&doc, ".story-copies li");
    assert_eq!(copies.len(), 1);
    assert!(
        copies[0].contains("La sonde Lumen")
            && copies[0].contains("Translated copy of Lumen probe survives comet flyby")
    );
    // Titles are escaped, never markup.
    assert!(body.contains("Sonde &lt;script&gt;alert(1)&lt;&#x2f;script&gt; Lumen"));
    assert!(!common::without_site_scripts(&body).contains("<script>"));

    let (status, _, _) = get(&c, &server.url("/stories/999")).await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&c, &server.url("/stories/x")).await;
    assert_eq!(status, 400);

    // The copy's page says what it copies, from whom, how much earlier, and why.
    let (_, _, body) = get(&c, &server.url(&format!("/articles/{}", ids.copy))).await;
    let doc = check_html5(&body, "en");
    let note = texts(&doc, ".provenance > p").join(" ");
    assert!(
        note.contains("Translated copy of Lumen probe survives comet flyby published by The Daily Sample 2 h earlier"),
        "{note}"
    );
    assert!(note.contains("97 %"), "{note}");
    let evidence = texts(&doc, ".provenance li");
    assert_eq!(evidence.len(), 2);
    assert!(
        evidence[0].contains("lumen, hesper <b>bold</b>"),
        "evidence is text: {evidence:?}"
    );
    assert!(body.contains("hesper &lt;b&gt;bold&lt;&#x2f;b&gt;"));
    assert!(texts(&doc, ".story-link")[0].contains("Lumen probe survives comet flyby"));
    assert!(body.contains("href=\"/stories/12\""));
    // The original's page lists its copy.
    let (_, _, body) = get(&c, &server.url(&format!("/articles/{}", ids.original))).await;
    let doc = check_html5(&body, "en");
    assert!(texts(&doc, ".provenance").is_empty());
    let copies = texts(&doc, ".copies li");
    assert_eq!(copies.len(), 1);
    assert!(
        copies[0].contains("La sonde Lumen") && copies[0].contains("2 h later"),
        "{copies:?}"
    );
    // An article without a story or a link shows neither.
    let (_, _, body) = get(&c, &server.url("/articles/10")).await;
    let doc = check_html5(&body, "en");
    assert!(texts(&doc, ".story-link").is_empty() && texts(&doc, ".provenance").is_empty());
    assert!(body_links_to(&c, &server.url("/stories/12"), ids.other).await);
    server.stop().await;
}

async fn story_api_and_article_links(backend: Backend) {
    let mut ids = None;
    let server = TestServer::start(backend, WebConfig::default(), |s| ids = Some(setup(s))).await;
    let ids = ids.expect("stories web test");
    let c = client();

    let (status, list) = json(&c, &server.url("/api/v1/stories")).await;
    assert_eq!(status, 200);
    let items = list["items"].as_array().expect("stories web test");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], 12);
    assert_eq!(items[0]["article_count"], 3);
    assert_eq!(items[0]["outlet_count"], 3);
    let (_, list) = json(&c, &server.url("/api/v1/stories?limit=1&sort=newest")).await;
    assert_eq!(list["items"].as_array().expect("stories web test").len(), 1);
    let (status, err) = json(&c, &server.url("/api/v1/stories?sort=up")).await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["code"], "bad_request");
    let (status, _) = json(&c, &server.url("/api/v1/stories?color=red")).await;
    assert_eq!(status, 400);

    let (status, story) = json(&c, &server.url("/api/v1/stories/12")).await;
    assert_eq!(status, 200);
    assert_eq!(story["title"], "Lumen probe survives comet flyby");
    let articles = story["articles"].as_array().expect("stories web test");
    let order: Vec<i64> = articles
        .iter()
        .map(|a| a["id"].as_i64().expect("stories web test"))
        .collect();
    assert_eq!(order, [ids.original, ids.copy, ids.other], "oldest first");
    assert_eq!(articles[1]["link_kind"], "translated_copy");
    assert_eq!(articles[1]["original"], ids.original);
    assert_eq!(articles[1]["country"], "FR");
    let (status, err) = json(&c, &server.url("/api/v1/stories/4242")).await;
    assert_eq!(status, 404);
    assert!(
        err["error"]["message"]
            .as_str()
            .expect("stories web test")
            .contains("4242")
    );

    let (_, a) = json(&c, &server.url(&format!("/api/v1/articles/{}", ids.copy))).await;
    assert_eq!(a["story"]["id"], 12);
    let p = &a["provenance"];
    assert_eq!(p["kind"], "translated_copy");
    assert_eq!(p["original"], ids.original);
    assert_eq!(p["matched"], ids.original);
    assert_eq!(p["original_source"], "The Daily Sample");
    assert!((p["confidence"].as_f64().expect("stories web test") - 0.97).abs() < 1e-6);
    assert_eq!(p["evidence"][0]["signal"], "names");
    assert_eq!(p["evidence"][0]["detail"], "lumen, hesper <b>bold</b>");
    assert_eq!(a["copies"], Value::Array(vec![]));
    let (_, a) = json(
        &c,
        &server.url(&format!("/api/v1/articles/{}", ids.original)),
    )
    .await;
    assert_eq!(a["provenance"], Value::Null);
    assert_eq!(a["copies"][0]["article"], ids.copy);
    let (_, a) = json(&c, &server.url("/api/v1/articles/10")).await;
    assert_eq!(a["story"], Value::Null);
    server.stop().await;
}

common::on_both_backends!(
    story_pages_show_outlets_groups_timeline_and_copies,
    story_api_and_article_links,
);

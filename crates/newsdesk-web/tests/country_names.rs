//! Country names in the page's language (CLDR through ICU4X), and the operator's names for
//! user-assigned codes (the demo's fictional `XV`), on source pages, cards, story coverage and
//! in the API.

mod common;

use chrono::Utc;
use common::{Backend, TestServer, article, client, get};
use newsdesk_core::NewSource;
use newsdesk_store::NewPlacement;
use newsdesk_web::WebConfig;

async fn country_names_follow_the_page_language_and_the_operator(backend: Backend) {
    let mut ids = (0, 0);
    let config = WebConfig {
        country_names: [("XV".to_owned(), "Valdoria".to_owned())].into(),
        ..WebConfig::default()
    };
    let server =
        TestServer::start_with_editions(backend, config, vec!["fr", "de", "es"], |store| {
            let add = |name: &str, country: &str| {
                store
                    .add_source(&NewSource {
                        feed_url: format!("https://{}.example/feed.xml", name.to_lowercase()),
                        site_url: None,
                        name: Some(name.into()),
                        language: Some("en".into()),
                        country: Some(country.into()),
                    })
                    .expect("source")
                    .id
            };
            let (ru, xv) = (add("Moskva", "RU"), add("Valdoria", "XV"));
            let t0 = Utc::now() - chrono::Duration::hours(2);
            let a: Vec<i64> = store
                .insert_articles(&[article(ru, "en", 0, t0), article(xv, "en", 1, t0)])
                .expect("insert")
                .into_iter()
                .map(|id| id.expect("inserted"))
                .collect();
            let placements: Vec<NewPlacement> = a
                .iter()
                .map(|&id| NewPlacement {
                    article: id,
                    story: 7,
                    similarity: 0.9,
                    link: None,
                    merged: vec![],
                    moved: vec![],
                    titles: vec![(7, "Story 7".into())],
                })
                .collect();
            store
                .record_placements(&placements, 0, a[1], b"{}")
                .expect("placements");
            ids = (ru, xv);
        })
        .await;
    let c = client();
    let (ru, xv) = ids;
    for (prefix, russia) in [
        ("", "Russia"),
        ("/fr", "Russie"),
        ("/de", "Russland"),
        ("/es", "Rusia"),
    ] {
        for path in [
            format!("{prefix}/sources/{ru}"),
            format!("{prefix}/sources/{xv}"),
            format!("{prefix}/stories/7"),
            format!("{prefix}/"),
        ] {
            let (status, _, body) = get(&c, &server.url(&path)).await;
            assert_eq!(status, 200, "{path}");
            let doc = scraper::Html::parse_document(&body);
            let countries = common::texts(&doc, ".country, .coverage-by-country .coverage-label");
            let own_source = path.ends_with(&format!("/sources/{xv}"));
            assert_eq!(
                countries.iter().any(|t| t.contains(russia)),
                !own_source,
                "{path}: {countries:?}"
            );
            // The story and the home page show both outlets; a source page its own.
            let both = !path.contains("/sources/") || own_source;
            assert_eq!(
                countries.iter().any(|t| t.contains("Valdoria")),
                both,
                "{path}: {countries:?}"
            );
            assert!(
                !countries.iter().any(|t| t.contains("XV")),
                "{path}: {countries:?}"
            );
        }
    }
    let (status, _, body) = get(&c, &server.url(&format!("/api/v1/sources/{xv}"))).await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["country"], "XV");
    assert_eq!(json["country_name"], "Valdoria");
    server.stop().await;
}

common::on_both_backends!(country_names_follow_the_page_language_and_the_operator,);

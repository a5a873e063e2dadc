//! Every feed newsdesk publishes, in every shape (site, source, story, edition, edition source),
//! parsed by an independent parser (feed-rs) and checked for what RSS 2.0, RFC 4287 and JSON
//! Feed 1.1 require: channel title/link/description and `atom:link rel="self"`; feed id, title,
//! updated, author, `rel="self"` and `rel="alternate"`; `home_page_url` and `feed_url`. Every link
//! to the site is absolute and on the site's own host (never an outlet's), and two installations
//! never share a feed id.

mod common;

use chrono::Utc;
use common::{Backend, client};
use feed_rs::model::FeedType;
use newsdesk_store::{ArticleTranslation, NewPlacement, TranslationStatus};
use newsdesk_web::{AppState, EditionConfig, Editions, WebConfig};
use tokio::sync::oneshot;

struct Site {
    base: String,
    _dir: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

/// A site with the common fixture, one story of three articles and a French translation.
async fn site(backend: Backend, config: WebConfig) -> Site {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = backend.open(dir.path(), "feeds_valid");
    common::fill(&store);
    let placements: Vec<NewPlacement> = [1, 2, 3]
        .into_iter()
        .map(|id| NewPlacement {
            article: id,
            story: 7,
            similarity: 0.7,
            link: None,
            merged: vec![],
            moved: vec![],
            titles: vec![(7, "A story".into())],
        })
        .collect();
    store
        .record_placements(&placements, 0, 3, b"{}")
        .expect("placements");
    for id in [2, 3] {
        store
            .save_translation(&ArticleTranslation {
                article_id: id,
                language: "fr".into(),
                source_language: "en".into(),
                status: TranslationStatus::Translated,
                title: Some(format!("Titre traduit {id}")),
                lead: None,
                body_text: Some("Un paragraphe traduit.".into()),
                route: "en →es [apertium] →fr [apertium]".into(),
                backends: vec!["apertium".into()],
                machine: true,
                kept_segments: 0,
                note: None,
                translated_at: Utc::now(),
            })
            .expect("translation");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(newsdesk_web::serve_with_editions(
        listener,
        AppState::new(store, config),
        Editions::new(vec![EditionConfig::new("fr")]),
        async move {
            let _ = rx.await;
        },
    ));
    Site {
        base,
        _dir: dir,
        _stop: tx,
    }
}

/// The feed paths of every shape, with the HTML page each is the feed of.
const SHAPES: &[(&str, &str)] = &[
    ("/feed", "/"),
    ("/sources/1/feed", "/sources/1"),
    ("/stories/7/feed", "/stories/7"),
    ("/fr/feed", "/fr/"),
    ("/fr/sources/2/feed", "/fr/sources/2"),
    ("/fr/stories/7/feed", "/fr/stories/7"),
];

/// Every `href="…"` / `"url": "…"`-style absolute http link in `text`.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in [
        "href=\"",
        "href=&quot;",
        "<link>",
        "\"home_page_url\": \"",
        "\"feed_url\": \"",
    ] {
        for (i, _) in text.match_indices(marker) {
            let rest = &text[i + marker.len()..];
            let end = rest.find(['"', '<', '&', '\\']).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
        }
    }
    out
}

async fn fetch(url: &str) -> (u16, String) {
    let r = client().get(url).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

async fn every_feed_shape_is_valid_with_links_on_the_sites_own_host(backend: Backend) {
    let s = site(
        backend,
        WebConfig {
            cache_ttl_ms: 0,
            ..WebConfig::default()
        },
    )
    .await;
    let mut ids = Vec::new();
    for (path, page) in SHAPES {
        let page_url = format!("{}{page}", s.base);
        for ext in ["atom", "rss", "json"] {
            let url = format!("{}{path}.{ext}", s.base);
            let (status, body) = fetch(&url).await;
            assert_eq!(status, 200, "{url}: {body}");
            let feed = feed_rs::parser::parse(body.as_bytes())
                .unwrap_or_else(|e| panic!("{url}: feed-rs cannot parse it: {e}\n{body}"));
            assert!(!feed.entries.is_empty(), "{url}: entries");
            let title = feed.title.as_ref().map(|t| t.content.clone());
            assert!(title.is_some_and(|t| !t.trim().is_empty()), "{url}: title");
            let rels = |rel: &str| -> Vec<String> {
                feed.links
                    .iter()
                    .filter(|l| l.rel.as_deref() == Some(rel))
                    .map(|l| l.href.clone())
                    .collect()
            };
            match ext {
                "atom" => {
                    assert_eq!(feed.feed_type, FeedType::Atom, "{url}");
                    assert!(body.contains("<id>urn:newsdesk:"), "{url}: feed id");
                    assert!(feed.updated.is_some(), "{url}: updated");
                    assert!(!feed.authors.is_empty(), "{url}: feed-level author");
                    assert_eq!(rels("self"), std::slice::from_ref(&url), "{url}: rel=self");
                    assert_eq!(
                        rels("alternate"),
                        std::slice::from_ref(&page_url),
                        "{url}: alternate"
                    );
                    ids.push(feed.id.clone());
                }
                "rss" => {
                    assert_eq!(feed.feed_type, FeedType::RSS2, "{url}");
                    assert!(
                        feed.description
                            .as_ref()
                            .is_some_and(|d| !d.content.trim().is_empty()),
                        "{url}: channel description"
                    );
                    assert!(
                        body.contains(&format!("<link>{page_url}</link>")),
                        "{url}: channel link"
                    );
                    assert!(
                        body.contains(&format!(
                            "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{url}\"/>"
                        )),
                        "{url}: atom:link rel=self"
                    );
                }
                _ => {
                    assert_eq!(feed.feed_type, FeedType::JSON, "{url}");
                    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
                    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
                    assert_eq!(v["home_page_url"], page_url.as_str(), "{url}");
                    assert_eq!(v["feed_url"], url.as_str(), "{url}");
                }
            }
            // Links to this site are absolute and on its own host; the others are the
            // outlets' originals (`*.example`).
            for link in links(&body) {
                assert!(
                    link.starts_with(&s.base) || link.contains(".example/"),
                    "{url}: link {link:?} is neither on {} nor an original",
                    s.base
                );
            }
        }
    }
    // The edition's "original on this site" links point at this site, not at the outlet.
    let (_, fr) = fetch(&format!("{}/fr/feed.atom", s.base)).await;
    assert!(
        fr.contains(&format!("href=&quot;{}/articles/", s.base)),
        "absolute original links: {fr}"
    );
    // Feed ids differ between shapes…
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    // …and between installations.
    let other = site(backend, WebConfig::default()).await;
    let (_, a) = fetch(&format!("{}/feed.atom", s.base)).await;
    let (_, b) = fetch(&format!("{}/feed.atom", other.base)).await;
    let id = |x: &str| feed_rs::parser::parse(x.as_bytes()).expect("parse").id;
    assert_ne!(id(&a), id(&b));
    // Unknown sources and stories are 404, not empty feeds.
    for path in [
        "/sources/99/feed.atom",
        "/stories/99/feed.rss",
        "/fr/sources/99/feed.json",
    ] {
        assert_eq!(fetch(&format!("{}{path}", s.base)).await.0, 404, "{path}");
    }
}

async fn feed_links_use_public_url_then_trusted_hosts_then_the_bind_address(backend: Backend) {
    let s = site(
        backend,
        WebConfig {
            cache_ttl_ms: 0,
            host_names: vec!["news.lan:8080".into()],
            ..WebConfig::default()
        },
    )
    .await;
    let atom = |host: Option<&'static str>| {
        let url = format!("{}/feed.atom", s.base);
        async move {
            let mut req = client().get(url);
            if let Some(h) = host {
                req = req.header("host", h);
            }
            let body = req.send().await.expect("get").text().await.expect("body");
            feed_rs::parser::parse(body.as_bytes())
                .expect("parse")
                .links
                .into_iter()
                .find(|l| l.rel.as_deref() == Some("self"))
                .map(|l| l.href)
        }
    };
    assert_eq!(
        atom(Some("news.lan:8080")).await.as_deref(),
        Some("http://news.lan:8080/feed.atom")
    );
    // An untrusted Host (an outlet's, or an attacker's) is ignored: the bind address.
    let bound = format!("{}/feed.atom", s.base);
    assert_eq!(atom(Some("quotidien.example")).await, Some(bound.clone()));
    assert_eq!(atom(None).await, Some(bound));
    let public = site(
        backend,
        WebConfig {
            cache_ttl_ms: 0,
            public_url: Some("https://news.example.org/".into()),
            ..WebConfig::default()
        },
    )
    .await;
    let (_, body) = fetch(&format!("{}/fr/feed.rss", public.base)).await;
    assert!(
        body.contains("<link>https://news.example.org/fr/</link>"),
        "{body}"
    );
    assert!(
        body.contains("href=\"https://news.example.org/fr/feed.rss\""),
        "{body}"
    );
}

common::on_both_backends!(
    every_feed_shape_is_valid_with_links_on_the_sites_own_host,
    feed_links_use_public_url_then_trusted_hosts_then_the_bind_address,
);

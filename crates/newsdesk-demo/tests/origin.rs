//! The origin served over real loopback HTTP, fetched with reqwest.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use newsdesk_demo::{
    FeedFormat, Origin, OriginHandle, OriginOptions, SAMPLE_LABEL, generated_corpus, sample_corpus,
};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED,
};

fn local() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// reqwest is built without a default TLS provider in this workspace; install ring once, even
/// though these tests only speak plain HTTP on loopback.
fn builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

fn client() -> reqwest::Client {
    builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(url: &str) -> (StatusCode, String, String) {
    let r = client().get(url).send().await.unwrap();
    let status = r.status();
    let ct = r
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, r.text().await.unwrap())
}

async fn sample_origin() -> OriginHandle {
    Origin::start(sample_corpus(), local()).await.unwrap()
}

/// The feed URL of a source, following `<link rel="alternate">` for the discovery source.
async fn feed_url_of(origin: &OriginHandle, slug: &str) -> String {
    let s = origin.sources.iter().find(|s| s.slug == slug).unwrap();
    if !s.discovery {
        return s.feed_url.clone();
    }
    let (status, ct, home) = get(&s.feed_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/html"), "{ct}");
    let link = home
        .lines()
        .find(|l| l.starts_with("<link rel=\"alternate\""))
        .expect("home page advertises its feed");
    let href = link
        .split("href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(href.starts_with('/'), "{href}");
    format!("{}{}", origin.base_url, href)
}

#[tokio::test]
async fn serves_a_feed_of_every_format_listing_every_article() {
    let origin = sample_origin().await;
    let mut formats = BTreeSet::new();
    for s in origin.sources.clone() {
        let url = feed_url_of(&origin, &s.slug).await;
        let (status, ct, body) = get(&url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        let expected_ct = match s.format {
            FeedFormat::Rss2 => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::JsonFeed => "application/feed+json",
            FeedFormat::Rss1 => "application/rdf+xml",
        };
        assert!(ct.starts_with(expected_ct), "{url}: {ct}");
        assert!(body.contains(SAMPLE_LABEL), "{url} lacks the label");
        let root = match s.format {
            FeedFormat::Rss2 => "<rss version=\"2.0\"",
            FeedFormat::Atom => "<feed xmlns=\"http://www.w3.org/2005/Atom\"",
            FeedFormat::JsonFeed => "\"version\": \"https://jsonfeed.org/version/1.1\"",
            FeedFormat::Rss1 => "<rdf:RDF",
        };
        assert!(body.contains(root), "{url}");
        let articles: Vec<_> = origin.corpus().articles_of(&s.slug).collect();
        assert!(!articles.is_empty());
        for a in &articles {
            assert!(
                body.contains(&origin.article_url(a)),
                "{url} lacks {}",
                a.id()
            );
        }
        if s.format == FeedFormat::JsonFeed {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["items"].as_array().unwrap().len(), articles.len());
            assert!(v["description"].as_str().unwrap().contains(SAMPLE_LABEL));
        }
        if s.format == FeedFormat::Rss2 {
            assert!(body.contains("<enclosure url=\""), "{url}");
            assert!(body.contains("<media:content url=\""), "{url}");
        }
        formats.insert(format!("{:?}", s.format));
    }
    assert_eq!(formats.len(), 4, "{formats:?}");
    origin.shutdown().await;
}

#[tokio::test]
async fn summary_only_feed_has_no_full_content_and_full_feeds_do() {
    let origin = sample_origin().await;
    let corpus = origin.corpus();
    let summary = corpus.sources().iter().find(|s| s.summary_only).unwrap();
    let full = corpus
        .sources()
        .iter()
        .find(|s| !s.summary_only && s.feed_format == FeedFormat::Rss2)
        .unwrap();
    let (_, _, body) = get(&format!("{}{}", origin.base_url, summary.feed_path())).await;
    assert!(!body.contains("content:encoded"));
    assert!(body.contains("<description>"));
    let (_, _, body) = get(&format!("{}{}", origin.base_url, full.feed_path())).await;
    assert!(body.contains("<content:encoded><![CDATA[<figure>"));
}

#[tokio::test]
async fn article_pages_carry_boilerplate_byline_time_and_metadata() {
    let origin = sample_origin().await;
    let corpus = origin.corpus();
    let mut with_meta = 0;
    let mut without_meta = 0;
    for a in corpus.articles() {
        let source = corpus.source(&a.source).unwrap();
        let (status, ct, html) = get(&origin.article_url(a)).await;
        assert_eq!(status, StatusCode::OK, "{}", a.id());
        assert!(ct.starts_with("text/html"), "{ct}");
        assert!(html.contains(SAMPLE_LABEL), "{} lacks the label", a.id());
        assert!(html.contains(&format!("<html lang=\"{}\">", a.language)));
        assert!(html.contains(&format!("<time datetime=\"{}\"", a.published.to_rfc3339())));
        for author in &a.authors {
            assert!(
                html.contains(&format!(">{author}</a>")),
                "{}: {author}",
                a.id()
            );
        }
        for class in [
            "cookie-banner",
            "share-bar",
            "related",
            "newsletter",
            "comments-teaser",
            "<footer",
        ] {
            assert!(html.contains(class), "{} lacks {class}", a.id());
        }
        // Every paragraph of the ground truth is in the page (escaped the same way).
        let first = a
            .paragraphs()
            .into_iter()
            .find(|p| !p.starts_with("## "))
            .unwrap();
        let escaped = newsdesk_core::escape::xml(&first);
        assert!(
            html.contains(&*escaped),
            "{} lacks its first paragraph",
            a.id()
        );
        if source.page_metadata {
            with_meta += 1;
            assert!(html.contains("<meta property=\"og:title\""));
            assert!(html.contains("application/ld+json"));
        } else {
            without_meta += 1;
            assert!(!html.contains("og:title"));
            assert!(!html.contains("ld+json"));
        }
    }
    assert!(with_meta > without_meta && without_meta > 0);
}

#[tokio::test]
async fn home_pages_and_index_are_labelled_and_link_feeds() {
    let origin = sample_origin().await;
    let (status, _, index) = get(&format!("{}/", origin.base_url)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(index.contains(SAMPLE_LABEL));
    for s in &origin.sources {
        let (status, _, home) = get(&s.site_url).await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains(SAMPLE_LABEL));
        assert!(home.contains("<link rel=\"alternate\" type=\"application/"));
        assert!(index.contains(&s.site_url));
    }
}

#[tokio::test]
async fn robots_txt_disallows_only_private() {
    let origin = sample_origin().await;
    let (status, ct, body) = get(&format!("{}/robots.txt", origin.base_url)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/plain"));
    assert!(body.contains("User-agent: *"));
    assert!(body.contains("Disallow: /private/"));
    let (status, _, _) = get(&format!("{}/private/staff.html", origin.base_url)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = get(&format!("{}/no-such-source/", origin.base_url)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains(SAMPLE_LABEL));
}

#[tokio::test]
async fn serves_placeholder_images_referenced_by_articles() {
    let origin = sample_origin().await;
    let a = origin
        .corpus()
        .articles()
        .iter()
        .find(|a| a.image.is_some())
        .unwrap();
    let path = a.image.as_ref().unwrap().path();
    let (status, ct, body) = get(&format!("{}{path}", origin.base_url)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, "image/svg+xml");
    assert!(body.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(body.contains(SAMPLE_LABEL));
    let (status, _, _) = get(&format!("{}/images/..%2Fsecret.svg", origin.base_url)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn feeds_answer_conditional_requests_with_304() {
    let origin = sample_origin().await;
    let url = &origin.sources[0].feed_url;
    let c = client();
    let first = c.get(url).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()[ETAG].to_str().unwrap().to_string();
    let last_modified = first.headers()[LAST_MODIFIED].to_str().unwrap().to_string();
    let r = c
        .get(url)
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(r.headers()[ETAG].to_str().unwrap(), etag);
    assert!(r.bytes().await.unwrap().is_empty());
    let r = c
        .get(url)
        .header(IF_MODIFIED_SINCE, &last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    let r = c
        .get(url)
        .header(IF_NONE_MATCH, "\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c
        .get(url)
        .header(IF_MODIFIED_SINCE, "Mon, 01 Jan 2001 00:00:00 GMT")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn gzips_when_asked() {
    let origin = sample_origin().await;
    let raw = builder().no_gzip().build().unwrap();
    let r = raw
        .get(&origin.sources[0].feed_url)
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[CONTENT_ENCODING], "gzip");
    let gz = r.bytes().await.unwrap();
    assert_eq!(&gz[..2], &[0x1f, 0x8b]);
}

#[tokio::test]
async fn dates_are_freshened_at_start_and_wrong_dates_redirect() {
    let before = Utc::now();
    let origin = sample_origin().await;
    let newest = origin.corpus().newest().unwrap();
    let age = before - newest;
    assert!(age.num_minutes() >= 9 && age.num_minutes() <= 11, "{age}");
    let a = &origin.corpus().articles()[0];
    let (_, _, html) = get(&origin.article_url(a)).await;
    let dt = html
        .split("<time datetime=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let shown = DateTime::parse_from_rfc3339(dt).unwrap();
    assert_eq!(shown.with_timezone(&Utc), newest);
    // An old URL (reference dates) redirects to the current one.
    let wrong = format!(
        "{}/{}/1999/01/01/{}.html",
        origin.base_url, a.source, a.slug
    );
    let r = client().get(&wrong).send().await.unwrap();
    assert!(r.status().is_redirection());
    assert_eq!(r.headers()["location"].to_str().unwrap(), a.path());

    let fixed = Origin::start_with(
        sample_corpus(),
        &[local()],
        OriginOptions { freshen: false },
    )
    .await
    .unwrap();
    assert_eq!(fixed.corpus().newest(), sample_corpus().newest());
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let origin = sample_origin().await;
    let url = format!("{}/robots.txt", origin.base_url);
    assert!(client().get(&url).send().await.is_ok());
    assert!(origin.requests_served() >= 1);
    origin.shutdown().await;
    let fresh = builder().build().unwrap();
    assert!(fresh.get(&url).send().await.is_err());

    let dropped = sample_origin().await;
    let url = format!("{}/robots.txt", dropped.base_url);
    drop(dropped);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(builder().build().unwrap().get(&url).send().await.is_err());
}

#[tokio::test]
async fn generated_corpus_served_over_several_loopback_hosts() {
    let addrs = [
        SocketAddr::from(([127, 0, 0, 1], 0)),
        SocketAddr::from(([127, 0, 0, 2], 0)),
    ];
    let origin = match Origin::start_multi(generated_corpus(1000, 4, 42), &addrs).await {
        Ok(o) => o,
        Err(e) => {
            println!("SKIP: cannot bind 127.0.0.2 on this system: {e}");
            return;
        }
    };
    assert_eq!(origin.base_urls.len(), 2);
    assert!(origin.base_urls[1].starts_with("http://127.0.0.2:"));
    let hosts: BTreeSet<_> = origin
        .sources
        .iter()
        .map(|s| s.feed_url.split('/').nth(2).unwrap().to_string())
        .collect();
    assert_eq!(hosts.len(), 2, "sources spread over both hosts");
    for s in &origin.sources {
        let (status, _, feed) = get(&s.feed_url).await;
        assert_eq!(status, StatusCode::OK, "{}", s.feed_url);
        assert!(feed.contains(SAMPLE_LABEL));
        let entries = origin.corpus().articles_of(&s.slug).count();
        assert_eq!(entries, 250);
        let links = feed.matches(".html").count();
        assert!(
            links >= entries,
            "{}: {links} links for {entries}",
            s.feed_url
        );
    }
    // Pages are realistic in size and rendered on demand.
    for a in origin.corpus().articles().iter().step_by(97) {
        let (status, _, html) = get(&origin.article_url(a)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(SAMPLE_LABEL));
        assert!(html.contains(&a.paragraphs()[0]));
        let kb = html.len() / 1024;
        assert!((10..=30).contains(&kb), "{}: {kb} KB", a.id());
    }
}

//! `newsdesk feed-parse` prints the `ParsedFeed` that `newsdesk fetch` stores articles from:
//! feeds are served by a real origin on 127.0.0.1, stored through the real binary into a real
//! SQLite file, and every stored article is compared with what `feed-parse` printed for the
//! same bytes.

mod support;

use newsdesk_core::{Article, ParsedFeed};
use newsdesk_store::Store;
use support::{SHARED_PATH_FEEDS, Site, start_origin_blocking};

fn feed_parse(site: &Site, bytes: &str, url: &str) -> serde_json::Value {
    let file = site.path().join("feed-under-test.xml");
    std::fs::write(&file, bytes).expect("write feed file");
    let out = site.ok(&["feed-parse", &file.to_string_lossy(), "--url", url]);
    serde_json::from_str(&out).expect("feed-parse prints JSON")
}

fn stored_articles(site: &Site) -> Vec<Article> {
    let store = Store::open(&site.db()).expect("open store");
    let n = store.count_articles().expect("count");
    (1..=i64::try_from(n).expect("count fits") + 10)
        .filter_map(|id| store.get_article(id).expect("read article"))
        .collect()
}

#[test]
fn fetch_stores_exactly_what_feed_parse_prints() {
    let (origin, _rt) = start_origin_blocking();
    // articles are built from the feed alone, so every stored field comes from the parse
    let site = Site::new("fetch_article_pages = false\n");
    let mut parsed_feeds = Vec::new();
    for (name, body) in SHARED_PATH_FEEDS {
        let url = origin.url(&format!("/shared-path/{name}"));
        site.ok(&["sources", "add", &url, "--country", "gb"]);
        let printed = feed_parse(&site, body, &url);
        let parsed: ParsedFeed =
            serde_json::from_value(printed["parsed"].clone()).expect("`parsed` is a ParsedFeed");
        // the top level is the feedparser view of that same value
        assert_eq!(
            printed["entries"].as_array().map(Vec::len),
            Some(parsed.entries.len())
        );
        parsed_feeds.push((url, parsed));
    }
    site.ok(&["fetch"]);
    let stored = stored_articles(&site);
    let entries: Vec<_> = parsed_feeds
        .iter()
        .flat_map(|(_, f)| f.entries.iter())
        .collect();
    assert_eq!(stored.len(), entries.len(), "one article per entry");

    for e in &entries {
        let link = e.link.clone().expect("every test entry has a link");
        let a = stored
            .iter()
            .find(|a| a.data.url == link)
            .unwrap_or_else(|| panic!("no stored article for {link}: {stored:#?}"));
        assert_eq!(Some(a.data.title.as_str()), e.title.as_deref(), "{link}");
        let authors: Vec<String> = e
            .author
            .iter()
            .flat_map(|x| x.split(','))
            .map(|x| x.trim().to_owned())
            .collect();
        assert_eq!(a.data.authors, authors, "{link}");
        assert_eq!(a.data.published_at, e.published.or(e.updated), "{link}");
        let raw = e
            .content_html()
            .filter(|c| !c.trim().is_empty())
            .or_else(|| e.summary_html())
            .unwrap_or_default();
        assert_eq!(
            a.data.body_html,
            newsdesk_extract::sanitize_html(&raw, &link),
            "{link}"
        );
        for c in &e.categories {
            assert!(
                a.data.tags.contains(c),
                "{link}: tag {c} in {:?}",
                a.data.tags
            );
        }
        let image = e
            .enclosures
            .iter()
            .find(|x| {
                x.mime_type
                    .as_deref()
                    .is_some_and(|m| m.starts_with("image/"))
            })
            .map(|x| x.url.clone());
        assert_eq!(a.data.lead_image, image, "{link}");
    }

    // and the values are the ones only the element tree gives, resolved as written
    let rss = &parsed_feeds[0].1;
    assert_eq!(rss.feed.title.as_deref(), Some("Harbour & Quay Gazette"));
    let ferry = &rss.entries[0];
    assert_eq!(
        ferry.title.as_deref(),
        Some("Ferry timetable changes from Monday")
    );
    assert_eq!(ferry.author.as_deref(), Some("Nell Quayside"));
    assert_eq!(
        ferry.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2013-10-03T04:07:44+00:00")
    );
    assert_eq!(ferry.categories, ["Transport", "Ferries"]);
    let fish = &rss.entries[1];
    assert_eq!(fish.title.as_deref(), Some("Fish market reopens"));
    assert_eq!(
        fish.link.as_deref(),
        Some("http://harbour.test/news/fish-market")
    );
    assert_eq!(fish.author.as_deref(), Some("Tomas Netmaker"));
    let atom = &parsed_feeds[1].1;
    assert_eq!(atom.feed.title.as_deref(), Some("Lighthouse log"));
    let lamp = &atom.entries[0];
    assert_eq!(lamp.title.as_deref(), Some("Lamp <3 keepers"));
    assert_eq!(
        lamp.link.as_deref(),
        Some("http://lighthouse.test/blog/posts/lamp")
    );
    assert!(
        lamp.content
            .as_deref()
            .is_some_and(|c| c.contains("http://lighthouse.test/blog/img/lamp.png")),
        "{lamp:?}"
    );

    // what readers see: scripts and handlers gone, a plain-text summary shown as text
    let stored_ferry = stored
        .iter()
        .find(|a| a.data.url.ends_with("/news/ferry-timetable"))
        .expect("ferry stored");
    assert!(!stored_ferry.data.body_html.contains("script"));
    assert!(!stored_ferry.data.body_html.contains("onclick"));
    let sources = site.sources();
    assert!(
        sources
            .iter()
            .any(|s| s["name"].as_str() == Some("Harbour & Quay Gazette")),
        "the source adopted the dc:title: {sources:#?}"
    );
}

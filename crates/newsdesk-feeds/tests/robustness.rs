//! Broken input never panics, and the JSON shape of a parsed feed is what `feed-parse` prints.

mod common;

use newsdesk_feeds::{FeedError, OpmlOutline, parse_feed, parse_opml, write_opml};
use serde_json::json;

#[test]
fn empty_body_is_an_error() {
    for body in [&b""[..], b"   \n\t ", b"\xef\xbb\xbf"] {
        let err = parse_feed(body, Some("https://example.org/f"), None).unwrap_err();
        assert!(matches!(err, FeedError::Empty { .. }), "{err}");
        assert!(err.to_string().contains("https://example.org/f"));
    }
}

#[test]
fn html_page_is_not_a_feed() {
    let html =
        b"<!doctype html>\n<html lang=en><head><title>Hi</title></head><body>x</body></html>";
    let err = parse_feed(html, None, Some("text/html; charset=utf-8")).unwrap_err();
    assert!(matches!(err, FeedError::NotAFeed { .. }));
    assert_eq!(
        err.to_string(),
        "feeds: this is an HTML page, not a feed; try feed discovery"
    );
    assert!(newsdesk_feeds::looks_like_html(html));
}

#[test]
fn junk_is_not_a_feed_and_never_panics() {
    let mut seed: u32 = 0x9e37_79b9;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed.to_le_bytes()[0]
            })
            .collect()
    };
    let five_mb = random(5 * 1024 * 1024);
    let inputs: Vec<Vec<u8>> = vec![
        random(100),
        random(10_000),
        five_mb,
        b"hello world".to_vec(),
        b"{not json".to_vec(),
        b"{\"version\": \"nope\"}".to_vec(),
        b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
        b"<<<<>>>>&&&&;;;;".to_vec(),
        b"<rss version=\"2.0\"><channel><item><title>\xff\xfe\x00".to_vec(),
        vec![0xFE, 0xFF, 0xD8, 0x00, 0x00],
        vec![0xFF, 0xFE, 0x00, 0x00, 0x3C],
    ];
    for input in &inputs {
        // Any outcome is fine as long as it is not a panic; junk must not yield entries.
        if let Ok(feed) = parse_feed(input, None, None) {
            assert!(feed.entries.len() <= 1);
        }
    }
    assert!(matches!(
        parse_feed(&inputs[2], None, None),
        Err(FeedError::NotAFeed { .. })
    ));
    assert!(matches!(
        parse_feed(b"<svg/>", None, None),
        Err(FeedError::NotAFeed { .. })
    ));
}

#[test]
fn truncated_feed_is_recovered() {
    let full = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
        <item><title>One</title><link>https://example.org/1</link></item>
        <item><title>Two</title><link>https://example.org/2</link></item></channel></rss>"#;
    for cut in (40..full.len()).step_by(7) {
        let feed = parse_feed(&full[..cut], None, None);
        if let Ok(f) = feed {
            assert!(f.entries.len() <= 2);
            if cut < full.len() - 20 {
                assert!(!f.wellformed, "cut at {cut}");
            }
        }
    }
    let f = parse_feed(&full[..full.len() - 30], None, None).unwrap();
    assert_eq!(f.entries.len(), 2);
    assert!(!f.wellformed);
}

#[test]
fn utf16_with_bom_parses() {
    let s = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>Ünïcode</title></channel></rss>";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    let f = parse_feed(&bytes, None, None).unwrap();
    assert!(f.wellformed);
    assert_eq!(f.feed.title.as_deref(), Some("Ünïcode"));
}

#[test]
fn ten_thousand_entries() {
    let mut xml =
        String::from(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>"#);
    for i in 0..10_000 {
        xml.push_str(&format!(
            "<item><title>Item {i} &amp; more</title><link>https://example.org/{i}</link><guid>g{i}</guid>\
             <pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;Body {i}&lt;/p&gt;</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    let f = parse_feed(xml.as_bytes(), None, None).unwrap();
    assert!(f.wellformed);
    assert_eq!(f.entries.len(), 10_000);
    assert_eq!(f.entries[9_999].title.as_deref(), Some("Item 9999 & more"));
    assert_eq!(f.entries[9_999].id.as_deref(), Some("g9999"));
    assert_eq!(f.entries[42].summary.as_deref(), Some("<p>Body 42</p>"));
}

#[test]
fn json_shape_is_what_feed_parse_prints_under_parsed() {
    let xml = br#"<rss version="2.0"><channel><title>T</title><link>https://example.org/</link><language>en</language>
        <lastBuildDate>Wed, 31 Dec 2003 10:14:55 GMT</lastBuildDate>
        <item><title>A</title><link>https://example.org/a</link><guid>id-a</guid>
        <pubDate>Wed, 31 Dec 2003 10:14:55 GMT</pubDate><author>me@example.org (Me)</author>
        <description>S</description><category>news</category>
        <enclosure url="https://example.org/a.mp3" type="audio/mpeg" length="100000"/></item></channel></rss>"#;
    let f = parse_feed(xml, None, None).unwrap();
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(
        v,
        json!({
            "wellformed": true,
            "feed": {"title": "T", "link": "https://example.org/", "language": "en", "updated": "2003-12-31T10:14:55Z"},
            "entries": [{
                "title": "A", "link": "https://example.org/a", "id": "id-a",
                "published": "2003-12-31T10:14:55Z", "updated": "2003-12-31T10:14:55Z",
                "author": "Me", "summary": "S", "content": null,
                "summary_format": "html", "content_format": "html",
                "enclosures": [{"url": "https://example.org/a.mp3", "type": "audio/mpeg", "length": 100000}],
                "categories": ["news"]
            }]
        })
    );
}

#[test]
fn opml_round_trip_and_nesting() {
    let sources = vec![
        OpmlOutline {
            xml_url: "https://example.org/feed?a=1&b=\"2\"".into(),
            title: Some("Tom & Jerry <news>".into()),
            html_url: Some("https://example.org/".into()),
            language: Some("fr".into()),
            category: Some("Cartoons".into()),
            ..Default::default()
        },
        OpmlOutline {
            xml_url: "https://example.com/rss".into(),
            ..Default::default()
        },
    ];
    let xml = write_opml("My feeds & more", &sources);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    assert_eq!(parse_opml(xml.as_bytes()).unwrap(), sources);

    let nested = br#"<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
        <outline text="Tech"><outline text="Sub"><outline text="A" xmlUrl="https://a/feed" htmlUrl="https://a/"/></outline>
          <outline title="B" text="b" xmlUrl="https://b/feed" category="Own"/></outline>
        <outline text="No url"/>
        <outline text="C" xmlUrl="https://c/feed" language="de"></outline></body></opml>"#;
    let got = parse_opml(nested).unwrap();
    let urls: Vec<&str> = got.iter().map(|o| o.xml_url.as_str()).collect();
    assert_eq!(urls, ["https://a/feed", "https://b/feed", "https://c/feed"]);
    assert_eq!(got[0].category.as_deref(), Some("Sub"));
    assert_eq!(got[0].html_url.as_deref(), Some("https://a/"));
    assert_eq!(got[1].title.as_deref(), Some("B"));
    assert_eq!(got[1].category.as_deref(), Some("Own"));
    assert_eq!(got[2].category, None);
    assert_eq!(got[2].language.as_deref(), Some("de"));

    assert!(matches!(parse_opml(b"<rss/>"), Err(FeedError::Opml { .. })));
    assert!(matches!(parse_opml(b""), Err(FeedError::Opml { .. })));
    assert!(parse_opml(b"<opml><body><outline xmlUrl='x'></body>").is_err());
}

/// Crash-freedom over the shared feed corpus: every document parses or errors, never panics.
#[test]
fn shared_corpus_never_panics() {
    let files = common::files_under(&common::shared_feed_corpus());
    for path in &files {
        let bytes =
            std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if let Ok(feed) = parse_feed(&bytes, Some("http://example.org/feed"), None) {
            let _ = newsdesk_feeds::feedparser_view(&feed);
        }
    }
    assert!(files.len() > 100, "only {} files found", files.len());
}

/// One stray windows-1252 byte in a UTF-8 Cyrillic feed: flagged, but every field stays
/// readable (a whole-document fallback to a single-byte encoding would garble them all).
#[test]
fn one_stray_byte_does_not_garble_a_cyrillic_feed() {
    let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>\
        <title>Вести Порта́веля</title><item><title>Паромы ходят по-новому</title>\
        <author>Инна Причальная</author><category>Транспорт</category>\
        <description>Расписание изменится STRAY в понедельник.</description></item></channel></rss>";
    let bytes: Vec<u8> = xml.replace("STRAY", "\u{0}").into_bytes();
    let bytes: Vec<u8> = bytes
        .into_iter()
        .map(|b| if b == 0 { 0x97 } else { b })
        .collect();
    let f = parse_feed(&bytes, None, None).unwrap();
    assert!(!f.wellformed);
    assert_eq!(f.feed.title.as_deref(), Some("Вести Порта́веля"));
    let e = &f.entries[0];
    assert_eq!(e.title.as_deref(), Some("Паромы ходят по-новому"));
    assert_eq!(e.author.as_deref(), Some("Инна Причальная"));
    assert_eq!(e.categories, ["Транспорт"]);
    assert_eq!(
        e.summary.as_deref(),
        Some("Расписание изменится \u{2014} в понедельник.")
    );
}

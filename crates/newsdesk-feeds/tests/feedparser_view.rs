//! `feedparser_view` of `parse_feed`'s result: the feedparser-compatible presentation
//! (sanitised HTML, unmapped modules), robustness on broken input, and the shared feedparser
//! corpus.

mod common;

use newsdesk_core::TextFormat;
use newsdesk_feeds::{FeedError, FeedparserView, feedparser_view, parse_feed};
use regex::Regex;

/// The view of a parse, as `newsdesk feed-parse` prints it.
fn parse_feed_detailed(
    bytes: &[u8],
    url: Option<&str>,
    content_type: Option<&str>,
) -> Result<FeedparserView, FeedError> {
    parse_feed(bytes, url, content_type).map(|f| feedparser_view(&f))
}

/// Fails when `html` holds live markup that could run code (comments are inert and skipped).
#[allow(clippy::unwrap_used)] // a test helper: fixed patterns
fn assert_harmless(html: &str, what: &str) {
    let comments = Regex::new(r"(?s)<!--.*?-->").unwrap();
    let live = comments.replace_all(html, "");
    let dangerous = Regex::new(
        r#"(?i)<script|<iframe|<object|<embed|<[a-z][^>]*\son[a-z]+\s*=|<[a-z][^>]*\s(href|src|action)\s*=\s*"\s*(javascript|vbscript|data):"#,
    )
    .unwrap();
    assert!(!dangerous.is_match(&live), "{what}: {html}");
}

const RICH: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/" xmlns:media="http://search.yahoo.com/mrss/">
  <title type="html">News &amp;amp; &lt;b&gt;views&lt;/b&gt;</title>
  <link href="/"/>
  <entry>
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <em>inline</em> title</div></title>
    <link rel="alternate" href="posts/1"/>
    <id>tag:example.org,2024:1</id>
    <updated>2024-05-01T10:00:00Z</updated>
    <summary type="html">&lt;p onclick="evil()"&gt;Hello &lt;a href="javascript:evil()"&gt;x&lt;/a&gt;&lt;script&gt;evil()&lt;/script&gt;&lt;/p&gt;</summary>
    <content type="html">&lt;img src="pic.jpg" style="width: expression(evil())"&gt;&lt;iframe src="http://evil.test/"&gt;&lt;/iframe&gt;</content>
    <media:content url="http://example.org/v.mp4" type="video/mp4"/>
    <media:thumbnail url="http://example.org/t.jpg"/>
  </entry>
</feed>"#;

#[test]
fn dangerous_markup_goes_and_harmless_markup_stays() {
    let f = parse_feed_detailed(RICH.as_bytes(), None, None).unwrap();
    assert!(f.wellformed);
    assert_eq!(f.feed.title.as_deref(), Some("News &amp; <b>views</b>"));
    assert_eq!(f.feed.link.as_deref(), Some("http://example.org/"));
    let e = &f.entries[0];
    assert_eq!(e.title.as_deref(), Some("An <em>inline</em> title"));
    assert_eq!(e.link.as_deref(), Some("http://example.org/blog/posts/1"));
    assert_eq!(
        e.summary.as_deref(),
        Some(r#"<p>Hello <a href="">x</a></p>"#)
    );
    assert_eq!(
        e.content.as_deref(),
        Some(r#"<img src="http://example.org/blog/pic.jpg" />"#)
    );
    let urls: Vec<&str> = e.enclosures.iter().map(|x| x.url.as_str()).collect();
    assert_eq!(
        urls,
        ["http://example.org/v.mp4", "http://example.org/t.jpg"]
    );
}

#[test]
fn the_parse_keeps_text_and_unsanitised_html_for_the_pipeline() {
    let f = parse_feed(RICH.as_bytes(), None, None).unwrap();
    assert_eq!(f.feed.title.as_deref(), Some("News & views"));
    assert_eq!(
        f.feed.title_html.as_deref(),
        Some("News &amp; <b>views</b>")
    );
    let e = &f.entries[0];
    assert_eq!(e.title.as_deref(), Some("An inline title"));
    assert_eq!(e.summary_format, TextFormat::Html);
    // sanitising is the consumer's job (the pipeline's one policy, or the view's)
    assert!(e.summary.as_deref().unwrap().contains("onclick"));
    // relative URLs are already resolved against xml:base
    assert!(
        e.content
            .as_deref()
            .unwrap()
            .contains(r#"src="http://example.org/blog/pic.jpg""#),
        "{:?}",
        e.content
    );
}

#[test]
fn json_feed_html_is_sanitised_and_text_kept() {
    let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://j.example/",
      "items":[{"id":"1","url":"https://j.example/1","title":"One","summary":"Short <not html>",
        "content_html":"<p onmouseover=\"x()\">Body</p><script>x()</script>","date_published":"2024-01-02T03:04:05Z",
        "attachments":[{"url":"https://j.example/a.mp3","mime_type":"audio/mpeg","size_in_bytes":10}]},
       {"id":"2","content_text":"Plain & simple"}]}"#;
    let f = parse_feed_detailed(json, None, None).unwrap();
    assert!(f.wellformed);
    assert_eq!(f.feed.title.as_deref(), Some("J"));
    let e = &f.entries[0];
    assert_eq!(e.content.as_deref(), Some("<p>Body</p>"));
    assert_eq!(e.summary.as_deref(), Some("Short <not html>"));
    assert_eq!(e.enclosures[0].url, "https://j.example/a.mp3");
    assert_eq!(f.entries[1].content.as_deref(), Some("Plain & simple"));
}

#[test]
fn truncated_and_mangled_documents_never_panic() {
    let bytes = RICH.as_bytes();
    for cut in (0..bytes.len()).step_by(7) {
        let _ = parse_feed_detailed(&bytes[..cut], None, None);
    }
    // swap characters that matter to the tokenizers
    for (i, b) in bytes.iter().enumerate().step_by(9) {
        for repl in [b'<', b'&', b'"', b'>', 0xff] {
            if *b != repl {
                let mut m = bytes.to_vec();
                m[i] = repl;
                if let Ok(f) = parse_feed_detailed(&m, Some("http://example.org/f"), None) {
                    for e in &f.entries {
                        for v in [&e.title, &e.summary, &e.content].into_iter().flatten() {
                            assert_harmless(v, "mangled RICH");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn shared_corpus_views_are_harmless() {
    let files = common::files_under(&common::shared_feed_corpus());
    let mut parsed = 0;
    for p in &files {
        let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
        if let Ok(f) = parse_feed_detailed(&bytes, None, None) {
            parsed += 1;
            for e in &f.entries {
                for v in [&e.title, &e.summary, &e.content].into_iter().flatten() {
                    assert_harmless(v, &p.display().to_string());
                }
            }
        }
    }
    assert!(
        parsed > 800,
        "only {parsed} of {} corpus files parsed",
        files.len()
    );
}

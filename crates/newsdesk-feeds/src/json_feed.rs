//! JSON Feed 1.0 and 1.1 (<https://jsonfeed.org/version/1.1>), read from a `serde_json::Value`
//! so that the deviations found in the wild (numeric ids, 1.0's single `author`, unknown
//! fields, trailing junk after the object) cost a field or the `wellformed` flag, never the
//! whole feed.

use newsdesk_core::{Enclosure, FeedEntry, FeedMeta, ParsedFeed, TextFormat};
use serde_json::Value;
use url::Url;

use crate::mapping::resolve;
use crate::parse_date;
use crate::plain_text::collapse_whitespace;

/// Reads a JSON Feed; `feed_url` resolves relative URLs. `Err` says why the text is not one.
pub(crate) fn parse_json_feed(text: &str, feed_url: Option<&str>) -> Result<ParsedFeed, String> {
    let wellformed = serde_json::from_str::<Value>(text).is_ok();
    // the first JSON value, even when junk follows it
    let doc = match serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .next()
    {
        Some(Ok(doc)) => doc,
        Some(Err(e)) => return Err(format!("invalid JSON: {e}")),
        None => return Err("empty JSON document".into()),
    };
    let version = str_field(&doc, "version").unwrap_or_default();
    let items = doc.get("items").and_then(Value::as_array);
    if !version.contains("jsonfeed.org") && items.is_none() {
        return Err(
            "JSON but not a JSON Feed (no `version` naming jsonfeed.org, no `items`)".into(),
        );
    }
    let base = feed_url.and_then(|u| Url::parse(u).ok());
    let base = base.as_ref();
    let feed_authors = authors(&doc);
    let entries = items
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|item| item.is_object())
        .map(|item| entry(item, base, feed_authors.as_deref()))
        .collect();
    Ok(ParsedFeed {
        wellformed,
        feed: FeedMeta {
            title: str_field(&doc, "title").map(collapse_whitespace),
            link: str_field(&doc, "home_page_url").map(|u| resolve(u, base)),
            language: str_field(&doc, "language").map(str::to_owned),
            updated: None,
            title_html: None,
            ..FeedMeta::default()
        },
        entries,
    })
}

fn entry(item: &Value, base: Option<&Url>, feed_authors: Option<&str>) -> FeedEntry {
    let (content, content_format) = match (
        str_field(item, "content_html"),
        str_field(item, "content_text"),
    ) {
        (Some(html), _) => (Some(html.to_owned()), TextFormat::Html),
        (None, Some(text)) => (Some(text.to_owned()), TextFormat::Text),
        (None, None) => (None, TextFormat::Html),
    };
    let enclosures = item
        .get("attachments")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| {
            Some(Enclosure {
                url: resolve(str_field(a, "url")?, base),
                mime_type: str_field(a, "mime_type").map(str::to_owned),
                length: a.get("size_in_bytes").and_then(Value::as_u64),
            })
        })
        .collect();
    let categories = item
        .get("tags")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .map(collapse_whitespace)
        .filter(|t| !t.is_empty())
        .collect();
    FeedEntry {
        title: str_field(item, "title").map(collapse_whitespace),
        link: str_field(item, "url")
            .or_else(|| str_field(item, "external_url"))
            .map(|u| resolve(u, base)),
        // the spec says string; 1.0 feeds in the wild also use numbers
        id: match item.get("id") {
            Some(Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        },
        published: str_field(item, "date_published").and_then(parse_date),
        updated: str_field(item, "date_modified").and_then(parse_date),
        // an item without authors has the feed's (the spec's rule)
        author: authors(item).or_else(|| feed_authors.map(str::to_owned)),
        summary: str_field(item, "summary").map(str::to_owned),
        summary_format: TextFormat::Text,
        content,
        content_format,
        enclosures,
        categories,
        title_html: None,
    }
}

/// 1.1's `authors` names, else 1.0's `author` name, comma-joined.
fn authors(v: &Value) -> Option<String> {
    let names: Vec<String> = match v.get("authors").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(|a| str_field(a, "name"))
            .map(collapse_whitespace)
            .collect(),
        None => v
            .get("author")
            .and_then(|a| str_field(a, "name"))
            .map(collapse_whitespace)
            .into_iter()
            .collect(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// A non-empty string field, trimmed.
fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_feed_1_0_with_numeric_ids_and_a_single_author() {
        let f = parse_json_feed(
            r#"{"version": "https://jsonfeed.org/version/1", "title": "Quay", "home_page_url": "/",
              "author": {"name": "Desk"},
              "items": [{"id": 7, "url": "/7", "content_text": "a < b", "date_published": "2020-05-06T07:08:09+02:00"},
                        {"id": "x", "external_url": "https://else.test/x", "content_html": "<p>x</p>",
                         "author": {"name": "Ann"}, "tags": ["t", " "]}]} trailing"#,
            Some("https://q.test/feed.json"),
        )
        .unwrap();
        assert!(!f.wellformed, "junk after the object");
        assert_eq!(f.feed.title.as_deref(), Some("Quay"));
        assert_eq!(f.feed.link.as_deref(), Some("https://q.test/"));
        let (a, b) = (&f.entries[0], &f.entries[1]);
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.link.as_deref(), Some("https://q.test/7"));
        assert_eq!(a.author.as_deref(), Some("Desk"));
        assert_eq!(a.content_format, TextFormat::Text);
        assert_eq!(a.content_html().as_deref(), Some("a &lt; b"));
        assert!(a.published.is_some());
        assert_eq!(b.link.as_deref(), Some("https://else.test/x"));
        assert_eq!(b.author.as_deref(), Some("Ann"));
        assert_eq!(b.content_format, TextFormat::Html);
        assert_eq!(b.categories, ["t"]);
    }

    #[test]
    fn json_that_is_not_a_feed_is_refused() {
        assert!(parse_json_feed(r#"{"name": "x"}"#, None).is_err());
        assert!(parse_json_feed("{oops", None).is_err());
    }
}

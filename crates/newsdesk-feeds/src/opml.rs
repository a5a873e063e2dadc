//! OPML subscription lists: read (nested outlines flattened) and write (OPML 2.0).

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde::{Deserialize, Serialize};

use newsdesk_core::escape;

use crate::FeedError;

/// One feed subscription in an OPML file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpmlOutline {
    /// The feed URL (`xmlUrl`).
    pub xml_url: String,
    /// Display name (`title`, else `text`).
    pub title: Option<String>,
    /// The site's home page (`htmlUrl`).
    pub html_url: Option<String>,
    /// Declared language (`language`).
    pub language: Option<String>,
    /// `category` attribute, else the `text`/`title` of the enclosing folder outline.
    pub category: Option<String>,
    /// Country of the source, ISO 3166-1 alpha-2 (`country`; newsdesk's source profile).
    pub country: Option<String>,
    /// The media company that owns it (`owner`).
    pub owner: Option<String>,
    /// State Media Monitor typology code, `?` kept (`typology`: `SC`, `ISFM?`…).
    pub typology: Option<String>,
    /// Kind of outlet (`mediaType`: news agency, broadcaster, newspaper…).
    pub media_type: Option<String>,
}

/// Reads the feed outlines of an OPML document, flattening nested folders (a folder's name
/// becomes the `category` of feeds that have none). Outlines without `xmlUrl` are folders
/// and are not returned.
///
/// # Errors
///
/// [`FeedError::Opml`] when the document is not XML or has no `<opml>` root.
///
/// ```
/// let opml = br#"<opml version="2.0"><body><outline text="News">
///   <outline text="Example" type="rss" xmlUrl="https://example.org/feed"/>
/// </outline></body></opml>"#;
/// let outlines = newsdesk_feeds::parse_opml(opml).unwrap();
/// assert_eq!(outlines[0].xml_url, "https://example.org/feed");
/// assert_eq!(outlines[0].category.as_deref(), Some("News"));
/// ```
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<OpmlOutline>, FeedError> {
    let decoded = crate::encoding::decode(bytes, None);
    let text = crate::encoding::rewrite_declaration(&decoded.text);
    let mut reader = Reader::from_str(&text);
    reader.config_mut().trim_text(true);
    let mut out = Vec::new();
    // folder names of open non-feed outlines; None for open feed outlines
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut saw_root = false;
    let err = |reason: String| FeedError::Opml { reason };
    loop {
        let event = reader.read_event().map_err(|e| {
            err(format!(
                "XML error at byte {}: {e}",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                if !saw_root {
                    if name.as_ref() != "opml" {
                        return Err(err(format!(
                            "root element is <{}>, not <opml>",
                            name.as_ref()
                        )));
                    }
                    saw_root = true;
                    continue;
                }
                if name.as_ref() != "outline" {
                    continue;
                }
                let attrs = attributes(e);
                let get = |k: &str| {
                    attrs
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(k))
                        .map(|(_, v)| v.trim().to_owned())
                        .filter(|v| !v.is_empty())
                };
                let title = get("title").or_else(|| get("text"));
                match get("xmlUrl") {
                    Some(xml_url) => {
                        let folder = folders.iter().rev().flatten().next().cloned();
                        // `text` is required, so writers put the URL there when there is no name
                        let title = title.filter(|t| *t != xml_url);
                        out.push(OpmlOutline {
                            xml_url,
                            title,
                            html_url: get("htmlUrl"),
                            language: get("language"),
                            category: get("category").or(folder),
                            country: get("country"),
                            owner: get("owner"),
                            typology: get("typology"),
                            media_type: get("mediaType"),
                        });
                        if !is_empty {
                            folders.push(None);
                        }
                    }
                    None if !is_empty => folders.push(title),
                    None => {}
                }
            }
            Event::End(ref e) if e.local_name().as_ref() == "outline" => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(err("no <opml> element".into()));
    }
    Ok(out)
}

fn attributes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let key = a.key.local_name().as_ref().to_owned();
            let raw = a.value.to_string();
            (key, escape::decode(&raw).into_owned())
        })
        .collect()
}

/// Writes an OPML 2.0 document listing `sources` (one flat `<outline type="rss">` each).
/// Only absolute `http`/`https` URLs are written: an `htmlUrl` with another scheme
/// (`javascript:`, `data:`…) is left out, and so is a source whose feed URL has one.
///
/// ```
/// use newsdesk_feeds::{write_opml, OpmlOutline};
/// let o = OpmlOutline { xml_url: "https://example.org/feed?a=1&b=2".into(), ..Default::default() };
/// let xml = write_opml("My <feeds>", &[o]);
/// assert!(xml.contains("<title>My &lt;feeds&gt;</title>"));
/// assert!(xml.contains(r#"xmlUrl="https://example.org/feed?a=1&amp;b=2""#));
/// ```
pub fn write_opml(title: &str, sources: &[OpmlOutline]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>",
    );
    s.push_str(&escape::xml_attribute(title));
    s.push_str("</title>\n  </head>\n  <body>\n");
    for o in sources {
        if http_only(&o.xml_url).is_none() {
            continue;
        }
        let name = o.title.as_deref().unwrap_or(&o.xml_url);
        s.push_str("    <outline type=\"rss\"");
        for (k, v) in [
            ("text", Some(name)),
            ("title", o.title.as_deref()),
            ("xmlUrl", Some(o.xml_url.as_str())),
            ("htmlUrl", o.html_url.as_deref().and_then(http_only)),
            ("language", o.language.as_deref()),
            ("category", o.category.as_deref()),
            ("country", o.country.as_deref()),
            ("owner", o.owner.as_deref()),
            ("typology", o.typology.as_deref()),
            ("mediaType", o.media_type.as_deref()),
        ] {
            if let Some(v) = v {
                s.push(' ');
                s.push_str(k);
                s.push_str("=\"");
                s.push_str(&escape::xml_attribute(v));
                s.push('"');
            }
        }
        s.push_str("/>\n");
    }
    s.push_str("  </body>\n</opml>\n");
    s
}

/// `url` when it is an absolute http(s) URL.
fn http_only(url: &str) -> Option<&str> {
    url::Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
        .map(|_| url)
}

#[cfg(test)]
mod profile_tests {
    use super::*;

    #[test]
    fn profile_attributes_round_trip() {
        let o = OpmlOutline {
            xml_url: "https://example.org/feed".into(),
            country: Some("RU".into()),
            owner: Some("Rossiya \"Segodnya\"".into()),
            typology: Some("ISFM?".into()),
            media_type: Some("broadcaster".into()),
            ..Default::default()
        };
        let xml = write_opml("x", std::slice::from_ref(&o));
        assert!(xml.contains(r#"typology="ISFM?""#), "{xml}");
        assert!(xml.contains(r#"mediaType="broadcaster""#), "{xml}");
        assert_eq!(parse_opml(xml.as_bytes()).expect("parse"), vec![o]);
    }
}

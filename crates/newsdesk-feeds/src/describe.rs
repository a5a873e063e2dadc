//! What a document looks like before it is parsed: its wire format and where its encoding comes
//! from (`newsdesk sources check` prints both).

use crate::encoding::declared_encoding;
use crate::sniff::skip_prolog;

/// The wire format of a feed document, from its first element (after any XML declaration,
/// comments, processing instructions and doctype), in words.
pub fn describe_format(body: &[u8]) -> &'static str {
    if body.starts_with(&[0x1f, 0x8b]) {
        return "gzip-compressed (inflated before parsing)";
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let t = skip_prolog(&text);
    if t.starts_with('{') {
        return "JSON Feed";
    }
    let Some(after) = t.strip_prefix('<') else {
        return "unknown";
    };
    let name: String = after
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect();
    match name.to_ascii_lowercase().as_str() {
        "rss" => "RSS 2.0",
        "rdf:rdf" => "RSS 1.0 (RDF)",
        "feed" => "Atom",
        "html" => "HTML (not a feed)",
        "urlset" => "sitemap (pages; with Google News tags when entries have titles)",
        "sitemapindex" => "sitemap index (its news-like or recent child sitemaps are read)",
        _ => "unknown",
    }
}

/// The encoding a document declares and where it says so: a byte order mark, else the XML
/// declaration, else the HTTP `charset` (`http_charset`), else the UTF-8 default.
pub fn describe_encoding(body: &[u8], http_charset: Option<&str>) -> String {
    if body.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return "UTF-8 (byte order mark)".into();
    }
    if body.starts_with(&[0xFF, 0xFE]) || body.starts_with(&[0xFE, 0xFF]) {
        return "UTF-16 (byte order mark)".into();
    }
    if let Some(v) = declared_encoding(body).filter(|v| !v.is_empty()) {
        return format!("{v} (XML declaration)");
    }
    match http_charset {
        Some(c) => format!("{c} (HTTP Content-Type)"),
        None => "UTF-8 (default)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_named_after_the_prolog() {
        assert_eq!(
            describe_format(b"<?xml version=\"1.0\"?><!-- c --><rss version=\"2.0\">"),
            "RSS 2.0"
        );
        assert_eq!(
            describe_format(b"\xef\xbb\xbf<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            "Atom"
        );
        assert_eq!(describe_format(b"<rdf:RDF>"), "RSS 1.0 (RDF)");
        assert_eq!(describe_format(b" {\"version\": 1}"), "JSON Feed");
        assert_eq!(
            describe_format(b"<!DOCTYPE html><html>"),
            "HTML (not a feed)"
        );
        assert_eq!(describe_format(b"junk"), "unknown");
    }

    #[test]
    fn encodings_say_where_they_come_from() {
        assert_eq!(
            describe_encoding(
                b"<?xml version='1.0' encoding='ISO-8859-1'?><rss/>",
                Some("utf-8")
            ),
            "ISO-8859-1 (XML declaration)"
        );
        assert_eq!(
            describe_encoding(b"<rss/>", Some("koi8-r")),
            "koi8-r (HTTP Content-Type)"
        );
        assert_eq!(describe_encoding(b"<rss/>", None), "UTF-8 (default)");
        assert_eq!(
            describe_encoding(b"\xff\xfe<\x00", None),
            "UTF-16 (byte order mark)"
        );
    }
}

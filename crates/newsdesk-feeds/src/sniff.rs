//! Telling an HTML page from a feed by its first bytes.

/// The text after any XML declaration, processing instructions, comments, DOCTYPE and
/// whitespace.
pub(crate) fn skip_prolog(text: &str) -> &str {
    let mut s = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    loop {
        let next = if s.starts_with("<?") {
            s.find("?>").map(|i| &s[i + 2..])
        } else if s.starts_with("<!--") {
            s.find("-->").map(|i| &s[i + 3..])
        } else if s.len() >= 9 && s.is_char_boundary(9) && s[..9].eq_ignore_ascii_case("<!doctype")
        {
            // Feeds rarely have one; HTML pages always do. Only skip it for the element test.
            // An internal subset (`<!DOCTYPE rss [ <!ENTITY …> ]>`) has `>` inside.
            match (s.find('['), s.find('>')) {
                (Some(open), Some(close)) if open < close => s[open..]
                    .find("]")
                    .and_then(|c| s[open + c..].find('>').map(|g| &s[open + c + g + 1..])),
                (_, close) => close.map(|i| &s[i + 1..]),
            }
        } else {
            None
        };
        match next {
            Some(rest) => s = rest.trim_start(),
            None => return s,
        }
    }
}

/// True when `text` starts like an HTML page (`<!DOCTYPE html>`, `<html>`, `<head>`, `<body>`).
pub(crate) fn looks_like_html_text(text: &str) -> bool {
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let head: String = start
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    let first = skip_prolog(&head);
    // an XHTML DOCTYPE in front of a feed root does not make it a page
    let feed_root = ["<rss", "<feed", "<rdf:rdf", "<channel"]
        .iter()
        .any(|t| first.starts_with(t));
    if head.contains("<!doctype html") && !feed_root {
        return true;
    }
    [
        "<html", "<head", "<body", "<meta", "<title", "<div", "<p>", "<script",
    ]
    .iter()
    .any(|t| first.starts_with(t))
}

/// True when `bytes` start like an HTML page rather than a feed (the caller should then try
/// [`crate::discover_feeds`]).
///
/// ```
/// assert!(newsdesk_feeds::looks_like_html(b"<!DOCTYPE html><html><head></head></html>"));
/// assert!(!newsdesk_feeds::looks_like_html(b"<?xml version='1.0'?><rss version='2.0'/>"));
/// ```
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    looks_like_html_text(&String::from_utf8_lossy(head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctype_with_internal_subset_is_skipped() {
        let doc = "\n<!DOCTYPE rss [\n <!ENTITY id \"tag:x,\">\n]>\n<rss version=\"2.0\"/>";
        assert!(skip_prolog(doc).starts_with("<rss"));
    }

    #[test]
    fn xhtml_doctype_before_a_feed_root_is_not_a_page() {
        let doc = r#"<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x"><rss><channel/></rss>"#;
        assert!(!looks_like_html_text(doc));
        assert!(looks_like_html_text("<!DOCTYPE html><html></html>"));
    }
}

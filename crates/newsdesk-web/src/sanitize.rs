//! Making outside content safe to render: article bodies (sanitised again at render time) and
//! URLs that become `href`/`src` attributes.

use std::collections::HashSet;

use ammonia::{Builder, UrlRelative};

use crate::AppError;
use url::Url;

/// The URL when it is an absolute `http`/`https` URL; `None` for anything else (`javascript:`,
/// `data:`, relative, unparsable). Every outside URL passes here before it becomes a link.
pub(crate) fn http_url(raw: &str) -> Option<String> {
    let parsed = Url::parse(raw.trim()).ok()?;
    match parsed.scheme() {
        "http" | "https" if parsed.host().is_some() => Some(parsed.to_string()),
        _ => None,
    }
}

/// The fields of API records that hold outside URLs.
const URL_FIELDS: &[&str] = &["url", "canonical_url", "lead_image", "site_url", "feed_url"];

/// `record` as JSON with every URL field ([`URL_FIELDS`], at any depth) that is not an absolute
/// `http`/`https` URL set to null: pages and feeds out filter such URLs when they render them,
/// and API clients get the same guarantee (`javascript:` and `data:` URLs never leave).
pub(crate) fn vetted_json(record: &impl serde::Serialize) -> Result<serde_json::Value, AppError> {
    let mut value = serde_json::to_value(record)
        .map_err(|e| AppError::internal(format!("web: API serialisation failed: {e}")))?;
    vet_urls(&mut value);
    Ok(value)
}

/// Sets every URL field of `value` (at any depth) that is not an absolute http(s) URL to null.
pub(crate) fn vet_urls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if URL_FIELDS.contains(&key.as_str()) {
                    if v.as_str().is_some_and(|u| http_url(u).is_none()) {
                        *v = serde_json::Value::Null;
                    }
                } else {
                    vet_urls(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(vet_urls),
        _ => {}
    }
}

/// The host of an http(s) URL, for link texts.
pub(crate) fn host_of(raw: &str) -> Option<String> {
    let parsed = Url::parse(raw.trim()).ok()?;
    parsed
        .host_str()
        .map(|h| h.trim_start_matches("www.").to_string())
}

/// Sanitises an article body: no scripts, styles, iframes, forms or event handlers; only
/// `http`, `https` and `mailto` URLs; relative URLs resolved against the article's URL; images
/// and links kept, links get `rel="noopener noreferrer"`.
///
/// Bodies are sanitised and bounded at ingest already; this second pass is the defence in depth
/// for rows stored before that. It first keeps the markup within
/// [`newsdesk_extract::HtmlBounds`] (one linear scan), so that even an old row nested 40,000
/// deep costs milliseconds, not seconds of a runtime worker, on each view.
pub(crate) fn clean_body(html: &str, article_url: &str) -> String {
    let mut builder = Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"))
        .set_tag_attribute_value("img", "loading", "lazy")
        .set_tag_attribute_value("img", "referrerpolicy", "no-referrer");
    match Url::parse(article_url) {
        Ok(base) if matches!(base.scheme(), "http" | "https") => {
            builder.url_relative(UrlRelative::RewriteWithBase(base));
        }
        _ => {
            builder.url_relative(UrlRelative::Deny);
        }
    }
    let clean = builder
        .clean(&newsdesk_extract::bound_html(html))
        .to_string();
    // ammonia appends the set attributes in the order of a `HashMap`, which differs between
    // processes: one order, so every web node writes the same bytes (and the same ETag).
    clean.replace(SET_SWAPPED, SET_IN_ORDER)
}

/// The attributes every `<img>` gets, in the order pages carry them.
const SET_IN_ORDER: &str = r#" loading="lazy" referrerpolicy="no-referrer""#;
/// The same, in the other order ammonia may write them.
const SET_SWAPPED: &str = r#" referrerpolicy="no-referrer" loading="lazy""#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_pass() {
        assert_eq!(
            http_url(" https://example.org/a?b=1 ").as_deref(),
            Some("https://example.org/a?b=1")
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>",
            "/relative",
            "",
            "http://",
        ] {
            assert_eq!(http_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn bodies_lose_scripts_handlers_and_js_links_but_keep_images_and_links() {
        let dirty = r#"<p onclick="x()">Hi<script>alert(1)</script></p>
<a href="javascript:alert(1)">bad</a><a href="/rel">rel</a>
<img src="https://img.example.org/a.jpg" onerror="alert(2)" alt="pic">
<iframe src="https://evil.example"></iframe><style>p{}</style><p style="color:red">s</p>"#;
        let clean = clean_body(dirty, "https://news.example.org/story/1");
        for gone in [
            "<script",
            "onclick",
            "onerror",
            "javascript:",
            "<iframe",
            "<style",
            "style=",
        ] {
            assert!(!clean.contains(gone), "{gone} survived: {clean}");
        }
        assert!(
            clean.contains(r#"href="https://news.example.org/rel""#),
            "{clean}"
        );
        assert!(clean.contains(r#"rel="noopener noreferrer""#), "{clean}");
        assert!(
            clean.contains(r#"src="https://img.example.org/a.jpg""#),
            "{clean}"
        );
        assert!(clean.contains(r#"loading="lazy""#), "{clean}");
        assert!(clean.contains(SET_IN_ORDER), "{clean}");
        assert!(!clean.contains(SET_SWAPPED), "{clean}");
    }

    #[test]
    fn api_records_carry_only_http_urls() {
        let record = serde_json::json!({
            "url": "javascript:alert(1)",
            "canonical_url": "https://ok.example/a",
            "lead_image": "data:image/svg+xml,<svg onload=alert(1)>",
            "source": {"site_url": " JaVaScRiPt:alert(2)", "feed_url": "http://ok.example/f"},
            "articles": [{"url": "vbscript:x"}, {"url": "http://ok.example/b"}],
            "title": "javascript: is only a word here"
        });
        let v = vetted_json(&record).expect("json");
        assert_eq!(v["url"], serde_json::Value::Null);
        assert_eq!(v["canonical_url"], "https://ok.example/a");
        assert_eq!(v["lead_image"], serde_json::Value::Null);
        assert_eq!(v["source"]["site_url"], serde_json::Value::Null);
        assert_eq!(v["source"]["feed_url"], "http://ok.example/f");
        assert_eq!(v["articles"][0]["url"], serde_json::Value::Null);
        assert_eq!(v["articles"][1]["url"], "http://ok.example/b");
        assert_eq!(v["title"], "javascript: is only a word here");
    }

    #[test]
    fn relative_urls_are_dropped_without_a_usable_base() {
        let clean = clean_body(r#"<a href="/x">x</a>"#, "javascript:alert(1)");
        assert!(!clean.contains("href"), "{clean}");
    }
}

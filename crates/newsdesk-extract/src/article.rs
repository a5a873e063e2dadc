//! The extraction of one page: decode, parse once, metadata, boilerplate, content, render.

use crate::tree_walk::AttrLookup;
use newsdesk_core::ExtractedArticle;
use scraper::{Html, Node};
use url::Url;

use crate::ExtractError;
use crate::body::{self, RenderContext};
use crate::boilerplate;
use crate::content;
use crate::metadata;
use crate::page;
use crate::prepass;
use crate::sanitize::sanitize_html;
use crate::text_stats::Stats;
use crate::tokenize;

/// Extracts an article from the raw bytes of an HTML page.
///
/// `url` is the address the page was fetched from (relative links are resolved against it, or
/// against the page's `<base href>`); `http_charset` is the `charset` parameter of the HTTP
/// `Content-Type`, if any. Fails only for hopeless input: [`ExtractError::Empty`],
/// [`ExtractError::NotHtml`] (binary, PDF, JSON, text without markup) and
/// [`ExtractError::TooLarge`] (over [`crate::MAX_HTML_BYTES`]). A page without an article body
/// gives an article with an empty body and whatever metadata it has.
pub fn extract(
    bytes: &[u8],
    url: &str,
    http_charset: Option<&str>,
) -> Result<ExtractedArticle, ExtractError> {
    page::check_bytes(bytes, url)?;
    let decoded = newsdesk_text::decode_html(bytes, http_charset);
    page::check_text(&decoded.text, url)?;
    let doc = tokenize::parse_document(&prepass::prepare(&decoded.text));

    let page_url = Url::parse(url).ok().filter(|u| u.has_host());
    // Most pages have no `<base>`: look for one in the markup before walking the whole tree.
    let base = has_base_tag(&decoded.text)
        .then(|| base_href(&doc, page_url.as_ref()))
        .flatten()
        .or(page_url);
    drop(decoded);
    let base_str = base.as_ref().map(Url::as_str).unwrap_or(url).to_owned();

    let meta = metadata::extract(&doc, url, base.as_ref());

    let structural = boilerplate::structural(&doc);
    let root = doc.tree.root();
    let loose_stats = Stats::compute(root, &structural);
    let removed = boilerplate::by_class(&doc, &structural, &loose_stats);
    let stats = loose_stats.without(&doc.tree, &removed);

    let strict = content::choose(&doc, &stats);
    let chars = |c: &Option<content::Content>, s: &Stats| -> u32 {
        c.as_ref()
            .map_or(0, |c| c.nodes.iter().map(|n| s.get(*n).text).sum())
    };
    // Class-based removal can be wrong (a wrapper named "page-with-comments"); fall back when it
    // left almost nothing of what structural removal alone would give.
    let strict_chars = chars(&strict, &stats);
    let loose = (strict_chars < 200)
        .then(|| content::choose(&doc, &loose_stats))
        .filter(|loose| chars(loose, &loose_stats) > 3 * strict_chars.max(100));
    let (chosen, removed, stats) = match loose {
        Some(loose) => (loose, structural, loose_stats),
        None => (strict, removed, stats),
    };

    let ctx = RenderContext {
        removed: &removed,
        stats: &stats,
        base: base.as_ref(),
        title: meta.title.as_deref(),
        authors: &meta.authors,
    };
    let mut rendered = match &chosen {
        Some(c) => body::render(&doc, &c.nodes, &ctx),
        None => body::Rendered::default(),
    };
    // JSON-LD articleBody is clean text: prefer it when the page's markup gave much less.
    if let Some(ld_body) = meta.jsonld_body.as_deref() {
        let ld_text = paragraphs_of(ld_body);
        let ld_len = ld_text.chars().filter(|c| !c.is_whitespace()).count();
        let dom_len = rendered.text.chars().filter(|c| !c.is_whitespace()).count();
        if ld_len >= 200 && dom_len * 10 < ld_len * 6 {
            rendered.html = ld_text
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", newsdesk_core::escape::html(p)))
                .collect();
            rendered.text = ld_text;
        }
    }
    let body_html = if rendered.html.is_empty() {
        String::new()
    } else {
        sanitize_html(&rendered.html, &base_str)
    };

    let article = ExtractedArticle {
        url: url.to_owned(),
        canonical_url: meta.canonical_url,
        title: meta.title,
        site_name: meta.site_name,
        authors: meta.authors,
        published: meta.published.map(|d| d.utc),
        modified: meta.modified.map(|d| d.utc),
        published_date: meta.date_guess.map(|d| d.local),
        lead_image: meta.lead_image.or(rendered.first_image),
        description: meta.description,
        declared_language: meta.declared_language,
        tags: meta.tags,
        body_html,
        body_text: rendered.text,
    };
    Ok(article)
}

/// Splits a plain-text body into normalised paragraphs separated by blank lines.
fn paragraphs_of(text: &str) -> String {
    text.split('\n')
        .map(newsdesk_text::normalize_whitespace)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Whether the markup has a `<base` tag (any case).
fn has_base_tag(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"<").any(|at| {
        text.as_bytes()
            .get(at + 1..at + 5)
            .is_some_and(|n| n.eq_ignore_ascii_case(b"base"))
    })
}

/// The document's `<base href>`, resolved against the page URL.
fn base_href(doc: &Html, page_url: Option<&Url>) -> Option<Url> {
    let href = doc
        .tree
        .root()
        .descendants()
        .find_map(|n| match n.value() {
            Node::Element(el) if el.name() == "base" => el.attribute("href"),
            _ => None,
        })?;
    let url = match page_url {
        Some(p) => p.join(href.trim()).ok()?,
        None => Url::parse(href.trim()).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then_some(url)
}

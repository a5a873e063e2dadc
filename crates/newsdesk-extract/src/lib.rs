//! Extract stage of newsdesk: raw page bytes + URL in, [`ExtractedArticle`] out.
//!
//! [`extract`] decodes the bytes (BOM, HTTP charset, `<meta>`, detection, via `newsdesk-text`),
//! drops in one cheap pass what no stage reads (style, svg and noscript contents, comments,
//! scripts that hold neither JSON nor a publication date, unread attributes and `<link>`s,
//! indentation between tags) and bounds the nesting depth, parses the rest once into an HTML5
//! DOM (`scraper`'s tree, built by html5ever's tree builder from our own, faster tokenizer) and
//! finds:
//!
//! * the **metadata**: title without the site's name, site name, authors, publication and
//!   modification times (stored in UTC), lead image, canonical URL, description, tags and
//!   declared language, from JSON-LD, `<meta>` tags, microdata, `<time>` elements, bylines and
//!   the URL;
//! * the **body**: boilerplate (navigation, share bars, cookie banners, comments, related links…)
//!   is removed by tag, role and class words, a readability-style scorer picks the container of
//!   the article's paragraphs (moving up when the article is split over sibling blocks, or to
//!   the element that declares itself the body: microdata, `<article>`, "article-body"
//!   classes), adds a lead/intro block placed before it and the blocks lying between its parts
//!   (an ingredient list), and that content is rendered as allow-listed HTML (through
//!   [`sanitize_html`]) and as plain text with paragraphs separated by blank lines. Inside it,
//!   link boxes, "related"/"more on this" headings with what follows them, comment counts,
//!   paywall/subscription/donation/follow-us lines, posting metadata, repeated bylines and
//!   standalone image credits are dropped; figure captions stay in the HTML but not in the plain
//!   text. Embedded iframes and videos become a visible `Embedded content: <link>` paragraph;
//!   quoted social posts keep their text after that link.
//!
//! [`html_text`] gives the plain text of an HTML fragment (a feed's content) by the same
//! renderer.
//!
//! It does no network and no database work, and has no per-site rules. [`sanitize_html`] is
//! also the sanitiser for feed summaries; it keeps every HTML that is stored within
//! [`HtmlBounds`] (nesting depth, elements, attributes) by a linear pass ([`bound_html`]) before
//! parsing, so that hostile markup costs neither minutes at ingest nor seconds at each view. The
//! benchmark interfaces (`newsdesk extract --batch`, `newsdesk bench extract`) call [`extract`]
//! exactly as the pipeline does; the benchmark's record format is the binary's business, not this
//! library's.
//! Errors ([`ExtractError`]) are only for hopeless input: empty, not HTML, or over
//! [`MAX_HTML_BYTES`].
//!
//! ```
//! let page = br#"<html lang="en"><head><title>Rain returns to Paris | Example News</title>
//!   <meta property="og:site_name" content="Example News">
//!   <meta name="author" content="By Jane Doe">
//!   <meta property="article:published_time" content="2026-03-14T09:30:00+01:00"></head>
//!   <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Rain returns to Paris</h1>
//!   <p>After three dry months, rain fell on Paris on Saturday, to the relief of farmers in the region.</p>
//!   <p>Forecasters expect more showers next week, with temperatures close to the seasonal average.</p>
//!   </article><footer>(c) Example News</footer></body></html>"#;
//! let a = newsdesk_extract::extract(page, "https://news.example.org/2026/03/14/rain", None).unwrap();
//! assert_eq!(a.title.as_deref(), Some("Rain returns to Paris"));
//! assert_eq!(a.site_name.as_deref(), Some("Example News"));
//! assert_eq!(a.authors, ["Jane Doe"]);
//! assert_eq!(a.published.unwrap().to_rfc3339(), "2026-03-14T08:30:00+00:00");
//! assert!(a.body_text.starts_with("After three dry months"));
//! assert!(!a.body_text.contains("Home"));
//! ```

mod article;
mod authors;
mod body;
mod boilerplate;
mod bounds;
mod content;
mod dates;
mod error;
mod fragment_text;
mod jsonld;
mod metadata;
mod page;
mod prepass;
#[cfg(any(test, fuzzing))]
mod prepass_compare;
mod sanitize;
mod text_stats;
mod title;
mod tokenize;
mod tree_walk;

pub use article::extract;
pub use bounds::{
    HtmlBounds, MAX_ATTRIBUTES_PER_ELEMENT, MAX_HTML_ATTRIBUTES, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS,
    bound_html, bound_html_with,
};
pub use error::ExtractError;
pub use fragment_text::html_text;
pub use newsdesk_core::ExtractedArticle;
pub use page::MAX_HTML_BYTES;
pub use prepass::MAX_NESTING;
pub use sanitize::{ALLOWED_TAGS, sanitize_html};

/// Only for the differential fuzz target (`fuzz/fuzz_targets/tokenize.rs`), built by cargo-fuzz
/// with `--cfg fuzzing`: whether newsdesk's tokenizer and html5ever's give the same tree.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn fuzz_same_tree(html: &str) -> Result<(), (String, String)> {
    tokenize::compare::same_tree(html)
}

/// Only for the differential fuzz target of the pre-pass (`fuzz/fuzz_targets/prepass.rs`):
/// whether html5ever's tree of the pre-pass's output is its tree of `html` less what the
/// pre-pass drops by design; on a difference, what differs.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn fuzz_prepass_same_content(html: &str) -> Result<(), String> {
    prepass_compare::same_content(html)
}

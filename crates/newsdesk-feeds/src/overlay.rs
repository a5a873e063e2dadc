//! What feed-rs does not read, read from the document's element tree and laid over feed-rs's
//! model: the second half of [`crate::parse_feed`].
//!
//! Fields follow Python feedparser's reading of each format (its test suite is the
//! compatibility yardstick):
//!
//! * text constructs (titles, summaries, contents) keep their format: HTML (Atom
//!   `type="html"`/`"xhtml"`, RSS text that looks like HTML) or plain text ([`TextFormat`]);
//!   inline XHTML is serialised (the wrapping `<div>` of Atom 1.0 dropped), Atom base64 content
//!   is decoded (feed-rs does not), relative URLs inside HTML are resolved against `xml:base`.
//!   Nothing is sanitised here: stored HTML is sanitised once, by the pipeline, and
//!   [`crate::feedparser_view`] sanitises feedparser's way for the comparison with feedparser;
//! * feed-rs ignores `dc:title`, `dc:language`, `dcterms:modified`/`issued`, `itunes:author`,
//!   `media:title`, `media:category`, RSS 1.0 `dc:subject` and CDF documents; they are read
//!   from the element tree here and fill what feed-rs left empty;
//! * Atom links: the last `rel="alternate"` HTML link with an `href` wins (feed-rs takes the
//!   first link even without `href`); an RSS `<guid>` that is a permalink is the link when there
//!   is no `<link>`.

use newsdesk_core::escape;
use newsdesk_core::{Enclosure, FeedEntry, FeedMeta, ParsedFeed, TextFormat};
use url::Url;

use crate::html_sanitizer::{ACCEPTABLE_ELEMENTS, resolve_relative_uris, safe_absolute_uri};
use crate::parse_date;
use crate::plain_text::{collapse_whitespace, html_to_text};
use crate::xml_tree::{Element, Node};

const ATOM10_NS: &str = "http://www.w3.org/2005/Atom";

/// True when the tree's root is a CDF `<CHANNEL>` (which feed-rs refuses).
pub(crate) fn is_cdf(root: &Element) -> bool {
    root.local.eq_ignore_ascii_case("channel")
}

/// Format facts that change how text constructs are read.
#[derive(Clone, Copy)]
struct Format {
    atom: bool,
    atom10: bool,
}

/// A text construct's value and format.
#[derive(Clone)]
struct TextValue {
    value: String,
    format: TextFormat,
}

/// A title as (text, HTML when it was HTML).
fn title_of(t: Option<TextValue>) -> (Option<String>, Option<String>) {
    match t {
        None => (None, None),
        Some(TextValue {
            value,
            format: TextFormat::Text,
        }) => (
            Some(collapse_whitespace(&value)).filter(|t| !t.is_empty()),
            None,
        ),
        Some(TextValue {
            value,
            format: TextFormat::Html,
        }) => {
            let text = html_to_text(&value);
            ((!text.is_empty()).then_some(text), Some(value))
        }
    }
}

/// Lays the fields read from the element tree `root` over `base` (feed-rs's reading).
pub(crate) fn overlay(base: ParsedFeed, root: &Element, feed_base: Option<Url>) -> ParsedFeed {
    let root_name = root.local.to_ascii_lowercase();
    let fmt = Format {
        atom: root_name == "feed",
        atom10: root.ns.as_deref() == Some(ATOM10_NS),
    };
    let root_base = element_base(root, feed_base.as_ref());
    let (channel, channel_base) = match root_name.as_str() {
        "rss" | "rdf" => match root.elements().find(|e| cname(e) == "channel") {
            Some(c) => (c, element_base(c, root_base.as_ref())),
            None => (root, root_base.clone()),
        },
        _ => (root, root_base.clone()),
    };
    let mut items: Vec<&Element> = Vec::new();
    let entry_name = if fmt.atom { "entry" } else { "item" };
    for parent in [root, channel] {
        items.extend(parent.elements().filter(|e| cname(e) == entry_name));
        if std::ptr::eq(root, channel) {
            break;
        }
    }

    let ParsedFeed {
        wellformed,
        feed,
        entries,
    } = base;
    let mine = read_meta(channel, channel_base.as_ref(), fmt);
    let (title, title_html) = title_of(mine.title);
    let feed = FeedMeta {
        title,
        title_html,
        link: mine.link.or(feed.link),
        language: feed.language.or(mine.language).or_else(|| {
            root.attr("xml:lang")
                .filter(|l| !l.is_empty())
                .map(|l| l.replace('_', "-"))
        }),
        updated: feed.updated.or(mine.updated),
        ttl_minutes: mine.ttl_minutes.or(feed.ttl_minutes),
        skip_hours: mine.skip_hours,
        skip_days: mine.skip_days,
    };
    let mut entries = entries.into_iter();
    let entries = items
        .iter()
        .map(|item| {
            let b = entries.next().unwrap_or_default();
            let item_base = element_base(item, channel_base.as_ref());
            let m = read_entry(item, item_base.as_ref(), fmt);
            let (title, title_html) = title_of(m.title);
            let (summary, summary_format) = split(m.summary);
            let (content, content_format) = split(m.content);
            FeedEntry {
                title,
                title_html,
                link: m.link.or(b.link),
                id: b.id.or(m.id),
                // the tree tells a publication date from an update (feed-rs reads an item's
                // `dc:date` as its publication date, over its `pubDate`)
                published: m.published.or(b.published),
                updated: m.updated.or(b.updated),
                author: b.author.or(m.author),
                summary,
                summary_format,
                content,
                content_format,
                enclosures: if b.enclosures.is_empty() {
                    m.enclosures
                } else {
                    b.enclosures
                },
                // the tree reads every module (RSS, Atom, Dublin Core, Media RSS, iTunes)
                categories: if m.categories.is_empty() {
                    b.categories
                } else {
                    m.categories
                },
            }
        })
        .collect();
    ParsedFeed {
        wellformed,
        feed,
        entries,
    }
}

fn split(t: Option<TextValue>) -> (Option<String>, TextFormat) {
    match t {
        Some(t) => (Some(t.value), t.format),
        None => (None, TextFormat::Html),
    }
}

/// The canonical name of an element: `local` for core RSS/Atom/CDF elements (and elements of
/// unknown default namespaces, as feedparser does), `prefix:local` for known modules with
/// their usual prefix (whatever prefix the document used), else the prefix as written.
fn cname(e: &Element) -> String {
    let local = e.local.to_ascii_lowercase();
    let written_prefix = e.qname.split_once(':').map(|(p, _)| p);
    let prefix = match e.ns.as_deref().map(str::to_ascii_lowercase) {
        None => return local,
        Some(ns) => match ns.trim_end_matches(['/', '#']) {
            "http://purl.org/dc/elements/1.1" => "dc",
            "http://purl.org/dc/terms" => "dcterms",
            "http://purl.org/rss/1.0/modules/content" => "content",
            "http://search.yahoo.com/mrss" => "media",
            "http://www.itunes.com/dtds/podcast-1.0.dtd"
            | "http://example.com/dtds/podcast-1.0.dtd" => "itunes",
            "http://www.w3.org/1999/xhtml" => "xhtml",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns" => "rdf",
            "http://purl.org/rss/1.0"
            | "http://my.netscape.com/rdf/simple/0.9"
            | "http://backend.userland.com/rss"
            | "http://backend.userland.com/rss2"
            | "http://blogs.law.harvard.edu/tech/rss"
            | "http://purl.org/atom/ns"
            | "http://www.w3.org/2005/atom" => return local,
            _ => match written_prefix {
                None => return local,
                Some(p) => return format!("{}:{local}", p.to_ascii_lowercase()),
            },
        },
    };
    format!("{prefix}:{local}")
}

/// The base URL in force inside `e` (its `xml:base` joined to the parent's base).
fn element_base(e: &Element, parent: Option<&Url>) -> Option<Url> {
    let Some(b) = e
        .attrs
        .iter()
        .find(|(k, _)| k == "xml:base")
        .map(|(_, v)| v.trim())
    else {
        return parent.cloned();
    };
    let joined = match parent {
        Some(p) => p.join(b).ok(),
        None => Url::parse(b).ok(),
    };
    // a javascript: base would make every relative link dangerous
    joined
        .filter(|u| !safe_absolute_uri(None, u.as_str()).is_empty())
        .or_else(|| parent.cloned())
}

#[derive(Default)]
struct Meta {
    title: Option<TextValue>,
    link: Option<String>,
    language: Option<String>,
    updated: Option<chrono::DateTime<chrono::Utc>>,
    ttl_minutes: Option<u32>,
    skip_hours: Vec<u32>,
    skip_days: Vec<chrono::Weekday>,
}

fn read_meta(channel: &Element, base: Option<&Url>, fmt: Format) -> Meta {
    let children: Vec<&Element> = channel.elements().collect();
    let title = first_text_construct(&children, &["title", "dc:title"], base, fmt);
    let link = read_link(channel, &children, base);
    let language = children
        .iter()
        .find(|e| matches!(cname(e).as_str(), "language" | "dc:language"))
        .map(|e| e.text().trim().to_owned())
        .filter(|l| !l.is_empty());
    let updated = children
        .iter()
        .filter(|e| {
            matches!(
                cname(e).as_str(),
                "lastbuilddate"
                    | "pubdate"
                    | "updated"
                    | "modified"
                    | "dcterms:modified"
                    | "dc:date"
                    | "published"
                    | "issued"
            )
        })
        .find_map(|e| parse_date(e.text().trim()))
        .or_else(|| channel.attr("lastmod").and_then(parse_date));
    let (ttl_minutes, skip_hours, skip_days) = read_skip_hints(&children);
    Meta {
        title,
        link,
        language,
        updated,
        ttl_minutes,
        skip_hours,
        skip_days,
    }
}

/// RSS 2.0 channel hints for aggregators: `<ttl>` (positive minutes), `<skipHours>` (`<hour>`
/// 0–23, 24 read as 0) and `<skipDays>` (`<day>` English day names), sorted, without repeats.
/// Values that do not parse are left out.
fn read_skip_hints(channel: &[&Element]) -> (Option<u32>, Vec<u32>, Vec<chrono::Weekday>) {
    let ttl = channel
        .iter()
        .find(|e| cname(e) == "ttl")
        .and_then(|e| e.text().trim().parse::<u32>().ok())
        .filter(|m| *m > 0);
    let items = |list: &str, item: &str| -> Vec<String> {
        channel
            .iter()
            .filter(|e| cname(e) == list)
            .flat_map(|e| e.elements().filter(|c| cname(c) == item))
            .map(|e| e.text().trim().to_owned())
            .collect()
    };
    let mut hours: Vec<u32> = items("skiphours", "hour")
        .iter()
        .filter_map(|h| h.parse::<u32>().ok())
        .map(|h| if h == 24 { 0 } else { h })
        .filter(|h| *h < 24)
        .collect();
    hours.sort_unstable();
    hours.dedup();
    let mut days: Vec<chrono::Weekday> = items("skipdays", "day")
        .iter()
        .filter_map(|d| d.parse::<chrono::Weekday>().ok())
        .collect();
    days.sort_unstable_by_key(|d| d.num_days_from_monday());
    days.dedup();
    (ttl, hours, days)
}

fn read_link(parent: &Element, children: &[&Element], base: Option<&Url>) -> Option<String> {
    let mut href_link = None;
    let mut text_link = None;
    for e in children.iter().filter(|e| cname(e) == "link") {
        match e.attr("href") {
            Some(href) => {
                let rel = e.attr("rel").unwrap_or("alternate");
                let ty = e.attr("type").unwrap_or("text/html").to_ascii_lowercase();
                if rel == "alternate"
                    && matches!(
                        ty.as_str(),
                        "text/html" | "application/xhtml+xml" | "html" | "xhtml"
                    )
                {
                    href_link = Some(resolve_link(href, base));
                }
            }
            None => {
                let t = e.text();
                let alternate = e.attr("rel").is_none_or(|r| r == "alternate");
                if alternate && !t.trim().is_empty() && text_link.is_none() {
                    text_link = Some(resolve_link(&t, base));
                }
            }
        }
    }
    href_link
        .or(text_link)
        .or_else(|| parent.attr("href").map(|h| resolve_link(h, base)))
}

fn resolve_link(href: &str, base: Option<&Url>) -> String {
    let href = href.trim();
    match base {
        Some(b) => b.join(href).map_or_else(|_| href.to_owned(), String::from),
        None => href.to_owned(),
    }
}

#[derive(Default)]
struct EntryFields {
    title: Option<TextValue>,
    link: Option<String>,
    id: Option<String>,
    published: Option<chrono::DateTime<chrono::Utc>>,
    updated: Option<chrono::DateTime<chrono::Utc>>,
    author: Option<String>,
    summary: Option<TextValue>,
    content: Option<TextValue>,
    enclosures: Vec<Enclosure>,
    categories: Vec<String>,
}

fn read_entry(item: &Element, base: Option<&Url>, fmt: Format) -> EntryFields {
    let children: Vec<&Element> = item.elements().collect();
    let group: Vec<&Element> = children
        .iter()
        .filter(|e| cname(e) == "media:group")
        .flat_map(|g| g.elements())
        .collect();
    // feedparser: a media:title never hides a later title
    let title = first_text_construct(&children, &["title", "dc:title"], base, fmt)
        .or_else(|| first_text_construct(&children, &["media:title"], base, fmt))
        .or_else(|| first_text_construct(&group, &["media:title"], base, fmt));

    // feedparser: the first summary-like element is the summary; a second one becomes the
    // content when there is no real content element.
    const SUMMARY: &[&str] = &[
        "summary",
        "description",
        "dc:description",
        "abstract",
        "media:description",
        "itunes:summary",
    ];
    const CONTENT: &[&str] = &[
        "content",
        "content:encoded",
        "body",
        "xhtml:body",
        "fullitem",
    ];
    let summaries: Vec<&Element> = children
        .iter()
        .copied()
        .filter(|e| SUMMARY.contains(&cname(e).as_str()))
        .collect();
    let content_el = children
        .iter()
        .copied()
        .find(|e| CONTENT.contains(&cname(e).as_str()));
    let mut summary = summaries
        .first()
        .and_then(|e| text_construct(e, base, fmt))
        .or_else(|| {
            group
                .iter()
                .find(|e| cname(e) == "media:description")
                .and_then(|e| text_construct(e, base, fmt))
        });
    let content = match content_el {
        Some(c) => text_construct(c, base, fmt),
        None => summaries.get(1).and_then(|e| text_construct(e, base, fmt)),
    };
    if summary.is_none()
        && let Some(c) = content_el
        && matches!(
            content_type(c, fmt).0.as_str(),
            "text/plain" | "text/html" | "application/xhtml+xml"
        )
    {
        summary.clone_from(&content);
    }

    let mut link = read_link(item, &children, base);
    let guid = children.iter().find(|e| cname(e) == "guid");
    if link.is_none()
        && let Some(g) = guid
        && g.attr("isPermaLink")
            .is_none_or(|v| v.eq_ignore_ascii_case("true"))
    {
        link = Some(resolve_link(&g.text(), base)).filter(|l| !l.is_empty());
    }
    let id = children
        .iter()
        .find(|e| matches!(cname(e).as_str(), "id" | "guid"))
        .map(|e| e.text().trim().to_owned())
        .filter(|i| !i.is_empty())
        // RSS 1.0 names each item by its `rdf:about` URI
        .or_else(|| {
            item.attr("rdf:about")
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .map(str::to_owned)
        });
    // the last readable date of a kind wins, as in feedparser (a feed that repeats an element
    // corrects itself)
    let date_of = |names: &[&str]| {
        children
            .iter()
            .rev()
            .filter(|e| names.contains(&cname(e).as_str()))
            .find_map(|e| parse_date(e.text().trim()))
    };
    let published = date_of(&[
        "pubdate",
        "published",
        "issued",
        "dcterms:issued",
        "dcterms:created",
    ]);
    let updated = date_of(&["updated", "modified", "dcterms:modified", "dc:date"])
        .or_else(|| item.attr("lastmod").and_then(parse_date));
    let author = children.iter().find_map(|e| match cname(e).as_str() {
        // Atom: the name, else the email (feedparser's `author`, without the "(email)")
        "author" if e.has_elements() => ["name", "email"].iter().find_map(|part| {
            e.elements()
                .find(|n| cname(n) == *part)
                .map(|n| n.text().trim().to_owned())
                .filter(|v| !v.is_empty())
        }),
        "author" | "dc:creator" | "dc:author" | "itunes:author" => author_name(&e.text()),
        _ => None,
    });
    let mut categories = Vec::new();
    for e in children.iter().chain(group.iter()) {
        let value = match cname(e).as_str() {
            "category" => e.attr("term").map(str::to_owned).or_else(|| Some(e.text())),
            "dc:subject" | "media:category" => Some(e.text()),
            "itunes:category" => e.attr("text").map(str::to_owned),
            "itunes:keywords" => {
                let text = e.text();
                categories.extend(
                    text.split(',')
                        .map(str::trim)
                        .filter(|k| !k.is_empty())
                        .map(str::to_owned),
                );
                None
            }
            _ => None,
        };
        if let Some(v) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
            categories.push(v);
        }
    }
    // RSS enclosures, Atom enclosure links, Media RSS content and thumbnails (in or out of a
    // media:group), in document order, each URL once
    let mut enclosures: Vec<Enclosure> = Vec::new();
    for e in children.iter().chain(group.iter()) {
        let length = |name: &str| e.attr(name).and_then(|l| l.trim().parse().ok());
        let found = match cname(e).as_str() {
            "enclosure" => e.attr("url").map(|u| (u, e.attr("type"), length("length"))),
            "link" if e.attr("rel") == Some("enclosure") => e
                .attr("href")
                .map(|u| (u, e.attr("type"), length("length"))),
            "media:content" => e
                .attr("url")
                .map(|u| (u, e.attr("type"), length("fileSize"))),
            "media:thumbnail" => e.attr("url").map(|u| (u, None, None)),
            _ => None,
        };
        if let Some((url, mime_type, length)) = found
            && !url.trim().is_empty()
        {
            let url = resolve_link(url, base);
            if !enclosures.iter().any(|x| x.url == url) {
                enclosures.push(Enclosure {
                    url,
                    mime_type: mime_type.map(str::to_owned),
                    length,
                });
            }
        }
    }
    EntryFields {
        title,
        link,
        id,
        published,
        updated,
        author,
        summary,
        content,
        enclosures,
        categories,
    }
}

/// The name out of "email (Name)", "Name <email>" or "Name".
fn author_name(raw: &str) -> Option<String> {
    let mut s = raw.trim().to_owned();
    if let Some(email) = s
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>'))
        .find(|w| w.contains('@') && w.contains('.'))
        .map(str::to_owned)
    {
        s = s
            .replace(&email, "")
            .replace("()", "")
            .replace("<>", "")
            .trim()
            .to_owned();
        if let Some(inner) = s.strip_prefix('(') {
            s = inner.to_owned();
        }
        if let Some(inner) = s.strip_suffix(')') {
            s = inner.to_owned();
        }
        s = s.trim().to_owned();
        if s.is_empty() {
            return Some(email);
        }
    }
    (!s.is_empty()).then_some(s)
}

/// The first of `names` among `children` (in document order) that gives a value.
fn first_text_construct(
    children: &[&Element],
    names: &[&str],
    base: Option<&Url>,
    fmt: Format,
) -> Option<TextValue> {
    children
        .iter()
        .find(|e| names.contains(&cname(e).as_str()))
        .and_then(|e| text_construct(e, base, fmt))
}

/// The default content type of a text construct (feedparser's per-element defaults).
fn default_type(e: &Element) -> &'static str {
    match cname(e).as_str() {
        "description" | "dc:description" | "media:description" | "abstract" | "content:encoded"
        | "fullitem" => "text/html",
        "body" | "xhtml:body" => "application/xhtml+xml",
        _ => "text/plain",
    }
}

/// (content type, base64) of a text construct.
fn content_type(e: &Element, _fmt: Format) -> (String, bool) {
    let ty = map_content_type(e.attr("type").unwrap_or(default_type(e)));
    let base64 = e.attr("mode") == Some("base64")
        || !(ty.starts_with("text/") || ty.ends_with("+xml") || ty.ends_with("/xml"));
    (ty, base64)
}

fn map_content_type(t: &str) -> String {
    let t = t.trim().to_ascii_lowercase();
    match t.as_str() {
        "text" | "plain" => "text/plain".into(),
        "html" => "text/html".into(),
        "xhtml" => "application/xhtml+xml".into(),
        _ => t,
    }
}

/// RSS item elements that never sit inside another field: finding one inside a text element
/// means that element was left unclosed.
const RSS_ITEM_FIELDS: &[&str] = &[
    "title",
    "link",
    "description",
    "guid",
    "pubdate",
    "author",
    "category",
    "comments",
    "enclosure",
    "item",
];

/// A text construct's value as feedparser reads it: base64 decoded, inline markup serialised,
/// relative URLs in HTML resolved, whitespace trimmed; not sanitised.
fn text_construct(e: &Element, parent_base: Option<&Url>, fmt: Format) -> Option<TextValue> {
    if !fmt.atom
        && let Some(cut) = e.children.iter().position(|n| {
            // (an HTML `<link rel=… href=…>` inside markup is not an RSS field)
            matches!(n, Node::Element(c) if RSS_ITEM_FIELDS.contains(&cname(c).as_str())
                && c.attr("href").is_none() && c.attr("rel").is_none())
        })
    {
        // an RSS text element left unclosed swallowed the item's next field
        // (`<title>First<link>…</link></item>`): its value is the text before that field
        let text: String = e.children[..cut]
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect();
        let value = text.trim();
        return (!value.is_empty()).then(|| TextValue {
            value: value.to_owned(),
            format: TextFormat::Text,
        });
    }
    let base = element_base(e, parent_base);
    let (mut ty, base64) = content_type(e, fmt);
    let mut value = if e.has_elements() && !base64 {
        let escaped_type = !ty.ends_with("xml");
        if escaped_type && has_non_div_element(e) {
            // "declared itself as escaped markup, but it isn't really"
            ty = "application/xhtml+xml".into();
        }
        let xhtml = ty == "application/xhtml+xml";
        let mut pieces = Vec::new();
        for n in &e.children {
            serialize(n, xhtml, escaped_type, &mut pieces);
        }
        if fmt.atom10 && xhtml {
            strip_wrapping_div(&mut pieces);
        }
        pieces.concat()
    } else {
        e.text()
    };
    if base64 && let Some(decoded) = decode_base64(&value) {
        value = decoded;
    }
    // UTF-8 read as windows-1252 somewhere upstream ("â€¦" for "…"), as feedparser undoes it
    let value =
        crate::plain_text::fix_mojibake(value.trim()).unwrap_or_else(|| value.trim().to_owned());
    let value = value.as_str();
    if !fmt.atom && ty == "text/plain" && looks_like_html(value) {
        ty = "text/html".into();
    }
    // Plain text stays as written (feedparser's convention); other types (a failed base64, an
    // unknown MIME type) are read as HTML, to be sanitised as such.
    let html = ty != "text/plain";
    if value.is_empty() {
        return None;
    }
    Some(if html {
        TextValue {
            value: match base.as_ref() {
                Some(b) => resolve_relative_uris(value, b),
                None => value.to_owned(),
            },
            format: TextFormat::Html,
        }
    } else {
        TextValue {
            value: value.to_owned(),
            format: TextFormat::Text,
        }
    })
}

fn has_non_div_element(e: &Element) -> bool {
    e.elements()
        .any(|c| !c.local.eq_ignore_ascii_case("div") || has_non_div_element(c))
}

/// Serialises inline markup as feedparser does: names without prefixes, attributes quoted
/// with `"`, text escaped when the content is XHTML; `div`s are dropped when the element
/// declared escaped markup.
fn serialize(n: &Node, xhtml: bool, skip_divs: bool, out: &mut Vec<String>) {
    match n {
        Node::Text(t) => out.push(if xhtml {
            escape::html_text(t).into_owned()
        } else {
            t.clone()
        }),
        Node::Element(e) => {
            let skip = skip_divs && e.local.eq_ignore_ascii_case("div");
            if !skip {
                let mut tag = format!("<{}", e.local);
                let mut attrs: Vec<(String, String)> = e
                    .attrs
                    .iter()
                    .filter(|(k, _)| k != "xmlns" && !k.starts_with("xmlns:"))
                    .cloned()
                    .collect();
                let ns = e.ns.as_deref().unwrap_or_default();
                if (e.local == "svg" && ns == "http://www.w3.org/2000/svg")
                    || (e.local == "math" && ns == "http://www.w3.org/1998/Math/MathML")
                {
                    attrs.push(("xmlns".into(), ns.to_owned()));
                }
                for (k, v) in attrs {
                    tag.push_str(&format!(" {k}=\"{}\"", escape::html(&v)));
                }
                tag.push('>');
                out.push(tag);
            }
            for c in &e.children {
                serialize(c, xhtml, skip_divs, out);
            }
            if !skip {
                out.push(format!("</{}>", e.local));
            }
        }
    }
}

/// Drops one `<div>` wrapping all of an Atom 1.0 XHTML construct.
fn strip_wrapping_div(pieces: &mut Vec<String>) {
    while pieces.len() > 1 && pieces.last().is_some_and(|p| p.trim().is_empty()) {
        pieces.pop();
    }
    while pieces.len() > 1 && pieces.first().is_some_and(|p| p.trim().is_empty()) {
        pieces.remove(0);
    }
    let wrapped = pieces
        .first()
        .is_some_and(|p| p == "<div>" || p.starts_with("<div "))
        && pieces.last().is_some_and(|p| p == "</div>");
    if !wrapped {
        return;
    }
    let mut depth = 0;
    for p in &pieces[..pieces.len() - 1] {
        if p.starts_with("</") {
            depth -= 1;
            if depth == 0 {
                return; // the first div closes before the end
            }
        } else if p.starts_with('<') && !p.ends_with("/>") {
            depth += 1;
        }
    }
    pieces.pop();
    pieces.remove(0);
}

/// feedparser's guess for RSS text: a close tag or a reference, only known HTML elements and
/// entities.
fn looks_like_html(s: &str) -> bool {
    let has_close = s.match_indices("</").any(|(i, _)| {
        let rest = &s[i + 2..];
        let n = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        n > 0 && rest[n..].starts_with('>')
    });
    let refs: Vec<&str> = s
        .match_indices('&')
        .filter_map(|(i, _)| {
            let rest = &s[i + 1..];
            let body = rest.strip_prefix('#').unwrap_or(rest);
            let n = body
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(body.len());
            (n > 0 && body[n..].starts_with(';')).then(|| &rest[..rest.len() - body.len() + n])
        })
        .collect();
    if !has_close && refs.is_empty() {
        return false;
    }
    let tags_ok = s.match_indices('<').all(|(i, _)| {
        let rest = s[i + 1..].strip_prefix('/').unwrap_or(&s[i + 1..]);
        let n = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        n == 0 || ACCEPTABLE_ELEMENTS.contains(&rest[..n].to_ascii_lowercase().as_str())
    });
    let entities_ok = refs
        .iter()
        .all(|r| r.starts_with('#') || escape::named_reference(r).is_some());
    tags_ok && entities_ok
}

/// Standard base64 (whitespace ignored); `None` when it is not base64 or not UTF-8.
fn decode_base64(s: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push(((bits >> nbits) & 0xff) as u8);
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The feedparser view of a parse: what these fields look like to feedparser's tests.
    fn parse(xml: &str) -> crate::FeedparserView {
        crate::feedparser_view(&crate::parse_feed(xml.as_bytes(), None, None).unwrap())
    }

    #[test]
    fn rss_ttl_skip_hours_and_skip_days_are_feed_facts() {
        let feed = crate::parse_feed(
            br#"<rss version="2.0"><channel><title>T</title><ttl> 90 </ttl>
              <skipHours><hour>3</hour><hour>24</hour><hour>3</hour><hour>x</hour><hour>25</hour><hour>1</hour></skipHours>
              <skipDays><day>Sunday</day><day>Saturday</day><day>Funday</day></skipDays>
              <item><title>a</title><link>https://example.org/a</link></item></channel></rss>"#,
            None,
            None,
        )
        .unwrap();
        assert_eq!(feed.feed.ttl_minutes, Some(90));
        assert_eq!(feed.feed.skip_hours, vec![0, 1, 3]);
        assert_eq!(
            feed.feed.skip_days,
            vec![chrono::Weekday::Sat, chrono::Weekday::Sun]
        );
        // a zero ttl, an Atom feed: no hints
        let zero = crate::parse_feed(
            b"<rss version=\"2.0\"><channel><ttl>0</ttl><item><title>a</title></item></channel></rss>",
            None,
            None,
        )
        .unwrap();
        assert_eq!(zero.feed.ttl_minutes, None);
        let atom = crate::parse_feed(
            br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>a</title></entry></feed>"#,
            None,
            None,
        )
        .unwrap();
        assert!(atom.feed.ttl_minutes.is_none() && atom.feed.skip_hours.is_empty());
    }

    #[test]
    fn base64_atom_content_is_decoded() {
        let f = parse(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="text/html" mode="base64">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</content></entry></feed>"#,
        );
        assert_eq!(f.entries[0].content.as_deref(), Some("Example <b>Atom</b>"));
    }

    #[test]
    fn inline_xhtml_title_loses_its_wrapping_div() {
        let f = parse(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">History of the &lt;blink&gt; tag</div></title></feed>"#,
        );
        assert_eq!(
            f.feed.title.as_deref(),
            Some("History of the &lt;blink&gt; tag")
        );
    }

    #[test]
    fn relative_links_in_content_follow_xml_base() {
        let f = parse(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/test/"><title type="html">Example &lt;a href="test.html"&gt;test&lt;/a&gt;</title></feed>"#,
        );
        assert_eq!(
            f.feed.title.as_deref(),
            Some(r#"Example <a href="http://example.com/test/test.html">test</a>"#)
        );
    }

    #[test]
    fn unmapped_modules_fill_the_gaps() {
        let f = parse(
            r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><dc:title>Example title</dc:title><dc:language>en</dc:language>
            <item><media:title>bar</media:title><itunes:author>Mark Pilgrim</itunes:author><media:category>cat1</media:category><media:category>cat2</media:category></item></channel></rss>"#,
        );
        assert_eq!(f.feed.title.as_deref(), Some("Example title"));
        assert_eq!(f.feed.language.as_deref(), Some("en"));
        let e = &f.entries[0];
        assert_eq!(e.title.as_deref(), Some("bar"));
        assert_eq!(e.author.as_deref(), Some("Mark Pilgrim"));
        assert_eq!(e.categories, vec!["cat1", "cat2"]);
    }

    #[test]
    fn media_title_never_hides_a_title_and_double_encoded_text_is_repaired() {
        let f = parse(
            r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:title>bar</media:title><title>foo</title><description>&#226;&#128;&#166;</description></item></channel></rss>"#,
        );
        assert_eq!(f.entries[0].title.as_deref(), Some("foo"));
        assert_eq!(f.entries[0].summary.as_deref(), Some("\u{2026}"));
    }

    #[test]
    fn second_summary_like_element_is_the_content() {
        let f = parse(
            r#"<rss version="2.0"><channel><item><summary>Example summary</summary><description>Example description</description></item></channel></rss>"#,
        );
        assert_eq!(f.entries[0].summary.as_deref(), Some("Example summary"));
        assert_eq!(f.entries[0].content.as_deref(), Some("Example description"));
    }

    #[test]
    fn cdf_channels_are_read() {
        let f = parse(
            r#"<CHANNEL HREF="http://www.example.org/" LASTMOD="2004-04-07T04:05:43Z"><ITEM><TITLE>Example item</TITLE><ABSTRACT>Example description</ABSTRACT></ITEM></CHANNEL>"#,
        );
        assert_eq!(f.feed.link.as_deref(), Some("http://www.example.org/"));
        assert!(f.feed.updated.is_some());
        assert_eq!(f.entries[0].title.as_deref(), Some("Example item"));
        assert_eq!(f.entries[0].summary.as_deref(), Some("Example description"));
    }

    #[test]
    fn alternate_link_with_href_wins_and_guid_is_a_permalink() {
        let f = parse(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate"/><link rel="alternate" href="http://www.example.com/alternate"/></entry></feed>"#,
        );
        assert_eq!(
            f.entries[0].link.as_deref(),
            Some("http://www.example.com/alternate")
        );
        let f = parse(
            r#"<rss version="2.0"><channel><item><guid>http://guid.example.com/</guid></item></channel></rss>"#,
        );
        assert_eq!(
            f.entries[0].link.as_deref(),
            Some("http://guid.example.com/")
        );
    }

    #[test]
    fn rss_titles_that_look_like_html_are_sanitised() {
        let f = parse(
            r#"<rss version="2.0"><channel><item><title>&lt;b onclick="y()"&gt;x&lt;/b&gt;</title></item><item><title>AT&amp;T &lt;3</title></item></channel></rss>"#,
        );
        assert_eq!(f.entries[0].title.as_deref(), Some("<b>x</b>"));
        // no close tag and no reference: plain text, as feedparser reads it
        assert_eq!(f.entries[1].title.as_deref(), Some("AT&T <3"));
        assert_eq!(
            author_name("me@example.com (Mark Pilgrim)").as_deref(),
            Some("Mark Pilgrim")
        );
    }

    #[test]
    fn entries_keep_their_fields_when_feed_rs_gives_up() {
        // feed-rs refuses the whole document over the `src` content; the tree still reads it
        let f = crate::parse_feed(
            br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:x:1</id>
            <link rel="enclosure" type="audio/ogg" length="77" href="http://x.test/a.ogg"/>
            <link rel="alternate" href="http://x.test/1"/><author><email>desk@x.test</email></author>
            <updated>2021-03-09T07:15:42Z</updated><content type="text/html" src="http://x.test/body"/></entry>
            <entry><id>urn:x:2</id><title>Two</title></entry></feed>"#,
            None,
            None,
        )
        .unwrap();
        let e = &f.entries[0];
        assert_eq!(e.id.as_deref(), Some("urn:x:1"));
        assert_eq!(e.link.as_deref(), Some("http://x.test/1"));
        assert_eq!(e.author.as_deref(), Some("desk@x.test"));
        assert!(e.updated.is_some());
        assert_eq!(e.enclosures.len(), 1);
        assert_eq!(e.enclosures[0].length, Some(77));
        assert_eq!(f.entries[1].title.as_deref(), Some("Two"));
    }

    #[test]
    fn publication_and_update_dates_stay_apart() {
        let f = parse(
            r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>
            <pubDate>Tue, 09 Mar 2021 07:15:42 GMT</pubDate><dc:date>2021-03-11T00:00:00Z</dc:date>
            <dc:date>2021-03-12T00:00:00Z</dc:date></item></channel></rss>"#,
        );
        let e = &f.entries[0];
        let day = |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| d.date_naive().to_string());
        assert_eq!(day(e.published).as_deref(), Some("2021-03-09"));
        // a repeated element: the last one wins
        assert_eq!(day(e.updated).as_deref(), Some("2021-03-12"));
    }

    #[test]
    fn rss1_items_are_named_by_rdf_about() {
        let f = parse(
            r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://r.test/"><title>R</title></channel>
            <item rdf:about="http://r.test/items/7"><title>Seven</title><link>http://r.test/7</link></item></rdf:RDF>"#,
        );
        assert_eq!(f.entries[0].id.as_deref(), Some("http://r.test/items/7"));
    }

    #[test]
    fn itunes_keywords_and_media_content_are_read() {
        let f = parse(
            r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/"><channel><item>
            <itunes:keywords>tides, ferries ,, </itunes:keywords>
            <media:group><media:content url="http://x.test/v.webm" type="video/webm" fileSize="12"/></media:group>
            </item></channel></rss>"#,
        );
        let e = &f.entries[0];
        assert_eq!(e.categories, ["tides", "ferries"]);
        assert_eq!(e.enclosures[0].url, "http://x.test/v.webm");
        assert_eq!(e.enclosures[0].length, Some(12));
    }
}

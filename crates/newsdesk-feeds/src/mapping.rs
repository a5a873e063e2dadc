//! From feed-rs's model (the wire view) to [`newsdesk_core::ParsedFeed`] (the domain view): the
//! first half of [`crate::parse_feed`]; [`crate::overlay`] then lays over it what the element
//! tree says (and stands alone when feed-rs refuses a document).
//!
//! Fixes applied here, after feed-rs: titles as plain text; ids that feed-rs invents are dropped
//! (we hand feed-rs an id generator returning "" for that); relative links are resolved against
//! `xml:base` and the feed URL; RSS `<enclosure>`, Media RSS content/thumbnails and Atom
//! `rel="enclosure"` links all become [`Enclosure`]s; the site link is the alternate link, never
//! the self link; UTF-8 read as windows-1252 ("â€™") is undone.

use feed_rs::model;
use newsdesk_core::{Enclosure, FeedEntry, FeedMeta, ParsedFeed};
use url::Url;

use crate::plain_text::{
    collapse_whitespace, fix_c1_references, fix_mojibake, html_to_text, looks_like_markup,
};
use crate::repair::RawEnclosure;

/// Maps a feed-rs feed; `feed_url` is the last resort for resolving relative links.
/// `rss_enclosures` are the RSS `<enclosure>`s the repair pass saw (see [`RawEnclosure`]).
pub(crate) fn map_feed(
    feed: model::Feed,
    wellformed: bool,
    feed_url: Option<&str>,
    rss_enclosures: &[RawEnclosure],
) -> ParsedFeed {
    let feed_base = feed_url.and_then(|u| Url::parse(u).ok());
    let feed_link = site_link(&feed.links, feed_base.as_ref());
    let atom = feed.feed_type == model::FeedType::Atom;
    let plain_title = |t: &model::Text| title_text(t, atom);
    let meta = FeedMeta {
        title: feed.title.as_ref().and_then(plain_title),
        link: feed_link,
        language: feed
            .language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
        updated: feed.updated.or(feed.published),
        title_html: None,
        // feed-rs reads RSS `<ttl>`; the element tree adds `<skipHours>`/`<skipDays>`
        // (`overlay`)
        ttl_minutes: feed.ttl.filter(|m| *m > 0),
        ..FeedMeta::default()
    };
    let entries = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let raw: Vec<&RawEnclosure> = rss_enclosures.iter().filter(|r| r.item == i).collect();
            map_entry(e, feed_base.as_ref(), atom, &raw)
        })
        .collect();
    ParsedFeed {
        wellformed,
        feed: meta,
        entries,
    }
}

fn map_entry(
    e: model::Entry,
    feed_base: Option<&Url>,
    atom: bool,
    rss_enclosures: &[&RawEnclosure],
) -> FeedEntry {
    let entry_base = e
        .base
        .as_deref()
        .and_then(|b| match feed_base {
            Some(fb) => fb.join(b).ok(),
            None => Url::parse(b).ok(),
        })
        .or_else(|| feed_base.cloned());
    let base = entry_base.as_ref();
    let link = site_link(&e.links, base);

    let mut enclosures: Vec<Enclosure> = Vec::new();
    let mut push = |url: String, mime_type: Option<String>, length: Option<u64>| {
        if !url.is_empty() && !enclosures.iter().any(|x| x.url == url) {
            enclosures.push(Enclosure {
                url,
                mime_type,
                length,
            });
        }
    };
    for r in rss_enclosures {
        push(resolve(&r.url, base), r.mime_type.clone(), r.length);
    }
    for l in e
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
    {
        push(resolve(&l.href, base), l.media_type.clone(), l.length);
    }
    for m in &e.media {
        for c in &m.content {
            if let Some(u) = &c.url {
                push(
                    u.to_string(),
                    c.content_type.as_ref().map(|t| t.to_string()),
                    c.size,
                );
            }
        }
        for t in &m.thumbnails {
            push(resolve(&t.image.uri, base), None, None);
        }
    }

    let authors: Vec<String> = e.authors.iter().filter_map(person_name).collect();
    let author = (!authors.is_empty()).then(|| authors.join(", "));
    let categories = e
        .categories
        .iter()
        .map(|c| {
            if c.term.trim().is_empty() {
                c.label.clone().unwrap_or_default()
            } else {
                c.term.clone()
            }
        })
        .map(|t| collapse_whitespace(&t))
        .filter(|t| !t.is_empty())
        .collect();

    FeedEntry {
        title: e.title.as_ref().and_then(|t| title_text(t, atom)),
        link,
        id: Some(e.id.trim().to_owned()).filter(|i| !i.is_empty()),
        published: e.published,
        updated: e.updated,
        author,
        summary: e
            .summary
            .map(|t| fix_text(t.content))
            .filter(|s| !s.trim().is_empty()),
        content: e
            .content
            .and_then(|c| c.body)
            .map(fix_text)
            .filter(|s| !s.trim().is_empty()),
        enclosures,
        categories,
        ..FeedEntry::default()
    }
}

fn fix_text(s: String) -> String {
    let s = fix_mojibake(&s).unwrap_or(s);
    fix_c1_references(&s).unwrap_or(s)
}

/// A title as one line of plain text. Atom says exactly when a title is text (`type="text"`,
/// then `<` is just a character); RSS does not, so markup-looking RSS titles are read as HTML.
fn title_text(t: &model::Text, atom: bool) -> Option<String> {
    let raw = fix_mojibake(&t.content).unwrap_or_else(|| t.content.clone());
    let is_plain = t.content_type.subty() == "plain";
    let text = if !is_plain || (!atom && looks_like_markup(&raw)) {
        html_to_text(&raw)
    } else {
        collapse_whitespace(&raw)
    };
    (!text.is_empty()).then_some(text)
}

/// "Name", or the name out of "email (Name)".
fn person_name(p: &model::Person) -> Option<String> {
    let raw = p.name.as_deref().unwrap_or_default().trim();
    let name = match (raw.find('('), raw.rfind(')')) {
        (Some(open), Some(close)) if open < close && raw[..open].contains('@') => {
            raw[open + 1..close].trim()
        }
        // feed-rs splits "a@b (Name)" into an email and "(Name)"
        (Some(0), Some(close)) if close + 1 == raw.len() => raw[1..close].trim(),
        _ => raw,
    };
    let name = collapse_whitespace(name);
    if !name.is_empty() {
        return Some(name);
    }
    p.email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
}

/// The page link: `rel="alternate"` (or no rel) first, never `self`, `enclosure` or `related`.
fn site_link(links: &[model::Link], base: Option<&Url>) -> Option<String> {
    let alternate = links.iter().find(|l| {
        matches!(l.rel.as_deref(), None | Some("alternate"))
            && !l.href.trim().is_empty()
            && !is_feed_type(l.media_type.as_deref())
    });
    let any = || {
        links.iter().find(|l| {
            matches!(l.rel.as_deref(), None | Some("alternate")) && !l.href.trim().is_empty()
        })
    };
    alternate.or_else(any).map(|l| resolve(l.href.trim(), base))
}

fn is_feed_type(t: Option<&str>) -> bool {
    t.is_some_and(|t| t.contains("rss") || t.contains("atom") || t.contains("feed+json"))
}

/// Resolves `href` against `base` when it is relative (and can be resolved).
pub(crate) fn resolve(href: &str, base: Option<&Url>) -> String {
    let href = href.trim();
    match Url::parse(href) {
        Ok(_) => href.to_owned(),
        Err(url::ParseError::RelativeUrlWithoutBase) => base
            .and_then(|b| b.join(href).ok())
            .map_or_else(|| href.to_owned(), |u| u.to_string()),
        Err(_) => href.to_owned(),
    }
}

//! Which parts of a page are boilerplate: navigation, menus, share bars, comments, banners…
//!
//! Two layers: [`structural`] removes what is never article text by its tag, role or
//! visibility; [`by_class`] removes elements whose `class`/`id` names them as boilerplate.
//! Class names are split into words ("relatedArticles" → related, articles;
//! "article-header" → article, header) and judged word by word, so "article-header" is not taken
//! for a page header while "article-comments" is still taken for comments.

use crate::tree_walk::AttrLookup;
use crate::tree_walk::NodeSet;

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use scraper::node::Element;
use scraper::{Html, Node};

use crate::text_stats::Stats;

/// Class words that mark an element as boilerplate whatever its size.
const STRONG: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "navi",
    "menu",
    "menus",
    "menubar",
    "submenu",
    "breadcrumb",
    "breadcrumbs",
    "share",
    "shares",
    "sharing",
    "sharebar",
    "social",
    "socials",
    "related",
    "comment",
    "comments",
    "commentlist",
    "disqus",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "newsletter",
    "subscribe",
    "subscription",
    "promo",
    "promotion",
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "adslot",
    "adunit",
    "sidebar",
    "footer",
    "masthead",
    "popup",
    "modal",
    "overlay",
    "sponsor",
    "sponsored",
    "outbrain",
    "taboola",
    "recommended",
    "recommendations",
    "trending",
    "popular",
    "pagination",
    "pager",
    "widget",
    "widgets",
    "toolbar",
    "signup",
    "skiplink",
    "tagcloud",
    "login",
    "rating",
    "teaserbox",
    "morestories",
    "mostread",
    "readmore",
    "print",
    "offcanvas",
];

/// Prefixes of class words that mark boilerplate ("sharebuttons", "socialmedia", "sidebar2").
const STRONG_PREFIXES: &[&str] = &[
    "share",
    "social",
    "sidebar",
    "newsletter",
    "cookie",
    "breadcrumb",
    "related",
    "advert",
    "sponsor",
    "footer",
    "navbar",
    "comment",
    "subscri",
    "promo",
    "menu",
];

/// Words that start with a strong prefix but are not boilerplate.
const NOT_BOILERPLATE: &[&str] = &["commentary", "promoted", "menuitem"];

/// Class words that mark metadata lines (bylines, dates, tags, captions); removed only when
/// the element is small.
const WEAK: &[&str] = &[
    "byline",
    "author",
    "authors",
    "dateline",
    "date",
    "time",
    "timestamp",
    "published",
    "meta",
    "tags",
    "tag",
    "keywords",
    "category",
    "categories",
    "topics",
    "credit",
    "credits",
    "copyright",
    "bio",
    "info",
    "caption",
    "source",
    "updated",
    "print",
];

/// A weak-class element is removed only when it holds fewer text characters than this.
const WEAK_MAX_TEXT: u32 = 300;

/// Words that say "this holds the article"; a negative word counts only if it comes after them
/// ("content-sidebar" is a sidebar, "sidebar-content"… is still a sidebar, "article-body" is not).
const POSITIVE: &[&str] = &[
    "article",
    "articlebody",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "story",
    "text",
    "blog",
    "page",
    "hentry",
];

/// Words that turn the next word into a modifier ("has-sidebar", "with-comments").
const MODIFIERS: &[&str] = &["has", "with", "no", "without", "show", "enable", "enabled"];

/// ARIA roles that are never article text.
const ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "menu",
    "menubar",
    "search",
    "dialog",
    "alertdialog",
    "tablist",
    "toolbar",
];

/// How an element's class/id reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClassVerdict {
    /// Nothing says boilerplate.
    Keep,
    /// Boilerplate whatever its size.
    Strong,
    /// Metadata line: boilerplate when small.
    Weak,
}

/// Elements removed by tag, ARIA role or visibility (`hidden`, `display:none`).
pub(crate) fn structural(html: &Html) -> NodeSet {
    let mut removed = NodeSet::default();
    for node in html.tree.root().descendants() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let remove = matches!(
            el.name(),
            "script"
                | "style"
                | "noscript"
                | "template"
                | "svg"
                | "canvas"
                | "aside"
                | "footer"
                | "button"
                | "select"
                | "input"
                | "textarea"
                | "option"
                | "dialog"
                | "menu"
                | "head"
                | "title"
                | "link"
                | "meta"
        );
        let by_role = el
            .attribute("role")
            .is_some_and(|r| ROLES.contains(&r.trim()));
        // A banner, footer or aside left open by broken markup can swallow the article.
        let swallowed = (by_role || matches!(el.name(), "aside" | "footer")) && holds_article(node);
        if (remove || is_hidden(el) || by_role) && !swallowed {
            removed.insert(node.id());
        }
    }
    removed
}

/// Adds to `removed` the elements whose class/id marks them as boilerplate.
///
/// `stats` (computed with `removed`) decides for metadata-like classes and forms, which go only
/// when small. The `html`, `body` and `main` elements, `itemprop=articleBody` and their ancestors
/// are never removed.
pub(crate) fn by_class(html: &Html, removed: &NodeSet, stats: &Stats) -> NodeSet {
    let mut protected = NodeSet::default();
    for node in html.tree.root().descendants() {
        if node.value().as_element().is_some_and(is_article_body) {
            protected.extend(node.ancestors().map(|a| a.id()));
            protected.insert(node.id());
        }
    }
    let mut out = removed.clone();
    let mut verdicts: FxHashMap<(Option<&str>, Option<&str>), ClassVerdict> = FxHashMap::default();
    for node in html.tree.root().descendants() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        if matches!(el.name(), "html" | "body" | "main") || protected.contains(&node.id()) {
            continue;
        }
        let small = || stats.get(node.id()).text < WEAK_MAX_TEXT;
        let st = stats.get(node.id());
        // Page headers and navigation go, unless broken markup left the article inside them.
        if matches!(el.name(), "nav" | "header")
            && !is_prose(st)
            && !in_article(node)
            && !holds_article(node)
        {
            out.insert(node.id());
            continue;
        }
        // Pages repeat the same class names on many elements: judge each pair once.
        let key = (el.attribute("class"), el.attribute("id"));
        let verdict = *verdicts.entry(key).or_insert_with(|| class_verdict(el));
        let remove = match verdict {
            // A big block of prose named "sidebar", "banner"… is a layout wrapper around the
            // article; only comment and related-content blocks are big prose and boilerplate.
            ClassVerdict::Strong if is_prose(stats.get(node.id())) => big_boilerplate(el),
            ClassVerdict::Strong => true,
            ClassVerdict::Weak => small(),
            ClassVerdict::Keep => el.name() == "form" && stats.get(node.id()).text < 1000,
        };
        if remove {
            out.insert(node.id());
        }
    }
    out
}

/// Much text, few links: looks like running prose.
fn is_prose(st: crate::text_stats::ElementStats) -> bool {
    st.text >= 600 && st.link_density() < 0.35
}

/// Whether an element sits inside an `<article>`, `<main>` or `itemprop=articleBody`.
fn in_article(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "article" | "main") || is_article_body(e))
    })
}

/// Whether broken markup left an `<article>` or `<main>` inside this element.
fn holds_article(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.descendants().skip(1).any(|d| {
        d.value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "article" | "main") || is_article_body(e))
    })
}

/// Class words naming blocks that are boilerplate even when they are big prose.
fn big_boilerplate(el: &Element) -> bool {
    let mut words = Vec::new();
    for attr in [el.attribute("class"), el.attribute("id")]
        .into_iter()
        .flatten()
    {
        split_words(attr, &mut words);
    }
    words.iter().any(|w| {
        (w.starts_with("comment") && w != "commentary")
            || w == "disqus"
            || w.starts_with("related")
            || w == "cookie"
            || w == "consent"
    })
}

/// Whether the element is marked as the article body by microdata.
pub(crate) fn is_article_body(el: &Element) -> bool {
    el.attribute("itemprop").is_some_and(|p| {
        p.split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("articleBody"))
    })
}

fn is_hidden(el: &Element) -> bool {
    if el.attribute("hidden").is_some()
        || el
            .attribute("aria-hidden")
            .is_some_and(|v| v.trim() == "true")
    {
        return true;
    }
    el.attribute("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Judges an element by the words of its `class` and `id`.
pub(crate) fn class_verdict(el: &Element) -> ClassVerdict {
    let (class, id) = (el.attribute("class"), el.attribute("id"));
    if class.is_none() && id.is_none() {
        return ClassVerdict::Keep;
    }
    WORDS.with_borrow_mut(|buf| {
        buf.clear();
        for attr in [class, id].into_iter().flatten() {
            join_words(attr, buf);
        }
        verdict_of_words(buf)
    })
}

thread_local! {
    /// The class words of the element being judged (reused: no allocation per element).
    static WORDS: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn verdict_of_words(joined: &str) -> ClassVerdict {
    let mut last_positive = None;
    let mut last_strong = None;
    let mut weak = false;
    let mut i = 0;
    let mut words = joined.split(' ').filter(|w| !w.is_empty()).peekable();
    while let Some(w) = words.next() {
        let kind = word_kind(w);
        if kind & MODIFIER != 0 {
            words.next();
            i += 2;
            continue;
        }
        let next = words.peek().copied();
        if kind & POSITIVE_WORD != 0 {
            last_positive = Some(i);
        } else if is_strong_kind(w, kind) || (w == "sr" && next == Some("only")) {
            last_strong = Some(i);
        } else if kind & WEAK_WORD != 0
            || w.ends_with("metadata")
            || w == "postmeta"
            || w == "entrymeta"
        {
            weak = true;
        }
        // "visually-hidden", "screen-reader-text"
        if w == "screen" && next == Some("reader") {
            last_strong = Some(i);
        }
        i += 1;
    }
    match (last_strong, last_positive) {
        (Some(s), Some(p)) if s > p => ClassVerdict::Strong,
        (Some(_), None) => ClassVerdict::Strong,
        _ if weak => ClassVerdict::Weak,
        _ => ClassVerdict::Keep,
    }
}

/// Kinds of a class word in [`LEXICON`] (bit flags).
const MODIFIER: u8 = 1;
const POSITIVE_WORD: u8 = 2;
const STRONG_WORD: u8 = 4;
const WEAK_WORD: u8 = 8;
const NOT_BOILERPLATE_WORD: u8 = 16;

/// Every listed class word with its kinds: one hash lookup instead of scanning the lists.
static LEXICON: LazyLock<FxHashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut map: FxHashMap<&'static str, u8> = FxHashMap::default();
    for (list, kind) in [
        (MODIFIERS, MODIFIER),
        (POSITIVE, POSITIVE_WORD),
        (STRONG, STRONG_WORD),
        (WEAK, WEAK_WORD),
        (NOT_BOILERPLATE, NOT_BOILERPLATE_WORD),
    ] {
        for w in list {
            *map.entry(w).or_default() |= kind;
        }
    }
    map
});

fn word_kind(word: &str) -> u8 {
    LEXICON.get(word).copied().unwrap_or(0)
}

fn is_strong_kind(word: &str, kind: u8) -> bool {
    kind & STRONG_WORD != 0
        || (kind & NOT_BOILERPLATE_WORD == 0 && STRONG_PREFIXES.iter().any(|p| word.starts_with(p)))
}

/// [`split_words`] into one string, the words separated by spaces (appended to `out`).
fn join_words(value: &str, out: &mut String) {
    let mut prev_lower = false;
    out.push(' ');
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with(' ') {
                out.push(' ');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !out.ends_with(' ') {
                out.push(' ');
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            out.extend(c.to_lowercase());
        } else {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            prev_lower = false;
        }
    }
    out.push(' ');
}

/// Splits class/id values into lowercase words at non-alphanumerics and camelCase humps.
pub(crate) fn split_words(value: &str, out: &mut Vec<String>) {
    let mut word = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if c.is_ascii() {
            // Fast path for the usual ASCII class names.
            if c.is_ascii_alphanumeric() {
                if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                word.push(c.to_ascii_lowercase());
            } else {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                prev_lower = false;
            }
        } else if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            word.extend(c.to_lowercase());
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn joined_words_are_the_split_words() {
        for value in [
            "relatedArticles article-header  nav_main",
            "ÜberSicht--Kästen x9Y",
            "",
        ] {
            let mut split = Vec::new();
            split_words(value, &mut split);
            let mut joined = String::new();
            join_words(value, &mut joined);
            let joined: Vec<&str> = joined.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(joined, split, "{value}");
        }
    }

    fn verdict(class: &str) -> ClassVerdict {
        let html = Html::parse_fragment(&format!(r#"<div class="{class}"></div>"#));
        let el = html
            .tree
            .root()
            .descendants()
            .filter_map(|n| n.value().as_element().cloned())
            .find(|e| e.name() == "div")
            .unwrap();
        class_verdict(&el)
    }

    #[test]
    fn class_words() {
        let mut w = Vec::new();
        split_words("relatedArticles article-header  nav_main", &mut w);
        assert_eq!(
            w,
            ["related", "articles", "article", "header", "nav", "main"]
        );
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict("article-header"), ClassVerdict::Keep);
        assert_eq!(verdict("article-body"), ClassVerdict::Keep);
        assert_eq!(verdict("article-comments"), ClassVerdict::Strong);
        assert_eq!(verdict("shareButtons"), ClassVerdict::Strong);
        assert_eq!(verdict("page has-sidebar"), ClassVerdict::Keep);
        assert_eq!(verdict("cookie-banner"), ClassVerdict::Strong);
        assert_eq!(verdict("sr-only"), ClassVerdict::Strong);
        assert_eq!(verdict("article__byline"), ClassVerdict::Weak);
        assert_eq!(verdict("commentary"), ClassVerdict::Keep);
        assert_eq!(verdict("header"), ClassVerdict::Keep);
        assert_eq!(verdict("badge"), ClassVerdict::Keep);
    }
}

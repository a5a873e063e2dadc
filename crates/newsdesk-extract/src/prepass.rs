//! The pre-pass over the markup before parsing: bounding element nesting, dropping what no
//! stage reads.
//!
//! html5ever's tree builder does work proportional to the depth of the open-element stack for
//! many tokens, so a document of deeply nested (or never closed) elements costs
//! O(size × depth): 5 MB of `<div>` would take minutes. Before parsing, a cheap scan estimates
//! the nesting depth and cuts the document where it exceeds [`MAX_NESTING`]. Elements whose end
//! tag is optional (`p`, `li`, `td`…) and void elements are not counted; script, style and
//! comment contents are skipped.
//!
//! The same scan drops content that every later stage ignores, so html5ever does not tokenize
//! it (on news pages it is a third of the bytes or more): the contents of `<style>`,
//! `<noscript>`, `<svg>` and `<iframe>` (fallback text), comments, the contents of scripts that
//! are neither JSON (JSON-LD, framework page state) nor hold a publication date in a JSON key,
//! of `<select>`, `<datalist>` and `<template>` when they are plain markup, and, outside the
//! article, of `<nav>` and `<header>` blocks of links, small `<form>`s, `<footer>`s and
//! `<aside>`s (with no heading, paragraph, date, year, author or microdata markup, which the
//! metadata stages read; the body extractor drops such blocks anyway). The elements themselves
//! stay, empty, with their attributes. Attributes no stage reads, `<link>` tags of style sheets,
//! resource hints and icons, and all but the first character of the whitespace between two
//! tags (outside `<pre>`) go as well.

use std::borrow::Cow;

use crate::dates;

/// Estimated nesting depth at which a document is cut.
pub const MAX_NESTING: usize = 1500;

/// Returns `html` cut where its estimated nesting exceeds [`MAX_NESTING`], without the contents
/// of style, noscript and svg elements, of comments and of scripts no stage reads.
pub(crate) fn prepare(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out = Pruned {
        html,
        out: None,
        copied: 0,
    };
    let mut depth = 0usize;
    // Where text after markup starts (when that markup was a tag or a comment), and how many
    // preformatted elements are open (their whitespace is kept as it is).
    let mut text_from: Option<usize> = None;
    let mut pre_depth = 0usize;
    // Open `<article>`/`<main>` elements, and whether an `itemprop=articleBody` element was
    // opened: navigation inside the article is kept by the body extractor.
    let mut article_depth = 0usize;
    let mut article_body_seen = false;
    // Whether an `<a>` or `<nobr>` may still be open: another one inside a block to empty
    // would make html5ever move the block (adoption agency).
    let mut reparenting_open = false;
    // Whether a `<select>` that was kept may still be open: inside it another `<select>` start
    // tag only closes it (and is itself dropped by the tree builder), so what follows that tag
    // is not an option list and must not be emptied.
    let mut select_open = false;
    // Open `<svg>`/`<math>` elements whose contents are kept (see below).
    let mut foreign = 0usize;
    // Whether an element whose contents are HTML again (an integration point: svg's
    // `foreignObject`, `desc`, `title`; math's `mi`, `mo`, `mn`, `ms`, `mtext`,
    // `annotation-xml`) was opened in the open foreign content: there an HTML tag does not end
    // it, elsewhere a breakout tag does.
    let mut integration_open = false;
    // Whether the outermost open foreign element is `<math>` (else `<svg>`): which names are
    // integration points depends on it.
    let mut in_math = false;
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + off;
        i = start + 1;
        // Indentation between two tags costs html5ever two tokens per line break; its first
        // character is all any stage needs (outside preformatted text).
        if let Some(from) = text_from.take()
            && pre_depth == 0
            && start > from + 1
            && bytes.get(from..start).is_some_and(|run| {
                run.iter()
                    .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            })
        {
            out.drop_range(from + 1, start);
        }
        let rest = &bytes[i..];
        if rest.starts_with(b"!--") {
            let body = i + 3;
            match memchr::memmem::find(&bytes[body..], b"-->") {
                Some(e) => {
                    let end = body + e + 3;
                    // Only plain comments are dropped: `<!-->`, `<!--->` and `--!>` end a
                    // comment early in HTML5, so those are left for html5ever to read.
                    let inner = &bytes[body..body + e];
                    if !inner.starts_with(b">")
                        && !inner.starts_with(b"->")
                        && memchr::memmem::find(inner, b"--!>").is_none()
                        && !joins_markup(bytes, start)
                    {
                        out.drop_range(start, end);
                    }
                    i = end;
                    text_from = Some(end);
                }
                None => i = bytes.len(),
            }
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        // A tag name starts with a letter; `<!…>`, `<?…>` and `</` + another character are
        // read to the next `>` (a doctype or a bogus comment); `<` + anything else is text.
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            if closing || matches!(rest.first(), Some(b'!' | b'?')) {
                i = memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len(), |e| i + e + 1);
                text_from = Some(i);
            }
            continue;
        }
        let name_end = name_end(bytes, name_start);
        let name = &bytes[name_start..name_end];
        let tag_end = tag_end(bytes, name_end);
        if closing {
            if counted(name) {
                depth = depth.saturating_sub(1);
            }
            if preformatted(name) {
                pre_depth = pre_depth.saturating_sub(1);
            }
            if article_like(name) {
                article_depth = article_depth.saturating_sub(1);
            }
            if reparenting(name) {
                reparenting_open = false;
            }
            if name.eq_ignore_ascii_case(b"select") {
                select_open = false;
            }
            if foreign_root(name) {
                foreign = foreign.saturating_sub(1);
            }
            if foreign > 0
                && !integration_open
                && (name.eq_ignore_ascii_case(b"br") || name.eq_ignore_ascii_case(b"p"))
            {
                // `</br>` and `</p>` end foreign content as their start tags do.
                foreign = 0;
            }
            if foreign > 0 && integration_point(name, in_math) {
                // Closes the integration point (one level is tracked).
                integration_open = false;
            }
            if foreign == 0 {
                integration_open = false;
            }
            i = tag_end;
            text_from = Some(tag_end + 1);
            continue;
        }
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        if foreign > 0 && !integration_open && breaks_out(bytes, name, name_end, tag_end) {
            // An HTML element ends the foreign content where it appears (html5ever pops to the
            // HTML element around it) and is read as HTML.
            foreign = 0;
        }
        if foreign > 0 && integration_point(name, in_math) && !self_closing {
            integration_open = true;
        }
        if foreign == 0 {
            integration_open = false;
        }
        // Inside svg or math (foreign content) style, script… are not raw text and nav, form…
        // not what the body extractor drops: nothing is emptied there.
        let in_foreign = foreign > 0;
        if in_foreign && foreign_root(name) && !self_closing {
            foreign += 1;
        }
        let raw = [
            "script", "style", "textarea", "title", "xmp", "noscript", "svg", "iframe",
        ]
        .into_iter()
        .find(|r| !in_foreign && name.eq_ignore_ascii_case(r.as_bytes()));
        if let Some(raw) = raw {
            let content = (tag_end + 1).min(bytes.len());
            let found = if raw == "script" {
                script_end(bytes, content)
            } else {
                find_end_tag(bytes, content, raw.as_bytes())
            };
            let close = found.unwrap_or(bytes.len());
            let drop = match raw {
                "style" | "noscript" | "iframe" => true,
                // Without its end tag an svg ends where the tree builder says (an end tag of an
                // HTML element around it, say), not at the end of the document: kept.
                "svg" => {
                    !self_closing
                        && found.is_some()
                        && html.get(content..close).is_some_and(plain_svg)
                }
                "script" => {
                    let attrs = &bytes[name_end..tag_end.min(bytes.len())];
                    let json = attrs.windows(4).any(|w| w.eq_ignore_ascii_case(b"json"));
                    !json
                        && html
                            .get(content..close)
                            .is_some_and(|c| dates::from_script_json(c).is_none())
                }
                _ => false,
            };
            if raw == "svg" && self_closing {
                i = tag_end;
                text_from = Some(tag_end + 1);
                continue;
            }
            if raw == "svg" && !drop {
                // Its contents are read as markup, in foreign content.
                foreign = 1;
                in_math = false;
                i = tag_end;
                text_from = Some(tag_end + 1);
                continue;
            }
            if drop && close > content {
                out.drop_range(content, close);
            }
            i = close;
            continue;
        }
        if !in_foreign && name.eq_ignore_ascii_case(b"math") && !self_closing {
            foreign = 1;
            in_math = true;
        }
        if !in_foreign
            && name.eq_ignore_ascii_case(b"link")
            && tag_end < bytes.len()
            && !joins_markup(bytes, start)
            && unread_link(bytes, name_end, tag_end)
        {
            out.drop_range(start, tag_end + 1);
            i = tag_end;
            text_from = Some(tag_end + 1);
            continue;
        }
        let (unread, article_body) = unread_attributes(bytes, name_end, tag_end.min(bytes.len()));
        // A formatting element's attributes decide which of its copies the tree builder keeps
        // (at most three equal ones, "Noah's Ark"): dropping some would make different ones
        // equal, so they stay.
        if !formatting(name) {
            for (from, to) in unread {
                out.drop_range(from, to);
            }
        }
        article_body_seen |= article_body;
        if name.eq_ignore_ascii_case(b"plaintext") {
            // The rest of the document is text: keep all of it.
            pre_depth = usize::MAX / 2;
        } else if preformatted(name) && !self_closing {
            pre_depth += 1;
        }
        if article_like(name) && !self_closing {
            article_depth += 1;
        }
        if reparenting(name) {
            reparenting_open = true;
        }
        if counted(name) && !self_closing {
            depth += 1;
            if depth > MAX_NESTING {
                tracing::warn!(
                    depth,
                    at = start,
                    "extract: document nested too deeply, cut"
                );
                return out.finish(start);
            }
        }
        let is_select = !in_foreign && name.eq_ignore_ascii_case(b"select");
        if is_select && select_open {
            // Closes the open select (html5ever ignores the tag itself): nothing to empty.
            select_open = false;
            i = tag_end;
            text_from = Some(tag_end + 1);
            continue;
        }
        if !self_closing
            && !in_foreign
            && let Some(unread) = UNREAD_CONTENTS
                .iter()
                .find(|u| name.eq_ignore_ascii_case(u.as_bytes()))
            && (article_depth == 0 && !article_body_seen || !OUTSIDE_ARTICLE.contains(unread))
            && let Some(close) =
                plain_contents_end(bytes, tag_end + 1, unread.as_bytes(), reparenting_open)
            && (!OUTSIDE_ARTICLE.contains(unread)
                || unread_block(&bytes[tag_end + 1..close], unread))
        {
            if close > tag_end + 1 {
                out.drop_range(tag_end + 1, close);
            }
            i = close;
            continue;
        }
        if is_select && !self_closing {
            select_open = true;
        } else if !in_foreign
            && (name.eq_ignore_ascii_case(b"input") || name.eq_ignore_ascii_case(b"keygen"))
        {
            // These close an open select too.
            select_open = false;
        }
        i = tag_end;
        text_from = Some(tag_end + 1);
    }
    out.finish(bytes.len())
}

/// Elements whose contents no stage reads: the body extractor removes them whole, and the
/// metadata stages do not look inside (option lists, inert templates). Buttons are not here:
/// the byline stage reads the text of author blocks, buttons included.
const UNREAD_CONTENTS: &[&str] = &[
    "select", "datalist", "template", "nav", "form", "footer", "aside", "header",
];

/// Elements whose contents go only outside the article and when [`unread_block`] says so.
const OUTSIDE_ARTICLE: &[&str] = &["nav", "form", "footer", "aside", "header"];

/// Markup in a `<nav>`, `<form>`, `<footer>`, `<aside>` or `<header>` that some stage reads:
/// the first-level heading (the title), dates and their markup, author and microdata markup,
/// paragraphs and articles (broken markup can leave the article inside such a block).
const BLOCK_READ: &[&str] = &[
    "<h1", "<time", "<article", "<main", "<p", "itemprop", "property", "author", "byline", "date",
];

/// Finds [`BLOCK_READ`] markup (any case) or a year from 1900 to 2099 (the last-resort date
/// reads the page text).
fn block_read() -> Option<&'static aho_corasick::AhoCorasick> {
    static READ: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    READ.get_or_init(|| {
        let years = (1900..2100).map(|y| y.to_string());
        let patterns: Vec<String> = BLOCK_READ
            .iter()
            .map(|m| (*m).to_owned())
            .chain(years)
            .collect();
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(patterns)
            .map_err(|e| tracing::warn!(error = %e, "extract: block markers not built"))
            .ok()
    })
    .as_ref()
}

/// Text bytes (outside tags) under which a form is removed by the body extractor whatever its
/// class (it removes forms of fewer than 1000 characters).
const SMALL_FORM_TEXT: usize = 1000;

/// Whether the contents of the `name` element outside the article are markup no stage reads:
/// some link in a `<nav>` or `<header>`, little text in a `<form>` (the body extractor always
/// removes footers and asides), and nothing [`block_read`] finds.
fn unread_block(contents: &[u8], name: &str) -> bool {
    let fits = match name {
        "nav" | "header" => {
            memchr::memmem::find(contents, b"<a").is_some()
                || memchr::memmem::find(contents, b"<A").is_some()
        }
        "form" => text_bytes(contents) < SMALL_FORM_TEXT,
        _ => true,
    };
    fits && block_read().is_some_and(|read| !read.is_match(contents))
}

/// Bytes of `markup` outside tags: a bound on its text length in characters.
fn text_bytes(markup: &[u8]) -> usize {
    let mut text = 0;
    let mut in_tag = false;
    for &b in markup {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            _ if !in_tag => text += 1,
            _ => {}
        }
    }
    text
}

/// Bytes of contents beyond which an element is not emptied (as a footer, form… or option
/// list).
const MAX_EMPTIED: usize = 16 * 1024;

/// Raw-text and comment openings: inside them an end tag is not markup, so contents holding one
/// are left for html5ever.
const RAW_OPENINGS: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"noscript",
    b"iframe",
    b"noembed",
    b"noframes",
    b"plaintext",
];

/// The position of the end tag `</name` closing the element whose contents start at `from`,
/// when those contents are plain markup: no comment, raw-text element or nested `name`
/// element, whose end tags html5ever would read differently. `None` otherwise.
fn plain_contents_end(
    bytes: &[u8],
    from: usize,
    name: &[u8],
    reparenting_open: bool,
) -> Option<usize> {
    // Blocks worth emptying are short; looking further for an end tag costs more than it saves.
    let window = bytes.get(..from.saturating_add(MAX_EMPTIED).min(bytes.len()))?;
    let close = find_end_tag(window, from, name)?;
    let contents = bytes.get(from..close)?;
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &contents[i..]) {
        let at = i + off + 1;
        let rest = &contents[at..];
        // `<!…`, `<?…` and `</` + a non-letter run to the next `>` (comments, bogus comments),
        // which may hide the end tag found.
        let bogus = rest.starts_with(b"?")
            || (rest.starts_with(b"/") && !rest.get(1).is_some_and(u8::is_ascii_alphabetic));
        if rest.starts_with(b"!")
            || bogus
            || RAW_OPENINGS.iter().chain(std::iter::once(&name)).any(|r| {
                rest.get(..r.len())
                    .is_some_and(|n| n.eq_ignore_ascii_case(r))
            })
        {
            return None;
        }
        i = at;
    }
    balanced(contents, reparenting_open).then_some(close)
}

/// The output of [`prepare`]: the input until something is dropped, then a copy.
struct Pruned<'a> {
    html: &'a str,
    out: Option<String>,
    /// Bytes of `html` accounted for (copied or dropped).
    copied: usize,
}

impl<'a> Pruned<'a> {
    /// Leaves out `html[from..to]`; both ends are ASCII markup positions (char boundaries).
    fn drop_range(&mut self, from: usize, to: usize) {
        let (Some(keep), true) = (
            self.html.get(self.copied..from),
            self.html.is_char_boundary(to),
        ) else {
            return;
        };
        self.out
            .get_or_insert_with(|| String::with_capacity(self.html.len() / 2))
            .push_str(keep);
        self.copied = to;
    }

    /// The result, cut at `end` (an ASCII position).
    fn finish(self, end: usize) -> Cow<'a, str> {
        let tail = self.html.get(self.copied..end).unwrap_or("");
        match self.out {
            None => Cow::Borrowed(self.html.get(..end).unwrap_or(self.html)),
            Some(mut out) => {
                out.push_str(tail);
                Cow::Owned(out)
            }
        }
    }
}

/// Attributes some stage reads (the extractor's own lookups, and those html5ever's tree
/// builder looks at); the others are dropped before parsing.
const READ_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "role",
    "hidden",
    "aria-hidden",
    "style",
    "itemprop",
    "content",
    "property",
    "name",
    "http-equiv",
    "charset",
    "lang",
    "xml:lang",
    "href",
    "src",
    "alt",
    "width",
    "height",
    "type",
    "rel",
    "datetime",
    "pubdate",
    "cite",
    "data",
    "srcset",
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-url",
    "data-hi-res-src",
    "data-srcset",
    "data-instgrm-permalink",
    "encoding",
    "color",
    "face",
    "size",
];

/// Most attribute bytes of news pages are tracking data, inline handlers, ARIA labels,
/// responsive-image variants… that no stage reads: html5ever would copy them character by
/// character. Returns the byte ranges of the attributes of the tag `bytes[from..to]` (after its
/// name, before its `>`) not in [`READ_ATTRIBUTES`], or nothing when the tag is not plain
/// `name="value"` syntax (then it is left for html5ever as it is); and whether the tag is
/// `itemprop=articleBody`.
fn unread_attributes(bytes: &[u8], from: usize, to: usize) -> (Vec<(usize, usize)>, bool) {
    let mut drop = Vec::new();
    let mut article_body = false;
    let plain = scan_attributes(bytes, from, to, |name, value, range| {
        if name.eq_ignore_ascii_case(b"itemprop") {
            article_body |= value.is_some_and(|v| {
                v.split(|b| b.is_ascii_whitespace())
                    .any(|w| w.eq_ignore_ascii_case(b"articleBody"))
            });
        }
        if !READ_ATTRIBUTES
            .iter()
            .any(|a| name.eq_ignore_ascii_case(a.as_bytes()))
        {
            drop.push(range);
        }
    });
    (if plain { drop } else { Vec::new() }, article_body)
}

/// `rel` values of `<link>` elements no stage reads (style sheets, resource hints, icons).
const UNREAD_LINK_RELS: &[&str] = &[
    "stylesheet",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "modulepreload",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
];

/// Whether the `<link>` tag whose attributes are `bytes[from..to]` is one no stage reads: a
/// style sheet, resource hint or icon (every `rel` word in [`UNREAD_LINK_RELS`]) without
/// microdata, RDFa, class or id. Odd syntax keeps it.
fn unread_link(bytes: &[u8], from: usize, to: usize) -> bool {
    let mut rel_unread = false;
    let mut other_read = false;
    let plain = scan_attributes(bytes, from, to, |name, value, _| {
        if name.eq_ignore_ascii_case(b"rel") {
            rel_unread = value.is_some_and(|v| {
                let mut words = v
                    .split(|b| b.is_ascii_whitespace())
                    .filter(|w| !w.is_empty());
                let mut any = false;
                words.all(|w| {
                    any = true;
                    UNREAD_LINK_RELS
                        .iter()
                        .any(|r| w.eq_ignore_ascii_case(r.as_bytes()))
                }) && any
            });
        } else if ["itemprop", "property", "class", "id"]
            .iter()
            .any(|a| name.eq_ignore_ascii_case(a.as_bytes()))
        {
            other_read = true;
        }
    });
    plain && rel_unread && !other_read
}

/// Calls `f(name, value, range)` for each attribute of the tag `bytes[from..to]` (after its
/// name, before its `>`), where `range` spans the attribute and its value; `false` (after
/// calling `f` for some attributes) when the tag is not plain `name="value"` syntax. The range
/// starts with the whitespace before the attribute: html5ever reads it character by character.
fn scan_attributes(
    bytes: &[u8],
    from: usize,
    to: usize,
    mut f: impl FnMut(&[u8], Option<&[u8]>, (usize, usize)),
) -> bool {
    let mut i = from;
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.');
    loop {
        let space = i;
        while i < to && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= to || (bytes[i] == b'/' && i + 1 == to) {
            return true;
        }
        let start = i;
        while i < to && is_name(bytes[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        let name = &bytes[start..i];
        let mut value = None;
        let mut j = i;
        while j < to && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < to && bytes[j] == b'=' {
            j += 1;
            while j < to && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) if j < to => {
                    let Some(close) = memchr::memchr(q, &bytes[j + 1..to]) else {
                        return false;
                    };
                    value = Some(&bytes[j + 1..j + 1 + close]);
                    i = j + 1 + close + 1;
                }
                _ => {
                    let v = j;
                    while j < to
                        && !bytes[j].is_ascii_whitespace()
                        && !matches!(bytes[j], b'"' | b'\'' | b'<' | b'=' | b'`')
                    {
                        j += 1;
                    }
                    if j == v {
                        return false;
                    }
                    value = Some(&bytes[v..j]);
                    i = j;
                }
            }
        }
        f(name, value, (space, i));
    }
}

/// Elements inside which the body extractor keeps navigation blocks.
fn article_like(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"article") || name.eq_ignore_ascii_case(b"main")
}

/// Elements whose whitespace is part of their text.
fn preformatted(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"pre") || name.eq_ignore_ascii_case(b"listing")
}

pub(crate) fn tag_end(bytes: &[u8], from: usize) -> usize {
    // The tokenizer's attribute states, as far as they decide where the tag ends: a quote opens
    // a value only right after `name =` (an `=` where a name starts begins the name itself).
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Unquoted,
    }
    let mut state = State::BeforeName;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'>' {
            return i;
        }
        let space = matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
        state = match state {
            State::BeforeName if space || b == b'/' => State::BeforeName,
            State::BeforeName => State::Name,
            State::Name | State::AfterName if b == b'=' => State::BeforeValue,
            State::Name | State::AfterName if b == b'/' => State::BeforeName,
            State::Name if space => State::AfterName,
            State::Name => State::Name,
            State::AfterName if space => State::AfterName,
            State::AfterName => State::Name,
            State::BeforeValue if space => State::BeforeValue,
            State::BeforeValue if b == b'"' || b == b'\'' => {
                match memchr::memchr(b, &bytes[i + 1..]) {
                    Some(e) => i += e + 1,
                    None => return bytes.len(),
                }
                State::BeforeName
            }
            State::BeforeValue => State::Unquoted,
            State::Unquoted if space => State::BeforeName,
            State::Unquoted => State::Unquoted,
        };
        i += 1;
    }
    bytes.len()
}

/// The position of the `<` of the first `</name` (any case) at or after `from` that is
/// followed by whitespace, `/` or `>`: the end of a raw-text element.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr::memmem::find(bytes.get(i..)?, b"</") {
        let at = i + off;
        let after = at + 2 + name.len();
        if bytes
            .get(at + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(after)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// Whether removing markup that starts at `at` could join the text before it with what
/// follows into new markup: a `<` just before it, or an unfinished character reference
/// (`&am<!-- -->p;` would become `&amp;`).
fn joins_markup(bytes: &[u8], at: usize) -> bool {
    let before = &bytes[..at];
    if before.last() == Some(&b'<') {
        return true;
    }
    let recent = &before[before.len().saturating_sub(40)..];
    memchr::memrchr(b'&', recent).is_some_and(|amp| {
        recent[amp + 1..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'#')
    })
}

/// The end of the tag name starting at `from`: it runs to whitespace, `/` or `>` (`<fb:like>`,
/// `<my_tag>`).
fn name_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| {
            rest.iter()
                .position(|b| matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/' | b'>'))
        })
        .map_or(bytes.len(), |e| from + e)
}

/// Whether `bytes[at..]` starts with `prefix` (any case) followed by whitespace, `/` or `>`.
fn tag_at(bytes: &[u8], at: usize, prefix: &[u8]) -> bool {
    bytes
        .get(at..at + prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        && bytes
            .get(at + prefix.len())
            .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
}

/// The position of the `</script` ending a script whose contents start at `from`, read as the
/// HTML tokenizer reads script data: inside `<!--` … `-->`, a `<script` starts a part where
/// `</script>` does not end the script (it ends that part).
fn script_end(bytes: &[u8], from: usize) -> Option<usize> {
    let (mut escaped, mut double) = (false, false);
    let mut i = from;
    while let Some(off) = memchr::memchr2(b'<', b'-', bytes.get(i..)?) {
        let at = i + off;
        i = at + 1;
        let rest = &bytes[at..];
        if !escaped {
            if rest.starts_with(b"<!--") {
                // `<!-->` and `<!--->` open and close at once.
                let dashes = rest[2..].iter().take_while(|b| **b == b'-').count();
                escaped = rest.get(2 + dashes) != Some(&b'>');
                i = at + 2 + dashes;
            } else if tag_at(bytes, at, b"</script") {
                return Some(at);
            }
        } else if rest.starts_with(b"-->") {
            (escaped, double) = (false, false);
            i = at + 3;
        } else if !double && tag_at(bytes, at, b"</script") {
            return Some(at);
        } else if !double && tag_at(bytes, at, b"<script") {
            double = true;
        } else if double && tag_at(bytes, at, b"</script") {
            double = false;
        }
    }
    None
}

/// HTML elements that end an `<svg>` where they appear in it (the HTML parsing rules for
/// foreign content), as start or end tags.
const SVG_BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Whether the contents of an `<svg>` up to the first `</svg>` are all of it and stay inside
/// it: no nested `<svg>` (whose end tag that was), no comment or CDATA section (which may hold
/// the end tag), no HTML element that would end the svg early.
fn plain_svg(contents: &str) -> bool {
    let bytes = contents.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + off + 1;
        i = at;
        let start = if bytes.get(at) == Some(&b'/') {
            at + 1
        } else {
            at
        };
        if bytes.get(at) == Some(&b'!') {
            return false;
        }
        let end = name_end(bytes, start);
        let name = &bytes[start..end];
        if tag_end(bytes, end) >= bytes.len() {
            // The tag runs on past the `</svg>` found, which is then not an end tag.
            return false;
        }
        if name.eq_ignore_ascii_case(b"svg")
            || SVG_BREAKOUT
                .iter()
                .any(|h| name.eq_ignore_ascii_case(h.as_bytes()))
        {
            return false;
        }
        if !name.first().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        // An end tag closes an element opened inside, or it would close the svg early.
        if start > at {
            match open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                Some(p) => open.truncate(p),
                None => return false,
            }
        } else if bytes.get(tag_end(bytes, end).wrapping_sub(1)) != Some(&b'/') {
            open.push(name);
        }
    }
    true
}

/// Elements whose end tag html5ever implies at the end of any block.
const IMPLIED_END: &[&[u8]] = &[
    b"p",
    b"li",
    b"dd",
    b"dt",
    b"option",
    b"optgroup",
    b"rb",
    b"rp",
    b"rt",
    b"rtc",
];

/// Void elements (no end tag).
const VOID: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"source",
    b"track",
    b"wbr",
    b"param",
    b"keygen",
    b"frame",
    b"basefont",
    b"bgsound",
];

/// Whether the tags of `contents` close only what they open and leave open only elements whose
/// end tag is implied: emptying such contents changes nothing outside them in html5ever's tree
/// (an end tag for an element opened before would close it there; an open formatting element
/// is opened again after the block; `</form>` and `</datalist>` do not close what is open
/// inside them), and hold no `<a>` or `<nobr>` when one may be open before them.
fn balanced(contents: &[u8], reparenting_open: bool) -> bool {
    let mut open: Vec<&[u8]> = Vec::new();
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &contents[i..]) {
        let at = i + off + 1;
        i = at;
        let closing = contents.get(at) == Some(&b'/');
        let start = if closing { at + 1 } else { at };
        if !contents.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let end = name_end(contents, start);
        let name = &contents[start..end];
        if !closing && reparenting_open && reparenting(name) {
            return false;
        }
        // `<b/>` opens a `b` in HTML: the slash is ignored.
        i = tag_end(contents, end);
        if i >= contents.len() {
            // The tag runs on past the end tag found, which is then not one.
            return false;
        }
        if closing {
            match open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                Some(p) => open.truncate(p),
                None => return false,
            }
        } else if !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            open.push(name);
        }
    }
    open.iter()
        .all(|o| IMPLIED_END.iter().any(|e| e.eq_ignore_ascii_case(o)))
}

/// Whether the start tag `name` (attributes up to `tag_end`) ends foreign content: one of the
/// HTML elements the standard lists, and `<font>` with a `color`, `face` or `size` attribute.
fn breaks_out(bytes: &[u8], name: &[u8], name_end: usize, tag_end: usize) -> bool {
    if name.eq_ignore_ascii_case(b"font") {
        let attrs = bytes.get(name_end..tag_end).unwrap_or_default();
        return [b"color".as_slice(), b"face", b"size"]
            .iter()
            .any(|a| attrs.windows(a.len()).any(|w| w.eq_ignore_ascii_case(a)));
    }
    SVG_BREAKOUT
        .iter()
        .any(|h| *h != "font" && name.eq_ignore_ascii_case(h.as_bytes()))
}

/// Foreign elements whose contents are HTML again (svg's and math's integration points).
fn integration_point(name: &[u8], in_math: bool) -> bool {
    let points: &[&str] = if in_math {
        &["mi", "mo", "mn", "ms", "mtext", "annotation-xml"]
    } else {
        &["foreignobject", "desc", "title"]
    };
    points
        .iter()
        .any(|p| name.eq_ignore_ascii_case(p.as_bytes()))
}

/// The HTML formatting elements (the tree builder's list of active formatting elements).
fn formatting(name: &[u8]) -> bool {
    [
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
        "u",
    ]
    .iter()
    .any(|f| name.eq_ignore_ascii_case(f.as_bytes()))
}

/// `<svg>` and `<math>`: their contents are foreign content.
fn foreign_root(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"svg") || name.eq_ignore_ascii_case(b"math")
}

/// `<a>` and `<nobr>`: a second one while the first is open makes html5ever rearrange the
/// elements between them.
fn reparenting(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"a") || name.eq_ignore_ascii_case(b"nobr")
}

pub(crate) fn counted(name: &[u8]) -> bool {
    !matches!(
        name,
        b"p" | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
            | b"rp"
            | b"rt"
            | b"rb"
            | b"rtc"
            | b"html"
            | b"head"
            | b"body"
            | b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
            | b"param"
            | b"keygen"
            | b"frame"
            | b"basefont"
            | b"bgsound"
            | b"image"
            | b"isindex"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><body><div><p>a<p>b<ul><li>x<li>y</ul><img src=x><br></div>\
                    <script>if (a<div) {'<div><div>'}</script><!-- <div><div> --></body></html>";
        assert_eq!(
            prepare(page),
            "<html><body><div><p>a<p>b<ul><li>x<li>y</ul><img src=x><br></div>\
             <script></script></body></html>"
        );
        let many_paragraphs = "<div>".to_owned() + &"<p>text".repeat(10_000) + "</div>";
        assert_eq!(prepare(&many_paragraphs), many_paragraphs);
        let balanced = "<div><span>x</span></div>".repeat(10_000);
        assert_eq!(prepare(&balanced), balanced);
    }

    #[test]
    fn read_scripts_stay_and_quoted_brackets_do_not_end_tags() {
        let page = r#"<head><script type="application/ld+json">{"a":1}</script>
            <script>window.s = {"datePublished":"2024-05-06T10:00:00Z"}</script>
            <script data-x="a>b">var x = "</scripts>";</SCRIPT ><style media="x>y">p{}</style>
            <svg viewBox="0 0 1 1"><title>icon</title></svg><svg/><p>after<!-->kept"#;
        assert_eq!(
            prepare(page),
            "<head><script type=\"application/ld+json\">{\"a\":1}</script>\n\
             <script>window.s = {\"datePublished\":\"2024-05-06T10:00:00Z\"}</script>\n\
             <script data-x=\"a>b\"></SCRIPT ><style media=\"x>y\"></style>\n\
             <svg viewBox=\"0 0 1 1\"></svg><svg/><p>after<!-->kept"
        );
    }

    #[test]
    fn unread_attributes_are_dropped_odd_tags_left_alone() {
        // Formatting elements (`<a>`) keep theirs: the tree builder compares them.
        let page = r#"<div class="a" data-track='{"x":1}' onclick="go()" id=main hidden><a href="/x" target=_blank rel="author">x</a><img alt="" src="i.png" loading="lazy"/><p title=<odd>y</p></div>"#;
        assert_eq!(
            prepare(page),
            r#"<div class="a" id=main hidden><a href="/x" target=_blank rel="author">x</a><img alt="" src="i.png"/><p title=<odd>y</p></div>"#
        );
    }

    #[test]
    fn unread_links_are_dropped() {
        let page = r#"<head><link rel="stylesheet" href="a.css"><LINK REL=preload as=font href=f.woff2 />
            <link rel="canonical" href="/c"><link rel="icon stylesheet" class="x" href="i.png">
            <link rel="alternate" hreflang="de" href="/de"><link rel=icon href='i.png' media="(x)"><link rel"#;
        assert_eq!(
            prepare(page),
            "<head>\n<link rel=\"canonical\" href=\"/c\">\
             <link rel=\"icon stylesheet\" class=\"x\" href=\"i.png\">\n\
             <link rel=\"alternate\" href=\"/de\"><link rel"
        );
    }

    #[test]
    fn indentation_between_tags_shrinks_to_one_character_outside_pre() {
        let page = "<div>\n    <p>a  b\n  c</p>\n\n  <!-- x -->\n  <pre>\n  x\n  <b>y</b>\n </pre>  \n\
                    <p>a < b</p>\r\n  <span> </span> <i>z</i>\t\t</div>";
        assert_eq!(
            prepare(page),
            "<div>\n<p>a  b\n  c</p>\n\n<pre>\n  x\n  <b>y</b>\n </pre> \
             <p>a < b</p>\r<span> </span> <i>z</i>\t</div>"
        );
        let plain = "<plaintext><p>  \n  </p>";
        assert_eq!(prepare(plain), plain);
    }

    #[test]
    fn unread_element_contents_are_dropped_when_plain() {
        let page = "<form><select name=s><option>One<option>Two</select>\
                    <template><p>x</p></template><datalist id=d><option value=a></datalist>\
                    <iframe src=\"/e\"><p>no frames</iframe><button>Share</button><p>kept</p></form>";
        assert_eq!(
            prepare(page),
            "<form><select name=s></select><template></template><datalist id=d></datalist>\
             <iframe src=\"/e\"></iframe><button>Share</button><p>kept</p></form>"
        );
        // Contents where html5ever would read an end tag differently, or that never end, are
        // left to it (their own inner parts are still pruned).
        let odd = "<template><template>a</template>b</template>\
                   <select><script>x='</select>'</script></select>\
                   <select><!-- </select> --></select><template><p>open";
        assert_eq!(
            prepare(odd),
            "<template><template></template>b</template>\
             <select><script></script></select>\
             <select></select><template><p>open"
        );
    }

    #[test]
    fn link_only_navigation_is_emptied() {
        let page = "<nav class=top><ul><li><a href=/a>World</a><li><a href=/b>Sport</a></ul></nav>\
                    <nav><a href=/x>Home</a> <time datetime=2024-01-02>2 Jan</time></nav>\
                    <nav><a rel=author href=/x>Ann Lee</a></nav><nav><h1>Site</h1></nav>\
                    <nav><a href=/y>Archive 2023</a></nav><nav><p>Broken article…</nav>\
                    <nav>Plain words</nav><article><nav><a href=#s1>Part 1</a></nav></article>\
                    <nav><a href=/z>Z</a></nav>";
        assert_eq!(
            prepare(page),
            "<nav class=top></nav>\
             <nav><a href=/x>Home</a> <time datetime=2024-01-02>2 Jan</time></nav>\
             <nav><a rel=author href=/x>Ann Lee</a></nav><nav><h1>Site</h1></nav>\
             <nav><a href=/y>Archive 2023</a></nav><nav><p>Broken article…</nav>\
             <nav>Plain words</nav><article><nav><a href=#s1>Part 1</a></nav></article>\
             <nav></nav>"
        );
        // After an `itemprop=articleBody` element, navigation stays.
        let body = "<div itemprop=\"articleBody\"><nav><a href=/a>A</a></nav></div>";
        assert_eq!(prepare(body), body);
    }

    #[test]
    fn small_forms_are_emptied_big_or_read_ones_kept() {
        let long = "words ".repeat(200);
        let page = format!(
            "<form action=/s><label>Search</label><input name=q><button>Go</button></form>\
             <form><div>{long}</div></form><form><p>Comment</p></form>\
             <form><span class=byline>Ann</span></form>\
             <main><form><input name=q></form></main>"
        );
        assert_eq!(
            prepare(&page),
            format!(
                "<form></form><form><div>{long}</div></form><form><p>Comment</p></form>\
                 <form><span class=byline>Ann</span></form>\
                 <main><form><input name=q></form></main>"
            )
        );
    }

    #[test]
    fn footers_asides_and_headers_outside_the_article_are_emptied_unless_read() {
        let page = "<aside class=ad><div>Sponsored</div></aside><footer><a href=/i>Imprint</a></footer>\
                    <footer>© 2024 Site</footer><aside><time>Today</time></aside>\
                    <footer><article><p>Swallowed</p></article></footer>\
                    <article><footer>By Ann</footer></article>\
                    <header><a href=/><img src=logo.png></a></header><header>Plain</header>";
        assert_eq!(
            prepare(page),
            "<aside class=ad></aside><footer></footer>\
             <footer>© 2024 Site</footer><aside><time>Today</time></aside>\
             <footer><article><p>Swallowed</p></article></footer>\
             <article><footer>By Ann</footer></article>\
             <header></header><header>Plain</header>"
        );
    }

    #[test]
    fn deep_nesting_is_cut() {
        let nested = "<div>".repeat(100_000);
        let cut = prepare(&nested);
        assert_eq!(cut.len(), MAX_NESTING * 5);
        let formatting = "<b><i><a href=x>é".repeat(10_000);
        assert!(prepare(&formatting).len() < 10_000);
    }
}

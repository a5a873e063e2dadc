//! Bounds on the HTML that is sanitised and stored: nesting depth, number of elements and of
//! attributes.
//!
//! html5ever's tree builder does work proportional to the depth of the open-element stack for
//! many tokens, and its tokenizer checks each attribute against the tag's earlier ones, so
//! 500,000 unclosed `<div>`s or one tag with 300,000 attributes cost minutes; a stored body
//! nested 40,000 deep costs seconds each time it is parsed again. [`bound_html`] is one linear
//! scan, run before parsing, that keeps markup within [`HtmlBounds`]: start tags beyond the
//! depth or element bound are dropped together with their end tags (their text stays), and
//! attributes beyond the bounds are dropped. Ordinary articles are left untouched.
//!
//! The scan errs on the side of counting: it reads the contents of script-like elements as
//! markup too, so that whatever html5ever will see as elements has been counted.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::prepass::{counted, tag_end};

/// Default for [`HtmlBounds::max_depth`].
pub const MAX_HTML_DEPTH: usize = 128;
/// Default for [`HtmlBounds::max_elements`].
pub const MAX_HTML_ELEMENTS: usize = 50_000;
/// Default for [`HtmlBounds::max_attributes_per_element`].
pub const MAX_ATTRIBUTES_PER_ELEMENT: usize = 32;
/// Default for [`HtmlBounds::max_attributes`].
pub const MAX_HTML_ATTRIBUTES: usize = 100_000;

/// Limits that [`bound_html`] keeps a document within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtmlBounds {
    /// Most elements open at once (elements whose end tag is optional, like `p` and `li`, and
    /// void elements are not counted: a new one closes the last).
    pub max_depth: usize,
    /// Most start tags in the document.
    pub max_elements: usize,
    /// Most attributes on one element.
    pub max_attributes_per_element: usize,
    /// Most attributes in the document.
    pub max_attributes: usize,
}

impl Default for HtmlBounds {
    fn default() -> Self {
        HtmlBounds {
            max_depth: MAX_HTML_DEPTH,
            max_elements: MAX_HTML_ELEMENTS,
            max_attributes_per_element: MAX_ATTRIBUTES_PER_ELEMENT,
            max_attributes: MAX_HTML_ATTRIBUTES,
        }
    }
}

/// `html` within the default [`HtmlBounds`] (borrowed when nothing had to go).
///
/// ```
/// let deep = "<blockquote>".repeat(1000) + "x";
/// let bounded = newsdesk_extract::bound_html(&deep);
/// assert_eq!(bounded.matches("<blockquote>").count(), newsdesk_extract::MAX_HTML_DEPTH);
/// assert!(bounded.ends_with('x'));
/// ```
pub fn bound_html(html: &str) -> Cow<'_, str> {
    bound_html_with(html, &HtmlBounds::default())
}

/// `html` within `bounds`: start tags beyond the depth or element bound go with their end tags
/// (their contents stay), attributes beyond the bounds go. One pass, linear in the input.
pub fn bound_html_with<'a>(html: &'a str, bounds: &HtmlBounds) -> Cow<'a, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    // Replaces bytes[from..to] with `with` in the output.
    let mut splice = |out: &mut Option<String>, from: usize, to: usize, with: &str| {
        let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
        o.push_str(&html[copied..from]);
        o.push_str(with);
        copied = to;
    };
    let mut stack: Vec<String> = Vec::new();
    let mut open: HashMap<String, usize> = HashMap::new();
    let mut dropped: HashMap<String, usize> = HashMap::new();
    let mut elements = 0usize;
    let mut attributes = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + off;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = comment_end(bytes, start + 4);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            // bogus comments end at the first `>`
            i = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.starts_with(b"</");
        let name_start = start + if closing { 2 } else { 1 };
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(bytes.len(), |p| name_start + p);
        let name = html[name_start..name_end].to_ascii_lowercase();
        let end = tag_end(bytes, name_end);
        let after = (end + 1).min(bytes.len());
        i = after;
        if closing {
            if let Some(n) = dropped.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                splice(&mut out, start, after, "");
            } else if open.get(&name).is_some_and(|n| *n > 0) {
                while let Some(top) = stack.pop() {
                    if let Some(n) = open.get_mut(&top) {
                        *n -= 1;
                    }
                    if top == name {
                        break;
                    }
                }
            }
            continue;
        }
        let self_closing = end > name_end && bytes.get(end - 1) == Some(&b'/');
        // `<div/>` opens a div in HTML (the slash counts only on void and foreign elements)
        let nests = counted(name.as_bytes());
        elements += 1;
        if elements > bounds.max_elements || (nests && stack.len() >= bounds.max_depth) {
            if nests {
                *dropped.entry(name).or_default() += 1;
            }
            splice(&mut out, start, after, "");
            continue;
        }
        if nests {
            *open.entry(name.clone()).or_default() += 1;
            stack.push(name);
        }
        let ends = attribute_ends(bytes, name_end, end);
        let room = bounds
            .max_attributes_per_element
            .min(bounds.max_attributes.saturating_sub(attributes));
        attributes += ends.len().min(room);
        if ends.len() > room {
            let keep_to = if room == 0 { name_end } else { ends[room - 1] };
            let close = if self_closing { "/>" } else { ">" };
            let tag = format!("{}{close}", &html[start..keep_to]);
            splice(&mut out, start, after, &tag);
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
    }
}

/// Where a comment whose text starts at `from` ends, as HTML5 reads it (`<!-->`, `<!--->` and
/// `--!>` end a comment too).
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let body = &bytes[from.min(bytes.len())..];
    if body.starts_with(b">") {
        return from + 1;
    }
    if body.starts_with(b"->") {
        return from + 2;
    }
    let plain = memchr::memmem::find(body, b"-->").map(|e| e + 3);
    let bang = memchr::memmem::find(body, b"--!>").map(|e| e + 4);
    match (plain, bang) {
        (Some(a), Some(b)) => from + a.min(b),
        (Some(a), None) | (None, Some(a)) => from + a,
        (None, None) => bytes.len(),
    }
}

/// The end offsets of the attributes of a tag, between its name (`from`) and its `>` (`to`).
fn attribute_ends(bytes: &[u8], from: usize, to: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut i = from;
    let skip_space = |mut i: usize| {
        while i < to && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        i
    };
    loop {
        i = skip_space(i);
        if i >= to {
            break;
        }
        // the name (a leading `=` belongs to it, as in HTML5)
        i += 1;
        while i < to && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'/' | b'=') {
            i += 1;
        }
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
                Some(q @ (b'"' | b'\'')) if j < to => {
                    i = memchr::memchr(*q, &bytes[j + 1..to]).map_or(to, |e| j + 1 + e + 1);
                }
                _ => {
                    i = j;
                    while i < to && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
            }
        }
        ends.push(i);
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markup_is_borrowed_untouched() {
        let html = r#"<p class="a">Hi <a href="/x?a=1&b=2" title='t > u'>x</a><br/><img src=y alt=z></p><!-- c --><ul><li>1<li>2</ul>"#;
        assert!(matches!(bound_html(html), Cow::Borrowed(_)));
    }

    #[test]
    fn depth_is_cut_and_matching_end_tags_go_too() {
        let bounds = HtmlBounds {
            max_depth: 2,
            ..HtmlBounds::default()
        };
        let html = "<div><blockquote><blockquote>deep</blockquote>after</blockquote></div>tail";
        assert_eq!(
            bound_html_with(html, &bounds),
            "<div><blockquote>deepafter</blockquote></div>tail"
        );
    }

    #[test]
    fn unclosed_elements_are_bounded() {
        let html = "<div>x".repeat(10_000);
        let bounded = bound_html(&html);
        assert_eq!(bounded.matches("<div>").count(), MAX_HTML_DEPTH);
        assert_eq!(bounded.matches('x').count(), 10_000);
    }

    #[test]
    fn element_count_is_bounded() {
        let bounds = HtmlBounds {
            max_elements: 3,
            ..HtmlBounds::default()
        };
        assert_eq!(
            bound_html_with("<b>1</b><i>2</i><br><em>3</em><hr>", &bounds),
            "<b>1</b><i>2</i><br>3"
        );
    }

    #[test]
    fn attributes_are_bounded_per_element_and_in_all() {
        let bounds = HtmlBounds {
            max_attributes_per_element: 2,
            max_attributes: 3,
            ..HtmlBounds::default()
        };
        assert_eq!(
            bound_html_with(
                r#"<a x="1 > 2" y=2 z><b k=1 l=2/><i m n>t</i></a>"#,
                &bounds
            ),
            r#"<a x="1 > 2" y=2><b k=1/><i>t</i></a>"#
        );
    }

    #[test]
    fn odd_comments_end_where_html5_ends_them() {
        let bounds = HtmlBounds {
            max_depth: 1,
            ..HtmlBounds::default()
        };
        // `--!>` ends the comment: the divs after it are counted
        assert_eq!(
            bound_html_with("<!-- a --!><div><div>x</div></div>-->", &bounds),
            "<!-- a --!><div>x</div>-->"
        );
    }
}

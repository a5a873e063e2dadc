//! Iterative walks over the parsed DOM (no recursion: deep documents cannot blow the stack).

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::Node;
use scraper::node::Element;

/// One step of a [`walk`].
pub(crate) enum Step<'a> {
    /// An element opens.
    Open(NodeRef<'a, Node>, &'a Element),
    /// An element closes.
    Close,
    /// A text node.
    Text(&'a str),
}

/// Walks the subtree of `root` in document order, skipping the subtrees of the `skip` nodes.
pub(crate) fn walk<'a>(root: NodeRef<'a, Node>, skip: &NodeSet, mut f: impl FnMut(Step<'a>)) {
    let mut skipping: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                if skip.contains(&node.id()) {
                    skipping = Some(node.id());
                    continue;
                }
                match node.value() {
                    Node::Element(el) => f(Step::Open(node, el)),
                    Node::Text(t) => f(Step::Text(t)),
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if node.value().is_element() {
                    f(Step::Close);
                }
            }
        }
    }
}

/// The text of a subtree, whitespace-normalised, skipping `script`/`style` content.
pub(crate) fn text_of(root: NodeRef<'_, Node>) -> String {
    collect_text(root, usize::MAX).0
}

/// [`text_of`] for short texts: `None`, without reading the rest of the subtree, as soon as it
/// holds more than `max_chars` characters that are not whitespace (so its normalised text is
/// longer than `max_chars`).
pub(crate) fn text_within(root: NodeRef<'_, Node>, max_chars: usize) -> Option<String> {
    let (text, complete) = collect_text(root, max_chars);
    complete.then_some(text)
}

/// The first `max_chars` characters of [`text_of`], reading no more of the subtree than needed.
pub(crate) fn text_prefix(root: NodeRef<'_, Node>, max_chars: usize) -> String {
    let (mut text, _) = collect_text(root, max_chars);
    if let Some((end, _)) = text.char_indices().nth(max_chars) {
        text.truncate(end);
    }
    text
}

/// The normalised text of a subtree, stopping after the text node that brings it over
/// `max_chars` characters that survive normalisation; `false` when it stopped early.
fn collect_text(root: NodeRef<'_, Node>, max_chars: usize) -> (String, bool) {
    let mut raw = String::new();
    let mut visible = 0usize;
    let mut hidden = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el)
                    if matches!(el.name(), "script" | "style" | "noscript" | "template") =>
                {
                    hidden += 1
                }
                Node::Element(el) if is_block(el.name()) || el.name() == "br" => raw.push(' '),
                Node::Text(t) if hidden == 0 => {
                    raw.push_str(t);
                    if max_chars != usize::MAX {
                        visible += t
                            .chars()
                            .filter(|c| !c.is_whitespace() && !is_zero_width(*c))
                            .count();
                        if visible > max_chars {
                            return (newsdesk_text::normalize_whitespace(&raw), false);
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => match node.value() {
                Node::Element(el)
                    if matches!(el.name(), "script" | "style" | "noscript" | "template") =>
                {
                    hidden = hidden.saturating_sub(1)
                }
                Node::Element(el) if is_block(el.name()) => raw.push(' '),
                _ => {}
            },
        }
    }
    (newsdesk_text::normalize_whitespace(&raw), true)
}

/// Characters `normalize_whitespace` drops.
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// Elements that break the flow of text (a paragraph boundary in plain text).
pub(crate) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hgroup"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "address"
            | "hr"
            | "center"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "menu"
            | "dialog"
            | "legend"
            | "option"
            | "iframe"
            | "video"
            | "audio"
            | "picture"
    )
}

/// Attribute lookup by name without interning the name.
///
/// scraper's `Element::attr` turns the name into an interned atom (a hash and, for names not
/// in the static set, a global lock) and binary-searches the attributes; elements have a handful
/// of attributes, so comparing their names as strings is several times cheaper.
pub(crate) trait AttrLookup {
    /// The value of the attribute `name` (an HTML attribute: no namespace prefix handling).
    fn attribute(&self, name: &str) -> Option<&str>;
}

impl AttrLookup for Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

/// A set of DOM nodes (Fx-hashed: node ids are small integers, SipHash is wasted on them).
pub(crate) type NodeSet = rustc_hash::FxHashSet<NodeId>;

/// A map keyed by DOM node.
pub(crate) type NodeMap<V> = rustc_hash::FxHashMap<NodeId, V>;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bounded_texts_agree_with_the_whole_text() {
        let doc = scraper::Html::parse_document(
            "<body><p>Am 3. M\u{200b}ärz</p><div>  fiel   Schnee.<script>x=1</script></div><p>Ende</p></body>",
        );
        let root = doc.tree.root();
        let whole = text_of(root);
        assert_eq!(whole, "Am 3. März fiel Schnee. Ende");
        for n in 0..whole.chars().count() + 2 {
            let expected: String = whole.chars().take(n).collect();
            assert_eq!(text_prefix(root, n), expected, "prefix {n}");
        }
        assert_eq!(text_within(root, 23).as_deref(), Some(whole.as_str()));
        assert_eq!(text_within(root, 22), None);
    }
}

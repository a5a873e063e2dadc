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
    text_within(root, usize::MAX).unwrap_or_default()
}

/// [`text_of`] for short texts: `None`, without reading the rest of the subtree, as soon as it
/// holds more than `max_chars` characters that are not whitespace (so its normalised text is
/// longer than `max_chars`).
pub(crate) fn text_within(root: NodeRef<'_, Node>, max_chars: usize) -> Option<String> {
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
                    if max_chars != usize::MAX {
                        visible += t.chars().filter(|c| !c.is_whitespace()).count();
                        if visible > max_chars {
                            return None;
                        }
                    }
                    raw.push_str(t)
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
    Some(newsdesk_text::normalize_whitespace(&raw))
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

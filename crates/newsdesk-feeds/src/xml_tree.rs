//! A small element tree over the repaired XML, with namespaces resolved, for the fields
//! [`crate::overlay`] reads itself.
//!
//! feed-rs's model loses what a faithful reading needs (the raw markup of text constructs,
//! their `type`/`mode`, `xml:base` on any element, unmapped namespaces such as `dc:title` or
//! `media:category`), so the overlay walks this tree.

use newsdesk_core::escape;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// An element: its name as written, namespace URI, local name, attributes and children.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    /// Qualified name as written (`dc:creator`).
    pub qname: String,
    /// Namespace URI, when the element is in one.
    pub ns: Option<String>,
    /// Local name (`creator`).
    pub local: String,
    /// Attributes as written (qualified names), values unescaped.
    pub attrs: Vec<(String, String)>,
    /// Namespace declarations in scope at this element (prefix, URI; "" for the default).
    pub scope: Vec<(String, String)>,
    /// Child nodes in document order.
    pub children: Vec<Node>,
}

/// A child node.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// An element.
    Element(Element),
    /// Character data (references decoded, CDATA included).
    Text(String),
}

impl Element {
    /// The value of attribute `name` (exact qualified name, else case-insensitive local name).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .or_else(|| {
                self.attrs.iter().find(|(k, _)| {
                    k.rsplit(':').next().unwrap_or(k).eq_ignore_ascii_case(name)
                        && !k.starts_with("xmlns")
                })
            })
            .map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// All text below this element, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out
    }

    /// True when the element has child elements.
    pub fn has_elements(&self) -> bool {
        self.elements().next().is_some()
    }
}

fn collect_text(e: &Element, out: &mut String) {
    for n in &e.children {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) => collect_text(c, out),
        }
    }
}

/// How deep the tree is built. Feed fields sit a few levels down (inline XHTML content a few
/// more); elements nested deeper are not kept as elements, their text goes to the deepest kept
/// ancestor. The bound keeps every recursive walk of the tree (text, overlay, drop) on a small
/// stack: 50,000 nested elements in a hostile feed once overflowed it and aborted the process.
pub(crate) const MAX_TREE_DEPTH: usize = 256;

/// Parses well-formed XML into its root element; `None` when there is no element or the XML is
/// broken beyond what quick-xml accepts. Elements nested deeper than [`MAX_TREE_DEPTH`] are
/// flattened into their deepest kept ancestor.
pub(crate) fn parse_tree(xml: &str) -> Option<Element> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    // elements open below the depth bound (not materialised)
    let mut too_deep = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                tracing::debug!(error = %e, "feeds: element tree stopped at an XML error");
                break;
            }
        };
        match event {
            Event::Start(_) if stack.len() >= MAX_TREE_DEPTH => too_deep += 1,
            Event::Empty(_) if stack.len() >= MAX_TREE_DEPTH => {}
            Event::End(_) if too_deep > 0 => too_deep -= 1,
            Event::Start(ref s) => {
                let parent_scope = stack.last().map(|p| p.scope.clone()).unwrap_or_default();
                stack.push(element(s, parent_scope));
            }
            Event::Empty(ref s) => {
                let parent_scope = stack.last().map(|p| p.scope.clone()).unwrap_or_default();
                let e = element(s, parent_scope);
                match stack.last_mut() {
                    Some(p) => p.children.push(Node::Element(e)),
                    None => {
                        root = Some(e);
                        break;
                    }
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else { break };
                match stack.last_mut() {
                    Some(p) => p.children.push(Node::Element(done)),
                    None => {
                        root = Some(done);
                        break;
                    }
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    // the XML five (the repair pass has made every other name numeric);
                    // an unknown name stays as written
                    _ => escape::decode(&format!("&{};", r.xml10_content())).into_owned(),
                };
                push_text(&mut stack, &text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // unclosed elements (should not happen after repair): close them
    while let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(p) => p.children.push(Node::Element(done)),
            None => root = Some(done),
        }
    }
    root
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(prev)) = top.children.last_mut() {
            prev.push_str(text);
        } else {
            top.children.push(Node::Text(text.to_owned()));
        }
    }
}

fn element(s: &BytesStart<'_>, mut scope: Vec<(String, String)>) -> Element {
    let qname = s.name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for a in s.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref().to_owned();
        let value = escape::decode(&a.value).into_owned();
        if key == "xmlns" {
            scope.retain(|(p, _)| !p.is_empty());
            scope.push((String::new(), value.clone()));
        } else if let Some(prefix) = key.strip_prefix("xmlns:") {
            scope.retain(|(p, _)| p != prefix);
            scope.push((prefix.to_owned(), value.clone()));
        }
        attrs.push((key, value));
    }
    let (prefix, local) = match qname.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", qname.as_str()),
    };
    let ns = scope
        .iter()
        .rev()
        .find(|(p, _)| p == prefix)
        .map(|(_, u)| u.clone())
        .filter(|u| !u.is_empty());
    Element {
        local: local.to_owned(),
        qname: qname.clone(),
        ns,
        attrs,
        scope,
        children: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_beyond_the_bound_is_flattened_not_recursed() {
        let depth = 50_000;
        let xml = format!(
            "<r>{}deep{}<after/></r>",
            "<d>".repeat(depth),
            "</d>".repeat(depth)
        );
        let root = parse_tree(&xml).expect("tree");
        assert_eq!(root.text(), "deep");
        let mut levels = 0;
        let mut e = &root;
        while let Some(c) = e.elements().next() {
            levels += 1;
            e = c;
        }
        assert_eq!(levels + 1, MAX_TREE_DEPTH, "the root counts as one level");
        assert_eq!(
            root.elements().count(),
            2,
            "the element after the deep run is kept"
        );
    }

    #[test]
    fn namespaces_text_and_references_are_resolved() {
        let root = parse_tree(
            r#"<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title a="x&amp;y">A &amp; <![CDATA[<b>]]>&#233;</dc:title></rss>"#,
        )
        .unwrap();
        let t = root.elements().next().unwrap();
        assert_eq!(t.local, "title");
        assert_eq!(t.ns.as_deref(), Some("http://purl.org/dc/elements/1.1/"));
        assert_eq!(t.attr("a"), Some("x&y"));
        assert_eq!(t.text(), "A & <b>é");
    }
}

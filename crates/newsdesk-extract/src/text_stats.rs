//! Per-element text statistics: text length, link text, commas, inline text.

use crate::tree_walk::{NodeMap, NodeSet};
use ego_tree::{NodeId, NodeRef, Tree};
use scraper::Node;

use crate::tree_walk::{Step, is_block, walk};

/// Counts for one element, over its visible (non-removed) subtree.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ElementStats {
    /// Non-whitespace characters of text.
    pub text: u32,
    /// Non-whitespace characters of text inside links.
    pub links: u32,
    /// Commas (Latin, CJK and Arabic).
    pub commas: u32,
    /// Text that is not inside a block-level child (the element's "own" paragraph text).
    pub inline_text: u32,
}

impl ElementStats {
    /// Share of the text that sits inside links (0 when there is no text).
    pub fn link_density(&self) -> f64 {
        if self.text == 0 {
            0.0
        } else {
            f64::from(self.links) / f64::from(self.text)
        }
    }
}

/// Statistics of every visible element of a document.
pub(crate) struct Stats {
    map: NodeMap<ElementStats>,
}

impl Stats {
    /// Computes the statistics of the subtree of `root`, skipping the `removed` subtrees.
    pub fn compute(root: NodeRef<'_, Node>, removed: &NodeSet) -> Stats {
        struct Frame {
            id: NodeId,
            block: bool,
            link: bool,
            stats: ElementStats,
        }
        let mut map = NodeMap::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut link_depth = 0u32;
        walk(root, removed, |step| match step {
            Step::Open(node, el) => {
                let link = el.name() == "a";
                if link {
                    link_depth += 1;
                }
                stack.push(Frame {
                    id: node.id(),
                    block: is_block(el.name()),
                    link,
                    stats: ElementStats::default(),
                });
            }
            Step::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let (n, commas) = count_text(t);
                    top.stats.text += n;
                    top.stats.inline_text += n;
                    top.stats.commas += commas;
                    if link_depth > 0 {
                        top.stats.links += n;
                    }
                }
            }
            Step::Close => {
                if let Some(frame) = stack.pop() {
                    if frame.link {
                        link_depth = link_depth.saturating_sub(1);
                    }
                    if let Some(parent) = stack.last_mut() {
                        parent.stats.text += frame.stats.text;
                        parent.stats.links += frame.stats.links;
                        parent.stats.commas += frame.stats.commas;
                        if !frame.block {
                            parent.stats.inline_text += frame.stats.inline_text;
                        }
                    }
                    map.insert(frame.id, frame.stats);
                }
            }
        });
        Stats { map }
    }

    /// These statistics with the subtrees of `removed` taken out as well, where `removed` is a
    /// superset of the set these were computed with.
    ///
    /// Equal to [`Stats::compute`] with `removed`, but only the newly removed subtrees and their
    /// ancestors are visited: each newly removed element's counts are subtracted from its
    /// ancestors (its inline text from the ancestors it flows into), and the entries of its
    /// subtree are dropped.
    pub fn without(&self, tree: &Tree<Node>, removed: &NodeSet) -> Stats {
        let mut map = self.map.clone();
        for &id in removed {
            // Only elements these statistics counted, and only the topmost of nested removals.
            let Some(&gone) = self.map.get(&id) else {
                continue;
            };
            let Some(node) = tree.get(id) else {
                continue;
            };
            if node.ancestors().any(|a| removed.contains(&a.id())) {
                continue;
            }
            for d in node.descendants() {
                map.remove(&d.id());
            }
            let mut inline = match node.value() {
                Node::Element(el) if !is_block(el.name()) => gone.inline_text,
                _ => 0,
            };
            for a in node.ancestors() {
                let Node::Element(el) = a.value() else {
                    continue;
                };
                if let Some(s) = map.get_mut(&a.id()) {
                    s.text -= gone.text;
                    s.links -= gone.links;
                    s.commas -= gone.commas;
                    s.inline_text -= inline;
                }
                if is_block(el.name()) {
                    inline = 0;
                }
            }
        }
        Stats { map }
    }

    /// The statistics of one element (zero for removed or unknown elements).
    pub fn get(&self, id: NodeId) -> ElementStats {
        self.map.get(&id).copied().unwrap_or_default()
    }

    /// Every element with its statistics (in no particular order).
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &ElementStats)> {
        self.map.iter().map(|(id, s)| (*id, s))
    }
}

/// Non-whitespace characters and commas (Latin, CJK and Arabic) of a text, with a fast path for
/// ASCII bytes.
fn count_text(t: &str) -> (u32, u32) {
    let mut n = 0u32;
    let mut commas = 0u32;
    let bytes = t.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // `char::is_whitespace` on ASCII: space, \t, \n, vertical tab, form feed, \r.
            if !matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
                n += 1;
            }
            if b == b',' {
                commas += 1;
            }
            i += 1;
            continue;
        }
        let Some(c) = t.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if !c.is_whitespace() {
            n += 1;
        }
        if matches!(c, '，' | '、' | '،') {
            commas += 1;
        }
        i += c.len_utf8();
    }
    (n, commas)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_counts_match_the_char_definition() {
        for t in [
            "",
            " a,b\u{b}c\u{85}d\u{a0}é，x、y،z\u{3000}",
            "Grüße,\tWelt\r\n",
        ] {
            let n = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
            let commas = t
                .chars()
                .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
                .count() as u32;
            assert_eq!(count_text(t), (n, commas), "{t:?}");
        }
    }

    #[test]
    fn removing_more_subtrees_later_equals_computing_without_them() {
        let doc = scraper::Html::parse_document(
            "<body><div id=a>Hello, world <span id=s>inline, <a href=x>link <b id=b>bold</b></a></span>\
             <p id=p>para, one<i id=i>it</i></p><div id=c><p>gone, text</p>tail</div></div>\
             <footer id=f>foot</footer></body>",
        );
        let by_id = |id: &str| {
            doc.tree
                .root()
                .descendants()
                .find(|n| n.value().as_element().and_then(|e| e.id()) == Some(id))
                .unwrap()
                .id()
        };
        let root = doc.tree.root();
        let first: NodeSet = [by_id("f")].into_iter().collect();
        let base = Stats::compute(root, &first);
        for extra in [&["s"][..], &["b", "s"], &["c", "i"], &["p", "b"], &["a"]] {
            let mut more = first.clone();
            more.extend(extra.iter().map(|e| by_id(e)));
            let direct = Stats::compute(root, &more);
            let derived = base.without(&doc.tree, &more);
            let mut d: Vec<_> = direct
                .iter()
                .map(|(id, s)| (id, (s.text, s.links, s.commas, s.inline_text)))
                .collect();
            let mut e: Vec<_> = derived
                .iter()
                .map(|(id, s)| (id, (s.text, s.links, s.commas, s.inline_text)))
                .collect();
            d.sort_by_key(|x| x.0);
            e.sort_by_key(|x| x.0);
            assert_eq!(d, e, "{extra:?}");
        }
    }
}

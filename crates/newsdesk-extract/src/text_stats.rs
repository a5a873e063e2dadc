//! Per-element text statistics: text length, link text, commas, inline text.

use crate::tree_walk::{NodeMap, NodeSet};
use ego_tree::{NodeId, NodeRef};
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
                    let mut n = 0u32;
                    let mut commas = 0u32;
                    for c in t.chars() {
                        if !c.is_whitespace() {
                            n += 1;
                        }
                        if matches!(c, ',' | '，' | '、' | '،') {
                            commas += 1;
                        }
                    }
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

    /// The statistics of one element (zero for removed or unknown elements).
    pub fn get(&self, id: NodeId) -> ElementStats {
        self.map.get(&id).copied().unwrap_or_default()
    }

    /// Every element with its statistics (in no particular order).
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &ElementStats)> {
        self.map.iter().map(|(id, s)| (*id, s))
    }
}

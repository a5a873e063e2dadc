//! Finding the article's main text container: a readability-style scorer.
//!
//! Every paragraph-like element (`p`, `pre`, `td`, `blockquote`, or a `div` with enough text of
//! its own) scores `1 + commas + min(chars / 100, 3)`, damped by its link density, and passes
//! the score to its parent (in full), grandparent (half) and great-grandparent (a sixth). A
//! candidate's final score is its sum, plus a bonus for its tag and class words, times one minus
//! its link density. The best candidate wins; its siblings that look like more of the same text
//! are added.

use std::collections::{HashMap, HashSet};

use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};

use crate::boilerplate::{ClassVerdict, class_verdict, is_article_body};
use crate::text_stats::Stats;

/// Paragraphs shorter than this (non-whitespace characters) do not score.
const MIN_PARAGRAPH_CHARS: u32 = 25;

/// The chosen content: the winning container and the siblings to show with it, in order.
#[derive(Debug, Clone)]
pub(crate) struct Content {
    /// Elements whose subtrees make the body, in document order.
    pub nodes: Vec<NodeId>,
}

/// Picks the main content of the document, or `None` when no paragraph scores.
pub(crate) fn choose(html: &Html, stats: &Stats) -> Option<Content> {
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    for (id, st) in stats.iter() {
        let Some(node) = html.tree.get(id) else {
            continue;
        };
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let own = match el.name() {
            "p" | "pre" | "td" | "blockquote" | "dd" => st.text,
            "div" | "section" | "article" | "span" | "font" | "center" | "li" | "main" => {
                st.inline_text
            }
            _ => continue,
        };
        if own < MIN_PARAGRAPH_CHARS {
            continue;
        }
        let mut score = 1.0 + f64::from(st.commas.min(own / 10)) + f64::from((own / 100).min(3));
        score *= 1.0 - st.link_density();
        if el.name() == "li" {
            score *= 0.5;
        }
        if el.name() != "p" && el.name() != "pre" && el.name() != "blockquote" && el.name() != "td"
        {
            // A div's own text counts for the div itself too.
            add(&mut scores, node, score);
        }
        for (level, ancestor) in node.ancestors().take(3).enumerate() {
            if ancestor.value().as_element().is_none() {
                break;
            }
            let share = match level {
                0 => 1.0,
                1 => 0.5,
                _ => 1.0 / 6.0,
            };
            add(&mut scores, ancestor, score * share);
        }
    }
    let mut best: Option<(NodeId, f64)> = None;
    let mut finals: HashMap<NodeId, f64> = HashMap::with_capacity(scores.len());
    for (&id, &score) in &scores {
        let Some(el) = html.tree.get(id).and_then(|n| n.value().as_element()) else {
            continue;
        };
        let total = (score + bonus(el)) * (1.0 - stats.get(id).link_density());
        finals.insert(id, total);
        if best.is_none_or(|(_, b)| total > b) {
            best = Some((id, total));
        }
    }
    let (top, top_score) = best?;
    let top_node = html.tree.get(top)?;
    Some(Content {
        nodes: with_siblings(top_node, top_score, &finals, stats),
    })
}

fn add(scores: &mut HashMap<NodeId, f64>, node: NodeRef<'_, Node>, score: f64) {
    *scores.entry(node.id()).or_insert(0.0) += score;
}

/// Bonus of a candidate for its tag and class words.
fn bonus(el: &Element) -> f64 {
    let tag = match el.name() {
        "article" => 10.0,
        "div" | "main" => 5.0,
        "pre" | "td" | "blockquote" | "section" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        "body" => -10.0,
        _ => 0.0,
    };
    let class = if is_article_body(el) {
        40.0
    } else {
        match class_verdict(el) {
            ClassVerdict::Strong => -25.0,
            ClassVerdict::Weak => -10.0,
            ClassVerdict::Keep if has_positive_word(el) => 25.0,
            ClassVerdict::Keep => 0.0,
        }
    };
    tag + class
}

fn has_positive_word(el: &Element) -> bool {
    [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| {
            let v = v.to_ascii_lowercase();
            [
                "article", "content", "entry", "post", "story", "text", "body", "main", "blog",
            ]
            .iter()
            .any(|w| v.contains(w))
        })
}

/// The winner plus siblings that look like more of the article.
fn with_siblings(
    top: NodeRef<'_, Node>,
    top_score: f64,
    finals: &HashMap<NodeId, f64>,
    stats: &Stats,
) -> Vec<NodeId> {
    let Some(parent) = top.parent() else {
        return vec![top.id()];
    };
    let threshold = (top_score * 0.2).max(10.0);
    let mut nodes = Vec::new();
    let mut seen: HashSet<NodeId> = HashSet::new();
    for sibling in parent.children() {
        let id = sibling.id();
        if id == top.id() {
            nodes.push(id);
            seen.insert(id);
            continue;
        }
        let Some(el) = sibling.value().as_element() else {
            continue;
        };
        let st = stats.get(id);
        if st.text == 0 {
            continue;
        }
        let keep = finals.get(&id).is_some_and(|s| *s >= threshold)
            || (el.name() == "p" && st.text > 80 && st.link_density() < 0.25);
        if keep && seen.insert(id) {
            nodes.push(id);
        }
    }
    nodes
}

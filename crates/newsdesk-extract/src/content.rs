//! Finding the article's main text container: a readability-style scorer.
//!
//! Every paragraph-like element (`p`, `pre`, `td`, `blockquote`, or a `div` with enough text of
//! its own) scores `1 + commas + min(chars / 100, 3)`, damped by its link density, and passes
//! the score to its parent (in full), grandparent (half) and great-grandparent (a sixth). A
//! candidate's final score is its sum, plus a bonus for its tag and class words, times one minus
//! its link density. The best candidate wins; its siblings that look like more of the same text
//! are added.

use crate::tree_walk::AttrLookup;
use crate::tree_walk::{NodeMap, NodeSet};

use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};

use crate::boilerplate::{ClassVerdict, class_verdict, is_article_body, split_words};
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
    let mut scores: NodeMap<f64> = NodeMap::default();
    // Paragraph text under each element (all the way up), for moving up from the winner.
    let mut prose: NodeMap<u32> = NodeMap::default();
    // Document order, so that sums and ties do not depend on hash order (deterministic output).
    let mut elements: Vec<(NodeId, &crate::text_stats::ElementStats)> = stats.iter().collect();
    elements.sort_unstable_by_key(|(id, _)| *id);
    for (id, st) in elements {
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
        if st.link_density() < 0.3 {
            for a in node.ancestors() {
                *prose.entry(a.id()).or_insert(0) += own;
            }
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
    let mut finals: NodeMap<f64> =
        NodeMap::with_capacity_and_hasher(scores.len(), Default::default());
    for (&id, &score) in &scores {
        let Some(el) = html.tree.get(id).and_then(|n| n.value().as_element()) else {
            continue;
        };
        let total = (score + bonus(el)) * (1.0 - stats.get(id).link_density());
        finals.insert(id, total);
        if best.is_none_or(|(b_id, b)| total > b || (total == b && id < b_id)) {
            best = Some((id, total));
        }
    }
    let (top, top_score) = best?;
    let top_node = climb(html.tree.get(top)?, &prose, stats);
    let top_score = finals.get(&top_node.id()).copied().unwrap_or(top_score);
    let mut nodes = match semantic_container(html, stats, top_node, &prose) {
        Some(container) => vec![container],
        None => with_siblings(top_node, top_score, &finals, stats),
    };
    if let Some(lead) = nodes
        .first()
        .and_then(|first| html.tree.get(*first))
        .and_then(|first| lead_before(first, stats))
    {
        nodes.insert(0, lead);
    }
    Some(Content {
        nodes: fill_gaps(html, &nodes, stats),
    })
}

/// Adds the blocks lying between two chosen blocks (an ingredient list between a recipe's
/// intro and its steps, a fact box between two runs of paragraphs), unless link-heavy.
fn fill_gaps(html: &Html, nodes: &[NodeId], stats: &Stats) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = Vec::with_capacity(nodes.len());
    for (i, &id) in nodes.iter().enumerate() {
        if i > 0
            && let (Some(prev), Some(next)) = (html.tree.get(nodes[i - 1]), html.tree.get(id))
            && let Some(parent) = next.parent()
            // `prev`, or its ancestor that is a sibling of `next`.
            && let Some(start) = std::iter::once(prev)
                .chain(prev.ancestors())
                .take(MAX_GAP_CLIMB)
                .find(|a| a.parent().is_some_and(|p| p.id() == parent.id()))
        {
            for between in start.next_siblings().take_while(|s| s.id() != id) {
                let st = stats.get(between.id());
                if between.value().is_element() && st.text > 0 && st.link_density() < 0.3 {
                    out.push(between.id());
                }
            }
        }
        out.push(id);
    }
    out
}

/// How far up from a chosen block a common parent with the next one is looked for.
const MAX_GAP_CLIMB: usize = 6;

/// A lead / intro / standfirst block just before the content, outside it (many templates put
/// the teaser paragraph in the page header).
fn lead_before(first: NodeRef<'_, Node>, stats: &Stats) -> Option<NodeId> {
    let mut level = first;
    for _ in 0..LEAD_LEVELS {
        for sibling in level.prev_siblings() {
            for d in sibling.descendants() {
                let Some(el) = d.value().as_element() else {
                    continue;
                };
                if !is_lead(el) {
                    continue;
                }
                let st = stats.get(d.id());
                if (40..=1500).contains(&st.text) && st.link_density() < 0.3 {
                    return Some(d.id());
                }
            }
        }
        level = level.parent()?;
        if level
            .value()
            .as_element()
            .is_none_or(|e| matches!(e.name(), "body" | "html"))
        {
            return None;
        }
    }
    None
}

/// Levels up from the content at which a lead is looked for.
const LEAD_LEVELS: usize = 4;

fn is_lead(el: &Element) -> bool {
    let mut words = Vec::new();
    for attr in [el.attribute("class"), el.attribute("id")]
        .into_iter()
        .flatten()
    {
        split_words(attr, &mut words);
    }
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "lead"
                | "leadtext"
                | "intro"
                | "introduction"
                | "teaser"
                | "teasertext"
                | "chapo"
                | "chapeau"
                | "standfirst"
                | "kicker"
                | "summary"
                | "excerpt"
                | "abstract"
                | "deck"
                | "dek"
                | "subtitle"
                | "subheadline"
                | "sumario"
                | "bajada"
                | "entradilla"
                | "description"
        )
    }) && !matches!(el.name(), "a" | "img" | "ul" | "ol" | "nav")
}

/// Moves up from the scorer's pick while its parent holds clearly more paragraph text (an
/// article split over several sibling blocks), without getting link-heavy.
fn climb<'a>(mut cur: NodeRef<'a, Node>, prose: &NodeMap<u32>, stats: &Stats) -> NodeRef<'a, Node> {
    let prose_of = |n: NodeRef<'_, Node>| prose.get(&n.id()).copied().unwrap_or(0);
    for _ in 0..CLIMB_LEVELS {
        // The nearest ancestor (within a few wrappers) holding clearly more paragraph text.
        let mut next = None;
        for ancestor in cur.ancestors().take(CLIMB_LOOKAHEAD) {
            let Some(el) = ancestor.value().as_element() else {
                break;
            };
            if matches!(el.name(), "body" | "html") || class_verdict(el) == ClassVerdict::Strong {
                break;
            }
            if stats.get(ancestor.id()).link_density() >= 0.3 {
                break;
            }
            if prose_of(ancestor) * 10 >= prose_of(cur) * CLIMB_RATIO {
                next = Some(ancestor);
                break;
            }
        }
        match next {
            Some(n) => cur = n,
            None => break,
        }
    }
    cur
}

/// Wrappers looked through for an ancestor with more paragraphs.
const CLIMB_LOOKAHEAD: usize = 6;

/// At most this many levels up.
const CLIMB_LEVELS: usize = 4;
/// Climb when the parent has at least this many tenths of the pick's paragraph text.
const CLIMB_RATIO: u32 = 15;

/// A semantic container smaller than this (text characters) is not trusted.
const MIN_CONTAINER_TEXT: u32 = 200;

/// How strongly an element declares itself the article body (0: not at all).
fn container_rank(el: &Element) -> u8 {
    if is_article_body(el) {
        return 3;
    }
    let mut words = Vec::new();
    for attr in [el.attribute("class"), el.attribute("id")]
        .into_iter()
        .flatten()
    {
        split_words(attr, &mut words);
    }
    let body_word = |w: &str| {
        matches!(
            w,
            "articlebody"
                | "articletext"
                | "articlecontent"
                | "entrycontent"
                | "postcontent"
                | "postbody"
                | "posttext"
                | "storybody"
                | "storytext"
                | "storycontent"
                | "bodytext"
                | "newstext"
                | "richtext"
        )
    };
    let pair = words.windows(2).any(|w| {
        matches!(
            w[0].as_str(),
            "article" | "entry" | "post" | "story" | "news" | "blog" | "body" | "rich"
        ) && matches!(w[1].as_str(), "body" | "content" | "text" | "inner")
    });
    if pair || words.iter().any(|w| body_word(w)) {
        return 2;
    }
    u8::from(el.name() == "article")
}

/// The element that declares itself the article (microdata, `<article>`, "article-body"
/// classes) and holds the scorer's pick, or clearly more text than it.
fn semantic_container(
    html: &Html,
    stats: &Stats,
    top: NodeRef<'_, Node>,
    prose: &NodeMap<u32>,
) -> Option<NodeId> {
    let mut best: Option<(u8, u32, NodeId)> = None;
    for node in html.tree.root().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let st = stats.get(node.id());
        if st.text < MIN_CONTAINER_TEXT || st.link_density() > 0.4 {
            continue;
        }
        let rank = container_rank(el);
        if rank == 0 {
            continue;
        }
        // The outermost of nested candidates of the same rank, the biggest otherwise.
        if best.is_none_or(|(r, t, _)| rank > r || (rank == r && st.text > t)) {
            best = Some((rank, st.text, node.id()));
        }
    }
    let (_, text, id) = best?;
    let top_text = stats.get(top.id()).text;
    let holds_top = top.id() == id || top.ancestors().any(|a| a.id() == id);
    let inside_top = top.descendants().any(|d| d.id() == id);
    if inside_top {
        // The container is a small part of the pick: keep the pick when what it adds is running
        // paragraphs (an article with boxes inside), take the container when it is other text.
        let prose_of = |n: NodeId| prose.get(&n).copied().unwrap_or(0);
        let outside = prose_of(top.id()).saturating_sub(prose_of(id));
        return (text * 10 < top_text * CONTAINER_SHARE && outside < prose_of(id)).then_some(id);
    }
    (holds_top || text > top_text).then_some(id)
}

/// Inside the scorer's pick, a container holding at least this many tenths of its text gives
/// way to the pick.
const CONTAINER_SHARE: u32 = 4;

fn add(scores: &mut NodeMap<f64>, node: NodeRef<'_, Node>, score: f64) {
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
    [el.attribute("class"), el.attribute("id")]
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
    finals: &NodeMap<f64>,
    stats: &Stats,
) -> Vec<NodeId> {
    let Some(parent) = top.parent() else {
        return vec![top.id()];
    };
    let threshold = (top_score * 0.2).max(10.0);
    let mut nodes = Vec::new();
    let mut seen = NodeSet::default();
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

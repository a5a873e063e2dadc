//! The plain text of an HTML fragment (a feed's summary or content), by the renderer that gives
//! an extracted article its `body_text`.

use crate::body::{self, RenderContext};
use crate::text_stats::Stats;
use crate::tree_walk::NodeSet;

/// The plain text of an HTML fragment, as [`extract`](crate::extract) gives an article's
/// `body_text`: the same renderer (paragraphs separated by blank lines, entities decoded,
/// whitespace normalised, scripts and styles dropped, figure captions and link boxes left out
/// of the text). The pipeline uses it for articles built from a feed's content, so that every
/// stored `body_text` is written one way.
///
/// The fragment goes through the extractor's pre-pass first (nesting bounded; style, noscript,
/// svg, comments and scripts dropped), as a page does.
///
/// ```
/// let text = newsdesk_extract::html_text("<p>Hello &amp; <b>welcome</b></p><p>Caf&#233;</p>");
/// assert_eq!(text, "Hello & welcome\n\nCafé");
/// ```
pub fn html_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html
            .split("\n\n")
            .map(newsdesk_text::normalize_whitespace)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    let doc = crate::tokenize::parse_document(&crate::prepass::prepare(html));
    let removed = NodeSet::default();
    let root = doc.tree.root();
    let stats = Stats::compute(root, &removed);
    let ctx = RenderContext {
        removed: &removed,
        stats: &stats,
        base: None,
        title: None,
        authors: &[],
    };
    body::render(&doc, &[root.id()], &ctx).text
}

#[cfg(test)]
mod tests {
    use super::html_text;

    #[test]
    fn paragraphs_entities_and_scripts() {
        assert_eq!(
            html_text(
                "<p>Hello &amp; <b>welcome</b></p><p>Caf&#233; &#x263A;</p><script>x()</script>"
            ),
            "Hello & welcome\n\nCafé ☺"
        );
        // a line break inside a paragraph stays in that paragraph, as in an article body
        assert_eq!(html_text("one<br>two"), "one two");
        assert_eq!(html_text("plain   text"), "plain text");
        assert_eq!(html_text(""), "");
        assert_eq!(html_text("<unclosed"), "");
    }
}

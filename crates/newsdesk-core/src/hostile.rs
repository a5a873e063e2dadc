//! Hostile inputs, built on demand: the cases of the adversarial review (issue 19) that the
//! tests and `newsdesk bench hostile` run through the product's own code. Each builder returns
//! the document exactly as an attacker's server would send it.

/// A feed whose internal DTD declares one entity of `value_len` bytes and references it `refs`
/// times (`entity_bomb_feed(100_000, 20_000)` is the 160 KB feed that once grew to 12 GB).
pub fn entity_bomb_feed(value_len: usize, refs: usize) -> String {
    let mut s = String::with_capacity(value_len + refs * 3 + 256);
    s.push_str("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"");
    s.push_str(&"A".repeat(value_len));
    s.push_str("\">]>\n<rss version=\"2.0\"><channel><title>bomb</title><item><title>t</title><link>http://127.0.0.1/a</link><description>");
    s.push_str(&"&a;".repeat(refs));
    s.push_str("</description></item></channel></rss>");
    s
}

/// A feed with one `<item>` carrying `n` attributes; `distinct` chooses `a0="1" a1="1" …` over
/// `a="1" a="1" …` (both once cost a linear scan per attribute).
pub fn many_attributes_feed(n: usize, distinct: bool) -> String {
    let mut s = String::with_capacity(n * 12 + 256);
    s.push_str("<rss version=\"2.0\"><channel><title>attrs</title><item");
    for i in 0..n {
        if distinct {
            s.push_str(&format!(" a{i}=\"1\""));
        } else {
            s.push_str(" a=\"1\"");
        }
    }
    s.push_str("><title>t</title><link>http://127.0.0.1/a</link></item></channel></rss>");
    s
}

/// A feed with `depth` nested open elements inside its item, then `n` end tags of an element
/// that is not open (each once scanned the whole element stack).
pub fn stray_end_tags_feed(depth: usize, n: usize) -> String {
    let mut s = String::with_capacity(depth * 3 + n * 4 + 256);
    s.push_str("<rss version=\"2.0\"><channel><title>stray</title><item><title>t</title><link>http://127.0.0.1/a</link><x>");
    s.push_str(&"<d>".repeat(depth));
    s.push_str(&"</b>".repeat(n));
    s.push_str("</x></item></channel></rss>");
    s
}

/// `<blockquote>` nested `depth` times around one word, closed.
pub fn deep_blockquote_html(depth: usize) -> String {
    format!(
        "{}deep{}",
        "<blockquote>".repeat(depth),
        "</blockquote>".repeat(depth)
    )
}

/// `n` `<div>` start tags, never closed, each with a word.
pub fn unclosed_divs_html(n: usize) -> String {
    "<div>x".repeat(n)
}

/// An RSS 2.0 feed with one item whose description is `html` (in CDATA) and whose link is
/// `link`.
pub fn feed_with_content(html: &str, link: &str) -> String {
    format!(
        "<rss version=\"2.0\"><channel><title>content</title><link>{link}</link><item><title>Deep</title>\
         <link>{link}</link><guid>{link}#1</guid><description><![CDATA[{html}]]></description></item></channel></rss>"
    )
}

/// An article of `source_id` stored under `entry_key` with `url` and `body_html` as given (the
/// way a row written before bodies were bounded at ingest holds it), published now.
pub fn stored_article(
    source_id: crate::SourceId,
    entry_key: &str,
    url: &str,
    body_html: String,
) -> crate::NewArticle {
    let now = chrono::Utc::now();
    crate::NewArticle {
        source_id,
        entry_key: entry_key.into(),
        url: url.into(),
        canonical_url: None,
        title: entry_key.into(),
        authors: vec![],
        published_at: Some(now),
        modified_at: None,
        fetched_at: now,
        lead_image: None,
        language: Some("en".into()),
        summary: None,
        body_html,
        body_text: "deep".into(),
        tags: vec![],
        origin: crate::ContentOrigin::Page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_review() {
        let bomb = entity_bomb_feed(100_000, 20_000);
        assert!((155_000..170_000).contains(&bomb.len()), "{}", bomb.len());
        let attrs = many_attributes_feed(300_000, true);
        assert!(attrs.len() > 3_000_000, "{}", attrs.len());
        let deep = deep_blockquote_html(40_000);
        assert!(deep.len() > 1_000_000, "{}", deep.len());
    }
}

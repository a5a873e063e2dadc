//! Fuzz target: arbitrary markup through the sanitiser that every stored body and feed summary
//! passes (`newsdesk_extract::sanitize_html`). Any panic, overflow or timeout is a finding, and
//! so is output that carries a script or event handler, or nests deeper than the bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Elements html5ever never leaves open in serialised output (void elements).
fn void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "frame"
            | "basefont"
            | "bgsound"
    )
}

/// The tags of the serialised output (`<` in text is always escaped; attribute values are
/// quoted with `"`, inside which `<` and `>` may appear), each without its `<` and `>`.
fn tags(html: &str) -> Vec<&str> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|b| *b == b'<') {
        let start = i + off;
        let mut j = start + 1;
        let mut quoted = false;
        while j < bytes.len() && (quoted || bytes[j] != b'>') {
            if bytes[j] == b'"' {
                quoted = !quoted;
            }
            j += 1;
        }
        out.push(&html[start + 1..j.min(html.len())]);
        i = (j + 1).min(bytes.len());
    }
    out
}

/// Deepest nesting of the serialised output.
fn depth(tags: &[&str]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for tag in tags {
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else if !name.is_empty() && !void(&name) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let clean = newsdesk_extract::sanitize_html(&html, "https://fuzz.example/a/b?c=d");
    let tags = tags(&clean);
    for tag in &tags {
        let tag = tag.to_ascii_lowercase();
        assert!(!tag.starts_with("script"), "{clean}");
        // in attribute values (in text, such words are only words)
        assert!(!tag.contains("=\"javascript:"), "{clean}");
        assert!(!tag.contains("=\"data:"), "{clean}");
    }
    // html5ever may reopen formatting elements and add implied ones; twice the bound leaves
    // room for that while still catching an unbounded tree
    let deepest = depth(&tags);
    assert!(
        deepest <= 2 * newsdesk_extract::MAX_HTML_DEPTH + 8,
        "depth {deepest}"
    );
});

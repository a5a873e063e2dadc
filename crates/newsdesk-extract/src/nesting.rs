//! Bounding element nesting before parsing.
//!
//! html5ever's tree builder does work proportional to the depth of the open-element stack for
//! many tokens, so a document of deeply nested (or never closed) elements costs
//! O(size × depth): 5 MB of `<div>` would take minutes. Before parsing, a cheap scan estimates
//! the nesting depth and cuts the document where it exceeds [`MAX_NESTING`]. Elements whose end
//! tag is optional (`p`, `li`, `td`…) and void elements are not counted; script, style and
//! comment contents are skipped.

/// Estimated nesting depth at which a document is cut.
pub const MAX_NESTING: usize = 1500;

/// Returns the prefix of `html` whose estimated nesting stays within [`MAX_NESTING`].
pub(crate) fn bounded(html: &str) -> &str {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        let start = i + off;
        i = start + 1;
        let rest = &bytes[i..];
        if rest.starts_with(b"!--") {
            i = find(bytes, i + 3, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let mut name_end = name_start;
        while name_end < bytes.len()
            && (bytes[name_end].is_ascii_alphanumeric() || bytes[name_end] == b'-')
        {
            name_end += 1;
        }
        if name_end == name_start {
            continue;
        }
        let name = bytes[name_start..name_end].to_ascii_lowercase();
        let tag_end = memchr(b'>', &bytes[name_end..]).map_or(bytes.len(), |e| name_end + e);
        if closing {
            if counted(&name) {
                depth = depth.saturating_sub(1);
            }
            i = tag_end;
            continue;
        }
        if matches!(
            name.as_slice(),
            b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"noscript"
        ) {
            let mut close = b"</".to_vec();
            close.extend_from_slice(&name);
            i = find_ascii_ci(bytes, tag_end, &close).unwrap_or(bytes.len());
            continue;
        }
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        if counted(&name) && !self_closing {
            depth += 1;
            if depth > MAX_NESTING {
                tracing::warn!(
                    depth,
                    at = start,
                    "extract: document nested too deeply, cut"
                );
                // `start` is the position of an ASCII '<', so a char boundary.
                return &html[..start];
            }
        }
        i = tag_end;
    }
    html
}

fn counted(name: &[u8]) -> bool {
    !matches!(
        name,
        b"p" | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
            | b"rp"
            | b"rt"
            | b"rb"
            | b"rtc"
            | b"html"
            | b"head"
            | b"body"
            | b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
            | b"param"
            | b"keygen"
            | b"frame"
            | b"basefont"
            | b"bgsound"
            | b"image"
            | b"isindex"
    )
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ascii_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><body><div><p>a<p>b<ul><li>x<li>y</ul><img src=x><br></div>\
                    <script>if (a<div) {'<div><div>'}</script><!-- <div><div> --></body></html>";
        assert_eq!(bounded(page), page);
        let many_paragraphs = "<div>".to_owned() + &"<p>text".repeat(10_000) + "</div>";
        assert_eq!(bounded(&many_paragraphs), many_paragraphs);
        let balanced = "<div><span>x</span></div>".repeat(10_000);
        assert_eq!(bounded(&balanced), balanced);
    }

    #[test]
    fn deep_nesting_is_cut() {
        let nested = "<div>".repeat(100_000);
        let cut = bounded(&nested);
        assert_eq!(cut.len(), MAX_NESTING * 5);
        let formatting = "<b><i><a href=x>é".repeat(10_000);
        assert!(bounded(&formatting).len() < 10_000);
    }
}

//! Plain text out of HTML snippets (for titles), and text fixes shared by the mappers.

use newsdesk_core::escape::{self, windows_1252_c1};

/// Turns an HTML snippet into one line of plain text: tags removed (comments, scripts and
/// styles with their content), character references decoded, runs of whitespace collapsed.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut stripped = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        stripped.push_str(&rest[..i]);
        let tail = &rest[i..];
        let is_tag = tail[1..]
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !is_tag {
            stripped.push('<');
            rest = &tail[1..];
            continue;
        }
        // script and style elements are code, not text: their content goes with them
        let raw_text = ["script", "style"].into_iter().find(|name| {
            tail.get(1..1 + name.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(name))
                && tail[1 + name.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
        });
        let end = if tail.starts_with("<!--") {
            tail.find("-->").map(|e| e + 3)
        } else if let Some(name) = raw_text {
            let close = format!("</{name}");
            let lower = tail.to_ascii_lowercase();
            lower
                .find(&close)
                .and_then(|c| tail[c..].find('>').map(|e| c + e + 1))
        } else {
            tail.find('>').map(|e| e + 1)
        };
        match end {
            Some(e) => {
                // block-level boundaries become spaces so words do not run together
                stripped.push(' ');
                rest = &tail[e..];
            }
            None => {
                rest = "";
            }
        }
    }
    stripped.push_str(rest);
    collapse_whitespace(&escape::decode(&stripped))
}

/// Collapses runs of ASCII whitespace into one space and trims; typographic spaces written on
/// purpose (`&nbsp;`, `&emsp;`, `&thinsp;`…) are kept.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True when `s` looks like it holds markup or character references.
pub(crate) fn looks_like_markup(s: &str) -> bool {
    s.contains('<') || s.contains('&')
}

/// Undoes UTF-8 that was read as windows-1252/Latin-1 and re-encoded ("â€™" for "’"): when
/// every character fits in one windows-1252 byte and those bytes are valid UTF-8 with at least
/// one multi-byte sequence, the UTF-8 reading is returned.
pub(crate) fn fix_mojibake(s: &str) -> Option<String> {
    if s.is_ascii() || !s.chars().any(|c| ('\u{c2}'..='\u{f4}').contains(&c)) {
        return None;
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        let code = c as u32;
        if code < 0x80 || (0xa0..=0xff).contains(&code) {
            bytes.push(u8::try_from(code).ok()?);
        } else {
            let mut buf = [0u8; 4];
            let (enc, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            if unmappable {
                return None;
            }
            bytes.extend_from_slice(&enc);
        }
    }
    let fixed = String::from_utf8(bytes).ok()?;
    (fixed != s).then_some(fixed)
}

/// In HTML, numeric references to C1 controls (`&#146;`) mean windows-1252 characters; they
/// are rewritten to the real code point (`&#x2019;`), as browsers read them.
pub(crate) fn fix_c1_references(html: &str) -> Option<String> {
    if !html.contains("&#") {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut changed = false;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let digits = tail[2..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len() - 2);
        let code = tail[2..2 + digits].parse::<u32>().ok();
        let terminated = tail[2 + digits..].starts_with(';');
        match code
            .and_then(windows_1252_c1)
            .filter(|_| terminated && digits > 0)
        {
            Some(c) => {
                out.push_str(&format!("&#x{:x};", c as u32));
                rest = &tail[2 + digits + 1..];
                changed = true;
            }
            None => {
                out.push_str("&#");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags() {
        assert_eq!(
            html_to_text("<b>Bold</b> &amp; <i>it</i><!-- c -->\n  x < y"),
            "Bold & it x < y"
        );
        assert_eq!(html_to_text("a<br/>b"), "a b");
        assert_eq!(
            html_to_text("<b>Tide</b><SCRIPT type=x>go()</script> table<style>p{}</style>"),
            "Tide table"
        );
        assert_eq!(html_to_text("<scripts>kept</scripts>"), "kept");
        assert_eq!(html_to_text("a&emsp;b\u{a0}c"), "a\u{2003}b\u{a0}c");
    }

    #[test]
    fn c1_references() {
        assert_eq!(
            fix_c1_references("don&#146;t &#233; &#").as_deref(),
            Some("don&#x2019;t &#233; &#")
        );
        assert_eq!(fix_c1_references("&#233;"), None);
    }

    #[test]
    fn mojibake_is_undone() {
        assert_eq!(fix_mojibake("â€¦").as_deref(), Some("…"));
        assert_eq!(fix_mojibake("cafÃ©").as_deref(), Some("café"));
        assert_eq!(fix_mojibake("café"), None);
        assert_eq!(fix_mojibake("plain"), None);
    }
}

//! Escaping text for HTML and XML, and decoding character references: the one implementation
//! every crate uses, on the `html-escape` crate.
//!
//! Each function is one need:
//!
//! * [`html`]: text placed in HTML element content or a double-quoted attribute value (`&`, `<`,
//!   `>`, `"`). Every attribute newsdesk writes is double-quoted, so `'` stays as it is.
//! * [`html_text`]: plain text turned into HTML element content only (`&`, `<`, `>`), as feeds'
//!   `type="text"` constructs become HTML (feedparser's serialisation, which the feed view keeps).
//! * [`xml`]: text placed in XML 1.0 element content or a double-quoted attribute: [`html`]'s
//!   escapes, and the characters XML 1.0 cannot carry (C0 controls other than tab, newline and
//!   carriage return, U+FFFE, U+FFFF) dropped.
//! * [`xml_attribute`]: [`xml`], with tab, newline and carriage return written as character
//!   references, so that attribute-value normalisation does not turn them into spaces (OPML).
//! * [`decode`]: named (the HTML standard's table) and numeric character references decoded, as
//!   browsers read them: C1 code points (`&#146;`, or a raw U+0092) are windows-1252 characters
//!   (`’`); unknown or malformed references are kept as written.
//!
//! Not here, on purpose: the HTML tokenizer of `newsdesk-extract` (`tokenize.rs`) decodes
//! references by the HTML standard's tokenizer rules (references without `;`, in attributes or
//! not), because its tree must stay the one html5ever builds (a differential fuzz target checks
//! it); and the feed repair pass (`newsdesk-feeds`' `repair.rs`) rewrites references in broken
//! XML (undeclared HTML entities become numeric references), using [`named_reference`] and
//! [`windows_1252_c1`] from here.
//!
//! ```
//! use newsdesk_core::escape;
//! assert_eq!(escape::html("a < b & \"c\" 'd'"), "a &lt; b &amp; &quot;c&quot; 'd'");
//! assert_eq!(escape::xml("a\u{1}b"), "ab");
//! assert_eq!(escape::decode("caf&eacute; don&#146;t &bogus;"), "café don’t &bogus;");
//! ```

use std::borrow::Cow;

/// Escapes `&`, `<`, `>` and `"`: for HTML element content and double-quoted attribute values.
pub fn html(text: &str) -> Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(text)
}

/// Escapes `&`, `<` and `>`: plain text as HTML element content.
pub fn html_text(text: &str) -> Cow<'_, str> {
    html_escape::encode_text(text)
}

/// True for the characters XML 1.0 cannot carry, even as references.
fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Escapes like [`html`] and drops the characters XML 1.0 forbids: for XML element content and
/// double-quoted attribute values.
pub fn xml(text: &str) -> Cow<'_, str> {
    if text.contains(forbidden_in_xml) {
        let kept: String = text.chars().filter(|c| !forbidden_in_xml(*c)).collect();
        Cow::Owned(html(&kept).into_owned())
    } else {
        html(text)
    }
}

/// [`xml`] for a double-quoted attribute value whose tabs and line breaks must survive
/// attribute-value normalisation: they are written as character references.
pub fn xml_attribute(text: &str) -> Cow<'_, str> {
    let escaped = xml(text);
    if escaped.contains(['\t', '\n', '\r']) {
        Cow::Owned(
            escaped
                .replace('\t', "&#9;")
                .replace('\n', "&#10;")
                .replace('\r', "&#13;"),
        )
    } else {
        escaped
    }
}

/// Decodes character references as a browser reads them: the HTML standard's named references
/// and numeric ones, with C1 code points (referenced or raw) read as windows-1252 characters.
/// Unknown names, malformed references, NUL and other C0 controls are kept as written.
pub fn decode(text: &str) -> Cow<'_, str> {
    let decoded = html_escape::decode_html_entities(text);
    if decoded.contains(|c: char| ('\u{80}'..='\u{9f}').contains(&c)) {
        Cow::Owned(
            decoded
                .chars()
                .map(|c| windows_1252_c1(c as u32).unwrap_or(c))
                .collect(),
        )
    } else {
        decoded
    }
}

/// The text of a named character reference of the HTML standard (`"eacute"` → `"é"`; the name
/// without `&` and `;`, case-sensitive). Some names stand for two characters.
pub fn named_reference(name: &str) -> Option<&'static str> {
    let table = &html_escape::NAMED_ENTITIES;
    table
        .binary_search_by(|(n, _)| (*n).cmp(name.as_bytes()))
        .ok()
        .map(|i| table[i].1)
}

/// The windows-1252 character for a C1 code point (0x80–0x9F), if that byte has one: what
/// browsers read for `&#146;`, and what a C1 control in mislabelled Latin-1 text meant.
pub fn windows_1252_c1(code: u32) -> Option<char> {
    let byte = u8::try_from(code)
        .ok()
        .filter(|b| (0x80..=0x9f).contains(b))?;
    let bytes = [byte];
    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    s.chars().next().filter(|c| (*c as u32) != code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_double_quotes_only() {
        assert_eq!(
            html("<a href=\"x\">R&D</a> it's"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt; it's"
        );
        assert!(matches!(html("plain"), Cow::Borrowed(_)));
        assert_eq!(html_text("a < b & \"c\""), "a &lt; b &amp; \"c\"");
    }

    #[test]
    fn xml_drops_forbidden_characters() {
        assert_eq!(
            xml("a<b>&\"c'\u{0}\u{b}\u{fffe}\t\n\r"),
            "a&lt;b&gt;&amp;&quot;c'\t\n\r"
        );
        assert_eq!(xml_attribute("a\tb\nc\rd\u{1}<"), "a&#9;b&#10;c&#13;d&lt;");
        assert!(matches!(xml_attribute("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn decode_reads_references_as_browsers_do() {
        assert_eq!(
            decode("a&amp;b &eacute;&#233;&#xE9; &#146; &bogus; & x &#0; &#; &amp"),
            "a&b ééé ’ &bogus; & x &#0; &#; &amp"
        );
        // raw C1 controls are windows-1252 bytes read as Latin-1
        assert_eq!(decode("don\u{92}t"), "don’t");
        // a code point windows-1252 leaves undefined stays
        assert_eq!(decode("&#129;"), "\u{81}");
        assert!(matches!(decode("no references"), Cow::Borrowed(_)));
    }

    #[test]
    fn named_references_come_from_the_standard_table() {
        assert_eq!(named_reference("eacute"), Some("é"));
        assert_eq!(named_reference("hellip"), Some("…"));
        assert_eq!(named_reference("apos"), Some("'"));
        assert_eq!(named_reference("Eacute"), Some("É"));
        assert_eq!(named_reference("bogus"), None);
        assert_eq!(named_reference(""), None);
    }

    #[test]
    fn windows_1252_c1_maps_only_c1() {
        assert_eq!(windows_1252_c1(0x92), Some('’'));
        assert_eq!(windows_1252_c1(0x80), Some('€'));
        assert_eq!(windows_1252_c1(0x81), None);
        assert_eq!(windows_1252_c1(0xe9), None);
        assert_eq!(windows_1252_c1(0x1_0092), None);
    }
}

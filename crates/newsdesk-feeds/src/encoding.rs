//! Character encodings: turn the raw bytes of a feed into UTF-8 text.
//!
//! feed-rs decodes by the XML declaration only, aborts the process on UTF-16 with a byte order
//! mark, knows nothing of UTF-32, of the HTTP `charset`, or of the many feeds that say UTF-8 and
//! send windows-1252. So we decode here and hand feed-rs UTF-8 with a rewritten declaration.

use encoding_rs::Encoding;

/// A decoded document.
#[derive(Debug, Clone)]
pub(crate) struct Decoded {
    /// The text, UTF-8, without byte order mark.
    pub text: String,
    /// False when the bytes did not match their declared (or assumed) encoding, or the declared
    /// encoding was unknown: the document is then not well-formed.
    pub clean: bool,
}

/// What to do when a document does not decode cleanly in its declared (or assumed) encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fallback {
    /// Keep every valid UTF-8 run and read each invalid byte as windows-1252: the best text for
    /// a UTF-8 feed with a few stray windows-1252 bytes (the usual case), used on the pipeline.
    PerByte,
    /// feedparser's rule: decode the whole document with the first encoding that decodes it
    /// without error, in the order declared (HTTP `charset`, else XML declaration), UTF-8,
    /// windows-1252, ISO-8859-2 (which decodes anything). Used where our output must match
    /// feedparser's ([`crate::parse_feed_detailed`]).
    WholeDocument,
}

/// The fallback chain of [`Fallback::WholeDocument`] after the declared encoding, as
/// feedparser documents it ("I tried …, utf-8, windows-1252, and iso-8859-2").
const FALLBACK_CHAIN: [&Encoding; 3] = [
    encoding_rs::UTF_8,
    encoding_rs::WINDOWS_1252,
    encoding_rs::ISO_8859_2,
];

/// Bytes that windows-1252 leaves undefined: Python's codec (and so feedparser) refuses them,
/// where the WHATWG mapping of encoding_rs reads them as C1 controls.
const WINDOWS_1252_UNDEFINED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Decodes `bytes` using, in order: a byte order mark, the HTTP `charset`, the byte pattern of
/// `<?xml` in UTF-16/32, the XML declaration, then UTF-8 (invalid sequences fall back to
/// windows-1252 byte by byte).
pub(crate) fn decode(bytes: &[u8], http_content_type: Option<&str>) -> Decoded {
    decode_with(bytes, http_content_type, Fallback::PerByte)
}

/// [`decode`] with a choice of what happens when the declared encoding fails.
pub(crate) fn decode_with(
    bytes: &[u8],
    http_content_type: Option<&str>,
    fallback: Fallback,
) -> Decoded {
    if fallback == Fallback::WholeDocument {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if body.len() < bytes.len() || decode_by_signature(bytes).is_none() {
            return decode_whole_document(body, http_content_type);
        }
    }
    if let Some((text, clean)) = decode_by_signature(bytes) {
        return Decoded { text, clean };
    }
    let http_label = http_content_type.and_then(charset_param);
    let declared = declared_encoding(bytes);
    let mut clean = true;
    let label = match (http_label, declared) {
        (Some(h), _) => Some(h),
        (None, Some(d)) => Some(d),
        (None, None) => None,
    };
    let encoding = match label {
        Some(l) => match Encoding::for_label(l.trim().as_bytes()) {
            Some(e) => Some(e),
            None => {
                tracing::debug!(label = %l, "feeds: unknown encoding label, trying UTF-8");
                clean = false;
                None
            }
        },
        None => None,
    };
    match encoding {
        // A declaration of UTF-16 on ASCII-looking bytes (no BOM, no NULs) is a lie: read as UTF-8.
        Some(e)
            if e != encoding_rs::UTF_8
                && e != encoding_rs::UTF_16LE
                && e != encoding_rs::UTF_16BE =>
        {
            let (text, had_errors) = e.decode_without_bom_handling(bytes);
            Decoded {
                text: text.into_owned(),
                clean: clean && !had_errors,
            }
        }
        _ => {
            let (text, valid) = utf8_or_windows_1252(bytes);
            Decoded {
                text,
                clean: clean && valid,
            }
        }
    }
}

/// [`Fallback::WholeDocument`] for an ASCII-compatible document (UTF-16/32 are recognised by
/// their signature before): the declared encoding, then [`FALLBACK_CHAIN`]; the first that
/// decodes every byte wins. The document is clean only when the first candidate won.
fn decode_whole_document(bytes: &[u8], http_content_type: Option<&str>) -> Decoded {
    let label = http_content_type
        .and_then(charset_param)
        .or_else(|| declared_encoding(bytes));
    let declared = label.map(|l| Encoding::for_label(l.trim().as_bytes()));
    let mut candidates: Vec<&'static Encoding> = Vec::with_capacity(4);
    let mut clean = true;
    match declared {
        // A declaration of UTF-16 on ASCII-looking bytes (no BOM, no NULs) is a lie: read as UTF-8.
        Some(Some(e)) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => {}
        Some(Some(e)) => candidates.push(e),
        Some(None) => {
            tracing::debug!(label = ?label, "feeds: unknown encoding label, trying the fallbacks");
            clean = false;
        }
        None => {}
    }
    for e in FALLBACK_CHAIN {
        if !candidates.contains(&e) {
            candidates.push(e);
        }
    }
    for (i, &e) in candidates.iter().enumerate() {
        if e == encoding_rs::WINDOWS_1252
            && bytes.iter().any(|b| WINDOWS_1252_UNDEFINED.contains(b))
        {
            continue;
        }
        let (text, had_errors) = e.decode_without_bom_handling(bytes);
        if !had_errors {
            if i > 0 {
                tracing::debug!(
                    declared = candidates[0].name(),
                    used = e.name(),
                    "feeds: document does not decode as declared; decoded with a fallback"
                );
            }
            return Decoded {
                text: text.into_owned(),
                clean: clean && i == 0,
            };
        }
    }
    // ISO-8859-2 maps every byte, so this is not reached; keep the per-byte reading anyway.
    let (text, _) = utf8_or_windows_1252(bytes);
    Decoded { text, clean: false }
}

/// Byte order marks and the `<?xml` pattern in UTF-16/UTF-32.
fn decode_by_signature(bytes: &[u8]) -> Option<(String, bool)> {
    let b = |i: usize| bytes.get(i).copied();
    match (b(0), b(1), b(2), b(3)) {
        (Some(0x00), Some(0x00), Some(0xFE), Some(0xFF)) => Some(utf32(&bytes[4..], true)),
        (Some(0xFF), Some(0xFE), Some(0x00), Some(0x00)) => Some(utf32(&bytes[4..], false)),
        (Some(0x00), Some(0x00), Some(0x00), Some(0x3C)) => Some(utf32(bytes, true)),
        (Some(0x3C), Some(0x00), Some(0x00), Some(0x00)) => Some(utf32(bytes, false)),
        (Some(0xEF), Some(0xBB), Some(0xBF), _) => Some(utf8_or_windows_1252(&bytes[3..])),
        (Some(0xFE), Some(0xFF), _, _) => Some(utf16(&bytes[2..], encoding_rs::UTF_16BE)),
        (Some(0xFF), Some(0xFE), _, _) => Some(utf16(&bytes[2..], encoding_rs::UTF_16LE)),
        (Some(0x00), Some(0x3C), Some(0x00), Some(0x3F)) => {
            Some(utf16(bytes, encoding_rs::UTF_16BE))
        }
        (Some(0x3C), Some(0x00), Some(0x3F), Some(0x00)) => {
            Some(utf16(bytes, encoding_rs::UTF_16LE))
        }
        _ => None,
    }
}

fn utf16(bytes: &[u8], enc: &'static Encoding) -> (String, bool) {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), !had_errors)
}

/// encoding_rs has no UTF-32 (the Encoding Standard dropped it), so decode it by hand.
fn utf32(bytes: &[u8], big_endian: bool) -> (String, bool) {
    let mut out = String::with_capacity(bytes.len() / 4);
    let mut clean = bytes.len().is_multiple_of(4);
    for chunk in bytes.chunks_exact(4) {
        let quad = [chunk[0], chunk[1], chunk[2], chunk[3]];
        let v = if big_endian {
            u32::from_be_bytes(quad)
        } else {
            u32::from_le_bytes(quad)
        };
        match char::from_u32(v) {
            Some(c) => out.push(c),
            None => {
                clean = false;
                out.push('\u{FFFD}');
            }
        }
    }
    (out, clean)
}

/// Valid UTF-8 runs are kept; each invalid byte is read as windows-1252 (the usual culprit).
/// Returns the text and whether the whole input was valid UTF-8.
fn utf8_or_windows_1252(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), true),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 16);
            let mut rest = bytes;
            while !rest.is_empty() {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let (good, bad) = rest.split_at(e.valid_up_to());
                        // `good` is valid by construction.
                        out.push_str(&String::from_utf8_lossy(good));
                        let n = e.error_len().unwrap_or(bad.len()).max(1).min(bad.len());
                        let (text, _) =
                            encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bad[..n]);
                        out.push_str(&text);
                        rest = &bad[n..];
                    }
                }
            }
            (out, false)
        }
    }
}

/// The `charset` parameter of a Content-Type header value.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// The `encoding` pseudo-attribute of an ASCII-compatible XML declaration.
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let head = &bytes[..bytes.len().min(512)];
    let head = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
    };
    let start = head.find("<?xml")?;
    let decl = &head[start..];
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

/// Rewrites (or removes) the XML declaration so that it says UTF-8, matching the decoded text.
pub(crate) fn rewrite_declaration(text: &str) -> String {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if let Some(rest) = trimmed.strip_prefix("<?xml")
        && let Some(end) = rest.find("?>")
        && rest.starts_with(|c: char| c.is_whitespace() || c == '?')
    {
        let mut out = String::with_capacity(text.len() + 8);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        out.push_str(&rest[end + 2..]);
        return out;
    }
    trimmed.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declared_single_byte_encodings() {
        let mut bytes = b"<?xml version='1.0' encoding='windows-1251'?><rss><t>".to_vec();
        bytes.extend([0xCF, 0xF0, 0xE8]);
        let d = decode(&bytes, None);
        assert!(d.text.contains("При"), "{}", d.text);
        assert!(d.clean);
    }

    #[test]
    fn http_charset_wins_over_declaration() {
        let bytes = b"<?xml version='1.0' encoding='utf-8'?><x>\xE9</x>";
        let d = decode(bytes, Some("application/rss+xml; charset=ISO-8859-1"));
        assert!(d.text.contains("<x>é</x>"));
        assert!(d.clean);
    }

    #[test]
    fn false_utf8_falls_back_to_windows_1252() {
        let d = decode(b"<x>don\x92t \xe2\x80\x94 ok</x>", None);
        assert_eq!(d.text, "<x>don\u{2019}t \u{2014} ok</x>");
        assert!(!d.clean);
    }

    #[test]
    fn utf16_and_utf32_with_and_without_bom() {
        let s = "<?xml version=\"1.0\"?><rss/>";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend(&le);
        let u32be: Vec<u8> = s.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        let mut u32le_bom = vec![0xFF, 0xFE, 0, 0];
        u32le_bom.extend(s.chars().flat_map(|c| (c as u32).to_le_bytes()));
        for bytes in [le, be, le_bom, u32be, u32le_bom] {
            let d = decode(&bytes, None);
            assert_eq!(d.text, s);
            assert!(d.clean);
        }
    }

    #[test]
    fn unknown_label_is_not_clean() {
        let d = decode(b"<?xml version='1.0' encoding='bogus'?><rss/>", None);
        assert!(!d.clean);
        assert!(d.text.ends_with("<rss/>"));
    }

    /// A UTF-8 declaration over bytes that are not all UTF-8 (two valid sequences, one stray
    /// byte): feedparser decodes the whole document with the first fallback that takes every
    /// byte. `0x9D` rules windows-1252 out, so ISO-8859-2 reads it; the pipeline keeps the
    /// valid UTF-8 instead.
    #[test]
    fn whole_document_fallback_follows_feedparsers_order() {
        let bytes = b"<?xml version='1.0' encoding='utf-8'?><x>\xE2\x80\x99 \xE2\x80\x9D \xA9</x>";
        let whole = decode_with(bytes, None, Fallback::WholeDocument);
        assert_eq!(
            whole.text.rsplit_once("<x>").unwrap().1,
            "\u{e2}\u{80}\u{99} \u{e2}\u{80}\u{9d} \u{160}</x>"
        );
        assert!(!whole.clean);
        let per_byte = decode_with(bytes, None, Fallback::PerByte);
        assert!(per_byte.text.ends_with("<x>\u{2019} \u{201d} \u{a9}</x>"));
        assert!(!per_byte.clean);

        // without an undefined byte, windows-1252 comes before ISO-8859-2
        let smart = decode_with(b"<x>don\x92t \xA9</x>", None, Fallback::WholeDocument);
        assert_eq!(smart.text, "<x>don\u{2019}t \u{a9}</x>");
        assert!(!smart.clean);

        // a declared encoding that decodes everything wins and is clean
        let declared = b"<?xml version='1.0' encoding='iso-8859-2'?><x>\xA9</x>";
        let d = decode_with(declared, None, Fallback::WholeDocument);
        assert!(d.text.ends_with("<x>\u{160}</x>") && d.clean);

        // a declared multi-byte encoding that fails (0xA0 is no Shift_JIS byte) falls back to UTF-8
        let lying = "<?xml version='1.0' encoding='shift_jis'?><x>voil\u{e0}</x>";
        let d = decode_with(lying.as_bytes(), None, Fallback::WholeDocument);
        assert_eq!(d.text, lying);
        assert!(!d.clean);

        // UTF-16 is still read by its signature, and a UTF-8 byte order mark is dropped
        let le: Vec<u8> = "<?xml version=\"1.0\"?><rss/>"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(
            decode_with(&le, None, Fallback::WholeDocument)
                .text
                .ends_with("<rss/>")
        );
        let bom = decode_with(
            b"\xEF\xBB\xBF<x>\xC3\xA9</x>",
            None,
            Fallback::WholeDocument,
        );
        assert_eq!(bom.text, "<x>\u{e9}</x>");
        assert!(bom.clean);
    }

    #[test]
    fn declaration_is_rewritten() {
        assert_eq!(
            rewrite_declaration("\u{feff}<?xml version='1.0' encoding='koi8-r'?><a/>"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>"
        );
        assert_eq!(rewrite_declaration("  <a/>"), "<a/>");
    }
}

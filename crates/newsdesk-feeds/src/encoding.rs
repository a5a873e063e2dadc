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

/// Decodes `bytes` using, in order: a byte order mark, the HTTP `charset`, the byte pattern of
/// `<?xml` in UTF-16/32, the XML declaration, then UTF-8.
///
/// When the bytes do not decode as declared (the document is then not clean): a declared
/// encoding that fails on bytes which are all valid UTF-8 gives way to UTF-8; UTF-8 keeps every
/// valid run and reads each invalid byte as windows-1252. That is the best text for the usual
/// case, a UTF-8 feed with a few stray windows-1252 bytes: one stray byte does not garble a
/// whole Cyrillic feed (Python's feedparser decodes such a document as a whole with the first
/// single-byte encoding that takes every byte, and gives mojibake).
pub(crate) fn decode(bytes: &[u8], http_content_type: Option<&str>) -> Decoded {
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
            if had_errors && let Ok(utf8) = std::str::from_utf8(bytes) {
                tracing::debug!(
                    declared = e.name(),
                    "feeds: document does not decode as declared; it is UTF-8"
                );
                return Decoded {
                    text: utf8.to_owned(),
                    clean: false,
                };
            }
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
pub(crate) fn declared_encoding(bytes: &[u8]) -> Option<&str> {
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
    /// byte): the valid UTF-8 is kept and the stray byte read as windows-1252.
    #[test]
    fn stray_bytes_do_not_garble_valid_utf8() {
        let bytes = "<?xml version='1.0' encoding='utf-8'?><x>Порт \u{2019}</x>"
            .as_bytes()
            .iter()
            .copied()
            .chain(*b"\xA9 \x92")
            .collect::<Vec<u8>>();
        let d = decode(&bytes, None);
        assert!(
            d.text.ends_with("<x>Порт \u{2019}</x>\u{a9} \u{2019}"),
            "{}",
            d.text
        );
        assert!(!d.clean);

        // a declared multi-byte encoding that fails (0xA0 is no Shift_JIS byte) gives way to
        // UTF-8 when the bytes are UTF-8
        let lying = "<?xml version='1.0' encoding='shift_jis'?><x>voil\u{e0}</x>";
        let d = decode(lying.as_bytes(), None);
        assert_eq!(d.text, lying);
        assert!(!d.clean);

        // a UTF-8 byte order mark is dropped
        let bom = decode(b"\xEF\xBB\xBF<x>\xC3\xA9</x>", None);
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

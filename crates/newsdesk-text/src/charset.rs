//! Charset decoding of HTML bytes: BOM, HTTP charset, `<meta>` declaration, then detection.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many leading bytes are scanned for a `<meta charset>` declaration.
pub const META_SCAN_BYTES: usize = 4096;

/// How many leading bytes are fed to the charset detector.
pub const DETECT_SCAN_BYTES: usize = 1024 * 1024;

/// Where the encoding used by [`decode_html`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CharsetSource {
    /// A byte-order mark at the start of the bytes.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type` header.
    Http,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` in the first 4 KB.
    Meta,
    /// Guessed from the bytes (also used when a declaration was overruled by the bytes).
    Detected,
    /// Nothing declared and nothing to detect (ASCII or empty input): UTF-8.
    Default,
}

/// The result of [`decode_html`]: always valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text (malformed sequences replaced by U+FFFD).
    pub text: String,
    /// Name of the encoding used, as the Encoding Standard spells it (e.g. `"windows-1251"`).
    pub encoding: &'static str,
    /// Where that encoding came from.
    pub how: CharsetSource,
}

/// Decodes the raw bytes of an HTML page into UTF-8.
///
/// Order: byte-order mark, then `http_charset` (the `charset` parameter of the HTTP
/// `Content-Type`), then a `<meta>` declaration in the first [`META_SCAN_BYTES`] bytes, then
/// detection with `chardetng`. Declarations are checked against the bytes: UTF-8 declared (or
/// nothing declared) on bytes that are not valid UTF-8 is overruled by detection; a legacy
/// encoding declared on bytes that are valid, non-ASCII UTF-8 is overruled in favour of UTF-8;
/// a legacy declaration that does not decode cleanly is replaced by a detected encoding that does.
/// Never panics; unknown labels are ignored.
pub fn decode_html(bytes: &[u8], http_charset: Option<&str>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let (text, _) = encoding.decode_without_bom_handling(rest);
        return Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            how: CharsetSource::Bom,
        };
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    let declared = http_charset
        .and_then(encoding_for_label)
        .map(|e| (e, CharsetSource::Http))
        .or_else(|| meta_charset(bytes).map(|e| (e, CharsetSource::Meta)));

    match (declared, utf8) {
        (Some((encoding, how)), Some(text)) if encoding == UTF_8 => {
            decoded(text.to_owned(), UTF_8, how)
        }
        (Some((encoding, _)), None) if encoding == UTF_8 => detect(bytes),
        (Some((_, _)), Some(text)) if !text.is_ascii() => {
            // Valid multi-byte UTF-8 is almost never an accident of a legacy encoding.
            decoded(text.to_owned(), UTF_8, CharsetSource::Detected)
        }
        (Some((encoding, how)), _) => {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if had_errors {
                let guess = guess_encoding(bytes);
                if guess != encoding {
                    let (other, other_errors) = guess.decode_without_bom_handling(bytes);
                    if !other_errors {
                        return decoded(other.into_owned(), guess, CharsetSource::Detected);
                    }
                }
            }
            decoded(text.into_owned(), encoding, how)
        }
        (None, Some(text)) if text.is_ascii() => {
            decoded(text.to_owned(), UTF_8, CharsetSource::Default)
        }
        (None, Some(text)) => decoded(text.to_owned(), UTF_8, CharsetSource::Detected),
        (None, None) => detect(bytes),
    }
}

fn decoded(text: String, encoding: &'static Encoding, how: CharsetSource) -> Decoded {
    Decoded {
        text,
        encoding: encoding.name(),
        how,
    }
}

/// Maps a label to an encoding, treating UTF-16 declarations (meaningless without a BOM in an
/// ASCII-compatible document) as UTF-8 and `x-user-defined` as windows-1252, as browsers do.
fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(|c| c == '"' || c == '\'');
    let encoding = Encoding::for_label(label.as_bytes())?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding.name() == "x-user-defined" {
        WINDOWS_1252
    } else {
        encoding
    })
}

fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let sample = bytes.get(..DETECT_SCAN_BYTES).unwrap_or(bytes);
    detector.feed(sample, sample.len() == bytes.len());
    detector.guess(None, Utf8Detection::Allow)
}

fn detect(bytes: &[u8]) -> Decoded {
    let encoding = guess_encoding(bytes);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    decoded(text.into_owned(), encoding, CharsetSource::Detected)
}

/// Finds a charset declared by a `<meta>` tag in the first [`META_SCAN_BYTES`] bytes.
///
/// Tolerant scan: case-insensitive, any attribute order, quoted or not, both
/// `<meta charset=…>` and `<meta http-equiv="Content-Type" content="…; charset=…">`.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..META_SCAN_BYTES).unwrap_or(bytes);
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos + 5;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        if let Some(encoding) = charset_in_tag(&lower[start..end]) {
            return Some(encoding);
        }
        from = start;
    }
    None
}

fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let mut from = 0;
    while let Some(pos) = find(&tag[from..], b"charset") {
        let mut i = from + pos + 7;
        from = i;
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if tag.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while tag
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
        {
            i += 1;
        }
        let label_start = i;
        while tag
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        {
            i += 1;
        }
        let label = std::str::from_utf8(&tag[label_start..i]).ok()?;
        if let Some(encoding) = encoding_for_label(label) {
            return Some(encoding);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const RUSSIAN: &str = "<html><body><p>Президент России заявил во вторник, что переговоры \
        продолжатся на следующей неделе в Москве. Это решение было встречено с осторожным \
        оптимизмом.</p></body></html>";
    const JAPANESE: &str = "<html><body><p>東京都は火曜日、新しい交通計画を発表した。\
        計画では、来年から市内のバス路線を拡充し、高齢者の移動を支援する。\
        知事は記者会見で「住民の生活を守るための重要な一歩だ」と述べた。</p></body></html>";

    fn encode(encoding: &'static Encoding, s: &str) -> Vec<u8> {
        let (bytes, _, had_errors) = encoding.encode(s);
        assert!(!had_errors);
        bytes.into_owned()
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=windows-1252>é".as_bytes());
        let d = decode_html(&bytes, Some("iso-8859-1"));
        assert_eq!(d.how, CharsetSource::Bom);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.ends_with('é'));
        assert!(!d.text.starts_with('\u{feff}'));

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "<p>hé</p>".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode_html(&utf16, None);
        assert_eq!((d.encoding, d.how), ("UTF-16LE", CharsetSource::Bom));
        assert_eq!(d.text, "<p>hé</p>");
    }

    #[test]
    fn http_charset_then_meta() {
        let bytes = encode(WINDOWS_1252, "<meta charset=\"utf-8\"><p>Ça coûte 5 €</p>");
        let d = decode_html(&bytes, Some("Windows-1252"));
        assert_eq!((d.encoding, d.how), ("windows-1252", CharsetSource::Http));
        assert!(d.text.contains("Ça coûte 5 €"));

        let d = decode_html(b"<meta charset=iso-8859-1><p>caf\xe9</p>", None);
        assert_eq!((d.encoding, d.how), ("windows-1252", CharsetSource::Meta));
        assert!(d.text.contains("café"));
    }

    #[test]
    fn meta_http_equiv_is_found_case_insensitively() {
        let mut bytes = b"<HTML><HEAD><META HTTP-EQUIV='Content-Type' CONTENT='text/html; CHARSET = KOI8-R'></HEAD>".to_vec();
        bytes.extend(encode(encoding_rs::KOI8_R, "<p>Привет, мир</p>"));
        let d = decode_html(&bytes, None);
        assert_eq!((d.encoding, d.how), ("KOI8-R", CharsetSource::Meta));
        assert!(d.text.contains("Привет, мир"));
    }

    #[test]
    fn meta_after_scan_window_is_ignored() {
        let mut page =
            "<!--".to_owned() + &"x".repeat(META_SCAN_BYTES) + "--><meta charset=koi8-r>";
        page.push_str("<p>plain ascii</p>");
        let d = decode_html(page.as_bytes(), None);
        assert_eq!((d.encoding, d.how), ("UTF-8", CharsetSource::Default));
    }

    #[test]
    fn windows_1251_labelled_utf8_is_detected() {
        let mut bytes = b"<html><head><meta charset=\"utf-8\"></head>".to_vec();
        bytes.extend(encode(encoding_rs::WINDOWS_1251, RUSSIAN));
        let d = decode_html(&bytes, Some("utf-8"));
        assert_eq!(
            (d.encoding, d.how),
            ("windows-1251", CharsetSource::Detected)
        );
        assert!(d.text.contains("Президент России заявил"), "{}", d.text);
    }

    #[test]
    fn shift_jis_without_label_is_detected() {
        let bytes = encode(encoding_rs::SHIFT_JIS, JAPANESE);
        let d = decode_html(&bytes, None);
        assert_eq!((d.encoding, d.how), ("Shift_JIS", CharsetSource::Detected));
        assert!(d.text.contains("新しい交通計画を発表した"), "{}", d.text);
    }

    #[test]
    fn legacy_label_on_utf8_bytes_is_overruled() {
        let page = "<meta charset=iso-8859-1><p>Grüße aus Köln</p>";
        let d = decode_html(page.as_bytes(), None);
        assert_eq!((d.encoding, d.how), ("UTF-8", CharsetSource::Detected));
        assert!(d.text.contains("Grüße aus Köln"));
    }

    #[test]
    fn unlabelled_utf8_and_ascii() {
        let d = decode_html("<p>naïve</p>".as_bytes(), None);
        assert_eq!((d.encoding, d.how), ("UTF-8", CharsetSource::Detected));
        let d = decode_html(b"", None);
        assert_eq!((d.text.as_str(), d.how), ("", CharsetSource::Default));
        let d = decode_html(b"<p>x</p>", Some("no-such-charset"));
        assert_eq!(d.how, CharsetSource::Default);
    }

    #[test]
    fn utf16_meta_means_utf8() {
        let d = decode_html("<meta charset=utf-16><p>é</p>".as_bytes(), None);
        assert_eq!((d.encoding, d.how), ("UTF-8", CharsetSource::Meta));
        assert!(d.text.contains('é'));
    }

    #[test]
    fn garbage_never_panics_and_is_utf8() {
        let junk: Vec<u8> = (0..20_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for slice in [
            &junk[..],
            &junk[..1],
            &junk[..3],
            b"<meta charset=",
            b"<meta charset=\xff\xfe",
        ] {
            let d = decode_html(slice, Some("\u{0}"));
            assert!(std::str::from_utf8(d.text.as_bytes()).is_ok());
        }
    }
}

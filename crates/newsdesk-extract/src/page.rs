//! Checking that the input is an HTML page worth parsing: size, emptiness, binary formats.

use crate::ExtractError;

/// Largest document [`crate::extract`] accepts (16 MiB, above the fetcher's 10 MB body cap).
pub const MAX_HTML_BYTES: usize = 16 * 1024 * 1024;

/// Rejects hopeless input before decoding: too large, empty, or a known binary format.
pub(crate) fn check_bytes(bytes: &[u8], url: &str) -> Result<(), ExtractError> {
    if bytes.len() > MAX_HTML_BYTES {
        return Err(ExtractError::TooLarge {
            url: url.to_owned(),
            bytes: bytes.len(),
            limit: MAX_HTML_BYTES,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty {
            url: url.to_owned(),
        });
    }
    let magic: &[(&[u8], &'static str)] = &[
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x89PNG", "PNG image"),
        (b"GIF8", "GIF image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"\x1F\x8B", "gzip data"),
        (b"RIFF", "RIFF media"),
        (b"\x00\x00\x01\x00", "icon"),
        (b"OggS", "Ogg media"),
        (b"ID3", "MP3 audio"),
    ];
    if let Some((_, what)) = magic.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Err(not_html(url, what));
    }
    let head = &bytes[..bytes.len().min(8192)];
    let has_bom16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    if !has_bom16 && controls * 10 > head.len() {
        return Err(not_html(url, "binary data"));
    }
    Ok(())
}

/// Rejects decoded text that is not markup (JSON, plain text).
pub(crate) fn check_text(text: &str, url: &str) -> Result<(), ExtractError> {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if start.is_empty() {
        return Err(ExtractError::Empty {
            url: url.to_owned(),
        });
    }
    if (start.starts_with('{') || start.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(text.trim()).is_ok()
    {
        return Err(not_html(url, "JSON"));
    }
    if !text.contains('<') {
        return Err(not_html(url, "no markup"));
    }
    Ok(())
}

fn not_html(url: &str, reason: &'static str) -> ExtractError {
    ExtractError::NotHtml {
        url: url.to_owned(),
        reason,
    }
}

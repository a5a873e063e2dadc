//! Fuzz target: arbitrary bytes (and an arbitrary HTTP charset) through the article extractor.
//! Any panic, overflow or timeout is a finding; typed errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the HTTP charset the page claims, the rest is the page.
    let (charset, page) = match data.split_first() {
        Some((c, rest)) => (
            match c % 5 {
                0 => None,
                1 => Some("utf-8"),
                2 => Some("windows-1252"),
                3 => Some("shift_jis"),
                _ => Some("utf-16le"),
            },
            rest,
        ),
        None => (None, data),
    };
    if let Ok(a) = newsdesk_extract::extract(page, "https://fuzz.example/a/b?c=d", charset) {
        // The sanitised HTML never carries a script.
        assert!(!a.body_html.to_ascii_lowercase().contains("<script"));
    }
});

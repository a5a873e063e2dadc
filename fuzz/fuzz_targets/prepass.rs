//! Differential fuzz target: the extraction pre-pass (`newsdesk-extract`'s `prepass.rs`, which
//! empties style, script, svg, nav… contents and drops comments, unread attributes and
//! whitespace before html5ever parses a page) against html5ever itself: html5ever's tree of the
//! pre-pass's output must be its tree of the input, less only what the pre-pass drops by design
//! (see `newsdesk-extract/src/prepass_compare.rs`). A difference or a panic is a finding. Run
//! with `cargo +nightly fuzz run prepass -- -max_len=4096`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Too short to reach the nesting cut (1,500 open elements), which is not compared.
    if data.len() > 4096 {
        return;
    }
    let html = String::from_utf8_lossy(data);
    if let Err(difference) = newsdesk_extract::fuzz_prepass_same_content(&html) {
        panic!("{difference}\ninput: {html:?}");
    }
});

//! Differential fuzz target: newsdesk's HTML tokenizer (in front of html5ever's tree builder)
//! must build the same tree as html5ever's own tokenizer for any input. A difference or a
//! panic is a finding. Run with `cargo +nightly fuzz run tokenize`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    if let Err((ours, theirs)) = newsdesk_extract::fuzz_same_tree(&html) {
        panic!("trees differ for {html:?}\nours:\n{ours}\nhtml5ever:\n{theirs}");
    }
});

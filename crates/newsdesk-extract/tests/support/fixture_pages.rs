// The hand-made fixture pages in `tests/fixtures` (`*.html`, read as UTF-8, lossy), shared by the
// tokenizer's and the pre-pass check's unit tests (through `include!`, hence no inner doc
// comment here).

/// The fixture pages with their paths; at least ten of them, or the test fails.
pub fn fixture_pages() -> Vec<(std::path::PathBuf, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixtures directory") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) == Some("html") {
            let bytes = std::fs::read(&path).expect("fixture");
            pages.push((path, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    assert!(pages.len() >= 10, "only {} fixture pages", pages.len());
    pages
}

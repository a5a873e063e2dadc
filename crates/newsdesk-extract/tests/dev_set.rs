//! Smoke test over the third-party DEV benchmark in `../shared/bench/extract` (unpacked into a
//! temporary directory by its own `unpack.sh`). Fails, saying what is missing, when it is absent.

#[path = "support/dev_pages.rs"]
mod dev_pages;

#[test]
fn dev_set_extracts_without_errors() {
    let mut pages = dev_pages::dev_pages();
    pages.truncate(120);
    let mut with_body = 0;
    for page in &pages {
        let bytes = std::fs::read(page).expect("page");
        let a = newsdesk_extract::extract(&bytes, "", None)
            .unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        if !a.body_text.is_empty() {
            with_body += 1;
        }
    }
    assert!(
        with_body * 100 >= pages.len() * 95,
        "{with_body}/{} pages with a body",
        pages.len()
    );
}

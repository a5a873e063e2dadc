//! Smoke test over the third-party DEV benchmark in `../shared/bench/extract` (unpacked into a
//! temporary directory by its own `unpack.sh`). Skips, with a message, when it is absent.

use std::path::Path;
use std::process::Command;

#[test]
fn dev_set_extracts_without_errors() {
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/extract");
    let unpack = bench.join("unpack.sh");
    if !unpack.exists() {
        println!(
            "skipped: {} not found (the benchmark data is not present)",
            unpack.display()
        );
        return;
    }
    let out = match Command::new("bash").arg(&unpack).output() {
        Ok(o) if o.status.success() => o,
        other => {
            println!("skipped: unpack.sh failed: {other:?}");
            return;
        }
    };
    let dest = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_owned();
    let html_dir = Path::new(&dest).join("html");
    let mut pages: Vec<_> = std::fs::read_dir(&html_dir)
        .expect("unpacked html dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    pages.sort();
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

// The third-party DEV benchmark pages in `../shared/bench/extract`, unpacked by its own
// `unpack.sh`; shared by the integration test `dev_set.rs` (as a module) and the tokenizer's unit
// tests (through `include!`, hence no inner doc comment here).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The unpacked DEV pages, sorted; `None` (after printing why the test is skipped) when the
/// benchmark data is absent or cannot be unpacked.
pub fn dev_pages() -> Option<Vec<PathBuf>> {
    let unpack =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/extract/unpack.sh");
    if !unpack.exists() {
        println!(
            "skipped: {} not found (the benchmark data is not present)",
            unpack.display()
        );
        return None;
    }
    let out = match Command::new("bash").arg(&unpack).output() {
        Ok(o) if o.status.success() => o,
        other => {
            println!("skipped: unpack.sh failed: {other:?}");
            return None;
        }
    };
    let dest = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_owned();
    let mut pages: Vec<_> = std::fs::read_dir(Path::new(&dest).join("html"))
        .expect("unpacked html dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    pages.sort();
    Some(pages)
}

// The third-party DEV benchmark pages in `../shared/bench/extract` (beside the workspace root),
// unpacked by its own `unpack.sh`; shared by the integration test `dev_set.rs` (as a module) and
// the tokenizer's unit tests (through `include!`, hence no inner doc comment here).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The unpacked DEV pages, sorted.
///
/// Panics, saying what is missing, when the benchmark data is absent or cannot be unpacked: a
/// dev-set test that cannot read its data fails, it never passes silently.
pub fn dev_pages() -> Vec<PathBuf> {
    // CARGO_MANIFEST_DIR is `<workspace>/crates/newsdesk-extract`; the data sits in
    // `<workspace>/../shared`.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let unpack = workspace.join("../shared/bench/extract/unpack.sh");
    assert!(
        unpack.is_file(),
        "the extraction DEV benchmark is missing: {} does not exist (the development data \
         `shared/` must sit beside the workspace root {})",
        unpack.display(),
        workspace.display()
    );
    let out = Command::new("bash")
        .arg(&unpack)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", unpack.display()));
    assert!(
        out.status.success(),
        "{} failed ({}): {}",
        unpack.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let dest = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_owned();
    let html = Path::new(&dest).join("html");
    let mut pages: Vec<_> = std::fs::read_dir(&html)
        .unwrap_or_else(|e| {
            panic!(
                "{} printed {dest:?} but {} cannot be read: {e}",
                unpack.display(),
                html.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    pages.sort();
    assert!(
        !pages.is_empty(),
        "no pages in {} (unpacked by {})",
        html.display(),
        unpack.display()
    );
    pages
}

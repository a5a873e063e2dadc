//! Where the shared development data lives: `../shared` next to the workspace root.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The feed corpus of the shared benchmark (`../shared/bench/feeds/corpus` from the workspace
/// root, found from this crate's manifest directory). A missing corpus fails the test, with a
/// message that says what is missing: a dev-set test must never pass by checking nothing.
pub fn shared_feed_corpus() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = workspace.join("../shared/bench/feeds/corpus");
    assert!(
        dir.is_dir(),
        "the shared feed corpus is missing: expected the directory {} (`../shared/bench/feeds/corpus` \
         beside the workspace root {}); check out the shared development data there",
        dir.display(),
        workspace.display()
    );
    dir
}

/// Every file under `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("cannot list {}: {e}", d.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", d.display()))
                .path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

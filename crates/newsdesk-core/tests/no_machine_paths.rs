//! Repository-wide check: no committed file names a path of one particular machine (the
//! development checkout, the shared data folder, a home directory). Such paths check nothing
//! wherever the layout differs, and data must be found relative to the workspace root
//! (`CARGO_MANIFEST_DIR/../../../shared`).
//!
//! The file list is `git ls-files` run in the workspace root; the test fails, saying why, when
//! git or the checkout is unavailable.

use std::path::Path;
use std::process::Command;

/// Absolute paths that belong to one machine, built from pieces so this file does not match.
fn machine_paths() -> Vec<String> {
    let work = ["/", "work", "/"].concat();
    vec![
        [work.as_str(), "main"].concat(),
        [work.as_str(), "shared"].concat(),
        [work.as_str(), "wt-"].concat(),
        ["/", "home", "/"].concat(),
        ["/", "root", "/"].concat(),
    ]
}

/// Whether `needle` occurs in `text` as the start of a path: not inside a URL path or a longer
/// word ("https://example.org/home/" or "docs/home/x" are not machine paths).
fn find_path(text: &str, needle: &str) -> Option<usize> {
    text.match_indices(needle).map(|(at, _)| at).find(|&at| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '~' | '/')))
    })
}

#[test]
fn no_committed_file_names_a_machine_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["ls-files", "-z"])
        .output()
        .unwrap_or_else(|e| panic!("this test needs git to list the committed files: {e}"));
    assert!(
        out.status.success(),
        "`git ls-files` failed in {} ({}): {}",
        root.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<&str> = std::str::from_utf8(&out.stdout)
        .expect("git prints UTF-8 file names here")
        .split('\0')
        .filter(|f| !f.is_empty())
        .collect();
    assert!(
        files.len() > 20,
        "`git ls-files` listed only {} files in {}",
        files.len(),
        root.display()
    );
    let needles = machine_paths();
    let mut found = Vec::new();
    for file in &files {
        let Ok(bytes) = std::fs::read(root.join(file)) else {
            // Listed but deleted in the working tree: nothing to check.
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for (n, line) in text.lines().enumerate() {
            for needle in &needles {
                if find_path(line, needle).is_some() {
                    found.push(format!("{file}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "committed files name machine-specific absolute paths (find data relative to the \
         workspace root through CARGO_MANIFEST_DIR instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn machine_paths_are_found_only_as_paths() {
    let shared = machine_paths()[1].clone();
    assert_eq!(
        find_path(&format!("let p = \"{shared}/bench\";"), &shared),
        Some(9)
    );
    assert_eq!(find_path(&format!("{shared}/x"), &shared), Some(0));
    let home = machine_paths()[3].clone();
    assert_eq!(
        find_path(&format!("https://example.org{home}news"), &home),
        None
    );
    assert_eq!(find_path(&format!("cd ~{home}"), &home), None);
    assert_eq!(find_path(&format!("HOME={home}jane"), &home), Some(5));
}

//! Batch extraction of a directory of pages, in the benchmark's JSON output format.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::ExtractError;
use crate::article::{BodyHtml, extract_page};

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    /// `<id>.html` files found.
    pub pages: usize,
    /// Pages with a non-empty body.
    pub with_body: usize,
    /// Pages that failed (unreadable, not HTML…); an empty record was written for each.
    pub failed: usize,
    /// The failures: page id and error message.
    pub failures: Vec<(String, String)>,
}

/// One output record (`OUT_DIR/<id>.json`).
#[derive(Debug, Serialize)]
struct Record {
    #[serde(rename = "articleBody")]
    article_body: String,
    title: String,
    /// Authors joined by "; ".
    author: String,
    /// Publication date as `YYYY-MM-DD`.
    date: String,
}

/// Extracts every `IN_DIR/<id>.html` into `OUT_DIR/<id>.json` on `threads` threads.
///
/// Each record is `{"articleBody", "title", "author", "date"}`, all strings, `""` when not
/// found: the body as plain text (paragraphs separated by blank lines), authors joined by
/// `"; "`, the publication date (or, lacking one, the modification date) as `YYYY-MM-DD` in the
/// page's own time zone. `urls` maps ids to page URLs (missing or empty: the page is read
/// without a URL). One bad page does not stop the batch: it gets an empty record and is
/// counted in [`BatchReport::failed`]. `OUT_DIR` is created if needed.
pub fn extract_batch(
    in_dir: &Path,
    out_dir: &Path,
    urls: &HashMap<String, String>,
    threads: usize,
) -> Result<BatchReport, ExtractError> {
    let read_err = |source| ExtractError::Read {
        path: in_dir.to_owned(),
        source,
    };
    let mut pages: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(in_dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.extension().is_some_and(|e| e == "html")
            && let Some(id) = path.file_stem().and_then(|s| s.to_str())
        {
            pages.push((id.to_owned(), path.clone()));
        }
    }
    pages.sort();
    std::fs::create_dir_all(out_dir).map_err(|source| ExtractError::Write {
        path: out_dir.to_owned(),
        source,
    })?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| ExtractError::Threads {
            threads,
            reason: e.to_string(),
        })?;
    let results: Vec<Result<bool, (String, String)>> = pool.install(|| {
        pages
            .par_iter()
            .map(|(id, path)| {
                one_page(
                    id,
                    path,
                    out_dir,
                    urls.get(id).map(String::as_str).unwrap_or(""),
                )
            })
            .collect()
    });
    let mut report = BatchReport {
        pages: pages.len(),
        ..Default::default()
    };
    for r in results {
        match r {
            Ok(true) => report.with_body += 1,
            Ok(false) => {}
            Err(failure) => {
                report.failed += 1;
                report.failures.push(failure);
            }
        }
    }
    report.failures.sort();
    Ok(report)
}

/// Reads a `{"<id>": "<url>"}` JSON file.
pub fn read_url_map(path: &Path) -> Result<HashMap<String, String>, ExtractError> {
    let bytes = std::fs::read(path).map_err(|source| ExtractError::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|source| ExtractError::UrlMap {
        path: path.to_owned(),
        source,
    })
}

fn one_page(id: &str, path: &Path, out_dir: &Path, url: &str) -> Result<bool, (String, String)> {
    let out_path = out_dir.join(format!("{id}.json"));
    let extracted = std::fs::read(path)
        .map_err(|source| ExtractError::Read {
            path: path.to_owned(),
            source,
        })
        .and_then(|bytes| {
            std::panic::catch_unwind(|| extract_page(&bytes, url, None, BodyHtml::Skipped))
                .unwrap_or_else(|_| {
                    Err(ExtractError::NotHtml {
                        url: url.to_owned(),
                        reason: "extractor panicked",
                    })
                })
        });
    let (record, outcome) = match extracted {
        Ok(p) => {
            let a = p.article;
            let has_body = !a.body_text.is_empty();
            let record = Record {
                article_body: a.body_text,
                title: a.title.unwrap_or_default(),
                author: a.authors.join("; "),
                date: p
                    .published_local
                    .or(p.modified_local)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            };
            (record, Ok(has_body))
        }
        Err(e) => {
            tracing::warn!(page = id, error = %e, "extract: page failed");
            let record = Record {
                article_body: String::new(),
                title: String::new(),
                author: String::new(),
                date: String::new(),
            };
            (record, Err((id.to_owned(), e.to_string())))
        }
    };
    let json = serde_json::to_vec(&record).unwrap_or_else(|_| b"{\"articleBody\":\"\"}".to_vec());
    if let Err(e) = std::fs::write(&out_path, json) {
        return Err((
            id.to_owned(),
            format!("extract: cannot write {}: {e}", out_path.display()),
        ));
    }
    outcome
}

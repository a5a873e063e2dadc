//! `newsdesk bench extract DIR`: extraction speed over a directory of pages, single-threaded and
//! on all cores, printed as pages/s and MB/s.
//!
//! The pages are read into memory first, so the figures measure the extractor (decode, parse,
//! metadata, boilerplate, content, render, sanitise), not the disk. Each page goes through
//! [`newsdesk_extract::extract`] with its URL (from `urls.json` beside the pages, as in the
//! benchmark's layout; else none), the call the pipeline makes. This is a measurement, not a
//! test: nothing here asserts a time.
//!
//! [`extract_batch`] is `newsdesk extract --batch`: the same call per page, each result written
//! in the extraction benchmark's record format.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use newsdesk_extract::ExtractedArticle;
use rayon::prelude::*;
use serde::Serialize;

/// One timed pass over every page.
struct Pass {
    threads: usize,
    seconds: f64,
    with_body: usize,
    failed: usize,
}

/// Runs the benchmark over `dir` (every `*.html` file in it, or in its `html/` subfolder; page
/// URLs from `dir/urls.json`, `{"<file stem>": "<URL>"}`, when it exists).
pub fn run(dir: &Path, threads: Option<usize>, rounds: usize) -> Result<ExitCode> {
    let pages = read_pages(dir)?;
    if pages.is_empty() {
        bail!("no *.html files in {}", dir.display());
    }
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    let mb = bytes as f64 / 1_000_000.0;
    let all =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let rounds = rounds.max(1);
    say!(
        "bench extract: {} pages, {:.1} MB, {} round(s) per setting, best round reported",
        pages.len(),
        mb,
        rounds
    );
    // html5ever reports every parse error of real pages as a warning; they are not news here.
    let _quiet = tracing::subscriber::set_default(tracing::subscriber::NoSubscriber::default());
    // One untimed warm-up pass (page cache, allocator, lazily compiled regexes).
    let _ = pass(&pages, 1)?;
    let mut settings = vec![1];
    if all > 1 {
        settings.push(all);
    }
    let mut single = None;
    for t in settings {
        let mut best: Option<Pass> = None;
        for _ in 0..rounds {
            let p = pass(&pages, t)?;
            if best.as_ref().is_none_or(|b| p.seconds < b.seconds) {
                best = Some(p);
            }
        }
        let Some(p) = best else { continue };
        let pps = pages.len() as f64 / p.seconds;
        let speedup = match single {
            Some(s) if t > 1 => format!("  ({:.2}x single thread)", pps / s),
            _ => String::new(),
        };
        if t == 1 {
            single = Some(pps);
        }
        say!(
            "threads {:>2}: {:>8.1} pages/s  {:>7.2} MB/s  {:>6.2} ms/page  ({} with a body, {} failed, {:.2} s){}",
            p.threads,
            pps,
            mb / p.seconds,
            1000.0 * p.seconds / pages.len() as f64,
            p.with_body,
            p.failed,
            p.seconds,
            speedup
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A page to extract: its bytes and the URL it came from (`""` when unknown).
struct Page {
    bytes: Vec<u8>,
    url: String,
}

fn read_pages(dir: &Path) -> Result<Vec<Page>> {
    let urls_file = dir.join("urls.json");
    let urls: HashMap<String, String> = if urls_file.is_file() {
        read_url_map(&urls_file)?
    } else {
        HashMap::new()
    };
    let dir: PathBuf = if dir.join("html").is_dir() {
        dir.join("html")
    } else {
        dir.to_owned()
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "htm"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            let url = p
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|id| urls.get(id))
                .cloned()
                .unwrap_or_default();
            Ok(Page { bytes, url })
        })
        .collect()
}

fn pass(pages: &[Page], threads: usize) -> Result<Pass> {
    let one = |page: &Page| match newsdesk_extract::extract(&page.bytes, &page.url, None) {
        Ok(a) => (usize::from(!a.body_text.is_empty()), 0),
        Err(_) => (0, 1),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .start_handler(|_| {
            // The worker keeps a silent subscriber for its whole life (see `run`).
            std::mem::forget(tracing::subscriber::set_default(
                tracing::subscriber::NoSubscriber::default(),
            ));
        })
        .build()
        .with_context(|| format!("cannot start {threads} threads"))?;
    let start = Instant::now();
    let (with_body, failed) = if threads == 1 {
        pages
            .iter()
            .map(one)
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    } else {
        pool.install(|| {
            pages
                .par_iter()
                .map(one)
                .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        })
    };
    Ok(Pass {
        threads,
        seconds: start.elapsed().as_secs_f64().max(1e-9),
        with_body,
        failed,
    })
}

/// Reads a benchmark's `urls.json`: `{"<page id>": "<page URL>"}`.
pub fn read_url_map(path: &Path) -> Result<HashMap<String, String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} must be a JSON object of id → URL", path.display()))
}

/// `--batch IN_DIR OUT_DIR`: every `IN_DIR/<id>.html` through [`newsdesk_extract::extract`], the
/// call `newsdesk-pipeline`'s ingest makes for an article page (same function, same arguments: the bytes,
/// the page URL, no HTTP charset because a file has none), on all cores, each result written as a
/// [`BenchmarkRecord`] to `OUT_DIR/<id>.json`.
///
/// One bad page does not stop the batch: it gets a record with empty fields and is reported.
pub fn extract_batch(
    in_dir: &Path,
    out_dir: &Path,
    urls: Option<&Path>,
    threads: Option<usize>,
) -> Result<ExitCode> {
    let urls = match urls {
        Some(p) => read_url_map(p)?,
        None => HashMap::new(),
    };
    let mut pages: Vec<(String, PathBuf)> = Vec::new();
    for entry in
        std::fs::read_dir(in_dir).with_context(|| format!("cannot read {}", in_dir.display()))?
    {
        let path = entry
            .with_context(|| format!("cannot read {}", in_dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "html")
            && let Some(id) = path.file_stem().and_then(|s| s.to_str())
        {
            pages.push((id.to_owned(), path.clone()));
        }
    }
    pages.sort();
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(2)
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .with_context(|| format!("cannot start {threads} threads"))?;
    let start = Instant::now();
    let results: Vec<Result<bool, String>> = pool.install(|| {
        pages
            .par_iter()
            .map(|(id, path)| {
                let url = urls.get(id).map(String::as_str).unwrap_or("");
                batch_page(path, url, &out_dir.join(format!("{id}.json")))
            })
            .collect()
    });
    let secs = start.elapsed().as_secs_f64();
    let mut with_body = 0;
    let mut failed = Vec::new();
    for ((id, _), r) in pages.iter().zip(results) {
        match r {
            Ok(body) => with_body += usize::from(body),
            Err(e) => failed.push((id, e)),
        }
    }
    for (id, err) in failed.iter().take(20) {
        eprintln!("  {id}: {err}");
    }
    eprintln!(
        "extracted {} pages ({with_body} with a body, {} failed) in {secs:.2} s on {threads} threads: {:.0} pages/s",
        pages.len(),
        failed.len(),
        pages.len() as f64 / secs.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

/// Extracts one page of a batch and writes its record; `Ok(true)` when it has a body. A page that
/// cannot be read or extracted still gets a record, with empty fields.
fn batch_page(path: &Path, url: &str, out: &Path) -> Result<bool, String> {
    let extracted = std::fs::read(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
        .and_then(|bytes| {
            std::panic::catch_unwind(|| newsdesk_extract::extract(&bytes, url, None))
                .map_err(|_| "the extractor crashed on this page".to_owned())?
                .map_err(|e| e.to_string())
        });
    let (record, outcome) = match extracted {
        Ok(article) => {
            let has_body = !article.body_text.is_empty();
            (BenchmarkRecord::of(article), Ok(has_body))
        }
        Err(e) => (BenchmarkRecord::default(), Err(e)),
    };
    let json = serde_json::to_vec(&record).map_err(|e| format!("cannot encode the record: {e}"))?;
    std::fs::write(out, json).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    outcome
}

/// One page in the extraction benchmark's format (`shared/bench/extract/README.md`): four string
/// fields, `""` when not found. A view of the [`ExtractedArticle`] the pipeline would store.
#[derive(Debug, Default, Serialize)]
struct BenchmarkRecord {
    /// The body as plain text (paragraphs separated by blank lines).
    #[serde(rename = "articleBody")]
    article_body: String,
    title: String,
    /// Authors joined by "; ".
    author: String,
    /// Publication day on the page's calendar (else the modification day) as `YYYY-MM-DD`.
    date: String,
}

impl BenchmarkRecord {
    fn of(a: ExtractedArticle) -> Self {
        BenchmarkRecord {
            date: a
                .published_date
                .or_else(|| a.modified.map(|m| m.date_naive()))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            author: a.authors.join("; "),
            title: a.title.unwrap_or_default(),
            article_body: a.body_text,
        }
    }
}

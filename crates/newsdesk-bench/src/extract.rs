//! `newsdesk bench extract DIR`: extraction speed over a directory of pages, single-threaded and
//! on all cores, printed as pages/s and MB/s.
//!
//! The pages are read into memory first, so the figures measure the extractor (decode, parse,
//! metadata, boilerplate, content, render, sanitise), not the disk. Each page goes through
//! [`newsdesk_extract::extract`] with its URL (from `urls.json` beside the pages, as in the
//! benchmark's layout; else none), the call the pipeline makes. This is a measurement, not a
//! test: nothing here asserts a time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

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

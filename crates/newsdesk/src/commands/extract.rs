//! `newsdesk extract FILE_OR_URL` and `newsdesk extract --batch IN OUT --urls URLS.json`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use newsdesk_extract::ExtractedArticle;
use newsdesk_fetch::Validators;
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::ExtractArgs;
use crate::config::{Config, FetchSettings};
use newsdesk_pipeline::text::charset_of;

/// Extracts one page, or a directory of pages.
pub async fn run(args: ExtractArgs, config: Option<&Path>) -> Result<ExitCode> {
    if let Some(dirs) = &args.batch {
        let [in_dir, out_dir] = dirs.as_slice() else {
            bail!("--batch takes IN_DIR and OUT_DIR");
        };
        return batch(in_dir, out_dir, args.urls.as_deref(), args.threads);
    }
    let Some(input) = args.input.as_deref() else {
        bail!("give an HTML file or a URL, or --batch IN_DIR OUT_DIR");
    };
    let (bytes, url, charset) = if input.starts_with("http://") || input.starts_with("https://") {
        // Use the configured fetch settings when a configuration is around, else the defaults
        // (SSRF guard on).
        let settings = match Config::locate(config) {
            Ok(p) => Config::load(&p)?.fetch,
            Err(_) => FetchSettings::default(),
        };
        let fetcher = super::context::fetcher_from(&settings)?;
        let resp = fetcher.get(input, &Validators::default()).await?;
        let charset = resp.content_type.as_deref().and_then(charset_of);
        (resp.body.to_vec(), resp.final_url.clone(), charset)
    } else {
        let bytes = std::fs::read(input).with_context(|| format!("cannot read {input}"))?;
        let url = args.url.clone().unwrap_or_else(|| {
            let abs = std::path::absolute(input).unwrap_or_else(|_| input.into());
            url::Url::from_file_path(&abs)
                .map(|u| u.to_string())
                .unwrap_or_else(|_| "file:///".to_string())
        });
        (bytes, url, None)
    };
    let article = newsdesk_extract::extract(&bytes, &url, charset.as_deref())?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &article)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// `--batch IN_DIR OUT_DIR`: every `IN_DIR/<id>.html` through [`newsdesk_extract::extract`], the
/// call `pipeline/ingest.rs` makes for an article page (same function, same arguments: the bytes,
/// the page URL, no HTTP charset because a file has none), on all cores, each result written as a
/// [`BenchmarkRecord`] to `OUT_DIR/<id>.json`.
///
/// One bad page does not stop the batch: it gets a record with empty fields and is reported.
fn batch(
    in_dir: &Path,
    out_dir: &Path,
    urls: Option<&Path>,
    threads: Option<usize>,
) -> Result<ExitCode> {
    let urls = match urls {
        Some(p) => newsdesk_bench::read_url_map(p)?,
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

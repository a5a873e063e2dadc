//! `newsdesk extract FILE_OR_URL` and `newsdesk extract --batch IN OUT --urls URLS.json`.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use newsdesk_fetch::Validators;

use crate::cli::ExtractArgs;
use crate::config::{Config, FetchSettings};
use crate::text::charset_of;

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

fn batch(
    in_dir: &Path,
    out_dir: &Path,
    urls: Option<&Path>,
    threads: Option<usize>,
) -> Result<ExitCode> {
    let urls: HashMap<String, String> = match urls {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} must be a JSON object of id → URL", p.display()))?
        }
        None => HashMap::new(),
    };
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(2);
    let start = Instant::now();
    let report = newsdesk_extract::extract_batch(in_dir, out_dir, &urls, threads)?;
    let secs = start.elapsed().as_secs_f64();
    for (id, err) in report.failures.iter().take(20) {
        eprintln!("  {id}: {err}");
    }
    eprintln!(
        "extracted {} pages ({} with a body, {} failed) in {secs:.2} s on {threads} threads: {:.0} pages/s",
        report.pages,
        report.with_body,
        report.failed,
        report.pages as f64 / secs.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

//! `newsdesk extract FILE_OR_URL` and `newsdesk extract --batch IN OUT --urls URLS.json`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use newsdesk_fetch::Validators;

use crate::cli::ExtractArgs;
use crate::config::{Config, FetchSettings};

/// Extracts one page, or a directory of pages.
pub async fn run(args: ExtractArgs, config: Option<&Path>) -> Result<ExitCode> {
    if let Some(dirs) = &args.batch {
        let [in_dir, out_dir] = dirs.as_slice() else {
            bail!("--batch takes IN_DIR and OUT_DIR");
        };
        return newsdesk_bench::extract_batch(in_dir, out_dir, args.urls.as_deref(), args.threads);
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
        let fetcher = settings.fetcher()?;
        let resp = fetcher.get(input, &Validators::default()).await?;
        let charset = resp.charset();
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

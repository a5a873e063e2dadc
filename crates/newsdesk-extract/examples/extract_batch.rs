//! Runs [`newsdesk_extract::extract_batch`] the way `newsdesk extract --batch` does, so the
//! extractor can be scored without the main CLI:
//!
//! ```sh
//! cargo build --release -p newsdesk-extract --example extract_batch
//! python3 ../shared/bench/extract/score.py "$D" --name newsdesk \
//!   --batch 'target/release/examples/extract_batch {in} {out} --urls {urls}'
//! ```

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut urls_path = None;
    let mut threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--urls" => urls_path = it.next().map(PathBuf::from),
            "--threads" => threads = it.next().and_then(|t| t.parse().ok()).unwrap_or(threads),
            _ => positional.push(PathBuf::from(a)),
        }
    }
    let [in_dir, out_dir] = positional.as_slice() else {
        eprintln!("usage: extract_batch IN_DIR OUT_DIR [--urls URLS.json] [--threads N]");
        return ExitCode::from(2);
    };
    let urls = match urls_path.map(|p| newsdesk_extract::read_url_map(&p)) {
        Some(Ok(u)) => u,
        Some(Err(e)) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
        None => HashMap::new(),
    };
    match newsdesk_extract::extract_batch(in_dir, out_dir, &urls, threads) {
        Ok(report) => {
            eprintln!(
                "extract_batch: {} pages, {} with a body, {} failed",
                report.pages, report.with_body, report.failed
            );
            for (id, err) in report.failures.iter().take(20) {
                eprintln!("  {id}: {err}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

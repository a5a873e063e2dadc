//! `newsdesk bench translate`: words per second of each translation route over the bundled
//! sample corpus, cold and then again with the cache warm (and the cache hit rate of that
//! second pass). A measurement, not a test: nothing here asserts a time.

use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use newsdesk_demo::{Body, sample_corpus};
use newsdesk_translate::{
    DEFAULT_MODES_DIR, Route, SegmentStatus, TranslateConfig, Translator, discover_modes,
};

use super::translate::load_translate_config;

/// `newsdesk bench translate`.
#[derive(Debug, Args)]
pub struct BenchTranslateArgs {
    /// Routes to measure, FROM-TO, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "en-es,en-fr,fr-es,es-en")]
    pub routes: Vec<String>,
    /// Paragraphs per route, at most (titles, standfirsts and body paragraphs of the sample
    /// corpus in the source language).
    #[arg(long, default_value_t = 400)]
    pub paragraphs: usize,
    /// Take the backends from this file's [translate] table [default: local Apertium]. The
    /// cache is always a fresh in-memory one.
    #[arg(long, value_name = "FILE")]
    pub translate_config: Option<PathBuf>,
}

/// Paragraphs of the sample corpus in `lang`.
fn paragraphs(lang: &str, max: usize) -> Vec<String> {
    let corpus = sample_corpus();
    let mut out = Vec::new();
    for a in corpus.articles().iter().filter(|a| a.language == lang) {
        out.push(a.title.clone());
        out.push(a.standfirst.clone());
        if let Body::Paragraphs(ps) = &a.body {
            out.extend(
                ps.iter()
                    .map(|p| p.trim_start_matches("## ").to_string())
                    .filter(|p| !p.trim().is_empty()),
            );
        }
    }
    out.truncate(max);
    out
}

/// Seconds the bare `apertium` program takes over `text` (one call per hop, each hop's output
/// fed to the next), when every hop of `route` is the local Apertium; the reference figure.
fn raw_apertium_secs(route: &Route, text: &str) -> Option<f64> {
    use std::io::Write as _;
    let modes = discover_modes(Path::new(DEFAULT_MODES_DIR));
    let mut input = text.to_string();
    let start = Instant::now();
    for hop in &route.hops {
        if hop.backend != "apertium" {
            return None;
        }
        let (_, mode) = modes
            .iter()
            .find(|(p, _)| p.from == hop.from && p.to == hop.to)?;
        let mut child = std::process::Command::new("apertium")
            .args(["-u", mode])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let mut stdin = child.stdin.take()?;
        let data = std::mem::take(&mut input);
        let writer = std::thread::spawn(move || stdin.write_all(data.as_bytes()));
        let out = child.wait_with_output().ok()?;
        let _ = writer.join();
        input = String::from_utf8_lossy(&out.stdout).into_owned();
    }
    Some(start.elapsed().as_secs_f64())
}

/// Runs the benchmark.
pub async fn run(args: BenchTranslateArgs) -> Result<ExitCode> {
    let (mut config, base) = match &args.translate_config {
        Some(p) => load_translate_config(Some(p))?,
        None => (TranslateConfig::default(), std::env::current_dir()?),
    };
    config.cache = None;
    say!(
        "{:<34} {:>6} {:>6} {:>7} {:>12} {:>12} {:>9} {:>7}",
        "route",
        "paras",
        "segs",
        "words",
        "cold words/s",
        "warm words/s",
        "warm hit",
        "kept"
    );
    for r in &args.routes {
        let Some((from, to)) = r.split_once('-') else {
            bail!("route {r:?}: want FROM-TO, e.g. en-fr");
        };
        let paras = paragraphs(from, args.paragraphs);
        if paras.is_empty() {
            say!("{r:<34} no {from} text in the sample corpus");
            continue;
        }
        // A fresh translator (and empty cache) per route, so each cold pass is cold.
        let t = Translator::from_config(&config, &base).await?;
        let route = t.route(from, to)?;
        let text = paras.join("\n");
        let words = text.split_whitespace().count();
        let start = Instant::now();
        let cold = t.translate_text(&text, from, to).await?;
        let cold_secs = start.elapsed().as_secs_f64();
        let hits_before: u64 = t.run_usage().values().map(|u| u.cache_hits).sum();
        let start = Instant::now();
        let warm = t.translate_text(&text, from, to).await?;
        let warm_secs = start.elapsed().as_secs_f64();
        let hits_after: u64 = t.run_usage().values().map(|u| u.cache_hits).sum();
        let lookups = (warm.segments.len() * route.hops.len()) as f64;
        let kept = cold
            .segments
            .iter()
            .filter(|s| matches!(s.status, SegmentStatus::KeptOriginal(_)))
            .count();
        say!(
            "{:<34} {:>6} {:>6} {:>7} {:>12.0} {:>12.0} {:>8.1}% {:>6.1}%",
            route.to_string(),
            paras.len(),
            cold.segments.len(),
            words,
            words as f64 / cold_secs.max(1e-9),
            words as f64 / warm_secs.max(1e-9),
            100.0 * (hits_after - hits_before) as f64 / lookups.max(1.0),
            100.0 * kept as f64 / cold.segments.len().max(1) as f64
        );
        if let Some(secs) = raw_apertium_secs(&route, &text) {
            say!(
                "    reference: the bare `apertium -u` pipeline on the same text in one call: {:.0} words/s",
                words as f64 / secs.max(1e-9)
            );
        }
        for s in cold.segments.iter() {
            if let SegmentStatus::KeptOriginal(reason) = &s.status {
                say!("    kept: {:?}: {reason}", s.source);
            }
        }
        for (name, u) in t.run_usage() {
            say!(
                "    {name}: {} calls, {} characters, {} segments, {} cache hits, {} errors, {} check failures",
                u.calls,
                u.chars,
                u.segments,
                u.cache_hits,
                u.errors,
                u.check_failures
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `newsdesk bench translate`: words per second of each translation route over the bundled
//! sample corpus, cold and then again with the cache warm (and the cache hit rate of that
//! second pass), for the configured backends (local Apertium by default), Apertium-APy when
//! `apertium-apy` is installed (started on loopback for the run), and the LibreTranslate,
//! DeepL and OpenAI-compatible clients against local servers speaking their protocols (which
//! echo the text: the figure is newsdesk's own cost per word for that protocol). Then, with
//! Apertium, the unknown words of the en→es→fr pivot route, with and without the pivot
//! mitigations, over the sample corpus's English text and an optional segments file. A
//! measurement, not a test: nothing here asserts a time.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use axum::routing::post;
use axum::{Json, Router};
use clap::Args;
use newsdesk_demo::{Body, sample_corpus};
use newsdesk_translate::{
    ApertiumApy, Backend, DEFAULT_MODES_DIR, DeepL, FidelityScore, Kept, LangPair, LibreTranslate,
    ManagedBackend, MemoryCache, OpenAiChat, Route, SegmentStatus, TranslateConfig, Translator,
    TranslatorOptions, apertium_available, discover_modes, fidelity_blocks, fidelity_sentences,
    inner_capitalised_words, split_sentences, strip_name_marks,
};
use serde_json::{Value, json};

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
    /// Skip Apertium-APy and the HTTP protocol clients.
    #[arg(long)]
    pub no_services: bool,
    /// Measure fidelity instead: the share of names, numbers, quotations and URLs kept intact
    /// on each route, over the bundled fidelity sentences (written for newsdesk) of the route's
    /// source language (en, es, fr), with the configured backends.
    #[arg(long)]
    pub fidelity: bool,
    /// Routes of the fidelity measurement, FROM-TO, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "en-es,en-fr,es-fr,es-en,fr-es,fr-en"
    )]
    pub fidelity_routes: Vec<String>,
    /// A file of tricky English segments for the pivot measurement, one per line, or
    /// `category | segments | text` lines (`#` comments).
    #[arg(long, value_name = "FILE")]
    pub tricky: Option<PathBuf>,
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

/// `--fidelity`: per route, the share of the facts of the bundled sentences kept intact.
async fn fidelity(args: &BenchTranslateArgs, config: &TranslateConfig) -> Result<ExitCode> {
    say!("== fidelity: facts kept intact per route (bundled sentences written for newsdesk)");
    say!(
        "{:<34} {:>6} {:>13} {:>13} {:>13} {:>13} {:>6}",
        "route",
        "lines",
        "names",
        "numbers",
        "quotes",
        "urls",
        "kept"
    );
    let cell = |k: Kept| format!("{:>5.1}% {:>2}/{:<2}", k.percent(), k.kept, k.total);
    for r in &args.fidelity_routes {
        let Some((from, to)) = r.split_once('-') else {
            bail!("route {r:?}: want FROM-TO, e.g. en-fr");
        };
        let Some(file) = fidelity_sentences(from) else {
            say!("{r:<34} no bundled sentences in {from}");
            continue;
        };
        let t = Translator::from_config(config, Arc::new(MemoryCache::new())).await?;
        let route = match t.route(from, to) {
            Ok(route) => route,
            Err(e) => {
                say!("{r:<34} no route: {e}");
                continue;
            }
        };
        let mut score = FidelityScore::default();
        let mut misses: Vec<String> = Vec::new();
        let (mut lines, mut kept) = (0usize, 0usize);
        for block in fidelity_blocks(file) {
            let plain: Vec<String> = block.iter().map(|l| strip_name_marks(l).0).collect();
            let tr = t.translate_text(&plain.join("\n"), from, to).await?;
            kept += tr.kept_original();
            for (annotated, out) in block.iter().zip(tr.text.lines()) {
                let one = FidelityScore::of(annotated, out, from, to);
                if one.names.kept < one.names.total
                    || one.numbers.kept < one.numbers.total
                    || one.quotes.kept < one.quotes.total
                    || one.urls.kept < one.urls.total
                {
                    misses.push(format!("    {annotated}\n    → {out}"));
                }
                score += one;
                lines += 1;
            }
        }
        say!(
            "{:<34} {lines:>6} {} {} {} {} {kept:>6}",
            route.to_string(),
            cell(score.names),
            cell(score.numbers),
            cell(score.quotes),
            cell(score.urls)
        );
        for m in &misses {
            say!("{m}");
        }
    }
    say!(
        "(kept: segments kept in the original language behind the marker; their facts are intact)"
    );
    Ok(ExitCode::SUCCESS)
}

const HEADER: &str = "route                              paras   segs   words cold words/s warm words/s  warm hit    kept";

/// Runs the benchmark.
pub async fn run(
    args: BenchTranslateArgs,
    load_translate_config: &crate::TranslateConfigLoader,
) -> Result<ExitCode> {
    // Each translator gets a fresh in-memory cache (the configured `cache` file is not used).
    let config = match &args.translate_config {
        Some(p) => load_translate_config(p)?.0,
        None => TranslateConfig::default(),
    };
    if args.fidelity {
        return fidelity(&args, &config).await;
    }
    say!("== configured backends");
    say!("{HEADER}");
    for r in &args.routes {
        let Some((from, to)) = r.split_once('-') else {
            bail!("route {r:?}: want FROM-TO, e.g. en-fr");
        };
        // A fresh translator (and empty cache) per route, so each cold pass is cold.
        let t = Translator::from_config(&config, Arc::new(MemoryCache::new())).await?;
        measure_route(&t, from, to, args.paragraphs, true).await?;
    }
    if !args.no_services {
        say!("\n== Apertium-APy (apertium-apy on 127.0.0.1)");
        apy(&args).await?;
        say!(
            "\n== HTTP protocol clients against local servers that echo the text (newsdesk's cost)"
        );
        http_protocols(&args).await?;
    }
    if apertium_available() {
        say!("\n== unknown words on the Apertium pivot route en→es→fr");
        pivot_quality(&args, &config).await?;
    } else {
        say!("\n(apertium is not installed: no pivot measurement)");
    }
    Ok(ExitCode::SUCCESS)
}

/// One route's cold and warm pass with `t`, and its figures.
async fn measure_route(
    t: &Translator,
    from: &str,
    to: &str,
    max_paragraphs: usize,
    details: bool,
) -> Result<()> {
    let r = format!("{from}-{to}");
    {
        let paras = paragraphs(from, max_paragraphs);
        if paras.is_empty() {
            say!("{r:<34} no {from} text in the sample corpus");
            return Ok(());
        }
        let route = match t.route(from, to) {
            Ok(route) => route,
            Err(e) => {
                say!("{r:<34} {e}");
                return Ok(());
            }
        };
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
        if !details {
            return Ok(());
        }
        for s in cold.segments.iter() {
            if let SegmentStatus::KeptOriginal(reason) = &s.status {
                say!("    kept: {:?}: {reason}", s.source);
            }
        }
        for (name, u) in t.run_usage() {
            say!(
                "    {name}: {} calls, {} characters, {} segments, {} cache hits, {} errors, {} check failures, {} unknown words",
                u.calls,
                u.chars,
                u.segments,
                u.cache_hits,
                u.errors,
                u.check_failures,
                u.unknown_words
            );
        }
    }
    Ok(())
}

/// An `apertium-apy` server started for the benchmark, killed when dropped.
struct ApyServer(std::process::Child);

impl Drop for ApyServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Apertium through APy: started on a free loopback port when installed, else reported absent.
async fn apy(args: &BenchTranslateArgs) -> Result<()> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = std::process::Command::new("apertium-apy")
        .args(["-p", &port.to_string(), DEFAULT_MODES_DIR])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(child) = child else {
        say!("apertium-apy is not installed (apt-get install apertium-apy): absent");
        return Ok(());
    };
    let _server = ApyServer(child);
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let mut backend = None;
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(b) = ApertiumApy::connect("apertium-apy", &base, Duration::from_secs(120)).await {
            backend = Some(b);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let Some(backend) = backend else {
        say!("apertium-apy did not answer within 60 s: absent");
        return Ok(());
    };
    say!(
        "(started in {:.1} s; first call per pair loads the pair)",
        started.elapsed().as_secs_f64()
    );
    say!("{HEADER}");
    let backend: Arc<dyn Backend> = Arc::new(backend);
    for r in &args.routes {
        let Some((from, to)) = r.split_once('-') else {
            continue;
        };
        let t = translator_over(
            SharedBackend(backend.clone()),
            100,
            TranslatorOptions {
                pivots: vec!["es".to_string(), "en".to_string()],
                ..TranslatorOptions::default()
            },
        );
        measure_route(&t, from, to, args.paragraphs, false).await?;
    }
    Ok(())
}

/// A backend shared by several translators (one per route, each with a fresh cache).
struct SharedBackend(Arc<dyn Backend>);

impl Backend for SharedBackend {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn pairs(&self) -> Vec<LangPair> {
        self.0.pairs()
    }
    fn keeps_numbers(&self) -> bool {
        self.0.keeps_numbers()
    }
    fn marks_unknown(&self) -> bool {
        self.0.marks_unknown()
    }
    fn translate<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> newsdesk_translate::BoxFuture<'a, Result<Vec<String>, newsdesk_translate::TranslateError>>
    {
        self.0.translate(segments, from, to)
    }
    fn translate_marked<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> newsdesk_translate::BoxFuture<'a, Result<Vec<String>, newsdesk_translate::TranslateError>>
    {
        self.0.translate_marked(segments, from, to)
    }
}

fn translator_over(
    backend: impl Backend + 'static,
    batch: usize,
    options: TranslatorOptions,
) -> Translator {
    Translator::new(
        vec![ManagedBackend::new(Box::new(backend)).with_batch_size(batch)],
        Arc::new(MemoryCache::new()),
        options,
    )
}

/// A local server speaking the LibreTranslate, DeepL and OpenAI chat protocols; it answers
/// each text with itself.
async fn echo_server() -> Result<SocketAddr> {
    async fn libre(Json(body): Json<Value>) -> Json<Value> {
        Json(json!({ "translatedText": body["q"].clone() }))
    }
    async fn deepl(Json(body): Json<Value>) -> Json<Value> {
        let out: Vec<Value> = body["text"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|t| json!({"detected_source_language": "EN", "text": t}))
                    .collect()
            })
            .unwrap_or_default();
        Json(json!({ "translations": out }))
    }
    async fn openai(Json(body): Json<Value>) -> Json<Value> {
        let content = body["messages"][1]["content"].as_str().unwrap_or("[]");
        Json(json!({
            "id": "bench", "object": "chat.completion", "model": "echo",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}]
        }))
    }
    let app = Router::new()
        .route("/translate", post(libre))
        .route("/v2/translate", post(deepl))
        .route("/v1/chat/completions", post(openai));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    Ok(addr)
}

/// The LibreTranslate, DeepL and OpenAI-compatible clients over en→fr against [`echo_server`].
async fn http_protocols(args: &BenchTranslateArgs) -> Result<()> {
    let addr = echo_server().await?;
    let base = format!("http://{addr}");
    let pairs = vec![LangPair::new("en", "fr")];
    let timeout = Duration::from_secs(60);
    say!("{HEADER}");
    let libre = LibreTranslate::new("libretranslate", &base, None, pairs.clone(), timeout)?;
    let t = translator_over(libre, 50, TranslatorOptions::default());
    measure_route(&t, "en", "fr", args.paragraphs, false).await?;
    let deepl = DeepL::new("deepl", &base, "bench".to_string(), pairs.clone(), timeout)?;
    let t = translator_over(deepl, 50, TranslatorOptions::default());
    measure_route(&t, "en", "fr", args.paragraphs, false).await?;
    let openai = OpenAiChat::new("openai", &base, None, "echo", pairs, timeout)?;
    let t = translator_over(openai, 20, TranslatorOptions::default());
    measure_route(&t, "en", "fr", args.paragraphs, false).await?;
    Ok(())
}

/// English segments of a tricky-segments file: `category | n | text` lines or plain lines.
fn tricky_paragraphs(path: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.splitn(3, " | ").last().unwrap_or(l).to_string())
        .collect())
}

/// Figures of one set of paragraphs translated with one set of options.
#[derive(Default)]
struct PivotFigures {
    paragraphs: usize,
    passed: usize,
    segments: usize,
    kept: usize,
    with_unknown: usize,
    with_leaks: usize,
    names: usize,
    names_lost: usize,
    leaked: std::collections::BTreeMap<String, usize>,
}

async fn pivot_figures(t: &Translator, paras: &[String], to: &str) -> Result<PivotFigures> {
    let mut f = PivotFigures {
        paragraphs: paras.len(),
        ..PivotFigures::default()
    };
    for p in paras {
        let tr = t.translate_text(p, "en", to).await?;
        let mut all = true;
        for s in &tr.segments {
            f.segments += 1;
            if matches!(s.status, SegmentStatus::KeptOriginal(_)) {
                f.kept += 1;
                all = false;
                continue;
            }
            f.with_unknown += usize::from(!s.unknown_words.is_empty());
            f.with_leaks += usize::from(!s.pivot_leaks.is_empty());
            for w in &s.pivot_leaks {
                *f.leaked.entry(w.clone()).or_default() += 1;
            }
            let output_words: std::collections::HashSet<&str> = s
                .text
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .collect();
            for name in inner_capitalised_words(&s.source) {
                f.names += 1;
                f.names_lost += usize::from(!output_words.contains(name.as_str()));
            }
        }
        f.passed += usize::from(all);
    }
    Ok(f)
}

fn pct(a: usize, b: usize) -> f64 {
    100.0 * a as f64 / b.max(1) as f64
}

/// en→es and en→es→fr over the sample corpus's English text (and the tricky file), before
/// (the pivot's legs as they are, no leak check: what newsdesk did before) and after (first-leg
/// unknown words and copied names passed through, leaks checked).
async fn pivot_quality(args: &BenchTranslateArgs, config: &TranslateConfig) -> Result<()> {
    let mut sets: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(path) = &args.tricky {
        sets.push((
            format!(
                "tricky ({})",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
            tricky_paragraphs(path)?,
        ));
    }
    let english: Vec<String> = paragraphs("en", usize::MAX)
        .into_iter()
        .filter(|p| !split_sentences(p, "en").is_empty())
        .collect();
    sets.push(("sample corpus, English".to_string(), english));
    say!(
        "{:<28} {:<7} {:>6} {:>6} {:>9} {:>7} {:>12} {:>13} {:>11}",
        "set",
        "mode",
        "paras",
        "segs",
        "passed",
        "kept",
        "w/ unknown",
        "pivot leaks",
        "names lost"
    );
    for (name, paras) in &sets {
        for (mode, target) in [("direct", "es"), ("before", "fr"), ("after", "fr")] {
            let mut c = config.clone();
            if mode == "before" {
                c.pivot_passthrough = false;
                c.max_pivot_leak_share = 1.0;
            }
            let t = Translator::from_config(&c, Arc::new(MemoryCache::new())).await?;
            let f = pivot_figures(&t, paras, target).await?;
            say!(
                "{:<28} {:<7} {:>6} {:>6} {:>8.1}% {:>6.1}% {:>11.1}% {:>12.1}% {:>5}/{:<5}",
                name,
                if target == "es" { "en→es" } else { mode },
                f.paragraphs,
                f.segments,
                pct(f.passed, f.paragraphs),
                pct(f.kept, f.segments),
                pct(f.with_unknown, f.segments),
                pct(f.with_leaks, f.segments),
                f.names_lost,
                f.names
            );
            if mode == "after" {
                let mut top: Vec<(&String, &usize)> = f.leaked.iter().collect();
                top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                let list: Vec<String> = top
                    .iter()
                    .take(20)
                    .map(|(w, n)| format!("{w}×{n}"))
                    .collect();
                say!("    most leaked: {}", list.join(" "));
            }
        }
    }
    say!(
        "passed: paragraphs with no segment kept in English; w/ unknown: \
         segments emitted with a word some leg did not know; pivot leaks: segments emitted with \
         Spanish words the es→fr leg did not know; names lost: capitalised words inside a source \
         sentence missing from its translation"
    );
    Ok(())
}

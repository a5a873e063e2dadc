//! `newsdesk bench stories --pipeline`: the stories benchmark through the product. Each
//! development pool of the stories benchmark (`ecbplus`, `itn`, `copies`, `neardup`) is served
//! on 127.0.0.1 as news outlets (one to three per language, RSS feeds and article pages with the
//! usual metadata, by the demo's origin), the outlets are added in a shuffled order and fetched
//! by the real ingest pipeline in several passes (so copies are often stored before their
//! originals), with the story stage's configuration a new installation gets; then stories and
//! provenance are read back from the store and scored like the benchmark's scorers
//! (`score_stories.py`: BCubed; `score_copies.py`: link P/R/F1 and top-1). In the same run
//! `newsdesk stories` / `newsdesk copies` (the same engine and settings, on the JSONL files) are
//! scored the same way, so the two can be compared.
//!
//! A measurement, not a test: nothing here asserts a figure.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use newsdesk_demo::{
    Body, Corpus, CorpusArticle, CorpusSource, Event, FeedFormat, Origin, OriginOptions,
};
use newsdesk_store::Store;
use newsdesk_stories::{run_copies, run_stories};
use serde::Deserialize;

use crate::stories::Rng;
use newsdesk_pipeline::settings::FetchSettings;
use newsdesk_pipeline::stories::StoryStage;
use newsdesk_pipeline::{Ingest, Progress};

/// One record of a pool.
#[derive(Debug, Clone, Deserialize)]
struct Doc {
    id: String,
    lang: String,
    date: Option<String>,
    title: String,
    text: String,
}

/// One record of an answer key.
#[derive(Debug, Clone, Deserialize)]
struct Gold {
    id: String,
    #[serde(default)]
    cluster: Option<serde_json::Value>,
    #[serde(default)]
    copy_of: Option<String>,
}

/// What a pool measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    Stories,
    Copies,
}

/// The development pools, in the order they are run.
const POOLS: [(&str, Task); 4] = [
    ("ecbplus", Task::Stories),
    ("itn", Task::Stories),
    ("copies", Task::Copies),
    ("neardup", Task::Copies),
];

/// Fetch passes the outlets are spread over.
const PASSES: usize = 3;

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read {} (the stories benchmark data)",
            path.display()
        )
    })?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}: line {} is not a record", path.display(), i + 1))
        })
        .collect()
}

/// Shuffles `v` in place (Fisher-Yates) with `rng`.
fn shuffle<T>(rng: &mut Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
}

/// A language code as a path segment.
fn slug(lang: &str) -> String {
    let s: String = lang
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "und".to_string() } else { s }
}

/// The pool as a corpus of outlets: one to three outlets per language (one per 40 articles),
/// each document an article `d{index}` of one of them. Undated documents (ECB+) are dated a
/// minute apart in file order, which is their stream order.
fn corpus_of(docs: &[Doc], rng: &mut Rng) -> Result<Corpus> {
    let mut per_lang: BTreeMap<&str, usize> = BTreeMap::new();
    for d in docs {
        *per_lang.entry(d.lang.as_str()).or_default() += 1;
    }
    let outlets_of = |lang: &str| per_lang.get(lang).map_or(1, |n| (n / 40).clamp(1, 3));
    let mut sources = Vec::new();
    for lang in per_lang.keys() {
        for k in 0..outlets_of(lang) {
            let s = format!("{}-{}", slug(lang), k + 1);
            sources.push(CorpusSource {
                slug: s.clone(),
                name: format!("Outlet {s}"),
                domain: format!("{s}.example"),
                language: (*lang).to_string(),
                country: "XX".to_string(),
                country_name: None,
                tagline: String::new(),
                feed_format: FeedFormat::Rss2,
                discovery: false,
                summary_only: false,
                page_metadata: true,
                sections: vec!["News".to_string()],
                accent: "#333333".to_string(),
                owner: None,
                typology: None,
                media_type: None,
            });
        }
    }
    let base = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .context("base date")?;
    let utc = FixedOffset::east_opt(0).context("UTC offset")?;
    let mut articles = Vec::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        let published: DateTime<Utc> = match &d.date {
            Some(s) => s
                .parse()
                .with_context(|| format!("{}: date {s:?} is not ISO-8601", d.id))?,
            None => base + Duration::minutes(i as i64),
        };
        let k = (rng.next() as usize) % outlets_of(&d.lang);
        let paragraphs: Vec<String> = d
            .text
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        articles.push(CorpusArticle {
            source: format!("{}-{}", slug(&d.lang), k + 1),
            slug: format!("d{i}"),
            title: d.title.clone(),
            standfirst: String::new(),
            authors: Vec::new(),
            published: published.with_timezone(&utc),
            updated: None,
            language: d.lang.clone(),
            section: "News".to_string(),
            tags: Vec::new(),
            event: None,
            image: None,
            copy_of: None,
            translation_of: None,
            body: Body::Paragraphs(paragraphs),
        });
    }
    Ok(Corpus::new(sources, articles, Vec::<Event>::new()))
}

/// BCubed F1 (percent) of `pred` (document → label; a missing document is its own cluster)
/// against the gold clusters, as `score_stories.py` computes it.
fn bcubed_f1(gold: &[Gold], pred: &HashMap<String, String>) -> f64 {
    let labels: Vec<(String, String)> = gold
        .iter()
        .map(|g| {
            let gl = g
                .cluster
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default();
            let pl = pred
                .get(&g.id)
                .cloned()
                .unwrap_or_else(|| format!("missing:{}", g.id));
            (gl, pl)
        })
        .collect();
    let n = labels.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let mut cont: HashMap<(&str, &str), f64> = HashMap::new();
    let mut a: HashMap<&str, f64> = HashMap::new();
    let mut b: HashMap<&str, f64> = HashMap::new();
    for (gl, pl) in &labels {
        *cont.entry((gl, pl)).or_default() += 1.0;
        *a.entry(gl).or_default() += 1.0;
        *b.entry(pl).or_default() += 1.0;
    }
    let bp: f64 = cont.iter().map(|((_, pl), v)| v * v / b[pl]).sum::<f64>() / n;
    let br: f64 = cont.iter().map(|((gl, _), v)| v * v / a[gl]).sum::<f64>() / n;
    if bp + br == 0.0 {
        0.0
    } else {
        200.0 * bp * br / (bp + br)
    }
}

/// Link precision, recall, F1 and top-1 (percent) of `pred` (document → its original or
/// `None`) and `top` (document → best candidate), as `score_copies.py` computes them (strict).
fn link_scores(
    gold: &[Gold],
    pred: &HashMap<String, Option<String>>,
    top: &HashMap<String, Option<String>>,
) -> (f64, f64, f64, f64) {
    let (mut tp, mut fp, mut fn_, mut top_right, mut copies) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for g in gold {
        let p = pred.get(&g.id).cloned().flatten();
        match &g.copy_of {
            Some(orig) => {
                copies += 1.0;
                if p.as_deref() == Some(orig.as_str()) {
                    tp += 1.0;
                } else {
                    fn_ += 1.0;
                    if p.is_some() {
                        fp += 1.0;
                    }
                }
                let t = top.get(&g.id).cloned().flatten().or(p);
                if t.as_deref() == Some(orig.as_str()) {
                    top_right += 1.0;
                }
            }
            None => {
                if p.is_some() {
                    fp += 1.0;
                }
            }
        }
    }
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let t = if copies > 0.0 {
        top_right / copies
    } else {
        0.0
    };
    (100.0 * p, 100.0 * r, 100.0 * f, 100.0 * t)
}

/// The CLI's answers on the pool: `newsdesk stories --stream` (document → cluster) or
/// `newsdesk copies` (document → original, and best candidate).
type CliAnswers = (
    HashMap<String, String>,
    HashMap<String, Option<String>>,
    HashMap<String, Option<String>>,
);

fn cli_answers(input: &[u8], task: Task, stage: &StoryStage) -> Result<CliAnswers> {
    let mut out = Vec::new();
    match task {
        Task::Stories => run_stories(input, &mut out, stage.engine_config().clone(), None)?,
        Task::Copies => run_copies(input, &mut out, stage.engine_config().clone(), None)?,
    };
    let mut clusters = HashMap::new();
    let mut copy_of = HashMap::new();
    let mut top = HashMap::new();
    for line in String::from_utf8(out)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let id = v["id"].as_str().unwrap_or_default().to_string();
        clusters.insert(id.clone(), v["cluster"].to_string());
        copy_of.insert(id.clone(), v["copy_of"].as_str().map(str::to_string));
        top.insert(id, v["top"].as_str().map(str::to_string));
    }
    Ok((clusters, copy_of, top))
}

/// What the product stored for one pool, by document id: story, original; and the count of
/// documents stored.
struct Stored {
    story: HashMap<String, String>,
    original: HashMap<String, Option<String>>,
    stored: usize,
}

/// Serves the pool, fetches it with the pipeline and reads back stories and provenance.
async fn through_pipeline(
    docs: &[Doc],
    stage: &StoryStage,
    rng: &mut Rng,
    dir: &Path,
) -> Result<Stored> {
    let corpus = corpus_of(docs, rng)?;
    let addr: SocketAddr = "127.0.0.1:0".parse()?;
    let origin = Origin::start_with(corpus, &[addr], OriginOptions { freshen: false })
        .await
        .context("cannot start the benchmark origin")?;
    let store = Store::open(&dir.join("bench.db"))?;
    let mut outlets = origin.sources.clone();
    shuffle(rng, &mut outlets);
    for s in &outlets {
        store.add_source(&s.to_new_source())?;
    }
    let settings = FetchSettings {
        allow_private_addresses: true,
        max_new_entries_per_pass: docs.len() + 1,
        max_connections_per_host: 4,
        per_host_delay_ms: 0,
        ..FetchSettings::default()
    };
    let ingest = Ingest::new(store.clone(), settings.fetcher()?, settings)
        .with_stories(true)
        .with_story_stage(stage.clone());
    // The outlets in their shuffled order, over several passes: each pass stores and places
    // what it fetched before the next one starts.
    let mut list = store
        .list_sources()?
        .into_iter()
        .map(|s| s.source)
        .collect::<Vec<_>>();
    shuffle(rng, &mut list);
    let per_pass = list.len().div_ceil(PASSES).max(1);
    for chunk in list.chunks(per_pass) {
        ingest
            .run_pass(chunk.to_vec(), &Progress::sources(chunk.len() as u64, true))
            .await;
    }
    origin.shutdown().await;
    // Article pages are `/<outlet>/<yyyy>/<mm>/<dd>/d<index>.html`.
    let index_of = |url: &str| -> Option<usize> {
        let name = url.rsplit('/').next()?;
        name.strip_suffix(".html")?.strip_prefix('d')?.parse().ok()
    };
    let mut out = Stored {
        story: HashMap::new(),
        original: HashMap::new(),
        stored: 0,
    };
    let mut after = 0;
    loop {
        let page = store.story_inputs_after(after, 1_000)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for input in &page {
            let Some(article) = store.get_article(input.id)? else {
                continue;
            };
            let Some(doc) = index_of(&article.data.url).and_then(|i| docs.get(i)) else {
                continue;
            };
            out.stored += 1;
            if let Some(s) = store.article_story_id(input.id)? {
                out.story.insert(doc.id.clone(), s.to_string());
            }
            let original = match store.article_provenance(input.id)? {
                Some(p) if p.kind != "shares_quotes" => store
                    .get_article(p.original)?
                    .and_then(|o| index_of(&o.data.url))
                    .and_then(|i| docs.get(i))
                    .map(|d| d.id.clone()),
                _ => None,
            };
            out.original.insert(doc.id.clone(), original);
        }
    }
    Ok(out)
}

/// Runs the benchmark on the pools in `data` (the stories benchmark's `data` directory).
pub async fn run(data: &Path) -> Result<ExitCode> {
    if !data.is_dir() {
        bail!(
            "{} is not a directory: pass --data DIR (the stories benchmark's data, with ecbplus.dev.jsonl and the others)",
            data.display()
        );
    }
    let stage = StoryStage::default();
    say!(
        "newsdesk bench stories --pipeline: the DEV pools of {} served on 127.0.0.1 as outlets, fetched by the ingest pipeline in {PASSES} passes (outlets shuffled), stories and links read back from the store; the CLI on the same files with the same settings",
        data.display()
    );
    let mut rng = Rng(0x5eed_5eed_1234_5678);
    for (name, task) in POOLS {
        let docs: Vec<Doc> = read_jsonl(&data.join(format!("{name}.dev.jsonl")))?;
        let gold: Vec<Gold> = read_jsonl(&data.join(format!("{name}.dev.gold.jsonl")))?;
        let input = std::fs::read(data.join(format!("{name}.dev.jsonl")))?;
        let (cli_clusters, cli_copy_of, cli_top) = {
            let stage = stage.clone();
            tokio::task::spawn_blocking(move || cli_answers(&input, task, &stage)).await??
        };
        let dir = crate::bench_dir(&format!("stories-{name}"))?;
        let start = Instant::now();
        let stored = through_pipeline(&docs, &stage, &mut rng, &dir).await?;
        let secs = start.elapsed().as_secs_f64();
        std::fs::remove_dir_all(&dir).ok();
        say!(
            "{name}: {} documents, {} stored and placed through the pipeline in {secs:.1} s",
            docs.len(),
            stored.stored
        );
        match task {
            Task::Stories => {
                say!(
                    "  B3 F1: pipeline {:.2}, CLI {:.2}",
                    bcubed_f1(&gold, &stored.story),
                    bcubed_f1(&gold, &cli_clusters)
                );
            }
            Task::Copies => {
                // The store keeps links, not the best candidate of an unlinked article:
                // the pipeline's top-1 counts its links only.
                let (p, r, f, t) = link_scores(&gold, &stored.original, &HashMap::new());
                let (cp, cr, cf, ct) = link_scores(&gold, &cli_copy_of, &cli_top);
                say!(
                    "  links P/R/F1, top-1: pipeline {p:.2} / {r:.2} / {f:.2}, {t:.2}; CLI {cp:.2} / {cr:.2} / {cf:.2}, {ct:.2} (CLI top-1 from its best candidates; {:.2} from its links only)",
                    link_scores(&gold, &cli_copy_of, &HashMap::new()).3
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

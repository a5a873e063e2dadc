//! Measures insert throughput and read latency at 100,000 articles.
//!
//! `cargo run -p newsdesk-store --example store_bench [-- <articles>]` (add `--release` for
//! representative numbers). Uses a temporary database; prints one line per measurement.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use newsdesk_core::{ArticleQuery, ContentOrigin, NewArticle, NewSource};
use newsdesk_store::Store;

const BASE: i64 = 1_767_225_600;
const SOURCES: i64 = 50;
const WORDS: &[&str] = &[
    "la",
    "politique",
    "économie",
    "Straße",
    "Bürger",
    "climat",
    "élection",
    "Regierung",
    "the",
    "market",
    "santé",
    "Schule",
    "река",
    "東京",
    "government",
    "crise",
    "énergie",
    "Wahl",
];

fn article(source: i64, i: i64) -> NewArticle {
    let body: Vec<&str> = (0..400)
        .map(|w| WORDS[((i * 7 + w * 13) % 18) as usize])
        .collect();
    let t = Utc
        .timestamp_opt(BASE + i / 3, 0)
        .single()
        .unwrap_or_default();
    NewArticle {
        source_id: source,
        entry_key: format!("https://src{source}.example/a/{i}"),
        url: format!("https://src{source}.example/a/{i}"),
        canonical_url: Some(format!("https://src{source}.example/a/{i}")),
        title: format!(
            "Article {i}: {} {}",
            WORDS[(i % 18) as usize],
            WORDS[(i * 5 % 18) as usize]
        ),
        authors: vec!["A. Writer".into()],
        published_at: Some(t),
        modified_at: None,
        fetched_at: t,
        lead_image: None,
        language: Some(["fr", "de", "en"][(i % 3) as usize].into()),
        summary: None,
        body_html: format!("<p>{}</p>", body.join(" ")),
        body_text: body.join(" "),
        tags: vec![],
        origin: ContentOrigin::Page,
    }
}

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(f());
    }
    let per = start.elapsed() / runs;
    println!("{label:<44} {:>10.3} ms", per.as_secs_f64() * 1000.0);
    per
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total: i64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("bench.db"))?;
    let sources: Vec<i64> = (0..SOURCES)
        .map(|s| {
            store
                .add_source(&NewSource::new(format!("https://src{s}.example/feed")))
                .map(|s| s.id)
        })
        .collect::<Result<_, _>>()?;

    // One transaction per article, as the pipeline does, for the first 2,000.
    let single = 2_000.min(total);
    let start = Instant::now();
    for i in 0..single {
        store.insert_article(&article(sources[(i % SOURCES) as usize], i))?;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "insert_article (1 tx each)                   {:>10.0} articles/s",
        single as f64 / secs
    );

    // The rest in batches of 500.
    let start = Instant::now();
    let mut i = single;
    while i < total {
        let batch: Vec<NewArticle> = (i..(i + 500).min(total))
            .map(|j| article(sources[(j % SOURCES) as usize], j))
            .collect();
        store.insert_articles(&batch)?;
        i += 500;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "insert_articles (500 per tx)                 {:>10.0} articles/s",
        (total - single) as f64 / secs.max(1e-9)
    );
    println!(
        "articles stored                              {:>10}",
        store.count_articles()?
    );

    let first = ArticleQuery::default();
    time("list_articles: first page (50)", 200, || {
        store.list_articles(&first)
    });
    let mut deep = ArticleQuery::default();
    for _ in 0..((total / 50) - 2).max(0) {
        match store.list_articles(&deep)?.next {
            Some(c) => deep.before = Some(c),
            None => break,
        }
    }
    time("list_articles: last pages (50, keyset)", 200, || {
        store.list_articles(&deep)
    });
    let by_source = ArticleQuery {
        source: Some(sources[7]),
        ..Default::default()
    };
    time("list_articles: one source (50)", 200, || {
        store.list_articles(&by_source)
    });
    let by_lang = ArticleQuery {
        lang: Some("de".into()),
        limit: 200,
        ..Default::default()
    };
    time("list_articles: one language (200)", 100, || {
        store.list_articles(&by_lang)
    });
    time("list_sources (50 with counts)", 200, || {
        store.list_sources()
    });
    time("count_articles", 500, || store.count_articles());
    time("get_article", 500, || store.get_article(total / 2));
    time("has_article_url", 500, || {
        store.has_article_url("https://src3.example/a/12345")
    });
    time("search: 'Bürger climat' (50)", 20, || {
        store.search("Bürger climat", 50)
    });
    time("search: rare word 'Article 4242'", 20, || {
        store.search("4242", 50)
    });
    Ok(())
}

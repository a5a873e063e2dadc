//! Arrival order does not matter: the demo corpus's outlets, served on 127.0.0.1, imported by
//! one fresh install in one pass (the story stage places the articles in publication order) and
//! by another one outlet at a time, each fetch its own process and placement pass, copies and
//! translations fetched before their originals. Both must end with the same stories and the same
//! provenance links (articles compared by URL).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

use newsdesk_demo::{Origin, sample_corpus};
use support::{Backend, Site};

/// Stories as sets of article URLs, and links as (copy URL, kind, original URL).
type Outcome = (
    BTreeSet<BTreeSet<String>>,
    BTreeSet<(String, String, String)>,
);

fn outcome(site: &Site) -> Outcome {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let mut stories: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for row in site.rows(
        "SELECT x.story_id, a.url FROM article_stories x JOIN articles a ON a.id = x.article_id",
    ) {
        let story = row[0].as_i64().expect("story id");
        stories.entry(story).or_default().insert(text(&row[1]));
    }
    let links: BTreeSet<(String, String, String)> = site
        .rows(
            "SELECT a.url, p.kind, o.url FROM provenance p JOIN articles a ON a.id = p.article_id \
             JOIN articles o ON o.id = p.original_id",
        )
        .iter()
        .map(|r| (text(&r[0]), text(&r[1]), text(&r[2])))
        .collect();
    // Every story row left is one that has articles.
    let empty = site.query_i64(
        "SELECT COUNT(*) FROM stories s WHERE NOT EXISTS \
         (SELECT 1 FROM article_stories x WHERE x.story_id = s.id)",
    );
    assert_eq!(empty, 0, "no story without articles is left");
    (stories.into_values().collect(), links)
}

fn shuffled_arrival_ends_with_the_stories_and_links_of_publication_order(backend: Backend) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("address");
    let origin = rt
        .block_on(Origin::start(sample_corpus(), addr))
        .expect("demo origin");
    let articles = origin.corpus().articles();
    let originals: BTreeSet<String> = articles
        .iter()
        .filter_map(|a| a.copy_of.as_deref().or(a.translation_of.as_deref()))
        .filter_map(|id| id.split('/').next())
        .map(str::to_string)
        .collect();
    let copiers: BTreeSet<String> = articles
        .iter()
        .filter(|a| a.copy_of.is_some() || a.translation_of.is_some())
        .map(|a| a.source.clone())
        .collect();
    assert!(!originals.is_empty(), "the corpus has copies to re-point");
    // Every outlet on SQLite; on PostgreSQL (slower per statement) the outlets that copy and
    // those copied from, which is where arrival order matters.
    let wanted = |slug: &str| {
        backend == Backend::Sqlite || copiers.contains(slug) || originals.contains(slug)
    };
    let article_count = articles.iter().filter(|a| wanted(&a.source)).count();

    let in_one_pass = Site::on(backend, "");
    let one_at_a_time = Site::on(backend, "");
    for s in origin.sources.iter().filter(|s| wanted(&s.slug)) {
        in_one_pass.ok(&["sources", "add", &s.feed_url]);
        one_at_a_time.ok(&["sources", "add", &s.feed_url]);
    }
    in_one_pass.ok(&["fetch"]);

    // Outlets that copy first, outlets copied from last, the others in between in a fixed
    // shuffle: every copy and translation is stored (and placed) before its original.
    let mut order: Vec<(u8, u64, i64, String)> = one_at_a_time
        .sources()
        .iter()
        .map(|s| {
            let id = s["id"].as_i64().expect("source id");
            let url = s["feed_url"].as_str().unwrap_or_default().to_string();
            let slug = origin
                .sources
                .iter()
                .find(|d| url.starts_with(&d.site_url) || d.feed_url == url)
                .map(|d| d.slug.clone())
                .unwrap_or_default();
            let rank = if copiers.contains(&slug) {
                0
            } else if originals.contains(&slug) {
                2
            } else {
                1
            };
            let shuffle = (id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40;
            (rank, shuffle, id, slug)
        })
        .collect();
    order.sort();
    assert_eq!(
        order.len(),
        origin.sources.iter().filter(|s| wanted(&s.slug)).count()
    );
    for (_, _, id, _) in &order {
        one_at_a_time.ok(&["fetch", "--source", &id.to_string()]);
    }

    let (stories_a, links_a) = outcome(&in_one_pass);
    let (stories_b, links_b) = outcome(&one_at_a_time);
    let stored: usize = stories_a.iter().map(BTreeSet::len).sum();
    assert_eq!(stored, article_count, "every article placed");
    assert!(
        links_a.iter().any(|(_, kind, _)| kind == "copy")
            && links_a.iter().any(|(_, kind, _)| kind == "translated_copy"),
        "the corpus's copy and translation are linked: {links_a:?}"
    );
    assert_eq!(links_b, links_a, "the same provenance links");
    assert_eq!(stories_b, stories_a, "the same stories");
    rt.block_on(origin.shutdown());
}

support::on_both_backends!(shuffled_arrival_ends_with_the_stories_and_links_of_publication_order);

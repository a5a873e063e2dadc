//! `newsdesk store copy`: a site filled from the demo's outlets (served on 127.0.0.1) moves
//! from its SQLite file to a throw-away PostgreSQL database, and `serve` on PostgreSQL gives the
//! same pages, story, API answers and search results as on SQLite.

mod support;

use std::collections::BTreeSet;
use std::net::SocketAddr;

use newsdesk_demo::{Origin, sample_corpus};
use support::{Site, http_get, query_i64, serve};

/// The page at `path`. Absolute links name the server's own address: it is replaced by `BASE`
/// (nothing else is normalised: two processes write the same bytes).
fn get(base: &str, path: &str) -> String {
    let (status, body) = http_get(&format!("{base}{path}")).unwrap_or_else(|| panic!("{path}"));
    assert_eq!(status, 200, "{path}: {body}");
    body.replace(base, "BASE")
}

#[test]
fn the_demo_site_copied_to_postgresql_serves_the_same_pages() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("address");
    let origin = rt
        .block_on(Origin::start(sample_corpus(), addr))
        .expect("demo origin");
    let site = Site::new("");
    for s in &origin.sources {
        site.ok(&["sources", "add", &s.feed_url]);
    }
    site.ok(&["fetch"]);
    rt.block_on(origin.shutdown());
    let articles = query_i64(&site.db(), "SELECT COUNT(*) FROM articles");
    assert!(articles >= 20, "the demo's articles are stored: {articles}");
    let copy = query_i64(&site.db(), "SELECT MIN(article_id) FROM provenance");
    let story = query_i64(
        &site.db(),
        &format!("SELECT story_id FROM article_stories WHERE article_id = {copy}"),
    );

    let url = newsdesk_pgtest::fresh_database("store_copy").unwrap_or_else(|e| panic!("{e}"));
    let from = format!("sqlite://{}", site.db().display());
    let out = site.ok(&["store", "copy", "--from", &from, "--to", &url]);
    assert!(out.contains("counts and checksums verified"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("articles ") && l.contains(&format!(" {articles} rows"))),
        "{out}"
    );

    // Again: the target is no longer empty.
    let again = site.run(&["store", "copy", "--from", &from, "--to", &url]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("--force"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // A source that is not there is named, not created.
    let missing = site.run(&[
        "store",
        "copy",
        "--from",
        "sqlite://nowhere.db",
        "--to",
        &url,
    ]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("nowhere.db does not exist"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
    assert!(!site.path().join("nowhere.db").exists());

    // A second site directory whose configuration points at PostgreSQL.
    let pg_site = tempfile::tempdir().expect("tempdir");
    let config = std::fs::read_to_string(site.path().join("newsdesk.toml")).expect("config");
    std::fs::write(
        pg_site.path().join("newsdesk.toml"),
        config.replace(
            "database = \"data/newsdesk.db\"",
            &format!("database = \"data/unused.db\"\nurl = \"{url}\""),
        ),
    )
    .expect("write config");

    // `status` on each: the same rows, fetch and story progress; each names its backend.
    let status = |dir: &std::path::Path| -> serde_json::Value {
        let out = support::run(dir, &["status", "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("status --json")
    };
    let (a, b) = (status(site.path()), status(pg_site.path()));
    assert_eq!(
        (a["backend"].as_str(), b["backend"].as_str()),
        (Some("sqlite"), Some("postgres"))
    );
    for field in [
        "tables",
        "schema_version",
        "last_fetch_at",
        "stories_placed_through",
        "articles_not_placed",
    ] {
        assert_eq!(a[field], b[field], "{field}");
    }
    assert!(a["last_fetch_at"].is_string(), "{a}");
    let text =
        String::from_utf8_lossy(&support::run(pg_site.path(), &["status"]).stdout).into_owned();
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("articles ")
            && l.ends_with(&format!(" {articles} rows"))),
        "{text}"
    );
    assert!(text.contains("(postgres)"), "{text}");

    let (_sqlite_server, on_sqlite) = serve(site.path());
    let (_pg_server, on_pg) = serve(pg_site.path());
    let title: String = {
        let conn = rusqlite::Connection::open(site.db()).expect("open");
        conn.query_row("SELECT title FROM articles WHERE id = ?1", [copy], |r| {
            r.get(0)
        })
        .expect("title")
    };
    let word = title
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.chars().count() >= 5)
        .unwrap_or("harbour")
        .to_owned();
    for path in [
        "/".to_owned(),
        format!("/articles/{copy}"),
        format!("/stories/{story}"),
        "/stories".to_owned(),
        "/sources".to_owned(),
        "/api/v1/articles".to_owned(),
        format!("/api/v1/articles/{copy}"),
        "/feed.atom".to_owned(),
    ] {
        let a = get(&on_sqlite, &path);
        let b = get(&on_pg, &path);
        assert!(
            a == b,
            "{path} differs:\n--- sqlite\n{a}\n--- postgres\n{b}"
        );
    }
    let story_page = get(&on_pg, &format!("/stories/{story}"));
    assert!(
        story_page.contains(&format!("/articles/{copy}")),
        "{story_page}"
    );
    // Search: PostgreSQL stems words in each language (and ranks by its own measure) where
    // SQLite's FTS5 matches words as written, so it may find more, in another order; every
    // article found on SQLite is found on PostgreSQL, the copy among them.
    let found = |base: &str| -> BTreeSet<String> {
        get(base, &format!("/search?q={word}"))
            .lines()
            .filter(|l| l.contains("class=\"card-title\""))
            .filter_map(|l| l.split("href=\"").nth(1))
            .filter_map(|l| l.split('"').next())
            .map(str::to_owned)
            .collect()
    };
    let (on_a, on_b) = (found(&on_sqlite), found(&on_pg));
    assert!(on_a.contains(&format!("/articles/{copy}")), "{on_a:?}");
    assert!(on_a.is_subset(&on_b), "{on_a:?} ⊄ {on_b:?}");
    assert!(!pg_site.path().join("data/unused.db").exists());
}

/// Stories as sets of article URLs, and links as (copy URL, kind, original URL), read with SQL
/// both backends accept.
type Outcome = (
    BTreeSet<BTreeSet<String>>,
    BTreeSet<(String, String, String)>,
);

const STORY_ROWS: &str =
    "SELECT x.story_id, a.url FROM article_stories x JOIN articles a ON a.id = x.article_id";
const LINK_ROWS: &str = "SELECT a.url, p.kind, o.url FROM provenance p \
     JOIN articles a ON a.id = p.article_id JOIN articles o ON o.id = p.original_id";

fn outcome(stories: Vec<(i64, String)>, links: Vec<(String, String, String)>) -> Outcome {
    let mut by_story: std::collections::BTreeMap<i64, BTreeSet<String>> = Default::default();
    for (story, url) in stories {
        by_story.entry(story).or_default().insert(url);
    }
    (
        by_story.into_values().collect(),
        links.into_iter().collect(),
    )
}

/// `fetch` straight into PostgreSQL runs the whole pipeline there (articles, story placement
/// with its saved engine state, provenance) and ends as the same fetch into SQLite does.
#[test]
fn fetching_into_postgresql_places_the_demo_as_sqlite_does() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("address");
    let origin = rt
        .block_on(Origin::start(sample_corpus(), addr))
        .expect("demo origin");
    let url = newsdesk_pgtest::fresh_database("fetch_pg").unwrap_or_else(|e| panic!("{e}"));
    let on_sqlite = Site::new("");
    let on_pg = Site::new("");
    let config = std::fs::read_to_string(on_pg.path().join("newsdesk.toml")).expect("config");
    std::fs::write(
        on_pg.path().join("newsdesk.toml"),
        config.replace(
            "database = \"data/newsdesk.db\"",
            &format!("database = \"data/newsdesk.db\"\nurl = \"{url}\""),
        ),
    )
    .expect("write config");
    on_pg.ok(&["migrate"]);
    for s in &origin.sources {
        on_sqlite.ok(&["sources", "add", &s.feed_url]);
        on_pg.ok(&["sources", "add", &s.feed_url]);
    }
    on_sqlite.ok(&["fetch"]);
    on_pg.ok(&["fetch"]);
    rt.block_on(origin.shutdown());
    // `init` made the SQLite file; nothing went into it.
    assert_eq!(query_i64(&on_pg.db(), "SELECT COUNT(*) FROM articles"), 0);

    let conn = rusqlite::Connection::open(on_sqlite.db()).expect("open");
    let sqlite_stories: Vec<(i64, String)> = conn
        .prepare(STORY_ROWS)
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .expect("stories");
    let sqlite_links: Vec<(String, String, String)> = conn
        .prepare(LINK_ROWS)
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .expect("links");
    let mut pg = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let pg_stories: Vec<(i64, String)> = pg
        .query(STORY_ROWS, &[])
        .expect("stories")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let pg_links: Vec<(String, String, String)> = pg
        .query(LINK_ROWS, &[])
        .expect("links")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let articles = sample_corpus().articles().len();
    assert_eq!(sqlite_stories.len(), articles, "every article placed");
    let (stories_a, links_a) = outcome(sqlite_stories, sqlite_links);
    let (stories_b, links_b) = outcome(pg_stories, pg_links);
    assert!(
        links_a.iter().any(|(_, kind, _)| kind == "copy"),
        "{links_a:?}"
    );
    assert_eq!(links_b, links_a, "the same provenance links");
    assert_eq!(stories_b, stories_a, "the same stories");
    let placed: Option<i64> = pg
        .query_one("SELECT placed_through FROM story_state WHERE id = 1", &[])
        .expect("story state")
        .get(0);
    assert!(placed.is_some_and(|p| p > 0), "the engine's state is saved");
}

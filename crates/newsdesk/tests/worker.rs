//! `newsdesk worker` end to end against a real origin on 127.0.0.1: on SQLite it stores what
//! `newsdesk fetch` stores (the same articles, the same extraction), places them in stories and
//! leaves an empty queue; on PostgreSQL two workers share one database and store every entry
//! once.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::Ordering;

use support::output_text as text;
use support::{Site, query_i64, spawn, start_origin_blocking};

/// The JSON summary a `worker --json` printed.
fn report(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

/// What the articles of a SQLite site hold, in URL order.
fn articles(db: &Path) -> Vec<(String, String, String, Option<String>)> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let mut stmt = conn
        .prepare("SELECT url, title, body_text, language FROM articles ORDER BY url")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

#[test]
fn a_worker_stores_what_fetch_stores_and_leaves_nothing_queued() {
    let (origin, _rt) = start_origin_blocking();
    origin.state.good_entries.store(12, Ordering::SeqCst);
    let feed = origin.url("/good/feed.xml");

    let by_fetch = Site::new("");
    by_fetch.ok(&["sources", "add", "--no-check", &feed]);
    by_fetch.ok(&["fetch"]);

    let by_worker = Site::new("");
    by_worker.ok(&["sources", "add", "--no-check", &feed]);
    let out = by_worker.run(&["worker", "--until-idle", "--json", "--concurrency", "4"]);
    let r = report(&out);
    assert_eq!(r["articles_stored"], 12, "{r}");
    assert_eq!(r["jobs"]["fetch_source"], 1, "{r}");
    assert_eq!(r["jobs"]["fetch_article"], 12, "{r}");
    assert!(r["jobs"]["place_stories"].as_u64() >= Some(1), "{r}");
    assert_eq!(r["failed_tries"], 0, "{r}");

    // The same product: the same articles with the same extracted text.
    let fetched = articles(&by_fetch.db());
    assert_eq!(fetched.len(), 12);
    assert_eq!(articles(&by_worker.db()), fetched);

    // Nothing left on the queue, every article placed in a story, no worker left behind.
    assert_eq!(query_i64(&by_worker.db(), "SELECT COUNT(*) FROM jobs"), 0);
    let status: serde_json::Value =
        serde_json::from_str(&by_worker.ok(&["status", "--json"])).expect("status JSON");
    assert_eq!(status["articles_not_placed"], 0, "{status}");
    assert_eq!(
        query_i64(&by_worker.db(), "SELECT COUNT(*) FROM article_stories"),
        12
    );
    assert_eq!(status["queue"]["workers"].as_array().map(Vec::len), Some(0));
    let kinds = status["queue"]["kinds"].as_array().expect("kinds");
    assert_eq!(kinds.len(), 4, "{status}");

    // The source is scheduled: a second worker finds nothing due and stores nothing.
    let r = report(&by_worker.run(&["worker", "--until-idle", "--json"]));
    assert_eq!(r["articles_stored"], 0, "{r}");
    assert_eq!(r["jobs"]["fetch_source"], 0, "{r}");
    assert_eq!(articles(&by_worker.db()).len(), 12);

    // The human summary and the status's queue section.
    let out = by_worker.ok(&["worker", "--until-idle"]);
    assert!(out.contains("0 articles stored"), "{out}");
    let status = by_worker.ok(&["status"]);
    assert!(status.contains("work queue"), "{status}");
    assert!(status.contains("fetch_article"), "{status}");
}

#[test]
fn worker_flags_are_checked() {
    let site = Site::new("");
    let out = site.run(&["worker", "--concurrency", "0", "--until-idle"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--concurrency must be at least 1"),
        "{}",
        text(&out)
    );
    let out = site.run(&["worker", "--lease-secs", "1", "--until-idle"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("--lease-secs"), "{}", text(&out));
}

#[test]
fn two_workers_on_postgresql_store_every_entry_once() {
    let (origin, _rt) = start_origin_blocking();
    origin.state.good_entries.store(30, Ordering::SeqCst);
    origin.state.page_delay_ms.store(10, Ordering::SeqCst);
    let url = newsdesk_pgtest::fresh_database("two_workers").unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("newsdesk.toml"),
        format!(
            "[storage]\nurl = \"{url}\"\n\n[fetch]\nallow_private_addresses = true\n\
             timeout_secs = 5\nper_host_delay_ms = 0\nmax_connections_per_host = 2\n"
        ),
    )
    .expect("config");
    let newsdesk = |args: &[&str]| spawn(dir.path(), args);
    let done = |args: &[&str]| {
        let out = newsdesk(args).wait_with_output().expect("wait");
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        out
    };
    done(&["migrate"]);
    done(&[
        "sources",
        "add",
        "--no-check",
        &origin.url("/good/feed.xml"),
    ]);
    let a = newsdesk(&[
        "worker",
        "--until-idle",
        "--json",
        "--name",
        "a",
        "--concurrency",
        "3",
    ]);
    let b = newsdesk(&[
        "worker",
        "--until-idle",
        "--json",
        "--name",
        "b",
        "--concurrency",
        "3",
    ]);
    let ra = report(&a.wait_with_output().expect("a"));
    let rb = report(&b.wait_with_output().expect("b"));
    let stored =
        ra["articles_stored"].as_u64().unwrap_or(0) + rb["articles_stored"].as_u64().unwrap_or(0);
    assert_eq!(stored, 30, "{ra} {rb}");
    let pages = ra["jobs"]["fetch_article"].as_u64().unwrap_or(0)
        + rb["jobs"]["fetch_article"].as_u64().unwrap_or(0);
    assert_eq!(pages, 30, "each page job done once: {ra} {rb}");

    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let one = |client: &mut postgres::Client, sql: &str| -> i64 {
        client.query_one(sql, &[]).expect(sql).get(0)
    };
    assert_eq!(one(&mut client, "SELECT COUNT(*) FROM articles"), 30);
    assert_eq!(
        one(&mut client, "SELECT COUNT(DISTINCT url) FROM articles"),
        30
    );
    assert_eq!(one(&mut client, "SELECT COUNT(*) FROM feed_entries"), 30);
    assert_eq!(one(&mut client, "SELECT COUNT(*) FROM jobs"), 0);
    assert_eq!(one(&mut client, "SELECT COUNT(*) FROM article_stories"), 30);
    assert_eq!(one(&mut client, "SELECT COUNT(*) FROM workers"), 0);
    // The origin saw each page once (no job ran twice).
    assert_eq!(origin.state.good_page_requests.load(Ordering::SeqCst), 30);
}

/// A worker stopped by SIGTERM (what service managers send) finishes what it holds, leaves the
/// queue and exits 0; while it runs, `status` lists it as alive.
#[test]
fn sigterm_stops_a_worker_cleanly() {
    let site = Site::new("");
    let mut child = spawn(site.path(), &["worker", "--name", "term-test"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let seen = loop {
        let status: serde_json::Value =
            serde_json::from_str(&site.ok(&["status", "--json"])).expect("status JSON");
        let workers = status["queue"]["workers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if let Some(w) = workers.iter().find(|w| w["id"] == "term-test") {
            break w.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the worker never showed up: {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(seen["alive"], true, "{seen}");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the worker did not stop on SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let out = child.wait_with_output().expect("output");
    assert!(status.success(), "{status:?}: {}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("worker term-test: 0 jobs"),
        "{}",
        text(&out)
    );
    assert_eq!(query_i64(&site.db(), "SELECT COUNT(*) FROM workers"), 0);
}

/// Story placement has one writer: the `place_stories` job, whose lease is the leader lease.
/// A leader that dies holding it (here: a claim that is never extended or finished) blocks no
/// one for longer than its lease: a standby worker takes the job over once it expires and
/// places every article.
#[test]
fn a_standby_worker_takes_over_story_placement_from_a_dead_leader() {
    let (origin, _rt) = start_origin_blocking();
    let site = Site::new("");
    let config = site.path().join("newsdesk.toml");
    let base = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{base}\n[stories]\nenabled = false\n")).expect("config");
    site.ok(&[
        "sources",
        "add",
        "--no-check",
        &origin.url("/good/feed.xml"),
    ]);
    site.ok(&["fetch"]);
    assert_eq!(query_i64(&site.db(), "SELECT COUNT(*) FROM articles"), 3);
    assert_eq!(
        query_i64(&site.db(), "SELECT COUNT(*) FROM article_stories"),
        0
    );
    std::fs::write(&config, base).expect("config");

    // The leader claims the story job and dies.
    let store = newsdesk_store::Store::open(&site.db()).expect("store");
    let now = chrono::Utc::now();
    store
        .enqueue_jobs(
            &[newsdesk_store::NewJob {
                kind: newsdesk_store::JobKind::PlaceStories,
                key: "all".into(),
                payload: "{}".into(),
                host: String::new(),
                not_before: now,
                max_attempts: 5,
            }],
            now,
        )
        .expect("enqueue");
    let held = store
        .claim_job(&newsdesk_store::ClaimRules {
            worker: "dead-leader",
            now,
            lease: std::time::Duration::from_secs(3),
            max_per_host: 1,
            host_delay: std::time::Duration::ZERO,
        })
        .expect("claim")
        .expect("the story job");
    assert_eq!(held.kind, newsdesk_store::JobKind::PlaceStories);
    drop(store);

    let started = std::time::Instant::now();
    let r = report(&site.run(&["worker", "--until-idle", "--json", "--lease-secs", "3"]));
    assert!(r["jobs"]["place_stories"].as_u64() >= Some(1), "{r}");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(2),
        "the standby waited for the leader's lease"
    );
    assert_eq!(
        query_i64(&site.db(), "SELECT COUNT(*) FROM article_stories"),
        3
    );
    assert_eq!(query_i64(&site.db(), "SELECT COUNT(*) FROM jobs"), 0);
}

//! Opening the database: pragmas, migrations, errors, and surviving a killed writer.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use newsdesk_store::{SCHEMA_VERSION, Store, StoreError};
use rusqlite::Connection;

fn pragma_text(path: &std::path::Path, name: &str) -> String {
    let conn = Connection::open(path).expect("raw open");
    conn.pragma_query_value(None, name, |r| r.get(0))
        .expect("pragma")
}

#[test]
fn open_creates_the_file_in_wal_mode_with_the_current_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("news.db");
    let store = Store::open(&path).expect("open");
    assert!(path.is_file());
    assert_eq!(store.path(), path);
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 1) };
    // WAL is persistent in the file: a plain connection sees it too.
    assert_eq!(pragma_text(&path, "journal_mode"), "wal");
    let tables: Vec<String> = {
        let conn = Connection::open(&path).expect("raw open");
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("prepare");
        stmt.query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    };
    for t in [
        "articles",
        "articles_fts",
        "feed_entries",
        "fetch_state",
        "sources",
    ] {
        assert!(
            tables.iter().any(|n| n == t),
            "missing table {t} in {tables:?}"
        );
    }
}

#[test]
fn migrations_run_once_and_reopening_keeps_the_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("news.db");
    let id = {
        let store = Store::open(&path).expect("open");
        common::source(&store, "https://example.org/feed")
    };
    for _ in 0..3 {
        let store = Store::open(&path).expect("reopen");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        let sources = store.list_sources().expect("list");
        assert_eq!(
            sources.len(),
            1,
            "migrations must not run again and wipe data"
        );
        assert_eq!(sources[0].source.id, id);
    }
}

#[test]
fn missing_parent_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("no-such-dir").join("news.db");
    let err = Store::open(&path).expect_err("must fail");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    assert!(msg.starts_with("store: cannot open "), "{msg}");
    assert!(
        msg.contains("news.db") && msg.contains("does not exist"),
        "{msg}"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("junk.db");
    std::fs::write(
        &path,
        b"this is not sqlite, just some text that is long enough....",
    )
    .expect("write");
    let err = Store::open(&path).expect_err("must fail");
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    println!("{err}");
    assert!(err.to_string().contains("junk.db"), "{err}");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("news.db");
    drop(Store::open(&path).expect("open"));
    let conn = Connection::open(&path).expect("raw open");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 7)
        .expect("bump");
    drop(conn);
    let err = Store::open(&path).expect_err("must refuse");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    assert!(
        msg.contains("newer") && msg.contains(&(SCHEMA_VERSION + 7).to_string()),
        "{msg}"
    );
}

#[test]
fn store_dropped_mid_session_reopens_with_its_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("news.db");
    let store = Store::open(&path).expect("open");
    let src = common::source(&store, "https://example.org/feed");
    for i in 0..20 {
        store
            .insert_article(&common::article(src, &i.to_string(), 1_700_000_000 + i))
            .expect("insert");
    }
    // Leak the handle: no connection is closed, no checkpoint runs.
    std::mem::forget(store);
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.count_articles().expect("count"), 20);
    assert_eq!(pragma_text(&path, "integrity_check"), "ok");
}

const CHILD_ENV: &str = "NEWSDESK_STORE_TEST_CHILD_DB";

/// Runs as the child process of the test below: inserts articles until killed (bounded).
fn child_writer(path: &str) {
    let store = Store::open(std::path::Path::new(path)).expect("child open");
    let src = common::source(&store, "https://example.org/feed");
    let start = Instant::now();
    let mut i: i64 = 0;
    while start.elapsed() < Duration::from_secs(60) && i < 1_000_000 {
        let mut a = common::article(src, &i.to_string(), 1_700_000_000 + i);
        a.body_text = "lorem ipsum dolor sit amet ".repeat(40);
        store.insert_article(&a).expect("child insert");
        i += 1;
    }
}

#[test]
fn a_killed_writer_leaves_a_database_that_opens() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child_writer(&path);
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("news.db");
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args([
            "a_killed_writer_leaves_a_database_that_opens",
            "--exact",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn child writer");
    // Wait until the child has committed a good number of articles, then SIGKILL it mid-write.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = 0;
    while Instant::now() < deadline && seen < 300 {
        std::thread::sleep(Duration::from_millis(50));
        if path.exists()
            && let Ok(store) = Store::open(&path)
        {
            seen = store.count_articles().unwrap_or(0);
        }
    }
    child.kill().expect("kill child");
    let status = child.wait().expect("reap child");
    assert!(
        !status.success(),
        "the child must have been killed, not finished"
    );
    assert!(seen >= 300, "child wrote only {seen} articles in 60 s");

    let store = Store::open(&path).expect("reopen after kill");
    assert_eq!(pragma_text(&path, "integrity_check"), "ok");
    let count = store.count_articles().expect("count");
    assert!(count >= seen, "{count} < {seen}");
    // Counter, table, entries and full-text index agree: every insert was all-or-nothing.
    let conn = Connection::open(&path).expect("raw open");
    let q = |sql: &str| -> u64 {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0)).expect(sql);
        u64::try_from(n).expect("count")
    };
    assert_eq!(q("SELECT COUNT(*) FROM articles"), count);
    assert_eq!(
        q("SELECT COUNT(*) FROM feed_entries WHERE article_id IS NOT NULL"),
        count
    );
    assert_eq!(q("SELECT COUNT(*) FROM feed_entries"), count);
    assert_eq!(
        q("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'lorem'"),
        count
    );
    // And it is writable again.
    let src = store.list_sources().expect("sources")[0].source.id;
    let id = store
        .insert_article(&common::article(src, "after-kill", 1_600_000_000))
        .expect("insert after kill");
    assert!(id.is_some());
}

/// Migration 0007 on a database that holds one URL several times (as earlier versions could
/// store it): the first copy stays, the entries of the others point at it, the rest go, and
/// the database refuses new copies.
#[test]
fn migration_0007_keeps_one_article_per_url() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("newsdesk.db");
    // a genuine schema-6 file, built from the released migrations themselves
    let (src, first, url) = {
        let conn = rusqlite::Connection::open(&path).expect("raw open");
        for sql in [
            include_str!("../migrations/0001_init.sql"),
            include_str!("../migrations/0002_schedule.sql"),
            include_str!("../migrations/0003_translations.sql"),
            include_str!("../migrations/0004_stories.sql"),
            include_str!("../migrations/0005_translation_cache.sql"),
            include_str!("../migrations/0006_translation_search.sql"),
        ] {
            conn.execute_batch(sql).expect("old migration");
        }
        conn.pragma_update(None, "user_version", 6)
            .expect("version 6");
        conn.execute(
            "INSERT INTO sources (feed_url, name, created_at) \
             VALUES ('https://a.example/feed', 'A', '2026-01-01T00:00:00Z')",
            [],
        )
        .expect("source");
        let src = conn.last_insert_rowid();
        let url = "https://a.example/story.html".to_string();
        // three copies of one URL, as earlier versions could store them
        let mut first = None;
        for i in 0..3 {
            conn.execute(
                "INSERT INTO feed_entries (source_id, entry_key, first_seen_at) \
                 VALUES (?1, ?2, '2026-01-01T00:00:00Z')",
                rusqlite::params![src, format!("e-{i}")],
            )
            .expect("entry");
            conn.execute(
                "INSERT INTO articles (source_id, entry_key, url, title, fetched_at, sort_at, \
                 body_html, body_text, origin_kind) VALUES (?1, ?2, ?3, 'A story', \
                 '2026-01-01T00:00:00Z', 1700000000, '<p>x</p>', 'x', 'page')",
                rusqlite::params![src, format!("e-{i}"), url],
            )
            .expect("copy");
            let id = conn.last_insert_rowid();
            first.get_or_insert(id);
            conn.execute(
                "UPDATE feed_entries SET article_id = ?3 \
                 WHERE source_id = ?1 AND entry_key = ?2",
                rusqlite::params![src, format!("e-{i}"), id],
            )
            .expect("link");
        }
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM articles WHERE url = ?1",
                [&url],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 3);
        (src, first.expect("first id"), url)
    };
    let store = Store::open(&path).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(store.count_articles().expect("count"), 1);
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    let ids: Vec<Option<i64>> = conn
        .prepare("SELECT article_id FROM feed_entries ORDER BY entry_key")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(ids, vec![Some(first); 3]);
    let dup = conn.execute(
        "INSERT INTO articles (source_id, entry_key, url, title, fetched_at, sort_at, body_html, \
         body_text, origin_kind) VALUES (?1, 'x', ?2, 't', '2026-01-01T00:00:00Z', 0, '', '', 'page')",
        rusqlite::params![src, url],
    );
    assert!(
        dup.is_err(),
        "the database refuses a second article with the same URL"
    );
}

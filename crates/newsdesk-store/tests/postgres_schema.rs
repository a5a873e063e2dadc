//! Opening a PostgreSQL store: migrations in the PostgreSQL dialect, once; a newer schema
//! refused; a node that does not migrate refuses an older one; clear errors.

mod common;

use newsdesk_core::NewSource;
use newsdesk_store::{SCHEMA_VERSION, Store, StoreError};

fn raw(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("raw connection")
}

#[test]
fn migrations_run_once_are_recorded_and_reopening_keeps_the_data() {
    let url = newsdesk_pgtest::fresh_database("migrate_once").unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open_url(&url).expect("open");
    assert!(store.is_postgres());
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    let id = store
        .add_source(&NewSource::new("https://example.org/feed"))
        .expect("add")
        .id;
    drop(store);
    let again = Store::open_url(&url).expect("reopen");
    assert_eq!(
        again.get_source(id).expect("get").expect("kept").source.id,
        id
    );
    let mut c = raw(&url);
    let rows = c
        .query(
            "SELECT version, name FROM schema_migrations ORDER BY version",
            &[],
        )
        .expect("versions");
    assert_eq!(rows.len(), SCHEMA_VERSION as usize);
    let first: String = rows[0].get(1);
    assert_eq!(first, "0001_init");
    // A password never shows in messages.
    assert!(!again.location().contains("secret"));
}

#[test]
fn two_nodes_opening_at_once_migrate_once() {
    let url = newsdesk_pgtest::fresh_database("migrate_race").unwrap_or_else(|e| panic!("{e}"));
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Store::open_url(&url).map(|s| s.schema_version()))
        })
        .collect();
    for h in handles {
        let v = h.join().expect("thread").expect("open").expect("version");
        assert_eq!(v, SCHEMA_VERSION);
    }
    let n: i64 = raw(&url)
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, i64::from(SCHEMA_VERSION));
}

#[test]
fn a_newer_schema_is_refused() {
    let url = newsdesk_pgtest::fresh_database("newer").unwrap_or_else(|e| panic!("{e}"));
    drop(Store::open_url(&url).expect("open"));
    let newer = i64::from(SCHEMA_VERSION + 7);
    raw(&url)
        .execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, 'from_the_future')",
            &[&newer],
        )
        .expect("bump");
    for err in [
        Store::open_url(&url).expect_err("must refuse"),
        Store::open_url_without_migrating(&url).expect_err("must refuse"),
    ] {
        let msg = err.to_string();
        assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
        assert!(
            msg.contains("newer") && msg.contains(&newer.to_string()),
            "{msg}"
        );
    }
}

#[test]
fn a_node_that_does_not_migrate_refuses_an_older_schema() {
    let url = newsdesk_pgtest::fresh_database("older").unwrap_or_else(|e| panic!("{e}"));
    let err = Store::open_url_without_migrating(&url).expect_err("empty database");
    assert!(err.to_string().contains("newsdesk migrate"), "{err}");
    drop(Store::open_url(&url).expect("migrate"));
    let store = Store::open_url_without_migrating(&url).expect("current schema");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
}

#[test]
fn an_unreachable_server_or_a_bad_url_is_a_clear_error() {
    // A port nobody listens on: bind one, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let err = Store::open_url(&format!("postgres://newsdesk:secret@127.0.0.1:{port}/db"))
        .expect_err("nobody listens");
    let msg = err.to_string();
    assert!(msg.contains("cannot connect"), "{msg}");
    assert!(!msg.contains("secret"), "password shown: {msg}");
    let err = Store::open_url("postgres://127.0.0.1:notaport/db").expect_err("bad URL");
    assert!(err.to_string().contains("store: cannot open"), "{err}");
}

#[tokio::test(flavor = "current_thread")]
async fn async_callers_use_the_store_directly_on_a_current_thread_runtime() {
    let url = newsdesk_pgtest::fresh_database("async_ct").unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open_url(&url).expect("open inside a runtime");
    let s = store
        .add_source(&NewSource::new("https://example.org/feed"))
        .expect("add");
    assert_eq!(store.list_sources().expect("list")[0].source.id, s.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_callers_use_the_store_directly_on_a_multi_thread_runtime() {
    let url = newsdesk_pgtest::fresh_database("async_mt").unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open_url(&url).expect("open inside a runtime");
    let s = store
        .add_source(&NewSource::new("https://example.org/feed"))
        .expect("add");
    assert_eq!(store.list_sources().expect("list")[0].source.id, s.id);
}

#[test]
fn the_web_queries_answer_on_postgresql() {
    let url = newsdesk_pgtest::fresh_database("web_queries").unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open_url(&url).expect("open");
    let id = store.installation_id().expect("installation id");
    assert_eq!(id.len(), 32);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(
        Store::open_url(&url)
            .expect("reopen")
            .installation_id()
            .expect("id"),
        id
    );

    let src = common::source(&store, "https://news.example/feed");
    let mut first = common::article(src, "a", 1_700_000_000);
    first.title = "Budget vote".into();
    first.language = Some("en".into());
    let a = store.insert_article(&first).expect("insert").expect("new");
    let mut later = common::article(src, "b", 1_700_000_500);
    later.title = "Budget vote".into();
    later.language = Some("en".into());
    let b = store.insert_article(&later).expect("insert").expect("new");
    for lang in ["fr", "de"] {
        store
            .save_translation(&newsdesk_store::ArticleTranslation {
                article_id: a,
                language: lang.into(),
                source_language: "en".into(),
                status: newsdesk_store::TranslationStatus::Translated,
                title: Some(format!("title in {lang}")),
                lead: None,
                body_text: None,
                route: String::new(),
                backends: vec![],
                machine: true,
                kept_segments: 0,
                note: None,
                translated_at: common::at(1_800_000_000),
            })
            .expect("save translation");
    }
    let langs: Vec<String> = store
        .article_translations(a)
        .expect("translations")
        .into_iter()
        .map(|t| t.language)
        .collect();
    assert_eq!(langs, ["de", "fr"]);

    // Stories are written by the story stage (not on PostgreSQL yet): rows put in directly.
    let mut c = raw(&url);
    c.batch_execute(&format!(
        "INSERT INTO stories (id, title, article_count) VALUES (7, 'Budget vote', 2); \
         INSERT INTO article_stories (article_id, story_id, similarity) VALUES ({b}, 7, 1), ({a}, 7, 1);"
    ))
    .expect("stories");
    let titles = store.story_titles_in(&[7, 8], "en").expect("titles");
    assert_eq!(titles.get(&7).map(String::as_str), Some("Budget vote"));
    assert!(!titles.contains_key(&8));
    assert!(
        store
            .story_titles_in(&[7], "fr")
            .expect("titles")
            .is_empty()
    );
    let from = store.story_title_articles(&[7]).expect("title articles");
    assert_eq!(from[&7].article, a, "the oldest article with the title");
    assert_eq!(from[&7].language.as_deref(), Some("en"));
}

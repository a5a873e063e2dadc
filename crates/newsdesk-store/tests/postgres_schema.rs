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

#[test]
fn an_operation_not_yet_on_postgresql_says_so() {
    let store = common::fresh_postgres("not_yet");
    let err = store
        .max_story_id()
        .expect_err("stories are not on PostgreSQL yet");
    assert!(matches!(err, StoreError::NotOnPostgres(_)), "{err:?}");
    assert!(
        err.to_string().contains("not available on PostgreSQL"),
        "{err}"
    );
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

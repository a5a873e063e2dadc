//! Helpers shared by the integration tests: a fresh store in a temporary directory and
//! article builders.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use newsdesk_core::{ContentOrigin, NewArticle, NewSource, SourceId};
use newsdesk_store::Store;
use tempfile::TempDir;

/// A store in a fresh temporary directory (kept alive by the returned `TempDir`).
pub fn fresh() -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("newsdesk.db")).expect("open store");
    (dir, store)
}

/// Unix seconds → instant.
pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0)
        .single()
        .expect("valid timestamp")
}

/// Adds a source with this feed URL.
pub fn source(store: &Store, feed_url: &str) -> SourceId {
    store
        .add_source(&NewSource::new(feed_url))
        .expect("add source")
        .id
}

/// A plain article of `source` published at `secs`, fetched a day later.
pub fn article(source: SourceId, key: &str, secs: i64) -> NewArticle {
    NewArticle {
        source_id: source,
        entry_key: key.to_owned(),
        url: format!("https://news.example/{source}/{key}"),
        canonical_url: None,
        title: format!("Article {key}"),
        authors: vec!["Ada Lovelace".into()],
        published_at: Some(at(secs)),
        modified_at: None,
        fetched_at: at(secs + 86_400),
        lead_image: None,
        language: Some("en".into()),
        summary: None,
        body_html: format!("<p>Body of {key}</p>"),
        body_text: format!("Body of {key}"),
        tags: vec![],
        origin: ContentOrigin::Page,
    }
}

/// A store on a fresh database of the test binary's throw-away PostgreSQL cluster (see
/// `newsdesk-pgtest`; a missing PostgreSQL fails the test and names the package to install).
pub fn fresh_postgres(name: &str) -> Store {
    let url = newsdesk_pgtest::fresh_database(name).unwrap_or_else(|e| panic!("{e}"));
    Store::open_url(&url).expect("open PostgreSQL store")
}

/// Runs each named test function (`fn name(store: Store)`) twice: `sqlite::name` on a fresh
/// SQLite file and `postgres::name` on a fresh PostgreSQL database.
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    let (_dir, store) = $crate::common::fresh();
                    super::$name(store);
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::common::fresh_postgres(stringify!($name)));
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_both_backends;

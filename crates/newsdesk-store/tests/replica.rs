//! A read replica (`Store::open_url_with_replica`): the site's reads come from the replica,
//! writes and everything writers read stay on the primary.
//!
//! Routing is proved on two databases of the test cluster with the same schema and different
//! rows (a real standby holds the same rows, which would prove nothing about where a read
//! went); a real streaming standby (`pg_basebackup -R`) then shows a write through the store
//! coming back through the replica once replayed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{article, at, source};
use newsdesk_core::{ArticleQuery, FetchState, NewSource};
use newsdesk_store::{
    ArticleTranslation, NewPlacement, SCHEMA_VERSION, Store, StoryOrder, TranslationStatus,
};

/// A migrated database of the shared test cluster holding one source (`https://{name}.example/
/// feed`, id 1) with one article (entry key `name`, id 1) in one story (id 1) titled after it.
fn database_with(name: &str) -> String {
    let url = newsdesk_pgtest::fresh_database(name).unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open_url(&url).unwrap();
    let s = source(&store, &format!("https://{name}.example/feed"));
    let a = store
        .insert_article(&article(s, name, 1_000))
        .unwrap()
        .unwrap();
    assert_eq!((s, a), (1, 1));
    let placement = NewPlacement {
        article: a,
        story: 1,
        similarity: 1.0,
        link: None,
        merged: vec![],
        moved: vec![],
        titles: vec![(1, format!("Story of {name}"))],
    };
    store.record_placements(&[placement], 0, a, b"{}").unwrap();
    url
}

fn translation(article_id: i64, title: &str) -> ArticleTranslation {
    ArticleTranslation {
        article_id,
        language: "fr".into(),
        source_language: "en".into(),
        status: TranslationStatus::Translated,
        title: Some(title.into()),
        lead: None,
        body_text: None,
        route: "en →fr [test]".into(),
        backends: vec!["test".into()],
        machine: true,
        kept_segments: 0,
        note: None,
        translated_at: at(5_000),
    }
}

fn source_names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .list_sources()
        .unwrap()
        .into_iter()
        .map(|s| s.source.feed_url)
        .collect();
    names.sort();
    names
}

#[test]
fn site_reads_come_from_the_replica_and_writes_go_to_the_primary() {
    let primary_url = database_with("primary");
    let replica_url = database_with("replica");
    let store = Store::open_url_with_replica(&primary_url, &replica_url).unwrap();
    let primary = Store::open_url_without_migrating(&primary_url).unwrap();
    let replica = Store::open_url_without_migrating(&replica_url).unwrap();
    assert_eq!(store.location(), primary.location());
    assert_eq!(
        store.replica_location().as_deref(),
        Some(replica.location().as_str())
    );

    // The site's reads: lists, article, search, sources, stories, installation id.
    let page = store.list_articles(&ArticleQuery::default()).unwrap();
    let titles: Vec<&str> = page.items.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Article replica"]);
    assert_eq!(
        store.get_article(1).unwrap().unwrap().data.title,
        "Article replica"
    );
    assert_eq!(store.search("replica", 10).unwrap().len(), 1);
    assert!(store.search("primary", 10).unwrap().is_empty());
    assert_eq!(source_names(&store), ["https://replica.example/feed"]);
    assert_eq!(
        store.get_source(1).unwrap().unwrap().source.feed_url,
        "https://replica.example/feed"
    );
    assert_eq!(
        store.sources_by_ids(&[1]).unwrap()[&1].feed_url,
        "https://replica.example/feed"
    );
    let stories = store.list_stories(StoryOrder::Newest, 1, 10).unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].title, "Story of replica");
    assert_eq!(
        store.get_story(1).unwrap().unwrap().summary.title,
        "Story of replica"
    );
    assert_eq!(
        store.article_story(1).unwrap().unwrap().title,
        "Story of replica"
    );
    assert_eq!(
        store.installation_id().unwrap(),
        replica.installation_id().unwrap()
    );
    assert_ne!(
        store.installation_id().unwrap(),
        primary.installation_id().unwrap()
    );

    // Writes go to the primary, and the replica store's site reads do not see them (this
    // "replica" is a separate database that nothing copies into).
    let added = store
        .add_source(&NewSource::new("https://added.example/feed"))
        .unwrap();
    assert_eq!(
        source_names(&primary),
        ["https://added.example/feed", "https://primary.example/feed"]
    );
    assert_eq!(source_names(&replica), ["https://replica.example/feed"]);
    assert_eq!(source_names(&store), ["https://replica.example/feed"]);
    store
        .save_translation(&translation(1, "Article primaire"))
        .unwrap();
    assert_eq!(
        primary
            .translation(1, "fr")
            .unwrap()
            .unwrap()
            .title
            .as_deref(),
        Some("Article primaire")
    );
    assert!(store.translation(1, "fr").unwrap().is_none());
    assert!(store.article_translations(1).unwrap().is_empty());
    replica
        .save_translation(&translation(1, "Article répliqué"))
        .unwrap();
    assert_eq!(
        store
            .translation(1, "fr")
            .unwrap()
            .unwrap()
            .title
            .as_deref(),
        Some("Article répliqué")
    );

    // What writers read stays on the primary: dedup checks, fetch state, due sources.
    assert!(
        store
            .has_article_url("https://news.example/1/primary")
            .unwrap()
    );
    assert!(
        !store
            .has_article_url("https://news.example/1/replica")
            .unwrap()
    );
    assert!(store.has_entry(1, "primary").unwrap());
    let mut state = FetchState::never(added.id);
    state.etag = Some("\"on-the-primary\"".into());
    store.save_fetch_state(&state).unwrap();
    assert_eq!(
        store.fetch_state(added.id).unwrap().etag.as_deref(),
        Some("\"on-the-primary\"")
    );
    assert!(store.due_sources(at(10_000)).unwrap().contains(&added.id));

    // `primary()` reads everything from the primary: what a read-modify-write starts from.
    let on_primary = store.primary();
    assert_eq!(on_primary.replica_location(), None);
    assert_eq!(
        on_primary.get_source(1).unwrap().unwrap().source.feed_url,
        "https://primary.example/feed"
    );
    let titles: Vec<String> = on_primary
        .list_articles(&ArticleQuery::default())
        .unwrap()
        .items
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(titles, ["Article primary"]);

    // Not a standby: its status says so and measures no lag.
    let status = store.replica_status().unwrap().unwrap();
    assert_eq!(status.location, replica.location());
    assert_eq!(status.schema_version, SCHEMA_VERSION);
    assert!(!status.streaming);
    assert_eq!(status.behind_bytes, None);
    assert!(primary.replica_status().unwrap().is_none());
}

#[test]
fn writes_through_a_replica_backed_store_never_reach_the_replica() {
    let primary_url = database_with("rw_primary");
    let replica_url = database_with("rw_replica");
    let store = Store::open_url_with_replica(&primary_url, &replica_url).unwrap();
    // Many writes through the replica-backed store; the replica database stays as it was.
    let s = store
        .add_source(&NewSource::new("https://more.example/feed"))
        .unwrap();
    store
        .insert_article(&article(s.id, "more", 2_000))
        .unwrap()
        .unwrap();
    let replica = Store::open_url_without_migrating(&replica_url).unwrap();
    assert_eq!(replica.count_articles().unwrap(), 1);
    assert_eq!(source_names(&replica), ["https://rw_replica.example/feed"]);
    let primary = Store::open_url_without_migrating(&primary_url).unwrap();
    assert_eq!(primary.count_articles().unwrap(), 2);
}

#[test]
fn a_replica_with_another_schema_or_on_sqlite_is_refused_clearly() {
    let primary_url = database_with("schema_primary");
    let empty = newsdesk_pgtest::fresh_database("schema_empty").unwrap_or_else(|e| panic!("{e}"));
    let e = Store::open_url_with_replica(&primary_url, &empty)
        .unwrap_err()
        .to_string();
    assert!(e.contains("read replica"), "{e}");
    assert!(e.contains("older than this build"), "{e}");
    assert!(e.contains("migrate the primary"), "{e}");

    let e = Store::open_url_with_replica(&primary_url, "sqlite://elsewhere.db")
        .unwrap_err()
        .to_string();
    assert!(e.contains("must be a PostgreSQL URL"), "{e}");

    let with_password = primary_url.replace("postgres@", "postgres:s3cret@");
    let e = Store::open_url_with_replica(&primary_url, &with_password.replace("/t_", "/nodb_"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("read replica: cannot connect"), "{e}");
    assert!(!e.contains("s3cret"), "{e}");

    let (_dir, sqlite) = common::fresh();
    let e = sqlite.with_replica(&primary_url).unwrap_err().to_string();
    assert!(e.contains("a read replica needs PostgreSQL"), "{e}");
    // Without a replica, `primary()` is the same store.
    assert_eq!(sqlite.primary().location(), sqlite.location());
}

#[test]
fn a_streaming_standby_serves_what_was_written_through_the_primary() {
    let cluster = newsdesk_pgtest::PgCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let primary_url = cluster.create_database("streamed").unwrap();
    let db = primary_url.rsplit('/').next().unwrap().to_owned();
    // The standby starts before the schema exists: the migration reaches it by replay.
    let standby =
        newsdesk_pgtest::PgCluster::start_replica_of(&cluster).unwrap_or_else(|e| panic!("{e}"));
    let writer = Store::open_url(&primary_url).unwrap();
    standby.wait_replayed(&cluster).unwrap();
    let store = Store::open_url_with_replica(&primary_url, &standby.url(&db)).unwrap();

    let s = store
        .add_source(&NewSource::new("https://streamed.example/feed"))
        .unwrap();
    let a = store
        .insert_article(&article(s.id, "streamed", 3_000))
        .unwrap()
        .unwrap();
    standby.wait_replayed(&cluster).unwrap();
    let got = store.get_article(a).unwrap().unwrap();
    assert_eq!(got.data.title, "Article streamed");
    assert_eq!(
        store
            .list_articles(&ArticleQuery::default())
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(store.search("streamed", 10).unwrap().len(), 1);
    assert_eq!(source_names(&store), ["https://streamed.example/feed"]);

    let status = store.replica_status().unwrap().unwrap();
    assert!(status.streaming);
    assert_eq!(status.schema_version, SCHEMA_VERSION);
    assert!(status.behind_bytes.is_some());
    drop(writer);
}

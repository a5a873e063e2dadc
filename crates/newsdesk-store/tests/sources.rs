//! Sources: CRUD, duplicates, default names, fetch state, cascading removal.

mod common;

common::on_both_backends!(
    remove_source_cascades_to_articles_entries_state_and_search,
    add_get_list_and_find_by_feed_url,
    duplicate_feed_url_is_refused_with_the_existing_id,
    update_source_changes_only_given_fields,
    changing_the_feed_url_checks_duplicates_and_forgets_validators,
    fetch_state_round_trips,
    due_sources_are_never_fetched_or_overdue_most_overdue_first,
);

use chrono::Utc;
use newsdesk_core::{FetchState, FetchStatus, NewSource};
use newsdesk_store::{SourceUpdate, Store, StoreError};

fn add_get_list_and_find_by_feed_url(store: Store) {
    let before = Utc::now();
    let lemonde = store
        .add_source(&NewSource {
            feed_url: "https://www.lemonde.fr/rss/une.xml".into(),
            site_url: Some("https://www.lemonde.fr/".into()),
            name: Some("Le Monde".into()),
            language: Some("fr".into()),
            country: Some("FR".into()),
        })
        .expect("add");
    let taz = store
        .add_source(&NewSource::new("https://taz.de/!p4608;rss/"))
        .expect("add");
    assert_ne!(lemonde.id, taz.id);
    assert_eq!(lemonde.name, "Le Monde");
    assert_eq!(lemonde.language.as_deref(), Some("fr"));
    assert_eq!(lemonde.country.as_deref(), Some("FR"));
    assert!(lemonde.created_at >= before && lemonde.created_at <= Utc::now());
    // No name: the feed URL's host.
    assert_eq!(taz.name, "taz.de");
    assert_eq!(taz.site_url, None);

    let got = store.get_source(lemonde.id).expect("get").expect("exists");
    assert_eq!(got.source, lemonde);
    assert_eq!(got.article_count, 0);
    assert_eq!(got.fetch, FetchState::never(lemonde.id));
    assert!(store.get_source(9_999).expect("get").is_none());

    let all = store.list_sources().expect("list");
    let names: Vec<&str> = all.iter().map(|s| s.source.name.as_str()).collect();
    assert_eq!(names, ["Le Monde", "taz.de"]);

    let found = store
        .source_by_feed_url("https://taz.de/!p4608;rss/")
        .expect("find");
    assert_eq!(found, Some(taz));
    assert!(
        store
            .source_by_feed_url("https://nope.example/")
            .expect("find")
            .is_none()
    );
}

fn duplicate_feed_url_is_refused_with_the_existing_id(store: Store) {
    let first = common::source(&store, "https://example.org/feed");
    let err = store
        .add_source(&NewSource {
            name: Some("Other".into()),
            ..NewSource::new("https://example.org/feed")
        })
        .expect_err("duplicate");
    match &err {
        StoreError::DuplicateSource { feed_url, id } => {
            assert_eq!(feed_url, "https://example.org/feed");
            assert_eq!(*id, first);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().starts_with("store: "), "{err}");
    assert_eq!(store.list_sources().expect("list").len(), 1);
}

fn update_source_changes_only_given_fields(store: Store) {
    let id = store
        .add_source(&NewSource {
            language: Some("de".into()),
            site_url: Some("https://site.example/".into()),
            ..NewSource::new("https://site.example/feed")
        })
        .expect("add")
        .id;
    // The pipeline sets the feed's title once it is known.
    let s = store
        .update_source(
            id,
            &SourceUpdate {
                name: Some("Site Example News".into()),
                ..Default::default()
            },
        )
        .expect("update");
    assert_eq!(s.name, "Site Example News");
    assert_eq!(s.language.as_deref(), Some("de"));
    assert_eq!(s.feed_url, "https://site.example/feed");
    // An empty string clears an optional field.
    let s = store
        .update_source(
            id,
            &SourceUpdate {
                site_url: Some(String::new()),
                country: Some("AT".into()),
                ..Default::default()
            },
        )
        .expect("update");
    assert_eq!(s.site_url, None);
    assert_eq!(s.country.as_deref(), Some("AT"));
    assert_eq!(s.name, "Site Example News");
    assert_eq!(
        store.get_source(id).expect("get").expect("exists").source,
        s
    );

    let err = store
        .update_source(424_242, &SourceUpdate::default())
        .expect_err("unknown");
    assert!(matches!(err, StoreError::NoSuchSource(424_242)), "{err:?}");
    assert!(err.to_string().contains("424242"), "{err}");
}

fn changing_the_feed_url_checks_duplicates_and_forgets_validators(store: Store) {
    let a = common::source(&store, "https://a.example/feed");
    let b = common::source(&store, "https://b.example/feed");
    let err = store
        .update_source(
            a,
            &SourceUpdate {
                feed_url: Some("https://b.example/feed".into()),
                ..Default::default()
            },
        )
        .expect_err("taken");
    assert!(
        matches!(err, StoreError::DuplicateSource { id, .. } if id == b),
        "{err:?}"
    );

    let mut state = FetchState::never(a);
    state.etag = Some("\"v1\"".into());
    state.last_modified = Some("Wed, 21 Oct 2015 07:28:00 GMT".into());
    state.last_status = FetchStatus::Ok;
    store.save_fetch_state(&state).expect("save");
    // Setting the same URL is not a change.
    store
        .update_source(
            a,
            &SourceUpdate {
                feed_url: Some("https://a.example/feed".into()),
                ..Default::default()
            },
        )
        .expect("same url");
    assert_eq!(
        store.fetch_state(a).expect("state").etag.as_deref(),
        Some("\"v1\"")
    );
    let s = store
        .update_source(
            a,
            &SourceUpdate {
                feed_url: Some("https://a.example/new-feed".into()),
                ..Default::default()
            },
        )
        .expect("move");
    assert_eq!(s.feed_url, "https://a.example/new-feed");
    let after = store.fetch_state(a).expect("state");
    assert_eq!(after.etag, None);
    assert_eq!(after.last_modified, None);
    assert_eq!(after.last_status, FetchStatus::Ok);
}

fn fetch_state_round_trips(store: Store) {
    let id = common::source(&store, "https://example.org/feed");
    assert_eq!(store.fetch_state(id).expect("state"), FetchState::never(id));
    let err = store.fetch_state(77).expect_err("unknown");
    assert!(matches!(err, StoreError::NoSuchSource(77)), "{err:?}");

    let now = Utc::now();
    let failed = FetchState {
        source_id: id,
        etag: Some("W/\"abc\"".into()),
        last_modified: None,
        last_fetch_at: Some(now),
        last_status: FetchStatus::Failed,
        last_error: Some("fetch: HTTP 503 for https://example.org/feed".into()),
        last_http_status: Some(503),
        consecutive_failures: 3,
        next_fetch_at: Some(now + chrono::Duration::minutes(40)),
    };
    store.save_fetch_state(&failed).expect("save");
    // Nanosecond precision survives.
    assert_eq!(store.fetch_state(id).expect("state"), failed);
    let ok = FetchState {
        last_status: FetchStatus::NotModified,
        last_error: None,
        last_http_status: Some(304),
        consecutive_failures: 0,
        ..failed
    };
    store.save_fetch_state(&ok).expect("save again");
    assert_eq!(store.fetch_state(id).expect("state"), ok);
    assert_eq!(
        store.get_source(id).expect("get").expect("exists").fetch,
        ok
    );

    let err = store
        .save_fetch_state(&FetchState::never(555))
        .expect_err("unknown");
    assert!(matches!(err, StoreError::NoSuchSource(555)), "{err:?}");
}

fn remove_source_cascades_to_articles_entries_state_and_search(store: Store) {
    let gone = common::source(&store, "https://gone.example/feed");
    let kept = common::source(&store, "https://kept.example/feed");
    for i in 0..10 {
        let mut a = common::article(gone, &format!("g{i}"), 1_700_000_000 + i);
        a.body_text = "zebra crossing".into();
        store.insert_article(&a).expect("insert");
        let mut b = common::article(kept, &format!("k{i}"), 1_700_000_000 + i);
        b.body_text = "zebra crossing".into();
        store.insert_article(&b).expect("insert");
    }
    let mut state = FetchState::never(gone);
    state.last_status = FetchStatus::Ok;
    store.save_fetch_state(&state).expect("save");
    assert_eq!(
        store
            .get_source(gone)
            .expect("get")
            .expect("exists")
            .article_count,
        10
    );
    assert_eq!(store.count_articles().expect("count"), 20);

    assert!(store.remove_source(gone).expect("remove"));
    assert!(!store.remove_source(gone).expect("remove again"));
    assert!(store.get_source(gone).expect("get").is_none());
    assert!(matches!(
        store.fetch_state(gone),
        Err(StoreError::NoSuchSource(_))
    ));
    assert!(!store.has_entry(gone, "g1").expect("entry"));
    assert!(
        !store
            .has_article_url("https://news.example/1/g1")
            .expect("url")
    );
    assert_eq!(store.count_articles().expect("count"), 10);
    let hits = store.search("zebra", 100).expect("search");
    assert_eq!(hits.len(), 10);
    assert!(hits.iter().all(|h| h.source_id == kept));
    let page = store.list_articles(&Default::default()).expect("list");
    assert!(page.items.iter().all(|a| a.source_id == kept));
    assert_eq!(
        store
            .get_source(kept)
            .expect("get")
            .expect("exists")
            .article_count,
        10
    );

    // The feed URL is free again.
    let again = common::source(&store, "https://gone.example/feed");
    assert!(!store.has_entry(again, "g1").expect("entry"));
}

fn due_sources_are_never_fetched_or_overdue_most_overdue_first(store: Store) {
    let never = common::source(&store, "https://never.example/feed");
    let later = common::source(&store, "https://later.example/feed");
    let overdue = common::source(&store, "https://overdue.example/feed");
    let just_due = common::source(&store, "https://just-due.example/feed");
    let now = Utc::now();
    for (id, next) in [
        (later, now + chrono::Duration::minutes(5)),
        (overdue, now - chrono::Duration::hours(2)),
        // Same second, fewer nanoseconds: due (fixed-width text compares like time).
        (just_due, now - chrono::Duration::nanoseconds(1)),
    ] {
        store
            .save_fetch_state(&FetchState {
                next_fetch_at: Some(next),
                last_status: FetchStatus::Ok,
                ..FetchState::never(id)
            })
            .expect("save");
    }
    assert_eq!(
        store.due_sources(now).expect("due"),
        [never, overdue, just_due]
    );
    assert_eq!(
        store
            .due_sources(now + chrono::Duration::hours(1))
            .expect("due"),
        [never, overdue, just_due, later]
    );
}

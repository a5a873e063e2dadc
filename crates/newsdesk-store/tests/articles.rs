//! Articles: idempotent inserts, lookups, round trips.

mod common;

common::on_both_backends!(
    insert_then_get_round_trips_every_field,
    insert_is_idempotent_per_source_and_entry_key,
    inserting_for_an_unknown_source_fails_cleanly,
    url_lookup_covers_url_and_canonical_url,
    recorded_entries_count_as_seen_without_an_article,
    batch_insert_is_all_or_nothing,
    future_publication_dates_sort_at_fetch_time,
    article_languages_count_the_stored_articles_by_language,
    one_url_under_fourteen_entries_is_stored_once,
);

use chrono::{TimeZone, Utc};
use newsdesk_core::{ArticleQuery, ContentOrigin, NewArticle};
use newsdesk_store::{Store, StoreError};

fn full_article(source: i64) -> NewArticle {
    NewArticle {
        source_id: source,
        entry_key: "urn:uuid:1234".into(),
        url: "https://www.lemonde.fr/article/2026/01/02/ete.html".into(),
        canonical_url: Some("https://www.lemonde.fr/article/ete.html".into()),
        title: "L'été sera chaud".into(),
        authors: vec!["Jean Dupont".into(), "Anne Müller".into()],
        published_at: Some(
            Utc.with_ymd_and_hms(2026, 1, 2, 8, 30, 0)
                .single()
                .expect("t")
                + chrono::Duration::nanoseconds(123_456_789),
        ),
        modified_at: Some(
            Utc.with_ymd_and_hms(2026, 1, 2, 9, 0, 0)
                .single()
                .expect("t"),
        ),
        fetched_at: Utc
            .with_ymd_and_hms(2026, 1, 2, 10, 0, 0)
            .single()
            .expect("t")
            + chrono::Duration::nanoseconds(5),
        lead_image: Some("https://img.lemonde.fr/ete.jpg".into()),
        language: Some("fr".into()),
        summary: Some("Les prévisions pour l'été.".into()),
        body_html: "<p>Il fera <em>très</em> chaud.</p>".into(),
        body_text: "Il fera très chaud.".into(),
        tags: vec!["Météo".into(), "France".into()],
        origin: ContentOrigin::FeedSummary {
            reason: "the page answered 403".into(),
        },
    }
}

fn insert_then_get_round_trips_every_field(store: Store) {
    let src = store
        .add_source(&newsdesk_core::NewSource {
            name: Some("Le Monde".into()),
            ..newsdesk_core::NewSource::new("https://www.lemonde.fr/rss/une.xml")
        })
        .expect("add")
        .id;
    let a = full_article(src);
    let id = store.insert_article(&a).expect("insert").expect("new");
    let got = store.get_article(id).expect("get").expect("exists");
    assert_eq!(got.id, id);
    assert_eq!(got.source_name, "Le Monde");
    assert_eq!(got.data, a);
    // sort_at is whole seconds of the publication time.
    assert_eq!(got.sort_at.timestamp(), a.sort_at().timestamp());
    assert_eq!(got.sort_at.timestamp_subsec_nanos(), 0);
    assert!(store.get_article(id + 1).expect("get").is_none());

    let page_origin = NewArticle {
        entry_key: "second".into(),
        // one article per URL: another entry needs another page
        url: "https://www.lemonde.fr/article/2026/01/02/ete-2.html".into(),
        origin: ContentOrigin::Page,
        ..a
    };
    let id2 = store
        .insert_article(&page_origin)
        .expect("insert")
        .expect("new");
    assert_eq!(
        store
            .get_article(id2)
            .expect("get")
            .expect("exists")
            .data
            .origin,
        ContentOrigin::Page
    );
}

fn insert_is_idempotent_per_source_and_entry_key(store: Store) {
    let a_src = common::source(&store, "https://a.example/feed");
    let b_src = common::source(&store, "https://b.example/feed");
    let a = common::article(a_src, "entry-1", 1_700_000_000);
    assert!(!store.has_entry(a_src, "entry-1").expect("has"));
    let first = store.insert_article(&a).expect("insert");
    assert!(first.is_some());
    assert!(store.has_entry(a_src, "entry-1").expect("has"));
    // Same key again, even with other content: nothing stored.
    let mut changed = a.clone();
    changed.title = "Changed".into();
    assert_eq!(store.insert_article(&changed).expect("insert again"), None);
    assert_eq!(store.count_articles().expect("count"), 1);
    assert_eq!(
        store
            .get_article(first.expect("id"))
            .expect("get")
            .expect("exists")
            .data
            .title,
        a.title
    );
    // The same key in another source is another entry.
    assert!(!store.has_entry(b_src, "entry-1").expect("has"));
    assert!(
        store
            .insert_article(&common::article(b_src, "entry-1", 1_700_000_000))
            .expect("insert")
            .is_some()
    );
    assert_eq!(store.count_articles().expect("count"), 2);
    assert_eq!(
        store
            .get_source(a_src)
            .expect("get")
            .expect("some")
            .article_count,
        1
    );
    assert_eq!(
        store
            .get_source(b_src)
            .expect("get")
            .expect("some")
            .article_count,
        1
    );
}

fn inserting_for_an_unknown_source_fails_cleanly(store: Store) {
    let err = store
        .insert_article(&common::article(31, "x", 1_700_000_000))
        .expect_err("no source");
    assert!(matches!(err, StoreError::NoSuchSource(31)), "{err:?}");
    assert!(!store.has_entry(31, "x").expect("has"));
    assert_eq!(store.count_articles().expect("count"), 0);
    let err = store.record_entry(31, "x").expect_err("no source");
    assert!(matches!(err, StoreError::NoSuchSource(31)), "{err:?}");
}

fn url_lookup_covers_url_and_canonical_url(store: Store) {
    let src = common::source(&store, "https://www.lemonde.fr/rss/une.xml");
    let a = full_article(src);
    assert!(!store.has_article_url(&a.url).expect("url"));
    store.insert_article(&a).expect("insert");
    assert!(store.has_article_url(&a.url).expect("url"));
    assert!(
        store
            .has_article_url("https://www.lemonde.fr/article/ete.html")
            .expect("canonical")
    );
    assert!(
        !store
            .has_article_url("https://www.lemonde.fr/other")
            .expect("url")
    );
}

fn recorded_entries_count_as_seen_without_an_article(store: Store) {
    let src = common::source(&store, "https://a.example/feed");
    assert!(store.record_entry(src, "syndicated-copy").expect("record"));
    assert!(
        !store
            .record_entry(src, "syndicated-copy")
            .expect("record again")
    );
    assert!(store.has_entry(src, "syndicated-copy").expect("has"));
    assert_eq!(
        store
            .insert_article(&common::article(src, "syndicated-copy", 1_700_000_000))
            .expect("insert"),
        None
    );
    assert_eq!(store.count_articles().expect("count"), 0);
}

fn batch_insert_is_all_or_nothing(store: Store) {
    let src = common::source(&store, "https://a.example/feed");
    let batch: Vec<NewArticle> = (0..50)
        .map(|i| common::article(src, &format!("b{i}"), 1_700_000_000 + i))
        .chain([common::article(src, "b0", 1)])
        .collect();
    let ids = store.insert_articles(&batch).expect("batch");
    assert_eq!(ids.len(), 51);
    assert!(ids[..50].iter().all(Option::is_some));
    assert_eq!(ids[50], None, "duplicate key inside the batch");
    assert_eq!(store.count_articles().expect("count"), 50);

    let bad = vec![
        common::article(src, "c1", 1_700_000_000),
        common::article(999, "c2", 1_700_000_000),
    ];
    assert!(matches!(
        store.insert_articles(&bad),
        Err(StoreError::NoSuchSource(999))
    ));
    assert!(!store.has_entry(src, "c1").expect("has"), "rolled back");
    assert_eq!(store.count_articles().expect("count"), 50);
}

fn future_publication_dates_sort_at_fetch_time(store: Store) {
    let src = common::source(&store, "https://a.example/feed");
    let mut a = common::article(src, "future", 1_700_000_000);
    a.published_at = Some(common::at(4_000_000_000));
    let id = store.insert_article(&a).expect("insert").expect("new");
    let page = store.list_articles(&ArticleQuery::default()).expect("list");
    assert_eq!(page.items[0].id, id);
    assert_eq!(page.items[0].sort_at, a.fetched_at);
    assert_eq!(page.items[0].published_at, a.published_at);
}

fn article_languages_count_the_stored_articles_by_language(store: Store) {
    let src = common::source(&store, "https://a.example/feed");
    assert!(store.article_languages().expect("languages").is_empty());
    for (i, lang) in [Some("de"), Some("fr"), Some("de"), None]
        .iter()
        .enumerate()
    {
        let mut a = common::article(src, &format!("e{i}"), 1_700_000_000 + i as i64);
        a.language = lang.map(str::to_string);
        store.insert_article(&a).expect("insert");
    }
    assert_eq!(
        store.article_languages().expect("languages"),
        [("de".to_string(), 2), ("fr".to_string(), 1)]
    );
}

fn one_url_under_fourteen_entries_is_stored_once(store: Store) {
    let a_src = common::source(&store, "https://a.example/feed");
    let b_src = common::source(&store, "https://b.example/feed");
    let first = common::article(a_src, "guid-0", 1_700_000_000);
    let mut ids = Vec::new();
    for i in 0..14 {
        let src = if i % 2 == 0 { a_src } else { b_src };
        let copy = NewArticle {
            source_id: src,
            entry_key: format!("guid-{i}"),
            title: format!("Copy {i}"),
            ..first.clone()
        };
        ids.push(store.insert_article(&copy).expect("insert"));
    }
    assert!(ids[0].is_some());
    assert!(ids[1..].iter().all(Option::is_none), "{ids:?}");
    assert_eq!(store.count_articles().expect("count"), 1);
    // every entry is recorded, so none of them is fetched again
    for i in 0..14 {
        let src = if i % 2 == 0 { a_src } else { b_src };
        assert!(store.has_entry(src, &format!("guid-{i}")).expect("has"));
    }
    // in one transaction too
    let batch: Vec<NewArticle> = (14..20)
        .map(|i| NewArticle {
            entry_key: format!("guid-{i}"),
            ..first.clone()
        })
        .collect();
    let ids = store.insert_articles(&batch).expect("batch insert");
    assert!(ids.iter().all(Option::is_none));
    assert_eq!(store.count_articles().expect("count"), 1);
    // entries without a link are stored with an empty URL: not concerned
    for i in 0..3 {
        let linkless = NewArticle {
            entry_key: format!("nolink-{i}"),
            url: String::new(),
            ..first.clone()
        };
        assert!(store.insert_article(&linkless).expect("insert").is_some());
    }
}

/// `known_entries` answers for a whole feed at once what `has_entry` answers per key.
#[test]
fn known_entries_match_has_entry_on_both_backends() {
    let check = |store: Store| {
        let src = common::source(&store, "https://one.example/feed");
        let other = common::source(&store, "https://two.example/feed");
        store
            .insert_article(&common::article(src, "stored", 1_700_000_000))
            .expect("insert");
        store.record_entry(src, "recorded").expect("record");
        store.record_entry(other, "elsewhere").expect("record");
        let keys: Vec<String> = ["stored", "recorded", "elsewhere", "new", "with\0nul"]
            .iter()
            .map(|k| (*k).to_string())
            .collect();
        let known = store.known_entries(src, &keys).expect("known");
        for k in &keys {
            assert_eq!(
                known.contains(k),
                store.has_entry(src, k).expect("has"),
                "{k:?}"
            );
        }
        assert_eq!(known.len(), 2, "{known:?}");
        assert!(store.known_entries(src, &[]).expect("empty").is_empty());
    };
    let (_dir, sqlite) = common::fresh();
    check(sqlite);
    check(common::fresh_postgres("known_entries"));
}

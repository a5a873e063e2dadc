//! `copy_store`: a SQLite store moved to PostgreSQL and back reads the same through the store
//! API, verified by counts and checksums; a non-empty target is refused unless forced.

mod common;

use chrono::NaiveDate;
use common::{article, at, source};
use newsdesk_core::{ArticleQuery, CacheKey, FetchState, TranslationCache, TranslationUsage};
use newsdesk_store::{
    ArticleTranslation, COPIED_TABLES, ClaimRules, CopyOptions, CopyProgress, JobKind,
    LinkEvidence, NewJob, NewLink, NewPlacement, Store, StoreError, StoryOrder, TranslationStatus,
    WorkerInfo, copy_store,
};

/// A store with a row in every table.
fn populate(store: &Store) {
    let s1 = source(store, "https://one.example/feed");
    let s2 = source(store, "https://two.example/feed");
    let mut ids = Vec::new();
    for (i, src) in [s1, s2, s1, s2].into_iter().enumerate() {
        let mut a = article(src, &format!("k{i}"), 1_700_000_000 + i as i64 * 60);
        a.body_text = format!("Harbour strike day {i}: the dockworkers walked out.");
        a.title = format!("Strike at the harbour {i} – été");
        ids.push(store.insert_article(&a).expect("insert").expect("new"));
    }
    store.record_entry(s1, "seen-only").expect("entry");
    store
        .save_fetch_state(&FetchState {
            last_fetch_at: Some(at(1_700_000_500)),
            consecutive_failures: 1,
            ..FetchState::never(s2)
        })
        .expect("fetch state");
    store
        .save_translation(&ArticleTranslation {
            article_id: ids[0],
            language: "fr".into(),
            source_language: "en".into(),
            status: TranslationStatus::Translated,
            title: Some("Grève au port".into()),
            lead: Some("Les dockers".into()),
            body_text: None,
            route: "en →fr [apertium]".into(),
            backends: vec!["apertium".into()],
            machine: true,
            kept_segments: 1,
            note: None,
            translated_at: at(1_800_000_000),
        })
        .expect("translation");
    let place = |article: i64, story: i64, link: Option<NewLink>| NewPlacement {
        article,
        story,
        similarity: 0.37,
        link,
        merged: vec![],
        moved: vec![],
        titles: vec![(story, format!("Story {story}"))],
    };
    let link = NewLink {
        kind: "copy".into(),
        original: ids[0],
        matched: ids[0],
        confidence: 0.93,
        evidence: vec![LinkEvidence {
            signal: "shared_text".into(),
            detail: "the dockworkers walked out".into(),
        }],
    };
    store
        .record_placements(
            &[
                place(ids[0], 1, None),
                place(ids[1], 1, Some(link)),
                place(ids[2], 2, None),
            ],
            0,
            ids[2],
            &[0, 1, 2, 255, 7],
        )
        .expect("placements");
    let key = CacheKey {
        backend: "apertium".into(),
        from: "en".into(),
        to: "fr".into(),
        hash: "h1".into(),
    };
    store.put(&key, "Grève").expect("cache");
    store
        .add_usage(
            "apertium",
            NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
            TranslationUsage {
                chars: 12,
                calls: 1,
                ..TranslationUsage::default()
            },
        )
        .expect("usage");
    // the work queue: a waiting job, a running one (its host's politeness row), a worker
    let now = at(1_800_000_000);
    let job = |kind, key: &str, host: &str| NewJob {
        kind,
        key: key.to_owned(),
        payload: format!("{{\"k\":\"{key}\"}}"),
        host: host.to_owned(),
        not_before: now,
        max_attempts: 5,
    };
    store
        .enqueue_jobs(
            &[
                job(JobKind::FetchSource, "1", "one.example"),
                job(JobKind::PlaceStories, "all", ""),
            ],
            now,
        )
        .expect("enqueue");
    let rules = ClaimRules {
        worker: "w1",
        now,
        lease: std::time::Duration::from_secs(60),
        max_per_host: 1,
        host_delay: std::time::Duration::from_secs(1),
    };
    store.claim_job(&rules).expect("claim").expect("a job");
    store
        .worker_heartbeat(
            &WorkerInfo {
                id: "w1".into(),
                hostname: "node-1".into(),
                pid: 42,
                started_at: now,
                jobs_done: 3,
            },
            now,
        )
        .expect("heartbeat");
}

/// What the site and the API read, as text.
fn reading(store: &Store) -> String {
    let articles = store.list_articles(&ArticleQuery::default()).expect("list");
    let first = articles.items.last().expect("an article").id;
    let sources: Vec<(String, u64)> = store
        .list_sources()
        .expect("sources")
        .into_iter()
        .map(|s| (s.source.name, s.article_count))
        .collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        articles,
        store.get_article(first).expect("get"),
        sources,
        store.search("harbour", 10).expect("search"),
        store
            .search_edition("grève", "fr", 10)
            .expect("edition search"),
        store
            .list_stories(StoryOrder::Biggest, 1, 10)
            .expect("stories"),
        store.get_story(1).expect("story"),
        store.article_copies(first).expect("copies"),
        store.story_state().expect("state"),
        store.translation(first, "fr").expect("translation"),
        store.usage(None).expect("usage"),
        store.installation_id().expect("installation"),
    )
}

#[test]
fn a_sqlite_store_moves_to_postgresql_and_back_and_reads_the_same() {
    let (_dir, sqlite) = common::fresh();
    populate(&sqlite);
    let pg = common::fresh_postgres("copy_there");
    let mut seen = Vec::new();
    let report = copy_store(&sqlite, &pg, CopyOptions::default(), &mut |p| {
        if let CopyProgress::Copying { table, done, total } = p {
            seen.push((table.to_owned(), done, total));
        }
    })
    .expect("copy");
    assert_eq!(report.tables.len(), COPIED_TABLES.len(), "{report:?}");
    let rows = |t: &str| {
        report
            .tables
            .iter()
            .find(|x| x.table == t)
            .map(|x| x.rows)
            .expect("table")
    };
    assert_eq!(rows("articles"), 4);
    assert_eq!(rows("feed_entries"), 5);
    assert_eq!(rows("provenance"), 1);
    assert_eq!(rows("installation"), 1);
    assert!(seen.contains(&("articles".to_owned(), 4, 4)), "{seen:?}");
    assert_eq!(reading(&pg), reading(&sqlite));
    assert_eq!(
        pg.get_cached(),
        sqlite.get_cached(),
        "the translation cache too"
    );

    // New rows on PostgreSQL take ids after the copied ones.
    let s3 = source(&pg, "https://three.example/feed");
    assert_eq!(s3, 3);
    let next = pg
        .insert_article(&article(s3, "new", 1_700_100_000))
        .expect("insert")
        .expect("new");
    assert_eq!(next, 5);

    // And back into a fresh SQLite file: the same again (with the new rows).
    let dir = tempfile::tempdir().expect("tempdir");
    let back = Store::open(&dir.path().join("back.db")).expect("open");
    let again = copy_store(&pg, &back, CopyOptions::default(), &mut |_| {}).expect("copy back");
    assert_eq!(
        again.rows(),
        report.rows() + 3,
        "a source, an article, an entry"
    );
    assert_eq!(reading(&back), reading(&pg));
    assert_eq!(back.search("harbour", 10).expect("fts rebuilt").len(), 4);
}

#[test]
fn a_target_with_data_is_refused_unless_forced() {
    let (_dir, sqlite) = common::fresh();
    populate(&sqlite);
    let pg = common::fresh_postgres("copy_force");
    source(&pg, "https://already.example/feed");
    let err = copy_store(&sqlite, &pg, CopyOptions::default(), &mut |_| {}).expect_err("not empty");
    assert!(matches!(err, StoreError::Copy(_)), "{err:?}");
    assert!(err.to_string().contains("--force"), "{err}");
    assert_eq!(pg.list_sources().expect("sources").len(), 1, "untouched");

    copy_store(&sqlite, &pg, CopyOptions { force: true }, &mut |_| {}).expect("forced");
    assert_eq!(reading(&pg), reading(&sqlite));

    let same = copy_store(&sqlite, &sqlite, CopyOptions { force: true }, &mut |_| {});
    assert!(same.is_err(), "a store onto itself");
}

trait CachedOne {
    fn get_cached(&self) -> Option<String>;
}

impl CachedOne for Store {
    fn get_cached(&self) -> Option<String> {
        self.get(&CacheKey {
            backend: "apertium".into(),
            from: "en".into(),
            to: "fr".into(),
            hash: "h1".into(),
        })
        .expect("cache get")
    }
}

#[test]
fn status_counts_the_same_on_both_backends() {
    let (_dir, sqlite) = common::fresh();
    populate(&sqlite);
    let pg = common::fresh_postgres("status");
    copy_store(&sqlite, &pg, CopyOptions::default(), &mut |_| {}).expect("copy");
    let (a, b) = (
        sqlite.status().expect("status"),
        pg.status().expect("status"),
    );
    assert_eq!((a.backend, b.backend), ("sqlite", "postgres"));
    assert_eq!(a.tables, b.tables);
    assert_eq!(a.schema_version, b.schema_version);
    let articles = a
        .tables
        .iter()
        .find(|(t, _)| t == "articles")
        .expect("articles");
    assert_eq!(articles.1, 4);
    // `populate` records one failed fetch; three of the four articles are placed.
    for s in [&a, &b] {
        assert_eq!(s.last_fetch_at, Some(at(1_700_000_500)));
        assert_eq!(s.sources_never_fetched, 1);
        assert_eq!((s.sources_failing, s.sources_paused), (1, 0));
        assert_eq!(s.stories_placed_through, Some(3));
        assert_eq!(s.newest_article, Some(4));
        assert_eq!(s.articles_not_placed, 1);
    }
}

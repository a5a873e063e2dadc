//! Stories and provenance links: placements, merges and moves, the saved engine state, and the
//! read models for pages and the API.

#![allow(clippy::unwrap_used)] // test bodies run as plain functions on both backends

mod common;

common::on_both_backends!(
    placements_links_merges_and_state_round_trip,
    deleting_a_source_updates_its_stories_counts,
    placements_for_deleted_articles_are_skipped,
    a_pass_undoes_the_provisional_placements_of_the_last_one,
    a_streamed_snapshot_reads_back_and_a_wrong_size_records_nothing,
);

use common::{article, at, source};
use newsdesk_store::{LinkEvidence, NewLink, NewPlacement, Store, StoryOrder, StoryPass};

fn placement(article: i64, story: i64, title: &str) -> NewPlacement {
    NewPlacement {
        article,
        story,
        similarity: 0.5,
        link: None,
        merged: vec![],
        moved: vec![],
        titles: vec![(story, title.to_owned())],
    }
}

fn placements_links_merges_and_state_round_trip(store: Store) {
    assert!(store.story_state().unwrap().is_none());
    let s1 = source(&store, "https://one.example/feed");
    let s2 = source(&store, "https://two.example/feed");
    let a = store
        .insert_article(&article(s1, "a", 1_000))
        .unwrap()
        .unwrap();
    let b = store
        .insert_article(&article(s2, "b", 8_200))
        .unwrap()
        .unwrap();
    let c = store
        .insert_article(&article(s2, "c", 9_000))
        .unwrap()
        .unwrap();

    let mut pb = placement(b, 1, "Strike at the docks");
    pb.link = Some(NewLink {
        kind: "copy".into(),
        original: a,
        matched: a,
        confidence: 0.93,
        evidence: vec![LinkEvidence {
            signal: "shared_text".into(),
            detail: "\"the dockworkers walked out\"".into(),
        }],
    });
    store
        .record_placements(
            &[placement(a, 1, "Strike"), pb, placement(c, 2, "Other")],
            0,
            c,
            b"{\"state\":1}",
        )
        .unwrap();

    let state = store.story_state().unwrap().unwrap();
    assert_eq!(state.placed_through, c);
    assert_eq!(store.story_placed_through().unwrap(), Some(c));
    assert_eq!(state.snapshot, b"{\"state\":1}");

    let story = store.get_story(1).unwrap().unwrap();
    assert_eq!(story.summary.title, "Strike at the docks");
    assert_eq!(story.summary.article_count, 2);
    assert_eq!(story.summary.outlet_count, 2);
    assert_eq!(story.summary.first_at.unwrap().timestamp(), 1_000);
    assert_eq!(story.summary.last_at.unwrap().timestamp(), 8_200);
    let ids: Vec<i64> = story.articles.iter().map(|x| x.id).collect();
    assert_eq!(ids, vec![a, b], "oldest first");
    assert_eq!(story.articles[1].link_kind.as_deref(), Some("copy"));
    assert_eq!(story.articles[1].original, Some(a));

    let link = store.article_provenance(b).unwrap().unwrap();
    assert_eq!(link.kind, "copy");
    assert_eq!(link.original, a);
    assert_eq!(link.original_source, "one.example");
    assert_eq!((link.article_at - link.original_at).num_seconds(), 7_200);
    assert_eq!(link.evidence[0].signal, "shared_text");
    assert!((link.confidence - 0.93).abs() < 1e-6);
    assert!(store.article_provenance(a).unwrap().is_none());
    assert_eq!(store.article_copies(a).unwrap()[0].article, b);
    assert_eq!(store.article_story(c).unwrap().unwrap().id, 2);
    assert_eq!(store.article_story_id(c).unwrap(), Some(2));

    let biggest = store.list_stories(StoryOrder::Biggest, 1, 10).unwrap();
    assert_eq!(biggest.iter().map(|s| s.id).collect::<Vec<_>>(), vec![1, 2]);
    let newest = store.list_stories(StoryOrder::Newest, 1, 10).unwrap();
    assert_eq!(newest.iter().map(|s| s.id).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(
        store
            .list_stories(StoryOrder::Biggest, 2, 10)
            .unwrap()
            .len(),
        1
    );

    // A new article merges story 2 into story 1: story 2 is gone, its article moved.
    let d = store
        .insert_article(&article(s1, "d", 9_500))
        .unwrap()
        .unwrap();
    let mut pd = placement(d, 1, "Strike spreads");
    pd.merged = vec![(2, 1)];
    store.record_placements(&[pd], c, d, b"{}").unwrap();
    assert!(store.get_story(2).unwrap().is_none());
    let story = store.get_story(1).unwrap().unwrap();
    assert_eq!(story.summary.article_count, 4);
    assert_eq!(story.summary.title, "Strike spreads");
    assert_eq!(store.article_story(c).unwrap().unwrap().id, 1);

    // A split moves one article out to a new story.
    let e = store
        .insert_article(&article(s2, "e", 9_900))
        .unwrap()
        .unwrap();
    let mut pe = placement(e, 3, "Separate event");
    pe.moved = vec![(c, 3)];
    pe.titles.push((1, "Strike spreads".into()));
    store.record_placements(&[pe], d, e, b"{}").unwrap();
    assert_eq!(
        store.get_story(1).unwrap().unwrap().summary.article_count,
        3
    );
    assert_eq!(
        store.get_story(3).unwrap().unwrap().summary.article_count,
        2
    );

    // A process that read the state before the last save records nothing.
    let err = store
        .record_placements(&[placement(e, 9, "Stale")], d, e, b"{}")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("placed through article {e}, expected {d}")),
        "{err}"
    );
    assert!(store.get_story(9).unwrap().is_none());

    let inputs = store.story_inputs_after(c, 10).unwrap();
    assert_eq!(inputs.iter().map(|i| i.id).collect::<Vec<_>>(), vec![d, e]);
    assert_eq!(inputs[0].language.as_deref(), Some("en"));
    assert_eq!(inputs[0].body_text, "Body of d");
}

fn deleting_a_source_updates_its_stories_counts(store: Store) {
    let s1 = source(&store, "https://one.example/feed");
    let s2 = source(&store, "https://two.example/feed");
    let a = store
        .insert_article(&article(s1, "a", 1_000))
        .unwrap()
        .unwrap();
    let b = store
        .insert_article(&article(s2, "b", 2_000))
        .unwrap()
        .unwrap();
    let mut pb = placement(b, 1, "Strike");
    pb.link = Some(NewLink {
        kind: "copy".into(),
        original: a,
        matched: a,
        confidence: 1.0,
        evidence: vec![],
    });
    store
        .record_placements(&[placement(a, 1, "Strike"), pb], 0, b, b"{}")
        .unwrap();
    assert_eq!(
        store.get_story(1).unwrap().unwrap().summary.article_count,
        2
    );
    store.remove_source(s1).unwrap();
    let story = store.get_story(1).unwrap().unwrap();
    assert_eq!(story.summary.article_count, 1);
    assert_eq!(story.articles.len(), 1);
    assert!(
        store.article_provenance(b).unwrap().is_none(),
        "link gone with its original"
    );
}

fn placements_for_deleted_articles_are_skipped(store: Store) {
    let s1 = source(&store, "https://one.example/feed");
    let a = store
        .insert_article(&article(s1, "a", 1_000))
        .unwrap()
        .unwrap();
    store.remove_source(s1).unwrap();
    store
        .record_placements(&[placement(a, 1, "Gone")], 0, a, b"{}")
        .unwrap();
    assert!(store.article_story(a).unwrap().is_none());
    assert!(
        store.get_story(1).unwrap().is_none(),
        "a story left without articles is not kept"
    );
    assert_eq!(store.story_state().unwrap().unwrap().placed_through, a);
}

fn a_pass_undoes_the_provisional_placements_of_the_last_one(store: Store) {
    let s1 = source(&store, "https://one.example/feed");
    let ids: Vec<i64> = [1_000, 2_000, 3_000]
        .iter()
        .enumerate()
        .map(|(i, secs)| {
            store
                .insert_article(&article(s1, &format!("k{i}"), *secs))
                .unwrap()
                .unwrap()
        })
        .collect();
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    assert_eq!(store.max_article_id().unwrap(), Some(c));
    assert_eq!(store.latest_article_clock().unwrap(), Some(3_000));
    assert_eq!(store.latest_clock_through(b).unwrap(), Some(2_000));
    assert_eq!(store.earliest_clock_after(a).unwrap(), Some(2_000));
    // Every article was fetched a day after its clock (see `common::article`).
    assert_eq!(
        store
            .earliest_clock_fetched_since(at(2_000 + 86_400))
            .unwrap(),
        Some(2_000)
    );
    assert_eq!(
        store.earliest_clock_fetched_since(at(10_000_000)).unwrap(),
        None
    );
    assert!(store.story_progress().unwrap().is_none());

    // a settled in story 1; b and c provisional, b moving a to story 2 for now.
    let mut pb = placement(b, 2, "Provisional");
    pb.moved = vec![(a, 2)];
    let provisional = [pb, placement(c, 2, "Provisional")];
    let settled = [placement(a, 1, "Settled")];
    let pass = StoryPass {
        settled: &settled,
        provisional: &provisional,
        previous: 0,
        placed_through: c,
        settled_before: Some(2_000),
        snapshot_len: 3,
    };
    store
        .record_story_pass(&pass, &|_| None, |out| out.write_all(b"one"))
        .unwrap();
    assert_eq!(store.story_progress().unwrap(), Some((c, Some(2_000))));
    assert_eq!(store.article_story_id(a).unwrap(), Some(2));
    assert!(store.get_story(1).unwrap().is_none(), "emptied for now");
    assert_eq!(store.max_story_id().unwrap(), Some(2));
    let unsettled = store
        .story_inputs_unsettled(c, Some(2_000), None, (i64::MIN, 0), 10)
        .unwrap();
    assert_eq!(
        unsettled.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![b, c]
    );
    assert_eq!(unsettled[0].clock, 2_000);
    assert_eq!(unsettled[0].published_at, Some(at(2_000)));
    let below = store
        .story_inputs_unsettled(c, Some(2_000), Some(3_000), (2_000, b), 10)
        .unwrap();
    assert!(below.is_empty(), "after the key and below the bound: none");

    // More provisional placements on top of that save; a stale one is refused.
    store
        .record_provisional(&[placement(c, 3, "Late")], c)
        .unwrap();
    assert_eq!(store.article_story_id(c).unwrap(), Some(3));
    assert!(store.record_provisional(&[], a).is_err());

    // The next pass puts a back in story 1 (titled by `title_of`) and drops b's and c's rows.
    let pass = StoryPass {
        settled: &[],
        provisional: &[],
        previous: c,
        placed_through: c,
        settled_before: Some(2_000),
        snapshot_len: 3,
    };
    let title_of = |story: i64| (story == 1).then(|| "Back again".to_owned());
    store
        .record_story_pass(&pass, &title_of, |out| out.write_all(b"two"))
        .unwrap();
    let one = store.get_story(1).unwrap().unwrap();
    assert_eq!(one.summary.title, "Back again");
    assert_eq!(one.summary.article_count, 1);
    assert_eq!(store.article_story_id(b).unwrap(), None);
    assert!(store.get_story(2).unwrap().is_none());
    assert!(store.get_story(3).unwrap().is_none());
    assert_eq!(store.story_state().unwrap().unwrap().snapshot, b"two");
}

fn a_streamed_snapshot_reads_back_and_a_wrong_size_records_nothing(store: Store) {
    // Several megabytes, written in small pieces.
    let snapshot: Vec<u8> = (0..3 * 1024 * 1024 + 17).map(|i| (i % 251) as u8).collect();
    store
        .record_placements_streamed(&[], 0, 7, snapshot.len() as u64, |out| {
            snapshot.chunks(1000).try_for_each(|c| out.write_all(c))
        })
        .unwrap();
    let (through, bytes) = store
        .story_state_with(|through, r| {
            let mut bytes = Vec::new();
            r.read_to_end(&mut bytes).map(|_| (through, bytes))
        })
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(through, 7);
    assert!(bytes == snapshot, "the snapshot reads back byte for byte");

    let err = store
        .record_placements_streamed(&[], 7, 9, 10, |out| out.write_all(b"short"))
        .unwrap_err();
    assert!(err.to_string().contains("announced as 10"), "{err}");
    assert!(
        store
            .record_placements_streamed(&[], 7, 9, 3, |out| out.write_all(b"longer"))
            .is_err()
    );
    assert_eq!(store.story_placed_through().unwrap(), Some(7));
    assert!(store.story_state().unwrap().unwrap().snapshot == snapshot);
}

/// On PostgreSQL an id is handed out when an article row is inserted, so with several workers
/// a lower id can commit after a higher one. `max_article_id` (the story stage's watermark)
/// waits for the inserts in flight, so no uncommitted id is ever below it.
#[test]
fn max_article_id_waits_for_article_inserts_in_flight_on_postgres() {
    let url = newsdesk_pgtest::fresh_database("max_id_waits").unwrap_or_else(|e| panic!("{e}"));
    let store = newsdesk_store::Store::open_url(&url).expect("open");
    let src = common::source(&store, "https://one.example/feed");
    store
        .insert_article(&common::article(src, "a", 1_700_000_000))
        .expect("insert");
    // An insert in flight: the lock article inserts hold until they commit.
    let mut other = ::postgres::Client::connect(&url, ::postgres::NoTls).expect("connect");
    let mut tx = other.transaction().expect("begin");
    tx.execute(
        "SELECT pg_advisory_xact_lock_shared($1)",
        &[&newsdesk_store::ARTICLE_INSERT_LOCK],
    )
    .expect("lock");
    let (sent, got) = std::sync::mpsc::channel();
    let reader = store.clone();
    let handle = std::thread::spawn(move || {
        let max = reader.max_article_id().expect("max id");
        sent.send(max).expect("send");
    });
    assert!(
        got.recv_timeout(std::time::Duration::from_millis(400))
            .is_err(),
        "max_article_id answered while an insert was in flight"
    );
    tx.commit().expect("commit");
    let max = got
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("answered once the insert committed");
    handle.join().expect("thread");
    assert!(max.is_some());
}

//! Text with NUL characters (U+0000), as hostile feeds and pages send it, is stored on both
//! backends. PostgreSQL's `text` cannot hold NUL (SQLite's can): a NUL used to fail the whole
//! statement there, and with it every article of the batch. On PostgreSQL the NUL characters are
//! dropped; everything else is stored as on SQLite.

mod common;

common::on_both_backends!(
    articles_with_nul_characters_are_stored_with_the_rest_of_their_batch,
    sources_fetch_states_and_translations_with_nul_characters_are_stored,
);

use chrono::Utc;
use common::{article, source};
use newsdesk_core::{
    CacheKey, ContentOrigin, FetchState, FetchStatus, NewSource, TranslationCache,
};
use newsdesk_store::{ArticleTranslation, SourceUpdate, Store, TranslationStatus};

/// `s` as a reader sees it: without NUL characters.
fn shown(s: &str) -> String {
    s.replace('\0', "")
}

fn articles_with_nul_characters_are_stored_with_the_rest_of_their_batch(store: Store) {
    let src = source(&store, "https://nul.example/feed");
    let mut sneaky = article(src, "entry\0one", 1_700_000_000);
    sneaky.url = "https://nul.example/a\0b".into();
    sneaky.canonical_url = Some("https://nul.example/canon\0ical".into());
    sneaky.title = "Sneaky \0 control \u{1b} characters".into();
    sneaky.summary = Some("Lead\0 text".into());
    sneaky.body_html = "<p>Body\0 here</p>".into();
    sneaky.body_text = "Body\0 here".into();
    sneaky.language = Some("en\0".into());
    sneaky.origin = ContentOrigin::FeedSummary {
        reason: "page \0 gone".into(),
    };
    let plain = article(src, "two", 1_700_000_100);
    let ids = store
        .insert_articles(&[sneaky, plain])
        .expect("a NUL character does not fail the batch");
    assert!(ids.iter().all(Option::is_some), "both stored: {ids:?}");
    let got = store
        .get_article(ids[0].expect("id"))
        .expect("get")
        .expect("stored")
        .data;
    assert_eq!(shown(&got.title), "Sneaky  control \u{1b} characters");
    assert_eq!(shown(&got.body_text), "Body here");
    assert_eq!(shown(&got.body_html), "<p>Body here</p>");
    assert_eq!(
        got.summary.as_deref().map(shown).as_deref(),
        Some("Lead text")
    );
    assert_eq!(shown(&got.url), "https://nul.example/ab");
    assert_eq!(got.origin.note().map(shown).as_deref(), Some("page  gone"));
    // Lookups with the same text find it, and never fail.
    assert!(store.has_entry(src, "entry\0one").expect("has_entry"));
    assert!(
        store
            .has_article_url("https://nul.example/a\0b")
            .expect("url")
    );
    assert!(
        store
            .has_article_url("https://nul.example/canon\0ical")
            .expect("canonical url")
    );
    assert!(!store.has_entry(src, "\0").expect("has_entry of a NUL"));
    // The same entry again is recognised as already stored.
    let mut again = article(src, "entry\0one", 1_700_000_000);
    again.url = "https://nul.example/a\0b".into();
    assert_eq!(store.insert_articles(&[again]).expect("again"), vec![None]);
    assert_eq!(store.count_articles().expect("count"), 2);
}

fn sources_fetch_states_and_translations_with_nul_characters_are_stored(store: Store) {
    let added = store
        .add_source(&NewSource {
            feed_url: "https://nul.example/rss\0".into(),
            site_url: Some("https://nul.example/\0".into()),
            name: Some("Evil\0 News".into()),
            language: Some("en".into()),
            country: Some("G\0B".into()),
        })
        .expect("a source named with a NUL is added");
    assert_eq!(shown(&added.name), "Evil News");
    let found = store
        .source_by_feed_url("https://nul.example/rss\0")
        .expect("lookup")
        .expect("found by the same URL");
    assert_eq!(found.id, added.id);
    let updated = store
        .update_source(
            added.id,
            &SourceUpdate {
                name: Some("Renamed\0".into()),
                ..SourceUpdate::default()
            },
        )
        .expect("renamed with a NUL");
    assert_eq!(shown(&updated.name), "Renamed");

    let mut state = FetchState::never(added.id);
    state.last_status = FetchStatus::Failed;
    state.last_error = Some("server said \0 no".into());
    state.etag = Some("\"e\0tag\"".into());
    state.last_fetch_at = Some(Utc::now());
    store
        .save_fetch_state(&state)
        .expect("an error message with a NUL is saved");
    let saved = store.fetch_state(added.id).expect("fetch state");
    assert_eq!(
        saved.last_error.as_deref().map(shown).as_deref(),
        Some("server said  no")
    );

    let id = store
        .insert_articles(&[article(added.id, "t", 1_700_000_000)])
        .expect("insert")[0]
        .expect("id");
    store
        .save_translation(&ArticleTranslation {
            article_id: id,
            language: "fr".into(),
            source_language: "en".into(),
            status: TranslationStatus::Translated,
            title: Some("Titre\0 traduit".into()),
            lead: Some("Cha\0peau".into()),
            body_text: Some("Corps\0".into()),
            route: "en →fr [test]".into(),
            backends: vec!["test".into()],
            machine: true,
            kept_segments: 0,
            note: None,
            translated_at: Utc::now(),
        })
        .expect("a translation with a NUL is saved");
    let t = store
        .translation(id, "fr")
        .expect("translation")
        .expect("saved");
    assert_eq!(
        t.title.as_deref().map(shown).as_deref(),
        Some("Titre traduit")
    );
    assert_eq!(t.body_text.as_deref().map(shown).as_deref(), Some("Corps"));

    let key = CacheKey {
        backend: "test".into(),
        from: "en".into(),
        to: "fr".into(),
        hash: "abc".into(),
    };
    store
        .put(&key, "segment\0 traduit")
        .expect("a cached segment with a NUL is kept");
    assert_eq!(
        store
            .get(&key)
            .expect("cache")
            .as_deref()
            .map(shown)
            .as_deref(),
        Some("segment traduit")
    );
}

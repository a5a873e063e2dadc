//! Article translations: stored beside the original, listed by what is still untranslated,
//! removed with their article.

#![allow(clippy::unwrap_used)] // test bodies run as plain functions on both backends

mod common;

common::on_both_backends!(
    a_translation_is_kept_beside_the_original_and_replaced_on_save,
    untranslated_rows_carry_their_reason_and_vanish_with_the_article,
    an_edition_search_finds_articles_by_the_words_of_their_translation,
    the_translation_cache_hits_misses_and_counts_usage,
);

use chrono::NaiveDate;
use common::{article, at, source};
use newsdesk_core::{CacheKey, TranslationCache, TranslationUsage};
use newsdesk_store::{ArticleTranslation, Store, TranslationStatus};

fn translated(id: i64, title: &str) -> ArticleTranslation {
    ArticleTranslation {
        article_id: id,
        language: "fr".into(),
        source_language: "en".into(),
        status: TranslationStatus::Translated,
        title: Some(title.into()),
        lead: Some("Un chapeau".into()),
        body_text: None,
        route: "en →es [apertium] →fr [apertium]".into(),
        backends: vec!["apertium".into()],
        machine: true,
        kept_segments: 0,
        note: None,
        translated_at: at(1_800_000_000),
    }
}

fn a_translation_is_kept_beside_the_original_and_replaced_on_save(store: Store) {
    let src = source(&store, "https://news.example/feed.xml");
    let id = store
        .insert_article(&article(src, "a", 1_700_000_000))
        .unwrap()
        .unwrap();
    assert_eq!(
        store.untranslated_articles("fr", 10).unwrap(),
        vec![(id, "en".to_string())]
    );
    assert!(
        store.untranslated_articles("en", 10).unwrap().is_empty(),
        "same language"
    );

    store
        .save_translation(&translated(id, "Article a (fr)"))
        .unwrap();
    let got = store.translation(id, "fr").unwrap().unwrap();
    assert_eq!(got, translated(id, "Article a (fr)"));
    assert_eq!(
        store.get_article(id).unwrap().unwrap().data.title,
        "Article a",
        "original kept"
    );
    assert!(store.untranslated_articles("fr", 10).unwrap().is_empty());
    assert!(store.translation(id, "es").unwrap().is_none());

    let mut with_body = translated(id, "Article a (fr)");
    with_body.body_text = Some("Corps".into());
    store.save_translation(&with_body).unwrap();
    assert_eq!(
        store
            .translation(id, "fr")
            .unwrap()
            .unwrap()
            .body_text
            .as_deref(),
        Some("Corps")
    );
    let many = store.translations(&[id, id + 100], "fr").unwrap();
    assert_eq!(many.len(), 1);
    assert_eq!(many[&id].title.as_deref(), Some("Article a (fr)"));
}

fn untranslated_rows_carry_their_reason_and_vanish_with_the_article(store: Store) {
    let src = source(&store, "https://news.example/feed.xml");
    let mut de = article(src, "b", 1_700_000_000);
    de.language = Some("de".into());
    let id = store.insert_article(&de).unwrap().unwrap();
    let row = ArticleTranslation {
        status: TranslationStatus::Untranslated,
        title: None,
        lead: None,
        route: String::new(),
        backends: vec![],
        source_language: "de".into(),
        note: Some("no route from de to fr".into()),
        ..translated(id, "")
    };
    store.save_translation(&row).unwrap();
    let got = store.translation(id, "fr").unwrap().unwrap();
    assert_eq!(got.status, TranslationStatus::Untranslated);
    assert_eq!(got.note.as_deref(), Some("no route from de to fr"));
    assert!(store.remove_source(src).unwrap());
    assert!(store.translation(id, "fr").unwrap().is_none());
}

fn an_edition_search_finds_articles_by_the_words_of_their_translation(store: Store) {
    let src = source(&store, "https://news.example/feed.xml");
    let weather = source(&store, "https://weather.example/feed.xml");
    let mut a = article(weather, "heat", 1_700_000_000);
    a.title = "Heatwave grips the south".into();
    a.body_text = "Temperatures passed forty degrees in Seville.".into();
    let heat = store.insert_article(&a).unwrap().unwrap();
    let mut b = article(src, "vote", 1_700_000_100);
    b.title = "Parliament votes on the budget".into();
    b.body_text = "The vote is expected on Thursday.".into();
    let vote = store.insert_article(&b).unwrap().unwrap();
    let search = |q: &str, lang: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = store
            .search_edition(q, lang, 0)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        ids.sort_unstable();
        ids
    };

    // The title's translation, then (replacing it, as on first view) the body's.
    let mut t = translated(heat, "La canicule s'installe dans le sud");
    store.save_translation(&t).unwrap();
    assert_eq!(search("canicule", "fr"), [heat]);
    assert_eq!(
        search("chapeau", "fr"),
        [heat],
        "the lead until the body is there"
    );
    assert!(search("canicule", "de").is_empty(), "another edition");
    assert!(
        store.search("canicule", 0).unwrap().is_empty(),
        "originals only"
    );
    t.body_text = Some("Les températures ont dépassé quarante degrés à Séville.".into());
    store.save_translation(&t).unwrap();
    assert_eq!(
        search("temperatures quarante", "fr"),
        [heat],
        "accents folded"
    );
    assert!(
        search("chapeau", "fr").is_empty(),
        "the replaced text is gone"
    );
    // Originals match in every edition; an article matching both ways comes once.
    assert_eq!(search("vote", "fr"), [vote]);
    assert_eq!(search("seville", "fr"), [heat]);
    // Untranslated rows are not searchable; removing the article removes its translation.
    let mut u = translated(vote, "Le parlement vote le budget");
    u.status = TranslationStatus::Untranslated;
    store.save_translation(&u).unwrap();
    assert!(search("parlement", "fr").is_empty());
    assert!(store.remove_source(weather).unwrap());
    assert!(search("canicule", "fr").is_empty());
    // Query syntax stays text.
    assert!(search("\"canicule NEAR(", "fr").is_empty());
}

fn key(backend: &str, hash: &str) -> CacheKey {
    CacheKey {
        backend: backend.into(),
        from: "en".into(),
        to: "es".into(),
        hash: hash.into(),
    }
}

/// Through the trait object the translator holds.
fn the_translation_cache_hits_misses_and_counts_usage(store: Store) {
    let cache: &dyn TranslationCache = &store;
    assert_eq!(cache.get(&key("apertium", "h1")).unwrap(), None, "miss");
    cache.put(&key("apertium", "h1"), "Hola.").unwrap();
    cache.put(&key("apertium", "h1"), "Hola!").unwrap();
    assert_eq!(
        cache.get(&key("apertium", "h1")).unwrap().as_deref(),
        Some("Hola!"),
        "hit, the newer translation"
    );
    assert_eq!(cache.get(&key("deepl", "h1")).unwrap(), None, "by backend");
    assert_eq!(cache.get(&key("apertium", "h2")).unwrap(), None, "by hash");
    let other_pair = CacheKey {
        to: "fr".into(),
        ..key("apertium", "h1")
    };
    assert_eq!(cache.get(&other_pair).unwrap(), None, "by pair");
    assert_eq!(store.cached_translation_count().unwrap(), 1);

    let d1 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let d2 = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let u = TranslationUsage {
        chars: 10,
        calls: 1,
        cache_hits: 2,
        unknown_words: 1,
        ..TranslationUsage::default()
    };
    cache.add_usage("apertium", d1, u).unwrap();
    cache.add_usage("apertium", d1, u).unwrap();
    cache.add_usage("apertium", d2, u).unwrap();
    cache.add_usage("deepl", d2, u).unwrap();
    assert_eq!(cache.usage(Some(d1)).unwrap()["apertium"].chars, 20);
    assert!(!cache.usage(Some(d1)).unwrap().contains_key("deepl"));
    let all = cache.usage(None).unwrap();
    assert_eq!(all["apertium"].calls, 3);
    assert_eq!(all["apertium"].cache_hits, 6);
    assert_eq!(all["apertium"].unknown_words, 3);
    assert_eq!(all["deepl"].chars, 10);
    assert!(cache.usage(d1.pred_opt()).unwrap().is_empty());
}

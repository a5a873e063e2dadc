//! Article translations: stored beside the original, listed by what is still untranslated,
//! removed with their article.

mod common;

use common::{article, at, fresh, source};
use newsdesk_store::{ArticleTranslation, TranslationStatus};

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

#[test]
fn a_translation_is_kept_beside_the_original_and_replaced_on_save() {
    let (_dir, store) = fresh();
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

#[test]
fn untranslated_rows_carry_their_reason_and_vanish_with_the_article() {
    let (_dir, store) = fresh();
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

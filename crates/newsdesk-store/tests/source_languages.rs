//! Migration 0011 carries a source's single language over into its list of languages.

use newsdesk_store::Store;

#[test]
fn migration_0011_keeps_the_old_single_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("newsdesk.db");
    {
        // a genuine schema-10 file, built from the released migrations themselves
        let conn = rusqlite::Connection::open(&path).expect("raw open");
        for sql in [
            include_str!("../migrations/0001_init.sql"),
            include_str!("../migrations/0002_schedule.sql"),
            include_str!("../migrations/0003_translations.sql"),
            include_str!("../migrations/0004_stories.sql"),
            include_str!("../migrations/0005_translation_cache.sql"),
            include_str!("../migrations/0006_translation_search.sql"),
            include_str!("../migrations/0007_unique_article_url.sql"),
            include_str!("../migrations/0008_source_profiles.sql"),
            include_str!("../migrations/0009_story_replacement.sql"),
            include_str!("../migrations/0010_installation.sql"),
        ] {
            conn.execute_batch(sql).expect("old migration");
        }
        conn.pragma_update(None, "user_version", 10)
            .expect("version 10");
        for (feed, lang) in [
            ("https://a.example/feed", Some("fr")),
            ("https://b.example/feed", None),
        ] {
            conn.execute(
                "INSERT INTO sources (feed_url, name, language, created_at) \
                 VALUES (?1, 'A', ?2, '2026-01-01T00:00:00Z')",
                rusqlite::params![feed, lang],
            )
            .expect("source");
        }
    }
    let store = Store::open(&path).expect("migrate");
    let sources = store.list_sources().expect("list");
    let by_feed = |f: &str| {
        sources
            .iter()
            .find(|s| s.source.feed_url == f)
            .expect("source")
            .source
            .clone()
    };
    assert_eq!(by_feed("https://a.example/feed").languages, ["fr"]);
    assert!(by_feed("https://b.example/feed").languages.is_empty());
}

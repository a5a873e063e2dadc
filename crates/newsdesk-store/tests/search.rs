//! Full-text search: French and German text, accents, hostile query strings.

mod common;

common::on_both_backends!(
    finds_french_and_german_words_with_or_without_accents,
    hostile_queries_never_error_or_panic,
    limit_is_clamped_and_results_are_ranked,
);

use newsdesk_store::Store;

fn seeded(store: &Store) -> Vec<i64> {
    let src = common::source(store, "https://multi.example/feed");
    let texts = [
        (
            "fr",
            "La canicule de l'été",
            "Les températures dépassent quarante degrés à Marseille.",
        ),
        (
            "de",
            "Straßenbahn in Köln",
            "Die Bürgerinnen und Bürger fahren über die Brücke.",
        ),
        (
            "en",
            "Elections ahead",
            "Voters head to the polls near the river.",
        ),
        (
            "fr",
            "Élections municipales",
            "Le maire de Lyon présente son programme.",
        ),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, (lang, title, body))| {
            let mut a = common::article(src, &format!("s{i}"), 1_767_225_600 + i as i64);
            a.language = Some((*lang).into());
            a.title = (*title).into();
            a.body_text = (*body).into();
            store.insert_article(&a).expect("insert").expect("new")
        })
        .collect()
}

fn hit_ids(store: &Store, q: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = store
        .search(q, 0)
        .unwrap_or_else(|e| panic!("search {q:?} failed: {e}"))
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort_unstable();
    ids
}

fn finds_french_and_german_words_with_or_without_accents(store: Store) {
    let ids = seeded(&store);
    assert_eq!(hit_ids(&store, "températures"), [ids[0]]);
    assert_eq!(hit_ids(&store, "temperatures"), [ids[0]]);
    assert_eq!(hit_ids(&store, "été"), [ids[0]]);
    assert_eq!(hit_ids(&store, "Bürger"), [ids[1]]);
    assert_eq!(hit_ids(&store, "burger brucke"), [ids[1]]);
    assert_eq!(hit_ids(&store, "Straßenbahn"), [ids[1]]);
    assert_eq!(hit_ids(&store, "KÖLN"), [ids[1]]);
    // Title and body are both searched; all words must match.
    assert_eq!(hit_ids(&store, "elections"), [ids[2], ids[3]]);
    assert_eq!(hit_ids(&store, "élections lyon"), [ids[3]]);
    assert!(hit_ids(&store, "elections berlin").is_empty());
    // Prefix search.
    assert_eq!(hit_ids(&store, "municip*"), [ids[3]]);
    let hits = store.search("marseille", 10).expect("search");
    assert_eq!(hits[0].title, "La canicule de l'été");
    assert_eq!(hits[0].source_name, "multi.example");
    assert_eq!(hits[0].language.as_deref(), Some("fr"));
    assert!(
        hits[0]
            .lead
            .as_deref()
            .is_some_and(|l| l.contains("Marseille"))
    );
}

fn hostile_queries_never_error_or_panic(store: Store) {
    let ids = seeded(&store);
    for q in [
        "\"",
        "\"\"",
        "*",
        "**",
        "NEAR(",
        "NEAR(a b",
        "-",
        "- -",
        "+",
        "(",
        ")",
        "^",
        ":",
        "title:",
        "AND",
        "OR NOT",
        "a OR",
        "\"unclosed",
        "x\"y",
        "'",
        "{",
        "}",
        "col:word",
        "NOT",
        "\u{0}",
        "a\u{0}b",
        "été\u{0}*",
        "x\u{1b}\u{7f}y",
        "ä*",
        "*é",
        "",
        "   ",
        "😀",
        "a\"b\"c",
        "\"été\"",
        "'; DROP TABLE articles; --",
    ] {
        let r = store.search(q, 20);
        assert!(r.is_ok(), "{q:?}: {r:?}");
    }
    // Operators are plain words: "near" matches the English body, quotes are ignored.
    assert_eq!(hit_ids(&store, "NEAR("), [ids[2]]);
    assert_eq!(hit_ids(&store, "\"été\""), [ids[0]]);
    // A control character (NUL included) separates words like a space.
    assert_eq!(hit_ids(&store, "\u{0}été\u{0}"), [ids[0]]);
    assert_eq!(hit_ids(&store, "-marseille"), [ids[0]]);
    assert!(hit_ids(&store, "*").is_empty());
    assert_eq!(store.count_articles().expect("still there"), 4);
}

fn limit_is_clamped_and_results_are_ranked(store: Store) {
    let src = common::source(&store, "https://a.example/feed");
    for i in 0..300 {
        let mut a = common::article(src, &i.to_string(), 1_767_225_600 + i);
        a.body_text = if i == 7 {
            "solar solar solar solar eclipse".into()
        } else {
            format!("solar panel report number {i} with many other words around it")
        };
        store.insert_article(&a).expect("insert");
    }
    assert_eq!(store.search("solar", 0).expect("search").len(), 50);
    assert_eq!(store.search("solar", 5).expect("search").len(), 5);
    assert_eq!(store.search("solar", 10_000).expect("search").len(), 200);
    assert_eq!(
        store.search("solar", 3).expect("search")[0].title,
        "Article 7"
    );
}

/// PostgreSQL matches languages written without spaces by substring (trigram index); SQLite's
/// tokenizer sees a whole run of CJK characters as one word.
#[test]
fn postgres_finds_words_inside_chinese_and_japanese_text() {
    let store = common::fresh_postgres("cjk");
    let src = common::source(&store, "https://cjk.example/feed");
    let mut ids = Vec::new();
    for (i, (lang, title, body)) in [
        (
            "zh",
            "全球气候变化会议开幕",
            "各国代表在会议上讨论减排目标。",
        ),
        (
            "ja",
            "東京で新しい地下鉄路線が開業",
            "多くの乗客が初日に新線を利用した。",
        ),
        (
            "en",
            "Climate talks open",
            "Delegates discuss emission targets.",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut a = common::article(src, &format!("c{i}"), 1_767_225_600 + i as i64);
        a.language = Some(lang.into());
        a.title = title.into();
        a.body_text = body.into();
        ids.push(store.insert_article(&a).expect("insert").expect("new"));
    }
    assert_eq!(hit_ids(&store, "气候变化"), [ids[0]]);
    assert_eq!(hit_ids(&store, "减排 会议"), [ids[0]]);
    assert_eq!(hit_ids(&store, "地下鉄"), [ids[1]]);
    assert_eq!(hit_ids(&store, "emission"), [ids[2]]);
    assert!(hit_ids(&store, "地震").is_empty());
    // LIKE's own wildcards are plain text.
    assert!(hit_ids(&store, "%").is_empty());
    assert!(hit_ids(&store, "_会_").is_empty());
}

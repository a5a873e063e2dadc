//! Newest-first keyset pagination, filters, leads, query plans.

mod common;

common::on_both_backends!(
    pagination_walks_every_article_exactly_once_in_order,
    exactly_one_full_page_has_no_next_cursor,
    filters_select_exactly_the_matching_articles,
    cursor_beyond_the_end_or_before_the_start_gives_an_empty_page,
    summaries_carry_source_name_authors_and_a_short_lead,
);

use std::collections::HashSet;

use newsdesk_core::{ArticleQuery, Cursor, NewArticle};
use newsdesk_store::{LEAD_CHARS, Store};

const BASE: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

/// 1,000 articles over two sources and three languages, with heavy ties on `sort_at`
/// (ten articles per second).
fn thousand(store: &Store) -> (i64, i64) {
    let a = common::source(store, "https://a.example/feed");
    let b = common::source(store, "https://b.example/feed");
    let batch: Vec<NewArticle> = (0..1000)
        .map(|i| {
            let src = if i % 3 == 0 { b } else { a };
            let mut art = common::article(src, &format!("e{i}"), BASE + i / 10);
            art.language = match i % 4 {
                0 => Some("fr".into()),
                1 => Some("de".into()),
                2 => Some("en".into()),
                _ => None,
            };
            art
        })
        .collect();
    store.insert_articles(&batch).expect("insert");
    (a, b)
}

/// Walks every page of `q`, checking order and page sizes; returns the ids in order.
fn walk(store: &Store, mut q: ArticleQuery) -> Vec<(i64, i64)> {
    let limit = q.effective_limit() as usize;
    let mut seen = Vec::new();
    for _ in 0..10_000 {
        let page = store.list_articles(&q).expect("page");
        assert!(page.items.len() <= limit);
        seen.extend(page.items.iter().map(|a| (a.sort_at.timestamp(), a.id)));
        match page.next {
            Some(next) => {
                assert_eq!(
                    page.items.len(),
                    limit,
                    "only full pages have a next cursor"
                );
                let last = page.items.last().expect("non-empty page");
                assert_eq!(
                    next,
                    Cursor {
                        sort_at: last.sort_at,
                        id: last.id
                    }
                );
                q.before = Some(next);
            }
            None => return seen,
        }
    }
    panic!("pagination did not end");
}

fn assert_strictly_newest_first(seen: &[(i64, i64)]) {
    for w in seen.windows(2) {
        assert!(w[0] > w[1], "order broken at {w:?}");
    }
}

fn pagination_walks_every_article_exactly_once_in_order(store: Store) {
    thousand(&store);
    for limit in [1, 7, 10, 50, 200, 1000] {
        let seen = walk(
            &store,
            ArticleQuery {
                limit,
                ..Default::default()
            },
        );
        assert_eq!(seen.len(), 1000, "limit {limit}");
        let ids: HashSet<i64> = seen.iter().map(|s| s.1).collect();
        assert_eq!(ids.len(), 1000, "limit {limit}: duplicates");
        assert_strictly_newest_first(&seen);
    }
    // Default page size is 50; the cursor round-trips through its URL form.
    let page = store.list_articles(&ArticleQuery::default()).expect("page");
    assert_eq!(page.items.len(), 50);
    let next = page.next.expect("more");
    let decoded = Cursor::decode(&next.encode()).expect("decode");
    let again = store
        .list_articles(&ArticleQuery {
            before: Some(decoded),
            ..Default::default()
        })
        .expect("page 2");
    assert!(again.items[0].id != page.items[49].id);
    assert!(
        (again.items[0].sort_at, again.items[0].id) < (page.items[49].sort_at, page.items[49].id)
    );
}

fn exactly_one_full_page_has_no_next_cursor(store: Store) {
    let src = common::source(&store, "https://a.example/feed");
    for i in 0..10 {
        store
            .insert_article(&common::article(src, &i.to_string(), BASE + i))
            .expect("insert");
    }
    let page = store
        .list_articles(&ArticleQuery {
            limit: 10,
            ..Default::default()
        })
        .expect("page");
    assert_eq!(page.items.len(), 10);
    assert_eq!(page.next, None);
    let page = store
        .list_articles(&ArticleQuery {
            limit: 9,
            ..Default::default()
        })
        .expect("page");
    assert!(page.next.is_some());
}

fn filters_select_exactly_the_matching_articles(store: Store) {
    let (a, b) = thousand(&store);
    let all = walk(
        &store,
        ArticleQuery {
            limit: 200,
            ..Default::default()
        },
    );
    let by_id = |id: i64| store.get_article(id).expect("get").expect("exists");

    let only_b = walk(
        &store,
        ArticleQuery {
            source: Some(b),
            limit: 33,
            ..Default::default()
        },
    );
    assert_eq!(only_b.len(), 334);
    assert_strictly_newest_first(&only_b);
    assert!(only_b.iter().all(|(_, id)| by_id(*id).data.source_id == b));
    let only_a = walk(
        &store,
        ArticleQuery {
            source: Some(a),
            limit: 200,
            ..Default::default()
        },
    );
    assert_eq!(only_a.len(), 666);

    let fr = walk(
        &store,
        ArticleQuery {
            lang: Some("fr".into()),
            limit: 40,
            ..Default::default()
        },
    );
    assert_eq!(fr.len(), 250);
    assert!(
        fr.iter()
            .all(|(_, id)| by_id(*id).data.language.as_deref() == Some("fr"))
    );
    let fr_b = walk(
        &store,
        ArticleQuery {
            lang: Some("fr".into()),
            source: Some(b),
            limit: 40,
            ..Default::default()
        },
    );
    // i % 4 == 0 and i % 3 == 0 ⇔ i % 12 == 0: 84 of 0..1000.
    assert_eq!(fr_b.len(), 84);
    let none = walk(
        &store,
        ArticleQuery {
            lang: Some("xx".into()),
            ..Default::default()
        },
    );
    assert!(none.is_empty());

    // since is inclusive, until exclusive: seconds 10..20 hold articles 100..200.
    let since = common::at(BASE + 10);
    let until = common::at(BASE + 20);
    let window = walk(
        &store,
        ArticleQuery {
            since: Some(since),
            until: Some(until),
            limit: 30,
            ..Default::default()
        },
    );
    assert_eq!(window.len(), 100);
    assert!(
        window
            .iter()
            .all(|(t, _)| (BASE + 10..BASE + 20).contains(t))
    );
    let expected: Vec<_> = all
        .iter()
        .copied()
        .filter(|(t, _)| (BASE + 10..BASE + 20).contains(t))
        .collect();
    assert_eq!(window, expected);
    let newer = walk(
        &store,
        ArticleQuery {
            since: Some(common::at(BASE + 95)),
            ..Default::default()
        },
    );
    assert_eq!(newer.len(), 50);
    let older = walk(
        &store,
        ArticleQuery {
            until: Some(common::at(BASE + 5)),
            ..Default::default()
        },
    );
    assert_eq!(older.len(), 50);
    // A sub-second bound: since 10.5 s excludes second 10, until 20.5 s includes second 20.
    let half = chrono::Duration::milliseconds(500);
    let window = walk(
        &store,
        ArticleQuery {
            since: Some(since + half),
            until: Some(until + half),
            ..Default::default()
        },
    );
    assert_eq!(window.len(), 100);
    assert!(
        window
            .iter()
            .all(|(t, _)| (BASE + 11..=BASE + 20).contains(t))
    );
}

fn cursor_beyond_the_end_or_before_the_start_gives_an_empty_page(store: Store) {
    thousand(&store);
    let page = store
        .list_articles(&ArticleQuery {
            before: Some(Cursor {
                sort_at: common::at(BASE - 1),
                id: i64::MAX,
            }),
            ..Default::default()
        })
        .expect("page");
    assert!(page.items.is_empty());
    assert_eq!(page.next, None);
    let page = store
        .list_articles(&ArticleQuery {
            before: Some(Cursor {
                sort_at: common::at(BASE),
                id: 0,
            }),
            ..Default::default()
        })
        .expect("page");
    assert!(page.items.is_empty());
    // A cursor from the future starts at the newest article.
    let page = store
        .list_articles(&ArticleQuery {
            before: Some(Cursor {
                sort_at: common::at(BASE + 10_000),
                id: 1,
            }),
            limit: 5,
            ..Default::default()
        })
        .expect("page");
    assert_eq!(page.items.len(), 5);
    assert_eq!(page.items[0].sort_at, common::at(BASE + 99));
}

fn summaries_carry_source_name_authors_and_a_short_lead(store: Store) {
    let src = store
        .add_source(&newsdesk_core::NewSource {
            name: Some("Die Zeit".into()),
            ..newsdesk_core::NewSource::new("https://zeit.example/feed")
        })
        .expect("add")
        .id;
    let mut long = common::article(src, "long", BASE);
    long.body_text = "Überraschung für Köln. ".repeat(60);
    let mut summarised = common::article(src, "summary", BASE + 1);
    summarised.summary = Some("Eine kurze Zusammenfassung.".into());
    summarised.body_text = "Ganz anderer Text.".into();
    let mut empty = common::article(src, "empty", BASE + 2);
    empty.body_text = String::new();
    store
        .insert_articles(&[long, summarised, empty])
        .expect("insert");

    let items = store
        .list_articles(&ArticleQuery::default())
        .expect("list")
        .items;
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| i.source_name == "Die Zeit"));
    assert_eq!(items[0].authors, ["Ada Lovelace"]);
    assert_eq!(items[0].lead, None);
    assert_eq!(
        items[1].lead.as_deref(),
        Some("Eine kurze Zusammenfassung.")
    );
    let lead = items[2].lead.as_deref().expect("lead from body");
    assert!(lead.starts_with("Überraschung für Köln."), "{lead}");
    assert!(lead.ends_with('…'), "{lead}");
    assert!(lead.chars().count() <= LEAD_CHARS + 1, "{lead}");
}

#[test]
fn list_queries_use_the_keyset_indexes() {
    let (dir, store) = common::fresh();
    thousand(&store);
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("newsdesk.db")).expect("raw");
    let plan = |sql: &str| -> String {
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("plan");
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .expect("rows")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("rows");
        rows.join(" | ")
    };
    let base = "SELECT a.id FROM articles a JOIN sources s ON s.id = a.source_id WHERE 1";
    let order = "ORDER BY a.sort_at DESC, a.id DESC LIMIT 51";
    for (filter, index) in [
        ("", "articles_newest"),
        (
            " AND (a.sort_at, a.id) < (1767225650, 500)",
            "articles_newest",
        ),
        (
            " AND a.source_id = 1 AND (a.sort_at, a.id) < (1767225650, 500)",
            "articles_by_source",
        ),
        (
            " AND a.language = 'fr' AND (a.sort_at, a.id) < (1767225650, 500)",
            "articles_by_lang",
        ),
    ] {
        let p = plan(&format!("{base}{filter} {order}"));
        println!("{filter}: {p}");
        assert!(p.contains(index), "{filter}: {p}");
        assert!(
            !p.contains("TEMP B-TREE"),
            "{filter} sorts instead of walking the index: {p}"
        );
    }
    let p = plan("SELECT EXISTS(SELECT 1 FROM articles WHERE canonical_url = 'x')");
    assert!(p.contains("articles_canonical"), "{p}");
}

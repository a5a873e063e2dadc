//! Concurrent readers on several threads while one thread writes (WAL).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use newsdesk_core::ArticleQuery;
use newsdesk_store::Store;

#[test]
fn store_is_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<Store>();
}

#[test]
fn readers_see_consistent_pages_while_a_writer_inserts() {
    let (_dir, store) = common::fresh();
    let src = common::source(&store, "https://a.example/feed");
    const TOTAL: i64 = 600;
    let done = Arc::new(AtomicBool::new(false));

    let writer = {
        let store = store.clone();
        let done = Arc::clone(&done);
        thread::spawn(move || {
            for i in 0..TOTAL {
                let a = common::article(src, &i.to_string(), 1_767_225_600 + i);
                store.insert_article(&a).expect("insert").expect("new");
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let readers: Vec<_> = (0..6)
        .map(|r| {
            let store = store.clone();
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let mut reads = 0u64;
                let mut last_count = 0u64;
                while !done.load(Ordering::SeqCst) || reads < 20 {
                    // Counts only grow.
                    let count = store.count_articles().expect("count");
                    assert!(count >= last_count, "reader {r}: {count} < {last_count}");
                    last_count = count;
                    let page = store
                        .list_articles(&ArticleQuery {
                            limit: 20,
                            ..Default::default()
                        })
                        .expect("list");
                    for w in page.items.windows(2) {
                        assert!((w[0].sort_at, w[0].id) > (w[1].sort_at, w[1].id));
                    }
                    if let Some(first) = page.items.first() {
                        let full = store.get_article(first.id).expect("get").expect("exists");
                        assert_eq!(full.data.title, first.title);
                    }
                    let src_stats = store.get_source(src).expect("source").expect("exists");
                    assert!(src_stats.article_count >= count);
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    writer.join().expect("writer thread");
    let reads: u64 = readers
        .into_iter()
        .map(|h| h.join().expect("reader thread"))
        .sum();
    assert!(reads >= 120);
    assert_eq!(store.count_articles().expect("count"), TOTAL as u64);
    let page = store
        .list_articles(&ArticleQuery {
            limit: 1,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(page.items[0].sort_at.timestamp(), 1_767_225_600 + TOTAL - 1);
}

#[test]
fn two_store_handles_on_one_file_share_writes() {
    let (dir, store) = common::fresh();
    let other = Store::open(&dir.path().join("newsdesk.db")).expect("second handle");
    let src = common::source(&store, "https://a.example/feed");
    let writers: Vec<_> = [store.clone(), other.clone()]
        .into_iter()
        .enumerate()
        .map(|(w, s)| {
            thread::spawn(move || {
                for i in 0..100 {
                    let a = common::article(src, &format!("{w}-{i}"), 1_767_225_600 + i);
                    s.insert_article(&a).expect("insert");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    assert_eq!(store.count_articles().expect("count"), 200);
    assert_eq!(other.count_articles().expect("count"), 200);
}

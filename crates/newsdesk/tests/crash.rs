//! A fetch killed in the middle (SIGKILL, a child process) leaves a database that opens, and the
//! next run completes with nothing duplicated or lost.

mod support;

use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use support::{Site, bin, query_i64, start_origin_blocking};

#[test]
fn killed_fetch_resumes_without_duplicates_or_losses() {
    let (origin, _rt) = start_origin_blocking();
    origin.state.good_entries.store(40, Ordering::SeqCst);
    origin.state.page_delay_ms.store(150, Ordering::SeqCst);
    let site = Site::new("article_concurrency = 2\n");
    site.ok(&["sources", "add", &origin.url("/good/feed.xml")]);

    let mut child = Command::new(bin())
        .args(["fetch", "--quiet"])
        .current_dir(site.path())
        .env_remove("NEWSDESK_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn fetch");
    let start = Instant::now();
    let mut stored = 0;
    while start.elapsed() < Duration::from_secs(60) {
        if site.db().exists() {
            let conn = rusqlite::Connection::open(site.db()).expect("open while writing");
            stored = conn
                .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))
                .unwrap_or(0);
        }
        if stored >= 5 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    let _ = child.wait();
    assert!(
        (5..40).contains(&stored),
        "killed in the middle (stored {stored})"
    );

    // The database opens and is consistent.
    let conn = rusqlite::Connection::open(site.db()).expect("open after kill");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok");
    drop(conn);
    let after_kill = query_i64(&site.db(), "SELECT COUNT(*) FROM articles");
    assert!(after_kill >= stored);

    // The next run completes.
    origin.state.page_delay_ms.store(0, Ordering::SeqCst);
    let out = site.ok(&["fetch"]);
    assert!(out.contains("0 failed"), "{out}");
    assert_eq!(
        query_i64(&site.db(), "SELECT COUNT(*) FROM articles"),
        40,
        "nothing lost"
    );
    assert_eq!(
        query_i64(&site.db(), "SELECT COUNT(DISTINCT url) FROM articles"),
        40,
        "nothing duplicated"
    );
    assert_eq!(
        query_i64(&site.db(), "SELECT COUNT(*) FROM feed_entries"),
        40
    );
    // And the run after that is a no-op.
    let out = site.ok(&["fetch"]);
    assert!(out.contains("0 new articles"), "{out}");
}

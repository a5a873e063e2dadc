//! End-to-end ingest through the real binary, a real origin on 127.0.0.1 and a real store: each
//! test that reads the store runs on a SQLite file (`sqlite::`) and on PostgreSQL (`postgres::`).

mod support;

use std::sync::atomic::Ordering;

use support::{Backend, CYRILLIC_PARA, Site, start_origin_blocking};

fn source_by_url<'a>(sources: &'a [serde_json::Value], url: &str) -> &'a serde_json::Value {
    sources
        .iter()
        .find(|s| s["feed_url"].as_str() == Some(url))
        .unwrap_or_else(|| panic!("no source {url} in {sources:#?}"))
}

fn fetch_stores_articles_and_is_idempotent_with_conditional_get(backend: Backend) {
    let (origin, _rt) = start_origin_blocking();
    let site = Site::on(backend, "");
    let feed = origin.url("/good/feed.xml");
    let out = site.ok(&["sources", "add", &feed, "--country", "gb"]);
    assert!(out.contains("added source"), "{out}");

    let out = site.ok(&["fetch"]);
    assert!(out.contains("3 new articles"), "summary line: {out}");
    assert_eq!(site.query_i64("SELECT COUNT(*) FROM articles"), 3);
    // Extracted from the page: body without boilerplate, author from the byline, language detected.
    let row = site
        .rows("SELECT body_text, language, authors, origin_kind FROM articles ORDER BY id LIMIT 1")
        .remove(0);
    let text = |i: usize| row[i].as_str().map(str::to_owned);
    let (body, lang, authors, origin_kind) = (
        text(0).unwrap_or_default(),
        text(1),
        text(2).unwrap_or_default(),
        text(3).unwrap_or_default(),
    );
    assert!(body.contains("fourteen vessels"), "{body}");
    assert!(!body.contains("We use cookies"), "boilerplate kept: {body}");
    assert!(
        !body.contains("Related: something"),
        "related links kept: {body}"
    );
    assert_eq!(lang.as_deref(), Some("en"));
    assert!(authors.contains("Jo Example"), "{authors}");
    assert_eq!(origin_kind, "page");

    let pages_before = origin.state.good_page_requests.load(Ordering::SeqCst);
    let out = site.ok(&["fetch"]);
    assert!(out.contains("0 new articles"), "{out}");
    assert!(out.contains("1 not modified"), "{out}");
    assert_eq!(site.query_i64("SELECT COUNT(*) FROM articles"), 3);
    assert_eq!(
        origin.state.good_feed_conditional.load(Ordering::SeqCst),
        1,
        "second fetch was conditional"
    );
    assert_eq!(
        origin.state.good_page_requests.load(Ordering::SeqCst),
        pages_before,
        "no page refetched"
    );

    // The feed grows: only the new entry is fetched and stored.
    origin.state.good_entries.store(4, Ordering::SeqCst);
    let out = site.ok(&["fetch"]);
    assert!(out.contains("1 new article "), "{out}");
    assert_eq!(site.query_i64("SELECT COUNT(*) FROM articles"), 4);

    // The feed breaks: the error is shown on the source and nothing stored is lost.
    origin.state.good_broken.store(true, Ordering::SeqCst);
    let out = site.run(&["fetch"]);
    assert_eq!(out.status.code(), Some(2), "every source failed → exit 2");
    let sources = site.sources();
    let s = source_by_url(&sources, &feed);
    assert_eq!(s["fetch"]["last_status"], "failed");
    assert!(
        s["fetch"]["last_error"]
            .as_str()
            .unwrap_or("")
            .contains("500"),
        "{s:#}"
    );
    assert_eq!(s["article_count"], 4);
    assert_eq!(site.query_i64("SELECT COUNT(*) FROM articles"), 4);
    let listing = site.ok(&["sources", "list"]);
    assert!(listing.contains("error:"), "{listing}");
}

fn every_bad_source_gets_a_clear_error_and_the_good_one_still_works(backend: Backend) {
    let (origin, _rt) = start_origin_blocking();
    let site = Site::on(
        backend,
        "max_body_bytes = 4194304\nmax_new_entries_per_pass = 50\n",
    );
    // A feed of 10,000 entries on SQLite; 1,000 on PostgreSQL, where checking each entry
    // against the store is a round trip to the server (the cap and the continuation below are
    // the same with either).
    if backend == Backend::Postgres {
        origin.state.many_entries.store(1_000, Ordering::SeqCst);
    }
    let cases: &[(&str, &str)] = &[
        ("/malformed.xml", "feed"),
        ("/html-instead.html", "HTML"),
        ("/status/404", "404"),
        ("/status/410", "410"),
        ("/status/500", "500"),
        ("/slow.xml", "time"),
        ("/huge.xml", "4194304"),
        ("/loop-a", "redirect"),
    ];
    for (path, _) in cases {
        site.ok(&["sources", "add", "--no-check", &origin.url(path)]);
    }
    for path in [
        "/good/feed.xml",
        "/empty.xml",
        "/many.xml",
        "/cp1251/feed.xml",
        "/broken-page/feed.xml",
    ] {
        site.ok(&["sources", "add", "--no-check", &origin.url(path)]);
    }
    let run = site.run(&["fetch"]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        out.contains("8 failed"),
        "{out}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sources = site.sources();
    for (path, needle) in cases {
        let s = source_by_url(&sources, &origin.url(path));
        assert_eq!(s["fetch"]["last_status"], "failed", "{path}: {s:#}");
        let err = s["fetch"]["last_error"].as_str().unwrap_or("");
        assert!(
            err.to_lowercase().contains(&needle.to_lowercase()),
            "{path}: error {err:?} should mention {needle:?}"
        );
    }
    // Good, empty and huge-entry-count feeds are fine.
    for path in ["/good/feed.xml", "/empty.xml", "/many.xml"] {
        let s = source_by_url(&sources, &origin.url(path));
        assert_eq!(s["fetch"]["last_status"], "ok", "{path}: {s:#}");
    }
    let many = source_by_url(&sources, &origin.url("/many.xml"));
    assert_eq!(
        many["article_count"], 50,
        "capped pass stores the newest 50"
    );
    // A page labelled UTF-8 but written in windows-1251 comes out as real Cyrillic.
    let body = site
        .query_text("SELECT body_text FROM articles WHERE title = 'Переговоры в порту'")
        .expect("cyrillic article stored");
    assert!(
        body.contains(&CYRILLIC_PARA.replace('\u{301}', "")),
        "{body}"
    );
    // An entry whose page is gone keeps the feed's summary and says so.
    let row = site
        .rows("SELECT body_text, origin_kind, origin_note FROM articles WHERE title = 'A story whose page is gone'")
        .pop()
        .expect("summary article stored");
    let text = |i: usize| row[i].as_str().unwrap_or_default();
    let (body, kind, note) = (text(0), text(1), text(2));
    assert!(body.contains("The summary survives."));
    assert_eq!(kind, "feed_summary");
    assert!(note.contains("404"), "{note}");

    // A second pass continues the capped feed instead of hiding it behind a 304.
    site.ok(&["fetch", "--source", many["id"].to_string().as_str()]);
    let sources = site.sources();
    assert_eq!(
        source_by_url(&sources, &origin.url("/many.xml"))["article_count"],
        100
    );
}

#[test]
fn ssrf_guard_is_on_by_default() {
    let (origin, _rt) = start_origin_blocking();
    let dir = tempfile::tempdir().expect("tempdir");
    let init = support::run(dir.path(), &["init", "."]);
    assert!(init.status.success());
    let feed = origin.url("/good/feed.xml");
    let out = support::run(dir.path(), &["sources", "add", &feed]);
    assert!(
        !out.status.success(),
        "adding a loopback feed must be refused by default"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("allow_private_addresses"), "{err}");
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/feed",
        "http://[::1]/feed",
    ] {
        let out = support::run(dir.path(), &["sources", "add", url]);
        assert!(!out.status.success(), "{url} must be refused");
    }
    // Stored without a check, the fetch is refused too and the reason is on the source.
    let out = support::run(dir.path(), &["sources", "add", "--no-check", &feed]);
    assert!(out.status.success());
    let out = support::run(dir.path(), &["fetch"]);
    assert_eq!(out.status.code(), Some(2));
    let out = support::run(dir.path(), &["sources", "list"]);
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(listing.contains("private"), "{listing}");
    assert_eq!(
        origin.state.good_feed_requests.load(Ordering::SeqCst),
        0,
        "no request reached the origin"
    );
}

fn discovery_picks_the_advertised_feed(backend: Backend) {
    let (origin, _rt) = start_origin_blocking();
    let site = Site::on(backend, "");
    let out = site.ok(&[
        "sources",
        "add",
        &origin.url("/with-link.html"),
        "--name",
        "Linked",
    ]);
    assert!(out.contains("found the feed"), "{out}");
    assert!(out.contains("/good/feed.xml"), "{out}");
    let sources = site.sources();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["feed_url"], origin.url("/good/feed.xml"));
    assert_eq!(sources[0]["name"], "Linked");
    // A page without a feed is refused with a reason.
    let out = site.run(&["sources", "add", &origin.url("/html-instead.html")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("advertises no feed"));
}

support::on_both_backends!(
    fetch_stores_articles_and_is_idempotent_with_conditional_get,
    every_bad_source_gets_a_clear_error_and_the_good_one_still_works,
    discovery_picks_the_advertised_feed,
);

//! The CLI itself: init, configuration lookup, sources management, feed-parse, extract.

mod support;

use std::process::Command;

use support::{Site, bin, start_origin_blocking};

#[test]
fn init_writes_a_commented_config_and_a_wal_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = support::run(dir.path(), &["init", "site"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cfg =
        std::fs::read_to_string(dir.path().join("site/newsdesk.toml")).expect("config written");
    for key in [
        "database",
        "max_body_bytes",
        "max_redirects",
        "allow_private_addresses",
        "bind",
        "interval_minutes",
    ] {
        assert!(cfg.contains(key), "config documents {key}");
    }
    assert!(
        cfg.lines().filter(|l| l.starts_with('#')).count() > 15,
        "config is commented"
    );
    let db = dir.path().join("site/data/newsdesk.db");
    assert!(db.exists(), "database created");
    let mode: String = rusqlite::Connection::open(&db)
        .expect("open")
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(mode.to_lowercase(), "wal");
    // A second init refuses to overwrite.
    let again = support::run(dir.path(), &["init", "site"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
}

#[test]
fn config_is_found_by_flag_then_env_then_cwd_with_relative_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    for d in [&a, &b] {
        assert!(
            support::run(dir.path(), &["init", d.to_str().expect("utf8")])
                .status
                .success()
        );
    }
    let add = |cwd: &std::path::Path,
               env: Option<&std::path::Path>,
               flag: Option<&std::path::Path>,
               url: &str| {
        let mut c = Command::new(bin());
        c.current_dir(cwd).env_remove("NEWSDESK_CONFIG");
        if let Some(e) = env {
            c.env("NEWSDESK_CONFIG", e);
        }
        if let Some(f) = flag {
            c.arg("--config").arg(f);
        }
        c.args(["sources", "add", "--no-check", url]);
        let out = c.output().expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // cwd = a → a's config; env → b's; flag beats env.
    add(&a, None, None, "https://one.example/feed");
    add(
        dir.path(),
        Some(&b.join("newsdesk.toml")),
        None,
        "https://two.example/feed",
    );
    add(
        dir.path(),
        Some(&b.join("newsdesk.toml")),
        Some(&a.join("newsdesk.toml")),
        "https://three.example/feed",
    );
    let count = |d: &std::path::Path| {
        support::query_i64(&d.join("data/newsdesk.db"), "SELECT COUNT(*) FROM sources")
    };
    assert_eq!(count(&a), 2);
    assert_eq!(count(&b), 1);
    // No config anywhere → a clear message.
    let empty = tempfile::tempdir().expect("tempdir");
    let out = support::run(empty.path(), &["sources", "list"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("newsdesk init"));
}

#[test]
fn sources_add_list_remove_and_opml_round_trip() {
    let site = Site::new("");
    site.ok(&[
        "sources",
        "add",
        "--no-check",
        "https://a.example/rss",
        "--name",
        "Alpha & Co",
        "--language",
        "FR",
        "--country",
        "fr",
    ]);
    site.ok(&["sources", "add", "--no-check", "https://b.example/atom.xml"]);
    let dup = site.run(&["sources", "add", "--no-check", "https://a.example/rss"]);
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already"));
    let bad = site.run(&["sources", "add", "--no-check", "ftp://a.example/rss"]);
    assert!(!bad.status.success());
    let bad = site.run(&[
        "sources",
        "add",
        "--no-check",
        "https://c.example/",
        "--language",
        "french",
    ]);
    assert!(!bad.status.success());

    let sources = site.sources();
    assert_eq!(sources.len(), 2);
    let alpha = sources
        .iter()
        .find(|s| s["name"] == "Alpha & Co")
        .expect("alpha");
    assert_eq!(alpha["language"], "fr");
    assert_eq!(alpha["country"], "FR");

    let opml = site.ok(&["sources", "export"]);
    assert!(opml.contains("<opml"), "{opml}");
    assert!(opml.contains("Alpha &amp; Co"), "escaped: {opml}");
    let file = site.path().join("export.opml");
    std::fs::write(&file, &opml).expect("write opml");

    let other = Site::new("");
    let out = other.ok(&["sources", "import", file.to_str().expect("utf8")]);
    assert!(out.contains("imported 2"), "{out}");
    let out = other.ok(&["sources", "import", file.to_str().expect("utf8")]);
    assert!(
        out.contains("imported 0") && out.contains("2 already"),
        "{out}"
    );
    let names: Vec<String> = other
        .sources()
        .iter()
        .map(|s| s["name"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(names.contains(&"Alpha & Co".to_string()), "{names:?}");

    let id = alpha["id"].to_string();
    site.ok(&["sources", "remove", &id]);
    assert_eq!(site.sources().len(), 1);
    let gone = site.run(&["sources", "remove", &id]);
    assert!(!gone.status.success());
}

#[test]
fn feed_parse_prints_the_documented_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("feed.xml");
    std::fs::write(
        &file,
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T &amp; T</title><link>https://t.example/</link>
<language>fr</language><item><title>Un titre</title><link>https://t.example/a</link><guid>g1</guid>
<pubDate>Tue, 03 Mar 2026 10:00:00 +0100</pubDate><author>x@t.example (Ana)</author><category>Monde</category>
<enclosure url="https://t.example/i.jpg" type="image/jpeg" length="123"/><description>&lt;p&gt;Résumé&lt;/p&gt;</description></item></channel></rss>"#,
    )
    .expect("write");
    let out = support::run(dir.path(), &["feed-parse", file.to_str().expect("utf8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["wellformed"], true);
    assert_eq!(v["feed"]["title"], "T & T");
    assert_eq!(v["feed"]["language"], "fr");
    let e = &v["entries"][0];
    assert_eq!(e["title"], "Un titre");
    assert_eq!(e["link"], "https://t.example/a");
    assert_eq!(e["id"], "g1");
    assert_eq!(e["published"], "2026-03-03T09:00:00Z");
    assert_eq!(e["enclosures"][0]["url"], "https://t.example/i.jpg");
    assert_eq!(e["enclosures"][0]["type"], "image/jpeg");
    assert_eq!(e["enclosures"][0]["length"], 123);
    assert_eq!(e["categories"][0], "Monde");
    for key in ["updated", "author", "summary", "content"] {
        assert!(e.get(key).is_some(), "entry has {key}");
    }
    // Junk: a clear error on stderr, still JSON on stdout.
    std::fs::write(&file, [0u8, 159, 146, 150, 1, 2, 3]).expect("write");
    let out = support::run(dir.path(), &["feed-parse", file.to_str().expect("utf8")]);
    assert!(out.status.success(), "feed-parse always answers with JSON");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json even on error");
    assert_eq!(v["wellformed"], false);
}

#[test]
fn extract_file_url_and_batch() {
    let (origin, _rt) = start_origin_blocking();
    let dir = tempfile::tempdir().expect("tempdir");
    let page = support::article_page(
        "A fictional ferry returns",
        "Sam Writer",
        &[
            "The ferry between the two fictional islands resumed service on Monday after a three-week pause for repairs to its engines.",
            "Passengers said they were relieved, and the operator promised two extra crossings every weekend until the end of the summer season.",
        ],
    );
    let file = dir.path().join("p1.html");
    std::fs::write(&file, &page).expect("write");
    let out = support::run(
        dir.path(),
        &[
            "extract",
            file.to_str().expect("utf8"),
            "--url",
            "https://wire.example/2026/06/01/ferry.html",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["title"], "A fictional ferry returns");
    assert!(
        v["body_text"]
            .as_str()
            .unwrap_or("")
            .contains("three-week pause")
    );

    // From a URL, through the fetcher (a config allowing loopback is in the cwd).
    let site = Site::new("");
    let out = site.ok(&["extract", &origin.url("/good/a1.html")]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        v["body_text"]
            .as_str()
            .unwrap_or("")
            .contains("fourteen vessels")
    );

    // Batch: IN_DIR/<id>.html → OUT_DIR/<id>.json.
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("p1.html"), &page).expect("write");
    std::fs::write(
        input.join("p2.html"),
        "<html><body>nothing much</body></html>",
    )
    .expect("write");
    let urls = dir.path().join("urls.json");
    std::fs::write(
        &urls,
        r#"{"p1": "https://wire.example/2026/06/01/ferry.html", "p2": "https://wire.example/x"}"#,
    )
    .expect("write");
    let outdir = dir.path().join("out");
    let out = support::run(
        dir.path(),
        &[
            "extract",
            "--batch",
            input.to_str().expect("utf8"),
            outdir.to_str().expect("utf8"),
            "--urls",
            urls.to_str().expect("utf8"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(outdir.join("p1.json")).expect("p1.json"))
            .expect("json");
    assert!(
        v["articleBody"]
            .as_str()
            .unwrap_or("")
            .contains("three-week pause")
    );
    assert_eq!(v["title"], "A fictional ferry returns");
    assert!(v.get("author").is_some() && v.get("date").is_some());
    assert!(outdir.join("p2.json").exists());
}

#[test]
fn help_teaches() {
    let out = Command::new(bin()).arg("--help").output().expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "demo",
        "init",
        "sources",
        "fetch",
        "serve",
        "extract",
        "feed-parse",
        "bench",
    ] {
        assert!(help.contains(word), "--help mentions {word}");
    }
    let out = Command::new(bin())
        .args(["sources", "add", "--help"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("--language"));
}

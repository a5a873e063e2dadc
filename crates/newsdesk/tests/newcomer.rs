//! What a newcomer reads from the CLI, through the real binary against the local test origin:
//! `sources add` finds a feed the way `sources discover` does (a page without a feed link, a
//! bare host tried as https:// then http://), exit codes that scripts can trust, no colour in a
//! pipe, one line per error, `-q`, correct plurals, and help whose examples stay code blocks.

mod support;

use std::process::Command;
use std::sync::atomic::Ordering;

use support::{Site, bin, start_origin_blocking};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn sources_add_on_a_page_without_a_feed_link_finds_the_feed_at_a_common_path() {
    let (origin, _rt) = start_origin_blocking();
    origin.state.common_path_feed.store(true, Ordering::SeqCst);
    let site = Site::new("");
    let page = origin.url("/html-instead.html");
    let out = site.ok(&["sources", "add", &page]);
    let feed = origin.url("/feed.xml");
    assert!(
        out.contains(&format!("found the feed {feed} (common path)")),
        "says which feed and how it was found:\n{out}"
    );
    assert!(out.contains("feed ok: 1 entry\n"), "singular: {out}");
    assert!(out.contains("added source 1: Common Path Daily"), "{out}");
    let sources = site.sources();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["feed_url"], feed.as_str());
    assert_eq!(sources[0]["site_url"], page.as_str());

    // `sources discover` on the same page finds the same feed, by the same discovery.
    let out = site.ok(&["sources", "discover", &page]);
    assert!(
        out.contains(&format!("{feed}  [common path; 1 entry]")),
        "{out}"
    );
    assert!(out.contains("found 1 feed or sitemap on"), "{out}");

    // A page that links two feeds: the first is added, the other listed with a hint.
    let other = Site::new("");
    let out = other.ok(&["sources", "add", &origin.url("/with-link.html")]);
    assert!(
        out.contains(&format!(
            "found the feed {} (<link rel=\"alternate\">)",
            origin.url("/good/feed.xml")
        )),
        "{out}"
    );

    // A site with no feed anywhere: one clear error that says what was tried, exit 1.
    origin.state.common_path_feed.store(false, Ordering::SeqCst);
    let none = Site::new("");
    let out = none.run(&["sources", "add", &page]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one message: {err}");
    for said in [
        "is a web page",
        "no feed was found",
        "9 common paths (/feed, /rss, /feed.xml, …)",
        "sitemap",
    ] {
        assert!(err.contains(said), "{said:?} in {err}");
    }

    // A page that is not there: the fetch error, once, exit 1.
    let out = none.run(&["sources", "add", &origin.url("/status/404")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one message: {err}");
    assert!(err.starts_with("newsdesk: error: "), "{err}");
    assert!(err.contains("404"), "{err}");
}

#[test]
fn a_bare_host_is_tried_as_https_then_http_and_says_so() {
    let (origin, _rt) = start_origin_blocking();
    origin.state.common_path_feed.store(true, Ordering::SeqCst);
    let site = Site::new("");
    let host = origin.addr.to_string();
    let out = site.ok(&["sources", "add", &host]);
    assert!(
        out.contains(&format!("{host} has no scheme: trying https://{host}/")),
        "{out}"
    );
    assert!(
        out.contains("failed (") && out.contains(&format!("trying http://{host}/")),
        "says https failed and http is tried next:\n{out}"
    );
    assert!(
        out.contains(&format!("found the feed http://{host}/feed.xml")),
        "{out}"
    );
    assert_eq!(
        site.sources()[0]["feed_url"],
        format!("http://{host}/feed.xml")
    );

    // Unchecked, a bare host is stored as https:// (and said so).
    let out = site.ok(&["sources", "add", "--no-check", "example.org"]);
    assert!(
        out.contains("storing https://example.org/ unchecked"),
        "{out}"
    );
    // A word that is no host at all is refused with an example.
    let bad = site.run(&["sources", "add", "not a host"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("https://example.org/"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn fetch_exit_codes_tell_scripts_what_failed_with_one_plain_line_per_error() {
    let (origin, _rt) = start_origin_blocking();
    origin.state.good_entries.store(1, Ordering::SeqCst);
    let site = Site::new("");
    site.ok(&[
        "sources",
        "add",
        "--no-check",
        &origin.url("/good/feed.xml"),
    ]);

    // Everything fine: exit 0, and singular words for one of each.
    let out = site.run(&["fetch"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("1 source: 1 ok (0 not modified), 0 failed; 1 new article in "),
        "{text}"
    );

    // One of two sources fails: exit 3, one line for it on stderr, no colour in a pipe.
    site.ok(&["sources", "add", "--no-check", &origin.url("/status/500")]);
    let out = site.run(&["fetch"]);
    assert_eq!(out.status.code(), Some(3), "some failed → 3");
    let err = stderr(&out);
    assert!(
        !err.contains('\u{1b}'),
        "no ANSI codes when stderr is a pipe: {err:?}"
    );
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "one message per error, not a log line too: {err}"
    );
    assert!(
        lines[0].starts_with("newsdesk: error: source 2 (") && lines[0].contains("500"),
        "{err}"
    );
    assert!(stdout(&out).contains("2 sources: 1 ok"), "{}", stdout(&out));

    // -q: nothing but the error.
    let out = site.run(&["-q", "fetch"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stdout(&out), "", "-q prints no summary");
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));

    // Every source fails: exit 2; NO_COLOR is honoured too (no colour either way in a pipe).
    origin.state.good_broken.store(true, Ordering::SeqCst);
    let out = Command::new(bin())
        .arg("fetch")
        .current_dir(site.path())
        .env_remove("NEWSDESK_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "all failed → 2");
    assert!(!stderr(&out).contains('\u{1b}'));
    assert_eq!(stderr(&out).lines().count(), 2, "{}", stderr(&out));
}

#[test]
fn import_and_add_speak_in_the_right_number() {
    let (origin, _rt) = start_origin_blocking();
    origin.state.good_entries.store(1, Ordering::SeqCst);
    let site = Site::new("");
    let opml = site.path().join("one.opml");
    std::fs::write(
        &opml,
        format!(
            "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>t</title></head><body>\
             <outline type=\"rss\" text=\"Wire\" xmlUrl=\"{}\"/></body></opml>",
            origin.url("/good/feed.xml")
        ),
    )
    .expect("write opml");
    let out = site.ok(&["sources", "import", opml.to_str().expect("utf8")]);
    assert!(
        out.contains("imported 1 source (0 already present, 0 invalid)"),
        "{out}"
    );
    let out = site.ok(&["sources", "import", opml.to_str().expect("utf8")]);
    assert!(
        out.contains("imported 0 sources (1 already present"),
        "{out}"
    );
    let other = Site::new("");
    let out = other.ok(&["sources", "add", &origin.url("/good/feed.xml")]);
    assert!(out.contains("feed ok: 1 entry\n"), "{out}");
    origin.state.good_entries.store(2, Ordering::SeqCst);
    let out = other.ok(&["fetch"]);
    assert!(out.contains("; 2 new articles in "), "{out}");
}

#[test]
fn help_keeps_its_examples_as_code_blocks_and_documents_exit_codes() {
    let out = Command::new(bin()).arg("--help").output().expect("run");
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(
        help.contains(
            "\n    newsdesk init mysite && cd mysite\n    newsdesk sources add https://example.org/\n    newsdesk fetch && newsdesk serve\n"
        ),
        "the quick start is one command per line:\n{help}"
    );
    assert!(help.contains("\n    newsdesk demo\n"), "{help}");
    assert!(
        help.contains("Exit codes:") && help.contains("  3   some sources failed"),
        "{help}"
    );
    let out = Command::new(bin())
        .args(["sources", "add", "--help"])
        .output()
        .expect("run");
    let help = stdout(&out);
    assert!(
        help.contains("\n    newsdesk sources add example.org "),
        "examples stay on their own lines:\n{help}"
    );
    // A wrong command line is its own exit code (64, EX_USAGE), not "an error happened" (1).
    let out = Command::new(bin())
        .args(["fetch", "--no-such-flag"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn serve_and_fetch_warn_once_about_missing_translation_routes_and_healthz_reports_them() {
    let (origin, _rt) = start_origin_blocking();
    let site = Site::new("");
    let config = site.path().join("newsdesk.toml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str("\n[[editions]]\nlanguage = \"fr\"\n");
    std::fs::write(&config, text).expect("config");
    // German has no route into French with any backend newsdesk can start here.
    site.ok(&[
        "sources",
        "add",
        "--no-check",
        "--language",
        "de",
        &origin.url("/status/500"),
    ]);
    let out = site.run(&["fetch"]);
    let err = stderr(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("no translation route"))
        .collect();
    assert_eq!(warnings.len(), 1, "warned once: {err}");
    assert!(
        warnings[0].starts_with("newsdesk: warning: the fr edition has no translation route for 1 source language (de→fr)"),
        "{err}"
    );
    assert!(
        warnings[0].contains("[[translate.backends]]"),
        "says what to configure: {err}"
    );
    // -q: errors only, so no warning.
    let out = site.run(&["-q", "fetch"]);
    assert!(
        !stderr(&out).contains("no translation route"),
        "{}",
        stderr(&out)
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let mut child = Command::new(bin())
        .args([
            "serve",
            "--no-fetch",
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .current_dir(site.path())
        .env_remove("NEWSDESK_CONFIG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let health = rt.block_on(async {
        for _ in 0..300 {
            if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
                return r.text().await.ok();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        None
    });
    let _ = child.kill();
    let output = child.wait_with_output().expect("serve output");
    let health = health.expect("serve answered /healthz");
    assert!(
        health.starts_with(
            "ok\nwarning: the fr edition has no translation route for 1 source language (de→fr)"
        ),
        "{health}"
    );
    let err = stderr(&output);
    assert_eq!(
        err.matches("no translation route").count(),
        1,
        "serve warned once: {err}"
    );
}

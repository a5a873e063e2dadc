//! Browser tests: the real server, rendered by Debian's headless Chromium.
//!
//! Checks the rendered DOM (titles, source links, `lang` attributes), that no console message,
//! script error or CSP violation is logged, and takes phone and desktop screenshots of the
//! index, an article page and a French edition's story page into
//! `<workspace>/target/test-artifacts/`.
//!
//! Without Chromium (Debian's `chromium` package, which `.ci/run` installs) the tests fail,
//! saying what to install.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::extract::Path as UrlPath;
use axum::http::header;
use axum::response::IntoResponse;
use chrono::Utc;
use common::{Backend, TestServer, article};
use newsdesk_core::NewSource;
use newsdesk_store::{ArticleTranslation, NewLink, NewPlacement, TranslationStatus};
use newsdesk_web::{AppState, EditionConfig, Editions, WebConfig};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

/// Where screenshots go: `<workspace>/target/test-artifacts/` (or under `CARGO_TARGET_DIR`).
fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("create artifacts dir");
    dir
}

/// Whether Chromium is there (always true: a missing Chromium fails the test, saying so).
fn chromium_available() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    panic!(
        "chromium is not installed at {CHROMIUM}: apt-get install chromium (.ci/run does); \
         the browser tests cannot pass without it"
    );
}

/// [`chromium_in`] with JavaScript blocked for every site (the profile's content setting, as
/// a reader who turned it off has it; `--blink-settings=scriptEnabled=false` would also stop
/// `--dump-dom`).
fn chromium_without_javascript(
    work: &Path,
    name: &str,
    args: &[String],
    env: &[(&str, &str)],
) -> Run {
    let defaults = work.join(format!("profile-{name}")).join("Default");
    std::fs::create_dir_all(&defaults).expect("profile dir");
    std::fs::write(
        defaults.join("Preferences"),
        r#"{"profile":{"default_content_setting_values":{"javascript":2}}}"#,
    )
    .expect("profile preferences");
    chromium_in(work, name, args, env)
}

/// What one Chromium run printed.
struct Run {
    stdout: String,
    stderr: String,
}

/// Runs headless Chromium with a fresh profile; kills it after [`CHROMIUM_TIMEOUT`].
fn chromium(work: &Path, name: &str, args: &[String]) -> Run {
    chromium_in(work, name, args, &[])
}

/// [`chromium`] with extra environment variables (e.g. the reader's `TZ`).
fn chromium_in(work: &Path, name: &str, args: &[String], env: &[(&str, &str)]) -> Run {
    let profile = work.join(format!("profile-{name}"));
    let out = work.join(format!("{name}.stdout"));
    let err = work.join(format!("{name}.stderr"));
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--no-pings",
            "--mute-audio",
            "--hide-scrollbars",
            // Nothing but loopback resolves: the pages must not need anything else.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    loop {
        match child.try_wait().expect("wait for chromium") {
            Some(status) => {
                assert!(status.success(), "chromium {name} exited with {status}");
                break;
            }
            None if started.elapsed() > CHROMIUM_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium {name} did not finish within {CHROMIUM_TIMEOUT:?}");
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    Run {
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
    }
}

/// No console message at all (the pages' one script logs nothing), no script error, no CSP
/// violation, no failed load.
fn assert_clean_console(run: &Run, what: &str) {
    let bad: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Content Security Policy")
                || l.contains("Refused to")
                || l.contains("Failed to load resource")
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: console problems:\n{}",
        bad.join("\n")
    );
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG"
    );
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

/// A loopback image server so lead images load without leaving the machine.
async fn image_server() -> String {
    async fn picture(UrlPath(name): UrlPath<String>) -> impl IntoResponse {
        let n: u32 = name.trim_end_matches(".svg").parse().unwrap_or_default();
        let hue = (n * 47) % 360;
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="426" viewBox="0 0 640 426"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl({hue},55%,55%)"/><stop offset="1" stop-color="hsl({},55%,30%)"/></linearGradient></defs><rect width="640" height="426" fill="url(#g)"/><circle cx="500" cy="110" r="60" fill="rgba(255,255,255,.35)"/><path d="M0 330 L160 220 L300 320 L430 240 L640 360 L640 426 L0 426 Z" fill="rgba(0,0,0,.25)"/></svg>"##,
            (hue + 40) % 360
        );
        ([(header::CONTENT_TYPE, "image/svg+xml")], svg)
    }
    let app = axum::Router::new().route("/img/{name}", axum::routing::get(picture));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_in_chromium_on_phone_and_desktop() {
    if !chromium_available() {
        return;
    }
    let images = image_server().await;
    let config = WebConfig {
        sample_data: true,
        ..Default::default()
    };
    let mut article_id = 0;
    let server = TestServer::start(Backend::Sqlite, config, |store| {
        let add = |name: &str, feed: &str, lang: &str| {
            store
                .add_source(&NewSource {
                    feed_url: feed.into(),
                    site_url: None,
                    name: Some(name.into()),
                    language: Some(lang.into()),
                    country: None,
                })
                .expect("source")
                .id
        };
        let sources = [
            (add("Le Quotidien Fictif", "https://quotidien.example/rss.xml", "fr"), "fr"),
            (add("The Daily Sample", "https://daily.example/feed.atom", "en"), "en"),
            (add("Beispiel Zeitung", "https://zeitung.example/feed.json", "de"), "de"),
        ];
        let now = Utc::now();
        let articles: Vec<_> = (0..12)
            .map(|i| {
                let (source, lang) = sources[i % 3];
                let mut a = article(source, lang, i, now - chrono::Duration::minutes(41 * i as i64 + 2));
                a.lead_image = (i % 2 == 0).then(|| format!("{images}/img/{i}.svg"));
                a.body_html = format!(
                    "<p>Body of story {i}, first paragraph, with enough words to wrap across several lines on a phone screen so the reading width can be judged.</p><figure><img src=\"{images}/img/{}.svg\" alt=\"An illustration\"></figure><p>Second paragraph with <a href=\"https://{lang}.news.example/related/{i}\">a related link</a>.</p><blockquote>A quoted sentence from someone involved.</blockquote>",
                    i + 100
                );
                a
            })
            .collect();
        let ids = store.insert_articles(&articles).expect("insert");
        article_id = ids[3].expect("inserted");
    })
    .await;
    let work = tempfile::tempdir().expect("tempdir");
    let work_path = work.path().to_path_buf();
    let index_url = server.url("/");
    let article_url = server.url(&format!("/articles/{article_id}"));
    let artifacts = artifacts_dir();

    let (index_dom, article_dom, shots) = tokio::task::spawn_blocking(move || {
        let index = chromium(
            &work_path,
            "index-dom",
            &["--dump-dom".into(), index_url.clone()],
        );
        assert_clean_console(&index, "index");
        let article = chromium(
            &work_path,
            "article-dom",
            &["--dump-dom".into(), article_url.clone()],
        );
        assert_clean_console(&article, "article");
        let mut shots = Vec::new();
        for (page, url) in [("index", &index_url), ("article", &article_url)] {
            for (device, w, h) in [("phone", 390, 844), ("desktop", 1280, 900)] {
                let path = artifacts.join(format!("newsdesk-web-{page}-{device}.png"));
                let _ = std::fs::remove_file(&path);
                let run = chromium(
                    &work_path,
                    &format!("{page}-{device}"),
                    &[
                        format!("--screenshot={}", path.display()),
                        format!("--window-size={w},{h}"),
                        url.clone(),
                    ],
                );
                assert_clean_console(&run, &format!("{page} {device}"));
                shots.push((path, w, h));
            }
        }
        (index.stdout, article.stdout, shots)
    })
    .await
    .expect("chromium runs");

    // The rendered index: titles, source links, languages, banner.
    let doc = scraper::Html::parse_document(&index_dom);
    let titles = common::texts(&doc, ".card-title a");
    assert_eq!(titles.len(), 12, "{index_dom}");
    assert!(titles[0].starts_with("Story 0:"));
    assert_eq!(
        common::attrs(&doc, ".card-title", "lang")[..3],
        ["fr", "en", "de"]
    );
    assert_eq!(common::attrs(&doc, "html", "lang"), ["en"]);
    let source_links = common::attrs(&doc, ".card a.source", "href");
    assert!(source_links.iter().all(|h| h.starts_with("/sources/")));
    assert_eq!(common::texts(&doc, ".card a.source")[1], "The Daily Sample");
    assert_eq!(
        common::texts(&doc, ".sample-banner"),
        ["Sample data — fictional outlets and events"]
    );

    // The rendered article.
    let doc = scraper::Html::parse_document(&article_dom);
    assert!(common::texts(&doc, "h1")[0].starts_with("Story 3:"));
    assert_eq!(common::attrs(&doc, "h1", "lang"), ["fr"]);
    assert_eq!(common::attrs(&doc, ".story-body", "lang"), ["fr"]);
    assert_eq!(
        common::texts(&doc, ".meta a.source"),
        ["Le Quotidien Fictif"]
    );
    assert_eq!(
        common::attrs(&doc, ".source-link a", "href"),
        ["https://fr.news.example/3", "https://fr.news.example/3"]
    );

    for (path, w, _) in shots {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            bytes.len() > 8_000,
            "{}: only {} bytes",
            path.display(),
            bytes.len()
        );
        let (width, height) = png_size(&bytes);
        assert_eq!(width, w, "{}", path.display());
        assert!(height > 0);
        println!("screenshot: {} ({} bytes)", path.display(), bytes.len());
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edition_story_page_renders_in_chromium() {
    if !chromium_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let store = newsdesk_store::Store::open(&dir.path().join("newsdesk.db")).expect("store");
    let add = |name: &str, lang: &str, country: &str| {
        store
            .add_source(&NewSource {
                feed_url: format!("https://{lang}.news.example/feed.xml"),
                site_url: None,
                name: Some(name.into()),
                language: Some(lang.into()),
                country: Some(country.into()),
            })
            .expect("source")
            .id
    };
    let sources = [
        (add("The Daily Sample", "en", "GB"), "en"),
        (add("Le Quotidien Fictif", "fr", "FR"), "fr"),
        (add("Beispiel Zeitung", "de", "DE"), "de"),
    ];
    let t0 = Utc::now() - chrono::Duration::hours(5);
    let articles: Vec<_> = sources
        .iter()
        .enumerate()
        .map(|(i, (source, lang))| {
            let mut a = article(
                *source,
                lang,
                i,
                t0 + chrono::Duration::minutes(50 * i as i64),
            );
            a.title = match *lang {
                "en" => "Lumen probe survives comet flyby".into(),
                "fr" => "La sonde Lumen survit à la comète".into(),
                _ => "Sonde Lumen übersteht den Kometen".into(),
            };
            a
        })
        .collect();
    let ids: Vec<i64> = store
        .insert_articles(&articles)
        .expect("insert")
        .into_iter()
        .map(|id| id.expect("inserted"))
        .collect();
    let title = "Lumen probe survives comet flyby";
    let placements: Vec<NewPlacement> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| NewPlacement {
            article: id,
            story: 3,
            similarity: 0.7,
            link: (i == 1).then(|| NewLink {
                kind: "translated_copy".into(),
                original: ids[0],
                matched: ids[0],
                confidence: 0.9,
                evidence: vec![],
            }),
            merged: vec![],
            moved: vec![],
            titles: vec![(3, title.into())],
        })
        .collect();
    store
        .record_placements(&placements, 0, ids[2], b"{}")
        .expect("placements");
    for (id, from, translated) in [
        (
            ids[0],
            "en",
            "La sonde Lumen survit au passage de la comète",
        ),
        (ids[2], "de", "La sonde Lumen résiste à la comète"),
    ] {
        store
            .save_translation(&ArticleTranslation {
                article_id: id,
                language: "fr".into(),
                source_language: from.into(),
                status: TranslationStatus::Translated,
                title: Some(translated.into()),
                lead: None,
                body_text: None,
                route: format!("{from} →fr [apertium]"),
                backends: vec!["apertium".into()],
                machine: true,
                kept_segments: 0,
                note: None,
                translated_at: Utc::now(),
            })
            .expect("translation");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(newsdesk_web::serve_with_editions(
        listener,
        AppState::new(store, WebConfig::default()),
        Editions::new(vec![EditionConfig::new("fr"), EditionConfig::new("de")]),
        async move {
            let _ = rx.await;
        },
    ));
    let url = format!("{base}/fr/stories/3");
    let work = tempfile::tempdir().expect("tempdir");
    let work_path = work.path().to_path_buf();
    let artifacts = artifacts_dir();
    let (dom, shots) = tokio::task::spawn_blocking(move || {
        // A reader in Tokyo: the times are shown in UTC+9.
        let dom = chromium_in(
            &work_path,
            "story-dom",
            &["--dump-dom".into(), url.clone()],
            &[("TZ", "Asia/Tokyo")],
        );
        assert_clean_console(&dom, "edition story");
        let mut shots = Vec::new();
        for (device, w, h) in [("phone", 390, 844), ("desktop", 1280, 900)] {
            let path = artifacts.join(format!("newsdesk-web-edition-story-{device}.png"));
            let _ = std::fs::remove_file(&path);
            let run = chromium(
                &work_path,
                &format!("story-{device}"),
                &[
                    format!("--screenshot={}", path.display()),
                    format!("--window-size={w},{h}"),
                    url.clone(),
                ],
            );
            assert_clean_console(&run, &format!("edition story {device}"));
            shots.push((path, w));
        }
        (dom.stdout, shots)
    })
    .await
    .expect("chromium runs");

    let doc = scraper::Html::parse_document(&dom);
    assert_eq!(common::attrs(&doc, "html", "lang"), ["fr"]);
    // The story has a French article: its title is the story's title in the French edition
    // (not the machine translation of the English title, and not marked as one).
    assert_eq!(
        common::texts(&doc, "h1"),
        ["La sonde Lumen survit à la comète"]
    );
    assert!(common::texts(&doc, "h1 .machine-title").is_empty());
    assert_eq!(
        common::texts(&doc, "main h2"),
        [
            "Couverture",
            "Médias",
            "Par langue et par pays",
            "Chronologie",
            "Copies"
        ]
    );
    let timeline = common::texts(&doc, ".story-timeline li a[lang]");
    assert_eq!(
        timeline,
        [
            "La sonde Lumen survit au passage de la comète",
            "La sonde Lumen survit à la comète",
            "La sonde Lumen résiste à la comète"
        ]
    );
    // The timeline's times: the exact time in the reader's zone (French, UTC+9), the UTC time
    // as the title, and how long ago (recomputed in the browser, the same words).
    let exact = common::texts(&doc, ".story-timeline time[data-time=exact]");
    assert_eq!(exact.len(), 3);
    let tokyo = chrono::FixedOffset::east_opt(9 * 3600).expect("offset");
    let first = t0.with_timezone(&tokyo);
    assert!(
        exact[0].contains("UTC+9") && exact[0].contains(&first.format("%H:%M").to_string()),
        "{exact:?}"
    );
    assert!(
        common::attrs(&doc, ".story-timeline time[data-time=exact]", "title")[0].ends_with(" UTC")
    );
    let ago = common::texts(&doc, ".story-timeline time[data-time=ago]");
    assert_eq!(ago[0], "il y a 5 h", "{ago:?}");
    assert!(
        common::attrs(&doc, ".story-timeline time[data-time=ago]", "title")[0].contains("UTC+9")
    );
    let links = common::attrs(&doc, ".story-timeline a", "href");
    assert!(links.iter().all(|h| h.starts_with("/fr/")), "{links:?}");
    let outlets = common::texts(&doc, ".story-outlets li");
    assert!(outlets[0].contains("premier à en parler"), "{outlets:?}");
    assert!(outlets[0].contains("il y a 5 h"), "{outlets:?}");
    assert_eq!(
        common::attrs(&doc, "header nav a", "href")[1],
        "/fr/stories",
        "the edition's navigation"
    );
    assert_eq!(
        common::attrs(&doc, ".language-switcher a", "href"),
        ["/stories/3", "/fr/stories/3", "/de/stories/3"]
    );
    for (path, w) in shots {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            bytes.len() > 8_000,
            "{}: only {} bytes",
            path.display(),
            bytes.len()
        );
        assert_eq!(png_size(&bytes).0, w, "{}", path.display());
        println!("screenshot: {} ({} bytes)", path.display(), bytes.len());
    }
    let _ = tx.send(());
    server.await.expect("server task").expect("server result");
}

/// The reader's time zone: with `TZ=Asia/Tokyo` the page shows its times in UTC+9 (and the
/// relative text is recomputed in the browser, even on a page whose server text has gone
/// stale); with JavaScript off, the server's UTC text stays, correct.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_show_in_the_readers_zone_and_in_utc_without_javascript() {
    if !chromium_available() {
        return;
    }
    // Whole minutes, so that the exact text is the instant itself.
    let three_hours_ago = (Utc::now() - chrono::Duration::hours(3)).timestamp();
    let published =
        chrono::DateTime::from_timestamp(three_hours_ago - three_hours_ago % 60, 0).expect("time");
    let mut article_id = 0;
    let server = TestServer::start(Backend::Sqlite, WebConfig::default(), |store| {
        let source = store
            .add_source(&NewSource {
                feed_url: "https://daily.example/feed.atom".into(),
                site_url: None,
                name: Some("The Daily Sample".into()),
                language: Some("en".into()),
                country: None,
            })
            .expect("source")
            .id;
        let ids = store
            .insert_articles(&[article(source, "en", 0, published)])
            .expect("insert");
        article_id = ids[0].expect("inserted");
    })
    .await;
    let url = server.url(&format!("/articles/{article_id}"));
    // The same page as a cache would keep it for a day: its server-made relative text stale.
    let page = common::client().get(&url).send().await.expect("page");
    let csp = page.headers()["content-security-policy"].clone();
    let html = page.text().await.expect("page body");
    assert!(html.contains(">3 h ago</time>"), "{html}");
    let stale = html
        .replace(">3 h ago</time>", ">STALE</time>")
        .lines()
        .filter(|l| !l.contains("rel=\"stylesheet\""))
        .collect::<Vec<_>>()
        .join("\n");
    let cache = axum::Router::new().route(
        "/cached",
        axum::routing::get(move || {
            let (csp, stale) = (csp.clone(), stale.clone());
            async move {
                (
                    [
                        (
                            header::CONTENT_TYPE,
                            "text/html; charset=utf-8".parse().expect("type"),
                        ),
                        (header::CONTENT_SECURITY_POLICY, csp),
                    ],
                    stale,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let cached_url = format!("http://{}/cached", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, cache).await;
    });

    let work = tempfile::tempdir().expect("tempdir");
    let work_path = work.path().to_path_buf();
    let (tokyo, no_script, cached) = tokio::task::spawn_blocking(move || {
        let tz = [("TZ", "Asia/Tokyo")];
        let tokyo = chromium_in(
            &work_path,
            "tz-tokyo",
            &["--dump-dom".into(), url.clone()],
            &tz,
        );
        assert_clean_console(&tokyo, "article in Tokyo");
        let no_script = chromium_without_javascript(
            &work_path,
            "tz-no-script",
            &["--dump-dom".into(), url.clone()],
            &tz,
        );
        assert_clean_console(&no_script, "article without JavaScript");
        let cached = chromium_in(
            &work_path,
            "tz-cached",
            &["--dump-dom".into(), cached_url],
            &tz,
        );
        assert_clean_console(&cached, "cached article");
        (tokyo.stdout, no_script.stdout, cached.stdout)
    })
    .await
    .expect("chromium runs");

    let utc = published.format("%-d %b %Y, %H:%M UTC").to_string();
    let local = published.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).expect("offset"));
    let (hour, minute) = (
        local.format("%-I").to_string(),
        local.format(":%M").to_string(),
    );
    let exact_sel = ".meta time[data-time=exact]";
    let ago_sel = ".meta time[data-time=ago]";

    // Script on, in Tokyo: the exact time in the reader's zone, with its offset.
    let doc = scraper::Html::parse_document(&tokyo);
    let exact = common::texts(&doc, exact_sel);
    assert_eq!(exact.len(), 1, "{tokyo}");
    assert!(exact[0].contains("GMT+9"), "{exact:?}");
    assert!(
        exact[0].contains(&format!("{hour}{minute}")),
        "{exact:?}: {local}"
    );
    assert!(!exact[0].contains("UTC"), "{exact:?}");
    assert_eq!(common::attrs(&doc, exact_sel, "title"), [utc.as_str()]);
    assert_eq!(common::texts(&doc, ago_sel), ["3 h ago"]);
    assert!(common::attrs(&doc, ago_sel, "title")[0].contains("GMT+9"));

    // Script off: the server's text, in UTC and saying so.
    let doc = scraper::Html::parse_document(&no_script);
    assert_eq!(
        common::texts(&doc, exact_sel),
        [utc.as_str()],
        "{no_script}"
    );
    assert_eq!(common::texts(&doc, ago_sel), ["3 h ago"]);
    assert_eq!(common::attrs(&doc, ago_sel, "title"), [utc.as_str()]);

    // A stale copy: the relative text is recomputed from `datetime`.
    let doc = scraper::Html::parse_document(&cached);
    assert_eq!(common::texts(&doc, ago_sel), ["3 h ago"], "{cached}");
    assert!(common::texts(&doc, exact_sel)[0].contains("GMT+9"));
    server.stop().await;
}

/// A source with a profile as the matrix (or the operator) would give it.
fn profiled_source(
    store: &newsdesk_store::Store,
    name: &str,
    lang: &str,
    country: &str,
    typology: Option<&str>,
) -> i64 {
    let id = store
        .add_source(&NewSource {
            feed_url: format!(
                "https://{}.example/feed.xml",
                name.to_lowercase().replace(' ', "-")
            ),
            site_url: None,
            name: Some(name.into()),
            language: Some(lang.into()),
            country: Some(country.into()),
        })
        .expect("source")
        .id;
    let mut profile = newsdesk_core::SourceProfile {
        typology: typology.map(str::to_owned),
        ..Default::default()
    };
    if typology.is_some() {
        profile.facts.insert(
            "typology".into(),
            newsdesk_core::Fact::new(
                newsdesk_core::FactOrigin::Matrix,
                "State Media Matrix row 1",
            ),
        );
    }
    store
        .update_source(
            id,
            &newsdesk_store::SourceUpdate {
                profile: Some(profile),
                ..Default::default()
            },
        )
        .expect("profile");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_story_page_shows_its_coverage_distribution_in_chromium() {
    if !chromium_available() {
        return;
    }
    let server = TestServer::start(Backend::Sqlite, WebConfig::default(), fill_coverage).await;
    let work = tempfile::tempdir().expect("tempdir");
    let work_path = work.path().to_path_buf();
    let artifacts = artifacts_dir();
    let urls = [server.url("/stories/5"), server.url("/stories/6")];
    let doms = tokio::task::spawn_blocking(move || {
        let mut doms = Vec::new();
        for (i, url) in urls.iter().enumerate() {
            let dom = chromium(
                &work_path,
                &format!("coverage-{i}"),
                &["--dump-dom".into(), url.clone()],
            );
            assert_clean_console(&dom, "story coverage");
            doms.push(dom.stdout);
        }
        let path = artifacts.join("newsdesk-web-story-coverage-desktop.png");
        let _ = std::fs::remove_file(&path);
        let run = chromium(
            &work_path,
            "coverage-shot",
            &[
                format!("--screenshot={}", path.display()),
                "--window-size=1280,1400".into(),
                urls[0].clone(),
            ],
        );
        assert_clean_console(&run, "story coverage screenshot");
        doms
    })
    .await
    .expect("chromium runs");
    check_coverage_doms(&doms);
    server.stop().await;
}

/// Story 5: every kind of outlet; story 6: state-controlled outlets only.
fn fill_coverage(store: &newsdesk_store::Store) {
    let rt = profiled_source(store, "RT International", "en", "RU", Some("SC"));
    let sputnik = profiled_source(store, "Sample State Radio", "ru", "RU", Some("CaPu"));
    let dw = profiled_source(store, "Sample Public Wave", "de", "DE", Some("ISF"));
    let plain = profiled_source(store, "Le Quotidien Fictif", "fr", "FR", None);
    let t0 = Utc::now() - chrono::Duration::hours(6);
    let plan = [
        (rt, "en", 5),
        (rt, "en", 5),
        (sputnik, "ru", 5),
        (dw, "de", 5),
        (plain, "fr", 5),
        (rt, "en", 6),
        (sputnik, "ru", 6),
    ];
    let articles: Vec<_> = plan
        .iter()
        .enumerate()
        .map(|(i, (source, lang, _))| {
            article(
                *source,
                lang,
                i,
                t0 + chrono::Duration::minutes(20 * i as i64),
            )
        })
        .collect();
    let ids: Vec<i64> = store
        .insert_articles(&articles)
        .expect("insert")
        .into_iter()
        .map(|id| id.expect("inserted"))
        .collect();
    let placements: Vec<NewPlacement> = ids
        .iter()
        .zip(&plan)
        .map(|(&id, (_, _, story))| NewPlacement {
            article: id,
            story: *story,
            similarity: 0.7,
            link: None,
            merged: vec![],
            moved: vec![],
            titles: vec![(*story, format!("Story {story}"))],
        })
        .collect();
    let last = *ids.last().expect("ids");
    store
        .record_placements(&placements, 0, last, b"{}")
        .expect("placements");
}

fn check_coverage_doms(doms: &[String]) {
    let mixed = scraper::Html::parse_document(&doms[0]);
    assert_eq!(
        common::texts(&mixed, ".story-coverage h3"),
        ["By country", "By ownership", "By language"]
    );
    assert_eq!(
        common::texts(&mixed, ".coverage-by-country li"),
        [
            "Russia: 2 outlets, 3 articles · State-controlled",
            "Germany: 1 outlet, 1 article",
            "France: 1 outlet, 1 article"
        ]
    );
    assert_eq!(
        common::texts(&mixed, ".coverage-by-typology li"),
        [
            "State-controlled: 2 outlets, 3 articles",
            "Independent (classified): 1 outlet, 1 article",
            "Not classified: 1 outlet, 1 article"
        ]
    );
    assert_eq!(
        common::attrs(&mixed, ".coverage-by-language li.only-state", "data-key"),
        ["en", "ru"],
        "English and Russian coverage came only from state-controlled outlets"
    );
    assert!(common::texts(&mixed, ".only-state[role=note]").is_empty());
    assert!(
        common::texts(&mixed, ".story-coverage .credit")[0].contains("State Media Monitor (MJRC)")
    );
    let outlets = common::texts(&mixed, ".story-outlets li");
    assert!(
        outlets[0].starts_with("RT International · Russia · State-controlled media · 2 articles"),
        "{outlets:?}"
    );
    assert!(
        outlets
            .iter()
            .any(|o| o.starts_with("Le Quotidien Fictif · France · 1 article")),
        "a not-classified outlet has no typology tag: {outlets:?}"
    );

    let only = scraper::Html::parse_document(&doms[1]);
    assert_eq!(
        common::texts(&only, ".only-state[role=note]"),
        ["Only state-controlled outlets reported this story."]
    );
}

/// A translated article in an edition, in Chromium: the translated paragraphs with the
/// original's figure (image and caption) between them where the original has it, the image
/// loaded, and a switcher that leads back to the original-language site and the other edition.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_translated_article_keeps_its_figure_and_switcher_in_chromium() {
    if !chromium_available() {
        return;
    }
    let images = image_server().await;
    let mut id = 0;
    let server = TestServer::start_with_editions(Backend::Sqlite,
        WebConfig::default(),
        vec!["fr", "es"],
        |store| {
            let source = store
                .add_source(&NewSource {
                    feed_url: "https://daily.example/feed.atom".into(),
                    site_url: None,
                    name: Some("The Daily Sample".into()),
                    language: Some("en".into()),
                    country: None,
                })
                .expect("source")
                .id;
            let mut a = article(source, "en", 0, Utc::now() - chrono::Duration::hours(1));
            a.title = "Corvanne picks Elena Marsh as mayor".into();
            a.body_html = format!(
                "<p>Voters elected Elena Marsh.</p><figure><img src=\"{images}/img/7.svg\" alt=\"City hall\"><figcaption>Supporters outside city hall.</figcaption></figure><p>Turnout reached 61.4%.</p>"
            );
            a.body_text = "Voters elected Elena Marsh.\nTurnout reached 61.4%.".into();
            id = store.insert_articles(&[a]).expect("insert")[0].expect("inserted");
            store
                .save_translation(&ArticleTranslation {
                    article_id: id,
                    language: "fr".into(),
                    source_language: "en".into(),
                    status: TranslationStatus::Translated,
                    title: Some("Corvanne choisit Elena Marsh comme maire".into()),
                    lead: None,
                    body_text: Some(
                        "Les électeurs ont élu Elena Marsh.\nLa participation a atteint 61,4\u{202F}%."
                            .into(),
                    ),
                    route: "en →es [apertium] →fr [apertium]".into(),
                    backends: vec!["apertium".into()],
                    machine: true,
                    kept_segments: 0,
                    note: None,
                    translated_at: Utc::now(),
                })
                .expect("translation");
        },
    )
    .await;
    let url = server.url(&format!("/fr/articles/{id}"));
    let work = tempfile::tempdir().expect("tempdir");
    let work_path = work.path().to_path_buf();
    let artifacts = artifacts_dir();
    let (dom, shot) = tokio::task::spawn_blocking(move || {
        let dom = chromium(
            &work_path,
            "translated-dom",
            &["--dump-dom".into(), url.clone()],
        );
        assert_clean_console(&dom, "translated article");
        let path = artifacts.join("newsdesk-web-translated-article-phone.png");
        let _ = std::fs::remove_file(&path);
        let run = chromium(
            &work_path,
            "translated-phone",
            &[
                format!("--screenshot={}", path.display()),
                "--window-size=390,844".into(),
                url,
            ],
        );
        assert_clean_console(&run, "translated article phone");
        (dom.stdout, path)
    })
    .await
    .expect("chromium runs");
    let doc = scraper::Html::parse_document(&dom);
    assert_eq!(common::attrs(&doc, "html", "lang"), ["fr"]);
    // Paragraph, figure, paragraph: the figure where the original has it, in the translation.
    let body = scraper::Selector::parse(".story-body[lang=fr] > *").expect("selector");
    let shape: Vec<String> = doc
        .select(&body)
        .map(|e| e.value().name().to_string())
        .collect();
    assert_eq!(shape, ["p", "figure", "p"], "{dom}");
    assert_eq!(
        common::texts(&doc, ".story-body[lang=fr] p"),
        [
            "Les électeurs ont élu Elena Marsh.",
            "La participation a atteint 61,4\u{202F}%."
        ]
    );
    assert_eq!(
        common::texts(&doc, ".story-body[lang=fr] figcaption"),
        ["Supporters outside city hall."]
    );
    let src = common::attrs(&doc, ".story-body[lang=fr] figure img", "src");
    assert_eq!(src.len(), 1);
    assert!(src[0].ends_with("/img/7.svg"), "{src:?}");
    // The switcher: the original-language site first, then each edition.
    assert_eq!(
        common::attrs(&doc, ".language-switcher a", "href"),
        [
            format!("/articles/{id}"),
            format!("/fr/articles/{id}"),
            format!("/es/articles/{id}")
        ]
    );
    assert_eq!(
        common::attrs(&doc, "link[rel=alternate][hreflang]", "hreflang"),
        ["x-default", "fr", "es"]
    );
    let bytes = std::fs::read(&shot).unwrap_or_else(|e| panic!("{}: {e}", shot.display()));
    assert_eq!(png_size(&bytes).0, 390);
    server.stop().await;
}

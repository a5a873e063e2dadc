//! `newsdesk translate text|stats|pairs` end to end: the real binary over the real Apertium
//! (SKIPPED when it is not installed, a failure when `CI` is set), and over a LibreTranslate
//! protocol server on 127.0.0.1 configured through the `[translate]` table.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

fn newsdesk(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NEWSDESK_CONFIG")
        .env("RUST_LOG", "warn")
        .env("TEST_LIBRE_KEY", "secret")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write as _;
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn ok(dir: &Path, args: &[&str], stdin: Option<&str>) -> (String, String) {
    let out = newsdesk(dir, args, stdin);
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "newsdesk {args:?} failed:\n{o}\n{e}");
    (o, e)
}

fn apertium_here(test: &str) -> bool {
    let here = Command::new("apertium")
        .arg("-l")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
        && Path::new("/usr/share/apertium/modes/eng-spa.mode").exists()
        && Path::new("/usr/share/apertium/modes/es-fr.mode").exists();
    if here {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{test}: apertium is required in CI: apt-get install apertium apertium-eng-spa apertium-fr-es"
        );
    }
    println!(
        "SKIPPED {test}: apertium (with apertium-eng-spa and apertium-fr-es) is not installed"
    );
    false
}

#[test]
fn translate_text_with_apertium_prints_the_translation_and_the_route() {
    if !apertium_here("translate_text_with_apertium_prints_the_translation_and_the_route") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = ok(
        dir.path(),
        &[
            "translate",
            "text",
            "--from",
            "en",
            "--to",
            "es",
            "The government closed 14 schools.",
        ],
        None,
    );
    assert!(out.contains("gobierno") && out.contains("14"), "{out}");
    assert!(err.contains("route: en →es [apertium]"), "{err}");

    // Standard input, two paragraphs, English to French through Spanish.
    let (out, err) = ok(
        dir.path(),
        &["translate", "text", "--from", "en", "--to", "fr"],
        Some("The house is red.\nThe minister said \"the car is new\" on Monday.\n"),
    );
    let lines: Vec<&str> = out.trim_end().lines().collect();
    assert_eq!(lines.len(), 2, "paragraphs kept: {out}");
    assert!(lines[0].contains("maison"), "{out}");
    assert!(lines[1].contains("«\u{202F}"), "French guillemets: {out}");
    assert!(err.contains("en →es [apertium] →fr [apertium]"), "{err}");

    let (pairs, _) = ok(dir.path(), &["translate", "pairs"], None);
    assert!(
        pairs.starts_with("apertium:") && pairs.contains("en-es"),
        "{pairs}"
    );
}

/// A LibreTranslate-protocol server: upper-cases the text, counts requests.
fn start_libre(requests: Arc<AtomicUsize>) -> SocketAddr {
    async fn translate(State(n): State<Arc<AtomicUsize>>, Json(body): Json<Value>) -> Json<Value> {
        n.fetch_add(1, Ordering::SeqCst);
        assert_eq!(body["api_key"], "secret");
        let q: Vec<String> = body["q"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_uppercase())
            .collect();
        Json(json!({ "translatedText": q }))
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let app = Router::new()
                .route("/translate", post(translate))
                .with_state(requests);
            axum::serve(listener, app).await.ok();
        });
    });
    rx.recv().unwrap()
}

#[test]
fn configured_backend_cache_and_stats_persist_across_runs() {
    let requests = Arc::new(AtomicUsize::new(0));
    let addr = start_libre(requests.clone());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("newsdesk.toml");
    std::fs::write(
        &config,
        format!(
            "[translate]\ncache = \"data/translations.db\"\n\n[[translate.backends]]\nkind = \"libretranslate\"\nname = \"libre\"\nurl = \"http://{addr}\"\napi_key_env = \"TEST_LIBRE_KEY\"\npairs = [\"en-de\"]\nrequests_per_minute = 600\ndaily_char_budget = 10000\n"
        ),
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    let args = [
        "--config",
        cfg,
        "translate",
        "text",
        "--from",
        "en",
        "--to",
        "de",
        "Turnout was 61.5% on Sunday.",
    ];
    let (first, err) = ok(dir.path(), &args, None);
    // The figure is protected from the backend and written the German way.
    assert_eq!(first.trim(), "TURNOUT WAS 61,5\u{a0}% ON SUNDAY.");
    assert!(err.contains("route: en →de [libre]"), "{err}");
    let (second, _) = ok(dir.path(), &args, None);
    assert_eq!(first, second);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "the second run came from the cache file"
    );
    assert!(dir.path().join("data/translations.db").exists());

    let (stats, _) = ok(
        dir.path(),
        &["--config", cfg, "translate", "stats", "--json"],
        None,
    );
    let v: Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(v["libre"]["calls"], 1);
    assert_eq!(v["libre"]["cache_hits"], 1);
    assert_eq!(
        v["libre"]["chars"],
        // The percentage, sign included, is one placeholder.
        "Turnout was ZZ1ZZ on Sunday.".chars().count()
    );
    let (table, _) = ok(
        dir.path(),
        &["--config", cfg, "translate", "stats", "--today"],
        None,
    );
    assert!(
        table.contains("cache hits") && table.lines().any(|l| l.starts_with("libre")),
        "{table}"
    );

    // No route: a clear error naming the configured pairs.
    let out = newsdesk(
        dir.path(),
        &[
            "--config",
            cfg,
            "translate",
            "text",
            "--from",
            "ru",
            "--to",
            "de",
            "x",
        ],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no route from ru to de") && err.contains("en-de"),
        "{err}"
    );
}

/// A LibreTranslate-protocol server without an API key: upper-cases each text, counts requests
/// and texts.
fn start_counting_libre(requests: Arc<AtomicUsize>, texts: Arc<AtomicUsize>) -> SocketAddr {
    async fn translate(
        State((n, t)): State<(Arc<AtomicUsize>, Arc<AtomicUsize>)>,
        Json(body): Json<Value>,
    ) -> Json<Value> {
        n.fetch_add(1, Ordering::SeqCst);
        let q: Vec<String> = body["q"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_uppercase())
            .collect();
        t.fetch_add(q.len(), Ordering::SeqCst);
        Json(json!({ "translatedText": q }))
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let app = Router::new()
                .route("/translate", post(translate))
                .with_state((requests, texts));
            axum::serve(listener, app).await.ok();
        });
    });
    rx.recv().unwrap()
}

/// A site with a French edition translated by the LibreTranslate-protocol server at `libre`,
/// following `feed`.
fn french_edition_site(libre: SocketAddr, feed: &str) -> support::Site {
    let site = support::Site::new(&format!(
        "\n[translate]\n[[translate.backends]]\nkind = \"libretranslate\"\nname = \"libre\"\n\
         url = \"http://{libre}\"\npairs = [\"en-fr\"]\n\n[[editions]]\nlanguage = \"fr\"\n"
    ));
    site.ok(&["sources", "add", feed]);
    site
}

/// Without `[translate] cache`, the site's database is the cache: a second `fetch` process that
/// has to translate the same articles again (their translations were deleted) asks the backend
/// nothing, and `translate stats` (a third process) reads the counters both runs persisted.
#[test]
fn the_database_is_the_translation_cache_across_processes() {
    let requests = Arc::new(AtomicUsize::new(0));
    let texts = Arc::new(AtomicUsize::new(0));
    let libre = start_counting_libre(requests.clone(), texts.clone());
    let (origin, _rt) = support::start_origin_blocking();
    let site = french_edition_site(libre, &origin.url("/good/feed.xml"));
    let run = site.run(&["fetch"]);
    let out =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert!(out.contains("3 new articles"), "{out}");
    let translated = "SELECT COUNT(*) FROM article_translations t JOIN articles a \
                      ON a.id = t.article_id WHERE t.language = 'fr' AND t.status = 'translated' \
                      AND t.title = upper(a.title) AND t.title <> a.title";
    let rows = support::query_i64(&site.db(), "SELECT COUNT(*) FROM article_translations");
    assert_eq!(
        support::query_i64(&site.db(), translated),
        3,
        "{rows} rows; {out}"
    );
    let first_requests = requests.load(Ordering::SeqCst);
    let first_texts = texts.load(Ordering::SeqCst);
    assert!(
        first_requests >= 1 && first_texts >= 6,
        "{first_requests} {first_texts}"
    );
    assert!(
        support::query_i64(&site.db(), "SELECT COUNT(*) FROM translation_cache") as usize
            >= first_texts,
        "every translated segment is cached in the database"
    );
    assert!(!site.path().join("data/translations.db").exists());

    // The translations are lost; the next fetch (another process) translates the articles again.
    let conn = rusqlite::Connection::open(site.db()).unwrap();
    conn.execute("DELETE FROM article_translations", [])
        .unwrap();
    drop(conn);
    site.ok(&["fetch"]);
    assert_eq!(support::query_i64(&site.db(), translated), 3);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        first_requests,
        "the second process took every segment from the database"
    );

    let stats = site.ok(&["translate", "stats", "--json"]);
    let v: Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(v["libre"]["calls"], first_requests as u64, "{v}");
    assert_eq!(v["libre"]["segments"], first_texts as u64, "{v}");
    // The second pass found every segment (repeated ones each time) in the cache.
    assert!(
        v["libre"]["cache_hits"].as_u64().unwrap() >= first_texts as u64,
        "{v}"
    );

    // `translate text` with the site's configuration uses the same cache.
    let title = support::query_i64(&site.db(), "SELECT COUNT(*) FROM articles");
    assert_eq!(title, 3);
    let conn = rusqlite::Connection::open(site.db()).unwrap();
    let first_title: String = conn
        .query_row("SELECT title FROM articles ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(conn);
    let out = site.ok(&[
        "translate",
        "text",
        "--from",
        "en",
        "--to",
        "fr",
        &first_title,
    ]);
    assert_eq!(out.trim(), first_title.to_uppercase());
    assert_eq!(
        requests.load(Ordering::SeqCst),
        first_requests,
        "from the cache"
    );
}

/// A `newsdesk serve` child process, killed when dropped.
struct Serve(std::process::Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve --no-fetch` in the site and waits until it answers; returns it and its base URL.
fn serve(site: &support::Site) -> (Serve, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args([
            "serve",
            "--no-fetch",
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .current_dir(site.path())
        .env_remove("NEWSDESK_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Serve(child);
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if http_get(&format!("{base}/healthz")).0 == 200 {
            return (server, base);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("serve did not start");
}

/// GET: status and body (0 when the connection fails).
fn http_get(url: &str) -> (u16, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        match client.get(url).send().await {
            Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
            Err(_) => (0, String::new()),
        }
    })
}

/// Bodies translated on first view by `serve`: after a restart (the stored body lost), the
/// next view takes every segment from the database, not from the backend.
#[test]
fn a_restarted_server_translates_bodies_from_the_database_cache() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let requests = Arc::new(AtomicUsize::new(0));
    let texts = Arc::new(AtomicUsize::new(0));
    let libre = start_counting_libre(requests.clone(), texts.clone());
    let (origin, _rt) = support::start_origin_blocking();
    let site = support::Site::new(&format!(
        "\n[translate]\n[[translate.backends]]\nkind = \"libretranslate\"\nname = \"libre\"\n\
         url = \"http://{libre}\"\npairs = [\"en-fr\"]\n\n[[editions]]\nlanguage = \"fr\"\n\
         bodies = \"on_view\"\n"
    ));
    site.ok(&["sources", "add", &origin.url("/good/feed.xml")]);
    site.ok(&["fetch"]);
    let id = support::query_i64(
        &site.db(),
        "SELECT MIN(article_id) FROM article_translations",
    );
    let bodies = "SELECT COUNT(*) FROM article_translations WHERE body_text IS NOT NULL";
    assert_eq!(
        support::query_i64(&site.db(), bodies),
        0,
        "bodies wait for a view"
    );
    let after_fetch = requests.load(Ordering::SeqCst);

    let (server, base) = serve(&site);
    let (status, _) = http_get(&format!("{base}/fr/articles/{id}"));
    assert_eq!(status, 200);
    assert_eq!(support::query_i64(&site.db(), bodies), 1);
    let after_view = requests.load(Ordering::SeqCst);
    assert!(after_view > after_fetch, "the body went to the backend");
    drop(server);

    let conn = rusqlite::Connection::open(site.db()).unwrap();
    conn.execute("UPDATE article_translations SET body_text = NULL", [])
        .unwrap();
    drop(conn);
    let (_server, base) = serve(&site);
    let (status, page) = http_get(&format!("{base}/fr/articles/{id}"));
    assert_eq!(status, 200);
    assert_eq!(support::query_i64(&site.db(), bodies), 1);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        after_view,
        "the restarted server took the body from the database"
    );
    let body: String = rusqlite::Connection::open(site.db())
        .unwrap()
        .query_row(
            &format!("SELECT body_text FROM article_translations WHERE article_id = {id}"),
            [],
            |r| r.get(0),
        )
        .unwrap();
    let start: String = body
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ' ')
        .take(20)
        .collect();
    assert!(
        start.len() >= 5 && page.contains(&start),
        "the page shows the translated body"
    );
}

/// `newsdesk worker` runs the editions' translation as a job: with a French edition and a
/// LibreTranslate-protocol backend, every article the worker stored is translated, as after
/// `fetch`.
#[test]
fn a_worker_translates_what_it_stored_into_the_editions() {
    let requests = Arc::new(AtomicUsize::new(0));
    let texts = Arc::new(AtomicUsize::new(0));
    let libre = start_counting_libre(requests.clone(), texts.clone());
    let (origin, _rt) = support::start_origin_blocking();
    let site = french_edition_site(libre, &origin.url("/good/feed.xml"));
    let out = site.ok(&["worker", "--until-idle", "--json"]);
    let report: Value = serde_json::from_str(&out).expect("worker --json");
    assert_eq!(report["articles_stored"], 3, "{report}");
    assert!(report["jobs"]["translate"].as_u64() >= Some(1), "{report}");
    let translated = "SELECT COUNT(*) FROM article_translations t JOIN articles a \
                      ON a.id = t.article_id WHERE t.language = 'fr' AND t.status = 'translated' \
                      AND t.title = upper(a.title) AND t.title <> a.title";
    assert_eq!(support::query_i64(&site.db(), translated), 3);
    assert!(requests.load(Ordering::SeqCst) >= 1);
}

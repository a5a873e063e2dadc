//! `newsdesk fetch` and `newsdesk serve` with `[[editions]]` in newsdesk.toml: articles are
//! translated at ingest through the configured backend (real Apertium when installed) and the
//! edition is served at `/{lang}/`, with `/` redirecting by Accept-Language, its story pages at
//! `/{lang}/stories[/{id}]`, and the translations in the JSON API.

mod support;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{Site, bin, query_i64, start_origin_blocking};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(url: &str, accept_language: Option<&str>) -> (u16, Option<String>, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let mut req = client.get(url);
        if let Some(a) = accept_language {
            req = req.header("accept-language", a);
        }
        match req.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let location = r
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                (status, location, r.text().await.unwrap_or_default())
            }
            Err(_) => (0, None, String::new()),
        }
    })
}

#[test]
fn fetch_translates_into_the_configured_edition_and_serve_publishes_it() {
    let apertium = newsdesk_translate::apertium_available();
    if !apertium && std::env::var_os("CI").is_some() {
        panic!(
            "apertium is not installed: apt-get install apertium apertium-eng-spa apertium-fr-es"
        );
    }
    let (origin, _rt) = start_origin_blocking();
    let site = Site::new(
        "\n[translate]\npivots = [\"es\"]\n[[translate.backends]]\nkind = \"apertium\"\n\n\
         [[editions]]\nlanguage = \"fr\"\ntitle = \"Édition française\"\n",
    );
    site.ok(&["sources", "add", &origin.url("/good/feed.xml")]);
    let out = site.ok(&["fetch"]);
    assert!(out.contains("3 new articles"), "{out}");
    let translated = query_i64(
        &site.db(),
        "SELECT COUNT(*) FROM article_translations WHERE language = 'fr' AND status = 'translated'",
    );
    let rows = query_i64(
        &site.db(),
        "SELECT COUNT(*) FROM article_translations WHERE language = 'fr'",
    );
    assert_eq!(rows, 3, "every article has a French edition row");
    if apertium {
        assert_eq!(translated, 3, "English → Spanish → French with Apertium");
    } else {
        panic!(
            "apertium is not installed: apt-get install apertium apertium-eng-spa apertium-fr-es (.ci/run does)"
        );
    }

    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let child = Command::new(bin())
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
        .expect("spawn serve");
    let _server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    while get(&format!("{base}/healthz"), None).0 != 200 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, location, _) = get(&format!("{base}/"), Some("fr-FR,fr;q=0.9"));
    assert!(
        (300..400).contains(&status),
        "/ redirects by Accept-Language ({status})"
    );
    assert_eq!(location.as_deref(), Some("/fr/"));
    let (status, _, home) = get(&format!("{base}/fr/"), None);
    assert_eq!(status, 200);
    assert!(home.contains("lang=\"fr\""), "French edition page");
    if apertium {
        let id = query_i64(
            &site.db(),
            "SELECT MIN(article_id) FROM article_translations",
        );
        let (status, _, page) = get(&format!("{base}/fr/articles/{id}"), None);
        assert_eq!(status, 200);
        assert!(page.contains("Apertium"), "the page names the backend");
        let page = page.replace("&#x2f;", "/");
        assert!(page.contains("/good/a"), "the page links the original");
    }

    // The edition's story pages, and the article page's link to its story in the edition.
    let story = query_i64(
        &site.db(),
        "SELECT story_id FROM article_stories ORDER BY article_id LIMIT 1",
    );
    let article = query_i64(
        &site.db(),
        &format!("SELECT MIN(article_id) FROM article_stories WHERE story_id = {story}"),
    );
    let (status, _, list) = get(&format!("{base}/fr/stories"), None);
    assert_eq!(status, 200);
    assert!(list.contains("<h1>Sujets</h1>"), "stories page in French");
    let (status, _, page) = get(&format!("{base}/fr/stories/{story}"), None);
    assert_eq!(status, 200);
    let page = page.replace("&#x2f;", "/");
    assert!(page.contains("<html lang=\"fr\">") && page.contains("Chronologie"));
    assert!(page.contains(&format!("href=\"/fr/articles/{article}\"")));
    assert!(
        !page.contains("href=\"/articles/"),
        "links stay in the edition"
    );
    let (_, _, page) = get(&format!("{base}/fr/articles/{article}"), None);
    let page = page.replace("&#x2f;", "/");
    assert!(page.contains(&format!("href=\"/fr/stories/{story}\"")));
    // The story's title in the edition: its title article's French title when translated.
    let conn = rusqlite::Connection::open_with_flags(
        site.db(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open db");
    let french_title: Option<String> = conn
        .query_row(
            "SELECT t.title FROM stories s JOIN article_stories x ON x.story_id = s.id \
             JOIN articles a ON a.id = x.article_id AND a.title = s.title \
             JOIN article_translations t ON t.article_id = a.id AND t.language = 'fr' \
             AND t.status = 'translated' WHERE s.id = ?1 ORDER BY a.sort_at LIMIT 1",
            [story],
            |r| r.get(0),
        )
        .ok()
        .flatten();
    let (status, _, json) = get(&format!("{base}/api/v1/stories/{story}?edition=fr"), None);
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&json).expect("story JSON");
    match &french_title {
        Some(title) => {
            assert!(apertium);
            assert_eq!(json["title"].as_str(), Some(title.as_str()));
            assert_eq!(json["title_lang"], "fr");
        }
        None => assert_ne!(json["title_lang"], "fr"),
    }
    // The article in the API lists its translations.
    let (_, _, json) = get(&format!("{base}/api/v1/articles/{article}"), None);
    let json: serde_json::Value = serde_json::from_str(&json).expect("article JSON");
    let translations = json["translations"].as_array().expect("translations");
    assert_eq!(translations.len(), 1);
    assert_eq!(translations[0]["lang"], "fr");
    if apertium {
        assert_eq!(translations[0]["status"], "translated");
        assert_eq!(translations[0]["backend"], "apertium");
        assert_eq!(translations[0]["machine"], true);
    }
}

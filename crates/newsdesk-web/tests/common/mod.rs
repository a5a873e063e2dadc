//! Helpers shared by the integration tests: a real store (a SQLite file in a temporary directory
//! or a fresh database of the test binary's throw-away PostgreSQL cluster), the real server on
//! 127.0.0.1:0, a plain-http client and a fixture of sources and articles.
//!
//! [`on_both_backends!`] runs each named async test (`async fn name(backend: Backend)`) twice,
//! as `sqlite::name` and `postgres::name`.
#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use newsdesk_core::{ContentOrigin, FetchState, FetchStatus, NewArticle, NewSource, SourceId};
use newsdesk_store::Store;
use newsdesk_web::{AppState, SiteStatus, WebConfig};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Which store a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in the test's temporary directory.
    Sqlite,
    /// A fresh database of the test binary's throw-away PostgreSQL cluster (`newsdesk-pgtest`;
    /// a missing PostgreSQL fails the test and names the package to install).
    Postgres,
}

impl Backend {
    /// Where a fresh, empty store lives: the path of `newsdesk.db` in `dir`, or the URL of a
    /// new PostgreSQL database named after `name`.
    pub fn fresh_url(self, dir: &std::path::Path, name: &str) -> String {
        match self {
            Backend::Sqlite => dir.join("newsdesk.db").display().to_string(),
            Backend::Postgres => {
                newsdesk_pgtest::fresh_database(name).unwrap_or_else(|e| panic!("{e}"))
            }
        }
    }

    /// Opens a fresh, empty store (see [`Backend::fresh_url`]).
    pub fn open(self, dir: &std::path::Path, name: &str) -> Store {
        Store::open_url(&self.fresh_url(dir, name))
            .unwrap_or_else(|e| panic!("open {self:?} store: {e}"))
    }
}

/// Runs each named async test function (`async fn name(backend: Backend)`) twice:
/// `sqlite::name` on a fresh SQLite file and `postgres::name` on a fresh PostgreSQL database.
/// One invocation per test file.
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await;
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_both_backends;

/// A running server over its own database.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The store the server reads (tests write through it).
    pub store: Store,
    /// Keeps the database directory alive (the SQLite file is `newsdesk.db` in it).
    pub dir: TempDir,
    /// The backend the store runs on.
    pub backend: Backend,
    /// The SQLite file's path or the PostgreSQL database's URL.
    pub database_url: String,
    /// The server's background-work and warnings status (tests set it).
    pub status: SiteStatus,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// Opens a fresh store on `backend`, lets `fill` write to it, and starts the server.
    pub async fn start(
        backend: Backend,
        config: WebConfig,
        fill: impl FnOnce(&Store),
    ) -> TestServer {
        TestServer::start_with_editions(backend, config, Vec::new(), fill).await
    }

    /// [`TestServer::start`] with editions in these languages.
    pub async fn start_with_editions(
        backend: Backend,
        config: WebConfig,
        editions: Vec<&str>,
        fill: impl FnOnce(&Store),
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let database_url = backend.fresh_url(dir.path(), "web");
        let store = Store::open_url(&database_url)
            .unwrap_or_else(|e| panic!("open {backend:?} store: {e}"));
        fill(&store);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let (tx, rx) = oneshot::channel::<()>();
        let state = AppState::new(store.clone(), config);
        let status = state.status.clone();
        let editions = newsdesk_web::Editions::new(
            editions
                .into_iter()
                .map(newsdesk_web::EditionConfig::new)
                .collect(),
        );
        let task = tokio::spawn(newsdesk_web::serve_with_editions(
            listener,
            state,
            editions,
            async move {
                let _ = rx.await;
            },
        ));
        TestServer {
            base,
            store,
            dir,
            backend,
            database_url,
            status,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    /// The absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let result = tokio::time::timeout(std::time::Duration::from_secs(10), task)
                .await
                .expect("server stops within 10 s");
            result.expect("server task").expect("server result");
        }
    }
}

/// A plain-http client (no proxy: only loopback is ever contacted).
pub fn client() -> reqwest::Client {
    // reqwest is built without a default TLS provider; plain http needs none, but building a
    // client does. Installing twice is harmless (the second call fails and is ignored).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// GET `url` and return status, headers and body text.
pub async fn get(client: &reqwest::Client, url: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let response = client.get(url).send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body");
    (status, headers, body)
}

/// Ids of the fixture's sources.
pub struct Fixture {
    /// French source, fetched fine.
    pub fr: SourceId,
    /// English source whose last fetch failed.
    pub en: SourceId,
    /// German source, never fetched.
    pub de: SourceId,
}

/// Number of articles [`fill`] stores.
pub const ARTICLES: usize = 70;

/// Fills a store with three sources and [`ARTICLES`] articles spread over them, newest first
/// `Story 0`, each 37 minutes older than the previous.
pub fn fill(store: &Store) -> Fixture {
    let add = |name: &str, feed: &str, lang: &str, country: &str| {
        store
            .add_source(&NewSource {
                feed_url: feed.into(),
                site_url: Some(
                    feed.rsplit_once('/')
                        .map(|(a, _)| a)
                        .unwrap_or(feed)
                        .to_string(),
                ),
                name: Some(name.into()),
                language: Some(lang.into()),
                country: Some(country.into()),
            })
            .expect("add source")
            .id
    };
    let fx = Fixture {
        fr: add(
            "Le Quotidien Fictif",
            "https://quotidien.example/rss.xml",
            "fr",
            "FR",
        ),
        en: add(
            "The Daily Sample",
            "https://daily.example/feed.atom",
            "en",
            "GB",
        ),
        de: add(
            "Beispiel Zeitung",
            "https://zeitung.example/feed.json",
            "de",
            "DE",
        ),
    };
    let now = Utc::now();
    let mut ok = FetchState::never(fx.fr);
    ok.last_status = FetchStatus::Ok;
    ok.last_fetch_at = Some(now - Duration::minutes(5));
    ok.last_http_status = Some(200);
    store.save_fetch_state(&ok).expect("save fetch state");
    let mut failed = FetchState::never(fx.en);
    failed.last_status = FetchStatus::Failed;
    failed.last_fetch_at = Some(now - Duration::minutes(9));
    failed.last_http_status = Some(503);
    failed.last_error = Some("fetch: HTTP 503 for https://daily.example/feed.atom".into());
    failed.consecutive_failures = 3;
    store.save_fetch_state(&failed).expect("save fetch state");

    let articles: Vec<NewArticle> = (0..ARTICLES)
        .map(|i| {
            let (source, lang) = match i % 3 {
                0 => (fx.fr, "fr"),
                1 => (fx.en, "en"),
                _ => (fx.de, "de"),
            };
            article(source, lang, i, now - Duration::minutes(37 * i as i64 + 1))
        })
        .collect();
    store.insert_articles(&articles).expect("insert articles");
    fx
}

/// One fixture article.
pub fn article(source: SourceId, lang: &str, i: usize, published: DateTime<Utc>) -> NewArticle {
    let title = match lang {
        "fr" => format!("Story {i}: le conseil municipal vote le budget"),
        "de" => format!("Story {i}: Stadtrat beschließt den Haushalt"),
        _ => format!("Story {i}: council approves the budget"),
    };
    NewArticle {
        source_id: source,
        entry_key: format!("entry-{i}"),
        url: format!("https://{lang}.news.example/{i}"),
        canonical_url: None,
        title,
        authors: if i.is_multiple_of(2) {
            vec!["Ada Lovelace".into(), "Alan Turing".into()]
        } else {
            vec![]
        },
        published_at: Some(published),
        modified_at: None,
        fetched_at: published + Duration::seconds(30),
        lead_image: i
            .is_multiple_of(4)
            .then(|| format!("https://img.news.example/{i}.jpg")),
        language: Some(lang.into()),
        summary: Some(format!("Lead of story {i}.")),
        body_html: format!(
            "<p>Body of story {i}, first paragraph.</p><p>Second paragraph with <a href=\"https://{lang}.news.example/related/{i}\">a link</a>.</p>"
        ),
        body_text: format!("Body of story {i}, first paragraph.\n\nSecond paragraph with a link."),
        tags: vec!["politics".into()],
        origin: if i % 5 == 3 {
            ContentOrigin::FeedSummary {
                reason: "article page answered HTTP 403".into(),
            }
        } else {
            ContentOrigin::Page
        },
    }
}

/// Where the site's own scripts start, at the end of every page (the local-time words, then
/// the script that shows times in the reader's zone).
pub const SITE_SCRIPTS: &str = "<script type=\"application/json\" id=\"nd-time-words\">";

/// A page without the site's own scripts at its end: what checks for injected markup read.
pub fn without_site_scripts(body: &str) -> &str {
    body.split_once(SITE_SCRIPTS).map_or(body, |(page, _)| page)
}

/// Parses an HTML page and checks the HTML5 basics every page must have; returns the document.
pub fn check_html5(body: &str, want_lang: &str) -> scraper::Html {
    assert!(
        body.trim_start()
            .to_ascii_lowercase()
            .starts_with("<!doctype html>"),
        "no doctype: {}",
        &body[..body.len().min(200)]
    );
    let doc = scraper::Html::parse_document(body);
    let one = |sel: &str| {
        let s = scraper::Selector::parse(sel).expect("selector");
        doc.select(&s).count()
    };
    let html = scraper::Selector::parse("html").expect("selector");
    let root = doc.select(&html).next().expect("html element");
    assert_eq!(root.value().attr("lang"), Some(want_lang), "html lang");
    assert_eq!(one("head > meta[charset=utf-8]"), 1, "meta charset");
    assert_eq!(one("head > meta[name=viewport]"), 1, "viewport");
    assert_eq!(one("head > title"), 1, "title");
    assert_eq!(one("body > header"), 1, "header landmark");
    assert_eq!(one("body > header nav"), 1, "nav landmark");
    assert_eq!(one("main"), 1, "main landmark");
    assert_eq!(one("body > main"), 1, "main landmark");
    assert_eq!(one("body > footer"), 1, "footer landmark");
    // The only scripts: the site's local-time words and script, at the end of the body.
    assert_eq!(one("script"), 2, "pages carry only the local-time script");
    assert_eq!(
        one("body > script#nd-time-words[type=\"application/json\"] + script:not([type])"),
        1,
        "the local-time words and script end the body"
    );
    assert!(
        !without_site_scripts(body)
            .to_ascii_lowercase()
            .contains("<script"),
        "no script before the site's own"
    );
    assert_eq!(one("head > link[rel=stylesheet]"), 1, "one stylesheet");
    doc
}

/// The text of every element matching `selector`.
pub fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let s = scraper::Selector::parse(selector).expect("selector");
    doc.select(&s)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The value of `attr` on every element matching `selector`.
pub fn attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let s = scraper::Selector::parse(selector).expect("selector");
    doc.select(&s)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

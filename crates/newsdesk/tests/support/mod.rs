//! Test support: a real origin server on 127.0.0.1 that serves good and broken feeds and pages,
//! and helpers that run the real `newsdesk` binary in a temporary directory.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use axum::routing::get;

/// Counters and switches shared with the origin's handlers.
#[derive(Default)]
pub struct OriginState {
    /// Requests to /good/feed.xml.
    pub good_feed_requests: AtomicUsize,
    /// Of which carried If-None-Match.
    pub good_feed_conditional: AtomicUsize,
    /// Article page requests (all paths under /good/).
    pub good_page_requests: AtomicUsize,
    /// When set, /good/feed.xml answers 500.
    pub good_broken: AtomicBool,
    /// Delay before each /good/ article page, milliseconds.
    pub page_delay_ms: AtomicUsize,
    /// Number of entries in /good/feed.xml.
    pub good_entries: AtomicUsize,
    /// When set, /feed.xml (a common feed path) serves a feed; else it is not found.
    pub common_path_feed: AtomicBool,
    /// Number of entries in /many.xml.
    pub many_entries: AtomicUsize,
}

/// A running origin.
pub struct TestOrigin {
    pub addr: SocketAddr,
    pub state: Arc<OriginState>,
    _task: tokio::task::JoinHandle<()>,
}

impl TestOrigin {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

fn rss(base: &str, title: &str, items: &[(String, String, String)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>{base}/</link><description>test feed</description><language>en</language>\n"
    );
    for (i, (t, link, summary)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><title>{t}</title><link>{link}</link><guid>{link}</guid>\
             <pubDate>Mon, 0{} Jun 2026 10:00:00 +0000</pubDate><description>{summary}</description></item>\n",
            1 + i % 9
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

/// An article page with boilerplate around a body of `paragraphs`.
pub fn article_page(title: &str, author: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Test Wire</title>\
         <meta property=\"og:site_name\" content=\"Test Wire\"></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <div class=\"cookie-banner\">We use cookies. Accept?</div>\
         <article><h1>{title}</h1><p class=\"byline\">By {author}</p>\
         <time datetime=\"2026-06-01T10:00:00+02:00\">1 June 2026</time>\n{body}</article>\
         <aside class=\"related\"><a href=\"/x\">Related: something else entirely</a></aside>\
         <footer>© Test Wire</footer></body></html>"
    )
}

const PARAS: [&str; 4] = [
    "The harbour authority of the fictional city of Portavel said on Tuesday that fourteen vessels were waiting outside the port while negotiations continued late into the night.",
    "Union representatives said the talks had made progress on wages, but that the question of night shifts remained open, and that they expected a final answer by Friday.",
    "“We are not going to accept a deal that leaves the night crews behind,” said the union's spokeswoman, Marta Quell, speaking to reporters outside the harbour office.",
    "The port handles about 40 per cent of the region's container traffic, and shipping companies have begun diverting vessels to neighbouring harbours along the coast.",
];

async fn good_feed(State(st): State<Arc<OriginState>>, headers: HeaderMap) -> Response<Body> {
    st.good_feed_requests.fetch_add(1, Ordering::SeqCst);
    if st.good_broken.load(Ordering::SeqCst) {
        return Response::builder()
            .status(StatusCode::INTERNAL_SERVER_ERROR)
            .body(Body::from("oops"))
            .unwrap_or_default();
    }
    let n = st.good_entries.load(Ordering::SeqCst).max(1);
    let etag = format!("\"good-{n}\"");
    if headers.get(header::IF_NONE_MATCH).is_some() {
        st.good_feed_conditional.fetch_add(1, Ordering::SeqCst);
        if headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str())
        {
            return Response::builder()
                .status(StatusCode::NOT_MODIFIED)
                .header(header::ETAG, etag)
                .body(Body::empty())
                .unwrap_or_default();
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let base = format!("http://{host}");
    let items: Vec<_> = (0..n)
        .map(|i| {
            (
                format!("Harbour talks, day {i}"),
                format!("{base}/good/a{i}.html"),
                format!("Summary of day {i} &amp; more"),
            )
        })
        .collect();
    Response::builder()
        .header(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")
        .header(header::ETAG, etag)
        .body(Body::from(rss(&base, "Test Wire", &items)))
        .unwrap_or_default()
}

async fn good_page(
    State(st): State<Arc<OriginState>>,
    UrlPath(name): UrlPath<String>,
) -> Response<Body> {
    st.good_page_requests.fetch_add(1, Ordering::SeqCst);
    let delay = st.page_delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay as u64)).await;
    }
    let title = format!(
        "Harbour talks, day {}",
        name.trim_start_matches('a').trim_end_matches(".html")
    );
    html(article_page(&title, "Jo Example", &PARAS))
}

fn html(s: String) -> Response<Body> {
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(s))
        .unwrap_or_default()
}

fn xml(s: String) -> Response<Body> {
    Response::builder()
        .header(header::CONTENT_TYPE, "application/rss+xml")
        .body(Body::from(s))
        .unwrap_or_default()
}

fn status(code: u16) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .body(Body::from("status page"))
        .unwrap_or_default()
}

fn redirect(to: &str) -> Response<Body> {
    let mut r = status(302);
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The windows-1251 Cyrillic article, served with a UTF-8 label (the charset lies).
pub const CYRILLIC_PARA: &str = "Власти вымышленного города Порта́вель заявили во вторник, что переговоры в порту продолжатся в среду утром, а четырнадцать судов ждут разгрузки у входа в гавань.";

fn cp1251_page() -> Response<Body> {
    let page = format!(
        "<!doctype html><html><head><title>Переговоры в порту</title></head><body><article><h1>Переговоры в порту</h1>\
         <p>{CYRILLIC_PARA}</p><p>{CYRILLIC_PARA}</p><p>{CYRILLIC_PARA}</p></article></body></html>"
    );
    let (bytes, _, _) = encoding_rs_compat::encode_1251(&page);
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(bytes))
        .unwrap_or_default()
}

/// A tiny windows-1251 encoder for the Cyrillic test page (enough for the letters used).
mod encoding_rs_compat {
    pub fn encode_1251(s: &str) -> (Vec<u8>, (), ()) {
        let mut out = Vec::with_capacity(s.len());
        for c in s.chars() {
            let u = c as u32;
            let b = match u {
                0..=0x7f => u as u8,
                0x410..=0x44f => (u - 0x410 + 0xc0) as u8,
                0x401 => 0xa8,
                0x451 => 0xb8,
                0x301 => continue, // combining acute: dropped
                _ => b'?',
            };
            out.push(b);
        }
        (out, (), ())
    }
}

async fn dynamic(
    State(st): State<Arc<OriginState>>,
    headers: HeaderMap,
    UrlPath(path): UrlPath<String>,
) -> Response<Body> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let base = format!("http://{host}");
    match path.as_str() {
        "malformed.xml" => xml("<<<this is not xml at all &&& <rss><chan".to_string()),
        "html-instead.html" => html("<!doctype html><html><head><title>Just a page</title></head><body><p>No feed here.</p></body></html>".into()),
        "with-link.html" => html(
            "<!doctype html><html><head><title>Home</title>\
             <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Main\" href=\"/good/feed.xml\"></head><body>hi</body></html>"
                .to_string(),
        ),
        // A site whose pages advertise no feed, with one at a common path (`sources add`
        // discovery, bare hosts).
        "feed.xml" if st.common_path_feed.load(Ordering::SeqCst) => xml(rss(
            &base,
            "Common Path Daily",
            &[("The only story".into(), format!("{base}/good/a0.html"), "One entry.".into())],
        )),
        p if p.starts_with("shared-path/") => SHARED_PATH_FEEDS
            .iter()
            .find(|(name, _)| p.strip_prefix("shared-path/") == Some(*name))
            .map_or_else(|| status(404), |(_, body)| xml((*body).to_string())),
        "status/404" => status(404),
        "status/410" => status(410),
        "status/500" => status(500),
        "slow.xml" => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            status(200)
        }
        "huge.xml" => {
            let mut s = rss(&base, "Huge", &[]);
            s.push_str(&"<!-- padding -->".repeat(400_000));
            xml(s)
        }
        "loop-a" => redirect("/loop-b"),
        "loop-b" => redirect("/loop-a"),
        "empty.xml" => xml(rss(&base, "Empty", &[])),
        "many.xml" => {
            let items: Vec<_> = (0..st.many_entries.load(Ordering::SeqCst))
                .map(|i| (format!("Item {i}"), format!("{base}/many/{i}.html"), format!("s{i}")))
                .collect();
            xml(rss(&base, "Many", &items))
        }
        "cp1251/feed.xml" => xml(rss(
            &base,
            "Cyrillic",
            &[("Переговоры в порту".into(), format!("{base}/cp1251/page.html"), "кратко".into())],
        )),
        "cp1251/page.html" => cp1251_page(),
        "broken-page/feed.xml" => xml(rss(
            &base,
            "Broken pages",
            &[("A story whose page is gone".into(), format!("{base}/status/404"), "The summary survives.".into())],
        )),
        p if p.starts_with("many/") => {
            let _ = &st;
            html(article_page(&format!("Item {}", p.trim_start_matches("many/")), "M. Any", &PARAS))
        }
        _ => status(404),
    }
}

/// Feeds served at `/shared-path/NAME` (NAME, body) for the test that `fetch` stores what
/// `feed-parse` prints: fields only the element tree gives (`dc:title`, `media:title`,
/// `itunes:author`, the last alternate link, `xml:base`), plain and HTML text, odd dates.
pub const SHARED_PATH_FEEDS: [(&str, &str); 2] = [
    (
        "rss.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <dc:title>Harbour &amp; Quay Gazette</dc:title>
  <link>http://harbour.test/</link>
  <dc:language>en-gb</dc:language>
  <item>
    <media:title>Ferry timetable changes from Monday</media:title>
    <link>/news/ferry-timetable</link>
    <guid isPermaLink="false">hqg-ferry-1</guid>
    <itunes:author>Nell Quayside</itunes:author>
    <pubDate>Wed, 2013/10/02 21:07:44 PDT</pubDate>
    <description>The &lt;b&gt;early&lt;/b&gt; ferry moves to 06:40.</description>
    <content:encoded><![CDATA[<p onclick="track()">The early ferry <a href="../timetables/winter.pdf">moves</a>.</p><script>track()</script>]]></content:encoded>
    <category>Transport</category>
    <media:category>Ferries</media:category>
    <enclosure url="/img/ferry.jpg" type="image/jpeg" length="1234"/>
  </item>
  <item>
    <title>Fish market &lt;b&gt;reopens&lt;/b&gt;</title>
    <guid>http://harbour.test/news/fish-market</guid>
    <dc:creator>tomas@harbour.test (Tomas Netmaker)</dc:creator>
    <pubDate>Tue, 09 Mar 2021 07:15:42 Etc/GMT-2</pubDate>
    <description>Stalls &amp; prices: 3 &lt; 4.</description>
  </item>
</channel>
</rss>"#,
    ),
    (
        "atom.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://lighthouse.test/blog/">
  <title type="html">Lighthouse &lt;em&gt;log&lt;/em&gt;</title>
  <link rel="self" href="http://lighthouse.test/feed.atom"/>
  <link rel="alternate" type="text/html" href="/"/>
  <entry>
    <title type="text">Lamp &lt;3 keepers</title>
    <link rel="alternate"/>
    <link rel="alternate" type="text/html" href="posts/lamp"/>
    <id>tag:lighthouse.test,2019:lamp</id>
    <updated>2019-168T08:03:09+05:30</updated>
    <author><name>Ada Beacon</name></author>
    <summary type="text">Keepers say a &lt; b &amp; c.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>New <img src="img/lamp.png"/> lamp.</p></div></content>
  </entry>
</feed>"#,
    ),
];

/// Starts the origin on 127.0.0.1 (any free port).
pub async fn start_origin() -> TestOrigin {
    let state = Arc::new(OriginState::default());
    state.good_entries.store(3, Ordering::SeqCst);
    state.many_entries.store(10_000, Ordering::SeqCst);
    let app = Router::new()
        .route(
            "/",
            get(|| async {
                html(
                    "<!doctype html><html><head><title>Home</title></head><body><p>A site \
                      whose pages name no feed.</p></body></html>"
                        .to_string(),
                )
            }),
        )
        .route("/good/feed.xml", get(good_feed))
        .route("/good/{name}", get(good_page))
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route("/{*path}", get(dynamic))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind test origin");
    let addr = listener.local_addr().expect("local addr");
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    TestOrigin {
        addr,
        state,
        _task: task,
    }
}

/// Starts the origin on its own runtime thread, for tests that are not async.
pub fn start_origin_blocking() -> (TestOrigin, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let origin = rt.block_on(start_origin());
    (origin, rt)
}

/// Which store a [`Site`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `data/newsdesk.db` in the site directory (the default install).
    Sqlite,
    /// `[storage] url` of a fresh database of the test binary's throw-away PostgreSQL cluster
    /// (`newsdesk-pgtest`; a missing PostgreSQL fails the test and names the package), after
    /// `newsdesk migrate`.
    Postgres,
}

/// Runs each named test function (`fn name(backend: Backend)`) twice: `sqlite::name` on a
/// site with a SQLite file and `postgres::name` on a site whose `[storage] url` is a fresh
/// PostgreSQL database. One invocation per test file.
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::support::Backend::Sqlite);
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::support::Backend::Postgres);
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_both_backends;

/// A temporary site directory with a test configuration.
pub struct Site {
    pub dir: tempfile::TempDir,
    /// The store the site's configuration names.
    pub backend: Backend,
    /// The PostgreSQL database's URL ([`Backend::Postgres`] only).
    pub database_url: Option<String>,
}

impl Site {
    /// `newsdesk init` then a test configuration (private addresses allowed, short timeouts),
    /// on SQLite.
    pub fn new(extra_fetch: &str) -> Site {
        Site::on(Backend::Sqlite, extra_fetch)
    }

    /// [`Site::new`] on `backend`: on PostgreSQL, `[storage] url` names a fresh database and
    /// `newsdesk migrate` has created the schema.
    pub fn on(backend: Backend, extra_fetch: &str) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = run(dir.path(), &["init", "."]);
        assert!(
            out.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Tests talk to one local origin: no politeness delay unless a test asks for one.
        let delay = if extra_fetch.contains("per_host_delay_ms") {
            ""
        } else {
            "per_host_delay_ms = 0\n"
        };
        let database_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                Some(newsdesk_pgtest::fresh_database("site").unwrap_or_else(|e| panic!("{e}")))
            }
        };
        let storage = match &database_url {
            None => "database = \"data/newsdesk.db\"".to_owned(),
            Some(url) => format!("url = \"{url}\""),
        };
        let cfg = format!(
            "[storage]\n{storage}\n\n[fetch]\nallow_private_addresses = true\n\
             timeout_secs = 2\nconnect_timeout_secs = 2\n{delay}{extra_fetch}\n"
        );
        std::fs::write(dir.path().join("newsdesk.toml"), cfg).expect("write config");
        let site = Site {
            dir,
            backend,
            database_url,
        };
        if backend == Backend::Postgres {
            site.ok(&["migrate"]);
        }
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite file ([`Backend::Sqlite`] only; see [`Site::rows`] for queries on both).
    pub fn db(&self) -> PathBuf {
        assert_eq!(
            self.backend,
            Backend::Sqlite,
            "Site::db is the SQLite file; use Site::rows on both backends"
        );
        self.dir.path().join("data/newsdesk.db")
    }

    /// Runs `sql` (no parameters; SQL both dialects read the same) on the site's database,
    /// read-only, and returns every row's columns as JSON values (null, integer, real, text).
    pub fn rows(&self, sql: &str) -> Vec<Vec<serde_json::Value>> {
        self.try_rows(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// [`Site::rows`], with the error instead of a panic (for polling a running process).
    pub fn try_rows(&self, sql: &str) -> Result<Vec<Vec<serde_json::Value>>, String> {
        use serde_json::Value;
        match &self.database_url {
            None => {
                let conn = rusqlite::Connection::open_with_flags(
                    self.db(),
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(|e| e.to_string())?;
                let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
                let n = stmt.column_count();
                stmt.query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            Ok(match r.get_ref(i)? {
                                rusqlite::types::ValueRef::Null => Value::Null,
                                rusqlite::types::ValueRef::Integer(v) => Value::from(v),
                                rusqlite::types::ValueRef::Real(v) => Value::from(v),
                                rusqlite::types::ValueRef::Text(t) => {
                                    Value::from(String::from_utf8_lossy(t).into_owned())
                                }
                                rusqlite::types::ValueRef::Blob(_) => Value::Null,
                            })
                        })
                        .collect::<rusqlite::Result<Vec<Value>>>()
                })
                .and_then(|rows| rows.collect())
                .map_err(|e| e.to_string())
            }
            Some(url) => {
                // The synchronous client runs its own runtime: on a thread of its own, so it
                // works from async tests too.
                std::thread::scope(|s| {
                    s.spawn(|| pg_rows(url, sql))
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p))
                })
            }
        }
    }

    /// The one integer `sql` selects (see [`Site::rows`]).
    pub fn query_i64(&self, sql: &str) -> i64 {
        let rows = self.rows(sql);
        rows.first()
            .and_then(|r| r.first())
            .and_then(serde_json::Value::as_i64)
            .unwrap_or_else(|| panic!("{sql}: no integer in {rows:?}"))
    }

    /// The text `sql` selects in its first column of its first row, `None` for no row or NULL.
    pub fn query_text(&self, sql: &str) -> Option<String> {
        self.rows(sql)
            .first()
            .and_then(|r| r.first())
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// Runs newsdesk in the site directory (config found as ./newsdesk.toml).
    pub fn run(&self, args: &[&str]) -> Output {
        run(self.dir.path(), args)
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "newsdesk {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `sources list --json` parsed.
    pub fn sources(&self) -> Vec<serde_json::Value> {
        let s = self.ok(&["sources", "list", "--json"]);
        serde_json::from_str(&s).expect("sources list --json is JSON")
    }
}

/// A finished command's status, stdout and stderr, for assertion messages.
pub fn output_text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// [`Site::try_rows`] on PostgreSQL.
fn pg_rows(url: &str, sql: &str) -> Result<Vec<Vec<serde_json::Value>>, String> {
    use postgres::types::Type;
    use serde_json::Value;
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(|e| e.to_string())?;
    let rows = client.query(sql, &[]).map_err(|e| e.to_string())?;
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| {
                    let ty = r.columns()[i].type_();
                    let v = if *ty == Type::INT8 {
                        r.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::from))
                    } else if *ty == Type::INT4 {
                        r.try_get::<_, Option<i32>>(i).map(|v| v.map(Value::from))
                    } else if *ty == Type::FLOAT8 {
                        r.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::from))
                    } else if *ty == Type::BOOL {
                        r.try_get::<_, Option<bool>>(i)
                            .map(|v| v.map(|b| Value::from(i64::from(b))))
                    } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                        r.try_get::<_, Option<String>>(i)
                            .map(|v| v.map(Value::from))
                    } else {
                        return Err(format!("column {i} has type {ty}: cast it in the query"));
                    };
                    v.map(|v| v.unwrap_or(Value::Null))
                        .map_err(|e| e.to_string())
                })
                .collect()
        })
        .collect()
}

/// Path of the binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_newsdesk")
}

/// The binary in `dir` with a clean environment for configuration (the configuration comes
/// from `dir`).
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.args(args)
        .current_dir(dir)
        .env_remove("NEWSDESK_CONFIG")
        .env_remove("NEWSDESK_DATABASE_URL")
        .env("RUST_LOG", "warn");
    c
}

/// Runs the binary in `dir` with a clean environment for configuration.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("run newsdesk")
}

/// Starts the binary in `dir` (as [`command`]) with its output piped.
pub fn spawn(dir: &Path, args: &[&str]) -> std::process::Child {
    command(dir, args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn newsdesk")
}

/// Opens the SQLite file read-only and runs a scalar query.
pub fn query_i64(db: &Path, sql: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open db");
    conn.query_row(sql, [], |r| r.get(0)).expect("query")
}

/// A `newsdesk serve` child process, killed when dropped.
pub struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// `newsdesk serve --no-fetch` over the site in `dir` on a free loopback port; returns the
/// process and its base URL once `/healthz` answers.
pub fn serve(dir: &Path) -> (Served, String) {
    let mut command = Command::new(bin());
    command.arg("--config").arg(dir.join("newsdesk.toml"));
    serve_with(command)
}

/// `command` (the binary with its global options and environment) run as `serve --no-fetch`
/// on a free loopback port; the process and its base URL once `/healthz` answers.
pub fn serve_with(mut command: Command) -> (Served, String) {
    let port = free_port();
    let child = command
        .args([
            "serve",
            "--no-fetch",
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn serve");
    let served = Served(child);
    let base = format!("http://127.0.0.1:{port}");
    let start = std::time::Instant::now();
    while http_get(&format!("{base}/healthz")).is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (served, base)
}

/// GET over loopback: status and body, `None` when nothing answers.
pub fn http_get(url: &str) -> Option<(u16, String)> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let r = reqwest::get(url).await.ok()?;
        let status = r.status().as_u16();
        Some((status, r.text().await.ok()?))
    })
}

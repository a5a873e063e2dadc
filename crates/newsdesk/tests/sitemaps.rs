//! Google News sitemaps as sources, end to end: a real origin on 127.0.0.1 (robots.txt with a
//! `Sitemap:` line, a news sitemap, a gzip-compressed copy, a sitemap index, article pages)
//! and the real `newsdesk` binary with a real SQLite file and with PostgreSQL.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, Response, StatusCode, header};
use axum::routing::get;
use support::{Backend, Site};

/// Three stories: (slug, sitemap title, publication date, page paragraph).
const STORIES: [(&str, &str, &str, &str); 3] = [
    (
        "harbour",
        "Harbour talks resume after a night of negotiation",
        "2026-05-30T10:00:00+02:00",
        "Negotiators for the dock workers and the port authority of the fictional town of Portavel met again on Tuesday morning, after talks that lasted through the night, and said that fourteen vessels waiting outside the harbour would be unloaded by Friday if the agreement holds.",
    ),
    (
        "library",
        "City library reopens its reading room",
        "2026-05-31T09:30:00Z",
        "The municipal library of the fictional town of Portavel reopened its reading room on Wednesday after eight months of repairs to the roof, and the librarians said that more than two hundred readers came through the doors before noon on the first day.",
    ),
    (
        "ferry",
        "Night ferry timetable changes for the summer",
        "2026-06-01T07:15:00+01:00",
        "The ferry company that links the fictional town of Portavel to the islands will run its night crossing three times a week from the first of July, the company announced on Thursday, after a winter in which the crossing ran only on Saturdays.",
    ),
];

#[derive(Default)]
struct Counters {
    pages: AtomicUsize,
    sitemap: AtomicUsize,
}

fn news_sitemap(base: &str) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\" \
         xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">\n",
    );
    for (slug, title, date, _) in STORIES {
        s.push_str(&format!(
            "<url><loc>{base}/news/{slug}.html</loc><news:news><news:publication>\
             <news:name>Portavel Gazette</news:name><news:language>en</news:language>\
             </news:publication><news:publication_date>{date}</news:publication_date>\
             <news:title>{title}</news:title></news:news>\
             <image:image><image:loc>{base}/img/{slug}.jpg</image:loc></image:image></url>\n"
        ));
    }
    s.push_str("</urlset>\n");
    s
}

fn sitemap_index(base: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
         <sitemap><loc>{base}/archive-2019.xml</loc><lastmod>2019-12-31</lastmod></sitemap>\n\
         <sitemap><loc>{base}/sitemap_news.xml.gz</loc></sitemap>\n\
         </sitemapindex>\n"
    )
}

fn article(title: &str, para: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{title} (page title) | Portavel Gazette</title></head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>{title} (page title)</h1>\
         <p>{para}</p><p>{para}</p></article><footer>Portavel Gazette</footer></body></html>"
    )
}

/// CRC-32 (IEEE), for the gzip trailer.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A gzip file made of stored (uncompressed) deflate blocks: a real `.xml.gz`, no codec needed.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let chunks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend(*chunk);
    }
    out.extend(crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

async fn serve(
    State(counters): State<Arc<Counters>>,
    headers: HeaderMap,
    UrlPath(path): UrlPath<String>,
) -> Response<Body> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let base = format!("http://{host}");
    let reply = |ct: &str, body: Vec<u8>| {
        Response::builder()
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .expect("sitemaps test")
    };
    match path.as_str() {
        "robots.txt" => reply(
            "text/plain",
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap_index.xml\nSitemap: {base}/sitemap_news.xml\n"
            ).into_bytes(),
        ),
        "sitemap_news.xml" => {
            counters.sitemap.fetch_add(1, Ordering::SeqCst);
            reply("application/xml", news_sitemap(&base).into_bytes())
        }
        "sitemap_news.xml.gz" => reply(
            "application/gzip",
            gzip_stored(news_sitemap(&base).as_bytes()),
        ),
        "sitemap_index.xml" => reply("application/xml", sitemap_index(&base).into_bytes()),
        p => match STORIES
            .iter()
            .find(|(slug, ..)| p == format!("news/{slug}.html"))
        {
            Some((_, title, _, para)) => {
                counters.pages.fetch_add(1, Ordering::SeqCst);
                reply(
                    "text/html; charset=utf-8",
                    article(title, para).into_bytes(),
                )
            }
            None => Response::builder()
                .status(StatusCode::NOT_FOUND)
                .body(Body::empty())
                .expect("sitemaps test"),
        },
    }
}

async fn home() -> Response<Body> {
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(
            "<!doctype html><html><head><title>Portavel Gazette</title></head><body>Home</body></html>",
        ))
        .expect("sitemaps test")
}

struct Origin {
    addr: SocketAddr,
    counters: Arc<Counters>,
    _rt: tokio::runtime::Runtime,
}

impl Origin {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn start() -> Origin {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("sitemaps test");
    let counters = Arc::new(Counters::default());
    let app = Router::new()
        .route("/", get(home))
        .route("/{*path}", get(serve))
        .with_state(counters.clone());
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("sitemaps test");
    let addr = listener.local_addr().expect("sitemaps test");
    rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Origin {
        addr,
        counters,
        _rt: rt,
    }
}

fn article_rows(site: &Site) -> Vec<(String, String, String, String)> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    site.rows("SELECT url, title, published_at, body_text FROM articles ORDER BY url")
        .iter()
        .map(|r| (text(&r[0]), text(&r[1]), text(&r[2]), text(&r[3])))
        .collect()
}

fn news_sitemap_is_discovered_added_and_fetched_once(backend: Backend) {
    let origin = start();
    let site = Site::on(backend, "");
    let sitemap = origin.url("/sitemap_news.xml");

    // discover lists the sitemap announced in robots.txt, with its entries
    let out = site.ok(&["sources", "discover", &origin.url("/")]);
    let line = out
        .lines()
        .find(|l| l.contains(&sitemap))
        .unwrap_or_else(|| panic!("sitemap not listed: {out}"));
    assert!(line.contains("Google News sitemap"), "{line}");
    assert!(line.contains("3 entries"), "{line}");
    assert!(line.contains("Portavel Gazette"), "{line}");

    // add stores it as a source, named after the publication, in its language
    let out = site.ok(&["sources", "add", &sitemap]);
    assert!(out.contains("added source"), "{out}");
    let sources = site.sources();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["feed_url"].as_str(), Some(sitemap.as_str()));
    assert_eq!(sources[0]["name"].as_str(), Some("Portavel Gazette"));
    assert_eq!(sources[0]["language"].as_str(), Some("en"));

    // fetch stores every article: title and date from the sitemap, body from the page
    let out = site.ok(&["fetch"]);
    assert!(out.contains("3 new articles"), "{out}");
    assert_eq!(origin.counters.pages.load(Ordering::SeqCst), 3);
    let rows = article_rows(&site);
    assert_eq!(rows.len(), 3);
    for (slug, title, date, para) in STORIES {
        let (url, stored_title, published, body) = rows
            .iter()
            .find(|r| r.0.ends_with(&format!("/news/{slug}.html")))
            .unwrap_or_else(|| panic!("{slug} not stored: {rows:?}"));
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert_eq!(stored_title, title);
        let expected = chrono_free_utc(date);
        assert!(
            published.starts_with(&expected),
            "{published} vs {expected}"
        );
        assert!(body.contains(&para[..60]), "{body}");
    }

    // a second fetch reads the sitemap again but stores nothing and fetches no page again
    let before = origin.counters.sitemap.load(Ordering::SeqCst);
    let out = site.ok(&["fetch"]);
    assert!(out.contains("0 new articles"), "{out}");
    assert!(origin.counters.sitemap.load(Ordering::SeqCst) > before);
    assert_eq!(origin.counters.pages.load(Ordering::SeqCst), 3);
    assert_eq!(site.query_i64("SELECT COUNT(*) FROM articles"), 3);
}

fn sitemap_index_is_checked_and_read_through_its_gzip_child(backend: Backend) {
    let origin = start();
    let site = Site::on(backend, "");
    let index = origin.url("/sitemap_index.xml");

    // check reports the index, the child it reads (news-like, gzip) and the entries' dates
    let out = site.ok(&["sources", "check", &index]);
    assert!(out.contains("format: sitemap index"), "{out}");
    assert!(out.contains("2 child sitemaps listed; read 1"), "{out}");
    assert!(out.contains("sitemap_news.xml.gz"), "{out}");
    assert!(!out.contains("archive-2019.xml"), "old child read: {out}");
    assert!(
        out.contains("entries: 3 (3 dated, 0 without a link)"),
        "{out}"
    );
    assert!(
        out.contains("newest entry: 2026-06-01T06:15:00+00:00"),
        "{out}"
    );
    assert!(out.contains("Harbour talks resume"), "{out}");
    assert_eq!(site.query_i64("SELECT COUNT(*) FROM sources"), 0);

    // discover lists the index announced in robots.txt too (read through its news child)
    let out = site.ok(&["sources", "discover", &origin.url("/")]);
    let line = out
        .lines()
        .find(|l| l.contains(&index))
        .unwrap_or_else(|| panic!("index not listed: {out}"));
    assert!(line.contains("3 entries"), "{line}");

    site.ok(&["sources", "add", &origin.url("/sitemap_news.xml")]);
    let out = site.ok(&["fetch"]);
    assert!(out.contains("3 new articles"), "{out}");
    assert_eq!(origin.counters.pages.load(Ordering::SeqCst), 3);

    // discover --add adds what it lists (the index) and keeps what is already a source
    let out = site.ok(&["sources", "discover", &origin.url("/"), "--add"]);
    assert!(out.contains("already present as source 1"), "{out}");
    // (ids are the store's: PostgreSQL's sequences skip the id a refused duplicate drew)
    let sources = site.sources();
    let added = sources
        .iter()
        .find(|s| s["feed_url"].as_str() == Some(index.as_str()))
        .unwrap_or_else(|| panic!("index added as a source: {sources:?}"));
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(
        out.contains(&format!(
            "added source {}: Portavel Gazette <{index}>",
            added["id"]
        )),
        "{out}"
    );

    // the index lists the same pages (through its gzip child): they are already stored, so
    // none is fetched or stored again
    let out = site.ok(&["fetch"]);
    assert!(out.contains("2 ok"), "{out}");
    assert!(out.contains("0 new articles"), "{out}");
    assert_eq!(origin.counters.pages.load(Ordering::SeqCst), 3);
    assert_eq!(site.query_i64("SELECT COUNT(*) FROM articles"), 3);
}

/// `2026-05-30T10:00:00+02:00` → `2026-05-30T08:00:00` (the UTC instant's prefix as stored).
fn chrono_free_utc(date: &str) -> String {
    let (day, rest) = date.split_once('T').expect("sitemaps test");
    let (hms, offset) = if let Some(t) = rest.strip_suffix('Z') {
        (t, 0)
    } else {
        let (t, off) = rest.split_at(8);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let hours: i32 = off[1..3].parse().expect("sitemaps test");
        (t, sign * hours)
    };
    let hour: i32 = hms[..2].parse().expect("sitemaps test");
    // the fixtures never cross midnight
    format!("{day}T{:02}{}", hour - offset, &hms[2..])
}

support::on_both_backends!(
    news_sitemap_is_discovered_added_and_fetched_once,
    sitemap_index_is_checked_and_read_through_its_gzip_child,
);

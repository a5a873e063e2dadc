//! The demo and the web site over a database filled by the real pipeline, through the real binary.

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{bin, free_port};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(url: &str) -> (u16, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    rt.block_on(async {
        let r = reqwest::get(url).await.expect("request");
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    })
}

#[test]
fn demo_fetches_the_sample_corpus_and_serve_publishes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("demo");
    let out = Command::new(bin())
        .args(["demo", "--no-serve", "--data", data.to_str().expect("utf8")])
        .env_remove("NEWSDESK_CONFIG")
        .output()
        .expect("run demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "demo failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("0 failed"), "{stdout}");
    let db = data.join("data/newsdesk.db");
    let n = support::query_i64(&db, "SELECT COUNT(*) FROM articles");
    assert!(n >= 60, "demo stored {n} articles");
    let langs = support::query_i64(&db, "SELECT COUNT(DISTINCT language) FROM articles");
    assert!(langs >= 4, "demo languages {langs}");
    let from_pages = support::query_i64(
        &db,
        "SELECT COUNT(*) FROM articles WHERE origin_kind = 'page'",
    );
    assert!(
        from_pages * 10 >= n * 9,
        "most demo articles extracted from pages ({from_pages}/{n})"
    );

    // Serve that database with the real binary and read it over HTTP.
    let port = free_port();
    let child = Command::new(bin())
        .args([
            "--config",
            data.join("newsdesk.toml").to_str().expect("utf8"),
            "serve",
            "--no-fetch",
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let _server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let start = Instant::now();
    loop {
        if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            && rt.block_on(async { reqwest::get(format!("{base}/healthz")).await.is_ok() })
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, home) = get(&format!("{base}/"));
    assert_eq!(status, 200);
    assert!(home.contains("<html lang="), "html lang");
    let (status, api) = get(&format!("{base}/api/v1/articles?limit=5"));
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&api).expect("api json");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    let id = items[0]["id"].as_i64().expect("id");
    let title = items[0]["title"].as_str().expect("title");
    let (status, page) = get(&format!("{base}/articles/{id}"));
    // The templates escape '/' as &#x2f; (valid HTML); compare on the unescaped text.
    let page = page.replace("&#x2f;", "/").replace("&#x27;", "'");
    assert_eq!(status, 200);
    let url = items[0]["url"].as_str().expect("url");
    assert!(page.contains(url), "article page links the original");
    let escaped_title = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(
        page.contains(&escaped_title) || page.contains(title),
        "article page shows its title"
    );
    let (status, feed) = get(&format!("{base}/feed.atom"));
    assert_eq!(status, 200);
    assert!(feed.contains("<feed"), "atom feed");
    let (status, sources) = get(&format!("{base}/sources"));
    assert_eq!(status, 200);
    assert!(
        sources.matches("/sources/").count() >= 6,
        "six sources listed"
    );
}

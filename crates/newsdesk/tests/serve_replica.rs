//! `[storage] read_url` / `$NEWSDESK_DATABASE_READ_URL`: `newsdesk serve` answers the site's
//! reads from a read replica and sends writes (API profile edits) to the primary; `newsdesk
//! status` shows the replica without its password; SQLite refuses a read URL.
//!
//! Routing is proved on two databases with the same schema and different rows; a real
//! streaming standby (`pg_basebackup -R`) then serves through `newsdesk serve` what was written
//! to the primary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use newsdesk_core::{ContentOrigin, NewArticle, NewSource};
use newsdesk_store::Store;
use support::{Served, bin, free_port, http_get};

const TOKEN: &str = "replica-test-operator-token-0123";

/// A `newsdesk` command in `dir` with only the given database variables set.
fn newsdesk(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.args(args)
        .current_dir(dir)
        .env_remove("NEWSDESK_CONFIG")
        .env_remove("NEWSDESK_DATABASE_URL")
        .env_remove("NEWSDESK_DATABASE_READ_URL")
        .env_remove("NEWSDESK_OPERATOR_TOKEN")
        .env("RUST_LOG", "warn");
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `newsdesk serve --no-fetch` in `dir` with these database variables, once `/healthz` answers.
fn serve(dir: &Path, env: &[(&str, &str)]) -> (Served, String) {
    support::serve_with(newsdesk(dir, env, &[]))
}

/// `newsdesk serve --no-fetch` in `dir` that is expected to refuse to start: its output.
fn serve_refused(dir: &Path, env: &[(&str, &str)]) -> Output {
    let bind = format!("127.0.0.1:{}", free_port());
    let out = newsdesk(dir, env, &["serve", "--no-fetch", "--bind", &bind])
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    out
}

/// `PATCH url` with the operator's token and a JSON body: status and body.
fn patch_json(url: &str, body: &str) -> (u16, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let r = reqwest::Client::new()
            .patch(url)
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("PATCH");
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    })
}

fn get_ok(url: &str) -> String {
    let (status, body) = http_get(url).unwrap_or_else(|| panic!("{url}: no answer"));
    assert_eq!(status, 200, "{url}: {body}");
    body
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// An article of `source` titled after `key`.
fn article(source: i64, key: &str, secs: i64) -> NewArticle {
    let at = chrono::DateTime::from_timestamp(secs, 0).unwrap();
    NewArticle {
        source_id: source,
        entry_key: key.to_owned(),
        url: format!("https://{key}.example/news/{key}"),
        canonical_url: None,
        title: format!("Headline {key}"),
        authors: vec![],
        published_at: Some(at),
        modified_at: None,
        fetched_at: at,
        lead_image: None,
        language: Some("en".into()),
        summary: None,
        body_html: format!("<p>Body of {key}</p>"),
        body_text: format!("Body of {key}"),
        tags: vec![],
        origin: ContentOrigin::Page,
    }
}

/// A migrated database holding source 1 (`https://{name}.example/feed`) and article 1.
fn database_with(name: &str) -> String {
    let url = newsdesk_pgtest::fresh_database(name).unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open_url(&url).unwrap();
    let s = store
        .add_source(&NewSource::new(format!("https://{name}.example/feed")))
        .unwrap();
    let a = store
        .insert_article(&article(s.id, name, 1_700_000_000))
        .unwrap();
    assert_eq!((s.id, a), (1, Some(1)));
    url
}

fn write_config(dir: &Path, url: &str, read_url: Option<&str>) {
    let read = read_url.map_or(String::new(), |r| format!("read_url = \"{r}\"\n"));
    std::fs::write(
        dir.join("newsdesk.toml"),
        format!("[storage]\nurl = \"{url}\"\n{read}\n[web]\noperator_token = \"{TOKEN}\"\n"),
    )
    .expect("config");
}

#[test]
fn serve_reads_the_site_from_the_replica_and_writes_to_the_primary() {
    let primary_url = database_with("srv_primary");
    let replica_url = database_with("srv_replica");
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(dir.path(), &primary_url, Some(&replica_url));
    let (_served, base) = serve(dir.path(), &[]);

    // Pages, the API, search and feeds: the replica's rows.
    let home = get_ok(&format!("{base}/"));
    assert!(home.contains("Headline srv_replica"), "{home}");
    assert!(!home.contains("Headline srv_primary"), "{home}");
    let page = get_ok(&format!("{base}/articles/1"));
    assert!(page.contains("Headline srv_replica"), "{page}");
    let list = json(&get_ok(&format!("{base}/api/v1/articles")));
    assert!(list.to_string().contains("Headline srv_replica"), "{list}");
    assert!(!list.to_string().contains("Headline srv_primary"), "{list}");
    let found = get_ok(&format!("{base}/api/v1/search?q=srv_replica"));
    assert!(found.contains("Headline srv_replica"), "{found}");
    let feed = get_ok(&format!("{base}/feed.atom"));
    assert!(feed.contains("Headline srv_replica"), "{feed}");
    let source = get_ok(&format!("{base}/api/v1/sources/1"));
    assert!(
        source.contains("https://srv_replica.example/feed"),
        "{source}"
    );

    // A profile edit is a read-modify-write: it runs on the primary and answers its row.
    let (status, body) = patch_json(
        &format!("{base}/api/v1/sources/1/profile"),
        r#"{"owner": "Owner set through the primary"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("https://srv_primary.example/feed"), "{body}");
    assert!(body.contains("Owner set through the primary"), "{body}");
    let primary = Store::open_url_without_migrating(&primary_url).unwrap();
    let edited = primary.get_source(1).unwrap().unwrap().source;
    assert_eq!(
        edited.profile.owner.as_deref(),
        Some("Owner set through the primary")
    );
    let replica = Store::open_url_without_migrating(&replica_url).unwrap();
    let untouched = replica.get_source(1).unwrap().unwrap().source;
    assert_eq!(untouched.profile.owner, None);
    // This "replica" is a separate database nothing copies into: the site still shows its row.
    let page = get_ok(&format!("{base}/sources/1"));
    assert!(!page.contains("Owner set through the primary"), "{page}");
}

#[test]
fn status_shows_the_replica_without_its_password_and_the_environment_wins() {
    let primary_url = database_with("st_primary");
    let replica_url = database_with("st_replica");
    let with_password = replica_url.replace("postgres@", "postgres:s3cret-word@");
    let dir = tempfile::tempdir().expect("tempdir");
    // The file names a database that does not exist; the environment names the replica.
    let missing = replica_url.replace("/t_", "/missing_");
    write_config(dir.path(), &primary_url, Some(&missing));
    let env = [("NEWSDESK_DATABASE_READ_URL", with_password.as_str())];

    let out = newsdesk(dir.path(), &env, &["status"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("read replica"))
        .unwrap_or_else(|| panic!("{}", text(&out)));
    let db = replica_url.rsplit('/').next().unwrap();
    assert!(line.contains(db), "{line}");
    assert!(line.contains("***"), "{line}");
    assert!(line.contains("not a standby"), "{line}");
    assert!(!text(&out).contains("s3cret"), "{}", text(&out));

    let out = newsdesk(dir.path(), &env, &["status", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let status = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(status["replica"]["streaming"], false, "{status}");
    assert_eq!(
        status["replica"]["schema_version"],
        newsdesk_store::SCHEMA_VERSION,
        "{status}"
    );
    assert!(!status.to_string().contains("s3cret"), "{status}");

    // Without the variable the file's read_url is used: status says it is unusable (and still
    // reports the primary); serve refuses to start on it.
    let out = newsdesk(dir.path(), &[], &["status"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("read replica   unusable") && text(&out).contains("missing_"),
        "{}",
        text(&out)
    );
    let out = serve_refused(dir.path(), &[]);
    assert!(text(&out).contains("read_url"), "{}", text(&out));
    assert!(
        text(&out).contains("read replica: cannot connect"),
        "{}",
        text(&out)
    );
}

#[test]
fn sqlite_refuses_a_read_url_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(support::run(dir.path(), &["init", "site"]).status.success());
    let site = dir.path().join("site");
    let replica = newsdesk_pgtest::fresh_database("sqlite_read").unwrap_or_else(|e| panic!("{e}"));
    let env = [("NEWSDESK_DATABASE_READ_URL", replica.as_str())];
    let out = serve_refused(&site, &env);
    assert!(
        text(&out).contains("a read replica needs PostgreSQL"),
        "{}",
        text(&out)
    );
    // Commands that write ignore it.
    let out = newsdesk(&site, &env, &["sources", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn serve_answers_from_a_streaming_standby_what_was_written_to_the_primary() {
    let cluster = newsdesk_pgtest::PgCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let primary_url = cluster.create_database("serve_streamed").unwrap();
    let db = primary_url.rsplit('/').next().unwrap().to_owned();
    let standby =
        newsdesk_pgtest::PgCluster::start_replica_of(&cluster).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(dir.path(), &primary_url, Some(&standby.url(&db)));
    let out = newsdesk(dir.path(), &[], &["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let primary = Store::open_url_without_migrating(&primary_url).unwrap();
    let s = primary
        .add_source(&NewSource::new("https://streamed.example/feed"))
        .unwrap();
    primary
        .insert_article(&article(s.id, "streamed", 1_700_000_000))
        .unwrap();
    standby.wait_replayed(&cluster).unwrap();

    let (_served, base) = serve(dir.path(), &[]);
    let home = get_ok(&format!("{base}/"));
    assert!(home.contains("Headline streamed"), "{home}");

    // Written while serve runs: on the site once the standby replayed it.
    let later = primary
        .insert_article(&article(s.id, "later", 1_700_000_100))
        .unwrap()
        .unwrap();
    standby.wait_replayed(&cluster).unwrap();
    let page = json(&get_ok(&format!("{base}/api/v1/articles/{later}")));
    assert!(page.to_string().contains("Headline later"), "{page}");

    let out = newsdesk(dir.path(), &[], &["status"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("streaming standby") && text(&out).contains("bytes of WAL behind"),
        "{}",
        text(&out)
    );

    // The standby goes away: the node says so on /healthz rather than quietly reading the
    // primary (a load balancer takes it out).
    drop(standby);
    let (status, body) = http_get(&format!("{base}/healthz")).expect("healthz answers");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("database unavailable"), "{body}");
}

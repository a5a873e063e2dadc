//! The CLI on PostgreSQL: `[storage] url` / `$NEWSDESK_DATABASE_URL` select it, `newsdesk
//! migrate` creates and upgrades the schema, other commands refuse a schema older or newer than
//! this build's.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::bin;
use support::output_text as text;

fn newsdesk(dir: &Path, env_url: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(bin());
    c.args(args)
        .current_dir(dir)
        .env_remove("NEWSDESK_CONFIG")
        .env_remove("NEWSDESK_DATABASE_URL")
        .env("RUST_LOG", "warn");
    if let Some(url) = env_url {
        c.env("NEWSDESK_DATABASE_URL", url);
    }
    c.output().expect("run newsdesk")
}

#[test]
fn storage_url_selects_postgresql_and_migrate_creates_the_schema() {
    let url = newsdesk_pgtest::fresh_database("cli_url").unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("newsdesk.toml"),
        format!("[storage]\nurl = \"{url}\"\n"),
    )
    .expect("config");

    // Before `migrate`, a node refuses the empty database and says what to run.
    let out = newsdesk(dir.path(), None, &["sources", "list"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("newsdesk migrate"), "{}", text(&out));

    let out = newsdesk(dir.path(), None, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    let version = newsdesk_store::SCHEMA_VERSION.to_string();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("schema version {version}")),
        "{}",
        text(&out)
    );

    let out = newsdesk(
        dir.path(),
        None,
        &["sources", "add", "--no-check", "https://one.example/feed"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = newsdesk(dir.path(), None, &["sources", "list"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("one.example"),
        "{}",
        text(&out)
    );
    // The source is in PostgreSQL, and no SQLite file was made.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let n: i64 = client
        .query_one("SELECT count(*) FROM sources", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 1);
    assert!(!dir.path().join("data/newsdesk.db").exists());
}

#[test]
fn the_environment_variable_overrides_the_file_and_a_newer_schema_is_refused() {
    let url = newsdesk_pgtest::fresh_database("cli_env").unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("newsdesk.toml"),
        "[storage]\ndatabase = \"data/newsdesk.db\"\n",
    )
    .expect("config");
    let out = newsdesk(dir.path(), Some(&url), &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = newsdesk(
        dir.path(),
        Some(&url),
        &["sources", "add", "--no-check", "https://two.example/feed"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(!dir.path().join("data/newsdesk.db").exists());

    // A later build migrated this database: this one refuses to run on it, and to migrate it.
    let newer = i64::from(newsdesk_store::SCHEMA_VERSION + 3);
    postgres::Client::connect(&url, postgres::NoTls)
        .expect("connect")
        .execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, 'later')",
            &[&newer],
        )
        .expect("bump");
    for args in [&["sources", "list"][..], &["migrate"][..]] {
        let out = newsdesk(dir.path(), Some(&url), args);
        assert!(!out.status.success(), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("newer") && text(&out).contains(&newer.to_string()),
            "{args:?}: {}",
            text(&out)
        );
    }
}

#[test]
fn migrate_on_sqlite_reports_the_file_and_its_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(support::run(dir.path(), &["init", "site"]).status.success());
    let out = newsdesk(&dir.path().join("site"), None, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("newsdesk.db"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "schema version {}",
            newsdesk_store::SCHEMA_VERSION
        )),
        "{stdout}"
    );
}

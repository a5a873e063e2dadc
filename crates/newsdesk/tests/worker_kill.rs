//! `kill -9` one of two `newsdesk worker` processes in the middle of a run: the other one takes
//! over its expired leases and finishes, and every feed entry ends up stored exactly once,
//! checked by count and by URL, with no job left on the queue. On PostgreSQL (a throw-away
//! cluster from `newsdesk-pgtest`) and on one SQLite file.
//!
//! The sites are the generated origin of `newsdesk bench` (`newsdesk_bench::origin`, a normal
//! dependency of this package): 6 sites x 25 entries on `s<i>.bench.test`, sent to 127.0.0.1 by
//! `[fetch] resolve`, every answer delayed so that jobs are in flight when the worker dies.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use newsdesk_bench::origin::{GeneratedOrigin, RESOLVE_TOML};
use support::bin;

const SITES: usize = 6;
const ENTRIES: usize = 25;
const LEASE_SECS: &str = "3";

/// The database under test, as the test reads it.
enum Db {
    Postgres(String),
    Sqlite(PathBuf),
}

impl Db {
    fn name(&self) -> &'static str {
        match self {
            Db::Postgres(_) => "PostgreSQL",
            Db::Sqlite(_) => "SQLite",
        }
    }

    /// The `[storage]` table of the workers' configuration.
    fn storage_toml(&self) -> String {
        match self {
            Db::Postgres(url) => format!("[storage]\nurl = \"{url}\"\n"),
            Db::Sqlite(path) => format!("[storage]\ndatabase = \"{}\"\n", path.display()),
        }
    }

    fn count(&self, sql: &str) -> i64 {
        match self {
            Db::Postgres(url) => {
                let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
                c.query_one(sql, &[]).expect(sql).get(0)
            }
            Db::Sqlite(path) => support::query_i64(path, sql),
        }
    }

    fn strings(&self, sql: &str) -> Vec<String> {
        match self {
            Db::Postgres(url) => {
                let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
                c.query(sql, &[])
                    .expect(sql)
                    .iter()
                    .map(|r| r.get(0))
                    .collect()
            }
            Db::Sqlite(path) => {
                let c = rusqlite::Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .expect("open db");
                let mut st = c.prepare(sql).expect(sql);
                st.query_map([], |r| r.get::<_, String>(0))
                    .expect(sql)
                    .collect::<Result<_, _>>()
                    .expect(sql)
            }
        }
    }
}

/// A worker process with its output files; killed if still running when dropped.
struct Worker {
    name: String,
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Worker {
    fn start(config: &Path, dir: &Path, name: &str) -> Worker {
        let stdout = dir.join(format!("{name}.json"));
        let stderr = dir.join(format!("{name}.log"));
        let child = Command::new(bin())
            .arg("--config")
            .arg(config)
            .args([
                "worker",
                "--until-idle",
                "--json",
                "--lease-secs",
                LEASE_SECS,
                "--name",
                name,
            ])
            .env_remove("NEWSDESK_CONFIG")
            .env_remove("NEWSDESK_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout).expect("stdout file"))
            .stderr(std::fs::File::create(&stderr).expect("stderr file"))
            .spawn()
            .expect("start newsdesk worker");
        Worker {
            name: name.to_owned(),
            child,
            stdout,
            stderr,
        }
    }

    fn output(&self) -> String {
        format!(
            "worker {}: stdout: {}\nstderr: {}",
            self.name,
            std::fs::read_to_string(&self.stdout).unwrap_or_default(),
            std::fs::read_to_string(&self.stderr).unwrap_or_default()
        )
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn killed_worker_loses_and_duplicates_nothing(db: Db) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let origin = rt
        .block_on(GeneratedOrigin::start(ENTRIES))
        .expect("origin");
    // Every answer waits, so that the killed worker dies with jobs in flight.
    origin.set_delay(Duration::from_millis(80));

    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("newsdesk.toml");
    std::fs::write(
        &config,
        format!(
            "{}\n[fetch]\nallow_private_addresses = true\n{RESOLVE_TOML}\n\
             fetch_article_pages = true\nmax_connections_per_host = 2\nper_host_delay_ms = 5\n\
             timeout_secs = 10\n",
            db.storage_toml()
        ),
    )
    .expect("config");
    let newsdesk = |args: &[&str]| {
        let out = Command::new(bin())
            .arg("--config")
            .arg(&config)
            .args(args)
            .env_remove("NEWSDESK_CONFIG")
            .env_remove("NEWSDESK_DATABASE_URL")
            .output()
            .expect("run newsdesk");
        assert!(
            out.status.success(),
            "newsdesk {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    newsdesk(&["migrate"]);
    for i in 0..SITES {
        newsdesk(&["sources", "add", "--no-check", &origin.feed_url(i)]);
    }
    let total = (SITES * ENTRIES) as i64;

    let mut victim = Worker::start(&config, dir.path(), "victim");
    let mut survivor = Worker::start(&config, dir.path(), "survivor");

    // Once some but not all articles are stored, and while the victim holds jobs, SIGKILL it.
    let start = Instant::now();
    let victim_jobs =
        "SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner = 'victim'";
    let stored_at_kill = loop {
        let stored = db.count("SELECT count(*) FROM articles");
        if stored >= total / 10 && db.count(victim_jobs) > 0 {
            victim.child.kill().expect("kill -9 the victim");
            assert!(
                stored < total,
                "every article was stored before the kill: make the origin slower"
            );
            break stored;
        }
        if let Some(status) = victim.child.try_wait().expect("victim") {
            panic!(
                "the victim exited ({status}) before the kill, {stored} articles stored\n{}",
                victim.output()
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no article stored while the victim held a job after 120 s\n{}\n{}",
            victim.output(),
            survivor.output()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let status = victim.child.wait().expect("reap the victim");
    assert!(!status.success(), "the victim was killed: {status}");
    // The jobs it died with keep its lease until the lease expires (3 s): nobody renews them.
    let orphaned = db.count(victim_jobs);
    assert!(orphaned > 0, "the victim held no article page when it died");

    // The survivor finishes the run (the victim's leases expire after 3 s).
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = survivor.child.try_wait().expect("survivor") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the survivor did not finish in 180 s: {} of {total} articles stored, queue: {:?}\n{}",
            db.count("SELECT count(*) FROM articles"),
            db.strings(
                "SELECT kind || ' ' || state || ' ' || coalesce(lease_owner, '-') FROM jobs"
            ),
            survivor.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "survivor: {status}\n{}",
        survivor.output()
    );
    let report: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&survivor.stdout)
            .expect("survivor stdout")
            .trim(),
    )
    .unwrap_or_else(|e| panic!("survivor --json: {e}\n{}", survivor.output()));
    assert_eq!(report["worker"], "survivor", "{report}");

    // By count: every entry once.
    assert_eq!(db.count("SELECT count(*) FROM feed_entries"), total);
    assert_eq!(db.count("SELECT count(*) FROM articles"), total);
    assert_eq!(db.count("SELECT count(DISTINCT url) FROM articles"), total);
    // By URL: exactly the entries' pages, none twice, none missing.
    let urls = db.strings("SELECT url FROM articles ORDER BY url");
    let stored: BTreeSet<String> = urls.iter().cloned().collect();
    assert_eq!(stored.len(), urls.len(), "a URL stored twice");
    let expected: BTreeSet<String> = (0..SITES)
        .flat_map(|i| (0..ENTRIES).map(move |j| (i, j)))
        .map(|(i, j)| origin.page_url(i, j))
        .collect();
    assert_eq!(stored, expected);
    // Nothing left on the queue: no job queued, running or given up.
    let left =
        db.strings("SELECT kind || ' ' || state || ' ' || coalesce(last_error, '') FROM jobs");
    assert!(left.is_empty(), "jobs left: {left:?}");
    // Only the survivor was alive to store what was missing at the kill.
    let survivor_stored = report["articles_stored"].as_i64().unwrap_or(-1);
    assert!(
        (1..=total).contains(&survivor_stored),
        "survivor stored {survivor_stored} ({stored_at_kill} were stored at the kill, \
         the victim held {orphaned} jobs)\n{report}"
    );
    // Politeness held across both workers, as the sites saw it: never more requests in flight
    // on one host than `max_connections_per_host`.
    let busiest = origin.max_in_flight_per_host();
    assert!(
        (1..=2).contains(&busiest),
        "{busiest} requests in flight on one host (the limit is 2 across all workers)"
    );
    eprintln!(
        "{}: at most {busiest} requests in flight per host; {stored_at_kill} of {total} stored at the kill, the victim held {orphaned} article \
         pages; survivor: {report}",
        db.name()
    );
    drop(origin);
}

#[test]
fn a_worker_killed_mid_run_on_postgresql_loses_and_duplicates_nothing() {
    let url = newsdesk_pgtest::fresh_database("worker_kill").unwrap_or_else(|e| panic!("{e}"));
    killed_worker_loses_and_duplicates_nothing(Db::Postgres(url));
}

#[test]
fn a_worker_killed_mid_run_on_sqlite_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    killed_worker_loses_and_duplicates_nothing(Db::Sqlite(dir.path().join("newsdesk.db")));
}

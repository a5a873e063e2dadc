//! Test harness: a throw-away PostgreSQL cluster in a temporary directory.
//!
//! [`PgCluster::start`] runs `initdb` on a fresh temporary directory, starts the server on a free
//! port of 127.0.0.1 (its unix socket in the same directory, so it never meets a system server)
//! and hands out one database per test with [`PgCluster::create_database`]. Dropping the cluster
//! stops the server and removes the directory. [`shared`] starts one cluster per test binary;
//! it is stopped and removed when the test process exits, however it exits (a watchdog process
//! waits for the end of a pipe the test process holds), so a crashed test leaves nothing running.
//!
//! PostgreSQL refuses to run as root: when the tests run as root, the server runs as the
//! `postgres` user (the one Debian's package creates) through `setpriv`.
//!
//! A missing PostgreSQL is an error that names the package to install, never a skip.
//!
//! ```no_run
//! let cluster = newsdesk_pgtest::shared().expect("PostgreSQL for the tests");
//! let url = cluster.create_database("example").expect("database");
//! assert!(url.starts_with("postgres://"));
//! ```

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What to tell a developer whose machine has no PostgreSQL.
pub const INSTALL_HINT: &str = "install Debian's `postgresql` package (apt-get install postgresql; \
     it provides /usr/lib/postgresql/15/bin/initdb and pg_ctl) or set NEWSDESK_PG_BIN to the \
     directory holding initdb and pg_ctl";

/// Why the cluster could not be started or used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `initdb`/`pg_ctl` were not found.
    #[error("pgtest: PostgreSQL server binaries not found ({0}); {INSTALL_HINT}")]
    NotInstalled(String),
    /// A step of setting up or starting the cluster failed.
    #[error("pgtest: {0}")]
    Setup(String),
    /// Talking to the running server failed.
    #[error("pgtest: {0}")]
    Client(#[from] postgres::Error),
}

/// Result alias for [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// A running throw-away cluster. Stopped and removed on drop.
#[derive(Debug)]
pub struct PgCluster {
    dir: PathBuf,
    port: u16,
    /// Closing this pipe tells the watchdog to stop the server and remove the directory.
    watchdog_pipe: Mutex<Option<ChildStdin>>,
    watchdog: Mutex<Option<Child>>,
}

static SHARED: OnceLock<std::result::Result<PgCluster, String>> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The cluster shared by every test of this test binary (started on first use).
pub fn shared() -> Result<&'static PgCluster> {
    SHARED
        .get_or_init(|| off_async(|| PgCluster::start().map_err(|e| e.to_string())))
        .as_ref()
        .map_err(|e| Error::Setup(format!("the shared cluster did not start: {e}")))
}

/// A fresh, empty database on the [`shared`] cluster; its connection URL.
pub fn fresh_database(prefix: &str) -> Result<String> {
    shared()?.create_database(prefix)
}

/// The directory holding `initdb` and `pg_ctl`: `$NEWSDESK_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin` (Debian's layout), else the directory of `initdb` on `PATH`.
pub fn bin_dir() -> Result<PathBuf> {
    let has_tools = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = std::env::var_os("NEWSDESK_PG_BIN") {
        let d = PathBuf::from(d);
        return if has_tools(&d) {
            Ok(d)
        } else {
            Err(Error::NotInstalled(format!(
                "NEWSDESK_PG_BIN={} has no initdb and pg_ctl",
                d.display()
            )))
        };
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_tools(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            if has_tools(&d) {
                return Ok(d);
            }
        }
    }
    Err(Error::NotInstalled(
        "no /usr/lib/postgresql/*/bin and no initdb on PATH".to_owned(),
    ))
}

/// The user id and group id of `name`, from `id`.
fn ids_of(name: &str) -> Result<(u32, u32)> {
    let id = |flag: &str| -> Result<u32> {
        let out = Command::new("id")
            .args([flag, name])
            .output()
            .map_err(|e| Error::Setup(format!("cannot run `id`: {e}")))?;
        if !out.status.success() {
            return Err(Error::NotInstalled(format!(
                "running as root needs the `{name}` user to run the server"
            )));
        }
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|e| Error::Setup(format!("`id {flag} {name}` said something odd: {e}")))
    };
    Ok((id("-u")?, id("-g")?))
}

/// Whether this process runs as root (PostgreSQL refuses to).
fn running_as_root() -> Result<bool> {
    let out = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| Error::Setup(format!("cannot run `id -u`: {e}")))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A free TCP port on 127.0.0.1 (free when asked; the start retries on a clash).
fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Error::Setup(format!("no free port on 127.0.0.1: {e}")))?;
    Ok(l.local_addr()
        .map_err(|e| Error::Setup(e.to_string()))?
        .port())
}

/// How to run the server's tools: directly, or as `postgres` through `setpriv` when root.
#[derive(Debug, Clone)]
struct Runner {
    bin: PathBuf,
    as_user: Option<(u32, u32)>,
}

impl Runner {
    fn command(&self, tool: &str) -> Command {
        let tool = self.bin.join(tool);
        match self.as_user {
            None => Command::new(tool),
            Some((uid, gid)) => {
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .arg("--clear-groups")
                    .arg(tool);
                c
            }
        }
    }

    /// The same command as one shell line (for the watchdog).
    fn shell_line(&self, tool: &str, args: &[String]) -> String {
        let mut parts = Vec::new();
        if let Some((uid, gid)) = self.as_user {
            parts.extend([
                "setpriv".to_owned(),
                format!("--reuid={uid}"),
                format!("--regid={gid}"),
                "--clear-groups".to_owned(),
            ]);
        }
        parts.push(self.bin.join(tool).display().to_string());
        parts.extend(args.iter().cloned());
        parts
            .iter()
            .map(|p| format!("'{}'", p.replace('\'', r"'\''")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn run(mut cmd: Command, what: &str) -> Result<()> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Setup(format!("cannot run {what}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Setup(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

impl Runner {
    /// The tools of [`bin_dir`], run as `postgres` when this process runs as root.
    fn new() -> Result<Runner> {
        let bin = bin_dir()?;
        let as_user = if running_as_root()? {
            Some(ids_of("postgres")?)
        } else {
            None
        };
        Ok(Runner { bin, as_user })
    }
}

impl PgCluster {
    /// initdb's a new cluster in a temporary directory and starts it (as `postgres` when the
    /// process runs as root), waiting until it accepts connections.
    pub fn start() -> Result<PgCluster> {
        let runner = Runner::new()?;
        let (mut cluster, data) = PgCluster::prepare(&runner)?;
        let mut initdb = runner.command("initdb");
        initdb
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
            .arg("--locale=C.UTF-8");
        run(initdb, "initdb")?;
        cluster.start_server(&runner, &data)?;
        Ok(cluster)
    }

    /// A streaming hot standby of `primary`: `pg_basebackup -R` (over the replication
    /// connection initdb's default `pg_hba.conf` allows from 127.0.0.1) into a temporary
    /// directory of its own, started on another free port. It replays what `primary` writes;
    /// [`PgCluster::wait_replayed`] waits until it has. Stopped and removed on drop, like any
    /// cluster.
    pub fn start_replica_of(primary: &PgCluster) -> Result<PgCluster> {
        let runner = Runner::new()?;
        let (mut cluster, data) = PgCluster::prepare(&runner)?;
        let mut backup = runner.command("pg_basebackup");
        backup
            .arg("-D")
            .arg(&data)
            .args(["-h", "127.0.0.1", "-p"])
            .arg(primary.port.to_string())
            .args([
                "-U",
                "postgres",
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            ]);
        run(backup, "pg_basebackup")?;
        cluster.start_server(&runner, &data)?;
        Ok(cluster)
    }

    /// Waits (up to 30 s) until this standby has replayed everything `primary` had written
    /// when called (`pg_last_wal_replay_lsn()` against the primary's
    /// `pg_current_wal_insert_lsn()`).
    pub fn wait_replayed(&self, primary: &PgCluster) -> Result<()> {
        off_async(|| self.wait_replayed_here(primary))
    }

    fn wait_replayed_here(&self, primary: &PgCluster) -> Result<()> {
        let mut p = postgres::Client::connect(&primary.url("postgres"), postgres::NoTls)?;
        let target: String = p
            .query_one("SELECT pg_current_wal_insert_lsn()::text", &[])?
            .get(0);
        let mut r = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let done: Option<bool> = r
                .query_one(
                    "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn",
                    &[&target],
                )?
                .get(0);
            if done == Some(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(Error::Setup(format!(
                    "the standby on port {} did not replay the primary's WAL up to {target} \
                     within 30 s",
                    self.port
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A fresh temporary directory (owned by the server's user) watched by a cleanup watchdog,
    /// and the path of the data directory to create in it.
    fn prepare(runner: &Runner) -> Result<(PgCluster, PathBuf)> {
        let dir = tempfile::Builder::new()
            .prefix("newsdesk-pg-")
            .tempdir()
            .map_err(|e| Error::Setup(format!("cannot create a temporary directory: {e}")))?
            .keep();
        // From here on the watchdog owns the directory: it removes it however we leave.
        let data = dir.join("data");
        let (pipe, watchdog) = spawn_watchdog(runner, &dir, &data)?;
        let cluster = PgCluster {
            dir: dir.clone(),
            port: 0,
            watchdog_pipe: Mutex::new(Some(pipe)),
            watchdog: Mutex::new(Some(watchdog)),
        };
        if let Some((uid, gid)) = runner.as_user {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).map_err(|e| {
                Error::Setup(format!("cannot hand {} to postgres: {e}", dir.display()))
            })?;
        }
        Ok((cluster, data))
    }

    /// Starts the server on `data` on a free port (five tries), waiting until it accepts
    /// connections.
    fn start_server(&mut self, runner: &Runner, data: &Path) -> Result<()> {
        let dir = self.dir.clone();
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            let mut pg_ctl = runner.command("pg_ctl");
            pg_ctl
                .arg("-D")
                .arg(data)
                .arg("-o")
                .arg(format!(
                    "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                     -c synchronous_commit=off -c full_page_writes=off",
                    dir.display()
                ))
                .arg("-l")
                .arg(dir.join("server.log"))
                .args(["-w", "-t", "30", "start"]);
            match run(pg_ctl, "pg_ctl start") {
                Ok(()) => {
                    self.port = port;
                    return self.wait_ready();
                }
                Err(e) => {
                    let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                    last = format!("{e}; server log: {log}");
                }
            }
        }
        Err(Error::Setup(format!(
            "the server did not start after 5 tries: {last}"
        )))
    }

    fn wait_ready(&self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match postgres::Client::connect(&self.url("postgres"), postgres::NoTls) {
                Ok(_) => return Ok(()),
                Err(e) if Instant::now() > deadline => return Err(e.into()),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// The TCP port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's directory (data, socket and log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The connection URL of database `db` (user `postgres`, no password).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates a new, empty database named after `prefix` (made unique) and returns its URL.
    pub fn create_database(&self, prefix: &str) -> Result<String> {
        off_async(|| self.create_database_here(prefix))
    }

    fn create_database_here(&self, prefix: &str) -> Result<String> {
        let clean: String = prefix
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!(
            "t_{clean}_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)?;
        admin.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
        Ok(self.url(&name))
    }
}

/// Runs `f` on a scoped thread: the synchronous `postgres` client starts its own runtime, which
/// it cannot do on a thread that drives an async test.
fn off_async<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

impl Drop for PgCluster {
    /// Closes the watchdog's pipe and waits for it to stop the server and remove the directory.
    fn drop(&mut self) {
        let pipe = self
            .watchdog_pipe
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        drop(pipe);
        if let Some(mut child) = self
            .watchdog
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            let _ = child.wait();
        }
    }
}

/// Starts `sh`, which waits for its stdin to close (this process dropped the cluster or exited,
/// even by a signal) and then stops the server and removes `dir`.
fn spawn_watchdog(runner: &Runner, dir: &Path, data: &Path) -> Result<(ChildStdin, Child)> {
    let stop = runner.shell_line(
        "pg_ctl",
        &[
            "-D".to_owned(),
            data.display().to_string(),
            "-m".to_owned(),
            "immediate".to_owned(),
            "-w".to_owned(),
            "stop".to_owned(),
        ],
    );
    let script = format!(
        "cat >/dev/null; if [ -f '{pid}' ]; then {stop} >/dev/null 2>&1; fi; rm -rf '{dir}'",
        pid = data.join("postmaster.pid").display(),
        dir = dir.display()
    );
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::Setup(format!("cannot start the cleanup watchdog: {e}")))?;
    let mut pipe = child
        .stdin
        .take()
        .ok_or_else(|| Error::Setup("the watchdog has no stdin".to_owned()))?;
    // Nothing is ever written; a flush checks the pipe is there.
    pipe.flush()
        .map_err(|e| Error::Setup(format!("watchdog pipe: {e}")))?;
    Ok((pipe, child))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_starts_serves_two_databases_and_is_gone_after_drop() {
        let cluster = PgCluster::start().unwrap();
        let dir = cluster.dir().to_path_buf();
        let a = cluster.create_database("one").unwrap();
        let b = cluster.create_database("one").unwrap();
        assert_ne!(a, b);
        let mut client = postgres::Client::connect(&a, postgres::NoTls).unwrap();
        client.batch_execute("CREATE TABLE t (x int)").unwrap();
        client
            .execute("INSERT INTO t VALUES ($1)", &[&7_i32])
            .unwrap();
        let x: i32 = client.query_one("SELECT x FROM t", &[]).unwrap().get(0);
        assert_eq!(x, 7);
        // The other database does not see the table.
        let mut other = postgres::Client::connect(&b, postgres::NoTls).unwrap();
        assert!(other.query("SELECT x FROM t", &[]).is_err());
        drop(client);
        drop(other);
        let url = cluster.url("postgres");
        drop(cluster);
        assert!(!dir.exists(), "{} left behind", dir.display());
        assert!(postgres::Client::connect(&url, postgres::NoTls).is_err());
    }

    #[test]
    fn a_standby_replays_what_the_primary_writes_and_refuses_writes() {
        let primary = PgCluster::start().unwrap();
        let url = primary.create_database("rep").unwrap();
        let db = url.rsplit('/').next().unwrap().to_owned();
        let replica = PgCluster::start_replica_of(&primary).unwrap();
        assert_ne!(replica.port(), primary.port());
        let mut p = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        p.batch_execute("CREATE TABLE t (x int); INSERT INTO t VALUES (7)")
            .unwrap();
        replica.wait_replayed(&primary).unwrap();
        let mut r = postgres::Client::connect(&replica.url(&db), postgres::NoTls).unwrap();
        let standby: bool = r
            .query_one("SELECT pg_is_in_recovery()", &[])
            .unwrap()
            .get(0);
        assert!(standby);
        let x: i32 = r.query_one("SELECT x FROM t", &[]).unwrap().get(0);
        assert_eq!(x, 7);
        let refused = r.batch_execute("INSERT INTO t VALUES (8)").unwrap_err();
        assert_eq!(
            refused.code(),
            Some(&postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION),
            "{refused:?}"
        );
        p.batch_execute("UPDATE t SET x = 9").unwrap();
        replica.wait_replayed(&primary).unwrap();
        let x: i32 = r.query_one("SELECT x FROM t", &[]).unwrap().get(0);
        assert_eq!(x, 9);
        drop(r);
        let dir = replica.dir().to_path_buf();
        drop(replica);
        assert!(!dir.exists(), "{} left behind", dir.display());
    }

    #[test]
    fn the_shared_cluster_hands_out_fresh_databases() {
        let url = fresh_database("shared").unwrap();
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let n: i64 = client
            .query_one(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(n, 0);
    }
}

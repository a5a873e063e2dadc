//! `newsdesk bench scale`: ingest throughput with 1, 2, 4, … `newsdesk worker` processes on one
//! PostgreSQL database, and where it stops scaling.
//!
//! The generated origin ([`crate::origin`]) runs in this process and serves `--sources` sites
//! of `--entries` entries each, article pages included. The database is the server
//! `--database-url` (or `$NEWSDESK_DATABASE_URL`) names, whose user must be allowed to create
//! databases; without one, a throw-away cluster is started in a temporary directory by
//! `newsdesk-pgtest` (which is why that test harness is a normal dependency of this crate; it
//! runs with `fsync=off`, so the database's figures are those of a server that does not wait
//! for its disk).
//!
//! For each worker count: a fresh database (migrated as `newsdesk migrate` does), the sources
//! added, then that many `newsdesk worker --until-idle --json` processes of this executable,
//! started together, with a generated configuration (the product's defaults, except
//! `allow_private_addresses`, `[fetch] resolve` for `*.bench.test`, and a 10 ms per-host
//! delay). Measured: the wall time until every worker has exited; the articles stored, checked
//! (one per entry, by count and by distinct URL); the database's active time
//! (`pg_stat_database.active_time`, PostgreSQL 14+) as a share of the workers' wall time; the
//! machine's CPU busy share (`/proc/stat`, all processes, other users of the machine included);
//! the workers' CPU seconds (their `rusage`) and this process's (the origin). A measurement,
//! not a test: nothing here asserts a time, but a wrong article count fails the command.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use clap::Args;
use newsdesk_core::NewSource;
use newsdesk_store::{Store, without_password};
use nix::sys::resource::{UsageWho, getrusage};
use serde::Deserialize;

use crate::origin::{GeneratedOrigin, RESOLVE_TOML};

/// The per-host delay of the workers' configuration, milliseconds: small but not zero, so
/// the cluster-wide politeness is exercised.
const PER_HOST_DELAY_MS: u64 = 10;

/// `newsdesk bench scale`.
#[derive(Debug, Args)]
pub struct ScaleArgs {
    /// Sites served by the generated origin (one host name each).
    #[arg(long, default_value_t = 64)]
    sources: usize,
    /// Entries per feed (each with its article page).
    #[arg(long, default_value_t = 25)]
    entries: usize,
    /// Worker counts to measure, one run each, in this order.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4")]
    workers: Vec<usize>,
    /// PostgreSQL server to create the runs' databases on (its user needs CREATEDB)
    /// [default: a throw-away cluster].
    #[arg(long, value_name = "URL", env = "NEWSDESK_DATABASE_URL")]
    database_url: Option<String>,
    /// `--concurrency` of each worker [default: the worker's own].
    #[arg(long)]
    concurrency: Option<usize>,
    /// Seconds one run may take before its workers are killed and the benchmark fails.
    #[arg(long, default_value_t = 1800)]
    timeout_secs: u64,
}

/// Where the runs' databases come from.
enum Server {
    /// A server the user named: databases are created on it and dropped after each run.
    Named(url::Url),
    /// A throw-away cluster (removed when dropped).
    Cluster(newsdesk_pgtest::PgCluster),
}

impl Server {
    /// A fresh, empty database; its URL.
    fn fresh(&self, name: &str) -> Result<String> {
        match self {
            Server::Cluster(c) => Ok(c.create_database(name)?),
            Server::Named(base) => {
                let db = format!("{name}_{}", std::process::id());
                let mut admin = connect(base.as_str())?;
                // Two statements: DROP/CREATE DATABASE cannot run inside one transaction.
                for sql in [
                    format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
                    format!("CREATE DATABASE {db}"),
                ] {
                    admin.batch_execute(&sql).with_context(|| {
                        format!(
                            "cannot create database {db} (the user of --database-url needs CREATEDB)"
                        )
                    })?;
                }
                let mut url = base.clone();
                url.set_path(&format!("/{db}"));
                Ok(url.to_string())
            }
        }
    }

    /// The process id of the throw-away cluster's server (`None` for a named server, which
    /// may be on another machine).
    fn postmaster_pid(&self) -> Option<u32> {
        let Server::Cluster(c) = self else {
            return None;
        };
        let text = std::fs::read_to_string(c.dir().join("data/postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// Drops a database [`Server::fresh`] made on a named server.
    fn drop_database(&self, url: &str) -> Result<()> {
        if let Server::Named(base) = self {
            let db = url::Url::parse(url)?
                .path()
                .trim_start_matches('/')
                .to_owned();
            connect(base.as_str())?
                .batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .with_context(|| format!("cannot drop database {db}"))?;
        }
        Ok(())
    }
}

fn connect(url: &str) -> Result<postgres::Client> {
    postgres::Client::connect(url, postgres::NoTls)
        .with_context(|| format!("cannot connect to PostgreSQL at {}", without_password(url)))
}

/// What `newsdesk worker --json` prints on exit.
#[derive(Debug, Deserialize)]
struct WorkerReport {
    jobs: std::collections::BTreeMap<String, u64>,
    articles_stored: u64,
}

/// CPU time counters of the whole machine (`/proc/stat`'s first line), in clock ticks.
#[derive(Debug, Clone, Copy)]
struct MachineCpu {
    busy: u64,
    total: u64,
    cores: usize,
}

fn machine_cpu() -> Result<MachineCpu> {
    let stat = std::fs::read_to_string("/proc/stat").context("cannot read /proc/stat")?;
    let first = stat.lines().next().unwrap_or_default();
    let v: Vec<u64> = first
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    if v.len() < 5 {
        bail!("/proc/stat has an unexpected first line: {first:?}");
    }
    // user nice system idle iowait irq softirq steal (guest time is inside user already).
    let total: u64 = v.iter().take(8).sum();
    let idle = v[3] + v[4];
    let cores = stat
        .lines()
        .filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .count()
        .max(1);
    Ok(MachineCpu {
        busy: total - idle,
        total,
        cores,
    })
}

/// User + system CPU seconds of `who` (this process, or its waited-for children).
fn cpu_secs(who: UsageWho) -> f64 {
    getrusage(who)
        .map(|u| {
            let t = |tv: nix::sys::time::TimeVal| tv.tv_sec() as f64 + tv.tv_usec() as f64 / 1e6;
            t(u.user_time()) + t(u.system_time())
        })
        .unwrap_or(f64::NAN)
}

/// CPU seconds of a PostgreSQL server: its postmaster's own and those of its exited children
/// (backends that ended), plus its live children's (from `/proc`, in USER_HZ = 100 ticks).
/// Differences of two readings give the server's CPU time in between.
fn server_cpu_secs(postmaster: u32) -> Option<f64> {
    let fields = |pid: &str| -> Option<Vec<u64>> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // After the command name in parentheses: state, ppid, … utime is the 12th.
        let rest = &stat[stat.rfind(')')? + 1..];
        Some(
            rest.split_whitespace()
                .map(|f| f.parse::<u64>().unwrap_or(0))
                .collect(),
        )
    };
    let own = fields(&postmaster.to_string())?;
    let mut ticks = own.get(11..15)?.iter().sum::<u64>();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if let Some(f) = fields(pid)
            && f.get(1) == Some(&u64::from(postmaster))
        {
            ticks += f.get(11..13).map_or(0, |t| t.iter().sum());
        }
    }
    Some(ticks as f64 / 100.0)
}

/// `pg_stat_database.active_time` of the connected database, seconds.
fn active_secs(client: &mut postgres::Client) -> Result<f64> {
    client.batch_execute("SELECT pg_stat_clear_snapshot()")?;
    let row = client.query_one(
        "SELECT coalesce(active_time, 0)::float8 FROM pg_stat_database WHERE datname = current_database()",
        &[],
    )?;
    Ok(row.get::<_, f64>(0) / 1000.0)
}

/// `active_secs` once the figure stops moving: backends report their statistics when they
/// exit, a moment after their worker has.
fn settled_active_secs(client: &mut postgres::Client) -> Result<f64> {
    let mut last = active_secs(client)?;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(250));
        let now = active_secs(client)?;
        if (now - last).abs() < 1e-6 {
            return Ok(now);
        }
        last = now;
    }
    Ok(last)
}

/// One run's figures.
struct Run {
    workers: usize,
    wall: f64,
    /// Seconds from the start to the last article stored (the rest of `wall` is the workers
    /// finding nothing left: story placement, the idle check, exiting).
    to_last: f64,
    articles: i64,
    check: Result<(), String>,
    db_active: f64,
    cpu_busy_share: f64,
    /// The machine's CPU busy share from the start to the last article stored.
    cpu_busy_to_last: f64,
    cores: usize,
    worker_cpu: f64,
    origin_cpu: f64,
    /// The server's CPU seconds (throw-away cluster only).
    pg_cpu: Option<f64>,
    machine_busy_secs: f64,
    jobs: std::collections::BTreeMap<String, u64>,
    reported_stored: u64,
    /// What the run's database sessions were doing, sampled every 100 ms: "CPU" (active, no
    /// wait event), a wait event (`Lock:advisory`, `LWLock:WALWrite`, …) or a non-idle state
    /// ("idle in transaction"), with the number of sessions seen so.
    sessions: std::collections::BTreeMap<String, u64>,
    /// The statements (first words) of sessions seen waiting on a lock or idle in a
    /// transaction, with how often.
    statements: std::collections::BTreeMap<String, u64>,
}

impl Run {
    fn rate(&self) -> f64 {
        self.articles as f64 / self.wall.max(1e-9)
    }

    /// The database's active time over the workers' wall time.
    fn db_share(&self) -> f64 {
        self.db_active / (self.wall * self.workers as f64).max(1e-9)
    }

    /// The machine's busy CPU seconds no process of the run accounts for.
    fn other_cpu(&self) -> f64 {
        self.machine_busy_secs - self.worker_cpu - self.origin_cpu - self.pg_cpu.unwrap_or(0.0)
    }

    /// What bounds this run, in one phrase.
    fn bound(&self) -> String {
        let busy = self.cpu_busy_share * 100.0;
        let capacity = (self.wall * self.cores as f64).max(1e-9);
        let pct = |secs: f64| secs / capacity * 100.0;
        let tail = format!(
            "; {:.1} s of {:.1} s after the last article",
            self.wall - self.to_last,
            self.wall
        );
        if self.cpu_busy_to_last >= 0.8 {
            let whose = if pct(self.other_cpu()) >= 50.0 {
                "CPU-bound by other work on the machine"
            } else {
                "CPU-bound"
            };
            format!(
                "{whose}: {} cores busy {:.0}% until the last article with {} worker{} (over the \
                 whole run {busy:.0}%: workers {:.0}%, {}origin {:.0}%, {} {:.0}%){tail}",
                self.cores,
                self.cpu_busy_to_last * 100.0,
                self.workers,
                if self.workers == 1 { "" } else { "s" },
                pct(self.worker_cpu),
                self.pg_cpu
                    .map_or(String::new(), |pg| format!("PostgreSQL {:.0}%, ", pct(pg))),
                pct(self.origin_cpu),
                if self.pg_cpu.is_some() {
                    "other processes on the machine"
                } else {
                    "PostgreSQL and other processes"
                },
                pct(self.other_cpu())
            )
        } else if self.db_share() >= 0.5 {
            format!(
                "database-bound: statements active {:.0}% of the workers' time (cores {:.0}% \
                 busy until the last article){tail}",
                self.db_share() * 100.0,
                self.cpu_busy_to_last * 100.0
            )
        } else {
            format!(
                "neither CPU nor database: cores {:.0}% busy until the last article, statements \
                 active {:.0}% of the workers' time (waiting: per-host politeness, the queue's \
                 polling, I/O){tail}",
                self.cpu_busy_to_last * 100.0,
                self.db_share() * 100.0
            )
        }
    }
}

/// The worker processes of a run, with their stdout and stderr files; those still running
/// when it is dropped (the run failed) are killed.
struct Running(Vec<(Child, PathBuf, PathBuf)>);

impl Drop for Running {
    fn drop(&mut self) {
        for (child, _, _) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs the benchmark.
pub async fn run(args: ScaleArgs) -> Result<ExitCode> {
    if args.sources == 0 || args.entries == 0 {
        bail!("--sources and --entries must be at least 1");
    }
    if args.workers.is_empty() || args.workers.contains(&0) {
        bail!("--workers takes a list of counts of at least 1, e.g. 1,2,4");
    }
    if args.concurrency == Some(0) {
        bail!("--concurrency must be at least 1");
    }
    let origin = GeneratedOrigin::start(args.entries).await?;
    let port = origin.port();
    let exe = std::env::current_exe().context("cannot find this executable")?;
    // Everything else blocks (processes, the postgres client); the origin keeps serving on
    // the runtime's threads meanwhile.
    let checked = tokio::task::spawn_blocking(move || measure(&args, port, &exe)).await??;
    drop(origin);
    Ok(if checked {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs and prints every run; whether every run stored what it should have.
fn measure(args: &ScaleArgs, port: u16, exe: &Path) -> Result<bool> {
    let server = match args.database_url.as_deref().map(str::trim) {
        Some(u) if !u.is_empty() => {
            Server::Named(url::Url::parse(u).context("--database-url is not a URL")?)
        }
        _ => Server::Cluster(
            newsdesk_pgtest::PgCluster::start()
                .context("cannot start a throw-away PostgreSQL (or pass --database-url)")?,
        ),
    };
    let dir = crate::bench_dir("scale")?;
    let expected = (args.sources * args.entries) as i64;
    say!(
        "bench scale: {} sites x {} entries = {expected} articles (feeds and article pages, \
         *.bench.test -> 127.0.0.1:{port}, origin in this process), per-host delay {PER_HOST_DELAY_MS} ms; \
         database {}; workers {:?}, concurrency {}; all on this machine's {} cores",
        args.sources,
        args.entries,
        match &server {
            Server::Named(u) => without_password(u.as_str()),
            Server::Cluster(_) => "a throw-away PostgreSQL cluster (fsync=off)".to_owned(),
        },
        args.workers,
        args.concurrency
            .map_or("the worker's default".to_owned(), |c| c.to_string()),
        machine_cpu().map(|m| m.cores).unwrap_or(0),
    );
    let postmaster = server.postmaster_pid();
    let all = (|| -> Result<Vec<Run>> {
        let mut runs: Vec<Run> = Vec::new();
        for &w in &args.workers {
            let url = server.fresh(&format!("bench_scale_w{w}"))?;
            let result = one_run(args, port, exe, &dir, w, &url, postmaster);
            let dropped = server.drop_database(&url);
            let run = result?;
            dropped?;
            say!(
                "{} worker{}: {} articles in {:.2} s{}",
                w,
                if w == 1 { "" } else { "s" },
                run.articles,
                run.wall,
                match &run.check {
                    Ok(()) => String::new(),
                    Err(e) => format!(" -- CHECK FAILED: {e}"),
                }
            );
            runs.push(run);
        }
        Ok(runs)
    })();
    // The scratch directory (configurations, workers' output) goes however the runs ended.
    std::fs::remove_dir_all(&dir).ok();
    let runs = all?;

    let base = runs.first().map(Run::rate).unwrap_or(f64::NAN);
    let mut table = String::new();
    table.push_str(&format!(
        "\n{:>7} {:>7} {:>7} {:>8} {:>10} {:>6} {:>8} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n",
        "workers",
        "wall s",
        "last s",
        "articles",
        "articles/s",
        "x 1st",
        "DB act s",
        "DB/wall",
        "CPU last",
        "CPU all",
        "workers",
        "PG",
        "origin",
        "other"
    ));
    for r in &runs {
        table.push_str(&format!(
            "{:>7} {:>7.2} {:>7.2} {:>8} {:>10.1} {:>6.2} {:>8.2} {:>6.0}% {:>7.0}% {:>7.0}% {:>8.2} {:>8} {:>8.2} {:>8.2}\n",
            r.workers,
            r.wall,
            r.to_last,
            r.articles,
            r.rate(),
            r.rate() / base,
            r.db_active,
            r.db_share() * 100.0,
            r.cpu_busy_to_last * 100.0,
            r.cpu_busy_share * 100.0,
            r.worker_cpu,
            r.pg_cpu.map_or("n/a".to_owned(), |s| format!("{s:.2}")),
            r.origin_cpu,
            r.other_cpu()
        ));
    }
    table.push_str(
        "wall s: until every worker exited; last s: until the last article was stored; \
         articles/s: over wall s. DB act s: pg_stat_database.active_time of the run's database; DB/wall: that over wall \
         time x workers; CPU last / all: the machine's busy share of all cores (/proc/stat) \
         until the last article was stored / over the whole run; then CPU seconds \
         (user+system) of the workers (rusage), the PostgreSQL server (/proc; n/a for a \
         --database-url server), the origin (this process), and the machine's other busy \
         seconds (other processes).\n",
    );
    for r in &runs {
        let seen: u64 = r.sessions.values().sum();
        let mut what: Vec<(&String, &u64)> = r.sessions.iter().collect();
        what.sort_by(|a, b| b.1.cmp(a.1));
        let what: Vec<String> = what
            .iter()
            .take(6)
            .map(|(k, n)| format!("{k} {:.0}%", **n as f64 * 100.0 / seen.max(1) as f64))
            .collect();
        table.push_str(&format!(
            "{} worker{}: database sessions, sampled every 100 ms: on average {:.1} busy; {}\n",
            r.workers,
            if r.workers == 1 { "" } else { "s" },
            seen as f64 / (r.wall * 10.0).max(1.0),
            what.join(", ")
        ));
        let mut held: Vec<(&String, &u64)> = r.statements.iter().collect();
        held.sort_by(|a, b| b.1.cmp(a.1));
        for (statement, n) in held.iter().take(4) {
            table.push_str(&format!(
                "    {:.0}% of the sampled sessions: {statement}\n",
                **n as f64 * 100.0 / seen.max(1) as f64
            ));
        }
    }
    for r in &runs {
        let jobs: Vec<String> = r.jobs.iter().map(|(k, v)| format!("{k} {v}")).collect();
        table.push_str(&format!(
            "{} worker{}: {}; jobs done: {}; stored as the workers report it: {}; worker CPU {:.1} ms per article\n",
            r.workers,
            if r.workers == 1 { "" } else { "s" },
            r.bound(),
            jobs.join(", "),
            r.reported_stored,
            r.worker_cpu * 1000.0 / (r.articles.max(1) as f64)
        ));
    }
    let mut verdict = format!(
        "scales through {} worker{}",
        runs.last().map_or(0, |r| r.workers),
        if runs.last().is_some_and(|r| r.workers == 1) {
            ""
        } else {
            "s"
        }
    );
    for pair in runs.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let gain = b.rate() / a.rate().max(1e-9);
        let ideal = b.workers as f64 / a.workers as f64;
        if ideal > 1.0 && gain < 0.75 * ideal {
            verdict = format!(
                "stops scaling from {} to {} workers ({gain:.2}x for {ideal:.0}x the workers); at {}: {}",
                a.workers,
                b.workers,
                b.workers,
                b.bound()
            );
            break;
        }
    }
    table.push_str(&format!("where it stops: {verdict}\n"));
    table.push_str(
        "(one machine shared with other work: figures are noisy; compare runs of the same invocation)\n",
    );
    say!("{}", table.trim_end());
    Ok(runs.iter().all(|r| r.check.is_ok()))
}

fn one_run(
    args: &ScaleArgs,
    port: u16,
    exe: &Path,
    dir: &Path,
    workers: usize,
    url: &str,
    postmaster: Option<u32>,
) -> Result<Run> {
    // The schema, as `newsdesk migrate` makes it, and the sources.
    {
        let store = Store::open_url(url)?;
        for i in 0..args.sources {
            store.add_source(&NewSource {
                feed_url: crate::origin::feed_url(i, port),
                name: Some(format!("Bench source {i}")),
                ..NewSource::default()
            })?;
        }
    }
    let config = dir.join(format!("w{workers}.toml"));
    std::fs::write(
        &config,
        format!(
            "[storage]\nurl = \"{url}\"\n\n[fetch]\nallow_private_addresses = true\n{RESOLVE_TOML}\n\
             fetch_article_pages = true\nper_host_delay_ms = {PER_HOST_DELAY_MS}\n"
        ),
    )
    .with_context(|| format!("cannot write {}", config.display()))?;

    let mut db = connect(url)?;
    let active_before = settled_active_secs(&mut db)?;
    let children_before = cpu_secs(UsageWho::RUSAGE_CHILDREN);
    let self_before = cpu_secs(UsageWho::RUSAGE_SELF);
    let pg_before = postmaster.and_then(server_cpu_secs);
    let cpu_before = machine_cpu()?;
    let start = Instant::now();
    let started_at = chrono::Utc::now();
    let mut running = Running(Vec::new());
    for k in 0..workers {
        let stdout = dir.join(format!("w{workers}-{k}.json"));
        let stderr = dir.join(format!("w{workers}-{k}.log"));
        let mut cmd = Command::new(exe);
        cmd.arg("--config")
            .arg(&config)
            .args(["worker", "--until-idle", "--json", "-q", "--name"])
            .arg(format!("bench-w{workers}-{k}"));
        if let Some(c) = args.concurrency {
            cmd.args(["--concurrency", &c.to_string()]);
        }
        let child = cmd
            .env("NEWSDESK_DATABASE_URL", url)
            .env_remove("NEWSDESK_CONFIG")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout)?)
            .stderr(std::fs::File::create(&stderr)?)
            .spawn()
            .with_context(|| format!("cannot start {} worker", exe.display()))?;
        running.0.push((child, stdout, stderr));
    }
    let deadline = start + Duration::from_secs(args.timeout_secs);
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    // The machine's CPU counters every 100 ms, to tell the ingest from the tail, and what the
    // database's sessions are doing then.
    let mut timeline: Vec<(f64, MachineCpu)> = vec![(0.0, cpu_before)];
    let mut sessions = std::collections::BTreeMap::new();
    let mut statements = std::collections::BTreeMap::new();
    while !running.0.is_empty() {
        if timeline
            .last()
            .is_some_and(|(t, _)| start.elapsed().as_secs_f64() - t >= 0.1)
        {
            timeline.push((start.elapsed().as_secs_f64(), machine_cpu()?));
            for row in db.query(
                "SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || \
                 wait_event, 'CPU') ELSE state END, count(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid() \
                 AND state IS NOT NULL AND state <> 'idle' GROUP BY 1",
                &[],
            )? {
                *sessions.entry(row.get::<_, String>(0)).or_insert(0) +=
                    row.get::<_, i64>(1) as u64;
            }
            for row in db.query(
                "SELECT CASE WHEN state = 'active' THEN 'waiting on ' || wait_event ELSE state END \
                 || ': ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 60) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid() \
                 AND (wait_event_type = 'Lock' OR state = 'idle in transaction')",
                &[],
            )? {
                *statements.entry(row.get::<_, String>(0)).or_insert(0) += 1;
            }
        }
        let mut k = 0;
        while k < running.0.len() {
            if let Some(status) = running.0[k].0.try_wait()? {
                let (_, stdout, stderr) = running.0.swap_remove(k);
                let text = std::fs::read_to_string(&stdout).unwrap_or_default();
                match (
                    status.success(),
                    serde_json::from_str::<WorkerReport>(text.trim()),
                ) {
                    (true, Ok(r)) => reports.push(r),
                    (ok, parsed) => failures.push(format!(
                        "a worker {} ({}); stdout: {text:?}; stderr: {}",
                        if ok { "printed no report" } else { "failed" },
                        parsed
                            .err()
                            .map_or(status.to_string(), |e| format!("{status}, {e}")),
                        std::fs::read_to_string(&stderr).unwrap_or_default().trim()
                    )),
                }
            } else {
                k += 1;
            }
        }
        if Instant::now() > deadline {
            drop(running);
            bail!(
                "the {workers}-worker run took more than {} s; its workers were killed",
                args.timeout_secs
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu_after = machine_cpu()?;
    let worker_cpu = cpu_secs(UsageWho::RUSAGE_CHILDREN) - children_before;
    let origin_cpu = cpu_secs(UsageWho::RUSAGE_SELF) - self_before;
    let db_active = settled_active_secs(&mut db)? - active_before;
    // After the workers' backends have exited (their CPU is in the server's children's time).
    let pg_cpu = match (pg_before, postmaster.and_then(server_cpu_secs)) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    if !failures.is_empty() {
        bail!("{}", failures.join("\n"));
    }

    let expected = (args.sources * args.entries) as i64;
    let row = db.query_one(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT url) FROM articles), \
         (SELECT count(*) FROM feed_entries), (SELECT count(*) FROM jobs)",
        &[],
    )?;
    let (articles, urls, entries, jobs_left): (i64, i64, i64, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let last: Option<String> = db
        .query_one("SELECT max(fetched_at) FROM articles", &[])?
        .get(0);
    let to_last = last
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map_or(f64::NAN, |t| {
            (t.with_timezone(&chrono::Utc) - started_at).as_seconds_f64()
        });
    let check = if articles == expected && urls == articles && entries == expected && jobs_left == 0
    {
        Ok(())
    } else {
        Err(format!(
            "{articles} articles with {urls} distinct URLs and {entries} feed entries \
             (expected {expected} of each), {jobs_left} jobs left in the queue"
        ))
    };
    let mut jobs = std::collections::BTreeMap::new();
    let mut reported_stored = 0;
    for r in &reports {
        reported_stored += r.articles_stored;
        for (k, v) in &r.jobs {
            *jobs.entry(k.clone()).or_insert(0) += v;
        }
    }
    let ticks = (cpu_after.total - cpu_before.total).max(1) as f64;
    let busy_share = (cpu_after.busy - cpu_before.busy) as f64 / ticks;
    let at_last = timeline
        .iter()
        .rev()
        .find(|(t, _)| *t <= to_last)
        .map_or(cpu_after, |(_, c)| *c);
    let busy_to_last =
        (at_last.busy - cpu_before.busy) as f64 / (at_last.total - cpu_before.total).max(1) as f64;
    Ok(Run {
        workers,
        wall,
        to_last,
        articles,
        check,
        db_active,
        cpu_busy_share: busy_share,
        cpu_busy_to_last: busy_to_last,
        sessions,
        statements,
        cores: cpu_after.cores,
        worker_cpu,
        origin_cpu,
        pg_cpu,
        machine_busy_secs: busy_share * wall * cpu_after.cores as f64,
        jobs,
        reported_stored,
    })
}

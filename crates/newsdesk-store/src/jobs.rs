//! The work queue of `newsdesk worker`: jobs in the database, claimed with leases.
//!
//! * **Claim.** A worker claims the oldest ready job ([`Store::claim_job`]): queued, its
//!   `not_before` passed, and its host (the site it will contact; empty for jobs that contact
//!   none) neither at its connection limit nor inside its crawl delay. On PostgreSQL the
//!   candidates are locked with `FOR UPDATE SKIP LOCKED` and the host's row in
//!   `host_politeness` with `FOR UPDATE SKIP LOCKED` too, so claimers never wait for each other
//!   and two of them never pass one host's limit together; on SQLite the claim is one
//!   `BEGIN IMMEDIATE` transaction (one writer at a time).
//! * **Lease.** A claimed job is `running` with a lease (`lease_owner`, `lease_until`). The
//!   worker extends it while it works ([`Store::extend_lease`]) and deletes the job when done
//!   ([`Store::finish_job`]). A worker that dies stops extending: once the lease has expired,
//!   the next claim puts the job back on the queue (or gives it up after `max_attempts`), and
//!   another worker does it. Job handlers are idempotent (an article already stored is not
//!   stored again), so a job that was done but not yet deleted when its worker died is harmless.
//! * **Retries.** A job that fails ([`Store::retry_job`]) waits 5 s, 10 s, 20 s, … (at most
//!   10 minutes) before its next try; after `max_attempts` tries it is `failed` and kept (shown
//!   by `newsdesk status`) for an hour, after which putting the same job on the queue again
//!   starts it over.
//! * **Coalescing.** Putting a job on the queue whose key is already there does nothing, except
//!   for a running `translate` or `place_stories` job: it is then marked to run once more when it
//!   finishes, so work that arrived while it ran (new articles to place in stories) is not
//!   missed. A fetch queued again while it runs is not run again (it would find its work done).
//!
//! Times are the workers' clocks (Unix milliseconds): machines that share a database keep their
//! clocks in sync (NTP), and leases are tens of seconds long, far above the usual skew.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use crate::{Result, Store, StoreError};

/// How long a job given up after its last attempt stays before it may be queued afresh.
pub const FAILED_JOB_COOL_DOWN: Duration = Duration::from_secs(3600);

/// Longest wait between two tries of a job.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(600);

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Fetch a source's feed and queue its new entries.
    FetchSource,
    /// Fetch, extract and store one feed entry's article page.
    FetchArticle,
    /// Translate the articles waiting for one edition's language.
    Translate,
    /// Place the articles not yet placed into stories (one writer at a time).
    PlaceStories,
}

impl JobKind {
    /// Every kind, in the order status lists them.
    pub const ALL: [JobKind; 4] = [
        JobKind::FetchSource,
        JobKind::FetchArticle,
        JobKind::Translate,
        JobKind::PlaceStories,
    ];

    /// The name stored in the database and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::FetchSource => "fetch_source",
            JobKind::FetchArticle => "fetch_article",
            JobKind::Translate => "translate",
            JobKind::PlaceStories => "place_stories",
        }
    }

    /// The kind stored under `name`.
    pub fn parse(name: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Among jobs ready at the same time, lower goes first: pages before feeds (finish what
    /// was found before finding more), then translation, then story placement.
    pub(crate) fn priority(self) -> i64 {
        match self {
            JobKind::FetchArticle => 0,
            JobKind::FetchSource => 1,
            JobKind::Translate => 2,
            JobKind::PlaceStories => 3,
        }
    }
}

impl std::fmt::Display for JobKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job to put on the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// What it does.
    pub kind: JobKind,
    /// Unique per kind while the job exists (a source id, an entry's source and key, a
    /// language).
    pub key: String,
    /// What the handler needs (JSON).
    pub payload: String,
    /// The host the job contacts (politeness), empty when it contacts none.
    pub host: String,
    /// Not claimed before this time.
    pub not_before: DateTime<Utc>,
    /// Tries before the job is given up.
    pub max_attempts: u32,
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Its row.
    pub id: i64,
    /// What it does.
    pub kind: JobKind,
    /// Its key.
    pub key: String,
    /// What the handler needs.
    pub payload: String,
    /// The host it contacts ('' for none).
    pub host: String,
    /// This try's number (1 for the first).
    pub attempt: u32,
    /// Tries before it is given up.
    pub max_attempts: u32,
}

/// How a worker claims: who it is, for how long, and the per-host limits that hold across all
/// workers.
#[derive(Debug, Clone)]
pub struct ClaimRules<'a> {
    /// The worker's id (the lease holder).
    pub worker: &'a str,
    /// The claim's time (the worker's clock).
    pub now: DateTime<Utc>,
    /// The lease's length.
    pub lease: Duration,
    /// Running jobs per host at most (over all workers).
    pub max_per_host: u32,
    /// Time between the starts of two jobs on one host (over all workers).
    pub host_delay: Duration,
}

/// What became of a failed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobRetry {
    /// Queued again, not before this time.
    Later(DateTime<Utc>),
    /// Tried `max_attempts` times: kept as failed.
    GivenUp,
    /// The worker's lease was gone (another worker took the job over): nothing changed.
    LeaseLost,
}

/// A worker's heartbeat row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkerInfo {
    /// The worker's id (unique: host name, process id and a random part).
    pub id: String,
    /// The machine it runs on.
    pub hostname: String,
    /// Its process id.
    pub pid: u32,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// Jobs it finished.
    pub jobs_done: u64,
}

/// One kind's line in the queue status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindStatus {
    /// The kind.
    pub kind: JobKind,
    /// Queued and ready now.
    pub ready: u64,
    /// Queued for later (a retry's backoff).
    pub waiting: u64,
    /// Running under a lease.
    pub running: u64,
    /// Given up after their last try.
    pub failed: u64,
    /// Seconds the oldest ready job has waited (the queue's lag).
    pub oldest_ready_secs: Option<u64>,
}

/// A worker as status shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkerStatus {
    /// Its heartbeat row.
    #[serde(flatten)]
    pub info: WorkerInfo,
    /// Its last heartbeat.
    pub last_seen: DateTime<Utc>,
    /// Heartbeat within the last minute.
    pub alive: bool,
    /// Jobs it holds a lease on now.
    pub leases: u64,
}

/// A job given up, as status shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedJob {
    /// What it does.
    pub kind: JobKind,
    /// Its key.
    pub key: String,
    /// Tries made.
    pub attempts: u32,
    /// The last error.
    pub last_error: Option<String>,
}

/// The queue: depths per kind, workers, leases, and the jobs given up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueStatus {
    /// One line per kind, in [`JobKind::ALL`] order.
    pub kinds: Vec<KindStatus>,
    /// Every worker that has a heartbeat row, the latest first.
    pub workers: Vec<WorkerStatus>,
    /// The most recent jobs given up (at most 10).
    pub failed: Vec<FailedJob>,
}

impl QueueStatus {
    /// Jobs queued (ready or waiting) or running.
    pub fn pending(&self) -> u64 {
        self.kinds
            .iter()
            .map(|k| k.ready + k.waiting + k.running)
            .sum()
    }
}

/// A worker counts as alive when its heartbeat is at most this old.
pub const WORKER_ALIVE_WITHIN: Duration = Duration::from_secs(60);

/// Candidates read per claim of `max` jobs: a few more than wanted, as some may sit on a host
/// that the claim's own jobs fill.
pub(crate) fn candidate_rows(max: usize) -> i64 {
    i64::try_from(max.saturating_mul(2).max(16)).unwrap_or(i64::MAX)
}

/// Milliseconds since the Unix epoch.
pub(crate) fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// A duration in whole milliseconds (saturating).
pub(crate) fn span(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// An instant from milliseconds.
pub(crate) fn from_millis(ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Decode(format!("time {ms} ms out of range")))
}

/// The wait before try `attempt + 1` after `attempt` tries failed.
pub fn retry_wait(attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    (Duration::from_secs(5) * 2u32.pow(doublings)).min(MAX_RETRY_WAIT)
}

/// The statements of the queue, shared by both backends where their SQL is the same (numbered
/// parameters `?N` on SQLite, `$N` on PostgreSQL; [`dialect`] turns one into the other).
pub(crate) mod sql {
    /// Puts expired leases back on the queue (or gives the job up after its last try).
    /// 1: now, 2: now + cool-down.
    pub const REAP: &str = "UPDATE jobs SET \
        state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
        not_before = CASE WHEN attempts >= max_attempts THEN CAST(?2 AS BIGINT) \
            ELSE CAST(?1 AS BIGINT) END, \
        last_error = 'the lease of worker ' || COALESCE(lease_owner, '?') || \
            ' expired before it finished (worker stopped or lost?)', \
        lease_owner = NULL, lease_until = NULL, rerun = 0 \
        WHERE state = 'running' AND lease_until < CAST(?1 AS BIGINT)";

    /// Ready candidates whose host is free. 1: now, 2: max per host, 3: limit.
    ///
    /// The busy hosts (inside their crawl delay, or with `max per host` jobs running) are
    /// one small set computed once per claim (an uncorrelated subquery, hashed), not a check
    /// per queued job: a deep queue whose oldest jobs all wait for one host costs an index walk
    /// past them, not two lookups each.
    pub const CANDIDATES: &str = "SELECT id, host FROM jobs \
        WHERE state = 'queued' AND not_before <= ?1 \
        AND (host = '' OR host NOT IN ( \
            SELECT host FROM host_politeness WHERE next_at > ?1 \
            UNION ALL \
            SELECT host FROM jobs WHERE state = 'running' AND host <> '' \
            GROUP BY host HAVING COUNT(*) >= ?2)) \
        ORDER BY not_before, priority, id LIMIT ?3";

    /// Running jobs on a host. 1: host.
    pub const RUNNING_ON_HOST: &str =
        "SELECT COUNT(*) FROM jobs WHERE host = ?1 AND state = 'running'";

    /// Takes a job. 1: id, 2: worker, 3: lease until.
    pub const TAKE: &str = "UPDATE jobs SET state = 'running', lease_owner = ?2, \
        lease_until = ?3, attempts = attempts + 1, rerun = 0 WHERE id = ?1 \
        RETURNING kind, job_key, payload, host, attempts, max_attempts";

    /// Puts a job on the queue (see the module doc for what an existing key does).
    /// 1: kind, 2: key, 3: payload, 4: host, 5: priority, 6: max attempts, 7: not before, 8: now.
    pub const ENQUEUE: &str = "INSERT INTO jobs (kind, job_key, payload, host, priority, \
        max_attempts, not_before, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
        ON CONFLICT (kind, job_key) DO UPDATE SET \
        rerun = CASE WHEN jobs.state = 'running' AND jobs.kind IN ('translate', 'place_stories') \
            THEN 1 ELSE jobs.rerun END, \
        attempts = CASE WHEN jobs.state = 'failed' AND jobs.not_before <= ?8 THEN 0 \
            ELSE jobs.attempts END, \
        payload = CASE WHEN jobs.state = 'failed' AND jobs.not_before <= ?8 THEN ?3 \
            ELSE jobs.payload END, \
        not_before = CASE WHEN jobs.state = 'failed' AND jobs.not_before <= ?8 THEN ?7 \
            ELSE jobs.not_before END, \
        state = CASE WHEN jobs.state = 'failed' AND jobs.not_before <= ?8 THEN 'queued' \
            ELSE jobs.state END";

    /// Deletes a finished job unless it must run once more. 1: id, 2: worker.
    pub const FINISH: &str =
        "DELETE FROM jobs WHERE id = ?1 AND lease_owner = ?2 AND state = 'running' AND rerun = 0";

    /// Queues a finished job that must run once more. 1: id, 2: worker, 3: now.
    pub const RERUN: &str = "UPDATE jobs SET state = 'queued', rerun = 0, attempts = 0, \
        lease_owner = NULL, lease_until = NULL, not_before = ?3 \
        WHERE id = ?1 AND lease_owner = ?2 AND state = 'running' AND rerun = 1";

    /// Queues a failed job for a later try, or gives it up.
    /// 1: id, 2: worker, 3: error, 4: retry at, 5: given-up cool-down end.
    pub const RETRY: &str = "UPDATE jobs SET \
        state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
        not_before = CASE WHEN attempts >= max_attempts THEN CAST(?5 AS BIGINT) \
            ELSE CAST(?4 AS BIGINT) END, \
        last_error = ?3, lease_owner = NULL, lease_until = NULL, rerun = 0 \
        WHERE id = ?1 AND lease_owner = ?2 AND state = 'running' RETURNING state";

    /// Extends a lease. 1: id, 2: worker, 3: until.
    pub const EXTEND: &str = "UPDATE jobs SET lease_until = ?3 \
        WHERE id = ?1 AND lease_owner = ?2 AND state = 'running'";

    /// A worker's heartbeat. 1: id, 2: hostname, 3: pid, 4: started, 5: now, 6: jobs done.
    pub const HEARTBEAT: &str = "INSERT INTO workers (id, hostname, pid, started_at, \
        heartbeat_at, jobs_done) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
        ON CONFLICT (id) DO UPDATE SET heartbeat_at = ?5, jobs_done = ?6";

    /// The keys of one kind's jobs. 1: kind.
    pub const KEYS: &str = "SELECT job_key FROM jobs WHERE kind = ?1";

    /// Forgets a worker. 1: id.
    pub const FORGET_WORKER: &str = "DELETE FROM workers WHERE id = ?1";

    /// Forgets workers silent for long. 1: before.
    pub const FORGET_SILENT: &str = "DELETE FROM workers WHERE heartbeat_at < ?1";

    /// Counts per kind. 1: now.
    pub const KIND_COUNTS: &str = "SELECT kind, \
        SUM(CASE WHEN state = 'queued' AND not_before <= ?1 THEN 1 ELSE 0 END), \
        SUM(CASE WHEN state = 'queued' AND not_before > ?1 THEN 1 ELSE 0 END), \
        SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), \
        MIN(CASE WHEN state = 'queued' AND not_before <= ?1 THEN not_before END) \
        FROM jobs GROUP BY kind";

    /// Workers with their leases.
    pub const WORKERS: &str = "SELECT w.id, w.hostname, w.pid, w.started_at, w.heartbeat_at, \
        w.jobs_done, (SELECT COUNT(*) FROM jobs j WHERE j.lease_owner = w.id \
        AND j.state = 'running') FROM workers w ORDER BY w.heartbeat_at DESC, w.id";

    /// The latest jobs given up.
    pub const FAILED: &str = "SELECT kind, job_key, attempts, last_error FROM jobs \
        WHERE state = 'failed' ORDER BY not_before DESC, id DESC LIMIT 10";

    /// A statement in PostgreSQL's parameter style (`?N` → `$N`).
    pub fn dialect(sql: &str) -> String {
        let mut out = String::with_capacity(sql.len());
        let mut chars = sql.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
                out.push('$');
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// A kind read back from the database.
pub(crate) fn kind_of(name: &str) -> Result<JobKind> {
    JobKind::parse(name).ok_or_else(|| StoreError::Decode(format!("unknown job kind {name:?}")))
}

/// A count or try number read back from the database.
pub(crate) fn count_of<T: TryFrom<i64>>(n: i64) -> Result<T> {
    T::try_from(n).map_err(|_| StoreError::Decode(format!("count {n} out of range")))
}

/// The kind lines of the status from the grouped counts (kinds without jobs get zeros).
pub(crate) fn kind_lines(
    rows: Vec<(JobKind, [i64; 4], Option<i64>)>,
    now: DateTime<Utc>,
) -> Result<Vec<KindStatus>> {
    let mut lines = Vec::with_capacity(JobKind::ALL.len());
    for kind in JobKind::ALL {
        let found = rows.iter().find(|(k, _, _)| *k == kind);
        let ([ready, waiting, running, failed], oldest) = match found {
            Some((_, counts, oldest)) => (*counts, *oldest),
            None => ([0; 4], None),
        };
        lines.push(KindStatus {
            kind,
            ready: count_of(ready)?,
            waiting: count_of(waiting)?,
            running: count_of(running)?,
            failed: count_of(failed)?,
            oldest_ready_secs: oldest
                .map(|ms| u64::try_from((millis(now) - ms).max(0) / 1000).unwrap_or(0)),
        });
    }
    Ok(lines)
}

/// A worker line from its row values.
pub(crate) fn worker_line(
    info: WorkerInfo,
    heartbeat_ms: i64,
    leases: i64,
    now: DateTime<Utc>,
) -> Result<WorkerStatus> {
    Ok(WorkerStatus {
        info,
        last_seen: from_millis(heartbeat_ms)?,
        alive: millis(now) - heartbeat_ms <= span(WORKER_ALIVE_WITHIN),
        leases: count_of(leases)?,
    })
}

impl Store {
    /// Puts jobs on the queue in one transaction (see the module doc: an existing key is left
    /// alone, marked to run again when running, or started over when given up long enough ago).
    pub fn enqueue_jobs(&self, jobs: &[NewJob], now: DateTime<Utc>) -> Result<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        if let Some(pg) = self.pg() {
            return crate::pg::jobs::enqueue_jobs(pg, jobs, now);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut stmt = tx.prepare_cached(sql::ENQUEUE)?;
                for j in jobs {
                    stmt.execute(params![
                        j.kind.as_str(),
                        j.key,
                        j.payload,
                        j.host,
                        j.kind.priority(),
                        i64::from(j.max_attempts.max(1)),
                        millis(j.not_before),
                        millis(now),
                    ])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// Claims the oldest ready job whose host is free under `rules` (and puts jobs whose lease
    /// expired back on the queue first); `None` when there is none.
    pub fn claim_job(&self, rules: &ClaimRules<'_>) -> Result<Option<Job>> {
        Ok(self.claim_jobs(rules, 1)?.pop())
    }

    /// Claims up to `max` ready jobs in one transaction, oldest first, each host within its
    /// limits (a host with room for one more job gets one); fewer, or none, when no more are
    /// ready.
    pub fn claim_jobs(&self, rules: &ClaimRules<'_>, max: usize) -> Result<Vec<Job>> {
        if max == 0 {
            return Ok(Vec::new());
        }
        if let Some(pg) = self.pg() {
            return crate::pg::jobs::claim_jobs(pg, rules, max);
        }
        let now = millis(rules.now);
        let per_host = i64::from(rules.max_per_host.max(1));
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.prepare_cached(sql::REAP)?
                .execute(params![now, now + span(FAILED_JOB_COOL_DOWN)])?;
            let candidates: Vec<(i64, String)> = tx
                .prepare_cached(sql::CANDIDATES)?
                .query_map(params![now, per_host, candidate_rows(max)], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut jobs = Vec::new();
            for (id, host) in candidates {
                if jobs.len() >= max {
                    break;
                }
                // One writer at a time: the candidates' filter held when they were read; the
                // jobs taken since may have filled a host.
                if !host.is_empty() {
                    let running: i64 = tx
                        .prepare_cached(sql::RUNNING_ON_HOST)?
                        .query_row([&host], |r| r.get(0))?;
                    let next_at: Option<i64> = tx
                        .prepare_cached("SELECT next_at FROM host_politeness WHERE host = ?1")?
                        .query_row([&host], |r| r.get(0))
                        .optional()?;
                    if running >= per_host || next_at.is_some_and(|t| t > now) {
                        continue;
                    }
                    tx.prepare_cached(
                        "INSERT INTO host_politeness (host, next_at) VALUES (?1, ?2) \
                         ON CONFLICT (host) DO UPDATE SET next_at = ?2",
                    )?
                    .execute(params![host, now + span(rules.host_delay)])?;
                }
                let row = tx.prepare_cached(sql::TAKE)?.query_row(
                    params![id, rules.worker, now + span(rules.lease)],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, i64>(4)?,
                            r.get::<_, i64>(5)?,
                        ))
                    },
                )?;
                let (kind, key, payload, host, attempt, max_attempts) = row;
                jobs.push(Job {
                    id,
                    kind: kind_of(&kind)?,
                    key,
                    payload,
                    host,
                    attempt: count_of(attempt)?,
                    max_attempts: count_of(max_attempts)?,
                });
            }
            tx.commit()?;
            Ok(jobs)
        })
    }

    /// Marks a job done: deleted, or queued once more when it was put on the queue again
    /// while it ran. `false` when `worker` no longer holds its lease (another worker took it
    /// over; that one finishes it).
    pub fn finish_job(&self, id: i64, worker: &str, now: DateTime<Utc>) -> Result<bool> {
        if let Some(pg) = self.pg() {
            return crate::pg::jobs::finish_job(pg, id, worker, now);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut n = tx
                .prepare_cached(sql::FINISH)?
                .execute(params![id, worker])?;
            if n == 0 {
                n = tx
                    .prepare_cached(sql::RERUN)?
                    .execute(params![id, worker, millis(now)])?;
            }
            tx.commit()?;
            Ok(n > 0)
        })
    }

    /// Records a failed try: the job is queued again after [`retry_wait`], or given up after
    /// its last try.
    pub fn retry_job(
        &self,
        id: i64,
        worker: &str,
        attempt: u32,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<JobRetry> {
        let retry_at = now
            + chrono::Duration::from_std(retry_wait(attempt)).unwrap_or(chrono::Duration::zero());
        let give_up_until = millis(now) + span(FAILED_JOB_COOL_DOWN);
        let error: String = error.chars().take(2000).collect();
        let state: Option<String> = if let Some(pg) = self.pg() {
            crate::pg::jobs::retry_job(pg, id, worker, &error, millis(retry_at), give_up_until)?
        } else {
            self.write(|conn| {
                Ok(conn
                    .prepare_cached(sql::RETRY)?
                    .query_row(
                        params![id, worker, error, millis(retry_at), give_up_until],
                        |r| r.get(0),
                    )
                    .optional()?)
            })?
        };
        Ok(match state.as_deref() {
            None => JobRetry::LeaseLost,
            Some("failed") => JobRetry::GivenUp,
            Some(_) => JobRetry::Later(retry_at),
        })
    }

    /// Extends `worker`'s lease on a job to `until`; `false` when the lease is gone.
    pub fn extend_lease(&self, id: i64, worker: &str, until: DateTime<Utc>) -> Result<bool> {
        if let Some(pg) = self.pg() {
            return crate::pg::jobs::extend_lease(pg, id, worker, millis(until));
        }
        self.write(|conn| {
            Ok(conn
                .prepare_cached(sql::EXTEND)?
                .execute(params![id, worker, millis(until)])?
                > 0)
        })
    }

    /// Records a worker's heartbeat (and forgets workers silent for a day).
    pub fn worker_heartbeat(&self, info: &WorkerInfo, now: DateTime<Utc>) -> Result<()> {
        if let Some(pg) = self.pg() {
            return crate::pg::jobs::worker_heartbeat(pg, info, now);
        }
        self.write(|conn| {
            conn.prepare_cached(sql::HEARTBEAT)?.execute(params![
                info.id,
                info.hostname,
                i64::from(info.pid),
                millis(info.started_at),
                millis(now),
                i64::try_from(info.jobs_done).unwrap_or(i64::MAX),
            ])?;
            conn.prepare_cached(sql::FORGET_SILENT)?
                .execute([millis(now) - 86_400_000])?;
            Ok(())
        })
    }

    /// The keys of the jobs of `kind` on the queue (waiting, running or given up).
    pub fn job_keys(&self, kind: JobKind) -> Result<std::collections::HashSet<String>> {
        if let Some(pg) = self.pg() {
            return crate::pg::jobs::job_keys(pg, kind);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(sql::KEYS)?
                .query_map([kind.as_str()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Forgets a worker that stops (its leases, if any, expire as usual).
    pub fn forget_worker(&self, id: &str) -> Result<()> {
        if let Some(pg) = self.pg() {
            return crate::pg::jobs::forget_worker(pg, id);
        }
        self.write(|conn| {
            conn.prepare_cached(sql::FORGET_WORKER)?.execute([id])?;
            Ok(())
        })
    }

    /// The queue's depths per kind, the workers and their leases, and the jobs given up.
    pub fn queue_status(&self, now: DateTime<Utc>) -> Result<QueueStatus> {
        if let Some(pg) = self.pg() {
            return crate::pg::jobs::queue_status(pg, now);
        }
        self.read(|conn| {
            let counts = conn
                .prepare_cached(sql::KIND_COUNTS)?
                .query_map([millis(now)], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                        r.get::<_, Option<i64>>(5)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .map(|(k, c, o)| Ok((kind_of(&k)?, c, o)))
                .collect::<Result<Vec<_>>>()?;
            let workers = conn
                .prepare_cached(sql::WORKERS)?
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, i64>(6)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .map(|(id, hostname, pid, started, seen, done, leases)| {
                    let info = WorkerInfo {
                        id,
                        hostname,
                        pid: count_of(pid)?,
                        started_at: from_millis(started)?,
                        jobs_done: count_of(done)?,
                    };
                    worker_line(info, seen, leases, now)
                })
                .collect::<Result<Vec<_>>>()?;
            let failed = conn
                .prepare_cached(sql::FAILED)?
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .map(|(kind, key, attempts, last_error)| {
                    Ok(FailedJob {
                        kind: kind_of(&kind)?,
                        key,
                        attempts: count_of(attempts)?,
                        last_error,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(QueueStatus {
                kinds: kind_lines(counts, now)?,
                workers,
                failed,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_waits_double_up_to_the_cap() {
        assert_eq!(retry_wait(1), Duration::from_secs(5));
        assert_eq!(retry_wait(2), Duration::from_secs(10));
        assert_eq!(retry_wait(4), Duration::from_secs(40));
        assert_eq!(retry_wait(30), MAX_RETRY_WAIT);
        assert_eq!(retry_wait(0), Duration::from_secs(5));
    }

    #[test]
    fn statements_translate_to_numbered_dollar_parameters() {
        assert_eq!(
            sql::dialect("SELECT ?1, '?', ?12 FROM t WHERE a = ?2"),
            "SELECT $1, '?', $12 FROM t WHERE a = $2"
        );
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(JobKind::parse("nope"), None);
    }
}

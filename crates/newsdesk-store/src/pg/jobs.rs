//! The work queue on PostgreSQL (twin of `jobs.rs`, whose module doc describes it): the same
//! statements, and a claim whose candidates and host rows are locked with
//! `FOR UPDATE SKIP LOCKED`, so concurrent claimers on many machines never wait for each other
//! and never take one job twice or pass one host's limit together.

use std::collections::HashSet;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};

use super::Pool;
use crate::Result;
use crate::jobs::{
    ClaimRules, FAILED_JOB_COOL_DOWN, FailedJob, Job, JobKind, NewJob, QueueStatus, WorkerInfo,
    candidate_rows, count_of, from_millis, kind_lines, kind_of, millis, span, sql, worker_line,
};

/// The shared statements in PostgreSQL's parameter style, translated once.
struct Statements {
    reap: String,
    candidates: String,
    running_on_host: String,
    take: String,
    enqueue: String,
    finish: String,
    rerun: String,
    retry: String,
    extend: String,
    heartbeat: String,
    forget_worker: String,
    keys: String,
    forget_silent: String,
    kind_counts: String,
    workers: String,
    failed: String,
}

fn statements() -> &'static Statements {
    static STATEMENTS: OnceLock<Statements> = OnceLock::new();
    STATEMENTS.get_or_init(|| Statements {
        reap: sql::dialect(sql::REAP),
        candidates: format!("{} FOR UPDATE SKIP LOCKED", sql::dialect(sql::CANDIDATES)),
        running_on_host: sql::dialect(sql::RUNNING_ON_HOST),
        take: sql::dialect(sql::TAKE),
        enqueue: sql::dialect(sql::ENQUEUE),
        finish: sql::dialect(sql::FINISH),
        rerun: sql::dialect(sql::RERUN),
        retry: sql::dialect(sql::RETRY),
        extend: sql::dialect(sql::EXTEND),
        heartbeat: sql::dialect(sql::HEARTBEAT),
        forget_worker: sql::dialect(sql::FORGET_WORKER),
        keys: sql::dialect(sql::KEYS),
        forget_silent: sql::dialect(sql::FORGET_SILENT),
        kind_counts: sql::dialect(sql::KIND_COUNTS),
        workers: sql::dialect(sql::WORKERS),
        failed: sql::dialect(sql::FAILED),
    })
}

pub(crate) fn enqueue_jobs(pool: &Pool, jobs: &[NewJob], now: DateTime<Utc>) -> Result<()> {
    let s = statements();
    pool.with(|c| {
        let mut tx = c.transaction()?;
        let stmt = tx.prepare(&s.enqueue)?;
        for j in jobs {
            tx.execute(
                &stmt,
                &[
                    &j.kind.as_str(),
                    &j.key,
                    &j.payload,
                    &j.host,
                    &j.kind.priority(),
                    &i64::from(j.max_attempts.max(1)),
                    &millis(j.not_before),
                    &millis(now),
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    })
}

pub(crate) fn claim_jobs(pool: &Pool, rules: &ClaimRules<'_>, max: usize) -> Result<Vec<Job>> {
    let s = statements();
    let now = millis(rules.now);
    let per_host = i64::from(rules.max_per_host.max(1));
    pool.with(|c| {
        // Expired leases first, in their own short transaction (so a claim never holds the
        // locks of another claim's reaping).
        c.execute(&s.reap, &[&now, &(now + span(FAILED_JOB_COOL_DOWN))])?;
        let mut tx = c.transaction()?;
        let candidates: Vec<(i64, String)> = tx
            .query(&s.candidates, &[&now, &per_host, &candidate_rows(max)])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_>>()?;
        let mut jobs = Vec::new();
        for (id, host) in candidates {
            if jobs.len() >= max {
                break;
            }
            if !host.is_empty() {
                // A host seen for the first time gets its row. Only then: an insert that meets
                // a row another claim holds waits for that claim to end (measured: a third of
                // four workers' sessions waited there), a plain read does not.
                if tx
                    .query_opt("SELECT 1 FROM host_politeness WHERE host = $1", &[&host])?
                    .is_none()
                {
                    tx.execute(
                        "INSERT INTO host_politeness (host, next_at) VALUES ($1, 0) \
                         ON CONFLICT (host) DO NOTHING",
                        &[&host],
                    )?;
                }
                // Another claim holding this host's row is taking one of its jobs: skip it
                // rather than wait, and look at the next candidate.
                let Some(row) = tx.query_opt(
                    "SELECT next_at FROM host_politeness WHERE host = $1 FOR UPDATE SKIP LOCKED",
                    &[&host],
                )?
                else {
                    continue;
                };
                let next_at: i64 = row.try_get(0)?;
                // Counted under the host's lock: includes this claim's own jobs.
                let running: i64 = tx.query_one(&s.running_on_host, &[&host])?.try_get(0)?;
                if next_at > now || running >= per_host {
                    continue;
                }
                tx.execute(
                    "UPDATE host_politeness SET next_at = $2 WHERE host = $1",
                    &[&host, &(now + span(rules.host_delay))],
                )?;
            }
            let row = tx.query_one(&s.take, &[&id, &rules.worker, &(now + span(rules.lease))])?;
            jobs.push(Job {
                id,
                kind: kind_of(&row.try_get::<_, String>(0)?)?,
                key: row.try_get(1)?,
                payload: row.try_get(2)?,
                host: row.try_get(3)?,
                attempt: count_of(row.try_get(4)?)?,
                max_attempts: count_of(row.try_get(5)?)?,
            });
        }
        tx.commit()?;
        Ok(jobs)
    })
}

pub(crate) fn finish_job(pool: &Pool, id: i64, worker: &str, now: DateTime<Utc>) -> Result<bool> {
    let s = statements();
    pool.with(|c| {
        let mut tx = c.transaction()?;
        let mut n = tx.execute(&s.finish, &[&id, &worker])?;
        if n == 0 {
            n = tx.execute(&s.rerun, &[&id, &worker, &millis(now)])?;
        }
        tx.commit()?;
        Ok(n > 0)
    })
}

pub(crate) fn retry_job(
    pool: &Pool,
    id: i64,
    worker: &str,
    error: &str,
    retry_at: i64,
    give_up_until: i64,
) -> Result<Option<String>> {
    let s = statements();
    pool.with(|c| {
        Ok(
            c.query_opt(&s.retry, &[&id, &worker, &error, &retry_at, &give_up_until])?
                .map(|r| r.try_get(0))
                .transpose()?,
        )
    })
}

pub(crate) fn extend_lease(pool: &Pool, id: i64, worker: &str, until: i64) -> Result<bool> {
    let s = statements();
    pool.with(|c| Ok(c.execute(&s.extend, &[&id, &worker, &until])? > 0))
}

pub(crate) fn worker_heartbeat(pool: &Pool, info: &WorkerInfo, now: DateTime<Utc>) -> Result<()> {
    let s = statements();
    pool.with(|c| {
        c.execute(
            &s.heartbeat,
            &[
                &info.id,
                &info.hostname,
                &i64::from(info.pid),
                &millis(info.started_at),
                &millis(now),
                &i64::try_from(info.jobs_done).unwrap_or(i64::MAX),
            ],
        )?;
        c.execute(&s.forget_silent, &[&(millis(now) - 86_400_000)])?;
        Ok(())
    })
}

pub(crate) fn job_keys(pool: &Pool, kind: JobKind) -> Result<HashSet<String>> {
    let s = statements();
    pool.with(|c| {
        c.query(&s.keys, &[&kind.as_str()])?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    })
}

pub(crate) fn forget_worker(pool: &Pool, id: &str) -> Result<()> {
    let s = statements();
    pool.with(|c| {
        c.execute(&s.forget_worker, &[&id])?;
        Ok(())
    })
}

pub(crate) fn queue_status(pool: &Pool, now: DateTime<Utc>) -> Result<QueueStatus> {
    let s = statements();
    pool.with(|c| {
        let counts = c
            .query(&s.kind_counts, &[&millis(now)])?
            .iter()
            .map(|r| {
                Ok((
                    kind_of(&r.try_get::<_, String>(0)?)?,
                    [r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?],
                    r.try_get::<_, Option<i64>>(5)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let workers = c
            .query(&s.workers, &[])?
            .iter()
            .map(|r| {
                let info = WorkerInfo {
                    id: r.try_get(0)?,
                    hostname: r.try_get(1)?,
                    pid: count_of(r.try_get(2)?)?,
                    started_at: from_millis(r.try_get(3)?)?,
                    jobs_done: count_of(r.try_get(5)?)?,
                };
                worker_line(info, r.try_get(4)?, r.try_get(6)?, now)
            })
            .collect::<Result<Vec<_>>>()?;
        let failed = c
            .query(&s.failed, &[])?
            .iter()
            .map(|r| {
                Ok(FailedJob {
                    kind: kind_of(&r.try_get::<_, String>(0)?)?,
                    key: r.try_get(1)?,
                    attempts: count_of(r.try_get(2)?)?,
                    last_error: r.try_get(3)?,
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

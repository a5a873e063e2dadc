//! The work queue on both backends: claims, leases, per-host politeness, retries, coalescing,
//! status; and concurrent claimers on separate connections (as separate workers are).

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use newsdesk_store::{ClaimRules, JobKind, JobRetry, NewJob, Store, WorkerInfo, retry_wait};

common::on_both_backends!(
    claims_go_oldest_first_and_a_finished_job_is_gone,
    an_expired_lease_is_taken_over_and_the_old_holder_cannot_finish,
    one_host_gets_its_connections_and_its_delay_across_workers,
    failures_back_off_then_give_up_then_start_over_an_hour_later,
    a_job_queued_again_while_it_runs_runs_once_more,
    status_counts_kinds_workers_and_failures,
    a_batch_claim_takes_what_each_host_has_room_for,
);

fn t(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(1_780_000_000_000 + ms).expect("time")
}

fn job(kind: JobKind, key: &str, host: &str, at: i64) -> NewJob {
    NewJob {
        kind,
        key: key.to_owned(),
        payload: format!("{{\"key\":\"{key}\"}}"),
        host: host.to_owned(),
        not_before: t(at),
        max_attempts: 3,
    }
}

fn rules(worker: &str, now: i64) -> ClaimRules<'_> {
    ClaimRules {
        worker,
        now: t(now),
        lease: Duration::from_secs(30),
        max_per_host: 1,
        host_delay: Duration::ZERO,
    }
}

fn claimed_key(store: &Store, r: &ClaimRules<'_>) -> Option<(i64, String)> {
    store.claim_job(r).expect("claim").map(|j| (j.id, j.key))
}

fn claims_go_oldest_first_and_a_finished_job_is_gone(store: Store) {
    store
        .enqueue_jobs(
            &[
                job(JobKind::FetchSource, "b", "b.example", 2),
                job(JobKind::FetchSource, "a", "a.example", 1),
                job(JobKind::FetchArticle, "later", "c.example", 60_000),
            ],
            t(0),
        )
        .expect("enqueue");
    // the same key again changes nothing
    store
        .enqueue_jobs(&[job(JobKind::FetchSource, "a", "a.example", 0)], t(0))
        .expect("enqueue again");
    let first = store
        .claim_job(&rules("w1", 10))
        .expect("claim")
        .expect("a job");
    assert_eq!(
        (first.kind, first.key.as_str()),
        (JobKind::FetchSource, "a")
    );
    assert_eq!(first.attempt, 1);
    assert_eq!(first.payload, "{\"key\":\"a\"}");
    assert_eq!(first.host, "a.example");
    let (second, key) = claimed_key(&store, &rules("w2", 10)).expect("b");
    assert_eq!(key, "b");
    // the third is not ready yet
    assert_eq!(claimed_key(&store, &rules("w1", 10)), None);
    assert!(store.finish_job(first.id, "w1", t(20)).expect("finish"));
    assert!(store.finish_job(second, "w2", t(20)).expect("finish"));
    let status = store.queue_status(t(20)).expect("status");
    assert_eq!(status.pending(), 1, "{status:?}");
    assert_eq!(
        claimed_key(&store, &rules("w1", 60_000)).map(|(_, k)| k),
        Some("later".to_owned())
    );
}

fn an_expired_lease_is_taken_over_and_the_old_holder_cannot_finish(store: Store) {
    store
        .enqueue_jobs(&[job(JobKind::FetchArticle, "x", "h.example", 0)], t(0))
        .expect("enqueue");
    let mut r = rules("dead", 0);
    r.lease = Duration::from_secs(5);
    let j = store.claim_job(&r).expect("claim").expect("job");
    // still leased: nobody else gets it
    assert_eq!(claimed_key(&store, &rules("alive", 4_000)), None);
    // extended by its holder, then the holder stops
    assert!(store.extend_lease(j.id, "dead", t(8_000)).expect("extend"));
    assert_eq!(claimed_key(&store, &rules("alive", 7_000)), None);
    let taken = store
        .claim_job(&rules("alive", 9_000))
        .expect("claim")
        .expect("taken over after the lease expired");
    assert_eq!((taken.id, taken.attempt), (j.id, 2));
    assert!(!store.extend_lease(j.id, "dead", t(20_000)).expect("extend"));
    assert!(!store.finish_job(j.id, "dead", t(9_500)).expect("finish"));
    assert_eq!(
        store
            .retry_job(j.id, "dead", 1, "late", t(9_500))
            .expect("retry"),
        JobRetry::LeaseLost
    );
    assert!(store.finish_job(j.id, "alive", t(9_500)).expect("finish"));
    assert_eq!(store.queue_status(t(10_000)).expect("status").pending(), 0);
}

fn one_host_gets_its_connections_and_its_delay_across_workers(store: Store) {
    store
        .enqueue_jobs(
            &[
                job(JobKind::FetchArticle, "h1", "slow.example", 0),
                job(JobKind::FetchArticle, "h2", "slow.example", 0),
                job(JobKind::FetchArticle, "h3", "slow.example", 0),
                job(JobKind::FetchArticle, "other", "fast.example", 1),
                job(JobKind::PlaceStories, "all", "", 2),
            ],
            t(0),
        )
        .expect("enqueue");
    let mut r = rules("w1", 10);
    r.host_delay = Duration::from_secs(2);
    let (a, key) = claimed_key(&store, &r).expect("first on slow");
    assert_eq!(key, "h1");
    // slow.example is busy (1 connection): the next claims take the other host and the
    // host-less job
    let mut r2 = rules("w2", 20);
    r2.host_delay = Duration::from_secs(2);
    assert_eq!(
        claimed_key(&store, &r2).map(|(_, k)| k),
        Some("other".into())
    );
    assert_eq!(claimed_key(&store, &r2).map(|(_, k)| k), Some("all".into()));
    assert_eq!(claimed_key(&store, &r2), None, "the host is at its limit");
    assert!(store.finish_job(a, "w1", t(500)).expect("finish"));
    // free, but its crawl delay (2 s from the start of the last request) has not passed
    r2.now = t(1_000);
    assert_eq!(claimed_key(&store, &r2), None, "inside the crawl delay");
    r2.now = t(2_010);
    assert_eq!(claimed_key(&store, &r2).map(|(_, k)| k), Some("h2".into()));
    // two connections allowed: the third goes at once after the delay
    r2.max_per_host = 2;
    r2.now = t(4_020);
    assert_eq!(claimed_key(&store, &r2).map(|(_, k)| k), Some("h3".into()));
}

fn failures_back_off_then_give_up_then_start_over_an_hour_later(store: Store) {
    let mut new = job(JobKind::FetchSource, "flaky", "f.example", 0);
    new.max_attempts = 2;
    store
        .enqueue_jobs(std::slice::from_ref(&new), t(0))
        .expect("enqueue");
    let j = store
        .claim_job(&rules("w", 0))
        .expect("claim")
        .expect("job");
    let again = store
        .retry_job(j.id, "w", j.attempt, "boom", t(100))
        .expect("retry");
    let wait = chrono::Duration::from_std(retry_wait(1)).expect("wait");
    assert_eq!(again, JobRetry::Later(t(100) + wait));
    assert_eq!(claimed_key(&store, &rules("w", 200)), None, "backing off");
    let status = store.queue_status(t(200)).expect("status");
    let line = &status.kinds[0];
    assert_eq!(
        (line.kind, line.waiting, line.ready),
        (JobKind::FetchSource, 1, 0)
    );
    let j = store
        .claim_job(&rules("w", 100 + 5_000))
        .expect("claim")
        .expect("after the wait");
    assert_eq!(j.attempt, 2);
    assert_eq!(
        store
            .retry_job(j.id, "w", j.attempt, "boom again", t(6_000))
            .expect("retry"),
        JobRetry::GivenUp
    );
    let status = store.queue_status(t(7_000)).expect("status");
    assert_eq!(status.pending(), 0);
    assert_eq!(status.failed.len(), 1);
    assert_eq!(status.failed[0].key, "flaky");
    assert_eq!(status.failed[0].last_error.as_deref(), Some("boom again"));
    // queued again soon after: still given up
    store
        .enqueue_jobs(std::slice::from_ref(&new), t(8_000))
        .expect("enqueue");
    assert_eq!(claimed_key(&store, &rules("w", 9_000)), None);
    // an hour later it starts over
    let later = 6_000 + 3_600_000 + 1;
    new.not_before = t(later);
    store.enqueue_jobs(&[new], t(later)).expect("enqueue");
    let j = store
        .claim_job(&rules("w", later))
        .expect("claim")
        .expect("started over");
    assert_eq!(j.attempt, 1);
}

fn a_job_queued_again_while_it_runs_runs_once_more(store: Store) {
    let place = job(JobKind::PlaceStories, "all", "", 0);
    store
        .enqueue_jobs(std::slice::from_ref(&place), t(0))
        .expect("enqueue");
    let j = store
        .claim_job(&rules("w", 0))
        .expect("claim")
        .expect("job");
    // new articles arrive while it runs
    store
        .enqueue_jobs(std::slice::from_ref(&place), t(10))
        .expect("enqueue");
    store
        .enqueue_jobs(std::slice::from_ref(&place), t(11))
        .expect("enqueue");
    assert!(store.finish_job(j.id, "w", t(20)).expect("finish"));
    let again = store
        .claim_job(&rules("w", 30))
        .expect("claim")
        .expect("runs once more");
    assert_eq!(again.key, "all");
    assert!(store.finish_job(again.id, "w", t(40)).expect("finish"));
    assert_eq!(claimed_key(&store, &rules("w", 50)), None, "and only once");
    // a fetch queued again while it runs is not run again
    let fetch = job(JobKind::FetchSource, "7", "f.example", 60);
    store
        .enqueue_jobs(std::slice::from_ref(&fetch), t(60))
        .expect("enqueue");
    let j = store
        .claim_job(&rules("w", 70))
        .expect("claim")
        .expect("fetch");
    store
        .enqueue_jobs(std::slice::from_ref(&fetch), t(80))
        .expect("enqueue");
    assert!(store.finish_job(j.id, "w", t(90)).expect("finish"));
    assert_eq!(claimed_key(&store, &rules("w", 100)), None, "fetched once");
}

fn status_counts_kinds_workers_and_failures(store: Store) {
    let w = WorkerInfo {
        id: "host-1-abc".into(),
        hostname: "host".into(),
        pid: 1,
        started_at: t(0),
        jobs_done: 0,
    };
    store.worker_heartbeat(&w, t(0)).expect("heartbeat");
    store
        .enqueue_jobs(
            &[
                job(JobKind::FetchArticle, "1", "a", 0),
                job(JobKind::FetchArticle, "2", "b", 0),
                job(JobKind::Translate, "fr", "", 0),
            ],
            t(0),
        )
        .expect("enqueue");
    let j = store
        .claim_job(&rules("host-1-abc", 1_000))
        .expect("claim")
        .expect("job");
    assert_eq!(j.kind, JobKind::FetchArticle);
    let status = store.queue_status(t(11_000)).expect("status");
    let article = status
        .kinds
        .iter()
        .find(|k| k.kind == JobKind::FetchArticle)
        .expect("line");
    assert_eq!((article.ready, article.running), (1, 1));
    assert_eq!(article.oldest_ready_secs, Some(11));
    assert_eq!(status.kinds.len(), JobKind::ALL.len());
    assert_eq!(status.pending(), 3);
    assert_eq!(status.workers.len(), 1);
    assert!(status.workers[0].alive);
    assert_eq!(status.workers[0].leases, 1);
    // a minute and more without a heartbeat: not alive
    let later = store.queue_status(t(120_000)).expect("status");
    assert!(!later.workers[0].alive);
    store.forget_worker(&w.id).expect("forget");
    assert!(store.queue_status(t(0)).expect("status").workers.is_empty());
}

fn a_batch_claim_takes_what_each_host_has_room_for(store: Store) {
    let jobs: Vec<NewJob> = (0..6)
        .map(|i| {
            job(
                JobKind::FetchArticle,
                &format!("p{i}"),
                ["a", "b"][i % 2],
                i as i64,
            )
        })
        .chain((0..2).map(|i| job(JobKind::Translate, &format!("t{i}"), "", 10 + i)))
        .collect();
    store.enqueue_jobs(&jobs, t(0)).expect("enqueue");
    let mut r = rules("w", 100);
    let first = store.claim_jobs(&r, 10).expect("claim");
    let keys: Vec<&str> = first.iter().map(|j| j.key.as_str()).collect();
    assert_eq!(
        keys,
        ["p0", "p1", "t0", "t1"],
        "one per host, and the host-less ones"
    );
    assert!(store.claim_jobs(&r, 10).expect("claim").is_empty());
    // room for two per host: one more each
    r.max_per_host = 2;
    let more = store.claim_jobs(&r, 10).expect("claim");
    let keys: Vec<&str> = more.iter().map(|j| j.key.as_str()).collect();
    assert_eq!(keys, ["p2", "p3"]);
    // a batch never takes more than asked
    for j in first.iter().chain(&more) {
        assert!(store.finish_job(j.id, "w", t(200)).expect("finish"));
    }
    assert_eq!(store.claim_jobs(&r, 1).expect("claim").len(), 1);
    assert!(store.claim_jobs(&r, 0).expect("claim").is_empty());
}

/// Four workers (each its own connections) claim 120 jobs on 4 hosts, one connection per host:
/// every job is done exactly once and no host ever has two jobs running.
fn concurrent_claimers(handles: Vec<Store>) {
    let first = &handles[0];
    let jobs: Vec<NewJob> = (0..120)
        .map(|i| {
            job(
                JobKind::FetchArticle,
                &format!("j{i}"),
                &format!("h{}", i % 4),
                0,
            )
        })
        .collect();
    first.enqueue_jobs(&jobs, Utc::now()).expect("enqueue");
    let running: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    let done: Arc<Mutex<Vec<String>>> = Arc::default();
    std::thread::scope(|s| {
        for (n, store) in handles.iter().enumerate() {
            let running = Arc::clone(&running);
            let done = Arc::clone(&done);
            s.spawn(move || {
                let me = format!("w{n}");
                let mut idle = 0;
                while idle < 50 {
                    let r = ClaimRules {
                        worker: &me,
                        now: Utc::now(),
                        lease: Duration::from_secs(60),
                        max_per_host: 1,
                        host_delay: Duration::ZERO,
                    };
                    let Some(j) = store.claim_job(&r).expect("claim") else {
                        idle += 1;
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    idle = 0;
                    {
                        let mut m = running.lock().expect("lock");
                        let c = m.entry(j.host.clone()).or_default();
                        *c += 1;
                        assert_eq!(*c, 1, "two jobs running on host {}", j.host);
                    }
                    std::thread::sleep(Duration::from_millis(1));
                    *running
                        .lock()
                        .expect("lock")
                        .get_mut(&j.host)
                        .expect("host") -= 1;
                    assert!(store.finish_job(j.id, &me, Utc::now()).expect("finish"));
                    done.lock().expect("lock").push(j.key);
                }
            });
        }
    });
    let done = done.lock().expect("lock");
    let unique: HashSet<&String> = done.iter().collect();
    assert_eq!(done.len(), 120, "every job once");
    assert_eq!(unique.len(), 120, "no job twice");
    assert_eq!(first.queue_status(Utc::now()).expect("status").pending(), 0);
}

#[test]
fn concurrent_claimers_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("q.db");
    let handles = (0..4).map(|_| Store::open(&path).expect("open")).collect();
    concurrent_claimers(handles);
}

#[test]
fn concurrent_claimers_on_postgres() {
    let url =
        newsdesk_pgtest::fresh_database("concurrent_claimers").unwrap_or_else(|e| panic!("{e}"));
    let handles = (0..4)
        .map(|_| Store::open_url(&url).expect("open"))
        .collect();
    concurrent_claimers(handles);
}

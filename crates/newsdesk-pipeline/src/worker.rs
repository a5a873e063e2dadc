//! `newsdesk worker`: the pipeline's stages as jobs on the work queue in the database, so that
//! any number of worker processes, on one machine or many, share the work.
//!
//! Jobs (see `newsdesk_store::JobKind` and the store's `jobs` module for claims, leases,
//! retries and per-host politeness):
//!
//! * `fetch_source` (key: the source id; host: the feed's): one source's feed, fetched,
//!   parsed and scheduled exactly as `newsdesk fetch` does ([`Ingest::fetch_source_now`]);
//!   its new entries become `fetch_article` jobs instead of being fetched in the same process.
//!   Every worker puts the sources that are due on the queue every [`WorkerSettings::scan_every`]
//!   (a source already there is not put twice).
//! * `fetch_article` (key: source id and entry key; host: the page's): one entry's page,
//!   fetched, extracted and stored ([`Ingest::ingest_queued_entry`]). An entry already stored
//!   is not stored again, so a job done twice (its worker died after storing, before deleting
//!   the job) stores nothing twice; one URL is one article (the database refuses a second).
//! * `translate` (key: `editions`): the translation pass over the articles waiting for an
//!   edition's language, as after a fetch.
//! * `place_stories` (key: `all`): the story pass. Its key makes it one logical writer: one such
//!   job exists at a time and its lease is the leader lease. A worker that dies while placing
//!   stops extending it; when it expires, another worker (the standby: any worker) takes the
//!   job over, from the snapshot and state saved in the database.
//!
//! A worker that stored articles puts a `translate` job (when editions are configured) and a
//! `place_stories` job on the queue, at most every two seconds; queued while one runs, they run
//! once more after it.
//!
//! Each job's lease is extended every third of its length while the job runs. A job that fails
//! (the database was unreachable, say) is tried again later with backoff; a feed or page that
//! cannot be fetched is not a failed job: it is recorded on the source or the article, as by
//! `newsdesk fetch`.

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use newsdesk_core::{FeedEntry, SourceId};
use newsdesk_store::{ClaimRules, Job, JobKind, JobRetry, NewJob, Store, WorkerInfo};
use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use crate::PipelineError;
use crate::ingest::{Ingest, SourceOutcome};
use crate::stories::StoryStage;
use crate::translate::EditionTranslation;

/// The payload of a `fetch_article` job.
#[derive(Debug, Serialize, Deserialize)]
struct ArticleJob {
    source_id: SourceId,
    entry: FeedEntry,
}

/// The payload of a `fetch_source` job.
#[derive(Debug, Serialize, Deserialize)]
struct SourceJob {
    source_id: SourceId,
}

/// The key of the one `translate` job.
const TRANSLATE_KEY: &str = "editions";

/// The key of the one `place_stories` job.
const PLACE_KEY: &str = "all";

/// How long follow-up jobs (translate, place stories) wait after the articles that call for
/// them, so that they take articles in batches.
const FOLLOW_UP_DELAY: Duration = Duration::from_secs(2);

/// The host a URL contacts (the politeness group of its job), lowercased; empty when it has
/// none.
fn host_of(url: &str) -> String {
    url::Url::parse(url.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// The `fetch_article` job of a feed entry; `None` for an entry without a key (it cannot be
/// recorded, so it is never queued).
pub(crate) fn article_job(
    source_id: SourceId,
    entry: FeedEntry,
    max_attempts: u32,
) -> Option<NewJob> {
    let key = format!("{source_id}:{}", entry.key()?);
    let host = entry.link.as_deref().map(host_of).unwrap_or_default();
    let payload = serde_json::to_string(&ArticleJob { source_id, entry }).ok()?;
    Some(NewJob {
        kind: JobKind::FetchArticle,
        key,
        payload,
        host,
        not_before: Utc::now(),
        max_attempts,
    })
}

/// How a worker works (`[worker]` and the command's flags).
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Jobs run at the same time.
    pub concurrency: usize,
    /// A job's lease; extended every third of it while the job runs.
    pub lease: Duration,
    /// Pause between two looks at an empty queue.
    pub poll: Duration,
    /// Tries of a job before it is given up.
    pub max_attempts: u32,
    /// Pause between two scans for due sources.
    pub scan_every: Duration,
    /// Stop once the queue is empty and no source is due.
    pub until_idle: bool,
    /// Concurrent jobs on one host, over all workers (`[fetch] max_connections_per_host`).
    pub max_per_host: u32,
    /// Time between the starts of two jobs on one host, over all workers (`[fetch]
    /// per_host_delay_ms`).
    pub host_delay: Duration,
    /// The worker's name (its id in the queue); host name, process id and a random part when
    /// `None`.
    pub name: Option<String>,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            concurrency: 16,
            lease: Duration::from_secs(60),
            poll: Duration::from_millis(500),
            max_attempts: 5,
            scan_every: Duration::from_secs(5),
            until_idle: false,
            max_per_host: 1,
            host_delay: Duration::from_millis(250),
            name: None,
        }
    }
}

/// What a worker did, printed when it stops.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WorkerReport {
    /// Its id in the queue.
    pub worker: String,
    /// Jobs finished, per kind.
    pub jobs: BTreeMap<&'static str, u64>,
    /// Tries that failed (tried again later, or given up).
    pub failed_tries: u64,
    /// Articles it stored.
    pub articles_stored: u64,
    /// Seconds it ran.
    pub elapsed_secs: f64,
}

impl std::fmt::Display for WorkerReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: u64 = self.jobs.values().sum();
        write!(f, "worker {}: {total} jobs", self.worker)?;
        let parts: Vec<String> = self
            .jobs
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        write!(
            f,
            ", {} articles stored, {} failed tries, in {:.1} s",
            self.articles_stored, self.failed_tries, self.elapsed_secs
        )
    }
}

/// A worker: claims jobs from the queue and runs them until stopped (or idle, with
/// [`WorkerSettings::until_idle`]).
pub struct Worker {
    shared: Arc<Shared>,
}

struct Shared {
    store: Store,
    ingest: Ingest,
    translation: Option<EditionTranslation>,
    stories: Option<StoryStage>,
    settings: WorkerSettings,
    id: String,
    /// This machine's name (read once).
    hostname: String,
    articles: AtomicU64,
    /// Articles stored since follow-up jobs were last put on the queue.
    unplaced: AtomicU64,
}

/// This machine's name, for worker ids.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

impl Worker {
    /// A worker over `store` running `ingest`'s fetches (put in worker mode here), translating
    /// with `translation` (if editions are configured) and placing stories with `stories` (if
    /// enabled).
    pub fn new(
        store: Store,
        ingest: Ingest,
        translation: Option<EditionTranslation>,
        stories: Option<StoryStage>,
        settings: WorkerSettings,
    ) -> Worker {
        let hostname = hostname();
        let id = settings.name.clone().unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            format!("{}-{}-{:04x}", hostname, std::process::id(), nanos & 0xffff)
        });
        let ingest = ingest
            .with_entry_jobs(settings.max_attempts)
            .with_stories(false);
        Worker {
            shared: Arc::new(Shared {
                store,
                ingest,
                translation,
                stories,
                settings,
                id,
                hostname,
                articles: AtomicU64::new(0),
                unplaced: AtomicU64::new(0),
            }),
        }
    }

    /// The worker's id in the queue.
    pub fn id(&self) -> &str {
        &self.shared.id
    }

    /// Runs until `stop` completes (then finishes the jobs in hand: their leases stay valid)
    /// or, with `until_idle`, until no job is queued or running and no source is due.
    pub async fn run(self, stop: impl Future<Output = ()>) -> WorkerReport {
        let start = Instant::now();
        let sh = self.shared;
        let started_at = Utc::now();
        let mut jobs: BTreeMap<&'static str, u64> =
            JobKind::ALL.iter().map(|k| (k.as_str(), 0)).collect();
        let mut failed_tries = 0u64;
        let mut running: JoinSet<(JobKind, bool)> = JoinSet::new();
        let mut last_scan: Option<Instant> = None;
        let mut last_beat: Option<Instant> = None;
        let mut last_follow_up: Option<Instant> = None;
        // Catch up on whatever an earlier worker stored but did not follow up.
        sh.unplaced.store(1, Ordering::Relaxed);
        tokio::pin!(stop);
        let mut stopping = false;
        info!(worker = %sh.id, store = %sh.store.location(), "worker started");
        loop {
            if !stopping && last_beat.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
                last_beat = Some(Instant::now());
                let info = WorkerInfo {
                    id: sh.id.clone(),
                    hostname: sh.hostname.clone(),
                    pid: std::process::id(),
                    started_at,
                    jobs_done: jobs.values().sum(),
                };
                let store = sh.store.clone();
                if let Err(e) = blocking(move || store.worker_heartbeat(&info, Utc::now())).await {
                    warn!(worker = %sh.id, error = %e, "heartbeat not recorded");
                }
            }
            if !stopping && last_scan.is_none_or(|t| t.elapsed() >= sh.settings.scan_every) {
                last_scan = Some(Instant::now());
                if let Err(e) = sh.queue_due_sources().await {
                    warn!(worker = %sh.id, error = %e, "due sources not queued");
                }
            }
            if sh.unplaced.load(Ordering::Relaxed) > 0
                && last_follow_up.is_none_or(|t| t.elapsed() >= FOLLOW_UP_DELAY)
            {
                last_follow_up = Some(Instant::now());
                sh.unplaced.store(0, Ordering::Relaxed);
                if let Err(e) = sh.queue_follow_ups().await {
                    sh.unplaced.fetch_add(1, Ordering::Relaxed);
                    warn!(worker = %sh.id, error = %e, "follow-up jobs not queued");
                }
            }
            let mut claimed = false;
            let free = sh.settings.concurrency.max(1).saturating_sub(running.len());
            if !stopping && free > 0 {
                match sh.claim(free).await {
                    Ok(jobs) => {
                        claimed = !jobs.is_empty();
                        for job in jobs {
                            let sh = Arc::clone(&sh);
                            running.spawn(async move { sh.run_job(job).await });
                        }
                    }
                    Err(e) => warn!(worker = %sh.id, error = %e, "cannot claim jobs"),
                }
            }
            if running.is_empty() && (stopping || (sh.settings.until_idle && !claimed)) {
                if stopping {
                    break;
                }
                if sh.unplaced.load(Ordering::Relaxed) == 0 && sh.idle().await {
                    break;
                }
            }
            tokio::select! {
                Some(done) = running.join_next() => {
                    match done {
                        Ok((kind, true)) => *jobs.entry(kind.as_str()).or_default() += 1,
                        Ok((_, false)) => failed_tries += 1,
                        Err(e) => {
                            failed_tries += 1;
                            warn!(worker = %sh.id, error = %e, "job task failed");
                        }
                    }
                }
                () = &mut stop, if !stopping => {
                    info!(worker = %sh.id, in_hand = running.len(), "stopping: finishing the jobs in hand");
                    stopping = true;
                }
                () = tokio::time::sleep(sh.settings.poll), if running.len() < sh.settings.concurrency.max(1) => {}
            }
        }
        let store = sh.store.clone();
        let id = sh.id.clone();
        if let Err(e) = blocking(move || store.forget_worker(&id)).await {
            debug!(worker = %sh.id, error = %e, "worker row not removed");
        }
        let report = WorkerReport {
            worker: sh.id.clone(),
            jobs,
            failed_tries,
            articles_stored: sh.articles.load(Ordering::Relaxed),
            elapsed_secs: start.elapsed().as_secs_f64(),
        };
        info!(worker = %sh.id, "{report}");
        report
    }
}

/// Runs blocking store work on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, newsdesk_store::StoreError> + Send + 'static,
) -> Result<T, PipelineError> {
    Ok(tokio::task::spawn_blocking(f).await??)
}

impl Shared {
    /// Claims up to `free` jobs in one transaction.
    async fn claim(&self, free: usize) -> Result<Vec<Job>, PipelineError> {
        let store = self.store.clone();
        let worker = self.id.clone();
        let lease = self.settings.lease;
        let max_per_host = self.settings.max_per_host;
        let host_delay = self.settings.host_delay;
        blocking(move || {
            store.claim_jobs(
                &ClaimRules {
                    worker: &worker,
                    now: Utc::now(),
                    lease,
                    max_per_host,
                    host_delay,
                },
                free,
            )
        })
        .await
    }

    /// Whether there is nothing left: no job queued or running, no source due.
    async fn idle(&self) -> bool {
        let store = self.store.clone();
        let found = blocking(move || {
            let now = Utc::now();
            Ok(store.queue_status(now)?.pending() == 0 && store.due_sources(now)?.is_empty())
        })
        .await;
        found.unwrap_or_else(|e| {
            warn!(worker = %self.id, error = %e, "cannot read the queue");
            false
        })
    }

    /// Puts the due sources that are not on the queue yet on it.
    async fn queue_due_sources(&self) -> Result<(), PipelineError> {
        let store = self.store.clone();
        let max_attempts = self.settings.max_attempts;
        let queued = blocking(move || {
            // The queue first, then what is due: a source whose job another worker finishes
            // between the two reads is then still in `known` (read before it finished), never
            // seen due by a stale read and queued again.
            let known: HashSet<String> = store.job_keys(JobKind::FetchSource)?;
            let now = Utc::now();
            let due: Vec<SourceId> = store
                .due_sources(now)?
                .into_iter()
                .filter(|id| !known.contains(&id.to_string()))
                .collect();
            if due.is_empty() {
                return Ok(0);
            }
            // Only the due sources' rows (by id), not every source with its statistics.
            let sources = store.sources_by_ids(&due)?;
            let jobs: Vec<NewJob> = due
                .iter()
                .filter_map(|id| sources.get(id))
                .filter_map(|s| {
                    let payload = serde_json::to_string(&SourceJob { source_id: s.id }).ok()?;
                    Some(NewJob {
                        kind: JobKind::FetchSource,
                        key: s.id.to_string(),
                        payload,
                        host: host_of(&s.feed_url),
                        not_before: now,
                        max_attempts,
                    })
                })
                .collect();
            store.enqueue_jobs(&jobs, now)?;
            Ok(jobs.len())
        })
        .await?;
        if queued > 0 {
            debug!(worker = %self.id, queued, "due sources queued");
        }
        Ok(())
    }

    /// Puts the translation and story jobs on the queue (coalesced with any already there).
    async fn queue_follow_ups(&self) -> Result<(), PipelineError> {
        let now = Utc::now();
        let at = now + chrono::Duration::from_std(FOLLOW_UP_DELAY).unwrap_or_default();
        let job = |kind, key: &str| NewJob {
            kind,
            key: key.into(),
            payload: "{}".into(),
            host: String::new(),
            not_before: at,
            max_attempts: self.settings.max_attempts,
        };
        let mut jobs = Vec::new();
        if self.translation.is_some() {
            jobs.push(job(JobKind::Translate, TRANSLATE_KEY));
        }
        if self.stories.is_some() {
            jobs.push(job(JobKind::PlaceStories, PLACE_KEY));
        }
        let store = self.store.clone();
        blocking(move || store.enqueue_jobs(&jobs, now)).await
    }

    /// Runs one job under its lease; `true` when it was done (and finished on the queue).
    async fn run_job(self: Arc<Self>, job: Job) -> (JobKind, bool) {
        let kind = job.kind;
        // The lease is extended while the job runs.
        let keeper = {
            let sh = Arc::clone(&self);
            let id = job.id;
            tokio::spawn(async move {
                let every = sh.settings.lease / 3;
                loop {
                    tokio::time::sleep(every).await;
                    let store = sh.store.clone();
                    let worker = sh.id.clone();
                    let until = Utc::now()
                        + chrono::Duration::from_std(sh.settings.lease).unwrap_or_default();
                    match blocking(move || store.extend_lease(id, &worker, until)).await {
                        Ok(true) => {}
                        Ok(false) => {
                            warn!(worker = %sh.id, job = id, "lease lost: another worker took the job over");
                            return;
                        }
                        Err(e) => {
                            warn!(worker = %sh.id, job = id, error = %e, "lease not extended")
                        }
                    }
                }
            })
        };
        let handler = {
            let sh = Arc::clone(&self);
            let job = job.clone();
            tokio::spawn(async move { sh.handle(&job).await })
        };
        let result = match handler.await {
            Ok(r) => r,
            Err(e) => Err(PipelineError::Task(e)),
        };
        keeper.abort();
        let store = self.store.clone();
        let worker = self.id.clone();
        match result {
            Ok(()) => {
                let id = job.id;
                match blocking(move || store.finish_job(id, &worker, Utc::now())).await {
                    Ok(true) => {}
                    Ok(false) => {
                        debug!(worker = %self.id, job = id, "job finished by the worker that took it over");
                    }
                    Err(e) => {
                        warn!(worker = %self.id, job = id, error = %e, "job done but not finished on the queue; it will run again")
                    }
                }
                (kind, true)
            }
            Err(e) => {
                let message = e.to_string();
                let (id, attempt) = (job.id, job.attempt);
                let fate =
                    blocking(move || store.retry_job(id, &worker, attempt, &message, Utc::now()))
                        .await;
                match fate {
                    Ok(JobRetry::Later(at)) => {
                        warn!(worker = %self.id, kind = %kind, key = %job.key, attempt, error = %e, retry_at = %at, "job failed; it will be tried again");
                    }
                    Ok(JobRetry::GivenUp) => {
                        tracing::error!(worker = %self.id, kind = %kind, key = %job.key, attempt, error = %e, "job failed its last try; given up (see `newsdesk status`)");
                    }
                    Ok(JobRetry::LeaseLost) => {
                        debug!(worker = %self.id, job = job.id, "failed job already taken over");
                    }
                    Err(err) => {
                        warn!(worker = %self.id, job = job.id, error = %err, "job failure not recorded; its lease will expire");
                    }
                }
                (kind, false)
            }
        }
    }

    /// A job's source; `None` (and the job is dropped) when it was deleted meanwhile.
    async fn source(
        &self,
        id: SourceId,
    ) -> Result<Option<newsdesk_core::SourceWithStats>, PipelineError> {
        let store = self.store.clone();
        let found = blocking(move || store.get_source(id)).await?;
        if found.is_none() {
            debug!(source_id = id, "source deleted; job dropped");
        }
        Ok(found)
    }

    /// What each kind of job does.
    async fn handle(&self, job: &Job) -> Result<(), PipelineError> {
        debug!(worker = %self.id, kind = %job.kind, key = %job.key, attempt = job.attempt, "job");
        match job.kind {
            JobKind::FetchSource => {
                let p: SourceJob = decode(job)?;
                let Some(src) = self.source(p.source_id).await? else {
                    return Ok(());
                };
                // Queued twice (two workers' scans crossed a fetch): fetched once.
                if src
                    .fetch
                    .next_fetch_at
                    .is_some_and(|next| next > Utc::now())
                {
                    debug!(source_id = p.source_id, "source no longer due; job dropped");
                    return Ok(());
                }
                let result = self.ingest.fetch_source_now(&src.source).await;
                if let SourceOutcome::Failed(msg) = &result.outcome {
                    // Recorded on the source and scheduled with backoff, as by `fetch`.
                    info!(source_id = src.source.id, stage = "worker", error = %msg, "source failed");
                }
                if result.next_fetch_at.is_none() {
                    // Its state could not be saved: try the job again.
                    return Err(PipelineError::Job(format!(
                        "the fetch of source {} could not be recorded",
                        src.source.id
                    )));
                }
                Ok(())
            }
            JobKind::FetchArticle => {
                let p: ArticleJob = decode(job)?;
                let Some(src) = self.source(p.source_id).await? else {
                    return Ok(());
                };
                if self
                    .ingest
                    .ingest_queued_entry(&src.source, p.entry)
                    .await?
                {
                    self.articles.fetch_add(1, Ordering::Relaxed);
                    self.unplaced.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            }
            JobKind::Translate => {
                if let Some(t) = &self.translation {
                    t.translate_pending_with(&crate::Progress::hidden()).await;
                }
                Ok(())
            }
            JobKind::PlaceStories => {
                let Some(stage) = &self.stories else {
                    return Ok(());
                };
                match crate::stories::place_after_pass(&self.store, Some(stage)).await {
                    Some(report) => {
                        debug!(worker = %self.id, ?report, "stories placed");
                        Ok(())
                    }
                    None => Err(PipelineError::Job(
                        "story placement failed (see the log above); it will be tried again".into(),
                    )),
                }
            }
        }
    }
}

/// A job's payload, or an error naming the job.
fn decode<T: serde::de::DeserializeOwned>(job: &Job) -> Result<T, PipelineError> {
    serde_json::from_str(&job.payload).map_err(|e| {
        PipelineError::Job(format!(
            "job {} ({} {}) has an unreadable payload: {e}",
            job.id, job.kind, job.key
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_jobs_are_keyed_by_source_and_entry_and_grouped_by_host() {
        let entry = FeedEntry {
            id: Some("urn:x:1".into()),
            link: Some("https://News.Example.org/a?b=1".into()),
            ..FeedEntry::default()
        };
        let job = article_job(7, entry.clone(), 4).expect("job");
        assert_eq!(job.kind, JobKind::FetchArticle);
        assert_eq!(job.key, format!("7:{}", entry.key().expect("key")));
        assert_eq!(job.host, "news.example.org");
        assert_eq!(job.max_attempts, 4);
        let back: ArticleJob = serde_json::from_str(&job.payload).expect("payload");
        assert_eq!((back.source_id, back.entry), (7, entry));
        assert!(
            article_job(7, FeedEntry::default(), 4).is_none(),
            "no key, no job"
        );
    }

    #[test]
    fn reports_name_each_kind_done() {
        let mut r = WorkerReport {
            worker: "w".into(),
            articles_stored: 3,
            elapsed_secs: 1.25,
            ..WorkerReport::default()
        };
        r.jobs.insert("fetch_article", 3);
        r.jobs.insert("translate", 0);
        assert_eq!(
            r.to_string(),
            "worker w: 3 jobs (3 fetch_article), 3 articles stored, 0 failed tries, in 1.2 s"
        );
    }
}

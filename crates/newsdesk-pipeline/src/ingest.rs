//! One polite pass over the sources: conditional GET of each feed, parse, fetch and extract each
//! new entry's page, detect its language, and store it in one transaction.
//!
//! Idempotence: an entry whose key (`FeedEntry::key`) is already stored for its source is skipped
//! before any page is fetched, and the feed's validators (ETag / Last-Modified) are saved only
//! when every new entry was stored, so a pass that was cut short (killed, or capped by
//! `max_new_entries_per_pass`) is completed by the next one instead of being hidden by a 304.
//!
//! Scheduling: after each fetch the source's next-fetch time is decided by the
//! [`SchedulePolicy`] (adaptive interval, server hints, backoff, pauses); a permanent redirect
//! (301/308) seen on two fetches in a row replaces the stored feed URL. Article pages go through
//! the shared [`ArticleQueue`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use newsdesk_core::{
    ContentOrigin, ExtractedArticle, FeedEntry, FetchState, FetchStatus, NewArticle, Source,
    SourceId,
};
use newsdesk_fetch::{FetchError, Fetcher, Validators};
use newsdesk_store::{ScheduleState, SourceUpdate, Store, StoreError};
use tracing::{debug, info, warn};

use super::Progress;
use super::article_queue::{ArticleQueue, PageFetch, UrlClaim};
use super::schedule::{self, CacheHints, Observation, SchedulePolicy};
use super::translate::EditionTranslation;
use crate::PipelineError;
use crate::settings::FetchSettings;
use crate::text::{counted, lead_of};

/// What happened to one source in a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceOutcome {
    /// Fetched and parsed.
    Ok {
        /// Entries in the feed.
        entries: usize,
        /// Articles stored in this pass.
        new_articles: u64,
        /// New entries left for the next pass (cap reached or a store error).
        deferred: usize,
    },
    /// 304 Not Modified.
    NotModified,
    /// The feed could not be fetched or parsed.
    Failed(String),
}

/// One source's line in the report.
#[derive(Debug, Clone)]
pub struct SourceResult {
    /// The source.
    pub source_id: SourceId,
    /// Its name.
    pub name: String,
    /// What happened.
    pub outcome: SourceOutcome,
    /// When the source is due next (`None` if its state could not be saved).
    pub next_fetch_at: Option<DateTime<Utc>>,
    /// Why the source was paused by this fetch, if it was.
    pub paused: Option<String>,
}

/// The result of a pass.
#[derive(Debug, Clone, Default)]
pub struct PassReport {
    /// One line per source.
    pub results: Vec<SourceResult>,
    /// Wall time of the pass.
    pub elapsed: Duration,
    /// Sources not started because the pass's time budget was spent (they stay due, so the
    /// next pass takes them first).
    pub not_started: usize,
}

impl PassReport {
    /// Sources fetched and parsed (including 304s).
    pub fn ok(&self) -> usize {
        self.results.len() - self.failed()
    }

    /// Sources that failed.
    pub fn failed(&self) -> usize {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, SourceOutcome::Failed(_)))
            .count()
    }

    /// Sources paused by this pass.
    pub fn paused(&self) -> usize {
        self.results.iter().filter(|r| r.paused.is_some()).count()
    }

    /// Sources that answered 304.
    pub fn not_modified(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.outcome == SourceOutcome::NotModified)
            .count()
    }

    /// Articles stored in the pass.
    pub fn new_articles(&self) -> u64 {
        self.results
            .iter()
            .map(|r| match r.outcome {
                SourceOutcome::Ok { new_articles, .. } => new_articles,
                _ => 0,
            })
            .sum()
    }
}

impl fmt::Display for PassReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ok ({} not modified), {} failed; {} in {:.1} s",
            counted(self.results.len() as u64, "source", "sources"),
            self.ok(),
            self.not_modified(),
            self.failed(),
            counted(self.new_articles(), "new article", "new articles"),
            self.elapsed.as_secs_f64()
        )?;
        if self.not_started > 0 {
            write!(
                f,
                "; {} left for the next pass (pass time budget spent)",
                self.not_started
            )?;
        }
        match self.paused() {
            0 => Ok(()),
            n => write!(f, "; {n} paused"),
        }
    }
}

/// The ingest stage: owns a fetcher and a store handle.
#[derive(Clone)]
pub struct Ingest {
    store: Store,
    fetcher: Fetcher,
    settings: Arc<FetchSettings>,
    policy: Arc<SchedulePolicy>,
    pages: ArticleQueue,
    /// Editions hook: translation of new articles after each pass (see `with_translation`).
    translation: Option<EditionTranslation>,
    /// Stories hook: place new articles into stories after each pass (see `with_stories`).
    stories: bool,
    /// The stories hook's settings (see `with_story_stage`; `None`: the defaults).
    story_stage: Option<Arc<super::stories::StoryStage>>,
    /// The pass's progress display (set by `run_pass`; articles found and done are counted).
    progress: Progress,
    /// Worker mode (see `with_entry_jobs`): new entries go on the work queue as
    /// `fetch_article` jobs of at most this many tries, instead of being fetched in the pass.
    entry_jobs: Option<u32>,
}

/// What a fetch observed, for the scheduler.
struct Facts {
    observation: Observation,
    hints: CacheHints,
    permanent_redirect: Option<String>,
}

impl Ingest {
    /// The scheduler of `newsdesk serve`: fetches the sources that are due (each has its own next-fetch time, see
    /// [`crate::schedule`]), then looks again after `tick`; a pass that found work is followed at
    /// once by another look, so a backlog is worked through without waiting.
    pub async fn run_due(self, store: Store, tick: Duration) {
        loop {
            let due = store
                .due_sources(chrono::Utc::now())
                .and_then(|ids| store.list_sources().map(|all| (ids, all)));
            let mut worked = false;
            match due {
                Ok((ids, all)) if !ids.is_empty() => {
                    let by_id: std::collections::HashMap<_, _> =
                        all.into_iter().map(|s| (s.source.id, s.source)).collect();
                    let sources: Vec<_> =
                        ids.iter().filter_map(|id| by_id.get(id).cloned()).collect();
                    worked = !sources.is_empty();
                    let report = self.run_pass(sources, &Progress::hidden()).await;
                    // One log line per failure (ingest itself logs them at info only).
                    for r in &report.results {
                        if let SourceOutcome::Failed(msg) = &r.outcome {
                            warn!(
                                source_id = r.source_id,
                                stage = "schedule",
                                "source {} ({}) failed: {msg}",
                                r.source_id,
                                r.name
                            );
                        }
                        if let Some(reason) = &r.paused {
                            warn!(
                                source_id = r.source_id,
                                stage = "schedule",
                                "source {} ({}) paused: {reason}",
                                r.source_id,
                                r.name
                            );
                        }
                    }
                    info!(stage = "schedule", "{report}");
                }
                Ok(_) => {}
                Err(e) => warn!(stage = "schedule", error = %e, "cannot list due sources"),
            }
            if !worked {
                tokio::time::sleep(tick).await;
            }
        }
    }

    /// Wires a store and a fetcher, with the default [`SchedulePolicy`].
    pub fn new(store: Store, fetcher: Fetcher, settings: FetchSettings) -> Ingest {
        let pages = ArticleQueue::new(
            fetcher.clone(),
            store.clone(),
            settings.page_concurrency,
            settings.page_retries,
        );
        Ingest {
            store,
            fetcher,
            settings: Arc::new(settings),
            policy: Arc::new(SchedulePolicy::default()),
            pages,
            translation: None,
            stories: true,
            story_stage: None,
            progress: Progress::hidden(),
            entry_jobs: None,
        }
    }

    /// Worker mode: a fetched source's new entries are put on the work queue (see
    /// [`crate::worker`]) as `fetch_article` jobs of at most `max_attempts` tries, for any
    /// worker to fetch, instead of being fetched by the pass itself.
    pub fn with_entry_jobs(mut self, max_attempts: u32) -> Ingest {
        self.entry_jobs = Some(max_attempts);
        self
    }

    /// Fetches one source now (a worker's `fetch_source` job), within the source and pass
    /// time budgets, records the outcome and decides when it is due next.
    pub async fn fetch_source_now(&self, src: &Source) -> SourceResult {
        let deadline = Instant::now() + Duration::from_secs(self.settings.pass_time_budget_secs);
        self.fetch_source_by(src, deadline).await
    }

    /// Fetches, extracts and stores one queued entry (a worker's `fetch_article` job);
    /// `Ok(false)` when it was already stored (by this or another worker, or under another
    /// source): doing a job twice stores nothing twice.
    pub async fn ingest_queued_entry(
        &self,
        src: &Source,
        entry: FeedEntry,
    ) -> Result<bool, PipelineError> {
        let key = entry.key().unwrap_or_default().to_string();
        let store = self.store.clone();
        let id = src.id;
        if tokio::task::spawn_blocking(move || store.has_entry(id, &key)).await?? {
            return Ok(false);
        }
        self.ingest_entry(src, entry).await
    }

    /// The same pipeline translating new articles into the editions' languages after each pass.
    /// Turns story placement after each pass on or off (`[stories] enabled`).
    pub fn with_stories(mut self, enabled: bool) -> Ingest {
        self.stories = enabled;
        self
    }

    /// Places stories with the settings of `stage` (engine configuration, pivot translation).
    pub fn with_story_stage(mut self, stage: super::stories::StoryStage) -> Ingest {
        self.story_stage = Some(Arc::new(stage));
        self
    }

    /// Translates new articles into the editions after each pass.
    pub fn with_translation(mut self, translation: EditionTranslation) -> Ingest {
        self.translation = Some(translation);
        self
    }

    /// The same pipeline deciding next-fetch times with `policy`.
    pub fn with_policy(mut self, policy: SchedulePolicy) -> Ingest {
        self.policy = Arc::new(policy);
        self
    }

    /// One pass over `sources`, `source_concurrency` at a time, each source in its own task
    /// (one slow or hostile source cannot hold the others), within the pass's time budget
    /// (`pass_time_budget_secs`; each source's new entries also within
    /// `source_time_budget_secs`).
    pub async fn run_pass(&self, sources: Vec<Source>, progress: &Progress) -> PassReport {
        let start = Instant::now();
        let pass_deadline = start + Duration::from_secs(self.settings.pass_time_budget_secs);
        let mut not_started = 0;
        let mut results = Vec::with_capacity(sources.len());
        let mut stream = futures_util::stream::iter(sources)
            .map(|src| {
                let mut this = self.clone();
                this.progress = progress.clone();
                async move {
                    if Instant::now() >= pass_deadline {
                        return None;
                    }
                    let (id, name) = (src.id, src.name.clone());
                    let task =
                        tokio::spawn(
                            async move { this.fetch_source_by(&src, pass_deadline).await },
                        );
                    Some(task.await.unwrap_or_else(|e| SourceResult {
                        source_id: id,
                        name,
                        outcome: SourceOutcome::Failed(format!("source task failed: {e}")),
                        next_fetch_at: None,
                        paused: None,
                    }))
                }
            })
            .buffer_unordered(self.settings.source_concurrency);
        while let Some(r) = stream.next().await {
            let Some(r) = r else {
                not_started += 1;
                progress.source_done();
                continue;
            };
            progress.source_done();
            results.push(r);
        }
        // Editions hook: titles, leads (and bodies, if configured) of new articles translated.
        if let Some(t) = &self.translation {
            t.translate_pending_with(progress).await;
        }
        // --- stories hook (see pipeline/stories.rs): place the articles stored in this pass;
        // a failure is logged there and never fails the pass. ---
        if self.stories {
            progress.begin_stories();
            super::stories::place_after_pass(&self.store, self.story_stage.as_deref()).await;
        }
        progress.finish();
        results.sort_by_key(|r| r.source_id);
        if not_started > 0 {
            warn!(
                not_started,
                budget_secs = self.settings.pass_time_budget_secs,
                "pass time budget spent; sources left for the next pass"
            );
        }
        PassReport {
            results,
            elapsed: start.elapsed(),
            not_started,
        }
    }

    /// Fetches one source and ingests its new entries, by `pass_deadline` at the latest and
    /// within `source_time_budget_secs`; records the outcome on the source and decides when it
    /// is due next.
    async fn fetch_source_by(&self, src: &Source, pass_deadline: Instant) -> SourceResult {
        let mut result = SourceResult {
            source_id: src.id,
            name: src.name.clone(),
            outcome: SourceOutcome::NotModified,
            next_fetch_at: None,
            paused: None,
        };
        // Store calls block (SQLite): they run on the blocking pool, never on the runtime's
        // workers, so thousands of sources in flight do not stall the network side.
        let store = self.store.clone();
        let id = src.id;
        let loaded = tokio::task::spawn_blocking(move || {
            Ok::<_, StoreError>((store.fetch_state(id)?, store.schedule_state(id)?))
        })
        .await;
        let (mut state, mut sched) = match loaded {
            Ok(Ok(both)) => both,
            Ok(Err(e)) => {
                result.outcome = SourceOutcome::Failed(e.to_string());
                return result;
            }
            Err(e) => {
                result.outcome = SourceOutcome::Failed(format!("store task failed: {e}"));
                return result;
            }
        };
        // The interval chosen last time, unless that was a failure backoff.
        let previous_interval = match (state.last_fetch_at, state.next_fetch_at) {
            (Some(last), Some(next)) if state.last_status != FetchStatus::Failed => {
                (next - last).to_std().ok()
            }
            _ => None,
        };
        let mut facts = Facts {
            observation: Observation::NotModified,
            hints: CacheHints::default(),
            permanent_redirect: None,
        };
        let budget = Duration::from_secs(self.settings.source_time_budget_secs);
        let deadline = pass_deadline.min(Instant::now() + budget);
        let outcome = self
            .fetch_source_inner(src, &mut state, &mut facts, deadline)
            .await;
        let now = Utc::now();
        state.last_fetch_at = Some(now);
        match &outcome {
            SourceOutcome::Failed(msg) => {
                // Reported once by the caller (`fetch` prints it, `serve` logs it at warn).
                info!(source_id = src.id, feed_url = %src.feed_url, stage = "ingest", error = %msg, "source failed");
                state.last_status = FetchStatus::Failed;
                state.last_error = Some(msg.clone());
                state.consecutive_failures = state.consecutive_failures.saturating_add(1);
            }
            SourceOutcome::NotModified => {
                state.last_status = FetchStatus::NotModified;
                state.last_error = None;
                state.consecutive_failures = 0;
            }
            SourceOutcome::Ok { .. } => {
                state.last_status = FetchStatus::Ok;
                state.last_error = None;
                state.consecutive_failures = 0;
            }
        }
        let decision = self.policy.decide(
            src.id,
            now,
            previous_interval,
            state.consecutive_failures,
            &facts.observation,
            &facts.hints,
            state.last_error.as_deref(),
        );
        state.next_fetch_at = Some(decision.next_fetch_at);
        if let Some(reason) = &decision.pause {
            info!(source_id = src.id, feed_url = %src.feed_url, stage = "schedule", reason = %reason, "source paused");
            state.last_error = Some(format!("paused: {reason}"));
            sched.paused_reason = Some(reason.clone());
            sched.paused_at = Some(now);
            result.paused = Some(reason.clone());
        }
        let this = self.clone();
        let source = src.clone();
        let saved = tokio::task::spawn_blocking(move || {
            this.track_redirect(&source, &mut sched, facts.permanent_redirect.as_deref());
            this.store
                .save_fetch_outcome(&state, &sched)
                .map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r);
        if let Err(e) = saved {
            result.outcome = SourceOutcome::Failed(format!("could not save fetch state: {e}"));
            return result;
        }
        debug!(source_id = src.id, stage = "schedule", next_fetch_at = %decision.next_fetch_at, "next fetch");
        result.next_fetch_at = Some(decision.next_fetch_at);
        result.outcome = outcome;
        result
    }

    /// Counts a permanent redirect of the feed URL; the second one in a row to the same target
    /// replaces the stored feed URL (the store then forgets the old URL's validators).
    fn track_redirect(&self, src: &Source, sched: &mut ScheduleState, target: Option<&str>) {
        let Some(target) = target.filter(|t| *t != src.feed_url) else {
            sched.redirect_url = None;
            sched.redirect_seen = 0;
            return;
        };
        if sched.redirect_url.as_deref() == Some(target) {
            sched.redirect_seen = sched.redirect_seen.saturating_add(1);
        } else {
            sched.redirect_url = Some(target.to_string());
            sched.redirect_seen = 1;
        }
        if sched.redirect_seen < 2 {
            return;
        }
        let upd = SourceUpdate {
            feed_url: Some(target.to_string()),
            ..Default::default()
        };
        match self.store.update_source(src.id, &upd) {
            Ok(_) => {
                info!(source_id = src.id, feed_url = %src.feed_url, new_url = target, stage = "schedule",
                    "feed moved permanently; stored URL updated");
                sched.redirect_url = None;
                sched.redirect_seen = 0;
            }
            Err(StoreError::DuplicateSource { id, .. }) => {
                warn!(
                    source_id = src.id,
                    other = id,
                    new_url = target,
                    stage = "schedule",
                    "feed moved permanently to the URL of another source; kept as is"
                );
            }
            Err(e) => {
                warn!(source_id = src.id, error = %e, "could not update the feed URL");
            }
        }
    }

    async fn fetch_source_inner(
        &self,
        src: &Source,
        state: &mut FetchState,
        facts: &mut Facts,
        deadline: Instant,
    ) -> SourceOutcome {
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let failed = |facts: &mut Facts, status: Option<u16>, retry_after: Option<Duration>| {
            facts.observation = Observation::Failed {
                http_status: status,
                retry_after,
            };
        };
        let resp = match self.fetcher.get(&src.feed_url, &validators).await {
            Ok(r) => r,
            Err(e) => {
                state.last_http_status = status_of(&e);
                let wait = e
                    .retry_after()
                    .and_then(|v| schedule::retry_after(v, Utc::now()));
                failed(facts, state.last_http_status, wait);
                return SourceOutcome::Failed(e.to_string());
            }
        };
        state.last_http_status = Some(resp.status);
        facts.permanent_redirect = resp.permanent_redirect.clone();
        facts.hints = CacheHints::of_response(&resp, Utc::now());
        if resp.not_modified {
            debug!(source_id = src.id, stage = "ingest", "not modified");
            return SourceOutcome::NotModified;
        }
        // a feed, a sitemap, or a sitemap index whose chosen children are fetched and merged
        let parsed = super::sitemap::read_source_document(
            &self.fetcher,
            resp.body.clone(),
            resp.final_url.clone(),
            resp.content_type.clone(),
        )
        .await;
        let (feed, from_index) = match parsed {
            Ok(doc) => (doc.feed, !doc.children.is_empty()),
            Err(e) => {
                failed(facts, Some(resp.status), None);
                return SourceOutcome::Failed(e);
            }
        };
        facts.hints = std::mem::take(&mut facts.hints).with_feed(&feed.feed);
        self.adopt_feed_title(src, feed.feed.title.as_deref());
        self.adopt_feed_site(src, feed.feed.link.as_deref(), &feed.entries);

        let mut fresh: Vec<FeedEntry> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<(usize, String)> = feed
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.key().map(|k| (i, k.to_string())))
            .filter(|(_, k)| seen.insert(k.clone()))
            .collect();
        let store = self.store.clone();
        let id = src.id;
        let known = tokio::task::spawn_blocking(move || {
            keys.into_iter()
                .map(|(i, k)| store.has_entry(id, &k).map(|known| (i, known)))
                .collect::<Result<Vec<_>, StoreError>>()
        })
        .await;
        match known {
            Ok(Ok(list)) => {
                for (i, known) in list {
                    if !known {
                        fresh.push(feed.entries[i].clone());
                    }
                }
            }
            Ok(Err(err)) => {
                failed(facts, Some(resp.status), None);
                return SourceOutcome::Failed(err.to_string());
            }
            Err(err) => {
                failed(facts, Some(resp.status), None);
                return SourceOutcome::Failed(format!("store task failed: {err}"));
            }
        }
        facts.observation = Observation::fetched(&feed, fresh.len());
        let (fresh, mut deferred) = ingest_order(fresh, self.settings.max_new_entries_per_pass);
        self.progress.articles_found(fresh.len() as u64);

        let mut new_articles = 0u64;
        if let Some(max_attempts) = self.entry_jobs
            && self.settings.fetch_article_pages
        {
            // Worker mode: the pages are fetched by whichever worker claims each entry.
            let n = fresh.len();
            let jobs: Vec<_> = fresh
                .into_iter()
                .filter_map(|e| crate::worker::article_job(src.id, e, max_attempts))
                .collect();
            let store = self.store.clone();
            match tokio::task::spawn_blocking(move || store.enqueue_jobs(&jobs, Utc::now())).await {
                Ok(Ok(())) => {
                    debug!(
                        source_id = src.id,
                        stage = "ingest",
                        queued = n,
                        "entries queued"
                    );
                }
                Ok(Err(e)) => {
                    warn!(source_id = src.id, stage = "ingest", error = %e, "entries not queued");
                    deferred += n;
                }
                Err(e) => {
                    warn!(source_id = src.id, stage = "ingest", error = %e, "store task failed");
                    deferred += n;
                }
            }
            self.progress.articles_done(n as u64);
        } else if !self.settings.fetch_article_pages {
            // No page to wait for: build every article from the feed and store them in one
            // transaction (much cheaper than one per article when thousands of feeds are polled).
            let n = fresh.len() as u64;
            let (stored, failed) = self.store_from_feed(src, fresh).await;
            self.progress.articles_done(n);
            new_articles = stored;
            deferred += failed;
        } else {
            let mut remaining = fresh.len();
            let mut stream = futures_util::stream::iter(fresh)
                .map(|entry| {
                    let this = self.clone();
                    let src = src.clone();
                    async move { this.ingest_entry(&src, entry).await }
                })
                .buffer_unordered(self.settings.article_concurrency);
            loop {
                let next = tokio::time::timeout_at(deadline.into(), stream.next()).await;
                let r = match next {
                    Ok(Some(r)) => r,
                    Ok(None) => break,
                    Err(_) => {
                        // the time budget is spent: entries in progress are dropped (nothing
                        // of theirs is recorded) and wait for the next pass with the rest
                        warn!(
                            source_id = src.id,
                            stage = "ingest",
                            deferred = remaining,
                            "source time budget spent; remaining entries left for the next pass"
                        );
                        deferred += remaining;
                        break;
                    }
                };
                remaining -= 1;
                self.progress.articles_done(1);
                match r {
                    Ok(true) => new_articles += 1,
                    Ok(false) => {}
                    Err(e) => {
                        warn!(source_id = src.id, stage = "store", error = %e, "article not stored");
                        deferred += 1;
                    }
                }
            }
        }
        // A sitemap index may stay unchanged while its children change: never conditional.
        if deferred == 0 && !from_index {
            state.etag = resp.etag.clone();
            state.last_modified = resp.last_modified.clone();
        } else {
            // Keep the next request unconditional so the remaining entries are seen again.
            state.etag = None;
            state.last_modified = None;
        }
        info!(source_id = src.id, feed_url = %src.feed_url, stage = "ingest", entries = feed.entries.len(), new_articles, deferred, "source done");
        SourceOutcome::Ok {
            entries: feed.entries.len(),
            new_articles,
            deferred,
        }
    }

    /// Stores `entries` from the feed's own content in one transaction; returns (articles
    /// stored, entries not stored because of an error).
    async fn store_from_feed(&self, src: &Source, entries: Vec<FeedEntry>) -> (u64, usize) {
        let n = entries.len();
        if n == 0 {
            return (0, 0);
        }
        let store = self.store.clone();
        let src = src.clone();
        let res = tokio::task::spawn_blocking(move || {
            let articles: Vec<NewArticle> = entries
                .iter()
                .map(|e| {
                    let origin = ContentOrigin::FeedSummary {
                        reason: "article pages are not fetched (fetch_article_pages = false)"
                            .into(),
                    };
                    let key = e.key().unwrap_or_default().to_string();
                    build_article(&src, key, e, None, origin)
                })
                .collect();
            store.insert_articles(&articles)
        })
        .await;
        match res {
            Ok(Ok(ids)) => (ids.iter().filter(|id| id.is_some()).count() as u64, 0),
            Ok(Err(e)) => {
                warn!(stage = "store", error = %e, "articles not stored");
                (0, n)
            }
            Err(e) => {
                warn!(stage = "store", error = %e, "article builder crashed");
                (0, n)
            }
        }
    }

    /// Gives a source the feed's site link when it has none, and matches its profile by that
    /// link, its feed URL and its entries' links (see `crate::profiles`).
    fn adopt_feed_site(&self, src: &Source, link: Option<&str>, entries: &[FeedEntry]) {
        let mut current = src.clone();
        let link = link
            .map(str::trim)
            .filter(|l| l.starts_with("http://") || l.starts_with("https://"));
        if current.site_url.is_none()
            && let Some(link) = link
        {
            let upd = SourceUpdate {
                site_url: Some(link.chars().take(2000).collect()),
                ..Default::default()
            };
            match self.store.update_source(src.id, &upd) {
                Ok(s) => current = s,
                Err(e) => warn!(source_id = src.id, error = %e, "could not store the site link"),
            }
        }
        let urls: Vec<String> = entries
            .iter()
            .filter_map(|e| e.link.clone())
            .take(20)
            .collect();
        if let Err(e) = super::profiles::refresh_source(&self.store, &current, &urls) {
            warn!(source_id = src.id, stage = "profile", error = %e, "could not match the source's profile");
        }
    }

    /// Gives a source the feed's title when it was added without a name.
    fn adopt_feed_title(&self, src: &Source, title: Option<&str>) {
        let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) else {
            return;
        };
        let host = url::Url::parse(&src.feed_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        if host.as_deref() == Some(src.name.as_str()) && title != src.name {
            let upd = SourceUpdate {
                name: Some(title.chars().take(200).collect()),
                ..Default::default()
            };
            if let Err(e) = self.store.update_source(src.id, &upd) {
                warn!(source_id = src.id, error = %e, "could not rename source");
            }
        }
    }

    /// Fetches, extracts and stores one entry. `Ok(false)` when it was already stored (also
    /// from another source: the entry is then only recorded).
    async fn ingest_entry(&self, src: &Source, entry: FeedEntry) -> Result<bool, PipelineError> {
        let key = entry.key().unwrap_or_default().to_string();
        // `claims` hold the entry's URLs until its article is stored (one article per URL)
        let Some((page, origin, mut claims)) = self.read_page(&entry).await else {
            let store = self.store.clone();
            let id = src.id;
            tokio::task::spawn_blocking(move || store.record_entry(id, &key)).await??;
            return Ok(false);
        };
        if let Some(canonical) = page.as_ref().and_then(|p| p.canonical_url.clone())
            && entry.link.as_deref().map(ArticleQueue::url_key)
                != Some(ArticleQueue::url_key(&canonical))
        {
            match self.pages.claim(&canonical).await {
                Some(claim) => claims.push(claim),
                None => {
                    debug!(source_id = src.id, url = %canonical, "canonical URL already stored or claimed; entry recorded");
                    let store = self.store.clone();
                    let id = src.id;
                    tokio::task::spawn_blocking(move || store.record_entry(id, &key)).await??;
                    return Ok(false);
                }
            }
        }
        let article = build_article(src, key, &entry, page, origin);
        let store = self.store.clone();
        let id = tokio::task::spawn_blocking(move || store.insert_article(&article)).await??;
        drop(claims);
        Ok(id.is_some())
    }

    /// Fetches (through the page queue) and extracts the entry's page; on failure says why, for
    /// the article's note. `None` when the page is already stored as an article (from another
    /// source or entry) and was not fetched again.
    async fn read_page(
        &self,
        entry: &FeedEntry,
    ) -> Option<(Option<ExtractedArticle>, ContentOrigin, Vec<UrlClaim>)> {
        let Some(link) = entry.link.as_deref().filter(|l| !l.trim().is_empty()) else {
            return Some((
                None,
                ContentOrigin::FeedSummary {
                    reason: "the feed entry has no link to an article page".into(),
                },
                Vec::new(),
            ));
        };
        if !self.settings.fetch_article_pages {
            // the URL is still claimed, so that one URL under several guids is stored once
            let claim = self.pages.claim(link).await?;
            return Some((
                None,
                ContentOrigin::FeedSummary {
                    reason: "article pages are not fetched (fetch_article_pages = false)".into(),
                },
                vec![claim],
            ));
        }
        let (resp, claim) = match self.pages.fetch(link).await {
            PageFetch::Fetched(r, claim) => (r, claim),
            PageFetch::AlreadyKnown => return None,
            PageFetch::Failed(e, claim) => {
                return Some((
                    None,
                    ContentOrigin::FeedSummary {
                        reason: format!("the article page could not be fetched: {e}"),
                    },
                    vec![claim],
                ));
            }
        };
        let charset = resp.charset();
        let final_url = resp.final_url.clone();
        let body = resp.body.clone();
        let res = tokio::task::spawn_blocking(move || {
            newsdesk_extract::extract(&body, &final_url, charset.as_deref())
        })
        .await;
        let (page, origin) = match res {
            Ok(Ok(a)) if !a.body_text.trim().is_empty() => (Some(a), ContentOrigin::Page),
            Ok(Ok(a)) => (
                Some(a),
                ContentOrigin::FeedSummary {
                    reason: "no article text was found on the page".into(),
                },
            ),
            Ok(Err(e)) => (
                None,
                ContentOrigin::FeedSummary {
                    reason: format!("the article page could not be read: {e}"),
                },
            ),
            Err(e) => (
                None,
                ContentOrigin::FeedSummary {
                    reason: format!("the extractor crashed on this page: {e}"),
                },
            ),
        };
        Some((page, origin, vec![claim]))
    }
}

/// HTTP status carried by a fetch error, if any.
fn status_of(e: &FetchError) -> Option<u16> {
    match e {
        FetchError::Status { status, .. } => Some(*status),
        _ => None,
    }
}

/// The order in which a source's new entries are ingested in one pass: newest first
/// (publication date, else update date; undated entries last, in document order), at most
/// `cap` of them, so that a capped pass stores what readers want first. Returns the entries to
/// ingest now and how many wait for the next pass.
pub fn ingest_order(mut fresh: Vec<FeedEntry>, cap: usize) -> (Vec<FeedEntry>, usize) {
    fresh.sort_by_key(|e| std::cmp::Reverse(e.published.or(e.updated)));
    let deferred = fresh.len().saturating_sub(cap);
    fresh.truncate(cap);
    (fresh, deferred)
}

/// Merges the feed entry and the extraction into the article to store.
fn build_article(
    src: &Source,
    entry_key: String,
    entry: &FeedEntry,
    page: Option<ExtractedArticle>,
    origin: ContentOrigin,
) -> NewArticle {
    let fetched_at = Utc::now();
    let page = page.unwrap_or_default();
    let base = entry.link.clone().unwrap_or_else(|| src.feed_url.clone());
    let (body_html, body_text) = if origin == ContentOrigin::Page {
        (page.body_html.clone(), page.body_text.clone())
    } else {
        // the one sanitiser policy for stored HTML; plain-text fields are escaped first
        let raw = entry
            .content_html()
            .filter(|c| !c.trim().is_empty())
            .or_else(|| entry.summary_html())
            .unwrap_or_default();
        let clean = newsdesk_extract::sanitize_html(&raw, &base);
        let text = newsdesk_extract::html_text(&clean);
        (clean, text)
    };
    let title = entry
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .or_else(|| page.title.clone())
        .unwrap_or_else(|| "(untitled)".to_string());
    let authors = if !page.authors.is_empty() {
        page.authors.clone()
    } else {
        entry
            .author
            .as_deref()
            .map(|a| {
                a.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let sample = format!("{title}\n{body_text}");
    let language = newsdesk_text::detect_language(&sample)
        .filter(|g| g.reliable)
        .map(|g| g.code.to_string())
        .or_else(|| {
            page.declared_language
                .as_deref()
                .and_then(|l| l.split(['-', '_']).next())
                .map(|l| l.to_ascii_lowercase())
                .filter(|l| (2..=3).contains(&l.len()))
        });
    let summary = entry
        .summary_html()
        .map(|s| newsdesk_extract::html_text(&s))
        .filter(|s| !s.is_empty())
        .or_else(|| page.description.clone())
        .map(|s| lead_of(&s, 400));
    let lead_image = page.lead_image.clone().or_else(|| {
        entry
            .enclosures
            .iter()
            .find(|e| {
                e.mime_type
                    .as_deref()
                    .is_some_and(|m| m.starts_with("image/"))
            })
            .map(|e| e.url.clone())
    });
    let mut tags = page.tags.clone();
    for c in &entry.categories {
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(c)) {
            tags.push(c.clone());
        }
    }
    NewArticle {
        source_id: src.id,
        entry_key,
        url: entry.link.clone().unwrap_or_else(|| page.url.clone()),
        canonical_url: page.canonical_url.clone(),
        title,
        authors,
        published_at: entry.published.or(page.published).or(entry.updated),
        modified_at: page.modified.or(entry.updated),
        fetched_at,
        lead_image,
        language,
        summary,
        body_html,
        body_text,
        tags,
        origin,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use newsdesk_core::{Enclosure, NewSource, TextFormat};

    use super::*;

    /// A stored source in a real database file (the article's source id comes from it).
    fn source() -> (tempfile::TempDir, Store, Source) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open store");
        let src = store
            .add_source(&NewSource::new("https://news.example.org/feed.xml"))
            .expect("add source");
        (dir, store, src)
    }

    fn at(h: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, h, 0, 0)
            .single()
            .expect("date")
    }

    fn feed_origin() -> ContentOrigin {
        ContentOrigin::FeedSummary {
            reason: "test".into(),
        }
    }

    #[test]
    fn newest_entries_first_undated_last_and_capped() {
        let entry = |title: &str, published: Option<u32>, updated: Option<u32>| FeedEntry {
            title: Some(title.into()),
            published: published.map(at),
            updated: updated.map(at),
            ..FeedEntry::default()
        };
        let fresh = vec![
            entry("undated-1", None, None),
            entry("old", Some(1), None),
            entry("updated-only", None, Some(5)),
            entry("undated-2", None, None),
            entry("new", Some(9), Some(1)),
        ];
        let titles =
            |v: &[FeedEntry]| -> Vec<String> { v.iter().filter_map(|e| e.title.clone()).collect() };
        let (all, deferred) = ingest_order(fresh.clone(), 10);
        assert_eq!(
            titles(&all),
            ["new", "updated-only", "old", "undated-1", "undated-2"]
        );
        assert_eq!(deferred, 0);
        let (capped, deferred) = ingest_order(fresh, 2);
        assert_eq!(titles(&capped), ["new", "updated-only"]);
        assert_eq!(deferred, 3);
    }

    #[test]
    fn feed_content_is_sanitised_and_its_text_rendered() {
        let (_dir, _store, src) = source();
        let entry = FeedEntry {
            title: Some("  A headline  ".into()),
            link: Some("https://news.example.org/a".into()),
            content: Some(
                "<p onclick=\"x()\">First <b>para</b> &amp; more.</p><script>bad()</script>\
                 <p>Second <a href=\"/b\">link</a>.</p>"
                    .into(),
            ),
            content_format: TextFormat::Html,
            summary: Some("Plain <summary> & text".into()),
            summary_format: TextFormat::Text,
            author: Some("Ann Example, Bob Example, ".into()),
            ..FeedEntry::default()
        };
        let a = build_article(&src, "k1".into(), &entry, None, feed_origin());
        assert_eq!(a.source_id, src.id);
        assert_eq!(a.entry_key, "k1");
        assert_eq!(a.title, "A headline");
        assert_eq!(a.url, "https://news.example.org/a");
        // the one sanitiser: no script, no event handler, links made absolute
        assert!(!a.body_html.contains("script") && !a.body_html.contains("onclick"));
        assert!(a.body_html.contains("https://news.example.org/b"));
        assert_eq!(a.body_text, "First para & more.\n\nSecond link.");
        // a plain-text summary keeps its characters
        assert_eq!(a.summary.as_deref(), Some("Plain <summary> & text"));
        assert_eq!(a.authors, ["Ann Example", "Bob Example"]);
        assert_eq!(a.origin, feed_origin());
    }

    #[test]
    fn the_page_wins_for_the_body_and_the_entry_for_title_and_date() {
        let (_dir, _store, src) = source();
        let entry = FeedEntry {
            title: Some("Entry title".into()),
            link: Some("https://news.example.org/a".into()),
            summary: Some("<p>Entry summary</p>".into()),
            published: Some(at(10)),
            updated: Some(at(12)),
            author: Some("Feed Author".into()),
            categories: vec!["Politics".into(), "Rain".into()],
            ..FeedEntry::default()
        };
        let page = ExtractedArticle {
            url: "https://news.example.org/a".into(),
            canonical_url: Some("https://news.example.org/a-canonical".into()),
            title: Some("Page title".into()),
            authors: vec!["Page Author".into()],
            published: Some(at(9)),
            modified: Some(at(11)),
            body_html: "<p>Page body</p>".into(),
            body_text: "Page body".into(),
            tags: vec!["politics".into()],
            lead_image: Some("https://news.example.org/page.jpg".into()),
            ..ExtractedArticle::default()
        };
        let a = build_article(&src, "k".into(), &entry, Some(page), ContentOrigin::Page);
        assert_eq!(a.title, "Entry title");
        assert_eq!(a.body_text, "Page body");
        assert_eq!(a.body_html, "<p>Page body</p>");
        assert_eq!(a.authors, ["Page Author"]);
        assert_eq!(a.published_at, Some(at(10)), "the entry's date first");
        assert_eq!(a.modified_at, Some(at(11)), "the page's modification first");
        assert_eq!(
            a.canonical_url.as_deref(),
            Some("https://news.example.org/a-canonical")
        );
        // tags merged without case-insensitive repeats
        assert_eq!(a.tags, ["politics", "Rain"]);
        assert_eq!(a.summary.as_deref(), Some("Entry summary"));
        assert_eq!(
            a.lead_image.as_deref(),
            Some("https://news.example.org/page.jpg")
        );
    }

    #[test]
    fn fallbacks_when_the_entry_lacks_fields() {
        let (_dir, _store, src) = source();
        // no title, no date but an update, a long summary, an image enclosure
        let entry = FeedEntry {
            title: Some("   ".into()),
            updated: Some(at(8)),
            summary: Some(format!("<p>{}</p>", "word ".repeat(200))),
            enclosures: vec![
                Enclosure {
                    url: "https://news.example.org/a.mp3".into(),
                    mime_type: Some("audio/mpeg".into()),
                    ..Enclosure::default()
                },
                Enclosure {
                    url: "https://news.example.org/a.jpg".into(),
                    mime_type: Some("image/jpeg".into()),
                    ..Enclosure::default()
                },
            ],
            ..FeedEntry::default()
        };
        let a = build_article(&src, "k".into(), &entry, None, feed_origin());
        assert_eq!(a.title, "(untitled)");
        assert_eq!(a.published_at, Some(at(8)), "the update when nothing else");
        assert_eq!(
            a.lead_image.as_deref(),
            Some("https://news.example.org/a.jpg")
        );
        let summary = a.summary.expect("summary");
        assert!(summary.chars().count() <= 401 && summary.ends_with('…'));
        // the page's title when the entry has none
        let page = ExtractedArticle {
            title: Some("From the page".into()),
            ..ExtractedArticle::default()
        };
        let a = build_article(&src, "k".into(), &entry, Some(page), ContentOrigin::Page);
        assert_eq!(a.title, "From the page");
    }

    #[test]
    fn language_is_detected_from_the_text_else_declared_by_the_page() {
        let (_dir, _store, src) = source();
        let entry = FeedEntry {
            title: Some("La pluie revient à Paris".into()),
            content: Some(
                "<p>Après trois mois secs, la pluie est tombée sur Paris samedi, au grand \
                 soulagement des agriculteurs de la région, qui attendaient ce moment.</p>"
                    .into(),
            ),
            ..FeedEntry::default()
        };
        let a = build_article(&src, "k".into(), &entry, None, feed_origin());
        assert_eq!(a.language.as_deref(), Some("fr"));
        let short = FeedEntry {
            title: Some("Ok".into()),
            ..FeedEntry::default()
        };
        let page = ExtractedArticle {
            declared_language: Some("pt-BR".into()),
            ..ExtractedArticle::default()
        };
        let a = build_article(&src, "k".into(), &short, Some(page), ContentOrigin::Page);
        assert_eq!(a.language.as_deref(), Some("pt"));
    }
}

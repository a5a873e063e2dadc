//! What the operator (and a reader) should know about the process behind the site: background
//! work still running (the demo's first fetch, a translation backfill) and configuration
//! warnings (an edition with no translation route for some source language).
//!
//! The binary updates a shared [`SiteStatus`]; pages show a "still working" note while work runs,
//! `/healthz` adds a line per warning, and `GET /status` gives it all as JSON (both in
//! [`crate::health`]).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

/// Which kind of background work is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkPhase {
    /// Feeds and article pages are being fetched.
    Fetching,
    /// Stored articles are being translated into the editions' languages.
    Translating,
    /// New articles are being grouped into stories and linked to their originals.
    Stories,
}

impl WorkPhase {
    /// `fetching` or `translating`.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkPhase::Fetching => "fetching",
            WorkPhase::Translating => "translating",
            WorkPhase::Stories => "stories",
        }
    }
}

/// A snapshot of the background work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkProgress {
    /// What is being done.
    pub phase: WorkPhase,
    /// Sources done in this pass.
    pub sources_done: u64,
    /// Sources in this pass.
    pub sources_total: u64,
    /// Articles done (stored, or translated).
    pub articles_done: u64,
    /// Articles known so far (grows as feeds are read).
    pub articles_total: u64,
    /// Seconds since the work started.
    pub elapsed_secs: u64,
}

#[derive(Debug, Default)]
struct Inner {
    /// The work and when it started (its elapsed time is read from the clock).
    work: Option<(WorkProgress, Instant)>,
    warnings: Vec<String>,
}

/// Shared, cheap to read: the background work and the warnings of the running process.
#[derive(Debug, Default, Clone)]
pub struct SiteStatus {
    inner: Arc<Mutex<Inner>>,
}

impl SiteStatus {
    /// Nothing running, no warning.
    pub fn new() -> SiteStatus {
        SiteStatus::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind: still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records the background work (`None`: nothing runs any more).
    pub fn set_work(&self, work: Option<WorkProgress>) {
        self.lock().work = work.map(|w| {
            let started = Instant::now()
                .checked_sub(Duration::from_secs(w.elapsed_secs))
                .unwrap_or_else(Instant::now);
            (w, started)
        });
    }

    /// The background work, if any (its elapsed time as of now).
    pub fn work(&self) -> Option<WorkProgress> {
        self.lock().work.as_ref().map(|(w, started)| WorkProgress {
            elapsed_secs: started.elapsed().as_secs(),
            ..w.clone()
        })
    }

    /// Replaces the operator warnings (one sentence each).
    pub fn set_warnings(&self, warnings: Vec<String>) {
        self.lock().warnings = warnings;
    }

    /// The operator warnings.
    pub fn warnings(&self) -> Vec<String> {
        self.lock().warnings.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_and_warnings_are_shared_between_clones() {
        let a = SiteStatus::new();
        let b = a.clone();
        assert_eq!(b.work(), None);
        a.set_work(Some(WorkProgress {
            phase: WorkPhase::Fetching,
            sources_done: 1,
            sources_total: 8,
            articles_done: 3,
            articles_total: 20,
            elapsed_secs: 2,
        }));
        assert_eq!(b.work().map(|w| w.sources_total), Some(8));
        b.set_warnings(vec!["no route de → fr".into()]);
        assert_eq!(a.warnings(), vec!["no route de → fr".to_string()]);
        a.set_work(None);
        assert_eq!(b.work(), None);
    }
}

//! Per-host politeness: at most N requests in flight to one host, and a minimum pause between
//! the end of one request to a host and the start of the next.
//!
//! Feeds, article pages and robots.txt of a host all go through the same [`HostLimiter`], so a
//! source's feed and its pages never hammer the host together.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Entries kept before idle ones are pruned.
const PRUNE_ABOVE: usize = 256;

/// One host's limiter: its permits and when the next request may start.
#[derive(Debug)]
struct HostSlot {
    permits: Arc<Semaphore>,
    /// Earliest start of the next request (end of the last one plus the delay).
    next_start: Mutex<Instant>,
}

/// Per-host concurrency limiter and pacer (a host is `host:port`).
#[derive(Debug)]
pub(crate) struct HostLimiter {
    per_host: usize,
    delay: Duration,
    hosts: Mutex<HashMap<String, Arc<HostSlot>>>,
}

/// The right to send one request to a host; dropping it ends the request and starts the
/// host's politeness delay.
#[derive(Debug)]
pub(crate) struct HostPermit {
    slot: Arc<HostSlot>,
    delay: Duration,
    _permit: Option<OwnedSemaphorePermit>,
}

impl Drop for HostPermit {
    fn drop(&mut self) {
        if self.delay.is_zero() {
            return;
        }
        let mut next = self
            .slot
            .next_start
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let candidate = Instant::now() + self.delay;
        if candidate > *next {
            *next = candidate;
        }
    }
}

impl HostLimiter {
    /// A limiter allowing `per_host` requests in flight per host (at least 1), each starting at
    /// least `delay` after the previous one to that host ended.
    pub(crate) fn new(per_host: usize, delay: Duration) -> Self {
        HostLimiter {
            per_host: per_host.max(1),
            delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a request to `host` may start; the request runs while the permit lives.
    pub(crate) async fn acquire(&self, host: &str) -> HostPermit {
        let slot = {
            let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
            if hosts.len() > PRUNE_ABOVE {
                // Forget hosts nobody is using and whose delay is over: only the map holds them.
                let per_host = self.per_host;
                let now = Instant::now();
                hosts.retain(|_, s| {
                    Arc::strong_count(s) > 1
                        || s.permits.available_permits() < per_host
                        || *s.next_start.lock().unwrap_or_else(PoisonError::into_inner) > now
                });
            }
            Arc::clone(hosts.entry(host.to_string()).or_insert_with(|| {
                Arc::new(HostSlot {
                    permits: Arc::new(Semaphore::new(self.per_host)),
                    next_start: Mutex::new(Instant::now()),
                })
            }))
        };
        // The semaphore is never closed, so `ok()` is always `Some`.
        let permit = Arc::clone(&slot.permits).acquire_owned().await.ok();
        loop {
            let next = *slot
                .next_start
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if next <= Instant::now() {
                break;
            }
            tokio::time::sleep_until(next).await;
        }
        HostPermit {
            slot,
            delay: self.delay,
            _permit: permit,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn permits_are_per_host() {
        let limiter = HostLimiter::new(2, Duration::ZERO);
        let a1 = limiter.acquire("a:80").await;
        let _a2 = limiter.acquire("a:80").await;
        // A third permit for `a` must wait, while `b` is free.
        let third = tokio::time::timeout(Duration::from_millis(50), limiter.acquire("a:80")).await;
        assert!(
            third.is_err(),
            "a third permit for the same host was granted"
        );
        let _b = limiter.acquire("b:80").await;
        drop(a1);
        let again = tokio::time::timeout(Duration::from_millis(500), limiter.acquire("a:80")).await;
        assert!(again.is_ok(), "a freed permit was not granted again");
    }

    #[tokio::test(start_paused = true)]
    async fn delay_separates_requests_to_one_host_only() {
        let limiter = HostLimiter::new(1, Duration::from_secs(2));
        let t0 = Instant::now();
        drop(limiter.acquire("a:80").await);
        // Another host is not delayed.
        drop(limiter.acquire("b:80").await);
        assert_eq!(t0.elapsed(), Duration::ZERO);
        // The same host waits for the delay after the previous request ended.
        drop(limiter.acquire("a:80").await);
        assert_eq!(t0.elapsed(), Duration::from_secs(2));
        drop(limiter.acquire("a:80").await);
        assert_eq!(t0.elapsed(), Duration::from_secs(4));
    }
}

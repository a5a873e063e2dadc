//! At most N requests in flight to one host: a map of per-host semaphores.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Entries kept before idle ones are pruned.
const PRUNE_ABOVE: usize = 256;

/// Per-host concurrency limiter (a host is `host:port`).
#[derive(Debug)]
pub(crate) struct HostLimiter {
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl HostLimiter {
    /// A limiter allowing `per_host` requests in flight per host (at least 1).
    pub(crate) fn new(per_host: usize) -> Self {
        HostLimiter {
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a request to `host` may start; the request runs while the permit lives.
    ///
    /// `None` only if the semaphore was closed, which never happens.
    pub(crate) async fn acquire(&self, host: &str) -> Option<OwnedSemaphorePermit> {
        let semaphore = {
            let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
            if hosts.len() > PRUNE_ABOVE {
                // Forget hosts nobody is using: only the map holds them and all permits are free.
                let per_host = self.per_host;
                hosts.retain(|_, s| Arc::strong_count(s) > 1 || s.available_permits() < per_host);
            }
            Arc::clone(
                hosts
                    .entry(host.to_string())
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_host))),
            )
        };
        semaphore.acquire_owned().await.ok()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn permits_are_per_host() {
        let limiter = HostLimiter::new(2);
        let a1 = limiter.acquire("a:80").await;
        let _a2 = limiter.acquire("a:80").await;
        // A third permit for `a` must wait, while `b` is free.
        let third = tokio::time::timeout(
            std::time::Duration::from_millis(50),
            limiter.acquire("a:80"),
        )
        .await;
        assert!(
            third.is_err(),
            "a third permit for the same host was granted"
        );
        let _b = limiter.acquire("b:80").await;
        drop(a1);
        let again = tokio::time::timeout(
            std::time::Duration::from_millis(500),
            limiter.acquire("a:80"),
        )
        .await;
        assert!(again.is_ok(), "a freed permit was not granted again");
    }
}

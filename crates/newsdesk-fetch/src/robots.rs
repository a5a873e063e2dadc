//! robots.txt rules per origin, fetched once and kept in memory for a while.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use texting_robots::Robot;
use tokio::sync::OnceCell;

/// How long rules from a robots.txt that was read (or a 4xx, meaning "no rules") are kept.
pub(crate) const ROBOTS_TTL: Duration = Duration::from_secs(60 * 60);
/// How long "allow all" is kept after robots.txt could not be read (5xx, unreachable).
pub(crate) const ROBOTS_FAILURE_TTL: Duration = Duration::from_secs(10 * 60);
/// Origins kept before expired entries are pruned.
const PRUNE_ABOVE: usize = 1024;

/// The rules of one origin.
#[derive(Debug)]
pub(crate) struct RobotsRules {
    /// `None` allows everything.
    robot: Option<Robot>,
    /// When the rules must be fetched again.
    expires: Instant,
}

impl RobotsRules {
    /// Rules parsed from a robots.txt body for `agent`; an unparsable file allows everything.
    pub(crate) fn parse(agent: &str, body: &[u8], robots_url: &str) -> Self {
        let robot = match Robot::new(agent, body) {
            Ok(robot) => Some(robot),
            Err(e) => {
                tracing::warn!(stage = "fetch", url = robots_url, error = %e,
                    "unparsable robots.txt; allowing everything");
                None
            }
        };
        RobotsRules {
            robot,
            expires: Instant::now() + ROBOTS_TTL,
        }
    }

    /// Everything allowed, for `ttl`.
    pub(crate) fn allow_all(ttl: Duration) -> Self {
        RobotsRules {
            robot: None,
            expires: Instant::now() + ttl,
        }
    }

    /// Whether `url` may be fetched.
    pub(crate) fn allows(&self, url: &str) -> bool {
        self.robot.as_ref().is_none_or(|r| r.allowed(url))
    }

    fn expired(&self, now: Instant) -> bool {
        now >= self.expires
    }
}

type Slot = Arc<OnceCell<RobotsRules>>;

/// robots.txt rules per origin (`scheme://host:port`). Concurrent lookups of one origin share a
/// single fetch.
#[derive(Debug, Default)]
pub(crate) struct RobotsCache {
    origins: Mutex<HashMap<String, Slot>>,
}

impl RobotsCache {
    /// Whether `url` (of `origin`) may be fetched; `load` fetches the origin's rules when they are
    /// not cached or have expired.
    pub(crate) async fn allows<F, Fut>(&self, origin: &str, url: &str, load: F) -> bool
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = RobotsRules>,
    {
        let slot = self.slot(origin);
        slot.get_or_init(load).await.allows(url)
    }

    fn slot(&self, origin: &str) -> Slot {
        let now = Instant::now();
        let mut origins = self.origins.lock().unwrap_or_else(PoisonError::into_inner);
        if origins.len() > PRUNE_ABOVE {
            origins.retain(|_, slot| slot.get().is_none_or(|rules| !rules.expired(now)));
        }
        let slot = origins.entry(origin.to_string()).or_default();
        if slot.get().is_some_and(|rules| rules.expired(now)) {
            *slot = Slot::default();
        }
        Arc::clone(slot)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn rules_for_our_agent_apply() {
        let txt = b"User-agent: newsdesk\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n";
        let rules = RobotsRules::parse("newsdesk", txt, "https://example.org/robots.txt");
        assert!(!rules.allows("https://example.org/private/a"));
        assert!(rules.allows("https://example.org/news/a"));
        let other = RobotsRules::parse("otherbot", txt, "https://example.org/robots.txt");
        assert!(!other.allows("https://example.org/news/a"));
        assert!(RobotsRules::allow_all(ROBOTS_TTL).allows("https://example.org/private"));
    }

    #[tokio::test]
    async fn rules_are_cached_until_they_expire() {
        let cache = RobotsCache::default();
        let loads = AtomicUsize::new(0);
        let load = |ttl: Duration| {
            loads.fetch_add(1, Ordering::SeqCst);
            async move {
                let mut r = RobotsRules::parse("newsdesk", b"Disallow: /x", "u");
                r.expires = Instant::now() + ttl;
                r
            }
        };
        let o = "https://example.org";
        assert!(
            !cache
                .allows(o, "https://example.org/x", || load(ROBOTS_TTL))
                .await
        );
        assert!(
            cache
                .allows(o, "https://example.org/y", || load(ROBOTS_TTL))
                .await
        );
        assert_eq!(
            loads.load(Ordering::SeqCst),
            1,
            "cached rules were fetched again"
        );
        // An expired entry is fetched again.
        let o2 = "https://example.com";
        cache.allows(o2, "/", || load(Duration::ZERO)).await;
        cache.allows(o2, "/", || load(Duration::ZERO)).await;
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }
}

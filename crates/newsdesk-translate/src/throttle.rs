//! Per-backend rate limit and retry policy with exponential backoff.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Spaces calls to a backend at least `interval` apart (a rate limit in calls per minute).
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// At most `per_minute` calls a minute; `None` or 0 means no limit.
    pub fn per_minute(per_minute: Option<u32>) -> RateLimiter {
        let interval = match per_minute {
            Some(n) if n > 0 => Duration::from_secs(60) / n,
            _ => Duration::ZERO,
        };
        RateLimiter {
            interval,
            next: Mutex::new(None),
        }
    }

    /// The minimum time between two calls.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits until the next call is allowed, and books it.
    pub async fn acquire(&self) {
        if self.interval.is_zero() {
            return;
        }
        let mut next = self.next.lock().await;
        let now = Instant::now();
        let at = next.map_or(now, |n| n.max(now));
        *next = Some(at + self.interval);
        drop(next);
        tokio::time::sleep_until(at).await;
    }
}

/// How often and how long to wait before trying a failed call again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff delay; doubled at each retry.
    pub base_delay: Duration,
    /// Longest wait accepted (a longer Retry-After gives up at once).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Delay before retry number `attempt` (0-based), honouring the service's Retry-After;
    /// `None` when no retry should be made.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if attempt >= self.max_retries {
            return None;
        }
        let backoff = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_delay);
        match retry_after {
            Some(ra) if ra > self.max_delay => None,
            Some(ra) => Some(ra.max(backoff)),
            None => Some(backoff),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_honours_retry_after() {
        let p = RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        assert_eq!(p.delay(0, None), Some(Duration::from_millis(100)));
        assert_eq!(p.delay(2, None), Some(Duration::from_millis(400)));
        assert_eq!(p.delay(3, None), None);
        assert_eq!(
            p.delay(0, Some(Duration::from_millis(700))),
            Some(Duration::from_millis(700))
        );
        assert_eq!(p.delay(0, Some(Duration::from_secs(5))), None);
    }

    #[test]
    fn rate_limit_interval() {
        assert_eq!(
            RateLimiter::per_minute(Some(120)).interval(),
            Duration::from_millis(500)
        );
        assert_eq!(RateLimiter::per_minute(None).interval(), Duration::ZERO);
    }
}

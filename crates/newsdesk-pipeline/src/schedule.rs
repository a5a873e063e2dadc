//! When to fetch a source next: the scheduler's rules as pure functions of what happened.
//!
//! * **Adaptive interval.** After a successful fetch the interval follows how often the feed
//!   actually publishes (the mean gap between its newest dated entries, and no less than half the
//!   time since its newest entry), between `min_interval` (default 5 min) and `max_interval`
//!   (default 24 h). A 304, or a feed without dates and without new entries, stretches the
//!   previous interval by half.
//! * **Server hints.** The next fetch is never earlier than `Cache-Control: max-age`, `Expires`
//!   (read against the server's `Date`), or the RSS `<ttl>` allow; hours listed in RSS
//!   `<skipHours>` (UTC) are skipped. Hints are capped at `max_interval`.
//! * **Failures.** Consecutive failures back off exponentially from `min_interval`
//!   (5, 10, 20 min, …, capped at `max_interval`); `Retry-After` on 429/503 is honoured when it
//!   asks for longer. After `max_failures` failures in a row the source is paused; 410 Gone
//!   pauses it at once.
//! * **Jitter.** Intervals are spread by ±`jitter` (a fraction) so that sources added together do
//!   not stay in lockstep. The jitter is a hash of the source id, the failure count and the
//!   instant, not a random number: the same inputs always give the same answer (tests inject the
//!   instant).
//!
//! RSS `<ttl>` and `<skipHours>` are not part of `ParsedFeed`, so [`feed_hints`] reads them with a
//! small scan of the feed's bytes (RSS 2.0 channel elements; other formats have no such fields).

use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use newsdesk_core::SourceId;

use crate::settings::ScheduleSettings;

/// Interval used for a source whose publishing rate is not known yet.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);

/// The scheduler's knobs (from `[schedule]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulePolicy {
    /// Shortest interval between two fetches of a source (also the first failure backoff).
    pub min_interval: Duration,
    /// Longest interval between two fetches of a source.
    pub max_interval: Duration,
    /// Interval of a source whose rate is not known yet.
    pub default_interval: Duration,
    /// Consecutive failures after which a source is paused.
    pub max_failures: u32,
    /// Spread of intervals, as a fraction (0.1 = ±10 %).
    pub jitter: f64,
}

impl Default for SchedulePolicy {
    fn default() -> Self {
        SchedulePolicy {
            min_interval: Duration::from_secs(5 * 60),
            max_interval: Duration::from_secs(24 * 3600),
            default_interval: DEFAULT_INTERVAL,
            max_failures: 10,
            jitter: 0.1,
        }
    }
}

impl From<&ScheduleSettings> for SchedulePolicy {
    fn from(s: &ScheduleSettings) -> Self {
        let min = Duration::from_secs(s.min_interval_minutes.max(1) * 60);
        let max = Duration::from_secs(s.max_interval_hours.max(1) * 3600).max(min);
        SchedulePolicy {
            min_interval: min,
            max_interval: max,
            default_interval: Duration::from_secs(s.interval_minutes.max(1) * 60).clamp(min, max),
            max_failures: s.max_failures.max(1),
            jitter: f64::from(s.jitter_percent.min(50)) / 100.0,
        }
    }
}

/// What one fetch of a source observed.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// The feed was fetched and parsed.
    Fetched {
        /// Publication (else update) dates of its entries.
        entry_dates: Vec<DateTime<Utc>>,
        /// Entries not seen before.
        new_entries: usize,
    },
    /// 304 Not Modified.
    NotModified,
    /// The fetch or the parse failed.
    Failed {
        /// HTTP status, when the server answered.
        http_status: Option<u16>,
        /// How long the server asked us to wait (`Retry-After`), if it did.
        retry_after: Option<Duration>,
    },
}

/// What the server and the feed say about when to come back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheHints {
    /// How long the answer stays fresh (`Cache-Control: max-age`, else `Expires` − `Date`).
    pub fresh_for: Option<Duration>,
    /// RSS `<ttl>`: minutes the channel may be cached.
    pub ttl: Option<Duration>,
    /// RSS `<skipHours>`: hours of the day (0–23, UTC) not to fetch in.
    pub skip_hours: Vec<u32>,
}

/// The scheduler's decision after a fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// When the source is due next.
    pub next_fetch_at: DateTime<Utc>,
    /// Why the source must be paused, if it must.
    pub pause: Option<String>,
}

impl SchedulePolicy {
    /// Decides when `source` is due next.
    ///
    /// `previous_interval` is the interval chosen after the previous fetch (if any);
    /// `consecutive_failures` counts the failures in a row including this one (0 after a
    /// success); `last_error` names the failure for a pause reason.
    #[allow(clippy::too_many_arguments)] // each input is one fact of a different kind
    pub fn decide(
        &self,
        source: SourceId,
        now: DateTime<Utc>,
        previous_interval: Option<Duration>,
        consecutive_failures: u32,
        observation: &Observation,
        hints: &CacheHints,
        last_error: Option<&str>,
    ) -> Decision {
        let (min, max) = (self.min_interval, self.max_interval.max(self.min_interval));
        let mut pause = None;
        let mut floor = Duration::ZERO;
        let interval = match observation {
            Observation::Fetched {
                entry_dates,
                new_entries,
            } => match publish_interval(entry_dates, now) {
                Some(rate) => rate,
                None if *new_entries > 0 => previous_interval.unwrap_or(self.default_interval),
                None => stretch(previous_interval.unwrap_or(self.default_interval)),
            },
            Observation::NotModified => stretch(previous_interval.unwrap_or(self.default_interval)),
            Observation::Failed {
                http_status,
                retry_after,
            } => {
                if *http_status == Some(410) {
                    pause = Some("the server answered 410 Gone: the feed was removed".to_string());
                } else if consecutive_failures >= self.max_failures {
                    pause = Some(format!(
                        "paused after {consecutive_failures} consecutive failures; last error: {}",
                        last_error.unwrap_or("unknown")
                    ));
                }
                if let Some(wait) = retry_after {
                    floor = (*wait).min(max);
                }
                let doublings = consecutive_failures.saturating_sub(1).min(20);
                min.saturating_mul(1u32 << doublings)
            }
        };
        let interval = interval.clamp(min, max);
        let jittered = self.jittered(interval, source, consecutive_failures, now);
        if !matches!(observation, Observation::Failed { .. }) {
            for hint in [hints.fresh_for, hints.ttl].into_iter().flatten() {
                floor = floor.max(hint.min(max));
            }
        }
        let wait = jittered.clamp(min, max).max(floor);
        let mut next = now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::zero());
        next = skip_hours(next, &hints.skip_hours);
        Decision {
            next_fetch_at: next,
            pause,
        }
    }

    /// `interval` spread by up to ±`jitter`, deterministically from the inputs.
    fn jittered(
        &self,
        interval: Duration,
        source: SourceId,
        failures: u32,
        now: DateTime<Utc>,
    ) -> Duration {
        if self.jitter <= 0.0 {
            return interval;
        }
        let seed = (source as u64)
            ^ (u64::from(failures) << 48)
            ^ (now.timestamp() as u64).rotate_left(17);
        // Uniform in [-1, 1).
        let unit = (splitmix64(seed) >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        interval.mul_f64((1.0 + unit * self.jitter.min(0.5)).max(0.0))
    }
}

/// A 50 % longer interval (a feed that did not change is fetched less often).
fn stretch(d: Duration) -> Duration {
    d.saturating_add(d / 2)
}

/// The splitmix64 mixing function: a good 64-bit hash of a counter.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// How often a feed publishes, from its entries' dates: the mean gap between its ten newest
/// dated entries, and no less than half the time since the newest one (a feed that went quiet
/// is polled less). `None` with fewer than two dates.
pub fn publish_interval(dates: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<Duration> {
    let mut dates: Vec<DateTime<Utc>> = dates.iter().copied().filter(|d| *d <= now).collect();
    if dates.len() < 2 {
        return None;
    }
    dates.sort_unstable_by(|a, b| b.cmp(a));
    dates.truncate(10);
    let newest = dates[0];
    let oldest = dates[dates.len() - 1];
    let span = (newest - oldest).to_std().unwrap_or_default();
    let mean_gap = span / (dates.len() as u32 - 1);
    let quiet = (now - newest).to_std().unwrap_or_default() / 2;
    Some(mean_gap.max(quiet))
}

/// Moves `t` to the start of the next hour that is not skipped (UTC).
fn skip_hours(t: DateTime<Utc>, skipped: &[u32]) -> DateTime<Utc> {
    if skipped.is_empty() || skipped.len() >= 24 {
        return t;
    }
    let mut t = t;
    for _ in 0..24 {
        if !skipped.contains(&t.hour()) {
            return t;
        }
        let start_of_hour = t
            .with_minute(0)
            .and_then(|x| x.with_second(0))
            .and_then(|x| x.with_nanosecond(0))
            .unwrap_or(t);
        t = start_of_hour + chrono::Duration::hours(1);
    }
    t
}

/// Reads `Cache-Control: max-age` (`s-maxage` ignored; `no-store`/`no-cache` give nothing), else
/// `Expires` against the server's `Date` (else `now`).
pub fn fresh_for(
    cache_control: Option<&str>,
    expires: Option<&str>,
    date: Option<&str>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    if let Some(cc) = cache_control {
        let mut max_age = None;
        for directive in cc.split(',') {
            let d = directive.trim();
            let lower = d.to_ascii_lowercase();
            if lower == "no-store" || lower == "no-cache" {
                return None;
            }
            if let Some(v) = lower.strip_prefix("max-age=") {
                max_age = v.trim_matches('"').parse::<u64>().ok();
            }
        }
        if let Some(secs) = max_age {
            return Some(Duration::from_secs(secs));
        }
    }
    let expires = parse_http_date(expires?)?;
    let base = date.and_then(parse_http_date).unwrap_or(now);
    (expires - base).to_std().ok()
}

/// Reads `Retry-After`: a number of seconds or an HTTP date.
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_http_date(v)?;
    Some((at - now).to_std().unwrap_or_default())
}

/// Parses an HTTP date (IMF-fixdate, which is RFC 2822 with `GMT`).
fn parse_http_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// RSS `<ttl>` (minutes) and `<skipHours>` read from a feed's bytes.
///
/// A small scan rather than a parser: both are simple channel elements of RSS 2.0, absent from
/// `ParsedFeed`. Only ASCII-compatible encodings are read (a UTF-16 feed has no hints).
pub fn feed_hints(body: &[u8]) -> (Option<Duration>, Vec<u32>) {
    let text = String::from_utf8_lossy(body);
    let ttl = element_text(&text, "ttl")
        .and_then(|t| t.trim().parse::<u64>().ok())
        .filter(|m| *m > 0)
        .map(|m| Duration::from_secs(m.saturating_mul(60)));
    let mut hours = Vec::new();
    if let Some(block) = element_text(&text, "skipHours") {
        let mut rest = block;
        while let Some(h) = element_text(rest, "hour") {
            if let Ok(n) = h.trim().parse::<u32>() {
                // RSS allows 0–23; some feeds write 24 for midnight.
                let n = if n == 24 { 0 } else { n };
                if n < 24 && !hours.contains(&n) {
                    hours.push(n);
                }
            }
            let Some(end) = rest.find("</hour>") else {
                break;
            };
            rest = &rest[end + "</hour>".len()..];
        }
    }
    (ttl, hours)
}

/// Text between the first `<name>` and the following `</name>` (ASCII tags, so the slicing is on
/// char boundaries).
fn element_text<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = text.find(&open)? + open.len();
    let len = text[start..].find(&close)?;
    Some(&text[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
            .single()
            .expect("date")
    }

    fn exact() -> SchedulePolicy {
        SchedulePolicy {
            jitter: 0.0,
            ..SchedulePolicy::default()
        }
    }

    fn mins(m: u64) -> Duration {
        Duration::from_secs(m * 60)
    }

    fn after(d: &Decision) -> Duration {
        (d.next_fetch_at - now()).to_std().expect("future")
    }

    #[test]
    fn busy_feed_gets_the_minimum_and_quiet_feed_the_maximum() {
        let p = exact();
        let busy: Vec<_> = (0..20)
            .map(|i| now() - chrono::Duration::minutes(i))
            .collect();
        let d = p.decide(
            1,
            now(),
            None,
            0,
            &Observation::Fetched {
                entry_dates: busy,
                new_entries: 20,
            },
            &CacheHints::default(),
            None,
        );
        assert_eq!(after(&d), mins(5));
        let old: Vec<_> = (0..5)
            .map(|i| now() - chrono::Duration::days(30 + i))
            .collect();
        let d = p.decide(
            1,
            now(),
            None,
            0,
            &Observation::Fetched {
                entry_dates: old,
                new_entries: 0,
            },
            &CacheHints::default(),
            None,
        );
        assert_eq!(after(&d), Duration::from_secs(24 * 3600));
        // Hourly publishing: hourly fetching.
        let hourly: Vec<_> = (0..10)
            .map(|i| now() - chrono::Duration::hours(i))
            .collect();
        assert_eq!(publish_interval(&hourly, now()), Some(mins(60)));
    }

    #[test]
    fn not_modified_stretches_the_interval() {
        let d = exact().decide(
            1,
            now(),
            Some(mins(60)),
            0,
            &Observation::NotModified,
            &CacheHints::default(),
            None,
        );
        assert_eq!(after(&d), mins(90));
    }

    #[test]
    fn failures_back_off_and_pause() {
        let p = exact();
        let fail = |n: u32, status: Option<u16>, retry: Option<Duration>| {
            p.decide(
                1,
                now(),
                Some(mins(60)),
                n,
                &Observation::Failed {
                    http_status: status,
                    retry_after: retry,
                },
                &CacheHints::default(),
                Some("fetch: HTTP 500"),
            )
        };
        assert_eq!(after(&fail(1, Some(500), None)), mins(5));
        assert_eq!(after(&fail(2, Some(500), None)), mins(10));
        assert_eq!(after(&fail(4, Some(500), None)), mins(40));
        assert_eq!(after(&fail(9, None, None)), mins(5 * 256));
        assert_eq!(after(&fail(10, None, None)), Duration::from_secs(24 * 3600));
        assert!(fail(9, Some(500), None).pause.is_none());
        let paused = fail(10, Some(500), None).pause.expect("paused");
        assert!(paused.contains("10 consecutive failures") && paused.contains("HTTP 500"));
        assert!(
            fail(1, Some(410), None)
                .pause
                .expect("gone")
                .contains("410")
        );
        // Retry-After longer than the backoff wins; shorter does not shorten it.
        assert_eq!(after(&fail(1, Some(429), Some(mins(60)))), mins(60));
        assert_eq!(after(&fail(1, Some(503), Some(mins(1)))), mins(5));
    }

    #[test]
    fn hints_are_floors_and_skip_hours_are_skipped() {
        let p = exact();
        let busy: Vec<_> = (0..20)
            .map(|i| now() - chrono::Duration::minutes(i))
            .collect();
        let obs = Observation::Fetched {
            entry_dates: busy,
            new_entries: 1,
        };
        let hints = CacheHints {
            fresh_for: Some(mins(30)),
            ttl: Some(mins(45)),
            skip_hours: vec![],
        };
        assert_eq!(
            after(&p.decide(1, now(), None, 0, &obs, &hints, None)),
            mins(45)
        );
        let skip = CacheHints {
            skip_hours: vec![12, 13],
            ..CacheHints::default()
        };
        let d = p.decide(1, now(), None, 0, &obs, &skip, None);
        assert_eq!(
            d.next_fetch_at,
            Utc.with_ymd_and_hms(2026, 6, 1, 14, 0, 0)
                .single()
                .expect("date")
        );
    }

    #[test]
    fn jitter_is_bounded_and_deterministic() {
        let p = SchedulePolicy::default();
        let obs = Observation::NotModified;
        let h = CacheHints::default();
        let a = p.decide(7, now(), Some(mins(100)), 0, &obs, &h, None);
        let b = p.decide(7, now(), Some(mins(100)), 0, &obs, &h, None);
        assert_eq!(a, b);
        let mut distinct = std::collections::HashSet::new();
        for id in 0..50 {
            let d = after(&p.decide(id, now(), Some(mins(100)), 0, &obs, &h, None));
            assert!(d >= mins(135) && d <= mins(165), "{d:?}");
            distinct.insert(d);
        }
        assert!(distinct.len() > 40, "sources are spread");
    }

    #[test]
    fn header_and_feed_hints_are_read() {
        let n = now();
        assert_eq!(
            fresh_for(Some("public, max-age=600"), None, None, n),
            Some(mins(10))
        );
        assert_eq!(
            fresh_for(Some("no-cache, max-age=600"), None, None, n),
            None
        );
        assert_eq!(
            fresh_for(
                None,
                Some("Mon, 01 Jun 2026 13:00:00 GMT"),
                Some("Mon, 01 Jun 2026 12:30:00 GMT"),
                n
            ),
            Some(mins(30))
        );
        assert_eq!(retry_after("120", n), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Mon, 01 Jun 2026 12:10:00 GMT", n),
            Some(mins(10))
        );
        assert_eq!(retry_after("soon", n), None);
        let rss = "<rss><channel><title>é</title><ttl>90</ttl><skipHours><hour>1</hour>\
                   <hour> 2 </hour><hour>24</hour><hour>x</hour></skipHours></channel></rss>";
        let (ttl, hours) = feed_hints(rss.as_bytes());
        assert_eq!(ttl, Some(mins(90)));
        assert_eq!(hours, vec![1, 2, 0]);
        assert_eq!(feed_hints(b"<feed></feed>"), (None, vec![]));
    }
}

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
//! RSS `<ttl>`, `<skipHours>` and `<skipDays>` are facts of the parsed feed
//! ([`newsdesk_core::FeedMeta`], read by `newsdesk-feeds`); HTTP dates are read by the `httpdate`
//! crate. [`CacheHints::of_response`] and [`CacheHints::with_feed`] gather them.

use std::time::Duration;

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use newsdesk_core::{FeedMeta, ParsedFeed, SourceId};
use newsdesk_fetch::FetchResponse;

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

impl Observation {
    /// A fetched and parsed feed: its entries' publication (else update) dates, and how many
    /// of them are new.
    pub fn fetched(feed: &ParsedFeed, new_entries: usize) -> Observation {
        Observation::Fetched {
            entry_dates: feed
                .entries
                .iter()
                .filter_map(|e| e.published.or(e.updated))
                .collect(),
            new_entries,
        }
    }
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
    /// RSS `<skipDays>`: days of the week (UTC) not to fetch on.
    pub skip_days: Vec<Weekday>,
}

impl CacheHints {
    /// The hints of a response's headers (`Cache-Control`, `Expires`, `Date`; see
    /// [`fresh_for`]), read at `now`.
    pub fn of_response(resp: &FetchResponse, now: DateTime<Utc>) -> CacheHints {
        CacheHints {
            fresh_for: fresh_for(
                resp.cache_control.as_deref(),
                resp.expires.as_deref(),
                resp.date.as_deref(),
                now,
            ),
            ..CacheHints::default()
        }
    }

    /// These hints with the parsed feed's own: RSS `<ttl>`, `<skipHours>` and `<skipDays>`.
    pub fn with_feed(self, feed: &FeedMeta) -> CacheHints {
        CacheHints {
            ttl: feed
                .ttl_minutes
                .map(|m| Duration::from_secs(u64::from(m).saturating_mul(60))),
            skip_hours: feed.skip_hours.clone(),
            skip_days: feed.skip_days.clone(),
            ..self
        }
    }
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
        next = skip_hours_and_days(next, &hints.skip_hours, &hints.skip_days);
        Decision {
            next_fetch_at: next,
            pause,
        }
    }

    /// What [`Self::decide`] says after a first fetch of `feed` in which every entry is new,
    /// without jitter: the preview `newsdesk sources check` prints.
    pub fn preview(&self, feed: &ParsedFeed, hints: &CacheHints, now: DateTime<Utc>) -> Decision {
        let exact = SchedulePolicy {
            jitter: 0.0,
            ..self.clone()
        };
        let observation = Observation::fetched(feed, feed.entries.len());
        exact.decide(0, now, None, 0, &observation, hints, None)
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

/// Moves `t` to the start of the next hour that is neither a skipped hour nor on a skipped day
/// (UTC). A list that skips every hour or every day is ignored (the feed would never be read).
fn skip_hours_and_days(t: DateTime<Utc>, hours: &[u32], days: &[Weekday]) -> DateTime<Utc> {
    let hours = if (0..24).all(|h| hours.contains(&h)) {
        &[][..]
    } else {
        hours
    };
    let days = if days.len() >= 7 { &[][..] } else { days };
    let mut t = t;
    // at most six skipped days and 23 skipped hours: 7 × 24 steps always reach a free hour
    for _ in 0..(7 * 24) {
        if !days.contains(&t.weekday()) && !hours.contains(&t.hour()) {
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

/// Parses an HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms) with the
/// `httpdate` crate.
fn parse_http_date(s: &str) -> Option<DateTime<Utc>> {
    httpdate::parse_http_date(s.trim())
        .ok()
        .map(DateTime::<Utc>::from)
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
            ..CacheHints::default()
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
        // the obsolete forms HTTP still allows
        assert_eq!(
            retry_after("Monday, 01-Jun-26 12:20:00 GMT", n),
            Some(mins(20))
        );
        assert_eq!(retry_after("Mon Jun  1 12:30:00 2026", n), Some(mins(30)));
    }

    #[test]
    fn the_check_preview_is_a_first_fetch_without_jitter() {
        let entries = (0..5)
            .map(|h| newsdesk_core::FeedEntry {
                published: Some(now() - chrono::Duration::hours(h)),
                ..newsdesk_core::FeedEntry::default()
            })
            .collect();
        let feed = ParsedFeed {
            entries,
            ..ParsedFeed::default()
        };
        assert!(matches!(
            Observation::fetched(&feed, 2),
            Observation::Fetched { ref entry_dates, new_entries: 2 } if entry_dates.len() == 5
        ));
        // jitter set, yet the preview is the exact hourly rate
        let d = SchedulePolicy::default().preview(&feed, &CacheHints::default(), now());
        assert_eq!(after(&d), mins(60));
    }

    #[test]
    fn feed_facts_become_hints() {
        let meta = FeedMeta {
            ttl_minutes: Some(90),
            skip_hours: vec![0, 1],
            skip_days: vec![Weekday::Sun],
            ..FeedMeta::default()
        };
        let hints = CacheHints {
            fresh_for: Some(mins(3)),
            ..CacheHints::default()
        }
        .with_feed(&meta);
        assert_eq!(hints.fresh_for, Some(mins(3)));
        assert_eq!(hints.ttl, Some(mins(90)));
        assert_eq!(hints.skip_hours, vec![0, 1]);
        assert_eq!(hints.skip_days, vec![Weekday::Sun]);
    }

    #[test]
    fn skipped_days_move_the_fetch_to_the_next_free_hour() {
        // 2026-06-06 is a Saturday
        let sat = Utc
            .with_ymd_and_hms(2026, 6, 6, 22, 10, 0)
            .single()
            .expect("date");
        let monday_1am = Utc
            .with_ymd_and_hms(2026, 6, 8, 1, 0, 0)
            .single()
            .expect("date");
        assert_eq!(
            skip_hours_and_days(sat, &[0], &[Weekday::Sat, Weekday::Sun]),
            monday_1am
        );
        // every day or every hour skipped: ignored
        let all_days = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        assert_eq!(skip_hours_and_days(sat, &[], &all_days), sat);
        let all_hours: Vec<u32> = (0..24).collect();
        assert_eq!(skip_hours_and_days(sat, &all_hours, &[]), sat);
    }
}

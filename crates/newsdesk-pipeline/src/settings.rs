//! The pipeline's settings: the `[fetch]`, `[schedule]` and `[stories]` sections of
//! `newsdesk.toml` (the binary's configuration embeds them), and [`PipelineSettings`], the view of
//! a whole configuration that the pipeline's constructors read.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use newsdesk_fetch::{FetchConfig, Fetcher};
use serde::Deserialize;

/// `[fetch]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchSettings {
    /// User-Agent header; names newsdesk and its URL by default.
    pub user_agent: String,
    /// Whole-request timeout, seconds.
    pub timeout_secs: u64,
    /// Connect timeout, seconds.
    pub connect_timeout_secs: u64,
    /// Largest accepted body (after decompression), bytes.
    pub max_body_bytes: u64,
    /// Redirects followed at most.
    pub max_redirects: usize,
    /// Concurrent requests to one host at most (feeds, pages and robots.txt together).
    pub max_connections_per_host: usize,
    /// Pause between two requests to the same host, milliseconds (0 turns it off).
    pub per_host_delay_ms: u64,
    /// Article pages fetched at the same time over all sources (the page queue's limit).
    pub page_concurrency: usize,
    /// Retries of an article page after a transient error (timeout, reset, 429, 5xx).
    pub page_retries: u32,
    /// Allow loopback/private/link-local addresses (SSRF guard off). Only for tests and demos.
    pub allow_private_addresses: bool,
    /// Honour robots.txt for article pages.
    pub respect_robots: bool,
    /// Sources fetched at the same time.
    pub source_concurrency: usize,
    /// Article pages fetched and extracted at the same time (per source).
    pub article_concurrency: usize,
    /// New entries ingested per source and pass at most (newest first); the rest wait for the
    /// next pass.
    pub max_new_entries_per_pass: usize,
    /// Fetch each entry's article page (otherwise keep the feed's content).
    pub fetch_article_pages: bool,
    /// Seconds one source may spend on its new entries in one pass; the entries not done by
    /// then wait for the next pass.
    pub source_time_budget_secs: u64,
    /// Seconds one whole pass may take: sources not started by then wait for the next pass,
    /// and started ones get at most what is left.
    pub pass_time_budget_secs: u64,
    /// Host name (or `*.suffix`, every name ending in `.suffix`) → IP address, used instead of
    /// DNS, like curl's `--resolve`: for staging, tests and benchmarks. The SSRF guard still
    /// applies to the address. Empty by default (DNS only).
    pub resolve: BTreeMap<String, IpAddr>,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            user_agent: newsdesk_core::USER_AGENT.to_string(),
            timeout_secs: 30,
            connect_timeout_secs: 10,
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            max_connections_per_host: 1,
            per_host_delay_ms: 250,
            page_concurrency: 16,
            page_retries: 2,
            allow_private_addresses: false,
            respect_robots: true,
            source_concurrency: 16,
            article_concurrency: 8,
            max_new_entries_per_pass: 1000,
            fetch_article_pages: true,
            source_time_budget_secs: 300,
            pass_time_budget_secs: 1800,
            resolve: BTreeMap::new(),
        }
    }
}

/// `[schedule]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Run the fetcher inside `newsdesk serve`.
    pub enabled: bool,
    /// Minutes between two fetches of a source whose publishing rate is not known yet.
    pub interval_minutes: u64,
    /// Shortest interval between two fetches of a source, minutes.
    pub min_interval_minutes: u64,
    /// Longest interval between two fetches of a source, hours.
    pub max_interval_hours: u64,
    /// Consecutive failures after which a source is paused.
    pub max_failures: u32,
    /// Spread of intervals, percent (so sources added together do not stay in lockstep).
    pub jitter_percent: u32,
    /// Seconds `newsdesk serve` waits between two looks for due sources.
    pub tick_seconds: u64,
}

/// `[stories]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoriesSettings {
    /// Group new articles into stories and link copies to their originals after each pass.
    pub enabled: bool,
    /// When `[translate]` has backends, translated-copy candidates are checked by translating
    /// both articles into this language (empty: never).
    pub pivot_language: String,
    /// A story takes new articles for this long after its latest one (articles' own clock).
    pub window_hours: i64,
    /// Only articles published at most this long before a new one are candidate originals.
    pub copy_window_hours: i64,
    /// Articles of this many hours before the newest one are placed again by each pass, in
    /// publication order, so that one fetched late takes its place (re-placement window).
    pub replace_hours: i64,
    /// Articles fetched less than this many hours ago are placed again by each pass too, so
    /// that a backlog fetched over several passes is placed in publication order.
    pub arrival_hours: i64,
}

impl Default for StoriesSettings {
    fn default() -> Self {
        let engine = newsdesk_stories::StoryConfig::default();
        StoriesSettings {
            enabled: true,
            pivot_language: "en".to_string(),
            window_hours: engine.window_hours,
            copy_window_hours: engine.copies.window_hours,
            replace_hours: 48,
            arrival_hours: 6,
        }
    }
}

/// `[worker]`: how `newsdesk worker` takes jobs from the work queue (see [`crate::worker`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerConfig {
    /// Jobs one worker runs at the same time.
    pub concurrency: usize,
    /// Seconds a job's lease lasts; a worker that stops answering loses its jobs this long
    /// after its last extension.
    pub lease_secs: u64,
    /// Tries of a job before it is given up.
    pub max_attempts: u32,
    /// Milliseconds between two looks at an empty queue.
    pub poll_ms: u64,
    /// Seconds between two scans for due sources.
    pub scan_secs: u64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        let d = crate::worker::WorkerSettings::default();
        WorkerConfig {
            concurrency: d.concurrency,
            lease_secs: d.lease.as_secs(),
            max_attempts: d.max_attempts,
            poll_ms: u64::try_from(d.poll.as_millis()).unwrap_or(500),
            scan_secs: d.scan_every.as_secs(),
        }
    }
}

impl WorkerConfig {
    /// The worker's settings, with the per-host limits of `fetch` (which hold across all
    /// workers).
    pub fn settings(&self, fetch: &FetchSettings) -> crate::worker::WorkerSettings {
        crate::worker::WorkerSettings {
            concurrency: self.concurrency,
            lease: Duration::from_secs(self.lease_secs),
            poll: Duration::from_millis(self.poll_ms),
            max_attempts: self.max_attempts,
            scan_every: Duration::from_secs(self.scan_secs),
            until_idle: false,
            max_per_host: u32::try_from(fetch.max_connections_per_host).unwrap_or(u32::MAX),
            host_delay: Duration::from_millis(fetch.per_host_delay_ms),
            name: None,
        }
    }
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        ScheduleSettings {
            enabled: true,
            interval_minutes: 60,
            min_interval_minutes: 5,
            max_interval_hours: 24,
            max_failures: 10,
            jitter_percent: 10,
            tick_seconds: 30,
        }
    }
}

impl FetchSettings {
    /// The fetch crate's configuration for these settings.
    pub fn fetch_config(&self) -> FetchConfig {
        FetchConfig {
            user_agent: self.user_agent.clone(),
            timeout: Duration::from_secs(self.timeout_secs),
            connect_timeout: Duration::from_secs(self.connect_timeout_secs),
            max_body_bytes: self.max_body_bytes,
            max_redirects: self.max_redirects,
            max_connections_per_host: self.max_connections_per_host,
            per_host_delay: Duration::from_millis(self.per_host_delay_ms),
            allow_private_addresses: self.allow_private_addresses,
            respect_robots: self.respect_robots,
            resolve_overrides: self.resolve.clone(),
            ..FetchConfig::default()
        }
    }

    /// Checks the keys of `resolve`: each is a host name (`news.example`) or `*.` and a domain
    /// suffix (`*.bench.test`), in ASCII letters, digits, `-` and `.`. The first bad key is
    /// returned with what is wrong with it.
    ///
    /// # Errors
    ///
    /// A message naming the bad key.
    pub fn check_resolve(&self) -> Result<(), String> {
        for key in self.resolve.keys() {
            let name = key.strip_prefix("*.").unwrap_or(key);
            let problem = if name.is_empty() {
                Some("is empty")
            } else if name.contains('*') {
                Some("may hold `*` only as its first label (`*.example.org`)")
            } else if name.split('.').any(str::is_empty) {
                Some("has an empty label (two dots, or a leading or trailing dot)")
            } else if !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                Some(
                    "is not a host name (ASCII letters, digits, `-` and `.`; no scheme, port or path)",
                )
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(format!("[fetch] resolve key {key:?} {problem}"));
            }
        }
        Ok(())
    }

    /// A fetcher built from these settings.
    ///
    /// # Errors
    ///
    /// The fetch crate's error when its HTTP client cannot be built.
    pub fn fetcher(&self) -> Result<Fetcher, newsdesk_fetch::FetchError> {
        Fetcher::new(self.fetch_config())
    }
}

/// The parts of a whole configuration the pipeline reads (borrowed from the binary's `Config`).
#[derive(Debug, Clone, Copy)]
pub struct PipelineSettings<'a> {
    /// `[fetch]`.
    pub fetch: &'a FetchSettings,
    /// `[schedule]`.
    pub schedule: &'a ScheduleSettings,
    /// `[stories]`.
    pub stories: &'a StoriesSettings,
    /// `[translate]`.
    pub translate: &'a newsdesk_translate::TranslateConfig,
    /// `[[editions]]`.
    pub editions: &'a [newsdesk_web::EditionConfig],
    /// Directory relative paths of the configuration are resolved against.
    pub base_dir: &'a Path,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetch(toml_text: &str) -> FetchSettings {
        toml::from_str(toml_text).expect("valid [fetch] table")
    }

    #[test]
    fn resolve_reaches_the_fetch_config() {
        let f =
            fetch("resolve = { \"*.bench.test\" = \"127.0.0.1\", \"staging.example\" = \"::1\" }");
        f.check_resolve().expect("good keys");
        let cfg = f.fetch_config();
        assert_eq!(cfg.resolve_overrides.len(), 2);
        assert_eq!(
            cfg.resolve_overrides.get("*.bench.test"),
            Some(&IpAddr::from([127, 0, 0, 1]))
        );
        assert_eq!(
            cfg.resolve_overrides.get("staging.example"),
            Some(&"::1".parse::<IpAddr>().expect("ipv6"))
        );
        assert!(
            FetchSettings::default()
                .fetch_config()
                .resolve_overrides
                .is_empty()
        );
    }

    #[test]
    fn bad_resolve_entries_are_refused() {
        // Not an address: serde refuses it when the file is read.
        let e = toml::from_str::<FetchSettings>("resolve = { \"a.example\" = \"localhost\" }")
            .expect_err("not an IP address");
        assert!(e.to_string().contains("IP address"), "{e}");
        for key in [
            "",
            "*.",
            "a.*.example",
            "http://a.example",
            "a.example:8080",
            "a..example",
            ".a.example",
        ] {
            let mut f = FetchSettings::default();
            f.resolve
                .insert(key.to_string(), IpAddr::from([127, 0, 0, 1]));
            let e = f.check_resolve().expect_err(key);
            assert!(e.starts_with("[fetch] resolve key"), "{e}");
        }
    }
}

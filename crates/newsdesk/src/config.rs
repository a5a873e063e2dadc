//! `newsdesk.toml`: finding it, reading it, and writing a commented default.
//!
//! Lookup order: `--config FILE`, else `$NEWSDESK_CONFIG`, else `./newsdesk.toml`. Relative paths
//! inside the file are relative to the file's own directory, so a data directory can be moved
//! together with its configuration.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
pub use newsdesk_pipeline::settings::{
    FetchSettings, PipelineSettings, ScheduleSettings, StoriesSettings, WorkerConfig,
};
use serde::Deserialize;

/// Name of the configuration file looked up in the current directory.
pub const CONFIG_FILE_NAME: &str = "newsdesk.toml";

/// The whole configuration. Every field has a default, so an empty file is valid.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where data lives.
    pub storage: StorageConfig,
    /// How sources and pages are fetched.
    pub fetch: FetchSettings,
    /// The web server.
    pub web: WebSettings,
    /// Background fetching in `newsdesk serve`.
    pub schedule: ScheduleSettings,
    /// Stories and provenance (`[stories]`).
    pub stories: StoriesSettings,
    /// `newsdesk worker` (`[worker]`): jobs at once, leases, tries.
    pub worker: WorkerConfig,
    /// Machine translation (`[translate]`, `[[translate.backends]]`); see newsdesk-translate.
    pub translate: newsdesk_translate::TranslateConfig,
    /// Editions of the site in other languages (`[[editions]]`): language, title, which source
    /// languages to translate (default all) and when bodies are translated.
    pub editions: Vec<newsdesk_web::EditionConfig>,
    /// Directory of the configuration file (relative paths are resolved against it).
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// `[storage]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// SQLite database file.
    pub database: PathBuf,
    /// PostgreSQL URL (`postgres://user@host/db`); when set (or `$NEWSDESK_DATABASE_URL` is),
    /// it replaces `database`.
    pub url: Option<String>,
    /// A read replica of the PostgreSQL database (`postgres://…`, or `$NEWSDESK_DATABASE_READ_URL`):
    /// `newsdesk serve` answers the site's reads from it. Other commands write and ignore it.
    pub read_url: Option<String>,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            database: PathBuf::from("data/newsdesk.db"),
            url: None,
            read_url: None,
        }
    }
}

/// `[web]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebSettings {
    /// Address `newsdesk serve` listens on.
    pub bind: String,
    /// Site title shown on every page and in feeds.
    pub site_title: String,
    /// Public base URL used for links in feeds.
    pub public_url: Option<String>,
    /// Without `public_url`: the host names (`news.lan:8080`) whose `Host` header may build
    /// feed links; otherwise they are built from `bind`.
    pub host_names: Vec<String>,
    /// Language of the interface (`<html lang>`).
    pub language: String,
    /// Show a "sample data" banner on every page (the demo sets it).
    pub sample_data: bool,
    /// Milliseconds an identical GET is answered from memory (0 turns the micro-cache off).
    pub cache_ttl_ms: u64,
    /// Most bytes the micro-cache holds.
    pub cache_max_bytes: usize,
    /// Most connections open at once (more are answered 503 and closed).
    pub max_connections: usize,
    /// Most connections open at once from one client address.
    pub max_connections_per_client: usize,
    /// Milliseconds a client may take to send a request's headers.
    pub header_read_timeout_ms: u64,
    /// Milliseconds a connection may stay open without a request before it is closed.
    pub idle_timeout_ms: u64,
    /// The operator's token for edits through the JSON API (`$NEWSDESK_OPERATOR_TOKEN` wins
    /// when set); unset: the API is read-only.
    pub operator_token: Option<String>,
    /// Names for country codes ISO 3166 leaves to users (`XV = "Valdoria"`).
    pub country_names: std::collections::BTreeMap<String, String>,
}

impl WebSettings {
    /// The operator's API token: `$NEWSDESK_OPERATOR_TOKEN` when set and not empty, else
    /// `[web] operator_token`.
    pub fn operator_token(&self) -> Option<String> {
        std::env::var("NEWSDESK_OPERATOR_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())
            .or_else(|| self.operator_token.clone())
    }

    /// The web server's configuration from these settings.
    pub fn web_config(&self) -> newsdesk_web::WebConfig {
        newsdesk_web::WebConfig {
            site_title: self.site_title.clone(),
            public_url: self.public_url.clone(),
            host_names: self.host_names.clone(),
            bind_address: None,
            language: self.language.clone(),
            sample_data: self.sample_data,
            cache_ttl_ms: self.cache_ttl_ms,
            cache_max_bytes: self.cache_max_bytes,
            max_connections: self.max_connections,
            max_connections_per_client: self.max_connections_per_client,
            header_read_timeout_ms: self.header_read_timeout_ms,
            idle_timeout_ms: self.idle_timeout_ms,
            operator_token: self
                .operator_token()
                .and_then(|t| newsdesk_web::OperatorToken::new(&t).ok()),
            country_names: self
                .country_names
                .iter()
                .map(|(code, name)| (code.to_ascii_uppercase(), name.clone()))
                .collect(),
        }
    }
}

impl Default for WebSettings {
    fn default() -> Self {
        let web = newsdesk_web::WebConfig::default();
        WebSettings {
            bind: "127.0.0.1:8080".into(),
            site_title: "newsdesk".into(),
            public_url: None,
            host_names: Vec::new(),
            language: "en".into(),
            sample_data: false,
            cache_ttl_ms: 1000,
            cache_max_bytes: web.cache_max_bytes,
            max_connections: web.max_connections,
            max_connections_per_client: web.max_connections_per_client,
            header_read_timeout_ms: web.header_read_timeout_ms,
            idle_timeout_ms: web.idle_timeout_ms,
            operator_token: None,
            country_names: Default::default(),
        }
    }
}

impl Config {
    /// The parts of this configuration the pipeline reads.
    pub fn pipeline(&self) -> PipelineSettings<'_> {
        PipelineSettings {
            fetch: &self.fetch,
            schedule: &self.schedule,
            stories: &self.stories,
            translate: &self.translate,
            editions: &self.editions,
            base_dir: &self.base_dir,
        }
    }

    /// Reads and validates one configuration file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read configuration file {}", path.display()))?;
        let mut cfg: Config = toml::from_str(&text)
            .with_context(|| format!("invalid configuration file {}", path.display()))?;
        let abs = std::path::absolute(path)
            .with_context(|| format!("cannot resolve {}", path.display()))?;
        cfg.base_dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        cfg.validate()?;
        Ok(cfg)
    }

    /// Finds the configuration: `explicit`, else `$NEWSDESK_CONFIG`, else `./newsdesk.toml`.
    pub fn locate(explicit: Option<&Path>) -> Result<PathBuf> {
        if let Some(p) = explicit {
            return Ok(p.to_path_buf());
        }
        if let Some(p) = std::env::var_os("NEWSDESK_CONFIG").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(p));
        }
        let local = PathBuf::from(CONFIG_FILE_NAME);
        if local.exists() {
            return Ok(local);
        }
        bail!(
            "no configuration found: pass --config FILE, set NEWSDESK_CONFIG, or run `newsdesk init` \
             to create ./{CONFIG_FILE_NAME}"
        )
    }

    /// Checks values that serde cannot.
    fn validate(&self) -> Result<()> {
        let f = &self.fetch;
        if f.timeout_secs == 0 || f.connect_timeout_secs == 0 {
            bail!("[fetch] timeouts must be at least 1 second");
        }
        if f.max_body_bytes < 1024 {
            bail!("[fetch] max_body_bytes must be at least 1024");
        }
        if f.source_time_budget_secs == 0 || f.pass_time_budget_secs == 0 {
            bail!("[fetch] time budgets must be at least 1 second");
        }
        if f.max_connections_per_host == 0
            || f.source_concurrency == 0
            || f.article_concurrency == 0
            || f.page_concurrency == 0
        {
            bail!("[fetch] concurrency limits must be at least 1");
        }
        f.check_resolve().map_err(anyhow::Error::msg)?;
        let sc = &self.schedule;
        if sc.interval_minutes == 0
            || sc.min_interval_minutes == 0
            || sc.max_interval_hours == 0
            || sc.tick_seconds == 0
            || sc.max_failures == 0
        {
            bail!(
                "[schedule] interval_minutes, min_interval_minutes, max_interval_hours, \
                 max_failures and tick_seconds must be at least 1"
            );
        }
        if sc.min_interval_minutes > sc.max_interval_hours * 60 {
            bail!("[schedule] min_interval_minutes is longer than max_interval_hours");
        }
        if sc.jitter_percent > 50 {
            bail!("[schedule] jitter_percent must be at most 50");
        }
        let w = &self.worker;
        if w.concurrency == 0
            || w.lease_secs < 3
            || w.max_attempts == 0
            || w.poll_ms == 0
            || w.scan_secs == 0
        {
            bail!(
                "[worker] concurrency, max_attempts, poll_ms and scan_secs must be at least 1, \
                 lease_secs at least 3"
            );
        }
        if self.stories.window_hours < 1 || self.stories.copy_window_hours < 1 {
            bail!("[stories] window_hours and copy_window_hours must be at least 1");
        }
        if !(0..=24 * 30).contains(&self.stories.replace_hours)
            || !(0..=24 * 30).contains(&self.stories.arrival_hours)
        {
            bail!("[stories] replace_hours and arrival_hours must be between 0 and 720");
        }
        for (i, e) in self.editions.iter().enumerate() {
            let l = &e.language;
            if !(2..=3).contains(&l.len()) || !l.bytes().all(|b| b.is_ascii_lowercase()) {
                bail!("[[editions]] language {l:?} is not a two- or three-letter lowercase tag");
            }
            if self.editions[..i].iter().any(|o| &o.language == l) {
                bail!("[[editions]] language {l:?} appears twice");
            }
        }
        self.web
            .bind
            .parse::<std::net::SocketAddr>()
            .with_context(|| format!("[web] bind {:?} is not ADDR:PORT", self.web.bind))?;
        if let Some(token) = self.web.operator_token() {
            newsdesk_web::OperatorToken::new(&token).map_err(|e| {
                anyhow::anyhow!("[web] operator_token (or $NEWSDESK_OPERATOR_TOKEN): {e}")
            })?;
        }
        Ok(())
    }

    /// Resolves a path from the file against the file's directory.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// Absolute path of the database file.
    pub fn database_path(&self) -> PathBuf {
        self.resolve(&self.storage.database)
    }

    /// The PostgreSQL URL to use instead of the SQLite file: `$NEWSDESK_DATABASE_URL` when set
    /// and not empty, else `[storage] url`.
    pub fn database_url(&self) -> Option<String> {
        env_or("NEWSDESK_DATABASE_URL", &self.storage.url)
    }

    /// The read replica `newsdesk serve` reads the site from: `$NEWSDESK_DATABASE_READ_URL`
    /// when set and not empty, else `[storage] read_url`.
    pub fn database_read_url(&self) -> Option<String> {
        env_or("NEWSDESK_DATABASE_READ_URL", &self.storage.read_url)
    }
}

/// `$var` when set, else `configured`; trimmed, and `None` when empty.
fn env_or(var: &str, configured: &Option<String>) -> Option<String> {
    std::env::var(var)
        .ok()
        .or_else(|| configured.clone())
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
}

/// The commented file that `newsdesk init` writes. Every setting is shown with its default.
pub fn default_config_text() -> String {
    let f = FetchSettings::default();
    let sc = ScheduleSettings::default();
    let w = WorkerConfig::default();
    format!(
        r#"# newsdesk configuration.
#
# Every setting below is shown with its default value; delete a line to get the default.
# Relative paths are relative to the directory of this file.
# Commands find this file through --config FILE, else $NEWSDESK_CONFIG, else ./newsdesk.toml.

[storage]
# SQLite database file (WAL mode; no server needed). Its directory is created by `newsdesk init`.
database = "data/newsdesk.db"
# PostgreSQL instead (several processes and machines on one database), e.g.
# "postgres://newsdesk@db.example/newsdesk"; $NEWSDESK_DATABASE_URL overrides it. Run
# `newsdesk migrate` once (and after each upgrade) before the other commands.
# url = ""
# A read replica of that database (a PostgreSQL hot standby): `newsdesk serve` answers the
# site's reads from it, writes still go to `url`; $NEWSDESK_DATABASE_READ_URL overrides it.
# read_url = ""

[fetch]
# Sent with every request. Name your instance and a contact URL if you run a public edition.
user_agent = "{ua}"
# Whole-request timeout and connect timeout, in seconds.
timeout_secs = {timeout}
connect_timeout_secs = {connect}
# Largest body accepted, in bytes, after decompression (10 MiB). Bigger answers are refused.
max_body_bytes = {max_body}
# Redirects followed at most; a loop is reported as an error on the source.
max_redirects = {redirects}
# Requests to one host at the same time, at most; feeds, article pages and robots.txt of a host
# share this limit.
max_connections_per_host = {per_host}
# Politeness: milliseconds between the end of one request to a host and the start of the next.
per_host_delay_ms = {delay}
# Article pages fetched at the same time over all sources (the page queue).
page_concurrency = {pages}
# Retries of an article page after a transient error (timeout, reset, 429, 5xx).
page_retries = {retries}
# SSRF guard: false refuses loopback, private, link-local (169.254.169.254) and unspecified
# addresses after DNS resolution, also on redirects. Set true only for tests and local demos.
allow_private_addresses = false
# Honour robots.txt when fetching article pages.
respect_robots = true
# Sources fetched at the same time.
source_concurrency = {sources}
# Article pages fetched and extracted at the same time, per source.
article_concurrency = {articles}
# New feed entries ingested per source in one pass, newest first; the rest wait for the next pass.
max_new_entries_per_pass = {max_new}
# Fetch each entry's article page and extract it (false keeps only the feed's own content).
fetch_article_pages = true
# Seconds one source may spend on its new entries in one pass (slow pages cannot hold the pass);
# what is left waits for the next pass.
source_time_budget_secs = 300
# Seconds one whole pass may take; sources not started by then are fetched first next time.
pass_time_budget_secs = 1800
# Host name (or "*.suffix") -> IP address, used instead of DNS, like curl's --resolve: for
# staging, tests and benchmarks. The SSRF guard above still applies to the address.
# resolve = {{ "*.staging.example" = "10.0.0.5", "news.example" = "192.0.2.7" }}

[web]
# Address `newsdesk serve` listens on.
bind = "127.0.0.1:8080"
# Title shown on every page and in the feeds newsdesk publishes.
site_title = "newsdesk"
# Public base URL used in published feeds, e.g. "https://news.example.org". Unset: built from
# the request's Host when it is one of host_names, else from bind.
# public_url = "https://news.example.org"
# host_names = ["news.lan:8080"]
# Language of the interface (<html lang>).
language = "en"
# Show a "sample data" banner on every page (set by `newsdesk demo`).
sample_data = false
# A secret (at least 16 characters, e.g. from `openssl rand -hex 32`) that lets the operator edit
# source profiles through the JSON API (PATCH /api/v1/sources/{{id}}/profile with
# "Authorization: Bearer <token>"); $NEWSDESK_OPERATOR_TOKEN wins when set. Unset: the API is
# read-only.
# operator_token = "..."
# Names for country codes ISO 3166 leaves to users (others are named from CLDR in the page's
# language), as a table:
# [web.country_names]
# XV = "Valdoria"
# Identical GET requests within this many milliseconds are answered from memory, so a busy front
# page costs one render per second; 0 turns this micro-cache off.
cache_ttl_ms = 1000
# Most bytes that micro-cache holds (answers beyond it are rendered each time).
cache_max_bytes = 33554432
# Most connections open at once, and from one client address (raise it behind a reverse proxy);
# more are answered 503 and closed at once.
max_connections = 4096
max_connections_per_client = 256
# Milliseconds a client may take to send a request's headers, and a connection may stay open
# without a request, before the server closes it.
header_read_timeout_ms = 10000
idle_timeout_ms = 30000

[schedule]
# Fetch sources in the background while `newsdesk serve` runs (`newsdesk fetch --due` does one
# pass of what is due). Each source gets its own next-fetch time, adapted to how often it
# publishes, never earlier than Cache-Control max-age / Expires / RSS <ttl> allow, avoiding RSS
# <skipHours>, and honouring Retry-After on 429/503.
enabled = true
# Minutes between two fetches of a new source, until its publishing rate is known.
interval_minutes = {interval}
# Bounds of the adaptive interval.
min_interval_minutes = {min_interval}
max_interval_hours = {max_interval}
# Failures back off exponentially (from min_interval_minutes); after this many in a row the source
# is paused (410 Gone pauses at once). `newsdesk sources resume ID` resumes it.
max_failures = {max_failures}
# Spread of intervals, percent, so that sources added together do not stay in lockstep.
jitter_percent = {jitter}
# Seconds `newsdesk serve` waits between two looks for due sources.
tick_seconds = {tick}

[stories]
# After each pass, group new articles into stories (the same event across outlets and languages)
# and link copies and translated copies to their originals. Its state is kept in the database.
enabled = true
# With [translate] backends, a likely translated copy is checked in this language ("" = never).
# pivot_language = "en"
# A story takes new articles for this many hours after its latest one, and an article can be a
# copy of one published up to copy_window_hours before it (on the articles' own dates).
# `newsdesk stories` and `newsdesk copies` run with these same settings.
# window_hours = 240
# copy_window_hours = 168
# Articles are placed in publication order, not in the order they are fetched: each pass places
# the articles of the last replace_hours again, so that an original fetched after its copy
# becomes the original (more hours: later arrivals put right, more work per pass). Articles
# fetched in the last arrival_hours are placed again too, so that a backlog fetched outlet after
# outlet is placed in publication order once it is all in.
# replace_hours = 48
# arrival_hours = 6

[worker]
# `newsdesk worker` processes (on this machine or others sharing a PostgreSQL [storage] url) take
# jobs from a queue in the database: fetch a source, fetch and extract an article, translate,
# place stories. [fetch] max_connections_per_host and per_host_delay_ms hold across all of them.
# Jobs one worker runs at the same time.
concurrency = {w_concurrency}
# Seconds a job's lease lasts (extended while the job runs); the jobs of a worker that died are
# taken over by another this long after its last extension.
lease_secs = {w_lease}
# Tries of a job (with backoff: 5 s, 10 s, 20 s, ... up to 10 min) before it is given up.
max_attempts = {w_attempts}
# Milliseconds between two looks at an empty queue; seconds between two scans for due sources.
poll_ms = {w_poll}
scan_secs = {w_scan}

# Editions: the site in other languages, each served at /{{language}}/ with every article's title
# and lead (and body) machine-translated at ingest by the [translate] backends; the original is
# always kept and linked. With editions, / redirects by the browser's Accept-Language.
# [[editions]]
# language = "fr"
# title = "newsdesk en français"
# translate_from = ["en", "es"]   # source languages to translate; default: all
# bodies = "ingest"               # or "on_view": bodies translated when first read
"#,
        ua = f.user_agent,
        timeout = f.timeout_secs,
        connect = f.connect_timeout_secs,
        max_body = f.max_body_bytes,
        redirects = f.max_redirects,
        per_host = f.max_connections_per_host,
        sources = f.source_concurrency,
        articles = f.article_concurrency,
        max_new = f.max_new_entries_per_pass,
        delay = f.per_host_delay_ms,
        pages = f.page_concurrency,
        retries = f.page_retries,
        interval = sc.interval_minutes,
        min_interval = sc.min_interval_minutes,
        max_interval = sc.max_interval_hours,
        max_failures = sc.max_failures,
        jitter = sc.jitter_percent,
        tick = sc.tick_seconds,
        w_concurrency = w.concurrency,
        w_lease = w.lease_secs,
        w_attempts = w.max_attempts,
        w_poll = w.poll_ms,
        w_scan = w.scan_secs,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_default_parses_to_defaults() {
        let cfg: Config = toml::from_str(&default_config_text()).expect("default config parses");
        let d = FetchSettings::default();
        assert_eq!(cfg.fetch.max_body_bytes, d.max_body_bytes);
        assert_eq!(cfg.fetch.max_redirects, 5);
        assert_eq!(cfg.fetch.max_connections_per_host, 1);
        assert_eq!(cfg.fetch.per_host_delay_ms, d.per_host_delay_ms);
        assert_eq!(cfg.fetch.page_concurrency, d.page_concurrency);
        assert_eq!(cfg.fetch.page_retries, d.page_retries);
        let s = ScheduleSettings::default();
        assert_eq!(cfg.schedule.interval_minutes, s.interval_minutes);
        assert_eq!(cfg.schedule.min_interval_minutes, 5);
        assert_eq!(cfg.schedule.max_interval_hours, 24);
        assert_eq!(cfg.schedule.max_failures, 10);
        assert_eq!(cfg.schedule.jitter_percent, s.jitter_percent);
        assert_eq!(cfg.schedule.tick_seconds, s.tick_seconds);
        assert!(!cfg.fetch.allow_private_addresses);
        assert_eq!(cfg.web.bind, "127.0.0.1:8080");
        assert!(cfg.stories.enabled);
        assert_eq!(cfg.storage.database, PathBuf::from("data/newsdesk.db"));
        cfg.validate().expect("defaults are valid");
    }

    #[test]
    fn a_translate_table_is_part_of_the_configuration() {
        let cfg: Config =
            toml::from_str("[translate]\n[[translate.backends]]\nkind = \"apertium\"\n")
                .expect("a [translate] table is accepted");
        assert_eq!(cfg.translate.backends.len(), 1);
        assert!(toml::from_str::<Config>("[translate]\nnonsense = 1\n").is_err());
    }

    #[test]
    fn editions_are_parsed_and_checked() {
        let cfg: Config = toml::from_str(
            "[[editions]]\nlanguage = \"fr\"\ntitle = \"Le bureau\"\n\
             [[editions]]\nlanguage = \"es\"\ntranslate_from = [\"en\"]\nbodies = \"on_view\"\n",
        )
        .expect("editions parse");
        cfg.validate().expect("valid editions");
        assert_eq!(cfg.editions.len(), 2);
        assert_eq!(cfg.editions[0].title.as_deref(), Some("Le bureau"));
        assert!(cfg.editions[0].translates_from("de"));
        assert!(!cfg.editions[1].translates_from("de"));
        assert_eq!(
            cfg.editions[1].bodies,
            newsdesk_web::BodyTranslation::OnView
        );
        assert!(Config::default().editions.is_empty());
        let twice: Config =
            toml::from_str("[[editions]]\nlanguage = \"fr\"\n[[editions]]\nlanguage = \"fr\"\n")
                .expect("parses");
        assert!(twice.validate().is_err());
        let bad: Config = toml::from_str("[[editions]]\nlanguage = \"../x\"\n").expect("parses");
        assert!(bad.validate().is_err());
        assert!(
            toml::from_str::<Config>("[[editions]]\nlanguage = \"fr\"\nbodies = \"later\"\n")
                .is_err()
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_rejected() {
        assert!(toml::from_str::<Config>("[fetch]\ntimeout = 3\n").is_err());
        let cfg: Config = toml::from_str("[web]\nbind = \"nonsense\"\n").expect("parses");
        assert!(cfg.validate().is_err());
    }

    #[test]
    fn fetch_resolve_is_checked_when_the_file_is_loaded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("newsdesk.toml");
        let load = |text: &str| {
            std::fs::write(&file, text).expect("write");
            Config::load(&file)
        };
        let cfg = load("[fetch]\nresolve = { \"*.bench.test\" = \"127.0.0.1\" }\n").expect("valid");
        assert_eq!(cfg.fetch.fetch_config().resolve_overrides.len(), 1);
        let e = load("[fetch]\nresolve = { \"http://a.example\" = \"127.0.0.1\" }\n")
            .expect_err("a URL is not a host name");
        assert!(
            e.to_string()
                .contains("[fetch] resolve key \"http://a.example\""),
            "{e}"
        );
        let e = load("[fetch]\nresolve = { \"a.example\" = \"not-an-ip\" }\n")
            .expect_err("not an address");
        let shown = format!("{e:#}");
        assert!(shown.contains("invalid configuration file"), "{shown}");
        assert!(shown.contains("IP address"), "{shown}");
    }

    #[test]
    fn the_operator_token_reaches_the_web_config() {
        // (Assumes $NEWSDESK_OPERATOR_TOKEN is not set in the test environment.)
        if std::env::var_os("NEWSDESK_OPERATOR_TOKEN").is_some() {
            return;
        }
        assert_eq!(Config::default().web.web_config().operator_token, None);
        let short: Config = toml::from_str("[web]\noperator_token = \"short\"\n").expect("parses");
        let e = short.validate().expect_err("too short");
        assert!(e.to_string().contains("at least 16"), "{e}");
        let cfg: Config =
            toml::from_str("[web]\noperator_token = \"0123456789abcdef-x\"\n").expect("parses");
        cfg.validate().expect("valid");
        let token = cfg.web.web_config().operator_token.expect("token");
        assert!(token.matches("0123456789abcdef-x"));
    }

    #[test]
    fn relative_paths_resolve_against_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("site");
        std::fs::create_dir_all(&sub).expect("mkdir");
        let file = sub.join("newsdesk.toml");
        std::fs::write(&file, "[storage]\ndatabase = \"db/x.db\"\n").expect("write");
        let cfg = Config::load(&file).expect("load");
        assert_eq!(cfg.database_path(), sub.join("db/x.db"));
    }
}

//! Fetch settings: timeouts, limits, the SSRF guard and robots.txt.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default largest accepted body, after decompression: 10 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// Default pause between the end of one request to a host and the start of the next: 250 ms.
pub const DEFAULT_PER_HOST_DELAY: Duration = Duration::from_millis(250);

/// How the [`crate::Fetcher`] behaves.
///
/// Deserialisable from TOML (timeouts as seconds, integer or fractional); every field has a
/// default, so an empty table is valid:
///
/// ```
/// use newsdesk_fetch::FetchConfig;
/// use std::time::Duration;
/// let cfg: FetchConfig = toml::from_str("timeout = 5\nconnect_timeout = 2.5").unwrap();
/// assert_eq!(cfg.timeout, Duration::from_secs(5));
/// assert_eq!(cfg.connect_timeout, Duration::from_millis(2500));
/// assert_eq!(cfg.max_redirects, 5);
/// assert_eq!(cfg.max_connections_per_host, 1);
/// assert_eq!(cfg.per_host_delay, Duration::from_millis(250));
/// assert!(!cfg.allow_private_addresses);
/// assert!(cfg.resolve_overrides.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// `User-Agent` sent with every request (also the robots.txt agent: its first token).
    pub user_agent: String,
    /// Connect timeout (TOML: seconds).
    #[serde(with = "seconds")]
    pub connect_timeout: Duration,
    /// Whole-request timeout for one hop, from connecting to the end of the body (TOML: seconds).
    #[serde(with = "seconds")]
    pub timeout: Duration,
    /// Largest accepted body in bytes, counted after decompression.
    pub max_body_bytes: u64,
    /// Redirects followed at most; more, or a loop, is an error.
    pub max_redirects: usize,
    /// Requests in flight to one host (host and port) at most; also the idle pool size per host.
    /// Feeds, article pages and robots.txt of a host share this limit.
    pub max_connections_per_host: usize,
    /// Politeness delay: a request to a host starts at least this long after the previous
    /// request to the same host ended (TOML: seconds). Zero turns it off.
    #[serde(with = "seconds")]
    pub per_host_delay: Duration,
    /// Resolver overrides, for benchmarks and tests only: host name → address, used instead of
    /// DNS. A key `*.bench.test` matches every name ending in `.bench.test`. The SSRF guard still
    /// applies to the overridden address. Empty by default (DNS only).
    pub resolve_overrides: BTreeMap<String, IpAddr>,
    /// Turns the SSRF guard off: allows loopback, private, link-local and other non-public
    /// addresses. For tests and local demos only.
    pub allow_private_addresses: bool,
    /// Explicit exceptions to the SSRF guard: these addresses are allowed even though they are not
    /// public (for tests and for deliberate exceptions such as a feed server on the LAN).
    pub allowed_private: Vec<IpAddr>,
    /// Whether [`crate::Fetcher::get_page`] honours robots.txt.
    pub respect_robots: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: newsdesk_core::USER_AGENT.to_string(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_redirects: 5,
            max_connections_per_host: 1,
            per_host_delay: DEFAULT_PER_HOST_DELAY,
            resolve_overrides: BTreeMap::new(),
            allow_private_addresses: false,
            allowed_private: Vec::new(),
            respect_robots: true,
        }
    }
}

impl FetchConfig {
    /// The robots.txt product token: the User-Agent up to the first `/` or space
    /// (`newsdesk` for the default agent).
    pub fn robots_agent(&self) -> &str {
        let token = self
            .user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or_default()
            .trim();
        if token.is_empty() { "newsdesk" } else { token }
    }
}

/// `Duration` as a number of seconds (integer or fractional) in configuration files.
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        if d.subsec_nanos() == 0 {
            s.serialize_u64(d.as_secs())
        } else {
            s.serialize_f64(d.as_secs_f64())
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Secs {
        Whole(u64),
        Fraction(f64),
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        match Secs::deserialize(d)? {
            Secs::Whole(n) => Ok(Duration::from_secs(n)),
            Secs::Fraction(f) => Duration::try_from_secs_f64(f).map_err(|_| {
                D::Error::custom(format!(
                    "fetch: invalid duration {f} seconds (expected a non-negative number)"
                ))
            }),
        }
    }
}

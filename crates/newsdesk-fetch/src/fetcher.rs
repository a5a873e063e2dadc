//! The [`Fetcher`]: one HTTP client with newsdesk's manners and limits.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};
use url::{Host, Url};

use crate::address_guard::{AddressGuard, AddressRefused, GuardedResolver, ResolveOverrides};
use crate::error::flatten_chain;
use crate::host_limit::HostLimiter;
use crate::robots::{ROBOTS_FAILURE_TTL, ROBOTS_TTL, RobotsCache, RobotsRules};
use crate::{FetchConfig, FetchError, FetchResponse, Validators};

/// Capacity reserved up front for a body of unknown length.
const INITIAL_BODY_CAPACITY: usize = 64 * 1024;

/// newsdesk's HTTP client. Cheap to clone (clones share the connection pool, the per-host limits
/// and the robots.txt cache).
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    cfg: FetchConfig,
    guard: Arc<AddressGuard>,
    limiter: HostLimiter,
    robots: RobotsCache,
}

impl Fetcher {
    /// Builds the client from `cfg`.
    ///
    /// Fails with [`FetchError::Config`] when the user agent is not a valid header value, a
    /// timeout is zero, `max_connections_per_host` is zero, or TLS cannot be set up.
    pub fn new(cfg: FetchConfig) -> Result<Fetcher, FetchError> {
        let config_error = |message: String| FetchError::Config { message };
        HeaderValue::from_str(&cfg.user_agent).map_err(|_| {
            config_error(format!(
                "user_agent {:?} is not a valid header value",
                cfg.user_agent
            ))
        })?;
        if cfg.timeout.is_zero() || cfg.connect_timeout.is_zero() {
            return Err(config_error("timeouts must be greater than zero".into()));
        }
        if cfg.max_connections_per_host == 0 {
            return Err(config_error(
                "max_connections_per_host must be at least 1".into(),
            ));
        }
        // reqwest is built without a default crypto provider; install ring once per process.
        // An error only means a provider is already installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();

        let guard = Arc::new(AddressGuard::new(
            !cfg.allow_private_addresses,
            &cfg.allowed_private,
        ));
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.as_str())
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.timeout)
            // Redirects are followed by `Fetcher::fetch`, hop by hop, so that every hop is checked
            // (scheme, literal IP, robots.txt, loop) and counted against the per-host limit.
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would make the address guard meaningless (and leak loopback tests).
            .no_proxy()
            .pool_max_idle_per_host(cfg.max_connections_per_host)
            .dns_resolver(GuardedResolver::new(
                Arc::clone(&guard),
                Arc::new(ResolveOverrides::new(&cfg.resolve_overrides)),
            ))
            .build()
            .map_err(|e| config_error(flatten_chain(&e)))?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                limiter: HostLimiter::new(cfg.max_connections_per_host, cfg.per_host_delay),
                robots: RobotsCache::default(),
                guard,
                cfg,
            }),
        })
    }

    /// The configuration this fetcher was built with.
    pub fn config(&self) -> &FetchConfig {
        &self.inner.cfg
    }

    /// Checks what can be checked without the network: the URL parses, its scheme is http or
    /// https, and a literal IP host passes the address guard. Host names are checked when they
    /// are resolved.
    pub fn check_url(&self, url: &str) -> Result<(), FetchError> {
        let url = parse_url(url)?;
        self.check_literal_host(&url)
    }

    /// Conditional GET of `url`, following redirects; robots.txt is not consulted (feeds are
    /// meant to be fetched by programs).
    ///
    /// A 304 answer gives `not_modified: true` and an empty body; any other non-2xx answer is
    /// [`FetchError::Status`].
    pub async fn get(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<FetchResponse, FetchError> {
        self.fetch(url, validators, false).await
    }

    /// GET of a page (an article), like [`Fetcher::get`] but first consulting robots.txt of the
    /// URL's origin (and of every redirect target's origin) when `respect_robots` is on.
    ///
    /// A disallowed URL is [`FetchError::RobotsDisallowed`]. A robots.txt answering 4xx allows
    /// everything; one that cannot be read (5xx, unreachable) allows everything too, and is logged.
    pub async fn get_page(&self, url: &str) -> Result<FetchResponse, FetchError> {
        self.fetch(url, &Validators::none(), self.inner.cfg.respect_robots)
            .await
    }

    async fn fetch(
        &self,
        url: &str,
        validators: &Validators,
        robots: bool,
    ) -> Result<FetchResponse, FetchError> {
        let start = parse_url(url)?;
        let conditional = conditional_headers(validators);
        let mut current = start.clone();
        let mut visited = HashSet::from([without_fragment(&current)]);
        let mut hops = 0usize;
        // The end of the chain of permanent redirects (301/308) that starts at `start`, if the
        // chain is made only of permanent ones.
        let mut permanent: Option<Url> = None;
        let mut only_permanent = true;
        loop {
            self.check_literal_host(&current)?;
            if robots && !self.robots_allow(&current).await {
                tracing::info!(stage = "fetch", url = %current, "disallowed by robots.txt");
                return Err(FetchError::RobotsDisallowed {
                    url: current.to_string(),
                });
            }
            let permit = self.inner.limiter.acquire(&host_key(&current)).await;
            let response = self
                .inner
                .client
                .get(current.clone())
                .headers(conditional.clone())
                .send()
                .await
                .map_err(|e| transport_error(&current, e))?;
            let status = response.status();
            tracing::debug!(stage = "fetch", url = %current, status = status.as_u16(), "answer");

            if is_followed_redirect(status) {
                let next = redirect_target(&current, &response)?;
                drop(response);
                drop(permit);
                if matches!(status.as_u16(), 301 | 308) && only_permanent {
                    permanent = Some(next.clone());
                } else {
                    only_permanent = false;
                    permanent = None;
                }
                if hops >= self.inner.cfg.max_redirects || !visited.insert(without_fragment(&next))
                {
                    tracing::info!(stage = "fetch", url = %start, status = status.as_u16(),
                        "too many redirects or a loop");
                    return Err(FetchError::TooManyRedirects {
                        url: start.to_string(),
                    });
                }
                hops += 1;
                current = next;
                continue;
            }

            let permanent_redirect = permanent.as_ref().map(Url::to_string);
            if status == StatusCode::NOT_MODIFIED {
                let mut r =
                    build_response(&current, status, response.headers(), Bytes::new(), hops > 0);
                r.permanent_redirect = permanent_redirect;
                return Ok(r);
            }
            if !status.is_success() {
                tracing::info!(stage = "fetch", url = %current, status = status.as_u16(), "HTTP error");
                return Err(FetchError::Status {
                    url: current.to_string(),
                    status: status.as_u16(),
                    retry_after: header_string(response.headers(), header::RETRY_AFTER),
                });
            }
            let headers = response.headers().clone();
            let body = self.read_body(&current, response).await?;
            drop(permit);
            tracing::debug!(stage = "fetch", url = %current, status = status.as_u16(),
                bytes = body.len(), redirects = hops, "fetched");
            let mut r = build_response(&current, status, &headers, body, hops > 0);
            r.permanent_redirect = permanent_redirect;
            return Ok(r);
        }
    }

    /// Refuses a literal IP host that the guard refuses (names are checked by the resolver).
    fn check_literal_host(&self, url: &Url) -> Result<(), FetchError> {
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(Host::Domain(_)) => return Ok(()),
            None => {
                return Err(FetchError::BadUrl {
                    url: url.to_string(),
                    reason: "no host".into(),
                });
            }
        };
        match self.inner.guard.refusal(ip) {
            None => Ok(()),
            Some(reason) => {
                tracing::warn!(stage = "fetch", url = %url, %reason, "address refused");
                Err(FetchError::Forbidden {
                    url: url.to_string(),
                    reason,
                })
            }
        }
    }

    /// Reads the (decoded) body, refusing it as soon as it exceeds `max_body_bytes`.
    async fn read_body(&self, url: &Url, response: reqwest::Response) -> Result<Bytes, FetchError> {
        let limit = self.inner.cfg.max_body_bytes;
        let too_large = || {
            tracing::info!(stage = "fetch", url = %url, limit, "body too large");
            FetchError::TooLarge {
                url: url.to_string(),
                limit,
            }
        };
        // Without content decoding this is the Content-Length header: refuse early.
        let announced = response.content_length();
        if announced.is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let capacity = announced
            .unwrap_or(INITIAL_BODY_CAPACITY as u64)
            .min(limit)
            .min(INITIAL_BODY_CAPACITY as u64 * 16);
        let mut body = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| transport_error(url, e))?;
            if (body.len() as u64).saturating_add(chunk.len() as u64) > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    /// Whether robots.txt of `url`'s origin allows it (cached per origin).
    async fn robots_allow(&self, url: &Url) -> bool {
        let origin = url.origin().ascii_serialization();
        let robots_url = format!("{origin}/robots.txt");
        self.inner
            .robots
            .allows(&origin, url.as_str(), || self.load_robots(robots_url))
            .await
    }

    async fn load_robots(&self, robots_url: String) -> RobotsRules {
        // Boxed: `fetch` may call this, and this calls `fetch` (without robots).
        let fetched = Box::pin(self.fetch(&robots_url, &Validators::none(), false)).await;
        let agent = self.inner.cfg.robots_agent();
        match fetched {
            Ok(response) => RobotsRules::parse(agent, &response.body, &robots_url),
            Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                tracing::debug!(stage = "fetch", url = %robots_url, status, "no robots.txt; allowing everything");
                RobotsRules::allow_all(ROBOTS_TTL)
            }
            Err(e @ FetchError::Forbidden { .. }) => {
                // The page itself will be refused for the same reason; no need to warn twice.
                tracing::debug!(stage = "fetch", url = %robots_url, error = %e, "robots.txt address refused");
                RobotsRules::allow_all(ROBOTS_FAILURE_TTL)
            }
            Err(e) => {
                tracing::warn!(stage = "fetch", url = %robots_url, status = e.http_status(),
                    error = %e, "robots.txt unavailable; allowing everything for now");
                RobotsRules::allow_all(ROBOTS_FAILURE_TTL)
            }
        }
    }
}

/// Parses `url` and requires http or https with a host.
fn parse_url(url: &str) -> Result<Url, FetchError> {
    let bad = |reason: String| FetchError::BadUrl {
        url: url.to_string(),
        reason,
    };
    let parsed = Url::parse(url.trim()).map_err(|e| bad(e.to_string()))?;
    check_scheme(&parsed).map_err(bad)?;
    Ok(parsed)
}

fn check_scheme(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        "http" | "https" => Err("no host".into()),
        other => Err(format!(
            "unsupported scheme {other:?} (only http and https are fetched)"
        )),
    }
}

/// The URL a 301/302/303/307/308 answer points to, resolved against the current URL.
fn redirect_target(current: &Url, response: &reqwest::Response) -> Result<Url, FetchError> {
    let status = response.status().as_u16();
    let Some(location) = response.headers().get(header::LOCATION) else {
        return Err(FetchError::Status {
            url: current.to_string(),
            status,
            retry_after: None,
        });
    };
    let location = String::from_utf8_lossy(location.as_bytes());
    let next = current
        .join(location.trim())
        .map_err(|e| FetchError::BadUrl {
            url: location.to_string(),
            reason: format!("invalid redirect from {current}: {e}"),
        })?;
    check_scheme(&next).map_err(|reason| FetchError::BadUrl {
        url: next.to_string(),
        reason: format!("redirect from {current}: {reason}"),
    })?;
    Ok(next)
}

fn is_followed_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

fn without_fragment(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.into()
}

/// `host:port`, the key of the per-host limit.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

fn conditional_headers(validators: &Validators) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let pairs = [
        (header::IF_NONE_MATCH, &validators.etag),
        (header::IF_MODIFIED_SINCE, &validators.last_modified),
    ];
    for (name, value) in pairs {
        let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        match HeaderValue::from_str(value) {
            Ok(v) => {
                headers.insert(name, v);
            }
            Err(_) => {
                tracing::debug!(stage = "fetch", header = %name, "validator is not a valid header value; not sent");
            }
        }
    }
    headers
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    let value = headers.get(name)?;
    let text = String::from_utf8_lossy(value.as_bytes()).trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn build_response(
    url: &Url,
    status: StatusCode,
    headers: &HeaderMap,
    body: Bytes,
    redirected: bool,
) -> FetchResponse {
    FetchResponse {
        final_url: url.to_string(),
        status: status.as_u16(),
        not_modified: status == StatusCode::NOT_MODIFIED,
        etag: header_string(headers, header::ETAG),
        last_modified: header_string(headers, header::LAST_MODIFIED),
        content_type: header_string(headers, header::CONTENT_TYPE),
        content_language: header_string(headers, header::CONTENT_LANGUAGE),
        cache_control: header_string(headers, header::CACHE_CONTROL),
        expires: header_string(headers, header::EXPIRES),
        date: header_string(headers, header::DATE),
        retry_after: header_string(headers, header::RETRY_AFTER),
        permanent_redirect: None,
        body,
        redirected,
    }
}

/// Maps a reqwest failure: refused address → Forbidden, timeout → Timeout, else Transport.
fn transport_error(url: &Url, err: reqwest::Error) -> FetchError {
    let url_text = url.to_string();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<AddressRefused>() {
            tracing::warn!(stage = "fetch", url = %url, reason = %refused, "address refused");
            return FetchError::Forbidden {
                url: url_text,
                reason: refused.to_string(),
            };
        }
        source = e.source();
    }
    if err.is_timeout() {
        tracing::info!(stage = "fetch", url = %url, "timed out");
        return FetchError::Timeout { url: url_text };
    }
    let message = flatten_chain(&err.without_url());
    tracing::info!(stage = "fetch", url = %url, error = %message, "transport error");
    FetchError::Transport {
        url: url_text,
        message,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_accepted() {
        assert!(parse_url("https://example.org/feed").is_ok());
        for bad in [
            "file:///etc/passwd",
            "ftp://example.org/",
            "javascript:alert(1)",
            "nope",
            "http://",
        ] {
            assert!(
                matches!(parse_url(bad), Err(FetchError::BadUrl { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn conditional_headers_skip_blank_and_invalid() {
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: Some("bad\nvalue".into()),
        };
        let h = conditional_headers(&v);
        assert_eq!(h.get(header::IF_NONE_MATCH).unwrap(), "\"abc\"");
        assert!(h.get(header::IF_MODIFIED_SINCE).is_none());
        assert!(conditional_headers(&Validators::none()).is_empty());
    }

    #[test]
    fn host_key_includes_default_port() {
        let u = Url::parse("https://Example.org/x").unwrap();
        assert_eq!(host_key(&u), "example.org:443");
    }
}

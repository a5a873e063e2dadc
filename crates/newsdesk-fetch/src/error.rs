//! Why a fetch failed. Every message is human-readable and names the URL.

/// A failed fetch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL could not be parsed, or its scheme is not http/https.
    #[error("fetch: bad URL {url:?}: {reason}")]
    BadUrl {
        /// The URL as given (or as redirected to).
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The SSRF guard refused the address the URL points to.
    #[error("fetch: {reason} for {url}; set allow_private_addresses = true to allow")]
    Forbidden {
        /// The URL whose address was refused.
        url: String,
        /// Which address was refused and why, e.g.
        /// `refusing to connect to loopback address 127.0.0.1`.
        reason: String,
    },
    /// robots.txt of the URL's origin disallows it for our user agent.
    #[error("fetch: robots.txt disallows {url}")]
    RobotsDisallowed {
        /// The disallowed URL.
        url: String,
    },
    /// The server answered with a status other than 2xx and 304.
    #[error("fetch: HTTP {status} for {url}")]
    Status {
        /// The URL that answered (after redirects).
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The `Retry-After` header (seconds or an HTTP date), as sent, e.g. with 429 or 503.
        retry_after: Option<String>,
    },
    /// The body (after decompression) is larger than the configured limit.
    #[error("fetch: body larger than {limit} bytes for {url}")]
    TooLarge {
        /// The URL whose body was refused.
        url: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// More redirects than allowed, or a redirect loop.
    #[error("fetch: too many redirects or a redirect loop for {url}")]
    TooManyRedirects {
        /// The URL that started the chain.
        url: String,
    },
    /// Connecting or the whole request took too long.
    #[error("fetch: timed out fetching {url}")]
    Timeout {
        /// The URL that timed out.
        url: String,
    },
    /// Any other network or protocol failure (DNS, TLS, connection reset, bad encoding…).
    #[error("fetch: {message} (fetching {url})")]
    Transport {
        /// The URL being fetched.
        url: String,
        /// The error chain, flattened.
        message: String,
    },
    /// The HTTP client could not be built from the configuration.
    #[error("fetch: invalid configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

impl FetchError {
    /// The URL the error is about (`None` for [`FetchError::Config`]).
    pub fn url(&self) -> Option<&str> {
        match self {
            FetchError::BadUrl { url, .. }
            | FetchError::Forbidden { url, .. }
            | FetchError::RobotsDisallowed { url }
            | FetchError::Status { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::TooManyRedirects { url }
            | FetchError::Timeout { url }
            | FetchError::Transport { url, .. } => Some(url),
            FetchError::Config { .. } => None,
        }
    }

    /// The HTTP status, for [`FetchError::Status`].
    pub fn http_status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `Retry-After` header sent with a [`FetchError::Status`] answer, if any.
    pub fn retry_after(&self) -> Option<&str> {
        match self {
            FetchError::Status { retry_after, .. } => retry_after.as_deref(),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: timeouts, transport failures, 408, 429 and 5xx.
    /// Bad URLs, refusals, 4xx, oversize bodies and redirect loops are permanent until the source
    /// changes.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Transport { .. } => true,
            FetchError::Status { status, .. } => matches!(status, 408 | 429 | 500..=599),
            _ => false,
        }
    }
}

/// Flattens an error and its sources into one line, skipping repeated parts.
pub(crate) fn flatten_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_url_and_limit() {
        let e = FetchError::TooLarge {
            url: "https://example.org/big".into(),
            limit: 10_485_760,
        };
        assert_eq!(
            e.to_string(),
            "fetch: body larger than 10485760 bytes for https://example.org/big"
        );
        assert_eq!(e.url(), Some("https://example.org/big"));
        assert!(!e.is_transient());
        let s = FetchError::Status {
            url: "https://example.org/x".into(),
            status: 503,
            retry_after: Some("120".into()),
        };
        assert_eq!(s.retry_after(), Some("120"));
        assert_eq!(s.http_status(), Some(503));
        assert!(s.is_transient());
    }

    #[test]
    fn chain_is_flattened_without_repeats() {
        let inner = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        #[derive(Debug, thiserror::Error)]
        #[error("connection failed")]
        struct Outer(#[source] std::io::Error);
        let msg = flatten_chain(&Outer(inner));
        assert_eq!(msg, "connection failed: reset by peer");
    }
}

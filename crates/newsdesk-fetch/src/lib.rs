//! newsdesk-fetch: the only stage that touches the network.
//!
//! It performs polite HTTP GETs and returns raw bytes and headers. It does **not** decode
//! charsets, parse feeds or extract articles (newsdesk-text, newsdesk-feeds and newsdesk-extract
//! do), nor decide when to fetch (the scheduler does).
//!
//! * [`Fetcher`]: one HTTP client (reqwest + rustls/ring) with conditional GET ([`Validators`] →
//!   `If-None-Match` / `If-Modified-Since`), gzip/brotli decoding, a body limit enforced after
//!   decompression while streaming, at most `max_redirects` redirects (loops refused), at most
//!   `max_connections_per_host` requests in flight per host (default 1) with a `per_host_delay`
//!   between them, shared by feeds, pages and robots.txt, robots.txt for article pages
//!   ([`Fetcher::get_page`]), and an SSRF guard that refuses loopback, private, link-local and
//!   other non-public addresses after DNS resolution, on every redirect hop. Optional resolver
//!   overrides (`resolve_overrides`) map host names to fixed addresses for benchmarks.
//! * [`FetchConfig`]: the settings, deserialisable from TOML.
//! * [`FetchResponse`]: what came back; [`FetchError`]: why it did not.
//!
//! ```
//! use newsdesk_fetch::{FetchConfig, FetchError, Fetcher, Validators};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let fetcher = Fetcher::new(FetchConfig::default()).unwrap();
//! // The SSRF guard refuses the cloud metadata address before any connection is made.
//! let err = fetcher
//!     .get("http://169.254.169.254/latest/meta-data/", &Validators::none())
//!     .await
//!     .unwrap_err();
//! assert!(matches!(err, FetchError::Forbidden { .. }));
//! assert!(err.to_string().contains("link-local address 169.254.169.254"));
//! # });
//! ```

mod address_guard;
mod config;
mod error;
mod fetcher;
mod host_limit;
mod response;
mod robots;

pub use config::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES, DEFAULT_PER_HOST_DELAY, DEFAULT_TIMEOUT,
    FetchConfig,
};
pub use error::FetchError;
pub use fetcher::Fetcher;
pub use response::{FetchResponse, Validators};

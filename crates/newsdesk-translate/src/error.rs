//! Errors of the translation stage.

use std::time::Duration;

/// Everything that can go wrong while translating.
#[derive(Debug, thiserror::Error)]
pub enum TranslateError {
    /// The configuration is inconsistent (unknown backend kind, missing URL, bad pivot…).
    #[error("newsdesk-translate: invalid configuration: {0}")]
    Config(String),
    /// No backend, directly or through a pivot, translates this pair.
    #[error("newsdesk-translate: no route from {from} to {to} (configured pairs: {known})")]
    NoRoute {
        /// Source language.
        from: String,
        /// Target language.
        to: String,
        /// The pairs the configured backends offer, for the message.
        known: String,
    },
    /// The backend does not offer this pair.
    #[error("newsdesk-translate: backend {backend} does not translate {from}→{to}")]
    UnsupportedPair {
        /// Backend name.
        backend: String,
        /// Source language.
        from: String,
        /// Target language.
        to: String,
    },
    /// The backend's program could not be run (e.g. `apertium` not installed).
    #[error("newsdesk-translate: backend {backend}: cannot run {program}: {source}")]
    Spawn {
        /// Backend name.
        backend: String,
        /// The program.
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// The backend's program failed.
    #[error("newsdesk-translate: backend {backend}: {program} failed ({status}): {stderr}")]
    Program {
        /// Backend name.
        backend: String,
        /// The program.
        program: String,
        /// Exit status.
        status: String,
        /// Start of its standard error.
        stderr: String,
    },
    /// The HTTP request could not be made or its answer read.
    #[error("newsdesk-translate: backend {backend}: request to {url} failed: {message}")]
    Http {
        /// Backend name.
        backend: String,
        /// Endpoint URL.
        url: String,
        /// Why.
        message: String,
    },
    /// The service answered with an error status.
    #[error("newsdesk-translate: backend {backend}: {url} answered {status}: {message}")]
    Service {
        /// Backend name.
        backend: String,
        /// Endpoint URL.
        url: String,
        /// HTTP status.
        status: u16,
        /// The service's error message.
        message: String,
    },
    /// The service said to slow down (HTTP 429, or DeepL's 529).
    #[error(
        "newsdesk-translate: backend {backend}: rate limited by {url} (retry after {retry_after:?})"
    )]
    RateLimited {
        /// Backend name.
        backend: String,
        /// Endpoint URL.
        url: String,
        /// What the service asked for (Retry-After), if anything.
        retry_after: Option<Duration>,
    },
    /// The service's quota is used up (DeepL's 456, OpenAI's `insufficient_quota`).
    #[error("newsdesk-translate: backend {backend}: quota exceeded at {url}: {message}")]
    QuotaExceeded {
        /// Backend name.
        backend: String,
        /// Endpoint URL.
        url: String,
        /// The service's message.
        message: String,
    },
    /// The answer does not have the documented shape.
    #[error("newsdesk-translate: backend {backend}: unexpected answer from {url}: {message}")]
    BadAnswer {
        /// Backend name.
        backend: String,
        /// Endpoint URL or program.
        url: String,
        /// What was wrong.
        message: String,
    },
    /// The configured daily character budget would be exceeded.
    #[error(
        "newsdesk-translate: backend {backend}: daily budget of {budget} characters reached ({used} used, {wanted} more asked)"
    )]
    BudgetExceeded {
        /// Backend name.
        backend: String,
        /// Configured budget.
        budget: u64,
        /// Characters already used today.
        used: u64,
        /// Characters this call needed.
        wanted: u64,
    },
    /// A call took longer than the configured timeout.
    #[error("newsdesk-translate: backend {backend}: timed out after {after:?}")]
    Timeout {
        /// Backend name.
        backend: String,
        /// The timeout.
        after: Duration,
    },
    /// The translation cache failed.
    #[error("newsdesk-translate: {0}")]
    Cache(#[from] newsdesk_core::TranslationCacheError),
}

impl TranslateError {
    /// Whether trying again later may succeed (rate limits, timeouts, 5xx, network errors).
    pub fn is_transient(&self) -> bool {
        match self {
            TranslateError::RateLimited { .. }
            | TranslateError::Timeout { .. }
            | TranslateError::Http { .. } => true,
            TranslateError::Service { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

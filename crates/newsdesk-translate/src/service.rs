//! The HTTP side shared by the external services: JSON requests, and their error and
//! rate-limit answers mapped onto [`TranslateError`].

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use crate::error::TranslateError;

/// Largest answer read from a translation service.
const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// An HTTP client for one backend.
#[derive(Debug, Clone)]
pub struct HttpService {
    backend: String,
    client: reqwest::Client,
    timeout: Duration,
}

impl HttpService {
    /// A client for `backend` with a whole-request timeout.
    pub fn new(backend: &str, timeout: Duration) -> Result<HttpService, TranslateError> {
        // reqwest is built with rustls but no default crypto provider: make sure one is there
        // (installing twice is a harmless no-op).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("newsdesk-translate/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TranslateError::Config(format!("backend {backend}: HTTP client: {e}")))?;
        Ok(HttpService {
            backend: backend.to_string(),
            client,
            timeout,
        })
    }

    /// `GET url`, answer parsed as JSON.
    pub async fn get_json(&self, url: &str) -> Result<Value, TranslateError> {
        let req = self.client.get(url);
        self.send(url, req).await
    }

    /// `POST url` with `body` of `content_type` and extra headers, answer parsed as JSON.
    pub async fn post(
        &self,
        url: &str,
        content_type: &str,
        body: String,
        headers: &[(&str, String)],
    ) -> Result<Value, TranslateError> {
        let mut req = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        self.send(url, req).await
    }

    async fn send(&self, url: &str, req: reqwest::RequestBuilder) -> Result<Value, TranslateError> {
        let resp = req.send().await.map_err(|e| self.transport(url, e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| self.transport(url, e))?;
        let text =
            String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_ANSWER_BYTES)]).into_owned();
        if !(200..300).contains(&status) {
            return Err(classify(&self.backend, url, status, &headers, &text));
        }
        serde_json::from_str(&text).map_err(|e| TranslateError::BadAnswer {
            backend: self.backend.clone(),
            url: url.to_string(),
            message: format!("invalid JSON: {e}"),
        })
    }

    fn transport(&self, url: &str, e: reqwest::Error) -> TranslateError {
        if e.is_timeout() {
            TranslateError::Timeout {
                backend: self.backend.clone(),
                after: self.timeout,
            }
        } else {
            TranslateError::Http {
                backend: self.backend.clone(),
                url: url.to_string(),
                message: e.to_string(),
            }
        }
    }
}

/// Maps an error answer onto an error: 429 (and DeepL's 529) are rate limits with their
/// Retry-After, DeepL's 456 and OpenAI's `insufficient_quota` are exhausted quotas, anything
/// else is a service error carrying the service's own message.
pub fn classify(
    backend: &str,
    url: &str,
    status: u16,
    headers: &HeaderMap,
    body: &str,
) -> TranslateError {
    let json: Option<Value> = serde_json::from_str(body).ok();
    let message = json
        .as_ref()
        .and_then(|j| {
            j.pointer("/error/message")
                .or_else(|| j.get("error").filter(|e| e.is_string()))
                .or_else(|| j.get("message"))
                .or_else(|| j.get("detail"))
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| body.chars().take(200).collect());
    let code = json
        .as_ref()
        .and_then(|j| {
            j.pointer("/error/code")
                .or_else(|| j.pointer("/error/type"))
        })
        .and_then(|c| c.as_str())
        .unwrap_or("");
    if status == 456 || code == "insufficient_quota" {
        return TranslateError::QuotaExceeded {
            backend: backend.to_string(),
            url: url.to_string(),
            message,
        };
    }
    if status == 429 || status == 529 {
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        return TranslateError::RateLimited {
            backend: backend.to_string(),
            url: url.to_string(),
            retry_after,
        };
    }
    TranslateError::Service {
        backend: backend.to_string(),
        url: url.to_string(),
        status,
        message,
    }
}

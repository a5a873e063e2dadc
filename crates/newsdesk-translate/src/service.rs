//! The HTTP side shared by the external services (LibreTranslate, DeepL, OpenAI-compatible,
//! Apertium-APy): the client ([`HttpService`]: timeout, User-Agent, TLS provider), the base URL
//! check, the answer check (status, error bodies and rate limits mapped onto
//! [`TranslateError`] by [`classify`], JSON parsing) and, for the JSON translation APIs, one
//! endpoint ([`HttpEndpoint`]) that also checks the shape of the translations answered. Each
//! of those backends implements [`JsonApi`], its protocol alone (the request for a batch, where
//! the translations are in the answer), and is a [`Backend`] through it.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use crate::backend::{Backend, BoxFuture, LangPair};
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

/// Checks a service's base URL (an absolute `http` or `https` URL with a host) and returns it
/// without its trailing slashes, ready for an endpoint path to be appended.
pub(crate) fn base_url(backend: &str, base: &str) -> Result<String, TranslateError> {
    let bad =
        |why: String| TranslateError::Config(format!("backend {backend}: url {base:?} {why}"));
    let parsed = url::Url::parse(base.trim()).map_err(|e| bad(format!("is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(format!(
            "is not an http or https URL (scheme {})",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host".to_string()));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("must not have a query or a fragment".to_string()));
    }
    Ok(base.trim().trim_end_matches('/').to_string())
}

/// One JSON endpoint of a translation service, as a backend holds it: its name, the endpoint
/// URL (base URL checked), the pairs it offers and the client. Only this crate builds one.
#[derive(Debug, Clone)]
pub struct HttpEndpoint {
    /// Backend name.
    pub(crate) name: String,
    /// The endpoint's URL.
    pub(crate) url: String,
    /// The pairs the backend offers.
    pub(crate) pairs: Vec<LangPair>,
    http: HttpService,
}

impl HttpEndpoint {
    /// The endpoint `path` (e.g. `/translate`) under `base` (checked by [`base_url`]), with a
    /// client whose requests time out after `timeout`.
    pub(crate) fn new(
        name: &str,
        base: &str,
        path: &str,
        pairs: Vec<LangPair>,
        timeout: Duration,
    ) -> Result<HttpEndpoint, TranslateError> {
        let base = base_url(name, base)?;
        Ok(HttpEndpoint {
            name: name.to_string(),
            url: format!("{base}{path}"),
            pairs,
            http: HttpService::new(name, timeout)?,
        })
    }

    /// `POST`s `body` as JSON with extra headers; the answer's JSON (error statuses mapped by
    /// [`classify`], a non-JSON answer is a [`TranslateError::BadAnswer`]).
    pub(crate) async fn post_json(
        &self,
        body: &Value,
        headers: &[(&str, String)],
    ) -> Result<Value, TranslateError> {
        self.http
            .post(&self.url, "application/json", body.to_string(), headers)
            .await
    }

    /// An answer without the protocol's shape.
    pub(crate) fn bad_answer(&self, message: impl Into<String>) -> TranslateError {
        TranslateError::BadAnswer {
            backend: self.name.clone(),
            url: self.url.clone(),
            message: message.into(),
        }
    }

    /// The array at `pointer` (JSON Pointer) in an answer.
    pub(crate) fn array<'v>(
        &self,
        answer: &'v Value,
        pointer: &str,
    ) -> Result<&'v [Value], TranslateError> {
        answer
            .pointer(pointer)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .ok_or_else(|| self.bad_answer(format!("no array at {pointer}")))
    }

    /// The translations of `segments` segments: every item a string (`None` is an item
    /// without one), exactly one per segment.
    pub(crate) fn translations<'v>(
        &self,
        items: impl IntoIterator<Item = Option<&'v str>>,
        segments: usize,
    ) -> Result<Vec<String>, TranslateError> {
        let out: Vec<String> = items
            .into_iter()
            .map(|t| t.map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| self.bad_answer("a translation that is not a string"))?;
        if out.len() != segments {
            return Err(self.bad_answer(format!(
                "{} translations for {segments} segments",
                out.len()
            )));
        }
        Ok(out)
    }
}

/// One request to a JSON translation API: the body and the headers the protocol adds.
#[derive(Debug, Clone)]
pub struct JsonRequest {
    /// The JSON body.
    pub body: Value,
    /// Extra headers (authorization).
    pub headers: Vec<(&'static str, String)>,
}

/// A translation API that takes a batch in one JSON `POST` and answers the translations in
/// JSON (LibreTranslate, DeepL, OpenAI-compatible chat): what differs between them. Every
/// `JsonApi` is a [`Backend`]: the call, the error answers and the checks are shared.
pub trait JsonApi: Send + Sync {
    /// The endpoint (name, URL, pairs, client).
    fn endpoint(&self) -> &HttpEndpoint;
    /// The request for a batch of segments from `from` to `to`.
    fn request(&self, segments: &[String], from: &str, to: &str) -> JsonRequest;
    /// The translations in a (successful, JSON) answer to a batch of `segments` segments:
    /// exactly one string per segment (see [`HttpEndpoint::translations`]).
    fn translations(&self, answer: &Value, segments: usize) -> Result<Vec<String>, TranslateError>;
}

impl<T: JsonApi> Backend for T {
    fn name(&self) -> &str {
        &self.endpoint().name
    }

    fn pairs(&self) -> Vec<LangPair> {
        self.endpoint().pairs.clone()
    }

    fn translate<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, TranslateError>> {
        Box::pin(async move {
            let request = self.request(segments, from, to);
            let answer = self
                .endpoint()
                .post_json(&request.body, &request.headers)
                .await?;
            self.translations(&answer, segments.len())
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(
            base_url("libre", "http://127.0.0.1:5000/").unwrap(),
            "http://127.0.0.1:5000"
        );
        assert_eq!(
            base_url("deepl", " https://api-free.deepl.com ").unwrap(),
            "https://api-free.deepl.com"
        );
        for bad in [
            "127.0.0.1:5000",
            "localhost",
            "ftp://example.org",
            "file:///tmp/x",
            "http://",
            "http://example.org/?key=1",
            "",
        ] {
            let e = base_url("libre", bad).unwrap_err();
            assert!(matches!(e, TranslateError::Config(_)), "{bad:?}: {e}");
            assert!(e.to_string().contains("backend libre: url"), "{e}");
        }
    }

    #[test]
    fn translations_must_be_strings_one_per_segment() {
        let ep = HttpEndpoint::new(
            "libre",
            "http://127.0.0.1:9",
            "/translate",
            Vec::new(),
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(ep.url, "http://127.0.0.1:9/translate");
        let answer = serde_json::json!({"t": ["a", "b"], "n": [1, 2]});
        let list = ep.array(&answer, "/t").unwrap();
        assert_eq!(
            ep.translations(list.iter().map(Value::as_str), 2).unwrap(),
            ["a", "b"]
        );
        let short = ep
            .translations(list.iter().map(Value::as_str), 3)
            .unwrap_err();
        assert!(
            short.to_string().contains("2 translations for 3 segments"),
            "{short}"
        );
        let numbers = ep.array(&answer, "/n").unwrap();
        let e = ep
            .translations(numbers.iter().map(Value::as_str), 2)
            .unwrap_err();
        assert!(matches!(e, TranslateError::BadAnswer { .. }), "{e}");
        let e = ep.array(&answer, "/missing").unwrap_err();
        assert!(e.to_string().contains("no array at /missing"), "{e}");
    }
}

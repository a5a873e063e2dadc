//! LibreTranslate: `POST /translate` with `{"q": [...], "source", "target", "format": "text",
//! "api_key"}`, answered by `{"translatedText": [...]}` (an array when `q` is one), errors as
//! `{"error": "..."}` with 400/403/429/500.

use std::time::Duration;

use serde_json::{Value, json};

use crate::backend::{Backend, BoxFuture, LangPair};
use crate::error::TranslateError;
use crate::service::HttpEndpoint;

/// A LibreTranslate server.
#[derive(Debug, Clone)]
pub struct LibreTranslate {
    endpoint: HttpEndpoint,
    api_key: Option<String>,
}

impl LibreTranslate {
    /// A server at `base` (e.g. `http://127.0.0.1:5000`) offering `pairs`.
    pub fn new(
        name: &str,
        base: &str,
        api_key: Option<String>,
        pairs: Vec<LangPair>,
        timeout: Duration,
    ) -> Result<LibreTranslate, TranslateError> {
        Ok(LibreTranslate {
            endpoint: HttpEndpoint::new(name, base, "/translate", pairs, timeout)?,
            api_key,
        })
    }
}

impl Backend for LibreTranslate {
    fn name(&self) -> &str {
        &self.endpoint.name
    }

    fn pairs(&self) -> Vec<LangPair> {
        self.endpoint.pairs.clone()
    }

    fn translate<'a>(
        &'a self,
        segments: &'a [String],
        from: &'a str,
        to: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, TranslateError>> {
        Box::pin(async move {
            let mut body = json!({"q": segments, "source": from, "target": to, "format": "text"});
            if let Some(k) = &self.api_key {
                body["api_key"] = json!(k);
            }
            let answer = self.endpoint.post_json(&body, &[]).await?;
            let list = self.endpoint.array(&answer, "/translatedText")?;
            self.endpoint
                .translations(list.iter().map(Value::as_str), segments.len())
        })
    }
}

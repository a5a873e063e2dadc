//! LibreTranslate: `POST /translate` with `{"q": [...], "source", "target", "format": "text",
//! "api_key"}`, answered by `{"translatedText": [...]}` (an array when `q` is one), errors as
//! `{"error": "..."}` with 400/403/429/500.

use std::time::Duration;

use serde_json::{Value, json};

use crate::backend::LangPair;
use crate::error::TranslateError;
use crate::service::{HttpEndpoint, JsonApi, JsonRequest};

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

impl JsonApi for LibreTranslate {
    fn endpoint(&self) -> &HttpEndpoint {
        &self.endpoint
    }

    fn request(&self, segments: &[String], from: &str, to: &str) -> JsonRequest {
        let mut body = json!({"q": segments, "source": from, "target": to, "format": "text"});
        if let Some(k) = &self.api_key {
            body["api_key"] = json!(k);
        }
        JsonRequest {
            body,
            headers: Vec::new(),
        }
    }

    fn translations(&self, answer: &Value, segments: usize) -> Result<Vec<String>, TranslateError> {
        let list = self.endpoint.array(answer, "/translatedText")?;
        self.endpoint
            .translations(list.iter().map(Value::as_str), segments)
    }
}

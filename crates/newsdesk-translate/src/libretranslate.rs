//! LibreTranslate: `POST /translate` with `{"q": [...], "source", "target", "format": "text",
//! "api_key"}`, answered by `{"translatedText": [...]}` (an array when `q` is one), errors as
//! `{"error": "..."}` with 400/403/429/500.

use std::time::Duration;

use serde_json::json;

use crate::backend::{Backend, BoxFuture, LangPair};
use crate::error::TranslateError;
use crate::service::HttpService;

/// A LibreTranslate server.
#[derive(Debug, Clone)]
pub struct LibreTranslate {
    name: String,
    url: String,
    api_key: Option<String>,
    pairs: Vec<LangPair>,
    http: HttpService,
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
            name: name.to_string(),
            url: format!("{}/translate", base.trim_end_matches('/')),
            api_key,
            pairs,
            http: HttpService::new(name, timeout)?,
        })
    }
}

impl Backend for LibreTranslate {
    fn name(&self) -> &str {
        &self.name
    }

    fn pairs(&self) -> Vec<LangPair> {
        self.pairs.clone()
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
            let v = self
                .http
                .post(&self.url, "application/json", body.to_string(), &[])
                .await?;
            let bad = |message: &str| TranslateError::BadAnswer {
                backend: self.name.clone(),
                url: self.url.clone(),
                message: message.to_string(),
            };
            let list = v
                .get("translatedText")
                .and_then(|t| t.as_array())
                .ok_or_else(|| bad("no translatedText array"))?;
            let out: Vec<String> = list
                .iter()
                .map(|t| t.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| bad("translatedText holds a non-string"))?;
            if out.len() != segments.len() {
                return Err(bad(&format!(
                    "{} translations for {} segments",
                    out.len(),
                    segments.len()
                )));
            }
            Ok(out)
        })
    }
}

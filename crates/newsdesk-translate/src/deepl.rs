//! DeepL API v2: `POST /v2/translate` with `Authorization: DeepL-Auth-Key KEY` and
//! `{"text": [...], "source_lang": "EN", "target_lang": "FR"}`, answered by
//! `{"translations": [{"detected_source_language", "text"}]}`. 403 is a bad key, 456 an
//! exhausted quota, 429 too many requests.

use std::time::Duration;

use serde_json::json;

use crate::backend::{Backend, BoxFuture, LangPair};
use crate::error::TranslateError;
use crate::service::HttpService;

/// The DeepL API (free or pro endpoint).
#[derive(Debug, Clone)]
pub struct DeepL {
    name: String,
    url: String,
    api_key: String,
    pairs: Vec<LangPair>,
    http: HttpService,
}

/// DeepL's target code: English and Portuguese need a variant.
fn target_code(lang: &str) -> String {
    match lang {
        "en" => "EN-GB".to_string(),
        "pt" => "PT-PT".to_string(),
        other => other.to_ascii_uppercase(),
    }
}

impl DeepL {
    /// The API at `base` (`https://api-free.deepl.com` or `https://api.deepl.com`).
    pub fn new(
        name: &str,
        base: &str,
        api_key: String,
        pairs: Vec<LangPair>,
        timeout: Duration,
    ) -> Result<DeepL, TranslateError> {
        Ok(DeepL {
            name: name.to_string(),
            url: format!("{}/v2/translate", base.trim_end_matches('/')),
            api_key,
            pairs,
            http: HttpService::new(name, timeout)?,
        })
    }
}

impl Backend for DeepL {
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
            let body = json!({
                "text": segments,
                "source_lang": from.to_ascii_uppercase(),
                "target_lang": target_code(to),
                "preserve_formatting": true,
            });
            let auth = format!("DeepL-Auth-Key {}", self.api_key);
            let v = self
                .http
                .post(
                    &self.url,
                    "application/json",
                    body.to_string(),
                    &[("Authorization", auth)],
                )
                .await?;
            let bad = |message: String| TranslateError::BadAnswer {
                backend: self.name.clone(),
                url: self.url.clone(),
                message,
            };
            let list = v
                .get("translations")
                .and_then(|t| t.as_array())
                .ok_or_else(|| bad("no translations array".to_string()))?;
            let out: Vec<String> = list
                .iter()
                .map(|t| t.get("text").and_then(|x| x.as_str()).map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| bad("a translation without text".to_string()))?;
            if out.len() != segments.len() {
                return Err(bad(format!(
                    "{} translations for {} segments",
                    out.len(),
                    segments.len()
                )));
            }
            Ok(out)
        })
    }
}

//! DeepL API v2: `POST /v2/translate` with `Authorization: DeepL-Auth-Key KEY` and
//! `{"text": [...], "source_lang": "EN", "target_lang": "FR"}`, answered by
//! `{"translations": [{"detected_source_language", "text"}]}`. 403 is a bad key, 456 an
//! exhausted quota, 429 too many requests.

use std::time::Duration;

use serde_json::{Value, json};

use crate::backend::LangPair;
use crate::error::TranslateError;
use crate::service::{HttpEndpoint, JsonApi, JsonRequest};

/// The DeepL API (free or pro endpoint).
#[derive(Debug, Clone)]
pub struct DeepL {
    endpoint: HttpEndpoint,
    api_key: String,
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
            endpoint: HttpEndpoint::new(name, base, "/v2/translate", pairs, timeout)?,
            api_key,
        })
    }
}

impl JsonApi for DeepL {
    fn endpoint(&self) -> &HttpEndpoint {
        &self.endpoint
    }

    fn request(&self, segments: &[String], from: &str, to: &str) -> JsonRequest {
        let body = json!({
            "text": segments,
            "source_lang": from.to_ascii_uppercase(),
            "target_lang": target_code(to),
            "preserve_formatting": true,
        });
        let auth = format!("DeepL-Auth-Key {}", self.api_key);
        JsonRequest {
            body,
            headers: vec![("Authorization", auth)],
        }
    }

    fn translations(&self, answer: &Value, segments: usize) -> Result<Vec<String>, TranslateError> {
        let list = self.endpoint.array(answer, "/translations")?;
        self.endpoint.translations(
            list.iter().map(|t| t.get("text").and_then(Value::as_str)),
            segments,
        )
    }
}

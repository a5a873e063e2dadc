//! Any OpenAI-compatible chat-completions endpoint (OpenAI, llama.cpp's server, Ollama, vLLM):
//! `POST {base}/v1/chat/completions` with a model and messages, `Authorization: Bearer KEY` when
//! a key is set. The segments go as a JSON array of strings and the model must answer with a
//! JSON array of the same length (a ```json fence around it is tolerated).

use std::time::Duration;

use serde_json::{Value, json};

use crate::backend::LangPair;
use crate::error::TranslateError;
use crate::service::{HttpEndpoint, JsonApi, JsonRequest};

/// An OpenAI-compatible chat model used as a translator.
#[derive(Debug, Clone)]
pub struct OpenAiChat {
    endpoint: HttpEndpoint,
    api_key: Option<String>,
    model: String,
}

impl OpenAiChat {
    /// The endpoint at `base` (e.g. `http://127.0.0.1:8081` or `https://api.openai.com`; a base
    /// already ending in `/v1` is accepted) with `model`.
    pub fn new(
        name: &str,
        base: &str,
        api_key: Option<String>,
        model: &str,
        pairs: Vec<LangPair>,
        timeout: Duration,
    ) -> Result<OpenAiChat, TranslateError> {
        let trimmed = base.trim().trim_end_matches('/');
        let base = trimmed.strip_suffix("/v1").unwrap_or(base);
        Ok(OpenAiChat {
            endpoint: HttpEndpoint::new(name, base, "/v1/chat/completions", pairs, timeout)?,
            api_key,
            model: model.to_string(),
        })
    }
}

/// The instructions sent with every batch.
pub fn system_prompt(from: &str, to: &str) -> String {
    format!(
        "You are a professional news translator. Translate each string of the JSON array from \
         the language with ISO 639-1 code '{from}' to the language with code '{to}'. Keep every \
         placeholder like ZZ1ZZ exactly as it is, keep quotation marks balanced, keep numbers. \
         Answer with only a JSON array of strings, one translation per input string, same order."
    )
}

/// Finds the JSON array in a model's answer.
fn parse_array(content: &str) -> Option<Vec<Value>> {
    let start = content.find('[')?;
    let end = content.rfind(']')?;
    if end < start {
        return None;
    }
    match serde_json::from_str(&content[start..=end]).ok()? {
        Value::Array(items) => Some(items),
        _ => None,
    }
}

impl JsonApi for OpenAiChat {
    fn endpoint(&self) -> &HttpEndpoint {
        &self.endpoint
    }

    fn request(&self, segments: &[String], from: &str, to: &str) -> JsonRequest {
        // The segments as one JSON array of strings, in the user message.
        let user = Value::from(segments).to_string();
        let body = json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": system_prompt(from, to)},
                {"role": "user", "content": user},
            ],
        });
        let headers = self
            .api_key
            .iter()
            .map(|k| ("Authorization", format!("Bearer {k}")))
            .collect();
        JsonRequest { body, headers }
    }

    fn translations(&self, answer: &Value, segments: usize) -> Result<Vec<String>, TranslateError> {
        let content = answer
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .ok_or_else(|| self.endpoint.bad_answer("no choices[0].message.content"))?;
        let list = parse_array(content).ok_or_else(|| {
            self.endpoint
                .bad_answer("the model did not answer a JSON array")
        })?;
        self.endpoint
            .translations(list.iter().map(Value::as_str), segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_found_in_fenced_answers() {
        assert_eq!(
            parse_array("```json\n[\"a\", \"b\"]\n```"),
            Some(vec![Value::from("a"), Value::from("b")])
        );
        assert_eq!(parse_array("no array"), None);
        assert_eq!(parse_array("] then ["), None);
    }
}

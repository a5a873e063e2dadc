//! Any OpenAI-compatible chat-completions endpoint (OpenAI, llama.cpp's server, Ollama, vLLM):
//! `POST {base}/v1/chat/completions` with a model and messages, `Authorization: Bearer KEY` when
//! a key is set. The segments go as a JSON array of strings and the model must answer with a
//! JSON array of the same length (a ```json fence around it is tolerated).

use std::time::Duration;

use serde_json::{Value, json};

use crate::backend::{Backend, BoxFuture, LangPair};
use crate::error::TranslateError;
use crate::service::HttpService;

/// An OpenAI-compatible chat model used as a translator.
#[derive(Debug, Clone)]
pub struct OpenAiChat {
    name: String,
    url: String,
    api_key: Option<String>,
    model: String,
    pairs: Vec<LangPair>,
    http: HttpService,
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
        let base = base.trim_end_matches('/');
        let base = base.strip_suffix("/v1").unwrap_or(base);
        Ok(OpenAiChat {
            name: name.to_string(),
            url: format!("{base}/v1/chat/completions"),
            api_key,
            model: model.to_string(),
            pairs,
            http: HttpService::new(name, timeout)?,
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
fn parse_array(content: &str) -> Option<Vec<String>> {
    let start = content.find('[')?;
    let end = content.rfind(']')?;
    if end < start {
        return None;
    }
    let v: Value = serde_json::from_str(&content[start..=end]).ok()?;
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}

impl Backend for OpenAiChat {
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
            let user = serde_json::to_string(segments).map_err(|e| TranslateError::BadAnswer {
                backend: self.name.clone(),
                url: self.url.clone(),
                message: e.to_string(),
            })?;
            let body = json!({
                "model": self.model,
                "temperature": 0,
                "messages": [
                    {"role": "system", "content": system_prompt(from, to)},
                    {"role": "user", "content": user},
                ],
            });
            let headers: Vec<(&str, String)> = self
                .api_key
                .iter()
                .map(|k| ("Authorization", format!("Bearer {k}")))
                .collect();
            let v = self
                .http
                .post(&self.url, "application/json", body.to_string(), &headers)
                .await?;
            let bad = |message: String| TranslateError::BadAnswer {
                backend: self.name.clone(),
                url: self.url.clone(),
                message,
            };
            let content = v
                .pointer("/choices/0/message/content")
                .and_then(|c| c.as_str())
                .ok_or_else(|| bad("no choices[0].message.content".to_string()))?;
            let out = parse_array(content)
                .ok_or_else(|| bad("the model did not answer a JSON array".to_string()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_found_in_fenced_answers() {
        assert_eq!(
            parse_array("```json\n[\"a\", \"b\"]\n```"),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(parse_array("no array"), None);
        assert_eq!(parse_array("[1, 2]"), None);
    }
}

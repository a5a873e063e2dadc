//! The `[translate]` table of newsdesk.toml.
//!
//! ```toml
//! [translate]
//! pivots = ["en", "es"]          # languages tried as a relay when no backend has the pair
//! cache = "data/translations.db" # a database file of its own [default: newsdesk's database]
//!
//! [[translate.backends]]
//! kind = "apertium"              # apertium | apertium-apy | libretranslate | deepl | openai
//!
//! [[translate.backends]]
//! kind = "deepl"
//! url = "https://api-free.deepl.com"
//! api_key_env = "DEEPL_API_KEY"
//! pairs = ["en-de", "fr-de"]
//! requests_per_minute = 30
//! daily_char_budget = 50000
//!
//! [[translate.routes]]           # force a route: English to French through Spanish
//! from = "en"
//! to = "fr"
//! via = ["es"]
//! ```

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Which protocol a backend speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendKind {
    /// The local `apertium` command.
    Apertium,
    /// An Apertium-APy HTTP server.
    ApertiumApy,
    /// A LibreTranslate server.
    Libretranslate,
    /// The DeepL API v2.
    Deepl,
    /// An OpenAI-compatible chat-completions endpoint (OpenAI, llama.cpp, Ollama, vLLM).
    Openai,
}

impl BackendKind {
    /// The configuration name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Apertium => "apertium",
            BackendKind::ApertiumApy => "apertium-apy",
            BackendKind::Libretranslate => "libretranslate",
            BackendKind::Deepl => "deepl",
            BackendKind::Openai => "openai",
        }
    }
}

/// One `[[translate.backends]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackendConfig {
    /// Protocol.
    pub kind: BackendKind,
    /// Name in routes, cache keys and statistics [default: the kind].
    #[serde(default)]
    pub name: Option<String>,
    /// Base URL of the service (not for `apertium`).
    #[serde(default)]
    pub url: Option<String>,
    /// Environment variable holding the API key (never the key itself in the file).
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// Model name (`openai`).
    #[serde(default)]
    pub model: Option<String>,
    /// Pairs offered, `en-fr` or `*`; for Apertium the installed modes by default (and a
    /// filter on them when given).
    #[serde(default)]
    pub pairs: Vec<String>,
    /// At most this many calls a minute.
    #[serde(default)]
    pub requests_per_minute: Option<u32>,
    /// Retries of a failed call (rate limits, timeouts, 5xx, network), with exponential backoff.
    #[serde(default = "default_retries")]
    pub max_retries: u32,
    /// First backoff delay, milliseconds (doubled at each retry).
    #[serde(default = "default_retry_base_ms")]
    pub retry_base_ms: u64,
    /// Longest wait accepted before a retry, seconds (a longer Retry-After gives up).
    #[serde(default = "default_retry_max_secs")]
    pub retry_max_secs: u64,
    /// Characters a day sent to this backend, at most (cache hits are free).
    #[serde(default)]
    pub daily_char_budget: Option<u64>,
    /// Timeout of one call, seconds.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Apertium modes directory [default: /usr/share/apertium/modes].
    #[serde(default)]
    pub modes_dir: Option<PathBuf>,
    /// Segments per call, at most [default: 400 for Apertium (one start-up per call), 100 for
    /// Apertium-APy, 50 for LibreTranslate and DeepL (DeepL's own limit), 20 for a chat model].
    #[serde(default)]
    pub batch_size: Option<usize>,
}

fn default_retries() -> u32 {
    3
}
fn default_retry_base_ms() -> u64 {
    500
}
fn default_retry_max_secs() -> u64 {
    30
}
fn default_timeout() -> u64 {
    60
}

impl BackendConfig {
    /// A backend of `kind` with every option at its default.
    pub fn new(kind: BackendKind) -> BackendConfig {
        BackendConfig {
            kind,
            name: None,
            url: None,
            api_key_env: None,
            model: None,
            pairs: Vec::new(),
            requests_per_minute: None,
            max_retries: default_retries(),
            retry_base_ms: default_retry_base_ms(),
            retry_max_secs: default_retry_max_secs(),
            daily_char_budget: None,
            timeout_secs: default_timeout(),
            modes_dir: None,
            batch_size: None,
        }
    }

    /// Segments per call: the configured value, else the kind's default.
    pub fn batch_size(&self) -> usize {
        self.batch_size
            .unwrap_or(match self.kind {
                BackendKind::Apertium => 400,
                BackendKind::ApertiumApy => 100,
                BackendKind::Libretranslate | BackendKind::Deepl => 50,
                BackendKind::Openai => 20,
            })
            .max(1)
    }

    /// The backend's name.
    pub fn name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.kind.as_str().to_string())
    }
}

/// One `[[translate.routes]]` entry: a forced route for a pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    /// Source language.
    pub from: String,
    /// Target language.
    pub to: String,
    /// Relay languages, in order (empty: direct).
    #[serde(default)]
    pub via: Vec<String>,
    /// Backend to use for every hop [default: the first that has the pair].
    #[serde(default)]
    pub backend: Option<String>,
}

/// The `[translate]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TranslateConfig {
    /// Backends, in order of preference.
    pub backends: Vec<BackendConfig>,
    /// Relay languages tried, in order, when no backend has a pair.
    pub pivots: Vec<String>,
    /// Forced routes.
    pub routes: Vec<RouteConfig>,
    /// A database file of its own for the cache (translations and usage counters), relative to
    /// the configuration's directory. When absent, newsdesk keeps them in its main database.
    /// newsdesk opens it with `newsdesk-store`; this crate does not (see
    /// `Translator::from_config`).
    pub cache: Option<PathBuf>,
    /// Prefix of a segment kept in its original language; `{lang}` is its language code.
    pub untranslated_marker: String,
    /// Smallest accepted length ratio translation/source.
    pub min_length_ratio: f64,
    /// Largest accepted length ratio translation/source.
    pub max_length_ratio: f64,
    /// Largest share of a segment's words that a leg out of a pivot language may leave in that
    /// language (words Apertium did not know); above it the segment is retried alone, then kept
    /// in the original language with the marker.
    pub max_pivot_leak_share: f64,
    /// On a pivot route, pass the first leg's unknown words and the names it copied through the
    /// next legs unchanged (`false` gives each leg the previous leg's text as it is).
    pub pivot_passthrough: bool,
}

impl Default for TranslateConfig {
    fn default() -> Self {
        TranslateConfig {
            backends: vec![BackendConfig::new(BackendKind::Apertium)],
            pivots: vec!["en".to_string(), "es".to_string()],
            routes: Vec::new(),
            cache: None,
            untranslated_marker: "[{lang}] ".to_string(),
            min_length_ratio: 0.5,
            max_length_ratio: 2.0,
            max_pivot_leak_share: 0.15,
            pivot_passthrough: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        #[derive(Deserialize)]
        struct File {
            translate: TranslateConfig,
        }
        let text = r#"
            [translate]
            pivots = ["en", "es"]
            cache = "data/translations.db"
            [[translate.backends]]
            kind = "apertium"
            [[translate.backends]]
            kind = "deepl"
            url = "https://api-free.deepl.com"
            api_key_env = "DEEPL_API_KEY"
            pairs = ["en-de", "fr-de"]
            requests_per_minute = 30
            daily_char_budget = 50000
            [[translate.routes]]
            from = "en"
            to = "fr"
            via = ["es"]
        "#;
        let f: File = toml_like(text);
        assert_eq!(f.translate.backends.len(), 2);
        assert_eq!(f.translate.backends[1].kind, BackendKind::Deepl);
        assert_eq!(f.translate.backends[1].max_retries, 3);
        assert_eq!(f.translate.routes[0].via, vec!["es"]);
        assert_eq!(f.translate.backends[0].batch_size, None);
    }

    fn toml_like<T: serde::de::DeserializeOwned>(s: &str) -> T {
        toml::from_str(s).unwrap()
    }
}

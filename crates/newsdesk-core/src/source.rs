//! News sources and what the fetcher remembers about them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::SourceProfile;

/// Row id of a source in the store.
pub type SourceId = i64;

/// A source to be added: one feed URL and an optional profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewSource {
    /// The feed URL (RSS 0.9x/1.0/2.0, Atom or JSON Feed).
    pub feed_url: String,
    /// The site's home page, when known.
    pub site_url: Option<String>,
    /// Display name; the feed's title is used when this is `None`.
    pub name: Option<String>,
    /// Declared language of the source (ISO 639-1, e.g. `fr`).
    pub language: Option<String>,
    /// Country (ISO 3166-1 alpha-2, e.g. `FR`).
    pub country: Option<String>,
}

impl NewSource {
    /// A source with only its feed URL.
    pub fn new(feed_url: impl Into<String>) -> Self {
        NewSource {
            feed_url: feed_url.into(),
            ..Default::default()
        }
    }
}

/// A stored source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Row id.
    pub id: SourceId,
    /// The feed URL that is fetched.
    pub feed_url: String,
    /// The site's home page, when known.
    pub site_url: Option<String>,
    /// Display name (the feed's title when none was given).
    pub name: String,
    /// Declared language (ISO 639-1): the primary one of [`Source::languages`].
    pub language: Option<String>,
    /// Every language it publishes in, `language` first (empty when none is known).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// When the source was added.
    pub created_at: DateTime<Utc>,
    /// Owner, typology, type and where each fact of the profile came from.
    #[serde(flatten)]
    pub profile: SourceProfile,
}

impl Source {
    /// Every language of the source joined with `", "`, the primary first (`fr, ar`); the
    /// declared `language` when the list is empty; `None` when neither is known.
    pub fn language_list(&self) -> Option<String> {
        if self.languages.is_empty() {
            self.language.clone()
        } else {
            Some(self.languages.join(", "))
        }
    }
}

/// Outcome of the last fetch of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchStatus {
    /// Never fetched yet.
    Never,
    /// The feed was fetched and parsed.
    Ok,
    /// The server answered 304 Not Modified to a conditional request.
    NotModified,
    /// The fetch or the parse failed; see [`FetchState::last_error`].
    Failed,
}

impl FetchStatus {
    /// Stable lowercase name, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchStatus::Never => "never",
            FetchStatus::Ok => "ok",
            FetchStatus::NotModified => "not_modified",
            FetchStatus::Failed => "failed",
        }
    }

    /// Parses [`FetchStatus::as_str`] back; unknown names read as `Never`.
    pub fn parse(s: &str) -> FetchStatus {
        match s {
            "ok" => FetchStatus::Ok,
            "not_modified" => FetchStatus::NotModified,
            "failed" => FetchStatus::Failed,
            _ => FetchStatus::Never,
        }
    }
}

/// What the fetcher remembers about a source between passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchState {
    /// The source.
    pub source_id: SourceId,
    /// `ETag` validator from the last 200 answer.
    pub etag: Option<String>,
    /// `Last-Modified` validator from the last 200 answer.
    pub last_modified: Option<String>,
    /// When the last fetch ended.
    pub last_fetch_at: Option<DateTime<Utc>>,
    /// Outcome of the last fetch.
    pub last_status: FetchStatus,
    /// Human-readable error of the last failed fetch (cleared on success).
    pub last_error: Option<String>,
    /// HTTP status of the last answer, if there was one.
    pub last_http_status: Option<u16>,
    /// Failures in a row (0 after a success).
    pub consecutive_failures: u32,
    /// When the source is next due (scheduler).
    pub next_fetch_at: Option<DateTime<Utc>>,
}

impl FetchState {
    /// The state of a source that was never fetched.
    pub fn never(source_id: SourceId) -> Self {
        FetchState {
            source_id,
            etag: None,
            last_modified: None,
            last_fetch_at: None,
            last_status: FetchStatus::Never,
            last_error: None,
            last_http_status: None,
            consecutive_failures: 0,
            next_fetch_at: None,
        }
    }
}

/// A source with its fetch state and article count, as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceWithStats {
    /// The source.
    #[serde(flatten)]
    pub source: Source,
    /// Its fetch state.
    pub fetch: FetchState,
    /// Number of stored articles.
    pub article_count: u64,
}

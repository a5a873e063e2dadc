//! The article as this stage sees it: id, language, date, title and plain text.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One article given to the stage. `text` has paragraphs (or sentences) separated by `\n`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Opaque, unique id.
    pub id: String,
    /// Language code as given (ISO 639-1 or a Wikipedia code).
    pub lang: String,
    /// Publication time; `None` when unknown (then arrival order is the only clock).
    #[serde(default)]
    pub date: Option<DateTime<Utc>>,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Plain text.
    #[serde(default)]
    pub text: String,
}

impl Document {
    /// A document from its parts.
    pub fn new(
        id: impl Into<String>,
        lang: impl Into<String>,
        date: Option<DateTime<Utc>>,
        title: impl Into<String>,
        text: impl Into<String>,
    ) -> Document {
        Document {
            id: id.into(),
            lang: lang.into(),
            date,
            title: title.into(),
            text: text.into(),
        }
    }
}

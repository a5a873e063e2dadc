//! Errors of the stories stage.

/// What can go wrong in `newsdesk-stories`.
#[derive(Debug, thiserror::Error)]
pub enum StoriesError {
    /// A line of a JSONL stream is not a valid document.
    #[error("newsdesk-stories: line {line} is not a valid document: {source}")]
    BadRecord {
        /// 1-based line number.
        line: usize,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// Reading or writing a stream failed.
    #[error("newsdesk-stories: i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A saved state could not be read or written.
    #[error("newsdesk-stories: state snapshot: {0}")]
    State(serde_json::Error),
}

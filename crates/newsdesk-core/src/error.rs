//! Errors for the shared types (parsing ids, cursors and language tags).

/// An error found while validating a shared value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CoreError {
    /// A pagination cursor could not be decoded.
    #[error("invalid cursor {0:?}: expected <unix-seconds>.<id>")]
    InvalidCursor(String),
    /// A language tag was not a 2–3 letter ISO 639 code.
    #[error("invalid language tag {0:?}: expected a 2 or 3 letter ISO 639 code such as \"fr\"")]
    InvalidLanguage(String),
}

/// Result alias for [`CoreError`].
pub type Result<T> = std::result::Result<T, CoreError>;

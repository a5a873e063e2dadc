//! Errors of the demo crate: a malformed corpus file.

/// An error found while loading a corpus.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DemoError {
    /// A corpus data file could not be parsed.
    #[error("demo: corpus file {file}: {message}")]
    Corpus {
        /// The file (e.g. `articles/harbour-ledger/strike-begins.md`).
        file: String,
        /// What is wrong with it.
        message: String,
    },
}

impl DemoError {
    pub(crate) fn corpus(file: &str, message: impl Into<String>) -> Self {
        DemoError::Corpus {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

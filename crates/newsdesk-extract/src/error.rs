//! Errors of the extractor: only hopeless input and batch I/O fail.

use std::path::PathBuf;

/// Why a page (or a batch) could not be extracted at all.
///
/// A page that is HTML but has no article body is *not* an error: it yields an
/// [`newsdesk_core::ExtractedArticle`] with an empty body and whatever metadata it has.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The document has no content (zero bytes or only whitespace).
    #[error("extract: empty document for {url}")]
    Empty {
        /// The page URL.
        url: String,
    },
    /// The document is not HTML (binary data, PDF, JSON, plain text without markup…).
    #[error("extract: not HTML ({reason}) for {url}")]
    NotHtml {
        /// The page URL.
        url: String,
        /// What it looks like instead.
        reason: &'static str,
    },
    /// The document is larger than the limit ([`crate::MAX_HTML_BYTES`]).
    #[error("extract: document of {bytes} bytes is larger than {limit} bytes for {url}")]
    TooLarge {
        /// The page URL.
        url: String,
        /// Size of the document.
        bytes: usize,
        /// The limit it broke.
        limit: usize,
    },
    /// A batch input or the URL map could not be read.
    #[error("extract: cannot read {path}: {source}")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A batch output could not be written.
    #[error("extract: cannot write {path}: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The URL map of a batch is not a JSON object of strings.
    #[error("extract: invalid URL map {path}: {source}")]
    UrlMap {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// The worker threads of a batch could not be started.
    #[error("extract: cannot start {threads} worker threads: {reason}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// What went wrong.
        reason: String,
    },
}

//! Errors of the extractor: only hopeless input fails.

/// Why a page could not be extracted at all.
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
}

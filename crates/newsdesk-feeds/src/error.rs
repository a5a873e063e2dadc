//! Errors of the feed stage.

/// Why a document could not be turned into a feed or an OPML outline list.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum FeedError {
    /// The body was empty (or only whitespace).
    #[error("feeds: empty document{}", for_url(.url))]
    Empty {
        /// The feed URL, when known.
        url: Option<String>,
    },
    /// The document is not a feed (an HTML page, junk, an unknown XML or JSON document) and
    /// nothing could be recovered from it.
    #[error("feeds: {reason}{}", for_url(.url))]
    NotAFeed {
        /// The feed URL, when known.
        url: Option<String>,
        /// What was found instead, e.g. "this is an HTML page, not a feed; try feed discovery".
        reason: String,
    },
    /// The document is gzip-compressed and could not be inflated (broken stream, or larger
    /// than the cap once inflated).
    #[error("feeds: compressed document: {reason}{}", for_url(.url))]
    Compressed {
        /// The document URL, when known.
        url: Option<String>,
        /// What went wrong.
        reason: String,
    },
    /// The document passes a bound set against hostile input (e.g. internal DTD entities that
    /// would expand beyond [`crate::MAX_ENTITY_EXPANSION_BYTES`]); it is refused as a whole.
    #[error("feeds: document refused: {reason}{}", for_url(.url))]
    Refused {
        /// The document URL, when known.
        url: Option<String>,
        /// Which bound was passed.
        reason: String,
    },
    /// The OPML document could not be read.
    #[error("feeds: invalid OPML: {reason}")]
    Opml {
        /// What is wrong with it.
        reason: String,
    },
}

fn for_url(url: &Option<String>) -> String {
    match url {
        Some(u) => format!(" (for {u})"),
        None => String::new(),
    }
}

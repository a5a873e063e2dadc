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
    /// A JSON answer could not be written.
    #[error("newsdesk-stories: state snapshot: {0}")]
    State(serde_json::Error),
    /// The bytes are not a story engine snapshot (too short, another format, or the JSON
    /// snapshots written before format 1).
    #[error("newsdesk-stories: not a story engine snapshot ({0}); rebuild the engine")]
    SnapshotFormat(&'static str),
    /// The snapshot was written by another version of the format (such as the `bincode` 1.3
    /// snapshots of format 4 and before).
    #[error(
        "newsdesk-stories: story engine snapshot format {found} is not supported (this build reads {expected}); rebuild the engine"
    )]
    SnapshotVersion {
        /// The version in the snapshot.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// The snapshot's content could not be encoded or decoded (truncated or corrupt).
    #[error("newsdesk-stories: story engine snapshot of {bytes} bytes is corrupt: {source}")]
    SnapshotCorrupt {
        /// Size of the snapshot read (0 when writing).
        bytes: usize,
        /// The encoding or decoding error.
        source: postcard::Error,
    },
}

//! The store's error type.

use newsdesk_core::SourceId;

/// Errors from the store. Every message starts with `store:` and names the path, id or query
/// involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("store: sqlite error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[error("store: postgres error: {0}")]
    Postgres(#[from] postgres::Error),
    /// The story engine's snapshot could not be written or was not the announced size.
    #[error("store: story snapshot: {0}")]
    Snapshot(#[source] std::io::Error),
    /// `store copy` refused or failed (nothing was copied).
    #[error("store: copy: {0}")]
    Copy(String),
    /// A value read back from the database is not what the store writes.
    #[error("store: unreadable value in the database: {0}")]
    Decode(String),
    /// A SQLite-only path of the store was reached on PostgreSQL (a bug: every operation has a
    /// PostgreSQL twin; the place in the store is named).
    #[error("store: this operation is not available on PostgreSQL ({0})")]
    NotOnPostgres(String),
    /// A source with this feed URL already exists.
    #[error("store: a source with feed URL {feed_url} already exists (id {id})")]
    DuplicateSource {
        /// The feed URL that is already taken.
        feed_url: String,
        /// The id of the source that has it.
        id: SourceId,
    },
    /// A profile value the store refuses (e.g. a typology that is not one of the seven codes).
    #[error("store: invalid source profile: {0}")]
    InvalidProfile(String),
    /// No such source.
    #[error("store: no source with id {0}")]
    NoSuchSource(SourceId),
    /// The database file could not be opened or migrated.
    #[error("store: cannot open {path}: {message}")]
    Open {
        /// The database file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Another process placed articles in stories since this one read the story state.
    #[error(
        "store: the story state moved on (placed through article {found}, expected {expected}); \
         these placements were not recorded"
    )]
    StoryStateMoved {
        /// The last article placed when this process read the state.
        expected: i64,
        /// The last article placed now.
        found: i64,
    },
    /// A full-text search query could not be run.
    #[error("store: search for {query:?} failed: {message}")]
    Search {
        /// The query as the user typed it (at most 200 characters).
        query: String,
        /// What SQLite said.
        message: String,
    },
}

/// Result alias for [`StoreError`].
pub type Result<T> = std::result::Result<T, StoreError>;

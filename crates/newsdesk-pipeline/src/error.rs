//! The pipeline's error type.

use thiserror::Error;

/// What can go wrong in the pipeline's own steps (adding a source, placing stories, building
/// the translate stage). A failing source during a pass is not an error of the pass: it is
/// recorded on the source ([`crate::ingest::SourceOutcome::Failed`]).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// What the user typed is not a source address (message says what to type instead).
    #[error("{0}")]
    Input(String),
    /// The address answered, but no feed could be read from it or found on its site (the
    /// message says what was tried).
    #[error("{0}")]
    NoFeed(String),
    /// None of the addresses tried for an input answered.
    #[error("{0}")]
    Unreachable(String),
    /// A fetch failed.
    #[error(transparent)]
    Fetch(#[from] newsdesk_fetch::FetchError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] newsdesk_store::StoreError),
    /// The story engine failed (a snapshot that cannot be written, say).
    #[error(transparent)]
    Stories(#[from] newsdesk_stories::StoriesError),
    /// The translator could not be built.
    #[error(transparent)]
    Translate(#[from] newsdesk_translate::TranslateError),
    /// The bundled source-profile registry could not be read.
    #[error(transparent)]
    Profiles(#[from] newsdesk_sources::ProfileError),
    /// A source's profile could not be re-matched or edited.
    #[error(transparent)]
    ProfileEdit(#[from] newsdesk_sources::EditError),
    /// The story engine could not be rebuilt after an unreadable snapshot.
    #[error("stories: rebuilding the story engine")]
    RebuildStories(#[source] newsdesk_store::StoreError),
    /// A job of the work queue could not be done (the message names it); it is tried again.
    #[error("{0}")]
    Job(String),
    /// A blocking task of the pipeline panicked or was cancelled.
    #[error("a pipeline task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

//! The pipeline that wires the stages together: fetch → parse → extract → text → store, then
//! the translation and story passes.
//!
//! Each stage is a library crate that knows nothing of the others; this crate is the only place
//! that calls them in order, and it holds the pipeline's policies: when to fetch a source
//! ([`schedule`]), how a pass ingests a source and builds its articles ([`ingest`]), how article
//! pages are fetched ([`article_queue`]), the translation pass ([`translate`]) and the story pass
//! ([`stories`]). The `newsdesk` binary reads the configuration ([`settings`]) and calls it.
//! Errors are [`PipelineError`]. See `ARCHITECTURE.md`.

pub mod article_queue;
pub mod discover;
pub mod error;
pub mod ingest;
pub mod profiles;
pub mod progress;
pub mod schedule;
pub mod settings;
pub mod sitemap;
pub mod stories;
pub mod text;
pub mod translate;
pub mod worker;

pub use discover::resolve_feed;
pub use error::PipelineError;
pub use ingest::Ingest;
pub use progress::Progress;

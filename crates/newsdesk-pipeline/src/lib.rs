//! The pipeline that wires the stages together: fetch → parse → extract → text → store.
//!
//! Each stage is a library crate that knows nothing of the others; this module is the only place
//! that calls them in order. See `ARCHITECTURE.md`.

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

pub use discover::resolve_feed;
pub use error::PipelineError;
pub use ingest::Ingest;
pub use progress::Progress;

//! SQLite storage for newsdesk: the **store** stage of the pipeline.
//!
//! A [`Store`] is a handle on one SQLite database file (WAL mode, one writer connection and a
//! pool of reader connections; cheap to clone, `Send + Sync`), or on a PostgreSQL database
//! ([`Store::open_url`]; every operation below works on both), optionally with a read replica
//! that answers the site's read-only queries ([`Store::open_url_with_replica`]). It keeps:
//!
//! * sources ([`Store::add_source`], [`Store::update_source`] with a [`SourceUpdate`],
//!   [`Store::list_sources`] with stats, [`Store::remove_source`] which cascades);
//! * what the fetcher remembers per source ([`Store::fetch_state`], [`Store::save_fetch_state`]),
//!   which sources are due ([`Store::due_sources`]) and the scheduler's bookkeeping (pauses and
//!   permanent redirects: [`ScheduleState`], [`Store::schedule_state`], [`Store::resume_source`]);
//! * articles and the feed entries they came from, inserted idempotently in one transaction
//!   ([`Store::insert_article`], [`Store::has_entry`], [`Store::has_article_url`]);
//! * article translations for the editions, beside the originals ([`ArticleTranslation`],
//!   [`Store::save_translation`], [`Store::translation`], [`Store::untranslated_articles`]),
//!   and the translation cache with its usage counters (`Store` implements `newsdesk-core`'s
//!   [`TranslationCache`](newsdesk_core::TranslationCache); [`Store::open_translation_cache`]
//!   for a cache file of its own);
//! * newest-first keyset-paginated lists ([`Store::list_articles`]) and full-text search
//!   ([`Store::search`], FTS5 over title and body text);
//! * stories and provenance links decided by the story stage ([`Store::record_placements`],
//!   [`Store::list_stories`], [`Store::get_story`], [`Store::article_provenance`]) and that
//!   stage's saved state ([`Store::story_state`]).
//!
//! The schema is created and upgraded by numbered, append-only migrations (see
//! [`SCHEMA_VERSION`]). Errors are [`StoreError`]s whose messages start with `store:`.
//!
//! It does not fetch, parse, extract or detect anything: it stores what the pipeline built
//! (the types of `newsdesk-core`) and reads it back for the web layer.
//!
//! ```
//! use newsdesk_core::{ArticleQuery, NewSource};
//! use newsdesk_store::Store;
//!
//! let dir = tempfile::tempdir()?;
//! let store = Store::open(&dir.path().join("newsdesk.db"))?;
//! let source = store.add_source(&NewSource::new("https://example.org/feed.xml"))?;
//! assert_eq!(source.name, "example.org");
//! let page = store.list_articles(&ArticleQuery::default())?;
//! assert!(page.items.is_empty() && page.next.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod articles;
mod columns;
mod copy;
mod error;
mod fetch_state;
mod jobs;
mod lead;
mod listing;
mod migrations;
mod pg;
mod replica;
mod schedule;
mod search;
mod source_rows;
mod sources;
mod status;
mod store;
mod stories;
mod translations;
mod web_queries;

pub use copy::{
    CopyOptions, CopyProgress, CopyReport, TABLES as COPIED_TABLES, TableCopy, copy_store,
};
pub use error::{Result, StoreError};
pub use jobs::{
    ClaimRules, FAILED_JOB_COOL_DOWN, FailedJob, Job, JobKind, JobRetry, KindStatus,
    MAX_RETRY_WAIT, NewJob, QueueStatus, WORKER_ALIVE_WITHIN, WorkerInfo, WorkerStatus, retry_wait,
};
pub use lead::{LEAD_CHARS, lead};

/// On PostgreSQL, the advisory lock that article inserts hold shared until they commit and that
/// [`Store::max_article_id`] takes exclusively, so the story stage's watermark never passes an
/// article that several workers' concurrent inserts commit out of id order.
pub const ARTICLE_INSERT_LOCK: i64 = 0x6e64_6172_7469_636c;
pub use migrations::SCHEMA_VERSION;
pub use pg::{POSTGRES_CONNECTIONS, without_password};
pub use replica::ReplicaStatus;
pub use schedule::ScheduleState;
pub use search::fts_query;
pub use sources::SourceUpdate;
pub use status::StoreStatus;
pub use store::{BUSY_TIMEOUT, READER_CONNECTIONS, Store};
pub use stories::{
    LinkEvidence, NewLink, NewPlacement, ProvenanceRecord, StoryArticle, StoryDetail, StoryInput,
    StoryKey, StoryOrder, StoryPass, StoryState, StorySummary,
};
pub use translations::{ArticleTranslation, TranslationStatus};
pub use web_queries::StoryTitleArticle;

//! SQLite storage for newsdesk.
//!
//! STUB: the signatures below are the agreed public API; the bodies are being written.
#![allow(unused_variables, missing_docs)]

use std::path::Path;

use newsdesk_core::{
    Article, ArticleId, ArticlePage, ArticleQuery, FetchState, NewArticle, NewSource, Source,
    SourceId, SourceWithStats,
};

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("store: sqlite error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A source with this feed URL already exists.
    #[error("store: a source with feed URL {feed_url} already exists (id {id})")]
    DuplicateSource { feed_url: String, id: SourceId },
    /// No such source.
    #[error("store: no source with id {0}")]
    NoSuchSource(SourceId),
    /// The database file could not be opened or migrated.
    #[error("store: cannot open {path}: {message}")]
    Open { path: String, message: String },
}

/// Result alias.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Partial update of a source's profile; `None` leaves a field unchanged.
#[derive(Debug, Clone, Default)]
pub struct SourceUpdate {
    pub feed_url: Option<String>,
    pub site_url: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
    pub country: Option<String>,
}

/// Handle on one database file. Cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Store {}

impl Store {
    /// Opens (creating if needed) the database file, sets WAL mode and runs pending migrations.
    pub fn open(path: &Path) -> Result<Store> {
        todo!()
    }
    pub fn add_source(&self, s: &NewSource) -> Result<Source> {
        todo!()
    }
    pub fn update_source(&self, id: SourceId, u: &SourceUpdate) -> Result<Source> {
        todo!()
    }
    /// Removes a source and its articles. `false` if there was none.
    pub fn remove_source(&self, id: SourceId) -> Result<bool> {
        todo!()
    }
    pub fn get_source(&self, id: SourceId) -> Result<Option<SourceWithStats>> {
        todo!()
    }
    pub fn list_sources(&self) -> Result<Vec<SourceWithStats>> {
        todo!()
    }
    pub fn source_by_feed_url(&self, feed_url: &str) -> Result<Option<Source>> {
        todo!()
    }
    pub fn fetch_state(&self, id: SourceId) -> Result<FetchState> {
        todo!()
    }
    pub fn save_fetch_state(&self, state: &FetchState) -> Result<()> {
        todo!()
    }
    /// Whether an entry with this key was already stored for this source.
    pub fn has_entry(&self, source: SourceId, entry_key: &str) -> Result<bool> {
        todo!()
    }
    /// Whether any article already has this URL or canonical URL.
    pub fn has_article_url(&self, url: &str) -> Result<bool> {
        todo!()
    }
    /// Stores one article in one transaction. `Ok(None)` when (source, entry_key) was already stored.
    pub fn insert_article(&self, a: &NewArticle) -> Result<Option<ArticleId>> {
        todo!()
    }
    pub fn get_article(&self, id: ArticleId) -> Result<Option<Article>> {
        todo!()
    }
    pub fn list_articles(&self, q: &ArticleQuery) -> Result<ArticlePage> {
        todo!()
    }
    pub fn count_articles(&self) -> Result<u64> {
        todo!()
    }
}

//! What most commands need: the configuration, the store and a fetcher.

use std::path::Path;

use anyhow::{Context as _, Result};
use newsdesk_fetch::Fetcher;
use newsdesk_store::Store;

use crate::config::Config;
use newsdesk_pipeline::Ingest;

/// Loaded configuration plus open handles.
pub struct Context {
    /// The configuration.
    pub config: Config,
    /// The open database.
    pub store: Store,
}

impl Context {
    /// Finds and loads the configuration, then opens the database.
    pub fn load(explicit: Option<&Path>) -> Result<Context> {
        let path = Config::locate(explicit)?;
        let config = Config::load(&path)?;
        Context::from_config(config)
    }

    /// Opens the database named by `config`: PostgreSQL when a URL is configured (its schema
    /// must be the one this build knows: `newsdesk migrate` upgrades it), else the SQLite file
    /// (created and migrated on open).
    pub fn from_config(config: Config) -> Result<Context> {
        let store = open_store(&config, false)?;
        // Profiles follow the bundled matrix of this build (cheap: host lookups).
        newsdesk_pipeline::profiles::refresh_all(&store);
        Ok(Context { config, store })
    }

    /// A fetcher built from `[fetch]`.
    pub fn fetcher(&self) -> Result<Fetcher> {
        Ok(self.config.fetch.fetcher()?)
    }

    /// The ingest pipeline over this store.
    pub fn ingest(&self) -> Result<Ingest> {
        Ok(Ingest::new(
            self.store.clone(),
            self.fetcher()?,
            self.config.fetch.clone(),
        )
        .with_policy((&self.config.schedule).into())
        .with_stories(self.config.stories.enabled)
        .with_story_stage(newsdesk_pipeline::stories::StoryStage::from_config(
            &self.config.pipeline(),
        )))
    }
}

/// Opens the configured store; `migrate` also upgrades a PostgreSQL schema (SQLite files are
/// always migrated on open).
pub fn open_store(config: &Config, migrate: bool) -> Result<Store> {
    if let Some(url) = config.database_url() {
        return Ok(if migrate {
            Store::open_url(&url)?
        } else {
            Store::open_url_without_migrating(&url)?
        });
    }
    let db = config.database_path();
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create data directory {}", dir.display()))?;
    }
    Ok(Store::open(&db)?)
}

//! Shared request state: the store handle and the site configuration.

use std::sync::Arc;

use newsdesk_store::Store;

use crate::{AppError, SiteStatus, WebConfig};

/// What every request handler shares: the store and the configuration. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database the pages, feeds and API read from.
    pub store: Store,
    /// Site configuration.
    pub config: Arc<WebConfig>,
    /// Background work and operator warnings of the running process (see [`SiteStatus`]).
    pub status: SiteStatus,
}

impl AppState {
    /// Bundles a store and a configuration.
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            status: SiteStatus::new(),
        }
    }

    /// Runs a (synchronous, SQLite) store call on the blocking pool, so a slow query never stalls
    /// the async workers that serve other connections.
    pub(crate) async fn db<T, F>(&self, call: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> newsdesk_store::Result<T> + Send + 'static,
    {
        let store = self.store.clone();
        match tokio::task::spawn_blocking(move || call(&store)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(AppError::internal(format!("web: {e}"))),
            Err(e) => Err(AppError::internal(format!("web: store task failed: {e}"))),
        }
    }
}

//! Source profiles kept up to date: matched against the bundled State Media Matrix when a
//! source is added, after a feed pass names the site (or the articles' hosts), and for every
//! source when a command opens the store (so a newer matrix in a newer build applies at the
//! next start). The rules (longest host, the operator's values win, not classified when
//! absent, guesses marked) and the re-matching itself live in `newsdesk-sources`; this module
//! says when.

use newsdesk_core::Source;
use newsdesk_store::Store;
use tracing::{info, warn};

/// Re-matches `source` and stores the profile if it changed (see [`newsdesk_sources::rematch`],
/// the one implementation the CLI and the web API share). Returns the source as stored.
pub fn refresh_source(
    store: &Store,
    source: &Source,
    article_urls: &[String],
) -> Result<Source, crate::PipelineError> {
    Ok(newsdesk_sources::rematch(store, source, article_urls)?)
}

/// Re-matches every source (at start); failures are logged, never fatal.
pub fn refresh_all(store: &Store) {
    let sources = match store.list_sources() {
        Ok(s) => s,
        Err(e) => {
            warn!(stage = "profile", error = %e, "could not list sources to match their profiles");
            return;
        }
    };
    let mut changed = 0;
    for s in &sources {
        match refresh_source(store, &s.source, &[]) {
            Ok(after) if after != s.source => changed += 1,
            Ok(_) => {}
            Err(e) => {
                warn!(source_id = s.source.id, stage = "profile", error = %e,
                    "could not match the source's profile");
            }
        }
    }
    if changed > 0 {
        info!(
            stage = "profile",
            changed, "source profiles updated from the State Media Matrix"
        );
    }
}

//! Source profiles kept up to date: matched against the bundled State Media Matrix when a
//! source is added, after a feed pass names the site (or the articles' hosts), and for every
//! source when a command opens the store (so a newer matrix in a newer build applies at the
//! next start). The rules (longest host, the operator's values win, not classified when
//! absent, guesses marked) live in `newsdesk-sources`; this module only reads and writes.

use newsdesk_core::{Fact, FactOrigin, Source};
use newsdesk_sources::{Registry, refresh};
use newsdesk_store::{SourceUpdate, Store};
use tracing::{debug, info, warn};

/// Article URLs of a source read to match it when its site and feed URL do not.
const ARTICLE_URLS: usize = 20;

/// Re-matches `source` by its site link, its feed URL and `article_urls` (when those are empty
/// and the first two do not match, by its latest stored articles' URLs) and stores the profile
/// if it changed. Returns the source as stored.
pub fn refresh_source(
    store: &Store,
    source: &Source,
    article_urls: &[String],
) -> Result<Source, crate::PipelineError> {
    let registry = Registry::bundled()?;
    let own = [source.site_url.as_deref(), Some(source.feed_url.as_str())];
    let mut m = registry.lookup_any(own.into_iter().flatten());
    if m.is_none() {
        let stored;
        let urls = if article_urls.is_empty() {
            stored = store.source_article_urls(source.id, ARTICLE_URLS)?;
            &stored
        } else {
            article_urls
        };
        m = registry.lookup_any(urls.iter().map(String::as_str));
    }
    let new = refresh(source, m.as_ref());
    if new.country == source.country && new.profile == source.profile {
        return Ok(source.clone());
    }
    debug!(source_id = source.id, stage = "profile", typology = ?new.profile.typology,
        country = ?new.country, "source profile updated");
    let update = SourceUpdate {
        country: Some(new.country.unwrap_or_default()),
        profile: Some(new.profile),
        ..Default::default()
    };
    Ok(store.update_source(source.id, &update)?)
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

/// Records that the operator gave these fields (`reference` says how: a command, a file).
pub fn operator_facts(
    profile: &mut newsdesk_core::SourceProfile,
    fields: &[&str],
    reference: &str,
) {
    for f in fields {
        profile
            .facts
            .insert((*f).to_owned(), Fact::new(FactOrigin::Operator, reference));
    }
}

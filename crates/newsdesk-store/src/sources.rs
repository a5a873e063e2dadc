//! Sources: adding, updating, removing and listing them with their stats.

use chrono::Utc;
use std::collections::HashMap;

use newsdesk_core::{
    FetchState, NewSource, Source, SourceId, SourceProfile, SourceWithStats, TypologyCode,
    clean_label,
};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::columns;
use crate::source_rows::fetch_state_from_row;
use crate::{Result, Store, StoreError};

/// Partial update of a source's profile; `None` leaves a field unchanged.
///
/// For the optional fields (`site_url`, `language`, `country`) an empty string clears the
/// field; an empty `name` or `feed_url` is ignored.
#[derive(Debug, Clone, Default)]
pub struct SourceUpdate {
    /// New feed URL (must not belong to another source). Changing it forgets the HTTP validators.
    pub feed_url: Option<String>,
    /// New home page.
    pub site_url: Option<String>,
    /// New display name (e.g. the feed's title once it is known).
    pub name: Option<String>,
    /// New declared language (made the primary one of the source's languages).
    pub language: Option<String>,
    /// New list of languages, the first the primary (replaces `language`; empty clears them).
    pub languages: Option<Vec<String>>,
    /// New country.
    pub country: Option<String>,
    /// New profile (owner, typology, type, matrix asset and every fact's origin), replacing the
    /// stored one whole; `None` keeps it.
    pub profile: Option<SourceProfile>,
}

/// `SELECT` of a source with its stats; columns 0..=12 are the source, 13 the article count and
/// 14.. the fetch state (see [`fetch_state_from_row`]).
pub(crate) const WITH_STATS: &str = "SELECT s.id, s.feed_url, s.site_url, s.name, s.language, s.country, \
     s.created_at, s.owner, s.typology, s.media_type, s.matrix_asset, s.profile_facts, \
     s.languages, s.article_count, \
     f.source_id, f.etag, f.last_modified, f.last_fetch_at, f.last_status, f.last_error, \
     f.last_http_status, f.consecutive_failures, f.next_fetch_at \
     FROM sources s LEFT JOIN fetch_state f ON f.source_id = s.id";

/// `SELECT` of a source's columns (0..=12, as in [`WITH_STATS`]).
pub(crate) const SOURCE: &str = "SELECT id, feed_url, site_url, name, language, country, created_at, \
     owner, typology, media_type, matrix_asset, profile_facts, languages FROM sources";

fn source_from_row(row: &Row<'_>) -> rusqlite::Result<Source> {
    Ok(Source {
        id: row.get(0)?,
        feed_url: row.get(1)?,
        site_url: row.get(2)?,
        // cleaned on the way out too, for names stored before they were cleaned on the way in
        name: clean_label(&row.get::<_, String>(3)?),
        languages: languages_from_column(row.get(4)?, &row.get::<_, String>(12)?),
        language: row.get(4)?,
        country: row.get(5)?,
        created_at: columns::get_instant(row, 6)?,
        profile: SourceProfile {
            owner: row.get(7)?,
            typology: row.get(8)?,
            media_type: row.get(9)?,
            matrix_asset: row.get(10)?,
            // Unreadable provenance (never written so) reads as none rather than failing a page.
            facts: serde_json::from_str(&row.get::<_, String>(11)?).unwrap_or_default(),
        },
    })
}

/// A source's languages from the `languages` column (comma-separated), the primary `language`
/// first even when the column predates it.
pub(crate) fn languages_from_column(language: Option<String>, column: &str) -> Vec<String> {
    let mut out: Vec<String> = language.into_iter().filter(|l| !l.is_empty()).collect();
    for l in column.split(',').map(str::trim).filter(|l| !l.is_empty()) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(l)) {
            out.push(l.to_owned());
        }
    }
    out
}

/// The `language` and `languages` columns after an update: `languages` when given (the first
/// is the primary; empty clears both), else `language` made primary among the old ones.
fn languages_after(current: &Source, u: &SourceUpdate) -> (Option<String>, String) {
    let list: Vec<String> = match (&u.languages, &u.language) {
        (Some(list), _) => list
            .iter()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect(),
        (None, Some(primary)) if primary.trim().is_empty() => Vec::new(),
        (None, Some(primary)) => std::iter::once(primary.trim().to_owned())
            .chain(
                current
                    .languages
                    .iter()
                    .filter(|l| !l.eq_ignore_ascii_case(primary.trim()))
                    .cloned(),
            )
            .collect(),
        (None, None) => current.languages.clone(),
    };
    let primary = match (&u.languages, &u.language) {
        (None, None) => current.language.clone(),
        _ => list.first().cloned(),
    };
    (primary, list.join(","))
}

/// The profile's provenance as stored.
fn facts_json(p: &SourceProfile) -> String {
    serde_json::to_string(&p.facts).unwrap_or_else(|_| "{}".to_owned())
}

/// A typology code in its canonical spelling (`capu?` → `CaPu?`); other text is refused.
fn typology_column(p: &SourceProfile) -> Result<Option<String>> {
    match non_empty(&p.typology) {
        None => Ok(None),
        Some(t) => TypologyCode::parse(t)
            .map(|c| Some(c.to_string()))
            .ok_or_else(|| StoreError::InvalidProfile(format!("{t:?} is not a typology code"))),
    }
}

fn with_stats_from_row(row: &Row<'_>) -> rusqlite::Result<SourceWithStats> {
    let source = source_from_row(row)?;
    let count: i64 = row.get(13)?;
    let fetch = fetch_state_from_row(row, 14)?.unwrap_or_else(|| FetchState::never(source.id));
    Ok(SourceWithStats {
        source,
        fetch,
        article_count: u64::try_from(count).unwrap_or(0),
    })
}

/// The display name of a source added without one: the feed URL's host, else the URL itself.
fn default_name(feed_url: &str) -> String {
    url::Url::parse(feed_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| feed_url.to_owned())
}

/// `Some("")` clears, `Some(x)` sets, `None` keeps.
fn merge(current: Option<String>, update: &Option<String>) -> Option<String> {
    match update.as_deref().map(str::trim) {
        None => current,
        Some("") => None,
        Some(v) => Some(v.to_owned()),
    }
}

/// The stored columns of a source after an update (both backends write these).
pub(crate) struct SourceRow {
    pub(crate) feed_url: String,
    pub(crate) site_url: Option<String>,
    pub(crate) name: String,
    pub(crate) language: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) owner: Option<String>,
    pub(crate) typology: Option<String>,
    pub(crate) media_type: Option<String>,
    pub(crate) matrix_asset: Option<String>,
    pub(crate) facts: String,
    pub(crate) languages: String,
}

impl SourceRow {
    /// `current` with the update applied, and whether the feed URL changed.
    pub(crate) fn updated(current: Source, u: &SourceUpdate) -> Result<(SourceRow, bool)> {
        let feed_url = non_empty(&u.feed_url).map(str::to_owned);
        let url_changed = feed_url.as_ref().is_some_and(|f| *f != current.feed_url);
        let (language, languages) = languages_after(&current, u);
        let name = non_empty(&u.name)
            .map(clean_label)
            .filter(|n| !n.is_empty())
            .unwrap_or(current.name);
        let profile = u.profile.as_ref().unwrap_or(&current.profile);
        let owned = |v: &Option<String>| non_empty(v).map(str::to_owned);
        let row = SourceRow {
            feed_url: feed_url.unwrap_or(current.feed_url),
            site_url: merge(current.site_url, &u.site_url),
            name,
            language,
            country: merge(current.country, &u.country),
            owner: owned(&profile.owner),
            typology: typology_column(profile)?,
            media_type: owned(&profile.media_type),
            matrix_asset: owned(&profile.matrix_asset),
            facts: facts_json(profile),
            languages,
        };
        Ok((row, url_changed))
    }
}

/// The display name of a new source: its cleaned name, else the feed URL's host.
pub(crate) fn new_source_name(s: &NewSource) -> String {
    non_empty(&s.name)
        .map(clean_label)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| clean_label(&default_name(s.feed_url.trim())))
}

/// The optional text of a new source's field (trimmed; empty is none).
pub(crate) fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn id_by_feed_url(conn: &Connection, feed_url: &str) -> rusqlite::Result<Option<SourceId>> {
    conn.prepare_cached("SELECT id FROM sources WHERE feed_url = ?1")?
        .query_row([feed_url], |r| r.get(0))
        .optional()
}

fn source_by_id(conn: &Connection, id: SourceId) -> rusqlite::Result<Option<Source>> {
    conn.prepare_cached(&format!("{SOURCE} WHERE id = ?1"))?
        .query_row([id], source_from_row)
        .optional()
}

impl Store {
    /// Adds a source. Fails with [`StoreError::DuplicateSource`] when its feed URL is taken.
    ///
    /// Without a name, the feed URL's host is used until [`Store::update_source`] sets one (the
    /// pipeline sets the feed's title).
    pub fn add_source(&self, s: &NewSource) -> Result<Source> {
        let feed_url = s.feed_url.trim();
        let name = new_source_name(s);
        if let Some(pg) = self.pg() {
            return crate::pg::sources::add_source(pg, s, &name);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(id) = id_by_feed_url(&tx, feed_url)? {
                return Err(StoreError::DuplicateSource {
                    feed_url: feed_url.to_owned(),
                    id,
                });
            }
            tx.prepare_cached(
                "INSERT INTO sources (feed_url, site_url, name, language, country, created_at, \
                 languages) VALUES (?1, ?2, ?3, ?4, ?5, ?6, COALESCE(?4, ''))",
            )?
            .execute(params![
                feed_url,
                non_empty(&s.site_url),
                name,
                non_empty(&s.language),
                non_empty(&s.country),
                columns::instant(Utc::now()),
            ])?;
            let id = tx.last_insert_rowid();
            let source = source_by_id(&tx, id)?.ok_or(StoreError::NoSuchSource(id))?;
            tx.commit()?;
            tracing::info!(id, feed_url, "store: added source");
            Ok(source)
        })
    }

    /// Updates a source's profile. Fails with [`StoreError::NoSuchSource`] for an unknown id and
    /// [`StoreError::DuplicateSource`] when the new feed URL belongs to another source.
    pub fn update_source(&self, id: SourceId, u: &SourceUpdate) -> Result<Source> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::update_source(pg, id, u);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current = source_by_id(&tx, id)?.ok_or(StoreError::NoSuchSource(id))?;
            let (row, url_changed) = SourceRow::updated(current, u)?;
            if url_changed && let Some(other) = id_by_feed_url(&tx, &row.feed_url)? {
                return Err(StoreError::DuplicateSource {
                    feed_url: row.feed_url,
                    id: other,
                });
            }
            tx.prepare_cached(
                "UPDATE sources SET feed_url = ?2, site_url = ?3, name = ?4, language = ?5, \
                 country = ?6, owner = ?7, typology = ?8, media_type = ?9, matrix_asset = ?10, \
                 profile_facts = ?11, languages = ?12 WHERE id = ?1",
            )?
            .execute(params![
                id,
                row.feed_url,
                row.site_url,
                row.name,
                row.language,
                row.country,
                row.owner,
                row.typology,
                row.media_type,
                row.matrix_asset,
                row.facts,
                row.languages,
            ])?;
            if url_changed {
                // Validators belong to the old URL.
                tx.prepare_cached(
                    "UPDATE fetch_state SET etag = NULL, last_modified = NULL WHERE source_id = ?1",
                )?
                .execute([id])?;
            }
            let source = source_by_id(&tx, id)?.ok_or(StoreError::NoSuchSource(id))?;
            tx.commit()?;
            Ok(source)
        })
    }

    /// Removes a source with its articles, feed entries and fetch state. `false` if there was
    /// none.
    pub fn remove_source(&self, id: SourceId) -> Result<bool> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::remove_source(pg, id);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Foreign keys cascade to articles (and their full-text rows), entries, fetch state.
            let n = tx
                .prepare_cached("DELETE FROM sources WHERE id = ?1")?
                .execute([id])?;
            tx.commit()?;
            if n > 0 {
                tracing::info!(id, "store: removed source");
            }
            Ok(n > 0)
        })
    }

    /// One source with its fetch state and article count.
    pub fn get_source(&self, id: SourceId) -> Result<Option<SourceWithStats>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::sources::get_source(pg, id);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!("{WITH_STATS} WHERE s.id = ?1"))?
                .query_row([id], with_stats_from_row)
                .optional()?)
        })
    }

    /// Every source with its fetch state and article count, by name (case-insensitive) then id.
    pub fn list_sources(&self) -> Result<Vec<SourceWithStats>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::sources::list_sources(pg);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "{WITH_STATS} ORDER BY s.name COLLATE NOCASE, s.id"
            ))?;
            let rows = stmt.query_map([], with_stats_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The sources with these ids (unknown ids are left out), for pages that show several
    /// outlets' profiles.
    pub fn sources_by_ids(&self, ids: &[SourceId]) -> Result<HashMap<SourceId, Source>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::sources::sources_by_ids(pg, ids);
        }
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        self.read(|conn| {
            let mut out = HashMap::with_capacity(ids.len());
            let mut stmt = conn.prepare_cached(&format!("{SOURCE} WHERE id = ?1"))?;
            for id in ids {
                if let Some(s) = stmt.query_row([id], source_from_row).optional()? {
                    out.insert(id, s);
                }
            }
            Ok(out)
        })
    }

    /// The sources of these articles, by article (unknown ids are left out).
    pub fn sources_of_articles(
        &self,
        articles: &[newsdesk_core::ArticleId],
    ) -> Result<HashMap<newsdesk_core::ArticleId, Source>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::sources::sources_of_articles(pg, articles);
        }
        let pairs: Vec<(newsdesk_core::ArticleId, SourceId)> = self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT source_id FROM articles WHERE id = ?1")?;
            let mut out = Vec::new();
            for &a in articles {
                if let Some(s) = stmt.query_row([a], |r| r.get(0)).optional()? {
                    out.push((a, s));
                }
            }
            Ok(out)
        })?;
        let ids: Vec<SourceId> = pairs.iter().map(|p| p.1).collect();
        let sources = self.sources_by_ids(&ids)?;
        Ok(pairs
            .into_iter()
            .filter_map(|(a, s)| sources.get(&s).map(|src| (a, src.clone())))
            .collect())
    }

    /// Up to `limit` distinct article URLs of a source, newest first (to match its profile by
    /// the hosts it publishes on).
    pub fn source_article_urls(&self, id: SourceId, limit: usize) -> Result<Vec<String>> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::source_article_urls(pg, id, limit);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT url FROM articles WHERE source_id = ?1 ORDER BY sort_at DESC, id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![id, limit as i64], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The source with exactly this feed URL.
    pub fn source_by_feed_url(&self, feed_url: &str) -> Result<Option<Source>> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::source_by_feed_url(pg, feed_url);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!("{SOURCE} WHERE feed_url = ?1"))?
                .query_row([feed_url.trim()], source_from_row)
                .optional()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_name_is_the_host() {
        assert_eq!(
            default_name("https://www.lemonde.fr/rss/une.xml"),
            "www.lemonde.fr"
        );
        assert_eq!(default_name("https://taz.de/!p4608;rss/"), "taz.de");
        assert_eq!(default_name("not a url"), "not a url");
    }

    #[test]
    fn merge_sets_clears_keeps() {
        let cur = Some("fr".to_owned());
        assert_eq!(merge(cur.clone(), &None), cur);
        assert_eq!(merge(cur.clone(), &Some(String::new())), None);
        assert_eq!(merge(cur, &Some("de".into())), Some("de".into()));
    }

    #[test]
    fn several_languages_the_primary_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = crate::Store::open(&dir.path().join("t.db")).expect("store");
        let s = store
            .add_source(&NewSource {
                feed_url: "https://a.example/feed".into(),
                site_url: None,
                name: None,
                language: Some("fr".into()),
                country: None,
            })
            .expect("add");
        assert_eq!(s.languages, ["fr"]);
        let set = |u: SourceUpdate| store.update_source(s.id, &u).expect("update");
        let s2 = set(SourceUpdate {
            languages: Some(vec!["ar".into(), "fr".into(), " ".into()]),
            ..Default::default()
        });
        assert_eq!(
            (s2.language.as_deref(), &s2.languages[..]),
            (Some("ar"), &["ar".to_owned(), "fr".to_owned()][..])
        );
        let s3 = set(SourceUpdate {
            language: Some("fr".into()),
            ..Default::default()
        });
        assert_eq!(
            s3.languages,
            ["fr", "ar"],
            "the primary moves first, the others stay"
        );
        let s4 = set(SourceUpdate {
            name: Some("renamed".into()),
            ..Default::default()
        });
        assert_eq!(s4.languages, ["fr", "ar"], "untouched");
        let s5 = set(SourceUpdate {
            languages: Some(Vec::new()),
            ..Default::default()
        });
        assert_eq!((s5.language, s5.languages.len()), (None, 0));
        let listed = store.list_sources().expect("list");
        assert!(listed[0].source.languages.is_empty());
    }
}

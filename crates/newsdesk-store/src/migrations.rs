//! Numbered, append-only schema migrations, tracked in `PRAGMA user_version`.
//!
//! Migration `N` lives in `migrations/000N_*.sql`, is embedded at compile time and runs in its own
//! `BEGIN IMMEDIATE` transaction together with the bump of `user_version` to `N`, so a process
//! killed mid-migration leaves the previous version intact. Never edit a released migration: add
//! a new file and append it to [`MIGRATIONS`].

use rusqlite::{Connection, TransactionBehavior};

/// The migrations, in order; entry `i` brings the schema to version `i + 1`.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_schedule",
        include_str!("../migrations/0002_schedule.sql"),
    ),
    (
        "0003_translations",
        include_str!("../migrations/0003_translations.sql"),
    ),
    (
        "0004_stories",
        include_str!("../migrations/0004_stories.sql"),
    ),
    (
        "0005_translation_cache",
        include_str!("../migrations/0005_translation_cache.sql"),
    ),
    (
        "0006_translation_search",
        include_str!("../migrations/0006_translation_search.sql"),
    ),
    (
        "0007_unique_article_url",
        include_str!("../migrations/0007_unique_article_url.sql"),
    ),
    (
        "0008_source_profiles",
        include_str!("../migrations/0008_source_profiles.sql"),
    ),
    (
        "0009_story_replacement",
        include_str!("../migrations/0009_story_replacement.sql"),
    ),
    (
        "0010_installation",
        include_str!("../migrations/0010_installation.sql"),
    ),
    (
        "0011_source_languages",
        include_str!("../migrations/0011_source_languages.sql"),
    ),
    (
        "0012_work_queue",
        include_str!("../migrations/0012_work_queue.sql"),
    ),
];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Reads the schema version stored in the database file.
pub(crate) fn schema_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// The refusal of a schema newer than this build knows.
pub(crate) fn newer_than_known(found: u32) -> String {
    format!(
        "database schema version {found} is newer than the newest this build of newsdesk knows \
         ({SCHEMA_VERSION}); upgrade newsdesk or use another database"
    )
}

/// Brings the schema up to [`SCHEMA_VERSION`]; returns how many migrations were applied.
///
/// The error is a human-readable message (the caller wraps it with the file's path).
pub(crate) fn migrate(conn: &mut Connection) -> Result<u32, String> {
    let current = schema_version(conn).map_err(|e| e.to_string())?;
    if current > SCHEMA_VERSION {
        return Err(newer_than_known(current));
    }
    let mut applied = 0;
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as u32 + 1;
        if version <= current {
            continue;
        }
        let fail = |e: rusqlite::Error| format!("migration {name} failed: {e}");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        // Another process may have migrated while we waited for the write lock.
        let now = schema_version(&tx).map_err(fail)?;
        if now > SCHEMA_VERSION {
            return Err(newer_than_known(now));
        }
        if now >= version {
            continue;
        }
        tx.execute_batch(sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
        tracing::info!(migration = name, version, "store: applied migration");
        applied += 1;
    }
    Ok(applied)
}

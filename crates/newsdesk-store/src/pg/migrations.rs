//! The PostgreSQL twins of the numbered migrations, tracked in the `schema_migrations` table
//! (one row per applied migration). Migration `N` lives in `migrations/postgres/00NN_*.sql`,
//! named like its SQLite twin. All pending migrations run in one transaction under an advisory
//! lock, so two nodes starting at once migrate once, and a failure leaves the previous version.

use postgres::Client;

use crate::migrations::{SCHEMA_VERSION, newer_than_known};

/// The PostgreSQL migrations, in order; entry `i` brings the schema to version `i + 1`.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        "0002_schedule",
        include_str!("../../migrations/postgres/0002_schedule.sql"),
    ),
    (
        "0003_translations",
        include_str!("../../migrations/postgres/0003_translations.sql"),
    ),
    (
        "0004_stories",
        include_str!("../../migrations/postgres/0004_stories.sql"),
    ),
    (
        "0005_translation_cache",
        include_str!("../../migrations/postgres/0005_translation_cache.sql"),
    ),
    (
        "0006_translation_search",
        include_str!("../../migrations/postgres/0006_translation_search.sql"),
    ),
    (
        "0007_unique_article_url",
        include_str!("../../migrations/postgres/0007_unique_article_url.sql"),
    ),
    (
        "0008_source_profiles",
        include_str!("../../migrations/postgres/0008_source_profiles.sql"),
    ),
    (
        "0009_story_replacement",
        include_str!("../../migrations/postgres/0009_story_replacement.sql"),
    ),
    (
        "0010_installation",
        include_str!("../../migrations/postgres/0010_installation.sql"),
    ),
    (
        "0011_source_languages",
        include_str!("../../migrations/postgres/0011_source_languages.sql"),
    ),
    (
        "0012_work_queue",
        include_str!("../../migrations/postgres/0012_work_queue.sql"),
    ),
];

/// Key of the advisory lock taken while migrating ("newsdesk" in ASCII).
const MIGRATION_LOCK: i64 = 0x6e65_7773_6465_736b;

const TRACKING_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)";

/// The highest migration applied (0 for an empty database).
pub(crate) fn schema_version(client: &mut Client) -> crate::Result<u32> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?
        .try_get(0)?;
    if !exists {
        return Ok(0);
    }
    let v: Option<i64> = client
        .query_one("SELECT max(version) FROM schema_migrations", &[])?
        .try_get(0)?;
    Ok(u32::try_from(v.unwrap_or(0)).unwrap_or(u32::MAX))
}

/// Fails unless the schema is exactly [`SCHEMA_VERSION`] (nodes that do not migrate).
pub(crate) fn check_current(client: &mut Client) -> Result<(), String> {
    let found = schema_version(client).map_err(|e| e.to_string())?;
    if found > SCHEMA_VERSION {
        return Err(newer_than_known(found));
    }
    if found < SCHEMA_VERSION {
        return Err(format!(
            "database schema version {found} is older than this build of newsdesk needs \
             ({SCHEMA_VERSION}); run `newsdesk migrate` first"
        ));
    }
    Ok(())
}

/// Brings the schema up to [`SCHEMA_VERSION`]; returns how many migrations were applied.
pub(crate) fn migrate(client: &mut Client) -> Result<u32, String> {
    if MIGRATIONS.len() < SCHEMA_VERSION as usize {
        return Err(format!(
            "this build has no PostgreSQL version of migration {} (SQLite has {SCHEMA_VERSION}); \
             add migrations/postgres/00NN_*.sql",
            MIGRATIONS.len() + 1
        ));
    }
    let pg = |e: postgres::Error| format!("PostgreSQL migration failed: {e}");
    let mut tx = client.transaction().map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(pg)?;
    tx.batch_execute(TRACKING_TABLE).map_err(pg)?;
    let current: Option<i64> = tx
        .query_one("SELECT max(version) FROM schema_migrations", &[])
        .and_then(|r| r.try_get(0))
        .map_err(pg)?;
    let current = u32::try_from(current.unwrap_or(0)).unwrap_or(u32::MAX);
    if current > SCHEMA_VERSION {
        return Err(newer_than_known(current));
    }
    let mut applied = 0;
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().take(SCHEMA_VERSION as usize) {
        let version = index as u32 + 1;
        if version <= current {
            continue;
        }
        let fail = |e: postgres::Error| format!("migration {name} failed: {e}");
        tx.batch_execute(sql).map_err(fail)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&i64::from(version), name],
        )
        .map_err(fail)?;
        tracing::info!(
            migration = name,
            version,
            "store: applied PostgreSQL migration"
        );
        applied += 1;
    }
    tx.commit().map_err(pg)?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sqlite_migration_has_a_postgres_twin_of_the_same_name() {
        let sqlite: Vec<&str> = crate::migrations::MIGRATIONS.iter().map(|m| m.0).collect();
        let pg: Vec<&str> = MIGRATIONS.iter().map(|m| m.0).collect();
        assert_eq!(
            pg, sqlite,
            "add migrations/postgres/00NN_*.sql for each new SQLite migration"
        );
    }
}

//! What `newsdesk status` shows of a read replica (`[storage] read_url`): where it is, its
//! schema version, whether it is a streaming standby and how far it is behind the primary.
//!
//! Which queries a replica answers is decided where each operation hands over to PostgreSQL
//! (`Store::pg_read` rather than `Store::pg`): the site's read-only queries go to the replica,
//! everything a writer depends on stays on the primary.

use serde::Serialize;

use crate::{Result, Store};

/// The state of a store's read replica.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplicaStatus {
    /// The replica's URL without its password.
    pub location: String,
    /// The schema version the replica holds.
    pub schema_version: u32,
    /// Whether the replica is a hot standby replaying the primary's WAL (`pg_is_in_recovery()`);
    /// false for a separate database kept in step some other way.
    pub streaming: bool,
    /// Bytes of the primary's WAL the standby has not replayed yet (streaming standbys only).
    pub behind_bytes: Option<u64>,
    /// Seconds since the last transaction the standby replayed was committed on the primary
    /// (grows while the primary is idle too; streaming standbys only, once one was replayed).
    pub last_replay_age_seconds: Option<f64>,
}

impl Store {
    /// The read replica's status, or `None` when this store reads from its primary only.
    pub fn replica_status(&self) -> Result<Option<ReplicaStatus>> {
        let (Some(primary), Some(replica)) = (self.pg(), self.pg_replica()) else {
            return Ok(None);
        };
        let schema_version = replica.with(crate::pg::migrations::schema_version)?;
        let (streaming, age) = replica.with(|c| {
            let row = c.query_one(
                "SELECT pg_is_in_recovery(), \
                 extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8",
                &[],
            )?;
            Ok((
                row.try_get::<_, bool>(0)?,
                row.try_get::<_, Option<f64>>(1)?,
            ))
        })?;
        let behind_bytes = if streaming {
            let at_primary: String = primary.with(|c| {
                Ok(c.query_one("SELECT pg_current_wal_lsn()::text", &[])?
                    .try_get(0)?)
            })?;
            replica.with(|c| {
                let behind: Option<i64> = c
                    .query_one(
                        "SELECT pg_wal_lsn_diff($1::text::pg_lsn, pg_last_wal_replay_lsn())::bigint",
                        &[&at_primary],
                    )?
                    .try_get(0)?;
                Ok(behind.map(|b| u64::try_from(b).unwrap_or(0)))
            })?
        } else {
            None
        };
        Ok(Some(ReplicaStatus {
            location: replica.shown().to_owned(),
            schema_version,
            streaming,
            behind_bytes,
            last_replay_age_seconds: if streaming { age } else { None },
        }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::{Store, StoreError};

    /// The replica's sessions are read-only: a write routed there by mistake fails rather
    /// than landing in another database.
    #[test]
    fn replica_sessions_refuse_writes() {
        let primary = newsdesk_pgtest::fresh_database("ro_primary").unwrap();
        let replica = newsdesk_pgtest::fresh_database("ro_replica").unwrap();
        Store::open_url(&primary).unwrap();
        Store::open_url(&replica).unwrap();
        let store = Store::open_url_with_replica(&primary, &replica).unwrap();
        let pool = store.pg_replica().unwrap();
        let refused = pool
            .with(|c| Ok(c.batch_execute("DELETE FROM sources")?))
            .unwrap_err();
        let StoreError::Postgres(e) = &refused else {
            panic!("{refused}");
        };
        assert_eq!(
            e.code(),
            Some(&postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION),
            "{e:?}"
        );
        // The primary's sessions are not.
        store
            .pg()
            .unwrap()
            .with(|c| Ok(c.batch_execute("DELETE FROM sources")?))
            .unwrap();
    }
}

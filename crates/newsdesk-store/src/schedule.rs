//! Scheduler bookkeeping that [`newsdesk_core::FetchState`] does not hold: whether a source is
//! paused (and why), and a permanent redirect of its feed URL seen on earlier fetches.

use chrono::{DateTime, Utc};
use newsdesk_core::SourceId;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use crate::columns;
use crate::source_rows::source_exists;
use crate::{Result, Store, StoreError};

/// What the scheduler remembers about a source besides its [`newsdesk_core::FetchState`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScheduleState {
    /// Why the source is paused; `None` when it is not paused.
    pub paused_reason: Option<String>,
    /// When it was paused.
    pub paused_at: Option<DateTime<Utc>>,
    /// Target of the permanent redirect (301/308) seen on the last fetch, if any.
    pub redirect_url: Option<String>,
    /// How many fetches in a row were permanently redirected to `redirect_url`.
    pub redirect_seen: u32,
}

impl ScheduleState {
    /// Whether the source is paused.
    pub fn is_paused(&self) -> bool {
        self.paused_reason.is_some()
    }
}

impl Store {
    /// The scheduler bookkeeping of a source (the default when it was never fetched);
    /// [`StoreError::NoSuchSource`] when there is no such source.
    pub fn schedule_state(&self, id: SourceId) -> Result<ScheduleState> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::schedule_state(pg, id);
        }
        self.read(|conn| {
            let found = conn
                .prepare_cached(
                    "SELECT s.id, f.paused_reason, f.paused_at, f.redirect_url, f.redirect_seen \
                     FROM sources s LEFT JOIN fetch_state f ON f.source_id = s.id WHERE s.id = ?1",
                )?
                .query_row([id], |row| {
                    Ok(ScheduleState {
                        paused_reason: row.get(1)?,
                        paused_at: columns::get_opt_instant(row, 2)?,
                        redirect_url: row.get(3)?,
                        redirect_seen: row.get::<_, Option<u32>>(4)?.unwrap_or(0),
                    })
                })
                .optional()?;
            found.ok_or(StoreError::NoSuchSource(id))
        })
    }

    /// Saves the scheduler bookkeeping of a source (its fetch state is left as it is).
    pub fn save_schedule_state(&self, id: SourceId, s: &ScheduleState) -> Result<()> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::save_schedule_state(pg, id, s);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            save_schedule_state_in(&tx, id, s)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Resumes a paused source: clears the pause and the failure count and makes it due now.
    /// `false` when it was not paused; [`StoreError::NoSuchSource`] for an unknown id.
    pub fn resume_source(&self, id: SourceId) -> Result<bool> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::resume_source(pg, id);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !source_exists(&tx, id)? {
                return Err(StoreError::NoSuchSource(id));
            }
            let n = tx
                .prepare_cached(
                    "UPDATE fetch_state SET paused_reason = NULL, paused_at = NULL, \
                     consecutive_failures = 0, next_fetch_at = NULL \
                     WHERE source_id = ?1 AND paused_reason IS NOT NULL",
                )?
                .execute([id])?;
            tx.commit()?;
            if n > 0 {
                tracing::info!(source_id = id, "store: resumed source");
            }
            Ok(n > 0)
        })
    }

    /// Every paused source with the reason, by id.
    pub fn paused_sources(&self) -> Result<Vec<(SourceId, String)>> {
        if let Some(pg) = self.pg() {
            return crate::pg::sources::paused_sources(pg);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT source_id, paused_reason FROM fetch_state \
                 WHERE paused_reason IS NOT NULL ORDER BY source_id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

/// Saves a source's scheduler bookkeeping inside the caller's transaction.
pub(crate) fn save_schedule_state_in(
    tx: &rusqlite::Connection,
    id: SourceId,
    s: &ScheduleState,
) -> Result<()> {
    if !source_exists(tx, id)? {
        return Err(StoreError::NoSuchSource(id));
    }
    tx.prepare_cached(
        "INSERT INTO fetch_state (source_id, paused_reason, paused_at, redirect_url, \
         redirect_seen) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (source_id) DO UPDATE SET paused_reason = excluded.paused_reason, \
         paused_at = excluded.paused_at, redirect_url = excluded.redirect_url, \
         redirect_seen = excluded.redirect_seen",
    )?
    .execute(params![
        id,
        s.paused_reason,
        columns::opt_instant(s.paused_at),
        s.redirect_url,
        s.redirect_seen,
    ])?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use newsdesk_core::{FetchState, NewSource};

    use super::*;

    #[test]
    fn pause_is_kept_across_fetch_state_saves_and_hides_the_source_from_due() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let a = store
            .add_source(&NewSource::new("https://a.example/feed"))
            .unwrap();
        let b = store
            .add_source(&NewSource::new("https://b.example/feed"))
            .unwrap();
        assert_eq!(
            store.schedule_state(a.id).unwrap(),
            ScheduleState::default()
        );
        let now = Utc::now();
        let paused = ScheduleState {
            paused_reason: Some("HTTP 410 Gone".into()),
            paused_at: Some(now),
            redirect_url: None,
            redirect_seen: 0,
        };
        store.save_schedule_state(a.id, &paused).unwrap();
        // Saving the fetch state does not clear the pause.
        let mut st = FetchState::never(a.id);
        st.consecutive_failures = 3;
        store.save_fetch_state(&st).unwrap();
        let back = store.schedule_state(a.id).unwrap();
        assert!(back.is_paused());
        // Both in one transaction.
        st.consecutive_failures = 4;
        store.save_fetch_outcome(&st, &back).unwrap();
        assert_eq!(store.fetch_state(a.id).unwrap().consecutive_failures, 4);
        let back = store.schedule_state(a.id).unwrap();
        assert!(back.is_paused());
        assert_eq!(back.paused_reason.as_deref(), Some("HTTP 410 Gone"));
        assert_eq!(store.due_sources(now).unwrap(), vec![b.id]);
        assert_eq!(
            store.paused_sources().unwrap(),
            vec![(a.id, "HTTP 410 Gone".to_string())]
        );
        assert!(store.resume_source(a.id).unwrap());
        assert!(!store.resume_source(a.id).unwrap());
        assert_eq!(store.fetch_state(a.id).unwrap().consecutive_failures, 0);
        assert_eq!(store.due_sources(now).unwrap(), vec![a.id, b.id]);
        assert!(matches!(
            store.schedule_state(999),
            Err(StoreError::NoSuchSource(999))
        ));
    }
}

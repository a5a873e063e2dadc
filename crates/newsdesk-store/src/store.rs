//! The [`Store`] handle: one writer connection and a small pool of reader connections.
//!
//! SQLite in WAL mode lets readers proceed while one writer commits, so the web server's reads
//! never wait for the fetcher's writes. Within one process every write goes through the single
//! writer connection (behind a `Mutex`); across processes SQLite's own locking (with a 5 s busy
//! timeout) serialises writers.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::migrations;
use crate::{Result, StoreError};

/// Number of reader connections a [`Store`] keeps.
pub const READER_CONNECTIONS: usize = 4;

/// How long a connection waits for another process's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Handle on one database file. Cheap to clone, `Send + Sync`.
///
/// Methods are synchronous and fast; async callers may call them directly for single-row work
/// or wrap them in `spawn_blocking`.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .field("readers", &self.inner.readers.len())
            .finish()
    }
}

impl Drop for Inner {
    /// Lets SQLite refresh its planner statistics when the last handle goes away (cheap; what
    /// the SQLite docs recommend before closing a long-lived connection).
    fn drop(&mut self) {
        let conn = self
            .writer
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Err(e) = conn.execute_batch("PRAGMA optimize") {
            tracing::debug!(path = %self.path.display(), error = %e, "store: PRAGMA optimize failed");
        }
    }
}

/// A poisoned lock only means another thread panicked while holding it; the connection itself
/// is still usable (SQLite rolls back an unfinished transaction when the next one begins).
fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database file, sets WAL mode and runs pending migrations.
    ///
    /// The parent directory must exist. Fails with [`StoreError::Open`] when the file cannot be
    /// created, is not a SQLite database, or has a schema newer than this build knows
    /// ([`crate::SCHEMA_VERSION`]).
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        let fail = |message: String| StoreError::Open {
            path: shown.clone(),
            message,
        };
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
            && !parent.is_dir()
        {
            return Err(fail(format!(
                "parent directory {} does not exist",
                parent.display()
            )));
        }
        if path.is_dir() {
            return Err(fail("it is a directory".to_owned()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut writer =
            Connection::open_with_flags(path, flags).map_err(|e| fail(e.to_string()))?;
        configure(&writer).map_err(|e| fail(e.to_string()))?;
        let mode: String = writer
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(|e| fail(e.to_string()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(fail(format!(
                "could not switch to WAL journal mode (got {mode:?})"
            )));
        }
        let applied = migrations::migrate(&mut writer).map_err(fail)?;

        let mut readers = Vec::with_capacity(READER_CONNECTIONS);
        for _ in 0..READER_CONNECTIONS {
            let reader =
                Connection::open_with_flags(path, flags).map_err(|e| fail(e.to_string()))?;
            configure(&reader).map_err(|e| fail(e.to_string()))?;
            reader
                .pragma_update(None, "query_only", true)
                .map_err(|e| fail(e.to_string()))?;
            readers.push(Mutex::new(reader));
        }
        tracing::debug!(path = %shown, applied, "store: opened");
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer: Mutex::new(writer),
                readers,
                next_reader: AtomicUsize::new(0),
            }),
        })
    }

    /// The database file this store was opened on.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The schema version stored in the file (equal to [`crate::SCHEMA_VERSION`] once open).
    pub fn schema_version(&self) -> Result<u32> {
        self.read(|conn| Ok(migrations::schema_version(conn)?))
    }

    /// Runs `f` on the writer connection (one writer at a time).
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut conn = relock(&self.inner.writer);
        f(&mut conn)
    }

    /// Runs `f` on a free reader connection, waiting for one when all are busy.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let readers = &self.inner.readers;
        let start = self.inner.next_reader.fetch_add(1, Ordering::Relaxed) % readers.len();
        for i in 0..readers.len() {
            match readers[(start + i) % readers.len()].try_lock() {
                Ok(conn) => return f(&conn),
                Err(TryLockError::Poisoned(p)) => return f(&p.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let conn = relock(&readers[start]);
        f(&conn)
    }
}

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
    inner: Arc<Backend>,
}

/// The database behind a [`Store`]: callers never see which one runs.
enum Backend {
    /// One SQLite file (the embedded default).
    Sqlite(Sqlite),
    /// A PostgreSQL database (`[storage] url`), and maybe a read replica of it.
    Postgres(Postgres),
}

/// The PostgreSQL side: the primary, which takes every write and every read-modify-write, and
/// an optional read replica (`[storage] read_url`) that answers the site's read-only queries.
struct Postgres {
    primary: Arc<crate::pg::Pool>,
    replica: Option<Arc<crate::pg::Pool>>,
}

struct Sqlite {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.inner {
            Backend::Sqlite(db) => f
                .debug_struct("Store")
                .field("path", &db.path)
                .field("readers", &db.readers.len())
                .finish(),
            Backend::Postgres(pg) => f
                .debug_struct("Store")
                .field("postgres", &pg.primary.shown())
                .field("replica", &pg.replica.as_ref().map(|r| r.shown()))
                .finish(),
        }
    }
}

impl Drop for Sqlite {
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
            inner: Arc::new(Backend::Sqlite(Sqlite {
                path: path.to_path_buf(),
                writer: Mutex::new(writer),
                readers,
                next_reader: AtomicUsize::new(0),
            })),
        })
    }

    /// Opens the store a URL names: `postgres://…` (or `postgresql://…`) for PostgreSQL,
    /// `sqlite://PATH` or a plain path for a SQLite file; runs pending migrations.
    ///
    /// Fails with [`StoreError::Open`] when the server cannot be reached, the URL is malformed,
    /// or the schema is newer than this build knows ([`crate::SCHEMA_VERSION`]).
    pub fn open_url(url: &str) -> Result<Store> {
        Store::connect(url, true)
    }

    /// Like [`Store::open_url`] but never migrates: fails with [`StoreError::Open`] when the
    /// schema is older or newer than this build knows (for nodes that leave migrations to
    /// `newsdesk migrate`). SQLite files are always migrated on open.
    pub fn open_url_without_migrating(url: &str) -> Result<Store> {
        Store::connect(url, false)
    }

    fn connect(url: &str, migrate: bool) -> Result<Store> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = crate::pg::Pool::connect(url, migrate)?;
            return Ok(Store {
                inner: Arc::new(Backend::Postgres(Postgres {
                    primary: Arc::new(pool),
                    replica: None,
                })),
            });
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Store::open(Path::new(path))
    }

    /// The database file this store was opened on (empty for PostgreSQL; see
    /// [`Store::location`]).
    pub fn path(&self) -> &Path {
        match &*self.inner {
            Backend::Sqlite(db) => &db.path,
            Backend::Postgres(_) => Path::new(""),
        }
    }

    /// Where the data lives, for messages: the SQLite file's path, or the PostgreSQL URL
    /// without its password.
    pub fn location(&self) -> String {
        match &*self.inner {
            Backend::Sqlite(db) => db.path.display().to_string(),
            Backend::Postgres(pg) => pg.primary.shown().to_owned(),
        }
    }

    /// Whether this store runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(&*self.inner, Backend::Postgres(_))
    }

    /// The schema version stored in the database (equal to [`crate::SCHEMA_VERSION`] once open).
    pub fn schema_version(&self) -> Result<u32> {
        if let Some(pg) = self.pg() {
            return pg.with(crate::pg::migrations::schema_version);
        }
        self.read(|conn| Ok(migrations::schema_version(conn)?))
    }

    /// The PostgreSQL primary's pool when this store runs on PostgreSQL: every write, every
    /// read-modify-write and every read a writer depends on goes here.
    pub(crate) fn pg(&self) -> Option<&crate::pg::Pool> {
        match &*self.inner {
            Backend::Postgres(pg) => Some(&pg.primary),
            Backend::Sqlite(_) => None,
        }
    }

    /// The pool for the site's read-only queries (lists, search, article, story and source
    /// pages): the read replica when this store has one, else the primary.
    pub(crate) fn pg_read(&self) -> Option<&crate::pg::Pool> {
        match &*self.inner {
            Backend::Postgres(pg) => Some(pg.replica.as_deref().unwrap_or(&pg.primary)),
            Backend::Sqlite(_) => None,
        }
    }

    /// The read replica's pool, when this store has one.
    pub(crate) fn pg_replica(&self) -> Option<&crate::pg::Pool> {
        match &*self.inner {
            Backend::Postgres(pg) => pg.replica.as_deref(),
            Backend::Sqlite(_) => None,
        }
    }

    /// Opens a PostgreSQL store whose site reads come from a read replica: writes and
    /// read-modify-write paths go to `primary_url`, the read-only queries the web layer makes
    /// ([`Store::list_articles`], search, [`Store::get_article`], [`Store::get_source`],
    /// [`Store::list_sources`], stories, provenance, translations) to `replica_url`.
    ///
    /// Neither database is migrated (like [`Store::open_url_without_migrating`]); both must
    /// hold the schema this build knows. See [`Store::with_replica`].
    pub fn open_url_with_replica(primary_url: &str, replica_url: &str) -> Result<Store> {
        Store::open_url_without_migrating(primary_url)?.with_replica(replica_url)
    }

    /// This store (sharing its connections to the primary) with its site reads going to the
    /// read replica at `replica_url` (a PostgreSQL hot standby, or any database holding the
    /// same rows). The replica is never migrated: it fails with [`StoreError::Open`] unless
    /// its schema is exactly [`crate::SCHEMA_VERSION`]. Its connections run with
    /// `default_transaction_read_only`, so a write can never land there.
    ///
    /// Fails on SQLite: one file has nothing to replicate, and every reader already reads it
    /// directly. Reads that follow a write through the replica may lag behind it by the
    /// replication delay; a path that reads, decides and writes uses [`Store::primary`].
    pub fn with_replica(&self, replica_url: &str) -> Result<Store> {
        let replica_url = replica_url.trim();
        let primary = match &*self.inner {
            Backend::Postgres(pg) => Arc::clone(&pg.primary),
            Backend::Sqlite(db) => {
                return Err(StoreError::Open {
                    path: db.path.display().to_string(),
                    message: "a read replica needs PostgreSQL: this store is one SQLite file \
                              (nothing to replicate; its readers already read it directly); \
                              unset [storage] read_url / $NEWSDESK_DATABASE_READ_URL, or set \
                              [storage] url to a PostgreSQL primary"
                        .to_owned(),
                });
            }
        };
        let replica = crate::pg::Pool::connect_replica(replica_url)?;
        Ok(Store {
            inner: Arc::new(Backend::Postgres(Postgres {
                primary,
                replica: Some(Arc::new(replica)),
            })),
        })
    }

    /// This store without its read replica: every read goes to the primary, as writers need
    /// (a read-modify-write such as a profile edit must start from the latest rows). The same
    /// connections, no new ones; a clone on SQLite or a store without replica.
    pub fn primary(&self) -> Store {
        match &*self.inner {
            Backend::Postgres(pg) if pg.replica.is_some() => Store {
                inner: Arc::new(Backend::Postgres(Postgres {
                    primary: Arc::clone(&pg.primary),
                    replica: None,
                })),
            },
            _ => self.clone(),
        }
    }

    /// The read replica's URL without its password, when this store reads from one.
    pub fn replica_location(&self) -> Option<String> {
        self.pg_replica().map(|r| r.shown().to_owned())
    }

    /// The SQLite side, or an error naming the caller when this store runs on PostgreSQL (every
    /// public operation hands over to `crate::pg` first, so this only guards against a path
    /// that forgot to).
    #[track_caller]
    fn sqlite(&self) -> Result<&Sqlite> {
        match &*self.inner {
            Backend::Sqlite(db) => Ok(db),
            Backend::Postgres(_) => {
                let at = std::panic::Location::caller();
                Err(StoreError::NotOnPostgres(format!(
                    "{}:{}",
                    at.file(),
                    at.line()
                )))
            }
        }
    }

    /// Runs `f` on the writer connection (one writer at a time).
    #[track_caller]
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut conn = relock(&self.sqlite()?.writer);
        f(&mut conn)
    }

    /// Runs `f` on a free reader connection, waiting for one when all are busy.
    #[track_caller]
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let db = self.sqlite()?;
        let readers = &db.readers;
        let start = db.next_reader.fetch_add(1, Ordering::Relaxed) % readers.len();
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

//! The PostgreSQL backend: a small pool of connections and the PostgreSQL twins of the store's
//! queries. The public API stays on [`crate::Store`]; its methods hand over to the functions
//! here when the store runs on PostgreSQL.
//!
//! Values are encoded as on SQLite (instants as RFC 3339 text, lists as JSON text, every integer
//! BIGINT), so both backends hold byte-identical rows and `store copy` can check them.
//!
//! The `postgres` client runs its own small runtime, which cannot start inside another: when the
//! store is called from an async task, the work moves off the runtime's thread (see
//! [`off_async`]), so async callers use the store as they do on SQLite.

pub(crate) mod articles;
pub(crate) mod jobs;
pub(crate) mod listing;
pub(crate) mod migrations;
pub(crate) mod search;
pub(crate) mod sources;
pub(crate) mod stories;
pub(crate) mod translations;
pub(crate) mod web_queries;

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use chrono::{DateTime, Utc};
use postgres::{Client, NoTls};

use crate::{Result, StoreError};

/// Connections a PostgreSQL store keeps open (readers and writers alike: PostgreSQL itself
/// serialises conflicting writes).
pub const POSTGRES_CONNECTIONS: usize = 4;

/// What opening a pool does about the schema.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Brings the schema up to date (`newsdesk migrate`, `Store::open_url`).
    Migrate,
    /// Requires the schema this build knows.
    Check,
    /// A read replica: requires the schema, and every session is read-only.
    Replica,
}

/// A few connections, each behind a `Mutex`, reconnected when the server dropped them.
pub(crate) struct Pool {
    config: postgres::Config,
    shown: String,
    clients: Vec<Mutex<Client>>,
    next: AtomicUsize,
}

impl Drop for Pool {
    /// Closing a connection blocks on the client's runtime too: off the async thread as well.
    fn drop(&mut self) {
        let clients = std::mem::take(&mut self.clients);
        off_async(move || drop(clients));
    }
}

/// The URL without its password, for messages (`***` in its place; a URL that does not parse is
/// not shown).
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "postgres://(unparsable URL)".to_owned(),
    }
}

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Pool {
    /// Connects, then migrates (`migrate`) or checks that the schema is exactly the one this
    /// build knows.
    pub(crate) fn connect(url: &str, migrate: bool) -> Result<Pool> {
        let role = if migrate { Role::Migrate } else { Role::Check };
        off_async(|| Pool::connect_with(url, role))
    }

    /// Connects to a read replica: never migrates, requires the schema this build knows, and
    /// runs every session with `default_transaction_read_only` (a write sent there by mistake
    /// fails instead of landing in the wrong database).
    pub(crate) fn connect_replica(url: &str) -> Result<Pool> {
        let shown = without_password(url);
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::Open {
                path: shown,
                message: "a read replica must be a PostgreSQL URL (postgres://…)".to_owned(),
            });
        }
        off_async(|| Pool::connect_with(url, Role::Replica)).map_err(|e| match e {
            StoreError::Open { path, message } => StoreError::Open {
                path,
                message: format!("read replica: {message}"),
            },
            other => other,
        })
    }

    fn connect_with(url: &str, role: Role) -> Result<Pool> {
        let shown = without_password(url);
        let fail = |message: String| StoreError::Open {
            path: shown.clone(),
            message,
        };
        let mut config = postgres::Config::from_str(url)
            .map_err(|e| fail(format!("not a PostgreSQL URL: {e}")))?;
        if role == Role::Replica {
            let options = match config.get_options() {
                Some(o) if !o.trim().is_empty() => {
                    format!("{o} -c default_transaction_read_only=on")
                }
                _ => "-c default_transaction_read_only=on".to_owned(),
            };
            config.options(&options);
        }
        let mut clients = Vec::with_capacity(POSTGRES_CONNECTIONS);
        for _ in 0..POSTGRES_CONNECTIONS {
            let client = config
                .connect(NoTls)
                .map_err(|e| fail(format!("cannot connect: {e}")))?;
            clients.push(Mutex::new(client));
        }
        {
            let mut first = relock(&clients[0]);
            if role == Role::Migrate {
                let applied = migrations::migrate(&mut first).map_err(fail)?;
                tracing::debug!(url = %shown, applied, "store: opened PostgreSQL");
            } else {
                migrations::check_current(&mut first).map_err(|m| match role {
                    Role::Replica => fail(format!(
                        "{m} (a replica takes its schema from the primary: migrate the \
                         primary and let the replica replay it)"
                    )),
                    _ => fail(m),
                })?;
            }
        }
        Ok(Pool {
            config,
            shown,
            clients,
            next: AtomicUsize::new(0),
        })
    }

    /// The URL without its password.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// Runs `f` on a free connection (waiting for one when all are busy), reconnecting first
    /// when the server closed it.
    pub(crate) fn with<T: Send>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T> + Send,
    ) -> Result<T> {
        off_async(|| self.with_here(f))
    }

    /// [`Pool::with`] on the current thread, for callers that know it runs no async runtime
    /// (a thread of their own) and whose `f` cannot move between threads.
    pub(crate) fn with_here<T>(&self, f: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        let n = self.clients.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        let mut guard = None;
        for i in 0..n {
            match self.clients[(start + i) % n].try_lock() {
                Ok(c) => {
                    guard = Some(c);
                    break;
                }
                Err(TryLockError::Poisoned(p)) => {
                    guard = Some(p.into_inner());
                    break;
                }
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let mut client = match guard {
            Some(c) => c,
            None => relock(&self.clients[start]),
        };
        if client.is_closed() {
            tracing::warn!(url = %self.shown, "store: PostgreSQL connection lost; reconnecting");
            *client = self.config.connect(NoTls)?;
        }
        f(&mut client)
    }
}

/// Runs blocking PostgreSQL work outside any async runtime: directly on a plain thread, else on
/// a scoped thread (which has no runtime context), inside `block_in_place` on a multi-threaded
/// tokio runtime so the other tasks move to other workers meanwhile.
fn off_async<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let on_thread = |f: Box<dyn FnOnce() -> T + Send + '_>| {
        std::thread::scope(|s| match s.spawn(f).join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        })
    };
    match tokio::runtime::Handle::try_current() {
        Err(_) => f(),
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| on_thread(Box::new(f)))
        }
        Ok(_) => on_thread(Box::new(f)),
    }
}

/// Text for a parameter. PostgreSQL's `text` cannot hold U+0000, which SQLite's can and which
/// hostile feeds and pages send (in a title, a URL, an error message): a NUL would fail the
/// whole statement, and with it the batch of articles it belongs to. It is dropped here, so
/// such input is stored as on SQLite, less the NUL characters (which no page shows).
pub(crate) fn text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\0') {
        std::borrow::Cow::Owned(s.replace('\0', ""))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// [`text`] for an optional value.
pub(crate) fn opt_text(s: &Option<String>) -> Option<std::borrow::Cow<'_, str>> {
    s.as_deref().map(text)
}

/// Reads an optional instant stored as RFC 3339 text.
pub(crate) fn opt_instant(row: &postgres::Row, idx: usize) -> Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.try_get(idx)?;
    text.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| StoreError::Decode(format!("instant {s:?} in column {idx}: {e}")))
    })
    .transpose()
}

/// Reads a required instant stored as RFC 3339 text.
pub(crate) fn instant(row: &postgres::Row, idx: usize) -> Result<DateTime<Utc>> {
    opt_instant(row, idx)?
        .ok_or_else(|| StoreError::Decode(format!("missing instant in column {idx}")))
}

/// Reads a BIGINT into a narrower unsigned type.
pub(crate) fn unsigned<T: TryFrom<i64>>(row: &postgres::Row, idx: usize) -> Result<T> {
    let v: i64 = row.try_get(idx)?;
    T::try_from(v).map_err(|_| StoreError::Decode(format!("{v} out of range in column {idx}")))
}

/// Reads a nullable BIGINT into a narrower unsigned type.
pub(crate) fn opt_unsigned<T: TryFrom<i64>>(row: &postgres::Row, idx: usize) -> Result<Option<T>> {
    let v: Option<i64> = row.try_get(idx)?;
    v.map(|v| {
        T::try_from(v).map_err(|_| StoreError::Decode(format!("{v} out of range in column {idx}")))
    })
    .transpose()
}

/// A JSON list of strings stored by `columns::list`.
pub(crate) fn list(row: &postgres::Row, idx: usize) -> Result<Vec<String>> {
    let text: Option<String> = row.try_get(idx)?;
    match text {
        None => Ok(Vec::new()),
        Some(s) => serde_json::from_str(&s)
            .map_err(|e| StoreError::Decode(format!("list in column {idx}: {e}"))),
    }
}

/// Reads unix seconds (the `sort_at` column).
pub(crate) fn unix_seconds(row: &postgres::Row, idx: usize) -> Result<DateTime<Utc>> {
    let secs: i64 = row.try_get(idx)?;
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| StoreError::Decode(format!("unix time {secs} out of range in column {idx}")))
}

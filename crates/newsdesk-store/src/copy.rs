//! `store copy`: moves a whole installation from one store to another (SQLite to PostgreSQL,
//! back, or between two of a kind), verified before it is committed.
//!
//! Every table of the schema is copied in dependency order ([`TABLES`]), in batches, inside
//! one transaction on the target, while the source is read in one consistent snapshot (a read
//! transaction on SQLite, a repeatable-read one on PostgreSQL). Columns the database computes
//! itself (PostgreSQL's generated search vectors) are skipped and so are SQLite's derived
//! tables (the FTS5 indexes and `translation_languages`, rebuilt by their triggers). After the
//! rows, the per-source article counters are put back to the copied values (the insert
//! triggers counted the copied articles once more) and PostgreSQL's identity sequences are
//! moved past the copied ids.
//!
//! Then, still inside the transaction, every table is verified: its row count and a BLAKE3
//! checksum over its rows in key order, each value in a canonical encoding (a type tag, then
//! big-endian integers and float bits, length-prefixed text and bytes), are computed on the
//! target and compared with those computed on the source while it was read. Any difference
//! rolls the whole copy back.

use std::collections::BTreeSet;
use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::{Result, Store, StoreError};

/// The tables `store copy` moves, in dependency order, each with the columns that order its
/// rows (its primary key, or its unique key).
pub const TABLES: &[(&str, &[&str])] = &[
    ("sources", &["id"]),
    ("fetch_state", &["source_id"]),
    ("articles", &["id"]),
    ("feed_entries", &["source_id", "entry_key"]),
    ("article_translations", &["article_id", "language"]),
    ("stories", &["id"]),
    ("article_stories", &["article_id"]),
    ("provenance", &["article_id"]),
    ("story_state", &["id"]),
    (
        "translation_cache",
        &["backend", "source_lang", "target_lang", "segment_hash"],
    ),
    ("translation_usage", &["backend", "day"]),
    ("installation", &["id"]),
    ("jobs", &["id"]),
    ("host_politeness", &["host"]),
    ("workers", &["id"]),
];

/// Tables a fresh store already fills (its own random identity): replaced by the copy, not a
/// reason to call the target non-empty.
const SEEDED: &[&str] = &["installation"];

/// Rows inserted per statement on PostgreSQL (bounded by its 65,535 parameters).
const PG_BATCH_PARAMS: usize = 30_000;

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 1_000;

/// What [`copy_store`] may do.
#[derive(Debug, Clone, Copy, Default)]
pub struct CopyOptions {
    /// Replace whatever the target holds (else a target with any row is refused).
    pub force: bool,
}

/// Where a copy stands, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyProgress<'a> {
    /// Copying `table`: `done` of `total` rows.
    Copying {
        /// The table.
        table: &'a str,
        /// Rows copied so far.
        done: u64,
        /// Rows the source holds.
        total: u64,
    },
    /// Verifying `table` on the target.
    Verifying {
        /// The table.
        table: &'a str,
    },
}

/// One table as copied and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    /// The table.
    pub table: String,
    /// Rows copied (equal on both sides).
    pub rows: u64,
    /// The checksum of its rows (equal on both sides), hex.
    pub checksum: String,
}

/// What a copy did: every table, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// The tables, in the order copied.
    pub tables: Vec<TableCopy>,
}

impl CopyReport {
    /// Rows copied in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// A value as both databases hold it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    /// The canonical encoding the checksums hash.
    fn hash_into(&self, h: &mut blake3::Hasher) {
        match self {
            Value::Null => {
                h.update(&[0]);
            }
            Value::Int(v) => {
                h.update(&[1]);
                h.update(&v.to_be_bytes());
            }
            Value::Real(v) => {
                h.update(&[2]);
                h.update(&v.to_bits().to_be_bytes());
            }
            Value::Text(s) => {
                h.update(&[3]);
                h.update(&(s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
            Value::Blob(b) => {
                h.update(&[4]);
                h.update(&(b.len() as u64).to_be_bytes());
                h.update(b);
            }
        }
    }

    fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Result<Value> {
        use rusqlite::types::ValueRef;
        Ok(match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(
                std::str::from_utf8(t)
                    .map_err(|e| StoreError::Decode(format!("text that is not UTF-8: {e}")))?
                    .to_owned(),
            ),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        })
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) if *ty == Type::FLOAT8 => (*v as f64).to_sql_checked(ty, out),
            Value::Int(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql_checked(ty, out),
            Value::Int(v) if *ty == Type::BOOL => (*v != 0).to_sql_checked(ty, out),
            Value::Int(v) => v.to_sql_checked(ty, out),
            Value::Real(v) => v.to_sql_checked(ty, out),
            Value::Text(s) => s.to_sql_checked(ty, out),
            Value::Blob(b) => b.to_sql_checked(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl<'a> postgres::types::FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Value, BoxError> {
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::BYTEA => Value::Blob(Vec::<u8>::from_sql(ty, raw)?),
            _ => Value::Text(String::from_sql(ty, raw)?),
        })
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Value, BoxError> {
        Ok(Value::Null)
    }

    fn accepts(ty: &Type) -> bool {
        [
            Type::INT8,
            Type::INT4,
            Type::INT2,
            Type::BOOL,
            Type::FLOAT8,
            Type::FLOAT4,
            Type::BYTEA,
        ]
        .contains(ty)
            || <String as postgres::types::FromSql>::accepts(ty)
    }
}

/// A column to copy: its name and whether it holds text (PostgreSQL orders text keys in the
/// C collation, as SQLite compares bytes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    name: String,
    text: bool,
}

/// One database inside the copy's transaction.
trait Side {
    /// The tables of the schema, without the derived ones.
    fn tables(&mut self) -> Result<BTreeSet<String>>;
    /// The columns of `table` that are stored, not computed.
    fn columns(&mut self, table: &str) -> Result<Vec<Column>>;
    /// Rows in `table`.
    fn count(&mut self, table: &str) -> Result<u64>;
    /// Every row of `table` (the `cols` values), in the order of `keys`.
    fn scan(
        &mut self,
        table: &str,
        cols: &[Column],
        keys: &[Column],
        each: &mut dyn FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<()>;
    /// Inserts rows (values in the order of `cols`).
    fn insert(&mut self, table: &str, cols: &[Column], rows: &[Vec<Value>]) -> Result<()>;
    /// Empties the tables (given in dependency order).
    fn clear(&mut self, tables: &[&str]) -> Result<()>;
    /// Runs one statement written in the SQL both dialects share.
    fn execute(&mut self, sql: &str) -> Result<()>;
    /// After the rows: identity sequences past the copied ids.
    fn after_rows(&mut self) -> Result<()>;
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn column_list(cols: &[Column]) -> String {
    cols.iter()
        .map(|c| quoted(&c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

struct SqliteSide<'c> {
    conn: &'c rusqlite::Connection,
}

impl Side for SqliteSide<'_> {
    fn tables(&mut self) -> Result<BTreeSet<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' \
             ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%'",
        )?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // FTS5's shadow tables and the language codes of the translations' FTS rowids are
        // rebuilt by the triggers.
        Ok(names
            .into_iter()
            .filter(|n| !n.contains("_fts_") && n != "translation_languages")
            .collect())
    }

    fn columns(&mut self, table: &str) -> Result<Vec<Column>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, type, hidden FROM pragma_table_xinfo(?1) ORDER BY cid")?;
        let cols = stmt
            .query_map([table], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(cols
            .into_iter()
            .filter(|(_, _, hidden)| *hidden == 0)
            .map(|(name, ty, _)| Column {
                name,
                text: ty.eq_ignore_ascii_case("TEXT"),
            })
            .collect())
    }

    fn count(&mut self, table: &str) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM {}", quoted(table)),
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn scan(
        &mut self,
        table: &str,
        cols: &[Column],
        keys: &[Column],
        each: &mut dyn FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM {} ORDER BY {}",
            column_list(cols),
            quoted(table),
            column_list(keys)
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let values = (0..cols.len())
                .map(|i| Value::from_sqlite(row.get_ref(i)?))
                .collect::<Result<Vec<_>>>()?;
            each(values)?;
        }
        Ok(())
    }

    fn insert(&mut self, table: &str, cols: &[Column], rows: &[Vec<Value>]) -> Result<()> {
        let marks = (1..=cols.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            quoted(table),
            column_list(cols)
        ))?;
        for row in rows {
            stmt.execute(rusqlite::params_from_iter(row.iter()))?;
        }
        Ok(())
    }

    fn clear(&mut self, tables: &[&str]) -> Result<()> {
        for table in tables.iter().rev() {
            self.conn
                .execute(&format!("DELETE FROM {}", quoted(table)), [])?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str) -> Result<()> {
        self.conn.execute(sql, [])?;
        Ok(())
    }

    fn after_rows(&mut self) -> Result<()> {
        // AUTOINCREMENT's sqlite_sequence follows explicit ids by itself.
        Ok(())
    }
}

struct PgSide<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
}

impl Side for PgSide<'_, '_> {
    fn tables(&mut self) -> Result<BTreeSet<String>> {
        Ok(self
            .tx
            .query(
                "SELECT table_name::TEXT FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> 'schema_migrations'",
                &[],
            )?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?)
    }

    fn columns(&mut self, table: &str) -> Result<Vec<Column>> {
        self.tx
            .query(
                "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 \
                 AND is_generated = 'NEVER' ORDER BY ordinal_position",
                &[&table],
            )?
            .iter()
            .map(|r| {
                let ty: String = r.try_get(1)?;
                Ok(Column {
                    name: r.try_get(0)?,
                    text: ty == "text",
                })
            })
            .collect()
    }

    fn count(&mut self, table: &str) -> Result<u64> {
        let n: i64 = self
            .tx
            .query_one(&format!("SELECT COUNT(*) FROM {}", quoted(table)), &[])?
            .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn scan(
        &mut self,
        table: &str,
        cols: &[Column],
        keys: &[Column],
        each: &mut dyn FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<()> {
        let order = keys
            .iter()
            .map(|k| {
                if k.text {
                    format!("{} COLLATE \"C\"", quoted(&k.name))
                } else {
                    quoted(&k.name)
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {order}",
            column_list(cols),
            quoted(table)
        );
        let portal = self.tx.bind(&sql, &[])?;
        loop {
            let rows = self.tx.query_portal(&portal, 1_000)?;
            for row in &rows {
                let values = (0..cols.len())
                    .map(|i| row.try_get::<_, Value>(i))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                each(values)?;
            }
            if rows.len() < 1_000 {
                return Ok(());
            }
        }
    }

    fn insert(&mut self, table: &str, cols: &[Column], rows: &[Vec<Value>]) -> Result<()> {
        let per_statement = (PG_BATCH_PARAMS / cols.len().max(1)).max(1);
        for chunk in rows.chunks(per_statement) {
            let mut sql = format!(
                "INSERT INTO {} ({}) VALUES ",
                quoted(table),
                column_list(cols)
            );
            let mut n = 0;
            for (r, _) in chunk.iter().enumerate() {
                if r > 0 {
                    sql.push_str(", ");
                }
                sql.push('(');
                for c in 0..cols.len() {
                    n += 1;
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${n}"));
                }
                sql.push(')');
            }
            let params: Vec<&(dyn ToSql + Sync)> = chunk
                .iter()
                .flat_map(|row| row.iter().map(|v| v as &(dyn ToSql + Sync)))
                .collect();
            self.tx.execute(&sql, &params)?;
        }
        Ok(())
    }

    fn clear(&mut self, tables: &[&str]) -> Result<()> {
        let list = tables
            .iter()
            .map(|t| quoted(t))
            .collect::<Vec<_>>()
            .join(", ");
        self.tx.batch_execute(&format!("TRUNCATE {list}"))?;
        Ok(())
    }

    fn execute(&mut self, sql: &str) -> Result<()> {
        self.tx.execute(sql, &[])?;
        Ok(())
    }

    fn after_rows(&mut self) -> Result<()> {
        let identities = self.tx.query(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns \
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
            &[],
        )?;
        for row in &identities {
            let (table, column): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            self.tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence($1, $2), \
                     COALESCE((SELECT MAX({col}) FROM {tab}), 0) + 1, false)",
                    col = quoted(&column),
                    tab = quoted(&table)
                ),
                &[&table, &column],
            )?;
        }
        Ok(())
    }
}

fn copy_error(message: String) -> StoreError {
    StoreError::Copy(message)
}

/// The checksum of one row, folded into the table's.
fn hash_row(h: &mut blake3::Hasher, row: &[Value]) {
    for v in row {
        v.hash_into(h);
    }
}

/// The tables of `side` must be exactly [`TABLES`]: a table this build does not know would be
/// left behind.
fn check_tables(side: &mut dyn Side, which: &str) -> Result<()> {
    let found = side.tables()?;
    let known: BTreeSet<String> = TABLES.iter().map(|(t, _)| (*t).to_owned()).collect();
    let unknown: Vec<&String> = found.difference(&known).collect();
    let missing: Vec<&String> = known.difference(&found).collect();
    if unknown.is_empty() && missing.is_empty() {
        return Ok(());
    }
    Err(copy_error(format!(
        "the {which}'s tables differ from those this build copies (unknown: {unknown:?}, \
         missing: {missing:?})"
    )))
}

/// Copies, verifies, and leaves the target's transaction to the caller to commit.
fn copy_between(
    src: &mut dyn Side,
    dst: &mut dyn Side,
    options: CopyOptions,
    progress: &mut dyn FnMut(CopyProgress<'_>),
) -> Result<CopyReport> {
    check_tables(src, "source")?;
    check_tables(dst, "target")?;
    let names: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
    if !options.force {
        for table in &names {
            if SEEDED.contains(table) {
                continue;
            }
            let n = dst.count(table)?;
            if n > 0 {
                return Err(copy_error(format!(
                    "the target is not empty ({table} has {n} rows); --force replaces its \
                     contents"
                )));
            }
        }
    }
    dst.clear(&names)?;

    // Copy, hashing the source's rows as they go by.
    let mut plans = Vec::with_capacity(TABLES.len());
    for (table, key_names) in TABLES {
        let cols = src.columns(table)?;
        let mut theirs = dst.columns(table)?;
        let mut ours = cols.clone();
        ours.iter_mut().for_each(|c| c.text = false);
        theirs.iter_mut().for_each(|c| c.text = false);
        ours.sort();
        theirs.sort();
        if ours != theirs {
            return Err(copy_error(format!(
                "table {table} has other columns on the target ({:?}) than on the source ({:?})",
                theirs.iter().map(|c| &c.name).collect::<Vec<_>>(),
                ours.iter().map(|c| &c.name).collect::<Vec<_>>()
            )));
        }
        let keys = key_names
            .iter()
            .map(|k| {
                cols.iter()
                    .find(|c| c.name == *k)
                    .cloned()
                    .ok_or_else(|| copy_error(format!("table {table} has no column {k}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let total = src.count(table)?;
        let batch = (PG_BATCH_PARAMS / cols.len().max(1)).clamp(1, 1_000);
        let mut pending: Vec<Vec<Value>> = Vec::with_capacity(batch);
        let mut hasher = blake3::Hasher::new();
        let mut done = 0u64;
        progress(CopyProgress::Copying { table, done, total });
        src.scan(table, &cols, &keys, &mut |row| {
            hash_row(&mut hasher, &row);
            pending.push(row);
            done += 1;
            if pending.len() >= batch {
                dst.insert(table, &cols, &pending)?;
                pending.clear();
            }
            if done.is_multiple_of(PROGRESS_EVERY) {
                progress(CopyProgress::Copying { table, done, total });
            }
            Ok(())
        })?;
        if !pending.is_empty() {
            dst.insert(table, &cols, &pending)?;
        }
        progress(CopyProgress::Copying { table, done, total });
        plans.push((*table, cols, keys, done, hasher.finalize()));
    }
    // The copied counters came with the sources; the articles' insert trigger counted every
    // copied article once more.
    dst.execute(
        "UPDATE sources SET article_count = article_count - \
         (SELECT COUNT(*) FROM articles WHERE articles.source_id = sources.id)",
    )?;
    dst.after_rows()?;

    // Verify on the target, inside its transaction.
    let mut report = CopyReport { tables: Vec::new() };
    for (table, cols, keys, rows, checksum) in plans {
        progress(CopyProgress::Verifying { table });
        let mut hasher = blake3::Hasher::new();
        let mut counted = 0u64;
        dst.scan(table, &cols, &keys, &mut |row| {
            hash_row(&mut hasher, &row);
            counted += 1;
            Ok(())
        })?;
        let theirs = hasher.finalize();
        if counted != rows || theirs != checksum {
            return Err(copy_error(format!(
                "verification failed for {table}: {rows} rows (checksum {}) on the source, \
                 {counted} (checksum {}) on the target; nothing was copied",
                checksum.to_hex(),
                theirs.to_hex()
            )));
        }
        report.tables.push(TableCopy {
            table: table.to_owned(),
            rows,
            checksum: checksum.to_hex().to_string(),
        });
    }
    Ok(report)
}

/// Copies every table of `from` into `to` in one transaction on `to`, verified by row counts
/// and checksums before it commits (see the module docs). A target holding any row is refused
/// unless [`CopyOptions::force`]; both stores must be on this build's schema version.
pub fn copy_store(
    from: &Store,
    to: &Store,
    options: CopyOptions,
    progress: &mut (dyn FnMut(CopyProgress<'_>) + Send),
) -> Result<CopyReport> {
    if from.location() == to.location() {
        return Err(copy_error(format!(
            "the source and the target are the same database ({})",
            from.location()
        )));
    }
    let (a, b) = (from.schema_version()?, to.schema_version()?);
    if a != b {
        return Err(copy_error(format!(
            "the source's schema is version {a}, the target's {b}: migrate both first"
        )));
    }
    // Blocking work on a thread of its own, outside any async runtime, so that both
    // databases' connections are used right here (the PostgreSQL client's runtime cannot
    // start inside another one).
    std::thread::scope(|scope| {
        match scope
            .spawn(|| copy_here(from, to, options, progress))
            .join()
        {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// [`copy_store`] on the current thread (which runs no async runtime): the source's snapshot
/// is opened first, the target's transaction inside it.
fn copy_here(
    from: &Store,
    to: &Store,
    options: CopyOptions,
    progress: &mut (dyn FnMut(CopyProgress<'_>) + Send),
) -> Result<CopyReport> {
    let mut copy_into = |src: &mut dyn Side| -> Result<CopyReport> {
        if let Some(pg) = to.pg() {
            pg.with_here(|c| {
                let mut tx = c.transaction()?;
                let report = copy_between(src, &mut PgSide { tx: &mut tx }, options, progress)?;
                tx.commit()?;
                Ok(report)
            })
        } else {
            to.write(|conn| {
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let report = copy_between(src, &mut SqliteSide { conn: &tx }, options, progress)?;
                tx.commit()?;
                Ok(report)
            })
        }
    };
    if let Some(pg) = from.pg() {
        pg.with_here(|c| {
            let mut tx = c
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let report = copy_into(&mut PgSide { tx: &mut tx })?;
            tx.commit()?;
            Ok(report)
        })
    } else {
        from.read(|conn| {
            let tx = conn.unchecked_transaction()?;
            let report = copy_into(&mut SqliteSide { conn: &tx })?;
            tx.commit()?;
            Ok(report)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A target that loses the last character of every text value it is given.
    struct Lossy<'c>(SqliteSide<'c>);

    impl Side for Lossy<'_> {
        fn tables(&mut self) -> Result<BTreeSet<String>> {
            self.0.tables()
        }
        fn columns(&mut self, table: &str) -> Result<Vec<Column>> {
            self.0.columns(table)
        }
        fn count(&mut self, table: &str) -> Result<u64> {
            self.0.count(table)
        }
        fn scan(
            &mut self,
            table: &str,
            cols: &[Column],
            keys: &[Column],
            each: &mut dyn FnMut(Vec<Value>) -> Result<()>,
        ) -> Result<()> {
            self.0.scan(table, cols, keys, each)
        }
        fn insert(&mut self, table: &str, cols: &[Column], rows: &[Vec<Value>]) -> Result<()> {
            let mut rows = rows.to_vec();
            for v in rows.iter_mut().flatten() {
                if let Value::Text(s) = v {
                    s.pop();
                }
            }
            self.0.insert(table, cols, &rows)
        }
        fn clear(&mut self, tables: &[&str]) -> Result<()> {
            self.0.clear(tables)
        }
        fn execute(&mut self, sql: &str) -> Result<()> {
            self.0.execute(sql)
        }
        fn after_rows(&mut self) -> Result<()> {
            self.0.after_rows()
        }
    }

    #[test]
    fn a_target_that_does_not_hold_what_was_sent_fails_the_verification() {
        let dir = tempfile::tempdir().unwrap();
        let from = Store::open(&dir.path().join("a.db")).unwrap();
        from.add_source(&newsdesk_core::NewSource::new("https://one.example/feed"))
            .unwrap();
        let to = Store::open(&dir.path().join("b.db")).unwrap();
        let err = from
            .read(|a| {
                to.write(|b| {
                    let tx = b.transaction()?;
                    copy_between(
                        &mut SqliteSide { conn: a },
                        &mut Lossy(SqliteSide { conn: &tx }),
                        CopyOptions::default(),
                        &mut |_| {},
                    )
                })
            })
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("verification failed for sources"), "{msg}");
        assert!(to.list_sources().unwrap().is_empty(), "rolled back");
    }

    #[test]
    fn values_hash_by_type_and_content() {
        let digest = |row: &[Value]| {
            let mut h = blake3::Hasher::new();
            hash_row(&mut h, row);
            h.finalize()
        };
        let a = digest(&[Value::Text("ab".into()), Value::Text("c".into())]);
        let b = digest(&[Value::Text("a".into()), Value::Text("bc".into())]);
        assert_ne!(a, b, "lengths are part of the encoding");
        assert_ne!(
            digest(&[Value::Int(1)]),
            digest(&[Value::Real(1.0)]),
            "types are part of the encoding"
        );
        assert_ne!(
            digest(&[Value::Null]),
            digest(&[Value::Text(String::new())])
        );
    }
}

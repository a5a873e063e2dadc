//! Stories, provenance links and the story engine's saved state on PostgreSQL (twin of
//! `stories.rs`).
//!
//! The snapshot is a `bytea` value: it is written and read whole (PostgreSQL has no incremental
//! I/O on `bytea`), so the streamed methods gather it in memory first. Saves of the story stage
//! are serialised across processes by a transaction-level advisory lock, as SQLite's immediate
//! transaction does, so two engines never both pass the `placed_through` check.

use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use newsdesk_core::ArticleId;
use postgres::{GenericClient, Row, Transaction};

use super::{Pool, opt_instant, unsigned};
use crate::columns::instant;
use crate::stories::{
    CountingWriter, PROVENANCE, SNAPSHOT_IO_BUFFER, SUMMARY, at, snapshot_io_error,
};
use crate::{
    NewPlacement, ProvenanceRecord, Result, StoreError, StoryArticle, StoryDetail, StoryInput,
    StoryKey, StoryPass, StoryState, StorySummary,
};

/// The advisory lock key that serialises the story stage's saves ("nd-story" in ASCII).
const STORY_LOCK: i64 = 0x6e64_2d73_746f_7279;

fn summary_from_row(row: &Row) -> Result<StorySummary> {
    Ok(StorySummary {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        article_count: unsigned(row, 2)?,
        outlet_count: unsigned(row, 3)?,
        first_at: at(row.try_get(4)?),
        last_at: at(row.try_get(5)?),
    })
}

fn provenance_from_row(row: &Row) -> Result<ProvenanceRecord> {
    let evidence: String = row.try_get(11)?;
    Ok(ProvenanceRecord {
        kind: row.try_get(0)?,
        article: row.try_get(1)?,
        original: row.try_get(2)?,
        original_title: row.try_get(3)?,
        original_source: row.try_get(4)?,
        original_at: at(row.try_get(5)?).unwrap_or_default(),
        article_title: row.try_get(6)?,
        article_source: row.try_get(7)?,
        article_at: at(row.try_get(8)?).unwrap_or_default(),
        matched: row.try_get(9)?,
        confidence: row.try_get::<_, f64>(10)? as f32,
        // A row this store wrote is valid JSON; anything else reads as no evidence.
        evidence: serde_json::from_str(&evidence).unwrap_or_default(),
    })
}

fn story_input_from_row(row: &Row) -> Result<StoryInput> {
    Ok(StoryInput {
        id: row.try_get(0)?,
        language: row.try_get(1)?,
        published_at: opt_instant(row, 2)?,
        title: row.try_get(3)?,
        body_text: row.try_get(4)?,
        clock: row.try_get(5)?,
    })
}

const STORY_INPUT: &str = "SELECT a.id, COALESCE(a.language, s.language), a.published_at, a.title, \
     a.body_text, a.sort_at FROM articles a JOIN sources s ON s.id = a.source_id";

/// One optional value from a single-row query.
fn scalar<T>(
    c: &mut impl GenericClient,
    sql: &str,
    args: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<Option<T>>
where
    T: for<'a> postgres::types::FromSql<'a>,
{
    Ok(c.query_opt(sql, args)?
        .map(|r| r.try_get::<_, Option<T>>(0))
        .transpose()?
        .flatten())
}

pub(crate) fn story_state(pool: &Pool) -> Result<Option<StoryState>> {
    pool.with(|c| {
        c.query_opt(
            "SELECT placed_through, snapshot FROM story_state WHERE id = 1",
            &[],
        )?
        .map(|r| {
            Ok(StoryState {
                placed_through: r.try_get(0)?,
                snapshot: r.try_get(1)?,
            })
        })
        .transpose()
    })
}

pub(crate) fn story_state_with<T>(
    pool: &Pool,
    read: impl FnOnce(ArticleId, &mut dyn Read) -> T,
) -> Result<Option<T>> {
    let Some(state) = story_state(pool)? else {
        return Ok(None);
    };
    let mut reader = std::io::Cursor::new(state.snapshot);
    Ok(Some(read(state.placed_through, &mut reader)))
}

pub(crate) fn max_story_id(pool: &Pool) -> Result<Option<StoryKey>> {
    pool.with(|c| {
        scalar(
            c,
            "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM stories \
             UNION ALL SELECT MAX(story_id) FROM article_stories) AS ids",
            &[],
        )
    })
}

pub(crate) fn story_placed_through(pool: &Pool) -> Result<Option<ArticleId>> {
    pool.with(|c| {
        scalar(
            c,
            "SELECT placed_through FROM story_state WHERE id = 1",
            &[],
        )
    })
}

pub(crate) fn story_progress(pool: &Pool) -> Result<Option<(ArticleId, Option<i64>)>> {
    pool.with(|c| {
        c.query_opt(
            "SELECT placed_through, settled_before FROM story_state WHERE id = 1",
            &[],
        )?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .transpose()
    })
}

pub(crate) fn story_inputs_after(
    pool: &Pool,
    after: ArticleId,
    limit: usize,
) -> Result<Vec<StoryInput>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    pool.with(|c| {
        c.query(
            &format!("{STORY_INPUT} WHERE a.id > $1 ORDER BY a.id LIMIT $2"),
            &[&after, &limit],
        )?
        .iter()
        .map(story_input_from_row)
        .collect()
    })
}

pub(crate) fn story_inputs_unsettled(
    pool: &Pool,
    placed_through: ArticleId,
    settled_before: Option<i64>,
    below: Option<i64>,
    from: (i64, ArticleId),
    limit: usize,
) -> Result<Vec<StoryInput>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let settled_before = settled_before.unwrap_or(i64::MAX);
    let below = below.unwrap_or(i64::MAX);
    pool.with(|c| {
        c.query(
            &format!(
                "{STORY_INPUT} WHERE (a.id > $1 OR a.sort_at >= $2) AND a.sort_at < $3 \
                 AND (a.sort_at > $4 OR (a.sort_at = $4 AND a.id > $5)) \
                 ORDER BY a.sort_at, a.id LIMIT $6"
            ),
            &[
                &placed_through,
                &settled_before,
                &below,
                &from.0,
                &from.1,
                &limit,
            ],
        )?
        .iter()
        .map(story_input_from_row)
        .collect()
    })
}

/// One `MAX`/`MIN` over article columns with one BIGINT parameter (or none).
/// The highest article id, once every article insert in flight has committed or rolled back
/// (it takes [`crate::ARTICLE_INSERT_LOCK`] exclusively, which inserts hold shared): identities
/// are handed out when a row is inserted, so with several writers a lower id can commit after
/// a higher one; an id read this way has no uncommitted id below it.
pub(crate) fn max_article_id(pool: &Pool) -> Result<Option<i64>> {
    pool.with(|c| {
        let mut tx = c.transaction()?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[&crate::ARTICLE_INSERT_LOCK],
        )?;
        let max: Option<i64> = tx
            .query_one("SELECT MAX(id) FROM articles", &[])?
            .try_get(0)?;
        tx.commit()?;
        Ok(max)
    })
}

pub(crate) fn article_aggregate(pool: &Pool, sql: &str, arg: Option<i64>) -> Result<Option<i64>> {
    pool.with(|c| match arg {
        Some(v) => scalar(c, sql, &[&v]),
        None => scalar(c, sql, &[]),
    })
}

/// Rows read per round trip while walking the newest articles back in time.
const WALK_BATCH: i32 = 512;

pub(crate) fn earliest_clock_fetched_since(
    pool: &Pool,
    since: DateTime<Utc>,
) -> Result<Option<i64>> {
    let since = instant(since);
    pool.with(|c| {
        let mut tx = c.build_transaction().read_only(true).start()?;
        let portal = tx.bind(
            "SELECT sort_at, fetched_at FROM articles ORDER BY id DESC",
            &[],
        )?;
        let mut earliest: Option<i64> = None;
        loop {
            let rows = tx.query_portal(&portal, WALK_BATCH)?;
            for row in &rows {
                let fetched: String = row.try_get(1)?;
                if fetched < since {
                    return Ok(earliest);
                }
                let clock: i64 = row.try_get(0)?;
                earliest = Some(earliest.map_or(clock, |e| e.min(clock)));
            }
            if rows.len() < WALK_BATCH as usize {
                return Ok(earliest);
            }
        }
    })
}

/// Recomputes the counts and times of the stories `touched` and deletes those left without
/// articles.
fn refresh_stories(tx: &mut Transaction<'_>, mut touched: Vec<StoryKey>) -> Result<()> {
    touched.sort_unstable();
    touched.dedup();
    let update = tx.prepare(
        "UPDATE stories SET \
         article_count = (SELECT COUNT(*) FROM article_stories WHERE story_id = $1), \
         first_at = (SELECT MIN(a.sort_at) FROM article_stories x \
                     JOIN articles a ON a.id = x.article_id WHERE x.story_id = $1), \
         last_at = (SELECT MAX(a.sort_at) FROM article_stories x \
                    JOIN articles a ON a.id = x.article_id WHERE x.story_id = $1) \
         WHERE id = $1",
    )?;
    let delete = tx.prepare("DELETE FROM stories WHERE id = $1 AND article_count = 0")?;
    for story in touched {
        tx.execute(&update, &[&story])?;
        tx.execute(&delete, &[&story])?;
    }
    Ok(())
}

/// Twin of `record_placements_in` in `stories.rs`.
fn record_placements_in(
    tx: &mut Transaction<'_>,
    placements: &[NewPlacement],
    settled: bool,
    touched: &mut Vec<StoryKey>,
) -> Result<()> {
    let set_story = if settled {
        "story_id = $2, settled_story_id = $2"
    } else {
        "story_id = $2"
    };
    let merge = tx.prepare(&format!(
        "UPDATE article_stories SET {set_story} WHERE story_id = $1"
    ))?;
    let moved = tx.prepare(&format!(
        "UPDATE article_stories SET {set_story} WHERE article_id = $1"
    ))?;
    let title = tx.prepare(
        "INSERT INTO stories (id, title) VALUES ($1, $2) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title",
    )?;
    for p in placements {
        let exists: bool = tx
            .query_one(
                "SELECT EXISTS(SELECT 1 FROM articles WHERE id = $1)",
                &[&p.article],
            )?
            .try_get(0)?;
        for (absorbed, into) in &p.merged {
            tx.execute(&merge, &[absorbed, into])?;
            touched.push(*absorbed);
            touched.push(*into);
        }
        for (article, story) in &p.moved {
            tx.execute(&moved, &[article, story])?;
            touched.push(*story);
        }
        for (story, t) in &p.titles {
            tx.execute(&title, &[story, t])?;
            touched.push(*story);
        }
        if !exists {
            continue;
        }
        tx.execute(
            "INSERT INTO stories (id, title) VALUES ($1, '') ON CONFLICT (id) DO NOTHING",
            &[&p.story],
        )?;
        tx.execute(
            "INSERT INTO article_stories (article_id, story_id, similarity, settled_story_id) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (article_id) DO UPDATE SET \
             story_id = excluded.story_id, similarity = excluded.similarity, \
             settled_story_id = excluded.settled_story_id",
            &[
                &p.article,
                &p.story,
                &f64::from(p.similarity),
                &settled.then_some(p.story),
            ],
        )?;
        touched.push(p.story);
        tx.execute(
            "DELETE FROM provenance WHERE article_id = $1",
            &[&p.article],
        )?;
        if let Some(link) = &p.link {
            let evidence = serde_json::to_string(&link.evidence).unwrap_or_default();
            tx.execute(
                "INSERT INTO provenance \
                 (article_id, kind, original_id, matched_id, confidence, evidence) \
                 SELECT $1::BIGINT, $2::TEXT, $3::BIGINT, $4::BIGINT, $5::DOUBLE PRECISION, \
                 $6::TEXT \
                 WHERE EXISTS(SELECT 1 FROM articles WHERE id = $3::BIGINT) \
                   AND EXISTS(SELECT 1 FROM articles WHERE id = $4::BIGINT) \
                 ON CONFLICT (article_id) DO UPDATE SET kind = excluded.kind, \
                 original_id = excluded.original_id, matched_id = excluded.matched_id, \
                 confidence = excluded.confidence, evidence = excluded.evidence",
                &[
                    &p.article,
                    &link.kind,
                    &link.original,
                    &link.matched,
                    &f64::from(link.confidence),
                    &evidence,
                ],
            )?;
        }
    }
    Ok(())
}

/// Takes the story stage's lock, then fails with [`StoreError::StoryStateMoved`] unless the
/// saved state was placed through `expected` (0 when nothing was saved yet).
fn lock_and_expect(tx: &mut Transaction<'_>, expected: ArticleId) -> Result<()> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&STORY_LOCK])?;
    let found: ArticleId = scalar(
        tx,
        "SELECT placed_through FROM story_state WHERE id = 1",
        &[],
    )?
    .unwrap_or(0);
    if found != expected {
        return Err(StoreError::StoryStateMoved { expected, found });
    }
    Ok(())
}

pub(crate) fn record_provisional(
    pool: &Pool,
    placements: &[NewPlacement],
    placed_through: ArticleId,
) -> Result<()> {
    pool.with(|c| {
        let mut tx = c.transaction()?;
        lock_and_expect(&mut tx, placed_through)?;
        let mut touched = Vec::new();
        record_placements_in(&mut tx, placements, false, &mut touched)?;
        refresh_stories(&mut tx, touched)?;
        tx.commit()?;
        Ok(())
    })
}

pub(crate) fn record_story_pass(
    pool: &Pool,
    pass: &StoryPass<'_>,
    title_of: &dyn Fn(StoryKey) -> Option<String>,
    write_snapshot: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    // The snapshot first, outside the transaction: bytea is written whole.
    let capacity = usize::try_from(pass.snapshot_len)
        .unwrap_or(usize::MAX)
        .min(64 * SNAPSHOT_IO_BUFFER);
    let mut out = CountingWriter {
        inner: Vec::with_capacity(capacity),
        written: 0,
    };
    write_snapshot(&mut out).map_err(snapshot_io_error)?;
    if out.written != pass.snapshot_len {
        return Err(snapshot_io_error(std::io::Error::other(format!(
            "story snapshot of {} bytes announced as {}",
            out.written, pass.snapshot_len
        ))));
    }
    let snapshot = out.inner;
    // `title_of` is not `Sync`: the titles of every story an undo may restore are asked first.
    let restorable: Vec<StoryKey> = pool.with(|c| {
        c.query(
            "SELECT DISTINCT settled_story_id FROM article_stories \
             WHERE settled_story_id IS NOT NULL AND settled_story_id <> story_id",
            &[],
        )?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect::<Result<_>>()
    })?;
    let titles: Vec<(StoryKey, String)> = restorable
        .into_iter()
        .map(|s| (s, title_of(s).unwrap_or_default()))
        .collect();
    let (previous, placed_through) = (pass.previous, pass.placed_through);
    let (settled, provisional, settled_before) =
        (pass.settled, pass.provisional, pass.settled_before);
    pool.with(move |c| {
        let mut tx = c.transaction()?;
        lock_and_expect(&mut tx, previous)?;
        let mut touched: Vec<StoryKey> = Vec::new();
        // Undo the previous save's provisional placements.
        let undone = tx.query(
            "SELECT story_id, settled_story_id FROM article_stories \
             WHERE settled_story_id IS NULL OR settled_story_id <> story_id",
            &[],
        )?;
        let mut restored: Vec<StoryKey> = Vec::new();
        for row in &undone {
            touched.push(row.try_get(0)?);
            if let Some(s) = row.try_get::<_, Option<StoryKey>>(1)? {
                touched.push(s);
                restored.push(s);
            }
        }
        tx.execute(
            "DELETE FROM provenance WHERE article_id IN \
             (SELECT article_id FROM article_stories WHERE settled_story_id IS NULL)",
            &[],
        )?;
        tx.execute(
            "DELETE FROM article_stories WHERE settled_story_id IS NULL",
            &[],
        )?;
        tx.execute(
            "UPDATE article_stories SET story_id = settled_story_id \
             WHERE settled_story_id IS NOT NULL AND settled_story_id <> story_id",
            &[],
        )?;
        restored.sort_unstable();
        restored.dedup();
        for story in &restored {
            // Asked above; a story put back that was not restorable then (another process
            // recorded provisional placements in between) keeps the title it has.
            match titles.iter().find(|(s, _)| s == story) {
                Some((_, title)) => tx.execute(
                    "INSERT INTO stories (id, title) VALUES ($1, $2) \
                     ON CONFLICT (id) DO UPDATE SET title = excluded.title",
                    &[story, title],
                )?,
                None => tx.execute(
                    "INSERT INTO stories (id, title) VALUES ($1, '') \
                     ON CONFLICT (id) DO NOTHING",
                    &[story],
                )?,
            };
        }
        for (is_settled, placements) in [(true, settled), (false, provisional)] {
            record_placements_in(&mut tx, placements, is_settled, &mut touched)?;
        }
        refresh_stories(&mut tx, touched)?;
        tx.execute(
            "INSERT INTO story_state (id, placed_through, snapshot, saved_at, settled_before) \
             VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET \
             placed_through = excluded.placed_through, snapshot = excluded.snapshot, \
             saved_at = excluded.saved_at, settled_before = excluded.settled_before",
            &[
                &placed_through,
                &snapshot,
                &instant(Utc::now()),
                &settled_before,
            ],
        )?;
        tx.commit()?;
        tracing::debug!(
            settled = settled.len(),
            provisional = provisional.len(),
            placed_through,
            "store: recorded story placements"
        );
        Ok(())
    })
}

pub(crate) fn list_stories(
    pool: &Pool,
    order_by: &str,
    min_articles: u32,
    limit: usize,
) -> Result<Vec<StorySummary>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    pool.with(|c| {
        c.query(
            &format!("{SUMMARY} WHERE st.article_count >= $1 ORDER BY {order_by} LIMIT $2"),
            &[&i64::from(min_articles), &limit],
        )?
        .iter()
        .map(summary_from_row)
        .collect()
    })
}

pub(crate) fn get_story(pool: &Pool, id: StoryKey) -> Result<Option<StoryDetail>> {
    pool.with(|c| {
        let Some(row) = c.query_opt(&format!("{SUMMARY} WHERE st.id = $1"), &[&id])? else {
            return Ok(None);
        };
        let summary = summary_from_row(&row)?;
        let articles = c
            .query(
                "SELECT a.id, a.title, a.url, a.source_id, s.name, \
                 COALESCE(a.language, s.language), s.country, a.sort_at, p.kind, p.original_id \
                 FROM article_stories x JOIN articles a ON a.id = x.article_id \
                 JOIN sources s ON s.id = a.source_id \
                 LEFT JOIN provenance p ON p.article_id = a.id \
                 WHERE x.story_id = $1 ORDER BY a.sort_at, a.id",
                &[&id],
            )?
            .iter()
            .map(|row| {
                Ok(StoryArticle {
                    id: row.try_get(0)?,
                    title: row.try_get(1)?,
                    url: row.try_get(2)?,
                    source_id: row.try_get(3)?,
                    source_name: row.try_get(4)?,
                    language: row.try_get(5)?,
                    country: row.try_get(6)?,
                    sort_at: at(row.try_get(7)?).unwrap_or_default(),
                    link_kind: row.try_get(8)?,
                    original: row.try_get(9)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(StoryDetail { summary, articles }))
    })
}

pub(crate) fn article_story(pool: &Pool, article: ArticleId) -> Result<Option<StorySummary>> {
    pool.with(|c| {
        c.query_opt(
            &format!(
                "{SUMMARY} WHERE st.id = \
                 (SELECT story_id FROM article_stories WHERE article_id = $1)"
            ),
            &[&article],
        )?
        .map(|r| summary_from_row(&r))
        .transpose()
    })
}

pub(crate) fn article_story_id(pool: &Pool, article: ArticleId) -> Result<Option<StoryKey>> {
    pool.with(|c| {
        scalar(
            c,
            "SELECT story_id FROM article_stories WHERE article_id = $1",
            &[&article],
        )
    })
}

pub(crate) fn article_provenance(
    pool: &Pool,
    article: ArticleId,
) -> Result<Option<ProvenanceRecord>> {
    pool.with(|c| {
        c.query_opt(
            &format!("{PROVENANCE} WHERE p.article_id = $1"),
            &[&article],
        )?
        .map(|r| provenance_from_row(&r))
        .transpose()
    })
}

pub(crate) fn article_copies(pool: &Pool, article: ArticleId) -> Result<Vec<ProvenanceRecord>> {
    pool.with(|c| {
        c.query(
            &format!("{PROVENANCE} WHERE p.original_id = $1 ORDER BY a.sort_at, a.id"),
            &[&article],
        )?
        .iter()
        .map(provenance_from_row)
        .collect()
    })
}

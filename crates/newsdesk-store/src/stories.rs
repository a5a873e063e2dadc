//! Stories and provenance links: where the story stage placed each article, which earlier
//! article it copies, and the story engine's saved state.
//!
//! The store does not decide anything here: the pipeline runs `newsdesk-stories` and records
//! its decisions with [`Store::record_placements`], which also saves the engine's snapshot and
//! the id of the last article placed, in the same transaction (so a killed process resumes
//! exactly where the saved state ends).

use chrono::{DateTime, TimeZone, Utc};
use newsdesk_core::{ArticleId, SourceId};
use std::io::{BufReader, BufWriter, Read, Write};

use rusqlite::{MAIN_DB, OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::columns::instant;
use crate::{Result, Store, StoreError};

/// A story's id (the story engine's stable id).
pub type StoryKey = i64;

/// One piece of evidence for a provenance link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkEvidence {
    /// The signal (`shared_text`, `paragraph_structure`, `numbers`, `names`, `quote`, `url`).
    pub signal: String,
    /// What matched.
    pub detail: String,
}

/// A provenance link to record: `article` copies `original`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewLink {
    /// `copy`, `translated_copy` or `shares_quotes`.
    pub kind: String,
    /// The original (earliest known version).
    pub original: ArticleId,
    /// The article that matched (the original or a copy of it).
    pub matched: ArticleId,
    /// Confidence in `0.0..=1.0`.
    pub confidence: f32,
    /// What matched.
    pub evidence: Vec<LinkEvidence>,
}

/// One article's placement, as decided by the story stage.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlacement {
    /// The article placed.
    pub article: ArticleId,
    /// The story it joined or started.
    pub story: StoryKey,
    /// Its similarity to that story.
    pub similarity: f32,
    /// Its provenance link, if any.
    pub link: Option<NewLink>,
    /// Stories merged because of it: `(absorbed, into)`.
    pub merged: Vec<(StoryKey, StoryKey)>,
    /// Earlier articles that changed story because of it.
    pub moved: Vec<(ArticleId, StoryKey)>,
    /// Current titles of the stories touched: `(story, title)`.
    pub titles: Vec<(StoryKey, String)>,
}

/// A story as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorySummary {
    /// Stable id.
    pub id: StoryKey,
    /// Title (from its most representative article).
    pub title: String,
    /// Articles in it.
    pub article_count: u32,
    /// Number of distinct outlets (sources) that covered it.
    pub outlet_count: u32,
    /// Its earliest article's time.
    pub first_at: Option<DateTime<Utc>>,
    /// Its latest article's time.
    pub last_at: Option<DateTime<Utc>>,
}

/// One article of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryArticle {
    /// Article id.
    pub id: ArticleId,
    /// Title.
    pub title: String,
    /// Link to the original page.
    pub url: String,
    /// Its source.
    pub source_id: SourceId,
    /// Its source's name.
    pub source_name: String,
    /// Language of the article (else of its source).
    pub language: Option<String>,
    /// Country of its source.
    pub country: Option<String>,
    /// The time it is sorted by (publication, else fetch time).
    pub sort_at: DateTime<Utc>,
    /// Its provenance link kind (`copy`, `translated_copy`, `shares_quotes`), if any.
    pub link_kind: Option<String>,
    /// The original it copies, if any.
    pub original: Option<ArticleId>,
}

/// A story with its articles, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryDetail {
    /// The summary.
    #[serde(flatten)]
    pub summary: StorySummary,
    /// Its articles, oldest first.
    pub articles: Vec<StoryArticle>,
}

/// A stored provenance link with what the page needs to describe both ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceRecord {
    /// `copy`, `translated_copy` or `shares_quotes`.
    pub kind: String,
    /// The copying article.
    pub article: ArticleId,
    /// The original (earliest known version).
    pub original: ArticleId,
    /// The original's title.
    pub original_title: String,
    /// The original's source name.
    pub original_source: String,
    /// The original's time.
    pub original_at: DateTime<Utc>,
    /// The copying article's title.
    pub article_title: String,
    /// The copying article's source name.
    pub article_source: String,
    /// The copying article's time.
    pub article_at: DateTime<Utc>,
    /// The article that matched (the original or a copy of it).
    pub matched: ArticleId,
    /// Confidence in `0.0..=1.0`.
    pub confidence: f32,
    /// What matched.
    pub evidence: Vec<LinkEvidence>,
}

/// What the story stage reads of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryInput {
    /// Article id.
    pub id: ArticleId,
    /// Its clock: `sort_at` (publication time, else first fetch), unix seconds.
    pub clock: i64,
    /// Language (article, else source).
    pub language: Option<String>,
    /// Publication time.
    pub published_at: Option<DateTime<Utc>>,
    /// Title.
    pub title: String,
    /// Plain text.
    pub body_text: String,
}

/// Bytes buffered between the story engine's snapshot and SQLite's incremental blob I/O (each
/// blob write is one SQLite call, so the encoder's many small writes are gathered first).
pub(crate) const SNAPSHOT_IO_BUFFER: usize = 1 << 20;

/// A failure of the caller's snapshot reader or writer, as the store reports it.
pub(crate) fn snapshot_io_error(e: std::io::Error) -> StoreError {
    StoreError::Snapshot(e)
}

/// The story engine's saved state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryState {
    /// The last article id placed.
    pub placed_through: ArticleId,
    /// The engine's snapshot.
    pub snapshot: Vec<u8>,
}

fn story_input_from_row(row: &Row<'_>) -> rusqlite::Result<StoryInput> {
    Ok(StoryInput {
        id: row.get(0)?,
        language: row.get(1)?,
        published_at: crate::columns::get_opt_instant(row, 2)?,
        title: row.get(3)?,
        body_text: row.get(4)?,
        clock: row.get(5)?,
    })
}

/// One save of the story stage (see [`Store::record_story_pass`]).
#[derive(Debug, Clone, Copy)]
pub struct StoryPass<'a> {
    /// Placements of settled articles: final, part of the saved engine state.
    pub settled: &'a [NewPlacement],
    /// Placements of the articles at or after `settled_before`: provisional, undone and made
    /// again by the next pass.
    pub provisional: &'a [NewPlacement],
    /// The last article id placed according to the state saved so far (0: none saved); see
    /// [`StoreError::StoryStateMoved`].
    pub previous: ArticleId,
    /// The last article id placed, after this save.
    pub placed_through: ArticleId,
    /// Articles with a clock before this are in the snapshot (`None`: all placed ones).
    pub settled_before: Option<i64>,
    /// Exact size of the snapshot in bytes.
    pub snapshot_len: u64,
}

pub(crate) fn at(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.and_then(|s| Utc.timestamp_opt(s, 0).single())
}

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<StorySummary> {
    Ok(StorySummary {
        id: row.get(0)?,
        title: row.get(1)?,
        article_count: row.get(2)?,
        outlet_count: row.get(3)?,
        first_at: at(row.get(4)?),
        last_at: at(row.get(5)?),
    })
}

pub(crate) const SUMMARY: &str = "SELECT st.id, st.title, st.article_count, \
     (SELECT COUNT(DISTINCT a.source_id) FROM article_stories x JOIN articles a ON a.id = x.article_id \
      WHERE x.story_id = st.id), st.first_at, st.last_at FROM stories st";

pub(crate) const PROVENANCE: &str = "SELECT p.kind, p.article_id, p.original_id, o.title, os.name, o.sort_at, \
     a.title, s.name, a.sort_at, p.matched_id, p.confidence, p.evidence \
     FROM provenance p JOIN articles a ON a.id = p.article_id JOIN sources s ON s.id = a.source_id \
     JOIN articles o ON o.id = p.original_id JOIN sources os ON os.id = o.source_id";

fn provenance_from_row(row: &Row<'_>) -> rusqlite::Result<ProvenanceRecord> {
    let evidence: String = row.get(11)?;
    Ok(ProvenanceRecord {
        kind: row.get(0)?,
        article: row.get(1)?,
        original: row.get(2)?,
        original_title: row.get(3)?,
        original_source: row.get(4)?,
        original_at: at(row.get(5)?).unwrap_or_default(),
        article_title: row.get(6)?,
        article_source: row.get(7)?,
        article_at: at(row.get(8)?).unwrap_or_default(),
        matched: row.get(9)?,
        confidence: row.get::<_, f64>(10)? as f32,
        // A row this store wrote is valid JSON; anything else reads as no evidence.
        evidence: serde_json::from_str(&evidence).unwrap_or_default(),
    })
}

/// Recomputes the counts and times of the stories `touched` and deletes those left without
/// articles.
fn refresh_stories(tx: &rusqlite::Transaction<'_>, mut touched: Vec<StoryKey>) -> Result<()> {
    touched.sort_unstable();
    touched.dedup();
    for story in touched {
        tx.prepare_cached(
            "UPDATE stories SET \
             article_count = (SELECT COUNT(*) FROM article_stories WHERE story_id = ?1), \
             first_at = (SELECT MIN(a.sort_at) FROM article_stories x \
                         JOIN articles a ON a.id = x.article_id WHERE x.story_id = ?1), \
             last_at = (SELECT MAX(a.sort_at) FROM article_stories x \
                        JOIN articles a ON a.id = x.article_id WHERE x.story_id = ?1) \
             WHERE id = ?1",
        )?
        .execute([story])?;
        tx.prepare_cached("DELETE FROM stories WHERE id = ?1 AND article_count = 0")?
            .execute([story])?;
    }
    Ok(())
}

/// Records `placements` in `tx` (see [`Store::record_story_pass`]): as final when `settled`
/// (the settled story is the story), else provisionally (the settled story is left as it is:
/// none for the article itself, the previous one for articles it moves). Stories touched are
/// pushed to `touched`.
fn record_placements_in(
    tx: &rusqlite::Transaction<'_>,
    placements: &[NewPlacement],
    settled: bool,
    touched: &mut Vec<StoryKey>,
) -> Result<()> {
    for p in placements {
        let exists: bool = tx
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM articles WHERE id = ?1)")?
            .query_row([p.article], |r| r.get(0))?;
        for (absorbed, into) in &p.merged {
            if settled {
                tx.prepare_cached(
                    "UPDATE article_stories SET story_id = ?2, settled_story_id = ?2 \
                     WHERE story_id = ?1",
                )?
                .execute(params![absorbed, into])?;
            } else {
                tx.prepare_cached("UPDATE article_stories SET story_id = ?2 WHERE story_id = ?1")?
                    .execute(params![absorbed, into])?;
            }
            touched.push(*absorbed);
            touched.push(*into);
        }
        for (article, story) in &p.moved {
            if settled {
                tx.prepare_cached(
                    "UPDATE article_stories SET story_id = ?2, settled_story_id = ?2 \
                     WHERE article_id = ?1",
                )?
                .execute(params![article, story])?;
            } else {
                tx.prepare_cached(
                    "UPDATE article_stories SET story_id = ?2 WHERE article_id = ?1",
                )?
                .execute(params![article, story])?;
            }
            touched.push(*story);
        }
        for (story, title) in &p.titles {
            tx.prepare_cached(
                "INSERT INTO stories (id, title) VALUES (?1, ?2) \
                 ON CONFLICT(id) DO UPDATE SET title = excluded.title",
            )?
            .execute(params![story, title])?;
            touched.push(*story);
        }
        if !exists {
            continue;
        }
        tx.prepare_cached(
            "INSERT INTO stories (id, title) VALUES (?1, '') ON CONFLICT(id) DO NOTHING",
        )?
        .execute([p.story])?;
        tx.prepare_cached(
            "INSERT INTO article_stories (article_id, story_id, similarity, settled_story_id) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT(article_id) DO UPDATE SET \
             story_id = excluded.story_id, similarity = excluded.similarity, \
             settled_story_id = excluded.settled_story_id",
        )?
        .execute(params![
            p.article,
            p.story,
            f64::from(p.similarity),
            settled.then_some(p.story)
        ])?;
        touched.push(p.story);
        tx.prepare_cached("DELETE FROM provenance WHERE article_id = ?1")?
            .execute([p.article])?;
        if let Some(link) = &p.link {
            let evidence = serde_json::to_string(&link.evidence).unwrap_or_default();
            tx.prepare_cached(
                "INSERT OR REPLACE INTO provenance \
                 (article_id, kind, original_id, matched_id, confidence, evidence) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6 \
                 WHERE EXISTS(SELECT 1 FROM articles WHERE id = ?3) \
                   AND EXISTS(SELECT 1 FROM articles WHERE id = ?4)",
            )?
            .execute(params![
                p.article,
                link.kind,
                link.original,
                link.matched,
                f64::from(link.confidence),
                evidence
            ])?;
        }
    }
    Ok(())
}

/// Counts what goes through it (a blob refuses to grow, so a short write shows as a count).
pub(crate) struct CountingWriter<W> {
    pub(crate) inner: W,
    pub(crate) written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Which stories a list shows first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StoryOrder {
    /// The most articles first, then the newest.
    #[default]
    Biggest,
    /// The newest latest article first.
    Newest,
}

impl Store {
    /// The story engine's saved state, if any.
    pub fn story_state(&self) -> Result<Option<StoryState>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::story_state(pg);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT placed_through, snapshot FROM story_state WHERE id = 1")?
                .query_row([], |row| {
                    Ok(StoryState {
                        placed_through: row.get(0)?,
                        snapshot: row.get(1)?,
                    })
                })
                .optional()?)
        })
    }

    /// The story engine's saved state, streamed: `read` gets the last article id placed and a
    /// reader over the snapshot (SQLite's incremental blob I/O, so the snapshot is never held in
    /// memory as a whole; on PostgreSQL the `bytea` value is read whole first). `None` when
    /// nothing is saved.
    pub fn story_state_with<T>(
        &self,
        read: impl FnOnce(ArticleId, &mut dyn Read) -> T,
    ) -> Result<Option<T>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::story_state_with(pg, read);
        }
        self.read(|conn| {
            let Some((rowid, placed_through)) = conn
                .prepare_cached("SELECT rowid, placed_through FROM story_state WHERE id = 1")?
                .query_row([], |row| Ok((row.get::<_, i64>(0)?, row.get(1)?)))
                .optional()?
            else {
                return Ok(None);
            };
            let blob = conn.blob_open(MAIN_DB, c"story_state", c"snapshot", rowid, true)?;
            let mut reader = BufReader::with_capacity(SNAPSHOT_IO_BUFFER, blob);
            Ok(Some(read(placed_through, &mut reader)))
        })
    }

    /// The largest story id ever recorded (in stories or placements), if any: a rebuilt story
    /// engine numbers its new stories above it.
    pub fn max_story_id(&self) -> Result<Option<StoryKey>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::max_story_id(pg);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM stories \
                     UNION ALL SELECT MAX(story_id) FROM article_stories)",
                )?
                .query_row([], |r| r.get(0))?)
        })
    }

    /// The last article id placed in stories, without reading the engine's (large) snapshot.
    pub fn story_placed_through(&self) -> Result<Option<ArticleId>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::story_placed_through(pg);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT placed_through FROM story_state WHERE id = 1")?
                .query_row([], |r| r.get(0))
                .optional()?)
        })
    }

    /// Up to `limit` articles with an id above `after`, in id (arrival) order.
    pub fn story_inputs_after(&self, after: ArticleId, limit: usize) -> Result<Vec<StoryInput>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::story_inputs_after(pg, after, limit);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, COALESCE(a.language, s.language), a.published_at, a.title, a.body_text, \
                 a.sort_at FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id > ?1 \
                 ORDER BY a.id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![after, limit as i64], story_input_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Where the story stage stands: the last article id placed and the clock before which
    /// placements are settled (`None`: every article placed is settled); `None` when nothing
    /// was placed yet.
    pub fn story_progress(&self) -> Result<Option<(ArticleId, Option<i64>)>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::story_progress(pg);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT placed_through, settled_before FROM story_state WHERE id = 1",
                )?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        })
    }

    /// The latest clock of the articles up to `through` (by id), if any.
    pub fn latest_clock_through(&self, through: ArticleId) -> Result<Option<i64>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::article_aggregate(
                pg,
                "SELECT MAX(sort_at) FROM articles WHERE id <= $1",
                Some(through),
            );
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT MAX(sort_at) FROM articles WHERE id <= ?1")?
                .query_row([through], |r| r.get(0))?)
        })
    }

    /// The largest article id, if any article. Every article with a lower id is committed:
    /// on PostgreSQL, where several workers insert at once and a lower id can commit after a
    /// higher one, it waits for the inserts in flight ([`crate::ARTICLE_INSERT_LOCK`]); SQLite
    /// has one writer, so ids commit in order.
    pub fn max_article_id(&self) -> Result<Option<ArticleId>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::max_article_id(pg);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT MAX(id) FROM articles")?
                .query_row([], |r| r.get(0))?)
        })
    }

    /// The earliest clock (`sort_at`) of the articles fetched at or after `since`: the newest
    /// articles (by id) are read back until one fetched before `since`, so the cost is that of
    /// the recent arrivals, not of the whole store. `None` when none is that recent.
    pub fn earliest_clock_fetched_since(&self, since: DateTime<Utc>) -> Result<Option<i64>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::earliest_clock_fetched_since(pg, since);
        }
        let since = instant(since);
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT sort_at, fetched_at FROM articles ORDER BY id DESC")?;
            let mut rows = stmt.query([])?;
            let mut earliest: Option<i64> = None;
            while let Some(row) = rows.next()? {
                let fetched: String = row.get(1)?;
                if fetched < since {
                    break;
                }
                let clock: i64 = row.get(0)?;
                earliest = Some(earliest.map_or(clock, |e| e.min(clock)));
            }
            Ok(earliest)
        })
    }

    /// The latest article clock (`sort_at`, unix seconds) in the store, if any article.
    pub fn latest_article_clock(&self) -> Result<Option<i64>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::article_aggregate(
                pg,
                "SELECT MAX(sort_at) FROM articles",
                None,
            );
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT MAX(sort_at) FROM articles")?
                .query_row([], |r| r.get(0))?)
        })
    }

    /// The earliest clock of the articles stored after `after` (by id), if any.
    pub fn earliest_clock_after(&self, after: ArticleId) -> Result<Option<i64>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::article_aggregate(
                pg,
                "SELECT MIN(sort_at) FROM articles WHERE id > $1",
                Some(after),
            );
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT MIN(sort_at) FROM articles WHERE id > ?1")?
                .query_row([after], |r| r.get(0))?)
        })
    }

    /// Up to `limit` articles that are not settled — stored after `placed_through` (by id), or
    /// with a clock at or after `settled_before` — whose clock is before `below`, in clock order
    /// (then id), starting after the key `from` (`(clock, id)`).
    pub fn story_inputs_unsettled(
        &self,
        placed_through: ArticleId,
        settled_before: Option<i64>,
        below: Option<i64>,
        from: (i64, ArticleId),
        limit: usize,
    ) -> Result<Vec<StoryInput>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::story_inputs_unsettled(
                pg,
                placed_through,
                settled_before,
                below,
                from,
                limit,
            );
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, COALESCE(a.language, s.language), a.published_at, a.title, a.body_text, \
                 a.sort_at FROM articles a JOIN sources s ON s.id = a.source_id \
                 WHERE (a.id > ?1 OR a.sort_at >= ?2) AND a.sort_at < ?3 \
                 AND (a.sort_at > ?4 OR (a.sort_at = ?4 AND a.id > ?5)) \
                 ORDER BY a.sort_at, a.id LIMIT ?6",
            )?;
            let rows = stmt.query_map(
                params![
                    placed_through,
                    settled_before.unwrap_or(i64::MAX),
                    below.unwrap_or(i64::MAX),
                    from.0,
                    from.1,
                    limit as i64
                ],
                story_input_from_row,
            )?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Records placements, the id of the last article placed and the engine's snapshot, in one
    /// transaction, if the state saved so far was placed through `previous` (0: none saved):
    /// otherwise another process placed articles meanwhile and nothing is recorded
    /// ([`StoreError::StoryStateMoved`]), so two engines never hand out the same story ids. Merges move the absorbed story's articles and delete it; counts and times
    /// of every story touched are recomputed. An article that is gone (deleted with its
    /// source) is skipped.
    pub fn record_placements(
        &self,
        placements: &[NewPlacement],
        previous: ArticleId,
        placed_through: ArticleId,
        snapshot: &[u8],
    ) -> Result<()> {
        self.record_placements_streamed(
            placements,
            previous,
            placed_through,
            snapshot.len() as u64,
            |out| out.write_all(snapshot),
        )
    }

    /// [`Store::record_placements`] with the snapshot streamed by `write_snapshot` straight
    /// into the database (SQLite's incremental blob I/O: no copy of the snapshot is built, by
    /// the caller or by the binding; PostgreSQL gathers it in memory and writes it whole). `snapshot_len` is its exact size in bytes; writing more
    /// or fewer bytes, or a failing `write_snapshot`, records nothing.
    pub fn record_placements_streamed(
        &self,
        placements: &[NewPlacement],
        previous: ArticleId,
        placed_through: ArticleId,
        snapshot_len: u64,
        write_snapshot: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let pass = StoryPass {
            settled: placements,
            provisional: &[],
            previous,
            placed_through,
            settled_before: None,
            snapshot_len,
        };
        self.record_story_pass(&pass, &|_| None, write_snapshot)
    }

    /// Records provisional placements (see [`StoryPass::provisional`]) made after the save of
    /// [`Store::record_story_pass`] that left the state placed through `placed_through`, without
    /// touching the saved engine state; nothing is recorded if the state moved meanwhile
    /// ([`StoreError::StoryStateMoved`]).
    pub fn record_provisional(
        &self,
        placements: &[NewPlacement],
        placed_through: ArticleId,
    ) -> Result<()> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::record_provisional(pg, placements, placed_through);
        }
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            expect_placed_through(&tx, placed_through)?;
            let mut touched = Vec::new();
            record_placements_in(&tx, placements, false, &mut touched)?;
            refresh_stories(&tx, touched)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Records one save of the story stage in one transaction: first every provisional
    /// placement of the previous save is undone (provisional rows and links deleted, settled
    /// articles moved provisionally put back in their settled story), then the settled
    /// placements are recorded as final and the provisional ones on top, and the engine's
    /// state is saved (streamed by `write_snapshot`, exactly `snapshot_len` bytes) with
    /// `placed_through` and `settled_before`. Nothing is recorded if the state saved so far
    /// was not placed through `previous` ([`StoreError::StoryStateMoved`]). Counts and times
    /// of every story touched are recomputed, a touched story left without articles is
    /// deleted, and `title_of` gives the current title of a story put back by the undo.
    pub fn record_story_pass(
        &self,
        pass: &StoryPass<'_>,
        title_of: &dyn Fn(StoryKey) -> Option<String>,
        write_snapshot: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::record_story_pass(pg, pass, title_of, write_snapshot);
        }
        let blob_len = i64::try_from(pass.snapshot_len)
            .map_err(|e| snapshot_io_error(std::io::Error::other(e)))?;
        let (previous, placed_through) = (pass.previous, pass.placed_through);
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            expect_placed_through(&tx, previous)?;
            let mut touched: Vec<StoryKey> = Vec::new();
            // Undo the previous save's provisional placements.
            let undone: Vec<(StoryKey, Option<StoryKey>)> = tx
                .prepare_cached(
                    "SELECT story_id, settled_story_id FROM article_stories \
                     WHERE settled_story_id IS NULL OR settled_story_id != story_id",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut restored: Vec<StoryKey> = Vec::new();
            for (now, settled) in undone {
                touched.push(now);
                if let Some(s) = settled {
                    touched.push(s);
                    restored.push(s);
                }
            }
            tx.prepare_cached(
                "DELETE FROM provenance WHERE article_id IN \
                 (SELECT article_id FROM article_stories WHERE settled_story_id IS NULL)",
            )?
            .execute([])?;
            tx.prepare_cached("DELETE FROM article_stories WHERE settled_story_id IS NULL")?
                .execute([])?;
            tx.prepare_cached(
                "UPDATE article_stories SET story_id = settled_story_id \
                 WHERE settled_story_id IS NOT NULL AND settled_story_id != story_id",
            )?
            .execute([])?;
            restored.sort_unstable();
            restored.dedup();
            for story in &restored {
                tx.prepare_cached(
                    "INSERT INTO stories (id, title) VALUES (?1, ?2) \
                     ON CONFLICT(id) DO UPDATE SET title = excluded.title",
                )?
                .execute(params![story, title_of(*story).unwrap_or_default()])?;
            }
            for (settled, placements) in [(true, pass.settled), (false, pass.provisional)] {
                record_placements_in(&tx, placements, settled, &mut touched)?;
            }
            refresh_stories(&tx, touched)?;
            tx.prepare_cached(
                "INSERT INTO story_state (id, placed_through, snapshot, saved_at, settled_before) \
                 VALUES (1, ?1, zeroblob(?2), ?3, ?4) ON CONFLICT(id) DO UPDATE SET \
                 placed_through = excluded.placed_through, snapshot = excluded.snapshot, \
                 saved_at = excluded.saved_at, settled_before = excluded.settled_before",
            )?
            .execute(params![
                placed_through,
                blob_len,
                instant(Utc::now()),
                pass.settled_before
            ])?;
            let rowid: i64 = tx
                .prepare_cached("SELECT rowid FROM story_state WHERE id = 1")?
                .query_row([], |r| r.get(0))?;
            {
                let blob = tx.blob_open(MAIN_DB, c"story_state", c"snapshot", rowid, false)?;
                let mut out = CountingWriter {
                    inner: BufWriter::with_capacity(SNAPSHOT_IO_BUFFER, blob),
                    written: 0,
                };
                write_snapshot(&mut out).map_err(snapshot_io_error)?;
                out.inner.flush().map_err(snapshot_io_error)?;
                if out.written != pass.snapshot_len {
                    return Err(snapshot_io_error(std::io::Error::other(format!(
                        "story snapshot of {} bytes announced as {}",
                        out.written, pass.snapshot_len
                    ))));
                }
            }
            tx.commit()?;
            tracing::debug!(
                settled = pass.settled.len(),
                provisional = pass.provisional.len(),
                placed_through,
                "store: recorded story placements"
            );
            Ok(())
        })
    }

    /// Stories with at least `min_articles` articles, in `order`, at most `limit`.
    pub fn list_stories(
        &self,
        order: StoryOrder,
        min_articles: u32,
        limit: usize,
    ) -> Result<Vec<StorySummary>> {
        let order_by = match order {
            StoryOrder::Biggest => "st.article_count DESC, st.last_at DESC, st.id DESC",
            StoryOrder::Newest => "st.last_at DESC, st.id DESC",
        };
        if let Some(pg) = self.pg_read() {
            return crate::pg::stories::list_stories(pg, order_by, min_articles, limit);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "{SUMMARY} WHERE st.article_count >= ?1 ORDER BY {order_by} LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![min_articles, limit as i64], summary_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// One story with its articles (oldest first), if it exists.
    pub fn get_story(&self, id: StoryKey) -> Result<Option<StoryDetail>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::stories::get_story(pg, id);
        }
        self.read(|conn| {
            let Some(summary) = conn
                .prepare_cached(&format!("{SUMMARY} WHERE st.id = ?1"))?
                .query_row([id], summary_from_row)
                .optional()?
            else {
                return Ok(None);
            };
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.title, a.url, a.source_id, s.name, COALESCE(a.language, s.language), \
                 s.country, a.sort_at, p.kind, p.original_id \
                 FROM article_stories x JOIN articles a ON a.id = x.article_id \
                 JOIN sources s ON s.id = a.source_id \
                 LEFT JOIN provenance p ON p.article_id = a.id \
                 WHERE x.story_id = ?1 ORDER BY a.sort_at, a.id",
            )?;
            let articles = stmt
                .query_map([id], |row| {
                    Ok(StoryArticle {
                        id: row.get(0)?,
                        title: row.get(1)?,
                        url: row.get(2)?,
                        source_id: row.get(3)?,
                        source_name: row.get(4)?,
                        language: row.get(5)?,
                        country: row.get(6)?,
                        sort_at: at(row.get(7)?).unwrap_or_default(),
                        link_kind: row.get(8)?,
                        original: row.get(9)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(StoryDetail { summary, articles }))
        })
    }

    /// The story an article was placed in, if any.
    pub fn article_story(&self, article: ArticleId) -> Result<Option<StorySummary>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::stories::article_story(pg, article);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "{SUMMARY} WHERE st.id = (SELECT story_id FROM article_stories WHERE article_id = ?1)"
                ))?
                .query_row([article], summary_from_row)
                .optional()?)
        })
    }

    /// The id of the story an article was placed in, if any (one index lookup).
    pub fn article_story_id(&self, article: ArticleId) -> Result<Option<StoryKey>> {
        if let Some(pg) = self.pg() {
            return crate::pg::stories::article_story_id(pg, article);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT story_id FROM article_stories WHERE article_id = ?1")?
                .query_row([article], |r| r.get(0))
                .optional()?)
        })
    }

    /// The article's own provenance link (what it copies), if any.
    pub fn article_provenance(&self, article: ArticleId) -> Result<Option<ProvenanceRecord>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::stories::article_provenance(pg, article);
        }
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!("{PROVENANCE} WHERE p.article_id = ?1"))?
                .query_row([article], provenance_from_row)
                .optional()?)
        })
    }

    /// The links of articles that copy this one (oldest first).
    pub fn article_copies(&self, article: ArticleId) -> Result<Vec<ProvenanceRecord>> {
        if let Some(pg) = self.pg_read() {
            return crate::pg::stories::article_copies(pg, article);
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "{PROVENANCE} WHERE p.original_id = ?1 ORDER BY a.sort_at, a.id"
            ))?;
            let rows = stmt.query_map([article], provenance_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

/// Fails with [`StoreError::StoryStateMoved`] unless the saved engine state was placed through
/// `expected` (0 when nothing was saved yet): another writer moved it meanwhile.
fn expect_placed_through(tx: &rusqlite::Transaction<'_>, expected: ArticleId) -> Result<()> {
    let found: ArticleId = tx
        .prepare_cached("SELECT placed_through FROM story_state WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    if found != expected {
        return Err(StoreError::StoryStateMoved { expected, found });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_snapshot_reads_back_and_a_short_one_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        // Larger than the I/O buffer, so it goes through several blob writes.
        let snapshot: Vec<u8> = (0..3 * SNAPSHOT_IO_BUFFER + 17)
            .map(|i| (i % 251) as u8)
            .collect();
        store
            .record_placements_streamed(&[], 0, 7, snapshot.len() as u64, |out| {
                snapshot.chunks(1000).try_for_each(|c| out.write_all(c))
            })
            .unwrap();
        let read = store
            .story_state_with(|through, r| {
                let mut bytes = Vec::new();
                r.read_to_end(&mut bytes).map(|_| (through, bytes))
            })
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(read.0, 7);
        assert!(read.1 == snapshot, "the snapshot reads back byte for byte");
        assert_eq!(store.story_state().unwrap().unwrap().snapshot, snapshot);

        // Announced longer than written: refused, and the saved state is unchanged.
        let err = store
            .record_placements_streamed(&[], 7, 9, 10, |out| out.write_all(b"short"))
            .unwrap_err();
        assert!(err.to_string().contains("announced as 10"), "{err}");
        assert_eq!(store.story_placed_through().unwrap(), Some(7));
        // Longer than announced: the blob does not grow, the write fails.
        assert!(
            store
                .record_placements_streamed(&[], 7, 9, 3, |out| out.write_all(b"longer"))
                .is_err()
        );
        assert_eq!(store.story_state().unwrap().unwrap().snapshot, snapshot);
    }
}

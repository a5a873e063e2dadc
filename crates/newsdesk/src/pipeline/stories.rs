//! The story stage wired into ingest: places every newly stored article with
//! `newsdesk-stories` and records the decisions (story, provenance link, merges, moves) in the
//! store.
//!
//! The engine is in-memory and bounded by its time window, while `newsdesk fetch` is one
//! process per pass; so a pass restores the engine once from the snapshot saved in the store
//! (streamed out of the database), feeds it the articles stored since the last one placed (in
//! arrival order, i.e. by id, and within each read of [`PLACE_BATCH`] by publication time), and
//! saves the placements, the new snapshot (streamed in) and the last id placed in one
//! transaction at the end of the pass and every [`SAVE_EVERY`] articles of a long one. A pass
//! that dies part-way leaves a consistent state and the next one continues from it. A failure
//! here is logged and never undoes or blocks ingest: the articles stay stored and are placed by
//! the next pass.
//!
//! With a translation backend configured, the copy detector checks translated-copy candidates
//! in `[stories] pivot_language` ([`StoryPivot`], [`TranslatorPivot`]).
//!
//! [`StoryEngine::finish`] (the end-of-stream split re-check) is not called: a running server
//! has no end of stream, and calling it at the end of each pass would make placements depend
//! on where passes happen to end (the same articles fetched in one pass or in three would land
//! in different stories, and a restored engine would no longer continue like an uninterrupted
//! one). Stories are re-checked for splits as they grow instead, and leave the window as they
//! are.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use newsdesk_store::{LinkEvidence, NewLink, NewPlacement, Store, StoryInput, StoryKey};
use newsdesk_stories::{Document, PivotTranslate, Placement, StoryConfig, StoryEngine, StoryId};
use newsdesk_translate::Translator;
use tracing::{debug, info, warn};

/// Articles read from the store (and ordered by publication time) at a time.
pub const PLACE_BATCH: usize = 5_000;

/// Articles placed between two saves of the placements and the engine's snapshot. The snapshot
/// is the engine's whole window in a compact binary format (see
/// [`newsdesk_stories::SNAPSHOT_VERSION`]), streamed into the database without a copy in
/// memory; it is saved at the end of a pass and every this many articles of a long one. A pass
/// killed in between is redone from the last save by the next one (the engine is
/// deterministic, a restored engine places exactly as the saved one would have, and placements
/// are upserts). A snapshot that cannot be read (corrupt, or of another format version) is not
/// fatal: the engine is rebuilt (see `rebuilt_engine`).
pub const SAVE_EVERY: usize = 25_000;

/// Language given to the engine when neither the article nor its source has one.
const UNKNOWN_LANGUAGE: &str = "und";

/// One placement pass at a time in this process (the serve scheduler and a manual pass could
/// otherwise place the same articles twice).
static PLACING: Mutex<()> = Mutex::new(());

/// The engine's settings: its defaults, except that a copy is placed by its own text rather
/// than always in its original's story (`follow_copies = false`). Provenance links are stored
/// and shown on their own, and a true copy is close enough to its original to join it anyway;
/// following links would let one wrong link (a same-event report taken for a translation)
/// drag an article, and every later link to it, into an unrelated story. On the demo corpus
/// this turns 6 multi-outlet events spread over 11 mixed stories into 6 clean ones.
pub fn story_config() -> StoryConfig {
    StoryConfig {
        follow_copies: false,
        ..StoryConfig::default()
    }
}

/// What one placement pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlaceReport {
    /// Articles placed.
    pub placed: usize,
    /// Of those, articles that started a new story.
    pub new_stories: usize,
    /// Of those, articles with a provenance link (copy, translated copy, shared quotes).
    pub linked: usize,
    /// Links the copy detector proposed that were not kept: the article it matched is in
    /// another story (see [`Known::check_link`]).
    pub unlinked: usize,
}

/// Where this run put articles and which originals its kept links name, over what the store
/// already holds (this run's placements are written at the end of the batch).
struct Known<'a> {
    store: &'a Store,
    story: HashMap<i64, StoryKey>,
    original: HashMap<i64, i64>,
}

impl<'a> Known<'a> {
    fn new(store: &'a Store) -> Self {
        Known {
            store,
            story: HashMap::new(),
            original: HashMap::new(),
        }
    }

    /// Notes a placement (and the earlier articles it moved).
    fn placed(&mut self, p: &NewPlacement) {
        self.story.insert(p.article, p.story);
        for (article, story) in &p.moved {
            self.story.insert(*article, *story);
        }
    }

    /// Keeps `p.link` only when the article it matched is in the same story as `p.article`,
    /// and then names as the original the root of the links *kept* so far (the matched
    /// article's own original, else the matched article). Returns whether it was kept.
    ///
    /// The story clusterer and the copy detector read different signals; a copy or a
    /// translation is a report of the same event, so a link that crosses stories is far more
    /// often a false translation (same paragraph count, a few shared numbers) than a true copy
    /// the clusterer missed. On the demo corpus this keeps 10 of 46 proposed links, both true
    /// ones among them, and stops one false link from redirecting every later copy's original.
    fn check_link(&mut self, engine: &StoryEngine, p: &mut NewPlacement) -> anyhow::Result<bool> {
        let Some(link) = p.link.as_mut() else {
            return Ok(false);
        };
        let matched_story = match self.story.get(&link.matched) {
            Some(s) => Some(*s),
            None => self.store.article_story_id(link.matched)?,
        };
        let same = matched_story
            .and_then(|s| u64::try_from(s).ok())
            .map(|s| key(engine.resolve(s)))
            == Some(p.story);
        if !same {
            debug!(
                stage = "stories",
                article_id = p.article,
                matched = link.matched,
                kind = %link.kind,
                "provenance link across stories not kept"
            );
            p.link = None;
            return Ok(false);
        }
        link.original = match self.original.get(&link.matched) {
            Some(o) => *o,
            None => self
                .store
                .article_provenance(link.matched)?
                .map_or(link.matched, |r| r.original),
        };
        self.original.insert(p.article, link.original);
        Ok(true)
    }
}

/// Places the articles stored since the last placement (blocking: run it off the async
/// runtime). Errors are the store's or a snapshot that cannot be read or written.
pub fn place_pending(store: &Store) -> anyhow::Result<PlaceReport> {
    place_pending_with(store, None)
}

/// [`place_pending`] with a pivot-translation hook for the copy detector (see
/// [`StoryPivot::hook`]); it is set on the engine after it is restored.
pub fn place_pending_with(
    store: &Store,
    pivot: Option<Arc<dyn PivotTranslate>>,
) -> anyhow::Result<PlaceReport> {
    let _one_at_a_time = PLACING.lock().unwrap_or_else(|p| p.into_inner());
    let start = std::time::Instant::now();
    // Most passes of a running server store nothing new: then the snapshot is not even read.
    let through = store.story_placed_through()?.unwrap_or(0);
    if store.story_inputs_after(through, 1)?.is_empty() {
        return Ok(PlaceReport::default());
    }
    // The snapshot is streamed out of the database, never held whole in memory.
    let restoring = std::time::Instant::now();
    let saved = store.story_state_with(|placed_through, snapshot| {
        (placed_through, StoryEngine::read_snapshot(snapshot))
    })?;
    let (mut engine, mut saved_through) = match saved {
        Some((placed_through, Ok(engine))) => (engine, placed_through),
        Some((placed_through, Err(e))) => {
            (rebuilt_engine(store, placed_through, &e)?, placed_through)
        }
        None => (StoryEngine::new(story_config()), 0),
    };
    let restore_ms = restoring.elapsed().as_millis() as u64;
    engine.set_pivot(pivot);
    let mut report = PlaceReport::default();
    let mut saving = std::time::Duration::ZERO;
    let mut snapshot_bytes = 0;
    let mut cursor = saved_through;
    let mut batch: Vec<NewPlacement> = Vec::new();
    let mut known = Known::new(store);
    loop {
        let mut inputs = store.story_inputs_after(cursor, PLACE_BATCH)?;
        let last = inputs.last().map(|i| i.id);
        if let Some(last) = last {
            // Articles stored together (one pass) arrive in the order of their publication, so
            // that a copy fetched before its original is not taken for the original.
            inputs.sort_by_key(|i| (i.published_at.is_none(), i.published_at, i.id));
            place_inputs(&mut engine, &inputs, &mut known, &mut batch, &mut report)?;
            cursor = last;
        }
        let done = last.is_none();
        if batch.is_empty() || (!done && batch.len() < SAVE_EVERY) {
            if done {
                break;
            }
            continue;
        }
        let save_start = std::time::Instant::now();
        let len = engine.snapshot_len()?;
        store.record_placements_streamed(&batch, saved_through, cursor, len, |out| {
            engine.write_snapshot(out).map_err(std::io::Error::other)
        })?;
        saving += save_start.elapsed();
        snapshot_bytes = len;
        saved_through = cursor;
        batch.clear();
        known = Known::new(store);
        if done {
            break;
        }
    }
    if report.placed > 0 {
        info!(
            stage = "stories",
            placed = report.placed,
            new_stories = report.new_stories,
            linked = report.linked,
            unlinked = report.unlinked,
            open_stories = engine.open_stories(),
            ms = start.elapsed().as_millis() as u64,
            restore_ms,
            saving_ms = saving.as_millis() as u64,
            snapshot_bytes,
            pivot = engine.has_pivot(),
            "articles placed in stories"
        );
    }
    Ok(report)
}

/// Places `inputs` (in order) and notes their placements in `batch`.
fn place_inputs(
    engine: &mut StoryEngine,
    inputs: &[StoryInput],
    known: &mut Known<'_>,
    batch: &mut Vec<NewPlacement>,
    report: &mut PlaceReport,
) -> anyhow::Result<()> {
    {
        for input in inputs {
            let placement = engine.add(&document_of(input));
            report.placed += 1;
            report.new_stories += usize::from(placement.new_story);
            let mut placed = to_store(engine, input.id, placement);
            known.placed(&placed);
            if placed.link.is_some() {
                if known.check_link(engine, &mut placed)? {
                    report.linked += 1;
                } else {
                    report.unlinked += 1;
                }
            }
            batch.push(placed);
        }
    }
    Ok(())
}

/// A new engine for a saved state that cannot be read (corrupt, or written by another version
/// of the format): articles already placed keep their stories, new ones are placed from the
/// saved cursor on, and new stories are numbered above every id the store has, so no id is
/// reused. Open stories lose their memory once; a warning says so.
fn rebuilt_engine(
    store: &Store,
    placed_through: i64,
    error: &newsdesk_stories::StoriesError,
) -> anyhow::Result<StoryEngine> {
    let first = store
        .max_story_id()
        .context("stories: rebuilding the story engine")?
        .map_or(0, |m| u64::try_from(m).unwrap_or(0).saturating_add(1));
    warn!(
        stage = "stories",
        error = %error,
        placed_through,
        first_story = first,
        "saved story engine state cannot be read; rebuilding it (open stories start afresh)"
    );
    Ok(StoryEngine::new(story_config()).with_first_story(first))
}

/// The pivot-translation settings of the story stage: the `[translate]` backends and
/// `[stories] pivot_language`. The translator is built for each placement pass that has
/// articles to place (see [`place_after_pass`]).
#[derive(Debug, Clone)]
pub struct StoryPivot {
    translate: newsdesk_translate::TranslateConfig,
    base_dir: PathBuf,
    language: String,
}

impl StoryPivot {
    /// The pivot settings of a configuration: `None` when no translation backend is
    /// configured (the copy detector then decides without translating).
    pub fn from_config(config: &crate::config::Config) -> Option<StoryPivot> {
        if config.translate.backends.is_empty() || config.stories.pivot_language.is_empty() {
            return None;
        }
        Some(StoryPivot {
            translate: config.translate.clone(),
            base_dir: config.base_dir.clone(),
            language: config.stories.pivot_language.clone(),
        })
    }

    /// The hook over this configuration's translator (cached in `store`'s database unless
    /// `[translate] cache` names a file), bound to the current tokio runtime; `None` (logged)
    /// when the translator cannot be built or there is no runtime.
    pub async fn hook(&self, store: &Store) -> Option<Arc<dyn PivotTranslate>> {
        let handle = tokio::runtime::Handle::try_current().ok()?;
        let translator = match Translator::from_config_or(
            &self.translate,
            &self.base_dir,
            Arc::new(crate::pipeline::translate::StoreCache::new(store.clone())),
        )
        .await
        {
            Ok(t) => t,
            Err(e) => {
                warn!(stage = "stories", error = %e, "no pivot translation for copy detection");
                return None;
            }
        };
        Some(Arc::new(TranslatorPivot::new(
            Arc::new(translator),
            &self.language,
            handle,
        )))
    }
}

/// A [`PivotTranslate`] over a [`Translator`]: the story engine is synchronous and runs on the
/// blocking pool, the translator is async, so each call blocks its (blocking-pool) thread on
/// the runtime with [`tokio::runtime::Handle::block_on`]. It must therefore never be called
/// from an async task itself (`place_pending_with` runs under `spawn_blocking`).
pub struct TranslatorPivot {
    translator: Arc<Translator>,
    pivot: String,
    handle: tokio::runtime::Handle,
}

impl TranslatorPivot {
    /// Translation into `pivot` with `translator`, driven on the runtime of `handle`.
    pub fn new(
        translator: Arc<Translator>,
        pivot: &str,
        handle: tokio::runtime::Handle,
    ) -> TranslatorPivot {
        TranslatorPivot {
            translator,
            pivot: newsdesk_translate::normalize_language(pivot),
            handle,
        }
    }
}

impl PivotTranslate for TranslatorPivot {
    fn to_pivot(&self, text: &str, lang: &str) -> Option<String> {
        if newsdesk_translate::normalize_language(lang) == self.pivot {
            return Some(text.to_owned());
        }
        if lang == UNKNOWN_LANGUAGE || self.translator.route(lang, &self.pivot).is_err() {
            return None;
        }
        match self
            .handle
            .block_on(self.translator.translate_text(text, lang, &self.pivot))
        {
            Ok(t) => Some(t.text),
            Err(e) => {
                debug!(stage = "stories", lang, error = %e, "pivot translation failed");
                None
            }
        }
    }
}

/// [`place_pending_with`] on the blocking pool, with the pivot hook of `pivot` when given; a
/// failure is logged, never returned.
pub async fn place_after_pass(store: &Store, pivot: Option<&StoryPivot>) -> Option<PlaceReport> {
    // No translator is built (and nothing read) when there is nothing to place.
    match store
        .story_placed_through()
        .and_then(|through| store.story_inputs_after(through.unwrap_or(0), 1))
    {
        Ok(pending) if pending.is_empty() => return Some(PlaceReport::default()),
        _ => {}
    }
    let hook = match pivot {
        Some(p) => p.hook(store).await,
        None => None,
    };
    let store = store.clone();
    match tokio::task::spawn_blocking(move || place_pending_with(&store, hook)).await {
        Ok(Ok(report)) => Some(report),
        Ok(Err(e)) => {
            warn!(stage = "stories", error = %format!("{e:#}"), "articles not placed in stories");
            None
        }
        Err(e) => {
            warn!(stage = "stories", error = %e, "story placement crashed");
            None
        }
    }
}

fn document_of(input: &StoryInput) -> Document {
    Document::new(
        input.id.to_string(),
        input
            .language
            .as_deref()
            .filter(|l| !l.is_empty())
            .unwrap_or(UNKNOWN_LANGUAGE),
        input.published_at,
        input.title.clone(),
        input.body_text.clone(),
    )
}

fn key(id: StoryId) -> StoryKey {
    // Engine ids count up from 0; they fit an i64 for any realistic lifetime.
    StoryKey::try_from(id).unwrap_or(StoryKey::MAX)
}

/// The engine's decision in the store's terms (ids of other articles are this module's own
/// `Document` ids, i.e. article ids as text; one that does not parse is dropped).
fn to_store(engine: &StoryEngine, article: i64, p: Placement) -> NewPlacement {
    let story = engine.resolve(p.story);
    let link = p.provenance.and_then(|l| {
        Some(NewLink {
            kind: l.kind.as_str().to_owned(),
            original: l.original.parse().ok()?,
            matched: l.matched.parse().ok()?,
            confidence: l.confidence,
            evidence: l
                .evidence
                .iter()
                .map(|e| LinkEvidence {
                    signal: signal_name(e.signal),
                    detail: e.detail.clone(),
                })
                .collect(),
        })
    });
    let merged: Vec<(StoryKey, StoryKey)> = p
        .merged
        .iter()
        .map(|(absorbed, into)| (key(*absorbed), key(engine.resolve(*into))))
        .collect();
    let moved: Vec<(i64, StoryKey)> = p
        .moved
        .iter()
        .filter_map(|(id, s)| Some((id.parse().ok()?, key(engine.resolve(*s)))))
        .collect();
    let mut touched: Vec<StoryId> = vec![story];
    touched.extend(p.merged.iter().map(|(_, into)| engine.resolve(*into)));
    touched.extend(p.moved.iter().map(|(_, s)| engine.resolve(*s)));
    touched.sort_unstable();
    touched.dedup();
    let titles = touched
        .into_iter()
        .filter_map(|s| engine.story(s).map(|info| (key(info.id), info.title)))
        .collect();
    NewPlacement {
        article,
        story: key(story),
        similarity: p.similarity,
        link,
        merged,
        moved,
        titles,
    }
}

/// The signal's stable name (as serialised by `newsdesk-stories`).
fn signal_name(signal: newsdesk_stories::Signal) -> String {
    serde_json::to_value(signal)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{signal:?}").to_lowercase())
}

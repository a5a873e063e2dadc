//! The story stage wired into ingest: places every newly stored article with
//! `newsdesk-stories` and records the decisions (story, provenance link, merges, moves) in the
//! store.
//!
//! **Order.** Articles are placed on their own clock, `sort_at` (publication time, else the
//! time they were first fetched; never in the future), not in the order they arrive: outlets
//! are fetched one after another, and a backlog comes in any order, so a copy is often stored
//! before its original.
//!
//! **Re-placement window.** The engine is in-memory and bounded by its time window, while
//! `newsdesk fetch` is one process per pass; its state is saved in the store. That saved state
//! holds the *settled* articles: those whose clock is more than `[stories] replace_hours`
//! (default 48) before the latest clock in the store, and before the clock of every article
//! fetched in the last `[stories] arrival_hours` (default 6: a backlog, fetched outlet after
//! outlet over several passes, settles only once it is all in). Each pass restores it, places the
//! articles that became settled (in clock order) and saves it; then it places every article of
//! the last `replace_hours` again, in clock order, on top of it, and records those placements
//! as *provisional*: the next pass undoes them and places those articles again with whatever
//! arrived meanwhile. So an article that arrives late but was published earlier becomes the
//! original, the later one is re-pointed to it, and stories are revised, as long as it comes
//! within `replace_hours` (on the articles' clock) of the newest article, or within
//! `arrival_hours` (of wall time) of the articles it precedes;
//! one older than that is placed once, when it arrives, against what is open. 48 hours covers the usual lag between an original and its
//! copies (translated copies are dated up to 48 hours after their originals in the stories
//! benchmark) and bounds the work of a pass: the articles of 48 hours are placed again (about
//! 5 s at 5,000 articles a day), and memory holds the engine's window plus those placements.
//! A fresh install that imports a backlog in any order ends with the same stories and links
//! as one that saw them in publication order.
//!
//! Saves: the settled placements, the snapshot (streamed in), the last id placed and the
//! settled horizon are recorded in one transaction (at the end of the settled part and every
//! [`SAVE_EVERY`] articles of a long one), the provisional placements in a second one. A pass
//! that dies part-way leaves a consistent state and the next one continues from it. A failure
//! here is logged and never undoes or blocks ingest: the articles stay stored and are placed by
//! the next pass.
//!
//! With a translation backend configured, the copy detector checks translated-copy candidates
//! in `[stories] pivot_language` ([`StoryStage`], [`TranslatorPivot`]).
//!
//! [`StoryEngine::finish`] (the end-of-stream split re-check) is not called: a running server
//! has no end of stream. Stories are re-checked for splits as they grow instead, and leave the
//! window as they are; `newsdesk stories` does the same.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use newsdesk_store::{LinkEvidence, NewLink, NewPlacement, Store, StoryInput, StoryKey, StoryPass};
use newsdesk_stories::{Document, PivotTranslate, Placement, StoryConfig, StoryEngine, StoryId};
use newsdesk_translate::Translator;

use crate::PipelineError;
use crate::settings::StoriesSettings;
use tracing::{debug, info, warn};

/// Articles read from the store (in clock order) at a time.
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

/// The engine's settings for `[stories]`: the one configuration of the story stage, used by
/// the pipeline and by `newsdesk stories` / `newsdesk copies` alike (the engine's defaults
/// with the configured windows).
pub fn story_config(settings: &StoriesSettings) -> StoryConfig {
    let mut config = StoryConfig {
        window_hours: settings.window_hours,
        ..StoryConfig::default()
    };
    config.copies.window_hours = settings.copy_window_hours;
    config
}

/// What one placement pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlaceReport {
    /// Articles placed for good (settled).
    pub placed: usize,
    /// Articles of the re-placement window placed (again) provisionally.
    pub provisional: usize,
    /// Of all those, articles that started a new story.
    pub new_stories: usize,
    /// Of all those, articles with a provenance link (copy, translated copy, shared quotes).
    pub linked: usize,
}

/// Places the articles not settled yet with the settings of `stage` (without its pivot
/// translation; blocking: run it off the async runtime). Errors are the store's or a snapshot
/// that cannot be read or written.
pub fn place_pending(store: &Store, stage: &StoryStage) -> Result<PlaceReport, PipelineError> {
    place_pending_with(store, stage, None)
}

/// [`place_pending`] with a pivot-translation hook for the copy detector (see
/// [`StoryStage::hook`]); it is set on the engine after it is restored. Does nothing when no
/// article was stored since the last pass.
pub fn place_pending_with(
    store: &Store,
    stage: &StoryStage,
    pivot: Option<Arc<dyn PivotTranslate>>,
) -> Result<PlaceReport, PipelineError> {
    let _one_at_a_time = PLACING.lock().unwrap_or_else(|p| p.into_inner());
    let start = std::time::Instant::now();
    // Most passes of a running server store nothing new: then the snapshot is not even read.
    let (through, settled_before) = store.story_progress()?.unwrap_or((0, None));
    if store.story_inputs_after(through, 1)?.is_empty() {
        return Ok(PlaceReport::default());
    }
    let config = stage.engine_config();
    // The snapshot is streamed out of the database, never held whole in memory.
    let restoring = std::time::Instant::now();
    let saved = store.story_state_with(|placed_through, snapshot| {
        (placed_through, StoryEngine::read_snapshot(snapshot))
    })?;
    let (mut engine, mut saved_through) = match saved {
        Some((placed_through, Ok(engine))) => (engine, placed_through),
        Some((placed_through, Err(e))) => (
            rebuilt_engine(store, config, placed_through, &e)?,
            placed_through,
        ),
        None => (StoryEngine::new(config.clone()), 0),
    };
    let restore_ms = restoring.elapsed().as_millis() as u64;
    // The settings are the configuration's, not the ones saved with the state.
    engine.set_config(config.clone());
    engine.set_pivot(pivot);

    // Articles with a clock before `horizon` are settled after this pass; the horizon never
    // moves back. A state saved without one (an earlier version) has every placed article
    // settled: the horizon starts after the latest of them.
    let last_id = store.max_article_id()?.unwrap_or(saved_through);
    let latest = store.latest_article_clock()?.unwrap_or(0);
    let mut horizon = latest.saturating_sub(stage.replace_hours.saturating_mul(3600));
    // Nor does anything fetched in the last `arrival_hours` settle, whatever its date: a
    // backlog comes in over several passes, outlet after outlet, and is placed in publication
    // order once it is in.
    let since = chrono::Utc::now() - chrono::Duration::hours(stage.arrival_hours);
    if let Some(recent) = store.earliest_clock_fetched_since(since)? {
        horizon = horizon.min(recent);
    }
    let floor = match settled_before {
        Some(h) => Some(h),
        None if saved_through > 0 => store
            .latest_clock_through(saved_through)?
            .map(|c| c.saturating_add(1)),
        None => None,
    };
    if let Some(f) = floor {
        horizon = horizon.max(f);
    }
    // Unsettled: stored after the cursor, or at or after the saved horizon (fixed for the
    // pass, while the saves on the way move the saved ones).
    let cursor = saved_through;
    let unsettled_from = settled_before.or(floor);
    let first = match (store.earliest_clock_after(saved_through)?, unsettled_from) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(horizon),
    };

    let mut report = PlaceReport::default();
    let mut saving = std::time::Duration::ZERO;
    let mut snapshot_bytes = 0;
    let mut settled: Vec<NewPlacement> = Vec::new();
    let mut from = (first, 0);
    let mut last_clock: Option<i64> = None;
    let mut save = |engine: &StoryEngine,
                    settled: &mut Vec<NewPlacement>,
                    saved_through: &mut i64,
                    settled_before: i64|
     -> Result<(), PipelineError> {
        let save_start = std::time::Instant::now();
        let len = engine.snapshot_len()?;
        let pass = StoryPass {
            settled,
            provisional: &[],
            previous: *saved_through,
            placed_through: last_id,
            settled_before: Some(settled_before),
            snapshot_len: len,
        };
        store.record_story_pass(
            &pass,
            &|story| {
                u64::try_from(story)
                    .ok()
                    .and_then(|s| engine.story(s))
                    .map(|info| info.title)
            },
            |out| engine.write_snapshot(out).map_err(std::io::Error::other),
        )?;
        saving += save_start.elapsed();
        snapshot_bytes = len;
        *saved_through = last_id;
        settled.clear();
        Ok(())
    };
    // Settled part: every unsettled article before the horizon, in clock order.
    loop {
        let inputs = store.story_inputs_unsettled(
            cursor,
            unsettled_from,
            Some(horizon),
            from,
            PLACE_BATCH,
        )?;
        let Some(last) = inputs.last() else { break };
        from = (last.clock, last.id);
        for input in &inputs {
            // A long pass saves on the way, between two clock values (so that the saved
            // horizon splits no second) and never below the saved horizon.
            if settled.len() >= SAVE_EVERY
                && let Some(c) = last_clock
                && input.clock > c
                && unsettled_from.is_none_or(|h| c + 1 >= h)
            {
                save(&engine, &mut settled, &mut saved_through, c + 1)?;
            }
            let placed = place(&mut engine, input, &mut report);
            report.placed += 1;
            settled.push(placed);
            last_clock = Some(input.clock);
        }
    }
    save(&engine, &mut settled, &mut saved_through, horizon)?;
    // Provisional part: the re-placement window, on top of the saved state.
    let mut provisional: Vec<NewPlacement> = Vec::new();
    let mut from = (horizon, 0);
    loop {
        let inputs =
            store.story_inputs_unsettled(cursor, Some(horizon), None, from, PLACE_BATCH)?;
        let Some(last) = inputs.last() else { break };
        from = (last.clock, last.id);
        for input in &inputs {
            provisional.push(place(&mut engine, input, &mut report));
            report.provisional += 1;
        }
    }
    if !provisional.is_empty() {
        let save_start = std::time::Instant::now();
        store.record_provisional(&provisional, saved_through)?;
        saving += save_start.elapsed();
    }
    info!(
        stage = "stories",
        placed = report.placed,
        provisional = report.provisional,
        new_stories = report.new_stories,
        linked = report.linked,
        open_stories = engine.open_stories(),
        ms = start.elapsed().as_millis() as u64,
        restore_ms,
        saving_ms = saving.as_millis() as u64,
        snapshot_bytes,
        pivot = engine.has_pivot(),
        "articles placed in stories"
    );
    Ok(report)
}

/// Places one article and returns its placement in the store's terms.
fn place(engine: &mut StoryEngine, input: &StoryInput, report: &mut PlaceReport) -> NewPlacement {
    let placement = engine.add(&document_of(input));
    report.new_stories += usize::from(placement.new_story);
    let placed = to_store(engine, input.id, placement);
    report.linked += usize::from(placed.link.is_some());
    placed
}

/// A new engine for a saved state that cannot be read (corrupt, or written by another version
/// of the format): settled articles keep their stories, provisional and new ones are placed
/// by it, and new stories are numbered above every id the store has, so no id is reused. Open
/// stories lose their memory once; a warning says so.
fn rebuilt_engine(
    store: &Store,
    config: &StoryConfig,
    placed_through: i64,
    error: &newsdesk_stories::StoriesError,
) -> Result<StoryEngine, PipelineError> {
    let first = store
        .max_story_id()
        .map_err(PipelineError::RebuildStories)?
        .map_or(0, |m| u64::try_from(m).unwrap_or(0).saturating_add(1));
    warn!(
        stage = "stories",
        error = %error,
        placed_through,
        first_story = first,
        "saved story engine state cannot be read; rebuilding it (open stories start afresh)"
    );
    Ok(StoryEngine::new(config.clone()).with_first_story(first))
}

/// The story stage's settings: the engine's configuration (see [`story_config`]) and, when
/// `[translate]` has backends and `[stories] pivot_language` is set, the pivot translation the
/// copy detector checks translated-copy candidates with. The translator is built for each
/// placement pass that has articles to place (see [`place_after_pass`]).
#[derive(Debug, Clone)]
pub struct StoryStage {
    engine: StoryConfig,
    /// The re-placement window, in hours of the articles' clock (see the module docs).
    pub replace_hours: i64,
    /// Articles fetched less than this many hours ago are placed again too (see the module
    /// docs).
    pub arrival_hours: i64,
    pivot: Option<PivotSettings>,
}

#[derive(Debug, Clone)]
struct PivotSettings {
    translate: newsdesk_translate::TranslateConfig,
    base_dir: PathBuf,
    language: String,
}

impl Default for StoryStage {
    /// The stage of a default configuration: default `[stories]`, no translation backend.
    fn default() -> Self {
        let settings = StoriesSettings::default();
        StoryStage {
            engine: story_config(&settings),
            replace_hours: settings.replace_hours,
            arrival_hours: settings.arrival_hours,
            pivot: None,
        }
    }
}

impl StoryStage {
    /// The stage of a configuration.
    pub fn from_config(config: &crate::settings::PipelineSettings<'_>) -> StoryStage {
        let pivot = (!config.translate.backends.is_empty()
            && !config.stories.pivot_language.is_empty())
        .then(|| PivotSettings {
            translate: config.translate.clone(),
            base_dir: config.base_dir.to_path_buf(),
            language: config.stories.pivot_language.clone(),
        });
        StoryStage {
            engine: story_config(config.stories),
            replace_hours: config.stories.replace_hours,
            arrival_hours: config.stories.arrival_hours,
            pivot,
        }
    }

    /// The engine's configuration.
    pub fn engine_config(&self) -> &StoryConfig {
        &self.engine
    }

    /// Whether translated-copy candidates are checked through a pivot translation.
    pub fn has_pivot(&self) -> bool {
        self.pivot.is_some()
    }

    /// The pivot hook over this configuration's translator (cached in `store`'s database
    /// unless `[translate] cache` names a file), bound to the current tokio runtime; `None`
    /// without a pivot, or (logged) when the translator cannot be built or there is no runtime.
    pub async fn hook(&self, store: &Store) -> Option<Arc<dyn PivotTranslate>> {
        let pivot = self.pivot.as_ref()?;
        let handle = tokio::runtime::Handle::try_current().ok()?;
        let built =
            match crate::translate::translation_cache(&pivot.translate, &pivot.base_dir, store) {
                Ok(cache) => Translator::from_config(&pivot.translate, cache)
                    .await
                    .map_err(crate::PipelineError::from),
                Err(e) => Err(e),
            };
        let translator = match built {
            Ok(t) => t,
            Err(e) => {
                warn!(stage = "stories", error = %e, "no pivot translation for copy detection");
                return None;
            }
        };
        Some(Arc::new(TranslatorPivot::new(
            Arc::new(translator),
            &pivot.language,
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

/// [`place_pending_with`] on the blocking pool, with the settings of `stage` (the defaults
/// when `None`) and its pivot hook; a failure is logged, never returned.
pub async fn place_after_pass(store: &Store, stage: Option<&StoryStage>) -> Option<PlaceReport> {
    // No translator is built (and nothing read) when there is nothing to place.
    match store
        .story_placed_through()
        .and_then(|through| store.story_inputs_after(through.unwrap_or(0), 1))
    {
        Ok(pending) if pending.is_empty() => return Some(PlaceReport::default()),
        _ => {}
    }
    let stage = stage.cloned().unwrap_or_default();
    let hook = stage.hook(store).await;
    let store = store.clone();
    match tokio::task::spawn_blocking(move || place_pending_with(&store, &stage, hook)).await {
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

/// The engine's document of an article: dated by its clock (publication time, else first
/// fetch), so that windows apply to undated articles too.
fn document_of(input: &StoryInput) -> Document {
    Document::new(
        input.id.to_string(),
        input
            .language
            .as_deref()
            .filter(|l| !l.is_empty())
            .unwrap_or(UNKNOWN_LANGUAGE),
        chrono::DateTime::from_timestamp(input.clock, 0).or(input.published_at),
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

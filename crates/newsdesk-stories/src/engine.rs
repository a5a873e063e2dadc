//! The online story engine: each article is placed into a story when it arrives, using only the
//! articles seen before it; stories live inside a time window on the articles' own clock and
//! merge when a new article shows that two of them are one.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, hash_feature, kind, tokens};
use crate::copies::{CopyConfig, CopyDetector};
use crate::document::Document;
use crate::error::StoriesError;
use crate::provenance::{LinkKind, ProvenanceLink};

/// Stable id of a story.
pub type StoryId = u64;

/// Settings of the story engine. The defaults are language-independent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoryConfig {
    /// A story stops taking articles when its last article is this much older than the newest
    /// article seen (on the articles' dates; undated streams have no window).
    pub window_hours: i64,
    /// At most this many stories are kept open (oldest-updated closed first).
    pub max_open_stories: usize,
    /// Cosine similarity between an article and a story's centroid to join it.
    pub join_threshold: f32,
    /// Cosine similarity between two stories' centroids to merge them, when an article joins
    /// one of them and is also above `join_threshold` for the other.
    pub merge_threshold: f32,
    /// Terms kept per story centroid (the heaviest).
    pub centroid_terms: usize,
    /// Weight of title features relative to body features.
    pub title_weight: f32,
    /// Weight of names and numbers relative to other words.
    pub entity_weight: f32,
    /// Put a detected copy or translated copy into its original's story.
    pub follow_copies: bool,
    /// Copy detection settings.
    pub copies: CopyConfig,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            window_hours: 24 * 10,
            max_open_stories: 100_000,
            join_threshold: 0.2,
            merge_threshold: 0.5,
            centroid_terms: 400,
            title_weight: 2.0,
            entity_weight: 2.0,
            follow_copies: true,
            copies: CopyConfig::default(),
        }
    }
}

/// Where one article was placed.
#[derive(Debug, Clone)]
pub struct Placement {
    /// The story it joined or started.
    pub story: StoryId,
    /// Whether it started a new story.
    pub new_story: bool,
    /// Its similarity to the story it joined (1 for a new story).
    pub similarity: f32,
    /// Its provenance link, when it copies an earlier article or shares its quotes.
    pub provenance: Option<ProvenanceLink>,
    /// Stories merged because of this article: `(absorbed, into)`; `absorbed` is gone.
    pub merged: Vec<(StoryId, StoryId)>,
}

/// One open story.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Story {
    id: StoryId,
    centroid: FxHashMap<u64, f32>,
    norm: f32,
    articles: u32,
    last_date: Option<DateTime<Utc>>,
    last_seq: u64,
    title: String,
    title_score: f32,
}

impl Story {
    fn recompute_norm(&mut self) {
        self.norm = self.centroid.values().map(|v| v * v).sum::<f32>().sqrt();
    }

    fn cosine(&self, v: &[(u64, f32)]) -> f32 {
        if self.norm == 0.0 {
            return 0.0;
        }
        let dot: f32 = v
            .iter()
            .filter_map(|(k, w)| self.centroid.get(k).map(|c| c * w))
            .sum();
        dot / self.norm
    }
}

/// Summary of a story, for pages and APIs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryInfo {
    /// Stable id.
    pub id: StoryId,
    /// Title of its most representative article.
    pub title: String,
    /// Articles placed in it.
    pub articles: u32,
    /// Date of its latest article.
    pub last_date: Option<DateTime<Utc>>,
}

/// The online story engine. Feed articles in arrival order with [`StoryEngine::add`]; save and
/// restore its state with [`StoryEngine::snapshot`] / [`StoryEngine::restore`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoryEngine {
    config: StoryConfig,
    copies: CopyDetector,
    next_story: StoryId,
    seq: u64,
    stories: FxHashMap<StoryId, Story>,
    /// Feature → open stories whose centroid holds it.
    index: FxHashMap<u64, Vec<StoryId>>,
    /// Running document frequencies over the articles in the window.
    df: FxHashMap<u64, u32>,
    /// Articles in the window: (date, features counted in `df`).
    window: VecDeque<(Option<DateTime<Utc>>, Vec<u64>)>,
    /// Article id → story, for articles whose copies may arrive (kept for the window only).
    story_of: FxHashMap<String, StoryId>,
    story_of_order: VecDeque<String>,
    /// Merged story → the story it went into (open stories only).
    aliases: FxHashMap<StoryId, StoryId>,
    latest: Option<DateTime<Utc>>,
}

impl StoryEngine {
    /// An engine with these settings.
    pub fn new(config: StoryConfig) -> StoryEngine {
        StoryEngine {
            copies: CopyDetector::new(config.copies.clone()),
            config,
            ..StoryEngine::default()
        }
    }

    /// Open stories.
    pub fn open_stories(&self) -> usize {
        self.stories.len()
    }

    /// Articles inside the time window (the ones document frequencies are counted over).
    pub fn window_len(&self) -> usize {
        self.window.len()
    }

    /// The story `id` went into after merges (itself when it was not merged or is unknown).
    pub fn resolve(&self, mut id: StoryId) -> StoryId {
        let mut hops = 0;
        while let Some(next) = self.aliases.get(&id) {
            id = *next;
            hops += 1;
            if hops > 64 {
                break;
            }
        }
        id
    }

    /// The open story `id` (after merges), if still open.
    pub fn story(&self, id: StoryId) -> Option<StoryInfo> {
        let s = self.stories.get(&self.resolve(id))?;
        Some(StoryInfo {
            id: s.id,
            title: s.title.clone(),
            articles: s.articles,
            last_date: s.last_date,
        })
    }

    /// Serialises the whole state (JSON).
    pub fn snapshot(&self) -> Result<Vec<u8>, StoriesError> {
        serde_json::to_vec(self).map_err(StoriesError::State)
    }

    /// Restores a state written by [`StoryEngine::snapshot`].
    pub fn restore(bytes: &[u8]) -> Result<StoryEngine, StoriesError> {
        serde_json::from_slice(bytes).map_err(StoriesError::State)
    }

    fn features(&self, doc: &Document, analysis: &Analysis) -> Vec<(u64, f32)> {
        let mut tf: FxHashMap<u64, f32> = FxHashMap::default();
        let tw = self.config.title_weight;
        let ew = self.config.entity_weight;
        for h in &analysis.title_words {
            *tf.entry(*h).or_default() += tw;
        }
        for h in &analysis.body_words {
            *tf.entry(*h).or_default() += 1.0;
        }
        for n in &analysis.names {
            *tf.entry(hash_feature(kind::NAME, n)).or_default() += ew;
        }
        // The title's name keys again, whole: in one-line items the title is the subject.
        let title_key: String = tokens(&doc.title)
            .iter()
            .map(|t| crate::transliteration::name_key(&t.text))
            .collect::<Vec<_>>()
            .join(" ");
        if !title_key.is_empty() {
            *tf.entry(hash_feature(kind::NAME, &title_key)).or_default() += ew * tw;
        }
        for u in &analysis.urls {
            *tf.entry(hash_feature(kind::URL, u)).or_default() += ew;
        }
        tf.into_iter().collect()
    }

    fn idf(&self, h: u64) -> f32 {
        let n = self.window.len() as f32 + 1.0;
        let df = self.df.get(&h).copied().unwrap_or(0) as f32;
        (1.0 + n / (df + 1.0)).ln()
    }

    fn evict(&mut self) {
        let horizon = self
            .latest
            .map(|d| d - Duration::hours(self.config.window_hours));
        while let Some((date, _)) = self.window.front() {
            let old = matches!((horizon, date), (Some(h), Some(d)) if *d < h);
            if !old {
                break;
            }
            if let Some((_, feats)) = self.window.pop_front() {
                for f in feats {
                    if let Some(c) = self.df.get_mut(&f) {
                        *c -= 1;
                        if *c == 0 {
                            self.df.remove(&f);
                        }
                    }
                }
            }
        }
        let closing: Vec<StoryId> = self
            .stories
            .values()
            .filter(|s| matches!((horizon, s.last_date), (Some(h), Some(d)) if d < h))
            .map(|s| s.id)
            .collect();
        for id in closing {
            self.close(id);
        }
        if self.stories.len() > self.config.max_open_stories {
            let mut by_age: Vec<(u64, StoryId)> =
                self.stories.values().map(|s| (s.last_seq, s.id)).collect();
            by_age.sort_unstable();
            let excess = self.stories.len() - self.config.max_open_stories;
            for (_, id) in by_age.into_iter().take(excess) {
                self.close(id);
            }
        }
        while self.story_of_order.len() > self.copies.window_len().max(1) {
            if let Some(id) = self.story_of_order.pop_front() {
                self.story_of.remove(&id);
            }
        }
    }

    fn close(&mut self, id: StoryId) {
        if let Some(s) = self.stories.remove(&id) {
            for k in s.centroid.keys() {
                self.unindex(*k, id);
            }
        }
        self.aliases.retain(|_, to| *to != id);
    }

    fn unindex(&mut self, k: u64, id: StoryId) {
        if let Some(list) = self.index.get_mut(&k) {
            list.retain(|s| *s != id);
            if list.is_empty() {
                self.index.remove(&k);
            }
        }
    }

    /// Places one article (in arrival order) and returns where it went.
    pub fn add(&mut self, doc: &Document) -> Placement {
        if let Some(d) = doc.date {
            self.latest = Some(self.latest.map_or(d, |l| l.max(d)));
        }
        self.evict();
        self.seq += 1;
        let analysis = Analysis::of(&doc.title, &doc.text);
        let provenance = self.copies.observe(doc, &analysis).link;

        // Running document frequencies include this article.
        let raw = self.features(doc, &analysis);
        let keys: Vec<u64> = raw.iter().map(|(k, _)| *k).collect();
        for k in &keys {
            *self.df.entry(*k).or_default() += 1;
        }
        self.window.push_back((doc.date, keys));
        let mut vector: Vec<(u64, f32)> = raw
            .into_iter()
            .map(|(k, tf)| (k, (1.0 + tf.ln()) * self.idf(k)))
            .collect();
        let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut vector {
                *w /= norm;
            }
        }

        // A copy joins its original's story.
        let copied_story = provenance
            .as_ref()
            .filter(|l| self.config.follow_copies && l.kind != LinkKind::SharesQuotes)
            .and_then(|l| self.story_of.get(&l.original).or(self.story_of.get(&l.matched)))
            .map(|s| self.resolve(*s))
            .filter(|s| self.stories.contains_key(s));

        // Candidate stories share one of the article's heaviest features.
        let mut heaviest = vector.clone();
        heaviest.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        let mut candidates: FxHashSet<StoryId> = FxHashSet::default();
        for (k, _) in heaviest.iter().take(40) {
            if let Some(list) = self.index.get(k) {
                candidates.extend(list.iter().copied());
            }
        }
        let mut scored: Vec<(f32, StoryId)> = candidates
            .into_iter()
            .filter_map(|id| self.stories.get(&id).map(|s| (s.cosine(&vector), id)))
            .collect();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

        let threshold = self.config.join_threshold;
        let (story, similarity, new_story) = match (copied_story, scored.first()) {
            (Some(s), _) => {
                let sim = self.stories.get(&s).map_or(1.0, |st| st.cosine(&vector));
                (s, sim, false)
            }
            (None, Some((sim, id))) if *sim >= threshold => (*id, *sim, false),
            _ => {
                let id = self.next_story;
                self.next_story += 1;
                self.stories.insert(
                    id,
                    Story {
                        id,
                        centroid: FxHashMap::default(),
                        norm: 0.0,
                        articles: 0,
                        last_date: None,
                        last_seq: 0,
                        title: String::new(),
                        title_score: f32::MIN,
                    },
                );
                (id, 1.0, true)
            }
        };
        self.absorb(story, &vector, doc, similarity);

        // Merge: other stories this article also belongs to, if they resemble the story.
        let mut merged = Vec::new();
        let others: Vec<StoryId> = scored
            .iter()
            .filter(|(sim, id)| *id != story && *sim >= threshold)
            .map(|(_, id)| *id)
            .collect();
        for other in others {
            let sim = self.story_similarity(story, other);
            if sim >= self.config.merge_threshold {
                let (keep, gone) = self.merge(story, other);
                merged.push((gone, keep));
            }
        }
        let story = self.resolve(story);
        self.story_of.insert(doc.id.clone(), story);
        self.story_of_order.push_back(doc.id.clone());
        Placement {
            story,
            new_story,
            similarity,
            provenance,
            merged,
        }
    }

    fn story_similarity(&self, a: StoryId, b: StoryId) -> f32 {
        let (Some(sa), Some(sb)) = (self.stories.get(&a), self.stories.get(&b)) else {
            return 0.0;
        };
        if sa.norm == 0.0 || sb.norm == 0.0 {
            return 0.0;
        }
        let dot: f32 = sa
            .centroid
            .iter()
            .filter_map(|(k, w)| sb.centroid.get(k).map(|v| v * w))
            .sum();
        dot / (sa.norm * sb.norm)
    }

    /// Merges two stories; the older id (smaller) stays. Returns (kept, absorbed).
    fn merge(&mut self, a: StoryId, b: StoryId) -> (StoryId, StoryId) {
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        let Some(g) = self.stories.remove(&gone) else {
            return (keep, gone);
        };
        for k in g.centroid.keys() {
            self.unindex(*k, gone);
        }
        let mut added = Vec::new();
        if let Some(s) = self.stories.get_mut(&keep) {
            for (k, w) in g.centroid {
                let e = s.centroid.entry(k).or_insert_with(|| {
                    added.push(k);
                    0.0
                });
                *e += w;
            }
            s.articles += g.articles;
            s.last_date = s.last_date.max(g.last_date);
            s.last_seq = s.last_seq.max(g.last_seq);
            if g.title_score > s.title_score {
                s.title = g.title;
                s.title_score = g.title_score;
            }
        }
        for k in added {
            self.index.entry(k).or_default().push(keep);
        }
        self.prune(keep);
        self.aliases.insert(gone, keep);
        for to in self.aliases.values_mut() {
            if *to == gone {
                *to = keep;
            }
        }
        (keep, gone)
    }

    fn absorb(&mut self, id: StoryId, vector: &[(u64, f32)], doc: &Document, similarity: f32) {
        let seq = self.seq;
        let mut added = Vec::new();
        if let Some(s) = self.stories.get_mut(&id) {
            for (k, w) in vector {
                let e = s.centroid.entry(*k).or_insert_with(|| {
                    added.push(*k);
                    0.0
                });
                *e += *w;
            }
            s.articles += 1;
            s.last_date = s.last_date.max(doc.date);
            s.last_seq = seq;
            // The most representative article gives the title: the one closest to the
            // centroid when it arrived (the first article until a closer one comes).
            if similarity > s.title_score || s.title.is_empty() {
                s.title = doc.title.clone();
                s.title_score = similarity;
            }
        }
        for k in added {
            self.index.entry(k).or_default().push(id);
        }
        self.prune(id);
    }

    /// Keeps the heaviest `centroid_terms` terms of a story.
    fn prune(&mut self, id: StoryId) {
        let limit = self.config.centroid_terms;
        let mut dropped = Vec::new();
        if let Some(s) = self.stories.get_mut(&id) {
            if s.centroid.len() > limit + limit / 2 {
                let mut terms: Vec<(u64, f32)> = s.centroid.iter().map(|(k, w)| (*k, *w)).collect();
                terms.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                for (k, _) in terms.drain(limit..) {
                    s.centroid.remove(&k);
                    dropped.push(k);
                }
            }
            s.recompute_norm();
        }
        for k in dropped {
            self.unindex(k, id);
        }
    }
}

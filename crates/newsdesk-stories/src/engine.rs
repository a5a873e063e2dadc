//! The online story engine: each article is placed into a story when it arrives, using only the
//! articles seen before it; stories live inside a time window on the articles' own clock and
//! merge when a new article shows that two of them are one.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, hash_chars, hash_feature, in_part, kind, part, part_of};
use crate::centroid::Centroid;
use crate::copies::{CopyConfig, CopyDetector};
use crate::document::Document;
use crate::pivot::PivotTranslate;
use crate::provenance::{LinkKind, ProvenanceLink};

/// Stories scored exactly per article (the ones sharing the most feature weight with it).
const CANDIDATES: usize = 24;

/// Terms of each story's centroid in the candidate index (its heaviest): the index stays small
/// and its lists short, so finding and updating candidates costs the same however many stories
/// are open.
const INDEXED_TERMS: usize = 128;

/// An article's heaviest terms that vote for candidate stories.
const VOTING_TERMS: usize = 40;

/// Entity cosine (names, URLs; numbers left out) an article needs with a story in other
/// languages of the same script to join it (see [`StoryEngine::add`]).
const MIN_SHARED_NAMES: f32 = 0.05;

/// Whether most letters of `text` are Latin.
fn is_latin(text: &str) -> bool {
    let (mut latin, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if (c as u32) < 0x250 || ('\u{1e00}'..='\u{1eff}').contains(&c) {
            latin += 1;
        } else {
            other += 1;
        }
    }
    latin > other
}

/// Stable id of a story.
pub type StoryId = u64;

/// A language, as an index into the engine's table of the languages seen (compared as a
/// number, never as a string, on the hot paths).
type LangId = u32;

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
    /// Share of the entity cosine (names, numbers, URLs) in an article's similarity to a
    /// story; the rest is the word cosine.
    pub entity_share: f32,
    /// Weight of the character trigrams of names (they match names across inflections and
    /// transliterations), relative to whole names.
    pub name_gram_weight: f32,
    /// For an article in a language the story does not have yet, its similarity is at least
    /// this share of its entity cosine (names, numbers), since its words cannot match.
    pub cross_language_weight: f32,
    /// Article vectors kept per story for re-weighting and splitting (most recent).
    pub max_members: usize,
    /// A story splits in two when the mean similarity between its two halves is below this
    /// share of the mean similarity within them (0 disables splits).
    pub split_ratio: f32,
    /// Put a detected copy or translated copy into its original's story (off by default: a
    /// true copy is close enough to its original to join it by its own text, and following
    /// links lets one wrong link drag an article, and every later copy of it, into an
    /// unrelated story).
    pub follow_copies: bool,
    /// Copy detection settings.
    pub copies: CopyConfig,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            window_hours: 24 * 10,
            max_open_stories: 100_000,
            join_threshold: 0.25,
            merge_threshold: 0.45,
            centroid_terms: 400,
            title_weight: 2.0,
            entity_weight: 1.0,
            entity_share: 0.4,
            name_gram_weight: 0.3,
            cross_language_weight: 2.0,
            max_members: 48,
            split_ratio: 0.6,
            follow_copies: false,
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
    /// The copy detector's best candidate original, even when no link was made (ranking).
    pub top: Option<String>,
    /// Stories merged because of this article: `(absorbed, into)`; `absorbed` is gone.
    pub merged: Vec<(StoryId, StoryId)>,
    /// Earlier articles that changed story because of this one (merges and splits).
    pub moved: Vec<(String, StoryId)>,
}

/// One article's raw term weights, kept in its story.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Member {
    id: String,
    seq: u64,
    date: Option<DateTime<Utc>>,
    title: String,
    /// Its language, as an index into the engine's language table.
    lang: LangId,
    /// Term frequencies (title and entity weights applied), sorted by feature.
    tf: Vec<(u64, f32)>,
}

/// Whether a story of `n` tracked articles is checked for a split: at 4, 5, 6, 7, 8, 10, 12,
/// 15, … (every quarter of growth), so the cost per article stays bounded.
fn split_due(n: usize) -> bool {
    let mut k = 4usize;
    while k < n {
        k += (k / 4).max(1);
    }
    k == n
}

/// Dot product of two feature-sorted vectors, per part.
fn dot_parts(a: &[(u64, f32)], b: &[(u64, f32)]) -> [f32; 3] {
    let (mut i, mut j) = (0, 0);
    let mut d = [0.0f32; 3];
    // Advancing both cursors without a three-way branch: the comparisons become flags.
    while let (Some(&(ka, wa)), Some(&(kb, wb))) = (a.get(i), b.get(j)) {
        if ka == kb {
            d[part_of(ka)] += wa * wb;
        }
        i += usize::from(ka <= kb);
        j += usize::from(kb <= ka);
    }
    d
}

/// An article vector prepared for many dot products with centroids: a 4096-bit filter of its
/// features and a map from feature to weight.
struct Probe {
    bits: [u64; 64],
    weights: FxHashMap<u64, f32>,
}

impl Probe {
    fn of(v: &[(u64, f32)]) -> Probe {
        let mut bits = [0u64; 64];
        let mut weights = FxHashMap::with_capacity_and_hasher(v.len(), Default::default());
        for &(k, w) in v {
            bits[((k >> 6) & 63) as usize] |= 1 << (k & 63);
            weights.insert(k, w);
        }
        Probe { bits, weights }
    }

    /// [`dot_parts`] of the prepared vector with the feature-sorted `b`: `b` is walked in
    /// feature order and each feature looked up, so the products are summed in the same order
    /// as there and the result is the same bit for bit.
    fn dot_parts(&self, b: &[(u64, f32)]) -> [f32; 3] {
        let mut d = [0.0f32; 3];
        for &(k, wb) in b {
            if self.bits[((k >> 6) & 63) as usize] >> (k & 63) & 1 != 0
                && let Some(wa) = self.weights.get(&k)
            {
                d[part_of(k)] += wa * wb;
            }
        }
        d
    }
}

/// Per-part dot products of every pair of feature-sorted vectors, as a flat `n × n` matrix
/// (filled above the diagonal: `[i * n + j]` for `i < j`). Computed through the features they
/// share (an inverted list per feature) instead of one merge per pair; each pair's products
/// are summed in feature order, exactly as [`dot_parts`] sums them.
#[cfg(test)]
fn pair_dots(vectors: &[Vec<(u64, f32)>]) -> Vec<[f32; 3]> {
    let mut entries: Vec<(u64, u32, f32)> = Vec::with_capacity(vectors.iter().map(Vec::len).sum());
    for (i, v) in vectors.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        entries.extend(v.iter().map(|(k, w)| (*k, i, *w)));
    }
    entries.sort_unstable_by_key(|(k, i, _)| (*k, *i));
    dots_of_sorted(&entries, vectors.len())
}

/// [`pair_dots`] of `n` vectors given as `(feature, vector, weight)` sorted by feature, then
/// vector.
fn dots_of_sorted(entries: &[(u64, u32, f32)], n: usize) -> Vec<[f32; 3]> {
    let mut dots = vec![[0.0f32; 3]; n * n];
    let mut start = 0;
    while start < entries.len() {
        let key = entries[start].0;
        let mut end = start + 1;
        while end < entries.len() && entries[end].0 == key {
            end += 1;
        }
        let part = part_of(key);
        let run = &entries[start..end];
        for (x, (_, i, wi)) in run.iter().enumerate() {
            for (_, j, wj) in &run[x + 1..] {
                dots[*i as usize * n + *j as usize][part] += wi * wj;
            }
        }
        start = end;
    }
    dots
}

/// An article's or story's similarity from its per-part cosines: words and entities within
/// a language; across languages, at least `cross` times the mean of entity and name-trigram
/// cosines. `has` says which parts both sides have.
fn blend(c: [f32; 3], has: [bool; 3], share: f32, same_language: bool, cross: f32) -> f32 {
    let combined = if has[part::ENTITY] {
        (1.0 - share) * c[part::WORD] + share * c[part::ENTITY]
    } else {
        c[part::WORD]
    };
    if same_language {
        combined
    } else {
        combined.max(cross * 0.5 * (c[part::ENTITY] + c[part::GRAM]))
    }
}

/// Which parts (words, entities, name trigrams) a vector has.
fn parts_of(v: &[(u64, f32)]) -> [bool; 3] {
    let mut has = [false; 3];
    for (k, _) in v {
        has[part_of(*k)] = true;
    }
    has
}

/// One open story.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Story {
    id: StoryId,
    centroid: Centroid,
    norms: [f32; 3],
    articles: u32,
    last_date: Option<DateTime<Utc>>,
    last_seq: u64,
    title: String,
    title_score: f32,
    members: Vec<Member>,
    /// Languages of its articles.
    #[serde(default)]
    langs: Vec<LangId>,
    /// The features under which it is in the candidate index, sorted (rebuilt on restore).
    #[serde(skip)]
    indexed: Vec<u64>,
    /// Its slot in the candidate index, once indexed (see [`StoryEngine::slot_story`]).
    #[serde(skip)]
    slot: Option<u32>,
}

impl Story {
    fn empty(id: StoryId) -> Story {
        Story {
            id,
            centroid: Centroid::default(),
            norms: [0.0; 3],
            articles: 0,
            last_date: None,
            last_seq: 0,
            title: String::new(),
            title_score: f32::MIN,
            members: Vec::new(),
            langs: Vec::new(),
            indexed: Vec::new(),
            slot: None,
        }
    }

    fn recompute_norm(&mut self) {
        self.norms = self.centroid.norms();
    }

    /// Per-part cosines of a (per-part normalised) article vector with the centroid.
    fn cosines(&self, v: &Probe) -> [f32; 3] {
        let mut d = v.dot_parts(self.centroid.terms());
        for (p, n) in self.norms.iter().enumerate() {
            d[p] = if *n > 0.0 { d[p] / n } else { 0.0 };
        }
        d
    }

    /// `parts`: which parts the article has (see [`parts_of`]).
    fn cosine(&self, v: &Probe, parts: [bool; 3], share: f32, lang: LangId, cross: f32) -> f32 {
        let mut has = parts;
        for (p, n) in self.norms.iter().enumerate() {
            has[p] &= *n > 0.0;
        }
        let same = self.langs.contains(&lang);
        blend(self.cosines(v), has, share, same, cross)
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
    /// Feature → slots of the open stories whose centroid holds it (not saved: rebuilt on
    /// restore).
    #[serde(skip)]
    index: FxHashMap<u64, Vec<u32>>,
    /// Slot → the story holding it (stale for free slots, which no index list holds).
    #[serde(skip)]
    slot_story: Vec<StoryId>,
    /// Slots given back by closed and merged stories, reused first.
    #[serde(skip)]
    free_slots: Vec<u32>,
    /// Votes per slot while one article's candidates are counted (`None` when untouched).
    #[serde(skip)]
    tally: Vec<Option<f32>>,
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
    #[serde(default)]
    last_sweep: Option<DateTime<Utc>>,
    /// The languages seen, in order of first appearance ([`LangId`] indexes it).
    languages: Vec<String>,
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

    /// The engine with its next new story numbered at least `first`: a rebuilt engine then
    /// never hands out an id that stories saved by an earlier one still have.
    pub fn with_first_story(mut self, first: StoryId) -> StoryEngine {
        self.next_story = self.next_story.max(first);
        self
    }

    /// Sets (or removes) the pivot-translation hook of the engine's copy detector (see
    /// [`CopyDetector::set_pivot`]). The hook is not part of a snapshot: set it again on every
    /// engine [`StoryEngine::restore`]d.
    pub fn set_pivot(&mut self, pivot: Option<Arc<dyn PivotTranslate>>) {
        self.copies.set_pivot(pivot);
    }

    /// Replaces the settings of a (restored) engine by `config`, so that it runs with the
    /// configuration of the process rather than the one saved with its state. Windows apply
    /// from the next article on.
    pub fn set_config(&mut self, config: StoryConfig) {
        self.copies.set_config(config.copies.clone());
        self.config = config;
    }

    /// Whether a pivot-translation hook is set.
    pub fn has_pivot(&self) -> bool {
        self.copies.has_pivot()
    }

    /// Tells the pivot hook which documents are [`StoryEngine::add`]ed next, in that order, so
    /// that it can translate them ahead, several at a time (see
    /// [`PivotTranslate::prefetch`]); placements do not change.
    pub fn prefetch_pivot(&self, docs: &[Document]) {
        self.copies.prefetch_pivot(docs);
    }

    /// Open stories.
    pub fn open_stories(&self) -> usize {
        self.stories.len()
    }

    /// Articles inside the time window (the ones document frequencies are counted over).
    pub fn window_len(&self) -> usize {
        self.window.len()
    }

    /// Counts of what the engine keeps in memory (all bounded by the window).
    pub fn footprint(&self) -> crate::Footprint {
        crate::Footprint {
            window: self.window.len(),
            features: self.df.len(),
            open_stories: self.stories.len(),
            members: self.stories.values().map(|s| s.members.len()).sum(),
            centroid_terms: self.stories.values().map(|s| s.centroid.len()).sum(),
            article_ids: self.story_of.len().max(self.story_of_order.len()),
            aliases: self.aliases.len(),
            copy_window: self.copies.window_len(),
        }
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

    /// Rebuilds what a snapshot leaves out (the feature index, derived from the centroids).
    pub(crate) fn restored(mut self) -> StoryEngine {
        let mut ids: Vec<StoryId> = self.stories.keys().copied().collect();
        ids.sort_unstable();
        self.index = FxHashMap::default();
        self.slot_story.clear();
        self.free_slots.clear();
        self.tally.clear();
        for s in self.stories.values_mut() {
            s.slot = None;
            s.indexed.clear();
        }
        for id in ids {
            self.reindex(id);
        }
        self
    }

    /// The id of a language in the engine's table (added on first sight).
    fn language(&mut self, lang: &str) -> LangId {
        if let Some(i) = self.languages.iter().position(|l| l == lang) {
            return LangId::try_from(i).unwrap_or(LangId::MAX);
        }
        self.languages.push(lang.to_owned());
        LangId::try_from(self.languages.len() - 1).unwrap_or(LangId::MAX)
    }

    fn features(&self, doc: &Document, analysis: &Analysis) -> Vec<(u64, f32)> {
        // Sized for every feature up front: no rehashing while counting.
        let expected = analysis.title_words.len()
            + analysis.body_words.len()
            + analysis.names.len() * 10
            + analysis.urls.len()
            + doc.title.len() * 3
            + 8;
        let mut tf: FxHashMap<u64, f32> =
            FxHashMap::with_capacity_and_hasher(expected, Default::default());
        let tw = self.config.title_weight;
        let ew = self.config.entity_weight;
        for h in &analysis.title_words {
            *tf.entry(*h).or_default() += tw;
        }
        for h in &analysis.body_words {
            *tf.entry(*h).or_default() += 1.0;
        }
        let gw = self.config.name_gram_weight;
        let grams = |key: &str, weight: f32, tf: &mut FxHashMap<u64, f32>| {
            if gw <= 0.0 {
                return;
            }
            let mut padded: Vec<char> = Vec::with_capacity(key.len() + 2);
            padded.push('^');
            padded.extend(key.chars());
            padded.push('$');
            for g in padded.windows(3) {
                *tf.entry(in_part(hash_chars(kind::NAME_GRAM, g), part::GRAM))
                    .or_default() += weight * gw;
            }
        };
        for n in &analysis.names {
            *tf.entry(in_part(hash_feature(kind::NAME, n), part::ENTITY))
                .or_default() += ew;
            grams(n, ew, &mut tf);
        }
        // The title read in Latin whatever its script (unspaced scripts too).
        let title_words = crate::phonetic::romanised_words(&doc.title);
        for w in &title_words {
            if !w.starts_with(|c: char| c.is_ascii_digit()) && w.chars().count() >= 3 {
                let key = crate::transliteration::name_key(w);
                grams(&key, ew * tw, &mut tf);
            }
        }
        // Their phonetic skeletons: the same name through other scripts and conventions.
        let sw = crate::phonetic::SKELETON_WEIGHT;
        crate::phonetic::title_skeletons(&title_words, ew * tw * sw, |k, w| {
            *tf.entry(k).or_default() += w;
        });
        // The title's name keys again, whole: in one-line items the title is the subject.
        let title_key: String = title_words
            .iter()
            .map(|w| crate::transliteration::name_key(w))
            .collect::<Vec<_>>()
            .join(" ");
        if !title_key.is_empty() {
            *tf.entry(in_part(hash_feature(kind::NAME, &title_key), part::ENTITY))
                .or_default() += ew * tw;
        }
        for u in &analysis.urls {
            *tf.entry(in_part(hash_feature(kind::URL, u), part::ENTITY))
                .or_default() += ew;
        }
        tf.into_iter().collect()
    }

    fn idf(&self, h: u64) -> f32 {
        self.idf_of(self.df.get(&h).copied().unwrap_or(0))
    }

    /// The inverse document frequency of a feature held by `df` articles of the window.
    fn idf_of(&self, df: u32) -> f32 {
        let n = self.window.len() as f32 + 1.0;
        let df = df as f32;
        (1.0 + n / (df + 1.0)).ln()
    }

    /// [`StoryEngine::vectorize`] of term frequencies given with their current document
    /// frequencies.
    fn vectorize_counted(&self, tf: &[(u64, f32, u32)]) -> Vec<(u64, f32)> {
        let v: Vec<(u64, f32)> = tf
            .iter()
            .map(|(k, t, df)| (*k, (1.0 + t.ln()) * self.idf_of(*df)))
            .collect();
        normalise_parts(v)
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
        // Closing stories is a sweep over all of them: do it once per hour of stream time.
        let sweep_due = match (self.latest, self.last_sweep) {
            (Some(l), Some(s)) => l - s >= Duration::hours(1),
            (Some(_), None) => true,
            _ => false,
        };
        if sweep_due {
            self.last_sweep = self.latest;
            // Article vectors leave their story with the window (the centroid keeps their
            // weight): what is kept per article is bounded by the window, not by story length.
            if let Some(h) = horizon {
                for s in self.stories.values_mut() {
                    s.members.retain(|m| m.date.is_none_or(|d| d >= h));
                }
            }
        }
        let closing: Vec<StoryId> = if !sweep_due {
            Vec::new()
        } else {
            self.stories
                .values()
                .filter(|s| matches!((horizon, s.last_date), (Some(h), Some(d)) if d < h))
                .map(|s| s.id)
                .collect()
        };
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
            self.release(&s);
        }
        self.aliases.retain(|_, to| *to != id);
    }

    /// Takes a story leaving the engine out of the candidate index and frees its slot.
    fn release(&mut self, s: &Story) {
        if let Some(slot) = s.slot {
            for k in &s.indexed {
                self.unindex(*k, slot);
            }
            self.free_slots.push(slot);
        }
    }

    fn unindex(&mut self, k: u64, slot: u32) {
        if let Some(list) = self.index.get_mut(&k) {
            if let Some(i) = list.iter().position(|s| *s == slot) {
                list.swap_remove(i);
            }
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
        let decision = self.copies.observe(doc, &analysis);
        let provenance = decision.link;
        let top = decision.top.map(|(original, _)| original);

        // Running document frequencies include this article.
        let raw = self.features(doc, &analysis);
        let keys: Vec<u64> = raw.iter().map(|(k, _)| *k).collect();
        // The counts are read back as they are raised: one table lookup per feature.
        let mut raw: Vec<(u64, f32, u32)> = raw
            .into_iter()
            .map(|(k, t)| {
                let c = self.df.entry(k).or_default();
                *c += 1;
                (k, t, *c)
            })
            .collect();
        self.window.push_back((doc.date, keys));
        raw.sort_unstable_by_key(|(k, _, _)| *k);
        let vector = self.vectorize_counted(&raw);
        let raw: Vec<(u64, f32)> = raw.into_iter().map(|(k, t, _)| (k, t)).collect();
        let lang = self.language(&doc.lang);
        let member = Member {
            id: doc.id.clone(),
            seq: self.seq,
            date: doc.date,
            title: doc.title.clone(),
            lang,
            tf: raw,
        };

        // A copy joins its original's story.
        let copied_story = provenance
            .as_ref()
            .filter(|l| self.config.follow_copies && l.kind != LinkKind::SharesQuotes)
            .and_then(|l| {
                self.story_of
                    .get(&l.original)
                    .or(self.story_of.get(&l.matched))
            })
            .map(|s| self.resolve(*s))
            .filter(|s| self.stories.contains_key(s));

        // Candidate stories share some of the article's heaviest features; the ones sharing
        // the most weight are scored exactly.
        let mut heaviest = vector.clone();
        if heaviest.len() > VOTING_TERMS {
            heaviest.select_nth_unstable_by(VOTING_TERMS, |a, b| b.1.total_cmp(&a.1));
            heaviest.truncate(VOTING_TERMS);
        }
        heaviest.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        // Votes summed per slot in the order of the terms, as a map per story would sum them.
        let mut touched: Vec<u32> = Vec::with_capacity(256);
        for (k, w) in &heaviest {
            if let Some(list) = self.index.get(k) {
                for &slot in list {
                    if let Some(t) = self.tally.get_mut(slot as usize) {
                        let v = t.get_or_insert_with(|| {
                            touched.push(slot);
                            0.0
                        });
                        *v += *w;
                    }
                }
            }
        }
        let mut voted: Vec<(f32, StoryId)> = touched
            .iter()
            .filter_map(|&slot| {
                let v = self.tally.get_mut(slot as usize)?.take()?;
                Some((v, *self.slot_story.get(slot as usize)?))
            })
            .collect();
        if voted.len() > CANDIDATES {
            voted
                .select_nth_unstable_by(CANDIDATES, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            voted.truncate(CANDIDATES);
        }
        let candidates = voted.into_iter().map(|(_, id)| id);
        let share = self.config.entity_share;
        let cross = self.config.cross_language_weight;
        let parts = parts_of(&vector);
        let probe = Probe::of(&vector);
        let mut scored: Vec<(f32, StoryId)> = candidates
            .into_iter()
            .filter_map(|id| {
                self.stories
                    .get(&id)
                    .map(|s| (s.cosine(&probe, parts, share, lang, cross), id))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

        let threshold = self.config.join_threshold;
        // A story needs shared content beyond numbers and dates. Across languages written in
        // the same (Latin) script, words cannot match but names can, whole: a candidate in
        // other languages only is kept when the article shares names with it
        // (`MIN_SHARED_NAMES` of entity cosine without the numbers). Otherwise unrelated local
        // items in two languages join on a few numbers ("40", "60") and on trigrams of title
        // words ("mar" in "maritime" and "marks"), which a small collection weighs heavily.
        // Between scripts, names match only through their trigrams and skeletons, and the
        // rule does not apply.
        let latin = is_latin(&doc.title);
        if latin && scored.iter().any(|(sim, _)| *sim >= threshold) {
            let numbers: FxHashSet<u64> = analysis.number_features.iter().copied().collect();
            let names: Vec<(u64, f32)> = vector
                .iter()
                .filter(|(k, _)| part_of(*k) == part::ENTITY && !numbers.contains(k))
                .copied()
                .collect();
            let names = Probe::of(&names);
            scored.retain(|(sim, id)| {
                *sim < threshold
                    || self.stories.get(id).is_some_and(|s| {
                        s.langs.contains(&lang)
                            || !is_latin(&s.title)
                            || s.cosines(&names)[part::ENTITY] >= MIN_SHARED_NAMES
                    })
            });
        }
        let (story, similarity, new_story) = match (copied_story, scored.first()) {
            (Some(s), _) => {
                let sim = self
                    .stories
                    .get(&s)
                    .map_or(1.0, |st| st.cosine(&probe, parts, share, lang, cross));
                (s, sim, false)
            }
            (None, Some((sim, id))) if *sim >= threshold => (*id, *sim, false),
            _ => {
                let id = self.next_story;
                self.next_story += 1;
                self.stories.insert(id, Story::empty(id));
                (id, 1.0, true)
            }
        };
        self.absorb(story, &vector, doc, similarity, member);

        // Merge: other stories this article also belongs to, if they resemble the story.
        let mut merged = Vec::new();
        let others: Vec<StoryId> = scored
            .iter()
            .filter(|(sim, id)| *id != story && *sim >= threshold)
            .map(|(_, id)| *id)
            .collect();
        let mut story = story;
        for other in others {
            let sim = self.story_similarity(story, other);
            if sim >= self.config.merge_threshold {
                let (keep, gone) = self.merge(story, other);
                merged.push((gone, keep));
                story = keep;
            }
        }
        // Split: the story may now show two separate events.
        let mut moved = Vec::new();
        let members = self.stories.get(&story).map_or(0, |s| s.members.len());
        if members >= 4
            && split_due(members)
            && let Some((new_id, ids)) = self.try_split(story)
        {
            let here = ids.contains(&doc.id);
            moved.extend(
                ids.into_iter()
                    .filter(|i| *i != doc.id)
                    .map(|i| (i, new_id)),
            );
            if here {
                story = new_id;
            }
        }
        self.story_of.insert(doc.id.clone(), story);
        self.story_of_order.push_back(doc.id.clone());
        for (id, to) in &moved {
            if let Some(s) = self.story_of.get_mut(id) {
                *s = *to;
            }
        }
        Placement {
            story,
            new_story,
            similarity,
            provenance,
            top,
            merged,
            moved,
        }
    }

    /// A final pass over the open stories at the end of a stream: splits what the last
    /// articles showed to be two events. Returns the articles that changed story.
    pub fn finish(&mut self) -> Vec<(String, StoryId)> {
        let mut ids: Vec<StoryId> = self.stories.keys().copied().collect();
        ids.sort_unstable();
        let mut moved = Vec::new();
        for id in ids {
            if let Some((new_id, docs)) = self.try_split(id) {
                moved.extend(docs.into_iter().map(|d| (d, new_id)));
            }
        }
        moved
    }

    /// Term weights of one article with the current document frequencies, normalised per part
    /// (words, entities), sorted by feature.
    fn vectorize(&self, tf: &[(u64, f32)]) -> Vec<(u64, f32)> {
        let v: Vec<(u64, f32)> = tf
            .iter()
            .map(|(k, t)| (*k, (1.0 + t.ln()) * self.idf(*k)))
            .collect();
        normalise_parts(v)
    }
}

/// Divides each part of a vector by its norm.
fn normalise_parts(mut v: Vec<(u64, f32)>) -> Vec<(u64, f32)> {
    let mut n = [0.0f32; 3];
    for (k, w) in &v {
        n[part_of(*k)] += w * w;
    }
    let n = n.map(f32::sqrt);
    for (k, w) in &mut v {
        let p = n[part_of(*k)];
        if p > 0.0 {
            *w /= p;
        }
    }
    v
}

impl StoryEngine {
    /// [`pair_dots`] of the members' vectors ([`StoryEngine::vectorize`] of each), weighting
    /// each feature they hold once (one document-frequency lookup per distinct feature, not per
    /// member); every sum runs in the same order as there, so the results are the same.
    fn member_dots(&self, members: &[Member]) -> Vec<[f32; 3]> {
        let mut entries: Vec<(u64, u32, f32)> =
            Vec::with_capacity(members.iter().map(|m| m.tf.len()).sum());
        for (i, m) in members.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            entries.extend(m.tf.iter().map(|(k, t)| (*k, i, *t)));
        }
        // Each member's terms are one run sorted by feature, the runs in member order: a stable
        // sort by feature merges the runs and leaves them ordered by (feature, member).
        entries.sort_by_key(|(k, _, _)| *k);
        let mut norms = vec![[0.0f32; 3]; members.len()];
        let mut start = 0;
        while start < entries.len() {
            let key = entries[start].0;
            let idf = self.idf(key);
            let part = part_of(key);
            let mut end = start;
            while let Some(e) = entries.get_mut(end).filter(|e| e.0 == key) {
                e.2 = (1.0 + e.2.ln()) * idf;
                norms[e.1 as usize][part] += e.2 * e.2;
                end += 1;
            }
            start = end;
        }
        let norms: Vec<[f32; 3]> = norms.into_iter().map(|n| n.map(f32::sqrt)).collect();
        for (k, i, w) in &mut entries {
            let p = norms[*i as usize][part_of(*k)];
            if p > 0.0 {
                *w /= p;
            }
        }
        dots_of_sorted(&entries, members.len())
    }

    /// The similarity of two article vectors from their per-part dot products; `both`: which
    /// parts both vectors have.
    fn pair_similarity(&self, dots: [f32; 3], both: [bool; 3], same_language: bool) -> f32 {
        blend(
            dots,
            both,
            self.config.entity_share,
            same_language,
            self.config.cross_language_weight,
        )
    }

    /// Splits a story in two when its tracked articles form two groups much less similar to
    /// each other than within themselves (average link). The group holding the story's first
    /// tracked article keeps the id. Returns the new story and the articles moved to it.
    fn try_split(&mut self, id: StoryId) -> Option<(StoryId, Vec<String>)> {
        if self.config.split_ratio <= 0.0 {
            return None;
        }
        let story = self.stories.get(&id)?;
        let n = story.members.len();
        if n < 4 {
            return None;
        }
        // Average-link agglomeration down to two groups, over a flat `n × n` matrix.
        let parts: Vec<[bool; 3]> = story.members.iter().map(|m| parts_of(&m.tf)).collect();
        let dots = self.member_dots(&story.members);
        let mut sums = vec![0.0f32; n * n];
        for i in 0..n {
            for j in (i + 1)..n {
                let same = story.members[i].lang == story.members[j].lang;
                let both = [0, 1, 2].map(|p| parts[i][p] && parts[j][p]);
                let s = self.pair_similarity(dots[i * n + j], both, same);
                sums[i * n + j] = s;
                sums[j * n + i] = s;
            }
        }
        let mut within = vec![0.0f32; n];
        let mut size = vec![1usize; n];
        let mut alive: Vec<usize> = (0..n).collect();
        let mut group: Vec<usize> = (0..n).collect();
        while alive.len() > 2 {
            let mut best = (f32::MIN, 0, 0);
            for (x, &i) in alive.iter().enumerate() {
                for &j in &alive[x + 1..] {
                    let avg = sums[i * n + j] / (size[i] * size[j]) as f32;
                    if avg > best.0 {
                        best = (avg, i, j);
                    }
                }
            }
            let (_, i, j) = best;
            within[i] += within[j] + sums[i * n + j];
            size[i] += size[j];
            for &k in &alive {
                if k != i && k != j {
                    sums[i * n + k] += sums[j * n + k];
                    sums[k * n + i] = sums[i * n + k];
                }
            }
            for g in &mut group {
                if *g == j {
                    *g = i;
                }
            }
            alive.retain(|k| *k != j);
        }
        let (a, b) = (alive[0], alive[1]);
        if size[a] < 2 || size[b] < 2 {
            return None;
        }
        // Never split along language lines: across languages similarity is lower by nature.
        let langs_of = |g: usize| -> FxHashSet<LangId> {
            story
                .members
                .iter()
                .zip(&group)
                .filter(|(_, x)| **x == g)
                .map(|(m, _)| m.lang)
                .collect()
        };
        if langs_of(a).is_disjoint(&langs_of(b)) {
            return None;
        }
        let between = sums[a * n + b] / (size[a] * size[b]) as f32;
        let pairs = |k: usize| (size[k] * (size[k] - 1) / 2) as f32;
        let within_avg = (within[a] + within[b]) / (pairs(a) + pairs(b));
        if between >= self.config.split_ratio * within_avg {
            return None;
        }
        // The group of the first tracked member keeps the id.
        let keep_group = group[0];
        let new_id = self.next_story;
        self.next_story += 1;
        let story = self.stories.get_mut(&id)?;
        let members = std::mem::take(&mut story.members);
        let (kept, gone): (Vec<_>, Vec<_>) = members
            .into_iter()
            .zip(group)
            .partition(|(_, g)| *g == keep_group);
        story.members = kept.into_iter().map(|(m, _)| m).collect();
        let moved_members: Vec<Member> = gone.into_iter().map(|(m, _)| m).collect();
        let moved: Vec<String> = moved_members.iter().map(|m| m.id.clone()).collect();
        let remaining = story
            .articles
            .saturating_sub(u32::try_from(moved.len()).unwrap_or(0));
        story.articles = remaining.max(u32::try_from(story.members.len()).unwrap_or(u32::MAX));
        let mut new_story = Story::empty(new_id);
        new_story.articles = u32::try_from(moved_members.len()).unwrap_or(u32::MAX);
        new_story.members = moved_members;
        self.stories.insert(new_id, new_story);
        self.rebuild(id);
        self.rebuild(new_id);
        tracing::debug!(
            story = id,
            new_story = new_id,
            moved = moved.len(),
            "story split"
        );
        Some((new_id, moved))
    }

    /// Recomputes a story's centroid, size and title from its tracked articles.
    fn rebuild(&mut self, id: StoryId) {
        let Some(story) = self.stories.get(&id) else {
            return;
        };
        let vectors: Vec<Vec<(u64, f32)>> = story
            .members
            .iter()
            .map(|m| self.vectorize(&m.tf))
            .collect();
        let centroid = Centroid::from_unsorted(vectors.iter().flatten().copied().collect());
        let norm = centroid
            .terms()
            .iter()
            .map(|(_, w)| w * w)
            .sum::<f32>()
            .sqrt()
            .max(f32::MIN_POSITIVE);
        // The most representative article: the one closest to the centroid.
        let best = vectors
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let dot: f32 = dot_parts(v, centroid.terms()).iter().sum();
                (dot / norm, i)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(s) = self.stories.get_mut(&id) {
            s.centroid = centroid;
            s.last_seq = s.members.iter().map(|m| m.seq).max().unwrap_or(0);
            s.last_date = s.members.iter().filter_map(|m| m.date).max();
            s.langs.clear();
            for m in &s.members {
                if !s.langs.contains(&m.lang) {
                    s.langs.push(m.lang);
                }
            }
            if let Some((score, i)) = best
                && let Some(m) = s.members.get(i)
            {
                s.title = m.title.clone();
                s.title_score = score;
            }
        }
        self.prune(id);
    }

    fn story_similarity(&self, a: StoryId, b: StoryId) -> f32 {
        let (Some(sa), Some(sb)) = (self.stories.get(&a), self.stories.get(&b)) else {
            return 0.0;
        };
        let mut d = dot_parts(sa.centroid.terms(), sb.centroid.terms());
        let mut has = [false; 3];
        for p in 0..3 {
            let n = sa.norms[p] * sb.norms[p];
            has[p] = n > 0.0;
            d[p] = if n > 0.0 { d[p] / n } else { 0.0 };
        }
        let same = sa.langs.iter().any(|l| sb.langs.contains(l));
        blend(
            d,
            has,
            self.config.entity_share,
            same,
            self.config.cross_language_weight,
        )
    }

    /// Merges two stories; the older id (smaller) stays. Returns (kept, absorbed).
    fn merge(&mut self, a: StoryId, b: StoryId) -> (StoryId, StoryId) {
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        let Some(g) = self.stories.remove(&gone) else {
            return (keep, gone);
        };
        self.release(&g);
        if let Some(s) = self.stories.get_mut(&keep) {
            s.centroid.add(g.centroid.terms());
            s.articles += g.articles;
            s.members.extend(g.members);
            for l in g.langs {
                if !s.langs.contains(&l) {
                    s.langs.push(l);
                }
            }
            s.members.sort_by_key(|m| m.seq);
            let excess = s.members.len().saturating_sub(self.config.max_members);
            s.members.drain(..excess);
            s.last_date = s.last_date.max(g.last_date);
            s.last_seq = s.last_seq.max(g.last_seq);
            if g.title_score > s.title_score {
                s.title = g.title;
                s.title_score = g.title_score;
            }
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

    fn absorb(
        &mut self,
        id: StoryId,
        vector: &[(u64, f32)],
        doc: &Document,
        similarity: f32,
        member: Member,
    ) {
        let seq = self.seq;
        let lang = member.lang;
        let max_members = self.config.max_members;
        if let Some(s) = self.stories.get_mut(&id) {
            s.members.push(member);
            if !s.langs.contains(&lang) {
                s.langs.push(lang);
            }
            if s.members.len() > max_members {
                s.members.remove(0);
            }
            s.centroid.add(vector);
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
        self.prune(id);
    }

    /// Keeps the heaviest `centroid_terms` terms of a story, and its heaviest
    /// [`INDEXED_TERMS`] in the candidate index.
    fn prune(&mut self, id: StoryId) {
        let limit = self.config.centroid_terms;
        if let Some(s) = self.stories.get_mut(&id) {
            s.centroid.prune(limit);
            s.recompute_norm();
        }
        self.reindex(id);
    }

    /// Puts a story in the candidate index under its heaviest terms (only the changes).
    fn reindex(&mut self, id: StoryId) {
        let Some(s) = self.stories.get_mut(&id) else {
            return;
        };
        let slot = match s.slot {
            Some(slot) => slot,
            None => {
                let slot = self.free_slots.pop().unwrap_or_else(|| {
                    self.slot_story.push(id);
                    self.tally.push(None);
                    u32::try_from(self.slot_story.len() - 1).unwrap_or(u32::MAX)
                });
                if let Some(owner) = self.slot_story.get_mut(slot as usize) {
                    *owner = id;
                }
                s.slot = Some(slot);
                slot
            }
        };
        let new = s.centroid.heaviest(INDEXED_TERMS);
        let old = std::mem::replace(&mut s.indexed, new.clone());
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < new.len() {
            match (old.get(i), new.get(j)) {
                (Some(a), Some(b)) if a == b => {
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a < b => {
                    self.unindex(*a, slot);
                    i += 1;
                }
                (Some(a), None) => {
                    self.unindex(*a, slot);
                    i += 1;
                }
                (_, Some(b)) => {
                    self.index.entry(*b).or_default().push(slot);
                    j += 1;
                }
                (None, None) => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feature-sorted vectors over a small feature space (so they share features), all parts.
    fn vectors(n: usize, seed: u64) -> Vec<Vec<(u64, f32)>> {
        let mut x = seed;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..n)
            .map(|_| {
                let mut v: Vec<(u64, f32)> = (0..60)
                    .map(|_| {
                        let part = [part::WORD, part::ENTITY, part::GRAM][(next() % 3) as usize];
                        let k = in_part(next() % 200, part);
                        (k, (next() % 1000) as f32 / 997.0)
                    })
                    .collect();
                v.sort_unstable_by_key(|(k, _)| *k);
                v.dedup_by_key(|(k, _)| *k);
                v
            })
            .collect()
    }

    #[test]
    fn probe_dots_equal_merges_bit_for_bit() {
        let vs = vectors(30, 11);
        for a in &vs {
            let probe = Probe::of(a);
            for b in &vs {
                let merged = dot_parts(a, b);
                assert_eq!(
                    probe.dot_parts(b).map(f32::to_bits),
                    merged.map(f32::to_bits)
                );
            }
            assert!(probe.dot_parts(a).iter().any(|d| *d > 0.0));
        }
        assert_eq!(Probe::of(&[]).dot_parts(&vs[0]), [0.0; 3]);
    }

    #[test]
    fn pair_dots_equal_pairwise_merges_bit_for_bit() {
        for seed in [1u64, 7, 99] {
            let vs = vectors(13, seed);
            let n = vs.len();
            let dots = pair_dots(&vs);
            let mut shared = 0;
            for i in 0..n {
                for j in (i + 1)..n {
                    let merged = dot_parts(&vs[i], &vs[j]);
                    assert_eq!(
                        dots[i * n + j].map(f32::to_bits),
                        merged.map(f32::to_bits),
                        "pair {i},{j}"
                    );
                    shared += usize::from(merged.iter().any(|d| *d != 0.0));
                }
            }
            assert!(shared > n, "the vectors share features");
        }
    }

    #[test]
    fn member_dots_equal_the_dots_of_vectorised_members() {
        let mut engine = StoryEngine::new(StoryConfig::default());
        let raw = vectors(9, 5);
        for v in &raw {
            for (k, _) in v.iter().step_by(2) {
                *engine.df.entry(*k).or_default() += 3;
            }
            engine.window.push_back((None, Vec::new()));
        }
        let members: Vec<Member> = raw
            .iter()
            .enumerate()
            .map(|(i, tf)| Member {
                id: i.to_string(),
                seq: i as u64,
                date: None,
                title: String::new(),
                lang: 0,
                // Term frequencies of at least 1, as `features` gives.
                tf: tf.iter().map(|(k, w)| (*k, 1.0 + 3.0 * w)).collect(),
            })
            .collect();
        let vectorised: Vec<Vec<(u64, f32)>> =
            members.iter().map(|m| engine.vectorize(&m.tf)).collect();
        let expected = pair_dots(&vectorised);
        let got = engine.member_dots(&members);
        assert_eq!(
            got.iter().map(|d| d.map(f32::to_bits)).collect::<Vec<_>>(),
            expected
                .iter()
                .map(|d| d.map(f32::to_bits))
                .collect::<Vec<_>>()
        );
        assert!(expected.iter().any(|d| d.iter().any(|x| *x > 0.0)));
    }

    #[test]
    fn languages_are_interned_once() {
        let mut engine = StoryEngine::new(StoryConfig::default());
        assert_eq!(engine.language("en"), 0);
        assert_eq!(engine.language("fr"), 1);
        assert_eq!(engine.language("en"), 0);
        assert_eq!(engine.languages, vec!["en".to_string(), "fr".to_string()]);
    }
}

//! Online copy detection: same-language near-duplicates (word-shingle containment) and
//! translated copies (paragraph structure, numbers, names), each new article compared only with
//! the articles seen before it, inside a time window.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::alignment::{numbers_in_order, sentence_alignment_cost};
use std::sync::Arc;

use crate::analysis::Analysis;
use crate::document::Document;
use crate::pivot::{CONFIRM, PivotHook, PivotTranslate, REJECT, pivot_shingles, pivot_text};
use crate::provenance::{Evidence, LinkKind, ProvenanceLink, Signal};

/// Settings of the copy detector. The defaults are language-independent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyConfig {
    /// Only articles published at most this long before a new one are candidates.
    pub window_hours: i64,
    /// At most this many articles are kept as candidates (oldest dropped first).
    pub max_window_docs: usize,
    /// Shingle containment from which a same-language article is a copy.
    pub copy_threshold: f32,
    /// Only articles published at most this long before a new one are candidate originals of
    /// a translation (translations follow their original within days).
    pub translation_window_hours: i64,
    /// At most this many of the newest articles with the same paragraph count are examined as
    /// candidate originals of a translation (bounds the work per article).
    pub translation_scan: usize,
    /// Score from which a cross-language article is a translated copy.
    pub translation_threshold: f32,
    /// Shared quote shingles from which a "shares quotes" link is made.
    pub min_quote_shingles: usize,
}

impl Default for CopyConfig {
    fn default() -> Self {
        CopyConfig {
            window_hours: 24 * 7,
            max_window_docs: 200_000,
            copy_threshold: 0.45,
            translation_window_hours: 72,
            translation_scan: 1024,
            translation_threshold: 0.55,
            min_quote_shingles: 3,
        }
    }
}

/// What the detector keeps about one seen article, compactly: hashes instead of strings, a
/// hash-sampled set of its shingles, no sentence or name text. The strings needed for evidence
/// are taken from the new article (whatever is shared is in it too).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Seen {
    seq: u64,
    id: String,
    /// Hash of the language code, for cheap comparisons.
    lang_key: u64,
    date: Option<DateTime<Utc>>,
    /// The original this article copies, if it is a copy.
    root: Option<String>,
    /// Hash of the language of `root` (of this article when it has none).
    root_lang_key: u64,
    paragraphs: Vec<u32>,
    /// Sentence lengths, in order.
    sentences: Vec<u32>,
    /// Hashes of the numbers, in order.
    numbers: Vec<u32>,
    /// Sorted, deduplicated hashes of the name keys.
    names: Vec<u32>,
    /// The shingles kept are those whose hash has its `level` lowest bits zero.
    level: u8,
    /// Sorted, deduplicated low 32 bits of the kept shingle hashes.
    shingles: Vec<u32>,
    /// Sorted, deduplicated low 32 bits of the quote shingle hashes.
    quote_shingles: Vec<u32>,
    /// Hashes of the quoted passages, in order.
    quote_keys: Vec<u32>,
    /// The first quoted passage (the evidence when no quote is shared word for word).
    first_quote: Option<String>,
    /// Sorted, deduplicated hashes of the URLs.
    urls: Vec<u32>,
    /// Sorted, deduplicated low 32 bits of the word bigram hashes of its pivot translation
    /// (empty without a pivot hook).
    pivot_shingles: Vec<u32>,
}

impl Seen {
    /// Gives back the spare capacity of every list.
    fn shrink(&mut self) {
        self.id.shrink_to_fit();
        self.paragraphs.shrink_to_fit();
        self.sentences.shrink_to_fit();
        self.numbers.shrink_to_fit();
        self.names.shrink_to_fit();
        self.shingles.shrink_to_fit();
        self.quote_shingles.shrink_to_fit();
        self.quote_keys.shrink_to_fit();
        self.urls.shrink_to_fit();
        self.pivot_shingles.shrink_to_fit();
    }

    /// Bytes this entry holds on the heap and inline (approximate).
    fn bytes(&self) -> usize {
        std::mem::size_of::<Seen>()
            + self.id.capacity()
            + self.root.as_ref().map_or(0, String::capacity)
            + 4 * (self.paragraphs.capacity()
                + self.sentences.capacity()
                + self.numbers.capacity()
                + self.names.capacity()
                + self.shingles.capacity()
                + self.quote_shingles.capacity()
                + self.quote_keys.capacity()
                + self.urls.capacity()
                + self.pivot_shingles.capacity())
            + self.first_quote.as_ref().map_or(0, String::capacity)
    }
}

/// The new article being placed: full shingle set and the strings, for scoring and evidence.
struct Incoming<'a> {
    seen: Seen,
    /// Every shingle (level 0), sorted and deduplicated.
    all_shingles: Vec<u32>,
    /// Log paragraph lengths minus their mean.
    shape: Vec<f32>,
    /// The number hashes, sorted.
    sorted_numbers: Vec<u32>,
    numbers: &'a [String],
    names: &'a [String],
    quotes: &'a [String],
    urls: &'a [String],
}

/// A candidate's score against the new article, with evidence.
#[derive(Debug, Clone)]
struct Scored {
    seq: u64,
    score: f32,
    kind: LinkKind,
    evidence: Vec<Evidence>,
}

/// Marks a posting value that is a slot in [`PostingIndex::lists`] rather than a seq.
const MANY: u64 = 1 << 63;

/// Key → seqs (ascending) of the articles holding it. A key held by one article costs one
/// table entry (key and seq); keys held by more point to a queue in a slot list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct PostingIndex {
    heads: FxHashMap<u32, u64>,
    lists: Vec<VecDeque<u64>>,
    free: Vec<u32>,
}

impl PostingIndex {
    fn add(&mut self, key: u32, seq: u64) {
        let Some(head) = self.heads.get(&key).copied() else {
            self.heads.insert(key, seq);
            return;
        };
        if head & MANY != 0 {
            if let Some(q) = usize::try_from(head & !MANY)
                .ok()
                .and_then(|i| self.lists.get_mut(i))
            {
                q.push_back(seq);
            }
            return;
        }
        let q = VecDeque::from([head, seq]);
        let slot = match self.free.pop() {
            Some(slot) => {
                if let Some(l) = self.lists.get_mut(slot as usize) {
                    *l = q;
                }
                u64::from(slot)
            }
            None => {
                self.lists.push(q);
                (self.lists.len() - 1) as u64
            }
        };
        self.heads.insert(key, MANY | slot);
    }

    fn for_each(&self, key: u32, mut f: impl FnMut(u64)) {
        match self.heads.get(&key) {
            None => {}
            Some(head) if head & MANY == 0 => f(*head),
            Some(head) => {
                if let Some(q) = usize::try_from(head & !MANY)
                    .ok()
                    .and_then(|i| self.lists.get(i))
                {
                    q.iter().for_each(|s| f(*s));
                }
            }
        }
    }

    fn remove(&mut self, key: u32, seq: u64) {
        let Some(head) = self.heads.get(&key).copied() else {
            return;
        };
        if head & MANY == 0 {
            if head == seq {
                self.heads.remove(&key);
            }
            return;
        }
        let slot = head & !MANY;
        let Some(q) = usize::try_from(slot)
            .ok()
            .and_then(|i| self.lists.get_mut(i))
        else {
            return;
        };
        if q.front() == Some(&seq) {
            q.pop_front();
        } else {
            q.retain(|s| *s != seq);
        }
        if q.len() <= 1 {
            let last = q.front().copied();
            *q = VecDeque::new();
            self.free.push(u32::try_from(slot).unwrap_or(u32::MAX));
            match last {
                Some(s) => {
                    self.heads.insert(key, s);
                }
                None => {
                    self.heads.remove(&key);
                }
            }
        }
    }

    fn bytes(&self) -> usize {
        self.heads.capacity() * (std::mem::size_of::<(u32, u64)>() + 1)
            + self.lists.capacity() * std::mem::size_of::<VecDeque<u64>>()
            + self.lists.iter().map(|q| 8 * q.capacity()).sum::<usize>()
            + 4 * self.free.capacity()
    }
}

/// The articles with one paragraph count, oldest first, with what the translation scan reads
/// (language, date, shape) stored contiguously.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ShapeBucket {
    seqs: VecDeque<u64>,
    lang_keys: VecDeque<u64>,
    /// Seconds since the epoch, `i64::MIN` when undated.
    dates: VecDeque<i64>,
    /// `paragraphs` values per article.
    shapes: VecDeque<f32>,
}

impl ShapeBucket {
    fn bytes(&self) -> usize {
        8 * (self.seqs.capacity() + self.lang_keys.capacity() + self.dates.capacity())
            + 4 * self.shapes.capacity()
    }
}

/// The online copy detector. Feed articles in arrival order with [`CopyDetector::observe`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CopyDetector {
    config: CopyConfig,
    next_seq: u64,
    seen: VecDeque<Seen>,
    /// Sampled shingle hash → seqs (ascending) of articles containing it.
    shingle_index: PostingIndex,
    /// Quote shingle hash → seqs.
    quote_index: PostingIndex,
    /// Paragraph count → the articles with that many paragraphs.
    by_paragraphs: FxHashMap<u32, ShapeBucket>,
    latest: Option<DateTime<Utc>>,
    /// The pivot-translation hook, if a backend is configured (not saved).
    #[serde(skip)]
    pivot: PivotHook,
}

/// Outcome of [`CopyDetector::observe`].
#[derive(Debug, Clone, Default)]
pub struct CopyDecision {
    /// The link, when the article is a copy (or shares quotes).
    pub link: Option<ProvenanceLink>,
    /// The best candidate original even when no link was made, with its score.
    pub top: Option<(String, f32)>,
}

/// Index one shingle in eight.
fn sampled(h: u32) -> bool {
    h & 7 == 0
}

/// Index one quote shingle in two (candidates are then counted on all their quote shingles).
fn quote_sampled(h: u32) -> bool {
    h & 0x100 == 0
}

/// Quote candidates counted in full per article.
const QUOTE_CANDIDATES: usize = 4;

/// Highest sampling level of the shingles kept per article: every level keeps all the
/// shingles the index holds (one in eight).
const MAX_LEVEL: u8 = 3;

/// An article keeps at least this many shingles (all of them when it has fewer).
const MIN_KEPT_SHINGLES: usize = 64;

/// Whether hash `h` is kept at sampling level `level`.
fn kept(h: u32, level: u8) -> bool {
    h & ((1u32 << level) - 1) == 0
}

/// The sampling level for a sorted shingle set: the highest that keeps enough shingles.
fn level_for(all: &[u32]) -> u8 {
    let mut level = 0;
    while level < MAX_LEVEL
        && all.iter().filter(|h| kept(**h, level + 1)).count() >= MIN_KEPT_SHINGLES
    {
        level += 1;
    }
    level
}

/// The low 32 bits of a 64-bit hash (its low bits are well mixed).
fn low(h: u64) -> u32 {
    h as u32
}

fn sorted_unique<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort_unstable();
    v.dedup();
    v
}

fn key(s: &str) -> u32 {
    low(crate::analysis::hash_feature(0, s))
}

fn intersection_count<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Containment of two shingle sets compared at the coarser of their sampling levels:
/// (shared, smaller set size).
fn containment_at(old: &[u32], old_level: u8, new_all: &[u32]) -> (usize, usize) {
    let new_kept: Vec<u32> = if old_level == 0 {
        new_all.to_vec()
    } else {
        new_all
            .iter()
            .copied()
            .filter(|h| kept(*h, old_level))
            .collect()
    };
    let shared = intersection_count(old, &new_kept);
    (shared, old.len().min(new_kept.len()))
}

/// Mean absolute deviation of per-paragraph log length ratios from their median (capped at 1
/// per paragraph): small when one text is a paragraph-by-paragraph translation of the other,
/// whatever the languages' length ratio.
pub(crate) fn structure_deviation(a: &[u32], b: &[u32]) -> Option<f32> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let mut logs: Vec<f32> = a
        .iter()
        .zip(b)
        .map(|(x, y)| ((*y as f32 + 5.0) / (*x as f32 + 5.0)).ln())
        .collect();
    let mut sorted = logs.clone();
    sorted.sort_by(f32::total_cmp);
    let mid = sorted.len() / 2;
    let median = if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    };
    for l in &mut logs {
        *l = (*l - median).abs().min(1.0);
    }
    Some(logs.iter().sum::<f32>() / logs.len() as f32)
}

/// Below this many paragraphs, a translation must also align sentence by sentence. Reports of
/// one day's news run to 4-7 paragraphs of similar lengths, so below 8 the paragraphs' shape
/// says little (6 let a French report of a port strike pass for a translation of an English
/// report of a mayoral election); from 8 on it is rare by chance.
const FEW_PARAGRAPHS: usize = 8;

/// Highest mean sentence alignment cost of a translation of a short article.
const MAX_SENTENCE_COST: f32 = 0.16;

/// Lowest share of numbers in the same order in a translation of a short article.
const MIN_NUMBERS_IN_ORDER: f32 = 0.6;

/// A short candidate that fails the sentence, order or anchor checks keeps this share of its
/// score: below every link threshold, still ranked.
const MISALIGNED_FACTOR: f32 = 0.4;

/// Fewest numbers and names a translation of a short article shares with it.
const MIN_SHARED_ANCHORS: usize = 2;

/// Cross-language candidates scored in full per article (the closest by their shapes' distance).
const TRANSLATION_CANDIDATES: usize = 8;

/// Log paragraph lengths minus their mean.
fn shape(paragraphs: &[u32]) -> Vec<f32> {
    let logs: Vec<f32> = paragraphs.iter().map(|p| (*p as f32 + 5.0).ln()).collect();
    let mean = logs.iter().sum::<f32>() / logs.len().max(1) as f32;
    logs.into_iter().map(|l| l - mean).collect()
}

/// Largest standard deviation of per-paragraph log length ratios (from the two shapes) of a
/// translation candidate: the cheap first ranking of translation candidates.
const MAX_SHAPE_DISTANCE: f32 = 0.6;

/// Multiset overlap of an old article's hashed list and the new article's strings: (shared
/// items, Dice with add-two smoothing).
fn multiset_overlap(old: &[u32], new: &[String]) -> (Vec<String>, f32) {
    let mut counts: FxHashMap<u32, i32> = FxHashMap::default();
    for x in old {
        *counts.entry(*x).or_default() += 1;
    }
    let mut shared = Vec::new();
    for x in new {
        if let Some(c) = counts.get_mut(&key(x))
            && *c > 0
        {
            *c -= 1;
            shared.push(x.clone());
        }
    }
    let dice = 2.0 * shared.len() as f32 / (old.len() + new.len() + 4) as f32;
    (shared, dice)
}

/// Set overlap of an old article's sorted unique hashes and the new article's strings.
fn set_overlap(old: &[u32], new: &[String]) -> (Vec<String>, f32) {
    let unique_new: FxHashSet<&str> = new.iter().map(String::as_str).collect();
    let mut shared: Vec<String> = unique_new
        .iter()
        .filter(|s| old.binary_search(&key(s)).is_ok())
        .map(|s| s.to_string())
        .collect();
    shared.sort();
    let dice = 2.0 * shared.len() as f32 / (old.len() + unique_new.len() + 4) as f32;
    (shared, dice)
}

fn summarise(items: &[String], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        s.push_str(&format!(", … ({} in all)", items.len()));
    }
    s
}

impl CopyDetector {
    /// A detector with these settings.
    pub fn new(config: CopyConfig) -> CopyDetector {
        CopyDetector {
            config,
            ..CopyDetector::default()
        }
    }

    /// Replaces the settings (see [`crate::StoryEngine::set_config`]).
    pub fn set_config(&mut self, config: CopyConfig) {
        self.config = config;
    }

    /// Sets (or removes) the pivot-translation hook: each new article is then translated into
    /// the pivot language once, and a translated-copy candidate is confirmed when its pivot
    /// translation shares enough word bigrams with the candidate original's, rejected when it
    /// shares few (see [`PivotTranslate`]).
    pub fn set_pivot(&mut self, pivot: Option<Arc<dyn PivotTranslate>>) {
        self.pivot = PivotHook(pivot);
    }

    /// Whether a pivot-translation hook is set.
    pub fn has_pivot(&self) -> bool {
        self.pivot.0.is_some()
    }

    /// Tells the pivot hook (if any) which documents are observed next, in that order, so that
    /// it can translate them ahead ([`PivotTranslate::prefetch`]); decisions do not change.
    pub fn prefetch_pivot(&self, docs: &[Document]) {
        if let Some(p) = &self.pivot.0 {
            let texts: Vec<(String, String)> = docs
                .iter()
                .map(|d| (pivot_text(d), d.lang.clone()))
                .collect();
            p.prefetch(&texts);
        }
    }

    /// Articles currently kept as candidates.
    pub fn window_len(&self) -> usize {
        self.seen.len()
    }

    /// Approximate bytes held for the window (articles and indexes), hash tables counted at
    /// their capacity.
    pub fn memory_bytes(&self) -> usize {
        let seen: usize = self.seen.iter().map(Seen::bytes).sum::<usize>()
            + (self.seen.capacity() - self.seen.len()) * std::mem::size_of::<Seen>();
        let buckets: usize = self.by_paragraphs.values().map(ShapeBucket::bytes).sum();
        seen + self.shingle_index.bytes() + self.quote_index.bytes() + buckets
    }

    fn get(&self, seq: u64) -> Option<&Seen> {
        let first = self.seen.front()?.seq;
        let idx = usize::try_from(seq.checked_sub(first)?).ok()?;
        self.seen.get(idx)
    }

    fn evict(&mut self, now: Option<DateTime<Utc>>) {
        let horizon = now.map(|d| d - Duration::hours(self.config.window_hours));
        while let Some(front) = self.seen.front() {
            let too_old = match (horizon, front.date) {
                (Some(h), Some(d)) => d < h,
                _ => false,
            };
            if !too_old && self.seen.len() <= self.config.max_window_docs {
                break;
            }
            let Some(old) = self.seen.pop_front() else {
                break;
            };
            for h in old.shingles.iter().filter(|h| sampled(**h)) {
                self.shingle_index.remove(*h, old.seq);
            }
            for h in old.quote_shingles.iter().filter(|h| quote_sampled(**h)) {
                self.quote_index.remove(*h, old.seq);
            }
            let n = u32::try_from(old.paragraphs.len()).unwrap_or(u32::MAX);
            if let Some(bucket) = self.by_paragraphs.get_mut(&n) {
                let width = old.paragraphs.len();
                if bucket.seqs.front() == Some(&old.seq) {
                    bucket.seqs.pop_front();
                    bucket.lang_keys.pop_front();
                    bucket.dates.pop_front();
                    bucket.shapes.drain(..width.min(bucket.shapes.len()));
                } else if let Some(i) = bucket.seqs.iter().position(|s| *s == old.seq) {
                    // Not reached while the window is evicted oldest first; kept for safety.
                    bucket.seqs.remove(i);
                    bucket.lang_keys.remove(i);
                    bucket.dates.remove(i);
                    let from = (i * width).min(bucket.shapes.len());
                    let to = ((i + 1) * width).min(bucket.shapes.len());
                    bucket.shapes.drain(from..to);
                }
                if bucket.seqs.is_empty() {
                    self.by_paragraphs.remove(&n);
                }
            }
        }
    }

    /// Places one new article: compares it with the earlier ones in the window and returns its
    /// link (to the original, following the matched article's own link), then remembers it.
    pub fn observe(&mut self, doc: &Document, analysis: &Analysis) -> CopyDecision {
        if let Some(d) = doc.date {
            self.latest = Some(self.latest.map_or(d, |l| l.max(d)));
        }
        self.evict(self.latest);
        let all_shingles = sorted_unique(analysis.shingles.iter().map(|h| low(*h)).collect());
        let level = level_for(&all_shingles);
        let shingles: Vec<u32> = all_shingles
            .iter()
            .copied()
            .filter(|h| kept(*h, level))
            .collect();
        let numbers: Vec<u32> = analysis.numbers.iter().map(|n| key(n)).collect();
        let new = Incoming {
            seen: Seen {
                seq: self.next_seq,
                id: doc.id.clone(),
                lang_key: crate::analysis::hash_feature(0, &doc.lang),
                date: doc.date,
                root: None,
                root_lang_key: crate::analysis::hash_feature(0, &doc.lang),
                paragraphs: analysis.paragraphs.clone(),
                sentences: analysis.sentences.clone(),
                numbers: numbers.clone(),
                names: sorted_unique(analysis.names.iter().map(|n| key(n)).collect()),
                level,
                shingles,
                quote_shingles: sorted_unique(
                    analysis.quote_shingles.iter().map(|h| low(*h)).collect(),
                ),
                quote_keys: analysis.quotes.iter().map(|q| key(q)).collect(),
                first_quote: analysis.quotes.first().cloned(),
                urls: sorted_unique(analysis.urls.iter().map(|u| key(u)).collect()),
                pivot_shingles: self
                    .pivot
                    .0
                    .as_ref()
                    .and_then(|p| p.to_pivot(&pivot_text(doc), &doc.lang))
                    .map(|t| sorted_unique(pivot_shingles(&t).into_iter().map(low).collect()))
                    .unwrap_or_default(),
            },
            all_shingles,
            shape: shape(&analysis.paragraphs),
            sorted_numbers: {
                let mut sorted = numbers.clone();
                sorted.sort_unstable();
                sorted
            },
            numbers: &analysis.numbers,
            names: &analysis.names,
            quotes: &analysis.quotes,
            urls: &analysis.urls,
        };
        let best = self.best_candidate(&new);
        let mut decision = CopyDecision::default();
        let mut root = None;
        if let Some(b) = best
            && let Some(matched) = self.get(b.seq)
        {
            let original = matched.root.clone().unwrap_or_else(|| matched.id.clone());
            decision.top = Some((original.clone(), b.score));
            let threshold = match b.kind {
                LinkKind::Copy => self.config.copy_threshold,
                LinkKind::TranslatedCopy => self.config.translation_threshold,
                LinkKind::SharesQuotes => 0.0,
            };
            // The link names the original, so its kind is said of the original: a copy of a
            // translated copy is a translated copy, and a "translation" whose original is in
            // the article's own language is no translation (nor a copy: the text was not
            // compared with that original).
            let original_lang = matched.root_lang_key;
            let kind = match b.kind {
                LinkKind::Copy if original_lang != new.seen.lang_key => {
                    Some(LinkKind::TranslatedCopy)
                }
                LinkKind::TranslatedCopy if original_lang == new.seen.lang_key => None,
                k => Some(k),
            };
            if let Some(kind) = kind
                && b.score >= threshold
            {
                if kind != LinkKind::SharesQuotes {
                    root = Some((original.clone(), original_lang));
                }
                decision.link = Some(ProvenanceLink {
                    kind,
                    original,
                    matched: matched.id.clone(),
                    confidence: b.score.clamp(0.0, 1.0),
                    evidence: b.evidence,
                });
            }
        }
        if decision.link.is_none()
            && let Some(link) = self.quote_link(&new)
        {
            decision.link = Some(link);
        }
        let Incoming { seen, shape, .. } = new;
        let seen = match root {
            Some((root, root_lang_key)) => Seen {
                root: Some(root),
                root_lang_key,
                ..seen
            },
            None => seen,
        };
        self.remember(seen, &shape);
        decision
    }

    fn remember(&mut self, mut seen: Seen, shape: &[f32]) {
        let seq = seen.seq;
        seen.shrink();
        for h in seen.shingles.iter().filter(|h| sampled(**h)) {
            self.shingle_index.add(*h, seq);
        }
        for h in seen.quote_shingles.iter().filter(|h| quote_sampled(**h)) {
            self.quote_index.add(*h, seq);
        }
        let n = u32::try_from(seen.paragraphs.len()).unwrap_or(u32::MAX);
        let bucket = self.by_paragraphs.entry(n).or_default();
        bucket.seqs.push_back(seq);
        bucket.lang_keys.push_back(seen.lang_key);
        bucket
            .dates
            .push_back(seen.date.map_or(i64::MIN, |d| d.timestamp()));
        bucket.shapes.extend(shape.iter().copied());
        self.seen.push_back(seen);
        self.next_seq += 1;
    }

    fn best_candidate(&self, new: &Incoming<'_>) -> Option<Scored> {
        let mut best: Option<Scored> = None;
        let mut consider = |s: Scored| {
            if best.as_ref().is_none_or(|b| s.score > b.score) {
                best = Some(s);
            }
        };
        // Same-language copies: candidates share sampled shingles.
        // Every posting of the sampled shingles, then counted per article: one sort instead of
        // a growing table.
        let mut postings: Vec<u64> = Vec::new();
        for h in new.all_shingles.iter().filter(|h| sampled(**h)) {
            self.shingle_index.for_each(*h, |s| postings.push(s));
        }
        postings.sort_unstable();
        let mut voted: Vec<(u64, u32)> = Vec::new();
        for s in postings {
            match voted.last_mut() {
                Some((last, n)) if *last == s => *n += 1,
                _ => voted.push((s, 1)),
            }
        }
        voted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (seq, _) in voted.into_iter().take(8) {
            let Some(old) = self.get(seq) else { continue };
            let (shared, denom) = containment_at(&old.shingles, old.level, &new.all_shingles);
            let denom = denom.max(1);
            let containment = shared as f32 / denom as f32;
            let kind = if old.lang_key == new.seen.lang_key {
                LinkKind::Copy
            } else {
                LinkKind::TranslatedCopy
            };
            let sample = if old.level == 0 {
                String::new()
            } else {
                format!(", one in {} sampled", 1u32 << old.level)
            };
            consider(Scored {
                seq,
                score: containment,
                kind,
                evidence: vec![Evidence {
                    signal: Signal::SharedText,
                    detail: format!(
                        "{shared} of {denom} word 4-grams shared ({:.0} %{sample})",
                        containment * 100.0
                    ),
                }],
            });
        }
        // Translated copies: same paragraph count, another language.
        for seq in self.translation_candidates(new) {
            if let Some(old) = self.get(seq)
                && let Some(s) = self.translation_score(old, new)
            {
                consider(s);
            }
        }
        if let Some(b) = best.as_mut()
            && b.evidence.is_empty()
            && let Some(old) = self.get(b.seq)
        {
            b.evidence = Self::translation_evidence(old, new);
        }
        best
    }

    /// The closest few cross-language articles with the same paragraph count by
    /// their shapes' distance, among the newest `translation_scan` inside the translation window.
    fn translation_candidates(&self, new: &Incoming<'_>) -> Vec<u64> {
        let width = new.shape.len();
        let n = u32::try_from(width).unwrap_or(u32::MAX);
        let Some(bucket) = self.by_paragraphs.get(&n) else {
            return Vec::new();
        };
        if width == 0 {
            return Vec::new();
        }
        let horizon = new
            .seen
            .date
            .map(|d| (d - Duration::hours(self.config.translation_window_hours)).timestamp());
        let (front, back) = bucket.shapes.as_slices();
        let mut close: Vec<(f32, u64)> = Vec::new();
        let len = bucket.seqs.len();
        for i in (0..len).rev().take(self.config.translation_scan) {
            let date = bucket.dates[i];
            if let Some(h) = horizon
                && date != i64::MIN
                && date < h
            {
                break;
            }
            if bucket.lang_keys[i] == new.seen.lang_key {
                continue;
            }
            let start = i * width;
            let mut sq = 0.0f32;
            for (k, y) in new.shape.iter().enumerate() {
                let at = start + k;
                let x = if at < front.len() {
                    front[at]
                } else {
                    back.get(at - front.len()).copied().unwrap_or(f32::INFINITY)
                };
                sq += (x - y) * (x - y);
            }
            let sd = (sq / width as f32).sqrt();
            if sd <= MAX_SHAPE_DISTANCE {
                close.push((sd, bucket.seqs[i]));
            }
        }
        if close.len() > TRANSLATION_CANDIDATES {
            close.select_nth_unstable_by(TRANSLATION_CANDIDATES, |a, b| {
                a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
            });
            close.truncate(TRANSLATION_CANDIDATES);
        }
        close.into_iter().map(|(_, s)| s).collect()
    }

    /// The translated-copy score of `old` against the new article (evidence left empty: see
    /// [`CopyDetector::translation_evidence`], built for the best candidate only).
    fn translation_score(&self, old: &Seen, new: &Incoming<'_>) -> Option<Scored> {
        let dev = structure_deviation(&old.paragraphs, &new.seen.paragraphs)?;
        let n = old.paragraphs.len() as f32;
        // Few paragraphs say little: independent short reports of one event share their
        // paragraphs' shape, numbers and names. Then the sentences must align one by one and
        // the numbers come in the same order.
        let few = old.paragraphs.len() < FEW_PARAGRAPHS;
        let mut misaligned = few
            && (sentence_alignment_cost(&old.sentences, &new.seen.sentences)
                .is_none_or(|c| c > MAX_SENTENCE_COST)
                || numbers_in_order(&old.numbers, &new.seen.numbers)
                    .is_some_and(|o| o < MIN_NUMBERS_IN_ORDER));
        let structure = (1.0 - dev / 0.25).max(0.0) * (n / 6.0).min(1.0);
        let mut old_numbers = old.numbers.clone();
        old_numbers.sort_unstable();
        let shared_numbers = intersection_count(&old_numbers, &new.sorted_numbers);
        let number_dice =
            2.0 * shared_numbers as f32 / (old.numbers.len() + new.sorted_numbers.len() + 4) as f32;
        let shared_names = intersection_count(&old.names, &new.seen.names);
        let name_dice =
            2.0 * shared_names as f32 / (old.names.len() + new.seen.names.len() + 4) as f32;
        // Nor does a short article's shape: some of its numbers or names must be shared.
        misaligned |= few && shared_numbers + shared_names < MIN_SHARED_ANCHORS;
        let mut score = structure + 0.6 * number_dice + 0.2 * name_dice;
        // The pivot translation, when there is one, rejects a candidate whose translation
        // shares little, and confirms one that shares enough; it does not excuse a short
        // article whose sentences do not align: independent reports of one event, translated
        // into one language, share many word pairs too (names, figures, "the mayor said").
        if let Some((shared, denom)) = pivot_overlap(old, new) {
            let containment = shared as f32 / denom as f32;
            if containment >= CONFIRM {
                score = score.max(self.config.translation_threshold);
            } else if containment < REJECT {
                misaligned = true;
            }
        }
        if misaligned {
            // Still ranked (the best candidate is reported), never linked.
            score = score.min(1.0) * MISALIGNED_FACTOR;
        }
        Some(Scored {
            seq: old.seq,
            score: score.min(1.0),
            kind: LinkKind::TranslatedCopy,
            evidence: Vec::new(),
        })
    }

    /// The evidence of a translated-copy candidate: structure, shared numbers, names and URLs
    /// (as written in the new article), pivot overlap.
    fn translation_evidence(old: &Seen, new: &Incoming<'_>) -> Vec<Evidence> {
        let dev = structure_deviation(&old.paragraphs, &new.seen.paragraphs).unwrap_or(0.0);
        let (shared_numbers, _) = multiset_overlap(&old.numbers, new.numbers);
        let (shared_names, _) = set_overlap(&old.names, new.names);
        let (shared_urls, _) = set_overlap(&old.urls, new.urls);
        let mut evidence = vec![Evidence {
            signal: Signal::ParagraphStructure,
            detail: format!(
                "{} paragraphs, length ratios deviate {:.0} % on average",
                old.paragraphs.len(),
                dev * 100.0
            ),
        }];
        if !shared_numbers.is_empty() {
            evidence.push(Evidence {
                signal: Signal::Numbers,
                detail: summarise(&shared_numbers, 12),
            });
        }
        if !shared_names.is_empty() {
            evidence.push(Evidence {
                signal: Signal::Names,
                detail: summarise(&shared_names, 12),
            });
        }
        if !shared_urls.is_empty() {
            evidence.push(Evidence {
                signal: Signal::Url,
                detail: summarise(&shared_urls, 4),
            });
        }
        if let Some((shared, denom)) = pivot_overlap(old, new) {
            evidence.push(Evidence {
                signal: Signal::PivotTranslation,
                detail: format!(
                    "{shared} of {denom} word pairs shared in the pivot language ({:.0} %)",
                    shared as f32 / denom as f32 * 100.0
                ),
            });
        }
        evidence
    }

    fn quote_link(&self, new: &Incoming<'_>) -> Option<ProvenanceLink> {
        let mut votes: FxHashMap<u64, usize> = FxHashMap::default();
        for h in new
            .seen
            .quote_shingles
            .iter()
            .filter(|h| quote_sampled(**h))
        {
            self.quote_index
                .for_each(*h, |s| *votes.entry(s).or_default() += 1);
        }
        // The index holds half of the quote shingles: the most voted candidates are counted
        // in full.
        let mut voted: Vec<(u64, usize)> = votes.into_iter().collect();
        voted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        let (seq, shared) = voted
            .into_iter()
            .take(QUOTE_CANDIDATES)
            .filter_map(|(seq, _)| {
                let old = self.get(seq)?;
                Some((
                    seq,
                    intersection_count(&old.quote_shingles, &new.seen.quote_shingles),
                ))
            })
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
        if shared < self.config.min_quote_shingles {
            return None;
        }
        let old = self.get(seq)?;
        // The first of the old article's quotes that the new one repeats word for word.
        let quote = old
            .quote_keys
            .iter()
            .find_map(|k| new.quotes.iter().find(|q| key(q) == *k))
            .or(old.first_quote.as_ref())
            .cloned()
            .unwrap_or_default();
        let total = new.seen.quote_shingles.len().max(1);
        Some(ProvenanceLink {
            kind: LinkKind::SharesQuotes,
            original: old.root.clone().unwrap_or_else(|| old.id.clone()),
            matched: old.id.clone(),
            confidence: (shared as f32 / total as f32).min(1.0),
            evidence: vec![Evidence {
                signal: Signal::Quote,
                detail: quote,
            }],
        })
    }
}

/// Shared pivot word pairs and the smaller set's size, when both articles have a pivot
/// translation.
fn pivot_overlap(old: &Seen, new: &Incoming<'_>) -> Option<(usize, usize)> {
    let new_pivot = &new.seen.pivot_shingles;
    if old.pivot_shingles.is_empty() || new_pivot.is_empty() {
        return None;
    }
    let shared = intersection_count(&old.pivot_shingles, new_pivot);
    Some((shared, old.pivot_shingles.len().min(new_pivot.len()).max(1)))
}

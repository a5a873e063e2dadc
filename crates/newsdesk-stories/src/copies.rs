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
use crate::pivot::{CONFIRM, PivotHook, PivotTranslate, REJECT, pivot_shingles};
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

/// What the detector keeps about one seen article.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Seen {
    seq: u64,
    id: String,
    lang: String,
    /// Hash of `lang`, for cheap comparisons.
    lang_key: u64,
    date: Option<DateTime<Utc>>,
    /// The original this article copies, if it is a copy.
    root: Option<String>,
    paragraphs: Vec<u32>,
    /// Sentence lengths, in order.
    #[serde(default)]
    sentences: Vec<u32>,
    /// Log paragraph lengths minus their mean (the shape of the article).
    shape: Vec<f32>,
    numbers: Vec<String>,
    names: Vec<String>,
    /// Sorted, deduplicated shingle hashes.
    shingles: Vec<u64>,
    quote_shingles: Vec<u64>,
    quotes: Vec<String>,
    urls: Vec<String>,
    /// Word bigram hashes of its pivot translation (empty without a pivot hook).
    #[serde(default)]
    pivot_shingles: Vec<u64>,
}

/// A candidate's score against the new article, with evidence.
#[derive(Debug, Clone)]
struct Scored {
    seq: u64,
    score: f32,
    kind: LinkKind,
    evidence: Vec<Evidence>,
}

/// The online copy detector. Feed articles in arrival order with [`CopyDetector::observe`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CopyDetector {
    config: CopyConfig,
    next_seq: u64,
    seen: VecDeque<Seen>,
    /// Sampled shingle hash → seqs (ascending) of articles containing it.
    shingle_index: FxHashMap<u64, VecDeque<u64>>,
    /// Quote shingle hash → seqs.
    quote_index: FxHashMap<u64, VecDeque<u64>>,
    /// Paragraph count → seqs.
    by_paragraphs: FxHashMap<u32, VecDeque<u64>>,
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
fn sampled(h: u64) -> bool {
    h & 7 == 0
}

fn sorted_unique(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

fn intersection_count(a: &[u64], b: &[u64]) -> usize {
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

/// Below this many paragraphs, a translation must also align sentence by sentence.
const FEW_PARAGRAPHS: usize = 6;

/// Highest mean sentence alignment cost of a translation of a short article.
const MAX_SENTENCE_COST: f32 = 0.16;

/// Lowest share of numbers in the same order in a translation of a short article.
const MIN_NUMBERS_IN_ORDER: f32 = 0.6;

/// A short candidate that fails the sentence, order or anchor checks keeps this share of its
/// score: below every link threshold, still ranked.
const MISALIGNED_FACTOR: f32 = 0.4;

/// Fewest numbers and names a translation of a short article shares with it.
const MIN_SHARED_ANCHORS: usize = 2;

/// Cross-language candidates scored in full per article (the closest by [`shape_distance`]).
const TRANSLATION_CANDIDATES: usize = 8;

/// Log paragraph lengths minus their mean.
fn shape(paragraphs: &[u32]) -> Vec<f32> {
    let logs: Vec<f32> = paragraphs.iter().map(|p| (*p as f32 + 5.0).ln()).collect();
    let mean = logs.iter().sum::<f32>() / logs.len().max(1) as f32;
    logs.into_iter().map(|l| l - mean).collect()
}

/// Standard deviation of per-paragraph log length ratios (from the two shapes): a cheap
/// first ranking of translation candidates, `None` when it is too large for a translation.
fn shape_distance(a: &[f32], b: &[f32]) -> Option<f32> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let sq: f32 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    let sd = (sq / a.len() as f32).sqrt();
    (sd <= 0.6).then_some(sd)
}

/// Multiset overlap of two string lists: (shared items, Dice with add-two smoothing).
fn multiset_overlap(a: &[String], b: &[String]) -> (Vec<String>, f32) {
    let mut counts: FxHashMap<&str, i32> = FxHashMap::default();
    for x in a {
        *counts.entry(x.as_str()).or_default() += 1;
    }
    let mut shared = Vec::new();
    for x in b {
        if let Some(c) = counts.get_mut(x.as_str())
            && *c > 0
        {
            *c -= 1;
            shared.push(x.clone());
        }
    }
    let dice = 2.0 * shared.len() as f32 / (a.len() + b.len() + 4) as f32;
    (shared, dice)
}

fn set_overlap(a: &[String], b: &[String]) -> (Vec<String>, f32) {
    let sa: FxHashSet<&str> = a.iter().map(String::as_str).collect();
    let sb: FxHashSet<&str> = b.iter().map(String::as_str).collect();
    let mut shared: Vec<String> = sa.intersection(&sb).map(|s| s.to_string()).collect();
    shared.sort();
    let dice = 2.0 * shared.len() as f32 / (sa.len() + sb.len() + 4) as f32;
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

    /// Articles currently kept as candidates.
    pub fn window_len(&self) -> usize {
        self.seen.len()
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
                pop_seq(&mut self.shingle_index, *h, old.seq);
            }
            for h in &old.quote_shingles {
                pop_seq(&mut self.quote_index, *h, old.seq);
            }
            let n = u32::try_from(old.paragraphs.len()).unwrap_or(u32::MAX);
            pop_seq(&mut self.by_paragraphs, n, old.seq);
        }
    }

    /// Places one new article: compares it with the earlier ones in the window and returns its
    /// link (to the original, following the matched article's own link), then remembers it.
    pub fn observe(&mut self, doc: &Document, analysis: &Analysis) -> CopyDecision {
        if let Some(d) = doc.date {
            self.latest = Some(self.latest.map_or(d, |l| l.max(d)));
        }
        self.evict(self.latest);
        let shingles = sorted_unique(analysis.shingles.clone());
        let quote_shingles = sorted_unique(analysis.quote_shingles.clone());
        let new = Seen {
            seq: self.next_seq,
            id: doc.id.clone(),
            lang: doc.lang.clone(),
            lang_key: crate::analysis::hash_feature(0, &doc.lang),
            date: doc.date,
            root: None,
            paragraphs: analysis.paragraphs.clone(),
            sentences: analysis.sentences.clone(),
            shape: shape(&analysis.paragraphs),
            numbers: analysis.numbers.clone(),
            names: analysis.names.clone(),
            shingles,
            quote_shingles,
            quotes: analysis.quotes.clone(),
            urls: analysis.urls.clone(),
            pivot_shingles: self
                .pivot
                .0
                .as_ref()
                .and_then(|p| p.to_pivot(&format!("{}\n{}", doc.title, doc.text), &doc.lang))
                .map(|t| pivot_shingles(&t))
                .unwrap_or_default(),
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
            if b.score >= threshold {
                if b.kind != LinkKind::SharesQuotes {
                    root = Some(original.clone());
                }
                decision.link = Some(ProvenanceLink {
                    kind: b.kind,
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
        self.remember(Seen { root, ..new });
        decision
    }

    fn remember(&mut self, seen: Seen) {
        let seq = seen.seq;
        for h in seen.shingles.iter().filter(|h| sampled(**h)) {
            self.shingle_index.entry(*h).or_default().push_back(seq);
        }
        for h in &seen.quote_shingles {
            self.quote_index.entry(*h).or_default().push_back(seq);
        }
        let n = u32::try_from(seen.paragraphs.len()).unwrap_or(u32::MAX);
        self.by_paragraphs.entry(n).or_default().push_back(seq);
        self.seen.push_back(seen);
        self.next_seq += 1;
    }

    fn best_candidate(&self, new: &Seen) -> Option<Scored> {
        let mut best: Option<Scored> = None;
        let mut consider = |s: Scored| {
            if best.as_ref().is_none_or(|b| s.score > b.score) {
                best = Some(s);
            }
        };
        // Same-language copies: candidates share sampled shingles.
        let mut votes: FxHashMap<u64, u32> = FxHashMap::default();
        for h in new.shingles.iter().filter(|h| sampled(**h)) {
            if let Some(list) = self.shingle_index.get(h) {
                for s in list {
                    *votes.entry(*s).or_default() += 1;
                }
            }
        }
        let mut voted: Vec<(u64, u32)> = votes.into_iter().collect();
        voted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (seq, _) in voted.into_iter().take(8) {
            let Some(old) = self.get(seq) else { continue };
            let shared = intersection_count(&old.shingles, &new.shingles);
            let denom = old.shingles.len().min(new.shingles.len()).max(1);
            let containment = shared as f32 / denom as f32;
            let kind = if old.lang == new.lang {
                LinkKind::Copy
            } else {
                LinkKind::TranslatedCopy
            };
            consider(Scored {
                seq,
                score: containment,
                kind,
                evidence: vec![Evidence {
                    signal: Signal::SharedText,
                    detail: format!(
                        "{shared} of {denom} word 4-grams shared ({:.0} %)",
                        containment * 100.0
                    ),
                }],
            });
        }
        // Translated copies: same paragraph count, another language.
        let n = u32::try_from(new.paragraphs.len()).unwrap_or(u32::MAX);
        if let Some(list) = self.by_paragraphs.get(&n) {
            // Rank by a cheap spread of length ratios, then score the closest few in full.
            // Newest first; translations come within `translation_window_hours`.
            let horizon = new
                .date
                .map(|d| d - Duration::hours(self.config.translation_window_hours));
            let mut close: Vec<(f32, u64)> = list
                .iter()
                .rev()
                .take(self.config.translation_scan)
                .map_while(|seq| {
                    let old = self.get(*seq)?;
                    match (horizon, old.date) {
                        (Some(h), Some(d)) if d < h => None,
                        _ => Some(old),
                    }
                })
                .filter_map(|old| {
                    let seq = &old.seq;
                    if old.lang_key == new.lang_key {
                        return None;
                    }
                    Some((shape_distance(&old.shape, &new.shape)?, *seq))
                })
                .collect();
            if close.len() > TRANSLATION_CANDIDATES {
                close.select_nth_unstable_by(TRANSLATION_CANDIDATES, |a, b| {
                    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
                });
                close.truncate(TRANSLATION_CANDIDATES);
            }
            for (_, seq) in close {
                if let Some(old) = self.get(seq)
                    && let Some(s) = self.translation_score(old, new)
                {
                    consider(s);
                }
            }
        }
        best
    }

    fn translation_score(&self, old: &Seen, new: &Seen) -> Option<Scored> {
        let dev = structure_deviation(&old.paragraphs, &new.paragraphs)?;
        let n = old.paragraphs.len() as f32;
        // Few paragraphs say little: independent short reports of one event share their
        // paragraphs' shape, numbers and names. Then the sentences must align one by one and
        // the numbers come in the same order.
        let sentences = sentence_alignment_cost(&old.sentences, &new.sentences);
        let in_order = numbers_in_order(&old.numbers, &new.numbers);
        let few = old.paragraphs.len() < FEW_PARAGRAPHS;
        let mut misaligned = few
            && (sentences.is_none_or(|c| c > MAX_SENTENCE_COST)
                || in_order.is_some_and(|o| o < MIN_NUMBERS_IN_ORDER));
        let structure = (1.0 - dev / 0.25).max(0.0) * (n / 6.0).min(1.0);
        let (shared_numbers, number_dice) = multiset_overlap(&old.numbers, &new.numbers);
        let (shared_names, name_dice) = set_overlap(&old.names, &new.names);
        let (shared_urls, _) = set_overlap(&old.urls, &new.urls);
        // Nor does a short article's shape: some of its numbers or names must be shared.
        misaligned |= few && shared_numbers.len() + shared_names.len() < MIN_SHARED_ANCHORS;
        let mut score = structure + 0.6 * number_dice + 0.2 * name_dice;
        // The pivot translation, when there is one, has the last word.
        let mut pivot_evidence = None;
        if !old.pivot_shingles.is_empty() && !new.pivot_shingles.is_empty() {
            let shared = intersection_count(&old.pivot_shingles, &new.pivot_shingles);
            let denom = old
                .pivot_shingles
                .len()
                .min(new.pivot_shingles.len())
                .max(1);
            let containment = shared as f32 / denom as f32;
            if containment >= CONFIRM {
                misaligned = false;
                score = score.max(self.config.translation_threshold);
            } else if containment < REJECT {
                misaligned = true;
            }
            pivot_evidence = Some(Evidence {
                signal: Signal::PivotTranslation,
                detail: format!(
                    "{shared} of {denom} word pairs shared in the pivot language ({:.0} %)",
                    containment * 100.0
                ),
            });
        }
        if misaligned {
            // Still ranked (the best candidate is reported), never linked.
            score = score.min(1.0) * MISALIGNED_FACTOR;
        }
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
        evidence.extend(pivot_evidence);
        Some(Scored {
            seq: old.seq,
            score: score.min(1.0),
            kind: LinkKind::TranslatedCopy,
            evidence,
        })
    }

    fn quote_link(&self, new: &Seen) -> Option<ProvenanceLink> {
        let mut votes: FxHashMap<u64, usize> = FxHashMap::default();
        for h in &new.quote_shingles {
            if let Some(list) = self.quote_index.get(h) {
                for s in list {
                    *votes.entry(*s).or_default() += 1;
                }
            }
        }
        let (seq, shared) = votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
        if shared < self.config.min_quote_shingles {
            return None;
        }
        let old = self.get(seq)?;
        let quote = old
            .quotes
            .iter()
            .find(|q| new.quotes.iter().any(|n| n == *q))
            .or_else(|| old.quotes.first())
            .cloned()
            .unwrap_or_default();
        let total = new.quote_shingles.len().max(1);
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

fn pop_seq<K: std::hash::Hash + Eq>(index: &mut FxHashMap<K, VecDeque<u64>>, key: K, seq: u64) {
    if let Some(list) = index.get_mut(&key) {
        if list.front() == Some(&seq) {
            list.pop_front();
        } else {
            list.retain(|s| *s != seq);
        }
        if list.is_empty() {
            index.remove(&key);
        }
    }
}

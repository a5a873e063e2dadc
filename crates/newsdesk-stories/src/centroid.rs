//! A story's centroid: the sum of its articles' term vectors, kept as a feature-sorted sparse
//! vector (so dot products are merges, iteration is in one fixed order, and a restored
//! snapshot computes exactly what the saved engine would have).

use serde::{Deserialize, Serialize};

use crate::analysis::part_of;

/// Feature-sorted `(feature, weight)` pairs, at most one per feature.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Centroid {
    terms: Vec<(u64, f32)>,
}

impl Centroid {
    /// A centroid from accumulated terms in any order (summing repeated features in order).
    pub(crate) fn from_unsorted(mut terms: Vec<(u64, f32)>) -> Centroid {
        terms.sort_by_key(|(k, _)| *k);
        let mut out: Vec<(u64, f32)> = Vec::with_capacity(terms.len());
        for (k, w) in terms {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 += w,
                _ => out.push((k, w)),
            }
        }
        Centroid { terms: out }
    }

    /// The terms, sorted by feature.
    pub(crate) fn terms(&self) -> &[(u64, f32)] {
        &self.terms
    }

    /// Number of terms.
    pub(crate) fn len(&self) -> usize {
        self.terms.len()
    }

    /// The features.
    pub(crate) fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.terms.iter().map(|(k, _)| *k)
    }

    /// Adds a feature-sorted vector; returns the features that were not in it before.
    pub(crate) fn add(&mut self, v: &[(u64, f32)]) -> Vec<u64> {
        let mut added = Vec::new();
        if v.is_empty() {
            return added;
        }
        let old = std::mem::take(&mut self.terms);
        let mut out = Vec::with_capacity(old.len() + v.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < v.len() {
            match (old.get(i), v.get(j)) {
                (Some(a), Some(b)) if a.0 == b.0 => {
                    out.push((a.0, a.1 + b.1));
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.0 < b.0 => {
                    out.push(*a);
                    i += 1;
                }
                (Some(_), Some(b)) | (None, Some(b)) => {
                    out.push(*b);
                    added.push(b.0);
                    j += 1;
                }
                (Some(a), None) => {
                    out.push(*a);
                    i += 1;
                }
                (None, None) => break,
            }
        }
        self.terms = out;
        added
    }

    /// Keeps the heaviest `limit` terms once there are more than `limit * 1.5` (so the cost
    /// of pruning is paid once per `limit / 2` new terms); returns the features dropped.
    pub(crate) fn prune(&mut self, limit: usize) -> Vec<u64> {
        if self.terms.len() <= limit + limit / 2 {
            return Vec::new();
        }
        let Some(last) = self.nth_heaviest(limit) else {
            return self.terms.drain(..).map(|(k, _)| k).collect();
        };
        // The kept terms stay in feature order: no sort back.
        let mut dropped = Vec::with_capacity(self.terms.len() - limit);
        self.terms.retain(|t| {
            let keep = heavier_first(t, &last).is_le();
            if !keep {
                dropped.push(t.0);
            }
            keep
        });
        dropped
    }

    /// The features of the heaviest `k` terms, sorted by feature.
    pub(crate) fn heaviest(&self, k: usize) -> Vec<u64> {
        if self.terms.len() <= k {
            return self.keys().collect();
        }
        let Some(last) = self.nth_heaviest(k) else {
            return Vec::new();
        };
        self.terms
            .iter()
            .filter(|t| heavier_first(t, &last).is_le())
            .map(|(key, _)| *key)
            .collect()
    }

    /// The `n`th heaviest term (1-based; ties by smaller feature), when `n` is at least 1 and
    /// at most the number of terms: it and the terms before it in [`heavier_first`] order are
    /// the heaviest `n`.
    fn nth_heaviest(&self, n: usize) -> Option<(u64, f32)> {
        if n == 0 || n > self.terms.len() {
            return None;
        }
        let mut ranked = self.terms.clone();
        let (_, last, _) = ranked.select_nth_unstable_by(n - 1, heavier_first);
        Some(*last)
    }

    /// Euclidean norm per part.
    pub(crate) fn norms(&self) -> [f32; 3] {
        let mut n = [0.0f32; 3];
        for (k, v) in &self.terms {
            n[part_of(*k)] += v * v;
        }
        n.map(f32::sqrt)
    }
}

/// Heavier terms first, then the smaller feature: a total order (features are unique).
fn heavier_first(a: &(u64, f32), b: &(u64, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_merges_and_prunes_in_feature_order() {
        let mut c = Centroid::from_unsorted(vec![(5, 1.0), (1, 2.0), (5, 0.5)]);
        assert_eq!(c.terms(), &[(1, 2.0), (5, 1.5)]);
        let added = c.add(&[(0, 1.0), (5, 1.0), (9, 3.0)]);
        assert_eq!(added, vec![0, 9]);
        assert_eq!(c.terms(), &[(0, 1.0), (1, 2.0), (5, 2.5), (9, 3.0)]);
        assert!(c.prune(3).is_empty(), "4 terms is within 3 * 1.5");
        let mut big = Centroid::from_unsorted((0..10).map(|k| (k, k as f32)).collect());
        let mut dropped = big.prune(4);
        dropped.sort_unstable();
        assert_eq!(dropped, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(big.keys().collect::<Vec<_>>(), vec![6, 7, 8, 9]);
        assert_eq!(big.len(), 4);
    }

    /// The heaviest `limit` by sorting everything, as pruning used to find them.
    fn heaviest_by_sorting(terms: &[(u64, f32)], limit: usize) -> Vec<(u64, f32)> {
        let mut all = terms.to_vec();
        all.sort_unstable_by(heavier_first);
        all.truncate(limit);
        all.sort_unstable_by_key(|(k, _)| *k);
        all
    }

    #[test]
    fn prune_and_heaviest_keep_what_a_full_sort_keeps() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let terms: Vec<(u64, f32)> = (0..700)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Few distinct weights: many ties, broken by feature.
                (i * 7 + 3, (x % 50) as f32 / 7.0)
            })
            .collect();
        for limit in [0usize, 1, 128, 400, 466, 467] {
            let expected = heaviest_by_sorting(&terms, limit);
            let keys: Vec<u64> = expected.iter().map(|(k, _)| *k).collect();
            let c = Centroid::from_unsorted(terms.clone());
            assert_eq!(c.heaviest(limit), keys, "heaviest {limit}");
            let mut pruned = c.clone();
            let dropped = pruned.prune(limit);
            if terms.len() > limit + limit / 2 {
                assert_eq!(pruned.terms(), &expected[..], "prune {limit}");
                assert_eq!(dropped.len(), terms.len() - limit);
            } else {
                assert_eq!(pruned, c, "{limit}: not pruned below 1.5 times the limit");
                assert!(dropped.is_empty());
            }
        }
    }
}

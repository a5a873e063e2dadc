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
        self.terms
            .sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let dropped = self.terms.drain(limit..).map(|(k, _)| k).collect();
        self.terms.sort_unstable_by_key(|(k, _)| *k);
        dropped
    }

    /// The features of the heaviest `k` terms, sorted by feature.
    pub(crate) fn heaviest(&self, k: usize) -> Vec<u64> {
        if self.terms.len() <= k {
            return self.keys().collect();
        }
        let mut terms = self.terms.clone();
        terms.select_nth_unstable_by(k, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut keys: Vec<u64> = terms[..k].iter().map(|(key, _)| *key).collect();
        keys.sort_unstable();
        keys
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
}

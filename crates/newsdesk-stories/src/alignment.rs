//! Sentence alignment between an article and a candidate translation of it: a dynamic
//! programme over sentence lengths (one-to-one, two-to-one, one-to-two and skipped sentences),
//! in the manner of Gale and Church, and the longest common subsequence of their numbers. A
//! translation follows its original sentence by sentence and keeps its numbers in order; two
//! independent reports of one event, even with the same facts and paragraphs, do not.

/// Sentences above this count are not aligned (the cost is quadratic); such long articles have
/// enough paragraphs for the paragraph structure to decide.
const MAX_SENTENCES: usize = 400;

/// Numbers above this count are cut before the subsequence is computed.
const MAX_NUMBERS: usize = 300;

/// Mean cost per sentence of the best alignment of two articles' sentence lengths, in `0..=2`
/// (0: every sentence has a counterpart of proportional length). `None` when either side has
/// no sentence or too many.
pub(crate) fn sentence_alignment_cost(a: &[u32], b: &[u32]) -> Option<f32> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 || n > MAX_SENTENCES || m > MAX_SENTENCES {
        return None;
    }
    let total = |v: &[u32]| v.iter().map(|x| f64::from(*x)).sum::<f64>();
    let ratio = (total(b) + 1.0) / (total(a) + 1.0);
    let cost =
        |la: f64, lb: f64| -> f64 { ((lb + 10.0) / (ratio * la + 10.0)).ln().abs().min(1.0) };
    const MERGE: f64 = 0.25;
    const SKIP: f64 = 1.0;
    let w = m + 1;
    let mut d = vec![f64::INFINITY; (n + 1) * w];
    d[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = f64::INFINITY;
            if i >= 1 && j >= 1 {
                best = best
                    .min(d[(i - 1) * w + j - 1] + cost(f64::from(a[i - 1]), f64::from(b[j - 1])));
            }
            if i >= 2 && j >= 1 {
                let la = f64::from(a[i - 1]) + f64::from(a[i - 2]);
                best = best.min(d[(i - 2) * w + j - 1] + cost(la, f64::from(b[j - 1])) + MERGE);
            }
            if i >= 1 && j >= 2 {
                let lb = f64::from(b[j - 1]) + f64::from(b[j - 2]);
                best = best.min(d[(i - 1) * w + j - 2] + cost(f64::from(a[i - 1]), lb) + MERGE);
            }
            if i >= 1 {
                best = best.min(d[(i - 1) * w + j] + SKIP);
            }
            if j >= 1 {
                best = best.min(d[i * w + j - 1] + SKIP);
            }
            d[i * w + j] = best;
        }
    }
    Some((d[n * w + m] / n.max(m) as f64) as f32)
}

/// Share of the numbers kept in the same order: the longest common subsequence of the two
/// number lists over the longer list. `None` when either side has fewer than two numbers.
pub(crate) fn numbers_in_order<T: PartialEq>(a: &[T], b: &[T]) -> Option<f32> {
    let a = &a[..a.len().min(MAX_NUMBERS)];
    let b = &b[..b.len().min(MAX_NUMBERS)];
    if a.len() < 3 || b.len() < 3 {
        return None;
    }
    let mut prev = vec![0u32; b.len() + 1];
    let mut cur = vec![0u32; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let lcs = prev[b.len()] as f32;
    Some(lcs / a.len().max(b.len()) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportional_sentences_align_cheaply() {
        let a = [100, 40, 220, 80];
        let b = [120, 50, 260, 95];
        let c = [60, 200, 45, 150];
        let good = sentence_alignment_cost(&a, &b).unwrap();
        let bad = sentence_alignment_cost(&a, &c).unwrap();
        assert!(good < 0.05, "{good}");
        assert!(bad > 0.2, "{bad}");
        // A sentence split in two in the translation costs only the merge.
        let split = sentence_alignment_cost(&a, &[120, 25, 25, 260, 95]).unwrap();
        assert!(split < 0.1, "{split}");
        assert_eq!(sentence_alignment_cost(&[], &b), None);
    }

    #[test]
    fn numbers_in_order_is_a_subsequence_share() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            numbers_in_order(&s(&["1", "2", "3", "4"]), &s(&["1", "2", "3", "4"])),
            Some(1.0)
        );
        assert_eq!(
            numbers_in_order(&s(&["1", "2", "3", "4"]), &s(&["4", "3", "2", "1"])),
            Some(0.25)
        );
        assert_eq!(numbers_in_order(&s(&["1", "2"]), &s(&["2", "1"])), None);
    }
}

//! Phonetic skeletons of names: the consonants of a romanised word reduced to broad classes
//! (lips, throat, teeth, hissing, liquids, nasals), vowels dropped. A name transliterated
//! through different scripts and conventions ("Sunak", "سوناك" read "sunak", "ซูแน็ก" read
//! "sunaek", "苏纳克" read "sunake") keeps one skeleton ("SNK"), whereas its letters and
//! trigrams differ.

use crate::analysis::{hash_feature, in_part, kind, part};
use crate::transliteration::fold;

/// Weight of skeleton features relative to the title's name trigrams.
pub(crate) const SKELETON_WEIGHT: f32 = 1.0;

/// The phonetic skeleton of a folded (Latin) word.
pub(crate) fn skeleton(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::new();
    let push = |c: char, out: &mut String| {
        if !out.ends_with(c) {
            out.push(c);
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let pair = match (c, next) {
            ('c' | 's' | 'z', Some('h')) | ('t' | 'd', Some('s' | 'z' | 'j')) => Some('S'),
            ('k' | 'g', Some('h')) => Some('K'),
            ('t' | 'd', Some('h')) => Some('T'),
            ('p' | 'b', Some('h')) => Some('B'),
            ('n', Some('g')) => Some('N'),
            _ => None,
        };
        if let Some(p) = pair {
            push(p, &mut out);
            i += 2;
            continue;
        }
        match c {
            'b' | 'p' | 'f' | 'v' => push('B', &mut out),
            'c' | 'k' | 'g' | 'q' => push('K', &mut out),
            'x' if i == 0 => push('S', &mut out),
            'x' => {
                push('K', &mut out);
                push('S', &mut out);
            }
            'd' | 't' => push('T', &mut out),
            's' | 'z' | 'j' => push('S', &mut out),
            'l' | 'r' => push('R', &mut out),
            'm' => push('M', &mut out),
            'n' => push('N', &mut out),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Romanised words of a text: folded (every script read in Latin), split on anything but
/// letters, digits apart from letters.
pub(crate) fn romanised_words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut numeric = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            let d = c.is_ascii_digit();
            if !cur.is_empty() && d != numeric {
                words.push(std::mem::take(&mut cur));
            }
            numeric = d;
            cur.push(c);
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Skeleton features of a title, added to `add(feature, weight)`: each word's skeleton and the
/// whole title's (so that names written with and without spaces, or in another order of
/// syllables per word, still meet).
pub(crate) fn title_skeletons(words: &[String], weight: f32, mut add: impl FnMut(u64, f32)) {
    let mut whole = String::new();
    for w in words {
        if w.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let s = skeleton(w);
        for c in s.chars() {
            if !whole.ends_with(c) {
                whole.push(c);
            }
        }
        if s.len() >= 2 {
            add(
                in_part(hash_feature(kind::SKELETON, &s), part::GRAM),
                weight,
            );
        }
    }
    if whole.len() >= 3 {
        add(
            in_part(
                hash_feature(kind::SKELETON, &format!("#{whole}")),
                part::GRAM,
            ),
            weight,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_one_skeleton_across_scripts() {
        let sk = |t: &str| {
            romanised_words(t)
                .iter()
                .map(|w| skeleton(w))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(sk("Rishi Sunak"), "RS SNK");
        assert_eq!(sk("ريشي سوناك"), "RS SNK");
        assert_eq!(sk("ริชี ซูแน็ก"), "RS SNK");
        assert_eq!(sk("리시 수낵"), "RS SNK");
        assert_eq!(sk("ऋषि सुनक"), "RS SNK");
        assert_eq!(sk("Си Цзиньпин"), "S SNBN");
    }
}

//! What a translation kept of the facts of its source: names, numbers, quotations and URLs.
//!
//! The bundled sentences (`fidelity/en.txt`, `es.txt`, `fr.txt`, written for newsdesk) mark
//! each name that must come out unchanged as `[[Elena Marsh]]`; numbers, quotation marks and
//! URLs need no marks. [`FidelityScore::of`] scores one translated line against its source:
//! each name must appear as it was, the numbers must be the source's written in the target's
//! conventions ([`crate::localise_facts`]), the quotations as many and balanced, each URL as it
//! was. `newsdesk bench translate --fidelity` reports the shares per route.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::numbers;
use crate::facts::localise_facts;
use crate::quotes::scan_quotes;

/// The bundled fidelity sentences in `lang` (`en`, `es`, `fr`), if any.
pub fn fidelity_sentences(lang: &str) -> Option<&'static str> {
    match lang {
        "en" => Some(include_str!("../fidelity/en.txt")),
        "es" => Some(include_str!("../fidelity/es.txt")),
        "fr" => Some(include_str!("../fidelity/fr.txt")),
        _ => None,
    }
}

/// Blocks of a fidelity file (lines separated by blank lines, comments dropped), each a list of
/// annotated lines: one block is translated as one text, like the paragraphs of an article.
pub fn fidelity_blocks(file: &str) -> Vec<Vec<String>> {
    let mut blocks: Vec<Vec<String>> = vec![Vec::new()];
    for line in file.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if blocks.last().is_some_and(|b| !b.is_empty()) {
                blocks.push(Vec::new());
            }
            continue;
        }
        if let Some(b) = blocks.last_mut() {
            b.push(line.to_string());
        }
    }
    blocks.retain(|b| !b.is_empty());
    blocks
}

static NAME_MARK: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\[\[([^\]]+)\]\]").ok());
static URL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"https?://[^\s<>]+[^\s<>.,;:!?)»”]").ok());

/// An annotated line without its `[[ ]]` marks, and the names it marks.
pub fn strip_name_marks(line: &str) -> (String, Vec<String>) {
    let Some(re) = NAME_MARK.as_ref() else {
        return (line.to_string(), Vec::new());
    };
    let names = re
        .captures_iter(line)
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
        .collect();
    (re.replace_all(line, "$1").into_owned(), names)
}

/// Kept / total for one kind of fact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kept {
    /// Facts found intact in the translation.
    pub kept: u32,
    /// Facts in the source.
    pub total: u32,
}

impl Kept {
    fn add(&mut self, kept: bool) {
        self.total += 1;
        self.kept += u32::from(kept);
    }

    /// The share kept, in percent (100 when there was nothing to keep).
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            f64::from(self.kept) * 100.0 / f64::from(self.total)
        }
    }
}

impl std::ops::AddAssign for Kept {
    fn add_assign(&mut self, o: Kept) {
        self.kept += o.kept;
        self.total += o.total;
    }
}

/// What translations kept of their sources' facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FidelityScore {
    /// Marked names found unchanged.
    pub names: Kept,
    /// Lines whose numbers are the source's (in the target's conventions).
    pub numbers: Kept,
    /// Lines with quotations whose quotations are as many and balanced.
    pub quotes: Kept,
    /// URLs found unchanged.
    pub urls: Kept,
}

impl FidelityScore {
    /// The score of one `translated` line against its `annotated` source line.
    pub fn of(annotated: &str, translated: &str, from: &str, to: &str) -> FidelityScore {
        let (source, names) = strip_name_marks(annotated);
        let mut s = FidelityScore::default();
        for n in &names {
            s.names.add(translated.contains(n.as_str()));
        }
        let expected = numbers(&localise_facts(&source, from, to));
        if !expected.is_empty() {
            s.numbers.add(expected == numbers(translated));
        }
        let (qs, qt) = (scan_quotes(&source), scan_quotes(translated));
        if !qs.pairs.is_empty() || !qs.unmatched.is_empty() {
            s.quotes
                .add(qt.unmatched.is_empty() && qs.pairs.len() == qt.pairs.len());
        }
        if let Some(re) = URL.as_ref() {
            for u in re.find_iter(&source) {
                s.urls.add(translated.contains(u.as_str()));
            }
        }
        s
    }
}

impl std::ops::AddAssign for FidelityScore {
    fn add_assign(&mut self, o: FidelityScore) {
        self.names += o.names;
        self.numbers += o.numbers;
        self.quotes += o.quotes;
        self.urls += o.urls;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_faithful_line_scores_everything() {
        let src = "[[Elena Marsh]] won 52.3% on April 1: \"yes\", see https://x.example/a.";
        let good =
            "Elena Marsh a gagné 52,3\u{202F}% le 1er avril : « oui », voir https://x.example/a.";
        let s = FidelityScore::of(src, good, "en", "fr");
        assert_eq!(s.names, Kept { kept: 1, total: 1 });
        assert_eq!(s.numbers, Kept { kept: 1, total: 1 });
        assert_eq!(s.quotes, Kept { kept: 1, total: 1 });
        assert_eq!(s.urls, Kept { kept: 1, total: 1 });
        let bad = "Elena Le marais a gagné 52.3% le avril 1 : « oui, voir https://x.example/b.";
        let s = FidelityScore::of(src, bad, "en", "fr");
        assert_eq!(
            (s.names.kept, s.numbers.kept, s.quotes.kept, s.urls.kept),
            (0, 0, 0, 0)
        );
    }

    #[test]
    fn bundled_files_have_blocks_and_names() {
        for lang in ["en", "es", "fr"] {
            let blocks = fidelity_blocks(fidelity_sentences(lang).unwrap_or_default());
            assert!(blocks.len() >= 3, "{lang}");
            assert!(blocks.iter().flatten().all(|l| !l.starts_with('#')));
            assert!(
                blocks
                    .iter()
                    .flatten()
                    .any(|l| strip_name_marks(l).1.len() >= 2)
            );
        }
    }
}

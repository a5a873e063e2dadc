//! No name of the demo corpus is translated as a common noun on a route the demo serves: every
//! English and Spanish article of the bundled sample corpus, translated into the demo's French
//! edition as the pipeline does it (title, standfirst and body in one text, the title and the
//! authors given as names) through real Apertium, keeps each word that its source capitalises
//! inside a sentence ("Elena Marsh" must not become "Le marais"). Fails when Apertium is not
//! installed.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::sync::Arc;

use newsdesk_demo::{Body, sample_corpus};
use newsdesk_translate::{
    MemoryCache, TranslateConfig, Translator, apertium_available, inner_capitalised_words,
};

/// Honorifics are translated (`Ms` → `Mme`): not names.
const HONORIFICS: &[&str] = &["Mr", "Ms", "Mrs", "Dr", "Sr", "Sra"];

/// Whether every occurrence of `word` in `src` starts a sentence: the line's first word, or a
/// word after a full stop (`al 78. En el minuto`, `21:47 UTC. The agency`: a sentence start
/// that the plain word reading takes for an abbreviation).
fn only_at_sentence_starts(src: &str, word: &str) -> bool {
    let tokens: Vec<&str> = src.split_whitespace().collect();
    let mut any = false;
    for (i, t) in tokens.iter().enumerate() {
        if t.trim_matches(|c: char| !c.is_alphanumeric()) == word {
            any = true;
            if i > 0 && !tokens[i - 1].ends_with('.') {
                return false;
            }
        }
    }
    any
}

/// Months and weekdays are capitalised in English without being names: they are translated.
const CALENDAR: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

#[tokio::test]
async fn demo_corpus_names_survive_every_route_into_the_french_edition() {
    assert!(
        apertium_available(),
        "apertium is not installed: apt-get install apertium apertium-eng-spa apertium-fr-es (.ci/run does)"
    );
    // The demo's own [translate] table: Apertium, pivots es and en.
    let config: TranslateConfig =
        toml::from_str("pivots = [\"es\", \"en\"]\n[[backends]]\nkind = \"apertium\"\n").unwrap();
    let translator = Translator::from_config(&config, Arc::new(MemoryCache::new()))
        .await
        .unwrap();
    let corpus = sample_corpus();
    let mut checked = 0usize;
    let mut lost: Vec<String> = Vec::new();
    for from in ["en", "es"] {
        assert!(
            translator.route(from, "fr").is_ok(),
            "the demo serves {from}→fr"
        );
        for a in corpus.articles().iter().filter(|a| a.language == from) {
            let mut lines = vec![a.title.clone(), a.standfirst.clone()];
            if let Body::Paragraphs(ps) = &a.body {
                lines.extend(
                    ps.iter()
                        .map(|p| p.trim_start_matches("## ").to_string())
                        .filter(|p| !p.trim().is_empty()),
                );
            }
            let mut given = vec![a.title.as_str()];
            given.extend(a.authors.iter().map(String::as_str));
            let t = translator
                .translate_text_with_names(&lines.join("\n"), from, "fr", &given)
                .await
                .unwrap();
            let out: Vec<&str> = t.text.lines().collect();
            assert_eq!(out.len(), lines.len(), "{}: lines kept", a.id());
            for (src, tr) in lines.iter().zip(&out) {
                for name in inner_capitalised_words(src) {
                    // The possessive is grammar, translated with the sentence.
                    let name = name
                        .strip_suffix("'s")
                        .or_else(|| name.strip_suffix("’s"))
                        .unwrap_or(&name)
                        .to_string();
                    if CALENDAR.contains(&name.as_str())
                        || HONORIFICS.contains(&name.as_str())
                        || only_at_sentence_starts(src, &name)
                    {
                        continue;
                    }
                    checked += 1;
                    if !tr.contains(name.as_str()) {
                        lost.push(format!(
                            "{} {from}→fr: {name:?} in {src:?} → {tr:?}",
                            a.id()
                        ));
                    }
                }
            }
        }
    }
    assert!(checked >= 100, "only {checked} names checked");
    assert!(
        lost.is_empty(),
        "{} of {checked} names lost:\n{}",
        lost.len(),
        lost.join("\n")
    );
}

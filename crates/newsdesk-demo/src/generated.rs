//! Synthetic corpora for benchmarks: many articles from a seed, bodies rendered on demand.

use chrono::{DateTime, Duration, FixedOffset, Offset, TimeZone, Utc};

use crate::corpus::{Body, Corpus, CorpusArticle, CorpusSource, Event, FeedFormat, LeadImage};
use crate::filler::{LEXICONS, Lexicon, Rng, capitalise, lexicon, sentence};

fn title(lex: &Lexicon, rng: &mut Rng) -> String {
    let place = rng.pick(lex.places);
    let noun = rng.pick(lex.nouns);
    let adj = rng.pick(lex.adjectives);
    let verb = rng.pick(lex.verbs);
    match lex.lang {
        "de" => format!("{place}: {} {noun} {verb}", capitalise(adj)),
        "en" => format!("{place} {noun} {verb} {adj} plan"),
        _ => format!("{place} : {} {noun} {adj}", capitalise(verb)),
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(60).collect()
}

/// Reference time of generated corpora (the origin freshens it at start).
fn reference() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A synthetic corpus of `articles` articles spread round-robin over `sources` sources
/// (at least one), deterministic for a given `seed`.
///
/// Sources cycle through the four feed formats and the languages en, fr, es, de; every feed lists
/// all entries of its source (summaries only, so a 10 000-article corpus over 20 sources gives
/// 500-entry feeds). Only metadata is kept in memory: bodies (8–14 paragraphs) are generated from
/// a per-article seed when a page is requested, and rendered pages weigh about 10–30 KB.
///
/// ```
/// let c = newsdesk_demo::generated_corpus(40, 4, 7);
/// assert_eq!(c.articles().len(), 40);
/// assert_eq!(c.sources().len(), 4);
/// ```
pub fn generated_corpus(articles: usize, sources: usize, seed: u64) -> Corpus {
    let sources = sources.max(1);
    let countries = ["GB", "FR", "ES", "DE"];
    let source_list: Vec<CorpusSource> = (0..sources)
        .map(|i| {
            let lex = &LEXICONS[i % LEXICONS.len()];
            CorpusSource {
                slug: format!("gen-{:02}", i + 1),
                name: format!("Generated Gazette {:02}", i + 1),
                domain: format!("gen{:02}.example", i + 1),
                language: lex.lang.to_string(),
                country: countries[i % countries.len()].to_string(),
                country_name: None,
                tagline: "Synthetic benchmark outlet".to_string(),
                feed_format: FeedFormat::ALL[i % FeedFormat::ALL.len()],
                discovery: false,
                summary_only: true,
                page_metadata: i % 5 != 4,
                sections: lex.sections.iter().map(|s| s.to_string()).collect(),
                accent: format!(
                    "#{:06x}",
                    (seed.wrapping_add(i as u64) * 2_654_435_761) & 0xff_ffff
                ),
                owner: None,
                typology: None,
                media_type: None,
            }
        })
        .collect();

    let mut rng = Rng::new(seed);
    let reference = reference();
    // Spread over three days.
    let span_secs = 3 * 24 * 3600;
    let offsets = [0, 3600, -5 * 3600, 7200];
    let list: Vec<CorpusArticle> = (0..articles)
        .map(|i| {
            let src = &source_list[i % sources];
            let lex = lexicon(&src.language);
            let t = title(lex, &mut rng);
            let slug = format!("{}-{:05}", slugify(&t), i + 1);
            let age = Duration::seconds((rng.next_u64() % span_secs) as i64);
            let offset_secs = offsets[i % sources % offsets.len()];
            let tz = FixedOffset::east_opt(offset_secs).unwrap_or_else(|| Utc.fix());
            let published = (reference - age).with_timezone(&tz);
            let section = rng.pick(lex.sections).to_string();
            let author = rng.pick(lex.people).to_string();
            let body_seed = rng.next_u64();
            let paragraphs = rng.range(8, 14);
            let standfirst = sentence(lex, &mut Rng::new(body_seed ^ 0x5a5a));
            CorpusArticle {
                source: src.slug.clone(),
                slug: slug.clone(),
                title: t,
                standfirst,
                authors: vec![author],
                published,
                updated: None,
                language: src.language.clone(),
                section: section.clone(),
                tags: vec![section],
                event: None,
                image: Some(LeadImage {
                    file: format!("gen-{}.svg", i % 97),
                    caption: "Synthetic illustration".to_string(),
                }),
                copy_of: None,
                translation_of: None,
                body: Body::Generated {
                    seed: body_seed,
                    paragraphs,
                },
            }
        })
        .collect();
    Corpus::new(source_list, list, Vec::<Event>::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_corpus_is_deterministic_and_balanced() {
        let a = generated_corpus(200, 8, 99);
        let b = generated_corpus(200, 8, 99);
        let c = generated_corpus(200, 8, 100);
        assert_eq!(a.articles(), b.articles());
        assert_ne!(a.articles(), c.articles());
        assert_eq!(a.articles()[5].paragraphs(), b.articles()[5].paragraphs());
        assert_eq!(a.sources().len(), 8);
        for s in a.sources() {
            assert_eq!(a.articles_of(&s.slug).count(), 25);
        }
        let slugs: std::collections::BTreeSet<_> = a.articles().iter().map(|x| x.id()).collect();
        assert_eq!(slugs.len(), 200, "ids are unique");
        assert_eq!(a.languages().len(), 4);
    }

    #[test]
    fn generated_bodies_are_long_enough_and_in_their_language() {
        let corpus = generated_corpus(8, 4, 1);
        for a in corpus.articles() {
            let p = a.paragraphs();
            assert!((8..=14).contains(&p.len()));
            let text = a.body_text();
            assert!(text.len() > 3000, "{}", text.len());
            let lex = lexicon(&a.language);
            let hits = lex
                .function
                .iter()
                .filter(|w| text.split_whitespace().any(|t| t == **w))
                .count();
            assert!(hits >= 5, "{}: {hits}", a.language);
        }
    }

    #[test]
    fn zero_sources_means_one() {
        let c = generated_corpus(3, 0, 1);
        assert_eq!(c.sources().len(), 1);
        assert_eq!(c.articles().len(), 3);
    }
}

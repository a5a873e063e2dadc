//! The bundled sample corpus: fictional outlets and events, embedded from `corpus/`.
//!
//! Data files (all written for newsdesk, all fictional, all labelled as sample data when served):
//!
//! * `corpus/sources.json`: the outlets ([`CorpusSource`]).
//! * `corpus/events.json`: the events several outlets cover ([`Event`]).
//! * `corpus/articles/<source>/<slug>.md`: one article each, a front matter between `---` lines
//!   (`title`, `standfirst`, `authors` comma-separated, `published` RFC 3339 with offset,
//!   optional `updated`, `section`, `tags`, `event`, `image` as `file.svg | caption`, `language`,
//!   `copy_of`, `translation_of`), then paragraphs separated by blank lines (`## ` starts a
//!   subheading). An article with `copy_of` and no body republishes its original's body word for
//!   word.

use chrono::DateTime;

use crate::corpus::{Body, Corpus, CorpusArticle, CorpusSource, Event, LeadImage};
use crate::error::DemoError;

const SOURCES_JSON: &str = include_str!("../corpus/sources.json");
const EVENTS_JSON: &str = include_str!("../corpus/events.json");

/// The bundled sample corpus (≥ 60 articles, ≥ 6 outlets, ≥ 4 languages, shared events, one
/// word-for-word copy and one translation), with its reference dates (not freshened).
///
/// ```
/// let corpus = newsdesk_demo::sample_corpus();
/// assert!(corpus.articles().len() >= 60);
/// ```
pub fn sample_corpus() -> Corpus {
    // The embedded files are part of this crate and checked by its unit tests, so a failure here
    // is a build defect, not bad input.
    #[allow(clippy::expect_used)]
    load_sample().expect("the embedded sample corpus is valid (see sample::tests)")
}

/// Parses the embedded sample files.
pub(crate) fn load_sample() -> Result<Corpus, DemoError> {
    let sources: Vec<CorpusSource> = serde_json::from_str(SOURCES_JSON)
        .map_err(|e| DemoError::corpus("sources.json", e.to_string()))?;
    let events: Vec<Event> = serde_json::from_str(EVENTS_JSON)
        .map_err(|e| DemoError::corpus("events.json", e.to_string()))?;
    let mut articles = Vec::with_capacity(ARTICLE_FILES.len());
    for (path, text) in ARTICLE_FILES {
        articles.push(parse_article(path, text, &sources)?);
    }
    // Copies without a body take their original's body word for word.
    for i in 0..articles.len() {
        let needs_body = matches!(&articles[i].body, Body::Paragraphs(p) if p.is_empty());
        if !needs_body {
            continue;
        }
        let file = format!("articles/{}.md", articles[i].id());
        let original = articles[i]
            .copy_of
            .clone()
            .ok_or_else(|| DemoError::corpus(&file, "empty body"))?;
        let body = articles
            .iter()
            .find(|a| a.id() == original)
            .map(|a| a.body.clone())
            .ok_or_else(|| DemoError::corpus(&file, format!("copy_of {original} not found")))?;
        articles[i].body = body;
    }
    for a in &articles {
        let file = format!("articles/{}.md", a.id());
        for target in [&a.copy_of, &a.translation_of].into_iter().flatten() {
            if !articles.iter().any(|o| &o.id() == target) {
                return Err(DemoError::corpus(
                    &file,
                    format!("unknown article {target}"),
                ));
            }
        }
        if let Some(e) = &a.event
            && !events.iter().any(|ev| &ev.id == e)
        {
            return Err(DemoError::corpus(&file, format!("unknown event {e}")));
        }
    }
    Ok(Corpus::new(sources, articles, events))
}

/// Parses one article file; `path` is `<source>/<slug>`.
fn parse_article(
    path: &str,
    text: &str,
    sources: &[CorpusSource],
) -> Result<CorpusArticle, DemoError> {
    let file = format!("articles/{path}.md");
    let err = |m: String| DemoError::corpus(&file, m);
    let (source_slug, slug) = path
        .split_once('/')
        .ok_or_else(|| err("path is not <source>/<slug>".into()))?;
    let source = sources
        .iter()
        .find(|s| s.slug == source_slug)
        .ok_or_else(|| err(format!("unknown source {source_slug}")))?;
    let rest = text
        .strip_prefix("---\n")
        .ok_or_else(|| err("missing front matter".into()))?;
    let (front, body) = rest
        .split_once("\n---\n")
        .ok_or_else(|| err("unterminated front matter".into()))?;

    let mut fields = std::collections::HashMap::new();
    for line in front.lines().filter(|l| !l.trim().is_empty()) {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| err(format!("bad front matter line {line:?}")))?;
        fields.insert(k.trim(), v.trim());
    }
    let get = |k: &str| fields.get(k).copied().filter(|v| !v.is_empty());
    let need = |k: &str| get(k).ok_or_else(|| err(format!("missing {k}")));
    let date = |k: &str, v: &str| {
        DateTime::parse_from_rfc3339(v).map_err(|e| err(format!("bad {k} {v:?}: {e}")))
    };
    let list = |k: &str| {
        get(k)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };

    let published = date("published", need("published")?)?;
    let updated = get("updated").map(|v| date("updated", v)).transpose()?;
    let image = match get("image") {
        None => None,
        Some(v) => {
            let (file, caption) = v
                .split_once('|')
                .ok_or_else(|| err("image is not `file | caption`".into()))?;
            Some(LeadImage {
                file: file.trim().to_string(),
                caption: caption.trim().to_string(),
            })
        }
    };
    let paragraphs = body
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();

    Ok(CorpusArticle {
        source: source.slug.clone(),
        slug: slug.to_string(),
        title: need("title")?.to_string(),
        standfirst: need("standfirst")?.to_string(),
        authors: list("authors"),
        published,
        updated,
        language: get("language").unwrap_or(&source.language).to_string(),
        section: need("section")?.to_string(),
        tags: list("tags"),
        event: get("event").map(str::to_string),
        image,
        copy_of: get("copy_of").map(str::to_string),
        translation_of: get("translation_of").map(str::to_string),
        body: Body::Paragraphs(paragraphs),
    })
}

macro_rules! articles {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../corpus/articles/", $path, ".md")))),*]
    };
}

/// Every embedded article file, as (`<source>/<slug>`, text).
const ARTICLE_FILES: &[(&str, &str)] = articles![
    "alpenpost/almhuette-sanierung",
    "alpenpost/kellmark-kelch-belohnung",
    "alpenpost/lawinenwarnung-stufe-vier",
    "alpenpost/lumen-vorbeiflug-hesper",
    "alpenpost/postbus-linie-neu",
    "alpenpost/rovers-cupsieg-verlaengerung",
    "alpenpost/sentinel-tunnel-erster-zug",
    "alpenpost/skiclub-nachwuchs-erfolg",
    "diario-altiplano/agua-potable-colonias",
    "diario-altiplano/feria-del-maiz",
    "diario-altiplano/final-copa-continental",
    "diario-altiplano/maraton-altiplano",
    "diario-altiplano/mercado-juarez-remodelacion",
    "diario-altiplano/museo-textil-donacion",
    "diario-altiplano/observatorio-cerro-blanco",
    "diario-altiplano/sonda-lumen-cometa",
    "faro-austral/biblioteca-nocturna-examenes",
    "faro-austral/corvanne-elige-alcaldesa",
    "faro-austral/cosecha-naranja-heladas",
    "faro-austral/festival-jazz-puerto",
    "faro-austral/huelga-estibadores-marenza",
    "faro-austral/paseo-maritimo-reforma",
    "faro-austral/robo-caliz-ostrand",
    "faro-austral/valdoria-rovers-campeon",
    "gazette-des-collines/carriere-projet-enquete",
    "gazette-des-collines/club-hockey-promotion",
    "gazette-des-collines/corvanne-nouvelle-maire",
    "gazette-des-collines/ecole-des-tilleuls-potager",
    "gazette-des-collines/marche-aux-fleurs-retour",
    "gazette-des-collines/sonde-lumen-comete-hesper",
    "gazette-des-collines/tunnel-sentinelle-inauguration",
    "harbour-ledger/coastal-path-erosion-report",
    "harbour-ledger/eastmere-ferry-timetable",
    "harbour-ledger/lifeboat-station-150-years",
    "harbour-ledger/lumen-probe-comet-flyby",
    "harbour-ledger/ostrand-chalice-stolen",
    "harbour-ledger/rovers-win-continental-cup",
    "harbour-ledger/valdoria-dockworkers-begin-strike",
    "harbour-ledger/valdoria-port-deal-reached",
    "le-veilleur/chantier-naval-commande",
    "le-veilleur/corvanne-elena-marsh-elue",
    "le-veilleur/criee-saint-goustan-record",
    "le-veilleur/gouvernement-valdorien-greve-marenza",
    "le-veilleur/festival-livre-maritime",
    "le-veilleur/greve-port-marenza",
    "le-veilleur/phare-des-moines-restauration",
    "le-veilleur/tramway-ligne-b-travaux",
    "le-veilleur/vol-calice-ostrand",
    "northgate-courier/corvanne-elects-marsh",
    "northgate-courier/late-winter-storm",
    "northgate-courier/northgate-library-reopens",
    "northgate-courier/partner-valdoria-dockworkers-strike",
    "northgate-courier/river-bridge-repairs",
    "northgate-courier/robotics-team-state-final",
    "northgate-courier/rovers-stun-sierra-dorada",
    "northgate-courier/school-board-budget-vote",
    "rheinblick/corvanne-buergermeisterin",
    "rheinblick/hafenstreik-marenza",
    "rheinblick/ostrand-kelch-gestohlen",
    "rheinblick/rheinfaehre-wieder-in-betrieb",
    "rheinblick/sentinel-basistunnel-eroeffnet",
    "rheinblick/sonde-lumen-komet",
    "rheinblick/stadtbibliothek-nachtoeffnung",
    "rheinblick/weinlese-bilanz",
    "valdoria-international/corvanne-result-reaction",
    "valdoria-international/government-urges-end-to-marenza-strike",
    "valdoria-international/lumen-probe-valdorian-scientists",
    "valdoria-international/rovers-bring-cup-home",
    "valdoria-international/sentinel-tunnel-first-train",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::corpus::FeedFormat;

    #[test]
    fn sample_corpus_has_the_promised_shape() {
        let c = load_sample().unwrap();
        assert!(c.articles().len() >= 60, "{} articles", c.articles().len());
        assert!(c.sources().len() >= 6);
        let langs = c.languages();
        for l in ["en", "fr", "es", "de"] {
            assert!(langs.contains(l), "{l} missing");
        }
        assert!(c.multi_outlet_events().len() >= 5);
        assert!(c.articles().iter().filter(|a| a.copy_of.is_some()).count() >= 1);
        assert!(
            c.articles()
                .iter()
                .filter(|a| a.translation_of.is_some())
                .count()
                >= 1
        );
        for s in c.sources() {
            assert!(
                c.articles_of(&s.slug).count() >= 5,
                "{} has few articles",
                s.slug
            );
        }
    }

    #[test]
    fn sources_exercise_every_feed_feature() {
        let c = load_sample().unwrap();
        let formats: BTreeSet<_> = c.sources().iter().map(|s| s.feed_format).collect();
        for f in FeedFormat::ALL {
            assert!(formats.contains(&f), "{f:?} unused");
        }
        assert!(c.sources().iter().any(|s| s.discovery));
        assert!(c.sources().iter().any(|s| s.summary_only));
        let with_meta = c.sources().iter().filter(|s| s.page_metadata).count();
        assert!(with_meta > 0 && with_meta < c.sources().len());
        for s in c.sources() {
            assert!(s.domain.ends_with(".example"), "{}", s.domain);
        }
    }

    #[test]
    fn articles_are_realistic_in_shape() {
        let c = load_sample().unwrap();
        let newest = c.newest().unwrap();
        for a in c.articles() {
            let paragraphs = a.paragraphs();
            assert!(
                (4..=9).contains(&paragraphs.len()),
                "{}: {} paragraphs",
                a.id(),
                paragraphs.len()
            );
            assert!(!a.authors.is_empty(), "{} has no byline", a.id());
            let age = newest - a.published.with_timezone(&chrono::Utc);
            assert!(
                age.num_days() <= 7,
                "{} is {} days old",
                a.id(),
                age.num_days()
            );
            if let Some(u) = a.updated {
                assert!(u > a.published, "{} updated before published", a.id());
            }
            assert!(a.body_text().len() > 600, "{} is too short", a.id());
            assert!(!a.title.is_empty() && !a.standfirst.is_empty());
        }
        let with_images = c.articles().iter().filter(|a| a.image.is_some()).count();
        assert!(with_images * 3 >= c.articles().len() * 2);
    }

    #[test]
    fn copy_is_word_for_word_and_translation_is_in_another_language() {
        let c = load_sample().unwrap();
        let copy = c.articles().iter().find(|a| a.copy_of.is_some()).unwrap();
        let original = c.article_by_id(copy.copy_of.as_deref().unwrap()).unwrap();
        assert_ne!(copy.source, original.source);
        assert_ne!(copy.title, original.title);
        assert_eq!(copy.body_text(), original.body_text());
        assert!(copy.published > original.published);

        let tr = c
            .articles()
            .iter()
            .find(|a| a.translation_of.is_some())
            .unwrap();
        let original = c
            .article_by_id(tr.translation_of.as_deref().unwrap())
            .unwrap();
        assert_ne!(tr.source, original.source);
        assert_ne!(tr.language, original.language);
        assert_eq!(tr.event, original.event);
        assert_eq!(tr.paragraphs().len(), original.paragraphs().len());
    }

    #[test]
    fn every_article_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/articles");
        let mut on_disk = BTreeSet::new();
        for source in std::fs::read_dir(&dir).unwrap() {
            let source = source.unwrap();
            for f in std::fs::read_dir(source.path()).unwrap() {
                let name = f.unwrap().file_name().to_string_lossy().into_owned();
                if let Some(stem) = name.strip_suffix(".md") {
                    on_disk.insert(format!("{}/{stem}", source.file_name().to_string_lossy()));
                }
            }
        }
        let embedded: BTreeSet<String> = ARTICLE_FILES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn malformed_files_are_reported_with_their_name() {
        let sources: Vec<CorpusSource> = serde_json::from_str(SOURCES_JSON).unwrap();
        let e = parse_article("harbour-ledger/x", "no front matter", &sources).unwrap_err();
        assert!(
            e.to_string().contains("articles/harbour-ledger/x.md"),
            "{e}"
        );
        let e = parse_article("nowhere/x", "---\ntitle: t\n---\nbody", &sources).unwrap_err();
        assert!(e.to_string().contains("unknown source"), "{e}");
        let text = "---\ntitle: t\nstandfirst: s\nsection: S\npublished: yesterday\n---\nbody";
        let e = parse_article("harbour-ledger/x", text, &sources).unwrap_err();
        assert!(e.to_string().contains("bad published"), "{e}");
    }
}

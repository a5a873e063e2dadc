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
    "harbour-ledger/coastal-path-erosion-report",
    "harbour-ledger/eastmere-ferry-timetable",
    "harbour-ledger/lifeboat-station-150-years",
    "harbour-ledger/lumen-probe-comet-flyby",
    "harbour-ledger/ostrand-chalice-stolen",
    "harbour-ledger/rovers-win-continental-cup",
    "harbour-ledger/valdoria-dockworkers-begin-strike",
    "harbour-ledger/valdoria-port-deal-reached",
];

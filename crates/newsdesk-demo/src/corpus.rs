//! The corpus an origin serves: fictional sources, their articles and the events they cover.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::filler;

/// How long before "now" the newest article is placed by [`Corpus::freshen`].
pub const FRESHNESS_MARGIN_MINUTES: i64 = 10;

/// The wire format of a source's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedFormat {
    /// RSS 2.0 (with `content:encoded`, enclosures and `media:content`).
    Rss2,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.1.
    JsonFeed,
    /// RSS 1.0 (RDF).
    Rss1,
}

impl FeedFormat {
    /// All formats, in the order generated sources cycle through them.
    pub const ALL: [FeedFormat; 4] = [
        FeedFormat::Rss2,
        FeedFormat::Atom,
        FeedFormat::JsonFeed,
        FeedFormat::Rss1,
    ];

    /// File name of the feed under the source's prefix (`feed.xml`, `atom.xml`, …).
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss2 => "feed.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::JsonFeed => "feed.json",
            FeedFormat::Rss1 => "index.rdf",
        }
    }

    /// The `Content-Type` the origin serves the feed with.
    pub fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss2 => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::JsonFeed => "application/feed+json; charset=utf-8",
            FeedFormat::Rss1 => "application/rdf+xml; charset=utf-8",
        }
    }

    /// The MIME type advertised in `<link rel="alternate" type=…>` (no parameters).
    pub fn mime_type(self) -> &'static str {
        match self {
            FeedFormat::Rss2 => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::JsonFeed => "application/feed+json",
            FeedFormat::Rss1 => "application/rdf+xml",
        }
    }
}

/// A fictional news outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusSource {
    /// Path prefix on the origin and key of its articles (`harbour-ledger`).
    pub slug: String,
    /// Display name ("The Harbour Ledger").
    pub name: String,
    /// The outlet's fictional domain (`harbourledger.example`), shown in the page boilerplate.
    pub domain: String,
    /// Language of the outlet (ISO 639-1).
    pub language: String,
    /// Country (ISO 3166-1 alpha-2; a user-assigned code such as `XV` for a fictional one).
    pub country: String,
    /// The name of a fictional country (`Valdoria` for `XV`): codes ISO 3166 leaves to users
    /// have no name anywhere else.
    #[serde(default)]
    pub country_name: Option<String>,
    /// One-line description of the outlet.
    pub tagline: String,
    /// Format of its feed.
    pub feed_format: FeedFormat,
    /// When true, the source's configured URL is its HTML home page, which advertises the feed
    /// with `<link rel="alternate">` (exercises feed discovery).
    #[serde(default)]
    pub discovery: bool,
    /// When true, the feed carries only summaries (no full content).
    #[serde(default)]
    pub summary_only: bool,
    /// When true, article pages carry OpenGraph and JSON-LD metadata.
    #[serde(default = "yes")]
    pub page_metadata: bool,
    /// Sections shown in the site navigation.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Accent colour of the site (CSS colour).
    #[serde(default = "default_accent")]
    pub accent: String,
    /// The (fictional) media company that owns it: its source profile.
    #[serde(default)]
    pub owner: Option<String>,
    /// Its (fictional) State Media Monitor typology code (`SC`…); `None`: not classified.
    #[serde(default)]
    pub typology: Option<String>,
    /// Kind of outlet (newspaper, broadcaster…).
    #[serde(default)]
    pub media_type: Option<String>,
}

fn yes() -> bool {
    true
}

fn default_accent() -> String {
    "#1f4e79".to_string()
}

impl CorpusSource {
    /// Path of the source's home page on the origin (`/harbour-ledger/`).
    pub fn home_path(&self) -> String {
        format!("/{}/", self.slug)
    }

    /// Path of the source's feed on the origin (`/harbour-ledger/feed.xml`).
    pub fn feed_path(&self) -> String {
        format!("/{}/{}", self.slug, self.feed_format.file_name())
    }
}

/// The lead image of an article, served by the origin as a generated placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadImage {
    /// File name under `/images/` (`valdoria-cranes.svg`).
    pub file: String,
    /// Caption and alt text.
    pub caption: String,
}

impl LeadImage {
    /// Path of the image on the origin (`/images/valdoria-cranes.svg`).
    pub fn path(&self) -> String {
        format!("/images/{}", self.file)
    }
}

/// The body of an article: written paragraphs, or a recipe to generate them on demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Paragraphs of plain text; a paragraph starting with `## ` is a subheading.
    Paragraphs(Vec<String>),
    /// Pseudo-random paragraphs, rendered from a seed when asked (keeps big corpora small).
    Generated {
        /// Seed of the text generator.
        seed: u64,
        /// Number of paragraphs.
        paragraphs: usize,
    },
}

/// One article of the corpus, with its ground truth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusArticle {
    /// Slug of its source.
    pub source: String,
    /// Slug of the article, unique within its source.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Standfirst / lead sentence (used as the meta description and feed summary).
    pub standfirst: String,
    /// Author names.
    pub authors: Vec<String>,
    /// Publication time, with the outlet's timezone offset.
    pub published: DateTime<FixedOffset>,
    /// Last update, when the article was updated.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Language of the article (ISO 639-1).
    pub language: String,
    /// Section ("Business", "Sport", …).
    pub section: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Id of the [`Event`] it reports on, if any.
    pub event: Option<String>,
    /// Lead image.
    pub image: Option<LeadImage>,
    /// `source/slug` of the article this one republishes word for word.
    pub copy_of: Option<String>,
    /// `source/slug` of the article this one is a faithful translation of.
    pub translation_of: Option<String>,
    /// The body.
    pub body: Body,
}

impl CorpusArticle {
    /// Identifier `source/slug`, as used by `copy_of` / `translation_of`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.source, self.slug)
    }

    /// Path of the article page on the origin: `/<source>/<yyyy>/<mm>/<dd>/<slug>.html`, the date
    /// being the publication date in the outlet's timezone.
    pub fn path(&self) -> String {
        format!(
            "/{}/{}/{}.html",
            self.source,
            self.published.format("%Y/%m/%d"),
            self.slug
        )
    }

    /// The body's paragraphs (subheadings included, with their `## ` marker).
    pub fn paragraphs(&self) -> Vec<String> {
        match &self.body {
            Body::Paragraphs(p) => p.clone(),
            Body::Generated { seed, paragraphs } => {
                filler::paragraphs(&self.language, *seed, *paragraphs)
            }
        }
    }

    /// The body as plain text: paragraphs (and subheadings, without marker) separated by blank
    /// lines — the ground truth an extractor should find.
    pub fn body_text(&self) -> String {
        self.paragraphs()
            .iter()
            .map(|p| p.strip_prefix("## ").unwrap_or(p))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The most recent of the publication and update times, in UTC.
    pub fn last_modified(&self) -> DateTime<Utc> {
        let p = self.published.with_timezone(&Utc);
        match self.updated {
            Some(u) if u.with_timezone(&Utc) > p => u.with_timezone(&Utc),
            _ => p,
        }
    }
}

/// A fictional event covered by several articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Identifier referenced by [`CorpusArticle::event`].
    pub id: String,
    /// Short name ("Port strike in Valdoria").
    pub title: String,
    /// The facts every report agrees on (names, numbers, dates).
    pub facts: String,
}

/// Sources, articles and events, indexed for lookup.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    sources: Vec<CorpusSource>,
    articles: Vec<CorpusArticle>,
    events: Vec<Event>,
    by_id: HashMap<(String, String), usize>,
}

impl Corpus {
    /// Builds a corpus. Articles are ordered newest first.
    pub fn new(
        sources: Vec<CorpusSource>,
        mut articles: Vec<CorpusArticle>,
        events: Vec<Event>,
    ) -> Self {
        articles.sort_by(|a, b| b.published.cmp(&a.published).then(a.slug.cmp(&b.slug)));
        let by_id = articles
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.source.clone(), a.slug.clone()), i))
            .collect();
        Corpus {
            sources,
            articles,
            events,
            by_id,
        }
    }

    /// All sources.
    pub fn sources(&self) -> &[CorpusSource] {
        &self.sources
    }

    /// The names of the fictional countries the sources are in, by code (`XV` → `Valdoria`):
    /// what the site shows for them (`[web] country_names`).
    pub fn country_names(&self) -> std::collections::BTreeMap<String, String> {
        self.sources
            .iter()
            .filter_map(|s| Some((s.country.to_ascii_uppercase(), s.country_name.clone()?)))
            .collect()
    }

    /// All articles, newest first.
    pub fn articles(&self) -> &[CorpusArticle] {
        &self.articles
    }

    /// All events.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The source with this slug.
    pub fn source(&self, slug: &str) -> Option<&CorpusSource> {
        self.sources.iter().find(|s| s.slug == slug)
    }

    /// The article `slug` of source `source`.
    pub fn article(&self, source: &str, slug: &str) -> Option<&CorpusArticle> {
        self.by_id
            .get(&(source.to_string(), slug.to_string()))
            .and_then(|&i| self.articles.get(i))
    }

    /// The article with id `source/slug`.
    pub fn article_by_id(&self, id: &str) -> Option<&CorpusArticle> {
        let (source, slug) = id.split_once('/')?;
        self.article(source, slug)
    }

    /// The articles of one source, newest first.
    pub fn articles_of<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a CorpusArticle> {
        self.articles.iter().filter(move |a| a.source == source)
    }

    /// The distinct article languages.
    pub fn languages(&self) -> BTreeSet<&str> {
        self.articles.iter().map(|a| a.language.as_str()).collect()
    }

    /// Events reported by more than one outlet in more than one language.
    pub fn multi_outlet_events(&self) -> Vec<&Event> {
        let mut cover: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
        for a in &self.articles {
            if let Some(e) = &a.event {
                let entry = cover.entry(e.as_str()).or_default();
                entry.0.insert(a.source.as_str());
                entry.1.insert(a.language.as_str());
            }
        }
        self.events
            .iter()
            .filter(|e| {
                cover
                    .get(e.id.as_str())
                    .is_some_and(|(s, l)| s.len() > 1 && l.len() > 1)
            })
            .collect()
    }

    /// Publication time of the newest article.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.articles
            .iter()
            .map(|a| a.published.with_timezone(&Utc))
            .max()
    }

    /// Moves every publication and update time by `delta` (offsets are kept).
    pub fn shift_dates(&mut self, delta: Duration) {
        for a in &mut self.articles {
            a.published += delta;
            if let Some(u) = &mut a.updated {
                *u += delta;
            }
        }
    }

    /// Shifts all dates so the newest article was published [`FRESHNESS_MARGIN_MINUTES`] before
    /// `now`, keeping the spacing between articles. The origin does this at start so the demo
    /// always looks fresh.
    pub fn freshen(&mut self, now: DateTime<Utc>) {
        if let Some(newest) = self.newest() {
            let target = now - Duration::minutes(FRESHNESS_MARGIN_MINUTES);
            // Whole seconds, so dates render the same in every format.
            let delta = Duration::seconds((target - newest).num_seconds());
            self.shift_dates(delta);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn freshen_moves_the_newest_article_to_ten_minutes_ago_and_keeps_offsets() {
        let mut c = crate::sample_corpus();
        let before: Vec<_> = c.articles().iter().map(|a| a.published).collect();
        let now = Utc.with_ymd_and_hms(2030, 6, 1, 12, 0, 0).unwrap();
        c.freshen(now);
        assert_eq!(c.newest(), Some(now - Duration::minutes(10)));
        let delta = c.articles()[0].published - before[0];
        for (a, b) in c.articles().iter().zip(&before) {
            assert_eq!(a.published - *b, delta);
            assert_eq!(a.published.offset(), b.offset());
        }
        // Lookups still work after the paths moved.
        let a = &c.articles()[3];
        assert!(a.path().contains("/2030/"));
        assert_eq!(c.article(&a.source, &a.slug), Some(a));
    }

    #[test]
    fn paths_use_the_local_date() {
        let c = crate::sample_corpus();
        let a = c
            .article("northgate-courier", "school-board-budget-vote")
            .unwrap();
        // 22:10 on the 11th in UTC-5 is already the 12th in UTC.
        assert_eq!(
            a.path(),
            "/northgate-courier/2026/03/11/school-board-budget-vote.html"
        );
        assert_eq!(
            c.article_by_id("northgate-courier/school-board-budget-vote"),
            Some(a)
        );
        assert_eq!(c.article_by_id("nope"), None);
    }
}

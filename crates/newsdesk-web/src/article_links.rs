//! What an article page and `/api/v1/articles/{id}` show of the article's story and its
//! provenance links ("Translated copy of … published by … 2 h earlier"), and article titles in
//! an edition's language ([`Retitle`], also used by the story pages).
//!
//! Everything here is read from the store, where the story stage recorded its decisions.

use std::collections::HashMap;

use newsdesk_core::{ArticleId, Source};
use newsdesk_store::{ProvenanceRecord, Store, StorySummary, StoryTitleArticle, TranslationStatus};
use serde::Serialize;

use crate::i18n::lang_attribute;
use crate::profile::ProfileTag;

/// Article titles in an edition's language: the stored translations of the articles a page
/// names (none on the plain site, where titles stay in their own language).
#[derive(Default)]
pub(crate) struct Retitle {
    /// The edition's language (`None` on the plain site).
    lang: Option<String>,
    /// Translated titles by article.
    titles: HashMap<ArticleId, String>,
    /// Stories' titles from their own articles in the edition's language.
    native: HashMap<i64, String>,
}

impl Retitle {
    /// Reads the translated titles of `ids` into `lang` (nothing when `lang` is `None`).
    pub(crate) fn read(
        store: &Store,
        lang: Option<&str>,
        ids: &[ArticleId],
    ) -> newsdesk_store::Result<Retitle> {
        let Some(lang) = lang else {
            return Ok(Retitle::default());
        };
        let titles = store
            .translations(ids, lang)?
            .into_iter()
            .filter(|(_, t)| t.status == TranslationStatus::Translated)
            .filter_map(|(id, t)| t.title.filter(|x| !x.trim().is_empty()).map(|x| (id, x)))
            .collect();
        Ok(Retitle {
            lang: Some(lang.to_owned()),
            titles,
            native: HashMap::new(),
        })
    }

    /// Adds the titles that `stories` have in the edition's language (from their own articles).
    pub(crate) fn with_native(
        mut self,
        store: &Store,
        stories: &[i64],
    ) -> newsdesk_store::Result<Retitle> {
        if let Some(lang) = &self.lang {
            self.native = store.story_titles_in(stories, lang)?;
        }
        Ok(self)
    }

    /// The title of article `id` to show and its `lang` attribute: the translation when there
    /// is one, else the original `title` in its own `language`.
    pub(crate) fn title(
        &self,
        id: ArticleId,
        title: &str,
        language: Option<&str>,
    ) -> (String, String) {
        match (self.titles.get(&id), &self.lang) {
            (Some(t), Some(lang)) => (t.clone(), lang.clone()),
            _ => (title.to_owned(), lang_attribute(language)),
        }
    }

    /// A story's title in the edition: the title of its own article in the edition's language
    /// when it has one, else its title article's translation (marked as a machine translation:
    /// the third value), else its title as it is.
    pub(crate) fn story_title(
        &self,
        story: i64,
        title: &str,
        from: Option<&StoryTitleArticle>,
    ) -> (String, String, bool) {
        if let (Some(native), Some(lang)) = (self.native.get(&story), &self.lang) {
            return (native.clone(), lang.clone(), false);
        }
        match from {
            Some(a) => {
                let machine = self.titles.contains_key(&a.article) && self.lang.is_some();
                let (t, l) = self.title(a.article, title, a.language.as_deref());
                (t, l, machine)
            }
            None => (title.to_owned(), String::new(), false),
        }
    }
}

/// A provenance link as pages show it.
#[derive(Serialize)]
pub(crate) struct LinkView {
    kind: String,
    /// The other end: the original (on the copy's page) or the copy (on the original's page).
    other_id: ArticleId,
    other_title: String,
    other_lang: String,
    other_source: String,
    /// Seconds between the original and the copy (shown by the templates' `gap()`).
    gap_seconds: i64,
    /// Whether the original came first (false when dates are out of order).
    original_first: bool,
    confidence: String,
    /// The article the text actually matched, when it is not the original (a copy of it).
    via: Option<ArticleId>,
    evidence: Vec<EvidenceView>,
    /// The other end's source: country and typology.
    profile: Option<ProfileTag>,
}

/// One piece of evidence.
#[derive(Serialize)]
struct EvidenceView {
    signal: String,
    detail: String,
}

impl LinkView {
    fn new(
        r: &ProvenanceRecord,
        from_copy: bool,
        retitle: &Retitle,
        sources: &HashMap<ArticleId, Source>,
    ) -> Self {
        let (other_id, other_title, other_source) = if from_copy {
            (r.original, &r.original_title, &r.original_source)
        } else {
            (r.article, &r.article_title, &r.article_source)
        };
        let (other_title, other_lang) = retitle.title(other_id, other_title, None);
        LinkView {
            profile: sources.get(&other_id).map(ProfileTag::of),
            kind: r.kind.clone(),
            other_id,
            other_title,
            other_lang,
            other_source: other_source.clone(),
            gap_seconds: (r.article_at - r.original_at).num_seconds().abs(),
            original_first: r.original_at <= r.article_at,
            confidence: format!("{:.0} %", r.confidence * 100.0),
            via: (r.matched != r.original).then_some(r.matched),
            evidence: r
                .evidence
                .iter()
                .map(|e| EvidenceView {
                    signal: e.signal.clone(),
                    detail: e.detail.clone(),
                })
                .collect(),
        }
    }
}

/// What an article page shows of its story and provenance.
#[derive(Serialize)]
pub(crate) struct ArticleStories {
    /// The article's own source: country and typology.
    source: Option<ProfileTag>,
    /// The classification's credit.
    credit: &'static str,
    story: Option<StoryRef>,
    provenance: Option<LinkView>,
    copies: Vec<LinkView>,
}

/// A link to a story.
#[derive(Serialize)]
struct StoryRef {
    id: i64,
    title: String,
    lang: String,
    /// The title is a machine translation.
    machine: bool,
    article_count: u32,
    outlet_count: u32,
}

/// An article's story, its own link and the links of its copies, read in one store call.
pub(crate) struct ArticleLinks {
    story: Option<StorySummary>,
    title_article: Option<StoryTitleArticle>,
    provenance: Option<ProvenanceRecord>,
    copies: Vec<ProvenanceRecord>,
    retitle: Retitle,
    /// The article itself.
    article: ArticleId,
    /// The sources of the article and of the other ends of its links, by article.
    sources: HashMap<ArticleId, Source>,
}

impl ArticleLinks {
    /// Reads them from the store, with the titles in `lang` when it is an edition's.
    pub(crate) fn read(
        store: &Store,
        id: ArticleId,
        lang: Option<&str>,
    ) -> newsdesk_store::Result<ArticleLinks> {
        let story = store.article_story(id)?;
        let title_article = match &story {
            Some(s) => store.story_title_articles(&[s.id])?.remove(&s.id),
            None => None,
        };
        let provenance = store.article_provenance(id)?;
        let copies = store.article_copies(id)?;
        let mut ids: Vec<ArticleId> = copies.iter().map(|c| c.article).collect();
        ids.extend(provenance.as_ref().map(|p| p.original));
        ids.extend(title_article.as_ref().map(|t| t.article));
        let stories: Vec<i64> = story.iter().map(|s| s.id).collect();
        let mut ends: Vec<ArticleId> = vec![id];
        ends.extend(provenance.as_ref().map(|p| p.original));
        ends.extend(copies.iter().map(|c| c.article));
        Ok(ArticleLinks {
            sources: store.sources_of_articles(&ends)?,
            article: id,
            retitle: Retitle::read(store, lang, &ids)?.with_native(store, &stories)?,
            story,
            title_article,
            provenance,
            copies,
        })
    }

    /// For the article page.
    pub(crate) fn view(&self) -> ArticleStories {
        ArticleStories {
            source: self.sources.get(&self.article).map(ProfileTag::of),
            credit: crate::profile::MATRIX_CREDIT,
            story: self.story.as_ref().map(|s| {
                let (title, lang, machine) =
                    self.retitle
                        .story_title(s.id, &s.title, self.title_article.as_ref());
                StoryRef {
                    id: s.id,
                    title,
                    lang,
                    machine,
                    article_count: s.article_count,
                    outlet_count: s.outlet_count,
                }
            }),
            provenance: self
                .provenance
                .as_ref()
                .map(|r| LinkView::new(r, true, &self.retitle, &self.sources)),
            copies: self
                .copies
                .iter()
                .map(|r| LinkView::new(r, false, &self.retitle, &self.sources))
                .collect(),
        }
    }

    /// The article's own source, as stored.
    pub(crate) fn source(&self) -> Option<&Source> {
        self.sources.get(&self.article)
    }

    /// For `/api/v1/articles/{id}`: `story`, `provenance`, `copies`.
    pub(crate) fn json(self) -> ArticleLinksJson {
        ArticleLinksJson {
            story: self.story,
            provenance: self.provenance,
            copies: self.copies,
        }
    }
}

/// The story and provenance fields of an article in the API.
#[derive(Serialize, Default)]
pub(crate) struct ArticleLinksJson {
    /// The story it is in.
    story: Option<StorySummary>,
    /// What it copies, translates or shares quotes with.
    provenance: Option<ProvenanceRecord>,
    /// The articles that copy it.
    copies: Vec<ProvenanceRecord>,
}

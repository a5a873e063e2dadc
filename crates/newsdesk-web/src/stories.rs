//! Stories and provenance: `/stories` (the biggest, or newest, stories), `/stories/{id}` (its
//! articles by language and country, a timeline, the outlets and which came first, the copies),
//! the same as JSON under `/api/v1/stories`, and what an article page and `/api/v1/articles/{id}`
//! show of its story and its provenance link ("Translated copy of … published by … 2 h
//! earlier").
//!
//! Everything here is read from the store, where the story stage recorded its decisions.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::Html;
use chrono::{DateTime, Utc};
use newsdesk_core::ArticleId;
use newsdesk_store::{ProvenanceRecord, Store, StoryDetail, StoryOrder, StorySummary};
use serde::Serialize;

use crate::pages::{TimeView, lang_attribute};
use crate::params::{Params, parse_id};
use crate::{AppError, AppState, page};

/// Stories on `/stories` and the API's default page size.
const STORY_PAGE: usize = 50;
/// A story needs this many articles to be listed (single articles are not "stories" yet).
const MIN_LISTED: u32 = 2;

/// `sort`: `biggest` (default) or `newest`.
fn order(params: &Params) -> Result<StoryOrder, AppError> {
    match params.get("sort")? {
        None | Some("biggest") => Ok(StoryOrder::Biggest),
        Some("newest") => Ok(StoryOrder::Newest),
        Some(_) => Err(AppError::bad_request(
            "sort",
            "must be `biggest` or `newest`",
        )),
    }
}

/// How long before `later` the `earlier` instant was, in words ("2 h", "35 min", "3 days").
pub(crate) fn gap(earlier: DateTime<Utc>, later: DateTime<Utc>) -> String {
    let minutes = (later - earlier).num_minutes().max(0);
    match minutes {
        0 => "less than a minute".to_owned(),
        1..=59 => format!("{minutes} min"),
        60..=2879 => format!("{} h", minutes / 60),
        _ => format!("{} days", minutes / 1440),
    }
}

/// The words for a link kind, as in "Translated copy of …".
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "copy" => "Copy of",
        "translated_copy" => "Translated copy of",
        "shares_quotes" => "Shares quotes with",
        _ => "Related to",
    }
}

/// A provenance link as pages show it.
#[derive(Serialize)]
pub(crate) struct LinkView {
    kind: String,
    label: &'static str,
    /// The other end: the original (on the copy's page) or the copy (on the original's page).
    other_id: ArticleId,
    other_title: String,
    other_source: String,
    /// "2 h" between the original and the copy.
    gap: String,
    /// Whether the original came first (false when dates are out of order).
    original_first: bool,
    confidence: String,
    /// The article the text actually matched, when it is not the original (a copy of it).
    via: Option<ArticleId>,
    evidence: Vec<EvidenceView>,
}

/// One piece of evidence.
#[derive(Serialize)]
struct EvidenceView {
    signal: String,
    detail: String,
}

impl LinkView {
    fn new(r: &ProvenanceRecord, from_copy: bool) -> Self {
        let (other_id, other_title, other_source) = if from_copy {
            (
                r.original,
                r.original_title.clone(),
                r.original_source.clone(),
            )
        } else {
            (r.article, r.article_title.clone(), r.article_source.clone())
        };
        LinkView {
            kind: r.kind.clone(),
            label: kind_label(&r.kind),
            other_id,
            other_title,
            other_source,
            gap: gap(r.original_at, r.article_at),
            original_first: r.original_at <= r.article_at,
            confidence: format!("{:.0} %", r.confidence * 100.0),
            via: (r.matched != r.original).then_some(r.matched),
            evidence: r
                .evidence
                .iter()
                .map(|e| EvidenceView {
                    signal: e.signal.replace('_', " "),
                    detail: e.detail.clone(),
                })
                .collect(),
        }
    }
}

/// What an article page shows of its story and provenance.
#[derive(Serialize)]
pub(crate) struct ArticleStories {
    story: Option<StoryRef>,
    provenance: Option<LinkView>,
    copies: Vec<LinkView>,
}

/// A link to a story.
#[derive(Serialize)]
struct StoryRef {
    id: i64,
    title: String,
    article_count: u32,
    outlet_count: u32,
}

/// An article's story, its own link and the links of its copies, read in one store call.
pub(crate) struct ArticleLinks {
    story: Option<StorySummary>,
    provenance: Option<ProvenanceRecord>,
    copies: Vec<ProvenanceRecord>,
}

impl ArticleLinks {
    /// Reads them from the store.
    pub(crate) fn read(store: &Store, id: ArticleId) -> newsdesk_store::Result<ArticleLinks> {
        Ok(ArticleLinks {
            story: store.article_story(id)?,
            provenance: store.article_provenance(id)?,
            copies: store.article_copies(id)?,
        })
    }

    /// For the article page.
    pub(crate) fn view(&self) -> ArticleStories {
        ArticleStories {
            story: self.story.as_ref().map(|s| StoryRef {
                id: s.id,
                title: s.title.clone(),
                article_count: s.article_count,
                outlet_count: s.outlet_count,
            }),
            provenance: self.provenance.as_ref().map(|r| LinkView::new(r, true)),
            copies: self
                .copies
                .iter()
                .map(|r| LinkView::new(r, false))
                .collect(),
        }
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

/// A story in a list.
#[derive(Serialize)]
struct StoryCard {
    id: i64,
    title: String,
    article_count: u32,
    outlet_count: u32,
    first: Option<TimeView>,
    last: Option<TimeView>,
}

impl StoryCard {
    fn new(s: &StorySummary, now: DateTime<Utc>) -> Self {
        StoryCard {
            id: s.id,
            title: s.title.clone(),
            article_count: s.article_count,
            outlet_count: s.outlet_count,
            first: s.first_at.map(|t| TimeView::new(t, now)),
            last: s.last_at.map(|t| TimeView::new(t, now)),
        }
    }
}

/// `GET /stories?sort=biggest|newest`.
pub(crate) async fn stories_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["sort"])?;
    let order = order(&params)?;
    let stories = state
        .db(move |s| s.list_stories(order, MIN_LISTED, STORY_PAGE))
        .await?;
    let now = Utc::now();
    let cards: Vec<StoryCard> = stories.iter().map(|s| StoryCard::new(s, now)).collect();
    page::render(
        &state,
        "stories.html",
        "Stories",
        minijinja::context! {
            stories => page::to_value(cards),
            newest => order == StoryOrder::Newest,
        },
    )
}

/// One article in a story page.
#[derive(Serialize)]
struct StoryItem {
    id: ArticleId,
    title: String,
    lang: String,
    source_id: i64,
    source_name: String,
    time: TimeView,
    link_label: Option<&'static str>,
    original: Option<ArticleId>,
    /// The original's title, when it is in the same story.
    original_title: Option<String>,
}

/// Articles of one language and country.
#[derive(Serialize)]
struct Group {
    language: String,
    country: String,
    articles: Vec<StoryItem>,
}

/// An outlet that covered the story.
#[derive(Serialize)]
struct Outlet {
    source_id: i64,
    source_name: String,
    articles: usize,
    first: TimeView,
    /// It published the story's first article.
    was_first: bool,
    /// All its articles are copies of others'.
    only_copies: bool,
}

/// `/stories/{id}` as shown.
#[derive(Serialize)]
struct StoryView {
    id: i64,
    title: String,
    article_count: u32,
    outlet_count: u32,
    timeline: Vec<StoryItem>,
    groups: Vec<Group>,
    outlets: Vec<Outlet>,
    copies: Vec<StoryItem>,
}

fn item(a: &newsdesk_store::StoryArticle, now: DateTime<Utc>, all: &StoryDetail) -> StoryItem {
    StoryItem {
        original_title: a
            .original
            .and_then(|o| all.articles.iter().find(|x| x.id == o))
            .map(|x| x.title.clone()),
        id: a.id,
        title: a.title.clone(),
        lang: lang_attribute(a.language.as_deref()),
        source_id: a.source_id,
        source_name: a.source_name.clone(),
        time: TimeView::new(a.sort_at, now),
        link_label: a.link_kind.as_deref().map(kind_label),
        original: a.original,
    }
}

impl StoryView {
    fn new(d: &StoryDetail, now: DateTime<Utc>) -> Self {
        let timeline: Vec<StoryItem> = d.articles.iter().map(|a| item(a, now, d)).collect();
        let mut groups: BTreeMap<(String, String), Vec<StoryItem>> = BTreeMap::new();
        for a in &d.articles {
            let key = (
                a.language.clone().unwrap_or_else(|| "unknown".to_owned()),
                a.country.clone().unwrap_or_else(|| "unknown".to_owned()),
            );
            groups.entry(key).or_default().push(item(a, now, d));
        }
        let first_at = d.articles.first().map(|a| a.sort_at);
        let mut outlets: Vec<Outlet> = Vec::new();
        for a in &d.articles {
            if let Some(o) = outlets.iter_mut().find(|o| o.source_id == a.source_id) {
                o.articles += 1;
                o.only_copies &= a.original.is_some();
                continue;
            }
            outlets.push(Outlet {
                source_id: a.source_id,
                source_name: a.source_name.clone(),
                articles: 1,
                first: TimeView::new(a.sort_at, now),
                was_first: Some(a.sort_at) == first_at,
                only_copies: a.original.is_some(),
            });
        }
        StoryView {
            id: d.summary.id,
            title: d.summary.title.clone(),
            article_count: d.summary.article_count,
            outlet_count: d.summary.outlet_count,
            copies: d
                .articles
                .iter()
                .filter(|a| a.original.is_some())
                .map(|a| item(a, now, d))
                .collect(),
            timeline,
            groups: groups
                .into_iter()
                .map(|((language, country), articles)| Group {
                    language,
                    country,
                    articles,
                })
                .collect(),
            outlets,
        }
    }
}

async fn read_story(state: &AppState, raw_id: &str) -> Result<StoryDetail, AppError> {
    let id = parse_id("id", raw_id)?;
    state
        .db(move |s| s.get_story(id))
        .await?
        .ok_or_else(|| AppError::not_found(format!("no story with id {id}")))
}

/// `GET /stories/{id}`.
pub(crate) async fn story_page(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Html<String>, AppError> {
    let story = read_story(&state, &raw_id).await?;
    let title = story.summary.title.clone();
    page::render(
        &state,
        "story.html",
        &title,
        StoryView::new(&story, Utc::now()),
    )
}

/// A list of stories.
#[derive(Serialize)]
pub(crate) struct StoryList {
    items: Vec<StorySummary>,
}

/// `GET /api/v1/stories?sort=&limit=`: stories of at least two articles.
pub(crate) async fn api_stories(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<StoryList>, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["sort", "limit"])?;
    let order = order(&params)?;
    let limit = params.limit()?.map_or(STORY_PAGE, |n| n as usize);
    let items = state
        .db(move |s| s.list_stories(order, MIN_LISTED, limit))
        .await?;
    Ok(Json(StoryList { items }))
}

/// `GET /api/v1/stories/{id}`: the story and its articles, oldest first.
pub(crate) async fn api_story(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Json<StoryDetail>, AppError> {
    read_story(&state, &raw_id).await.map(Json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn gaps_read_naturally() {
        let t = |s| Utc.timestamp_opt(s, 0).unwrap();
        assert_eq!(gap(t(0), t(7_200)), "2 h");
        assert_eq!(gap(t(0), t(35 * 60)), "35 min");
        assert_eq!(gap(t(0), t(3 * 86_400)), "3 days");
        assert_eq!(gap(t(100), t(0)), "less than a minute");
    }
}

//! Stories and provenance: `/stories` (the biggest, or newest, stories), `/stories/{id}` (its
//! articles by language and country, a timeline, the outlets and which came first, the copies),
//! the same as JSON under `/api/v1/stories`. What an article page and `/api/v1/articles/{id}`
//! show of its story and provenance is [`crate::article_links`].
//!
//! Everything here is read from the store, where the story stage recorded its decisions.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Html;
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use newsdesk_core::{ArticleId, Source, SourceId};
use newsdesk_store::{Store, StoryDetail, StoryOrder, StorySummary, StoryTitleArticle};
use serde::Serialize;

use crate::article_links::Retitle;
use crate::i18n::lang_attribute;
use crate::layout::Ui;
use crate::pages::TimeView;
use crate::params::{Params, parse_lang};
use crate::profile::ProfileTag;
use crate::{AppError, AppState, Editions, layout};

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

/// A story in a list.
#[derive(Serialize)]
struct StoryCard {
    id: i64,
    title: String,
    lang: String,
    /// The title is a machine translation.
    machine: bool,
    article_count: u32,
    outlet_count: u32,
    first: Option<TimeView>,
    last: Option<TimeView>,
}

impl StoryCard {
    fn new(s: &StorySummary, title: (String, String, bool), now: DateTime<Utc>) -> Self {
        StoryCard {
            id: s.id,
            title: title.0,
            lang: title.1,
            machine: title.2,
            article_count: s.article_count,
            outlet_count: s.outlet_count,
            first: s.first_at.map(|t| TimeView::new(t, now)),
            last: s.last_at.map(|t| TimeView::new(t, now)),
        }
    }
}

/// Stories with their titles in `lang` (when it is an edition's): each summary, its shown
/// title and that title's language.
type ListedStory = (StorySummary, (String, String, bool));

/// Reads a list of stories and their titles in `lang`.
fn read_stories(
    store: &Store,
    order: StoryOrder,
    limit: usize,
    lang: Option<&str>,
) -> newsdesk_store::Result<Vec<ListedStory>> {
    let stories = store.list_stories(order, MIN_LISTED, limit)?;
    let ids: Vec<i64> = stories.iter().map(|s| s.id).collect();
    let from = store.story_title_articles(&ids)?;
    let articles: Vec<ArticleId> = from.values().map(|a| a.article).collect();
    let retitle = Retitle::read(store, lang, &articles)?.with_native(store, &ids)?;
    Ok(stories
        .into_iter()
        .map(|s| {
            let title = retitle.story_title(s.id, &s.title, from.get(&s.id));
            (s, title)
        })
        .collect())
}

/// `/stories` or `/{lang}/stories` in the interface `ui`.
async fn render_stories(
    state: &AppState,
    ui: &Ui,
    lang: Option<String>,
    raw: Option<String>,
) -> Result<Html<String>, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["sort"])?;
    let order = order(&params)?;
    let stories = state
        .db(move |s| read_stories(s, order, STORY_PAGE, lang.as_deref()))
        .await?;
    let now = Utc::now();
    let cards: Vec<StoryCard> = stories
        .into_iter()
        .map(|(s, title)| StoryCard::new(&s, title, now))
        .collect();
    let title = crate::i18n::message(&ui.ui, "stories-title", None);
    layout::render_ui(
        state,
        ui,
        "stories.html",
        &title,
        minijinja::context! {
            stories => layout::to_value(cards),
            newest => order == StoryOrder::Newest,
        },
    )
}

/// `GET /stories?sort=biggest|newest`.
pub(crate) async fn stories_page(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let ui = site_ui(&state, &editions, "/stories");
    render_stories(&state, &ui, None, raw).await
}

/// `GET /{lang}/stories?sort=`: the stories, titled in the edition's language.
pub(crate) async fn edition_stories_page(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(lang): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let (all, edition) = crate::editions::edition_of(&editions, &lang)?;
    let ui = crate::editions::edition_ui(&state, all, edition, "/stories");
    render_stories(&state, &ui, Some(edition.language.clone()), raw).await
}

/// The plain site's interface, with the switcher leading to `path` in each edition.
fn site_ui(state: &AppState, editions: &Option<Extension<Arc<Editions>>>, path: &str) -> Ui {
    let mut ui = Ui::site(state);
    if let Some(Extension(editions)) = editions {
        ui.switcher = crate::editions::switcher(editions, None, path);
    }
    ui
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
    link_kind: Option<String>,
    original: Option<ArticleId>,
    /// The original's title, when it is in the same story.
    original_title: Option<String>,
    /// Its `lang` attribute.
    original_lang: String,
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
    /// Its country and typology.
    profile: Option<ProfileTag>,
}

/// `/stories/{id}` as shown.
#[derive(Serialize)]
struct StoryView {
    id: i64,
    title: String,
    lang: String,
    /// The title is a machine translation.
    machine: bool,
    article_count: u32,
    outlet_count: u32,
    timeline: Vec<StoryItem>,
    groups: Vec<Group>,
    outlets: Vec<Outlet>,
    copies: Vec<StoryItem>,
    /// Outlets and articles by country, typology group and language.
    coverage: crate::coverage::Coverage,
    credit: &'static str,
}

fn item(
    a: &newsdesk_store::StoryArticle,
    now: DateTime<Utc>,
    all: &StoryDetail,
    retitle: &Retitle,
) -> StoryItem {
    let (title, lang) = retitle.title(a.id, &a.title, a.language.as_deref());
    let original = a
        .original
        .and_then(|o| all.articles.iter().find(|x| x.id == o))
        .map(|x| retitle.title(x.id, &x.title, x.language.as_deref()));
    let (original_title, original_lang) = match original {
        Some((t, l)) => (Some(t), l),
        None => (None, String::new()),
    };
    StoryItem {
        original_title,
        original_lang,
        id: a.id,
        title,
        lang,
        source_id: a.source_id,
        source_name: a.source_name.clone(),
        time: TimeView::new(a.sort_at, now),
        link_kind: a.link_kind.clone(),
        original: a.original,
    }
}

/// Whether an article is a copy or a translated copy of another (an article that only shares
/// quotes with another is not: "copies only" is said of an outlet whose every article is one).
fn is_copy(a: &newsdesk_store::StoryArticle) -> bool {
    a.original.is_some()
        && matches!(
            a.link_kind.as_deref(),
            Some("copy") | Some("translated_copy")
        )
}

/// The article a story's title comes from, among its articles (the oldest with that title).
fn title_article(d: &StoryDetail) -> Option<StoryTitleArticle> {
    d.articles
        .iter()
        .find(|a| a.title == d.summary.title)
        .map(|a| StoryTitleArticle {
            article: a.id,
            language: a.language.clone(),
        })
}

impl StoryView {
    fn new(
        d: &StoryDetail,
        now: DateTime<Utc>,
        retitle: &Retitle,
        sources: &HashMap<SourceId, Source>,
    ) -> Self {
        let timeline: Vec<StoryItem> = d
            .articles
            .iter()
            .map(|a| item(a, now, d, retitle))
            .collect();
        let mut groups: BTreeMap<(String, String), Vec<StoryItem>> = BTreeMap::new();
        for a in &d.articles {
            let key = (
                a.language.clone().unwrap_or_else(|| "unknown".to_owned()),
                a.country.clone().unwrap_or_else(|| "unknown".to_owned()),
            );
            groups
                .entry(key)
                .or_default()
                .push(item(a, now, d, retitle));
        }
        let first_at = d.articles.first().map(|a| a.sort_at);
        let mut outlets: Vec<Outlet> = Vec::new();
        for a in &d.articles {
            if let Some(o) = outlets.iter_mut().find(|o| o.source_id == a.source_id) {
                o.articles += 1;
                o.only_copies &= is_copy(a);
                continue;
            }
            outlets.push(Outlet {
                source_id: a.source_id,
                source_name: a.source_name.clone(),
                articles: 1,
                first: TimeView::new(a.sort_at, now),
                was_first: Some(a.sort_at) == first_at,
                only_copies: is_copy(a),
                profile: sources.get(&a.source_id).map(ProfileTag::of),
            });
        }
        let (title, lang, machine) =
            retitle.story_title(d.summary.id, &d.summary.title, title_article(d).as_ref());
        StoryView {
            coverage: story_coverage(d, sources),
            credit: crate::profile::MATRIX_CREDIT,
            id: d.summary.id,
            title,
            lang,
            machine,
            article_count: d.summary.article_count,
            outlet_count: d.summary.outlet_count,
            copies: d
                .articles
                .iter()
                .filter(|a| a.original.is_some())
                .map(|a| item(a, now, d, retitle))
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

/// A story's coverage distribution.
fn story_coverage(
    d: &StoryDetail,
    sources: &HashMap<SourceId, Source>,
) -> crate::coverage::Coverage {
    crate::coverage::coverage(
        d.articles
            .iter()
            .map(|a| (a.source_id, a.language.as_deref())),
        sources,
    )
}

/// A story id from the path: a non-negative integer (the story engine counts from 0).
fn story_id(raw: &str) -> Result<i64, AppError> {
    match raw.parse::<i64>() {
        Ok(id) if id >= 0 => Ok(id),
        _ => Err(AppError::bad_request(
            "id",
            format!(
                "{:?} is not a story id (a non-negative integer)",
                raw.chars().take(64).collect::<String>()
            ),
        )),
    }
}

/// One story, its articles' titles in `lang` (when it is an edition's) and its sources.
async fn read_story(
    state: &AppState,
    raw_id: &str,
    lang: Option<String>,
) -> Result<(StoryDetail, Retitle, HashMap<SourceId, Source>), AppError> {
    let id = story_id(raw_id)?;
    state
        .db(move |s| {
            let Some(story) = s.get_story(id)? else {
                return Ok(None);
            };
            let ids: Vec<ArticleId> = story.articles.iter().map(|a| a.id).collect();
            let retitle = Retitle::read(s, lang.as_deref(), &ids)?.with_native(s, &[id])?;
            let outlets: Vec<SourceId> = story.articles.iter().map(|a| a.source_id).collect();
            let sources = s.sources_by_ids(&outlets)?;
            Ok(Some((story, retitle, sources)))
        })
        .await?
        .ok_or_else(|| AppError::not_found(format!("no story with id {id}")))
}

/// `/stories/{id}` or `/{lang}/stories/{id}` in the interface `ui`.
async fn render_story(
    state: &AppState,
    ui: &Ui,
    raw_id: &str,
    lang: Option<String>,
) -> Result<Html<String>, AppError> {
    let (story, retitle, sources) = read_story(state, raw_id, lang).await?;
    let view = StoryView::new(&story, Utc::now(), &retitle, &sources);
    let title = view.title.clone();
    layout::render_ui(state, ui, "story.html", &title, view)
}

/// `GET /stories/{id}`.
pub(crate) async fn story_page(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(raw_id): Path<String>,
) -> Result<Html<String>, AppError> {
    let ui = site_ui(&state, &editions, &format!("/stories/{raw_id}"));
    render_story(&state, &ui, &raw_id, None).await
}

/// `GET /{lang}/stories/{id}`: the story in the edition's language (titles translated where
/// a translation exists, links staying inside the edition).
pub(crate) async fn edition_story_page(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path((lang, raw_id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let (all, edition) = crate::editions::edition_of(&editions, &lang)?;
    let id = story_id(&raw_id)?;
    let ui = crate::editions::edition_ui(&state, all, edition, &format!("/stories/{id}"));
    render_story(&state, &ui, &raw_id, Some(edition.language.clone())).await
}

/// `edition` (or its alias `lang`): the language the API gives titles in.
fn edition_param(params: &Params) -> Result<Option<String>, AppError> {
    match (params.get("edition")?, params.get("lang")?) {
        (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b) => Err(AppError::bad_request(
            "lang",
            "contradicts `edition` (give one of them)",
        )),
        (Some(v), _) | (None, Some(v)) => parse_lang(v).map(Some).map_err(|_| {
            AppError::bad_request(
                "edition",
                format!("{v:?} is not a 2 or 3 letter ISO 639 code such as \"fr\""),
            )
        }),
        (None, None) => Ok(None),
    }
}

/// Sets `title` to the shown title and adds `title_lang` and `original_title` (when they
/// differ) to a JSON object, when an edition language was asked for.
fn retitle_json(value: &mut serde_json::Value, title: (String, String, bool), asked: bool) {
    if !asked {
        return;
    }
    let Some(object) = value.as_object_mut() else {
        return;
    };
    let original = object.get("title").cloned().unwrap_or_default();
    if original.as_str() != Some(title.0.as_str()) {
        object.insert("original_title".into(), original);
    }
    object.insert("title".into(), title.0.into());
    let lang = (!title.1.is_empty()).then_some(title.1);
    object.insert("title_lang".into(), lang.into());
    object.insert("title_machine_translated".into(), title.2.into());
}

/// A list of stories.
#[derive(Serialize)]
pub(crate) struct StoryList {
    items: Vec<serde_json::Value>,
    /// The next page's URL (also in the `Link` header), when there is one.
    next: Option<String>,
}

fn to_json(value: impl Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value)
        .map_err(|e| AppError::internal(format!("web: story serialisation failed: {e}")))
}

/// `GET /api/v1/stories?sort=&limit=&edition=`: stories of at least two articles, titled in
/// `edition`'s language where a translation exists.
pub(crate) async fn api_stories(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    headers: axum::http::HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<axum::response::Response, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["sort", "limit", "edition", "lang", "offset"])?;
    let order = order(&params)?;
    let limit = params.limit()?.map_or(STORY_PAGE, |n| n as usize);
    let offset = params.offset()?;
    let lang = crate::editions::known_edition(&editions, edition_param(&params)?)?;
    let asked = lang.is_some();
    // A slice of the ranking, and one more to know whether there is a next page.
    let stories = state
        .db(move |s| read_stories(s, order, offset + limit + 1, lang.as_deref()))
        .await?;
    let more = stories.len() > offset + limit;
    let mut items = Vec::with_capacity(limit);
    for (summary, title) in stories.into_iter().skip(offset).take(limit) {
        let mut value = to_json(summary)?;
        retitle_json(&mut value, title, asked);
        items.push(value);
    }
    let next = more.then(|| {
        let at = (offset + limit).to_string();
        crate::api::next_url(&state, &headers, "/api/v1/stories", &params, "offset", &at)
    });
    let link = next.clone();
    crate::api::paged(StoryList { items, next }, link.as_deref())
}

/// `GET /api/v1/stories/{id}?edition=`: the story and its articles, oldest first, titled in
/// `edition`'s language where a translation exists.
pub(crate) async fn api_story(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(raw_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<serde_json::Value>, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["edition", "lang"])?;
    let lang = crate::editions::known_edition(&editions, edition_param(&params)?)?;
    let asked = lang.is_some();
    let (story, retitle, sources) = read_story(&state, &raw_id, lang).await?;
    let mut value = to_json(&story)?;
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "coverage".into(),
            to_json(story_coverage(&story, &sources))?,
        );
    }
    let title = retitle.story_title(
        story.summary.id,
        &story.summary.title,
        title_article(&story).as_ref(),
    );
    retitle_json(&mut value, title, asked);
    if let Some(articles) = value.get_mut("articles").and_then(|a| a.as_array_mut()) {
        for (json, a) in articles.iter_mut().zip(&story.articles) {
            let (t, l) = retitle.title(a.id, &a.title, a.language.as_deref());
            let machine = asked && l != lang_attribute(a.language.as_deref());
            retitle_json(json, (t, l, machine), asked);
            if let (Some(object), Some(src)) = (json.as_object_mut(), sources.get(&a.source_id)) {
                crate::profile::insert_json(object, src);
            }
        }
    }
    crate::sanitize::vet_urls(&mut value);
    Ok(Json(value))
}

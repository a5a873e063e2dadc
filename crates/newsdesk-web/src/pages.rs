//! The server-rendered HTML pages: latest articles, one article, the sources and one source.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use minijinja::Value;
use newsdesk_core::{
    Article, ArticleId, ArticlePage, ArticleQuery, ArticleSummary, SourceWithStats,
};
use newsdesk_store::TranslationStatus;
use serde::Serialize;

use crate::i18n::lang_attribute;
use crate::layout::Ui;
use crate::params::{Params, parse_id};
use crate::relative_time::rfc3339;
use crate::sanitize::{clean_body, host_of, http_url};
use crate::{AppError, AppState, Editions, i18n, layout};

/// Articles per HTML page.
pub(crate) const PAGE_SIZE: u32 = 30;

/// A time as the templates get it: the instant (`iso`, RFC 3339) and its age when the page was
/// made; the templates' `time_ago()` and `time_exact()` turn it into a `<time>` element in the
/// page's language.
#[derive(Serialize)]
pub(crate) struct TimeView {
    iso: String,
    /// Seconds between the time and the moment the page was made (negative: in the future).
    age: i64,
}

impl TimeView {
    pub(crate) fn new(t: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        TimeView {
            iso: rfc3339(t),
            age: (now - t).num_seconds(),
        }
    }
}

/// One article in a list.
#[derive(Serialize)]
pub(crate) struct Card {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) lang: String,
    pub(crate) language: Option<String>,
    pub(crate) source_id: i64,
    pub(crate) source_name: String,
    pub(crate) time: TimeView,
    pub(crate) lead: Option<String>,
    pub(crate) image: Option<String>,
    /// A remark on the card (an edition's translation tag).
    pub(crate) note: Option<String>,
    /// Its source's country and typology.
    pub(crate) profile: crate::profile::ProfileTag,
}

impl Card {
    pub(crate) fn new(s: &ArticleSummary, now: DateTime<Utc>) -> Self {
        Card {
            id: s.id,
            title: s.title.clone(),
            lang: lang_attribute(s.language.as_deref()),
            language: s.language.clone(),
            source_id: s.source_id,
            source_name: s.source_name.clone(),
            time: TimeView::new(s.sort_at, now),
            lead: s.lead.clone().filter(|l| !l.trim().is_empty()),
            image: s.lead_image.as_deref().and_then(http_url),
            note: None,
            profile: crate::profile::ProfileTag::new(
                s.source_country.as_deref(),
                s.source_typology.as_deref(),
            ),
        }
    }
}

/// A list of cards and the link to the next page.
#[derive(Serialize)]
pub(crate) struct Listing {
    pub(crate) items: Vec<Card>,
    pub(crate) next: Option<String>,
    pub(crate) is_first: bool,
    /// The filters' query string (`country=DE&typology=independent`), kept by the pager.
    pub(crate) filter: String,
}

impl Listing {
    pub(crate) fn new(page: &ArticlePage, is_first: bool, now: DateTime<Utc>) -> Self {
        Listing {
            items: page.items.iter().map(|s| Card::new(s, now)).collect(),
            next: page.next.map(|c| c.encode()),
            is_first,
            filter: String::new(),
        }
    }

    /// The same listing, its pager keeping the filters of `query`.
    pub(crate) fn filtered(mut self, query: &ArticleQuery) -> Self {
        let mut f = crate::profile::query_string(&query.profile);
        if let Some(lang) = &query.lang {
            if !f.is_empty() {
                f.push('&');
            }
            f.push_str(&format!("lang={lang}"));
        }
        self.filter = f;
        self
    }
}

/// `GET /`: the latest articles, newest first, keyset-paginated with `?before=`.
pub(crate) async fn index(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    // `/` is the original-language site unless the browser prefers an edition's language;
    // any query (`?before=`, `?original`) keeps the reader here.
    let mut ui = Ui::site(&state);
    if let Some(Extension(editions)) = &editions
        && !editions.list.is_empty()
    {
        if raw.is_none()
            && let Some(lang) =
                crate::editions::preferred_edition(editions, &headers, &state.config.language)
        {
            return Ok(crate::editions::redirect_home(&lang));
        }
        ui.switcher = crate::editions::switcher(editions, None, "/");
    }
    let params = Params::parse(raw.as_deref());
    let before = params.cursor()?;
    let query = home_query(&params, before)?;
    let listing_query = query.clone();
    let articles = state.db(move |s| s.list_articles(&query)).await?;
    let key = if before.is_some() {
        "older-articles"
    } else {
        "latest-articles"
    };
    let title = crate::i18n::message(crate::i18n::FALLBACK, key, None);
    let mut response = layout::render_ui(
        &state,
        &ui,
        "index.html",
        &title,
        Listing::new(&articles, before.is_none(), Utc::now()).filtered(&listing_query),
    )?
    .into_response();
    if !ui.switcher.is_empty() {
        // The same URL answers a redirect to another Accept-Language.
        response.headers_mut().insert(
            axum::http::header::VARY,
            axum::http::HeaderValue::from_static("Accept-Language"),
        );
    }
    Ok(response)
}

/// The home page's query: `before`, and the filters `lang`, `country`, `typology`.
pub(crate) fn home_query(
    params: &Params,
    before: Option<newsdesk_core::Cursor>,
) -> Result<ArticleQuery, AppError> {
    Ok(ArticleQuery {
        before,
        lang: params.lang()?,
        profile: crate::profile::filter(params)?,
        limit: PAGE_SIZE,
        ..Default::default()
    })
}

/// One article, in full.
#[derive(Serialize)]
pub(crate) struct ArticleView {
    id: i64,
    title: String,
    lang: String,
    language: Option<String>,
    authors: String,
    source_id: i64,
    source_name: String,
    published: Option<TimeView>,
    fetched: TimeView,
    url: Option<String>,
    url_host: Option<String>,
    origin_note: Option<String>,
    image: Option<String>,
    tags: Vec<String>,
    body: Value,
    /// The edition's translation, when shown in an edition.
    pub(crate) translation: Option<crate::editions::TranslationView>,
    /// Its story and provenance links (filled by the article page).
    pub(crate) stories: Option<crate::article_links::ArticleStories>,
}

impl ArticleView {
    pub(crate) fn new(a: &Article) -> Self {
        let now = Utc::now();
        let d = &a.data;
        let original = d
            .canonical_url
            .as_deref()
            .and_then(http_url)
            .or_else(|| http_url(&d.url));
        let body = clean_body(&d.body_html, original.as_deref().unwrap_or(&d.url));
        let image = d
            .lead_image
            .as_deref()
            .and_then(http_url)
            .filter(|img| !body.contains(img.as_str()));
        ArticleView {
            id: a.id,
            title: d.title.clone(),
            lang: lang_attribute(d.language.as_deref()),
            language: d.language.clone(),
            authors: d.authors.join(", "),
            source_id: d.source_id,
            source_name: a.source_name.clone(),
            published: d.published_at.map(|t| TimeView::new(t, now)),
            fetched: TimeView::new(d.fetched_at, now),
            url_host: original.as_deref().and_then(host_of),
            url: original,
            origin_note: d.origin.note().map(str::to_string),
            image,
            tags: d.tags.clone(),
            body: layout::trusted_html(body),
            translation: None,
            stories: None,
        }
    }
}

/// `GET /articles/{id}`.
pub(crate) async fn article(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(raw_id): Path<String>,
) -> Result<Html<String>, AppError> {
    let id = parse_id("id", &raw_id)?;
    let (article, links) = state
        .db(move |s| {
            let Some(article) = s.get_article(id)? else {
                return Ok(None);
            };
            Ok(Some((
                article,
                crate::article_links::ArticleLinks::read(s, id, None)?,
            )))
        })
        .await?
        .ok_or_else(|| AppError::not_found(format!("no article with id {id}")))?;
    let title = article.data.title.clone();
    let mut view = ArticleView::new(&article);
    view.stories = Some(links.view());
    // With editions, the switcher leads to this article in each of them.
    let mut ui = layout::Ui::site(&state);
    if let Some(Extension(editions)) = &editions {
        ui.switcher = crate::editions::switcher(editions, None, &format!("/articles/{id}"));
    }
    layout::render_ui(&state, &ui, "article.html", &title, view)
}

/// A source with its fetch state, as shown.
#[derive(Serialize)]
pub(crate) struct SourceView {
    id: i64,
    name: String,
    feed_url: String,
    feed_link: Option<String>,
    site_link: Option<String>,
    language: Option<String>,
    country: Option<String>,
    status: &'static str,
    last_fetch: Option<TimeView>,
    last_error: Option<String>,
    last_http_status: Option<u16>,
    consecutive_failures: u32,
    article_count: u64,
    profile: crate::profile::ProfileView,
}

impl SourceView {
    pub(crate) fn new(s: &SourceWithStats, now: DateTime<Utc>) -> Self {
        SourceView {
            id: s.source.id,
            name: s.source.name.clone(),
            feed_url: s.source.feed_url.clone(),
            feed_link: http_url(&s.source.feed_url),
            site_link: s.source.site_url.as_deref().and_then(http_url),
            language: s.source.language_list(),
            country: s.source.country.clone(),
            status: s.fetch.last_status.as_str(),
            last_fetch: s.fetch.last_fetch_at.map(|t| TimeView::new(t, now)),
            last_error: s.fetch.last_error.clone(),
            last_http_status: s.fetch.last_http_status,
            consecutive_failures: s.fetch.consecutive_failures,
            article_count: s.article_count,
            profile: crate::profile::ProfileView::of(&s.source),
        }
    }
}

/// `GET /sources`.
pub(crate) async fn sources(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
) -> Result<Html<String>, AppError> {
    let mut ui = layout::Ui::site(&state);
    if let Some(Extension(editions)) = &editions {
        ui.switcher = crate::editions::switcher(editions, None, "/sources");
    }
    render_sources(&state, &ui).await
}

/// `GET /{lang}/sources`: the sources, in an edition's interface.
pub(crate) async fn edition_sources(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(lang): Path<String>,
) -> Result<Html<String>, AppError> {
    let (all, edition) = crate::editions::edition_of(&editions, &lang)?;
    let ui = crate::editions::edition_ui(&state, all, edition, "/sources");
    render_sources(&state, &ui).await
}

async fn render_sources(state: &AppState, ui: &layout::Ui) -> Result<Html<String>, AppError> {
    let sources = state.db(|s| s.list_sources()).await?;
    let now = Utc::now();
    let views: Vec<SourceView> = sources.iter().map(|s| SourceView::new(s, now)).collect();
    layout::render_ui(
        state,
        ui,
        "sources.html",
        &crate::i18n::message(&ui.ui, "nav-sources", None),
        minijinja::context! { sources => layout::to_value(views) },
    )
}

/// A source and one page of its latest articles (keyset, `before`); 404 for an unknown id.
/// Shared by the source page and its edition twin.
pub(crate) async fn source_page(
    state: &AppState,
    id: i64,
    before: Option<newsdesk_core::Cursor>,
) -> Result<(newsdesk_core::SourceWithStats, newsdesk_core::ArticlePage), AppError> {
    let query = ArticleQuery {
        source: Some(id),
        before,
        limit: PAGE_SIZE,
        ..Default::default()
    };
    state
        .db(move |s| {
            let Some(source) = s.get_source(id)? else {
                return Ok(None);
            };
            Ok(Some((source, s.list_articles(&query)?)))
        })
        .await?
        .ok_or_else(|| AppError::not_found(format!("no source with id {id}")))
}

/// `GET /sources/{id}`: the source and its latest articles (`?before=`).
pub(crate) async fn source(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(raw_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let id = parse_id("id", &raw_id)?;
    let params = Params::parse(raw.as_deref());
    let before = params.cursor()?;
    let (source, articles) = source_page(&state, id, before).await?;
    let view = SourceView::new(&source, Utc::now());
    let title = source.source.name.clone();
    let mut ui = Ui::site(&state);
    if let Some(Extension(editions)) = &editions {
        ui.switcher = crate::editions::switcher(editions, None, &format!("/sources/{id}"));
    }
    layout::render_ui(
        &state,
        &ui,
        "source.html",
        &title,
        minijinja::context! {
            source => layout::to_value(view),
            listing => layout::to_value(Listing::new(&articles, before.is_none(), Utc::now())),
        },
    )
}

/// Cards of a list, with their translations into `lang` where there are some.
pub(crate) async fn translated_cards(
    state: &AppState,
    listing: &mut Listing,
    lang: &str,
) -> Result<(), AppError> {
    let ids: Vec<ArticleId> = listing.items.iter().map(|c| c.id).collect();
    let owned = lang.to_string();
    let found = state.db(move |s| s.translations(&ids, &owned)).await?;
    for card in &mut listing.items {
        let same = card
            .language
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case(lang));
        if same {
            continue;
        }
        let from = lang_attribute(card.language.as_deref());
        let mut args = FluentArgs::new();
        args.set("lang", from);
        match found.get(&card.id) {
            Some(t) if t.status == TranslationStatus::Translated => {
                if let Some(title) = &t.title {
                    card.title = title.clone();
                }
                if t.lead.is_some() {
                    card.lead = t.lead.clone().filter(|l| !l.trim().is_empty());
                }
                card.lang = lang.to_string();
                card.note = Some(i18n::message(lang, "card-translated", Some(&args)));
            }
            _ => {
                card.note = Some(i18n::message(lang, "card-untranslated", Some(&args)));
            }
        }
    }
    Ok(())
}

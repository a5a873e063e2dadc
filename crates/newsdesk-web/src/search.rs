//! Full-text search: the `/search?q=` page, each edition's `/{lang}/search?q=` and
//! `GET /api/v1/search?q=&limit=`, over the store's FTS5 indexes (titles and body texts of the
//! originals, and of the translations for an edition; best match first).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::response::Html;
use chrono::Utc;
use newsdesk_core::ArticlePage;
use serde::Serialize;

use crate::layout::Ui;
use crate::pages::Listing;
use crate::params::Params;
use crate::{AppError, AppState, Editions, layout};

/// Longest search text accepted, in characters.
pub(crate) const MAX_QUERY_CHARS: usize = 200;
/// Results on the search page.
const PAGE_RESULTS: u32 = 50;

/// The search text: trimmed, at most [`MAX_QUERY_CHARS`] characters, `None` when absent.
fn query_text(params: &Params) -> Result<Option<String>, AppError> {
    match params.get("q")?.map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) if q.chars().count() > MAX_QUERY_CHARS => Err(AppError::bad_request(
            "q",
            format!("longer than {MAX_QUERY_CHARS} characters"),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

/// `country`, `typology` and `lang` (the articles' language; a comma-separated list here).
fn search_filter(params: &Params) -> Result<newsdesk_core::ProfileFilter, AppError> {
    let mut filter = crate::profile::filter(params)?;
    if let Some(langs) = params.get("lang")? {
        for l in langs.split(',').map(str::trim).filter(|l| !l.is_empty()) {
            filter.languages.push(crate::params::parse_lang(l)?);
        }
    }
    Ok(filter)
}

/// What the search page shows.
#[derive(Serialize)]
struct SearchView {
    q: String,
    /// The filters applied (`country=RU&typology=state-controlled`), empty when none.
    filter: String,
    searched: bool,
    listing: Listing,
}

/// `GET /search?q=`: a search form and, when `q` is given, the matching articles.
pub(crate) async fn search_page(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let mut ui = Ui::site(&state);
    if let Some(Extension(editions)) = &editions {
        ui.switcher = crate::editions::switcher(editions, None, "/search");
    }
    render_search(&state, &ui, None, raw).await
}

/// `GET /{lang}/search?q=`: the search page of an edition. It finds articles by the words of
/// their original or of their translation into the edition's language, and shows them in that
/// language where translated.
pub(crate) async fn edition_search_page(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(lang): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let (all, edition) = crate::editions::edition_of(&editions, &lang)?;
    let ui = crate::editions::edition_ui(&state, all, edition, "/search");
    render_search(&state, &ui, Some(&edition.language), raw).await
}

async fn render_search(
    state: &AppState,
    ui: &Ui,
    lang: Option<&str>,
    raw: Option<String>,
) -> Result<Html<String>, AppError> {
    let params = Params::parse(raw.as_deref());
    let q = query_text(&params)?;
    let filter = search_filter(&params)?;
    let shown = crate::profile::query_string(&filter);
    let items = match (q.clone(), lang) {
        (Some(text), Some(lang)) => {
            let lang = lang.to_owned();
            state
                .db(move |s| s.search_edition_filtered(&text, &lang, &filter, PAGE_RESULTS))
                .await?
        }
        (Some(text), None) => {
            state
                .db(move |s| s.search_filtered(&text, &filter, PAGE_RESULTS))
                .await?
        }
        (None, _) => Vec::new(),
    };
    let search = crate::i18n::message(&ui.ui, "nav-search", None);
    let title = match &q {
        Some(text) => format!("{search}: {text}"),
        None => search,
    };
    let mut listing = Listing::new(&ArticlePage { items, next: None }, true, Utc::now());
    if let Some(lang) = lang {
        crate::pages::translated_cards(state, &mut listing, lang).await?;
    }
    let view = SearchView {
        searched: q.is_some(),
        q: q.unwrap_or_default(),
        filter: shown,
        listing,
    };
    layout::render_ui(state, ui, "search.html", &title, view)
}

/// Search results.
#[derive(Serialize)]
pub(crate) struct SearchResults {
    items: Vec<crate::api::ListedArticle>,
    /// The next page's URL (also in the `Link` header), when there is one.
    next: Option<String>,
}

/// `GET /api/v1/search?q=&limit=&offset=&country=&typology=&lang=`.
pub(crate) async fn api_search(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<axum::response::Response, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["q", "limit", "offset", "country", "typology", "lang"])?;
    let q = query_text(&params)?
        .ok_or_else(|| AppError::bad_request("q", "required: the words to search for"))?;
    let limit = params.limit()?.unwrap_or(50) as usize;
    let offset = params.offset()?;
    let filter = search_filter(&params)?;
    // Best match first: the page is a slice of the ranking; the first result of the next page
    // is asked for too (one query), to know whether there is one.
    let (from, page) = (offset as u32, limit as u32);
    let mut items = state
        .db(move |s| {
            let mut items = s.search_page(&q, &filter, from, page)?;
            if items.len() == page as usize {
                items.extend(s.search_page(&q, &filter, from + page, 1)?);
            }
            Ok(items)
        })
        .await?;
    let next = (items.len() > limit).then(|| {
        let at = (offset + limit).to_string();
        crate::api::next_url(&state, &headers, "/api/v1/search", &params, "offset", &at)
    });
    items.truncate(limit);
    let items = items
        .into_iter()
        .map(crate::api::ListedArticle::plain)
        .collect();
    let link = next.clone();
    crate::api::paged(SearchResults { items, next }, link.as_deref())
}

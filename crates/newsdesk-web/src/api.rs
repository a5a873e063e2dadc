//! The JSON API under `/api/v1/`: articles (filtered, keyset-paginated), one article in full,
//! sources, and the OpenAPI document that describes exactly these routes.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use newsdesk_core::{
    Article, ArticleId, ArticleQuery, ArticleSummary, ContentOrigin, SourceId, SourceWithStats,
};
use serde::Serialize;

use crate::params::{Params, parse_id};
use crate::sanitize::{clean_body, http_url};
use crate::{AppError, AppState};

/// The OpenAPI 3.1 description of this API, written by hand.
pub(crate) const OPENAPI: &str = include_str!("openapi.json");

/// A page of articles.
#[derive(Serialize)]
pub(crate) struct ArticleList {
    items: Vec<ArticleSummary>,
    next: Option<String>,
}

/// `GET /api/v1/articles?source=&lang=&since=&until=&limit=&before=`.
pub(crate) async fn list_articles(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ArticleList>, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["source", "lang", "since", "until", "limit", "before"])?;
    let query = ArticleQuery {
        source: params.source()?,
        lang: params.lang()?,
        since: params.time("since")?,
        until: params.time("until")?,
        before: params.cursor()?,
        limit: params.limit()?.unwrap_or(50),
    };
    if let (Some(since), Some(until)) = (query.since, query.until)
        && since >= until
    {
        return Err(AppError::bad_request("until", "must be later than `since`"));
    }
    let page = state.db(move |s| s.list_articles(&query)).await?;
    Ok(Json(ArticleList {
        items: page.items,
        next: page.next.map(|c| c.encode()),
    }))
}

/// The source an article came from.
#[derive(Serialize)]
struct SourceRef {
    id: SourceId,
    name: String,
}

/// One article in full, as the API returns it.
#[derive(Serialize)]
pub(crate) struct ArticleJson {
    id: ArticleId,
    title: String,
    url: String,
    canonical_url: Option<String>,
    source: SourceRef,
    authors: Vec<String>,
    published_at: Option<DateTime<Utc>>,
    modified_at: Option<DateTime<Utc>>,
    fetched_at: DateTime<Utc>,
    sort_at: DateTime<Utc>,
    language: Option<String>,
    summary: Option<String>,
    lead_image: Option<String>,
    tags: Vec<String>,
    origin: ContentOrigin,
    body_html: String,
    body_text: String,
    /// Its story and provenance links (`story`, `provenance`, `copies`).
    #[serde(flatten)]
    links: crate::stories::ArticleLinksJson,
}

impl From<Article> for ArticleJson {
    fn from(a: Article) -> Self {
        let d = a.data;
        let base = d
            .canonical_url
            .as_deref()
            .and_then(http_url)
            .or_else(|| http_url(&d.url))
            .unwrap_or_default();
        ArticleJson {
            id: a.id,
            body_html: clean_body(&d.body_html, &base),
            title: d.title,
            url: d.url,
            canonical_url: d.canonical_url,
            source: SourceRef {
                id: d.source_id,
                name: a.source_name,
            },
            authors: d.authors,
            published_at: d.published_at,
            modified_at: d.modified_at,
            fetched_at: d.fetched_at,
            sort_at: a.sort_at,
            language: d.language,
            summary: d.summary,
            lead_image: d.lead_image,
            tags: d.tags,
            origin: d.origin,
            body_text: d.body_text,
            links: crate::stories::ArticleLinksJson::default(),
        }
    }
}

/// `GET /api/v1/articles/{id}`.
pub(crate) async fn get_article(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Json<ArticleJson>, AppError> {
    let id = parse_id("id", &raw_id)?;
    let (article, links) = state
        .db(move |s| {
            let Some(article) = s.get_article(id)? else {
                return Ok(None);
            };
            Ok(Some((
                article,
                crate::stories::ArticleLinks::read(s, id, None)?,
            )))
        })
        .await?
        .ok_or_else(|| AppError::not_found(format!("no article with id {id}")))?;
    let mut json = ArticleJson::from(article);
    json.links = links.json();
    Ok(Json(json))
}

/// Every source.
#[derive(Serialize)]
pub(crate) struct SourceList {
    items: Vec<SourceWithStats>,
}

/// `GET /api/v1/sources`.
pub(crate) async fn list_sources(
    State(state): State<AppState>,
) -> Result<Json<SourceList>, AppError> {
    let items = state.db(|s| s.list_sources()).await?;
    Ok(Json(SourceList { items }))
}

/// `GET /api/v1/sources/{id}`.
pub(crate) async fn get_source(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Json<SourceWithStats>, AppError> {
    let id = parse_id("id", &raw_id)?;
    state
        .db(move |s| s.get_source(id))
        .await?
        .map(Json)
        .ok_or_else(|| AppError::not_found(format!("no source with id {id}")))
}

/// `GET /api/v1/openapi.json`.
pub(crate) async fn openapi() -> Response {
    let mut response = OPENAPI.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_document_is_json_and_3_1() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert!(doc["paths"]["/api/v1/articles"]["get"].is_object());
    }
}

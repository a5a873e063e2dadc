//! The JSON API under `/api/v1/`: articles (filtered, keyset-paginated), one article in full,
//! sources, and the OpenAPI document that describes exactly these routes.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use newsdesk_core::{
    Article, ArticleId, ArticleQuery, ArticleSummary, ContentOrigin, SourceId, SourceWithStats,
};
use serde::Serialize;

use newsdesk_store::{ArticleTranslation, TranslationStatus};

use crate::params::{Params, parse_id, parse_lang};
use crate::sanitize::{clean_body, http_url, vetted_json};
use crate::{AppError, AppState, Editions, ErrorKind};

/// The OpenAPI 3.1 description of this API, written by hand and held to the code by
/// `tests/api_schema.rs`: the router's operations ([`crate::api_operations`]) are exactly the
/// documented ones, and every answer of every operation is validated against its schema.
pub(crate) const OPENAPI: &str = include_str!("openapi.json");

/// The absolute URL of the next page of `path`: this request's query with `name` = `value`.
pub(crate) fn next_url(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    params: &Params,
    name: &str,
    value: &str,
) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    format!(
        "{}{path}?{}",
        state.config.site_base(host),
        params.query_with(name, value)
    )
}

/// `body` as JSON, with a `Link: <next>; rel="next"` header when there is a next page.
pub(crate) fn paged<T: Serialize>(body: T, next: Option<&str>) -> Result<Response, AppError> {
    let mut response = Json(vetted_json(&body)?).into_response();
    if let Some(next) = next
        && let Ok(v) = HeaderValue::from_str(&format!("<{next}>; rel=\"next\""))
    {
        response.headers_mut().insert(header::LINK, v);
    }
    Ok(response)
}

/// A page of articles.
#[derive(Serialize)]
pub(crate) struct ArticleList {
    items: Vec<ListedArticle>,
    /// The next page's URL, ready to follow (also in the `Link` header), when there is one.
    next: Option<String>,
}

/// An article in a list; with `edition`, its title and lead in that language when translated.
#[derive(Serialize)]
pub(crate) struct ListedArticle {
    #[serde(flatten)]
    summary: ArticleSummary,
    /// Its source's typology group: `state-controlled`, `independent` or `not-classified`.
    source_typology_group: &'static str,
    /// With `edition`: the article's own language.
    #[serde(skip_serializing_if = "Option::is_none")]
    original_lang: Option<Option<String>>,
    /// With `edition`: the original title, when the title shown is a translation.
    #[serde(skip_serializing_if = "Option::is_none")]
    original_title: Option<String>,
    /// With `edition`: whether the title and lead are a translation.
    #[serde(skip_serializing_if = "Option::is_none")]
    translated: Option<bool>,
}

impl ListedArticle {
    /// The summary as stored, with its source's typology group.
    pub(crate) fn plain(summary: ArticleSummary) -> Self {
        ListedArticle {
            source_typology_group: group_of(&summary),
            summary,
            original_lang: None,
            original_title: None,
            translated: None,
        }
    }

    /// The summary in `edition`'s language, from its stored translation (if any).
    fn in_edition(
        mut summary: ArticleSummary,
        t: Option<&ArticleTranslation>,
        edition: &str,
    ) -> Self {
        let original_lang = summary.language.clone();
        let same = original_lang
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case(edition));
        let t = t.filter(|t| !same && t.status == TranslationStatus::Translated);
        let mut original_title = None;
        if let Some(t) = t {
            if let Some(title) = t.title.clone().filter(|x| !x.trim().is_empty()) {
                original_title = Some(std::mem::replace(&mut summary.title, title));
            }
            if t.lead.is_some() {
                summary.lead = t.lead.clone();
            }
            summary.language = Some(edition.to_string());
        }
        ListedArticle {
            source_typology_group: group_of(&summary),
            summary,
            original_lang: Some(original_lang),
            original_title,
            translated: Some(t.is_some()),
        }
    }
}

fn group_of(s: &ArticleSummary) -> &'static str {
    newsdesk_core::TypologyGroup::of(s.source_typology.as_deref()).as_str()
}

/// `edition`: a 2–3 letter language tag.
fn edition(params: &Params) -> Result<Option<String>, AppError> {
    params
        .get("edition")?
        .map(|v| {
            parse_lang(v).map_err(|_| {
                AppError::bad_request(
                    "edition",
                    format!("{v:?} is not a 2 or 3 letter ISO 639 code such as \"fr\""),
                )
            })
        })
        .transpose()
}

/// `GET /api/v1/articles?source=&lang=&country=&typology=&since=&until=&limit=&before=&edition=`.
pub(crate) async fn list_articles(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&[
        "source", "lang", "since", "until", "limit", "before", "edition", "country", "typology",
    ])?;
    let edition = crate::editions::known_edition(&editions, edition(&params)?)?;
    let query = ArticleQuery {
        source: params.source()?,
        lang: params.lang()?,
        profile: crate::profile::filter(&params)?,
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
    let (page, mut found) = state
        .db(move |s| {
            let page = s.list_articles(&query)?;
            let found = match &edition {
                Some(lang) => {
                    let ids: Vec<ArticleId> = page.items.iter().map(|a| a.id).collect();
                    Some((lang.clone(), s.translations(&ids, lang)?))
                }
                None => None,
            };
            Ok((page, found))
        })
        .await?;
    let items = page
        .items
        .into_iter()
        .map(|summary| match &mut found {
            Some((lang, found)) => {
                let t = found.remove(&summary.id);
                ListedArticle::in_edition(summary, t.as_ref(), lang)
            }
            None => ListedArticle::plain(summary),
        })
        .collect();
    let next = page.next.map(|c| {
        next_url(
            &state,
            &headers,
            "/api/v1/articles",
            &params,
            "before",
            &c.encode(),
        )
    });
    let link = next.clone();
    paged(ArticleList { items, next }, link.as_deref())
}

/// The source an article came from, with its country and typology.
#[derive(Serialize)]
struct SourceRef {
    id: SourceId,
    name: String,
    country: Option<String>,
    typology: Option<String>,
    typology_group: &'static str,
    owner: Option<String>,
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
    links: crate::article_links::ArticleLinksJson,
    /// Its translations into the editions' languages (the original above is never replaced).
    translations: Vec<TranslationJson>,
}

/// One stored translation of an article, as the API returns it.
#[derive(Serialize)]
pub(crate) struct TranslationJson {
    /// The edition's language.
    lang: String,
    /// The language it was translated from.
    source_lang: String,
    /// `translated`, or `untranslated` (no route, or the backends failed).
    status: &'static str,
    title: Option<String>,
    lead: Option<String>,
    /// Whether the body is translated too (else it is translated on first view, or never).
    body_available: bool,
    /// The backends used, in order, joined with ` + ` (empty when untranslated).
    backend: String,
    /// The route taken, e.g. `en →es [apertium] →fr [apertium]`.
    route: String,
    /// Machine translation (else human).
    machine: bool,
    /// Segments kept in the original language.
    kept_segments: u32,
    /// Why it is untranslated, or a remark.
    note: Option<String>,
    translated_at: DateTime<Utc>,
}

impl From<ArticleTranslation> for TranslationJson {
    fn from(t: ArticleTranslation) -> Self {
        let mut backends: Vec<String> = Vec::new();
        for b in t.backends {
            if !backends.contains(&b) {
                backends.push(b);
            }
        }
        TranslationJson {
            lang: t.language,
            source_lang: t.source_language,
            status: t.status.as_str(),
            title: t.title,
            lead: t.lead,
            body_available: t.body_text.is_some(),
            backend: backends.join(" + "),
            route: t.route,
            machine: t.machine,
            kept_segments: t.kept_segments,
            note: t.note,
            translated_at: t.translated_at,
        }
    }
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
                country: None,
                typology: None,
                typology_group: newsdesk_core::TypologyGroup::NotClassified.as_str(),
                owner: None,
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
            links: crate::article_links::ArticleLinksJson::default(),
            translations: Vec::new(),
        }
    }
}

/// `GET /api/v1/articles/{id}`.
pub(crate) async fn get_article(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let id = parse_id("id", &raw_id)?;
    let (article, links, translations) = state
        .db(move |s| {
            let Some(article) = s.get_article(id)? else {
                return Ok(None);
            };
            let links = crate::article_links::ArticleLinks::read(s, id, None)?;
            Ok(Some((article, links, s.article_translations(id)?)))
        })
        .await?
        .ok_or_else(|| AppError::not_found(format!("no article with id {id}")))?;
    let mut json = ArticleJson::from(article);
    if let Some(src) = links.source() {
        json.source.country = src.country.clone();
        json.source.typology = src.profile.typology.clone();
        json.source.typology_group = src.profile.group().as_str();
        json.source.owner = src.profile.owner.clone();
    }
    json.links = links.json();
    json.translations = translations
        .into_iter()
        .map(TranslationJson::from)
        .collect();
    Ok(Json(vetted_json(&json)?))
}

/// A source as the API gives it: its profile (`owner`, `typology`, `media_type`,
/// `matrix_asset`, `facts` with each fact's origin and reference) and the derived
/// `typology_group`, `country_name` and the classification's `credit`.
#[derive(Serialize)]
pub(crate) struct SourceJson {
    #[serde(flatten)]
    source: SourceWithStats,
    typology_group: &'static str,
    country_name: Option<String>,
    credit: Option<&'static str>,
}

impl SourceJson {
    /// The source with its derived fields; `names` are the operator's country names
    /// (`[web] country_names`), the rest are CLDR's English names.
    fn new(source: SourceWithStats, names: &std::collections::BTreeMap<String, String>) -> Self {
        let s = &source.source;
        let from_matrix = s.profile.origin("typology") == Some(newsdesk_core::FactOrigin::Matrix);
        SourceJson {
            typology_group: s.profile.group().as_str(),
            country_name: s
                .country
                .as_deref()
                .and_then(|c| crate::countries::name(c, crate::i18n::FALLBACK, names)),
            credit: from_matrix.then_some(crate::profile::MATRIX_CREDIT),
            source,
        }
    }
}

/// Every source.
#[derive(Serialize)]
pub(crate) struct SourceList {
    items: Vec<SourceJson>,
    /// The next page's URL (also in the `Link` header), when there is one.
    next: Option<String>,
}

/// `GET /api/v1/sources?country=&typology=`.
pub(crate) async fn list_sources(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["country", "typology", "limit", "offset"])?;
    let filter = crate::profile::filter(&params)?;
    let limit = params.limit()?.unwrap_or(100) as usize;
    let offset = params.offset()?;
    let mut items: Vec<SourceJson> = state
        .db(|s| s.list_sources())
        .await?
        .into_iter()
        .filter(|s| {
            filter.matches(
                s.source.country.as_deref(),
                s.source.profile.typology.as_deref(),
            )
        })
        .skip(offset)
        .map(|s| SourceJson::new(s, &state.config.country_names))
        .collect();
    let next = (items.len() > limit).then(|| {
        let at = (offset + limit).to_string();
        next_url(&state, &headers, "/api/v1/sources", &params, "offset", &at)
    });
    items.truncate(limit);
    let link = next.clone();
    paged(SourceList { items, next }, link.as_deref())
}

/// `GET /api/v1/sources/{id}`.
pub(crate) async fn get_source(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let id = parse_id("id", &raw_id)?;
    let source = state
        .db(move |s| s.get_source(id))
        .await?
        .ok_or_else(|| AppError::not_found(format!("no source with id {id}")))?;
    Ok(Json(vetted_json(&SourceJson::new(
        source,
        &state.config.country_names,
    ))?))
}

/// Lets the request through when it carries the operator's token as
/// `Authorization: Bearer <token>`: 403 when no token is configured (the API is read-only),
/// 401 when it is missing or wrong.
fn authorize(config: &crate::WebConfig, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(token) = &config.operator_token else {
        return Err(AppError {
            kind: ErrorKind::Forbidden,
            message: "the API is read-only: no operator token is configured (set [web] \
                      operator_token or $NEWSDESK_OPERATOR_TOKEN to allow edits)"
                .into(),
        });
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, value) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| value.trim())
        });
    let message = match given {
        Some(given) if token.matches(given) => return Ok(()),
        Some(_) => "wrong operator token",
        None => "send the operator's token as `Authorization: Bearer <token>`",
    };
    tracing::warn!(stage = "web", "API write refused: {message}");
    Err(AppError {
        kind: ErrorKind::Unauthorized,
        message: message.into(),
    })
}

/// `PATCH /api/v1/sources/{id}/profile` with the operator's token and a JSON object of the
/// fields to change (`country`, `language`, `owner`, `typology`, `media_type`, `name`,
/// `site`; `""` clears a field, handing it back to the State Media Matrix or the guess):
/// the CLI's `sources edit`, through the same [`newsdesk_sources::apply_edit`]. Answers the
/// source as stored.
pub(crate) async fn patch_profile(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, AppError> {
    authorize(&state.config, &headers)?;
    let id = parse_id("id", &raw_id)?;
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    let body_error = |message: String| AppError {
        kind: ErrorKind::BadRequest,
        message,
    };
    if !json {
        return Err(body_error(
            "the body must be JSON, sent with `Content-Type: application/json`".into(),
        ));
    }
    let edit: newsdesk_sources::ProfileEdit = serde_json::from_slice(&body)
        .map_err(|e| body_error(format!("the body is not a profile edit: {e}")))?;
    if edit.is_empty() {
        return Err(body_error(
            "the body changes nothing: give at least one of country, language, owner, \
             typology, media_type, name, site"
                .into(),
        ));
    }
    // A read-modify-write: it starts from the primary's rows, and answers them, never a
    // replica's that may lag behind.
    let store = state.store.primary();
    let source = tokio::task::spawn_blocking(move || {
        let reference = "newsdesk JSON API (operator token)";
        newsdesk_sources::apply_edit(&store, id, &edit, reference)?;
        Ok::<_, newsdesk_sources::EditError>(store.get_source(id)?)
    })
    .await
    .map_err(|e| AppError::internal(format!("web: store task failed: {e}")))?
    .map_err(|e| match e {
        newsdesk_sources::EditError::NoSource(id) => {
            AppError::not_found(format!("no source with id {id}"))
        }
        newsdesk_sources::EditError::Invalid {
            field,
            value,
            expected,
        } => AppError::bad_request(field, format!("{value:?} is not {expected}")),
        other => AppError::internal(format!("web: profile edit failed: {other}")),
    })?
    .ok_or_else(|| AppError::not_found(format!("no source with id {id}")))?;
    tracing::info!(
        stage = "web",
        source_id = id,
        "source profile edited through the API"
    );
    Ok(Json(vetted_json(&SourceJson::new(
        source,
        &state.config.country_names,
    ))?))
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
    fn tokens_are_checked_whole_and_read_only_without_one() {
        let mut config = crate::WebConfig::default();
        let mut headers = HeaderMap::new();
        let kind = |c: &crate::WebConfig, h: &HeaderMap| authorize(c, h).err().map(|e| e.kind);
        assert_eq!(kind(&config, &headers), Some(ErrorKind::Forbidden));
        config.operator_token = crate::OperatorToken::new("0123456789abcdef").ok();
        assert_eq!(kind(&config, &headers), Some(ErrorKind::Unauthorized));
        for (value, want) in [
            ("Bearer 0123456789abcdef", None),
            ("bearer  0123456789abcdef ", None),
            ("Bearer 0123456789abcdeF", Some(ErrorKind::Unauthorized)),
            ("Basic 0123456789abcdef", Some(ErrorKind::Unauthorized)),
            ("0123456789abcdef", Some(ErrorKind::Unauthorized)),
        ] {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            assert_eq!(kind(&config, &headers), want, "{value}");
        }
    }

    #[test]
    fn openapi_document_is_json_and_3_1() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert!(doc["paths"]["/api/v1/articles"]["get"].is_object());
    }
}

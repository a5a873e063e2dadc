//! The pages and feeds of an edition (`/{lang}/`, `/{lang}/articles/{id}`, `/{lang}/sources/{id}`,
//! `/{lang}/feed.*`): the original site's pages and feeds ([`crate::pages`], [`crate::feeds`])
//! with every article shown in its translation. Which editions exist and their interface are
//! [`crate::editions`].

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use fluent_bundle::FluentArgs;
use newsdesk_core::escape;
use newsdesk_core::{Article, ArticleId};
use newsdesk_store::TranslationStatus;

use crate::editions::{
    BodyTranslation, Editions, TranslationView, backends_label, edition_of, edition_ui,
};
use crate::feeds::{self, FeedData, FeedScope, Format};
use crate::pages::translated_cards;
use crate::pages::{self, ArticleView, Listing, SourceView};
use crate::params::{Params, parse_id};
use crate::{AppError, AppState, i18n, layout};

/// `GET /{lang}` (no slash): to the edition's home, `/{lang}/`, with the query.
pub(crate) async fn edition_root(
    editions: Option<Extension<Arc<Editions>>>,
    Path(lang): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    // Any other one-segment path is simply not a page (`/api`, `/feed`).
    let edition = editions
        .as_ref()
        .and_then(|Extension(e)| e.get(&lang))
        .ok_or_else(|| AppError::not_found(format!("no such page: /{lang}")))?;
    let query = raw.map(|q| format!("?{q}")).unwrap_or_default();
    Ok(Redirect::permanent(&format!("/{}/{query}", edition.language)).into_response())
}

/// `GET /{lang}/`: the latest articles, translated into the edition's language.
pub(crate) async fn home(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(lang): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let (all, edition) = edition_of(&editions, &lang)?;
    let ui = edition_ui(&state, all, edition, "/");
    let params = Params::parse(raw.as_deref());
    let before = params.cursor()?;
    let query = crate::pages::home_query(&params, before)?;
    let listing_query = query.clone();
    let articles = state.db(move |s| s.list_articles(&query)).await?;
    let mut listing =
        Listing::new(&articles, before.is_none(), Utc::now()).filtered(&listing_query);
    translated_cards(&state, &mut listing, &edition.language).await?;
    let key = if before.is_some() {
        "older-articles"
    } else {
        "latest-articles"
    };
    let title = i18n::message(&ui.ui, key, None);
    layout::render_ui(&state, &ui, "index.html", &title, listing)
}

/// `GET /{lang}/articles/{id}`: the article translated, with a notice saying so, a link to the
/// original and a toggle (`?show=original`, `?show=both`) that works without JavaScript.
pub(crate) async fn article(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path((lang, raw_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let (all, edition) = edition_of(&editions, &lang)?;
    let id = parse_id("id", &raw_id)?;
    let ui = edition_ui(&state, all, edition, &format!("/articles/{id}"));
    let params = Params::parse(raw.as_deref());
    let show = match params.get("show")? {
        None | Some("translation") => "translation",
        Some("original") => "original",
        Some("both") => "both",
        Some(other) => {
            return Err(AppError::bad_request(
                "show",
                format!("{other:?} is not one of translation, original, both"),
            ));
        }
    };
    let target = edition.language.clone();
    let (article, mut translation, links) = state
        .db(move |s| {
            let Some(a) = s.get_article(id)? else {
                return Ok(None);
            };
            let t = s.translation(id, &target)?;
            let links = crate::article_links::ArticleLinks::read(s, id, Some(&target))?;
            Ok(Some((a, t, links)))
        })
        .await?
        .ok_or_else(|| AppError::not_found(format!("no article with id {id}")))?;
    let needs_body = translation
        .as_ref()
        .is_some_and(|t| t.status == TranslationStatus::Translated && t.body_text.is_none());
    if needs_body
        && edition.bodies == BodyTranslation::OnView
        && let Some(translator) = &all.body_translator
    {
        match translator.translate_body(id, &edition.language).await {
            Ok(Some(t)) => translation = Some(t),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(article_id = id, language = %edition.language, error = %e,
                    "web: body translation on view failed");
            }
        }
    }
    let same_language = article
        .data
        .language
        .as_deref()
        .is_some_and(|l| l.eq_ignore_ascii_case(&edition.language));
    let mut view = ArticleView::new(&article);
    view.stories = Some(links.view());
    if !same_language {
        view.translation = Some(TranslationView::new(
            translation.as_ref(),
            &article,
            &edition.language,
            show,
        ));
    }
    let title = match (&translation, show) {
        (Some(t), "translation" | "both") if !same_language => t
            .title
            .clone()
            .unwrap_or_else(|| article.data.title.clone()),
        _ => article.data.title.clone(),
    };
    layout::render_ui(&state, &ui, "article.html", &title, view)
}

/// `GET /{lang}/sources/{id}`: a source and its latest articles, translated.
pub(crate) async fn source(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path((lang, raw_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let (all, edition) = edition_of(&editions, &lang)?;
    let id = parse_id("id", &raw_id)?;
    let ui = edition_ui(&state, all, edition, &format!("/sources/{id}"));
    let params = Params::parse(raw.as_deref());
    let before = params.cursor()?;
    let (source, articles) = pages::source_page(&state, id, before).await?;
    let mut listing = Listing::new(&articles, before.is_none(), Utc::now());
    translated_cards(&state, &mut listing, &edition.language).await?;
    let title = source.source.name.clone();
    layout::render_ui(
        &state,
        &ui,
        "source.html",
        &title,
        minijinja::context! {
            source => layout::to_value(SourceView::new(&source, Utc::now())),
            listing => layout::to_value(listing),
        },
    )
}

/// Replaces each article's title, summary and body by its translation into `lang` (with a
/// first paragraph saying so and linking the original), or adds a paragraph saying it is not
/// translated. Text is escaped here; the feed renderers sanitise the body again.
async fn translate_for_feed(
    state: &AppState,
    articles: &mut [Article],
    lang: &str,
    base: &str,
) -> Result<(), AppError> {
    let ids: Vec<ArticleId> = articles.iter().map(|a| a.id).collect();
    let owned = lang.to_string();
    let found = state.db(move |s| s.translations(&ids, &owned)).await?;
    for a in articles.iter_mut() {
        let from = i18n::lang_attribute(a.data.language.as_deref());
        if from.eq_ignore_ascii_case(lang) {
            continue;
        }
        // The original on this site: absolute, on the site's own host (a relative link would
        // resolve against the outlet's page in a feed reader).
        let original = format!("{base}/articles/{}", a.id);
        let mut args = FluentArgs::new();
        args.set("lang", from);
        let link = format!(
            " <a href=\"{}\">{}</a>",
            escape::html(&original),
            escape::html(&i18n::message(lang, "original-page", None))
        );
        match found.get(&a.id) {
            Some(t) if t.status == TranslationStatus::Translated => {
                let mut args = args;
                args.set("backend", backends_label(&t.backends, lang));
                let key = if t.machine {
                    "translated-from"
                } else {
                    "translation-human"
                };
                let note = escape::html(&i18n::message(lang, key, Some(&args))).into_owned();
                let mut html = format!("<p><em>{note}</em>{link}</p>");
                match &t.body_text {
                    Some(body) => {
                        for p in body.lines().filter(|l| !l.trim().is_empty()) {
                            html.push_str(&format!("<p>{}</p>", escape::html(p)));
                        }
                    }
                    None => html.push_str(&a.data.body_html),
                }
                if let Some(title) = &t.title {
                    a.data.title = title.clone();
                }
                if t.lead.is_some() {
                    a.data.summary = t.lead.clone();
                }
                a.data.body_html = html;
                a.data.language = Some(lang.to_string());
            }
            Some(_) => {
                let note = escape::html(&i18n::message(lang, "untranslated-notice", Some(&args)))
                    .into_owned();
                a.data.body_html = format!("<p><em>{note}</em>{link}</p>{}", a.data.body_html);
            }
            None => {
                let note =
                    escape::html(&i18n::message(lang, "untranslated-pending", None)).into_owned();
                a.data.body_html = format!("<p><em>{note}</em>{link}</p>{}", a.data.body_html);
            }
        }
    }
    Ok(())
}

/// The feed of an edition (`scope.prefix` is `/{lang}`): translated articles, with the edition's
/// title and language.
async fn edition_feed(
    state: &AppState,
    editions: &Option<Extension<Arc<Editions>>>,
    headers: &HeaderMap,
    raw: Option<String>,
    mut scope: FeedScope,
    lang: &str,
    format: Format,
) -> Result<Response, AppError> {
    let (_, edition) = edition_of(editions, lang)?;
    scope.prefix = format!("/{}", edition.language);
    let mut data = FeedData::load(state, headers, raw, scope).await?;
    let base = data.base.clone();
    translate_for_feed(state, &mut data.articles, &edition.language, &base).await?;
    let mut config = (*state.config).clone();
    if let Some(title) = &edition.title {
        config.site_title = title.clone();
    }
    config.language = edition.language.clone();
    feeds::render(&config, &data, format)
}

macro_rules! edition_feed_handlers {
    ($($name:ident, $format:expr, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub(crate) async fn $name(
            State(state): State<AppState>,
            editions: Option<Extension<Arc<Editions>>>,
            headers: HeaderMap,
            Path(lang): Path<String>,
            RawQuery(raw): RawQuery,
        ) -> Result<Response, AppError> {
            edition_feed(&state, &editions, &headers, raw, FeedScope::default(), &lang, $format)
                .await
        }
    )*};
}

edition_feed_handlers! {
    atom, Format::Atom, "`GET /{lang}/feed.atom`.";
    rss, Format::Rss, "`GET /{lang}/feed.rss`.";
    json, Format::Json, "`GET /{lang}/feed.json`.";
}

macro_rules! edition_scoped_feed_handlers {
    ($($name:ident, $format:expr, $scope:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub(crate) async fn $name(
            State(state): State<AppState>,
            editions: Option<Extension<Arc<Editions>>>,
            headers: HeaderMap,
            Path((lang, raw_id)): Path<(String, String)>,
            RawQuery(raw): RawQuery,
        ) -> Result<Response, AppError> {
            let id = feeds::path_id("id", &raw_id)?;
            let scope = FeedScope { $scope: Some(id), ..FeedScope::default() };
            edition_feed(&state, &editions, &headers, raw, scope, &lang, $format).await
        }
    )*};
}

edition_scoped_feed_handlers! {
    source_atom, Format::Atom, source, "`GET /{lang}/sources/{id}/feed.atom`.";
    source_rss, Format::Rss, source, "`GET /{lang}/sources/{id}/feed.rss`.";
    source_json, Format::Json, source, "`GET /{lang}/sources/{id}/feed.json`.";
    story_atom, Format::Atom, story, "`GET /{lang}/stories/{id}/feed.atom`.";
    story_rss, Format::Rss, story, "`GET /{lang}/stories/{id}/feed.rss`.";
    story_json, Format::Json, story, "`GET /{lang}/stories/{id}/feed.json`.";
}

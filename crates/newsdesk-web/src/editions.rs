//! Editions: the site in another language, served at `/{lang}/`, with every article shown in
//! its translation (made by the pipeline and kept in the store beside the original).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Extension;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use newsdesk_core::{Article, ArticleId};
use newsdesk_store::{ArticleTranslation, TranslationStatus};
use serde::{Deserialize, Serialize};

use crate::layout::{ORIGINAL_QUERY, SwitchLink, Ui};
use crate::{AppError, AppState, i18n, layout, sanitize};

/// When article bodies are translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyTranslation {
    /// With the title and lead, when the article is ingested.
    #[default]
    Ingest,
    /// When the translated article page is first viewed (titles and leads still at ingest).
    OnView,
}

/// One `[[editions]]` table of newsdesk.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionConfig {
    /// The edition's language (a two- or three-letter tag, e.g. `fr`); served at `/{language}/`.
    pub language: String,
    /// The edition's title (default: the site title).
    #[serde(default)]
    pub title: Option<String>,
    /// Source languages translated into this edition; empty means all.
    #[serde(default)]
    pub translate_from: Vec<String>,
    /// When bodies are translated.
    #[serde(default)]
    pub bodies: BodyTranslation,
}

impl EditionConfig {
    /// An edition in `language` translating every source language at ingest.
    pub fn new(language: &str) -> EditionConfig {
        EditionConfig {
            language: language.to_ascii_lowercase(),
            title: None,
            translate_from: Vec::new(),
            bodies: BodyTranslation::Ingest,
        }
    }

    /// Whether articles in `language` are translated into this edition.
    pub fn translates_from(&self, language: &str) -> bool {
        self.translate_from.is_empty()
            || self
                .translate_from
                .iter()
                .any(|l| l.eq_ignore_ascii_case(language))
    }
}

/// A boxed future answering a body translation request.
pub type BodyFuture =
    Pin<Box<dyn Future<Output = Result<Option<ArticleTranslation>, String>> + Send>>;

/// Translates an article's body on first view (implemented by the binary's pipeline, which
/// owns the translator and writes the result to the store).
pub trait BodyTranslator: Send + Sync {
    /// Translates the body of `article` into `language`, stores it and returns the updated
    /// translation (`None` when the article has no translation row for that language).
    fn translate_body(&self, article: ArticleId, language: &str) -> BodyFuture;
}

/// The configured editions, and the body translator used when bodies are translated on view.
#[derive(Clone, Default)]
pub struct Editions {
    /// The editions, in the order of the configuration (the first is the default).
    pub list: Vec<EditionConfig>,
    /// Body translation on first view (editions with `bodies = "on_view"`).
    pub body_translator: Option<Arc<dyn BodyTranslator>>,
}

impl std::fmt::Debug for Editions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editions")
            .field("list", &self.list)
            .field("body_translator", &self.body_translator.is_some())
            .finish()
    }
}

impl Editions {
    /// Editions without on-view body translation.
    pub fn new(list: Vec<EditionConfig>) -> Editions {
        Editions {
            list,
            body_translator: None,
        }
    }

    /// The edition in `language`, if one is configured.
    pub fn get(&self, language: &str) -> Option<&EditionConfig> {
        self.list
            .iter()
            .find(|e| e.language.eq_ignore_ascii_case(language))
    }
}

/// Native names of edition languages, for the switcher.
fn native_name(lang: &str) -> String {
    match lang {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "de" => "Deutsch",
        "it" => "Italiano",
        "pt" => "Português",
        other => other,
    }
    .to_string()
}

/// How a backend is named on the pages, in `lang` (an interface locale).
fn backend_label(name: &str, lang: &str) -> String {
    match name {
        "apertium" | "apertium-apy" => "Apertium".to_string(),
        "deepl" => "DeepL".to_string(),
        "libretranslate" => "LibreTranslate".to_string(),
        "openai" => i18n::message(lang, "backend-openai", None),
        other => other.to_string(),
    }
}

/// The backends of a translation as named on the pages, each once (a pivot route through
/// one backend names it once).
pub(crate) fn backends_label(backends: &[String], lang: &str) -> String {
    let mut names: Vec<String> = Vec::new();
    for b in backends {
        let name = backend_label(b, lang);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(" + ")
}

/// `GET /` when editions are configured: the edition whose language the browser prefers to the
/// original-language site's interface language (`q`-values honoured), or `None` to stay on
/// `/` (no header, `*`, or a preferred language that is not an edition's).
pub(crate) fn preferred_edition(
    editions: &Editions,
    headers: &HeaderMap,
    site_language: &str,
) -> Option<String> {
    let header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())?;
    let site = site_language
        .split(['-', '_'])
        .next()
        .unwrap_or(i18n::FALLBACK)
        .to_ascii_lowercase();
    let mut available: Vec<&str> = vec!["*", &site];
    available.extend(
        editions
            .list
            .iter()
            .map(|e| e.language.as_str())
            .filter(|l| !l.eq_ignore_ascii_case(&site)),
    );
    i18n::negotiate(header, &available).filter(|l| l != "*" && *l != site)
}

/// The redirect to an edition's home chosen by [`preferred_edition`]. Not cached by
/// intermediaries (it depends on the header).
pub(crate) fn redirect_home(lang: &str) -> Response {
    let mut response = Redirect::to(&format!("/{lang}/")).into_response();
    let h = response.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An `edition` (or `lang`) parameter of the API, checked against the configured editions:
/// an unknown one is a clear 400 naming the editions there are.
pub(crate) fn known_edition(
    editions: &Option<Extension<Arc<Editions>>>,
    lang: Option<String>,
) -> Result<Option<String>, AppError> {
    let Some(lang) = lang else {
        return Ok(None);
    };
    let configured: Vec<&str> = editions
        .as_ref()
        .map(|Extension(e)| e.list.iter().map(|x| x.language.as_str()).collect())
        .unwrap_or_default();
    if configured.iter().any(|c| c.eq_ignore_ascii_case(&lang)) {
        return Ok(Some(lang));
    }
    let there = if configured.is_empty() {
        "this site has no editions".to_string()
    } else {
        format!("editions: {}", configured.join(", "))
    };
    Err(AppError::bad_request(
        "edition",
        format!("no edition {lang:?} ({there})"),
    ))
}

/// The language switcher: the original-language site and each edition's version of `path`
/// (`/`, `/articles/7`…); `current` is the edition of the page (`None` on the original site).
pub(crate) fn switcher(editions: &Editions, current: Option<&str>, path: &str) -> Vec<SwitchLink> {
    let ui = current
        .filter(|l| i18n::has_locale(l))
        .unwrap_or(i18n::FALLBACK);
    let original_href = if path == "/" {
        format!("/?{ORIGINAL_QUERY}")
    } else {
        path.to_string()
    };
    let mut links = vec![SwitchLink {
        lang: String::new(),
        hreflang: "x-default".to_string(),
        label: i18n::message(ui, "switcher-original", None),
        href: original_href,
        current: current.is_none(),
    }];
    links.extend(editions.list.iter().map(|e| SwitchLink {
        lang: e.language.clone(),
        hreflang: e.language.clone(),
        label: native_name(&e.language),
        href: format!("/{}{path}", e.language),
        current: current == Some(e.language.as_str()),
    }));
    links
}

/// The interface of an edition's pages; the switcher leads to `path` in the other editions.
pub(crate) fn edition_ui(
    state: &AppState,
    editions: &Editions,
    edition: &EditionConfig,
    path: &str,
) -> Ui {
    let ui = if i18n::has_locale(&edition.language) {
        edition.language.clone()
    } else {
        i18n::FALLBACK.to_string()
    };
    Ui {
        ui,
        html_lang: edition.language.clone(),
        title: edition
            .title
            .clone()
            .unwrap_or_else(|| state.config.site_title.clone()),
        home: format!("/{}/", edition.language),
        prefix: format!("/{}", edition.language),
        switcher: switcher(editions, Some(&edition.language), path),
    }
}

/// The edition named in the path, or 404.
pub(crate) fn edition_of<'a>(
    editions: &'a Option<Extension<Arc<Editions>>>,
    lang: &str,
) -> Result<(&'a Arc<Editions>, &'a EditionConfig), AppError> {
    let Some(Extension(editions)) = editions else {
        return Err(AppError::not_found(format!("no edition {lang:?}")));
    };
    let edition = editions
        .get(lang)
        .ok_or_else(|| AppError::not_found(format!("no edition {lang:?}")))?;
    Ok((editions, edition))
}

/// An article's translation as the article page shows it.
#[derive(Serialize, Debug)]
pub(crate) struct TranslationView {
    /// `translated`, `untranslated` (no route) or `pending` (not processed yet).
    kind: &'static str,
    /// The edition's language.
    lang: String,
    /// The article's language.
    from: String,
    /// The backends, as named on the page.
    backend: String,
    /// The route taken.
    route: String,
    /// Machine translation (else human).
    machine: bool,
    /// Segments kept in the original language.
    kept: u32,
    /// The translated title.
    title: Option<String>,
    /// The translated body's paragraphs, with the original's figures (images and their
    /// captions) among them where the original has them (`None` until the body is translated).
    paragraphs: Option<Vec<BodyBlock>>,
    /// `translation`, `original` or `both`.
    show: &'static str,
    /// This page without the toggle.
    self_href: String,
    /// The original article on this site.
    original_href: String,
}

impl TranslationView {
    pub(crate) fn new(
        t: Option<&ArticleTranslation>,
        a: &Article,
        lang: &str,
        show: &'static str,
    ) -> Self {
        let from = t
            .map(|t| t.source_language.clone())
            .or_else(|| a.data.language.clone())
            .unwrap_or_default();
        let kind = match t.map(|t| t.status) {
            Some(TranslationStatus::Translated) => "translated",
            Some(TranslationStatus::Untranslated) => "untranslated",
            None => "pending",
        };
        TranslationView {
            kind,
            lang: lang.to_string(),
            from: i18n::lang_attribute(Some(&from)),
            backend: t
                .map(|t| backends_label(&t.backends, lang))
                .unwrap_or_default(),
            route: t.map(|t| t.route.clone()).unwrap_or_default(),
            machine: t.is_none_or(|t| t.machine),
            kept: t.map(|t| t.kept_segments).unwrap_or(0),
            title: t.and_then(|t| t.title.clone()),
            paragraphs: t.and_then(|t| t.body_text.as_deref()).map(|b| {
                let original = a.data.canonical_url.as_deref().unwrap_or(&a.data.url);
                let figures = figures_of(&sanitize::clean_body(&a.data.body_html, original));
                with_figures(b, figures)
            }),
            show,
            self_href: format!("/{lang}/articles/{}", a.id),
            original_href: format!("/articles/{}", a.id),
        }
    }
}

/// One block of a translated body: a translated paragraph, or a figure of the original.
#[derive(Serialize, Debug)]
pub(crate) struct BodyBlock {
    /// The paragraph's text.
    text: Option<String>,
    /// The figure's sanitised HTML.
    figure: Option<minijinja::Value>,
}

/// The figures (`<figure>…</figure>`, and images outside a figure) of sanitised body HTML, each
/// with the number of text blocks (paragraphs, headings, list items, quotations) before it.
fn figures_of(html: &str) -> Vec<(usize, String)> {
    static BLOCK_OR_FIGURE: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| {
            regex::Regex::new(
                r"(?is)<figure\b.*?</figure>|<img\b[^>]*>|<(?:p|h[1-6]|li|blockquote|pre)\b",
            )
            .ok()
        });
    let Some(re) = BLOCK_OR_FIGURE.as_ref() else {
        return Vec::new();
    };
    let mut blocks = 0;
    let mut out = Vec::new();
    for m in re.find_iter(html) {
        let tag = m.as_str();
        let lower = tag.get(..7).unwrap_or(tag).to_ascii_lowercase();
        if lower.starts_with("<img") || lower.starts_with("<figure") {
            out.push((blocks, tag.to_string()));
        } else {
            blocks += 1;
        }
    }
    out
}

/// The translated paragraphs of `body` with `figures` put back after as many paragraphs as
/// preceded them in the original.
fn with_figures(body: &str, figures: Vec<(usize, String)>) -> Vec<BodyBlock> {
    let mut figures = figures.into_iter().peekable();
    let mut out = Vec::new();
    let put =
        |out: &mut Vec<BodyBlock>,
         before: usize,
         figures: &mut std::iter::Peekable<std::vec::IntoIter<(usize, String)>>| {
            while let Some((_, html)) = figures.next_if(|(n, _)| *n <= before) {
                out.push(BodyBlock {
                    text: None,
                    figure: Some(layout::trusted_html(html)),
                });
            }
        };
    for (n, line) in body.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        put(&mut out, n, &mut figures);
        out.push(BodyBlock {
            text: Some(line.to_string()),
            figure: None,
        });
    }
    put(&mut out, usize::MAX, &mut figures);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_of_the_original_are_kept_among_the_translated_paragraphs() {
        let html = "<p>One.</p><figure><img src=\"https://x.example/a.jpg\" alt=\"\"><figcaption>Cap</figcaption></figure><h2>Two</h2><p>Three.</p><img src=\"https://x.example/b.jpg\">";
        let figures = figures_of(html);
        assert_eq!(figures.len(), 2);
        assert_eq!(figures[0].0, 1);
        assert!(figures[0].1.contains("figcaption"));
        assert_eq!(figures[1].0, 3);
        let blocks = with_figures("Un.\nDeux\nTrois.", figures);
        let shape: Vec<&str> = blocks
            .iter()
            .map(|b| if b.figure.is_some() { "F" } else { "P" })
            .collect();
        assert_eq!(shape, vec!["P", "F", "P", "P", "F"]);
        assert_eq!(blocks[0].text.as_deref(), Some("Un."));
    }

    #[test]
    fn backends_are_named_once_in_the_page_language() {
        let pivot = vec!["apertium".to_string(), "apertium".to_string()];
        assert_eq!(backends_label(&pivot, "fr"), "Apertium");
        assert_eq!(
            backends_label(&["openai".to_string()], "de"),
            "ein OpenAI-kompatibles Modell"
        );
        assert_eq!(
            backends_label(&["deepl".to_string(), "openai".to_string()], "en"),
            "DeepL + an OpenAI-compatible model"
        );
        assert_eq!(backends_label(&[], "en"), "");
    }
}

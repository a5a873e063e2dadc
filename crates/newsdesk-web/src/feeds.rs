//! Feeds out: Atom 1.0, RSS 2.0 and JSON Feed 1.1 of the latest articles (`/feed.*`), of one
//! source (`/sources/{id}/feed.*`), of one story (`/stories/{id}/feed.*`), optionally filtered
//! by `?lang=` and `?source=`; editions serve the same under `/{lang}/`. Entries link the
//! ORIGINAL article and name their source; content is the sanitised body, escaped.
//!
//! Every feed says where it lives and what it is the feed of: RSS `<link>` and
//! `atom:link rel="self"`, Atom `rel="self"` and `rel="alternate"`, JSON Feed `feed_url` and
//! `home_page_url`, all absolute, on the site's own host ([`WebConfig::site_base`]). Feed and
//! entry ids are the public URLs when `public_url` is set, else `urn:newsdesk:` ids with this
//! installation's random identity, so two installations never share one.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use newsdesk_core::escape;
use newsdesk_core::{Article, ArticleQuery, ProfileFilter, Source, SourceId, TypologyGroup};
use serde::Serialize;

use crate::params::Params;
use crate::relative_time::rfc3339;
use crate::sanitize::{clean_body, http_url};
use crate::{AppError, AppState, WebConfig};

/// Entries per feed.
const FEED_SIZE: u32 = 50;

/// Which feed: the whole site's, one source's or one story's, on the site or in an edition.
#[derive(Debug, Clone, Default)]
pub(crate) struct FeedScope {
    /// `""`, or `/{lang}` in an edition.
    pub(crate) prefix: String,
    /// One source's feed.
    pub(crate) source: Option<SourceId>,
    /// One story's feed.
    pub(crate) story: Option<i64>,
}

impl FeedScope {
    /// The HTML page the feed is the feed of, from the site's root (`/`, `/sources/3`).
    fn page_path(&self) -> String {
        match (self.source, self.story) {
            (Some(id), _) => format!("{}/sources/{id}", self.prefix),
            (None, Some(id)) => format!("{}/stories/{id}", self.prefix),
            (None, None) => format!("{}/", self.prefix),
        }
    }

    /// The feed's own path without its extension (`/feed`, `/sources/3/feed`).
    fn feed_path(&self) -> String {
        match (self.source, self.story) {
            (Some(id), _) => format!("{}/sources/{id}/feed", self.prefix),
            (None, Some(id)) => format!("{}/stories/{id}/feed", self.prefix),
            (None, None) => format!("{}/feed", self.prefix),
        }
    }
}

/// What a feed shows: filters and the articles with their sources.
pub(crate) struct FeedData {
    lang: Option<String>,
    source: Option<SourceId>,
    /// `country` and `typology` filters.
    profile: ProfileFilter,
    pub(crate) articles: Vec<Article>,
    sources: HashMap<SourceId, Source>,
    scope: FeedScope,
    /// The site's absolute root (no trailing slash).
    pub(crate) base: String,
    /// This installation's identity (for `urn:` ids).
    installation: String,
    /// A title naming the story, for a story's feed.
    story_title: Option<String>,
}

impl FeedData {
    /// Reads the feed of `scope` with the filters of the query `raw`; `headers` give the `Host`
    /// that may build the links (see [`WebConfig::site_base`]).
    pub(crate) async fn load(
        state: &AppState,
        headers: &HeaderMap,
        raw: Option<String>,
        scope: FeedScope,
    ) -> Result<FeedData, AppError> {
        let params = Params::parse(raw.as_deref());
        let lang = params.lang()?;
        let source = match (scope.source, params.source()?) {
            (Some(s), _) => Some(s),
            (None, s) => s,
        };
        let profile = crate::profile::filter(&params)?;
        let query = ArticleQuery {
            lang: lang.clone(),
            source,
            profile: profile.clone(),
            limit: FEED_SIZE,
            ..Default::default()
        };
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string);
        let base = state.config.site_base(host.as_deref());
        let story = scope.story;
        let (articles, sources, installation, story_title) = state
            .db(move |s| {
                let installation = s.installation_id()?;
                let (ids, story_title): (Vec<i64>, Option<String>) = match story {
                    Some(id) => match s.get_story(id)? {
                        Some(d) => {
                            let mut items: Vec<_> = d
                                .articles
                                .iter()
                                .filter(|a| {
                                    query
                                        .lang
                                        .as_deref()
                                        .is_none_or(|l| a.language.as_deref() == Some(l))
                                })
                                .filter(|a| query.source.is_none_or(|src| a.source_id == src))
                                .map(|a| (a.sort_at, a.id))
                                .collect();
                            items.sort_by(|x, y| y.cmp(x));
                            items.truncate(FEED_SIZE as usize);
                            (
                                items.into_iter().map(|(_, id)| id).collect(),
                                Some(d.summary.title),
                            )
                        }
                        None => return Ok(None),
                    },
                    None => (
                        s.list_articles(&query)?
                            .items
                            .iter()
                            .map(|i| i.id)
                            .collect(),
                        None,
                    ),
                };
                let mut articles = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(a) = s.get_article(id)? {
                        articles.push(a);
                    }
                }
                let sources = s
                    .list_sources()?
                    .into_iter()
                    .map(|s| (s.source.id, s.source))
                    .collect::<HashMap<_, _>>();
                Ok(Some((articles, sources, installation, story_title)))
            })
            .await?
            .ok_or_else(|| {
                AppError::not_found(format!("no story with id {}", story.unwrap_or(0)))
            })?;
        if let Some(id) = scope.source
            && !sources.contains_key(&id)
        {
            return Err(AppError::not_found(format!("no source with id {id}")));
        }
        Ok(FeedData {
            lang,
            source,
            profile,
            articles,
            sources,
            scope,
            base,
            installation,
            story_title,
        })
    }

    /// The absolute URL of this feed in `format` (`atom`, `rss`, `json`), with its filters.
    fn self_url(&self, format: &str) -> String {
        let query = if self.scope.source.is_some() {
            self.lang_query()
        } else {
            self.query_string()
        };
        format!("{}{}.{format}{query}", self.base, self.scope.feed_path())
    }

    /// The absolute URL of the HTML page the feed is the feed of.
    fn page_url(&self) -> String {
        format!("{}{}", self.base, self.scope.page_path())
    }

    fn lang_query(&self) -> String {
        self.lang
            .as_ref()
            .map(|l| format!("?lang={l}"))
            .unwrap_or_default()
    }

    /// The feed's title, naming its filters.
    fn title(&self, config: &WebConfig) -> String {
        let mut title = config.site_title.clone();
        if let Some(story) = &self.story_title {
            let _ = write!(title, " — {story}");
        }
        if let Some(name) = self
            .source
            .and_then(|id| self.sources.get(&id))
            .map(|s| s.name.as_str())
        {
            let _ = write!(title, " — {name}");
        }
        if let Some(lang) = &self.lang {
            let _ = write!(title, " — {lang}");
        }
        let filter = crate::profile::query_string(&self.profile);
        if !filter.is_empty() {
            let _ = write!(title, " — {}", filter.replace('&', ", "));
        }
        title
    }

    /// The query string that reproduces the filters (`?lang=fr&source=3`), or empty.
    fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(lang) = &self.lang {
            parts.push(format!("lang={lang}"));
        }
        if let Some(source) = self.source {
            parts.push(format!("source={source}"));
        }
        let filter = crate::profile::query_string(&self.profile);
        if !filter.is_empty() {
            parts.push(filter);
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// A stable id for the feed itself, unique to this installation: its URL under
    /// `public_url`, else a `urn:newsdesk:` id with the installation's identity.
    fn feed_id(&self, config: &WebConfig, format: &str) -> String {
        match config.base_url() {
            Some(_) => self.self_url(format),
            None => {
                let mut id = format!(
                    "urn:newsdesk:{}:{}",
                    self.installation,
                    self.scope
                        .feed_path()
                        .trim_start_matches('/')
                        .replace('/', ":")
                );
                if let Some(lang) = &self.lang {
                    let _ = write!(id, ":lang:{lang}");
                }
                if let Some(source) = self.source.filter(|_| self.scope.source.is_none()) {
                    let _ = write!(id, ":source:{source}");
                }
                let filter = crate::profile::query_string(&self.profile);
                if !filter.is_empty() {
                    let _ = write!(id, ":{}", filter.replace(['&', '='], ":"));
                }
                id
            }
        }
    }

    /// When the feed last changed: its newest entry's update time (deterministic, so the
    /// `ETag` only changes when the content does).
    fn updated(&self) -> DateTime<Utc> {
        self.articles
            .iter()
            .map(entry_updated)
            .max()
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }
}

/// The feed categories that carry a source's profile: `(scheme, term, label)` for its country
/// and its typology (group, then the code when classified).
fn profile_categories(s: &Source) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if let Some(c) = &s.country {
        let name = newsdesk_sources::country_name(c).unwrap_or(c);
        out.push(("urn:newsdesk:source-country", c.clone(), name.to_owned()));
    }
    let group = s.profile.group().as_str();
    out.push((
        "urn:newsdesk:source-typology-group",
        group.to_owned(),
        group.replace('-', " "),
    ));
    if let Some(t) = &s.profile.typology {
        out.push(("urn:newsdesk:source-typology", t.clone(), t.clone()));
    }
    out
}

/// A stable id for an entry: its permalink on this site when the public URL is known, else a
/// `urn:newsdesk:` id with the installation's identity.
fn entry_id(config: &WebConfig, data: &FeedData, a: &Article) -> String {
    match config.base_url() {
        Some(base) => format!("{base}{}/articles/{}", data.scope.prefix, a.id),
        None => {
            let edition = data.scope.prefix.trim_start_matches('/');
            if edition.is_empty() {
                format!("urn:newsdesk:{}:article:{}", data.installation, a.id)
            } else {
                format!(
                    "urn:newsdesk:{}:{edition}:article:{}",
                    data.installation, a.id
                )
            }
        }
    }
}

fn entry_updated(a: &Article) -> DateTime<Utc> {
    a.data
        .modified_at
        .filter(|m| *m >= a.sort_at && *m <= a.data.fetched_at)
        .unwrap_or(a.sort_at)
}

/// The original article's URL, when it is a web address.
fn original_url(a: &Article) -> Option<String> {
    a.data
        .canonical_url
        .as_deref()
        .and_then(http_url)
        .or_else(|| http_url(&a.data.url))
}

/// The entry's content: the sanitised body, or the escaped summary when there is no body.
fn content_html(a: &Article) -> String {
    let base = original_url(a).unwrap_or_default();
    let body = clean_body(&a.data.body_html, &base);
    if body.trim().is_empty() {
        let summary = a.data.summary.as_deref().unwrap_or_default();
        format!("<p>{}</p>", escape::xml(summary))
    } else {
        body
    }
}

pub(crate) fn respond(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A feed's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Atom,
    Rss,
    Json,
}

/// `data` in `format`, as a response.
pub(crate) fn render(
    config: &WebConfig,
    data: &FeedData,
    format: Format,
) -> Result<Response, AppError> {
    Ok(match format {
        Format::Atom => respond(
            "application/atom+xml; charset=utf-8",
            render_atom(config, data),
        ),
        Format::Rss => respond(
            "application/rss+xml; charset=utf-8",
            render_rss(config, data),
        ),
        Format::Json => {
            let body = serde_json::to_string_pretty(&render_json(config, data)).map_err(|e| {
                AppError::internal(format!("web: JSON Feed serialisation failed: {e}"))
            })?;
            respond("application/feed+json; charset=utf-8", body)
        }
    })
}

async fn site_feed(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<String>,
    scope: FeedScope,
    format: Format,
) -> Result<Response, AppError> {
    let data = FeedData::load(state, headers, raw, scope).await?;
    render(&state.config, &data, format)
}

/// A source or story id from a feed's path.
pub(crate) fn path_id(name: &str, raw: &str) -> Result<i64, AppError> {
    match raw.parse::<i64>() {
        Ok(id) if id >= 0 => Ok(id),
        _ => Err(AppError::bad_request(
            name,
            format!(
                "{:?} is not an id (a non-negative integer)",
                raw.chars().take(64).collect::<String>()
            ),
        )),
    }
}

macro_rules! feed_handlers {
    ($($name:ident, $format:expr, $scope:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub(crate) async fn $name(
            State(state): State<AppState>,
            headers: HeaderMap,
            Path(raw_id): Path<String>,
            RawQuery(raw): RawQuery,
        ) -> Result<Response, AppError> {
            let id = path_id("id", &raw_id)?;
            let scope = FeedScope { $scope: Some(id), ..FeedScope::default() };
            site_feed(&state, &headers, raw, scope, $format).await
        }
    )*};
}

feed_handlers! {
    source_atom, Format::Atom, source, "`GET /sources/{id}/feed.atom`.";
    source_rss, Format::Rss, source, "`GET /sources/{id}/feed.rss`.";
    source_json, Format::Json, source, "`GET /sources/{id}/feed.json`.";
    story_atom, Format::Atom, story, "`GET /stories/{id}/feed.atom`.";
    story_rss, Format::Rss, story, "`GET /stories/{id}/feed.rss`.";
    story_json, Format::Json, story, "`GET /stories/{id}/feed.json`.";
}

/// `GET /feed.atom`.
pub(crate) async fn atom(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    site_feed(&state, &headers, raw, FeedScope::default(), Format::Atom).await
}

pub(crate) fn render_atom(config: &WebConfig, data: &FeedData) -> String {
    let mut x = String::with_capacity(64 * 1024);
    x.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    if let Some(lang) = &data.lang {
        let _ = write!(x, " xml:lang=\"{}\"", escape::xml(lang));
    }
    x.push_str(">\n");
    let _ = writeln!(x, "<id>{}</id>", escape::xml(&data.feed_id(config, "atom")));
    let _ = writeln!(
        x,
        "<title type=\"text\">{}</title>",
        escape::xml(&data.title(config))
    );
    let _ = writeln!(x, "<updated>{}</updated>", rfc3339(data.updated()));
    let _ = writeln!(
        x,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape::xml(&data.self_url("atom"))
    );
    let _ = writeln!(
        x,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape::xml(&data.page_url())
    );
    let _ = writeln!(
        x,
        "<author><name>{}</name></author>",
        escape::xml(&config.site_title)
    );
    x.push_str("<generator>newsdesk</generator>\n");
    for a in &data.articles {
        let d = &a.data;
        x.push_str("<entry");
        if let Some(lang) = &d.language {
            let _ = write!(x, " xml:lang=\"{}\"", escape::xml(lang));
        }
        x.push_str(">\n");
        let _ = writeln!(x, "<id>{}</id>", escape::xml(&entry_id(config, data, a)));
        let _ = writeln!(x, "<title type=\"text\">{}</title>", escape::xml(&d.title));
        if let Some(url) = original_url(a) {
            let _ = writeln!(
                x,
                "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
                escape::xml(&url)
            );
        }
        if let Some(p) = d.published_at {
            let _ = writeln!(x, "<published>{}</published>", rfc3339(p));
        }
        let _ = writeln!(x, "<updated>{}</updated>", rfc3339(entry_updated(a)));
        if d.authors.is_empty() {
            let _ = writeln!(
                x,
                "<author><name>{}</name></author>",
                escape::xml(&a.source_name)
            );
        }
        for author in &d.authors {
            let _ = writeln!(x, "<author><name>{}</name></author>", escape::xml(author));
        }
        for tag in &d.tags {
            let _ = writeln!(x, "<category term=\"{}\"/>", escape::xml(tag));
        }
        if let Some(src) = data.sources.get(&d.source_id) {
            for (scheme, term, label) in profile_categories(src) {
                let _ = writeln!(
                    x,
                    "<category scheme=\"{scheme}\" term=\"{}\" label=\"{}\"/>",
                    escape::xml(&term),
                    escape::xml(&label)
                );
            }
        }
        x.push_str("<source>");
        if let Some(source) = data.sources.get(&d.source_id) {
            let _ = write!(x, "<id>{}</id>", escape::xml(&source.feed_url));
            if let Some(feed) = http_url(&source.feed_url) {
                let _ = write!(x, "<link rel=\"self\" href=\"{}\"/>", escape::xml(&feed));
            }
        }
        let _ = writeln!(
            x,
            "<title type=\"text\">{}</title></source>",
            escape::xml(&a.source_name)
        );
        if let Some(summary) = d.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            let _ = writeln!(
                x,
                "<summary type=\"text\">{}</summary>",
                escape::xml(summary)
            );
        }
        let _ = writeln!(
            x,
            "<content type=\"html\">{}</content>",
            escape::xml(&content_html(a))
        );
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// `GET /feed.rss`.
pub(crate) async fn rss(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    site_feed(&state, &headers, raw, FeedScope::default(), Format::Rss).await
}

pub(crate) fn render_rss(config: &WebConfig, data: &FeedData) -> String {
    let mut x = String::with_capacity(64 * 1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
    let _ = writeln!(x, "<title>{}</title>", escape::xml(&data.title(config)));
    let _ = writeln!(x, "<link>{}</link>", escape::xml(&data.page_url()));
    let _ = writeln!(
        x,
        "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{}\"/>",
        escape::xml(&data.self_url("rss"))
    );
    let _ = writeln!(
        x,
        "<description>Latest articles collected by {}</description>",
        escape::xml(&config.site_title)
    );
    if let Some(lang) = &data.lang {
        let _ = writeln!(x, "<language>{}</language>", escape::xml(lang));
    }
    let _ = writeln!(
        x,
        "<lastBuildDate>{}</lastBuildDate>",
        data.updated().to_rfc2822()
    );
    x.push_str("<generator>newsdesk</generator>\n");
    for a in &data.articles {
        let d = &a.data;
        x.push_str("<item>\n");
        let _ = writeln!(x, "<title>{}</title>", escape::xml(&d.title));
        if let Some(url) = original_url(a) {
            let _ = writeln!(x, "<link>{}</link>", escape::xml(&url));
        }
        let _ = writeln!(
            x,
            "<guid isPermaLink=\"false\">{}</guid>",
            escape::xml(&entry_id(config, data, a))
        );
        let _ = writeln!(
            x,
            "<pubDate>{}</pubDate>",
            d.published_at.unwrap_or(a.sort_at).to_rfc2822()
        );
        for author in &d.authors {
            let _ = writeln!(x, "<dc:creator>{}</dc:creator>", escape::xml(author));
        }
        for tag in &d.tags {
            let _ = writeln!(x, "<category>{}</category>", escape::xml(tag));
        }
        if let Some(src) = data.sources.get(&d.source_id) {
            for (scheme, term, _) in profile_categories(src) {
                let _ = writeln!(
                    x,
                    "<category domain=\"{scheme}\">{}</category>",
                    escape::xml(&term)
                );
            }
        }
        let feed_url = data
            .sources
            .get(&d.source_id)
            .and_then(|s| http_url(&s.feed_url));
        match feed_url {
            Some(feed) => {
                let _ = writeln!(
                    x,
                    "<source url=\"{}\">{}</source>",
                    escape::xml(&feed),
                    escape::xml(&a.source_name)
                );
            }
            None => {
                let _ = writeln!(
                    x,
                    "<dc:publisher>{}</dc:publisher>",
                    escape::xml(&a.source_name)
                );
            }
        }
        let _ = writeln!(
            x,
            "<description>{}</description>",
            escape::xml(&content_html(a))
        );
        x.push_str("</item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

#[derive(Serialize)]
pub(crate) struct JsonFeed {
    version: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<String>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    authors: Vec<JsonAuthor>,
    items: Vec<JsonItem>,
}

#[derive(Serialize)]
struct JsonAuthor {
    name: String,
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    title: String,
    content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    date_modified: String,
    authors: Vec<JsonAuthor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    _newsdesk: JsonExtension,
}

/// The `_newsdesk` extension object of each item: where it came from.
#[derive(Serialize)]
struct JsonExtension {
    article_id: i64,
    source_id: SourceId,
    source_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_feed_url: Option<String>,
    /// The source's country (ISO 3166-1 alpha-2).
    source_country: Option<String>,
    /// The source's typology code (`SC`, `ISFM?`…), `null` when not classified.
    source_typology: Option<String>,
    /// `state-controlled`, `independent` or `not-classified`.
    source_typology_group: &'static str,
    origin: &'static str,
}

/// `GET /feed.json`.
pub(crate) async fn json(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    site_feed(&state, &headers, raw, FeedScope::default(), Format::Json).await
}

pub(crate) fn render_json(config: &WebConfig, data: &FeedData) -> JsonFeed {
    let items = data
        .articles
        .iter()
        .map(|a| {
            let d = &a.data;
            let mut authors: Vec<JsonAuthor> = d
                .authors
                .iter()
                .map(|n| JsonAuthor { name: n.clone() })
                .collect();
            if authors.is_empty() {
                authors.push(JsonAuthor {
                    name: a.source_name.clone(),
                });
            }
            JsonItem {
                id: entry_id(config, data, a),
                url: original_url(a),
                title: d.title.clone(),
                content_html: content_html(a),
                summary: d.summary.clone().filter(|s| !s.trim().is_empty()),
                image: d.lead_image.as_deref().and_then(http_url),
                date_published: d.published_at.map(rfc3339),
                date_modified: rfc3339(entry_updated(a)),
                authors,
                language: d.language.clone(),
                tags: d.tags.clone(),
                _newsdesk: JsonExtension {
                    article_id: a.id,
                    source_id: d.source_id,
                    source_name: a.source_name.clone(),
                    source_feed_url: data.sources.get(&d.source_id).map(|s| s.feed_url.clone()),
                    source_country: data
                        .sources
                        .get(&d.source_id)
                        .and_then(|s| s.country.clone()),
                    source_typology: data
                        .sources
                        .get(&d.source_id)
                        .and_then(|s| s.profile.typology.clone()),
                    source_typology_group: data
                        .sources
                        .get(&d.source_id)
                        .map_or(TypologyGroup::NotClassified, |s| s.profile.group())
                        .as_str(),
                    origin: d.origin.kind(),
                },
            }
        })
        .collect();
    JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: data.title(config),
        home_page_url: Some(data.page_url()),
        feed_url: Some(data.self_url("json")),
        description: format!("Latest articles collected by {}", config.site_title),
        language: data.lang.clone(),
        authors: vec![JsonAuthor {
            name: config.site_title.clone(),
        }],
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_shape_ids_and_self_links() {
        let mut config = WebConfig::default();
        let data = FeedData {
            lang: Some("fr".into()),
            source: Some(3),
            profile: ProfileFilter {
                countries: vec!["DE".into()],
                typologies: vec![newsdesk_core::TypologyFilter::Group(
                    TypologyGroup::Independent,
                )],
                languages: Vec::new(),
            },
            articles: vec![],
            sources: HashMap::new(),
            scope: FeedScope::default(),
            base: config.site_base(None),
            installation: "0f".repeat(16),
            story_title: None,
        };
        assert_eq!(
            data.feed_id(&config, "atom"),
            format!(
                "urn:newsdesk:{}:feed:lang:fr:source:3:country:DE:typology:independent",
                "0f".repeat(16)
            )
        );
        assert_eq!(
            data.self_url("rss"),
            "http://localhost/feed.rss?lang=fr&source=3&country=DE&typology=independent"
        );
        config.public_url = Some("https://news.example.org/".into());
        assert_eq!(
            data.feed_id(&config, "atom"),
            "http://localhost/feed.atom?lang=fr&source=3&country=DE&typology=independent",
            "the feed's URL (base from the request in real use)"
        );
        assert_eq!(data.updated(), DateTime::<Utc>::UNIX_EPOCH);
    }
}

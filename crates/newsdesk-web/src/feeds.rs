//! Feeds out: Atom 1.0, RSS 2.0 and JSON Feed 1.1 of the latest articles, optionally filtered
//! by `?lang=` and `?source=`. Entries link the ORIGINAL article and name their source; content
//! is the sanitised body, escaped.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use newsdesk_core::{Article, ArticleQuery, ProfileFilter, Source, SourceId, TypologyGroup};
use serde::Serialize;

use crate::params::Params;
use crate::relative_time::rfc3339;
use crate::sanitize::{clean_body, http_url};
use crate::{AppError, AppState, WebConfig};

/// Entries per feed.
const FEED_SIZE: u32 = 50;

/// What a feed shows: filters and the articles with their sources.
pub(crate) struct FeedData {
    lang: Option<String>,
    source: Option<SourceId>,
    /// `country` and `typology` filters.
    profile: ProfileFilter,
    pub(crate) articles: Vec<Article>,
    sources: HashMap<SourceId, Source>,
}

impl FeedData {
    pub(crate) async fn load(state: &AppState, raw: Option<String>) -> Result<FeedData, AppError> {
        let params = Params::parse(raw.as_deref());
        let lang = params.lang()?;
        let source = params.source()?;
        let profile = crate::profile::filter(&params)?;
        let query = ArticleQuery {
            lang: lang.clone(),
            source,
            profile: profile.clone(),
            limit: FEED_SIZE,
            ..Default::default()
        };
        let (articles, sources) = state
            .db(move |s| {
                let page = s.list_articles(&query)?;
                let mut articles = Vec::with_capacity(page.items.len());
                for item in &page.items {
                    if let Some(a) = s.get_article(item.id)? {
                        articles.push(a);
                    }
                }
                let sources = s
                    .list_sources()?
                    .into_iter()
                    .map(|s| (s.source.id, s.source))
                    .collect::<HashMap<_, _>>();
                Ok((articles, sources))
            })
            .await?;
        Ok(FeedData {
            lang,
            source,
            profile,
            articles,
            sources,
        })
    }

    /// The feed's title, naming its filters.
    fn title(&self, config: &WebConfig) -> String {
        let mut title = config.site_title.clone();
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

    /// A stable id for the feed itself.
    fn feed_id(&self, config: &WebConfig, file: &str) -> String {
        match config.base_url() {
            Some(base) => format!("{base}/{file}{}", self.query_string()),
            None => {
                let mut id = "urn:newsdesk:feed".to_string();
                if let Some(lang) = &self.lang {
                    let _ = write!(id, ":lang:{lang}");
                }
                if let Some(source) = self.source {
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

/// A stable id for an entry: its permalink on this site when the public URL is known.
fn entry_id(config: &WebConfig, a: &Article) -> String {
    match config.base_url() {
        Some(base) => format!("{base}/articles/{}", a.id),
        None => format!("urn:newsdesk:article:{}", a.id),
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
        format!("<p>{}</p>", xml_escape(summary))
    } else {
        body
    }
}

/// Escapes text for XML (and HTML) and drops the characters XML 1.0 forbids.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn respond(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// `GET /feed.atom`.
pub(crate) async fn atom(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let data = FeedData::load(&state, raw).await?;
    Ok(respond(
        "application/atom+xml; charset=utf-8",
        render_atom(&state.config, &data),
    ))
}

pub(crate) fn render_atom(config: &WebConfig, data: &FeedData) -> String {
    let mut x = String::with_capacity(64 * 1024);
    x.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    if let Some(lang) = &data.lang {
        let _ = write!(x, " xml:lang=\"{}\"", xml_escape(lang));
    }
    x.push_str(">\n");
    let _ = writeln!(
        x,
        "<id>{}</id>",
        xml_escape(&data.feed_id(config, "feed.atom"))
    );
    let _ = writeln!(
        x,
        "<title type=\"text\">{}</title>",
        xml_escape(&data.title(config))
    );
    let _ = writeln!(x, "<updated>{}</updated>", rfc3339(data.updated()));
    if let Some(base) = config.base_url() {
        let _ = writeln!(
            x,
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            xml_escape(&format!("{base}/feed.atom{}", data.query_string()))
        );
        let _ = writeln!(
            x,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>",
            xml_escape(&base)
        );
    }
    let _ = writeln!(
        x,
        "<author><name>{}</name></author>",
        xml_escape(&config.site_title)
    );
    x.push_str("<generator>newsdesk</generator>\n");
    for a in &data.articles {
        let d = &a.data;
        x.push_str("<entry");
        if let Some(lang) = &d.language {
            let _ = write!(x, " xml:lang=\"{}\"", xml_escape(lang));
        }
        x.push_str(">\n");
        let _ = writeln!(x, "<id>{}</id>", xml_escape(&entry_id(config, a)));
        let _ = writeln!(x, "<title type=\"text\">{}</title>", xml_escape(&d.title));
        if let Some(url) = original_url(a) {
            let _ = writeln!(
                x,
                "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
                xml_escape(&url)
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
                xml_escape(&a.source_name)
            );
        }
        for author in &d.authors {
            let _ = writeln!(x, "<author><name>{}</name></author>", xml_escape(author));
        }
        for tag in &d.tags {
            let _ = writeln!(x, "<category term=\"{}\"/>", xml_escape(tag));
        }
        if let Some(src) = data.sources.get(&d.source_id) {
            for (scheme, term, label) in profile_categories(src) {
                let _ = writeln!(
                    x,
                    "<category scheme=\"{scheme}\" term=\"{}\" label=\"{}\"/>",
                    xml_escape(&term),
                    xml_escape(&label)
                );
            }
        }
        x.push_str("<source>");
        if let Some(source) = data.sources.get(&d.source_id) {
            let _ = write!(x, "<id>{}</id>", xml_escape(&source.feed_url));
            if let Some(feed) = http_url(&source.feed_url) {
                let _ = write!(x, "<link rel=\"self\" href=\"{}\"/>", xml_escape(&feed));
            }
        }
        let _ = writeln!(
            x,
            "<title type=\"text\">{}</title></source>",
            xml_escape(&a.source_name)
        );
        if let Some(summary) = d.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            let _ = writeln!(
                x,
                "<summary type=\"text\">{}</summary>",
                xml_escape(summary)
            );
        }
        let _ = writeln!(
            x,
            "<content type=\"html\">{}</content>",
            xml_escape(&content_html(a))
        );
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// `GET /feed.rss`.
pub(crate) async fn rss(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let data = FeedData::load(&state, raw).await?;
    Ok(respond(
        "application/rss+xml; charset=utf-8",
        render_rss(&state.config, &data),
    ))
}

pub(crate) fn render_rss(config: &WebConfig, data: &FeedData) -> String {
    let mut x = String::with_capacity(64 * 1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
    let _ = writeln!(x, "<title>{}</title>", xml_escape(&data.title(config)));
    if let Some(base) = config.base_url() {
        let _ = writeln!(x, "<link>{}/</link>", xml_escape(&base));
        let _ = writeln!(
            x,
            "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{}\"/>",
            xml_escape(&format!("{base}/feed.rss{}", data.query_string()))
        );
    }
    let _ = writeln!(
        x,
        "<description>Latest articles collected by {}</description>",
        xml_escape(&config.site_title)
    );
    if let Some(lang) = &data.lang {
        let _ = writeln!(x, "<language>{}</language>", xml_escape(lang));
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
        let _ = writeln!(x, "<title>{}</title>", xml_escape(&d.title));
        if let Some(url) = original_url(a) {
            let _ = writeln!(x, "<link>{}</link>", xml_escape(&url));
        }
        let _ = writeln!(
            x,
            "<guid isPermaLink=\"false\">{}</guid>",
            xml_escape(&entry_id(config, a))
        );
        let _ = writeln!(
            x,
            "<pubDate>{}</pubDate>",
            d.published_at.unwrap_or(a.sort_at).to_rfc2822()
        );
        for author in &d.authors {
            let _ = writeln!(x, "<dc:creator>{}</dc:creator>", xml_escape(author));
        }
        for tag in &d.tags {
            let _ = writeln!(x, "<category>{}</category>", xml_escape(tag));
        }
        if let Some(src) = data.sources.get(&d.source_id) {
            for (scheme, term, _) in profile_categories(src) {
                let _ = writeln!(
                    x,
                    "<category domain=\"{scheme}\">{}</category>",
                    xml_escape(&term)
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
                    xml_escape(&feed),
                    xml_escape(&a.source_name)
                );
            }
            None => {
                let _ = writeln!(
                    x,
                    "<dc:publisher>{}</dc:publisher>",
                    xml_escape(&a.source_name)
                );
            }
        }
        let _ = writeln!(
            x,
            "<description>{}</description>",
            xml_escape(&content_html(a))
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
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let data = FeedData::load(&state, raw).await?;
    let feed = render_json(&state.config, &data);
    let body = serde_json::to_string_pretty(&feed)
        .map_err(|e| AppError::internal(format!("web: JSON Feed serialisation failed: {e}")))?;
    Ok(respond("application/feed+json; charset=utf-8", body))
}

pub(crate) fn render_json(config: &WebConfig, data: &FeedData) -> JsonFeed {
    let base = config.base_url();
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
                id: entry_id(config, a),
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
        home_page_url: base.as_ref().map(|b| format!("{b}/")),
        feed_url: base
            .as_ref()
            .map(|b| format!("{b}/feed.json{}", data.query_string())),
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
    fn xml_escape_escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{0}\u{1b}\u{FFFF}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;\n"
        );
    }

    #[test]
    fn filters_shape_ids_and_self_links() {
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
        };
        let mut config = WebConfig::default();
        assert_eq!(
            data.feed_id(&config, "feed.atom"),
            "urn:newsdesk:feed:lang:fr:source:3:country:DE:typology:independent"
        );
        config.public_url = Some("https://news.example.org/".into());
        assert_eq!(
            data.feed_id(&config, "feed.atom"),
            "https://news.example.org/feed.atom?lang=fr&source=3&country=DE&typology=independent"
        );
        assert_eq!(data.updated(), DateTime::<Utc>::UNIX_EPOCH);
    }
}

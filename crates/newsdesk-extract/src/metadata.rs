//! Page metadata: title, site name, authors, dates, image, canonical URL, description, tags and
//! declared language, from JSON-LD, `<meta>` tags, microdata and visible bylines.

use crate::tree_walk::AttrLookup;
use scraper::{Html, Node};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use url::Url;

use crate::dates::{self, PageDate};
use crate::jsonld::{self, JsonLd};
use crate::tree_walk::{text_of, text_prefix, text_within};
use crate::{authors, title};

/// Everything found about a page apart from its body.
#[derive(Debug, Default, Clone)]
pub(crate) struct Metadata {
    pub title: Option<String>,
    pub site_name: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<PageDate>,
    /// `published`, or else the first date written in the page's text (a weaker guess).
    pub date_guess: Option<PageDate>,
    pub modified: Option<PageDate>,
    pub lead_image: Option<String>,
    pub canonical_url: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub declared_language: Option<String>,
    /// JSON-LD `articleBody`, for when the DOM gives less.
    pub jsonld_body: Option<String>,
}

/// Raw signals gathered in one pass over the document.
#[derive(Default)]
struct Signals {
    meta: Vec<(String, String)>,
    title_tag: Option<String>,
    h1: Option<String>,
    html_lang: Option<String>,
    canonical: Option<String>,
    jsonld: Vec<String>,
    itemprop_authors: Vec<String>,
    rel_authors: Vec<String>,
    bylines: Vec<String>,
    itemprop_published: Vec<String>,
    itemprop_modified: Vec<String>,
    times: Vec<(String, bool)>,
    date_texts: Vec<String>,
    /// Publication times found in script JSON (framework page state).
    script_dates: Vec<String>,
}

impl Signals {
    fn meta(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.meta
                .iter()
                .find(|(key, v)| key == k && !v.trim().is_empty())
                .map(|(_, v)| newsdesk_text::normalize_whitespace(v))
        })
    }

    fn meta_all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.meta
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Keyword kinds found in an element's lowercase `class` and `id` (bit flags).
const BYLINE_WORD: u8 = 1;
const AUTHOR_WORD: u8 = 2;
const BIO_WORD: u8 = 4;
const COMMENT_WORD: u8 = 8;
const DATE_WORD: u8 = 16;

/// The keywords looked for in class and id values, with their kinds: one automaton finds them
/// all in one pass ("byline" is both a byline and a date keyword).
static CLASS_KEYWORDS: LazyLock<Option<(AhoCorasick, Vec<u8>)>> = LazyLock::new(|| {
    let words: &[(&str, u8)] = &[
        ("byline", BYLINE_WORD | DATE_WORD),
        ("author", AUTHOR_WORD),
        ("autor", AUTHOR_WORD),
        ("bio", BIO_WORD),
        ("comment", COMMENT_WORD),
        ("date", DATE_WORD),
        ("time", DATE_WORD),
        ("publi", DATE_WORD),
        ("datum", DATE_WORD),
        ("posted", DATE_WORD),
        ("meta", DATE_WORD),
        ("fecha", DATE_WORD),
    ];
    let automaton = AhoCorasick::new(words.iter().map(|(w, _)| w)).ok()?;
    Some((automaton, words.iter().map(|(_, k)| *k).collect()))
});

fn class_keywords(class_id: &str) -> u8 {
    let Some((automaton, kinds)) = &*CLASS_KEYWORDS else {
        return 0;
    };
    automaton.find_overlapping_iter(class_id).fold(0, |acc, m| {
        acc | kinds.get(m.pattern().as_usize()).copied().unwrap_or(0)
    })
}

/// Whether an element sits in a comment section (its bylines name commenters, not authors).
fn in_comments(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.ancestors()
        .filter_map(|a| a.value().as_element())
        .any(|e| {
            [e.attribute("class"), e.attribute("id")]
                .into_iter()
                .flatten()
                .any(|v| v.to_ascii_lowercase().contains("comment"))
        })
}

fn gather(html: &Html) -> Signals {
    let mut s = Signals::default();
    let mut class_id = String::new();
    for node in html.tree.root().descendants() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let attr = |a: &str| el.attribute(a).map(str::trim).filter(|v| !v.is_empty());
        match el.name() {
            "html" => {
                s.html_lang = s
                    .html_lang
                    .take()
                    .or_else(|| attr("lang").or_else(|| attr("xml:lang")).map(str::to_owned))
            }
            "meta" => {
                if let Some(content) = el.attribute("content") {
                    for key in ["property", "name", "itemprop", "http-equiv"] {
                        if let Some(k) = attr(key) {
                            s.meta.push((k.to_ascii_lowercase(), content.to_owned()));
                        }
                    }
                }
            }
            "title"
                if s.title_tag.is_none()
                    && !node
                        .ancestors()
                        .any(|a| a.value().as_element().is_some_and(|e| e.name() == "svg")) =>
            {
                s.title_tag = Some(text_of(node)).filter(|t| !t.is_empty());
            }
            "h1" if s.h1.is_none() => s.h1 = Some(text_of(node)).filter(|t| !t.is_empty()),
            "link" => {
                let rel = el.attribute("rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") && s.canonical.is_none() {
                    s.canonical = attr("href").map(str::to_owned);
                }
            }
            "script"
                if el
                    .attribute("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                s.jsonld.push(
                    node.children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect(),
                );
            }
            "time" => {
                if let Some(dt) = attr("datetime") {
                    let class = el.attribute("class").unwrap_or("").to_ascii_lowercase();
                    let preferred = el.attribute("pubdate").is_some()
                        || class.contains("publi")
                        || el
                            .attribute("itemprop")
                            .is_some_and(|p| p.contains("datePublished"));
                    s.times.push((dt.to_owned(), preferred));
                }
            }
            "script" if s.script_dates.is_empty() => {
                let text: String = node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect();
                s.script_dates.extend(dates::from_script_json(&text));
            }
            _ => {}
        }
        // RDFa (`property="schema:dateCreated"`) and microdata on visible elements.
        if el.name() != "meta"
            && let Some(prop) = el.attribute("property")
            && prop.split_whitespace().any(|p| {
                matches!(
                    p.trim_start_matches("schema:"),
                    "datePublished" | "dateCreated"
                )
            })
            && let Some(v) = attr("content").or_else(|| attr("datetime"))
        {
            s.itemprop_published.push(v.to_owned());
        }
        if let Some(prop) = el.attribute("itemprop") {
            let value = || {
                attr("content")
                    .or_else(|| attr("datetime"))
                    .map(str::to_owned)
                    .unwrap_or_else(|| text_of(node))
            };
            for p in prop.split_whitespace() {
                match p {
                    "author" | "creator"
                        if el.name() != "meta" && el.name() != "link" && !in_comments(node) =>
                    {
                        let name = node
                            .descendants()
                            .filter_map(|d| Some((d, d.value().as_element()?)))
                            .find(|(_, e)| {
                                e.attribute("itemprop")
                                    .is_some_and(|v| v.split_whitespace().any(|w| w == "name"))
                            })
                            .map(|(d, e)| {
                                e.attribute("content")
                                    .map(str::to_owned)
                                    .unwrap_or_else(|| text_of(d))
                            })
                            .unwrap_or_else(value);
                        s.itemprop_authors.push(name);
                    }
                    "datePublished" if el.name() != "meta" => s.itemprop_published.push(value()),
                    "dateModified" if el.name() != "meta" => s.itemprop_modified.push(value()),
                    _ => {}
                }
            }
        }
        if el.name() == "a"
            && el.attribute("rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("author"))
            })
        {
            s.rel_authors.push(text_of(node));
        }
        let (class, id) = (el.attribute("class"), el.attribute("id"));
        if class.is_none() && id.is_none() {
            continue;
        }
        class_id.clear();
        class_id.push_str(class.unwrap_or(""));
        class_id.push(' ');
        class_id.push_str(id.unwrap_or(""));
        class_id.make_ascii_lowercase();
        if class_id.trim().is_empty()
            || matches!(
                el.name(),
                "body" | "html" | "article" | "main" | "script" | "style"
            )
        {
            continue;
        }
        let words = class_keywords(&class_id);
        if words & (BYLINE_WORD | AUTHOR_WORD) != 0
            && words & (BIO_WORD | COMMENT_WORD) == 0
            && !matches!(el.name(), "form" | "label" | "input" | "textarea")
            && !in_comments(node)
            && s.bylines.len() < 8
            && let Some(t) = text_within(node, 120)
            && !t.is_empty()
            && t.chars().count() <= 120
        {
            s.bylines.push(t);
        }
        if words & DATE_WORD != 0
            && s.date_texts.len() < 40
            && let Some(t) = text_within(node, 160)
            && !t.is_empty()
            && t.chars().count() <= 160
        {
            s.date_texts.push(t);
        }
    }
    s
}

/// Extracts the metadata of a parsed page fetched from `url` (resolved against `base`).
pub(crate) fn extract(html: &Html, url: &str, base: Option<&Url>) -> Metadata {
    let s = gather(html);
    let ld: JsonLd = jsonld::parse(s.jsonld.iter().map(String::as_str));
    let absolute = |raw: &str| -> Option<String> {
        let raw = raw.trim();
        let u = match base {
            Some(b) => b.join(raw).ok()?,
            None => Url::parse(raw).ok()?,
        };
        matches!(u.scheme(), "http" | "https").then(|| u.to_string())
    };

    let mut site_names: Vec<String> = Vec::new();
    for name in [
        s.meta(&["og:site_name"]),
        ld.publisher.clone(),
        s.meta(&["application-name", "twitter:site"]),
    ]
    .into_iter()
    .flatten()
    {
        let name = name.trim_start_matches('@').to_owned();
        if !name.is_empty() && !site_names.contains(&name) {
            site_names.push(name);
        }
    }
    let host = base.and_then(|b| b.host_str()).map(str::to_owned);

    let raw_title = ld
        .headline
        .clone()
        .or_else(|| s.meta(&["og:title", "twitter:title", "dc.title", "title"]))
        .or_else(|| s.title_tag.clone())
        .or_else(|| s.h1.clone());
    let cleaned =
        raw_title.map(|t| title::clean(&t, &site_names, s.h1.as_deref(), host.as_deref()));
    let site_name = site_names
        .first()
        .cloned()
        .or_else(|| cleaned.as_ref().and_then(|c| c.site.clone()));
    let title = cleaned.map(|c| c.title).filter(|t| !t.is_empty());

    let mut meta_authors: Vec<String> = Vec::new();
    meta_authors.extend(s.meta(&[
        "author",
        "dc.creator",
        "byl",
        "sailthru.author",
        "parsely-author",
        "article:author_name",
    ]));
    meta_authors.extend(
        s.meta_all("article:author")
            .filter(|a| !a.contains("://") && !a.starts_with("www."))
            .map(str::to_owned),
    );
    // Sources in order of trust, each with how many of its names count; the first that yields
    // a plausible name decides, so a JSON-LD author that is only an e-mail address or the
    // site's name falls through to the meta tags, microdata and bylines.
    let sources: [(&[String], usize); 6] = [
        (&ld.authors, usize::MAX),
        (&meta_authors, usize::MAX),
        (&s.itemprop_authors, 3),
        (&s.rel_authors, 1),
        (&s.bylines, 1),
        (&ld.org_authors, 1),
    ];
    // A personal site's publisher is its owner, who signs the articles: not a site name there.
    let not_authors: Vec<String> = site_names
        .iter()
        .filter(|n| !(ld.publisher_is_person && ld.publisher.as_ref() == Some(*n)))
        .cloned()
        .collect();
    let authors = sources
        .iter()
        .map(|(names, n)| authors::clean(&names[..names.len().min(*n)], &not_authors))
        .find(|names| !names.is_empty())
        .unwrap_or_default();

    const PUBLISHED_META: &[&str] = &[
        "article:published_time",
        "og:article:published_time",
        "article:published",
        "datepublished",
        "publishdate",
        "publish-date",
        "publish_date",
        "pubdate",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.issued",
        "dcterms.created",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
        "og:published_time",
        "citation_publication_date",
        "cxenseparse:recs:publishtime",
    ];
    // Every machine-readable publication time of the page, to find its local calendar date.
    let local_times: Vec<dates::PageDate> = PUBLISHED_META
        .iter()
        .filter_map(|k| s.meta(&[k]))
        .chain(s.itemprop_published.iter().cloned())
        .chain(s.times.iter().map(|(d, _)| d.clone()))
        .filter_map(|d| dates::parse_machine(&d))
        .collect();
    let url_date =
        dates::from_url(url).or_else(|| s.canonical.as_deref().and_then(dates::from_url));
    // `<time>` elements: those marked as the publication first. When they give different days
    // the page lists other articles (a sidebar, "recent posts"), and the URL's date, if any,
    // is the better witness.
    let time_dates: Vec<dates::PageDate> = {
        let preferred = s.times.iter().filter(|(_, p)| *p).map(|(d, _)| d);
        let others = s.times.iter().filter(|(_, p)| !*p).map(|(d, _)| d);
        preferred
            .chain(others)
            .filter_map(|d| dates::parse_machine(d))
            .collect()
    };
    let times = time_dates.first().copied();
    let written = s.date_texts.iter().find_map(|t| dates::from_text(t));
    let times_disagree = time_dates
        .iter()
        .any(|d| Some(d.local) != times.map(|t| t.local));
    // The page's own `<meta>` first: JSON-LD is more often generated by a plug-in that gets
    // the date wrong (first draft, a listed article).
    let published = s
        .meta(PUBLISHED_META)
        .as_deref()
        .and_then(dates::parse_machine)
        .or_else(|| ld.published.as_deref().and_then(dates::parse_machine))
        .or_else(|| {
            s.itemprop_published
                .iter()
                .find_map(|d| dates::parse_machine(d).or_else(|| dates::from_text(d)))
        })
        .or(times.filter(|_| !times_disagree))
        .or(url_date)
        .or(written.filter(|_| times_disagree))
        .or(times)
        .or_else(|| s.script_dates.iter().find_map(|d| dates::parse_machine(d)))
        .or_else(|| s.date_texts.iter().find_map(|t| dates::from_text(t)))
        .or_else(|| {
            s.meta(&["description", "og:description"])
                .and_then(|d| dates::from_text(&d))
        });
    // A dateline written in the page, else the URL's date, says which calendar day a UTC time
    // near midnight belongs to.
    let published = published.map(|p| p.localized(&local_times).with_written(written.or(url_date)));
    // Last resort, kept apart from `published`: the first written date in the visible text.
    let date_guess = published.or_else(|| {
        let body = html
            .tree
            .root()
            .descendants()
            .find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"))?;
        dates::from_text(&text_prefix(body, 20_000))
    });
    let modified = ld
        .modified
        .as_deref()
        .and_then(dates::parse_machine)
        .or_else(|| {
            s.meta(&[
                "article:modified_time",
                "og:updated_time",
                "article:modified",
                "datemodified",
                "last-modified",
                "dcterms.modified",
            ])
            .as_deref()
            .and_then(dates::parse_machine)
        })
        .or_else(|| {
            s.itemprop_modified
                .iter()
                .find_map(|d| dates::parse_machine(d))
        });

    let lead_image = s
        .meta(&[
            "og:image",
            "og:image:url",
            "og:image:secure_url",
            "twitter:image",
            "twitter:image:src",
        ])
        .or_else(|| ld.image.clone())
        .and_then(|i| absolute(&i));
    let canonical_url = s
        .canonical
        .clone()
        .or_else(|| s.meta(&["og:url"]))
        .or_else(|| ld.url.clone())
        .and_then(|c| absolute(&c));
    let description = s
        .meta(&[
            "description",
            "og:description",
            "twitter:description",
            "dc.description",
        ])
        .or_else(|| ld.description.clone());

    let mut tags: Vec<String> = Vec::new();
    let mut push_tag = |t: &str| {
        let t = newsdesk_text::normalize_whitespace(t);
        if !t.is_empty()
            && t.chars().count() <= 80
            && !tags.iter().any(|x| x.eq_ignore_ascii_case(&t))
        {
            tags.push(t);
        }
    };
    for key in ["article:section", "article:tag"] {
        for v in s.meta_all(key) {
            push_tag(v);
        }
    }
    for t in &ld.tags {
        push_tag(t);
    }
    if let Some(k) = s.meta(&["news_keywords", "keywords"]) {
        k.split(',').for_each(&mut push_tag);
    }
    tags.truncate(30);

    let declared_language = s
        .html_lang
        .clone()
        .or_else(|| s.meta(&["content-language", "og:locale", "language", "dc.language"]))
        .or_else(|| ld.language.clone())
        .map(|l| l.trim().replace('_', "-"))
        .filter(|l| !l.is_empty() && l.len() <= 35);

    Metadata {
        title,
        site_name,
        authors,
        published,
        date_guess,
        modified,
        lead_image,
        canonical_url,
        description,
        tags,
        declared_language,
        jsonld_body: ld.body.clone(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn local_date(html: &str, url: &str) -> String {
        let m = extract(
            &Html::parse_document(html),
            url,
            Url::parse(url).ok().as_ref(),
        );
        m.date_guess.unwrap().local.to_string()
    }

    #[test]
    fn url_date_places_a_utc_time_near_midnight() {
        let page = r#"<html><head>
            <meta property="article:published_time" content="2018-12-31T23:11:59+00:00">
            </head><body><p>Happy new year.</p></body></html>"#;
        assert_eq!(
            local_date(page, "https://blog.example.org/2019/01/01/new-year/"),
            "2019-01-01"
        );
        // Without a dated URL the UTC calendar date stands.
        assert_eq!(
            local_date(page, "https://blog.example.org/new-year/"),
            "2018-12-31"
        );
    }

    #[test]
    fn a_local_time_witness_is_not_moved_by_a_dateline() {
        let page = r#"<html><head>
            <meta property="article:published_time" content="2023-11-08T21:56:18+00:00">
            </head><body><div class="date">Thursday, November 9, 2023</div>
            <time datetime="2023-11-08 16:56:18">November 8, 2023 at 4:56 p.m.</time>
            <p>Text.</p></body></html>"#;
        assert_eq!(
            local_date(page, "https://news.example.org/story"),
            "2023-11-08"
        );
    }

    #[test]
    fn disagreeing_time_elements_yield_to_the_url_and_the_dateline() {
        let sidebar = r#"<aside><time class="published" datetime="2009-04-11 18:06:36">11. April 2009</time>
            <time class="published" datetime="2013-09-27 23:08:48">27. September 2013</time></aside>"#;
        let page = format!(
            r#"<html><body><span class="published">22. Oktober 2019</span>{sidebar}<p>Text.</p></body></html>"#
        );
        assert_eq!(
            local_date(&page, "https://www.example.de/2019/10/21/artikel/"),
            "2019-10-21"
        );
        assert_eq!(
            local_date(&page, "https://www.example.de/artikel/"),
            "2019-10-22"
        );
        // One <time>, or several on the same day: it is the article's.
        let one = r#"<html><body><span class="published">22. Oktober 2019</span>
            <time class="published" datetime="2009-04-11 18:06:36">11. April 2009</time></body></html>"#;
        assert_eq!(
            local_date(one, "https://www.example.de/artikel/"),
            "2009-04-11"
        );
    }
}

//! Turning what a user typed into a feed URL, and finding the feeds a site offers. One
//! discovery serves `sources add`, `sources discover` and the demo:
//!
//! 1. the URL itself, when it is a feed or a sitemap;
//! 2. the feeds its HTML page advertises with `<link rel="alternate">`;
//! 3. common paths on the site's origin (`/feed`, `/rss`, `/feed.xml`, …);
//! 4. Google News sitemaps announced in robots.txt or at common paths.
//!
//! `sources add` stops at the first step that finds a readable feed and adds the first one;
//! `sources discover` runs every step and lists everything.

use crate::PipelineError;

/// The pipeline's result.
type Result<T, E = PipelineError> = std::result::Result<T, E>;
use newsdesk_core::ParsedFeed;
use newsdesk_fetch::{FetchResponse, Fetcher, Validators};

use super::sitemap::read_source_document;

/// Paths where sites commonly publish a feed.
pub const COMMON_FEED_PATHS: &[&str] = &[
    "/feed",
    "/rss",
    "/feed.xml",
    "/rss.xml",
    "/atom.xml",
    "/index.xml",
    "/feed/",
    "/rss/",
    "/feeds/posts/default",
];

/// Paths where sites commonly publish a Google News sitemap.
pub const NEWS_SITEMAP_PATHS: &[&str] = &[
    "/news-sitemap.xml",
    "/sitemap_news.xml",
    "/sitemap-news.xml",
];

/// At most this many `Sitemap:` lines of robots.txt are fetched.
pub const MAX_ROBOTS_SITEMAPS: usize = 5;

/// How far discovery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Stop after the first step that found a readable feed (`sources add`).
    FirstThatWorks,
    /// Run every step (`sources discover`).
    Everything,
}

/// A feed (or news sitemap) found on a site.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its URL (after redirects, when it could be read).
    pub url: String,
    /// How it was found: "the URL itself", "<link rel=\"alternate\">", "common path",
    /// "Google News sitemap".
    pub how: &'static str,
    /// Its title (the feed's, else the link's).
    pub title: Option<String>,
    /// The parsed feed; `None` when it could not be read.
    pub feed: Option<ParsedFeed>,
}

impl Candidate {
    /// Entries in the feed, when it could be read.
    pub fn entries(&self) -> Option<usize> {
        self.feed.as_ref().map(|f| f.entries.len())
    }
}

/// What discovery found on a site.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Every candidate, in the order found (readable or not).
    pub candidates: Vec<Candidate>,
    /// Why the page itself could not be fetched, if it could not.
    pub page_error: Option<String>,
}

impl Discovery {
    /// The candidates that could be read, in the order found.
    pub fn readable(&self) -> impl Iterator<Item = &Candidate> {
        self.candidates.iter().filter(|c| c.feed.is_some())
    }

    fn push(&mut self, c: Candidate) {
        if !self.candidates.iter().any(|g| g.url == c.url) {
            self.candidates.push(c);
        }
    }

    fn found_one(&self) -> bool {
        self.readable().next().is_some()
    }
}

/// Fetches `url` and parses it as a feed: `Some((final_url, feed))`.
async fn try_feed(fetcher: &Fetcher, url: &str) -> Option<(String, ParsedFeed)> {
    let r = fetcher.get(url, &Validators::none()).await.ok()?;
    if newsdesk_feeds::looks_like_html(&r.body) {
        return None;
    }
    let f =
        newsdesk_feeds::parse_feed(&r.body, Some(&r.final_url), r.content_type.as_deref()).ok()?;
    Some((r.final_url, f))
}

/// Fetches `url` and reads it as a news sitemap: `Some((final_url, feed))` when it is a sitemap
/// (or a sitemap index, read through its news-like or recent children) whose entries carry
/// Google News titles.
async fn try_news_sitemap(fetcher: &Fetcher, url: &str) -> Option<(String, ParsedFeed)> {
    let r = fetcher.get(url, &Validators::none()).await.ok()?;
    let final_url = r.final_url.clone();
    let doc = read_source_document(fetcher, r.body, r.final_url, r.content_type)
        .await
        .ok()?;
    let news = doc.feed.entries.iter().any(|e| e.title.is_some());
    news.then_some((final_url, doc.feed))
}

/// Runs discovery on the site of `url`; `page` is the page's response when the caller already
/// fetched it.
pub async fn discover_site(
    fetcher: &Fetcher,
    url: &str,
    page: Option<FetchResponse>,
    depth: Depth,
) -> Result<Discovery> {
    let base = url::Url::parse(url)
        .map_err(|e| PipelineError::Input(format!("{url:?} is not a URL: {e}")))?;
    let mut found = Discovery::default();
    let page = match page {
        Some(p) => Some(p),
        None => match fetcher.get(url, &Validators::none()).await {
            Ok(p) => Some(p),
            Err(e) => {
                found.page_error = Some(e.to_string());
                None
            }
        },
    };
    // 1 and 2: the page itself (a feed or a sitemap), or HTML advertising feeds.
    if let Some(page) = page {
        if newsdesk_feeds::looks_like_html(&page.body) {
            for d in newsdesk_feeds::discover_feeds(&page.body, &page.final_url) {
                let checked = try_feed(fetcher, &d.url).await;
                found.push(match checked {
                    Some((final_url, feed)) => Candidate {
                        url: final_url,
                        how: "<link rel=\"alternate\">",
                        title: feed.feed.title.clone().or(d.title.clone()),
                        feed: Some(feed),
                    },
                    None => Candidate {
                        url: d.url.clone(),
                        how: "<link rel=\"alternate\">",
                        title: d.title.clone(),
                        feed: None,
                    },
                });
            }
        } else if let Ok(doc) = read_source_document(
            fetcher,
            page.body,
            page.final_url.clone(),
            page.content_type,
        )
        .await
        {
            found.push(Candidate {
                url: page.final_url,
                how: "the URL itself",
                title: doc.feed.feed.title.clone(),
                feed: Some(doc.feed),
            });
        }
    }
    if depth == Depth::FirstThatWorks && found.found_one() {
        return Ok(found);
    }
    // 3. Common feed paths on the site's origin.
    for path in COMMON_FEED_PATHS {
        let Ok(candidate) = base.join(path) else {
            continue;
        };
        if let Some((final_url, feed)) = try_feed(fetcher, candidate.as_str()).await {
            found.push(Candidate {
                url: final_url,
                how: "common path",
                title: feed.feed.title.clone(),
                feed: Some(feed),
            });
            if depth == Depth::FirstThatWorks {
                return Ok(found);
            }
        }
    }
    // 4. Google News sitemaps: announced in robots.txt, or at common paths.
    let mut sitemaps: Vec<String> = Vec::new();
    if let Ok(robots) = base.join("/robots.txt")
        && let Ok(r) = fetcher.get(robots.as_str(), &Validators::none()).await
    {
        let mut announced: Vec<String> = String::from_utf8_lossy(&r.body)
            .lines()
            .map(str::trim)
            .filter(|l| {
                l.len() > 8 && l.is_char_boundary(8) && l[..8].eq_ignore_ascii_case("sitemap:")
            })
            .map(|l| l[8..].trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        // news-named ones first (stable), then the others (often an index with news children);
        // a few only: each is fetched
        announced.sort_by_key(|s| !s.to_ascii_lowercase().contains("news"));
        sitemaps.extend(announced.into_iter().take(MAX_ROBOTS_SITEMAPS));
    }
    for path in NEWS_SITEMAP_PATHS {
        if let Ok(u) = base.join(path) {
            sitemaps.push(u.to_string());
        }
    }
    for s in sitemaps {
        if let Some((final_url, feed)) = try_news_sitemap(fetcher, &s).await {
            found.push(Candidate {
                url: final_url,
                how: "Google News sitemap",
                title: feed.feed.title.clone(),
                feed: Some(feed),
            });
            if depth == Depth::FirstThatWorks {
                return Ok(found);
            }
        }
    }
    Ok(found)
}

/// A feed URL that was checked to parse.
#[derive(Debug, Clone)]
pub struct ResolvedFeed {
    /// The feed URL to store (after redirects).
    pub feed_url: String,
    /// The parsed feed (title, language, entries).
    pub feed: ParsedFeed,
    /// How it was found ("the URL itself", "<link rel=\"alternate\">", "common path", …).
    pub how: &'static str,
    /// When the URL was a page: the other readable feeds discovery found (not chosen).
    pub others: Vec<Candidate>,
    /// The page URL the feed was discovered from, if any.
    pub page_url: Option<String>,
}

/// Fetches `url` and resolves it (see [`resolve_response`]).
pub async fn resolve_feed(fetcher: &Fetcher, url: &str) -> Result<ResolvedFeed> {
    let resp = fetcher.get(url, &Validators::default()).await?;
    resolve_response(fetcher, url, Some(resp)).await
}

/// The feed of `url` (whose response is `resp`; `None` when its host answered with an error
/// status): the URL itself when it is a feed or a sitemap, else the first readable feed that
/// discovery finds on its site (links, common paths, news sitemaps); the others found in the
/// same step are returned too.
pub async fn resolve_response(
    fetcher: &Fetcher,
    url: &str,
    resp: Option<FetchResponse>,
) -> Result<ResolvedFeed> {
    let Some(resp) = resp else {
        let found = discover_site(fetcher, url, None, Depth::FirstThatWorks).await?;
        return choose(url, format!("{url} is not a page"), found, url.to_string());
    };
    let html = newsdesk_feeds::looks_like_html(&resp.body);
    let page_url = resp.final_url.clone();
    let parse_err = if html {
        None
    } else {
        match read_source_document(
            fetcher,
            resp.body.clone(),
            resp.final_url.clone(),
            resp.content_type.clone(),
        )
        .await
        {
            Ok(doc) => {
                return Ok(ResolvedFeed {
                    feed_url: resp.final_url,
                    feed: doc.feed,
                    how: "the URL itself",
                    others: Vec::new(),
                    page_url: None,
                });
            }
            Err(e) => Some(e),
        }
    };
    let found = discover_site(fetcher, &page_url, Some(resp), Depth::FirstThatWorks).await?;
    let what = match parse_err {
        Some(e) => format!("{url} is not a feed ({e})"),
        None => format!("{url} is a web page"),
    };
    choose(url, what, found, page_url)
}

/// The first readable candidate of `found`, or an error that says what was tried.
fn choose(url: &str, what: String, found: Discovery, page_url: String) -> Result<ResolvedFeed> {
    let mut readable: Vec<Candidate> = found.readable().cloned().collect();
    if readable.is_empty() {
        return Err(PipelineError::NoFeed(format!(
            "{what}, and no feed was found on its site: the page advertises no feed that could \
             be read (<link rel=\"alternate\">), none of {} common paths ({}, …) answers with a \
             feed, and no Google News sitemap was found. If you know the feed's address, add \
             it directly (`newsdesk sources check URL` shows what newsdesk sees in it).",
            COMMON_FEED_PATHS.len(),
            COMMON_FEED_PATHS[..3].join(", ")
        )));
    }
    let chosen = readable.remove(0);
    let Some(feed) = chosen.feed else {
        return Err(PipelineError::NoFeed(format!(
            "{url}: internal error: a readable candidate has no feed"
        )));
    };
    Ok(ResolvedFeed {
        feed_url: chosen.url,
        feed,
        how: chosen.how,
        others: readable,
        page_url: Some(page_url),
    })
}

/// What a user typed, as a URL to try: `[url]` for a URL with a scheme, `[https://…, http://…]`
/// for a bare host such as `example.org` or `127.0.0.1:8080/news`.
pub fn urls_to_try(input: &str) -> Result<Vec<String>> {
    let input = input.trim();
    if input.contains("://") {
        let parsed = url::Url::parse(input)
            .map_err(|e| PipelineError::Input(format!("{input:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(PipelineError::Input(format!(
                "{input:?}: only http and https sources are supported"
            )));
        }
        return Ok(vec![input.to_string()]);
    }
    if input.is_empty() || input.contains(char::is_whitespace) {
        return Err(PipelineError::Input(format!(
            "{input:?} is not a URL (try https://example.org/)"
        )));
    }
    let mut out = Vec::new();
    for scheme in ["https", "http"] {
        let u = url::Url::parse(&format!("{scheme}://{input}")).map_err(|e| {
            PipelineError::Input(format!(
                "{input:?} is not a URL or a host name ({e}); try https://example.org/"
            ))
        })?;
        if u.host_str().is_none_or(|h| h.is_empty()) {
            return Err(PipelineError::Input(format!(
                "{input:?} is not a URL or a host name; try https://example.org/"
            )));
        }
        out.push(u.to_string());
    }
    Ok(out)
}

/// Fetches the first URL of [`urls_to_try`] that answers; `say` is told each fallback (a bare
/// host tried as https:// then http://). Returns the URL and its response; for a bare host
/// that answered with an error status (its home page is not found, say), no response: its site
/// can still be searched for feeds.
pub async fn open_input(
    fetcher: &Fetcher,
    input: &str,
    mut say: impl FnMut(String),
) -> Result<(String, Option<FetchResponse>)> {
    let urls = urls_to_try(input)?;
    let bare = urls.len() > 1;
    if bare {
        say(format!("{input} has no scheme: trying {}", urls[0]));
    }
    let mut errors = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        match fetcher.get(url, &Validators::default()).await {
            Ok(r) => return Ok((url.clone(), Some(r))),
            Err(e) if bare && e.http_status().is_some() => {
                say(format!(
                    "{url} answered: {e}; looking for feeds on the site"
                ));
                return Ok((url.clone(), None));
            }
            Err(e) => {
                if let Some(next) = urls.get(i + 1) {
                    say(format!("{url} failed ({e}); trying {next}"));
                }
                errors.push(format!("{url}: {e}"));
            }
        }
    }
    if errors.len() == 1 {
        return Err(PipelineError::Unreachable(errors.remove(0)));
    }
    Err(PipelineError::Unreachable(format!(
        "no answer from {input}: {}",
        errors.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_hosts_are_tried_as_https_then_http() {
        assert_eq!(
            urls_to_try("example.org").expect("host"),
            ["https://example.org/", "http://example.org/"]
        );
        assert_eq!(
            urls_to_try("127.0.0.1:8080/news").expect("host and path"),
            ["https://127.0.0.1:8080/news", "http://127.0.0.1:8080/news"]
        );
        assert_eq!(
            urls_to_try("https://example.org/feed").expect("url"),
            ["https://example.org/feed"]
        );
        assert!(urls_to_try("ftp://example.org/").is_err());
        assert!(urls_to_try("not a host").is_err());
        assert!(urls_to_try("").is_err());
    }
}

//! `newsdesk sources check URL` (what newsdesk sees in one feed or sitemap, nothing stored) and
//! `newsdesk sources discover URL` (which feeds and news sitemaps a site offers, optionally
//! adding them).

use std::process::ExitCode;

use anyhow::Result;
use chrono::Utc;
use newsdesk_core::NewSource;
use newsdesk_fetch::Validators;
use newsdesk_store::StoreError;

use super::Context;
use newsdesk_pipeline::discover::{Depth, discover_site, open_input, urls_to_try};
use newsdesk_pipeline::schedule::{CacheHints, SchedulePolicy};
use newsdesk_pipeline::sitemap::read_source_document;
use newsdesk_pipeline::text::counted;

/// `sources check URL`: fetches one feed and reports what newsdesk sees; stores nothing.
/// Exits 1 when the feed cannot be fetched or parsed.
pub async fn check(ctx: &Context, url: &str) -> Result<ExitCode> {
    let fetcher = ctx.fetcher()?;
    say!("checking {url} (nothing is stored)");
    let resp = match fetcher.get(url, &Validators::none()).await {
        Ok(r) => r,
        Err(e) => {
            say!("error: {e}");
            if let Some(status) = e.http_status() {
                say!("http status: {status}");
            }
            if let Some(ra) = e.retry_after() {
                say!("retry-after: {ra}");
            }
            return Ok(ExitCode::from(1));
        }
    };
    say!("http status: {}", resp.status);
    if resp.final_url != url {
        say!("final url: {}", resp.final_url);
    }
    if let Some(target) = &resp.permanent_redirect {
        say!("moved permanently to: {target} (newsdesk adopts it after seeing it twice)");
    }
    say!(
        "content-type: {}",
        resp.content_type.as_deref().unwrap_or("(none)")
    );
    say!("format: {}", newsdesk_feeds::describe_format(&resp.body));
    say!(
        "encoding: {}",
        newsdesk_feeds::describe_encoding(&resp.body, resp.charset().as_deref())
    );
    say!("size: {} bytes", resp.body.len());
    let validators = [
        resp.etag.as_deref().map(|e| format!("ETag {e}")),
        resp.last_modified
            .as_deref()
            .map(|l| format!("Last-Modified {l}")),
    ];
    let validators: Vec<String> = validators.into_iter().flatten().collect();
    say!(
        "validators: {}",
        if validators.is_empty() {
            "none (every fetch downloads the whole feed)".to_string()
        } else {
            validators.join(", ")
        }
    );
    let parsed = read_source_document(
        &fetcher,
        resp.body.clone(),
        resp.final_url.clone(),
        resp.content_type.clone(),
    )
    .await;
    let feed = match parsed {
        Ok(doc) => {
            if !doc.children.is_empty() {
                say!(
                    "sitemap index: {} child sitemaps listed; read {} (news-like or recent, at most {}):",
                    doc.listed_children,
                    doc.children.len(),
                    newsdesk_feeds::MAX_CHILD_SITEMAPS
                );
                for c in &doc.children {
                    say!(
                        "  - {} (lastmod {})",
                        c.url,
                        c.lastmod
                            .map(|d| d.to_rfc3339())
                            .unwrap_or_else(|| "not given".into())
                    );
                }
            }
            doc.feed
        }
        Err(e) => {
            say!("error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    say!(
        "title: {}",
        feed.feed.title.as_deref().unwrap_or("(untitled)")
    );
    if let Some(lang) = &feed.feed.language {
        say!("language: {lang}");
    }
    if !feed.wellformed {
        say!("warning: the document is not well-formed XML; it was read by the recovering parser");
    }
    let dates: Vec<_> = feed
        .entries
        .iter()
        .filter_map(|e| e.published.or(e.updated))
        .collect();
    say!(
        "entries: {} ({} dated, {} without a link)",
        feed.entries.len(),
        dates.len(),
        feed.entries.iter().filter(|e| e.link.is_none()).count()
    );
    if let (Some(newest), Some(oldest)) = (dates.iter().max(), dates.iter().min()) {
        say!("newest entry: {}", newest.to_rfc3339());
        say!("oldest entry: {}", oldest.to_rfc3339());
    }
    for e in feed.entries.iter().take(5) {
        say!(
            "  - {} | {} | {}",
            e.published
                .or(e.updated)
                .map(|d| d.to_rfc3339())
                .unwrap_or_else(|| "(no date)".into()),
            e.title.as_deref().unwrap_or("(untitled)"),
            e.link.as_deref().unwrap_or("(no link)")
        );
    }
    let now = Utc::now();
    let hints = CacheHints::of_response(&resp, now).with_feed(&feed.feed);
    if let Some(f) = hints.fresh_for {
        say!("fresh for: {} s (Cache-Control/Expires)", f.as_secs());
    }
    if let Some(t) = hints.ttl {
        say!("rss ttl: {} min", t.as_secs() / 60);
    }
    if !hints.skip_hours.is_empty() {
        say!("rss skipHours (UTC): {:?}", hints.skip_hours);
    }
    if !hints.skip_days.is_empty() {
        say!("rss skipDays (UTC): {:?}", hints.skip_days);
    }
    let decision = SchedulePolicy::from(&ctx.config.schedule).preview(&feed, &hints, now);
    let wait = (decision.next_fetch_at - now).num_seconds();
    say!(
        "next fetch: in {} min (adaptive interval, before jitter)",
        (wait + 30) / 60
    );
    Ok(ExitCode::SUCCESS)
}

/// `sources discover URL`: lists the feeds a site offers (`<link rel="alternate">`, common paths,
/// Google News sitemaps from robots.txt and common paths; see `newsdesk_pipeline::discover`); `add` adds
/// every feed and sitemap that could be read. A bare host is tried as https://, then http://.
pub async fn discover(ctx: &Context, url: &str, add: bool) -> Result<ExitCode> {
    let fetcher = ctx.fetcher()?;
    let (url, page) = match open_input(&fetcher, url, |m| eprintln!("{m}")).await {
        Ok((u, r)) => (u, r),
        Err(e) => {
            let first = urls_to_try(url)?.remove(0);
            eprintln!("cannot fetch {first}: {e}");
            (first, None)
        }
    };
    let found = discover_site(&fetcher, &url, page, Depth::Everything).await?;
    if found.candidates.is_empty() {
        say!("no feed found on {url}");
        return Ok(ExitCode::from(1));
    }
    say!(
        "found {} on {url}:",
        counted(
            found.candidates.len() as u64,
            "feed or sitemap",
            "feeds or sitemaps"
        )
    );
    for f in &found.candidates {
        let entries = f
            .entries()
            .map(|n| counted(n as u64, "entry", "entries"))
            .unwrap_or_else(|| "did not parse".into());
        say!(
            "  {}  [{}; {}] {}",
            f.url,
            f.how,
            entries,
            f.title.as_deref().unwrap_or("")
        );
    }
    if add {
        for f in found.readable() {
            let new = NewSource {
                feed_url: f.url.clone(),
                site_url: Some(url.to_string()),
                name: f.title.clone().filter(|t| !t.trim().is_empty()),
                ..NewSource::default()
            };
            match ctx.store.add_source(&new) {
                Ok(s) => say!("added source {}: {} <{}>", s.id, s.name, s.feed_url),
                Err(StoreError::DuplicateSource { id, .. }) => {
                    say!("already present as source {id}: {}", f.url)
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

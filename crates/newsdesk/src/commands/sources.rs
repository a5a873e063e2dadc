//! `newsdesk sources add|list|remove|import|export|check|discover|resume`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use newsdesk_core::{NewSource, SourceWithStats};
use newsdesk_feeds::OpmlOutline;
use newsdesk_store::StoreError;

use super::Context;
use crate::cli::SourcesCommand;
use newsdesk_pipeline::Progress;
use newsdesk_pipeline::discover::{open_input, resolve_response, urls_to_try};
use newsdesk_pipeline::text::counted;

/// `say!` unless `-q` was given (only errors are printed then).
macro_rules! tell {
    ($quiet:expr, $($t:tt)*) => {
        if !$quiet {
            say!($($t)*);
        }
    };
}

/// Dispatches a sources subcommand.
pub async fn run(ctx: Context, cmd: SourcesCommand, quiet: bool) -> Result<ExitCode> {
    match cmd {
        SourcesCommand::Add {
            url,
            name,
            language,
            country,
            no_check,
        } => {
            let new = NewSource {
                feed_url: url,
                site_url: None,
                name,
                language: check_lang(&language.first().cloned())?,
                country: check_country(&country)?,
            };
            add(&ctx, new, language, no_check, quiet).await
        }
        SourcesCommand::Edit {
            id,
            name,
            country,
            language,
            owner,
            typology,
            media_type,
            site,
        } => super::sources_profile::edit(
            &ctx,
            id,
            super::sources_profile::ProfileEdit {
                name,
                country,
                languages: (!language.is_empty()).then_some(language),
                owner,
                typology,
                media_type,
                site,
            },
        ),
        SourcesCommand::List { json } => list(&ctx, json),
        SourcesCommand::Remove { id } => {
            if ctx.store.remove_source(id)? {
                say!("removed source {id} and its articles");
                Ok(ExitCode::SUCCESS)
            } else {
                bail!("no source with id {id} (see `newsdesk sources list`)")
            }
        }
        SourcesCommand::Import { file } => import(&ctx, &file, quiet),
        SourcesCommand::Export => export(&ctx),
        SourcesCommand::Check { url } => super::sources_check::check(&ctx, &url).await,
        SourcesCommand::Discover { url, add } => {
            super::sources_check::discover(&ctx, &url, add).await
        }
        SourcesCommand::Resume { id } => {
            if ctx.store.resume_source(id)? {
                say!("resumed source {id}; it is due now");
            } else {
                say!("source {id} was not paused");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A language code checked by the one parser the CLI, OPML and the API share; empty is none.
fn check_lang(l: &Option<String>) -> Result<Option<String>> {
    check(l, newsdesk_sources::parse_language)
}

/// A country (code or English name) checked by the shared parser; empty is none.
fn check_country(c: &Option<String>) -> Result<Option<String>> {
    check(c, newsdesk_sources::parse_country)
}

fn check(
    v: &Option<String>,
    parse: fn(&str) -> Result<String, newsdesk_sources::EditError>,
) -> Result<Option<String>> {
    match v.as_deref().map(parse).transpose() {
        Ok(v) => Ok(v.filter(|v| !v.is_empty())),
        Err(e) => Err(super::sources_profile::edit_error(e)),
    }
}

/// `sources add`: `new.feed_url` is what the user typed (a feed, a page, or a bare host).
async fn add(
    ctx: &Context,
    mut new: NewSource,
    languages: Vec<String>,
    no_check: bool,
    quiet: bool,
) -> Result<ExitCode> {
    let input = std::mem::take(&mut new.feed_url);
    let operator = super::sources_profile::ProfileEdit {
        country: new.country.clone(),
        languages: (!languages.is_empty()).then_some(languages),
        ..Default::default()
    };
    if no_check {
        let urls = urls_to_try(&input)?;
        if urls.len() > 1 {
            tell!(
                quiet,
                "{input} has no scheme: storing {} unchecked",
                urls[0]
            );
        }
        new.feed_url = urls[0].clone();
    } else {
        let fetcher = ctx.fetcher()?;
        let mut notes = Vec::new();
        let opened = open_input(&fetcher, &input, |m| notes.push(m)).await;
        for n in notes {
            tell!(quiet, "{n}");
        }
        let (url, resp) = opened?;
        let resolved = resolve_response(&fetcher, &url, resp).await?;
        if let Some(page) = &resolved.page_url {
            tell!(
                quiet,
                "{page} is a web page; found the feed {} ({})",
                resolved.feed_url,
                resolved.how
            );
            if !resolved.others.is_empty() {
                tell!(
                    quiet,
                    "other {} found (not added):",
                    if resolved.others.len() == 1 {
                        "feed"
                    } else {
                        "feeds"
                    }
                );
                for c in &resolved.others {
                    tell!(
                        quiet,
                        "  {}  [{}] {}",
                        c.url,
                        c.entries()
                            .map(|n| counted(n as u64, "entry", "entries"))
                            .unwrap_or_default(),
                        c.title.as_deref().unwrap_or("")
                    );
                }
                tell!(
                    quiet,
                    "hint: `newsdesk sources add URL` adds one of them too; \
                     `newsdesk sources discover {page} --add` adds them all"
                );
            }
            new.site_url = Some(page.clone());
        }
        new.feed_url = resolved.feed_url.clone();
        if new.site_url.is_none() {
            new.site_url = resolved.feed.feed.link.clone();
        }
        if new.name.is_none() {
            new.name = resolved
                .feed
                .feed
                .title
                .clone()
                .filter(|t| !t.trim().is_empty());
        }
        if new.language.is_none() {
            new.language = resolved
                .feed
                .feed
                .language
                .as_deref()
                .and_then(|l| l.split(['-', '_']).next())
                .map(str::to_ascii_lowercase)
                .filter(|l| (2..=3).contains(&l.len()));
        }
        tell!(
            quiet,
            "feed ok: {}",
            counted(resolved.feed.entries.len() as u64, "entry", "entries")
        );
    }
    match ctx.store.add_source(&new) {
        Ok(s) => {
            tell!(quiet, "added source {}: {} <{}>", s.id, s.name, s.feed_url);
            let language_from_feed = operator.languages.is_none();
            let s = super::sources_profile::after_add(
                &ctx.store,
                &s,
                &operator,
                language_from_feed,
                "newsdesk sources add",
            )?;
            for line in super::sources_profile::describe(&s, &ctx.config.web.country_names) {
                tell!(quiet, "  {line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::DuplicateSource { feed_url, id }) => {
            bail!("source {id} already has feed URL {feed_url}")
        }
        Err(e) => Err(e.into()),
    }
}

fn list(ctx: &Context, json: bool) -> Result<ExitCode> {
    let sources = ctx.store.list_sources()?;
    let paused = ctx.store.paused_sources()?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &sources)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if sources.is_empty() {
        writeln!(
            out,
            "no sources yet; add one with `newsdesk sources add URL`"
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:>4}  {:<28} {:<4} {:<3} {:>8}  {:<13} feed",
        "id", "name", "lang", "cc", "articles", "status"
    )?;
    for s in &sources {
        let reason = paused
            .iter()
            .find(|(id, _)| *id == s.source.id)
            .map(|(_, r)| r.as_str());
        write_row(&mut out, s, reason)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_row(out: &mut impl Write, s: &SourceWithStats, paused: Option<&str>) -> Result<()> {
    let name: String = s.source.name.chars().take(28).collect();
    writeln!(
        out,
        "{:>4}  {:<28} {:<4} {:<3} {:>8}  {:<13} {}",
        s.source.id,
        name,
        s.source.language.as_deref().unwrap_or("-"),
        s.source.country.as_deref().unwrap_or("-"),
        s.article_count,
        if paused.is_some() {
            "paused"
        } else {
            s.fetch.last_status.as_str()
        },
        s.source.feed_url
    )?;
    if let Some(err) = &s.fetch.last_error {
        writeln!(out, "      error: {err}")?;
    }
    if let Some(reason) = paused
        && !s
            .fetch
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains(reason))
    {
        writeln!(out, "      paused: {reason}")?;
    }
    if let Some(next) = s.fetch.next_fetch_at.filter(|_| paused.is_none()) {
        writeln!(
            out,
            "      next fetch: {}",
            next.format("%Y-%m-%d %H:%M UTC")
        )?;
    }
    Ok(())
}

fn import(ctx: &Context, file: &std::path::Path, quiet: bool) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let outlines = newsdesk_feeds::parse_opml(&bytes)?;
    let (mut added, mut skipped, mut bad) = (0, 0, 0);
    let progress = Progress::sources(outlines.len() as u64, quiet);
    for o in outlines {
        progress.source_done();
        let ok_url = url::Url::parse(&o.xml_url)
            .map(|u| matches!(u.scheme(), "http" | "https"))
            .unwrap_or(false);
        if !ok_url {
            eprintln!("skipped {:?}: not an http(s) URL", o.xml_url);
            bad += 1;
            continue;
        }
        let new = NewSource {
            feed_url: o.xml_url.clone(),
            site_url: o.html_url.clone(),
            name: o.title.clone(),
            language: check_lang(
                &o.language
                    .as_deref()
                    .map(newsdesk_sources::split_list)
                    .and_then(|l| l.into_iter().next()),
            )
            .ok()
            .flatten(),
            country: None,
        };
        match ctx.store.add_source(&new) {
            Ok(s) => {
                added += 1;
                let reference = format!("OPML import ({})", file.display());
                let edit = super::sources_profile::opml_edit(&o);
                if let Err(e) =
                    super::sources_profile::after_add(&ctx.store, &s, &edit, false, &reference)
                {
                    eprintln!(
                        "source {} ({}): profile attributes ignored: {e:#}",
                        s.id, o.xml_url
                    );
                }
            }
            Err(StoreError::DuplicateSource { .. }) => skipped += 1,
            Err(e) => {
                progress.finish();
                return Err(e.into());
            }
        }
    }
    progress.finish();
    tell!(
        quiet,
        "imported {} ({skipped} already present, {bad} invalid)",
        counted(added, "source", "sources")
    );
    Ok(ExitCode::SUCCESS)
}

fn export(ctx: &Context) -> Result<ExitCode> {
    let sources = ctx.store.list_sources()?;
    let outlines: Vec<OpmlOutline> = sources
        .iter()
        .map(|s| {
            let mut o = OpmlOutline {
                xml_url: s.source.feed_url.clone(),
                html_url: s.source.site_url.clone(),
                title: Some(s.source.name.clone()),
                language: (!s.source.languages.is_empty())
                    .then(|| s.source.languages.join(","))
                    .or_else(|| s.source.language.clone()),
                ..Default::default()
            };
            super::sources_profile::opml_attributes(&s.source, &mut o);
            o
        })
        .collect();
    let mut out = std::io::stdout().lock();
    out.write_all(newsdesk_feeds::write_opml("newsdesk sources", &outlines).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

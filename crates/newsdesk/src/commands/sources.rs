//! `newsdesk sources add|list|remove|import|export|check|discover|resume`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use newsdesk_core::{NewSource, SourceWithStats};
use newsdesk_feeds::OpmlOutline;
use newsdesk_store::StoreError;

use super::Context;
use crate::cli::SourcesCommand;
use crate::pipeline::resolve_feed;

/// Dispatches a sources subcommand.
pub async fn run(ctx: Context, cmd: SourcesCommand) -> Result<ExitCode> {
    match cmd {
        SourcesCommand::Add {
            url,
            name,
            language,
            country,
            no_check,
        } => add(&ctx, url, name, language, country, no_check).await,
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
                language,
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
        SourcesCommand::Import { file } => import(&ctx, &file),
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

fn check_lang(l: &Option<String>) -> Result<Option<String>> {
    match l {
        None => Ok(None),
        Some(l) if (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()) => {
            Ok(Some(l.to_ascii_lowercase()))
        }
        Some(l) => bail!("--language {l:?} is not an ISO 639 code such as \"fr\""),
    }
}

fn check_country(c: &Option<String>) -> Result<Option<String>> {
    match c {
        None => Ok(None),
        Some(c) if c.len() == 2 && c.chars().all(|c| c.is_ascii_alphabetic()) => {
            Ok(Some(c.to_ascii_uppercase()))
        }
        Some(c) => bail!("--country {c:?} is not an ISO 3166 code such as \"FR\""),
    }
}

async fn add(
    ctx: &Context,
    url: String,
    name: Option<String>,
    language: Option<String>,
    country: Option<String>,
    no_check: bool,
) -> Result<ExitCode> {
    let language = check_lang(&language)?;
    let country = check_country(&country)?;
    let operator = super::sources_profile::ProfileEdit {
        country: country.clone(),
        language: language.clone(),
        ..Default::default()
    };
    let parsed = url::Url::parse(&url).with_context(|| format!("{url:?} is not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        bail!("{url:?}: only http and https sources are supported");
    }
    let mut new = NewSource {
        feed_url: url.clone(),
        site_url: None,
        name,
        language,
        country,
    };
    if !no_check {
        let fetcher = ctx.fetcher()?;
        let resolved = resolve_feed(&fetcher, &url).await?;
        if let Some(page) = &resolved.page_url {
            say!(
                "{page} is a web page; it advertises {} feed(s):",
                resolved.discovered.len()
            );
            for d in &resolved.discovered {
                let mark = if *d == resolved.feed_url { "*" } else { " " };
                say!("  {mark} {d}");
            }
            say!("chose {}", resolved.feed_url);
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
        say!("feed ok: {} entries", resolved.feed.entries.len());
    }
    match ctx.store.add_source(&new) {
        Ok(s) => {
            say!("added source {}: {} <{}>", s.id, s.name, s.feed_url);
            let language_from_feed = operator.language.is_none();
            let s = super::sources_profile::after_add(
                &ctx.store,
                &s,
                &operator,
                language_from_feed,
                "newsdesk sources add",
            )?;
            for line in super::sources_profile::describe(&s) {
                say!("  {line}");
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

fn import(ctx: &Context, file: &std::path::Path) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let outlines = newsdesk_feeds::parse_opml(&bytes)?;
    let (mut added, mut skipped, mut bad) = (0, 0, 0);
    for o in outlines {
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
            language: check_lang(&o.language).ok().flatten(),
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
            Err(e) => return Err(e.into()),
        }
    }
    say!("imported {added} sources ({skipped} already present, {bad} invalid)");
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
                language: s.source.language.clone(),
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

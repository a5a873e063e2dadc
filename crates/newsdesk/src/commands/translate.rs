//! `newsdesk translate text|stats|pairs`: the translation stage from the command line.
//!
//! The backends come from the `[translate]` table of the configuration file when there is one
//! (see `newsdesk_translate::TranslateConfig`), else local Apertium alone. The cache (and the
//! usage counters `stats` prints) is `--cache FILE`, else `[translate] cache`, else the site's
//! database (`[storage] database`) when it exists, else in memory.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use newsdesk_store::Store;
use newsdesk_translate::{
    MemoryCache, SegmentStatus, TranslateConfig, TranslationCache, TranslationUsage, Translator,
};

use crate::config::Config;

/// `newsdesk translate …`.
#[derive(Debug, Subcommand)]
pub enum TranslateCommand {
    /// Translate a text (arguments, or standard input) and print it; the route goes to stderr.
    Text(TextArgs),
    /// Characters, calls, cache hits, errors and unknown words per backend, as persisted (in
    /// the cache file, else the site's database).
    Stats {
        /// Only today's counters (UTC), which the daily budgets use.
        #[arg(long)]
        today: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Backends and cache.
        #[command(flatten)]
        setup: SetupArgs,
    },
    /// List the backends and their pairs, or print the route for one pair.
    Pairs {
        /// Source language (with --to: print the route).
        #[arg(long)]
        from: Option<String>,
        /// Target language.
        #[arg(long, requires = "from")]
        to: Option<String>,
        /// Backends and cache.
        #[command(flatten)]
        setup: SetupArgs,
    },
}

/// Where the backends and the cache come from.
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Translation cache file (SQLite) [default: `[translate] cache`, else the site's database
    /// when it exists, else in memory].
    #[arg(long, value_name = "FILE")]
    pub cache: Option<PathBuf>,
}

/// `newsdesk translate text`.
#[derive(Debug, Args)]
pub struct TextArgs {
    /// Language of the text, ISO 639-1 (e.g. en).
    #[arg(long)]
    pub from: String,
    /// Language to translate into, ISO 639-1 (e.g. fr).
    #[arg(long)]
    pub to: String,
    /// The text; standard input when absent. Each line is a paragraph.
    pub text: Vec<String>,
    /// Print JSON: the text, the route and every segment with its status.
    #[arg(long)]
    pub json: bool,
    /// Backends and cache.
    #[command(flatten)]
    pub setup: SetupArgs,
}

/// Reads the `[translate]` table of the configuration file, if there is a file; returns it with
/// the directory relative paths are relative to.
pub fn load_translate_config(explicit: Option<&Path>) -> Result<(TranslateConfig, PathBuf)> {
    let (config, base, _) = load_translate_setup(explicit)?;
    Ok((config, base))
}

/// [`load_translate_config`], and the site's database file when there is a configuration file.
fn load_translate_setup(
    explicit: Option<&Path>,
) -> Result<(TranslateConfig, PathBuf, Option<PathBuf>)> {
    let path = match Config::locate(explicit) {
        Ok(p) => p,
        // No configuration anywhere: local Apertium with an in-memory cache.
        Err(_) if explicit.is_none() => {
            return Ok((TranslateConfig::default(), std::env::current_dir()?, None));
        }
        Err(e) => return Err(e),
    };
    if !path.exists() {
        if explicit.is_some() {
            bail!("configuration file {} does not exist", path.display());
        }
        return Ok((TranslateConfig::default(), std::env::current_dir()?, None));
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read configuration file {}", path.display()))?;
    let table: toml::Table = toml::from_str(&text)
        .with_context(|| format!("invalid configuration file {}", path.display()))?;
    let config = match table.get("translate") {
        Some(v) => v
            .clone()
            .try_into()
            .with_context(|| format!("invalid [translate] table in {}", path.display()))?,
        None => TranslateConfig::default(),
    };
    let base = std::path::absolute(&path)?
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let database = table
        .get("storage")
        .and_then(|s| s.get("database"))
        .and_then(|d| d.as_str())
        .unwrap_or("data/newsdesk.db");
    let database = base.join(database);
    Ok((config, base, Some(database)))
}

/// The persistent cache: the cache file when there is one (relative to `base`), else the
/// site's database when it exists; `None` when there is neither.
fn persisted_cache(
    config: &TranslateConfig,
    base: &Path,
    database: Option<&Path>,
) -> Result<Option<Arc<dyn TranslationCache>>> {
    let file = match (&config.cache, database) {
        (Some(file), _) => base.join(file),
        (None, Some(db)) if db.is_file() => db.to_path_buf(),
        (None, _) => return Ok(None),
    };
    let store = Store::open_translation_cache(&file)
        .with_context(|| format!("cannot open the translation cache {}", file.display()))?;
    Ok(Some(Arc::new(store)))
}

/// Builds the translator of the configuration, with `--cache` overriding the cache file.
pub async fn build_translator(explicit: Option<&Path>, setup: &SetupArgs) -> Result<Translator> {
    let (mut config, base, database) = load_translate_setup(explicit)?;
    if let Some(c) = &setup.cache {
        config.cache = Some(std::path::absolute(c)?);
    }
    let cache = persisted_cache(&config, &base, database.as_deref())?
        .unwrap_or_else(|| Arc::new(MemoryCache::new()));
    Ok(Translator::from_config(&config, cache).await?)
}

/// Runs one `translate` subcommand.
pub async fn run(cmd: TranslateCommand, config: Option<&Path>) -> Result<ExitCode> {
    match cmd {
        TranslateCommand::Text(args) => text(args, config).await,
        TranslateCommand::Stats { today, json, setup } => stats(today, json, &setup, config).await,
        TranslateCommand::Pairs { from, to, setup } => {
            let t = build_translator(config, &setup).await?;
            if let (Some(from), Some(to)) = (from, to) {
                say!("{}", t.route(&from, &to)?);
                return Ok(ExitCode::SUCCESS);
            }
            for (name, pairs) in t.backends() {
                let list: Vec<String> = pairs.iter().map(ToString::to_string).collect();
                say!(
                    "{name}: {}",
                    if list.is_empty() {
                        "(no pairs)".to_string()
                    } else {
                        list.join(" ")
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn text(args: TextArgs, config: Option<&Path>) -> Result<ExitCode> {
    let input = if args.text.is_empty() {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input")?;
        s
    } else {
        args.text.join(" ")
    };
    let t = build_translator(config, &args.setup).await?;
    let tr = t
        .translate_text(input.trim_end_matches('\n'), &args.from, &args.to)
        .await?;
    if args.json {
        let segments: Vec<serde_json::Value> = tr
            .segments
            .iter()
            .map(|s| {
                let (status, reason) = match &s.status {
                    SegmentStatus::Translated => ("translated", None),
                    SegmentStatus::Cached => ("cached", None),
                    SegmentStatus::Retried => ("retried", None),
                    SegmentStatus::Unchanged => ("unchanged", None),
                    SegmentStatus::KeptOriginal(r) => ("kept_original", Some(r.clone())),
                };
                serde_json::json!({"source": s.source, "text": s.text, "status": status, "reason": reason})
            })
            .collect();
        let out = serde_json::json!({
            "text": tr.text,
            "route": tr.route.to_string(),
            "segments": segments,
        });
        say!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    say!("{}", tr.text);
    eprintln!("route: {}", tr.route);
    for s in &tr.segments {
        if let SegmentStatus::KeptOriginal(reason) = &s.status {
            eprintln!("kept in the original language: {:?}: {reason}", s.source);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn stats(
    today: bool,
    json: bool,
    setup: &SetupArgs,
    config: Option<&Path>,
) -> Result<ExitCode> {
    let (mut cfg, base, database) = load_translate_setup(config)?;
    if let Some(c) = &setup.cache {
        cfg.cache = Some(std::path::absolute(c)?);
    }
    // Only the counters are read: no backend is started.
    let Some(cache) = persisted_cache(&cfg, &base, database.as_deref())? else {
        bail!(
            "no translation counters: no site database{} and no cache file (set `cache` in \
             [translate] or pass --cache FILE)",
            database
                .map(|d| format!(" at {}", d.display()))
                .unwrap_or_default()
        );
    };
    let day = today.then(|| chrono::Utc::now().date_naive());
    let usage = cache.usage(day)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&usage)?);
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "{:<16} {:>12} {:>8} {:>10} {:>11} {:>7} {:>10} {:>6} {:>8}",
        "backend",
        "characters",
        "calls",
        "segments",
        "cache hits",
        "errors",
        "check fail",
        "kept",
        "unknown"
    );
    let mut total = TranslationUsage::default();
    for (name, u) in &usage {
        total += *u;
        say!(
            "{:<16} {:>12} {:>8} {:>10} {:>11} {:>7} {:>10} {:>6} {:>8}",
            name,
            u.chars,
            u.calls,
            u.segments,
            u.cache_hits,
            u.errors,
            u.check_failures,
            u.kept_original,
            u.unknown_words
        );
    }
    if usage.len() > 1 {
        say!(
            "{:<16} {:>12} {:>8} {:>10} {:>11} {:>7} {:>10} {:>6} {:>8}",
            "total",
            total.chars,
            total.calls,
            total.segments,
            total.cache_hits,
            total.errors,
            total.check_failures,
            total.kept_original,
            total.unknown_words
        );
    }
    Ok(ExitCode::SUCCESS)
}

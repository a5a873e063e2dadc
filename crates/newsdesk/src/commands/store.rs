//! `newsdesk store …`: whole-database tools (`store copy`), and `newsdesk status`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use newsdesk_store::{CopyOptions, CopyProgress, Store, copy_store};

use super::context::open_store;
use crate::cli::StoreCommand;
use crate::config::Config;

/// Runs one `store` subcommand.
pub fn run(cmd: StoreCommand, quiet: bool) -> Result<ExitCode> {
    match cmd {
        StoreCommand::Copy { from, to, force } => copy(&from, &to, force, quiet),
    }
}

fn is_postgres(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens the source: a SQLite file must exist (opening would create an empty one); a
/// PostgreSQL database must be on this build's schema.
fn open_source(url: &str) -> Result<Store> {
    if is_postgres(url) {
        return Store::open_url_without_migrating(url)
            .context("cannot open the source (run `newsdesk migrate` on it first?)");
    }
    let path = url.trim().strip_prefix("sqlite://").unwrap_or(url.trim());
    if !Path::new(path).is_file() {
        bail!("the source database {path} does not exist");
    }
    Store::open(Path::new(path)).context("cannot open the source")
}

fn copy(from: &str, to: &str, force: bool, quiet: bool) -> Result<ExitCode> {
    let source = open_source(from)?;
    let target = Store::open_url(to).context("cannot open the target")?;
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg:>28} [{bar:30}] {pos}/{len} rows")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut show = |p: CopyProgress<'_>| {
        let Some(bar) = &bar else { return };
        match p {
            CopyProgress::Copying { table, done, total } => {
                bar.set_message(format!("copying {table}"));
                bar.set_length(total);
                bar.set_position(done);
            }
            CopyProgress::Verifying { table } => {
                bar.set_message(format!("verifying {table}"));
            }
        }
    };
    let result = copy_store(&source, &target, CopyOptions { force }, &mut show);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = result?;
    if !quiet {
        for t in &report.tables {
            say!(
                "{:<22} {:>10} rows  blake3 {}",
                t.table,
                t.rows,
                &t.checksum[..16]
            );
        }
        say!(
            "copied {} rows in {} tables from {} to {}; counts and checksums verified",
            report.rows(),
            report.tables.len(),
            source.location(),
            target.location()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk status`: what the configured store holds and how far the work is.
pub fn status(explicit: Option<&Path>, json: bool) -> Result<ExitCode> {
    let config = Config::load(&Config::locate(explicit)?)?;
    let store = open_store(&config, false)?;
    let s = store.status()?;
    let replica = config
        .database_read_url()
        .map(|url| store.with_replica(&url).and_then(|r| r.replica_status()));
    if json {
        let mut value = serde_json::to_value(&s)?;
        if let (Some(replica), Some(object)) = (&replica, value.as_object_mut()) {
            let shown = match replica {
                Ok(status) => serde_json::to_value(status)?,
                Err(e) => serde_json::json!({ "error": e.to_string() }),
            };
            object.insert("replica".to_owned(), shown);
        }
        say!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    say!("database       {} ({})", s.location, s.backend);
    say!("schema version {}", s.schema_version);
    match replica {
        None => {}
        Some(Ok(Some(r))) => {
            let lag = match (r.streaming, r.behind_bytes) {
                (true, Some(b)) => format!("streaming standby, {b} bytes of WAL behind"),
                (true, None) => "streaming standby".to_owned(),
                (false, _) => "not a standby (a database kept in step some other way)".to_owned(),
            };
            say!(
                "read replica   {} (schema version {}; {lag})",
                r.location,
                r.schema_version
            );
        }
        Some(Ok(None)) => {}
        Some(Err(e)) => say!("read replica   unusable: {e}"),
    }
    for (table, rows) in &s.tables {
        say!("  {table:<22} {rows:>10} rows");
    }
    let last = s
        .last_fetch_at
        .map_or_else(|| "never".to_owned(), |t| t.to_rfc3339());
    say!("last fetch     {last}");
    say!(
        "sources        {} never fetched, {} failing, {} paused",
        s.sources_never_fetched,
        s.sources_failing,
        s.sources_paused
    );
    say!(
        "stories        placed through article {} of {}; {} articles waiting",
        s.stories_placed_through.unwrap_or(0),
        s.newest_article.unwrap_or(0),
        s.articles_not_placed
    );
    say!("work queue     (`newsdesk worker`)");
    for k in &s.queue.kinds {
        let lag = k
            .oldest_ready_secs
            .map_or_else(String::new, |secs| format!("; oldest ready {secs} s"));
        say!(
            "  {:<14} {:>8} ready {:>6} waiting {:>5} running {:>5} failed{lag}",
            k.kind.as_str(),
            k.ready,
            k.waiting,
            k.running,
            k.failed
        );
    }
    let alive = s.queue.workers.iter().filter(|w| w.alive).count();
    say!("workers        {alive} alive of {}", s.queue.workers.len());
    for w in &s.queue.workers {
        say!(
            "  {:<32} {} pid {:<8} {:>3} leases {:>8} jobs done; last seen {}{}",
            w.info.id,
            w.info.hostname,
            w.info.pid,
            w.leases,
            w.info.jobs_done,
            w.last_seen.to_rfc3339(),
            if w.alive { "" } else { " (silent)" }
        );
    }
    for f in &s.queue.failed {
        say!(
            "  given up: {} {} after {} tries: {}",
            f.kind.as_str(),
            f.key,
            f.attempts,
            f.last_error.as_deref().unwrap_or("?")
        );
    }
    Ok(ExitCode::SUCCESS)
}

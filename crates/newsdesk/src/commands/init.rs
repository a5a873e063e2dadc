//! `newsdesk init [DIR]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::config::{CONFIG_FILE_NAME, Config, default_config_text};

/// Writes `DIR/newsdesk.toml` and creates the data directory and an empty database.
pub fn run(dir: Option<PathBuf>, force: bool) -> Result<ExitCode> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file = dir.join(CONFIG_FILE_NAME);
    if file.exists() && !force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            file.display()
        );
    }
    // Write to a temporary file and rename, so a crash never leaves half a configuration.
    let tmp = dir.join(format!(".{CONFIG_FILE_NAME}.tmp"));
    std::fs::write(&tmp, default_config_text())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &file).with_context(|| format!("cannot write {}", file.display()))?;
    let config = Config::load(&file)?;
    let ctx = super::Context::from_config(config)?;
    drop(ctx);
    say!("wrote {}", file.display());
    say!(
        "database: {}",
        Config::load(&file)?.database_path().display()
    );
    say!("next: newsdesk --config {} sources add URL", file.display());
    Ok(ExitCode::SUCCESS)
}

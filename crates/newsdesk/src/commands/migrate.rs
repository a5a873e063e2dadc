//! `newsdesk migrate`: brings the configured database's schema up to this build's.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use newsdesk_store::SCHEMA_VERSION;

use super::context::open_store;
use crate::config::Config;

/// Opens the configured store with migrations and reports its schema version.
pub fn run(explicit: Option<&Path>) -> Result<ExitCode> {
    let config = Config::load(&Config::locate(explicit)?)?;
    let store = open_store(&config, true)?;
    let version = store.schema_version()?;
    say!(
        "{}: schema version {version} (this build knows {SCHEMA_VERSION})",
        store.location()
    );
    Ok(ExitCode::SUCCESS)
}

//! One module per subcommand; `run` dispatches.

/// [`newsdesk_bench::say!`] (`println!` that returns an error when stdout is closed), in
/// scope for every command module; `main` turns a broken pipe into a clean exit.
macro_rules! say {
    ($($t:tt)*) => { newsdesk_bench::say!($($t)*) };
}

mod context;
mod demo;
mod extract;
mod feed_parse;
mod fetch;
mod init;
mod migrate;
pub mod output;
mod serve;
mod sources;
mod sources_check;
mod sources_profile;
mod store;
mod stories;
pub mod translate;
mod worker;

use std::process::ExitCode;

use anyhow::Result;

pub use context::Context;

use crate::cli::{Cli, Command};

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> Result<ExitCode> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Init { dir, force } => init::run(dir, force),
        Command::Migrate => migrate::run(cli.config.as_deref()),
        Command::Store(cmd) => store::run(cmd, quiet),
        Command::Status { json } => store::status(cli.config.as_deref(), json),
        Command::Sources(cmd) => {
            sources::run(Context::load(cli.config.as_deref())?, cmd, quiet).await
        }
        Command::Fetch(args) => {
            fetch::run(Context::load(cli.config.as_deref())?, args, quiet).await
        }
        Command::Worker(args) => {
            worker::run(Context::load(cli.config.as_deref())?, args, quiet).await
        }
        Command::FeedParse { file, url } => feed_parse::run(&file, url.as_deref()),
        Command::Extract(args) => extract::run(args, cli.config.as_deref()).await,
        Command::Serve { bind, no_fetch } => {
            serve::run(Context::load(cli.config.as_deref())?, bind, no_fetch).await
        }
        Command::Demo {
            bind,
            data,
            keep,
            no_serve,
        } => {
            demo::run(demo::DemoArgs {
                bind,
                data,
                keep,
                no_serve,
                quiet,
            })
            .await
        }
        Command::Bench(b) => {
            newsdesk_bench::run(b, &|path| translate::load_translate_config(Some(path))).await
        }
        Command::Translate(cmd) => translate::run(cmd, cli.config.as_deref()).await,
        Command::Stories { stream } => stories::stories(stream, cli.config.as_deref(), quiet).await,
        Command::Copies => stories::copies(cli.config.as_deref(), quiet).await,
    }
}

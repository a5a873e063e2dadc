//! One module per subcommand; `run` dispatches.

/// `println!` that returns an error instead of panicking when stdout is closed (e.g. `| head`);
/// `main` turns a broken pipe into a clean exit.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($t)*)?
    }};
}

mod bench;
mod bench_extract;
mod bench_fetch;
mod bench_hostile;
mod bench_stories;
pub mod bench_translate;
mod context;
mod demo;
mod extract;
mod feed_parse;
mod fetch;
mod init;
mod serve;
mod sources;
mod sources_check;
mod stories;
pub mod translate;

use std::process::ExitCode;

use anyhow::Result;

pub use context::Context;

use crate::cli::{Cli, Command};

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> Result<ExitCode> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Init { dir, force } => init::run(dir, force),
        Command::Sources(cmd) => sources::run(Context::load(cli.config.as_deref())?, cmd).await,
        Command::Fetch(args) => {
            fetch::run(Context::load(cli.config.as_deref())?, args, quiet).await
        }
        Command::FeedParse { file, url } => feed_parse::run(&file, url.as_deref()),
        Command::Extract(args) => extract::run(args, cli.config.as_deref()).await,
        Command::Serve { bind, no_fetch } => {
            serve::run(Context::load(cli.config.as_deref())?, bind, no_fetch).await
        }
        Command::Demo {
            bind,
            data,
            no_serve,
        } => demo::run(&bind, data, no_serve, quiet).await,
        Command::Bench(b) => bench::run(b).await,
        Command::Translate(cmd) => translate::run(cmd, cli.config.as_deref()).await,
        Command::Stories {
            stream,
            window_hours,
        } => stories::stories(stream, window_hours, quiet),
        Command::Copies { window_hours } => stories::copies(window_hours, quiet),
    }
}

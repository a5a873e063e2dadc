//! The `newsdesk` binary: the CLI, the configuration, and the pipeline that wires the stage
//! crates together. It holds no stage logic of its own (see `ARCHITECTURE.md`).

mod cli;
mod commands;
mod config;
mod pipeline;
mod text;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let default_level = match cli.verbose {
        0 => "warn,html5ever=error",
        1 => "info,newsdesk=info",
        _ => "debug,hyper=info,h2=info,rustls=info,html5ever=info,selectors=info",
    };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();

    // reqwest is built with rustls but no default crypto provider (the aws-lc provider is a slow
    // C build); install ring once for every client in the process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("newsdesk: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (e.g. `newsdesk sources export | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("newsdesk: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

//! The `newsdesk` binary: the CLI, the configuration, and the wiring of `newsdesk-pipeline` (which
//! calls the stage crates) and `newsdesk-bench`. It holds no stage logic of its own (see
//! `ARCHITECTURE.md`).

mod cli;
mod commands;
mod config;

use std::process::ExitCode;

use clap::Parser as _;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; a wrong command line exits 64 (EX_USAGE).
            let code = if e.use_stderr() {
                commands::output::EXIT_USAGE
            } else {
                0
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
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
        .with_ansi(commands::output::stderr_colour())
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
            commands::output::error(&format!("{e:#}"));
            ExitCode::from(commands::output::EXIT_ERROR)
        }
    }
}

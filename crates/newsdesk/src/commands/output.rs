//! How the commands talk to people and scripts: exit codes, and warnings and errors on stderr
//! (one line each, coloured only on a terminal and never when `NO_COLOR` is set).

use std::io::IsTerminal;
use std::process::ExitCode;

/// Exit code: everything went well.
pub const EXIT_OK: u8 = 0;
/// Exit code: an error stopped the command (configuration, database, bad URL, nothing found).
pub const EXIT_ERROR: u8 = 1;
/// Exit code: every source of a fetch failed.
pub const EXIT_ALL_FAILED: u8 = 2;
/// Exit code: some sources of a fetch failed, the others were fetched.
pub const EXIT_SOME_FAILED: u8 = 3;
/// Exit code: the command line itself is wrong (unknown flag, missing argument).
pub const EXIT_USAGE: u8 = 64;

/// The exit codes, as `--help` and the README document them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0   success (every source fetched, or nothing to do)
  1   error: nothing was done (configuration, database, URL, no feed found)
  2   every source of the pass failed (fetch, demo)
  3   some sources failed, the others were fetched (fetch, demo)
  64  the command line is wrong (unknown flag, missing argument)";

/// The exit code of a pass where `failed` of `total` sources failed.
pub fn pass_exit(failed: usize, total: usize) -> u8 {
    match failed {
        0 => EXIT_OK,
        n if n >= total => EXIT_ALL_FAILED,
        _ => EXIT_SOME_FAILED,
    }
}

/// [`pass_exit`] as an [`ExitCode`].
pub fn pass_exit_code(failed: usize, total: usize) -> ExitCode {
    ExitCode::from(pass_exit(failed, total))
}

/// Whether stderr gets colour: a terminal, and `NO_COLOR` unset or empty (no-color.org).
pub fn stderr_colour() -> bool {
    colour_allowed(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

fn colour_allowed(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

/// `label` in bold `colour` (an ANSI code) when stderr takes colour, else as is.
fn label(text: &str, colour: &str) -> String {
    if stderr_colour() {
        format!("\x1b[1;{colour}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Prints `newsdesk: warning: {message}` on stderr.
pub fn warning(message: &str) {
    eprintln!("newsdesk: {} {message}", label("warning:", "33"));
}

/// Prints `newsdesk: error: {message}` on stderr.
pub fn error(message: &str) {
    eprintln!("newsdesk: {} {message}", label("error:", "31"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_needs_a_terminal_and_no_no_color() {
        assert!(colour_allowed(true, None));
        assert!(colour_allowed(true, Some(std::ffi::OsStr::new(""))));
        assert!(!colour_allowed(true, Some(std::ffi::OsStr::new("1"))));
        assert!(!colour_allowed(false, None));
    }

    #[test]
    fn a_pass_exits_by_how_many_sources_failed() {
        assert_eq!(pass_exit_code(0, 3), ExitCode::from(0));
        assert_eq!(pass_exit_code(1, 3), ExitCode::from(3));
        assert_eq!(pass_exit_code(3, 3), ExitCode::from(2));
    }
}

//! Progress reporting for long passes: a bar on a terminal, nothing otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress sink for one pass over the sources.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total` sources when stderr is a terminal and `quiet` is false; silent otherwise.
    pub fn sources(total: u64, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::new(total);
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sources  {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress { bar: Some(bar) }
    }

    /// A progress sink that shows nothing.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// One source is done.
    pub fn source_done(&self, new_articles: u64, total_new: u64) {
        if let Some(b) = &self.bar {
            b.inc(1);
            let _ = new_articles;
            b.set_message(format!("{total_new} new articles"));
        }
    }

    /// The pass is over.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

//! One progress display for every long pass (`fetch`, `demo`, `sources import`, translation
//! backfills): sources and articles done out of the total known so far, elapsed time, rate and
//! ETA, on one line of stderr that redraws itself every 200 ms. It is shown only when both
//! stdout and stderr are terminals and `-q` was not given; scripts see nothing.
//!
//! The same counts can be published to the site's [`SiteStatus`], so the pages of a site that
//! is served while it fetches (the demo) say that work is still running.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use newsdesk_web::{SiteStatus, WorkPhase, WorkProgress};

/// The counters behind the display.
#[derive(Debug, Clone)]
struct Counts {
    phase: WorkPhase,
    started: Instant,
    sources_done: u64,
    sources_total: u64,
    articles_done: u64,
    articles_total: u64,
}

impl Counts {
    fn new(phase: WorkPhase) -> Counts {
        Counts {
            phase,
            started: Instant::now(),
            sources_done: 0,
            sources_total: 0,
            articles_done: 0,
            articles_total: 0,
        }
    }

    fn snapshot(&self) -> WorkProgress {
        WorkProgress {
            phase: self.phase,
            sources_done: self.sources_done,
            sources_total: self.sources_total,
            articles_done: self.articles_done,
            articles_total: self.articles_total,
            elapsed_secs: self.started.elapsed().as_secs(),
        }
    }

    /// The line after the spinner: what is done, the rate and the ETA.
    fn line(&self) -> String {
        let elapsed = self.started.elapsed();
        let secs = elapsed.as_secs_f64().max(0.001);
        let mut out = String::new();
        let _ = write!(out, "[{}] ", clock(elapsed));
        match self.phase {
            WorkPhase::Fetching => {
                let _ = write!(
                    out,
                    "sources {}/{} · articles {}/{}",
                    self.sources_done, self.sources_total, self.articles_done, self.articles_total
                );
            }
            WorkPhase::Translating => {
                let _ = write!(
                    out,
                    "translating articles {}/{}",
                    self.articles_done, self.articles_total
                );
            }
            WorkPhase::Stories => {
                out.push_str("grouping the new articles into stories");
                return out;
            }
        }
        if self.articles_done > 0 {
            let _ = write!(out, " · {:.1} articles/s", self.articles_done as f64 / secs);
        } else if self.sources_done > 0 {
            let _ = write!(out, " · {:.1} sources/s", self.sources_done as f64 / secs);
        }
        if let Some(eta) = self.eta() {
            let _ = write!(out, " · ETA {}", clock(eta));
        }
        out
    }

    /// Time left: the longer of the estimates by sources and by articles (articles are only
    /// known once their feed was read, so the article estimate alone is too hopeful early on).
    fn eta(&self) -> Option<Duration> {
        let elapsed = self.started.elapsed().as_secs_f64();
        let by = |done: u64, total: u64| -> Option<f64> {
            (done > 0 && total >= done).then(|| elapsed / done as f64 * (total - done) as f64)
        };
        let sources = by(self.sources_done, self.sources_total);
        let articles = by(self.articles_done, self.articles_total);
        let secs = match (sources, articles) {
            (Some(a), Some(b)) => a.max(b),
            (a, b) => a.or(b)?,
        };
        Some(Duration::from_secs_f64(secs.min(360_000.0)))
    }
}

/// `hh:mm:ss`, or `mm:ss` under an hour.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

struct Inner {
    bar: Option<ProgressBar>,
    site: Option<SiteStatus>,
    counts: Arc<Mutex<Counts>>,
}

/// A progress sink shared by the tasks of a pass (cheap to clone).
#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

fn lock(counts: &Mutex<Counts>) -> MutexGuard<'_, Counts> {
    counts.lock().unwrap_or_else(|e| e.into_inner())
}

impl Progress {
    /// A display on the terminal, unless `quiet` or stdout/stderr is not a terminal.
    pub fn terminal(quiet: bool) -> Progress {
        let show = !quiet && std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
        Progress::build(show, None)
    }

    /// [`Progress::terminal`] that also publishes its counts to the site's status.
    pub fn terminal_and_site(quiet: bool, site: SiteStatus) -> Progress {
        let show = !quiet && std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
        Progress::build(show, Some(site))
    }

    /// A display over `total` sources (see [`Progress::terminal`]).
    pub fn sources(total: u64, quiet: bool) -> Progress {
        let p = Progress::terminal(quiet);
        p.begin_sources(total);
        p
    }

    /// A progress sink that shows nothing.
    pub fn hidden() -> Progress {
        Progress::build(false, None)
    }

    fn build(show: bool, site: Option<SiteStatus>) -> Progress {
        let counts = Arc::new(Mutex::new(Counts::new(WorkPhase::Fetching)));
        let bar = show.then(|| {
            let bar = ProgressBar::new_spinner();
            let shared = counts.clone();
            let style = ProgressStyle::with_template("{spinner} {counts}")
                .map(|s| {
                    s.with_key(
                        "counts",
                        move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = w.write_str(&lock(&shared).line());
                        },
                    )
                })
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar
        });
        Progress {
            inner: Arc::new(Inner { bar, site, counts }),
        }
    }

    fn update(&self, change: impl FnOnce(&mut Counts)) {
        let snapshot = {
            let mut c = lock(&self.inner.counts);
            change(&mut c);
            c.snapshot()
        };
        if let Some(site) = &self.inner.site {
            site.set_work(Some(snapshot));
        }
        if let Some(bar) = &self.inner.bar {
            bar.tick();
        }
    }

    /// A pass over `total` sources starts (the clock restarts).
    pub fn begin_sources(&self, total: u64) {
        self.update(|c| {
            *c = Counts::new(WorkPhase::Fetching);
            c.sources_total = total;
        });
        if let Some(bar) = &self.inner.bar {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// A translation backfill starts (its articles are counted with [`Progress::articles_found`]).
    pub fn begin_translation(&self) {
        self.update(|c| *c = Counts::new(WorkPhase::Translating));
        if let Some(bar) = &self.inner.bar {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// Story placement starts (no counts: a spinner and the elapsed time).
    pub fn begin_stories(&self) {
        self.update(|c| *c = Counts::new(WorkPhase::Stories));
        if let Some(bar) = &self.inner.bar {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// One source is done (fetched, failed or not modified).
    pub fn source_done(&self) {
        self.update(|c| c.sources_done += 1);
    }

    /// `n` more articles are known to be on the way (new entries of a feed just read).
    pub fn articles_found(&self, n: u64) {
        if n > 0 {
            self.update(|c| c.articles_total += n);
        }
    }

    /// `n` articles are done (stored, or skipped; translated, or left untranslated).
    pub fn articles_done(&self, n: u64) {
        if n > 0 {
            self.update(|c| c.articles_done += n);
        }
    }

    /// The work is over: the line is cleared and the site no longer says work is running.
    pub fn finish(&self) {
        if let Some(bar) = &self.inner.bar {
            bar.finish_and_clear();
        }
        if let Some(site) = &self.inner.site {
            site.set_work(None);
        }
    }

    /// Runs `f` (which prints a line) with the display hidden, so the line is not torn.
    pub fn suspend(&self, f: impl FnOnce()) {
        match &self.inner.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// The current line (what the terminal shows).
    #[cfg(test)]
    pub fn line(&self) -> String {
        lock(&self.inner.counts).line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_rate_and_eta_are_shown_and_published() {
        let site = SiteStatus::new();
        let p = Progress::build(false, Some(site.clone()));
        p.begin_sources(4);
        assert!(
            p.line().contains("sources 0/4 · articles 0/0"),
            "{}",
            p.line()
        );
        assert!(!p.line().contains("ETA"));
        p.articles_found(10);
        std::thread::sleep(Duration::from_millis(20));
        p.articles_done(5);
        p.source_done();
        let line = p.line();
        assert!(line.contains("sources 1/4 · articles 5/10"), "{line}");
        assert!(line.contains("articles/s"), "{line}");
        assert!(line.contains("ETA 00:0"), "{line}");
        let work = site.work().expect("published");
        assert_eq!((work.sources_done, work.articles_total), (1, 10));
        p.begin_translation();
        p.articles_found(3);
        assert!(
            p.line().contains("translating articles 0/3"),
            "{}",
            p.line()
        );
        assert_eq!(site.work().map(|w| w.phase), Some(WorkPhase::Translating));
        p.finish();
        assert_eq!(site.work(), None);
    }

    #[test]
    fn clock_reads_minutes_then_hours() {
        assert_eq!(clock(Duration::from_secs(65)), "01:05");
        assert_eq!(clock(Duration::from_secs(3 * 3600 + 62)), "3:01:02");
    }
}

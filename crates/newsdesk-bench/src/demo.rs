//! `newsdesk bench demo`: what a newcomer waits for, measured through this very binary: from
//! starting `newsdesk demo` to the first `200` of `/healthz`, to the first non-empty home page,
//! to the start of story placement (`/status` says `"phase": "stories"`: every sample article
//! fetched and translated), to the end of the background work (`"work": null`: stories placed;
//! their difference is the placement's time), and from Ctrl-C (SIGINT)
//! to the exit, with a check that the temporary data directory is gone.
//!
//! A measurement, not a test: nothing here asserts a time.

use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// One run's figures.
struct Round {
    health: Duration,
    first_page: Duration,
    /// When `/status` was first seen in the stories phase.
    stories_start: Option<Duration>,
    work_done: Option<Duration>,
    stop: Duration,
    left_behind: bool,
}

/// Runs `rounds` demos one after the other and prints each round and the medians.
pub async fn run(rounds: usize, binary: Option<std::path::PathBuf>) -> Result<ExitCode> {
    if rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    let exe = match binary {
        Some(b) => b,
        None => std::env::current_exe().context("cannot find this binary")?,
    };
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()?;
    say!(
        "bench demo: {rounds} run(s) of `{} demo` (debug or release as built; figures on a \
         shared machine are noisy)",
        exe.display()
    );
    let mut all = Vec::new();
    for i in 1..=rounds {
        let r = round(&exe, &client).await?;
        say!(
            "run {i}: /healthz {:.0} ms, first page {:.0} ms, stories placed {}, work done {}, Ctrl-C to exit {:.0} ms, data {}",
            ms(r.health),
            ms(r.first_page),
            r.placing()
                .map(|d| format!("in {:.2} s", d.as_secs_f64()))
                .unwrap_or_else(|| "(phase not seen)".into()),
            r.work_done
                .map(|d| format!("{:.2} s", d.as_secs_f64()))
                .unwrap_or_else(|| "not within 300 s".into()),
            ms(r.stop),
            if r.left_behind {
                "LEFT BEHIND"
            } else {
                "removed"
            }
        );
        all.push(r);
    }
    let median = |mut v: Vec<Duration>| -> Duration {
        v.sort();
        v[v.len() / 2]
    };
    say!(
        "median: /healthz {:.0} ms, first page {:.0} ms, Ctrl-C to exit {:.0} ms",
        ms(median(all.iter().map(|r| r.health).collect())),
        ms(median(all.iter().map(|r| r.first_page).collect())),
        ms(median(all.iter().map(|r| r.stop).collect()))
    );
    let done: Vec<Duration> = all.iter().filter_map(|r| r.work_done).collect();
    if !done.is_empty() {
        say!(
            "median time until the background work is done (every sample article fetched and translated, stories placed): {:.2} s",
            median(done).as_secs_f64()
        );
    }
    let placing: Vec<Duration> = all.iter().filter_map(Round::placing).collect();
    if !placing.is_empty() {
        say!(
            "median time to place the sample articles in stories (from the stories phase to the end of the work): {:.2} s",
            median(placing).as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

impl Round {
    /// From the start of the stories phase to the end of the work.
    fn placing(&self) -> Option<Duration> {
        Some(self.work_done?.saturating_sub(self.stories_start?))
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn round(exe: &Path, client: &reqwest::Client) -> Result<Round> {
    let tmp = std::env::temp_dir().join(format!(
        "newsdesk-bench-demo-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    std::fs::create_dir_all(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    let mut child = tokio::process::Command::new(exe)
        .args(["-q", "demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("TMPDIR", &tmp)
        .env_remove("NEWSDESK_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start the demo")?;
    let ok = |r: &reqwest::Response| r.status().is_success();
    let health = loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && ok(&r)
        {
            break start.elapsed();
        }
        if start.elapsed() > Duration::from_secs(60) {
            bail!("the demo did not answer /healthz within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let first_page = loop {
        if let Ok(r) = client.get(format!("{base}/")).send().await
            && ok(&r)
            && r.text().await.is_ok_and(|t| !t.trim().is_empty())
        {
            break start.elapsed();
        }
        if start.elapsed() > Duration::from_secs(60) {
            bail!("the demo did not serve / within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let mut stories_start = None;
    let work_done = loop {
        let answer = client.get(format!("{base}/status")).send().await;
        if answer
            .as_ref()
            .is_ok_and(|r| r.status() == reqwest::StatusCode::NOT_FOUND)
        {
            // A demo without /status (before it served at once) serves only after its work.
            break Some(first_page);
        }
        if let Ok(r) = answer
            && let Ok(text) = r.text().await
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
        {
            if v["work"].is_null() {
                break Some(start.elapsed());
            }
            if stories_start.is_none() && v["work"]["phase"] == "stories" {
                stories_start = Some(start.elapsed());
            }
        }
        if start.elapsed() > Duration::from_secs(300) {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let pid = child
        .id()
        .and_then(|id| i32::try_from(id).ok())
        .context("the demo has no process id")?;
    let stopping = Instant::now();
    kill(Pid::from_raw(pid), Signal::SIGINT).context("cannot send SIGINT")?;
    tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .context("the demo did not stop within 30 s of Ctrl-C")??;
    let stop = stopping.elapsed();
    let left_behind = std::fs::read_dir(&tmp)?.next().is_some();
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(Round {
        health,
        first_page,
        stories_start,
        work_done,
        stop,
        left_behind,
    })
}

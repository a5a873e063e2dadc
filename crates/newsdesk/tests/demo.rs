//! `newsdesk demo` as a newcomer meets it, through the real binary: the site answers within 3 s
//! (the bound; `newsdesk bench demo` measures the time to the first page), pages say
//! that work is running and fill in as articles land, and Ctrl-C (SIGINT) removes the temporary
//! data directory unless `--keep` was given, saying which.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use support::free_port;

/// The demo process; killed if a test fails before it stopped it.
struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Demo {
    /// `newsdesk demo --bind 127.0.0.1:PORT ARGS…` with its temporary directory under `tmp`.
    fn start(tmp: &Path, port: u16, args: &[&str]) -> Demo {
        let child = Command::new(support::bin())
            .args(["demo", "--bind", &format!("127.0.0.1:{port}")])
            .args(args)
            .env("TMPDIR", tmp)
            .env_remove("NEWSDESK_CONFIG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn demo");
        Demo(child)
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit: status, stdout, stderr.
    fn interrupt(mut self) -> (ExitStatus, String, String) {
        let pid = Pid::from_raw(i32::try_from(self.0.id()).expect("pid"));
        kill(pid, Signal::SIGINT).expect("send SIGINT");
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.0.try_wait().expect("wait") {
                break s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the demo did not stop within 30 s of Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut out = String::new();
        let mut err = String::new();
        if let Some(mut s) = self.0.stdout.take() {
            let _ = s.read_to_string(&mut out);
        }
        if let Some(mut s) = self.0.stderr.take() {
            let _ = s.read_to_string(&mut err);
        }
        (status, out, err)
    }
}

/// GET following redirects: status and body; `None` while the server does not answer.
fn get(url: &str) -> Option<(u16, String)> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .build()
            .ok()?;
        let r = client.get(url).send().await.ok()?;
        let status = r.status().as_u16();
        Some((status, r.text().await.ok()?))
    })
}

/// The demo's data directories in `dir` (Apertium, when installed, keeps its own temporary
/// files there too, which are not the demo's).
fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read tmp")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("newsdesk-demo-"))
        .collect()
}

/// Waits until `/healthz` answers 200; returns how long after `start` it did.
fn wait_for_health(base: &str, start: Instant, limit: Duration) -> Duration {
    loop {
        if get(&format!("{base}/healthz")).is_some_and(|(s, _)| s == 200) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "/healthz did not answer within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn demo_answers_within_three_seconds_fills_in_and_ctrl_c_removes_its_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    let demo = Demo::start(tmp.path(), port, &[]);
    wait_for_health(&base, start, Duration::from_secs(3));
    let (status, home) = get(&format!("{base}/")).expect("home page");
    let first_page = start.elapsed();
    assert_eq!(status, 200);
    assert!(home.contains("<html") && home.len() > 500, "{home}");
    assert!(
        first_page < Duration::from_secs(3),
        "first page after {first_page:?} (the issue asks for 3 s)"
    );
    assert_eq!(
        entries(tmp.path()).len(),
        1,
        "one temporary data directory while it runs"
    );

    // The work goes on in the background; /status says so until it is done, then the
    // edition's home lists the sample articles.
    loop {
        let (_, status) = get(&format!("{base}/status")).expect("status");
        let v: serde_json::Value = serde_json::from_str(&status).expect("status is JSON");
        if v["work"].is_null() {
            break;
        }
        assert_eq!(v["ok"], true);
        assert!(
            ["fetching", "translating", "stories"]
                .contains(&v["work"]["phase"].as_str().unwrap_or("")),
            "{v}"
        );
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the background work did not finish: {v}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (status, home) = get(&format!("{base}/fr/")).expect("edition home");
    assert_eq!(status, 200);
    assert!(
        home.matches("class=\"card\"").count() >= 20,
        "the home page lists the sample articles"
    );
    assert!(
        !home.contains("busy-note"),
        "no 'still working' note once done"
    );

    let (status, out, err) = demo.interrupt();
    assert!(status.success(), "exit {status:?}\n{out}\n{err}");
    assert!(
        out.contains("removed the demo's temporary data"),
        "says it removed the data: {out}"
    );
    assert!(out.contains("0 failed"), "{out}");
    assert!(
        entries(tmp.path()).is_empty(),
        "no data directory left behind: {:?}",
        entries(tmp.path())
    );
}

#[test]
fn demo_keep_keeps_its_data_even_when_stopped_during_the_work() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let demo = Demo::start(tmp.path(), port, &["--keep"]);
    wait_for_health(&base, Instant::now(), Duration::from_secs(30));
    let (status, out, err) = demo.interrupt();
    assert!(status.success(), "exit {status:?}\n{out}\n{err}");
    assert!(out.contains("kept the demo's data in"), "{out}");
    let left = entries(tmp.path());
    assert_eq!(left.len(), 1, "{left:?}");
    let dir = tmp.path().join(&left[0]);
    assert!(dir.join("newsdesk.toml").exists() && dir.join("data/newsdesk.db").exists());
    assert!(!err.contains("panicked"), "{err}");
}

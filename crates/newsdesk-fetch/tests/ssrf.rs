//! The SSRF guard: private addresses are refused before any connection, by literal IP, through
//! the resolver, and on redirect hops.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::response::Redirect;
use axum::routing::get;
use newsdesk_fetch::{FetchConfig, FetchError, Fetcher, Validators};

fn expect_forbidden(
    result: Result<newsdesk_fetch::FetchResponse, FetchError>,
    url: &str,
) -> String {
    match result {
        Err(e @ FetchError::Forbidden { .. }) => {
            assert_eq!(e.url(), Some(url), "{e}");
            let msg = e.to_string();
            assert!(msg.starts_with("fetch: refusing to connect to "), "{msg}");
            assert!(
                msg.ends_with("; set allow_private_addresses = true to allow"),
                "{msg}"
            );
            msg
        }
        other => panic!("{url}: expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn private_addresses_are_refused_without_connecting() {
    // Something really listens on 127.0.0.1:port; the guard must refuse before connecting.
    let (addr, accepted) = common::counting_listener("127.0.0.1").await.unwrap();
    let port = addr.port();
    let f = Fetcher::new(FetchConfig {
        connect_timeout: Duration::from_secs(5),
        ..FetchConfig::default()
    })
    .unwrap();

    let cases = [
        (
            format!("http://127.0.0.1:{port}/"),
            "loopback address 127.0.0.1",
        ),
        (format!("http://localhost:{port}/"), "loopback address"),
        (format!("http://[::1]:{port}/"), "loopback address ::1"),
        (
            format!("http://[::ffff:127.0.0.1]:{port}/"),
            "loopback address ::ffff:127.0.0.1",
        ),
        (
            format!("http://0.0.0.0:{port}/"),
            "unspecified address 0.0.0.0",
        ),
        (
            format!("http://2130706433:{port}/"),
            "loopback address 127.0.0.1",
        ),
        (
            "http://10.0.0.1/feed".to_string(),
            "private address 10.0.0.1",
        ),
        (
            "http://192.168.0.1/".to_string(),
            "private address 192.168.0.1",
        ),
        (
            "http://169.254.169.254/latest/meta-data/".to_string(),
            "link-local address 169.254.169.254",
        ),
        (
            "http://100.64.0.1/".to_string(),
            "shared (CGNAT) address 100.64.0.1",
        ),
        (
            "http://[fd00::1]/".to_string(),
            "unique local (private) address fd00::1",
        ),
        (
            "http://[fe80::1]/".to_string(),
            "link-local address fe80::1",
        ),
    ];
    for (url, reason) in &cases {
        let started = Instant::now();
        let result = f.get(url, &Validators::none()).await;
        // `url` crate normalisation: compare with the parsed form.
        let normalised = url::Url::parse(url).unwrap().to_string();
        let msg = expect_forbidden(result, &normalised);
        assert!(msg.contains(reason), "{url}: {msg}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{url} was slow: a connection was tried"
        );
        // get_page refuses too, without fetching robots.txt.
        assert!(matches!(
            f.get_page(url).await,
            Err(FetchError::Forbidden { .. })
        ));
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        0,
        "a refused address was connected to"
    );
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_by_the_resolver() {
    let (addr, accepted) = common::counting_listener("127.0.0.1").await.unwrap();
    let f = Fetcher::new(FetchConfig::default()).unwrap();
    let url = format!("http://localhost:{}/feed.xml", addr.port());
    // No network check can see this: the name is only judged once resolved.
    assert!(f.check_url(&url).is_ok());
    let msg = expect_forbidden(f.get(&url, &Validators::none()).await, &url);
    assert!(msg.contains("(resolved from localhost)"), "{msg}");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 0);

    // The same server is reachable once the guard is off.
    let open = Fetcher::new(FetchConfig {
        allow_private_addresses: true,
        timeout: Duration::from_millis(300),
        ..FetchConfig::default()
    })
    .unwrap();
    assert!(matches!(
        open.get(&url, &Validators::none()).await,
        Err(FetchError::Timeout { .. })
    ));
    assert!(accepted.load(Ordering::SeqCst) >= 1);
}

#[tokio::test]
async fn redirects_to_private_addresses_are_refused() {
    // The first hop is allowed by an explicit exception for 127.0.0.2; every redirect target is
    // a refused address, some of them with a listener that counts connection attempts.
    // Linux routes all of 127.0.0.0/8 to the loopback interface: a machine that cannot bind
    // 127.0.0.3 cannot run this test, which is a failure, not a pass.
    let (other_ip, other_ip_hits) = common::counting_listener("127.0.0.3")
        .await
        .expect("binding 127.0.0.3 (loopback range) for the redirect target");
    let (by_name, by_name_hits) = common::counting_listener("127.0.0.1").await.unwrap();
    let to_ip = format!("http://{other_ip}/x");
    let to_name = format!("http://localhost:{}/x", by_name.port());
    let app = Router::new()
        .route("/ok", get(|| async { "fine" }))
        .route("/to-ip", get(move || async move { Redirect::to(&to_ip) }))
        .route(
            "/to-name",
            get(move || async move { Redirect::to(&to_name) }),
        )
        .route(
            "/to-metadata",
            get(|| async { Redirect::to("http://169.254.169.254/") }),
        )
        .route(
            "/to-ten",
            get(|| async { Redirect::to("http://10.0.0.1/") }),
        );
    let first = common::serve_on("127.0.0.2", app).await;
    let f = Fetcher::new(FetchConfig {
        allowed_private: vec!["127.0.0.2".parse().unwrap()],
        ..FetchConfig::default()
    })
    .unwrap();

    let ok = f
        .get(&format!("http://{first}/ok"), &Validators::none())
        .await
        .unwrap();
    assert_eq!(&ok.body[..], b"fine");

    let cases = [
        (
            "to-ip",
            format!("http://{other_ip}/x"),
            "loopback address 127.0.0.3",
        ),
        (
            "to-name",
            format!("http://localhost:{}/x", by_name.port()),
            "(resolved from localhost)",
        ),
        (
            "to-metadata",
            "http://169.254.169.254/".to_string(),
            "link-local address 169.254.169.254",
        ),
        (
            "to-ten",
            "http://10.0.0.1/".to_string(),
            "private address 10.0.0.1",
        ),
    ];
    for (path, target, reason) in cases {
        let result = f
            .get(&format!("http://{first}/{path}"), &Validators::none())
            .await;
        let msg = expect_forbidden(result, &target);
        assert!(msg.contains(reason), "{path}: {msg}");
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(other_ip_hits.load(Ordering::SeqCst), 0);
    assert_eq!(by_name_hits.load(Ordering::SeqCst), 0);
}

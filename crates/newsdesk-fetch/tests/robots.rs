//! robots.txt is honoured by `get_page` (also on redirect targets) and not by `get`.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use common::{serve, test_config};
use newsdesk_fetch::{FetchConfig, FetchError, Fetcher, Validators};

#[derive(Default)]
struct Hits {
    robots: AtomicUsize,
    private: AtomicUsize,
}

const ROBOTS: &str = "User-agent: newsdesk\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n";

fn site(hits: Arc<Hits>, robots_status: StatusCode) -> Router {
    Router::new()
        .route(
            "/robots.txt",
            get(move |State(h): State<Arc<Hits>>| async move {
                h.robots.fetch_add(1, Ordering::SeqCst);
                (robots_status, ROBOTS).into_response()
            }),
        )
        .route(
            "/private/page",
            get(|State(h): State<Arc<Hits>>| async move {
                h.private.fetch_add(1, Ordering::SeqCst);
                "secret"
            }),
        )
        .route("/public/page", get(|| async { "hello" }))
        .route(
            "/public/moved",
            get(|| async { Redirect::to("/private/page") }),
        )
        .with_state(hits)
}

#[tokio::test]
async fn get_page_honours_robots_and_get_does_not() {
    let hits = Arc::new(Hits::default());
    let addr = serve(site(Arc::clone(&hits), StatusCode::OK)).await;
    let f = Fetcher::new(test_config()).unwrap();
    let private = format!("http://{addr}/private/page");

    assert_eq!(
        f.get_page(&private).await.unwrap_err(),
        FetchError::RobotsDisallowed {
            url: private.clone()
        }
    );
    assert_eq!(
        hits.private.load(Ordering::SeqCst),
        0,
        "a disallowed page was fetched"
    );

    let public = f
        .get_page(&format!("http://{addr}/public/page"))
        .await
        .unwrap();
    assert_eq!(&public.body[..], b"hello");

    // A redirect into a disallowed path is refused as well.
    assert_eq!(
        f.get_page(&format!("http://{addr}/public/moved"))
            .await
            .unwrap_err(),
        FetchError::RobotsDisallowed {
            url: private.clone()
        }
    );
    assert_eq!(hits.private.load(Ordering::SeqCst), 0);

    // robots.txt was read once for the origin and then cached.
    assert_eq!(hits.robots.load(Ordering::SeqCst), 1);

    // `get` (feeds) does not consult robots.txt.
    let feed = f.get(&private, &Validators::none()).await.unwrap();
    assert_eq!(&feed.body[..], b"secret");
    assert_eq!(hits.private.load(Ordering::SeqCst), 1);

    // Nor does `get_page` when respect_robots is off.
    let rude = Fetcher::new(FetchConfig {
        respect_robots: false,
        ..test_config()
    })
    .unwrap();
    assert_eq!(&rude.get_page(&private).await.unwrap().body[..], b"secret");
    assert_eq!(hits.robots.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn unreadable_robots_allow_everything() {
    for status in [
        StatusCode::NOT_FOUND,
        StatusCode::FORBIDDEN,
        StatusCode::INTERNAL_SERVER_ERROR,
    ] {
        let hits = Arc::new(Hits::default());
        let addr = serve(site(Arc::clone(&hits), status)).await;
        let f = Fetcher::new(test_config()).unwrap();
        let page = f
            .get_page(&format!("http://{addr}/private/page"))
            .await
            .unwrap_or_else(|e| panic!("robots.txt {status}: {e}"));
        assert_eq!(&page.body[..], b"secret");
        assert_eq!(hits.robots.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test]
async fn unreachable_robots_allow_everything() {
    // A host whose robots.txt cannot be fetched at all: the page fetch itself then reports the
    // real problem (here a closed port).
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let f = Fetcher::new(test_config()).unwrap();
    let err = f
        .get_page(&format!("http://127.0.0.1:{port}/a"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Transport { .. }), "{err:?}");
}

//! `GET /healthz`: `200 ok` after a trivial database query, `503` when the database fails.
//! Operator warnings (see [`crate::SiteStatus`]) follow as `warning: …` lines, and background
//! work as a `working: …` line; the status code stays 200 for them. `GET /status` gives the
//! same as JSON.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use serde::Serialize;

use crate::AppState;
use crate::error::KeepAsIs;
use crate::status::WorkProgress;

/// Looks up article 0 (a primary-key probe that touches the database and returns nothing).
pub(crate) async fn healthz(State(state): State<AppState>) -> Response {
    let (status, mut text) = match state.db(|store| store.get_article(0)).await {
        Ok(_) => (StatusCode::OK, "ok".to_string()),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable".to_string(),
        ),
    };
    for w in state.status.warnings() {
        text.push_str("\nwarning: ");
        text.push_str(&w);
    }
    if let Some(w) = state.status.work() {
        text.push_str(&format!(
            "\nworking: {}, {}/{} sources, {}/{} articles, {} s",
            w.phase.as_str(),
            w.sources_done,
            w.sources_total,
            w.articles_done,
            w.articles_total,
            w.elapsed_secs
        ));
    }
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response.extensions_mut().insert(KeepAsIs);
    response
}

/// `GET /status`: `{"ok": true, "work": {…} | null, "warnings": […]}`, never cached.
pub(crate) async fn status(State(state): State<AppState>) -> Response {
    #[derive(Serialize)]
    struct Body {
        ok: bool,
        work: Option<WorkProgress>,
        warnings: Vec<String>,
    }
    let body = Body {
        ok: true,
        work: state.status.work(),
        warnings: state.status.warnings(),
    };
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.extensions_mut().insert(KeepAsIs);
    response
}

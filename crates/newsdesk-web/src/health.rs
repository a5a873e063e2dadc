//! `GET /healthz`: `200 ok` after a trivial database query, `503` when the database fails.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::KeepAsIs;

/// Looks up article 0 (a primary-key probe that touches the database and returns nothing).
pub(crate) async fn healthz(State(state): State<AppState>) -> Response {
    let (status, text) = match state.db(|store| store.get_article(0)).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    };
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

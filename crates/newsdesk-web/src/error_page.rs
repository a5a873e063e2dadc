//! The middleware that renders every error response (ours, axum's 405, tower-http's 413 and
//! timeouts) in the format of the route it answers: JSON under `/api/`, an HTML page (in the
//! edition's interface under `/{lang}/`) elsewhere.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::{ErrorBody, ErrorDetail, KeepAsIs};
use crate::{AppError, AppState, ErrorKind};

/// Renders every error response (4xx/5xx) in the format of the route: JSON under `/api/`, a full
/// HTML page elsewhere. Errors are never cached.
pub(crate) async fn format_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let editions = request
        .extensions()
        .get::<std::sync::Arc<crate::Editions>>()
        .cloned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<KeepAsIs>().is_some()
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let error = parts
        .extensions
        .remove::<AppError>()
        .unwrap_or_else(|| error_of_status(status, &path));
    let is_api = path == "/api" || path.starts_with("/api/");
    let (content_type, body) = if is_api {
        let json = serde_json::to_string(&ErrorBody {
            error: ErrorDetail {
                code: error.kind.code(),
                message: &error.message,
            },
        });
        match json {
            Ok(json) => ("application/json", Body::from(json)),
            Err(_) => ("application/json", body),
        }
    } else {
        (
            "text/html; charset=utf-8",
            Body::from(crate::layout::render_error(
                &state,
                edition_error_ui(&state, editions.as_deref(), &path).as_ref(),
                &error,
            )),
        )
    };
    parts.status = error.kind.status();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, body)
}

/// The interface of an error under `/{lang}/…` when `lang` is an edition (the switcher leads
/// to the same path in the other editions); `None` elsewhere.
fn edition_error_ui(
    state: &AppState,
    editions: Option<&crate::Editions>,
    path: &str,
) -> Option<crate::layout::Ui> {
    let editions = editions?;
    let rest = path.strip_prefix('/')?;
    let (lang, tail) = match rest.split_once('/') {
        Some((lang, tail)) => (lang, format!("/{tail}")),
        None => (rest, "/".to_string()),
    };
    let edition = editions.get(lang)?;
    Some(crate::editions::edition_ui(state, editions, edition, &tail))
}

/// The error of a response that carries none of ours (axum's 404/405, tower-http's 413 and
/// timeouts).
fn error_of_status(status: StatusCode, path: &str) -> AppError {
    let kind = ErrorKind::from_status(status);
    let message = match kind {
        ErrorKind::NotFound => format!("no such page: {path}"),
        ErrorKind::MethodNotAllowed => format!("method not allowed on {path}"),
        ErrorKind::PayloadTooLarge => {
            format!(
                "request body larger than {} bytes",
                crate::limits::MAX_BODY_BYTES
            )
        }
        ErrorKind::Unavailable => "the server is busy or the request took too long".into(),
        ErrorKind::BadRequest => format!("bad request ({})", status.as_u16()),
        ErrorKind::Unauthorized => "the operator's token is required".into(),
        ErrorKind::Forbidden => "forbidden".into(),
        ErrorKind::Internal => "internal error".into(),
    };
    AppError { kind, message }
}

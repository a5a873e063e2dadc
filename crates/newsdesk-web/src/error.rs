//! The one error type of every handler, and the middleware that renders every error response
//! (ours, axum's 405, tower-http's 413 and timeouts) in the format of the route it answers:
//! JSON under `/api/`, an HTML page elsewhere.

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::AppState;

/// The kind of an error, which fixes its HTTP status and its stable `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400 `bad_request`: a malformed id, filter or cursor.
    BadRequest,
    /// 401 `unauthorized`: a write without the operator's token, or with a wrong one.
    Unauthorized,
    /// 403 `forbidden`: a write while no operator token is configured (the API is read-only).
    Forbidden,
    /// 404 `not_found`: an unknown id or route.
    NotFound,
    /// 405 `method_not_allowed`: the route exists but not for this method.
    MethodNotAllowed,
    /// 413 `payload_too_large`: the request body is over the limit.
    PayloadTooLarge,
    /// 503 `unavailable`: the server is overloaded or a request took too long.
    Unavailable,
    /// 500 `internal`: anything else; details are only logged.
    Internal,
}

impl ErrorKind {
    /// The HTTP status of this kind.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code used in JSON errors.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::MethodNotAllowed => "method_not_allowed",
            ErrorKind::PayloadTooLarge => "payload_too_large",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }

    fn from_status(status: StatusCode) -> ErrorKind {
        match status {
            StatusCode::BAD_REQUEST => ErrorKind::BadRequest,
            StatusCode::UNAUTHORIZED => ErrorKind::Unauthorized,
            StatusCode::FORBIDDEN => ErrorKind::Forbidden,
            StatusCode::NOT_FOUND => ErrorKind::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::PayloadTooLarge,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => ErrorKind::Unavailable,
            s if s.is_client_error() => ErrorKind::BadRequest,
            _ => ErrorKind::Internal,
        }
    }
}

/// An error answered to a client: a kind and a message safe to show.
///
/// Internal errors carry a generic message; their details are logged where they are made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("web: {} ({}): {message}", kind.code(), kind.status().as_u16())]
pub struct AppError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// A message for the client (never contains internal details).
    pub message: String,
}

impl AppError {
    /// A bad request, naming the parameter and why it was refused.
    pub fn bad_request(parameter: &str, why: impl std::fmt::Display) -> Self {
        AppError {
            kind: ErrorKind::BadRequest,
            message: format!("parameter `{parameter}`: {why}"),
        }
    }

    /// Something that does not exist.
    pub fn not_found(what: impl Into<String>) -> Self {
        AppError {
            kind: ErrorKind::NotFound,
            message: what.into(),
        }
    }

    /// An internal failure: `detail` is logged, the client only sees a generic message.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        AppError {
            kind: ErrorKind::Internal,
            message: "internal error; the details are in the server log".to_string(),
        }
    }

    fn from_status(status: StatusCode, path: &str) -> Self {
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
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
}

/// Marks a response whose error status and body are final (e.g. the plain-text health check).
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeepAsIs;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.kind.code(),
                message: &self.message,
            },
        };
        let mut response = (self.kind.status(), Json(body)).into_response();
        if self.kind == ErrorKind::Unauthorized {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"newsdesk operator\""),
            );
        }
        response.extensions_mut().insert(self);
        response
    }
}

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
        .unwrap_or_else(|| AppError::from_status(status, &path));
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
            Body::from(crate::page::render_error(
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
) -> Option<crate::page::Ui> {
    let editions = editions?;
    let rest = path.strip_prefix('/')?;
    let (lang, tail) = match rest.split_once('/') {
        Some((lang, tail)) => (lang, format!("/{tail}")),
        None => (rest, "/".to_string()),
    };
    let edition = editions.get(lang)?;
    Some(crate::editions::edition_ui(state, editions, edition, &tail))
}

/// The answer for routes that do not exist.
pub(crate) async fn not_found_route(uri: axum::http::Uri) -> AppError {
    AppError::not_found(format!("no such page: {}", uri.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_status_and_code() {
        assert_eq!(ErrorKind::BadRequest.status(), StatusCode::BAD_REQUEST);
        assert_eq!(ErrorKind::NotFound.code(), "not_found");
        assert_eq!(
            ErrorKind::from_status(StatusCode::METHOD_NOT_ALLOWED),
            ErrorKind::MethodNotAllowed
        );
        assert_eq!(
            ErrorKind::from_status(StatusCode::REQUEST_TIMEOUT),
            ErrorKind::Unavailable
        );
    }

    #[test]
    fn internal_errors_hide_details() {
        let e = AppError::internal("sqlite: disk I/O error at /var/secret.db");
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(!e.message.contains("secret"));
    }

    #[test]
    fn bad_request_names_the_parameter() {
        let e = AppError::bad_request("limit", "must be 1..=200, got 0");
        assert!(e.message.contains("`limit`"));
        assert!(e.to_string().contains("bad_request"));
    }
}

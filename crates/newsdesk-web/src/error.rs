//! The one error type of every handler ([`AppError`], answered as JSON until
//! [`crate::error_page`] renders it in the format of the route).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

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

    pub(crate) fn from_status(status: StatusCode) -> ErrorKind {
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
}

#[derive(Serialize)]
pub(crate) struct ErrorBody<'a> {
    pub(crate) error: ErrorDetail<'a>,
}

#[derive(Serialize)]
pub(crate) struct ErrorDetail<'a> {
    pub(crate) code: &'a str,
    pub(crate) message: &'a str,
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

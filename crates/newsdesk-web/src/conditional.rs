//! Conditional requests: a strong `ETag` on every successful `GET`, `304 Not Modified` when the
//! client already has it, and the default `Cache-Control`.
//!
//! The tag is the BLAKE3 hash of the bytes sent (after compression), so the gzip and identity
//! representations have different strong tags, as HTTP requires.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppError;

/// Cache policy of pages, feeds and API answers: shared caches may keep them one minute;
/// after that the `ETag` makes revalidation cheap.
pub(crate) const DEFAULT_CACHE_CONTROL: &str = "public, max-age=60";

/// Largest body the tagger buffers (every answer is rendered in memory anyway).
const MAX_TAGGED_BYTES: usize = 32 * 1024 * 1024;

/// Tags successful `GET` answers and answers `304` to a matching `If-None-Match`.
pub(crate) async fn etag(request: Request, next: Next) -> Response {
    let is_get = request.method() == Method::GET;
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !is_get || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_TAGGED_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            return AppError::internal(format!("web: cannot buffer response body: {e}"))
                .into_response();
        }
    };
    let tag = format!("\"{}\"", blake3::hash(&bytes).to_hex());
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    if !parts.headers.contains_key(header::CACHE_CONTROL) {
        parts.headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(DEFAULT_CACHE_CONTROL),
        );
    }
    if if_none_match.is_some_and(|v| matches(&v, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        strip_content_headers(&mut parts.headers);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether an `If-None-Match` value matches `tag` (weak comparison, as RFC 9110 asks).
fn matches(if_none_match: &HeaderValue, tag: &str) -> bool {
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    list.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
    })
}

fn strip_content_headers(headers: &mut HeaderMap) {
    for name in [
        header::CONTENT_LENGTH,
        header::CONTENT_TYPE,
        header::CONTENT_ENCODING,
    ] {
        headers.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_weak_forms_match() {
        let tag = "\"abc\"";
        for yes in ["\"abc\"", "W/\"abc\"", "\"x\", \"abc\"", "*"] {
            assert!(matches(&HeaderValue::from_static(yes), tag), "{yes}");
        }
        for no in ["\"abcd\"", "abc", ""] {
            assert!(!matches(&HeaderValue::from_static(no), tag), "{no}");
        }
    }
}

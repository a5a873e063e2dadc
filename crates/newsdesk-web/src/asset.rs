//! The one stylesheet, served under a name that contains the hash of its content.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::AppError;

const STYLESHEET: &str = include_str!("../static/style.css");

static STYLESHEET_PATH: LazyLock<String> = LazyLock::new(|| {
    let hash = blake3::hash(STYLESHEET.as_bytes()).to_hex();
    format!("/static/style.{}.css", &hash.as_str()[..16])
});

/// The URL path of the stylesheet, e.g. `/static/style.0123456789abcdef.css`.
pub(crate) fn stylesheet_path() -> &'static str {
    STYLESHEET_PATH.as_str()
}

/// `GET /static/{file}`: the stylesheet under its current name, cached forever.
pub(crate) async fn stylesheet(Path(file): Path<String>) -> Result<Response, AppError> {
    if format!("/static/{file}") != stylesheet_path() {
        return Err(AppError::not_found(format!("no such file: /static/{file}")));
    }
    let mut response = STYLESHEET.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_contains_a_content_hash() {
        let p = stylesheet_path();
        assert!(
            p.starts_with("/static/style.") && p.ends_with(".css"),
            "{p}"
        );
        assert_eq!(p.len(), "/static/style.".len() + 16 + ".css".len());
    }
}

//! Security headers sent with every response.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy: nothing runs, styles only from this site, images from anywhere
/// (article images are remote), no framing, no base or form tricks.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; img-src * data:; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds CSP, `nosniff` and `no-referrer` to every response.
pub(crate) async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

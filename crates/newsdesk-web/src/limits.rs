//! Load limits: at most [`MAX_CONCURRENT_REQUESTS`] requests are handled at once (the others
//! wait, bounded by the request timeout), bodies are capped at [`MAX_BODY_BYTES`].

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::{AppError, ErrorKind};

/// Requests handled at the same time; the rest queue.
pub(crate) const MAX_CONCURRENT_REQUESTS: usize = 64;
/// Largest request body accepted (the server only reads; no route takes a body).
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest a request may take, queueing included, before it is answered 503.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A permit pool shared by every route.
pub(crate) fn permits() -> Arc<Semaphore> {
    Arc::new(Semaphore::new(MAX_CONCURRENT_REQUESTS))
}

/// Waits for a permit, then handles the request.
pub(crate) async fn limit_concurrency(
    State(permits): State<Arc<Semaphore>>,
    request: Request,
    next: Next,
) -> Response {
    match permits.acquire_owned().await {
        Ok(_permit) => next.run(request).await,
        Err(_) => AppError {
            kind: ErrorKind::Unavailable,
            message: "the server is shutting down".into(),
        }
        .into_response(),
    }
}

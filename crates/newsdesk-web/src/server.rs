//! The accept loop: HTTP/1.1 connections (hyper) with a bounded number of them, a bounded
//! number per client address, and timeouts for reading request headers and for idle kept-alive
//! connections.
//!
//! `axum::serve` has none of these: idle and half-sent requests stayed open for minutes and
//! ~20,000 of them exhausted the file descriptors. Here a connection beyond a cap is answered
//! `503 Service Unavailable` (with `Retry-After`) and closed at once, without a task, so a flood
//! costs one short write per connection; the connections that are kept are closed by the
//! server when they stay silent.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt as _;

use crate::WebConfig;

/// What is written to a connection that is refused because the server is full.
const FULL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
Retry-After: 5\r\nConnection: close\r\nContent-Length: 35\r\n\r\nToo many connections; retry later.\n";

/// Most refused connections kept open at once while their request is read.
const MAX_REFUSALS: usize = 64;

/// How long a refused connection is kept open, at most, to read its request.
const REFUSAL_LINGER: Duration = Duration::from_secs(1);

/// How long the server waits, on shutdown, for requests in flight before it closes the rest.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// The bounds [`serve_connections`] keeps (from [`WebConfig`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionLimits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// Most connections open at once from one client address.
    pub max_per_client: usize,
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How long a connection may stay open with no request in progress.
    pub idle_timeout: Duration,
}

impl ConnectionLimits {
    /// The limits `config` sets (zero counts and durations are raised to the smallest useful).
    pub(crate) fn from_config(config: &WebConfig) -> Self {
        ConnectionLimits {
            max_connections: config.max_connections.max(1),
            max_per_client: config.max_connections_per_client.max(1),
            header_read_timeout: Duration::from_millis(config.header_read_timeout_ms.max(1)),
            idle_timeout: Duration::from_millis(config.idle_timeout_ms.max(1)),
        }
    }
}

/// Open connections per client address.
type PerClient = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// A connection's place under both caps; given back when dropped.
struct Slot {
    _permit: OwnedSemaphorePermit,
    per_client: PerClient,
    ip: IpAddr,
}

impl Slot {
    /// A place for a connection from `ip`, if both caps leave room.
    fn take(
        permits: &Arc<Semaphore>,
        per_client: &PerClient,
        ip: IpAddr,
        max_per_client: usize,
    ) -> Option<Slot> {
        let permit = Arc::clone(permits).try_acquire_owned().ok()?;
        let mut counts = per_client.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(ip).or_default();
        if *n >= max_per_client {
            return None;
        }
        *n += 1;
        Some(Slot {
            _permit: permit,
            per_client: Arc::clone(per_client),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.per_client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = counts.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

/// When a connection last finished a request (milliseconds since it opened) and how many of its
/// requests are in progress: what the idle watchdog reads.
#[derive(Default)]
struct Activity {
    in_flight: AtomicUsize,
    last_ms: AtomicU64,
}

/// Ends a request's activity when dropped (also when the request is cancelled).
struct InFlight {
    activity: Arc<Activity>,
    opened: Instant,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.activity.last_ms.store(ms, Ordering::Relaxed);
        self.activity.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` resolves, then lets the
/// requests in flight finish (at most [`SHUTDOWN_GRACE`]).
pub(crate) async fn serve_connections(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let per_client: PerClient = Arc::default();
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // out of file descriptors, or a connection reset before it was accepted:
                    // wait a little rather than spin
                    tracing::warn!(error = %e, "web: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = Slot::take(&permits, &per_client, peer.ip(), limits.max_per_client) else {
            refuse(stream, peer.ip(), &refusals);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let opened = Instant::now();
        let activity = Arc::new(Activity::default());
        let service = {
            let activity = Arc::clone(&activity);
            let router = router.clone();
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                activity.in_flight.fetch_add(1, Ordering::Relaxed);
                let guard = InFlight {
                    activity: Arc::clone(&activity),
                    opened,
                };
                let router = router.clone();
                async move {
                    let response = router.oneshot(request.map(axum::body::Body::new)).await;
                    drop(guard);
                    response
                }
            })
        };
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        let idle_timeout = limits.idle_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            tokio::select! {
                result = connection => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "web: connection ended");
                    }
                }
                () = idle(&activity, opened, idle_timeout) => {
                    tracing::debug!(%peer, "web: idle connection closed");
                }
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("web: connections still open after the shutdown grace; closing them");
    }
    Ok(())
}

/// Resolves once the connection has had no request in progress for `timeout`.
async fn idle(activity: &Activity, opened: Instant, timeout: Duration) {
    loop {
        let last = Duration::from_millis(activity.last_ms.load(Ordering::Relaxed));
        let quiet_until = opened + last + timeout;
        if activity.in_flight.load(Ordering::Relaxed) == 0 && Instant::now() >= quiet_until {
            return;
        }
        let wake = quiet_until.max(Instant::now() + Duration::from_millis(100).min(timeout));
        tokio::time::sleep_until(wake.into()).await;
    }
}

/// Answers a connection the server has no room for with a `503` and closes it. The request
/// is read (for at most [`REFUSAL_LINGER`]) so that closing does not reset the connection
/// before the client reads the answer; when [`MAX_REFUSALS`] are lingering already, the
/// connection is answered and closed at once.
fn refuse(stream: TcpStream, ip: IpAddr, refusals: &Arc<Semaphore>) {
    tracing::debug!(%ip, "web: connection refused (server full)");
    // a fresh socket's send buffer always has room for these few bytes
    let _ = stream.try_write(FULL);
    let Ok(permit) = Arc::clone(refusals).try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let _permit = permit;
        let mut stream = stream;
        let _ = stream.shutdown().await;
        let mut sink = [0u8; 1024];
        let drain = async {
            while let Ok(n) = stream.read(&mut sink).await {
                if n == 0 {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(REFUSAL_LINGER, drain).await;
    });
}

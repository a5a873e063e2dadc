//! Real HTTP servers on loopback for the fetch tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use newsdesk_fetch::FetchConfig;
use tokio::net::TcpListener;

/// Serves `app` on `ip`:0 and returns the bound address.
pub async fn serve_on(ip: &str, app: Router) -> SocketAddr {
    let ip: IpAddr = ip.parse().unwrap();
    let listener = TcpListener::bind((ip, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    addr
}

/// Serves `app` on 127.0.0.1:0.
pub async fn serve(app: Router) -> SocketAddr {
    serve_on("127.0.0.1", app).await
}

/// A listener that only counts the connections it accepts (and holds them open, never
/// answering). Returns its address and the counter; `None` when `ip` cannot be bound here.
pub async fn counting_listener(ip: &str) -> Option<(SocketAddr, Arc<AtomicUsize>)> {
    let ip: IpAddr = ip.parse().unwrap();
    let listener = TcpListener::bind((ip, 0)).await.ok()?;
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&count);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    Some((addr, count))
}

/// Settings for tests against loopback servers: the SSRF guard off, short timeouts.
pub fn test_config() -> FetchConfig {
    FetchConfig {
        allow_private_addresses: true,
        timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        max_connections_per_host: 2,
        per_host_delay: Duration::ZERO,
        ..FetchConfig::default()
    }
}

//! The SSRF guard: which IP addresses newsdesk refuses to connect to.
//!
//! Loopback, private (RFC 1918), shared/CGNAT, link-local (including the cloud metadata address
//! 169.254.169.254), unspecified, multicast, broadcast, documentation, benchmarking and reserved
//! ranges are refused, for IPv4 and IPv6 alike, including IPv4 addresses embedded in IPv6 forms
//! (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
//! `2002::/16`). It is applied twice: to literal IP hosts in URLs (which never reach a resolver),
//! and in [`GuardedResolver`], the DNS resolver of the HTTP client, so every address is checked
//! at dial time on every redirect hop, which defeats DNS rebinding.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Which addresses may be connected to.
#[derive(Debug, Clone, Default)]
pub(crate) struct AddressGuard {
    /// `false` allows every address (`allow_private_addresses = true`).
    enabled: bool,
    /// Explicit exceptions, in canonical form.
    allowed: Vec<IpAddr>,
}

impl AddressGuard {
    /// A guard that refuses non-public addresses unless `enabled` is false, except `allowed`.
    pub(crate) fn new(enabled: bool, allowed: &[IpAddr]) -> Self {
        AddressGuard {
            enabled,
            allowed: allowed.iter().map(IpAddr::to_canonical).collect(),
        }
    }

    /// `None` when `ip` may be connected to, else why not
    /// (`refusing to connect to loopback address 127.0.0.1`).
    pub(crate) fn refusal(&self, ip: IpAddr) -> Option<String> {
        if !self.enabled || self.allowed.contains(&ip.to_canonical()) {
            return None;
        }
        non_public_kind(ip).map(|kind| format!("refusing to connect to {kind} address {ip}"))
    }
}

/// What kind of non-public address `ip` is, or `None` for a public unicast address.
pub(crate) fn non_public_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => v6_kind(v6),
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_unspecified() => "unspecified",
        (0, _, _) => "this-network",
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => "private",
        (100, 64..=127, _) => "shared (CGNAT)",
        (127, _, _) => "loopback",
        (169, 254, _) => "link-local",
        (192, 0, 0) => "IETF protocol",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (192, 88, 99) => "6to4 relay",
        (198, 18..=19, _) => "benchmarking",
        (224..=239, _, _) => "multicast",
        _ if ip.is_broadcast() => "broadcast",
        (240..=255, _, _) => "reserved",
        _ => return None,
    })
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| {
        let [h1, h2] = hi.to_be_bytes();
        let [l1, l2] = lo.to_be_bytes();
        Ipv4Addr::new(h1, h2, l1, l2)
    };
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_kind(v4);
    }
    match s {
        // IPv4-compatible ::a.b.c.d (deprecated, never routable on its own).
        [0, 0, 0, 0, 0, 0, _, _] => Some(v4_kind(embedded(s[6], s[7])).unwrap_or("reserved")),
        // NAT64 well-known prefix: judged by the IPv4 address it reaches.
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => v4_kind(embedded(s[6], s[7])),
        [0x64, 0xff9b, 1, ..] => Some("private"),
        // 6to4: judged by the embedded IPv4 address.
        [0x2002, hi, lo, ..] => v4_kind(embedded(hi, lo)),
        [0x100, 0, 0, 0, ..] => Some("discard"),
        [0x2001, 0xdb8, ..] => Some("documentation"),
        [x, ..] if x & 0xfff0 == 0x3ff0 => Some("documentation"),
        [x, ..] if x & 0xfe00 == 0xfc00 => Some("unique local (private)"),
        [x, ..] if x & 0xffc0 == 0xfe80 => Some("link-local"),
        [x, ..] if x & 0xffc0 == 0xfec0 => Some("site-local"),
        [x, ..] if x & 0xff00 == 0xff00 => Some("multicast"),
        _ => None,
    }
}

/// The guard refused every address a host name resolved to.
#[derive(Debug, thiserror::Error)]
#[error("{reason} (resolved from {host})")]
pub(crate) struct AddressRefused {
    /// The host name that was resolved.
    pub(crate) host: String,
    /// Why its address was refused.
    pub(crate) reason: String,
}

/// Fixed host name → address mappings used instead of DNS (`resolve_overrides`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ResolveOverrides {
    exact: BTreeMap<String, IpAddr>,
    /// `(".suffix", ip)` for keys `*.suffix`, longest suffix first.
    suffixes: Vec<(String, IpAddr)>,
}

impl ResolveOverrides {
    /// Builds the table from the configuration (keys are lowercased; `*.x` keys match suffixes).
    pub(crate) fn new(map: &BTreeMap<String, IpAddr>) -> Self {
        let mut out = ResolveOverrides::default();
        for (key, ip) in map {
            let key = key.trim().trim_end_matches('.').to_ascii_lowercase();
            match key.strip_prefix('*') {
                Some(suffix) if suffix.starts_with('.') => {
                    out.suffixes.push((suffix.to_string(), *ip));
                }
                _ => {
                    out.exact.insert(key, *ip);
                }
            }
        }
        out.suffixes
            .sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        out
    }

    /// The overridden address of `host`, if any.
    pub(crate) fn lookup(&self, host: &str) -> Option<IpAddr> {
        if self.exact.is_empty() && self.suffixes.is_empty() {
            return None;
        }
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.exact.get(&host).copied().or_else(|| {
            self.suffixes
                .iter()
                .find(|(suffix, _)| host.ends_with(suffix.as_str()))
                .map(|(_, ip)| *ip)
        })
    }
}

/// The HTTP client's DNS resolver: the configured overrides, else tokio's `lookup_host`, then
/// the [`AddressGuard`].
///
/// Refused addresses are dropped; when none is left the connection fails with
/// [`AddressRefused`] before any connection is attempted.
#[derive(Debug, Clone)]
pub(crate) struct GuardedResolver {
    guard: Arc<AddressGuard>,
    overrides: Arc<ResolveOverrides>,
}

impl GuardedResolver {
    /// A resolver applying `guard`, answering from `overrides` first.
    pub(crate) fn new(guard: Arc<AddressGuard>, overrides: Arc<ResolveOverrides>) -> Self {
        GuardedResolver { guard, overrides }
    }

    /// Resolves `host` (through `overrides` first) and keeps the addresses the guard allows.
    pub(crate) async fn resolve_host(
        guard: &AddressGuard,
        overrides: &ResolveOverrides,
        host: &str,
    ) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let resolved: Vec<SocketAddr> = match overrides.lookup(host) {
            Some(ip) => vec![SocketAddr::new(ip, 0)],
            None => tokio::net::lookup_host((host, 0)).await?.collect(),
        };
        let mut first_refusal = None;
        let mut allowed = Vec::with_capacity(resolved.len());
        for addr in resolved {
            match guard.refusal(addr.ip()) {
                None => allowed.push(addr),
                Some(reason) => {
                    tracing::debug!(stage = "fetch", host, ip = %addr.ip(), "address refused");
                    first_refusal.get_or_insert(reason);
                }
            }
        }
        match (allowed.is_empty(), first_refusal) {
            (true, Some(reason)) => Err(Box::new(AddressRefused {
                host: host.to_string(),
                reason,
            })),
            (true, None) => Err(format!("{host} resolved to no address").into()),
            (false, _) => Ok(allowed),
        }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = Arc::clone(&self.guard);
        let overrides = Arc::clone(&self.overrides);
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs = GuardedResolver::resolve_host(&guard, &overrides, &host).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn refused(s: &str) -> bool {
        let ip: IpAddr = s.parse().unwrap();
        AddressGuard::new(true, &[]).refusal(ip).is_some()
    }

    #[test]
    fn non_public_addresses_are_refused() {
        for s in [
            "127.0.0.1",
            "127.255.0.9",
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "::8.8.8.8",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "100::1",
        ] {
            assert!(refused(s), "{s} should be refused");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for s in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "169.253.1.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::",
        ] {
            assert!(!refused(s), "{s} should be allowed");
        }
    }

    #[test]
    fn reason_names_kind_and_address() {
        let g = AddressGuard::new(true, &[]);
        assert_eq!(
            g.refusal("169.254.169.254".parse().unwrap()).as_deref(),
            Some("refusing to connect to link-local address 169.254.169.254")
        );
    }

    #[test]
    fn exceptions_and_disabled_guard() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        let g = AddressGuard::new(true, &[lo]);
        assert_eq!(g.refusal(lo), None);
        assert_eq!(g.refusal("::ffff:127.0.0.1".parse().unwrap()), None);
        assert!(g.refusal("127.0.0.2".parse().unwrap()).is_some());
        assert_eq!(AddressGuard::new(false, &[]).refusal(lo), None);
    }

    #[tokio::test]
    async fn resolver_refuses_names_of_private_addresses() {
        // `localhost` resolves to 127.0.0.1 and/or ::1; allowing an unrelated loopback address
        // must not let it through.
        let g = AddressGuard::new(true, &["127.0.0.2".parse().unwrap()]);
        let none = ResolveOverrides::default();
        let err = GuardedResolver::resolve_host(&g, &none, "localhost")
            .await
            .expect_err("localhost must be refused");
        let refused = err
            .downcast_ref::<AddressRefused>()
            .expect("an AddressRefused error");
        assert_eq!(refused.host, "localhost");
        assert!(refused.reason.contains("loopback"), "{}", refused.reason);

        let open = AddressGuard::new(false, &[]);
        let addrs = GuardedResolver::resolve_host(&open, &none, "localhost")
            .await
            .unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()));
    }

    #[tokio::test]
    async fn overrides_answer_first_and_the_guard_still_applies() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        let map = BTreeMap::from([
            ("*.bench.test".to_string(), lo),
            ("Exact.Example".to_string(), "127.0.0.2".parse().unwrap()),
        ]);
        let o = ResolveOverrides::new(&map);
        assert_eq!(o.lookup("h123.bench.test"), Some(lo));
        assert_eq!(
            o.lookup("exact.example."),
            Some("127.0.0.2".parse().unwrap())
        );
        assert_eq!(o.lookup("bench.test"), None);
        assert_eq!(o.lookup("other.example"), None);
        let open = AddressGuard::new(true, &[lo]);
        let addrs = GuardedResolver::resolve_host(&open, &o, "h1.bench.test")
            .await
            .unwrap();
        assert_eq!(addrs, vec![SocketAddr::new(lo, 0)]);
        // 127.0.0.2 is not an allowed exception: refused even though it was overridden.
        let err = GuardedResolver::resolve_host(&open, &o, "exact.example")
            .await
            .expect_err("guard applies to overrides");
        assert!(err.downcast_ref::<AddressRefused>().is_some());
    }
}

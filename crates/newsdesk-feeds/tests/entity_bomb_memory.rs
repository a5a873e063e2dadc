//! The 160 KB quadratic-entity feed (once 12 GB resident) is refused in a process that stays
//! under 100 MB at its peak. Alone in its test binary so that the peak is this case's own.

use newsdesk_core::hostile;
use newsdesk_feeds::{FeedError, parse_feed};

/// A field of `/proc/self/status` in KiB.
fn status_kib(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

#[test]
fn entity_bomb_peak_memory_stays_under_100_mb() {
    let feed = hostile::entity_bomb_feed(100_000, 20_000);
    for _ in 0..3 {
        let err = parse_feed(feed.as_bytes(), None, None).unwrap_err();
        assert!(matches!(err, FeedError::Refused { .. }), "{err}");
    }
    let peak_mib = status_kib("VmHWM:") / 1024;
    assert!(peak_mib < 100, "peak resident memory {peak_mib} MiB");
}

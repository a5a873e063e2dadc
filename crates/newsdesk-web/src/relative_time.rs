//! Times as people read them: "12 min ago", "3 h ago", "2 days ago", and the exact UTC form.

use chrono::{DateTime, Utc};

/// How long ago `t` was, seen from `now`, in short English.
pub(crate) fn relative_time(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - t).num_seconds();
    if seconds < -60 {
        return "in the future".to_string();
    }
    let minutes = seconds / 60;
    let hours = minutes / 60;
    let days = hours / 24;
    match () {
        _ if minutes < 1 => "just now".to_string(),
        _ if hours < 1 => format!("{minutes} min ago"),
        _ if days < 1 => format!("{hours} h ago"),
        _ if days == 1 => "1 day ago".to_string(),
        _ if days < 60 => format!("{days} days ago"),
        _ => t.format("%-d %b %Y").to_string(),
    }
}

/// The exact time in UTC, e.g. `2026-01-02 03:04 UTC`.
pub(crate) fn exact_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// RFC 3339 with second precision and `Z`, as used in `datetime` attributes and JSON.
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn reads_like_a_person_would_say_it() {
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
        let cases = [
            (Duration::seconds(20), "just now"),
            (Duration::minutes(12), "12 min ago"),
            (Duration::hours(3), "3 h ago"),
            (Duration::hours(30), "1 day ago"),
            (Duration::days(2), "2 days ago"),
            (Duration::days(400), "3 Feb 2025"),
            (Duration::hours(-2), "in the future"),
        ];
        for (ago, want) in cases {
            assert_eq!(relative_time(now - ago, now), want, "{ago:?}");
        }
        assert_eq!(exact_utc(now), "2026-03-10 12:00 UTC");
        assert_eq!(rfc3339(now), "2026-03-10T12:00:00Z");
    }
}

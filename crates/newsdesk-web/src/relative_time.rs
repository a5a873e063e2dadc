//! Times as people read them, in the page's language through Fluent (with its plural rules):
//! "12 min ago", "3 h ago", "2 days ago", "just now", "in 3 hours", a date for old times; the
//! gap between two instants ("2 h", "3 days"); and the exact time, in UTC, in a page's language
//! or in the form the feeds and the API use (RFC 3339).

use chrono::{DateTime, Datelike, Utc};
use fluent_bundle::FluentArgs;

use crate::i18n;

pub(crate) fn counted(lang: &str, key: &str, count: i64) -> String {
    let mut args = FluentArgs::new();
    args.set("count", count);
    i18n::message(lang, key, Some(&args))
}

/// How long ago `t` was, seen from `now`, in `lang` (an interface locale).
pub(crate) fn relative_time(t: DateTime<Utc>, now: DateTime<Utc>, lang: &str) -> String {
    let seconds = (now - t).num_seconds();
    if seconds < -60 {
        let minutes = -seconds / 60;
        let (hours, days) = (minutes / 60, minutes / 1440);
        return match () {
            _ if hours < 1 => counted(lang, "time-in-minutes", minutes),
            _ if days < 1 => counted(lang, "time-in-hours", hours),
            _ => counted(lang, "time-in-days", days),
        };
    }
    let minutes = seconds / 60;
    let hours = minutes / 60;
    let days = hours / 24;
    match () {
        _ if minutes < 1 => i18n::message(lang, "time-just-now", None),
        _ if hours < 1 => counted(lang, "time-minutes-ago", minutes),
        _ if days < 1 => counted(lang, "time-hours-ago", hours),
        _ if days < 60 => counted(lang, "time-days-ago", days),
        _ => i18n::message(lang, "time-date", Some(&date_args(t))),
    }
}

/// The day, month and year of `t` as Fluent arguments (for `time-date` and `time-exact`).
fn date_args(t: DateTime<Utc>) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    args.set("day", i64::from(t.day()));
    args.set("month", i64::from(t.month()));
    args.set("year", i64::from(t.year()));
    args
}

/// The exact time in UTC in `lang` (an interface locale): "10 Mar 2026, 09:05 UTC",
/// "10 mars 2026 à 09:05 UTC".
pub(crate) fn exact_in(t: DateTime<Utc>, lang: &str) -> String {
    let mut args = date_args(t);
    args.set("time", t.format("%H:%M").to_string());
    i18n::message(lang, "time-exact", Some(&args))
}

/// How long before `later` the `earlier` instant was, in words ("2 h", "35 min", "3 days").
pub(crate) fn gap(seconds: i64, lang: &str) -> String {
    let minutes = seconds.max(0) / 60;
    match minutes {
        0 => i18n::message(lang, "gap-under-minute", None),
        1..=59 => counted(lang, "gap-minutes", minutes),
        60..=2879 => counted(lang, "gap-hours", minutes / 60),
        _ => counted(lang, "gap-days", minutes / 1440),
    }
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
    fn reads_like_a_person_would_say_it_in_each_language() {
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
        let cases = [
            (
                Duration::seconds(20),
                ["just now", "à l’instant", "ahora mismo", "gerade eben"],
            ),
            (
                Duration::minutes(12),
                ["12 min ago", "il y a 12 min", "hace 12 min", "vor 12 Min."],
            ),
            (
                Duration::hours(3),
                ["3 h ago", "il y a 3 h", "hace 3 h", "vor 3 Std."],
            ),
            (
                Duration::hours(30),
                ["1 day ago", "il y a 1 jour", "hace 1 día", "vor 1 Tag"],
            ),
            (
                Duration::days(2),
                ["2 days ago", "il y a 2 jours", "hace 2 días", "vor 2 Tagen"],
            ),
            (
                Duration::days(400),
                ["3 Feb 2025", "3 févr. 2025", "3 feb 2025", "3. Feb. 2025"],
            ),
            (
                Duration::hours(-3),
                [
                    "in 3 hours",
                    "dans 3 heures",
                    "dentro de 3 horas",
                    "in 3 Stunden",
                ],
            ),
            (
                Duration::hours(-1),
                [
                    "in 1 hour",
                    "dans 1 heure",
                    "dentro de 1 hora",
                    "in 1 Stunde",
                ],
            ),
            (
                Duration::minutes(-5),
                ["in 5 min", "dans 5 min", "dentro de 5 min", "in 5 Min."],
            ),
            (
                Duration::days(-2),
                [
                    "in 2 days",
                    "dans 2 jours",
                    "dentro de 2 días",
                    "in 2 Tagen",
                ],
            ),
        ];
        for (ago, want) in cases {
            for (lang, want) in ["en", "fr", "es", "de"].iter().zip(want) {
                assert_eq!(relative_time(now - ago, now, lang), want, "{lang} {ago:?}");
            }
        }
        let morning = Utc.with_ymd_and_hms(2026, 3, 10, 9, 5, 0).unwrap();
        let exact: Vec<String> = ["en", "fr", "es", "de"]
            .iter()
            .map(|l| exact_in(morning, l))
            .collect();
        assert_eq!(
            exact,
            [
                "10 Mar 2026, 09:05 UTC",
                "10 mars 2026 à 09:05 UTC",
                "10 mar 2026, 09:05 UTC",
                "10. März 2026, 09:05 UTC"
            ]
        );
        assert_eq!(rfc3339(now), "2026-03-10T12:00:00Z");
    }

    #[test]
    fn gaps_read_naturally_with_plurals() {
        assert_eq!(gap(7_200, "en"), "2 h");
        assert_eq!(gap(35 * 60, "en"), "35 min");
        assert_eq!(gap(3 * 86_400, "en"), "3 days");
        assert_eq!(gap(-100, "en"), "less than a minute");
        assert_eq!(gap(3 * 86_400, "de"), "3 Tage");
        assert_eq!(gap(2 * 86_400, "fr"), "2 jours");
        assert_eq!(gap(7_200, "es"), "2 h");
        assert_eq!(gap(10, "fr"), "moins d’une minute");
    }
}

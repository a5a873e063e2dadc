//! Parsing publication dates: ISO 8601 / RFC 3339 and RFC 2822 in metadata, dates in URL paths,
//! and common written dates ("14.03.2026", "14. März 2026", "March 14, 2026").

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use regex::Regex;

/// A parsed date: the instant (UTC) and the calendar date as the page wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageDate {
    /// The instant, in UTC (midnight UTC when only a date was given).
    pub utc: DateTime<Utc>,
    /// The calendar date in the page's own time zone.
    pub local: NaiveDate,
    /// How the zone was given.
    pub zone: Zone,
}

/// How a date's time zone was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    /// UTC (`Z`, `+00:00`): the page's own calendar date may differ.
    Utc,
    /// A non-zero offset: the page's local time.
    Offset,
    /// No zone at all (a local time, or a bare date).
    Naive,
}

impl PageDate {
    fn from_fixed(dt: DateTime<FixedOffset>) -> Option<PageDate> {
        plausible(PageDate {
            utc: dt.with_timezone(&Utc),
            local: dt.date_naive(),
            zone: if dt.offset().local_minus_utc() == 0 {
                Zone::Utc
            } else {
                Zone::Offset
            },
        })
    }

    fn from_naive(dt: NaiveDateTime) -> Option<PageDate> {
        plausible(PageDate {
            utc: Utc.from_utc_datetime(&dt),
            local: dt.date(),
            zone: Zone::Naive,
        })
    }

    fn from_date(d: NaiveDate) -> Option<PageDate> {
        PageDate::from_naive(d.and_hms_opt(0, 0, 0)?)
    }
}

impl PageDate {
    /// A UTC date moved to the page's calendar when another source gives the same instant in
    /// local time (`2023-11-09T05:30:59Z` and `2023-11-08 23:30:59` or `…T00:30:59+01:00`).
    pub(crate) fn localized(self, others: &[PageDate]) -> PageDate {
        if self.zone != Zone::Utc {
            return self;
        }
        let same_instant = |o: &&PageDate| match o.zone {
            Zone::Offset => (o.utc - self.utc).num_seconds().abs() < 60,
            Zone::Naive => {
                // A naive local time: its difference from UTC is a whole zone offset.
                let diff = (o.utc - self.utc).num_seconds();
                diff != 0 && diff.abs() <= 14 * 3600 && diff % 900 == 0
            }
            Zone::Utc => false,
        };
        match others.iter().find(same_instant) {
            // The page's own zone is known now: no dateline may move it again.
            Some(o) => PageDate {
                local: o.local,
                zone: Zone::Offset,
                ..self
            },
            None => self,
        }
    }
}

impl PageDate {
    /// A UTC time near midnight moved to the neighbouring day when the page's written dateline
    /// says so (`2018-12-31T23:11:59Z` on a page dated "1. Januar 2019").
    pub(crate) fn with_written(self, written: Option<PageDate>) -> PageDate {
        use chrono::Timelike as _;
        let Some(w) = written else { return self };
        if self.zone != Zone::Utc || self.local != self.utc.date_naive() {
            return self;
        }
        let hour = self.utc.hour();
        let next = self.local.succ_opt();
        let prev = self.local.pred_opt();
        if (hour >= 20 && Some(w.local) == next) || (hour < 4 && Some(w.local) == prev) {
            PageDate {
                local: w.local,
                ..self
            }
        } else {
            self
        }
    }
}

fn plausible(d: PageDate) -> Option<PageDate> {
    let year = d.local.format("%Y").to_string().parse::<i32>().ok()?;
    (1990..=2100).contains(&year).then_some(d)
}

/// Parses a machine-readable date as found in metadata (`2026-03-14T09:30:00+01:00`,
/// `2026-03-14 09:30:00`, `2026-03-14`, `Sat, 14 Mar 2026 09:30:00 +0100`, `20260314`…).
pub(crate) fn parse_machine(s: &str) -> Option<PageDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return PageDate::from_fixed(dt);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return PageDate::from_fixed(dt);
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return PageDate::from_fixed(dt);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return PageDate::from_naive(dt);
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return PageDate::from_date(d);
        }
    }
    // Something ISO-like with trailing junk: "2026-03-14T09:30:00+0100 CET", "2026-03-14UTC".
    let caps = ISO_PREFIX.captures(s)?;
    date_from_parts(&caps[1], &caps[2], &caps[3])
}

static ISO_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})").expect("valid regex"));

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/_\-.]|$)")
        .expect("valid regex")
});

/// A date written in a URL path: `/2026/03/14/`, `/2026-03-14-title`.
pub(crate) fn from_url(url: &str) -> Option<PageDate> {
    if let Some(caps) = URL_DATE.captures(url) {
        return date_from_parts(&caps[1], &caps[2], &caps[3]);
    }
    // Day first: `/meldungen/29-10-2021`.
    let caps = URL_DATE_DMY.captures(url)?;
    date_from_parts(&caps[3], &caps[2], &caps[1])
}

static URL_DATE_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/(0?[1-9]|[12]\d|3[01])[-.](0?[1-9]|1[0-2])[-.]((?:19|20)\d{2})(?:[/_\-.]|$)")
        .expect("valid regex")
});

static NUMERIC_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^\d.])(0?[1-9]|[12]\d|3[01])\.\s?(0?[1-9]|1[0-2])\.\s?((?:19|20)\d{2}|[0-3]\d)(?:[^\d.]|$)",
    )
    .expect("valid regex")
});

static ISO_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\D)((?:19|20)\d{2})[-/](0[1-9]|1[0-2])[-/](0[1-9]|[12]\d|3[01])(?:\D|$)")
        .expect("valid regex")
});

/// The month word is `\p{L}+`, its length (3 to 10 letters) checked by [`month_word`]: a
/// bounded repeat of `\p{L}` made these two the costliest regexes to compile (3 ms each, at
/// every start of the program). Case-insensitive only where it matters.
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\W)(0?[1-9]|[12]\d|3[01])(?:\.|(?i:er|st|nd|rd|th))?\s+(?:(?i:de)\s+)?(\p{L}+)\.?,?\s+(?:(?i:de)\s+)?((?:19|20)\d{2})(?:\D|$)")
        .expect("valid regex")
});

static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\W)(\p{L}+)\.?\s+(0?[1-9]|[12]\d|3[01])(?i:st|nd|rd|th)?,?\s+((?:19|20)\d{2})(?:\D|$)")
        .expect("valid regex")
});

/// Publication times in JSON inside scripts (`"publishedDate":"2016-11-04T20:37:27Z"`).
static SCRIPT_JSON_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(?:datePublished|publishedDate|published_at|publishDate|publish_date|publicationDate|firstPublished|first_published_at|createdAt|created_at|pubDate)"\s*:\s*"((?:19|20)\d{2}-\d{2}-\d{2}[^"]{0,30})""#)
        .expect("valid regex")
});

/// The first publication time found in the JSON of a script (a framework's page state).
pub(crate) fn from_script_json(script: &str) -> Option<String> {
    SCRIPT_JSON_DATE.captures(script).map(|c| c[1].to_owned())
}

/// The first written date in a short text (a dateline or byline).
pub(crate) fn from_text(text: &str) -> Option<PageDate> {
    // The earliest date in the text, whatever its format.
    let mut best: Option<(usize, PageDate)> = None;
    let mut offer = |at: usize, d: Option<PageDate>| {
        if let Some(d) = d
            && best.is_none_or(|(b, _)| at < b)
        {
            best = Some((at, d));
        }
    };
    if let Some(c) = ISO_IN_TEXT.captures(text) {
        offer(
            c.get(1).map_or(0, |m| m.start()),
            date_from_parts(&c[1], &c[2], &c[3]),
        );
    }
    if let Some(c) = NUMERIC_DMY.captures(text) {
        offer(
            c.get(1).map_or(0, |m| m.start()),
            date_from_parts(&c[3], &c[2], &c[1]),
        );
    }
    if let Some((at, d)) = DAY_MONTH_YEAR.captures_iter(text).find_map(|c| {
        let m = month_word(&c[2])?;
        Some((
            c.get(1)?.start(),
            date_from_parts(&c[3], &m.to_string(), &c[1])?,
        ))
    }) {
        offer(at, Some(d));
    }
    if let Some((at, d)) = MONTH_DAY_YEAR.captures_iter(text).find_map(|c| {
        let m = month_word(&c[1])?;
        Some((
            c.get(1)?.start(),
            date_from_parts(&c[3], &m.to_string(), &c[2])?,
        ))
    }) {
        offer(at, Some(d));
    }
    best.map(|(_, d)| d)
}

fn date_from_parts(y: &str, m: &str, d: &str) -> Option<PageDate> {
    // A two-digit year ("31.10.23") is in this century.
    let year: i32 = y.parse().ok()?;
    let year = if y.len() == 2 { 2000 + year } else { year };
    let date = NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)?;
    PageDate::from_date(date)
}

/// [`month_number`] of a word of 3 to 10 letters.
fn month_word(word: &str) -> Option<u32> {
    (3..=10)
        .contains(&word.chars().count())
        .then(|| month_number(word))
        .flatten()
}

/// Month names and abbreviations in English, German, French, Spanish, Italian, Portuguese,
/// Dutch and Polish (genitive forms included).
fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    const MONTHS: [&[&str]; 12] = [
        &[
            "jan",
            "january",
            "januar",
            "jänner",
            "janvier",
            "enero",
            "gennaio",
            "janeiro",
            "januari",
            "stycznia",
            "styczeń",
            "января",
            "январь",
            "tammikuuta",
            "ledna",
        ],
        &[
            "feb",
            "february",
            "februar",
            "février",
            "fevrier",
            "febrero",
            "febbraio",
            "fevereiro",
            "februari",
            "lutego",
            "luty",
            "февраля",
            "февраль",
            "helmikuuta",
        ],
        &[
            "mar",
            "march",
            "märz",
            "maerz",
            "mars",
            "marzo",
            "março",
            "maart",
            "marca",
            "marzec",
            "марта",
            "март",
            "maaliskuuta",
        ],
        &[
            "apr",
            "april",
            "avril",
            "abril",
            "aprile",
            "kwietnia",
            "kwiecień",
            "апреля",
            "апрель",
            "huhtikuuta",
        ],
        &[
            "may",
            "mai",
            "mayo",
            "maggio",
            "maio",
            "mei",
            "maja",
            "maj",
            "мая",
            "май",
            "toukokuuta",
        ],
        &[
            "jun",
            "june",
            "juni",
            "juin",
            "junio",
            "giugno",
            "junho",
            "czerwca",
            "czerwiec",
            "июня",
            "июнь",
            "kesäkuuta",
        ],
        &[
            "jul",
            "july",
            "juli",
            "juillet",
            "julio",
            "luglio",
            "julho",
            "lipca",
            "lipiec",
            "июля",
            "июль",
            "heinäkuuta",
        ],
        &[
            "aug",
            "august",
            "août",
            "aout",
            "agosto",
            "augustus",
            "sierpnia",
            "sierpień",
            "августа",
            "август",
            "elokuuta",
        ],
        &[
            "sep",
            "sept",
            "september",
            "septembre",
            "septiembre",
            "settembre",
            "setembro",
            "września",
            "wrzesień",
            "сентября",
            "сентябрь",
            "syyskuuta",
        ],
        &[
            "oct",
            "october",
            "oktober",
            "octobre",
            "octubre",
            "ottobre",
            "outubro",
            "października",
            "październik",
            "октября",
            "октябрь",
            "lokakuuta",
            "okt",
        ],
        &[
            "nov",
            "november",
            "novembre",
            "noviembre",
            "novembro",
            "listopada",
            "listopad",
            "ноября",
            "ноябрь",
            "marraskuuta",
        ],
        &[
            "dec",
            "december",
            "dezember",
            "décembre",
            "decembre",
            "diciembre",
            "dicembre",
            "dezembro",
            "grudnia",
            "grudzień",
            "декабря",
            "декабрь",
            "joulukuuta",
            "dez",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&n))
        .and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ymd(d: Option<PageDate>) -> String {
        d.map(|d| d.local.to_string()).unwrap_or_default()
    }

    #[test]
    fn machine_dates() {
        let d = parse_machine("2026-03-14T00:30:00+01:00").unwrap();
        assert_eq!(d.local.to_string(), "2026-03-14");
        assert_eq!(d.utc.to_rfc3339(), "2026-03-13T23:30:00+00:00");
        assert_eq!(
            ymd(parse_machine("2026-03-14T09:30:00.123+0100")),
            "2026-03-14"
        );
        assert_eq!(ymd(parse_machine("2026-03-14 09:30:00")), "2026-03-14");
        assert_eq!(ymd(parse_machine("2026-03-14")), "2026-03-14");
        assert_eq!(
            ymd(parse_machine("Sat, 14 Mar 2026 09:30:00 +0000")),
            "2026-03-14"
        );
        assert_eq!(ymd(parse_machine("2026-03-14T09:30:00 CET")), "2026-03-14");
        assert_eq!(parse_machine("yesterday"), None);
        assert_eq!(parse_machine("1850-01-01"), None);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            ymd(from_url("https://x.org/news/2026/03/14/story")),
            "2026-03-14"
        );
        assert_eq!(
            ymd(from_url("https://x.org/2026-3-4-story.html")),
            "2026-03-04"
        );
        assert_eq!(from_url("https://x.org/2026/13/14/story"), None);
        assert_eq!(from_url("https://x.org/story-123456"), None);
    }

    #[test]
    fn utc_dates_take_the_pages_calendar() {
        let utc = parse_machine("2023-11-09T05:30:59Z").unwrap();
        let naive_local = parse_machine("2023-11-08 23:30:59").unwrap();
        let offset_local = parse_machine("2019-10-19T00:04:00+02:00").unwrap();
        assert_eq!(
            utc.localized(&[naive_local]).local.to_string(),
            "2023-11-08"
        );
        assert_eq!(utc.localized(&[naive_local]).utc, utc.utc);
        let utc2 = parse_machine("2019-10-18T22:04:00Z").unwrap();
        assert_eq!(
            utc2.localized(&[offset_local]).local.to_string(),
            "2019-10-19"
        );
        // An unrelated time (not a whole zone away) changes nothing.
        let other = parse_machine("2023-11-08 20:01:02").unwrap();
        assert_eq!(utc.localized(&[other]).local.to_string(), "2023-11-09");
        // A date given with an offset is already local.
        assert_eq!(
            offset_local.localized(&[utc]).local.to_string(),
            "2019-10-19"
        );
    }

    #[test]
    fn dates_in_script_json() {
        let state = r#"{"review":{"id":7,"publishedDate":"2016-11-04T20:37:27Z","updated":"x"}}"#;
        assert_eq!(
            from_script_json(state).as_deref(),
            Some("2016-11-04T20:37:27Z")
        );
        assert_eq!(from_script_json(r#"{"date":"2016-11-04"}"#), None);
    }

    #[test]
    fn written_dateline_moves_a_utc_time_near_midnight() {
        let utc = parse_machine("2018-12-31T23:11:59+00:00").unwrap();
        let written = from_text("1. Januar 2019, 00:11 Uhr");
        assert_eq!(utc.with_written(written).local.to_string(), "2019-01-01");
        let noon = parse_machine("2018-12-31T12:00:00Z").unwrap();
        assert_eq!(noon.with_written(written).local.to_string(), "2018-12-31");
    }

    #[test]
    fn day_first_url_dates() {
        assert_eq!(
            ymd(from_url("https://x.example/meldungen/29-10-2021")),
            "2021-10-29"
        );
        assert_eq!(
            ymd(from_url("https://x.example/2021/10/29/title")),
            "2021-10-29"
        );
        assert_eq!(ymd(from_url("https://x.example/item-1234-5678")), "");
    }

    #[test]
    fn two_digit_years() {
        assert_eq!(
            ymd(from_text("Von: Berta Jansen | 31.10.23 Weitere Themen")),
            "2023-10-31"
        );
        assert_eq!(ymd(from_text("Version 1.2.3 released")), "");
    }

    #[test]
    fn written_dates() {
        assert_eq!(
            ymd(from_text("Veröffentlicht am 14.03.2026, 10:15 Uhr")),
            "2026-03-14"
        );
        assert_eq!(ymd(from_text("14. März 2026")), "2026-03-14");
        assert_eq!(ymd(from_text("Publié le 4 avril 2026 à 10h")), "2026-04-04");
        assert_eq!(ymd(from_text("March 14, 2026")), "2026-03-14");
        assert_eq!(ymd(from_text("14 de marzo de 2026")), "2026-03-14");
        assert_eq!(ymd(from_text("Updated 2026/03/14")), "2026-03-14");
        assert_eq!(from_text("No date here 12345"), None);
    }
}

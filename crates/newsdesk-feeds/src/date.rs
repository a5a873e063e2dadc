//! Dates as feeds write them, normalised to UTC.
//!
//! feed-rs only understands RFC 3339 and RFC 2822-like strings; real feeds also use W3CDTF
//! partial dates, ISO 8601 basic and ordinal forms, two-digit years, named time zones,
//! asctime, and localised month names. This parser is plugged into feed-rs as its timestamp
//! parser and used by the recovering path. Unparseable input gives `None`, never a panic.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use regex::Regex;

/// Parses a feed date in any of the formats found in the wild; times without an offset are UTC.
///
/// ```
/// use newsdesk_feeds::parse_date;
/// let d = parse_date("Thu,  5 Apr 2012 10:00:00 EST").unwrap();
/// assert_eq!(d.to_rfc3339(), "2012-04-05T15:00:00+00:00");
/// assert!(parse_date("not a date").is_none());
/// ```
pub fn parse_date(input: &str) -> Option<DateTime<Utc>> {
    let s = input.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    parse_iso8601(s)
        .or_else(|| parse_korean(s))
        .or_else(|| parse_rfc822(&translate_month_names(s)))
        .or_else(|| parse_iso8601(&translate_month_names(s)))
}

static ISO: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^
        (?:
            (?P<y4>\d{4}) (?: -(?P<m>\d{1,3}) (?: -(?P<d>\d{1,2}) )? | (?P<mb>\d{2})(?P<db>\d{2}) | -?(?P<ord>\d{3}) )?
          | (?P<y2>\d{2}) -? (?P<m2>\d{2}) -? (?P<d2>\d{2})
          | (?P<y2o>\d{2}) (?P<ord2>\d{3})
          | - (?P<y2b>\d{2}) -? (?P<m3>\d{2})
        )
        (?:
            (?:[Tt]|\s+) (?P<h>\d{1,2}) (?: :? (?P<mi>\d{2}) (?: :? (?P<sec>\d{2}) (?:[.,]\d+)? )? )?
        )?
        \s* (?P<tz> [Zz] | (?:UTC|GMT|UT)? \s* [+-] \d{1,2} (?: :? \d{2} )? | UTC | GMT | UT )?
        $",
    )
    .ok()
});

fn parse_iso8601(s: &str) -> Option<DateTime<Utc>> {
    let re = ISO.as_ref()?;
    let c = re.captures(s)?;
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i64>().ok());
    let century = |yy: i64| 2000 + yy;
    let date = if let Some(y) = num("y4") {
        if let Some(ord) = num("ord") {
            NaiveDate::from_yo_opt(i32::try_from(y).ok()?, u32::try_from(ord).ok()?)?
        } else {
            let m = num("m").or_else(|| num("mb")).unwrap_or(1);
            ymd(y, m, num("d").or_else(|| num("db")).unwrap_or(1))?
        }
    } else if let Some(y) = num("y2") {
        ymd(century(y), num("m2")?, num("d2")?)?
    } else if let Some(y) = num("y2o") {
        NaiveDate::from_yo_opt(
            i32::try_from(century(y)).ok()?,
            u32::try_from(num("ord2")?).ok()?,
        )?
    } else {
        ymd(century(num("y2b")?), num("m3")?, 1)?
    };
    let time = NaiveTime::from_hms_opt(
        u32::try_from(num("h").unwrap_or(0)).ok()?,
        u32::try_from(num("mi").unwrap_or(0)).ok()?,
        u32::try_from(num("sec").unwrap_or(0)).ok()?,
    )?;
    let offset = match c.name("tz") {
        Some(tz) => zone_offset_minutes(tz.as_str())?,
        None => 0,
    };
    to_utc(date.and_time(time), offset)
}

fn ymd(y: i64, m: i64, d: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    )
}

fn to_utc(local: NaiveDateTime, offset_minutes: i64) -> Option<DateTime<Utc>> {
    let utc = local.checked_sub_signed(Duration::minutes(offset_minutes))?;
    Some(Utc.from_utc_datetime(&utc))
}

/// Offset of a zone name or numeric offset, in minutes east of UTC.
fn zone_offset_minutes(z: &str) -> Option<i64> {
    let z = z.trim();
    let upper = z.to_ascii_uppercase();
    let numeric = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))
        .or_else(|| upper.strip_prefix("UT"))
        .unwrap_or(&upper)
        .trim();
    if let Some(sign) = numeric.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = numeric[1..].chars().filter(|c| *c != ':').collect();
        if digits.is_empty() || digits.len() > 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i64>().ok()?, 0),
            3 => (
                digits[..1].parse::<i64>().ok()?,
                digits[1..].parse::<i64>().ok()?,
            ),
            _ => (
                digits[..2].parse::<i64>().ok()?,
                digits[2..].parse::<i64>().ok()?,
            ),
        };
        if m >= 60 || h > 23 {
            return None;
        }
        let total = h * 60 + m;
        return Some(if sign == '-' { -total } else { total });
    }
    let hours = match upper.as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "EST" | "ET" | "CDT" => -5,
        "EDT" | "AT" | "AST" => -4,
        "ADT" => -3,
        "CST" | "CT" | "MDT" => -6,
        "MST" | "MT" | "PDT" => -7,
        "PST" | "PT" | "AKDT" => -8,
        "AKST" => -9,
        "HST" => -10,
        "BST" | "CET" | "MET" | "WEST" => 1,
        "CEST" | "MEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "HKT" => 8,
        "JST" | "KST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        "NZST" => 12,
        "NZDT" => 13,
        _ => return None,
    };
    Some(hours * 60)
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if w.chars().count() < 3 {
        return None;
    }
    let prefix: String = w.chars().take(3).collect();
    let i = MONTHS.iter().position(|m| *m == prefix)?;
    u32::try_from(i + 1).ok()
}

fn is_day_name(word: &str) -> bool {
    let w = word.trim_end_matches([',', '.']).to_lowercase();
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    w.len() >= 3 && w.is_char_boundary(3) && DAYS.contains(&&w[..3])
}

/// RFC 822/2822 and relatives: optional day name, day/month in either order, 2- or 4-digit year,
/// optional seconds, optional time, named or numeric zone; also asctime.
fn parse_rfc822(s: &str) -> Option<DateTime<Utc>> {
    let cleaned = s.replace(',', " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().collect();
    let (mut day, mut month, mut year, mut time, mut zone) = (None, None, None, None, None);
    for tok in tokens {
        if is_day_name(tok) && month_number(tok).is_none() {
            continue;
        }
        if let Some(m) =
            month_number(tok).filter(|_| tok.chars().all(|c| c.is_alphabetic() || c == '.'))
        {
            month = Some(m);
        } else if tok.contains(':') && tok.starts_with(|c: char| c.is_ascii_digit()) {
            // "10:00:00", possibly with a zone glued on ("10:00:00+0200", "10:00:00GMT")
            let split = tok
                .find(|c: char| c.is_ascii_alphabetic() || c == '+' || c == '-')
                .unwrap_or(tok.len());
            let (t, z) = tok.split_at(split);
            time = Some(parse_time(t)?);
            if !z.is_empty() {
                zone = Some(zone_offset_minutes(z)?);
            }
        } else if tok.chars().all(|c| c.is_ascii_digit()) {
            let n: i64 = tok.parse().ok()?;
            if tok.len() >= 3 || (day.is_some() && year.is_none()) || n > 31 {
                year = Some(if tok.len() <= 2 {
                    if n < 50 { 2000 + n } else { 1900 + n }
                } else {
                    n
                });
            } else {
                day = Some(n);
            }
        } else if let Some(z) = zone_offset_minutes(tok) {
            zone = Some(z);
        } else {
            return None;
        }
    }
    let date = ymd(year?, i64::from(month?), day?)?;
    let time = time.unwrap_or(NaiveTime::MIN);
    to_utc(date.and_time(time), zone.unwrap_or(0))
}

fn parse_time(t: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = t.split(':').collect();
    let n = |i: usize| -> Option<u32> {
        parts.get(i).map_or(Some(0), |p| {
            p.split('.').next().and_then(|p| p.parse().ok())
        })
    };
    if parts.len() > 3 {
        return None;
    }
    NaiveTime::from_hms_opt(n(0)?, n(1)?, n(2)?)
}

/// Greek and Hungarian month names (and Greek day names) to English abbreviations / numbers.
fn translate_month_names(s: &str) -> String {
    const GREEK: [(&str, &str); 24] = [
        ("Ιαν", "Jan"),
        ("Φεβ", "Feb"),
        ("Μάώ", "Mar"),
        ("Μαρ", "Mar"),
        ("Μάρ", "Mar"),
        ("Απρ", "Apr"),
        ("Μάι", "May"),
        ("Μαϊ", "May"),
        ("Μαι", "May"),
        ("Ιούν", "Jun"),
        ("Ιον", "Jun"),
        ("Ιουν", "Jun"),
        ("Ιούλ", "Jul"),
        ("Ιολ", "Jul"),
        ("Ιουλ", "Jul"),
        ("Αύγ", "Aug"),
        ("Αυγ", "Aug"),
        ("Σεπ", "Sep"),
        ("Οκτ", "Oct"),
        ("Νοέ", "Nov"),
        ("Νοε", "Nov"),
        ("Δεκ", "Dec"),
        ("Μαΐ", "May"),
        ("Μάρτ", "Mar"),
    ];
    const GREEK_DAYS: [&str; 7] = ["Κυρ", "Δευ", "Τρι", "Τετ", "Πεμ", "Παρ", "Σαβ"];
    const HUNGARIAN: [(&str, &str); 12] = [
        ("január", "01"),
        ("február", "02"),
        ("március", "03"),
        ("április", "04"),
        ("május", "05"),
        ("június", "06"),
        ("július", "07"),
        ("augusztus", "08"),
        ("szeptember", "09"),
        ("október", "10"),
        ("november", "11"),
        ("december", "12"),
    ];
    if s.is_ascii() {
        return s.to_owned();
    }
    let mut out = s.to_owned();
    for (h, n) in HUNGARIAN {
        out = out.replace(h, n);
    }
    let mut words: Vec<String> = Vec::new();
    for w in out.split(' ') {
        let bare = w.trim_end_matches(',');
        if GREEK_DAYS.contains(&bare) {
            words.push("Sun,".into());
        } else if let Some((_, en)) = GREEK.iter().find(|(g, _)| *g == bare) {
            words.push((*en).to_owned());
        } else {
            words.push(w.to_owned());
        }
    }
    words.join(" ")
}

/// `2004년 05월 28일 01:31:15` (Korean, KST = UTC+9).
fn parse_korean(s: &str) -> Option<DateTime<Utc>> {
    if !s.contains('년') {
        return None;
    }
    let nums: Vec<i64> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let get = |i: usize| nums.get(i).copied();
    let date = ymd(get(0)?, get(1)?, get(2)?)?;
    let time = NaiveTime::from_hms_opt(
        u32::try_from(get(3).unwrap_or(0)).ok()?,
        u32::try_from(get(4).unwrap_or(0)).ok()?,
        u32::try_from(get(5).unwrap_or(0)).ok()?,
    )?;
    to_utc(date.and_time(time), 9 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }

    #[test]
    fn w3cdtf_and_iso8601() {
        let cases = [
            ("2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z"),
            ("2003-12-31T10:14:55.1234Z", "2003-12-31T10:14:55Z"),
            ("2003-12-31T10:14:55-08:00", "2003-12-31T18:14:55Z"),
            ("2007-04-23T23:25:47.538+10:00", "2007-04-23T13:25:47Z"),
            ("2003-12-31", "2003-12-31T00:00:00Z"),
            ("2003-12", "2003-12-01T00:00:00Z"),
            ("2003", "2003-01-01T00:00:00Z"),
            ("2004-07-08 23:56:58 -00:20", "2004-07-09T00:16:58Z"),
            ("2004-07-08 23:56:58", "2004-07-08T23:56:58Z"),
            ("2004-07-08 23:56:58.0", "2004-07-08T23:56:58Z"),
            ("20031231T101455Z", "2003-12-31T10:14:55Z"),
            ("2003-012-31T10:14:55+00:00", "2003-12-31T10:14:55Z"),
            ("031231", "2003-12-31T00:00:00Z"),
            ("03-12-31", "2003-12-31T00:00:00Z"),
            ("-0312", "2003-12-01T00:00:00Z"),
            ("03335", "2003-12-01T00:00:00Z"),
            ("2004-07-13T9:15-05:00", "2004-07-13T14:15:00Z"),
        ];
        for (input, want) in cases {
            assert_eq!(iso(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn rfc822_variants() {
        let cases = [
            ("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
            ("Thu,  5 Apr 2012 10:00:00 GMT", "2012-04-05T10:00:00Z"),
            ("5 Apr 2012 10:00:00 +0200", "2012-04-05T08:00:00Z"),
            ("Fri,24 Nov 2023 18:28:36 -0000", "2023-11-24T18:28:36Z"),
            ("Thu, 01 Jan 2004 00:00 GMT", "2004-01-01T00:00:00Z"),
            ("Thu, 01 Jan 2004", "2004-01-01T00:00:00Z"),
            ("Sat, 3 Jan 04 10:00:00 PDT", "2004-01-03T17:00:00Z"),
            ("Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00Z"),
            (
                "Wed, 19 Feb 2012 22:40:00 GMT-01:01",
                "2012-02-19T23:41:00Z",
            ),
            ("Thu Aug 30 2012 17:26:16 +0200", "2012-08-30T15:26:16Z"),
            ("Sun Jan  4 16:29:06 PST 2004", "2004-01-05T00:29:06Z"),
            ("Thu, 30 Apr 2015 08:57:00 MEST", "2015-04-30T06:57:00Z"),
            ("Thu, 01 Jan 0100 00:00:01 +0100", "0099-12-31T23:00:01Z"),
            ("Κυρ, 11 Ιούλ 2004 12:00:00 EST", "2004-07-11T17:00:00Z"),
            ("2004-július-13T9:15-05:00", "2004-07-13T14:15:00Z"),
            ("2004년 05월 28일  01:31:15", "2004-05-27T16:31:15Z"),
        ];
        for (input, want) in cases {
            assert_eq!(iso(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn junk_is_none() {
        for junk in [
            "",
            "yesterday",
            "32 Jan 2004",
            "2004-13-45",
            "Thu, 31 Feb 2004 10:00:00 GMT",
            "99:99",
            "ÿ€€€",
            "Mon, 26 Foo 2004",
        ] {
            assert_eq!(iso(junk), None, "{junk}");
        }
    }
}

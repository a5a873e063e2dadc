//! Query-string parameters: parsed by hand so every refusal names the parameter and says why.

use chrono::{DateTime, Utc};
use newsdesk_core::{ArticleId, Cursor, MAX_PAGE_SIZE, SourceId};

use crate::AppError;

/// Every query parameter some route reads. The micro-cache keeps only answers to queries made
/// of these (so a cache-busting `?x=random` cannot fill memory).
pub(crate) const RECOGNISED: &[&str] = &[
    "before", "country", "edition", "lang", "limit", "offset", "original", "q", "show", "since",
    "sort", "source", "typology", "until",
];

/// Largest `offset` of offset-paged lists (stories, search results, sources).
pub(crate) const MAX_OFFSET: usize = 10_000;

/// Whether `name` is a tracking parameter (`utm_source`, `fbclid`, `gclid`…).
fn is_tracking(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_") || matches!(n.as_str(), "fbclid" | "gclid" | "dclid" | "msclkid")
}

/// The decoded `name=value` pairs of a query string. Empty values count as absent.
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes a raw query string (never fails: undecodable bytes become U+FFFD). Tracking
    /// parameters that links pick up on the way (`utm_*`, `fbclid`, `gclid`) are dropped, so
    /// no page refuses them.
    pub(crate) fn parse(raw: Option<&str>) -> Params {
        let pairs = raw
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .filter(|(k, _)| !is_tracking(k))
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Params(pairs)
    }

    /// This query with `name` set to `value` (replacing it), encoded: the query of the next
    /// page.
    pub(crate) fn query_with(&self, name: &str, value: &str) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.0.iter().filter(|(k, v)| k != name && !v.is_empty()) {
            out.append_pair(k, v);
        }
        out.append_pair(name, value);
        out.finish()
    }

    /// `offset`: results to skip (offset paging of ranked lists), at most [`MAX_OFFSET`].
    pub(crate) fn offset(&self) -> Result<usize, AppError> {
        match self.get("offset")? {
            None => Ok(0),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n <= MAX_OFFSET => Ok(n),
                _ => Err(AppError::bad_request(
                    "offset",
                    format!("must be an integer from 0 to {MAX_OFFSET}"),
                )),
            },
        }
    }

    /// Refuses parameters not in `allowed`.
    pub(crate) fn only(&self, allowed: &[&str]) -> Result<(), AppError> {
        match self.0.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            Some((k, _)) => Err(AppError::bad_request(
                &shorten(k),
                format!("unknown parameter; allowed: {}", allowed.join(", ")),
            )),
            None => Ok(()),
        }
    }

    /// The value of `name`, `None` when absent or empty; refuses a repeated parameter.
    pub(crate) fn get(&self, name: &str) -> Result<Option<&str>, AppError> {
        let mut values = self
            .0
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(AppError::bad_request(name, "given more than once"));
        }
        Ok(first)
    }

    /// `before`: a keyset cursor `<unix-seconds>.<id>`.
    pub(crate) fn cursor(&self) -> Result<Option<Cursor>, AppError> {
        self.get("before")?
            .map(|v| {
                Cursor::decode(v).map_err(|_| {
                    AppError::bad_request(
                        "before",
                        format!(
                            "{:?} is not a cursor; expected <unix-seconds>.<id> as given in `next`",
                            shorten(v)
                        ),
                    )
                })
            })
            .transpose()
    }

    /// `lang`: a 2–3 letter ISO 639 code, lowercased.
    pub(crate) fn lang(&self) -> Result<Option<String>, AppError> {
        self.get("lang")?.map(parse_lang).transpose()
    }

    /// `source`: a source id.
    pub(crate) fn source(&self) -> Result<Option<SourceId>, AppError> {
        self.get("source")?
            .map(|v| parse_id("source", v))
            .transpose()
    }

    /// An RFC 3339 time parameter (`since`, `until`).
    pub(crate) fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, AppError> {
        self.get(name)?
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| {
                        AppError::bad_request(
                            name,
                            format!(
                                "{:?} is not an RFC 3339 time such as 2026-01-31T08:00:00Z ({e})",
                                shorten(v)
                            ),
                        )
                    })
            })
            .transpose()
    }

    /// `limit`: 1..=[`MAX_PAGE_SIZE`].
    pub(crate) fn limit(&self) -> Result<Option<u32>, AppError> {
        self.get("limit")?
            .map(|v| match v.parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
                _ => Err(AppError::bad_request(
                    "limit",
                    format!("{:?} is not an integer in 1..={MAX_PAGE_SIZE}", shorten(v)),
                )),
            })
            .transpose()
    }
}

/// A language tag: 2 or 3 ASCII letters.
pub(crate) fn parse_lang(v: &str) -> Result<String, AppError> {
    if (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(AppError::bad_request(
            "lang",
            format!(
                "{:?} is not a 2 or 3 letter ISO 639 code such as \"fr\"",
                shorten(v)
            ),
        ))
    }
}

/// A positive row id from a path segment or parameter.
pub(crate) fn parse_id(name: &str, v: &str) -> Result<ArticleId, AppError> {
    match v.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(AppError::bad_request(
            name,
            format!("{:?} is not a positive integer id", shorten(v)),
        )),
    }
}

/// At most 64 characters of outside input, for messages.
fn shorten(v: &str) -> String {
    v.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters_are_dropped_and_next_queries_built() {
        let p = Params::parse(Some(
            "utm_source=x&UTM_medium=y&fbclid=1&gclid=2&sort=newest&before=5",
        ));
        assert!(p.only(&["sort", "before"]).is_ok());
        assert_eq!(p.query_with("before", "3.7"), "sort=newest&before=3.7");
        assert_eq!(Params::parse(Some("offset=20")).offset().ok(), Some(20));
        assert!(Params::parse(Some("offset=-1")).offset().is_err());
        assert!(Params::parse(Some("offset=99999")).offset().is_err());
    }

    #[test]
    fn parses_and_validates_every_filter() {
        let p = Params::parse(Some(
            "source=3&lang=FR&since=2026-01-01T00:00:00Z&limit=20&before=1767225600.42&x=",
        ));
        assert_eq!(p.source().unwrap(), Some(3));
        assert_eq!(p.lang().unwrap().as_deref(), Some("fr"));
        assert!(p.time("since").unwrap().is_some());
        assert_eq!(p.time("until").unwrap(), None);
        assert_eq!(p.limit().unwrap(), Some(20));
        assert_eq!(p.cursor().unwrap().map(|c| c.id), Some(42));
        assert!(
            p.only(&["source", "lang", "since", "limit", "before"])
                .is_err()
        );
    }

    #[test]
    fn refusals_name_the_parameter() {
        let cases = [
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("lang=french", "lang"),
            ("source=abc", "source"),
            ("before=junk", "before"),
            ("since=yesterday", "since"),
        ];
        for (q, name) in cases {
            let p = Params::parse(Some(q));
            let err = p
                .limit()
                .map(|_| ())
                .and(p.lang().map(|_| ()))
                .and(p.source().map(|_| ()))
                .and(p.cursor().map(|_| ()))
                .and(p.time("since").map(|_| ()))
                .unwrap_err();
            assert!(err.message.contains(&format!("`{name}`")), "{q}: {err}");
        }
        let p = Params::parse(Some("lang=fr&lang=de"));
        assert!(p.lang().is_err());
        assert!(parse_id("id", "-1").is_err());
        assert!(parse_id("id", "0").is_err());
        assert_eq!(parse_id("id", "7").unwrap(), 7);
    }

    #[test]
    fn long_hostile_values_are_shortened_in_messages() {
        let long = "é".repeat(500);
        let err = parse_lang(&long).unwrap_err();
        assert!(err.message.chars().count() < 200);
    }
}

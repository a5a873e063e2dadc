//! What a conditional GET sends and what comes back.

use bytes::Bytes;
use newsdesk_core::FetchState;

/// Validators from an earlier answer, sent as `If-None-Match` / `If-Modified-Since`.
///
/// Empty values are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag` of the earlier answer, sent as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` of the earlier answer, sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

impl Validators {
    /// No validators: an unconditional GET.
    pub fn none() -> Self {
        Validators::default()
    }

    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        blank(&self.etag) && blank(&self.last_modified)
    }
}

impl From<&FetchState> for Validators {
    fn from(state: &FetchState) -> Self {
        Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        }
    }
}

/// A successful answer (2xx, or 304 to a conditional request).
///
/// The body is raw bytes after content decoding (gzip/brotli), not charset-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchResponse {
    /// The URL that answered, after redirects.
    pub final_url: String,
    /// HTTP status (2xx or 304).
    pub status: u16,
    /// `true` for 304 Not Modified; the body is then empty.
    pub not_modified: bool,
    /// `ETag` header.
    pub etag: Option<String>,
    /// `Last-Modified` header.
    pub last_modified: Option<String>,
    /// `Content-Type` header (with its `charset` parameter, if any).
    pub content_type: Option<String>,
    /// `Content-Language` header.
    pub content_language: Option<String>,
    /// `Cache-Control` header.
    pub cache_control: Option<String>,
    /// `Expires` header (an HTTP date), as sent.
    pub expires: Option<String>,
    /// `Date` header (the server's clock, to read `Expires` against), as sent.
    pub date: Option<String>,
    /// `Retry-After` header (seconds or an HTTP date), as sent.
    pub retry_after: Option<String>,
    /// When the request was redirected only by permanent redirects (301/308): where the chain
    /// ended, i.e. the URL to use from now on. `None` without redirects or when any hop was
    /// temporary (302/303/307).
    pub permanent_redirect: Option<String>,
    /// The body after content decoding, at most `max_body_bytes` long.
    pub body: Bytes,
    /// Whether at least one redirect was followed.
    pub redirected: bool,
}

impl FetchResponse {
    /// The validators to send next time.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }

    /// The `charset` parameter of `Content-Type`, lowercased, if any.
    pub fn charset(&self) -> Option<String> {
        let ct = self.content_type.as_deref()?;
        ct.split(';').skip(1).find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| value.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
                .filter(|v| !v.is_empty())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(content_type: Option<&str>) -> FetchResponse {
        FetchResponse {
            final_url: "https://example.org/".into(),
            status: 200,
            not_modified: false,
            etag: Some("\"v1\"".into()),
            last_modified: None,
            content_type: content_type.map(str::to_string),
            content_language: None,
            cache_control: None,
            expires: None,
            date: None,
            retry_after: None,
            permanent_redirect: None,
            body: Bytes::new(),
            redirected: false,
        }
    }

    #[test]
    fn charset_parameter_is_found() {
        let r = response(Some("text/html; Charset=\"ISO-8859-1\""));
        assert_eq!(r.charset().as_deref(), Some("iso-8859-1"));
        assert_eq!(response(Some("text/html")).charset(), None);
        assert_eq!(response(None).charset(), None);
        assert_eq!(response(Some("text/html; charset=")).charset(), None);
    }

    #[test]
    fn validators_round_trip() {
        let r = response(None);
        let v = r.validators();
        assert_eq!(v.etag.as_deref(), Some("\"v1\""));
        assert!(!v.is_empty());
        assert!(Validators::none().is_empty());
        let blank = Validators {
            etag: Some("  ".into()),
            last_modified: None,
        };
        assert!(blank.is_empty());
        let state = newsdesk_core::FetchState::never(1);
        assert!(Validators::from(&state).is_empty());
    }
}

//! Site configuration: what the operator chooses about the web server.

use serde::Deserialize;

/// What the operator configures about the web server.
///
/// Deserialises from the `[web]` table of the configuration file; every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    /// Name of the site, shown in every page header, `<title>` and feed title.
    pub site_title: String,
    /// Absolute base URL of the site (e.g. `https://news.example.org`), used for the links that
    /// feeds carry to this site. Without it, links are built from the request's `Host` when it
    /// is one of [`WebConfig::host_names`], else from the address the server listens on; feed
    /// and entry ids then use a `urn:` form with this installation's random identity.
    pub public_url: Option<String>,
    /// Host names (with the port when it is not the scheme's default, e.g. `news.lan:8080`)
    /// that requests may name in `Host` for the links feeds carry when `public_url` is not set.
    /// Any other `Host` is not trusted.
    pub host_names: Vec<String>,
    /// The address the server listens on (`127.0.0.1:8080`), set by the server itself: the
    /// last resort of feed links.
    #[serde(skip)]
    pub bind_address: Option<String>,
    /// When true, every page shows a visible "Sample data — fictional outlets and events" banner.
    pub sample_data: bool,
    /// UI language tag, used for `<html lang>`.
    pub language: String,
    /// How long, in milliseconds, an identical `GET` is answered from memory (see the
    /// micro-cache in the router); 0 disables it. Default 1000.
    pub cache_ttl_ms: u64,
    /// Most bytes the micro-cache holds (answers beyond it are not cached). Default 32 MiB.
    pub cache_max_bytes: usize,
    /// Most connections open at once; more are answered `503` and closed. Default 4096.
    pub max_connections: usize,
    /// Most connections open at once from one client address (behind a reverse proxy, raise it
    /// to `max_connections`). Default 256.
    pub max_connections_per_client: usize,
    /// How long a client may take to send a request's headers, in milliseconds. Default 10 000.
    pub header_read_timeout_ms: u64,
    /// How long a connection may stay open with no request in progress before the server
    /// closes it, in milliseconds. Default 30 000.
    pub idle_timeout_ms: u64,
    /// The operator's API token: with it, `PATCH /api/v1/sources/{id}/profile` with
    /// `Authorization: Bearer <token>` edits a source's profile. Without it (the default) the
    /// API is read-only.
    pub operator_token: Option<OperatorToken>,
    /// The operator's names for country codes ISO 3166 leaves to users (`XV = "Valdoria"` in
    /// the demo), shown wherever a country name is; other codes are named from CLDR in the
    /// page's language.
    pub country_names: std::collections::BTreeMap<String, String>,
}

/// A secret the operator configures to write through the JSON API: at least
/// [`OperatorToken::MIN_LEN`] characters, no whitespace. It never shows in `Debug` output, and
/// [`OperatorToken::matches`] compares in constant time.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct OperatorToken(String);

impl OperatorToken {
    /// The shortest token accepted.
    pub const MIN_LEN: usize = 16;

    /// A token from the operator's value, or why it is refused.
    pub fn new(token: &str) -> Result<Self, String> {
        if token.chars().count() < Self::MIN_LEN {
            return Err(format!(
                "the operator token must be at least {} characters long (e.g. from                  `openssl rand -hex 32`)",
                Self::MIN_LEN
            ));
        }
        if token.chars().any(char::is_whitespace) {
            return Err("the operator token must not contain whitespace".into());
        }
        Ok(OperatorToken(token.to_owned()))
    }

    /// Whether `given` is this token, in time independent of where they differ and of their
    /// lengths (both are hashed with BLAKE3, whose hashes compare in constant time).
    pub fn matches(&self, given: &str) -> bool {
        blake3::hash(given.as_bytes()) == blake3::hash(self.0.as_bytes())
    }
}

impl TryFrom<String> for OperatorToken {
    type Error = String;

    fn try_from(token: String) -> Result<Self, String> {
        OperatorToken::new(&token)
    }
}

impl std::fmt::Debug for OperatorToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OperatorToken(<redacted>)")
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            site_title: "newsdesk".to_string(),
            public_url: None,
            host_names: Vec::new(),
            bind_address: None,
            sample_data: false,
            language: "en".to_string(),
            cache_ttl_ms: 1000,
            cache_max_bytes: 32 * 1024 * 1024,
            max_connections: 4096,
            max_connections_per_client: 256,
            header_read_timeout_ms: 10_000,
            idle_timeout_ms: 30_000,
            operator_token: None,
            country_names: std::collections::BTreeMap::new(),
        }
    }
}

impl WebConfig {
    /// The public base URL without a trailing slash, when it is an absolute http(s) URL.
    pub fn base_url(&self) -> Option<String> {
        let raw = self.public_url.as_deref()?.trim();
        let parsed = url::Url::parse(raw).ok()?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return None;
        }
        Some(parsed.as_str().trim_end_matches('/').to_string())
    }

    /// The site's absolute root for links in feeds, without a trailing slash: `public_url` when
    /// set; else `http://{host}` when the request's `host` is one of `host_names`; else the
    /// bind address; else `http://localhost`. Never an outlet's host.
    pub fn site_base(&self, host: Option<&str>) -> String {
        if let Some(base) = self.base_url() {
            return base;
        }
        if let Some(host) = host.map(str::trim)
            && self
                .host_names
                .iter()
                .any(|h| h.trim().eq_ignore_ascii_case(host))
            && url::Url::parse(&format!("http://{host}/")).is_ok()
        {
            return format!("http://{}", host.to_ascii_lowercase());
        }
        match &self.bind_address {
            Some(addr) => format!("http://{addr}"),
            None => "http://localhost".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_partial_deserialisation() {
        let c = WebConfig::default();
        assert_eq!(c.site_title, "newsdesk");
        assert_eq!(c.language, "en");
        assert!(!c.sample_data);
        let c: WebConfig = serde_json::from_str(r#"{"sample_data": true}"#).unwrap();
        assert!(c.sample_data);
        assert_eq!(c.site_title, "newsdesk");
    }

    #[test]
    fn operator_tokens_are_long_hidden_and_compared_whole() {
        assert!(OperatorToken::new("short").is_err());
        assert!(OperatorToken::new("with a space in it, long enough").is_err());
        let t = OperatorToken::new("0123456789abcdef-secret").expect("token");
        assert!(t.matches("0123456789abcdef-secret"));
        assert!(!t.matches("0123456789abcdef-secreT"));
        assert!(!t.matches("0123456789abcdef"));
        assert!(!t.matches(""));
        assert!(!format!("{t:?}").contains("secret"));
        let c: WebConfig =
            serde_json::from_str(r#"{"operator_token": "0123456789abcdef-secret"}"#).unwrap();
        assert_eq!(c.operator_token, Some(t));
        assert!(serde_json::from_str::<WebConfig>(r#"{"operator_token": "x"}"#).is_err());
    }

    #[test]
    fn base_url_is_absolute_http_without_trailing_slash() {
        let mut c = WebConfig {
            public_url: Some("https://news.example.org/".into()),
            ..Default::default()
        };
        assert_eq!(c.base_url().as_deref(), Some("https://news.example.org"));
        c.public_url = Some("javascript:alert(1)".into());
        assert_eq!(c.base_url(), None);
        c.public_url = Some("/relative".into());
        assert_eq!(c.base_url(), None);
    }

    #[test]
    fn site_base_trusts_only_configured_hosts() {
        let mut c = WebConfig {
            host_names: vec!["news.lan:8080".into()],
            bind_address: Some("127.0.0.1:8080".into()),
            ..Default::default()
        };
        assert_eq!(c.site_base(Some("News.LAN:8080")), "http://news.lan:8080");
        assert_eq!(c.site_base(Some("outlet.example")), "http://127.0.0.1:8080");
        assert_eq!(c.site_base(None), "http://127.0.0.1:8080");
        c.public_url = Some("https://news.example.org/".into());
        assert_eq!(
            c.site_base(Some("news.lan:8080")),
            "https://news.example.org"
        );
    }
}

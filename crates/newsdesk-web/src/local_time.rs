//! Times in the reader's own time zone: the server cannot know it, so every page shows its
//! times in UTC (`<time>` elements made by [`time_element`]: relative text with the exact UTC
//! time in the page's language as the title, or the exact UTC time as the text) and carries a
//! small inline script that, on load, rewrites them into the reader's local time with
//! `Intl.DateTimeFormat(pageLang, {year, month: 'short', day, hour, minute, timeZoneName:
//! 'short'})` (the fields of a medium date and a short time: `dateStyle`/`timeStyle` cannot be
//! combined with `timeZoneName`) and
//! recomputes the relative text from `datetime` (so a cached page never says "2 h ago" a day
//! later). The relative words come from the same Fluent messages as the server's, handed to
//! the script as a JSON data block with one form per plural category (chosen in the browser by
//! `Intl.PluralRules`, the same CLDR rules Fluent uses).
//!
//! The script is allowed by the Content-Security-Policy through its SHA-256 hash
//! ([`script_hash_source`]); nothing else may run. Without JavaScript the UTC text stays.

use std::sync::LazyLock;

use base64::Engine as _;
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde_json::{Map, Value};

use crate::relative_time::counted;

/// The inline script, byte for byte as it is served (its hash is in the CSP).
const SCRIPT: &str = include_str!("../static/local-time.js");

/// The messages with a `$count` the script needs (see `relative_time::relative_time`).
const COUNTED: &[&str] = &[
    "time-minutes-ago",
    "time-hours-ago",
    "time-days-ago",
    "time-in-minutes",
    "time-in-hours",
    "time-in-days",
];

/// How a `<time>` element shows its instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Relative text ("3 h ago"), the exact time as the title.
    Ago,
    /// The exact time as the text.
    Exact,
}

/// A `<time>` element for the instant `iso` (RFC 3339): `text` (relative or exact, as `shown`
/// says) and, for a relative one, the exact UTC time `exact` as its title. Every time a page
/// shows is made here, so the script finds them all.
pub(crate) fn time_element(iso: &str, exact: &str, text: &str, shown: Shown) -> String {
    let esc = newsdesk_core::escape::html;
    match shown {
        Shown::Ago => format!(
            "<time datetime=\"{}\" title=\"{}\" data-time=\"ago\">{}</time>",
            esc(iso),
            esc(exact),
            esc(text)
        ),
        Shown::Exact => format!(
            "<time datetime=\"{}\" data-time=\"exact\">{}</time>",
            esc(iso),
            esc(text)
        ),
    }
}

static SCRIPT_HASH: LazyLock<String> = LazyLock::new(|| {
    let digest = ring::digest::digest(&ring::digest::SHA256, SCRIPT.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
});

/// The CSP source that allows the inline script and nothing else: `'sha256-…'`.
pub(crate) fn script_hash_source() -> &'static str {
    SCRIPT_HASH.as_str()
}

/// The words the script needs in `lang`, as JSON: `lang`, `time-just-now`, and for each
/// counted message its form per plural category with `{n}` for the number.
pub(crate) fn words(lang: &str) -> Value {
    let mut out = Map::new();
    out.insert("lang".into(), Value::from(lang));
    out.insert(
        "time-just-now".into(),
        Value::from(crate::i18n::message(lang, "time-just-now", None)),
    );
    let rules = lang
        .parse::<unic_langid::LanguageIdentifier>()
        .ok()
        .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok());
    for key in COUNTED {
        let mut forms = Map::new();
        // The numbers the script can show: up to 59 (minutes, days) cover every category the
        // interface languages have for them; 100 and 1000 add the rest for other locales.
        for n in (0..=200).chain([1_000, 1_000_000]) {
            let category = rules
                .as_ref()
                .and_then(|r| r.select(n).ok())
                .unwrap_or(PluralCategory::OTHER);
            let name = category_name(category);
            if forms.contains_key(name) {
                continue;
            }
            let text = counted(lang, key, n);
            let number = n.to_string();
            if text.contains(&number) {
                forms.insert(name.into(), Value::from(text.replacen(&number, "{n}", 1)));
            }
        }
        out.insert((*key).into(), Value::Object(forms));
    }
    Value::Object(out)
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// The data block and the script, for the end of a page's `<body>`. The JSON is safe inside
/// `<script>` (`<`, `>` and `&` escaped); the script is the hashed one, unchanged.
pub(crate) fn script_html(lang: &str) -> String {
    let json = words(lang)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!(
        "<script type=\"application/json\" id=\"nd-time-words\">{json}</script>\n<script>{SCRIPT}</script>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_have_a_form_for_each_plural_category() {
        let fr = words("fr");
        assert_eq!(fr["lang"], "fr");
        assert_eq!(fr["time-just-now"], "à l’instant");
        assert_eq!(fr["time-days-ago"]["one"], "il y a {n} jour");
        assert_eq!(fr["time-days-ago"]["other"], "il y a {n} jours");
        assert_eq!(fr["time-in-hours"]["one"], "dans {n} heure");
        let en = words("en");
        assert_eq!(en["time-hours-ago"]["other"], "{n} h ago");
        assert_eq!(en["time-days-ago"]["one"], "{n} day ago");
        let de = words("de");
        assert_eq!(de["time-days-ago"]["other"], "vor {n} Tagen");
        // Every form keeps its number.
        for lang in ["en", "fr", "es", "de"] {
            let w = words(lang);
            for key in COUNTED {
                let forms = w[*key].as_object().expect("forms");
                assert!(forms.contains_key("other"), "{lang} {key}");
                assert!(
                    forms
                        .values()
                        .all(|f| f.as_str().is_some_and(|s| s.contains("{n}"))),
                    "{lang} {key}: {forms:?}"
                );
            }
        }
    }

    #[test]
    fn the_script_is_inline_verbatim_and_its_hash_is_a_csp_source() {
        let html = script_html("en");
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
        assert_eq!(html.matches("</script>").count(), 2, "{html}");
        let source = script_hash_source();
        assert!(source.starts_with("'sha256-") && source.ends_with('\''));
        // 32 bytes in base64: 44 characters.
        assert_eq!(source.len(), "'sha256-'".len() + 44);
    }

    #[test]
    fn time_elements_carry_what_the_script_needs() {
        assert_eq!(
            time_element(
                "2026-03-10T09:05:00Z",
                "10 Mar 2026, 09:05 UTC",
                "3 h ago",
                Shown::Ago
            ),
            "<time datetime=\"2026-03-10T09:05:00Z\" title=\"10 Mar 2026, 09:05 UTC\" data-time=\"ago\">3 h ago</time>"
        );
        assert_eq!(
            time_element(
                "2026-03-10T09:05:00Z",
                "",
                "10 Mar 2026, 09:05 UTC",
                Shown::Exact
            ),
            "<time datetime=\"2026-03-10T09:05:00Z\" data-time=\"exact\">10 Mar 2026, 09:05 UTC</time>"
        );
    }
}

//! Interface strings in several languages through Fluent (`fluent-bundle`): one `.ftl` file per
//! locale under `locales/`, embedded at compile time, and Accept-Language negotiation.
//!
//! English is the reference: a message missing in another locale falls back to English, and a
//! message missing in English is shown as its key (and logged).

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// The locales the interface is translated into, with their Fluent sources.
pub(crate) const LOCALES: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en.ftl")),
    ("fr", include_str!("../locales/fr.ftl")),
    ("es", include_str!("../locales/es.ftl")),
    ("de", include_str!("../locales/de.ftl")),
];

/// The reference locale.
pub(crate) const FALLBACK: &str = "en";

struct Locale {
    tag: &'static str,
    bundle: FluentBundle<FluentResource>,
}

static BUNDLES: LazyLock<Vec<Locale>> = LazyLock::new(|| {
    LOCALES
        .iter()
        .filter_map(|(tag, source)| {
            let id: LanguageIdentifier = tag.parse().ok()?;
            let resource = FluentResource::try_new((*source).to_string()).unwrap_or_else(
                |(partial, errors)| {
                    tracing::error!(locale = tag, ?errors, "web: locale file has syntax errors");
                    partial
                },
            );
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Plain text out: the templates escape it; no bidi isolation marks in the pages.
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(
                    locale = tag,
                    ?errors,
                    "web: locale file has duplicate messages"
                );
            }
            Some(Locale { tag, bundle })
        })
        .collect()
});

fn bundle(tag: &str) -> Option<&'static FluentBundle<FluentResource>> {
    BUNDLES
        .iter()
        .find(|l| l.tag.eq_ignore_ascii_case(tag))
        .map(|l| &l.bundle)
}

/// Whether the interface is translated into `tag`.
pub(crate) fn has_locale(tag: &str) -> bool {
    bundle(tag).is_some()
}

fn format_in(tag: &str, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    let b = bundle(tag)?;
    let pattern = b.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = b.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            locale = tag,
            key,
            ?errors,
            "web: message formatted with errors"
        );
    }
    Some(text.into_owned())
}

/// The message `key` in `lang` (falling back to English, then to the key itself).
pub(crate) fn message(lang: &str, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    format_in(lang, key, args)
        .or_else(|| format_in(FALLBACK, key, args))
        .unwrap_or_else(|| {
            tracing::warn!(locale = lang, key, "web: no such interface message");
            key.to_string()
        })
}

/// Every message key of a locale (for the completeness test).
/// The value of a `lang` attribute for a detected language: the tag, or empty (= unknown).
pub(crate) fn lang_attribute(language: Option<&str>) -> String {
    match language {
        Some(l) if (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()) => {
            l.to_ascii_lowercase()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
fn keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| !l.starts_with([' ', '#']) && l.contains(" ="))
        .filter_map(|l| l.split(" =").next())
        .map(str::to_string)
        .collect()
}

/// The best of `available` for an `Accept-Language` header: by quality (ties in header order),
/// matching the primary subtag (`fr-CA` picks `fr`); `None` when nothing matches.
pub(crate) fn negotiate(accept_language: &str, available: &[&str]) -> Option<String> {
    let mut wanted: Vec<(f32, usize, String)> = accept_language
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            if tag.is_empty() || tag.len() > 35 {
                return None;
            }
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
            (q > 0.0).then_some((q, i, primary))
        })
        .collect();
    wanted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    wanted.iter().find_map(|(_, _, primary)| {
        available
            .iter()
            .find(|a| a.eq_ignore_ascii_case(primary))
            .map(|a| a.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_attribute_only_passes_language_tags() {
        assert_eq!(lang_attribute(Some("FR")), "fr");
        assert_eq!(lang_attribute(Some("\" onmouseover=x")), "");
        assert_eq!(lang_attribute(None), "");
    }

    #[test]
    fn every_locale_parses_and_has_every_english_key() {
        let reference = keys(LOCALES[0].1);
        assert!(reference.len() > 30);
        for (tag, source) in LOCALES {
            assert!(FluentResource::try_new(source.to_string()).is_ok(), "{tag}");
            let have = keys(source);
            for k in &reference {
                assert!(have.contains(k), "{tag} lacks {k}");
            }
            assert!(has_locale(tag));
        }
    }

    /// The message keys a piece of source uses: `t("key"` and `th("key"` in templates, and
    /// `"key"` string literals on lines that call `message(` or `counted(` in Rust.
    fn used_keys(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for line in source.lines() {
            let rust_call = line.contains("message(") || line.contains("counted(");
            for (i, _) in line.match_indices('"') {
                let before = &line[..i];
                let template_call = before.ends_with("t(") || before.ends_with("th(");
                if !(template_call || rust_call) {
                    continue;
                }
                let rest = &line[i + 1..];
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                let is_key =
                    key.contains('-') && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
                if is_key && !found.iter().any(|k| k == key) {
                    found.push(key.to_string());
                }
            }
        }
        found
    }

    #[test]
    fn every_key_used_exists_in_all_four_locales_and_no_locale_has_extra_keys() {
        let reference = keys(LOCALES[0].1);
        for (tag, source) in LOCALES {
            let mut have = keys(source);
            let mut want = reference.clone();
            have.sort();
            want.sort();
            assert_eq!(have, want, "{tag} has exactly the English keys");
        }
        let mut used = Vec::new();
        for (_, template) in crate::layout::TEMPLATES {
            used.extend(used_keys(template));
        }
        for source in [
            include_str!("editions.rs"),
            include_str!("edition_pages.rs"),
            include_str!("article_links.rs"),
            include_str!("pages.rs"),
            include_str!("search.rs"),
            include_str!("stories.rs"),
            include_str!("relative_time.rs"),
            include_str!("layout.rs"),
            include_str!("profile.rs"),
            include_str!("coverage.rs"),
            include_str!("error_page.rs"),
            include_str!("local_time.rs"),
        ] {
            used.extend(used_keys(source));
        }
        for key in [
            "stories-title",
            "time-days-ago",
            "story-copy-of",
            "card-translated",
        ] {
            assert!(used.iter().any(|k| k == key), "the scan finds {key}");
        }
        for key in &used {
            for (tag, source) in LOCALES {
                assert!(
                    keys(source).contains(key),
                    "{tag} lacks {key:?}, used by the pages"
                );
            }
        }
    }

    #[test]
    fn messages_take_arguments_and_fall_back() {
        let mut args = FluentArgs::new();
        args.set("lang", "en");
        args.set("backend", "Apertium");
        assert_eq!(
            message("fr", "translated-from", Some(&args)),
            "Traduit depuis l’anglais par Apertium (traduction automatique)."
        );
        assert_eq!(
            message("de", "translated-from", Some(&args)),
            "Aus dem Englischen übersetzt von Apertium (maschinelle Übersetzung)."
        );
        assert_eq!(message("xx", "latest-articles", None), "Latest articles");
        assert_eq!(message("fr", "no-such-key", None), "no-such-key");
        let mut n = FluentArgs::new();
        n.set("count", 3);
        assert!(message("fr", "translation-kept", Some(&n)).starts_with("3 phrases"));
    }

    #[test]
    fn accept_language_picks_the_best_available() {
        let av = ["fr", "es"];
        assert_eq!(
            negotiate("de-DE, es;q=0.5, fr-CA;q=0.8", &av).as_deref(),
            Some("fr")
        );
        assert_eq!(negotiate("en-GB,en;q=0.9", &av), None);
        assert_eq!(negotiate("es;q=0, fr;q=0.1", &av).as_deref(), Some("fr"));
        assert_eq!(negotiate("", &av), None);
    }
}

//! A source's profile from a matrix match, the operator's values and guesses.

use std::collections::BTreeMap;

use newsdesk_core::{Fact, FactOrigin, Source, SourceProfile};

use crate::{Match, country_code, host_and_path};

/// The profile fields [`refresh`] computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    /// The source's country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Its profile.
    pub profile: SourceProfile,
}

/// ccTLDs mostly used for other things than their country.
const GENERIC_CCTLDS: [&str; 14] = [
    "io", "co", "tv", "me", "fm", "ai", "ly", "am", "cc", "ws", "to", "gg", "eu", "su",
];

/// Languages spoken mostly in one country, for a last-resort guess.
const LANGUAGE_COUNTRIES: [(&str, &str); 33] = [
    ("ja", "JP"),
    ("ko", "KR"),
    ("it", "IT"),
    ("pl", "PL"),
    ("cs", "CZ"),
    ("sk", "SK"),
    ("hu", "HU"),
    ("el", "GR"),
    ("fi", "FI"),
    ("sv", "SE"),
    ("da", "DK"),
    ("nb", "NO"),
    ("nn", "NO"),
    ("no", "NO"),
    ("is", "IS"),
    ("et", "EE"),
    ("lv", "LV"),
    ("lt", "LT"),
    ("sl", "SI"),
    ("hr", "HR"),
    ("bg", "BG"),
    ("ro", "RO"),
    ("uk", "UA"),
    ("ka", "GE"),
    ("hy", "AM"),
    ("he", "IL"),
    ("th", "TH"),
    ("vi", "VN"),
    ("id", "ID"),
    ("fa", "IR"),
    ("tr", "TR"),
    ("mn", "MN"),
    ("km", "KH"),
];

/// A country guessed from the ccTLD of the first URL that has one (`.co.uk` → GB), else from
/// a language spoken mostly in one country; with the reason, for the fact's reference.
pub fn guess_country<'u>(
    urls: impl IntoIterator<Item = &'u str>,
    language: Option<&str>,
) -> Option<(&'static str, String)> {
    for url in urls {
        let Some((host, _)) = host_and_path(url) else {
            continue;
        };
        let Some(tld) = host.rsplit('.').next().filter(|t| t.len() == 2) else {
            continue;
        };
        if GENERIC_CCTLDS.contains(&tld) || host == tld {
            continue;
        }
        let code = if tld == "uk" {
            Some("GB")
        } else {
            country_code(tld)
        };
        if let Some(code) = code {
            return Some((code, format!("ccTLD .{tld} of {host}")));
        }
    }
    let lang = language?.trim().to_ascii_lowercase();
    LANGUAGE_COUNTRIES
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, c)| (*c, format!("language {lang}")))
}

/// A kind of outlet read from an asset's name ("… News Agency" → news agency, "… Television"
/// → broadcaster); a guess.
fn media_type_of(name: &str) -> Option<&'static str> {
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["agency", "agence", "agencia", "agentur", "agenzia"]) {
        Some("news agency")
    } else if has(&[
        "tv",
        "television",
        "télévision",
        "televisión",
        "radio",
        "broadcast",
        "rundfunk",
    ]) {
        Some("broadcaster")
    } else {
        None
    }
}

/// Sets `field` (held in `slot`) to `value` with its fact, unless the operator set it.
fn set(
    facts: &mut BTreeMap<String, Fact>,
    field: &str,
    slot: &mut Option<String>,
    value: Option<(String, Fact)>,
) {
    let origin = facts.get(field).map(|f| f.origin);
    if origin == Some(FactOrigin::Operator) {
        return;
    }
    match value {
        Some((v, fact)) => {
            *slot = Some(v);
            facts.insert(field.to_owned(), fact);
        }
        // A value without a recorded origin predates profiles: only the operator could set it.
        None if slot.is_some() && origin.is_none() => {
            facts.insert(
                field.to_owned(),
                Fact::new(FactOrigin::Operator, "given when the source was added"),
            );
        }
        None if matches!(origin, Some(FactOrigin::Matrix | FactOrigin::Guess)) => {
            *slot = None;
            facts.remove(field);
        }
        None => {}
    }
}

/// The profile of `source` after matching it (`m`: its best match in the matrix, if any).
///
/// The operator's values are kept; the matrix gives the owner, the typology and the country;
/// without a country from either, one is guessed from the ccTLD of the site or feed URL, else
/// from the language, and marked as a guess. Facts from the matrix or a guess that no longer
/// hold (the matrix changed, the site moved) are removed. An unmatched outlet has no typology:
/// *not classified*.
pub fn refresh(source: &Source, m: Option<&Match<'_>>) -> Refreshed {
    let mut p = source.profile.clone();
    let mut country = source.country.clone();
    let primary = m.map(Match::primary);
    let fact = |a: &crate::Asset| Fact::new(FactOrigin::Matrix, a.reference());
    let owner = primary
        .filter(|a| !a.company.is_empty())
        .map(|a| (a.company.clone(), fact(a)));
    set(&mut p.facts, "owner", &mut p.owner, owner);
    let typology = primary.and_then(|a| a.typology_code().map(|t| (t.to_string(), fact(a))));
    set(&mut p.facts, "typology", &mut p.typology, typology);
    let media_type = primary.and_then(|a| {
        media_type_of(&a.name).map(|t| {
            let why = format!("from the matrix asset's name {:?}", a.name);
            (t.to_owned(), Fact::new(FactOrigin::Guess, why))
        })
    });
    set(&mut p.facts, "media_type", &mut p.media_type, media_type);
    p.matrix_asset = m.map(Match::names);
    let urls = [source.site_url.as_deref(), Some(source.feed_url.as_str())];
    let place = primary
        .and_then(|a| a.country.map(|c| (c.to_owned(), fact(a))))
        .or_else(|| {
            guess_country(urls.into_iter().flatten(), source.language.as_deref())
                .map(|(c, why)| (c.to_owned(), Fact::new(FactOrigin::Guess, why)))
        });
    set(&mut p.facts, "country", &mut country, place);
    Refreshed {
        country,
        profile: p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Registry;
    use chrono::Utc;

    fn source(feed: &str, site: Option<&str>) -> Source {
        Source {
            id: 1,
            feed_url: feed.into(),
            site_url: site.map(str::to_owned),
            name: "x".into(),
            language: None,
            languages: Vec::new(),
            country: None,
            created_at: Utc::now(),
            profile: SourceProfile::default(),
        }
    }

    fn matched(s: &Source) -> Refreshed {
        let r = Registry::bundled().expect("matrix");
        let m = r.lookup_any(
            s.site_url
                .iter()
                .map(String::as_str)
                .chain([s.feed_url.as_str()]),
        );
        refresh(s, m.as_ref())
    }

    #[test]
    fn a_matrix_outlet_gets_its_facts_with_references() {
        let s = source("http://127.0.0.1:9/rss", Some("https://www.rt.com/"));
        let r = matched(&s);
        assert_eq!(r.country.as_deref(), Some("RU"));
        assert_eq!(r.profile.typology.as_deref(), Some("SC"));
        assert_eq!(r.profile.owner.as_deref(), Some("RT"));
        assert_eq!(r.profile.matrix_asset.as_deref(), Some("RT International"));
        let f = &r.profile.facts["typology"];
        assert_eq!(f.origin, FactOrigin::Matrix);
        assert!(f.reference.contains("RT International"), "{}", f.reference);
        assert_eq!(r.profile.facts["country"].origin, FactOrigin::Matrix);
    }

    #[test]
    fn the_operator_beats_the_matrix() {
        let mut s = source("https://www.rt.com/rss/", None);
        s.country = Some("DE".into());
        s.profile.typology = Some("CaPr".into());
        s.profile
            .facts
            .insert("typology".into(), Fact::new(FactOrigin::Operator, "edit"));
        s.profile
            .facts
            .insert("country".into(), Fact::new(FactOrigin::Operator, "edit"));
        let r = matched(&s);
        assert_eq!(r.profile.typology.as_deref(), Some("CaPr"));
        assert_eq!(r.country.as_deref(), Some("DE"));
        assert_eq!(
            r.profile.owner.as_deref(),
            Some("RT"),
            "unset fields still come from the matrix"
        );
    }

    #[test]
    fn absent_outlets_are_not_classified_and_countries_are_guessed() {
        let s = source("https://www.lemonde.fr/rss/une.xml", None);
        let r = matched(&s);
        assert_eq!(r.profile.typology, None);
        assert_eq!(
            r.profile.group(),
            newsdesk_core::TypologyGroup::NotClassified
        );
        assert_eq!(r.country.as_deref(), Some("FR"));
        assert_eq!(r.profile.facts["country"].origin, FactOrigin::Guess);
        let mut s = source("https://news.example/feed", None);
        s.language = Some("ja".into());
        assert_eq!(matched(&s).country.as_deref(), Some("JP"));
        s.language = Some("en".into());
        assert_eq!(matched(&s).country, None);
        let uk = source("https://www.example.co.uk/feed", None);
        assert_eq!(matched(&uk).country.as_deref(), Some("GB"));
    }

    #[test]
    fn facts_that_no_longer_hold_are_dropped_and_legacy_values_kept() {
        let rt = matched(&source("https://www.rt.com/rss/", None));
        let mut moved = source("https://news.example/feed", None);
        moved.country = rt.country;
        moved.profile = rt.profile;
        let r = matched(&moved);
        assert_eq!(r.profile.typology, None);
        assert_eq!(r.profile.owner, None);
        assert_eq!(r.country, None);
        assert_eq!(r.profile.matrix_asset, None);
        let mut legacy = source("https://news.example/feed", None);
        legacy.country = Some("NZ".into());
        let r = matched(&legacy);
        assert_eq!(r.country.as_deref(), Some("NZ"));
        assert_eq!(r.profile.facts["country"].origin, FactOrigin::Operator);
    }

    #[test]
    fn media_types_from_asset_names() {
        assert_eq!(media_type_of("Bakhtar News Agency"), Some("news agency"));
        assert_eq!(
            media_type_of("Radio Television of Serbia"),
            Some("broadcaster")
        );
        assert_eq!(media_type_of("Hiwad"), None);
    }
}

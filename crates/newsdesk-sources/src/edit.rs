//! The operator's edits of a source's profile, and re-matching a stored source: the one
//! implementation behind `newsdesk sources edit`, OPML import, the demo's fictional profiles
//! and the JSON API's `PATCH /api/v1/sources/{id}/profile`, so that they cannot disagree.

use newsdesk_core::{Fact, FactOrigin, Source, SourceProfile, TypologyCode};
use newsdesk_store::{SourceUpdate, Store, StoreError};
use serde::Deserialize;
use tracing::debug;

use crate::{ProfileError, Registry, refresh};

/// Article URLs of a source read to match it when its site and feed URL do not.
const ARTICLE_URLS: usize = 20;

/// Why an edit (or a re-match) was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// No source has this id.
    #[error("no source with id {0}")]
    NoSource(i64),
    /// A value is not valid for its field; nothing was changed.
    #[error("{field} {value:?} is not {expected}")]
    Invalid {
        /// The field (`country`, `typology`, …).
        field: &'static str,
        /// The value given (at most 64 characters of it).
        value: String,
        /// What the field takes.
        expected: &'static str,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bundled registry could not be read.
    #[error(transparent)]
    Registry(#[from] ProfileError),
}

impl EditError {
    fn invalid(field: &'static str, value: &str, expected: &'static str) -> Self {
        EditError::Invalid {
            field,
            value: value.chars().take(64).collect(),
            expected,
        }
    }
}

/// The operator's values for a source (`None`: unchanged; `Some("")`: cleared, handing the
/// field back to the matrix or the guess). Deserialises from the JSON API's request body,
/// where unknown fields are refused.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileEdit {
    /// Display name.
    pub name: Option<String>,
    /// Country (ISO 3166-1 alpha-2 code or English name).
    pub country: Option<String>,
    /// Languages (ISO 639 codes), the primary first: a list, or one string with commas
    /// (`"fr,ar"`); also read from `language`. An empty list clears them.
    #[serde(default, alias = "language", deserialize_with = "one_or_many")]
    pub languages: Option<Vec<String>>,
    /// Owner (media company).
    pub owner: Option<String>,
    /// Typology code (`SC`, `CaPu`, `CaPr`, `ISFM`, `ISF`, `ISM`, `IP`, `?` when uncertain).
    pub typology: Option<String>,
    /// Kind of outlet (news agency, broadcaster, newspaper…).
    pub media_type: Option<String>,
    /// Home page (an http(s) URL).
    #[serde(alias = "site_url")]
    pub site: Option<String>,
}

/// A list of strings, or one string of comma-separated values.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(Option::<OneOrMany>::deserialize(d)?.map(|v| match v {
        OneOrMany::One(s) => split_list(&s),
        OneOrMany::Many(list) => list.iter().flat_map(|s| split_list(s)).collect(),
    }))
}

/// The non-empty values of a comma-separated list.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

impl ProfileEdit {
    /// Whether the edit changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == ProfileEdit::default()
    }
}

/// A country code from a code (any two letters: user-assigned codes such as `XK` pass) or an
/// English name; empty stays empty (clears).
pub fn parse_country(v: &str) -> Result<String, EditError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    if v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(v.to_ascii_uppercase());
    }
    crate::country_code(v)
        .map(str::to_owned)
        .ok_or_else(|| EditError::invalid("country", v, "an ISO 3166 country code such as \"DE\""))
}

/// A typology code in its canonical spelling (`capu?` → `CaPu?`); empty stays empty.
pub fn parse_typology(v: &str) -> Result<String, EditError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    TypologyCode::parse(v)
        .map(|t| t.to_string())
        .ok_or_else(|| {
            EditError::invalid(
                "typology",
                v,
                "a typology code: SC, CaPu, CaPr, ISFM, ISF, ISM or IP, with a trailing ? when \
             uncertain",
            )
        })
}

/// An ISO 639 language code, lower-cased; empty stays empty.
pub fn parse_language(v: &str) -> Result<String, EditError> {
    let v = v.trim();
    if v.is_empty() || ((2..=3).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphabetic())) {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(EditError::invalid(
            "language",
            v,
            "an ISO 639 code such as \"fr\"",
        ))
    }
}

/// Records that the operator gave these fields (`reference` says how: a command, a file).
pub fn operator_facts(profile: &mut SourceProfile, fields: &[&str], reference: &str) {
    for f in fields {
        profile
            .facts
            .insert((*f).to_owned(), Fact::new(FactOrigin::Operator, reference));
    }
}

/// Sets (or clears, for an empty value) one profile field as the operator's.
fn operator_value(
    profile: &mut SourceProfile,
    field: &str,
    value: Option<&str>,
    reference: &str,
) -> Option<String> {
    let v = value?.trim();
    if v.is_empty() {
        profile.facts.remove(field);
        return Some(String::new());
    }
    operator_facts(profile, &[field], reference);
    Some(v.to_owned())
}

/// Applies the operator's `edit` to source `id` (every value is checked before anything is
/// written), then re-matches it (cleared fields go back to the matrix); returns the source as
/// stored. `reference` names where the edit came from (`newsdesk sources edit`, a file, the
/// API).
pub fn apply_edit(
    store: &Store,
    id: i64,
    edit: &ProfileEdit,
    reference: &str,
) -> Result<Source, EditError> {
    let current = store
        .get_source(id)?
        .map(|s| s.source)
        .ok_or(EditError::NoSource(id))?;
    let country = edit.country.as_deref().map(parse_country).transpose()?;
    let typology = edit.typology.as_deref().map(parse_typology).transpose()?;
    let languages = edit
        .languages
        .as_ref()
        .map(|list| {
            let mut out: Vec<String> = Vec::new();
            for l in list.iter().map(|l| parse_language(l)) {
                let l = l?;
                if !l.is_empty() && !out.contains(&l) {
                    out.push(l);
                }
            }
            Ok::<_, EditError>(out)
        })
        .transpose()?;
    let site = match edit.site.as_deref().map(str::trim) {
        Some(s) if !(s.is_empty() || s.starts_with("http://") || s.starts_with("https://")) => {
            return Err(EditError::invalid("site", s, "an http(s) URL"));
        }
        other => other.map(str::to_owned),
    };
    let name = match edit.name.as_deref().map(str::trim) {
        Some("") => return Err(EditError::invalid("name", "", "a non-empty name")),
        other => other.map(str::to_owned),
    };
    let mut profile = current.profile.clone();
    let country = operator_value(&mut profile, "country", country.as_deref(), reference);
    let joined = languages.as_ref().map(|l| l.join(","));
    operator_value(&mut profile, "language", joined.as_deref(), reference);
    let set = |slot: &mut Option<String>, v: Option<String>| {
        if let Some(v) = v {
            *slot = Some(v).filter(|v| !v.is_empty());
        }
    };
    let owner = operator_value(&mut profile, "owner", edit.owner.as_deref(), reference);
    set(&mut profile.owner, owner);
    let typology = operator_value(&mut profile, "typology", typology.as_deref(), reference);
    set(&mut profile.typology, typology);
    let media_type = operator_value(
        &mut profile,
        "media_type",
        edit.media_type.as_deref(),
        reference,
    );
    set(&mut profile.media_type, media_type);
    let updated = store.update_source(
        id,
        &SourceUpdate {
            name,
            site_url: site,
            country,
            languages,
            profile: Some(profile),
            ..Default::default()
        },
    )?;
    rematch(store, &updated, &[])
}

/// Re-matches `source` against the bundled registry by its site link, its feed URL and
/// `article_urls` (when those are empty and the first two do not match, by its latest stored
/// articles' URLs) and stores the profile if it changed. Returns the source as stored.
pub fn rematch(
    store: &Store,
    source: &Source,
    article_urls: &[String],
) -> Result<Source, EditError> {
    let registry = Registry::bundled()?;
    let own = [source.site_url.as_deref(), Some(source.feed_url.as_str())];
    let mut m = registry.lookup_any(own.into_iter().flatten());
    if m.is_none() {
        let stored;
        let urls = if article_urls.is_empty() {
            stored = store.source_article_urls(source.id, ARTICLE_URLS)?;
            &stored
        } else {
            article_urls
        };
        m = registry.lookup_any(urls.iter().map(String::as_str));
    }
    let new = refresh(source, m.as_ref());
    if new.country == source.country && new.profile == source.profile {
        return Ok(source.clone());
    }
    debug!(source_id = source.id, stage = "profile", typology = ?new.profile.typology,
        country = ?new.country, "source profile updated");
    let update = SourceUpdate {
        country: Some(new.country.unwrap_or_default()),
        profile: Some(new.profile),
        ..Default::default()
    };
    Ok(store.update_source(source.id, &update)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_core::NewSource;

    fn store_with_rt() -> (tempfile::TempDir, Store, i64) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("t.db")).expect("store");
        let s = store
            .add_source(&NewSource {
                feed_url: "https://www.rt.com/rss/".into(),
                site_url: Some("https://www.rt.com/".into()),
                name: Some("RT".into()),
                language: None,
                country: None,
            })
            .expect("add");
        let s = rematch(&store, &s, &[]).expect("match");
        assert_eq!(s.profile.typology.as_deref(), Some("SC"));
        (dir, store, s.id)
    }

    #[test]
    fn operator_values_win_and_empty_hands_back_to_the_matrix() {
        let (_dir, store, id) = store_with_rt();
        let edit = ProfileEdit {
            typology: Some("capr?".into()),
            country: Some("Germany".into()),
            ..Default::default()
        };
        let s = apply_edit(&store, id, &edit, "test").expect("edit");
        assert_eq!(s.profile.typology.as_deref(), Some("CaPr?"));
        assert_eq!(s.country.as_deref(), Some("DE"));
        assert_eq!(s.profile.origin("typology"), Some(FactOrigin::Operator));
        let back = ProfileEdit {
            typology: Some(String::new()),
            country: Some(String::new()),
            ..Default::default()
        };
        let s = apply_edit(&store, id, &back, "test").expect("edit");
        assert_eq!(s.profile.typology.as_deref(), Some("SC"));
        assert_eq!(s.country.as_deref(), Some("RU"));
        assert_eq!(s.profile.origin("typology"), Some(FactOrigin::Matrix));
    }

    #[test]
    fn several_languages_from_a_list_or_a_comma_string() {
        let (_dir, store, id) = store_with_rt();
        for body in [
            r#"{"languages": ["EN", "ru", "en"]}"#,
            r#"{"language": "en, ru"}"#,
            r#"{"languages": "en,ru"}"#,
        ] {
            let edit: ProfileEdit = serde_json::from_str(body).expect(body);
            let s = apply_edit(&store, id, &edit, "test").expect("edit");
            assert_eq!(s.languages, ["en", "ru"], "{body}");
            assert_eq!(s.language.as_deref(), Some("en"));
            assert_eq!(s.profile.origin("language"), Some(FactOrigin::Operator));
        }
        let clear: ProfileEdit = serde_json::from_str(r#"{"languages": []}"#).expect("json");
        let s = apply_edit(&store, id, &clear, "test").expect("edit");
        assert!(s.languages.is_empty() && s.language.is_none());
        assert!(serde_json::from_str::<ProfileEdit>(r#"{"colour": "red"}"#).is_err());
    }

    #[test]
    fn invalid_values_change_nothing() {
        let (_dir, store, id) = store_with_rt();
        let before = store.get_source(id).expect("get").expect("source").source;
        for edit in [
            ProfileEdit {
                owner: Some("Someone".into()),
                typology: Some("independent".into()),
                ..Default::default()
            },
            ProfileEdit {
                country: Some("Atlantis".into()),
                ..Default::default()
            },
            ProfileEdit {
                languages: Some(vec!["fr".into(), "english".into()]),
                ..Default::default()
            },
            ProfileEdit {
                site: Some("javascript:alert(1)".into()),
                ..Default::default()
            },
            ProfileEdit {
                name: Some("  ".into()),
                ..Default::default()
            },
        ] {
            let e = apply_edit(&store, id, &edit, "test").expect_err("refused");
            assert!(matches!(e, EditError::Invalid { .. }), "{e}");
        }
        let after = store.get_source(id).expect("get").expect("source").source;
        assert_eq!(before, after);
        assert!(matches!(
            apply_edit(&store, 999, &ProfileEdit::default(), "test"),
            Err(EditError::NoSource(999))
        ));
        let e = parse_typology("free").expect_err("bad");
        assert!(e.to_string().contains("not a typology code"), "{e}");
    }
}

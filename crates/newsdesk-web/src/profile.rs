//! Source profiles as pages show them (country, typology in words, where each fact came from),
//! the `country`/`typology`/`lang` filters of pages, feeds and the API, and `/about/typology`:
//! what the seven State Media Monitor models mean, with the data's credit and licence.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Html;
use newsdesk_core::{ProfileFilter, Source, TypologyCode, TypologyFilter, TypologyGroup};
use serde::Serialize;

use crate::layout::Ui;
use crate::params::Params;
use crate::{AppError, AppState, Editions, layout};

/// The credit shown wherever a classification from the matrix is.
pub(crate) use newsdesk_sources::MATRIX_CREDIT;

/// A source's country and typology as cards, pages and stories show them.
#[derive(Serialize, Clone, Debug, Default)]
pub(crate) struct ProfileTag {
    /// ISO code (upper case), when known.
    pub(crate) country: Option<String>,
    /// Its English short name (the code when unknown).
    pub(crate) country_name: Option<String>,
    /// The country is newsdesk's guess.
    pub(crate) country_guess: bool,
    /// Typology code without `?` (`SC`), when classified.
    pub(crate) typology: Option<String>,
    /// The classification is marked uncertain in the data.
    pub(crate) uncertain: bool,
    /// `state-controlled`, `independent` or `not-classified`.
    pub(crate) group: &'static str,
    /// Whether the typology came from the matrix (then the credit is shown).
    pub(crate) from_matrix: bool,
}

impl ProfileTag {
    /// From a country code and a stored typology code (e.g. an article summary's).
    pub(crate) fn new(country: Option<&str>, typology: Option<&str>) -> ProfileTag {
        let code = typology.and_then(TypologyCode::parse);
        let country = country
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase);
        ProfileTag {
            country_name: country
                .as_deref()
                .map(|c| newsdesk_sources::country_name(c).unwrap_or(c).to_owned()),
            country,
            country_guess: false,
            typology: code.map(|c| c.typology.code().to_owned()),
            uncertain: code.is_some_and(|c| c.uncertain),
            group: TypologyGroup::of(typology).as_str(),
            from_matrix: false,
        }
    }

    /// From a stored source, with the origins of its facts.
    pub(crate) fn of(s: &Source) -> ProfileTag {
        use newsdesk_core::FactOrigin;
        let mut tag = ProfileTag::new(s.country.as_deref(), s.profile.typology.as_deref());
        tag.country_guess = s.profile.origin("country") == Some(FactOrigin::Guess);
        tag.from_matrix = s.profile.origin("typology") == Some(FactOrigin::Matrix);
        tag
    }

    /// Whether the outlet is state-controlled (SC, CaPu, CaPr).
    pub(crate) fn state_controlled(&self) -> bool {
        self.group == TypologyGroup::StateControlled.as_str()
    }
}

/// Adds a source's `source_country`, `source_typology` and `source_typology_group` to an
/// article's JSON object.
pub(crate) fn insert_json(object: &mut serde_json::Map<String, serde_json::Value>, s: &Source) {
    object.insert("source_country".into(), s.country.clone().into());
    object.insert("source_typology".into(), s.profile.typology.clone().into());
    object.insert(
        "source_typology_group".into(),
        s.profile.group().as_str().into(),
    );
}

/// One fact of a profile on a source page.
#[derive(Serialize)]
pub(crate) struct FactView {
    field: &'static str,
    value: Option<String>,
    origin: Option<&'static str>,
    reference: Option<String>,
}

/// A source's whole profile on its page.
#[derive(Serialize)]
pub(crate) struct ProfileView {
    tag: ProfileTag,
    owner: Option<String>,
    media_type: Option<String>,
    matrix_asset: Option<String>,
    facts: Vec<FactView>,
    /// Some fact has a recorded origin.
    has_facts: bool,
    credit: &'static str,
}

impl ProfileView {
    pub(crate) fn of(s: &Source) -> ProfileView {
        let p = &s.profile;
        let fact = |field: &'static str, value: Option<String>| {
            let f = p.facts.get(field);
            FactView {
                field,
                value,
                origin: f.map(|f| f.origin.as_str()),
                reference: f.map(|f| f.reference.clone()),
            }
        };
        ProfileView {
            has_facts: !p.facts.is_empty(),
            tag: ProfileTag::of(s),
            owner: p.owner.clone(),
            media_type: p.media_type.clone(),
            matrix_asset: p.matrix_asset.clone(),
            facts: vec![
                fact("country", s.country.clone()),
                fact("language", s.language_list()),
                fact("owner", p.owner.clone()),
                fact("typology", p.typology.clone()),
                fact("media_type", p.media_type.clone()),
            ],
            credit: MATRIX_CREDIT,
        }
    }
}

/// The profile filters of a query string: `country` (ISO codes) and `typology` (groups or
/// codes), each a comma-separated list (any of its values passes). The article language
/// (`lang`) is the lists' own filter, read by [`Params::lang`].
pub(crate) fn filter(params: &Params) -> Result<ProfileFilter, AppError> {
    let list = |name: &str| -> Result<Vec<String>, AppError> {
        Ok(params
            .get(name)?
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default())
    };
    let countries = list("country")?
        .into_iter()
        .map(|c| {
            if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(c.to_ascii_uppercase())
            } else {
                Err(AppError::bad_request(
                    "country",
                    format!(
                        "{:?} is not an ISO 3166 country code such as \"de\"",
                        c.chars().take(64).collect::<String>()
                    ),
                ))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let typologies = list("typology")?
        .into_iter()
        .map(|t| {
            TypologyFilter::parse(&t).ok_or_else(|| {
                AppError::bad_request(
                    "typology",
                    format!(
                        "{:?} is not state-controlled, independent, not-classified or a code \
                         (SC, CaPu, CaPr, ISFM, ISF, ISM, IP)",
                        t.chars().take(64).collect::<String>()
                    ),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProfileFilter {
        countries,
        typologies,
        languages: Vec::new(),
    })
}

/// The query string of a filter (`country=DE&typology=independent&lang=de`), empty when none.
pub(crate) fn query_string(f: &ProfileFilter) -> String {
    let mut parts = Vec::new();
    if !f.countries.is_empty() {
        parts.push(format!("country={}", f.countries.join(",")));
    }
    if !f.typologies.is_empty() {
        let values: Vec<&str> = f
            .typologies
            .iter()
            .map(|t| match t {
                TypologyFilter::Group(g) => g.as_str(),
                TypologyFilter::Code(c) => c.code(),
            })
            .collect();
        parts.push(format!("typology={}", values.join(",")));
    }
    if !f.languages.is_empty() {
        parts.push(format!("lang={}", f.languages.join(",")));
    }
    parts.join("&")
}

/// One model in the explanation table.
#[derive(Serialize)]
struct ModelRow {
    code: &'static str,
    funding: &'static str,
    governance: &'static str,
    editorial: &'static str,
    group: &'static str,
}

/// What `/about/typology` shows.
#[derive(Serialize)]
struct AboutView {
    models: Vec<ModelRow>,
    credit: &'static str,
    license: &'static str,
}

fn about_view() -> AboutView {
    use newsdesk_core::Typology::*;
    // (funding, governance, editorial) as the State Media Monitor defines each model.
    let row = |t: newsdesk_core::Typology, f, g, e| ModelRow {
        code: t.code(),
        funding: f,
        governance: g,
        editorial: e,
        group: t.group().as_str(),
    };
    AboutView {
        models: vec![
            row(SC, "state", "state", "state"),
            row(CaPu, "not-state", "state", "state"),
            row(CaPr, "either", "not-state", "state"),
            row(ISFM, "state", "state", "independent"),
            row(ISF, "state", "not-state", "independent"),
            row(ISM, "not-state", "state", "independent"),
            row(IP, "not-state", "not-state", "independent"),
        ],
        credit: MATRIX_CREDIT,
        license: newsdesk_sources::MATRIX_LICENSE,
    }
}

/// `GET /about/typology`.
pub(crate) async fn about_page(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
) -> Result<Html<String>, AppError> {
    let mut ui = Ui::site(&state);
    if let Some(Extension(editions)) = &editions {
        ui.switcher = crate::editions::switcher(editions, None, "/about/typology");
    }
    let title = crate::i18n::message(&ui.ui, "about-typology-title", None);
    layout::render_ui(&state, &ui, "about_typology.html", &title, about_view())
}

/// `GET /{lang}/about/typology`.
pub(crate) async fn edition_about_page(
    State(state): State<AppState>,
    editions: Option<Extension<Arc<Editions>>>,
    Path(lang): Path<String>,
) -> Result<Html<String>, AppError> {
    let (all, edition) = crate::editions::edition_of(&editions, &lang)?;
    let ui = crate::editions::edition_ui(&state, all, edition, "/about/typology");
    let title = crate::i18n::message(&ui.ui, "about-typology-title", None);
    layout::render_ui(&state, &ui, "about_typology.html", &title, about_view())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_lists_and_refuse_junk() {
        let p = Params::parse(Some("country=de,FR&typology=independent,SC"));
        let f = filter(&p).expect("filter");
        assert_eq!(f.countries, ["DE", "FR"]);
        assert_eq!(f.typologies.len(), 2);
        assert_eq!(query_string(&f), "country=DE,FR&typology=independent,SC");
        assert!(filter(&Params::parse(Some("country=Germany"))).is_err());
        assert!(filter(&Params::parse(Some("typology=free"))).is_err());
        assert!(filter(&Params::parse(Some(""))).expect("none").is_empty());
    }

    #[test]
    fn tags_say_not_classified_for_the_unknown() {
        let t = ProfileTag::new(Some("ru"), Some("SC"));
        assert_eq!(t.country_name.as_deref(), Some("Russia"));
        assert!(t.state_controlled());
        let u = ProfileTag::new(None, None);
        assert_eq!(u.group, "not-classified");
        let q = ProfileTag::new(Some("XK"), Some("ISFM?"));
        assert!(q.uncertain);
        assert_eq!(q.typology.as_deref(), Some("ISFM"));
        assert_eq!(q.country_name.as_deref(), Some("XK"));
    }
}

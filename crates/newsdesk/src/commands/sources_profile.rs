//! Source profiles on the command line: `sources edit`, the profile facts recorded when a
//! source is added or imported, and the OPML attributes they are exported as.

use std::process::ExitCode;

use anyhow::{Result, bail};
use newsdesk_core::{FactOrigin, Source, SourceProfile, TypologyCode};
use newsdesk_feeds::OpmlOutline;
use newsdesk_store::{SourceUpdate, Store};

use super::Context;
use newsdesk_pipeline::profiles::{operator_facts, refresh_source};

/// The operator's values for `sources edit` (`None`: unchanged; `Some("")`: cleared).
#[derive(Debug, Default)]
pub struct ProfileEdit {
    /// Display name.
    pub name: Option<String>,
    /// Country (code or English name).
    pub country: Option<String>,
    /// Language (ISO 639 code).
    pub language: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Typology code.
    pub typology: Option<String>,
    /// Kind of outlet.
    pub media_type: Option<String>,
    /// Home page.
    pub site: Option<String>,
}

/// A country code from a code (any two letters: user-assigned codes such as `XK` pass) or an
/// English name; empty stays empty (clears).
pub fn parse_country(v: &str, what: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    if v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(v.to_ascii_uppercase());
    }
    match newsdesk_sources::country_code(v) {
        Some(code) => Ok(code.to_owned()),
        None => bail!("{what} {v:?} is not an ISO 3166 country code such as \"DE\""),
    }
}

/// A typology code in its canonical spelling (`capu?` → `CaPu?`); empty stays empty.
pub fn parse_typology(v: &str, what: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    match TypologyCode::parse(v) {
        Some(t) => Ok(t.to_string()),
        None => bail!(
            "{what} {v:?} is not a typology code: SC, CaPu, CaPr, ISFM, ISF, ISM or IP, \
             with a trailing ? when uncertain"
        ),
    }
}

fn parse_language(v: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || ((2..=3).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphabetic())) {
        Ok(v.to_ascii_lowercase())
    } else {
        bail!("--language {v:?} is not an ISO 639 code such as \"fr\"")
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

/// Applies the operator's `edit` to source `id`, then re-matches it (cleared fields go back to
/// the matrix); returns the source as stored.
pub fn apply_edit(store: &Store, id: i64, edit: &ProfileEdit, reference: &str) -> Result<Source> {
    let Some(current) = store.get_source(id)?.map(|s| s.source) else {
        bail!("no source with id {id} (see `newsdesk sources list`)")
    };
    let country = edit
        .country
        .as_deref()
        .map(|c| parse_country(c, "--country"))
        .transpose()?;
    let typology = edit
        .typology
        .as_deref()
        .map(|t| parse_typology(t, "--typology"))
        .transpose()?;
    let language = edit.language.as_deref().map(parse_language).transpose()?;
    let mut profile = current.profile.clone();
    let country = operator_value(&mut profile, "country", country.as_deref(), reference);
    let language = operator_value(&mut profile, "language", language.as_deref(), reference);
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
    let site = match edit.site.as_deref().map(str::trim) {
        Some(s) if !(s.is_empty() || s.starts_with("http://") || s.starts_with("https://")) => {
            bail!("--site {s:?} is not an http(s) URL")
        }
        other => other.map(str::to_owned),
    };
    let updated = store.update_source(
        id,
        &SourceUpdate {
            name: edit.name.clone(),
            site_url: site,
            country,
            language,
            profile: Some(profile),
            ..Default::default()
        },
    )?;
    Ok(refresh_source(store, &updated, &[])?)
}

/// `newsdesk sources edit ID …`.
pub fn edit(ctx: &Context, id: i64, edit: ProfileEdit) -> Result<ExitCode> {
    let source = apply_edit(&ctx.store, id, &edit, "newsdesk sources edit")?;
    say!("source {}: {}", source.id, source.name);
    for line in describe(&source) {
        say!("  {line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The profile as lines `field: value [origin: reference]`.
pub fn describe(s: &Source) -> Vec<String> {
    let p = &s.profile;
    let country = s
        .country
        .as_deref()
        .map(|c| match newsdesk_sources::country_name(c) {
            Some(name) => format!("{c} ({name})"),
            None => c.to_owned(),
        });
    let typology = match p.typology.as_deref() {
        Some(t) => Some(t.to_owned()),
        None => Some("not classified".to_owned()),
    };
    [
        ("country", country),
        ("language", s.language.clone()),
        ("owner", p.owner.clone()),
        ("typology", typology),
        ("media_type", p.media_type.clone()),
    ]
    .into_iter()
    .map(|(field, value)| {
        let value = value.unwrap_or_else(|| "-".to_owned());
        match p.facts.get(field) {
            Some(f) => format!("{field}: {value} [{}: {}]", f.origin.as_str(), f.reference),
            None => format!("{field}: {value}"),
        }
    })
    .chain(
        p.matrix_asset
            .as_ref()
            .map(|a| format!("State Media Matrix asset: {a}")),
    )
    .collect()
}

/// Records the profile facts of a source just added: the operator's `--language`/`--country`
/// (or OPML attributes), the feed's language, then matches it.
pub fn after_add(
    store: &Store,
    source: &Source,
    operator: &ProfileEdit,
    language_from_feed: bool,
    reference: &str,
) -> Result<Source> {
    let mut profile = source.profile.clone();
    if language_from_feed && source.language.is_some() {
        profile.facts.insert(
            "language".into(),
            newsdesk_core::Fact::new(FactOrigin::Feed, source.feed_url.clone()),
        );
    }
    let current = if profile == source.profile {
        source.clone()
    } else {
        store.update_source(
            source.id,
            &SourceUpdate {
                profile: Some(profile),
                ..Default::default()
            },
        )?
    };
    apply_edit(store, current.id, operator, reference)
}

/// Gives a demo source the fictional profile of the sample corpus (recorded as the operator's,
/// with the corpus as reference: the fictional outlets are in no real registry).
pub fn demo_profile(
    store: &Store,
    source: &Source,
    demo: &newsdesk_demo::DemoSource,
) -> Result<Source> {
    let edit = ProfileEdit {
        country: Some(demo.country.clone()),
        language: Some(demo.language.clone()),
        owner: demo.owner.clone(),
        typology: demo.typology.clone(),
        media_type: demo.media_type.clone(),
        ..Default::default()
    };
    after_add(
        store,
        source,
        &edit,
        false,
        "newsdesk demo: fictional profile from the sample corpus (sources.json)",
    )
}

/// The profile fields the operator set, as OPML attributes (the matrix's values are matched
/// again on import, so they are not frozen into the file).
pub fn opml_attributes(s: &Source, outline: &mut OpmlOutline) {
    let mine = |field: &str| s.profile.origin(field) == Some(FactOrigin::Operator);
    if mine("country") {
        outline.country = s.country.clone();
    }
    if mine("owner") {
        outline.owner = s.profile.owner.clone();
    }
    if mine("typology") {
        outline.typology = s.profile.typology.clone();
    }
    if mine("media_type") {
        outline.media_type = s.profile.media_type.clone();
    }
}

/// The operator's values an OPML outline carries.
pub fn opml_edit(o: &OpmlOutline) -> ProfileEdit {
    ProfileEdit {
        country: o.country.clone(),
        owner: o.owner.clone(),
        typology: o.typology.clone(),
        media_type: o.media_type.clone(),
        ..Default::default()
    }
}

//! Source profiles on the command line: `sources edit`, the profile facts recorded when a
//! source is added or imported, and the OPML attributes they are exported as.

use std::process::ExitCode;

use anyhow::Result;
use newsdesk_core::{FactOrigin, Source};
use newsdesk_feeds::OpmlOutline;
use newsdesk_store::{SourceUpdate, Store};

use super::Context;

pub use newsdesk_sources::ProfileEdit;

/// Applies the operator's `edit` to source `id` (see [`newsdesk_sources::apply_edit`], shared
/// with the web API).
pub fn apply_edit(store: &Store, id: i64, edit: &ProfileEdit, reference: &str) -> Result<Source> {
    newsdesk_sources::apply_edit(store, id, edit, reference).map_err(edit_error)
}

/// A profile error in the command line's words (the flag that was wrong, what to type).
pub fn edit_error(e: newsdesk_sources::EditError) -> anyhow::Error {
    match e {
        newsdesk_sources::EditError::NoSource(id) => {
            anyhow::anyhow!("no source with id {id} (see `newsdesk sources list`)")
        }
        newsdesk_sources::EditError::Invalid {
            field,
            value,
            expected,
        } => {
            let flag = if field == "media_type" { "type" } else { field };
            anyhow::anyhow!("--{flag} {value:?} is not {expected}")
        }
        e => e.into(),
    }
}

/// `newsdesk sources edit ID …`.
pub fn edit(ctx: &Context, id: i64, edit: ProfileEdit) -> Result<ExitCode> {
    let source = apply_edit(&ctx.store, id, &edit, "newsdesk sources edit")?;
    say!("source {}: {}", source.id, source.name);
    for line in describe(&source, &ctx.config.web.country_names) {
        say!("  {line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The profile as lines `field: value [origin: reference]`; `names` are the operator's names
/// for user-assigned country codes (`[web] country_names`).
pub fn describe(s: &Source, names: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    let p = &s.profile;
    let country = s.country.as_deref().map(|c| {
        let own = names.get(&c.to_ascii_uppercase()).map(String::as_str);
        match own.or_else(|| newsdesk_sources::country_name(c)) {
            Some(name) => format!("{c} ({name})"),
            None => c.to_owned(),
        }
    });
    let typology = match p.typology.as_deref() {
        Some(t) => Some(t.to_owned()),
        None => Some("not classified".to_owned()),
    };
    [
        ("country", country),
        ("language", s.language_list()),
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
        languages: Some(vec![demo.language.clone()]),
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

/// The operator's values an OPML outline carries (a `language` list of several languages is
/// the operator's: a feed declares one).
pub fn opml_edit(o: &OpmlOutline) -> ProfileEdit {
    let languages = o
        .language
        .as_deref()
        .map(newsdesk_sources::split_list)
        .filter(|l| l.len() > 1);
    ProfileEdit {
        languages,
        country: o.country.clone(),
        owner: o.owner.clone(),
        typology: o.typology.clone(),
        media_type: o.media_type.clone(),
        ..Default::default()
    }
}

//! Source profiles: who publishes a source, from where, and who controls it.
//!
//! This crate ships the **State Media Matrix** (1,157 state-affiliated media assets in 158
//! countries, typology from the State Media Monitor; MIT, notice in [`MATRIX_LICENSE`]) and
//! matches sources against it by host ([`Registry::lookup`]): `www.` and the scheme are ignored,
//! the longest matching host wins (`francais.cgtn.com` before `cgtn.com`), rows without a
//! scheme are read, rows without a URL are kept but never match, and several assets on one URL
//! are all kept. [`refresh`] turns a match into a source's profile, where an operator's value
//! always beats the matrix and an outlet the matrix does not list stays *not classified*.
//! Without a country from the matrix or the operator, [`guess_country`] reads one from the
//! ccTLD or the language, marked as a guess.
//!
//! The operator's edits ([`ProfileEdit`], [`apply_edit`]: checked, recorded as the operator's
//! facts, then re-matched with [`rematch`]) live here too, as the one implementation that
//! `newsdesk sources edit`, OPML import, the demo and the JSON API's
//! `PATCH /api/v1/sources/{id}/profile` share; they read and write the store.
//!
//! Why a crate of its own: it is reference data with its own licence and a tiny API used by
//! the binary (when a source is added, after each feed pass, at every start), the web server
//! and the demo; `newsdesk-core` holds only types (the profile itself,
//! [`newsdesk_core::SourceProfile`]), and `newsdesk-feeds` is about reading feeds, not about
//! who publishes them. The CSV is compiled in and parsed on first use (about a millisecond).
//!
//! ```
//! let registry = newsdesk_sources::Registry::bundled().unwrap();
//! let m = registry.lookup("https://www.rt.com/").unwrap();
//! assert_eq!(m.primary().name, "RT International");
//! assert_eq!(m.primary().typology, "SC");
//! assert_eq!(newsdesk_sources::country_name("RU"), Some("Russia"));
//! ```

mod countries;
mod edit;
mod refresh;
mod registry;

pub use edit::{
    EditError, ProfileEdit, apply_edit, operator_facts, parse_country, parse_language,
    parse_typology, rematch, split_list,
};
pub use refresh::{Refreshed, guess_country, refresh};
pub use registry::{Asset, MATRIX_CREDIT, MATRIX_LICENSE, Match, Registry, host_and_path};

/// Errors of this crate.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ProfileError {
    /// The matrix CSV could not be read.
    #[error("newsdesk-sources: the State Media Matrix does not parse: {0}")]
    Matrix(String),
}

/// The ISO 3166-1 alpha-2 code of a country named in English (the matrix's spellings
/// included), or of a code given as such (`de`, `DE`); `None` when unknown.
pub fn country_code(name_or_code: &str) -> Option<&'static str> {
    let s = name_or_code.trim();
    if s.is_empty() {
        return None;
    }
    countries::COUNTRIES
        .iter()
        .find(|(code, name)| code.eq_ignore_ascii_case(s) || name.eq_ignore_ascii_case(s))
        .map(|(code, _)| *code)
        .or_else(|| {
            countries::ALIASES
                .iter()
                .find(|(alias, _)| alias.eq_ignore_ascii_case(s))
                .map(|(_, code)| *code)
        })
}

/// The short English name of an ISO 3166-1 alpha-2 code (case-insensitive).
pub fn country_name(code: &str) -> Option<&'static str> {
    countries::COUNTRIES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_by_name_code_and_alias() {
        assert_eq!(country_code("Russia"), Some("RU"));
        assert_eq!(country_code("de"), Some("DE"));
        assert_eq!(country_code("United States of America"), Some("US"));
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(country_name("gb"), Some("United Kingdom"));
        assert_eq!(country_name("ZZ"), None);
    }
}

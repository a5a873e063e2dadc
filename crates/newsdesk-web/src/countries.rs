//! Country names in the page's language.
//!
//! Names come from CLDR through ICU4X's display names (`icu_experimental`'s
//! `RegionDisplayNames` with its compiled data, maintained by the Unicode Consortium; the
//! data is built in, nothing is read at run time), in the interface languages (`en`, `fr`,
//! `es`, `de`). First come the operator's names for codes ISO 3166 leaves to users
//! (`[web] country_names`, e.g. the demo's fictional `XV` = "Valdoria"); a code CLDR does not
//! name falls back to the English table of `newsdesk-sources`, then to the code itself.

use std::collections::{BTreeMap, HashMap};

use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_locale_core::Locale;
use icu_locale_core::subtags::Region;

thread_local! {
    /// The interface languages, each with CLDR's region names (built once per thread: ICU4X's
    /// data handles are not `Sync`; with compiled data they only point into static tables).
    static NAMES: HashMap<&'static str, RegionDisplayNames> = region_names();
}

fn region_names() -> HashMap<&'static str, RegionDisplayNames> {
    crate::i18n::LOCALES
        .iter()
        .filter_map(|(lang, _)| {
            let locale: Locale = lang.parse().ok()?;
            let names =
                RegionDisplayNames::try_new((&locale).into(), DisplayNamesOptions::default());
            match names {
                Ok(n) => Some((*lang, n)),
                Err(e) => {
                    tracing::warn!(lang, error = %e, "no CLDR country names for this language");
                    None
                }
            }
        })
        .collect()
}

/// The name of country `code` (ISO 3166-1 alpha-2, any case) in `lang`: the operator's name
/// (`own`), else CLDR's in `lang` (English for other languages), else the English table's;
/// `None` when nothing names it.
pub(crate) fn name(code: &str, lang: &str, own: &BTreeMap<String, String>) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    if let Some(n) = own.get(&code).filter(|n| !n.trim().is_empty()) {
        return Some(n.trim().to_owned());
    }
    let region: Option<Region> = code.parse().ok();
    let cldr = |l: &str| {
        let region = region?;
        NAMES.with(|names| names.get(l)?.of(region).map(str::to_owned))
    };
    cldr(lang)
        .or_else(|| cldr(crate::i18n::FALLBACK))
        .or_else(|| newsdesk_sources::country_name(&code).map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_the_interface_languages() {
        let none = BTreeMap::new();
        let at = |code: &str, lang: &str| name(code, lang, &none);
        assert_eq!(at("ru", "en").as_deref(), Some("Russia"));
        assert_eq!(at("RU", "fr").as_deref(), Some("Russie"));
        assert_eq!(at("RU", "es").as_deref(), Some("Rusia"));
        assert_eq!(at("RU", "de").as_deref(), Some("Russland"));
        assert_eq!(at("DE", "fr").as_deref(), Some("Allemagne"));
        assert_eq!(at("GB", "de").as_deref(), Some("Vereinigtes Königreich"));
        assert_eq!(
            at("RU", "ja").as_deref(),
            Some("Russia"),
            "English elsewhere"
        );
        assert_eq!(at("XV", "fr"), None);
        assert_eq!(at("not a code", "fr"), None);
        let own = BTreeMap::from([("XV".to_owned(), "Valdoria".to_owned())]);
        assert_eq!(name("xv", "de", &own).as_deref(), Some("Valdoria"));
    }
}

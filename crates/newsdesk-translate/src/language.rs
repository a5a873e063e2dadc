//! Language codes: newsdesk speaks ISO 639-1 (`en`), Apertium names modes with ISO 639-3
//! (`eng-spa`) or sometimes 639-1 (`fr-es`).

/// ISO 639-1 ↔ ISO 639-3 for the languages Apertium and the news sources use.
const CODES: &[(&str, &str)] = &[
    ("af", "afr"),
    ("an", "arg"),
    ("ar", "ara"),
    ("be", "bel"),
    ("bg", "bul"),
    ("br", "bre"),
    ("ca", "cat"),
    ("cy", "cym"),
    ("da", "dan"),
    ("de", "deu"),
    ("el", "ell"),
    ("en", "eng"),
    ("eo", "epo"),
    ("es", "spa"),
    ("eu", "eus"),
    ("fi", "fin"),
    ("fr", "fra"),
    ("ga", "gle"),
    ("gl", "glg"),
    ("hi", "hin"),
    ("id", "ind"),
    ("is", "isl"),
    ("it", "ita"),
    ("ja", "jpn"),
    ("kk", "kaz"),
    ("mk", "mkd"),
    ("ms", "zlm"),
    ("mt", "mlt"),
    ("nb", "nob"),
    ("nl", "nld"),
    ("nn", "nno"),
    ("no", "nor"),
    ("oc", "oci"),
    ("pl", "pol"),
    ("pt", "por"),
    ("ro", "ron"),
    ("ru", "rus"),
    ("sc", "srd"),
    ("sh", "hbs"),
    ("sl", "slv"),
    ("sv", "swe"),
    ("tr", "tur"),
    ("uk", "ukr"),
    ("zh", "zho"),
];

/// Normalises a language code to lower-case ISO 639-1 when it is known (`ENG`, `eng`, `en-GB`
/// → `en`); other codes are returned lower-cased and without a region.
pub fn normalize_language(code: &str) -> String {
    let base = code
        .split(['-', '_'])
        .next()
        .unwrap_or(code)
        .trim()
        .to_ascii_lowercase();
    if base.len() == 3
        && let Some((two, _)) = CODES.iter().find(|(_, three)| *three == base)
    {
        return (*two).to_string();
    }
    base
}

/// The ISO 639-3 code of an ISO 639-1 code, if known (`en` → `eng`).
pub fn iso639_3(code: &str) -> Option<&'static str> {
    let two = normalize_language(code);
    CODES
        .iter()
        .find(|(t, _)| *t == two)
        .map(|(_, three)| *three)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        assert_eq!(normalize_language("ENG"), "en");
        assert_eq!(normalize_language("en-GB"), "en");
        assert_eq!(normalize_language("spa"), "es");
        assert_eq!(normalize_language("fr"), "fr");
        assert_eq!(iso639_3("es"), Some("spa"));
        assert_eq!(iso639_3("xx"), None);
    }
}

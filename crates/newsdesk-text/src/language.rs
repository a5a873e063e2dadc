//! Language guesses with `whatlang`, reported as ISO 639-1 codes.

use whatlang::Lang;

/// At most this many characters of a text are looked at by [`detect_language`].
pub const DETECT_MAX_CHARS: usize = 2000;

/// Texts with fewer letters than this are never reported as reliable.
pub const MIN_RELIABLE_LETTERS: usize = 40;

/// A guess of the language of a text.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LanguageGuess {
    /// ISO 639-1 code, e.g. `"fr"` (`"no"` for Norwegian Bokmål).
    pub code: &'static str,
    /// Confidence between 0 and 1, as whatlang reports it.
    pub confidence: f64,
    /// Whether the guess can be trusted: whatlang says so and the text is long enough.
    pub reliable: bool,
}

/// Guesses the language of `text` from its first [`DETECT_MAX_CHARS`] characters.
///
/// Returns `None` when nothing can be guessed (no letters). Short texts (fewer than
/// [`MIN_RELIABLE_LETTERS`] letters) and guesses whatlang itself does not trust come back with
/// `reliable: false`.
pub fn detect_language(text: &str) -> Option<LanguageGuess> {
    let end = text
        .char_indices()
        .nth(DETECT_MAX_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let sample = &text[..end];
    let info = whatlang::detect(sample)?;
    let code = iso639_1(info.lang());
    let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
    // CJK scripts carry a word in one or two characters.
    let cjk = matches!(info.lang(), Lang::Cmn | Lang::Jpn | Lang::Kor);
    let enough = if cjk {
        letters * 3 >= MIN_RELIABLE_LETTERS
    } else {
        letters >= MIN_RELIABLE_LETTERS
    };
    Some(LanguageGuess {
        code,
        confidence: info.confidence(),
        reliable: enough && info.is_reliable(),
    })
}

/// The ISO 639-1 code of a whatlang language (ISO 639-3 inside whatlang).
pub fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "no",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn major_languages_are_detected_reliably() {
        let cases = [
            (
                "en",
                "The government announced on Tuesday that the new budget would cut taxes for most families and raise spending on schools and hospitals.",
            ),
            (
                "fr",
                "Le gouvernement a annoncé mardi que le nouveau budget réduirait les impôts de la plupart des familles et augmenterait les dépenses.",
            ),
            (
                "de",
                "Die Regierung hat am Dienstag angekündigt, dass der neue Haushalt die Steuern für die meisten Familien senken wird.",
            ),
            (
                "es",
                "El gobierno anunció el martes que el nuevo presupuesto reducirá los impuestos para la mayoría de las familias y aumentará el gasto.",
            ),
            (
                "ru",
                "Правительство объявило во вторник, что новый бюджет снизит налоги для большинства семей и увеличит расходы на школы.",
            ),
            (
                "ar",
                "أعلنت الحكومة يوم الثلاثاء أن الميزانية الجديدة ستخفض الضرائب على معظم الأسر وتزيد الإنفاق على المدارس والمستشفيات.",
            ),
            (
                "ja",
                "政府は火曜日、新しい予算で多くの家庭の税金を減らし、学校や病院への支出を増やすと発表した。",
            ),
            (
                "zh",
                "政府周二宣布，新预算将为大多数家庭减税，并增加对学校和医院的支出。这项计划将于明年开始实施。",
            ),
        ];
        for (code, text) in cases {
            let g = detect_language(text).unwrap_or_else(|| panic!("no guess for {code}"));
            assert_eq!(g.code, code, "{text}");
            assert!(g.reliable, "{code} not reliable: {g:?}");
            assert!(g.confidence > 0.0 && g.confidence <= 1.0);
        }
    }

    #[test]
    fn short_text_is_not_reliable() {
        let g = detect_language("Hello there").unwrap();
        assert!(!g.reliable);
        assert_eq!(detect_language("1234 !!!"), None);
        assert_eq!(detect_language(""), None);
    }

    #[test]
    fn long_text_is_cut_on_a_char_boundary() {
        let text = "Привет мир, как дела? ".repeat(500);
        let g = detect_language(&text).unwrap();
        assert_eq!(g.code, "ru");
    }

    #[test]
    fn every_language_has_a_two_letter_code() {
        for lang in Lang::all() {
            let code = iso639_1(*lang);
            assert_eq!(code.len(), 2, "{lang:?}");
            assert!(code.chars().all(|c| c.is_ascii_lowercase()));
        }
    }
}

//! Romanisation of the scripts that Unicode decomposition cannot bring to Latin and where our
//! reading matched more stories than `any_ascii`'s and `deunicode`'s (figures in
//! `transliteration.rs`): Arabic-script letters (Arabic, Persian, Kurdish, Urdu), Hebrew,
//! Armenian, the Indic scripts laid out like Devanagari (Devanagari, Bengali, Gurmukhi,
//! Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam), Sinhala and Han characters (in pinyin);
//! digits of every script through `any_ascii`. The readings are rough and meant for matching
//! names across scripts, not for display.

use pinyin::ToPinyin;

/// The ASCII digit for a digit of any script (read by `any_ascii`), if `c` is one.
#[inline]
pub(crate) fn ascii_digit(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        return Some(c);
    }
    if c.is_ascii() || !c.is_numeric() {
        return None;
    }
    let mut read = any_ascii::any_ascii_char(c).chars();
    match (read.next(), read.next()) {
        (Some(d), None) if d.is_ascii_digit() => Some(d),
        _ => None,
    }
}

/// Devanagari letters by offset in the block; the other Indic blocks share the layout.
/// `(reading, is a consonant)`.
fn devanagari_offset(o: u32) -> Option<(&'static str, bool)> {
    let consonant = |s| Some((s, true));
    let other = |s| Some((s, false));
    match o {
        0x01 | 0x02 => other("n"),
        0x03 => other("h"),
        0x05 => other("a"),
        0x06 => other("a"),
        0x07 | 0x08 => other("i"),
        0x09 | 0x0A => other("u"),
        0x0B => other("ri"),
        0x0E | 0x0F => other("e"),
        0x10 => other("ai"),
        0x12 | 0x13 => other("o"),
        0x14 => other("au"),
        0x15 => consonant("k"),
        0x16 => consonant("kh"),
        0x17 => consonant("g"),
        0x18 => consonant("gh"),
        0x19 => consonant("n"),
        0x1A => consonant("ch"),
        0x1B => consonant("chh"),
        0x1C => consonant("j"),
        0x1D => consonant("jh"),
        0x1E => consonant("n"),
        0x1F => consonant("t"),
        0x20 => consonant("th"),
        0x21 => consonant("d"),
        0x22 => consonant("dh"),
        0x23 => consonant("n"),
        0x24 => consonant("t"),
        0x25 => consonant("th"),
        0x26 => consonant("d"),
        0x27 => consonant("dh"),
        0x28 | 0x29 => consonant("n"),
        0x2A => consonant("p"),
        0x2B => consonant("ph"),
        0x2C => consonant("b"),
        0x2D => consonant("bh"),
        0x2E => consonant("m"),
        0x2F => consonant("y"),
        0x30 | 0x31 => consonant("r"),
        0x32..=0x34 => consonant("l"),
        0x35 => consonant("v"),
        0x36 | 0x37 => consonant("sh"),
        0x38 => consonant("s"),
        0x39 => consonant("h"),
        0x3E => other("a"),
        0x3F | 0x40 => other("i"),
        0x41 | 0x42 => other("u"),
        0x43 => other("ri"),
        0x46 | 0x47 => other("e"),
        0x48 => other("ai"),
        0x4A | 0x4B => other("o"),
        0x4C => other("au"),
        0x3C | 0x4D => other(""),
        0x58 => consonant("q"),
        0x59 => consonant("kh"),
        0x5A => consonant("g"),
        0x5B => consonant("z"),
        0x5C | 0x5D => consonant("r"),
        0x5E => consonant("f"),
        0x5F => consonant("y"),
        _ => None,
    }
}

/// Sinhala letters: `(reading, is a consonant)`.
fn sinhala(c: char) -> Option<(&'static str, bool)> {
    let consonant = |s| Some((s, true));
    let other = |s| Some((s, false));
    match c as u32 {
        0x0D82 => other("n"),
        0x0D83 => other("h"),
        0x0D85 | 0x0D86 => other("a"),
        0x0D87 | 0x0D88 => other("ae"),
        0x0D89 | 0x0D8A => other("i"),
        0x0D8B | 0x0D8C => other("u"),
        0x0D8D | 0x0D8E => other("ri"),
        0x0D91 | 0x0D92 => other("e"),
        0x0D93 => other("ai"),
        0x0D94 | 0x0D95 => other("o"),
        0x0D96 => other("au"),
        0x0D9A | 0x0D9B => consonant("k"),
        0x0D9C | 0x0D9D => consonant("g"),
        0x0D9E | 0x0D9F => consonant("n"),
        0x0DA0 | 0x0DA1 => consonant("ch"),
        0x0DA2 | 0x0DA3 => consonant("j"),
        0x0DA4..=0x0DA6 => consonant("n"),
        0x0DA7 | 0x0DA8 | 0x0DAD | 0x0DAE => consonant("t"),
        0x0DA9 | 0x0DAA | 0x0DAF | 0x0DB0 => consonant("d"),
        0x0DAB | 0x0DAC | 0x0DB1 | 0x0DB3 => consonant("n"),
        0x0DB4 | 0x0DB5 => consonant("p"),
        0x0DB6 | 0x0DB7 => consonant("b"),
        0x0DB8 | 0x0DB9 => consonant("m"),
        0x0DBA => consonant("y"),
        0x0DBB => consonant("r"),
        0x0DBD | 0x0DC5 => consonant("l"),
        0x0DC0 => consonant("v"),
        0x0DC1 | 0x0DC2 => consonant("sh"),
        0x0DC3 => consonant("s"),
        0x0DC4 => consonant("h"),
        0x0DC6 => consonant("f"),
        0x0DCA => other(""),
        0x0DCF => other("a"),
        0x0DD0 | 0x0DD1 => other("ae"),
        0x0DD2 | 0x0DD3 => other("i"),
        0x0DD4 | 0x0DD6 => other("u"),
        0x0DD8 => other("ru"),
        0x0DD9 | 0x0DDA => other("e"),
        0x0DDB => other("ai"),
        0x0DDC | 0x0DDD => other("o"),
        0x0DDE => other("au"),
        _ => None,
    }
}

/// An Indic letter or sign: `(reading, is a consonant)`. Consonants are read without their
/// inherent vowel; the caller adds it between consonants.
pub(crate) fn indic(c: char) -> Option<(&'static str, bool)> {
    let code = c as u32;
    if (0x0900..0x0D80).contains(&code) {
        return devanagari_offset(code & 0x7F);
    }
    if (0x0D80..0x0E00).contains(&code) {
        return sinhala(c);
    }
    None
}

/// Arabic-script, Hebrew and Armenian letters (vowel points are combining marks and dropped
/// by the caller).
pub(crate) fn abjad_or_armenian(c: char) -> Option<&'static str> {
    Some(match c {
        // Arabic, Persian, Kurdish, Urdu.
        'ا' | 'أ' | 'آ' | 'ٱ' | 'ى' | 'ة' => "a",
        'إ' => "i",
        'ء' | 'ع' | 'ٔ' => "",
        'ب' => "b",
        'پ' => "p",
        'ت' | 'ط' | 'ٹ' => "t",
        'ث' => "th",
        'ج' => "j",
        'چ' => "ch",
        'ح' | 'ه' | 'ھ' | 'ہ' => "h",
        'خ' => "kh",
        'د' | 'ض' | 'ڈ' => "d",
        'ذ' => "dh",
        'ر' | 'ڕ' | 'ڑ' => "r",
        'ز' | 'ظ' => "z",
        'ژ' => "zh",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ڤ' => "v",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'گ' => "g",
        'ل' | 'ڵ' => "l",
        'م' => "m",
        'ن' | 'ں' => "n",
        'و' | 'ؤ' | 'ۇ' => "u",
        'ۆ' => "o",
        'ي' | 'ی' | 'ئ' | 'ې' | 'ے' => "i",
        'ێ' | 'ە' => "e",
        // Hebrew.
        'א' => "a",
        'ב' => "b",
        'ג' => "g",
        'ד' => "d",
        'ה' => "h",
        'ו' => "u",
        'ז' => "z",
        'ח' => "kh",
        'ט' | 'ת' => "t",
        'י' => "i",
        'כ' | 'ך' | 'ק' => "k",
        'ל' => "l",
        'מ' | 'ם' => "m",
        'נ' | 'ן' => "n",
        'ס' => "s",
        'ע' => "",
        'פ' | 'ף' => "p",
        'צ' | 'ץ' => "ts",
        'ר' => "r",
        'ש' => "sh",
        // Armenian (lowercase; the caller lowercases first only for decomposed letters, so
        // both cases are listed).
        'ա' | 'Ա' => "a",
        'բ' | 'Բ' => "b",
        'գ' | 'Գ' => "g",
        'դ' | 'Դ' => "d",
        'ե' | 'Ե' | 'է' | 'Է' => "e",
        'զ' | 'Զ' => "z",
        'ը' | 'Ը' => "y",
        'թ' | 'Թ' | 'տ' | 'Տ' => "t",
        'ժ' | 'Ժ' => "zh",
        'ի' | 'Ի' => "i",
        'լ' | 'Լ' => "l",
        'խ' | 'Խ' => "kh",
        'ծ' | 'Ծ' | 'ց' | 'Ց' => "ts",
        'կ' | 'Կ' | 'ք' | 'Ք' => "k",
        'հ' | 'Հ' => "h",
        'ձ' | 'Ձ' => "dz",
        'ղ' | 'Ղ' => "gh",
        'ճ' | 'Ճ' | 'չ' | 'Չ' => "ch",
        'մ' | 'Մ' => "m",
        'յ' | 'Յ' => "y",
        'ն' | 'Ն' => "n",
        'շ' | 'Շ' => "sh",
        'ո' | 'Ո' => "o",
        'պ' | 'Պ' | 'փ' | 'Փ' => "p",
        'ջ' | 'Ջ' => "j",
        'ռ' | 'Ռ' | 'ր' | 'Ր' => "r",
        'ս' | 'Ս' => "s",
        'վ' | 'Վ' => "v",
        'ւ' | 'Ւ' => "u",
        'օ' | 'Օ' => "o",
        'ֆ' | 'Ֆ' => "f",
        'և' => "ev",
        _ => return None,
    })
}

/// Appends the pinyin reading (no tones) of a Han character, with `x`, `q` and `zh` spelt
/// `sh`, `ch` and `j` as other languages hear them; false when `c` is not one.
pub(crate) fn han(c: char, out: &mut String) -> bool {
    let Some(p) = c.to_pinyin() else {
        return false;
    };
    let s = p.plain();
    if let Some(rest) = s.strip_prefix('x') {
        out.push_str("sh");
        out.push_str(rest);
    } else if let Some(rest) = s.strip_prefix('q') {
        out.push_str("ch");
        out.push_str(rest);
    } else if let Some(rest) = s.strip_prefix("zh") {
        out.push('j');
        out.push_str(rest);
    } else {
        out.push_str(s);
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::transliteration::fold;

    #[test]
    fn digits_of_every_script_become_ascii() {
        assert_eq!(fold("٢٠٢٢"), "2022");
        assert_eq!(fold("२०२२"), "2022");
        assert_eq!(fold("۱۴"), "14");
    }

    #[test]
    fn names_read_across_scripts() {
        assert_eq!(fold("ريشي سوناك"), "rishi sunak");
        assert_eq!(fold("सुनक"), "sunak");
        assert_eq!(fold("රිෂී සුනාක්"), "rishi sunak");
        assert_eq!(fold("ซูแน็ก"), "suaenk");
        assert_eq!(fold("苏纳克"), "sunake");
        assert_eq!(fold("Երևան"), "erevan");
        assert_eq!(fold("נתניהו"), "ntnihu");
    }
}

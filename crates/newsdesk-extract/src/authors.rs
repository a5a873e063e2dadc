//! Cleaning author names: no "By", one name per entry, no site names, no "staff".

use std::sync::LazyLock;

use regex::Regex;

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:written|posted|published|reported|story|recipe|text|texte|words|article|post|veröffentlicht|geschrieben|verfasst|publié|publicado|escrito|(?:view |see )?all (?:posts|articles|stories)|(?:zeige )?alle (?:beiträge|artikel))\s*)?(?:by|von|par|por|di|door|av|autor(?:in|en|/in)?|author(?:\(s\))?|auteur|text|texte|redakteur(?:in)?)(?:\s*[:\-]\s*|\s+|$)")
        .expect("valid regex")
});

/// A prefix glued to the name by the markup ("Veröffentlicht vonKai Brenner", "AuthorJane Doe").
static GLUED_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?i:(?:veröffentlicht|geschrieben|verfasst|posted|written|published)\s+)?(?i:von|by|author|autor|autorin))(\p{Lu}\p{Ll})")
        .expect("valid regex")
});

/// A photo credit, not a byline ("Foto: Ivo Schnitzer").
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:fotos?|photos?|bild(?:er)?|images?|credits?|crédits?)\s*[:©]")
        .expect("valid regex")
});

/// Trailing words that are not part of a name ("Jane Doe said", "Jane Doe Alle Artikel").
static SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s+(?:said|says|sagt|schreibt|wrote|alle artikel|all posts|more articles)\s*:?$",
    )
    .expect("valid regex")
});

static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\boraz\b)\s*")
        .expect("valid regex")
});

/// Words that say "this is not a person".
const NOT_A_PERSON: &[&str] = &[
    "staff",
    "redaktion",
    "editorial",
    "newsroom",
    "admin",
    "team",
    "rédaction",
    "redacción",
    "agencies",
    "agenturen",
];

/// A bio or a sentence, not a byline: three lowercase words in a row ("und lebt in der").
fn is_sentence(entry: &str) -> bool {
    let mut run = 0;
    for word in entry.split_whitespace() {
        if word.chars().next().is_some_and(char::is_lowercase) {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// A list of tags or sections, not of people: three or more parts, at most one of them more
/// than a single word ("CSP; International; Photovoltaik; Speicher").
fn is_term_list(entry: &str) -> bool {
    let parts: Vec<&str> = SPLIT
        .split(entry)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 3 && parts.iter().filter(|p| p.contains(' ')).count() <= 1
}

/// Cleans raw author strings into a list of names (order kept, duplicates dropped).
pub(crate) fn clean(raw: &[String], site_names: &[String]) -> Vec<String> {
    let sites: Vec<String> = site_names
        .iter()
        .map(|s| fold(s))
        .filter(|s| !s.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for entry in raw {
        let entry = newsdesk_text::normalize_whitespace(entry);
        let entry =
            entry.trim_matches(|c: char| c == '-' || c == '|' || c == ',' || c.is_whitespace());
        // "Wilma Pardo @wpardo_x": the social handle goes, the name stays (an e-mail
        // address, with its `@` inside a word, is still refused below).
        let without_handles;
        let entry = if entry.split_whitespace().any(|w| w.starts_with('@'))
            && entry.split_whitespace().any(|w| !w.starts_with('@'))
        {
            without_handles = entry
                .split_whitespace()
                .filter(|w| !w.starts_with('@'))
                .collect::<Vec<_>>()
                .join(" ");
            without_handles.as_str()
        } else {
            entry
        };
        if entry.contains("://")
            || entry.starts_with("www.")
            || entry.contains('@')
            || CREDIT.is_match(entry)
            || is_term_list(entry)
        {
            continue;
        }
        // "Post author: By Jane Doe" carries two prefixes.
        let mut entry = GLUED_PREFIX.replace(entry, "$1 $2").into_owned();
        for _ in 0..3 {
            let stripped = PREFIX.replace(&entry, "").into_owned();
            if stripped == entry {
                break;
            }
            entry = stripped;
        }
        let entry = SUFFIX.replace(&entry, "");
        // After the prefixes: "View all posts by Jane Doe" is a byline, not a sentence.
        if is_sentence(&entry) {
            continue;
        }
        for part in SPLIT.split(&entry) {
            let name = part
                .trim()
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')');
            let name = strip_paren(name);
            if !plausible(name) {
                continue;
            }
            let f = fold(name);
            if sites.contains(&f) || out.iter().any(|o| fold(o) == f) {
                continue;
            }
            let lower = name.to_lowercase();
            if NOT_A_PERSON
                .iter()
                .any(|w| lower.split_whitespace().any(|x| x == *w))
            {
                continue;
            }
            out.push(name.to_owned());
        }
    }
    out
}

fn strip_paren(name: &str) -> &str {
    match name.find(" (") {
        Some(i) if name.ends_with(')') => name[..i].trim(),
        _ => name,
    }
}

fn plausible(name: &str) -> bool {
    let chars = name.chars().count();
    let lower = name.to_lowercase();
    if matches!(
        lower.as_str(),
        "by" | "von"
            | "par"
            | "por"
            | "name"
            | "author"
            | "autor"
            | "admin"
            | "anonymous"
            | "unknown"
    ) {
        return false;
    }
    (2..=60).contains(&chars)
        && name.split_whitespace().count() <= 5
        && name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !name.chars().any(|c| c.is_ascii_digit())
        && !name.contains('@')
        && !name.to_lowercase().contains("email")
        && !name.contains("://")
        && !name.starts_with("www.")
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(raw: &[&str], sites: &[&str]) -> Vec<String> {
        let raw: Vec<String> = raw.iter().map(|s| s.to_string()).collect();
        let sites: Vec<String> = sites.iter().map(|s| s.to_string()).collect();
        clean(&raw, &sites)
    }

    #[test]
    fn glued_prefixes_and_bios() {
        assert_eq!(c(&["Veröffentlicht vonKai Brenner"], &[]), ["Kai Brenner"]);
        assert_eq!(c(&["AuthorAndrea Kiesel"], &[]), ["Andrea Kiesel"]);
        assert_eq!(c(&["Byron Quell"], &[]), ["Byron Quell"]);
        assert!(
            c(
                &["Max Muster schreibt seit 2010 über Kultur und lebt in der Altstadt."],
                &[]
            )
            .is_empty()
        );
    }

    #[test]
    fn prefixes_splits_and_drops() {
        assert_eq!(
            c(&["By Jane Doe and John Smith"], &[]),
            ["Jane Doe", "John Smith"]
        );
        assert_eq!(
            c(&["Par Marie Dupont et Luc Martin"], &[]),
            ["Marie Dupont", "Luc Martin"]
        );
        assert_eq!(
            c(&["Von Max Muster und Erika Mustermann"], &[]),
            ["Max Muster", "Erika Mustermann"]
        );
        assert_eq!(
            c(&["Por Ana García y José Pérez"], &[]),
            ["Ana García", "José Pérez"]
        );
        assert_eq!(
            c(&["Le Monde", "Marie Dupont"], &["Le Monde"]),
            ["Marie Dupont"]
        );
        assert_eq!(
            c(
                &[
                    "Example News Staff",
                    "https://x.org/author/a",
                    "a@b.c",
                    "Jane Doe",
                    "jane doe"
                ],
                &[]
            ),
            ["Jane Doe"]
        );
        assert_eq!(c(&["Text: Anna Beispiel (dpa)"], &[]), ["Anna Beispiel"]);
        assert_eq!(
            c(&["Wilma Pardo @wpardo_x", "@newsdesk"], &[]),
            ["Wilma Pardo"],
            "handles go, a lone handle is no name"
        );
        assert!(c(&["jane.doe@example.org"], &[]).is_empty());
        assert_eq!(c(&["Autor/in: Karola Henning"], &[]), ["Karola Henning"]);
        assert_eq!(
            c(&["View all posts by Dana Lemberg"], &[]),
            ["Dana Lemberg"]
        );
        assert!(c(&["Published by"], &[]).is_empty());
        assert!(
            c(&["Foto: Ivo Schnitzer"], &[]).is_empty(),
            "a photo credit"
        );
        assert!(c(&["S."], &[]).is_empty());
        assert!(
            c(&["CSP, International, Photovoltaik, Solarthermie"], &[]).is_empty(),
            "sections, not people"
        );
        assert_eq!(
            c(&["Clara Lüd, Ravi Anand & Kurt Jakobi"], &[]),
            ["Clara Lüd", "Ravi Anand", "Kurt Jakobi"]
        );
        assert!(c(&["14.03.2026"], &[]).is_empty());
        assert_eq!(
            c(&["Post author By Helmut Farnweg"], &[]),
            ["Helmut Farnweg"]
        );
        assert_eq!(c(&["Veröffentlicht von Kai Brenner"], &[]), ["Kai Brenner"]);
        assert_eq!(
            c(&["Johanna Kropfweg Alle Artikel"], &[]),
            ["Johanna Kropfweg"]
        );
        assert!(c(&["By", "Name"], &[]).is_empty());
    }
}

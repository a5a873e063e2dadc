//! Cleaning titles: cutting the site's name off "Headline | Site" and "Site - Headline".

/// Separators between a headline and a site name, most specific first.
const SEPARATORS: &[&str] = &[
    " | ", " — ", " – ", " :: ", " · ", " • ", " » ", " « ", " - ", " / ", " ‹ ", " › ", " ~ ",
];

/// A headline without the site's name, and the name when one was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CleanTitle {
    /// The headline.
    pub title: String,
    /// The site name cut from it, if any.
    pub site: Option<String>,
}

/// Strips the site's name from `raw`.
///
/// Known `site_names` (og:site_name, JSON-LD publisher) are cut from either end. Otherwise, the
/// page's first `<h1>` wins when the title contains it; else a short end part that looks like a
/// name (at most four words, or matching the host name) is cut.
pub(crate) fn clean(
    raw: &str,
    site_names: &[String],
    h1: Option<&str>,
    host: Option<&str>,
) -> CleanTitle {
    let raw = newsdesk_text::normalize_whitespace(raw);
    for site in site_names.iter().filter(|s| !s.trim().is_empty()) {
        let site = newsdesk_text::normalize_whitespace(site);
        for sep in SEPARATORS.iter().chain([": "].iter()) {
            let lower = raw.to_lowercase();
            let suffix = format!("{sep}{site}").to_lowercase();
            let prefix = format!("{site}{sep}").to_lowercase();
            if lower.ends_with(&suffix)
                && lower.len() > suffix.len()
                && raw.is_char_boundary(raw.len() - suffix.len())
            {
                return done(&raw[..raw.len() - suffix.len()], Some(site));
            }
            if lower.starts_with(&prefix)
                && lower.len() > prefix.len()
                && raw.is_char_boundary(prefix.len())
            {
                return done(&raw[prefix.len()..], Some(site));
            }
        }
    }
    if let Some(h1) = h1.map(newsdesk_text::normalize_whitespace) {
        let (fr, fh) = (fold(&raw), fold(&h1));
        if !fh.is_empty()
            && fr != fh
            && fr.contains(&fh)
            && fh.chars().count() * 10 >= fr.chars().count() * 4
        {
            // What is left around the headline, separators trimmed, is the site's name.
            let rest = raw.replacen(h1.as_str(), "", 1);
            let rest = rest.trim_matches(|c: char| c.is_whitespace() || "|-–—:·•»«/~".contains(c));
            let site = (rest != raw && !rest.is_empty() && rest.split_whitespace().count() <= 5)
                .then(|| rest.to_owned());
            return done(&h1, site);
        }
    }
    let host_label = host.map(host_label).unwrap_or_default();
    for sep in SEPARATORS {
        let parts: Vec<&str> = raw.split(sep).collect();
        if parts.len() < 2 {
            continue;
        }
        let first = parts[0];
        let last = parts[parts.len() - 1];
        let looks_like_site = |p: &str| {
            let f = fold(p);
            (!host_label.is_empty()
                && !f.is_empty()
                && (host_label.contains(&f) || f.contains(&host_label)))
                || p.split_whitespace().count() <= 4 && p.chars().count() <= 40
        };
        let words = |p: &str| p.split_whitespace().count();
        let rest_head = parts[..parts.len() - 1].join(sep);
        if looks_like_site(last) && words(&rest_head) > words(last) {
            return done(&rest_head, Some(last.trim().to_owned()));
        }
        let rest_tail = parts[1..].join(sep);
        if looks_like_site(first) && words(&rest_tail) > words(first) + 2 {
            return done(&rest_tail, Some(first.trim().to_owned()));
        }
        break;
    }
    done(&raw, None)
}

fn done(title: &str, site: Option<String>) -> CleanTitle {
    CleanTitle {
        title: title.trim().to_owned(),
        site,
    }
}

/// Lowercase letters and digits only ("Le Monde" → "lemonde").
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The registrable-looking label of a host: "www.lemonde.fr" → "lemonde".
fn host_label(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let label = match labels.len() {
        0 => "",
        1 => labels[0],
        n if n >= 3 && labels[n - 2].len() <= 3 && labels[n - 1].len() == 2 => labels[n - 3],
        n => labels[n - 2],
    };
    fold(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(
        raw: &str,
        sites: &[&str],
        h1: Option<&str>,
        host: Option<&str>,
    ) -> (String, Option<String>) {
        let sites: Vec<String> = sites.iter().map(|s| s.to_string()).collect();
        let c = clean(raw, &sites, h1, host);
        (c.title, c.site)
    }

    #[test]
    fn known_site_names_are_cut() {
        assert_eq!(
            t(
                "Rain in Paris — RT World News",
                &["RT World News"],
                None,
                None
            )
            .0,
            "Rain in Paris"
        );
        assert_eq!(
            t("Grève à Paris | Le Monde", &["Le Monde"], None, None).0,
            "Grève à Paris"
        );
        assert_eq!(
            t("Le Monde - Grève à Paris", &["le monde"], None, None).0,
            "Grève à Paris"
        );
    }

    #[test]
    fn heuristics_without_site_name() {
        assert_eq!(
            t(
                "Grève à Paris: les transports à l'arrêt | Le Monde",
                &[],
                None,
                Some("www.lemonde.fr")
            ),
            (
                "Grève à Paris: les transports à l'arrêt".into(),
                Some("Le Monde".into())
            )
        );
        assert_eq!(
            t("Kurze Meldung - tagesschau.de", &[], None, None).0,
            "Kurze Meldung"
        );
        assert_eq!(
            t("Covid-19 vaccine approved", &[], None, None).0,
            "Covid-19 vaccine approved"
        );
        assert_eq!(
            t("Brexit - what happens next", &[], None, None).0,
            "Brexit - what happens next"
        );
        assert_eq!(
            t(
                "Main headline here: a subtitle - Section - Paper",
                &[],
                Some("Main headline here: a subtitle"),
                None
            )
            .0,
            "Main headline here: a subtitle"
        );
    }
}

//! A story's coverage distribution: its outlets and articles by country, by typology group
//! (state-controlled, independent, not classified) and by language, and what only
//! state-controlled outlets reported (the whole story, or a country's or a language's share).

use std::collections::{BTreeMap, HashMap, HashSet};

use newsdesk_core::{Source, SourceId, TypologyGroup};
use serde::Serialize;

use crate::profile::ProfileTag;

/// One row of a distribution.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    /// Country code, typology group or language tag (`unknown` when not known).
    pub(crate) key: String,
    /// What to show for it (a country's name; the key otherwise).
    pub(crate) label: String,
    /// Distinct outlets.
    pub(crate) outlets: usize,
    /// Articles.
    pub(crate) articles: usize,
    /// Every outlet of this row is state-controlled.
    pub(crate) only_state_controlled: bool,
}

/// The whole distribution.
#[derive(Serialize, Debug)]
pub(crate) struct Coverage {
    pub(crate) by_country: Vec<Row>,
    pub(crate) by_typology: Vec<Row>,
    pub(crate) by_language: Vec<Row>,
    /// Every outlet that reported the story is state-controlled.
    pub(crate) only_state_controlled: bool,
}

#[derive(Default)]
struct Tally {
    label: String,
    outlets: HashSet<SourceId>,
    articles: usize,
    state: HashSet<SourceId>,
}

fn rows(tallies: BTreeMap<String, Tally>, order: impl Fn(&str) -> usize) -> Vec<Row> {
    let mut rows: Vec<Row> = tallies
        .into_iter()
        .map(|(key, t)| Row {
            only_state_controlled: !t.outlets.is_empty() && t.state.len() == t.outlets.len(),
            outlets: t.outlets.len(),
            articles: t.articles,
            label: if t.label.is_empty() {
                key.clone()
            } else {
                t.label
            },
            key,
        })
        .collect();
    // Most articles first; `order` breaks ties (and fixes the typology groups' order).
    rows.sort_by(|a, b| {
        order(&a.key)
            .cmp(&order(&b.key))
            .then(b.articles.cmp(&a.articles))
            .then(a.key.cmp(&b.key))
    });
    rows
}

/// The distribution of `articles` (each: its source and its language) whose sources are in
/// `sources` (a source missing there counts as unknown and not classified).
pub(crate) fn coverage<'a>(
    articles: impl IntoIterator<Item = (SourceId, Option<&'a str>)>,
    sources: &HashMap<SourceId, Source>,
) -> Coverage {
    let mut by_country: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_typology: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_language: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    for (source, language) in articles {
        let tag = sources
            .get(&source)
            .map(ProfileTag::of)
            .unwrap_or_else(|| ProfileTag::new(None, None));
        let state = tag.state_controlled();
        let country = tag.country.clone().unwrap_or_else(|| "unknown".into());
        let language = language
            .map(str::to_ascii_lowercase)
            .unwrap_or_else(|| "unknown".into());
        let entries = [
            (
                by_country.entry(country),
                tag.country_name.clone().unwrap_or_default(),
            ),
            (by_typology.entry(tag.group.to_owned()), String::new()),
            (by_language.entry(language), String::new()),
        ];
        for (entry, label) in entries {
            let t = entry.or_default();
            t.label = label;
            count(t, source, state);
        }
        count(&mut all, source, state);
    }
    let group_order = |k: &str| {
        TypologyGroup::ALL
            .iter()
            .position(|g| g.as_str() == k)
            .unwrap_or(usize::MAX)
    };
    Coverage {
        only_state_controlled: !all.outlets.is_empty() && all.state.len() == all.outlets.len(),
        by_country: rows(by_country, |k| usize::from(k == "unknown")),
        by_typology: rows(by_typology, group_order),
        by_language: rows(by_language, |k| usize::from(k == "unknown")),
    }
}

fn count(t: &mut Tally, source: SourceId, state: bool) {
    t.outlets.insert(source);
    t.articles += 1;
    if state {
        t.state.insert(source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use newsdesk_core::SourceProfile;

    fn source(id: SourceId, country: Option<&str>, typology: Option<&str>) -> Source {
        Source {
            id,
            feed_url: format!("https://{id}.example/feed"),
            site_url: None,
            name: format!("S{id}"),
            language: None,
            languages: Vec::new(),
            country: country.map(str::to_owned),
            created_at: Utc::now(),
            profile: SourceProfile {
                typology: typology.map(str::to_owned),
                ..Default::default()
            },
        }
    }

    #[test]
    fn counts_outlets_and_articles_and_marks_state_only_shares() {
        let sources: HashMap<SourceId, Source> = [
            source(1, Some("RU"), Some("SC")),
            source(2, Some("RU"), Some("CaPr")),
            source(3, Some("DE"), Some("ISF")),
            source(4, None, None),
        ]
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
        let articles = [
            (1, Some("ru")),
            (1, Some("ru")),
            (2, Some("ru")),
            (3, Some("de")),
            (4, None),
        ];
        let c = coverage(articles, &sources);
        assert!(!c.only_state_controlled);
        let ru = &c.by_country[0];
        assert_eq!((ru.key.as_str(), ru.label.as_str()), ("RU", "Russia"));
        assert_eq!((ru.outlets, ru.articles), (2, 3));
        assert!(ru.only_state_controlled);
        assert_eq!(c.by_country.last().map(|r| r.key.as_str()), Some("unknown"));
        let groups: Vec<(&str, usize, usize)> = c
            .by_typology
            .iter()
            .map(|r| (r.key.as_str(), r.outlets, r.articles))
            .collect();
        assert_eq!(
            groups,
            [
                ("state-controlled", 2, 3),
                ("independent", 1, 1),
                ("not-classified", 1, 1)
            ]
        );
        assert!(c.by_language[0].only_state_controlled);
        assert_eq!(c.by_language[0].key, "ru");
        let only = coverage([(1, Some("ru")), (2, None)], &sources);
        assert!(only.only_state_controlled);
    }
}

//! Source profiles: stored and read back with their provenance, typology codes checked, and
//! lists and searches filtered by country, typology and language.

mod common;

common::on_both_backends!(
    profiles_round_trip_and_codes_are_canonical,
    lists_and_searches_filter_by_country_typology_and_language,
);

use newsdesk_core::{ArticleQuery, Fact, FactOrigin, ProfileFilter, SourceProfile, TypologyFilter};
use newsdesk_store::{SourceUpdate, Store, StoreError};

const BASE: i64 = 1_767_225_600;

fn profiled(store: &Store, feed: &str, country: Option<&str>, typology: Option<&str>) -> i64 {
    let id = common::source(store, feed);
    let mut profile = SourceProfile {
        typology: typology.map(str::to_owned),
        owner: typology.map(|_| "A company".to_owned()),
        ..Default::default()
    };
    profile.facts.insert(
        "typology".into(),
        Fact::new(FactOrigin::Matrix, "State Media Matrix row 1"),
    );
    store
        .update_source(
            id,
            &SourceUpdate {
                country: country.map(str::to_owned),
                profile: Some(profile),
                ..Default::default()
            },
        )
        .expect("profile");
    id
}

fn profiles_round_trip_and_codes_are_canonical(store: Store) {
    let id = profiled(&store, "https://rt.example/feed", Some("RU"), Some("capu?"));
    let s = store.get_source(id).expect("get").expect("exists").source;
    assert_eq!(
        s.profile.typology.as_deref(),
        Some("CaPu?"),
        "uncertainty kept"
    );
    assert_eq!(s.profile.owner.as_deref(), Some("A company"));
    assert_eq!(s.profile.facts["typology"].origin, FactOrigin::Matrix);
    let json = serde_json::to_value(&s).expect("json");
    assert_eq!(json["typology"], "CaPu?");
    assert_eq!(json["facts"]["typology"]["origin"], "matrix");

    let bad = store.update_source(
        id,
        &SourceUpdate {
            profile: Some(SourceProfile {
                typology: Some("independent".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    assert!(matches!(bad, Err(StoreError::InvalidProfile(_))), "{bad:?}");
    let again = store.get_source(id).expect("get").expect("exists").source;
    assert_eq!(
        again.profile.typology.as_deref(),
        Some("CaPu?"),
        "nothing lost"
    );
    // An update without a profile keeps it.
    store
        .update_source(
            id,
            &SourceUpdate {
                name: Some("Renamed".into()),
                ..Default::default()
            },
        )
        .expect("rename");
    let renamed = store.get_source(id).expect("get").expect("exists").source;
    assert_eq!(renamed.profile, again.profile);
}

fn lists_and_searches_filter_by_country_typology_and_language(store: Store) {
    let ru = profiled(&store, "https://ru.example/feed", Some("RU"), Some("SC"));
    let de = profiled(&store, "https://de.example/feed", Some("DE"), Some("ISF"));
    let plain = profiled(&store, "https://plain.example/feed", Some("DE"), None);
    for (i, src) in [ru, de, plain].into_iter().enumerate() {
        let mut a = common::article(src, &format!("a{i}"), BASE + i as i64);
        a.body_text = "Harbour strike".into();
        a.language = Some(if src == ru { "fr" } else { "de" }.into());
        store.insert_article(&a).expect("insert");
    }
    let sources_of = |profile: ProfileFilter| -> Vec<i64> {
        let page = store
            .list_articles(&ArticleQuery {
                profile: profile.clone(),
                ..Default::default()
            })
            .expect("list");
        let mut ids: Vec<i64> = page.items.iter().map(|a| a.source_id).collect();
        ids.sort_unstable();
        let found = store
            .search_filtered("harbour", &profile, 50)
            .expect("search");
        let mut searched: Vec<i64> = found.iter().map(|a| a.source_id).collect();
        searched.sort_unstable();
        assert_eq!(ids, searched, "list and search agree");
        ids
    };
    let group = |g: &str| TypologyFilter::parse(g).expect("filter");
    assert_eq!(
        sources_of(ProfileFilter {
            countries: vec!["de".into()],
            typologies: vec![group("independent")],
            ..Default::default()
        }),
        [de]
    );
    assert_eq!(
        sources_of(ProfileFilter {
            typologies: vec![group("independent"), group("not-classified")],
            ..Default::default()
        }),
        [de, plain],
        "without state-controlled media"
    );
    assert_eq!(
        sources_of(ProfileFilter {
            typologies: vec![group("state-controlled")],
            ..Default::default()
        }),
        [ru]
    );
    assert_eq!(
        sources_of(ProfileFilter {
            typologies: vec![group("not-classified")],
            ..Default::default()
        }),
        [plain]
    );
    assert_eq!(
        sources_of(ProfileFilter {
            languages: vec!["fr".into()],
            ..Default::default()
        }),
        [ru]
    );
    let page = store.list_articles(&ArticleQuery::default()).expect("list");
    let ru_card = page.items.iter().find(|a| a.source_id == ru).expect("ru");
    assert_eq!(ru_card.source_country.as_deref(), Some("RU"));
    assert_eq!(ru_card.source_typology.as_deref(), Some("SC"));
    // Only validated tokens reach SQL.
    let bad = store.list_articles(&ArticleQuery {
        profile: ProfileFilter {
            countries: vec!["R'".into()],
            ..Default::default()
        },
        ..Default::default()
    });
    assert!(matches!(bad, Err(StoreError::InvalidProfile(_))));
    let by_ids = store.sources_by_ids(&[ru, de, 999]).expect("by ids");
    assert_eq!(by_ids.len(), 2);
    assert_eq!(by_ids[&ru].country.as_deref(), Some("RU"));
}

//! The demo's fictional country has a name, not just its user-assigned code.

#[test]
fn the_fictional_country_is_named() {
    let corpus = newsdesk_demo::sample_corpus();
    let names = corpus.country_names();
    assert_eq!(names.get("XV").map(String::as_str), Some("Valdoria"));
    // Every source in a user-assigned code (XA..XZ, QM..QZ, AA, ZZ) is named.
    for s in corpus.sources() {
        let c = s.country.as_str();
        let user_assigned = c == "AA"
            || c == "ZZ"
            || (c.starts_with('X'))
            || (c.starts_with('Q') && c[1..] >= *"M");
        if user_assigned {
            assert!(
                names.contains_key(c),
                "{} ({c}) has no country name",
                s.name
            );
        }
    }
}

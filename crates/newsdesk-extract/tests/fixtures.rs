//! Golden-file tests: every `fixtures/<quirk>.html` is extracted and checked against
//! `fixtures/<quirk>.expected.json` (title, site name, authors, dates, language, image, tags,
//! text that must and must not be in the body, HTML that must and must not be in the body).

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    url: String,
    title: String,
    #[serde(default)]
    site_name: Option<String>,
    authors: Vec<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    declared_language: Option<String>,
    #[serde(default)]
    lead_image: Option<String>,
    #[serde(default)]
    canonical_url: Option<String>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    body_contains: Vec<String>,
    #[serde(default)]
    body_excludes: Vec<String>,
    #[serde(default)]
    html_contains: Vec<String>,
    #[serde(default)]
    html_excludes: Vec<String>,
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

fn check(page: &Path) -> Vec<String> {
    let name = page
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("?")
        .to_owned();
    let expected: Expected = serde_json::from_str(
        &std::fs::read_to_string(page.with_extension("expected.json"))
            .expect("expected.json beside each fixture"),
    )
    .expect("valid expected.json");
    let bytes = std::fs::read(page).expect("fixture");
    let a = match newsdesk_extract::extract(&bytes, &expected.url, None) {
        Ok(a) => a,
        Err(e) => return vec![format!("{name}: error {e}")],
    };
    let mut problems = Vec::new();
    let mut eq = |what: &str, got: String, want: String| {
        if got != want {
            problems.push(format!("{name}: {what}: got {got:?}, want {want:?}"));
        }
    };
    eq(
        "title",
        format!("{:?}", a.title),
        format!("{:?}", Some(&expected.title)),
    );
    eq(
        "authors",
        format!("{:?}", a.authors),
        format!("{:?}", expected.authors),
    );
    if let Some(site) = &expected.site_name {
        eq(
            "site_name",
            format!("{:?}", a.site_name),
            format!("{:?}", Some(site)),
        );
    }
    if let Some(p) = &expected.published {
        eq(
            "published",
            format!("{:?}", a.published.map(|d| d.to_rfc3339())),
            format!("{:?}", Some(p)),
        );
    }
    if let Some(l) = &expected.declared_language {
        eq(
            "declared_language",
            format!("{:?}", a.declared_language),
            format!("{:?}", Some(l)),
        );
    }
    if let Some(i) = &expected.lead_image {
        eq(
            "lead_image",
            format!("{:?}", a.lead_image),
            format!("{:?}", Some(i)),
        );
    }
    if let Some(c) = &expected.canonical_url {
        eq(
            "canonical_url",
            format!("{:?}", a.canonical_url),
            format!("{:?}", Some(c)),
        );
    }
    if let Some(t) = &expected.tags {
        eq("tags", format!("{:?}", a.tags), format!("{t:?}"));
    }
    for want in &expected.body_contains {
        if !a.body_text.contains(want.as_str()) {
            problems.push(format!(
                "{name}: body lacks {want:?}\n--- body:\n{}",
                a.body_text
            ));
        }
    }
    for bad in &expected.body_excludes {
        if a.body_text.contains(bad.as_str()) {
            problems.push(format!(
                "{name}: body contains {bad:?}\n--- body:\n{}",
                a.body_text
            ));
        }
    }
    for want in &expected.html_contains {
        if !a.body_html.contains(want.as_str()) {
            problems.push(format!(
                "{name}: html lacks {want:?}\n--- html:\n{}",
                a.body_html
            ));
        }
    }
    for bad in &expected.html_excludes {
        if a.body_html.to_lowercase().contains(&bad.to_lowercase()) {
            problems.push(format!(
                "{name}: html contains {bad:?}\n--- html:\n{}",
                a.body_html
            ));
        }
    }
    if a.body_text.contains("\n\n\n") || a.body_html.contains("<p></p>") {
        problems.push(format!("{name}: empty paragraphs left behind"));
    }
    problems
}

#[test]
fn every_fixture_matches_its_expectation() {
    let pages = fixtures();
    assert!(pages.len() >= 10, "fixtures missing: {pages:?}");
    let problems: Vec<String> = pages.iter().flat_map(|p| check(p)).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn paragraphs_are_separated_by_blank_lines() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/en-jsonld-graph-author-refs.html");
    let a = newsdesk_extract::extract(
        &std::fs::read(page).expect("fixture"),
        "https://news.example.com/a",
        None,
    )
    .expect("extract");
    let paragraphs: Vec<&str> = a.body_text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 3, "{:?}", a.body_text);
    assert!(
        paragraphs
            .iter()
            .all(|p| !p.trim().is_empty() && !p.contains('\n'))
    );
    assert_eq!(a.body_html.matches("<p>").count(), 3, "{}", a.body_html);
}

/// Hash maps inside the extractor are seeded randomly; the output must not depend on it.
#[test]
fn extraction_is_deterministic() {
    for page in fixtures() {
        let bytes = std::fs::read(&page).unwrap();
        let first = newsdesk_extract::extract(&bytes, "https://example.org/a", None).unwrap();
        for _ in 0..5 {
            let again = newsdesk_extract::extract(&bytes, "https://example.org/a", None).unwrap();
            assert_eq!(again.body_html, first.body_html, "{}", page.display());
            assert_eq!(again.body_text, first.body_text, "{}", page.display());
        }
    }
}

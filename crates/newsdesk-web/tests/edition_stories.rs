//! Editions complete, over the real server: `/{lang}/stories` and `/{lang}/stories/{id}` with
//! titles in the edition's language (falling back to the original, with its `lang`), links
//! that stay inside the edition, edition article pages linking their edition story, the
//! provenance line and relative times in the edition's language; every page of a German
//! edition free of English interface words; and the translations in the JSON API
//! (`/api/v1/articles/{id}`, `?edition=` on the article and story lists and `/stories/{id}`).

mod common;

use chrono::{Duration, Utc};
use common::{Backend, attrs, check_html5, client, get, texts};
use newsdesk_core::{ContentOrigin, NewArticle, NewSource};
use newsdesk_store::{
    ArticleTranslation, LinkEvidence, NewLink, NewPlacement, Store, TranslationStatus,
};
use newsdesk_web::{AppState, EditionConfig, Editions, WebConfig};
use serde_json::Value;
use tokio::sync::oneshot;

/// A running server with editions; stops when dropped.
struct Server {
    base: String,
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// The fixture's article ids.
struct Ids {
    /// Spanish original of story 12 (its title is the story's title).
    es: i64,
    /// French translated copy of `es`, two hours later.
    fr_copy: i64,
    /// German report of story 12, three hours after `es`.
    de: i64,
    /// Story 7: a French and a German article.
    budget_fr: i64,
    budget_de: i64,
}

/// The story ids.
const LUMEN: i64 = 12;
/// The story engine counts from 0: story 0 is a story like any other.
const BUDGET: i64 = 0;

fn new_article(
    source: i64,
    lang: &str,
    i: usize,
    title: &str,
    at: chrono::DateTime<Utc>,
) -> NewArticle {
    NewArticle {
        source_id: source,
        entry_key: format!("e{i}"),
        url: format!("https://{lang}.zeitung.example/{i}"),
        canonical_url: None,
        title: title.into(),
        authors: vec!["Ada Lovelace".into()],
        published_at: Some(at),
        modified_at: None,
        fetched_at: at + Duration::seconds(30),
        lead_image: None,
        language: Some(lang.into()),
        summary: Some(format!("{title} …")),
        body_html: format!("<p>{title}.</p><p>Zweiter Absatz {i}.</p>"),
        body_text: format!("{title}.\n\nZweiter Absatz {i}."),
        tags: vec!["wissenschaft".into()],
        origin: ContentOrigin::Page,
    }
}

fn translation(
    id: i64,
    into: &str,
    from: &str,
    title: &str,
    body: Option<&str>,
) -> ArticleTranslation {
    ArticleTranslation {
        article_id: id,
        language: into.into(),
        source_language: from.into(),
        status: TranslationStatus::Translated,
        title: Some(title.into()),
        lead: Some(format!("{title} …")),
        body_text: body.map(str::to_string),
        route: format!("{from} →{into} [apertium]"),
        backends: vec!["apertium".into()],
        machine: true,
        kept_segments: 0,
        note: None,
        translated_at: Utc::now(),
    }
}

fn placement(article: i64, story: i64, title: &str, link: Option<NewLink>) -> NewPlacement {
    NewPlacement {
        article,
        story,
        similarity: 0.6,
        link,
        merged: vec![],
        moved: vec![],
        titles: vec![(story, title.to_owned())],
    }
}

/// Sources, articles, two stories, a provenance link and translations into `de` and `fr`;
/// no English anywhere in the data (so the German pages can be checked for English words).
fn fill(store: &Store) -> Ids {
    let add = |name: &str, lang: &str, country: &str| {
        store
            .add_source(&NewSource {
                feed_url: format!("https://{lang}.zeitung.example/feed.xml"),
                site_url: Some(format!("https://{lang}.zeitung.example/")),
                name: Some(name.into()),
                language: Some(lang.into()),
                country: Some(country.into()),
            })
            .expect("edition stories test")
            .id
    };
    let (es, fr, de) = (
        add("Diario Ficticio", "es", "ES"),
        add("Le Quotidien Fictif", "fr", "FR"),
        add("Beispiel Zeitung", "de", "DE"),
    );
    let t0 = Utc::now() - Duration::hours(6);
    let articles = [
        new_article(es, "es", 1, "La sonda Lumen sobrevive al cometa", t0),
        new_article(
            fr,
            "fr",
            2,
            "La sonde Lumen survit à la comète",
            t0 + Duration::hours(2),
        ),
        new_article(
            de,
            "de",
            3,
            "Sonde Lumen übersteht den Kometen",
            t0 + Duration::hours(3),
        ),
        new_article(
            fr,
            "fr",
            4,
            "Le conseil vote le budget",
            t0 - Duration::days(3),
        ),
        new_article(
            de,
            "de",
            5,
            "Stadtrat beschließt den Haushalt",
            t0 - Duration::days(2),
        ),
    ];
    let ids: Vec<i64> = store
        .insert_articles(&articles)
        .expect("edition stories test")
        .into_iter()
        .map(|id| id.expect("edition stories test"))
        .collect();
    let ids = Ids {
        es: ids[0],
        fr_copy: ids[1],
        de: ids[2],
        budget_fr: ids[3],
        budget_de: ids[4],
    };
    let link = NewLink {
        kind: "translated_copy".into(),
        original: ids.es,
        matched: ids.es,
        confidence: 0.97,
        evidence: vec![
            LinkEvidence {
                signal: "names".into(),
                detail: "lumen, hesper".into(),
            },
            LinkEvidence {
                signal: "paragraph_structure".into(),
                detail: "2 / 2".into(),
            },
        ],
    };
    let lumen = "La sonda Lumen sobrevive al cometa";
    let budget = "Stadtrat beschließt den Haushalt";
    store
        .record_placements(
            &[
                placement(ids.budget_fr, BUDGET, budget, None),
                placement(ids.budget_de, BUDGET, budget, None),
                placement(ids.es, LUMEN, lumen, None),
                placement(ids.fr_copy, LUMEN, lumen, Some(link)),
                placement(ids.de, LUMEN, lumen, None),
            ],
            0,
            ids.budget_de.max(ids.de),
            b"{}",
        )
        .expect("edition stories test");
    for t in [
        translation(
            ids.es,
            "de",
            "es",
            "Sonde Lumen überlebt den Kometen",
            Some("Übersetzter Absatz."),
        ),
        translation(
            ids.fr_copy,
            "de",
            "fr",
            "Die Sonde Lumen überlebt den Kometen",
            None,
        ),
        // A human translation, by the newsroom.
        ArticleTranslation {
            machine: false,
            backends: vec!["Redaktion".into()],
            route: "fr →de [Redaktion]".into(),
            ..translation(
                ids.budget_fr,
                "de",
                "fr",
                "Der Rat stimmt über den Haushalt ab",
                Some("Der Rat stimmt ab."),
            )
        },
        translation(
            ids.es,
            "fr",
            "es",
            "La sonde Lumen survit au passage de la comète",
            None,
        ),
    ] {
        store.save_translation(&t).expect("edition stories test");
    }
    ids
}

async fn start(backend: Backend) -> (Server, Ids) {
    let dir = tempfile::tempdir().expect("edition stories test");
    let store = backend.open(dir.path(), "edition_stories");
    let ids = fill(&store);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("edition stories test");
    let base = format!(
        "http://{}",
        listener.local_addr().expect("edition stories test")
    );
    let (tx, rx) = oneshot::channel::<()>();
    let config = WebConfig {
        cache_ttl_ms: 0,
        sample_data: true,
        ..WebConfig::default()
    };
    let editions = vec![
        EditionConfig::new("fr"),
        EditionConfig::new("de"),
        EditionConfig::new("es"),
    ];
    tokio::spawn(newsdesk_web::serve_with_editions(
        listener,
        AppState::new(store, config),
        Editions::new(editions),
        async move {
            let _ = rx.await;
        },
    ));
    let server = Server {
        base,
        _dir: dir,
        stop: Some(tx),
    };
    (server, ids)
}

async fn edition_story_pages_show_titles_in_the_edition_language_and_stay_inside_it(
    backend: Backend,
) {
    let (server, ids) = start(backend).await;
    let c = client();

    // The list: each story under the title of its own French article (no machine
    // translation where a French original exists; issue 15).
    let (status, _, body) = get(&c, &server.url("/fr/stories")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "fr");
    assert_eq!(texts(&doc, "h1"), ["Sujets"]);
    assert_eq!(
        texts(&doc, ".stories .card-title"),
        [
            "La sonde Lumen survit à la comète",
            "Le conseil vote le budget"
        ]
    );
    assert!(texts(&doc, ".stories .machine-title").is_empty());
    assert_eq!(attrs(&doc, ".stories .card-title", "lang"), ["fr", "fr"]);
    assert_eq!(
        attrs(&doc, ".stories .card-title a", "href"),
        [
            format!("/fr/stories/{LUMEN}"),
            format!("/fr/stories/{BUDGET}")
        ]
    );
    let meta = texts(&doc, ".stories .meta");
    assert!(meta[0].starts_with("3 articles de 3 médias"), "{meta:?}");
    assert!(
        meta[0].contains("il y a 3 h"),
        "French relative time: {meta:?}"
    );
    assert!(
        meta[1].contains("il y a 2 jours") || meta[1].contains("il y a 3 jours"),
        "{meta:?}"
    );
    // The edition navigation leads to the edition's stories; the switcher to the others'.
    assert!(attrs(&doc, "header nav a", "href").contains(&"/fr/stories".to_string()));
    assert_eq!(
        attrs(&doc, ".language-switcher a", "href"),
        ["/stories", "/fr/stories", "/de/stories", "/es/stories"]
    );
    let (_, _, body) = get(&c, &server.url("/fr/stories?sort=newest")).await;
    let doc = check_html5(&body, "fr");
    assert_eq!(attrs(&doc, ".story-sort a", "href"), ["/fr/stories"]);
    assert_eq!(texts(&doc, ".story-sort strong"), ["Les plus récents"]);

    // One story: titles translated where a translation exists, links inside the edition.
    let (status, _, body) = get(&c, &server.url(&format!("/fr/stories/{LUMEN}"))).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "fr");
    assert_eq!(texts(&doc, "h1"), ["La sonde Lumen survit à la comète"]);
    assert_eq!(attrs(&doc, "h1", "lang"), ["fr"]);
    let timeline = texts(&doc, ".story-timeline li a[lang]");
    assert_eq!(
        timeline,
        [
            "La sonde Lumen survit au passage de la comète",
            "La sonde Lumen survit à la comète",
            "Sonde Lumen übersteht den Kometen",
        ]
    );
    assert_eq!(
        attrs(&doc, ".story-timeline li a[lang]", "lang"),
        ["fr", "fr", "de"]
    );
    let hrefs = attrs(&doc, "main a", "href");
    assert!(
        hrefs
            .iter()
            .filter(|h| !h.starts_with("/api/"))
            .all(|h| h.starts_with("/fr/")),
        "links stay in the edition: {hrefs:?}"
    );
    assert!(hrefs.contains(&format!("/api/v1/stories/{LUMEN}?edition=fr")));
    assert_eq!(texts(&doc, "#outlets-h"), ["Médias"]);
    let outlets = texts(&doc, ".story-outlets li");
    assert!(
        outlets[0].starts_with("Diario Ficticio") && outlets[0].contains("premier à en parler"),
        "{outlets:?}"
    );
    assert!(outlets[1].contains("copies uniquement"), "{outlets:?}");
    let copies = texts(&doc, ".story-copies li");
    assert_eq!(copies.len(), 1);
    assert!(
        copies[0].contains("Copie traduite de La sonde Lumen survit au passage de la comète"),
        "{copies:?}"
    );
    assert!(texts(&doc, ".story-timeline .relative")[0].contains("il y a 6 h"));

    // The edition's article page links the edition's story page under the translated title,
    // and the provenance line reads in French.
    let (_, _, body) = get(&c, &server.url(&format!("/fr/articles/{}", ids.fr_copy))).await;
    let doc = check_html5(&body, "fr");
    let story = texts(&doc, ".story-link");
    assert_eq!(
        story,
        ["Fait partie du sujet La sonde Lumen survit à la comète (3 articles de 3 médias)"]
    );
    assert_eq!(
        attrs(&doc, ".story-link a", "href"),
        [format!("/fr/stories/{LUMEN}")]
    );
    let note = texts(&doc, ".provenance > p").join(" ");
    assert_eq!(
        note,
        "Copie traduite de La sonde Lumen survit au passage de la comète, publié par Diario Ficticio 2 h plus tôt · confiance 97 %"
    );
    assert_eq!(
        attrs(&doc, ".provenance a", "href"),
        [format!("/fr/articles/{}", ids.es)]
    );
    assert_eq!(
        texts(&doc, ".provenance li strong"),
        ["noms", "structure des paragraphes"]
    );
    // The original's page in French lists its copy, later.
    let (_, _, body) = get(&c, &server.url(&format!("/fr/articles/{}", ids.es))).await;
    let doc = check_html5(&body, "fr");
    let copies = texts(&doc, ".copies li");
    assert_eq!(copies.len(), 1);
    assert!(
        copies[0].contains("2 h plus tard") && copies[0].contains("copie traduite"),
        "{copies:?}"
    );
    assert_eq!(texts(&doc, ".copies > p"), ["Copié par :"]);

    // The plain site is unchanged: English, original titles, plain links.
    let (_, _, body) = get(&c, &server.url(&format!("/stories/{LUMEN}"))).await;
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "h1"), ["La sonda Lumen sobrevive al cometa"]);
    assert_eq!(attrs(&doc, "h1", "lang"), ["es"]);
    assert_eq!(texts(&doc, "#timeline-h"), ["Timeline"]);
    assert!(
        attrs(&doc, "main a", "href")
            .iter()
            .all(|h| !h.starts_with("/fr/"))
    );
    assert_eq!(
        attrs(&doc, ".language-switcher a", "href"),
        [
            format!("/stories/{LUMEN}"),
            format!("/fr/stories/{LUMEN}"),
            format!("/de/stories/{LUMEN}"),
            format!("/es/stories/{LUMEN}")
        ]
    );

    // Unknown editions and stories are 404; a malformed id is 400.
    for (path, want) in [
        ("/it/stories".to_string(), 404),
        (format!("/it/stories/{LUMEN}"), 404),
        ("/fr/stories/999".to_string(), 404),
        ("/fr/stories/x".to_string(), 400),
        ("/fr/stories?sort=up".to_string(), 400),
    ] {
        let (status, _, _) = get(&c, &server.url(&path)).await;
        assert_eq!(status, want, "{path}");
    }
}

/// English interface words and phrases that must not appear on a German edition's pages (the
/// fixture's data holds none of them).
const ENGLISH_UI: &[&str] = &[
    "Latest",
    "Stories",
    "Sources",
    "Search",
    "Editions",
    "Skip to content",
    "Sample data",
    "fictional",
    "Published",
    "Fetched",
    "publication time",
    "Source:",
    "read the original",
    "Original article",
    "Original text",
    "Translated",
    "translated",
    "machine translation",
    "Translation only",
    "Both side by side",
    "Route",
    "Language",
    "Tags",
    "By",
    "ago",
    "just now",
    "min ago",
    "hours",
    "days",
    "day",
    "published by",
    "earlier",
    "later",
    "confidence",
    "Evidence",
    "Provenance",
    "names",
    "paragraph structure",
    "Part of the story",
    "articles",
    "article",
    "outlets",
    "outlet",
    "from",
    "Copied by",
    "Copies",
    "Copy of",
    "copy",
    "Biggest",
    "Newest",
    "Outlets",
    "first to report",
    "copies only",
    "By language and country",
    "Timeline",
    "first",
    "latest",
    "No stories",
    "Older",
    "Newest",
    "Pages",
    "Country",
    "Last fetch",
    "Articles",
    "never",
    "failed",
    "Feed:",
    "Back to",
    "the",
    "of",
    "and",
    "with",
];

/// Whether `text` contains `word` as a whole word (or phrase).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Everything a reader sees or hears on a page: the body's text (not the site's script), and
/// the `aria-label`, `title` and `alt` attributes.
fn visible_text(body: &str) -> String {
    let doc = scraper::Html::parse_document(common::without_site_scripts(body));
    let mut out = texts(&doc, "body").join(" ");
    for attr in ["aria-label", "title", "alt"] {
        out.push(' ');
        out.push_str(&attrs(&doc, &format!("body [{attr}]"), attr).join(" "));
    }
    out
}

async fn every_german_edition_page_is_free_of_english_interface_words(backend: Backend) {
    let (server, ids) = start(backend).await;
    let c = client();
    let pages = [
        "/de/".to_string(),
        format!("/de/articles/{}", ids.es),
        format!("/de/articles/{}?show=both", ids.es),
        format!("/de/articles/{}?show=original", ids.es),
        format!("/de/articles/{}", ids.fr_copy),
        format!("/de/articles/{}", ids.de),
        format!("/de/articles/{}", ids.budget_fr),
        "/de/sources/1".to_string(),
        "/de/sources/3".to_string(),
        "/de/stories".to_string(),
        "/de/stories?sort=newest".to_string(),
        format!("/de/stories/{LUMEN}"),
        format!("/de/stories/{BUDGET}"),
        "/de/sources".to_string(),
        "/de/search".to_string(),
        "/de/search?q=Lumen".to_string(),
    ];
    for path in &pages {
        let (status, _, body) = get(&c, &server.url(path)).await;
        assert_eq!(status, 200, "{path}");
        check_html5(&body, "de");
        let text = visible_text(&body);
        let english: Vec<&&str> = ENGLISH_UI.iter().filter(|w| has_word(&text, w)).collect();
        assert!(
            english.is_empty(),
            "{path}: English interface words {english:?} in:\n{text}"
        );
    }
    // The check does find English: the plain site's story page fails it.
    let (_, _, body) = get(&c, &server.url(&format!("/stories/{LUMEN}"))).await;
    let text = visible_text(&body);
    assert!(has_word(&text, "Timeline") && has_word(&text, "first to report"));
    // German pages do say things, in German: plural rules and relative times included.
    let (_, _, body) = get(&c, &server.url(&format!("/de/stories/{LUMEN}"))).await;
    let doc = check_html5(&body, "de");
    // The story has a German article: its title, not a machine translation.
    assert_eq!(texts(&doc, "h1"), ["Sonde Lumen übersteht den Kometen"]);
    assert!(texts(&doc, ".meta")[0].starts_with("3 Artikel aus 3 Medien"));
    assert!(texts(&doc, ".story-outlets li")[0].contains("zuerst vor 6 Std."));
    // A machine translation says so; a human one does not.
    let (_, _, body) = get(&c, &server.url(&format!("/de/articles/{}", ids.es))).await;
    let doc = check_html5(&body, "de");
    assert_eq!(
        texts(&doc, ".translation-from"),
        ["Aus dem Spanischen übersetzt von Apertium (maschinelle Übersetzung)."]
    );
    let (_, _, body) = get(&c, &server.url(&format!("/de/articles/{}", ids.budget_fr))).await;
    let doc = check_html5(&body, "de");
    assert_eq!(
        texts(&doc, ".translation-from"),
        ["Aus dem Französischen übersetzt von Redaktion."]
    );
    let (_, _, body) = get(&c, &server.url(&format!("/de/articles/{}", ids.fr_copy))).await;
    let doc = check_html5(&body, "de");
    assert_eq!(
        texts(&doc, ".provenance > p").join(" "),
        "Übersetzte Kopie von Sonde Lumen überlebt den Kometen, veröffentlicht von Diario Ficticio 2 Std. früher · Sicherheit 97 %"
    );
}

async fn json(c: &reqwest::Client, url: &str) -> (u16, Value) {
    let (status, _, body) = get(c, url).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

async fn the_api_gives_translations_and_titles_in_an_edition_language(backend: Backend) {
    let (server, ids) = start(backend).await;
    let c = client();

    // One article: every stored translation, by language; the original untouched.
    let (status, a) = json(&c, &server.url(&format!("/api/v1/articles/{}", ids.es))).await;
    assert_eq!(status, 200);
    assert_eq!(a["title"], "La sonda Lumen sobrevive al cometa");
    let t = a["translations"].as_array().expect("translations");
    assert_eq!(t.len(), 2);
    assert_eq!(t[0]["lang"], "de");
    assert_eq!(t[0]["title"], "Sonde Lumen überlebt den Kometen");
    assert_eq!(t[0]["lead"], "Sonde Lumen überlebt den Kometen …");
    assert_eq!(t[0]["body_available"], true);
    assert_eq!(t[0]["backend"], "apertium");
    assert_eq!(t[0]["route"], "es →de [apertium]");
    assert_eq!(t[0]["machine"], true);
    assert_eq!(t[0]["status"], "translated");
    assert!(
        t[0]["translated_at"]
            .as_str()
            .is_some_and(|s| s.contains('T'))
    );
    assert_eq!(t[1]["lang"], "fr");
    assert_eq!(t[1]["body_available"], false);
    let (_, a) = json(&c, &server.url(&format!("/api/v1/articles/{}", ids.de))).await;
    assert_eq!(a["translations"], Value::Array(vec![]));
    let (_, a) = json(
        &c,
        &server.url(&format!("/api/v1/articles/{}", ids.budget_fr)),
    )
    .await;
    let human = &a["translations"][0];
    assert_eq!(
        (human["machine"].as_bool(), human["backend"].as_str()),
        (Some(false), Some("Redaktion"))
    );
    assert_eq!(human["body_available"], true);

    // The list in an edition's language.
    let (status, list) = json(&c, &server.url("/api/v1/articles?edition=fr&limit=50")).await;
    assert_eq!(status, 200);
    let items = list["items"].as_array().expect("items");
    let find = |id: i64| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .expect("listed")
            .clone()
    };
    let es = find(ids.es);
    assert_eq!(es["title"], "La sonde Lumen survit au passage de la comète");
    assert_eq!(
        es["lead"],
        "La sonde Lumen survit au passage de la comète …"
    );
    assert_eq!(es["original_title"], "La sonda Lumen sobrevive al cometa");
    assert_eq!(es["original_lang"], "es");
    assert_eq!(es["language"], "fr");
    assert_eq!(es["translated"], true);
    let de = find(ids.de);
    assert_eq!(de["title"], "Sonde Lumen übersteht den Kometen");
    assert_eq!(de["original_lang"], "de");
    assert_eq!(de["language"], "de");
    assert_eq!(de["translated"], false);
    assert!(de.get("original_title").is_none());
    let fr = find(ids.fr_copy);
    assert_eq!(
        (fr["original_lang"].as_str(), fr["translated"].as_bool()),
        (Some("fr"), Some(false))
    );
    // Without `edition`, nothing changes; `lang` still filters by the article's language.
    let (_, plain) = json(&c, &server.url("/api/v1/articles")).await;
    let first = &plain["items"][0];
    assert!(first.get("original_lang").is_none() && first.get("translated").is_none());
    let (_, filtered) = json(&c, &server.url("/api/v1/articles?lang=es&edition=de")).await;
    let items = filtered["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["title"], "Sonde Lumen überlebt den Kometen");
    let (status, err) = json(&c, &server.url("/api/v1/articles?edition=f1")).await;
    assert_eq!(status, 400);
    assert!(
        err["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("edition")),
        "{err}"
    );

    // Stories: titles in the edition's language, with the original and the title's language.
    let (status, list) = json(&c, &server.url("/api/v1/stories?edition=fr")).await;
    assert_eq!(status, 200);
    let items = list["items"].as_array().expect("items");
    assert_eq!(items[0]["id"], LUMEN);
    assert_eq!(items[0]["title"], "La sonde Lumen survit à la comète");
    assert_eq!(items[0]["title_machine_translated"], false);
    assert_eq!(
        items[0]["original_title"],
        "La sonda Lumen sobrevive al cometa"
    );
    assert_eq!(items[0]["title_lang"], "fr");
    assert_eq!(items[1]["title"], "Le conseil vote le budget");
    assert_eq!(items[1]["title_lang"], "fr");
    assert_eq!(
        items[1]["original_title"],
        "Stadtrat beschließt den Haushalt"
    );
    let (_, plain) = json(&c, &server.url("/api/v1/stories")).await;
    assert_eq!(
        plain["items"][0]["title"],
        "La sonda Lumen sobrevive al cometa"
    );
    assert!(plain["items"][0].get("title_lang").is_none());

    let (status, story) = json(&c, &server.url(&format!("/api/v1/stories/{LUMEN}?lang=de"))).await;
    assert_eq!(status, 200);
    assert_eq!(story["title"], "Sonde Lumen übersteht den Kometen");
    let titles: Vec<&str> = story["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["title"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        titles,
        [
            "Sonde Lumen überlebt den Kometen",
            "Die Sonde Lumen überlebt den Kometen",
            "Sonde Lumen übersteht den Kometen"
        ]
    );
    assert_eq!(
        story["articles"][1]["original_title"],
        "La sonde Lumen survit à la comète"
    );
    assert_eq!(story["articles"][2]["title_lang"], "de");
    let (_, same) = json(
        &c,
        &server.url(&format!("/api/v1/stories/{LUMEN}?edition=de")),
    )
    .await;
    assert_eq!(same, story, "`lang` is an alias of `edition`");
    for bad in [
        format!("/api/v1/stories/{LUMEN}?lang=fr&edition=de"),
        format!("/api/v1/stories/{LUMEN}?colour=red"),
        "/api/v1/stories?edition=12".to_string(),
    ] {
        let (status, err) = json(&c, &server.url(&bad)).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(err["error"]["code"], "bad_request", "{bad}");
    }
}

async fn the_edition_navigation_stays_in_the_edition_and_its_errors_speak_its_language(
    backend: Backend,
) {
    let (server, ids) = start(backend).await;
    let c = client();
    let (_, _, body) = get(&c, &server.url("/de/")).await;
    let doc = check_html5(&body, "de");
    assert_eq!(
        attrs(&doc, "header nav a", "href"),
        [
            "/de/",
            "/de/stories",
            "/de/sources",
            "/de/search",
            "/de/feed.atom"
        ]
    );
    // The edition's sources page links the edition's source pages.
    let (status, _, body) = get(&c, &server.url("/de/sources")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "de");
    assert_eq!(texts(&doc, "h1"), ["Quellen"]);
    let links = attrs(&doc, ".sources h2 a", "href");
    assert_eq!(links.len(), 3);
    assert!(
        links.iter().all(|h| h.starts_with("/de/sources/")),
        "{links:?}"
    );
    assert_eq!(
        attrs(&doc, ".language-switcher a", "href"),
        ["/sources", "/fr/sources", "/de/sources", "/es/sources"]
    );
    // The edition's search shows results under their German titles and searches in place.
    let (status, _, body) = get(&c, &server.url("/de/search?q=Lumen")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "de");
    assert_eq!(attrs(&doc, "form.search-form", "action"), ["/de/search"]);
    let titles = texts(&doc, ".cards .card-title");
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(
        titles.contains(&"Sonde Lumen überlebt den Kometen".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Sonde Lumen übersteht den Kometen".to_string()),
        "{titles:?}"
    );
    let hrefs = attrs(&doc, ".cards .card-title a", "href");
    assert!(
        hrefs.contains(&format!("/de/articles/{}", ids.es)),
        "{hrefs:?}"
    );
    // It finds articles by the words of their German translation ("überlebt" is in no
    // original): the Spanish article and the French copy; the site's own search does not.
    let (status, _, body) = get(&c, &server.url("/de/search?q=%C3%BCberlebt")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "de");
    let mut hrefs = attrs(&doc, ".cards .card-title a", "href");
    hrefs.sort();
    let mut expected = vec![
        format!("/de/articles/{}", ids.es),
        format!("/de/articles/{}", ids.fr_copy),
    ];
    expected.sort();
    assert_eq!(hrefs, expected);
    let (_, _, body) = get(&c, &server.url("/de/search?q=%C3%9Cbersetzter+Absatz")).await;
    let doc = check_html5(&body, "de");
    assert_eq!(
        attrs(&doc, ".cards .card-title a", "href"),
        [format!("/de/articles/{}", ids.es)],
        "the translated body is searched too"
    );
    let (_, _, body) = get(&c, &server.url("/fr/search?q=%C3%BCberlebt")).await;
    let doc = check_html5(&body, "fr");
    assert!(
        texts(&doc, ".cards .card-title").is_empty(),
        "not the French edition"
    );
    let (status, _, body) = get(&c, &server.url("/search?q=%C3%BCberlebt")).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert!(
        attrs(&doc, ".cards .card-title a", "href").is_empty(),
        "the site's search looks at originals only"
    );
    let (_, _, body) = get(&c, &server.url("/search?q=sobrevive")).await;
    let doc = check_html5(&body, "en");
    assert_eq!(
        attrs(&doc, ".cards .card-title a", "href"),
        [format!("/articles/{}", ids.es)]
    );

    // Errors inside an edition: its language, its chrome; the detail is marked as English.
    let (status, _, body) = get(&c, &server.url("/de/stories/999")).await;
    assert_eq!(status, 404);
    let doc = check_html5(&body, "de");
    assert_eq!(texts(&doc, "h1"), ["404 Seite nicht gefunden"]);
    assert_eq!(attrs(&doc, ".error-text", "lang"), ["en"]);
    assert_eq!(attrs(&doc, "main a", "href"), ["/de/"]);
    let (status, _, body) = get(&c, &server.url("/fr/articles/x")).await;
    assert_eq!(status, 400);
    let doc = check_html5(&body, "fr");
    assert_eq!(texts(&doc, "h1"), ["400 Requête invalide"]);
    assert_eq!(
        attrs(&doc, ".language-switcher a", "href"),
        [
            "/articles/x",
            "/fr/articles/x",
            "/de/articles/x",
            "/es/articles/x"
        ]
    );
    // The plain site's errors stay as they were; so do unknown editions'.
    for path in ["/stories/999", "/it/stories"] {
        let (status, _, body) = get(&c, &server.url(path)).await;
        assert_eq!(status, 404, "{path}");
        let doc = check_html5(&body, "en");
        assert_eq!(texts(&doc, "h1"), ["404 Not Found"], "{path}");
    }
}

async fn edition_feeds_name_human_translations_as_such(backend: Backend) {
    let (server, _) = start(backend).await;
    let c = client();
    let (status, _, body) = get(&c, &server.url("/de/feed.json")).await;
    assert_eq!(status, 200);
    let feed: Value = serde_json::from_str(&body).expect("JSON Feed");
    let items = feed["items"].as_array().expect("items");
    let content = |title: &str| {
        items
            .iter()
            .find(|i| i["title"] == title)
            .and_then(|i| i["content_html"].as_str())
            .unwrap_or_else(|| panic!("no item {title:?}"))
            .to_string()
    };
    let human = content("Der Rat stimmt über den Haushalt ab");
    assert!(
        human.contains("Aus dem Französischen übersetzt von Redaktion."),
        "{human}"
    );
    assert!(!human.contains("maschinelle"), "{human}");
    let machine = content("Sonde Lumen überlebt den Kometen");
    assert!(
        machine.contains("übersetzt von Apertium (maschinelle Übersetzung)."),
        "{machine}"
    );
}

common::on_both_backends!(
    edition_story_pages_show_titles_in_the_edition_language_and_stay_inside_it,
    every_german_edition_page_is_free_of_english_interface_words,
    the_api_gives_translations_and_titles_in_an_edition_language,
    the_edition_navigation_stays_in_the_edition_and_its_errors_speak_its_language,
    edition_feeds_name_human_translations_as_such,
);

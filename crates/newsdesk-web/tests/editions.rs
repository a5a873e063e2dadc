//! Editions over the real server: `/` redirects by Accept-Language, `/{lang}/` pages show the
//! stored translations with a notice in the edition's language, a link to the original and a
//! toggle that works without JavaScript; untranslated articles say so; everything is escaped.

mod common;

use chrono::Utc;
use common::{Backend, attrs, check_html5, client, fill, get, texts};
use newsdesk_store::{ArticleTranslation, Store, TranslationStatus};
use newsdesk_web::{AppState, EditionConfig, Editions, WebConfig};
use tokio::sync::oneshot;

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

/// Ids of the fixture articles used below: (an English one, a German one, a French one).
struct Ids {
    en: i64,
    de: i64,
    fr: i64,
}

fn translated(id: i64, title: &str, body: Option<&str>) -> ArticleTranslation {
    ArticleTranslation {
        article_id: id,
        language: "fr".into(),
        source_language: "en".into(),
        status: TranslationStatus::Translated,
        title: Some(title.into()),
        lead: Some("Chapeau traduit.".into()),
        body_text: body.map(str::to_string),
        route: "en →es [apertium] →fr [apertium]".into(),
        backends: vec!["apertium".into()],
        machine: true,
        kept_segments: 0,
        note: None,
        translated_at: Utc::now(),
    }
}

async fn start(backend: Backend, editions: Vec<EditionConfig>) -> (Server, Ids, Store) {
    let dir = tempfile::tempdir().expect("editions test");
    let store = backend.open(dir.path(), "editions");
    fill(&store);
    let page = store
        .list_articles(&newsdesk_core::ArticleQuery {
            limit: 10,
            ..Default::default()
        })
        .expect("editions test");
    let find = |lang: &str| {
        page.items
            .iter()
            .find(|a| a.language.as_deref() == Some(lang))
            .expect("editions test")
            .id
    };
    let ids = Ids {
        en: find("en"),
        de: find("de"),
        fr: find("fr"),
    };
    store
        .save_translation(&translated(
            ids.en,
            "Le conseil <approuve> le budget",
            Some("Corps traduit, premier paragraphe.\nDeuxième paragraphe <script>x</script>."),
        ))
        .expect("editions test");
    store
        .save_translation(&ArticleTranslation {
            source_language: "de".into(),
            status: TranslationStatus::Untranslated,
            title: None,
            lead: None,
            body_text: None,
            route: String::new(),
            backends: vec![],
            note: Some("no route from de to fr".into()),
            ..translated(ids.de, "", None)
        })
        .expect("editions test");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("editions test");
    let base = format!("http://{}", listener.local_addr().expect("editions test"));
    let (tx, rx) = oneshot::channel::<()>();
    let config = WebConfig {
        cache_ttl_ms: 0,
        sample_data: true,
        ..WebConfig::default()
    };
    let state = AppState::new(store.clone(), config);
    tokio::spawn(newsdesk_web::serve_with_editions(
        listener,
        state,
        Editions::new(editions),
        async move {
            let _ = rx.await;
        },
    ));
    (
        Server {
            base,
            _dir: dir,
            stop: Some(tx),
        },
        ids,
        store,
    )
}

fn editions() -> Vec<EditionConfig> {
    vec![
        EditionConfig {
            title: Some("Le <Bureau>".into()),
            ..EditionConfig::new("fr")
        },
        EditionConfig::new("es"),
    ]
}

async fn root_is_the_original_site_unless_the_browser_prefers_an_edition(backend: Backend) {
    let (server, _, _) = start(backend, editions()).await;
    let c = client();
    // Preferred editions (q-values honoured) redirect…
    for (accept, want) in [
        ("es-MX,es;q=0.9,en;q=0.5", "/es/"),
        ("de-DE, fr;q=0.7", "/fr/"),
        ("en;q=0.3, fr;q=0.8", "/fr/"),
    ] {
        let r = c
            .get(format!("{}/", server.base))
            .header("accept-language", accept)
            .send()
            .await
            .expect("editions test");
        assert!(r.status().is_redirection(), "{accept:?}: {}", r.status());
        assert_eq!(r.headers()["location"], want, "{accept:?}");
        assert_eq!(r.headers()["vary"], "Accept-Language");
    }
    // …English first, `*`, or no header at all stay on the original-language site.
    for accept in [
        Some("en-GB"),
        Some("en, fr;q=0.9"),
        Some("*"),
        Some("it"),
        None,
    ] {
        let mut req = c.get(format!("{}/", server.base));
        if let Some(a) = accept {
            req = req.header("accept-language", a);
        }
        let r = req.send().await.expect("editions test");
        assert_eq!(r.status(), 200, "{accept:?}");
        assert_eq!(r.headers()["vary"], "Accept-Language");
        let body = r.text().await.expect("body");
        let doc = check_html5(&body, "en");
        assert_eq!(texts(&doc, "h1"), ["Latest articles"], "{accept:?}");
        // The switcher leads to every edition and marks the original site as current.
        assert_eq!(
            attrs(&doc, ".language-switcher a", "href"),
            ["/?original", "/fr/", "/es/"]
        );
        assert_eq!(
            attrs(&doc, ".language-switcher a[aria-current]", "href"),
            ["/?original"]
        );
        assert_eq!(
            attrs(&doc, "link[rel=alternate][hreflang]", "hreflang"),
            ["x-default", "fr", "es"]
        );
        // Brand and "Latest" keep the reader on the original site, whatever the browser says.
        assert_eq!(attrs(&doc, "a.brand", "href"), ["/?original"]);
    }
    // A reader who chose the original site stays there: any query keeps `/`.
    for q in ["original", "before=2026-01-01T00:00:00Z.1"] {
        let r = c
            .get(format!("{}/?{q}", server.base))
            .header("accept-language", "fr")
            .send()
            .await
            .expect("editions test");
        assert!(!r.status().is_redirection(), "?{q}: {}", r.status());
    }
    // `/fr` is the edition's home; unknown editions are not found.
    let r = c
        .get(format!("{}/fr", server.base))
        .send()
        .await
        .expect("editions test");
    assert_eq!(r.status(), 308);
    assert_eq!(r.headers()["location"], "/fr/");
    let (status, _, _) = get(&c, &format!("{}/it/", server.base)).await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&c, &format!("{}/it", server.base)).await;
    assert_eq!(status, 404);
    // The edition links back to the original site.
    let (_, _, body) = get(&c, &format!("{}/fr/", server.base)).await;
    let doc = check_html5(&body, "fr");
    assert_eq!(
        attrs(&doc, ".language-switcher a", "href"),
        ["/?original", "/fr/", "/es/"]
    );
    assert_eq!(texts(&doc, ".language-switcher a")[0], "Langues d’origine");
}

async fn edition_home_shows_translations_in_a_french_interface(backend: Backend) {
    let (server, ids, _) = start(backend, editions()).await;
    let c = client();
    let (status, headers, body) = get(&c, &format!("{}/fr/", server.base)).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .expect("editions test")
            .contains("default-src")
    );
    let doc = check_html5(&body, "fr");
    assert_eq!(texts(&doc, "h1"), ["Derniers articles"]);
    assert_eq!(texts(&doc, "title"), ["Derniers articles · Le <Bureau>"]);
    assert!(body.contains("Le &lt;Bureau&gt;"));
    assert_eq!(
        texts(&doc, ".sample-banner"),
        ["Données d’exemple — médias et événements fictifs"]
    );
    assert_eq!(texts(&doc, "nav[aria-label=Principal] a")[0], "À la une");
    // The switcher names every edition in its own language and marks the current one.
    assert_eq!(
        texts(&doc, ".language-switcher a"),
        ["Langues d’origine", "Français", "Español"]
    );
    assert_eq!(
        attrs(&doc, ".language-switcher a[aria-current]", "href"),
        ["/fr/"]
    );
    // The translated card: French title, lang=fr, link inside the edition, and a tag.
    let href = format!("/fr/articles/{}", ids.en);
    let card = scraper::Selector::parse(&format!(".card-title a[href=\"{href}\"]"))
        .expect("editions test");
    let a = doc.select(&card).next().expect("translated card");
    assert_eq!(
        a.text().collect::<String>(),
        "Le conseil <approuve> le budget"
    );
    assert!(body.contains("Le conseil &lt;approuve&gt; le budget"));
    assert!(texts(&doc, ".translation-tag").contains(&"traduit depuis l’anglais".to_string()));
    assert!(
        texts(&doc, ".translation-tag").contains(&"non traduit (original en allemand)".to_string())
    );
    assert!(texts(&doc, ".lead").contains(&"Chapeau traduit.".to_string()));
}

async fn translated_article_says_so_links_the_original_and_toggles_without_javascript(
    backend: Backend,
) {
    let (server, ids, _) = start(backend, editions()).await;
    let c = client();
    let url = format!("{}/fr/articles/{}", server.base, ids.en);
    let (status, _, body) = get(&c, &url).await;
    assert_eq!(status, 200, "{body}");
    let doc = check_html5(&body, "fr");
    assert_eq!(texts(&doc, "h1"), ["Le conseil <approuve> le budget"]);
    assert_eq!(attrs(&doc, "h1", "lang"), ["fr"]);
    let note = texts(&doc, ".translation-note .translation-from");
    assert_eq!(
        note,
        ["Traduit depuis l’anglais par Apertium (traduction automatique)."]
    );
    assert_eq!(
        texts(&doc, ".translation-route"),
        ["Parcours : en →es [apertium] →fr [apertium]"]
    );
    assert_eq!(
        attrs(&doc, "a.original-link", "href"),
        [format!("/articles/{}", ids.en)]
    );
    // Translation only: the translated paragraphs, escaped, in French.
    assert_eq!(
        texts(&doc, ".story-body p"),
        [
            "Corps traduit, premier paragraphe.",
            "Deuxième paragraphe <script>x</script>."
        ]
    );
    assert!(!common::without_site_scripts(&body).contains("<script>"));
    // The toggle: plain links.
    let toggles = attrs(&doc, ".translation-toggle a", "href");
    assert_eq!(
        toggles,
        [
            format!("/fr/articles/{}?show=original", ids.en),
            format!("/fr/articles/{}?show=both", ids.en)
        ]
    );
    // Original only: the English title and body, in English.
    let (_, _, body) = get(&c, &format!("{url}?show=original")).await;
    let doc = check_html5(&body, "fr");
    assert!(texts(&doc, "h1")[0].contains("council approves the budget"));
    assert_eq!(attrs(&doc, ".story-body", "lang"), ["en"]);
    assert!(texts(&doc, ".story-body")[0].contains("first paragraph"));
    // Both: side by side.
    let (_, _, body) = get(&c, &format!("{url}?show=both")).await;
    let doc = check_html5(&body, "fr");
    assert_eq!(
        attrs(&doc, ".translation-pair .story-body", "lang"),
        ["fr", "en"]
    );
    assert_eq!(texts(&doc, ".original-title").len(), 1);
    let (status, _, _) = get(&c, &format!("{url}?show=nonsense")).await;
    assert_eq!(status, 400);
    // The original page links this article in every edition; the edition page links the
    // others.
    let (status, _, body) = get(&c, &format!("{}/articles/{}", server.base, ids.en)).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(
        attrs(&doc, ".language-switcher a", "href"),
        [
            format!("/articles/{}", ids.en),
            format!("/fr/articles/{}", ids.en),
            format!("/es/articles/{}", ids.en)
        ]
    );
    let (_, _, body) = get(&c, &url).await;
    let doc = check_html5(&body, "fr");
    assert_eq!(
        attrs(&doc, ".language-switcher a[aria-current]", "href"),
        [format!("/fr/articles/{}", ids.en)]
    );
}

async fn untranslated_and_same_language_articles(backend: Backend) {
    let (server, ids, _) = start(backend, editions()).await;
    let c = client();
    let (status, _, body) = get(&c, &format!("{}/fr/articles/{}", server.base, ids.de)).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "fr");
    assert_eq!(
        texts(&doc, ".translation-missing"),
        [
            "Non traduit : aucune traduction depuis l’allemand n’est disponible pour cette édition. \
          L’article est affiché dans sa langue d’origine."
        ]
    );
    assert_eq!(attrs(&doc, "h1", "lang"), ["de"]);
    // In the Spanish edition the same article has no row yet: "not translated yet", in Spanish.
    let (_, _, body) = get(&c, &format!("{}/es/articles/{}", server.base, ids.de)).await;
    let doc = check_html5(&body, "es");
    assert_eq!(
        texts(&doc, ".translation-missing"),
        ["Aún sin traducir. El artículo se muestra en su idioma original."]
    );
    // An article already in the edition's language carries no notice.
    let (_, _, body) = get(&c, &format!("{}/fr/articles/{}", server.base, ids.fr)).await;
    let doc = check_html5(&body, "fr");
    assert!(texts(&doc, ".translation-note:not([hidden])").is_empty());
    // Source pages inside the edition.
    let (status, _, body) = get(&c, &format!("{}/fr/sources/1", server.base)).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "fr");
    assert!(
        attrs(&doc, ".card-title a", "href")
            .iter()
            .all(|h| h.starts_with("/fr/articles/"))
    );
}

async fn without_editions_the_site_is_unchanged(backend: Backend) {
    let (server, ids, _) = start(backend, Vec::new()).await;
    let c = client();
    let (status, _, body) = get(&c, &format!("{}/", server.base)).await;
    assert_eq!(status, 200);
    let doc = check_html5(&body, "en");
    assert_eq!(texts(&doc, "h1"), ["Latest articles"]);
    assert!(texts(&doc, ".language-switcher").is_empty());
    let (status, _, _) = get(&c, &format!("{}/fr/articles/{}", server.base, ids.en)).await;
    assert_eq!(status, 404);
}

async fn edition_feeds_carry_the_translations_and_link_the_original(backend: Backend) {
    let (server, ids, _) = start(backend, editions()).await;
    let c = client();
    let (status, headers, atom) = get(&c, &format!("{}/fr/feed.atom", server.base)).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let feed = feed_rs::parser::parse(atom.as_bytes()).expect("edition atom parses");
    assert_eq!(feed.title.expect("title").content, "Le <Bureau>");
    let entry = feed
        .entries
        .iter()
        .find(|e| {
            e.title
                .as_ref()
                .is_some_and(|t| t.content == "Le conseil <approuve> le budget")
        })
        .expect("translated entry");
    let content = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("content");
    assert!(
        content.contains("Traduit depuis l’anglais par Apertium"),
        "{content}"
    );
    assert!(
        content.contains(&format!("/articles/{}", ids.en)),
        "{content}"
    );
    assert!(!content.contains("<script>"), "{content}");
    for (path, mime) in [
        ("/fr/feed.rss", "application/rss+xml; charset=utf-8"),
        ("/fr/feed.json", "application/feed+json; charset=utf-8"),
    ] {
        let (status, headers, body) = get(&c, &format!("{}{path}", server.base)).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(headers["content-type"], mime, "{path}");
        assert!(
            body.contains("Le conseil &lt;approuve&gt; le budget")
                || body.contains("Le conseil <approuve> le budget"),
            "{path}"
        );
    }
    let (status, _, _) = get(&c, &format!("{}/it/feed.atom", server.base)).await;
    assert_eq!(status, 404);
    // The edition's pages advertise the edition's feeds.
    let (_, _, home) = get(&c, &format!("{}/fr/", server.base)).await;
    let doc = check_html5(&home, "fr");
    assert!(attrs(&doc, "link[rel=alternate]", "href").contains(&"/fr/feed.atom".to_string()));
}

common::on_both_backends!(
    root_is_the_original_site_unless_the_browser_prefers_an_edition,
    edition_home_shows_translations_in_a_french_interface,
    translated_article_says_so_links_the_original_and_toggles_without_javascript,
    untranslated_and_same_language_articles,
    without_editions_the_site_is_unchanged,
    edition_feeds_carry_the_translations_and_link_the_original,
);

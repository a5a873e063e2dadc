//! Source profiles through the real binary: a feed served on 127.0.0.1 whose site link is
//! `https://www.rt.com/` is matched to the State Media Matrix when added and shown as
//! "RT International · Russia · State-controlled media" (with the credit) on its articles, its
//! source page, its story and in the API; an outlet absent from the matrix is "not classified";
//! the country/typology filters work on pages, search, feeds and the API; `sources edit` and OPML
//! round-trip the operator's values.

mod support;

use std::sync::Arc;

use axum::Router;
use axum::extract::Path as UrlPath;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use support::{Site, http_get};

const PARAS: [&str; 5] = [
    "The energy ministry of the fictional republic of Norvalia said on Monday that the Brannick reactor would stay offline for at least nine more weeks after inspectors found cracks in two cooling pipes during a routine check.",
    "Engineers discovered the faults on 14 May in the secondary circuit of unit 2, which supplies about 18 percent of the country's electricity. The plant's operator, Norvalia Power, said no radiation had escaped and that the 640 workers on site were never at risk.",
    "Deputy minister Ilsa Kovrig told reporters in the capital that replacement pipes had been ordered from a supplier in Tarsenburg and would arrive by the end of June. The repair is expected to cost 210 million crowns, she said.",
    "Opposition lawmakers demanded an independent review of the inspection regime, noting that the same unit had been shut down twice in 2023. The operator rejected the criticism and said its checks had worked exactly as designed.",
    "Electricity prices on the regional exchange rose by 6 percent after the announcement. Grid managers said imports from neighbouring countries would cover the shortfall during the summer months.",
];

const OTHER: [&str; 4] = [
    "The city council of the fictional town of Haverly voted on Tuesday to close the old tram depot on Mill Street and turn the site into a park with a covered market and 140 new trees.",
    "The plan, approved by 23 votes to 8, will cost 4.2 million crowns over three years. Work is due to start in September once the last trams have moved to the new depot in the eastern district.",
    "Residents had collected 3,100 signatures for the park. Councillor Mara Lindqvist said the market hall would keep the depot's iron roof, built in 1911, as a reminder of the town's first electric trams.",
    "The opposition voted against, arguing that the land should have been sold to pay for road repairs. The mayor said the sale would have brought in less than the park's expected tourism revenue.",
];

fn page(title: &str, author: &str, time: &str, paras: &[&str]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"article:published_time\" content=\"{time}\"></head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1><p class=\"byline\">By {author}</p>\
         <time datetime=\"{time}\">{time}</time>\n{body}</article><footer>Footer</footer></body></html>"
    )
}

fn feed(title: &str, link: &str, items: &[(&str, String, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>{link}</link><description>test</description><language>en</language>\n"
    );
    for (t, url, date) in items {
        s.push_str(&format!(
            "<item><title>{t}</title><link>{url}</link><guid>{url}</guid><pubDate>{date}</pubDate></item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

/// An origin on 127.0.0.1: `/rt/feed.xml` names `https://www.rt.com/` as its site; `/plain/`
/// is an outlet absent from the matrix that republishes one RT article word for word.
fn start_origin() -> (String, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let b = Arc::new(base.clone());
    let app = Router::new().route(
        "/{*path}",
        get(move |UrlPath(path): UrlPath<String>| {
            let base = b.clone();
            async move {
                let xml = |s: String| ([(header::CONTENT_TYPE, "application/rss+xml")], s);
                let html = |s: String| ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], s);
                match path.as_str() {
                    "rt/feed.xml" => xml(feed(
                        "RT International",
                        "https://www.rt.com/",
                        &[
                            (
                                "Norvalia reactor to stay offline for weeks",
                                format!("{base}/rt/reactor.html"),
                                "Mon, 01 Jun 2026 08:00:00 +0000",
                            ),
                            (
                                "Haverly votes to turn tram depot into park",
                                format!("{base}/rt/depot.html"),
                                "Mon, 01 Jun 2026 07:00:00 +0000",
                            ),
                        ],
                    ))
                    .into_response(),
                    "plain/feed.xml" => xml(feed(
                        "Plain Wire",
                        &format!("{base}/plain/"),
                        &[(
                            "Cracked pipes keep Brannick reactor shut",
                            format!("{base}/plain/reactor-copy.html"),
                            "Mon, 01 Jun 2026 12:00:00 +0000",
                        )],
                    ))
                    .into_response(),
                    "rt/reactor.html" => html(page(
                        "Norvalia reactor to stay offline for weeks",
                        "Anton Belsky",
                        "2026-06-01T08:00:00+00:00",
                        &PARAS,
                    ))
                    .into_response(),
                    "rt/depot.html" => html(page(
                        "Haverly votes to turn tram depot into park",
                        "Anton Belsky",
                        "2026-06-01T07:00:00+00:00",
                        &OTHER,
                    ))
                    .into_response(),
                    "plain/reactor-copy.html" => html(page(
                        "Cracked pipes keep Brannick reactor shut",
                        "Staff",
                        "2026-06-01T12:00:00+00:00",
                        &PARAS,
                    ))
                    .into_response(),
                    _ => axum::http::StatusCode::NOT_FOUND.into_response(),
                }
            }
        }),
    );
    rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, rt)
}

/// The text of an HTML fragment: tags replaced by spaces, the entities the templates write decoded,
/// whitespace collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ok(url: &str) -> String {
    let (status, body) = http_get(url).unwrap_or_else(|| panic!("{url} answers"));
    assert_eq!(status, 200, "{url}: {body}");
    body
}

fn json(url: &str) -> serde_json::Value {
    serde_json::from_str(&ok(url)).unwrap_or_else(|e| panic!("{url}: {e}"))
}

const LABEL: &str = "RT International · Russia · State-controlled media";
const CREDIT: &str =
    "Ownership classification: State Media Monitor (MJRC), via ASD state-media-profiles";

#[test]
fn a_matrix_outlet_is_named_with_its_classification_everywhere() {
    let (origin, _rt) = start_origin();
    let site = Site::new("");
    let added = site.ok(&["sources", "add", &format!("{origin}/rt/feed.xml")]);
    assert!(
        added.contains("typology: SC [matrix: State Media Matrix row"),
        "{added}"
    );
    site.ok(&["sources", "add", &format!("{origin}/plain/feed.xml")]);
    let out = site.ok(&["fetch"]);
    assert!(out.contains("0 failed"), "{out}");

    let sources = site.sources();
    let id_of = |name: &str| {
        sources
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["id"].as_i64())
            .unwrap_or_else(|| panic!("{name} in {sources:?}"))
    };
    let (rt_id, plain_id) = (id_of("RT International"), id_of("Plain Wire"));
    let rt_source = sources.iter().find(|s| s["id"] == rt_id).expect("rt");
    assert_eq!(rt_source["site_url"], "https://www.rt.com/");
    assert_eq!(rt_source["country"], "RU");
    assert_eq!(rt_source["owner"], "RT");
    assert_eq!(rt_source["matrix_asset"], "RT International");

    let (_server, base) = support::serve(site.path());
    // Its source page, with the credit.
    let source_page = text(&ok(&format!("{base}/sources/{rt_id}")));
    assert!(source_page.contains(LABEL), "{source_page}");
    assert!(source_page.contains(CREDIT), "{source_page}");
    // Cards on the home page, and the article page with the credit.
    assert!(text(&ok(&format!("{base}/"))).contains(LABEL));
    let articles = json(&format!("{base}/api/v1/articles?source={rt_id}"));
    let reactor = articles["items"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["title"].as_str().is_some_and(|t| t.contains("reactor")))
        })
        .and_then(|x| x["id"].as_i64())
        .expect("reactor article");
    let article_page = text(&ok(&format!("{base}/articles/{reactor}")));
    assert!(article_page.contains(LABEL), "{article_page}");
    assert!(article_page.contains(CREDIT), "{article_page}");
    // The API: the source, its articles, the full article.
    let src = json(&format!("{base}/api/v1/sources/{rt_id}"));
    assert_eq!(src["typology"], "SC");
    assert_eq!(src["typology_group"], "state-controlled");
    assert_eq!(src["country_name"], "Russia");
    assert_eq!(src["credit"], CREDIT);
    assert_eq!(src["facts"]["typology"]["origin"], "matrix");
    assert_eq!(articles["items"][0]["source_typology"], "SC");
    assert_eq!(articles["items"][0]["source_country"], "RU");
    let full = json(&format!("{base}/api/v1/articles/{reactor}"));
    assert_eq!(full["source"]["typology_group"], "state-controlled");
    assert_eq!(full["source"]["country"], "RU");

    // The outlet absent from the matrix: not classified, never "independent".
    let plain = json(&format!("{base}/api/v1/sources/{plain_id}"));
    assert_eq!(plain["typology"], serde_json::Value::Null);
    assert_eq!(plain["typology_group"], "not-classified");
    let plain_page = text(&ok(&format!("{base}/sources/{plain_id}")));
    assert!(
        plain_page.contains("Classification Not classified"),
        "{plain_page}"
    );
    assert!(!plain_page.contains("Independent"), "{plain_page}");

    // The word-for-word copy says whose article it copies, and the story shows the outlet.
    let copy = json(&format!("{base}/api/v1/articles?source={plain_id}"))["items"][0]["id"]
        .as_i64()
        .expect("copy id");
    let copy_json = json(&format!("{base}/api/v1/articles/{copy}"));
    assert_eq!(copy_json["provenance"]["kind"], "copy", "{copy_json}");
    let copy_page = text(&ok(&format!("{base}/articles/{copy}")));
    assert!(
        copy_page
            .contains("Copy of an article by RT International, state-controlled media, Russia"),
        "{copy_page}"
    );
    let story = copy_json["story"]["id"].as_i64().expect("story id");
    let story_page = text(&ok(&format!("{base}/stories/{story}")));
    assert!(story_page.contains(LABEL), "{story_page}");
    assert!(story_page.contains(CREDIT), "{story_page}");
    assert!(
        story_page.contains("By ownership State-controlled : 1 outlet,")
            && story_page.contains("Not classified : 1 outlet, 1 article"),
        "{story_page}"
    );
    let story_json = json(&format!("{base}/api/v1/stories/{story}"));
    assert_eq!(
        story_json["coverage"]["by_typology"][0]["key"],
        "state-controlled"
    );
    assert!(
        story_json["articles"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["source_typology"] == "SC"))
    );

    // Filters: pages, search, feeds, API.
    let only_state = text(&ok(&format!("{base}/?typology=state-controlled")));
    assert!(only_state.contains("RT International") && !only_state.contains("Plain Wire"));
    let without_state = text(&ok(&format!("{base}/?typology=independent,not-classified")));
    assert!(!without_state.contains("RT International") && without_state.contains("Plain Wire"));
    let found = text(&ok(&format!(
        "{base}/search?q=reactor&typology=state-controlled"
    )));
    assert!(found.contains("1 result"), "{found}");
    let api = json(&format!(
        "{base}/api/v1/articles?country=ru&typology=state-controlled"
    ));
    let sources_of: Vec<i64> = api["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["source_id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(sources_of, [rt_id, rt_id]);
    let none = json(&format!("{base}/api/v1/articles?country=de"));
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));
    let searched = json(&format!(
        "{base}/api/v1/search?q=reactor&typology=not-classified"
    ));
    assert_eq!(searched["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(searched["items"][0]["source_id"], plain_id);
    let atom = ok(&format!(
        "{base}/feed.atom?typology=independent,not-classified"
    ));
    assert!(
        atom.contains("Plain Wire") && !atom.contains(">RT International<"),
        "{atom}"
    );
    let atom_state = ok(&format!("{base}/feed.atom?typology=state-controlled"));
    assert!(
        atom_state.contains(
            "<category scheme=\"urn:newsdesk:source-country\" term=\"RU\" label=\"Russia\"/>"
        ),
        "{atom_state}"
    );
    let rss = ok(&format!("{base}/feed.rss?country=RU"));
    assert!(rss.contains("<category domain=\"urn:newsdesk:source-country\">RU</category>"));
    let jf = json(&format!("{base}/feed.json?typology=SC"));
    assert_eq!(jf["items"][0]["_newsdesk"]["source_country"], "RU");
    assert_eq!(
        jf["items"][0]["_newsdesk"]["source_typology_group"],
        "state-controlled"
    );
    let bad = http_get(&format!("{base}/api/v1/articles?typology=free")).expect("answer");
    assert_eq!(bad.0, 400, "{}", bad.1);
    // The explanation page: the seven models, the credit and the licence.
    let about = text(&ok(&format!("{base}/about/typology")));
    for words in [
        "Captured private media",
        "Independent public media",
        CREDIT,
        "MIT License",
    ] {
        assert!(about.contains(words), "{words}: {about}");
    }
}

#[test]
fn cgtn_francais_is_matched_by_its_own_host() {
    let site = Site::new("");
    site.ok(&[
        "sources",
        "add",
        "--no-check",
        "https://francais.cgtn.com/rss/",
    ]);
    site.ok(&["sources", "add", "--no-check", "https://news.example/feed"]);
    let sources = site.sources();
    let cgtn = &sources[0];
    assert_eq!(cgtn["matrix_asset"], "CGTN Français", "{cgtn}");
    assert_eq!(cgtn["country"], "CN");
    assert_eq!(cgtn["typology"], "SC");
    let other = &sources[1];
    assert_eq!(other["typology"], serde_json::Value::Null);
    assert_eq!(other["matrix_asset"], serde_json::Value::Null);
}

#[test]
fn operator_edits_win_and_round_trip_through_opml() {
    let site = Site::new("");
    site.ok(&["sources", "add", "--no-check", "https://www.rt.com/rss/"]);
    let id = site.sources()[0]["id"].to_string();
    let out = site.ok(&[
        "sources",
        "edit",
        &id,
        "--typology",
        "capr?",
        "--owner",
        "Someone Else",
        "--country",
        "de",
        "--type",
        "news agency",
    ]);
    assert!(
        out.contains("typology: CaPr? [operator: newsdesk sources edit]"),
        "{out}"
    );
    let s = &site.sources()[0];
    assert_eq!(s["typology"], "CaPr?", "uncertainty kept: {s}");
    assert_eq!(s["country"], "DE");
    assert_eq!(s["owner"], "Someone Else");
    assert_eq!(s["media_type"], "news agency");
    assert_eq!(s["facts"]["country"]["origin"], "operator");
    // A restart (any command re-matches) keeps the operator's values.
    let again = &site.sources()[0];
    assert_eq!(again["typology"], "CaPr?");
    let bad = site.run(&["sources", "edit", &id, "--typology", "independent"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a typology code"));

    let opml = site.ok(&["sources", "export"]);
    assert!(opml.contains("typology=\"CaPr?\""), "{opml}");
    assert!(opml.contains("country=\"DE\"") && opml.contains("mediaType=\"news agency\""));
    let file = site.path().join("export.opml");
    std::fs::write(&file, &opml).expect("write opml");
    let other = Site::new("");
    other.ok(&["sources", "import", file.to_str().expect("utf8")]);
    let imported = &other.sources()[0];
    for field in ["typology", "country", "owner", "media_type"] {
        assert_eq!(imported[field], s[field], "{field}");
    }
    assert_eq!(imported["facts"]["typology"]["origin"], "operator");
    assert_eq!(
        other.ok(&["sources", "export"]),
        opml,
        "export, import, export: same file"
    );

    // An empty value hands the field back to the matrix.
    site.ok(&["sources", "edit", &id, "--typology", "", "--country", ""]);
    let back = &site.sources()[0];
    assert_eq!(back["typology"], "SC");
    assert_eq!(back["country"], "RU");
    assert_eq!(back["facts"]["typology"]["origin"], "matrix");
    assert_eq!(
        back["owner"], "Someone Else",
        "untouched fields stay the operator's"
    );
}

#[test]
fn several_languages_through_the_cli_and_opml() {
    let site = Site::new("");
    site.ok(&[
        "sources",
        "add",
        "--no-check",
        "https://multi.example/feed.xml",
        "--language",
        "fr",
        "--language",
        "ar",
    ]);
    let s = &site.sources()[0];
    assert_eq!(s["languages"], serde_json::json!(["fr", "ar"]), "{s}");
    assert_eq!(s["language"], "fr");
    let id = s["id"].to_string();
    let out = site.ok(&["sources", "edit", &id, "--language", "de,EN"]);
    assert!(out.contains("language: de, en [operator"), "{out}");
    let bad = site.run(&["sources", "edit", &id, "--language", "de,english"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--language \"english\""));
    assert_eq!(
        site.sources()[0]["languages"],
        serde_json::json!(["de", "en"])
    );

    let opml = site.ok(&["sources", "export"]);
    assert!(opml.contains("language=\"de,en\""), "{opml}");
    let file = site.path().join("export.opml");
    std::fs::write(&file, &opml).expect("write opml");
    let other = Site::new("");
    other.ok(&["sources", "import", file.to_str().expect("utf8")]);
    let imported = &other.sources()[0];
    assert_eq!(
        imported["languages"],
        serde_json::json!(["de", "en"]),
        "{imported}"
    );
    assert_eq!(imported["language"], "de");
    assert_eq!(other.ok(&["sources", "export"]), opml, "same file again");
}

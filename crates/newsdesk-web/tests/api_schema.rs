//! The JSON API against its OpenAPI document, so that the two cannot drift apart.
//!
//! The real server runs on 127.0.0.1 over a real store holding sources with profiles (matrix,
//! operator and unclassified), articles, translations, stories and provenance links. The test
//! calls every documented operation (every path and method) with each of its documented
//! parameters, in success and error cases, and validates every JSON answer against the
//! operation's response schema for the status it got (a JSON-Schema 2020-12 validator, `$ref`s
//! resolved in the document). It fails when:
//! * the router serves an operation the document does not describe, or the other way round;
//! * an answer's status is not documented for its operation, or a documented status (other
//!   than 500/503, which a healthy server does not give) is never seen;
//! * an answer does not fit its schema: every object schema of the document sets
//!   `additionalProperties: false`, so a new or renamed field fails as well as a missing one.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use common::{Backend, TestServer, article, client, fill};
use newsdesk_core::{Fact, FactOrigin, SourceProfile};
use newsdesk_store::{
    ArticleTranslation, LinkEvidence, NewLink, NewPlacement, SourceUpdate, Store, TranslationStatus,
};
use newsdesk_web::WebConfig;
use serde_json::{Value, json};

/// The OpenAPI document and a validator for each response schema asked for.
struct Spec {
    doc: Value,
}

impl Spec {
    /// `(path, METHOD)` of every documented operation.
    fn operations(&self) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for (path, item) in self.doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("path item").keys() {
                if method != "parameters" {
                    out.insert((path.clone(), method.to_ascii_uppercase()));
                }
            }
        }
        out
    }

    fn operation(&self, path: &str, method: &str) -> &Value {
        let op = &self.doc["paths"][path][method.to_ascii_lowercase()];
        assert!(op.is_object(), "{method} {path} is not documented");
        op
    }

    /// Follows a local `$ref` (`#/components/...`).
    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => self
                .doc
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("unresolved $ref {r}")),
            None => value,
        }
    }

    /// The documented query parameters of an operation (`$ref`s resolved).
    fn query_parameters(&self, path: &str, method: &str) -> Vec<(String, bool)> {
        self.operation(path, method)["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .map(|p| self.resolve(p))
                    .filter(|p| p["in"] == "query")
                    .map(|p| {
                        (
                            p["name"].as_str().expect("name").to_owned(),
                            p["required"] == true,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The documented statuses of an operation.
    fn statuses(&self, path: &str, method: &str) -> BTreeSet<u16> {
        self.operation(path, method)["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .map(|k| k.parse().expect("numeric status"))
            .collect()
    }

    /// The JSON schema of an answer with `status`, `None` when the answer has no JSON body;
    /// panics when the status is not documented.
    fn response_schema(&self, path: &str, method: &str, status: u16) -> Option<Value> {
        let responses = &self.operation(path, method)["responses"];
        let response = responses
            .get(status.to_string())
            .unwrap_or_else(|| panic!("{method} {path}: status {status} is not documented"));
        let response = self.resolve(response);
        let schema = response.pointer("/content/application~1json/schema")?;
        Some(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.doc["components"],
            "allOf": [schema],
        }))
    }

    /// What in `body` does not fit the schema for `status` (one line per kind of misfit,
    /// array positions folded).
    fn misfits(&self, path: &str, method: &str, status: u16, body: &Value) -> BTreeSet<String> {
        let Some(schema) = self.response_schema(path, method, status) else {
            return BTreeSet::new();
        };
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|e| panic!("{method} {path} {status}: schema does not build: {e}"));
        let folded = regex::Regex::new(r"/\d+(/|$)").expect("regex");
        validator
            .iter_errors(body)
            .map(|e| {
                let at = e.instance_path().to_string();
                format!("{e} at {}", folded.replace_all(&at, "/*$1"))
            })
            .collect()
    }

    /// Every object schema in the document (with `properties`) closes itself.
    fn open_objects(&self) -> Vec<String> {
        fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    if m.contains_key("properties")
                        && m.get("additionalProperties") != Some(&false.into())
                    {
                        out.push(at.to_owned());
                    }
                    for (k, x) in m {
                        walk(x, &format!("{at}/{k}"), out);
                    }
                }
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        walk(x, &format!("{at}/{i}"), out);
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.doc, "#", &mut out);
        out
    }
}

/// A call of one operation and what it must answer.
struct Call {
    method: String,
    template: String,
    /// The path and query actually requested.
    url: String,
    /// A raw body, sent as `application/json` when `json`.
    body: Option<String>,
    json: bool,
    token: Option<&'static str>,
    /// Another server to ask (the read-only one), instead of the main one.
    base: Option<String>,
    /// A name to find the answer by afterwards.
    label: Option<&'static str>,
    want: u16,
}

impl Call {
    fn body(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self.json = true;
        self
    }

    fn token(mut self, token: &'static str) -> Self {
        self.token = Some(token);
        self
    }

    fn label(mut self, label: &'static str) -> Self {
        self.label = Some(label);
        self
    }
}

/// The operator token of the main test server.
const TOKEN: &str = "test-operator-token-0123456789";

fn call(method: &str, template: &str, url: impl Into<String>, want: u16) -> Call {
    Call {
        method: method.to_owned(),
        template: template.to_owned(),
        url: url.into(),
        body: None,
        json: false,
        token: None,
        base: None,
        label: None,
        want,
    }
}

/// A valid value for each documented query parameter.
fn valid_value(name: &str) -> &'static str {
    match name {
        "source" => "1",
        "lang" | "edition" => "fr",
        "since" => "2020-01-01T00:00:00Z",
        "until" => "2099-01-01T00:00:00Z",
        "limit" => "2",
        "offset" => "1",
        "before" => "4102444800.999",
        "q" => "Story",
        "sort" => "newest",
        "country" => "ru,fr,de,gb",
        "typology" => "state-controlled,independent,not-classified",
        other => panic!("no test value for the documented parameter {other:?}"),
    }
}

/// An invalid value for each documented query parameter (answered 400).
fn invalid_value(name: &str) -> String {
    match name {
        "source" => "-1".into(),
        "lang" => "english".into(),
        "edition" => "zz".into(),
        "since" => "yesterday".into(),
        "until" => "2026-13-01T00:00:00Z".into(),
        "limit" => "0".into(),
        "offset" => "-3".into(),
        "before" => "a.b".into(),
        "q" => "a".repeat(201),
        "sort" => "sideways".into(),
        "country" => "Germany".into(),
        "typology" => "free".into(),
        other => panic!("no invalid value for the documented parameter {other:?}"),
    }
}

/// Ids the fixture made.
struct Ids {
    /// A source matched to the matrix (state-controlled).
    state: i64,
    /// An original article that has a translated copy, translations and a story.
    original: i64,
    /// Its translated copy (from another source).
    copy: i64,
    /// The source of the copy (no profile from the matrix).
    copy_source: i64,
    /// A story of several articles.
    story: i64,
}

/// Sources with profiles, articles, translations into `fr`, stories and provenance links, on
/// top of the shared fixture.
fn fill_everything(store: &Store) -> Ids {
    let fx = fill(store);
    let state = store
        .add_source(&newsdesk_core::NewSource {
            feed_url: "https://www.rt.com/rss/".into(),
            site_url: Some("https://www.rt.com/".into()),
            name: Some("RT International".into()),
            language: Some("en".into()),
            country: Some("RU".into()),
        })
        .expect("source")
        .id;
    let mut profile = SourceProfile {
        owner: Some("TV-Novosti".into()),
        typology: Some("SC".into()),
        media_type: Some("broadcaster".into()),
        matrix_asset: Some("RT International".into()),
        ..Default::default()
    };
    for field in ["typology", "owner", "country"] {
        profile.facts.insert(
            field.into(),
            Fact::new(FactOrigin::Matrix, "State Media Matrix row 1"),
        );
    }
    profile.facts.insert(
        "media_type".into(),
        Fact::new(FactOrigin::Operator, "newsdesk sources edit"),
    );
    store
        .update_source(
            state,
            &SourceUpdate {
                profile: Some(profile),
                ..Default::default()
            },
        )
        .expect("profile");
    let mut guessed = SourceProfile::default();
    guessed
        .facts
        .insert("country".into(), Fact::new(FactOrigin::Guess, ".fr"));
    store
        .update_source(
            fx.fr,
            &SourceUpdate {
                profile: Some(guessed),
                ..Default::default()
            },
        )
        .expect("profile");

    let t0 = Utc::now() - chrono::Duration::days(3);
    let original = article(state, "en", 500, t0);
    let mut copy = article(fx.fr, "fr", 501, t0 + chrono::Duration::hours(2));
    copy.title = "Copie traduite".into();
    let ids: Vec<i64> = store
        .insert_articles(&[original, copy])
        .expect("insert")
        .into_iter()
        .map(|id| id.expect("inserted"))
        .collect();
    let (original, copy) = (ids[0], ids[1]);
    for (id, status, title) in [
        (
            original,
            TranslationStatus::Translated,
            Some("Titre traduit"),
        ),
        (ids[1] - 3, TranslationStatus::Untranslated, None),
    ] {
        store
            .save_translation(&ArticleTranslation {
                article_id: id,
                language: "fr".into(),
                source_language: "en".into(),
                status,
                title: title.map(str::to_owned),
                lead: title.map(|_| "Chapeau traduit".to_owned()),
                body_text: title.map(|_| "Corps traduit.".to_owned()),
                route: "en →fr [apertium]".into(),
                backends: vec!["apertium".into(), "apertium".into()],
                machine: true,
                kept_segments: 1,
                note: title.is_none().then(|| "no route en→fr".to_owned()),
                translated_at: Utc::now(),
            })
            .expect("translation");
    }
    // Stories: every fixture article in pairs, the original and its copy together.
    let inputs = store.story_inputs_after(0, 10_000).expect("inputs");
    let story = 9_000;
    let placements: Vec<NewPlacement> = inputs
        .iter()
        .map(|a| {
            let (key, link) = if a.id == original || a.id == copy {
                let link = (a.id == copy).then(|| NewLink {
                    kind: "translated_copy".into(),
                    original,
                    matched: original,
                    confidence: 0.93,
                    evidence: vec![LinkEvidence {
                        signal: "shared_text".into(),
                        detail: "4 of 5 sentences".into(),
                    }],
                });
                (story, link)
            } else {
                ((a.id + 1) / 2, None)
            };
            NewPlacement {
                article: a.id,
                story: key,
                similarity: 0.8,
                link,
                merged: vec![],
                moved: vec![],
                titles: vec![(key, format!("Story {key}"))],
            }
        })
        .collect();
    let last = inputs.iter().map(|a| a.id).max().unwrap_or(0);
    store
        .record_placements(&placements, 0, last, b"{}")
        .expect("placements");
    Ids {
        state,
        original,
        copy,
        copy_source: fx.fr,
        story,
    }
}

async fn every_api_answer_fits_the_openapi_document(backend: Backend) {
    let mut ids = None;
    let config = WebConfig {
        operator_token: Some(newsdesk_web::OperatorToken::new(TOKEN).expect("token")),
        ..WebConfig::default()
    };
    let server = TestServer::start_with_editions(backend, config, vec!["fr"], |s| {
        ids = Some(fill_everything(s));
    })
    .await;
    // The same API without an operator token: read-only.
    let readonly = TestServer::start(backend, WebConfig::default(), |s| {
        fill(s);
    })
    .await;
    let ids = ids.expect("fixture");
    let c = client();
    let text = c
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    let doc: Value = serde_json::from_str(&text).expect("the document is JSON");
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3.1"));
    let spec = Spec { doc };

    // The document and the router describe the same operations.
    let served: BTreeSet<(String, String)> = newsdesk_web::api_operations()
        .into_iter()
        .map(|(p, m)| (p.to_owned(), m.as_str().to_owned()))
        .collect();
    let documented = spec.operations();
    assert_eq!(
        served.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "served but not documented"
    );
    assert_eq!(
        documented.difference(&served).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "documented but not served"
    );
    assert_eq!(
        spec.open_objects(),
        Vec::<String>::new(),
        "object schemas without `additionalProperties: false`"
    );

    let mut calls = Vec::new();
    for (template, method) in &documented {
        if method != "GET" {
            continue;
        }
        let method = method.as_str();
        let id = if template.starts_with("/api/v1/sources") {
            ids.state
        } else if template.starts_with("/api/v1/stories") {
            ids.story
        } else {
            ids.original
        };
        let concrete = template.replace("{id}", &id.to_string());
        let params = spec.query_parameters(template, method);
        let required: Vec<String> = params
            .iter()
            .filter(|(_, r)| *r)
            .map(|(n, _)| format!("{n}={}", valid_value(n)))
            .collect();
        let with = |extra: &[String]| {
            let all: Vec<&String> = required.iter().chain(extra).collect();
            if all.is_empty() {
                concrete.clone()
            } else {
                let joined: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
                format!("{concrete}?{}", joined.join("&"))
            }
        };
        calls.push(call(method, template, with(&[]), 200));
        for (name, is_required) in &params {
            let good = format!("{name}={}", valid_value(name));
            if !is_required {
                calls.push(call(
                    method,
                    template,
                    with(std::slice::from_ref(&good)),
                    200,
                ));
            }
            let bad = format!("{name}={}", invalid_value(name));
            let mut pairs: Vec<String> = required
                .iter()
                .filter(|p| !p.starts_with(&format!("{name}=")))
                .cloned()
                .collect();
            pairs.push(bad);
            calls.push(call(
                method,
                template,
                format!("{concrete}?{}", pairs.join("&")),
                400,
            ));
            if *is_required {
                calls.push(call(method, template, concrete.clone(), 400));
            }
        }
        if !params.is_empty() {
            calls.push(call(
                method,
                template,
                with(&["no_such_parameter=1".to_owned()]),
                400,
            ));
        }
        if template.contains("{id}") {
            calls.push(call(
                method,
                template,
                template.replace("{id}", "987654"),
                404,
            ));
            calls.push(call(method, template, template.replace("{id}", "x1"), 400));
        }
        calls.push(call("POST", template, concrete.clone(), 405));
    }
    // The data-rich answers: an article with its copy, story and translations; its copy with
    // provenance; both in the edition's lists.
    for id in [ids.original, ids.copy] {
        calls.push(call(
            "GET",
            "/api/v1/articles/{id}",
            format!("/api/v1/articles/{id}"),
            200,
        ));
    }
    calls.push(call(
        "GET",
        "/api/v1/articles",
        "/api/v1/articles?edition=fr&limit=200",
        200,
    ));
    calls.push(call(
        "GET",
        "/api/v1/stories",
        "/api/v1/stories?edition=fr&limit=200",
        200,
    ));
    calls.push(call(
        "GET",
        "/api/v1/sources",
        "/api/v1/sources?limit=200",
        200,
    ));

    // Profile edits: the right token, a wrong one, none, invalid values, a read-only server.
    let profile = "/api/v1/sources/{id}/profile";
    let edit = format!("/api/v1/sources/{}/profile", ids.state);
    let good = r#"{"typology": "capu?", "country": "Germany", "owner": "Someone Else",
        "media_type": "news agency", "language": "RU"}"#;
    calls.push(
        call("PATCH", profile, &edit, 200)
            .body(good)
            .token(TOKEN)
            .label("edited"),
    );
    calls.push(
        call("PATCH", profile, &edit, 200)
            .body(r#"{"typology": "", "country": ""}"#)
            .token(TOKEN)
            .label("cleared"),
    );
    let other = format!("/api/v1/sources/{}/profile", ids.copy_source);
    calls.push(
        call("PATCH", profile, &other, 200)
            .body(r#"{"languages": ["FR", "ar", "fr"]}"#)
            .token(TOKEN)
            .label("languages"),
    );
    calls.push(call("PATCH", profile, &edit, 401).body(good));
    calls.push(
        call("PATCH", profile, &edit, 401)
            .body(good)
            .token("test-operator-token-0123456780"),
    );
    calls.push(call("PATCH", profile, &edit, 401).body(good).token("x"));
    for bad in [
        r#"{"typology": "independent"}"#,
        r#"{"country": "Atlantis"}"#,
        r#"{"language": "english"}"#,
        r#"{"site": "javascript:alert(1)"}"#,
        r#"{"name": ""}"#,
        r#"{"colour": "red"}"#,
        r#"{"typology": 7}"#,
        r#"{}"#,
        "typology=SC",
    ] {
        calls.push(call("PATCH", profile, &edit, 400).body(bad).token(TOKEN));
    }
    let mut no_type = call("PATCH", profile, &edit, 400).body(good).token(TOKEN);
    no_type.json = false;
    calls.push(no_type);
    calls.push(
        call("PATCH", profile, "/api/v1/sources/987654/profile", 404)
            .body(good)
            .token(TOKEN),
    );
    calls.push(
        call("PATCH", profile, "/api/v1/sources/x1/profile", 400)
            .body(good)
            .token(TOKEN),
    );
    calls.push(call("GET", profile, &edit, 405));
    let mut readonly_call = call("PATCH", profile, "/api/v1/sources/1/profile", 403)
        .body(good)
        .token(TOKEN);
    readonly_call.base = Some(readonly.base.clone());
    calls.push(readonly_call);

    let mut answers: BTreeMap<&str, Value> = BTreeMap::new();
    let mut seen: BTreeMap<(String, String), BTreeSet<u16>> = BTreeMap::new();
    let mut misfits: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for call in &calls {
        let method = reqwest::Method::from_bytes(call.method.as_bytes()).expect("method");
        let base = call.base.as_deref().unwrap_or(&server.base);
        let mut request = c.request(method, format!("{base}{}", call.url));
        if let Some(token) = call.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = &call.body {
            if call.json {
                request = request.header("content-type", "application/json");
            }
            request = request.body(body.clone());
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let etag = response.headers().get("etag").cloned();
        let what = format!("{} {}", call.method, call.url);
        let text = response.text().await.expect("body");
        assert_eq!(status, call.want, "{what}: {text}");
        // The method the document is checked against (405s belong to the operation asked).
        let documented_method = if status == 405 {
            spec.operations()
                .iter()
                .find(|(p, _)| *p == call.template)
                .map(|(_, m)| m.clone())
                .expect("operation")
        } else {
            call.method.clone()
        };
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
        if let Some(label) = call.label {
            answers.insert(label, body.clone());
        }
        let misfit_set = if spec
            .statuses(&call.template, &documented_method)
            .contains(&status)
        {
            spec.misfits(&call.template, &documented_method, status, &body)
        } else {
            BTreeSet::from([format!("status {status} is not documented ({what})")])
        };
        for misfit in misfit_set {
            misfits
                .entry(format!("{documented_method} {} {status}", call.template))
                .or_default()
                .insert(misfit);
        }
        seen.entry((call.template.clone(), documented_method.clone()))
            .or_default()
            .insert(status);
        // A 200 with an ETag answers 304 to If-None-Match.
        if status == 200
            && call.method == "GET"
            && let Some(etag) = etag
        {
            let again = c
                .get(server.url(&call.url))
                .header("if-none-match", etag)
                .send()
                .await
                .expect("request");
            assert_eq!(again.status(), 304, "{what}");
            spec.response_schema(&call.template, "GET", 304);
            seen.entry((call.template.clone(), "GET".to_owned()))
                .or_default()
                .insert(304);
        }
    }
    assert!(
        misfits.is_empty(),
        "answers that do not fit the documented schemas:\n{}",
        misfits
            .iter()
            .map(|(op, m)| format!(
                "{op}:\n  {}",
                m.iter().cloned().collect::<Vec<_>>().join("\n  ")
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The edits did what they said, as the operator's facts; clearing handed the fields back
    // to the State Media Matrix.
    let edited = &answers["edited"];
    assert_eq!(edited["typology"], "CaPu?", "{edited}");
    assert_eq!(edited["country"], "DE");
    assert_eq!(edited["language"], "ru");
    assert_eq!(edited["owner"], "Someone Else");
    assert_eq!(edited["media_type"], "news agency");
    assert_eq!(edited["facts"]["typology"]["origin"], "operator");
    assert_eq!(edited["typology_group"], "state-controlled");
    let languages = &answers["languages"];
    assert_eq!(languages["languages"], json!(["fr", "ar"]), "{languages}");
    assert_eq!(languages["language"], "fr");
    assert_eq!(languages["facts"]["language"]["origin"], "operator");
    let cleared = &answers["cleared"];
    assert_eq!(cleared["typology"], "SC", "{cleared}");
    assert_eq!(cleared["country"], "RU");
    assert_eq!(cleared["facts"]["typology"]["origin"], "matrix");
    assert_eq!(
        cleared["owner"], "Someone Else",
        "untouched fields stay the operator's"
    );
    // A refused edit changed nothing: the source is as the last accepted edit left it.
    let (status, _, now) =
        common::get(&c, &server.url(&format!("/api/v1/sources/{}", ids.state))).await;
    assert_eq!(status, 200);
    let now: Value = serde_json::from_str(&now).expect("json");
    for field in [
        "typology",
        "country",
        "language",
        "owner",
        "media_type",
        "name",
        "site_url",
    ] {
        assert_eq!(now[field], cleared[field], "{field}");
    }
    // Every documented status that a healthy server can give was seen.
    for (template, method) in &documented {
        let got = seen
            .get(&(template.clone(), method.clone()))
            .cloned()
            .unwrap_or_default();
        let want: BTreeSet<u16> = spec
            .statuses(template, method)
            .into_iter()
            .filter(|s| !matches!(s, 500 | 503))
            .collect();
        assert_eq!(
            got, want,
            "{method} {template}: statuses seen vs documented"
        );
    }
    server.stop().await;
    readonly.stop().await;
}

common::on_both_backends!(every_api_answer_fits_the_openapi_document,);

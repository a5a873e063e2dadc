//! `newsdesk stories --stream` and `newsdesk copies`: the real binary, JSONL in and out.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const STREAM: &str = concat!(
    r#"{"id":"a","lang":"en","date":"2024-03-01T08:00:00Z","title":"Earthquake of magnitude 7.1 hits Chile","text":"A magnitude 7.1 earthquake struck near Valparaíso on Monday.\nAt least 12 people died, officials said."}"#,
    "\n",
    r#"{"id":"b","lang":"fr","date":"2024-03-01T09:00:00Z","title":"Séisme au Chili","text":"Un séisme de magnitude 7.1 a frappé Valparaiso lundi.\nAu moins 12 personnes sont mortes."}"#,
    "\n",
    r#"{"id":"c","lang":"en","date":"2024-03-01T10:00:00Z","title":"Norway passes its 2025 budget","text":"The parliament of Norway passed the 2025 budget in Oslo.\nThe debate lasted two days."}"#,
    "\n",
    r#"{"id":"d","lang":"en","date":"2024-03-01T11:00:00Z","title":"UPDATE: Norway passes its 2025 budget","text":"The parliament of Norway passed the 2025 budget in Oslo.\nThe debate lasted two days.\nAdvertisement"}"#,
    "\n",
);

fn answers(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn stories_stream_writes_one_cluster_per_document() {
    let (ok, out, err) = run(&["stories", "--stream"], STREAM);
    assert!(ok, "{err}");
    let a = answers(&out);
    let ids: Vec<&str> = a.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(a[0]["cluster"], a[1]["cluster"]);
    assert_eq!(a[2]["cluster"], a[3]["cluster"]);
    assert_ne!(a[0]["cluster"], a[2]["cluster"]);
    assert!(err.contains("4 documents in 2 stories"), "{err}");
}

#[test]
fn stories_without_stream_is_refused() {
    let (ok, out, err) = run(&["stories"], STREAM);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(err.contains("--stream"), "{err}");
}

#[test]
fn copies_links_the_copy_and_names_a_bad_line() {
    let (ok, out, err) = run(&["copies", "-q"], STREAM);
    assert!(ok, "{err}");
    let a = answers(&out);
    assert_eq!(a.len(), 4);
    assert_eq!(a[3]["copy_of"], "c");
    assert_eq!(a[3]["kind"], "copy");
    // "b" retells "a" in French paragraph by paragraph, with the same numbers: it may be
    // taken for a translation of "a", never for anything else.
    assert!(
        a[1]["copy_of"].is_null() || a[1]["copy_of"] == "a",
        "{}",
        a[1]
    );
    assert_eq!(a[0]["copy_of"], serde_json::Value::Null);
    assert_eq!(a[2]["copy_of"], serde_json::Value::Null);
    let (ok, _, err) = run(&["copies"], "{\"id\": 3}\n");
    assert!(!ok);
    assert!(err.contains("line 1"), "{err}");
}

/// The demo corpus as the benchmark's JSONL, oldest first.
fn demo_jsonl() -> (String, Vec<newsdesk_demo::CorpusArticle>) {
    let corpus = newsdesk_demo::sample_corpus();
    let mut articles: Vec<_> = corpus.articles().to_vec();
    articles.sort_by_key(|a| (a.published.with_timezone(&chrono::Utc), a.id()));
    let mut jsonl = String::new();
    for a in &articles {
        let line = serde_json::json!({
            "id": a.id(),
            "lang": a.language,
            "date": a.published.with_timezone(&chrono::Utc).to_rfc3339(),
            "title": a.title,
            // As the outlets' pages carry it: the standfirst, then the body.
            "text": format!("{}\n{}", a.standfirst, a.body_text()),
        });
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    (jsonl, articles)
}

#[test]
fn demo_corpus_links_its_translation_and_copy_and_no_independent_report() {
    let (jsonl, articles) = demo_jsonl();
    let (ok, out, err) = run(&["copies", "-q"], &jsonl);
    assert!(ok, "{err}");
    let answers = answers(&out);
    assert_eq!(answers.len(), articles.len());
    let translations = articles
        .iter()
        .filter(|a| a.translation_of.is_some())
        .count();
    let same_event_other_language = articles
        .iter()
        .filter(|a| {
            a.event.is_some()
                && articles
                    .iter()
                    .any(|b| b.event == a.event && b.language != a.language)
        })
        .count();
    assert!(translations >= 1 && same_event_other_language >= 10);
    for (a, answer) in articles.iter().zip(&answers) {
        assert_eq!(answer["id"], a.id());
        // The real translation and the word-for-word copy point at their originals; every
        // other article, among them the independent reports of one event in four languages,
        // is an original.
        let expected = a.translation_of.clone().or_else(|| a.copy_of.clone());
        assert_eq!(
            answer["copy_of"].as_str().map(str::to_string),
            expected,
            "{answer}"
        );
        if a.translation_of.is_some() {
            assert_eq!(answer["kind"], "translated_copy", "{answer}");
        }
    }
}

/// The demo's English report of the port strike, its Spanish translation (written for this
/// test) and an independent Spanish report of the same strike, paragraph by paragraph like it,
/// with the same names and numbers in the same order.
fn strike_original() -> (String, String) {
    let corpus = newsdesk_demo::sample_corpus();
    let a = corpus
        .articles()
        .iter()
        .find(|a| a.language == "en" && a.slug == "valdoria-dockworkers-begin-strike")
        .unwrap();
    (a.title.clone(), a.body_text())
}

const STRIKE_TRANSLATION: [&str; 6] = [
    "Las grúas permanecieron inmóviles el martes en el puerto de Marenza después de que unos 2.400 estibadores iniciaran una huelga de 72 horas a las 06:00 hora local. El paro, convocado por el Sindicato de Estibadores de Valdoria, es la primera paralización total en el mayor puerto de Valdoria en más de una década.",
    "El sindicato exige una subida salarial del 9% para hacer frente al coste de la vida en la ciudad portuaria. La Autoridad Portuaria de Marenza ha ofrecido un 4,5%, una cifra que la secretaria general del sindicato, Ilse Varga, calificó de \"un insulto a la gente que ha mantenido este puerto en marcha durante cada tormenta\".",
    "\"No queríamos estar aquí\", dijo la señora Varga a los periodistas frente a la puerta principal, donde varios cientos de huelguistas se reunieron bajo las pancartas del sindicato. \"Pero la autoridad no nos dejó otra opción. La puerta está abierta en el momento en que traigan una oferta seria.\"",
    "El puerto mueve alrededor de 1,2 millones de contenedores al año, y los agentes marítimos advirtieron de que los retrasos se extenderían rápidamente a lo largo de la costa. A media mañana, al menos una docena de buques portacontenedores esperaban anclados fuera del rompeolas, según la oficina del capitán del puerto.",
    "Henrik Sollano, director de la autoridad portuaria, dijo que la oferta era \"justa y asequible\" e instó al sindicato a volver a las negociaciones. \"Cada hora que los muelles están cerrados le cuesta a esta ciudad dinero y buena voluntad\", dijo. \"Nuestra oferta sigue sobre la mesa.\"",
    "La carga perecedera y los transbordadores a las islas exteriores están exentos de la huelga en virtud de un acuerdo alcanzado el lunes por la noche. El sindicato dijo que revisaría la situación el jueves si no se había presentado ninguna nueva oferta.",
];

const STRIKE_INDEPENDENT: [&str; 6] = [
    "Unos 2.400 trabajadores portuarios de Marenza dejaron de trabajar el martes a las 06:00 y comenzaron un paro de 72 horas en toda la terminal. La convocatoria del Sindicato de Estibadores de Valdoria deja sin actividad al principal puerto del país, algo que no ocurría desde hace más de diez años.",
    "Los estibadores piden un aumento del 9% de sus sueldos, pero la Autoridad Portuaria de Marenza no pasa del 4,5%. Ilse Varga, secretaria general del sindicato, considera que esa propuesta es \"una falta de respeto\" hacia una plantilla que nunca ha dejado de trabajar, ni siquiera en los peores temporales del invierno.",
    "Ante la entrada del recinto, rodeada de cientos de compañeros con banderas y silbatos, Varga aseguró que la huelga era el último recurso que les quedaba. \"Nos han obligado a parar\", explicó a la prensa. \"Volveremos a sentarnos en cuanto haya una propuesta digna sobre la mesa.\"",
    "Por Marenza pasan cada año cerca de 1,2 millones de contenedores y las navieras temen que los retrasos se contagien pronto a otros puertos de la costa. Hacia el mediodía ya había una docena de barcos de carga esperando turno fuera del puerto, según fuentes de la capitanía consultadas por este diario.",
    "La dirección del puerto, encabezada por Henrik Sollano, defiende que su oferta es \"razonable\" y reclama a los trabajadores que regresen cuanto antes a la negociación. Sollano recordó que cada jornada de cierre supone pérdidas para la ciudad. \"La propuesta sigue vigente\", insistió.",
    "Los productos perecederos y los ferris que conectan con las islas seguirán funcionando gracias a un pacto firmado el lunes por la noche. El sindicato volverá a reunirse el jueves para decidir si prolonga la protesta o la da por terminada.",
];

/// `apertium -u eng-spa` as a pivot translator into Spanish; `None` when Apertium is missing.
fn apertium_pivot() -> Option<std::sync::Arc<dyn newsdesk_stories::PivotTranslate>> {
    let probe = Command::new("apertium")
        .args(["-u", "eng-spa"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(b"The port.\n")?;
            c.wait_with_output()
        });
    if !probe.is_ok_and(|o| o.status.success() && !o.stdout.is_empty()) {
        return None;
    }
    let translate = |text: &str, lang: &str| -> Option<String> {
        match lang {
            "es" => Some(text.to_string()),
            "en" => {
                let mut child = Command::new("apertium")
                    .args(["-u", "eng-spa"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .ok()?;
                child.stdin.take()?.write_all(text.as_bytes()).ok()?;
                let out = child.wait_with_output().ok()?;
                out.status
                    .success()
                    .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
            }
            _ => None,
        }
    };
    Some(std::sync::Arc::new(translate))
}

/// Runs the detector over the original and one Spanish candidate, with or without the pivot.
fn strike_link(
    candidate: &[&str],
    pivot: Option<std::sync::Arc<dyn newsdesk_stories::PivotTranslate>>,
) -> Option<newsdesk_stories::ProvenanceLink> {
    use newsdesk_stories::{Analysis, CopyConfig, CopyDetector, Document};
    let (title, text) = strike_original();
    let at = |h: u32| {
        chrono::DateTime::parse_from_rfc3339(&format!("2026-03-10T{h:02}:00:00Z"))
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let mut detector = CopyDetector::new(CopyConfig::default());
    detector.set_pivot(pivot);
    let original = Document::new("original", "en", Some(at(7)), &title, &text);
    assert!(
        detector
            .observe(&original, &Analysis::of(&original.title, &original.text))
            .link
            .is_none()
    );
    let body = candidate.join("\n\n");
    let copy = Document::new(
        "candidate",
        "es",
        Some(at(9)),
        "Los estibadores de Valdoria van a la huelga",
        &body,
    );
    detector
        .observe(&copy, &Analysis::of(&copy.title, &copy.text))
        .link
}

#[test]
fn pivot_translation_confirms_a_translation_and_rejects_an_independent_report() {
    // Without a translation, the independent report shows everything a translation shows:
    // six proportional paragraphs, the same names, the same numbers in the same order.
    let without = strike_link(&STRIKE_INDEPENDENT, None);
    assert!(
        without.as_ref().is_some_and(|l| l.original == "original"),
        "{without:?}"
    );
    let Some(pivot) = apertium_pivot() else {
        panic!(
            "apertium with the eng-spa pair is not installed: apt-get install apertium apertium-eng-spa apertium-fr-es (.ci/run does)"
        );
    };
    let translation = strike_link(&STRIKE_TRANSLATION, Some(pivot.clone()));
    let link = translation.expect("the translation is linked");
    assert_eq!(link.original, "original");
    assert_eq!(link.kind, newsdesk_stories::LinkKind::TranslatedCopy);
    let evidence = link
        .evidence
        .iter()
        .find(|e| e.signal == newsdesk_stories::Signal::PivotTranslation)
        .expect("pivot evidence");
    println!("translation: {}", evidence.detail);
    let independent = strike_link(&STRIKE_INDEPENDENT, Some(pivot));
    assert!(independent.is_none(), "{independent:?}");
}

//! Copy detection, story placement and the JSONL drivers, on small hand-made streams; plus the
//! development sets of the stories benchmark (`../shared` next to the workspace; a missing
//! dataset fails the test).

use chrono::{DateTime, Duration, TimeZone, Utc};
use newsdesk_stories::{
    Analysis, CopyConfig, CopyDetector, Document, LinkKind, Signal, StoriesError, StoryConfig,
    StoryEngine, run_copies, run_stories,
};

fn at(hours: i64) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0)
        .single()
        .map(|d| d + Duration::hours(hours))
}

const ORIGINAL: &str = "The city council of Lyon approved a budget of 412 million euros on Tuesday after a debate that lasted nine hours.\n\
The opposition criticised the plan to close three public swimming pools in the northern districts before 2026.\n\
Mayor Claire Dubois said the savings of 18 million euros were needed to fund the new tram line.\n\
\"We cannot keep every building open while the energy bill doubles,\" she told reporters outside the town hall.\n\
The vote passed with 41 votes in favour and 27 against; the budget takes effect in January.";

fn doc(id: &str, lang: &str, hours: i64, title: &str, text: &str) -> Document {
    Document::new(id, lang, at(hours), title, text)
}

fn observe(d: &mut CopyDetector, doc: &Document) -> newsdesk_stories::CopyDecision {
    let a = Analysis::of(&doc.title, &doc.text);
    d.observe(doc, &a)
}

#[test]
fn edited_copy_links_to_its_original_and_copies_of_copies_to_the_root() {
    let mut det = CopyDetector::new(CopyConfig::default());
    let original = doc("a", "en", 0, "Lyon approves budget", ORIGINAL);
    assert!(observe(&mut det, &original).link.is_none());
    // Boilerplate added, one sentence dropped, title replaced.
    let paragraphs: Vec<&str> = ORIGINAL.lines().collect();
    let edited = format!(
        "By Staff Reporter\n{}\n{}\nAdvertisement\n{}\n© 2024 Example Wire. All rights reserved.",
        paragraphs[0], paragraphs[1], paragraphs[3]
    );
    let copy = doc("b", "en", 3, "UPDATE: council vote", &edited);
    let link = observe(&mut det, &copy).link.expect("the copy is linked");
    assert_eq!(link.kind, LinkKind::Copy);
    assert_eq!(link.original, "a");
    assert!(link.confidence > 0.45);
    assert!(link.evidence.iter().any(|e| e.signal == Signal::SharedText));
    // A copy of the copy points at the original, and says which article matched.
    let excerpt = format!("{}\nRead the full story at example.org", paragraphs[0]);
    let second = doc(
        "c",
        "en",
        5,
        "Lyon budget",
        &format!("{excerpt}\n{}", paragraphs[3]),
    );
    let link = observe(&mut det, &second).link.expect("linked");
    assert_eq!(link.original, "a");
    // Unrelated news stays unlinked.
    let other = doc(
        "d",
        "en",
        6,
        "Storm closes airport",
        "A storm closed the airport of Brest for six hours on Wednesday.\nAirlines cancelled 32 flights and rebooked passengers for Thursday.",
    );
    assert!(observe(&mut det, &other).link.is_none());
}

#[test]
fn translated_copy_is_found_by_structure_numbers_and_names() {
    let mut det = CopyDetector::new(CopyConfig::default());
    let original = doc("en1", "en", 0, "Lyon approves budget", ORIGINAL);
    observe(&mut det, &original);
    let unrelated = doc(
        "fr0",
        "fr",
        1,
        "Grève à la SNCF",
        "Les cheminots ont voté une grève de deux jours.\nLe trafic sera perturbé sur toutes les lignes.\nLa direction appelle au dialogue.\nLes syndicats demandent une hausse des salaires.\nUne réunion est prévue lundi.",
    );
    observe(&mut det, &unrelated);
    let french = "Le conseil municipal de Lyon a approuvé mardi un budget de 412 millions d'euros après un débat de neuf heures.\n\
L'opposition a critiqué le projet de fermer trois piscines publiques dans les quartiers nord avant 2026.\n\
La maire Claire Dubois a déclaré que les économies de 18 millions d'euros étaient nécessaires pour financer le nouveau tramway.\n\
« Nous ne pouvons pas garder chaque bâtiment ouvert alors que la facture d'énergie double », a-t-elle dit aux journalistes devant l'hôtel de ville.\n\
Le vote a été acquis par 41 voix pour et 27 contre ; le budget entre en vigueur en janvier.";
    let copy = doc("fr1", "fr", 2, "Lyon adopte son budget", french);
    let decision = observe(&mut det, &copy);
    let link = decision.link.expect("the translation is linked");
    assert_eq!(link.kind, LinkKind::TranslatedCopy);
    assert_eq!(link.original, "en1");
    let numbers = link
        .evidence
        .iter()
        .find(|e| e.signal == Signal::Numbers)
        .expect("numbers are evidence");
    assert!(numbers.detail.contains("412"));
    assert!(
        link.evidence
            .iter()
            .any(|e| e.signal == Signal::ParagraphStructure)
    );
}

#[test]
fn candidates_older_than_the_window_are_forgotten() {
    let mut det = CopyDetector::new(CopyConfig {
        window_hours: 24,
        ..CopyConfig::default()
    });
    observe(
        &mut det,
        &doc("a", "en", 0, "Lyon approves budget", ORIGINAL),
    );
    let late = doc("b", "en", 48, "Lyon approves budget", ORIGINAL);
    assert!(observe(&mut det, &late).link.is_none());
    assert_eq!(det.window_len(), 1);
}

fn engine() -> StoryEngine {
    StoryEngine::new(StoryConfig::default())
}

#[test]
fn stories_group_one_event_across_languages_and_keep_others_apart() {
    let mut e = engine();
    let a = e.add(&doc(
        "1",
        "en",
        0,
        "Earthquake of magnitude 7.1 hits Chile",
        "A magnitude 7.1 earthquake struck near Valparaíso on Monday. At least 12 people died.",
    ));
    let b = e.add(&doc(
        "2",
        "ru",
        2,
        "Землетрясение в Чили",
        "Землетрясение магнитудой 7.1 произошло у Вальпараисо, погибли 12 человек.",
    ));
    let c = e.add(&doc(
        "3",
        "en",
        3,
        "Norway passes 2025 budget",
        "The parliament of Norway passed the 2025 budget after a long debate in Oslo.",
    ));
    assert!(a.new_story && !b.new_story && c.new_story);
    assert_eq!(a.story, b.story);
    assert_ne!(a.story, c.story);
    let info = e.story(a.story).expect("open");
    assert_eq!(info.articles, 2);
    assert!(!info.title.is_empty());
}

#[test]
fn a_story_closes_after_its_window_on_the_articles_clock() {
    let mut e = StoryEngine::new(StoryConfig {
        window_hours: 24,
        ..StoryConfig::default()
    });
    let text = "Floods in Valencia: the river Turia burst its banks and 40 streets were evacuated.";
    let a = e.add(&doc("1", "en", 0, "Floods in Valencia", text));
    let b = e.add(&doc("2", "en", 100, "Floods in Valencia", text));
    assert_ne!(
        a.story, b.story,
        "a story does not take articles after its window"
    );
    assert!(e.story(a.story).is_none());
}

#[test]
fn a_snapshot_restores_the_same_engine() {
    let mut e = engine();
    e.add(&doc("1", "en", 0, "Lyon approves budget", ORIGINAL));
    let bytes = e.snapshot().unwrap();
    let mut restored = StoryEngine::restore(&bytes).unwrap();
    let next = doc("2", "en", 1, "Lyon budget vote", ORIGINAL);
    assert_eq!(e.add(&next).story, restored.add(&next).story);
    assert!(matches!(
        StoryEngine::restore(b"{not json"),
        Err(StoriesError::SnapshotFormat(_))
    ));
}

#[test]
fn jsonl_drivers_answer_every_line_and_name_bad_lines() {
    let lines = [
        r#"{"id":"x1","lang":"en","date":"2024-03-01T00:00:00Z","title":"Lyon approves budget","text":"The city council of Lyon approved a budget of 412 million euros.\nThe vote passed with 41 votes in favour."}"#,
        r#"{"id":"x2","lang":"en","date":"2024-03-01T05:00:00Z","title":"UPDATE: Lyon approves budget","text":"The city council of Lyon approved a budget of 412 million euros.\nThe vote passed with 41 votes in favour.\nAdvertisement"}"#,
        r#"{"id":"x3","lang":"de","date":null,"title":"Wetter","text":"Morgen regnet es in Berlin."}"#,
    ]
    .join("\n");
    let mut out = Vec::new();
    let summary = run_copies(lines.as_bytes(), &mut out, StoryConfig::default(), None).unwrap();
    assert_eq!(summary.documents, 3);
    let answers: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers[0]["copy_of"], serde_json::Value::Null);
    assert_eq!(answers[1]["copy_of"], "x1");
    assert_eq!(answers[2]["copy_of"], serde_json::Value::Null);

    let mut out = Vec::new();
    run_stories(lines.as_bytes(), &mut out, StoryConfig::default(), None).unwrap();
    let answers: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0]["cluster"], answers[1]["cluster"]);
    assert_ne!(answers[0]["cluster"], answers[2]["cluster"]);

    let bad = "{\"id\":\"ok\",\"lang\":\"en\",\"title\":\"t\",\"text\":\"x\"}\n{oops}\n";
    let err = run_copies(bad.as_bytes(), Vec::new(), StoryConfig::default(), None).unwrap_err();
    assert!(
        matches!(err, StoriesError::BadRecord { line: 2, .. }),
        "{err}"
    );
}

/// Link F1 of `newsdesk copies` on a development pool, computed like `score_copies.py`.
fn link_f1(name: &str) -> (f64, f64) {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/stories/data");
    let read = |file: String| {
        let path = dir.join(file);
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "development data {} cannot be read ({e}): install ../shared next to the workspace",
                path.display()
            )
        })
    };
    let input = read(format!("{name}.dev.jsonl"));
    let gold = String::from_utf8(read(format!("{name}.dev.gold.jsonl"))).expect("UTF-8 gold file");
    let mut out = Vec::new();
    run_copies(input.as_slice(), &mut out, StoryConfig::default(), None).expect("well-formed");
    let pred: std::collections::HashMap<String, Option<String>> = String::from_utf8(out)
        .expect("well-formed")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("well-formed");
            (
                v["id"].as_str().expect("well-formed").to_string(),
                v["copy_of"].as_str().map(str::to_string),
            )
        })
        .collect();
    let (mut tp, mut gold_links) = (0.0, 0.0);
    let predicted = pred.values().filter(|v| v.is_some()).count() as f64;
    for line in gold.lines() {
        let g: serde_json::Value = serde_json::from_str(line).expect("well-formed");
        if let Some(orig) = g["copy_of"].as_str() {
            gold_links += 1.0;
            if pred[g["id"].as_str().expect("well-formed")].as_deref() == Some(orig) {
                tp += 1.0;
            }
        }
    }
    let (p, r) = (tp / predicted, tp / gold_links);
    (2.0 * p * r / (p + r) * 100.0, p * 100.0)
}

#[test]
fn development_pools_near_duplicates_stay_perfect_and_translations_stay_precise() {
    let (f1, _) = link_f1("neardup");
    assert_eq!(f1, 100.0, "near-duplicate link F1");
    let (f1, precision) = link_f1("copies");
    assert!(f1 >= 95.0, "translated-copy link F1 {f1}");
    assert!(
        precision >= 98.0,
        "translated-copy link precision {precision}"
    );
}

/// Unrelated local items in two languages of one script share a few numbers (a year, "40",
/// "60") and trigrams of common title words, but no name: they stay apart, while two reports
/// of one event in those languages, naming the same places and people, join.
#[test]
fn numbers_alone_do_not_make_a_story_across_languages_names_do() {
    let mut engine = StoryEngine::new(StoryConfig::default());
    let fair = engine.add(&doc(
        "fair",
        "es",
        0,
        "La feria del maíz espera 60 mil visitantes en su edición número 40",
        "La feria celebrará su edición número 40 del 20 al 29 de marzo y espera 60 mil visitantes; la primera, en 1986, reunió a una docena de productores.\n\
         Productores de 18 municipios mostrarán 70 variedades de maíz nativo y habrá un concurso de tortillas.\n\
         La entrada será gratuita de lunes a jueves y costará 30 pesos el fin de semana.",
    ));
    let books = engine.add(&doc(
        "books",
        "fr",
        5,
        "Le salon du livre attend 60 000 visiteurs pour sa 40e édition",
        "Le salon fêtera sa 40e édition du 20 au 29 mars et attend 60 000 visiteurs ; la première, en 1986, comptait une douzaine d'éditeurs.\n\
         Des libraires de 18 communes présenteront 70 nouveautés et un concours de nouvelles est prévu.\n\
         L'entrée sera gratuite du lundi au jeudi et coûtera 30 euros le week-end.",
    ));
    assert_ne!(fair.story, books.story, "numbers and common words only");

    let theft = engine.add(&doc(
        "theft-es",
        "es",
        6,
        "Roban el cáliz de Ostrand del museo de Kellmark",
        "Unos ladrones robaron el cáliz de Ostrand del Museo del Vidrio Nórdico de Kellmark.\n\
         \"Sabían exactamente lo que querían\", explicó el inspector Rolf Abendroth.\n\
         La directora del museo, Hanne Lindqvist, pidió que la pieza sea devuelta.",
    ));
    let same = engine.add(&doc(
        "theft-fr",
        "fr",
        8,
        "Le calice d'Ostrand volé au musée de Kellmark",
        "Des cambrioleurs ont dérobé le calice d'Ostrand au Musée du verre nordique de Kellmark.\n\
         L'inspecteur Rolf Abendroth estime que les voleurs connaissaient les lieux.\n\
         La directrice Hanne Lindqvist s'est dite effondrée.",
    ));
    assert_eq!(theft.story, same.story, "the same event, the same names");
}

/// A pivot hook that records what it is told ahead and what it is asked.
#[derive(Default)]
struct RecordingPivot {
    told: std::sync::Mutex<Vec<(String, String)>>,
    asked: std::sync::Mutex<Vec<(String, String)>>,
}

impl newsdesk_stories::PivotTranslate for RecordingPivot {
    fn to_pivot(&self, text: &str, lang: &str) -> Option<String> {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push((text.to_owned(), lang.to_owned()));
        }
        None
    }

    fn prefetch(&self, texts: &[(String, String)]) {
        if let Ok(mut told) = self.told.lock() {
            told.extend(texts.iter().cloned());
        }
    }
}

#[test]
fn the_pivot_hook_is_told_ahead_exactly_the_texts_it_is_then_asked() {
    let hook = std::sync::Arc::new(RecordingPivot::default());
    let mut engine = StoryEngine::new(StoryConfig::default());
    engine.set_pivot(Some(hook.clone()));
    let docs = [
        doc("a", "en", 0, "Lyon budget approved", ORIGINAL),
        doc(
            "b",
            "fr",
            2,
            "Budget de Lyon",
            "Le conseil municipal de Lyon a voté 412 millions d'euros.",
        ),
        doc(
            "c",
            "de",
            3,
            "Haushalt in Lyon",
            "Der Stadtrat von Lyon beschloss 412 Millionen Euro.",
        ),
    ];
    engine.prefetch_pivot(&docs);
    for d in &docs {
        engine.add(d);
    }
    let told = hook.told.lock().expect("told").clone();
    let asked = hook.asked.lock().expect("asked").clone();
    assert_eq!(told.len(), 3);
    assert_eq!(
        told, asked,
        "the hook is told ahead what it is asked, in order"
    );
    assert!(told[1].0.starts_with("Budget de Lyon\n") && told[1].1 == "fr");
}

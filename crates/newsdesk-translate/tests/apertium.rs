//! Integration tests over the real Apertium (Debian packages apertium, apertium-eng-spa,
//! apertium-fr-es, apertium-apy; `.ci/run` installs them). Without them the tests fail, saying so.

use std::sync::Arc;
use std::time::Duration;

use newsdesk_translate::{
    ApertiumCli, Backend, ManagedBackend, MemoryCache, SegmentStatus, Translator,
    TranslatorOptions, apertium_available, localise_facts, numbers, scan_quotes, split_sentences,
};

fn apertium_here(test: &str) -> bool {
    if apertium_available() {
        return true;
    }
    panic!(
        "{test}: apertium is not installed: apt-get install apertium apertium-eng-spa apertium-fr-es (.ci/run does)"
    );
}

fn apertium() -> ApertiumCli {
    ApertiumCli::new("apertium", None, Duration::from_secs(60))
}

fn translator() -> Translator {
    Translator::new(
        vec![ManagedBackend::new(Box::new(apertium()))],
        Arc::new(MemoryCache::new()),
        TranslatorOptions::default(),
    )
}

#[tokio::test]
async fn installed_modes_are_discovered_with_iso_codes() {
    if !apertium_here("installed_modes_are_discovered_with_iso_codes") {
        return;
    }
    let b = apertium();
    assert!(b.supports("en", "es"), "pairs: {:?}", b.pairs());
    assert!(b.supports("es", "fr"));
    assert!(!b.supports("en", "fr"), "Debian has no English-French pair");
}

#[tokio::test]
async fn a_batch_keeps_one_translation_per_segment() {
    if !apertium_here("a_batch_keeps_one_translation_per_segment") {
        return;
    }
    // Segments that end without punctuation are where a single-newline separator fails: the
    // transfer rules move "red" across the line break.
    let segs: Vec<String> = [
        "I saw the red",
        "car is here",
        "The big",
        "house",
        "They left.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let b = apertium();
    let batch = b.translate(&segs, "en", "es").await.unwrap();
    assert_eq!(batch.len(), segs.len());
    for (i, s) in segs.iter().enumerate() {
        let alone = b
            .translate(std::slice::from_ref(s), "en", "es")
            .await
            .unwrap();
        assert_eq!(
            batch[i].to_lowercase(),
            alone[0].to_lowercase(),
            "segment {i} translated the same in a batch and alone"
        );
    }
    assert!(batch[3].to_lowercase().contains("casa"), "{batch:?}");
}

#[tokio::test]
async fn english_to_spanish_direct_and_to_french_through_spanish() {
    if !apertium_here("english_to_spanish_direct_and_to_french_through_spanish") {
        return;
    }
    let t = translator();
    let es = t
        .translate_text(
            "The government said 1,200 people were evacuated.",
            "en",
            "es",
        )
        .await
        .unwrap();
    assert_eq!(es.route.to_string(), "en →es [apertium]");
    assert!(es.text.contains("gobierno"), "{}", es.text);
    assert!(es.text.contains("1.200"), "Spanish grouping: {}", es.text);
    assert_eq!(es.kept_original(), 0, "{:?}", es.segments);

    let fr = t
        .translate_text(
            "The minister said \"the house is red\" on Monday.",
            "en",
            "fr",
        )
        .await
        .unwrap();
    assert!(fr.route.is_pivot());
    assert_eq!(fr.route.to_string(), "en →es [apertium] →fr [apertium]");
    assert!(fr.text.contains("maison"), "{}", fr.text);
    assert!(
        fr.text.contains("«\u{202F}") && fr.text.contains("\u{202F}»"),
        "French guillemets with narrow no-break spaces: {}",
        fr.text
    );
}

#[tokio::test]
async fn second_pass_comes_from_the_cache() {
    if !apertium_here("second_pass_comes_from_the_cache") {
        return;
    }
    let t = translator();
    let text = "The storm closed 14 schools. Parents were told on Sunday.";
    let first = t.translate_text(text, "en", "fr").await.unwrap();
    let calls_after_first = t.run_usage()["apertium"].calls;
    let second = t.translate_text(text, "en", "fr").await.unwrap();
    assert_eq!(first.text, second.text);
    assert!(
        second
            .segments
            .iter()
            .all(|s| s.status == SegmentStatus::Cached)
    );
    let u = t.run_usage()["apertium"];
    assert_eq!(u.calls, calls_after_first, "no call on the second pass");
    assert_eq!(u.cache_hits, 4, "2 segments × 2 hops");
}

/// One case of the fixture.
struct Case {
    category: String,
    expected_segments: usize,
    text: String,
}

fn cases() -> Vec<Case> {
    let raw = include_str!("fixtures/tricky_segments.txt");
    raw.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.splitn(3, " | ");
            let category = parts
                .next()
                .expect("fixture line: category | count | text")
                .to_string();
            let expected_segments = parts
                .next()
                .expect("fixture line: category | count | text")
                .trim()
                .parse()
                .expect("fixture line: category | count | text");
            let text = parts
                .next()
                .expect("fixture line: category | count | text")
                .to_string();
            Case {
                category,
                expected_segments,
                text,
            }
        })
        .collect()
}

/// Checks the properties of one emitted translation independently of the translator's own
/// checker; returns the failures.
fn property_failures(source: &str, out: &str, target: &str) -> Vec<String> {
    let mut f = Vec::new();
    // Figures are written in the target's conventions (1,200 → 1.200 in Spanish).
    let expected = numbers(&localise_facts(source, "en", target));
    if expected != numbers(out) {
        f.push(format!("numbers {expected:?} → {:?}", numbers(out)));
    }
    let (qs, qt) = (scan_quotes(source), scan_quotes(out));
    if !qt.is_balanced() || qs.pairs.len() != qt.pairs.len() {
        f.push("quotation marks".to_string());
    }
    if out.contains('⟦') || out.contains('⟧') {
        f.push("placeholder left".to_string());
    }
    if out
        .split_whitespace()
        .any(|w| w.starts_with(['*', '#', '@']) && !source.contains(w))
    {
        f.push("apertium mark".to_string());
    }
    let ratio = out.chars().count() as f64 / source.chars().count() as f64;
    if !(0.4..=2.5).contains(&ratio) {
        f.push(format!("length ratio {ratio:.2}"));
    }
    if target == "fr" && !qs.pairs.is_empty() && !out.contains('«') && !out.contains('“') {
        f.push("French quotation marks".to_string());
    }
    let without_tags = regex_free_strip_tags(out);
    if target == "fr" && without_tags.contains('"') {
        f.push("straight quotes in French".to_string());
    }
    f
}

#[tokio::test]
async fn tricky_segments_pass_the_property_checks() {
    if !apertium_here("tricky_segments_pass_the_property_checks") {
        return;
    }
    let cases = cases();
    assert!(cases.len() >= 40);
    for c in &cases {
        let s = split_sentences(&c.text, "en");
        assert_eq!(s.len(), c.expected_segments, "[{}] {:?}", c.category, s);
        for seg in &s {
            assert!(
                scan_quotes(seg).is_balanced(),
                "[{}] unbalanced segment {seg:?}",
                c.category
            );
        }
    }
    let t = translator();
    for target in ["es", "fr"] {
        let mut passed = 0usize;
        let mut kept = 0usize;
        for c in &cases {
            let tr = t.translate_text(&c.text, "en", target).await.unwrap();
            let mut ok = true;
            for seg in &tr.segments {
                match &seg.status {
                    SegmentStatus::KeptOriginal(reason) => {
                        ok = false;
                        kept += 1;
                        assert!(
                            seg.text.starts_with("[EN] "),
                            "visible marker: {}",
                            seg.text
                        );
                        println!(
                            "en→{target} [{}] kept: {reason}: {}",
                            c.category, seg.source
                        );
                    }
                    _ => {
                        let f = property_failures(&seg.source, &seg.text, target);
                        assert!(
                            f.is_empty(),
                            "en→{target} [{}] an emitted translation fails {f:?}: {:?} → {:?}",
                            c.category,
                            seg.source,
                            seg.text
                        );
                        assert_ne!(seg.text, seg.source, "translated");
                    }
                }
            }
            if ok {
                passed += 1;
            }
        }
        let share = passed as f64 / cases.len() as f64;
        println!(
            "tricky segments en→{target} ({}): {passed}/{} cases pass every check ({:.0}%), {kept} segments kept in English",
            t.route("en", target).unwrap(),
            cases.len(),
            share * 100.0
        );
        assert!(
            share >= 0.7,
            "en→{target}: only {passed}/{} cases pass",
            cases.len()
        );
    }
}

/// The text without its markup tags.
fn regex_free_strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// An `apertium-apy` server started for the test, killed when dropped.
struct Apy(std::process::Child);

impl Drop for Apy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn apertium_apy_server_translates_through_its_http_api() {
    if !apertium_here("apertium_apy_server_translates_through_its_http_api") {
        return;
    }
    let installed = std::process::Command::new("apertium-apy")
        .arg("--help")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    assert!(
        installed,
        "apertium-apy is not installed: apt-get install apertium-apy (.ci/run does)"
    );
    // A free port on loopback (APy has no bind option; it is only ever called on 127.0.0.1).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _apy = Apy(std::process::Command::new("apertium-apy")
        .args([
            "-p",
            &port.to_string(),
            newsdesk_translate::DEFAULT_MODES_DIR,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap());
    let base = format!("http://127.0.0.1:{port}");
    // Wait for it to listen (Python start-up), at most about 30 s.
    let mut backend = None;
    for _ in 0..150 {
        if let Ok(b) =
            newsdesk_translate::ApertiumApy::connect("apy", &base, Duration::from_secs(30)).await
        {
            backend = Some(b);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let backend = backend.expect("apertium-apy answers /listPairs");
    assert!(
        backend.supports("en", "es") && backend.supports("es", "fr"),
        "{:?}",
        backend.pairs()
    );
    let t = Translator::new(
        vec![ManagedBackend::new(Box::new(backend))],
        Arc::new(MemoryCache::new()),
        TranslatorOptions::default(),
    );
    let tr = t
        .translate_text(
            "The red house is big. I saw the red\nThe car is new.",
            "en",
            "fr",
        )
        .await
        .unwrap();
    assert_eq!(tr.route.to_string(), "en →es [apy] →fr [apy]");
    assert_eq!(tr.text.lines().count(), 2);
    assert!(tr.text.contains("maison"), "{}", tr.text);
    assert_eq!(tr.segments.len(), 3);
    assert_eq!(
        t.run_usage()["apy"].calls,
        3,
        "one batched call per hop, and the marked twin of the last one (out of the pivot)"
    );
}

fn translator_with(options: TranslatorOptions) -> Translator {
    Translator::new(
        vec![ManagedBackend::new(Box::new(apertium()))],
        Arc::new(MemoryCache::new()),
        options,
    )
}

/// en→es→fr: the first leg's unknown words and the names it copied pass through the second leg
/// unchanged (without it, Spanish `moreno` becomes French `brun`), and no mark is emitted.
#[tokio::test]
async fn names_pass_through_the_pivot_unchanged() {
    if !apertium_here("names_pass_through_the_pivot_unchanged") {
        return;
    }
    let text = "Dr. Amelia Hart met J. K. Moreno in the capital on Tuesday.";
    let on = translator();
    let tr = on.translate_text(text, "en", "fr").await.unwrap();
    let out = &tr.segments[0];
    assert_eq!(out.status, SegmentStatus::Translated, "{out:?}");
    for name in ["Amelia", "Hart", "Moreno"] {
        assert!(out.text.contains(name), "{name} kept: {}", out.text);
    }
    assert!(
        !out.text.contains(['*', '@', '#']),
        "no marks: {}",
        out.text
    );
    assert!(out.text.contains("mardi"), "translated: {}", out.text);
    // The names were protected before the first leg: no backend saw them.
    assert!(!out.unknown_words.contains(&"Hart".to_string()), "{out:?}");
    assert!(out.pivot_leaks.is_empty(), "{out:?}");
    assert!(out.unknown_words.is_empty(), "{out:?}");

    let off = translator_with(TranslatorOptions {
        pivot_passthrough: false,
        ..TranslatorOptions::default()
    });
    // Names are protected before the first leg, so even without the pass-through the second
    // leg does not see them (it used to turn `Moreno` into `brun`).
    let before = off.translate_text(text, "en", "fr").await.unwrap();
    assert!(
        before.text.contains("J. K. Moreno"),
        "names protected from the start: {:?}",
        before.segments
    );
}

/// Spanish words the es→fr dictionary lacks are pivot-language leaks: counted, and a segment
/// with too many of them is kept in the original with the marker.
#[tokio::test]
async fn too_many_pivot_language_words_keep_the_original() {
    if !apertium_here("too_many_pivot_language_words_keep_the_original") {
        return;
    }
    // `per cent` → `por céntimo` → `par céntimo`: céntimo is not in the es→fr dictionary.
    let text = "The survey puts support at 47,5 per cent, up from 44,1 per cent.";
    let strict = translator();
    let tr = strict.translate_text(text, "en", "fr").await.unwrap();
    match &tr.segments[0].status {
        SegmentStatus::KeptOriginal(reason) => {
            assert!(reason.contains("pivot language"), "{reason}")
        }
        other => panic!("expected the original kept, got {other:?}: {}", tr.text),
    }
    assert!(tr.text.starts_with("[EN] "), "{}", tr.text);
    assert!(
        strict.run_usage()["apertium"].check_failures >= 2,
        "batch, then alone"
    );

    let lenient = translator_with(TranslatorOptions {
        max_pivot_leak_share: 1.0,
        ..TranslatorOptions::default()
    });
    let tr = lenient.translate_text(text, "en", "fr").await.unwrap();
    let seg = &tr.segments[0];
    assert_eq!(seg.status, SegmentStatus::Translated, "{seg:?}");
    assert_eq!(seg.pivot_leaks, vec!["céntimo", "céntimo"], "{seg:?}");
    assert!(!seg.text.contains('*'), "{}", seg.text);
}

/// Several texts in one call (the story stage's pivot translations ahead) come out exactly as
/// each alone: every text keeps its own sentences and names, only the backend calls are shared.
#[tokio::test]
async fn texts_translated_together_read_exactly_as_each_alone() {
    if !apertium_here("texts_translated_together_read_exactly_as_each_alone") {
        return;
    }
    let options = TranslatorOptions {
        pivots: vec!["es".into()],
        ..TranslatorOptions::default()
    };
    let texts = [
        "Le conseil municipal de Corvanne a élu Elena Marsh.\nElle a obtenu 52 % des voix dimanche soir.",
        "La sonde Lumen a survolé la comète Hesper.\nLes ingénieurs de Valdoria saluent un vol parfait. Le signal est arrivé à 21h47.",
        "Grève au port de Marenza",
    ];
    let together = translator_with(options.clone())
        .translate_texts(&texts, "fr", "en")
        .await
        .expect("together");
    assert_eq!(together.len(), texts.len());
    for (text, joint) in texts.iter().zip(&together) {
        // A fresh translator (and cache) for each text alone.
        let alone = translator_with(options.clone())
            .translate_text(text, "fr", "en")
            .await
            .expect("alone");
        assert_eq!(joint.text, alone.text, "{text}");
        assert_eq!(joint.route, alone.route);
        assert_eq!(joint.text.lines().count(), text.lines().count());
    }
}
